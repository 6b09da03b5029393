#!/usr/bin/env bash
# sysbench through Tessel versus MariaDB directly, interleaved in one run on the same MariaDB:
# starts vtcombo (keyspace sbtest, one unsharded shard), prepares the sysbench tables on the shard's
# MariaDB, then alternates direct and through-vtgate runs of each test and prints QPS, p95 latency and
# the ratio Tessel / direct. Settings by environment: THREADS (8), TIME seconds per run (15), ROUNDS (2),
# TABLES (4), SIZE rows per table (10000), TESTS ("oltp_point_select oltp_read_only"), WARMUP seconds of
# each test through Tessel before measuring, so the JIT has compiled the query path (10),
# PROTOCOL (local|grpc, how vtgate calls tablets), PS_MODE (disable: plain text queries).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bin/lib.sh"
select_java
command -v sysbench >/dev/null || { echo "bench: sysbench is not installed (apt-get install sysbench)" >&2; exit 1; }

THREADS=${THREADS:-8}; TIME=${TIME:-15}; ROUNDS=${ROUNDS:-2}; TABLES=${TABLES:-4}; SIZE=${SIZE:-10000}
TESTS=${TESTS:-"oltp_point_select oltp_read_only"}; PROTOCOL=${PROTOCOL:-local}; PS_MODE=${PS_MODE:-disable}
WARMUP=${WARMUP:-10}
port=$(( 20000 + RANDOM % 20000 ))
log=$(mktemp -t tessel-bench-XXXX.log)

"$root/bin/vtcombo" --port "$port" --keyspace sbtest --tablet-protocol "$PROTOCOL" >"$log" 2>&1 &
combo=$!
trap 'kill $combo 2>/dev/null; wait $combo 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  grep -q "Press Ctrl-C" "$log" && break
  kill -0 $combo 2>/dev/null || { echo "bench: vtcombo died:" >&2; tail -30 "$log" >&2; exit 1; }
  sleep 0.2
done
mport=$(grep -o "MySQL at 127.0.0.1:[0-9]*" "$log" | head -1 | cut -d: -f2)
[ -n "$mport" ] || { echo "bench: vtcombo did not start" >&2; tail -30 "$log" >&2; exit 1; }

common=(--mysql-host=127.0.0.1 --mysql-user=root --mysql-db=sbtest --mysql-ssl=off --tables="$TABLES" --table-size="$SIZE")
echo "bench: preparing $TABLES tables of $SIZE rows on MariaDB :$mport; vtgate :$port (tablets over $PROTOCOL)"
sysbench oltp_read_only "${common[@]}" --mysql-port="$mport" prepare >/dev/null

run() { # test port -> "qps p95"
  local out
  out=$(sysbench "$1" "${common[@]}" --mysql-port="$2" --threads="$THREADS" --time="$TIME" \
        --db-ps-mode="$PS_MODE" --report-interval=0 run)
  local qps p95
  qps=$(echo "$out" | sed -n 's/.*queries: *[0-9]* *(\([0-9.]*\) per sec.).*/\1/p')
  p95=$(echo "$out" | sed -n 's/.*95th percentile: *\([0-9.]*\).*/\1/p')
  local errs
  errs=$(echo "$out" | sed -n 's/.*ignored errors: *\([0-9]*\).*/\1/p')
  echo "$qps $p95 ${errs:-0}"
}

for t in $TESTS; do
  [ "$WARMUP" -gt 0 ] && TIME=$WARMUP run "$t" "$port" >/dev/null
done
printf "\n%-18s %5s %12s %9s %12s %9s %7s\n" test round direct_qps p95_ms tessel_qps p95_ms ratio
for round in $(seq 1 "$ROUNDS"); do
  for t in $TESTS; do
    read -r dq dp _ <<<"$(run "$t" "$mport")"
    read -r tq tp te <<<"$(run "$t" "$port")"
    ratio=$(awk -v a="$tq" -v b="$dq" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
    printf "%-18s %5s %12s %9s %12s %9s %7s%s\n" "$t" "$round" "$dq" "$dp" "$tq" "$tp" "$ratio" \
      "$([ "${te:-0}" != 0 ] && echo "  ($te errors through Tessel)")"
  done
done
echo "(threads $THREADS, $TIME s per run, $TABLES x $SIZE rows, ps-mode $PS_MODE, $(nproc) cores shared by sysbench, MariaDB and Tessel)"

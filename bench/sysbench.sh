#!/usr/bin/env bash
# sysbench through Tessel versus MariaDB directly, interleaved in one run: starts vtcombo, prepares the
# sysbench tables, then alternates direct and through-vtgate runs of each test and prints QPS, p95 latency
# and the ratio Tessel / direct. Settings by environment: THREADS (8), TIME seconds per run (15), ROUNDS (2),
# TABLES (4), SIZE rows per table (10000), TESTS ("oltp_point_select oltp_read_only"), WARMUP seconds of
# each test through Tessel before measuring, so the JIT has compiled the query path (10),
# PROTOCOL (local|grpc, how vtgate calls tablets), PS_MODE (auto: sysbench's default, server-side prepared
# statements; disable for plain text queries), SHARDS (1), LOCK_WAIT (the tablets' row lock wait timeout,
# --queryserver-config-lock-wait-timeout; empty for their default, half the 30 s query timeout).
#
# Lock waits across shards: oltp_read_write's writes hit few hot rows (sysbench's default "special" id
# distribution), so two transactions often lock rows on both shards in opposite orders. On one MySQL InnoDB sees
# the cycle and fails one with 1213 at once (sysbench ignores it and retries); split over shards no InnoDB
# sees the cycle, and it ends only when a lock wait times out (1205, also ignored). With the default lock wait
# timeout each such cycle stalls its threads for 15 s; LOCK_WAIT=1s resolves them in a second
# (docs/design/client-compatibility.md).
#
# SHARDS=1 (default): keyspace sbtest on one unsharded shard; the direct runs use the shard's own MariaDB.
# SHARDS=N>1: keyspace sbtest on N shards, its vschema sharding sbtest1..sbtestTABLES by id with hash, plus
# an unsharded keyspace sbdirect whose MariaDB holds all the rows and is the direct baseline. The tables
# are created on every shard from the schema directory; `sysbench prepare` fills sbdirect, and its rows
# are then inserted through vtgate (multi-row INSERTs, which vtgate splits so each row lands on the shard
# its hash names). The load and the runs need vtgate's sharded planner (issue 4) for every statement
# of the chosen tests: oltp_point_select needs routing by vindex, oltp_read_only also range scans with
# SUM, ORDER BY and DISTINCT across shards; a statement it cannot run yet stops the script with sysbench's
# error (errno 1235).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bin/lib.sh"
select_java
command -v sysbench >/dev/null || { echo "bench: sysbench is not installed (apt-get install sysbench)" >&2; exit 1; }

THREADS=${THREADS:-8}; TIME=${TIME:-15}; ROUNDS=${ROUNDS:-2}; TABLES=${TABLES:-4}; SIZE=${SIZE:-10000}
TESTS=${TESTS:-"oltp_point_select oltp_read_only"}; PROTOCOL=${PROTOCOL:-local}; PS_MODE=${PS_MODE:-auto}
WARMUP=${WARMUP:-10}; SHARDS=${SHARDS:-1}; LOCK_WAIT=${LOCK_WAIT:-}
port=$(( 20000 + RANDOM % 20000 ))
log=$(mktemp -t tessel-bench-XXXX.log)
schema=$(mktemp -d -t tessel-bench-schema-XXXX)

# The sharded keyspace's schema directory: sysbench's tables on every shard, sharded by id with hash.
write_sharded_schema() {
  mkdir -p "$schema/sbtest"
  local i tables=""
  for i in $(seq 1 "$TABLES"); do
    cat >>"$schema/sbtest/01-sbtest.sql" <<SQL
create table sbtest$i (id integer not null auto_increment, k integer default '0' not null,
  c char(120) default '' not null, pad char(60) default '' not null, primary key (id)) engine=InnoDB;
create index k_$i on sbtest$i(k);
SQL
    tables+="${tables:+,}\"sbtest$i\": {\"column_vindexes\": [{\"column\": \"id\", \"name\": \"hash\"}]}"
  done
  echo "{\"sharded\": true, \"vindexes\": {\"hash\": {\"type\": \"hash\"}}, \"tables\": {$tables}}" \
    >"$schema/sbtest/vschema.json"
}

if [ "$SHARDS" -gt 1 ]; then
  write_sharded_schema
  flags=(--schema-dir "$schema" --keyspaces sbtest,sbdirect --num-shards "$SHARDS,1")
  direct_db=sbdirect
else
  flags=(--keyspace sbtest)
  direct_db=sbtest
fi
[ -n "$LOCK_WAIT" ] && flags+=(--queryserver-config-lock-wait-timeout "$LOCK_WAIT")
"$root/bin/vtcombo" --mysql-port "$port" --http-port 0 "${flags[@]}" --tablet-protocol "$PROTOCOL" >"$log" 2>&1 &
combo=$!
trap 'kill $combo 2>/dev/null; wait $combo 2>/dev/null || true; rm -rf "$schema" "$log.load"' EXIT
for _ in $(seq 1 600); do
  grep -q "Press Ctrl-C" "$log" && break
  kill -0 $combo 2>/dev/null || { echo "bench: vtcombo died:" >&2; tail -30 "$log" >&2; exit 1; }
  sleep 0.2
done
shard_port() { # keyspace -> the MariaDB port of its first shard
  sed -n "s/.*keyspace $1 *shard [^ ]* *MySQL at 127.0.0.1:\([0-9]*\).*/\1/p" "$log" | head -1
}
mport=$(shard_port "$direct_db")
[ -n "$mport" ] || { echo "bench: vtcombo did not start" >&2; tail -30 "$log" >&2; exit 1; }

common=(--mysql-host=127.0.0.1 --mysql-user=root --mysql-ssl=off --tables="$TABLES" --table-size="$SIZE")
echo "bench: preparing $TABLES tables of $SIZE rows on MariaDB :$mport; vtgate :$port (tablets over $PROTOCOL)"
sysbench oltp_read_only "${common[@]}" --mysql-db="$direct_db" --mysql-port="$mport" prepare >/dev/null

if [ "$SHARDS" -gt 1 ]; then
  echo "bench: inserting the rows into keyspace sbtest ($SHARDS shards) through vtgate"
  tables=$(seq -f "sbtest%g" 1 "$TABLES")
  # shellcheck disable=SC2086 # one word per table
  if ! mariadb-dump --no-defaults -h 127.0.0.1 -P "$mport" -u root --skip-ssl --no-create-info --complete-insert \
         --compact --skip-add-locks --skip-disable-keys --skip-tz-utc --net-buffer-length=65536 \
         "$direct_db" $tables \
       | mariadb --no-defaults -h 127.0.0.1 -P "$port" -u root --skip-ssl sbtest >"$log.load" 2>&1; then
    echo "bench: loading the sharded keyspace through vtgate failed:" >&2
    grep -E "^ERROR" "$log.load" | cut -c1-300 >&2
    exit 1
  fi
  sed -n 's/.*keyspace sbtest *shard \([^ ]*\) *MySQL at 127.0.0.1:\([0-9]*\).*/\1 \2/p' "$log" | while read -r shard p; do
    n=$(mariadb --no-defaults -h 127.0.0.1 -P "$p" -u root --skip-ssl -N sbtest -e "select count(*) from sbtest1")
    echo "bench:   shard $shard holds $n rows of sbtest1"
  done
fi

run() { # test port database -> "qps p95 errors"
  local out
  if ! out=$(sysbench "$1" "${common[@]}" --mysql-db="$3" --mysql-port="$2" --threads="$THREADS" --time="$TIME" \
        --db-ps-mode="$PS_MODE" --report-interval=0 run 2>&1); then
    echo "bench: sysbench $1 against :$2 ($3) failed:" >&2
    echo "$out" | grep -iE "error|fatal" | head -5 >&2
    return 1
  fi
  local qps p95
  qps=$(echo "$out" | sed -n 's/.*queries: *[0-9]* *(\([0-9.]*\) per sec.).*/\1/p')
  p95=$(echo "$out" | sed -n 's/.*95th percentile: *\([0-9.]*\).*/\1/p')
  local errs
  errs=$(echo "$out" | sed -n 's/.*ignored errors: *\([0-9]*\).*/\1/p')
  echo "$qps $p95 ${errs:-0}"
}

for t in $TESTS; do
  [ "$WARMUP" -gt 0 ] && TIME=$WARMUP run "$t" "$port" sbtest >/dev/null
done
printf "\n%-18s %5s %12s %9s %12s %9s %7s\n" test round direct_qps p95_ms tessel_qps p95_ms ratio
for round in $(seq 1 "$ROUNDS"); do
  for t in $TESTS; do
    direct=$(run "$t" "$mport" "$direct_db") || exit 1
    tessel=$(run "$t" "$port" sbtest) || exit 1
    read -r dq dp _ <<<"$direct"
    read -r tq tp te <<<"$tessel"
    ratio=$(awk -v a="$tq" -v b="$dq" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
    printf "%-18s %5s %12s %9s %12s %9s %7s%s\n" "$t" "$round" "$dq" "$dp" "$tq" "$tp" "$ratio" \
      "$([ "${te:-0}" != 0 ] && echo "  ($te errors through Tessel)")"
  done
done
echo "(threads $THREADS, $TIME s per run, $TABLES x $SIZE rows, $SHARDS shard(s), ps-mode $PS_MODE, lock wait ${LOCK_WAIT:-default}, $(nproc) cores shared by sysbench, MariaDB and Tessel)"

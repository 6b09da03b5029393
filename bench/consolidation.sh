#!/usr/bin/env bash
# Query consolidation benchmark: a hot-row read workload (CLIENTS clients sending the same slow query back to
# back) against one vttablet over gRPC, once with the consolidator on and once off, printing for each the
# client-side QPS and how many SELECTs MariaDB executed (its global Com_select counter).
# Starts a private MariaDB and the vttablet daemon (bin/vttablet) itself; the client is
# bench/ConsolidationClient.java, run as a single source file on vttablet's classpath.
# Settings by environment: CLIENTS (64), TIME seconds per run (10), SLEEP seconds of SLEEP() in the query
# (0.05), POOL query pool size (16, Vitess's default).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bin/lib.sh"
select_java
have_mariadbd || { echo "bench: MariaDB is not installed (apt-get install mariadb-server)" >&2; exit 1; }
ensure_built vttablet

CLIENTS=${CLIENTS:-64}; TIME=${TIME:-10}; SLEEP=${SLEEP:-0.05}; POOL=${POOL:-16}
SQL="select id, v, sleep($SLEEP) from hot where id = 1"
dir=$(mktemp -d -t tessel-consolidation-XXXX)
mport=$(( 20000 + RANDOM % 20000 ))
mysql_pid=""; tablet_pid=""
cleanup() {
  [ -n "$tablet_pid" ] && kill "$tablet_pid" 2>/dev/null && wait "$tablet_pid" 2>/dev/null || true
  [ -n "$mysql_pid" ] && kill "$mysql_pid" 2>/dev/null && wait "$mysql_pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
as_root_user=(); [ "$(id -u)" -eq 0 ] && as_root_user=(--user=root)
mariadbd=$(command -v mariadbd || echo /usr/sbin/mariadbd)
mariadb=(mariadb --no-defaults -h 127.0.0.1 -P "$mport" -u root --skip-ssl -N -B)

mariadb-install-db --no-defaults --datadir="$dir/data" --auth-root-authentication-method=normal --skip-test-db \
  --skip-name-resolve --tmpdir="$dir" "${as_root_user[@]}" >"$dir/install.log" 2>&1 \
  || { echo "bench: mariadb-install-db failed:" >&2; tail -20 "$dir/install.log" >&2; exit 1; }
"$mariadbd" --no-defaults --datadir="$dir/data" --socket="$dir/mysqld.sock" --pid-file="$dir/mariadbd.pid" \
  --log-error="$dir/error.log" --tmpdir="$dir" --port="$mport" --bind-address=127.0.0.1 --skip-log-bin \
  --skip-name-resolve --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
  --max-connections=500 --innodb-fast-shutdown=2 "${as_root_user[@]}" &
mysql_pid=$!
for _ in $(seq 1 100); do "${mariadb[@]}" -e "select 1" >/dev/null 2>&1 && break; sleep 0.1; done
"${mariadb[@]}" -e "create database bench; create table bench.hot (id int primary key, v varchar(100));
  insert into bench.hot values (1, 'the hot row'), (2, 'another')"

com_select() { "${mariadb[@]}" -e "show global status like 'Com_select'" | cut -f2; }

run() { # on|off -> writes "queries errors qps selects" to $dir/result-on|off
  local gport=$(( 20000 + RANDOM % 20000 )) log="$dir/vttablet-$1.log"
  "$root/bin/vttablet" --tablet-alias zone1-100 --keyspace bench --mysql-port "$mport" --grpc-port "$gport" --http-port 0 \
    --queryserver-config-pool-size "$POOL" --enable-consolidator="$([ "$1" = on ] && echo true || echo false)" \
    >"$log" 2>&1 &
  tablet_pid=$!
  for _ in $(seq 1 300); do
    grep -qs "gRPC query service listening" "$log" && break
    kill -0 "$tablet_pid" 2>/dev/null || { echo "bench: vttablet died:" >&2; tail -20 "$log" >&2; exit 1; }
    sleep 0.1
  done
  local before after out
  before=$(com_select)
  out=$("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
        -cp "$root/vttablet/target/classes:$(cat "$root/vttablet/target/classpath.txt")" \
        "$root/bench/ConsolidationClient.java" "$gport" "$CLIENTS" "$TIME" "$SQL" 2>"$dir/client.log" \
        | sed -n 's/^RESULT //p') || { echo "bench: client failed:" >&2; tail -20 "$dir/client.log" >&2; exit 1; }
  [ -n "$out" ] || { echo "bench: the client printed no result:" >&2; tail -20 "$dir/client.log" >&2; exit 1; }
  after=$(com_select)
  kill "$tablet_pid"; wait "$tablet_pid" 2>/dev/null || true; tablet_pid=""
  echo "$out $(( after - before ))" >"$dir/result-$1"
}

echo "bench: $CLIENTS clients, '$SQL', $TIME s per run, query pool $POOL, MariaDB :$mport"
printf "\n%-13s %9s %7s %9s %14s %12s %16s\n" consolidator queries errors qps mysql_selects selects_per_s queries_per_select
for mode in on off; do
  run "$mode"
  read -r queries errors qps selects <"$dir/result-$mode"
  printf "%-13s %9s %7s %9s %14s %12s %16s\n" "$mode" "$queries" "$errors" "$qps" "$selects" \
    "$(awk -v s="$selects" -v t="$TIME" 'BEGIN { printf "%.1f", s / t }')" \
    "$(awk -v q="$queries" -v s="$selects" 'BEGIN { printf "%.1f", (s > 0 ? q / s : 0) }')"
done
echo "(mysql_selects: MariaDB's Com_select over the run, including the client's one warm-up query; $(nproc) cores shared by client, vttablet and MariaDB)"

#!/bin/bash
# Creates keyspace $KEYSPACE and its shards $SHARDS (space-separated, e.g. "-80 80-") through vtctld at
# $VTCTLD_SERVER (host:port), waits until every shard has a registered tablet (a tablet's registration
# creates its cell, and the VSchema rebuild only reaches existing cells), then applies $VSCHEMA_FILE and
# rebuilds the serving graph. Safe to run again: existing records are kept. Runs in the vtctld image
# (VTCTL overrides the client, e.g. VTCTL=bin/vtctl outside it).
set -euo pipefail
: "${VTCTLD_SERVER:?}" "${KEYSPACE:?}" "${SHARDS:?}" "${VSCHEMA_FILE:?}"
attempts=${INIT_ATTEMPTS:-150} # 2 s apart: 5 minutes

vtctl() { "${VTCTL:-/opt/tessel/bin/vtctl}" --server "$VTCTLD_SERVER" --action-timeout 30s "$@"; }

# Runs "$@" until it succeeds and its output matches $want (a grep pattern), at most $attempts times.
wait_for() {
  local want=$1 i; shift
  for ((i = 1; i <= attempts; i++)); do
    if out=$("$@" 2>/dev/null) && grep -q -- "$want" <<<"$out"; then return 0; fi
    sleep 2
  done
  echo "init: gave up waiting for: $*" >&2
  return 1
}

echo "init: waiting for vtctld at $VTCTLD_SERVER"
wait_for '' vtctl GetKeyspaces
vtctl CreateKeyspace --force "$KEYSPACE" >/dev/null
for shard in $SHARDS; do
  vtctl CreateShard --force "$KEYSPACE/$shard" >/dev/null
done
for shard in $SHARDS; do
  echo "init: waiting for a tablet of $KEYSPACE/$shard"
  wait_for '"alias"' vtctl GetTablets --keyspace "$KEYSPACE" --shard "$shard"
done
vtctl ApplyVSchema --vschema-file "$VSCHEMA_FILE" "$KEYSPACE" >/dev/null
vtctl RebuildKeyspaceGraph "$KEYSPACE" >/dev/null
vtctl RebuildVSchemaGraph >/dev/null
echo "init: keyspace $KEYSPACE ready with shards $SHARDS"

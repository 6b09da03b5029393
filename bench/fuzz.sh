#!/usr/bin/env bash
# Fuzzes vtgate's protocol targets with Jazzer, one after another, DURATION each (default 10m), and prints
# executions and findings per target. A finding is written by Jazzer into the target's corpus directory
# (vtgate/src/test/resources/<package>/<Class>Inputs/<method>/crash-*), where `mvn test` replays it.
#
# Usage: bench/fuzz.sh [Class#method ...]      (default: every target below)
# Environment:
#   DURATION=10m        fuzzing time per target (Jazzer syntax: 30s, 10m, 1h)
#   EXEC_TIMEOUT=20     seconds one input may take before it counts as a hang
#   SAVE_CORPUS=1       afterwards copy the corpus Jazzer grew (vtgate/.cifuzz-corpus) into the
#                       committed corpus directories, so CI replays it
#   LEAK_LEVEL=paranoid Netty leak detection level (paranoid is the tests' default; simple runs ~4x faster;
#                       every target also checks its own buffers exactly per input)
# Logs: vtgate/target/fuzz/<Class>.<method>.log
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bin/lib.sh"
select_java

duration=${DURATION:-10m}
exec_timeout=${EXEC_TIMEOUT:-20}
leak_level=${LEAK_LEVEL:-paranoid}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(
    io.tessel.vtgate.mysql.PacketFramerFuzzTest#framesAnyByteStream
    io.tessel.vtgate.mysql.HandshakeResponseFuzzTest#survivesAnyHandshakeResponse
    io.tessel.vtgate.mysql.StmtExecuteFuzzTest#decodesAnyExecute
    io.tessel.vtgate.sql.NormalizerFuzzTest#normalizesAnySql
  )
fi
logs="$root/vtgate/target/fuzz"
mkdir -p "$logs"
resources="$root/vtgate/src/test/resources"

inputs_dir() { # Class#method -> the committed corpus directory
  local cls=${1%%#*} method=${1##*#}
  echo "$resources/${cls//.//}Inputs/$method"
}

count_files() { if [ -d "$1" ]; then find "$1" -type f | wc -l; else echo 0; fi; }

# Compiles vtgate and what it needs in the reactor (no install); runs no tests.
echo "fuzz: compiling vtgate (JAVA_HOME=$JAVA_HOME)..." >&2
(cd "$root" && mvn -B -q -o -pl vtgate -am test-compile 2>/dev/null || mvn -B -q -pl vtgate -am test-compile) >&2

status=0
summary=()
for t in "${targets[@]}"; do
  cls=${t%%#*}
  method=${t##*#}
  short=${cls##*.}
  log="$logs/$short.$method.log"
  dir=$(inputs_dir "$t")
  mkdir -p "$dir"
  before=$(find "$dir" -type f -name 'crash-*' -o -type f -name 'timeout-*' | sort)
  echo "fuzz: $short#$method for $duration (log: $log)" >&2
  start=$(date +%s)
  set +e
  # The surefire run includes the upstream modules' test phases (no tests match there).
  (cd "$root" && JAZZER_FUZZ=1 mvn -B -o -pl vtgate -am test \
      -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.max_duration="$duration" \
      -Djunit.jupiter.execution.timeout.testtemplate.method.default="${exec_timeout}s" \
      -Djunit.jupiter.execution.timeout.mode=disabled \
      "-Dsurefire.argLine=-Dio.netty.leakDetection.level=$leak_level --enable-native-access=ALL-UNNAMED -XX:+EnableDynamicAgentLoading" \
      ) > "$log" 2>&1
  rc=$?
  set -e
  secs=$(( $(date +%s) - start ))
  runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' "$log" | tail -1)
  cov=$(sed -n 's/^#[0-9]*[[:space:]]*DONE.*\(cov: [0-9]*\).*\(corp: [0-9]*\).*/\1, \2/p' "$log" | tail -1)
  after=$(find "$dir" -type f -name 'crash-*' -o -type f -name 'timeout-*' | sort)
  new=$(comm -13 <(echo "$before") <(echo "$after") | grep -c . || true)
  result="ok"
  if [ "$rc" -ne 0 ] || [ "$new" -gt 0 ]; then
    result="FINDING ($new new input(s) in $dir; see $log)"
    status=1
  fi
  if [ -z "$runs" ]; then
    runs="no fuzzing stats (see $log)"
    status=1
  fi
  corpus="$root/vtgate/.cifuzz-corpus/$cls/$method"
  if [ "${SAVE_CORPUS:-}" = 1 ] && [ -d "$corpus" ]; then
    cp -n "$corpus"/* "$dir"/ 2>/dev/null || true
  fi
  summary+=("$short#$method: $runs, $cov, wall ${secs}s, grown corpus $(count_files "$corpus") files: $result")
done

echo
echo "fuzz summary (DURATION=$duration each, leak detection $leak_level):"
printf '  %s\n' "${summary[@]}"
exit $status

#!/usr/bin/env bash
# JMH micro-benchmarks of vtgate's query front end (bench/jmh, io.tessel.bench.PlannerBenchmark):
# cached_* = normalize + plan-cache hit, full_* = normalize + parse + plan. Builds bench/jmh/target/
# benchmarks.jar when it is missing or a source or pom is newer, runs it and prints a short table.
# Arguments go to JMH as they are, e.g. bench/jmh.sh cached_ -i 10, or bench/jmh.sh -h for JMH's help.
# The GC profiler (allocation per op) is on unless the arguments name a profiler or GC_PROF=0.
# Forks, warm-up and measurement default to the benchmark's annotations (1 fork, 3x1 s, 5x1 s).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bin/lib.sh"
select_java

jar="$root/bench/jmh/target/benchmarks.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root" -path "$root/*/target" -prune -o \
     \( -path '*/src/main/*' -o -name pom.xml \) -newer "$jar" -print -quit)" ]; then
  echo "bench/jmh: building benchmarks.jar (first use or sources changed)..." >&2
  (cd "$root" && mvn -q -B -Pjmh -pl bench/jmh -am package -Dmaven.test.skip=true) >&2
fi

args=("$@")
if [ "${GC_PROF:-1}" != 0 ] && [[ " $* " != *" -prof "* ]]; then args+=(-prof gc); fi
csv="$root/bench/jmh/target/jmh-result.csv"
rm -f "$csv"
echo "bench/jmh: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), java $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)" >&2
"$JAVA_HOME/bin/java" -jar "$jar" -rf csv -rff "$csv" "${args[@]}"

[ -s "$csv" ] || exit 0
# Rows: "class.method","Mode",threads,samples,score,error,"unit"; secondary metrics are "class.method:metric".
echo
awk -F, '
  { gsub(/"/, "") }
  NR == 1 { next }
  {
    split($1, part, ":"); sub(/^.*\./, "", part[1])
    if (part[2] == "") { order[++n] = part[1]; score[part[1]] = $5; err[part[1]] = $6; unit[part[1]] = $7 }
    else if (part[2] == "gc.alloc.rate.norm") { alloc[part[1]] = $5 }
  }
  END {
    printf "%-26s %12s %10s %-6s %10s\n", "benchmark", "score", "error", "unit", "alloc B/op"
    for (i = 1; i <= n; i++) {
      b = order[i]
      e = (err[b] ~ /^[0-9.]+$/) ? sprintf("%.1f", err[b]) : "-"
      printf "%-26s %12.1f %10s %-6s %10s\n", b, score[b], e, unit[b], (b in alloc) ? sprintf("%.0f", alloc[b]) : "-"
    }
  }' "$csv"
echo "(full results: $csv)"

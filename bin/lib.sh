# Shared by the bin/ scripts: picks a JDK 21+ and says plainly when there is none.
# Order: $JAVA_HOME when it is 21+, else the newest JDK 21+ under /usr/lib/jvm, else `java` on PATH if 21+.

java_major() { # prints the major version of the JDK at $1, or 0
  local v=""
  if [ -f "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
  fi
  if [ -z "$v" ] && [ -x "$1/bin/java" ]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
  fi
  echo "${v:-0}"
}

select_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ]; then
    export JAVA_HOME; return 0
  fi
  local best="" best_major=0 d m
  for d in /usr/lib/jvm/*/; do
    d=${d%/}
    [ -x "$d/bin/javac" ] || continue
    m=$(java_major "$d")
    if [ "$m" -ge 21 ] && [ "$m" -gt "$best_major" ]; then best=$d; best_major=$m; fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    d=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if [ "$(java_major "$d")" -ge 21 ]; then best=$d; fi
  fi
  if [ -z "$best" ]; then
    echo "error: Tessel needs a JDK 21 or newer and none was found (JAVA_HOME=${JAVA_HOME:-unset}; looked in /usr/lib/jvm and PATH)." >&2
    echo "       Install one, e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+, or point JAVA_HOME at it." >&2
    exit 1
  fi
  export JAVA_HOME=$best
}

have_mariadbd() { command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; }

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Builds <module> (and what it needs) when it was never built or a source or pom is newer than its stamp.
# TESSEL_SKIP_BUILD=1 skips the check, e.g. in tests that run the scripts right after `mvn verify`.
# An optional Maven profile selects extra dependencies (vtcombo's embedded-mariadb).
ensure_built() {
  local module=$1 profile=${2:-}
  local stamp="$root/$module/target/.built${profile:+-$profile}"
  [ "${TESSEL_SKIP_BUILD:-}" = 1 ] && [ -f "$root/$module/target/classpath.txt" ] && return 0
  if [ ! -f "$stamp" ] || [ ! -f "$root/$module/target/classpath.txt" ] \
     || [ -n "$(find "$root" -path "$root/*/target" -prune -o \( -path '*/src/main/*' -o -name pom.xml \) -newer "$stamp" -print -quit)" ]; then
    echo "$module: building (first use or sources changed)..." >&2
    (cd "$root" && mvn -q -B -DskipTests ${profile:+-P$profile} -pl "$module" -am install) >&2
    rm -f "$root/$module"/target/.built*
    touch "$stamp"
  fi
}

# Runs a main class of <module> with its runtime classpath: run_main <module> <class> [jvm options] -- [args]
run_main() {
  local module=$1 class=$2; shift 2
  local jvm=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do jvm+=("$1"); shift; done
  [ "${1:-}" = "--" ] && shift
  exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "${jvm[@]}" \
    -cp "$root/$module/target/classes:$(cat "$root/$module/target/classpath.txt")" "$class" "$@"
}

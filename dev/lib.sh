# shellcheck shell=bash
# Helpers shared by dev/stack and dev/test. Sourced, never executed, so it sets
# no shell options of its own: the caller decides (both use `set -euo pipefail`).

# Resolve from this file rather than $PWD so the scripts work from any cwd,
# including a CI clone whose location we don't know in advance.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STACK_DIR="$ROOT/.stack"
LOG_DIR="$STACK_DIR/logs"
export ROOT STACK_DIR LOG_DIR

# CI has no stdin: any debconf prompt would hang the run.
export DEBIAN_FRONTEND=noninteractive

# JVM options of every service JVM that dev/run and bench/ledger/run start. A 512 MB heap cap (the
# JVM's default would be a quarter of the machine's RAM); the serial collector, which the JVM
# picks by itself in the deploy/ containers (1 CPU, < 1792 MB) and which has next to no memory of
# its own (G1: ~35 MB). The serial collector resizes its generations only in a full collection,
# and its only full collections were housekeeping: metaspace passing its first thresholds during
# the start (MetaspaceSize: a Quarkus service needs ~90 MB) and code-cache unloading every 15 % of
# new compiled code under load (SweeperThreshold). Without them, the generations keep their
# initial sizes for good: a 48 MB heap with a 24 MB young generation (smaller means more young
# collections; -Xms below -Xmn makes the JVM refuse the AOT cache's heap objects). glibc's heap
# trimmed every 5 s, which hands back the ~30 MB of native memory the start's compilers and class
# loading freed; on JDK 25, compact object headers (JEP 519: 4 bytes less per object), added by
# pick_java. bench/RESULTS.md (causes of missed goals) has what these change.
SERVICE_JAVA_OPTS_DEFAULT="-Xmx512m -Xms48m -Xmn24m -XX:+UseSerialGC -XX:MetaspaceSize=128m"
SERVICE_JAVA_OPTS_DEFAULT+=" -XX:SweeperThreshold=50 -XX:TrimNativeHeapInterval=5000"
SERVICE_JAVA_OPTS=${SERVICE_JAVA_OPTS:-$SERVICE_JAVA_OPTS_DEFAULT}
# glibc's per-thread malloc arenas (up to 8 per CPU) keep freed native memory resident; two are
# plenty for a Vert.x service. Passed to the service JVMs only.
SERVICE_MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}

log() { printf '[stack] %s\n' "$*" >&2; }
die() { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

# Major version of a JDK home: `release` is cheap to read; running java is the
# fallback for JDKs that don't ship it. Prints nothing if it can't tell.
java_major() {
  local home=$1 v=""
  [[ -x "$home/bin/java" ]] || return 0
  if [[ -r "$home/release" ]]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  fi
  if [[ -z "$v" ]]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)
  fi
  [[ -n "$v" ]] || return 0
  v=${v#1.}  # 1.8.0_x style
  printf '%s\n' "${v%%[.+_-]*}"
}

# The machine's default `java` is 17, but the project needs >= 21. Prefer the
# Temurin 25 the project targets, then an already-chosen JAVA_HOME, then the
# newest JDK under /usr/lib/jvm.
pick_java() {
  local preferred=/usr/lib/jvm/temurin-25-jdk-amd64 best="" best_v=0 home v
  v=$(java_major "$preferred")
  if [[ -n "$v" && "$v" -ge 21 ]]; then
    best=$preferred
  else
    if [[ -n "${JAVA_HOME:-}" ]]; then
      v=$(java_major "$JAVA_HOME")
      if [[ -n "$v" && "$v" -ge 21 ]]; then best=$JAVA_HOME; best_v=$v; fi
    fi
    if [[ -z "$best" ]]; then
      for home in /usr/lib/jvm/*; do
        [[ -d "$home" && ! -L "$home" ]] || continue
        v=$(java_major "$home")
        if [[ -n "$v" && "$v" -ge 21 && "$v" -gt "$best_v" ]]; then best=$home; best_v=$v; fi
      done
    fi
  fi
  [[ -n "$best" ]] || die "no JDK >= 21 found (looked at $preferred, \$JAVA_HOME and /usr/lib/jvm/*); install Temurin 25 at $preferred"
  export JAVA_HOME=$best
  if [[ "$SERVICE_JAVA_OPTS" == "$SERVICE_JAVA_OPTS_DEFAULT" ]] && (($(java_major "$best") >= 25)); then
    SERVICE_JAVA_OPTS+=" -XX:+UseCompactObjectHeaders"
  fi
  # mvn and mvnw pick the JDK from JAVA_HOME, but plain `java` calls use PATH.
  case ":$PATH:" in
    *":$JAVA_HOME/bin:"*) ;;
    *) export PATH="$JAVA_HOME/bin:$PATH" ;;
  esac
}

# Pure bash so a fresh machine needs neither nc nor ss. Returns 1 on timeout.
wait_for_port() {
  local host=$1 port=$2 timeout_s=$3 deadline
  deadline=$((SECONDS + timeout_s))
  while ((SECONDS < deadline)); do
    if port_open "$host" "$port"; then return 0; fi
    sleep 0.5
  done
  return 1
}

port_open() {
  # shellcheck disable=SC2016 # expanded by the inner bash, on purpose
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# apt-get update is slow and mostly unnecessary on a machine image with fresh
# lists, so only pay for it when the plain install fails.
apt_install() {
  [[ $EUID -eq 0 ]] || die "need root to apt-get install $*"
  mkdir -p "$LOG_DIR"
  log "installing $* with apt-get (output in $LOG_DIR/apt.log)"
  if ! apt-get install -y --no-install-recommends "$@" >>"$LOG_DIR/apt.log" 2>&1; then
    log "apt-get install failed; running apt-get update and retrying"
    if ! { apt-get update && apt-get install -y --no-install-recommends "$@"; } >>"$LOG_DIR/apt.log" 2>&1; then
      tail -n 30 "$LOG_DIR/apt.log" >&2
      die "apt-get install $* failed"
    fi
  fi
}

# Sets the MVN array (read by the caller): the project's wrapper pins the Maven version, so it wins
# over whatever mvn the machine happens to have.
# shellcheck disable=SC2034
pick_maven() {
  if [[ -x "$ROOT/mvnw" ]]; then
    MVN=("$ROOT/mvnw")
  elif command -v mvn >/dev/null 2>&1; then
    MVN=(mvn)
  else
    apt_install maven
    MVN=(mvn)
  fi
}

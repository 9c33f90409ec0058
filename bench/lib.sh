# shellcheck shell=bash
# Sourced by bench/run and bench/ledger/run: waiting for a quiet machine before a measurement.

CLK_TCK=$(getconf CLK_TCK)

# CPU ticks the whole machine has spent busy (user, nice, system, irq, softirq, steal).
busy_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }

# wait_quiet MAX_CPUS MAX_WAIT_S: returns once the machine used at most MAX_CPUS CPUs over 3 s,
# or after MAX_WAIT_S; prints "BUSY WAITED_S" (the last 3 s, and how long it waited).
wait_quiet() {
  local start=$SECONDS b0 b1 busy
  while :; do
    b0=$(busy_ticks)
    sleep 3
    b1=$(busy_ticks)
    busy=$(awk -v d=$((b1 - b0)) -v t="$CLK_TCK" 'BEGIN {printf "%.2f", d / t / 3}')
    awk -v b="$busy" -v q="$1" 'BEGIN {exit !(b <= q)}' && break
    ((SECONDS - start < $2)) || break
  done
  printf '%s %s\n' "$busy" "$((SECONDS - start))"
}

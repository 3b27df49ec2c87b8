#!/usr/bin/env bash
# Throughput of the fuzz targets: each fuzzed for 60 s from its committed seeds alone (fresh scratch corpus),
# one job, the campaign's limits and dictionary. Prints executions, libFuzzer's wall-clock rate, and the
# rate per CPU-second of the process (user + system time), which is the rate on one dedicated core even
# when the machine is shared.
#
# Usage: Fuzz/measure.sh [--debug] [--seconds S] [TARGET...]     (default: release, 60 s, every target)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
export SWIFT_BACKTRACE=enable=no
configuration=--release seconds=60 targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --debug) configuration=--debug; shift ;;
    --seconds) seconds="$2"; shift 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ "${#targets[@]}" -gt 0 ] || targets=(FuzzJSON FuzzZip FuzzHDF5 FuzzConfig FuzzKerasFile FuzzStructured)
mapfile -t binaries < <("$here/build.sh" "$configuration" "${targets[@]}")
printf '| target | build | executions | per second (wall) | CPU seconds | per CPU-second | edges | load |\n|---|---|---|---|---|---|---|---|\n'
for binary in "${binaries[@]}"; do
  target="$(basename "$binary")"
  work="$(mktemp -d)"
  TIMEFORMAT='%U %S'
  dict=(); [ -f "$here/$target.dict" ] && dict=(-dict="$here/$target.dict")
  { time "$binary" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536 -print_final_stats=1 \
      "${dict[@]}" -artifact_prefix="$work/" "$work" "$root/Corpus/fuzz/$target" >"$work/log" 2>&1 ; } 2>"$work/time" || true
  read -r user system <"$work/time"
  executions="$(awk '/stat::number_of_executed_units/ {print $2}' "$work/log")"
  rate="$(awk '/stat::average_exec_per_sec/ {print $2}' "$work/log")"
  cpu="$(awk -v u="$user" -v s="$system" 'BEGIN {printf "%.1f", u + s}')"
  per_cpu="$(awk -v e="$executions" -v c="$cpu" 'BEGIN {printf "%d", e / c}')"
  edges="$(grep -oE 'cov: [0-9]+' "$work/log" | tail -n 1 | cut -d' ' -f2)"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$target" "${configuration#--}" "$executions" "$rate" "$cpu" "$per_cpu" \
    "$edges" "$(cut -d' ' -f1 /proc/loadavg)"
  rm -rf "$work"
done

#!/usr/bin/env bash
# Runs a fuzzing campaign on one target and appends its report to Reports/fuzz/<TARGET>-<date>.md.
#
# Usage: Fuzz/run.sh TARGET [--minutes M] [--jobs J] [--debug] [--no-build]
#   --minutes M   wall-clock length (default 10); --jobs J   parallel libFuzzer jobs (default 1)
#   --debug       fuzz the debug build (default: release; both have ASan and Swift's overflow traps)
#   --no-build    use the binary built last
# Corpora: Fuzz/corpus-TARGET/ (scratch, ignored by git) FIRST, so new inputs land there, then the
# committed seeds Corpus/fuzz/TARGET/. Limits: -rss_limit_mb=2048 (also the largest single malloc),
# -timeout=10 s per input, -max_len=65536. Dictionary: Fuzz/TARGET.dict when there is one. Crash, timeout
# and OOM inputs go to Fuzz/artifacts/TARGET/ (ignored); each is minimised into
# Fuzz/FailCases/TARGET-<kind>-<hash>, to be renamed after its symptom when it is fixed. FUZZ_PACKAGE
# overrides the package directory.
set -euo pipefail
# The whole script is one block that ends in `exit`: bash reads a script as it runs it, so an edit to this
# file during an hour-long campaign would otherwise break the run before its report is written.
{
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
export SWIFT_BACKTRACE=enable=no   # a lingering backtracer would hold stdout open after a crash

target="${1:-}"
case "$target" in
  FuzzZip|FuzzHDF5|FuzzJSON|FuzzConfig|FuzzKerasFile|FuzzStructured) shift ;;
  *) echo "usage: Fuzz/run.sh FuzzZip|FuzzHDF5|FuzzJSON|FuzzConfig|FuzzKerasFile|FuzzStructured [--minutes M] [--jobs J] [--debug] [--no-build]" >&2; exit 2 ;;
esac
minutes=10 jobs=1 configuration=--release build=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --debug) configuration=--debug; shift ;;
    --no-build) build=no; shift ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

if [ "$build" = yes ]; then
  binary="$("$here/build.sh" "$configuration" "$target")"
else
  package="${FUZZ_PACKAGE:-$here}"
  [ "$configuration" = --release ] && c=release || c=debug
  binary="$(swift build --package-path "$package" -c "$c" --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address --show-bin-path)/$target"
fi
scratch="$here/corpus-$target"
seeds="$root/Corpus/fuzz/$target"
artifacts="$here/artifacts/$target"
logs="$artifacts/logs"
mkdir -p "$scratch" "$artifacts" "$logs" "$root/Reports/fuzz" "$here/FailCases"
seconds=$((minutes * 60))
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
stamp="$(date -u +%Y%m%d-%H%M%S)"
flags=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536 -print_final_stats=1
       -artifact_prefix="$artifacts/")
[ -f "$here/$target.dict" ] && flags+=(-dict="$here/$target.dict")   # FuzzStructured's input is choices: no tokens
log="$logs/$stamp.log"
list_artifacts() { ls "$artifacts" | grep -E '^(crash|timeout|oom|leak)-' | sort || true; }
before="$(list_artifacts)"
interrupted=""
trap 'interrupted=yes' INT TERM HUP   # libFuzzer gets the signal too, stops and prints its stats; the report is still written
TIMEFORMAT='%U %S'   # CPU seconds of libFuzzer and every job it waits for: the machine may be shared
if [ "$jobs" -gt 1 ]; then
  { time (cd "$logs" && "$binary" "${flags[@]}" -jobs="$jobs" -workers="$jobs" "$scratch" "$seeds" >"$log" 2>&1) ; } 2>"$log.time" || true
  cat "$logs"/fuzz-*.log >>"$log" 2>/dev/null && rm -f "$logs"/fuzz-*.log
else
  { time "$binary" "${flags[@]}" "$scratch" "$seeds" >"$log" 2>&1 ; } 2>"$log.time" || true
fi
cpu="$(awk '{printf "%d", $1 + $2}' "$log.time")"
[ -n "$cpu" ] || cpu=unknown
finished="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
elapsed=$(( $(date -u -d "$finished" +%s) - $(date -u -d "$started" +%s) ))

# Totals from -print_final_stats (one block per job) and the last status line of each job.
execs="$(awk '/stat::number_of_executed_units/ {s += $2} END {print s + 0}' "$log")"
rate="$(awk '/stat::average_exec_per_sec/ {s += $2} END {print s + 0}' "$log")"
peak="$(awk '/stat::peak_rss_mb/ {if ($2 > m) m = $2} END {print m + 0}' "$log")"
edges="$({ grep -oE 'cov: [0-9]+' "$log" || true; } | awk '{if ($2 > m) m = $2} END {print m + 0}')"
features="$({ grep -oE 'ft: [0-9]+' "$log" || true; } | awk '{if ($2 > m) m = $2} END {print m + 0}')"
corpus="$(find "$scratch" -type f | wc -l)"
corpus_bytes="$(find "$scratch" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')"
seed_count="$(find "$seeds" -type f | wc -l)"

findings=()
for artifact in $(comm -13 <(echo "$before") <(list_artifacts)); do
  kind="${artifact%%-*}"
  hash="${artifact#*-}"
  name="$target-$kind-${hash:0:8}"
  minimised="$here/FailCases/$name"
  "$binary" -minimize_crash=1 -runs=20000 -timeout=10 -rss_limit_mb=2048 -exact_artifact_path="$minimised" \
    "$artifacts/$artifact" >"$logs/minimise-$artifact.log" 2>&1 || true
  [ -s "$minimised" ] || cp "$artifacts/$artifact" "$minimised"
  symptom="$( ("$binary" -runs=1 -timeout=10 -rss_limit_mb=2048 "$minimised" 2>&1 || true) \
    | grep -m1 -E 'Fatal error|ERROR: (AddressSanitizer|libFuzzer)|SUMMARY' | cut -c1-240 || true)"
  findings+=("| \`Fuzz/FailCases/$name\` | $kind | $(wc -c <"$minimised") bytes | ${symptom//|/\\|} |")
done

report="$root/Reports/fuzz/$target-$(date -u +%Y-%m-%d).md"
if [ ! -f "$report" ]; then
  printf '# %s campaigns, %s\n\nWritten by `Fuzz/run.sh`; one section per run.\n' "$target" "$(date -u +%Y-%m-%d)" >"$report"
fi
{
  printf '\n## Run started %s\n\n' "$started"
  printf '| | |\n|---|---|\n'
  printf '| command | `%sFuzz/run.sh %s --minutes %s --jobs %s %s%s` (niceness %s) |\n' "${FUZZ_PACKAGE:+FUZZ_PACKAGE=$FUZZ_PACKAGE }" \
    "$target" "$minutes" "$jobs" "$configuration" "$([ "$build" = yes ] || echo ' --no-build')" "$(nice)"
  printf '| libFuzzer flags | `%s` |\n' "${flags[*]//$root\//}"
  printf '| build | %s, ASan + libFuzzer |\n' "${configuration#--}"
  printf '| machine | %s cores, %s |\n' "$(nproc)" "$(uname -sr)"
  printf '| duration | %s s wall, %s CPU-s (user + system), %s job(s), load average %s |\n' "$elapsed" "$cpu" "$jobs" "$(cut -d' ' -f1 /proc/loadavg)"
  printf '| executions | %s |\n' "$execs"
  printf '| executions per second | %s |\n' "$rate"
  printf '| edges (cov) | %s |\n' "$edges"
  printf '| features (ft) | %s |\n' "$features"
  printf '| corpus | %s inputs, %s bytes (plus %s committed seeds) |\n' "$corpus" "$corpus_bytes" "$seed_count"
  printf '| peak RSS | %s MB |\n' "$peak"
  printf '| findings | %s |\n' "${#findings[@]}"
  [ -z "$interrupted" ] || printf '| stopped | by a signal before the set time |\n'
  if [ "${#findings[@]}" -gt 0 ]; then
    printf '\n| FailCases | kind | size | first line |\n|---|---|---|---|\n'
    printf '%s\n' "${findings[@]}"
  fi
} >>"$report"
echo "report: $report"
tail -n 20 "$report"
[ "${#findings[@]}" -eq 0 ]
exit
}

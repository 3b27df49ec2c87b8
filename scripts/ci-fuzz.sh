#!/usr/bin/env bash
# The fuzzing job of CI (called by .ci/run after `make test`): builds every fuzz target with ASan and
# libFuzzer in debug (Fuzz/.build-debug) and in release (Fuzz/.build) side by side (a release build
# spends long stretches on one core, optimising one module at a time), each build shared by all
# targets (Fuzz/build.sh). Then, for each binary of each build:
#   - proves it really fuzzes: a short run from the committed seeds must print coverage lines and
#     "Done N runs" (a binary built without the sanitizer flags runs nothing and exits 0);
#   - replays every Fuzz/FailCases input (any target's: they are bytes to every harness);
#   - release only: fuzzes SECONDS from the seeds, with the target's dictionary when it has one.
# Any crash, leak, timeout, out-of-memory or broken property fails. Timings: Reports/fuzz/ci-2026-11-22.md.
# Campaigns are Fuzz/run.sh's business.
#
# Usage: scripts/ci-fuzz.sh [SECONDS_PER_TARGET]     (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no   # a lingering backtracer would hold stdout open after a crash
seconds="${1:-10}"
work="$(mktemp -d)"
release_pid=""
trap '[ -z "$release_pid" ] || kill "$release_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
limits=(-rss_limit_mb=2048 -timeout=25 -max_len=65536)
failcases=()
while IFS= read -r -d '' file; do failcases+=("$file"); done \
  < <(find Fuzz/FailCases -type f ! -name README.md ! -name '.*' -print0 | sort -z)
# Runs of the proof: enough to pass the seeds and mutate. FuzzStructured generates, saves, loads and runs a
# model per input (about 10 inputs per second in a debug build with ASan); the others take milliseconds.
proof_runs() { case "$1" in FuzzStructured) echo 40 ;; *) echo 500 ;; esac; }
status=0
started=$SECONDS

# Checks the binaries given after the configuration; returns 1 when any check fails.
check() {
  local configuration="$1" binary target log runs common dict status=0
  shift
  for binary in "$@"; do
    target="$(basename "$binary")"
    log="$work/$target-$configuration.log"
    mkdir -p "$work/corpus-$target-$configuration" "$work/artifacts-$target-$configuration"
    common=("${limits[@]}" -artifact_prefix="$work/artifacts-$target-$configuration/")

    runs="$(proof_runs "$target")"
    if ! "$binary" "${common[@]}" -runs="$runs" -seed=1 "$work/corpus-$target-$configuration" "Corpus/fuzz/$target" >"$log" 2>&1 \
       || ! grep -q 'cov: ' "$log" || ! grep -q "Done $runs runs" "$log"; then
      echo "FAIL $target ($configuration): no coverage feedback or the short run failed"; tail -n 30 "$log"; status=1; continue
    fi
    echo "ok   $target ($configuration) fuzzes: $(grep -oE 'cov: [0-9]+' "$log" | tail -n 1), $runs runs"

    if [ "${#failcases[@]}" -gt 0 ]; then
      if ! "$binary" "${common[@]}" "${failcases[@]}" >"$log" 2>&1; then
        echo "FAIL $target ($configuration): a FailCases input crashes"; grep -E 'Running:|ERROR|Fatal error|SUMMARY' "$log" | tail -n 20
        status=1
      else
        echo "ok   $target ($configuration) replays ${#failcases[@]} FailCases inputs"
      fi
    fi

    if [ "$configuration" = release ] && [ "$seconds" -gt 0 ]; then
      dict=(); [ -f "Fuzz/$target.dict" ] && dict=(-dict="Fuzz/$target.dict")
      if ! "$binary" "${common[@]}" -max_total_time="$seconds" "${dict[@]}" -print_final_stats=1 \
           "$work/corpus-$target-$configuration" "Corpus/fuzz/$target" >"$log" 2>&1; then
        echo "FAIL $target: a finding in $seconds s of fuzzing"; grep -E 'ERROR|Fatal error|SUMMARY|Test unit written' "$log" | head -n 20
        status=1
      else
        echo "ok   $target fuzzed $seconds s: $(awk '/stat::number_of_executed_units/ {print $2}' "$log") runs, $(grep -oE 'cov: [0-9]+' "$log" | tail -n 1)"
      fi
    fi
  done
  return $status
}

echo "== building the fuzz targets (debug and release side by side)"
( if FUZZ_SCRATCH="$PWD/Fuzz/.build" Fuzz/build.sh --release >"$work/release.paths" 2>"$work/release.log"
  then echo "0 $SECONDS"; else echo "1 $SECONDS"; fi >"$work/release.done" ) &
release_pid=$!
if ! FUZZ_SCRATCH="$PWD/Fuzz/.build-debug" Fuzz/build.sh >"$work/debug.paths"; then
  echo "FAIL building the fuzz targets (debug)"; exit 1
fi
echo "   debug built in $((SECONDS - started)) s"
mapfile -t binaries <"$work/debug.paths"
check debug "${binaries[@]}" || status=1
wait "$release_pid" || true
release_pid=""
read -r built at <"$work/release.done" || built=1
if [ "$built" != 0 ]; then echo "FAIL building the fuzz targets (release)"; tail -n 40 "$work/release.log"; exit 1; fi
echo "   release built in $((at - started)) s"
# Two lanes, one per core: every other target each.
mapfile -t binaries <"$work/release.paths"
lanes=("" "")
for index in "${!binaries[@]}"; do lanes[index % 2]+="${binaries[index]}"$'\n'; done
mapfile -t first < <(printf '%s' "${lanes[0]}")
mapfile -t second < <(printf '%s' "${lanes[1]}")
check release "${first[@]}" >"$work/lane-1.out" 2>&1 &
lane=$!
check release "${second[@]}" >"$work/lane-2.out" 2>&1 || status=1
wait "$lane" || status=1
cat "$work/lane-1.out" "$work/lane-2.out"
echo "== fuzz job: $((SECONDS - started)) s, status $status"
exit $status

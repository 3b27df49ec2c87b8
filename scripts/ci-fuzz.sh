#!/usr/bin/env bash
# The fuzzing job of CI (called by .ci/run): builds every fuzz target in debug and release with ASan and
# libFuzzer, proves each binary really fuzzes (a short run must print coverage lines and "Done N runs";
# a binary built without the sanitizer flags runs nothing and exits 0), fuzzes each for a short bounded
# time from the committed seeds, and replays every Fuzz/FailCases input through every binary of both
# builds. Any crash, leak, timeout or out-of-memory fails. About 8 minutes on 2 cores from a cold build.
#
# Usage: scripts/ci-fuzz.sh [SECONDS_PER_TARGET]     (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no   # a lingering backtracer would hold stdout open after a crash
seconds="${1:-20}"
targets=(FuzzZip FuzzHDF5 FuzzJSON FuzzConfig FuzzKerasFile)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
limits=(-rss_limit_mb=2048 -timeout=25 -max_len=65536)
failcases=()
while IFS= read -r -d '' file; do failcases+=("$file"); done \
  < <(find Fuzz/FailCases -type f ! -name README.md ! -name '.*' -print0 | sort -z)
status=0

for configuration in debug release; do
  echo "== building the fuzz targets ($configuration)"
  flag=(); [ "$configuration" = release ] && flag=(--release)
  if ! paths="$(Fuzz/build.sh "${flag[@]}")"; then echo "FAIL building the fuzz targets ($configuration)"; exit 1; fi
  mapfile -t binaries <<<"$paths"
  for binary in "${binaries[@]}"; do
    target="$(basename "$binary")"
    log="$work/$target-$configuration.log"
    mkdir -p "$work/corpus-$target-$configuration" "$work/artifacts-$target-$configuration"
    common=("${limits[@]}" -artifact_prefix="$work/artifacts-$target-$configuration/")

    runs=2000
    if ! "$binary" "${common[@]}" -runs=$runs -seed=1 "$work/corpus-$target-$configuration" "Corpus/fuzz/$target" >"$log" 2>&1 \
       || ! grep -q 'cov: ' "$log" || ! grep -q "Done $runs runs" "$log"; then
      echo "FAIL $target ($configuration): no coverage feedback or the short run failed"; tail -n 30 "$log"; status=1; continue
    fi
    echo "ok   $target ($configuration) fuzzes: $(grep -oE 'cov: [0-9]+' "$log" | tail -n 1)"

    if [ "$configuration" = release ]; then
      if ! "$binary" "${common[@]}" -max_total_time="$seconds" -dict="Fuzz/$target.dict" \
           "$work/corpus-$target-$configuration" "Corpus/fuzz/$target" >"$log" 2>&1; then
        echo "FAIL $target: a finding in $seconds s of fuzzing"; grep -E 'ERROR|Fatal error|SUMMARY|Test unit written' "$log" | head -n 20
        status=1
      else
        echo "ok   $target fuzzed $seconds s: $(grep -E '^#[0-9]+' "$log" | tail -n 1 | cut -c1-120)"
      fi
    fi

    if [ "${#failcases[@]}" -gt 0 ]; then
      if ! "$binary" "${common[@]}" "${failcases[@]}" >"$log" 2>&1; then
        echo "FAIL $target ($configuration): a FailCases input crashes"; grep -E 'Running:|ERROR|Fatal error|SUMMARY' "$log" | tail -n 20
        status=1
      else
        echo "ok   $target ($configuration) replays ${#failcases[@]} FailCases inputs"
      fi
    fi
  done
done
exit $status

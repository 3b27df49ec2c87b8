#!/usr/bin/env bash
# The main job on the shipped corpus: every golden file made by real Keras must pass `kconform check`,
# every invalid sample must fail it with exactly the rule its expected.json names, and `inspect` shows
# what a few golden files hold. Exits non-zero when any verdict differs from the expected one.
set -uo pipefail
kconform="${1:-.build/release/kconform}"
cd "$(dirname "$0")/.."
status=0

echo "== kconform check Corpus/golden (every file made by Keras 3.15.1 must pass)"
if "$kconform" check Corpus/golden; then
  echo "-- golden corpus: all passed"
else
  echo "-- golden corpus: FAILED"; status=1
fi

for kind in zip hdf5 json; do
  dir="Corpus/invalid/$kind"
  [ -f "$dir/expected.json" ] || continue
  echo
  echo "== kconform check $dir (every sample must fail with its expected rule)"
  # expected.json maps a file name to the rule id it must produce, either directly ("f.zip": "KC-ZIP-001")
  # or as {"samples": {"f.h5": {"code": ..., "rule": "KC-H5-006"}}}.
  while IFS=$'\t' read -r name rule; do
    output=$("$kconform" check --format json "$dir/$name" 2>&1)
    code=$?
    if [ "$code" -eq 1 ] && grep -q "\"ruleId\": \"$rule\"" <<<"$output"; then
      printf '  ok    %-40s %s\n' "$name" "$rule"
    else
      printf '  WRONG %-40s expected %s, exit %s\n' "$name" "$rule" "$code"; status=1
    fi
  done < <(awk '
    match($0, /^ *"[^"]+": *"KC-[A-Z0-9]+-[0-9]+"/) {
      split($0, q, "\""); if (q[2] == "rule") print current "\t" q[4]; else print q[2] "\t" q[4]; next }
    match($0, /^ *"[^"]+": *\{/) { split($0, q, "\""); current = q[2] }
  ' "$dir/expected.json")
done

echo
for file in Corpus/golden/*.keras; do
  [ -e "$file" ] || continue
  echo "== kconform inspect $file"
  "$kconform" inspect "$file" | head -n 40
  break
done
legacy=Corpus/golden/legacy_mlp.h5
if [ -f "$legacy" ]; then
  echo "== kconform inspect $legacy"
  "$kconform" inspect "$legacy" | head -n 30
fi
echo
report_dir="$(mktemp -d)"
echo "== kconform conform --corpus Corpus/golden --generated 100 --seed 1 --report $report_dir"
if ! "$kconform" conform --corpus Corpus/golden --generated 100 --seed 1 --report "$report_dir"; then
  echo "  WRONG conformance run ($report_dir/conformance.md)"; status=1
fi
echo
if [ "$status" -eq 0 ]; then echo "demo: every verdict as expected"; else echo "demo: some verdicts differ (see above)"; fi
exit "$status"

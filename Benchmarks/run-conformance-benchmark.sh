#!/usr/bin/env bash
# Generated-model round trips per second (issue 4): kconform's round-trip property (save, load, predict,
# bitwise compare) in a release build, against Keras doing the same on the same models, in one run.
# Writes Reports/benchmark-conformance.md. Needs the corpus venv (make corpus) for the Keras side.
#
# Usage: Benchmarks/run-conformance-benchmark.sh [MODELS]   (default 500 for kconform, KERAS_MODELS=100 for Keras)
set -euo pipefail
cd "$(dirname "$0")/.."
MODELS="${1:-500}"
KERAS_MODELS="${KERAS_MODELS:-100}"
VENV="${VENV:-.venv-corpus}"
KCONFORM=.build/release/kconform
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p Reports
"$KCONFORM" conform --generated "$MODELS" --seed 1 --robustness-every 0 --report "$work/report" >/dev/null
"$KCONFORM" gen --seed 1 --count "$KERAS_MODELS" --out "$work/kit" >/dev/null
keras_json="$(KERAS_BACKEND=jax "$VENV/bin/python" Benchmarks/keras_roundtrip.py "$work/kit" 2>/dev/null | tail -n 1)"
python3 - "$work/report/conformance.json" "$keras_json" "$MODELS" "$KERAS_MODELS" <<'PY' >Reports/benchmark-conformance.md
import json, subprocess, sys, datetime, os
report = json.load(open(sys.argv[1])); keras = json.loads(sys.argv[2]); models, keras_models = sys.argv[3], sys.argv[4]
rows = {}
for case in report["cases"]:
    if case["property"] != "round-trip": continue
    row = rows.setdefault(case["format"], [0, 0.0, 0])
    row[0] += 1; row[1] += case["seconds"]; row[2] += case["outcome"] == "pass"
cores = os.cpu_count()
print("# Generated-model round trips per second: kconform against Keras\n")
print(f"Command: `make bench-conformance` (Benchmarks/run-conformance-benchmark.sh {models}, KERAS_MODELS={keras_models}), {datetime.date.today()}; "
      f"{cores} cores. Models: `kconform gen --seed 1` / `kconform conform --generated {models} --seed 1` (the same models; up to 10 layers, "
      "Sequential and Functional, batch 2). One round trip = save, load, predict, compare bit for bit, timed per model in-process "
      "(kconform: the round-trip property's own clock, release build, one thread; Keras: `Benchmarks/keras_roundtrip.py`, JAX backend on CPU).\n")
print("| implementation | format | models | passed | seconds | round trips per second |")
print("|---|---|---:|---:|---:|---:|")
for fmt, (count, seconds, passed) in sorted(rows.items()):
    print(f"| kconform {report['version']} | {fmt} | {count} | {passed} | {seconds:.2f} | {count / seconds:.0f} |")
print(f"| Keras {keras['keras']} | .keras | {keras['models']} | {keras['bitwise_equal']} | {keras['seconds']:.2f} | {keras['round_trips_per_second']:.1f} |")
print("\nGoal (issue 4): at least 100 round trips per second for models of up to 10 layers on this 2-core machine.")
PY
cat Reports/benchmark-conformance.md

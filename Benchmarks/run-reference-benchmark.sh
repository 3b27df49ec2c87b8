#!/usr/bin/env bash
# The reference core against Keras 3.15.1 (JAX backend, CPU), in one run on the same files (issue 3):
#   load   a ~100 MB ResNet50 .keras into a ready-to-predict model: `kconform convert --timings` vs
#          keras.saving.load_model
#   save   that model to .keras: kconform's save (atomic, flushed) vs model.save
#   predict MobileNetV2 (224x224, batch 1): `kconform predict --timings --repeat N` vs model.predict and
#          a direct model(x) call, first call (JAX compiles) and warm median
# Each tool runs in its own processes, REPEAT times for load and save (median of the runs); the timings are
# taken around the call alone (no interpreter start, no `import keras`). Writes Reports/benchmark-reference.md.
# Usage: Benchmarks/run-reference-benchmark.sh   (REPEAT=3, PREDICT_RUNS=10, VENV=.venv-corpus by default;
#        KCONFORM=path/to/kconform to time another release build than .build/release/kconform)
set -euo pipefail
cd "$(dirname "$0")/.."
REPEAT="${REPEAT:-3}"
PREDICT_RUNS="${PREDICT_RUNS:-10}"
VENV="${VENV:-.venv-corpus}"
DATA=Benchmarks/data
RESNET="$DATA/resnet50.keras"
MOBILENET="$DATA/mobilenetv2.keras"
IMAGE="$DATA/mobilenetv2.input.npy"
KCONFORM="${KCONFORM:-.build/release/kconform}"
PY="$VENV/bin/python"
mkdir -p "$DATA" Reports
[ -x "$KCONFORM" ] || swift build -c release --product kconform >&2
[ -f "$RESNET" ] || KERAS_BACKEND=jax "$PY" Benchmarks/scripts/make_resnet50.py "$RESNET" >&2
[ -f "$MOBILENET" ] || KERAS_BACKEND=jax "$PY" Benchmarks/scripts/make_mobilenetv2.py "$MOBILENET" "$IMAGE" >&2
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# timings LABEL FILE: the values of "timing LABEL S s" lines in FILE, one per line.
timings() { awk -v l="$1" '$1 == "timing" && $2 == l {print $3}' "$2"; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "n/a"}'; }
first() { head -n1; }
warm() { tail -n +2 | median; }

: >"$scratch/k-ls.log"; : >"$scratch/p-ls.log"
for run in $(seq "$REPEAT"); do
  "$KCONFORM" convert "$RESNET" "$scratch/k-$run.keras" --timings 2>>"$scratch/k-ls.log"
  KERAS_BACKEND=jax "$PY" Benchmarks/keras_reference_timings.py load-save "$RESNET" "$scratch/p-$run.keras" >>"$scratch/p-ls.log" 2>/dev/null
  rm -f "$scratch/k-$run.keras" "$scratch/p-$run.keras"
done
"$KCONFORM" predict "$MOBILENET" --input "$IMAGE" --output "$scratch/k-y.npy" --timings --repeat "$PREDICT_RUNS" 2>"$scratch/k-p.log"
KERAS_BACKEND=jax "$PY" Benchmarks/keras_reference_timings.py predict "$MOBILENET" "$IMAGE" "$scratch/p-y.npy" "$PREDICT_RUNS" >"$scratch/p-p.log" 2>/dev/null
agreement="$("$PY" -c "
import numpy as np, sys
a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
print(f'max |kconform - keras| = {np.max(np.abs(a - b)):.3g} over {a.size} outputs (max |keras| = {np.max(np.abs(b)):.3g})')
" "$scratch/k-y.npy" "$scratch/p-y.npy")"

k_load=$(timings load "$scratch/k-ls.log" | median); p_load=$(timings load "$scratch/p-ls.log" | median)
k_save=$(timings save "$scratch/k-ls.log" | median); p_save=$(timings save "$scratch/p-ls.log" | median)
k_first=$(timings predict "$scratch/k-p.log" | first); k_warm=$(timings predict "$scratch/k-p.log" | warm)
p_first=$(timings predict "$scratch/p-p.log" | first); p_warm=$(timings predict "$scratch/p-p.log" | warm)
c_first=$(timings call "$scratch/p-p.log" | first); c_warm=$(timings call "$scratch/p-p.log" | warm)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
versions=$("$PY" -c "import importlib.metadata as m; print(', '.join(f'{p} {m.version(p)}' for p in ['keras','jax','numpy','h5py']))")
report=Reports/benchmark-reference.md
{
  echo "# The reference core against Keras: load, save, predict"
  echo
  echo "Command: \`Benchmarks/run-reference-benchmark.sh\` (REPEAT=$REPEAT, PREDICT_RUNS=$PREDICT_RUNS, VENV=$VENV), $(date -u +%Y-%m-%dT%H:%MZ),"
  echo "kconform $(git rev-parse --short HEAD)$([ -z "$(git --no-optional-locks status --porcelain -- Sources 2>/dev/null)" ] || echo ' with uncommitted changes') release build (\`$KCONFORM\`). Machine: $(nproc) cores, load average at the start $load_start, at the end $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Python side: $versions, JAX on CPU. Files: \`$RESNET\` ($(stat -c %s "$RESNET") bytes, Benchmarks/scripts/make_resnet50.py),"
  echo "\`$MOBILENET\` ($(stat -c %s "$MOBILENET") bytes, Benchmarks/scripts/make_mobilenetv2.py, 224x224x3, batch 1)."
  echo "Timings are wall time around the call alone (\`--timings\`; Benchmarks/keras_reference_timings.py), median of"
  echo "$REPEAT processes for load and save; for predict the first call and the median of the next $((PREDICT_RUNS - 1))."
  echo
  echo "| measurement | kconform | Keras 3.15.1 | Keras / kconform | goal |"
  echo "|---|---:|---:|---:|---|"
  echo "| load ResNet50 .keras into a ready-to-predict model (s) | $k_load | $p_load | $(ratio "$p_load" "$k_load") | kconform at least 20x faster |"
  echo "| save it as .keras (s) | $k_save | $p_save | $(ratio "$p_save" "$k_save") | kconform faster |"
  echo "| MobileNetV2 predict, first call (s) | $k_first | $p_first | $(ratio "$p_first" "$k_first") | |"
  echo "| MobileNetV2 predict, warm median (s) | $k_warm | $p_warm | $(ratio "$p_warm" "$k_warm") | kconform within 2x (ratio at least 0.5) |"
  echo "| MobileNetV2 \`model(x)\`, first / warm (s) | | $c_first / $c_warm | $(ratio "$c_warm" "$k_warm") (warm) | |"
  echo
  echo "Outputs: $agreement."
} >"$report"
cat "$report"

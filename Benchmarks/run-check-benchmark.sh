#!/usr/bin/env bash
# Compares, in one run on the same file: `kconform check` (release build), h5py reading every dataset of
# the archive's model.weights.h5, and keras.saving.load_model. Wall time is the median of REPEAT runs;
# peak memory is the maximum resident set size of each process (GNU time -v).
# Writes Reports/benchmark-check.md. Needs the corpus venv (make corpus) for h5py/keras.
set -euo pipefail
cd "$(dirname "$0")/.."
REPEAT="${REPEAT:-5}"
VENV="${VENV:-.venv-corpus}"
DATA=Benchmarks/data
MODEL="$DATA/resnet50.keras"
KCONFORM=.build/release/kconform
mkdir -p "$DATA" Reports
command -v /usr/bin/time >/dev/null || { apt-get install -y -qq time >/dev/null; }
if [ ! -f "$MODEL" ]; then
  KERAS_BACKEND=jax "$VENV/bin/python" Benchmarks/scripts/make_resnet50.py "$MODEL"
fi
size=$(stat -c %s "$MODEL")

# measure LABEL COMMAND...: prints "median_seconds peak_kib" over REPEAT runs.
measure() {
  local times=() peak=0
  for _ in $(seq "$REPEAT"); do
    local log; log=$(mktemp)
    /usr/bin/time -v -o "$log" "$@" >/dev/null 2>&1 || { echo "command failed: $*" >&2; cat "$log" >&2; exit 1; }
    local wall; wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
    local rss; rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    times+=("$(python3 -c "import sys; p=sys.argv[1].split(':'); print(sum(float(x)*60**i for i,x in enumerate(reversed(p))))" "$wall")")
    (( rss > peak )) && peak=$rss
    rm -f "$log"
  done
  local median; median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$median $peak"
}

read -r k_time k_rss < <(measure "$KCONFORM" check "$MODEL")
read -r h_time h_rss < <(measure env KERAS_BACKEND=jax "$VENV/bin/python" Benchmarks/h5py_read_all.py "$MODEL")
read -r l_time l_rss < <(measure env KERAS_BACKEND=jax "$VENV/bin/python" Benchmarks/keras_load.py "$MODEL")
read -r b_time b_rss < <(measure "$VENV/bin/python" -c "pass")

versions=$("$VENV/bin/python" -c "import importlib.metadata as m; print(', '.join(f'{p} {m.version(p)}' for p in ['keras','jax','h5py','numpy']))")
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k/1024}'; }
report=Reports/benchmark-check.md
{
  echo "# kconform check vs h5py vs keras.saving.load_model"
  echo
  echo "Command: \`make bench\` (Benchmarks/run-check-benchmark.sh, REPEAT=$REPEAT), $(date -u +%Y-%m-%d)."
  echo "File: \`$MODEL\` = keras.applications.ResNet50(weights=None) saved by Keras ($size bytes, $(mib $((size / 1024))) MiB)."
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo). Python side: $versions."
  echo
  echo "| tool | what it does | median wall time (s) | peak RSS (MiB) |"
  echo "|---|---|---:|---:|"
  echo "| kconform check (release) | zip + HDF5 + JSON parse, all rules, every dataset read once with a NaN/Inf scan | $k_time | $(mib "$k_rss") |"
  echo "| h5py | open the archive member, read every dataset (\`ds[()]\`) | $h_time | $(mib "$h_rss") |"
  echo "| keras.saving.load_model | full load, JAX backend | $l_time | $(mib "$l_rss") |"
  echo "| python -c pass | interpreter start-up, for reference | $b_time | $(mib "$b_rss") |"
  echo
  echo "Goal (issue 2): kconform check no slower than the h5py read; peak memory at most the file size plus a small constant."
  echo "kconform memory-maps the file and reads every dataset in place, so its peak RSS is the mapped pages it"
  echo "touched (file-backed, reclaimable: at most the file size) plus the process itself:"
  echo "$(mib "$k_rss") MiB peak for a $(mib $((size / 1024))) MiB file."
} > "$report"
cat "$report"

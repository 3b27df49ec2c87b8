#!/usr/bin/env bash
# Builds the fuzz targets with the flags that really instrument them (docs: ../../shared/docs/FUZZING.md):
#   swift build --product T --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
# --sanitize=fuzzer makes SwiftPM link T as a libFuzzer binary; -Xswiftc -sanitize=fuzzer,address gives the
# compiler both sanitizers (two --sanitize flags pass only the last one: no coverage feedback). lld ships
# with the Swift toolchain and links without gold's warnings. One product per invocation: building all
# executables at once with the fuzzer gives "multiple definition of main".
#
# Usage: Fuzz/build.sh [--release] [TARGET...]      (default: debug, every target)
# Prints the path of each binary. FUZZ_PACKAGE overrides the package directory (default: this folder),
# FUZZ_SCRATCH the build directory (default: the package's .build; CI builds debug and release side by side).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
package="${FUZZ_PACKAGE:-$here}"
all_targets=(FuzzZip FuzzHDF5 FuzzJSON FuzzConfig FuzzKerasFile FuzzStructured)
configuration=debug
targets=()
for argument in "$@"; do
  case "$argument" in
    --release) configuration=release ;;
    --debug) configuration=debug ;;
    -h|--help) sed -n 2,11p "$0"; exit 0 ;;
    -*) echo "build.sh: unknown option $argument" >&2; exit 2 ;;
    *)
      if [[ ! " ${all_targets[*]} " == *" $argument "* ]]; then
        echo "build.sh: unknown target $argument (targets: ${all_targets[*]})" >&2; exit 2
      fi
      targets+=("$argument") ;;
  esac
done
[ "${#targets[@]}" -gt 0 ] || targets=("${all_targets[@]}")

flags=(-c "$configuration" --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld)
[ -z "${FUZZ_SCRATCH:-}" ] || flags+=(--scratch-path "$FUZZ_SCRATCH")
for target in "${targets[@]}"; do
  swift build --package-path "$package" --product "$target" "${flags[@]}" >&2
done
bin="$(swift build --package-path "$package" "${flags[@]}" --show-bin-path)"
for target in "${targets[@]}"; do
  echo "$bin/$target"
done

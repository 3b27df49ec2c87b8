#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build of the fuzz targets in Fuzz/, the way the public Swift integrations do
# it (swift-protobuf's FuzzTesting): `. precompile_swift` sets SWIFTFLAGS for the sanitizer in $SANITIZER,
# then `swift build -c debug|release $SWIFTFLAGS` and each binary is copied to $OUT as <Target>_debug and
# <Target>_release, with its dictionary, options and seed corpus.
#
# Outside the builder image (no precompile_swift), the same SWIFTFLAGS are built here from $SANITIZER,
# $CFLAGS and $CXXFLAGS, so that this script runs locally with the same flags:
#   SRC=/tmp OUT=/tmp/cflite-out SANITIZER=address CFLAGS="..." CXXFLAGS="..." .clusterfuzzlite/build.sh
# (run from the repository root, which is also the builder's working directory).
if command -v precompile_swift >/dev/null 2>&1; then
  . precompile_swift
else
  # oss-fuzz infra/base-images/base-builder-swift/precompile_swift, minus the symbolizer copy.
  export SWIFTFLAGS="-Xswiftc -parse-as-library -Xswiftc -static-stdlib --static-swift-stdlib"
  if [ "$SANITIZER" = "coverage" ]; then
    export SWIFTFLAGS="$SWIFTFLAGS -Xswiftc -profile-generate -Xswiftc -profile-coverage-mapping -Xswiftc -sanitize=fuzzer"
  else
    export SWIFTFLAGS="$SWIFTFLAGS -Xswiftc -sanitize=fuzzer,$SANITIZER --sanitize=$SANITIZER"
    for f in ${CFLAGS:-}; do export SWIFTFLAGS="$SWIFTFLAGS -Xcc=$f"; done
    for f in ${CXXFLAGS:-}; do export SWIFTFLAGS="$SWIFTFLAGS -Xcxx=$f"; done
  fi
fi

# precompile_swift links the Swift runtime statically (-static-stdlib), which hides the symbols of every static
# archive from the dynamic symbol table, ASan's malloc and free among them (gold: "Cannot export local
# symbol"). libzip, which frees the buffers our Swift code hands it, then calls glibc's free on ASan memory:
# "munmap_chunk(): invalid pointer" on the first seed of every target that writes an archive (FuzzZip,
# FuzzConfig, FuzzStructured). So the runtime is linked dynamically and shipped in $OUT/lib with the C
# libraries.
export SWIFTFLAGS="${SWIFTFLAGS//-Xswiftc -static-stdlib/}"
export SWIFTFLAGS="${SWIFTFLAGS//--static-swift-stdlib/}"

# precompile_swift passes --sanitize=$SANITIZER only; SwiftPM keeps the last --sanitize and links an
# executable as a libFuzzer binary only when that is `fuzzer` (else: "undefined symbol FuzzZip_main").
# The compiler still gets -sanitize=fuzzer,$SANITIZER through -Xswiftc.
export SWIFTFLAGS="$SWIFTFLAGS --sanitize=fuzzer"

root="$PWD"
[ -f "$root/Fuzz/Package.swift" ] || root="$(cd "$(dirname "$0")/.." && pwd)"
targets="FuzzZip FuzzHDF5 FuzzJSON FuzzConfig FuzzKerasFile FuzzStructured"
mkdir -p "$OUT/lib"

# The runner image has none of the libraries the binaries link (C libraries, Swift runtime): $OUT/lib has them.
RPATH='-Xlinker -rpath -Xlinker $ORIGIN/lib'

for configuration in debug release; do
  for target in $targets; do
    # One product per invocation: SwiftPM links every executable with libFuzzer's main.
    # shellcheck disable=SC2086
    swift build --package-path "$root/Fuzz" -c "$configuration" --product "$target" $SWIFTFLAGS $RPATH
  done
  # shellcheck disable=SC2086
  bin="$(swift build --package-path "$root/Fuzz" -c "$configuration" $SWIFTFLAGS --show-bin-path)"
  for target in $targets; do
    name="${target}_${configuration}"
    cp "$bin/$target" "$OUT/$name"
    # FuzzStructured's input is the model generator's choices: it has no dictionary.
    if [ -f "$root/Fuzz/$target.dict" ]; then cp "$root/Fuzz/$target.dict" "$OUT/$name.dict"; fi
    printf '[libfuzzer]\nmax_len = 65536\nrss_limit_mb = 2048\ntimeout = 25\n' >"$OUT/$name.options"
    rm -f "$OUT/${name}_seed_corpus.zip"
    (cd "$root/Corpus/fuzz/$target" && zip -q -X "$OUT/${name}_seed_corpus.zip" ./*)
  done
done

# Every shared library the binaries need beyond the C runtime: libzip, libhdf5 and their dependencies, and
# the Swift runtime and Foundation (the debug builds also need libswiftSwiftOnoneSupport).
for library in $(ldd "$OUT"/*_release "$OUT"/*_debug | awk '/=> \// {print $3}' | sort -u); do
  case "$(basename "$library")" in
    libc.so*|libm.so*|libpthread.so*|libdl.so*|librt.so*|ld-linux*|libgcc_s.so*|libstdc++.so*|libresolv.so*) ;;
    *) cp -L "$library" "$OUT/lib/" ;;
  esac
done

#!/usr/bin/env python3
"""Python-side timings for a .keras file: h5py reading every weight, and keras.saving.load_model.

Usage: /work/venv/bin/python Benchmarks/scripts/time_python.py FILE.keras [--repeat 3]

Every measurement runs in a fresh child process (this script with `--child MODE FILE`), so caches,
imports and peak memory never carry over. For each mode the parent prints, as JSON, the median
and the individual runs of:
  wall_seconds        the whole child process, start to exit, measured by the parent
  work_seconds        the measured work only, timed inside the child after its imports
  import_seconds      the child's imports (numpy + h5py, or keras + jax)
  peak_rss_kib        the child's peak resident set (os.wait4 rusage ru_maxrss, KiB on Linux)
  rss_after_import_kib  ru_maxrss inside the child right after its imports (baseline)
Modes:
  h5py   zipfile member `model.weights.h5` opened as a file object, `h5py.File(fileobj)`,
         `visititems`, `ds[()]` for every dataset (what Keras itself does when loading an archive)
  keras  `keras.saving.load_model(FILE)` with the jax backend on CPU
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

MODES = ("h5py", "keras")


def child(mode, path):
    start = time.perf_counter()
    if mode == "h5py":
        import zipfile

        import h5py
        import numpy  # noqa: F401
    else:
        os.environ["KERAS_BACKEND"] = "jax"
        os.environ.setdefault("JAX_PLATFORMS", "cpu")
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import keras
    imported = time.perf_counter()
    rss_after_import = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = {}
    if mode == "h5py":
        datasets = 0
        nbytes = 0
        with zipfile.ZipFile(path) as zf, zf.open("model.weights.h5") as member, h5py.File(member, "r") as f:
            found = []
            f.visititems(lambda name, obj: found.append(obj) if isinstance(obj, h5py.Dataset) else None)
            for ds in found:
                value = ds[()]
                datasets += 1
                nbytes += value.nbytes
        result.update(datasets=datasets, bytes=nbytes)
    else:
        model = keras.saving.load_model(path)
        result.update(layers=len(model.layers), variables=len(model.weights))
    done = time.perf_counter()
    result.update(
        import_seconds=imported - start,
        work_seconds=done - imported,
        rss_after_import_kib=rss_after_import,
    )
    print(json.dumps(result))


def measure(mode, path):
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--child", mode, path], stdout=out)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"child {mode} failed with exit code {proc.returncode}")
        out.seek(0)
        lines = [line for line in out.read().splitlines() if line.startswith("{")]
    result = json.loads(lines[-1])
    result.update(wall_seconds=wall, peak_rss_kib=usage.ru_maxrss)
    return result


def main(argv):
    if len(argv) == 3 and argv[0] == "--child":
        child(argv[1], argv[2])
        return 0
    repeat = 3
    if "--repeat" in argv:
        i = argv.index("--repeat")
        repeat = int(argv[i + 1])
        del argv[i : i + 2]
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    path = os.path.abspath(argv[0])
    report = {"file": path, "size": os.path.getsize(path), "repeat": repeat, "python": sys.version.split()[0], "modes": {}}
    keys = ("wall_seconds", "work_seconds", "import_seconds", "peak_rss_kib", "rss_after_import_kib")
    for mode in MODES:
        runs = [measure(mode, path) for _ in range(repeat)]
        median = {k: statistics.median(r[k] for r in runs) for k in keys}
        extra = {k: v for k, v in runs[0].items() if k not in keys}
        report["modes"][mode] = {"median": median, **extra, "runs": runs}
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

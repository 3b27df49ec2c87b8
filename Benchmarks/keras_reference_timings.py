"""Times Keras 3.15.1 (JAX backend) in one process, for Benchmarks/run-reference-benchmark.sh.

    keras_reference_timings.py load-save MODEL.keras OUT.keras
        prints `timing load S s` (keras.saving.load_model) and `timing save S s` (model.save)
    keras_reference_timings.py predict MODEL.keras X.npy Y.npy N
        prints `timing predict S s` for N calls of model.predict(x, verbose=0) (the first includes JAX's
        compilation) and `timing call S s` for N direct calls model(x, training=False); writes the last
        predict's output to Y.npy

Each timing is time.perf_counter around the call alone (the interpreter start and `import keras` excluded),
in the line format of `kconform predict|convert --timings`.
"""
import os
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
import keras  # noqa: E402
import numpy as np  # noqa: E402


def timed(label, function):
    start = time.perf_counter()
    result = function()
    print(f"timing {label} {time.perf_counter() - start:.6f} s", flush=True)
    return result


mode = sys.argv[1]
if mode == "load-save":
    model = timed("load", lambda: keras.saving.load_model(sys.argv[2]))
    timed("save", lambda: model.save(sys.argv[3]))
elif mode == "predict":
    model = keras.saving.load_model(sys.argv[2])
    x = np.load(sys.argv[3])
    y = None
    for _ in range(int(sys.argv[5])):
        y = timed("predict", lambda: model.predict(x, verbose=0))
    for _ in range(int(sys.argv[5])):
        timed("call", lambda: np.asarray(model(x, training=False)))
    np.save(sys.argv[4], np.asarray(y))
else:
    sys.exit(f"unknown mode {mode}")

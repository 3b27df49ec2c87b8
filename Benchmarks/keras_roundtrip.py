"""Keras's side of the round-trip benchmark: for every model of a conformance kit, save -> load -> predict
-> compare, timed per model, as kconform conform's round-trip property does it.

Usage: keras_roundtrip.py KIT_DIR [--limit N]; prints one JSON object (models, seconds, round trips/s).
Models Keras cannot run (docs/DIVERGENCES.md) are left out and listed under "not_run". The model is
loaded once untimed (kconform's property starts from a built model too); then the timed part
is model.save(.keras) + keras.saving.load_model + predict on the kit's inputs + a bitwise comparison with
the predictions of the model before saving.
"""
import json
import os
import sys
import tempfile
import time

os.environ.setdefault("KERAS_BACKEND", "jax")
import numpy as np  # noqa: E402
import keras  # noqa: E402


def round_trip(kit, entry, path):
    """(seconds of save + load + predict + compare, bitwise equal) for one kit model."""
    model = keras.saving.load_model(os.path.join(kit, entry["file"]), safe_mode=True)
    inputs = [np.load(os.path.join(kit, p)) for p in entry["inputs"]]
    feed = inputs if len(inputs) > 1 else inputs[0]
    before = model.predict(feed, verbose=0)
    start = time.perf_counter()
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    after = loaded.predict(feed, verbose=0)
    before_list = before if isinstance(before, (list, tuple)) else [before]
    after_list = after if isinstance(after, (list, tuple)) else [after]
    same = all(np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True) for a, b in zip(before_list, after_list))
    return time.perf_counter() - start, same


def main():
    kit = sys.argv[1]
    limit = int(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else None
    manifest = json.load(open(os.path.join(kit, "MANIFEST.json")))
    names = sorted(manifest["models"])[:limit]
    total, equal, failed = 0.0, 0, []
    with tempfile.TemporaryDirectory() as scratch:
        for name in names:
            entry = manifest["models"][name]
            try:
                seconds, same = round_trip(kit, entry, os.path.join(scratch, name + ".keras"))
            except Exception as error:  # the Keras defects of docs/DIVERGENCES.md: not timed, counted
                failed.append(f"{name}: {type(error).__name__}")
                continue
            total += seconds
            equal += int(same)
    timed = len(names) - len(failed)
    print(json.dumps({"models": timed, "seconds": total, "round_trips_per_second": timed / total if total else 0,
                      "bitwise_equal": equal, "keras": keras.__version__, "not_run": failed}))


if __name__ == "__main__":
    main()

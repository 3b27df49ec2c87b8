"""Keras's side of the round-trip benchmark: for every model of a conformance kit, save -> load -> predict
-> compare, timed per model, as kconform conform's round-trip property does it.

Usage: keras_roundtrip.py KIT_DIR [--limit N]; prints one JSON object (models, seconds, round trips/s).
The model is loaded once untimed (kconform's property starts from a built model too); then the timed part
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


def main():
    kit = sys.argv[1]
    limit = int(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else None
    manifest = json.load(open(os.path.join(kit, "MANIFEST.json")))
    names = sorted(manifest["models"])[:limit]
    total, equal = 0.0, 0
    with tempfile.TemporaryDirectory() as scratch:
        for name in names:
            entry = manifest["models"][name]
            model = keras.saving.load_model(os.path.join(kit, entry["file"]), safe_mode=True)
            inputs = [np.load(os.path.join(kit, p)) for p in entry["inputs"]]
            feed = inputs if len(inputs) > 1 else inputs[0]
            before = model.predict(feed, verbose=0)
            path = os.path.join(scratch, name + ".keras")
            start = time.perf_counter()
            model.save(path)
            loaded = keras.saving.load_model(path, safe_mode=True)
            after = loaded.predict(feed, verbose=0)
            before_list = before if isinstance(before, (list, tuple)) else [before]
            after_list = after if isinstance(after, (list, tuple)) else [after]
            same = all(np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True) for a, b in zip(before_list, after_list))
            total += time.perf_counter() - start
            equal += int(same)
    print(json.dumps({"models": len(names), "seconds": total, "round_trips_per_second": len(names) / total if total else 0,
                      "bitwise_equal": equal, "keras": keras.__version__}))


if __name__ == "__main__":
    main()

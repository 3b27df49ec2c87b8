#!/usr/bin/env python3
"""Write the ResNet50 benchmark archive: `keras.applications.ResNet50(weights=None)` saved as .keras.

Usage: /work/venv/bin/python Benchmarks/scripts/make_resnet50.py Benchmarks/data/resnet50.keras

Producer: the pins of scripts/corpus/requirements.txt (keras 3.15.1, jax backend on CPU). The
weights are freshly initialised with a fixed seed (nothing is downloaded). The file is about
100 MB and is not committed: Benchmarks/data/ is git-ignored; regenerate it with this script.
"""

import os
import sys

os.environ["KERAS_BACKEND"] = "jax"
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import keras  # noqa: E402

SEED = 50


def main(argv):
    if len(argv) != 1 or not argv[0].endswith(".keras"):
        print("usage: make_resnet50.py OUT.keras", file=sys.stderr)
        return 2
    out = os.path.abspath(argv[0])
    os.makedirs(os.path.dirname(out), exist_ok=True)
    keras.utils.set_random_seed(SEED)
    model = keras.applications.ResNet50(weights=None)
    model.save(out)
    print(f"{out}: {os.path.getsize(out)} bytes, {len(model.layers)} layers, {len(model.weights)} variables, "
          f"{model.count_params()} parameters, keras {keras.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

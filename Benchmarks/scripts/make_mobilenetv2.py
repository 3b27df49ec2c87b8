"""Writes MobileNetV2 (weights=None, 224x224x3, 1000 classes, Keras's seeded initial values) as a .keras file
and one seeded input image as .npy, for the predict benchmark (run-reference-benchmark.sh).

Usage: python make_mobilenetv2.py OUT.keras INPUT.npy
"""
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402

keras.utils.set_random_seed(20261122)
model = keras.applications.MobileNetV2(weights=None, input_shape=(224, 224, 3))
model.save(sys.argv[1])
np.save(sys.argv[2], np.random.default_rng(20261122).standard_normal((1, 224, 224, 3)).astype("float32"))
print(model.count_params())

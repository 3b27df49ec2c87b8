"""Loads a .keras file with keras.saving.load_model (one measurement per process; KERAS_BACKEND=jax)."""
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402

model = keras.saving.load_model(sys.argv[1])
print(model.count_params())

"""Keras 3.15.1 loads the unzipped model folders kconform writes: every golden archive converted by
`kconform convert IN OUT/` (a folder, like `saving_lib.save_model(model, path, zipped=False)`) loads with
`keras.saving.load_model(folder, safe_mode=True)` and predicts what Keras predicts from the original file.

Run by .ci/run through `make test-python`; needs KCONFORM (the built binary) in the environment.
"""
import json
import os
import subprocess
import zipfile

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from test_keras_loads_kconform_output import GOLDEN, KCONFORM, archive_cases, needs_tensorflow  # noqa: E402

FOLDER_MEMBERS = ["assets", "config.json", "metadata.json", "model.weights.h5"]


def predict(model, inputs):
    return np.asarray(model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0), dtype=np.float32)


@pytest.mark.parametrize("model,file,facts", list(archive_cases()))
def test_keras_loads_kconform_folder(model, file, facts, tmp_path):
    if needs_tensorflow(file):
        pytest.skip("Keras needs TensorFlow to load lookup layers; the pinned oracle environment has none")
    folder = tmp_path / "converted"
    result = subprocess.run([KCONFORM, "convert", str(GOLDEN / file), f"{folder}/"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(folder)) == FOLDER_MEMBERS
    assert (folder / "config.json").read_bytes() == keras_member(GOLDEN / file, "config.json")
    inputs = [np.load(GOLDEN / path) for path in facts["inputs"]]
    expected = predict(keras.saving.load_model(GOLDEN / file, safe_mode=True), inputs)
    loaded = keras.saving.load_model(folder, safe_mode=True)
    np.testing.assert_allclose(predict(loaded, inputs), expected, rtol=1e-6, atol=1e-7)


def keras_member(archive, name):
    with zipfile.ZipFile(archive) as zf:
        return zf.read(name)


def test_keras_saves_the_same_folder_layout(tmp_path):
    """What kconform writes is what Keras writes for zipped=False to an absolute path (SL:161-192)."""
    from keras.src.saving import saving_lib

    keras_folder = tmp_path / "keras"
    saving_lib.save_model(keras.saving.load_model(GOLDEN / "seq_mlp.keras"), str(keras_folder), zipped=False)
    ours = tmp_path / "ours"
    result = subprocess.run([KCONFORM, "convert", str(GOLDEN / "seq_mlp.keras"), f"{ours}/"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for folder in (keras_folder, ours):
        assert sorted(os.listdir(folder)) == FOLDER_MEMBERS
        assert os.listdir(folder / "assets") == []
    assert list(json.loads((ours / "metadata.json").read_text())) == list(json.loads((keras_folder / "metadata.json").read_text()))

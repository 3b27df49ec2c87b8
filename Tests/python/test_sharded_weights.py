"""`kconform convert IN OUT.weights.json --max-shard-size S` writes what Keras 3.15.1's
`model.save_weights(OUT, max_shard_size=S)` writes for the same model: the same index text (json.dumps(indent=4))
and, shard by shard, the same HDF5 tree (groups, attributes, dataset shapes and dtypes), which Keras loads
back; a size Keras refuses (a variable larger than a shard) is refused with Keras's message."""

import glob
import os
import pathlib
import subprocess

os.environ.setdefault("KERAS_BACKEND", "jax")

import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "Corpus" / "golden"
KCONFORM = os.environ.get("KCONFORM", str(ROOT / ".build" / "release" / "kconform"))
MODELS = ["conv_bn.keras", "seq_mlp.keras", "bfloat16_vars.keras", "quantized_int8.keras", "adam_trained.keras",
          "nested.keras", "zoo/mask_lstm.keras", "zoo/bidirectional.keras", "zoo/multi_head_attention.keras"]
SIZES = {"1KB": 1 / 1024**2, "4KB": 4 / 1024**2, "1MB": 1 / 1024}


def tree(path):
    entries = []
    with h5py.File(path, "r") as handle:
        handle.visititems(lambda name, item: entries.append(
            (name, sorted((k, str(v)) for k, v in item.attrs.items()), getattr(item, "shape", None), str(getattr(item, "dtype", "")))))
    return entries


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("model_file", MODELS)
def test_sharded_weights_are_what_keras_writes(tmp_path, model_file, size):
    # A fresh session, as a new process has: the names Keras gives unnamed sub-layers count per session.
    keras.backend.clear_session()
    model = keras.saving.load_model(GOLDEN / model_file)
    keras_dir, ours_dir = tmp_path / "keras", tmp_path / "kconform"
    keras_dir.mkdir()
    ours_dir.mkdir()
    try:
        model.save_weights(keras_dir / "m.weights.json", max_shard_size=SIZES[size])
        keras_error = None
    except ValueError as error:
        keras_error = str(error)
    result = subprocess.run([KCONFORM, "convert", str(GOLDEN / model_file), str(ours_dir / "m.weights.json"), "--max-shard-size", size],
                            capture_output=True, text=True)
    if keras_error is not None:
        assert result.returncode == 1 and keras_error in result.stderr, (keras_error, result.stderr)
        return
    assert result.returncode == 0, result.stderr
    assert (ours_dir / "m.weights.json").read_text() == (keras_dir / "m.weights.json").read_text()
    keras_shards = sorted(os.path.basename(p) for p in glob.glob(str(keras_dir / "*.weights.h5")))
    assert sorted(os.path.basename(p) for p in glob.glob(str(ours_dir / "*.weights.h5"))) == keras_shards
    for shard in keras_shards:
        assert tree(ours_dir / shard) == tree(keras_dir / shard), shard
    reloaded = keras.saving.load_model(GOLDEN / model_file)
    reloaded.load_weights(ours_dir / "m.weights.json")
    for ours, theirs in zip(reloaded.weights, model.weights):
        np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))

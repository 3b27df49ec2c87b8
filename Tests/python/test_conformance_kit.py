"""kconform -> Keras: every model of a kit written by `kconform gen` loads in Keras 3.15.1 with safe_mode=True
and predicts, on the kit's inputs, what kconform predicted (the kit format: Tests/python/README-kit.md).

Environment: KCONFORM (the binary), KCONFORM_GEN_SEED (default 7), KCONFORM_GEN_COUNT (default 24),
KCONFORM_GEN_MAX_LAYERS (default: kconform's). One test per model, plus one for the manifest.
"""
import atexit
import importlib.util
import json
import os
import pathlib
import shutil
import subprocess
import tempfile

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
KCONFORM = os.environ.get("KCONFORM", str(ROOT / ".build" / "release" / "kconform"))
SEED = int(os.environ.get("KCONFORM_GEN_SEED", "7"))
COUNT = int(os.environ.get("KCONFORM_GEN_COUNT", "24"))
MAX_LAYERS = os.environ.get("KCONFORM_GEN_MAX_LAYERS")

_spec = importlib.util.spec_from_file_location("gen_keras_models", ROOT / "scripts" / "conformance" / "gen_keras_models.py")
kit_format = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(kit_format)


def make_kit():
    """Runs `kconform gen` once, at collection: (directory, manifest, error)."""
    directory = pathlib.Path(tempfile.mkdtemp(prefix="kconform-gen-kit-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    command = [KCONFORM, "gen", "--seed", str(SEED), "--count", str(COUNT), "--out", str(directory)]
    if MAX_LAYERS:
        command += ["--max-layers", MAX_LAYERS]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        return directory, None, f"{' '.join(command)}: {error}"
    if result.returncode != 0:
        return directory, None, f"{' '.join(command)} exited {result.returncode}: {result.stderr[-2000:]}"
    try:
        return directory, json.loads((directory / "MANIFEST.json").read_text(encoding="utf-8")), None
    except (OSError, ValueError) as error:
        return directory, None, f"MANIFEST.json: {error}"


KIT, MANIFEST, KIT_ERROR = make_kit()
MODELS = sorted(MANIFEST["models"]) if MANIFEST else []


def test_kit_manifest_follows_the_format():
    assert KIT_ERROR is None, KIT_ERROR
    assert MANIFEST["schema"] == 1
    producer = MANIFEST["producer"]
    assert producer["tool"] == "kconform"
    assert producer["keras_version"] == keras.__version__ == "3.15.1"
    assert producer["seed"] == SEED
    assert producer["count"] == COUNT
    assert isinstance(producer.get("version"), str) and isinstance(producer.get("command"), str)
    assert 0 < len(MODELS) <= COUNT, f"{len(MODELS)} models for --count {COUNT}"
    for name, entry in MANIFEST["models"].items():
        assert entry["file"] == name + ".keras", name
        assert entry["inputs"] == [f"io/{name}.inputs_{i}.npy" for i in range(len(entry["inputs"]))], name
        assert entry["outputs"] == [f"io/{name}.outputs_{j}.npy" for j in range(len(entry["outputs"]))], name
        assert entry["kind"] in ("sequential", "functional"), name
        assert entry["layers"] and all(isinstance(c, str) for c in entry["layers"]), name
        assert isinstance(entry["policy"], str) and entry["replay"], name


def check_files(entry):
    """Every file of the entry exists; inputs are float32 or int32, outputs float32, all with one batch."""
    for path in [entry["file"]] + entry["inputs"] + entry["outputs"]:
        assert (KIT / path).is_file(), f"{path} is missing"
    inputs = [np.load(KIT / path) for path in entry["inputs"]]
    outputs = [np.load(KIT / path) for path in entry["outputs"]]
    for path, array in zip(entry["inputs"], inputs):
        assert array.dtype in (np.float32, np.int32), f"{path}: dtype {array.dtype}"
    for path, array in zip(entry["outputs"], outputs):
        assert array.dtype == np.float32, f"{path}: dtype {array.dtype}"
    batches = {array.shape[0] for array in inputs + outputs if array.ndim}
    assert len(batches) == 1, f"batch sizes {batches}"
    return inputs, outputs


RECURRENT = {"SimpleRNN", "LSTM", "GRU", "Bidirectional"}


def keras_defect(entry, error=None, predicted=None):
    """The Keras 3.15.1 (JAX, CPU) defect of docs/DIVERGENCES.md that this model meets, or None. Each rule
    names the structure that triggers it and the symptom Keras shows; a model that meets the structure but
    not the symptom is checked as usual."""
    layers, policy = set(entry["layers"]), entry["policy"]
    text = f"{type(error).__name__}: {error}" if error is not None else ""
    if error is not None and "Unsupported dtype" in text and policy in ("float16", "bfloat16") and layers & RECURRENT:
        return "a recurrent layer in a float16/bfloat16 policy cannot run on CPU (Orthogonal initializer, no LAPACK kernel)"
    if error is not None and "GRU" in layers and policy.startswith("mixed_") and "carry output must have equal types" in text:
        return "GRU(use_bias=False) in a mixed policy cannot run on the JAX backend (scan carry dtype differs)"
    if error is not None and "MultiHeadAttention" in layers and "cannot reshape array" in text:
        return "MultiHeadAttention with value_dim != key_dim cannot run on the JAX backend (jax.nn.dot_product_attention)"
    if predicted is not None and "Dot" in layers and "float16" in policy and any(np.isnan(np.asarray(p, dtype=np.float32)).any() for p in predicted):
        return "Dot(normalize=True) of a zero vector is NaN under float16 compute (1/1e-12 overflows)"
    return None


@pytest.mark.parametrize("name", MODELS or [pytest.param("kit", marks=pytest.mark.skip("no kit"))])
def test_keras_loads_and_predicts_kit_model(name):
    entry = MANIFEST["models"][name]
    replay = f"replay: {entry.get('replay')} (kit {KIT}, model {name}, layers {entry.get('layers')}, policy {entry.get('policy')})"
    inputs, expected = check_files(entry)
    keras.backend.clear_session()
    try:
        model = keras.saving.load_model(KIT / entry["file"], safe_mode=True)
    except Exception as error:  # noqa: BLE001 - as for predict below
        defect = keras_defect(entry, error=error)
        if defect:
            pytest.xfail(f"known Keras defect (docs/DIVERGENCES.md): {defect}")
        raise
    assert len(model.inputs) == len(inputs), f"{len(inputs)} inputs for a model of {len(model.inputs)}; {replay}"
    for index, (tensor, array) in enumerate(zip(model.inputs, inputs)):
        assert tuple(tensor.shape[1:]) == array.shape[1:], f"input {index}: {array.shape} for {tensor.shape}; {replay}"
        wanted = "int32" if "int" in str(tensor.dtype) else "float32"
        assert str(array.dtype) == wanted, f"input {index}: {array.dtype} for a {tensor.dtype} input; {replay}"
    assert len(model.outputs) == len(expected), f"{len(expected)} outputs for a model of {len(model.outputs)}; {replay}"
    try:
        predicted = kit_format.predict(keras, model, inputs)
    except Exception as error:  # noqa: BLE001 - a documented Keras defect is an expected failure, anything else fails
        defect = keras_defect(entry, error=error)
        if defect:
            pytest.xfail(f"known Keras defect (docs/DIVERGENCES.md): {defect}")
        raise
    defect = keras_defect(entry, predicted=predicted)
    if defect:
        pytest.xfail(f"known Keras defect (docs/DIVERGENCES.md): {defect}")
    problem = kit_format.difference(predicted, expected, len(entry["layers"]), entry["policy"])
    if problem and kit_format.epsilon_of(entry["policy"]):
        twin = kit_format.predict(keras, kit_format.float32_twin(keras, model), inputs)
        twin_problem = kit_format.low_precision_difference(expected, predicted, twin)
        problem = None if twin_problem is None else f"{problem}; and against the float32 twin: {twin_problem}"
    assert problem is None, f"Keras against kconform: {problem}; {replay}"

"""kconform -> Keras: every model of a kit written by `kconform gen` loads in Keras 3.15.1 with safe_mode=True
and predicts, on the kit's inputs, what kconform predicted (the kit format: Tests/python/README-kit.md).

Environment: KCONFORM (the binary), KCONFORM_GEN_SEED (default 7), KCONFORM_GEN_COUNT (default 24),
KCONFORM_GEN_MAX_LAYERS (default: kconform's). One test per model, plus one for the manifest; and for every
compiled model (a `compile_config` in its config), one test that Keras restores the optimizer state kconform
wrote (`/optimizer/vars`) without skipping it.
"""
import atexit
import importlib.util
import io
import json
import logging
import os
import pathlib
import shutil
import subprocess
import tempfile
import warnings
import zipfile

os.environ.setdefault("KERAS_BACKEND", "jax")

import h5py  # noqa: E402
import keras  # noqa: E402
import ml_dtypes  # noqa: E402
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


def is_compiled(name):
    with zipfile.ZipFile(KIT / MANIFEST["models"][name]["file"]) as archive:
        return bool(json.loads(archive.read("config.json")).get("compile_config"))


COMPILED = [name for name in MODELS if is_compiled(name)]


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


def stored_optimizer_state(path):
    """`/optimizer/vars` of the archive's `model.weights.h5`: its `name` attribute and (dtype, array) per
    index, bfloat16 datasets (opaque, `dtype` attribute) decoded as Keras decodes them (SL:1452-1460)."""
    with zipfile.ZipFile(path) as archive:
        data = archive.read("model.weights.h5")
    with h5py.File(io.BytesIO(data), "r") as weights:
        assert "optimizer/vars" in weights, "no /optimizer/vars in a compiled model's weights"
        group = weights["optimizer/vars"]
        assert sorted(group.keys(), key=int) == [str(i) for i in range(len(group))], sorted(group.keys())
        state = []
        for index in range(len(group)):
            dataset = group[str(index)]
            if dataset.attrs.get("dtype") == "bfloat16":
                state.append(("bfloat16", np.array(dataset).view(ml_dtypes.bfloat16)))
            else:
                array = np.array(dataset)
                state.append((str(array.dtype), array))
        return group.attrs.get("name"), state


@pytest.mark.parametrize("name", COMPILED or [pytest.param("kit", marks=pytest.mark.skip("no compiled model in the kit"))])
def test_keras_restores_kit_optimizer_state(name):
    """Keras 3.15.1 loads the compiled model with compile=True, builds its optimizer over the model's
    trainable variables, and restores exactly the state kconform wrote: as many variables (no "Skipping
    variable loading for optimizer" warning), each with the stored dtype, shape and values."""
    entry = MANIFEST["models"][name]
    replay = f"replay: {entry.get('replay')} (kit {KIT}, model {name}, layers {entry.get('layers')}, policy {entry.get('policy')})"
    stored_name, stored = stored_optimizer_state(KIT / entry["file"])
    keras.backend.clear_session()
    records = []

    class Capture(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    handler = Capture()
    logging.getLogger().addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                model = keras.saving.load_model(KIT / entry["file"], safe_mode=True, compile=True)
            except Exception as error:  # noqa: BLE001 - as in test_keras_loads_and_predicts_kit_model
                defect = keras_defect(entry, error=error)
                if defect:
                    pytest.xfail(f"known Keras defect (docs/DIVERGENCES.md): {defect}")
                raise
    finally:
        logging.getLogger().removeHandler(handler)
    messages = [str(w.message) for w in caught] + records
    skipped = [m for m in messages if "Skipping variable loading for optimizer" in m or "could not be loaded" in m]
    assert not skipped, f"Keras skipped state: {skipped}; {replay}"
    optimizer = model.optimizer
    assert optimizer is not None and optimizer.built, f"the optimizer was not built on load; {replay}"
    assert stored_name == optimizer.name, f"/optimizer/vars name {stored_name!r}, Keras's optimizer {optimizer.name!r}; {replay}"
    variables = optimizer.variables
    layout = [(v.path, str(v.dtype), tuple(v.shape)) for v in variables]
    assert len(stored) == len(variables), f"{len(stored)} stored variables, Keras's optimizer has {len(variables)}: {layout}; {replay}"
    for index, ((dtype, array), variable) in enumerate(zip(stored, variables)):
        where = f"/optimizer/vars/{index} for {variable.path}"
        assert dtype == str(variable.dtype), f"{where}: stored {dtype}, Keras's variable is {variable.dtype}; {replay}"
        assert array.shape == tuple(variable.shape), f"{where}: stored {array.shape}, Keras's variable is {tuple(variable.shape)}; {replay}"
        restored = keras.ops.convert_to_numpy(variable.value)
        assert restored.dtype == array.dtype and np.array_equal(restored, array), f"{where}: Keras holds {restored}, stored {array}; {replay}"
    iteration = keras.ops.convert_to_numpy(optimizer.iterations)
    assert 1 <= int(iteration) <= 20, f"iterations {iteration}: not a state 'after a few steps'; {replay}"

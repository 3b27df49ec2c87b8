"""Keras 2 (tf-keras 2.x) is the oracle: kconform reads the legacy .h5 files tf-keras writes (full models and
the weights-only layout) and predicts what tf-keras predicted, and tf-keras loads the Keras 2 flavour kconform
writes (`kconform convert IN OUT.h5 --flavor keras2`, `--weights-only`) and predicts the same.

Runs in its own environment (scripts/corpus/requirements-keras2.txt: tensorflow-cpu 2.21.0, tf_keras 2.21.0),
with KCONFORM (the built binary) in the environment; skipped as a whole where tf_keras cannot be imported (the
Keras 3 environment of `make test-python`). Fixtures: Corpus/golden/keras2 (scripts/corpus/make_keras2.py) and
a few Keras 3 files of Corpus/golden.
"""
import importlib.util
import json
import os
import pathlib
import subprocess
import zipfile

import numpy as np
import pytest

if importlib.util.find_spec("tf_keras") is None:
    pytest.skip("tf_keras is not installed: this tier runs in the tf-keras environment of "
                "scripts/corpus/requirements-keras2.txt", allow_module_level=True)

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
import tf_keras  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "Corpus" / "golden"
KERAS2 = GOLDEN / "keras2"
KCONFORM = os.environ.get("KCONFORM", str(ROOT / ".build" / "release" / "kconform"))

MODELS = json.loads((KERAS2 / "MANIFEST.json").read_text(encoding="utf-8"))["models"]
GOLDEN_MODELS = json.loads((GOLDEN / "MANIFEST.json").read_text(encoding="utf-8"))["models"]
ZOO = GOLDEN / "zoo"
ZOO_MODELS = json.loads((ZOO / "MANIFEST.json").read_text(encoding="utf-8"))["models"]
# Keras 3 models kconform refuses to write as Keras 2 (KC-REF-012), each with why tf-keras cannot hold it.
KERAS2_REFUSED = dict(
    line.split("\t", 1) for line in (ROOT / "Tests" / "python" / "keras2_refused.txt").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
)


def keras3_file(folder, facts):
    """The model file of a golden entry: its .keras archive, else its legacy .h5."""
    files = facts["files"]
    return next((f for f in files if f.endswith(".keras")), None) or next(
        (f for f in files if f.endswith(".h5") and not f.endswith(".weights.h5")), None)


# Every Keras 3 golden and zoo model converted to the Keras 2 flavour: (id, folder, facts, file).
KERAS3_FILES = [
    (("zoo/" if folder == ZOO else "") + name, folder, facts, keras3_file(folder, facts))
    for folder, models in ((GOLDEN, GOLDEN_MODELS), (ZOO, ZOO_MODELS))
    for name, facts in sorted(models.items()) if keras3_file(folder, facts)
]


@pytest.fixture(autouse=True)
def fresh_session():
    tf_keras.backend.clear_session()
    yield


def as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def io_arrays(folder, facts):
    inputs = [np.load(folder / path) for path in facts["inputs"]]
    outputs = [np.load(folder / path) for path in as_list(facts["outputs"])]
    return inputs, outputs


def assert_close(predicted, expected):
    """The issue's tolerance: |ours - ref| <= 1e-5 * max(1, max|ref|) + 1e-4 * |ref|, per output."""
    predicted = as_list(predicted)
    assert len(predicted) == len(expected), f"{len(predicted)} outputs, expected {len(expected)}"
    for ours, ref in zip(predicted, expected):
        atol = 1e-5 * max(1.0, float(np.max(np.abs(ref))) if ref.size else 1.0)
        np.testing.assert_allclose(np.asarray(ours, dtype=np.float32), ref.astype(np.float32), rtol=1e-4, atol=atol)


def tf_keras_predict(model, inputs):
    return model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)


def kconform(*args):
    return subprocess.run([KCONFORM, *map(str, args)], capture_output=True, text=True)


def saved_optimizer(path):
    """(class name, learning rate) of the optimizer a model file records, "Custom>" prefixes dropped; None if uncompiled."""
    path = pathlib.Path(path)
    if path.suffix == ".keras":
        with zipfile.ZipFile(path) as archive:
            compile_config = json.loads(archive.read("config.json")).get("compile_config")
        optimizer = compile_config and compile_config.get("optimizer")
    else:
        import h5py

        with h5py.File(path, "r") as f:
            text = f.attrs.get("training_config")
        optimizer = json.loads(text.decode() if isinstance(text, bytes) else text)["optimizer_config"] if text is not None else None
    if not optimizer:
        return None
    rate = optimizer["config"].get("learning_rate")
    return optimizer["class_name"].split(">")[-1], rate if isinstance(rate, (int, float)) else None


def keras2_files():
    for model, facts in sorted(MODELS.items()):
        for file in facts["files"]:
            yield pytest.param(model, file, id=file)


# ----------------------------------------------------------------------------------------------
# a. kconform reads what tf-keras writes


@pytest.mark.parametrize("model", sorted(MODELS))
def test_kconform_predicts_what_tf_keras_predicted(model, tmp_path):
    facts = MODELS[model]
    inputs, expected = io_arrays(KERAS2, facts)
    args = ["predict", KERAS2 / facts["files"][0]]
    for path in facts["inputs"]:
        args += ["--input", KERAS2 / path]
    outputs = [tmp_path / f"out{i}.npy" for i in range(len(expected))]
    for path in outputs:
        args += ["--output", path]
    result = kconform(*args)
    assert result.returncode == 0, result.stderr
    assert_close([np.load(path) for path in outputs], expected)


@pytest.mark.parametrize("model,file", list(keras2_files()))
def test_kconform_check_passes_tf_keras_file(model, file):
    result = kconform("check", KERAS2 / file)
    assert result.returncode == 0, result.stdout + result.stderr


def test_kconform_loads_tf_keras_weights_only_files_into_the_architecture(tmp_path):
    """`kconform conform --corpus` loads each <name>_weights.h5 into its <name>.h5 architecture and predicts."""
    result = kconform("conform", "--corpus", KERAS2, "--report", tmp_path)
    report = json.loads((tmp_path / "conformance.json").read_text(encoding="utf-8"))
    weights_cases = {case["name"]: case for case in report["cases"] if case["name"].endswith("_weights.h5")}
    assert len(weights_cases) == len(MODELS), sorted(weights_cases)
    failed = {name: case["detail"] for name, case in weights_cases.items() if case["outcome"] != "pass"}
    assert not failed, failed
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr


# ----------------------------------------------------------------------------------------------
# b. tf-keras reads the Keras 2 flavour kconform writes


def convert_keras2(source, tmp_path):
    out = tmp_path / "converted.h5"
    result = kconform("convert", source, out, "--flavor", "keras2")
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("model", sorted(MODELS))
def test_tf_keras_loads_kconform_keras2_h5_of_tf_keras_file(model, tmp_path):
    facts = MODELS[model]
    converted = convert_keras2(KERAS2 / facts["files"][0], tmp_path)
    inputs, expected = io_arrays(KERAS2, facts)
    loaded = tf_keras.models.load_model(converted, compile=False)
    assert_close(tf_keras_predict(loaded, inputs), expected)


@pytest.mark.parametrize("model", sorted(m for m, facts in MODELS.items() if facts["optimizer"]))
def test_tf_keras_compiles_kconform_keras2_h5_with_the_same_optimizer(model, tmp_path):
    facts = MODELS[model]
    source = KERAS2 / facts["files"][0]
    converted = convert_keras2(source, tmp_path)
    loaded = tf_keras.models.load_model(converted)
    assert type(loaded.optimizer).__name__ == facts["optimizer"]
    name, rate = saved_optimizer(source)
    assert name == facts["optimizer"]
    assert float(loaded.optimizer.learning_rate.numpy()) == pytest.approx(rate, rel=1e-6)


# Keras 3 golden models whose outputs TensorFlow cannot compute as JAX does (the golden outputs are JAX's):
# tf-keras loads the converted file, and its predict raises where the reason says.
TENSORFLOW_DIVERGES = {
    "zoo/embedding_indices": ("indices", "tf.gather raises InvalidArgumentError on CPU for an index outside [0, input_dim) "
                                         "where JAX's take gives a NaN row (docs/DIVERGENCES.md, Keras backends)"),
}


def predict_or_diverge(case, model, inputs, expected):
    if case in TENSORFLOW_DIVERGES:
        match, _ = TENSORFLOW_DIVERGES[case]
        with pytest.raises(Exception, match=match):
            tf_keras_predict(model, inputs)
        return
    assert_close(tf_keras_predict(model, inputs), expected)


@pytest.mark.parametrize("case,folder,facts,file", KERAS3_FILES, ids=[case for case, *_ in KERAS3_FILES])
def test_tf_keras_loads_kconform_keras2_h5_of_keras3_file(case, folder, facts, file, tmp_path):
    """Every Keras 3 golden model is written as Keras 2 and predicts alike in tf-keras, or is refused with
    KC-REF-012 and listed in keras2_refused.txt with the reason (a listed model that converts fails)."""
    source = folder / file
    out = tmp_path / "converted.h5"
    result = kconform("convert", str(source), str(out), "--flavor", "keras2")
    if case in KERAS2_REFUSED:
        assert result.returncode != 0, f"{case} converts now: remove it from keras2_refused.txt"
        assert "KC-REF-012" in result.stderr and "Keras 2 (tf-keras) form" in result.stderr, result.stderr
        assert not out.exists()
        return
    assert result.returncode == 0, result.stderr
    inputs, expected = io_arrays(folder, facts)
    predict_or_diverge(case, tf_keras.models.load_model(out, compile=False), inputs, expected)
    optimizer = saved_optimizer(source)
    if optimizer:
        compiled = tf_keras.models.load_model(out)
        assert type(compiled.optimizer).__name__ == optimizer[0]
        assert float(compiled.optimizer.learning_rate.numpy()) == pytest.approx(optimizer[1], rel=1e-6)


# ----------------------------------------------------------------------------------------------
# c. tf-keras reads the Keras 2 weights-only layout kconform writes


def convert_weights_only(source, tmp_path):
    out = tmp_path / "converted_weights.h5"
    result = kconform("convert", source, out, "--weights-only")
    assert result.returncode == 0, result.stderr
    return out


def load_weights_into_fresh_clone(architecture_file, weights, inputs, expected, case=None):
    """The architecture loaded again with every weight scrambled (not clone_model: tf-keras cannot clone a
    model whose activation is log_softmax) takes every weight back from the kconform file."""
    reference = tf_keras.models.load_model(architecture_file, compile=False)
    fresh = tf_keras.models.load_model(architecture_file, compile=False)
    rng = np.random.default_rng(0)
    fresh.set_weights([(rng.standard_normal(w.shape) * 3 + 7).astype(w.dtype) for w in fresh.get_weights()])
    fresh.load_weights(weights)
    loaded, wanted = fresh.get_weights(), reference.get_weights()
    assert len(loaded) == len(wanted)
    for got, want in zip(loaded, wanted):
        assert got.shape == want.shape and got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
    predict_or_diverge(case, fresh, inputs, expected)


@pytest.mark.parametrize("model", sorted(MODELS))
def test_tf_keras_load_weights_reads_kconform_weights_only_h5_of_tf_keras_file(model, tmp_path):
    facts = MODELS[model]
    weights = convert_weights_only(KERAS2 / facts["files"][0], tmp_path)
    inputs, expected = io_arrays(KERAS2, facts)
    load_weights_into_fresh_clone(KERAS2 / facts["files"][0], weights, inputs, expected)


CONVERTIBLE = [case for case in KERAS3_FILES if case[0] not in KERAS2_REFUSED]


@pytest.mark.parametrize("case,folder,facts,file", CONVERTIBLE, ids=[case for case, *_ in CONVERTIBLE])
def test_tf_keras_load_weights_reads_kconform_weights_only_h5_of_keras3_file(case, folder, facts, file, tmp_path):
    weights = convert_weights_only(folder / file, tmp_path)
    inputs, expected = io_arrays(folder, facts)
    load_weights_into_fresh_clone(convert_keras2(folder / file, tmp_path), weights, inputs, expected, case)


# ----------------------------------------------------------------------------------------------
# d. generated models (kconform gen) written as Keras 2: refused with KC-REF-012, or tf-keras predicts
#    the kit's outputs (the issue 3 tolerance, in units of the policy's epsilon for float16/bfloat16)

import importlib.util as _importlib_util  # noqa: E402

_spec = _importlib_util.spec_from_file_location("gen_keras_models", ROOT / "scripts" / "conformance" / "gen_keras_models.py")
kit_format = _importlib_util.module_from_spec(_spec)
_spec.loader.exec_module(kit_format)

KIT_COUNT = int(os.environ.get("KCONFORM_KERAS2_KIT_COUNT", "60"))
KIT_SEED = int(os.environ.get("KCONFORM_KERAS2_KIT_SEED", "11"))


@pytest.fixture(scope="module")
def generated_kit(tmp_path_factory):
    folder = tmp_path_factory.mktemp("keras2-kit")
    result = kconform("gen", "--seed", str(KIT_SEED), "--count", str(KIT_COUNT), "--out", str(folder))
    assert result.returncode == 0, result.stderr
    return folder, json.loads((folder / "MANIFEST.json").read_text(encoding="utf-8"))["models"]


def test_generated_models_written_as_keras2_predict_alike_in_tf_keras(generated_kit, tmp_path):
    folder, models = generated_kit
    assert len(models) == KIT_COUNT
    converted, failures = 0, []
    for name, entry in sorted(models.items()):
        out = tmp_path / (name + ".h5")
        result = kconform("convert", str(folder / entry["file"]), str(out), "--flavor", "keras2")
        replay = f"{name} ({entry['replay']}, layers {entry['layers']}, policy {entry['policy']})"
        if result.returncode != 0:
            if "KC-REF-012" not in result.stderr or "Keras 2 (tf-keras) form" not in result.stderr:
                failures.append(f"{replay}: convert failed without the Keras 2 refusal: {result.stderr.strip()}")
            continue
        converted += 1
        tf_keras.backend.clear_session()
        try:
            model = tf_keras.models.load_model(out, compile=False)
            inputs = [np.load(folder / path) for path in entry["inputs"]]
            predicted = as_list(tf_keras_predict(model, inputs))
        except Exception as error:  # noqa: BLE001 - every failure is reported with its replay command
            failures.append(f"{replay}: tf-keras failed: {type(error).__name__}: {str(error)[-300:]}")
            continue
        expected = [np.load(folder / path) for path in entry["outputs"]]
        problem = kit_format.difference(predicted, expected, len(entry["layers"]), entry["policy"])
        if problem:
            failures.append(f"{replay}: {problem}")
    assert not failures, "\n".join(failures)
    # Generated names are often non-ASCII on purpose, which tf-keras cannot hold; a run converting none
    # would prove nothing.
    assert converted >= KIT_COUNT // 10, f"only {converted} of {KIT_COUNT} generated models could be written as Keras 2"

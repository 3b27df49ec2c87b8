"""Real Keras is the oracle: every golden model re-saved by `kconform convert` loads in Keras 3.15.1 with
safe_mode=True and predicts what Keras predicted from the original (Corpus/golden/io).

Run by .ci/run through `make test-python`; needs KCONFORM (the built binary) in the environment.
"""
import functools
import json
import os
import pathlib
import subprocess
import tempfile

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "Corpus" / "golden"
KCONFORM = os.environ.get("KCONFORM", str(ROOT / ".build" / "release" / "kconform"))
def load_models():
    """The golden models and the layer zoo's, with paths relative to Corpus/golden."""
    models = dict(json.loads((GOLDEN / "MANIFEST.json").read_text())["models"])
    zoo = GOLDEN / "zoo" / "MANIFEST.json"
    if zoo.exists():
        for name, facts in json.loads(zoo.read_text())["models"].items():
            models["zoo/" + name] = {
                "inputs": ["zoo/" + path for path in facts["inputs"]],
                "outputs": "zoo/" + facts["outputs"],
                "files": ["zoo/" + path for path in facts["files"]],
            }
    return models


MODELS = load_models()


def archive_cases():
    for model, facts in sorted(MODELS.items()):
        for file in facts["files"]:
            if file.endswith(".keras"):
                yield pytest.param(model, file, facts, id=file)


def needs_tensorflow(file):
    """Keras's lookup layers need TensorFlow even on the JAX backend; the pinned oracle has none."""
    config = (GOLDEN / file).read_bytes()
    try:
        import tensorflow  # noqa: F401
    except ImportError:
        return any(name in config for name in (b"IntegerLookup", b"StringLookup", b"TextVectorization"))
    return False


def tolerance(model, expected):
    """The issue's tolerance; low-precision policies count in their dtype's epsilon."""
    config = b"".join((GOLDEN / file).read_bytes() for file in MODELS[model]["files"] if file.endswith(".keras"))
    epsilon = 2.0**-7 if b"bfloat16" in config else 2.0**-10 if b"float16" in config else 0.0
    rtol = max(1e-3 if model == "deep300" else 1e-4, 4 * epsilon)
    atol = 1e-5 * max(1.0, float(np.max(np.abs(expected))) if expected.size else 1.0)
    return rtol, atol


@pytest.mark.parametrize("model,file,facts", list(archive_cases()))
def test_keras_loads_and_predicts_kconform_output(model, file, facts, tmp_path):
    if needs_tensorflow(file):
        pytest.skip("Keras needs TensorFlow to load lookup layers; the pinned oracle environment has none")
    converted = tmp_path / "converted.keras"
    result = subprocess.run([KCONFORM, "convert", str(GOLDEN / file), str(converted)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    loaded = keras.saving.load_model(converted, safe_mode=True)
    inputs = [np.load(GOLDEN / path) for path in facts["inputs"]]
    expected = np.load(GOLDEN / facts["outputs"])
    predicted = loaded.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
    rtol, atol = tolerance(model, expected)
    np.testing.assert_allclose(np.asarray(predicted, dtype=np.float32), expected.astype(np.float32), rtol=rtol, atol=atol)


@pytest.mark.parametrize("model,file,facts", list(archive_cases()))
def test_kconform_predict_matches_keras(model, file, facts, tmp_path):
    output = tmp_path / "out.npy"
    args = [KCONFORM, "predict", str(GOLDEN / file), "--output", str(output)]
    for path in facts["inputs"]:
        args += ["--input", str(GOLDEN / path)]
    result = subprocess.run(args, capture_output=True, text=True)
    if "KC-REF-008" in result.stderr:
        pytest.skip(f"no forward math yet: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    expected = np.load(GOLDEN / facts["outputs"])
    rtol, atol = tolerance(model, expected)
    np.testing.assert_allclose(np.load(output), expected.astype(np.float32), rtol=rtol, atol=atol)


KNOWN_FAILURES = {
    line.split("\t")[0]: line.split("\t")[1]
    for line in (pathlib.Path(__file__).parent / "known_failures.txt").read_text().splitlines()
    if line and not line.startswith("#")
}


@functools.lru_cache(maxsize=None)
def keras_legacy_round_trip_error(file):
    """None when Keras itself saves the model as a legacy .h5 and loads it back; otherwise its error."""
    with tempfile.TemporaryDirectory() as directory:
        try:
            path = pathlib.Path(directory) / "keras_legacy.h5"
            keras.saving.load_model(GOLDEN / file, compile=False).save(path)
            keras.saving.load_model(path, compile=False)
        except Exception as error:  # noqa: BLE001 - any failure of Keras's own round trip
            return f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
    return None


def legacy_cases():
    for case in archive_cases():
        model, file, _ = case.values
        if model in KNOWN_FAILURES:
            yield pytest.param(*case.values, id=file, marks=pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[model]))
        else:
            yield case


@pytest.mark.parametrize("model,file,facts", list(legacy_cases()))
def test_keras_loads_kconform_legacy_h5(model, file, facts, tmp_path):
    """Where Keras round-trips a model through its own legacy .h5 writer, it loads kconform's legacy .h5 too."""
    if needs_tensorflow(file):
        pytest.skip("Keras needs TensorFlow to load lookup layers; the pinned oracle environment has none")
    keras_error = keras_legacy_round_trip_error(file)
    if keras_error:
        pytest.skip(f"Keras cannot round-trip this model through legacy .h5 itself: {keras_error}")
    converted = tmp_path / "converted.h5"
    result = subprocess.run([KCONFORM, "convert", str(GOLDEN / file), str(converted)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    loaded = keras.saving.load_model(converted, safe_mode=True, compile=False)
    inputs = [np.load(GOLDEN / path) for path in facts["inputs"]]
    expected = np.load(GOLDEN / facts["outputs"])
    predicted = loaded.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
    rtol, atol = tolerance(model, expected)
    np.testing.assert_allclose(np.asarray(predicted, dtype=np.float32), expected.astype(np.float32), rtol=rtol, atol=atol)

#!/usr/bin/env python3
"""What real Keras 3 does with the Keras 2 (tf-keras) files of Corpus/golden/keras2.

Run by make_keras2.py with the Keras 3 interpreter (scripts/corpus/requirements.txt: keras 3.15.1 on
JAX); standalone it prints the same facts:

    KERAS_BACKEND=jax .venv-corpus/bin/python scripts/corpus/keras3_on_keras2.py Corpus/golden/keras2 [--json OUT]

Per model of DIR/MANIFEST.json (its first file is the full model <name>.h5, the second the weights-only
<name>_weights.h5):
    load_model                 keras.saving.load_model(h5): ok, max |predict - tf_keras outputs|, the
                               optimizer's class and config (compiled models), or the exception
    load_model_compile_false   the same with compile=False
    load_weights               keras.models.clone_model(<the compile=False model>) (fresh weights; the
                               max |predict - outputs| before loading is recorded too), then
                               load_weights(<name>_weights.h5) and predict. Where Keras 3 cannot
                               read the tf-keras config, the same architecture written with the
                               Keras 3 API (KERAS3_ARCHITECTURES below: same layers, order and
                               names) takes its place, so the weights-only layout is still tried.
    warnings                   what Keras logged while loading (absl logger), e.g. that it dropped
                               the saved optimizer state
Every value comes from running Keras; nothing is typed in.
"""

import argparse
import json
import logging
import os
import platform
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.pop("TF_USE_LEGACY_KERAS", None)

import h5py  # noqa: E402
import jax  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402


def as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def max_abs_diff(predicted, expected):
    return max(float(np.max(np.abs(np.asarray(p, np.float32) - e))) if e.size else 0.0
               for p, e in zip(as_list(predicted), expected))


def within_tolerance(predicted, expected):
    """|ours - ref| <= 1e-5 * max(1, max|ref|) + 1e-4 * |ref| on every output."""
    for p, e in zip(as_list(predicted), expected):
        atol = 1e-5 * max(1.0, float(np.max(np.abs(e))) if e.size else 1.0)
        if not np.all(np.abs(np.asarray(p, np.float32) - e) <= atol + 1e-4 * np.abs(e)):
            return False
    return True


def error_text(error):
    """The exception's type and message, whitespace collapsed, at most 1200 characters."""
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text[:1200]}"


class Captured(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(" ".join(record.getMessage().split())[:300])


def captured_warnings(action):
    """Runs `action`, returning its value and the warnings Keras logged through absl meanwhile."""
    handler = Captured()
    logger = logging.getLogger("absl")
    logger.addHandler(handler)
    try:
        return action(), handler.messages
    finally:
        logger.removeHandler(handler)


def keras3_architecture(name):
    """The fixture architecture of make_keras2.py written with the Keras 3 API (same layers, order, names)."""
    L = keras.layers
    if name == "conv_variants":
        inp = keras.Input((8, 8, 3), name="image")
        h = L.SeparableConv2D(4, 3, padding="same", depth_multiplier=2, name="separable")(inp)
        h = L.DepthwiseConv2D(3, depth_multiplier=2, name="depthwise")(h)
        h = L.Reshape((36, 8), name="to_sequence")(h)
        h = L.Conv1D(4, 3, dilation_rate=2, activation="relu", name="conv1d")(h)
        h = L.GlobalMaxPooling1D(name="gmp")(h)
        return keras.Model(inp, L.Dense(2, name="head")(h), name=name)
    if name == "embedding_lstm":
        return keras.Sequential([keras.Input((5,), dtype="int32"), L.Embedding(20, 8), L.LSTM(6, return_sequences=True),
                                 L.LSTM(4), L.Dense(2)], name=name)
    if name == "gru_bidirectional":
        return keras.Sequential([keras.Input((5, 4)), L.GRU(6, reset_after=True, return_sequences=True),
                                 L.GRU(5, reset_after=False, return_sequences=True), L.Bidirectional(L.GRU(3)),
                                 L.Dense(2)], name=name)
    if name == "simplernn_timedistributed":
        return keras.Sequential([keras.Input((5, 4)), L.TimeDistributed(L.Dense(6, activation="relu")),
                                 L.SimpleRNN(5, return_sequences=True), L.TimeDistributed(L.Dense(2))], name=name)
    if name == "nested":
        inner = keras.Sequential([keras.Input((4,)), L.Dense(5, activation="relu"), L.Dense(3)], name="inner_seq")
        inp = keras.Input((4,), name="outer_in")
        h = L.Concatenate(name="concat")([inner(inp), inp])
        return keras.Model(inp, L.Dense(2, name="outer_dense")(h), name=name)
    return None


def jsonable(value):
    return json.loads(json.dumps(value, default=lambda v: v.item() if hasattr(v, "item") else str(v)))


def run(action, x, expected):
    try:
        model, warnings = captured_warnings(action)
    except Exception as error:  # the fact being collected
        return {"ok": False, "error": error_text(error)}, None
    try:
        predicted = model.predict(x, verbose=0)
    except Exception as error:
        return {"ok": False, "error": "loaded, predict raised " + error_text(error)}, model
    facts = {"ok": True, "max_abs_diff": max_abs_diff(predicted, expected),
             "within_tolerance": within_tolerance(predicted, expected), "warnings": warnings}
    return facts, model


def model_facts(name, folder, facts):
    h5, weights = (os.path.join(folder, f) for f in facts["files"][:2])
    inputs = [np.load(os.path.join(folder, p)) for p in facts["inputs"]]
    outputs = [np.load(os.path.join(folder, p)) for p in as_list(facts["outputs"])]
    x = inputs if len(inputs) > 1 else inputs[0]
    result = {}
    result["load_model"], compiled = run(lambda: keras.saving.load_model(h5), x, outputs)
    if compiled is not None:
        optimizer = getattr(compiled, "optimizer", None)
        result["load_model"]["optimizer"] = type(optimizer).__name__ if optimizer is not None else None
        if optimizer is not None:
            result["load_model"]["optimizer_config"] = jsonable(optimizer.get_config())
            result["load_model"]["optimizer_iterations"] = int(optimizer.iterations.numpy())
            result["load_model"]["optimizer_variables"] = len(optimizer.variables)
    result["load_model_compile_false"], plain = run(lambda: keras.saving.load_model(h5, compile=False), x, outputs)
    if plain is not None:
        clone = keras.models.clone_model(plain)
        how = "keras.models.clone_model(load_model(h5, compile=False)).load_weights(<name>_weights.h5)"
    else:
        clone = keras3_architecture(name)
        how = "keras3_architecture(name) (the fixture rebuilt with the Keras 3 API).load_weights(<name>_weights.h5)"
        if clone is None:
            result["load_weights"] = {"ok": False, "error": "no Keras 3 architecture: load_model(compile=False) failed"}
            return result
    try:
        before = max_abs_diff(clone.predict(x, verbose=0), outputs)
    except Exception as error:
        before = "predict raised " + error_text(error)

    def load():
        clone.load_weights(weights)
        return clone

    result["load_weights"], _ = run(load, x, outputs)
    result["load_weights"]["how"] = how
    result["load_weights"]["max_abs_diff_before_load"] = before
    return result


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--json", help="write the facts here instead of printing them")
    args = parser.parse_args(argv)
    with open(os.path.join(args.folder, "MANIFEST.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    facts = {
        "producer": {
            "python": platform.python_version(),
            "keras": keras.__version__,
            "backend": keras.backend.backend(),
            "jax": jax.__version__,
            "h5py": h5py.__version__,
            "hdf5": h5py.version.hdf5_version,
            "numpy": np.__version__,
            "script": "scripts/corpus/keras3_on_keras2.py",
        },
        "models": {},
    }
    for name, model in sorted(manifest["models"].items()):
        keras.backend.clear_session()
        facts["models"][name] = model_facts(name, args.folder, model)
        summary = {how: r["ok"] for how, r in facts["models"][name].items()}
        print(f"[keras3_on_keras2] {name}: {summary}", flush=True)
    text = json.dumps(facts, indent=1, ensure_ascii=False, allow_nan=False) + "\n"
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

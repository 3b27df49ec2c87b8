#!/usr/bin/env python3
"""Build Corpus/golden/keras2: legacy .h5 files written by tf-keras 2.x (Keras 2), their inputs and outputs,
and what real Keras 3.15.1 does with them.

Corpus/golden/keras2/ is written by this script only; nothing in it is edited by hand.

Producer
    Python 3.11 with the pins of scripts/corpus/requirements-keras2.txt (tensorflow 2.21.0,
    tf_keras 2.21.0, h5py 3.14.0, numpy 2.4.6), on CPU. tf_keras is imported directly (and
    TF_USE_LEGACY_KERAS=1 is set), so every file is what `tf_keras` 2.x writes.
    The Keras 3 facts come from a second interpreter with scripts/corpus/requirements.txt (keras
    3.15.1 on JAX) running scripts/corpus/keras3_on_keras2.py over the written folder.

Usage
    python3.11 -m venv .venv-keras2 && .venv-keras2/bin/pip install -r scripts/corpus/requirements-keras2.txt
    .venv-keras2/bin/python scripts/corpus/make_keras2.py [--out Corpus/golden/keras2] \\
        [--keras3-python .venv-corpus/bin/python]

    The output directory is deleted and rebuilt. Seeds, inputs and op determinism are fixed, so the
    weights, inputs and outputs are the same on every run on the same machine. Without
    --keras3-python the manifest's `keras3` facts are null.

Layout of Corpus/golden/keras2/
    <name>.h5                 tf_keras `model.save("<name>.h5")`: the Keras 2 legacy full model
                              (model_config, model_weights/, and for compiled models training_config
                              and optimizer_weights/)
    <name>_weights.h5         tf_keras `model.save_weights("<name>_weights.h5")`: Keras 2's
                              weights-only layout (layer groups at the root). Not `.weights.h5`:
                              Keras 3 reads that suffix as its own weights format.
    io/<name>.inputs.npy      (or .inputs_0.npy, .inputs_1.npy for several inputs) float32, or int32
                              for Embedding models
    io/<name>.outputs.npy     (or .outputs_0.npy, .outputs_1.npy for several outputs) tf_keras
                              `model.predict` right after saving
    MANIFEST.json             schema 1 as Corpus/golden/MANIFEST.json: `models` (description, inputs,
                              outputs (a string, or a list for several outputs), files (the full
                              model first), optimizer (class, iterations, the file's optimizer_config),
                              tf_keras_reload, keras3), `files`
                              (path, sha256, size, kind, description, model), `producer`,
                              `producer_keras3`.

Per model, `tf_keras_reload` is tf_keras's own load_model and load_weights of the files (the sanity
check that the files are good Keras 2 files), and `keras3` is what Keras 3.15.1 (JAX) does:
`load_model(h5)`, `load_model(h5, compile=False)` and `load_weights(<name>_weights.h5)` into a
fresh clone of the architecture, each ok with max |predict - outputs| or the exception.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras as k  # noqa: E402

SEED = 20261124
SCHEMA = 1
TRAIN_ROWS = 16

tf.get_logger().setLevel("ERROR")
tf.config.experimental.enable_op_determinism()


def rng(tag):
    return np.random.default_rng([SEED, sum(map(ord, tag))])


def seeded(tag):
    """Fresh name counters (layer names start at `dense` again) and a per-model seed."""
    k.backend.clear_session()
    k.utils.set_random_seed(SEED + sum(map(ord, tag)))


def floats(tag, *shape):
    return rng(tag).standard_normal(shape).astype("float32")


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def fit(model, inputs, tag):
    """One epoch over TRAIN_ROWS noisy copies of the inputs, against random targets, in 4 batches."""
    r = rng(tag + "-fit")
    xs = []
    for x in inputs:
        rep = np.concatenate([x] * (TRAIN_ROWS // x.shape[0]))
        xs.append(rep + r.standard_normal(rep.shape).astype(rep.dtype) * 0.1 if rep.dtype.kind == "f" else rep)
    ys = [r.standard_normal((TRAIN_ROWS, *o.shape[1:])).astype("float32") for o in as_list(model.outputs)]
    model.fit(xs if len(xs) > 1 else xs[0], ys if len(ys) > 1 else ys[0], batch_size=TRAIN_ROWS // 4, epochs=1,
              shuffle=False, verbose=0)


# ----------------------------------------------------------------------------------------------
# the models: each returns (model, [inputs], description)


def model_seq_input_shape():
    seeded("seq_input_shape")
    model = k.Sequential(
        [k.layers.Dense(16, activation="relu", input_shape=(8,)), k.layers.Dense(4)], name="seq_input_shape"
    )
    return model, [floats("seq_input_shape", 2, 8)], \
        "Sequential Dense(16,relu,input_shape=(8,))-Dense(4), uncompiled: batch_input_shape on the first layer"


def model_seq_explicit_input():
    seeded("seq_explicit_input")
    model = k.Sequential(
        [k.Input((6,)), k.layers.Dense(8, activation="tanh"), k.layers.Dropout(0.3), k.layers.Dense(3, activation="softmax")],
        name="seq_explicit_input",
    )
    return model, [floats("seq_explicit_input", 2, 6)], \
        "Sequential with an explicit Input((6,)): Dense(8,tanh)-Dropout-Dense(3,softmax), uncompiled"


def model_func_multi_io():
    seeded("func_multi_io")
    a = k.Input((5,), name="in_a")
    b = k.Input((5,), name="in_b")
    shared = k.layers.Dense(6, activation="relu", name="shared")
    sa, sb = shared(a), shared(b)
    merged = k.layers.Concatenate(name="concat")([sa, sb])
    out1 = k.layers.Dense(3, name="head_1")(merged)
    out2 = k.layers.Dense(2, activation="sigmoid", name="head_2")(k.layers.Subtract(name="diff")([sa, sb]))
    model = k.Model([a, b], [out1, out2], name="func_multi_io")
    return model, [floats("func_multi_io_a", 2, 5), floats("func_multi_io_b", 2, 5)], \
        "Functional, two inputs through one shared Dense (two inbound nodes), Concatenate and Subtract, two outputs"


def model_conv_bn_pool():
    seeded("conv_bn_pool")
    model = k.Sequential(
        [
            k.Input((8, 8, 3)),
            k.layers.Conv2D(4, 3, padding="same"),
            k.layers.BatchNormalization(),
            k.layers.Activation("relu"),
            k.layers.MaxPooling2D(2),
            k.layers.Conv2D(4, 3, strides=2, padding="valid", use_bias=False),
            k.layers.GlobalAveragePooling2D(),
            k.layers.Dense(2),
        ],
        name="conv_bn_pool",
    )
    bn = model.layers[1]
    r = rng("bn")
    bn.moving_mean.assign(r.standard_normal(4).astype("float32") * 0.1)
    bn.moving_variance.assign(r.uniform(0.5, 1.5, 4).astype("float32"))
    bn.gamma.assign(r.uniform(0.5, 1.5, 4).astype("float32"))
    bn.beta.assign(r.standard_normal(4).astype("float32") * 0.1)
    return model, [floats("conv_bn_pool", 2, 8, 8, 3)], \
        "Conv2D + BatchNormalization (non-trivial gamma/beta/moving stats) + ReLU + MaxPooling2D + Conv2D(no bias) + GAP + Dense"


def model_conv_variants():
    seeded("conv_variants")
    inp = k.Input((8, 8, 3), name="image")
    h = k.layers.SeparableConv2D(4, 3, padding="same", depth_multiplier=2, name="separable")(inp)
    h = k.layers.DepthwiseConv2D(3, depth_multiplier=2, name="depthwise")(h)
    h = k.layers.Reshape((36, 8), name="to_sequence")(h)
    h = k.layers.Conv1D(4, 3, dilation_rate=2, activation="relu", name="conv1d")(h)
    h = k.layers.GlobalMaxPooling1D(name="gmp")(h)
    out = k.layers.Dense(2, name="head")(h)
    model = k.Model(inp, out, name="conv_variants")
    return model, [floats("conv_variants", 2, 8, 8, 3)], \
        "SeparableConv2D(depth_multiplier=2) + DepthwiseConv2D(depth_multiplier=2) + Reshape + Conv1D(dilation 2) + GlobalMaxPooling1D + Dense"


def model_embedding_lstm():
    seeded("embedding_lstm")
    model = k.Sequential(
        [
            k.Input((5,), dtype="int32"),
            k.layers.Embedding(20, 8),
            k.layers.LSTM(6, return_sequences=True),
            k.layers.LSTM(4),
            k.layers.Dense(2),
        ],
        name="embedding_lstm",
    )
    return model, [rng("embedding_lstm").integers(0, 20, (2, 5)).astype("int32")], \
        "Embedding(20,8) + LSTM(6, return_sequences) + LSTM(4) + Dense(2), int32 inputs"


def model_gru_bidirectional():
    seeded("gru_bidirectional")
    model = k.Sequential(
        [
            k.Input((5, 4)),
            k.layers.GRU(6, reset_after=True, return_sequences=True),
            k.layers.GRU(5, reset_after=False, return_sequences=True),
            k.layers.Bidirectional(k.layers.GRU(3)),
            k.layers.Dense(2),
        ],
        name="gru_bidirectional",
    )
    return model, [floats("gru_bidirectional", 2, 5, 4)], \
        "GRU(reset_after=True) + GRU(reset_after=False) + Bidirectional(GRU(3)) + Dense(2)"


def model_simplernn_timedistributed():
    seeded("simplernn_timedistributed")
    model = k.Sequential(
        [
            k.Input((5, 4)),
            k.layers.TimeDistributed(k.layers.Dense(6, activation="relu")),
            k.layers.SimpleRNN(5, return_sequences=True),
            k.layers.TimeDistributed(k.layers.Dense(2)),
        ],
        name="simplernn_timedistributed",
    )
    return model, [floats("simplernn_timedistributed", 2, 5, 4)], \
        "TimeDistributed(Dense(6,relu)) + SimpleRNN(5, return_sequences) + TimeDistributed(Dense(2))"


def model_merge_ops():
    seeded("merge_ops")
    inp = k.Input((6,), name="x")
    a = k.layers.Dense(4, name="branch_a")(inp)
    b = k.layers.Dense(4, activation="sigmoid", name="branch_b")(inp)
    added = k.layers.Add(name="add")([a, b])
    multiplied = k.layers.Multiply(name="multiply")([a, b])
    averaged = k.layers.Average(name="average")([a, b])
    maxed = k.layers.Maximum(name="maximum")([a, b])
    h = k.layers.Concatenate(name="concat")([added, multiplied, averaged, maxed])
    h = k.layers.Activation("tanh", name="tanh")(h)
    h = k.layers.Dropout(0.5, name="dropout")(h)
    out = k.layers.Dense(3, name="head")(h)
    model = k.Model(inp, out, name="merge_ops")
    return model, [floats("merge_ops", 2, 6)], \
        "Functional: two Dense branches merged by Add, Multiply, Average, Maximum, Concatenate; Activation(tanh), Dropout, Dense"


def model_nested():
    seeded("nested")
    inner = k.Sequential([k.Input((4,)), k.layers.Dense(5, activation="relu"), k.layers.Dense(3)], name="inner_seq")
    inp = k.Input((4,), name="outer_in")
    h = inner(inp)
    h = k.layers.Concatenate(name="concat")([h, inp])
    out = k.layers.Dense(2, name="outer_dense")(h)
    model = k.Model(inp, out, name="nested")
    return model, [floats("nested", 2, 4)], \
        "Functional containing a Sequential (Dense(5,relu)-Dense(3)) whose output is concatenated with the input"


def model_adam_trained():
    seeded("adam_trained")
    inp = k.Input((8,), name="x")
    h = k.layers.Dense(16, activation="relu")(inp)
    h = k.layers.BatchNormalization()(h)
    out = k.layers.Dense(4)(h)
    model = k.Model(inp, out, name="adam_trained")
    model.compile(optimizer=k.optimizers.Adam(1e-3), loss="mean_squared_error", metrics=["mae"])
    x = [floats("adam_trained", 2, 8)]
    fit(model, x, "adam_trained")
    return model, x, \
        "Functional Dense-BatchNormalization-Dense compiled with Adam(1e-3) + mean_squared_error + mae, fitted 1 epoch of 4 steps"


def model_sgd_momentum():
    seeded("sgd_momentum")
    model = k.Sequential(
        [k.layers.Dense(8, activation="relu", input_shape=(6,)), k.layers.Dense(2)], name="sgd_momentum"
    )
    model.compile(optimizer=k.optimizers.SGD(0.01, momentum=0.9, nesterov=True), loss="mse")
    x = [floats("sgd_momentum", 2, 6)]
    fit(model, x, "sgd_momentum")
    return model, x, \
        "Sequential (input_shape=) compiled with SGD(0.01, momentum=0.9, nesterov=True) + mse, fitted 1 epoch of 4 steps"


MODELS = [
    ("seq_input_shape", model_seq_input_shape),
    ("seq_explicit_input", model_seq_explicit_input),
    ("func_multi_io", model_func_multi_io),
    ("conv_bn_pool", model_conv_bn_pool),
    ("conv_variants", model_conv_variants),
    ("embedding_lstm", model_embedding_lstm),
    ("gru_bidirectional", model_gru_bidirectional),
    ("simplernn_timedistributed", model_simplernn_timedistributed),
    ("merge_ops", model_merge_ops),
    ("nested", model_nested),
    ("adam_trained", model_adam_trained),
    ("sgd_momentum", model_sgd_momentum),
]


# ----------------------------------------------------------------------------------------------
# writing


def max_abs_diff(predicted, expected):
    return max(float(np.max(np.abs(np.asarray(p, np.float32) - e))) if e.size else 0.0
               for p, e in zip(as_list(predicted), expected))


def attempt(action, inputs, expected):
    """ok + max |predict - expected| of the model `action` returns, or the exception it raised."""
    try:
        model = action()
        predicted = model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
        return {"ok": True, "max_abs_diff": max_abs_diff(predicted, expected)}
    except Exception as error:  # recorded: this is the fact being collected
        return {"ok": False, "error": f"{type(error).__name__}: {' '.join(str(error).split())[:1200]}"}


def optimizer_name(model):
    optimizer = getattr(model, "optimizer", None)
    return type(optimizer).__name__ if optimizer is not None else None


class Corpus:
    def __init__(self, out):
        self.out = out
        self.files = {}
        self.models = {}

    def record(self, rel, kind, description, model):
        self.files[rel] = {"kind": kind, "description": description, "model": model}

    def saved_optimizer_config(self, h5):
        """`optimizer_config` of the file's training_config attribute as tf_keras wrote it (None if absent)."""
        with h5py.File(os.path.join(self.out, h5), "r") as f:
            if "training_config" not in f.attrs:
                return None
            text = f.attrs["training_config"]
        return json.loads(text.decode("utf-8") if isinstance(text, bytes) else text)["optimizer_config"]

    def add(self, stem, factory):
        started = time.monotonic()
        model, inputs, description = factory()
        h5 = f"{stem}.h5"
        weights = f"{stem}_weights.h5"
        model.save(os.path.join(self.out, h5), save_format="h5")
        model.save_weights(os.path.join(self.out, weights), save_format="h5")
        predicted = as_list(model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0))
        outputs = [np.asarray(p, dtype=np.float32) for p in predicted]

        def io_names(kind, count):
            return [f"io/{stem}.{kind}.npy"] if count == 1 else [f"io/{stem}.{kind}_{i}.npy" for i in range(count)]

        input_files = io_names("inputs", len(inputs))
        output_files = io_names("outputs", len(outputs))
        for rel, array in zip(input_files + output_files, inputs + outputs):
            np.save(os.path.join(self.out, rel), array, allow_pickle=False)
            self.record(rel, "npy", f"{'input' if '.inputs' in rel else 'output'} of {stem} ({array.dtype}, {list(array.shape)})", stem)
        self.record(h5, "legacy-h5", f"tf_keras model.save (Keras 2 legacy .h5): {description}", stem)
        self.record(weights, "legacy-weights-h5", f"tf_keras save_weights (Keras 2 weights-only .h5) of {stem}", stem)

        def reload_full():
            return k.models.load_model(os.path.join(self.out, h5))

        def reload_weights():
            clone = k.models.clone_model(model)
            clone.load_weights(os.path.join(self.out, weights))
            return clone

        reload = {
            "load_model": attempt(reload_full, inputs, outputs),
            "load_model_compile_false": attempt(lambda: k.models.load_model(os.path.join(self.out, h5), compile=False),
                                                inputs, outputs),
            "load_weights": attempt(reload_weights, inputs, outputs),
        }
        reload["load_weights"]["how"] = "tf_keras.models.clone_model(model).load_weights(file)"
        try:
            reload["load_model"]["optimizer"] = optimizer_name(reload_full())
        except Exception:  # the attempt above recorded the error
            pass
        self.models[stem] = {
            "description": description,
            "inputs": input_files,
            "outputs": output_files[0] if len(output_files) == 1 else output_files,
            "outputs_cast": None,
            "files": [h5, weights],
            "optimizer": optimizer_name(model),
            "training_config_optimizer": self.saved_optimizer_config(h5),
            "optimizer_iterations": int(model.optimizer.iterations.numpy()) if model.optimizer is not None else None,
            "tf_keras_reload": reload,
            "keras3": None,
        }
        print(f"[make_keras2] {stem}: {time.monotonic() - started:.1f} s", flush=True)


def producer_block():
    return {
        "python": platform.python_version(),
        "tf_keras": k.__version__,
        "tensorflow": tf.__version__,
        "h5py": h5py.__version__,
        "hdf5": h5py.version.hdf5_version,
        "numpy": np.__version__,
        "platform": platform.platform(),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "seed": SEED,
        "script": "scripts/corpus/make_keras2.py",
    }


def write_manifest(out, corpus, producer_keras3):
    files = []
    for rel in sorted(corpus.files):
        full = os.path.join(out, rel)
        files.append({"path": rel, "sha256": sha256_file(full), "size": os.path.getsize(full), **corpus.files[rel]})
    manifest = {
        "schema": SCHEMA,
        "producer": producer_block(),
        "producer_keras3": producer_keras3,
        "io_dir": "io/",
        "models": corpus.models,
        "files": files,
    }
    text = json.dumps({**manifest, "files": "@@files@@"}, indent=1, ensure_ascii=False, allow_nan=False)
    rows = ",\n  ".join(json.dumps(entry, ensure_ascii=False, separators=(",", ":")) for entry in files)
    text = text.replace('"@@files@@"', "[\n  " + rows + "\n ]")
    with open(os.path.join(out, "MANIFEST.json"), "w", encoding="utf-8") as f:
        f.write(text + "\n")


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(here, "..", "..", "Corpus", "golden", "keras2"))
    parser.add_argument("--keras3-python", metavar="PYTHON",
                        help="interpreter with requirements.txt (keras 3.15.1, jax); without it the keras3 facts are null")
    args = parser.parse_args(argv)
    out = os.path.abspath(args.out)
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "io"))
    corpus = Corpus(out)
    for stem, factory in MODELS:
        corpus.add(stem, factory)

    on_disk = {os.path.relpath(os.path.join(root, fn), out).replace(os.sep, "/")
               for root, _, names in os.walk(out) for fn in names}
    unlisted = sorted(on_disk - set(corpus.files))
    assert not unlisted, f"files written but not in the manifest: {unlisted}"
    bad = [stem for stem, m in corpus.models.items() for how, r in m["tf_keras_reload"].items()
           if not r["ok"] or r["max_abs_diff"] > 1e-6]
    assert not bad, f"tf_keras does not read its own files back: {bad}"

    producer_keras3 = None
    write_manifest(out, corpus, producer_keras3)
    if args.keras3_python:
        with tempfile.TemporaryDirectory() as tmp:
            report = os.path.join(tmp, "keras3.json")
            env = {key: value for key, value in os.environ.items() if key != "TF_USE_LEGACY_KERAS"}
            env["KERAS_BACKEND"] = "jax"
            subprocess.run([args.keras3_python, os.path.join(here, "keras3_on_keras2.py"), out, "--json", report],
                           check=True, env=env)
            with open(report, encoding="utf-8") as f:
                facts = json.load(f)
        producer_keras3 = facts["producer"]
        for stem, model_facts in facts["models"].items():
            corpus.models[stem]["keras3"] = model_facts
        write_manifest(out, corpus, producer_keras3)
    else:
        print("[make_keras2] no --keras3-python: the keras3 facts are null")
    total = sum(os.path.getsize(os.path.join(out, p)) for p in on_disk) + os.path.getsize(os.path.join(out, "MANIFEST.json"))
    print(f"[make_keras2] {len(on_disk) + 1} files, total {total} bytes ({total / 1024:.0f} KiB) in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

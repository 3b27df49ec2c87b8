#!/usr/bin/env python3
"""Write Sources/KerasConformance/KerasTemplates.swift: the serialized form Keras 3.15.1 gives every object
the conformance generators draw (layers, initializers, regularizers, constraints, dtype policies, and the
optimizers, learning-rate schedules, losses and metrics of compile configs).

The generators start each object from its template and override only the hyperparameters they sample, so
every field they do not sample (its name, its order, its default) is what Keras itself writes: nothing in
the generated configs is typed in by hand.

Producer: the pinned environment of scripts/corpus/requirements.txt (keras 3.15.1, jax 0.10.2), backend jax.
Usage:    KERAS_BACKEND=jax /work/venv/bin/python scripts/conformance/make_templates.py [--out FILE]
"""

import argparse
import io
import json
import os
import tempfile
import zipfile

os.environ["KERAS_BACKEND"] = "jax"
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

L = keras.layers

# Each layer with the arguments its constructor requires; the generators override them.
LAYERS = {
    "Dense": lambda: L.Dense(1),
    "EinsumDense": lambda: L.EinsumDense("ab,bc->ac", output_shape=1),
    "Activation": lambda: L.Activation("relu"),
    "Dropout": lambda: L.Dropout(0.5),
    "SpatialDropout1D": lambda: L.SpatialDropout1D(0.5),
    "SpatialDropout2D": lambda: L.SpatialDropout2D(0.5),
    "GaussianNoise": lambda: L.GaussianNoise(0.1),
    "GaussianDropout": lambda: L.GaussianDropout(0.1),
    "AlphaDropout": lambda: L.AlphaDropout(0.1),
    "Flatten": lambda: L.Flatten(),
    "Reshape": lambda: L.Reshape((1,)),
    "Permute": lambda: L.Permute((1,)),
    "RepeatVector": lambda: L.RepeatVector(2),
    "Add": lambda: L.Add(),
    "Subtract": lambda: L.Subtract(),
    "Multiply": lambda: L.Multiply(),
    "Average": lambda: L.Average(),
    "Maximum": lambda: L.Maximum(),
    "Minimum": lambda: L.Minimum(),
    "Concatenate": lambda: L.Concatenate(),
    "Dot": lambda: L.Dot(axes=1),
    "Conv1D": lambda: L.Conv1D(1, 1),
    "Conv2D": lambda: L.Conv2D(1, 1),
    "Conv3D": lambda: L.Conv3D(1, 1),
    "DepthwiseConv1D": lambda: L.DepthwiseConv1D(1),
    "DepthwiseConv2D": lambda: L.DepthwiseConv2D(1),
    "SeparableConv1D": lambda: L.SeparableConv1D(1, 1),
    "SeparableConv2D": lambda: L.SeparableConv2D(1, 1),
    "Conv1DTranspose": lambda: L.Conv1DTranspose(1, 1),
    "Conv2DTranspose": lambda: L.Conv2DTranspose(1, 1),
    "Conv3DTranspose": lambda: L.Conv3DTranspose(1, 1),
    "MaxPooling1D": lambda: L.MaxPooling1D(),
    "MaxPooling2D": lambda: L.MaxPooling2D(),
    "MaxPooling3D": lambda: L.MaxPooling3D(),
    "AveragePooling1D": lambda: L.AveragePooling1D(2),
    "AveragePooling2D": lambda: L.AveragePooling2D(2),
    "AveragePooling3D": lambda: L.AveragePooling3D(2),
    "GlobalMaxPooling1D": lambda: L.GlobalMaxPooling1D(),
    "GlobalMaxPooling2D": lambda: L.GlobalMaxPooling2D(),
    "GlobalMaxPooling3D": lambda: L.GlobalMaxPooling3D(),
    "GlobalAveragePooling1D": lambda: L.GlobalAveragePooling1D(),
    "GlobalAveragePooling2D": lambda: L.GlobalAveragePooling2D(),
    "GlobalAveragePooling3D": lambda: L.GlobalAveragePooling3D(),
    "ZeroPadding1D": lambda: L.ZeroPadding1D(),
    "ZeroPadding2D": lambda: L.ZeroPadding2D(),
    "ZeroPadding3D": lambda: L.ZeroPadding3D(),
    "Cropping1D": lambda: L.Cropping1D(),
    "Cropping2D": lambda: L.Cropping2D(),
    "Cropping3D": lambda: L.Cropping3D(),
    "UpSampling1D": lambda: L.UpSampling1D(),
    "UpSampling2D": lambda: L.UpSampling2D(),
    "UpSampling3D": lambda: L.UpSampling3D(),
    "BatchNormalization": lambda: L.BatchNormalization(),
    "LayerNormalization": lambda: L.LayerNormalization(),
    "GroupNormalization": lambda: L.GroupNormalization(groups=1),
    "UnitNormalization": lambda: L.UnitNormalization(),
    "Embedding": lambda: L.Embedding(1, 1),
    "Rescaling": lambda: L.Rescaling(1.0),
    "ReLU": lambda: L.ReLU(),
    "LeakyReLU": lambda: L.LeakyReLU(),
    "PReLU": lambda: L.PReLU(),
    "ELU": lambda: L.ELU(),
    "Softmax": lambda: L.Softmax(),
    "SimpleRNN": lambda: L.SimpleRNN(1),
    "LSTM": lambda: L.LSTM(1),
    "GRU": lambda: L.GRU(1),
    "Bidirectional": lambda: L.Bidirectional(L.LSTM(1)),
    "TimeDistributed": lambda: L.TimeDistributed(L.Dense(1)),
    "Attention": lambda: L.Attention(),
    "MultiHeadAttention": lambda: L.MultiHeadAttention(1, 1),
    "Lambda": lambda: L.Lambda(keras.activations.relu),
    # A Python lambda: Keras writes its bytecode as the `__lambda__` marker (safe mode refuses it).
    "LambdaBytecode": lambda: L.Lambda(lambda x: x * 2.0, name="lambda"),
}
INITIALIZERS = ["GlorotUniform", "GlorotNormal", "HeNormal", "HeUniform", "LecunNormal", "LecunUniform",
                "RandomNormal", "RandomUniform", "TruncatedNormal", "Zeros", "Ones", "Orthogonal",
                "VarianceScaling", "Constant", "Identity"]
REGULARIZERS = ["L1", "L2", "L1L2", "OrthogonalRegularizer"]
CONSTRAINTS = ["MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm"]
POLICIES = ["float32", "float16", "bfloat16", "mixed_float16", "mixed_bfloat16"]
OPTIMIZERS = ["SGD", "Adam", "AdamW", "Nadam", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Ftrl", "Lion"]
S = keras.optimizers.schedules
SCHEDULES = {
    "ExponentialDecay": lambda: S.ExponentialDecay(0.01, 10, 0.9),
    "InverseTimeDecay": lambda: S.InverseTimeDecay(0.01, 10, 0.5),
    "PolynomialDecay": lambda: S.PolynomialDecay(0.01, 10),
    "PiecewiseConstantDecay": lambda: S.PiecewiseConstantDecay([10], [0.01, 0.001]),
    "CosineDecay": lambda: S.CosineDecay(0.01, 10),
    "CosineDecayRestarts": lambda: S.CosineDecayRestarts(0.01, 10),
}
# Losses and metrics that take any float predictions of any shape (the generated models' outputs).
LOSSES = ["MeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError",
          "Huber", "LogCosh", "CosineSimilarity"]
LOSS_STRINGS = ["mse", "mae", "mape", "msle", "huber", "log_cosh", "cosine_similarity"]
METRICS = ["MeanSquaredError", "MeanAbsoluteError", "RootMeanSquaredError", "LogCoshError", "CosineSimilarity"]
METRIC_STRINGS = ["mse", "mae", "mape", "msle", "cosine_similarity"]


# Optimizer variants whose saved state differs in layout: config overrides of each optimizer template.
# `drawn: False` variants are recorded for reference only (the compile sampler never draws them).
OPTIMIZER_VARIANTS = {
    "SGD": ("SGD", {}, True),
    "SGD_momentum": ("SGD", {"momentum": 0.9}, True),
    "Adam": ("Adam", {}, True),
    "Adam_amsgrad": ("Adam", {"amsgrad": True}, True),
    "AdamW": ("AdamW", {}, True),
    "AdamW_amsgrad": ("AdamW", {"amsgrad": True}, True),
    "Nadam": ("Nadam", {}, True),
    "RMSprop": ("RMSprop", {}, True),
    "RMSprop_momentum": ("RMSprop", {"momentum": 0.9}, True),
    "RMSprop_centered": ("RMSprop", {"centered": True}, True),
    "RMSprop_momentum_centered": ("RMSprop", {"momentum": 0.9, "centered": True}, True),
    "Adagrad": ("Adagrad", {}, True),
    "Adadelta": ("Adadelta", {}, True),
    "Adamax": ("Adamax", {}, True),
    "Ftrl": ("Ftrl", {}, True),
    "Lion": ("Lion", {}, True),
    "Adam_ema": ("Adam", {"use_ema": True}, False),
    "Adam_accumulation": ("Adam", {"gradient_accumulation_steps": 2}, False),
}
# Slots that hold second moments, accumulators or norms: Keras keeps them non-negative (checked on the
# observed state below).
NONNEGATIVE_SLOTS = {"velocity", "velocity_hat", "accumulator", "accumulated_grad", "accumulated_delta_var", "norm"}


def trained_state(optimizer, layers):
    """Compiles `Input(2) -> layers`, trains 2 steps, saves; returns (trainable variables, the optimizer's
    variables as (name, dtype, shape, values) in the order of `/optimizer/vars`, the `vars` name attribute,
    every HDF5 group under `optimizer`)."""
    keras.backend.clear_session()
    model = keras.Sequential([keras.Input((2,))] + layers)
    model.compile(optimizer=optimizer, loss="mse")
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(4, 2)).astype("float32"), rng.normal(size=(4, model.outputs[0].shape[-1])).astype("float32")
    model.fit(x, y, batch_size=2, epochs=1, verbose=0)
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "model.keras")
        model.save(path)
        with zipfile.ZipFile(path) as archive:
            data = archive.read("model.weights.h5")
    groups = []
    with h5py.File(io.BytesIO(data), "r") as weights:
        weights["optimizer"].visit(lambda name: groups.append(name) if isinstance(weights["optimizer"][name], h5py.Group) else None)
        stored = weights["optimizer/vars"]
        names = [variable.path for variable in model.optimizer.variables]
        assert len(stored) == len(names), (optimizer, len(stored), names)
        state = [(name, str(stored[str(i)].dtype), list(stored[str(i)].shape), np.array(stored[str(i)]))
                 for i, name in enumerate(names)]
        assert stored.attrs["name"] == model.optimizer.name, (optimizer, stored.attrs["name"])
        vars_name = stored.attrs["name"]
    return [v.path.replace("/", "_") for v in model.trainable_variables], [v for v in model.trainable_variables], state, vars_name, groups


def slot_layout(key, class_name, overrides):
    """The `/optimizer/vars` layout Keras writes for optimizer variant `key`, as a rule over the model's
    trainable variables: `scalar` entries (with their dtype, or `first_variable` for the dtype of the first
    trainable variable) and `each_variable` blocks (for each trainable variable in order, one slot per name,
    with that variable's shape and dtype). The learning-rate entry is marked `float_learning_rate` (absent
    with a schedule). The rule is derived from one model and checked against two others."""
    def make(rate=None):
        config = dict(overrides)
        if rate is not None:
            config["learning_rate"] = rate
        return getattr(keras.optimizers, class_name)(**config)

    def owner(prefixes, name):
        local = name.split("/", 1)[-1]
        for index, prefix in enumerate(prefixes):
            if local.startswith(prefix + "_"):
                return index, local[len(prefix) + 1:]
        return None, local

    def parse(prefixes, state):
        layout, position = [], 0
        while position < len(state):
            name, dtype, shape, _ = state[position]
            index, slot = owner(prefixes, name)
            if index is None:
                layout.append({"name": slot, "dtype": dtype, "shape": "scalar"})
                position += 1
                continue
            assert index == 0, (key, name)
            slots = []
            while position + len(slots) < len(state) and owner(prefixes, state[position + len(slots)][0])[0] == 0:
                slots.append(owner(prefixes, state[position + len(slots)][0])[1])
            layout.append({"each_variable": slots})
            position += len(slots) * len(prefixes)
        return layout

    def expand(layout, prefixes, variables, float_rate):
        out = []
        for entry in layout:
            if "each_variable" in entry:
                for prefix, variable in zip(prefixes, variables):
                    for slot in entry["each_variable"]:
                        out.append((f"{prefix}_{slot}", str(variable.dtype), list(variable.shape)))
            elif entry.get("float_learning_rate") and not float_rate:
                continue
            else:
                dtype = str(variables[0].dtype) if entry["dtype"] == "first_variable" else entry["dtype"]
                out.append((entry["name"], dtype, []))
        return out

    prefixes, variables, state, vars_name, groups = trained_state(make(), [L.Dense(3)])
    assert groups == ["vars"], (key, groups)
    layout = parse(prefixes, state)
    for entry in layout:
        if entry.get("name") == "learning_rate":
            entry["float_learning_rate"] = True
    # A float16 model: scalars whose dtype follows the variables' are `first_variable`.
    half = [L.Dense(3, dtype="float16"), L.BatchNormalization(dtype="float16"), L.Dense(2, dtype="float16")]
    prefixes16, variables16, state16, _, _ = trained_state(make(), half)
    for entry, observed in zip([e for e in layout if "name" in e], [s for s in state16 if owner(prefixes16, s[0])[0] is None]):
        if observed[1] != entry["dtype"]:
            assert observed[1] == "float16" and entry["dtype"] == "float32", (key, entry, observed)
            entry["dtype"] = "first_variable"
    for entry in layout:
        if "name" in entry:
            entry["nonnegative"] = entry["name"] not in ("iteration", "learning_rate")
        else:
            entry["nonnegative"] = [slot in NONNEGATIVE_SLOTS for slot in entry["each_variable"]]
    checks = [(prefixes, variables, state, True), (prefixes16, variables16, state16, True)]
    schedule = keras.optimizers.schedules.ExponentialDecay(0.01, 10, 0.9)
    prefixes_s, variables_s, state_s, _, _ = trained_state(make(schedule), [L.Dense(3), L.Dense(2, use_bias=False)])
    checks.append((prefixes_s, variables_s, state_s, False))
    for check_prefixes, check_variables, check_state, float_rate in checks:
        expected = expand(layout, check_prefixes, check_variables, float_rate)
        observed = [(name.split("/", 1)[-1], dtype, shape) for name, dtype, shape, _ in check_state]
        assert expected == observed, (key, expected, observed)
        for (name, _, shape, values), nonnegative in zip(check_state, nonnegative_flags(layout, len(check_prefixes), float_rate)):
            assert not nonnegative or not (values < 0).any(), (key, name, values)  # float16 training may give NaN
    return {
        "class_name": class_name,
        "config": overrides,
        "drawn": drawn_variants[key],
        "layout": layout,
        # The state Keras writes for `Input(2) -> Dense(3)` (kernel [2, 3], bias [3]), float learning rate.
        # Names without the optimizer's scope; `/optimizer/vars` carries the optimizer's name as `name`.
        "example": [[name.split("/", 1)[-1], dtype, shape] for name, dtype, shape, _ in state],
    }


def nonnegative_flags(layout, count, float_rate):
    flags = []
    for entry in layout:
        if "each_variable" in entry:
            flags += entry["nonnegative"] * count
        elif not (entry.get("float_learning_rate") and not float_rate):
            flags.append(entry["nonnegative"])
    return flags


drawn_variants = {key: drawn for key, (_, _, drawn) in OPTIMIZER_VARIANTS.items()}


def sublayer_order(layer, call):
    """The attribute names of `layer._layers` after building: the order of `trainable_variables`."""
    call(layer)
    return [next(name for name, value in vars(layer).items() if value is sub) for sub in layer._layers]


SUBLAYERS = {
    "Bidirectional": (lambda: L.Bidirectional(L.LSTM(1)), lambda layer: layer(keras.Input((3, 2)))),
    "MultiHeadAttention": (lambda: L.MultiHeadAttention(1, 1), lambda layer: layer(keras.Input((3, 2)), keras.Input((3, 2)))),
    "TimeDistributed": (lambda: L.TimeDistributed(L.Dense(1)), lambda layer: layer(keras.Input((3, 2)))),
    "SimpleRNN": (lambda: L.SimpleRNN(1), lambda layer: layer(keras.Input((3, 2)))),
    "LSTM": (lambda: L.LSTM(1), lambda layer: layer(keras.Input((3, 2)))),
    "GRU": (lambda: L.GRU(1), lambda layer: layer(keras.Input((3, 2)))),
}


def compiled():
    """A model compiled with a string loss and metric: the template of `compile_config`'s fields."""
    model = sequential()
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    return model.get_compile_config()


def sequential():
    return keras.Sequential([keras.Input((1,)), L.Dense(1)])


def functional():
    inputs = keras.Input((1,))
    return keras.Model(inputs, L.Dense(1)(inputs))


def serialize(obj):
    return keras.saving.serialize_keras_object(obj)


def quantization():
    """What `layer.quantize(mode)` (default config) leaves in a Dense config, per mode: its dtype policy
    (`<mode>_policy`) and its `quantization_config` (`<mode>_config`); and `AbsMaxQuantizer()`, the inputs
    quantizer of the int8 default."""
    templates = {}
    for mode in ("int8", "int4", "float8"):
        layer = L.Dense(1)
        layer.build((None, 2))
        layer.quantize(mode)
        config = serialize(layer)["config"]
        templates[mode + "_policy"] = config["dtype"]
        templates[mode + "_config"] = config["quantization_config"]
    templates["abs_max_quantizer"] = serialize(keras.quantizers.AbsMaxQuantizer())
    return templates


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="Sources/KerasConformance/KerasTemplates.swift")
    args = parser.parse_args()
    templates = {
        "layers": {name: serialize(make()) for name, make in LAYERS.items()},
        "initializers": {name: serialize(getattr(keras.initializers, name)()) for name in INITIALIZERS},
        "regularizers": {name: serialize(getattr(keras.regularizers, name)()) for name in REGULARIZERS},
        "constraints": {name: serialize(getattr(keras.constraints, name)()) for name in CONSTRAINTS},
        "policies": {name: serialize(keras.DTypePolicy(name)) for name in POLICIES},
        "inputs": {"InputLayer": serialize(L.InputLayer(shape=(1,)))},
        "models": {"Sequential": serialize(sequential()), "Functional": serialize(functional())},
        "optimizers": {name: serialize(getattr(keras.optimizers, name)()) for name in OPTIMIZERS},
        "schedules": {name: serialize(make()) for name, make in SCHEDULES.items()},
        "losses": {name: serialize(getattr(keras.losses, name)()) for name in LOSSES},
        "loss_strings": {name: name for name in LOSS_STRINGS},
        "metrics": {name: serialize(getattr(keras.metrics, name)()) for name in METRICS},
        "metric_strings": {name: name for name in METRIC_STRINGS},
        "compile": {"compile_config": compiled()},
        # What a compiled model trained a few steps stores in `/optimizer/vars`, per optimizer variant.
        "optimizer_slots": {key: slot_layout(key, name, overrides) for key, (name, overrides, _) in OPTIMIZER_VARIANTS.items()},
        # The order of a layer's sub-layers in `_layers` (so in `trainable_variables`), by attribute name.
        "sublayer_order": {name: sublayer_order(make(), call) for name, (make, call) in SUBLAYERS.items()},
        # Layers Keras marks built in their constructor: they never call build, so Keras writes no
        # `build_config` for them.
        "built_at_init": {name: make().built for name, make in LAYERS.items()},
        # The dtype policies and quantization configs of quantized Dense and EinsumDense layers.
        "quantization": quantization(),
    }
    # One object per line so that a regenerated file diffs by object.
    lines = []
    for group, objects in templates.items():
        for name, value in objects.items():
            lines.append(f"{group} {name} {json.dumps(value, sort_keys=False)}")
    body = "\n".join("        " + line.replace("\\", "\\\\") for line in lines)
    text = f'''// Generated by scripts/conformance/make_templates.py from Keras {keras.__version__} (backend jax). Do not edit.
// Regenerate: KERAS_BACKEND=jax /work/venv/bin/python scripts/conformance/make_templates.py

/// How Keras {keras.__version__} serializes each object the generators draw, with its constructor's defaults.
enum KerasTemplates {{
    /// The Keras release the templates were generated from.
    static let kerasVersion = "{keras.__version__}"

    /// One object per line: `<group> <name> <serialized JSON>`; groups are `layers`, `initializers`,
    /// `regularizers`, `constraints`, `policies`, `inputs`, `models`, `optimizers`, `schedules`, `losses`,
    /// `loss_strings`, `metrics`, `metric_strings`, `compile` (a `compile_config` with its fields in Keras's
    /// order), `optimizer_slots` (per optimizer variant: its config overrides and the layout of
    /// `/optimizer/vars` after training, as a rule over the trainable variables, with Keras's state for
    /// `Input(2) -> Dense(3)` as `example`), `sublayer_order` (a layer's sub-layers in `trainable_variables`
    /// order, by attribute), `built_at_init` (a layer's `built` after its constructor: `true` means Keras
    /// writes no `build_config` for it) and `quantization` (per mode `int8`, `int4`, `float8`, the dtype
    /// policy and `quantization_config` `layer.quantize(mode)` gives a Dense, and `AbsMaxQuantizer()`).
    static let lines = """
{body}
        """
}}
'''
    with open(args.out, "w") as handle:
        handle.write(text)
    print(f"wrote {args.out}: {len(lines)} templates")


if __name__ == "__main__":
    main()

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
import json
import os

os.environ["KERAS_BACKEND"] = "jax"
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402

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
        # Layers Keras marks built in their constructor: they never call build, so Keras writes no
        # `build_config` for them.
        "built_at_init": {name: make().built for name, make in LAYERS.items()},
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
    /// order) and `built_at_init` (a layer's `built` after its
    /// constructor: `true` means Keras writes no `build_config` for it).
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

#!/usr/bin/env python3
"""Random valid Keras models as a conformance kit, with Keras's own predictions (Keras -> kconform).

Conformance kit format, schema 1 (also Tests/python/README-kit.md; `kconform gen` writes the same format)
------------------------------------------------------------------------------------------------------
DIR/MANIFEST.json:
    {"schema": 1,
     "producer": {"tool": "kconform" | "keras", "version": "...", "keras_version": "3.15.1",
                  "seed": S, "count": N, "command": "<the command that wrote the kit>"},
     "models": {NAME: {"file": "NAME.keras",
                       "inputs": ["io/NAME.inputs_0.npy", ...],     # in the model's input order
                       "outputs": ["io/NAME.outputs_0.npy", ...],   # in the model's output order
                       "replay": "<command that regenerates this one model>",
                       "kind": "sequential" | "functional",
                       "layers": ["Dense", "Conv2D", ...],          # one class name per layer (InputLayer not
                                                                    # counted), nested models' layers included,
                                                                    # a nested model also counts as one entry
                       "policy": "float32" | "mixed_float16" | "mixed_bfloat16" | "float16" | "bfloat16"}}}
DIR/NAME.keras                  the model (Keras 3 archive)
DIR/io/NAME.inputs_I.npy        float32 inputs, or int32 token ids for an Embedding input; axis 0 is the batch
DIR/io/NAME.outputs_J.npy       float32: the producer's predictions (cast to float32). For a Keras-produced kit,
                                keras.saving.load_model(NAME.keras, safe_mode=True).predict(inputs,
                                batch_size=<the input batch>)

Comparison rule (issue 3): elementwise |ours - reference| <= atol + rtol * |reference| with
atol = 1e-5 * max(1, max|reference|), rtol = 1e-4 for models of up to 20 layers and 1e-3 for deeper ones.
Equal values (infinities included) and NaN against NaN match. For float16/bfloat16 compute (the policies
float16, bfloat16, mixed_float16, mixed_bfloat16) the outputs are compared in float32 after the cast, with
rtol and atol at least 4 units of the compute dtype's epsilon (2^-10 for float16, 2^-7 for bfloat16) times
the same scale: float32 tolerances are below one rounding step of those dtypes. The dtype-dependent atol
follows Keras's own tests (keras/src/ops/numpy_test.py sets `atol = 0.1 if dtype == "float16" else 1e-4`);
4 epsilons is the tighter bound the existing Python tier and kconform's OutputComparison use for rtol.
Even that is not meaningful where a float16 rounding of an intermediate is amplified (a LayerNormalization
of nearly constant values, a difference of nearly equal ones): Keras rounds after every op, an implementation
may round at layer boundaries, and both are equally far from the exact result. So a low-precision model
that fails the elementwise rule is also accepted when, per output, the implementation's largest distance
from the float32 twin (the same model and weights run by Keras in float32) is at most twice Keras's own
low-precision distance from it, plus the float32 atol (`low_precision_difference`).

Generator
---------
Sequential stacks and Functional DAGs with 1-3 inputs and 1-2 outputs: merges (Add, Subtract, Multiply,
Average, Maximum, Minimum, Concatenate, Dot), shared layers, nested Sequential/Functional sub-models
(sometimes called twice), every layer class with forward math in kconform, hyperparameters drawn over their
legal ranges, custom (unicode, long) names sometimes, dtype policies sometimes. Each candidate layer is
called on its symbolic input inside try/except and whatever Keras refuses is skipped, so only valid graphs
are built. Weights: seeded random non-zero values set with model.set_weights (variances positive). Every
model is saved, reloaded with safe_mode=True and predicted by the reloaded model; a model Keras cannot
reload, or whose outputs are not finite, is drawn again from the next attempt seed.

Deterministic given --seed: model I of seed S depends only on (S, I), so one model is replayed with
`--seed S --first I --count 1`.

Usage (KERAS_BACKEND=jax, the pinned environment of scripts/corpus/requirements.txt):
    gen_keras_models.py --seed S --count N --out DIR [--first I] [--max-layers L] [--batch B]
    gen_keras_models.py --verify DIR     # reload every model of a kit, predict, compare with its outputs
"""

import argparse
import json
import logging
import os
import shlex
import sys
import time
import warnings

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

SCRIPT = "scripts/conformance/gen_keras_models.py"
KIT_SCHEMA = 1
MAX_ELEMENTS = 768  # elements per sample of any tensor, as kconform's GeneratorSettings.maxElements
MAX_UNITS = 6  # units, filters, embedding sizes drawn from 1 to this, as kconform's GeneratorSettings.maxUnits
ATTEMPTS_PER_LAYER = 12
ATTEMPTS_PER_MODEL = 8
POLICIES = ["float16", "bfloat16", "mixed_float16", "mixed_bfloat16"]
ACTIVATIONS = [
    "linear", "relu", "relu6", "sigmoid", "tanh", "softmax", "log_softmax", "elu", "selu", "softplus", "softsign",
    "silu", "swish", "gelu", "hard_sigmoid", "hard_silu", "hard_swish", "exponential", "leaky_relu", "mish",
    "log_sigmoid", "hard_tanh", "tanh_shrink", "celu", "squareplus", "soft_shrink", "sparse_plus", "glu",
    "threshold", "sparse_sigmoid", "hard_shrink", "sparsemax",
]
# Single-input classes by the input rank (batch axis excluded) they take; 0 means any rank.
SINGLE_INPUT = [
    ("Dense", 0), ("Activation", 0), ("Dropout", 0), ("GaussianNoise", 0), ("GaussianDropout", 0), ("AlphaDropout", 0),
    ("LayerNormalization", 0), ("BatchNormalization", 0), ("UnitNormalization", 0), ("Rescaling", 0), ("ReLU", 0),
    ("LeakyReLU", 0), ("PReLU", 0), ("ELU", 0), ("Softmax", 0), ("Flatten", 0), ("Permute", 0), ("GroupNormalization", 0),
    ("Reshape", 0), ("Normalization", 0), ("RepeatVector", 1), ("EinsumDense", 1), ("EinsumDense", 2),
    ("Conv1D", 2), ("DepthwiseConv1D", 2), ("SeparableConv1D", 2), ("Conv1DTranspose", 2), ("MaxPooling1D", 2),
    ("AveragePooling1D", 2), ("GlobalMaxPooling1D", 2), ("GlobalAveragePooling1D", 2), ("ZeroPadding1D", 2),
    ("Cropping1D", 2), ("UpSampling1D", 2), ("SimpleRNN", 2), ("LSTM", 2), ("GRU", 2), ("Bidirectional", 2),
    ("TimeDistributed", 2), ("TimeDistributed", 3), ("SpatialDropout1D", 2), ("MultiHeadAttention", 2), ("Attention", 2),
    ("Conv2D", 3), ("DepthwiseConv2D", 3), ("SeparableConv2D", 3), ("Conv2DTranspose", 3), ("MaxPooling2D", 3),
    ("AveragePooling2D", 3), ("GlobalMaxPooling2D", 3), ("GlobalAveragePooling2D", 3), ("ZeroPadding2D", 3),
    ("Cropping2D", 3), ("UpSampling2D", 3), ("SpatialDropout2D", 3),
    ("Conv3D", 4), ("Conv3DTranspose", 4), ("MaxPooling3D", 4), ("AveragePooling3D", 4), ("GlobalMaxPooling3D", 4),
    ("GlobalAveragePooling3D", 4), ("ZeroPadding3D", 4), ("Cropping3D", 4), ("UpSampling3D", 4), ("SpatialDropout3D", 4),
]
MERGES = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot"]
MULTI_TENSOR = {"Attention", "MultiHeadAttention"}
# Identity at inference: drawn less often so that the draws go to layers with forward math.
IDENTITY_AT_INFERENCE = {"Dropout", "GaussianNoise", "GaussianDropout", "AlphaDropout", "SpatialDropout1D",
                         "SpatialDropout2D", "SpatialDropout3D"}


# ---------------------------------------------------------------------------------------------------------
# Comparison (shared with Tests/python/test_conformance_kit.py)


def epsilon_of(policy):
    """The machine epsilon of the policy's compute dtype, or 0 for float32 compute."""
    policy = policy or "float32"
    return 2.0**-7 if "bfloat16" in policy else 2.0**-10 if "float16" in policy else 0.0


def tolerance(layers, policy, reference):
    """(rtol, atol) of the issue 3 rule for a model of `layers` layers in `policy` against `reference`."""
    finite = np.abs(reference[np.isfinite(reference)]) if reference.size else np.zeros(0)
    scale = max(1.0, float(finite.max()) if finite.size else 1.0)
    epsilon = epsilon_of(policy)
    rtol = max(1e-4 if layers <= 20 else 1e-3, 4 * epsilon)
    atol = max(1e-5, 4 * epsilon) * scale
    return rtol, atol


def difference(ours, reference, layers, policy):
    """None when every output of `ours` matches `reference` under the rule above; else the worst element."""
    if len(ours) != len(reference):
        return f"{len(ours)} outputs, the reference has {len(reference)}"
    for index, (mine, theirs) in enumerate(zip(ours, reference)):
        mine = np.asarray(mine).astype(np.float32)
        theirs = np.asarray(theirs).astype(np.float32)
        if mine.shape != theirs.shape:
            return f"output {index}: shape {mine.shape}, the reference has {theirs.shape}"
        rtol, atol = tolerance(layers, policy, theirs)
        with np.errstate(invalid="ignore", over="ignore"):
            same = (mine == theirs) | (np.isnan(mine) & np.isnan(theirs))
            excess = np.abs(mine.astype(np.float64) - theirs) - (atol + rtol * np.abs(theirs.astype(np.float64)))
        bad = ~same & ~(excess <= 0)
        if bad.any():
            flat = np.where(bad.ravel(), np.nan_to_num(excess.ravel(), nan=np.inf), -np.inf)
            worst = int(np.argmax(flat))
            a, b = mine.ravel()[worst], theirs.ravel()[worst]
            element = np.unravel_index(worst, mine.shape)
            return (f"output {index}, element {tuple(int(i) for i in element)}: {a!r} against reference {b!r} "
                    f"(|difference| {abs(float(a) - float(b)):.3g}, allowed {atol + rtol * abs(float(b)):.3g}, "
                    f"rtol {rtol:g}, atol {atol:.3g}; {int(bad.sum())} of {bad.size} elements outside)")
    return None


def float32_twin(keras, model):
    """The same model in the float32 policy with the same weights (cast to float32)."""
    text = json.dumps(keras.saving.serialize_keras_object(model))
    for policy in sorted(POLICIES, key=len, reverse=True):
        text = text.replace(f'"name": "{policy}"', '"name": "float32"').replace(f'"dtype": "{policy}"', '"dtype": "float32"')
    twin = keras.saving.deserialize_keras_object(json.loads(text), safe_mode=True)
    twin.set_weights([np.asarray(w, dtype=np.float32) for w in model.get_weights()])
    for layer in twin._flatten_layers(include_self=False):
        if isinstance(layer, keras.layers.Normalization) and layer.input_mean is None:
            layer.finalize_state()  # its mean and variance tensors are derived from the variables
    return twin


def low_precision_difference(ours, keras_outputs, twin_outputs):
    """For float16/bfloat16 compute, where elementwise tolerances are not meaningful (a float16 rounding of an
    intermediate is amplified by what follows, e.g. a LayerNormalization of nearly constant values): None when,
    per output, `ours` is no further from the float32 twin (the same model and weights computed in float32)
    than twice as far as Keras's own low-precision outputs are, plus the float32 atol; else why not."""
    for index, (mine, theirs, exact) in enumerate(zip(ours, keras_outputs, twin_outputs)):
        mine, theirs, exact = (np.asarray(a, dtype=np.float64) for a in (mine, theirs, exact))
        if mine.shape != exact.shape:
            return f"output {index}: shape {mine.shape}, the float32 twin has {exact.shape}"
        finite = np.isfinite(exact)
        if not (np.isfinite(mine) == finite).all() or not (np.isfinite(theirs) == finite).all():
            return f"output {index}: non-finite values where the float32 twin has none (or the reverse)"
        atol = 1e-5 * max(1.0, float(np.abs(exact[finite]).max()) if finite.any() else 1.0)
        ours_error = float(np.abs(mine - exact)[finite].max()) if finite.any() else 0.0
        keras_error = float(np.abs(theirs - exact)[finite].max()) if finite.any() else 0.0
        if ours_error > 2 * keras_error + atol:
            return (f"output {index}: {ours_error:.3g} from the float32 twin, Keras's own low-precision outputs are "
                    f"{keras_error:.3g} from it (allowed {2 * keras_error + atol:.3g})")
    return None


# ---------------------------------------------------------------------------------------------------------
# Generation


class Refused(Exception):
    """The drawn model is not usable (Keras refused it, or its outputs are not finite)."""


class Draw:
    """Draws one model from a seeded numpy Generator. Shapes exclude the batch axis."""

    def __init__(self, keras, rng, max_layers, policy, excluded=frozenset()):
        self.keras = keras
        self.excluded = excluded
        self.activations = [a for a in ACTIVATIONS if a not in excluded]
        self.L = keras.layers
        self.rng = rng
        self.max_layers = max_layers
        self.policy = policy
        self.layer_count = 0
        self.used_names = set()
        # Every single-input layer or sub-model called so far: (callable, first input shape, input dtype).
        self.callables = []

    # -- random helpers
    def chance(self, p):
        return bool(self.rng.random() < p)

    def pick(self, items):
        return items[int(self.rng.integers(len(items)))]

    def int(self, low, high):
        """Uniform in [low, high]."""
        return int(self.rng.integers(low, high + 1))

    def activation(self):
        return "linear" if self.chance(0.4) else self.pick(self.activations)

    def name(self, base):
        """Sometimes a custom name (unicode, long, or shaped like another class's automatic name)."""
        if not self.chance(0.3):
            return None
        candidates = [
            f"層_{self.int(0, 99)}", f"couche_é_{self.int(0, 99)}", f"слой{self.int(0, 99)}", f"🧪_layer_{self.int(0, 99)}",
            "long_name_" * self.int(5, 20) + str(self.int(0, 99)), f"{base}_custom_{self.int(0, 99)}",
            f"x y {self.int(0, 9)}", f"layer.with.dots_{self.int(0, 9)}", f"dense_{self.int(100, 999)}",
        ]
        name = self.pick(candidates)
        if name in self.used_names:
            return None
        self.used_names.add(name)
        return name

    def common(self, base):
        kwargs = {"dtype": self.policy}
        name = self.name(base)
        if name is not None:
            kwargs["name"] = name
        return kwargs

    # -- layer factories: a layer for an input of `shape`, or None when the class does not apply
    def conv_args(self, rank, shape, transposed=False, depthwise=False):
        spatial = shape[:-1]
        args = {"kernel_size": tuple(self.int(1, min(3, max(1, s))) for s in spatial) if len(spatial) == rank
                else self.int(1, 3)}
        if self.chance(0.5):
            args["strides"] = self.int(1, 2) if self.chance(0.7) else tuple(self.int(1, 2) for _ in range(rank))
        if self.chance(0.25):
            args["dilation_rate"] = 2
            args["strides"] = 1
        args["padding"] = self.pick(["valid", "same"] + (["causal"] if rank == 1 and not transposed and not depthwise else []))
        if transposed and self.chance(0.2):
            strides = args.get("strides", 1)
            strides = strides if isinstance(strides, tuple) else (strides,) * rank
            args["output_padding"] = tuple(self.int(0, s - 1) for s in strides)
        if self.chance(0.1):
            args["data_format"] = "channels_first"
        args["activation"] = self.activation()
        args["use_bias"] = self.chance(0.8)
        return args

    def make(self, cls, shape):
        L, rank = self.L, len(shape)
        kw = self.common(cls)
        if cls == "Dense":
            return L.Dense(self.int(1, MAX_UNITS), activation=self.activation(), use_bias=self.chance(0.8), **kw)
        if cls == "Activation":
            return L.Activation(self.pick(self.activations), **kw)
        if cls == "Dropout":
            return L.Dropout(self.int(0, 9) / 10, **kw)
        if cls.startswith("SpatialDropout"):
            return getattr(L, cls)(self.int(0, 9) / 10, **kw)
        if cls == "GaussianNoise":
            return L.GaussianNoise(self.int(1, 10) / 10, **kw)
        if cls in ("GaussianDropout", "AlphaDropout"):
            return getattr(L, cls)(self.int(1, 9) / 10, **kw)
        if cls == "LayerNormalization":
            axis = -1 if rank == 1 or self.chance(0.7) else sorted({-1, -self.int(2, rank)})
            if self.chance(0.2):
                return L.LayerNormalization(axis=axis, epsilon=self.pick([1e-3, 1e-5, 1e-6]), rms_scaling=True, **kw)
            return L.LayerNormalization(axis=axis, epsilon=self.pick([1e-3, 1e-5, 1e-6]), center=self.chance(0.8),
                                        scale=self.chance(0.8), **kw)
        if cls == "BatchNormalization":
            axis = -1 if self.chance(0.8) else self.int(1, rank)
            return L.BatchNormalization(axis=axis, momentum=self.pick([0.99, 0.9]), epsilon=self.pick([1e-3, 1e-5]),
                                        center=self.chance(0.8), scale=self.chance(0.8), **kw)
        if cls == "GroupNormalization":
            if rank < 2:
                return None
            channels = shape[-1]
            groups = self.pick([g for g in range(1, channels + 1) if channels % g == 0])
            return L.GroupNormalization(groups=groups, epsilon=self.pick([1e-3, 1e-5]), center=self.chance(0.8),
                                        scale=self.chance(0.8), **kw)
        if cls == "UnitNormalization":
            return L.UnitNormalization(axis=-1 if rank == 1 or self.chance(0.7) else [-1, -self.int(2, rank)], **kw)
        if cls == "Rescaling":
            return L.Rescaling(self.int(-20, 20) / 8, offset=self.int(-8, 8) / 4, **kw)
        if cls == "Normalization":
            invert = self.chance(0.2)
            if self.chance(0.4):
                size = shape[-1]
                mean = [round(float(v), 3) for v in self.rng.uniform(-1, 1, size)]
                variance = [round(float(v), 3) for v in self.rng.uniform(0.25, 2, size)]
                return L.Normalization(axis=-1, mean=mean, variance=variance, invert=invert, **kw)
            axis = -1 if self.chance(0.8) else None if self.chance(0.5) else self.int(1, rank)
            return L.Normalization(axis=axis, invert=invert, **kw)
        if cls == "ReLU":
            args = {}
            if self.chance(0.3):
                args["max_value"] = self.int(1, 12) / 2
            if self.chance(0.3):
                args["negative_slope"] = self.int(1, 5) / 10
            if self.chance(0.2):
                args["threshold"] = self.int(-4, 4) / 8
            return L.ReLU(**args, **kw)
        if cls == "LeakyReLU":
            return L.LeakyReLU(negative_slope=self.int(1, 9) / 10, **kw)
        if cls == "PReLU":
            shared = None
            if rank >= 2 and self.chance(0.4):
                shared = [a for a in range(1, rank + 1) if self.chance(0.5)] or None
                if shared and len(shared) == rank:
                    shared = shared[:-1]
            return L.PReLU(shared_axes=shared, **kw)
        if cls == "ELU":
            return L.ELU(alpha=self.pick([1.0, 0.5, 2.0]), **kw)
        if cls == "Softmax":
            return L.Softmax(axis=-1 if self.chance(0.8) else self.int(1, rank), **kw)
        if cls == "Flatten":
            return L.Flatten(**kw) if rank >= 2 else None
        if cls == "Permute":
            if rank < 2:
                return None
            return L.Permute(tuple(int(d) + 1 for d in self.rng.permutation(rank)), **kw)
        if cls == "Reshape":
            total = int(np.prod(shape))
            divisors = [d for d in range(1, total + 1) if total % d == 0]
            first = self.pick(divisors)
            target = [total] if self.chance(0.3) else [first, total // first]
            if len(target) == 2 and self.chance(0.3):
                rest = [d for d in range(1, target[1] + 1) if target[1] % d == 0]
                second = self.pick(rest)
                target = [first, second, target[1] // second]
            if self.chance(0.3):
                target[self.int(0, len(target) - 1)] = -1
            return L.Reshape(tuple(target), **kw)
        if cls == "RepeatVector":
            return L.RepeatVector(self.int(1, 4), **kw) if rank == 1 else None
        if cls == "EinsumDense":
            units = self.int(1, MAX_UNITS)
            bias = self.chance(0.6)
            act = self.activation()
            if rank == 1:
                return L.EinsumDense("ab,bc->ac", output_shape=(units,), bias_axes="c" if bias else None, activation=act, **kw)
            if rank != 2:
                return None
            form = self.int(0, 2)
            if form == 0:
                return L.EinsumDense("abc,cd->abd", output_shape=(shape[0], units), bias_axes="d" if bias else None,
                                     activation=act, **kw)
            if form == 1:
                other = self.int(1, 3)
                return L.EinsumDense("abc,cde->abde", output_shape=(shape[0], units, other),
                                     bias_axes=self.pick(["de", "e"]) if bias else None, activation=act, **kw)
            return L.EinsumDense("abc,bcd->ad", output_shape=(units,), bias_axes="d" if bias else None, activation=act, **kw)
        if cls in ("SimpleRNN", "LSTM", "GRU"):
            return self.recurrent(cls, kw) if rank == 2 else None
        if cls == "Bidirectional":
            if rank != 2:
                return None
            inner_cls = self.pick(["SimpleRNN", "LSTM", "GRU"])
            inner = self.recurrent(inner_cls, {"dtype": self.policy})
            mode = self.pick(["concat", "sum", "mul", "ave"])
            backward = None
            if self.chance(0.3):
                config = inner.get_config()
                config.pop("name")
                config["go_backwards"] = not config["go_backwards"]
                config["units"] = inner.units
                backward = type(inner).from_config(config)
            return L.Bidirectional(inner, merge_mode=mode, backward_layer=backward, **kw)
        if cls == "TimeDistributed":
            if rank == 2:
                inner = L.Dense(self.int(1, MAX_UNITS), activation=self.activation(), use_bias=self.chance(0.8),
                                dtype=self.policy)
            elif rank == 3:
                inner = self.pick([
                    lambda: L.Conv1D(self.int(1, MAX_UNITS), self.int(1, min(3, shape[1])), activation=self.activation(),
                                     dtype=self.policy),
                    lambda: L.Flatten(dtype=self.policy),
                    lambda: L.Dense(self.int(1, MAX_UNITS), dtype=self.policy),
                ])()
            else:
                return None
            return L.TimeDistributed(inner, **kw)
        if cls == "MultiHeadAttention":
            if rank != 2:
                return None
            args = {"num_heads": self.int(1, 3), "key_dim": self.int(1, 4), "use_bias": self.chance(0.8)}
            if self.chance(0.5):
                args["value_dim"] = self.int(1, 4)
            if self.chance(0.2):
                args["output_shape"] = (self.int(1, MAX_UNITS),)
            return L.MultiHeadAttention(**args, **kw)
        if cls == "Attention":
            if rank != 2:
                return None
            return L.Attention(use_scale=self.chance(0.5), score_mode=self.pick(["dot", "concat"]), **kw)
        return self.spatial(cls, shape, kw)

    def recurrent(self, cls, kw):
        args = {"units": self.int(1, MAX_UNITS), "return_sequences": self.chance(0.5), "go_backwards": self.chance(0.2),
                "activation": self.pick(["tanh", "tanh", "relu", "sigmoid"]), "use_bias": self.chance(0.8)}
        if self.chance(0.1):
            args["unroll"] = True
        if cls != "SimpleRNN":
            args["recurrent_activation"] = self.pick(["sigmoid", "sigmoid", "hard_sigmoid"])
        if cls == "GRU":
            args["reset_after"] = self.chance(0.6)
        if cls == "LSTM":
            args["unit_forget_bias"] = self.chance(0.8)
        return getattr(self.L, cls)(**args, **kw)

    def spatial(self, cls, shape, kw):
        L = self.L
        rank = next((r for r, suffix in ((1, "1D"), (2, "2D"), (3, "3D")) if suffix in cls), None)
        if rank is None or len(shape) != rank + 1:
            return None
        layer = getattr(L, cls)
        if cls.startswith(("Conv", "DepthwiseConv", "SeparableConv")):
            transposed = cls.endswith("Transpose")
            depthwise = cls.startswith("DepthwiseConv")
            args = self.conv_args(rank, shape, transposed, depthwise or cls.startswith("Separable"))
            if depthwise:
                return layer(depth_multiplier=self.int(1, 2), **args, **kw)
            if cls.startswith("SeparableConv"):
                return layer(self.int(1, MAX_UNITS), depth_multiplier=self.int(1, 2), **args, **kw)
            filters = self.int(1, MAX_UNITS)
            if not transposed and self.chance(0.2):
                channels = shape[0] if args.get("data_format") == "channels_first" else shape[-1]
                groups = self.pick([g for g in range(1, channels + 1) if channels % g == 0])
                args["groups"] = groups
                filters = groups * max(1, filters // groups)
            return layer(filters, **args, **kw)
        data_format = {"data_format": "channels_first"} if self.chance(0.1) else {}
        sizes = shape[1:] if data_format else shape[:-1]
        if cls.startswith("Global"):
            return layer(keepdims=self.chance(0.3), **data_format, **kw)
        if cls.startswith(("MaxPooling", "AveragePooling")):
            pool = tuple(self.int(1, min(3, s)) for s in sizes)
            strides = None if self.chance(0.5) else tuple(self.int(1, 2) for _ in sizes)
            return layer(pool_size=pool, strides=strides, padding=self.pick(["valid", "same"]), **data_format, **kw)
        if cls.startswith("ZeroPadding"):
            pads = tuple((self.int(0, 2), self.int(0, 2)) for _ in sizes)
            return layer(padding=pads[0] if rank == 1 else pads, **data_format if rank > 1 else {}, **kw)
        if cls.startswith("Cropping"):
            crops = []
            for size in sizes:
                before = self.int(0, max(0, (size - 1) // 2))
                crops.append((before, self.int(0, max(0, size - 1 - before) // 2)))
            return layer(cropping=crops[0] if rank == 1 else tuple(crops), **data_format if rank > 1 else {}, **kw)
        if cls.startswith("UpSampling"):
            factors = tuple(self.int(1, 3) for _ in sizes)
            if rank == 1:
                return layer(size=factors[0], **kw)
            if rank == 2:
                return layer(size=factors, interpolation=self.pick(["nearest", "nearest", "bilinear"]), **data_format, **kw)
            return layer(size=factors, **data_format, **kw)
        return None

    # -- calling candidates

    def fits(self, tensor):
        shape = tensor.shape[1:]
        return all(isinstance(d, int) and d >= 1 for d in shape) and int(np.prod(shape)) <= MAX_ELEMENTS

    def try_call(self, layer, *args, **kwargs):
        """The output of calling `layer`, or None when Keras refuses it or the output breaks the budget."""
        try:
            output = layer(*args, **kwargs)
        except Exception:  # noqa: BLE001 - any refusal by Keras means the candidate is skipped
            return None
        if not hasattr(output, "shape") or not self.fits(output):
            return None
        return output

    def single(self, tensor, sequential):
        """A new single-input layer called on `tensor` (attention attends to the tensor itself): (layer, output)."""
        shape = tuple(tensor.shape[1:])
        candidates = [c for c, r in SINGLE_INPUT if (r == 0 or r == len(shape)) and c not in self.excluded
                      and not (sequential and c in MULTI_TENSOR)]
        if not candidates:
            return None
        # Classes that need a given rank fit fewer tensors than the any-rank ones: drawn more often when they fit.
        ranked = {c for c, r in SINGLE_INPUT if r}
        weights = np.array([0.35 if c in IDENTITY_AT_INFERENCE else 2.0 if c in ranked else 1.0 for c in candidates])
        for _ in range(ATTEMPTS_PER_LAYER):
            cls = candidates[int(self.rng.choice(len(candidates), p=weights / weights.sum()))]
            try:
                layer = self.make(cls, shape)
            except Exception:  # noqa: BLE001 - a constructor refusing the drawn hyperparameters
                layer = None
            if layer is None:
                continue
            if cls == "Attention":
                output = self.try_call(layer, [tensor, tensor] + ([tensor] if self.chance(0.3) else []),
                                       **({"use_causal_mask": True} if self.chance(0.3) else {}))
            elif cls == "MultiHeadAttention":
                output = self.try_call(layer, tensor, tensor, **({"use_causal_mask": True} if self.chance(0.3) else {}))
            else:
                output = self.try_call(layer, tensor)
            if output is not None:
                self.layer_count += 1
                if cls not in MULTI_TENSOR:
                    self.callables.append((layer, shape, tensor.dtype))
                return layer, output
        return None

    def embedding(self, tensor, vocabulary):
        layer = self.L.Embedding(vocabulary, self.int(1, MAX_UNITS), mask_zero=self.chance(0.15), **self.common("embedding"))
        self.layer_count += 1
        return layer(tensor)

    def input_spec(self, allow_integers):
        """(shape, dtype, vocabulary) of a model input."""
        if allow_integers and self.chance(0.1):
            return (self.int(1, 8),), "int32", self.int(2, 12)
        kind = self.int(1, 4)
        if kind == 1:
            return (self.int(1, 12),), "float32", None
        if kind == 2:
            return (self.int(1, 8), self.int(1, 5)), "float32", None
        if kind == 3:
            return (self.int(2, 7), self.int(2, 7), self.int(1, 3)), "float32", None
        return (self.int(2, 4), self.int(2, 4), self.int(2, 4), self.int(1, 2)), "float32", None

    def make_input(self, spec):
        shape, dtype, _ = spec
        name = self.name("input_layer")
        return self.keras.Input(shape=shape, dtype=dtype, **({"name": name} if name else {}))

    # -- models

    def sequential(self, spec, layers, nested):
        """A Sequential of about `layers` layers on an input of `spec`."""
        shape, dtype, vocabulary = spec
        probe = self.keras.Input(shape=shape, dtype=dtype)
        stack = []
        x = probe
        if dtype == "int32":
            embedding = self.L.Embedding(vocabulary, self.int(1, MAX_UNITS), **self.common("embedding"))
            x = embedding(x)
            stack.append(embedding)
            self.layer_count += 1
        while self.layer_count < self.max_layers and len(stack) < layers:
            if not nested and self.chance(0.08) and self.layer_count + 2 <= self.max_layers:
                drawn = self.nested(x)
            else:
                drawn = self.single(x, sequential=True)
            if drawn is None:
                break
            stack.append(drawn[0])
            x = drawn[1]
        if not stack:
            stack.append(self.L.Activation("linear", dtype=self.policy))
            self.layer_count += 1
        name = self.name("sequential")
        return self.keras.Sequential([self.keras.Input(shape=shape, dtype=dtype)] + stack,
                                     **({"name": name} if name else {}))

    def nested(self, tensor):
        """A nested one-input Sequential or Functional called on `tensor`: (model, output)."""
        if tensor.dtype != "float32" and "float" not in str(tensor.dtype):
            return None
        shape = tuple(tensor.shape[1:])
        budget = self.int(1, max(1, min(3, self.max_layers - self.layer_count)))
        before = self.layer_count, list(self.callables)
        try:
            if self.chance(0.5):
                model = self.sequential((shape, "float32", None), budget, nested=True)
            else:
                model = self.functional([(shape, "float32", None)], self.layer_count + budget, nested=True)
        except Refused:
            model = None
        output = self.try_call(model, tensor) if model is not None else None
        if output is None:
            self.layer_count, self.callables = before
            return None
        self.layer_count += 1
        self.callables = before[1] + [(model, shape, tensor.dtype)]
        return model, output

    def functional(self, specs, layers, nested=False):
        """A Functional on inputs of `specs` with about `layers` layer calls and 1-2 outputs."""
        inputs = [self.make_input(spec) for spec in specs]
        tensors = []  # every float tensor of the graph
        consumed = []
        for tensor, (_, dtype, vocabulary) in zip(inputs, specs):
            if dtype == "int32":
                out = self.embedding(tensor, vocabulary)
            else:
                drawn = self.single(tensor, sequential=False)
                out = drawn[1] if drawn else self.L.Activation("linear", dtype=self.policy)(tensor)
                if not drawn:
                    self.layer_count += 1
            tensors.append(out)
            consumed.append(False)

        def add(output, *used):
            for index in used:
                consumed[index] = True
            tensors.append(output)
            consumed.append(False)

        steps = 0
        while self.layer_count < min(layers, self.max_layers) and steps < layers * 3:
            steps += 1
            sinks = [i for i, c in enumerate(consumed) if not c]
            target = self.pick(sinks) if sinks and self.chance(0.8) else self.int(0, len(tensors) - 1)
            roll = self.int(0, 99)
            if roll < 20:
                merged = self.merge(tensors, target)
                if merged:
                    add(merged[0], *merged[1])
                    continue
            if roll >= 90:
                shared = self.share(tensors[target])
                if shared is not None:
                    add(shared, target)
                    continue
            if roll >= 80 and not nested and self.layer_count + 2 <= self.max_layers:
                drawn = self.nested(tensors[target])
                if drawn:
                    add(drawn[1], target)
                    continue
            drawn = self.single(tensors[target], sequential=False)
            if drawn:
                add(drawn[1], target)
        # At most two outputs (one for a nested model): join the other unconsumed tensors in.
        limit = 1 if nested else self.int(1, 2)
        outputs = [i for i, c in enumerate(consumed) if not c]
        while len(outputs) > limit:
            a, b = outputs[-2], outputs[-1]
            joined = self.join(tensors[a], tensors[b])
            if joined is None:
                raise Refused("cannot join outputs")
            add(joined, a, b)
            outputs = [i for i, c in enumerate(consumed) if not c]
        name = self.name("functional")
        outs = [tensors[i] for i in outputs]
        try:
            return self.keras.Model(inputs if len(inputs) > 1 else inputs[0], outs if len(outs) > 1 else outs[0],
                                    **({"name": name} if name else {}))
        except Exception as error:  # noqa: BLE001
            raise Refused(f"Functional refused: {error}") from error

    def join(self, a, b):
        """Merges two tensors: elementwise when their shapes agree, else concatenated (flattened first when
        they differ in more than the last axis); the element budget does not apply."""
        if tuple(a.shape) == tuple(b.shape):
            merges = [m for m in MERGES[:6] if m not in self.excluded]
            if merges:
                self.layer_count += 1
                return getattr(self.L, self.pick(merges))(**self.common("merge"))([a, b])
        if len(a.shape) == len(b.shape) and tuple(a.shape[:-1]) == tuple(b.shape[:-1]):
            self.layer_count += 1
            return self.L.Concatenate(**self.common("concatenate"))([a, b])
        parts = []
        for tensor in (a, b):
            if len(tensor.shape) > 2:
                tensor = self.L.Flatten(dtype=self.policy)(tensor)
                self.layer_count += 1
            parts.append(tensor)
        self.layer_count += 1
        return self.L.Concatenate(dtype=self.policy)(parts)

    def merge(self, tensors, target):
        """A merge of tensors[target] with compatible others: (output, used indices) or None."""
        merges = [m for m in MERGES if m not in self.excluded]
        if not merges:
            return None
        cls = self.pick(merges)
        shape = tuple(tensors[target].shape[1:])
        if cls == "Concatenate":
            axis = -1 if self.chance(0.7) else self.int(1, len(shape))
            keep = [d for d in range(len(shape)) if d != (axis - 1 if axis > 0 else len(shape) - 1)]
            partners = [i for i, t in enumerate(tensors) if i != target and len(t.shape) == len(shape) + 1
                        and all(t.shape[1 + d] == shape[d] for d in keep)]
        else:
            partners = [i for i, t in enumerate(tensors) if i != target and tuple(t.shape[1:]) == shape]
        if not partners:
            return None
        used = [target, self.pick(partners)]
        if cls not in ("Subtract", "Dot") and len(partners) > 1 and self.chance(0.3):
            third = self.pick(partners)
            if third not in used:
                used.append(third)
        kw = self.common(cls.lower())
        if cls == "Concatenate":
            layer = self.L.Concatenate(axis=axis, **kw)
        elif cls == "Dot":
            if len(shape) > 2:
                return None
            axes = 1 if len(shape) == 1 else self.pick([1, 2, (1, 1), (2, 2), (1, 2), (2, 1)])
            layer = self.L.Dot(axes=axes, normalize=self.chance(0.3), **kw)
        else:
            layer = getattr(self.L, cls)(**kw)
        output = self.try_call(layer, [tensors[i] for i in used])
        if output is None:
            return None
        self.layer_count += 1
        return output, used

    def share(self, tensor):
        """Calls an existing single-input layer or sub-model again on `tensor`."""
        shape = tuple(tensor.shape[1:])
        candidates = [c for c in self.callables if c[1] == shape and c[2] == tensor.dtype]
        if not candidates:
            return None
        return self.try_call(self.pick(candidates)[0], tensor)


def layer_classes(model):
    """One class name per layer (InputLayer not counted); nested models count once and add their layers."""
    keras = sys.modules["keras"]
    classes = []
    for layer in model.layers:
        name = type(layer).__name__
        if name == "InputLayer":
            continue
        classes.append(name)
        if isinstance(layer, keras.Model):
            classes += layer_classes(layer)
    return classes


def seeded_weights(model, rng):
    """Random non-zero values for every weight: kernels scaled by fan-in, variances in [0.25, 1.5]."""
    values = []
    for weight in model.weights:
        shape = tuple(weight.shape)
        dtype = str(weight.dtype)
        path = weight.path
        if "int" in dtype:
            values.append(np.full(shape, rng.integers(1, 100), dtype=dtype))
            continue
        if path.endswith("variance"):
            value = rng.uniform(0.25, 1.5, shape)
        else:
            magnitude = rng.uniform(0.05, 0.5, shape)
            if len(shape) >= 2:
                magnitude = magnitude * min(1.0, 3.0 / np.sqrt(max(1, int(np.prod(shape[:-1])))))
            value = magnitude * rng.choice([-1.0, 1.0], shape)
        values.append(value.astype(np.float32))
    model.set_weights(values)


def draw_model(keras, seed, index, attempt, max_layers, excluded=frozenset()):
    """Model `index` of `seed` at `attempt`: (model, draw facts)."""
    keras.backend.clear_session()  # automatic names start over: model I is the same alone or in a batch
    rng = np.random.default_rng([seed, index, attempt])
    probe = Draw(keras, rng, max_layers, "float32")
    policy = probe.pick(POLICIES) if probe.chance(0.2) else "float32"
    draw = Draw(keras, rng, max_layers, policy, excluded)
    functional = draw.chance(0.7)
    budget = draw.int(1, max(1, max_layers))
    if functional:
        specs = [draw.input_spec(True) for _ in range(draw.int(1, 3))]
        model = draw.functional(specs, budget)
    else:
        specs = [draw.input_spec(True)]
        model = draw.sequential(specs[0], budget, nested=False)
    seeded_weights(model, rng)
    return model, specs, policy, "functional" if functional else "sequential", rng


def make_inputs(specs, rng, batch):
    arrays = []
    for shape, dtype, vocabulary in specs:
        if dtype == "int32":
            arrays.append(rng.integers(0, vocabulary, (batch,) + tuple(shape)).astype(np.int32))
        else:
            arrays.append(rng.uniform(-1, 1, (batch,) + tuple(shape)).astype(np.float32))
    return arrays


def predict(keras, model, inputs):
    """Keras's predict in one batch, as a list of float32 arrays in the model's output order."""
    result = model.predict(inputs if len(inputs) > 1 else inputs[0], batch_size=len(inputs[0]), verbose=0)
    result = result if isinstance(result, (list, tuple)) else [result]
    return [np.asarray(r).astype(np.float32) for r in result]


def write_model(keras, out, name, seed, index, max_layers, batch, excluded=frozenset()):
    """Draws, saves and predicts model `index`; returns its manifest entry."""
    io = os.path.join(out, "io")
    errors = []
    for attempt in range(ATTEMPTS_PER_MODEL):
        try:
            model, specs, policy, kind, rng = draw_model(keras, seed, index, attempt, max_layers, excluded)
        except Exception as error:  # noqa: BLE001 - Refused, or Keras refusing a whole (sub-)model: redrawn
            errors.append(f"{type(error).__name__}: {str(error)[:160]}")
            continue
        path = os.path.join(out, name + ".keras")
        inputs = make_inputs(specs, rng, batch)
        try:
            model.save(path)
            loaded = keras.saving.load_model(path, safe_mode=True)
            outputs = predict(keras, loaded, inputs)
        except Exception as error:  # noqa: BLE001 - a model Keras cannot save, reload or run is redrawn
            errors.append(f"{type(error).__name__}: {str(error).splitlines()[0][:160] if str(error) else ''}")
            if os.path.exists(path):
                os.remove(path)
            continue
        if not all(np.isfinite(o).all() for o in outputs):
            errors.append("non-finite outputs")
            os.remove(path)
            continue
        entry = {"file": name + ".keras", "inputs": [], "outputs": [], "kind": kind,
                 "layers": layer_classes(model), "policy": policy,
                 "replay": f"KERAS_BACKEND=jax python {SCRIPT} --seed {seed} --first {index} --count 1 "
                           f"--max-layers {max_layers} --batch {batch}"
                           + (f" --exclude {','.join(sorted(excluded))}" if excluded else "") + " --out REPLAY_DIR"}
        for i, array in enumerate(inputs):
            rel = f"io/{name}.inputs_{i}.npy"
            np.save(os.path.join(out, rel), array)
            entry["inputs"].append(rel)
        for j, array in enumerate(outputs):
            rel = f"io/{name}.outputs_{j}.npy"
            np.save(os.path.join(out, rel), array)
            entry["outputs"].append(rel)
        if attempt:
            entry["attempt"] = attempt
        return entry
    raise SystemExit(f"model {index} of seed {seed}: no usable draw in {ATTEMPTS_PER_MODEL} attempts: {errors}")


def model_name(seed, index):
    return f"keras_s{seed}_{index:04d}"


def generate(args):
    import keras

    os.makedirs(os.path.join(args.out, "io"), exist_ok=True)
    command = "KERAS_BACKEND=jax python " + " ".join([SCRIPT] + [shlex.quote(a) for a in sys.argv[1:]])
    models = {}
    excluded = frozenset(filter(None, args.exclude.split(",")))
    started = time.time()
    for index in range(args.first, args.first + args.count):
        name = model_name(args.seed, index)
        models[name] = write_model(keras, args.out, name, args.seed, index, args.max_layers, args.batch, excluded)
        if args.verbose:
            print(f"{name}: {models[name]['kind']} {models[name]['policy']} {models[name]['layers']}", file=sys.stderr)
    manifest = {"schema": KIT_SCHEMA,
                "producer": {"tool": "keras", "version": keras.__version__, "keras_version": keras.__version__,
                             "seed": args.seed, "count": args.count, "command": command},
                "models": models}
    with open(os.path.join(args.out, "MANIFEST.json"), "w", encoding="utf-8") as file:
        json.dump(manifest, file, indent=2, sort_keys=True, ensure_ascii=False)
        file.write("\n")
    print(f"wrote {len(models)} models to {args.out} in {time.time() - started:.1f} s", file=sys.stderr)


def verify(directory):
    """Reloads every model of the kit in `directory`, predicts its inputs, compares with its outputs."""
    import keras

    with open(os.path.join(directory, "MANIFEST.json"), encoding="utf-8") as file:
        manifest = json.load(file)
    failures = 0
    for name, entry in sorted(manifest["models"].items()):
        keras.backend.clear_session()
        try:
            model = keras.saving.load_model(os.path.join(directory, entry["file"]), safe_mode=True)
            inputs = [np.load(os.path.join(directory, p)) for p in entry["inputs"]]
            expected = [np.load(os.path.join(directory, p)) for p in entry["outputs"]]
            problem = difference(predict(keras, model, inputs), expected, len(entry.get("layers", [])), entry.get("policy"))
        except Exception as error:  # noqa: BLE001 - reported per model
            problem = f"{type(error).__name__}: {error}"
        if problem:
            failures += 1
            print(f"FAIL {name}: {problem}\n  replay: {entry.get('replay', '')}")
    print(f"verified {len(manifest['models'])} models, {failures} failed")
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--first", type=int, default=0, help="index of the first model (replays one model with --count 1)")
    parser.add_argument("--out", help="kit directory to write")
    parser.add_argument("--max-layers", type=int, default=10)
    parser.add_argument("--batch", type=int, default=2)
    parser.add_argument("--verify", metavar="DIR", help="reload a kit's models with Keras and compare with its outputs")
    parser.add_argument("--exclude", default="", metavar="NAMES",
                        help="comma-separated layer classes and activation names never drawn (changes the draws)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    # Keras's fallback from jax.nn.dot_product_attention (key_dim != value_dim) logs a traceback at ERROR, and
    # legal-but-odd draws (a softmax over an axis of size 1) warn: neither is a problem of the kit.
    logging.getLogger("absl").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", category=UserWarning)
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    if args.verify:
        return verify(args.verify)
    if not args.out:
        parser.error("--out is required")
    generate(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())

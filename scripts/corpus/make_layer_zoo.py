#!/usr/bin/env python3
"""Build the layer zoo: tiny real-Keras models covering each layer and its configurations, with Keras's
predictions.

Corpus/golden/zoo/ is written by this script only; nothing in it is edited by hand. make_golden.py
deletes and rebuilds Corpus/golden, this folder included, so run this script after it.

Producer
    The pinned environment of scripts/corpus/requirements.txt (keras 3.15.1, jax/jaxlib 0.10.2,
    h5py 3.16.0, numpy 2.4.6), backend jax on CPU (set below, before keras is imported).

Usage
    /work/venv/bin/python scripts/corpus/make_layer_zoo.py [--out Corpus/golden/zoo] [--only CASE ...]
    /work/venv/bin/python scripts/corpus/make_layer_zoo.py --verify   (sizes, sha256, file list; no Keras run)

    The output directory is deleted and rebuilt (with --only, only the named cases are rewritten and
    the manifest keeps the others). Seeds are fixed: weights, inputs and outputs are the same on every
    run on the same machine; the archives' bytes differ per run only by the save time Keras stores.

What each case is
    A model of batch-2 inputs (batch 3 for the mask, keras.ops and edge cases: a masked batch has a sample
    padded at the end, one at the start and middle, one all padding) with a few channels and small
    spatial sizes. Related configurations share one model (`fanout`: one input fed to several branches
    whose outputs are flattened and concatenated) so that the zoo stays small. Every variable gets seeded random values (not Keras's initial ones, so
    that a variable read in the wrong order or layout shows; adapted Normalization statistics and
    quantized kernels keep theirs), the model is saved with `model.save(<case>.keras)`, its inputs and
    `model.predict` outputs are written as .npy, and the saved file is reloaded with
    `keras.saving.load_model` and must predict the same bit for bit (NaN where Keras predicts NaN), so
    every case is something Keras itself round-trips.

Layout of Corpus/golden/zoo/
    <case>.keras
    io/<case>.inputs.npy (or .inputs_0.npy, .inputs_1.npy ...), io/<case>.outputs.npy
    MANIFEST.json   the schema of Corpus/golden/MANIFEST.json: "models" (case -> description, inputs,
                    outputs, outputs_cast, files; paths relative to this folder), "files" (path, sha256,
                    size, kind, description, model), "producer"
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import shutil
import sys

os.environ["KERAS_BACKEND"] = "jax"
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import h5py  # noqa: E402
import jax  # noqa: E402
import jaxlib  # noqa: E402
import keras  # noqa: E402
import ml_dtypes  # noqa: E402
import numpy as np  # noqa: E402

SEED = 20261123
SCHEMA = 1
L = keras.layers


def tag_seed(tag):
    return SEED + int.from_bytes(hashlib.sha256(tag.encode()).digest()[:4], "little")


def rng(tag):
    return np.random.default_rng(tag_seed(tag))


def fresh(tag):
    """Fresh name counters (layer names start at `dense` again) and a per-case seed."""
    keras.backend.clear_session()
    keras.utils.set_random_seed(tag_seed(tag) % 2**31)


def randomize(model, tag):
    """Seeded values for every variable: positive where Keras needs them (variances), else normal.

    Adapted Normalization statistics are kept: the layer computes with copies made by `adapt`, so new
    values would be saved but not used by the in-memory model.
    """
    generator = rng(tag + "/weights")
    adapted = {id(v) for layer in model._flatten_layers() if isinstance(layer, L.Normalization) for v in layer.weights}
    for variable in model.weights:
        if id(variable) in adapted:
            continue
        shape = tuple(variable.shape)
        if "variance" in variable.path:
            value = generator.uniform(0.5, 1.5, shape)
        else:
            value = generator.normal(0.0, 0.5, shape)
        variable.assign(value.astype(variable.dtype))


def inputs(tag, *shapes):
    generator = rng(tag + "/inputs")
    return [generator.standard_normal(shape).astype("float32") for shape in shapes]


def sequential(tag, input_shape, *layers):
    fresh(tag)
    return keras.Sequential([keras.Input(input_shape)] + list(layers), name=tag)


# ----------------------------------------------------------------------------------------------
# the cases: name -> (description, builder returning (model, inputs))

CASES = {}
# Cases whose builder sets the weights itself (quantized kernels must keep their int8 values).
KEEP_WEIGHTS = {"einsum_dense_int8", "dense_int8_variants", "dense_int4_variants", "dense_float8", "einsum_dense_int8_equations",
                "einsum_dense_int4", "einsum_dense_float8"}


def case(description):
    def register(builder):
        CASES[builder.__name__] = (description, builder)
        return builder

    return register


def fanout(tag, input_shape, *branches):
    """One input fed to every branch (a list of layers applied in turn, often starting with a Reshape to
    the rank the branch needs); the branch outputs are flattened and concatenated into one output. The
    caller runs `fresh(tag)` before making the branch layers."""
    x = keras.Input(input_shape)
    outputs = []
    for layers in branches:
        y = x
        for layer in layers:
            y = layer(y)
        outputs.append(L.Flatten()(y))
    out = outputs[0] if len(outputs) == 1 else L.Concatenate()(outputs)
    return keras.Model(x, out, name=tag)


def joined(tensors):
    flat = [L.Flatten()(t) for t in tensors]
    return flat[0] if len(flat) == 1 else L.Concatenate()(flat)


@case("EinsumDense: abc,cd->abd bias d relu; ...b,bc->...c on rank 4 bias c; abc,cde->abde bias de then abde,de->ab")
def einsum_dense():
    fresh("einsum_dense")
    m = fanout(
        "einsum_dense",
        (4, 6),
        [L.EinsumDense("abc,cd->abd", output_shape=(None, 5), bias_axes="d", activation="relu")],
        [L.Reshape((2, 2, 6)), L.EinsumDense("...b,bc->...c", output_shape=5, bias_axes="c")],
        [L.EinsumDense("abc,cde->abde", output_shape=(None, 2, 3), bias_axes="de"), L.EinsumDense("abde,de->ab", output_shape=(None,))],
    )
    return m, inputs("einsum_dense", (2, 4, 6))


@case("Dense, RepeatVector(3), Permute((2, 1)); Permute((3, 1, 2)) on rank 4 then Dense(2)")
def repeat_permute():
    fresh("repeat_permute")
    m = fanout(
        "repeat_permute",
        (2, 3, 4),
        [L.Flatten(), L.Dense(4), L.RepeatVector(3), L.Permute((2, 1))],
        [L.Permute((3, 1, 2)), L.Dense(2)],
    )
    return m, inputs("repeat_permute", (2, 2, 3, 4))


@case("Dot(axes=1) of two vectors; Dot(axes=(2, 2), normalize=True) of (3,4) and (5,4); Dot(axes=(1, 2)) of (4,3) and (2,4)")
def dot():
    fresh("dot")
    a, b = keras.Input((4, 3)), keras.Input((5, 4))
    va, vb = L.Flatten()(a), L.Dense(12)(L.Flatten()(b))
    cosine = L.Dot(axes=(2, 2), normalize=True)([L.Reshape((3, 4))(va), b])
    crossed = L.Dot(axes=(1, 2))([a, L.Reshape((2, 4))(L.Dense(8)(va))])
    m = keras.Model([a, b], joined([L.Dot(axes=1)([va, vb]), cosine, crossed]), name="dot")
    return m, inputs("dot", (2, 4, 3), (2, 5, 4))


@case("MaxPooling1D(2, strides=1, same) + AveragePooling1D(3, strides=2); MaxPooling2D(3, strides=2, same) + MaxPooling2D(2); "
      "AveragePooling2D((2, 3), strides=2, same) on 5x7 (border windows average real cells only); MaxPooling3D(2) + AveragePooling3D(2, strides=1, same)")
def pooling():
    fresh("pooling")
    m = fanout(
        "pooling",
        (5, 7, 2),
        [L.Reshape((35, 2)), L.MaxPooling1D(2, strides=1, padding="same"), L.AveragePooling1D(3, strides=2)],
        [L.MaxPooling2D(3, strides=2, padding="same"), L.MaxPooling2D(2)],
        [L.AveragePooling2D((2, 3), strides=(2, 2), padding="same")],
        [L.Reshape((5, 7, 1, 2)), L.ZeroPadding3D(((0, 0), (0, 0), (1, 1))), L.MaxPooling3D(2), L.AveragePooling3D(2, strides=1, padding="same")],
    )
    return m, inputs("pooling", (2, 5, 7, 2))


@case("ZeroPadding/Cropping/UpSampling 1D ((1, 2), (2, 1), 2), 2D (((1, 2), (0, 1)), ((1, 0), (2, 1)), (2, 3) nearest), "
      "3D (1, ((0, 1), (1, 1), (2, 0)), (1, 2, 2)); UpSampling2D((2, 3), bilinear) (jax.image.resize, half-pixel centres)")
def pad_crop_upsample():
    fresh("pad_crop_upsample")
    m = fanout(
        "pad_crop_upsample",
        (3, 4, 2),
        [L.Reshape((12, 2)), L.ZeroPadding1D((1, 2)), L.Cropping1D((2, 1)), L.UpSampling1D(2)],
        [L.ZeroPadding2D(((1, 2), (0, 1))), L.Cropping2D(((1, 0), (2, 1))), L.UpSampling2D((2, 3))],
        [L.Reshape((3, 2, 2, 2)), L.ZeroPadding3D(1), L.Cropping3D(((0, 1), (1, 1), (2, 0))), L.UpSampling3D((1, 2, 2))],
        [L.UpSampling2D((2, 3), interpolation="bilinear")],
    )
    return m, inputs("pad_crop_upsample", (2, 3, 4, 2))


@case("DepthwiseConv2D(3, depth_multiplier=2, strides=2, same, relu); DepthwiseConv2D(3, dilation_rate=2, no bias); DepthwiseConv1D(3, depth_multiplier=2, same); "
      "SeparableConv2D(4, 3, depth_multiplier=2, strides=2, same, relu); SeparableConv1D(3, 3, dilation_rate=2)")
def depthwise_separable():
    fresh("depthwise_separable")
    m = fanout(
        "depthwise_separable",
        (7, 6, 3),
        [L.DepthwiseConv2D(3, depth_multiplier=2, strides=2, padding="same", activation="relu")],
        [L.DepthwiseConv2D(3, dilation_rate=2, use_bias=False)],
        [L.Reshape((42, 3)), L.DepthwiseConv1D(3, depth_multiplier=2, padding="same")],
        [L.SeparableConv2D(4, 3, depth_multiplier=2, strides=2, padding="same", activation="relu")],
        [L.Reshape((42, 3)), L.SeparableConv1D(3, 3, dilation_rate=2)],
    )
    return m, inputs("depthwise_separable", (2, 7, 6, 3))


@case("Conv2DTranspose(3, 3, strides=2, same); (2, (3, 2), strides=(2, 3), output_padding=(1, 2)); (2, 3, dilation_rate=2, relu); "
      "Conv1DTranspose(3, 4, strides=2, same, output_padding=1); Conv3DTranspose(2, 2, strides=2)")
def conv_transpose():
    fresh("conv_transpose")
    m = fanout(
        "conv_transpose",
        (3, 4, 2),
        [L.Conv2DTranspose(3, 3, strides=2, padding="same")],
        [L.Conv2DTranspose(2, (3, 2), strides=(2, 3), output_padding=(1, 2))],
        [L.Conv2DTranspose(2, 3, dilation_rate=2, activation="relu")],
        [L.Reshape((12, 2)), L.Conv1DTranspose(3, 4, strides=2, padding="same", output_padding=1)],
        [L.Reshape((3, 2, 2, 2)), L.Conv3DTranspose(2, 2, strides=2)],
    )
    return m, inputs("conv_transpose", (2, 3, 4, 2))


@case("LeakyReLU(0.2), ELU() (Keras does not save alpha), Dense, PReLU(); PReLU(shared_axes=[1, 2]); Softmax(axis=1), Dense, Softmax(axis=[1, 2])")
def activations():
    fresh("activations")
    m = fanout(
        "activations",
        (3, 4, 2),
        [L.Reshape((3, 8)), L.LeakyReLU(0.2), L.ELU(), L.Dense(4), L.PReLU()],
        [L.PReLU(shared_axes=[1, 2])],
        [L.Reshape((3, 8)), L.Softmax(axis=1), L.Dense(4), L.Softmax(axis=[1, 2])],
    )
    return m, inputs("activations", (2, 3, 4, 2))


@case("GroupNormalization(groups=2), then groups=-1 on 4D; UnitNormalization(), Dense, UnitNormalization(axis=[1, 2])")
def group_unit_normalization():
    fresh("group_unit_normalization")
    m = fanout(
        "group_unit_normalization",
        (5, 4),
        [L.GroupNormalization(groups=2), L.Reshape((5, 2, 2)), L.GroupNormalization(groups=-1, epsilon=1e-4)],
        [L.UnitNormalization(), L.Dense(4), L.UnitNormalization(axis=[1, 2])],
    )
    return m, inputs("group_unit_normalization", (2, 5, 4))


@case("Normalization(mean, variance given, axis=-1), then Normalization(axis=(1, 2), invert=True) adapted")
def normalization_fixed_and_inverted():
    fresh("normalization_fixed_and_inverted")
    x = keras.Input((4, 3))
    y = L.Normalization(mean=[0.5, -1.0, 2.0], variance=[4.0, 0.25, 1.0])(x)
    inverted = L.Normalization(axis=(1, 2), invert=True)
    inverted.adapt(rng("normalization_fixed_and_inverted/adapt").normal(1.0, 2.0, (8, 4, 3)).astype("float32"))
    m = keras.Model(x, inverted(y), name="normalization_fixed_and_inverted")
    return m, inputs("normalization_fixed_and_inverted", (2, 4, 3))


@case("LayerNormalization(axis=[1, 2]), then LayerNormalization(rms_scaling=True)")
def layer_normalization_axes_rms():
    m = sequential("layer_normalization_axes_rms", (3, 4), L.LayerNormalization(axis=[1, 2]), L.LayerNormalization(rms_scaling=True, epsilon=1e-5))
    return m, inputs("layer_normalization_axes_rms", (2, 3, 4))


@case("Bidirectional: LSTM(3, return_sequences) concat; GRU(3) sum; SimpleRNN(3) with backward_layer=LSTM(3, go_backwards) ave; "
      "GRU(2, reset_after=False, return_sequences) mul")
def bidirectional():
    fresh("bidirectional")
    m = fanout(
        "bidirectional",
        (4, 3),
        [L.Bidirectional(L.LSTM(3, return_sequences=True))],
        [L.Bidirectional(L.GRU(3), merge_mode="sum")],
        [L.Bidirectional(L.SimpleRNN(3, return_sequences=True), backward_layer=L.LSTM(3, return_sequences=True, go_backwards=True), merge_mode="ave")],
        [L.Bidirectional(L.GRU(2, reset_after=False, return_sequences=True), merge_mode="mul")],
    )
    return m, inputs("bidirectional", (2, 4, 3))


@case("Bidirectional(LSTM(2, return_sequences=True, return_state=True), merge_mode=None): 6 outputs, flattened and concatenated")
def bidirectional_states_unmerged():
    fresh("bidirectional_states_unmerged")
    x = keras.Input((4, 3))
    outputs = L.Bidirectional(L.LSTM(2, return_sequences=True, return_state=True), merge_mode=None)(x)
    m = keras.Model(x, joined(outputs), name="bidirectional_states_unmerged")
    return m, inputs("bidirectional_states_unmerged", (2, 4, 3))


@case("TimeDistributed(Dense(3, tanh)); TimeDistributed(Conv2D(2, 3)) then TimeDistributed(GlobalAveragePooling2D()); "
      "TimeDistributed(Sequential([Dense(3, relu), Dense(2)]))")
def time_distributed():
    fresh("time_distributed")
    inner = keras.Sequential([keras.Input((20,)), L.Dense(3, activation="relu"), L.Dense(2)], name="inner")
    m = fanout(
        "time_distributed",
        (3, 4, 5),
        [L.Reshape((3, 20)), L.TimeDistributed(L.Dense(3, activation="tanh"))],
        [L.Reshape((3, 4, 5, 1)), L.TimeDistributed(L.Conv2D(2, 3)), L.TimeDistributed(L.GlobalAveragePooling2D())],
        [L.Reshape((3, 20)), L.TimeDistributed(inner)],
    )
    return m, inputs("time_distributed", (2, 3, 4, 5))


@case("Attention() of [query (3,4), value (5,4)]; Attention(use_scale=True) self-attention with use_causal_mask=True; "
      "Attention(use_scale=True, score_mode='concat') of [query, value, key]")
def attention():
    fresh("attention")
    q, v = keras.Input((3, 4)), keras.Input((5, 4))
    dot_scores = L.Attention()([q, v])
    causal = L.Attention(use_scale=True)([v, v], use_causal_mask=True)
    concat = L.Attention(use_scale=True, score_mode="concat")([q, L.Dense(2)(v), v])
    m = keras.Model([q, v], joined([dot_scores, causal, concat]), name="attention")
    return m, inputs("attention", (2, 3, 4), (2, 5, 4))


@case("Attention(use_scale=True) with mask=[query_mask, value_mask] (int) and use_causal_mask=True")
def attention_masks():
    fresh("attention_masks")
    q, v = keras.Input((4, 3)), keras.Input((4, 3))
    qm, vm = keras.Input((4,), dtype="int32"), keras.Input((4,), dtype="int32")
    m = keras.Model([q, v, qm, vm], L.Attention(use_scale=True)([q, v], mask=[qm, vm], use_causal_mask=True), name="attention_masks")
    masks = int_masks("attention_masks", (2, 4), (2, 4))
    masks[1][:, 0] = 1  # every causal row keeps its first step
    return m, inputs("attention_masks", (2, 4, 3), (2, 4, 3)) + masks


@case("MultiHeadAttention: (2, 3) self-attention; (2, 3, output_shape=5, use_bias=False) with key= (a value_dim other than "
      "key_dim fails in Keras 3.15.1's JAX path); (2, 2) use_causal_mask=True; (2, 2, attention_axes=(1, 2)) on rank 4; (2, 2, use_gate=True)")
def multi_head_attention():
    fresh("multi_head_attention")
    q, v = keras.Input((4, 6)), keras.Input((5, 6))
    k = L.Dense(2)(v)
    self_attention = L.MultiHeadAttention(2, 3)(q, q)
    cross = L.MultiHeadAttention(2, 3, output_shape=5, use_bias=False)(q, v, key=k)
    causal = L.MultiHeadAttention(2, 2)(v, v, use_causal_mask=True)
    grid = L.Reshape((2, 2, 6))(q)
    axes = L.MultiHeadAttention(2, 2, attention_axes=(1, 2))(grid, grid)
    gated = L.MultiHeadAttention(2, 2, use_gate=True)(q, v)
    m = keras.Model([q, v], joined([self_attention, cross, causal, axes, gated]), name="multi_head_attention")
    return m, inputs("multi_head_attention", (2, 4, 6), (2, 5, 6))


@case("MultiHeadAttention(2, 2) and Attention() with return_attention_scores=True: outputs and scores flattened and concatenated")
def attention_scores():
    fresh("attention_scores")
    q, v = keras.Input((3, 4)), keras.Input((5, 4))
    out, scores = L.MultiHeadAttention(2, 2)(q, v, return_attention_scores=True)
    out2, scores2 = L.Attention()([q, v], return_attention_scores=True)
    m = keras.Model([q, v], joined([out, scores, out2, scores2]), name="attention_scores")
    return m, inputs("attention_scores", (2, 3, 4), (2, 5, 4))


def int_masks(tag, *shapes):
    """Seeded 0/1 int32 masks; the first row of the first sample is all zeros (a fully masked row)."""
    generator = rng(tag + "/masks")
    masks = [(generator.uniform(size=shape) < 0.7).astype("int32") for shape in shapes]
    masks[0][0, 0] = 0
    return masks


@case("MultiHeadAttention(2, 2) with an int attention_mask (one fully masked query row), then with value_mask too and "
      "return_attention_scores (the Softmax-layer path; its scores output is not connected in a Keras 3.15.1 Functional, so only the output is used)")
def mha_masks():
    fresh("mha_masks")
    q, v = keras.Input((3, 4)), keras.Input((5, 4))
    am, vm = keras.Input((3, 5), dtype="int32"), keras.Input((5,), dtype="int32")
    layer = L.MultiHeadAttention(2, 2)
    fused = layer(q, v, attention_mask=am)
    out, _ = layer(q, v, value_mask=vm, attention_mask=am, return_attention_scores=True)
    m = keras.Model([q, v, am, vm], joined([fused, out]), name="mha_masks")
    return m, inputs("mha_masks", (2, 3, 4), (2, 5, 4)) + int_masks("mha_masks", (2, 3, 5), (2, 5))


@case("Multiply of (4,4,3) by GlobalAveragePooling2D(keepdims) (1,1,3), Add of ranks 3 and 2 (squeeze-excite broadcasting)")
def merge_broadcast():
    fresh("merge_broadcast")
    x = keras.Input((4, 4, 3))
    s = L.GlobalAveragePooling2D(keepdims=True)(x)
    s = L.Dense(3, activation="sigmoid")(s)
    y = L.Multiply()([x, s])
    z = L.Reshape((16, 3))(y)
    w = L.Dense(3)(L.GlobalAveragePooling2D()(x))
    out = L.Add()([z, w])
    m = keras.Model(x, out, name="merge_broadcast")
    return m, inputs("merge_broadcast", (2, 4, 4, 3))


@case("keras.ops in a Functional: x * (1/6), 3.0 - x, ops.maximum(a, b), ops.sqrt(ops.square(x) + 1), ops.relu")
def ops_arithmetic():
    fresh("ops_arithmetic")
    ops = keras.ops
    x = keras.Input((3, 4))
    a = x * (1.0 / 6.0)
    b = 3.0 - x
    c = ops.maximum(a, b)
    d = ops.sqrt(ops.square(x) + 1.0)
    m = keras.Model(x, ops.relu(c - d), name="ops_arithmetic")
    return m, inputs("ops_arithmetic", (2, 3, 4))


@case("channels_first: Conv2D, DepthwiseConv2D, MaxPooling2D, SeparableConv2D, Conv2DTranspose, ZeroPadding2D, UpSampling2D, Flatten; "
      "Conv1D, AveragePooling1D, GlobalAveragePooling1D(keepdims); Conv3D, GlobalMaxPooling3D")
def channels_first():
    cf = "channels_first"
    fresh("channels_first")
    m = fanout(
        "channels_first",
        (2, 6, 5),
        [
            L.Conv2D(3, 3, padding="same", data_format=cf),
            L.DepthwiseConv2D(2, data_format=cf),
            L.MaxPooling2D(2, padding="same", data_format=cf),
            L.SeparableConv2D(2, 2, padding="same", data_format=cf),
            L.Conv2DTranspose(2, 2, strides=2, data_format=cf),
            L.ZeroPadding2D(((1, 0), (0, 1)), data_format=cf),
            L.UpSampling2D(2, data_format=cf),
            L.Flatten(data_format=cf),
        ],
        [L.Reshape((2, 30)), L.Conv1D(4, 3, data_format=cf), L.AveragePooling1D(2, data_format=cf), L.GlobalAveragePooling1D(data_format=cf, keepdims=True)],
        [L.Reshape((2, 3, 2, 5)), L.Conv3D(2, 2, data_format=cf), L.GlobalMaxPooling3D(data_format=cf)],
    )
    return m, inputs("channels_first", (2, 2, 6, 5))


@case("Indexing and array constants in a Functional: x[:, 1:3], x[..., 0], x[:, None, 2], x[:, ::-1, 1:4:2], "
      "x[-1:, -2] (GetItem keys with __slice__, __ellipsis__, None and negative ints) and x + np.array / x * tensor "
      "(__numpy__ and __tensor__ constants)")
def ops_getitem_constants():
    fresh("ops_getitem_constants")
    ops = keras.ops
    x = keras.Input((4, 5))
    y = L.Dense(5)(x)
    pieces = [
        y[:, 1:3],
        y[..., 0],
        y[:, None, 2],
        y[:, ::-1, 1:4:2],
        y[:, -1:, -2],
        ops.add(y, np.linspace(-1.0, 1.0, 5).astype("float32")),
        ops.multiply(y, ops.convert_to_tensor(np.array([[0.5], [1.0], [1.5], [2.0]], dtype="float32"))),
        ops.subtract(y, np.arange(20, dtype="int32").reshape(4, 5)),
    ]
    flat = [L.Flatten()(p) if len(p.shape) > 2 else p for p in pieces]
    m = keras.Model(x, L.Concatenate()(flat), name="ops_getitem_constants")
    return m, inputs("ops_getitem_constants", (2, 4, 5))


@case("Dense with each of the built-in activations the first zoo lacked: celu, glu, hard_shrink, soft_shrink, "
      "sparse_plus, sparse_sigmoid, sparsemax, squareplus (inputs scaled to reach every branch)")
def activation_functions():
    fresh("activation_functions")
    names = ["celu", "glu", "hard_shrink", "soft_shrink", "sparse_plus", "sparse_sigmoid", "sparsemax", "squareplus"]
    m = fanout("activation_functions", (6,), *[[L.Dense(4), L.Rescaling(3.0), L.Activation(name)] for name in names])
    return m, inputs("activation_functions", (2, 6))


@case("channels_first convolutions with axis-dependent activations: Conv1D(softmax), Conv2D(log_softmax), "
      "SeparableConv2D(softmax), DepthwiseConv2D(log_softmax), Conv2DTranspose(softmax); Keras applies them to "
      "the output's last axis whatever the data format")
def channels_first_activations():
    cf = "channels_first"
    fresh("channels_first_activations")
    m = fanout(
        "channels_first_activations",
        (3, 5, 4),
        [L.Conv2D(2, 2, padding="same", data_format=cf, activation="log_softmax")],
        [L.SeparableConv2D(3, 2, data_format=cf, activation="softmax")],
        [L.DepthwiseConv2D(2, data_format=cf, activation="log_softmax")],
        [L.Conv2DTranspose(2, 2, data_format=cf, activation="softmax")],
        [L.Reshape((3, 20)), L.Conv1D(4, 3, data_format=cf, activation="softmax")],
    )
    return m, inputs("channels_first_activations", (2, 3, 5, 4))


@case("EinsumDense abc,cd->abd quantized with model.quantize('int8') (listed in known_unsupported.txt: loads, no forward math)")
def einsum_dense_int8():
    fresh("einsum_dense_int8")
    m = sequential("einsum_dense_int8", (4, 6), L.EinsumDense("abc,cd->abd", output_shape=(None, 5), bias_axes="d"))
    randomize(m, "einsum_dense_int8")
    m.quantize("int8")
    return m, inputs("einsum_dense_int8", (2, 4, 6))


def quantized(tag, model, plan):
    """Seeded float weights first, then each layer of `plan` (layer -> (mode, config or None)) quantized
    with `layer.quantize`, so the stored int8/int4 kernels, scales and zero points are Keras's own."""
    randomize(model, tag)
    for layer, (mode, config) in plan.items():
        layer.quantize(mode, config=config)
    return model


def float8_scales(tag, layers):
    """Positive seeded scales and amax histories for float8 layers: Keras's initial scales are 1, which
    would leave the float8 rounding of inputs and kernels nearly invisible; these put most values in the
    e4m3 normal range with a few clipped at 448."""
    generator = rng(tag + "/scales")
    for layer in layers:
        for name in ("inputs_scale", "kernel_scale", "outputs_grad_scale"):
            getattr(layer, name).assign(np.float32(generator.uniform(0.002, 0.02)))
        for name in ("inputs_amax_history", "kernel_amax_history", "outputs_grad_amax_history"):
            history = getattr(layer, name)
            history.assign(generator.uniform(0.0, 4.0, tuple(history.shape)).astype("float32"))


@case("Dense quantized to int8: default config (AbsMaxQuantizer on the inputs, per row) with relu on rank-3 inputs; "
      "weight-only (Int8QuantizationConfig(activation_quantizer=None)); AbsMaxQuantizer(value_range=(-100, 100), epsilon=1e-3), no bias")
def dense_int8_variants():
    Q = keras.quantizers
    fresh("dense_int8_variants")
    default, weight_only, custom = L.Dense(5, activation="relu"), L.Dense(4), L.Dense(3, use_bias=False)
    m = fanout("dense_int8_variants", (3, 6), [default], [L.Flatten(), weight_only], [custom])
    quantized("dense_int8_variants", m, {
        default: ("int8", None),
        weight_only: ("int8", Q.Int8QuantizationConfig(activation_quantizer=None)),
        custom: ("int8", Q.Int8QuantizationConfig(activation_quantizer=Q.AbsMaxQuantizer(value_range=(-100, 100), epsilon=1e-3))),
    })
    return m, inputs("dense_int8_variants", (2, 3, 6))


@case("Dense quantized to int4 (kernels packed two per byte along the units): default block_size 128 (one group, zero points); "
      "block_size=3 over 7 inputs (3 groups, the last partial) with 5 units (odd: a padded nibble); per-channel (block_size=-1); "
      "per-channel with AbsMaxQuantizer on the inputs (int8 x int4 in int32)")
def dense_int4_variants():
    Q = keras.quantizers
    fresh("dense_int4_variants")
    default, grouped, per_channel, quantized_inputs = L.Dense(5), L.Dense(5, activation="tanh"), L.Dense(4, use_bias=False), L.Dense(3)
    m = fanout("dense_int4_variants", (2, 7), [default], [grouped], [per_channel], [quantized_inputs])
    quantized("dense_int4_variants", m, {
        default: ("int4", None),
        grouped: ("int4", Q.Int4QuantizationConfig(block_size=3)),
        per_channel: ("int4", Q.Int4QuantizationConfig(block_size=-1)),
        quantized_inputs: ("int4", Q.Int4QuantizationConfig(block_size=-1, activation_quantizer=Q.AbsMaxQuantizer())),
    })
    return m, inputs("dense_int4_variants", (2, 2, 7))


@case("Dense quantized to float8 (model.quantize semantics: inputs and kernel quantize-dequantized through float8_e4m3fn "
      "with their scales, the bias rounded to bfloat16): Dense(5) and Dense(3, relu, no bias) with a QuantizedFloat8DTypePolicy "
      "of amax_history_length=16 given at construction; seeded scales (some values clip at 448)")
def dense_float8():
    fresh("dense_float8")
    policy = keras.dtype_policies.QuantizedFloat8DTypePolicy("float8", "float32", amax_history_length=16)
    plain, built_quantized = L.Dense(5), L.Dense(3, activation="relu", use_bias=False, dtype=policy)
    m = fanout("dense_float8", (4, 6), [plain], [built_quantized])
    quantized("dense_float8", m, {plain: ("float8", None)})
    float8_scales("dense_float8", [plain, built_quantized])
    return m, inputs("dense_float8", (2, 4, 6))


@case("EinsumDense quantized to int8 over equations that move the scales: abc,dc->abd (kernel reduced on its last axis), "
      "abc,cde->abde, abcd,cde->abe (two input axes reduced: a squeezed input scale), abc,cd->adb (output transposed), "
      "abc,bcd->ad, abc,cd->abcd (nothing reduced: a scale per element); ab,bc->ac weight-only")
def einsum_dense_int8_equations():
    Q = keras.quantizers
    fresh("einsum_dense_int8_equations")
    layers = [
        L.EinsumDense("abc,dc->abd", output_shape=(None, 5), bias_axes="d", activation="relu"),
        L.EinsumDense("abc,cde->abde", output_shape=(None, 2, 3), bias_axes="de"),
        L.EinsumDense("abcd,cde->abe", output_shape=(None, 5), bias_axes="e"),
        L.EinsumDense("abc,cd->adb", output_shape=(5, None), bias_axes="d"),
        L.EinsumDense("abc,bcd->ad", output_shape=(5,)),
        L.EinsumDense("abc,cd->abcd", output_shape=(None, 6, 3)),
    ]
    weight_only = L.EinsumDense("ab,bc->ac", output_shape=4, bias_axes="c")
    m = fanout(
        "einsum_dense_int8_equations",
        (4, 6),
        [layers[0]], [layers[1]], [L.Reshape((2, 2, 6)), layers[2]], [layers[3]], [layers[4]], [layers[5]], [L.Flatten(), weight_only],
    )
    plan = {layer: ("int8", None) for layer in layers}
    plan[weight_only] = ("int8", Q.Int8QuantizationConfig(activation_quantizer=None))
    quantized("einsum_dense_int8_equations", m, plan)
    return m, inputs("einsum_dense_int8_equations", (2, 4, 6))


@case("EinsumDense quantized to int4 (the kernel flattened to rows of reduced axes by columns, packed along the columns): "
      "abc,cd->abd default (block 128); abc,cde->abde block_size=4 (2 groups); abcd,cde->abe block_size=5 (12 rows, 3 groups); "
      "abc,dc->abd per-channel; abc,cd->abd per-channel with AbsMaxQuantizer on the inputs")
def einsum_dense_int4():
    Q = keras.quantizers
    fresh("einsum_dense_int4")
    default = L.EinsumDense("abc,cd->abd", output_shape=(None, 5), bias_axes="d")
    grouped = L.EinsumDense("abc,cde->abde", output_shape=(None, 2, 3), bias_axes="de", activation="tanh")
    squeezed = L.EinsumDense("abcd,cde->abe", output_shape=(None, 3), bias_axes="e")
    per_channel = L.EinsumDense("abc,dc->abd", output_shape=(None, 5))
    quantized_inputs = L.EinsumDense("abc,cd->abd", output_shape=(None, 3), bias_axes="d")
    m = fanout("einsum_dense_int4", (4, 6), [default], [grouped], [L.Reshape((2, 2, 6)), squeezed], [per_channel], [quantized_inputs])
    quantized("einsum_dense_int4", m, {
        default: ("int4", None),
        grouped: ("int4", Q.Int4QuantizationConfig(block_size=4)),
        squeezed: ("int4", Q.Int4QuantizationConfig(block_size=5)),
        per_channel: ("int4", Q.Int4QuantizationConfig(block_size=-1)),
        quantized_inputs: ("int4", Q.Int4QuantizationConfig(block_size=-1, activation_quantizer=Q.AbsMaxQuantizer())),
    })
    return m, inputs("einsum_dense_int4", (2, 4, 6))


@case("EinsumDense quantized to float8: abc,cd->abd bias d; ...b,bc->...c on rank 4 (ellipsis: fine for float8, which needs no "
      "axis analysis); abc,cde->abde no bias; seeded scales")
def einsum_dense_float8():
    fresh("einsum_dense_float8")
    layers = [
        L.EinsumDense("abc,cd->abd", output_shape=(None, 5), bias_axes="d", activation="relu"),
        L.EinsumDense("...b,bc->...c", output_shape=5, bias_axes="c"),
        L.EinsumDense("abc,cde->abde", output_shape=(None, 2, 3)),
    ]
    m = fanout("einsum_dense_float8", (4, 6), [layers[0]], [L.Reshape((2, 2, 6)), layers[1]], [layers[2]])
    quantized("einsum_dense_float8", m, {layer: ("float8", None) for layer in layers})
    float8_scales("einsum_dense_float8", layers)
    return m, inputs("einsum_dense_float8", (2, 4, 6))


# ----------------------------------------------------------------------------------------------
# implicit Keras masks (Embedding(mask_zero=True), Masking) and explicit mask tensors, batch 3
#
# "joined" in the descriptions below: the outputs flattened and concatenated into the one output (by
# `packed`). Keras 3.15.1 saves the mask of a layer whose call takes a single tensor and `mask` (RNNs,
# GlobalAveragePooling1D, Softmax, TimeDistributed, BatchNormalization, nested models) as a node keyword
# argument traced at build time (NotEqual, Any, LogicalOr ... operation nodes in the config); Attention,
# MultiHeadAttention, Multiply and layers under Sequential get theirs at run time from the tensors.


def padding_steps(batch, length):
    """The padding pattern of every masked case: sample 0 padded at its last 2 steps, sample 1 at step 0
    and step 3 (start and middle), sample 2 at every step (a fully padded row); further samples none."""
    padded = np.zeros((batch, length), dtype=bool)
    padded[0, -2:] = True
    padded[1, [0, 3]] = True
    padded[2, :] = True
    return padded


def tokens(tag, batch, length, vocab):
    """Seeded int32 tokens in [1, vocab) with 0 as padding in the `padding_steps` pattern."""
    values = rng(tag + "/tokens").integers(1, vocab, (batch, length)).astype("int32")
    values[padding_steps(batch, length)] = 0
    return values


def masked_floats(tag, shape, mask_value=0.0):
    """`inputs` values with whole time steps set to exactly `mask_value` in the `padding_steps` pattern."""
    values = inputs(tag, shape)[0]
    values[padding_steps(shape[0], shape[1])] = np.float32(mask_value)
    return values


def packed(tensors):
    """One output as `joined` makes it, with fewer layers (each adds about 2 KB to an archive): tensors
    alike but for their last axis are concatenated on it before a single Flatten, rank-2 tensors join
    unflattened; groups in order of first appearance."""
    groups = {}
    for t in tensors:
        if len(t.shape) < 2:
            raise ValueError(f"packed: rank-1 tensor {t}")
        groups.setdefault(tuple(t.shape[1:-1]), []).append(t)
    flat = []
    for key, group in groups.items():
        y = group[0] if len(group) == 1 else L.Concatenate()(group)
        flat.append(L.Flatten()(y) if key else y)
    return flat[0] if len(flat) == 1 else L.Concatenate()(flat)


def branches(x, *layers):
    """Each layer (or list of layers applied in turn) called on x; the outputs, lists flattened."""
    outputs = []
    for chain in layers:
        y = x
        for layer in chain if isinstance(chain, list) else [chain]:
            y = layer(y)
        outputs.extend(y if isinstance(y, (list, tuple)) else [y])
    return outputs


@case("Embedding(7, 3, mask_zero=True) on int32 tokens (3, 6) (sample 0 padded at the end, sample 1 at steps 0 and 3, "
      "sample 2 all padding), fed to SimpleRNN(3), SimpleRNN(3, return_sequences=True), SimpleRNN(2, go_backwards=True), "
      "SimpleRNN(2, return_sequences=True, go_backwards=True); outputs flattened and concatenated")
def mask_simple_rnn():
    fresh("mask_simple_rnn")
    t = keras.Input((6,), dtype="int32")
    x = L.Embedding(7, 3, mask_zero=True)(t)
    outs = branches(x, L.SimpleRNN(3), L.SimpleRNN(3, return_sequences=True), L.SimpleRNN(2, go_backwards=True),
                    L.SimpleRNN(2, return_sequences=True, go_backwards=True))
    return keras.Model(t, packed(outs), name="mask_simple_rnn"), [tokens("mask_simple_rnn", 3, 6, 7)]


@case("Embedding(7, 3, mask_zero=True) on int32 tokens (3, 6) (padding at the end / steps 0 and 3 / every step), fed to "
      "LSTM(3), LSTM(3, return_sequences=True), LSTM(2, go_backwards=True, return_sequences=True), "
      "LSTM(2, return_state=True) (output, h, c), LSTM(2, return_sequences=True, zero_output_for_mask=True); joined")
def mask_lstm():
    fresh("mask_lstm")
    t = keras.Input((6,), dtype="int32")
    x = L.Embedding(7, 3, mask_zero=True)(t)
    outs = branches(x, L.LSTM(3), L.LSTM(3, return_sequences=True), L.LSTM(2, go_backwards=True, return_sequences=True),
                    L.LSTM(2, return_state=True), L.LSTM(2, return_sequences=True, zero_output_for_mask=True))
    return keras.Model(t, packed(outs), name="mask_lstm"), [tokens("mask_lstm", 3, 6, 7)]


@case("Embedding(7, 3, mask_zero=True) on int32 tokens (3, 6) (padding at the end / steps 0 and 3 / every step), fed to "
      "GRU(3), GRU(3, return_sequences=True), GRU(2, go_backwards=True), GRU(2, return_sequences=True, go_backwards=True), "
      "GRU(2, reset_after=False), GRU(3, return_sequences=True, return_state=True) (sequence and h); joined")
def mask_gru():
    fresh("mask_gru")
    t = keras.Input((6,), dtype="int32")
    x = L.Embedding(7, 3, mask_zero=True)(t)
    outs = branches(x, L.GRU(3), L.GRU(3, return_sequences=True), L.GRU(2, go_backwards=True),
                    L.GRU(2, return_sequences=True, go_backwards=True), L.GRU(2, reset_after=False),
                    L.GRU(3, return_sequences=True, return_state=True))
    return keras.Model(t, packed(outs), name="mask_gru"), [tokens("mask_gru", 3, 6, 7)]


@case("Embedding(7, 3, mask_zero=True) on int32 tokens (3, 6) (padding at the end / steps 0 and 3 / every step), fed to "
      "Bidirectional(LSTM(2, return_sequences=True)) concat, Bidirectional(GRU(2), merge_mode='sum'), "
      "Bidirectional(SimpleRNN(2, return_sequences=True), merge_mode='mul'), Bidirectional(LSTM(2, return_sequences=True), "
      "merge_mode='ave'), Bidirectional(LSTM(2, return_state=True)) (output, forward h, c, backward h, c); joined")
def mask_bidirectional():
    fresh("mask_bidirectional")
    t = keras.Input((6,), dtype="int32")
    x = L.Embedding(7, 3, mask_zero=True)(t)
    outs = branches(x, L.Bidirectional(L.LSTM(2, return_sequences=True)), L.Bidirectional(L.GRU(2), merge_mode="sum"),
                    L.Bidirectional(L.SimpleRNN(2, return_sequences=True), merge_mode="mul"),
                    L.Bidirectional(L.LSTM(2, return_sequences=True), merge_mode="ave"), L.Bidirectional(L.LSTM(2, return_state=True)))
    return keras.Model(t, packed(outs), name="mask_bidirectional"), [tokens("mask_bidirectional", 3, 6, 7)]


@case("float input (3, 6, 4) with whole steps exactly 0.0 (sample 0 the last 2, sample 1 steps 0 and 3, sample 2 every step) "
      "and exactly 0.5 (sample 0 step 1, sample 1 step 5; sample 2 has none, so Masking(0.5) masks nothing of its all-zero row): "
      "Masking(mask_value=0.0) -> its own output, LSTM(3, return_sequences=True), GRU(3); Masking(mask_value=0.5) -> its own "
      "output, SimpleRNN(2); joined")
def masking_rnn():
    fresh("masking_rnn")
    x = keras.Input((6, 4))
    zero = L.Masking(mask_value=0.0)(x)
    half = L.Masking(mask_value=0.5)(x)
    outs = [zero, L.LSTM(3, return_sequences=True)(zero), L.GRU(3)(zero), half, L.SimpleRNN(2)(half)]
    values = masked_floats("masking_rnn", (3, 6, 4))
    values[0, 1, :] = 0.5
    values[1, 5, :] = 0.5
    return keras.Model(x, packed(outs), name="masking_rnn"), [values]


@case("Embedding(9, 4, mask_zero=True) on int32 tokens (3, 6) (padding at the end / steps 0 and 3 / every step, where the "
      "masked average is 0/0): GlobalAveragePooling1D(); Dense(3) (passes the mask on) -> GlobalAveragePooling1D(); "
      "GlobalAveragePooling1D(keepdims=True); GlobalMaxPooling1D() (ignores masks); joined")
def mask_pooling():
    fresh("mask_pooling")
    t = keras.Input((6,), dtype="int32")
    x = L.Embedding(9, 4, mask_zero=True)(t)
    outs = branches(x, L.GlobalAveragePooling1D(), [L.Dense(3), L.GlobalAveragePooling1D()], L.GlobalAveragePooling1D(keepdims=True),
                    L.GlobalMaxPooling1D())
    return keras.Model(t, packed(outs), name="mask_pooling"), [tokens("mask_pooling", 3, 6, 9)]


@case("Attention with implicit masks: x = Embedding(9, 4, mask_zero=True) of int32 tokens (3, 6), y = another "
      "Embedding(9, 4, mask_zero=True) of int32 tokens (3, 5) (both padded at the end / steps 0 and 3 / every step): "
      "Attention()([x, x]); Attention(use_scale=True)([x, x], use_causal_mask=True); Attention()([x, y]) (query mask from x, "
      "value mask from y); Attention(score_mode='concat')([x, y, y]); joined")
def mask_attention():
    fresh("mask_attention")
    tx, ty = keras.Input((6,), dtype="int32"), keras.Input((5,), dtype="int32")
    x = L.Embedding(9, 4, mask_zero=True)(tx)
    y = L.Embedding(9, 4, mask_zero=True)(ty)
    outs = [L.Attention()([x, x]), L.Attention(use_scale=True)([x, x], use_causal_mask=True), L.Attention()([x, y]),
            L.Attention(score_mode="concat")([x, y, y])]
    return keras.Model([tx, ty], packed(outs), name="mask_attention"), [tokens("mask_attention/x", 3, 6, 9), tokens("mask_attention/y", 3, 5, 9)]


@case("MultiHeadAttention with implicit masks: x = Embedding(9, 4, mask_zero=True) of int32 tokens (3, 6), y = another "
      "Embedding(9, 4, mask_zero=True) of int32 tokens (3, 5) (both padded at the end / steps 0 and 3 / every step); four "
      "MultiHeadAttention(2, 2) layers: (x, x); (x, x, use_causal_mask=True) (causal and padding masks combined); cross (x, y); "
      "(x, y, key=Dense(4)(y)) (Dense passes y's mask on as the key mask). Each attention call gets its own call of the two "
      "(shared) Embedding layers: MultiHeadAttention clears the Keras masks of the tensors it is given, so a second attention "
      "on the same x would see no mask at all; joined")
def mask_mha():
    fresh("mask_mha")
    tx, ty = keras.Input((6,), dtype="int32"), keras.Input((5,), dtype="int32")
    embed_x, embed_y = L.Embedding(9, 4, mask_zero=True), L.Embedding(9, 4, mask_zero=True)
    x1, x2, x3, x4 = (embed_x(tx) for _ in range(4))
    y3, y4 = embed_y(ty), embed_y(ty)
    outs = [L.MultiHeadAttention(2, 2)(x1, x1), L.MultiHeadAttention(2, 2)(x2, x2, use_causal_mask=True), L.MultiHeadAttention(2, 2)(x3, y3),
            L.MultiHeadAttention(2, 2)(x4, y4, key=L.Dense(4)(y4))]
    return keras.Model([tx, ty], packed(outs), name="mask_mha"), [tokens("mask_mha/x", 3, 6, 9), tokens("mask_mha/y", 3, 5, 9)]


@case("A masked transformer encoder block: int32 tokens (3, 6) (padding at the end / steps 0 and 3 / every step) -> "
      "x = Embedding(11, 4, mask_zero=True) -> a = MultiHeadAttention(2, 2)(x, x) -> Add()([x, a]) -> LayerNormalization -> "
      "Dense(4, relu) -> Add with its input -> LayerNormalization -> GlobalAveragePooling1D -> Dense(2) (NaN for the "
      "all-padding sample: a masked average of no steps). MultiHeadAttention reads x's mask at run time and clears it on x "
      "there, but the Adds do not read masks; the saved graph hands GlobalAveragePooling1D the mask Keras traced when "
      "building, where x kept its mask: logical_or(logical_or(m, m), logical_or(m, m)) with m = not_equal(tokens, 0) "
      "(NotEqual and LogicalOr operation nodes), i.e. the padding mask")
def mask_transformer_block():
    fresh("mask_transformer_block")
    t = keras.Input((6,), dtype="int32")
    x = L.Embedding(11, 4, mask_zero=True)(t)
    a = L.MultiHeadAttention(2, 2)(x, x)
    h = L.LayerNormalization()(L.Add()([x, a]))
    f = L.Dense(4, activation="relu")(h)
    h = L.LayerNormalization()(L.Add()([h, f]))
    out = L.Dense(2)(L.GlobalAveragePooling1D()(h))
    return keras.Model(t, out, name="mask_transformer_block"), [tokens("mask_transformer_block", 3, 6, 11)]


@case("TimeDistributed passing masks on: float input (3, 6, 4) with whole steps exactly 0.0 (the last 2 of sample 0, steps 0 "
      "and 3 of sample 1, every step of sample 2) -> Masking() -> TimeDistributed(Dense(3)) -> LSTM(2, return_sequences=True); "
      "int32 tokens (3, 6) in the same pattern -> Embedding(7, 3, mask_zero=True) -> TimeDistributed(Dense(2)) -> GRU(2); joined")
def mask_time_distributed():
    fresh("mask_time_distributed")
    x, t = keras.Input((6, 4)), keras.Input((6,), dtype="int32")
    a = L.LSTM(2, return_sequences=True)(L.TimeDistributed(L.Dense(3))(L.Masking()(x)))
    b = L.GRU(2)(L.TimeDistributed(L.Dense(2))(L.Embedding(7, 3, mask_zero=True)(t)))
    return (keras.Model([x, t], packed([a, b]), name="mask_time_distributed"),
            [masked_floats("mask_time_distributed", (3, 6, 4)), tokens("mask_time_distributed", 3, 6, 7)])


@case("Merges of masked tensors: a, b = Embedding(9, 3, mask_zero=True) of two int32 token inputs (3, 6) (the same padding "
      "pattern: end / steps 0 and 3 / every step, different tokens); Add -> LSTM(2); Concatenate -> GRU(2); Multiply -> "
      "SimpleRNN(2); Average -> GlobalAveragePooling1D; Concatenate(axis=1) -> LSTM(2) (masks concatenated along time); "
      "Add()([a, Dense(3)(f)]) -> LSTM(2) with f an unmasked float input (3, 6, 2); joined")
def mask_merge():
    fresh("mask_merge")
    ta, tb, f = keras.Input((6,), dtype="int32"), keras.Input((6,), dtype="int32"), keras.Input((6, 2))
    a = L.Embedding(9, 3, mask_zero=True)(ta)
    b = L.Embedding(9, 3, mask_zero=True)(tb)
    outs = [L.LSTM(2)(L.Add()([a, b])), L.GRU(2)(L.Concatenate()([a, b])), L.SimpleRNN(2)(L.Multiply()([a, b])),
            L.GlobalAveragePooling1D()(L.Average()([a, b])), L.LSTM(2)(L.Concatenate(axis=1)([a, b])),
            L.LSTM(2)(L.Add()([a, L.Dense(3)(f)]))]
    return (keras.Model([ta, tb, f], packed(outs), name="mask_merge"),
            [tokens("mask_merge/a", 3, 6, 9), tokens("mask_merge/b", 3, 6, 9)] + inputs("mask_merge", (3, 6, 2)))


@case("Layers after Embedding(9, 3, mask_zero=True) -> Dense(3) on int32 tokens (3, 6) (padding at the end / steps 0 and 3 / "
      "every step): Softmax(axis=1) given mask= an int32 input (3, 6, 1) holding the same padding pattern (Keras 3.15.1's "
      "Softmax raises on the implicit (batch, time) mask of a (batch, time, 3) tensor: it aligns the mask with the last axes); "
      "Activation('relu') -> LSTM(2); ReLU -> LeakyReLU -> ELU -> GRU(2); "
      "Dropout(0.5) -> LayerNormalization -> BatchNormalization -> SimpleRNN(2) (these pass the mask on); Conv1D(2, 1) -> "
      "LSTM(2) (Conv1D drops the mask: the LSTM sees none); joined")
def mask_softmax_activations():
    fresh("mask_softmax_activations")
    t, k = keras.Input((6,), dtype="int32"), keras.Input((6, 1), dtype="int32")
    d = L.Dense(3)(L.Embedding(9, 3, mask_zero=True)(t))
    outs = [L.Softmax(axis=1)(d, mask=k)] + branches(d, [L.Activation("relu"), L.LSTM(2)], [L.ReLU(), L.LeakyReLU(), L.ELU(), L.GRU(2)],
                    [L.Dropout(0.5), L.LayerNormalization(), L.BatchNormalization(), L.SimpleRNN(2)], [L.Conv1D(2, 1), L.LSTM(2)])
    values = tokens("mask_softmax_activations", 3, 6, 9)
    return keras.Model([t, k], packed(outs), name="mask_softmax_activations"), [values, (values != 0).astype("int32")[:, :, None]]


@case("Masks across nested models: int32 tokens (3, 6) (padding at the end / steps 0 and 3 / every step) -> "
      "Sequential 'inner_embed' [Input((6,), int32), Embedding(9, 3, mask_zero=True)] -> LSTM(2) (the mask leaves the nested "
      "model); the same tokens -> Embedding(9, 3, mask_zero=True) -> Functional 'inner_lstm' (Input((6, 3)) -> "
      "LSTM(2, return_sequences=True)) (the mask enters the nested model: its node records mask=not_equal) -> "
      "GlobalAveragePooling1D; joined. The saved graph records mask=None for the outer LSTM and the GlobalAveragePooling1D "
      "(Keras warns that the nested models destroy the mask), yet at run time both read the mask the nested model's last "
      "layer left on its output tensor: the LSTM skips the padding and the average is over the unpadded steps (NaN for the "
      "all-padding sample)")
def mask_nested():
    fresh("mask_nested")
    inner_embed = keras.Sequential([keras.Input((6,), dtype="int32"), L.Embedding(9, 3, mask_zero=True)], name="inner_embed")
    inner_in = keras.Input((6, 3))
    inner_lstm = keras.Model(inner_in, L.LSTM(2, return_sequences=True)(inner_in), name="inner_lstm")
    t = keras.Input((6,), dtype="int32")
    a = L.LSTM(2)(inner_embed(t))
    b = L.GlobalAveragePooling1D()(inner_lstm(L.Embedding(9, 3, mask_zero=True)(t)))
    return keras.Model(t, packed([a, b]), name="mask_nested"), [tokens("mask_nested", 3, 6, 9)]


@case("Sequential([Input((7,), int32), Embedding(13, 4, mask_zero=True), LSTM(3), Dense(2, softmax)]) on int32 tokens (3, 7) "
      "(padding at the last 2 steps / steps 0 and 3 / every step)")
def mask_sequential():
    fresh("mask_sequential")
    m = keras.Sequential([keras.Input((7,), dtype="int32"), L.Embedding(13, 4, mask_zero=True), L.LSTM(3), L.Dense(2, activation="softmax")],
                         name="mask_sequential")
    return m, [tokens("mask_sequential", 3, 7, 13)]


@case("Explicit masks: float x (3, 6, 4), bool mask m (3, 6) (sample 0 all False, others mixed), int32 mask k (3, 6) "
      "(0/1, sample 0 all 0), float h0, c0 (3, 2): LSTM(2)(x, mask=m); GRU(2, return_sequences=True)(x, mask=m); "
      "SimpleRNN(2)(x, mask=k); LSTM(2)(x, initial_state=[h0, c0]); LSTM(2)(x, mask=m, initial_state=[h0, c0]); joined")
def mask_explicit():
    fresh("mask_explicit")
    x, m, k = keras.Input((6, 4)), keras.Input((6,), dtype="bool"), keras.Input((6,), dtype="int32")
    h0, c0 = keras.Input((2,)), keras.Input((2,))
    outs = [L.LSTM(2)(x, mask=m), L.GRU(2, return_sequences=True)(x, mask=m), L.SimpleRNN(2)(x, mask=k),
            L.LSTM(2)(x, initial_state=[h0, c0]), L.LSTM(2)(x, mask=m, initial_state=[h0, c0])]
    bool_mask, int_mask = int_masks("mask_explicit", (3, 6), (3, 6))
    bool_mask[0, :] = 0
    bool_mask[1:, 0] = 1
    int_mask[0, :] = 0
    xs = inputs("mask_explicit", (3, 6, 4), (3, 2), (3, 2))
    return keras.Model([x, m, k, h0, c0], packed(outs), name="mask_explicit"), [xs[0], bool_mask.astype(bool), int_mask, xs[1], xs[2]]


# ----------------------------------------------------------------------------------------------
# keras.ops nodes in a Functional, batch 3


def tied(tag, shape, share=0.3):
    """Two seeded float32 inputs rounded to 1 decimal (exact zeros and ties with 0.2 occur), the second
    equal to the first at about `share` of the positions."""
    generator = rng(tag + "/tied")
    x = np.round(generator.standard_normal(shape), 1).astype("float32")
    y = np.round(generator.standard_normal(shape), 1).astype("float32")
    same = generator.uniform(size=shape) < share
    y[same] = x[same]
    return [x, y]


def as_float(tensors):
    return [keras.ops.cast(t, "float32") for t in tensors]


@case("keras.ops comparisons and logic on x, y (3, 4, 5) rounded to 1 decimal (ties at a third of the positions, exact zeros): "
      "not_equal, equal, greater, greater_equal, less, less_equal of x and y and of x and 0.2; logical_and, logical_or, "
      "logical_not, logical_xor of those; where(x > y, x, y); cast(bool, float32); cast(x * 3, int32) back to float32 "
      "(truncation toward zero); cast(x, bool); all cast to float32 and joined")
def ops_compare_logic():
    fresh("ops_compare_logic")
    ops = keras.ops
    x, y = keras.Input((4, 5)), keras.Input((4, 5))
    pair = [ops.not_equal(x, y), ops.equal(x, y), ops.greater(x, y), ops.greater_equal(x, y), ops.less(x, y), ops.less_equal(x, y)]
    number = [ops.not_equal(x, 0.2), ops.equal(x, 0.2), ops.greater(x, 0.2), ops.greater_equal(x, 0.2), ops.less(x, 0.2),
              ops.less_equal(x, 0.2)]
    logic = [ops.logical_and(pair[2], number[5]), ops.logical_or(pair[1], number[4]), ops.logical_not(pair[0]),
             ops.logical_xor(pair[3], number[2])]
    rest = [ops.where(pair[2], x, y), ops.cast(pair[4], "float32"), ops.cast(ops.cast(x * 3.0, "int32"), "float32"), ops.cast(x, "bool")]
    m = keras.Model([x, y], packed(as_float(pair + number + logic + rest)), name="ops_compare_logic")
    return m, tied("ops_compare_logic", (3, 4, 5))


@case("keras.ops shape ops on x, y (3, 4, 5): expand_dims axis 1 and -1; squeeze(x[:, 1:2], axis=1); reshape(x, (-1, 20)); "
      "transpose (0, 2, 1); concatenate axis 1; stack axis 1; take(x, [0, 2], axis=2); take_along_axis(x, argsort(x, -1), -1); "
      "repeat(x, 2, axis=1); tile (1, 1, 2); flip axis 1; roll(x, 2, axis=2); split(x, [1, 3], axis=2)[1]; swapaxes 1, 2; "
      "moveaxis 1 -> -1; broadcast_to(x[:, :1], (3, 4, 5)); joined; inputs of batch_shape (3, 4, 5)")
def ops_shape():
    fresh("ops_shape")
    ops = keras.ops
    # A fixed batch of 3: broadcast_to names the whole shape, batch included, so the model takes batch 3 only.
    x, y = keras.Input(batch_shape=(3, 4, 5)), keras.Input(batch_shape=(3, 4, 5))
    outs = [
        ops.expand_dims(x, 1), ops.expand_dims(x, -1), ops.squeeze(x[:, 1:2], axis=1), ops.reshape(x, (-1, 20)),
        ops.transpose(x, (0, 2, 1)), ops.concatenate([x, y], axis=1), ops.stack([x, y], axis=1), ops.take(x, [0, 2], axis=2),
        ops.take_along_axis(x, ops.argsort(x, axis=-1), axis=-1), ops.repeat(x, 2, axis=1), ops.tile(x, (1, 1, 2)),
        ops.flip(x, axis=1), ops.roll(x, 2, axis=2), ops.split(x, [1, 3], axis=2)[1], ops.swapaxes(x, 1, 2),
        ops.moveaxis(x, 1, -1), ops.broadcast_to(x[:, :1], (3, 4, 5)),
    ]
    m = keras.Model([x, y], packed(outs), name="ops_shape")
    return m, inputs("ops_shape", (3, 4, 5), (3, 4, 5))


@case("keras.ops reductions on x (3, 4, 5) rounded to 1 decimal (ties for max, min, argmax, argmin): sum, mean, max, min, prod, "
      "any(x > 0), all(x > -1), each with axis=1, axis=-1 keepdims=True and axis=(1, 2); argmax, argmin with axis=1, "
      "axis=-1 keepdims=True and axis=-1 of reshape(x, (-1, 20)) (no tuple axis); logsumexp axis 1, std axis -1 keepdims, "
      "var axis (1, 2), cumsum axis 1, cumprod axis 2; all cast to float32 and joined")
def ops_reduce():
    fresh("ops_reduce")
    ops = keras.ops
    x = keras.Input((4, 5))
    outs = []
    for reduce in (ops.sum, ops.mean, ops.max, ops.min, ops.prod):
        outs += [reduce(x, axis=1), reduce(x, axis=-1, keepdims=True), reduce(x, axis=(1, 2))]
    for reduce, value in ((ops.any, ops.greater(x, 0.0)), (ops.all, ops.greater(x, -1.0))):
        outs += [reduce(value, axis=1), reduce(value, axis=-1, keepdims=True), reduce(value, axis=(1, 2))]
    for reduce in (ops.argmax, ops.argmin):
        outs += [reduce(x, axis=1), reduce(x, axis=-1, keepdims=True), reduce(ops.reshape(x, (-1, 20)), axis=-1)]
    outs += [ops.logsumexp(x, axis=1), ops.std(x, axis=-1, keepdims=True), ops.var(x, axis=(1, 2)), ops.cumsum(x, axis=1),
             ops.cumprod(x, axis=2)]
    outs = [ops.expand_dims(t, -1) if len(t.shape) == 1 else t for t in as_float(outs)]
    m = keras.Model(x, packed(outs), name="ops_reduce")
    return m, tied("ops_reduce", (3, 4, 5))[:1]


@case("keras.ops math on x (3, 4, 5) (normal, scale 0.75), y (3, 4, 5) (|y| in [0.5, 2], either sign: a divisor and exponent "
      "that keep every output small), w (3, 5, 2), q (3, 4, 5) on a quarter grid (exact halves and zeros): matmul(x, w); "
      "einsum bij,bjk->bik; softmax, log_softmax axis -1; clip(x, -0.5, 0.5); abs, negative, square, sqrt(abs), exp, "
      "log(abs + 1), log1p(abs), expm1, sin, cos, tan(x / 2), arctan, tanh, sinh, cosh, arcsinh, sigmoid; on 4x: relu, relu6, "
      "gelu (approximate True and False), silu, softplus, softsign, elu, selu, leaky_relu, hard_sigmoid, hard_silu; on q: "
      "sign, floor, ceil, round (half to even); reciprocal(y), rsqrt(abs(x) + 0.1), power(x, 3), power(abs(x) + 0.5, y), "
      "floor_divide and mod (x by y, q by 0.5 and 0.75), maximum, minimum, subtract, multiply, divide, add (x with y and "
      "with a constant); joined")
def ops_math():
    fresh("ops_math")
    ops = keras.ops
    x, y, w, q = keras.Input((4, 5)), keras.Input((4, 5)), keras.Input((5, 2)), keras.Input((4, 5))
    a = ops.abs(x)
    s = x * 4.0
    outs = [
        ops.matmul(x, w), ops.einsum("bij,bjk->bik", x, w), ops.softmax(x, axis=-1), ops.log_softmax(x, axis=-1), ops.clip(x, -0.5, 0.5),
        a, ops.negative(x), ops.square(x), ops.sqrt(a), ops.exp(x), ops.log(a + 1.0), ops.log1p(a), ops.expm1(x), ops.sin(x),
        ops.cos(x), ops.tan(x * 0.5), ops.arctan(x), ops.tanh(x), ops.sinh(x), ops.cosh(x), ops.arcsinh(x), ops.sigmoid(x),
        ops.relu(s), ops.relu6(s), ops.gelu(s, approximate=True), ops.gelu(s, approximate=False), ops.silu(s), ops.softplus(s),
        ops.softsign(s), ops.elu(s), ops.selu(s), ops.leaky_relu(s), ops.hard_sigmoid(s), ops.hard_silu(s),
        ops.sign(q), ops.floor(q), ops.ceil(q), ops.round(q), ops.reciprocal(y), ops.rsqrt(a + 0.1), ops.power(x, 3),
        ops.power(a + 0.5, y), ops.floor_divide(x, y), ops.mod(x, y), ops.floor_divide(q, 0.5), ops.mod(q, 0.75),
        ops.maximum(x, y), ops.maximum(x, 0.1), ops.minimum(x, y), ops.minimum(x, -0.1), ops.subtract(x, y), ops.subtract(x, 0.25),
        ops.multiply(x, y), ops.multiply(x, 3.0), ops.divide(x, y), ops.divide(x, 4.0), ops.add(x, y), ops.add(x, 1.5),
    ]
    m = keras.Model([x, y, w, q], packed(outs), name="ops_math")
    xs = inputs("ops_math", (3, 4, 5), (3, 4, 5), (3, 5, 2))
    xs[0] *= np.float32(0.75)
    xs[1] = (np.sign(xs[1]) * (0.5 + 1.5 * rng("ops_math/divisor").uniform(size=(3, 4, 5)))).astype("float32")
    quarters = np.round(rng("ops_math/quarters").uniform(-3.0, 3.0, (3, 4, 5)) * 4.0) / 4.0
    quarters.flat[:6] = [0.0, 0.5, -0.5, 1.5, -2.5, 2.5]
    return m, xs + [quarters.astype("float32")]


# ----------------------------------------------------------------------------------------------
# edges


@case("Embedding(5, 3) (no mask) on int32 indices (3, 6) in range, negative (-1, -3, -5, -6) and out of range (5, 7, 100); a second "
      "Embedding(5, 3) on float32 values (1.7, -0.2, 2.0, 4.9, -1.5, 5.0 ...) which Keras casts to int32 (toward zero); "
      "joined. Keras with JAX (jnp.take, fill mode): -5 to -1 count from the end, indices >= 5 or < -5 (and 5.0, 6.1) give "
      "NaN rows; the saved output keeps the NaNs")
def embedding_indices():
    fresh("embedding_indices")
    t, f = keras.Input((6,), dtype="int32"), keras.Input((6,))
    m = keras.Model([t, f], packed([L.Embedding(5, 3)(t), L.Embedding(5, 3)(f)]), name="embedding_indices")
    indices = np.array([[0, 1, 2, 3, 4, -1], [-5, 5, 100, 2, -3, 7], [4, -1, 0, 5, -6, 1]], dtype="int32")
    floats = np.array([[1.7, -0.2, 2.0, 4.9, -1.5, 0.0], [5.0, 3.99, -0.7, 0.3, -4.2, 2.5], [-5.5, 6.1, 1.0, -1.0, 0.9, 3.2]], dtype="float32")
    return m, [indices, floats]


@case("PReLU on inputs with unknown dimensions: Input((None, None, 3)) -> PReLU(shared_axes=[1, 2]) -> GlobalAveragePooling2D; "
      "Input((None, 4)) -> PReLU(shared_axes=[1]); predicted on (3, 4, 5, 3) and (3, 6, 4); joined")
def prelu_unknown_dims():
    fresh("prelu_unknown_dims")
    a, b = keras.Input((None, None, 3)), keras.Input((None, 4))
    m = keras.Model([a, b], packed([L.GlobalAveragePooling2D()(L.PReLU(shared_axes=[1, 2])(a)), L.PReLU(shared_axes=[1])(b)]),
                    name="prelu_unknown_dims")
    return m, inputs("prelu_unknown_dims", (3, 4, 5, 3), (3, 6, 4))


# ----------------------------------------------------------------------------------------------
# writing


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def producer_block():
    return {
        "python": platform.python_version(),
        "keras": keras.__version__,
        "jax": jax.__version__,
        "jaxlib": jaxlib.__version__,
        "h5py": h5py.__version__,
        "hdf5": h5py.version.hdf5_version,
        "numpy": np.__version__,
        "ml_dtypes": ml_dtypes.__version__,
        "backend": keras.backend.backend(),
        "platform": platform.platform(),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "seed": SEED,
        "script": "scripts/corpus/make_layer_zoo.py",
    }


def predict(model, xs):
    return np.asarray(model.predict(xs if len(xs) > 1 else xs[0], verbose=0))


def write_case(out, name, description, builder, files):
    model, xs = builder()
    if name not in KEEP_WEIGHTS:
        randomize(model, name)
    io_dir = os.path.join(out, "io")
    os.makedirs(io_dir, exist_ok=True)
    input_paths = []
    for index, x in enumerate(xs):
        rel = f"io/{name}.inputs.npy" if len(xs) == 1 else f"io/{name}.inputs_{index}.npy"
        np.save(os.path.join(out, rel), x, allow_pickle=False)
        files[rel] = ("npy", f"input {index} ({x.dtype}, {list(x.shape)}) of model {name}", name)
        input_paths.append(rel)
    y = predict(model, xs).astype(np.float32)
    out_rel = f"io/{name}.outputs.npy"
    np.save(os.path.join(out, out_rel), y, allow_pickle=False)
    files[out_rel] = ("npy", f"Keras predict output ({y.dtype}, {list(y.shape)}) of model {name}", name)
    archive = f"{name}.keras"
    model.save(os.path.join(out, archive))
    files[archive] = ("keras-archive", description, name)
    reloaded = keras.saving.load_model(os.path.join(out, archive))
    again = predict(reloaded, xs).astype(np.float32)
    if not np.array_equal(again, y, equal_nan=True):  # NaN where Keras computes one (a masked average of no steps)
        raise SystemExit(f"[make_layer_zoo] {name}: Keras's reload predicts differently (max |diff| {np.max(np.abs(again - y))})")
    return {"description": description, "inputs": input_paths, "outputs": out_rel, "outputs_cast": None, "files": [archive]}


def verify(out):
    """The zoo against its manifest, without Keras: the files on disk are exactly the listed ones, with
    their sizes and sha256; every .npy loads without pickle; every model's files exist."""
    with open(os.path.join(out, "MANIFEST.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    failures = []
    listed = {e["path"]: e for e in manifest["files"]}
    on_disk = set()
    for directory, _, names in os.walk(out):
        for name in names:
            on_disk.add(os.path.relpath(os.path.join(directory, name), out).replace(os.sep, "/"))
    on_disk.discard("MANIFEST.json")
    if on_disk != set(listed):
        failures.append(f"files on disk differ from the manifest: extra {sorted(on_disk - set(listed))}, missing {sorted(set(listed) - on_disk)}")
    for path, entry in sorted(listed.items()):
        full = os.path.join(out, path)
        if not os.path.isfile(full):
            continue
        if os.path.getsize(full) != entry["size"] or sha256_file(full) != entry["sha256"]:
            failures.append(f"{path}: size or sha256 differs from the manifest")
        if entry["kind"] == "npy":
            try:
                np.load(full, allow_pickle=False)
            except Exception as error:  # reported, not raised: every file is checked
                failures.append(f"{path}: np.load: {error}")
    for name, model in manifest["models"].items():
        for path in model["inputs"] + [model["outputs"]] + model["files"]:
            if path not in listed:
                failures.append(f"model {name}: {path} is not in the manifest")
    for failure in failures:
        print(f"FAIL {failure}")
    print(f"[make_layer_zoo] verify: {len(listed)} files, {len(manifest['models'])} models, {len(failures)} failures")
    return 1 if failures else 0


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(here, "..", "..", "Corpus", "golden", "zoo"))
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--verify", action="store_true", help="check the zoo against its manifest; build nothing")
    args = parser.parse_args(argv)
    out = os.path.abspath(args.out)
    if args.verify:
        return verify(out)
    manifest_path = os.path.join(out, "MANIFEST.json")
    models, files = {}, {}
    if args.only:
        unknown = sorted(set(args.only) - set(CASES))
        if unknown:
            raise SystemExit(f"unknown cases {unknown}")
        with open(manifest_path, encoding="utf-8") as f:
            old = json.load(f)
        models = {k: v for k, v in old["models"].items() if k not in args.only}
        files = {e["path"]: (e["kind"], e["description"], e["model"]) for e in old["files"] if e["model"] not in args.only}
    else:
        if os.path.exists(out):
            shutil.rmtree(out)
        os.makedirs(out)
    for name, (description, builder) in CASES.items():
        if args.only and name not in args.only:
            continue
        models[name] = write_case(out, name, description, builder, files)
        print(f"[make_layer_zoo] {name}", flush=True)
    manifest = {
        "schema": SCHEMA,
        "producer": producer_block(),
        "io_dir": "io/",
        "models": dict(sorted(models.items())),
        "files": [
            {"path": path, "sha256": sha256_file(os.path.join(out, path)), "size": os.path.getsize(os.path.join(out, path)),
             "kind": kind, "description": description, "model": model}
            for path, (kind, description, model) in sorted(files.items())
        ],
    }
    with open(manifest_path, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
        f.write("\n")
    total = sum(e["size"] for e in manifest["files"])
    print(f"[make_layer_zoo] {len(models)} cases, {len(manifest['files'])} files, {total} bytes", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

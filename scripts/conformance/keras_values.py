#!/usr/bin/env python3
"""The Keras side of the config-value contract (docs/FORMAT.md 2.1, 2.8): what Keras 3.15.1 makes of one
JSON config value, as a canonical tagged description plus its re-serialization.

    python scripts/conformance/keras_values.py golden --out Corpus/golden/serialization/keras_values.json
    python scripts/conformance/keras_values.py check DIR/values.json      # a file written by `kconform gen --values N`

Library: describe(value), reserialize(value), canonical_ids(json), deserialize(config), outcome(config),
compare(ours, keras). The file formats are in Tests/python/README-kit.md ("Config values").
Always run with KERAS_BACKEND=jax (set by default here).
"""
import argparse
import json
import math
import os
import pathlib
import platform
import re
import sys
import types
import warnings

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras.src.saving import serialization_lib  # noqa: E402

GOLDEN_FORMAT = "kconform-keras-values/1"
VALUES_FORMAT = "kconform-values/1"
MESSAGE_LIMIT = 300


# ---------------------------------------------------------------------------------------------------------
# describe

def _element(x):
    """One array element as a string: bools True/False, integers in decimal, floats by repr of the exact
    Python float (float16/bfloat16/float32 widen exactly)."""
    if isinstance(x, (bool, np.bool_)):
        return "True" if x else "False"
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    return repr(float(x))


def _array(kind, array):
    array = np.asarray(array)
    return {"type": kind, "dtype": keras.backend.standardize_dtype(array.dtype), "shape": list(array.shape),
            "values": [_element(x) for x in array.reshape(-1).tolist()] if array.dtype.kind in "biuf"
            else [_element(x) for x in array.reshape(-1)]}


def describe(value, _identities=None):
    """The canonical tagged description of a deserialized Python value (README-kit.md, "Config values")."""
    identities = {} if _identities is None else _identities
    if value is None:
        return {"type": "none"}
    if isinstance(value, bool):
        return {"type": "bool", "value": value}
    if isinstance(value, int):
        return {"type": "int", "value": str(value)}
    if isinstance(value, float):
        return {"type": "float", "value": repr(value)}
    if isinstance(value, str):
        return {"type": "str", "value": value}
    if isinstance(value, (list, tuple)):
        return {"type": "list", "items": [describe(item, identities) for item in value]}
    if isinstance(value, dict):
        return {"type": "dict", "items": [[key, describe(item, identities)] for key, item in value.items()]}
    if isinstance(value, bytes):
        return {"type": "bytes", "hex": value.hex()}
    if isinstance(value, slice):
        return {"type": "slice", "start": describe(value.start, identities),
                "stop": describe(value.stop, identities), "step": describe(value.step, identities)}
    if value is Ellipsis:
        return {"type": "ellipsis"}
    if isinstance(value, keras.KerasTensor):
        history = getattr(value, "_pre_serialization_keras_history", None)
        return {"type": "keras_tensor", "shape": [None if d is None else int(d) for d in value.shape],
                "dtype": str(value.dtype), "history": None if history is None else list(history)}
    if isinstance(value, np.ndarray):
        return _array("ndarray", value)
    if keras.ops.is_tensor(value):
        return _array("tensor", keras.ops.convert_to_numpy(value))
    if isinstance(value, types.FunctionType):
        return {"type": "function", "name": value.__name__}
    identity = identities.setdefault(id(value), len(identities))
    return {"type": "object", "class_name": type(value).__name__, "identity": identity}


# ---------------------------------------------------------------------------------------------------------
# serialize, canonical shared ids

def _id_key(value):
    # 1, 1.0 and True are one Python dict key but distinct JSON values.
    return (type(value).__name__, json.dumps(value, sort_keys=True))


def canonical_ids(config):
    """A copy of a JSON value where every "shared_object_id" value is replaced by the 0-based index of that
    id's first appearance in a depth-first traversal (dict members in order, list items in order)."""
    seen = {}

    def walk(node):
        if isinstance(node, dict):
            out = {}
            for key, item in node.items():
                if key == "shared_object_id":
                    out[key] = seen.setdefault(_id_key(item), len(seen))
                else:
                    out[key] = walk(item)
            return out
        if isinstance(node, (list, tuple)):
            return [walk(item) for item in node]
        return node

    return walk(config)


def serialize(value):
    """serialize_keras_object inside an ObjectSharingScope, round-tripped through JSON, ids canonical."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with serialization_lib.ObjectSharingScope():
            config = serialization_lib.serialize_keras_object(value)
    return canonical_ids(json.loads(json.dumps(config)))


def reserialize(value):
    """The re-serialization of a deserialized value, compared between Keras and kconform."""
    return serialize(value)


# ---------------------------------------------------------------------------------------------------------
# deserialize

def deserialize(config):
    """("value", description, reserialization) or ("error", exception name, message[:300])."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with serialization_lib.ObjectSharingScope():
                value = serialization_lib.deserialize_keras_object(config, safe_mode=True)
            return "value", describe(value), reserialize(value)
    except Exception as error:  # noqa: BLE001 - every Keras failure is an outcome
        return "error", type(error).__name__, str(error)[:MESSAGE_LIMIT]


def outcome(config):
    """The outcome object of a case: {"value", "reserialized"} or {"error", "message"}."""
    kind, first, second = deserialize(config)
    if kind == "value":
        return {"value": first, "reserialized": second}
    return {"error": first, "message": second}


# ---------------------------------------------------------------------------------------------------------
# comparison

def json_equal(a, b):
    """JSON equality: objects ignore member order, NaN equals NaN, and bool/int/float stay distinct (1 and
    1.0 and true are different values to Keras)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, float) or isinstance(b, float):
        if type(a) is not type(b):
            return False
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return (isinstance(b, (list, tuple)) and len(a) == len(b)
                and all(json_equal(x, y) for x, y in zip(a, b)))
    return type(a) is type(b) and a == b


def key_order_differs(a, b):
    """True when two JSON-equal values list some object's members in a different order."""
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) != list(b) or any(key_order_differs(a[k], b[k]) for k in a if k in b)
    if isinstance(a, list) and isinstance(b, list):
        return any(key_order_differs(x, y) for x, y in zip(a, b))
    return False


def _first_difference(a, b, path="$"):
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            if key not in a or key not in b:
                return f"{path}.{key}: only in {'kconform' if key in a else 'Keras'}"
            found = _first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items against {len(b)}"
        for index, (x, y) in enumerate(zip(a, b)):
            found = _first_difference(x, y, f"{path}[{index}]")
            if found:
                return found
        return None
    if not json_equal(a, b):
        return f"{path}: {json.dumps(a)[:120]} against Keras {json.dumps(b)[:120]}"
    return None


def compare(ours, theirs):
    """(passed, detail) for an outcome of kconform (`ours`) against Keras's (`theirs`). Two errors agree
    whatever their names; two values agree when description and re-serialization are JSON-equal."""
    if not isinstance(ours, dict) or ("error" in ours) == ("value" in ours):
        return False, f"malformed outcome {json.dumps(ours)[:200]}"
    if "error" in ours and "error" in theirs:
        return True, f"both error ({ours['error']} / {theirs['error']})"
    if "error" in ours:
        return False, f"kconform: {ours['error']} {ours.get('message', '')[:150]}; Keras: value"
    if "error" in theirs:
        return False, f"kconform: value; Keras: {theirs['error']} {theirs['message'][:150]}"
    if "reserialized" not in ours:
        return False, "kconform outcome has no reserialized"
    if not json_equal(ours["value"], theirs["value"]):
        return False, "value " + (_first_difference(ours["value"], theirs["value"]) or "differs")
    if not json_equal(ours["reserialized"], theirs["reserialized"]):
        return False, "reserialized " + (_first_difference(ours["reserialized"], theirs["reserialized"])
                                         or "differs")
    if key_order_differs(ours["reserialized"], theirs["reserialized"]):
        return True, "equal (reserialized member order differs)"
    return True, "equal"


def check_cases(cases):
    """[(id, passed, detail)] for the cases of a values.json, each deserialized by Keras."""
    results = []
    for case in cases:
        passed, detail = compare(case.get("outcome"), outcome(case.get("config")))
        results.append((case.get("id", "?"), passed, detail))
    return results


# ---------------------------------------------------------------------------------------------------------
# golden

def golden_helper_function(x):
    """A plain module-level function that is not registered: serializes by name, cannot be found again."""
    return x


def _envelope(module, class_name, config, registered_name=None, **extra):
    return {"module": module, "class_name": class_name, "config": config, "registered_name": registered_name,
            **extra}


def _marker(class_name, config):
    return {"class_name": class_name, "config": config}


def golden_values():
    """[(id, Python value)]: serialized by Keras, then deserialized again."""
    nan, inf = float("nan"), float("inf")
    f = keras.ops.convert_to_tensor
    values = [
        ("numpy-float16-2d", np.array([[0.0, -0.0, 0.1, 65504.0], [nan, inf, -inf, 6e-08]], dtype="float16")),
        ("numpy-float32-2d", np.array([[0.1, -0.0, 1e-45, 3.4028235e38], [nan, -inf, 1.0, -2.5]],
                                      dtype="float32")),
        ("numpy-float64-1d", np.array([0.1, -0.0, 5e-324, 1.7976931348623157e308, nan, inf, 1e16, 1e-7, 2.0 ** 53],
                                      dtype="float64")),
        ("numpy-int8-3d", np.array([[[-128, 127], [0, -1]], [[1, 2], [3, 4]]], dtype="int8")),
        ("numpy-int16-1d", np.array([-32768, 32767, 0], dtype="int16")),
        ("numpy-int32-2d", np.array([[-2147483648, 2147483647], [0, -7]], dtype="int32")),
        ("numpy-int64-1d", np.array([-(2 ** 63), 2 ** 63 - 1, 0], dtype="int64")),
        ("numpy-uint8-1d", np.array([0, 255, 7], dtype="uint8")),
        ("numpy-uint16-2d", np.array([[0, 65535]], dtype="uint16")),
        ("numpy-uint32-1d", np.array([0, 2 ** 32 - 1], dtype="uint32")),
        ("numpy-uint64-1d", np.array([0, 2 ** 64 - 1, 2 ** 63], dtype="uint64")),
        ("numpy-bool-2d", np.array([[True, False], [False, True]])),
        ("numpy-bfloat16-1d", np.array([0.1, -0.0, nan, -inf, 3.0e38], dtype="bfloat16")),
        ("numpy-float8_e4m3fn-1d", np.array([0.5, -1.75, 448.0], dtype="float8_e4m3fn")),
        ("numpy-float8_e5m2-1d", np.array([0.5, -57344.0, inf], dtype="float8_e5m2")),
        ("numpy-float32-empty", np.zeros((0,), dtype="float32")),
        ("numpy-int32-empty-2x0", np.zeros((2, 0), dtype="int32")),
        ("numpy-float32-empty-0x3", np.zeros((0, 3), dtype="float32")),
        ("numpy-float32-1x1x1", np.ones((1, 1, 1), dtype="float32")),
        ("numpy-0d-array", np.array(2.5)),
        ("numpy-scalar-float32", np.float32(0.1)),
        ("numpy-scalar-float16", np.float16(0.1)),
        ("numpy-scalar-float64-nan", np.float64(nan)),
        ("numpy-scalar-int64", np.int64(-(2 ** 63))),
        ("numpy-scalar-uint64", np.uint64(2 ** 64 - 1)),
        ("numpy-scalar-bool", np.bool_(True)),
        ("bytes-ascii", b"abc"),
        ("bytes-empty", b""),
        ("bytes-utf8", "é☃\U0001F600\x00".encode("utf-8")),
        ("slice-all-none", slice(None)),
        ("slice-ints", slice(1, 5)),
        ("slice-negative-step", slice(-3, None, -1)),
        ("slice-with-step", slice(0, 10, 2)),
        ("slice-numpy-scalars", slice(np.int64(2), np.int32(-1), None)),
        ("ellipsis", Ellipsis),
        ("plain-scalars", [None, True, False, 0, -1, 2 ** 70, 0.0, -0.0, 0.1, 1e16, 1e-7, nan, inf, -inf, "",
                           "é\n\t\"\\"]),
        ("tuple", (1, 2.5, "a", None, True)),
        ("nested-tuples", ((1, (2,)), [(), []])),
        ("nested-mixed", {"arrays": [np.array([1, 2], dtype="int32"), b"x", slice(1, 2, None), Ellipsis],
                          "inner": {"index": (Ellipsis, slice(None, None, -1), 0),
                                    "tensor": f(np.array([1.0, -2.0], dtype="float32"))},
                          "empty": [[], {}, ()]}),
        ("tensor-float32-2d", f(np.array([[0.5, -0.0], [nan, inf]], dtype="float32"))),
        ("tensor-int32", f(np.array([-2147483648, 2147483647, 0], dtype="int32"))),
        ("tensor-bool", f(np.array([True, False]))),
        ("tensor-from-float64", f(np.array([0.1, 1e-300, 1e300], dtype="float64"))),
        ("tensor-from-int64", f(np.array([1, -1, 2 ** 40], dtype="int64"))),
        ("tensor-from-python-floats", f([0.1, 2.0])),
        ("tensor-from-python-int-0d", f(3)),
        ("tensor-float16", f(np.array([0.1, 65504.0], dtype="float16"))),
        ("tensor-bfloat16", f(np.array([0.1, -1.0], dtype="bfloat16"))),
        ("tensor-uint8", f(np.array([0, 255], dtype="uint8"))),
        ("tensor-empty", f(np.zeros((0, 2), dtype="float32"))),
        ("keras-tensor-input", keras.Input(shape=(3,), name="golden_input")),
        ("keras-tensor-no-history", keras.KerasTensor((None, 4), dtype="float16")),
        ("keras-tensor-int32-unknown-dims", keras.Input(shape=(None, None), dtype="int32", name="golden_tokens")),
    ]
    dense_out = keras.layers.Dense(2, name="golden_dense")(keras.Input(shape=(5,), name="golden_dense_in"))
    values.append(("keras-tensor-layer-output", dense_out))
    glorot = keras.initializers.GlorotUniform(seed=3)
    l2 = keras.regularizers.L2(0.01)
    values += [
        ("shared-initializer-in-dict", {"kernel": glorot, "bias": keras.initializers.Zeros(), "again": glorot}),
        ("shared-regularizer-in-list", [l2, l2, l2]),
        ("shared-nested", {"outer": [glorot, {"deep": l2}], "l2": l2, "glorot": glorot}),
        ("object-dtype-policy-mixed-float16", keras.DTypePolicy("mixed_float16")),
        ("object-dtype-policy-float32", keras.DTypePolicy("float32")),
        ("object-initializer-unshared", keras.initializers.RandomNormal(mean=0.5, stddev=0.1, seed=None)),
        ("object-constraint", keras.constraints.MaxNorm(max_value=2.0, axis=[0, 1])),
        ("object-l1l2", keras.regularizers.L1L2(l1=0.0, l2=1e-5)),
        ("function-activations-relu", keras.activations.relu),
        ("function-ops-relu", keras.ops.relu),
        ("function-activations-gelu", keras.activations.gelu),
        ("function-losses-mse", keras.losses.mean_squared_error),
        ("function-unregistered", golden_helper_function),
        ("dict-class-name-without-config", {"class_name": "Dense", "units": 3}),
        ("dict-keys-order-and-unicode", {"z": 1, "a": 2, "": 3, "\u00e9": 4}),
        ("dict-config-without-class-name", {"config": {"units": 3}, "module": "keras.layers"}),
    ]
    return values


def golden_configs():
    """[(id, hand-written config)]: configs Keras does not write, to test the deserializer."""
    glorot = lambda seed, **extra: _envelope("keras.initializers", "GlorotUniform",  # noqa: E731
                                             {"seed": seed, "input_axes": None, "output_axes": None}, **extra)
    return [
        # __numpy__
        ("numpy-error-ragged", _marker("__numpy__", {"value": [[1.0], [2.0, 3.0]], "dtype": "float32"})),
        ("numpy-error-unknown-dtype", _marker("__numpy__", {"value": [1.0], "dtype": "float8"})),
        ("numpy-error-uint8-300", _marker("__numpy__", {"value": [300], "dtype": "uint8"})),
        ("numpy-error-uint8-negative", _marker("__numpy__", {"value": [-1], "dtype": "uint8"})),
        ("numpy-error-string-in-float", _marker("__numpy__", {"value": [1.0, "abc"], "dtype": "float32"})),
        ("numpy-error-missing-dtype", _marker("__numpy__", {"value": [1.0]})),
        ("numpy-error-missing-value", _marker("__numpy__", {"dtype": "float32"})),
        ("numpy-error-config-null", _marker("__numpy__", None)),
        ("numpy-error-dtype-string", _marker("__numpy__", {"value": ["a"], "dtype": "string"})),
        ("numpy-error-int-overflow-int64", _marker("__numpy__", {"value": [2 ** 63], "dtype": "int64"})),
        ("numpy-lenient-numeric-string", _marker("__numpy__", {"value": ["1.5", "-2"], "dtype": "float32"})),
        ("numpy-lenient-null-is-nan", _marker("__numpy__", {"value": [None, 1.0], "dtype": "float32"})),
        ("numpy-lenient-float-to-int32", _marker("__numpy__", {"value": [1.7, -1.7], "dtype": "int32"})),
        ("numpy-lenient-bool-to-float", _marker("__numpy__", {"value": [True, False], "dtype": "float32"})),
        ("numpy-lenient-int-to-bool", _marker("__numpy__", {"value": [2, 0], "dtype": "bool"})),
        ("numpy-lenient-float32-overflow", _marker("__numpy__", {"value": [1e39, -1e39], "dtype": "float32"})),
        ("numpy-lenient-0d", _marker("__numpy__", {"value": 5, "dtype": "int32"})),
        ("numpy-lenient-dtype-float", _marker("__numpy__", {"value": [1.0], "dtype": "float"})),
        ("numpy-lenient-dtype-int", _marker("__numpy__", {"value": [1], "dtype": "int"})),
        ("numpy-error-dict-element", _marker("__numpy__", {"value": [{"a": 1}], "dtype": "int32"})),
        ("numpy-lenient-dtype-null", _marker("__numpy__", {"value": [1], "dtype": None})),
        ("numpy-lenient-0d-string", _marker("__numpy__", {"value": "12", "dtype": "int32"})),
        ("numpy-lenient-huge-int-to-float32", _marker("__numpy__", {"value": [2 ** 200], "dtype": "float32"})),
        ("numpy-lenient-empty-nested", _marker("__numpy__", {"value": [[], []], "dtype": "float32"})),
        # __tensor__
        ("tensor-lenient-float64-truncated", _marker("__tensor__", {"value": [0.1, 1e300], "dtype": "float64"})),
        ("tensor-lenient-int64-truncated", _marker("__tensor__", {"value": [1, -1], "dtype": "int64"})),
        ("tensor-error-int64-overflow", _marker("__tensor__", {"value": [2 ** 40], "dtype": "int64"})),
        ("tensor-error-ragged", _marker("__tensor__", {"value": [[1.0], [2.0, 3.0]], "dtype": "float32"})),
        ("tensor-error-unknown-dtype", _marker("__tensor__", {"value": [1.0], "dtype": "float8"})),
        ("tensor-error-missing-dtype", _marker("__tensor__", {"value": [1.0]})),
        ("tensor-lenient-dtype-null", _marker("__tensor__", {"value": [1.5, 2.0], "dtype": None})),
        ("tensor-error-null-element", _marker("__tensor__", {"value": [None], "dtype": "float32"})),
        ("tensor-error-uint8-300", _marker("__tensor__", {"value": [300], "dtype": "uint8"})),
        ("tensor-lenient-float-to-int32", _marker("__tensor__", {"value": [1.7, -1.7], "dtype": "int32"})),
        ("tensor-lenient-0d", _marker("__tensor__", {"value": 2.5, "dtype": "float32"})),
        # __bytes__
        ("bytes-error-value-not-string", _marker("__bytes__", {"value": 5})),
        ("bytes-error-lone-surrogate", _marker("__bytes__", {"value": "\ud800"})),
        ("bytes-error-missing-value", _marker("__bytes__", {})),
        # __slice__, __ellipsis__
        ("slice-error-missing-step", _marker("__slice__", {"start": 1, "stop": 2})),
        ("slice-lenient-nested-markers", _marker("__slice__", {"start": _marker("__ellipsis__", {}),
                                                               "stop": _marker("__bytes__", {"value": "z"}),
                                                               "step": [1.5]})),
        ("ellipsis-config-null", _marker("__ellipsis__", None)),
        ("ellipsis-extra-keys", {"class_name": "__ellipsis__", "config": {"x": 1}, "module": "anything"}),
        # __lambda__, __typespec__
        ("lambda-error-safe-mode", _marker("__lambda__", {"value": ["4wEAAAAAAAAA", None, None]})),
        ("typespec-error-without-tensorflow", {"class_name": "__typespec__", "spec_name": "TensorSpec",
                                               "module": "tensorflow.python.framework.tensor",
                                               "config": [[2], "float32", None], "registered_name": None}),
        ("typespec-error-missing-spec-name", _marker("__typespec__", [])),
        # __keras_tensor__
        ("keras-tensor-error-missing-shape", _marker("__keras_tensor__", {"dtype": "float32", "keras_history": None})),
        ("keras-tensor-error-missing-history", _marker("__keras_tensor__", {"shape": [2], "dtype": "float32"})),
        ("keras-tensor-error-unknown-dtype", _marker("__keras_tensor__", {"shape": [2], "dtype": "float8",
                                                                          "keras_history": None})),
        ("keras-tensor-error-negative-dim", _marker("__keras_tensor__", {"shape": [-2], "dtype": "float32",
                                                                         "keras_history": None})),
        ("keras-tensor-error-shape-null", _marker("__keras_tensor__", {"shape": None, "dtype": "float32",
                                                                       "keras_history": None})),
        ("keras-tensor-error-float-dim", _marker("__keras_tensor__", {"shape": [2.0], "dtype": "float32",
                                                                      "keras_history": None})),
        ("keras-tensor-lenient-dtype-null", _marker("__keras_tensor__", {"shape": [2], "dtype": None,
                                                                         "keras_history": None})),
        ("keras-tensor-lenient-dtype-string", _marker("__keras_tensor__", {"shape": [None], "dtype": "string",
                                                                           "keras_history": None})),
        ("keras-tensor-lenient-history-any", _marker("__keras_tensor__", {"shape": [], "dtype": "int8",
                                                                          "keras_history": ["x", 5]})),
        # envelopes
        ("object-error-unknown-class-keras-module", _envelope("keras.layers", "NoSuchLayer", {})),
        ("object-error-unknown-module", _envelope("nosuch.module", "Thing", {})),
        ("object-error-unimportable-keras-module", _envelope("keras.nosuch", "Thing", {})),
        ("object-error-config-not-dict", _envelope("keras.initializers", "GlorotUniform", [1])),
        ("object-error-no-module", _marker("GlorotUniform", {"seed": 1})),
        ("object-error-registered-name-on-builtin", _envelope("keras.initializers", "Zeros", {}, "Custom>Evil")),
        ("object-error-bad-config-key", _envelope("keras.initializers", "Zeros", {"bogus": 1})),
        ("object-error-non-modeling-api", _envelope("keras.models", "function", "load_model", "function")),
        ("object-error-not-saveable", _envelope("keras.src.saving.serialization_lib", "ObjectSharingScope", {})),
        ("object-lenient-config-null", _envelope("keras.initializers", "Zeros", None)),
        ("object-error-src-module-not-saveable", _envelope("keras.src.initializers.constant_initializers", "Ones", {},
                                                           "Ones")),
        ("object-lenient-src-module-saveable", _envelope("keras.src.losses.losses", "MeanSquaredError",
                                                         {"name": "mse", "reduction": "sum_over_batch_size",
                                                          "dtype": None}, "MeanSquaredError")),
        ("object-error-class-name-int", _marker(5, {})),
        ("dtype-policy-error-dtype-policies-module", _envelope("keras.dtype_policies", "DTypePolicy",
                                                               {"name": "bfloat16"})),
        ("dtype-policy-error-mixed-int8", _envelope("keras", "DTypePolicy", {"name": "mixed_int8"})),
        ("dtype-policy-lenient-float-alias", _envelope("keras", "FloatDTypePolicy", {"name": "bfloat16"})),
        ("function-error-unknown", _envelope("builtins", "function", "no_such_function", "function")),
        ("function-error-config-not-string", _envelope("builtins", "function", ["relu"], "function")),
        ("function-lenient-keras-module", _envelope("keras.activations", "function", "tanh", "tanh")),
        # shared objects
        ("shared-second-config-ignored", {"a": glorot(1, shared_object_id=0), "b": glorot(2, shared_object_id=0)}),
        ("shared-id-used-once", [glorot(4, shared_object_id=7)]),
        ("shared-id-on-marker-ignored", [_marker("__ellipsis__", {}) | {"shared_object_id": 0},
                                         glorot(5, shared_object_id=0)]),
        ("shared-id-string", [glorot(6, shared_object_id="s"), glorot(6, shared_object_id="s")]),
        ("plain-dict-shared-object-id", {"shared_object_id": 9, "x": 1}),
    ]


def _versions():
    import jax
    return {"keras": keras.__version__, "jax": jax.__version__, "numpy": np.__version__,
            "python": platform.python_version()}


def golden_cases():
    cases = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        values = golden_values()
    for case_id, value in values:
        cases.append({"id": case_id, "config": serialize(value)})
    for case_id, config in golden_configs():
        cases.append({"id": case_id, "config": config})
    ids = [case["id"] for case in cases]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    for case in cases:
        case["outcome"] = outcome(case["config"])
    return cases


def write_golden(path):
    document = {"format": GOLDEN_FORMAT, "generator": "scripts/conformance/keras_values.py golden",
                "versions": _versions(), "cases": golden_cases()}
    head = json.dumps({k: v for k, v in document.items() if k != "cases"})[:-1]
    lines = [json.dumps(case) for case in document["cases"]]
    text = head + ', "cases": [\n' + ",\n".join(lines) + "\n]}\n"
    assert json_equal(json.loads(text), json.loads(json.dumps(document)))
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="ascii")
    return document


# ---------------------------------------------------------------------------------------------------------
# CLI

def check_file(path):
    document = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    if document.get("format") != VALUES_FORMAT:
        print(f"{path}: format {document.get('format')!r}, expected {VALUES_FORMAT!r}")
        return 1
    results = check_cases(document.get("cases", []))
    width = max([len(case_id) for case_id, _, _ in results] + [4])
    print(f"{'case':<{width}}  result  detail")
    for case_id, passed, detail in results:
        print(f"{case_id:<{width}}  {'pass' if passed else 'FAIL'}    {detail}")
    failures = sum(1 for _, passed, _ in results if not passed)
    print(f"{len(results) - failures} passed, {failures} failed of {len(results)} (seed {document.get('seed')})")
    return 1 if failures else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    golden = sub.add_parser("golden", help="write the golden file of Keras-made values")
    golden.add_argument("--out", required=True)
    check = sub.add_parser("check", help="check a values.json written by kconform gen --values")
    check.add_argument("file")
    args = parser.parse_args(argv)
    if args.command == "golden":
        document = write_golden(args.out)
        errors = sum(1 for case in document["cases"] if "error" in case["outcome"])
        print(f"wrote {len(document['cases'])} cases ({errors} errors) to {args.out}")
        return 0
    return check_file(args.file)


def normalized_message(message):
    """An error message with memory addresses blanked, for comparing two runs of Keras."""
    return re.sub(r"0x[0-9a-fA-F]+", "0x?", message)


if __name__ == "__main__":
    sys.exit(main())

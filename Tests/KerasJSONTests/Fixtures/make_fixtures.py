#!/usr/bin/env python3
"""Generates the KerasJSON conformance fixtures from CPython's own json module.

Run with CPython 3.11 (the oracle; other versions word some errors differently):
    python3 Tests/KerasJSONTests/Fixtures/make_fixtures.py

Writes, next to this script:
  valid/<name>.json           an input json.loads accepts
  valid/<name>.expected.json  json.dumps(json.loads(input), **options), byte for byte
  manifest.json               every case: valid ones by file; rejected ones with the input as hex,
                              the JSONError code name Python's error corresponds to, and Python's
                              line/column (JSONDecodeError) or byte offset (UnicodeDecodeError).
  differential.json           1500 randomly mutated small documents with CPython's verdict.

Case kinds:
  valid        Python accepts; we must accept and re-dump identically.
  rejected     Python raises; we must reject with the mapped code (and Python's position).
  unsupported  Python accepts; we reject by design with an `unsupported` code (documented divergence).
  limit        Python accepts; our documented default limit rejects it.
Everything is deterministic (fixed random seeds) so re-running produces identical files.
"""
import codecs
import json
import math
import os
import random
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
assert sys.version_info[:2] == (3, 11), "the oracle is CPython 3.11"

cases = []


def write(path, data):
    with open(os.path.join(HERE, path), "wb") as f:
        f.write(data)


def valid(name, data, indent=None, sort_keys=False, ensure_ascii=True):
    if isinstance(data, str):
        data = data.encode("utf-8")
    value = json.loads(data)  # must not raise
    expected = json.dumps(value, indent=indent, sort_keys=sort_keys, ensure_ascii=ensure_ascii).encode("utf-8")
    write(f"valid/{name}.json", data)
    write(f"valid/{name}.expected.json", expected)
    cases.append({"name": name, "kind": "valid", "input": f"valid/{name}.json",
                  "expected": f"valid/{name}.expected.json", "indent": indent,
                  "sortKeys": sort_keys, "ensureASCII": ensure_ascii})


def detect_is_utf8(data):
    return json.detect_encoding(data) in ("utf-8", "utf-8-sig")


def rejected(name, data):
    """An input Python rejects; the expected code is derived from Python's exception."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    case = {"name": name, "kind": "rejected", "inputHex": data.hex()}
    try:
        json.loads(data)
    except json.JSONDecodeError as error:
        message = error.msg
        codes = {
            "Expecting value": "expectedValue",
            "Expecting property name enclosed in double quotes": "expectedPropertyName",
            "Expecting ':' delimiter": "expectedColon",
            "Expecting ',' delimiter": "expectedComma",
            "Unterminated string starting at": "unterminatedString",
            "Invalid control character at": "controlCharacterInString",
            "Invalid \\escape": "invalidEscape",
            "Invalid \\uXXXX escape": "invalidUnicodeEscape",
            "Extra data": "trailingData",
        }
        code = codes[message]
        if code == "expectedValue" and error.doc.strip(" \t\n\r") == "":
            code = "emptyInput"
        case.update(code=code, line=error.lineno, column=error.colno, python=f"JSONDecodeError: {error}")
    except UnicodeDecodeError as error:
        assert detect_is_utf8(data), name
        bom = 3 if data.startswith(codecs.BOM_UTF8) else 0
        case.update(code="invalidUTF8", byteOffset=error.start + bom, python=f"UnicodeDecodeError: {error}")
    except RecursionError as error:
        case.update(code="depthLimitExceeded", python=f"RecursionError: {error}")
    except ValueError as error:
        assert "Exceeds the limit (4300 digits)" in str(error), name
        case.update(code="integerTooLong", python=f"ValueError: {str(error)[:60]}...")
    else:
        raise AssertionError(f"{name}: Python accepts {data[:40]!r}")
    cases.append(case)


def accepted_but(kind, name, data, code, note):
    """An input Python accepts that we reject by design with `code`."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    result = json.loads(data)  # must not raise
    cases.append({"name": name, "kind": kind, "inputHex": data.hex(), "code": code,
                  "python": f"accepted: {json.dumps(result)[:60]}", "note": note})


def nested_arrays(depth):
    return "[" * depth + "]" * depth


def nested_objects(depth):
    return '{"a": ' * depth + "1" + "}" * depth


def keras_config():
    """A representative Keras 3 Functional model config, written by hand after real ones."""
    def layer(class_name, name, config, inbound):
        cfg = {"name": name, "trainable": True, "dtype": {"module": "keras", "class_name": "DTypePolicy",
               "config": {"name": "float32"}, "registered_name": None}}
        cfg.update(config)
        entry = {"module": "keras.layers", "class_name": class_name, "config": cfg, "registered_name": None}
        if class_name != "InputLayer":
            entry["build_config"] = {"input_shape": [None, 28, 28, 1] if name == "conv2d" else [None, 64]}
        entry["name"] = name
        entry["inbound_nodes"] = inbound
        return entry

    def node(source, index=0):
        return [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [None, 64], "dtype": "float32",
                 "keras_history": [source, index, 0]}}], "kwargs": {}}]

    initializer = {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": None},
                   "registered_name": None}
    layers = [
        layer("InputLayer", "input_layer", {"batch_shape": [None, 28, 28, 1], "sparse": False, "ragged": False,
                                            "optional": False}, []),
        layer("Conv2D", "conv2d", {"filters": 32, "kernel_size": [3, 3], "strides": [1, 1], "padding": "valid",
                                   "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1,
                                   "activation": "relu", "use_bias": True, "kernel_initializer": initializer,
                                   "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros",
                                                        "config": {}, "registered_name": None},
                                   "kernel_regularizer": {"module": "keras.regularizers", "class_name": "L2",
                                                          "config": {"l2": 9.999999747378752e-05},
                                                          "registered_name": None},
                                   "bias_regularizer": None, "activity_regularizer": None,
                                   "kernel_constraint": None, "bias_constraint": None}, node("input_layer")),
        layer("BatchNormalization", "batch_normalization", {"axis": -1, "momentum": 0.99, "epsilon": 0.001,
                                                            "center": True, "scale": True,
                                                            "gamma_initializer": {"module": "keras.initializers",
                                                                                  "class_name": "Ones", "config": {},
                                                                                  "registered_name": None}},
              node("conv2d")),
        layer("Dense", "dense_\u00e9t\u00e9", {"units": 10, "activation": "softmax", "use_bias": True,
                                              "kernel_initializer": initializer, "quantization_config": None,
                                              "lora_rank": None, "lora_alpha": None}, node("batch_normalization")),
        layer("Dropout", "dropout", {"rate": 0.5, "seed": 1337, "noise_shape": None}, node("dense_\u00e9t\u00e9")),
    ]
    model = {
        "module": "keras", "class_name": "Functional",
        "config": {"name": "functional \U0001f600", "trainable": True, "layers": layers,
                   "input_layers": [["input_layer", 0, 0]], "output_layers": [["dropout", 0, 0]]},
        "registered_name": "Functional", "build_config": {"input_shape": None},
        "compile_config": {"optimizer": {"module": "keras.optimizers", "class_name": "Adam",
                                         "config": {"name": "adam", "learning_rate": 0.0010000000474974513,
                                                    "weight_decay": None, "clipnorm": None,
                                                    "global_clipnorm": None, "clipvalue": None,
                                                    "use_ema": False, "ema_momentum": 0.99,
                                                    "ema_overwrite_frequency": None, "loss_scale_factor": None,
                                                    "gradient_accumulation_steps": None, "beta_1": 0.9,
                                                    "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False},
                                         "registered_name": None},
                           "loss": "sparse_categorical_crossentropy", "loss_weights": None,
                           "metrics": ["accuracy"], "weighted_metrics": None, "run_eagerly": False,
                           "steps_per_execution": 1, "jit_compile": False,
                           "clip": [float("nan"), float("inf"), float("-inf"), -0.0, 2 ** 70]},
    }
    return model


PYTHON_MESSAGES = {
    "Expecting value": "expectedValue",
    "Expecting property name enclosed in double quotes": "expectedPropertyName",
    "Expecting ':' delimiter": "expectedColon",
    "Expecting ',' delimiter": "expectedComma",
    "Unterminated string starting at": "unterminatedString",
    "Invalid control character at": "controlCharacterInString",
    "Invalid \\escape": "invalidEscape",
    "Invalid \\uXXXX escape": "invalidUnicodeEscape",
    "Extra data": "trailingData",
}


def differential():
    """differential.json: small documents mutated at random, each with CPython's verdict.

    Accepted: the expected json.dumps bytes. Rejected: the code and Python's line and column.
    Accepted inputs holding surrogates expect either surrogate code; UTF-16/32 inputs expect
    unsupportedEncoding whatever Python makes of them.
    """
    rng = random.Random(424242)
    seeds = [b'{"name": "dense", "units": [1, -2.5e-3, true, false, null]}', b'[NaN, -Infinity, Infinity, -0, 0.0]',
             b'"\\u00e9\\ud83d\\ude00\\n\\"x"', b'{"a": {"b": [{}, []]}, "a": 1}', b'"caf\xc3\xa9 \xf0\x9f\x98\x80"',
             b' [ 1 , 2 ] ', b'12345678901234567890', b'1.5e300', b'{"k": "v\\/\\\\\\b\\f\\r\\t"}']
    alphabet = list(b'[]{}",:\\u0123456789abcdefABCDEF-+.eEnNtrfIly \t\r\n/') + [0, 1, 0x0b, 0x7f, 0xa9, 0xc3, 0xed, 0xa0, 0x80,
                                                                        0xf0, 0x9f, 0xff]
    fragments = [b'\\u', b'\\ud800', b'\\udc00', b'\\uD83D\\uDE00', b'1e', b'-', b'NaN', b'Infinity', b'\xed\xa0\x80',
                 b'0', b'.5', b'e+', b'"', b'\\', b'\xef\xbb\xbf']
    cases = []
    while len(cases) < 1500:
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 3)):
            position = rng.randrange(0, len(data) + 1)
            operation = rng.randrange(4)
            if operation == 0 and data:
                data[min(position, len(data) - 1)] = rng.choice(alphabet)
            elif operation == 1:
                data[position:position] = bytes([rng.choice(alphabet)])
            elif operation == 2 and data:
                del data[min(position, len(data) - 1)]
            else:
                data[position:position] = rng.choice(fragments)
        data = bytes(data)
        case = {"inputHex": data.hex()}
        if json.detect_encoding(data) not in ("utf-8", "utf-8-sig"):
            case["code"] = "unsupportedEncoding"
        else:
            try:
                value = json.loads(data)
                text = json.dumps(value)
                if any(0xD800 <= ord(c) <= 0xDFFF for c in json.dumps(value, ensure_ascii=False)):
                    case["code"] = "loneSurrogateEscape|encodedSurrogate"
                else:
                    case["dumpsHex"] = text.encode("ascii").hex()
            except json.JSONDecodeError as error:
                code = PYTHON_MESSAGES[error.msg]
                if code == "expectedValue" and error.doc.strip(" \t\n\r") == "":
                    code = "emptyInput"
                case.update(code=code, line=error.lineno, column=error.colno)
            except UnicodeDecodeError as error:
                bom = 3 if data.startswith(codecs.BOM_UTF8) else 0
                case.update(code="invalidUTF8", byteOffset=error.start + bom)
        cases.append(case)
    write("differential.json", (json.dumps({"seed": 424242, "cases": cases}, indent=0) + "\n").encode("ascii"))


def main():
    for sub in ("valid",):
        shutil.rmtree(os.path.join(HERE, sub), ignore_errors=True)
        os.makedirs(os.path.join(HERE, sub))

    # Scalars and the Python dialect's literals.
    for name, text in [
        ("null", "null"), ("true", " true "), ("false", "\n\tfalse\r\n"), ("nan", "NaN"), ("infinity", "Infinity"),
        ("negative_infinity", "-Infinity"), ("specials_in_array", "[NaN, Infinity, -Infinity, -0.0, 0.0]"),
        ("negative_zero_int", "-0"), ("negative_zero_float", "-0.0"), ("exponent_is_float", "1E5"),
        ("trailing_zero_fraction", "1.50"), ("overflow_to_infinity", "[1e400, -1e400, 1.0e400, 1e999999999999999999999]"),
        ("underflow_to_zero", "[1e-400, -1e-400, 2.4703282292062327e-324, 2.4703282292062328e-324]"),
        ("exponent_forms", "[0e0, 0E+0, 0.0e-0, 1e1, 1E-1, 1e+1, 12.5e-3, -0.0e5]"),
        ("string", '"hello"'), ("empty_containers", "[[], {}, [[]], {\"a\": {}}]"),
        ("whitespace_everywhere", " \t\r\n[ \t\r\n1 \t\r\n, \t\r\n{ \n\"a\" \t: \r2 } ] \n"),
    ]:
        valid(name, text)

    # Integers: exact at any size up to Python's 4300-digit limit; the Int64 edges.
    valid("int_edges", "[9223372036854775807, 9223372036854775808, -9223372036854775808, -9223372036854775809, "
          "18446744073709551615, 18446744073709551616, 0, -1, 10000000000000000000]")
    valid("int_big", json.dumps([2 ** 70, -2 ** 100, 3 ** 200, -(10 ** 60)]))
    valid("int_4300_digits", "9" * 4300)
    valid("int_4300_digits_negative", "[-" + "1" * 4300 + "]")

    # Float repr edge cases.
    valid("float_repr_edges", json.dumps([
        1e16, 1e15, 9007199254740993.0, 1e-5, 1e-4, 0.0001, 0.00001, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, 100.0, 1e22, 1e21,
        1e23, 5e-324, 1.7976931348623157e308, 2.2250738585072014e-308, 2.225073858507201e-308,
        123456789012345678.0, 1234567890123456.7, 12345678901234567.0, 0.1 + 0.2, 1.5e300, -1.5e-300, 4.35,
        2.675, 1e-7, 9.999999747378752e-05, 0.0010000000474974513, 1e100, 123e-20, 5e-5, 5e-4, 999999999999999.9,
        9999999999999998.0, 1e16 - 2, 0.5, 0.25, 2.0 ** 60, 2.0 ** -60, 2.0 ** 1023, 2.0 ** -1074, 2.0 ** -1022,
    ]))
    rng = random.Random(20260101)
    floats = []
    while len(floats) < 3000:
        value = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
        if math.isfinite(value):
            floats.append(value)
    floats += [rng.uniform(-1e6, 1e6) for _ in range(500)] + [rng.random() * 10.0 ** rng.randint(-30, 30)
                                                             for _ in range(500)]
    floats += [float(rng.getrandbits(rng.randint(1, 70))) for _ in range(300)]
    valid("float_random_repr", json.dumps(floats))
    long_lexemes = []
    for _ in range(1500):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 40)))
        fraction = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 40)))
        sign = rng.choice(["", "-"])
        integer = digits.lstrip("0") or "0"
        exponent = rng.choice(["", f"e{rng.randint(-330, 310)}", f"E+{rng.randint(0, 30)}", f"e-{rng.randint(0, 30)}"])
        long_lexemes.append(f"{sign}{integer}.{fraction}{exponent}")
    for value in floats[:500]:
        long_lexemes.append(f"{value:.25e}")
        long_lexemes.append(f"{value:.16e}")
    long_lexemes.append("0." + "0" * 400 + "1e400")
    long_lexemes.append("1" * 5000 + ".5")
    long_lexemes.append("2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324")
    long_lexemes.append("2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328126e-324")
    valid("float_long_lexemes", "[" + ",".join(long_lexemes) + "]")

    # Strings and Unicode.
    valid("unicode_bmp_astral", json.dumps(["caf\u00e9", "\u4e2d\u6587", "\U0001f600", "\U0010ffff", "\u0800",
                                            "\uffff", "\ufeff", "\u2028\u2029", "\u007f", "mix \u00e9\U0001f600!"],
                                           ensure_ascii=False))
    valid("unicode_escapes", '["\\u00e9", "\\u00E9", "\\ud83d\\ude00", "\\uD83D\\uDE00", "\\u0000", "\\u001f", '
          '"\\u0020", "\\u007F", "\\u2028", "\\/", "\\"", "\\\\", "\\b\\f\\n\\r\\t", "a\\u0041b"]')
    valid("control_characters_escaped", json.dumps("".join(chr(c) for c in range(32)) + "\x7f"))
    valid("unicode_ensure_ascii_false", '["caf\\u00e9", "\U0001f600", "\\u007f", "\\u0001", "\u2028"]'
          .encode("utf-8"), ensure_ascii=False)
    valid("byte_order_mark", codecs.BOM_UTF8 + b'{"a": "\xc3\xa9"}')
    valid("canonically_equivalent_keys", '{"\u00e9": 1, "e\u0301": 2, "\u00e9": 3}')
    valid("long_string", json.dumps("x" * 100000 + "\u00e9" * 1000))

    # Duplicate keys: last value at the first position, in small and indexed (large) objects.
    valid("duplicate_keys", '{"a": 1, "b": 2, "a": 3, "c": {"x": 1, "x": [2], "y": 0}, "b": null}')
    big = ", ".join(f'"k{i}": {i}' for i in range(200))
    valid("duplicate_keys_large_object", "{" + big + ', "k5": "again", "k199": "last", "new": 1, "k0": 0.5}')

    # Nesting: our depth limit (512) is accepted.
    valid("deep_arrays_512", nested_arrays(512))
    valid("deep_objects_512", nested_objects(512))
    valid("deep_mixed", "[" * 100 + '{"k": ' * 100 + "null" + "}" * 100 + "]" * 100)

    # A realistic Keras config, as Keras writes it and re-indented.
    config = keras_config()
    valid("keras_config", json.dumps(config))
    valid("keras_config_indented_input", json.dumps(config, indent=2))
    valid("keras_config_indent4", json.dumps(config), indent=4)
    valid("keras_config_sorted", json.dumps(config), sort_keys=True)
    valid("metadata", json.dumps({"keras_version": "3.15.1", "date_saved": "2026-11-22@11:25:10"}))
    index = {"metadata": {"total_size": 1234567.0},
             "weight_map": {"/layers/dense/vars": "sh_00000.weights.h5",
                            "/optimizer/vars": ["sh_00001.weights.h5", "sh_00002.weights.h5"], "/vars": []}}
    valid("sharded_index_indent4", json.dumps(index, indent=4), indent=4)
    valid("indent_variants_0", "[1, [2, {}], [], {\"a\": {\"b\": []}}]", indent=0)
    valid("indent_variants_2", "[1, [2, {}], [], {\"a\": {\"b\": []}}]", indent=2)
    valid("indent_negative", "{\"a\": [1, 2]}", indent=-3)
    valid("indent_scalar", "1.5", indent=4)

    # Inputs CPython rejects.
    for name, data in [
        ("empty", b""), ("only_spaces", b"  "), ("only_whitespace", b"\n\t\r "), ("bom_only", codecs.BOM_UTF8),
        ("open_array", b"["), ("close_array", b"]"), ("open_object", b"{"), ("close_object", b"}"),
        ("array_trailing_comma", b"[1,]"), ("object_trailing_comma", b'{"a":1,}'), ("missing_colon", b'{"a" 1}'),
        ("missing_value", b'{"a":}'), ("unquoted_key", b"{a:1}"), ("single_quoted_key", b"{'a':1}"),
        ("missing_comma_array", b"[1 2]"), ("missing_comma_object", b'{"a":1 "b":2}'),
        ("number_key", b"{1:2}"), ("double_colon", b'{"a"::1}'), ("leading_comma", b"[,1]"), ("double_comma", b"[1,,2]"),
        ("object_comma_only", b"{,}"), ("key_eof", b'{"a"'), ("key_space_eof", b'{"a" '), ("colon_eof", b'{"a":'),
        ("value_eof", b"[1"), ("comma_eof", b"[1,"), ("nested_eof", b'{"a": [1, {"b": [true'),
        ("unterminated", b'"abc'), ("unterminated_backslash", b'"a\\'), ("unterminated_in_array", b'["a", "b'),
        ("invalid_escape_x", b'"\\x41"'), ("invalid_escape_quote", b"\"\\'\""), ("invalid_escape_nonascii", '"\\\u00e9"'),
        ("short_unicode_escape", b'"\\u12"'), ("unicode_escape_at_end", b'"\\u0041'), ("bad_hex", b'"\\uZZZZ"'),
        ("bad_hex_lower", b'"\\u00g0"'), ("bad_second_escape", b'"\\ud800\\u12"'),
        ("bad_second_hex", b'"\\ud800\\uXYZW"'), ("raw_newline", b'"a\nb"'), ("raw_nul", b'"\x00"'),
        ("raw_tab", b'["\t"]'), ("raw_unit_separator", b'"\x1f"'), ("leading_zero", b"01"),
        ("leading_zero_array", b"[01]"), ("dot_without_fraction", b"1."), ("dot_in_array", b"[1.]"),
        ("fraction_without_int", b".5"), ("plus_sign", b"+1"), ("exponent_without_digits", b"1e"),
        ("exponent_sign_only", b"1e+"), ("exponent_in_array", b"[1e]"), ("minus_only", b"-"), ("double_minus", b"--1"),
        ("minus_letter", b"-a"), ("truncated_null", b"nul"), ("truncated_true", b"tru"), ("capital_true", b"True"),
        ("lower_nan", b"nan"), ("lower_inf", b"inf"), ("minus_inf", b"-inf"), ("truncated_infinity", b"Infinit"),
        ("truncated_negative_infinity", b"-Infinit"), ("nan_suffix", b"NaN1"), ("extra_bracket", b"[1]]"),
        ("two_values", b"1 2"), ("extra_nul", b"[1]\x00"), ("lone_nul", b"\x00"), ("extra_object", b'{"a":1}x'),
        ("comment", b"[1]//comment"), ("block_comment", b"/*c*/1"), ("vertical_tab", b"[\x0b1]"),
        ("form_feed_whitespace", b"[\x0c1]"), ("nbsp_whitespace", "[\u00a01]"), ("second_bom", codecs.BOM_UTF8 * 2 + b"[1]"),
        ("error_after_newlines", b'{\n  "a": 1,\n  "b": [1, 2,\n    x]\n}'),
        ("error_after_unicode", '{"\u00e9\U0001f600": [1, x]}'),
        ("error_after_bom", codecs.BOM_UTF8 + b"[1,]"),
        ("invalid_utf8_ff", b"\xff"), ("invalid_utf8_after_syntax_error", b"[1,]\xff"),
        ("truncated_utf8", b'"\xc3"'), ("overlong_slash", b'"\xc0\xaf"'), ("overlong_three", b'"\xe0\x80\xaf"'),
        ("above_max_code_point", b'"\xf4\x90\x80\x80"'), ("truncated_three_byte", b'"\xe2\x82"'),
        ("bad_continuation", b'"\xe2\x28\xa1"'), ("lone_continuation", b'"\x80"'), ("f5_lead", b'"\xf5\x80\x80\x80"'),
        ("invalid_utf8_after_bom", codecs.BOM_UTF8 + b'["\xfe"]'),
        ("invalid_utf8_late", b'{"a": "' + b"x" * 100 + b'\xc3\x28"}'),
        ("lone_surrogate_then_syntax_error", b'["\\ud800" 1]'),
        ("encoded_surrogate_then_trailing", b'"\xed\xa0\x80" x'), ("encoded_surrogate_outside_string", b"\xed\xa0\x80"),
        ("encoded_surrogate_then_invalid_utf8", b'"\xed\xa0\x80"\xff'),
        ("integer_4301_digits", "1" * 4301), ("integer_4301_digits_negative_in_array", "[-" + "2" * 4301 + "]"),
        ("deep_arrays_python_limit", nested_arrays(995)), ("deep_objects_python_limit", nested_objects(1200)),
    ]:
        rejected(name, data)

    # Inputs Python accepts and we reject by design.
    for name, data, code in [
        ("lone_high_surrogate", b'"\\ud800"', "loneSurrogateEscape"),
        ("lone_low_surrogate", b'"\\udc00"', "loneSurrogateEscape"),
        ("high_then_letter", b'"\\ud800\\u0041"', "loneSurrogateEscape"),
        ("reversed_pair", b'["\\ude00\\ud800"]', "loneSurrogateEscape"),
        ("lone_surrogate_key", b'{"\\udfff": 1}', "loneSurrogateEscape"),
        ("encoded_surrogate", b'"\xed\xa0\x80"', "encodedSurrogate"),
        ("encoded_surrogate_pair", b'"\xed\xa0\xbd\xed\xb8\x80"', "encodedSurrogate"),
        ("utf16le_short", b"1\x00", "unsupportedEncoding"),
        ("utf16le", "[1]".encode("utf-16-le"), "unsupportedEncoding"),
        ("utf16be", "[1]".encode("utf-16-be"), "unsupportedEncoding"),
        ("utf16_bom", "[1]".encode("utf-16"), "unsupportedEncoding"),
        ("utf32_bom", "[1]".encode("utf-32"), "unsupportedEncoding"),
        ("utf32be", "[1]".encode("utf-32-be"), "unsupportedEncoding"),
    ]:
        accepted_but("unsupported", name, data, code, "Python keeps what a Swift String or a UTF-8 reader cannot")
    accepted_but("limit", "deep_arrays_513", nested_arrays(513), "depthLimitExceeded",
                 "Python reaches depth 994; JSONLimits.maxDepth is 512")
    accepted_but("limit", "deep_objects_900", nested_objects(900), "depthLimitExceeded",
                 "Python reaches depth 994; JSONLimits.maxDepth is 512")

    differential()

    manifest = {"generator": "Tests/KerasJSONTests/Fixtures/make_fixtures.py",
                "python": sys.version.split()[0], "cases": cases}
    write("manifest.json", (json.dumps(manifest, indent=1) + "\n").encode("ascii"))
    print(f"{len(cases)} cases: " + ", ".join(f"{k} {sum(c['kind'] == k for c in cases)}"
                                              for k in ("valid", "rejected", "unsupported", "limit")))


main()

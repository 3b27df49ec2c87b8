#!/usr/bin/env python3
"""Writes one invalid JSON sample per KerasJSON error code, and expected.json (file -> rule id).

Run with CPython 3.11:  python3 Corpus/invalid/json/make_samples.py
Each sample is checked against CPython's json.loads: the `malformed` samples must be rejected by
Python with the matching error, the `unsupported` ones are inputs Python accepts and kconform rejects
by design. Codes whose default limit needs a huge file (inputTooLarge: 64 MiB, stringTooLong:
16 MiB, tooManyValues: 4M values) have no sample here; KerasJSONTests covers them with small limits.
"""
import codecs
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
assert sys.version_info[:2] == (3, 11), "the oracle is CPython 3.11"

# name -> (rule id, bytes, what CPython does with them)
SAMPLES = {
    "emptyInput": ("KC-JSON-001", b" \n", "JSONDecodeError: Expecting value"),
    "expectedValue": ("KC-JSON-002", b'{"units": [1, 2,]}', "JSONDecodeError: Expecting value"),
    "expectedPropertyName": ("KC-JSON-003", b'{"name": "dense",}', "JSONDecodeError: Expecting property name"),
    "expectedColon": ("KC-JSON-004", b'{"name" "dense"}', "JSONDecodeError: Expecting ':' delimiter"),
    "expectedComma": ("KC-JSON-005", b'{"name": "dense" "units": 3}', "JSONDecodeError: Expecting ',' delimiter"),
    "unterminatedString": ("KC-JSON-006", b'{"name": "dense', "JSONDecodeError: Unterminated string"),
    "controlCharacterInString": ("KC-JSON-007", b'{"name": "den\nse"}', "JSONDecodeError: Invalid control character"),
    "invalidEscape": ("KC-JSON-008", b'{"name": "C:\\dense"}', "JSONDecodeError: Invalid \\escape"),
    "invalidUnicodeEscape": ("KC-JSON-009", b'{"name": "\\u00e"}', "JSONDecodeError: Invalid \\uXXXX escape"),
    "trailingData": ("KC-JSON-010", b'{"name": "dense"}\n{"name": "other"}', "JSONDecodeError: Extra data"),
    "invalidUTF8": ("KC-JSON-011", b'{"name": "caf\xe9"}', "UnicodeDecodeError"),
    "loneSurrogateEscape": ("KC-JSON-012", b'{"name": "\\ud800"}', "accepted"),
    "encodedSurrogate": ("KC-JSON-013", b'{"name": "\xed\xa0\x80"}', "accepted"),
    "unsupportedEncoding": ("KC-JSON-014", '{"name": "dense"}'.encode("utf-16"), "accepted"),
    "integerTooLong": ("KC-JSON-015", b'{"seed": ' + b"7" * 4301 + b"}", "ValueError: Exceeds the limit (4300 digits)"),
    "depthLimitExceeded": ("KC-JSON-016", b"[" * 1000 + b"]" * 1000, "RecursionError"),
}


def main():
    expected = {}
    for name, (rule, data, python) in SAMPLES.items():
        try:
            json.loads(data)
            outcome = "accepted"
        except json.JSONDecodeError as error:
            outcome = f"JSONDecodeError: {error.msg}"
        except Exception as error:  # UnicodeDecodeError, ValueError, RecursionError
            outcome = f"{type(error).__name__}: {error}"
        assert outcome.startswith(python), f"{name}: CPython says {outcome[:80]!r}, expected {python!r}"
        with open(os.path.join(HERE, f"{name}.json"), "wb") as f:
            f.write(data)
        expected[f"{name}.json"] = rule
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        f.write(json.dumps(expected, indent=2) + "\n")
    print(f"{len(expected)} samples")


main()

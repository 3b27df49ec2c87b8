"""Config values (docs/FORMAT.md 2.1, 2.8): what Keras 3.15.1 makes of each special marker, plain value, object
envelope and shared object, against the golden file and against kconform (the formats: Tests/python/README-kit.md,
"Config values"; the contract: scripts/conformance/keras_values.py).

1. Every case of Corpus/golden/serialization/keras_values.json still reproduces with the installed Keras.
2. Every case of a values.json written by `kconform gen --values N` gets the outcome Keras gets.

Environment: KCONFORM (the binary), KCONFORM_GEN_SEED (default 7), KCONFORM_VALUES_COUNT (default 200).
"""
import atexit
import importlib.util
import json
import os
import pathlib
import shutil
import subprocess
import tempfile

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import pytest  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
KCONFORM = os.environ.get("KCONFORM", str(ROOT / ".build" / "release" / "kconform"))
SEED = int(os.environ.get("KCONFORM_GEN_SEED", "7"))
VALUES = int(os.environ.get("KCONFORM_VALUES_COUNT", "200"))
GOLDEN = ROOT / "Corpus" / "golden" / "serialization" / "keras_values.json"

_spec = importlib.util.spec_from_file_location("keras_values", ROOT / "scripts" / "conformance" / "keras_values.py")
kv = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(kv)

GOLDEN_DOCUMENT = json.loads(GOLDEN.read_text(encoding="utf-8"))
GOLDEN_CASES = {case["id"]: case for case in GOLDEN_DOCUMENT["cases"]}


def test_golden_file_header():
    assert GOLDEN_DOCUMENT["format"] == kv.GOLDEN_FORMAT
    assert GOLDEN_DOCUMENT["versions"]["keras"] == keras.__version__ == "3.15.1"
    assert len(GOLDEN_CASES) == len(GOLDEN_DOCUMENT["cases"]), "duplicate case ids"
    outcomes = [case["outcome"] for case in GOLDEN_CASES.values()]
    assert any("error" in o for o in outcomes) and any("value" in o for o in outcomes)


@pytest.mark.parametrize("case_id", sorted(GOLDEN_CASES))
def test_golden_case_reproduces(case_id):
    case = GOLDEN_CASES[case_id]
    expected, got = case["outcome"], kv.outcome(case["config"])
    if "error" in expected:
        assert "error" in got, f"Keras now deserializes it: {json.dumps(got)[:300]}"
        assert got["error"] == expected["error"]
        assert kv.normalized_message(got["message"]) == kv.normalized_message(expected["message"])
    else:
        assert "value" in got, f"Keras now fails: {got.get('error')}: {got.get('message')}"
        assert kv.json_equal(got["value"], expected["value"]), json.dumps(got["value"])[:500]
        assert kv.json_equal(got["reserialized"], expected["reserialized"]), json.dumps(got["reserialized"])[:500]
        assert not kv.key_order_differs(got["reserialized"], expected["reserialized"])


def kconform_gen_help():
    """(text of `kconform gen --help`, error)."""
    try:
        result = subprocess.run([KCONFORM, "gen", "--help"], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as error:
        return None, f"{KCONFORM} gen --help: {error}"
    return result.stdout + result.stderr, None


def make_values():
    """Runs `kconform gen --values` once, at collection: (document, error, skip reason)."""
    help_text, error = kconform_gen_help()
    if error:
        return None, error, None
    if "--values" not in help_text:
        return None, None, f"{KCONFORM} gen --help does not mention --values (not implemented yet)"
    directory = pathlib.Path(tempfile.mkdtemp(prefix="kconform-gen-values-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    command = [KCONFORM, "gen", "--seed", str(SEED), "--count", "0", "--values", str(VALUES), "--out", str(directory)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        return None, f"{' '.join(command)}: {error}", None
    if result.returncode != 0:
        return None, f"{' '.join(command)} exited {result.returncode}: {result.stderr[-2000:]}", None
    try:
        return json.loads((directory / "values.json").read_text(encoding="utf-8")), None, None
    except (OSError, ValueError) as error:
        return None, f"values.json: {error}", None


VALUES_DOCUMENT, VALUES_ERROR, VALUES_SKIP = make_values()


def test_kconform_values_file_follows_the_format():
    if VALUES_SKIP:
        pytest.skip(VALUES_SKIP)
    assert VALUES_ERROR is None, VALUES_ERROR
    assert VALUES_DOCUMENT["format"] == kv.VALUES_FORMAT
    assert VALUES_DOCUMENT["seed"] == SEED
    cases = VALUES_DOCUMENT["cases"]
    assert len(cases) == VALUES, f"{len(cases)} cases for --values {VALUES}"
    ids = [case.get("id") for case in cases]
    assert all(isinstance(i, str) for i in ids) and len(set(ids)) == len(ids), "case ids must be unique strings"
    for case in cases:
        assert "config" in case and isinstance(case.get("outcome"), dict), case.get("id")
        assert ("error" in case["outcome"]) != ("value" in case["outcome"]), case["id"]


def test_keras_agrees_with_kconform_on_every_value():
    if VALUES_SKIP:
        pytest.skip(VALUES_SKIP)
    assert VALUES_ERROR is None, VALUES_ERROR
    mismatches = [(case_id, detail) for case_id, passed, detail in kv.check_cases(VALUES_DOCUMENT["cases"])
                  if not passed]
    replay = f"replay: {KCONFORM} gen --seed {SEED} --count 0 --values {VALUES} --out DIR; " \
             f"python scripts/conformance/keras_values.py check DIR/values.json"
    assert not mismatches, f"{len(mismatches)} of {len(VALUES_DOCUMENT['cases'])} cases differ ({replay}):\n" + \
        "\n".join(f"  {case_id}: {detail}" for case_id, detail in mismatches[:40])

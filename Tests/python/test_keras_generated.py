"""Keras -> kconform: random models made by real Keras 3.15.1 (scripts/conformance/gen_keras_models.py) run
through `kconform conform --kit`, and every case's outcome in its conformance.json is "pass" (or the case is
in known_divergences.json with a reason and evidence). The kit format: Tests/python/README-kit.md.

Environment: KCONFORM (the binary), KCONFORM_KIT_SEED (default 1), KCONFORM_KIT_COUNT (default 12),
KCONFORM_KIT_MAX_LAYERS (default 10). One test per model, plus one for the run itself.
"""
import json
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
KCONFORM = os.environ.get("KCONFORM", str(ROOT / ".build" / "release" / "kconform"))
GENERATOR = ROOT / "scripts" / "conformance" / "gen_keras_models.py"
SEED = int(os.environ.get("KCONFORM_KIT_SEED", "1"))
COUNT = int(os.environ.get("KCONFORM_KIT_COUNT", "12"))
MAX_LAYERS = int(os.environ.get("KCONFORM_KIT_MAX_LAYERS", "10"))
NAMES = [f"keras_s{SEED}_{index:04d}" for index in range(COUNT)]  # gen_keras_models.model_name
KNOWN = {entry["name"]: entry for entry in
         json.loads((pathlib.Path(__file__).parent / "known_divergences.json").read_text(encoding="utf-8"))["divergences"]}


@pytest.fixture(scope="module")
def conformance(tmp_path_factory):
    """Writes the kit with Keras and runs kconform over it once: (manifest, completed process, report)."""
    kit = tmp_path_factory.mktemp("keras-kit")
    report = tmp_path_factory.mktemp("keras-kit-report")
    environment = dict(os.environ, KERAS_BACKEND="jax")
    generated = subprocess.run([sys.executable, str(GENERATOR), "--seed", str(SEED), "--count", str(COUNT),
                                "--max-layers", str(MAX_LAYERS), "--out", str(kit)],
                               capture_output=True, text=True, env=environment, cwd=ROOT)
    assert generated.returncode == 0, f"the Keras generator failed: {generated.stderr[-3000:]}"
    manifest = json.loads((kit / "MANIFEST.json").read_text(encoding="utf-8"))
    known = report / "known_divergences.tsv"  # kconform's --known-divergences format: NAME<TAB>REASON lines
    known.write_text("".join(f"{name}\t{entry['reason']}\n" for name, entry in sorted(KNOWN.items())), encoding="utf-8")
    try:
        run = subprocess.run([KCONFORM, "conform", "--kit", str(kit), "--report", str(report), "--known-divergences", str(known)],
                             capture_output=True, text=True)
    except OSError as error:
        run = subprocess.CompletedProcess([KCONFORM], 127, "", f"cannot run {KCONFORM}: {error}")
    path = report / "conformance.json"
    results = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    return manifest, run, results


def test_kconform_runs_the_keras_kit(conformance):
    manifest, run, results = conformance
    assert sorted(manifest["models"]) == NAMES
    assert run.returncode == 0, f"kconform conform exited {run.returncode}: {run.stderr[-3000:]}"
    assert results is not None, "kconform conform wrote no conformance.json"
    names = [case["name"] for case in results["cases"] if case.get("source") == "kit"]
    assert sorted(names) == NAMES, f"report cases {names}"
    assert sum(results["counts"]["outcomes"].values()) == len(results["cases"])


@pytest.mark.parametrize("name", NAMES)
def test_keras_model_conforms(conformance, name):
    manifest, run, results = conformance
    assert results is not None, f"kconform conform wrote no conformance.json (exit {run.returncode}): {run.stderr[-2000:]}"
    cases = [case for case in results["cases"] if case["name"] == name]
    assert len(cases) == 1, f"{len(cases)} report cases named {name}"
    case = cases[0]
    entry = manifest["models"][name]
    if name in KNOWN:
        if case["outcome"] == "pass":
            pytest.fail(f"{name} is listed in known_divergences.json but passes: remove the entry")
        assert case["outcome"] == "known divergence", f"{case['outcome']}: {case['detail']}"
        pytest.xfail(f"known divergence: {KNOWN[name]['reason']}")
    assert case["outcome"] == "pass", (
        f"{case['outcome']}: {case['detail']}\n  layers {entry['layers']}, policy {entry['policy']}, kind {entry['kind']}\n"
        f"  replay: {entry['replay']}\n  kconform: {case.get('replay', '')}")

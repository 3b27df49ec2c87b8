"""The committed Sources/KerasReference/Generated/KerasCallFacts.swift is what
scripts/conformance/make_layer_calls.py writes from the pinned Keras: a Keras upgrade or a hand edit fails here."""

import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def test_call_facts_are_generated_from_keras():
    script = os.path.join(ROOT, "scripts", "conformance", "make_layer_calls.py")
    result = subprocess.run([sys.executable, script, "--check"], capture_output=True, text=True,
                            env={**os.environ, "KERAS_BACKEND": "jax"})
    assert result.returncode == 0, result.stderr + result.stdout

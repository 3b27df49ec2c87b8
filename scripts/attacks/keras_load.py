#!/usr/bin/env python3
"""Loads one file with Keras's defaults and prints one JSON line: what happened.

Run by security_report.py in a subprocess without network (`unshare -n`), from Corpus/attacks so that
the paths a reproducer names resolve inside the corpus. `.weights.h5` files are loaded into
benign/dense.keras with `load_weights`; everything else goes through `keras.saving.load_model`
(safe_mode left at its default, True), as a user would. The payload ran when the marker was printed, a
Keras setting changed, or a member escaped the extraction folder to /tmp/kconform_escape.txt. The benign custom objects are imported first,
as a user imports their own package.

    keras_load.py <path> <marker> [<model for .weights.h5 and .weights.json>]
"""
import contextlib
import io
import json
import os
import sys
import warnings

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
warnings.simplefilter("ignore")


ESCAPE = "/tmp/kconform_escape.txt"


def main():
    target, marker = sys.argv[1], sys.argv[2]
    if os.path.exists(ESCAPE):
        os.remove(ESCAPE)
    weights_model = sys.argv[3] if len(sys.argv) > 3 else "benign/dense.keras"
    captured = io.StringIO()
    result = {"file": target}
    with contextlib.redirect_stdout(captured):
        import keras
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import custom_objects  # noqa: F401
        logging_before = keras.config.is_interactive_logging_enabled()
        try:
            if target.endswith((".weights.h5", ".weights.json")):
                model = keras.saving.load_model(weights_model)
                model.load_weights(target)
            else:
                keras.saving.load_model(target)
            result["outcome"] = "loaded"
        except BaseException as error:  # noqa: BLE001 - every refusal is a result
            result["outcome"] = "refused"
            result["error"] = f"{type(error).__name__}: {str(error).splitlines()[0][:160] if str(error) else ''}"
        state_changed = keras.config.is_interactive_logging_enabled() != logging_before
    escaped = os.path.exists(ESCAPE)
    result["payload_ran"] = marker in captured.getvalue() or state_changed or escaped
    print(json.dumps(result))


if __name__ == "__main__":
    main()

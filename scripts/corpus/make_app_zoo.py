#!/usr/bin/env python3
"""Build keras.applications architectures (weights=None, small inputs) with Keras's predictions.

Not committed (tens to hundreds of MB): written to .build/zoo-apps/ by default, where
Tests/KerasReferenceTests/GoldenPredictTests.swift finds them (its `apps/<name>` cases run only when
.build/zoo-apps/MANIFEST.json exists; KCONFORM_APP_ZOO overrides the folder).

Producer
    The pinned environment of scripts/corpus/requirements.txt, backend jax on CPU.

Usage
    /work/venv/bin/python scripts/corpus/make_app_zoo.py [--out .build/zoo-apps] [--only NAME ...]

Each architecture is built with `weights=None`, Keras's seeded initial values, 10 classes and no
classifier activation (logits: a softmax over near-equal logits would hide errors), at the smallest
input size it accepts (32x32 for most), saved with `model.save(<name>.keras)`, and run with
`model.predict` on a seeded batch of 2 images; the MANIFEST.json has the schema of
Corpus/golden/MANIFEST.json. An architecture Keras cannot build or save is reported and skipped.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import shutil
import sys
import time

os.environ["KERAS_BACKEND"] = "jax"
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import h5py  # noqa: E402
import jax  # noqa: E402
import jaxlib  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

SEED = 20261124

# name -> (constructor, input side, extra keyword arguments)
APPS = {
    "MobileNet": (keras.applications.MobileNet, 32, {}),
    "MobileNetV2": (keras.applications.MobileNetV2, 32, {}),
    "MobileNetV3Small": (keras.applications.MobileNetV3Small, 32, {}),
    "MobileNetV3Large": (keras.applications.MobileNetV3Large, 32, {}),
    "ResNet50": (keras.applications.ResNet50, 32, {}),
    "ResNet50V2": (keras.applications.ResNet50V2, 32, {}),
    "VGG16": (keras.applications.VGG16, 32, {}),
    "DenseNet121": (keras.applications.DenseNet121, 32, {}),
    "Xception": (keras.applications.Xception, 71, {}),
    "InceptionV3": (keras.applications.InceptionV3, 75, {}),
    "InceptionResNetV2": (keras.applications.InceptionResNetV2, 75, {}),
    "NASNetMobile": (keras.applications.NASNetMobile, 32, {}),
    "EfficientNetB0": (keras.applications.EfficientNetB0, 32, {}),
    "EfficientNetV2B0": (keras.applications.EfficientNetV2B0, 32, {}),
    "ConvNeXtTiny": (keras.applications.ConvNeXtTiny, 32, {}),
}


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(here, "..", "..", ".build", "zoo-apps"))
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args(argv)
    out = os.path.abspath(args.out)
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "io"))
    models, files, skipped = {}, [], {}
    for name, (constructor, side, kwargs) in APPS.items():
        if args.only and name not in args.only:
            continue
        started = time.monotonic()
        keras.backend.clear_session()
        keras.utils.set_random_seed(SEED)
        try:
            model = constructor(weights=None, input_shape=(side, side, 3), classes=10, classifier_activation=None, **kwargs)
            x = np.random.default_rng(SEED).uniform(0, 255, (2, side, side, 3)).astype("float32")
            y = np.asarray(model.predict(x, verbose=0)).astype("float32")
            model.save(os.path.join(out, f"{name}.keras"))
        except Exception as error:  # reported, not fatal: the others still get built
            skipped[name] = f"{type(error).__name__}: {error}"
            print(f"[make_app_zoo] {name}: skipped ({skipped[name][:200]})", flush=True)
            continue
        np.save(os.path.join(out, f"io/{name}.inputs.npy"), x, allow_pickle=False)
        np.save(os.path.join(out, f"io/{name}.outputs.npy"), y, allow_pickle=False)
        models[name] = {
            "description": f"keras.applications.{name}(weights=None, input_shape=({side}, {side}, 3), classes=10, classifier_activation=None), {len(model.layers)} layers",
            "inputs": [f"io/{name}.inputs.npy"],
            "outputs": f"io/{name}.outputs.npy",
            "outputs_cast": None,
            "files": [f"{name}.keras"],
        }
        for path, kind in ((f"{name}.keras", "keras-archive"), (f"io/{name}.inputs.npy", "npy"), (f"io/{name}.outputs.npy", "npy")):
            full = os.path.join(out, path)
            files.append({"path": path, "sha256": sha256_file(full), "size": os.path.getsize(full), "kind": kind, "description": name, "model": name})
        print(f"[make_app_zoo] {name}: {time.monotonic() - started:.1f} s", flush=True)
    manifest = {
        "schema": 1,
        "producer": {
            "python": platform.python_version(),
            "keras": keras.__version__,
            "jax": jax.__version__,
            "jaxlib": jaxlib.__version__,
            "h5py": h5py.__version__,
            "numpy": np.__version__,
            "backend": keras.backend.backend(),
            "platform": platform.platform(),
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "seed": SEED,
            "script": "scripts/corpus/make_app_zoo.py",
        },
        "io_dir": "io/",
        "models": models,
        "skipped": skipped,
        "files": files,
    }
    with open(os.path.join(out, "MANIFEST.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print(f"[make_app_zoo] {len(models)} built, {len(skipped)} skipped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Check Corpus/golden against its MANIFEST.json and expected/ facts, without Keras.

Usage: /work/venv/bin/python scripts/corpus/verify_golden.py [--dir Corpus/golden]

Checks: every file on disk is in the manifest and vice versa, sizes and sha256 match, every
archive passes zipfile's CRC test, every HDF5 file/member opens with h5py and each dataset's raw
bytes hash to the sha256 recorded in expected/, every .npy loads without pickle, every io file a
model names exists. Prints one line per failure and a closing `N passed, N failed` line.
"""

import argparse
import hashlib
import io
import json
import os
import sys
import zipfile

import h5py
import numpy as np


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def dataset_hashes(source):
    out = {}
    with h5py.File(source, "r") as f:

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out["/" + name] = sha256(np.ascontiguousarray(obj[()]).tobytes())

        f.visititems(visit)
    return out


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", default=os.path.join(here, "..", "..", "Corpus", "golden"))
    root = os.path.abspath(parser.parse_args(argv).dir)
    with open(os.path.join(root, "MANIFEST.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    passed, failures = 0, []

    def check(ok, what):
        nonlocal passed
        if ok:
            passed += 1
        else:
            failures.append(what)
            print(f"FAIL {what}")

    listed = {e["path"]: e for e in manifest["files"]}
    on_disk = set()
    for dirpath, dirnames, names in os.walk(root):
        # zoo/ and keras2/ have their own manifests (make_layer_zoo.py --verify, make_keras2.py).
        dirnames[:] = [d for d in dirnames if not (dirpath == str(root) and d in ("zoo", "keras2"))]
        for fn in names:
            on_disk.add(os.path.relpath(os.path.join(dirpath, fn), root).replace(os.sep, "/"))
    on_disk.discard("MANIFEST.json")
    check(on_disk == set(listed), f"manifest lists exactly the files on disk (extra {sorted(on_disk - set(listed))}, missing {sorted(set(listed) - on_disk)})")

    for rel, entry in sorted(listed.items()):
        path = os.path.join(root, rel)
        if not os.path.isfile(path):
            continue
        with open(path, "rb") as f:
            data = f.read()
        check(len(data) == entry["size"] and sha256(data) == entry["sha256"], f"{rel}: size/sha256 as in the manifest")
        if entry["kind"] == "npy":
            try:
                np.load(path, allow_pickle=False)
                check(True, "")
            except Exception as exc:  # reported as a failure
                check(False, f"{rel}: np.load: {exc}")
        expected_path = os.path.join(root, "expected", rel.replace("/", "__") + ".json")
        if entry["kind"] == "folder" and not os.path.exists(expected_path):
            expected_path = os.path.join(root, "expected", entry["folder"].rstrip("/") + ".json")
        if entry["kind"] in ("keras-archive", "legacy-h5", "weights-h5", "shard", "folder"):
            with open(expected_path, encoding="utf-8") as f:
                expected = json.load(f)
            sources = {}
            if entry["kind"] == "keras-archive":
                with zipfile.ZipFile(path) as zf:
                    check(zf.testzip() is None, f"{rel}: zip CRCs")
                    names = [m["name"] for m in expected["zip"]["members"]]
                    check(zf.namelist() == names, f"{rel}: member list as expected")
                    for name in names:
                        if name.endswith(".h5"):
                            sources[name] = io.BytesIO(zf.read(name))
            elif rel.endswith(".h5"):
                sources["" if entry["kind"] != "folder" else rel.split("/", 1)[1]] = path
            for key, source in sources.items():
                want = {o["path"]: o["sha256"] for o in expected["hdf5"][key]["objects"] if o["kind"] == "dataset"}
                try:
                    got = dataset_hashes(source)
                except Exception as exc:  # a damaged file is a failure, not a crash of the checker
                    got = f"h5py raised {type(exc).__name__}: {exc}"
                check(got == want, f"{rel}[{key}]: dataset bytes match expected sha256 ({'ok' if got == want else got if isinstance(got, str) else 'differ'})")

    for stem, model in manifest["models"].items():
        for io_file in model["inputs"] + [model["outputs"]] + [f.rstrip("/") for f in model["files"]]:
            check(os.path.exists(os.path.join(root, io_file)), f"model {stem}: {io_file} exists")

    print(f"{passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

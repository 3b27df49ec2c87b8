#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into Corpus/fuzz/<Target>/ from Corpus/golden and
Corpus/invalid (Python 3 standard library only; the output is the same on every run).

Each seed is a real file or member of the committed corpus, or a small archive rebuilt from golden
members, at most MAX_SEED bytes. A seed named `optNN-...` starts with the option prefix `00 NN`
(Fuzz/README.md, "The option prefix"). Run from anywhere: python3 Fuzz/make_seeds.py
"""
import io
import json
import pathlib
import random
import shutil
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "Corpus" / "golden"
INVALID = ROOT / "Corpus" / "invalid"
OUT = ROOT / "Corpus" / "fuzz"
MAX_SEED = 32 * 1024  # a few KB each: libFuzzer cuts inputs above -max_len (run.sh uses 64 KiB)
EPOCH = (1980, 1, 1, 0, 0, 0)


def member(archive: str, name: str) -> bytes:
    with zipfile.ZipFile(GOLDEN / archive) as z:
        return z.read(name)


def rebuild(members, compression=zipfile.ZIP_STORED, zip64=False) -> bytes:
    """A zip written the way Keras writes one (Python's zipfile, fixed timestamps)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.compress_type = compression
            with z.open(info, "w", force_zip64=zip64) as stream:
                stream.write(data)
    return buffer.getvalue()


def prefixed(options: int, body: bytes) -> bytes:
    return bytes([0, options]) + body


def files(folder: pathlib.Path, suffix: str):
    return sorted(p for p in folder.glob("*" + suffix) if p.stat().st_size <= MAX_SEED)


def seeds():
    parts = [("metadata.json", member("zero_features.keras", "metadata.json")),
             ("config.json", member("zero_features.keras", "config.json"))]
    small_weights = member("zero_features.keras", "model.weights.h5")
    small_archive = (GOLDEN / "zero_features.keras").read_bytes()
    legacy = (GOLDEN / "legacy_mlp.h5").read_bytes()
    index = (GOLDEN / "sharded" / "sh.weights.json").read_bytes()

    zip_seeds = {"invalid-" + p.name: p.read_bytes() for p in files(INVALID / "zip", ".zip")}
    zip_seeds.update({
        "golden-zero_features.keras": small_archive,
        "golden-normalization.keras": (GOLDEN / "normalization.keras").read_bytes(),
        "rebuilt-parts-stored.zip": rebuild(parts),
        "rebuilt-parts-deflated.zip": rebuild(parts, zipfile.ZIP_DEFLATED),
        "rebuilt-parts-zip64.zip": rebuild(parts, zip64=True),
        "rebuilt-empty.zip": rebuild([]),
        "opt01-rebuilt-parts-stored.zip": prefixed(0x01, rebuild(parts)),
    })

    hdf5_seeds = {"invalid-" + p.name: p.read_bytes() for p in files(INVALID / "hdf5", ".h5")}
    hdf5_seeds.update({
        "golden-float16_vars.weights.h5": (GOLDEN / "float16_vars.weights.h5").read_bytes(),
        "golden-bfloat16_vars.weights.h5": (GOLDEN / "bfloat16_vars.weights.h5").read_bytes(),
        "golden-legacy_mlp.h5": legacy,
        "golden-zero_features.model.weights.h5": small_weights,
        "golden-quantized_int8.model.weights.h5": member("quantized_int8.keras", "model.weights.h5"),
        "opt02-golden-zero_features.model.weights.h5": prefixed(0x02, small_weights),
    })
    for shard in ("sh_00002", "sh_00003", "sh_00004"):
        hdf5_seeds[f"golden-{shard}.weights.h5"] = (GOLDEN / "sharded" / f"{shard}.weights.h5").read_bytes()

    configs = {p.stem: member(p.name, "config.json") for p in sorted(GOLDEN.glob("*.keras"))
               if p.stat().st_size <= 64 * 1024}
    configs["folder_model"] = (GOLDEN / "folder_model" / "config.json").read_bytes()
    configs["folder_assets"] = (GOLDEN / "folder_assets" / "config.json").read_bytes()

    json_seeds = {"invalid-" + p.name: p.read_bytes() for p in files(INVALID / "json", ".json")}
    json_seeds.update({
        "golden-seq_mlp.config.json": configs["seq_mlp"],
        "golden-non_ascii.config.json": configs["non_ascii"],
        "golden-metadata.json": parts[0][1],
        "golden-sh.weights.json": index,
        "numbers.json": b'[0, -0, -0.0, 1.5, 1e400, -1e400, NaN, -Infinity, 1E-7, 123456789012345678901234567890]',
        "escapes.json": b'{"a\\u00e9": "\\ud83d\\ude00\\n\\t\\"\\\\\\/", "\xc3\xa9": ["\xf0\x9f\x98\x80"]}',
        "opt02-golden-seq_mlp.config.json": prefixed(0x02, configs["seq_mlp"]),
        "opt0e-escapes.json": prefixed(0x0E, b'{"b": {"\xc3\xa9": 1, "a": [true, false, null]}, "a": "\\u0000"}'),
    })

    config_seeds = {f"golden-{name}.config.json": data for name, data in configs.items() if len(data) <= MAX_SEED}
    # seq_mlp without its Dense layers: a model with no variables, which loads with an empty weights file.
    weightless = json.loads(configs["seq_mlp"])
    weightless["config"]["layers"] = [layer for layer in weightless["config"]["layers"] if layer["class_name"] != "Dense"]
    config_seeds["derived-seq_mlp-without-dense.config.json"] = json.dumps(weightless).encode()
    config_seeds["opt01-golden-seq_mlp.config.json"] = prefixed(0x01, configs["seq_mlp"])
    # Config values Keras serialized (every marker, shared objects; scripts/conformance/keras_values.py), one
    # document per kind, for the value deserializer's property.
    values = GOLDEN / "serialization" / "keras_values.json"
    kinds = {}
    for line in values.read_text().splitlines():
        if line.startswith('{"id": '):
            case = json.loads(line.rstrip(","))
            kind = case["id"].split("-")[0]
            document = json.dumps(case["config"]).encode()
            if kind not in kinds and "error" not in case["outcome"] and len(document) <= 2048:
                kinds[kind] = (case["id"], document)
    for case_id, document in kinds.values():
        config_seeds[f"values-{case_id}.json"] = document

    keras_seeds = {
        "golden-zero_features.keras": small_archive,
        "golden-legacy_mlp.h5": legacy,
        "rebuilt-parts-stored.zip": rebuild(parts),
        "opt01-golden-zero_features.keras": prefixed(0x01, small_archive),
        "opt02-golden-legacy_mlp.h5": prefixed(0x02, legacy),
        "opt03-golden-sh_00002.weights.h5": prefixed(0x03, (GOLDEN / "sharded" / "sh_00002.weights.h5").read_bytes()),
        "opt04-golden-sh.weights.json": prefixed(0x04, index),
        "opt01-rebuilt-weights-only.keras": prefixed(0x01, rebuild([("model.weights.h5", small_weights)])),
    }
    for name in ("crcMismatch.zip", "duplicateName.zip", "parentDirectoryComponent.zip"):
        keras_seeds["invalid-" + name] = (INVALID / "zip" / name).read_bytes()
    for name in ("linkInvalid.h5", "attributeBytesLimitExceeded.h5"):
        keras_seeds["invalid-" + name] = (INVALID / "hdf5" / name).read_bytes()

    return {"FuzzZip": zip_seeds, "FuzzHDF5": hdf5_seeds, "FuzzJSON": json_seeds,
            "FuzzConfig": config_seeds, "FuzzKerasFile": keras_seeds, "FuzzStructured": structured_seeds()}


# FuzzStructured reads its input as the model generator's choices (Choices(bytes:)): a seed is a byte
# string, not a file. Each is random.Random(k).randbytes(n), named after the model it draws today
# (the names go stale when the generator changes; the bytes stay valid inputs). All zeros draw the
# smallest model, one Dense layer.
STRUCTURED = [
    (0, 96, "seq-mixed_bfloat16-einsumdense"), (4, 96, "func-bfloat16-embedding"),
    (7, 384, "func-separableconv1d-add"), (12, 96, "func-mixed_float16-nested-functional"),
    (14, 256, "seq-gru-groupnorm"), (21, 160, "seq-gru-dense"),
    (27, 384, "seq-bfloat16-separableconv2d-batchnorm"), (32, 96, "func-bfloat16-attention"),
]


def structured_seeds():
    seeds = {f"r{k:02d}-{name}": random.Random(k).randbytes(n) for k, n, name in STRUCTURED}
    seeds["zeros-smallest-dense"] = bytes(16)
    return seeds


def main():
    for target, corpus in seeds().items():
        folder = OUT / target
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        for name, data in sorted(corpus.items()):
            if not name.startswith("opt") and data[:1] == b"\0":
                data = prefixed(0, data)  # a raw input starting with 0x00 would read as an option prefix
            assert len(data) <= MAX_SEED + 2, (target, name, len(data))
            (folder / name).write_bytes(data)
        total = sum(len(d) for d in corpus.values())
        print(f"{target}: {len(corpus)} seeds, {total} bytes")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Build the golden corpus: real Keras files plus the facts real tools report about them.

Corpus/golden/ is written by this script only; nothing in it is edited by hand.

Producer
    Python 3.11 with the exact pins of scripts/corpus/requirements.txt (keras 3.15.1, jax/jaxlib
    0.10.2, h5py 3.16.0 with its bundled HDF5 2.0, numpy 2.4.6, ml-dtypes 0.6.0), backend jax on
    CPU (KERAS_BACKEND and JAX_PLATFORMS are set below, before keras is imported).

Usage
    python3.11 -m venv /work/venv && /work/venv/bin/pip install -r scripts/corpus/requirements.txt
    python3.11 -m venv /work/venv-assets && /work/venv-assets/bin/pip install -r scripts/corpus/requirements-assets.txt
    /work/venv/bin/python scripts/corpus/make_golden.py [--out Corpus/golden] [--assets-python /work/venv-assets/bin/python]

    The output directory is deleted and rebuilt. Seeds and inputs are fixed, so the weights,
    inputs and outputs are the same on every run on the same machine; what changes per run is the
    save time Keras stores (metadata.json `date_saved`, the DOS time of the zip member
    `model.weights.h5`) and therefore the archive bytes and their sha256. MANIFEST.json records
    the sha256 of what was generated. hdf5-tools (`h5debug`) should be installed (B-tree facts).

    Assets need TensorFlow (IntegerLookup/StringLookup/TextVectorization build tf.lookup tables),
    and tensorflow-cpu 2.21 requires h5py < 3.15, so the models with an assets/ member come from a
    second venv (requirements-assets.txt: same keras/jax/numpy, h5py 3.14.0 with HDF5 1.14.6): the
    main run calls `<assets-python> make_golden.py --part assets --out <dir>` and merges what it
    wrote. Their manifest entries say `"producer": "producer_assets"`. Without --assets-python
    they are skipped (and the manifest's `producer_assets` is null).

Layout of Corpus/golden/
    <name>.keras, <name>.h5, <name>.weights.h5   model files saved exactly as a user would
    folder_model/, folder_assets/                `save_model(..., zipped=False)` directories (Keras
                                                 leaves an empty assets/ in folder_model; git cannot
                                                 store it, so it is removed and recorded)
    sharded/sh.weights.json + sh_0000N.weights.h5  `save_weights(..., max_shard_size=2**-20)` (1 KiB)
    io/<model>.inputs.npy (or .inputs_0.npy, .inputs_1.npy for two-input models)
    io/<model>.outputs.npy                       `model.predict` on those inputs right after saving
                                                 (bfloat16 outputs are stored as float32, see
                                                 `outputs_cast` in the manifest)
    expected/<path with / as __>.json            facts about each model file (schema below)
    expected/<path with / as __>.editor_summary.txt  stdout of `KerasFileEditor(name)` + `.summary()`,
                                                 run from the file's own directory
    MANIFEST.json                                every file above with sha256, size, kind,
                                                 description, model; models with their io files
                                                 and files; producer blocks

expected/<file>.json (schema 1), all values produced by zipfile / h5py / h5debug / json / keras:
    file, kind, size, sha256
    zip          archives: eocd fields and per member: name, compress_type, file_size,
                 compress_size, crc, date_time, external_attr, header_offset, create_system,
                 create_version, extract_version, flag_bits, central extra (hex), local header
                 fields and extra (hex), data_offset (parsed from the local header at header_offset)
    members      per archive member / folder file: name, size, sha256 (metadata.json also parsed)
    hdf5         per HDF5 file ("" for a plain file) or member name: libver, superblock and other
                 format versions, offset/length sizes, userblock, and `objects`: "/" first, then
                 h5py `visititems` order (byte-sorted names). Every object: path, kind,
                 object_header (address, version, messages, chunks, total_size, refcount,
                 num_attrs from H5Oget_info), attrs. Groups: num_members, and for groups with
                 more than 8 members `symbol_table_btree` (root B-tree address, level, children,
                 local heap address, from `h5debug`). Datasets: shape, dtype_str (numpy dtype.str),
                 dtype_name, h5_class, type_size, enum mapping, opaque_tag, size (elements),
                 storage_size, layout, offset (None when unallocated), chunks, filters, sha256 of
                 the raw C-order bytes (`ds[()]`, opaque read raw), values when size <= 16
                 (shortest float text of the stored precision; bfloat16 decoded via ml_dtypes).
                 attrs: name -> h5_class, type_size, space, shape, string {variable, cset, pad},
                 h5py_value_type, value (strings decoded); longer than 16384 characters ->
                 value_sha256 + value_length (lists: sha256 of the newline join, count, first 3)
    config_layers  (class_name, name) of config.json `config.layers` in order, nested models
                 recursively (`layers` key); legacy .h5: from the `model_config` attribute
    metadata     parsed metadata.json
    keras_reload how real Keras reads the file back: ok, max |predict - saved outputs| (or error)
    editor_summary_file  the captured KerasFileEditor output (.keras, .weights.h5, shards)

Deliberately absent: a bool variable (no built-in Keras layer or optimizer owns one; only a custom
class could), the low-memory archive ordering (needs >= 512 MiB of weights), npz weights (internal
API only, and Keras cannot reload them).
"""

import argparse
import contextlib
import datetime
import hashlib
import importlib.metadata
import io
import json
import os
import platform
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zipfile

os.environ["KERAS_BACKEND"] = "jax"
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import h5py  # noqa: E402
import jax  # noqa: E402
import jaxlib  # noqa: E402
import keras  # noqa: E402
import ml_dtypes  # noqa: E402
import numpy as np  # noqa: E402

SEED = 20261122
SCHEMA = 1
LONG_VALUE = 16384
SMALL_DATASET = 16
BTREE_REPORT_MEMBERS = 8  # groups with more members than one symbol node holds get h5debug B-tree facts
SHARD_GB = 2.0**-20  # 1 KiB per shard: the adam model's weights + optimizer make 3+ shards.

H5_CLASS = {
    h5py.h5t.INTEGER: "integer",
    h5py.h5t.FLOAT: "float",
    h5py.h5t.TIME: "time",
    h5py.h5t.STRING: "string",
    h5py.h5t.BITFIELD: "bitfield",
    h5py.h5t.OPAQUE: "opaque",
    h5py.h5t.COMPOUND: "compound",
    h5py.h5t.REFERENCE: "reference",
    h5py.h5t.ENUM: "enum",
    h5py.h5t.VLEN: "vlen",
    h5py.h5t.ARRAY: "array",
}
LAYOUT = {
    h5py.h5d.COMPACT: "compact",
    h5py.h5d.CONTIGUOUS: "contiguous",
    h5py.h5d.CHUNKED: "chunked",
    h5py.h5d.VIRTUAL: "virtual",
}
STRPAD = {h5py.h5t.STR_NULLTERM: "nullterm", h5py.h5t.STR_NULLPAD: "nullpad", h5py.h5t.STR_SPACEPAD: "spacepad"}


# ----------------------------------------------------------------------------------------------
# small helpers


def sha256_bytes(data):
    return hashlib.sha256(data).hexdigest()


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


COMPACT_LISTS = ("objects", "members", "config_layers")


def write_json(path, obj):
    """Indented JSON, except that each element of an `objects`/`members` list sits on one line."""
    compact = {}

    def mark(node):
        if isinstance(node, dict):
            out = {}
            for k, v in node.items():
                if k in COMPACT_LISTS and isinstance(v, list):
                    items = []
                    for item in v:
                        key = f"@@compact{len(compact)}@@"
                        compact[key] = json.dumps(item, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
                        items.append(key)
                    out[k] = items
                else:
                    out[k] = mark(v)
            return out
        if isinstance(node, list):
            return [mark(v) for v in node]
        return node

    text = json.dumps(mark(obj), indent=1, ensure_ascii=False, allow_nan=False)
    text = re.sub(r'"(@@compact\d+@@)"', lambda m: compact[m.group(1)], text)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + "\n")


def rng(tag):
    return np.random.default_rng([SEED, sum(map(ord, tag))])


def jsonable_scalar(x):
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        v = float(x)
        if v != v or v in (float("inf"), float("-inf")):
            return repr(v)
        # numpy's str() is the shortest text that reads back to the same float16/32/64 value.
        return float(str(x)) if isinstance(x, np.floating) else v
    if isinstance(x, bytes):
        return x.decode("utf-8", "backslashreplace")
    return x


def jsonable(value):
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value] if value.ndim else jsonable_scalar(value[()])
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return jsonable_scalar(value)


def shorten(value):
    """Long strings become a hash and a length (the corpus must stay small)."""
    if isinstance(value, str) and len(value) > LONG_VALUE:
        return {"value_sha256": sha256_bytes(value.encode("utf-8")), "value_length": len(value)}
    if isinstance(value, list) and sum(len(v) for v in value if isinstance(v, str)) > LONG_VALUE:
        joined = "\n".join(v if isinstance(v, str) else json.dumps(v) for v in value)
        return {
            "value_sha256_of_newline_join": sha256_bytes(joined.encode("utf-8")),
            "value_count": len(value),
            "first": value[:3],
        }
    return {"value": value}


# ----------------------------------------------------------------------------------------------
# HDF5 facts (h5py)


def attr_facts(obj, name):
    aid = h5py.h5a.open(obj.id, name.encode("utf-8"))
    tid = aid.get_type()
    cls = tid.get_class()
    space = aid.get_space()
    facts = {
        "h5_class": H5_CLASS.get(cls, str(cls)),
        "type_size": tid.get_size(),
        "space": {h5py.h5s.SCALAR: "scalar", h5py.h5s.SIMPLE: "simple", h5py.h5s.NULL: "null"}.get(
            space.get_simple_extent_type(), "other"
        ),
        "shape": list(aid.shape) if aid.shape is not None else None,
    }
    if cls == h5py.h5t.STRING:
        facts["string"] = {
            "variable": bool(tid.is_variable_str()),
            "cset": "utf-8" if tid.get_cset() == h5py.h5t.CSET_UTF8 else "ascii",
            "pad": STRPAD.get(tid.get_strpad(), str(tid.get_strpad())),
        }
    value = obj.attrs[name]
    facts["h5py_value_type"] = type(value).__name__ + (
        f"[{value.dtype.str}]" if isinstance(value, np.ndarray) else ""
    )
    facts.update(shorten(jsonable(value)))
    return facts


def attrs_facts(obj):
    return {name: attr_facts(obj, name) for name in obj.attrs.keys()}


def dataset_facts(path, ds):
    tid = ds.id.get_type()
    cls = tid.get_class()
    dcpl = ds.id.get_create_plist()
    layout = dcpl.get_layout()
    raw = ds[()]
    raw_bytes = np.ascontiguousarray(raw).tobytes()
    facts = {
        "path": path,
        "kind": "dataset",
        "shape": list(ds.shape),
        "dtype_str": ds.dtype.str,
        "dtype_name": ds.dtype.name,
        "h5_class": H5_CLASS.get(cls, str(cls)),
        "type_size": tid.get_size(),
        "size": int(ds.size),
        "storage_size": int(ds.id.get_storage_size()),
        "layout": LAYOUT.get(layout, str(layout)),
        "offset": ds.id.get_offset(),
        "chunks": list(ds.chunks) if ds.chunks else None,
        "filters": dcpl.get_nfilters(),
        "sha256": sha256_bytes(raw_bytes),
        "object_header": object_header_facts(ds),
    }
    enum = h5py.check_enum_dtype(ds.dtype)
    if enum is not None:
        facts["enum"] = {k: int(v) for k, v in enum.items()}
    if cls == h5py.h5t.OPAQUE:
        facts["opaque_tag"] = tid.get_tag().decode("ascii", "backslashreplace")
    if ds.size <= SMALL_DATASET:
        dtype_attr = ds.attrs.get("dtype")
        if isinstance(dtype_attr, bytes):
            dtype_attr = dtype_attr.decode()
        if cls == h5py.h5t.OPAQUE and dtype_attr == "bfloat16":
            values = np.frombuffer(raw_bytes, dtype=ml_dtypes.bfloat16).astype(np.float32)
            facts["values"] = jsonable(values.reshape(ds.shape))
            facts["values_decoded_as"] = "bfloat16"
        elif cls != h5py.h5t.OPAQUE:
            facts["values"] = jsonable(np.asarray(raw))
    facts["attrs"] = attrs_facts(ds)
    return facts


def object_header_facts(obj):
    info = h5py.h5o.get_info(obj.id)
    return {
        "address": info.addr,
        "version": info.hdr.version,
        "messages": info.hdr.nmesgs,
        "chunks": info.hdr.nchunks,
        "total_size": info.hdr.space.total,
        "refcount": info.rc,
        "num_attrs": info.num_attrs,
    }


def h5debug(path, *addresses):
    """Text of HDF5's own `h5debug` (hdf5-tools) for the object at `addresses`."""
    result = subprocess.run(["h5debug", path, *map(str, addresses)], capture_output=True, text=True, timeout=60)
    return result.stdout


def btree_facts(path, header_address):
    """Root of a group's v1 B-tree as HDF5's h5debug reports it (level, children)."""
    if not shutil.which("h5debug"):
        return None
    header = h5debug(path, header_address)
    btree = re.search(r"B-tree address:\s+(\d+)", header)
    heap = re.search(r"Name heap address:\s+(\d+)", header)
    if not btree or not heap:
        return {"error": "no symbol table message in h5debug output"}
    node = h5debug(path, btree.group(1), heap.group(1))
    level = re.search(r"Level:\s+(\d+)", node)
    children = re.search(r"Number of children \(max\):\s+(\d+) \((\d+)\)", node)
    return {
        "tool": "h5debug",
        "btree_address": int(btree.group(1)),
        "local_heap_address": int(heap.group(1)),
        "root_level": int(level.group(1)) if level else None,
        "root_children": int(children.group(1)) if children else None,
        "max_children": int(children.group(2)) if children else None,
    }


def group_facts(path, group, disk_path):
    facts = {"path": path, "kind": "group", "num_members": len(group), "object_header": object_header_facts(group)}
    if len(group) > BTREE_REPORT_MEMBERS:
        facts["symbol_table_btree"] = btree_facts(disk_path, facts["object_header"]["address"])
    facts["attrs"] = attrs_facts(group)
    return facts


def hdf5_facts(source):
    """Facts about one HDF5 file; `source` is a path or the bytes of an archive member."""
    if isinstance(source, bytes):
        with tempfile.TemporaryDirectory() as tmp:
            disk_path = os.path.join(tmp, "member.h5")
            with open(disk_path, "wb") as f:
                f.write(source)
            return hdf5_facts_at(disk_path)
    return hdf5_facts_at(source)


def hdf5_facts_at(disk_path):
    with h5py.File(disk_path, "r") as f:
        fcpl = f.id.get_create_plist()
        superblock, freelist, stab, shhdr = fcpl.get_version()
        facts = {
            "libver": list(f.libver),
            "userblock_size": f.userblock_size,
            "versions": {"superblock": superblock, "freelist": freelist, "symbol_table": stab, "shared_header": shhdr},
            "sizes": list(fcpl.get_sizes()),
            "objects": [group_facts("/", f, disk_path)],
        }

        def visit(name, obj):
            path = "/" + name
            if isinstance(obj, h5py.Dataset):
                facts["objects"].append(dataset_facts(path, obj))
            elif isinstance(obj, h5py.Group):
                facts["objects"].append(group_facts(path, obj, disk_path))
            else:
                facts["objects"].append({"path": path, "kind": type(obj).__name__})

        f.visititems(visit)
        facts["dataset_count"] = sum(1 for o in facts["objects"] if o["kind"] == "dataset")
        facts["group_count"] = sum(1 for o in facts["objects"] if o["kind"] == "group")
        return facts


# ----------------------------------------------------------------------------------------------
# ZIP facts (zipfile + the raw local headers)


def zip_facts(path):
    with open(path, "rb") as f:
        data = f.read()
    eocd_at = data.rfind(b"PK\x05\x06")
    (_, disk, cd_disk, n_disk, n_total, cd_size, cd_offset, comment_len) = struct.unpack_from(
        "<IHHHHIIH", data, eocd_at
    )
    facts = {
        "eocd": {
            "offset": eocd_at,
            "disk": disk,
            "cd_disk": cd_disk,
            "entries_on_disk": n_disk,
            "entries_total": n_total,
            "cd_size": cd_size,
            "cd_offset": cd_offset,
            "comment_length": comment_len,
            "zip64_locator_present": data.rfind(b"PK\x06\x07", 0, eocd_at) != -1,
        },
        "members": [],
    }
    with zipfile.ZipFile(path) as zf:
        facts["comment"] = zf.comment.decode("utf-8", "backslashreplace")
        for info in zf.infolist():
            off = info.header_offset
            (sig, ver, flags, method, mtime, mdate, crc, csize, usize, nlen, xlen) = struct.unpack_from(
                "<IHHHHHIIIHH", data, off
            )
            assert sig == 0x04034B50, f"no local header at {off} in {path}"
            local_extra = data[off + 30 + nlen : off + 30 + nlen + xlen]
            facts["members"].append(
                {
                    "name": info.filename,
                    "compress_type": info.compress_type,
                    "file_size": info.file_size,
                    "compress_size": info.compress_size,
                    "crc": info.CRC,
                    "crc_hex": f"{info.CRC:08x}",
                    "date_time": list(info.date_time),
                    "external_attr": info.external_attr,
                    "external_attr_hex": f"{info.external_attr:08x}",
                    "header_offset": info.header_offset,
                    "create_system": info.create_system,
                    "create_version": info.create_version,
                    "extract_version": info.extract_version,
                    "flag_bits": info.flag_bits,
                    "central_extra_hex": info.extra.hex(),
                    "local": {
                        "version_needed": ver,
                        "flags": flags,
                        "method": method,
                        "dos_time": mtime,
                        "dos_date": mdate,
                        "crc": crc,
                        "compress_size": csize,
                        "file_size": usize,
                        "name_length": nlen,
                        "extra_hex": local_extra.hex(),
                    },
                    "data_offset": off + 30 + nlen + xlen,
                }
            )
    return facts


# ----------------------------------------------------------------------------------------------
# config.json facts


def config_layers(config):
    out = []
    for entry in config.get("config", {}).get("layers", []):
        item = {"class_name": entry.get("class_name"), "name": entry.get("config", {}).get("name", entry.get("name"))}
        if isinstance(entry.get("config"), dict) and "layers" in entry["config"]:
            item["layers"] = config_layers(entry)
        out.append(item)
    return out


def member_facts(name, data):
    facts = {"name": name, "size": len(data), "sha256": sha256_bytes(data)}
    if name == "metadata.json":
        facts["parsed"] = json.loads(data)
    return facts


def editor_summary(path, out_txt):
    """KerasFileEditor prints the file name it was given; run from the file's directory."""
    buf = io.StringIO()
    cwd = os.getcwd()
    try:
        os.chdir(os.path.dirname(path))
        with contextlib.redirect_stdout(buf):
            editor = keras.saving.KerasFileEditor(os.path.basename(path))
            editor.summary()
    except Exception as exc:  # recorded, not fatal: the file is still golden Keras output
        buf.write(f"\n<<KerasFileEditor raised {type(exc).__name__}: {exc}>>\n")
    finally:
        os.chdir(cwd)
    with open(out_txt, "w", encoding="utf-8") as f:
        f.write(buf.getvalue())


# ----------------------------------------------------------------------------------------------
# the models


def seeded(tag):
    """Fresh name counters (layer names start at `dense` again) and a per-model seed."""
    keras.backend.clear_session()
    keras.utils.set_random_seed(SEED + sum(map(ord, tag)))


def float_inputs(tag, *shape):
    return rng(tag).standard_normal(shape).astype("float32")


def mlp(name="seq_mlp"):
    seeded(name)
    return keras.Sequential(
        [
            keras.Input((8,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dropout(0.25),
            keras.layers.Dense(4),
        ],
        name=name,
    )


def model_seq_mlp():
    return mlp(), [float_inputs("seq_mlp", 2, 8)]


def model_func_two_inputs():
    seeded("func")
    a = keras.Input((6,), name="in_a")
    b = keras.Input((6,), name="in_b")
    shared = keras.layers.Dense(8, activation="tanh", name="shared")
    merged = keras.layers.Concatenate(name="concat")([shared(a), shared(b)])
    out = keras.layers.Dense(3, name="head")(merged)
    model = keras.Model([a, b], out, name="two_inputs_shared")
    return model, [float_inputs("func_a", 2, 6), float_inputs("func_b", 2, 6)]


def model_conv_bn():
    seeded("conv")
    model = keras.Sequential(
        [
            keras.Input((8, 8, 3)),
            keras.layers.Conv2D(4, 3, padding="same"),
            keras.layers.BatchNormalization(),
            keras.layers.ReLU(),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(2),
        ],
        name="conv_bn",
    )
    bn = model.layers[1]
    r = rng("bn")
    bn.moving_mean.assign(r.standard_normal(4).astype("float32") * 0.1)
    bn.moving_variance.assign(r.uniform(0.5, 1.5, 4).astype("float32"))
    return model, [float_inputs("conv", 2, 8, 8, 3)]


def model_lstm():
    seeded("lstm")
    model = keras.Sequential(
        [
            keras.Input((5,), dtype="int32"),
            keras.layers.Embedding(20, 8),
            keras.layers.LSTM(6),
            keras.layers.Dense(2),
        ],
        name="lstm_embedding",
    )
    return model, [rng("lstm").integers(0, 20, (2, 5)).astype("int32")]


def train(model, inputs, outputs, steps, tag):
    r = rng(tag)
    xs = [np.concatenate([x] * 4) for x in inputs]
    xs = [x + r.standard_normal(x.shape).astype(x.dtype) * 0.1 if x.dtype.kind == "f" else x for x in xs]
    y = r.standard_normal((xs[0].shape[0], outputs)).astype("float32")
    model.fit(xs if len(xs) > 1 else xs[0], y, batch_size=xs[0].shape[0] // steps, epochs=1, shuffle=False, verbose=0)


def model_adam():
    seeded("adam")
    model = keras.Sequential(
        [keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(4)],
        name="adam_trained",
    )
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mean_squared_error", metrics=["mae"])
    x = [float_inputs("adam", 2, 8)]
    train(model, x, 4, steps=4, tag="adam")
    return model, x


def model_nested():
    seeded("nested")
    inner_seq = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4, activation="relu")], name="inner_seq")
    fi = keras.Input((4,), name="inner_in")
    inner_func = keras.Model(fi, keras.layers.Dense(3, name="inner_dense")(fi), name="inner_func")
    inp = keras.Input((4,), name="outer_in")
    out = keras.layers.Dense(2, name="outer_dense")(inner_func(inner_seq(inp)))
    return keras.Model(inp, out, name="nested"), [float_inputs("nested", 2, 4)]


@contextlib.contextmanager
def global_policy(name):
    before = keras.config.dtype_policy()
    keras.config.set_dtype_policy(name)
    try:
        yield
    finally:
        keras.config.set_dtype_policy(before)


def model_mixed(policy, compiled):
    seeded(policy)
    with global_policy(policy):
        model = keras.Sequential(
            [
                keras.Input((4,)),
                keras.layers.Dense(8, activation="relu"),
                keras.layers.Dense(2),
                keras.layers.Activation("linear", dtype="float32"),
            ],
            name=policy,
        )
        x = [float_inputs(policy, 2, 4)]
        if compiled:
            model.compile(optimizer="adam", loss="mean_squared_error")
            train(model, x, 2, steps=2, tag=policy)
    return model, x


def model_vars(dtype):
    seeded(dtype)
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(8, activation="relu", dtype=dtype), keras.layers.Dense(2, dtype=dtype)],
        name=f"{dtype}_vars",
    )
    return model, [float_inputs(dtype, 2, 4)]


def model_deep300():
    seeded("deep300")
    # Orthogonal kernels keep 300 stacked linear maps from vanishing the signal (and gradients).
    layers = [keras.layers.Dense(2, kernel_initializer="orthogonal") for _ in range(300)]
    model = keras.Sequential([keras.Input((2,))] + layers, name="deep300")
    model.compile(optimizer="adam", loss="mean_squared_error")
    x = [float_inputs("deep300", 2, 2)]
    train(model, x, 2, steps=1, tag="deep300")
    return model, x


def model_legacy_mlp():
    seeded("legacy")
    model = keras.Sequential(
        [keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dropout(0.25), keras.layers.Dense(4)],
        name="legacy_mlp",
    )
    # "mse" would not reload from a legacy .h5 in 3.15.1 (FORMAT.md 7.1); the long name does.
    model.compile(optimizer="adam", loss="mean_squared_error", metrics=["mae"])
    x = [float_inputs("legacy", 2, 8)]
    train(model, x, 4, steps=2, tag="legacy")
    return model, x


def model_legacy_long_names():
    seeded("longnames")
    # 40 names of 1650 bytes: the numpy array of layer names has 66000 bytes > 64512, so the
    # legacy writer splits `layer_names` into `layer_names0`, `layer_names1` (FORMAT.md 7.1).
    # Weightless layers keep the file small (one group each, empty float64 `weight_names`).
    layers = [keras.layers.Activation("linear", name=f"layer_{i:02d}_" + "n" * 1641) for i in range(39)]
    layers.append(keras.layers.Dense(1, name="layer_39_" + "n" * 1641))
    model = keras.Sequential([keras.Input((1,))] + layers, name="long_names")
    return model, [float_inputs("longnames", 2, 1)]


def model_normalization():
    seeded("norm")
    norm = keras.layers.Normalization()
    norm.adapt(rng("norm-adapt").standard_normal((16, 3)).astype("float32") * 3 + 1)
    model = keras.Sequential([keras.Input((3,)), norm, keras.layers.Dense(2)], name="normalization")
    return model, [float_inputs("norm", 2, 3)]


def model_quantized():
    seeded("int8")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8), keras.layers.Dense(2)], name="quantized_int8")
    with warnings_silenced():
        model.quantize("int8")
    return model, [float_inputs("int8", 2, 4)]


def model_zero_features():
    seeded("zero")
    model = keras.Sequential([keras.Input((0,)), keras.layers.Dense(3, bias_initializer="ones")], name="zero_features")
    return model, [np.zeros((2, 0), "float32")]


def model_non_ascii():
    seeded("nonascii")
    inp = keras.Input((4,), name="entrée")
    x = keras.layers.Dense(3, activation="relu", name="dénse_é")(inp)
    x = keras.layers.Dense(2, name="層")(x)
    return keras.Model(inp, x, name="モデル"), [float_inputs("nonascii", 2, 4)]


def model_integer_lookup():
    """Needs TensorFlow (IndexLookup uses tf.lookup); only the `assets` part builds it."""
    seeded("lookup")
    lookup = keras.layers.IntegerLookup()
    lookup.adapt(np.array([7, 42, 42, 1000, 7, 7, 3], "int32"))
    inp = keras.Input((3,), dtype="int32", name="ids")
    x = keras.layers.Embedding(lookup.vocabulary_size(), 4)(lookup(inp))
    out = keras.layers.Dense(2)(keras.layers.GlobalAveragePooling1D()(x))
    return keras.Model(inp, out, name="integer_lookup"), [np.array([[7, 42, 5], [1000, 3, 7]], "int32")]


@contextlib.contextmanager
def warnings_silenced():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


# ----------------------------------------------------------------------------------------------
# corpus assembly


class Corpus:
    def __init__(self, out):
        self.out = out
        self.manifest_files = {}
        self.models = {}

    def rel(self, path):
        return os.path.relpath(path, self.out).replace(os.sep, "/")

    def record(self, path, kind, description, **extra):
        rel = self.rel(path)
        entry = {"path": rel, "kind": kind, "description": description}
        entry.update(extra)
        self.manifest_files[rel] = entry

    def save_io(self, stem, model, inputs, description):
        io_dir = os.path.join(self.out, "io")
        os.makedirs(io_dir, exist_ok=True)
        names = []
        for i, x in enumerate(inputs):
            name = f"{stem}.inputs.npy" if len(inputs) == 1 else f"{stem}.inputs_{i}.npy"
            np.save(os.path.join(io_dir, name), x, allow_pickle=False)
            self.record(os.path.join(io_dir, name), "npy", f"input {i} ({x.dtype}, {list(x.shape)}) of model {stem}")
            names.append(f"io/{name}")
        y = model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
        cast = None
        if y.dtype == ml_dtypes.bfloat16:
            cast = "bfloat16->float32"
            y = y.astype(np.float32)
        out_name = f"{stem}.outputs.npy"
        np.save(os.path.join(io_dir, out_name), y, allow_pickle=False)
        self.record(os.path.join(io_dir, out_name), "npy", f"Keras predict output ({y.dtype}, {list(y.shape)}) of model {stem}")
        self.models[stem] = {
            "description": description,
            "inputs": names,
            "outputs": f"io/{out_name}",
            "outputs_cast": cast,
            "files": [],
        }
        return y

    def reload_check(self, loader, inputs, expected):
        try:
            with warnings_silenced():
                model = loader()
                y = model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
            y = np.asarray(y).astype(np.float64)
            diff = float(np.max(np.abs(y - expected.astype(np.float64)))) if y.size else 0.0
            return {"ok": True, "max_abs_diff": diff}
        except Exception as exc:
            return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:2000]}

    def expected_path(self, rel):
        return os.path.join(self.out, "expected", rel.replace("/", "__"))

    def write_expected(self, path, kind, facts):
        rel = self.rel(path)
        body = {"schema": SCHEMA, "file": rel, "kind": kind}
        if os.path.isfile(path):
            body["size"] = os.path.getsize(path)
            body["sha256"] = sha256_file(path)
        body.update(facts)
        out = self.expected_path(rel) + ".json"
        write_json(out, body)
        self.record(out, "expected", f"facts about {rel} from zipfile/h5py/json/keras")
        return out

    def with_editor(self, path, facts):
        rel = self.rel(path)
        txt = self.expected_path(rel) + ".editor_summary.txt"
        editor_summary(path, txt)
        self.record(txt, "expected", f"KerasFileEditor constructor + summary() stdout for {rel}")
        facts["editor_summary_file"] = self.rel(txt)

    # --- per file kind

    def keras_archive(self, stem, model, inputs, y, description, name=None):
        path = os.path.join(self.out, name or f"{stem}.keras")
        model.save(path)
        facts = {"zip": zip_facts(path), "members": []}
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                data = zf.read(info)
                facts["members"].append(member_facts(info.filename, data))
                if info.filename.endswith(".h5"):
                    facts.setdefault("hdf5", {})[info.filename] = hdf5_facts(data)
                if info.filename == "config.json":
                    facts["config_layers"] = config_layers(json.loads(data))
                if info.filename == "metadata.json":
                    facts["metadata"] = json.loads(data)
        facts["keras_reload"] = self.reload_check(lambda: keras.saving.load_model(path), inputs, y)
        self.with_editor(path, facts)
        self.write_expected(path, "keras-archive", facts)
        self.record(path, "keras-archive", description, model=stem)
        self.models[stem]["files"].append(self.rel(path))

    def folder(self, stem, model, inputs, y, description, name):
        path = os.path.join(self.out, name)
        keras.saving.save_model(model, os.path.abspath(path), zipped=False)
        # Keras leaves an empty assets/ directory; git cannot store one, so the corpus drops it
        # here and says so, keeping the files on disk equal to the files in the repository.
        removed = []
        for root, dirs, files in os.walk(path, topdown=False):
            if root != path and not os.listdir(root):
                os.rmdir(root)
                removed.append(os.path.relpath(root, path).replace(os.sep, "/") + "/")
        facts = {"empty_directories_removed": sorted(removed), "members": []}
        for root, dirs, files in os.walk(path):
            dirs.sort()
            for fn in sorted(files):
                full = os.path.join(root, fn)
                mrel = os.path.relpath(full, path).replace(os.sep, "/")
                with open(full, "rb") as f:
                    data = f.read()
                facts["members"].append(member_facts(mrel, data))
                if fn.endswith(".h5"):
                    facts.setdefault("hdf5", {})[mrel] = hdf5_facts(full)
                if fn == "config.json":
                    facts["config_layers"] = config_layers(json.loads(data))
                if fn == "metadata.json":
                    facts["metadata"] = json.loads(data)
                self.record(full, "folder", f"{mrel} of the unzipped model directory {name}/", model=stem, folder=f"{name}/")
        facts["keras_reload"] = self.reload_check(lambda: keras.saving.load_model(os.path.abspath(path)), inputs, y)
        self.write_expected(path, "folder", facts)
        self.models[stem]["files"].append(self.rel(path) + "/")

    def legacy_h5(self, stem, model, inputs, y, description, name=None):
        path = os.path.join(self.out, name or f"{stem}.h5")
        with warnings_silenced():
            model.save(path)
        facts = {"hdf5": {"": hdf5_facts(path)}}
        with h5py.File(path, "r") as f:
            cfg = f.attrs["model_config"]
            cfg = cfg.decode() if isinstance(cfg, bytes) else cfg
            facts["config_layers"] = config_layers(json.loads(cfg))
        facts["keras_reload"] = self.reload_check(lambda: keras.saving.load_model(path), inputs, y)
        self.write_expected(path, "legacy-h5", facts)
        self.record(path, "legacy-h5", description, model=stem)
        self.models[stem]["files"].append(self.rel(path))

    def weights_h5(self, stem, model, inputs, y, description, name=None):
        path = os.path.join(self.out, name or f"{stem}.weights.h5")
        model.save_weights(path)
        facts = {"hdf5": {"": hdf5_facts(path)}}

        def load():
            clone = keras.models.clone_model(model)
            clone.load_weights(path)
            return clone

        facts["keras_reload"] = self.reload_check(load, inputs, y)
        facts["keras_reload"]["how"] = "keras.models.clone_model(model).load_weights(file)"
        self.with_editor(path, facts)
        self.write_expected(path, "weights-h5", facts)
        self.record(path, "weights-h5", description, model=stem)
        self.models[stem]["files"].append(self.rel(path))

    def sharded(self, stem, model, inputs, y, description):
        folder = os.path.join(self.out, "sharded")
        os.makedirs(folder)
        index = os.path.join(folder, "sh.weights.json")
        model.save_weights(index, max_shard_size=SHARD_GB)
        with open(index, encoding="utf-8") as f:
            parsed = json.load(f)
        shards = sorted(fn for fn in os.listdir(folder) if fn != "sh.weights.json")
        assert len(shards) >= 3, f"only {len(shards)} shards"
        for shard in shards:
            spath = os.path.join(folder, shard)
            sfacts = {"hdf5": {"": hdf5_facts(spath)}, "index": self.rel(index)}
            self.with_editor(spath, sfacts)
            self.write_expected(spath, "shard", sfacts)
            self.record(spath, "shard", f"shard of sharded/sh.weights.json ({description})", model=stem)

        def load():
            clone = keras.models.clone_model(model)
            clone.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mean_squared_error", metrics=["mae"])
            clone.optimizer.build(clone.trainable_variables)
            clone.load_weights(index)
            return clone

        facts = {
            "index_parsed": parsed,
            "max_shard_size_gb": SHARD_GB,
            "max_shard_size_bytes": SHARD_GB * 1024**3,
            "shards": [f"sharded/{s}" for s in shards],
            "keras_reload": self.reload_check(load, inputs, y),
        }
        facts["keras_reload"]["how"] = "clone_model + compile(Adam) + optimizer.build + load_weights(index)"
        self.write_expected(index, "sharded-index", facts)
        self.record(index, "sharded-index", f"sharded save_weights index, {len(shards)} shards of <= 1 KiB ({description})", model=stem)
        self.models[stem]["files"].append(self.rel(index))


def build(out, part):
    """Write the models of `part` ("main" or "assets") into `out`; return the Corpus record."""
    if part == "main":
        if os.path.exists(out):
            shutil.rmtree(out)
        os.makedirs(os.path.join(out, "expected"))
    c = Corpus(out)

    def add(stem, factory, description, *savers):
        started = time.monotonic()
        model, inputs = factory()
        y = c.save_io(stem, model, inputs, description)
        for saver in savers:
            saver(c, stem, model, inputs, y)
        print(f"[make_golden] {stem}: {time.monotonic() - started:.1f} s", flush=True)

    def keras_file(description, name=None):
        return lambda c, s, m, x, y: c.keras_archive(s, m, x, y, description, name)

    def h5_file(description, name=None):
        return lambda c, s, m, x, y: c.legacy_h5(s, m, x, y, description, name)

    def weights_file(description, name=None):
        return lambda c, s, m, x, y: c.weights_h5(s, m, x, y, description, name)

    if part == "assets":
        add("integer_lookup", model_integer_lookup, "adapted IntegerLookup + Embedding + GAP + Dense; vocabulary saved as an asset",
            keras_file("assets/layers/integer_lookup/vocabulary.txt member (written by a TensorFlow-equipped producer)"),
            lambda c, s, m, x, y: c.folder(s, m, x, y, "unzipped save_model with an assets/ directory", "folder_assets"))
        return c

    add("seq_mlp", model_seq_mlp, "Sequential MLP Dense(16,relu)-Dropout-Dense(4), uncompiled",
        keras_file("Sequential MLP (.keras)"),
        weights_file("save_weights of the Sequential MLP"),
        lambda c, s, m, x, y: c.folder(s, m, x, y, "unzipped save_model of the Sequential MLP", "folder_model"))
    add("func_two_inputs", model_func_two_inputs, "Functional, two inputs through one shared Dense, Concatenate, Dense(3)",
        keras_file("Functional model, two inputs, shared layer"))
    add("conv_bn", model_conv_bn, "Conv2D + BatchNormalization (non-trivial moving stats) + ReLU + GAP + Dense",
        keras_file("Conv2D + BatchNormalization"))
    add("lstm_embedding", model_lstm, "Embedding(20,8) + LSTM(6) + Dense(2), int32 inputs",
        keras_file("Embedding + LSTM"))
    add("adam_trained", model_adam, "MLP compiled with Adam + mean_squared_error + mae, fitted 4 steps",
        keras_file("compiled with Adam after 4 training steps: optimizer state saved"),
        lambda c, s, m, x, y: c.sharded(s, m, x, y, "adam_trained model + optimizer"))
    add("nested", model_nested, "Functional containing a Sequential and a Functional (FORMAT.md 2.7)",
        keras_file("nested sub-models"))
    add("mixed_float16", lambda: model_mixed("mixed_float16", True),
        "mixed_float16 policy, compiled Adam (LossScaleOptimizer), fitted 2 steps",
        keras_file("mixed_float16 policy model with LossScaleOptimizer state"))
    add("mixed_bfloat16", lambda: model_mixed("mixed_bfloat16", False), "mixed_bfloat16 policy, uncompiled",
        keras_file("mixed_bfloat16 policy model"))
    add("float16_vars", lambda: model_vars("float16"), "Dense layers with dtype=float16: float16 variables",
        keras_file("float16 variables (float16 datasets)"),
        weights_file("float16 variables as .weights.h5"))
    add("bfloat16_vars", lambda: model_vars("bfloat16"), "Dense layers with dtype=bfloat16: bfloat16 variables",
        keras_file("bfloat16 variables (OPAQUE datasets with dtype attribute)"),
        weights_file("bfloat16 variables as .weights.h5"))
    add("deep300", model_deep300, "Sequential of 300 Dense(2), compiled Adam, fitted 1 step",
        keras_file("300 layers; optimizer/vars has 1202 datasets (multi-level B-trees)"))
    add("legacy_mlp", model_legacy_mlp, "MLP compiled Adam + mean_squared_error + mae, fitted 2 steps",
        h5_file("legacy .h5 full model with training_config and optimizer_weights"))
    add("legacy_long_names", model_legacy_long_names, "39 Activation + 1 Dense(1) layers with 1650-character names, uncompiled",
        h5_file("legacy .h5 whose model_weights layer_names attribute is chunked (layer_names0..1)"))
    add("normalization", model_normalization, "adapted Normalization (int32 scalar `count` variable) + Dense",
        keras_file("int32 variable (Normalization.count)"))
    add("quantized_int8", model_quantized, "Dense layers quantized with model.quantize('int8')",
        keras_file("int8 variables (quantized kernels) + QuantizedDTypePolicy config"))
    add("zero_features", model_zero_features, "Input((0,)) + Dense(3): zero-size (0,3) kernel",
        keras_file("zero-size variable (kernel shape (0, 3))"))
    add("non_ascii", model_non_ascii, "Functional with names entrée / dénse_é / 層 / モデル",
        keras_file("non-ASCII layer names (\\u escapes in config.json)"))
    return c


def producer_block():
    block = {
        "python": platform.python_version(),
        "keras": keras.__version__,
        "jax": jax.__version__,
        "jaxlib": jaxlib.__version__,
        "h5py": h5py.__version__,
        "hdf5": h5py.version.hdf5_version,
        "numpy": np.__version__,
        "ml_dtypes": ml_dtypes.__version__,
        "backend": keras.backend.backend(),
        "platform": platform.platform(),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "seed": SEED,
        "script": "scripts/corpus/make_golden.py",
    }
    try:
        block["tensorflow_cpu"] = importlib.metadata.version("tensorflow-cpu")
    except importlib.metadata.PackageNotFoundError:
        pass
    return block


ASSETS_FRAGMENT = ".assets-part.json"


def run_assets_part(python, out):
    """Build the assets models with another interpreter (one that has TensorFlow) into `out`."""
    print(f"[make_golden] assets part with {python}", flush=True)
    subprocess.run([python, os.path.abspath(__file__), "--part", "assets", "--out", out], check=True)
    path = os.path.join(out, ASSETS_FRAGMENT)
    with open(path, encoding="utf-8") as f:
        fragment = json.load(f)
    os.remove(path)
    return fragment


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(here, "..", "..", "Corpus", "golden"))
    parser.add_argument("--part", choices=("main", "assets"), default="main",
                        help="assets: only the TensorFlow-dependent models, into an existing --out (internal)")
    parser.add_argument("--assets-python", metavar="PYTHON",
                        help="interpreter with requirements-assets.txt installed; without it the assets models are skipped")
    args = parser.parse_args(argv)
    out = os.path.abspath(args.out)
    corpus = build(out, args.part)
    if args.part == "assets":
        fragment = {"producer": producer_block(), "manifest_files": corpus.manifest_files, "models": corpus.models}
        write_json(os.path.join(out, ASSETS_FRAGMENT), fragment)
        return 0

    producer_assets = None
    if args.assets_python:
        fragment = run_assets_part(args.assets_python, out)
        producer_assets = fragment["producer"]
        for entry in fragment["manifest_files"].values():
            entry["producer"] = "producer_assets"
        corpus.manifest_files.update(fragment["manifest_files"])
        for model in fragment["models"].values():
            model["producer"] = "producer_assets"
        corpus.models.update(fragment["models"])
    else:
        print("[make_golden] no --assets-python: the TensorFlow-dependent assets models are skipped")

    files = []
    for rel in sorted(corpus.manifest_files):
        entry = corpus.manifest_files[rel]
        full = os.path.join(out, rel)
        files.append({"path": rel, "sha256": sha256_file(full), "size": os.path.getsize(full), **{k: v for k, v in entry.items() if k != "path"}})
    on_disk = set()
    for root, _, names in os.walk(out):
        for fn in names:
            on_disk.add(os.path.relpath(os.path.join(root, fn), out).replace(os.sep, "/"))
    unlisted = sorted(on_disk - set(corpus.manifest_files))
    assert not unlisted, f"files written but not in the manifest: {unlisted}"
    manifest = {
        "schema": SCHEMA,
        "producer": producer_block(),
        "producer_assets": producer_assets,
        "io_dir": "io/",
        "expected_dir": "expected/ (file name = corpus path with '/' replaced by '__', plus .json / .editor_summary.txt)",
        "models": corpus.models,
        "files": files,
    }
    write_json(os.path.join(out, "MANIFEST.json"), manifest)
    total = sum(os.path.getsize(os.path.join(out, p)) for p in on_disk) + os.path.getsize(os.path.join(out, "MANIFEST.json"))
    failed = [f["path"] for f in files if f["kind"] == "expected" and f["path"].endswith(".json")
              and not json.load(open(os.path.join(out, f["path"]), encoding="utf-8")).get("keras_reload", {"ok": True})["ok"]]
    print(f"[make_golden] {len(files) + 1} files, total {total} bytes ({total / 1024 / 1024:.2f} MiB) in {out}")
    if failed:
        print(f"[make_golden] Keras could not reload: {failed}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

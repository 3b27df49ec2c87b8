#!/usr/bin/env python3
"""Writes the HDF5 reader's fixtures and, for each, the expected view as h5py reads it.

Run from anywhere with h5py 3.16.0 (HDF5 2.0.0) and numpy 2.x:
    /work/venv/bin/python Tests/KerasHDF5Tests/Fixtures/make_fixtures.py
Each `reader_<name>.h5` gets `reader_<name>.json`: every node in h5py's iteration order with its
kind, shape, dtype, attributes and the sha256 of the dataset's bytes in C order. `reader_error`
names the error code the pure-Swift reader is expected to give for a dataset's values, where it
deliberately does not read them (external and virtual storage, unimplemented chunk indexes).
"""
import hashlib
import json
import os
import sys

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
PRODUCER = {"h5py": h5py.__version__, "hdf5": h5py.version.hdf5_version, "numpy": np.__version__}


def keras_profile(f, legacy_extras=True):
    """What Keras 3 writes: vars groups with a name attribute, datasets "0", "1", ... of each dtype."""
    f.attrs["name"] = "functional"
    layers = f.create_group("layers")
    dense = layers.create_group("dense").create_group("vars")
    dense.attrs["name"] = "dense"
    dense.create_dataset("0", data=np.arange(12, dtype=np.float32).reshape(3, 4) / 7)
    dense.create_dataset("1", data=np.linspace(-1, 1, 4, dtype=np.float32))
    dtypes = layers.create_group("dtypes").create_group("vars")
    dtypes.attrs["name"] = "dtypes"
    names = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
    for index, name in enumerate(names):
        values = (np.arange(6) * (1 if name.startswith("u") else -1) + 3).astype(name).reshape(2, 3)
        dtypes.create_dataset(str(index), data=values)
    dtypes.create_dataset("11", data=np.array([True, False, True]))
    bf16 = dtypes.create_dataset("12", data=np.array([0x3F80, 0x4000, 0xC040], dtype="<u2").view("V2"))
    bf16.attrs["dtype"] = "bfloat16"
    dtypes.create_dataset("13", data=np.array([1 + 2j, -3.5 + 0.25j], dtype=np.complex64))
    dtypes.create_dataset("14", data=np.array([1 + 2j], dtype=np.complex128))
    scalars = layers.create_group("scalars").create_group("vars")
    scalars.attrs["name"] = "scalars"
    scalars.create_dataset("0", data=np.int32(7))
    scalars.create_dataset("1", data=np.float32(0.001))
    scalars.create_dataset("2", data=np.zeros((0,), dtype=np.float32))
    scalars.create_dataset("3", data=np.zeros((3, 0, 2), dtype=np.float64))
    empty = layers.create_group("dropout").create_group("vars")
    empty.attrs["name"] = "dropout"
    f.create_group("vars").attrs["name"] = "functional"
    if legacy_extras:
        # Legacy .h5 attributes: vlen ASCII and UTF-8 arrays, fixed-length NULLPAD chunks, an empty float64 array.
        f.attrs["keras_version"] = b"3.15.1"
        f.attrs["model_config"] = '{"class_name": "Functional", "config": {"name": "f\u00fcnctional"}}'
        f.attrs.create("layer_names", [b"dense", b"dtypes", b"scalars"], dtype=h5py.string_dtype("ascii"))
        f.attrs.create("utf8_names", ["\u00e4", "b", ""], dtype=h5py.string_dtype("utf-8"))
        f.attrs["layer_names0"] = np.array([b"dense", b"dropout_1"], dtype="S9")
        f.attrs["weight_names"] = np.asarray([])
        f.attrs["ints"] = np.array([[1, -2], [3, -4]], dtype=np.int16)
        f.attrs["uints"] = np.array([7, 8], dtype=np.uint64)
        f.attrs["half"] = np.array([0.5, -2.0], dtype=np.float16)
        f.attrs["flag"] = np.bool_(True)


def many_links(f):
    """A group of 600 hard links to one dataset: a multi-level group index, and aliasing."""
    target = f.create_dataset("target", data=np.arange(3, dtype=np.int8))
    many = f.create_group("many")
    for index in range(600):
        many[f"link{index:04d}"] = target


def track_order(f):
    group = f.create_group("ordered", track_order=True)
    for name in ["zeta", "alpha", "mid", "10", "9"]:
        group.create_dataset(name, data=np.array([len(name)], dtype=np.int32))
    group.attrs["z"] = 1
    group.attrs["a"] = 2
    sub = group.create_group("sub", track_order=True)
    sub.attrs["name"] = "sub"
    for index in range(12):
        sub.attrs[f"attr{11 - index}"] = index


def chunked(f, latest):
    data = (np.arange(20 * 30, dtype=np.float32).reshape(20, 30) * 0.5).astype(np.float32)
    f.create_dataset("gz", data=data, chunks=(7, 11), compression="gzip", shuffle=True, fletcher32=True)
    f.create_dataset("plain", data=data.astype(np.int16), chunks=(8, 8))
    f.create_dataset("many", data=np.arange(100, dtype=np.int16), chunks=(1,))
    sparse = f.create_dataset("sparse", shape=(10, 10), dtype=np.float32, chunks=(5, 5), fillvalue=7.0)
    sparse[0:5, 5:10] = np.ones((5, 5), dtype=np.float32)
    f.create_dataset("one", data=np.arange(6, dtype=np.float64).reshape(2, 3), chunks=(2, 3))
    f.create_dataset("one_gz", data=np.arange(6, dtype=np.float64).reshape(2, 3), chunks=(2, 3), compression="gzip")
    f.create_dataset("edge_only", data=np.arange(5, dtype=np.uint8), chunks=(4,), compression="gzip", shuffle=True)
    if latest:
        f.create_dataset("paged", data=(np.arange(1100) % 128).astype(np.int8), chunks=(1,))
        f.create_dataset("unwritten", shape=(6,), dtype=np.int32, chunks=(2,), fillvalue=-1)
        f.create_dataset("extensible", data=np.arange(10, dtype=np.int32), chunks=(4,), maxshape=(None,))
        f.create_dataset("btree2", data=np.arange(16, dtype=np.int32).reshape(4, 4), chunks=(2, 2), maxshape=(None, None))
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_obj_track_times(False)
        dcpl.set_chunk((5,))
        dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)
        space = h5py.h5s.create_simple((12,))
        dsid = h5py.h5d.create(f.id, b"implicit", h5py.h5t.STD_I32LE, space, dcpl=dcpl)
        dsid.write(h5py.h5s.ALL, h5py.h5s.ALL, np.arange(12, dtype="<i4"))
        dsid.close()


def links(f):
    f.create_dataset("data", data=np.arange(4, dtype=np.float32))
    f["soft"] = h5py.SoftLink("/data")
    f["dangling"] = h5py.SoftLink("/nowhere")
    f["ext"] = h5py.ExternalLink("other.h5", "/weights")
    group = f.create_group("group")
    group["alias"] = f["data"]
    group["soft_in_group"] = h5py.SoftLink("../data")


def storage(f, latest):
    f.create_dataset("external", shape=(4,), dtype=np.float32, external=[("raw.bin", 0, 16)])
    layout = h5py.VirtualLayout(shape=(4,), dtype=np.float32)
    layout[:] = h5py.VirtualSource("source.h5", "/x", shape=(4,))
    f.create_virtual_dataset("virtual", layout)
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_obj_track_times(False)
    dcpl.set_layout(h5py.h5d.COMPACT)
    space = h5py.h5s.create_simple((2, 3))
    dsid = h5py.h5d.create(f.id, b"compact", h5py.h5t.IEEE_F32LE, space, dcpl=dcpl)
    dsid.write(h5py.h5s.ALL, h5py.h5s.ALL, np.arange(6, dtype="<f4").reshape(2, 3))
    dsid.close()
    f.create_dataset("fill", shape=(3,), dtype=np.float64, fillvalue=3.5)
    f.create_dataset("big_endian", data=np.array([1.5, -2.0], dtype=">f4"))
    f.create_dataset("big_int", data=np.array([[1, -2]], dtype=">i2"))
    f.create_dataset("fixed_strings", data=np.array([b"ab", b"cde"], dtype="S4"))
    f.create_dataset("vlen_strings", data=["x", "yz"], dtype=h5py.string_dtype())
    f.create_dataset("array_type", data=np.zeros((2,), dtype=np.dtype("(2,3)f4")) + 1)
    f.create_dataset("colors", data=np.array([0, 1, 1], dtype=np.int8),
                     dtype=h5py.enum_dtype({"RED": 0, "GREEN": 1}, basetype="i1"))
    f.create_dataset("null", dtype=np.float32, data=h5py.Empty(np.float32))
    f["named_type"] = np.dtype("<f4")
    f.create_dataset("typed", data=np.array([1, 2], dtype="<f4"), dtype=f["named_type"])
    group = f.create_group("attrs")
    group.attrs["empty"] = h5py.Empty(np.float32)
    for index in range(20):
        group.attrs[f"a{index:02d}"] = np.float64(index) / 4
    group.attrs["big"] = np.array([1, 2, 3], dtype=">i4")
    group.attrs["fixed"] = np.bytes_(b"pad\x00\x00")
    group.attrs["space_padded"] = np.array([b"ab  "], dtype="S4")
    group.attrs.create("committed", data=np.array([0.5], dtype="<f4"), dtype=f["named_type"])


def small_file(f):
    """Chunks, groups and attributes without variable-length data (which needs 8-byte addresses here)."""
    f.create_dataset("c", data=np.arange(300, dtype=np.int16), chunks=(2,), compression="gzip")
    group = f.create_group("g")
    group.attrs["name"] = np.bytes_(b"g")
    group.attrs["values"] = np.arange(3, dtype=np.int64)
    group.create_dataset("d", data=np.arange(6, dtype=np.float64).reshape(2, 3))


def write_low_level(name, build, fcpl, fapl=None):
    """Like write(), for files that need a file creation property list."""
    path = os.path.join(HERE, f"reader_{name}.h5")
    fid = h5py.h5f.create(path.encode(), h5py.h5f.ACC_TRUNC, fcpl=fcpl, fapl=fapl)
    with h5py.File(fid) as f:
        build(f)
    with h5py.File(path, "r") as f:
        nodes = describe(f, {})
    expected = {"producer": PRODUCER, "file": os.path.basename(path), "options": {}, "nodes": nodes}
    with open(os.path.join(HERE, f"reader_{name}.json"), "w") as out:
        json.dump(expected, out, indent=1, sort_keys=True)
        out.write("\n")
    print(f"{path}: {os.path.getsize(path)} bytes, {len(nodes)} nodes")


def describe_dtype(dtype):
    string = h5py.check_string_dtype(dtype)
    if string is not None:
        encoding = "utf8" if string.encoding == "utf-8" else "ascii"
        return f"vlen-{encoding}" if string.length is None else f"|S{string.length}"
    if h5py.check_enum_dtype(dtype) is not None and dtype.kind != "b":
        return "enum" + dtype.base.str
    if h5py.check_vlen_dtype(dtype) is not None:
        return "vlen-sequence"
    if dtype.subdtype is not None:
        base, shape = dtype.subdtype
        return f"array{list(shape)}{base.str}"
    return dtype.str


def describe_value(value, dtype):
    if isinstance(value, h5py.Empty):
        return {"kind": "raw", "value": []}
    array = np.asarray(value)
    if dtype.kind in "OSU" or isinstance(value, (str, bytes)):
        items = [x.decode("utf-8") if isinstance(x, bytes) else str(x) for x in array.reshape(-1).tolist()]
        return {"kind": "strings", "value": items}
    if dtype.kind == "b" or h5py.check_enum_dtype(dtype) is not None:
        return {"kind": "integers", "value": [int(x) for x in array.reshape(-1).astype(np.int64)]}
    if dtype.kind == "i":
        return {"kind": "integers", "value": [int(x) for x in array.reshape(-1)]}
    if dtype.kind == "u":
        return {"kind": "unsigned", "value": [int(x) for x in array.reshape(-1)]}
    if dtype.kind == "f":
        return {"kind": "floats", "value": [float(x) for x in array.reshape(-1)]}
    return {"kind": "raw", "value": list(array.tobytes())}


def describe_attributes(obj):
    result = []
    for name in obj.attrs:
        attribute = obj.attrs.get_id(name)
        value = obj.attrs[name]
        shape = None if attribute.shape is None else list(attribute.shape)
        entry = {"name": name, "dtype": describe_dtype(attribute.dtype), "shape": shape}
        entry.update(describe_value(value, attribute.dtype))
        result.append(entry)
    return result


def describe(f, errors):
    nodes = []

    def visit(group, path):
        nodes.append({"path": path, "kind": "group", "attributes": describe_attributes(group)})
        for name in group:
            child = f"{path.rstrip('/')}/{name}"
            link = group.get(name, getlink=True)
            if isinstance(link, h5py.SoftLink):
                nodes.append({"path": child, "kind": "soft", "target": link.path})
                continue
            if isinstance(link, h5py.ExternalLink):
                nodes.append({"path": child, "kind": "external", "file": link.filename, "target": link.path})
                continue
            obj = group[name]
            if isinstance(obj, h5py.Group):
                visit(obj, child)
            elif isinstance(obj, h5py.Datatype):
                nodes.append({"path": child, "kind": "datatype", "dtype": describe_dtype(obj.dtype),
                              "attributes": describe_attributes(obj)})
            else:
                node = {"path": child, "kind": "dataset", "dtype": describe_dtype(obj.dtype),
                        "shape": None if obj.shape is None else list(obj.shape),
                        "attributes": describe_attributes(obj), "address": h5py.h5o.get_info(obj.id).addr,
                        "storage_size": obj.id.get_storage_size()}
                if child in errors:
                    node["reader_error"] = errors[child]
                elif obj.shape is not None and h5py.check_string_dtype(obj.dtype) is None \
                        and h5py.check_vlen_dtype(obj.dtype) is None:
                    node["sha256"] = hashlib.sha256(np.ascontiguousarray(obj[()]).tobytes()).hexdigest()
                nodes.append(node)

    visit(f, "/")
    return nodes


def write(name, build, errors=None, **options):
    path = os.path.join(HERE, f"reader_{name}.h5")
    with h5py.File(path, "w", **options) as f:
        build(f)
    with h5py.File(path, "r") as f:
        nodes = describe(f, errors or {})
    expected = {"producer": PRODUCER, "file": os.path.basename(path), "options": {k: str(v) for k, v in options.items()},
                "nodes": nodes}
    with open(os.path.join(HERE, f"reader_{name}.json"), "w") as out:
        json.dump(expected, out, indent=1, sort_keys=True)
        out.write("\n")
    print(f"{path}: {os.path.getsize(path)} bytes, {len(nodes)} nodes")


def main():
    write("keras_earliest", keras_profile)
    write("keras_latest", keras_profile, libver="latest")
    write("many_links_earliest", many_links)
    write("many_links_latest", many_links, libver="latest")
    write("track_order", track_order)
    write("chunked_earliest", lambda f: chunked(f, False))
    write("chunked_latest", lambda f: chunked(f, True), libver="latest",
          errors={"/extensible": "chunkIndexUnsupported", "/btree2": "chunkIndexUnsupported"})
    write("links", links)
    storage_errors = {"/external": "externalStorageNotRead", "/virtual": "virtualDatasetNotRead"}
    write("storage_earliest", lambda f: storage(f, False), errors=storage_errors)
    write("storage_latest", lambda f: storage(f, True), errors=storage_errors, libver="latest")
    write("userblock", lambda f: keras_profile(f, legacy_extras=False), userblock_size=512)
    fcpl = h5py.h5p.create(h5py.h5p.FILE_CREATE)
    fcpl.set_sizes(4, 4)
    write_low_level("small_sizes", small_file, fcpl)
    fcpl = h5py.h5p.create(h5py.h5p.FILE_CREATE)
    fcpl.set_file_space_strategy(h5py.h5f.FSPACE_STRATEGY_PAGE, True, 1)
    fapl = h5py.h5p.create(h5py.h5p.FILE_ACCESS)
    fapl.set_libver_bounds(h5py.h5f.LIBVER_LATEST, h5py.h5f.LIBVER_LATEST)
    write_low_level("superblock_extension", small_file, fcpl, fapl)


if __name__ == "__main__":
    sys.exit(main())

"""Writes h5py_writer_reference.h5: the logical content HDF5WriterTests builds with HDF5Writer
(`HDF5WriterProfile` in HDF5WriterTests.swift), written the way Keras writes it through h5py.

Producer versions pinned for the committed file: h5py 3.16.0, HDF5 2.0.0, numpy 2.4.6,
ml_dtypes 0.6.0 (Python 3.11). Run from this folder:
    /work/venv/bin/python h5py_writer_reference.py
Keep this script and HDF5WriterProfile in step: HDF5WriterTests compares the two files node by node.
"""
import sys

import h5py
import ml_dtypes
import numpy as np

DTYPES = [
    "float16", "float32", "float64", "bfloat16",
    "int8", "int16", "int32", "int64",
    "uint8", "uint16", "uint32", "uint64",
    "bool", "complex64", "complex128",
]
OPTIMIZER_VARIABLES = 600


def values(dtype, shape):
    """Element k (C order) of every test array, as HDF5WriterProfile.values computes it."""
    n = int(np.prod(shape, dtype=np.int64))
    k = np.arange(n, dtype=np.int64)
    if dtype in ("float16", "float32", "float64"):
        out = (k * 0.5 - 1.0).astype(dtype)
    elif dtype == "bfloat16":
        out = (k * 0.5 - 1.0).astype(np.float32).astype(ml_dtypes.bfloat16)
    elif dtype.startswith("int"):
        out = (k - 2).astype(dtype)
    elif dtype.startswith("uint"):
        out = (k.astype(np.uint64) * np.uint64(37) + np.uint64(200)).astype(dtype)
    elif dtype == "bool":
        out = (k % 2) == 1
    else:
        out = (k * 0.5 - 1j * k).astype(dtype)
    return out.reshape(shape)


def dataset(group, name, dtype, shape):
    """What Keras' H5IOStore.__setitem__ does (saving_lib.py 1452-1475)."""
    ds = group.create_dataset(name, data=values(dtype, shape))
    if dtype == "bfloat16":
        ds.attrs["dtype"] = "bfloat16"


def main(path):
    with h5py.File(path, "w") as f:
        # Legacy root attributes (legacy_h5_format.py): bytes -> vlen ASCII, lists -> vlen arrays,
        # chunked name lists -> numpy S arrays (fixed-length ASCII NULLPAD).
        f.attrs["keras_version"] = b"3.15.1"
        f.attrs["backend"] = b"jax"
        f.attrs["model_config"] = b'{"class_name": "Sequential", "config": {"name": "seq"}}'
        f.attrs["layer_names"] = [b"dense", b"dropout", b"dense_1"]
        f.attrs["layer_names0"] = np.array([b"dense", b"dropout"])
        f.attrs["layer_names1"] = np.array([b"dense_1"])
        f.attrs["title"] = "na\u00efve \u2603"
        mw = f.create_group("model_weights")
        mw.attrs["layer_names"] = [b"dense", b"dropout"]
        dense = mw.create_group("dense")
        dense.attrs["weight_names"] = [b"dense/kernel", b"dense/bias"]
        dataset(dense, "dense/kernel", "float32", (3, 4))
        dataset(dense, "dense/bias", "float32", (4,))
        mw.create_group("dropout").attrs["weight_names"] = np.asarray([])

        # Keras 3 weights layout (saving_lib.py): vars groups with a `name` attribute.
        f.create_group("vars").attrs["name"] = "seq"
        vars_ = f.create_group("layers/dense/vars")
        vars_.attrs["name"] = "dense"
        dataset(vars_, "0", "float32", (3, 4))
        dataset(vars_, "1", "float32", (4,))
        f.create_group("layers/dropout/vars").attrs["name"] = "dropout"
        vars_ = f.create_group("layers/dtypes/vars")
        vars_.attrs["name"] = "dtypes"
        for dtype in DTYPES:
            dataset(vars_, dtype, dtype, (2, 3))
            dataset(vars_, dtype + "_scalar", dtype, ())
            dataset(vars_, dtype + "_empty", dtype, (0,))
        dataset(vars_, "float32_empty_2d", "float32", (3, 0))
        vars_ = f.create_group("optimizer/vars")
        vars_.attrs["name"] = "adam"
        dataset(vars_, "0", "int64", ())
        for index in range(1, OPTIMIZER_VARIABLES):
            dataset(vars_, str(index), "float32", (2,))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "h5py_writer_reference.h5")

"""Writes oracle_features.h5: HDF5 features outside the Keras profile that HDF5Oracle and the
pure-Swift reader must still report alike (HDF5OracleDifferentialTests): soft and external links,
big-endian numbers, string datasets, numeric/enum/null attributes, a null dataspace.

Producer versions pinned for the committed file: h5py 3.16.0, HDF5 2.0.0, numpy 2.4.6 (Python 3.11).
Run from this folder:
    /work/venv/bin/python oracle_features.py
"""
import sys

import h5py
import numpy as np


def main(path):
    with h5py.File(path, "w") as f:
        data = f.create_group("data")
        data.create_dataset("be_int32", data=np.array([1, -2, 300], dtype=">i4"))
        data.create_dataset("be_float64", data=np.array([[1.5, -0.25]], dtype=">f8"))
        data.create_dataset("strings", data=["a", "b\u00e9c", ""], dtype=h5py.string_dtype("utf-8"))
        data.create_dataset("fixed", data=np.array([b"ab", b"cde"]))
        data.create_dataset("null", data=h5py.Empty("f4"))
        data.attrs["int64s"] = np.array([-1, 2**40], dtype="<i8")
        data.attrs["uint8"] = np.uint8(250)
        data.attrs["flag"] = np.bool_(True)
        data.attrs["float32s"] = np.array([0.5, -3.0], dtype="<f4")
        data.attrs["nothing"] = h5py.Empty("f4")
        data.attrs["raw_bytes"] = np.void(b"\x01\x02\x03")
        f["alias"] = h5py.SoftLink("/data/be_int32")
        f["dangling"] = h5py.SoftLink("/missing")
        f["outside"] = h5py.ExternalLink("other.h5", "/x")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "oracle_features.h5")

#!/usr/bin/env python3
"""Writes the zip fixtures of KerasZipTests with CPython's zipfile and numpy.

Regenerate (from the repository root) with:
    /work/venv/bin/python Tests/KerasZipTests/Fixtures/make_python_reference.py Tests/KerasZipTests/Fixtures
Producers: CPython 3.11.7 zipfile, numpy 2.4.6. Every output is deterministic (fixed dates, fixed bytes;
numpy stamps npz members 1980-01-01).

- python_reference.zip: what Keras's archive writer produces (`writestr(ZipInfo(name, date_time), data)`
  with `external_attr = 0o600 << 16`, STORED). Keep the member list in sync with
  `ZipWriterTests.referenceMembers`.
- python_deflated.zip: the same members, ZIP_DEFLATED (Keras's loader accepts any method Python supports).
- python_force_zip64.zip: members written through `ZipFile.open(info, "w", force_zip64=True)`, as Keras
  writes `model.weights.npz` (local ZIP64 extra with 0xFFFFFFFF sizes, central entry without).
- numpy_streamed.npz: `numpy.savez` into a non-seekable stream: data descriptors (flag bit 3) with
  signature and 64-bit sizes, ZIP64 local extras.
"""
import io
import os
import sys
import zipfile

import numpy


def members():
    weights = bytes((i * 37 + 11) % 256 for i in range(300))
    return [
        ("metadata.json", (1980, 1, 1, 0, 0, 0), b'{"keras_version": "3.15.1", "date_saved": "2026-01-02@03:04:05"}'),
        ("config.json", (1980, 1, 1, 0, 0, 0), b'{"module": "keras", "class_name": "Sequential", "config": {}}'),
        ("model.weights.h5", (2024, 5, 17, 13, 45, 30), weights),
        ("assets/vocab \u00e9.txt", (1980, 1, 1, 0, 0, 0), b"a\nb\n"),
        ("assets/empty", (1980, 1, 1, 0, 0, 0), b""),
    ]


def write_members(path, compression):
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, date_time, data in members():
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.external_attr = 0o600 << 16
            info.compress_type = compression
            archive.writestr(info, data)


def write_force_zip64(path):
    with zipfile.ZipFile(path, "w") as archive:
        for name, date_time, data in members()[:3]:
            info = zipfile.ZipInfo(name, date_time=date_time)
            with archive.open(info, "w", force_zip64=True) as member:
                member.write(data)


class Unseekable(io.RawIOBase):
    def __init__(self):
        self.buffer = bytearray()

    def writable(self):
        return True

    def seekable(self):
        return False

    def write(self, data):
        self.buffer += data
        return len(data)


def write_streamed_npz(path):
    stream = Unseekable()
    numpy.savez(stream, kernel=numpy.arange(12, dtype="<f4").reshape(3, 4), bias=numpy.zeros(4, dtype="<f4"))
    with open(path, "wb") as out:
        out.write(bytes(stream.buffer))


def main(folder):
    write_members(os.path.join(folder, "python_reference.zip"), zipfile.ZIP_STORED)
    write_members(os.path.join(folder, "python_deflated.zip"), zipfile.ZIP_DEFLATED)
    write_force_zip64(os.path.join(folder, "python_force_zip64.zip"))
    write_streamed_npz(os.path.join(folder, "numpy_streamed.npz"))


if __name__ == "__main__":
    main(sys.argv[1])

#!/usr/bin/env python3
"""Writes Corpus/invalid/hdf5: one small HDF5 file per error code of the pure-Swift reader.

Each sample starts from a valid file written by h5py (3.16.0, HDF5 2.0.0) and changes a few bytes
located by walking the file's structures; checksummed structures are re-checksummed (Jenkins
lookup3) so that the intended check, not the checksum, fires. `expected.json` maps every file to
the rule id (`KC-H5-NNN`) and code name the reader must report when it opens the file and reads
every dataset. Code numbers are taken from Sources/KerasHDF5/HDF5Error+Code.swift.

    /work/venv/bin/python scripts/make_invalid_hdf5.py
"""
import json
import os
import re
import struct
import sys
import tempfile

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Corpus", "invalid", "hdf5")
CODES_SWIFT = os.path.join(ROOT, "Sources", "KerasHDF5", "HDF5Error+Code.swift")
UNDEF = b"\xff" * 8


def lookup3(data, initval=0):
    """Bob Jenkins' hashlittle, as HDF5's H5_checksum_lookup3."""
    def rot(x, k):
        return ((x << k) | (x >> (32 - k))) & 0xFFFFFFFF
    length = len(data)
    a = b = c = (0xDEADBEEF + length + initval) & 0xFFFFFFFF
    i = 0
    while length > 12:
        a = (a + int.from_bytes(data[i:i + 4], "little")) & 0xFFFFFFFF
        b = (b + int.from_bytes(data[i + 4:i + 8], "little")) & 0xFFFFFFFF
        c = (c + int.from_bytes(data[i + 8:i + 12], "little")) & 0xFFFFFFFF
        a = (a - c) & 0xFFFFFFFF; a ^= rot(c, 4); c = (c + b) & 0xFFFFFFFF
        b = (b - a) & 0xFFFFFFFF; b ^= rot(a, 6); a = (a + c) & 0xFFFFFFFF
        c = (c - b) & 0xFFFFFFFF; c ^= rot(b, 8); b = (b + a) & 0xFFFFFFFF
        a = (a - c) & 0xFFFFFFFF; a ^= rot(c, 16); c = (c + b) & 0xFFFFFFFF
        b = (b - a) & 0xFFFFFFFF; b ^= rot(a, 19); a = (a + c) & 0xFFFFFFFF
        c = (c - b) & 0xFFFFFFFF; c ^= rot(b, 4); b = (b + a) & 0xFFFFFFFF
        length -= 12
        i += 12
    if length == 0:
        return c
    tail = bytes(data[i:i + length]) + b"\0" * (12 - length)
    a = (a + int.from_bytes(tail[0:4], "little")) & 0xFFFFFFFF
    b = (b + int.from_bytes(tail[4:8], "little")) & 0xFFFFFFFF
    c = (c + int.from_bytes(tail[8:12], "little")) & 0xFFFFFFFF
    c ^= b; c = (c - rot(b, 14)) & 0xFFFFFFFF
    a ^= c; a = (a - rot(c, 11)) & 0xFFFFFFFF
    b ^= a; b = (b - rot(a, 25)) & 0xFFFFFFFF
    c ^= b; c = (c - rot(b, 16)) & 0xFFFFFFFF
    a ^= c; a = (a - rot(c, 4)) & 0xFFFFFFFF
    b ^= a; b = (b - rot(a, 14)) & 0xFFFFFFFF
    c ^= b; c = (c - rot(b, 24)) & 0xFFFFFFFF
    return c


class Message:
    def __init__(self, type_, flags, header, body, size):
        self.type, self.flags, self.header, self.body, self.size = type_, flags, header, body, size


class File:
    """An HDF5 file image with 8-byte offsets and lengths, and the addresses of its objects."""

    def __init__(self, build, **options):
        path = os.path.join(tempfile.mkdtemp(), "base.h5")
        with h5py.File(path, "w", **options) as f:
            build(f)
        with h5py.File(path, "r") as f:
            self.addresses = {}
            f.visit(lambda name: self.addresses.__setitem__("/" + name, h5py.h5o.get_info(f[name].id).addr))
            self.addresses["/"] = h5py.h5o.get_info(f.id).addr
        with open(path, "rb") as handle:
            self.b = bytearray(handle.read())

    def u(self, offset, width=8):
        return int.from_bytes(self.b[offset:offset + width], "little")

    def put(self, offset, value, width=8):
        self.b[offset:offset + width] = int(value).to_bytes(width, "little")

    def find(self, signature, nth=0):
        offset = -1
        for _ in range(nth + 1):
            offset = self.b.find(signature, offset + 1)
            assert offset >= 0, signature
        return offset

    def chunks(self, address):
        """(start, end, checksum offset or None) of every chunk of the object header, messages in [start, end)."""
        if self.b[address:address + 4] == b"OHDR":
            flags = self.b[address + 5]
            p = address + 6 + (16 if flags & 0x20 else 0) + (4 if flags & 0x10 else 0)
            width = 1 << (flags & 3)
            size = self.u(p, width)
            start = p + width
            result = [(start, start + size, start + size, address)]
            version = 2
        else:
            result = [(address + 16, address + 16 + self.u(address + 8, 4), None, None)]
            version = 1
        index = 0
        while index < len(result):
            for message in self._messages(result[index], version, address):
                if message.type == 0x10:
                    target, length = self.u(message.body), self.u(message.body + 8)
                    if version == 1:
                        result.append((target, target + length, None, None))
                    else:
                        result.append((target + 4, target + length - 4, target + length - 4, target))
            index += 1
        return result, version

    def _messages(self, chunk, version, address):
        start, end = chunk[0], chunk[1]
        flags = self.b[address + 5] if version == 2 else 0
        header_size = 8 if version == 1 else (6 if flags & 0x04 else 4)
        p = start
        result = []
        while end - p >= header_size:
            if version == 1:
                type_, size, mflags = self.u(p, 2), self.u(p + 2, 2), self.b[p + 4]
            else:
                type_, size, mflags = self.b[p], self.u(p + 1, 2), self.b[p + 3]
            result.append(Message(type_, mflags, p, p + header_size, size))
            p += header_size + size
        return result

    def messages(self, path, type_=None):
        address = self.addresses[path]
        chunks, version = self.chunks(address)
        found = []
        for chunk in chunks:
            found += self._messages(chunk, version, address)
        return [m for m in found if type_ is None or m.type == type_]

    def message(self, path, type_, nth=0):
        return self.messages(path, type_)[nth]

    def set_type(self, path, message, type_):
        if self.b[self.addresses[path]:self.addresses[path] + 4] == b"OHDR":
            self.b[message.header] = type_
        else:
            self.put(message.header, type_, 2)

    def set_flags(self, path, message, flags):
        offset = 3 if self.b[self.addresses[path]:self.addresses[path] + 4] == b"OHDR" else 4
        self.b[message.header + offset] = flags

    def fix(self, path):
        """Re-checksums every chunk of a version 2 object header."""
        chunks, version = self.chunks(self.addresses[path])
        for start, end, checksum, origin in chunks:
            if checksum is not None:
                self.put(checksum, lookup3(bytes(self.b[origin:checksum])), 4)

    def fix_at(self, offset, length):
        """Re-checksums a structure whose checksum follows its first `length` bytes."""
        self.put(offset + length, lookup3(bytes(self.b[offset:offset + length])), 4)


# ---------------------------------------------------------------------------------------------
# Base files


def base(f):
    """Keras-like: a group with a vlen name attribute, a float32 dataset, a second dataset."""
    group = f.create_group("g")
    group.attrs["name"] = "dense"
    group.attrs["aa"] = np.int32(1)
    group.attrs["ab"] = np.int32(2)
    group.create_dataset("d", data=np.arange(6, dtype=np.float32).reshape(2, 3))
    group.create_dataset("e", data=np.arange(3, dtype=np.int64))
    f["soft"] = h5py.SoftLink("/g/d")


def chunked(f):
    f.create_dataset("c", data=np.arange(64, dtype=np.float32).reshape(8, 8), chunks=(4, 4),
                     compression="gzip", shuffle=True, fletcher32=True)


def dense_links(f):
    group = f.create_group("g")
    for index in range(20):
        group.create_dataset(f"d{index:02d}", data=np.array([index], dtype=np.int8))


def compact_links(f):
    f.create_dataset("d", data=np.array([1], dtype=np.int8))
    f["s"] = h5py.SoftLink("/d")


def earliest(build):
    return File(build)


def latest(build):
    return File(build, libver="latest")


# ---------------------------------------------------------------------------------------------
# Samples: code name -> bytes


SUPERBLOCK_EOF = 40
SUPERBLOCK_DRIVER = 48
SUPERBLOCK_ROOT = 64


def layout_body(f, path):
    return f.message(path, 0x08).body


def datatype_body(f, path):
    return f.message(path, 0x03).body


def attribute_data(f, path, name):
    """Offset of the value of attribute `name` (version 1 messages) of the object at `path`."""
    for m in f.messages(path, 0x0C):
        p = m.body
        name_size, type_size, space_size = f.u(p + 2, 2), f.u(p + 4, 2), f.u(p + 6, 2)
        pad = lambda n: (n + 7) // 8 * 8
        if bytes(f.b[p + 8:p + 8 + name_size - 1]) == name.encode():
            return m, p + 8 + pad(name_size) + pad(type_size) + pad(space_size), p + 8 + pad(name_size) + pad(type_size)
    raise KeyError(name)


def chunk_tree(f):
    """The first version 1 B-tree node of type 1 (raw data chunks)."""
    nth = 0
    while True:
        p = f.find(b"TREE", nth)
        if f.b[p + 4] == 1:
            return p
        nth += 1


def nil(f, path):
    return f.message(path, 0x00)


def samples():
    s = {}

    f = earliest(base); f.b = f.b[:-1]; s["fileTruncated"] = f
    f = earliest(base); f.b[0] = 0; s["superblockNotFound"] = f
    f = earliest(base); f.b[8] = 4; s["superblockVersionUnsupported"] = f
    f = earliest(base); f.b[13] = 3; s["superblockInvalid"] = f
    f = earliest(base); f.b += b"\0" * 16; s["bytesAfterEndOfFile"] = f
    f = earliest(base); f.put(SUPERBLOCK_ROOT, len(f.b) + 64); s["addressOutOfBounds"] = f
    f = earliest(base); f.put(layout_body(f, "/g/d") + 2, len(f.b) - 4); s["structureTruncated"] = f
    f = latest(base); f.b[11] ^= 1; s["checksumMismatch"] = f
    f = earliest(base); f.b[f.addresses["/g/d"]] = 2; s["objectHeaderSignatureInvalid"] = f
    f = latest(base); f.b[f.addresses["/g/d"] + 4] = 3; f.fix("/g/d"); s["objectHeaderVersionUnsupported"] = f
    f = earliest(base); a = f.addresses["/g/d"]; f.put(a + 2, f.u(a + 2, 2) + 1, 2); s["objectHeaderInvalid"] = f
    f = earliest(base); m = f.message("/g", 0x10); f.b[m.body:m.body + 8] = UNDEF; s["messageInvalid"] = f
    f = latest(compact_links); m = f.message("/", 0x06); f.b[m.body] = 2; f.fix("/"); s["messageVersionUnsupported"] = f
    f = earliest(base); m = nil(f, "/g/d"); f.set_type("/g/d", m, 0x30); f.set_flags("/g/d", m, 0x80); s["unknownRequiredMessage"] = f
    f = earliest(base); m = nil(f, "/g/d"); f.set_type("/g/d", m, 0x01); s["duplicateMessage"] = f
    f = earliest(base); m = f.message("/g/d", 0x08); f.set_type("/g/d", m, 0x00); s["missingMessage"] = f
    f = earliest(base); m = f.message("/g/d", 0x03); f.set_type("/g/d", m, 0x00); s["unknownObjectClass"] = f
    f = earliest(base); m = f.message("/g/d", 0x03); f.set_flags("/g/d", m, 0x02); f.b[m.body:m.body + 2] = b"\x03\x01"
    s["sharedMessageUnsupported"] = f

    f = earliest(base); p = f.find(b"HEAP"); f.b[p + 3] = ord("Q"); s["localHeapSignatureInvalid"] = f
    f = earliest(base); p = f.find(b"HEAP"); f.b[p + 4] = 1; s["localHeapVersionUnsupported"] = f
    f = earliest(base); p = f.find(b"SNOD"); f.put(p + 8, 0xFFFF); s["localHeapInvalid"] = f
    f = earliest(base); p = f.find(b"TREE"); f.b[p + 3] = ord("X"); s["bTreeSignatureInvalid"] = f
    f = earliest(base); p = f.find(b"TREE"); f.b[p + 4] = 1; s["bTreeNodeInvalid"] = f
    f = earliest(base)
    p = f.find(b"SNOD", 1)  # the node of /g, holding "d" and "e"
    first, second = f.u(p + 8), f.u(p + 8 + 40)
    f.put(p + 8, second); f.put(p + 8 + 40, first); s["bTreeKeyOrder"] = f
    f = earliest(base); p = f.find(b"SNOD"); f.b[p + 3] = ord("E"); s["symbolNodeSignatureInvalid"] = f
    f = earliest(base); p = f.find(b"SNOD"); f.b[p + 4] = 2; s["symbolNodeVersionUnsupported"] = f
    f = earliest(base); p = f.find(b"SNOD"); f.put(p + 8 + 16, 7, 4); s["symbolNodeInvalid"] = f

    f = earliest(base); p = f.find(b"GCOL"); f.b[p + 3] = ord("M"); s["globalHeapSignatureInvalid"] = f
    f = earliest(base); p = f.find(b"GCOL"); f.b[p + 4] = 2; s["globalHeapVersionUnsupported"] = f
    f = earliest(base); p = f.find(b"GCOL"); f.put(p + 8, 8); s["globalHeapInvalid"] = f
    f = earliest(base); p = f.find(b"GCOL"); f.put(p + 16, 5, 2); s["globalHeapObjectMissing"] = f

    f = latest(dense_links); p = f.find(b"FHDB"); f.b[p + 3] = ord("X"); s["fractalHeapSignatureInvalid"] = f
    f = latest(dense_links); p = f.find(b"FRHP"); f.b[p + 4] = 1; s["fractalHeapVersionUnsupported"] = f
    f = latest(dense_links); p = f.find(b"FRHP"); f.put(p + 110, 3, 2); f.fix_at(p, 142); s["fractalHeapInvalid"] = f
    f = latest(dense_links); p = f.find(b"BTLF"); f.b[p + 3] = ord("X"); s["v2BTreeSignatureInvalid"] = f
    f = latest(dense_links); p = f.find(b"BTHD"); f.b[p + 4] = 1; s["v2BTreeVersionUnsupported"] = f
    f = latest(dense_links); p = f.find(b"BTHD"); f.put(p + 10, 12, 2); f.fix_at(p, 34); s["v2BTreeInvalid"] = f

    f = earliest(base); p = datatype_body(f, "/g/d"); f.b[p] = 0x01; s["datatypeVersionUnsupported"] = f
    f = earliest(base); p = datatype_body(f, "/g/d"); f.b[p + 1] |= 0x41; s["datatypeUnsupported"] = f
    f = earliest(base); p = datatype_body(f, "/g/d"); f.put(p + 4, 3, 4); s["datatypeInvalid"] = f
    f = earliest(base); p = f.message("/g/d", 0x01).body; f.b[p] = 3; s["dataspaceVersionUnsupported"] = f
    f = earliest(base); p = f.message("/g/d", 0x01).body; f.b[p + 1] = 33; s["dataspaceInvalid"] = f
    f = earliest(base); p = layout_body(f, "/g/d"); f.b[p] = 2; s["layoutVersionUnsupported"] = f
    f = earliest(base); p = layout_body(f, "/g/d"); f.b[p + 1] = 7; s["layoutInvalid"] = f
    s["chunkIndexUnsupported"] = latest(lambda f: f.create_dataset("x", data=np.arange(4), chunks=(2,), maxshape=(None,)))
    f = earliest(chunked); p = f.message("/c", 0x0B).body; f.put(p + 8, 32000, 2); s["filterUnsupported"] = f
    f = earliest(chunked); p = f.message("/c", 0x0B).body; f.b[p + 1] = 40; s["filterPipelineInvalid"] = f
    f = earliest(chunked); p = chunk_tree(f); f.b[f.u(p + 24 + 32)] ^= 0xFF; s["chunkChecksumMismatch"] = f
    # The first chunk's deflate stream, re-checksummed so that only inflate fails.
    f = earliest(chunked); p = chunk_tree(f); size = f.u(p + 24, 4); chunk = f.u(p + 24 + 32)
    f.b[chunk] = 0x00
    body = bytes(f.b[chunk:chunk + size - 4])
    from_fletcher = fletcher32(body)
    f.put(chunk + size - 4, from_fletcher, 4); s["filterFailed"] = f
    f = earliest(chunked); p = chunk_tree(f); f.put(p + 24 + 8, 1); s["chunkInvalid"] = f
    f = earliest(base); p = layout_body(f, "/g/d"); f.put(p + 10, f.u(p + 10) + 4); s["dataSizeMismatch"] = f

    f = earliest(base); m, value, space = attribute_data(f, "/g", "aa"); f.put(m.body + 2, 0, 2); s["attributeInvalid"] = f
    f = earliest(base); m, value, space = attribute_data(f, "/g", "aa"); f.b[m.body] = 4; s["attributeVersionUnsupported"] = f
    f = earliest(base); m, value, space = attribute_data(f, "/g", "ab"); f.b[m.body + 9] = ord("a"); s["duplicateAttributeName"] = f
    f = latest(compact_links); m = f.message("/", 0x06); f.b[m.body + 1] |= 0x80; f.fix("/"); s["linkInvalid"] = f
    f = earliest(base); p = f.find(b"HEAP", 1); data = f.u(p + 24); off = f.b.find(b"d\0", data); f.b[off] = ord("/")
    s["linkNameInvalid"] = f
    f = earliest(base); p = f.find(b"HEAP", 1); data = f.u(p + 24); off = f.b.find(b"e\0", data); f.b[off] = ord("d")
    s["duplicateLinkName"] = f
    f = latest(compact_links); m = [m for m in f.messages("/", 0x06) if f.b[m.body + 1] & 0x08][0]
    f.b[m.body + 2] = 65; f.fix("/"); s["linkTypeUnsupported"] = f
    f = earliest(base); p = f.find(b"SNOD"); entries = [p + 8 + 40 * i for i in range(f.u(p + 6, 2))]
    group_entry = [e for e in entries if f.u(e + 8) == f.addresses["/g"]][0]
    f.put(group_entry + 8, f.addresses["/"]); s["cycle"] = f

    def deep(f):
        group = f
        for index in range(66):
            group = group.create_group("n")
    s["depthLimitExceeded"] = latest(deep)

    def bomb(f):
        groups = [f.create_group(f"g{index:02d}") for index in range(21)]
        for parent, child in zip(groups, groups[1:]):
            parent["a"] = child
            parent["b"] = child
    # Compact (link message) groups cost no metadata reads when re-expanded, so the object budget trips.
    s["objectLimitExceeded"] = latest(bomb)

    def byte_bomb(f):
        # Each symbol-table group re-reads its 4 KB local heap every time an alias reaches it.
        groups = [f.create_group(f"g{index:02d}") for index in range(17)]
        for parent, child in zip(groups, groups[1:]):
            parent["a"] = child
            parent["b" * 4000] = child
    s["metadataBytesLimitExceeded"] = earliest(byte_bomb)
    s["declaredBytesLimitExceeded"] = earliest(lambda f: f.create_dataset("x", shape=(1 << 20, 1 << 20), dtype=np.float32))

    def aliases(f):
        big = f.create_dataset("big", shape=(1 << 30,), dtype=np.float32)
        group = f.create_group("a")
        for index in range(260):
            group[f"x{index:03d}"] = big
    s["totalDeclaredBytesLimitExceeded"] = earliest(aliases)
    f = earliest(lambda f: f.attrs.create("x", np.arange(2, dtype=np.int32)))
    m, value, space = attribute_data(f, "/", "x"); f.put(space + 8, 1 << 40)
    if f.b[space + 2] & 1:
        f.put(space + 16, 1 << 40)
    s["attributeBytesLimitExceeded"] = f
    f = earliest(base); p = f.find(b"TREE"); f.b[p + 5] = 40; s["indexDepthLimitExceeded"] = f

    def implicit(f):
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_obj_track_times(False)
        dcpl.set_chunk((1,))
        dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)
        h5py.h5d.create(f.id, b"x", h5py.h5t.STD_I8LE, h5py.h5s.create_simple((4,)), dcpl=dcpl).close()
    f = latest(implicit); p = f.message("/x", 0x01).body; f.put(p + 4, 1 << 21); f.put(p + 12, 1 << 21); f.fix("/x")
    s["chunkCountLimitExceeded"] = f
    f = earliest(base); m, value, space = attribute_data(f, "/g", "name"); f.put(value, 1 << 27, 4)
    s["stringLengthLimitExceeded"] = f

    def nested(f):
        dtype = np.dtype([("v", np.int8)])
        for _ in range(20):
            dtype = np.dtype([("n", dtype)])
        f.create_dataset("x", shape=(1,), dtype=dtype)
    s["datatypeDepthLimitExceeded"] = earliest(nested)
    f = earliest(base); f.put(SUPERBLOCK_DRIVER, 0); s["featureUnsupported"] = f
    s["externalStorageNotRead"] = earliest(lambda f: f.create_dataset("x", shape=(4,), dtype=np.float32,
                                                                      external=[("weights.bin", 0, 16)]))

    def virtual(f):
        layout = h5py.VirtualLayout(shape=(4,), dtype=np.float32)
        layout[:] = h5py.VirtualSource("source.h5", "/x", shape=(4,))
        f.create_virtual_dataset("x", layout)
    s["virtualDatasetNotRead"] = earliest(virtual)
    f = earliest(base); p = f.find(b"HEAP"); data = f.u(p + 24); off = f.b.find(b"/g/d\0", data); f.b[off + 1] = 0xFF
    s["stringEncodingInvalid"] = f
    f = earliest(base); m, value, space = attribute_data(f, "/g", "name"); f.b[value + 4:value + 12] = UNDEF
    s["variableLengthInvalid"] = f
    f = s["externalStorageNotRead"]; f = File.__new__(File); f.__dict__ = dict(s["externalStorageNotRead"].__dict__)
    f.b = bytearray(f.b); p = f.message("/x", 0x07).body; f.put(p + 6, 0, 2); s["externalFileListInvalid"] = f
    f = earliest(base); p = f.message("/g/d", 0x05).body; f.b[p + 1] = 9; s["fillValueInvalid"] = f
    f = latest(lambda f: f.create_dataset("x", data=np.arange(8), chunks=(2,)))
    p = f.find(b"FAHD"); f.b[p + 3] = ord("X"); s["chunkIndexInvalid"] = f
    return s


def fletcher32(data):
    """HDF5's Fletcher-32: 16-bit big-endian words, sums folded with end-around carry (H5_checksum_fletcher32)."""
    def fold(x):
        return (x & 0xFFFF) + (x >> 16)
    sum1 = sum2 = 0
    words = len(data) // 2
    for start in range(0, words, 360):
        for i in range(start, min(words, start + 360)):
            sum1 += data[2 * i] << 8 | data[2 * i + 1]
            sum2 += sum1
        sum1, sum2 = fold(sum1), fold(sum2)
    if len(data) % 2:
        sum1 += data[-1] << 8
        sum2 += sum1
        sum1, sum2 = fold(sum1), fold(sum2)
    sum1, sum2 = fold(sum1), fold(sum2)
    return sum2 << 16 | sum1


def main():
    codes = dict((name, int(number)) for number, name in
                 re.findall(r'code\((\d+), "(\w+)"', open(CODES_SWIFT).read()))
    os.makedirs(OUT, exist_ok=True)
    for stale in os.listdir(OUT):
        if stale.endswith(".h5"):
            os.remove(os.path.join(OUT, stale))
    expected = {}
    for name, sample in sorted(samples().items()):
        assert name in codes, name
        with open(os.path.join(OUT, name + ".h5"), "wb") as out:
            out.write(sample.b)
        expected[name + ".h5"] = {"rule": f"KC-H5-{codes[name]:03d}", "code": name}
    with open(os.path.join(OUT, "expected.json"), "w") as out:
        json.dump({"producer": {"h5py": h5py.__version__, "hdf5": h5py.version.hdf5_version},
                   "samples": expected}, out, indent=1, sort_keys=True)
        out.write("\n")
    print(f"{len(expected)} samples in {OUT}")


if __name__ == "__main__":
    sys.exit(main())

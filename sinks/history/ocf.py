"""An Avro Object Container File in memory (pure), from records that are already Avro-encoded.

Layout (Avro spec, "Object Container Files"): magic ``Obj\\x01``, the file metadata as an Avro
``map<bytes>`` (``avro.schema`` = the writer schema as JSON, ``avro.codec`` = ``null``), a
16-byte sync marker, then blocks: record count (long), byte size (long), the concatenated
record bodies, the sync marker again. The history sink writes one block per batch.
"""

from __future__ import annotations

from collections.abc import Sequence

MAGIC = b"Obj\x01"
SYNC_SIZE = 16
LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1


def long_bytes(value: int) -> bytes:
    """An Avro long: zig-zag, then little-endian base-128 varint."""
    if not LONG_MIN <= value <= LONG_MAX:
        raise ValueError(f"not an Avro long: {value}")
    zigzag = (value << 1) ^ (value >> 63)
    out = bytearray()
    while zigzag >= 0x80:
        out.append((zigzag & 0x7F) | 0x80)
        zigzag >>= 7
    out.append(zigzag)
    return bytes(out)


def bytes_field(value: bytes) -> bytes:
    """An Avro ``bytes`` (or ``string``) value: length, then the bytes."""
    return long_bytes(len(value)) + value


def header(schema_json: str, sync: bytes) -> bytes:
    if len(sync) != SYNC_SIZE:
        raise ValueError(f"sync marker must be {SYNC_SIZE} bytes")
    meta = {b"avro.schema": schema_json.encode(), b"avro.codec": b"null"}
    entries = b"".join(bytes_field(k) + bytes_field(v) for k, v in meta.items())
    return MAGIC + long_bytes(len(meta)) + entries + long_bytes(0) + sync


def block_start(count: int, size: int) -> bytes:
    """What precedes a data block of ``count`` records that take ``size`` bytes together; the
    block ends with the sync marker."""
    return long_bytes(count) + long_bytes(size)


def container(schema_json: str, records: Sequence[bytes], sync: bytes) -> bytes:
    """A whole container file holding ``records`` (each one encoded record) in one block."""
    size = sum(map(len, records))
    start = header(schema_json, sync) + block_start(len(records), size)
    return b"".join([start, *records, sync])

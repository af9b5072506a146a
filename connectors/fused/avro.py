"""Avro byte pieces the fused path assembles (the encoding of schemas.writer_codegen: zig-zag
varints, length-prefixed UTF-8 strings, a union of null with one type as branch 0 or 1,
blocks of arrays and maps as count, items, 0).

String prefix tables stop at MAX_STRING bytes: indexing one with a longer string's length
raises IndexError, which the generated code takes as "not sure" (a longer string is either
too long for connectors.validate or non-ASCII text the slow path measures in characters).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

from connectors.validate.limits import MAX_STRING
from schemas.writer_codegen import zigzag_varint

NULL = b"\x00"  # union branch 0 (null); also an empty array or map block
SOME = b"\x02"  # union branch 1 (the value); also a block count of 1
END = b"\x00"  # end of an array or map block
STRING_PREFIX = tuple(zigzag_varint(n) for n in range(MAX_STRING + 1))
NULLABLE_STRING_PREFIX = tuple(SOME + p for p in STRING_PREFIX)
SMALL = 1 << 15
SMALL_INT = tuple(zigzag_varint(n) for n in range(SMALL))
NULLABLE_SMALL_INT = tuple(SOME + p for p in SMALL_INT)
pack_double = struct.Struct("<d").pack
# A long n = 2x (x >= 0, zig-zag) in [2**35, 2**42) - epoch milliseconds from mid-1970 to 2039 -
# takes six varint bytes: LOW[n & 0x3FFF] + LOW[n >> 14 & 0x3FFF] + TOP[n >> 28] (others: ZZ).
SIX_BYTES = (1 << 35, 1 << 42)
LOW = tuple(bytes((i & 0x7F | 0x80, i >> 7 | 0x80)) for i in range(1 << 14))
TOP = tuple(bytes((i & 0x7F | 0x80, i >> 7)) for i in range(1 << 14))


def string_bytes(text: str) -> bytes:
    data = text.encode()
    return zigzag_varint(len(data)) + data


def unique_block(items: Sequence[tuple[object, bytes]]) -> bytes:
    """An array block of the items' bytes, the first of each key only (identifiers and
    relations collapse duplicates so)."""
    if len(items) == 2 and items[0][0] != items[1][0]:
        return b"\x04" + items[0][1] + items[1][1] + END
    seen: set[object] = set()
    parts = []
    for key, data in items:
        if key not in seen:
            seen.add(key)
            parts.append(data)
    return zigzag_varint(len(parts)) + b"".join(parts) + END

"""Read ClickHouse RowBinary values (pure): just what the bulk decoder's one-row result needs."""

from __future__ import annotations

import struct

_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")


class RowBinaryReader:
    def __init__(self, data: bytes | memoryview) -> None:
        self.data = data
        self.pos = 0

    def varuint(self) -> int:
        shift = result = 0
        while True:
            byte = self.data[self.pos]
            self.pos += 1
            result |= (byte & 0x7F) << shift
            if byte < 0x80:
                return result
            shift += 7

    def string(self) -> bytes | memoryview:
        """A slice of the input (a view if the input is a memoryview)."""
        size = self.varuint()
        end = self.pos + size
        if end > len(self.data):
            raise ValueError("RowBinary string runs past the end")
        value = self.data[self.pos : end]
        self.pos = end
        return value

    def uint64(self) -> int:
        (value,) = _U64.unpack_from(self.data, self.pos)
        self.pos += _U64.size
        return int(value)

    def uint32_array(self) -> list[int]:
        size = self.varuint()
        values = [v for (v,) in _U32.iter_unpack(self.data[self.pos : self.pos + 4 * size])]
        self.pos += 4 * size
        return values

    def at_end(self) -> bool:
        return self.pos == len(self.data)

"""Output records of identity, encoded for Kafka (pure, fastavro via schemas.serde).

A ResolvedTouchpoint is the touchpoint followed by three fields. When the touchpoint was written
with the current schema, its Avro body is copied byte for byte and only the three fields are
encoded (no re-encoding of the whole event on the hot path); otherwise the record is encoded.
"""

from __future__ import annotations

import hashlib
import struct
from typing import Any

from schemas import catalogue
from schemas.registry import SchemaSource
from schemas.serde import Codec
from streams.identity.model import Change, split_member

_HEADER = struct.Struct(">bI")
_RECORD = struct.Struct(">HI")  # key length, value length


def _varint(n: int) -> bytes:
    n = (n << 1) ^ (n >> 63)  # zigzag
    out = bytearray()
    while n & ~0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


_SHORT_LENGTHS = [bytes([n << 1]) for n in range(64)]  # zigzag varints of 0..63: one byte


def _string(s: str) -> bytes:
    data = s.encode()
    n = len(data)
    return (_SHORT_LENGTHS[n] if n < 64 else _varint(n)) + data


class ResolvedEncoder:
    def __init__(self, source: SchemaSource) -> None:
        self.codec = Codec(catalogue.RESOLVED, source)
        self.header = _HEADER.pack(0, source.writer_id(catalogue.RESOLVED))
        self.touchpoint_header = _HEADER.pack(0, source.writer_id(catalogue.TOUCHPOINT))
        self._time = (-1, b"")  # (now_ms, its varint): a batch shares one resolved_time

    def encode(
        self,
        raw_touchpoint: bytes,
        touchpoint: dict[str, Any],
        profile_id: str,
        household_id: str | None,
        now_ms: int,
    ) -> bytes:
        if self._time[0] != now_ms:
            self._time = (now_ms, _varint(now_ms))
        tail = (
            _string(profile_id)
            + (b"\x00" if household_id is None else b"\x02" + _string(household_id))
            + self._time[1]
        )
        if raw_touchpoint[:5] == self.touchpoint_header:
            return self.header + raw_touchpoint[5:] + tail
        return self.codec.encode(
            {
                "touchpoint": touchpoint,
                "profile_id": profile_id,
                "household_id": household_id,
                "resolved_time": now_ms,
            }
        )


def change_id(c: Change) -> str:
    text = f"{c.event_id}|{c.kind}|{c.profile_id}|{c.from_profile_id}|{c.member}"
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def change_record(c: Change, now_ms: int) -> dict[str, Any]:
    """A cdp.IdentityChange; its id is the same when a replay produces the same change."""
    identifier = None
    if c.member is not None:
        id_type, value = split_member(c.member)
        identifier = {"type": id_type, "value": value}
    return {
        "change_id": change_id(c),
        "kind": c.kind,
        "profile_id": c.profile_id,
        "from_profile_id": c.from_profile_id,
        "identifier": identifier,
        "household_id": c.household_id,
        "reason": c.reason,
        "event_id": c.event_id,
        "event_time": c.event_time,
        "change_time": now_ms,
    }


def pack_records(records: list[tuple[bytes, bytes]]) -> bytes:
    """(key, value) pairs of encoded messages as one binary blob (the identity outbox entry)."""
    parts = []
    for key, value in records:
        parts.append(_RECORD.pack(len(key), len(value)))
        parts.append(key)
        parts.append(value)
    return b"".join(parts)


def unpack_records(blob: bytes) -> list[tuple[bytes, bytes]]:
    out = []
    at, end = 0, len(blob)
    while at < end:
        klen, vlen = _RECORD.unpack_from(blob, at)
        at += _RECORD.size
        out.append((blob[at : at + klen], blob[at + klen : at + klen + vlen]))
        at += klen + vlen
    return out

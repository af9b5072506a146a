"""Frame a batch of resolved-touchpoint messages as one Avro container file (pure).

A message in the Confluent wire format is ``0x00 | schema id (4 bytes, big-endian) | Avro
body``. Instead of stripping the 5-byte header, the container's schema starts with a
``fixed(5)`` field that swallows it, so the message bytes go in unchanged. After every message
the framer appends a 16-byte sentinel and the message's 4-byte index in the batch, read as two
more ``fixed`` fields:

- the sentinel proves alignment. It is random per batch and has no border (no proper prefix
  equals a suffix), so a record that decodes from the wrong bytes (a truncated message, or one
  with trailing bytes) makes some row's sentinel differ, except with probability ~n * 2**-128;
- the index names the message of each row without trusting the order rows come back in.

The whole batch is then one block of an Object Container File (sinks.history.ocf).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from typing import Any

from fastavro.schema import to_parsing_canonical_form

from sinks.history import ocf

HEADER_FIELD = "wire_header"
SENTINEL_FIELD = "bulk_sentinel"
INDEX_FIELD = "bulk_index"
HEADER_SIZE = 5
SENTINEL_SIZE = 16
INDEX_SIZE = 4
NAMESPACE = "cdp.history"
MAGIC = b"\x00"


def wire_header(schema_id: int) -> bytes:
    """The first 5 bytes of every message written with ``schema_id``."""
    return MAGIC + schema_id.to_bytes(4, "big")


def _fixed(field: str, name: str, size: int) -> dict[str, Any]:
    return {"name": field, "type": {"type": "fixed", "name": f"{NAMESPACE}.{name}", "size": size}}


def bulk_schema(writer: Any) -> str:
    """The container schema (JSON) for messages written with the parsed writer schema ``writer``:
    header, the writer's fields in order, sentinel, index. Logical types are dropped (parsing
    canonical form), so timestamps stay epoch-ms longs and dates epoch-day ints."""
    record = json.loads(str(to_parsing_canonical_form(writer)))
    fields = [
        _fixed(HEADER_FIELD, "WireHeader", HEADER_SIZE),
        *record["fields"],
        _fixed(SENTINEL_FIELD, "BulkSentinel", SENTINEL_SIZE),
        _fixed(INDEX_FIELD, "BulkIndex", INDEX_SIZE),
    ]
    return json.dumps({"type": "record", "name": f"{NAMESPACE}.BulkRecord", "fields": fields})


def has_border(value: bytes) -> bool:
    """True if some proper prefix of ``value`` equals its suffix of the same length."""
    return any(value[k:] == value[: len(value) - k] for k in range(1, len(value)))


def sentinel(random_bytes: Callable[[int], bytes] = os.urandom) -> bytes:
    while True:
        candidate = random_bytes(SENTINEL_SIZE)
        if not has_border(candidate):
            return candidate


class Framer:
    """Builds the container for a batch; caches the little-endian index bytes it needs."""

    def __init__(self, schema_json: str) -> None:
        self.schema_json = schema_json
        self._indexes: list[bytes] = []

    def indexes(self, n: int) -> list[bytes]:
        for i in range(len(self._indexes), n):
            self._indexes.append(i.to_bytes(INDEX_SIZE, "little"))
        return self._indexes[:n]

    def chunks(
        self, messages: Sequence[bytes], mark: bytes, sync: bytes, first: int = 0
    ) -> list[bytes]:
        """The container file holding ``messages`` (whole wire-format values) as one block,
        as chunks to write in order; the record of ``messages[i]`` ends with ``mark`` and the
        index ``first + i`` (a batch can be split over several files)."""
        n = len(messages)
        size = sum(map(len, messages)) + n * (SENTINEL_SIZE + INDEX_SIZE)
        chunks: list[bytes] = [mark] * (3 * n + 2)
        chunks[0] = ocf.header(self.schema_json, sync) + ocf.block_start(n, size)
        chunks[1:-1:3] = messages
        chunks[3:-1:3] = self.indexes(first + n)[first:]
        chunks[-1] = sync
        return chunks

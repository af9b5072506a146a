"""Confluent wire format with fastavro: magic byte 0, 4-byte big-endian schema id, Avro body.

Decoding resolves the writer's schema (any released version) against the reader's current one,
so consumers read every earlier version. Bad bytes raise InvalidEvent, never anything else.
"""

from __future__ import annotations

import io
import struct
from typing import Any

import fastavro
from fastavro import schemaless_reader, schemaless_writer

from schemas import catalogue
from schemas.errors import InvalidEvent
from schemas.reader_codegen import DECODE_ERRORS, Malformed, Reader, compile_reader
from schemas.registry import LocalCatalogue, SchemaSource
from schemas.writer_codegen import Unsupported

MAGIC = 0
_HEADER = struct.Struct(">bI")


class Codec:
    """Encodes and decodes one subject (e.g. cdp.Touchpoint)."""

    def __init__(self, subject: str, source: SchemaSource | None = None) -> None:
        self.subject = subject
        self._source = source or LocalCatalogue()
        self._reader = _raw(catalogue.current(subject).parsed)
        self._writer_id = self._source.writer_id(subject)
        self._header = _HEADER.pack(MAGIC, self._writer_id)
        self._writers: dict[int, Any] = {}
        # the current version's own bytes: a generated reader (~2.5x faster than fastavro)
        self._fast = generated_reader(self._reader)

    def encode(self, record: dict[str, Any]) -> bytes:
        buf = io.BytesIO()
        buf.write(self._header)
        schemaless_writer(buf, self._reader, record)
        return buf.getvalue()

    def decode(self, data: bytes | None) -> dict[str, Any]:
        schema_id = self._schema_id(data)
        if schema_id == self._writer_id and self._fast is not None:
            return read_all(self._fast, data)  # type: ignore[arg-type]
        buf = io.BytesIO(data)  # type: ignore[arg-type]
        buf.seek(5)
        writer = self._writer_schema(schema_id)
        try:
            if schema_id == self._writer_id:
                record = schemaless_reader(buf, writer, None)
            else:
                record = schemaless_reader(buf, writer, self._reader)
        except Exception as exc:  # fastavro raises many types on corrupt input
            raise InvalidEvent("malformed_avro", type(exc).__name__) from None
        if buf.tell() != len(data):  # type: ignore[arg-type]
            raise InvalidEvent("malformed_avro", "trailing bytes")
        return record  # type: ignore[return-value]

    def _schema_id(self, data: bytes | None) -> int:
        if not data or len(data) < _HEADER.size:
            raise InvalidEvent("malformed_avro", "shorter than the wire-format header")
        magic, schema_id = _HEADER.unpack_from(data)
        if magic != MAGIC:
            raise InvalidEvent("malformed_avro", f"magic byte {magic}")
        return int(schema_id)

    def _writer_schema(self, schema_id: int) -> Any:
        if schema_id not in self._writers:
            try:
                self._writers[schema_id] = _raw(self._source.parsed_by_id(schema_id))
            except KeyError:
                raise InvalidEvent("unknown_schema_id", str(schema_id)) from None
        return self._writers[schema_id]


class HeadDecoder:
    """Decodes only a record's leading fields, up to and including ``last``, for a consumer that
    needs nothing after them (identity reads ids, times, identifiers and relations: 4 us instead
    of 16 us per touchpoint). Avro writes fields in schema order, so the head of the current
    writer's encoding is the encoding of the head schema; fastavro stops after it. Any other
    writer version is decoded in full and resolved to the current schema (``complete`` tells
    which). The bytes after the head are not checked here: every consumer that reads them
    decodes in full and dead-letters a corrupt tail."""

    def __init__(self, subject: str, last: str, source: SchemaSource | None = None) -> None:
        self.full = Codec(subject, source)
        plain = _strip_logical(_plain(catalogue.current(subject).parsed))
        names = [f["name"] for f in plain["fields"]]
        self.fields = frozenset(names[: names.index(last) + 1])
        self._head = fastavro.parse_schema(dict(plain, fields=plain["fields"][: len(self.fields)]))
        self._fast_head = generated_reader(self._head)

    def decode(self, data: bytes | None) -> dict[str, Any]:
        full = self.full
        if full._schema_id(data) != full._writer_id:
            return full.decode(data)
        if self._fast_head is not None:
            try:
                return self._fast_head(data, 5)[0]  # type: ignore[arg-type]
            except DECODE_ERRORS as exc:
                raise InvalidEvent("malformed_avro", _reason(exc)) from None
        buf = io.BytesIO(data)  # type: ignore[arg-type]
        buf.seek(5)
        try:
            return schemaless_reader(buf, self._head, None)  # type: ignore[return-value]
        except Exception as exc:  # fastavro raises many types on corrupt input
            raise InvalidEvent("malformed_avro", type(exc).__name__) from None

    def complete(self, record: dict[str, Any]) -> bool:
        """True when ``record`` holds every field (it came from the full decoder)."""
        return len(record) > len(self.fields)


def generated_reader(schema: Any) -> Reader | None:
    """The schema's generated reader, or None where the generator does not handle it."""
    try:
        return compile_reader(schema)
    except Unsupported:
        return None


def read_all(read: Reader, data: bytes) -> dict[str, Any]:
    """One record filling ``data`` after the wire-format header; InvalidEvent otherwise."""
    try:
        record, end = read(data, _HEADER.size)
    except DECODE_ERRORS as exc:
        raise InvalidEvent("malformed_avro", _reason(exc)) from None
    if end != len(data):
        raise InvalidEvent("malformed_avro", "trailing bytes" if end < len(data) else "truncated")
    return record


def _reason(exc: Exception) -> str:
    if isinstance(exc, IndexError):  # read past the end
        return "truncated"
    return str(exc) if isinstance(exc, Malformed) else type(exc).__name__


def _raw(parsed: Any) -> Any:
    """The schema without logical types: timestamps stay epoch-ms ints and dates epoch-day ints
    on the hot path (no datetime objects per event)."""
    return fastavro.parse_schema(_strip_logical(_plain(parsed)))


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items() if not k.startswith("__")}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _strip_logical(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _strip_logical(v) for k, v in node.items() if k != "logicalType"}
    if isinstance(node, list):
        return [_strip_logical(v) for v in node]
    return node

"""Confluent wire-format encoding with a writer generated for the subject's current schema
(schemas.writer_codegen): the same bytes as ``schemas.serde.Codec.encode``, several times
faster. Schemas the generator does not handle fall back to the Codec (fastavro)."""

from __future__ import annotations

from typing import Any

from schemas import catalogue
from schemas.registry import SchemaSource
from schemas.serde import Codec, _plain, _strip_logical
from schemas.writer_codegen import Encoder, Unsupported, compile_encoder


def writer_schema(subject: str) -> Any:
    """The schema Codec writes with: the current version without logical types."""
    return _strip_logical(_plain(catalogue.current(subject).parsed))


def wire_encoder(subject: str, source: SchemaSource | None = None) -> Encoder:
    """``encode(record) -> bytes`` in the Confluent wire format for ``subject``."""
    codec = Codec(subject, source)
    try:
        return compile_encoder(writer_schema(subject), codec._header)
    except Unsupported:
        return codec.encode


def wire_header(subject: str, source: SchemaSource | None = None) -> bytes:
    """The Confluent header (magic byte, schema id) every value of ``wire_encoder`` starts with."""
    return Codec(subject, source)._header

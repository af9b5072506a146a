"""The in-memory Avro container builder (ocf), the bulk framing (bulk_frame) and the RowBinary
reader: checked against fastavro, the reference Avro implementation here."""

from __future__ import annotations

import io
import json
import struct
from typing import Any

import fastavro
import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas import catalogue
from schemas.registry import LocalCatalogue
from schemas.serde import Codec
from sinks.history import bulk_frame, ocf
from sinks.history.rowbinary import RowBinaryReader
from tests import history_samples as hs

SYNC = bytes(range(16))
LONG = {"type": "long"}


@given(st.integers(min_value=ocf.LONG_MIN, max_value=ocf.LONG_MAX))
def test_long_bytes_match_fastavro(value: int):
    buf = io.BytesIO()
    fastavro.schemaless_writer(buf, LONG, value)
    assert ocf.long_bytes(value) == buf.getvalue()


def test_long_bytes_rejects_values_outside_a_long():
    with pytest.raises(ValueError):
        ocf.long_bytes(2**63)


def test_container_is_read_by_fastavro():
    schema = {"type": "record", "name": "R", "fields": [{"name": "a", "type": "string"}]}
    records = [{"a": "x" * n} for n in (0, 1, 63, 64, 200)]
    encoded = []
    for record in records:
        buf = io.BytesIO()
        fastavro.schemaless_writer(buf, schema, record)
        encoded.append(buf.getvalue())
    data = ocf.container(json.dumps(schema), encoded, SYNC)
    reader = fastavro.reader(io.BytesIO(data))
    assert list(reader) == records
    assert reader.metadata["avro.codec"] == "null"


def test_header_needs_a_16_byte_sync_marker():
    with pytest.raises(ValueError):
        ocf.header("{}", b"short")


def _resolved_messages(n: int) -> list[bytes]:
    codec = Codec(catalogue.RESOLVED)
    return [codec.encode(hs.resolved(f"e{i}", profile_id=f"p{i}")) for i in range(n)]


def _framer() -> tuple[bulk_frame.Framer, int]:
    source = LocalCatalogue()
    schema_id = source.writer_id(catalogue.RESOLVED)
    return bulk_frame.Framer(bulk_frame.bulk_schema(source.parsed_by_id(schema_id))), schema_id


def test_framed_messages_read_back_with_header_sentinel_and_index():
    framer, schema_id = _framer()
    messages = _resolved_messages(3)
    mark = bulk_frame.sentinel()
    data = b"".join(framer.chunks(messages, mark, SYNC, first=10))
    rows: list[Any] = list(fastavro.reader(io.BytesIO(data)))
    assert [r["touchpoint"]["event_id"] for r in rows] == ["e0", "e1", "e2"]
    assert {r["wire_header"] for r in rows} == {bulk_frame.wire_header(schema_id)}
    assert {r["bulk_sentinel"] for r in rows} == {mark}
    assert [struct.unpack("<I", r["bulk_index"])[0] for r in rows] == [10, 11, 12]
    assert rows[1]["profile_id"] == "p1" and rows[1]["resolved_time"] == hs.T0 + 2000


def test_bulk_schema_keeps_the_writer_fields_in_order_without_logical_types():
    framer, _ = _framer()
    fields = json.loads(framer.schema_json)["fields"]
    names = [f["name"] for f in fields]
    assert names[0] == "wire_header" and names[-2:] == ["bulk_sentinel", "bulk_index"]
    assert names[1:-2] == ["touchpoint", "profile_id", "household_id", "resolved_time"]
    assert "logicalType" not in framer.schema_json


def test_wire_header_is_magic_byte_and_big_endian_id():
    assert bulk_frame.wire_header(0x01020304) == b"\x00\x01\x02\x03\x04"


@pytest.mark.parametrize(
    "value, border",
    [(b"abcab", True), (b"aa", True), (b"abcd", False), (bytes(range(16)), False)],
)
def test_has_border(value: bytes, border: bool):
    assert bulk_frame.has_border(value) is border


def test_sentinel_skips_candidates_with_a_border():
    candidates = iter([b"\x07" * 16, b"ab" * 8, bytes(range(16))])
    assert bulk_frame.sentinel(lambda n: next(candidates)) == bytes(range(16))


def test_rowbinary_reader_reads_strings_integers_and_arrays():
    data = (
        b"\x03abc"
        + struct.pack("<Q", 2**40)
        + b"\x02"
        + struct.pack("<II", 7, 2**31)
        + b"\x80\x01"
        + b"x" * 128
    )
    read = RowBinaryReader(data)
    assert read.string() == b"abc"
    assert read.uint64() == 2**40
    assert read.uint32_array() == [7, 2**31]
    assert read.string() == b"x" * 128
    assert read.at_end()


def test_rowbinary_reader_refuses_a_string_past_the_end():
    with pytest.raises(ValueError):
        RowBinaryReader(b"\x05ab").string()

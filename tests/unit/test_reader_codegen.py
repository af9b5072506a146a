"""The generated Avro readers give exactly fastavro's records for data written with the current
schema, reject what fastavro rejects, and never accept corrupt bytes into a different record."""

from __future__ import annotations

import io
from typing import Any

import pytest
from fastavro import schemaless_reader
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.generator import generate_touchpoints
from schemas import catalogue
from schemas.errors import InvalidEvent
from schemas.reader_codegen import DECODE_ERRORS, compile_reader, read_long, reader_source
from schemas.serde import Codec, HeadDecoder
from schemas.wire_encoder import writer_schema
from schemas.writer_codegen import Unsupported, zigzag_varint
from tests.unit.test_writer_codegen import NOW, _drop, fastavro_bytes, records


def fastavro_record(schema: Any, body: bytes) -> Any:
    return schemaless_reader(io.BytesIO(body), schema, None)


@pytest.mark.parametrize("subject", catalogue.TOP_LEVEL)
def test_every_subject_has_a_generated_reader(subject: str) -> None:
    source, _ = reader_source(writer_schema(subject))
    assert source.startswith("def read(data, pos):")
    assert Codec(subject)._fast is not None


@pytest.mark.parametrize("subject", catalogue.TOP_LEVEL)
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_generated_records_equal_fastavro(subject: str, data: st.DataObject) -> None:
    schema = writer_schema(subject)
    body = fastavro_bytes(schema, _drop(data.draw(records(schema))))
    record, end = compile_reader(schema)(body, 0)
    assert end == len(body)
    assert record == fastavro_record(schema, body)
    assert list(record) == [f["name"] for f in schema["fields"]]  # field order as fastavro's


@pytest.mark.parametrize("value", [0, 1, -1, 63, -64, 64, 2**31 - 1, -(2**63), 2**63 - 1])
def test_varint_reads_what_the_writer_writes(value: int) -> None:
    data = b"\x07" + zigzag_varint(value) + b"\x09"
    assert read_long(data, 1) == (value, len(data) - 1)


def test_codec_decodes_the_synthetic_company_as_fastavro_does() -> None:
    codec = Codec(catalogue.TOUCHPOINT)
    schema = writer_schema(catalogue.TOUCHPOINT)
    touchpoints = generate_touchpoints(60, 30, 5, NOW).touchpoints
    assert len(touchpoints) > 500
    for tp in touchpoints:
        value = codec.encode(tp)
        assert codec.decode(value) == fastavro_record(schema, value[5:])


def test_head_decoder_reads_the_leading_fields_of_the_full_record() -> None:
    head = HeadDecoder(catalogue.TOUCHPOINT, "relations")
    codec = head.full
    for tp in generate_touchpoints(20, 30, 6, NOW).touchpoints[:300]:
        value = codec.encode(tp)
        full = codec.decode(value)
        assert head.decode(value) == {k: full[k] for k in full if k in head.fields}


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_corrupt_bytes_never_decode_to_a_record_fastavro_would_not_give(
    data: st.DataObject,
) -> None:
    """Flip, cut or extend a valid touchpoint: the Codec raises InvalidEvent or returns exactly
    what fastavro reads from the same bytes (never anything else, never another exception)."""
    codec = Codec(catalogue.TOUCHPOINT)
    schema = writer_schema(catalogue.TOUCHPOINT)
    tp = data.draw(st.sampled_from(generate_touchpoints(5, 10, 7, NOW).touchpoints))
    value = bytearray(codec.encode(tp))
    action = data.draw(st.sampled_from(["flip", "cut", "extend"]))
    if action == "flip":
        at = data.draw(st.integers(5, len(value) - 1))
        value[at] = data.draw(st.integers(0, 255))
    elif action == "cut":
        del value[data.draw(st.integers(5, len(value) - 1)) :]
    else:
        value += data.draw(st.binary(min_size=1, max_size=4))
    try:
        ours: Any = codec.decode(bytes(value))
    except InvalidEvent as exc:
        assert exc.reason == "malformed_avro"
        return
    buf = io.BytesIO(bytes(value[5:]))
    assert ours == schemaless_reader(buf, schema, None)
    assert buf.tell() == len(value) - 5


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"", "truncated"),  # nothing where the first string's length should be
        (b"\x03", "negative length"),  # zig-zag -2 as a string length
        (b"\x06ab", "truncated"),  # a 3-byte string with 2 bytes left, nothing after it
        (b"\x04\xff\xfe", "UnicodeDecodeError"),
    ],
)
def test_malformed_bodies_are_malformed_avro_with_the_cause(body: bytes, detail: str) -> None:
    codec = Codec(catalogue.TOUCHPOINT)
    with pytest.raises(InvalidEvent) as caught:
        codec.decode(codec._header + body)
    assert (caught.value.reason, caught.value.detail) == ("malformed_avro", detail)


def test_union_branch_out_of_range_is_malformed() -> None:
    read = compile_reader({"type": "record", "name": "R", "fields": [
        {"name": "a", "type": ["null", "long"]},
        {"name": "b", "type": ["null", "string", "long"]},
    ]})  # fmt: skip
    assert read(b"\x02\x04\x04\x06", 0) == ({"a": 2, "b": 3}, 4)
    for body in (b"\x04", b"\x00\x06"):  # branch 2 of a two-branch union; branch 3 of three
        with pytest.raises(DECODE_ERRORS):
            read(body, 0)


def test_block_counts_past_the_data_are_refused_before_looping() -> None:
    read = compile_reader({"type": "array", "items": "string"})
    with pytest.raises(DECODE_ERRORS):
        read(zigzag_varint(10**9) + b"\x00", 0)
    negative_count_with_size = zigzag_varint(-2) + zigzag_varint(4) + b"\x02a\x02b\x00"
    assert read(negative_count_with_size, 0) == (["a", "b"], len(negative_count_with_size))


def test_unsupported_schemas_are_refused_at_generation() -> None:
    recursive = {"type": "record", "name": "N", "fields": [{"name": "next", "type": ["null", "N"]}]}
    with pytest.raises(Unsupported):
        compile_reader(recursive)

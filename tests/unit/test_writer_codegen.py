"""The generated Avro writers produce exactly fastavro's bytes (schemas.serde.Codec.encode):
over the synthetic company's touchpoints and over hypothesis-made records of every subject."""

from __future__ import annotations

import io
from typing import Any

import pytest
from fastavro import schemaless_writer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.generator import generate_touchpoints
from schemas import catalogue
from schemas.serde import Codec
from schemas.wire_encoder import wire_encoder, writer_schema
from schemas.writer_codegen import Unsupported, compile_encoder, encoder_source, zigzag_varint

NOW = 1_790_000_000_000
_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)


def records(schema: Any, named: dict[str, Any] | None = None) -> st.SearchStrategy[Any]:
    """Any record valid for ``schema`` (a parsed schema without logical types)."""
    named = {} if named is None else named
    if isinstance(schema, list):
        return st.one_of([records(branch, named) for branch in schema])
    if isinstance(schema, str):
        return _primitive(schema, named)
    kind = schema["type"]
    if kind == "record":
        named[schema["name"]] = schema
        fields = {f["name"]: records(f["type"], named) for f in schema["fields"]}
        optional = [f["name"] for f in schema["fields"] if "default" in f]
        return st.tuples(st.fixed_dictionaries(fields), st.sets(st.sampled_from(optional or [""])))
        # (record, fields to leave out) - mapped below
    if kind == "array":
        return st.lists(records(schema["items"], named), max_size=3)
    if kind == "map":
        return st.dictionaries(st.text(max_size=8), records(schema["values"], named), max_size=3)
    if kind == "enum":
        return st.sampled_from(schema["symbols"])
    return _primitive(kind, named)


def _primitive(kind: str, named: dict[str, Any]) -> st.SearchStrategy[Any]:
    strategies: dict[str, st.SearchStrategy[Any]] = {
        "null": st.none(),
        "boolean": st.booleans(),
        "int": st.integers(*_INT32),
        "long": st.integers(*_INT64),
        "float": st.floats(width=32, allow_nan=False),
        "double": st.floats(allow_nan=False),
        "string": st.text(max_size=40),
        "bytes": st.binary(max_size=40),
    }
    return strategies[kind] if kind in strategies else records(named[kind], named)


def _drop(value: Any) -> Any:
    """Resolve the (record, left-out fields) pairs: a record may omit fields with defaults."""
    if isinstance(value, tuple):
        record, left_out = value
        return {k: _drop(v) for k, v in record.items() if k not in left_out}
    if isinstance(value, list):
        return [_drop(v) for v in value]
    if isinstance(value, dict):
        return {k: _drop(v) for k, v in value.items()}
    return value


def fastavro_bytes(schema: Any, record: Any) -> bytes:
    buf = io.BytesIO()
    schemaless_writer(buf, schema, record)
    return buf.getvalue()


@pytest.mark.parametrize("subject", catalogue.TOP_LEVEL)
def test_every_subject_has_a_generated_writer(subject: str) -> None:
    source, _consts = encoder_source(writer_schema(subject))
    assert source.startswith("def encode(record, out):")


@pytest.mark.parametrize("subject", catalogue.TOP_LEVEL)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_bytes_equal_fastavro(subject: str, data: st.DataObject) -> None:
    schema = writer_schema(subject)
    record = _drop(data.draw(records(schema)))
    assert compile_encoder(schema)(record) == fastavro_bytes(schema, record)


@settings(max_examples=300, deadline=None)
@given(st.integers(*_INT64))
def test_varint_equals_fastavro(value: int) -> None:
    assert zigzag_varint(value) == fastavro_bytes("long", value)


@pytest.mark.parametrize(
    "value", [0, 1, -1, 63, 64, -65, 2**35 - 1, 2**35, 2**42 - 1, 2**42, NOW, -NOW, *_INT64]
)
def test_varint_edges(value: int) -> None:
    assert zigzag_varint(value) == fastavro_bytes("long", value)


def test_wire_encoder_matches_codec_over_the_synthetic_company() -> None:
    touchpoints = generate_touchpoints(300, 30, 7, NOW).touchpoints
    codec = Codec(catalogue.TOUCHPOINT)
    encode = wire_encoder(catalogue.TOUCHPOINT)
    assert len(touchpoints) > 1000
    for touchpoint in touchpoints:
        assert encode(touchpoint) == codec.encode(touchpoint)


def test_wire_encoder_matches_codec_over_the_published_files(tmp_path: Any) -> None:
    from connectors.file_import import read_rows
    from connectors.generator import write_company
    from connectors.publish import infer_sources
    from schemas.errors import InvalidEvent

    write_company(tmp_path, 200, 20, 3, NOW)
    codec = Codec(catalogue.TOUCHPOINT)
    encode = wire_encoder(catalogue.TOUCHPOINT)
    checked = 0
    for path, source in infer_sources(tmp_path):
        for _number, result, _raw in read_rows(path, source, "DE", NOW):
            if not isinstance(result, InvalidEvent):
                assert encode(result) == codec.encode(result)
                checked += 1
    assert checked > 1000


def test_wire_header_is_the_pinned_schema_id() -> None:
    touchpoint = generate_touchpoints(20, 5, 1, NOW).touchpoints[0]
    data = wire_encoder(catalogue.TOUCHPOINT)(touchpoint)
    assert data[0] == 0
    assert int.from_bytes(data[1:5], "big") == catalogue.current(catalogue.TOUCHPOINT).schema_id
    assert Codec(catalogue.TOUCHPOINT).decode(data) == touchpoint


@pytest.mark.parametrize(
    "schema",
    [
        ["null", "string", "long"],
        {"type": "record", "name": "R", "fields": [{"name": "next", "type": ["null", "R"]}]},
    ],
)
def test_unsupported_schemas_are_refused_at_generation(schema: Any) -> None:
    with pytest.raises(Unsupported):
        compile_encoder(schema)


def test_identity_changes_and_dead_letters_encode_as_the_codec_does() -> None:
    """The identity worker writes both with generated writers (streams/identity/pipeline.py)."""
    from streams.identity.model import Change
    from streams.identity.wire import change_record

    changes = [
        Change("linked", "p1", None, "email:anna@example.com", None, "new_identifier", "e1", 1),
        Change("merged", "p1", "p2", "crm_id:C-1", "h9", "merging_identifier", "e2", 2**41),
        Change("household_linked", "p3", None, None, "hä", "shared_address", "ü", 0),
    ]
    encode = wire_encoder(catalogue.IDENTITY_CHANGE)
    codec = Codec(catalogue.IDENTITY_CHANGE)
    for c in changes:
        record = change_record(c, 1_760_000_000_000)
        assert encode(record) == codec.encode(record)
    from schemas.errors import InvalidEvent
    from streams.common.deadletters import for_message
    from streams.common.messages import RawMessage

    letters = [
        for_message("identity", RawMessage(b"\x00junk", "t", 3, 42), InvalidEvent(r, d), 7, ev)
        for r, d, ev in [
            ("malformed_avro", "trailing bytes", None),
            ("no_usable_identifier", "", {"event_id": "e9", "source_system": "web"}),
        ]
    ]
    encode = wire_encoder(catalogue.DEAD_LETTER)
    codec = Codec(catalogue.DEAD_LETTER)
    for record in letters:
        assert encode(record) == codec.encode(record)

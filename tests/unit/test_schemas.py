"""The contract: every released schema version reads and is read by every other version; the
lock pins the current files; the codec round-trips and rejects bad bytes with a reason."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import avro.schema
import pytest
from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType

from schemas import catalogue
from schemas.errors import InvalidEvent
from schemas.serde import Codec, HeadDecoder


def _avro(path: Path) -> avro.schema.Schema:
    return avro.schema.parse(path.read_text())


def _version_pairs() -> list[tuple[str, Path, Path]]:
    pairs = []
    for subject in catalogue.TOP_LEVEL:
        files = catalogue.version_files(subject)
        pairs += [(subject, a, b) for a in files for b in files]
    return pairs


@pytest.mark.parametrize(("subject", "reader", "writer"), _version_pairs())
def test_every_version_reads_every_other(subject: str, reader: Path, writer: Path) -> None:
    result = ReaderWriterCompatibilityChecker().get_compatibility(_avro(reader), _avro(writer))
    assert result.compatibility is SchemaCompatibilityType.compatible, (subject, result.messages)


@pytest.mark.parametrize("subject", catalogue.TOP_LEVEL)
def test_current_schema_is_released_and_pinned(subject: str) -> None:
    current = catalogue.current(subject)
    latest = catalogue.version_files(subject)[-1]
    assert int(latest.stem[1:]) == current.version
    assert catalogue.by_id(current.schema_id).canonical == current.canonical


def test_schema_ids_are_unique() -> None:
    ids = [e["id"] for es in catalogue.read_lock().values() for e in es]
    assert len(ids) == len(set(ids))


def test_each_avsc_holds_one_named_record() -> None:
    for path in catalogue.AVRO_DIR.glob("*.avsc"):
        schema = json.loads(path.read_text())
        assert schema["type"] == "record"
        assert f"{schema['namespace']}.{schema['name']}" == path.stem


def _touchpoint() -> dict[str, object]:
    return {
        "event_id": "e1",
        "event_type": "order_placed",
        "source_system": "orders",
        "event_time": 1_700_000_000_000,
        "received_time": 1_700_000_000_100,
        "identifiers": [{"type": "email", "value": "a@example.com"}],
        "amount": 12.5,
        "currency": "EUR",
        "due_date": 19_700,
        "relations": [{"kind": "payer", "identifier": {"type": "crm_id", "value": "C1"}}],
        "attributes": {"first_name": "Ada"},
    }


def test_codec_round_trip_keeps_values_and_fills_defaults() -> None:
    codec = Codec(catalogue.TOUCHPOINT)
    decoded = codec.decode(codec.encode(_touchpoint()))
    assert decoded["amount"] == 12.5
    assert decoded["due_date"] == 19_700
    assert decoded["event_time"] == 1_700_000_000_000
    assert decoded["relations"][0]["identifier"]["value"] == "C1"
    assert decoded["channel"] is None
    assert decoded["extras"] == {}


def test_wire_format_header_carries_pinned_id() -> None:
    data = Codec(catalogue.TOUCHPOINT).encode(_touchpoint())
    magic, schema_id = struct.unpack(">bI", data[:5])
    assert (magic, schema_id) == (0, catalogue.current(catalogue.TOUCHPOINT).schema_id)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "malformed_avro"),
        (b"\x01\x00\x00\x00\x01abc", "malformed_avro"),
        (b"\x00\x00\x00\x03\xe7abc", "unknown_schema_id"),
        (b"\x00\x00\x00\x00\x01\xff\xff\xff", "malformed_avro"),
    ],
)
def test_bad_bytes_raise_invalid_event_with_reason(data: bytes, reason: str) -> None:
    with pytest.raises(InvalidEvent) as err:
        Codec(catalogue.TOUCHPOINT).decode(data)
    assert err.value.reason == reason


def test_decoder_reads_trailing_garbage_as_malformed() -> None:
    codec = Codec(catalogue.TOUCHPOINT)
    with pytest.raises(InvalidEvent):
        codec.decode(codec.encode(_touchpoint()) + b"\x00")


def _encoded_with_first_version(record: dict[str, object]) -> bytes:
    import io

    import fastavro

    first = catalogue.version_files(catalogue.TOUCHPOINT)[0]
    schema_id = next(
        e["id"] for e in catalogue.read_lock()[catalogue.TOUCHPOINT] if e["version"] == 1
    )
    buf = io.BytesIO()
    buf.write(struct.pack(">bI", 0, schema_id))
    fastavro.schemaless_writer(buf, fastavro.parse_schema(json.loads(first.read_text())), record)
    return buf.getvalue()


def test_head_decoder_reads_the_leading_fields_of_the_current_writer() -> None:
    head = HeadDecoder(catalogue.TOUCHPOINT, "relations")
    full = Codec(catalogue.TOUCHPOINT).decode(Codec(catalogue.TOUCHPOINT).encode(_touchpoint()))
    decoded = head.decode(Codec(catalogue.TOUCHPOINT).encode(_touchpoint()))
    assert set(decoded) == head.fields
    assert "identifiers" in decoded and "relations" in decoded and "amount" not in decoded
    assert decoded == {k: full[k] for k in head.fields}
    assert not head.complete(decoded)


def test_head_decoder_decodes_an_older_writer_in_full() -> None:
    head = HeadDecoder(catalogue.TOUCHPOINT, "relations")
    decoded = head.decode(_encoded_with_first_version(_touchpoint()))
    assert head.complete(decoded)
    assert decoded["amount"] == 12.5
    assert decoded["relations"][0]["identifier"]["value"] == "C1"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x00\x00\x00\x03\xe7abc", "unknown_schema_id"),
        (b"\x00" + struct.pack(">I", catalogue.current(catalogue.TOUCHPOINT).schema_id) + b"\xff",
         "malformed_avro"),
    ],
)  # fmt: skip
def test_head_decoder_rejects_bad_bytes_with_reason(data: bytes, reason: str) -> None:
    with pytest.raises(InvalidEvent) as err:
        HeadDecoder(catalogue.TOUCHPOINT, "relations").decode(data)
    assert err.value.reason == reason

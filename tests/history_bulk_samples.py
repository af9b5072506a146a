"""Resolved touchpoints for comparing the history sink's bulk path with its per-message path:
a generated company plus hand-made edge cases (absent values, empty strings, unicode, zero and
negative times, boundary dates), and messages only the per-message path may handle."""

from __future__ import annotations

from typing import Any

from connectors.generator import generate_touchpoints
from schemas import catalogue
from schemas.serde import Codec
from tests import history_samples as hs

END_MS = hs.T0


def generated(customers: int = 40, days: int = 60, seed: int = 3) -> list[dict[str, Any]]:
    """The company's resolved touchpoints, one per event_id: the generator's duplicates differ in
    received_time only, and which of two such rows a ReplacingMergeTree keeps (on a merge, or
    on insert in current ClickHouse) depends on row order, which the bulk path does not keep."""
    records = generate_touchpoints(customers, days, seed, END_MS).resolved_by_truth(END_MS + 5000)
    return list({r["touchpoint"]["event_id"]: r for r in reversed(records)}.values())[::-1]


def _bare(event_id: str, profile_id: str) -> dict[str, Any]:
    """Every optional field absent, no personal data at all (so no `pii` row)."""
    record = hs.resolved(event_id, profile_id=profile_id, household_id=None)
    record["touchpoint"].update(identifiers=[], relations=[], attributes={}, extras={})
    return record


def edge_cases() -> list[dict[str, Any]]:
    """Valid records the bulk path must write exactly as the per-message path does."""
    full = hs.resolved(
        "edge-full", profile_id="pE1", household_id="", channel="", direction="inbound",
        amount=0.0, cost=-1.5, quantity=-3, score=0, currency="EUR", due_date=0,
        paid_date=-5, start_date=1, end_date=65535, page="/tarif/zoë", answer="日本 🎉",
        relations=[{"kind": "spouse", "identifier": {"type": "phone", "value": "+4930111"}}],
        attributes={"first_name": "Zoë", "city": ""}, extras={"note": "x" * 300, "empty": ""},
    )  # fmt: skip
    times = hs.resolved("edge-times", profile_id="pE2", amount=12.25, quantity=2_000_000_000)
    times["touchpoint"].update(event_time=0, received_time=-1000)
    times["resolved_time"] = 999
    late = hs.resolved("edge-late", profile_id="pE3", email="späť@example.com")
    late["touchpoint"].update(event_time=4_294_967_295_999, received_time=86_399_999)
    long_id = hs.resolved("edge-" + "é" * 5000, profile_id="pE4", extras={"k": "v" * 70_000})
    return [_bare("edge-bare", "pE0"), full, times, late, long_id]


def per_message_only() -> list[dict[str, Any]]:
    """Valid records the bulk path hands to the per-message path (clickhouse-driver writes a
    date after 2149-06-06 as day 0; the bulk query does not emulate that)."""
    return [hs.resolved("edge-far-date", profile_id="pE5", due_date=70_000)]


def invalid_utf8() -> bytes:
    """Valid Avro structure, but a string that is not UTF-8: fastavro rejects it."""
    value = Codec(catalogue.RESOLVED).encode(hs.resolved("BADUTF8X", profile_id="pE6"))
    return value.replace(b"BADUTF8X", b"\xff\xfe\xfd\xfcBAD!")


def duplicate_map_key() -> bytes:
    """A map with a repeated key: fastavro's dict keeps the last value."""
    record = hs.resolved("edge-dupkey", profile_id="pE7", extras={"dupkeyA": "1", "dupkeyB": "2"})
    return Codec(catalogue.RESOLVED).encode(record).replace(b"dupkeyB", b"dupkeyA")


def truncated(value: bytes, cut: int = 3) -> bytes:
    return value[:-cut]


def trailing(value: bytes, extra: bytes = b"\x00" * 20) -> bytes:
    return value + extra

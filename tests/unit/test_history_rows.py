"""Pure row mapping of the history sink: no network."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.errors import InvalidEvent
from sinks.history import profile_map, rows_erasure
from sinks.history.batch import DEAD_LETTER, ERASURE, IDENTITY, RESOLVED, Batch
from sinks.history.rows_deadletter import DEAD_LETTER_COLUMNS, dead_letter_row, rejected
from sinks.history.rows_events import EVENT_COLUMNS, PII_COLUMNS, event_row, pii_row
from sinks.history.rows_identity import IDENTITY_COLUMNS, MergeEdge, identity_row, merge_edge
from tests import history_samples as hs


def as_dict(columns, row):
    assert len(columns) == len(row)
    return dict(zip(columns, row, strict=True))


def test_event_row_types_and_defaults():
    r = hs.resolved("e1", amount=12.5, quantity=2, due_date=19_700, score=0)
    row = as_dict(EVENT_COLUMNS, event_row(r))
    assert row["event_id"] == "e1" and row["profile_id"] == "p1" and row["household_id"] == "h1"
    assert row["event_time"] == hs.T0 // 1000 and row["event_time_ms"] == hs.T0
    assert row["event_date"] == date(2023, 11, 14)
    assert (row["amount"], row["has_amount"]) == (12.5, 1)
    assert (row["cost"], row["has_cost"]) == (0.0, 0)
    assert (row["quantity"], row["has_quantity"]) == (2, 1)
    assert (row["score"], row["has_score"]) == (0, 1)
    assert row["due_date"] == date(2023, 12, 9) and row["paid_date"] == date(1970, 1, 1)
    assert row["channel"] == "" and row["identifier_types"] == ["email", "phone"]


def test_events_row_holds_no_personal_data():
    r = hs.resolved(
        "e1", relations=[{"kind": "spouse", "identifier": {"type": "phone", "value": "+49301"}}]
    )
    flat = repr(event_row(r))
    for secret in ("anna@example.com", "+4915112345678", "Anna", "Berlin", "+49301"):
        assert secret not in flat
    assert as_dict(EVENT_COLUMNS, event_row(r))["relation_kinds"] == ["spouse"]


def test_pii_row_carries_identifiers_relations_attributes():
    r = hs.resolved(
        "e1",
        relations=[{"kind": "spouse", "identifier": {"type": "phone", "value": "+49301"}}],
        extras={"x": "y"},
    )
    row = as_dict(PII_COLUMNS, pii_row(r))
    assert row["identifier_values"] == ["anna@example.com", "+4915112345678"]
    assert row["relation_values"] == ["+49301"] and row["relation_types"] == ["phone"]
    assert dict(zip(row["attribute_keys"], row["attribute_values"], strict=True)) == {
        "first_name": "Anna",
        "city": "Berlin",
    }
    assert (row["extra_keys"], row["extra_values"]) == (["x"], ["y"])


def test_identity_row_and_merge_edge():
    linked = hs.identity_change("c1")
    row = as_dict(IDENTITY_COLUMNS, identity_row(linked))
    assert row["identifier_value"] == "anna@example.com" and row["from_profile_id"] == ""
    assert merge_edge(linked) is None
    m = hs.merged("c2", "p1", "p2", hs.T0 + 5000)
    assert merge_edge(m) == MergeEdge("p2", "p1", hs.T0 + 5000, "c2")
    assert as_dict(IDENTITY_COLUMNS, identity_row(m))["identifier_type"] == ""


def test_dead_letter_rows():
    row = as_dict(DEAD_LETTER_COLUMNS, dead_letter_row(hs.dead_letter("d1", "e1")))
    assert row["source_partition"] == 0 and row["event_id"] == "e1"
    bad = rejected(InvalidEvent("malformed_avro", "magic"), b"xx", "t", 3, 9, hs.T0)
    again = rejected(InvalidEvent("malformed_avro", "magic"), b"xx", "t", 3, 9, hs.T0)
    assert bad["dead_letter_id"] == again["dead_letter_id"]  # replays collapse
    row = as_dict(DEAD_LETTER_COLUMNS, dead_letter_row(bad))
    assert (row["stage"], row["reason"], row["source_offset"]) == ("history", "malformed_avro", 9)
    none = dict(hs.dead_letter("d2"), partition=None, offset=None)
    assert dead_letter_row(none)[6:8] == (-1, -1)


def test_batch_routes_kinds_and_skips_pii_of_erased():
    batch = Batch(erased={"p9"})
    batch.add(RESOLVED, hs.resolved("e1"))
    batch.add(RESOLVED, hs.resolved("e2", profile_id="p9"))
    batch.add(IDENTITY, hs.merged("c1", "p1", "p2", hs.T0))
    batch.add(ERASURE, hs.erasure("x1", "p3"))
    batch.add(DEAD_LETTER, hs.dead_letter("d1"))
    assert len(batch.events) == 2 and len(batch.pii) == 1
    assert batch.edges == [MergeEdge("p2", "p1", hs.T0, "c1")]
    assert batch.erased_profiles() == {"p3"} and batch.rows == 5
    with pytest.raises(ValueError):
        batch.add("nope", {})


def test_batch_offsets_are_next_positions():
    batch = Batch()
    batch.seen("t", 0, 5)
    batch.seen("t", 0, 6)
    batch.seen("t", 1, 0)
    assert batch.offsets == {("t", 0): 7, ("t", 1): 1} and batch.messages == 3


def edge(merged, survivor, version):
    return MergeEdge(merged, survivor, version, f"c{version}")


def survivors(rows):
    return {r[0]: r[1] for r in rows}


def test_profile_map_closes_chains_in_order():
    rows = profile_map.close([edge("A", "B", 1), edge("B", "C", 2)], {})
    assert survivors(rows) == {"A": "C", "B": "C"}
    assert all(r[2] == 2 for r in rows)


def test_profile_map_repoints_stored_children():
    stored = {"A": profile_map.Mapped("B", 1, "c1")}
    rows = profile_map.close([edge("B", "C", 2)], stored)
    assert survivors(rows) == {"A": "C", "B": "C"}


def test_profile_map_late_edge_goes_to_current_survivor():
    stored = {"B": profile_map.Mapped("C", 2, "c2")}
    assert survivors(profile_map.close([edge("A", "B", 1)], stored)) == {"A": "C"}


def test_profile_map_replay_emits_nothing_and_cycles_terminate():
    stored = {"A": profile_map.Mapped("C", 2, "c2"), "B": profile_map.Mapped("C", 2, "c2")}
    assert profile_map.close([edge("A", "B", 1), edge("B", "C", 2)], stored) == []
    rows = profile_map.close([edge("A", "B", 1), edge("B", "A", 2)], {})
    assert all(r[0] != r[1] for r in rows)


def test_profile_map_nodes():
    every, merged = profile_map.nodes([edge("A", "B", 1)])
    assert every == {"A", "B"} and merged == {"A"}


def test_erasure_row_and_mutations():
    row = rows_erasure.erasure_row(hs.erasure("x1", "p1", "p2"))
    assert row[:2] == ("x1", ["p1", "p2"]) and row[3] == hs.T0 + 10_000
    sql = rows_erasure.mutations("db", ["p1"], {"o'brien@x.de", ""}, ["e1"])
    assert sql[0] == "ALTER TABLE db.pii DELETE WHERE profile_id IN ('p1')"
    assert any("identity_changes UPDATE identifier_value = ''" in s for s in sql)
    assert any("positionCaseInsensitive(payload, 'o\\'brien@x.de')" in s for s in sql)
    assert sql[-1] == "ALTER TABLE db.dead_letters DELETE WHERE event_id IN ('e1')"
    assert "''" not in sql[2].split("hasAny")[1]  # empty values are not erased everywhere


def test_erasure_lookup_queries_name_every_source():
    queries = rows_erasure.lookup_queries("db", ["p1"])
    assert set(queries) == {"merged", "values", "change_values", "event_ids"}
    assert "db.profile_map" in queries["merged"]


def test_chunks():
    assert rows_erasure.chunks(["b", "a", "a", "c"], 2) == [["a", "b"], ["c"]]

"""The synthetic company: deterministic, every bad reason, honest ground truth."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import pytest

from connectors.generator import GROUND_TRUTH, SUMMARY, generate_touchpoints, write_company
from connectors.generator.noise import CORRUPTIONS
from schemas.vocab import SOURCE_SYSTEMS

END_MS = 1_735_689_600_000  # 2025-01-01T00:00:00Z
HOUSEHOLD_IDS = {"address_key"}  # shared on purpose by a household; never an identity


@pytest.fixture(scope="module")
def company():
    return generate_touchpoints(150, 30, 11, END_MS)


def test_same_seed_same_output(tmp_path: Path) -> None:
    a = write_company(tmp_path / "a", 40, 14, 5, END_MS)
    b = write_company(tmp_path / "b", 40, 14, 5, END_MS)
    assert a == b
    for f in sorted((tmp_path / "a").iterdir()):
        assert f.read_bytes() == (tmp_path / "b" / f.name).read_bytes(), f.name
    c = write_company(tmp_path / "c", 40, 14, 6, END_MS)
    web = "web.jsonl"
    assert (tmp_path / "c" / web).read_bytes() != (tmp_path / "a" / web).read_bytes()
    assert c["people"] > 0


def test_generate_touchpoints_is_deterministic() -> None:
    a = generate_touchpoints(30, 10, 3, END_MS)
    b = generate_touchpoints(30, 10, 3, END_MS)
    assert a.touchpoints == b.touchpoints and a.truth == b.truth


def test_companies_made_with_other_arguments_share_no_event_id() -> None:
    """Event ids are the idempotency key: a company generated for another end time (e.g. the
    demo run an hour later) holds other events, so it must not reuse the first one's ids."""
    a = generate_touchpoints(30, 10, 3, END_MS)
    for other in (END_MS + 3_600_000, END_MS + 5 * 3_600_000):
        b = generate_touchpoints(30, 10, 3, other)
        assert not a.truth.keys() & b.truth.keys()
        assert {p for p, _ in a.truth.values()} == {p for p, _ in b.truth.values()}


def test_every_bad_reason_present(company) -> None:
    reasons = {reason for _raw, reason in company.bad}
    assert reasons == set(CORRUPTIONS)
    assert company.summary["bad_by_reason"].keys() == set(CORRUPTIONS)
    events = company.summary["events"]
    assert 0.01 < company.summary["bad"] / events < 0.06


def test_volume_and_every_source(company) -> None:
    per_customer_90d = len(company.touchpoints) / 150 * 90 / 30
    assert 25 < per_customer_90d < 70
    sources = {tp["source_system"] for tp in company.touchpoints}
    assert sources == SOURCE_SYSTEMS


def test_duplicates_share_event_ids_and_truth_covers_all(company) -> None:
    ids = [tp["event_id"] for tp in company.touchpoints]
    assert len(ids) > len(set(ids))  # duplicates included
    assert set(ids) <= set(company.truth)
    assert len(company.truth) == len(set(ids)) + len(company.bad)


def test_no_two_people_share_a_deterministic_identifier(company) -> None:
    owner: dict[tuple[str, str], str] = {}
    for tp in company.touchpoints:
        person = company.truth[tp["event_id"]][0]
        for ident in tp["identifiers"]:
            if ident["type"] in HOUSEHOLD_IDS:
                continue
            key = (ident["type"], ident["value"])
            assert owner.setdefault(key, person) == person, key


def test_household_hints_point_inside_the_household(company) -> None:
    household_of = {p["person_id"]: p["household_id"] for p in company.people}
    owner = {}
    for tp in company.touchpoints:
        for ident in tp["identifiers"]:
            owner[(ident["type"], ident["value"])] = company.truth[tp["event_id"]][0]
    relations = 0
    for tp in company.touchpoints:
        person, household = company.truth[tp["event_id"]]
        for rel in tp["relations"]:
            relations += 1
            other = owner.get((rel["identifier"]["type"], rel["identifier"]["value"]))
            if other is not None:
                assert household_of[other] == household
    assert relations > 0
    kinds = {r["kind"] for tp in company.touchpoints for r in tp["relations"]}
    assert {"payer", "insured_driver"} <= kinds


def test_each_persons_events_are_linkable(company) -> None:
    """Union of events by shared deterministic identifiers: one component per person."""
    parent: dict[object, object] = {}

    def find(x: object) -> object:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for tp in company.touchpoints:
        node = ("event", tp["event_id"])
        for ident in tp["identifiers"]:
            if ident["type"] not in HOUSEHOLD_IDS:
                parent[find((ident["type"], ident["value"]))] = find(node)
    components = defaultdict(set)
    for tp in company.touchpoints:
        components[company.truth[tp["event_id"]][0]].add(find(("event", tp["event_id"])))
    assert all(len(c) == 1 for c in components.values())


def test_no_blocked_junk_values(company) -> None:
    junk = ("test@", "example.", "noreply", "@test.", "unknown", "n/a")
    for tp in company.touchpoints:
        for ident in tp["identifiers"]:
            assert not any(j in ident["value"] for j in junk), ident
            assert len(set(ident["value"].lstrip("+"))) > 2, ident  # no 0000000 / 1111111


def test_late_and_out_of_order(company) -> None:
    times = [tp["event_time"] for tp in company.touchpoints]
    assert any(b < a for a, b in zip(times, times[1:], strict=False))
    late = [tp for tp in company.touchpoints if tp["received_time"] - tp["event_time"] > 86_400_000]
    assert late


def test_written_files_match_ground_truth(tmp_path: Path) -> None:
    summary = write_company(tmp_path, 60, 14, 2, END_MS)
    with (tmp_path / GROUND_TRUTH).open() as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["event_id", "source_system", "person_id", "household_id", "bad_reason"]
    assert len(rows) == len({r["event_id"] for r in rows}) == summary["events"]
    bad = defaultdict(int)
    for r in rows:
        if r["bad_reason"]:
            bad[r["bad_reason"]] += 1
    assert dict(bad) == summary["bad_by_reason"]
    assert json.loads((tmp_path / SUMMARY).read_text())["events"] == summary["events"]
    for source in summary["sources"].values():
        assert (tmp_path / source["file"]).exists()

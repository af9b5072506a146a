"""Identity quality against ground truth (pure): pairwise precision and recall of events grouped
into profiles, and household precision, from contingency counts (no O(n^2) pair lists).

precision = pairs of events put in one profile that truly are one person / pairs put together
recall    = pairs of one person's events put in one profile / pairs of one person's events;
            "linkable" recall counts only pairs the data can link: events of one person joined by
            a chain of shared (non-blocked, identity) identifiers; "all" counts every pair.
household precision = pairs of events in one predicted household that truly share a household.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Pairwise:
    precision: float
    recall: float
    together: int  # predicted pairs
    true_pairs: int
    correct: int


@dataclass(frozen=True)
class Report:
    events: int
    profiles: int
    persons: int
    identity: Pairwise
    identity_all: Pairwise
    households: Pairwise
    households_predicted: int


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise(predicted: Mapping[str, Hashable], truth: Mapping[str, Hashable]) -> Pairwise:
    keys = [k for k in predicted if k in truth]
    pred = Counter(predicted[k] for k in keys)
    true = Counter(truth[k] for k in keys)
    cells = Counter((predicted[k], truth[k]) for k in keys)
    together = sum(_pairs(n) for n in pred.values())
    true_pairs = sum(_pairs(n) for n in true.values())
    correct = sum(_pairs(n) for n in cells.values())
    return Pairwise(
        correct / together if together else 1.0,
        correct / true_pairs if true_pairs else 1.0,
        together,
        true_pairs,
        correct,
    )


def linkable_truth(
    person_of: Mapping[str, str], members_of: Mapping[str, Iterable[str]]
) -> dict[str, tuple[str, str]]:
    """event -> (person, component): events of one person chained by shared identifiers."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for event_id, person in person_of.items():
        node = "e:" + event_id
        find(node)
        for m in members_of.get(event_id, ()):
            parent[find(node)] = find(f"m:{person}:{m}")
    return {e: (p, find("e:" + e)) for e, p in person_of.items()}


def evaluate(
    profile_of: Mapping[str, str],
    household_of: Mapping[str, str | None],
    members_of: Mapping[str, Iterable[str]],
    truth: Mapping[str, tuple[str, str]],
) -> Report:
    """profile_of: event -> final profile; household_of: final profile -> household;
    truth: event -> (person, household) for good events."""
    events = {e: p for e, p in profile_of.items() if e in truth}
    person_of = {e: truth[e][0] for e in events}
    hh_pred = {e: hh for e, p in events.items() if (hh := household_of.get(p)) is not None}
    hh_true = {e: truth[e][1] for e in events}
    return Report(
        events=len(events),
        profiles=len(set(events.values())),
        persons=len(set(person_of.values())),
        identity=pairwise(events, linkable_truth(person_of, members_of)),
        identity_all=pairwise(events, person_of),
        households=pairwise(hh_pred, hh_true),
        households_predicted=len(hh_pred),
    )


def read_truth(path: Path) -> dict[str, tuple[str, str]]:
    """ground_truth.csv -> event_id -> (person_id, household_id), good records only."""
    with path.open(newline="") as f:
        return {
            row["event_id"]: (row["person_id"], row["household_id"])
            for row in csv.DictReader(f)
            if not row.get("bad_reason")
        }


def format_report(r: Report) -> str:
    lines = [
        f"events evaluated        {r.events}",
        f"profiles / persons      {r.profiles} / {r.persons}",
        f"precision               {r.identity.precision:.6f}"
        f"  ({r.identity.correct} of {r.identity.together} pairs)",
        f"recall (linkable)       {r.identity.recall:.6f}"
        f"  ({r.identity.correct} of {r.identity.true_pairs} pairs)",
        f"recall (all pairs)      {r.identity_all.recall:.6f}"
        f"  ({r.identity_all.correct} of {r.identity_all.true_pairs} pairs)",
        f"household precision     {r.households.precision:.6f}"
        f"  ({r.households.correct} of {r.households.together} pairs,"
        f" {r.households_predicted} events with a household)",
        f"household recall        {r.households.recall:.6f}",
    ]
    return "\n".join(lines)

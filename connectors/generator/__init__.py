"""The synthetic company: every source system's exports for a population with households.

``generate_touchpoints`` gives the valid, normalised touchpoints (what the file import
publishes, in arrival order, duplicates included), the truth per event and the bad records;
``write_company`` writes the raw exports (connectors/mappings/<source>.yaml describe them),
ground_truth.csv and summary.json.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from connectors.generator.company import SOURCES, arrival_order, as_read, build_company
from connectors.generator.output import (
    GROUND_TRUTH,
    SUMMARY,
    file_name,
    summarise,
    write_source,
    write_truth,
)
from connectors.mapping import load_mapping, map_row
from connectors.validate import validate_touchpoint

__all__ = [
    "SOURCES",
    "Generated",
    "generate_touchpoints",
    "write_company",
    "file_name",
    "GROUND_TRUTH",
    "SUMMARY",
]


@dataclass
class Generated:
    touchpoints: list[dict[str, Any]]  # valid, normalised; arrival order; duplicates included
    truth: dict[str, tuple[str, str]]  # event_id -> (person_id, household_id), good and bad
    bad: list[tuple[dict[Any, Any], str]]  # (raw row as read from its file, expected reason)
    people: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)

    def resolved_by_truth(self, resolved_time: int) -> list[dict[str, Any]]:
        """cdp.ResolvedTouchpoint dicts as a perfect identity stage would emit them (profile =
        true person), for testing and benchmarking the stages after identity on their own."""
        return [
            {
                "touchpoint": t,
                "profile_id": self.truth[t["event_id"]][0],
                "household_id": self.truth[t["event_id"]][1],
                "resolved_time": resolved_time,
            }
            for t in self.touchpoints
        ]


def generate_touchpoints(
    customers: int, days: int, seed: int, end_ms: int, region: str = "DE"
) -> Generated:
    people, ctx = build_company(customers, days, seed, end_ms)
    headers = {s: load_mapping(s).column_names for s in SOURCES}
    out = Generated([], {}, [], people, summarise(people, ctx))
    for row in arrival_order(ctx):
        mapping = load_mapping(row.source)
        read = as_read(row, mapping.format, headers[row.source])
        out.truth[row.event_id] = (row.person_id, row.household_id)
        if row.bad_reason:
            out.bad.append((read, row.bad_reason))
            continue
        candidate = map_row(read, mapping)
        candidate["received_time"] = max(row.emit_ms, row.event_ms)
        out.touchpoints.append(validate_touchpoint(candidate, end_ms, region))
    return out


def write_company(
    out_dir: str | Path, customers: int, days: int, seed: int, end_ms: int
) -> dict[str, Any]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    people, ctx = build_company(customers, days, seed, end_ms)
    for source in SOURCES:
        write_source(out / file_name(source), source, ctx.rows[source])
    write_truth(out / GROUND_TRUTH, ctx)
    summary = summarise(people, ctx)
    summary.update(customers_requested=customers, days=days, seed=seed)
    (out / SUMMARY).write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    return summary

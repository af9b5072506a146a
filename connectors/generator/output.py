"""Writing the synthetic company: one export file per source, ground_truth.csv, summary.json."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

from connectors.generator import noise
from connectors.generator.company import SOURCES
from connectors.generator.context import Ctx, Row
from connectors.generator.population import Person
from connectors.mapping import load_mapping

GROUND_TRUTH = "ground_truth.csv"
SUMMARY = "summary.json"
TRUTH_COLUMNS = ("event_id", "source_system", "person_id", "household_id", "bad_reason")


def file_name(source: str) -> str:
    return f"{source}.{load_mapping(source).format}"


def write_source(path: Path, source: str, rows: list[Row]) -> None:
    mapping = load_mapping(source)
    with path.open("w", newline="", encoding="utf-8") as fh:
        if mapping.format == "csv":
            _write_csv(fh, mapping.column_names, mapping.delimiter, rows)
        else:
            _write_jsonl(fh, rows)


def _write_csv(fh: Any, header: list[str], delimiter: str, rows: list[Row]) -> None:
    writer = csv.writer(fh, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        data = row.data
        cells = ["" if data.get(c) is None else data[c] for c in header]
        writer.writerow(cells + data.get(noise.EXTRA_CELLS, []))


def _write_jsonl(fh: Any, rows: list[Row]) -> None:
    dumps = json.dumps
    for row in rows:
        fh.write(
            dumps(
                {k: v for k, v in row.data.items() if v is not None},
                ensure_ascii=False,
                separators=(",", ":"),
            )
        )
        fh.write("\n")


def write_truth(path: Path, ctx: Ctx) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(TRUTH_COLUMNS)
        for source in SOURCES:
            for row in ctx.rows[source]:
                if not row.duplicate:
                    writer.writerow(
                        (row.event_id, source, row.person_id, row.household_id, row.bad_reason)
                    )


def summarise(people: list[Person], ctx: Ctx) -> dict[str, Any]:
    per_source: dict[str, Any] = {}
    bad: Counter[str] = Counter()
    for source in SOURCES:
        rows = ctx.rows[source]
        duplicates = sum(r.duplicate for r in rows)
        bad_rows = [r.bad_reason for r in rows if r.bad_reason]
        bad.update(bad_rows)
        per_source[source] = {
            "file": file_name(source),
            "rows": len(rows),
            "events": len(rows) - duplicates,
            "duplicates": duplicates,
            "bad": len(bad_rows),
            "good_rows": len(rows) - len(bad_rows),
        }
    rows_total = sum(s["rows"] for s in per_source.values())
    bad_total = sum(bad.values())
    return {
        "sources": per_source,
        "rows": rows_total,
        "good_rows": rows_total - bad_total,
        "events": sum(s["events"] for s in per_source.values()),
        "duplicates": sum(s["duplicates"] for s in per_source.values()),
        "bad": bad_total,
        "bad_by_reason": dict(sorted(bad.items())),
        "people": len(people),
        "customers": sum(p["is_customer"] for p in people),
        "households": len({p["household_id"] for p in people}),
        "start_ms": ctx.start_ms,
        "end_ms": ctx.end_ms,
    }

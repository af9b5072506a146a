"""File import, the pure part: CSV/JSONL export rows -> validated touchpoints or InvalidEvent.

Streams the file (one row in memory at a time). Row numbers count data rows from 1 (a CSV
header is not a row). Publishing (Kafka, rejects file, progress) is connectors.publish.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from connectors.mapping import Mapping, load_mapping, map_row
from connectors.validate import validate_touchpoint
from core.settings import Settings
from schemas.errors import InvalidEvent

EXTRA_CELLS_KEY = "_extra_cells"  # how cells beyond the CSV header appear in a rejects file
Result = dict[str, Any] | InvalidEvent


def read_source_file(
    path: str | Path, source_system: str, settings: Settings, now_ms: int
) -> Iterator[tuple[int, Result]]:
    """(row number, normalised touchpoint or InvalidEvent) for every row of the file."""
    for number, result, _raw in read_rows(path, source_system, settings.default_region, now_ms):
        yield number, result


def read_rows(
    path: str | Path, source_system: str, region: str, now_ms: int
) -> Iterator[tuple[int, Result, Any]]:
    """Like read_source_file, with the raw row (dict, or the line for unreadable JSON)."""
    mapping = load_mapping(source_system)
    with open_export(path) as fh:
        for number, raw in enumerate(raw_rows(fh, mapping), 1):
            if isinstance(raw, _Unreadable):
                yield number, InvalidEvent("malformed_json", raw.detail), raw.line
                continue
            try:
                yield number, validate_touchpoint(map_row(raw, mapping), now_ms, region), raw
            except InvalidEvent as exc:
                yield number, exc, raw


def open_export(path: str | Path) -> IO[str]:
    return open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - caller closes


class _Unreadable:
    def __init__(self, line: str, detail: str) -> None:
        self.line, self.detail = line, detail


def raw_rows(fh: IO[str], mapping: Mapping) -> Iterator[dict[Any, Any] | _Unreadable]:
    if mapping.format == "csv":
        yield from csv.DictReader(fh, delimiter=mapping.delimiter)
        return
    loads = json.loads
    for line in fh:
        if not line.strip():
            continue
        try:
            row = loads(line)
        except ValueError as exc:
            yield _Unreadable(line, f"not JSON ({type(exc).__name__})")
            continue
        yield row if isinstance(row, dict) else _Unreadable(line, "a line must be a JSON object")


def raw_bytes(raw: Any, mapping: Mapping) -> bytes:
    """The row as the file held it (CSV rows are re-joined in the file's dialect)."""
    if isinstance(raw, str):
        return raw.rstrip("\n").encode()
    if mapping.format != "csv":
        return json.dumps(raw, ensure_ascii=False, separators=(",", ":")).encode()
    cells = [v for k, v in raw.items() if k is not None] + list(raw.get(None) or [])
    return _csv_line(cells, mapping.delimiter).encode()


def raw_json(raw: Any) -> Any:
    """The raw row for a rejects file (JSON-safe: extra CSV cells under _extra_cells)."""
    if isinstance(raw, dict) and None in raw:
        return {**{k: v for k, v in raw.items() if k is not None}, EXTRA_CELLS_KEY: raw[None]}
    return raw


def _csv_line(cells: list[Any], delimiter: str) -> str:
    import io

    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="").writerow(cells)
    return buf.getvalue()

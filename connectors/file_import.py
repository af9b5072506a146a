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

import orjson

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
        header, rows = data_rows(fh, mapping)
        for number, row in enumerate(rows, 1):
            result, raw = judge_row(row, header, mapping, now_ms, region)
            yield number, result, raw


def judge_row(
    row: Any, header: list[str] | None, mapping: Mapping, now_ms: int, region: str
) -> tuple[Result, Any]:
    """One row as data_rows gives it, mapped and validated: (touchpoint or InvalidEvent, the
    raw row: a dict as csv.DictReader or json gives it, or the line of unreadable JSON)."""
    if isinstance(row, _Unreadable):
        return InvalidEvent("malformed_json", row.detail), row.line
    raw = row if header is None else as_dict(header, row)
    try:
        return validate_touchpoint(map_row(raw, mapping), now_ms, region), raw
    except InvalidEvent as exc:
        return exc, raw


def open_export(path: str | Path) -> IO[str]:
    return open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - caller closes


class _Unreadable:
    def __init__(self, line: str, detail: str) -> None:
        self.line, self.detail = line, detail


def raw_rows(fh: IO[str], mapping: Mapping) -> Iterator[dict[Any, Any] | _Unreadable]:
    header, rows = data_rows(fh, mapping)
    if header is None:
        return rows
    return (as_dict(header, row) for row in rows)


def data_rows(fh: IO[str], mapping: Mapping) -> tuple[list[str] | None, Iterator[Any]]:
    """(CSV header, the file's data rows): CSV rows as lists of cells (blank lines skipped,
    as csv.DictReader does), JSONL rows as dicts or _Unreadable (header None)."""
    if mapping.format != "csv":
        return None, _json_rows(fh)
    reader = csv.reader(fh, delimiter=mapping.delimiter)
    return next(reader, None), filter(None, reader)


def as_dict(header: list[str], cells: list[str]) -> dict[Any, Any]:
    """A CSV row as csv.DictReader gives it: cells beyond the header under None, missing
    ones None."""
    row: dict[Any, Any] = dict(zip(header, cells, strict=False))
    if len(header) < len(cells):
        row[None] = cells[len(header) :]
    elif len(header) > len(cells):
        for column in header[len(cells) :]:
            row[column] = None
    return row


def _json_rows(fh: IO[str]) -> Iterator[dict[Any, Any] | _Unreadable]:
    loads = json_loads
    for line in fh:
        if not line.strip():
            continue
        try:
            row = loads(line)
        except ValueError as exc:
            yield _Unreadable(line, f"not JSON ({type(exc).__name__})")
            continue
        yield row if isinstance(row, dict) else _Unreadable(line, "a line must be a JSON object")


def json_loads(line: str) -> Any:
    """json.loads(line), faster: orjson's answer where it is certainly json's (an object of
    plain values, no number beyond 64 bits: orjson reads those as floats), json's otherwise
    (its value, or its error for the rejects file)."""
    try:
        row = orjson.loads(line)
    except Exception:
        return json.loads(line)
    if type(row) is not dict:
        return json.loads(line)
    for value in row.values():
        kind = type(value)
        if kind is float:
            if not -_INT64 < value < _INT64:
                return json.loads(line)
        elif kind is dict or kind is list:
            return json.loads(line)  # nesting: json's limits and big numbers anywhere
    return row


_INT64 = 2.0**63


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

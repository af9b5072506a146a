"""The file import's row outcome the old way and the new way, for differential tests.

old: the reader before the fast path (csv.DictReader / json.loads per line), then map_row ->
validate_touchpoint -> the wire encoder and partition_key, exactly as publish_file did.
new: connectors.file_import.data_rows, the fused row function, and on None judge_row.
An outcome is ("accepted", key, value), ("rejected", reason, detail) or ("error", type).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from connectors.file_import import data_rows, judge_row
from connectors.fused import fused_rows
from connectors.keys import partition_key
from connectors.mapping import Mapping, map_row
from connectors.validate import validate_touchpoint
from schemas.catalogue import TOUCHPOINT
from schemas.errors import InvalidEvent
from schemas.wire_encoder import wire_encoder, wire_header

END_MS = 1_735_689_600_000
NOW = END_MS + 3_600_000
REGION = "DE"
ENCODE = wire_encoder(TOUCHPOINT)
HEADER = wire_header(TOUCHPOINT)
Outcome = tuple[Any, ...]


def old_rows(text: str, mapping: Mapping) -> list[Any]:
    """The rows as the reader before the fast path gave them (None: malformed JSON)."""
    if mapping.format == "csv":
        return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=mapping.delimiter))
    return [_loads(line) for line in io.StringIO(text, newline="") if line.strip()]


def _loads(line: str) -> Any:
    try:
        row = json.loads(line)
    except ValueError:
        return None
    return row if isinstance(row, dict) else None


def old_outcome(raw: Any, mapping: Mapping, now_ms: int = NOW) -> Outcome:
    if raw is None:
        return ("rejected", "malformed_json")
    try:
        touchpoint = validate_touchpoint(map_row(raw, mapping), now_ms, REGION)
    except InvalidEvent as exc:
        return ("rejected", exc.reason, exc.detail)
    except Exception as exc:  # the old path let these escape; so must the new one
        return ("error", type(exc).__name__)
    return ("accepted", partition_key(touchpoint), ENCODE(touchpoint))


def new_outcomes(text: str, mapping: Mapping, now_ms: int = NOW) -> tuple[list[Outcome], int]:
    """Every row's outcome the new way, and how many the fused function answered."""
    header, rows = data_rows(io.StringIO(text, newline=""), mapping)
    fused = fused_rows(mapping, header, REGION, now_ms, HEADER)
    outcomes, answered = [], 0
    for row in rows:
        hit = fused(row)
        if hit is not None:
            outcomes.append(("accepted", *hit))
            answered += 1
        else:
            outcomes.append(_slow(row, header, mapping, now_ms))
    return outcomes, answered


def _slow(row: Any, header: list[str] | None, mapping: Mapping, now_ms: int) -> Outcome:
    try:
        result, _raw = judge_row(row, header, mapping, now_ms, REGION)
    except Exception as exc:
        return ("error", type(exc).__name__)
    if isinstance(result, InvalidEvent):
        if result.reason == "malformed_json":
            return ("rejected", "malformed_json")
        return ("rejected", result.reason, result.detail)
    return ("accepted", partition_key(result), ENCODE(result))


def old_outcomes(text: str, mapping: Mapping, now_ms: int = NOW) -> list[Outcome]:
    return [old_outcome(raw, mapping, now_ms) for raw in old_rows(text, mapping)]

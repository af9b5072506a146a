"""What real exports look like: late rows, duplicates (same event_id) and bad records.

Each bad record is a corrupted copy of a good row under a new event id, with the reason the
file import must reject it for (see connectors.validate). Corruptions are chosen from what
the source's mapping makes possible (e.g. an oversized free-text column)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from connectors.formats import PARSERS, TIME_FORMATTERS
from connectors.generator.context import DAY_MS, Ctx, Row
from connectors.mapping import FIELD, IDENT, Mapping

LATE_SHARE = 0.03
DUPLICATE_SHARE = 0.015
BAD_SHARE = 0.03
EXTRA_CELLS = None  # csv.DictReader's key for cells beyond the header
FAR_FUTURE_MS = 3650 * DAY_MS
OVERSIZED = 5000  # characters: above connectors.validate.limits.MAX_STRING


def add_noise(ctx: Ctx) -> None:
    for source, rows in ctx.rows.items():
        _noise_source(ctx, source, rows)
    _every_reason(ctx)
    for rows in ctx.rows.values():
        rows.sort(key=lambda r: r.emit_ms)


def _every_reason(ctx: Ctx) -> None:
    """Small companies still carry one bad record of every reason some source allows."""
    seen = {r.bad_reason for rows in ctx.rows.values() for r in rows if r.bad_reason}
    for reason in CORRUPTIONS:
        if reason in seen:
            continue
        for source, rows in ctx.rows.items():
            mapping = ctx.mapping(source)
            good = [
                r
                for r in rows
                if not r.bad_reason
                and not r.duplicate
                and CORRUPTIONS[reason](r.data, mapping, True)
            ]
            if good:
                rows.append(_bad(ctx, ctx.rng.choice(good), mapping, reason))
                break


def _noise_source(ctx: Ctx, source: str, rows: list[Row]) -> None:
    mapping = ctx.mapping(source)
    for row in list(rows):
        roll = ctx.rng.random()
        if roll < LATE_SHARE:
            row.emit_ms += ctx.rng.randint(1, 240) * 3_600_000
        elif roll < LATE_SHARE + DUPLICATE_SHARE:
            rows.append(_duplicate(ctx, row))
        elif roll < LATE_SHARE + DUPLICATE_SHARE + BAD_SHARE:
            bad = _bad(ctx, row, mapping)
            if bad is not None:
                rows.append(bad)


def _duplicate(ctx: Ctx, row: Row) -> Row:
    later = row.emit_ms + ctx.rng.randint(1, 72 * 60) * 60_000
    return dataclasses.replace(row, emit_ms=later, data=dict(row.data), duplicate=True)


def _bad(ctx: Ctx, row: Row, mapping: Mapping, reason: str | None = None) -> Row | None:
    options = [r for r, fn in CORRUPTIONS.items() if fn(row.data, mapping, True)]
    if not options:
        return None
    reason = reason or ctx.rng.choice(options)
    corrupt = CORRUPTIONS[reason]
    eid = ctx.next_id(row.source)
    data = dict(row.data)
    data[_column(mapping, "event_id")] = eid
    corrupt(data, mapping, False)
    return dataclasses.replace(
        row, event_id=eid, data=data, bad_reason=reason, emit_ms=row.emit_ms + 1
    )


def _column(mapping: Mapping, field: str) -> str:
    return next(
        c
        for c, acts in mapping.columns.items()
        if any(a[0] == FIELD and a[1] == field for a in acts)
    )


def _columns(mapping: Mapping, kind: int, name: str | None = None) -> list[str]:
    return [
        c
        for c, acts in mapping.columns.items()
        if any(a[0] == kind and (name is None or a[1] == name) for a in acts)
    ]


def _parse_name(mapping: Mapping, column: str) -> str:
    parser = mapping.columns[column][0][2]
    return next(n for n, p in PARSERS.items() if p is parser)


# each corruption: (row data, mapping, check_only) -> applicable?
Corruption = Callable[[dict, Mapping, bool], bool]


def unknown_field(data: dict, mapping: Mapping, check: bool) -> bool:
    if not check:
        if mapping.format == "csv":
            data[EXTRA_CELLS] = ["LEGACY"]
        else:
            data["legacy_flag"] = "Y"
    return True


def wrong_type(data: dict, mapping: Mapping, check: bool) -> bool:
    if not check:
        data[_column(mapping, "event_time")] = "gestern"
    return True


def missing_field(data: dict, mapping: Mapping, check: bool) -> bool:
    if not check:
        del data[_column(mapping, "event_id")]
    return True


def future_timestamp(data: dict, mapping: Mapping, check: bool) -> bool:
    column = _column(mapping, "event_time")
    fmt = TIME_FORMATTERS[_parse_name(mapping, column)]
    if not check:
        data[column] = fmt(_ms(data, mapping, column) + FAR_FUTURE_MS)
    return True


def _ms(data: dict, mapping: Mapping, column: str) -> int:
    return int(mapping.columns[column][0][2](data[column]))


def invalid_identifier(data: dict, mapping: Mapping, check: bool) -> bool:
    present = [c for c in _columns(mapping, IDENT, "email") if data.get(c)]
    if present and not check:
        data[present[0]] = data[present[0]].strip().replace("@", "(at)")
    return bool(present)


def empty_identifier(data: dict, mapping: Mapping, check: bool) -> bool:
    present = [c for c in _columns(mapping, IDENT) if data.get(c)]
    if present and not check:
        data[present[0]] = "   "
    return bool(present)


def no_usable_identifier(data: dict, mapping: Mapping, check: bool) -> bool:
    if mapping.derived:
        return False
    if not check:
        for column in _columns(mapping, IDENT):
            data.pop(column, None)
    return True


def unknown_source_system(data: dict, mapping: Mapping, check: bool) -> bool:
    columns = _columns(mapping, FIELD, "source_system")
    if columns and not check:
        data[columns[0]] = "callcenter_legacy"
    return bool(columns)


def unknown_event_type(data: dict, mapping: Mapping, check: bool) -> bool:
    columns = _columns(mapping, FIELD, "event_type")
    if columns and not check:
        data[columns[0]] = "XX"
    return bool(columns)


def oversized(data: dict, mapping: Mapping, check: bool) -> bool:
    columns = [c for c in ("note", "notes") if c in mapping.columns]
    if columns and not check:
        data[columns[0]] = "Lorem ipsum dolor sit amet. " * (OVERSIZED // 28 + 1)
    return bool(columns)


CORRUPTIONS: dict[str, Corruption] = {
    "unknown_field": unknown_field,
    "wrong_type": wrong_type,
    "missing_field": missing_field,
    "future_timestamp": future_timestamp,
    "invalid_identifier": invalid_identifier,
    "empty_identifier": empty_identifier,
    "no_usable_identifier": no_usable_identifier,
    "unknown_source_system": unknown_source_system,
    "unknown_event_type": unknown_event_type,
    "oversized": oversized,
}

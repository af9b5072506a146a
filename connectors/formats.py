"""Raw value formats of source-system exports, both ways (pure).

``PARSERS[name](value)`` reads a raw cell (CSV strings; JSON strings or numbers) into the
contract's type: timestamps -> epoch ms, dates -> days since 1970-01-01, numbers -> float/int.
``TIME_FORMATTERS``/``DATE_FORMATTERS`` write them (used by the synthetic company).
Times without a zone are UTC. A value that does not parse raises InvalidEvent("wrong_type").
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from schemas.errors import InvalidEvent

DAY_MS = 86_400_000
_EPOCH_DAY = date(1970, 1, 1).toordinal()


def _bad(kind: str) -> InvalidEvent:
    return InvalidEvent("wrong_type", f"value is not {kind}")


def parse_epoch_ms(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    raise _bad("epoch milliseconds")


def parse_iso(value: Any) -> int:
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise _bad("an ISO-8601 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def parse_de_datetime(value: Any) -> int:
    """dd.mm.yyyy HH:MM:SS"""
    try:
        d, m, y = value[0:2], value[3:5], value[6:10]
        return parse_iso(f"{y}-{m}-{d}T{value[11:19]}") if len(value) == 19 else _fail()
    except (TypeError, InvalidEvent):
        raise _bad("a time like 31.12.2024 23:59:59") from None


def _fail() -> int:
    raise _bad("a time")


def parse_de_date(value: Any) -> int:
    """dd.mm.yyyy -> days since 1970-01-01."""
    try:
        return date(int(value[6:10]), int(value[3:5]), int(value[0:2])).toordinal() - _EPOCH_DAY
    except (TypeError, ValueError):
        raise _bad("a date like 31.12.2024") from None


def parse_iso_date(value: Any) -> int:
    try:
        return date.fromisoformat(value).toordinal() - _EPOCH_DAY
    except (TypeError, ValueError):
        raise _bad("an ISO date (YYYY-MM-DD)") from None


def parse_decimal(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise _bad("a number") from None


def parse_decimal_comma(value: Any) -> float:
    """German amounts: 1.234,50 or 12,5."""
    if isinstance(value, str):
        value = value.replace(".", "").replace(",", ".")
    return parse_decimal(value)


def parse_int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _bad("an integer") from None


def parse_string(value: Any) -> Any:
    return value  # types are checked by connectors.validate


# date columns used as a time: midnight UTC of that day
def _day_ms(parse: Callable[[Any], int]) -> Callable[[Any], int]:
    return lambda value: parse(value) * DAY_MS


PARSERS: dict[str, Callable[[Any], Any]] = {
    "string": parse_string,
    "epoch_ms": parse_epoch_ms,
    "iso": parse_iso,
    "de_datetime": parse_de_datetime,
    "de_date": parse_de_date,
    "iso_date": parse_iso_date,
    "de_date_ms": _day_ms(parse_de_date),
    "iso_date_ms": _day_ms(parse_iso_date),
    "decimal": parse_decimal,
    "decimal_comma": parse_decimal_comma,
    "int": parse_int,
}


# ---- writing (the synthetic company) ----
def _tm(ms: int) -> time.struct_time:
    return time.gmtime(ms // 1000)


def _hms(t: time.struct_time) -> str:
    return f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}"


def fmt_iso(ms: int) -> str:
    t = _tm(ms)
    return f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}T{_hms(t)}Z"


def fmt_iso_space(ms: int) -> str:
    t = _tm(ms)
    return f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d} {_hms(t)}"


def fmt_de_datetime(ms: int) -> str:
    t = _tm(ms)
    return f"{t.tm_mday:02d}.{t.tm_mon:02d}.{t.tm_year:04d} {_hms(t)}"


def fmt_de_date(days: int) -> str:
    d = date.fromordinal(days + _EPOCH_DAY)
    return f"{d.day:02d}.{d.month:02d}.{d.year:04d}"


def fmt_iso_date(days: int) -> str:
    return date.fromordinal(days + _EPOCH_DAY).isoformat()


def fmt_decimal_comma(amount: float) -> str:
    return f"{amount:.2f}".replace(".", ",")


def fmt_decimal(amount: float) -> str:
    return f"{amount:.2f}"


# how the generator writes an event time for a column parsed with the named parser
TIME_FORMATTERS: dict[str, Callable[[int], Any]] = {
    "epoch_ms": lambda ms: ms,
    "iso": fmt_iso,
    "de_datetime": fmt_de_datetime,
    "de_date_ms": lambda ms: fmt_de_date(ms // DAY_MS),
    "iso_date_ms": lambda ms: fmt_iso_date(ms // DAY_MS),
}
DATE_FORMATTERS: dict[str, Callable[[int], str]] = {
    "de_date": fmt_de_date,
    "iso_date": fmt_iso_date,
}

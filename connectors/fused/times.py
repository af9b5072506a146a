"""Exact, faster stand-ins for connectors.formats' date and time parsers on the fused path.

Dates are memoised whole (a file holds few distinct days). Times of the two common spellings
(``2025-10-03T02:15:56Z`` and ``03.10.2025 08:00:09``) are the memoised parse of their hour
(the same text with ``:00:00``) plus minutes and seconds from a table of the 3600 ``MM:SS``
spellings: the parser reads those fields independently, and whole seconds are exact in its
float arithmetic. Any other input goes to the parser itself; failures are not memoised.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from connectors.formats import PARSERS, parse_de_datetime, parse_iso

Parser = Callable[[Any], Any]
MEMO_MAX = 100_000  # memoised spellings per parser before its memo starts afresh
MMSS = {f"{m:02d}:{s:02d}": (m * 60 + s) * 1000 for m in range(60) for s in range(60)}
HOURS = frozenset(f"{h:02d}" for h in range(24))  # no 24:00 (which some Pythons read)
_DATES = ("de_date", "iso_date", "de_date_ms", "iso_date_ms")


@cache
def faster(parser: Parser) -> Parser:
    """The stand-in for one of connectors.formats.PARSERS (the parser itself if none)."""
    if parser is parse_iso:
        return _iso_z(parser)
    if parser is parse_de_datetime:
        return _de_datetime(parser)
    if any(parser is PARSERS[name] for name in _DATES):
        return _whole(parser)
    return parser


def _whole(parse: Parser) -> Parser:
    memo: dict[str, Any] = {}

    def parse_memoised(value: Any) -> Any:
        out = memo.get(value)  # only str keys: no other value equals one
        if out is None:
            out = parse(value)
            if type(value) is str:
                _remember(memo, value, out)
        return out

    return parse_memoised


def _iso_z(parse: Parser) -> Parser:
    """YYYY-MM-DDTHH:MM:SSZ: fromisoformat reads HH, MM and SS alike whatever they hold."""

    def shape(value: str) -> bool:
        return value[19] == "Z" and value[10] == "T" and value[4] == value[7] == "-"

    return _by_hour(parse, 20, ":00:00Z", shape)


def _de_datetime(parse: Parser) -> Parser:
    """dd.mm.yyyy HH:MM:SS: the parser builds yyyy-mm-ddTHH:MM:SS from fixed slices."""
    return _by_hour(parse, 19, ":00:00", None)


def _by_hour(
    parse: Parser, length: int, hour_suffix: str, shape: Callable[[str], bool] | None
) -> Parser:
    """A time of ``length`` characters with HH at 11-12 and MM:SS at 14-18 (and ``shape``,
    when given): the memoised parse of its hour (``value[:13] + hour_suffix``) plus MM:SS."""
    hours: dict[str, int] = {}

    def parse_by_hour(value: Any) -> Any:
        if type(value) is str and len(value) == length and value[13] == ":":
            offset = MMSS.get(value[14:19])
            if offset is not None and (shape is None or shape(value)):
                hour = hours.get(value[:13])
                if hour is None and value[11:13] in HOURS:
                    hour = _remember(hours, value[:13], parse(value[:13] + hour_suffix))
                if hour is not None:
                    return hour + offset
        return parse(value)

    return parse_by_hour


def _remember(memo: dict[str, Any], key: str, value: Any) -> Any:
    if len(memo) >= MEMO_MAX:
        memo.clear()
    memo[key] = value
    return value

"""Time conversions for ClickHouse columns (pure): DateTime takes epoch seconds as an int (no
datetime objects on the hot path), Date takes a ``datetime.date`` (cached per day)."""

from __future__ import annotations

from datetime import date, timedelta

EPOCH = date(1970, 1, 1)
MS_PER_DAY = 86_400_000
_DATES: dict[int, date] = {}


def day(days: int | None) -> date:
    """Days since 1970-01-01 -> date; None -> 1970-01-01 (the documented 'absent' date)."""
    if days is None or days <= 0:
        return EPOCH
    found = _DATES.get(days)
    if found is None:
        found = _DATES[days] = EPOCH + timedelta(days=days)
    return found


def day_of_ms(ms: int) -> date:
    return day(ms // MS_PER_DAY)


def seconds(ms: int | None) -> int:
    """Epoch ms -> epoch seconds for a DateTime column (negative clamps to 0)."""
    return ms // 1000 if ms and ms > 0 else 0


def millis(ms: int | None) -> int:
    return ms if ms and ms > 0 else 0

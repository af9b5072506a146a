"""view.iso's integer formatting equals the datetime formula it replaced."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from streams.profiles.view import iso, iso_day

YEARS_1900_2100 = st.integers(min_value=-2_208_988_800_000, max_value=4_102_444_800_000)


def by_datetime(t_ms: float) -> str:
    return datetime.fromtimestamp(t_ms / 1000, UTC).isoformat(timespec="milliseconds")


@given(YEARS_1900_2100)
def test_iso_matches_datetime(t_ms: int) -> None:
    assert iso(t_ms) == by_datetime(t_ms)


def test_iso_edges() -> None:
    assert iso(None) is None and iso_day(None) is None
    assert iso(0) == "1970-01-01T00:00:00.000+00:00"
    assert iso(-1) == "1969-12-31T23:59:59.999+00:00"
    assert iso(1_730_539_512_123) == "2024-11-02T09:25:12.123+00:00"
    assert iso(1_730_539_512_123.0) == by_datetime(1_730_539_512_123.0)  # type: ignore[arg-type]
    assert iso_day(19_999) == "2024-10-03"

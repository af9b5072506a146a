"""The profile as the API and the CLI show it (pure): readable names, ISO times."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from streams.profiles import traits
from streams.profiles.state import State

_EPOCH = date(1970, 1, 1)


def iso(t_ms: int | None) -> str | None:
    """UTC with milliseconds, e.g. ``2024-11-02T09:25:12.123+00:00``; integer arithmetic on the
    (cached) day, as a profile has ~20 times and this runs on every API read."""
    if t_ms is None:
        return None
    if type(t_ms) is not int:
        return datetime.fromtimestamp(t_ms / 1000, UTC).isoformat(timespec="milliseconds")
    day, ms = divmod(t_ms, 86_400_000)
    hh, mm, ss = ms // 3_600_000, ms // 60_000 % 60, ms // 1000 % 60
    return f"{_day(day)}T{hh:02d}:{mm:02d}:{ss:02d}.{ms % 1000:03d}+00:00"


@lru_cache(maxsize=8192)
def _day(day: int) -> str:
    return (_EPOCH + timedelta(days=day)).isoformat()


def iso_day(day: int | None) -> str | None:
    return None if day is None else _day(day)


def _times(mapping: dict[str, int]) -> dict[str, str | None]:
    return {k: iso(t) for k, t in sorted(mapping.items())}


def render(
    profile_id: str, s: State, now_ms: int, household_members: list[str] | None = None
) -> dict[str, Any]:
    orders = traits.orders(s)
    orders.update(first=iso(orders["first"]), last=iso(orders["last"]))
    complaints = traits.complaints(s)
    complaints["last"] = iso(complaints["last"])
    web = traits.web(s)
    web["last_visit"] = iso(web["last_visit"])
    web["documents"] = [{"document": d["document"], "at": iso(d["at"])} for d in web["documents"]]
    products = traits.products(s, now_ms)
    for p in products:
        p["start"], p["end"] = iso_day(p.pop("start_day")), iso_day(p.pop("end_day"))
    consent = {
        p: {ch: {"state": v["state"], "at": iso(v["at"])} for ch, v in chans.items()}
        for p, chans in traits.consent(s).items()
    }
    rt = traits.response_time_ms(s)
    hh = s.get("hh")
    return {
        "profile_id": profile_id,
        "first_seen": iso(s.get("fs")),
        "last_seen": iso(s.get("ls")),
        "events": s.get("n", 0),
        "attributes": traits.attributes(s),
        "survey_answers": {q: a for q, (a, _) in sorted(s.get("sv", {}).items())},
        "customer": traits.is_customer(s),
        "orders": orders,
        "payments": traits.payments(s, now_ms),
        "products": products,
        "complaints": complaints,
        "communication": traits.communication(s),
        "response_time_seconds": None if rt is None else round(rt / 1000, 1),
        "preferred_channel": traits.preferred_channel(s),
        "web": web,
        "touched_by": {
            "departments": _times(s.get("dp", {})),
            "source_systems": _times(s.get("sr", {})),
        },
        "consent": consent,
        "household": {
            "id": hh[0] if hh else None,
            "members": sorted(m for m in household_members or [] if m != profile_id),
        },
        "merged_from": s.get("mg", []),
    }

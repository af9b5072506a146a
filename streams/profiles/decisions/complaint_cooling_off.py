"""No cross-sell or upsell while a complaint is open or within the cooling-off period after one."""

from __future__ import annotations

from streams.profiles import traits
from streams.profiles.decisions.model import Context, Reason
from streams.profiles.state import DAY_MS

RULE = "complaint_cooling_off"


def check(ctx: Context) -> list[Reason]:
    if ctx.purpose not in ctx.config.cooling_off_purposes:
        return []
    c = traits.complaints(ctx.state)
    reasons = []
    if c["open"]:
        reasons.append(Reason("open_complaint", f"{c['open']} complaint(s) still open", RULE))
    days = ctx.config.cooling_off_days
    last = c["last"]
    if last is not None and last <= ctx.at_ms < last + days * DAY_MS:
        reasons.append(
            Reason("recent_complaint", f"a complaint was opened less than {days} days ago", RULE)
        )
    return reasons

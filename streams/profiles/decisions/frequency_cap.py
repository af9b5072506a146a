"""At most N outbound marketing contacts per channel within the window (default 7 days)."""

from __future__ import annotations

from streams.profiles import traits
from streams.profiles.decisions.model import Context, Reason
from streams.profiles.state import DAY_MS

RULE = "frequency_cap"


def check(ctx: Context) -> list[Reason]:
    if not ctx.marketing:
        return []
    days, cap = ctx.config.frequency_window_days, ctx.config.cap(ctx.channel)
    seen = traits.marketing_contacts(ctx.state, ctx.channel, ctx.at_ms - days * DAY_MS, ctx.at_ms)
    if seen < cap:
        return []
    return [
        Reason(
            "frequency_cap",
            f"{seen} marketing contacts on {ctx.channel} in the last {days} days (cap {cap})",
            RULE,
        )
    ]

"""No marketing calls (quiet channels) on quiet days or outside contact hours, in the customer's
own time zone (attribute ``timezone``, else the configured default)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from streams.profiles.decisions.model import Context, Reason

RULE = "quiet_hours"
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def zone(ctx: Context) -> ZoneInfo:
    name = ctx.state.get("a", {}).get("timezone", [ctx.config.default_timezone])[0]
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(ctx.config.default_timezone)


def check(ctx: Context) -> list[Reason]:
    if not ctx.marketing or ctx.channel not in ctx.config.quiet_channels:
        return []
    tz = zone(ctx)
    local = datetime.fromtimestamp(ctx.at_ms / 1000, UTC).astimezone(tz)
    reasons = []
    if local.weekday() in ctx.config.quiet_weekdays:
        reasons.append(
            Reason(
                "quiet_day",
                f"no marketing on {ctx.channel} on a {DAYS[local.weekday()]} ({tz.key})",
                RULE,
            )
        )
    start, end = ctx.config.contact_hours
    if not start <= local.hour < end:
        reasons.append(
            Reason(
                "quiet_hours",
                f"{local:%H:%M} local time ({tz.key}) is outside {start:02d}:00-{end:02d}:00",
                RULE,
            )
        )
    return reasons

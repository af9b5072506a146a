"""Marketing needs consent for the purpose (or generic marketing) on the channel (or all channels).
The latest record at the decision time wins; on a tie, withdrawn wins."""

from __future__ import annotations

from typing import Any

from streams.profiles.decisions.model import Context, Reason

RULE = "consent"


def relevant(ctx: Context) -> list[list[Any]]:
    purposes = {ctx.purpose, *ctx.config.consent_wildcard_purposes}
    channels = {ctx.channel, ctx.config.consent_wildcard_channel}
    return [
        rec
        for key, rec in ctx.state.get("cs", {}).items()
        if key.split("|", 1)[0] in purposes
        and key.split("|", 1)[1] in channels
        and rec[1] <= ctx.at_ms
    ]


def check(ctx: Context) -> list[Reason]:
    if not ctx.marketing:
        return []
    records = relevant(ctx)
    if not records:
        return [Reason("no_consent", f"no consent for {ctx.purpose} on {ctx.channel}", RULE)]
    state, _ = max(records, key=lambda r: (r[1], r[0] == "withdrawn"))
    if state != "granted":
        return [
            Reason(
                "consent_withdrawn",
                f"consent for {ctx.purpose} on {ctx.channel} was withdrawn",
                RULE,
            )
        ]
    return []

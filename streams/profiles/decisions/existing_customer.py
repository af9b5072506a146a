"""Existing customers are excluded from acquisition campaigns."""

from __future__ import annotations

from streams.profiles import traits
from streams.profiles.decisions.model import Context, Reason

RULE = "existing_customer"


def check(ctx: Context) -> list[Reason]:
    if ctx.purpose != "acquisition" or not traits.is_customer(ctx.state):
        return []
    return [
        Reason(
            "existing_customer",
            "the person is already a customer: acquisition campaigns exclude them",
            RULE,
        )
    ]

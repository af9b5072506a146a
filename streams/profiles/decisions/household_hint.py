"""A hint, never a denial: a household member holds a product category this person does not
("the wife's car is insured with us, his is not")."""

from __future__ import annotations

from streams.profiles import traits
from streams.profiles.decisions.model import Context, Hint

RULE = "household_hint"


def hints(ctx: Context) -> list[Hint]:
    own = traits.active_categories(ctx.state, ctx.at_ms)
    held: set[str] = set()
    for member in ctx.household:
        held |= traits.active_categories(member, ctx.at_ms)
    missing = sorted(held - own)
    if not missing:
        return []
    return [
        Hint(
            "household_cross_sell",
            f"a household member holds {', '.join(missing)} with us; this person does not",
            {"categories": missing},
        )
    ]

"""The synthetic company, chained in one place: population -> every source's rows -> noise.

Deterministic for (customers, days, seed, end_ms): one seeded RNG drawn in a fixed order.
"""

from __future__ import annotations

import random
from typing import Any

from connectors.generator import noise
from connectors.generator.context import DAY_MS, Ctx, Row, company_tag
from connectors.generator.population import Person, build_population
from connectors.generator.sources import commerce, contact_centre, finance, marketing, masterdata
from connectors.generator.sources import web as web_source
from schemas.vocab import SOURCE_SYSTEM_ORDER

SOURCES = SOURCE_SYSTEM_ORDER


def build_company(customers: int, days: int, seed: int, end_ms: int) -> tuple[list[Person], Ctx]:
    """People and every source's raw rows (sorted by when they reach the export)."""
    rng = random.Random(seed)
    people = build_population(rng, customers)
    tag = company_tag(customers, days, seed, end_ms)
    ctx = Ctx(rng, end_ms - days * DAY_MS, end_ms, days, {s: [] for s in SOURCES}, tag)
    by_id = {p["person_id"]: p for p in people}
    for p in people:
        finance.billing(ctx, p)
        finance.accounting(ctx, p)
        commerce.orders(ctx, p)
        commerce.pos(ctx, p)
        masterdata.erp(ctx, p, by_id)
        masterdata.hr(ctx, p)
        masterdata.external(ctx, p)
        web_source.web(ctx, p)
        marketing.campaigns(ctx, p)
        marketing.consent(ctx, p)
        marketing.surveys(ctx, p)
        contact_centre.contact_centre(ctx, p)
    marketing.acquisition_list(ctx, people)
    noise.add_noise(ctx)
    return people, ctx


def arrival_order(ctx: Ctx) -> list[Row]:
    """Every row of every source in the order a real-time feed would deliver them."""
    return sorted((r for rows in ctx.rows.values() for r in rows), key=lambda r: r.emit_ms)


def as_read(row: Row, fmt: str, header: list[str]) -> dict[Any, Any]:
    """The row as the file reader yields it (csv: every header column, strings, '' = empty)."""
    if fmt != "csv":
        return row.data
    data = row.data
    read: dict[Any, Any] = {c: _cell(data.get(c)) for c in header}
    if noise.EXTRA_CELLS in data:
        read[noise.EXTRA_CELLS] = data[noise.EXTRA_CELLS]
    return read


def _cell(value: Any) -> str:
    return "" if value is None else str(value)

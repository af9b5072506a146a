"""Billing (invoices, payments, reminders; shared payer accounts) and accounting (cost to serve)."""

from __future__ import annotations

from connectors.formats import fmt_de_date, fmt_de_datetime, fmt_decimal_comma
from connectors.generator.context import DAY_MS, Ctx
from connectors.generator.population import Person

MONTH_MS = 30 * DAY_MS
COST_CENTRES = ("service", "sales", "claims", "it")
COST_TYPES = ("call_handling", "postage", "claims_handling", "payment_fees", "field_visit")


def _pay_delay(ctx: Ctx, behaviour: float) -> int | None:
    if behaviour < 0.7:
        return ctx.rng.randint(0, 12)  # punctual
    if behaviour < 0.9:
        return ctx.rng.randint(15, 45)  # late payer
    return None  # leaves invoices open


def billing(ctx: Ctx, p: Person) -> None:
    if not p["is_customer"]:
        return
    rng = ctx.rng
    behaviour = rng.random()
    amount = round(rng.uniform(12, 180), 2)
    product = p["policies"][0]["product_category"] if p["policies"] else "subscription"
    t, k = ctx.start_ms + rng.randrange(MONTH_MS), 0
    while t < ctx.end_ms:
        k += 1
        issued = ctx.day_time(t)
        if issued < ctx.end_ms:
            _invoice(
                ctx,
                p,
                issued,
                f"RE{p['index'] + 1:07d}-{k:02d}",
                amount,
                product,
                _pay_delay(ctx, behaviour),
            )
        t += MONTH_MS


def _base(p: Person) -> dict[str, str]:
    return {
        "cust_no": p["customer_number"],
        "account_no": p["billing_account"] or "",
        "payer_account_no": p["payer_account"] or "",
        "currency": "EUR",
    }


def _invoice(
    ctx: Ctx,
    p: Person,
    issued: int,
    invoice_no: str,
    amount: float,
    product: str,
    delay: int | None,
) -> None:
    due_day = issued // DAY_MS + 14
    ctx.add(
        "billing",
        p,
        issued,
        {
            **_base(p),
            "record_type": "INV",
            "booked_at": fmt_de_datetime(issued),
            "invoice_no": invoice_no,
            "product": product,
            "amount": fmt_decimal_comma(amount),
            "due_on": fmt_de_date(due_day),
        },
    )
    paid = ctx.day_time(issued + delay * DAY_MS) if delay is not None else None
    if paid is not None and paid < ctx.end_ms:
        ctx.add(
            "billing",
            p,
            paid,
            {
                **_base(p),
                "record_type": "PAY",
                "booked_at": fmt_de_datetime(paid),
                "invoice_no": invoice_no,
                "amount": fmt_decimal_comma(amount),
                "paid_on": fmt_de_date(paid // DAY_MS),
            },
        )
        return
    for level, after in ((1, 7), (2, 21)):
        reminded = ctx.day_time((due_day + after) * DAY_MS)
        if reminded < ctx.end_ms and (paid is None or reminded < paid):
            ctx.add(
                "billing",
                p,
                reminded,
                {
                    **_base(p),
                    "record_type": "REM",
                    "booked_at": fmt_de_datetime(reminded),
                    "invoice_no": invoice_no,
                    "amount": fmt_decimal_comma(amount),
                    "due_on": fmt_de_date(due_day),
                    "dunning_level": str(level),
                },
            )


def accounting(ctx: Ctx, p: Person) -> None:
    if not p["is_customer"]:
        return
    rng = ctx.rng
    for _ in range(ctx.count(3)):
        posted = ctx.when()
        posted -= posted % DAY_MS
        ctx.add(
            "accounting",
            p,
            posted,
            {
                "posted": fmt_de_date(posted // DAY_MS),
                "cost_centre": rng.choice(COST_CENTRES),
                "customer_no": p["customer_number"],
                "cost": fmt_decimal_comma(round(rng.uniform(0.5, 40), 2)),
                "cost_type": rng.choice(COST_TYPES),
            },
        )

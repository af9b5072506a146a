"""Order processing (orders, cancellations, returns) and point of sale (loyalty card receipts)."""

from __future__ import annotations

from connectors.formats import fmt_de_datetime, fmt_decimal, fmt_decimal_comma, fmt_iso
from connectors.generator import variants
from connectors.generator.context import DAY_MS, Ctx
from connectors.generator.population import Person

PRODUCTS = (
    ("SKU-1001", "electronics", 249.0),
    ("SKU-2040", "home", 39.9),
    ("SKU-3300", "garden", 19.5),
    ("SKU-4120", "car_accessories", 89.0),
    ("SKU-5005", "subscription", 9.99),
    ("SKU-6610", "books", 14.0),
)
STORES = ("ST-BER-01", "ST-HAM-02", "ST-MUC-03", "ST-CGN-04", "ST-FRA-05")
STORE_CATEGORIES = ("grocery", "home", "electronics", "clothing", "drugstore")


def orders(ctx: Ctx, p: Person) -> None:
    if not p["is_customer"]:
        return
    rng = ctx.rng
    for k in range(ctx.count(1.5)):
        placed = ctx.when()
        sku, category, price = rng.choice(PRODUCTS)
        qty = rng.choice((1, 1, 1, 2, 3))
        base = {
            "customer_no": p["customer_number"] if rng.random() < 0.8 else "",
            "contact_email": variants.email(rng, p["email"]),
            "contact_phone": variants.phone(rng, p["phone"]) if rng.random() < 0.3 else "",
            "order_no": f"O{p['index'] + 1:07d}{k:02d}",
            "sku": sku,
            "category": category,
            "currency": "EUR",
            "sales_channel": rng.choice(("web", "web", "app", "phone")),
        }
        total = fmt_decimal(price * qty)
        ctx.add(
            "orders",
            p,
            placed,
            {
                **base,
                "event": "placed",
                "created_at": fmt_iso(placed),
                "qty": str(qty),
                "total": total,
                "ship_first_name": variants.name(rng, p["first_name"]),
                "ship_last_name": variants.name(rng, p["last_name"]),
                "note": "Bitte beim Nachbarn abgeben" if rng.random() < 0.05 else "",
            },
        )
        roll = rng.random()
        if roll < 0.03:
            at = placed + rng.randrange(1, 48) * 3_600_000
            if at < ctx.end_ms:
                ctx.add("orders", p, at, {**base, "event": "cancelled", "created_at": fmt_iso(at)})
        elif roll < 0.13:
            at = placed + rng.randint(3, 20) * DAY_MS
            if at < ctx.end_ms:
                ctx.add(
                    "orders",
                    p,
                    at,
                    {
                        **base,
                        "event": "returned",
                        "created_at": fmt_iso(at),
                        "qty": str(qty),
                        "total": total,
                    },
                )


def pos(ctx: Ctx, p: Person) -> None:
    if not p["loyalty_card"]:
        return
    rng = ctx.rng
    store = rng.choice(STORES)
    for _ in range(ctx.count(3)):
        at = ctx.day_time(ctx.when())
        if at >= ctx.end_ms:
            continue
        ctx.add(
            "pos",
            p,
            at,
            {
                "store": store if rng.random() < 0.8 else rng.choice(STORES),
                "ts": fmt_de_datetime(at),
                "card_no": p["loyalty_card"],
                "sum": fmt_decimal_comma(round(rng.uniform(3, 160), 2)),
                "items": str(rng.randint(1, 25)),
                "main_category": rng.choice(STORE_CATEGORIES),
            },
        )

"""ERP customer master and contracts, HR employee records, external enrichment.

The ERP master record carries every account id of a customer (crm_id, customer number,
email, phone, loyalty card): it is what links the other systems' records of one person.
Master-data changes arrive late and out of order now and then.
"""

from __future__ import annotations

from typing import Any

from connectors.formats import fmt_de_date, fmt_decimal, fmt_iso, fmt_iso_date
from connectors.generator import variants
from connectors.generator.context import DAY_MS, Ctx
from connectors.generator.population import Person

PREMIUMS = {"car_insurance": (35, 140), "home_insurance": (8, 40), "liability": (5, 15)}
INCOME_BANDS = ("<20k", "20-40k", "40-60k", "60-90k", ">90k")


def _address(p: Person) -> dict[str, str]:
    return {"street": p["street"], "zip": p["postcode"], "city": p["city"]}


def erp(ctx: Ctx, p: Person, people: dict[str, Person]) -> None:
    if not p["is_customer"]:
        return
    rng = ctx.rng
    at = ctx.when(hi_ms=ctx.start_ms + max(1, ctx.days // 5) * DAY_MS)
    ctx.add(
        "erp",
        p,
        at,
        {
            "rec_type": "CUST_MASTER",
            "changed_at": fmt_iso(at),
            "crm_id": p["crm_id"],
            "customer_no": p["customer_number"],
            "email": variants.email(rng, p["email"]),
            "phone": variants.phone(rng, p["phone"]),
            "landline": variants.phone(rng, p["landline"]) if p["landline"] else "",
            "loyalty_card": p["loyalty_card"] or "",
            "tax_id": p["national_id"] or "",
            "first_name": p["first_name"],
            "last_name": p["last_name"],
            "birth_date": p["birth_date"],
            "gender": p["gender"],
            **_address(p),
            "country": "DE",
            "language": p["language"],
        },
    )
    for policy in p["policies"]:
        _policy(ctx, p, policy, people)
    if p["email2"] or rng.random() < 0.1:
        _changes(ctx, p)


def _policy(ctx: Ctx, p: Person, policy: dict[str, Any], people: dict[str, Person]) -> None:
    rng = ctx.rng
    at = ctx.when()
    lo, hi = PREMIUMS[policy["product_category"]]
    row = {
        "rec_type": "POLICY_START",
        "changed_at": fmt_iso(at),
        "crm_id": p["crm_id"],
        "policy_no": policy["policy_number"],
        "product_category": policy["product_category"],
        "premium": fmt_decimal(rng.uniform(lo, hi)),
        "currency": "EUR",
        "start_date": fmt_iso_date(at // DAY_MS + rng.randint(0, 30)),
    }
    driver = people.get(policy["insured_driver"] or "")
    if driver is not None:  # the spouse drives the car: a household hint, not an identity
        row["driver_crm_id" if driver["crm_id"] else "driver_phone"] = driver[
            "crm_id"
        ] or variants.phone(rng, driver["phone"])
    ctx.add("erp", p, at, row)
    if rng.random() < 0.08:
        ended = ctx.when(lo_ms=at + DAY_MS)
        ctx.add(
            "erp",
            p,
            ended,
            {
                "rec_type": "POLICY_END",
                "changed_at": fmt_iso(ended),
                "crm_id": p["crm_id"],
                "policy_no": policy["policy_number"],
                "end_date": fmt_iso_date(ended // DAY_MS + 30),
            },
        )


def _changes(ctx: Ctx, p: Person) -> None:
    """A second e-mail, and language changes of which the older one may arrive last."""
    rng = ctx.rng
    first = ctx.when()
    ctx.add(
        "erp",
        p,
        first,
        {
            "rec_type": "CUST_CHANGE",
            "changed_at": fmt_iso(first),
            "crm_id": p["crm_id"],
            "email_2": p["email2"] or "",
            "language": rng.choice(("de", "en")),
        },
    )
    if rng.random() < 0.5:
        second = ctx.when(lo_ms=first + 1000)
        ctx.add(
            "erp",
            p,
            second,
            {
                "rec_type": "CUST_CHANGE",
                "changed_at": fmt_iso(second),
                "crm_id": p["crm_id"],
                "language": p["language"],
            },
        )
        if rng.random() < 0.5:  # the older change reaches the export after the newer one
            ctx.rows["erp"][-2].emit_ms = second + rng.randint(1, 72) * 3_600_000


def hr(ctx: Ctx, p: Person) -> None:
    if not p["is_employee"]:
        return
    rng = ctx.rng
    for _ in range(1 + (rng.random() < 0.2)):
        at = ctx.when()
        at -= at % DAY_MS
        ctx.add(
            "hr",
            p,
            at,
            {
                "valid_from": fmt_de_date(at // DAY_MS),
                "personnel_no": p["employee_id"],
                "private_email": variants.email(rng, p["email"]),
                "private_phone": variants.phone(rng, p["phone"]),
                "tax_id": p["national_id"],
                "first_name": p["first_name"],
                "last_name": variants.name(rng, p["last_name"]),
                "birth_date": p["birth_date"],
                "org_unit": p["department"],
            },
        )


def external(ctx: Ctx, p: Person) -> None:
    rng = ctx.rng
    if rng.random() >= (0.3 if p["is_customer"] else 0.15):
        return
    at = ctx.when()
    ctx.add(
        "external",
        p,
        at,
        {
            "delivered_at": fmt_iso(at),
            "email": variants.email(rng, p["email"]),
            "phone": (
                variants.phone(rng, p["phone"])
                if not p["is_customer"] or rng.random() < 0.5
                else None
            ),
            "first_name": variants.name(rng, p["first_name"]),
            "last_name": variants.name(rng, p["last_name"]),
            **_address(p),
            "birth_year": int(p["birth_date"][:4]),
            "income_band": rng.choice(INCOME_BANDS),
            "household_size": rng.randint(1, 5),
        },
    )

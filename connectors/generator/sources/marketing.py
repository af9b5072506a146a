"""Marketing database: outbound campaign contacts and responses, consent changes, the
acquisition call list (bought; it contains some existing customers' numbers), and NPS surveys."""

from __future__ import annotations

from connectors.formats import fmt_iso
from connectors.generator import variants
from connectors.generator.context import DAY_MS, Ctx
from connectors.generator.population import Person

CAMPAIGNS = (
    ("CMP-XS-KFZ", "cross_sell"),
    ("CMP-UP-PLUS", "upsell"),
    ("CMP-RET-WINBACK", "retention"),
    ("CMP-XS-HAUSRAT", "cross_sell"),
)
ACQUISITION = "CMP-ACQ-CALLS"
KNOWN_CUSTOMER_ON_LIST = 0.03


def campaigns(ctx: Ctx, p: Person) -> None:
    if not p["is_customer"]:
        return
    rng = ctx.rng
    for _ in range(ctx.count(2.5)):
        campaign, purpose = rng.choice(CAMPAIGNS)
        at = ctx.when()
        channel = "email" if rng.random() < 0.8 else "letter"
        result = (
            rng.choice(("sent", "sent", "opened", "clicked", "bounced"))
            if channel == "email"
            else "sent"
        )
        contact = ctx.add(
            "marketing",
            p,
            at,
            {
                "kind": "CONTACT",
                "at": fmt_iso(at),
                "campaign": campaign,
                "purpose": purpose,
                "channel": channel,
                "direction": "outbound",
                "result": result,
                "crm_id": p["crm_id"],
                "email": variants.email(rng, p["email"]) if channel == "email" else "",
            },
        )
        if rng.random() < 0.12:
            later = at + rng.randint(1, 120) * 3_600_000
            if later < ctx.end_ms:
                ctx.add(
                    "marketing",
                    p,
                    later,
                    {
                        "kind": "RESPONSE",
                        "at": fmt_iso(later),
                        "campaign": campaign,
                        "purpose": purpose,
                        "channel": channel,
                        "direction": "inbound",
                        "response_to": contact,
                        "crm_id": p["crm_id"],
                    },
                )


def consent(ctx: Ctx, p: Person) -> None:
    if not p["is_customer"] or ctx.rng.random() >= 0.6:
        return
    rng = ctx.rng
    purpose = rng.choice(("marketing", "marketing", "profiling"))
    channel = rng.choice(("email", "phone", "sms", "all"))
    at = ctx.when()
    row = {
        "kind": "CONSENT",
        "at": fmt_iso(at),
        "crm_id": p["crm_id"],
        "email": variants.email(rng, p["email"]),
        "consent_purpose": purpose,
        "consent_channel": channel,
        "consent_state": "granted",
    }
    ctx.add("marketing", p, at, row)
    if rng.random() < 0.15:
        later = ctx.when(lo_ms=at + DAY_MS)
        ctx.add("marketing", p, later, {**row, "at": fmt_iso(later), "consent_state": "withdrawn"})


def acquisition_list(ctx: Ctx, people: list[Person]) -> None:
    """Outbound acquisition calls to a bought list: prospects, customers' non-customer
    spouses, and (by mistake) a few existing customers. Only the phone number is known."""
    rng = ctx.rng
    for p in people:
        on_list = (not p["is_customer"] and not p["is_employee"]) or (
            p["is_customer"] and rng.random() < KNOWN_CUSTOMER_ON_LIST
        )
        if not on_list:
            continue
        at = ctx.day_time(ctx.when())
        if at >= ctx.end_ms:
            continue
        result = rng.choice(("answered", "no_answer", "no_answer", "rejected"))
        contact = ctx.add(
            "marketing",
            p,
            at,
            {
                "kind": "CONTACT",
                "at": fmt_iso(at),
                "campaign": ACQUISITION,
                "purpose": "acquisition",
                "channel": "phone",
                "direction": "outbound",
                "result": result,
                "phone": variants.phone(rng, p["phone"]),
                "list_name": "bought_list_q2",
            },
        )
        if result == "answered" and rng.random() < 0.2:
            later = at + rng.randint(1, 72) * 3_600_000
            if later < ctx.end_ms:
                ctx.add(
                    "marketing",
                    p,
                    later,
                    {
                        "kind": "RESPONSE",
                        "at": fmt_iso(later),
                        "campaign": ACQUISITION,
                        "purpose": "acquisition",
                        "channel": "phone",
                        "direction": "inbound",
                        "response_to": contact,
                        "phone": variants.phone(rng, p["phone"]),
                    },
                )


def surveys(ctx: Ctx, p: Person) -> None:
    if not p["is_customer"] or ctx.rng.random() >= 0.2 * ctx.days / 90:
        return
    rng = ctx.rng
    at = ctx.when()
    score = rng.choices(range(11), weights=(1, 1, 1, 1, 2, 3, 4, 6, 9, 8, 6))[0]
    ctx.add(
        "surveys",
        p,
        at,
        {
            "submitted": fmt_iso(at),
            "respondent_email": variants.email(rng, p["email"]),
            "survey": "NPS-2024",
            "question": "nps_recommend",
            "answer": str(score),
            "score": str(score),
        },
    )

"""Contact centre: inbound and outbound calls (answered / rejected / no answer), e-mails with
replies (in_reply_to), complaints opened and closed."""

from __future__ import annotations

from typing import Any

from connectors.formats import fmt_iso
from connectors.generator import variants
from connectors.generator.context import DAY_MS, Ctx
from connectors.generator.population import Person

TOPICS = ("car_insurance", "home_insurance", "billing", "delivery", "contract")
SYSTEM = "contact_centre"


def contact_centre(ctx: Ctx, p: Person) -> None:
    if not p["is_customer"]:
        return
    for _ in range(ctx.count(2)):
        _call(ctx, p)
    for _ in range(ctx.count(1.5)):
        _email(ctx, p)
    if ctx.rng.random() < 0.08 * ctx.days / 90:
        _complaint(ctx, p)


def _base(ctx: Ctx, p: Person, kind: str, at: int) -> dict[str, Any]:
    return {
        "system": SYSTEM,
        "kind": kind,
        "started": fmt_iso(at),
        "team": ctx.rng.choice(("service", "service", "sales", "claims")),
        "customer": p["crm_id"] if ctx.rng.random() < 0.7 else None,
    }


def _call(ctx: Ctx, p: Person) -> None:
    rng = ctx.rng
    at = ctx.day_time(ctx.when())
    if at >= ctx.end_ms:
        return
    inbound = rng.random() < 0.5
    number = p["landline"] if p["landline"] and rng.random() < 0.3 else p["phone"]
    result = (
        "answered" if inbound else rng.choice(("answered", "answered", "no_answer", "rejected"))
    )
    ctx.add(
        "contact_centre",
        p,
        at,
        {
            **_base(ctx, p, "call", at),
            "dir": "in" if inbound else "out",
            "channel": "phone",
            "caller": variants.phone(rng, number),
            "result": result,
            "duration_s": rng.randint(30, 900) if result == "answered" else 0,
        },
    )


def _email(ctx: Ctx, p: Person) -> None:
    rng = ctx.rng
    at = ctx.when()
    address = p["email2"] if p["email2"] and rng.random() < 0.4 else p["email"]
    sent = ctx.add(
        "contact_centre",
        p,
        at,
        {
            **_base(ctx, p, "email", at),
            "dir": "out",
            "channel": "email",
            "mail": variants.email(rng, address),
            "result": "sent",
        },
    )
    if rng.random() < 0.4:
        later = at + rng.randint(10, 72 * 60) * 60_000
        if later < ctx.end_ms:
            ctx.add(
                "contact_centre",
                p,
                later,
                {
                    **_base(ctx, p, "email", later),
                    "dir": "in",
                    "channel": "email",
                    "mail": variants.email(rng, address),
                    "result": "replied",
                    "reply_to": sent,
                },
            )


def _complaint(ctx: Ctx, p: Person) -> None:
    rng = ctx.rng
    at = ctx.when()
    case = f"CASE-{p['index'] + 1:07d}"
    topic = rng.choice(TOPICS)
    channel = rng.choice(("phone", "email"))
    ident = (
        {"caller": variants.phone(rng, p["phone"])}
        if channel == "phone"
        else {"mail": variants.email(rng, p["email"])}
    )
    ctx.add(
        "contact_centre",
        p,
        at,
        {
            **_base(ctx, p, "complaint_opened", at),
            "dir": "in",
            "channel": channel,
            **ident,
            "case_id": case,
            "case_status": "open",
            "topic": topic,
            "notes": "Kunde unzufrieden mit Bearbeitungszeit" if rng.random() < 0.5 else None,
        },
    )
    if rng.random() < 0.7:
        closed = ctx.when(lo_ms=at + DAY_MS)
        ctx.add(
            "contact_centre",
            p,
            closed,
            {
                **_base(ctx, p, "complaint_closed", closed),
                "dir": "out",
                "channel": channel,
                **ident,
                "case_id": case,
                "case_status": "closed",
                "topic": topic,
            },
        )

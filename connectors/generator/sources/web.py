"""Web server and app: anonymous page views and document downloads by cookie/device, and
logins that tie the cookie/device to the customer's crm_id (and sometimes e-mail)."""

from __future__ import annotations

from connectors.generator import variants
from connectors.generator.context import Ctx
from connectors.generator.population import Person

PAGES = (
    "/",
    "/tarife/kfz",
    "/tarife/hausrat",
    "/tarife/haftpflicht",
    "/angebote",
    "/kontakt",
    "/mein-konto",
    "/mein-konto/rechnungen",
    "/faq",
    "/schaden-melden",
)
DOCUMENTS = (
    "AVB_Kfz_2024.pdf",
    "Beitragsrechnung.pdf",
    "Schadenmeldung.pdf",
    "Preisliste.pdf",
    "Widerrufsbelehrung.pdf",
)
AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4)",
    "Mozilla/5.0 (X11; Linux x86_64)",
    "CDPApp/3.2 (Android 14)",
)


def web(ctx: Ctx, p: Person) -> None:
    if p["cookie_id"]:
        _sessions(ctx, p, "web", "cookie", p["cookie_id"], ctx.count(7))
    if p["device_id"]:
        _sessions(ctx, p, "app", "device", p["device_id"], ctx.count(4))


def _sessions(ctx: Ctx, p: Person, platform: str, column: str, token: str, count: int) -> None:
    rng = ctx.rng
    login_at = rng.randrange(max(1, count))  # every cookie/device logs in at least once
    ua = rng.choice(AGENTS)
    for s in range(max(1, count)):
        at = ctx.when()
        if s == login_at or rng.random() < 0.15:
            row = {
                "type": "login",
                "ts": at,
                "platform": platform,
                column: token,
                "user_id": p["crm_id"],
                "path": "/login",
            }
            if rng.random() < 0.3:
                row["login_email"] = variants.email(rng, p["email"])
            ctx.add("web", p, at, row)
        for _ in range(rng.randint(1, 3)):
            at += rng.randint(5, 300) * 1000
            ctx.add(
                "web",
                p,
                at,
                {
                    "type": "pageview",
                    "ts": at,
                    "platform": platform,
                    column: token,
                    "path": rng.choice(PAGES),
                    "ua": ua,
                    "referrer": "https://www.google.com/" if rng.random() < 0.2 else None,
                },
            )
        if rng.random() < 0.25:
            at += rng.randint(5, 120) * 1000
            ctx.add(
                "web",
                p,
                at,
                {
                    "type": "download",
                    "ts": at,
                    "platform": platform,
                    column: token,
                    "path": "/downloads",
                    "doc": rng.choice(DOCUMENTS),
                },
            )

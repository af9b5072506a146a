"""What the demo shows once the pipeline caught up: one customer's unified profile, contact
decisions with their reasons, and a few analyst queries from ClickHouse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import redis
from clickhouse_driver import Client
from rich.console import Console
from rich.json import JSON
from rich.table import Table

from core.keys import Keys
from core.settings import Settings

console = Console()

MOST_SOURCES = """
SELECT current_profile_id, uniqExact(source_system) AS sources, count() AS events
FROM {db}.events_current
GROUP BY current_profile_id
ORDER BY sources DESC, events DESC, current_profile_id
LIMIT 1
"""

ANALYST_QUERIES = {
    "Touchpoints per source system": """
        SELECT source_system, count() AS events, uniqExact(current_profile_id) AS customers
        FROM {db}.events_current GROUP BY source_system ORDER BY events DESC""",
    "Customers served by more than one department": """
        SELECT departments, count() AS customers FROM (
            SELECT current_profile_id, uniqExact(department) AS departments
            FROM {db}.events_current WHERE department != '' GROUP BY current_profile_id)
        GROUP BY departments ORDER BY departments""",
    "Dead letters by stage and reason": """
        SELECT stage, reason, count() AS records FROM {db}.dead_letters FINAL
        GROUP BY stage, reason ORDER BY records DESC LIMIT 12""",
    "Revenue by channel of the last 90 days": """
        SELECT channel, round(sum(amount), 2) AS revenue, count() AS orders
        FROM {db}.events_current
        WHERE has_amount AND event_type IN ('order_placed', 'pos_purchase')
          AND event_date >= today() - 90
        GROUP BY channel ORDER BY revenue DESC""",
}


def pick_customer(ch: Client, settings: Settings) -> str | None:
    rows = ch.execute(MOST_SOURCES.format(db=settings.clickhouse_database))
    return str(rows[0][0]) if rows else None


def identifiers_of(settings: Settings, profile_id: str) -> list[tuple[str, str]]:
    client = redis.Redis.from_url(settings.redis_url)
    members = client.smembers(Keys(settings.redis_prefix).members(profile_id))
    pairs = [m.decode().split(":", 1) for m in members]
    return sorted((t, v) for t, v in pairs)


def show_profile(http: httpx.Client, profile_id: str) -> dict[str, Any]:
    response = http.get(f"/v1/profiles/{profile_id}")
    response.raise_for_status()
    profile = response.json()
    console.rule(f"Unified profile {profile_id}")
    console.print(JSON.from_data(profile))
    return dict(profile)


def sunday_evening(tz: str) -> str:
    local = datetime.now(ZoneInfo(tz))
    sunday = local + timedelta(days=(6 - local.weekday()) % 7)
    return sunday.replace(hour=19, minute=30, second=0, microsecond=0).astimezone(UTC).isoformat()


def show_decisions(http: httpx.Client, identifier: tuple[str, str], tz: str) -> None:
    asks = [
        ("phone", "acquisition", sunday_evening(tz), "acquisition call, Sunday 19:30"),
        ("email", "cross_sell", None, "cross-sell e-mail, now"),
        ("phone", "service", None, "service call, now"),
    ]
    for channel, purpose, at, label in asks:
        body = {
            "identifier": {"type": identifier[0], "value": identifier[1]},
            "channel": channel,
            "purpose": purpose,
            "at": at,
        }
        answer = http.post("/v1/decisions/contact", json=body).json()
        console.rule(f"Contact decision: {label}")
        console.print(JSON.from_data(answer))


def show_queries(ch: Client, settings: Settings) -> None:
    for title, sql in ANALYST_QUERIES.items():
        rows, columns = ch.execute(
            sql.format(db=settings.clickhouse_database), with_column_types=True
        )
        table = Table(*[c for c, _ in columns], title=title)
        for row in rows:
            table.add_row(*[str(v) for v in row])
        console.print(table)


def showcase(settings: Settings, api: str, key: str) -> None:
    ch = Client(**settings.clickhouse_kwargs)  # type: ignore[arg-type]
    profile_id = pick_customer(ch, settings)
    if profile_id is None:
        console.print("[red]no events in ClickHouse yet[/red]")
        return
    with httpx.Client(base_url=api, headers={"X-API-Key": key}, timeout=30) as http:
        profile = show_profile(http, profile_id)
        ids = identifiers_of(settings, profile_id)
        console.print("identifiers: " + ", ".join(f"{t}={v}" for t, v in ids))
        tz = profile.get("attributes", {}).get("timezone") or settings.default_timezone
        strongest = next((i for i in ids if i[0] in ("email", "phone", "crm_id")), ids[0])
        show_decisions(http, strongest, tz)
    show_queries(ch, settings)

"""cdp.Erasure -> an `erasures` row and the ClickHouse mutations that erase the person (pure).

Personal data lives only in `pii` (per event), `identity_changes.identifier_value` and
`dead_letters.payload`; `events` holds none. An erasure therefore:
- deletes the person's `pii` rows, and every other `pii` row that mentions one of the person's
  identifier values (e.g. a spouse's event naming the person's phone as a relation);
- blanks `identifier_value` in the person's identity changes and wherever a value reappears;
- deletes dead letters of the person's events and any whose raw bytes contain one of the values.
Mutations are asynchronous and idempotent: re-applying them after a replay changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sinks.history.timecols import millis, seconds

ERASURE_COLUMNS: tuple[str, ...] = (
    "erasure_id", "profile_ids", "requested_time", "requested_time_ms", "reason",
)  # fmt: skip

CHUNK = 2000  # literals per mutation: keeps each ALTER statement a reasonable size


def erasure_row(erasure: dict[str, Any]) -> tuple[Any, ...]:
    return (
        erasure["erasure_id"], list(erasure["profile_ids"]),
        seconds(erasure["requested_time"]), millis(erasure["requested_time"]),
        erasure.get("reason") or "",
    )  # fmt: skip


def quote(value: str) -> str:
    """A ClickHouse string literal."""
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def literal_list(values: Iterable[str]) -> str:
    return "(" + ", ".join(quote(v) for v in sorted(set(values))) + ")"


def array_literal(values: Iterable[str]) -> str:
    return "[" + ", ".join(quote(v) for v in sorted(set(values))) + "]"


def chunks(values: Iterable[str], size: int = CHUNK) -> list[list[str]]:
    ordered = sorted(set(values))
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


def lookup_queries(database: str, profiles: Sequence[str]) -> dict[str, str]:
    """Reads needed before mutating: merged-away profiles, the person's values and event ids."""
    p = literal_list(profiles)
    return {
        "merged": f"SELECT DISTINCT profile_id FROM {database}.profile_map "
        f"WHERE survivor_id IN {p}",
        "values": f"SELECT DISTINCT arrayJoin(identifier_values) FROM {database}.pii "
        f"WHERE profile_id IN {p}",
        "change_values": f"SELECT DISTINCT identifier_value FROM {database}.identity_changes "
        f"WHERE (profile_id IN {p} OR from_profile_id IN {p}) AND identifier_value != ''",
        "event_ids": f"SELECT DISTINCT event_id FROM {database}.events WHERE profile_id IN {p}",
    }


def mutations(
    database: str, profiles: Sequence[str], values: Iterable[str], event_ids: Iterable[str]
) -> list[str]:
    """ALTER statements that erase ``profiles`` (already expanded with merged-away ones)."""
    p = literal_list(profiles)
    statements = [
        f"ALTER TABLE {database}.pii DELETE WHERE profile_id IN {p}",
        f"ALTER TABLE {database}.identity_changes UPDATE identifier_value = '' "
        f"WHERE profile_id IN {p} OR from_profile_id IN {p}",
    ]
    for part in chunks(v for v in values if v):
        arr, lst = array_literal(part), literal_list(part)
        statements += [
            f"ALTER TABLE {database}.pii DELETE WHERE hasAny(identifier_values, {arr}) "
            f"OR hasAny(relation_values, {arr})",
            f"ALTER TABLE {database}.identity_changes UPDATE identifier_value = '' "
            f"WHERE identifier_value IN {lst}",
            f"ALTER TABLE {database}.dead_letters DELETE WHERE "
            + " OR ".join(f"positionCaseInsensitive(payload, {quote(v)}) > 0" for v in part),
        ]
    for part in chunks(event_ids):
        statements.append(
            f"ALTER TABLE {database}.dead_letters DELETE WHERE event_id IN {literal_list(part)}"
        )
    return statements

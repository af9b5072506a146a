"""cdp.IdentityChange -> one `identity_changes` row, plus a merge edge for `profile_map` (pure)."""

from __future__ import annotations

from typing import Any, NamedTuple

from sinks.history.timecols import day_of_ms, millis, seconds

IDENTITY_COLUMNS: tuple[str, ...] = (
    "change_id", "kind", "profile_id", "from_profile_id", "identifier_type", "identifier_value",
    "household_id", "reason", "event_id", "event_time", "event_time_ms", "change_time",
    "change_time_ms", "change_date",
)  # fmt: skip

MERGED = "merged"


class MergeEdge(NamedTuple):
    """``merged`` was merged into ``survivor`` at ``version`` (change time in ms)."""

    merged: str
    survivor: str
    version: int
    change_id: str


def identity_row(change: dict[str, Any]) -> tuple[Any, ...]:
    identifier = change.get("identifier") or {}
    return (
        change["change_id"], change["kind"], change["profile_id"],
        change.get("from_profile_id") or "", identifier.get("type", ""),
        identifier.get("value", ""), change.get("household_id") or "",
        change.get("reason") or "", change.get("event_id") or "",
        seconds(change["event_time"]), millis(change["event_time"]),
        seconds(change["change_time"]), millis(change["change_time"]),
        day_of_ms(millis(change["change_time"])),
    )  # fmt: skip


def merge_edge(change: dict[str, Any]) -> MergeEdge | None:
    """The person-override edge of a ``merged`` change (None for every other kind)."""
    merged = change.get("from_profile_id")
    if change["kind"] != MERGED or not merged or merged == change["profile_id"]:
        return None
    return MergeEdge(
        merged, change["profile_id"], millis(change["change_time"]), change["change_id"]
    )

"""Resolved touchpoint -> one `events` row and one `pii` row (pure).

`events` holds no personal data; identifier values, relation identifiers, attributes and extras
go to `pii`, which erasure deletes by profile. Absent strings become '', absent numbers 0 with a
has_* flag, absent dates 1970-01-01 (see docs/history.md).
"""

from __future__ import annotations

from typing import Any

from sinks.history.timecols import day, day_of_ms, millis, seconds

EVENT_COLUMNS: tuple[str, ...] = (
    "event_id", "event_type", "source_system", "event_time", "event_time_ms", "event_date",
    "received_time", "received_time_ms", "resolved_time", "resolved_time_ms",
    "profile_id", "household_id", "channel", "direction", "outcome", "in_reply_to",
    "department", "campaign_id", "purpose", "amount", "has_amount", "currency", "cost",
    "has_cost", "quantity", "has_quantity", "product", "product_category", "order_id",
    "invoice_id", "policy_id", "due_date", "paid_date", "start_date", "end_date",
    "complaint_id", "complaint_status", "page", "document", "survey_id", "question", "answer",
    "score", "has_score", "consent_purpose", "consent_channel", "consent_state",
    "identifier_types", "relation_kinds",
)  # fmt: skip

PII_COLUMNS: tuple[str, ...] = (
    "profile_id", "event_id", "event_date", "source_system",
    "identifier_types", "identifier_values", "relation_kinds", "relation_types",
    "relation_values", "attribute_keys", "attribute_values", "extra_keys", "extra_values",
    "resolved_time_ms",
)  # fmt: skip


def _num(value: float | int | None) -> tuple[Any, int]:
    return (0, 0) if value is None else (value, 1)


def event_row(resolved: dict[str, Any]) -> tuple[Any, ...]:
    """The `events` row of a cdp.ResolvedTouchpoint, in EVENT_COLUMNS order."""
    t = resolved["touchpoint"]
    g = t.get
    amount, has_amount = _num(g("amount"))
    cost, has_cost = _num(g("cost"))
    quantity, has_quantity = _num(g("quantity"))
    score, has_score = _num(g("score"))
    return (
        t["event_id"], t["event_type"], t["source_system"],
        seconds(t["event_time"]), millis(t["event_time"]), day_of_ms(millis(t["event_time"])),
        seconds(t["received_time"]), millis(t["received_time"]),
        seconds(resolved["resolved_time"]), millis(resolved["resolved_time"]),
        resolved["profile_id"], resolved.get("household_id") or "",
        g("channel") or "", g("direction") or "", g("outcome") or "", g("in_reply_to") or "",
        g("department") or "", g("campaign_id") or "", g("purpose") or "",
        float(amount), has_amount, g("currency") or "", float(cost), has_cost,
        quantity, has_quantity, g("product") or "", g("product_category") or "",
        g("order_id") or "", g("invoice_id") or "", g("policy_id") or "",
        day(g("due_date")), day(g("paid_date")), day(g("start_date")), day(g("end_date")),
        g("complaint_id") or "", g("complaint_status") or "", g("page") or "",
        g("document") or "", g("survey_id") or "", g("question") or "", g("answer") or "",
        score, has_score,
        g("consent_purpose") or "", g("consent_channel") or "", g("consent_state") or "",
        [i["type"] for i in t["identifiers"]], [r["kind"] for r in g("relations") or ()],
    )  # fmt: skip


def pii_row(resolved: dict[str, Any]) -> tuple[Any, ...]:
    """The `pii` row of a cdp.ResolvedTouchpoint, in PII_COLUMNS order."""
    t = resolved["touchpoint"]
    relations = t.get("relations") or ()
    attributes = t.get("attributes") or {}
    extras = t.get("extras") or {}
    return (
        resolved["profile_id"], t["event_id"], day_of_ms(millis(t["event_time"])),
        t["source_system"],
        [i["type"] for i in t["identifiers"]], [i["value"] for i in t["identifiers"]],
        [r["kind"] for r in relations], [r["identifier"]["type"] for r in relations],
        [r["identifier"]["value"] for r in relations],
        list(attributes), list(attributes.values()), list(extras), list(extras.values()),
        millis(resolved["resolved_time"]),
    )  # fmt: skip


def has_personal_data(resolved: dict[str, Any]) -> bool:
    t = resolved["touchpoint"]
    return bool(t["identifiers"] or t.get("relations") or t.get("attributes") or t.get("extras"))

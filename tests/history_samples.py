"""Sample records for the history sink tests (valid cdp.* dicts, all fields present)."""

from __future__ import annotations

from typing import Any

T0 = 1_700_000_000_000  # 2023-11-14T22:13:20Z

_TOUCHPOINT_NULLS = (
    "channel", "direction", "outcome", "in_reply_to", "department", "campaign_id", "purpose",
    "amount", "currency", "cost", "quantity", "product", "product_category", "order_id",
    "invoice_id", "policy_id", "due_date", "paid_date", "start_date", "end_date", "complaint_id",
    "complaint_status", "page", "document", "survey_id", "question", "answer", "score",
    "consent_purpose", "consent_channel", "consent_state",
)  # fmt: skip


def touchpoint(
    event_id: str, email: str = "anna@example.com", phone: str = "+4915112345678", **fields: Any
) -> dict[str, Any]:
    record: dict[str, Any] = dict.fromkeys(_TOUCHPOINT_NULLS)
    record.update(
        event_id=event_id,
        event_type="order",
        source_system="orders",
        event_time=T0,
        received_time=T0 + 1000,
        identifiers=[{"type": "email", "value": email}, {"type": "phone", "value": phone}],
        relations=[],
        attributes={"first_name": "Anna", "city": "Berlin"},
        extras={},
    )
    record.update(fields)
    return record


def resolved(
    event_id: str, profile_id: str = "p1", household_id: str | None = "h1", **fields: Any
) -> dict[str, Any]:
    return {
        "touchpoint": touchpoint(event_id, **fields),
        "profile_id": profile_id,
        "household_id": household_id,
        "resolved_time": T0 + 2000,
    }


def identity_change(
    change_id: str,
    kind: str = "linked",
    profile_id: str = "p1",
    from_profile_id: str | None = None,
    value: str = "anna@example.com",
    change_time: int = T0 + 3000,
) -> dict[str, Any]:
    return {
        "change_id": change_id,
        "kind": kind,
        "profile_id": profile_id,
        "from_profile_id": from_profile_id,
        "identifier": {"type": "email", "value": value} if value else None,
        "household_id": None,
        "reason": "merging identifier",
        "event_id": "e1",
        "event_time": T0,
        "change_time": change_time,
    }


def merged(change_id: str, survivor: str, merged_away: str, change_time: int) -> dict[str, Any]:
    return identity_change(change_id, "merged", survivor, merged_away, "", change_time)


def erasure(erasure_id: str, *profile_ids: str) -> dict[str, Any]:
    return {
        "erasure_id": erasure_id,
        "profile_ids": list(profile_ids),
        "requested_time": T0 + 10_000,
        "reason": "ticket-1",
    }


def dead_letter(
    dead_letter_id: str, event_id: str | None = None, payload: bytes = b"not avro"
) -> dict[str, Any]:
    return {
        "dead_letter_id": dead_letter_id,
        "stage": "collector",
        "reason": "bad_email",
        "detail": "no @",
        "source_system": "web",
        "topic": "cdp.touchpoints",
        "partition": 0,
        "offset": 7,
        "event_id": event_id,
        "payload": payload,
        "received_time": T0 + 500,
    }

"""A small hand-made history for the analytics views (used on chdb and on ClickHouse 18.16).

Five current customers; P1b was merged into P1 after its events were written (profile_map), and
one order arrives twice (same event_id). AS_OF = 2024-06-30; one order of P4 lies after it.
The expected values in the tests are worked out by hand from these rows (see docs/analytics.md).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

AS_OF = "2024-06-30"
DAY0 = date(1970, 1, 1)

STRING_COLUMNS = (
    "event_id",
    "event_type",
    "source_system",
    "profile_id",
    "household_id",
    "channel",
    "direction",
    "outcome",
    "in_reply_to",
    "department",
    "campaign_id",
    "purpose",
    "currency",
    "product",
    "product_category",
    "order_id",
    "invoice_id",
    "policy_id",
    "complaint_id",
    "complaint_status",
    "page",
    "document",
    "survey_id",
    "question",
    "answer",
    "consent_purpose",
    "consent_channel",
    "consent_state",
)
DATE_COLUMNS = ("due_date", "paid_date", "start_date", "end_date")


def _ev(
    event_id: str, event_type: str, source: str, when: str, profile: str, **fields: Any
) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "event_type": event_type,
        "source_system": source,
        "when": when,
        "profile_id": profile,
        **fields,
    }


SPEC = [
    # P1: insurance customer, merged with P1b; complaint then a cross-sell offer 4 days later.
    _ev(
        "p1-pol",
        "policy_started",
        "erp",
        "2024-01-05 09:00:00",
        "P1",
        department="insurance",
        policy_id="pol1",
        product="car_basic",
        product_category="car_insurance",
        start_date=date(2024, 1, 5),
        household_id="H1",
    ),
    _ev(
        "p1-o3",
        "order_placed",
        "orders",
        "2024-01-10 10:00:00",
        "P1",
        department="sales",
        order_id="o3",
        amount=30.0,
    ),
    _ev(
        "p1-inv1",
        "invoice_issued",
        "billing",
        "2024-05-01 08:00:00",
        "P1",
        department="billing",
        invoice_id="inv1",
        policy_id="pol1",
        amount=100.0,
        due_date=date(2024, 5, 31),
    ),
    _ev(
        "p1-pay1",
        "payment_received",
        "accounting",
        "2024-05-11 08:00:00",
        "P1",
        department="billing",
        invoice_id="inv1",
        amount=100.0,
        paid_date=date(2024, 5, 11),
    ),
    _ev(
        "p1-c1",
        "complaint_opened",
        "contact_centre",
        "2024-06-01 09:00:00",
        "P1",
        department="service",
        complaint_id="c1",
        complaint_status="open",
        channel="phone",
        direction="inbound",
    ),
    _ev(
        "p1-call1",
        "call",
        "contact_centre",
        "2024-06-02 10:00:00",
        "P1",
        department="service",
        channel="phone",
        direction="outbound",
        outcome="answered",
        purpose="service",
        cost=5.0,
    ),
    _ev(
        "p1-call2",
        "call",
        "contact_centre",
        "2024-06-03 10:00:00",
        "P1",
        department="service",
        channel="phone",
        direction="outbound",
        outcome="rejected",
        purpose="service",
    ),
    _ev(
        "p1-m1",
        "email",
        "marketing",
        "2024-06-05 10:00:00",
        "P1",
        department="marketing",
        channel="email",
        direction="outbound",
        outcome="sent",
        purpose="cross_sell",
        campaign_id="xs_home",
    ),
    _ev(
        "p1-r1",
        "email",
        "contact_centre",
        "2024-06-05 11:00:00",
        "P1",
        department="service",
        channel="email",
        direction="inbound",
        in_reply_to="p1-m1",
    ),
    _ev(
        "p1-cost",
        "cost_booked",
        "accounting",
        "2024-06-06 12:00:00",
        "P1",
        department="billing",
        amount=15.0,
    ),
    _ev(
        "p1-inv2",
        "invoice_issued",
        "billing",
        "2024-06-15 08:00:00",
        "P1",
        department="billing",
        invoice_id="inv2",
        policy_id="pol1",
        amount=40.0,
    ),
    _ev(
        "p1-call3",
        "call",
        "contact_centre",
        "2024-06-15 16:00:00",
        "P1",
        department="service",
        channel="phone",
        direction="inbound",
        outcome="answered",
    ),
    _ev(
        "p1-o1",
        "order_placed",
        "orders",
        "2024-06-20 10:00:00",
        "P1",
        department="sales",
        order_id="o1",
        amount=100.0,
        household_id="H1",
    ),
    _ev(
        "p1-o1",
        "order_placed",
        "orders",
        "2024-06-20 10:00:00",
        "P1",
        department="sales",
        order_id="o1",
        amount=100.0,
        household_id="H1",
    ),  # duplicate delivery
    _ev(
        "p1-m2",
        "email",
        "marketing",
        "2024-06-20 12:00:00",
        "P1",
        department="marketing",
        channel="email",
        direction="outbound",
        outcome="opened",
        purpose="upsell",
        campaign_id="up_car",
    ),
    _ev(
        "p1-doc",
        "document_view",
        "web",
        "2024-06-21 20:00:00",
        "P1",
        document="claims_form.pdf",
        channel="web",
        direction="inbound",
    ),
    _ev(
        "p1b-o2",
        "order_placed",
        "pos",
        "2024-06-25 15:00:00",
        "P1b",
        department="sales",
        order_id="o2",
        amount=50.0,
    ),
    # P2: bought and owes an invoice (90+ days), then phoned with an acquisition script.
    _ev(
        "p2-o4",
        "order_placed",
        "orders",
        "2024-03-01 10:00:00",
        "P2",
        department="sales",
        order_id="o4",
        amount=200.0,
    ),
    _ev(
        "p2-inv3",
        "invoice_issued",
        "billing",
        "2024-03-02 08:00:00",
        "P2",
        department="billing",
        invoice_id="inv3",
        order_id="o4",
        amount=200.0,
        due_date=date(2024, 4, 1),
    ),
    _ev(
        "p2-rem",
        "payment_reminder",
        "billing",
        "2024-04-15 08:00:00",
        "P2",
        department="billing",
        invoice_id="inv3",
        amount=200.0,
        due_date=date(2024, 4, 1),
    ),
    _ev(
        "p2-acq",
        "call",
        "marketing",
        "2024-06-10 19:00:00",
        "P2",
        department="telesales",
        channel="phone",
        direction="outbound",
        outcome="no_answer",
        purpose="acquisition",
        campaign_id="acq_summer",
        cost=2.0,
    ),
    # P3: prospect: web visits and an acquisition e-mail (not a customer: not suppressed).
    _ev(
        "p3-acq",
        "email",
        "marketing",
        "2024-06-08 10:00:00",
        "P3",
        department="marketing",
        channel="email",
        direction="outbound",
        outcome="clicked",
        purpose="acquisition",
        campaign_id="acq_summer",
        cost=0.5,
    ),
    _ev("p3-pv1", "page_view", "web", "2024-06-10 18:00:00", "P3", page="/home"),
    _ev("p3-doc", "document_view", "web", "2024-06-10 18:05:00", "P3", document="car_terms.pdf"),
    _ev("p3-pv2", "page_view", "web", "2024-06-12 18:00:00", "P3", page="/prices"),
    # P4: acquisition e-mail, then became a customer; one order after AS_OF.
    _ev(
        "p4-acq",
        "email",
        "marketing",
        "2024-06-01 10:00:00",
        "P4",
        department="marketing",
        channel="email",
        direction="outbound",
        outcome="sent",
        purpose="acquisition",
        campaign_id="acq_june",
    ),
    _ev(
        "p4-o5",
        "order_placed",
        "pos",
        "2024-06-29 10:00:00",
        "P4",
        department="sales",
        order_id="o5",
        amount=10.0,
    ),
    _ev(
        "p4-o7",
        "order_placed",
        "pos",
        "2024-07-05 10:00:00",
        "P4",
        department="sales",
        order_id="o7",
        amount=70.0,
    ),
    # P5: two orders, a late-paid invoice, an ended subscription.
    _ev(
        "p5-sub",
        "subscription_started",
        "billing",
        "2023-11-01 08:00:00",
        "P5",
        department="billing",
        policy_id="sub1",
        product="magazine",
        product_category="subscription",
    ),
    _ev(
        "p5-o6a",
        "order_placed",
        "orders",
        "2023-12-01 10:00:00",
        "P5",
        department="sales",
        order_id="o6a",
        amount=300.0,
    ),
    _ev(
        "p5-inv4",
        "invoice_issued",
        "billing",
        "2024-02-01 08:00:00",
        "P5",
        department="billing",
        invoice_id="inv4",
        order_id="o6",
        amount=500.0,
        due_date=date(2024, 3, 2),
    ),
    _ev(
        "p5-o6",
        "order_placed",
        "orders",
        "2024-02-01 10:00:00",
        "P5",
        department="sales",
        order_id="o6",
        amount=200.0,
    ),
    _ev(
        "p5-pay4",
        "payment_received",
        "accounting",
        "2024-03-10 08:00:00",
        "P5",
        department="billing",
        invoice_id="inv4",
        amount=500.0,
    ),
    _ev(
        "p5-subend",
        "subscription_ended",
        "billing",
        "2024-04-01 08:00:00",
        "P5",
        department="billing",
        policy_id="sub1",
        product="magazine",
    ),
]

PROFILE_MAP = [("P1b", "P1", 1, "chg1", datetime(2024, 6, 26, tzinfo=UTC))]


def event_row(spec: dict[str, Any]) -> dict[str, Any]:
    """A full `events` row with the history sink's conventions for absent values."""
    when = datetime.strptime(spec["when"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    ms = int(when.timestamp() * 1000)
    row: dict[str, Any] = {c: spec.get(c, "") for c in STRING_COLUMNS}
    row.update({c: spec.get(c, DAY0) for c in DATE_COLUMNS})
    row.update(
        event_time=when.replace(tzinfo=None),
        event_time_ms=ms,
        event_date=when.date(),
        received_time=when.replace(tzinfo=None),
        received_time_ms=ms,
        resolved_time=when.replace(tzinfo=None),
        resolved_time_ms=ms,
        amount=float(spec.get("amount", 0.0)),
        has_amount=int("amount" in spec),
        cost=float(spec.get("cost", 0.0)),
        has_cost=int("cost" in spec),
        quantity=0,
        has_quantity=0,
        score=0,
        has_score=0,
        identifier_types=[],
        relation_kinds=[],
    )
    return row


def event_rows() -> list[dict[str, Any]]:
    return [event_row(spec) for spec in SPEC]


def insert_dataset(client: Any, database: str) -> None:
    """Insert the events and the profile map with clickhouse-driver-style INSERT ... VALUES."""
    rows = event_rows()
    columns = list(rows[0])
    client.execute(
        f"INSERT INTO {database}.events ({', '.join(columns)}) VALUES",
        [tuple(r[c] for c in columns) for r in rows],
    )
    client.execute(
        f"INSERT INTO {database}.profile_map "
        "(profile_id, survivor_id, version, change_id, changed_time) VALUES",
        [(a, b, v, c, t.replace(tzinfo=None)) for a, b, v, c, t in PROFILE_MAP],
    )

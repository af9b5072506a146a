"""Each trait from folded events (pure)."""

from __future__ import annotations

from typing import Any

from streams.profiles import codec, traits
from streams.profiles.fold import fold, fold_all
from streams.profiles.view import render
from tests.unit.profiles.events import DAY, T0, resolved, tp


def state(*events: dict[str, Any], hh: str | None = None) -> dict[str, Any]:
    return fold_all({}, [resolved(e, household_id=hh) for e in events])


def test_orders_and_revenue() -> None:
    s = state(
        tp("order_placed", T0 + DAY, amount=10.10),
        tp("pos_purchase", T0, amount=5.0),
        tp("order_returned", T0 + 2 * DAY, amount=5.0),
    )
    o = traits.orders(s)
    assert (o["count"], o["revenue"], o["average"]) == (2, 15.1, 7.55)
    assert (o["first"], o["last"], o["returned"]) == (T0, T0 + DAY, 1)


def test_invoices_payments_and_overdue_at_read_time() -> None:
    day = T0 // DAY
    s = state(
        tp("invoice_issued", T0, invoice_id="i1", amount=100.0, due_date=day + 14),
        tp("invoice_issued", T0, invoice_id="i2", amount=50.0, due_date=day + 30),
        tp("payment_received", T0 + 9 * DAY, invoice_id="i1", amount=100.0, paid_date=day + 9),
    )
    assert traits.payments(s, T0 + 20 * DAY)["overdue_amount"] == 0
    p = traits.payments(s, T0 + 31 * DAY)
    assert p["average_days_to_pay"] == 9 and p["open_receivables"] == 50.0
    assert p["overdue_amount"] == 50.0 and p["overdue_invoices"] == 1
    paid_first = state(
        tp("payment_received", T0, invoice_id="i1", paid_date=day + 2),
        tp("invoice_issued", T0 - DAY, invoice_id="i1", amount=1.0),
    )
    assert traits.payments(paid_first, T0)["average_days_to_pay"] == 3  # out of order


def test_products_held_with_start_and_end() -> None:
    s = state(
        tp("policy_started", T0, policy_id="P1", product_category="car", start_date=T0 // DAY),
        tp("subscription_started", T0, product="news", start_date=T0 // DAY),
        tp("policy_ended", T0 + 5 * DAY, policy_id="P1", end_date=T0 // DAY + 5),
    )
    assert traits.active_categories(s, T0 + DAY) == {"car", "news"}
    assert traits.active_categories(s, T0 + 6 * DAY) == {"news"}


def test_complaints() -> None:
    s = state(
        tp("complaint_opened", T0, complaint_id="c1"),
        tp("complaint_opened", T0 + DAY, complaint_id="c2"),
        tp("complaint_closed", T0 + 2 * DAY, complaint_id="c1"),
    )
    assert traits.complaints(s) == {"open": 1, "closed": 1, "last": T0 + DAY}


def test_calls_emails_response_time_and_preferred_channel() -> None:
    out1 = tp("email", T0, direction="outbound", event_id="m1")
    out2 = tp("email", T0 + DAY, direction="outbound", outcome="opened")
    reply = tp("email", T0 + 3 * DAY, direction="inbound", in_reply_to="m1")
    call_out = tp("call", T0, direction="outbound", outcome="rejected")
    call_back = tp("call", T0 + 60_000, direction="inbound")
    call_back2 = tp("call", T0 + 120_000, direction="inbound")  # nothing left to answer
    s = state(out1, out2, reply, call_out, call_back, call_back2)
    c = traits.communication(s)
    assert c["emails"] == {"sent": 2, "opened": 1, "replied": 1}
    assert c["calls"] == {"inbound": 2, "outbound": 1, "rejected": 1}
    assert traits.response_time_ms(s) == (3 * DAY + 60_000) / 2
    assert traits.preferred_channel(s) == "email"  # ties: alphabetical


def test_web_documents_touched_by_first_last_seen() -> None:
    docs = [tp("document_view", T0 + i, source="web", document=f"d{i % 12}.pdf") for i in range(30)]
    s = state(
        *docs,
        tp("call", T0 - DAY, source="contact_centre", department="sales", direction="inbound"),
    )
    w = traits.web(s)
    assert w["visits"] == 30 and len(w["documents"]) == 10
    assert w["documents"][0] == {"document": "d5.pdf", "at": T0 + 29}
    assert s["dp"] == {"sales": T0 - DAY} and set(s["sr"]) == {"web", "contact_centre"}
    assert (s["fs"], s["ls"]) == (T0 - DAY, T0 + 29)


def test_late_events_never_overwrite_and_set_once_keeps_the_first() -> None:
    newer = tp("profile_updated", T0 + DAY, attributes={"city": "Köln", "birth_date": "1990-02-02"})
    late = tp("profile_updated", T0, attributes={"city": "Bonn", "birth_date": "1990-01-01"})
    assert traits.attributes(state(newer, late)) == {"city": "Köln", "birth_date": "1990-01-01"}
    assert state(newer, late) == state(late, newer)


def test_consent_and_household() -> None:
    s = state(
        tp(
            "consent_changed",
            T0,
            consent_purpose="marketing",
            consent_channel="email",
            consent_state="granted",
        ),
        tp(
            "consent_changed",
            T0 - 1,
            consent_purpose="marketing",
            consent_channel="email",
            consent_state="withdrawn",
        ),
        hh="h9",
    )
    assert traits.consent(s) == {"marketing": {"email": {"state": "granted", "at": T0}}}
    view = render("p1", s, T0, ["p2", "p1"])
    assert view["household"] == {"id": "h9", "members": ["p2"]}


def test_fold_does_not_mutate_and_state_is_compact() -> None:
    s = state(tp("order_placed", T0, amount=1.0))
    before = codec.dumps(s)
    fold(s, resolved(tp("order_placed", T0 + 1, amount=2.0)))
    assert codec.dumps(s) == before and len(before) < 200
    assert codec.loads(before) == s and codec.loads(b'{"n":1}') == {"n": 1}

"""combine is associative and commutative; fold then combine == fold of the union."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from streams.profiles.combine import combine
from streams.profiles.fold import fold_all
from tests.unit.profiles.events import DAY, T0, resolved, tp

KEYED = {
    "invoice_issued": "invoice_id",
    "payment_received": "invoice_id",
    "complaint_opened": "complaint_id",
    "complaint_closed": "complaint_id",
    "policy_started": "policy_id",
    "policy_ended": "policy_id",
}


@st.composite
def event(draw: Any, inbound: bool = True) -> dict[str, Any]:
    t = T0 + draw(st.integers(0, 20)) * DAY // 4
    kind = draw(
        st.sampled_from(
            [
                "order_placed",
                "order_cancelled",
                "invoice_issued",
                "payment_received",
                "policy_started",
                "policy_ended",
                "complaint_opened",
                "complaint_closed",
                "call",
                "email",
                "page_view",
                "document_view",
                "consent_changed",
                "profile_updated",
                "survey_answered",
            ]
        )
    )
    direction = draw(st.sampled_from(["inbound", "outbound"] if inbound else ["outbound"]))
    key = draw(st.sampled_from(["x1", "x2", "x3"]))
    return tp(
        kind,
        t,
        source=draw(st.sampled_from(["orders", "web", "billing"])),
        amount=draw(st.sampled_from([None, 1.25, 10.0, 99.99])),
        department=draw(st.sampled_from([None, "sales", "service"])),
        invoice_id=key,
        complaint_id=key,
        policy_id=key,
        due_date=T0 // DAY + 3,
        product_category=draw(st.sampled_from(["car", "home"])),
        direction=direction,
        outcome=draw(st.sampled_from([None, "answered", "rejected"])),
        purpose=draw(st.sampled_from([None, "cross_sell", "service"])),
        document=draw(st.sampled_from([None, "a.pdf", "b.pdf"])),
        consent_purpose="marketing",
        consent_channel=draw(st.sampled_from(["email", "all"])),
        consent_state=draw(st.sampled_from(["granted", "withdrawn"])),
        question="q1",
        answer=draw(st.sampled_from(["yes", "no"])),
        attributes=draw(
            st.dictionaries(
                st.sampled_from(["first_name", "birth_date", "city"]),
                st.sampled_from(["A", "B", "C"]),
                max_size=2,
            )
        ),
    )


def unique_keys(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One issue/payment/open/close per id: the order-independent part of the model."""
    seen: set[tuple[str, str]] = set()
    out = []
    for e in events:
        field = KEYED.get(e["event_type"])
        if field:
            if (e["event_type"], e[field]) in seen:
                continue
            seen.add((e["event_type"], e[field]))
        out.append(e)
    return out


def state_of(events: list[dict[str, Any]]) -> dict[str, Any]:
    return fold_all({}, [resolved(e, household_id="h1") for e in events])


states = st.lists(event(), max_size=8).map(state_of)


@settings(max_examples=60, deadline=None)
@given(states, states, states)
def test_combine_is_associative(a: dict[str, Any], b: dict[str, Any], c: dict[str, Any]) -> None:
    assert combine(combine(a, b), c) == combine(a, combine(b, c))


@settings(max_examples=60, deadline=None)
@given(states, states)
def test_combine_is_commutative_with_identity(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert combine(a, b) == combine(b, a)
    assert combine(a, {}) == a == combine({}, a)


@settings(max_examples=60, deadline=None)
@given(st.lists(event(inbound=False), max_size=14), st.data())
def test_fold_then_combine_equals_fold_of_union(events: list[dict[str, Any]], data: Any) -> None:
    """For disjoint event sets (without inbound replies, whose matching depends on order)."""
    events = unique_keys(events)
    mask = data.draw(st.lists(st.booleans(), min_size=len(events), max_size=len(events)))
    left = [e for e, m in zip(events, mask, strict=True) if m]
    right = [e for e, m in zip(events, mask, strict=True) if not m]
    assert combine(state_of(left), state_of(right)) == state_of(events)
    assert state_of(events) == state_of(list(reversed(events)))

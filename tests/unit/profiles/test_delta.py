"""delta() runs only the parts that can contribute to an event's type: it must give exactly what
running every part gives, for every event type (and complaint statuses on any type)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.vocab import EVENT_TYPES
from streams.profiles.combine import earliest, latest
from streams.profiles.delta import PARTS, delta
from tests.unit.profiles.events import T0, tp


def every_part(t: dict[str, Any], household_id: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in PARTS:
        out.update(part(t, int(t["event_time"])))
    if household_id:
        out["hh"] = [household_id, int(t["event_time"])]
    return out


some = st.sampled_from


@st.composite
def touchpoint(draw: Any) -> dict[str, Any]:
    return tp(
        draw(some(sorted(EVENT_TYPES))),
        T0 + draw(st.integers(0, 10**9)),
        source=draw(some(["orders", "web", "contact_centre"])),
        department=draw(some([None, "", "sales"])),
        attributes=draw(st.dictionaries(some(["city", "birth_date"]), some(["", "A"]))),
        amount=draw(some([None, 0.0, 12.5])),
        invoice_id=draw(some([None, "i1"])),
        paid_date=draw(some([None, 19000])),
        due_date=draw(some([None, 19010])),
        policy_id=draw(some([None, "pol1"])),
        order_id=draw(some([None, "o1"])),
        product=draw(some([None, "car"])),
        product_category=draw(some([None, "motor"])),
        start_date=draw(some([None, 19001])),
        end_date=draw(some([None, 19002])),
        complaint_id=draw(some([None, "c1"])),
        complaint_status=draw(some([None, "", "open", "closed", "other"])),
        channel=draw(some([None, "phone", "email"])),
        direction=draw(some([None, "inbound", "outbound"])),
        outcome=draw(some([None, "answered", "rejected"])),
        purpose=draw(some([None, "cross_sell", "service"])),
        document=draw(some([None, "a.pdf"])),
        consent_purpose=draw(some([None, "marketing"])),
        consent_channel=draw(some([None, "email"])),
        consent_state=draw(some([None, "granted", "withdrawn"])),
        question=draw(some([None, "q1"])),
        survey_id=draw(some([None, "s1"])),
        answer=draw(some([None, "yes"])),
        score=draw(some([None, 0, 7])),
    )


@settings(max_examples=400, deadline=None)
@given(touchpoint(), some([None, "h1"]))
def test_delta_equals_every_part_applied(t: dict[str, Any], household_id: str | None) -> None:
    assert delta(t, household_id) == every_part(t, household_id)


def test_latest_and_earliest_break_ties_on_the_value() -> None:
    a, b, c = ["Bonn", 5], ["Berlin", 5], ["Aachen", 4]
    assert latest(a, b) is a and latest(b, a) is a and latest(c, b) is b
    assert earliest(a, b) is b and earliest(b, a) is b and earliest(a, c) is c
    assert latest([7, 1], ["10", 1]) == [7, 1]  # compared as text: "7" > "10"

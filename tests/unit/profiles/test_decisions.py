"""Each contact rule allows and denies in the right cases (pure, injected time)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from streams.profiles.decisions import RulesConfig, decide
from streams.profiles.decisions.config import DEFAULT
from streams.profiles.fold import fold_all
from tests.unit.profiles.events import DAY, resolved, tp

BERLIN = ZoneInfo("Europe/Berlin")


def at(iso: str) -> int:
    return int(datetime.fromisoformat(iso).replace(tzinfo=BERLIN).timestamp() * 1000)


WED = at("2023-11-22T10:00")
GRANT = tp(
    "consent_changed",
    WED - 30 * DAY,
    consent_purpose="marketing",
    consent_channel="all",
    consent_state="granted",
)


def state(*events: dict[str, Any]) -> dict[str, Any]:
    return fold_all({}, [resolved(e) for e in events])


def codes(
    s: dict[str, Any],
    channel: str,
    purpose: str,
    when: int = WED,
    config: RulesConfig = DEFAULT,
    household: tuple[dict[str, Any], ...] = (),
) -> list[str]:
    return [r.code for r in decide(s, channel, purpose, when, config, household).reasons]


def test_existing_customers_are_excluded_from_acquisition() -> None:
    assert codes(state(GRANT), "email", "acquisition") == []
    customer = state(GRANT, tp("order_placed", WED - DAY, amount=5.0))
    assert codes(customer, "email", "acquisition") == ["existing_customer"]
    assert codes(customer, "email", "cross_sell") == []


def test_complaint_cooling_off() -> None:
    opened = tp("complaint_opened", WED - 40 * DAY, complaint_id="c1")
    closed = tp("complaint_closed", WED - 39 * DAY, complaint_id="c1")
    assert codes(state(GRANT, opened), "email", "cross_sell") == ["open_complaint"]
    assert codes(state(GRANT, opened, closed), "email", "upsell") == []
    recent = tp("complaint_opened", WED - 5 * DAY, complaint_id="c2")
    recent_closed = tp("complaint_closed", WED - 4 * DAY, complaint_id="c2")
    assert codes(state(GRANT, recent, recent_closed), "email", "cross_sell") == ["recent_complaint"]
    assert (
        codes(
            state(GRANT, recent, recent_closed),
            "email",
            "cross_sell",
            config=RulesConfig(cooling_off_days=3),
        )
        == []
    )
    assert codes(state(GRANT, recent), "email", "service") == []
    assert codes(state(GRANT, recent), "email", "cross_sell") == [
        "open_complaint",
        "recent_complaint",
    ]


def test_consent_per_purpose_and_channel_latest_wins() -> None:
    assert codes(state(), "email", "cross_sell") == ["no_consent"]
    assert codes(state(), "email", "service") == []
    email_only = tp(
        "consent_changed",
        WED - DAY,
        consent_purpose="cross_sell",
        consent_channel="email",
        consent_state="granted",
    )
    assert codes(state(email_only), "email", "cross_sell") == []
    assert codes(state(email_only), "sms", "cross_sell") == ["no_consent"]
    withdrawn = tp(
        "consent_changed",
        WED - 2 * DAY,
        consent_purpose="marketing",
        consent_channel="all",
        consent_state="withdrawn",
    )
    assert codes(state(email_only, withdrawn), "email", "cross_sell") == []  # grant is later
    later = dict(withdrawn, event_id="w2", event_time=WED - 1)
    assert codes(state(email_only, later), "email", "cross_sell") == ["consent_withdrawn"]
    tie = dict(withdrawn, event_id="w3", event_time=WED - DAY)
    assert codes(state(email_only, tie), "email", "cross_sell") == ["consent_withdrawn"]
    future = dict(email_only, event_id="f1", event_time=WED + DAY)
    assert codes(state(future), "email", "cross_sell") == ["no_consent"]


def test_frequency_cap_per_channel() -> None:
    calls = [
        tp("campaign_contact", WED - (i + 1) * DAY, channel="email", purpose="cross_sell")
        for i in range(3)
    ]
    assert codes(state(GRANT, *calls[:2]), "email", "cross_sell") == []
    assert codes(state(GRANT, *calls), "email", "cross_sell") == ["frequency_cap"]
    assert codes(state(GRANT, *calls), "letter", "cross_sell") == []
    assert codes(state(GRANT, *calls), "email", "service") == []
    old = [
        dict(c, event_id=f"o{i}", event_time=c["event_time"] - 7 * DAY) for i, c in enumerate(calls)
    ]
    assert codes(state(GRANT, *old), "email", "cross_sell") == []


def test_quiet_hours_and_days_in_the_customers_time_zone() -> None:
    s = state(GRANT)
    assert codes(s, "phone", "cross_sell", at("2023-11-26T19:30")) == ["quiet_day"]
    assert codes(s, "phone", "cross_sell", at("2023-11-22T20:30")) == ["quiet_hours"]
    assert codes(s, "phone", "cross_sell", at("2023-11-22T07:59")) == ["quiet_hours"]
    assert codes(s, "phone", "cross_sell", at("2023-11-26T21:00")) == ["quiet_day", "quiet_hours"]
    assert codes(s, "email", "cross_sell", at("2023-11-26T21:00")) == []
    assert codes(s, "phone", "service", at("2023-11-26T21:00")) == []
    ny = state(GRANT, tp("profile_updated", WED - DAY, attributes={"timezone": "America/New_York"}))
    assert codes(ny, "phone", "cross_sell", at("2023-11-22T10:00")) == ["quiet_hours"]  # 04:00


def test_household_hint() -> None:
    car = tp(
        "policy_started",
        WED - 100 * DAY,
        policy_id="P1",
        product_category="car_insurance",
        start_date=(WED - 100 * DAY) // DAY,
    )
    wife, husband = state(car), state(GRANT)
    hints = decide(husband, "email", "cross_sell", WED, household=(wife,)).hints
    assert [h.detail["categories"] for h in hints] == [["car_insurance"]]
    both = state(GRANT, dict(car, event_id="own", policy_id="P2"))
    assert decide(both, "email", "cross_sell", WED, household=(wife,)).hints == []
    ended = state(car, tp("policy_ended", WED - DAY, policy_id="P1"))
    assert decide(husband, "email", "cross_sell", WED, household=(ended,)).hints == []


def test_every_reason_is_listed() -> None:
    s = state(tp("order_placed", WED - DAY, amount=1.0))
    d = decide(s, "phone", "acquisition", at("2023-11-26T21:30"))
    assert not d.allow
    assert [r.rule for r in d.reasons] == [
        "existing_customer",
        "consent",
        "quiet_hours",
        "quiet_hours",
    ]

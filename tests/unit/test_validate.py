"""connectors.validate: every rejection reason, every identifier type's normalisation."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.validate import REASONS, validate_touchpoint
from connectors.validate.limits import MAX_FUTURE_MS
from schemas import catalogue
from schemas.errors import InvalidEvent
from schemas.serde import Codec
from schemas.vocab import IDENTIFIER_TYPES

NOW = 1_714_600_000_000  # 2024-05-01T21:46:40Z
PERSONAL = "anna.secret@example.org"


def event(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "event_id": "e-1",
        "event_type": "call",
        "source_system": "contact_centre",
        "event_time": NOW - 1000,
        "identifiers": [{"type": "crm_id", "value": "C-1"}],
    }
    base.update(fields)
    return {k: v for k, v in base.items() if v is not DROP}


DROP = object()


def reject(obj: Any) -> InvalidEvent:
    with pytest.raises(InvalidEvent) as info:
        validate_touchpoint(obj, NOW, "DE")
    return info.value


def ok(**fields: Any) -> dict[str, Any]:
    return validate_touchpoint(event(**fields), NOW, "DE")


# a complete record -------------------------------------------------------------------------


def test_minimal_event_becomes_a_complete_encodable_record() -> None:
    record = ok()
    names = [f["name"] for f in catalogue.current(catalogue.TOUCHPOINT).parsed["fields"]]
    assert list(record) == names
    assert record["received_time"] == NOW
    assert record["relations"] == [] and record["attributes"] == {} and record["extras"] == {}
    assert record["channel"] is None and record["amount"] is None
    codec = Codec(catalogue.TOUCHPOINT)
    assert codec.decode(codec.encode(record)) == record


def test_defaults_are_fresh_per_event() -> None:
    first, second = ok(), ok()
    first["relations"].append("x")
    first["extras"]["k"] = "v"
    assert second["relations"] == [] and second["extras"] == {}


def test_full_event_keeps_typed_fields() -> None:
    record = ok(
        received_time=NOW - 10,
        channel="phone",
        direction="inbound",
        outcome="answered",
        amount=12,
        currency="EUR",
        cost=1.5,
        quantity=0,
        score=9,
        due_date="2024-05-31",
        paid_date=19_875,
        consent_state="granted",
        consent_channel="all",
        attributes={"first_name": "Anna"},
        extras={"anything": "goes"},
    )
    assert record["received_time"] == NOW - 10
    assert record["amount"] == 12.0 and isinstance(record["amount"], float)
    assert record["due_date"] == 19_874 and record["paid_date"] == 19_875
    assert record["attributes"] == {"first_name": "Anna"}


@pytest.mark.parametrize(
    ("raw", "millis"),
    [
        ("2024-05-01T10:00:00Z", 1_714_557_600_000),
        ("2024-05-01T12:00:00+02:00", 1_714_557_600_000),
        ("2024-05-01T10:00:00", 1_714_557_600_000),  # naive = UTC
        ("2024-05-01T10:00:00.250Z", 1_714_557_600_250),
        (1_714_557_600_000, 1_714_557_600_000),
    ],
)
def test_event_time_accepts_epoch_ms_and_iso(raw: Any, millis: int) -> None:
    assert ok(event_time=raw)["event_time"] == millis


def test_null_optional_fields_are_defaults() -> None:
    record = ok(channel=None, relations=None, attributes=None, received_time=None)
    assert record["channel"] is None and record["relations"] == []
    assert record["received_time"] == NOW


# identifiers -------------------------------------------------------------------------------

NORMALISED = {
    "email": ("  Anna.Schmidt@Example.ORG ", "anna.schmidt@example.org"),
    "phone": ("030 1234 5678", "+493012345678"),
    "crm_id": (" CRM 0042 ", "CRM0042"),
    "customer_number": ("K-100 200", "K-100200"),
    "billing_account": (" BA-77 ", "BA-77"),
    "loyalty_card": ("6012 3456 7890", "601234567890"),
    "cookie_id": ("\tck_abc\n", "ck_abc"),
    "device_id": (" dev-1 ", "dev-1"),
    "policy_number": ("POL 99 ", "POL99"),
    "national_id": (" 12 345 678 ", "12345678"),
    "employee_id": ("E 7", "E7"),
    "address_key": ("Hauptstraße 5, 10115 Berlin", "hauptstrasse 5 10115 berlin"),
}


def test_every_identifier_type_has_a_normalisation_case() -> None:
    assert set(NORMALISED) == IDENTIFIER_TYPES


@pytest.mark.parametrize("id_type", sorted(NORMALISED))
def test_identifier_normalised(id_type: str) -> None:
    raw, expected = NORMALISED[id_type]
    record = ok(identifiers=[{"type": id_type, "value": raw}])
    assert record["identifiers"] == [{"type": id_type, "value": expected}]


def test_phone_uses_the_region_and_keeps_country_codes() -> None:
    ids = [
        {"type": "phone", "value": "020 7946 0018"},
        {"type": "phone", "value": "+49 30 1234567"},
    ]
    record = validate_touchpoint(event(identifiers=ids), NOW, "GB")
    assert [i["value"] for i in record["identifiers"]] == ["+442079460018", "+49301234567"]


def test_duplicate_identifiers_collapse_after_normalisation() -> None:
    ids = [
        {"type": "email", "value": "A@b.de"},
        {"type": "crm_id", "value": "1"},
        {"type": "email", "value": " a@B.DE "},
    ]
    assert ok(identifiers=ids)["identifiers"] == [
        {"type": "email", "value": "a@b.de"},
        {"type": "crm_id", "value": "1"},
    ]


def test_relation_identifiers_normalised_and_collapsed() -> None:
    rel = {"kind": "payer", "identifier": {"type": "email", "value": " Payer@X.de"}}
    same = {"kind": "payer", "identifier": {"type": "email", "value": "payer@x.de"}}
    record = ok(relations=[rel, same])
    assert record["relations"] == [
        {"kind": "payer", "identifier": {"type": "email", "value": "payer@x.de"}}
    ]


# every rejection reason ---------------------------------------------------------------------

REJECTIONS: list[tuple[str, Any, str]] = [
    ("unknown_field", event(colour="red"), "colour"),
    ("unknown_field", event(attributes={"shoe_size": "42"}), "attributes.shoe_size"),
    (
        "unknown_field",
        event(identifiers=[{"type": "email", "value": "a@b.de", "x": 1}]),
        "identifiers[0].x",
    ),
    ("wrong_type", event(amount="12"), "amount must be a number"),
    ("wrong_type", event(quantity=True), "quantity"),
    ("wrong_type", event(event_time=1.5), "event_time"),
    ("wrong_type", event(event_time="yesterday"), "event_time"),
    ("wrong_type", event(due_date="31.05.2024"), "due_date"),
    ("wrong_type", event(identifiers={"type": "email"}), "identifiers must be a list"),
    ("wrong_type", event(identifiers=[{"type": "email", "value": 5}]), "identifiers[0].value"),
    ("wrong_type", event(extras={"k": 1}), "extras.k"),
    ("wrong_type", event(event_id=7), "event_id must be a string"),
    ("wrong_type", [1, 2], "event must be a JSON object"),
    ("missing_field", event(event_id=DROP), "event_id"),
    ("missing_field", event(event_time=None), "event_time"),
    ("missing_field", event(identifiers=DROP), "identifiers"),
    ("missing_field", event(identifiers=[{"type": "email"}]), "identifiers[0].value"),
    ("future_timestamp", event(event_time=NOW + MAX_FUTURE_MS + 1), "event_time"),
    ("oversized", event(product="x" * 4097), "product"),
    (
        "oversized",
        event(identifiers=[{"type": "crm_id", "value": str(i)} for i in range(51)]),
        "identifiers",
    ),
    ("oversized", event(extras={str(i): "v" for i in range(101)}), "extras"),
    ("oversized", event(extras={str(i): "v" * 4000 for i in range(20)}), "event"),
    (
        "invalid_identifier",
        event(identifiers=[{"type": "email", "value": PERSONAL + "@"}]),
        "identifiers[0]",
    ),
    (
        "invalid_identifier",
        event(identifiers=[{"type": "crm_id", "value": "1"}, {"type": "phone", "value": "12"}]),
        "identifiers[1]",
    ),
    (
        "invalid_identifier",
        event(relations=[{"kind": "payer", "identifier": {"type": "email", "value": "nope"}}]),
        "relations[0].identifier",
    ),
    ("empty_identifier", event(identifiers=[{"type": "email", "value": "   "}]), "identifiers[0]"),
    (
        "empty_identifier",
        event(identifiers=[{"type": "address_key", "value": "---"}]),
        "address_key",
    ),
    (
        "unknown_identifier_type",
        event(identifiers=[{"type": "shoe_size", "value": "42"}]),
        "identifiers[0].type",
    ),
    ("no_usable_identifier", event(identifiers=[]), "identifiers"),
    ("unknown_source_system", event(source_system="mainframe"), "source_system"),
    ("unknown_event_type", event(event_type="teleport"), "event_type"),
    ("invalid_value", event(direction="sideways"), "direction"),
    ("invalid_value", event(consent_state="maybe"), "consent_state"),
    ("invalid_value", event(quantity=-1), "quantity"),
    ("invalid_value", event(amount=float("nan")), "amount"),
    ("invalid_value", event(score=2**31), "score"),
    ("invalid_value", event(currency="euro"), "currency"),
    ("invalid_value", event(event_id="  "), "event_id"),
    ("invalid_value", event(page="\ud800"), "page"),
    (
        "invalid_value",
        event(relations=[{"kind": "cousin", "identifier": {"type": "crm_id", "value": "1"}}]),
        "relations[0].kind",
    ),
]


@pytest.mark.parametrize(
    ("reason", "obj", "named"),
    REJECTIONS,
    ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(REJECTIONS)],
)
def test_rejection(reason: str, obj: Any, named: str) -> None:
    error = reject(obj)
    assert error.reason == reason
    assert named in error.detail


def test_every_reason_is_covered() -> None:
    assert {reason for reason, _, _ in REJECTIONS} == set(REASONS)


def test_details_never_carry_personal_values() -> None:
    cases = [
        event(identifiers=[{"type": "email", "value": PERSONAL + "@"}]),
        event(identifiers=[{"type": "phone", "value": PERSONAL}]),
        event(direction=PERSONAL),
        event(source_system=PERSONAL),
        event(event_type=PERSONAL),
        event(event_time=PERSONAL),
        event(amount=PERSONAL),
        event(currency=PERSONAL),
        event(identifiers=[{"type": PERSONAL, "value": "x"}]),
    ]
    for obj in cases:
        error = reject(obj)
        assert PERSONAL not in error.detail and "anna" not in error.detail, error.detail


def test_wrong_type_names_the_expected_type() -> None:
    assert reject(event(quantity="3")).detail == "quantity must be a 32-bit integer"


def test_event_just_under_a_day_ahead_is_accepted() -> None:
    assert ok(event_time=NOW + MAX_FUTURE_MS)["event_time"] == NOW + MAX_FUTURE_MS

from __future__ import annotations

import pytest

from schemas.errors import InvalidEvent
from schemas.identifiers import normalise


@pytest.mark.parametrize(
    ("id_type", "raw", "expected"),
    [
        ("email", "  Ada.Lovelace@Example.COM ", "ada.lovelace@example.com"),
        ("phone", "030 1234567", "+49301234567"),
        ("phone", "+49 (30) 123-4567", "+49301234567"),
        ("phone", "0049 30 1234567", "+49301234567"),
        ("crm_id", "  C-100 ", "C-100"),
        ("loyalty_card", "1234 5678 9012", "123456789012"),
        ("address_key", "Hauptstraße 5, 10115 Berlin", "hauptstrasse 5 10115 berlin"),
    ],
)
def test_normalises(id_type: str, raw: str, expected: str) -> None:
    assert normalise(id_type, raw, "DE") == expected


@pytest.mark.parametrize(
    ("id_type", "raw", "reason"),
    [
        ("email", "not-an-address", "invalid_identifier"),
        ("phone", "abc", "invalid_identifier"),
        ("phone", "12", "invalid_identifier"),
        ("crm_id", "   ", "empty_identifier"),
        ("shoe_size", "42", "unknown_identifier_type"),
        ("crm_id", 42, "wrong_type"),
    ],
)
def test_reports_invalid_values(id_type: str, raw: object, reason: str) -> None:
    with pytest.raises(InvalidEvent) as err:
        normalise(id_type, raw, "DE")
    assert err.value.reason == reason

"""String maps (attributes, extras) and string arrays: bounded, string keys and values."""

from __future__ import annotations

from typing import Any

from connectors.validate.limits import MAX_IDENTIFIERS, MAX_MAP_ENTRIES
from connectors.validate.scalars import check_string, wrong_type
from schemas.errors import InvalidEvent

# cdp.Touchpoint.attributes: the profile attributes the contract knows (see its .avsc doc).
ATTRIBUTE_KEYS = frozenset(
    {
        "first_name",
        "last_name",
        "birth_date",
        "street",
        "postcode",
        "city",
        "country",
        "language",
        "timezone",
        "gender",
    }
)
KNOWN_KEYS = {"attributes": ATTRIBUTE_KEYS}


def check_string_map(field: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise wrong_type(field, "a JSON object of strings")
    if len(value) > MAX_MAP_ENTRIES:
        raise InvalidEvent("oversized", f"{field} has more than {MAX_MAP_ENTRIES} entries")
    known = KNOWN_KEYS.get(field)
    for key, item in value.items():
        check_string(f"{field} key", key)
        if known is not None and key not in known:
            raise InvalidEvent("unknown_field", f"unknown field {field}.{key[:64]}")
        check_string(f"{field}.{key[:64]}", item)
    return dict(value)


def check_string_array(field: str, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise wrong_type(field, "a list of strings")
    if len(value) > MAX_IDENTIFIERS:
        raise InvalidEvent("oversized", f"{field} has more than {MAX_IDENTIFIERS} entries")
    return [check_string(f"{field}[{i}]", item) for i, item in enumerate(value)]

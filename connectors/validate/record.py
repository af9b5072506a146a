"""Shape of a JSON object: no unknown keys, every required key present and not null."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from connectors.validate.limits import MAX_FIELD_NAME
from schemas.errors import InvalidEvent


def check_record(
    path: str, value: Any, required: Collection[str], known: Collection[str] | None = None
) -> None:
    """``known`` defaults to ``required`` (records whose every field is required)."""
    if not isinstance(value, dict):
        raise InvalidEvent("wrong_type", f"{path or 'event'} must be a JSON object")
    allowed = required if known is None else known
    for key in value:
        if key not in allowed:
            raise InvalidEvent("unknown_field", f"unknown field {_name(path, key)}")
    for key in required:
        if value.get(key) is None:
            raise InvalidEvent("missing_field", f"missing field {_name(path, key)}")


def _name(path: str, key: Any) -> str:
    text = str(key)
    if len(text) > MAX_FIELD_NAME:
        text = text[:MAX_FIELD_NAME] + "..."
    return f"{path}.{text}" if path else text

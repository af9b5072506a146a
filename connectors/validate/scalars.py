"""Checkers for scalar fields: each takes (field name, value) and returns the typed value or
raises InvalidEvent. Details name the field and the expected type, never the value."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from typing import Any

from connectors.validate.limits import MAX_STRING
from schemas.errors import InvalidEvent

_EPOCH_DAY = date(1970, 1, 1).toordinal()
_INT32 = 2**31
_INT64 = 2**63


def wrong_type(field: str, expected: str) -> InvalidEvent:
    return InvalidEvent("wrong_type", f"{field} must be {expected}")


def check_string(field: str, value: Any) -> str:
    if not isinstance(value, str):
        raise wrong_type(field, "a string")
    if len(value) > MAX_STRING:
        raise InvalidEvent("oversized", f"{field} is longer than {MAX_STRING} characters")
    if not value.isascii():
        _check_unicode(field, value)
    return value


def _check_unicode(field: str, value: str) -> None:
    """JSON may carry lone surrogates (\\ud800) that no UTF-8 encoder accepts."""
    try:
        value.encode()
    except UnicodeEncodeError:
        raise InvalidEvent("invalid_value", f"{field} is not valid Unicode text") from None


def _integer(field: str, value: Any, bound: int, expected: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise wrong_type(field, expected)
    if not -bound <= value < bound:
        raise InvalidEvent("invalid_value", f"{field} is out of range for {expected}")
    return value


def check_int(field: str, value: Any) -> int:
    return _integer(field, value, _INT32, "a 32-bit integer")


def check_long(field: str, value: Any) -> int:
    return _integer(field, value, _INT64, "a 64-bit integer")


def check_double(field: str, value: Any) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise wrong_type(field, "a number")
    number = float(value) if abs(value) < 1e308 else math.inf
    if not math.isfinite(number):
        raise InvalidEvent("invalid_value", f"{field} must be a finite number")
    return number


def check_boolean(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise wrong_type(field, "true or false")
    return value


def check_timestamp(field: str, value: Any) -> int:
    """Epoch milliseconds (int) or an ISO-8601 string (naive times are taken as UTC)."""
    if isinstance(value, str):
        return _iso_timestamp(field, value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise wrong_type(field, "epoch milliseconds (integer) or an ISO-8601 string")
    if not 0 <= value < _INT64:
        raise InvalidEvent("invalid_value", f"{field} must be epoch milliseconds after 1970")
    return value


def _iso_timestamp(field: str, value: str) -> int:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidEvent("wrong_type", f"{field} is not an ISO-8601 timestamp") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    millis = (moment - datetime(1970, 1, 1, tzinfo=UTC)) // _MS
    if millis < 0:
        raise InvalidEvent("invalid_value", f"{field} must be after 1970")
    return millis


def check_date(field: str, value: Any) -> int:
    """Days since 1970-01-01 (int) or an ISO date string (YYYY-MM-DD)."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()).toordinal() - _EPOCH_DAY
        except ValueError:
            raise InvalidEvent("wrong_type", f"{field} is not an ISO date (YYYY-MM-DD)") from None
    return _integer(field, value, _INT32, "days since 1970-01-01 or an ISO date")


_MS = datetime(1970, 1, 1, 0, 0, 0, 1000) - datetime(1970, 1, 1)

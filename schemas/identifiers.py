"""Identifier normalisation: pure functions. Invalid values are reported, never guessed."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

from schemas.errors import InvalidEvent
from schemas.vocab import IDENTIFIER_TYPES

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SPACES = re.compile(r"\s+")
MIN_PHONE_DIGITS = 6  # shorter "numbers" are extensions or junk, never a person


def normalise_email(raw: str) -> str:
    value = raw.strip().lower()
    if not _EMAIL.match(value):
        raise InvalidEvent("invalid_identifier", "email is not an address")
    return value


def normalise_phone(raw: str, region: str) -> str:
    """E.164, parsed with the default region for numbers without a country code."""
    try:
        number = phonenumbers.parse(raw.strip(), region)
    except phonenumbers.NumberParseException:
        raise InvalidEvent("invalid_identifier", "phone does not parse") from None
    too_short = len(str(number.national_number)) < MIN_PHONE_DIGITS
    if too_short or not phonenumbers.is_possible_number(number):
        raise InvalidEvent("invalid_identifier", "phone is not a possible number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_token(raw: str) -> str:
    """Account numbers, cards, cookies: trimmed, inner whitespace removed, NFC."""
    return _SPACES.sub("", unicodedata.normalize("NFC", raw.strip()))


def normalise_address(raw: str) -> str:
    """A household key from an address: lower case, punctuation and spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", raw.replace("ß", "ss"))
    folded = decomposed.encode("ascii", "ignore").decode().lower()
    return _SPACES.sub(" ", re.sub(r"[^a-z0-9 ]", " ", folded)).strip()


def normalise(id_type: str, raw: object, region: str = "DE") -> str:
    """Normalise one identifier value of a known type; raises InvalidEvent."""
    if id_type not in IDENTIFIER_TYPES:
        raise InvalidEvent("unknown_identifier_type", id_type)
    if not isinstance(raw, str):
        raise InvalidEvent("wrong_type", f"identifier {id_type} must be a string")
    if id_type == "email":
        value = normalise_email(raw)
    elif id_type == "phone":
        value = normalise_phone(raw, region)
    elif id_type == "address_key":
        value = normalise_address(raw)
    else:
        value = normalise_token(raw)
    if not value:
        raise InvalidEvent("empty_identifier", f"{id_type} normalises to nothing")
    return value

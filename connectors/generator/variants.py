"""Formatting variants and typos, as source systems really store them. Every variant
normalises back to the person's identifier (schemas.identifiers.normalise)."""

from __future__ import annotations

import random


def phone(rng: random.Random, national: str) -> str:
    """'01511234567' or '030 123456' -> one of the ways people and systems write it."""
    digits = national.replace(" ", "")
    area, rest = _split(national)
    roll = rng.random()
    if roll < 0.35:
        return f"{area} {rest}"
    if roll < 0.55:
        return f"+49 {area[1:]} {rest}"
    if roll < 0.7:
        return f"0049-{area[1:]}-{rest}"
    if roll < 0.85:
        return f"+49{digits[1:]}"
    if roll < 0.95:
        return f"({area}) {rest[:4]} {rest[4:]}"
    return digits


def _split(national: str) -> tuple[str, str]:
    if " " in national:
        area, rest = national.split(" ", 1)
        return area, rest
    return national[:4], national[4:]


def email(rng: random.Random, address: str) -> str:
    """Mostly as is; sometimes capitalised or with stray spaces."""
    roll = rng.random()
    if roll < 0.85:
        return address
    if roll < 0.93:
        local, domain = address.split("@")
        return f"{local.title()}@{domain.capitalize()}"
    if roll < 0.97:
        return f" {address} "
    return address.upper()


def name(rng: random.Random, value: str, typo_rate: float = 0.03) -> str:
    """A typo now and then: two neighbouring letters swapped or one doubled."""
    if len(value) < 4 or rng.random() >= typo_rate:
        return value
    i = rng.randrange(1, len(value) - 2)
    if rng.random() < 0.5:
        return value[:i] + value[i + 1] + value[i] + value[i + 2 :]
    return value[:i] + value[i] + value[i:]

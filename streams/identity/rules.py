"""Identity rules as configuration: rules.yaml loaded into frozen dataclasses (pure)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DEFAULT_RULES_FILE = Path(__file__).with_name("rules.yaml")
ANY = "*"


@dataclass(frozen=True)
class IdRule:
    id_type: str
    merge: bool
    max_per_profile: int
    priority: int


@dataclass(frozen=True)
class Rules:
    identifiers: Mapping[str, IdRule]
    blocked_exact: Mapping[str, frozenset[str]] = field(default_factory=dict)
    blocked_regex: Mapping[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    household_identifiers: frozenset[str] = frozenset()
    household_relations: frozenset[str] = frozenset()

    def is_blocked(self, id_type: str, value: str) -> bool:
        low = value.lower()
        for key in (ANY, id_type):
            if low in self.blocked_exact.get(key, ()):
                return True
            for pattern in self.blocked_regex.get(key, ()):
                if pattern.fullmatch(low):
                    return True
        return False


def rules_from_dict(raw: Mapping[str, Any]) -> Rules:
    identifiers = {
        name: IdRule(name, bool(spec["merge"]), int(spec["max_per_profile"]), int(spec["priority"]))
        for name, spec in (raw.get("identifiers") or {}).items()
    }
    blocked = raw.get("blocked") or {}
    exact = {
        k: frozenset(str(v).lower() for v in vals)
        for k, vals in (blocked.get("exact") or {}).items()
    }
    regex = {
        k: tuple(re.compile(p) for p in pats)
        for k, pats in (blocked.get("regex") or {}).items()
        if pats
    }
    households = raw.get("households") or {}
    return Rules(
        identifiers=identifiers,
        blocked_exact=exact,
        blocked_regex=regex,
        household_identifiers=frozenset(households.get("identifiers") or ()),
        household_relations=frozenset(households.get("relations") or ()),
    )


def load_rules(path: Path | None = None) -> Rules:
    return rules_from_dict(yaml.safe_load((path or DEFAULT_RULES_FILE).read_text()))


@cache
def default_rules() -> Rules:
    return load_rules()

"""Step 1 of identity: pick the usable identifiers of a touchpoint (pure).

Blocked placeholder values are set aside, household-only identifiers (address_key) and household
relations are kept apart, identity identifiers are sorted strongest first. An event without a
usable identity identifier is bad input.
"""

from __future__ import annotations

from typing import Any

from schemas.errors import InvalidEvent
from streams.identity.model import Parsed
from streams.identity.rules import IdRule, Rules

_CACHE_MAX = 500_000


class Extractor:
    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self._blocked: dict[str, bool] = {}  # member -> blocked? (values repeat a lot)

    def blocked(self, id_type: str, value: str, m: str) -> bool:
        hit = self._blocked.get(m)
        if hit is None:
            if len(self._blocked) > _CACHE_MAX:
                self._blocked.clear()
            hit = self._blocked[m] = self.rules.is_blocked(id_type, value)
        return hit

    def parse(self, event: dict[str, Any]) -> Parsed:
        rules_by_type = self.rules.identifiers
        hh_types = self.rules.household_identifiers
        known_blocked = self._blocked.get
        ids: list[tuple[int, str, IdRule]] = []
        blocked: list[str] = []
        hh_keys: list[str] = []
        seen: set[str] = set()
        for ident in event["identifiers"]:
            id_type, value = ident["type"], ident["value"]
            m = id_type + ":" + value
            if m in seen:
                continue
            seen.add(m)
            hit = known_blocked(m)
            if hit is None:
                hit = self.blocked(id_type, value, m)
            if hit:
                blocked.append(m)
            elif id_type in hh_types:
                hh_keys.append(m)
            elif (rule := rules_by_type.get(id_type)) is not None:
                ids.append((-rule.priority, m, rule))
        if not ids:
            raise InvalidEvent("blocked_identifiers_only" if blocked else "no_usable_identifier")
        if len(ids) > 1:
            ids.sort()
        return Parsed(
            event["event_id"],
            event["event_time"],
            tuple(ids),
            tuple(blocked),
            tuple(hh_keys),
            self._relations(event),
        )

    def _relations(self, event: dict[str, Any]) -> tuple[tuple[str, str], ...]:
        relations = event.get("relations")
        if not relations:
            return ()
        kinds = self.rules.household_relations
        out = []
        for rel in relations:
            ident = rel["identifier"]
            id_type, value = ident["type"], ident["value"]
            m = id_type + ":" + value
            if (
                rel["kind"] in kinds
                and id_type in self.rules.identifiers
                and not self.blocked(id_type, value, m)
            ):
                out.append((m, rel["kind"]))
        return tuple(out)


def members_of(parsed: list[Parsed]) -> tuple[list[str], list[str]]:
    """Every member a batch mentions, in first-seen order: (identity members, household
    members: address keys and related persons' identifiers)."""
    identity: dict[str, None] = {}
    household: dict[str, None] = {}
    for p in parsed:
        for _, m, _ in p.ids:
            identity[m] = None
        for m in p.hh_keys:
            household[m] = None
        for m, _ in p.relations:
            household[m] = None
    return [m for m in identity if m not in household], list(household)

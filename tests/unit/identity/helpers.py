"""Small builders for identity tests (no network)."""

from __future__ import annotations

from typing import Any

from streams.identity.engine import resolve_and_apply
from streams.identity.extract import Extractor
from streams.identity.memory_graph import MemoryGraph
from streams.identity.model import Change, Outcome
from streams.identity.rules import Rules, default_rules


def ev(
    event_id: str, t: int, *ids: tuple[str, str], rel: tuple[tuple[str, str, str], ...] = ()
) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "event_time": t,
        "event_type": "login",
        "source_system": "web",
        "identifiers": [{"type": a, "value": b} for a, b in ids],
        "relations": [{"kind": k, "identifier": {"type": a, "value": b}} for k, a, b in rel],
    }


class World:
    """A MemoryGraph plus the resolver: feed events, read the graph."""

    def __init__(self, rules: Rules | None = None) -> None:
        self.rules = rules or default_rules()
        self.extractor = Extractor(self.rules)
        self.graph = MemoryGraph()
        self.changes: list[Change] = []

    def batch(self, *events: dict[str, Any]) -> list[Outcome]:
        parsed = [self.extractor.parse(e) for e in events]
        outcomes, changes = resolve_and_apply(self.graph, self.rules, parsed)
        self.changes.extend(changes)
        return outcomes

    def one(self, event: dict[str, Any]) -> Outcome:
        return self.batch(event)[0]

    def owner(self, id_type: str, value: str) -> str | None:
        return self.graph.ids.get(f"{id_type}:{value}")

    def kinds(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

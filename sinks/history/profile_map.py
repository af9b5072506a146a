"""The person-override mapping (pure): merge edges -> `profile_map` rows, transitively closed.

`profile_map` always maps a merged-away profile to its *current* survivor, so one lookup (the
`events_current` view's join) is enough. A new edge B -> C re-points every profile already mapped
to B; an edge A -> B that arrives after B -> C (identity changes are partitioned by profile, so
their order across partitions is not guaranteed) maps A straight to C. The caller passes the
stored rows that touch the batch (``existing``: rows whose profile_id is any node of the new
edges, or whose survivor_id is any merged-away profile of them); replayed edges emit nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from sinks.history.rows_identity import MergeEdge

MAP_COLUMNS: tuple[str, ...] = ("profile_id", "survivor_id", "version", "change_id", "changed_time")


class Mapped(NamedTuple):
    survivor: str
    version: int
    change_id: str


def nodes(edges: Iterable[MergeEdge]) -> tuple[set[str], set[str]]:
    """(every profile an edge mentions, the merged-away ones): what to look up before closing."""
    edges = list(edges)
    merged = {e.merged for e in edges}
    return merged | {e.survivor for e in edges}, merged


MapRow = tuple[str, str, int, str, int]


def close(edges: Iterable[MergeEdge], existing: dict[str, Mapped]) -> list[MapRow]:
    """New `profile_map` rows (MAP_COLUMNS order) after applying ``edges`` to ``existing``."""
    mapping = dict(existing)
    for edge in sorted(edges, key=lambda e: e.version):
        known = mapping.get(edge.merged)
        if known is None or edge.version > known.version:
            mapping[edge.merged] = Mapped(edge.survivor, edge.version, edge.change_id)
    rows = []
    for profile in sorted(mapping):
        survivor, version, change_id = _root(profile, mapping)
        stored = existing.get(profile)
        if survivor != profile and (stored is None or stored.survivor != survivor):
            rows.append((profile, survivor, version, change_id, version // 1000))
    return rows


def _root(profile: str, mapping: dict[str, Mapped]) -> Mapped:
    """Follow the chain to the profile nobody merged away; version = newest edge on the way."""
    seen = {profile}
    current = mapping[profile]
    version, change_id = current.version, current.change_id
    while current.survivor in mapping and current.survivor not in seen:
        seen.add(current.survivor)
        current = mapping[current.survivor]
        if current.version > version:
            version, change_id = current.version, current.change_id
    return Mapped(current.survivor, version, change_id)

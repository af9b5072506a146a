"""combine(a, b): merge two profile states. Associative and commutative; {} is the identity.

Sums add, first/last take min/max, attributes take the latest by event time (set-once ones the
earliest), sets union, bounded lists keep the latest N. Ties break on the value so the result
never depends on argument order.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from streams.profiles import state as st
from streams.profiles.state import State

Merge = Callable[[Any, Any], Any]


add: Merge = operator.add  # the builtins: no Python frame per merged value
lo: Merge = min
hi: Merge = max


def latest(a: list[Any], b: list[Any]) -> list[Any]:
    """[value, t] pairs: the later wins (ties: the larger value as text)."""
    if a[1] != b[1]:
        return a if a[1] > b[1] else b
    return a if str(a[0]) >= str(b[0]) else b


def earliest(a: list[Any], b: list[Any]) -> list[Any]:
    if a[1] != b[1]:
        return a if a[1] < b[1] else b
    return a if str(a[0]) <= str(b[0]) else b


def consent(a: list[Any], b: list[Any]) -> list[Any]:
    """[state, t]: the later wins; on a tie, withdrawn wins."""
    ka, kb = (a[1], a[0] == "withdrawn"), (b[1], b[0] == "withdrawn")
    return a if ka >= kb else b


def mapping(merge: Merge) -> Merge:
    def merged(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
        out = dict(a)
        for k, v in b.items():
            out[k] = merge(out[k], v) if k in out else v
        return out

    return merged


def attributes(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for k, v in b.items():
        if k in out:
            out[k] = (earliest if k in st.SET_ONCE_ATTRIBUTES else latest)(out[k], v)
        else:
            out[k] = v
    return out


def record(fields: dict[str, Merge]) -> Merge:
    """A dict whose fields merge with their own function (unknown fields add)."""

    def merged(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
        out = dict(a)
        for k, v in b.items():
            out[k] = fields.get(k, add)(out[k], v) if k in out else v
        return out

    return merged


def opt(merge: Merge) -> Merge:
    """Element merge that ignores None on either side."""

    def merged(a: Any, b: Any) -> Any:
        if a is None:
            return b
        return a if b is None else merge(a, b)

    return merged


def elementwise(merges: tuple[Merge, ...]) -> Merge:
    def merged(a: list[Any], b: list[Any]) -> list[Any]:
        return [m(x, y) for m, x, y in zip(merges, a, b, strict=True)]

    return merged


def product(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """A product id's kind, category and name do not change; on a conflict the larger value is
    kept (deterministic). Start takes the earliest, end the latest, t the latest."""
    out: dict[str, Any] = {}
    for field, merge in PRODUCT_FIELDS.items():
        value = opt(merge)(a.get(field), b.get(field))
        if value is not None:
            out[field] = value
    return out


def latest_list(limit: int) -> Merge:
    """Bounded lists of distinct items: keep the ``limit`` largest (items sort by time first)."""

    def merged(a: list[Any], b: list[Any]) -> list[Any]:
        items = {_hashable(x): x for x in [*a, *b]}
        return [items[k] for k in sorted(items, reverse=True)[:limit]]

    return merged


def latest_docs(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    both = _latest_times(a, b)
    keep = sorted(both.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)[: st.DOCUMENTS_KEPT]
    return dict(keep)


_latest_times = mapping(hi)


def union(a: list[str], b: list[str]) -> list[str]:
    return sorted(set(a) | set(b))


def _hashable(x: Any) -> Any:
    return tuple(x) if isinstance(x, list) else x


PRODUCT_FIELDS: dict[str, Merge] = {"k": max, "c": max, "p": max, "s": lo, "e": hi, "t": hi}

FIELDS: dict[str, Merge] = {
    "n": add,
    "fs": lo,
    "ls": hi,
    "a": attributes,
    "sv": mapping(latest),
    "cs": mapping(consent),
    "hh": latest,
    "o": record({"f": lo, "l": hi}),
    "iv": mapping(elementwise((opt(hi), opt(lo), opt(hi), opt(hi)))),
    "pd": record({}),
    "pr": mapping(product),
    "cp": mapping(elementwise((opt(lo), opt(hi)))),
    "cpl": hi,
    "cm": mapping(record({})),
    "ob": mapping(latest_list(st.OUTBOUND_KEPT)),
    "rt": latest_list(st.RESPONSE_SAMPLES),
    "mk": mapping(latest_list(st.MARKETING_KEPT)),
    "w": record({"l": hi}),
    "dc": latest_docs,
    "dp": mapping(hi),
    "sr": mapping(hi),
    "mg": union,
}


def combine(a: State, b: State) -> State:
    """The merged state of two profiles (or of a profile and one event's delta)."""
    out = dict(a)
    fields = FIELDS
    for k, v in b.items():
        out[k] = fields[k](out[k], v) if k in out else v
    return out

"""fold(state, resolved_touchpoint) -> state: one event into a profile state (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from streams.profiles.combine import combine
from streams.profiles.conversation import reply
from streams.profiles.delta import delta
from streams.profiles.state import State


def fold(s: State, resolved: dict[str, Any]) -> State:
    tp = resolved["touchpoint"]
    return combine(reply(s, tp), delta(tp, resolved.get("household_id")))


def fold_all(s: State, events: Iterable[dict[str, Any]]) -> State:
    for event in events:
        s = fold(s, event)
    return s

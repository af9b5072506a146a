"""Reply matching (order dependent by nature): an inbound contact answers our outbound contact
named by ``in_reply_to``, or else the latest unanswered outbound contact on the same channel
before it (within REPLY_WINDOW_MS). A match records a response-time sample and a reply."""

from __future__ import annotations

from typing import Any

from streams.profiles.delta import Touchpoint, comm_channel, comm_direction
from streams.profiles.state import REPLY_WINDOW_MS, RESPONSE_SAMPLES, State


def find(
    pending: dict[str, list[list[Any]]], channel: str, t: int, in_reply_to: str | None
) -> tuple[str, list[Any]] | None:
    if in_reply_to:
        for ch, items in pending.items():
            for item in items:
                if item[1] == in_reply_to and item[0] <= t:
                    return ch, item
    candidates = [i for i in pending.get(channel, []) if i[0] < t and t - i[0] <= REPLY_WINDOW_MS]
    return (channel, max(candidates)) if candidates else None


def reply(s: State, tp: Touchpoint) -> State:
    """The state after matching ``tp`` as a reply (unchanged when it is none)."""
    if "ob" not in s:
        return s
    channel = comm_channel(tp)
    if channel is None or comm_direction(tp) != "inbound":
        return s
    t = int(tp["event_time"])
    match = find(s["ob"], channel, t, tp.get("in_reply_to"))
    if match is None:
        return s
    ch, item = match
    out = dict(s)
    rest = [i for i in s["ob"][ch] if i != item]
    out["ob"] = {k: v for k, v in s["ob"].items() if k != ch} | ({ch: rest} if rest else {})
    if not out["ob"]:
        del out["ob"]
    samples = sorted([*s.get("rt", []), [t, t - item[0]]], reverse=True)
    out["rt"] = samples[:RESPONSE_SAMPLES]
    cm = dict(s.get("cm", {}))
    cm[channel] = {**cm.get(channel, {}), "rp": cm.get(channel, {}).get("rp", 0) + 1}
    out["cm"] = cm
    return out

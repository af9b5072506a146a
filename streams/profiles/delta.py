"""delta(touchpoint, household_id): the order-independent contribution of one event, as a state.

fold = combine(state, delta) (+ the reply matching in conversation.py), so everything here is
exactly as associative and commutative as ``combine``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from streams.profiles.state import MARKETING_PURPOSES, State, cents, day_of

Touchpoint = dict[str, Any]

COMM_CHANNELS = {
    "call": "phone",
    "email": "email",
    "sms": "sms",
    "letter": "letter",
    "campaign_contact": None,
    "campaign_response": None,
}
COMM_DIRECTIONS = {"campaign_contact": "outbound", "campaign_response": "inbound"}
ANSWERED_OUTCOMES = frozenset({"answered", "replied"})
ORDER_TYPES = frozenset({"order_placed", "pos_purchase"})
WEB_TYPES = frozenset({"page_view", "document_view", "login", "signup"})
PRODUCT_KINDS = {
    "policy_started": ("policy", "s"),
    "policy_ended": ("policy", "e"),
    "subscription_started": ("subscription", "s"),
    "subscription_ended": ("subscription", "e"),
}


def comm_channel(tp: Touchpoint) -> str | None:
    if tp["event_type"] not in COMM_CHANNELS:
        return None
    return tp.get("channel") or COMM_CHANNELS[tp["event_type"]]


def comm_direction(tp: Touchpoint) -> str | None:
    return tp.get("direction") or COMM_DIRECTIONS.get(tp["event_type"])


def base(tp: Touchpoint, t: int) -> State:
    d: State = {"n": 1, "fs": t, "ls": t, "sr": {tp["source_system"]: t}}
    if tp.get("department"):
        d["dp"] = {tp["department"]: t}
    attributes = tp.get("attributes")
    if attributes:
        attrs = {k: [v, t] for k, v in attributes.items() if v}
        if attrs:
            d["a"] = attrs
    return d


def orders(tp: Touchpoint, t: int) -> State:
    kind, amount = tp["event_type"], cents(tp.get("amount"))
    if kind in ORDER_TYPES:
        return {"o": {"n": 1, "s": amount, "f": t, "l": t}}
    if kind == "order_cancelled":
        return {"o": {"cn": 1, "cs": amount}}
    if kind == "order_returned":
        return {"o": {"rn": 1, "rs": amount}}
    return {}


def invoices(tp: Touchpoint, t: int) -> State:
    kind, inv = tp["event_type"], tp.get("invoice_id")
    if kind == "invoice_issued" and inv:
        amount = cents(tp["amount"]) if tp.get("amount") is not None else None
        return {"iv": {inv: [amount, day_of(t), tp.get("due_date"), None]}}
    if kind == "payment_received":
        d: State = {"pd": {"pn": 1, "ps": cents(tp.get("amount"))}}
        if inv:
            d["iv"] = {inv: [None, None, None, tp.get("paid_date") or day_of(t)]}
        return d
    return {}


def products(tp: Touchpoint, t: int) -> State:
    kind_field = PRODUCT_KINDS.get(tp["event_type"])
    if kind_field is None:
        return {}
    kind, field = kind_field
    named = tp.get("product") and f"{kind}:{tp['product']}"
    key = tp.get("policy_id") or tp.get("order_id") or named
    if not key:
        return {}
    day = tp.get("start_date" if field == "s" else "end_date") or day_of(t)
    entry: dict[str, Any] = {"k": kind, field: day, "t": t}
    for src, dst in (("product_category", "c"), ("product", "p")):
        if tp.get(src):
            entry[dst] = tp[src]
    return {"pr": {key: entry}}


def complaints(tp: Touchpoint, t: int) -> State:
    kind, status = tp["event_type"], tp.get("complaint_status")
    cid = tp.get("complaint_id") or tp["event_id"]
    if kind == "complaint_opened" or (kind != "complaint_closed" and status == "open"):
        return {"cp": {cid: [t, None]}, "cpl": t}
    if kind == "complaint_closed" or status == "closed":
        return {"cp": {cid: [None, t]}}
    return {}


def communication(tp: Touchpoint, t: int) -> State:
    channel, direction = comm_channel(tp), comm_direction(tp)
    if channel is None or direction not in ("inbound", "outbound"):
        return {}
    counts = {"in" if direction == "inbound" else "out": 1}
    outcome = tp.get("outcome")
    if outcome:
        counts[outcome] = counts.get(outcome, 0) + 1
    d: State = {"cm": {channel: counts}}
    if direction == "outbound":
        if outcome not in ANSWERED_OUTCOMES:
            d["ob"] = {channel: [[t, tp["event_id"]]]}
        if tp.get("purpose") in MARKETING_PURPOSES or tp["event_type"] == "campaign_contact":
            d["mk"] = {channel: [t]}
    return d


def web(tp: Touchpoint, t: int) -> State:
    if tp["event_type"] not in WEB_TYPES:
        return {}
    d: State = {"w": {"n": 1, "l": t}}
    if tp.get("document"):
        d["dc"] = {tp["document"]: t}
    return d


def consent(tp: Touchpoint, t: int) -> State:
    state = tp.get("consent_state")
    if tp["event_type"] != "consent_changed" or not state:
        return {}
    key = f"{tp.get('consent_purpose') or 'marketing'}|{tp.get('consent_channel') or 'all'}"
    return {"cs": {key: [state, t]}}


def survey(tp: Touchpoint, t: int) -> State:
    question = tp.get("question") or tp.get("survey_id")
    answer = tp.get("answer") if tp.get("answer") is not None else tp.get("score")
    if tp["event_type"] != "survey_answered" or not question or answer is None:
        return {}
    return {"sv": {question: [str(answer), t]}}


Part = Callable[[Touchpoint, int], State]

PARTS: tuple[Part, ...] = (
    base,
    orders,
    invoices,
    products,
    complaints,
    communication,
    web,
    consent,
    survey,
)

COMPLAINT_TYPES = frozenset({"complaint_opened", "complaint_closed"})
# which parts can contribute to an event of each type (every other part returns {} for it);
# base runs for every event, complaints also for any event that carries a complaint_status
_TYPED: tuple[tuple[frozenset[str], Part], ...] = (
    (ORDER_TYPES | {"order_cancelled", "order_returned"}, orders),
    (frozenset({"invoice_issued", "payment_received"}), invoices),
    (frozenset(PRODUCT_KINDS), products),
    (COMPLAINT_TYPES, complaints),
    (frozenset(COMM_CHANNELS), communication),
    (WEB_TYPES, web),
    (frozenset({"consent_changed"}), consent),
    (frozenset({"survey_answered"}), survey),
)
PARTS_BY_TYPE: dict[str, tuple[Part, ...]] = {
    kind: tuple(part for types, part in _TYPED if kind in types)
    for types, _ in _TYPED
    for kind in types
}


def delta(tp: Touchpoint, household_id: str | None = None) -> State:
    """One event's contribution. Parts touch disjoint fields, so a dict union joins them."""
    t = int(tp["event_time"])
    kind = tp["event_type"]
    out = base(tp, t)
    for part in PARTS_BY_TYPE.get(kind, ()):
        out.update(part(tp, t))
    if tp.get("complaint_status") and kind not in COMPLAINT_TYPES:
        out.update(complaints(tp, t))
    if household_id:
        out["hh"] = [household_id, t]
    return out

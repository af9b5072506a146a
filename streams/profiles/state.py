"""The profile state: a JSON-ready dict with short field names (one blob per profile in Redis).

Every field is optional; an empty state is ``{}``. Times are epoch ms, dates epoch days, money
integer cents (integer sums keep ``combine`` exactly associative).

    n   events folded                    fs/ls  first/last seen (event time)
    a   attributes {name: [value, t]}    sv     survey answers {question: [answer, t]}
    cs  consent {"purpose|channel": [state, t]}          hh  household [household_id, t]
    o   orders {n, s, f, l, cn, cs, rn, rs}  (count, cents, first, last, cancelled, returned)
    iv  invoices {id: [cents, issued_day, due_day, paid_day]}
    pd  payments {pn, ps}  (payments received, cents paid)
    pr  products {id: {k: kind, c: category, p: product, s: start_day, e: end_day, t}}
    cp  complaints {id: [opened_t, closed_t]}   cpl last complaint opened
    cm  communication {channel: {in, out, rp (matched replies), <outcome>: n}}
    ob  recent outbound contacts awaiting a reply {channel: [[t, event_id], ...]}
    rt  latest response-time samples [[reply_t, millis], ...]
    mk  recent outbound marketing contacts {channel: [t, ...]}
    w   web {n: hits, l: last hit}       dc  last documents viewed {document: t}
    dp  departments {name: last t}       sr  source systems {name: last t}
    mg  profile ids merged into this one
"""

from __future__ import annotations

from typing import Any

State = dict[str, Any]

SET_ONCE_ATTRIBUTES = frozenset({"birth_date"})
MARKETING_PURPOSES = frozenset({"acquisition", "cross_sell", "upsell", "retention", "marketing"})

OUTBOUND_KEPT = 5  # per channel, for reply matching
RESPONSE_SAMPLES = 15
MARKETING_KEPT = 10  # per channel, for frequency caps
DOCUMENTS_KEPT = 10
REPLY_WINDOW_MS = 30 * 86_400_000  # a reply later than this is not a response to the contact

DAY_MS = 86_400_000


def cents(amount: float | None) -> int:
    return 0 if amount is None else round(amount * 100)


def day_of(t_ms: int) -> int:
    return t_ms // DAY_MS

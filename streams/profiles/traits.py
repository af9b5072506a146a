"""Read-time traits computed from a profile state and the current time (pure).

Things that depend on "now" (overdue amounts, active products, cooling-off) are computed here,
at read time, from what the state stores."""

from __future__ import annotations

from statistics import median
from typing import Any

from streams.profiles.state import DAY_MS, State


def orders(s: State) -> dict[str, Any]:
    o = s.get("o", {})
    n, total = o.get("n", 0), o.get("s", 0)
    return {
        "count": n,
        "revenue": total / 100,
        "average": round(total / n / 100, 2) if n else None,
        "first": o.get("f"),
        "last": o.get("l"),
        "cancelled": o.get("cn", 0),
        "cancelled_amount": o.get("cs", 0) / 100,
        "returned": o.get("rn", 0),
        "returned_amount": o.get("rs", 0) / 100,
    }


def payments(s: State, now_ms: int) -> dict[str, Any]:
    pd, today = s.get("pd", {}), now_ms // DAY_MS
    issued = [v for v in s.get("iv", {}).values() if v[1] is not None]
    unpaid = [v for v in issued if v[3] is None]
    overdue = [v for v in unpaid if v[2] is not None and v[2] < today]
    days = [max(0, v[3] - v[1]) for v in issued if v[3] is not None]
    return {
        "invoices_paid": len(days),
        "average_days_to_pay": round(sum(days) / len(days), 1) if days else None,
        "open_invoices": len(unpaid),
        "open_receivables": sum(v[0] or 0 for v in unpaid) / 100,
        "overdue_invoices": len(overdue),
        "overdue_amount": sum(v[0] or 0 for v in overdue) / 100,
        "payments": pd.get("pn", 0),
        "paid_amount": pd.get("ps", 0) / 100,
    }


def is_active(entry: dict[str, Any], today: int) -> bool:
    started = entry.get("s")
    ended = entry.get("e")
    return started is not None and started <= today and (ended is None or ended > today)


def products(s: State, now_ms: int) -> list[dict[str, Any]]:
    today = now_ms // DAY_MS
    return [
        {
            "id": key,
            "kind": e.get("k"),
            "category": e.get("c"),
            "product": e.get("p"),
            "start_day": e.get("s"),
            "end_day": e.get("e"),
            "active": is_active(e, today),
        }
        for key, e in sorted(s.get("pr", {}).items())
    ]


def active_categories(s: State, now_ms: int) -> set[str]:
    return {p["category"] or p["product"] or p["kind"] for p in products(s, now_ms) if p["active"]}


def complaints(s: State) -> dict[str, Any]:
    entries = s.get("cp", {}).values()
    return {
        "open": sum(1 for o, c in entries if o is not None and c is None),
        "closed": sum(1 for o, c in entries if o is not None and c is not None),
        "last": s.get("cpl"),
    }


def answered(counts: dict[str, int]) -> int:
    return counts.get("rp", 0) + counts.get("answered", 0) + counts.get("replied", 0)


def communication(s: State) -> dict[str, Any]:
    cm = s.get("cm", {})
    phone, email = cm.get("phone", {}), cm.get("email", {})
    return {
        "channels": {
            ch: {
                "inbound": c.get("in", 0),
                "outbound": c.get("out", 0),
                "answered": answered(c),
                "outcomes": {k: v for k, v in sorted(c.items()) if k not in ("in", "out", "rp")},
            }
            for ch, c in sorted(cm.items())
        },
        "calls": {
            "inbound": phone.get("in", 0),
            "outbound": phone.get("out", 0),
            "rejected": phone.get("rejected", 0),
        },
        "emails": {
            "sent": email.get("out", 0),
            "opened": email.get("opened", 0),
            "replied": email.get("rp", 0) + email.get("replied", 0),
        },
    }


def response_time_ms(s: State) -> float | None:
    samples = [ms for _, ms in s.get("rt", [])]
    return float(median(samples)) if samples else None


def preferred_channel(s: State) -> str | None:
    """The channel the customer answers most (ties: the alphabetically first)."""
    scores = [(answered(c), ch) for ch, c in s.get("cm", {}).items() if answered(c) > 0]
    return min(scores, key=lambda x: (-x[0], x[1]))[1] if scores else None


def web(s: State) -> dict[str, Any]:
    w = s.get("w", {})
    docs = sorted(s.get("dc", {}).items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
    return {
        "visits": w.get("n", 0),
        "last_visit": w.get("l"),
        "documents": [{"document": d, "at": t} for d, t in docs],
    }


def consent(s: State) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for key, (state, t) in sorted(s.get("cs", {}).items()):
        purpose, channel = key.split("|", 1)
        out.setdefault(purpose, {})[channel] = {"state": state, "at": t}
    return out


def is_customer(s: State) -> bool:
    """An existing customer: ever ordered, held a product or was invoiced."""
    return bool(s.get("o", {}).get("n") or s.get("pr") or s.get("iv") or s.get("pd"))


def marketing_contacts(s: State, channel: str, since_ms: int, until_ms: int) -> int:
    return sum(1 for t in s.get("mk", {}).get(channel, []) if since_ms <= t <= until_ms)


def attributes(s: State) -> dict[str, str]:
    return {k: v for k, (v, _) in sorted(s.get("a", {}).items())}

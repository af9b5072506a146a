"""SQL expressions of the `events` and `pii` columns over a decoded resolved touchpoint (pure),
for the bulk decode query (bulk_sql): exactly what rows_events.py computes in Python.

Absent values follow rows_events: '' for strings, 0 plus has_* = 0 for numbers, day 0 for
dates. Date is computed as its UInt16 day number and DateTime as UInt32 epoch seconds with
integer arithmetic (no time zone can creep in); their RowBinary is the same on 18.16.
"""

from __future__ import annotations

from sinks.history.rows_events import EVENT_COLUMNS, PII_COLUMNS

MAX_DATETIME_MS = (2**32 - 1) * 1000 + 999  # DateTime is UInt32 seconds
MAX_DAY = 65535  # Date is UInt16 days; clickhouse-driver writes later dates as day 0
MS_PER_DAY = 86_400_000


def tp(name: str) -> str:
    return f"tupleElement(touchpoint, '{name}')"


def _ms(expr: str) -> str:
    return f"toUInt64(greatest({expr}, 0))"


def _seconds(expr: str) -> str:
    return f"toUInt32(intDiv(greatest({expr}, 0), 1000))"


def _day_of_ms(expr: str) -> str:
    return f"toUInt16(intDiv(greatest({expr}, 0), {MS_PER_DAY}))"


def _day(expr: str) -> str:
    return f"toUInt16(greatest(ifNull({expr}, 0), 0))"


def _items(expr: str, name: str) -> str:
    """The ``name`` field of every record in an array of records, as an array."""
    return f"tupleElement({expr}, '{name}')"


def _relation_ids(name: str) -> str:
    return _items(_items(tp("relations"), "identifier"), name)


STRINGS = (
    "channel", "direction", "outcome", "in_reply_to", "department", "campaign_id", "purpose",
    "currency", "product", "product_category", "order_id", "invoice_id", "policy_id",
    "complaint_id", "complaint_status", "page", "document", "survey_id", "question", "answer",
    "consent_purpose", "consent_channel", "consent_state",
)  # fmt: skip
NUMBERS = {"amount": "Float64", "cost": "Float64", "quantity": "Int32", "score": "Int32"}
DATES = ("due_date", "paid_date", "start_date", "end_date")
TIMES = (tp("event_time"), tp("received_time"), "resolved_time")


def event_exprs() -> dict[str, str]:
    exprs = {
        "event_id": tp("event_id"), "event_type": tp("event_type"),
        "source_system": tp("source_system"),
        "event_time": _seconds(tp("event_time")), "event_time_ms": _ms(tp("event_time")),
        "event_date": _day_of_ms(tp("event_time")),
        "received_time": _seconds(tp("received_time")),
        "received_time_ms": _ms(tp("received_time")),
        "resolved_time": _seconds("resolved_time"), "resolved_time_ms": _ms("resolved_time"),
        "profile_id": "profile_id", "household_id": "ifNull(household_id, '')",
        "identifier_types": _items(tp("identifiers"), "type"),
        "relation_kinds": _items(tp("relations"), "kind"),
    }  # fmt: skip
    exprs.update({name: f"ifNull({tp(name)}, '')" for name in STRINGS})
    for name, ch_type in NUMBERS.items():
        exprs[name] = f"to{ch_type}(ifNull({tp(name)}, 0))"
        exprs[f"has_{name}"] = f"toUInt8(isNotNull({tp(name)}))"
    exprs.update({name: _day(tp(name)) for name in DATES})
    return _ordered(exprs, EVENT_COLUMNS)


def pii_exprs() -> dict[str, str]:
    events = event_exprs()
    exprs = {name: events[name] for name in PII_COLUMNS if name in events}
    exprs.update(
        identifier_values=_items(tp("identifiers"), "value"),
        relation_types=_relation_ids("type"),
        relation_values=_relation_ids("value"),
        attribute_keys=f"mapKeys({tp('attributes')})",
        attribute_values=f"mapValues({tp('attributes')})",
        extra_keys=f"mapKeys({tp('extras')})",
        extra_values=f"mapValues({tp('extras')})",
    )
    return _ordered(exprs, PII_COLUMNS)


def _ordered(exprs: dict[str, str], columns: tuple[str, ...]) -> dict[str, str]:
    missing = set(columns) - set(exprs)
    if missing:
        raise ValueError(f"no bulk expression for columns {sorted(missing)}")
    return {name: exprs[name] for name in columns}


def has_personal_data() -> str:
    fields = ("identifiers", "relations", "attributes", "extras")
    return "(" + " OR ".join(f"notEmpty({tp(f)})" for f in fields) + ")"


def in_range() -> str:
    times = [f"{t} <= {MAX_DATETIME_MS}" for t in TIMES]
    dates = [f"ifNull({tp(d)}, 0) <= {MAX_DAY}" for d in DATES]
    return " AND ".join(times + dates)

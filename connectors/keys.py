"""The Kafka partition key of a touchpoint (pure).

Key = the event's strongest identifier as ``type:value``, by this priority (strongest first):
crm_id, customer_number, email, phone, billing_account, loyalty_card, policy_number,
national_id, employee_id, cookie_id, device_id, address_key.

Why: every event that carries the same strongest identifier lands on one partition, so one
customer's events keep their order. Stable ids issued by our own systems come first (they
rarely change and are shared by most of a customer's events), then personal contact ids, then
account/card/contract numbers, and last the weak ones (cookies and devices are per browser or
device; an address is shared by a whole household). The identity graph lives in Redis and each
batch is applied atomically, so correctness does not depend on the key; only per-customer
ordering and spread over partitions do. Ties keep the event's order of identifiers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

KEY_PRIORITY: tuple[str, ...] = (
    "crm_id",
    "customer_number",
    "email",
    "phone",
    "billing_account",
    "loyalty_card",
    "policy_number",
    "national_id",
    "employee_id",
    "cookie_id",
    "device_id",
    "address_key",
)
_RANK = {id_type: rank for rank, id_type in enumerate(KEY_PRIORITY)}
_LAST = len(KEY_PRIORITY)


def key_identifier(identifiers: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The identifier that keys the event (None when there is none)."""
    best = None
    best_rank = _LAST + 1
    for ident in identifiers:
        rank = _RANK.get(ident["type"], _LAST)
        if rank < best_rank:
            best, best_rank = ident, rank
            if rank == 0:
                break
    return best


def partition_key(touchpoint: dict[str, Any]) -> bytes | None:
    ident = key_identifier(touchpoint["identifiers"])
    return None if ident is None else f"{ident['type']}:{ident['value']}".encode()

"""Identifiers of the fused path, normalised once per spelling: for each (region, type) a memo
from the raw value to its entry ``(partition key, Avro bytes of the cdp.Identifier)``.

An entry exists only for a raw value that connectors.validate accepts as this identifier
(a string of at most MAX_STRING characters, encodable, not blank, normalising without error),
so a memo hit needs no further check. Anything else resolves to None: the row is not sure.
The key ``type:value`` is also what makes two identifiers duplicates (types hold no colon).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from connectors.fused.avro import string_bytes
from connectors.validate.limits import MAX_STRING
from schemas.errors import InvalidEvent
from schemas.identifiers import normalise

Entry = tuple[bytes, bytes]  # (partition key "type:value", Avro cdp.Identifier)
CACHE_MAX = 250_000  # spellings memoised per identifier type before the memo starts afresh
_memos: dict[tuple[str, str], dict[Any, Entry]] = {}


def memo_for(id_type: str, region: str) -> dict[Any, Entry]:
    """The shared memo of one identifier type (every file of the process reuses it)."""
    return _memos.setdefault((id_type, region), {})


@cache
def resolver(id_type: str, region: str) -> Callable[[Any], Entry | None]:
    """``resolve(raw)``: the entry of a raw value not yet memoised (memoising it), or None."""
    memo = memo_for(id_type, region)
    type_bytes = string_bytes(id_type)

    def resolve(raw: Any) -> Entry | None:
        if type(raw) is not str or len(raw) > MAX_STRING or not raw.strip():
            return None
        try:
            raw.encode()
            value = normalise(id_type, raw, region)
            entry = (f"{id_type}:{value}".encode(), type_bytes + string_bytes(value))
        except (InvalidEvent, UnicodeEncodeError):
            return None
        if len(memo) >= CACHE_MAX:
            memo.clear()
        memo[raw] = entry
        return entry

    return resolve

"""The generation context: one seeded RNG, the time window, and the rows emitted per source."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from typing import Any

from connectors.generator.population import Person
from connectors.mapping import Mapping, load_mapping

DAY_MS = 86_400_000
ID_PREFIX = {
    "billing": "BIL",
    "orders": "ORD",
    "erp": "ERP",
    "hr": "HR",
    "pos": "POS",
    "web": "W",
    "marketing": "MKT",
    "contact_centre": "CC",
    "accounting": "ACC",
    "surveys": "SRV",
    "external": "EXT",
}


@dataclass
class Row:
    """One raw export row and what the generator knows about it."""

    source: str
    event_id: str
    person_id: str
    household_id: str
    event_ms: int
    emit_ms: int  # when the row reaches the export (late rows: after later events)
    data: dict[str, Any]
    bad_reason: str = ""
    duplicate: bool = False


@dataclass
class Ctx:
    rng: random.Random
    start_ms: int
    end_ms: int
    days: int
    rows: dict[str, list[Row]] = field(default_factory=dict)
    tag: str = ""  # names the company in its event ids (see company_tag)
    _seq: dict[str, int] = field(default_factory=dict)

    def mapping(self, source: str) -> Mapping:
        return load_mapping(source)

    def next_id(self, source: str) -> str:
        n = self._seq.get(source, 0) + 1
        self._seq[source] = n
        return f"{ID_PREFIX[source]}-{self.tag}-{n:09d}"

    def when(self, lo_ms: int | None = None, hi_ms: int | None = None) -> int:
        """A whole-second time in [lo, hi) clipped to the window."""
        lo = max(self.start_ms, lo_ms if lo_ms is not None else self.start_ms)
        hi = min(self.end_ms - 1000, hi_ms if hi_ms is not None else self.end_ms - 1000)
        if hi <= lo:
            return min(lo, hi) // 1000 * 1000
        return (lo + self.rng.randrange(hi - lo)) // 1000 * 1000

    def day_time(self, day_ms: int) -> int:
        """A business-hours moment (08:00-20:00 UTC) on the day containing day_ms."""
        base = day_ms - day_ms % DAY_MS
        return base + (8 * 3600 + self.rng.randrange(12 * 3600)) * 1000

    def count(self, per_90_days: float) -> int:
        """How many events for a rate per 90 days, scaled to the window (Poisson-ish)."""
        expected = per_90_days * self.days / 90
        n = int(expected)
        return n + (self.rng.random() < expected - n)

    def add(
        self,
        source: str,
        person: Person,
        event_ms: int,
        data: dict[str, Any],
        event_id: str | None = None,
    ) -> str:
        """Adds a row; the event id column is filled by the caller's mapping column name."""
        eid = event_id or self.next_id(source)
        data[ID_COLUMNS[source]] = eid
        self.rows.setdefault(source, []).append(
            Row(source, eid, person["person_id"], person["household_id"], event_ms, event_ms, data)
        )
        return eid


def company_tag(customers: int, days: int, seed: int, end_ms: int) -> str:
    """Six hex digits naming one generated company. Event ids are the idempotency key, and two
    companies generated with other arguments (e.g. another end time) hold other events: without
    the tag they would reuse each other's ids, so a second import would be taken for a replay."""
    text = f"{customers}:{days}:{seed}:{end_ms}".encode()
    return hashlib.blake2b(text, digest_size=3).hexdigest()


def id_column(mapping: Mapping) -> str:
    return next(c for c, acts in mapping.columns.items() if any(a[1] == "event_id" for a in acts))


ID_COLUMNS = {source: id_column(load_mapping(source)) for source in ID_PREFIX}

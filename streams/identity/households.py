"""Household links (pure): a shared address or an explicit relation (payer, policy holder,
insured driver, spouse) puts two profiles in one household without merging them.

Conservative by design: a profile's household is set once and households never merge, so a
person who moves or a typo in an address can not pull two households together; an address first
seen on a profile that already has a household starts its own household. A relation to a
person the graph does not know yet is remembered on that person's identifier and honoured when
the person appears.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from streams.identity.model import Change, Parsed, Prof, household_id_for

if TYPE_CHECKING:
    from streams.identity.rules import Rules


class HouseholdMixin:
    rules: Rules
    hids: dict[str, str | None]
    profiles: dict[str, Prof]
    ops: list[tuple[object, ...]]
    dirty: set[str]
    changes: list[Change]

    def owner(self, m: str) -> str | None: ...  # provided by the resolver

    def household(self, ev: Parsed, pid: str) -> str | None:
        prof = self.profiles[pid]
        entered = prof.hh is None
        if entered:
            found = self._find_household(ev)
            if found is None:
                return None
            hh, reason, link = found
            self._enter(ev, prof, hh, reason, None, link)
        assert prof.hh is not None
        current: str = prof.hh
        for m in ev.hh_keys:
            if self.hids.get(m) is None:
                # an address new to the graph: this household's if the profile just got its
                # household here, else its own (a person who moved does not take the new
                # address's residents into the old household)
                self._link_key(m, current if entered else household_id_for(m))
        for m, kind in ev.relations:
            other = self.owner(m)
            if other is None:
                if self.hids.get(m) is None:
                    self._link_key(m, current)
            elif other != pid and self.profiles[other].hh is None:
                self._enter(ev, self.profiles[other], current, kind, pid, m)
        return current

    def _find_household(self, ev: Parsed) -> tuple[str, str, str] | None:
        """An existing household for this event's profile: a relation remembered on one of its
        identifiers, its address, the related person's household; else a new one."""
        hids = self.hids
        for _, m, _ in ev.ids:
            if (hh := hids.get(m)) is not None:
                return hh, "related", m
        for m in ev.hh_keys:
            if (hh := hids.get(m)) is not None:
                return hh, "address_key", m
        for m, kind in ev.relations:
            other = self.owner(m)
            if other is not None and (hh := self.profiles[other].hh) is not None:
                return hh, kind, m
            if (hh := hids.get(m)) is not None:
                return hh, kind, m
        if ev.hh_keys:
            return household_id_for(ev.hh_keys[0]), "address_key", ev.hh_keys[0]
        if ev.relations:
            m, kind = ev.relations[0]
            return household_id_for(m), kind, m
        return None

    def _enter(
        self, ev: Parsed, prof: Prof, hh: str, reason: str, other: str | None, link: str
    ) -> None:
        prof.hh = hh
        self.ops.append(("HA", hh, prof.pid))
        if not prof.virtual:
            self.dirty.add(prof.pid)
        self.changes.append(
            Change(
                "household_linked", prof.pid, other, link, hh, reason, ev.event_id, ev.event_time
            )
        )

    def _link_key(self, m: str, hh: str) -> None:
        self.hids[m] = hh
        self.ops.append(("HL", m, hh))

    def _merge_households(self, survivor: Prof, loser: Prof) -> None:
        if loser.hh is None:
            return
        self.ops.append(("HR", loser.hh, loser.pid))
        if survivor.hh is None:
            survivor.hh = loser.hh
            self.ops.append(("HA", loser.hh, survivor.pid))

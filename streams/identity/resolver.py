"""Identity resolution of one batch against a snapshot of the graph (pure: no I/O).

Events are applied one after another to an in-memory copy of the snapshot; the result is each
event's profile and household, the graph mutations (with the checks that make them safe to apply
atomically), and the identity changes, each naming the event that caused it.

Rules per event (identifiers strongest first, see rules.yaml):
- the strongest identifier decides the event's profile (the *target*): the profile it is on, or
  a new profile named after it;
- each further identifier on no profile is linked to the target unless the target's limit for
  that type is reached (refused: limit_reached);
- each further identifier on another profile merges that profile with the target when
  (a) the identifier may merge (merge: true) or either profile is anonymous (holds no merging
  identifier), else refused: shared_identifier; and
  (b) the merged profile stays within every limit, else refused: limit_reached;
- the survivor of a merge is the profile first seen earlier (event time), then the smaller id;
  the other one becomes an alias of it.
"""

from __future__ import annotations

from streams.identity.households import HouseholdMixin
from streams.identity.model import (
    Change,
    Mutations,
    Outcome,
    Parsed,
    Prof,
    Snapshot,
    profile_id_for,
    split_member,
)
from streams.identity.rules import IdRule, Rules


class BatchResolver(HouseholdMixin):
    def __init__(self, rules: Rules, snapshot: Snapshot) -> None:
        self.rules = rules
        self.snapshot = snapshot
        self.owners = dict(snapshot.owners)
        self.hids = dict(snapshot.hids)
        self.profiles = {pid: p.copy() for pid, p in snapshot.profiles.items()}
        self.alias: dict[str, str] = {}
        self.dirty: set[str] = set()
        self.created: set[str] = set()
        self.ops: list[tuple[object, ...]] = []
        self.changes: list[Change] = []

    # -- lookups -----------------------------------------------------------------------------
    def owner(self, m: str) -> str | None:
        pid = self.owners.get(m)
        if pid is not None and pid in self.alias:
            while pid in self.alias:
                pid = self.alias[pid]
            self.owners[m] = pid
        return pid

    # -- one event ---------------------------------------------------------------------------
    def resolve(self, ev: Parsed) -> Outcome:
        target: str | None = None
        for _, m, rule in ev.ids:
            owner = self.owner(m)
            if target is None:
                target = owner if owner is not None else self._virtual(ev, m, rule)
            elif owner is None:
                self._link(ev, target, m, rule)
            elif owner != target:
                target = self._join(ev, target, owner, m, rule)
        assert target is not None  # extract guarantees at least one identifier
        prof = self.profiles[target]
        if prof.virtual:
            self._materialise(ev, prof)
        elif ev.event_time < prof.fs:
            prof.fs = ev.event_time
            self.dirty.add(target)
        for m in ev.blocked:
            self._change(ev, "refused", target, None, m, "blocked_value")
        hh = (
            self.household(ev, target)
            if (ev.hh_keys or ev.relations or prof.hh is None)
            else prof.hh
        )
        return Outcome(target, hh)

    def _virtual(self, ev: Parsed, m: str, rule: IdRule) -> str:
        """A profile that exists only if the event does not join an existing one."""
        pid = profile_id_for(m)
        prof = Prof(pid, ev.event_time, rule.merge, None, 0, {rule.id_type: 1})
        prof.virtual = True
        prof.members.append(m)
        self.profiles[pid] = prof
        self.owners[m] = pid
        return pid

    def _materialise(self, ev: Parsed, prof: Prof) -> None:
        prof.virtual = False
        prof.v = 0
        self.created.add(prof.pid)
        self.dirty.add(prof.pid)
        first, *rest = prof.members
        self.ops.append(("L", first, prof.pid))
        self._change(ev, "created", prof.pid, None, first, "new_identifier")
        for m in rest:
            self.ops.append(("L", m, prof.pid))
            self._change(ev, "linked", prof.pid, None, m, "new_identifier")
        prof.members = []

    def _link(self, ev: Parsed, target: str, m: str, rule: IdRule) -> None:
        prof = self.profiles[target]
        have = prof.counts.get(rule.id_type, 0)
        if have >= rule.max_per_profile:
            self._change(ev, "refused", target, None, m, "limit_reached")
            return
        prof.counts[rule.id_type] = have + 1
        prof.known = prof.known or rule.merge
        self.owners[m] = target
        if prof.virtual:
            prof.members.append(m)
            return
        self.dirty.add(target)
        self.ops.append(("L", m, target))
        self._change(ev, "linked", target, None, m, "new_identifier")

    def _join(self, ev: Parsed, target: str, owner: str, m: str, rule: IdRule) -> str:
        t, o = self.profiles[target], self.profiles[owner]
        if not (rule.merge or not t.known or not o.known):
            self._change(ev, "refused", target, owner, m, "shared_identifier")
            return target
        if not self._fits(t, o):
            self._change(ev, "refused", target, owner, m, "limit_reached")
            return target
        if t.virtual:
            return self._absorb(ev, t, o)
        return self._merge(ev, t, o, m, rule)

    def _fits(self, a: Prof, b: Prof) -> bool:
        rules = self.rules.identifiers
        for id_type, n in b.counts.items():
            rule = rules.get(id_type)
            if rule is not None and a.counts.get(id_type, 0) + n > rule.max_per_profile:
                return False
        return True

    def _absorb(self, ev: Parsed, virtual: Prof, into: Prof) -> str:
        """The event's new identifiers join an existing profile: links, not a merge."""
        del self.profiles[virtual.pid]
        for m in virtual.members:
            id_type, _ = split_member(m)
            into.counts[id_type] = into.counts.get(id_type, 0) + 1
            self.owners[m] = into.pid
            self.ops.append(("L", m, into.pid))
            self._change(ev, "linked", into.pid, None, m, "new_identifier")
        into.known = into.known or virtual.known
        self.dirty.add(into.pid)
        return into.pid

    def _merge(self, ev: Parsed, a: Prof, b: Prof, m: str, rule: IdRule) -> str:
        survivor, loser = (a, b) if (a.fs, a.pid) <= (b.fs, b.pid) else (b, a)
        for id_type, n in loser.counts.items():
            survivor.counts[id_type] = survivor.counts.get(id_type, 0) + n
        survivor.fs = min(survivor.fs, loser.fs)
        survivor.known = survivor.known or loser.known
        self.ops.append(("M", loser.pid, survivor.pid))
        self._merge_households(survivor, loser)
        self.alias[loser.pid] = survivor.pid
        del self.profiles[loser.pid]
        self.dirty.discard(loser.pid)
        self.created.discard(loser.pid)
        self.dirty.add(survivor.pid)
        reason = "merging_identifier" if rule.merge else "anonymous_profile"
        self._change(ev, "merged", survivor.pid, loser.pid, m, reason)
        return survivor.pid

    def _change(
        self,
        ev: Parsed,
        kind: str,
        pid: str,
        other: str | None,
        m: str | None,
        reason: str,
        hh: str | None = None,
    ) -> None:
        self.changes.append(Change(kind, pid, other, m, hh, reason, ev.event_id, ev.event_time))

    # -- the batch's mutations ---------------------------------------------------------------
    def finish(self) -> Mutations:
        snap = self.snapshot
        # an owned identifier only moves when its profile is merged away, which changes that
        # profile's version: checking versions covers owned identifiers
        checks = [("I", m, "") for m, o in snap.owners.items() if o is None]
        checks += [("H", m, h or "") for m, h in snap.hids.items()]
        checks += [("V", pid, str(p.v)) for pid, p in snap.profiles.items()]
        checks += [("V", pid, "") for pid in self.created if pid not in snap.profiles]
        ops = list(self.ops)
        for pid in sorted(self.dirty):
            prof = self.profiles[pid]
            prof.v += 1
            ops.append(("P", pid, prof.meta_fields()))
        return Mutations(checks, ops)


def resolve_batch(
    rules: Rules, snapshot: Snapshot, events: list[Parsed]
) -> tuple[list[Outcome], Mutations, list[Change]]:
    resolver = BatchResolver(rules, snapshot)
    outcomes = [resolver.resolve(ev) for ev in events]
    return outcomes, resolver.finish(), resolver.changes

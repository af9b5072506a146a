"""Redis key layout, in one place. Every key starts with settings.redis_prefix.

Per-profile keys carry the profile id as a Redis Cluster hash tag (``{p123}``) so one profile's
keys live in one slot; identity index keys are spread by identifier (see docs/scaling.md).
The identity worker's Lua scripts (streams/identity/lua/) build the same graph keys from the
prefix inside Redis (id, pm, pmeta, alias, hh, and hid: household identifier -> household id,
outbox:identity): a change here must be made there too.
"""

from __future__ import annotations


class Keys:
    def __init__(self, prefix: str) -> None:
        self.p = prefix

    # identity graph
    def ident(self, id_type: str, value: str) -> str:
        """identifier -> profile_id (string)."""
        return f"{self.p}:id:{id_type}:{value}"

    def members(self, profile_id: str) -> str:
        """profile -> set of 'type:value' identifiers."""
        return f"{self.p}:pm:{{{profile_id}}}"

    def meta(self, profile_id: str) -> str:
        """profile -> hash: first_seen, known (1 if it holds a merging identifier), household."""
        return f"{self.p}:pmeta:{{{profile_id}}}"

    def alias(self, profile_id: str) -> str:
        """merged-away profile -> survivor profile_id."""
        return f"{self.p}:alias:{profile_id}"

    def household(self, household_id: str) -> str:
        """household -> set of member profile ids."""
        return f"{self.p}:hh:{household_id}"

    # profiles
    def profile(self, profile_id: str) -> str:
        """profile state hash (attributes, traits, consent)."""
        return f"{self.p}:prof:{{{profile_id}}}"

    def seen(self, stage: str) -> str:
        """stage -> dedup set/bloom of processed event ids (with expiry per key family)."""
        return f"{self.p}:seen:{stage}"

    def seen_event(self, stage: str, event_id: str) -> str:
        return f"{self.p}:seen:{stage}:{event_id}"

    def erased(self, profile_id: str) -> str:
        """tombstone of an erased profile: its events are no longer folded."""
        return f"{self.p}:erased:{profile_id}"

    def erased_identifiers(self) -> str:
        """hash: digest of an erased person's 'type:value' -> erasure time (suppression list)."""
        return f"{self.p}:erasedids"

"""Topic names, partition counts and configs, in one module.

Partition keys (see docs/operations.md):
- touchpoints: the event's first identifier in identity priority order. All events that carry
  the same strongest identifier land on one partition and keep their order; the identity graph
  itself lives in Redis and each batch is applied atomically, so correctness does not depend on
  the key, only ordering of one customer's events does.
- resolved touchpoints: the profile_id, so one profile's events are folded in order.
- identity changes, erasures: the profile_id.
- dead letters: no key (round robin); nothing downstream needs their order.
"""

from __future__ import annotations

from dataclasses import dataclass

TOUCHPOINTS = "cdp.touchpoints"
RESOLVED = "cdp.touchpoints.resolved"
IDENTITY_CHANGES = "cdp.identity.changes"
ERASURES = "cdp.erasures"
DEAD_LETTERS = "cdp.deadletters"


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions_factor: int  # multiplied with settings.topic_partitions (0 = single partition)
    config: dict[str, str]


RETAIN_7D = {"retention.ms": str(7 * 24 * 3600 * 1000), "compression.type": "producer"}
RETAIN_FOREVER = {"retention.ms": "-1", "compression.type": "producer"}

SPECS: tuple[TopicSpec, ...] = (
    TopicSpec(TOUCHPOINTS, 1, RETAIN_7D),
    TopicSpec(RESOLVED, 1, RETAIN_7D),
    TopicSpec(IDENTITY_CHANGES, 1, RETAIN_FOREVER),
    TopicSpec(ERASURES, 0, RETAIN_FOREVER),
    TopicSpec(DEAD_LETTERS, 0, RETAIN_7D),
)


def name(base: str, prefix: str = "") -> str:
    """The full topic name under an optional prefix (tests and tenants get their own topics)."""
    return f"{prefix}{base}"


def partitions(spec: TopicSpec, default_partitions: int) -> int:
    return max(1, spec.partitions_factor * default_partitions)


# Consumer groups (faust app ids are the group ids of the stream processors).
GROUP_IDENTITY = "cdp-identity"
GROUP_PROFILES = "cdp-profiles"
GROUP_HISTORY = "cdp-history"
CONSUMED_BY = {
    GROUP_IDENTITY: (TOUCHPOINTS,),
    GROUP_PROFILES: (RESOLVED, IDENTITY_CHANGES),
    GROUP_HISTORY: (RESOLVED, IDENTITY_CHANGES, ERASURES, DEAD_LETTERS),
}

"""Generated company -> profiles (profile_id = true person, skipping identity) -> every trait
checked against a recomputation from the ground truth."""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

import pytest

from core.keys import Keys
from core.settings import Settings
from streams.profiles import traits
from streams.profiles.fold import fold_all
from streams.profiles.view import render
from tests.integration.profiles import helpers as h

generator = pytest.importorskip("connectors.generator")
END_MS = 1_735_689_600_000  # 2025-01-01


def test_generated_events_fold_into_the_true_profiles(settings: Settings) -> None:
    gen = generator.generate_touchpoints(40, 60, 7, END_MS)
    events = gen.resolved_by_truth(END_MS)
    for i in range(0, len(events), 500):
        h.fold(settings, events[i : i + 500])
    first: dict[str, dict[str, Any]] = {}
    for e in events:
        first.setdefault(e["touchpoint"]["event_id"], e)
    by_person: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in first.values():
        by_person[e["profile_id"]].append(e)
    redis, k = h.sync_redis(settings), Keys(settings.redis_prefix)
    sizes = []
    for person, evs in by_person.items():
        stored = h.state(settings, person)
        assert stored == fold_all({}, evs), person  # every trait, in publish order
        tps = [e["touchpoint"] for e in evs]
        buys = [t for t in tps if t["event_type"] in ("order_placed", "pos_purchase")]
        assert traits.orders(stored)["count"] == len(buys)
        assert round(traits.orders(stored)["revenue"], 2) == round(
            sum(round((t.get("amount") or 0) * 100) for t in buys) / 100, 2
        )
        assert stored["n"] == len(tps)
        assert stored["fs"] == min(t["event_time"] for t in tps)
        assert stored["ls"] == max(t["event_time"] for t in tps)
        assert set(stored["sr"]) == {t["source_system"] for t in tps}
        web = [
            t for t in tps if t["event_type"] in ("page_view", "document_view", "login", "signup")
        ]
        assert traits.web(stored)["visits"] == len(web)
        render(person, stored, END_MS)  # renders without error
        sizes.append(redis.memory_usage(k.profile(person)))
    print(f"profiles={len(sizes)} bytes median={statistics.median(sizes)} max={max(sizes)}")
    assert statistics.median(sizes) <= 2048

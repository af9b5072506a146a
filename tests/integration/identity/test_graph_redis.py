"""The Redis graph store behaves exactly like the in-memory reference, atomically, under races."""

from __future__ import annotations

import random
import threading
from typing import Any

import redis

from core.settings import Settings
from streams.identity.engine import resolve_and_apply
from streams.identity.extract import Extractor
from streams.identity.graph_redis import RedisGraph
from streams.identity.memory_graph import MemoryGraph
from streams.identity.rules import default_rules
from tests.integration.identity.workers import redis_partition
from tests.unit.identity.helpers import ev
from tests.unit.identity.test_properties import expected_partition


def messy_events(seed: int, people: int = 40, n: int = 400) -> list[dict[str, Any]]:
    """Shared cookies, shared addresses, relations, limits: everything the rules care about."""
    rnd = random.Random(seed)
    events = []
    for k in range(n):
        p = rnd.randrange(people)
        pool = [
            ("crm_id", f"C{p}"),
            ("email", f"p{p}@mail.de"),
            ("email", f"q{p % 7}@mail.de"),
            ("phone", f"+4915100{p:05d}"),
            ("cookie_id", f"ck{rnd.randrange(people * 2)}"),
            ("device_id", f"d{p}"),
            ("address_key", f"street {p // 3}"),
            ("email", "test@test.com"),
        ]
        ids = rnd.sample(pool, rnd.randint(1, 4))
        rel = (("spouse", "crm_id", f"C{rnd.randrange(people)}"),) if rnd.random() < 0.1 else ()
        events.append(ev(f"e{k}", rnd.randrange(10**6), *ids, rel=rel))
    return events


def clean_events(seed: int, people: int = 30) -> list[dict[str, Any]]:
    """People with their own identifiers, each logging in once with all deterministic ones:
    the final partition does not depend on order (tests/unit/identity/test_properties.py)."""
    rnd = random.Random(seed)
    events = []
    for p in range(people):
        merge = [("crm_id", f"C{p}"), ("email", f"p{p}@mail.de"), ("phone", f"+4915100{p:05d}")]
        attach = [("cookie_id", f"ck{p}-{k}") for k in range(3)] + [("device_id", f"d{p}")]
        events.append(ev(f"full{p}", rnd.randrange(10**6), *merge))
        for k in range(5):
            ids = rnd.sample(merge + attach, rnd.randint(1, 3))
            events.append(ev(f"e{p}-{k}", rnd.randrange(10**6), *ids))
    rnd.shuffle(events)
    return events


def redis_state(settings: Settings, graph: RedisGraph) -> tuple[object, ...]:
    client = redis.Redis.from_url(settings.redis_url, decode_responses=True)
    p = settings.redis_prefix
    ids, members, meta, aliases, hids, households = {}, {}, {}, {}, {}, {}
    for key in client.scan_iter(match=f"{p}:*", count=1000):
        kind, _, rest = key[len(p) + 1 :].partition(":")
        pid = rest.strip("{}")
        if kind == "id":
            ids[rest] = client.get(key)
        elif kind == "pm":
            members[pid] = client.smembers(key)
        elif kind == "pmeta":
            meta[pid] = {k: v for k, v in client.hgetall(key).items() if k != "v"}
        elif kind == "alias":
            aliases[rest] = client.get(key)
        elif kind == "hid":
            hids[rest] = client.get(key)
        elif kind == "hh" and client.scard(key):
            households[rest] = client.smembers(key)
    return ids, members, meta, aliases, hids, households


def test_redis_graph_matches_the_memory_reference(settings: Settings) -> None:
    rules = default_rules()
    extractor = Extractor(rules)
    parsed = []
    for e in messy_events(1):
        try:
            parsed.append(extractor.parse(e))
        except Exception:  # noqa: BLE001 - blocked-only events are dead letters
            continue
    memory = MemoryGraph()
    store = RedisGraph(redis.Redis.from_url(settings.redis_url), settings.redis_prefix)
    for i in range(0, len(parsed), 37):
        batch = parsed[i : i + 37]
        assert resolve_and_apply(memory, rules, batch) == resolve_and_apply(store, rules, batch)
    assert redis_state(settings, store) == memory.state()
    pid = next(iter(memory.aliases))
    assert store.resolve_profiles([pid])[pid] == memory.resolve_profile(pid)


def test_racing_workers_reach_the_graph_of_one_worker(settings: Settings) -> None:
    """Four threads, each with its own connection and slice of the events (like partitions),
    race on overlapping identifiers; optimistic concurrency retries the losers."""
    events = clean_events(2)
    events = events + events[::3]  # replays mixed in too
    rules = default_rules()
    extractor = Extractor(rules)
    conflicts: list[int] = []

    def worker(part: int) -> None:
        store = RedisGraph(redis.Redis.from_url(settings.redis_url), settings.redis_prefix)
        mine = [extractor.parse(e) for i, e in enumerate(events) if i % 4 == part]
        for i in range(0, len(mine), 3):
            resolve_and_apply(store, rules, mine[i : i + 3], on_conflict=conflicts.append)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert redis_partition(settings) == expected_partition(events)
    assert conflicts  # the race did happen


def test_outbox_entry_is_written_with_the_graph_and_kept_byte_for_byte(settings: Settings) -> None:
    rules = default_rules()
    parsed = [Extractor(rules).parse(ev("e1", 1, ("email", "out@mail.de")))]
    store = RedisGraph(redis.Redis.from_url(settings.redis_url), settings.redis_prefix)
    blob = bytes(range(256)) * 3  # binary: encoded Avro messages
    _, changes = resolve_and_apply(store, rules, parsed, outbox=lambda ch: ("O", "9:x", blob))
    assert changes
    assert store.outbox_entries() == {"9:x": blob}
    assert store.owner_of("email", "out@mail.de") is not None
    store.outbox_done("9:x")
    assert store.outbox_entries() == {}

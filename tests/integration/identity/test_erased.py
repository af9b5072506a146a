"""After an erasure, the identity worker does not put the person's identifiers back into the
graph on real Redis (the suppression list is read in the batch flow)."""

from __future__ import annotations

import redis

from core.keys import Keys
from core.settings import Settings
from core.suppression import digest
from streams.identity.app import build_processor
from tests.unit.identity.test_pipeline import message, touchpoint
from tests.unit.kafka_fakes import FakeKafkaProducer


def test_erased_identifiers_stay_out_of_the_graph(settings: Settings) -> None:
    client = redis.Redis.from_url(settings.redis_url)
    keys = Keys(settings.redis_prefix)
    client.hset(keys.erased_identifiers(), digest("email", "gone@b.de"), "1700000000000")
    processor = build_processor(settings)
    processor.producer = FakeKafkaProducer()
    stats = processor.process(
        [
            message(touchpoint("e1", ("email", "gone@b.de"), ("phone", "+4930123456")), 0),
            message(touchpoint("e2", ("email", "kept@b.de")), 1),
        ]
    )
    assert (stats.resolved, stats.dropped) == (1, 1)
    assert client.get(keys.ident("email", "gone@b.de")) is None
    assert client.get(keys.ident("phone", "+4930123456")) is None
    assert client.get(keys.ident("email", "kept@b.de")) is not None

"""History sink on the real stack: Kafka (Tansu) -> sink -> ClickHouse 18.16."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from clickhouse_driver import Client

from core import kafka, topics
from core.settings import Settings
from schemas import catalogue
from schemas.serde import Codec
from sinks.history import app
from sinks.history.consumer import SinkConfig
from sinks.history.migrate import migrate
from tests import history_samples as hs

CONFIG = SinkConfig(max_rows=500, max_ms=200)
SUBJECTS = {
    topics.RESOLVED: catalogue.RESOLVED,
    topics.IDENTITY_CHANGES: catalogue.IDENTITY_CHANGE,
    topics.ERASURES: catalogue.ERASURE,
    topics.DEAD_LETTERS: catalogue.DEAD_LETTER,
}


@pytest.fixture
def ch(settings: Settings) -> Client:
    kafka.create_topics(settings)
    client = Client(**settings.clickhouse_kwargs)
    yield client
    client.execute(f"DROP DATABASE IF EXISTS {settings.clickhouse_database}")
    client.disconnect()


def produce(settings: Settings, base: str, records: list[Any]) -> None:
    producer = kafka.producer(settings)
    codec = Codec(SUBJECTS[base])
    for record in records:
        value = record if isinstance(record, bytes) else codec.encode(record)
        producer.produce(kafka.topic(settings, base), value)
    assert producer.flush(10) == 0


def run_sink(settings: Settings, done: Callable[[], bool], *, commit: bool = True) -> None:
    """Run the sink in a thread until ``done()``; commit=False simulates a crash after the
    inserts and before the offset commit (nothing is committed)."""
    sink = app.build(settings, group=f"{settings.topic_prefix}history", config=CONFIG)
    if not commit:
        sink._commit = lambda offsets: None  # type: ignore[method-assign]
    stop = threading.Event()
    thread = threading.Thread(target=sink.run, args=(stop,))
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not _safe(done) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop.set()
        thread.join(30)
    assert _safe(done), "sink did not catch up"


def _safe(check: Callable[[], bool]) -> bool:
    try:
        return check()
    except Exception:  # tables not created yet
        return False


def scalar(client: Client, sql: str) -> Any:
    return client.execute(sql)[0][0]


def test_counts_reconcile_and_a_replay_adds_no_duplicate(settings: Settings, ch: Client):
    db = settings.clickhouse_database
    events = [hs.resolved(f"e{i}", profile_id=f"p{i % 7}") for i in range(300)]
    produce(settings, topics.RESOLVED, events + events[:20] + [b"garbage", b"\x00\x00"])
    produce(settings, topics.IDENTITY_CHANGES, [hs.identity_change(f"c{i}") for i in range(10)])
    produce(settings, topics.DEAD_LETTERS, [hs.dead_letter(f"d{i}") for i in range(3)])

    def landed(times: int) -> Callable[[], bool]:
        return lambda: (
            scalar(ch, f"SELECT count() FROM {db}.events") >= 320 * times
            and scalar(ch, f"SELECT count() FROM {db}.dead_letters") >= 5 * times
            and scalar(ch, f"SELECT count() FROM {db}.identity_changes") >= 10 * times
        )

    run_sink(settings, landed(1), commit=False)  # "crash": rows inserted, offsets not committed
    run_sink(settings, landed(2))  # the restart replays everything
    assert scalar(ch, f"SELECT count() FROM {db}.events") == 640  # raw log holds the replay
    assert scalar(ch, f"SELECT count() FROM {db}.events_current") == 300
    assert scalar(ch, f"SELECT uniqExact(event_id) FROM {db}.events_current") == 300
    assert scalar(ch, f"SELECT count() FROM {db}.identity_changes FINAL") == 10
    assert scalar(ch, f"SELECT count() FROM {db}.pii FINAL") == 300
    reasons = ch.execute(
        f"SELECT stage, reason, count() FROM {db}.dead_letters FINAL "
        "GROUP BY stage, reason ORDER BY stage, reason"
    )
    assert reasons == [("collector", "bad_email", 3), ("history", "malformed_avro", 2)]
    # the second run committed the log end: a third run would read nothing new
    consumer = kafka.consumer(settings, f"{settings.topic_prefix}history")
    try:
        parts = consumer.list_topics(kafka.topic(settings, topics.RESOLVED)).topics
        tps = [
            kafka_tp(kafka.topic(settings, topics.RESOLVED), p)
            for p in parts[kafka.topic(settings, topics.RESOLVED)].partitions
        ]
        committed = sum(max(tp.offset, 0) for tp in consumer.committed(tps, timeout=10))
    finally:
        consumer.close()
    assert committed == 322


def kafka_tp(topic: str, partition: int) -> Any:
    from confluent_kafka import TopicPartition

    return TopicPartition(topic, partition)


def test_counts_per_current_customer_after_merges(settings: Settings, ch: Client):
    db = settings.clickhouse_database
    events = (
        [hs.resolved(f"a{i}", profile_id="pA", amount=10.0) for i in range(3)]
        + [hs.resolved(f"b{i}", profile_id="pB", amount=1.0) for i in range(2)]
        + [hs.resolved(f"c{i}", profile_id="pC") for i in range(4)]
    )
    produce(settings, topics.RESOLVED, events)
    # B -> A first, then A -> C: every earlier event now counts for C
    produce(settings, topics.IDENTITY_CHANGES, [hs.merged("m1", "pA", "pB", hs.T0 + 10)])
    run_sink(
        settings,
        lambda: (
            scalar(ch, f"SELECT count() FROM {db}.profile_map") >= 1
            and scalar(ch, f"SELECT count() FROM {db}.events") >= 9
        ),
    )
    per = dict(
        ch.execute(
            f"SELECT current_profile_id, count() FROM {db}.events_current "
            "GROUP BY current_profile_id"
        )
    )
    assert per == {"pA": 5, "pC": 4}
    produce(settings, topics.IDENTITY_CHANGES, [hs.merged("m2", "pC", "pA", hs.T0 + 20)])
    run_sink(
        settings,
        lambda: (
            scalar(ch, f"SELECT count() FROM {db}.profile_map_current WHERE survivor_id = 'pC'")
            == 2
        ),
    )
    rows = ch.execute(
        f"SELECT current_profile_id, count(), sum(amount) FROM {db}.events_current "
        "GROUP BY current_profile_id"
    )
    assert rows == [("pC", 9, 32.0)]
    assert scalar(ch, f"SELECT count() FROM {db}.events") == 9  # the log was not rewritten


def test_erased_person_email_and_phone_appear_nowhere(settings: Settings, ch: Client):
    db = settings.clickhouse_database
    email, phone = "erase.me@example.com", "+4917099988877"
    mine = [hs.resolved(f"x{i}", profile_id="pX", email=email, phone=phone) for i in range(3)]
    merged_away = [hs.resolved("y1", profile_id="pY", email=email, phone=phone)]
    spouse = [
        hs.resolved(
            "z1",
            profile_id="pZ",
            email="spouse@example.com",
            phone="+4930111",
            relations=[{"kind": "spouse", "identifier": {"type": "phone", "value": phone}}],
        )
    ]
    other = [hs.resolved("w1", profile_id="pW", email="keep@example.com", phone="+4930222")]
    produce(settings, topics.RESOLVED, mine + merged_away + spouse + other)
    produce(
        settings,
        topics.IDENTITY_CHANGES,
        [
            hs.identity_change("c1", profile_id="pX", value=email),
            hs.merged("m1", "pX", "pY", hs.T0 + 10),
        ],
    )
    produce(
        settings,
        topics.DEAD_LETTERS,
        [
            hs.dead_letter("d1", payload=f'{{"email": "{email.upper()}"}}'.encode()),
            hs.dead_letter("d2", event_id="x1", payload=b"raw row of x1"),
        ],
    )
    produce(settings, topics.ERASURES, [hs.erasure("r1", "pX")])
    run_sink(
        settings,
        lambda: scalar(ch, f"SELECT count() FROM {db}.erasures") == 1 and _mutations_done(ch, db),
    )
    assert scalar(ch, f"SELECT count() FROM {db}.events") == 6  # the log keeps no PII
    assert scalar(ch, f"SELECT count() FROM {db}.pii WHERE profile_id = 'pZ'") == 0
    assert scalar(ch, f"SELECT count() FROM {db}.dead_letters") == 0
    for value in (email, phone):
        assert occurrences(ch, db, value) == [], value
    assert occurrences(ch, db, "keep@example.com") == [("pii", "identifier_values")]
    # events of the erased person produced later get no pii row
    produce(settings, topics.RESOLVED, [hs.resolved("x9", profile_id="pX", email=email)])
    run_sink(settings, lambda: scalar(ch, f"SELECT count() FROM {db}.events") == 7)
    assert occurrences(ch, db, email) == []


def _mutations_done(ch: Client, db: str) -> bool:
    total, done = ch.execute(
        f"SELECT count(), sum(is_done) FROM system.mutations WHERE database = '{db}'"
    )[0]
    return total > 0 and total == done


def occurrences(ch: Client, db: str, value: str) -> list[tuple[str, str]]:
    """Every (table, column) of the database whose strings contain ``value``."""
    found = []
    columns = ch.execute(
        "SELECT c.table, c.name, c.type FROM system.columns AS c WHERE c.database = %(db)s "
        "AND c.table IN (SELECT name FROM system.tables WHERE database = %(db)s "
        "AND engine LIKE '%%MergeTree') AND c.type IN ('String', 'Array(String)')",
        {"db": db},
    )
    for table, column, kind in columns:
        test = (
            f"positionCaseInsensitive({column}, %(v)s) > 0"
            if kind == "String"
            else f"arrayExists(x -> positionCaseInsensitive(x, %(v)s) > 0, {column})"
        )
        if ch.execute(f"SELECT count() FROM {db}.{table} WHERE {test}", {"v": value})[0][0]:
            found.append((table, column))
    return found


def test_migrations_apply_on_clickhouse_18(settings: Settings, ch: Client):
    applied = migrate(ch, settings.clickhouse_database)
    assert applied and migrate(ch, settings.clickhouse_database) == []
    assert scalar(ch, f"SELECT count() FROM {settings.clickhouse_database}.events_current") == 0

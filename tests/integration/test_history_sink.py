"""History sink on the real stack: Kafka (Tansu) -> sink -> ClickHouse 18.16."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from clickhouse_driver import Client

from core import kafka, metrics, topics
from core.settings import Settings
from schemas import catalogue
from schemas.serde import Codec
from sinks.history import app
from sinks.history.consumer import SinkConfig
from sinks.history.migrate import migrate
from sinks.history.rows_events import EVENT_COLUMNS, PII_COLUMNS
from tests import history_bulk_samples as bs
from tests import history_samples as hs
from tests.integration.identity.workers import ROOT, settings_env

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


def run_sink(
    settings: Settings,
    done: Callable[[], bool],
    *,
    commit: bool = True,
    group: str = "history",
    config: SinkConfig = CONFIG,
) -> None:
    """Run the sink in a thread until ``done()``; commit=False simulates a crash after the
    inserts and before the offset commit (nothing is committed)."""
    sink = app.build(settings, group=f"{settings.topic_prefix}{group}", config=config)
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


EVENT_SELECT = ", ".join(EVENT_COLUMNS)
PII_SELECT = ", ".join(PII_COLUMNS)


def rows_of(ch: Client, db: str) -> dict[str, list[Any]]:
    return {
        "events": sorted(ch.execute(f"SELECT {EVENT_SELECT} FROM {db}.events"), key=repr),
        "pii": sorted(ch.execute(f"SELECT {PII_SELECT} FROM {db}.pii"), key=repr),
        "dead_letters": sorted(
            ch.execute(
                f"SELECT stage, reason, source_topic, source_offset, hex(payload) "
                f"FROM {db}.dead_letters"
            )
        ),
    }


def decoded(path: str) -> float:
    return float(metrics.HISTORY_DECODED.labels(path)._value.get())


def test_bulk_path_writes_the_same_rows_as_the_per_message_path(settings: Settings, ch: Client):
    """Generated data plus edge cases (absent values, unicode, boundary times and dates), and
    messages the bulk path hands to the per-message path (not UTF-8, a repeated map key)."""
    records = bs.generated() + bs.edge_cases() + bs.per_message_only()
    produce(settings, topics.RESOLVED, records + [bs.invalid_utf8(), bs.duplicate_map_key()])
    per_message = settings.model_copy(
        update={"clickhouse_database": f"{settings.clickhouse_database}_pm"}
    )
    total = len(records) + 1  # the repeated map key is a valid event; invalid UTF-8 is not

    def landed(db: str) -> Callable[[], bool]:
        return lambda: (
            scalar(ch, f"SELECT count() FROM {db}.events") >= total
            and scalar(ch, f"SELECT count() FROM {db}.dead_letters") >= 1
        )

    try:
        bulk_before, python_before = decoded("bulk"), decoded("python")
        run_sink(settings, landed(settings.clickhouse_database))
        assert decoded("bulk") - bulk_before >= len(records) - 1
        python_before = decoded("python")
        run_sink(
            per_message,
            landed(per_message.clickhouse_database),
            group="per_message",
            config=replace(CONFIG, bulk_decode=False),
        )
        assert decoded("python") - python_before == total  # a dead letter is not "decoded"
        bulk, reference = (
            rows_of(ch, settings.clickhouse_database),
            rows_of(ch, per_message.clickhouse_database),
        )
        assert len(bulk["events"]) == total and len(bulk["dead_letters"]) == 1
        for table in ("events", "pii", "dead_letters"):
            assert bulk[table] == reference[table], table
    finally:
        ch.execute(f"DROP DATABASE IF EXISTS {per_message.clickhouse_database}")


def test_a_corrupt_message_in_a_bulk_batch_becomes_a_dead_letter(settings: Settings, ch: Client):
    db = settings.clickhouse_database
    codec = Codec(catalogue.RESOLVED)
    values = [codec.encode(r) for r in bs.generated(customers=30, days=60)]
    bad = len(values) // 2
    values[bad] = bs.truncated(values[bad])
    produce(settings, topics.RESOLVED, values)
    failures, bulk = metrics.HISTORY_BULK_FAILURES._value.get(), decoded("bulk")
    good = len(values) - 1
    run_sink(
        settings,
        lambda: (
            scalar(ch, f"SELECT count() FROM {db}.events") >= good
            and scalar(ch, f"SELECT count() FROM {db}.dead_letters") >= 1
        ),
        config=replace(CONFIG, max_rows=5000, split_below=64),
    )
    assert metrics.HISTORY_BULK_FAILURES._value.get() > failures
    assert decoded("bulk") - bulk > good / 2  # the split kept most of the batch in bulk
    assert scalar(ch, f"SELECT count() FROM {db}.events") == good
    reasons = ch.execute(f"SELECT stage, reason, hex(payload) FROM {db}.dead_letters")
    assert reasons == [("history", "malformed_avro", values[bad].hex().upper())]


KILLABLE_SINK = """
import sys, threading
from core.settings import load_settings
from sinks.history import app
from sinks.history.consumer import SinkConfig
settings = load_settings()
group = f"{settings.topic_prefix}history"
app.build(settings, group=group, config=SinkConfig(max_rows=1000, max_ms=50)).run(threading.Event())
"""


def test_a_sink_killed_mid_stream_and_restarted_adds_no_duplicate(
    settings: Settings, ch: Client, tmp_path: Any
) -> None:
    """A real `kill -9` of a sink process while batches are being inserted and committed, then
    a restart: every event is in `events_current` exactly once."""
    db = settings.clickhouse_database
    n = 20_000
    migrate(Client(**settings.clickhouse_kwargs), db)
    env = {**os.environ, **settings_env(settings)}
    log = (tmp_path / "sink.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLABLE_SINK], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    producer = kafka.producer(settings)
    codec = Codec(SUBJECTS[topics.RESOLVED])
    name = kafka.topic(settings, topics.RESOLVED)

    def send(numbers: range) -> None:
        for i in numbers:
            producer.produce(name, codec.encode(hs.resolved(f"k{i}", profile_id=f"p{i % 50}")))
        assert producer.flush(30) == 0

    count = f"SELECT count() FROM {db}.events"
    try:
        sent, deadline = 0, time.monotonic() + 60
        while scalar(ch, count) == 0 and time.monotonic() < deadline:  # until the sink runs
            send(range(sent, sent + 100))
            sent += 100
            time.sleep(0.2)
        # a burst of 8 batches; kill as soon as its first rows land, the rest in flight
        landed = scalar(ch, count)
        send(range(sent, sent + 8000))
        sent += 8000
        while scalar(ch, count) == landed and time.monotonic() < deadline:
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
        log.close()
    before_restart = scalar(ch, count)
    assert landed < before_restart < sent, (tmp_path / "sink.log").read_text()[-2000:]
    send(range(sent, n))
    run_sink(settings, lambda: scalar(ch, f"SELECT uniqExact(event_id) FROM {db}.events") == n)
    assert scalar(ch, f"SELECT count() FROM {db}.events_current") == n
    assert scalar(ch, f"SELECT uniqExact(event_id) FROM {db}.events_current") == n
    assert scalar(ch, f"SELECT count() FROM {db}.pii FINAL") == n

"""File import on the embedded stack: messages on the topics == accepted / rejected, and the
rejected rows are exactly the bad records the generator injected (by reason)."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import Consumer, TopicPartition
from typer.testing import CliRunner

from connectors.generator import write_company
from connectors.publish import infer_sources, publish_files
from core import kafka, topics
from core.clock import wall_clock_ms
from core.settings import Settings
from schemas.catalogue import DEAD_LETTER
from schemas.serde import Codec

pytestmark = pytest.mark.integration
END_MS = 1_735_689_600_000


def _consume_all(config: dict[str, object], topic: str, expected: int) -> list[bytes]:
    """Every message on the topic (waits until `expected` arrived, then 2 s for any extra)."""
    consumer = Consumer(config)
    values: list[bytes] = []
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        consumer.assign([TopicPartition(topic, p, 0) for p in partitions])
        deadline = time.monotonic() + 60
        quiet_until = None
        while time.monotonic() < deadline:
            batch = consumer.consume(5000, timeout=0.5)
            values.extend(m.value() for m in batch if m.error() is None)
            if len(values) >= expected:
                quiet_until = quiet_until or time.monotonic() + 2
                if time.monotonic() > quiet_until:
                    break
        return values
    finally:
        consumer.close()


def test_publish_generated_company(
    settings: Settings, consumer_config: dict[str, object], tmp_path: Path
) -> None:
    summary = write_company(tmp_path / "company", 300, 30, 21, END_MS)
    files = infer_sources(tmp_path / "company")
    reports = publish_files(files, settings, wall_clock_ms(), tmp_path / "rejects")

    received = sum(r.received for r in reports)
    accepted = sum(r.accepted for r in reports)
    rejected = Counter[str]()
    for r in reports:
        rejected.update(r.rejected)
    assert received == accepted + sum(rejected.values()) == summary["rows"]
    assert accepted == summary["good_rows"]
    assert dict(rejected) == summary["bad_by_reason"]
    assert all(r.undelivered == 0 for r in reports)

    messages = _consume_all(consumer_config, kafka.topic(settings, topics.TOUCHPOINTS), accepted)
    assert len(messages) == accepted
    dead = _consume_all(
        consumer_config, kafka.topic(settings, topics.DEAD_LETTERS), sum(rejected.values())
    )
    codec = Codec(DEAD_LETTER)
    records = [codec.decode(value) for value in dead]
    assert all(r["stage"] == "file_import" and r["payload"] for r in records)
    assert Counter(r["reason"] for r in records) == rejected


def test_cli_exit_codes(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cdp.cli import _register_all, app

    _register_all()
    monkeypatch.setenv("CDP_KAFKA_BOOTSTRAP_SERVERS", settings.kafka_bootstrap_servers)
    monkeypatch.setenv("CDP_TOPIC_PREFIX", settings.topic_prefix)
    monkeypatch.setenv("CDP_STATE_DIR", str(tmp_path / "nostate"))
    clean = tmp_path / "surveys.csv"
    clean.write_text(
        "response_id,submitted,respondent_email,survey,question,answer,score\n"
        "S1,2024-10-03T00:36:24Z,a@b.de,NPS,q,8,8\n"
    )
    runner = CliRunner()
    ok = runner.invoke(app, ["publish", "--source", "surveys", str(clean)])
    assert ok.exit_code == 0, ok.output
    assert "received 1 = accepted 1 + rejected 0" in ok.output
    dirty = tmp_path / "pos.csv"
    dirty.write_text(
        "receipt_id;store;ts;card_no;sum;items;main_category\n"
        "P1;S;03.10.2024 08:01:37;LC1;zwölf;1;home\n"
    )
    bad = runner.invoke(app, ["publish", "--source", "pos", str(dirty)])
    assert bad.exit_code == 1, bad.output
    assert (tmp_path / "pos.csv.rejects.jsonl").read_text().count("wrong_type") == 1
    missing = runner.invoke(app, ["publish", "--source", "pos", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2


def test_two_workers_report_as_one(
    settings: Settings, consumer_config: dict[str, object], tmp_path: Path
) -> None:
    """With 2 worker processes the reports, the rejects files (row numbers included), the dead
    letters' rows and the touchpoint count are those of one worker."""
    write_company(tmp_path / "company", 300, 30, 22, END_MS)
    files = infer_sources(tmp_path / "company")
    two = settings.model_copy(update={"topic_prefix": settings.topic_prefix + "two."})
    now = wall_clock_ms()
    one_reports = publish_files(files, settings, now, tmp_path / "one")
    two_reports = publish_files(files, two, now, tmp_path / "two", workers=2)

    def summary(reports: list[Any]) -> list[tuple[Any, ...]]:
        return [(r.path, r.received, r.accepted, dict(r.rejected), r.undelivered) for r in reports]

    assert summary(two_reports) == summary(one_reports)
    for r in one_reports:
        name = Path(r.rejects_file).name
        assert (tmp_path / "two" / name).read_bytes() == Path(r.rejects_file).read_bytes()
    rejected = sum(sum(r.rejected.values()) for r in one_reports)
    codec = Codec(DEAD_LETTER)

    def dead_rows(s: Settings) -> Counter[tuple[Any, ...]]:
        dead = _consume_all(consumer_config, kafka.topic(s, topics.DEAD_LETTERS), rejected)
        return Counter((d["offset"], d["detail"], d["reason"]) for d in map(codec.decode, dead))

    assert dead_rows(two) == dead_rows(settings)
    accepted = sum(r.accepted for r in one_reports)
    assert len(_consume_all(consumer_config, kafka.topic(two, topics.TOUCHPOINTS), accepted)) == (
        accepted
    )

"""Generated data through the whole pipeline (file connector -> `cdp run all` -> ClickHouse):
row counts reconcile with Kafka and with the generator. Accepted events = rows in `events`
(one per distinct event_id in `events_current`), the file import's dead letters = the bad
records the generator injected (by reason), and the raw log holds one row per message on the
resolved topic."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from clickhouse_driver import Client

from cdp.commands.init import run_init
from connectors.generator import generate_touchpoints, write_company
from connectors.publish import infer_sources, publish_files
from core import kafka, topics
from core.clock import wall_clock_ms
from core.lag import log_ends
from core.settings import Settings, to_env
from tests.integration.test_run_all import caught_up, wait_until

ROOT = Path(__file__).resolve().parents[2]
END_MS = 1_735_689_600_000
CUSTOMERS, DAYS, SEED = 120, 20, 5


def scalar(ch: Client, sql: str) -> int:
    return int(ch.execute(sql)[0][0])


def test_generated_company_reconciles_from_files_to_clickhouse(
    settings: Settings, tmp_path: Path
) -> None:
    summary = write_company(tmp_path / "company", CUSTOMERS, DAYS, SEED, END_MS)
    truth = generate_touchpoints(CUSTOMERS, DAYS, SEED, END_MS)
    good_ids = {t["event_id"] for t in truth.touchpoints}
    assert summary["duplicates"] > 0 and summary["bad"] > 0  # the data exercises both

    run_init(settings)
    reports = publish_files(
        infer_sources(tmp_path / "company"), settings, wall_clock_ms(), tmp_path / "rejects"
    )
    accepted = sum(r.accepted for r in reports)
    rejected = Counter[str]()
    for r in reports:
        rejected.update(r.rejected)
    assert accepted == len(truth.touchpoints) == summary["good_rows"]
    assert dict(rejected) == summary["bad_by_reason"]

    proc = subprocess.Popen(
        [sys.executable, "-m", "cdp", "run", "all"],
        cwd=ROOT,
        env={**os.environ, **to_env(settings)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    ch = Client(**settings.clickhouse_kwargs)  # type: ignore[arg-type]
    db = settings.clickhouse_database
    try:
        wait_until(
            lambda: (
                caught_up(settings)
                and scalar(ch, f"SELECT uniqExact(event_id) FROM {db}.events") >= len(good_ids)
            ),
            timeout=120.0,
        )
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=90)
    assert proc.returncode == 0, out.decode()[-2000:]

    resolved_messages = sum(log_ends(settings, kafka.topic(settings, topics.RESOLVED)).values())
    assert scalar(ch, f"SELECT count() FROM {db}.events") == resolved_messages
    assert scalar(ch, f"SELECT count() FROM {db}.events_current") == len(good_ids)
    assert {r[0] for r in ch.execute(f"SELECT event_id FROM {db}.events_current")} == good_ids
    dead = ch.execute(
        f"SELECT stage, reason, count() FROM {db}.dead_letters FINAL GROUP BY stage, reason"
    )
    assert {reason: n for stage, reason, n in dead if stage == "file_import"} == dict(rejected)
    assert [row for row in dead if row[0] != "file_import"] == []  # good rows all resolve

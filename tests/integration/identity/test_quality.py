"""Identity quality on generated company data, through the real worker: no false merges."""

from __future__ import annotations

from pathlib import Path

from connectors.generator import generate_touchpoints
from core import kafka, topics
from core.settings import Settings
from schemas import catalogue
from streams.identity.quality_source import measure
from tests.integration.identity.workers import (
    consume_until,
    produce_touchpoints,
    start_worker,
    stop_worker,
)

END_MS = 1_760_000_000_000


def test_generated_company_resolves_without_false_merges(
    settings: Settings, tmp_path: Path
) -> None:
    generated = generate_touchpoints(300, 60, 11, END_MS)
    kafka.create_topics(settings)
    produce_touchpoints(settings, generated.touchpoints)
    distinct = {tp["event_id"] for tp in generated.touchpoints}
    worker = start_worker(settings, tmp_path / "worker.log")
    try:
        consume_until(
            settings,
            topics.RESOLVED,
            catalogue.RESOLVED,
            lambda r: len(r) >= len(generated.touchpoints),
            timeout=180,
        )
    finally:
        stop_worker(worker)
    truth = {e: v for e, v in generated.truth.items() if e in distinct}
    report = measure(settings, truth)
    assert report.events == len(distinct)
    assert report.identity.precision == 1.0
    assert report.identity.recall >= 0.995
    assert report.households.precision >= 0.99

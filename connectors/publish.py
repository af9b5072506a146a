"""File import into Kafka: rows -> touchpoints (Avro, keyed by the strongest identifier) on the
touchpoint topic; bad rows -> a rejects file AND the dead-letter topic, each with its reason.

``publish_files`` chains it: check Kafka -> one ``publish_file`` per file (in worker processes
when asked; each worker has its own producer) -> reports. received = accepted + rejected.
"""

from __future__ import annotations

import json
import multiprocessing
import queue as queue_module
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from confluent_kafka.admin import AdminClient

from connectors.file_import import data_rows, judge_row, open_export, raw_bytes, raw_json
from connectors.fused import fused_rows
from connectors.keys import partition_key
from connectors.mapping import available_sources, load_mapping
from connectors.producer import ERRORS_ONLY, TouchpointProducer
from core import kafka, metrics
from core.deadletter import dead_letter
from core.settings import Settings
from schemas.errors import InvalidEvent

STAGE = "file_import"
PROGRESS_EVERY = 5000  # rows between progress reports
THROUGHPUT = {
    "linger.ms": 50,
    "batch.num.messages": 50000,
    "batch.size": 4_000_000,
    "queue.buffering.max.messages": 1_000_000,
    "queue.buffering.max.kbytes": 1_048_576,
}
Progress = Callable[[str, int], None]  # (file, rows read since the last call)


class PublishError(Exception):
    """The import could not run (missing file, unknown source, Kafka unreachable)."""


@dataclass
class FileReport:
    path: str
    source_system: str
    received: int = 0
    accepted: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    rejects_file: str = ""
    undelivered: int = 0

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())


def infer_sources(directory: Path) -> list[tuple[Path, str]]:
    """The generator's files in DIR with their source systems (from the file names)."""
    known = set(available_sources())
    found = [
        (p, p.name.split(".")[0])
        for p in sorted(directory.iterdir())
        if p.suffix in (".csv", ".jsonl") and p.name.count(".") == 1
    ]
    return [(p, s) for p, s in found if s in known]


def check_inputs(files: Sequence[tuple[Path, str]]) -> None:
    for path, source in files:
        if not path.is_file():
            raise PublishError(f"file not found: {path}")
        try:
            load_mapping(source)
        except KeyError as exc:
            raise PublishError(str(exc.args[0])) from None


def check_kafka(settings: Settings, timeout: float = 10.0) -> None:
    """Fails fast with one line when the broker is unreachable; creates missing topics."""
    quiet = AdminClient({"bootstrap.servers": settings.kafka_bootstrap_servers, "log_level": 0})
    try:
        quiet.list_topics(timeout=timeout)
        kafka.create_topics(settings, timeout=timeout)
    except Exception as exc:
        raise PublishError(
            f"cannot reach Kafka at {settings.kafka_bootstrap_servers}: {type(exc).__name__}: {exc}"
        ) from None


def rejects_path(path: Path, rejects_dir: Path | None) -> Path:
    return (rejects_dir or path.parent) / f"{path.name}.rejects.jsonl"


def publish_file(
    path: Path,
    source: str,
    settings: Settings,
    now_ms: int,
    rejects_dir: Path | None,
    producer: TouchpointProducer,
    progress: Progress | None = None,
) -> FileReport:
    """Each row: the fused fast path (connectors.fused) gives its key and bytes, or the slow
    path (map, validate, encode) gives the exact touchpoint or rejection."""
    mapping = load_mapping(source)
    report = FileReport(str(path), source, rejects_file=str(rejects_path(path, rejects_dir)))
    Path(report.rejects_file).parent.mkdir(parents=True, exist_ok=True)
    region = settings.default_region
    with open(report.rejects_file, "w", encoding="utf-8") as bad, open_export(path) as fh:
        header, rows = data_rows(fh, mapping)
        fused = fused_rows(mapping, header, region, now_ms, producer.touchpoint_header)
        rejects = _Rejects(producer, bad, report, mapping, now_ms)
        batch: list[tuple[bytes | None, bytes]] = []
        append = batch.append
        number = 0
        try:
            for number, row in enumerate(rows, 1):
                hit = fused(row)
                if hit is not None:
                    append(hit)
                else:
                    result, raw = judge_row(row, header, mapping, now_ms, region)
                    if isinstance(result, InvalidEvent):
                        rejects.add(number, result, raw)
                    else:
                        append((partition_key(result), producer.encode(result)))
                if number % PROGRESS_EVERY == 0:
                    _send(producer, batch, report)
                    if progress is not None:
                        progress(str(path), PROGRESS_EVERY)
        finally:  # rows before an error that escapes are produced, as one by one they were
            _send(producer, batch, report)
        report.received = number
    if progress is not None:
        progress(str(path), report.received % PROGRESS_EVERY)
    report.undelivered = producer.flush(60.0)
    return report


def _send(
    producer: TouchpointProducer, batch: list[tuple[bytes | None, bytes]], report: FileReport
) -> None:
    producer.send_encoded(batch)
    report.accepted += len(batch)
    batch.clear()


def count_rows(path: Path) -> int:
    """Lines in the file (an estimate of its rows for a progress bar; cheap, no parsing)."""
    lines = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            lines += chunk.count(b"\n")
    return lines


class _Rejects:
    """Where a file's bad rows go: the report's counts, the rejects file (one JSON line each)
    and the dead-letter topic (the row as the file held it)."""

    def __init__(
        self, producer: TouchpointProducer, fh: Any, report: FileReport, mapping: Any, now_ms: int
    ) -> None:
        self.producer, self.fh, self.report = producer, fh, report
        self.mapping, self.now_ms = mapping, now_ms
        self.file_name = Path(report.path).name
        self.id_column = _id_column(mapping)

    def add(self, number: int, exc: InvalidEvent, raw: Any) -> None:
        self.report.rejected[exc.reason] += 1
        line = {"row": number, "reason": exc.reason, "detail": exc.detail, "raw": raw_json(raw)}
        self.fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        event_id = raw.get(self.id_column) if isinstance(raw, dict) else None
        self.producer.send_dead_letter(
            dead_letter(
                STAGE,
                exc.reason,
                raw_bytes(raw, self.mapping),
                self.now_ms,
                detail=f"{self.file_name} row {number}: {exc.detail}"[:500],
                source_system=self.mapping.source_system,
                offset=number,
                event_id=event_id if isinstance(event_id, str) and event_id else None,
            )
        )


def _id_column(mapping: Any) -> str | None:
    return next(
        (c for c, acts in mapping.columns.items() if any(a[1] == "event_id" for a in acts)), None
    )


def make_producer(settings: Settings) -> TouchpointProducer:
    return TouchpointProducer(
        settings,
        producer=kafka.producer(settings, **THROUGHPUT, **ERRORS_ONLY),
        poll_every=10_000,
        errors_only=True,
    )


def _worker(
    path: Path, source: str, settings: Settings, now_ms: int, rejects_dir: Path | None, queue: Any
) -> FileReport:
    producer = make_producer(settings)
    progress = (lambda name, n: queue.put((name, n))) if queue is not None else None
    return publish_file(path, source, settings, now_ms, rejects_dir, producer, progress)


def publish_files(
    files: Sequence[tuple[Path, str]],
    settings: Settings,
    now_ms: int,
    rejects_dir: Path | None = None,
    workers: int = 1,
    progress: Progress | None = None,
    check: bool = True,
) -> list[FileReport]:
    """Publishes every (file, source system); ``check=False`` when check_inputs and
    check_kafka already ran."""
    if check:
        check_inputs(files)
        check_kafka(settings)
    if workers <= 1 or len(files) <= 1:
        producer = make_producer(settings)
        reports = [
            publish_file(p, s, settings, now_ms, rejects_dir, producer, progress) for p, s in files
        ]
    else:
        reports = _in_processes(files, settings, now_ms, rejects_dir, workers, progress)
    for report in reports:
        _count(report)
    return reports


def _in_processes(
    files: Sequence[tuple[Path, str]],
    settings: Settings,
    now_ms: int,
    rejects_dir: Path | None,
    workers: int,
    progress: Progress | None,
) -> list[FileReport]:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager, ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        queue = manager.Queue() if progress is not None else None
        futures = [
            pool.submit(_worker, p, s, settings, now_ms, rejects_dir, queue)
            for p, s in _largest_first(files)
        ]
        while not all(f.done() for f in futures):
            _drain(queue, progress, timeout=0.2)
        _drain(queue, progress, timeout=0)
        by_path = {f.result().path: f.result() for f in futures}
    return [by_path[str(p)] for p, _s in files]


def _largest_first(files: Sequence[tuple[Path, str]]) -> list[tuple[Path, str]]:
    return sorted(files, key=lambda f: -f[0].stat().st_size)


def _drain(queue: Any, progress: Progress | None, timeout: float) -> None:
    if queue is None or progress is None:
        time.sleep(timeout)
        return
    try:
        while True:
            name, n = queue.get(timeout=timeout) if timeout else queue.get_nowait()
            progress(name, n)
            timeout = 0
    except queue_module.Empty:
        pass


def _count(report: FileReport) -> None:
    metrics.EVENTS_RECEIVED.labels(STAGE).inc(report.received)
    metrics.EVENTS_ACCEPTED.labels(STAGE).inc(report.accepted)
    for reason, n in report.rejected.items():
        metrics.EVENTS_REJECTED.labels(STAGE, reason).inc(n)

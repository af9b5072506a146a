"""The fused fast path against the path before it, over a generated company's files (with the
generator's deliberate bad rows): row by row the same touchpoint bytes and key or the same
rejection, and publish_file the same messages, rejects file and report."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from connectors.file_import import raw_bytes, raw_json
from connectors.generator import write_company
from connectors.mapping import load_mapping, map_row
from connectors.producer import TouchpointProducer
from connectors.publish import STAGE, FileReport, infer_sources, publish_file, rejects_path
from connectors.validate import validate_touchpoint
from core.deadletter import dead_letter
from core.settings import Settings
from schemas.errors import InvalidEvent
from tests.unit.fused_oracle import END_MS, NOW, new_outcomes, old_outcomes
from tests.unit.kafka_fakes import FakeKafkaProducer

SETTINGS = Settings(topic_prefix="t1.")


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("company")
    return out, write_company(out, 300, 30, 11, END_MS)


def _text(path: Path) -> str:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return fh.read()


@pytest.mark.parametrize("run", ["cold", "warm"])  # identifier memos empty, then filled
def test_every_row_of_every_file_has_its_old_outcome(company, run: str) -> None:
    out, summary = company
    answered = accepted = 0
    rejected: Counter[str] = Counter()
    for path, source in infer_sources(out):
        mapping = load_mapping(source)
        old = old_outcomes(_text(path), mapping)
        new, hits = new_outcomes(_text(path), mapping)
        assert len(new) == len(old)
        for number, (before, after) in enumerate(zip(old, new, strict=True), 1):
            assert after == before, f"{source} row {number}"
        answered += hits
        accepted += sum(o[0] == "accepted" for o in old)
        rejected.update(o[1] for o in old if o[0] == "rejected")
    assert dict(rejected) == summary["bad_by_reason"]
    assert accepted == summary["good_rows"]
    assert answered == accepted  # every clean row of the generator takes the fast path


# publish_file before the fast path (4e148fa), but for progress reports: the reference.
def reference_publish_file(
    path: Path, source: str, settings: Settings, now_ms: int, rejects_dir: Path, producer: Any
) -> FileReport:
    mapping = load_mapping(source)
    report = FileReport(str(path), source, rejects_file=str(rejects_path(path, rejects_dir)))
    Path(report.rejects_file).parent.mkdir(parents=True, exist_ok=True)
    with open(report.rejects_file, "w", encoding="utf-8") as rejects:
        for number, result, raw in _reference_rows(path, source, settings.default_region, now_ms):
            if isinstance(result, InvalidEvent):
                _reject(producer, rejects, report, number, result, raw, mapping, now_ms)
            else:
                producer.send(result)
                report.accepted += 1
            report.received = number
    report.undelivered = producer.flush(60.0)
    return report


def _reject(
    producer: Any,
    rejects: Any,
    report: FileReport,
    number: int,
    exc: InvalidEvent,
    raw: Any,
    mapping: Any,
    now_ms: int,
) -> None:
    report.rejected[exc.reason] += 1
    rejects.write(
        json.dumps(
            {"row": number, "reason": exc.reason, "detail": exc.detail, "raw": raw_json(raw)},
            ensure_ascii=False,
        )
        + "\n"
    )
    event_id = raw.get(_id_column(mapping)) if isinstance(raw, dict) else None
    producer.send_dead_letter(
        dead_letter(
            STAGE,
            exc.reason,
            raw_bytes(raw, mapping),
            now_ms,
            detail=f"{Path(report.path).name} row {number}: {exc.detail}"[:500],
            source_system=mapping.source_system,
            offset=number,
            event_id=event_id if isinstance(event_id, str) and event_id else None,
        )
    )


def _id_column(mapping: Any) -> str | None:
    return next(
        (c for c, acts in mapping.columns.items() if any(a[1] == "event_id" for a in acts)), None
    )


def _reference_rows(path: Path, source: str, region: str, now_ms: int) -> Iterator[Any]:
    mapping = load_mapping(source)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        if mapping.format == "csv":
            raws: Any = csv.DictReader(fh, delimiter=mapping.delimiter)
        else:
            raws = _reference_json(fh)
        for number, raw in enumerate(raws, 1):
            if isinstance(raw, tuple):
                yield number, InvalidEvent("malformed_json", raw[1]), raw[0]
                continue
            try:
                yield number, validate_touchpoint(map_row(raw, mapping), now_ms, region), raw
            except InvalidEvent as exc:
                yield number, exc, raw


def _reference_json(fh: Any) -> Iterator[Any]:
    for line in fh:
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            yield (line, f"not JSON ({type(exc).__name__})")
            continue
        yield row if isinstance(row, dict) else (line, "a line must be a JSON object")


def _publish(publish: Any, path: Path, source: str, rejects: Path) -> tuple[Any, ...]:
    fake = FakeKafkaProducer()
    producer = TouchpointProducer(SETTINGS, producer=fake, poll_every=10_000, errors_only=True)
    report = publish(path, source, SETTINGS, NOW, rejects, producer)
    messages = {
        topic: [(m.key(), m.value()) for m in fake.on_topic(topic)]
        for topic in (producer.touchpoint_topic, producer.dead_letter_topic)
    }
    report_fields = (report.received, report.accepted, dict(report.rejected), report.undelivered)
    letters = Path(report.rejects_file).read_bytes()
    return report_fields, messages, letters, producer.delivered, dict(producer.failed)


def _odd_files(out: Path) -> list[tuple[Path, str]]:
    """Files the generator does not write: blank lines, short and long CSV rows, a header
    with an unknown column, a repeated column, malformed JSON lines."""
    odd = out / "odd"
    odd.mkdir(exist_ok=True)
    pos = _text(out / "pos.csv").splitlines(keepends=True)
    web = _text(out / "web.jsonl").splitlines(keepends=True)
    files = {
        "pos.csv": pos[:40] + ["\n", "POS9;ST-1\n", pos[3].rstrip("\n") + ";x;y\n"] + pos[40:80],
        "pos.unknown.csv": [pos[0].rstrip("\n") + ";legacy\n"] + pos[1:30],
        "pos.twice.csv": [pos[0].rstrip("\n") + ";store\n"]
        + [p.rstrip("\n") + ";S\n" for p in pos[1:30]],
        "web.jsonl": web[:50] + ["\n", "{broken\n", "[1, 2]\n", '"text"\n'] + web[50:100],
    }
    for name, lines in files.items():
        (odd / name).write_text("".join(lines), encoding="utf-8")
    return [(odd / name, name.split(".")[0]) for name in files]


def test_publish_file_sends_writes_and_counts_as_before(company, tmp_path: Path) -> None:
    out, _summary = company
    for path, source in infer_sources(out) + _odd_files(out):
        before = _publish(reference_publish_file, path, source, tmp_path / "before")
        after = _publish(publish_file, path, source, tmp_path / "after")
        assert after == before, path.name
        received, accepted, rejected, _undelivered = after[0]
        assert received == accepted + sum(rejected.values())

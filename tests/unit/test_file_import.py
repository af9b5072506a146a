"""File import without Kafka: every rejection reason through the file path, rejects file and
dead letters (a fake producer), and the same touchpoints as the generator's Python API."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from connectors.file_import import read_source_file
from connectors.generator import generate_touchpoints, write_company
from connectors.publish import infer_sources, publish_file
from core.settings import Settings

END_MS = 1_735_689_600_000
NOW = END_MS + 3_600_000


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("company")
    return out, write_company(out, 80, 20, 4, END_MS)


def test_rejections_by_reason_match_the_ground_truth(company) -> None:
    out, summary = company
    rejected: Counter[str] = Counter()
    accepted = []
    for path, source in infer_sources(out):
        for _n, result in read_source_file(path, source, Settings(), NOW):
            if isinstance(result, dict):
                accepted.append(result["event_id"])
            else:
                rejected[result.reason] += 1
    assert dict(rejected) == summary["bad_by_reason"]
    assert len(accepted) == summary["good_rows"]
    generated = generate_touchpoints(80, 20, 4, END_MS)
    assert sorted(accepted) == sorted(tp["event_id"] for tp in generated.touchpoints)


def test_infer_sources_skips_other_files(company) -> None:
    out, summary = company
    (out / "x.csv.rejects.jsonl").write_text("")
    assert {s for _p, s in infer_sources(out)} == set(summary["sources"])


class FakeProducer:
    touchpoint_header = b"\x00\x00\x00\x00\x01"

    def __init__(self) -> None:
        self.sent: list[tuple[bytes | None, bytes]] = []
        self.dead: list[dict] = []

    def encode(self, tp: dict) -> bytes:
        return repr(tp).encode()

    def send_encoded(self, messages: list[tuple[bytes | None, bytes]]) -> None:
        self.sent.extend(messages)

    def send_dead_letter(self, record: dict) -> None:
        self.dead.append(record)

    def flush(self, timeout: float = 0) -> int:
        return 0


def test_publish_file_writes_rejects_and_dead_letters(tmp_path: Path) -> None:
    path = tmp_path / "pos.csv"
    path.write_text(
        "receipt_id;store;ts;card_no;sum;items;main_category\n"
        "POS1;ST-1;03.10.2024 08:01:37;LC1;80,34;14;home\n"
        "POS2;ST-1;03.10.2024 08:01:37;LC1;80,34;14;home;EXTRA\n"
        "POS3;ST-1;gestern;LC1;80,34;14;home\n"
        ";ST-1;03.10.2024 08:01:37;LC1;1,00;1;home\n"
        "POS5;ST-1;03.10.2034 08:01:37;LC1;1,00;1;home\n"
        "POS6;ST-1;03.10.2024 08:01:37;   ;1,00;1;home\n"
        "POS7;ST-1;03.10.2024 08:01:37;;1,00;1;home\n",
        encoding="utf-8",
    )
    producer = FakeProducer()
    report = publish_file(path, "pos", Settings(), NOW, tmp_path / "rej", producer)  # type: ignore[arg-type]
    assert (report.received, report.accepted) == (7, 1)
    assert report.rejected == {
        "unknown_field": 1,
        "wrong_type": 1,
        "missing_field": 1,
        "future_timestamp": 1,
        "empty_identifier": 1,
        "no_usable_identifier": 1,
    }
    lines = [
        json.loads(line)
        for line in (tmp_path / "rej" / "pos.csv.rejects.jsonl").read_text().splitlines()
    ]
    assert [r["row"] for r in lines] == [2, 3, 4, 5, 6, 7]
    assert lines[0]["raw"]["_extra_cells"] == ["EXTRA"] and lines[0]["reason"] == "unknown_field"
    assert [d["reason"] for d in producer.dead] == [r["reason"] for r in lines]
    first = producer.dead[0]
    assert first["stage"] == "file_import" and first["source_system"] == "pos"
    assert first["payload"] == b"POS2;ST-1;03.10.2024 08:01:37;LC1;80,34;14;home;EXTRA"
    assert first["event_id"] == "POS2" and first["offset"] == 2


def test_jsonl_unknown_key_and_malformed_line(tmp_path: Path) -> None:
    path = tmp_path / "web.jsonl"
    path.write_text(
        '{"id":"W1","type":"login","ts":1727913655000,"cookie":"c1","user_id":"u"}\n'
        '{"id":"W2","type":"login","ts":1727913655000,"cookie":"c1","x":1}\n'
        '{"id":"W3", broken\n'
        '["not", "an", "object"]\n'
        '{"id":"W4","type":"login","ts":1727913655000,"cookie":"c1","system":"x"}\n'
    )
    results = list(read_source_file(path, "web", Settings(), NOW))
    reasons = [r if isinstance(r, dict) else r.reason for _n, r in results]
    assert isinstance(reasons[0], dict)
    assert reasons[1:] == ["unknown_field", "malformed_json", "malformed_json", "unknown_field"]
    assert [n for n, _r in results] == [1, 2, 3, 4, 5]

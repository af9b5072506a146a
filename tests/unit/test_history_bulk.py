"""The history sink's bulk decoder on current ClickHouse (chdb, in-process): it writes exactly
the `events` and `pii` rows of the per-message path, hands what it must not write to that path,
and refuses bad bytes. (The same comparison against ClickHouse 18.16 is in
tests/integration/test_history_sink.py.)"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from schemas import catalogue
from schemas.registry import LocalCatalogue
from schemas.serde import Codec
from sinks.history import bulk
from sinks.history.batch import RESOLVED, Batch
from sinks.history.bulk import BulkDecodeError, BulkDecoder
from sinks.history.bulk_sql import BulkRows
from sinks.history.migrate import migrate
from sinks.history.rows_events import EVENT_COLUMNS, PII_COLUMNS
from tests import history_bulk_samples as bs
from tests.unit.chdb_client import ChdbClient

chdb = pytest.importorskip("chdb")

BULK, PER_MESSAGE = "bulk_rows", "python_rows"


@pytest.fixture(scope="module")
def ch() -> Iterator[Any]:
    conn = chdb.connect(":memory:")
    for db in (BULK, PER_MESSAGE):
        migrate(ChdbClient(conn), db)
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def decoder() -> Iterator[BulkDecoder]:
    source = LocalCatalogue()
    schema_id = source.writer_id(catalogue.RESOLVED)
    bulk = BulkDecoder(source.parsed_by_id(schema_id), schema_id, threads=2, min_split=16)
    yield bulk
    bulk.close()


def encode(records: list[dict[str, Any]]) -> list[bytes]:
    codec = Codec(catalogue.RESOLVED)
    return [codec.encode(r) for r in records]


def per_message(values: list[bytes], erased: set[str]) -> Batch:
    codec, batch = Codec(catalogue.RESOLVED), Batch(erased=erased)
    for value in values:
        batch.add(RESOLVED, codec.decode(value))
    return batch


def insert_rows(ch: Any, db: str, batch: Batch) -> None:
    client = ChdbClient(ch)
    for table, columns, rows in (
        ("events", EVENT_COLUMNS, batch.events),
        ("pii", PII_COLUMNS, batch.pii),
    ):
        if rows:
            client.execute(f"INSERT INTO {db}.{table} ({', '.join(columns)}) VALUES", rows)


def insert_bulk(ch: Any, db: str, rows: BulkRows) -> None:
    for table, columns, data in (
        ("events", EVENT_COLUMNS, rows.events),
        ("pii", PII_COLUMNS, rows.pii),
    ):
        if data:
            insert = f"INSERT INTO {db}.{table} ({', '.join(columns)})"
            with ch.send_insert(insert, "RowBinary") as stream:
                stream.append(data)
                stream.finish()


def table(ch: Any, db: str, name: str, columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
    cols = ", ".join(columns)
    return ChdbClient(ch).execute(f"SELECT {cols} FROM {db}.{name} ORDER BY {cols}")  # type: ignore[no-any-return]


def truncate(ch: Any) -> None:
    for db in (BULK, PER_MESSAGE):
        for name in ("events", "pii"):
            ch.query(f"TRUNCATE TABLE {db}.{name}")


def test_bulk_rows_equal_per_message_rows(ch: Any, decoder: BulkDecoder):
    truncate(ch)
    records = bs.generated() + bs.edge_cases()
    values = encode(records)
    erased = {records[0]["profile_id"]}  # an erased person gets events but no pii
    rows = decoder.decode(values, erased)
    assert (rows.total, rows.python_rows) == (len(values), [])
    reference = per_message(values, erased)
    assert (rows.event_rows, rows.pii_rows) == (len(reference.events), len(reference.pii))
    insert_bulk(ch, BULK, rows)
    insert_rows(ch, PER_MESSAGE, reference)
    for name, columns in (("events", EVENT_COLUMNS), ("pii", PII_COLUMNS)):
        assert table(ch, BULK, name, columns) == table(ch, PER_MESSAGE, name, columns), name
    assert len(table(ch, BULK, "pii", PII_COLUMNS)) < len(values)  # bare event, erased person


def test_rows_the_bulk_path_must_not_write_go_to_the_per_message_path(decoder: BulkDecoder):
    good = encode(bs.generated(customers=5, days=10))
    odd = [bs.invalid_utf8(), bs.duplicate_map_key(), *encode(bs.per_message_only())]
    values = good[:3] + odd + good[3:]
    rows = decoder.decode(values, set())
    assert sorted(rows.python_rows) == [3, 4, 5]
    assert rows.event_rows == len(good)


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda v: bs.truncated(v),
        lambda v: bs.trailing(v, b"\x02"),
        lambda v: v[:5] + b"\xff" * 40,
    ],
    ids=["truncated", "trailing_byte", "garbage_body"],
)
def test_bad_bytes_fail_the_bulk_decode(decoder: BulkDecoder, corrupt: Any):
    values = encode(bs.generated(customers=3, days=10))
    values[len(values) // 2] = corrupt(values[len(values) // 2])
    with pytest.raises(BulkDecodeError):
        decoder.decode(values, set())


def test_trailing_bytes_on_the_last_message_are_caught_by_the_sentinel(decoder: BulkDecoder):
    """Avro drains unread bytes at the end of a block, so only the sentinel notices them."""
    values = encode(bs.generated(customers=2, days=10)[:5])
    values[-1] = bs.trailing(values[-1])
    with pytest.raises(BulkDecodeError, match="misaligned"):
        decoder.decode(values, set())


def test_a_batch_split_over_several_files_keeps_every_index(decoder: BulkDecoder):
    values = encode(bs.generated(customers=5, days=10))
    assert len(values) > decoder.min_split * decoder.threads
    values[-2] = bs.invalid_utf8()
    rows = decoder.decode(values, set())
    assert (rows.total, rows.python_rows, rows.event_rows) == (
        len(values),
        [len(values) - 2],
        len(values) - 1,
    )


def test_erased_profiles_accumulate(decoder: BulkDecoder):
    records = [bs.hs.resolved(f"e{i}", profile_id=f"p{i % 3}") for i in range(6)]
    values = encode(records)
    assert decoder.decode(values, {"p0"}).pii_rows == 4
    assert decoder.decode(values, {"p0", "p1"}).pii_rows == 2
    assert decoder.decode(values, {"p2"}).pii_rows == 4  # not the sink's case: a set that shrank


def test_close_removes_the_scratch_directory_and_stale_ones_go_at_start(tmp_path: Any):
    stale, live = tmp_path / "cdp-history-999999999-x1", tmp_path / f"cdp-history-{os.getpid()}-x2"
    stale.mkdir(), live.mkdir()
    bulk.remove_stale(str(tmp_path))
    assert not stale.exists() and live.exists()
    source = LocalCatalogue()
    schema_id = source.writer_id(catalogue.RESOLVED)
    decoder = BulkDecoder(source.parsed_by_id(schema_id), schema_id)
    decoder.warm_up()
    assert os.path.isdir(decoder.directory)
    decoder.close()
    assert not os.path.exists(decoder.directory)

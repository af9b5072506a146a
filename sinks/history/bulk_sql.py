"""The bulk decode query (pure): one batch's container file(s) -> the `events` and `pii` rows
as RowBinary, computed by current ClickHouse (chdb) exactly as rows_events.py maps them.

One pass over the file, one result row: the concatenated RowBinary of every `events` row and of
every `pii` row (``formatRow``), their counts, the indexes of the rows that must take the
per-message path instead (bulk_checks), and how many rows were read and aligned (bulk_frame).
"""

from __future__ import annotations

from dataclasses import dataclass

from sinks.history.bulk_checks import plain_condition
from sinks.history.bulk_columns import event_exprs, has_personal_data, pii_exprs
from sinks.history.bulk_frame import HEADER_FIELD, INDEX_FIELD, SENTINEL_FIELD
from sinks.history.rowbinary import RowBinaryReader


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def decode_query(
    schema_json: str, files: str, header: bytes, mark: bytes, erased: str, threads: int = 1
) -> str:
    """The query over the container file(s) ``files`` (a path, or a ClickHouse glob such as
    ``dir/{0,1}.avro``, read in parallel by up to ``threads`` threads; see the module doc for
    its one result row). ``erased``: a Set table of profiles that get no `pii` rows."""
    events = ", ".join(event_exprs().values())
    pii = ", ".join(pii_exprs().values())
    return f"""
SELECT
    groupConcat(if(plain, formatRow('RowBinary', {events}), '')),
    toUInt64(countIf(plain)),
    groupConcat(if(plain AND keep_pii, formatRow('RowBinary', {pii}), '')),
    toUInt64(countIf(plain AND keep_pii)),
    groupArrayIf(reinterpretAsUInt32({INDEX_FIELD}), NOT plain),
    toUInt64(countIf(aligned)),
    toUInt64(count())
FROM
(
    SELECT
        *,
        {HEADER_FIELD} = unhex('{header.hex()}') AND {SENTINEL_FIELD} = unhex('{mark.hex()}')
            AS aligned,
        {plain_condition(schema_json)} AS plain,
        {has_personal_data()} AND profile_id NOT IN {erased} AS keep_pii
    FROM file({_quote(files)}, 'Avro')
)
SETTINGS max_threads = {threads}
"""


@dataclass(frozen=True)
class BulkRows:
    """One bulk-decoded batch: RowBinary of its `events` and `pii` rows, and the messages (by
    index in the batch) that must be decoded one by one instead."""

    events: bytes | memoryview
    event_rows: int
    pii: bytes | memoryview
    pii_rows: int
    python_rows: list[int]
    aligned: int
    total: int


def parse_result(data: bytes) -> BulkRows:
    """The query's one result row, as RowBinary (the row sets are views into ``data``)."""
    read = RowBinaryReader(memoryview(data))
    rows = BulkRows(
        read.string(), read.uint64(), read.string(), read.uint64(), read.uint32_array(),
        read.uint64(), read.uint64(),
    )  # fmt: skip
    if not read.at_end():
        raise ValueError("unexpected bytes after the bulk decode result")
    return rows

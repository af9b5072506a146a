"""chdb adapter of the history sink: decode a batch of resolved touchpoints in one query.

The batch's messages (all written with the current writer schema id) are framed as one Avro
container file (bulk_frame), written to a file in /dev/shm (memory), and read by the embedded
current ClickHouse (chdb), which decodes the Avro in C++ and formats the `events` and `pii`
rows as RowBinary (bulk_sql). Anything unexpected raises BulkDecodeError; the caller then
decodes those messages one by one (and finds the bad ones).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import uuid
import weakref
from collections.abc import Sequence, Set
from typing import Any

from sinks.history import bulk_sql
from sinks.history.bulk_checks import plain_condition
from sinks.history.bulk_frame import Framer, bulk_schema, sentinel, wire_header
from sinks.history.bulk_sql import BulkRows

SHM = "/dev/shm"
SCRATCH_PREFIX = "cdp-history-"  # + pid + "-" + random
SYNC_SIZE = 16
ERASED_TABLE = "erased_profiles"  # + a random suffix per decoder


class BulkDecodeError(Exception):
    """This batch cannot be bulk-decoded (bad bytes, or chdb failed): decode it per message."""


def _scratch_dir() -> str:
    return SHM if os.path.isdir(SHM) and os.access(SHM, os.W_OK) else tempfile.gettempdir()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(directory: str) -> None:
    """Scratch directories left by decoders of processes that died (kill -9: /dev/shm is
    memory, so they would stay until reboot)."""
    for name in os.listdir(directory):
        match = re.fullmatch(rf"{SCRATCH_PREFIX}(\d+)-\w+", name)
        if match and not _alive(int(match.group(1))):
            shutil.rmtree(os.path.join(directory, name), ignore_errors=True)


def _summary(exc: Exception) -> str:
    """ClickHouse error code and name only: messages can quote the data (personal data)."""
    text = str(exc)
    code = re.search(r"Code: (\d+)", text)
    name = re.findall(r"\(([A-Z][A-Z0-9_]+)\)", text)
    return f"{type(exc).__name__} code={code.group(1) if code else '?'} {name[-1] if name else ''}"


class BulkDecoder:
    """Owns a chdb connection (or uses ``connection``), a scratch directory and a Set table of
    erased profiles. chdb runs one embedded engine per process, opened on one path at a time:
    the default ``:memory:`` can be shared with other users of chdb in the process.

    ``threads`` > 1 splits a batch over that many container files that chdb reads in parallel
    (batches of fewer than ``min_split`` messages stay in one file). On 2 shared cores one
    thread is best: the sink's other threads and ClickHouse need the second core."""

    def __init__(
        self, writer_schema: Any, schema_id: int, connection: Any = None, threads: int = 1,
        min_split: int = 4096,
    ) -> None:  # fmt: skip
        self.header = wire_header(schema_id)
        self.schema_json = bulk_schema(writer_schema)
        plain_condition(self.schema_json)  # an unsupported schema fails here, not later
        self.framer = Framer(self.schema_json)
        self.threads, self.min_split = max(1, threads), min_split
        self.erased_table = f"{ERASED_TABLE}_{uuid.uuid4().hex[:12]}"
        self._erased: set[str] = set()
        self._given = connection
        self._conn: Any = None
        scratch = _scratch_dir()
        remove_stale(scratch)
        self.directory = tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=scratch)
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.directory, True)

    @property
    def conn(self) -> Any:
        if self._conn is None:
            if self._given is None:
                import chdb

                self._conn = chdb.connect(":memory:")
            else:
                self._conn = self._given
            self._conn.query(f"CREATE TABLE {self.erased_table} (profile_id String) ENGINE = Set")
        return self._conn

    def warm_up(self) -> None:
        """Start chdb and run the query once on an empty batch (the first query of a process
        costs a few hundred ms)."""
        self.decode([], frozenset())

    def decode(self, values: Sequence[bytes], erased: Set[str]) -> BulkRows:
        """Every message in ``values`` must start with ``self.header``; profiles in ``erased``
        get no `pii` rows."""
        try:
            self._sync_erased(erased)
            mark = sentinel()
            files = self._write(values, mark)
            query = bulk_sql.decode_query(
                self.schema_json, files, self.header, mark, self.erased_table, self.threads
            )
            rows = bulk_sql.parse_result(self.conn.query(query, "RowBinary").bytes())
        except Exception as exc:  # chdb raises RuntimeError subclasses on bad input
            raise BulkDecodeError(_summary(exc)) from None
        if rows.total != len(values) or rows.aligned != rows.total:
            raise BulkDecodeError(f"{rows.total - rows.aligned} of {rows.total} rows misaligned")
        return rows

    def _write(self, values: Sequence[bytes], mark: bytes) -> str:
        """Write the batch as container files; returns their path (or glob) for file()."""
        parts = self.threads if len(values) >= self.min_split else 1
        step = -(-len(values) // parts)
        for part in range(parts):
            first = part * step
            chunks = self.framer.chunks(
                values[first : first + step], mark, os.urandom(SYNC_SIZE), first
            )
            with open(os.path.join(self.directory, f"{part}.avro"), "wb") as out:
                out.write(b"".join(chunks))
        names = ",".join(str(part) for part in range(parts))
        return os.path.join(self.directory, f"{{{names}}}.avro" if parts > 1 else "0.avro")

    def _sync_erased(self, erased: Set[str]) -> None:
        """Make the Set table hold exactly ``erased`` (normally it only grows)."""
        new = set(erased) - self._erased
        if len(self._erased) + len(new) != len(erased):  # a profile left the set: rebuild
            self.conn.query(f"TRUNCATE TABLE {self.erased_table}")
            self._erased, new = set(), set(erased)
        if new:
            lines = "\n".join(json.dumps({"profile_id": p}) for p in sorted(new))
            self.conn.query(f"INSERT INTO {self.erased_table} FORMAT JSONEachRow\n{lines}")
            self._erased |= new

    def close(self) -> None:
        self._cleanup()
        if self._conn is not None:
            self._conn.query(f"DROP TABLE IF EXISTS {self.erased_table}")
            if self._given is None:
                self._conn.close()
            self._conn = None

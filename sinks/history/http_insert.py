"""ClickHouse HTTP adapter (httpx): insert rows that are already RowBinary in one POST.

``INSERT INTO db.table (columns) FORMAT RowBinary`` with the rows as the request body works the
same on ClickHouse 18.16 and current versions. A non-200 answer raises InsertFailed, which the
sink treats as an outage (retry the batch, never commit). Its message keeps the ClickHouse
error code and name only: a parse error can quote the rows (personal data)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import httpx

TIMEOUT_S = 300.0  # as clickhouse-driver's send/receive timeout


class InsertFailed(Exception):
    pass


def error_summary(status: int, text: str) -> str:
    code = re.search(r"Code: (\d+)", text)
    name = re.search(r"DB::Exception: ([A-Za-z' ]{1,60})", text)
    return f"HTTP {status}, code {code.group(1) if code else '?'}" + (
        f": {name.group(1).strip()}" if name else ""
    )


class HttpInserter:
    def __init__(
        self, host: str, port: int, user: str, password: str, client: httpx.Client | None = None
    ) -> None:
        self.http = client or httpx.Client(base_url=f"http://{host}:{port}", timeout=TIMEOUT_S)
        self.auth = (user, password)

    def insert(self, table: str, columns: Sequence[str], data: bytes) -> None:
        query = f"INSERT INTO {table} ({', '.join(columns)}) FORMAT RowBinary"
        response = self.http.post("/", params={"query": query}, content=data, auth=self.auth)
        if response.status_code != 200:
            raise InsertFailed(error_summary(response.status_code, response.text))

    def close(self) -> None:
        self.http.close()

"""Every history migration and view runs on current ClickHouse (chdb, in-process).

The same files run on ClickHouse 18.16 in the integration tests (tests/integration/
test_history_sink.py migrates the embedded stack's server)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from sinks.history.migrate import migrate, migration_files, split_statements

chdb_session = pytest.importorskip("chdb.session")

DB = "cdp"


class ChdbClient:
    """The slice of clickhouse-driver's Client that migrate() uses, over a chdb session."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def execute(self, query: str, params: Any = None, **kwargs: Any) -> list[tuple[Any, ...]]:
        if params is not None:  # INSERT ... VALUES with rows
            values = ", ".join("(" + ", ".join(_literal(v) for v in row) + ")" for row in params)
            query = f"{query} {values}"
        result = self.session.query(query, "JSONCompact")
        text = result.bytes().decode() if hasattr(result, "bytes") else str(result)
        return [tuple(r) for r in json.loads(text)["data"]] if text.strip() else []


def _literal(value: Any) -> str:
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChdbClient]:
    session = chdb_session.Session(str(tmp_path_factory.mktemp("chdb")))
    try:
        yield ChdbClient(session)
    finally:
        session.close()


def test_split_statements_ignores_comments_and_trailing_semicolons():
    sql = "-- a comment\nCREATE TABLE a (x UInt8) ENGINE = Memory;\n-- b\nSELECT 1; -- end\n"
    assert split_statements(sql) == [
        "-- a comment\nCREATE TABLE a (x UInt8) ENGINE = Memory",
        "-- b\nSELECT 1",
    ]


def test_every_migration_applies_once(client: ChdbClient):
    names = [p.name for p in migration_files()]
    assert migrate(client, DB) == names
    assert migrate(client, DB) == []
    tables = {r[0] for r in client.execute(f"SHOW TABLES FROM {DB}")}
    assert {
        "events",
        "pii",
        "identity_changes",
        "profile_map",
        "dead_letters",
        "erasures",
        "events_current",
        "profile_map_current",
        "schema_migrations",
    } <= tables


def test_events_current_dedups_and_applies_the_person_override(client: ChdbClient):
    migrate(client, DB)
    client.execute(
        f"INSERT INTO {DB}.events (event_id, event_type, profile_id, event_date, amount, "
        "resolved_time_ms) VALUES ('e1','order','A','2024-01-01',10,1), "
        "('e1','order','A','2024-01-01',10,1), ('e2','order','B','2024-01-02',5,1), "
        "('e3','order','C','2024-01-02',1,1)"
    )
    client.execute(
        f"INSERT INTO {DB}.profile_map VALUES ('A','B',1,'c1',now()), "
        "('A','C',2,'c2',now()), ('B','C',2,'c2',now())"
    )
    rows = client.execute(
        f"SELECT current_profile_id, count(), sum(amount) "
        f"FROM {DB}.events_current GROUP BY current_profile_id"
    )
    assert rows == [("C", "3", 16)] or rows == [("C", 3, 16)]
    assert client.execute(
        f"SELECT survivor_id FROM {DB}.profile_map_current WHERE profile_id = 'A'"
    ) == [("C",)]


def test_erasure_mutations_parse_on_current_clickhouse(client: ChdbClient):
    from sinks.history.rows_erasure import mutations

    migrate(client, DB)
    client.execute(
        f"INSERT INTO {DB}.pii (profile_id, event_id, identifier_values) "
        "VALUES ('X','e9',['x@example.com'])"
    )
    for statement in mutations(DB, ["X"], {"x@example.com"}, ["e9"]):
        client.execute(statement + " SETTINGS mutations_sync = 1")
    assert client.execute(f"SELECT count() FROM {DB}.pii WHERE profile_id = 'X'") in (
        [("0",)],
        [(0,)],
    )

"""ClickHouse migrations: numbered .sql files under ddl/, each applied once, in order.

Every file may hold several statements separated by ``;`` at the end of a line; ``{database}``
is replaced with the target database. Applied files are recorded in ``schema_migrations``.
The client is anything with ``execute(sql) -> list[tuple]`` (clickhouse-driver's Client, or an
adapter around chdb in the tests), so this module imports no client library.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Protocol

DDL_DIR = Path(__file__).parent / "ddl"
PLACEHOLDER = "{database}"
_STATEMENT_END = re.compile(r";[ \t]*(?:--[^\n]*)?$", re.MULTILINE)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Executes(Protocol):
    def execute(self, query: str, *args: Any, **kwargs: Any) -> Any: ...


def migration_files(directory: Path = DDL_DIR) -> list[Path]:
    return sorted(directory.glob("[0-9][0-9][0-9]_*.sql"))


def render(sql: str, database: str) -> str:
    return sql.replace(PLACEHOLDER, database)


def split_statements(sql: str) -> list[str]:
    """Statements of one file; comment-only fragments are dropped."""
    parts = _STATEMENT_END.split(sql)
    return [p.strip() for p in parts if _has_code(p)]


def _has_code(fragment: str) -> bool:
    lines = (line.split("--", 1)[0].strip() for line in fragment.splitlines())
    return any(lines)


def statements(path: Path, database: str) -> list[str]:
    return split_statements(render(path.read_text(), database))


def check_database_name(database: str) -> str:
    if not _NAME.match(database):
        raise ValueError(f"not a plain ClickHouse identifier: {database!r}")
    return database


def ensure_bookkeeping(client: Executes, database: str) -> None:
    client.execute(f"CREATE DATABASE IF NOT EXISTS {database}")
    client.execute(
        f"CREATE TABLE IF NOT EXISTS {database}.schema_migrations "
        "(name String, applied_time DateTime DEFAULT now()) "
        "ENGINE = ReplacingMergeTree() ORDER BY name"
    )


def applied(client: Executes, database: str) -> set[str]:
    rows = client.execute(f"SELECT DISTINCT name FROM {database}.schema_migrations")
    return {row[0] for row in rows}


def apply_file(client: Executes, database: str, path: Path) -> None:
    for statement in statements(path, database):
        client.execute(statement)
    client.execute(f"INSERT INTO {database}.schema_migrations (name) VALUES", [(path.name,)])


def migrate(client: Executes, database: str, directory: Path = DDL_DIR) -> list[str]:
    """Create the database and apply every file not applied yet; returns their names.

    Idempotent: every statement is ``IF NOT EXISTS``, so a file applied twice by two concurrent
    ``cdp init`` runs is harmless."""
    check_database_name(database)
    ensure_bookkeeping(client, database)
    done = applied(client, database)
    names = []
    for path in migration_files(directory):
        if path.name not in done:
            apply_file(client, database, path)
            names.append(path.name)
    return names

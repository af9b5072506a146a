"""The schema catalogue built from the .avsc files, with ids pinned in schemas.lock.

Each record's subject is its full name (RecordNameStrategy), so ids do not depend on topic
names. Every released version of a schema is kept under versions/<fullname>/vN.avsc.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import fastavro
from fastavro.schema import fingerprint, load_schema, to_parsing_canonical_form

from schemas.errors import SchemaError

ROOT = Path(__file__).parent
AVRO_DIR = ROOT / "avro"
VERSIONS_DIR = ROOT / "versions"
LOCK_FILE = ROOT / "schemas.lock"

TOUCHPOINT = "cdp.Touchpoint"
RESOLVED = "cdp.ResolvedTouchpoint"
IDENTITY_CHANGE = "cdp.IdentityChange"
ERASURE = "cdp.Erasure"
DEAD_LETTER = "cdp.DeadLetter"
TOP_LEVEL = (TOUCHPOINT, RESOLVED, IDENTITY_CHANGE, ERASURE, DEAD_LETTER)


@dataclass(frozen=True)
class SchemaVersion:
    subject: str
    version: int
    schema_id: int
    parsed: Any  # fastavro parsed schema

    @property
    def canonical(self) -> str:
        return str(to_parsing_canonical_form(self.parsed))


def load_avsc(path: Path) -> Any:
    """Parse one .avsc, resolving named references from files beside it."""
    return load_schema(str(path), _write_hint=True)


def schema_fingerprint(parsed: Any) -> str:
    return str(fingerprint(to_parsing_canonical_form(parsed), "CRC-64-AVRO"))


def version_files(subject: str) -> list[Path]:
    folder = VERSIONS_DIR / subject
    return sorted(folder.glob("v*.avsc"), key=lambda p: int(p.stem[1:]))


def read_lock() -> dict[str, list[dict[str, Any]]]:
    return dict(json.loads(LOCK_FILE.read_text()))


@cache
def current(subject: str) -> SchemaVersion:
    """The current schema of a subject with its pinned id; fails if the lock is stale."""
    parsed = load_avsc(AVRO_DIR / f"{subject}.avsc")
    fp = schema_fingerprint(parsed)
    for entry in read_lock().get(subject, []):
        if entry["fingerprint"] == fp:
            return SchemaVersion(subject, entry["version"], entry["id"], parsed)
    raise SchemaError(
        f"{subject}.avsc changed but schemas.lock has no entry for it: "
        "run `python -m schemas.lock` to release a new version"
    )


@cache
def by_id(schema_id: int) -> SchemaVersion:
    """Any released version by its pinned id (used as the writer schema when decoding)."""
    for subject, entries in read_lock().items():
        for entry in entries:
            if entry["id"] == schema_id:
                return _released(subject, entry)
    raise KeyError(schema_id)


def _released(subject: str, entry: dict[str, Any]) -> SchemaVersion:
    path = VERSIONS_DIR / subject / f"v{entry['version']}.avsc"
    parsed = fastavro.parse_schema(json.loads(path.read_text()))
    return SchemaVersion(subject, entry["version"], entry["id"], parsed)

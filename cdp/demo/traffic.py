"""Demo traffic: most source files through the file connector, the web server's events through
the HTTP collector (as a web tag would send them)."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from connectors.file_import import open_export, raw_rows
from connectors.mapping import Mapping, load_mapping, map_row
from connectors.publish import FileReport, infer_sources, publish_files
from core.settings import Settings
from schemas.errors import InvalidEvent

COLLECTOR_SOURCE = "web"
BATCH = 500


def split_files(company: Path) -> tuple[list[tuple[Path, str]], Path | None]:
    files = infer_sources(company)
    web = [p for p, s in files if s == COLLECTOR_SOURCE]
    return [(p, s) for p, s in files if s != COLLECTOR_SOURCE], (web[0] if web else None)


def publish(files: list[tuple[Path, str]], settings: Settings) -> list[FileReport]:
    return publish_files(files, settings, int(time.time() * 1000), workers=2)


def collect(path: Path, api: str, key: str) -> Counter[str]:
    """POST the file's rows as JSON touchpoint batches; returns received/accepted/rejected."""
    mapping = load_mapping(COLLECTOR_SOURCE)
    totals: Counter[str] = Counter()
    batch: list[dict[str, Any]] = []
    with open_export(path) as fh, httpx.Client(base_url=api, timeout=60) as http:
        for raw in raw_rows(fh, mapping):
            batch.append(shaped(raw, mapping))
            if len(batch) == BATCH:
                _post(http, key, batch, totals)
                batch = []
        if batch:
            _post(http, key, batch, totals)
    return totals


def shaped(raw: object, mapping: Mapping) -> dict[str, Any]:
    """The row as a touchpoint; a row that cannot be shaped goes as it is, so the collector
    rejects it with its reason and dead-letters it: nothing disappears on the client side."""
    if not isinstance(raw, dict):
        return {"unreadable": str(raw)}
    try:
        return map_row(raw, mapping)
    except InvalidEvent:
        return raw


def _post(http: httpx.Client, key: str, batch: list[dict[str, Any]], totals: Counter[str]) -> None:
    response = http.post("/v1/events", json={"events": batch}, headers={"X-API-Key": key})
    response.raise_for_status()
    body = response.json()
    for name in ("received", "accepted", "rejected"):
        totals[name] += body[name]

"""Where schema ids come from: the committed catalogue, or a Confluent-API schema registry."""

from __future__ import annotations

import json
from typing import Any, Protocol

import fastavro
import httpx

from schemas import catalogue


class SchemaSource(Protocol):
    def writer_id(self, subject: str) -> int: ...
    def parsed_by_id(self, schema_id: int) -> Any: ...


class LocalCatalogue:
    """Ids pinned in schemas.lock: bytes mean the same on every machine."""

    def writer_id(self, subject: str) -> int:
        return catalogue.current(subject).schema_id

    def parsed_by_id(self, schema_id: int) -> Any:
        return catalogue.by_id(schema_id).parsed


class RegistryClient:
    """Confluent Schema Registry API (Confluent, Karapace, Redpanda, Apicurio compat mode)."""

    def __init__(self, url: str, client: httpx.Client | None = None) -> None:
        self._http = client or httpx.Client(base_url=url.rstrip("/"), timeout=10.0)
        self._ids: dict[str, int] = {}
        self._by_id: dict[int, Any] = {}

    def writer_id(self, subject: str) -> int:
        if subject not in self._ids:
            self._ids[subject] = self.register(subject)
        return self._ids[subject]

    def register(self, subject: str) -> int:
        schema = catalogue.current(subject).canonical
        response = self._http.post(
            f"/subjects/{subject}/versions",
            json={"schema": schema},
            headers={"Content-Type": "application/vnd.schemaregistry.v1+json"},
        )
        response.raise_for_status()
        return int(response.json()["id"])

    def parsed_by_id(self, schema_id: int) -> Any:
        if schema_id not in self._by_id:
            response = self._http.get(f"/schemas/ids/{schema_id}")
            response.raise_for_status()
            self._by_id[schema_id] = fastavro.parse_schema(json.loads(response.json()["schema"]))
        return self._by_id[schema_id]


def source_for(registry_url: str | None) -> SchemaSource:
    return RegistryClient(registry_url) if registry_url else LocalCatalogue()

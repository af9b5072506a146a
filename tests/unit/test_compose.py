"""docker-compose.yml: the services exist, use the right images and ports, and every CDP_
variable it sets is a field of core.settings.Settings (so none is silently ignored)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from core import envnames
from core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_SERVICES = ("identity", "profiles", "history", "api")


def _compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def _services() -> dict[str, dict[str, Any]]:
    return dict(_compose()["services"])


def _env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    assert isinstance(env, dict), "use the mapping form of environment"
    return {str(k): str(v) for k, v in env.items()}


def test_infrastructure_images():
    services = _services()
    assert services["kafka"]["image"].startswith("apache/kafka:")
    assert "KAFKA_PROCESS_ROLES" in _env(services["kafka"])  # KRaft, no ZooKeeper
    registry = services["schema-registry"]["image"]
    assert registry.startswith(("confluentinc/cp-schema-registry", "ghcr.io/aiven-open/karapace"))
    assert services["redis"]["image"].startswith("redis:7")
    assert services["redis"]["command"][-4:] == ["--appendonly", "yes", "--appendfsync", "everysec"]
    assert services["clickhouse"]["image"].startswith("clickhouse/clickhouse-server")


def test_product_services_run_the_cli():
    services = _services()
    for name in PRODUCT_SERVICES:
        assert services[name]["command"] == ["run", name]
        assert services[name]["build"] == "."
        assert services[name]["depends_on"]["init"]["condition"] == "service_completed_successfully"
    assert services["init"]["command"] == ["init"]


def test_published_ports():
    services = _services()
    assert "8080:8080" in services["api"]["ports"]
    assert "9092:9092" in services["kafka"]["ports"]
    assert "6379:6379" in services["redis"]["ports"]
    assert {"9000:9000", "8123:8123"} <= set(services["clickhouse"]["ports"])


def test_every_cdp_variable_is_a_setting():
    fields = {f"{envnames.PREFIX}{name.upper()}" for name in Settings.model_fields}
    used = {k for svc in _services().values() for k in _env(svc) if k.startswith("CDP_")}
    assert used, "no CDP_ variables wired"
    assert used <= fields, f"not settings: {sorted(used - fields)}"


def test_product_services_are_wired_to_the_stack(monkeypatch: pytest.MonkeyPatch):
    required = {
        "CDP_KAFKA_BOOTSTRAP_SERVERS",
        "CDP_SCHEMA_REGISTRY_URL",
        "CDP_REDIS_URL",
        "CDP_CLICKHOUSE_HOST",
        "CDP_CLICKHOUSE_PORT",
        "CDP_API_KEYS",
    }
    services = _services()
    for name in (*PRODUCT_SERVICES, "init"):
        assert required <= set(_env(services[name])), name
    env = _env(services["api"])
    assert env["CDP_API_HOST"] == "0.0.0.0" and env["CDP_API_PORT"] == "8080"
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = Settings()  # values parse as settings, as the containers will parse them
    assert settings.api_port == 8080 and settings.api_keys

"""The embedded stack's logic that needs no server: ports, config rendering, PID checks, logs."""

from __future__ import annotations

import os
import socket
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cdp.stack import StackConfig, clickhouse_server, health, ports, process
from cdp.stack.endpoints import Endpoints, write_env_file
from cdp.stack.paths import StackPaths
from core.settings import Settings


def test_default_port_when_free_else_any_free_port_with_a_notice():
    notes: list[str] = []
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        port = ports.choose("redis", taken, set(), True, notes.append)
    assert port != taken and notes and str(taken) in notes[0]
    free = ports.any_free(set())
    assert ports.choose("redis", free, set(), True, notes.append) == free
    assert ports.choose("redis", free, {free}, False, notes.append) != free


def test_explicit_ports_and_env_names(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CDP_STACK_CLICKHOUSE_HTTP_PORT", "18123")
    assert StackConfig().explicit_ports() == {"clickhouse_http": 18123}


def test_clickhouse_config_points_into_the_stack_dir(tmp_path: Path):
    paths = StackPaths(tmp_path)
    xml = clickhouse_server.render_config(paths, {"clickhouse": 19000, "clickhouse_http": 18123})
    root = ET.fromstring(xml)
    assert root.tag == "yandex"
    assert root.findtext("tcp_port") == "19000" and root.findtext("http_port") == "18123"
    assert root.find("interserver_http_port") is None
    for tag in ("path", "tmp_path", "user_files_path", "format_schema_path", "users_config"):
        assert root.findtext(tag, "").startswith(str(tmp_path)), tag
    assert root.findtext("logger/log", "").startswith(str(tmp_path))


def test_clickhouse_tables_can_live_in_another_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    paths, elsewhere = StackPaths(tmp_path / "state"), tmp_path / "shm" / "ch"
    paths.make_dirs(clickhouse_server.NAME)
    monkeypatch.setenv("CDP_STACK_CLICKHOUSE_DATA_DIR", str(elsewhere))
    port_map = {"clickhouse": 1, "clickhouse_http": 2}
    command = clickhouse_server.SERVICE.prepare(paths, port_map, StackConfig())
    config = ET.parse(command[-1].split("=", 1)[1]).getroot()
    assert config.findtext("path") == f"{elsewhere}/"
    assert config.findtext("tmp_path") == f"{elsewhere}/tmp/"
    assert elsewhere.is_dir()
    monkeypatch.delenv("CDP_STACK_CLICKHOUSE_DATA_DIR")
    command = clickhouse_server.SERVICE.prepare(paths, port_map, StackConfig())
    config = ET.parse(command[-1].split("=", 1)[1]).getroot()
    assert config.findtext("path") == f"{paths.data_dir('clickhouse') / 'data'}/"


def test_pid_of_another_program_is_not_ours():
    assert process.is_ours(os.getpid(), ("python",))
    assert not process.is_ours(os.getpid(), ("redis-server",))
    assert not process.is_alive(2**22 + 12345)


def test_failure_reason_comes_from_this_runs_log_lines(tmp_path: Path):
    log = tmp_path / "redis.log"
    log.write_text("# Failed listening on port 1 (TCP), aborting.\n")
    offsets = health.log_sizes([log])
    log.write_text(log.read_text() + "starting\n\x1b[31mERROR\x1b[0m Address in use\nbye\n")
    line, where = health.reason_from_logs(offsets)
    assert line == "ERROR Address in use" and where == log


def test_stack_env_file_is_read_by_settings(tmp_path: Path):
    endpoints = Endpoints("127.0.0.1:1", "redis://127.0.0.1:2/0", "127.0.0.1", 3, 4)
    write_env_file(tmp_path / "stack.env", endpoints)
    settings = Settings(_env_file=tmp_path / "stack.env")  # type: ignore[call-arg]
    assert settings.kafka_bootstrap_servers == "127.0.0.1:1"
    assert (settings.clickhouse_port, settings.clickhouse_http_port) == (3, 4)

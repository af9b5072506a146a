"""The workers' faust app: no Monitor sensor, and rebalances without faust's "Missing sensor
state" warnings that an app without sensors would otherwise log every time."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from core.settings import Settings
from streams.common.faust_app import make_app


def test_a_rebalance_logs_no_missing_sensor_state(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(Settings(state_dir=tmp_path), "unit-test", datadir=tmp_path / "faust")
    assert app.monitor not in app.sensors
    with caplog.at_level(logging.WARNING):
        app.on_rebalance_start()
        app.on_rebalance_return()
        app.on_rebalance_end()
    assert not [r for r in caplog.records if "Missing sensor state" in r.getMessage()]
    assert app.rebalancing is False

"""Where the embedded stack keeps its files under the state dir.

STATE_DIR/stack.env                 endpoints for every other command (core.settings reads it)
STATE_DIR/stack/run/NAME.pid        PID of a service we started
STATE_DIR/stack/run/NAME.ports      its ports as JSON
STATE_DIR/stack/logs/NAME.log       its stdout/stderr
STATE_DIR/stack/data/NAME/          its data and generated config
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core import envnames


@dataclass(frozen=True)
class StackPaths:
    state_dir: Path

    @property
    def root(self) -> Path:
        return self.state_dir / "stack"

    @property
    def env_file(self) -> Path:
        return self.state_dir / envnames.STACK_ENV_FILE

    def pid_file(self, name: str) -> Path:
        return self.root / "run" / f"{name}.pid"

    def ports_file(self, name: str) -> Path:
        return self.root / "run" / f"{name}.ports"

    def log_file(self, name: str) -> Path:
        return self.root / "logs" / f"{name}.log"

    def data_dir(self, name: str) -> Path:
        return self.root / "data" / name

    def make_dirs(self, name: str) -> None:
        for path in (self.pid_file(name).parent, self.log_file(name).parent, self.data_dir(name)):
            path.mkdir(parents=True, exist_ok=True)

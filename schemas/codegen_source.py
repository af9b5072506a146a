"""Python source being generated: indented lines and the constants they refer to by name.
Shared by the generated Avro readers and writers and the file import's fused rows."""

from __future__ import annotations

from typing import Any


class Source:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.consts: dict[str, Any] = {}
        self._n = 0

    def var(self, stem: str) -> str:
        """A fresh local name."""
        self._n += 1
        return f"{stem}{self._n}"

    def const(self, value: Any) -> str:
        """A new name bound to ``value`` in the generated module."""
        name = self.var("_c")
        self.consts[name] = value
        return name

    def emit(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)

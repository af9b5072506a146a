"""Python source being generated: indented lines and the constants they refer to by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Source:
    def __init__(self, namespace: dict[str, Any] | None = None) -> None:
        self.lines: list[str] = []
        self.namespace: dict[str, Any] = dict(namespace or {})
        self._names: dict[int, str] = {}
        self._n = 0

    def var(self, stem: str) -> str:
        self._n += 1
        return f"{stem}{self._n}"

    def const(self, value: Any) -> str:
        """A name for ``value`` in the generated module (one name per object)."""
        name = self._names.get(id(value))
        if name is None:
            name = self._names[id(value)] = self.var("K")
            self.namespace[name] = value
        return name

    def emit(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)

    def function(self, name: str, args: str, label: str) -> Callable[..., Any]:
        """Compiles the lines as the body of ``def name(args)``."""
        text = f"def {name}({args}):\n" + "\n".join(self.lines or ["    pass"]) + "\n"
        namespace = dict(self.namespace)
        exec(compile(text, f"<fused {label}>", "exec"), namespace)  # noqa: S102
        function: Callable[..., Any] = namespace[name]
        function.__source__ = text  # type: ignore[attr-defined]
        return function

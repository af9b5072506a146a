"""The fused rows' generated source (schemas.codegen_source.Source): helpers bound up front,
one name per constant object, and the function compiled from the lines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from schemas.codegen_source import Source as _Source


class Source(_Source):
    def __init__(self, namespace: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.consts.update(namespace or {})
        self._names: dict[int, str] = {}

    def const(self, value: Any) -> str:
        """A name for ``value`` in the generated module (one name per object; the module
        keeps the object alive, so its id is not reused)."""
        name = self._names.get(id(value))
        if name is None:
            name = self._names[id(value)] = self.var("K")
            self.consts[name] = value
        return name

    def function(self, name: str, args: str, label: str) -> Callable[..., Any]:
        """Compiles the lines as the body of ``def name(args)``."""
        text = f"def {name}({args}):\n" + "\n".join(self.lines or ["    pass"]) + "\n"
        namespace = dict(self.consts)
        exec(compile(text, f"<fused {label}>", "exec"), namespace)  # noqa: S102
        function: Callable[..., Any] = namespace[name]
        function.__source__ = text  # type: ignore[attr-defined]
        return function

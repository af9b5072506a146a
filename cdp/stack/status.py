"""Rows of `cdp stack status`, and the extension point for rows other code adds (e.g. lag)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from cdp.stack.endpoints import Endpoints


@dataclass(frozen=True)
class StatusRow:
    name: str
    endpoint: str
    pid: int | None
    healthy: bool
    detail: str = ""


RowProvider = Callable[[Endpoints | None], Iterable[StatusRow]]
_providers: list[RowProvider] = []


def add_row_provider(provider: RowProvider) -> RowProvider:
    """Register a function that adds rows to `cdp stack status` (usable as a decorator).

    It gets the stack's endpoints (None when the embedded stack is not fully running) and returns
    rows; a row with ``healthy=False`` makes `status` exit non-zero. Exceptions become a red row.
    """
    _providers.append(provider)
    return provider


def remove_row_provider(provider: RowProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def extra_rows(endpoints: Endpoints | None) -> Iterator[StatusRow]:
    for provider in list(_providers):
        try:
            yield from provider(endpoints)
        except Exception as exc:  # a broken provider must not break status
            name = getattr(provider, "__name__", "extension")
            yield StatusRow(name, "-", None, False, f"{type(exc).__name__}: {exc}")

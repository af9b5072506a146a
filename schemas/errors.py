"""Typed, non-retryable data errors.

Outages are not InvalidEvent: they propagate and are retried."""

from __future__ import annotations


class InvalidEvent(Exception):
    """Bad input: goes to the dead-letter topic with ``reason`` (a stable code) and a detail."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class SchemaError(Exception):
    """The schema catalogue or lock file is inconsistent (a developer error, not bad input)."""

"""The one error the stack raises: its message is a single line meant for the user."""

from __future__ import annotations


class StackError(RuntimeError):
    """A service could not be started or stopped. ``str(exc)`` is one line, no traceback needed."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))

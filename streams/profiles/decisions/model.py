"""What a rule sees (Context) and says (Reason, Hint); the Decision."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from streams.profiles.decisions.config import RulesConfig
from streams.profiles.state import State


@dataclass(frozen=True)
class Context:
    state: State  # {} when the person is unknown
    channel: str
    purpose: str
    at_ms: int  # the injected clock: when the contact would happen
    config: RulesConfig
    household: tuple[State, ...] = ()  # states of the other household members

    @property
    def marketing(self) -> bool:
        return self.purpose in self.config.marketing_purposes


@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    rule: str


@dataclass(frozen=True)
class Hint:
    code: str
    message: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    allow: bool
    reasons: list[Reason]
    hints: list[Hint]
    checked: list[str]

"""Contact decisions: pure rules over a profile state, one rule per module, chained here.

``decide`` runs every rule and lists every reason (the answer is deny if any rule denies)."""

from __future__ import annotations

from collections.abc import Callable

from streams.profiles.decisions import (
    complaint_cooling_off,
    consent,
    existing_customer,
    frequency_cap,
    household_hint,
    quiet_hours,
)
from streams.profiles.decisions.config import DEFAULT, RulesConfig
from streams.profiles.decisions.model import Context, Decision, Hint, Reason
from streams.profiles.state import State

RULES: tuple[tuple[str, Callable[[Context], list[Reason]]], ...] = (
    (existing_customer.RULE, existing_customer.check),
    (complaint_cooling_off.RULE, complaint_cooling_off.check),
    (consent.RULE, consent.check),
    (frequency_cap.RULE, frequency_cap.check),
    (quiet_hours.RULE, quiet_hours.check),
)
HINTS: tuple[Callable[[Context], list[Hint]], ...] = (household_hint.hints,)


def decide(
    state: State,
    channel: str,
    purpose: str,
    at_ms: int,
    config: RulesConfig = DEFAULT,
    household: tuple[State, ...] = (),
) -> Decision:
    ctx = Context(state, channel, purpose, at_ms, config, household)
    reasons = [reason for _, rule in RULES for reason in rule(ctx)]
    hints = [hint for make in HINTS for hint in make(ctx)]
    return Decision(not reasons, reasons, hints, [name for name, _ in RULES])


__all__ = ["Decision", "Hint", "Reason", "RulesConfig", "decide"]

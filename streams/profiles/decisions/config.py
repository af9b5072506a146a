"""Contact rules configuration with its defaults, in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

from streams.profiles.state import MARKETING_PURPOSES


@dataclass(frozen=True)
class RulesConfig:
    default_timezone: str = "Europe/Berlin"
    marketing_purposes: frozenset[str] = MARKETING_PURPOSES
    cooling_off_days: int = 30  # no cross_sell/upsell this long after a complaint (or while open)
    cooling_off_purposes: frozenset[str] = frozenset({"cross_sell", "upsell"})
    frequency_window_days: int = 7
    frequency_caps: dict[str, int] = field(
        default_factory=lambda: {"phone": 2, "sms": 2, "email": 3, "letter": 4, "app": 5, "web": 10}
    )
    default_frequency_cap: int = 3
    quiet_channels: frozenset[str] = frozenset({"phone", "sms"})
    quiet_weekdays: frozenset[int] = frozenset({6})  # Monday=0 ... Sunday=6
    contact_hours: tuple[int, int] = (8, 20)  # allowed from 08:00 until 20:00 local time
    consent_wildcard_purposes: frozenset[str] = frozenset({"marketing", "all"})
    consent_wildcard_channel: str = "all"

    def cap(self, channel: str) -> int:
        return self.frequency_caps.get(channel, self.default_frequency_cap)


DEFAULT = RulesConfig()

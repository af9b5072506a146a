"""Real-time profiles: fold resolved touchpoints into one profile per customer in Redis.

Pure modules (no redis/faust): state, combine, delta, fold, conversation, traits, view, decisions.
Adapters: store (Redis), erasure (Redis), reader (Redis). App: app (faust batch loops).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.settings import Settings


def main(settings: Settings) -> None:
    """Entry point of `cdp run profiles`: the faust worker folding RESOLVED and IDENTITY_CHANGES."""
    from core.settings import lower_worker_priority
    from streams.profiles.app import run

    lower_worker_priority(settings)
    run(settings)

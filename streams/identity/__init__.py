"""Identity resolution: touchpoints -> profile ids through an identity graph in Redis.

Flow of the processor (streams/identity/app.py -> pipeline.py):
decode (schemas.serde) -> extract usable identifiers (extract.py) -> read a snapshot of the graph
(graph_redis.py) -> resolve the batch (resolver.py, households.py; pure) -> apply the mutations
atomically (graph_redis.py, lua/write.lua) -> publish resolved touchpoints and identity changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.settings import Settings


def main(settings: Settings) -> None:
    """Run one identity worker in the foreground (``cdp run identity``)."""
    from core.settings import lower_worker_priority
    from streams.identity.app import run

    lower_worker_priority(settings)
    run(settings)

"""`cdp erasure restore`: rebuild erasure tombstones and the suppression list in Redis from the
`cdp.erasures` topic after Redis lost its data (see streams/profiles/erasure_restore.py and
docs/operations.md, "Replaying history into Redis after losing it")."""

from __future__ import annotations

from typing import Annotated

import typer

erasure_app = typer.Typer(help="Erasure: restore what it leaves in Redis.", no_args_is_help=True)


@erasure_app.command("restore")
def restore(
    force: Annotated[
        bool, typer.Option("--force", help="restore even though Redis still holds profiles")
    ] = False,
) -> None:
    """Read every erasure record and write the missing tombstones and identifier digests."""
    import redis

    from core import kafka, topics
    from core.keys import Keys
    from core.settings import load_settings
    from schemas import catalogue
    from schemas.registry import source_for
    from schemas.serde import Codec
    from streams.profiles import erasure_restore as er

    settings = load_settings()
    client = redis.Redis.from_url(settings.redis_url)
    keys = Keys(settings.redis_prefix)
    if not force and er.holds_profiles(client, keys):
        typer.echo(
            "error: Redis still holds profiles under this prefix; restore is meant for an empty "
            "Redis before the replay (a person who consented again since would be suppressed "
            "again). Use --force to restore anyway.",
            err=True,
        )
        raise typer.Exit(2)
    codec = Codec(catalogue.ERASURE, source_for(settings.schema_registry_url))
    consumer = kafka.consumer(settings, "cdp-erasure-restore", **{"enable.partition.eof": True})
    try:
        values = er.read_topic(consumer, kafka.topic(settings, topics.ERASURES))
        restored = er.fold(codec.decode(v) for v in values)
    except LookupError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        consumer.close()
    er.write(client, keys, restored)
    typer.echo(
        f"{restored.records:,} erasure records: {len(restored.tombstones):,} erased profile ids, "
        f"{len(restored.digests):,} identifier digests restored"
    )
    if restored.without_digests:
        typer.echo(
            f"warning: {restored.without_digests:,} records were written before schema v2 and "
            "carry no identifier digests: re-run DELETE /v1/profiles/... for those requests "
            "after the replay",
            err=True,
        )


def register(app: typer.Typer) -> None:
    app.add_typer(erasure_app, name="erasure")

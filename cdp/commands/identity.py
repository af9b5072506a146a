"""`cdp identity quality --truth DIR/ground_truth.csv`: precision, recall and household
precision of identity resolution against the generator's ground truth."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

identity_app = typer.Typer(
    help="Identity resolution: quality against ground truth.", no_args_is_help=True
)


@identity_app.command("quality")
def quality(
    truth: Annotated[
        Path,
        typer.Option(
            "--truth",
            exists=True,
            dir_okay=False,
            help="ground_truth.csv written by `cdp generate`",
        ),
    ],
    min_precision: Annotated[float, typer.Option(help="exit 1 if precision is below")] = 0.0,
    min_recall: Annotated[float, typer.Option(help="exit 1 if linkable recall is below")] = 0.0,
) -> None:
    """Read every resolved touchpoint from Kafka, follow merges in Redis, compare to the truth."""
    from core.settings import load_settings
    from streams.identity.quality import format_report, read_truth
    from streams.identity.quality_source import measure

    report = measure(load_settings(), read_truth(truth))
    typer.echo(format_report(report))
    if report.identity.precision < min_precision or report.identity.recall < min_recall:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(identity_app, name="identity")

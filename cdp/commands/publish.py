"""`cdp publish`: import CSV/JSONL exports into Kafka (rejects file + dead-letter topic).

Exit code: 0 nothing rejected, 1 some rows rejected, 2 the import could not run."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table


def register(app: typer.Typer) -> None:
    @app.command("publish")
    def publish(
        files: list[Path] = typer.Argument(None, help="Export files (CSV or JSONL)"),  # noqa: B008
        source: str = typer.Option(
            None,
            "--source",
            help="Source system of FILE... "
            "(billing, orders, erp, hr, pos, web, marketing, "
            "contact_centre, accounting, surveys, external)",
        ),
        directory: Path = typer.Option(
            None,
            "--dir",
            help="Publish every export of "  # noqa: B008
            "`cdp generate` in DIR (sources from the file names)",
        ),
        rejects_dir: Path = typer.Option(
            None,
            "--rejects-dir",  # noqa: B008
            help="Where FILE.rejects.jsonl go (default: beside FILE)",
        ),
        workers: int = typer.Option(1, "--workers", min=1, help="Files published in parallel"),
    ) -> None:
        """Publish source-system exports as touchpoints; bad rows go to a rejects file and the
        dead-letter topic with their reason. Exit 0: all accepted, 1: rows rejected, 2: error."""
        raise typer.Exit(run_publish(files or [], source, directory, rejects_dir, workers))


def run_publish(
    files: list[Path],
    source: str | None,
    directory: Path | None,
    rejects_dir: Path | None,
    workers: int,
) -> int:
    from connectors.publish import (
        PublishError,
        check_inputs,
        check_kafka,
        infer_sources,
        publish_files,
    )
    from core.clock import wall_clock_ms
    from core.settings import load_settings

    err = Console(stderr=True, soft_wrap=True)
    try:
        pairs = _inputs(files, source, directory, infer_sources)
        settings = load_settings()
        check_inputs(pairs)
        check_kafka(settings)
        started = time.monotonic()
        with _progress_bar(pairs) as progress:
            reports = publish_files(
                pairs, settings, wall_clock_ms(), rejects_dir, workers, progress, check=False
            )
    except PublishError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        return 2
    return _summary(reports, time.monotonic() - started, err)


def _inputs(
    files: list[Path], source: str | None, directory: Path | None, infer: object
) -> list[tuple[Path, str]]:
    from connectors.publish import PublishError

    if directory is not None:
        if not directory.is_dir():
            raise PublishError(f"not a directory: {directory}")
        pairs = infer(directory)  # type: ignore[operator]
        if not pairs:
            raise PublishError(f"no source-system exports (<source>.csv/.jsonl) in {directory}")
        return list(pairs) + [(f, source or "") for f in files]
    if not files or not source:
        raise PublishError("give --source SYSTEM FILE... or --dir DIR")
    return [(f, source) for f in files]


class _progress_bar:  # noqa: N801 - used as a context manager
    def __init__(self, pairs: list[tuple[Path, str]]) -> None:
        from connectors.publish import count_rows

        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            transient=False,
        )
        self.tasks = {
            str(p): self.bar.add_task(p.name, total=count_rows(p) if p.is_file() else None)
            for p, _s in pairs
        }

    def __enter__(self) -> _progress_bar:
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def __call__(self, name: str, rows: int) -> None:
        self.bar.advance(self.tasks[name], rows)


def _summary(reports: list, seconds: float, err: Console) -> int:  # type: ignore[type-arg]
    console = Console(soft_wrap=True)
    table = Table("source", "received", "accepted", "rejected")
    table.add_column("reasons", overflow="fold")
    for r in reports:
        table.add_row(
            r.source_system,
            str(r.received),
            str(r.accepted),
            str(r.rejected_total),
            ", ".join(f"{k}={v}" for k, v in sorted(r.rejected.items())),
        )
    received = sum(r.received for r in reports)
    accepted = sum(r.accepted for r in reports)
    rejected = sum(r.rejected_total for r in reports)
    table.add_row("total", str(received), str(accepted), str(rejected), "")
    console.print(table)
    console.print(
        f"received {received} = accepted {accepted} + rejected {rejected} in "
        f"{seconds:.1f}s ({received / max(seconds, 1e-9):,.0f} rows/s)"
    )
    if rejected:
        console.print(
            "rejected rows: " + ", ".join(r.rejects_file for r in reports if r.rejected_total)
        )
    undelivered = sum(r.undelivered for r in reports)
    if undelivered:
        err.print(f"error: {undelivered} messages were not delivered to Kafka", markup=False)
        return 2
    return 1 if rejected else 0

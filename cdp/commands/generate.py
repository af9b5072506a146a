"""`cdp generate`: the synthetic company (every source system's exports + ground truth)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

DAY_MS = 86_400_000


def end_of_day_ms(day: date) -> int:
    """Events fall before midnight UTC at the end of this day."""
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return int(start.timestamp() * 1000) + DAY_MS


def parse_end_date(value: str | None) -> int:
    if not value:
        return end_of_day_ms(datetime.now(UTC).date())
    try:
        return end_of_day_ms(date.fromisoformat(value))
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--end-date") from None


def register(app: typer.Typer) -> None:
    @app.command("generate")
    def generate(
        customers: int = typer.Option(1000, "--customers", min=1, help="Customers to generate"),
        days: int = typer.Option(90, "--days", min=1, help="Days of history"),
        seed: int = typer.Option(1, "--seed", help="Same seed + end date = same output"),
        out: Path = typer.Option(..., "--out", help="Directory for the export files"),  # noqa: B008
        end_date: str = typer.Option(
            None, "--end-date", help="Last day (YYYY-MM-DD, UTC); default today"
        ),
    ) -> None:
        """Generate a synthetic company: each source system's export file, ground_truth.csv
        (true person and household of every event) and summary.json."""
        from connectors.generator import write_company

        console = Console()
        started = time.monotonic()
        summary = write_company(out, customers, days, seed, parse_end_date(end_date))
        table = Table("file", "rows", "duplicates", "bad", title=f"synthetic company in {out}")
        for source in summary["sources"].values():
            table.add_row(
                source["file"], str(source["rows"]), str(source["duplicates"]), str(source["bad"])
            )
        console.print(table)
        console.print(
            f"{summary['people']} people in {summary['households']} households, "
            f"{summary['events']} events ({summary['bad']} bad: "
            f"{summary['bad_by_reason']}), {time.monotonic() - started:.1f}s"
        )

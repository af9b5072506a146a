"""`cdp analytics NAME [--json] [--limit N] [--as-of DATE]`: run one analyst view;
`cdp analytics list`; `cdp analytics clv --calibration-end DATE`; `cdp report --out FILE`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from core.settings import Settings, load_settings
from sinks.analytics import catalogue
from sinks.analytics.runner import Result, plain, run

analytics_app = typer.Typer(
    help="Analyst views over the ClickHouse history (see docs/analytics.md).", no_args_is_help=True
)
console = Console()
JSON = typer.Option(False, "--json", help="Print JSON instead of a table")
LIMIT = typer.Option(None, "--limit", help="At most N rows")
AS_OF = typer.Option(None, "--as-of", help="Evaluate as of this date (YYYY-MM-DD); default today")
OUT = typer.Option(Path("report.html"), "--out", help="HTML file to write")
CALIBRATION_END = typer.Option(None, "--calibration-end", help="CLV calibration end; default as-of")
WITH_CLV = typer.Option(True, "--clv/--no-clv", help="Fit CLV for the report")


@contextmanager
def clickhouse(settings: Settings) -> Iterator[Any]:
    from clickhouse_driver import Client

    client = Client(**settings.clickhouse_kwargs)  # type: ignore[arg-type]
    try:
        yield client
    finally:
        client.disconnect()


def analytics_result(
    settings: Settings, name: str, params: dict[str, object] | None = None, limit: int | None = None
) -> Result:
    with clickhouse(settings) as client:
        return run(client, settings.clickhouse_database, name, params, limit)


def print_result(result: Result, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(result.jsonable(), indent=2, default=str))
        return
    table = Table(title=f"{result.name} ({len(result.rows)} rows)")
    for i, column in enumerate(result.columns):
        table.add_column(column, overflow="fold", no_wrap=i == 0)
    for row in result.rows:
        table.add_row(*(_cell(v) for v in row))
    console.print(table)


def _cell(value: Any) -> str:
    value = plain(value)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


def _fail(message: str, code: int = 2) -> typer.Exit:
    Console(stderr=True).print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code)


def _register_view(view: catalogue.View) -> None:
    has_days = "days" in view.params

    def command(
        as_json: bool = JSON,
        limit: int | None = LIMIT,
        as_of: str | None = AS_OF,
        days: int = typer.Option(14, "--days", help="Days after a complaint", hidden=not has_days),
    ) -> None:
        params: dict[str, object] = {"as_of": as_of, "days": days if has_days else None}
        try:
            result = analytics_result(load_settings(), view.name, params, limit)
        except ValueError as exc:
            raise _fail(str(exc)) from None
        print_result(result, as_json)

    analytics_app.command(
        view.name, help=f"{view.title}: {view.description}", short_help=view.title
    )(command)


@analytics_app.command("list")
def list_command(as_json: bool = JSON) -> None:
    """Every analysis with its parameters and definition."""
    views = catalogue.views().values()
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "name": v.name,
                        "title": v.title,
                        "params": list(v.params),
                        "description": v.description,
                    }
                    for v in views
                ],
                indent=2,
            )
        )
        return
    table = Table(title="cdp analytics NAME")
    for column in ("name", "params", "definition"):
        table.add_column(column, overflow="fold")
    for v in views:
        table.add_row(v.name, ", ".join(v.params), v.description)
    table.add_row("clv", "calibration_end", "BG/NBD + Gamma-Gamma lifetime value (pymc-marketing)")
    console.print(table)


def clv_result(
    settings: Settings,
    calibration_end: str,
    months: int = 12,
    discount_rate: float = 0.01,
    top: int = 20,
) -> Any:
    from sinks.analytics.clv import ClvOptions, fit
    from sinks.analytics.clv_summary import load_summary

    with clickhouse(settings) as client:
        customers = load_summary(client, settings.clickhouse_database, calibration_end)
    return fit(customers, calibration_end, ClvOptions(months, discount_rate, top))


@analytics_app.command("clv")
def clv_command(
    calibration_end: str = typer.Option(..., "--calibration-end", help="Last day of history used"),
    months: int = typer.Option(12, "--months", help="CLV horizon in months"),
    discount_rate: float = typer.Option(0.01, "--discount-rate", help="Monthly discount rate"),
    top: int = typer.Option(20, "--limit", help="Top customers to list"),
    as_json: bool = JSON,
) -> None:
    """Customer lifetime value: BG/NBD + Gamma-Gamma (pymc-marketing, MAP fit)."""
    from sinks.analytics.clv import ClvDataError, ClvUnavailable

    try:
        result = clv_result(load_settings(), calibration_end, months, discount_rate, top)
    except (ClvUnavailable, ClvDataError, ValueError) as exc:
        raise _fail(str(exc)) from None
    if as_json:
        typer.echo(json.dumps(result.jsonable(), indent=2))
        return
    _print_clv(result)


def _print_clv(result: Any) -> None:
    console.print(
        f"[bold]CLV[/bold] calibration end {result.calibration_end}: "
        f"{result.customers} customers, {result.repeat_customers} repeat; "
        f"horizon {result.months} months, discount {result.discount_rate}/month"
    )
    console.print(f"BG/NBD: {result.bg_nbd}")
    console.print(f"Gamma-Gamma: {result.gamma_gamma}")
    console.print(f"distribution: {result.distribution}; total {result.total_clv:,.2f}")
    table = Table(title="top customers")
    for column in result.top_customers[0] if result.top_customers else []:
        table.add_column(column)
    for rec in result.top_customers:
        table.add_row(*(str(v) for v in rec.values()))
    console.print(table)


def build_report(
    settings: Settings,
    out: Path,
    as_of: str | None = None,
    calibration_end: str | None = None,
    with_clv: bool = True,
) -> Path:
    from sinks.analytics.report import ReportData, collect, render

    with clickhouse(settings) as client:
        results = collect(client, settings.clickhouse_database, as_of)
    data = ReportData(
        settings.clickhouse_database,
        as_of,
        results,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )
    if with_clv:
        end = calibration_end or as_of or datetime.now(UTC).date().isoformat()
        try:
            data.clv = clv_result(settings, end)
        except (ImportError, RuntimeError, ValueError) as exc:
            data.clv_note = str(exc)
    else:
        data.clv_note = "skipped (--no-clv)"
    out.write_text(render(data), encoding="utf-8")
    return out


def register(app: typer.Typer) -> None:
    for view in catalogue.views().values():
        _register_view(view)
    app.add_typer(analytics_app, name="analytics")

    @app.command("report")
    def report_command(
        out: Path = OUT,
        as_of: str | None = AS_OF,
        calibration_end: str | None = CALIBRATION_END,
        clv: bool = WITH_CLV,
    ) -> None:
        """Write the analyses as one self-contained HTML report with charts."""
        path = build_report(load_settings(), out, as_of, calibration_end, clv)
        console.print(f"report written to {path}")

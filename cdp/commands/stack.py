"""`cdp stack up|down|status`: the embedded stack under the state dir (default .cdp)."""

from __future__ import annotations

from pathlib import Path

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from cdp import services
from cdp.stack import Endpoints, Stack, StackConfig, StackError, StatusRow
from core.settings import load_settings

stack_app = typer.Typer(
    help="Start, stop and inspect the embedded stack (Kafka, Redis, ClickHouse).",
    no_args_is_help=True,
)
STATE_DIR = typer.Option(None, "--state-dir", help="Default: $CDP_STATE_DIR or .cdp")


def _stack(state_dir: Path | None, console: Console) -> Stack:
    try:
        directory = state_dir or load_settings().state_dir
        config = StackConfig()
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        raise _fail(StackError(f"invalid setting {where}: {problem['msg']}")) from None
    return Stack(directory, config, notify=lambda msg: console.print(f"[yellow]{msg}"))


def _fail(exc: StackError) -> typer.Exit:
    Console(stderr=True, soft_wrap=True).print(f"error: {exc}", markup=False, highlight=False)
    return typer.Exit(1)


def _print_endpoints(console: Console, endpoints: Endpoints, env_file: Path) -> None:
    for name, value in endpoints.env().items():
        console.print(f"{name}={value}", markup=False, highlight=False)
    console.print(f"endpoints written to {env_file}", markup=False, highlight=False)


@stack_app.command()
def up(state_dir: Path | None = STATE_DIR) -> None:
    """Start Kafka (Tansu), Redis and ClickHouse if not running; print their endpoints."""
    console = Console(soft_wrap=True)
    stack = _stack(state_dir, console)
    try:
        endpoints = stack.up()
    except StackError as exc:
        raise _fail(exc) from None
    _print_endpoints(console, endpoints, stack.paths.env_file)


@stack_app.command()
def down(
    state_dir: Path | None = STATE_DIR,
    purge: bool = typer.Option(False, "--purge", help="Also delete the stack's data and logs"),
) -> None:
    """Stop the services this state dir started."""
    console = Console(soft_wrap=True)
    stack = _stack(state_dir, console)
    if services.stop(stack.paths.state_dir):
        console.print("stopped: cdp run all (identity, profiles, history, api)")
    try:
        stopped = stack.down(purge=purge)
    except StackError as exc:
        raise _fail(exc) from None
    console.print(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")


def status_table(rows: list[StatusRow]) -> Table:
    table = Table("service", "endpoint", "pid", "health", "detail")
    for row in rows:
        health = "[green]up" if row.healthy else "[red]down"
        table.add_row(row.name, row.endpoint, str(row.pid or "-"), health, row.detail)
    return table


@stack_app.command()
def status(state_dir: Path | None = STATE_DIR) -> None:
    """Show each service, its endpoint, PID and health, the processors' consumer lag; exit 1
    if anything is down."""
    console = Console(soft_wrap=True)
    stack = _stack(state_dir, console)
    rows = stack.status()
    console.print(status_table(rows))
    if stack.endpoints() is not None:
        console.print(lag_table(stack))
    if not all(row.healthy for row in rows):
        raise typer.Exit(1)


def lag_table(stack: Stack) -> Table:
    """Consumer lag per processor (messages not yet processed), and the services' supervisor."""
    from core.lag import all_lags

    pid = services.running_pid(stack.paths.state_dir)
    title = f"processors (cdp run all: {'pid ' + str(pid) if pid else 'not running'})"
    table = Table("consumer group", "topic", "lag", "log end", title=title)
    try:
        lags = all_lags(load_settings())
    except Exception as exc:  # Kafka down: the health rows above already say so
        table.add_row("-", "-", f"unavailable: {type(exc).__name__}", "-")
        return table
    for lag in lags:
        table.add_row(lag.group, lag.topic, f"{lag.lag:,}", f"{lag.end:,}")
    return table


def register(app: typer.Typer) -> None:
    app.add_typer(stack_app, name="stack")

"""`cdp demo` (what `make demo` runs): stack up -> init -> start every processor and the API ->
generate a synthetic company -> publish it (file connector + HTTP collector) -> wait until the
pipeline caught up -> show one customer, contact decisions and analyst queries."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import typer
from rich.console import Console

from core.settings import Settings, load_settings, to_env

console = Console()
DEMO_KEY = "demo-key"


def step(title: str) -> None:
    console.rule(f"[bold cyan]{title}")


def stack_up() -> Settings:
    from cdp.stack import Stack, StackError

    try:
        endpoints = Stack(load_settings().state_dir).up()
    except StackError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    for name, value in endpoints.env().items():
        console.print(f"  {name}={value}")
    return load_settings(api_keys={DEMO_KEY: ["ingest", "read", "admin"]})


def start_services(settings: Settings) -> str:
    from cdp import services

    pid = services.start(settings.state_dir.resolve(), to_env(settings))
    api = f"http://{settings.api_host}:{settings.api_port}"
    console.print(f"  cdp run all: pid {pid}, log {settings.state_dir / services.LOG_FILE}")
    wait_healthy(api)
    return api


def wait_healthy(api: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{api}/healthz", timeout=2).status_code == 200:
                console.print(f"  API healthy at {api}")
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    console.print(f"[red]the API did not become healthy at {api}; see the services log[/red]")
    raise typer.Exit(1)


def generate(settings: Settings, customers: int, days: int, seed: int) -> Path:
    from connectors.generator import write_company

    out = settings.state_dir / "demo" / "company"
    # the start of this hour: a second run within the hour generates the same company (its
    # publish is a replay); a later run generates another company, with other event ids
    end_ms = int(time.time()) // 3600 * 3_600_000
    summary = write_company(out, customers, days, seed, end_ms)
    totals = summary
    console.print(
        f"  {out}: {totals['rows']:,} rows, {totals['bad']:,} deliberately bad, "
        f"{totals['duplicates']:,} duplicates"
    )
    return out


def publish(settings: Settings, company: Path, api: str) -> None:
    from cdp.demo import traffic

    files, web = traffic.split_files(company)
    reports = traffic.publish(files, settings)
    received = sum(r.received for r in reports)
    accepted = sum(r.accepted for r in reports)
    console.print(
        f"  file connector: received {received:,} = accepted {accepted:,} + "
        f"rejected {received - accepted:,} (rejects files beside the exports)"
    )
    if web is not None:
        totals = traffic.collect(web, api, DEMO_KEY)
        console.print(
            f"  HTTP collector ({web.name}): received {totals['received']:,} = "
            f"accepted {totals['accepted']:,} + rejected {totals['rejected']:,}"
        )


def next_steps(api: str) -> None:
    step("Try next")
    console.print(f"""  API docs:        {api}/docs
  a profile:       curl -H 'X-API-Key: {DEMO_KEY}' {api}/v1/profiles/email/<an e-mail above>
  metrics:         curl {api}/metrics
  CLI:             .venv/bin/cdp profile get email <an e-mail above>
                   .venv/bin/cdp analytics list ; .venv/bin/cdp report --out report.html
                   .venv/bin/cdp stack status
  stop everything: .venv/bin/cdp stack down""")


def explain_stall(settings: Settings, log_start: int) -> None:
    from cdp.demo.catchup import behind, last_failure
    from cdp.services import LOG_FILE
    from core.lag import all_lags

    console.print("[yellow]the pipeline has not caught up; showing what is there[/yellow]")
    for line in behind(all_lags(settings)):
        console.print(f"  {line}")
    log = settings.state_dir / LOG_FILE
    failure = last_failure(log, since=log_start)
    if failure:
        console.print(f"  last failure in {log}: {failure}")


def run_demo(customers: int, days: int, seed: int) -> None:
    from cdp.commands.init import run_init
    from cdp.demo.catchup import log_size, wait_caught_up
    from cdp.demo.showcase import showcase
    from cdp.services import LOG_FILE

    step("1/6 embedded stack")
    settings = stack_up()
    step("2/6 cdp init")
    run_init(settings)
    step("3/6 processors and API (cdp run all)")
    log_start = log_size(settings.state_dir / LOG_FILE)
    api = start_services(settings)
    step(f"4/6 a synthetic company: {customers:,} customers, {days} days")
    company = generate(settings, customers, days, seed)
    step("5/6 publishing")
    publish(settings, company, api)
    if not wait_caught_up(settings):
        explain_stall(settings, log_start)
    step("6/6 one customer, seen by every department")
    showcase(settings, api, DEMO_KEY)
    next_steps(api)


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo_command(
        customers: int = typer.Option(2000, help="Customers in the synthetic company"),
        days: int = typer.Option(90, help="Days of history"),
        seed: int = typer.Option(7, help="Random seed"),
    ) -> None:
        """The whole pipeline on the embedded stack with a synthetic company."""
        run_demo(customers, days, seed)

"""Every history migration plus every analyst view on current ClickHouse (chdb, in-process),
queried on a small hand-made history with known answers. The same dataset and expectations run
on ClickHouse 18.16 in tests/integration/test_analytics.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sinks.analytics import catalogue
from sinks.analytics.apply import apply_views
from sinks.analytics.clv_summary import load_summary
from sinks.analytics.runner import query_sql, run
from sinks.history.migrate import migrate
from tests.unit.analytics_data import AS_OF, insert_dataset
from tests.unit.analytics_expected import EXPECTED, assert_matches
from tests.unit.chdb_client import ChdbClient

chdb_session = pytest.importorskip("chdb.session")

DB = "cdp_analytics"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChdbClient]:
    session = chdb_session.Session(str(tmp_path_factory.mktemp("chdb_views")))
    ch = ChdbClient(session)
    migrate(ch, DB)
    apply_views(ch, DB)
    insert_dataset(ch, DB)
    try:
        yield ch
    finally:
        session.close()


def test_every_view_is_created(client: ChdbClient) -> None:
    tables = {r[0] for r in client.execute(f"SHOW TABLES FROM {DB}")}
    assert set(catalogue.views()) <= tables
    assert set(EXPECTED) == set(catalogue.views())


def test_apply_views_is_repeatable(client: ChdbClient) -> None:
    assert apply_views(client, DB) == list(catalogue.views())


@pytest.mark.parametrize("name", list(EXPECTED))
def test_analysis_as_of_date_returns_the_hand_worked_rows(client: ChdbClient, name: str) -> None:
    result = run(client, DB, name, {"as_of": AS_OF})
    assert_matches(result.records(), EXPECTED[name])


@pytest.mark.parametrize("name", list(EXPECTED))
def test_the_created_view_answers_like_the_inlined_query(client: ChdbClient, name: str) -> None:
    """The view (as_of = today()) and the inlined SELECT with as_of = today agree."""
    today = client.execute("SELECT today()")[0][0].isoformat()
    by_view = run(client, DB, name)
    inlined = run(client, DB, name, {"as_of": today})
    assert "FROM (" in query_sql(name, DB, {"as_of": today})
    assert by_view.columns == inlined.columns
    assert by_view.rows == inlined.rows


def test_today_includes_the_order_after_as_of(client: ChdbClient) -> None:
    p4 = [r for r in run(client, DB, "customer_360").records() if r["profile_id"] == "P4"][0]
    assert (p4["orders"], p4["revenue"]) == (2, 80)


def test_conflict_window_is_a_parameter(client: ChdbClient) -> None:
    wide = run(client, DB, "complaint_offer_conflicts", {"as_of": AS_OF, "days": 30}).records()
    assert [r["offer_event_id"] for r in wide] == ["p1-m1", "p1-m2"]
    assert wide[1]["days_after_complaint"] == pytest.approx(19.12, abs=0.01)
    none = run(client, DB, "complaint_offer_conflicts", {"as_of": AS_OF, "days": 3}).records()
    assert none == []


def test_limit_and_json_friendly_values(client: ChdbClient) -> None:
    result = run(client, DB, "customer_360", {"as_of": AS_OF}, limit=2)
    assert [r["profile_id"] for r in result.records()] == ["P1", "P2"]
    first = result.jsonable()[0]
    assert first["first_seen"] == "2024-01-05T09:00:00"
    assert first["active_products"] == ["car_basic"]


def test_clv_summary_follows_the_repeat_purchase_convention(client: ChdbClient) -> None:
    rows = {c.profile_id: c for c in load_summary(client, DB, AS_OF)}
    assert set(rows) == {"P1", "P2", "P4", "P5"}
    p1 = rows["P1"]  # purchase days 01-10 (30), 06-20 (100), 06-25 (50, merged P1b)
    assert (p1.frequency, p1.recency, p1.T) == (2.0, 167.0, 172.0)
    assert p1.monetary_value == pytest.approx(75.0)
    assert (rows["P2"].frequency, rows["P2"].monetary_value, rows["P2"].T) == (0.0, 0.0, 121.0)
    p5 = rows["P5"]
    assert (p5.frequency, p5.recency, p5.monetary_value) == (1.0, 62.0, 200.0)


def test_report_renders_every_chart_from_the_views(client: ChdbClient) -> None:
    from sinks.analytics.report import ReportData, collect, render, rfm_grid

    results = collect(client, DB, AS_OF)
    grid = rfm_grid(results["rfm_segments"])
    assert grid[5 - 4][0] == 1  # P4: R=4, F=1
    assert sum(map(sum, grid)) == 4
    html = render(ReportData(DB, AS_OF, results, clv_note="not installed", generated="now"))
    for chart in ("rfm", "segments", "clv", "channels", "sources", "ageing"):
        assert f'id="chart-{chart}"' in html
    assert html.count("<svg") == 5  # CLV has no chart without a fit
    assert "p1-m1" in html and "acq_summer" in html and "not installed" in html
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")

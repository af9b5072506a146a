"""The view catalogue: templates, parameters, dependency inlining (no database needed)."""

from __future__ import annotations

import pytest

from sinks.analytics import catalogue
from sinks.analytics.charts import bar_chart, hbar_chart, heatmap
from sinks.analytics.clv import distribution, histogram


def test_views_are_numbered_and_dependencies_come_first() -> None:
    views = list(catalogue.views().values())
    assert [v.number for v in views] == sorted(v.number for v in views)
    seen: set[str] = set()
    for view in views:
        assert set(view.dependencies) <= seen, view.name
        seen.add(view.name)


def test_every_view_documents_itself() -> None:
    for view in catalogue.views().values():
        assert view.title and len(view.description) > 40, view.name
        assert "as_of" in view.params, view.name


def test_create_sql_uses_defaults_and_named_views() -> None:
    sql = catalogue.create_sql(catalogue.get("payment_behaviour"), "db1")
    assert sql.startswith("CREATE VIEW IF NOT EXISTS db1.payment_behaviour AS")
    assert "FROM db1.invoice_status" in sql
    assert "{" not in sql.replace("{view", "")


def test_inline_sql_carries_parameters_into_dependencies() -> None:
    sql = catalogue.inline_sql(catalogue.get("rfm_segments"), "db1", {"as_of": "2024-06-30"})
    assert "db1.rfm_base" not in sql
    assert sql.count("toDate('2024-06-30')") >= 4
    assert "today()" not in sql


@pytest.mark.parametrize(
    "bad", [{"as_of": "2024-13-01"}, {"as_of": "x'); DROP"}, {"days": "-1"}, {"days": "1; DROP"}]
)
def test_parameters_are_validated(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        catalogue.inline_sql(catalogue.get("complaint_offer_conflicts"), "db1", bad)


def test_unknown_analysis_is_named() -> None:
    with pytest.raises(KeyError, match="customer_360"):
        catalogue.get("nope")


def test_charts_are_self_contained_svg() -> None:
    svg = bar_chart("t <x>", ["a", "b"], {"s1": [1.0, 2.0], "s2": [0.0, 5.0]})
    assert svg.startswith("<svg") and "t &lt;x&gt;" in svg and svg.count("<rect") == 6
    assert hbar_chart("h", ["a"], [3.0], suffix="%").count("3%") == 1
    grid = heatmap("g", [[1, 2], [3, 4]], ["r1", "r2"], ["c1", "c2"], "x", "y")
    assert grid.count("<rect") == 4


def test_clv_distribution_helpers() -> None:
    values = [float(v) for v in range(100)]
    hist = histogram(values, bins=10)
    assert sum(h["customers"] for h in hist) == 100 and hist[0]["low"] == 0
    dist = distribution(values)
    assert dist["p50"] == 50 and dist["max"] == 99 and dist["mean"] == 49.5

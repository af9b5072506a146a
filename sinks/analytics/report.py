"""`cdp report`: the analyses as one self-contained HTML file (inline SVG charts, no scripts,
no external assets). ``collect`` queries ClickHouse; ``render`` is pure (results in, HTML out)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any

from sinks.analytics import charts
from sinks.analytics.clv import ClvResult
from sinks.analytics.runner import Queries, Result, plain, run

SECTIONS = (
    "rfm_segments",
    "channel_mix",
    "source_coverage",
    "receivables_ageing",
    "department_coverage_summary",
    "customer_profitability",
    "complaint_offer_conflicts",
    "suppression_list",
)
BUCKETS = ("0-30", "31-60", "61-90", "90+")
TABLE_ROWS = 15


@dataclass
class ReportData:
    database: str
    as_of: str | None
    results: dict[str, Result]
    clv: ClvResult | None = None
    clv_note: str = ""
    generated: str = ""
    counts: dict[str, int] = field(default_factory=dict)


def collect(client: Queries, database: str, as_of: str | None = None) -> dict[str, Result]:
    params = {"as_of": as_of} if as_of else None
    return {name: run(client, database, name, params) for name in SECTIONS}


def rfm_grid(result: Result) -> list[list[float]]:
    """Customers per (R, F) score: rows R 5..1 (best on top), columns F 1..5."""
    grid = [[0.0] * 5 for _ in range(5)]
    for rec in result.records():
        grid[5 - int(rec["r_score"])][int(rec["f_score"]) - 1] += 1
    return grid


def segment_counts(result: Result) -> dict[str, int]:
    counts: dict[str, int] = {}
    for rec in result.records():
        counts[rec["segment"]] = counts.get(rec["segment"], 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def _figure(chart_id: str, caption: str, svg: str) -> str:
    return f'<figure id="chart-{chart_id}">{svg}<figcaption>{escape(caption)}</figcaption></figure>'


def _rfm(data: ReportData) -> str:
    rfm = data.results["rfm_segments"]
    labels = [str(i) for i in range(1, 6)]
    grid = charts.heatmap(
        "RFM grid: buyers per recency x frequency score",
        rfm_grid(rfm),
        labels[::-1],
        labels,
        "frequency score (F)",
        "recency score (R)",
    )
    segments = segment_counts(rfm)
    bars = charts.hbar_chart("Buyers per RFM segment", list(segments), list(segments.values()))
    return _figure(
        "rfm", "Scores 1-5 from percent ranks; 5 = most recent / most frequent.", grid
    ) + _figure("segments", "Segment rules: see docs/analytics.md.", bars)


def _clv(data: ReportData) -> str:
    if data.clv is None:
        return (
            f'<figure id="chart-clv"><p class="note">CLV not computed: '
            f"{escape(data.clv_note or 'disabled')}</p></figure>"
        )
    hist = data.clv.histogram
    svg = charts.bar_chart(
        f"CLV distribution ({data.clv.months} months, BG/NBD + Gamma-Gamma)",
        [_short(h["low"]) for h in hist],
        {"customers": [float(h["customers"]) for h in hist]},
    )
    params = ", ".join(f"{k}={v:g}" for k, v in {**data.clv.bg_nbd, **data.clv.gamma_gamma}.items())
    caption = (
        f"Calibration end {data.clv.calibration_end}; {data.clv.customers} customers; "
        f"total CLV {data.clv.total_clv:,.2f}; fitted parameters: {params}."
    )
    return _figure("clv", caption, svg) + _table(
        "Top customers by CLV", data.clv.top_customers[:TABLE_ROWS]
    )


def _short(value: float) -> str:
    return f"{value / 1000:.1f}k" if value >= 1000 else f"{value:.0f}"


def _channels(data: ReportData) -> str:
    recs = data.results["channel_mix"].records()
    svg = charts.bar_chart(
        "Channel mix: contacts out and in, responses",
        [r["channel"] for r in recs],
        {
            "outbound": [float(r["outbound"]) for r in recs],
            "inbound": [float(r["inbound"]) for r in recs],
            "responded": [float(r["responded"]) for r in recs],
        },
    )
    rates = "; ".join(
        f"{r['channel']} {100 * r['response_rate']:.0f}% (preferred by {r['preferred_by']})"
        for r in recs
    )
    return _figure("channels", f"Response rate per channel: {rates}.", svg)


def _sources(data: ReportData) -> str:
    recs = data.results["source_coverage"].records()
    svg = charts.hbar_chart(
        "Source coverage: share of current customers each system knows",
        [r["source_system"] for r in recs],
        [100 * float(r["customer_share"]) for r in recs],
        suffix="%",
    )
    return _figure(
        "sources",
        "A customer counts for every source system that sent an event "
        "about them (after identity resolution).",
        svg,
    )


def _ageing(data: ReportData) -> str:
    by_bucket = {r["ageing_bucket"]: r for r in data.results["receivables_ageing"].records()}
    svg = charts.bar_chart(
        "Receivables ageing: open amount by days since invoice",
        list(BUCKETS),
        {
            "open": [_amount(by_bucket, b, "open_amount") for b in BUCKETS],
            "overdue": [_amount(by_bucket, b, "overdue_amount") for b in BUCKETS],
        },
    )
    return _figure(
        "ageing", "Open invoices as of the report date; overdue = past the due date.", svg
    )


def _amount(by_bucket: dict[str, dict[str, Any]], bucket: str, column: str) -> float:
    return float(by_bucket.get(bucket, {}).get(column, 0))


def _tiles(data: ReportData) -> str:
    cov = (data.results["department_coverage_summary"].records() or [{}])[0]
    open_total = sum(float(r["open_amount"]) for r in data.results["receivables_ageing"].records())
    tiles = {
        "customers (any department)": cov.get("customers", 0),
        "served by 2+ departments": cov.get("multi_department_customers", 0),
        "approached blind by a department": cov.get("blind_contact_customers", 0),
        "offers within 14 days of a complaint": len(data.results["complaint_offer_conflicts"].rows),
        "customers on acquisition lists": len(data.results["suppression_list"].rows),
        "open receivables": f"{open_total:,.2f}",
    }
    return (
        '<div class="tiles">'
        + "".join(
            f'<div class="tile"><b>{escape(str(v))}</b><span>{escape(k)}</span></div>'
            for k, v in tiles.items()
        )
        + "</div>"
    )


def _table(title: str, records: list[dict[str, Any]]) -> str:
    if not records:
        return f"<h3>{escape(title)}</h3><p class='note'>none</p>"
    cols = list(records[0])
    head = "".join(f"<th>{escape(c)}</th>" for c in cols)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(_cell(r[c]))}</td>" for c in cols) + "</tr>" for r in records
    )
    return f"<h3>{escape(title)}</h3><table><tr>{head}</tr>{rows}</table>"


def _cell(value: Any) -> str:
    value = plain(value)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return f"{value:,.2f}" if isinstance(value, float) else str(value)


def _head_records(data: ReportData, name: str) -> list[dict[str, Any]]:
    return data.results[name].records()[:TABLE_ROWS]


STYLE = """body{font-family:sans-serif;margin:2em auto;max-width:1100px;color:#222}
figure{display:inline-block;vertical-align:top;margin:1em}figcaption{font-size:12px;color:#555;
max-width:640px}.tiles{display:flex;flex-wrap:wrap;gap:10px}.tile{border:1px solid #ddd;
padding:10px;min-width:150px}.tile b{display:block;font-size:22px}.tile span{font-size:12px}
table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ddd;padding:3px 6px}
.note{color:#a55}"""


def render(data: ReportData) -> str:
    as_of = data.as_of or "today"
    parts = [
        f"<h1>Customer analytics: {escape(data.database)}</h1>",
        f"<p>As of {escape(as_of)}. Generated {escape(data.generated)}.</p>",
        _tiles(data),
        "<h2>RFM</h2>",
        _rfm(data),
        "<h2>Lifetime value</h2>",
        _clv(data),
        "<h2>Channels</h2>",
        _channels(data),
        "<h2>Source coverage</h2>",
        _sources(data),
        "<h2>Payment ageing</h2>",
        _ageing(data),
        "<h2>Lists</h2>",
        _table("Complaint-then-offer conflicts", _head_records(data, "complaint_offer_conflicts")),
        _table(
            "Suppression list (existing customers on acquisition lists)",
            _head_records(data, "suppression_list"),
        ),
        _table("Most profitable customers", _head_records(data, "customer_profitability")),
    ]
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>CDP analytics report</title>"
        f"<style>{STYLE}</style></head><body>{''.join(parts)}</body></html>"
    )

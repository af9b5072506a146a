"""The fused fast path against the path before it on arbitrary rows (hypothesis), per mapping:
real rows of a generated company with cells replaced by wrong types, empty and blank cells,
oversized and non-ASCII text, times around the future limit, bad identifiers, unknown values,
extra, missing, reordered, unknown and repeated columns. Each row must give the old outcome:
the same key and bytes, the same rejection (reason and detail), or the same exception."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.file_import import data_rows
from connectors.formats import PARSERS, TIME_FORMATTERS
from connectors.generator import file_name, write_company
from connectors.mapping import FIELD, Mapping, available_sources, load_mapping
from connectors.validate.limits import MAX_EVENT_BYTES, MAX_FUTURE_MS
from tests.unit.fused_oracle import END_MS, NOW, new_outcomes, old_outcomes

CHECKS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
NASTY = [
    "",
    " ",
    "   ",
    "\t",
    "\u00a0",
    "gestern",
    "-1",
    "0",
    "+7",
    "1_000",
    "12",
    "3.5",
    "1,5",
    "1.234,56",
    "1e308",
    "-1e308",
    "1e309",
    "nan",
    "inf",
    "9" * 25,
    "99999999999999999999",
    "a@b",
    "a@b.de",
    " A@B.DE ",
    "x(at)y.de",
    "+49 30 1234567",
    "030 1234567",
    "0049-151-1",
    "12",
    "+",
    "ck_1",
    " ck 1 ",
    "EUR",
    "eur",
    "EURO",
    "E1",
    "call",
    "page_view",
    "phone",
    "email",
    "inbound",
    "store",
    "all",
    "granted",
    "open",
    "xx",
    "Ä",
    "ß",
    "Straße 1",
    "x" * 4096,
    "x" * 4097,
    "é" * 2048,
    "é" * 2049,
    "€" * 1366,
    "€" * 1365 + "xx",
    "2099-01-01T00:00:00Z",
    "1969-12-31T23:59:59Z",
    "1970-01-01",
    "2025-02-30",
    "2024-10-03T10:00:00+02:00",
    "2024-10-03 10:00:00",
    "2024-10-03T10:00:00",
    "31.12.2099 23:59:59",
    "31.12.1969 23:59:59",
    "03.10.2024 08:01:37",
    "03.10.2024",
    "3.10.2024",
    "03-10-2024",
    "17.10.2024",
    "-5",
    "2147483648",
    "2147483647",
    "1735689600000",
    "-1735689600000",
    "true",
    "null",
]


@pytest.fixture(scope="module")
def pools(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Any]]:
    out = tmp_path_factory.mktemp("company")
    write_company(out, 120, 20, 5, END_MS)
    rows = {}
    for source in available_sources():
        with (out / file_name(source)).open(encoding="utf-8-sig", newline="") as fh:
            _header, data = data_rows(fh, load_mapping(source))
            rows[source] = [r for r in data if isinstance(r, list | dict)]
    return rows


def _time_column(mapping: Mapping) -> tuple[str, str]:
    for column, actions in mapping.columns.items():
        for kind, name, parser, _values in actions:
            if kind == FIELD and name == "event_time":
                return column, next(n for n, p in PARSERS.items() if p is parser)
    raise AssertionError("no event_time column")


def _times(mapping: Mapping) -> list[Any]:
    """event_time spellings around the future limit (and before 1970)."""
    _column, parser = _time_column(mapping)
    write = TIME_FORMATTERS[parser]
    limit = NOW + MAX_FUTURE_MS
    return [write(limit + d) for d in (-86_400_000, -1000, -1, 0, 1, 1000, 86_400_000)]


def _cells(source: str, pool: list[Any]) -> st.SearchStrategy[Any]:
    seen = sorted({str(v) for row in pool[:200] for v in _values(row)})
    return st.one_of(
        st.sampled_from(seen),
        st.sampled_from(NASTY),
        st.text(st.characters(blacklist_characters="\x00"), max_size=12),
    )


def _values(row: Any) -> list[Any]:
    return list(row.values()) if isinstance(row, dict) else list(row)


IDENTIFIERS = [
    "",
    "   ",
    "a@b",
    "A@B.DE",
    " a@b.de ",
    "a@@b.de",
    "+49 30 1234567",
    "(030) 1234 567",
    "0049-30-1234567",
    "+4930",
    "12345",
    "030",
    "abc",
    "ck 1",
    "ﬁ",
    "Straße",
    "x" * 4097,
]
LONG = ["x" * 4096, "x" * 4097, "€" * 1365, "€" * 1366, "é" * 2048, "é" * 4096, "\x01" * 4096]


MIXED = ("cell", "cell", "time", "identifier", "long")
EDGES = ("time", "identifier", "long")


def _mutation(
    draw: st.DrawFn, source: str, pool: list[Any], kinds: tuple[str, ...]
) -> tuple[str, Any]:
    """(column, new value): a cell of any kind, or a time around the future limit, an odd
    identifier, a long text in the column that takes it."""
    mapping = load_mapping(source)
    columns = list(mapping.columns)
    kind = draw(st.sampled_from(kinds))
    if kind == "time":
        return _time_column(mapping)[0], draw(st.sampled_from(_times(mapping)))
    if kind == "identifier":
        idents = [c for c, acts in mapping.columns.items() if any(a[0] != FIELD for a in acts)]
        return draw(st.sampled_from(idents or columns)), draw(st.sampled_from(IDENTIFIERS))
    value = draw(st.sampled_from(LONG)) if kind == "long" else draw(_cells(source, pool))
    return draw(st.sampled_from(columns)), value


@st.composite
def csv_text(draw: st.DrawFn, source: str, pool: list[Any], edges: bool) -> str:
    mapping = load_mapping(source)
    header = list(mapping.columns)
    cells = list(draw(st.sampled_from(pool)))
    for _ in range(draw(st.integers(1, 2) if edges else st.integers(0, 6))):
        column, value = _mutation(draw, source, pool, EDGES if edges else MIXED)
        cells[header.index(column)] = value if isinstance(value, str) else str(value)
    if edges:
        return _csv(mapping, [header, cells])
    order = draw(st.permutations(range(len(header)))) if draw(st.booleans()) else None
    if order is not None:
        header, cells = [header[i] for i in order], [cells[i] for i in order]
    shape = draw(st.sampled_from(["same"] * 6 + ["extra", "short", "unknown", "twice"]))
    if shape == "extra":
        cells.append(draw(_cells(source, pool)))
    elif shape == "short":
        cells = cells[: draw(st.integers(1, len(cells) - 1))]
    elif shape in ("unknown", "twice"):
        header.append("legacy" if shape == "unknown" else header[0])
        cells.append(draw(_cells(source, pool)))
    return _csv(mapping, [header, cells])


def _csv(mapping: Mapping, rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=mapping.delimiter, lineterminator="\n").writerows(rows)
    return buf.getvalue()


_json_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.sampled_from([0, 1, -1, NOW, NOW + MAX_FUTURE_MS, NOW + MAX_FUTURE_MS + 1, 2**63]),
    st.floats(allow_nan=True),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@st.composite
def json_text(draw: st.DrawFn, source: str, pool: list[Any], edges: bool) -> str:
    row = dict(draw(st.sampled_from(pool)))
    actions = ["mutation"] if edges else ["mutation", "mutation", "json", "delete", "unknown"]
    for _ in range(draw(st.integers(1, 2) if edges else st.integers(0, 6))):
        column, value = _mutation(draw, source, pool, EDGES if edges else MIXED)
        action = draw(st.sampled_from(actions))
        if action == "delete":
            row.pop(column, None)
        elif action == "unknown":
            row["legacy"] = value
        else:
            row[column] = draw(_json_values) if action == "json" else value
    if draw(st.booleans()):
        keys = draw(st.permutations(list(row)))
        row = {k: row[k] for k in keys}
    return json.dumps(row) + "\n"


def rows_text(source: str, pool: list[Any], edges: bool) -> st.SearchStrategy[str]:
    if load_mapping(source).format == "csv":
        return csv_text(source, pool, edges)
    return json_text(source, pool, edges)


@pytest.mark.parametrize("source", available_sources())
@CHECKS
@given(data=st.data())
def test_arbitrary_rows_have_their_old_outcome(pools, source: str, data: st.DataObject) -> None:
    text = data.draw(rows_text(source, pools[source], edges=False))
    mapping = load_mapping(source)
    new, _answered = new_outcomes(text, mapping)
    assert new == old_outcomes(text, mapping)


@pytest.mark.parametrize("source", available_sources())
@CHECKS
@given(data=st.data())
def test_rows_at_the_limits_have_their_old_outcome(pools, source: str, data: st.DataObject) -> None:
    """Clean rows but for one or two cells: a time around the future limit, an identifier
    that may not normalise, a string around MAX_STRING characters or bytes."""
    text = data.draw(rows_text(source, pools[source], edges=True))
    mapping = load_mapping(source)
    new, _answered = new_outcomes(text, mapping)
    assert new == old_outcomes(text, mapping)


def test_the_fast_path_answers_mutated_but_valid_rows(pools) -> None:
    """Reordered columns and other cells still take the fast path when they are clean."""
    mapping = load_mapping("erp")
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=mapping.delimiter, lineterminator="\n")
    writer.writerows([list(reversed(mapping.columns))] + [r[::-1] for r in pools["erp"][:200]])
    text = buf.getvalue()
    new, answered = new_outcomes(text, mapping)
    assert new == old_outcomes(text, mapping)
    assert answered >= 0.9 * sum(o[0] == "accepted" for o in new) > 100


@pytest.mark.parametrize("source", available_sources())
def test_each_cell_replaced_by_each_edge_value(pools, source: str) -> None:
    """Exhaustive over columns x values for a few clean rows (no sampling)."""
    mapping = load_mapping(source)
    edges = NASTY + IDENTIFIERS + LONG + _times(mapping)
    rows = [
        _replaced(mapping, row, column, value)
        for row in pools[source][:3]
        for column in mapping.columns
        for value in edges
    ]
    text = _text(mapping, rows)
    new, answered = new_outcomes(text, mapping)
    assert new == old_outcomes(text, mapping)
    assert answered > len(rows) // 4


@pytest.mark.parametrize("source", available_sources())
@pytest.mark.parametrize("long", LONG)
def test_rows_near_the_event_size_limit(pools, source: str, long: str) -> None:
    """One column after another made long while the row stays valid but for its size: from
    a clean row to one over 64 KiB (when the mapping has enough columns)."""
    mapping = load_mapping(source)
    rows = [pools[source][0]]
    for column in mapping.columns:
        row = _replaced(mapping, rows[-1], column, long)
        outcome = _outcome(mapping, row)
        if outcome[0] == "accepted" or outcome[2] == TOO_BIG:
            rows.append(row)
    text = _text(mapping, rows)
    new, _answered = new_outcomes(text, mapping)
    old = old_outcomes(text, mapping)
    assert new == old
    TOO_BIG_SEEN.update(source for o in old if o[0] == "rejected" and o[2] == TOO_BIG)


TOO_BIG = f"event is larger than {MAX_EVENT_BYTES} bytes"
TOO_BIG_SEEN: set[str] = set()


def test_some_rows_near_the_size_limit_were_too_big() -> None:
    assert TOO_BIG_SEEN  # (runs after the test above, in file order)


def _outcome(mapping: Mapping, row: Any) -> tuple[Any, ...]:
    return old_outcomes(_text(mapping, [row]), mapping)[0]


def _replaced(mapping: Mapping, row: Any, column: str, value: Any) -> Any:
    if isinstance(row, dict):
        return {**row, column: value}
    cells = list(row)
    cells[list(mapping.columns).index(column)] = str(value)
    return cells


def _text(mapping: Mapping, rows: list[Any]) -> str:
    if mapping.format == "csv":
        return _csv(mapping, [list(mapping.columns), *rows])
    return "".join(json.dumps(row) + "\n" for row in rows)

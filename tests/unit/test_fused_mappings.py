"""The fused fast path on mappings unlike the shipped ones (hypothesis): constants that a
column overwrites, value maps into vocabularies (and to null), several columns writing one
field, one column writing several places, unknown fields, identifier types, relation kinds and
attribute keys, a derived identifier from a missing column, and constants that do not
validate. Each row must give the old outcome."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.formats import fmt_de_date, fmt_iso
from connectors.fused import fused_rows, never
from connectors.mapping import compile_mapping
from tests.unit.fused_oracle import HEADER, NOW, REGION, new_outcomes, old_outcomes

SPEC = """
source_system: web
constants: {event_type: login, channel: web, currency: EUR, quantity: 3}
columns:
  id: event_id
  t: {field: event_time, parse: iso}
  kind:
    field: event_type
    values: {A: call, B: nope, C: email, D: null, login: signup, page_view: nope}
  ch: channel
  cur: currency
  q: {field: quantity, parse: int}
  amt: {field: amount, parse: decimal_comma}
  due: {field: due_date, parse: de_date}
  rt: {field: received_time, parse: epoch_ms}
  dir: {field: direction, parse: int}
  bogus: {field: no_such_field}
  ids: {field: identifiers}
  mail: [{identifier: email}, {extra: mail_raw}, {attribute: city}]
  ph: {identifier: phone}
  ck: {identifier: bogus_type}
  acct: {identifier: billing_account}
  rel: {relation: spouse, type: email}
  rel2: {relation: enemy, type: email}
  rel3: {relation: payer, type: billing_account}
  rel4: {relation: spouse, type: email}
  name: {attribute: first_name}
  size: {attribute: shoe_size}
  note: {extra: note}
  sys: source_system
  prod: [{field: product}, {field: product_category}]
  prod2: product
  score: {field: score, parse: int}
derived:
  - {identifier: address_key, from: [name, note]}
  - {identifier: crm_id, from: [note, missing]}
"""
VALUES: dict[str, list[Any]] = {
    "id": ["e1", "e2", " ", ""],
    "t": [fmt_iso(NOW), fmt_iso(NOW + 86_400_000), fmt_iso(NOW + 90_000_000), "x", ""],
    "kind": ["A", "B", "C", "D", "call", "page_view", "", "login"],
    "ch": ["web", "email", "fax", ""],
    "cur": ["EUR", "eur", "USD", ""],
    "q": ["0", "5", "-1", "x", "", "2147483648"],
    "amt": ["1,5", "1.234,56", "x", ""],
    "due": [fmt_de_date(20_000), "31.02.2025", ""],
    "rt": ["0", str(NOW), "-1", "x", ""],
    "dir": ["", "", "1", "in"],
    "bogus": ["", "", "x"],
    "ids": ["", "", "x"],
    "mail": ["a@b.de", " A@B.de ", "c@d.de", "nope", ""],
    "ph": ["030 1234567", "+49 30 1234567", "12", ""],
    "ck": ["", "", "x"],
    "acct": ["BA1", " BA 1 ", "   ", ""],
    "rel": ["a@b.de", "e@f.de", "x", ""],
    "rel2": ["", "", "a@b.de"],
    "rel3": ["BA1", "BA2", ""],
    "rel4": ["a@b.de", " A@B.DE", "g@h.de", ""],
    "name": ["Anna", "Ä", "", " "],
    "size": ["", "", "42"],
    "note": ["n", "Straße 1", "", " "],
    "sys": ["web", "orders", "legacy", ""],
    "prod": ["p1", "", "x" * 4097],
    "prod2": ["p2", ""],
    "score": ["7", "", "-3"],
}
CHECKS = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _mapping(fmt: str, **changes: Any) -> Any:
    spec = yaml.safe_load(SPEC)
    spec.update(format=fmt, **changes)
    return compile_mapping(spec)


CSV, JSONL = _mapping("csv"), _mapping("jsonl")


CLEAN = {c: v[0] for c, v in VALUES.items()} | {
    c: "" for c in ("bogus", "ids", "ck", "rel2", "size", "dir")
}


@st.composite
def rows(draw: st.DrawFn) -> dict[str, Any]:
    """A clean row with a few cells changed, some columns left out, in any order."""
    row = dict(CLEAN)
    for column in draw(st.lists(st.sampled_from(list(VALUES)), max_size=4)):
        row[column] = draw(st.sampled_from(VALUES[column]))
    for column in draw(st.lists(st.sampled_from(list(VALUES)), max_size=2)):
        row.pop(column, None)
    columns = draw(st.permutations(list(row)))
    return {c: row[c] for c in columns}


def _csv(row: dict[str, Any]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([list(row), list(row.values())])
    return buf.getvalue()


def _jsonl(row: dict[str, Any], json_values: list[Any]) -> str:
    out = {k: v for k, v in row.items() if v != "" or k in ("id", "mail")}
    for i, value in enumerate(json_values):
        out[list(VALUES)[i % len(VALUES)]] = value
    return json.dumps(out) + "\n"


@CHECKS
@given(rows())
def test_csv_rows_of_an_odd_mapping(row: dict[str, Any]) -> None:
    text = _csv(row)
    assert new_outcomes(text, CSV)[0] == old_outcomes(text, CSV)


_json = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 2**64), st.floats(), st.lists(st.none())
)


@CHECKS
@given(rows(), st.lists(_json, max_size=3))
def test_jsonl_rows_of_an_odd_mapping(row: dict[str, Any], json_values: list[Any]) -> None:
    text = _jsonl(row, json_values)
    assert new_outcomes(text, JSONL)[0] == old_outcomes(text, JSONL)


def test_the_odd_mapping_still_takes_the_fast_path() -> None:
    text = _csv(CLEAN)
    new, answered = new_outcomes(text, CSV)
    assert new == old_outcomes(text, CSV) and answered == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"constants": {"event_type": "nope"}},
        {"constants": {"no_such_field": "x"}},
        {"constants": {"attributes": {"city": "x"}}},
        {"constants": {"received_time": -5}},
        {"constants": {"quantity": None}},
    ],
)
def test_constants_that_do_not_validate_leave_every_row_to_the_slow_path(changes) -> None:
    mapping = _mapping("csv", **changes)
    assert fused_rows(mapping, list(VALUES), REGION, NOW, HEADER) is never
    row = {c: v[0] for c, v in VALUES.items()}
    text = _csv(row)
    assert new_outcomes(text, mapping)[0] == old_outcomes(text, mapping)

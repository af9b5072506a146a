"""The fused path's faster date and time parsers (memoised by day or hour) return what the
parsers of connectors.formats return, for every input they answer; the fast path takes an
exception as "not sure", so where the parser raises they must not answer."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.formats import PARSERS
from connectors.fused.times import faster

_digits = st.sampled_from(list("0123456789") * 4 + ["٢", " ", "+", "-", "x", "9"])
_seps = st.sampled_from(["-", ".", ":", "T", " ", "Z", "/", "0"])
_fields = st.tuples(  # (year, month, day, hour, minute, second), some out of range
    st.integers(1960, 2100) | st.sampled_from([0, 1, 9999]),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 25),
    st.integers(0, 61),
    st.integers(0, 61),
)
ISO = "{y:04d}-{mo:02d}-{d:02d}"
DE = "{d:02d}.{mo:02d}.{y:04d}"
HMS = "{h:02d}:{mi:02d}:{s:02d}"
FORMATS = {
    "iso": [f"{ISO}T{HMS}Z", f"{ISO} {HMS}", f"{ISO}T{HMS}+02:00"],
    "de_datetime": [f"{DE} {HMS}"],
    "de_date": [DE],
    "de_date_ms": [DE],
    "iso_date": [ISO],
    "iso_date_ms": [ISO],
}
LAYOUTS = {
    "iso": ["dddd-dd-ddTdd:dd:ddZ", "dddd-dd-dd dd:dd:dd"],
    "de_datetime": ["dd.dd.dddd dd:dd:dd"],
    "de_date": ["dd.dd.dddd"],
    "de_date_ms": ["dd.dd.dddd"],
    "iso_date": ["dddd-dd-dd"],
    "iso_date_ms": ["dddd-dd-dd"],
}


def _formatted(name: str) -> st.SearchStrategy[str]:
    """Well-formed spellings of fields in and out of range."""
    return st.builds(
        lambda f, t: f.format(y=t[0], mo=t[1], d=t[2], h=t[3], mi=t[4], s=t[5]),
        st.sampled_from(FORMATS[name]),
        _fields,
    )


def _near(pattern: str) -> st.SearchStrategy[str]:
    """Texts like ``pattern`` (d: a digit or an odd character), separators sometimes odd."""
    exact = st.tuples(*[_digits if c == "d" else st.just(c) for c in pattern]).map("".join)
    odd = [_digits if c == "d" else _seps if c in "-.:T Z" else st.just(c) for c in pattern]
    return st.one_of(exact, st.tuples(*odd).map("".join))


def _texts(name: str) -> st.SearchStrategy[Any]:
    near = st.one_of(*[_near(p) for p in LAYOUTS[name]])
    return st.one_of(near, _formatted(name), st.text(max_size=22), st.integers(), st.none())


def _answer(parse: Any, value: Any) -> tuple[str, Any]:
    try:
        return "ok", parse(value)
    except Exception:
        return "error", None


def _agrees(name: str, value: Any) -> bool:
    got = _answer(faster(PARSERS[name]), value)
    return got[0] == "error" or got == _answer(PARSERS[name], value)


@pytest.mark.parametrize("name", sorted(FORMATS))
@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_faster_parsers_answer_as_the_parsers(name: str, data: st.DataObject) -> None:
    value = data.draw(_texts(name))
    assert _agrees(name, value) and _agrees(name, value)  # memo empty or cold, then filled


@pytest.mark.parametrize("name", sorted(FORMATS))
@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_faster_parsers_on_fields_in_and_out_of_range(name: str, data: st.DataObject) -> None:
    value = data.draw(_formatted(name))
    assert _agrees(name, value) and _agrees(name, value)


def test_the_common_spellings_are_answered() -> None:
    for name, value in [("iso", "2025-10-03T02:15:56Z"), ("de_datetime", "03.10.2025 08:00:09")]:
        assert faster(PARSERS[name])(value) == PARSERS[name](value)
        assert faster(PARSERS[name]) is not PARSERS[name]

"""connectors.file_import.json_loads (orjson where it certainly agrees) answers exactly as
json.loads: the same value (types, key order, -0.0, big integers) or the same error type."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.file_import import json_loads

_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8))
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=8,
)
_numbers = st.from_regex(
    r"-?(0|[1-9][0-9]{0,40})(\.[0-9]{1,25})?([eE][+-]?[0-9]{1,3})?", fullmatch=True
)
_raw = st.one_of(
    _values.map(json.dumps),
    _values.map(lambda v: json.dumps(v, ensure_ascii=False)),
    _numbers,
    st.sampled_from(
        [
            '"\\ud800"',
            '"\\udc00x"',
            '"\\ud83d\\ude00"',
            "NaN",
            "-Infinity",
            '"\\u0000"',
            '"a\\/b"',
            "1E400",
            "18446744073709551616",
            "-9223372036854775809",
            "9223372036854775808",
            "[" * 30 + "]" * 30,
            "01",
            "+1",
            ".5",
            "1.",
            '"\x01"',
            "tru",
            '"\\x"',
        ]
    ),
)
_spaces = st.sampled_from(["", "", " ", "\t", "\r", "\n", "\x0c", "\u00a0", "  "])


@st.composite
def lines(draw: st.DrawFn) -> str:
    keys = draw(
        st.lists(
            st.sampled_from(["id", "ts", "a", "é", "", "id"]) | st.text(max_size=4), max_size=6
        )
    )
    parts = [f"{json.dumps(k)}{draw(_spaces)}:{draw(_spaces)}{draw(_raw)}" for k in keys]
    body = "{" + draw(_spaces) + ",".join(parts) + draw(_spaces) + "}"
    if draw(st.integers(0, 9)) == 0:
        body = draw(_raw)  # not an object
    return draw(_spaces) + body + draw(st.sampled_from(["\n", "", "\r\n", " \n", "x\n"]))


def _answer(loads: Any, text: str) -> tuple[str, str]:
    try:
        return "ok", repr(loads(text))
    except Exception as exc:
        return "error", type(exc).__name__


@settings(max_examples=1500, deadline=None)
@given(lines())
def test_json_loads_answers_as_json_does(text: str) -> None:
    assert _answer(json_loads, text) == _answer(json.loads, text)


def test_numbers_beyond_64_bits_and_deep_nesting() -> None:
    for text in (
        '{"a":18446744073709551616}',
        '{"a":-9223372036854775809}',
        '{"a":[18446744073709551616]}',
        '{"a":' + "[" * 2000 + "]" * 2000 + "}",
        "[" * 1010 + "]" * 1010,
        '{"a":1e400}',
        '{"a":"\\ud800"}',
    ):
        assert _answer(json_loads, text) == _answer(json.loads, text)

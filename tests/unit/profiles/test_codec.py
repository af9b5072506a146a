"""The state encoding: exact round trip, and values of earlier writers (zlib, plain JSON) still
read."""

from __future__ import annotations

import json
import zlib
from typing import Any

from hypothesis import given, settings

from streams.profiles import codec
from tests.unit.profiles.test_combine_properties import states


@settings(max_examples=60, deadline=None)
@given(states)
def test_a_state_decodes_to_exactly_what_was_encoded(s: dict[str, Any]) -> None:
    blob = codec.dumps(s)
    assert blob[0] == codec.TAG_LZ4
    assert codec.loads(blob) == s


@settings(max_examples=30, deadline=None)
@given(states)
def test_values_of_earlier_writers_are_read(s: dict[str, Any]) -> None:
    text = json.dumps(s, separators=(",", ":"), ensure_ascii=False).encode()
    assert codec.loads(zlib.compress(text, 6)) == s  # the zlib'd JSON written before LZ4
    assert codec.loads(text) == s == codec.loads(text.decode())  # plain JSON, bytes or text


def test_empty_and_non_object_values() -> None:
    assert codec.loads(None) == {} and codec.loads(b"") == {}
    assert codec.loads(codec.dumps({})) == {}


def test_non_ascii_text_survives() -> None:
    s = {"a": {"city": ["Köln – Süd 🏠", 1]}, "sv": {"q": ["très bien", 2]}}
    assert codec.loads(codec.dumps(s)) == s

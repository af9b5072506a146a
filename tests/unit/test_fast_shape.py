"""fast_shape (check fast, explain slow) never disagrees with the full check_shape: where it
answers, the result is identical; where check_shape rejects, fast_shape is unsure (None)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.file_import import raw_rows
from connectors.generator import write_company
from connectors.mapping import load_mapping, map_row
from connectors.publish import infer_sources
from connectors.validate.fast_shape import fast_shape
from connectors.validate.shape import check_shape
from schemas.errors import InvalidEvent

NOW = 1_790_000_000_000


def full(obj: Any, region: str = "DE") -> dict[str, Any] | None:
    try:
        return check_shape(obj, region)
    except InvalidEvent:
        return None


def agrees(obj: Any, region: str = "DE") -> bool:
    fast = fast_shape(obj, region)
    return fast is None or fast == full(obj, region)


def test_agrees_over_the_mapped_rows_of_the_synthetic_company(tmp_path: Any) -> None:
    write_company(tmp_path, 200, 20, 5, NOW)
    answered = 0
    for path, source in infer_sources(tmp_path):
        mapping = load_mapping(source)
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for raw in raw_rows(fh, mapping):
                try:
                    candidate = map_row(raw, mapping)  # type: ignore[arg-type]
                except (InvalidEvent, TypeError, AttributeError):
                    continue
                assert agrees(candidate)
                answered += fast_shape(candidate, "DE") is not None
    assert answered > 1000  # the fast path takes the common case


_ids = st.sampled_from(["email", "phone", "crm_id", "cookie_id", "address_key", "bogus", ""])
_texts = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["a@b.de", " A@B.DE ", "+49 30 1234567", "030 1234567", "  ", "x\ud800"]),
    st.text(min_size=4090, max_size=4100, alphabet="ab"),
)
_values = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), _texts, st.lists(st.integers())
)
_identifier = st.one_of(
    st.fixed_dictionaries({"type": _ids, "value": _texts}),
    st.dictionaries(st.sampled_from(["type", "value", "kind"]), _values),
    _values,
)
_relation = st.one_of(
    st.fixed_dictionaries(
        {"kind": st.sampled_from(["payer", "spouse", "nope"]), "identifier": _identifier}
    ),
    _values,
)


def _event() -> st.SearchStrategy[dict[str, Any]]:
    base = {
        "event_id": st.one_of(_texts, _values),
        "event_type": st.sampled_from(["page_view", "call"]),
        "source_system": st.just("web"),
        "event_time": st.one_of(st.integers(-5, 2**64), st.just(NOW), _values),
        "identifiers": st.one_of(st.lists(_identifier, max_size=3), _values),
    }
    optional = {
        "received_time": st.one_of(st.just(NOW), _values),
        "relations": st.one_of(st.lists(_relation, max_size=2), _values),
        "amount": st.one_of(st.floats(), st.integers(-(2**1100), 2**1100), _values),
        "quantity": st.one_of(st.integers(-(2**33), 2**33), _values),
        "due_date": st.one_of(st.integers(-(2**32), 2**32), st.just("2026-01-02"), _values),
        "channel": _values,
        "attributes": st.one_of(
            st.dictionaries(st.sampled_from(["city", "nope", ""]), _texts, max_size=2), _values
        ),
        "extras": st.one_of(st.dictionaries(_texts, _texts, max_size=2), _values),
        "unknown": _values,
    }
    return st.fixed_dictionaries(base, optional=optional)


@settings(max_examples=600, deadline=None)
@given(_event(), st.sampled_from(["DE", "GB"]))
def test_agrees_on_arbitrary_events(event: dict[str, Any], region: str) -> None:
    assert agrees(event, region)


def test_fast_shape_does_not_touch_its_input() -> None:
    event = {
        "event_id": "e1",
        "event_type": "call",
        "source_system": "web",
        "event_time": NOW,
        "identifiers": [{"type": "email", "value": " A@B.DE "}],
    }
    before = repr(event)
    result = fast_shape(event, "DE")
    assert repr(event) == before
    assert result == check_shape(event, "DE")


@settings(max_examples=300, deadline=None)
@given(_event(), st.sampled_from(["DE", "GB"]))
def test_size_estimate_is_the_generic_one(event: dict[str, Any], region: str) -> None:
    from connectors.validate.size import _every_value, _rough_chars

    shaped = full(event, region)
    for candidate in (shaped, {**shaped, "channel": 5}) if shaped else ():
        assert _rough_chars(candidate) == _every_value(candidate)

"""Parse a collector batch body ``{"events": [...]}`` keeping each event's original bytes
(pure). The dead-letter topic gets exactly the bytes the client sent for a rejected event."""

from __future__ import annotations

import json
from typing import Any

_DECODER = json.JSONDecoder()
_WS = " \t\n\r"


class NotABatch(ValueError):
    """The body is not a JSON object with an "events" list (answered with 422)."""


def parse_batch(body: bytes) -> list[tuple[Any, bytes]]:
    """Each event of the batch with its original UTF-8 bytes, in order."""
    try:
        text = body.decode("utf-8")
        json.loads(text)  # the whole body must be valid JSON, with the standard errors
        return _events(text)
    except UnicodeDecodeError:
        raise NotABatch("the body is not UTF-8 encoded JSON") from None
    except RecursionError:
        raise NotABatch("the body is nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise NotABatch(f"the body is not valid JSON: {exc.msg} at position {exc.pos}") from None


def _events(text: str) -> list[tuple[Any, bytes]]:
    pos = _skip(text, 0)
    if not text.startswith("{", pos):
        raise NotABatch('the body must be a JSON object like {"events": [...]}')
    spans: list[tuple[Any, bytes]] | None = None
    pos = _skip(text, pos + 1)
    while not text.startswith("}", pos):
        key, pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, _skip(text, pos) + 1)  # past ':'
        if key == "events" and text.startswith("[", pos):
            spans, pos = _array(text, pos)
        else:
            value, pos = _DECODER.raw_decode(text, pos)
            spans = None if key == "events" else spans
        pos = _skip(text, pos)
        pos = _skip(text, pos + 1) if text.startswith(",", pos) else pos
    if spans is None:
        raise NotABatch('the body must have an "events" list')
    return spans


def _array(text: str, pos: int) -> tuple[list[tuple[Any, bytes]], int]:
    items: list[tuple[Any, bytes]] = []
    pos = _skip(text, pos + 1)
    while not text.startswith("]", pos):
        value, end = _DECODER.raw_decode(text, pos)
        items.append((value, text[pos:end].encode("utf-8", "surrogatepass")))
        pos = _skip(text, end)
        pos = _skip(text, pos + 1) if text.startswith(",", pos) else pos
    return items, pos + 1


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WS:
        pos += 1
    return pos

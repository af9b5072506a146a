"""One field's value on the fused path: the code that checks it as connectors.validate would
(fast_shape's plain types, then rules and timing) and sets a local to its Avro bytes.

Every check here is at least as strict as the one it stands for; a value it is not sure
about ends the row with ``return None`` (the slow path then decides). Strings are checked
by encoding them: a non-string has no ``encode`` and lone surrogates do not encode, both
raise, and the caller's handler answers None.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connectors.fused.avro import (
    LOW,
    NULLABLE_SMALL_INT,
    NULLABLE_STRING_PREFIX,
    SIX_BYTES,
    SMALL,
    SMALL_INT,
    SOME,
    STRING_PREFIX,
    TOP,
    pack_double,
    string_bytes,
)
from connectors.fused.layout import Slot
from connectors.fused.source import Source
from connectors.validate.fast_shape import _text
from connectors.validate.limits import MAX_FUTURE_MS
from connectors.validate.rules import _CURRENCY, NON_NEGATIVE, VOCABULARIES
from schemas.writer_codegen import zigzag_varint

_INT32 = 2**31
_INT64 = 2**63
_FINITE = 1e308  # what fast_shape and check_double take as finite (exclusive)
_RANGES = {"int": _INT32, "date": _INT32, "long": _INT64, "timestamp": _INT64}
RULED = ("event_id", "currency")  # string fields with connectors.validate.rules of their own
NAMESPACE = {
    "ZZ": zigzag_varint,
    "PD": pack_double,
    "SMALL": SMALL,
    "SOME": SOME,
    "LOW": LOW,
    "TOP": TOP,
}


def vocabulary(slot: Slot) -> dict[Any, bytes] | None:
    """Allowed value -> its bytes, for a string field whose only rule is its vocabulary."""
    if slot.name not in VOCABULARIES or slot.kind != "string" or slot.name in RULED:
        return None
    prefix = SOME if slot.nullable else b""
    return {v: prefix + string_bytes(v) for v in VOCABULARIES[slot.name][0] if _text(v)}


def value_code(
    src: Source, slot: Slot, x: str, target: str, indent: int, now_ms: int, known: str | None = None
) -> None:
    """``known``: the type ``x`` certainly has (a parser expression's), if any."""
    table = vocabulary(slot)
    if table is not None:
        src.emit(indent, f"{target} = {src.const(table)}[{x}]")
    elif slot.kind == "string":
        _string(src, slot, x, target, indent)
    elif slot.kind in _RANGES:
        _integer(src, slot, x, target, indent, now_ms, known == "int")
    elif slot.kind == "double":
        low = "0 <=" if slot.name in NON_NEGATIVE else f"-{_FINITE!r} <"
        if known not in ("float", "int"):
            src.emit(indent, f"if type({x}) is not float and type({x}) is not int: return None")
        src.emit(indent, f"if not {low} {x} < {_FINITE!r}: return None")
        number = x if known == "float" else f"float({x})"
        src.emit(indent, f"{target} = {_some(slot)}PD({number})")
    elif slot.kind == "boolean":
        src.emit(indent, f"if type({x}) is not bool: return None")
        src.emit(indent, f"{target} = {_some(slot)}(b'\\x01' if {x} else b'\\x00')")
    else:
        src.emit(indent, "return None")  # lists and maps come from columns, not values


def _string(src: Source, slot: Slot, x: str, target: str, indent: int) -> None:
    if slot.name == "currency" and slot.name not in VOCABULARIES:
        codes, code = _currency_codes(slot)
        src.emit(indent, f"{target} = {src.const(codes)}.get({x}) or {src.const(code)}({x})")
        return
    if slot.name == "event_id":
        src.emit(indent, f"if not {x}.strip(): return None")
    if slot.name in VOCABULARIES:
        src.emit(indent, f"if {x} not in {src.const(VOCABULARIES[slot.name][0])}: return None")
    prefix = src.const(NULLABLE_STRING_PREFIX if slot.nullable else STRING_PREFIX)
    data = src.var("b")
    src.emit(indent, f"{data} = {x}.encode()")
    src.emit(indent, f"{target} = {prefix}[len({data})] + {data}")


def _integer(
    src: Source, slot: Slot, x: str, target: str, indent: int, now_ms: int, is_int: bool
) -> None:
    high = _RANGES[slot.kind]
    low = 0 if slot.kind == "timestamp" or slot.name in NON_NEGATIVE else -high
    if slot.name == "event_time":
        high = min(high, now_ms + MAX_FUTURE_MS + 1)  # connectors.validate.timing
    kind = "" if is_int else f"type({x}) is not int or "
    src.emit(indent, f"if {kind}not {low} <= {x} < {high}: return None")
    if slot.kind in ("long", "timestamp"):  # mostly epoch milliseconds: six bytes
        n, (six_low, six_high) = src.var("n"), SIX_BYTES
        src.emit(indent, f"{n} = {x} << 1")
        six = f"LOW[{n} & 16383] + LOW[{n} >> 14 & 16383] + TOP[{n} >> 28]"
        some = _some(slot)
        src.emit(indent, f"if {six_low} <= {n} < {six_high}: {target} = {some}{six}")
        src.emit(indent, f"else: {target} = {some}ZZ({x})")
        return
    table = src.const(NULLABLE_SMALL_INT if slot.nullable else SMALL_INT)
    src.emit(indent, f"{target} = {table}[{x}] if 0 <= {x} < SMALL else {_some(slot)}ZZ({x})")


def _currency_codes(slot: Slot) -> tuple[dict[str, bytes], Callable[[Any], bytes]]:
    """Currency codes' bytes, memoised as they are met: only valid codes (three ASCII capitals:
    a valid string too), so at most 26**3 of them. An invalid one raises (not sure)."""
    codes: dict[str, bytes] = {}
    prefix = SOME if slot.nullable else b""

    def code(value: Any) -> bytes:
        if type(value) is not str or not _CURRENCY.fullmatch(value):
            raise ValueError("not a currency code")
        data = codes[value] = prefix + string_bytes(value)
        return data

    return codes, code


def _some(slot: Slot) -> str:
    return "SOME + " if slot.nullable else ""


def constant_bytes(slot: Slot, value: Any, now_ms: int) -> bytes | None:
    """The bytes of a value every row gets (a mapping's constant), or None when it does not
    pass the same checks."""
    src = Source(NAMESPACE)
    value_code(src, slot, "value", "out", 1, now_ms)
    src.emit(1, "return out")
    try:
        out = src.function("constant", "value", slot.name)(value)
    except Exception:
        return None
    return out if isinstance(out, bytes) else None

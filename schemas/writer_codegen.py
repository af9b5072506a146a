"""An Avro writer specialised to one schema: Python source generated from the parsed schema at
start-up, compiled once, producing the same bytes as fastavro's ``schemaless_writer``.

fastavro walks the schema for every record (about 20 us for a Touchpoint); the generated
function is straight-line code, one statement group per field, in schema order. Supported:
null, boolean, int, long, float, double, string, bytes, enum, fixed, arrays, maps, records
(inlined; not recursive) and unions of null with one other type. Anything else raises
``Unsupported`` at generation time, so callers keep fastavro for such schemas.

Like fastavro, a record field missing from the dict is written as its default (null when the
field has none). Input is assumed valid for the schema (connectors.validate checked it);
fastavro's error messages for invalid input are not reproduced.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from schemas.codegen_source import Source

Encoder = Callable[[dict[str, Any]], bytes]
_PRIMITIVES = frozenset({"null", "boolean", "int", "long", "float", "double", "string", "bytes"})
_SHORT = 1 << 15  # lengths below this come from a precomputed table


class Unsupported(Exception):
    """The schema uses a construct the generator does not handle."""


def zigzag_varint(value: int) -> bytes:
    """Avro's int/long encoding: zig-zag, then 7 bits per byte, least significant first."""
    n = (value << 1) ^ (value >> 63)
    if 1 << 35 <= n < 1 << 42:  # six bytes: epoch milliseconds of these decades, unrolled
        return bytes(
            (
                n & 0x7F | 0x80,
                n >> 7 & 0x7F | 0x80,
                n >> 14 & 0x7F | 0x80,
                n >> 21 & 0x7F | 0x80,
                n >> 28 & 0x7F | 0x80,
                n >> 35,
            )
        )
    out = bytearray()
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


_LENGTHS = tuple(zigzag_varint(i) for i in range(_SHORT))


def _long(value: int) -> bytes:
    if 0 <= value < _SHORT:
        return _LENGTHS[value]
    return zigzag_varint(value)


class _Gen(Source):
    """Emits the body of ``encode(record)``: statements appending to bytearray ``out``."""

    def __init__(self, strict: bool = False) -> None:
        self.strict = strict  # fields read with record[name] (every field present)
        super().__init__()
        self._active: set[str] = set()
        self._named: dict[str, Any] = {}

    def write(self, schema: Any, expr: str, indent: int) -> None:
        """Code writing the value of expression ``expr`` (evaluated once) of type ``schema``."""
        if isinstance(schema, str):
            self._primitive(schema, expr, indent)
        elif isinstance(schema, list):
            self._union(schema, expr, indent)
        elif isinstance(schema, dict):
            self._complex(schema, expr, indent)
        else:
            raise Unsupported(f"schema node {schema!r}")

    def _primitive(self, kind: str, expr: str, indent: int) -> None:
        if kind == "null":
            return
        if kind == "boolean":
            self.emit(indent, f"out += b'\\x01' if {expr} else b'\\x00'")
        elif kind == "int":
            self.emit(indent, f"out += _long({expr})")
        elif kind == "long":
            self.emit(indent, f"out += _zigzag({expr})")
        elif kind == "float":
            self.emit(indent, f"out += _pack_f({expr})")
        elif kind == "double":
            self.emit(indent, f"out += _pack_d({expr})")
        elif kind in ("string", "bytes"):
            data = self.var("b")
            encode = ".encode()" if kind == "string" else ""
            size = self.var("n")
            self.emit(indent, f"{data} = {expr}{encode}")
            self.emit(indent, f"{size} = len({data})")
            self.emit(indent, f"out += _LENGTHS[{size}] if {size} < {_SHORT} else _long({size})")
            self.emit(indent, f"out += {data}")
        elif kind in self._named:
            self._complex(self._named[kind], expr, indent)
        else:
            raise Unsupported(f"unknown named type {kind!r}")

    def _union(self, branches: list[Any], expr: str, indent: int) -> None:
        if len(branches) == 1:
            self.write(branches[0], expr, indent)
            return
        if len(branches) != 2 or "null" not in branches:
            raise Unsupported(f"union {branches!r}: only unions of null and one type")
        null_index = branches.index("null")
        other = branches[1 - null_index]
        value = self._bind(expr, indent)
        self.emit(indent, f"if {value} is None:")
        self.emit(indent + 1, f"out += {_long(null_index)!r}")
        self.emit(indent, "else:")
        self.emit(indent + 1, f"out += {_long(1 - null_index)!r}")
        self.write(other, value, indent + 1)

    def _complex(self, schema: dict[str, Any], expr: str, indent: int) -> None:
        kind = schema.get("type")
        if kind in ("record", "enum", "fixed") and "name" in schema:
            self._named.setdefault(str(schema["name"]), schema)
        if kind in _PRIMITIVES:
            self._primitive(str(kind), expr, indent)
        elif kind == "record":
            self._record(schema, expr, indent)
        elif kind == "array":
            self._block(schema["items"], expr, indent, is_map=False)
        elif kind == "map":
            self._block(schema["values"], expr, indent, is_map=True)
        elif kind == "enum":
            index = self.const({s: _long(i) for i, s in enumerate(schema["symbols"])})
            self.emit(indent, f"out += {index}[{expr}]")
        elif kind == "fixed":
            self.emit(indent, f"out += {expr}")
        else:
            raise Unsupported(f"type {kind!r}")

    def _record(self, schema: dict[str, Any], expr: str, indent: int) -> None:
        name = str(schema.get("name"))
        if name in self._active:
            raise Unsupported(f"recursive record {name}")
        self._active.add(name)
        record = self._bind(expr, indent)
        for field in schema["fields"]:
            name_repr = repr(field["name"])
            if self.strict:
                getter = f"{record}[{name_repr}]"
            else:
                getter = f"{record}.get({name_repr}, {self._default(field.get('default'))})"
            self.write(field["type"], getter, indent)
        self._active.discard(name)

    def _default(self, default: Any) -> str:
        if default is None or isinstance(default, bool | int | float | str):
            return repr(default)
        return self.const(default)

    def _block(self, items: Any, expr: str, indent: int, is_map: bool) -> None:
        value = self._bind(expr, indent)
        item = self.var("i")
        size = self.var("n")
        self.emit(indent, f"if {value}:")
        self.emit(indent + 1, f"{size} = len({value})")
        self.emit(indent + 1, f"out += _LENGTHS[{size}] if {size} < {_SHORT} else _long({size})")
        if is_map:
            key = self.var("k")
            self.emit(indent + 1, f"for {key}, {item} in {value}.items():")
            self._primitive("string", key, indent + 2)
        else:
            self.emit(indent + 1, f"for {item} in {value}:")
        self.write(items, item, indent + 2)
        self.emit(indent, "out += b'\\x00'")

    def _bind(self, expr: str, indent: int) -> str:
        if expr.isidentifier():
            return expr
        name = self.var("v")
        self.emit(indent, f"{name} = {expr}")
        return name


def encoder_source(
    schema: Any, name: str = "encode", strict: bool = False
) -> tuple[str, dict[str, Any]]:
    """The generated source of ``name(record, out) -> None`` and the constants it refers to.
    ``strict``: fields are read with ``record[name]`` (KeyError when one is missing)."""
    gen = _Gen(strict)
    gen.write(schema, "record", 1)
    body = "\n".join(gen.lines) or "    pass"
    return f"def {name}(record, out):\n{body}\n", gen.consts


def compile_writer(
    schema: Any, strict: bool = False
) -> Callable[[dict[str, Any], bytearray], None]:
    """``write(record, out)`` appending the Avro body of ``record`` to ``out``."""
    source, consts = encoder_source(schema, "write", strict)
    namespace: dict[str, Any] = {
        "_long": _long,
        "_LENGTHS": _LENGTHS,
        "_zigzag": zigzag_varint,
        "_pack_d": struct.Struct("<d").pack,
        "_pack_f": struct.Struct("<f").pack,
        **consts,
    }
    exec(compile(source, f"<avro writer {_schema_name(schema)}>", "exec"), namespace)  # noqa: S102
    write: Callable[[dict[str, Any], bytearray], None] = namespace["write"]
    return write


def compile_encoder(schema: Any, prefix: bytes = b"") -> Encoder:
    """``encode(record) -> bytes``: ``prefix`` (e.g. the wire-format header), then the body."""
    fast = compile_writer(schema, strict=True)
    lenient = compile_writer(schema)

    def encode(record: dict[str, Any]) -> bytes:
        out = bytearray(prefix)
        try:
            fast(record, out)
        except KeyError:  # a field left to its default: the fastavro-like reader of defaults
            out = bytearray(prefix)
            lenient(record, out)
        return bytes(out)

    return encode


def _schema_name(schema: Any) -> str:
    return str(schema.get("name", "?")) if isinstance(schema, dict) else str(schema)

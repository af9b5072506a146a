"""An Avro reader specialised to one schema: Python source generated from the parsed schema at
start-up, compiled once, giving the same records as fastavro's ``schemaless_reader`` with that
schema as both writer and reader schema.

fastavro calls the file object's ``read`` for every primitive (a Touchpoint of 40 fields, most of
them null, took ~17 us); the generated function indexes the bytes directly, one statement group
per field in schema order, with the one-byte case of every union index and length inline. It
reads only data written with this exact schema: callers use fastavro with schema resolution for
every other writer version. Supported as in ``schemas.writer_codegen``: null, boolean, int,
long, float, double, string, bytes, enum, fixed, arrays, maps, records (inlined; not recursive)
and unions of any branches. Anything else raises ``Unsupported`` at generation time.

Malformed input raises ``Malformed``, ``IndexError`` (ran past the end), ``UnicodeDecodeError``
or ``struct.error``; ``decoder`` maps all of them to one exception for its caller. Data that
ends early is caught by the caller comparing the returned position with the length.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from schemas.codegen_source import Source
from schemas.writer_codegen import Unsupported

Reader = Callable[[bytes, int], tuple[dict[str, Any], int]]
DECODE_ERRORS = (IndexError, UnicodeDecodeError, struct.error, ValueError)
_PRIMITIVES = frozenset({"null", "boolean", "int", "long", "float", "double", "string", "bytes"})


class Malformed(ValueError):
    """The bytes are not a value of the schema (a negative length, an unknown union branch)."""


def read_long(data: bytes, pos: int) -> tuple[int, int]:
    """Avro's zig-zag varint at ``pos``: (value, position after it)."""
    b = data[pos]
    pos += 1
    n = b & 0x7F
    shift = 7
    while b & 0x80:
        b = data[pos]
        pos += 1
        n |= (b & 0x7F) << shift
        shift += 7
        if shift > 70:
            raise Malformed("varint longer than 10 bytes")
    return (n >> 1) ^ -(n & 1), pos


def read_length(data: bytes, pos: int) -> tuple[int, int]:
    """A string's, bytes' or block's byte length: a varint that is never negative."""
    n, pos = read_long(data, pos)
    if n < 0:
        raise Malformed("negative length")
    return n, pos


class _Gen(Source):
    """Emits the body of ``read(data, pos)``: statements advancing ``pos`` over ``data``."""

    def __init__(self) -> None:
        super().__init__()
        self._active: set[str] = set()
        self._named: dict[str, Any] = {}

    def long(self, target: str, indent: int) -> None:
        """``target`` = the varint at pos; the one-byte case inline."""
        b = self.var("b")
        self.emit(indent, f"{b} = data[pos]")
        self.emit(indent, f"if {b} < 128:")
        self.emit(indent + 1, f"{target} = ({b} >> 1) ^ -({b} & 1)")
        self.emit(indent + 1, "pos += 1")
        self.emit(indent, "else:")
        self.emit(indent + 1, f"{target}, pos = _read_long(data, pos)")

    def length(self, target: str, indent: int) -> None:
        """``target`` = the length (a varint that must not be negative) at pos."""
        self.emit(indent, f"{target} = data[pos]")
        self.emit(indent, f"if {target} < 128 and not {target} & 1:")
        self.emit(indent + 1, f"{target} >>= 1")
        self.emit(indent + 1, "pos += 1")
        self.emit(indent, "else:")
        self.emit(indent + 1, f"{target}, pos = _read_length(data, pos)")

    def read(self, schema: Any, target: str, indent: int) -> None:
        """Code assigning the value of type ``schema`` at pos to ``target``."""
        if isinstance(schema, str):
            self._primitive(schema, target, indent)
        elif isinstance(schema, list):
            self._union(schema, target, indent)
        elif isinstance(schema, dict):
            self._complex(schema, target, indent)
        else:
            raise Unsupported(f"schema node {schema!r}")

    def _primitive(self, kind: str, target: str, indent: int) -> None:
        if kind == "null":
            self.emit(indent, f"{target} = None")
        elif kind == "boolean":
            self.emit(indent, f"{target} = data[pos] == 1")
            self.emit(indent, "pos += 1")
        elif kind in ("int", "long"):
            self.long(target, indent)
        elif kind in ("float", "double"):
            unpack, width = ("_unpack_f", 4) if kind == "float" else ("_unpack_d", 8)
            self.emit(indent, f"{target} = {unpack}(data, pos)[0]")
            self.emit(indent, f"pos += {width}")
        elif kind in ("string", "bytes"):
            size = self.var("n")
            self.length(size, indent)
            end = f"pos + {size}"
            value = f"data[pos:{end}]" + (".decode()" if kind == "string" else "")
            self.emit(indent, f"{target} = {value}")
            self.emit(indent, f"pos += {size}")
        elif kind in self._named:
            self._complex(self._named[kind], target, indent)
        else:
            raise Unsupported(f"unknown named type {kind!r}")

    def _union(self, branches: list[Any], target: str, indent: int) -> None:
        if len(branches) == 1:
            self.read(branches[0], target, indent)
            return
        if len(branches) == 2 and "null" in branches:
            # one byte, 0 or 2 (zig-zag 0 and 1) as every writer writes it
            other = branches[1 - branches.index("null")]
            tag = self.var("u")
            self.emit(indent, f"{tag} = data[pos]")
            self.emit(indent, "pos += 1")
            self.emit(indent, f"if {tag} == {2 * branches.index('null')}:")
            self.emit(indent + 1, f"{target} = None")
            self.emit(indent, f"elif {tag} == {2 * branches.index(other)}:")
            self.read(other, target, indent + 1)
            self.emit(indent, "else:")
            self.emit(indent + 1, "raise _Malformed('union branch out of range')")
            return
        index = self.var("u")
        self.long(index, indent)
        for i, branch in enumerate(branches):
            self.emit(indent, f"{'if' if i == 0 else 'elif'} {index} == {i}:")
            self.read(branch, target, indent + 1)
        self.emit(indent, "else:")
        self.emit(indent + 1, "raise _Malformed('union branch out of range')")

    def _complex(self, schema: dict[str, Any], target: str, indent: int) -> None:
        kind = schema.get("type")
        if kind in ("record", "enum", "fixed") and "name" in schema:
            self._named.setdefault(str(schema["name"]), schema)
        if kind in _PRIMITIVES:
            self._primitive(str(kind), target, indent)
        elif kind == "record":
            self._record(schema, target, indent)
        elif kind == "array":
            self._block(schema["items"], target, indent, is_map=False)
        elif kind == "map":
            self._block(schema["values"], target, indent, is_map=True)
        elif kind == "enum":
            symbols = self.const(tuple(schema["symbols"]))
            i = self.var("e")
            self.long(i, indent)
            self.emit(indent, f"if {i} < 0:")
            self.emit(indent + 1, "raise _Malformed('negative enum index')")
            self.emit(indent, f"{target} = {symbols}[{i}]")
        elif kind == "fixed":
            size = int(schema["size"])
            self.emit(indent, f"{target} = data[pos:pos + {size}]")
            self.emit(indent, f"pos += {size}")
        else:
            raise Unsupported(f"type {kind!r}")

    def _record(self, schema: dict[str, Any], target: str, indent: int) -> None:
        name = str(schema.get("name"))
        if name in self._active:
            raise Unsupported(f"recursive record {name}")
        self._active.add(name)
        items = []
        for field in schema["fields"]:
            value = self.var("f")
            self.read(field["type"], value, indent)
            items.append(f"{field['name']!r}: {value}")
        self.emit(indent, f"{target} = {{{', '.join(items)}}}")
        self._active.discard(name)

    def _block(self, items: Any, target: str, indent: int, is_map: bool) -> None:
        """Avro blocks: a count (negative: its absolute value, then the block's byte size),
        that many items, repeated until a count of 0."""
        out, count, item = self.var("a"), self.var("n"), self.var("i")
        self.emit(indent, f"{out} = {{}}" if is_map else f"{out} = []")
        self.emit(indent, "while True:")
        self.long(count, indent + 1)
        self.emit(indent + 1, f"if {count} == 0:")
        self.emit(indent + 2, "break")
        self.emit(indent + 1, f"if {count} < 0:")
        self.emit(indent + 2, f"{count} = -{count}")
        skip = self.var("s")
        self.long(skip, indent + 2)
        if _takes_bytes(items):  # then a count past the remaining bytes is corrupt
            self.emit(indent + 1, f"if {count} > len(data) - pos:")
            self.emit(indent + 2, "raise _Malformed('block count beyond the data')")
        self.emit(indent + 1, f"for _ in range({count}):")
        if is_map:
            key = self.var("k")
            self._primitive("string", key, indent + 2)
            self.read(items, item, indent + 2)
            self.emit(indent + 2, f"{out}[{key}] = {item}")
        else:
            self.read(items, item, indent + 2)
            self.emit(indent + 2, f"{out}.append({item})")
        self.emit(indent, f"{target} = {out}")


def _takes_bytes(schema: Any) -> bool:
    """Every value of this type is at least one byte (not null, not an empty record)."""
    if schema == "null":
        return False
    if isinstance(schema, dict) and schema.get("type") == "record":
        return any(_takes_bytes(f["type"]) for f in schema["fields"])
    return True


def reader_source(schema: Any, name: str = "read") -> tuple[str, dict[str, Any]]:
    """The generated source of ``name(data, pos) -> (value, pos)`` and its constants."""
    gen = _Gen()
    gen.read(schema, "value", 1)
    body = "\n".join(gen.lines)
    return f"def {name}(data, pos):\n{body}\n    return value, pos\n", gen.consts


def compile_reader(schema: Any) -> Reader:
    """``read(data, pos) -> (record, position after it)`` for data written with ``schema``."""
    source, consts = reader_source(schema)
    namespace: dict[str, Any] = {
        "_read_long": read_long,
        "_read_length": read_length,
        "_unpack_d": struct.Struct("<d").unpack_from,
        "_unpack_f": struct.Struct("<f").unpack_from,
        "_Malformed": Malformed,
        **consts,
    }
    name = str(schema.get("name", "?")) if isinstance(schema, dict) else str(schema)
    exec(compile(source, f"<avro reader {name}>", "exec"), namespace)  # noqa: S102
    read: Reader = namespace["read"]
    return read

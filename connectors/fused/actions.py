"""The code of a row's columns on the fused path: each column's actions in map_row's terms
(field, identifier, relation, attribute, extra), then derived identifiers.

A field's bytes are kept in one local per field (a later column overwrites it, as in
map_row); identifiers, relations and map entries are appended in column order.
"""

from __future__ import annotations

from typing import Any

from connectors.formats import parse_string
from connectors.fused.avro import STRING_PREFIX, string_bytes
from connectors.fused.identifiers import memo_for, resolver
from connectors.fused.parsers import ON_STRINGS
from connectors.fused.plan import LISTS, Plan, item_counts
from connectors.fused.source import Source
from connectors.fused.times import faster
from connectors.fused.values import value_code, vocabulary
from connectors.mapping import EXTRA, FIELD, IDENT, RELATION
from connectors.validate.fast_shape import _text
from connectors.validate.maps import KNOWN_KEYS
from schemas.vocab import RELATION_KINDS

__all__ = ["IDENT", "RowCode"]


class RowCode:
    def __init__(self, plan: Plan, columns: tuple[str, ...], strings: bool, src: Source) -> None:
        self.plan, self.columns, self.strings, self.src = plan, columns, strings, src
        self.slots = {s.name: s for s in plan.slots}
        self.written: dict[str, str] = {}  # field -> local holding its bytes
        self.identifiers: list[tuple[str, int, str]] = []  # (type, order, local)
        self.blocks: dict[str, str] = {}  # relations / map field -> local list
        self.multi = item_counts(plan.mapping, columns)[IDENT] > 1

    def emit_columns(self) -> bool:
        """Emits the columns and derived identifiers; False when no row can pass."""
        src = self.src
        src.emit(1, "try:")
        src.emit(2, f"{', '.join(f'c{i}' for i in range(len(self.columns)))}, = cells")
        start = len(src.lines)
        for i, column in enumerate(self.columns):
            self._column(i, column)
        for id_type, parts in self.plan.mapping.derived:
            self._derived(id_type, parts)
        if not self.identifiers or not self._required():
            return False
        src.lines[start:start] = self._locals()
        return True

    def block_code(self, field: str) -> str:
        items = self.blocks[field]
        if field == LISTS[RELATION]:
            return f"(UB({items}) if {items} else END)"
        return f"(SI[len({items})] + b''.join({items}) + END if {items} else END)"

    def _locals(self) -> list[str]:
        pad = "    " * 2
        lines = [f"{pad}{local} = {self._initial(field)}" for field, local in self.written.items()]
        lines += [f"{pad}{local} = None" for _t, _o, local in self.identifiers]
        lines += [f"{pad}{items} = []" for items in self.blocks.values()]
        return lines + ([f"{pad}idl = []"] if self.multi else [])

    def _initial(self, field: str) -> str:
        data = self.plan.initial[field]
        return "None" if data is None else self.src.const(data)

    def _required(self) -> bool:
        for field, data in self.plan.initial.items():
            if data is None and field not in self.written:
                return False
            if data is None:
                self.src.emit(2, f"if {self.written[field]} is None: return None")
        return True

    def _column(self, i: int, column: str) -> None:
        cell = f"c{i}"
        test = cell if self.strings else f"{cell} is not None and {cell} != ''"
        self.src.emit(2, f"if {test}:")
        for kind, name, arg, values in self.plan.mapping.columns[column]:
            if kind == FIELD:
                self._field(cell, name, arg, values)
            elif kind == IDENT:
                self._identifier(cell, name)
            elif kind == RELATION:
                self._relation(cell, name, arg)
            else:
                self._entry(cell, kind, name)

    def _field(self, cell: str, name: str, parser: Any, values: Any) -> None:
        src, slot = self.src, self.slots.get(name)
        if slot is None or name in LISTS.values():
            src.emit(3, "return None")  # unknown field, or one map_row overwrites
            return
        target = self.written.setdefault(name, src.var("f"))
        table = vocabulary(slot)
        if table is not None and parser is parse_string:
            src.emit(3, f"{target} = {src.const(_through(values, table))}[{cell}]")
            return
        value = f"{src.const(values)}.get({cell}, {cell})" if values else cell
        known = None
        if parser in ON_STRINGS and self.strings and not values:
            expression, known = ON_STRINGS[parser]
            value = expression.format(cell=cell)
        elif parser is not parse_string:
            value = f"{src.const(faster(parser))}({value})"
        if value != cell:
            src.emit(3, f"x = {value}")
        x = "x" if value != cell else cell
        value_code(src, slot, x, target, 3, self.plan.now_ms, known)

    def _identifier(self, value: str, id_type: str, indent: int = 3) -> str:
        local = self._resolved(value, id_type, "e", indent)
        self.identifiers.append((id_type, len(self.identifiers), local))
        if self.multi:
            self.src.emit(indent, f"idl.append({local})")
        return local

    def _relation(self, cell: str, kind: str, id_type: str) -> None:
        src = self.src
        if not (_text(kind) and kind in RELATION_KINDS):
            src.emit(3, "return None")
            return
        items = self.blocks.setdefault(LISTS[RELATION], "rl")
        local = self._resolved(cell, id_type, "r", 3)
        prefix = src.const(string_bytes(kind))
        src.emit(3, f"{items}.append((({kind!r}, {local}[0]), {prefix} + {local}[1]))")

    def _resolved(self, value: str, id_type: str, stem: str, indent: int) -> str:
        """A local holding the identifier entry of ``value`` (memoised, else resolved)."""
        src, region = self.src, self.plan.region
        local = src.var(stem)
        memo, resolve = src.const(memo_for(id_type, region)), src.const(resolver(id_type, region))
        src.emit(indent, f"{local} = {memo}.get({value}) or {resolve}({value})")
        src.emit(indent, f"if {local} is None: return None")
        return local

    def _entry(self, cell: str, kind: int, key: str) -> None:
        src, field = self.src, LISTS[kind]
        known = KNOWN_KEYS.get(field)
        if not _text(key) or (known is not None and key not in known):
            src.emit(3, "return None")
            return
        items = self.blocks.setdefault(field, f"m{kind}")
        text = cell
        if kind == EXTRA and not self.strings:
            text = f"({cell} if isinstance({cell}, str) else str({cell}))"
        data = src.var("b")
        src.emit(3, f"{data} = {text}.encode()")
        prefix = src.const(string_bytes(key)), src.const(STRING_PREFIX)
        src.emit(3, f"{items}.append({prefix[0]} + {prefix[1]}[len({data})] + {data})")

    def _derived(self, id_type: str, parts: tuple[str, ...]) -> None:
        if not all(p in self.columns for p in parts):
            return  # map_row finds a part missing: no derived identifier
        cells = [f"c{self.columns.index(p)}" for p in parts]
        tests = [] if self.strings else [f"isinstance({c}, str)" for c in cells]
        tests += [f"{c}.strip()" for c in cells]
        self.src.emit(2, f"if {' and '.join(tests) or 'True'}:")
        self.src.emit(3, f"d = ' '.join([{', '.join(cells)}])")
        self._identifier("d", id_type)


def _through(values: Any, table: dict[Any, bytes]) -> dict[Any, bytes]:
    """The vocabulary table read through a mapping's ``values`` (raw -> value)."""
    if not values:
        return table
    out = {a: data for a, data in table.items() if a not in values}
    for raw, value in values.items():
        if isinstance(value, str) and value in table:
            out[raw] = table[value]
    return out

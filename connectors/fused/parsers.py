"""Parsers of connectors.formats as expressions, for the fused path's CSV cells (always str):
the same value the parser returns for a string, without its calls and type tests. A cell the
expression cannot read raises, which the row code takes as "not sure".

Each entry: parser -> (expression over ``{cell}``, the type it always returns).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connectors.formats import parse_decimal, parse_decimal_comma, parse_int

ON_STRINGS: dict[Callable[[Any], Any], tuple[str, str]] = {
    parse_decimal: ("float({cell})", "float"),
    parse_decimal_comma: ("float({cell}.replace('.', '').replace(',', '.'))", "float"),
    parse_int: ("int({cell})", "int"),
}

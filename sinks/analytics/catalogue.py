"""The analyst views: one SELECT per numbered file under views/, named by the file.

A view file is a template. ``{database}`` is the target database, ``{view:NAME}`` another view,
and each parameter listed in its ``-- params:`` header line (``as_of``, ``days``) a value. To
create the views every parameter takes its default (``as_of`` = ``today()``, ``days`` = 14) and
``{view:NAME}`` becomes ``database.NAME``. To run one with other parameters, every view it reads
is inlined as a subquery rendered with the same parameters, so the parameters reach all the way
down. Pure module: no client library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

VIEWS_DIR = Path(__file__).parent / "views"
_HEADER = re.compile(r"^--\s*(title|params):\s*(.*)$", re.MULTILINE)
_VIEW_REF = re.compile(r"\{view:([a-z0-9_]+)\}")
_PARAM_REF = re.compile(r"\{(as_of|days)\}")
DEFAULTS: dict[str, object] = {"as_of": None, "days": 14}


@dataclass(frozen=True)
class View:
    name: str
    number: int
    title: str
    description: str
    params: tuple[str, ...]
    sql: str

    @property
    def dependencies(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_VIEW_REF.findall(self.sql)))


def _description(text: str) -> str:
    lines = [line[2:].strip() for line in text.splitlines() if line.startswith("--")]
    text = " ".join(line for line in lines if not _HEADER.match("-- " + line))
    return text.replace("{as_of}", "as_of").replace("{days}", "N")


def parse(path: Path) -> View:
    text = path.read_text()
    number, name = path.stem.split("_", 1)
    header = dict(_HEADER.findall(text))
    params = tuple(p.strip() for p in header.get("params", "").split(",") if p.strip())
    unknown = set(params) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"{path.name}: unknown parameters {sorted(unknown)}")
    return View(name, int(number), header.get("title", name), _description(text), params, text)


@cache
def views() -> dict[str, View]:
    """Every view by name, in file order (dependencies come first)."""
    files = sorted(VIEWS_DIR.glob("[0-9][0-9][0-9]_*.sql"))
    return {view.name: view for view in map(parse, files)}


def get(name: str) -> View:
    try:
        return views()[name]
    except KeyError:
        raise KeyError(f"unknown analysis {name!r}; known: {', '.join(views())}") from None


def sql_value(name: str, value: object) -> str:
    """A parameter as SQL: as_of -> toDate('YYYY-MM-DD') or today(); days -> an integer."""
    if name == "as_of":
        if value is None:
            return "today()"
        try:
            return f"toDate('{date.fromisoformat(str(value)).isoformat()}')"
        except ValueError:
            raise ValueError(f"{name} must be a date YYYY-MM-DD, got {value!r}") from None
    if name == "days":
        try:
            days = int(str(value))
        except ValueError:
            raise ValueError(f"days must be an integer, got {value!r}") from None
        if days < 0:
            raise ValueError("days must be >= 0")
        return str(days)
    raise ValueError(f"unknown parameter {name!r}")


def _params(params: dict[str, object] | None) -> dict[str, str]:
    merged = {**DEFAULTS, **{k: v for k, v in (params or {}).items() if v is not None}}
    return {name: sql_value(name, merged[name]) for name in DEFAULTS}


def _fill(sql: str, database: str, values: dict[str, str]) -> str:
    sql = _PARAM_REF.sub(lambda m: values[m.group(1)], sql)
    return sql.replace("{database}", database)


def body(view: View) -> str:
    """The SELECT without the leading comment block."""
    lines = view.sql.splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("--")):
        lines.pop(0)
    return "\n".join(lines).strip().rstrip(";")


def create_sql(view: View, database: str) -> str:
    """CREATE VIEW with the default parameters, reading other views by name."""
    sql = _VIEW_REF.sub(lambda m: f"{database}.{m.group(1)}", body(view))
    select = _fill(sql, database, _params(None))
    return f"CREATE VIEW IF NOT EXISTS {database}.{view.name} AS\n{select}"


def inline_sql(view: View, database: str, params: dict[str, object] | None = None) -> str:
    """The view's SELECT with these parameters, every view it reads inlined as a subquery."""
    values = _params(params)

    def expand(v: View) -> str:
        sql = _VIEW_REF.sub(lambda m: f"(\n{expand(get(m.group(1)))}\n)", body(v))
        return _fill(sql, database, values)

    return expand(view)


def uses_defaults(params: dict[str, object] | None) -> bool:
    return _params(params) == _params(None)

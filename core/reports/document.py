"""Reports as data: a small document model that renders to HTML and serialises to JSON.

A :class:`Report` has a title, sections and a "Produced by" table (:class:`KeyValues`). A
:class:`Section` has a heading, blocks and sub-sections. Blocks hold plain values only — text, numbers,
the data of a chart, the bytes of a PNG — never markup:

* :class:`Paragraph` — runs of text, each plain or in one of the styles of :data:`RUN_STYLES`;
* :class:`BulletList` — items of runs;
* :class:`KeyValues` — names and values (text, numbers, lists, one level of named values);
* :class:`Table` — declared columns (name, unit, number format) and rows of plain values;
* :class:`Chart` — a chart kind of :data:`CHART_KINDS` and the data its SVG function takes
  (:mod:`core.reports.charts`);
* :class:`Figure` — a PNG (a map rendered by QGIS) with what its legend and scale bar say;
* :class:`Notes` — free text, blank lines between paragraphs.

One renderer (:func:`core.reports.render.render_html`) turns a report into a page, escaping every text
where it is emitted; the same report serialises to JSON (:meth:`Report.to_dict`, :func:`dumps`) and
reads back (:meth:`Report.from_dict`, :func:`loads`) — the study report renders the steps' reports from
these data and never reads their HTML.

JSON conventions: an object with ``"schema": "carbonsink-report"`` and ``"version": 1``; numbers are
JSON numbers (integers stay integers), a missing value (None, NaN, ±inf) is ``null``; every block is an
object with a ``"kind"``; a PNG is base64 text. Reading validates everything — types, block and chart
kinds, sizes (:data:`MAX_LABEL`, :data:`MAX_TEXT`, :data:`MAX_ITEMS`, :data:`MAX_DEPTH`,
:data:`MAX_PNG_BYTES`) and the data of each chart — and raises :class:`ReportDataError` naming where
(``sections[2].blocks[0].rows[5][1]``). Python code builds reports through the same constructors, so
what a step writes is what the study report accepts.

Examples
--------
>>> doc = Report(
...     "Storage",
...     [Section("Trend", [Paragraph(["Slope ", Run("+1.5 t/a", "b"), "."]),
...                        Table(["year", Column("storage", "t")], [[2001, 12.5], [2002, None]])])],
...     meta={"plugin": "Carbon Sink Diagnostics"},
... )
>>> Report.from_dict(doc.to_dict()) == doc
True
>>> doc.to_dict()["sections"][0]["blocks"][1]["rows"]
[[2001, 12.5], [2002, None]]
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import charts
from .markup import HEX_COLOUR

__all__ = [
    "BLOCK_KINDS",
    "CHART_KINDS",
    "LAYOUTS",
    "MAX_DEPTH",
    "MAX_ITEMS",
    "MAX_LABEL",
    "MAX_MATRIX",
    "MAX_PNG_BYTES",
    "MAX_TEXT",
    "PNG_SIGNATURE",
    "RUN_STYLES",
    "SCHEMA",
    "VERSION",
    "BulletList",
    "Chart",
    "Column",
    "Figure",
    "KeyValues",
    "Notes",
    "Paragraph",
    "Report",
    "ReportDataError",
    "Run",
    "Section",
    "Table",
    "dumps",
    "loads",
    "plugin_label",
]

PLUGIN = "Carbon Sink Diagnostics"
SCHEMA = "carbonsink-report"
VERSION = 1
MAX_LABEL = 1_000  # characters of a title, heading, column name, key or chart label
MAX_TEXT = 100_000  # characters of any other text (a run, a cell, a value, notes)
MAX_ITEMS = 100_000  # entries of a list: rows, columns, points, flows, blocks, items
MAX_DEPTH = 3  # sections within sections in report data (the study report nests a step's one deeper)
MAX_MATRIX = 200  # rows (and columns) of a heat map
MAX_PNG_BYTES = 32 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
RUN_STYLES = ("", "b", "i", "code", "sub", "sup", "link")
# A "link" run is a relative file name beside the report (a step report, a CSV table): no scheme, no
# absolute path, so the page still opens offline and links only to what sits beside it.
_LINK = re.compile(r"^(?![/\\])[^:<>\"'\s][^:<>\"']*$")
LAYOUTS = ("step", "study")
SECTION_ROLES = ("", "provenance")
_MAX_INT = 2**63
# A number format is a Python format spec without fill, width or conversion: grouping, precision, type.
_FORMAT = re.compile(r"^(?=.)(,?)(\.\d{1,2}[efg%]|[efg%])?$")


class ReportDataError(ValueError):
    """Report data that do not follow the schema; the message says where and what is wrong."""


# ------------------------------------------------------------------------------------------ validation
def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return f"text ({len(value):,} characters)" if len(value) > 40 else f"text {value!r}"
    if isinstance(value, (bool, np.bool_)):
        return "a boolean"
    if isinstance(value, (int, float, np.number)):
        return f"the number {value!r}"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)}"
    return type(value).__name__


def _err(where, what, value) -> ReportDataError:
    return ReportDataError(f"{where}: expected {what}, got {_kind(value)}")


def _text(value, where, limit=MAX_TEXT) -> str:
    if isinstance(value, np.str_):
        value = str(value)
    if not isinstance(value, str):
        raise _err(where, "text", value)
    if len(value) > limit:
        raise ReportDataError(
            f"{where}: a text of {len(value):,} characters is longer than the limit of {limit:,}"
        )
    return value


def _label(value, where) -> str:
    return _text(value, where, MAX_LABEL)


def _bool(value, where) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise _err(where, "true or false", value)
    return bool(value)


def _sequence(value, where, what="a list") -> list:
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise _err(where, what, value)
    if len(value) > MAX_ITEMS:
        raise ReportDataError(f"{where}: {len(value):,} entries are more than the limit of {MAX_ITEMS:,}")
    return list(value)


def _mapping(value, where) -> Mapping:
    if not isinstance(value, Mapping):
        raise _err(where, "an object", value)
    if len(value) > MAX_ITEMS:
        raise ReportDataError(f"{where}: {len(value):,} entries are more than the limit of {MAX_ITEMS:,}")
    return value


def _keys(data, where, required, optional=()) -> None:
    _mapping(data, where)
    unknown = [k for k in data if k not in required and k not in optional]
    if unknown:
        raise ReportDataError(
            f"{where}: unknown field {unknown[0]!r} (allowed: {', '.join(required + optional)})"
        )
    missing = [k for k in required if k not in data]
    if missing:
        raise ReportDataError(f"{where}: the field {missing[0]!r} is missing")


def _number(value, where, allow_none=True):
    """A finite int or float; non-finite floats are None (missing)."""
    if isinstance(value, np.generic) and not isinstance(value, (np.str_, np.bytes_)):
        value = value.item()
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _err(where, "a number" + (" or null" if allow_none else ""), value)
    if isinstance(value, int):
        if abs(value) >= _MAX_INT:
            raise ReportDataError(f"{where}: the integer is out of range (|n| < 2⁶³)")
        return value
    if not math.isfinite(value):
        if allow_none:
            return None
        raise ReportDataError(f"{where}: expected a finite number, got {value!r}")
    return value


def _numbers(value, where) -> tuple:
    return tuple(_number(v, f"{where}[{k}]") for k, v in enumerate(_sequence(value, where)))


def _floats(values) -> np.ndarray:
    return np.array([math.nan if v is None else float(v) for v in values], dtype=np.float64)


def _scalar(value, where):
    """A table cell or a value: None, bool, int, float (non-finite → None) or text."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (str, np.str_)):
        return _text(value, where)
    return _number(value, where)


def _located(where, error) -> ReportDataError:
    """``error`` (raised by a constructor, its message relative) with ``where`` in front."""
    text = str(error)
    if text.startswith("["):
        return ReportDataError(f"{where}{text}")
    return ReportDataError(f"{where}.{text}" if re.match(r"^\w+[\[.:]", text) else f"{where}: {text}")


# ------------------------------------------------------------------------------------------------- runs
@dataclass(frozen=True)
class Run:
    """A run of text in a paragraph or list item: plain (``style=""``) or b, i, code, sub, sup."""

    text: str
    style: str = ""

    def __post_init__(self):
        _text(self.text, "text")
        if self.style not in RUN_STYLES:
            raise ReportDataError(f"style: {self.style!r} is not a text style ({', '.join(RUN_STYLES[1:])})")
        if self.style == "link" and not _LINK.match(self.text):
            raise ReportDataError(
                f"link: {self.text!r} is not a relative file name (no scheme, no absolute path)"
            )

    def to_dict(self):
        return self.text if not self.style else {"text": self.text, "style": self.style}

    @classmethod
    def from_dict(cls, data, where="run"):
        if isinstance(data, str):
            return cls(_text(data, where))
        _keys(data, where, ("text",), ("style",))
        try:
            return cls(data["text"], data.get("style", ""))
        except ReportDataError as exc:
            raise _located(where, exc) from None


def _runs(value, where="runs") -> tuple:
    if isinstance(value, (str, Run)):
        value = [value]
    out = []
    for k, run in enumerate(_sequence(value, where)):
        if isinstance(run, Run):
            out.append(run)
        elif isinstance(run, str):
            out.append(Run(_text(run, f"{where}[{k}]")))
        else:
            raise _err(f"{where}[{k}]", "text or a Run", run)
    return tuple(out)


def _runs_from(data, where) -> tuple:
    return tuple(Run.from_dict(r, f"{where}[{k}]") for k, r in enumerate(_sequence(data, where)))


# ----------------------------------------------------------------------------------------------- blocks
@dataclass(frozen=True)
class Paragraph:
    """Runs of text; ``lead``: an introductory sentence (set a little apart)."""

    runs: tuple = ()
    lead: bool = False
    kind = "paragraph"

    def __post_init__(self):
        object.__setattr__(self, "runs", _runs(self.runs))
        object.__setattr__(self, "lead", _bool(self.lead, "lead"))

    def to_dict(self):
        out = {"kind": self.kind, "runs": [r.to_dict() for r in self.runs]}
        return out | ({"lead": True} if self.lead else {})

    @classmethod
    def from_dict(cls, data, where):
        _keys(data, where, ("kind", "runs"), ("lead",))
        return cls(_runs_from(data["runs"], f"{where}.runs"), _bool(data.get("lead", False), f"{where}.lead"))


@dataclass(frozen=True)
class BulletList:
    """Items, each runs of text; ``muted``: a list of what is absent (greyed)."""

    items: tuple = ()
    muted: bool = False
    kind = "list"

    def __post_init__(self):
        items = _sequence(self.items, "items")
        object.__setattr__(self, "items", tuple(_runs(item, f"items[{k}]") for k, item in enumerate(items)))
        object.__setattr__(self, "muted", _bool(self.muted, "muted"))

    def to_dict(self):
        out = {"kind": self.kind, "items": [[r.to_dict() for r in item] for item in self.items]}
        return out | ({"muted": True} if self.muted else {})

    @classmethod
    def from_dict(cls, data, where):
        _keys(data, where, ("kind", "items"), ("muted",))
        items = _sequence(data["items"], f"{where}.items")
        return cls(
            tuple(_runs_from(item, f"{where}.items[{k}]") for k, item in enumerate(items)),
            _bool(data.get("muted", False), f"{where}.muted"),
        )


def _value(value, where, nested=True):
    """A value of a key-value list: a scalar, a list of scalars or (once) named values."""
    if isinstance(value, Mapping) and nested:
        _mapping(value, where)
        return {_label(k, f"{where} (a name)"): _value(v, f"{where}[{k!r}]", False) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return tuple(_scalar(v, f"{where}[{k}]") for k, v in enumerate(_sequence(value, where)))
    if isinstance(value, Mapping):
        raise _err(where, "a value or a list of values", value)
    return _scalar(value, where)


def _value_to_dict(value):
    if isinstance(value, dict):
        return {k: _value_to_dict(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return list(value)
    return value


@dataclass(frozen=True)
class KeyValues:
    """Names and their values, in order (inputs, parameters, versions).

    A value is text, a number, a boolean, None, a list of those, or named values of those (one level).
    """

    items: tuple = ()
    kind = "keyvalues"

    def __post_init__(self):
        if isinstance(self.items, Mapping):
            items = list(_mapping(self.items, "").items())
        else:
            items = _sequence(self.items, "items")
        out = []
        for k, item in enumerate(items):
            try:
                key, value = item
            except (TypeError, ValueError):
                raise _err(f"[{k}]", "a (name, value) pair", item) from None
            out.append((_label(key, f"[{k}] (a name)"), _value(value, f"[{key!r}]")))
        object.__setattr__(self, "items", tuple(out))

    def __bool__(self):
        return bool(self.items)

    def to_dict(self):
        return {"kind": self.kind, "items": self.items_dict()}

    def items_dict(self):
        return {k: _value_to_dict(v) for k, v in self.items}

    @classmethod
    def from_dict(cls, data, where):
        _keys(data, where, ("kind", "items"))
        return cls.from_items(data["items"], f"{where}.items")

    @classmethod
    def from_items(cls, items, where):
        _mapping(items, where)
        try:
            return cls(tuple(items.items()))
        except ReportDataError as exc:
            raise _located(where, exc) from None


@dataclass(frozen=True)
class Column:
    """A table column: its name, its unit (shown as "name (unit)") and the format of its numbers.

    ``format`` is a Python format spec of grouping, precision and type only (``","``, ``".3f"``,
    ``",.2f"``, ``".3g"``) and applies to every number of the column; without one, integers are shown as
    they are (years stay 2001) and floats with the table's ``float_format``.
    """

    name: str
    unit: str = ""
    format: str | None = None

    def __post_init__(self):
        _label(self.name, "name")
        _label(self.unit, "unit")
        if self.format is not None:
            _check_format(self.format, "format")

    @property
    def header(self) -> str:
        return f"{self.name} ({self.unit})" if self.unit else self.name

    def to_dict(self):
        out = {"name": self.name}
        if self.unit:
            out["unit"] = self.unit
        if self.format is not None:
            out["format"] = self.format
        return out

    @classmethod
    def from_dict(cls, data, where):
        _keys(data, where, ("name",), ("unit", "format"))
        try:
            return cls(data["name"], data.get("unit", ""), data.get("format"))
        except ReportDataError as exc:
            raise _located(where, exc) from None


def _check_format(spec, where) -> str:
    if not isinstance(spec, str) or not _FORMAT.match(spec):
        raise ReportDataError(
            f"{where}: {spec!r} is not a number format (grouping, precision and type, e.g. ',.2f', '.3g', ',')"
        )
    return spec


def _row(values, n, where) -> tuple:
    values = _sequence(values, where)
    if len(values) != n:
        raise ReportDataError(f"{where}: {len(values)} cells for {n} columns")
    return tuple(_scalar(v, f"{where}[{k}]") for k, v in enumerate(values))


@dataclass(frozen=True)
class Table:
    """Columns and rows of plain values (text, numbers, booleans, None for missing).

    Parameters
    ----------
    columns : sequence of Column or str
    rows : sequence of sequences, one value per column
        Numbers are right-aligned and formatted by their column; booleans show as yes/no; None (and
        NaN) as "–".
    float_format : str, default ``",.4g"``
        Format of floats in columns without a format of their own.
    footer : sequence, optional
        A closing row (totals), one value per column; ``""`` leaves a cell empty.
    swatches : sequence of str, optional
        A colour ``'#rrggbb'`` (or ``""``) per row, shown as a small square before the cell of column
        ``swatch_column`` (class tables).
    swatch_column : int, default 0
    """

    columns: tuple
    rows: tuple = ()
    float_format: str = ",.4g"
    footer: tuple | None = None
    swatches: tuple | None = None
    swatch_column: int = 0
    kind = "table"

    def __post_init__(self):
        cols = _sequence(self.columns, "columns")
        if not cols:
            raise ReportDataError("columns: a table needs at least one column")
        cols = tuple(
            c if isinstance(c, Column) else Column(_label(c, f"columns[{k}]")) for k, c in enumerate(cols)
        )
        object.__setattr__(self, "columns", cols)
        n = len(cols)
        rows = _sequence(self.rows, "rows")
        object.__setattr__(self, "rows", tuple(_row(r, n, f"rows[{k}]") for k, r in enumerate(rows)))
        _check_format(self.float_format, "float_format")
        if self.footer is not None:
            object.__setattr__(self, "footer", _row(self.footer, n, "footer"))
        if self.swatches is not None:
            swatches = _sequence(self.swatches, "swatches")
            if len(swatches) != len(self.rows):
                raise ReportDataError(f"swatches: {len(swatches)} colours for {len(self.rows)} rows")
            for k, s in enumerate(swatches):
                if not (isinstance(s, str) and (s == "" or HEX_COLOUR.match(s))):
                    raise _err(f"swatches[{k}]", "a colour '#rrggbb' or ''", s)
            object.__setattr__(self, "swatches", tuple(swatches))
        if isinstance(self.swatch_column, bool) or not isinstance(self.swatch_column, (int, np.integer)):
            raise _err("swatch_column", "a column index", self.swatch_column)
        if not 0 <= self.swatch_column < n:
            raise ReportDataError(f"swatch_column: {self.swatch_column} is not a column index (0–{n - 1})")
        object.__setattr__(self, "swatch_column", int(self.swatch_column))

    @classmethod
    def from_rows(cls, rows, columns=None, **kwargs):
        """A table from dicts (column name → value); columns default to the keys in order of appearance.

        ``columns`` may hold :class:`Column` objects: a row's key is the column's ``name``.
        """
        rows = list(rows)
        if any(not isinstance(r, Mapping) for r in rows):
            raise ReportDataError("rows must be dicts (column name -> value)")
        if columns is None:
            columns = list(dict.fromkeys(k for r in rows for k in r))
        names = [c.name if isinstance(c, Column) else c for c in columns]
        return cls(tuple(columns), tuple(tuple(r.get(n) for n in names) for r in rows), **kwargs)

    def to_dict(self):
        out = {
            "kind": self.kind,
            "columns": [c.to_dict() for c in self.columns],
            "rows": [list(r) for r in self.rows],
            "float_format": self.float_format,
        }
        if self.footer is not None:
            out["footer"] = list(self.footer)
        if self.swatches is not None:
            out["swatches"] = list(self.swatches)
            out["swatch_column"] = self.swatch_column
        return out

    @classmethod
    def from_dict(cls, data, where):
        _keys(
            data, where, ("kind", "columns", "rows"), ("float_format", "footer", "swatches", "swatch_column")
        )
        columns = tuple(
            Column.from_dict(c, f"{where}.columns[{k}]")
            for k, c in enumerate(_sequence(data["columns"], f"{where}.columns"))
        )
        try:
            return cls(
                columns,
                data["rows"],
                data.get("float_format", ",.4g"),
                data.get("footer"),
                data.get("swatches"),
                data.get("swatch_column", 0),
            )
        except ReportDataError as exc:
            raise _located(where, exc) from None


# ------------------------------------------------------------------------------------------------ charts
def _named_values(value, where, fields):
    """A list of objects with a ``name`` and the number fields ``fields`` (series, trend lines)."""
    out = []
    for k, item in enumerate(_sequence(value, where)):
        at = f"{where}[{k}]"
        _keys(item, at, ("name", *fields))
        entry = {"name": _label(item["name"], f"{at}.name")}
        for f in fields:
            entry[f] = (
                _numbers(item[f], f"{at}.{f}") if f == "values" else _number(item[f], f"{at}.{f}", False)
            )
        out.append(entry)
    return out


def _labels(value, where):
    return [_label(v, f"{where}[{k}]") for k, v in enumerate(_sequence(value, where))]


def _matrix(value, where, cell):
    rows = _sequence(value, where)
    return [
        [cell(v, f"{where}[{i}][{j}]") for j, v in enumerate(_sequence(r, f"{where}[{i}]"))]
        for i, r in enumerate(rows)
    ]


def _flows(value, where):
    out = []
    for k, item in enumerate(_sequence(value, where)):
        at = f"{where}[{k}]"
        item = _sequence(item, at, "a [source, target, value] triple")
        if len(item) != 3:
            raise _err(at, "a [source, target, value] triple", item)
        out.append([_label(item[0], f"{at}[0]"), _label(item[1], f"{at}[1]"), _number(item[2], f"{at}[2]")])
    return out


def _colours(value, where):
    _mapping(value, where)
    out = {}
    for k, v in value.items():
        _label(k, f"{where} (a name)")
        if not (isinstance(v, str) and HEX_COLOUR.match(v)):
            raise _err(f"{where}.{k}", "a colour '#rrggbb'", v)
        out[k] = v
    return out


def _pair(value, where):
    value = _labels(value, where)
    if len(value) != 2:
        raise ReportDataError(f"{where}: expected two titles, got {len(value)}")
    return value


def _optional(check):
    def wrapped(value, where):
        return None if value is None else check(value, where)

    return wrapped


# kind → {field: (required, check)}; the fields are the arguments of the chart's SVG function.
_CHART_FIELDS = {
    "lines": {
        "x": (True, _numbers),
        "series": (True, lambda v, w: _named_values(v, w, ("values",))),
        "xlabel": (True, _label),
        "ylabel": (True, _label),
        "title": (False, _label),
        "trend_lines": (False, lambda v, w: _named_values(v, w, ("slope", "intercept"))),
        "right_axis": (False, _labels),
    },
    "bars": {
        "values": (True, _numbers),
        "labels": (True, _labels),
        "xlabel": (True, _label),
        "title": (False, _label),
        "errors": (False, _optional(_numbers)),
    },
    "scatter": {
        "x": (True, _numbers),
        "y": (True, _numbers),
        "xlabel": (True, _label),
        "ylabel": (True, _label),
        "title": (False, _label),
        "one_to_one": (False, _bool),
        "series_labels": (False, _optional(_labels)),
    },
    "heatmap": {
        "matrix": (True, lambda v, w: _matrix(v, w, _number)),
        "labels": (True, _labels),
        "title": (False, _label),
        "vmin": (False, lambda v, w: _number(v, w, False)),
        "vmax": (False, lambda v, w: _number(v, w, False)),
        "annotations": (False, _optional(lambda v, w: _matrix(v, w, _label))),
    },
    "sankey": {
        "flows": (True, _flows),
        "title": (False, _label),
        "unit": (False, _label),
        "colors": (False, _colours),
        "column_titles": (False, _optional(_pair)),
    },
}
CHART_KINDS = tuple(_CHART_FIELDS)


def _svg(kind, d) -> str:
    """The chart drawn by its SVG function (which validates shapes, ranges and colours)."""
    if kind == "lines":
        return charts.svg_lines(
            _floats(d["x"]),
            {s["name"]: _floats(s["values"]) for s in d["series"]},
            d["xlabel"],
            d["ylabel"],
            title=d.get("title", ""),
            trend_lines={t["name"]: (t["slope"], t["intercept"]) for t in d.get("trend_lines", ())},
            right_axis=d.get("right_axis", ()),
        )
    if kind == "bars":
        errors = d.get("errors")
        return charts.svg_bars(
            _floats(d["values"]),
            d["labels"],
            d["xlabel"],
            title=d.get("title", ""),
            errors=None if errors is None else _floats(errors),
        )
    if kind == "scatter":
        return charts.svg_scatter(
            _floats(d["x"]),
            _floats(d["y"]),
            d["xlabel"],
            d["ylabel"],
            title=d.get("title", ""),
            one_to_one=d.get("one_to_one", False),
            series_labels=d.get("series_labels"),
        )
    if kind == "heatmap":
        matrix = d["matrix"]
        if any(len(r) != len(matrix) for r in matrix):
            raise ReportDataError("matrix: must be square (n rows of n values)")
        if len(matrix) > MAX_MATRIX:
            raise ReportDataError(f"matrix: {len(matrix)} rows are more than the limit of {MAX_MATRIX}")
        return charts.svg_heatmap(
            np.array([[math.nan if v is None else v for v in r] for r in matrix], dtype=np.float64).reshape(
                len(matrix), len(matrix)
            ),
            d["labels"],
            title=d.get("title", ""),
            vmin=d.get("vmin", -1.0),
            vmax=d.get("vmax", 1.0),
            annotations=d.get("annotations"),
        )
    return charts.svg_sankey(
        [(s, t, math.nan if v is None else v) for s, t, v in d["flows"]],
        title=d.get("title", ""),
        unit=d.get("unit", ""),
        colors=d.get("colors"),
        column_titles=d.get("column_titles"),
    )


@dataclass(frozen=True)
class Chart:
    """A chart: its kind (:data:`CHART_KINDS`) and the data its SVG function takes.

    Build one with :meth:`lines`, :meth:`bars`, :meth:`scatter`, :meth:`heatmap` or :meth:`sankey`
    (the arguments of :mod:`core.reports.charts`' functions). The data are checked and the chart drawn
    once, when it is made: a chart that exists can be rendered.
    """

    chart: str
    data: dict
    kind = "chart"
    svg: str = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if self.chart not in _CHART_FIELDS:
            raise ReportDataError(f"chart: {self.chart!r} is not a chart kind ({', '.join(CHART_KINDS)})")
        fields = _CHART_FIELDS[self.chart]
        required = tuple(k for k, (req, _) in fields.items() if req)
        _keys(self.data, f"{self.chart} chart", required, tuple(k for k in fields if k not in required))
        data = {k: fields[k][1](v, k) for k, v in self.data.items()}
        try:
            svg = _svg(self.chart, data)
        except ReportDataError:
            raise
        except (ValueError, TypeError, ArithmeticError) as exc:
            raise ReportDataError(f"{self.chart} chart: {exc}") from None
        object.__setattr__(self, "data", data)
        object.__setattr__(self, "svg", svg)

    def to_dict(self):
        return {"kind": self.kind, "chart": self.chart, **_plain(self.data)}

    @classmethod
    def from_dict(cls, data, where):
        _mapping(data, where)
        if "chart" not in data:
            raise ReportDataError(f"{where}: the field 'chart' is missing")
        chart = data["chart"]
        if not isinstance(chart, str) or chart not in _CHART_FIELDS:
            raise ReportDataError(
                f"{where}.chart: {_kind(chart)} is not a chart kind ({', '.join(CHART_KINDS)})"
            )
        try:
            return cls(chart, {k: v for k, v in data.items() if k not in ("kind", "chart")})
        except ReportDataError as exc:
            raise _located(where, exc) from None

    # The arguments of the SVG functions (see core.reports.charts).
    @classmethod
    def lines(cls, x, series, xlabel, ylabel, title="", trend_lines=None, right_axis=()):
        data = {
            "x": _plain_numbers(x),
            "series": [{"name": n, "values": _plain_numbers(v)} for n, v in dict(series).items()],
            "xlabel": xlabel,
            "ylabel": ylabel,
            "title": title,
        }
        if trend_lines:
            data["trend_lines"] = [
                {"name": n, "slope": _plain_number(c[0]), "intercept": _plain_number(c[1])}
                for n, c in dict(trend_lines).items()
            ]
        if right_axis:
            data["right_axis"] = list(right_axis)
        return cls("lines", data)

    @classmethod
    def bars(cls, values, labels, xlabel, title="", errors=None):
        data = {"values": _plain_numbers(values), "labels": list(labels), "xlabel": xlabel, "title": title}
        if errors is not None:
            data["errors"] = _plain_numbers(errors)
        return cls("bars", data)

    @classmethod
    def scatter(cls, x, y, xlabel, ylabel, title="", one_to_one=False, series_labels=None):
        data = {
            "x": _plain_numbers(x),
            "y": _plain_numbers(y),
            "xlabel": xlabel,
            "ylabel": ylabel,
            "title": title,
        }
        if one_to_one:
            data["one_to_one"] = True
        if series_labels is not None:
            data["series_labels"] = [str(s) for s in series_labels]
        return cls("scatter", data)

    @classmethod
    def heatmap(cls, matrix, labels, title="", vmin=-1.0, vmax=1.0, annotations=None):
        m = np.asarray(matrix, dtype=np.float64)
        data = {
            "matrix": [_plain_numbers(r) for r in np.atleast_2d(m)],
            "labels": [str(s) for s in labels],
            "title": title,
            "vmin": _plain_number(vmin),
            "vmax": _plain_number(vmax),
        }
        if annotations is not None:
            data["annotations"] = [[str(a or "") for a in r] for r in np.asarray(annotations, dtype=object)]
        return cls("heatmap", data)

    @classmethod
    def sankey(cls, flows, title="", unit="", colors=None, column_titles=None):
        data = {"flows": [[s, t, _plain_number(v)] for s, t, v in flows], "title": title, "unit": unit}
        if colors:
            data["colors"] = dict(colors)
        if column_titles is not None:
            data["column_titles"] = list(column_titles)
        return cls("sankey", data)


def _plain_number(v):
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _plain_numbers(values):
    return (
        [_plain_number(v) for v in np.asarray(values).tolist()]
        if isinstance(values, np.ndarray)
        else [_plain_number(v) for v in values]
    )


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


# ------------------------------------------------------------------------------------------------ figure
@dataclass(frozen=True)
class Figure:
    """A map rendered as a PNG, with what its legend and scale bar say (for its alt text and caption).

    ``width_mm`` is its printed width; ``legend_labels`` the class names, or the two ends of the colour
    ramp when ``continuous``; ``source`` the file it was drawn from; ``note`` e.g. where its style came
    from.
    """

    png: bytes
    title: str
    legend_title: str = ""
    legend_labels: tuple = ()
    continuous: bool = False
    scale_label: str = ""
    width_mm: float | None = None
    source: str = ""
    note: str = ""
    kind = "figure"

    def __post_init__(self):
        if not isinstance(self.png, (bytes, bytearray)) or len(self.png) <= len(PNG_SIGNATURE):
            size = len(self.png) if isinstance(self.png, (bytes, bytearray)) else 0
            raise ReportDataError(f"png: expected the bytes of a PNG image, got {size} bytes")
        if bytes(self.png[:8]) != PNG_SIGNATURE:
            raise ReportDataError("png: does not start with the PNG signature (\\x89PNG\\r\\n\\x1a\\n)")
        if len(self.png) > MAX_PNG_BYTES:
            raise ReportDataError(
                f"png: {len(self.png):,} bytes are more than the limit of {MAX_PNG_BYTES:,}"
            )
        object.__setattr__(self, "png", bytes(self.png))
        for name in ("title", "legend_title", "scale_label"):
            _label(getattr(self, name), name)
        _text(self.source, "source")
        _text(self.note, "note")
        object.__setattr__(self, "legend_labels", tuple(_labels(self.legend_labels, "legend_labels")))
        object.__setattr__(self, "continuous", _bool(self.continuous, "continuous"))
        if self.width_mm is not None:
            width = _number(self.width_mm, "width_mm", False)
            if not 1 <= width <= 2000:
                raise ReportDataError(f"width_mm: {width!r} mm is not a printed width (1–2000 mm)")
            object.__setattr__(self, "width_mm", float(width))

    def to_dict(self):
        return {
            "kind": self.kind,
            "title": self.title,
            "png": base64.b64encode(self.png).decode("ascii"),
            "legend_title": self.legend_title,
            "legend_labels": list(self.legend_labels),
            "continuous": self.continuous,
            "scale_label": self.scale_label,
            "width_mm": self.width_mm,
            "source": self.source,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data, where):
        names = ("legend_title", "legend_labels", "continuous", "scale_label", "width_mm", "source", "note")
        _keys(data, where, ("kind", "title", "png"), names)
        text = _text(data["png"], f"{where}.png", 2 * MAX_PNG_BYTES)
        try:
            png = base64.b64decode(text.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            raise ReportDataError(f"{where}.png: not base64 text") from None
        try:
            return cls(png, data["title"], **{k: data[k] for k in names if k in data})
        except ReportDataError as exc:
            raise _located(where, exc) from None


@dataclass(frozen=True)
class Notes:
    """Free text in a box: blank lines separate paragraphs, line breaks are kept."""

    text: str
    kind = "notes"

    def __post_init__(self):
        _text(self.text, "text")

    def to_dict(self):
        return {"kind": self.kind, "text": self.text}

    @classmethod
    def from_dict(cls, data, where):
        _keys(data, where, ("kind", "text"))
        return cls(_text(data["text"], f"{where}.text"))


BLOCKS = {c.kind: c for c in (Paragraph, BulletList, KeyValues, Table, Chart, Figure, Notes)}
BLOCK_KINDS = tuple(BLOCKS)


def _block_from(data, where):
    _mapping(data, where)
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in BLOCKS:
        raise ReportDataError(f"{where}.kind: {_kind(kind)} is not a block kind ({', '.join(BLOCK_KINDS)})")
    return BLOCKS[kind].from_dict(data, where)


def _blocks(value, where) -> tuple:
    out = []
    for k, b in enumerate(_sequence(value, where)):
        if not isinstance(b, tuple(BLOCKS.values())):
            raise _err(f"{where}[{k}]", f"a block ({', '.join(c.__name__ for c in BLOCKS.values())})", b)
        out.append(b)
    return tuple(out)


# ---------------------------------------------------------------------------------------------- sections
@dataclass(frozen=True)
class Section:
    """A heading, its blocks and its sub-sections; ``role="provenance"``: what produced a part (small)."""

    heading: str
    blocks: tuple = ()
    sections: tuple = ()
    role: str = ""

    def __post_init__(self):
        _label(self.heading, "heading")
        object.__setattr__(self, "blocks", _blocks(self.blocks, "blocks"))
        subs = _sequence(self.sections, "sections")
        for k, s in enumerate(subs):
            if not isinstance(s, Section):
                raise _err(f"sections[{k}]", "a Section", s)
        if self.depth() > MAX_DEPTH + 1:
            raise ReportDataError(f"sections: nested {self.depth()} deep, more than {MAX_DEPTH + 1}")
        object.__setattr__(self, "sections", tuple(subs))
        if self.role not in SECTION_ROLES:
            raise ReportDataError(
                f"role: {self.role!r} is not a section role ({', '.join(SECTION_ROLES[1:])})"
            )

    def depth(self) -> int:
        return 1 + max((s.depth() for s in self.sections), default=0)

    def to_dict(self):
        out = {"heading": self.heading, "blocks": [b.to_dict() for b in self.blocks]}
        if self.sections:
            out["sections"] = [s.to_dict() for s in self.sections]
        if self.role:
            out["role"] = self.role
        return out

    @classmethod
    def from_dict(cls, data, where, depth=1):
        _keys(data, where, ("heading", "blocks"), ("sections", "role"))
        if depth > MAX_DEPTH:
            raise ReportDataError(f"{where}: sections nested more than {MAX_DEPTH} deep")
        blocks = tuple(
            _block_from(b, f"{where}.blocks[{k}]")
            for k, b in enumerate(_sequence(data["blocks"], f"{where}.blocks"))
        )
        subs = tuple(
            cls.from_dict(s, f"{where}.sections[{k}]", depth + 1)
            for k, s in enumerate(_sequence(data.get("sections", []), f"{where}.sections"))
        )
        role = data.get("role", "")
        if role not in SECTION_ROLES:
            raise ReportDataError(
                f"{where}.role: {_kind(role)} is not a section role ({', '.join(SECTION_ROLES[1:])})"
            )
        return cls(_label(data["heading"], f"{where}.heading"), blocks, subs, role)


def _sections(value, where) -> tuple:
    out = _sequence(value, where)
    for k, s in enumerate(out):
        if not isinstance(s, Section):
            raise _err(f"{where}[{k}]", "a Section", s)
    return tuple(out)


# ------------------------------------------------------------------------------------------------ report
@dataclass(frozen=True)
class Report:
    """A report: title, sections and what produced it.

    Parameters
    ----------
    title : str
    sections : sequence of Section
    meta : KeyValues or dict, optional
        "Produced by": plugin version, algorithm, inputs, parameters, date.
    algorithm : str, optional
        Id of the algorithm that wrote it (``carbonsink:carbonstorage``), to check it is the report
        expected.
    layout : {"step", "study"}, default "step"
        "study": a summary with contents, each top-level section a part starting a new printed page.
    lead : str, optional
        A sentence under the title (study layout).
    summary : sequence of blocks, optional
        Under the contents of the summary (study layout), e.g. what the report lacks.
    """

    title: str
    sections: tuple = ()
    meta: KeyValues = field(default_factory=KeyValues)
    algorithm: str = ""
    layout: str = "step"
    lead: str = ""
    summary: tuple = ()

    def __post_init__(self):
        _label(self.title, "title")
        object.__setattr__(self, "sections", _sections(self.sections, "sections"))
        meta = self.meta
        if meta is None:
            meta = KeyValues()
        elif not isinstance(meta, KeyValues):
            meta = KeyValues(meta)
        object.__setattr__(self, "meta", meta)
        _label(self.algorithm, "algorithm")
        if self.layout not in LAYOUTS:
            raise ReportDataError(f"layout: {self.layout!r} is not a layout ({', '.join(LAYOUTS)})")
        _text(self.lead, "lead")
        object.__setattr__(self, "summary", _blocks(self.summary, "summary"))

    def to_dict(self):
        out = {"schema": SCHEMA, "version": VERSION, "title": self.title, "algorithm": self.algorithm}
        out["layout"] = self.layout
        if self.lead:
            out["lead"] = self.lead
        if self.summary:
            out["summary"] = [b.to_dict() for b in self.summary]
        out["sections"] = [s.to_dict() for s in self.sections]
        out["meta"] = self.meta.items_dict()
        return out

    @classmethod
    def from_dict(cls, data):
        """A report from its JSON data, validated; :class:`ReportDataError` says where it is wrong."""
        if not isinstance(data, Mapping):
            raise _err("the report data", "an object", data)
        schema, version = data.get("schema"), data.get("version")
        if schema != SCHEMA:
            raise ReportDataError(
                f"schema: expected {SCHEMA!r}, got {_kind(schema)}: not report data of this plugin"
            )
        if isinstance(version, bool) or not isinstance(version, int):
            raise _err("version", "an integer", version)
        if version > VERSION:
            raise ReportDataError(
                f"version: the data are of version {version}; this plugin reads version {VERSION} — update "
                "the plugin or write the report again with this version"
            )
        if version < 1:
            raise ReportDataError(f"version: {version} is not a version of {SCHEMA}")
        _keys(
            data,
            "report",
            ("schema", "version", "title", "sections"),
            ("algorithm", "layout", "lead", "summary", "meta"),
        )
        sections = tuple(
            Section.from_dict(s, f"sections[{k}]")
            for k, s in enumerate(_sequence(data["sections"], "sections"))
        )
        summary = tuple(
            _block_from(b, f"summary[{k}]")
            for k, b in enumerate(_sequence(data.get("summary", []), "summary"))
        )
        meta = KeyValues.from_items(data.get("meta", {}), "meta")
        layout = data.get("layout", "step")
        if layout not in LAYOUTS:
            raise ReportDataError(f"layout: {_kind(layout)} is not a layout ({', '.join(LAYOUTS)})")
        return cls(
            _label(data["title"], "title"),
            sections,
            meta,
            _label(data.get("algorithm", ""), "algorithm"),
            layout,
            _text(data.get("lead", ""), "lead"),
            summary,
        )


def plugin_label(version="") -> str:
    """The plugin and its version, as the "plugin" entry of a report's "Produced by".

    >>> plugin_label("0.3.0")
    'Carbon Sink Diagnostics 0.3.0'
    """
    return f"{PLUGIN} {version or ''}".strip()


def dumps(report: Report) -> str:
    """The report as JSON text (UTF-8, numbers as numbers, missing values as null)."""
    if not isinstance(report, Report):
        raise ReportDataError(f"expected a Report, got {type(report).__name__}")
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def _no_constant(name):
    raise ReportDataError(f"{name} is not a JSON number (a missing value is null)")


def loads(text: str) -> Report:
    """A report from JSON text, validated (:meth:`Report.from_dict`).

    Raises
    ------
    ReportDataError
        The text is not JSON, or not report data of this schema; the message says where.
    """
    if not isinstance(text, str):
        raise ReportDataError(f"expected JSON text, got {type(text).__name__}")
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except ReportDataError:
        raise
    except RecursionError:
        raise ReportDataError("not valid JSON: nested too deep") from None
    except ValueError as exc:
        raise ReportDataError(f"not valid JSON: {exc}") from None
    try:
        return Report.from_dict(data)
    except RecursionError:
        raise ReportDataError("nested too deep") from None

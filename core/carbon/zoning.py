"""Diagnostic zoning (METHOD.md step 13): class rasters combined into management zones by a rule table.

The inputs are class rasters the plugin makes, each in a *role*: the Sen + Mann-Kendall trend class
(``trend``), the future trend class (``future``), the LISA cluster (``lisa``) and the climate driver type
(``driver``) — or any other roles the caller declares. A *rule table* maps combinations of their classes
to zones. Every row is one rule: a zone name and, for each role, either ``any`` or a set of class names
separated by ``|``; optional columns give the zone's ``code`` and ``colour`` and a ``note`` (why the rule
is there). The zone of a pixel is the zone of the rule that matches all its classes; a pixel no rule
covers gets the default zone (:data:`DEFAULT_ZONE`, renamed by a rule whose every role is ``any``).

Rules must not contradict each other: two rules that match a common combination of classes must give
the same zone. The order of the rules is not a way out of a contradiction (there is no "first match
wins"), so the table means the same whatever its order. Overlapping rules of the same zone are fine
(that is how "A or B" is written).

Class names are those of the class rasters' legends (GDAL category names). A name in a rule matches a
class, ignoring case and repeated spaces, when it is

- the class's full name ("Continuous improvement, significant");
- its *base name*, the name up to the first ``,`` or `` (``: "Continuous improvement" matches both
  "Continuous improvement, significant" and "Continuous improvement, not significant" of the eight-class
  future trend, "Significant increase" matches "Significant increase (0.01 <= p < 0.05)" of the
  five-class trend, and "Isolated" matches "Isolated (no valid neighbour)";
- the broader class of that base name (:data:`BROADER`): "Significant increase" also matches
  "Extremely significant increase (p < 0.01)", since p < 0.01 is significant at 0.05 too;
- or the class's code written as an integer ("3"), which is also the only way to name classes of a
  raster without category names.

So one table serves the three- and five-class trend and the four- and eight-class future trend. A name
that matches no class of its input is an error, as is a rule naming a class of an input that is not
given.

The zone raster is computed with one lookup table over the product of the input codes: with used roles
``r = 1..m`` of axis sizes ``s_r`` (largest class code + 2; the last index stands for any code without a
name), the zone of a pixel with codes ``c_r`` is ``LUT[Σ_r c_r · Π_{q>r} s_q]``, one fancy-index per
block. Index 0 (nodata) on any axis gives zone 0 (nodata).

References
----------
Anselin, L. (1995) Local indicators of spatial association — LISA. Geographical Analysis 27:93–115.
Hurst, H. E. (1951) Long-term storage capacity of reservoirs. Trans. ASCE 116:770–799.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

import numpy as np

from ..common.classes import CLASS_NODATA, ClassInfo, ClassScheme

__all__ = [
    "ANY",
    "BROADER",
    "DEFAULT_RULES_PATH",
    "DEFAULT_ZONE",
    "ROLES",
    "Rule",
    "RuleTable",
    "RuleTableError",
    "ZoneRules",
    "default_rule_table",
    "matching_codes",
    "parse_rules",
    "read_rules_csv",
    "rules_from_matrix",
    "zone_kernel",
    "zone_scheme",
]

#: The roles of the plugin's class rasters, in the column order of the rule table.
ROLES = ("trend", "future", "lisa", "driver")
#: The cell value (also ``*`` or an empty cell) that lets a rule accept every class of an input.
ANY = "any"
#: Zone of every pixel no rule covers (a rule with every input ``any`` renames it).
DEFAULT_ZONE = "Stable / other"
DEFAULT_ZONE_COLOR = "#d9d9d9"
#: The shipped default table (documented in its header comment).
DEFAULT_RULES_PATH = os.path.join(os.path.dirname(__file__), "data", "zoning_default_rules.csv")
#: Base names covered by a broader class name: a rule naming the value also takes the key's class.
BROADER = {
    "extremely significant increase": "significant increase",
    "extremely significant decrease": "significant decrease",
}

ZONE_COLUMN = "zone"
_META_COLUMNS = ("code", "colour", "note")
_COLUMN_ALIASES = {"color": "colour", "notes": "note", "why": "note"}
_ANY_TOKENS = {"", "any", "*"}
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
_MAX_LUT = 1 << 24
# Colours for zones without one (after the shipped table's own colours).
_PALETTE = (
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#1f78b4",
    "#b2df8a",
    "#fb9a99",
    "#cab2d6",
    "#ffff99",
)


class RuleTableError(ValueError):
    """A rule table cannot be used; ``problems`` lists each problem with the line it is on."""

    def __init__(self, problems: Sequence[str], source: str = "rule table"):
        self.problems = list(problems)
        head = f"The {source} has {len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}:"
        super().__init__("\n".join([head, *(f"- {p}" for p in self.problems)]))


# ----------------------------------------------------------------------------------------- rule tables
@dataclass(frozen=True)
class RuleTable:
    """Rule rows as written: column names (lower case) and, per row, column -> cell text.

    ``lines`` numbers the rows in messages (lines of the CSV file, or rows of the matrix), and
    ``header_line`` is the line of the header (0 when the header is not part of the text).
    """

    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]
    lines: tuple[int, ...]
    header_line: int = 0
    source: str = "rule table"


def _column_name(text) -> str:
    name = " ".join(str(text).split()).lower()
    return _COLUMN_ALIASES.get(name, name)


def _table(columns, rows, lines, header_line, source) -> RuleTable:
    columns = tuple(_column_name(c) for c in columns)
    out_rows, out_lines = [], []
    for row, line in zip(rows, lines):
        cells = [str(v).strip() if v is not None else "" for v in row]
        if not any(cells):
            continue  # blank rows (e.g. an empty last row of the matrix) are not rules
        cells += [""] * (len(columns) - len(cells))
        if len(cells) > len(columns) and any(cells[len(columns) :]):
            raise RuleTableError(
                [f"line {line}: {len(cells)} cells but the header has {len(columns)} columns"], source
            )
        out_rows.append(dict(zip(columns, cells)))
        out_lines.append(int(line))
    return RuleTable(columns, tuple(out_rows), tuple(out_lines), header_line, source)


def read_rules_csv(source, name: str | None = None) -> RuleTable:
    """Read a rule table from a CSV file (or a file-like object or text holding CSV).

    Lines starting with ``#`` and blank lines are skipped; the first other line is the header. The
    delimiter is ``,`` (``;`` when the header has ``;`` and no ``,``, as spreadsheets write in some
    locales). Rows keep their line numbers in the file, for messages.

    Parameters
    ----------
    source : str or path-like or file-like
        A path, an open text file, or CSV text (a string holding a newline).
    name : str, optional
        What to call the table in messages (default: the file name).

    Raises
    ------
    RuleTableError
        No header, or a row with more cells than the header.
    OSError
        The file cannot be read.
    """
    if hasattr(source, "read"):
        text, label = source.read(), name or "rule table"
    elif isinstance(source, str) and "\n" in source:
        text, label = source, name or "rule table"
    else:
        with open(source, encoding="utf-8-sig", newline="") as f:
            text = f.read()
        label = name or f"rule table '{os.path.basename(os.fspath(source))}'"
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    # Comment lines become blank lines, so the reader's line numbers stay those of the file.
    cleaned = ["" if ln.lstrip().startswith("#") else ln for ln in lines]
    first = next((ln for ln in cleaned if ln.strip()), None)
    if first is None:
        raise RuleTableError(["no header line (expected e.g. 'zone,trend,future,lisa,driver')"], label)
    delimiter = ";" if ";" in first and "," not in first else ","
    reader = csv.reader(io.StringIO("\n".join(cleaned)), delimiter=delimiter, skipinitialspace=True)
    header, header_line, rows, numbers = None, 0, [], []
    for record in reader:
        if not record or not any(c.strip() for c in record):
            continue
        if header is None:
            header, header_line = record, reader.line_num
            continue
        rows.append(record)
        numbers.append(reader.line_num)
    return _table(header, rows, numbers, header_line, label)


def rules_from_matrix(values: Sequence, headers: Sequence[str], source: str = "rule table") -> RuleTable:
    """A rule table from the flat cell list of a Processing matrix parameter (row after row).

    Rows are numbered from 1 (the header of the matrix widget is not a row).
    """
    headers = list(headers)
    values = ["" if v is None else str(v) for v in values]
    if not headers:
        raise ValueError("headers must name the matrix columns")
    if len(values) % len(headers):
        raise RuleTableError(
            [f"{len(values)} cells do not fill rows of {len(headers)} columns ({', '.join(headers)})"], source
        )
    n = len(headers)
    rows = [values[i : i + n] for i in range(0, len(values), n)]
    return _table(headers, rows, range(1, len(rows) + 1), 0, source)


def default_rule_table() -> RuleTable:
    """The shipped default rule table (:data:`DEFAULT_RULES_PATH`)."""
    return read_rules_csv(DEFAULT_RULES_PATH, name="default rule table")


# ------------------------------------------------------------------------------------------ class names
def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _base(name: str) -> str:
    cut = [i for i in (name.find(","), name.find(" (")) if i > 0]
    return name[: min(cut)].strip() if cut else name


def _keys(class_name: str) -> set[str]:
    full = _norm(class_name)
    base = _base(full)
    return {full, base} | ({BROADER[base]} if base in BROADER else set())


def matching_codes(name: str, class_names: Mapping[int, str]) -> set[int]:
    """Codes of the classes a rule's class name matches (see the module notes).

    >>> from core.common.classes import FUTURE_8
    >>> sorted(matching_codes("continuous improvement", {c.code: c.name for c in FUTURE_8.classes}))
    [1, 2]
    """
    key = _norm(name)
    if re.fullmatch(r"\d+", key):
        code = int(key)
        return {code} if (code in class_names or not class_names) and 0 < code < 255 else set()
    return {code for code, cname in class_names.items() if key in _keys(cname)}


# ------------------------------------------------------------------------------------------------ rules
@dataclass(frozen=True)
class Rule:
    """One rule: the zone it gives and, for each constrained role, the class codes it accepts."""

    line: int
    zone: str
    conditions: Mapping[str, frozenset[int]]  # roles left 'any' are absent
    names: Mapping[str, tuple[str, ...]]  # the class names as written, by role
    note: str = ""

    @property
    def is_default(self) -> bool:
        return not self.conditions


@dataclass(frozen=True)
class ZoneRules:
    """A checked rule table, ready to zone pixels with :meth:`zone_codes`.

    ``used_roles`` are the roles some rule constrains: only they are read, and nodata in any of them
    gives nodata. ``scheme`` holds the zones (code, name, colour); ``default_code`` is the code of the
    default zone.
    """

    rules: tuple[Rule, ...]
    scheme: ClassScheme
    default_code: int
    used_roles: tuple[str, ...]
    sizes: tuple[int, ...]
    lut: np.ndarray = field(repr=False)
    class_names: Mapping[str, Mapping[int, str]] = field(default_factory=dict, repr=False)

    def zone_codes(self, codes_by_role: Mapping[str, np.ndarray]) -> np.ndarray:
        """Zone code of every pixel (uint8, 0 = nodata); see :func:`zone_kernel`."""
        missing = [r for r in self.used_roles if r not in codes_by_role]
        if missing:
            raise ValueError(
                f"codes_by_role lacks the role(s) {', '.join(missing)} used by the rules "
                f"(used: {', '.join(self.used_roles)})"
            )
        arrays = [np.asarray(codes_by_role[r]) for r in self.used_roles]
        try:
            shape = np.broadcast_shapes(*(a.shape for a in arrays)) if arrays else ()
        except ValueError as exc:
            raise ValueError(
                f"the code arrays of {', '.join(self.used_roles)} have different shapes "
                f"{[a.shape for a in arrays]}"
            ) from exc
        flat = np.zeros(shape, dtype=np.intp)
        for a, size in zip(arrays, self.sizes):
            a = np.broadcast_to(a, shape)
            # NaN, 0 and negative codes are nodata (index 0); codes above the named ones share the last
            # index. NaN compares False, so `a > 0` also drops it.
            with np.errstate(invalid="ignore"):
                if a.dtype.kind == "f":
                    a = np.rint(a)
                idx = np.where(a > 0, np.minimum(a, size - 1), 0).astype(np.intp)
            flat *= size
            flat += idx
        return self.lut[flat]


def _split_cell(text: str) -> tuple[str, ...] | None:
    """Class names of a cell, or None for 'any'."""
    parts = tuple(p.strip() for p in str(text).split("|"))
    parts = tuple(p for p in parts if p)
    if not parts or any(p.lower() in _ANY_TOKENS for p in parts):
        return None
    return parts


def _quote_names(names: Iterable[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def parse_rules(
    rows: RuleTable | Sequence[Mapping[str, str]],
    roles: Mapping[str, Mapping[int, str] | None],
    *,
    labels: Mapping[str, str] | None = None,
    lines: Sequence[int] | None = None,
    default_colors: Mapping[str, str] | None = None,
) -> ZoneRules:
    """Check a rule table against the inputs and build its lookup table.

    Parameters
    ----------
    rows : RuleTable or sequence of mapping
        The rules: a :class:`RuleTable` (from :func:`read_rules_csv` or :func:`rules_from_matrix`), or
        mappings column -> cell text. Columns: ``zone`` (required), one per role (``trend``...; a missing
        column is ``any`` in every rule), and optionally ``code`` (1-254), ``colour`` (``#rrggbb``) and
        ``note``. A cell holds class names separated by ``|``, or ``any`` (also ``*`` or empty).
    roles : mapping of str to (mapping of int to str) or None
        Every role the table may name, with the class names of its input by code (as
        :func:`core.engine.raster.category_names` reads them), or None when that input is not given. An input
        without class names (empty mapping) can be named by codes only.
    labels : mapping of str to str, optional
        How to call each role's input in messages (default: the role name).
    lines : sequence of int, optional
        Line numbers of the rows when ``rows`` is not a :class:`RuleTable` (default 1, 2, ...).
    default_colors : mapping of str to str, optional
        Colours of zones, by zone name, for rules without a ``colour`` (default: those of the shipped
        table, then a qualitative palette).

    Returns
    -------
    ZoneRules

    Raises
    ------
    RuleTableError
        Listing every problem with its line: a column that is no role (the valid columns are listed),
        a rule without zone name, a class name no class of the input has (the input's names are
        listed), a rule naming a class of an input that is not given, two rules matching a common
        combination of classes with different zones (both lines, and a combination they share), a zone
        given two codes or colours, or an invalid code or colour.

    Examples
    --------
    >>> from core.common.classes import TREND_3
    >>> trend = {c.code: c.name for c in TREND_3.classes}
    >>> rules = parse_rules([{"zone": "Gain", "trend": "Significant increase"}], {"trend": trend})
    >>> [c.name for c in rules.scheme.classes]
    ['Gain', 'Stable / other']
    >>> rules.zone_codes({"trend": np.array([0, 1, 2, 3])}).tolist()
    [0, 2, 2, 1]
    """
    if isinstance(rows, RuleTable):
        table = rows
    else:
        rows = [dict(r) for r in rows]
        columns = list(dict.fromkeys(k for r in rows for k in r))
        lines = list(lines) if lines is not None else list(range(1, len(rows) + 1))
        if len(lines) != len(rows):
            raise ValueError(f"lines has {len(lines)} numbers for {len(rows)} rows")
        table = _table(columns, [[r.get(c, "") for c in columns] for r in rows], lines, 0, "rule table")
    labels = {r: (labels or {}).get(r, r) for r in roles}
    roles = {_column_name(r): (dict(v) if v is not None else None) for r, v in roles.items()}
    problems: list[str] = []
    where_header = f"line {table.header_line}: " if table.header_line else ""

    if ZONE_COLUMN not in table.columns:
        problems.append(f"{where_header}no 'zone' column (columns: {', '.join(table.columns)})")
    unknown = [c for c in table.columns if c != ZONE_COLUMN and c not in _META_COLUMNS and c not in roles]
    if unknown:
        problems.append(
            f"{where_header}unknown column{'s' if len(unknown) > 1 else ''} {_quote_names(unknown)}; the "
            f"columns are 'zone', the inputs {_quote_names(roles)} and optionally 'code', 'colour', 'note'"
        )
    if problems:
        raise RuleTableError(problems, table.source)
    role_columns = [c for c in table.columns if c in roles]

    rules, not_given = _rules(table, roles, role_columns, labels, problems)
    for role, uses in not_given.items():
        many = len(uses) > 1
        problems.append(
            f"line{'s' if many else ''} {', '.join(str(ln) for ln, _ in uses)} name{'' if many else 's'} "
            f"classes of the {labels[role]} input (e.g. '{uses[0][1][0]}'), but no {labels[role]} input is "
            f"given: give it, or set the '{role}' cell{'s' if many else ''} of {'these lines' if many else 'that line'} "
            "to 'any'"
        )

    zones, problems_z = _zones(table, rules, default_colors)
    problems += problems_z
    if not problems:
        problems += _conflicts(rules, roles, role_columns)
    if problems:
        raise RuleTableError(problems, table.source)

    scheme = ClassScheme(
        "zones",
        "Diagnostic zone",
        tuple(ClassInfo(code, name, color) for name, (code, color) in zones.items()),
    )
    default_name = next((r.zone for r in rules if r.is_default), DEFAULT_ZONE)
    default_code = zones[_zone_key(zones, default_name)][0]
    used = tuple(r for r in role_columns if any(r in rule.conditions for rule in rules))
    sizes, lut = _lookup(rules, roles, used, zones, default_code)
    return ZoneRules(tuple(rules), scheme, default_code, used, sizes, lut, {r: roles[r] for r in used})


def _rules(table, roles, role_columns, labels, problems):
    """One :class:`Rule` per row with a zone name, its conditions as class codes of each input.

    Appends to ``problems`` a row without a zone name and a class name that matches no class of its
    input; returns the rules and, per input that is not given, the ``(line, names)`` that name its classes.
    """
    rules: list[Rule] = []
    not_given: dict[str, list] = {}
    for row, line in zip(table.rows, table.lines):
        zone = " ".join(row.get(ZONE_COLUMN, "").split())
        if not zone:
            problems.append(f"line {line}: no zone name")
            continue
        conditions, names = {}, {}
        for role in role_columns:
            wanted = _split_cell(row.get(role, ""))
            if wanted is None:
                continue
            class_names = roles[role]
            if class_names is None:
                not_given.setdefault(role, []).append((line, wanted))
                continue
            codes: set[int] = set()
            for name in wanted:
                found = matching_codes(name, class_names)
                if not found:
                    valid = _quote_names(class_names[c] for c in sorted(class_names)) or "(none: name codes)"
                    problems.append(
                        f"line {line}: '{name}' is not a class of the {labels[role]} input; its classes "
                        f"are {valid}"
                    )
                codes |= found
            if codes:
                conditions[role] = frozenset(codes)
                names[role] = wanted
        rules.append(Rule(line, zone, conditions, names, row.get("note", "")))
    return rules, not_given


def _zone_key(zones, name):
    """The spelling under which ``name`` is stored in ``zones`` (zones match ignoring case)."""
    key = _norm(name)
    return next(z for z in zones if _norm(z) == key)


def _shipped_colors() -> dict[str, str]:
    try:
        table = default_rule_table()
    except (OSError, ValueError):
        return {}
    return {_norm(r[ZONE_COLUMN]): r["colour"] for r in table.rows if _HEX.fullmatch(r.get("colour", ""))}


def _zones(table: RuleTable, rules: list[Rule], default_colors):
    """Zone name -> (code, colour), in order of first appearance with the default zone last."""
    problems: list[str] = []
    by_key: dict[str, dict] = {}
    rows_by_line = dict(zip(table.lines, table.rows))
    ordered = [r for r in rules if not r.is_default] + [r for r in rules if r.is_default]
    for rule in ordered:
        row = rows_by_line[rule.line]
        entry = by_key.setdefault(_norm(rule.zone), {"name": rule.zone, "code": None, "colour": None})
        code_text, colour = row.get("code", ""), row.get("colour", "")
        if code_text:
            if not re.fullmatch(r"\d+", code_text) or not 0 < int(code_text) < 255:
                problems.append(f"line {rule.line}: zone code '{code_text}' is not an integer in 1..254")
            elif entry["code"] not in (None, int(code_text)):
                problems.append(
                    f"line {rule.line}: zone '{rule.zone}' has code {code_text} here and {entry['code']} "
                    f"on line {entry['code_line']}"
                )
            else:
                entry["code"], entry["code_line"] = int(code_text), rule.line
        if colour:
            if not _HEX.fullmatch(colour):
                problems.append(f"line {rule.line}: colour '{colour}' is not of the form #rrggbb")
            elif entry["colour"] not in (None, colour.lower()):
                problems.append(
                    f"line {rule.line}: zone '{rule.zone}' has colour {colour} here and {entry['colour']} "
                    f"on line {entry['colour_line']}"
                )
            else:
                entry["colour"], entry["colour_line"] = colour.lower(), rule.line
    defaults = [r for r in rules if r.is_default]
    if len({_norm(r.zone) for r in defaults}) > 1:
        problems.append(
            f"lines {', '.join(str(r.line) for r in defaults)}: every input is 'any' in each, so each "
            f"names the default zone, but they name different ones ({_quote_names(r.zone for r in defaults)})"
        )
    if not defaults and _norm(DEFAULT_ZONE) not in by_key:
        by_key[_norm(DEFAULT_ZONE)] = {"name": DEFAULT_ZONE, "code": None, "colour": DEFAULT_ZONE_COLOR}
    taken: dict[int, str] = {}
    for entry in by_key.values():
        if entry["code"] is not None:
            if entry["code"] in taken:
                problems.append(
                    f"line {entry['code_line']}: zones '{taken[entry['code']]}' and '{entry['name']}' "
                    f"both have code {entry['code']}"
                )
            taken[entry["code"]] = entry["name"]
    known = _shipped_colors() if default_colors is None else {_norm(k): v for k, v in default_colors.items()}
    free_codes = (c for c in range(1, 255) if c not in taken)
    free_colors = iter(c for c in _PALETTE if c not in {e["colour"] for e in by_key.values()})
    zones: dict[str, tuple[int, str]] = {}
    for key, entry in by_key.items():
        code = entry["code"] if entry["code"] is not None else next(free_codes, None)
        if code is None:
            problems.append("more than 254 zones")
            break
        colour = entry["colour"] or known.get(key) or next(free_colors, None) or "#808080"
        zones[entry["name"]] = (code, colour)
    return zones, problems


def _describe(role_codes: Mapping[str, int], roles, labels_order) -> str:
    return ", ".join(f"{r} '{roles[r].get(role_codes[r], role_codes[r])}'" for r in labels_order)


def _conflicts(rules: list[Rule], roles, role_columns) -> list[str]:
    """Pairs of rules with different zones that match a common combination of classes."""
    problems = []
    real = [r for r in rules if not r.is_default]
    for i, a in enumerate(real):
        for b in real[i + 1 :]:
            if _norm(a.zone) == _norm(b.zone):
                continue
            common = {}
            for role in role_columns:
                if role in a.conditions and role in b.conditions:
                    shared = a.conditions[role] & b.conditions[role]
                    if not shared:
                        break
                    common[role] = min(shared)
                elif role in a.conditions or role in b.conditions:
                    common[role] = min(a.conditions.get(role) or b.conditions[role])
            else:
                example = _describe(common, roles, [r for r in role_columns if r in common])
                problems.append(
                    f"lines {a.line} and {b.line} give different zones ('{a.zone}' and '{b.zone}') to the "
                    f"same classes, e.g. {example}. Rules are not applied in order: make them exclusive "
                    "(list in each only the classes it takes)"
                )
    return problems


def _lookup(rules, roles, used, zones, default_code):
    sizes = []
    for role in used:
        top = max(
            [*roles[role].keys(), *(c for r in rules for c in r.conditions.get(role, ()))],
            default=0,
        )
        sizes.append(int(top) + 2)  # codes 0..top, then one index for every unnamed code above
    if int(np.prod(sizes, dtype=np.int64)) > _MAX_LUT:
        raise ValueError(
            f"the inputs {', '.join(used)} have too many class codes to combine ({' × '.join(map(str, sizes))})"
        )
    lut = np.full(sizes, default_code, dtype=np.uint8)
    for rule in rules:
        if rule.is_default:
            continue
        index = [
            np.asarray(sorted(rule.conditions[r]), dtype=np.intp)
            if r in rule.conditions
            else np.arange(1, size, dtype=np.intp)
            for r, size in zip(used, sizes)
        ]
        lut[np.ix_(*index)] = zones[_zone_key(zones, rule.zone)][0]
    for axis in range(len(sizes)):
        lut[(slice(None),) * axis + (0,)] = CLASS_NODATA
    return tuple(sizes), lut.ravel()


# ------------------------------------------------------------------------------------------ public API
def zone_kernel(rules: ZoneRules, codes_by_role: Mapping[str, np.ndarray]) -> np.ndarray:
    """Zone codes of pixels from their input class codes, by one lookup.

    Parameters
    ----------
    rules : ZoneRules
        From :func:`parse_rules`.
    codes_by_role : mapping of str to array_like
        Class codes of each used role (``rules.used_roles``; others are ignored), arrays of one shape
        (integers, or floats with NaN for nodata, as the block engine reads them).

    Returns
    -------
    numpy.ndarray of uint8, the shape of the inputs
        The zone code (``rules.scheme``); 0 (nodata) where any used input is 0, negative or NaN. A code
        without a class name in its input is matched only by ``any``.

    Notes
    -----
    ``zone = LUT[Σ_r c_r · Π_{q>r} s_q]`` with ``s_r`` the axis size of role r (see the module notes).
    """
    return rules.zone_codes(codes_by_role)


def zone_scheme(rules: ZoneRules) -> ClassScheme:
    """The zones as a class scheme (legend, colour table, class-area table of the zone raster)."""
    return rules.scheme

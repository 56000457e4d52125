"""The study report: one document assembled from maps, class-area tables and the steps' report data.

The Processing algorithms each write a report of their own step as HTML and, beside it, as data (JSON,
:mod:`core.reports.store`). The study report takes those data — never their HTML — and gathers each
step's sections under one heading per step, after the maps (PNG images rendered by QGIS) and the
class-area tables, and ends with what produced it (:func:`study_report`). It renders like every report
of the plugin (:func:`core.reports.render.render_html`, layout ``"study"``): it opens offline and prints
well, each part on a new page; every text in it, the steps' included, is escaped where it is emitted.

Functions: :func:`palette_from_qml` (class names and colours of a paletted QGIS style),
:func:`class_area_rows` and :func:`class_area_table`, :func:`study_report`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import numpy as np

from .document import (
    BulletList,
    Column,
    Figure,
    KeyValues,
    Notes,
    Paragraph,
    Report,
    ReportDataError,
    Run,
    Section,
    Table,
)
from .markup import HEX_COLOUR

__all__ = [
    "HUMAN_HEADERS",
    "LONG_TABLE_ROWS",
    "StepReport",
    "class_area_rows",
    "class_area_table",
    "findings_table",
    "long_tables",
    "moran_section",
    "palette_from_qml",
    "provenance",
    "rule_table",
    "study_report",
]

#: Column names the steps write for machines, as a reader of the study report sees them.
HUMAN_HEADERS = {
    "r_with_target": "r with carbon density",
    "r with target": "r with carbon density",
    "abs_r": "|r|",
    "vif": "VIF",
    "mk_s": "Mann–Kendall S",
    "mk_z": "Mann–Kendall z",
    "mk_p": "Mann–Kendall p",
    "p": "p-value",
    "r2": "R²",
    "mae": "MAE",
    "rmse": "RMSE",
    "n": "n",
    "permutation_mean": "drop in R² when shuffled (mean)",
    "permutation_sd": "drop in R² when shuffled (sd)",
    "impurity": "impurity importance",
    "share_pct": "share (%)",
    "area_ha": "area (hm²)",
    "carbon_change_t": "carbon change (t C)",
    "from_name": "from",
    "to_name": "to",
}
#: Tables longer than this are cut to their first rows in the study report, the whole table beside it as CSV.
LONG_TABLE_ROWS = 25
_SHOWN_ROWS = 10
_UNIT_SPELLINGS = {
    "t/ha": "t C/hm²",
    "t C/ha": "t C/hm²",
    "Mg C/ha": "t C/hm²",
    "tC/hm2": "t C/hm²",
    "ha": "hm²",
}

_HEX = HEX_COLOUR


@dataclass(frozen=True)
class StepReport:
    """A step's report data under the heading the study report gives it; ``source``: its file name."""

    heading: str
    report: Report
    source: str = ""


# ------------------------------------------------------------------------------------------ class areas
def palette_from_qml(qml_text: str) -> list[tuple[int, str, str]]:
    """The classes of a paletted (unique values) QGIS raster style: ``(code, label, '#rrggbb')``.

    Returns an empty list for any other renderer or a text that is not a QML style. Entries keep the
    style's order (the legend's).

    Examples
    --------
    >>> from core.common.classes import TREND_3
    >>> from core.common.style import paletted_qml
    >>> palette_from_qml(paletted_qml(TREND_3))[0]
    (1, 'Significant decrease', '#d7191c')
    """
    text = qml_text.split("\n", 1)[1] if qml_text.lstrip().startswith("<!DOCTYPE") else qml_text
    try:
        root = ET.fromstring(text.strip())
    except ET.ParseError:
        return []
    renderer = root.find("./pipe/rasterrenderer")
    if renderer is None or renderer.get("type") != "paletted":
        return []
    out = []
    for entry in renderer.iter("paletteEntry"):
        try:
            code = int(float(entry.get("value", "")))
        except ValueError:
            continue
        color = (entry.get("color") or "").lower()
        out.append((code, entry.get("label") or str(code), color if _HEX.match(color) else ""))
    return out


def class_area_rows(pixels, area_m2, palette=(), names=None) -> list[dict]:
    """Area and share of each class of a class raster, in legend order.

    Parameters
    ----------
    pixels, area_m2 : array_like, shape (n_codes,)
        Pixel count and true area (m²) per code, indexed by code (e.g. ``np.bincount`` over the valid
        pixels). Code 0 is nodata in every class raster of the plugin and is never listed.
    palette : sequence of (int, str, str), optional
        ``(code, name, '#rrggbb')`` of the legend (:func:`palette_from_qml`): these classes come first,
        in that order, even when empty.
    names : dict of int → str, optional
        Names of the other codes (e.g. GDAL category names); default ``"class <code>"``.

    Returns
    -------
    list of dict
        Keys ``code``, ``class``, ``colour`` (``'#rrggbb'`` or ``''``), ``pixels``, ``area_hm2`` and
        ``share_pct`` = 100 · area / Σ area of the listed classes (0 when nothing is classified).
        Codes with pixels but not in the palette follow in code order.

    Raises
    ------
    ValueError
        Shapes differ, values are negative or non-finite, or a palette code is not a non-negative int.

    Examples
    --------
    >>> rows = class_area_rows([0, 3, 1], [0.0, 30000.0, 10000.0], [(2, "B", "#00ff00"), (1, "A", "")])
    >>> [(r["class"], r["area_hm2"], r["share_pct"]) for r in rows]
    [('B', 1.0, 25.0), ('A', 3.0, 75.0)]
    """
    pixels = np.asarray(pixels, dtype=np.float64)
    area = np.asarray(area_m2, dtype=np.float64)
    if pixels.ndim != 1 or pixels.shape != area.shape:
        raise ValueError(f"pixels and area_m2 must be 1-D of one length, got {pixels.shape} and {area.shape}")
    for name, a in (("pixels", pixels), ("area_m2", area)):
        if not np.all(np.isfinite(a)) or np.any(a < 0):
            raise ValueError(f"{name} must be finite and non-negative")
    names = dict(names or {})
    listed, rows = set(), []

    def value(a, code):
        return float(a[code]) if 0 <= code < a.size else 0.0

    for k, entry in enumerate(palette):
        try:
            code, name, colour = entry
        except (TypeError, ValueError):
            raise ValueError(f"palette[{k}] must be (code, name, colour), got {entry!r}") from None
        if not isinstance(code, (int, np.integer)) or code < 0:
            raise ValueError(f"palette[{k}]: code {code!r} must be a non-negative integer")
        code = int(code)
        if code == 0 or code in listed:
            continue
        listed.add(code)
        rows.append((code, str(name), str(colour or ""), value(pixels, code), value(area, code)))
    for code in np.flatnonzero(pixels > 0):
        code = int(code)
        if code == 0 or code in listed:
            continue
        rows.append((code, names.get(code, f"class {code}"), "", value(pixels, code), value(area, code)))
    total = sum(r[4] for r in rows)
    return [
        {
            "code": code,
            "class": name,
            "colour": colour if _HEX.match(colour) else "",
            "pixels": int(round(px)),
            "area_hm2": a / 10_000.0,
            "share_pct": 100.0 * a / total if total > 0 else 0.0,
        }
        for code, name, colour, px, a in rows
    ]


def class_area_table(rows, not_computed=None) -> Table:
    """A table of :func:`class_area_rows`: a colour swatch per class and a total row.

    ``not_computed``: ``(pixels, area_hm2)`` of the pixels that have a carbon density but no class (the
    step could not compute them), shown as a last, labelled row outside the total: the shares are of the
    classified area, as the column header says.
    """
    rows = list(rows)
    total_px = sum(int(r["pixels"]) for r in rows)
    total_a = sum(float(r["area_hm2"]) for r in rows)
    body = [
        (int(r["code"]), str(r["class"]), int(r["pixels"]), float(r["area_hm2"]), float(r["share_pct"]))
        for r in rows
    ]
    swatches = [r.get("colour") if _HEX.match(r.get("colour") or "") else "" for r in rows]
    if not_computed is not None and not_computed[0]:
        body.append((None, NOT_COMPUTED_LABEL, int(not_computed[0]), float(not_computed[1]), None))
        swatches.append(NOT_COMPUTED_COLOUR)
    return Table(
        (
            Column("code"),
            Column("class"),
            Column("pixels", format=","),
            Column("area", "hm²", ",.1f"),
            Column("share of the classified area", "%", ".2f"),
        ),
        tuple(body),
        footer=("", "Total classified", total_px, total_a, 100.0 if total_a > 0 else 0.0),
        swatches=tuple(swatches),
        swatch_column=1,
    )


NOT_COMPUTED_LABEL = "Not computed (carbon density, but no value here)"
NOT_COMPUTED_COLOUR = "#525252"  # dark grey: apart from the light greys of "undetermined" classes


def findings_table(rows) -> Table:
    """The summary of findings: ``(finding, value, of what)`` rows, the headline figures of the run."""
    return Table(
        (Column("finding"), Column("value"), Column("of what (the denominator)")),
        tuple((str(a), str(b), str(c)) for a, b, c in rows),
    )


def provenance(inputs, settings, software) -> KeyValues:
    """What shaped the result: the original inputs, every setting, the software (plugin, QGIS, date)."""
    return KeyValues(
        {
            "Original inputs": dict(inputs) or "not given (the study report was run on its own)",
            "Settings": dict(settings) or "the algorithms' defaults",
            "Software": dict(software),
        }
    )


def moran_section(row) -> Section:
    """Global Moran's I of the carbon-sink rate from one row of the Moran's I table (dict of its columns)."""
    i, p_sim = float(row.get("i", "nan")), row.get("p_sim")
    verdict = "clustered" if i > 0 else "dispersed" if i < 0 else "random"
    kv = {
        "Moran's I": f"{i:.4f} (expected under no autocorrelation: {float(row.get('ei', 'nan')):.4f})",
        "z (randomisation)": f"{float(row.get('z_rand', 'nan')):.2f}, p = {float(row.get('p_rand', 'nan')):.3g}",
        "pseudo p (permutations)": (
            f"{float(p_sim):.3g} ({int(float(row.get('permutations', 0))):,} permutations, seed "
            f"{int(float(row.get('seed', 0)))})"
            if p_sim not in (None, "")
            else "—"
        ),
        "n (cells analysed)": f"{int(float(row.get('n', 0))):,}",
        "weights": str(row.get("weights", "")),
    }
    return Section(
        "Global Moran's I of the carbon-sink rate",
        [
            Paragraph(
                f"The Sen slope of carbon density is spatially {verdict} (I = {i:.3f}): "
                "neighbouring pixels have similar rates, so sinks come in patches (the LISA map shows where)."
                if i > 0
                else f"Moran's I = {i:.3f}: no clustering of the carbon-sink rate."
            ),
            KeyValues(kv),
        ],
    )


def rule_table(rows, source) -> Section:
    """The zoning rules: one row per rule (zone, trend, future, LISA, driver), in the order they apply."""
    columns = ("zone", "trend", "future", "lisa", "driver")
    body = tuple(tuple(str(r.get(c, "") or "any") for c in columns) for r in rows)
    return Section(
        "Zoning rules",
        [
            Paragraph(f"The {source}: the first rule a pixel matches gives its zone; 'any' matches every class."),
            Table(
                (Column("zone"), Column("trend class"), Column("future trend"), Column("LISA cluster"),
                 Column("climate driver")),
                body,
            ),
        ],
    )  # fmt: skip


def _human(column: Column) -> Column:
    name = HUMAN_HEADERS.get(column.name, column.name)
    unit = _UNIT_SPELLINGS.get(column.unit, column.unit)
    return Column(name, unit, column.format)


def long_tables(report: Report, prefix: str):
    """The step report with human column headers and every long table cut to its first rows.

    Returns the new report and ``[(file name, table)]`` of the tables cut, to be written beside the study
    report as CSV (the cut table names its file).
    """
    cut = []

    def blocks(items, heading):
        out = []
        for block in items:
            if isinstance(block, Table):
                columns = tuple(_human(c) for c in block.columns)
                table = Table(columns, block.rows, footer=block.footer, float_format=block.float_format,
                              swatches=block.swatches, swatch_column=block.swatch_column)  # fmt: skip
                if len(block.rows) > LONG_TABLE_ROWS:
                    name = f"{prefix}_{_slug(heading)}.csv"
                    cut.append((name, table))
                    out.append(Table(columns, block.rows[:_SHOWN_ROWS], float_format=block.float_format))
                    out.append(Paragraph([f"The first {_SHOWN_ROWS} of {len(block.rows):,} rows; the whole table: ",
                                          Run(name, "link")]))  # fmt: skip
                    continue
                out.append(table)
            else:
                out.append(block)
        return out

    def section(sec):
        return Section(
            sec.heading, blocks(sec.blocks, sec.heading), [section(x) for x in sec.sections], role=sec.role
        )

    new = Report(report.title, [section(x) for x in report.sections], report.meta, algorithm=report.algorithm,
                 layout=report.layout, lead=report.lead, summary=blocks(report.summary, "summary"))  # fmt: skip
    return new, cut


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_") or "table"


# ------------------------------------------------------------------------------------------------- page
def _step_part(step: StepReport) -> Section:
    """A step's report as one part: its sections one level down, then what produced it."""
    report = step.report
    blocks = []
    if report.title and report.title != step.heading:
        blocks.append(Paragraph(f"From the report \u201c{report.title}\u201d.", lead=True))
    if step.source:
        try:
            source = Run(step.source, "link")
        except ReportDataError:  # not a relative file name: named, not linked
            source = Run(step.source, "code")
        blocks.append(Paragraph(["The report of this step on its own: ", source]))
    if report.lead:
        blocks.append(Paragraph(report.lead))
    blocks += list(report.summary)
    subs = list(report.sections)
    if report.meta:
        subs.append(Section("Inputs and parameters of this step", [report.meta], role="provenance"))
    return Section(step.heading, blocks, subs)


def _class_area_part(class_areas, coverage) -> Section | None:
    subs = []
    for k, item in enumerate(class_areas):
        if not isinstance(item, (tuple, list)) or len(item) not in (2, 3):
            raise ReportDataError(f"class_areas[{k}] must be a (heading, rows) or (title, layer, rows) tuple")
        title, rows = item[0], item[-1]
        heading = f"{title} — {item[1]}" if len(item) == 3 else str(title)
        c = (coverage or {}).get(title)
        not_computed = (c["not_computed"], c["not_computed_hm2"]) if c else None
        blocks = [class_area_table(rows, not_computed)]
        if c and c["not_computed"]:
            blocks.append(Paragraph(_blank_sentence(c)))
        subs.append(Section(str(heading), blocks))
    if not subs:
        return None
    return Section(
        "Class areas",
        [
            Paragraph(
                "True area of each class (ellipsoidal on geographic CRSs). Shares are of the classified area "
                "(the total row); pixels with a carbon density but no class are listed apart, in grey, as "
                "not computed, and are outside that total."
            )
        ],
        subs,
    )


def _blank_sentence(c) -> str:
    share = 100.0 * c["not_computed"] / max(c["with_density"], 1)
    head = (
        f"Not computed: {c['not_computed']:,} of the {c['with_density']:,} pixels with a carbon density "
        f"({share:.1f} %, {c['not_computed_hm2']:,.0f} hm²) have no value here. "
    )
    reasons = c.get("reasons")
    if reasons:
        return head + "Why: " + "; ".join(f"{n:,} pixels: {why}" for why, n in reasons.items()) + "."
    return head + (
        "The step's log says why (Hurst: too few valid years, a constant series, or a series flat in most "
        "of its first years; future trend and zones: no Hurst exponent; driver type: too few years)."
    )


def _hurst_note(c) -> str:
    above = (c or {}).get("above_one", 0)
    head = f"{above:,} pixels have H above 1. " if above else ""
    return head + (
        "Reading H: R/S is biased upwards for short series (Anis & Lloyd 1976): with 24 years, independent "
        "values give H ≈ 0.64 rather than 0.5, so only H well above that is persistence. H above 1 comes from "
        "series flat in their first years and rising later (few usable windows, a steep fit): very persistent, "
        "not a probability. The Hurst method 'Anis–Lloyd corrected R/S' removes this bias."
    )


def _maps_part(maps, coverage) -> Section | None:
    maps = list(maps)
    subs = []
    for k, fig in enumerate(maps):
        if not isinstance(fig, Figure):
            raise ReportDataError(f"maps[{k}] must be a Figure, got {type(fig).__name__}")
        c = (coverage or {}).get(fig.title)
        blocks = [fig] + ([Paragraph(_blank_sentence(c))] if c and c["not_computed"] else [])
        if fig.title == "Hurst exponent":
            blocks.append(Paragraph(_hurst_note(c)))
        subs.append(Section(fig.title, blocks))
    return Section("Maps", sections=subs) if subs else None


def _summary(findings, missing) -> list:
    summary = []
    if findings:
        summary += [Paragraph([Run("Summary of findings", "b")], lead=True), findings_table(findings)]
    missing = [str(m) for m in missing or ()]
    if missing:
        summary += [Paragraph("Not in this report (not given):"), BulletList(missing, muted=True)]
    else:
        summary.append(Paragraph("Every map and step report the study report can hold was given."))
    return summary


def study_report(
    title,
    *,
    maps=(),
    class_areas=(),
    steps=(),
    notes="",
    missing=(),
    meta=None,
    intro="",
    findings=(),
    extra_parts=(),
    coverage=None,
) -> Report:
    """The study report as a document.

    Parameters
    ----------
    title : str
        Page title.
    maps : sequence of Figure
        In the order shown, under "Maps".
    class_areas : sequence of (str, list of dict) or (str, str, list of dict)
        A heading (or the map title and the layer name) and its :func:`class_area_rows`, under "Class areas".
    steps : sequence of StepReport
        One part per step report, headed by the given heading; its sections become sub-sections (in
        their order) and its "Produced by" closes the part; ``source`` is linked.
    notes : str, optional
        Free text (parameters, remarks); blank lines separate paragraphs.
    missing : sequence of str, optional
        What was not given, listed in the summary so a reader knows what the report lacks.
    meta : dict or KeyValues, optional
        Provenance (:func:`provenance`): original inputs, settings, software.
    intro : str, optional
        A sentence under the title (period and region).
    findings : sequence of (str, str, str), optional
        The summary of findings (:func:`core.reports.study_findings.findings`), first in the report.
    extra_parts : sequence of Section, optional
        Parts after the class areas (global Moran's I, zoning rules, samples).
    coverage : dict of map title → dict, optional
        Pixels with a carbon density and those not computed, per map: said under each map and table.

    Returns
    -------
    Report
        Layout ``"study"``: summary of findings and missing items, notes, maps, class areas, the extra
        parts, the step reports, provenance (render it with :func:`core.reports.render.render_html`).

    Raises
    ------
    ValueError
        A map that is not a :class:`Figure`, a step that is not a :class:`StepReport`, or a class-area
        entry that is not ``(heading, rows)``.
    """
    parts = []
    if notes and str(notes).strip():
        parts.append(Section("Notes and parameters", [Notes(str(notes))]))
    parts += [p for p in (_maps_part(maps, coverage), _class_area_part(list(class_areas), coverage)) if p]
    parts += list(extra_parts)
    for k, step in enumerate(steps):
        if not isinstance(step, StepReport):
            raise ReportDataError(f"steps[{k}]: expected a StepReport, got {type(step).__name__}")
        parts.append(_step_part(step))
    return Report(
        str(title),
        parts,
        meta if isinstance(meta, KeyValues) else KeyValues(meta or {}),
        algorithm="carbonsink:studyreport",
        layout="study",
        lead=str(intro or ""),
        summary=_summary(findings, missing),
    )


def long_tables_of(report: Report, prefix: str):
    """:func:`long_tables` applied to the whole study report: (report, [(csv name, full table)])."""
    return long_tables(report, prefix)

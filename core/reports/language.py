"""A report in the language of the run: its texts translated where they are shown, its data in English.

A report's data (``report.json``) holds English texts; :func:`core.reports.render.render_html` passes the
document through :func:`translated` first, so the page is in the language of the lookup in force
(:mod:`core.common.i18n`: the QGIS interface language, or the study report's LANGUAGE). Translated, by
exact match in the ``Report`` context: the title, lead, section headings, column names, keys of key-value
tables, figure titles and whole text runs; table cells and legend labels are looked up as class names
(``Classes`` context, :func:`core.common.i18n.class_name`). What the catalogue does not hold (numbers,
file names, sentences made from values) stays as it is. Chart SVG and notes are not translated.

Examples
--------
>>> import sys
>>> pkg = translated.__module__.rsplit(".", 1)[0]  # the package as loaded (pytest may load core twice)
>>> i18n, d = sys.modules[pkg.rsplit(".", 1)[0] + ".common.i18n"], sys.modules[pkg + ".document"]
>>> words = {"Yearly totals": "逐年合计", "year": "年份", "High-High": "高–高聚集"}
>>> table = d.Table([d.Column("year"), d.Column("c")], [(2001, "High-High")])
>>> doc = d.Report("T", [d.Section("Yearly totals", [table])])
>>> with i18n.using(lambda context, text: words.get(text, "")):
...     out = translated(doc)
>>> out.sections[0].heading, out.sections[0].blocks[0].columns[0].name, out.sections[0].blocks[0].rows
('逐年合计', '年份', ((2001, '高–高聚集'),))
"""

from __future__ import annotations

from dataclasses import replace

from ..common.i18n import REPORT, class_name, translate
from .document import BulletList, Column, Figure, KeyValues, Paragraph, Report, Run, Table

__all__ = ["translated"]


def _t(text):
    return translate(REPORT, text) if isinstance(text, str) else text


def _cell(value):
    return class_name(value) if isinstance(value, str) else value


def _runs(runs):
    return tuple(replace(r, text=_t(r.text)) if isinstance(r, Run) else r for r in runs)


def _block(block):
    if isinstance(block, Paragraph):
        return replace(block, runs=_runs(block.runs))
    if isinstance(block, BulletList):
        return replace(block, items=tuple(_runs(item) for item in block.items))
    if isinstance(block, KeyValues):
        return replace(block, items=tuple((_t(k), v) for k, v in block.items))
    if isinstance(block, Table):
        columns = tuple(replace(c, name=_t(c.name)) if isinstance(c, Column) else c for c in block.columns)
        rows = tuple(tuple(_cell(v) for v in row) for row in block.rows)
        footer = None if block.footer is None else tuple(_cell(v) for v in block.footer)
        return replace(block, columns=columns, rows=rows, footer=footer)
    if isinstance(block, Figure):
        return replace(
            block,
            title=_t(block.title),
            legend_title=class_name(block.legend_title),
            legend_labels=tuple(_cell(v) for v in block.legend_labels),
        )
    return block


def _section(section):
    return replace(
        section,
        heading=_t(section.heading),
        blocks=tuple(_block(b) for b in section.blocks),
        sections=tuple(_section(s) for s in section.sections),
    )


def translated(report: Report) -> Report:
    """``report`` with its shown texts translated by the lookup in force (the same report in English)."""
    return replace(
        report,
        title=_t(report.title),
        lead=_t(report.lead),
        sections=tuple(_section(s) for s in report.sections),
        meta=_block(report.meta),
        summary=tuple(_block(b) for b in report.summary),
    )

"""One renderer: a :class:`core.reports.document.Report` as a self-contained HTML page.

Every text of the report is escaped where it is emitted (:func:`core.reports.markup.escape`); the only
markup is the renderer's own: fixed tags and attributes whose values are numbers, slugs made of
``[a-z0-9-]``, checked colours and the ``data:image/png`` URI of a checked PNG. Charts are the SVG
drawn from the chart's numbers (:mod:`core.reports.charts`). The page opens anywhere, offline, and prints
well: inline CSS, no script, no font, nothing fetched — the only URLs in it are the SVG namespace
identifier, which is never fetched.

Two layouts share every block: ``"step"`` (a step's report: sections under the title, "Produced by"
last) and ``"study"`` (a summary with contents, then parts that each start a new printed page, their
sub-sections one level down, wide tables in boxes that scroll on screen).
"""

from __future__ import annotations

import base64
import math
import re

from ..common.i18n import QT_TRANSLATE_NOOP, REPORT, translate
from .document import (
    BulletList,
    Chart,
    Figure,
    KeyValues,
    Notes,
    Paragraph,
    Report,
    ReportDataError,
    Section,
    Table,
)
from .language import translated
from .markup import escape

__all__ = ["png_data_uri", "render_html"]

_MINUS = "\u2212"
_DASH = "\u2013"

STEP_CSS = """
body { font-family: Helvetica, Arial, sans-serif; font-size: 14px; color: #111; margin: 2em auto;
       max-width: 60em; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 1.6em; border-bottom: 2px solid #444; padding-bottom: .2em; }
h2 { font-size: 1.2em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: .6em 0; font-size: 13px; }
th, td { border: 1px solid #bbb; padding: .2em .6em; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.swatch { display: inline-block; width: .9em; height: .9em; margin-right: .45em; vertical-align: -.1em;
          border: 1px solid #555; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
svg { max-width: 100%; height: auto; display: block; margin: .6em 0; }
img { max-width: 100%; height: auto; }
.notes { white-space: normal; background: #f7f7f2; border-left: 3px solid #bbb; padding: .3em .8em; }
section.meta { color: #444; font-size: 12px; }
section.meta table { font-size: 12px; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  section { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  th { background: none; }
}
"""

STUDY_CSS = """
body { font-family: Helvetica, Arial, sans-serif; font-size: 14px; color: #111; margin: 2em auto;
       max-width: 62em; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 1.7em; border-bottom: 2px solid #444; padding-bottom: .2em; }
h2 { font-size: 1.35em; margin-top: 1.8em; border-bottom: 1px solid #bbb; }
h3 { font-size: 1.12em; margin-top: 1.4em; }
h4 { font-size: 1em; }
p.lead { color: #333; }
nav.toc ol { columns: 2; margin: .4em 0; }
nav.toc a { color: #114; text-decoration: none; }
table { border-collapse: collapse; margin: .6em 0; font-size: 13px; }
th, td { border: 1px solid #bbb; padding: .2em .6em; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tfoot th { background: #f6f6f6; }
.swatch { display: inline-block; width: .9em; height: .9em; margin-right: .45em; vertical-align: -.1em;
          border: 1px solid #555; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.table-wrap { max-width: 100%; overflow-x: auto; margin: .6em 0; }
.table-wrap > table { margin: 0; }
svg { max-width: 100%; height: auto; display: block; margin: .6em 0; }
img { max-width: 100%; height: auto; }
figure.map { margin: 1em 0 1.6em; }
figure.map img { display: block; border: 1px solid #ddd; }
figcaption { font-size: 12px; color: #333; margin-top: .3em; max-width: 60em; }
figcaption .source, figcaption .note { color: #666; }
ul.missing li { color: #555; }
.notes { white-space: normal; background: #f7f7f2; border-left: 3px solid #bbb; padding: .3em .8em; }
section.step-meta, section.meta { color: #444; font-size: 12px; }
section.step-meta table, section.meta table { font-size: 12px; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  section.part { break-before: page; page-break-before: always; }
  section.part.first { break-before: auto; page-break-before: auto; }
  figure, svg, tr, .notes { break-inside: avoid; page-break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
  .table-wrap { overflow: visible; }
  table { font-size: 8.5pt; }
  nav.toc a { color: #111; }
  th { background: none; }
}
"""


# ----------------------------------------------------------------------------------------------- values
def _format_number(v, spec) -> str:
    """``v`` in ``spec``; a ``g`` spec that would switch to scientific notation for a large number (1.616e+07 t)
    shows it in full with thousands separators (16,160,000) instead, at the same significant digits."""
    text = format(v, spec)
    if "e+" in text and spec.endswith("g") and math.isfinite(v):
        digits = int(spec.rstrip("g").lstrip(",.") or 6)
        exponent = int(math.floor(math.log10(abs(v)))) if v else 0
        text = format(round(v, max(digits - 1 - exponent, -exponent)), ",.0f")
    return text.replace("-", _MINUS)


def _cell_text(v, column, float_format, empty=_DASH):
    """(text, numeric) of a table cell."""
    if v is None:
        return empty, False
    if isinstance(v, bool):
        return ("yes" if v else "no"), False
    if isinstance(v, int):
        return (_format_number(v, column.format) if column.format else str(v).replace("-", _MINUS)), True
    if isinstance(v, float):
        return _format_number(v, column.format or float_format), True
    return v, False


def _scalar_text(v) -> str:
    if v is None:
        return _DASH
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return _format_number(v, ",.6g")
    return str(v)


def png_data_uri(png: bytes) -> str:
    """``data:image/png;base64,…`` of a PNG.

    Raises
    ------
    ValueError
        ``png`` is empty or does not start with the PNG signature.
    """
    return "data:image/png;base64," + base64.b64encode(Figure(png, "").png).decode("ascii")


# ----------------------------------------------------------------------------------------------- blocks
_TAGS = {"b": "b", "i": "i", "code": "code", "sub": "sub", "sup": "sup"}


_PRODUCED_BY = QT_TRANSLATE_NOOP("Report", "Produced by")
_CONTENTS = QT_TRANSLATE_NOOP("Report", "Contents")


def _runs(runs) -> str:
    out = []
    for run in runs:
        text = escape(run.text)
        if run.style == "link":  # a relative file name (document.Run checks it)
            out.append(f'<a href="{text}">{text}</a>')  # escape() escapes quotes too
            continue
        out.append(f"<{_TAGS[run.style]}>{text}</{_TAGS[run.style]}>" if run.style else text)
    return "".join(out)


def _paragraph(block: Paragraph, study) -> str:
    return f'<p class="lead">{_runs(block.runs)}</p>' if block.lead else f"<p>{_runs(block.runs)}</p>"


def _list(block: BulletList, study) -> str:
    items = "".join(f"<li>{_runs(item)}</li>" for item in block.items)
    return f'<ul class="missing">{items}</ul>' if block.muted else f"<ul>{items}</ul>"


def _value_html(v, nested=False) -> str:
    if isinstance(v, dict):
        return "<br>".join(f"{escape(k)}: {_value_html(x, True)}" for k, x in v.items())
    if isinstance(v, tuple):
        return (
            escape(", ".join(_scalar_text(x) for x in v))
            if nested
            else "<br>".join(escape(_scalar_text(x)) for x in v)
        )
    return escape(_scalar_text(v))


def _keyvalues(block: KeyValues, study) -> str:
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{_value_html(v)}</td></tr>" for k, v in block.items)
    return f'<div class="table-wrap"><table>{rows}</table></div>' if study else f"<table>{rows}</table>"


def _numeric_columns(table: Table):
    numeric = [False] * len(table.columns)
    for row in table.rows:
        for j, v in enumerate(row):
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                numeric[j] = True
    return numeric


def _table(block: Table, study) -> str:
    numeric = _numeric_columns(block)
    out = ["<table><thead><tr>"]
    out += [f"<th>{escape(c.header)}</th>" for c in block.columns]
    out.append("</tr></thead><tbody>")
    for i, row in enumerate(block.rows):
        out.append("<tr>")
        for j, (v, column) in enumerate(zip(row, block.columns)):
            text, is_number = _cell_text(v, column, block.float_format)
            swatch = ""
            if block.swatches is not None and j == block.swatch_column and block.swatches[i]:
                swatch = f'<span class="swatch" style="background:{block.swatches[i]}"></span>'
            cls = ' class="num"' if is_number or (v is None and numeric[j]) else ""
            out.append(f"<td{cls}>{swatch}{escape(text)}</td>")
        out.append("</tr>")
    out.append("</tbody>")
    if block.footer is not None:
        out.append("<tfoot><tr>")
        for v, column in zip(block.footer, block.columns):
            text, is_number = _cell_text(v, column, block.float_format, empty="")
            out.append(f'<th class="num">{escape(text)}</th>' if is_number else f"<th>{escape(text)}</th>")
        out.append("</tr></tfoot>")
    out.append("</table>")
    html = "".join(out)
    return f'<div class="table-wrap">{html}</div>' if study else html


def _chart(block: Chart, study) -> str:
    return block.svg


def _figure(fig: Figure, study) -> str:
    """The map as an embedded PNG, alt text naming its legend and scale bar, and a caption."""
    labels = list(fig.legend_labels)
    if fig.continuous and len(labels) == 2:
        legend = f"{fig.legend_title}, colour ramp from {labels[0]} to {labels[1]}"
    else:
        legend = f"{fig.legend_title}: " + "; ".join(labels) if labels else fig.legend_title
    alt = f"Map: {fig.title}. Legend — {legend}."
    if fig.scale_label:
        alt += f" Scale bar 0–{fig.scale_label}."
    width = f' style="width:{fig.width_mm:.1f}mm"' if fig.width_mm and math.isfinite(fig.width_mm) else ""
    caption = [f"<b>{escape(fig.title)}</b>. Legend: {escape(legend)}."]
    if fig.source:
        caption.append(f'<span class="source">Source: {escape(fig.source)}</span>')
    if fig.note:
        caption.append(f'<span class="note">{escape(fig.note)}</span>')
    return (
        f'<figure class="map"><img src="{png_data_uri(fig.png)}" alt="{escape(alt)}"{width}>'
        f"<figcaption>{' '.join(caption)}</figcaption></figure>"
    )


def _notes(block: Notes, study) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", block.text) if p.strip()]
    body = "".join("<p>" + "<br>".join(escape(line) for line in p.splitlines()) + "</p>" for p in paragraphs)
    return f'<div class="notes">{body}</div>'


_RENDER = {
    Paragraph: _paragraph,
    BulletList: _list,
    KeyValues: _keyvalues,
    Table: _table,
    Chart: _chart,
    Figure: _figure,
    Notes: _notes,
}


def _blocks(blocks, study) -> str:
    return "".join(_RENDER[type(b)](b, study) for b in blocks)


# --------------------------------------------------------------------------------------------- sections
def _slug(text, used) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "section"
    slug, k = base, 2
    while slug in used:
        slug, k = f"{base}-{k}", k + 1
    used.add(slug)
    return slug


def _subsection(section: Section, level, study) -> str:
    h = min(level, 6)
    role = (' class="step-meta"' if study else ' class="meta"') if section.role == "provenance" else ""
    subs = "".join(_subsection(s, level + 1, study) for s in section.sections)
    return (
        f"<section{role}><h{h}>{escape(section.heading)}</h{h}>\n"
        f"{_blocks(section.blocks, study)}{subs}\n</section>"
    )


def _step_page(report: Report) -> list[str]:
    out = []
    if report.lead:
        out.append(f'<p class="lead">{escape(report.lead)}</p>\n')
    if report.summary:
        out.append(_blocks(report.summary, False) + "\n")
    for section in report.sections:
        role = ' class="meta"' if section.role == "provenance" else ""
        subs = "".join(_subsection(s, 3, False) for s in section.sections)
        out.append(
            f"<section{role}>\n<h2>{escape(section.heading)}</h2>\n"
            f"{_blocks(section.blocks, False)}{subs}\n</section>\n"
        )
    if report.meta:
        out.append(
            f'<section class="meta">\n<h2>{translate(REPORT, _PRODUCED_BY)}</h2>\n{_keyvalues(report.meta, False)}\n</section>\n'
        )
    return out


def _study_page(report: Report) -> list[str]:
    used = {"summary", "contents", "produced-by"}
    slugs = [_slug(s.heading, used) for s in report.sections]
    summary = [f'<p class="lead">{escape(report.lead)}</p>' if report.lead else ""]
    if report.sections:
        summary.append(f'<nav class="toc" id="contents"><b>{translate(REPORT, _CONTENTS)}</b><ol>')
        summary += [
            f'<li><a href="#{slug}">{escape(s.heading)}</a></li>' for s, slug in zip(report.sections, slugs)
        ]
        summary.append(f'<li><a href="#produced-by">{translate(REPORT, _PRODUCED_BY)}</a></li></ol></nav>')
    summary.append(_blocks(report.summary, True))
    out = [f'<section class="summary" id="summary">{"".join(summary)}</section>\n']
    for k, (section, slug) in enumerate(zip(report.sections, slugs)):
        classes = "part first" if k == 0 else "part"
        body = [_blocks(section.blocks, True)] if section.blocks else []
        body += [_subsection(s, 3, True) for s in section.sections]
        out.append(
            f'<section class="{classes}" id="{slug}">\n<h2>{escape(section.heading)}</h2>\n'
            + "\n".join(body)
            + "\n</section>\n"
        )
    out.append(
        f'<section class="meta part" id="produced-by">\n<h2>{translate(REPORT, _PRODUCED_BY)}</h2>\n{_keyvalues(report.meta, False)}\n'
        "</section>\n"
    )
    return out


def render_html(report: Report) -> str:
    """The report as a complete HTML page.

    Parameters
    ----------
    report : Report

    Returns
    -------
    str
        ``<!DOCTYPE html>`` document, UTF-8, inline CSS (print-friendly), no script, no external resource.

    Raises
    ------
    ValueError
        ``report`` is not a :class:`Report`.

    Examples
    --------
    >>> page = render_html(Report("<b>Storage</b>", [Section("Trend", [Paragraph("+1 t/a")])]))
    >>> "<h1>&lt;b&gt;Storage&lt;/b&gt;</h1>" in page, "<h2>Trend</h2>\\n<p>+1 t/a</p>" in page
    (True, True)
    """
    if not isinstance(report, Report):
        raise ReportDataError(f"expected a Report, got {type(report).__name__}")
    report = translated(report)  # the language of the run (core.reports.language); data stay English
    study = report.layout == "study"
    head = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(report.title)}</title>\n<style>{STUDY_CSS if study else STEP_CSS}</style>\n</head>\n"
        f"<body>\n<h1>{escape(report.title)}</h1>\n"
    )
    body = _study_page(report) if study else _step_page(report)
    return head + "".join(body) + "</body>\n</html>\n"

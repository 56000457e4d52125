"""The study report: one self-contained HTML page assembled from maps, class-area tables and step reports.

The Processing algorithms each write a report of their own step (:func:`core.reports.report.html_document`:
``<section><h2>heading</h2>body</section>`` blocks and a "Produced by" table). The study report gathers
those sections under one heading per step, after the maps (PNG images embedded as ``data:`` URIs) and
the class-area tables, and ends with what produced it. Like every report of the plugin it opens
offline and prints well: inline CSS, no script, no font, nothing fetched — the only URLs in it are XML
namespace identifiers (``xmlns="http://www.w3.org/2000/svg"``), which are never fetched.

Functions: :func:`parse_step_report` (a step report's sections), :func:`sanitize_fragment` (drop
anything that would run or fetch), :func:`external_urls` (check), :func:`png_data_uri`,
:func:`palette_from_qml` (class names and colours of a paletted QGIS style), :func:`class_area_rows` and
:func:`class_area_table`, :func:`map_figure`, :func:`study_report_html`.
"""

from __future__ import annotations

import base64
import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "MapFigure",
    "StepReport",
    "class_area_rows",
    "class_area_table",
    "external_urls",
    "map_figure",
    "palette_from_qml",
    "parse_step_report",
    "png_data_uri",
    "sanitize_fragment",
    "study_report_html",
]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def _esc(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


# ------------------------------------------------------------------------------------------ step reports
@dataclass(frozen=True)
class StepReport:
    """The parts of a step report: its title, its ``(heading, html)`` sections and its "Produced by" table.

    Headings are plain text (unescaped); bodies are sanitised HTML fragments.
    """

    title: str
    sections: tuple[tuple[str, str], ...]
    meta_html: str = ""
    source: str = ""


_SECTION_TAG = re.compile(r"<section\b([^>]*)>|</section\s*>", re.IGNORECASE)
_H2 = re.compile(r"^\s*<h2\b[^>]*>(.*?)</h2\s*>(.*)$", re.IGNORECASE | re.DOTALL)
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")


def _plain(fragment: str) -> str:
    return html.unescape(_TAGS.sub("", fragment)).strip()


def _top_level_sections(text):
    """(attributes, inner html) of each ``<section>`` not nested in another."""
    out, depth, start, attrs = [], 0, 0, ""
    for m in _SECTION_TAG.finditer(text):
        if m.group(0).startswith("</"):
            if depth == 0:
                continue  # a stray closing tag
            depth -= 1
            if depth == 0:
                out.append((attrs, text[start : m.start()]))
        else:
            if depth == 0:
                start, attrs = m.end(), m.group(1) or ""
            depth += 1
    return out


def parse_step_report(text: str, source: str = "") -> StepReport:
    """Split a report written by :func:`core.reports.report.html_document` into its parts.

    Parameters
    ----------
    text : str
        The whole HTML page.
    source : str, optional
        Where it was read from, for messages.

    Returns
    -------
    StepReport
        Title (the ``<h1>``), the sections in page order with sanitised bodies
        (:func:`sanitize_fragment`), and the inner HTML of the "Produced by" section.

    Raises
    ------
    ValueError
        ``text`` is not a str, or holds no ``<section>`` with an ``<h2>`` heading (not a report of
        this plugin).

    Examples
    --------
    >>> from core.reports.report import html_document
    >>> page = html_document("Storage", [("Trend", "<p>+1 t/a</p>")], meta={"plugin": "0.1"})
    >>> step = parse_step_report(page)
    >>> step.title, step.sections
    ('Storage', (('Trend', '<p>+1 t/a</p>'),))
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str (the HTML page), got {type(text).__name__}")
    where = f" '{source}'" if source else ""
    h1 = _H1.search(text)
    title = _plain(h1.group(1)) if h1 else ""
    sections, meta = [], ""
    for attrs, inner in _top_level_sections(text):
        m = _H2.match(inner)
        if m is None:
            continue
        heading, body = _plain(m.group(1)), sanitize_fragment(m.group(2).strip())
        if re.search(r"""class\s*=\s*["'][^"']*\bmeta\b""", attrs, re.IGNORECASE):
            meta = body
        else:
            sections.append((heading, body))
    if not sections:
        raise ValueError(
            f"the HTML file{where} has no report sections (<section><h2>…</h2>…</section>); "
            "give a report written by a Carbon Sink Diagnostics algorithm"
        )
    return StepReport(title or source, tuple(sections), meta, source)


_DROP_ELEMENTS = re.compile(
    r"<(script|style|iframe|object|embed|noscript|template|audio|video|foreignObject)\b.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)
_DROP_VOID = re.compile(r"<(link|meta|base|source|track|param)\b[^>]*>", re.IGNORECASE)
_EVENT_ATTR = re.compile(r"""\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
_URL_ATTR = re.compile(
    r"""\s+(href|src|xlink:href|srcset|action|formaction|poster|background|data|ping)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""",
    re.IGNORECASE,
)
_CSS_URL = re.compile(r"""url\(\s*(?!['"]?\s*(?:#|data:))[^)]*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import[^;]*;?", re.IGNORECASE)


def _keep_url_attr(m) -> str:
    value = m.group(2).strip("\"'").strip()
    if value.startswith("#") or value.lower().startswith("data:image/"):
        return m.group(0)
    return ""


def sanitize_fragment(fragment: str) -> str:
    """An HTML fragment without anything that would run or fetch.

    Removes script, style, iframe, object, embed, media and ``foreignObject`` elements; link, meta and
    base tags; ``on…`` event attributes; ``href``/``src``-like attributes other than in-page anchors
    (``#id``) and ``data:image/`` URIs; CSS ``url(…)`` other than those and ``@import``. Everything else
    (inline SVG, tables, text) is kept as written. The reports of this plugin pass through unchanged.

    Examples
    --------
    >>> sanitize_fragment('<p onclick="x()">a<script>x()</script><img src="http://e.org/a.png"></p>')
    '<p>a<img></p>'
    """
    if not isinstance(fragment, str):
        raise ValueError(f"fragment must be a str, got {type(fragment).__name__}")
    out = _DROP_ELEMENTS.sub("", fragment)
    out = _DROP_VOID.sub("", out)
    out = _EVENT_ATTR.sub("", out)
    out = _URL_ATTR.sub(_keep_url_attr, out)
    out = _CSS_IMPORT.sub("", out)
    return _CSS_URL.sub("none", out)


_URL = re.compile(r"""(?:\b(?:https?|ftp|file)://|(?<=["'(=])//)[^\s"'<>)]*""", re.IGNORECASE)
_NAMESPACE = re.compile(r"""\bxmlns(?::[\w.-]+)?\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def external_urls(text: str) -> list[str]:
    """Every URL in ``text`` that a browser might fetch or a reader might follow.

    XML namespace identifiers (the value of an ``xmlns`` or ``xmlns:…`` attribute, e.g. the SVG
    namespace) are not URLs to fetch and are not listed; ``data:`` URIs and ``#`` anchors are not URLs.

    Examples
    --------
    >>> external_urls('<svg xmlns="http://www.w3.org/2000/svg"></svg><a href="https://x.org">x</a>')
    ['https://x.org']
    """
    masked = _NAMESPACE.sub(lambda m: " " * len(m.group(0)), text)
    return [m.group(0) for m in _URL.finditer(masked)]


# ------------------------------------------------------------------------------------------------- maps
def png_data_uri(png: bytes) -> str:
    """``data:image/png;base64,…`` of a PNG.

    Raises
    ------
    ValueError
        ``png`` is empty or does not start with the PNG signature.
    """
    if not isinstance(png, (bytes, bytearray)) or len(png) <= len(PNG_SIGNATURE):
        raise ValueError("png must be the bytes of a PNG image, got nothing")
    if not bytes(png[:8]) == PNG_SIGNATURE:
        raise ValueError("png does not start with the PNG signature (\\x89PNG\\r\\n\\x1a\\n)")
    return "data:image/png;base64," + base64.b64encode(bytes(png)).decode("ascii")


@dataclass(frozen=True)
class MapFigure:
    """A rendered map and what its legend and scale bar say.

    ``width_mm`` is the printed width of the image (the layout page); ``legend_labels`` the class names,
    or the two ends of the colour ramp when ``continuous``; ``source`` the file it was drawn from.
    """

    title: str
    png: bytes
    legend_title: str
    legend_labels: tuple[str, ...] = ()
    scale_label: str = ""
    width_mm: float | None = None
    source: str = ""
    note: str = ""
    continuous: bool = False


def map_figure(fig: MapFigure) -> str:
    """A ``<figure>`` with the map as an embedded PNG, alt text naming its legend, and a caption.

    The image is shown at its printed size (``width_mm``), never wider than the page.
    """
    labels = list(fig.legend_labels)
    if fig.continuous and len(labels) == 2:
        legend = f"{fig.legend_title}, colour ramp from {labels[0]} to {labels[1]}"
    else:
        legend = f"{fig.legend_title}: " + "; ".join(labels) if labels else fig.legend_title
    alt = f"Map: {fig.title}. Legend — {legend}."
    if fig.scale_label:
        alt += f" Scale bar 0–{fig.scale_label}."
    width = f' style="width:{fig.width_mm:.1f}mm"' if fig.width_mm else ""
    caption = [f"<b>{_esc(fig.title)}</b>. Legend: {_esc(legend)}."]
    if fig.source:
        caption.append(f'<span class="source">Source: {_esc(fig.source)}</span>')
    if fig.note:
        caption.append(f'<span class="note">{_esc(fig.note)}</span>')
    return (
        f'<figure class="map"><img src="{png_data_uri(fig.png)}" alt="{_esc(alt)}"{width}>'
        f"<figcaption>{' '.join(caption)}</figcaption></figure>"
    )


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


def class_area_table(rows) -> str:
    """An HTML table of :func:`class_area_rows` with a colour swatch per class and a total row."""
    rows = list(rows)
    out = [
        '<table class="class-areas"><thead><tr><th>code</th><th>class</th><th>pixels</th>'
        "<th>area (hm²)</th><th>share (%)</th></tr></thead><tbody>"
    ]
    for r in rows:
        colour = r.get("colour") or ""
        swatch = f'<span class="swatch" style="background:{colour}"></span>' if _HEX.match(colour) else ""
        out.append(
            f'<tr><td class="num">{int(r["code"])}</td><td>{swatch}{_esc(r["class"])}</td>'
            f'<td class="num">{int(r["pixels"]):,}</td><td class="num">{float(r["area_hm2"]):,.1f}</td>'
            f'<td class="num">{float(r["share_pct"]):.2f}</td></tr>'
        )
    total_px = sum(int(r["pixels"]) for r in rows)
    total_a = sum(float(r["area_hm2"]) for r in rows)
    out.append(
        f'</tbody><tfoot><tr><th></th><th>Total</th><th class="num">{total_px:,}</th>'
        f'<th class="num">{total_a:,.1f}</th><th class="num">{100.0 if total_a > 0 else 0.0:.2f}</th></tr>'
        "</tfoot></table>"
    )
    return "".join(out)


# ------------------------------------------------------------------------------------------------- page
_CSS = """
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
.table-wrap { max-width: 100%; overflow-x: auto; }
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


def _slug(text, used):
    base = re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "section"
    slug, k = base, 2
    while slug in used:
        slug, k = f"{base}-{k}", k + 1
    used.add(slug)
    return slug


def _demote(fragment, by=1):
    """Headings of an inserted report one level down (its h2 sits under the study report's h2)."""

    def shift(m):
        level = min(6, int(m.group(2)) + by)
        return f"<{m.group(1)}h{level}"

    return re.sub(r"<(/?)h([1-6])(?=[\s>])", shift, fragment, flags=re.IGNORECASE)


def _wrap_tables(fragment):
    """Each table in a box that scrolls sideways on screen when wider than the page (wide step tables)."""
    fragment = re.sub(r"<table\b", '<div class="table-wrap"><table', fragment, flags=re.IGNORECASE)
    return re.sub(r"</table\s*>", "</table></div>", fragment, flags=re.IGNORECASE)


def _notes_html(notes):
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", str(notes or "")) if p.strip()]
    return "".join("<p>" + "<br>".join(_esc(line) for line in p.splitlines()) + "</p>" for p in paragraphs)


def _meta_value(v):
    if isinstance(v, dict):
        return "<br>".join(f"{_esc(k)}: {_meta_value(x)}" for k, x in v.items())
    if isinstance(v, (list, tuple)):
        return "<br>".join(_esc(x) for x in v)
    return _esc(v)


@dataclass
class _Part:
    heading: str
    body: str
    slug: str = ""
    classes: list[str] = field(default_factory=list)


def study_report_html(
    title,
    *,
    maps=(),
    class_areas=(),
    steps=(),
    notes="",
    missing=(),
    meta=None,
    intro="",
) -> str:
    """The study report page.

    Parameters
    ----------
    title : str
        Page title and ``<h1>`` (escaped).
    maps : sequence of MapFigure
        In the order shown, under "Maps".
    class_areas : sequence of (str, list of dict)
        A heading (the raster) and its :func:`class_area_rows`, under "Class areas".
    steps : sequence of (str, StepReport)
        One part per step report, headed by the given heading; its sections become sub-sections (in
        their order) and its "Produced by" table closes the part.
    notes : str, optional
        Free text (parameters, remarks), escaped; blank lines separate paragraphs.
    missing : sequence of str, optional
        What was not given, listed in the summary so a reader knows what the report lacks.
    meta : dict, optional
        "Produced by": plugin version, inputs, parameters, date… (values: str, list or dict; escaped).
    intro : str, optional
        A sentence under the title (escaped).

    Returns
    -------
    str
        A complete HTML document: summary with contents and missing items, notes, maps, class areas,
        the step reports, "Produced by". Each part starts on a new page when printed. No script and no
        external resource.

    Raises
    ------
    ValueError
        A map that is not a :class:`MapFigure` with a PNG, a step that is not ``(heading, StepReport)``,
        or a class-area entry that is not ``(heading, rows)``.
    """
    used = {"summary", "contents"}
    parts: list[_Part] = []
    if notes and str(notes).strip():
        parts.append(_Part("Notes and parameters", f'<div class="notes">{_notes_html(notes)}</div>'))
    maps = list(maps)
    if maps:
        body = []
        for k, fig in enumerate(maps):
            if not isinstance(fig, MapFigure):
                raise ValueError(f"maps[{k}] must be a MapFigure, got {type(fig).__name__}")
            slug = _slug("map " + fig.title, used)
            body.append(f'<section id="{slug}"><h3>{_esc(fig.title)}</h3>{map_figure(fig)}</section>')
        parts.append(_Part("Maps", "".join(body)))
    class_areas = list(class_areas)
    if class_areas:
        body = []
        for k, item in enumerate(class_areas):
            try:
                heading, rows = item
            except (TypeError, ValueError):
                raise ValueError(f"class_areas[{k}] must be a (heading, rows) pair") from None
            body.append(f"<h3>{_esc(heading)}</h3>{class_area_table(rows)}")
        parts.append(
            _Part(
                "Class areas",
                "<p>True area of each class (ellipsoidal on geographic CRSs) and its share of the "
                "classified pixels; nodata pixels are not counted.</p>" + "".join(body),
            )
        )
    for k, item in enumerate(steps):
        try:
            heading, step = item
        except (TypeError, ValueError):
            raise ValueError(f"steps[{k}] must be a (heading, StepReport) pair") from None
        if not isinstance(step, StepReport):
            raise ValueError(f"steps[{k}]: expected a StepReport, got {type(step).__name__}")
        body = []
        if step.title and step.title != heading:
            body.append(f'<p class="lead">From the report “{_esc(step.title)}”.</p>')
        for sub_heading, sub_body in step.sections:
            body.append(
                f"<section><h3>{_esc(sub_heading)}</h3>\n{_wrap_tables(_demote(sub_body))}\n</section>"
            )
        if step.meta_html:
            body.append(
                f'<section class="step-meta"><h3>Inputs and parameters of this step</h3>{_wrap_tables(step.meta_html)}'
                + (f"<p>Report file: {_esc(step.source)}</p>" if step.source else "")
                + "</section>"
            )
        parts.append(_Part(str(heading), "\n".join(body)))
    for k, part in enumerate(parts):
        part.slug = _slug(part.heading, used)
        part.classes = ["part", "first"] if k == 0 else ["part"]

    summary = [f'<p class="lead">{_esc(intro)}</p>' if intro else ""]
    if parts:
        summary.append('<nav class="toc" id="contents"><b>Contents</b><ol>')
        summary += [f'<li><a href="#{p.slug}">{_esc(p.heading)}</a></li>' for p in parts]
        summary.append('<li><a href="#produced-by">Produced by</a></li></ol></nav>')
    missing = [str(m) for m in missing or ()]
    if missing:
        summary.append('<p>Not in this report (not given):</p><ul class="missing">')
        summary += [f"<li>{_esc(m)}</li>" for m in missing]
        summary.append("</ul>")
    else:
        summary.append("<p>Every map and step report the study report can hold was given.</p>")

    out = [
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{_esc(title)}</h1>\n",
        f'<section class="summary" id="summary">{"".join(summary)}</section>\n',
    ]
    for part in parts:
        out.append(
            f'<section class="{" ".join(part.classes)}" id="{part.slug}">\n<h2>{_esc(part.heading)}</h2>\n'
            f"{part.body}\n</section>\n"
        )
    rows = "".join(f"<tr><th>{_esc(k)}</th><td>{_meta_value(v)}</td></tr>" for k, v in (meta or {}).items())
    out.append(
        f'<section class="meta part" id="produced-by">\n<h2>Produced by</h2>\n<table>{rows}</table>\n</section>\n'
    )
    out.append("</body>\n</html>\n")
    return "".join(out)

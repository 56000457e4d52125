"""Assembly of the study report from maps, class-area tables and the steps' report data (no QGIS)."""

import base64
import re
import struct
import zlib

import numpy as np
import pytest

from core.common import classes, style
from core.reports import study_report as sr
from core.reports.document import (
    PNG_SIGNATURE,
    Chart,
    Column,
    Figure,
    Paragraph,
    Report,
    Section,
    Table,
)
from core.reports.render import png_data_uri, render_html

SVG_NS = "http://www.w3.org/2000/svg"


def _png(width=4, height=3, rgb=(10, 120, 200)):
    """A tiny valid PNG (8-bit RGB), made by hand so the test needs no imaging library."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return PNG_SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _step_report():
    chart = Chart.lines(
        [2001, 2002, 2003], {"Storage (t)": [1.0, 2.0, 2.5]}, "Year", "Storage (t)", title="Storage"
    )
    heat = Chart.heatmap([[1.0, 0.5], [0.5, 1.0]], ["NPP", "NDVI"], title="Pearson r")
    return Report(
        "Carbon storage <accounting>",
        [
            Section("Storage per year", [chart]),
            Section("Correlation & VIF", [heat], [Section("Notes", [Paragraph("r < 0.9")])]),
            Section("Table", [Table([Column("year"), Column("storage")], [[2001, 1.5]])]),
        ],
        {"input": "density.tif", "plugin": "Carbon Sink Diagnostics 0.1.0"},
        algorithm="carbonsink:carbonstorage",
    )


# ------------------------------------------------------------------------------------------------- maps
def test_png_data_uri_round_trips_and_validates():
    png = _png()
    uri = png_data_uri(png)
    assert uri.startswith("data:image/png;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]) == png
    with pytest.raises(ValueError, match="PNG signature"):
        png_data_uri(b"GIF89a" + b"\x00" * 20)
    with pytest.raises(ValueError, match="bytes of a PNG"):
        png_data_uri(b"")


def _figure_html(fig):
    page = render_html(Report("t", [Section("s", [fig])], layout="study"))
    return page[page.index("<figure") : page.index("</figure>") + 9]


def test_map_figure_names_its_legend_in_alt_text_and_caption():
    fig = Figure(
        _png(),
        "Trend <class>",
        "Trend class",
        ("Significant decrease", "No significant change", "Significant increase"),
        scale_label="2 km",
        width_mm=180.4,
        source="trend.tif",
    )
    html = _figure_html(fig)
    alt = re.search(r'alt="([^"]*)"', html).group(1)
    assert "Trend class: Significant decrease; No significant change; Significant increase" in alt
    assert "Scale bar 0–2 km" in alt and "Trend &lt;class&gt;" in alt
    assert 'style="width:180.4mm"' in html and "<figcaption>" in html and "trend.tif" in html
    ramp = _figure_html(Figure(_png(), "Slope", "Sen slope", ("-2.3", "2.3"), continuous=True))
    assert "colour ramp from -2.3 to 2.3" in ramp


# ------------------------------------------------------------------------------------------ class areas
def test_palette_from_qml_reads_paletted_styles_only():
    palette = sr.palette_from_qml(style.paletted_qml(classes.FUTURE_4))
    assert palette == [(c.code, c.name, c.color) for c in classes.FUTURE_4.classes]
    assert sr.palette_from_qml(style.pseudocolor_qml(0.0, 1.0, style.SEQUENTIAL)) == []
    assert sr.palette_from_qml("not xml <") == []


def test_class_area_rows_in_legend_order_with_shares():
    pixels = np.zeros(256)
    area = np.zeros(256)
    pixels[[0, 1, 3, 9]] = [50, 10, 30, 5]
    area[[0, 1, 3, 9]] = [5e5, 1e5, 3e5, 5e4]
    rows = sr.class_area_rows(
        pixels, area, sr.palette_from_qml(style.paletted_qml(classes.TREND_3)), {9: "odd"}
    )
    assert [r["class"] for r in rows] == [
        "Significant decrease",
        "No significant change",
        "Significant increase",
        "odd",
    ]
    assert [r["pixels"] for r in rows] == [10, 0, 30, 5]  # code 0 (nodata) never listed
    assert [r["area_hm2"] for r in rows] == pytest.approx([10.0, 0.0, 30.0, 5.0])
    assert sum(r["share_pct"] for r in rows) == pytest.approx(100.0)
    assert rows[0]["share_pct"] == pytest.approx(100 * 10 / 45)
    assert rows[0]["colour"] == "#d7191c" and rows[3]["colour"] == ""
    unnamed = sr.class_area_rows([0, 0, 4], [0, 0, 4e4])
    assert unnamed == [
        {"code": 2, "class": "class 2", "colour": "", "pixels": 4, "area_hm2": 4.0, "share_pct": 100.0}
    ]


def test_class_area_rows_validates():
    with pytest.raises(ValueError, match="one length"):
        sr.class_area_rows([1, 2], [1.0])
    with pytest.raises(ValueError, match="non-negative"):
        sr.class_area_rows([1, -2], [1.0, 1.0])
    with pytest.raises(ValueError, match=r"palette\[0\]"):
        sr.class_area_rows([1, 2], [1.0, 1.0], [(1, "a")])
    with pytest.raises(ValueError, match="non-negative integer"):
        sr.class_area_rows([1, 2], [1.0, 1.0], [(-1, "a", "")])


def test_class_area_table_has_swatches_escaped_names_and_a_total():
    rows = sr.class_area_rows([0, 2, 2], [0, 2e4, 2e4], [(1, "A <&>", "#112233"), (2, "B", "bad")])
    page = render_html(Report("t", [Section("s", [sr.class_area_table(rows)])]))
    html = page[page.index("<table>") : page.index("</table>")]
    assert 'style="background:#112233"' in html and html.count('class="swatch"') == 1
    assert "A &lt;&amp;&gt;" in html
    assert "<tfoot>" in html and "100.00" in html and ">4<" in html


# ------------------------------------------------------------------------------------------------- page
def _doc(**kwargs):
    fig = Figure(_png(), "Trend class", "Trend class", ("Up", "Down"), scale_label="1 km")
    rows = sr.class_area_rows([0, 3, 1], [0, 3e4, 1e4], [(1, "Up", "#00ff00"), (2, "Down", "#ff0000")])
    args = {
        "maps": [fig],
        "class_areas": [("Trend class", rows)],
        "steps": [sr.StepReport("Carbon storage", _step_report(), "storage.html")],
        "notes": "alpha = 0.05\nseed 42\n\n<script>x</script>",
        "missing": ["Hurst exponent map"],
        "meta": {"plugin": "Carbon Sink Diagnostics 0.1.0", "inputs": {"Trend": "/data/trend.tif"}},
        "intro": "1 map",
    }
    return sr.study_report("Study <1> & co", **(args | kwargs))


def _page(**kwargs):
    return render_html(_doc(**kwargs))


def test_study_report_sections_in_order():
    html = _page()
    ids = ["summary", "notes-and-parameters", "maps", "class-areas", "carbon-storage", "produced-by"]
    positions = [html.index(f'id="{i}"') for i in ids]
    assert positions == sorted(positions)
    # the step's own sections follow in their order, one level down, with its provenance last
    step_part = html[html.index('id="carbon-storage"') : html.index('id="produced-by"')]
    subs = re.findall(r"<h3>(.*?)</h3>", step_part)
    assert subs == [
        "Storage per year",
        "Correlation &amp; VIF",
        "Table",
        "Inputs and parameters of this step",
    ]
    assert "<h4>Notes</h4>" in step_part and "<h2>" not in step_part.split("</h2>", 1)[1]
    # issue 14: the step's own report is linked (a relative file name beside the study report)
    assert '<a href="storage.html">storage.html</a>' in step_part
    # contents links every part, and the step report; nothing else is linked
    assert re.findall(r'href="([^"]*)"', html) == [
        "#notes-and-parameters",
        "#maps",
        "#class-areas",
        "#carbon-storage",
        "#produced-by",
        "storage.html",
    ]


def test_study_report_escapes_text_and_lists_what_is_missing():
    html = _page()
    assert "<title>Study &lt;1&gt; &amp; co</title>" in html and "<h1>Study &lt;1&gt; &amp; co</h1>" in html
    assert "<p>alpha = 0.05<br>seed 42</p><p>&lt;script&gt;x&lt;/script&gt;</p>" in html
    assert "<script" not in html
    assert "Not in this report (not given)" in html and "<li>Hurst exponent map</li>" in html
    assert "From the report “Carbon storage &lt;accounting&gt;”." in html
    complete = _page(missing=[])
    assert "Every map and step report" in complete


def test_study_report_is_offline_and_prints_well():
    html = _page()
    assert re.findall(r"https?://[^\s\"'<>]+", html) == [SVG_NS] * html.count(f'xmlns="{SVG_NS}"')
    for svg in re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL):
        assert re.search(r'class="(cell|series|vertex|point|bar)"', svg)
    for data in re.findall(r'src="data:image/png;base64,([^"]+)"', html):
        assert base64.b64decode(data)[:8] == PNG_SIGNATURE
    css = html[html.index("<style>") : html.index("</style>")]
    assert "@media print" in css and "break-before: page" in css and "max-width: 100%" in css
    assert "break-inside: avoid" in css


def test_study_report_validates_its_parts():
    with pytest.raises(ValueError, match=r"maps\[0\]"):
        sr.study_report("t", maps=["not a figure"])
    with pytest.raises(ValueError, match=r"steps\[0\].*StepReport"):
        sr.study_report("t", steps=[("heading", "<p>html</p>")])
    with pytest.raises(ValueError, match=r"class_areas\[0\]"):
        sr.study_report("t", class_areas=["rows"])


def test_an_empty_study_report_still_has_its_frame():
    html = render_html(sr.study_report("Empty", missing=["everything"]))
    assert 'id="summary"' in html and 'id="produced-by"' in html and "<img" not in html
    assert "Contents" not in html

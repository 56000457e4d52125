"""The report document model: tables and pages rendered from data, the same report as JSON and back,
the files written together, and report data refused clearly when they do not follow the schema."""

import json
import os
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from core.reports import store
from core.reports.charts import SVG_NS
from core.reports.document import (
    MAX_LABEL,
    MAX_TEXT,
    BulletList,
    Chart,
    Column,
    KeyValues,
    Notes,
    Paragraph,
    Report,
    ReportDataError,
    Run,
    Section,
    Table,
    dumps,
    loads,
)
from core.reports.render import render_html


def _no_external(text):
    return text.replace(SVG_NS, "").lower().count("http") == 0


def _table_html(table):
    page = render_html(Report("t", [Section("s", [table])]))
    return page[page.index("<table>") : page.index("</table>") + 8]


def _every_block():
    return Report(
        "Carbon storage <accounting>",
        [
            Section(
                "Summary",
                [
                    Paragraph(["Total ", Run("+12.5 t", "b"), " in ", Run("/data/x.tif", "code"), "."]),
                    BulletList(["one", [Run("two", "b"), " items"]]),
                    Notes("alpha = 0.05\nseed 42\n\nsecond paragraph"),
                ],
            ),
            Section(
                "Charts",
                [
                    Chart.lines(
                        [2001, 2002, 2003], {"Storage (t)": [1.0, np.nan, 2.5]}, "Year", "Storage (t)"
                    ),
                    Chart.bars([0.5, -0.1], ["NPP", "DEM"], "importance", errors=[0.1, np.nan]),
                    Chart.scatter(
                        [1.0, 2.0], [1.1, 2.2], "obs", "pred", one_to_one=True, series_labels=["a", "b"]
                    ),
                    Chart.heatmap(
                        [[1.0, 0.5], [0.5, 1.0]], ["NPP", "NDVI"], annotations=[["", "*"], ["*", ""]]
                    ),
                    Chart.sankey([("A", "B", 3.0), ("A", "A", 1.0)], unit="hm²", colors={"A": "#123456"}),
                ],
                [Section("Notes", [Paragraph("r < 0.9")])],
            ),
            Section(
                "Table",
                [
                    Table(
                        [Column("year"), Column("storage", "t", ",.1f"), "keep"],
                        [[2001, 1234.56, True], [2002, None, False]],
                        footer=["Total", 1234.56, ""],
                        swatches=["#112233", ""],
                    ),
                    KeyValues({"inputs": ["a.tif", "b.tif"], "settings": {"k": 3, "seed": None}}),
                ],
            ),
        ],
        {"plugin": "Carbon Sink Diagnostics 0.1", "parameters": {"THRESHOLD": 0.8}, "inputs": ["a.tif"]},
        algorithm="carbonsink:carbonstorage",
    )


# ------------------------------------------------------------------------------------------------ tables
def test_table_formats_and_escapes():
    rows = [
        {"factor": "NPP <gC>", "r": 0.81234, "keep": True, "year": 2001, "big": 1234567.0},
        {"factor": "DEM", "r": np.float32("nan"), "keep": np.bool_(False), "year": np.int64(2002)},
    ]
    table = _table_html(Table.from_rows(rows))
    assert table.count("<tr>") == 3
    assert "NPP &lt;gC&gt;" in table
    assert "0.8123" in table and "yes" in table and "no" in table
    # issue 14: tonnes and hectares are never in scientific notation (1.235e+06 t), at the same 4 digits
    assert ">2001<" in table and "1,235,000" in table and "e+" not in table and "\u2013" in table
    only = _table_html(Table.from_rows(rows, columns=["factor"], float_format=".2f"))
    assert "<th>factor</th>" in only and "<th>r</th>" not in only
    ET.fromstring(table)
    with pytest.raises(ValueError, match="dicts"):
        Table.from_rows([1, 2])


def test_table_columns_declare_units_and_formats_footer_and_swatches():
    table = Table(
        [Column("code"), Column("class"), Column("pixels", format=","), Column("area", "hm²", ",.1f")],
        [[1, "A", 12345, 1234.56], [2, "B", 7, -0.04]],
        footer=["", "Total", 12352, 1234.52],
        swatches=["#112233", ""],
        swatch_column=1,
    )
    html = _table_html(table)
    assert "<th>area (hm²)</th>" in html
    assert '<td class="num">12,345</td>' in html and '<td class="num">1,234.6</td>' in html
    assert '<td class="num">\u22120.0</td>' in html and '<td class="num">1</td>' in html
    assert '<td><span class="swatch" style="background:#112233"></span>A</td><td class="num">12,345' in html
    assert html.count('class="swatch"') == 1
    assert '<tfoot><tr><th></th><th>Total</th><th class="num">12,352</th>' in html
    with pytest.raises(ReportDataError, match=r"rows\[1\]: 1 cells for 4 columns"):
        Table(["a", "b", "c", "d"], [[1, 2, 3, 4], [1]])
    with pytest.raises(ReportDataError, match="not a number format"):
        Column("a", format="{0.__class__}")
    with pytest.raises(ReportDataError, match=r"swatches\[0\]"):
        Table(["a"], [[1]], swatches=["red"])


# ------------------------------------------------------------------------------------------------- pages
def test_page_escapes_and_is_self_contained():
    page = render_html(
        Report(
            "Carbon <script>alert(1)</script> & report",
            [
                Section("Heat <map>", [Chart.bars([1.0, 2.0], ["a", "b"], "x")]),
                Section("Table", [Table(["a"], [[1.0]])]),
            ],
            {"plugin": "Carbon Sink Diagnostics 0.1", "parameters": {"THRESHOLD": 0.8}, "inputs": ["a.tif"]},
        )
    )
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<h2>Heat &lt;map&gt;</h2>" in page
    assert "Produced by" in page and "THRESHOLD: 0.8" in page and "a.tif" in page
    assert _no_external(page)
    assert not re.search(r"\b(src|href)\s*=", page)


def test_runs_lists_notes_and_nested_sections_render_with_fixed_tags():
    page = render_html(_every_block())
    assert "<p>Total <b>+12.5 t</b> in <code>/data/x.tif</code>.</p>" in page
    assert "<ul><li>one</li><li><b>two</b> items</li></ul>" in page
    assert '<div class="notes"><p>alpha = 0.05<br>seed 42</p><p>second paragraph</p></div>' in page
    assert "<section><h3>Notes</h3>\n<p>r &lt; 0.9</p>" in page
    assert "<tr><th>inputs</th><td>a.tif<br>b.tif</td></tr>" in page
    assert "<tr><th>settings</th><td>k: 3<br>seed: \u2013</td></tr>" in page
    for mark in ("series", "bar", "point", "cell", "flow"):
        assert f'class="{mark}"' in page
    with pytest.raises(ReportDataError, match="not a text style"):
        Run("x", "script")


def test_the_same_report_as_json_and_back_renders_the_same_page():
    doc = _every_block()
    text = dumps(doc)
    data = json.loads(text)
    assert data["schema"] == "carbonsink-report" and data["version"] == 1
    table = data["sections"][2]["blocks"][0]
    assert table["rows"] == [[2001, 1234.56, True], [2002, None, False]]  # numbers as numbers, NaN as null
    assert isinstance(table["rows"][0][0], int)
    lines = data["sections"][1]["blocks"][0]
    assert lines["chart"] == "lines" and lines["series"][0]["values"] == [1.0, None, 2.5]
    back = loads(text)
    assert back == doc
    assert render_html(back) == render_html(doc)
    assert "NaN" not in text and "Infinity" not in text


def test_write_report_writes_html_and_json_beside_it(tmp_path):
    doc = _every_block()
    path = store.write_report(tmp_path / "sub" / "report.html", doc)
    assert os.fspath(path) == os.fspath(tmp_path / "sub" / "report.html")
    assert (tmp_path / "sub" / "report.html").read_text(encoding="utf-8") == render_html(doc)
    assert store.data_path(path) == os.fspath(tmp_path / "sub" / "report.json")
    assert store.read_report(path) == doc
    assert sorted(os.listdir(tmp_path / "sub")) == ["report.html", "report.json"]  # no temporary left
    with pytest.raises(ValueError, match="Report"):
        store.write_report(tmp_path / "x.html", "<p>html</p>")


def test_reading_refuses_missing_or_invalid_data_naming_the_file(tmp_path):
    page = tmp_path / "storage.html"
    page.write_text("<html><body><h1>old report</h1></body></html>")
    with pytest.raises(ReportDataError, match=r"no report data 'storage.json' beside 'storage.html'"):
        store.read_report(page)
    (tmp_path / "storage.json").write_text("{not json")
    with pytest.raises(ReportDataError, match=r"'storage.json' is not valid report data: not valid JSON"):
        store.read_report(page)
    (tmp_path / "storage.json").write_bytes(b"\xff\xfe{}")
    with pytest.raises(ReportDataError, match="'storage.json' is not UTF-8"):
        store.read_report(page)


# -------------------------------------------------------------------------------------------- validation
def _data():
    return _every_block().to_dict()


def _refused(data, pattern):
    with pytest.raises(ReportDataError, match=pattern):
        loads(json.dumps(data))


def test_tampered_data_are_refused_saying_where():
    data = _data()
    data["sections"][2]["blocks"][0]["rows"][1][1] = "12"  # a text where the column holds numbers is fine
    loads(json.dumps(data))
    data["sections"][2]["blocks"][0]["rows"][1][1] = {"html": "<b>"}
    _refused(data, r"sections\[2\]\.blocks\[0\]\.rows\[1\]\[1\]: expected a number or null, got an object")
    data = _data()
    data["sections"][0]["blocks"][0] = {"kind": "html", "html": "<script>alert(1)</script>"}
    _refused(data, r"sections\[0\]\.blocks\[0\]\.kind: text 'html' is not a block kind \(paragraph, list")
    data = _data()
    data["sections"][1]["blocks"][0]["chart"] = "pie"
    _refused(data, r"sections\[1\]\.blocks\[0\]\.chart: text 'pie' is not a chart kind")
    data = _data()
    data["sections"][1]["blocks"][0]["x"] = [2001, 2002]
    _refused(data, r"sections\[1\]\.blocks\[0\]: lines chart: series 'Storage \(t\)' has 3 values; x has 2")
    data = _data()
    data["sections"][0]["heading"] = "x" * (MAX_LABEL + 1)
    _refused(data, r"sections\[0\]\.heading: a text of 1,001 characters is longer than the limit of 1,000")
    data = _data()
    data["sections"][0]["blocks"][0]["runs"][0] = "x" * (MAX_TEXT * 50)
    _refused(data, r"sections\[0\]\.blocks\[0\]\.runs\[0\]: a text of 5,000,000 characters is longer")
    data = _data()
    data["sections"][0]["blocks"][0]["onclick"] = "x()"
    _refused(data, r"sections\[0\]\.blocks\[0\]: unknown field 'onclick'")
    data = _data()
    data["meta"]["inputs"] = [["nested", "list"]]
    _refused(data, r"meta\['inputs'\]\[0\]: expected a number or null, got a list of 2")
    data = _data()
    data["sections"][2]["blocks"][0]["columns"][1]["format"] = "{0.__class__}"
    _refused(
        data, r"sections\[2\]\.blocks\[0\]\.columns\[1\]\.format: '\{0.__class__\}' is not a number format"
    )
    data = _data()
    data["sections"][1]["blocks"][4]["colors"] = {"A": 'red" onload="x()'}
    _refused(data, r"sections\[1\]\.blocks\[4\]\.colors\.A: expected a colour '#rrggbb'")


@pytest.mark.parametrize(
    "change, pattern",
    [
        (lambda d: d.update(schema="other"), "schema: expected 'carbonsink-report'"),
        (lambda d: d.update(version=2), "version: the data are of version 2; this plugin reads version 1"),
        (lambda d: d.update(version="1"), "version: expected an integer"),
        (lambda d: d.update(title=["a"]), "title: expected text, got a list of 1"),
        (lambda d: d.update(sections={"a": 1}), "sections: expected a list, got an object"),
        (lambda d: d.update(layout="popup"), "layout: text 'popup' is not a layout"),
        (lambda d: d.pop("sections"), "report: the field 'sections' is missing"),
    ],
)
def test_the_frame_of_the_data_is_checked(change, pattern):
    data = _data()
    change(data)
    _refused(data, pattern)


def test_json_that_is_not_data_is_refused():
    with pytest.raises(ReportDataError, match="NaN is not a JSON number"):
        loads('{"schema": "carbonsink-report", "version": 1, "title": "t", "sections": [], "x": NaN}')
    with pytest.raises(ReportDataError, match="the report data: expected an object, got a list"):
        loads("[1, 2]")
    with pytest.raises(ReportDataError, match="not valid JSON"):
        loads("[" * 100_000 + "]" * 100_000)
    deep = {"heading": "h", "blocks": []}
    for _ in range(5):
        deep = {"heading": "h", "blocks": [], "sections": [deep]}
    data = _data()
    data["sections"] = [deep]
    _refused(data, r"sections nested more than 3 deep")

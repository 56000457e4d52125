"""Hostile text in every field of a step report, through its JSON data into the study report: the pages
hold no live markup (no script element, no on* attribute, no javascript: or external URL) and show the
text as text; tampered data are refused naming the file and the place."""

import json
import struct
import zlib

import numpy as np
import pytest
from live_markup import HOSTILE, assert_no_live_markup, scan

from core.reports import store
from core.reports import study_report as sr
from core.reports.document import (
    PNG_SIGNATURE,
    BulletList,
    Chart,
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
from core.reports.render import render_html

H = HOSTILE


def _png():
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes((10, 120, 200)) * 4 for _ in range(3))
    header = struct.pack(">IIBBBBB", 4, 3, 8, 2, 0, 0, 0)
    return PNG_SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _hostile_step():
    """A report with a hostile text in every place a text can go."""
    return Report(
        H[0],
        [
            Section(
                H[1],
                [
                    Paragraph([H[2], Run(H[3], "b"), Run(H[4], "code"), Run(H[5], "sub")], lead=True),
                    BulletList([H[6], [Run(H[7], "i"), H[0]]], muted=True),
                    Notes("\n\n".join(H)),
                    KeyValues({H[1]: H[2], "list": list(H[:3]), "named": {H[3]: H[4], "n": [H[5], 1.5]}}),
                ],
                [Section(H[2], [Paragraph(H[3])], role="provenance")],
            ),
            Section(
                H[3],
                [
                    Table(
                        [Column(H[4], H[5]), Column(H[6]), Column("n", format=",.2f")],
                        [[H[0], H[1], 1.5], [H[2], None, -2.0]],
                        footer=[H[3], "", 0.5],
                        swatches=["#112233", ""],
                    ),
                    Chart.lines(
                        [2001, 2002],
                        {H[0]: [1.0, 2.0], H[1]: [2.0, 1.0]},
                        H[2],
                        H[3],
                        title=H[4],
                        trend_lines={H[5]: (1.0, -2000.0)},
                        right_axis=(H[1],),
                    ),
                    Chart.bars([1.0, 2.0], [H[6], H[7]], H[0], title=H[1], errors=[0.1, 0.2]),
                    Chart.scatter(
                        [1.0, 2.0],
                        [1.0, 2.0],
                        H[2],
                        H[3],
                        title=H[4],
                        one_to_one=True,
                        series_labels=[H[5], H[6]],
                    ),
                    Chart.heatmap(
                        [[1.0, 0.2], [0.2, 1.0]],
                        [H[7], H[0]],
                        title=H[1],
                        annotations=[[H[2], ""], ["", H[3]]],
                    ),
                    Chart.sankey(
                        [(H[4], H[5], 2.0), (H[6], H[4], 1.0)], H[7], unit=H[0], column_titles=(H[1], H[2])
                    ),
                ],
            ),
        ],
        {H[0]: H[1], "inputs": [H[2], H[3]], "parameters": {H[4]: H[5]}},
        algorithm="carbonsink:carbonstorage",
    )


def test_a_hostile_step_report_renders_as_text():
    page = render_html(_hostile_step())
    assert_no_live_markup(page)
    assert "<script" not in page.lower() and "onerror=" not in page.replace("onerror=alert(4)&gt;", "")


def test_hostile_data_through_json_into_the_study_report(tmp_path):
    step = store.write_report(tmp_path / "storage.html", _hostile_step())
    data = store.read_report(step)
    assert data == _hostile_step()
    fig = Figure(_png(), H[0], H[1], (H[2], H[3]), scale_label=H[4], width_mm=120.0, source=H[5], note=H[6])
    rows = sr.class_area_rows([0, 3, 1], [0, 3e4, 1e4], [(1, H[7], "#00ff00"), (2, H[0], "#ff0000")])
    doc = sr.study_report(
        H[1],
        maps=[fig],
        class_areas=[(H[2], rows)],
        steps=[sr.StepReport(H[3], data, H[4])],
        notes="\n".join(H),
        missing=list(H),
        meta={H[5]: H[6], "inputs": {H[7]: [H[0], H[1]]}},
        intro=H[2],
    )
    out = store.write_report(tmp_path / "study.html", doc)
    page = (tmp_path / "study.html").read_text(encoding="utf-8")
    assert_no_live_markup(page)
    # the study report's own data read back and render the same page
    assert render_html(store.read_report(out)) == page
    problems, text = scan(page)
    assert text.count(H[0]) >= 10


def _tampered(tmp_path, change):
    store.write_report(tmp_path / "step.html", _hostile_step())
    path = tmp_path / "step.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ReportDataError) as exc:
        store.read_report(tmp_path / "step.html")
    return str(exc.value)


def test_tampered_step_data_are_refused_naming_the_file_and_the_place(tmp_path):
    def raw_html(d):
        d["sections"][0]["blocks"].append({"kind": "html", "html": "<script>alert(1)</script>"})

    message = _tampered(tmp_path, raw_html)
    assert message.startswith("'step.json' is not valid report data: sections[0].blocks[4].kind")
    assert "'html' is not a block kind" in message

    def wrong_type(d):
        d["sections"][1]["blocks"][0]["rows"][0][2] = ["<b>1</b>"]

    assert "sections[1].blocks[0].rows[0][2]: expected a number or null, got a list of 1" in _tampered(
        tmp_path, wrong_type
    )

    def huge(d):
        d["title"] = "x" * 20_000_000

    assert "title: a text of 20,000,000 characters is longer than the limit of 1,000" in _tampered(
        tmp_path, huge
    )

    def attribute(d):
        d["sections"][1]["blocks"][0]["swatches"][0] = '#112233" onmouseover="alert(1)'

    assert "swatches[0]: expected a colour '#rrggbb' or ''" in _tampered(tmp_path, attribute)

    def url(d):
        d["sections"][0]["blocks"][0]["runs"][1]["style"] = 'a href="javascript:alert(1)"'

    assert (
        "sections[0].blocks[0].runs[1].style: 'a href=\"javascript:alert(1)\"' is not a text style"
        in _tampered(tmp_path, url)
    )

    def not_png(d):
        d["sections"][0]["blocks"].append(
            {"kind": "figure", "title": "x", "png": "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="}
        )

    assert "sections[0].blocks[4].png: does not start with the PNG signature" in _tampered(tmp_path, not_png)


def test_a_file_too_large_is_refused_before_it_is_read(tmp_path, monkeypatch):
    store.write_report(tmp_path / "step.html", _hostile_step())
    monkeypatch.setattr(store, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ReportDataError, match=r"'step.json' is [\d,]+ bytes, more than the 1,000 bytes"):
        store.read_report(tmp_path / "step.html")


def test_numbers_cannot_carry_markup():
    with pytest.raises(ReportDataError, match="expected a number or null"):
        Chart.bars(["<script>"], ["a"], "x")
    with pytest.raises(ReportDataError, match="width_mm"):
        Figure(_png(), "t", width_mm='1" onload="x')
    fig = Figure(_png(), "t", width_mm=np.float64(80.0))
    assert 'style="width:80.0mm"' in render_html(Report("t", [Section("s", [fig])]))

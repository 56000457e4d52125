"""The study report through processing.run: maps rendered headless, step reports merged, one offline file."""

import base64
import re

import numpy as np
import pytest
from rasters import write_raster

from core.common import classes, style
from core.reports import store
from core.reports.document import Chart, Report, Section, Table

pytestmark = pytest.mark.qgis

SVG_NS = "http://www.w3.org/2000/svg"
MARKS = ("cell", "point", "bar", "series", "vertex", "flow", "node")


@pytest.fixture(scope="module", autouse=True)
def registered(qgis_app):
    from qgis.core import QgsApplication

    registry = QgsApplication.processingRegistry()
    if registry.algorithmById("carbonsink:studyreport") is None:
        from carbon_sink_diagnostics.algorithms.study_report import StudyReport

        registry.providerById("carbonsink").addAlgorithm(StudyReport())


@pytest.fixture
def study(tmp_path):
    """A small study: density stack with its style, a slope without one, two class rasters, a step report."""
    yy, xx = np.mgrid[0:30, 0:40]
    rng = np.random.default_rng(11)
    density = np.stack([40 + 0.6 * yy + 0.3 * k + rng.normal(0, 1, yy.shape) for k in range(4)])
    density[:, :3, :3] = np.nan
    dens = write_raster(tmp_path / "density.tif", density, descriptions=range(2001, 2005))
    (tmp_path / "density.qml").write_text(style.pseudocolor_qml(40.0, 60.0, style.SEQUENTIAL))
    slope = write_raster(tmp_path / "slope.tif", 0.02 * (xx - 20) + rng.normal(0, 0.05, xx.shape))
    trend = np.where(xx < 12, 1, np.where(xx < 25, 2, 3)).astype(float)
    trend[:3, :3] = np.nan
    trend_path = write_raster(tmp_path / "trend.tif", trend, nodata=0)
    (tmp_path / "trend.qml").write_text(style.paletted_qml(classes.TREND_3))
    zones = np.where(yy < 15, 4, 7).astype(float)  # no style, no category names: a fallback palette
    zones_path = write_raster(tmp_path / "zones.tif", zones, nodata=0)
    years = np.arange(2001, 2005)
    chart = Chart.lines(
        years,
        {"Total storage (t)": [10.0, 11.0, 12.5, 13.0]},
        "Year",
        "Total storage (t)",
        title="Carbon storage",
        trend_lines={"Total storage (t)": (1.05, -2091.0)},
    )
    step = Report(
        "Carbon storage accounting",
        [
            Section("Storage and mean density per year", [chart]),
            Section("Trends (least squares)", [Table(["variable", "slope"], [["total storage", 1.05]])]),
        ],
        {"input": "density.tif", "plugin": "Carbon Sink Diagnostics 0.1.0"},
        algorithm="carbonsink:carbonstorage",
    )
    step_path = tmp_path / "storage.html"
    store.write_report(step_path, step)
    return {
        "dens": dens,
        "slope": slope,
        "trend": trend_path,
        "trend_values": trend,
        "zones": zones_path,
        "storage": str(step_path),
    }


def _images(html):
    return re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]*)"', html)


def _distinct_colours(png):
    from qgis.PyQt.QtGui import QImage

    image = QImage.fromData(png, "PNG")
    assert not image.isNull()
    step_x, step_y = max(1, image.width() // 80), max(1, image.height() // 80)
    return {
        image.pixel(x, y) for x in range(0, image.width(), step_x) for y in range(0, image.height(), step_y)
    }


def test_report_embeds_maps_with_legends_class_areas_and_step_charts(run_alg, feedback, study, tmp_path):
    out = tmp_path / "study.html"
    result = run_alg(
        "carbonsink:studyreport",
        {
            "TITLE": "Test <study> & co",
            "NOTES": "Alpha = 0.05\n\nSecond paragraph <b>not bold</b>",
            "DENSITY": [study["dens"]],
            "SLOPE": study["slope"],
            "TREND_CLASS": study["trend"],
            "ZONES": study["zones"],
            "STORAGE_REPORT": study["storage"],
            "DPI": 96,
            "OUTPUT": str(out),
        },
        feedback,
    )
    assert result["OUTPUT"] == str(out)
    html = out.read_text(encoding="utf-8")

    # Maps: density first and last year, slope, trend class, zones; every one a real, non-blank PNG.
    images = _images(html)
    assert len(images) == 5 == html.count("<img ")
    for data, _ in images:
        png = base64.b64decode(data, validate=True)
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 1000
        assert len(_distinct_colours(png)) > 8  # map colours, legend, text: not blank
    alts = [alt for _, alt in images]
    assert "Carbon density 2001 (t C/hm²)" in alts[0] and "Carbon density 2004" in alts[1]
    assert "colour ramp from" in alts[0] and "Scale bar 0–" in alts[0]
    trend_alt = next(a for a in alts if "Trend class" in a)
    for c in classes.TREND_3.classes:
        assert c.name in trend_alt
    zones_alt = next(a for a in alts if "Diagnostic zones" in a)
    assert "class 4" in zones_alt and "class 7" in zones_alt

    # Class areas: the trend table matches the raster (30 m pixels = 0.09 hm²), shares sum to 100.
    section = html[html.index('id="class-areas"') :]
    table = section[: section.index("</table>")]
    cells = re.findall(r'<td class="num">([\d,.]+)</td>', table)
    pixels = [int(cells[i].replace(",", "")) for i in range(1, len(cells), 4)]
    assert pixels == [int(np.sum(study["trend_values"] == k)) for k in (1, 2, 3)]
    shares = [float(cells[i]) for i in range(3, len(cells), 4)]
    assert sum(shares) == pytest.approx(100.0, abs=0.02)

    # The step report's chart and table, under the step's heading; its provenance kept.
    assert "Carbon storage and mean density" in html and "Storage and mean density per year" in html
    for svg in re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL):
        assert any(f'class="{m}"' in svg for m in MARKS), svg[:200]
    assert html.count("<svg") >= 1 and "Inputs and parameters of this step" in html

    # Order of the parts, what is missing, escaping, provenance, offline.
    order = [html.index(f'id="{k}"') for k in ("summary", "maps", "class-areas", "produced-by")]
    assert order == sorted(order)
    assert "Test &lt;study&gt; &amp; co" in html and "<study>" not in html
    assert "&lt;b&gt;not bold&lt;/b&gt;" in html
    assert "Future trend (Sen slope × Hurst) map" in html and "Random Forest carbon-density model" in html
    assert "Carbon Sink Diagnostics 0.1.0" in html and "carbonsink:studyreport" in html
    assert re.findall(r"https?://[^\s\"'<>]+", html) == [SVG_NS] * html.count(f'xmlns="{SVG_NS}"')
    assert "<script" not in html and "<link" not in html
    assert "@media print" in html and "break-before: page" in html


def test_an_empty_report_says_what_is_missing(run_alg, tmp_path):
    out = tmp_path / "empty.html"
    run_alg("carbonsink:studyreport", {"OUTPUT": str(out)})
    html = out.read_text(encoding="utf-8")
    assert "<img" not in html and "Not in this report" in html
    assert "Carbon density maps (first and last year)" in html and "Diagnostic zones map" in html


def test_a_file_that_is_not_a_step_report_is_refused(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    page = tmp_path / "page.html"
    page.write_text("<html><body><p>hello</p></body></html>")
    with pytest.raises(QgsProcessingException) as exc:
        run_alg("carbonsink:studyreport", {"MODEL_REPORT": str(page), "OUTPUT": str(tmp_path / "x.html")})
    assert "Random Forest carbon-density model" in str(exc.value) and "no report data 'page.json'" in str(
        exc.value
    )
    assert not (tmp_path / "x.html").exists() and not (tmp_path / "x.json").exists()


def test_maps_render_in_a_worker_thread(qgis_app, study):
    """Processing runs algorithms in a background task in QGIS desktop: rendering must work there."""
    import time

    from carbon_sink_diagnostics.algorithms.support import map_render
    from qgis.core import QgsApplication, QgsTask

    done = {}

    def work(task):
        done["map"] = map_render.render_raster(study["trend"], "Trend class", dpi=72)
        return True

    task = QgsTask.fromFunction("render", work)
    QgsApplication.taskManager().addTask(task)
    start = time.time()
    while task.status() not in (QgsTask.Complete, QgsTask.Terminated) and time.time() - start < 60:
        qgis_app.processEvents()
        time.sleep(0.02)
    assert task.status() == QgsTask.Complete
    rendered = done["map"]
    assert rendered.png[:8] == b"\x89PNG\r\n\x1a\n"
    assert rendered.legend_labels == tuple(c.name for c in classes.TREND_3.classes)
    assert len(_distinct_colours(rendered.png)) > 8


def test_density_years_from_a_list_of_rasters_share_one_colour_scale(run_alg, tmp_path):
    rng = np.random.default_rng(2)
    paths = [
        write_raster(tmp_path / f"cd_{year}.tif", 30 + 10 * k + rng.normal(0, 2, (12, 16)))
        for k, year in enumerate((2001, 2010, 2020))
    ]
    out = tmp_path / "density.html"
    run_alg("carbonsink:studyreport", {"DENSITY": paths, "DPI": 72, "OUTPUT": str(out)})
    alts = [alt for _, alt in _images(out.read_text(encoding="utf-8"))]
    assert len(alts) == 2 and "Carbon density 2001" in alts[0] and "Carbon density 2020" in alts[1]
    ramps = [re.search(r"colour ramp from (\S+) to (\S+)\. ", alt).groups() for alt in alts]
    assert ramps[0] == ramps[1]
    low, high = (float(v) for v in ramps[0])
    assert low < 35 and high > 45  # the union of both years' ranges

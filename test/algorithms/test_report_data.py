"""Reports from data through processing.run: hostile class, field and layer names in the steps' reports
and in the study report built from their JSON show as text, never as markup; missing, tampered or
misplaced report data stop the study report with a message naming the parameter and the file."""

import json

import numpy as np
import pytest
from live_markup import HOSTILE, assert_no_live_markup, assert_written_from_one_document
from osgeo import gdal
from rasters import write_raster

from core.reports import store
from core.reports.document import Paragraph, Report, Section, Table

pytestmark = pytest.mark.qgis

H = HOSTILE
X0, Y0, PX = 560000.0, 4250000.0, 30.0
ROWS, COLS = 16, 20
# Factor names come from the file names: hostile texts without a path separator.
FACTOR_NAMES = (H[4], H[5], "a<b>&c")
TARGET = H[3]  # a field name (a ";" would split it into several fields)


@pytest.fixture(scope="module", autouse=True)
def registered(qgis_app):
    from qgis.core import QgsApplication

    registry = QgsApplication.processingRegistry()
    if registry.algorithmById("carbonsink:studyreport") is None:
        from carbon_sink_diagnostics.algorithms.study_report import StudyReport

        registry.providerById("carbonsink").addAlgorithm(StudyReport())


def _points(values, field, rows, cols):
    from carbon_sink_diagnostics.algorithms.support.compat import FieldType
    from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsPointXY, QgsVectorLayer

    layer = QgsVectorLayer("Point?crs=EPSG:32648", H[6], "memory")
    assert layer.dataProvider().addAttributes([QgsField(field, FieldType.Double)])
    layer.updateFields()
    feats = []
    for v, r, c in zip(values, rows, cols):
        f = QgsFeature(layer.fields())
        f.setAttributes([float(v)])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(X0 + (c + 0.5) * PX, Y0 - (r + 0.5) * PX)))
        feats.append(f)
    ok, _ = layer.dataProvider().addFeatures(feats)
    assert ok
    return layer


@pytest.fixture(scope="module")
def hostile_steps(qgis_app, tmp_path_factory):
    """The land-use, screening and Random Forest reports of a run with hostile names everywhere."""
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    def run(alg, params):
        return processing.run(alg, params, context=QgsProcessingContext(), feedback=QgsProcessingFeedback())

    folder = tmp_path_factory.mktemp("hostile")
    rng = np.random.default_rng(3)
    start = rng.integers(1, 4, (4, 4)).astype(float)
    end = np.where(rng.random((4, 4)) < 0.4, rng.integers(1, 4, (4, 4)), start).astype(float)
    landuse = run(
        "carbonsink:landusecontribution",
        {
            "LANDUSE_START": write_raster(folder / "lu0.tif", start, nodata=255, dtype=gdal.GDT_Byte),
            "LANDUSE_END": write_raster(folder / "lu1.tif", end, nodata=255, dtype=gdal.GDT_Byte),
            "CARBON_START": write_raster(folder / "c0.tif", 10 + rng.random((4, 4))),
            "CARBON_END": write_raster(folder / "c1.tif", 12 + rng.random((4, 4))),
            "CARBON_UNIT": 1,
            "CLASSES": ["1", H[0], "2", H[1], "3", H[2]],
            "CONVERSION_CLASSES": "1, 2",
            "TRANSITIONS": "TEMPORARY_OUTPUT",
            "CONTRIBUTIONS": "TEMPORARY_OUTPUT",
            "REPORT": str(folder / "landuse.html"),
        },
    )
    grids = [rng.normal(100 * (k + 1), 10 * (k + 1), (ROWS, COLS)) for k in range(3)]
    factors = [write_raster(folder / f"{name}.tif", g) for name, g in zip(FACTOR_NAMES, grids)]
    flat = rng.choice(ROWS * COLS, size=150, replace=False)
    rows, cols = flat // COLS, flat % COLS
    target = 0.05 * grids[0][rows, cols] + 0.02 * grids[1][rows, cols] + rng.normal(0, 1, rows.size)
    points = _points(target, TARGET, rows, cols)
    screening = run(
        "carbonsink:factorscreening",
        {
            "INPUT": points,
            "TARGET": TARGET,
            "FACTORS": factors,
            "PAIRS": "TEMPORARY_OUTPUT",
            "FACTOR_TABLE": "TEMPORARY_OUTPUT",
            "REPORT": str(folder / "screening.html"),
        },
    )
    forest = run(
        "carbonsink:trainrandomforest",
        {
            "INPUT": points,
            "TARGET": TARGET,
            "FACTORS": factors,
            "N_TREES": 10,
            "MIN_LEAF": 5,
            "MAX_DEPTH": 5,
            "MODEL": str(folder / "model.npz"),
            "METRICS": "TEMPORARY_OUTPUT",
            "IMPORTANCE": "TEMPORARY_OUTPUT",
            "REPORT": str(folder / "forest.html"),
        },
    )
    return folder, landuse["REPORT"], screening["REPORT"], forest["REPORT"]


def test_hostile_names_in_the_step_reports_show_as_text(hostile_steps):
    _, landuse, screening, forest = hostile_steps
    for path, algorithm, shown in (
        (landuse, "carbonsink:landusecontribution", (H[0], H[1], H[2])),
        (screening, "carbonsink:factorscreening", (*FACTOR_NAMES, TARGET)),
        (forest, "carbonsink:trainrandomforest", (*FACTOR_NAMES, TARGET)),
    ):
        assert_written_from_one_document(path, algorithm)
        with open(path, encoding="utf-8") as fh:
            assert_no_live_markup(fh.read(), shown)


def test_the_study_report_of_hostile_steps_has_no_live_markup(run_alg, hostile_steps):
    folder, landuse, screening, forest = hostile_steps
    out = folder / "study.html"
    run_alg(
        "carbonsink:studyreport",
        {
            "TITLE": H[0],
            "NOTES": "\n\n".join(H),
            "LANDUSE_REPORT": landuse,
            "SCREENING_REPORT": screening,
            "MODEL_REPORT": forest,
            "OUTPUT": str(out),
        },
    )
    page = out.read_text(encoding="utf-8")
    assert_no_live_markup(page)
    assert (
        page.count('class="flow"') > 0
        and page.count('class="cell"') == 16
        and page.count('class="point"') > 0
    )
    assert_written_from_one_document(out, "carbonsink:studyreport")


def _study(run_alg, tmp_path, **reports):
    return run_alg("carbonsink:studyreport", {**reports, "OUTPUT": str(tmp_path / "study.html")})


def test_missing_tampered_or_misplaced_report_data_are_refused(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    step = Report(
        "Carbon storage accounting",
        [Section("Trends", [Paragraph(H[0]), Table(["variable", "slope"], [["total", 1.5]])])],
        {"plugin": "Carbon Sink Diagnostics"},
        algorithm="carbonsink:carbonstorage",
    )
    html = store.write_report(tmp_path / "storage.html", step)
    result = _study(run_alg, tmp_path, STORAGE_REPORT=html)
    assert_no_live_markup((tmp_path / "study.html").read_text(encoding="utf-8"), (H[0],))
    assert result["OUTPUT"] == str(tmp_path / "study.html")

    with pytest.raises(QgsProcessingException, match=r"Factor screening: report of carbonsink:factorscreening: "
                       r"'storage.html' is a report of carbonsink:carbonstorage, not of carbonsink:factorscreening"):  # fmt: skip
        _study(run_alg, tmp_path, SCREENING_REPORT=html)

    data = json.loads((tmp_path / "storage.json").read_text(encoding="utf-8"))
    data["sections"][0]["blocks"][1]["rows"][0][1] = "<b>1.5</b>"
    data["sections"][0]["blocks"].append({"kind": "raw", "html": "<script>alert(1)</script>"})
    (tmp_path / "storage.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(QgsProcessingException) as exc:
        _study(run_alg, tmp_path, STORAGE_REPORT=html)
    message = str(exc.value)
    assert message.startswith("Carbon storage and mean density: report of carbonsink:carbonstorage: ")
    assert (
        "'storage.json' is not valid report data: sections[0].blocks[2].kind: text 'raw' is not a block"
        in message
    )

    data["sections"][0]["blocks"].pop()
    data["title"] = "x" * 5_000_000
    (tmp_path / "storage.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(QgsProcessingException, match="title: a text of 5,000,000 characters is longer than"):
        _study(run_alg, tmp_path, STORAGE_REPORT=html)

    (tmp_path / "storage.json").unlink()
    with pytest.raises(QgsProcessingException, match="no report data 'storage.json' beside 'storage.html'"):
        _study(run_alg, tmp_path, STORAGE_REPORT=html)


def test_an_output_over_a_step_reports_data_is_refused(run_alg, tmp_path):
    """The study report writes its data beside its page: never over the data of a step it reads."""
    from qgis.core import QgsProcessingException

    step = Report(
        "Carbon storage accounting", [Section("s", [Paragraph("p")])], algorithm="carbonsink:carbonstorage"
    )
    html = store.write_report(tmp_path / "storage.html", step)
    before = (tmp_path / "storage.json").read_bytes()
    with pytest.raises(QgsProcessingException, match=r"storage.json"):
        run_alg("carbonsink:studyreport", {"STORAGE_REPORT": html, "OUTPUT": str(tmp_path / "storage.htm")})
    assert (tmp_path / "storage.json").read_bytes() == before
    assert not (tmp_path / "storage.htm").exists()


def test_a_title_or_notes_too_long_for_a_report_are_refused_before_the_maps(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    from core.reports.document import MAX_LABEL, MAX_TEXT

    with pytest.raises(
        QgsProcessingException, match=r"Title \(TITLE\): 1,001 characters; a report takes at most 1,000"
    ):
        run_alg(
            "carbonsink:studyreport", {"TITLE": "t" * (MAX_LABEL + 1), "OUTPUT": str(tmp_path / "s.html")}
        )
    with pytest.raises(QgsProcessingException, match=r"\(NOTES\): 100,001 characters"):
        run_alg("carbonsink:studyreport", {"NOTES": "n" * (MAX_TEXT + 1), "OUTPUT": str(tmp_path / "s.html")})
    assert not (tmp_path / "s.html").exists()

"""Issue 10 through processing.run: no output over an input, nothing left by a failed or cancelled run,
clear messages instead of tracebacks, warnings as warnings."""

import os
import sys

import numpy as np
import pytest
from osgeo import gdal
from rasters import read_raster, write_raster

from core.common import classes

pytestmark = pytest.mark.qgis
YEARS = list(range(2001, 2013))


N_YEARS = len(YEARS)


def _stack(path, n=N_YEARS, rows=8, cols=9, seed=0, **kwargs):
    rng = np.random.default_rng(seed)
    data = 20 + 0.5 * np.arange(n)[:, None, None] + rng.normal(0, 0.3, (n, rows, cols))
    return write_raster(path, data, descriptions=YEARS[:n], **kwargs)


def _class_raster(path, scheme, rows=8, cols=9):
    """A class raster with the scheme's colour table and class names (kept in the .aux.xml)."""
    codes = np.resize(np.array(scheme.codes, dtype=float), (rows, cols))
    write_raster(path, codes, nodata=0, dtype=gdal.GDT_Byte)
    ds = gdal.Open(str(path), gdal.GA_Update)
    names = [""] * (max(scheme.codes) + 1)
    for c in scheme.classes:
        names[c.code] = c.name
    ds.GetRasterBand(1).SetCategoryNames(names)
    ds = None
    return str(path)


def _listing(folder):
    """The files of ``folder``, without the .aux.xml QGIS itself writes beside any raster it loads."""
    return sorted(n for n in os.listdir(folder) if not n.endswith(".tif.aux.xml") or n[:-8] in OUTPUTS)


OUTPUTS = ("mean.tif", "t.tif", "s.tif", "slope.tif", "o.tif")


def _plot_helpers():
    import importlib.util

    path = os.path.join(os.path.dirname(__file__), "test_plot_carbon_density.py")
    spec = importlib.util.spec_from_file_location("_plot_carbon_tests", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _snapshot(folder):
    return {
        name: open(os.path.join(folder, name), "rb").read()
        for name in sorted(os.listdir(folder))
        if os.path.isfile(os.path.join(folder, name))
    }


def _refused(run_alg, alg, params, *words):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException) as err:
        run_alg(alg, params)
    for word in words:
        assert word in str(err.value), str(err.value)


# -------------------------------------------------------------------------------- output = input
def test_sen_slope_over_its_input_is_refused_and_the_input_is_kept(run_alg, tmp_path):
    x = _stack(tmp_path / "x.tif")
    before = _snapshot(tmp_path)
    _refused(
        run_alg,
        "carbonsink:senmannkendall",
        {"INPUT": [x], "SLOPE": x, "TREND_CLASS": str(tmp_path / "t.tif")},
        "Output 'Sen slope (units per year)' (SLOPE)",
        "input 'Yearly stack",
        "(INPUT)",
        x,
    )
    assert _snapshot(tmp_path) == before


def test_check_parameter_values_refuses_it_for_the_dialog(qgis_app, tmp_path):
    from qgis.core import QgsApplication, QgsProcessingContext

    x = _stack(tmp_path / "x.tif")
    alg = QgsApplication.processingRegistry().createAlgorithmById("carbonsink:senmannkendall")
    ok, message = alg.checkParameterValues(
        {"INPUT": [x], "SLOPE": str(tmp_path / "s.tif"), "TREND_CLASS": x}, QgsProcessingContext()
    )
    assert not ok and "(TREND_CLASS)" in message and "destroy its own input" in message


def test_zoning_over_its_class_input_is_refused_and_the_class_names_are_kept(run_alg, tmp_path):
    trend = _class_raster(tmp_path / "trend.tif", classes.TREND_3)
    before = _snapshot(tmp_path)
    assert "trend.tif.aux.xml" in before
    _refused(
        run_alg,
        "carbonsink:diagnosticzoning",
        {"TREND_CLASS": trend, "ZONES": trend},
        "(ZONES)",
        "(TREND_CLASS)",
    )
    assert _snapshot(tmp_path) == before


def test_future_trend_over_an_input_is_refused(run_alg, tmp_path):
    slope = write_raster(tmp_path / "slope.tif", np.ones((5, 5)))
    hurst = write_raster(tmp_path / "h.tif", np.full((5, 5), 0.7))
    before = _snapshot(tmp_path)
    _refused(
        run_alg,
        "carbonsink:futuretrend",
        {"SLOPE": slope, "HURST": hurst, "FUTURE_CLASS": hurst},
        "(FUTURE_CLASS)",
        "(HURST)",
    )
    assert _snapshot(tmp_path) == before


def test_two_outputs_on_one_file_are_refused(run_alg, tmp_path):
    x = _stack(tmp_path / "x.tif")
    out = str(tmp_path / "o.tif")
    _refused(
        run_alg,
        "carbonsink:senmannkendall",
        {"INPUT": [x], "SLOPE": out, "TREND_CLASS": out},
        "are the same file",
    )
    assert _listing(tmp_path) == ["x.tif"]


def _plot_layers_in_one_geopackage(gpkg):
    from qgis.core import QgsCoordinateTransformContext, QgsVectorFileWriter, QgsVectorLayer

    h = _plot_helpers()
    for k, (layer, name) in enumerate(((h._plots(h.GOOD), "plots"), (h._trees(h.TREES), "trees"))):
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        options.layerName = name
        if k:
            options.actionOnExistingFile = QgsVectorFileWriter.CreateOrOverwriteLayer
        err = QgsVectorFileWriter.writeAsVectorFormatV3(
            layer, str(gpkg), QgsCoordinateTransformContext(), options
        )
        assert err[0] == QgsVectorFileWriter.NoError, err
    plots = QgsVectorLayer(f"{gpkg}|layername=plots", "plots", "ogr")
    trees = QgsVectorLayer(f"{gpkg}|layername=trees", "trees", "ogr")
    assert plots.isValid() and trees.isValid()
    return f"{gpkg}|layername=plots", f"{gpkg}|layername=trees"


@pytest.mark.parametrize("as_table", [False, True])
def test_plot_carbon_into_the_geopackage_of_its_plots_is_refused(run_alg, tmp_path, as_table):
    _params = _plot_helpers()._params
    gpkg = tmp_path / "field.gpkg"
    plots, trees = _plot_layers_in_one_geopackage(gpkg)
    before = gpkg.read_bytes()
    out = f"ogr:dbname='{gpkg}' table=\"density\" (geom)" if as_table else str(gpkg)
    params = _params(
        plots, out, TREES=trees, TREE_PLOT_ID_FIELD="plot", TREE_GROUP_FIELD="sp", TREE_DBH_FIELD="dbh"
    )
    params["TREE_HEIGHT_FIELD"] = "h"
    _refused(
        run_alg,
        "carbonsink:plotcarbondensity",
        params,
        "(PLOT_CARBON",
        "field.gpkg",
        "(PLOTS, layer 'plots')",
    )
    assert gpkg.read_bytes() == before


def test_study_report_over_a_step_report_is_refused(run_alg, tmp_path):
    step = tmp_path / "trend_report.html"
    step.write_text("<html><body>trend report</body></html>")
    from qgis.core import QgsApplication

    alg = QgsApplication.processingRegistry().algorithmById("carbonsink:studyreport")
    files = [d.name() for d in alg.parameterDefinitions() if d.type() == "file"]
    _refused(run_alg, "carbonsink:studyreport", {files[0]: str(step), "REPORT": str(step)}, "(REPORT)")
    assert step.read_text() == "<html><body>trend report</body></html>"


# ------------------------------------------------------------------- failures leave nothing behind
def _failing_algorithm():
    from carbon_sink_diagnostics.algorithms.support import raster_engine as engine
    from carbon_sink_diagnostics.algorithms.support import vector_io
    from carbon_sink_diagnostics.algorithms.support.base import CarbonSinkAlgorithm
    from qgis.core import QgsProcessingException, QgsProcessingParameterBoolean

    class WritesThenFails(CarbonSinkAlgorithm):
        NAME = "writesthenfails"
        DISPLAY_NAME = "Writes then fails"
        GROUP_ID = "trends"

        def initAlgorithm(self, config=None):  # noqa: N802
            engine.add_stack_input(self, "INPUT", "Stack")
            engine.add_raster_output(self, "MEAN", "Mean", required=True)
            engine.add_table_output(self, "TABLE", "Table")
            self.addParameter(QgsProcessingParameterBoolean("FAIL", "Fail", defaultValue=False))

        def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
            stack = engine.stack_from_parameters(self, parameters, context, "INPUT", "Stack")
            spec = engine.output_spec(self, parameters, context, "MEAN", "Mean", key="mean")
            engine.run(
                self,
                parameters,
                context,
                feedback,
                {"stack": stack},
                lambda b: {"mean": np.nanmean(b["stack"], axis=0)},
                [spec],
            )
            dest = vector_io.write_table(self, parameters, "TABLE", context, {"a": np.arange(3.0)})
            if self.parameterAsBool(parameters, "FAIL", context):
                raise QgsProcessingException("failed after writing every output")
            return {"MEAN": spec.path, "TABLE": dest}

    alg = WritesThenFails()
    alg.initAlgorithm()
    return alg


def test_a_run_failing_after_writing_leaves_old_files_and_removes_new_ones(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    x = _stack(tmp_path / "x.tif")
    mean = tmp_path / "mean.tif"
    mean.write_bytes(b"earlier mean")
    params = {"INPUT": [x], "MEAN": str(mean), "TABLE": str(tmp_path / "t.csv"), "FAIL": True}
    with pytest.raises(QgsProcessingException, match="failed after writing"):
        run_alg(_failing_algorithm(), params)
    assert mean.read_bytes() == b"earlier mean"
    assert _listing(tmp_path) == ["mean.tif", "x.tif"]
    params["FAIL"] = False
    run_alg(_failing_algorithm(), params)
    assert np.allclose(read_raster(mean), np.nanmean(read_raster(x), axis=0), atol=1e-5)
    assert _listing(tmp_path) == ["mean.tif", "t.csv", "x.tif"]


def test_cancel_inside_one_window_fails_and_leaves_the_old_file(run_alg, feedback, tmp_path):
    from qgis.core import QgsProcessingException

    raster_module = sys.modules["carbon_sink_diagnostics.core.engine.raster"]
    old_part = getattr(raster_module, "_PART_PIXELS", None)
    raster_module._PART_PIXELS = 2048  # many parts in the one window
    try:
        x = _stack(tmp_path / "x.tif", rows=120, cols=150)
        slope = tmp_path / "slope.tif"
        slope.write_bytes(b"earlier slope")
        feedback.progressChanged.connect(lambda p: feedback.cancel() if p > 0 else None)
        with pytest.raises(QgsProcessingException, match="Cancelled by the user"):
            run_alg(
                "carbonsink:senmannkendall",
                {
                    "INPUT": [x],
                    "SLOPE": str(slope),
                    "TREND_CLASS": str(tmp_path / "t.tif"),
                    "MEMORY_MB": 4096,
                },
                feedback,
            )
    finally:
        raster_module._PART_PIXELS = old_part
    assert len([p for p in feedback.progress if p > 0]) == 1  # it stopped at the first report
    assert feedback.progress[-1] < 100
    assert slope.read_bytes() == b"earlier slope"
    assert _listing(tmp_path) == ["slope.tif", "x.tif"]


def test_output_under_a_file_is_refused_before_the_first_output_is_written(run_alg, tmp_path):
    x = _stack(tmp_path / "x.tif")
    (tmp_path / "afile").write_text("a file")
    _refused(
        run_alg,
        "carbonsink:senmannkendall",
        {"INPUT": [x], "SLOPE": str(tmp_path / "s.tif"), "TREND_CLASS": str(tmp_path / "afile" / "t.tif")},
        "(TREND_CLASS)",
        "is a file, not a folder",
    )
    assert _listing(tmp_path) == ["afile", "x.tif"]


def test_folder_destination_under_a_file_is_refused_and_an_existing_folder_is_fine(qgis_app, tmp_path):
    from qgis.core import QgsApplication, QgsProcessingContext

    (tmp_path / "afile").write_text("a file")
    (tmp_path / "region").mkdir()
    alg = QgsApplication.processingRegistry().createAlgorithmById("carbonsink:createdemoregion")
    ok, message = alg.checkParameterValues(
        {"OUTPUT_FOLDER": str(tmp_path / "afile" / "demo")}, QgsProcessingContext()
    )
    assert not ok and "(OUTPUT_FOLDER)" in message and "is a file, not a folder" in message
    ok, message = alg.checkParameterValues(
        {"OUTPUT_FOLDER": str(tmp_path / "region")}, QgsProcessingContext()
    )
    assert ok, message


# ------------------------------------------------------------------------- messages, not tracebacks
def test_result_undefined_everywhere_is_a_clear_error(run_alg, tmp_path):
    carbon = _stack(tmp_path / "c.tif")
    temperature = write_raster(tmp_path / "temp.tif", np.full((len(YEARS), 8, 9), 8.5), descriptions=YEARS)
    precipitation = _stack(tmp_path / "p.tif", seed=5)
    _refused(
        run_alg,
        "carbonsink:climatepartialcorrelation",
        {
            "CARBON_DENSITY": [carbon],
            "TEMPERATURE": [temperature],
            "PRECIPITATION": [precipitation],
            "R_TEMPERATURE": str(tmp_path / "r.tif"),
            "DRIVER_CLASS": str(tmp_path / "d.tif"),
        },
        "(R_TEMPERATURE:",
        "undefined (nodata) on all 72 pixels",
        "'temp'",
    )
    assert _listing(tmp_path) == ["c.tif", "p.tif", "temp.tif"]


def test_hurst_with_three_years_stops_before_computing(run_alg, feedback, tmp_path):
    x = _stack(tmp_path / "three.tif", n=3)
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="'three' has 3 years.*at least 4 years"):
        run_alg("carbonsink:hurstexponent", {"INPUT": [x], "HURST": str(tmp_path / "h.tif")}, feedback)
    assert not [p for p in feedback.progress if p > 0]
    assert _listing(tmp_path) == ["three.tif"]


def test_undeclared_minus_9999_is_a_warning_and_the_nodata_parameter_fixes_it(run_alg, feedback, tmp_path):
    rng = np.random.default_rng(1)
    data = 20 + 0.5 * np.arange(len(YEARS))[:, None, None] + rng.normal(0, 0.3, (len(YEARS), 8, 9))
    data[:, :2, :2] = -9999.0
    x = write_raster(tmp_path / "holes.tif", data, nodata=None, descriptions=YEARS)
    params = {"INPUT": [x], "SLOPE": str(tmp_path / "s.tif"), "TREND_CLASS": str(tmp_path / "t.tif")}
    run_alg("carbonsink:senmannkendall", params, feedback)
    assert not feedback.errors
    (warning,) = [w for w in feedback.warnings if "-9999" in w]
    assert "'holes'" in warning and "48 of its values" in warning and "INPUT_NODATA" in warning
    feedback.warnings.clear()
    run_alg("carbonsink:senmannkendall", {**params, "INPUT_NODATA": -9999}, feedback)
    assert not [w for w in feedback.warnings if "-9999" in w]
    assert np.isnan(read_raster(tmp_path / "s.tif")[:2, :2]).all()


def test_every_stack_and_band_input_has_a_nodata_parameter(qgis_app):
    from qgis.core import QgsApplication

    provider = QgsApplication.processingRegistry().providerById("carbonsink")
    checked = 0
    for alg in provider.algorithms():
        names = {d.name() for d in alg.parameterDefinitions()}
        for d in alg.parameterDefinitions():
            if d.type() in ("multilayer", "raster") and d.name() + "_NODATA" in names:
                checked += 1
                nodata = alg.parameterDefinition(d.name() + "_NODATA")
                assert nodata.flags() & nodata.FlagAdvanced and nodata.flags() & nodata.FlagOptional
    assert checked >= 15


def test_multiband_factor_layer_is_named_with_its_band_count(run_alg, tmp_path):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    npp = write_raster(tmp_path / "NPP.tif", np.ones((3, 6, 6)))
    dem = write_raster(tmp_path / "DEM.tif", np.ones((6, 6)))
    points = QgsVectorLayer("Point?crs=EPSG:32648&field=cd:double", "plots", "memory")
    f = QgsFeature(points.fields())
    f.setAttributes([1.0])
    f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(560045.0, 4249955.0)))
    points.dataProvider().addFeatures([f])
    _refused(
        run_alg,
        "carbonsink:factorscreening",
        {"SAMPLES": points, "CARBON_FIELD": "cd", "FACTORS": [npp, dem]},
        "layer 'NPP' has 3 bands; one single-band raster per factor is needed",
    )


def test_scaled_int16_input_gives_slopes_in_physical_units(run_alg, feedback, tmp_path):
    rng = np.random.default_rng(2)
    values = 300 + 2.5 * np.arange(len(YEARS))[:, None, None] + rng.normal(0, 1, (len(YEARS), 8, 9))
    path = write_raster(
        tmp_path / "npp_int16.tif", np.round(values / 0.1), dtype=gdal.GDT_Int16, descriptions=YEARS
    )
    ds = gdal.Open(path, gdal.GA_Update)
    for b in range(len(YEARS)):
        ds.GetRasterBand(b + 1).SetScale(0.1)
    ds = None
    params = {"INPUT": [path], "SLOPE": str(tmp_path / "s.tif"), "TREND_CLASS": str(tmp_path / "t.tif")}
    run_alg("carbonsink:senmannkendall", params, feedback)
    assert np.nanmedian(read_raster(tmp_path / "s.tif")) == pytest.approx(2.5, abs=0.15)
    assert any("scale 0.1" in line for line in feedback.infos)


# ----------------------------------------------------------------------------------- float64 inputs
def _both_precisions(tmp_path, name, data, **kwargs):
    f32 = write_raster(tmp_path / f"{name}32.tif", data, dtype=gdal.GDT_Float32, **kwargs)
    f64 = write_raster(tmp_path / f"{name}64.tif", data, dtype=gdal.GDT_Float64, **kwargs)
    return f32, f64


@pytest.mark.parametrize(
    "alg, inputs, outputs",
    [
        ("carbonsink:senmannkendall", {"INPUT": "carbon"}, {"SLOPE": "s.tif", "TREND_CLASS": "t.tif"}),
        ("carbonsink:coefficientofvariation", {"INPUT": "carbon"}, {"CV": "cv.tif"}),
        ("carbonsink:hurstexponent", {"INPUT": "carbon"}, {"HURST": "h.tif"}),
        ("carbonsink:carbonstorage", {"CARBON_DENSITY": "carbon"}, {"STORAGE": "st.tif", "REPORT": None}),
        (
            "carbonsink:climatepartialcorrelation",
            {"CARBON_DENSITY": "carbon", "TEMPERATURE": "temperature", "PRECIPITATION": "precipitation"},
            {"R_TEMPERATURE": "r.tif", "DRIVER_CLASS": "d.tif"},
        ),
    ],
)
def test_float64_inputs_run_through_the_kernels_like_float32(run_alg, tmp_path, alg, inputs, outputs):
    rng = np.random.default_rng(9)
    shape = (N_YEARS, 10, 12)
    data = {
        "carbon": 40 + 0.7 * np.arange(N_YEARS)[:, None, None] + rng.normal(0, 1.0, shape),
        "temperature": 8 + rng.normal(0, 0.8, shape),
        "precipitation": 300 + rng.normal(0, 40, shape),
    }
    results = {}
    for bits in (32, 64):
        params = {}
        for key, role in inputs.items():
            paths = _both_precisions(tmp_path, role, data[role], descriptions=YEARS)
            params[key] = [paths[0] if bits == 32 else paths[1]]
        for key, name in outputs.items():
            params[key] = None if name is None else str(tmp_path / f"{bits}_{name}")
        run_alg(alg, params)
        first = next(k for k, v in outputs.items() if v)
        results[bits] = read_raster(params[first])
    assert np.isfinite(results[64]).any()
    assert np.allclose(results[32], results[64], rtol=1e-4, atol=1e-5, equal_nan=True)


@pytest.mark.parametrize("table", ["t.csv", "t.gpkg"])
def test_a_failed_run_restores_a_table_that_existed_before(run_alg, tmp_path, table):
    """QGIS overwrites a feature sink's file when the sink is created, before the run can fail."""
    from qgis.core import QgsProcessingException

    x = _stack(tmp_path / "x.tif")
    earlier = tmp_path / table
    earlier.write_bytes(b"earlier table")
    params = {"INPUT": [x], "MEAN": str(tmp_path / "mean.tif"), "TABLE": str(earlier), "FAIL": True}
    with pytest.raises(QgsProcessingException, match="failed after writing"):
        run_alg(_failing_algorithm(), params)
    assert earlier.read_bytes() == b"earlier table"
    assert _listing(tmp_path) == [table, "x.tif"]
    params["FAIL"] = False
    run_alg(_failing_algorithm(), params)
    assert earlier.read_bytes() != b"earlier table"
    assert _listing(tmp_path) == ["mean.tif", table, "x.tif"]

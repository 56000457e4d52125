"""The trend algorithms through processing.run, as a user runs them from the toolbox or a script."""

import os

import numpy as np
import pytest
from osgeo import gdal
from rasters import read_raster, write_raster

from core.stats import hurst, stability, trend

pytestmark = pytest.mark.qgis


def _stack_values(path):
    ds = gdal.Open(path)
    values = ds.ReadAsArray().astype(float)
    values[values == ds.GetRasterBand(1).GetNoDataValue()] = np.nan
    return values


def test_provider_lists_the_trend_algorithms_in_one_group(qgis_app):
    from qgis.core import QgsApplication

    provider = QgsApplication.processingRegistry().providerById("carbonsink")
    trends = sorted(a.id() for a in provider.algorithms() if a.groupId() == "trends")
    assert trends == [
        "carbonsink:coefficientofvariation",
        "carbonsink:futuretrend",
        "carbonsink:hurstexponent",
        "carbonsink:senmannkendall",
    ]
    from carbon_sink_diagnostics.algorithms.support.base import GROUPS

    for alg in provider.algorithms():
        if alg.id() == "carbonsink:wholestudy":
            continue  # the shipped model, checked in test/e2e/test_study_model.py
        assert alg.group() == GROUPS[alg.groupId()]
        assert "<" not in alg.shortHelpString() and "References" in alg.shortHelpString()
    assert provider.versionInfo() == "0.1.0"


def test_sen_mann_kendall_matches_core_and_reports_class_areas(run_alg, feedback, sample_stack, tmp_path):
    out = {k: str(tmp_path / f"{k.lower()}.tif") for k in ("SLOPE", "TREND_CLASS", "Z_SCORE", "P_VALUE", "S")}
    results = run_alg(
        "carbonsink:senmannkendall",
        {"INPUT": [sample_stack], **out, "CLASS_AREAS": "TEMPORARY_OUTPUT"},
        feedback,
    )
    values = _stack_values(sample_stack)
    n_valid = np.count_nonzero(~np.isnan(values), axis=0)
    keep = n_valid >= 18
    flat = values.reshape(24, -1)[:, keep.ravel()]
    expected = trend.sen_mann_kendall(flat, np.arange(2001, 2025))
    slope = read_raster(results["SLOPE"])
    np.testing.assert_allclose(slope[keep], expected["slope"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(read_raster(results["Z_SCORE"])[keep], expected["z"], rtol=1e-5, atol=1e-6)
    assert np.isnan(slope[~keep]).all()
    assert os.path.exists(tmp_path / "trend_class.qml")
    summary = results["CLASS_AREA_SUMMARY"]["TREND_CLASS"]
    assert [r["class"] for r in summary] == [
        "Significant decrease",
        "No significant change",
        "Significant increase",
    ]
    assert sum(r["share_pct"] for r in summary) == pytest.approx(100.0)
    assert sum(r["pixels"] for r in summary) == int(keep.sum())
    assert all(r["pixels"] > 0 for r in summary)  # the sample has all three trends
    # 30 m pixels of UTM 48N, about 60 km east of the central meridian: 1/k² = 1.0007 more than 0.09 ha
    assert sum(r["area_ha"] for r in summary) == pytest.approx(keep.sum() * 0.09 * 1.000707, rel=1e-4)
    assert results["CLASS_AREAS"]
    assert feedback.progress[-1] == pytest.approx(100.0)
    assert any("Class areas" in line for line in feedback.infos)


def test_a_list_of_yearly_rasters_with_gaps_gives_slopes_per_calendar_year(run_alg, tmp_path):
    years = [2001, 2002, 2004, 2008, 2009]
    rng = np.random.default_rng(3)
    base = rng.normal(50, 5, (6, 7))
    paths = [write_raster(tmp_path / f"cd_{y}.tif", base + 2.0 * (y - 2001)) for y in years]
    results = run_alg(
        "carbonsink:senmannkendall",
        {
            "INPUT": paths[::-1],
            "SLOPE": str(tmp_path / "slope.tif"),
            "TREND_CLASS": str(tmp_path / "class.tif"),
        },
    )
    np.testing.assert_allclose(read_raster(results["SLOPE"]), 2.0, rtol=1e-5)


def test_layer_on_another_grid_is_named_with_gdal_warp_advice(run_alg, feedback, tmp_path):
    from qgis.core import QgsProcessingException

    paths = [write_raster(tmp_path / f"cd_{y}.tif", np.ones((6, 7)) * y) for y in range(2001, 2006)]
    paths[2] = write_raster(
        tmp_path / "cd_2003.tif", np.ones((6, 7)), geotransform=(560000.0, 250.0, 0.0, 4250000.0, 0.0, -250.0)
    )
    with pytest.raises(QgsProcessingException) as err:
        run_alg(
            "carbonsink:senmannkendall",
            {"INPUT": paths, "SLOPE": str(tmp_path / "s.tif"), "TREND_CLASS": "TEMPORARY_OUTPUT"},
            feedback,
        )
    message = str(err.value)
    assert "'cd_2003'" in message and "pixel size differs" in message and "Warp" in message
    assert "Traceback" not in message


def test_fewer_than_four_years_is_refused(run_alg, feedback, tmp_path):
    from qgis.core import QgsProcessingException

    path = write_raster(tmp_path / "short.tif", np.ones((3, 4, 4)), descriptions=[2001, 2002, 2003])
    with pytest.raises(QgsProcessingException, match="short: Mann–Kendall needs at least 4 years; got 3"):
        run_alg(
            "carbonsink:senmannkendall",
            {"INPUT": [path], "SLOPE": str(tmp_path / "s.tif"), "TREND_CLASS": "TEMPORARY_OUTPUT"},
            feedback,
        )


def test_all_nodata_input_stops_naming_the_layer(run_alg, feedback, tmp_path):
    # Issue 10: an all-nodata stack used to "succeed" with all-nodata outputs.
    from qgis.core import QgsProcessingException

    path = write_raster(tmp_path / "empty.tif", np.full((10, 5, 6), np.nan), descriptions=range(2001, 2011))
    with pytest.raises(QgsProcessingException, match="layer 'empty' holds no valid value"):
        run_alg(
            "carbonsink:senmannkendall",
            {"INPUT": [path], "SLOPE": str(tmp_path / "s.tif"), "TREND_CLASS": str(tmp_path / "c.tif")},
            feedback,
        )
    assert os.listdir(tmp_path) == ["empty.tif"]


def test_cancel_stops_and_removes_partial_outputs(run_alg, feedback, tmp_path):
    from qgis.core import QgsProcessingException

    from core.demo.sample_stack import write_sample_stack

    big = write_sample_stack(tmp_path / "big_2001_2024.tif", rows=300, cols=400)  # several 16 MB windows
    feedback.progressChanged.connect(lambda p: feedback.cancel() if p > 0 else None)
    slope = tmp_path / "slope.tif"
    with pytest.raises(QgsProcessingException, match="Cancelled by the user"):
        run_alg(
            "carbonsink:senmannkendall",
            {"INPUT": [big], "SLOPE": str(slope), "MEMORY_MB": 16, "TREND_CLASS": "TEMPORARY_OUTPUT"},
            feedback,
        )
    assert 0 < feedback.progress[-1] < 100
    assert not slope.exists()


def test_hamed_rao_five_classes_and_checks(run_alg, feedback, sample_stack, tmp_path):
    from qgis.core import QgsProcessingException

    results = run_alg(
        "carbonsink:senmannkendall",
        {
            "INPUT": [sample_stack],
            "METHOD": 1,
            "FIVE_CLASSES": True,
            "SLOPE": "TEMPORARY_OUTPUT",
            "TREND_CLASS": str(tmp_path / "c5.tif"),
        },
        feedback,
    )
    assert len(results["CLASS_AREA_SUMMARY"]["TREND_CLASS"]) == 5
    assert any("Hamed–Rao" in line for line in feedback.infos)
    with pytest.raises(QgsProcessingException, match="above 0.01"):
        run_alg(
            "carbonsink:senmannkendall",
            {
                "INPUT": [sample_stack],
                "FIVE_CLASSES": True,
                "ALPHA": 0.01,
                "SLOPE": "TEMPORARY_OUTPUT",
                "TREND_CLASS": str(tmp_path / "c.tif"),
            },
        )


def test_cv_hurst_and_future_trend_chain(run_alg, sample_stack, tmp_path):
    sen = run_alg(
        "carbonsink:senmannkendall",
        {
            "INPUT": [sample_stack],
            "SLOPE": str(tmp_path / "slope.tif"),
            "TREND_CLASS": "TEMPORARY_OUTPUT",
            "P_VALUE": str(tmp_path / "p.tif"),
        },
    )
    cv = run_alg(
        "carbonsink:coefficientofvariation",
        {"INPUT": [sample_stack], "CV": str(tmp_path / "cv.tif"), "CV_CLASS": str(tmp_path / "cvc.tif")},
    )
    hu = run_alg("carbonsink:hurstexponent", {"INPUT": [sample_stack], "HURST": str(tmp_path / "h.tif")})
    values = _stack_values(sample_stack)
    keep = (np.count_nonzero(~np.isnan(values), axis=0) >= 18).ravel()
    flat = values.reshape(24, -1)[:, keep]
    np.testing.assert_allclose(
        read_raster(cv["CV"]).ravel()[keep], stability.coefficient_of_variation(flat), rtol=1e-5
    )
    np.testing.assert_allclose(
        read_raster(hu["HURST"]).ravel()[keep], hurst.hurst_rs(flat), rtol=1e-5, equal_nan=True
    )
    assert len(cv["CLASS_AREA_SUMMARY"]["CV_CLASS"]) == 5
    fut = run_alg(
        "carbonsink:futuretrend",
        {"SLOPE": sen["SLOPE"], "HURST": hu["HURST"], "FUTURE_CLASS": str(tmp_path / "f.tif")},
    )
    shares = fut["CLASS_AREA_SUMMARY"]["FUTURE_CLASS"]
    assert len(shares) == 5 and sum(r["share_pct"] for r in shares) == pytest.approx(100.0)
    fut8 = run_alg(
        "carbonsink:futuretrend",
        {
            "SLOPE": sen["SLOPE"],
            "HURST": hu["HURST"],
            "P_VALUE": sen["P_VALUE"],
            "FUTURE_CLASS": str(tmp_path / "f8.tif"),
        },
    )
    assert len(fut8["CLASS_AREA_SUMMARY"]["FUTURE_CLASS"]) == 9


def test_missing_package_is_named_with_install_advice(qgis_app, monkeypatch):
    from carbon_sink_diagnostics.algorithms.sen_mann_kendall import SenMannKendall

    monkeypatch.setattr(SenMannKendall, "REQUIRES", ("scipy", "surely_not_installed_pkg"))
    ok, message = SenMannKendall().canExecute()
    assert not ok and "surely_not_installed_pkg" in message and "pip install" in message


def test_class_output_loads_styled_with_its_legend(qgis_app, run_alg, sample_stack, tmp_path):
    from qgis.core import QgsRasterLayer

    results = run_alg(
        "carbonsink:senmannkendall",
        {"INPUT": [sample_stack], "SLOPE": "TEMPORARY_OUTPUT", "TREND_CLASS": str(tmp_path / "class.tif")},
    )
    layer = QgsRasterLayer(results["TREND_CLASS"], "trend")
    message, ok = layer.loadDefaultStyle()
    assert ok, message
    assert layer.renderer().type() == "paletted"
    labels = [c.label for c in layer.renderer().classes()]
    assert labels == ["Significant decrease", "No significant change", "Significant increase"]

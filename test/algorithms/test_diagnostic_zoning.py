"""Diagnostic zoning through processing.run: default rules, rule tables by matrix and CSV, clear errors."""

import itertools
import os

import numpy as np
import pytest
from osgeo import gdal, osr

from core.carbon import zoning
from core.common.classes import FUTURE_4, TREND_3
from core.engine import raster
from core.spatial.moran import LISA_CLUSTERS
from core.stats.partial_correlation import DRIVER_TYPES

pytestmark = pytest.mark.qgis

ALG = "carbonsink:diagnosticzoning"
GT = (560000.0, 30.0, 0.0, 4250000.0, 0.0, -30.0)


def write_classes(path, codes, scheme, epsg=32648, geotransform=GT):
    """A uint8 class raster with nodata 0 and the scheme's names as GDAL category names."""
    codes = np.asarray(codes, dtype=np.uint8)
    ds = gdal.GetDriverByName("GTiff").Create(str(path), codes.shape[1], codes.shape[0], 1, gdal.GDT_Byte)
    ds.SetGeoTransform(geotransform)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(0)
    cats = [""] * (max(scheme.codes) + 1)
    for c in scheme.classes:
        cats[c.code] = c.name
    band.SetCategoryNames(cats)
    band.WriteArray(codes)
    ds = None
    return str(path)


def read_codes(path):
    return gdal.Open(str(path)).ReadAsArray()


COMBOS = list(itertools.product(TREND_3.classes, FUTURE_4.classes, LISA_CLUSTERS.classes))  # 90


@pytest.fixture
def class_rasters(tmp_path):
    """Every combination of trend, future and LISA class once, on a 9 × 10 grid."""
    arrays = {
        "TREND_CLASS": np.array([t.code for t, _, _ in COMBOS]).reshape(9, 10),
        "FUTURE_CLASS": np.array([f.code for _, f, _ in COMBOS]).reshape(9, 10),
        "LISA_CLUSTER": np.array([lc.code for _, _, lc in COMBOS]).reshape(9, 10),
    }
    schemes = {"TREND_CLASS": TREND_3, "FUTURE_CLASS": FUTURE_4, "LISA_CLUSTER": LISA_CLUSTERS}
    return {k: write_classes(tmp_path / f"{k.lower()}.tif", v, schemes[k]) for k, v in arrays.items()}


def expected_zone(trend, future, lisa):
    """The default table written out by hand (see core/carbon/data/zoning_default_rules.csv)."""
    lisa = lisa.split(" (")[0]
    if lisa == "High-High" and (
        (trend == "Significant increase" and future not in ("Future degradation", "Continuous degradation"))
        or future == "Continuous improvement"
    ):
        return "High-priority carbon sink"
    if lisa in ("Not significant", "Low-High") and (
        (trend == "Significant increase" and future not in ("Future degradation", "Continuous degradation"))
        or future in ("Continuous improvement", "Future improvement")
    ):
        return "Potential enhancement"
    if lisa == "Low-Low" and (
        trend == "Significant decrease" or future in ("Future degradation", "Continuous degradation")
    ):
        return "Restoration priority"
    if lisa != "Low-Low" and future in ("Future degradation", "Continuous degradation"):
        return "Watch: future degradation"
    return "Stable / other"


def test_default_rules_on_a_hand_made_grid(run_alg, feedback, class_rasters, tmp_path):
    out = str(tmp_path / "zones.tif")
    results = run_alg(ALG, {**class_rasters, "ZONES": out, "CLASS_AREAS": "TEMPORARY_OUTPUT"}, feedback)
    codes = read_codes(results["ZONES"])
    stack = raster.open_band("zones", out)
    names = raster.category_names(stack)
    got = [names[int(c)] for c in codes.ravel()]
    assert got == [expected_zone(t.name, f.name, lc.name) for t, f, lc in COMBOS]
    assert os.path.exists(tmp_path / "zones.qml")
    summary = results["CLASS_AREA_SUMMARY"]["ZONES"]
    assert [r["class"] for r in summary] == [
        "High-priority carbon sink",
        "Potential enhancement",
        "Restoration priority",
        "Watch: future degradation",
        "Stable / other",
    ]
    assert sum(r["share_pct"] for r in summary) == pytest.approx(100.0)
    assert sum(r["pixels"] for r in summary) == 90
    assert sum(r["area_ha"] for r in summary) == pytest.approx(90 * 0.09 * 1.000712, rel=2e-5)  # 1/k² of UTM
    for r in summary:
        assert r["pixels"] == got.count(r["class"]) > 0
    assert results["CLASS_AREAS"]
    assert any("inputs used: Trend class" in line for line in feedback.infos)


def test_nodata_in_any_used_input_gives_nodata(run_alg, tmp_path):
    trend = np.full((3, 4), 3)
    future = np.full((3, 4), 1)
    lisa = np.full((3, 4), 1)
    driver = np.full((3, 4), 2)
    trend[0, 0] = future[1, 1] = lisa[2, 2] = 0
    driver[0, 3] = 0  # the driver is 'any' in every default rule: not used, so not a hole
    params = {
        "TREND_CLASS": write_classes(tmp_path / "t.tif", trend, TREND_3),
        "FUTURE_CLASS": write_classes(tmp_path / "f.tif", future, FUTURE_4),
        "LISA_CLUSTER": write_classes(tmp_path / "l.tif", lisa, LISA_CLUSTERS),
        "DRIVER_CLASS": write_classes(tmp_path / "d.tif", driver, DRIVER_TYPES),
        "ZONES": str(tmp_path / "z.tif"),
    }
    codes = read_codes(run_alg(ALG, params)["ZONES"])
    holes = np.zeros((3, 4), dtype=bool)
    holes[0, 0] = holes[1, 1] = holes[2, 2] = True
    assert (codes[holes] == 0).all()
    assert (codes[~holes] == 1).all()  # High-High, significant and continuing increase
    assert gdal.Open(params["ZONES"]).GetRasterBand(1).GetNoDataValue() == 0


def test_rules_from_a_csv_file_replace_the_matrix(run_alg, class_rasters, tmp_path):
    csv_path = tmp_path / "my_rules.csv"
    csv_path.write_text(
        "# two zones from the LISA and the trend\n"
        "zone,trend,lisa,colour\n"
        "Hot and rising,Significant increase,High-High,#ff0000\n"
        "Cold,any,Low-Low|Isolated,#0000ff\n",
        encoding="utf-8",
    )
    params = {
        "LISA_CLUSTER": class_rasters["LISA_CLUSTER"],
        "TREND_CLASS": class_rasters["TREND_CLASS"],
        "RULES": ["Other", "any", "any", "High-High", "any"],  # ignored: the file is given
        "RULES_FILE": str(csv_path),
        "ZONES": str(tmp_path / "z.tif"),
    }
    results = run_alg(ALG, params)
    codes = read_codes(results["ZONES"]).ravel()
    summary = results["CLASS_AREA_SUMMARY"]["ZONES"]
    assert [(r["code"], r["class"]) for r in summary] == [
        (1, "Hot and rising"),
        (2, "Cold"),
        (3, "Stable / other"),
    ]
    for (t, _, lc), c in zip(COMBOS, codes):
        if lc.name == "High-High" and t.name == "Significant increase":
            assert c == 1
        elif lc.name in ("Low-Low", "Isolated (no valid neighbour)"):
            assert c == 2
        else:
            assert c == 3
    assert sum(r["share_pct"] for r in summary) == pytest.approx(100.0)
    qml = (tmp_path / "z.qml").read_text()
    assert "Hot and rising" in qml and "#ff0000" in qml


def test_matrix_rules_and_an_unused_input(run_alg, feedback, class_rasters, tmp_path):
    params = {
        **class_rasters,
        "RULES": ["Falling", "Significant decrease", "any", "any", "any"],
        "ZONES": str(tmp_path / "z.tif"),
    }
    codes = read_codes(run_alg(ALG, params, feedback)["ZONES"]).ravel()
    assert codes.tolist() == [1 if t.name == "Significant decrease" else 2 for t, _, _ in COMBOS]
    assert any("LISA cluster (layer 'lisa_cluster') input; it is not used" in e for e in feedback.warnings)


def _error(run_alg, params):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException) as err:
        run_alg(ALG, params)
    return str(err.value)


def test_unknown_class_name_stops_naming_the_line(run_alg, class_rasters, tmp_path):
    msg = _error(
        run_alg,
        {
            **class_rasters,
            "RULES": [
                "Sink",
                "Significant increase",
                "any",
                "High-High",
                "any",
                "Loss",
                "any",
                "any",
                "Low-Lo",
                "any",
            ],
            "ZONES": str(tmp_path / "z.tif"),
        },
    )
    assert "line 2: 'Low-Lo' is not a class of the LISA cluster (layer 'lisa_cluster') input" in msg
    assert "'High-High', 'Low-Low', 'High-Low', 'Low-High', 'Not significant'" in msg
    assert not os.path.exists(tmp_path / "z.tif")


def test_an_input_the_rules_need_but_not_given_stops_naming_the_lines(run_alg, class_rasters, tmp_path):
    params = {
        "TREND_CLASS": class_rasters["TREND_CLASS"],
        "LISA_CLUSTER": class_rasters["LISA_CLUSTER"],
        "ZONES": str(tmp_path / "z.tif"),
    }
    msg = _error(run_alg, params)  # the default table also needs the future trend
    assert "lines 1, 2, 3, 4, 6, 7 name classes of the Future trend class input" in msg
    assert "no Future trend class input is given" in msg


def test_conflicting_rules_stop_naming_both_lines(run_alg, class_rasters, tmp_path):
    csv_path = tmp_path / "conflict.csv"
    csv_path.write_text(
        "zone,trend,future,lisa\n"
        "Sink,Significant increase,any,High-High\n"
        "Loss,Significant decrease,any,Low-Low\n"
        "Watch,any,Future degradation,any\n",
        encoding="utf-8",
    )
    msg = _error(run_alg, {**class_rasters, "RULES_FILE": str(csv_path), "ZONES": str(tmp_path / "z.tif")})
    assert "lines 2 and 4 give different zones ('Sink' and 'Watch')" in msg
    assert "lines 3 and 4 give different zones ('Loss' and 'Watch')" in msg
    assert "not applied in order" in msg


def test_inputs_on_different_grids_and_no_input(run_alg, class_rasters, tmp_path):
    shifted = write_classes(
        tmp_path / "shifted.tif",
        np.ones((9, 10)),
        FUTURE_4,
        geotransform=(560030.0, 30.0, 0.0, 4250000.0, 0.0, -30.0),
    )
    msg = _error(run_alg, {**class_rasters, "FUTURE_CLASS": shifted, "ZONES": str(tmp_path / "z.tif")})
    assert "is not on the same grid" in msg and "shifted" in msg
    msg = _error(run_alg, {"ZONES": str(tmp_path / "z.tif")})
    assert "at least one input class raster" in msg


def test_true_areas_on_a_geographic_grid(run_alg, tmp_path):
    gt = (105.0, 0.01, 0.0, 39.0, 0.0, -0.01)
    trend = np.tile([1, 3], (20, 5))
    path = write_classes(tmp_path / "t.tif", trend, TREND_3, epsg=4326, geotransform=gt)
    results = run_alg(
        ALG,
        {
            "TREND_CLASS": path,
            "RULES": ["Rising", "Significant increase", "", "", ""],
            "ZONES": str(tmp_path / "z.tif"),
        },
    )
    summary = {r["class"]: r for r in results["CLASS_AREA_SUMMARY"]["ZONES"]}
    grid = raster.open_band("t", path).grid
    total_ha = grid.pixel_areas((0, 0, 10, 20)).sum() / 10_000.0
    assert summary["Rising"]["area_ha"] + summary["Stable / other"]["area_ha"] == pytest.approx(total_ha)
    assert summary["Rising"]["share_pct"] == pytest.approx(50.0)
    assert 0.8 * 100 < total_ha / 200 < 1.0 * 100  # ~0.86 km² per 0.01° pixel at 39° N, not 1e-4 degrees²


def test_help_shows_the_default_table(qgis_app):
    from carbon_sink_diagnostics.algorithms.diagnostic_zoning import DiagnosticZoning

    alg = DiagnosticZoning()
    text = alg.shortHelpString()
    for row in zoning.default_rule_table().rows:
        assert f"- {row['zone']}: " in text  # one line per rule, with why it is there
        assert row["note"].split(":")[0] in text
    assert "<" not in text and "References" in text
    alg.initAlgorithm()
    matrix = alg.parameterDefinition("RULES")
    assert matrix.headers() == ["zone", "trend", "future", "lisa", "driver"]
    assert len(matrix.defaultValue()) == 5 * len(zoning.default_rule_table().rows)

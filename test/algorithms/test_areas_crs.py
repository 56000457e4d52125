"""Areas through processing.run: true areas on Web Mercator, and rasters without a CRS.

Carbon storage on Web Mercator over 36–38° N must be density × the ellipsoidal area of the region (the
map area |dx·dy| is 57 % larger there) and equal the same region on a geographic grid. A raster without
a CRS has no pixel size on the ground: algorithms that report areas, storage or area-weighted means stop
with a message naming the layer; per-pixel statistics still run and their class tables keep the pixel
counts, with areas left out and a warning that says so.
"""

import csv

import numpy as np
import pytest
from osgeo import gdal
from rasters import write_raster

from core.engine.area import ellipsoid_band_area

pytestmark = pytest.mark.qgis

WGS84 = (6378137.0, 6356752.314245)
YEARS = (2001, 2002, 2003, 2004, 2005, 2006)
DENSITY = (16.0, 16.5)  # t C/hm² in 2001 and 2002
NO_CRS_GT = (-171.5, 7.35, 0.0, 87.0, 0.0, -6.0)  # a near-global 49 × 29 grid in degrees, CRS missing


@pytest.fixture
def recorder(qgis_app):
    from qgis.core import QgsProcessingFeedback

    class Recorder(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.warnings, self.infos = [], []

        def pushWarning(self, warning):  # noqa: N802 - QGIS API
            self.warnings.append(warning)

        def pushInfo(self, info):  # noqa: N802
            self.infos.append(info)

    return Recorder()


def _storage_total_2001(run_alg, path, tmp_path):
    table = tmp_path / "storage.csv"
    run_alg(
        "carbonsink:carbonstorage",
        {"CARBON_DENSITY": [path], "CARBON_DENSITY_YEARS": "2001-2002", "STORAGE_TABLE": str(table)},
    )
    with open(table, encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["year"] == "2001"]
    assert len(rows) == 1
    return float(rows[0]["storage_t"]), float(rows[0]["area_hm2"])


def _density(rows, cols):
    return np.stack([np.full((rows, cols), d) for d in DENSITY])


def test_storage_on_web_mercator_is_density_times_true_area(run_alg, tmp_path):
    # 36–38° N, 105–107° E: 200 × 250 Web Mercator pixels tile exactly that quadrangle of WGS 84.
    r = 6378137.0
    x0, x1 = r * np.radians(105.0), r * np.radians(107.0)
    y_top, y_bottom = (r * np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) for lat in (38.0, 36.0))
    gt = (x0, (x1 - x0) / 200, 0.0, y_top, 0.0, (y_bottom - y_top) / 250)
    path = write_raster(tmp_path / "merc.tif", _density(250, 200), epsg=3857, geotransform=gt)
    storage_t, area_hm2 = _storage_total_2001(run_alg, path, tmp_path)
    true_hm2 = float(ellipsoid_band_area(36.0, 38.0, 2.0, *WGS84)) / 1e4
    assert area_hm2 == pytest.approx(true_hm2, rel=1e-6)
    assert storage_t == pytest.approx(DENSITY[0] * true_hm2, rel=1e-6)  # 35.6 M t
    map_hm2 = (x1 - x0) * (y_top - y_bottom) / 1e4
    assert DENSITY[0] * map_hm2 / storage_t == pytest.approx(1.57, abs=0.01)  # what |dx·dy| gave: 56.0 M t

    # the same region on a geographic grid (0.01° pixels) gives the same total
    geo = write_raster(
        tmp_path / "geo.tif", _density(200, 200), epsg=4326, geotransform=(105.0, 0.01, 0.0, 38.0, 0.0, -0.01)
    )
    (tmp_path / "geo").mkdir()
    geo_t, _ = _storage_total_2001(run_alg, geo, tmp_path / "geo")
    assert geo_t == pytest.approx(storage_t, rel=1e-6)


def test_storage_on_utm_is_not_the_map_area(run_alg, tmp_path):
    # 30 m UTM 48N pixels 300 km west of the central meridian at 38.4° N: scale factor
    # k = k0 (1 + x²/(2ρν) + x⁴/(24ρ²ν²)) = 1.000707 (x = E − 500 km over k0; ρ, ν the radii of
    # curvature), so the true area is 1/k² = 0.998587 of the map area.
    path = write_raster(
        tmp_path / "utm.tif", _density(10, 10), geotransform=(200000.0, 30.0, 0.0, 4250000.0, 0.0, -30.0)
    )
    storage_t, area_hm2 = _storage_total_2001(run_alg, path, tmp_path)
    assert area_hm2 / (100 * 0.09) == pytest.approx(0.998587, abs=3e-5)
    assert storage_t == pytest.approx(DENSITY[0] * area_hm2, rel=1e-9)


# --------------------------------------------------------------------------------------- no CRS at all
def _no_crs(tmp_path, name, data, **kwargs):
    path = write_raster(tmp_path / f"{name}.tif", data, epsg=None, geotransform=NO_CRS_GT, **kwargs)
    assert gdal.Open(path).GetProjection() == ""
    return path


def _assert_stops_naming(exc, layer):
    text = str(exc.value)
    assert f"Layer '{layer}'" in text and "no coordinate reference system" in text
    assert "Assign" in text and "Traceback" not in text


def test_carbon_storage_without_a_crs_stops_naming_the_layer(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    path = _no_crs(tmp_path, "density_nocrs", _density(29, 49))
    with pytest.raises(QgsProcessingException) as exc:
        run_alg(
            "carbonsink:carbonstorage",
            {
                "CARBON_DENSITY": [path],
                "CARBON_DENSITY_YEARS": "2001-2002",
                "STORAGE_TABLE": "TEMPORARY_OUTPUT",
            },
        )
    _assert_stops_naming(exc, "density_nocrs")
    assert not (tmp_path / "storage.tif").exists()


def test_land_use_contribution_without_a_crs_stops_naming_the_layer(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    lu = np.tile([1.0, 2.0], (29, 25))[:, :49]
    params = {
        "LANDUSE_START": _no_crs(tmp_path, "lu_start", lu, nodata=255, dtype=gdal.GDT_Byte),
        "LANDUSE_END": _no_crs(tmp_path, "lu_end", lu[:, ::-1], nodata=255, dtype=gdal.GDT_Byte),
        "CARBON_DENSITY_START": _no_crs(tmp_path, "c_start", np.full((29, 49), 10.0)),
        "CARBON_DENSITY_END": _no_crs(tmp_path, "c_end", np.full((29, 49), 12.0)),
        "TRANSITIONS": "TEMPORARY_OUTPUT",
    }
    with pytest.raises(QgsProcessingException) as exc:
        run_alg("carbonsink:landusecontribution", params)
    _assert_stops_naming(exc, "lu_start")


def test_regional_climate_trend_without_a_crs_stops_naming_the_layer(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    rng = np.random.default_rng(3)
    t = 8.0 + 0.05 * np.arange(6)[:, None, None] + rng.normal(0, 0.5, (6, 29, 49))
    p = 400.0 + rng.normal(0, 50, (6, 29, 49))
    params = {
        "TEMPERATURE": [_no_crs(tmp_path, "t_nocrs", t, descriptions=YEARS)],
        "PRECIPITATION": [_no_crs(tmp_path, "p_nocrs", p, descriptions=YEARS)],
        "CLIMATE_SERIES": "TEMPORARY_OUTPUT",
    }
    with pytest.raises(QgsProcessingException) as exc:
        run_alg("carbonsink:regionalclimatetrend", params)
    _assert_stops_naming(exc, "t_nocrs")


def test_sen_mann_kendall_without_a_crs_runs_and_leaves_the_areas_out(run_alg, recorder, tmp_path):
    rng = np.random.default_rng(4)
    trend = np.linspace(-1, 1, 49)[None, None, :] * np.arange(6)[:, None, None]
    data = 50.0 + trend + rng.normal(0, 0.1, (6, 29, 49))
    path = _no_crs(tmp_path, "carbon_nocrs", data, descriptions=YEARS)
    table = tmp_path / "classes.csv"
    results = run_alg(
        "carbonsink:senmannkendall",
        {
            "INPUT": [path],
            "SLOPE": str(tmp_path / "slope.tif"),
            "TREND_CLASS": str(tmp_path / "class.tif"),
            "CLASS_AREAS": str(table),
        },
        recorder,
    )
    slope = gdal.Open(results["SLOPE"]).ReadAsArray()
    assert np.all(np.isfinite(slope)) and slope[0, 0] < 0 < slope[0, -1]  # per-pixel statistics ran
    summary = results["CLASS_AREA_SUMMARY"]["TREND_CLASS"]
    assert sum(r["pixels"] for r in summary) == 29 * 49
    assert all(r["area_ha"] is None and r["share_pct"] is None for r in summary)
    assert any(
        "Layer 'carbon_nocrs'" in w and "no coordinate reference system" in w and "left out" in w
        for w in recorder.warnings
    )
    assert not any(" ha " in line for line in recorder.infos)  # no area printed in map units
    with open(table, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert sum(int(r["pixels"]) for r in rows) == 29 * 49 and all(r["area_ha"] == "" for r in rows)


def test_local_moran_of_a_raster_without_a_crs_leaves_the_areas_out(run_alg, recorder, tmp_path):
    rng = np.random.default_rng(6)
    values = rng.normal(0, 1, (29, 49)) + np.linspace(-2, 2, 49)[None, :]
    path = _no_crs(tmp_path, "lisa_nocrs", values)
    results = run_alg(
        "carbonsink:localmoran",
        {
            "INPUT_RASTER": path,
            "INFERENCE": 1,
            "LISA_CLUSTER": str(tmp_path / "c.tif"),
            "CLASS_AREAS": "TEMPORARY_OUTPUT",
        },
        recorder,
    )
    summary = results["CLASS_AREA_SUMMARY"]["LISA_CLUSTER"]
    assert sum(r["pixels"] for r in summary) == 29 * 49
    assert all(r["area_ha"] is None for r in summary)
    assert any("Layer 'lisa_nocrs'" in w and "left out" in w for w in recorder.warnings)

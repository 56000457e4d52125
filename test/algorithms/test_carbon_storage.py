"""Carbon storage accounting through processing.run: totals against an independent computation."""

import numpy as np
import pytest
from live_markup import assert_written_from_one_document
from osgeo import gdal
from rasters import write_raster

pytestmark = pytest.mark.qgis


@pytest.fixture
def density(tmp_path):
    rng = np.random.default_rng(5)
    data = 40 + 0.5 * np.arange(6)[:, None, None] + rng.normal(0, 1, (6, 8, 10))
    data[3, 0, 0] = np.nan  # one pixel misses a year
    return data, write_raster(tmp_path / "cd.tif", data, descriptions=range(2001, 2007))


def test_storage_stack_totals_trend_and_report(run_alg, feedback, density, tmp_path):
    data, path = density
    out = run_alg(
        "carbonsink:carbonstorage",
        {
            "INPUT": [path],
            "STORAGE": str(tmp_path / "st.tif"),
            "TABLE": "TEMPORARY_OUTPUT",
            "TRENDS": "TEMPORARY_OUTPUT",
            "REPORT": str(tmp_path / "storage.html"),
        },
        feedback,
    )
    ds = gdal.Open(out["STORAGE"])
    assert ds.RasterCount == 6 and ds.GetRasterBand(6).GetDescription() == "2006"
    st = ds.ReadAsArray().astype(float)
    complete = np.all(np.isfinite(data), axis=0)
    # 30 m pixels of UTM 48N 60 km east of its central meridian: 0.09 hm² of map, × 1/k² = 1.000712 true
    hm2 = 0.09 * 1.000712
    np.testing.assert_allclose(st[:, complete], data[:, complete] * hm2, rtol=2e-5)
    totals = (data[:, complete] * hm2).sum(axis=1)
    slope = np.polyfit(np.arange(2001, 2007), totals, 1)[0]
    assert out["STORAGE_TREND_T_PER_YEAR"] == pytest.approx(slope, rel=2e-5)
    mean_slope = np.polyfit(np.arange(2001, 2007), totals / (complete.sum() * hm2), 1)[0]
    assert out["DENSITY_TREND_T_PER_HM2_PER_YEAR"] == pytest.approx(mean_slope, rel=1e-6)
    assert any("1 pixels left out" in line or "1 pixel" in line for line in feedback.infos)
    html = (tmp_path / "storage.html").read_text()
    assert "<svg" in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    data = assert_written_from_one_document(tmp_path / "storage.html", "carbonsink:carbonstorage")
    trends = data.sections[1].blocks[0]
    assert trends.rows[0][3] == pytest.approx(slope, rel=2e-5)  # the data hold the numbers, not text


def test_zones_from_raster_and_from_polygons(run_alg, density, tmp_path):
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    data, path = density
    zones = np.ones((8, 10))
    zones[:, 5:] = 2
    zpath = write_raster(tmp_path / "zones.tif", zones, nodata=0)
    by_raster = run_alg(
        "carbonsink:carbonstorage", {"INPUT": [path], "ZONES_RASTER": zpath, "TABLE": "TEMPORARY_OUTPUT"}
    )
    layer = by_raster["TABLE"]
    if isinstance(layer, str):
        layer = QgsVectorLayer(layer)
    rows = [f.attributes() for f in layer.getFeatures()]
    zone_names = sorted({r[1] for r in rows})
    assert zone_names == ["1", "2", "All zones"]
    poly = QgsVectorLayer("Polygon?crs=EPSG:32648&field=name:string", "zones", "memory")
    feats = []
    for name, x0 in (("west", 560000), ("east", 560150)):
        f = QgsFeature(poly.fields())
        f.setAttributes([name])
        f.setGeometry(
            QgsGeometry.fromWkt(
                f"POLYGON(({x0} 4250000, {x0 + 150} 4250000, {x0 + 150} 4249760, {x0} 4249760, {x0} 4250000))"
            )
        )
        feats.append(f)
    poly.dataProvider().addFeatures(feats)
    by_poly = run_alg(
        "carbonsink:carbonstorage",
        {"INPUT": [path], "ZONES_POLYGONS": poly, "ZONE_FIELD": "name", "TABLE": "TEMPORARY_OUTPUT"},
    )
    layer2 = by_poly["TABLE"]
    if isinstance(layer2, str):
        layer2 = QgsVectorLayer(layer2)
    a = {(r[1], r[2]): r[3] for r in rows}
    b = {(r[1], r[2]): r[3] for r in (f.attributes() for f in layer2.getFeatures())}
    for year in range(2001, 2007):
        assert b[("west", year)] == pytest.approx(a[("1", year)])
        assert b[("east", year)] == pytest.approx(a[("2", year)])

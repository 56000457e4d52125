"""Global Moran's I and LISA through processing.run, on rasters and on a memory layer of polygons."""

import os
import warnings

import numpy as np
import pytest
from osgeo import gdal
from rasters import read_raster, write_raster
from scipy import ndimage

from core.spatial import moran as mk
from core.spatial import moran_raster as mr

pytestmark = pytest.mark.qgis

GLOBAL = "carbonsink:globalmoran"
LOCAL = "carbonsink:localmoran"
esda_moran = pytest.importorskip("esda.moran")
libpysal_weights = pytest.importorskip("libpysal.weights")


def _field(side=40, seed=1, nodata_share=0.05):
    rng = np.random.default_rng(seed)
    v = 50 + 10 * ndimage.uniform_filter(rng.normal(size=(side, side)), 5)
    v[rng.random(v.shape) < nodata_share] = np.nan
    v[5:9, 20:26] = np.nan
    return v


@pytest.fixture
def carbon_raster(tmp_path):
    return write_raster(tmp_path / "carbon.tif", _field())


def _grid_layer(values, island_value=None, null_at=None):
    """A memory layer of square polygons (rows x cols, 100 m) with the field 'value'."""
    from qgis.core import QgsFeature, QgsGeometry, QgsRectangle, QgsVectorLayer

    rows, cols = values.shape
    layer = QgsVectorLayer("Polygon?crs=EPSG:32648&field=id:integer&field=value:double", "grid", "memory")
    feats = []
    for r in range(rows):
        for c in range(cols):
            f = QgsFeature(layer.fields())
            x0, y0 = 500000 + 100 * c, 4300000 - 100 * (r + 1)
            f.setGeometry(QgsGeometry.fromRect(QgsRectangle(x0, y0, x0 + 100, y0 + 100)))
            value = None if null_at is not None and (r, c) == null_at else float(values[r, c])
            f.setAttributes([r * cols + c, value])
            feats.append(f)
    if island_value is not None:
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromRect(QgsRectangle(400000, 4000000, 400100, 4000100)))
        f.setAttributes([-1, float(island_value)])
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def _is_null(value):
    return value is None or (hasattr(value, "isNull") and value.isNull())


def _description(path):
    ds = gdal.Open(str(path))  # keep the dataset referenced while its band is used
    return ds.GetRasterBand(1).GetDescription()


def _esda(cls, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cls(*args, **kwargs)


# ------------------------------------------------------------------------------------------- global
def test_global_moran_of_a_raster_matches_core_and_reports_numbers(run_alg, feedback, carbon_raster):
    results = run_alg(
        GLOBAL,
        {"INPUT_RASTER": carbon_raster, "PERMUTATIONS": 99, "SEED": 3, "MORAN_TABLE": "TEMPORARY_OUTPUT"},
        feedback,
    )
    ref = mr.global_moran_raster(read_raster(carbon_raster), permutations=99, seed=3).moran
    for key, attr in (
        ("I", "I"),
        ("EI", "EI"),
        ("VI_RAND", "VI_rand"),
        ("Z_NORM", "z_norm"),
        ("P_SIM", "p_sim"),
    ):
        assert results[key] == pytest.approx(getattr(ref, attr), rel=1e-9), key
    assert results["N"] == ref.n and results["P_SIM"] == pytest.approx(0.01)
    assert results["P_SIM_METHOD"] == "permutation (folded)"
    from qgis.core import QgsProcessingContext, QgsProcessingUtils

    table = results["MORAN_TABLE"]
    if isinstance(table, str):
        table = QgsProcessingUtils.mapLayerFromString(table, QgsProcessingContext())
    assert table is None or table.featureCount() == 1
    assert results["MORAN_TABLE"]
    assert any(line.startswith("Moran's I = ") for line in feedback.infos)
    assert any("isolated (no valid neighbour)" in line for line in feedback.infos)


def test_global_moran_of_polygons_equals_esda_with_queen_weights(run_alg, feedback):
    values = _field(8, seed=4, nodata_share=0.0)
    layer = _grid_layer(values)
    results = run_alg(
        GLOBAL,
        {
            "INPUT_VECTOR": layer,
            "VALUE_FIELD": "value",
            "WEIGHTS": 0,
            "PERMUTATIONS": 99,
            "MORAN_TABLE": "TEMPORARY_OUTPUT",
        },
        feedback,
    )
    w = libpysal_weights.lat2W(8, 8, rook=False)
    ref = _esda(esda_moran.Moran, values.ravel(), w, permutations=0)
    assert results["I"] == pytest.approx(ref.I, rel=1e-9)
    assert results["VI_NORM"] == pytest.approx(ref.VI_norm, rel=1e-9)
    assert results["P_RAND"] == pytest.approx(ref.p_rand, rel=1e-9)
    assert 0 < results["P_SIM"] <= 1
    again = run_alg(GLOBAL, {"INPUT_VECTOR": layer, "VALUE_FIELD": "value", "PERMUTATIONS": 99})
    assert again["P_SIM"] == results["P_SIM"]  # seeded
    rook = run_alg(GLOBAL, {"INPUT_VECTOR": layer, "VALUE_FIELD": "value", "WEIGHTS": 1, "PERMUTATIONS": 99})
    ref_rook = _esda(
        esda_moran.Moran, values.ravel(), libpysal_weights.lat2W(8, 8, rook=True), permutations=0
    )
    assert rook["I"] == pytest.approx(ref_rook.I, rel=1e-9)


@pytest.mark.parametrize(
    "params,message",
    [
        ({}, "exactly one of them"),
        ({"WEIGHTS": 2}, "queen or rook contiguity of pixels"),
        ({"AGGREGATE": 1, "INPUT_VECTOR": "x"}, "exactly one of them"),
    ],
)
def test_input_checks_name_what_is_wrong(run_alg, carbon_raster, params, message):
    from qgis.core import QgsProcessingException

    base = {"INPUT_RASTER": carbon_raster} if params else {}
    with pytest.raises(QgsProcessingException, match=message):
        run_alg(GLOBAL, {**base, **params, "MORAN_TABLE": "TEMPORARY_OUTPUT"})


def test_vector_checks(run_alg):
    from qgis.core import QgsProcessingException, QgsVectorLayer

    layer = _grid_layer(_field(5, nodata_share=0.0))
    with pytest.raises(QgsProcessingException, match="Choose the numeric field"):
        run_alg(GLOBAL, {"INPUT_VECTOR": layer})
    with pytest.raises(QgsProcessingException, match="threshold greater than 0"):
        run_alg(GLOBAL, {"INPUT_VECTOR": layer, "VALUE_FIELD": "value", "WEIGHTS": 3})
    with pytest.raises(QgsProcessingException, match="Aggregation applies to rasters only"):
        run_alg(GLOBAL, {"INPUT_VECTOR": layer, "VALUE_FIELD": "value", "AGGREGATE": 2})
    points = QgsVectorLayer("Point?crs=EPSG:32648&field=value:double", "plots", "memory")
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY

    for i in range(6):
        f = QgsFeature(points.fields())
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(i * 10.0, (i % 3) * 7.0)))
        f.setAttributes([float(i)])
        points.dataProvider().addFeature(f)
    with pytest.raises(QgsProcessingException, match="holds points: queen and rook contiguity need polygons"):
        run_alg(GLOBAL, {"INPUT_VECTOR": points, "VALUE_FIELD": "value", "WEIGHTS": 0})
    ok = run_alg(
        GLOBAL,
        {"INPUT_VECTOR": points, "VALUE_FIELD": "value", "WEIGHTS": 2, "K_NEIGHBOURS": 2, "PERMUTATIONS": 19},
    )
    assert np.isfinite(ok["I"])


# --------------------------------------------------------------------------------------------- LISA
def test_lisa_of_a_raster_writes_styled_clusters_and_class_areas(run_alg, feedback, carbon_raster, tmp_path):
    out = {k: str(tmp_path / f"{k.lower()}.tif") for k in ("LISA_CLUSTER", "LOCAL_I", "Z_SCORE", "P_VALUE")}
    results = run_alg(
        LOCAL,
        {
            "INPUT_RASTER": carbon_raster,
            "INFERENCE": 2,
            "PERMUTATIONS": 199,
            "SEED": 9,
            "FDR": True,
            **out,
            "CLASS_AREAS": "TEMPORARY_OUTPUT",
        },
        feedback,
    )
    ref = mr.local_moran_raster(
        read_raster(carbon_raster), inference="permutation", permutations=199, seed=9, fdr=True
    )
    cluster = gdal.Open(results["LISA_CLUSTER"])
    np.testing.assert_array_equal(cluster.ReadAsArray(), ref.arrays["cluster"])
    np.testing.assert_allclose(read_raster(results["LOCAL_I"]), ref.arrays["Ii"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(read_raster(results["P_VALUE"]), ref.arrays["p"], rtol=1e-6)
    assert "Benjamini-Hochberg" in cluster.GetRasterBand(1).GetDescription()
    assert (
        _description(results["P_VALUE"])
        == "p-value of Ii (conditional permutation: 199 permutations, two-sided, folded)"
    )
    assert "m2 = sum(z^2)/n" in _description(results["LOCAL_I"])
    assert os.path.exists(tmp_path / "lisa_cluster.qml")
    summary = results["CLASS_AREA_SUMMARY"]["LISA_CLUSTER"]
    assert [r["class"] for r in summary][:2] == ["High-High", "Low-Low"]
    assert sum(r["share_pct"] for r in summary) == pytest.approx(100.0)
    assert summary[0]["pixels"] > 0 and summary[1]["pixels"] > 0
    assert any("Benjamini–Hochberg FDR at 0.05: significant where p <=" in line for line in feedback.infos)
    assert any("isolated" in line for line in feedback.infos)


def test_lisa_analytic_with_aggregation_is_on_the_coarse_grid(run_alg, feedback, carbon_raster, tmp_path):
    results = run_alg(
        LOCAL,
        {
            "INPUT_RASTER": carbon_raster,
            "AGGREGATE": 2,
            "INFERENCE": 1,
            "WEIGHTS": 1,
            "LISA_CLUSTER": str(tmp_path / "c.tif"),
            "Z_SCORE": str(tmp_path / "z.tif"),
        },
        feedback,
    )
    ds = gdal.Open(results["Z_SCORE"])
    assert (ds.RasterXSize, ds.RasterYSize) == (20, 20)
    assert _description(results["Z_SCORE"]).endswith(
        "(analytic: Anselin (1995) moments under randomisation, two-sided)"
    )
    ref = mr.local_moran_raster(
        mk.block_mean(read_raster(carbon_raster), 2), contiguity="rook", inference="analytic"
    )
    np.testing.assert_array_equal(gdal.Open(results["LISA_CLUSTER"]).ReadAsArray(), ref.arrays["cluster"])


def test_lisa_of_polygons_matches_esda_and_marks_islands_and_nulls(run_alg, feedback, tmp_path):
    from qgis.core import QgsVectorLayer

    values = _field(7, seed=8, nodata_share=0.0)
    layer = _grid_layer(values, island_value=99.0, null_at=(3, 3))
    path = str(tmp_path / "lisa.gpkg")
    results = run_alg(
        LOCAL,
        {
            "INPUT_VECTOR": layer,
            "VALUE_FIELD": "value",
            "WEIGHTS": 0,
            "INFERENCE": 2,
            "PERMUTATIONS": 99,
            "OUTPUT": path,
            "CLASS_AREAS": "TEMPORARY_OUTPUT",
        },
        feedback,
    )
    out = QgsVectorLayer(results["OUTPUT"], "lisa", "ogr")
    feats = {f["id"]: f for f in out.getFeatures()}
    assert len(feats) == 7 * 7 + 1
    assert (
        feats[-1]["lisa_label"] == "Isolated (no valid neighbour)" and feats[-1]["lisa_clust"] == mk.ISOLATED
    )
    assert _is_null(feats[24]["lisa_clust"]) and _is_null(feats[24]["lisa_Ii"])  # NULL value: no data
    # reference: esda on the same queen weights among the 48 polygons with a value
    ids = [i for i in range(49) if i != 24]
    neighbours = {}
    for i in ids:
        r, c = divmod(i, 7)
        neighbours[i] = [
            (r + dr) * 7 + c + dc
            for dr, dc in mk.neighbour_offsets("queen")
            if 0 <= r + dr < 7 and 0 <= c + dc < 7 and (r + dr) * 7 + c + dc != 24
        ]
    w = libpysal_weights.W(neighbours, id_order=ids)
    y = values.ravel()[ids]
    ref = _esda(esda_moran.Moran_Local, y, w, permutations=0)
    n = len(ids)
    ii = np.array([feats[i]["lisa_Ii"] for i in ids])
    np.testing.assert_allclose(ii * (n - 1) / n, ref.Is, rtol=1e-9)
    labels = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
    assert [feats[i]["lisa_quad"] for i in ids] == [labels[q] for q in ref.q]
    p = np.array([feats[i]["lisa_p"] for i in ids])
    assert p.min() >= 0.01 and p.max() <= 1
    rows = results["CLASS_AREA_SUMMARY"]["OUTPUT"]
    assert sum(r["features"] for r in rows) == 49  # the NULL feature has no class
    assert rows[-1]["class"].startswith("Isolated") and rows[-1]["features"] == 1
    assert sum(r["area_ha"] for r in rows) == pytest.approx(49.0, rel=1e-3)  # 1 ha squares, ellipsoidal
    assert any("1 isolated" in line for line in feedback.infos)


def test_lisa_vector_output_loads_with_the_categorized_style(qgis_app, tmp_path):
    import processing
    from qgis.core import QgsProcessingOutputLayerDefinition, QgsProject

    project = QgsProject.instance()
    layer = _grid_layer(_field(6, seed=2, nodata_share=0.0))
    out = QgsProcessingOutputLayerDefinition(str(tmp_path / "styled.gpkg"), project)
    processing.runAndLoadResults(
        LOCAL, {"INPUT_VECTOR": layer, "VALUE_FIELD": "value", "PERMUTATIONS": 99, "OUTPUT": out}
    )
    loaded = [
        lyr for lyr in project.mapLayers().values() if lyr.source().startswith(str(tmp_path / "styled.gpkg"))
    ]
    assert loaded
    renderer = loaded[0].renderer()
    assert renderer.type() == "categorizedSymbol" and renderer.classAttribute() == "lisa_clust"
    assert [c.label() for c in renderer.categories()][:5] == [
        "High-High",
        "Low-Low",
        "High-Low",
        "Low-High",
        "Not significant",
    ]
    assert renderer.categories()[0].symbol().color().name() == "#d7191c"
    project.removeAllMapLayers()


def _points_layer(xy, values):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    layer = QgsVectorLayer("Point?crs=EPSG:32648&field=id:integer&field=value:double", "plots", "memory")
    feats = []
    for i, ((x, y), v) in enumerate(zip(xy, values)):
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(x), float(y))))
        f.setAttributes([i, float(v)])
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def test_lisa_of_points_with_knn_and_distance_band_weights(run_alg, feedback):
    rng = np.random.default_rng(12)
    xy = rng.uniform(0, 1000, (120, 2))
    values = xy[:, 0] / 100 + rng.normal(0, 1, 120)  # a west-east gradient: clusters at both ends
    xy[-1] = (5000.0, 5000.0)  # far from everything: isolated in a distance band
    layer = _points_layer(xy, values)
    knn = run_alg(
        LOCAL,
        {
            "INPUT_VECTOR": layer,
            "VALUE_FIELD": "value",
            "WEIGHTS": 2,
            "K_NEIGHBOURS": 6,
            "INFERENCE": 1,
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    out = knn["OUTPUT"]
    feats = {f["id"]: f for f in out.getFeatures()}
    w = libpysal_weights.KNN.from_array(xy, k=6)
    w.transform = "r"
    ref = _esda(esda_moran.Moran_Local, values, w, permutations=0)
    ii = np.array([feats[i]["lisa_Ii"] for i in range(120)])
    np.testing.assert_allclose(ii * 119 / 120, ref.Is, rtol=1e-9)
    clusters = [feats[i]["lisa_clust"] for i in range(120)]
    assert clusters.count(mk.HIGH_HIGH) > 5 and clusters.count(mk.LOW_LOW) > 5
    band = run_alg(
        LOCAL,
        {
            "INPUT_VECTOR": layer,
            "VALUE_FIELD": "value",
            "WEIGHTS": 3,
            "DISTANCE": 200.0,
            "PERMUTATIONS": 99,
            "OUTPUT": "TEMPORARY_OUTPUT",
            "CLASS_AREAS": "TEMPORARY_OUTPUT",
        },
        feedback,
    )
    last = [f for f in band["OUTPUT"].getFeatures() if f["id"] == 119][0]
    assert last["lisa_clust"] == mk.ISOLATED and _is_null(last["lisa_p"])
    rows = band["CLASS_AREA_SUMMARY"]["OUTPUT"]
    assert rows[-1]["features"] >= 1 and all(r["area_ha"] is None for r in rows)
    assert sum(r["share_pct"] for r in rows) == pytest.approx(100.0)

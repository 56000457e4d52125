"""Factor correlation screening through processing.run: values against core, tables, report, errors."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from live_markup import assert_written_from_one_document
from osgeo import osr
from rasters import write_raster

from core.reports.charts import SVG_NS
from core.stats import screening

pytestmark = pytest.mark.qgis

ALG = "carbonsink:factorscreening"
X0, Y0, PX = 560000.0, 4250000.0, 30.0
ROWS, COLS = 20, 24


@pytest.fixture(scope="module")
def grids():
    """Factor arrays: NDVI collinear with NPP, DEM independent, slope with a nodata hole."""
    rng = np.random.default_rng(42)
    npp = rng.normal(400.0, 80.0, (ROWS, COLS))
    ndvi = 0.001 * npp + rng.normal(0.0, 0.015, (ROWS, COLS))
    dem = rng.normal(1500.0, 300.0, (ROWS, COLS))
    slope = rng.gamma(2.0, 4.0, (ROWS, COLS))
    slope[0:3, 0:3] = np.nan
    return {"NPP": npp, "NDVI": ndvi, "DEM": dem, "slope": slope}


@pytest.fixture(scope="module")
def rasters(grids, tmp_path_factory):
    folder = tmp_path_factory.mktemp("factors")
    return {name: write_raster(folder / f"{name}.tif", arr) for name, arr in grids.items()}


def _cells(n, seed=1):
    rng = np.random.default_rng(seed)
    flat = rng.choice(np.arange(3 * COLS, ROWS * COLS), size=n, replace=False)  # below the nodata hole
    return flat // COLS, flat % COLS


def _centre(rows, cols):
    return X0 + (cols + 0.5) * PX, Y0 - (rows + 0.5) * PX


def _target(grids, rows, cols, seed=2):
    rng = np.random.default_rng(seed)
    return 0.05 * grids["NPP"][rows, cols] + 0.01 * grids["DEM"][rows, cols] + rng.normal(0, 3.0, rows.size)


def _points(xs, ys, values, crs="EPSG:32648", field="cd:double", name="plots"):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    layer = QgsVectorLayer(f"Point?crs={crs}&field={field}&field=label:string", name, "memory")
    feats = []
    for x, y, v in zip(xs, ys, values):
        f = QgsFeature(layer.fields())
        if isinstance(v, (float, np.floating)):
            v = None if np.isnan(v) else float(v)  # QGIS rejects numpy scalars
        f.setAttributes([v, "p"])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(x), float(y))))
        feats.append(f)
    ok, _ = layer.dataProvider().addFeatures(feats)
    assert ok and layer.featureCount() == len(feats)
    return layer


def _read_table(path):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(str(path), "t", "ogr")
    assert layer.isValid(), path

    def value(v):
        return None if v is None or (hasattr(v, "isNull") and v.isNull()) else v

    names = [f.name() for f in layer.fields() if f.name() != "fid"]
    return [{n: value(feat[n]) for n in names} for feat in layer.getFeatures()]


def _params(layer, rasters, tmp_path, names=("NPP", "NDVI", "DEM", "slope"), **extra):
    tmp_path.mkdir(parents=True, exist_ok=True)
    return {
        "INPUT": layer,
        "TARGET": "cd",
        "FACTORS": [rasters[n] for n in names],
        "THRESHOLD": 0.8,
        "PAIRS": str(tmp_path / "pairs.gpkg"),
        "FACTOR_TABLE": str(tmp_path / "factors.gpkg"),
        "REPORT": str(tmp_path / "report.html"),
        **extra,
    }


def test_screening_matches_core_and_writes_tables_and_report(run_alg, feedback, grids, rasters, tmp_path):
    rows, cols = _cells(60)
    cd = _target(grids, rows, cols)
    layer = _points(*_centre(rows, cols), cd)
    results = run_alg(ALG, _params(layer, rasters, tmp_path), feedback)

    names = ["NPP", "NDVI", "DEM", "slope"]
    data = np.column_stack([cd] + [grids[n][rows, cols].astype(np.float32) for n in names])
    r, p = screening.correlation_matrix(data, ["cd", *names])
    vif = screening.variance_inflation_factors(data[:, 1:], names)
    keep, dropped = screening.suggest_keep(names, r[0, 1:], r[1:, 1:], 0.8)
    assert keep[0] == "NPP" and "NDVI" not in keep and "DEM" in keep  # the synthetic design
    assert results["KEEP"] == ",".join(keep)
    assert results["N_USED"] == 60

    pairs = _read_table(results["PAIRS"])
    assert len(pairs) == 10  # 5 variables, 5·4/2 pairs
    index = ["cd", *names]
    for row in pairs:
        i, j = index.index(row["var1"]), index.index(row["var2"])
        assert i < j
        assert row["r"] == pytest.approx(r[i, j], abs=1e-9)
        assert row["p"] == pytest.approx(p[i, j], rel=1e-6, abs=1e-300)
        assert row["n"] == 60
        assert row["sig"] == screening.significance_stars(p[i, j]).item()

    factors = {row["factor"]: row for row in _read_table(results["FACTOR_TABLE"])}
    assert list(factors) == names
    for j, n in enumerate(names):
        assert factors[n]["r_with_target"] == pytest.approx(r[0, j + 1], abs=1e-9)
        assert factors[n]["p_with_target"] == pytest.approx(p[0, j + 1], rel=1e-6, abs=1e-300)
        assert factors[n]["vif"] == pytest.approx(vif[j], rel=1e-6)
        assert bool(factors[n]["keep"]) == (n in keep)
    assert "NPP" in factors["NDVI"]["reason"] and factors["NDVI"]["vif"] > 10
    vif_kept = screening.variance_inflation_factors(data[:, [1 + names.index(n) for n in keep]], keep)
    for n, v in zip(keep, vif_kept):
        assert factors[n]["vif_kept"] == pytest.approx(v, rel=1e-6)
    assert factors["NDVI"]["vif_kept"] is None  # dropped: no VIF among the kept factors
    assert factors["NPP"]["vif"] > 10 and factors["NPP"]["vif_kept"] < 1.5
    assert factors["NPP"]["reason"].startswith("kept")

    with open(results["REPORT"], encoding="utf-8") as fh:
        html = fh.read()
    assert html.replace(SVG_NS, "").count("http") == 0
    svg = html[html.index("<svg") : html.index("</svg>") + 6]
    cells = [e for e in ET.fromstring(svg).iter(f"{{{SVG_NS}}}rect") if e.get("class") == "cell"]
    assert len(cells) == 25
    assert "**" in svg and "NDVI" in html and "Produced by" in html
    data = assert_written_from_one_document(results["REPORT"], "carbonsink:factorscreening")
    heat = data.sections[1].blocks[0]
    assert heat.chart == "heatmap" and heat.data["labels"] == ["cd", *names]
    np.testing.assert_allclose(np.array(heat.data["matrix"], dtype=float), r, atol=1e-12)
    assert feedback.progress[-1] == pytest.approx(100.0)


def test_points_in_another_crs_are_transformed(run_alg, grids, rasters, tmp_path):
    rows, cols = _cells(40, seed=5)
    cd = _target(grids, rows, cols, seed=6)
    x, y = _centre(rows, cols)
    utm, wgs = osr.SpatialReference(), osr.SpatialReference()
    utm.ImportFromEPSG(32648)
    wgs.ImportFromEPSG(4326)
    wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    utm.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    lonlat = osr.CoordinateTransformation(utm, wgs).TransformPoints(np.column_stack([x, y]).tolist())
    lon, lat = np.array(lonlat)[:, 0], np.array(lonlat)[:, 1]
    same = run_alg(ALG, _params(_points(x, y, cd), rasters, tmp_path / "a", names=("NPP", "DEM")))
    moved = run_alg(
        ALG, _params(_points(lon, lat, cd, crs="EPSG:4326"), rasters, tmp_path / "b", names=("NPP", "DEM"))
    )
    assert moved["N_USED"] == same["N_USED"] == 40
    a = {(r["var1"], r["var2"]): r["r"] for r in _read_table(same["PAIRS"])}
    b = {(r["var1"], r["var2"]): r["r"] for r in _read_table(moved["PAIRS"])}
    assert a == pytest.approx(b, abs=1e-12)


def test_points_outside_on_nodata_or_without_target_are_counted(run_alg, feedback, grids, rasters, tmp_path):
    rows, cols = _cells(20, seed=7)
    x, y = _centre(rows, cols)
    cd = list(_target(grids, rows, cols, seed=8))
    cd[0] = None  # no target value
    x = np.append(x, [X0 - 100.0, X0 + 1.5 * PX])  # one left of the rasters, one in the slope nodata hole
    y = np.append(y, [Y0 - 100.0, Y0 - 1.5 * PX])
    cd += [10.0, 11.0]
    results = run_alg(ALG, _params(_points(x, y, cd), rasters, tmp_path), feedback)
    assert results["N_USED"] == 19
    log = " ".join(feedback.infos + feedback.errors)
    assert "1 outside the rasters, 1 on nodata of a factor, 1 without a target value, of 22 points" in log
    assert "slope: 1" in log


def test_opens_without_optional_outputs_and_returns_keep(run_alg, grids, rasters):
    rows, cols = _cells(30, seed=9)
    results = run_alg(
        ALG,
        {"INPUT": _points(*_centre(rows, cols), _target(grids, rows, cols)), "TARGET": "cd",
         "FACTORS": [rasters["NPP"], rasters["NDVI"]]},
    )  # fmt: skip
    assert results["KEEP"] == "NPP"


def _error(run_alg, params):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException) as exc:
        run_alg(ALG, params)
    return str(exc.value)


def test_missing_target_field_is_named(run_alg, grids, rasters, tmp_path):
    rows, cols = _cells(10)
    layer = _points(*_centre(rows, cols), _target(grids, rows, cols))
    message = _error(run_alg, _params(layer, rasters, tmp_path, TARGET="carbon"))
    assert "carbon" in message and "plots" in message


def test_non_numeric_target_field_is_named(run_alg, grids, rasters, tmp_path):
    rows, cols = _cells(10)
    layer = _points(*_centre(rows, cols), ["a"] * 10, field="cd:string")
    message = _error(run_alg, _params(layer, rasters, tmp_path))
    assert "'cd'" in message and "numeric" in message


def test_factor_on_another_grid_is_named(run_alg, grids, rasters, tmp_path):
    shifted = write_raster(
        tmp_path / "AI_shifted.tif", grids["DEM"], geotransform=(X0 + 15, PX, 0, Y0, 0, -PX)
    )
    rows, cols = _cells(10)
    layer = _points(*_centre(rows, cols), _target(grids, rows, cols))
    params = _params(layer, rasters, tmp_path, names=("NPP",))
    params["FACTORS"] = [rasters["NPP"], shifted]
    message = _error(run_alg, params)
    assert "AI_shifted" in message and "grid" in message


def test_all_points_outside_the_rasters(run_alg, rasters, tmp_path):
    layer = _points([X0 - 1000.0, X0 - 2000.0, X0 - 3000.0], [Y0, Y0, Y0], [1.0, 2.0, 3.0])
    message = _error(run_alg, _params(layer, rasters, tmp_path))
    assert "None of the 3 points" in message and "plots" in message


def test_too_few_complete_points_and_constant_target(run_alg, grids, rasters, tmp_path):
    rows, cols = _cells(4)
    x, y = _centre(rows, cols)
    message = _error(run_alg, _params(_points(x, y, [1.0, 2.0, None, None]), rasters, tmp_path))
    assert "Only 2 point(s)" in message and "at least 3" in message
    message = _error(run_alg, _params(_points(x, y, [5.0] * 4), rasters, tmp_path))
    assert "'cd'" in message and "constant" in message


def test_duplicate_factor_names(run_alg, grids, rasters, tmp_path):
    rows, cols = _cells(10)
    layer = _points(*_centre(rows, cols), _target(grids, rows, cols))
    params = _params(layer, rasters, tmp_path)
    params["FACTORS"] = [rasters["NPP"], rasters["NPP"]]
    assert "'NPP'" in _error(run_alg, params)

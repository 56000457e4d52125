"""Augment samples by NPP ratio through processing.run: transfer, allocation, spacing, seed, bad input."""

import math

import numpy as np
import pytest
from rasters import write_raster

pytestmark = pytest.mark.qgis

ALG = "carbonsink:augmentsamples"
X0, Y0, PX = 560000.0, 4250000.0, 30.0
ROWS, COLS = 40, 60


@pytest.fixture(scope="module")
def grids():
    """Strata in vertical bands 1 | 2 | 3 (3 has no plot); NPP rising to the east, a nodata strip."""
    strata = np.ones((ROWS, COLS))
    strata[:, 20:40] = 2
    strata[:, 40:] = 3
    npp = np.tile(np.linspace(200.0, 800.0, COLS), (ROWS, 1))
    npp[0, :] = np.nan
    return {"strata": strata, "npp": npp}


@pytest.fixture(scope="module")
def rasters(grids, tmp_path_factory):
    folder = tmp_path_factory.mktemp("augment")
    return {name: write_raster(folder / f"{name}.tif", arr) for name, arr in grids.items()}


def _centre(row, col):
    return X0 + (col + 0.5) * PX, Y0 - (row + 0.5) * PX


def _plots(cells, carbon, field="cd:double", crs="EPSG:32648"):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    layer = QgsVectorLayer(
        f"Point?crs={crs}&field=pid:string&field={field}&field=txt:string", "plots", "memory"
    )
    feats = []
    for k, ((row, col), c) in enumerate(zip(cells, carbon)):
        x, y = _centre(row, col) if isinstance(row, int) else (row, col)
        f = QgsFeature(layer.fields())
        f.setAttributes([f"P{k + 1}", None if c is None else c, "x"])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


# plots: two in stratum 1 (cols 5, 15), two in stratum 2 (cols 25, 35)
CELLS = [(10, 5), (30, 15), (10, 25), (30, 35)]
CARBON = [30.0, 50.0, 80.0, 100.0]


def _read(path):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(str(path), "out", "ogr")
    assert layer.isValid()
    out = []
    for f in layer.getFeatures():
        p = f.geometry().asPoint()
        row = {
            n: (None if f[n] is None or (hasattr(f[n], "isNull") and f[n].isNull()) else f[n])
            for n in layer.fields().names()
        }
        row["x"], row["y"] = p.x(), p.y()
        out.append(row)
    return out, layer.crs().authid()


def _run(run_alg, rasters, plots, out, feedback=None, **extra):
    params = {
        "PLOTS": plots,
        "CARBON_FIELD": "cd",
        "PLOT_ID_FIELD": "pid",
        "STRATUM": rasters["strata"],
        "NPP_SURVEY": rasters["npp"],
        "N_POINTS": 30,
        "MIN_SPACING": 90.0,
        "SEED": 42,
        "SAMPLES": str(out),
    }
    params.update(extra)
    return run_alg(ALG, params, feedback)


def test_transfer_allocation_spacing_and_log(run_alg, feedback, grids, rasters, tmp_path):
    results = _run(run_alg, rasters, _plots(CELLS, CARBON), tmp_path / "aug.gpkg", feedback)
    rows, crs = _read(tmp_path / "aug.gpkg")
    assert crs == "EPSG:32648" and results["N_DERIVED"] == 30
    measured = [r for r in rows if r["source"] == "measured"]
    derived = [r for r in rows if r["source"] == "derived"]
    assert len(measured) == 4 and len(derived) == 30
    assert [r["plot_id"] for r in measured] == ["P1", "P2", "P3", "P4"]
    assert all(r["plot_id"] is None for r in derived)
    # Stratum means from the plots: NPP at column c is 200 + 600·c/59.
    npp = grids["npp"][0:2, :][1]
    c1, n1 = np.mean([30.0, 50.0]), np.mean([npp[5], npp[15]])
    c2, n2 = np.mean([80.0, 100.0]), np.mean([npp[25], npp[35]])
    # Stratum 3 has no plot: no derived point there; strata 1 and 2 have equal areas: 15 points each.
    assert sorted({r["stratum"] for r in derived}) == [1, 2]
    assert sum(r["stratum"] == 1 for r in derived) == 15
    for r in derived:
        col = int((r["x"] - X0) // PX)
        assert r["npp"] == pytest.approx(npp[col], rel=1e-6)
        c_bar, n_bar = (c1, n1) if r["stratum"] == 1 else (c2, n2)
        assert r["carbon_density"] == pytest.approx(c_bar * npp[col] / n_bar, rel=1e-6)
    xy = np.array([[r["x"], r["y"]] for r in rows])
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    assert d[np.triu_indices(len(rows), 1)].min() >= 90.0  # derived points keep away from plots too
    assert any("stratum 3" in line and "no plot" in line for line in feedback.warnings)
    assert any("2 plot(s)" in line for line in feedback.infos)


def test_same_seed_same_points_and_per_stratum_mode(run_alg, rasters, tmp_path):
    plots = _plots(CELLS, CARBON)
    _run(run_alg, rasters, plots, tmp_path / "a.gpkg", N_POINTS=7, ALLOCATION=1)
    _run(run_alg, rasters, plots, tmp_path / "b.gpkg", N_POINTS=7, ALLOCATION=1)
    _run(run_alg, rasters, plots, tmp_path / "c.gpkg", N_POINTS=7, ALLOCATION=1, SEED=7)
    a, b, c = (_read(tmp_path / f"{k}.gpkg")[0] for k in "abc")
    key = [(r["x"], r["y"]) for r in a]
    assert key == [(r["x"], r["y"]) for r in b]
    assert key != [(r["x"], r["y"]) for r in c]
    derived = [r for r in a if r["source"] == "derived"]
    assert len(derived) == 14 and sum(r["stratum"] == 2 for r in derived) == 7


def test_climate_and_ecosystem_rasters_make_the_strata(run_alg, grids, rasters, tmp_path):
    folder = tmp_path
    climate = np.where(np.arange(ROWS)[:, None] < 20, 1.0, 2.0) * np.ones((ROWS, COLS))
    eco = grids["strata"] + 10.0
    paths = {"clim": write_raster(folder / "clim.tif", climate), "eco": write_raster(folder / "eco.tif", eco)}
    cells = [(5, 5), (25, 5), (5, 25), (25, 25)]
    params = {"STRATUM": None, "CLIMATE_ZONE": paths["clim"], "ECOSYSTEM": paths["eco"], "N_POINTS": 8}
    _run(run_alg, rasters, _plots(cells, CARBON), folder / "comb.gpkg", **params)
    rows, _ = _read(folder / "comb.gpkg")
    assert sorted({r["stratum"] for r in rows}) == [1011, 1012, 2011, 2012]
    for r in rows:
        assert r["stratum"] == r["climate_zone"] * 1000 + r["ecosystem_type"]


def test_plots_outside_on_nodata_or_without_carbon_are_reported(run_alg, feedback, rasters, tmp_path):
    cells = CELLS + [(X0 - 500.0, Y0 + 500.0), (0, 10), (20, 10)]
    carbon = CARBON + [40.0, 40.0, None]
    _run(run_alg, rasters, _plots(cells, carbon), tmp_path / "o.gpkg", feedback)
    log = "\n".join(feedback.warnings)
    assert "plot P5: outside the rasters" in log
    assert "plot P6: on NPP nodata" in log
    assert "plot P7: no carbon density" in log
    rows, _ = _read(tmp_path / "o.gpkg")
    p5 = next(r for r in rows if r["plot_id"] == "P5")
    assert p5["source"] == "measured" and p5["stratum"] is None and p5["npp"] is None


def test_all_plots_outside_is_an_error(run_alg, rasters, tmp_path):
    from qgis.core import QgsProcessingException

    far = _plots([(X0 - 5000.0, Y0 + 5000.0)], [10.0])
    with pytest.raises(
        QgsProcessingException, match="None of the 1 plots of layer 'plots' falls inside the rasters"
    ):
        _run(run_alg, rasters, far, tmp_path / "x.gpkg")


def test_text_carbon_field_and_missing_field_are_named(run_alg, rasters, tmp_path):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="Field 'txt' of layer 'plots' must be numeric"):
        _run(run_alg, rasters, _plots(CELLS, CARBON), tmp_path / "x.gpkg", CARBON_FIELD="txt")
    with pytest.raises(QgsProcessingException) as err:
        _run(run_alg, rasters, _plots(CELLS, CARBON), tmp_path / "x.gpkg", CARBON_FIELD="soc")
    assert "'soc'" in str(err.value)


def test_raster_on_another_grid_is_named(run_alg, grids, rasters, tmp_path):
    from qgis.core import QgsProcessingException

    other = write_raster(
        tmp_path / "npp_250m.tif", grids["npp"], geotransform=(X0, 250.0, 0.0, Y0, 0.0, -250.0)
    )
    with pytest.raises(QgsProcessingException) as err:
        _run(run_alg, rasters, _plots(CELLS, CARBON), tmp_path / "x.gpkg", NPP_SURVEY=other)
    assert "'npp_250m'" in str(err.value) and "pixel size differs" in str(err.value)


def test_stratum_inputs_must_be_one_form(run_alg, rasters, tmp_path):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="not both"):
        _run(run_alg, rasters, _plots(CELLS, CARBON), tmp_path / "x.gpkg", CLIMATE_ZONE=rasters["strata"])
    with pytest.raises(QgsProcessingException, match="Give a stratum raster"):
        _run(run_alg, rasters, _plots(CELLS, CARBON), tmp_path / "x.gpkg", STRATUM=None)


def test_fractional_stratum_codes_are_named(run_alg, grids, rasters, tmp_path):
    from qgis.core import QgsProcessingException

    bad = write_raster(tmp_path / "landcover.tif", grids["strata"] + 0.5)
    with pytest.raises(
        QgsProcessingException, match="Layer 'landcover': stratum codes must be whole numbers"
    ):
        _run(run_alg, rasters, _plots(CELLS, CARBON), tmp_path / "x.gpkg", STRATUM=bad)


def test_plots_in_another_crs_are_transformed(run_alg, rasters, tmp_path):
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject

    tr = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:32648"),
        QgsCoordinateReferenceSystem("EPSG:4326"),
        QgsProject.instance(),
    )
    lonlat = []
    for row, col in CELLS:
        p = tr.transform(QgsPointXY(*_centre(row, col)))
        lonlat.append((p.x(), p.y()))
    plots = _plots(lonlat, CARBON, crs="EPSG:4326")
    _run(run_alg, rasters, plots, tmp_path / "t.gpkg", N_POINTS=4)
    rows, crs = _read(tmp_path / "t.gpkg")
    measured = [r for r in rows if r["source"] == "measured"]
    assert crs == "EPSG:32648"
    for r, (row, col) in zip(measured, CELLS):
        x, y = _centre(row, col)
        assert math.hypot(r["x"] - x, r["y"] - y) < 0.01 and r["stratum"] in (1, 2)

"""Train carbon density model and Predict annual carbon density through processing.run."""

import shutil

import numpy as np
import pytest
from live_markup import assert_written_from_one_document
from osgeo import gdal
from rasters import read_raster, write_raster

from core.carbon import forest

pytestmark = pytest.mark.qgis

TRAIN = "carbonsink:traincarbonmodel"
PREDICT = "carbonsink:predictcarbondensity"
X0, Y0, PX = 560000.0, 4250000.0, 30.0
ROWS, COLS = 24, 30
YEARS = (2001, 2002, 2003)


@pytest.fixture(scope="module")
def grids():
    """Yearly NPP and AP (NPP rising), static DEM."""
    rng = np.random.default_rng(11)
    rows, cols = np.mgrid[0:ROWS, 0:COLS]
    npp = {y: 250 + 8.0 * cols + rng.normal(0, 25, (ROWS, COLS)) + 15 * (y - 2001) for y in YEARS}
    ap = {y: 300 + 6.0 * rows + rng.normal(0, 30, (ROWS, COLS)) + 5 * (y - 2001) for y in YEARS}
    dem = 1200 + 20.0 * (rows + cols) + rng.normal(0, 40, (ROWS, COLS))
    return {"NPP": npp, "AP": ap, "DEM": dem}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("rf")


@pytest.fixture(scope="module")
def training_rasters(grids, folder):
    """The 2001 rasters, one single-band raster per factor, named after it."""
    sub = folder / "train"
    sub.mkdir()
    return {
        "NPP": write_raster(sub / "NPP.tif", grids["NPP"][2001]),
        "AP": write_raster(sub / "AP.tif", grids["AP"][2001]),
        "DEM": write_raster(sub / "DEM.tif", grids["DEM"]),
    }


def _cells(n, seed=1):
    rng = np.random.default_rng(seed)
    flat = rng.choice(ROWS * COLS, size=n, replace=False)
    return flat // COLS, flat % COLS


def _centre(rows, cols):
    return X0 + (cols + 0.5) * PX, Y0 - (rows + 0.5) * PX


def _target(grids, rows, cols, seed=2):
    rng = np.random.default_rng(seed)
    return (
        0.1 * grids["NPP"][2001][rows, cols]
        + 0.02 * grids["AP"][2001][rows, cols]
        + 0.005 * grids["DEM"][rows, cols]
        + rng.normal(0, 1.5, rows.size)
    )


def _points(xs, ys, values, crs="EPSG:32648"):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    layer = QgsVectorLayer(f"Point?crs={crs}&field=cd:double", "plots", "memory")
    feats = []
    for x, y, v in zip(xs, ys, values):
        f = QgsFeature(layer.fields())
        f.setAttributes([None if np.isnan(v) else float(v)])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(x), float(y))))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def _to_lonlat(xs, ys):
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject

    tr = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:32648"),
        QgsCoordinateReferenceSystem("EPSG:4326"),
        QgsProject.instance(),
    )
    pts = [tr.transform(QgsPointXY(float(x), float(y))) for x, y in zip(xs, ys)]
    return np.array([p.x() for p in pts]), np.array([p.y() for p in pts])


def _train_params(points, rasters, folder, **extra):
    return {
        "SAMPLES": points,
        "CARBON_FIELD": "cd",
        "FACTORS": [rasters["NPP"], rasters["AP"], rasters["DEM"]],
        "N_TREES": 20,
        "MIN_LEAF": 5,
        "MAX_DEPTH": 6,
        "MODEL": str(folder / "model.npz"),
        "METRICS": "TEMPORARY_OUTPUT",
        "IMPORTANCE": "TEMPORARY_OUTPUT",
        "REPORT": str(folder / "report.html"),
        **extra,
    }


@pytest.fixture(scope="module")
def trained(qgis_app, grids, training_rasters, folder):
    """A model trained through processing.run on points given in EPSG:4326 (transformed to the rasters)."""
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    rows, cols = _cells(240)
    xs, ys = _centre(rows, cols)
    lon, lat = _to_lonlat(xs, ys)
    points = _points(lon, lat, _target(grids, rows, cols), crs="EPSG:4326")
    out = folder / "trained"
    out.mkdir()
    params = _train_params(
        points, training_rasters, out, FACTOR_UNITS="NPP=gC/m2/yr; DEM=m", CV_SCHEME=0, CV_FOLDS=3
    )
    results = processing.run(TRAIN, params, context=QgsProcessingContext(), feedback=QgsProcessingFeedback())
    return results, rows, cols


# --------------------------------------------------------------------------------------------- training
def test_train_writes_a_model_that_matches_core(trained, grids, training_rasters):
    results, rows, cols = trained
    predictor, meta = forest.load_model(results["MODEL"])
    assert meta["factors"] == ["NPP", "AP", "DEM"]
    assert meta["units"] == {"NPP": "gC/m2/yr", "DEM": "m"}
    assert "32648" in meta["crs_wkt"] or "WGS 84 / UTM zone 48N" in meta["crs_wkt"]
    assert meta["target"] == "cd" and meta["n_points"] == 240 and meta["n_trees"] == 20
    assert results["N_USED"] == 240
    # The same points and settings straight through core give the same metrics.
    X = np.column_stack(
        [grids["NPP"][2001][rows, cols], grids["AP"][2001][rows, cols], grids["DEM"][rows, cols]]
    ).astype(np.float32)
    y = _target(grids, rows, cols)  # same order as the features of the layer, so the same split
    model, fit = forest.fit_random_forest(
        X.astype(float), y, ["NPP", "AP", "DEM"], n_trees=20, min_samples_leaf=5, max_depth=6, cv_folds=3
    )
    assert meta["metrics"]["train"]["r2"] == pytest.approx(fit.metrics["train"]["r2"], rel=1e-9)
    assert meta["metrics"]["validation"]["rmse"] == pytest.approx(fit.metrics["validation"]["rmse"], rel=1e-9)
    assert results["VALIDATION_R2"] == pytest.approx(fit.metrics["validation"]["r2"], rel=1e-9)
    assert fit.metrics["validation"]["r2"] > 0.6


def test_train_tables_and_report(trained):
    results, _, _ = trained
    metrics = results["METRICS"]  # processing.run returns the temporary layers
    rows = {f["set"]: f for f in metrics.getFeatures()}
    assert list(rows) == ["train", "validation", "cv_random", "cv_random_mean", "cv_random_sd"]
    assert rows["train"]["n"] == 216 and rows["validation"]["n"] == 24
    assert 0 < rows["validation"]["r2"] <= 1 and rows["validation"]["rmse"] > 0
    importance = results["IMPORTANCE"]
    assert [f.name() for f in importance.fields()] == [
        "factor",
        "impurity",
        "permutation_mean",
        "permutation_sd",
    ]
    assert sorted(f["factor"] for f in importance.getFeatures()) == ["AP", "DEM", "NPP"]
    assert sum(f["impurity"] for f in importance.getFeatures()) == pytest.approx(1.0)
    page = open(results["REPORT"], encoding="utf-8").read()
    assert page.count('class="point"') == 240 + 216  # train and validation, and out-of-fold (cv)
    assert 'class="one-to-one"' in page and "validation" in page
    assert page.count('class="bar"') == 6 and "Permutation importance" in page
    assert "<script" not in page
    data = assert_written_from_one_document(results["REPORT"], "carbonsink:traincarbonmodel")
    scatter = next(s for s in data.sections if s.heading == "Observed vs predicted").blocks[0]
    assert scatter.chart == "scatter" and len(scatter.data["x"]) == 240 + 216


def test_points_partly_outside_are_left_out_with_a_warning(
    run_alg, feedback, grids, training_rasters, tmp_path
):
    rows, cols = _cells(120, seed=4)
    xs, ys = _centre(rows, cols)
    xs[:7] += 10 * COLS * PX  # far east of the rasters
    points = _points(xs, ys, _target(grids, rows, cols))
    results = run_alg(TRAIN, _train_params(points, training_rasters, tmp_path, REPORT=None), feedback)
    assert results["N_USED"] == 113
    assert any("7 outside the rasters" in e for e in feedback.warnings)


def test_points_all_outside_stop_with_a_clear_message(run_alg, feedback, grids, training_rasters, tmp_path):
    from qgis.core import QgsProcessingException

    rows, cols = _cells(50)
    xs, ys = _centre(rows, cols)
    points = _points(xs + 1e5, ys, _target(grids, rows, cols))
    with pytest.raises(QgsProcessingException, match="None of the 50 points of layer 'plots' falls inside"):
        run_alg(TRAIN, _train_params(points, training_rasters, tmp_path), feedback)


def test_train_factor_on_another_grid_is_refused(run_alg, feedback, grids, training_rasters, tmp_path):
    from qgis.core import QgsProcessingException

    rows, cols = _cells(60)
    points = _points(*_centre(rows, cols), _target(grids, rows, cols))
    dem = write_raster(tmp_path / "DEM.tif", grids["DEM"], geotransform=(X0, 60.0, 0.0, Y0, 0.0, -60.0))
    rasters = dict(training_rasters, DEM=dem)
    with pytest.raises(QgsProcessingException, match="'DEM' is not on the same grid as 'NPP': pixel size"):
        run_alg(TRAIN, _train_params(points, rasters, tmp_path), feedback)


def test_train_bad_units_and_folds(run_alg, feedback, grids, training_rasters, tmp_path):
    from qgis.core import QgsProcessingException

    rows, cols = _cells(60)
    points = _points(*_centre(rows, cols), _target(grids, rows, cols))
    with pytest.raises(QgsProcessingException, match="units: 'EVI' is not one of the factors"):
        run_alg(TRAIN, _train_params(points, training_rasters, tmp_path, FACTOR_UNITS="EVI=-"), feedback)
    with pytest.raises(QgsProcessingException, match="CV_FOLDS"):
        run_alg(TRAIN, _train_params(points, training_rasters, tmp_path, CV_FOLDS=1), feedback)


# ------------------------------------------------------------------------------------------- prediction
@pytest.fixture(scope="module")
def yearly_rasters(grids, folder):
    """NPP as one 3-band stack (years in band descriptions) with a hole in 2002; AP as AP_<year>;
    DEM static with a hole."""
    sub = folder / "yearly"
    sub.mkdir()
    npp = np.stack([grids["NPP"][y] for y in YEARS])
    npp[1, 0, 0] = np.nan
    dem = grids["DEM"].copy()
    dem[1, 1] = np.nan
    return {
        "NPP": write_raster(sub / "NPP.tif", npp, descriptions=list(YEARS)),
        "AP": [write_raster(sub / f"AP_{y}.tif", grids["AP"][y]) for y in YEARS],
        "DEM": write_raster(sub / "DEM.tif", dem),
        "npp": npp,
        "dem": dem,
    }


def _predict_params(model, r, out, **extra):
    return {
        "MODEL": model,
        "STATIC_FACTORS": [r["DEM"]],
        "YEARLY_FACTORS": [r["AP"][2], r["NPP"], r["AP"][0], r["AP"][1]],  # any order
        "CARBON_DENSITY": str(out),
        **extra,
    }


def test_predict_three_years_matches_the_model(run_alg, feedback, trained, grids, yearly_rasters, tmp_path):
    results, _, _ = trained
    out = tmp_path / "cd.tif"
    res = run_alg(PREDICT, _predict_params(results["MODEL"], yearly_rasters, out), feedback)
    ds = gdal.Open(res["CARBON_DENSITY"])
    assert ds.RasterCount == 3
    assert [ds.GetRasterBand(b).GetDescription() for b in (1, 2, 3)] == ["2001", "2002", "2003"]
    got = read_raster(res["CARBON_DENSITY"])
    predictor, _ = forest.load_model(results["MODEL"])
    for k, year in enumerate(YEARS):
        X = np.stack([yearly_rasters["npp"][k], grids["AP"][year], yearly_rasters["dem"]]).reshape(3, -1)
        expected = forest.predict_block(predictor, X.astype(np.float32)).astype(np.float32)
        np.testing.assert_array_equal(got[k].ravel(), np.where(np.isnan(expected), np.nan, expected))
    assert np.isnan(got[:, 1, 1]).all()  # DEM missing: every year
    assert np.isnan(got[1, 0, 0]) and np.isfinite(got[[0, 2], 0, 0]).all()  # NPP missing in 2002 only
    assert np.nanmean(got[2]) > np.nanmean(got[0])  # NPP rises, so does carbon density
    assert (tmp_path / "cd.qml").exists()
    assert any("3 year(s): 2001–2003" in line for line in feedback.infos)
    assert not feedback.errors


def test_years_parameter_selects_and_checks_years(run_alg, feedback, trained, yearly_rasters, tmp_path):
    from qgis.core import QgsProcessingException

    model = trained[0]["MODEL"]
    res = run_alg(
        PREDICT,
        _predict_params(model, yearly_rasters, tmp_path / "a.tif", PREDICTION_YEARS="2002-2003"),
        feedback,
    )
    ds = gdal.Open(res["CARBON_DENSITY"])
    assert [ds.GetRasterBand(b).GetDescription() for b in (1, 2)] == ["2002", "2003"]
    with pytest.raises(QgsProcessingException, match="Yearly factor 'NPP' has no raster for year 2004 "):
        run_alg(
            PREDICT,
            _predict_params(model, yearly_rasters, tmp_path / "b.tif", PREDICTION_YEARS="2001-2004"),
            feedback,
        )


def test_default_years_are_those_all_yearly_factors_have(
    run_alg, feedback, trained, yearly_rasters, tmp_path
):
    params = _predict_params(trained[0]["MODEL"], yearly_rasters, tmp_path / "c.tif")
    params["YEARLY_FACTORS"] = [yearly_rasters["NPP"], *yearly_rasters["AP"][:2]]
    res = run_alg(PREDICT, params, feedback)
    assert gdal.Open(res["CARBON_DENSITY"]).RasterCount == 2
    assert any("'NPP': year(s) 2003 not predicted" in e for e in feedback.warnings)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda p, r, t: p.update(STATIC_FACTORS=[]), "missing: DEM"),
        (
            lambda p, r, t: p["STATIC_FACTORS"].append(write_raster(t / "SLOPE.tif", np.ones((ROWS, COLS)))),
            "not used by the model: SLOPE",
        ),
        (
            lambda p, r, t: p.update(STATIC_FACTORS=[r["DEM"], r["NPP"]]),
            "Static factor layer 'NPP' has 3 bands",
        ),
        (
            lambda p, r, t: p["YEARLY_FACTORS"].append(write_raster(t / "NDVI.tif", np.ones((ROWS, COLS)))),
            "'NDVI' has one band but its name is not <factor>_<year>",
        ),
        (
            lambda p, r, t: p["YEARLY_FACTORS"].append(write_raster(t / "EVI.tif", np.ones((2, ROWS, COLS)))),
            "'EVI' .2 bands.: no year found in the band descriptions",
        ),
        (
            lambda p, r, t: p.update(
                STATIC_FACTORS=[
                    write_raster(
                        t / "DEM.tif", np.ones((ROWS, COLS)), geotransform=(X0 + 90, PX, 0, Y0, 0, -PX)
                    )
                ]
            ),
            "is not on the same grid as .*extent differs",
        ),
    ],
)
def test_bad_factor_inputs_stop_with_a_clear_message(
    run_alg, feedback, trained, yearly_rasters, tmp_path, change, message
):
    from qgis.core import QgsProcessingException

    params = _predict_params(trained[0]["MODEL"], yearly_rasters, tmp_path / "x.tif")
    params["STATIC_FACTORS"] = list(params["STATIC_FACTORS"])
    change(params, yearly_rasters, tmp_path)
    with pytest.raises(QgsProcessingException, match=message) as err:
        run_alg(PREDICT, params, feedback)
    assert "Traceback" not in str(err.value)
    assert not (tmp_path / "x.tif").exists()


def test_model_from_another_factor_set_is_refused(run_alg, feedback, yearly_rasters, tmp_path):
    from qgis.core import QgsProcessingException

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    model, _ = forest.fit_random_forest(X, X[:, 0], ["NPP", "AP", "SLOPE"], n_trees=3, min_samples_leaf=5)
    path = tmp_path / "slope_model.npz"
    forest.save_model(path, model, {"factors": ["NPP", "AP", "SLOPE"]})
    with pytest.raises(
        QgsProcessingException,
        match="Model 'slope_model.npz': the factors do not match the model, which was trained on NPP, AP, "
        "SLOPE .*missing: SLOPE; not used by the model: DEM",
    ):
        run_alg(PREDICT, _predict_params(str(path), yearly_rasters, tmp_path / "x.tif"), feedback)


def test_tampered_model_file_is_refused(run_alg, feedback, trained, yearly_rasters, tmp_path):
    from qgis.core import QgsProcessingException

    path = tmp_path / "tampered.npz"
    shutil.copy(trained[0]["MODEL"], path)
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k].copy() for k in npz.files}
    arrays["value"][5] += 10.0
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)
    with pytest.raises(QgsProcessingException, match=r"model file .*tampered\.npz: content does not match"):
        run_alg(PREDICT, _predict_params(str(path), yearly_rasters, tmp_path / "x.tif"), feedback)


def test_other_crs_than_training_warns_but_predicts(run_alg, feedback, trained, grids, tmp_path):
    r = {
        "NPP": write_raster(tmp_path / "NPP.tif", np.stack([grids["NPP"][2001]]), epsg=32649),
        "AP": [write_raster(tmp_path / "AP_2001.tif", grids["AP"][2001], epsg=32649)],
        "DEM": write_raster(tmp_path / "DEM.tif", grids["DEM"], epsg=32649),
    }
    params = {
        "MODEL": trained[0]["MODEL"],
        "STATIC_FACTORS": [r["DEM"], r["NPP"]],
        "YEARLY_FACTORS": r["AP"],
        "CARBON_DENSITY": str(tmp_path / "cd.tif"),
    }
    res = run_alg(PREDICT, params, feedback)
    assert gdal.Open(res["CARBON_DENSITY"]).GetRasterBand(1).GetDescription() == "2001"
    assert any(
        "trained on rasters in another CRS: CRS differs (EPSG:32649 vs EPSG:32648)" in e
        for e in feedback.warnings
    )


def test_temporary_outputs_get_their_extensions(run_alg, grids, training_rasters, tmp_path):
    rows, cols = _cells(60)
    points = _points(*_centre(rows, cols), _target(grids, rows, cols))
    params = _train_params(
        points, training_rasters, tmp_path, MODEL="TEMPORARY_OUTPUT", REPORT="TEMPORARY_OUTPUT"
    )
    res = run_alg(TRAIN, params)
    assert res["MODEL"].endswith(".npz") and res["REPORT"].endswith(".html")
    assert forest.load_model(res["MODEL"])[1]["n_points"] == 60


def test_select_trains_on_a_keep_list_and_ignore_extra_predicts_with_every_candidate(
    run_alg, feedback, grids, training_rasters, yearly_rasters, tmp_path
):
    # As the whole-study model chains them: screening's keep-list picks the factors to train on, and
    # prediction is given every candidate and uses those the model knows.
    from qgis.core import QgsProcessingException

    rows, cols = _cells(120)
    xs, ys = _centre(rows, cols)
    points = _points(xs, ys, _target(grids, rows, cols))
    res = run_alg(TRAIN, _train_params(points, training_rasters, tmp_path, SELECT_FACTORS="NPP, DEM"))
    _, meta = forest.load_model(res["MODEL"])
    assert meta["factors"] == ["NPP", "DEM"]
    with pytest.raises(QgsProcessingException, match="'NDVI' .*not among the given factor layers"):
        run_alg(TRAIN, _train_params(points, training_rasters, tmp_path / "x", SELECT_FACTORS="NPP,NDVI"))
    params = _predict_params(res["MODEL"], yearly_rasters, tmp_path / "cd.tif")
    with pytest.raises(QgsProcessingException, match="AP"):
        run_alg(PREDICT, params)  # AP is extra for this model
    out = run_alg(PREDICT, {**params, "IGNORE_EXTRA": True}, feedback)
    assert gdal.Open(out["CARBON_DENSITY"]).RasterCount == 3
    assert any("ignored: AP" in line for line in feedback.infos)


# ------------------------------------------------------------------------------ issue 12: one rule, one log
def test_ignored_factors_are_only_those_the_model_does_not_use(
    run_alg, feedback, trained, yearly_rasters, tmp_path
):
    """The log of IGNORE_EXTRA named the static factors the model uses (DEM) as ignored too."""
    params = _predict_params(trained[0]["MODEL"], yearly_rasters, tmp_path / "ig.tif", IGNORE_EXTRA=True)
    params["STATIC_FACTORS"] = [
        yearly_rasters["DEM"],
        write_raster(tmp_path / "SLOPE.tif", np.ones((ROWS, COLS))),
    ]
    run_alg(PREDICT, params, feedback)
    ignored = [line for line in feedback.infos if line.startswith("Not used by the model, ignored")]
    assert ignored == ["Not used by the model, ignored: SLOPE"]


def test_a_layer_named_with_a_non_year_suffix_is_one_factor_in_training_and_prediction(
    run_alg, feedback, trained, yearly_rasters, tmp_path
):
    """NPP_1750 was the factor 'NPP_1750' in training but the year 1750 of 'NPP' in prediction."""
    from qgis.core import QgsProcessingException

    params = _predict_params(trained[0]["MODEL"], yearly_rasters, tmp_path / "y.tif")
    params["YEARLY_FACTORS"] = [
        *params["YEARLY_FACTORS"],
        write_raster(tmp_path / "NPP_1750.tif", np.ones((ROWS, COLS))),
    ]
    with pytest.raises(
        QgsProcessingException, match="'NPP_1750' has one band but its name is not <factor>_<year>"
    ):
        run_alg(PREDICT, params, feedback)

"""The carbon model beyond the paper through processing.run: model kinds, spatial cross-validation, the
prediction interval, the area of applicability and storage confidence intervals (issue 15)."""

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal, osr
from rasters import read_raster, write_raster

from core.carbon import model, validation
from core.engine import area

pytestmark = pytest.mark.qgis

TRAIN = "carbonsink:traincarbonmodel"
PREDICT = "carbonsink:predictcarbondensity"
STORAGE = "carbonsink:carbonstorage"
X0, Y0, PX = 560000.0, 4250000.0, 30.0
ROWS, COLS = 36, 40
YEARS = (2001, 2002, 2003)
N_POINTS = 260
FAST = {"N_TREES": 25, "MIN_LEAF": 5}


@pytest.fixture(scope="module")
def grids():
    """Yearly NPP (rising; in 2003 the east quarter far above anything trained on), static DEM."""
    rng = np.random.default_rng(5)
    rows, cols = np.mgrid[0:ROWS, 0:COLS]
    npp = {y: 250 + 6.0 * cols + rng.normal(0, 20, (ROWS, COLS)) + 10 * (y - 2001) for y in YEARS}
    npp[2003][:, 3 * COLS // 4 :] += 900.0
    dem = 1200 + 15.0 * rows + rng.normal(0, 30, (ROWS, COLS))
    return {"NPP": npp, "DEM": dem}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("carbon_model")


@pytest.fixture(scope="module")
def rasters(grids, folder):
    train = folder / "train"
    train.mkdir()
    yearly = folder / "yearly"
    yearly.mkdir()
    npp = np.stack([grids["NPP"][y] for y in YEARS])
    return {
        "train": [
            write_raster(train / "NPP.tif", grids["NPP"][2001]),
            write_raster(train / "DEM.tif", grids["DEM"]),
        ],
        "NPP": write_raster(yearly / "NPP.tif", npp, descriptions=list(YEARS)),
        "DEM": write_raster(yearly / "DEM.tif", grids["DEM"]),
        "npp": npp,
    }


@pytest.fixture(scope="module")
def points(qgis_app, grids):
    """Points at pixel centres with a carbon density from NPP and DEM plus noise; their X, y and xy."""
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    rng = np.random.default_rng(8)
    flat = rng.choice(ROWS * (3 * COLS // 4), size=N_POINTS, replace=False)  # the west three quarters
    r, c = flat // (3 * COLS // 4), flat % (3 * COLS // 4)
    x, y = X0 + (c + 0.5) * PX, Y0 - (r + 0.5) * PX
    X = np.column_stack([grids["NPP"][2001][r, c], grids["DEM"][r, c]]).astype(np.float32).astype(float)
    target = 0.08 * X[:, 0] + 0.01 * X[:, 1] + rng.normal(0, 2.0, N_POINTS)
    layer = QgsVectorLayer("Point?crs=EPSG:32648&field=cd:double", "plots", "memory")
    feats = []
    for xi, yi, v in zip(x, y, target):
        f = QgsFeature(layer.fields())
        f.setAttributes([float(v)])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(xi), float(yi))))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return {"layer": layer, "X": X, "y": target, "xy": np.column_stack([x, y])}


def _train_params(points, rasters, out, **extra):
    return {
        "SAMPLES": points["layer"],
        "CARBON_FIELD": "cd",
        "FACTORS": rasters["train"],
        "MODEL": str(out / "model.npz"),
        "METRICS": "TEMPORARY_OUTPUT",
        "REPORT": str(out / "model.html"),
        **FAST,
        **extra,
    }


def _run(alg, params, feedback=None):
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    return processing.run(
        alg, params, context=QgsProcessingContext(), feedback=feedback or QgsProcessingFeedback()
    )


def _sets(results):
    return {f["set"]: f for f in results["METRICS"].getFeatures()}


def _report(results):
    return json.loads(Path(results["REPORT"][:-5] + ".json").read_text(encoding="utf-8"))


def _text(data):
    return json.dumps(data, ensure_ascii=False)


@pytest.fixture(scope="module")
def forest_model(points, rasters, folder):
    out = folder / "rf"
    out.mkdir()
    return _run(TRAIN, _train_params(points, rasters, out))


# ---------------------------------------------------------------------------------------------- training
@pytest.mark.parametrize(
    "kind_option, kind",
    [(0, "random_forest"), (1, "hist_gradient_boosting"), (2, "xgboost")],
)
def test_each_kind_is_the_core_fit_with_spatial_cv_interval_and_aoa(
    kind_option, kind, points, rasters, tmp_path
):
    if kind == "xgboost":
        pytest.importorskip("xgboost")
    extra = {"BOOTSTRAP_REPLICATES": 4} if kind != "random_forest" else {}
    results = _run(TRAIN, _train_params(points, rasters, tmp_path, MODEL_KIND=kind_option, **extra))
    assert results["KIND_USED"] == kind and results["N_USED"] == N_POINTS
    sets = _sets(results)
    assert list(sets) == [
        "train",
        "validation",
        *(f"cv_{s}{t}" for s in ("blocks", "random") for t in ("", "_mean", "_sd")),
    ]
    # the same points and settings straight through core give the same model
    block = validation.default_block_size(points["xy"], 5)
    _, fit = model.train_model(points["X"], points["y"], ["NPP", "DEM"], points["xy"], kind=kind, n_trees=25,
                               min_samples_leaf=5, block_size=block, bootstrap_replicates=extra.get("BOOTSTRAP_REPLICATES", 30))  # fmt: skip
    assert results["CV_RMSE"] == pytest.approx(fit.cv["blocks"]["pooled"]["rmse"], rel=1e-9)
    assert sets["validation"]["r2"] == pytest.approx(fit.metrics["validation"]["r2"], rel=1e-9)
    assert sets["cv_random"]["rmse"] == pytest.approx(fit.cv["random"]["pooled"]["rmse"], rel=1e-9)
    cm = model.load_model(results["MODEL"])
    assert cm.kind == kind and cm.has_interval and cm.has_applicability
    assert cm.interval["level"] == pytest.approx(0.9)
    assert cm.n_replicates == (25 if kind == "random_forest" else 4)
    data = _report(results)
    text = _text(data)
    for heading in ("Accuracy: random hold-out and cross-validation", "Spatial structure of the residuals",
                    "Prediction interval", "Area of applicability"):  # fmt: skip
        assert heading in text
    assert f"{cm.applicability.threshold:.3f}" in Path(results["REPORT"]).read_text(encoding="utf-8")


def test_cv_schemes_and_block_size(points, rasters, tmp_path, feedback, run_alg):
    clusters = run_alg(TRAIN, _train_params(points, rasters, tmp_path, CV_SCHEME=2, CV_FOLDS=4, REPORT=None))
    assert {"cv_clusters", "cv_random"} <= set(_sets(clusters))
    plain = run_alg(TRAIN, _train_params(points, rasters, tmp_path, CV_SCHEME=0, REPORT=None))
    assert [s for s in _sets(plain) if s.startswith("cv")] == ["cv_random", "cv_random_mean", "cv_random_sd"]
    blocks = run_alg(TRAIN, _train_params(points, rasters, tmp_path, BLOCK_SIZE=240.0, REPORT=None), feedback)
    _, fit = model.train_model(points["X"], points["y"], ["NPP", "DEM"], points["xy"], n_trees=25,
                               min_samples_leaf=5, block_size=240.0)  # fmt: skip
    assert blocks["CV_RMSE"] == pytest.approx(fit.cv["blocks"]["pooled"]["rmse"], rel=1e-9)
    assert any("Moran's I of the out-of-fold residuals" in line for line in feedback.infos)
    assert any("dissimilarity index threshold" in line for line in feedback.infos)


def test_compare_all_keeps_the_lowest_cross_validated_rmse(points, rasters, tmp_path):
    results = _run(TRAIN, _train_params(points, rasters, tmp_path, MODEL_KIND=3, BOOTSTRAP_REPLICATES=0))
    sets = _sets(results)
    compared = {s[len("compare_") :]: f["rmse"] for s, f in sets.items() if s.startswith("compare_")}
    expected = {"random_forest", "hist_gradient_boosting"} | ({"xgboost"} if _has_xgboost() else set())
    assert set(compared) == expected
    assert results["KIND_USED"] == min(compared, key=compared.get)
    assert sets["cv_blocks"]["rmse"] == pytest.approx(compared[results["KIND_USED"]])
    assert "Model kinds compared" in _text(_report(results))


def _has_xgboost():
    try:
        import xgboost  # noqa: F401
    except ImportError:
        return False
    return True


def test_xgboost_missing_gives_the_install_hint(points, rasters, tmp_path, monkeypatch, feedback, run_alg):
    from qgis.core import QgsProcessingException

    monkeypatch.setitem(sys.modules, "xgboost", None)  # import xgboost raises ImportError
    with pytest.raises(QgsProcessingException, match=r"MODEL_KIND: .*xgboost.*pip install xgboost"):
        run_alg(TRAIN, _train_params(points, rasters, tmp_path, MODEL_KIND=2))
    assert not (tmp_path / "model.npz").exists()
    results = run_alg(TRAIN, _train_params(points, rasters, tmp_path, MODEL_KIND=3, REPORT=None), feedback)
    assert results["KIND_USED"] in ("random_forest", "hist_gradient_boosting")
    assert any("XGBoost is not installed" in line for line in feedback.infos)


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"BLOCK_SIZE": 1.0e6}, r"BLOCK_SIZE 1e\+06 is larger than the region of the points"),
        ({"CV_FOLDS": 1}, r"CV_FOLDS"),
        ({"INTERVAL_LEVEL": 1.5}, r"INTERVAL_LEVEL"),
    ],
)
def test_bad_settings_stop_naming_the_parameter(extra, message, points, rasters, tmp_path, run_alg):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match=message):
        run_alg(TRAIN, _train_params(points, rasters, tmp_path, **extra))


def test_too_few_points_for_the_folds_name_cv_folds(qgis_app, rasters, tmp_path, run_alg):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsProcessingException, QgsVectorLayer

    layer = QgsVectorLayer("Point?crs=EPSG:32648&field=cd:double", "few", "memory")
    feats = []
    for i in range(12):
        f = QgsFeature(layer.fields())
        f.setAttributes([10.0 + i])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(X0 + 15 + 60 * i, Y0 - 15 - 30 * i)))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    params = _train_params(
        {"layer": layer}, rasters, tmp_path, CV_FOLDS=10, VALIDATION_FRACTION=0.0, CV_SCHEME=0
    )
    with pytest.raises(QgsProcessingException, match=r"Layer 'few' .*CV_FOLDS"):
        run_alg(TRAIN, params)


# -------------------------------------------------------------------------------------------- prediction
def _predict_params(model_path, rasters, out, **outputs):
    return {
        "MODEL": model_path,
        "STATIC_FACTORS": [rasters["DEM"]],
        "YEARLY_FACTORS": [rasters["NPP"]],
        "CARBON_DENSITY": str(out / "cd.tif"),
        **{k: str(out / f"{v}.tif") for k, v in outputs.items()},
    }


ALL_OUTPUTS = {
    "CARBON_DENSITY_LOWER": "lower",
    "CARBON_DENSITY_UPPER": "upper",
    "DISSIMILARITY_INDEX": "di",
    "AREA_OF_APPLICABILITY": "aoa",
}


@pytest.fixture(scope="module")
def predicted(forest_model, rasters, folder):
    from qgis.core import QgsProcessingFeedback

    out = folder / "predicted"
    out.mkdir()

    class Recorder(QgsProcessingFeedback):
        warnings, infos = [], []

        def pushWarning(self, w):  # noqa: N802
            self.warnings.append(w)

        def pushInfo(self, i):  # noqa: N802
            self.infos.append(i)

    fb = Recorder()
    res = _run(PREDICT, _predict_params(forest_model["MODEL"], rasters, out, **ALL_OUTPUTS), fb)
    return res, fb, out


def test_prediction_interval_di_and_aoa_are_the_model_s(predicted, forest_model, rasters, grids):
    res, _, out = predicted
    cm = model.load_model(forest_model["MODEL"])
    got = {k: read_raster(res[k]) for k in ("CARBON_DENSITY", *ALL_OUTPUTS)}
    for k in range(len(YEARS)):
        X = np.stack([rasters["npp"][k], grids["DEM"]]).reshape(2, -1).astype(np.float32)
        want = cm.predict_block(X, interval=True, applicability=True)
        for name, key in (("CARBON_DENSITY", "density"), ("CARBON_DENSITY_LOWER", "lower"),
                          ("CARBON_DENSITY_UPPER", "upper"), ("DISSIMILARITY_INDEX", "di"),
                          ("AREA_OF_APPLICABILITY", "aoa")):  # fmt: skip
            np.testing.assert_array_equal(got[name][k].ravel(), want[key].astype(np.float32))
    assert (got["CARBON_DENSITY_LOWER"] <= got["CARBON_DENSITY"]).all()
    assert (got["CARBON_DENSITY"] <= got["CARBON_DENSITY_UPPER"]).all()
    assert set(np.unique(got["AREA_OF_APPLICABILITY"]).tolist()) == {0.0, 1.0}
    for name in ("cd", *ALL_OUTPUTS.values()):
        assert (out / f"{name}.qml").exists(), name
    ds = gdal.Open(res["CARBON_DENSITY_LOWER"])
    assert [ds.GetRasterBand(b).GetDescription() for b in (1, 2, 3)] == ["2001", "2002", "2003"]


def test_prediction_logs_and_warns_about_extrapolation(predicted, rasters):
    res, fb, _ = predicted
    aoa = read_raster(res["AREA_OF_APPLICABILITY"])
    outside = (aoa == 0).any(axis=0).mean() * 100
    assert res["OUTSIDE_AOA_PERCENT"] == pytest.approx(outside)
    assert res["OUTSIDE_RANGE_PERCENT"] >= 25.0  # the east quarter in 2003, and more
    assert any("outside the range of the training points" in w for w in fb.warnings)
    assert any("outside the area of applicability" in w for w in fb.warnings + fb.infos)


def test_interval_asked_of_a_model_without_one_names_the_output(points, rasters, tmp_path, run_alg):
    from qgis.core import QgsProcessingException

    trained = run_alg(TRAIN, _train_params(points, rasters, tmp_path, INTERVAL_LEVEL=0.0, REPORT=None))
    assert not model.load_model(trained["MODEL"]).has_interval
    with pytest.raises(
        QgsProcessingException, match="CARBON_DENSITY_LOWER: model 'model.npz' has no prediction interval"
    ):
        run_alg(PREDICT, _predict_params(trained["MODEL"], rasters, tmp_path, CARBON_DENSITY_LOWER="lo"))


# ----------------------------------------------------------------------------------------------- storage
def _rows(layer):
    names = [f.name() for f in layer.fields()]
    return [dict(zip(names, f.attributes())) for f in layer.getFeatures()]


@pytest.fixture(scope="module")
def storage_runs(predicted, forest_model, rasters):
    res = predicted[0]
    base = {"CARBON_DENSITY": [res["CARBON_DENSITY"]], "STORAGE_TABLE": "TEMPORARY_OUTPUT",
            "STORAGE_TRENDS": "TEMPORARY_OUTPUT"}  # fmt: skip
    plain = _run(STORAGE, base)
    with_ci = _run(
        STORAGE,
        base
        | {
            "MODEL": forest_model["MODEL"],
            "STATIC_FACTORS": [rasters["DEM"]],
            "YEARLY_FACTORS": [rasters["NPP"]],
            "AREA_OF_APPLICABILITY": res["AREA_OF_APPLICABILITY"],
            "CONFIDENCE_LEVEL": 0.95,
            "REPORT": str(predicted[2] / "storage.html"),
        },
    )
    return plain, with_ci


def test_storage_confidence_intervals_are_the_replicates(
    storage_runs, predicted, forest_model, rasters, grids
):
    plain, with_ci = storage_runs
    rows = _rows(with_ci["STORAGE_TABLE"])
    assert {r["aoa"] for r in rows} == {"all", "inside AOA", "outside AOA"}
    every = [r for r in rows if r["aoa"] == "all"]
    # the estimate is the same with and without the model
    assert [r["storage_t"] for r in every] == pytest.approx(
        [r["storage_t"] for r in _rows(plain["STORAGE_TABLE"])]
    )
    # independent of the block engine: the replicate totals of the whole grid at once
    cm = model.load_model(forest_model["MODEL"])
    density = read_raster(predicted[0]["CARBON_DENSITY"]).reshape(3, -1)
    X = np.stack([np.stack([rasters["npp"][k], grids["DEM"]]).reshape(2, -1) for k in range(3)]).astype(
        np.float32
    )
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32648)
    areas = area.pixel_areas(srs.ExportToWkt(), (X0, PX, 0, Y0, 0, -PX), (0, 0, COLS, ROWS)).ravel()
    acc = model.StorageAccumulator(cm, 3).add(X, density, areas)
    want = acc.results(YEARS, 0.95)
    assert [r["storage_se_t"] for r in every] == pytest.approx(want["total_se"][0], rel=1e-6)
    assert [r["storage_lower_t"] for r in every] == pytest.approx(want["total_lower"][0], rel=1e-6)
    for r in every:
        assert r["storage_lower_t"] < r["storage_t"] < r["storage_upper_t"]
    trends = [r for r in _rows(with_ci["STORAGE_TRENDS"]) if r["aoa"] == "all"]
    total = next(r for r in trends if r["variable"] == "total storage")
    assert total["slope_lower"] < total["slope"] < total["slope_upper"]
    assert total["slope_se"] == pytest.approx(want["slope_se"][0], rel=1e-6)
    assert with_ci["STORAGE_TREND_T_PER_YEAR_LOWER"] == pytest.approx(total["slope_lower"])
    assert plain["STORAGE_TREND_T_PER_YEAR_LOWER"] is None


def test_storage_inside_and_outside_the_aoa_add_up(storage_runs):
    _, with_ci = storage_runs
    rows = _rows(with_ci["STORAGE_TABLE"])
    for year in YEARS:
        part = {r["aoa"]: r for r in rows if r["year"] == year}
        assert part["inside AOA"]["storage_t"] + part["outside AOA"]["storage_t"] == pytest.approx(
            part["all"]["storage_t"]
        )
        assert part["inside AOA"]["area_hm2"] + part["outside AOA"]["area_hm2"] == pytest.approx(
            part["all"]["area_hm2"]
        )
    text = _text(_report({"REPORT": with_ci["REPORT"]}))
    assert "Confidence intervals and area of applicability" in text and "95%" in text


def test_storage_bad_model_inputs_are_named(predicted, forest_model, rasters, points, tmp_path, run_alg):
    from qgis.core import QgsProcessingException

    density = [predicted[0]["CARBON_DENSITY"]]
    with pytest.raises(QgsProcessingException, match="MODEL is given: give its factor rasters"):
        run_alg(
            STORAGE,
            {"CARBON_DENSITY": density, "MODEL": forest_model["MODEL"], "STORAGE_TABLE": "TEMPORARY_OUTPUT"},
        )
    one_tree = run_alg(TRAIN, _train_params(points, rasters, tmp_path, N_TREES=1, REPORT=None))
    with pytest.raises(QgsProcessingException, match="MODEL: model 'model.npz' has no bootstrap replicates"):
        run_alg(STORAGE, {"CARBON_DENSITY": density, "MODEL": one_tree["MODEL"], "STATIC_FACTORS": [rasters["DEM"]],
                          "YEARLY_FACTORS": [rasters["NPP"]], "STORAGE_TABLE": "TEMPORARY_OUTPUT"})  # fmt: skip
    with pytest.raises(QgsProcessingException, match="Yearly factor 'NPP' has no raster for year 2004"):
        two = write_raster(
            tmp_path / "cd4.tif", np.full((4, ROWS, COLS), 30.0), descriptions=[2001, 2002, 2003, 2004]
        )
        run_alg(STORAGE, {"CARBON_DENSITY": [two], "MODEL": forest_model["MODEL"], "STATIC_FACTORS": [rasters["DEM"]],
                          "YEARLY_FACTORS": [rasters["NPP"]], "STORAGE_TABLE": "TEMPORARY_OUTPUT"})  # fmt: skip

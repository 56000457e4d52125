"""The carbon-model API (core/carbon/model.py): training with validation, interval and area of
applicability, model files of every kind and version, and the bad inputs the issue names."""

import builtins
import json
from pathlib import Path

import numpy as np
import pytest

from core.carbon import boosting, forest, model

sklearn = pytest.importorskip("sklearn")

FACTORS = ["NPP", "NDVI", "DEM"]
DATA = Path(__file__).resolve().parents[3] / "test" / "data" / "forest"


def _points(n=240, seed=0):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 50_000, (n, 2))
    X = np.column_stack([rng.uniform(100, 600, n), rng.uniform(0.05, 0.8, n), 1100 + xy[:, 1] / 25])
    y = 0.08 * X[:, 0] + 30 * X[:, 1] + 0.005 * X[:, 2] + rng.normal(0, 2, n)
    return X, y, xy


FAST = {"n_trees": 20, "permutation_repeats": 2, "bootstrap_replicates": 3}


@pytest.fixture(scope="module")
def rf_trained():
    X, y, xy = _points()
    return (X, y, xy, *model.train_model(X, y, FACTORS, xy, kind="random_forest", block_size=10_000, **FAST))


def test_the_forest_is_the_one_fit_random_forest_grows(rf_trained):
    X, y, xy, trained, report = rf_trained
    rf, fit = forest.fit_random_forest(X, y, FACTORS, n_trees=20, validation_fraction=0.1, seed=42)
    np.testing.assert_array_equal(report.train_index, fit.train_index)
    q = np.random.default_rng(1).uniform([100, 0, 1100], [600, 0.8, 3100], (3000, 3))
    np.testing.assert_array_equal(trained.carbon_model().predict(q), rf.predict(q))
    assert report.metrics == fit.metrics
    assert report.kind == "random_forest" and report.settings["max_depth"] == 10


def test_report_holds_both_validations_moran_interval_and_applicability(rf_trained):
    X, y, xy, trained, report = rf_trained
    assert set(report.cv) == {"blocks", "random"}
    for cv in report.cv.values():
        assert cv["folds"] == 5 and set(cv["pooled"]) == {"r2", "mae", "rmse", "n"}
    assert report.residual_moran["n"] == report.train_index.size and report.residual_moran["k"] == 8
    assert report.interval["level"] == 0.9 and 0.85 < report.interval["cv_coverage"] < 0.95
    assert "validation_coverage" in report.interval
    assert report.applicability["threshold"] > 0
    assert report.importance["permutation_mean"][0] > report.importance["permutation_mean"][2]
    assert report.comparison == [{"kind": "random_forest", **{k: report.cv["blocks"]["pooled"][k]
                                                              for k in ("r2", "mae", "rmse")}, "chosen": True}]  # fmt: skip
    json.dumps(report.to_meta())  # serialisable


def test_save_load_predict_with_interval_and_applicability(rf_trained, tmp_path):
    X, y, xy, trained, report = rf_trained
    path = tmp_path / "model.npz"
    meta = model.save_model(path, trained, {"units": {"NPP": "gC/m2/yr"}, "target": "carbon"}, report)
    assert meta["model_kind"] == "random_forest" and meta["format_version"] == 2
    assert meta["interval"]["correction"] == trained.interval["correction"]
    loaded = model.load_model(path)
    assert loaded.has_interval and loaded.has_applicability and loaded.n_replicates == 20
    q = np.random.default_rng(2).uniform([0, 0, 900], [800, 1, 3500], (5000, 3)).T
    q[1, 7] = np.nan
    a = loaded.predict_block(q, interval=True, applicability=True)
    b = trained.carbon_model().predict_block(q, interval=True, applicability=True)
    for key in ("density", "lower", "upper", "di", "aoa"):
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)
        assert np.isnan(a[key][7])
    ok = ~np.isnan(a["density"])
    assert np.all(a["lower"][ok] <= a["upper"][ok]) and np.all(a["lower"][ok] >= 0)
    assert set(np.unique(a["aoa"][ok])) <= {0.0, 1.0} and (a["aoa"][ok] == 0).any()  # some pixels extrapolate
    np.testing.assert_array_equal(a["density"], forest.predict_block(forest.load_model(path)[0], q))


def test_best_kind_is_chosen_on_the_same_folds():
    X, y, xy = _points(200, seed=3)
    trained, report = model.train_model(X, y, FACTORS, xy, kind="best", cv_scheme="clusters", **FAST)
    kinds = [row["kind"] for row in report.comparison]
    assert kinds == ["random_forest", "hist_gradient_boosting"]
    best = min(report.comparison, key=lambda r: r["rmse"])
    assert best["chosen"] and trained.kind == best["kind"] == report.kind
    # the comparison of a kind equals its own cross-validation on these folds
    _, alone = model.train_model(X, y, FACTORS, xy, kind=best["kind"], cv_scheme="clusters", **FAST)
    assert alone.cv["clusters"]["pooled"]["rmse"] == best["rmse"]
    np.testing.assert_array_equal(alone.folds, report.folds)


def test_boosting_model_with_quantile_models_and_replicates(tmp_path):
    X, y, xy = _points(200, seed=4)
    trained, report = model.train_model(
        X, y, FACTORS, xy, kind="hist_gradient_boosting", block_size=10_000, **FAST
    )
    assert [e.role for e in trained.ensembles] == [
        "mean",
        "lower",
        "upper",
        "replicate",
        "replicate",
        "replicate",
    ]
    path = tmp_path / "hgb.npz"
    model.save_model(path, trained, {}, report)
    cm = model.load_model(path)
    assert cm.kind == "hist_gradient_boosting" and cm.n_replicates == 3
    q = X[:50].T
    w = np.full(50, 0.09)
    g = np.arange(50) % 2
    sums = cm.replicate_sums(q, w, g, 2)
    for r, p in enumerate(cm._replicates):
        pred = p.predict(X[:50])
        np.testing.assert_allclose(sums[:, r], [np.sum(0.09 * pred[g == k]) for k in (0, 1)])
    # the bootstrap replicates are seeded: the same seed, the same replicates
    again, _ = model.train_model(X, y, FACTORS, xy, kind="hist_gradient_boosting", block_size=10_000, **FAST)
    for e1, e2 in zip(trained.ensembles, again.ensembles):
        np.testing.assert_array_equal(e1.arrays["value"], e2.arrays["value"])


def test_xgboost_kind_end_to_end(tmp_path):
    xgb = pytest.importorskip("xgboost", reason="xgboost is not installed (optional dependency)")
    X, y, xy = _points(150, seed=5)
    trained, report = model.train_model(X, y, FACTORS, xy, kind="xgboost", block_size=10_000, **FAST)
    path = tmp_path / "xgb.npz"
    meta = model.save_model(path, trained, {}, report)
    assert meta["model_kind"] == "xgboost" and meta["xgboost_version"] == xgb.__version__
    cm = model.load_model(path)
    booster = boosting.fit_xgboost(X[report.train_index], y[report.train_index], n_trees=20)
    q = X.astype(np.float32)
    np.testing.assert_array_equal(cm.predict(q), booster.predict(xgb.DMatrix(q)).astype(np.float64))


def test_xgboost_missing_stops_with_the_install_hint(monkeypatch):
    real_import = builtins.__import__

    def no_xgboost(name, *args, **kwargs):
        if name.split(".")[0] == "xgboost":
            raise ImportError("No module named 'xgboost'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_xgboost)
    X, y, xy = _points(60)
    with pytest.raises(boosting.MissingPackageError, match="pip install xgboost"):
        model.train_model(X, y, FACTORS, xy, kind="xgboost", block_size=10_000)
    with pytest.raises(boosting.MissingPackageError):
        model.train_model(X, y, FACTORS, xy, kind="best", compare_kinds=("random_forest", "xgboost"),
                          block_size=10_000)  # fmt: skip


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"kind": "lightgbm"}, "model kind 'lightgbm' is unknown"),
        ({"interval_level": 1.0}, r"interval_level must be in \(0, 1\)"),
        ({"interval_level": 0}, r"interval_level must be in \(0, 1\)"),
        ({"block_size": 1e9}, "block_size 1e\\+09 is larger than the region"),
        ({"block_size": None}, "block_size is needed"),
        ({"cv_folds": 40}, "cv_folds: 40-fold cross-validation needs at least 80 points"),
        ({"cv_scheme": "spatial"}, "cv_scheme must be one of"),
        ({"bootstrap_replicates": 1}, "bootstrap_replicates must be 0 or at least 2"),
        ({"learning_rate": 2.0, "kind": "hist_gradient_boosting"}, r"learning_rate must be in \(0, 1\]"),
    ],
)
def test_bad_settings_stop_naming_the_setting(kwargs, message):
    X, y, xy = _points(60)
    settings = {"block_size": 10_000, **kwargs}
    with pytest.raises(ValueError, match=message):
        model.train_model(X, y, FACTORS, xy, **settings)


def test_spatial_folds_need_coordinates():
    X, y, _ = _points(60)
    with pytest.raises(ValueError, match="needs the point coordinates"):
        model.train_model(X, y, FACTORS, kind="random_forest")


def _rewrite(path, edit):
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k].copy() for k in npz.files}
    meta = json.loads(arrays.pop("metadata_json").tobytes().decode())
    edit(arrays, meta)
    meta["sha256"] = forest._content_hash(arrays, meta)
    arrays["metadata_json"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)


def test_unknown_model_kind_or_role_in_a_file_is_refused(rf_trained, tmp_path):
    *_, trained, report = rf_trained
    path = tmp_path / "m.npz"
    model.save_model(path, trained, {}, report)
    _rewrite(path, lambda a, m: m.update(model_kind="lightgbm"))
    with pytest.raises(ValueError, match=r"model file .*m\.npz: model kind 'lightgbm' is unknown"):
        model.load_model(path)
    model.save_model(path, trained, {}, report)
    _rewrite(path, lambda a, m: m["ensembles"][0].update(role="median"))
    with pytest.raises(ValueError, match="role 'mean'"):
        model.load_model(path)
    model.save_model(path, trained, {}, report)
    _rewrite(path, lambda a, m: m["interval"].update(level=1.5))
    with pytest.raises(ValueError, match=r"model file .*interval_level must be in"):
        model.load_model(path)
    model.save_model(path, trained, {}, report)
    _rewrite(path, lambda a, m: a.pop("train_fold"))
    with pytest.raises(ValueError, match="training arrays incomplete"):
        model.load_model(path)


def test_a_version_1_model_file_loads_without_interval_or_applicability():
    path = DATA / "rf-sklearn-1.2.1.npz"
    cm = model.load_model(path)
    expected = np.load(path.with_suffix(".expected.npz"), allow_pickle=False)
    assert cm.kind == "random_forest" and cm.meta["format_version"] == 1
    assert not cm.has_interval and not cm.has_applicability and cm.n_replicates == 6
    np.testing.assert_array_equal(cm.predict_block(expected["X"].T)["density"], expected["predicted"])
    with pytest.raises(ValueError, match="no prediction interval: retrain"):
        cm.predict_block(expected["X"].T, interval=True)
    with pytest.raises(ValueError, match="no area of applicability"):
        cm.predict_block(expected["X"].T, applicability=True)

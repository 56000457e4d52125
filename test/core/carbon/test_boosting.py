"""Gradient boosting as tree arrays (core/carbon/boosting.py): the library's own predictions, bit for bit.

scikit-learn's HistGradientBoostingRegressor runs wherever scikit-learn does (CI: Debian 12's 1.2.1 and
1.9 from PyPI on Debian 13); the XGBoost tests run when ``import xgboost`` works and are skipped only
then, and a separate test proves the message a user gets without it.
"""

import builtins
import json

import numpy as np
import pytest

from core.carbon import boosting, forest

FACTORS = ["NPP", "NDVI", "AP", "MAT", "DEM"]


def _data(n=400, seed=0):
    rng = np.random.default_rng(seed)
    X = np.column_stack(
        [
            rng.uniform(100, 600, n),
            rng.uniform(0.05, 0.8, n),
            rng.uniform(150, 700, n),
            rng.uniform(2, 12, n),
            rng.uniform(1100, 3500, n),
        ]
    )
    y = 0.08 * X[:, 0] + 30 * X[:, 1] + 5 * np.sin(X[:, 3]) + rng.normal(0, 2, n)
    return X, y


def _queries(model_arrays, n=20000, seed=5):
    """Random pixels plus pixels exactly on, and one float step either side of, the thresholds."""
    X, _ = _data(n, seed)
    inner = np.flatnonzero(model_arrays["children_left"] != -1)[:600]
    rows = []
    for k, node in enumerate(inner):
        f, t = model_arrays["feature"][node], model_arrays["threshold"][node]
        for v in (t, np.nextafter(t, -np.inf), np.nextafter(t, np.inf)):
            row = X[k % n].copy()
            row[f] = v
            rows.append(row)
    return np.vstack([X, np.asarray(rows)])


# ------------------------------------------------------------------------------ HistGradientBoosting
sklearn = pytest.importorskip("sklearn")


@pytest.mark.parametrize("quantile", [None, 0.1])
@pytest.mark.parametrize("table_cells", [forest.TABLE_CELLS_PER_TREE, 0])
def test_hist_gradient_boosting_predicts_like_sklearn_bit_for_bit(quantile, table_cells):
    X, y = _data()
    model = boosting.fit_hist_gradient_boosting(X, y, n_trees=60, min_samples_leaf=10, quantile=quantile)
    arrays, base = boosting.hist_gradient_boosting_trees(model)
    predictor = forest.predictor_from_arrays(arrays, FACTORS, "hist_gradient_boosting", base, table_cells)
    assert predictor.tabulated.all() if table_cells else not predictor.tabulated.any()
    q = _queries(arrays)
    got = forest.predict_block(predictor, q.T)
    np.testing.assert_array_equal(got, model.predict(q))
    # float32 rasters: HistGradientBoosting compares them as float64, and so do we
    q32 = q.astype(np.float32)
    np.testing.assert_array_equal(forest.predict_block(predictor, q32.T), model.predict(q32))


def test_hist_gradient_boosting_mixed_tables_and_walk_and_any_width():
    X, y = _data(3000, seed=3)
    model = boosting.fit_hist_gradient_boosting(X, y, n_trees=25, min_samples_leaf=2, max_leaf_nodes=63)
    arrays, base = boosting.hist_gradient_boosting_trees(model)
    cells = forest.predictor_from_arrays(arrays, FACTORS, "hist_gradient_boosting", base).cells
    limit = int(np.median(cells))
    predictor = forest.predictor_from_arrays(arrays, FACTORS, "hist_gradient_boosting", base, limit)
    assert 0 < predictor.tabulated.sum() < predictor.n_trees
    q = _queries(arrays, 9000)
    np.testing.assert_array_equal(forest.predict_block(predictor, q.T), model.predict(q))
    for n in (1, 2, forest._CHUNK + 1):
        np.testing.assert_array_equal(forest.predict_block(predictor, q[:n].T), model.predict(q[:n]))


def test_hist_gradient_boosting_model_file_round_trip(tmp_path):
    X, y = _data()
    model = boosting.fit_hist_gradient_boosting(X, y, n_trees=30)
    arrays, base = boosting.hist_gradient_boosting_trees(model)
    path = tmp_path / "hgb.npz"
    meta = forest.write_model_file(
        path, "hist_gradient_boosting", [forest.Ensemble("mean", arrays, base)], {"factors": FACTORS}
    )
    assert meta["model_kind"] == "hist_gradient_boosting" and meta["n_trees"] == 30
    predictor, loaded = forest.load_model(path)
    assert loaded == meta and predictor.kind.name == "hist_gradient_boosting"
    q = _queries(arrays, 3000)
    np.testing.assert_array_equal(predictor.predict(q), model.predict(q))


def test_hist_gradient_boosting_settings_are_checked():
    X, y = _data(50)
    with pytest.raises(ValueError, match="learning_rate must be in"):
        boosting.fit_hist_gradient_boosting(X, y, learning_rate=0)
    with pytest.raises(ValueError, match="quantile must be in"):
        boosting.fit_hist_gradient_boosting(X, y, quantile=1.0)
    with pytest.raises(ValueError, match="no predictors"):
        boosting.hist_gradient_boosting_trees(object())


# --------------------------------------------------------------------------------------------- XGBoost
def test_missing_xgboost_names_the_package_and_how_to_install_it(monkeypatch):
    real_import = builtins.__import__

    def no_xgboost(name, *args, **kwargs):
        if name == "xgboost" or name.startswith("xgboost."):
            raise ImportError("No module named 'xgboost'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_xgboost)
    assert not boosting.xgboost_available()
    X, y = _data(50)
    with pytest.raises(boosting.MissingPackageError, match="needs the Python package xgboost") as info:
        boosting.fit_xgboost(X, y)
    assert info.value.package == "xgboost"
    assert "pip install xgboost" in str(info.value) and "hist_gradient_boosting" in str(info.value)


def _xgb():
    return pytest.importorskip("xgboost", reason="xgboost is not installed (optional dependency)")


@pytest.mark.parametrize("quantile", [None, 0.9])
@pytest.mark.parametrize("table_cells", [forest.TABLE_CELLS_PER_TREE, 0])
def test_xgboost_predicts_like_xgboost_bit_for_bit(quantile, table_cells):
    xgb = _xgb()
    X, y = _data()
    booster = boosting.fit_xgboost(X, y, n_trees=50, min_samples_leaf=5, max_depth=4, quantile=quantile)
    arrays, base = boosting.xgboost_trees(booster, len(FACTORS))
    predictor = forest.predictor_from_arrays(arrays, FACTORS, "xgboost", base, table_cells)
    q = _queries(arrays)
    expected = booster.predict(xgb.DMatrix(q.astype(np.float32)))
    assert expected.dtype == np.float32
    np.testing.assert_array_equal(forest.predict_block(predictor, q.T), expected.astype(np.float64))
    # XGBoost's own split conditions, hit exactly: x < t goes left in XGBoost and here
    doc = json.loads(bytes(booster.save_raw("json")))
    t0 = doc["learner"]["gradient_booster"]["model"]["trees"][0]
    hits = np.repeat(q[:1], 40, axis=0).astype(np.float32)
    for k, (f, c) in enumerate(zip(t0["split_indices"][:40], t0["split_conditions"][:40])):
        hits[k, f] = np.float32(c)
    np.testing.assert_array_equal(
        forest.predict_block(predictor, hits.T), booster.predict(xgb.DMatrix(hits)).astype(np.float64)
    )


def test_xgboost_depth_unlimited_and_model_file(tmp_path):
    xgb = _xgb()
    X, y = _data(2000, seed=1)
    booster = boosting.fit_xgboost(X, y, n_trees=20, min_samples_leaf=1, max_depth=None)
    arrays, base = boosting.xgboost_trees(booster, len(FACTORS))
    path = tmp_path / "xgb.npz"
    forest.write_model_file(path, "xgboost", [forest.Ensemble("mean", arrays, base)], {"factors": FACTORS})
    predictor, meta = forest.load_model(path)
    assert meta["model_kind"] == "xgboost"
    q = _queries(arrays, 5000).astype(np.float32)
    np.testing.assert_array_equal(predictor.predict(q), booster.predict(xgb.DMatrix(q)).astype(np.float64))


def test_xgboost_json_is_checked():
    with pytest.raises(ValueError, match="not an XGBoost JSON model"):
        boosting.xgboost_trees(b'{"learner": {}}', 5)
    doc = {
        "learner": {
            "gradient_booster": {"name": "gblinear", "model": {}},
            "objective": {"name": "reg:squarederror"},
            "learner_model_param": {"base_score": "5E-1", "num_feature": "5"},
        }
    }
    with pytest.raises(ValueError, match="only tree boosters"):
        boosting.xgboost_trees(json.dumps(doc), 5)
    doc["learner"]["gradient_booster"]["name"] = "gbtree"
    doc["learner"]["objective"]["name"] = "binary:logistic"
    with pytest.raises(ValueError, match="identity link"):
        boosting.xgboost_trees(json.dumps(doc), 5)


def test_a_model_file_of_xgboost_kind_must_hold_float32_values(tmp_path):
    X, y = _data(100)
    model = boosting.fit_hist_gradient_boosting(X, y, n_trees=3)
    arrays, base = boosting.hist_gradient_boosting_trees(model)  # float64 leaf values
    with pytest.raises(ValueError, match="not float32 numbers"):
        forest.write_model_file(
            tmp_path / "m.npz", "xgboost", [forest.Ensemble("mean", arrays, base)], {"factors": FACTORS}
        )

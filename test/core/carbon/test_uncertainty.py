"""Prediction intervals (core/carbon/uncertainty.py and the interval of core/carbon/model.py): leaf
quantiles against a brute-force quantile regression forest, the conformal correction by hand, and the
coverage of the calibrated interval on synthetic data with known noise."""

import numpy as np
import pytest

from core.carbon import forest, model, uncertainty

sklearn = pytest.importorskip("sklearn")
from sklearn.ensemble import RandomForestRegressor  # noqa: E402


def test_interval_level_outside_0_1_is_refused_by_name():
    for level in (0.0, 1.0, 1.5, -0.2):
        with pytest.raises(ValueError, match="interval_level must be in \\(0, 1\\)"):
            uncertainty.interval_quantiles(level)
    assert uncertainty.interval_quantiles(0.8) == (0.1, 0.9)


def test_leaf_quantiles_average_equals_brute_force_over_sklearn_leaves():
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 1, (300, 3))
    y = 10 * X[:, 0] + rng.normal(0, 1, 300)
    rf = RandomForestRegressor(n_estimators=8, min_samples_leaf=10, random_state=1).fit(X, y)
    predictor = forest.predictor_from_model(rf)
    values = uncertainty.leaf_quantile_values(predictor, X, y, [0.1, 0.9])
    predictor.add_value_sets({"lo": values[0.1], "hi": values[0.9]})
    q = rng.uniform(0, 1, (500, 3))
    got = forest.predict_block_sets(predictor, q.T, ("value", "lo", "hi"))
    # brute force: sklearn's own leaves of the training points and of the queries, numpy quantiles
    train_leaf, query_leaf = rf.apply(X.astype(np.float32)), rf.apply(q.astype(np.float32))
    for name, level in (("lo", 0.1), ("hi", 0.9)):
        expected = np.zeros(500)
        for t in range(8):
            per_leaf = {
                leaf: np.quantile(y[train_leaf[:, t] == leaf], level) for leaf in np.unique(train_leaf[:, t])
            }
            expected += np.array([per_leaf[leaf] for leaf in query_leaf[:, t]])
        np.testing.assert_allclose(got[name], expected / 8, rtol=1e-12)
    np.testing.assert_array_equal(got["value"], rf.predict(q))  # the mean is untouched


def test_conformal_correction_is_the_ranked_score():
    y = np.arange(10.0)
    lo, hi = y - 1, y + 1  # every score -1
    assert uncertainty.conformal_correction(y, lo, hi, 0.9) == -1.0
    scores = np.array([3.0, -1, 0.5, 2, -0.2, 1, 0, 4, -3, 0.1])
    lo, hi = y + scores, y + scores + 10  # max(lo − y, y − hi) = max(s, −s − 10) = s
    # ⌈0.8 · 11⌉ = 9th smallest of the scores
    assert uncertainty.conformal_correction(y, lo, hi, 0.8) == np.sort(scores)[8]
    # level too high for n: the largest score
    assert uncertainty.conformal_correction(y, lo, hi, 0.99) == scores.max()


def _synthetic(n, rng, sigma):
    X = rng.uniform(0, 1, (n, 5))
    f = 10 * np.sin(np.pi * X[:, 0] * X[:, 1]) + 20 * (X[:, 2] - 0.5) ** 2 + 10 * X[:, 3] + 5 * X[:, 4]
    return X, f + 40 + rng.normal(0, sigma, n)  # + 40: a density, never negative


@pytest.mark.parametrize("kind", ["random_forest", "hist_gradient_boosting"])
def test_calibrated_interval_covers_new_points_close_to_its_level(kind):
    """Friedman's function, Gaussian noise of known sd 3; 700 training points, 6000 new points."""
    rng = np.random.default_rng(11)
    X, y = _synthetic(700, rng, 3.0)
    Xn, yn = _synthetic(6000, rng, 3.0)
    coverages = {}
    for level in (0.8, 0.9):
        trained, report = model.train_model(
            X, y, list("abcde"), kind=kind, cv_scheme="random", validation_fraction=0.0, interval_level=level,
            applicability=False, bootstrap_replicates=0, n_trees=60 if kind == "random_forest" else 100,
            permutation_repeats=1,
        )  # fmt: skip
        got = trained.carbon_model().predict_block(Xn.T, interval=True)
        coverages[level] = uncertainty.coverage(yn, got["lower"], got["upper"])
        assert report.interval["level"] == level
        assert abs(report.interval["cv_coverage"] - level) < 0.02  # calibrated on the folds by construction
        assert np.all(got["lower"] <= got["upper"])
        # an interval of a Gaussian of sd 3 cannot be narrower than the noise alone
        width = np.mean(got["upper"] - got["lower"])
        assert width > 2 * 3.0 * {0.8: 1.2816, 0.9: 1.6449}[level] * 0.9
    assert abs(coverages[0.8] - 0.8) < 0.04, coverages
    assert abs(coverages[0.9] - 0.9) < 0.03, coverages


def test_interval_floor_and_crossing():
    lo, hi = uncertainty.apply_interval([-1.0, 2.0, np.nan], [3.0, 1.0, 5.0], 0.5)
    np.testing.assert_array_equal(lo, [0.0, 0.5, np.nan])
    np.testing.assert_array_equal(hi, [3.5, 2.5, np.nan])
    lo, hi = uncertainty.apply_interval([-1.0], [3.0], 0.5, floor=None)
    assert lo[0] == -1.5

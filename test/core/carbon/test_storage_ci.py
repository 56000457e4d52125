"""Confidence intervals of storage totals and trends (core/carbon/storage.py, StorageAccumulator in
core/carbon/model.py): by hand, and the per-tree totals against scikit-learn's own trees."""

import numpy as np
import pytest
from scipy.special import ndtri

from core.carbon import forest, model, storage

sklearn = pytest.importorskip("sklearn")
from sklearn.ensemble import RandomForestRegressor  # noqa: E402


def test_confidence_intervals_by_hand():
    years = [2001, 2002, 2003]
    totals = np.array([[100.0, 110.0, 130.0]])
    reps = np.array(
        [[[98.0, 108.0, 131.0], [103.0, 112.0, 128.0], [99.0, 111.0, 133.0], [101.0, 109.0, 127.0]]]
    )
    area = np.array([10.0])
    ci = storage.confidence_intervals(years, totals, reps, area, level=0.9)
    z = ndtri(0.95)
    se = reps[0].std(axis=0, ddof=1)
    np.testing.assert_allclose(ci["total_se"][0], se)
    np.testing.assert_allclose(ci["total_lower"][0], totals[0] - z * se)
    np.testing.assert_allclose(ci["density_upper"][0], (totals[0] + z * se) / 10)
    slope = np.polyfit(years, totals[0], 1)[0]
    rep_slopes = [np.polyfit(years, r, 1)[0] for r in reps[0]]
    assert ci["slope"][0] == pytest.approx(slope)
    assert ci["slope_se"][0] == pytest.approx(np.std(rep_slopes, ddof=1))
    assert ci["density_slope_lower"][0] == pytest.approx((slope - z * np.std(rep_slopes, ddof=1)) / 10)
    assert ci["n_replicates"] == 4 and ci["z"] == pytest.approx(1.6448536)
    with pytest.raises(ValueError, match="level must be in"):
        storage.confidence_intervals(years, totals, reps, area, level=1.0)
    with pytest.raises(ValueError, match="n_replicates ≥ 2"):
        storage.confidence_intervals(years, totals, reps[:, :1], area)
    two_years = storage.confidence_intervals(years[:2], totals[:, :2], reps[:, :, :2], area)
    assert np.isnan(two_years["slope"][0])  # no trend from fewer than 3 years


def test_replicate_totals_accumulate_by_zone():
    acc = storage.ReplicateTotals(2, 3)
    acc.add([5, 1], np.ones((2, 3, 2)))
    acc.add([1], 2 * np.ones((1, 3, 2)))
    assert acc.codes_.tolist() == [1, 5]
    np.testing.assert_array_equal(acc.totals_t_[:, 0, 0], [3.0, 1.0])
    with pytest.raises(ValueError, match="sums must be"):
        acc.add([1], np.ones((1, 2, 2)))


def _forest(n=300, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(0, 1, (n, 3))
    y = 20 + 10 * X[:, 0] + 5 * X[:, 1] + rng.normal(0, 1, n)
    rf = RandomForestRegressor(n_estimators=12, min_samples_leaf=5, random_state=seed).fit(X, y)
    return X, y, rf


def test_tree_sums_equal_sklearn_trees_one_by_one():
    _, _, rf = _forest()
    rng = np.random.default_rng(3)
    q = rng.uniform(0, 1, (3, 9000)).astype(np.float32)
    w = rng.uniform(0.05, 0.1, 9000)
    g = rng.integers(0, 3, 9000)
    for table_cells in (forest.TABLE_CELLS_PER_TREE, 0):
        predictor = forest.predictor_from_model(rf, table_cells=table_cells)
        got = predictor.tree_sums(q, w, g, 3)
        for t, est in enumerate(rf.estimators_):
            per_tree = est.predict(q.T)
            expected = [np.sum(w[g == k] * per_tree[g == k]) for k in range(3)]
            np.testing.assert_allclose(got[:, t], expected, rtol=1e-12)
    total = np.sum(w * rf.predict(q.T))
    assert got.sum(axis=0).mean() == pytest.approx(total, rel=1e-12)
    with pytest.raises(ValueError, match="must be finite"):
        predictor.tree_sums(np.full((3, 2), np.nan), [1, 1])


def test_storage_accumulator_of_a_forest_matches_brute_force_per_tree():
    X, y, rf = _forest()
    trained = model.TrainedModel("random_forest", ["a", "b", "c"],
                                 [forest.Ensemble("mean", forest._forest_arrays(rf))],
                                 {"train_factors": X, "train_target": y, "train_fold": np.arange(300) % 3},
                                 None, None)  # fmt: skip
    cm = trained.carbon_model()
    assert cm.n_replicates == 12
    rng = np.random.default_rng(8)
    years = [2001, 2002, 2003]
    factors = rng.uniform(0, 1, (3, 3, 5000))  # (years, factors, pixels)
    factors[1, 0, :10] = np.nan  # ten pixels missing in 2002: left out of every year
    area = rng.uniform(800, 1000, 5000)
    zones = rng.integers(1, 4, 5000)
    acc = model.StorageAccumulator(cm, 3)
    for a in range(0, 5000, 1700):  # three windows
        s = slice(a, a + 1700)
        density = np.stack([cm.predict_block(factors[t][:, s])["density"] for t in range(3)])
        acc.add(factors[:, :, s], density, area[s], zones[s])
    res = acc.results(years, level=0.95)
    assert res["codes"].tolist() == [-1, 1, 2, 3]
    keep = np.arange(5000) >= 10
    per_tree = np.zeros((4, 12, 3))
    for t in range(3):
        Xp = factors[t][:, keep].T.astype(np.float32)
        for e, est in enumerate(rf.estimators_):
            st = est.predict(Xp) * area[keep] / 1e4
            per_tree[0, e, t] = st.sum()
            for k in (1, 2, 3):
                per_tree[k, e, t] = st[zones[keep] == k].sum()
    forest_total = [np.sum(rf.predict(factors[t][:, keep].T) * area[keep] / 1e4) for t in range(3)]
    np.testing.assert_allclose(res["storage_t"][0], forest_total, rtol=1e-12)
    np.testing.assert_allclose(res["total_se"], per_tree.std(axis=1, ddof=1), rtol=1e-9)
    z = ndtri(0.975)
    np.testing.assert_allclose(
        res["total_upper"], res["storage_t"] + z * per_tree.std(axis=1, ddof=1), rtol=1e-9
    )
    assert res["area_hm2"][0] == pytest.approx(area[keep].sum() / 1e4)


def test_a_model_without_replicates_is_refused():
    X, y, rf = _forest(n=50)
    rf1 = RandomForestRegressor(n_estimators=1, random_state=0).fit(X, y)
    trained = model.TrainedModel("random_forest", ["a", "b", "c"], [forest.Ensemble("mean", forest._forest_arrays(rf1))],
                                 None, None, None)  # fmt: skip
    with pytest.raises(ValueError, match="no bootstrap replicates"):
        model.StorageAccumulator(trained.carbon_model(), 2)


def test_storage_inside_and_outside_the_area_of_applicability_add_up():
    rng = np.random.default_rng(5)
    xy = rng.uniform(0, 10_000, (150, 2))
    X = rng.uniform(0, 1, (150, 3))
    y = 20 + 10 * X[:, 0] + rng.normal(0, 1, 150)
    trained, _ = model.train_model(X, y, ["a", "b", "c"], xy, kind="random_forest", block_size=2000, n_trees=10,
                                   permutation_repeats=2)  # fmt: skip
    cm = trained.carbon_model()
    factors = rng.uniform(-0.5, 1.5, (2, 3, 4000))  # some pixels far outside the training range
    inside = cm.inside_every_year(factors)
    expected = np.ones(4000, bool)
    for t in range(2):
        expected &= cm.predict_block(factors[t], applicability=True)["aoa"] == 1
    np.testing.assert_array_equal(inside, expected)
    assert 0 < inside.sum() < 4000
    density = np.stack([cm.predict_block(factors[t])["density"] for t in range(2)])
    acc = model.StorageAccumulator(cm, 2, split_applicability=True)
    area, zones = np.full(4000, 900.0), rng.integers(0, 2, 4000)
    acc.add(factors, density, area, zones, inside)
    res = {p: acc.results([2001, 2002], part=p) for p in ("all", "inside", "outside")}
    np.testing.assert_allclose(
        res["inside"]["storage_t"] + res["outside"]["storage_t"], res["all"]["storage_t"]
    )
    np.testing.assert_allclose(res["inside"]["area_hm2"][0], inside.sum() * 0.09)
    assert np.all(res["inside"]["total_se"] > 0)
    with pytest.raises(ValueError, match="inside .* is needed"):
        acc.add(factors, density, area, zones)
    with pytest.raises(ValueError, match="part must be one of"):
        acc.results([2001, 2002], part="edge")

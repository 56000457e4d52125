"""Factor screening: Pearson r and p against scipy, VIF against closed forms, the greedy keep-list."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from core.stats.screening import (
    complete_rows,
    correlation_matrix,
    significance_stars,
    suggest_keep,
    variance_inflation_factors,
)


def _data(n=60, seed=0):
    rng = np.random.default_rng(seed)
    npp = rng.normal(400, 80, n)
    ndvi = 0.001 * npp + rng.normal(0, 0.02, n)  # strongly collinear with NPP
    dem = rng.normal(1500, 300, n)
    ap = rng.normal(300, 50, n)
    cs = 0.05 * npp + 0.01 * dem + rng.normal(0, 5, n)
    return np.column_stack([cs, npp, ndvi, dem, ap]), ["CS", "NPP", "NDVI", "DEM", "AP"]


def test_correlation_matches_scipy_pearsonr_on_complete_rows():
    data, names = _data()
    data[3, 2] = np.nan
    data[10, 0] = np.inf
    data[20, 4] = np.nan
    r, p = correlation_matrix(data, names)
    ok = complete_rows(data)
    assert ok.sum() == 57
    for i in range(5):
        for j in range(5):
            if i == j:
                assert r[i, j] == 1.0 and p[i, j] == 0.0
                continue
            ref = stats.pearsonr(data[ok, i], data[ok, j])
            assert r[i, j] == pytest.approx(ref.statistic, abs=1e-12)
            assert p[i, j] == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-300)
    assert_allclose(r, r.T)
    assert_allclose(p, p.T)


def test_p_value_is_the_t_test_with_n_minus_2_df():
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    y = np.array([2.0, 1.0, 4.0, 3.0, 5.0])
    r, p = correlation_matrix(np.column_stack([x, y]), ["x", "y"])
    assert r[0, 1] == pytest.approx(0.8, abs=1e-14)  # Σdxdy = 8, Σdx² = Σdy² = 10
    t = 0.8 * np.sqrt(3) / np.sqrt(1 - 0.64)
    assert p[0, 1] == pytest.approx(2 * stats.t.sf(t, 3), rel=1e-12)


def test_perfect_correlation_has_p_zero():
    x = np.arange(6.0)
    r, p = correlation_matrix(np.column_stack([x, -2 * x + 1]), ["a", "b"])
    # scaled before squaring as scipy.stats.pearsonr: r lands within 1 ulp of -1 (scipy 1.10 gives
    # -1 + 1 ulp, scipy >= 1.11 clips to -1)
    assert r[0, 1] == pytest.approx(stats.pearsonr(x, -2 * x + 1).statistic, abs=2.3e-16)
    assert r[0, 1] == pytest.approx(-1.0, abs=1e-15) and p[0, 1] < 1e-30


@pytest.mark.parametrize(
    "data, names, message",
    [
        (np.ones(5), ["a"], "2-D"),
        (np.ones((5, 2)), ["a"], "one entry per column"),
        (np.column_stack([np.arange(5.0), np.arange(5.0)]), ["a", "a"], "unique"),
        (np.array([[1.0, 2.0], [2.0, 1.0], [np.nan, 3.0], [4.0, np.nan]]), ["a", "b"], "got 2 of 4"),
        (np.column_stack([np.arange(5.0), np.full(5, 7.0)]), ["CS", "slope"], "'slope' are constant"),
        (np.array([["a", "b"], ["c", "d"]]), ["x", "y"], "numeric"),
        (np.arange(5.0)[:, None], ["a"], "at least 2 columns"),
    ],
)
def test_correlation_validates(data, names, message):
    with pytest.raises(ValueError, match=message):
        correlation_matrix(data, names)


def test_constant_after_dropping_incomplete_rows_is_named():
    data = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0], [4.0, 9.0], [np.nan, 1.0]])
    data[3, 0] = np.nan
    with pytest.raises(ValueError, match="'DEM' are constant over the 3 complete rows"):
        correlation_matrix(data, ["CS", "DEM"])


def test_vif_two_factors_closed_form():
    rng = np.random.default_rng(3)
    a = rng.normal(size=40)
    b = 0.7 * a + rng.normal(size=40)
    r = stats.pearsonr(a, b).statistic
    assert_allclose(variance_inflation_factors(np.column_stack([a, b])), 1 / (1 - r**2), rtol=1e-12)


def test_vif_equals_diagonal_of_inverse_correlation_matrix():
    data, _ = _data(n=80, seed=5)
    X = data[:, 1:] * np.array([1.0, 1e3, 1e-3, 1.0])  # units do not matter
    expected = np.diag(np.linalg.inv(np.corrcoef(X.T)))
    got = variance_inflation_factors(X, ["NPP", "NDVI", "DEM", "AP"])
    assert_allclose(got, expected, rtol=1e-9)
    assert got[0] > 10 and got[1] > 10 and got[2] < 1.2  # NPP and NDVI collinear, DEM not


def test_vif_matches_regression_definition():
    rng = np.random.default_rng(9)
    X = rng.normal(size=(30, 3))
    X[:, 2] += X[:, 0] - 0.5 * X[:, 1]
    for j in range(3):
        others = np.column_stack([np.ones(30), np.delete(X, j, axis=1)])
        coef, *_ = np.linalg.lstsq(others, X[:, j], rcond=None)
        resid = X[:, j] - others @ coef
        r2 = 1 - resid @ resid / np.sum((X[:, j] - X[:, j].mean()) ** 2)
        assert variance_inflation_factors(X)[j] == pytest.approx(1 / (1 - r2), rel=1e-10)


def test_vif_orthogonal_is_one_exact_collinearity_is_inf_single_is_one():
    X = np.array([[1.0, 1.0], [1.0, -1.0], [-1.0, 1.0], [-1.0, -1.0]])
    assert_allclose(variance_inflation_factors(X), [1.0, 1.0], atol=1e-12)
    a = np.arange(10.0)
    vif = variance_inflation_factors(np.column_stack([a, np.sin(a), 2 * a + 3 * np.sin(a)]))
    assert np.all(np.isinf(vif))
    assert variance_inflation_factors(a[:, None]).tolist() == [1.0]


def test_vif_drops_incomplete_rows_and_validates():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(20, 2))
    Xn = np.vstack([X, [[np.nan, 1.0]]])
    assert_allclose(variance_inflation_factors(Xn), variance_inflation_factors(X))
    with pytest.raises(ValueError, match="more complete rows than factors"):
        variance_inflation_factors(rng.normal(size=(3, 3)))
    with pytest.raises(ValueError, match="'DEM' are constant"):
        variance_inflation_factors(np.column_stack([X[:, 0], np.ones(20)]), ["NPP", "DEM"])


def test_suggest_keep_greedy_by_target_correlation():
    names = ["NDVI", "NPP", "DEM", "EVI", "AP"]
    r_t = np.array([0.70, -0.80, 0.30, 0.65, 0.10])
    rf = np.eye(5)
    pairs = {("NDVI", "NPP"): 0.90, ("NDVI", "EVI"): 0.95, ("NPP", "EVI"): 0.85, ("DEM", "AP"): -0.82}
    for (a, b), v in pairs.items():
        i, j = names.index(a), names.index(b)
        rf[i, j] = rf[j, i] = v
    keep, dropped = suggest_keep(names, r_t, rf, threshold=0.8)
    assert keep == ["NPP", "DEM"]  # |r| with target decides the order, sign does not
    assert [d.name for d in dropped] == ["NDVI", "EVI", "AP"]
    by = {d.name: d for d in dropped}
    assert by["NDVI"].collides_with == "NPP" and by["NDVI"].r == 0.90
    assert by["EVI"].collides_with == "NPP"
    assert by["AP"].collides_with == "DEM" and "0.82" in by["AP"].reason and "DEM" in by["AP"].reason


def test_suggest_keep_threshold_is_strict_and_ties_keep_order():
    rf = np.array([[1.0, 0.8], [0.8, 1.0]])
    keep, dropped = suggest_keep(["a", "b"], [0.5, 0.5], rf, threshold=0.8)
    assert keep == ["a", "b"] and dropped == []
    keep, dropped = suggest_keep(["a", "b"], [0.5, 0.5], rf, threshold=0.79)
    assert keep == ["a"] and dropped[0].collides_with == "a"


def test_suggest_keep_on_real_correlations():
    data, names = _data()
    r, _ = correlation_matrix(data, names)
    keep, dropped = suggest_keep(names[1:], r[0, 1:], r[1:, 1:])
    assert keep[0] in ("NPP", "NDVI") and {"DEM", "AP"} <= set(keep)
    assert len(dropped) == 1 and {dropped[0].name, dropped[0].collides_with} == {"NPP", "NDVI"}


@pytest.mark.parametrize(
    "args, message",
    [
        ((["a", "b"], [0.1], np.eye(2)), "r_target"),
        ((["a", "b"], [0.1, 0.2], np.eye(3)), "r_factors"),
        ((["a", "b"], [0.1, 0.2], [[1, 0.5], [0.4, 1]]), "symmetric"),
        ((["a", "a"], [0.1, 0.2], np.eye(2)), "unique"),
        ((["a", "b"], [0.1, 0.2], np.eye(2), 0.0), "threshold"),
        ((["a", "b"], [0.1, 0.2], np.eye(2), 1.5), "threshold"),
    ],
)
def test_suggest_keep_validates(args, message):
    with pytest.raises(ValueError, match=message):
        suggest_keep(*args)


def test_significance_stars():
    assert significance_stars([[0.0, 0.001], [0.05, np.nan]]).tolist() == [["***", "**"], ["", ""]]

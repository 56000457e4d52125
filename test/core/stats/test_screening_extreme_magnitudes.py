"""Pearson r, p and VIF at extreme magnitudes: scipy.stats.pearsonr's own test cases (scipy#9353, #8980)."""

import numpy as np
import pytest
from scipy import stats

from core.stats import screening

# scipy/stats/tests/test_stats.py, TestPearsonr: the expected values were computed there with mpmath.
TINY = (
    [0.004434375, 0.004756007, 0.003911996, 0.0038005, 0.003409971],
    [2.48e-188, 7.41e-181, 4.09e-208, 2.08e-223, 2.66e-245],
    0.7272930540750450,
    0.1637805429533202,
)
HUGE = (
    [2.3e200, 4.5e200, 6.7e200, 8e200],
    [1.2e199, 5.5e200, 3.3e201, 1.0e200],
    0.351312332103289,
    0.648687667896711,
)
LARGE = (
    1e90 * np.array([0, 0, 0, 1, 1, 1, 1]),
    1e90 * np.arange(7),
    0.8660254037844386,
    0.011724811003954638,
)


@pytest.mark.parametrize("case", [TINY, HUGE, LARGE], ids=["tiny", "huge", "large"])
def test_pearson_matches_scipy_at_extreme_magnitudes(case):
    x, y, r_exact, p_exact = case
    r, p = screening.correlation_matrix(np.column_stack([x, y]), ["x", "y"])
    ref = stats.pearsonr(x, y)
    assert r[0, 1] == pytest.approx(ref.statistic, rel=1e-12)
    assert r[0, 1] == pytest.approx(r_exact, rel=1e-12)
    assert p[0, 1] == pytest.approx(p_exact, rel=1e-9)
    assert r[1, 0] == r[0, 1] and np.isfinite(p).all()


def test_pearson_with_a_tiny_factor_among_ordinary_ones():
    """A factor column of ~1e-181 beside ordinary columns: every cell as scipy gives it."""
    rng = np.random.default_rng(4)
    x, y = np.array(TINY[0]), np.array(TINY[1])
    z = x * 1000 + rng.normal(0, 0.5, x.size)
    data = np.column_stack([x, y, z])
    r, p = screening.correlation_matrix(data, ["CS", "tiny", "z"])
    for i, j in ((0, 1), (0, 2), (1, 2)):
        ref = stats.pearsonr(data[:, i], data[:, j])
        assert r[i, j] == pytest.approx(ref.statistic, rel=1e-12)
        assert p[i, j] == pytest.approx(ref.pvalue, rel=1e-9)


@pytest.mark.parametrize("case", [TINY, HUGE], ids=["tiny", "huge"])
def test_vif_of_two_factors_is_one_over_one_minus_r2_at_extreme_magnitudes(case):
    x, y, r_exact, _ = case
    vif = screening.variance_inflation_factors(np.column_stack([x, y]), ["x", "y"])
    np.testing.assert_allclose(vif, 1.0 / (1.0 - r_exact**2), rtol=1e-9)


def test_vif_is_unchanged_by_rescaling_a_factor():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(40, 3))
    X[:, 2] += 0.8 * X[:, 0]
    base = screening.variance_inflation_factors(X)
    for scale in (1e-200, 1e200):
        scaled = X.copy()
        scaled[:, 1] *= scale
        np.testing.assert_allclose(screening.variance_inflation_factors(scaled), base, rtol=1e-9)

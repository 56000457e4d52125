"""Cv = σ/μ only for series of a non-negative quantity: zero-mean and negative series are nodata, counted."""

import numpy as np
import pytest

from core.stats.stability import coefficient_of_variation, not_positive_series


def test_zero_mean_series_with_a_tiny_positive_mean_is_nodata_not_a_huge_cv():
    # NDVI or temperature anomalies: mean 1.5e-9 by rounding, σ ≈ 0.58, so σ/μ would be ≈ 3.8e8
    x = np.array([[-0.5, 0.5, -0.5, 0.5 + 6e-9]]).T
    assert np.std(x, ddof=1) / np.mean(x) > 1e8  # what the old definition (mean > 0) returned
    assert np.isnan(coefficient_of_variation(x)[0])
    assert not_positive_series(x).tolist() == [True]


def test_a_series_with_any_negative_value_is_nodata():
    x = np.array([[10.0, 12.0, -0.1, 11.0], [10.0, 12.0, 0.0, 11.0], [0.0, 0.0, 0.0, 0.0]]).T
    cv = coefficient_of_variation(x)
    assert np.isnan(cv[0]) and np.isfinite(cv[1]) and np.isnan(cv[2])
    assert not_positive_series(x).tolist() == [True, False, True]


def test_not_positive_needs_two_valid_values_and_ignores_missing_ones():
    x = np.array([[np.nan, -1.0, np.nan, np.nan], [5.0, np.nan, np.inf, 6.0], [-np.inf, 1.0, 2.0, 3.0]]).T
    assert not_positive_series(x).tolist() == [False, False, False]  # too few values; no negatives
    assert np.isnan(coefficient_of_variation(x)[0])
    assert np.isfinite(coefficient_of_variation(x)[1:]).all()


@pytest.mark.parametrize("ddof, bound", [(1, np.sqrt), (0, lambda n: np.sqrt(n - 1))])
def test_cv_of_non_negative_series_is_bounded(ddof, bound):
    """For values ≥ 0, sample Cv ≤ √n (population: √(n − 1)), reached with one non-zero value."""
    rng = np.random.default_rng(2)
    n = 24
    x = rng.exponential(1.0, (n, 5000)) * (rng.random((n, 5000)) < 0.1)
    x[:, 0] = 0.0
    x[3, 0] = 7.0  # one non-zero value: the bound itself
    cv = coefficient_of_variation(x, ddof=ddof)
    ok = np.isfinite(cv)
    assert ok.sum() > 4000
    assert np.all(cv[ok] <= bound(n) * (1 + 1e-12))
    assert cv[0] == pytest.approx(bound(n), rel=1e-12)

"""The Anis–Lloyd–Peters correction of R/S (issue 14): E[R/S] against a Monte Carlo of independent normal
values, corrected H of white noise near 0.5 where the plain slope is biased upwards, and the reasons a
pixel has no H."""

import numpy as np
import pytest

from core.stats.hurst import expected_rs, hurst_rs, missing_reasons


def _monte_carlo_rs(n, reps, rng):
    """Mean R/S of ``reps`` independent normal series of length n, computed directly (population S)."""
    x = rng.standard_normal((reps, n))
    dev = x - x.mean(axis=1, keepdims=True)
    cum = np.cumsum(dev, axis=1)
    r = cum.max(axis=1) - cum.min(axis=1)
    return float(np.mean(r / x.std(axis=1)))


@pytest.mark.parametrize("n", [3, 5, 10, 24, 60])
def test_expected_rs_is_the_mean_rs_of_independent_normal_values(n):
    rng = np.random.default_rng(n)
    simulated = _monte_carlo_rs(n, 200_000, rng)
    assert expected_rs(n, peters=False) == pytest.approx(simulated, rel=0.01)
    assert expected_rs(n) == pytest.approx(simulated * (n - 0.5) / n, rel=0.01)


def test_expected_rs_of_two_values_is_one_and_arrays_work():
    assert expected_rs(2, peters=False) == 1.0
    np.testing.assert_allclose(
        expected_rs(np.array([2, 24]), peters=False), [1.0, expected_rs(24, peters=False)]
    )
    with pytest.raises(ValueError, match="n must be integers >= 2"):
        expected_rs(1)
    with pytest.raises(ValueError, match="n must be integers"):
        expected_rs(2.5)


def test_corrected_h_of_white_noise_is_near_one_half_where_the_plain_slope_is_not():
    x = np.random.default_rng(3).standard_normal((24, 4000))
    plain = hurst_rs(x)
    corrected = hurst_rs(x, correction="anis_lloyd")
    assert np.nanmean(plain) > 0.6  # the small-sample bias the help describes
    assert abs(np.nanmean(corrected) - 0.5) < 0.03
    # Peters' factor over-corrects with windows from τ = 2 (docstring): H below the Anis–Lloyd value
    assert np.nanmean(hurst_rs(x, correction="anis_lloyd_peters")) < np.nanmean(corrected) - 0.05
    # the correction is a fixed shift of the fitted values for series without gaps: H_c − H = const
    shift = corrected - plain
    assert np.nanstd(shift) < 1e-9
    mw = hurst_rs(x, method="mandelbrot_wallis", correction="anis_lloyd")
    assert abs(np.nanmean(mw) - 0.5) < 0.1


def test_correction_is_validated():
    with pytest.raises(ValueError, match="correction must be one of"):
        hurst_rs(np.ones((6, 2)), correction="peters")


def test_missing_reasons_tell_apart_short_constant_and_mostly_flat_series():
    flat_then_rising = np.r_[np.full(18, 5.0), np.arange(6.0, 12.0)]
    x = np.column_stack(
        [
            np.r_[np.full(20, np.nan), np.arange(4.0)],  # 4 valid years of 24
            np.full(24, 3.0),  # constant
            flat_then_rising,  # S = 0 in the first 17 windows
            np.random.default_rng(0).standard_normal(24),
        ]
    )
    h = np.full(4, np.nan)
    enough = np.isfinite(x).sum(axis=0) >= 18
    h[enough] = hurst_rs(x[:, enough], min_windows=12)
    reasons = missing_reasons(x, h, 18)
    assert reasons["too_few_years"].tolist() == [True, False, False, False]
    assert reasons["constant"].tolist() == [False, True, False, False]
    assert reasons["too_few_windows"].tolist() == [False, False, True, False]
    assert np.isfinite(h[3])

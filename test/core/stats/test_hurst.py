"""Hurst exponent by R/S: hand-computed cases, a per-pixel reference loop, behaviour on known processes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import core.stats.hurst
from core.stats.hurst import HURST_METHODS, hurst_rs

# The hand example x = [0, 2, 1, 1, 0, 3] (n = 6).
#
# Expanding form, first τ values (dev = x − mean, X = cumulative dev, R = max X − min X, S² = mean dev²):
#   τ=2 [0,2]:        mean 1,   dev [-1,1],     X [-1,0],      R = 1,   S² = 1     R/S = 1
#   τ=3 [0,2,1]:      mean 1,   dev [-1,1,0],   X [-1,0,0],    R = 1,   S² = 2/3   R/S = √(3/2)
#   τ=4 [0,2,1,1]:    mean 1,   dev [-1,1,0,0], X [-1,0,0,0],  R = 1,   S² = 1/2   R/S = √2
#   τ=5 [0,2,1,1,0]:  mean 0.8, dev [-.8,1.2,.2,.2,-.8], X [-.8,.4,.6,.8,0],
#                     R = 1.6,  S² = (.64+1.44+.04+.04+.64)/5 = 2.8/5              R/S = 1.6/√0.56
#   τ=6 all:          mean 7/6, dev [-7,5,-1,-1,-7,11]/6, X [-7,-2,-3,-4,-11,0]/6,
#                     R = 11/6, S² = (49+25+1+1+49+121)/36/6 = 246/216             R/S = (11/6)/√(246/216)
#
# Mandelbrot-Wallis form, non-overlapping sub-series from the start:
#   τ=2 [0,2] [1,1] [0,3]: [1,1] is constant (S = 0) and left out; mean of 1, 1 = 1
#   τ=3 [0,2,1] -> √(3/2); [1,0,3]: mean 4/3, dev [-1,-4,5]/3, X [-1,-5,0]/3, R = 5/3,
#       S² = (1+16+25)/9/3 = 14/9 -> R/S = 5/√14; mean (√(3/2) + 5/√14)/2
#   τ=4 [0,2,1,1] (remainder [0,3] dropped) -> √2;  τ=5 [0,2,1,1,0] -> 1.6/√0.56;  τ=6 as expanding.
HAND = np.array([0.0, 2.0, 1.0, 1.0, 0.0, 3.0])
HAND_RS_EXPANDING = [1.0, np.sqrt(1.5), np.sqrt(2.0), 1.6 / np.sqrt(0.56), (11 / 6) / np.sqrt(246 / 216)]
HAND_RS_MW = [1.0, (np.sqrt(1.5) + 5 / np.sqrt(14)) / 2, *HAND_RS_EXPANDING[2:]]

# Differences of HAND: d = [2, -1, 0, -1, 3], expanding form:
#   τ=2 [2,-1]          -> 1
#   τ=3 [2,-1,0]:       mean 1/3, dev [5,-4,-1]/3, X [5,1,0]/3, R = 5/3, S² = 42/27 -> R/S = 5/√14
#   τ=4 [2,-1,0,-1]:    mean 0, X [2,1,1,0], R = 2, S² = 6/4                    -> R/S = 2/√1.5
#   τ=5 all:            mean 0.6, dev [1.4,-1.6,-.6,-1.6,2.4], X [1.4,-.2,-.8,-2.4,0], R = 3.8,
#                       S² = 13.2/5                                              -> R/S = 3.8/√2.64
HAND_RS_DIFF = [1.0, 5 / np.sqrt(14), 2 / np.sqrt(1.5), 3.8 / np.sqrt(2.64)]


def _slope(taus, rs):
    """Least-squares slope of log R/S on log τ, written out."""
    a, b = np.log(np.asarray(taus, float)), np.log(np.asarray(rs, float))
    return np.sum((a - a.mean()) * (b - b.mean())) / np.sum((a - a.mean()) ** 2)


def _reference(col, method, differences, min_windows=3):
    """Straightforward per-pixel R/S, one window at a time."""
    x = col[np.isfinite(col)]
    if differences:
        x = np.diff(x)
    n = len(x)
    taus, rs = [], []
    for tau in range(2, n + 1):
        if method == "expanding":
            windows = [x[:tau]]
        else:
            windows = [x[j * tau : (j + 1) * tau] for j in range(n // tau)]
        ratios = []
        for w in windows:
            s = np.std(w)
            if s > 0:
                cum = np.cumsum(w - w.mean())
                ratios.append((cum.max() - cum.min()) / s)
        if ratios:
            taus.append(tau)
            rs.append(np.mean(ratios))
    if len(taus) < min_windows:
        return np.nan
    return _slope(taus, rs)


def test_hand_case_expanding():
    assert _slope(range(2, 7), HAND_RS_EXPANDING) == pytest.approx(0.612535958, abs=1e-9)
    got = hurst_rs(HAND[:, None])
    assert_allclose(got, [_slope(range(2, 7), HAND_RS_EXPANDING)], rtol=1e-12)


def test_hand_case_mandelbrot_wallis():
    assert _slope(range(2, 7), HAND_RS_MW) == pytest.approx(0.599680012, abs=1e-9)
    got = hurst_rs(HAND[:, None], method="mandelbrot_wallis")
    assert_allclose(got, [_slope(range(2, 7), HAND_RS_MW)], rtol=1e-12)


def test_hand_case_differences():
    got = hurst_rs(HAND[:, None], differences=True)
    assert_allclose(got, [_slope(range(2, 6), HAND_RS_DIFF)], rtol=1e-12)


def test_short_series_where_the_two_forms_agree():
    # n = 4: x = [1, 3, 2, 5]. τ=2 [1,3] -> 1; τ=3 [1,3,2]: X [-1,0,0], R = 1, S² = 2/3 -> √1.5;
    # τ=4: mean 2.75, X [-1.75,-1.5,-2.25,0], R = 2.25, S² = 8.75/4 -> 2.25/√2.1875.
    # Mandelbrot-Wallis: τ=2 [1,3],[2,5] -> 1, 1; τ=3, 4 one sub-series each: the same R/S.
    x = np.array([[1.0, 3.0, 2.0, 5.0]]).T
    expected = _slope([2, 3, 4], [1.0, np.sqrt(1.5), 2.25 / np.sqrt(2.1875)])
    for method in HURST_METHODS:
        assert_allclose(hurst_rs(x, method=method), [expected], rtol=1e-12)


def test_gaps_are_closed_up():
    with_gaps = np.array([np.nan, 0.0, 2.0, np.nan, 1.0, 1.0, np.nan, 0.0, 3.0, np.nan])[:, None]
    for method in HURST_METHODS:
        for diff in (False, True):
            assert_allclose(
                hurst_rs(with_gaps, method=method, differences=diff),
                hurst_rs(HAND[:, None], method=method, differences=diff),
                rtol=1e-12,
            )


def _random_block(rng, n_times, n_pixels):
    kinds = [
        rng.normal(50.0, 5.0, (n_times, n_pixels)),  # white noise around a carbon density
        rng.normal(0.0, 1.0, (n_times, n_pixels)).cumsum(axis=0),  # random walk
        rng.integers(0, 3, (n_times, n_pixels)).astype(float),  # ties and constant sub-series
        np.linspace(0, 10, n_times)[:, None] + rng.normal(0, 1, (n_times, n_pixels)),  # trend + noise
    ]
    x = np.concatenate(kinds, axis=1)
    x[rng.random(x.shape) < 0.2] = np.nan
    x[:, 0] = np.nan  # no valid value
    x[:, 1] = 7.0  # constant
    x[:, 2] = np.nan
    x[:3, 2] = [1.0, 2.0, 4.0]  # 3 values: 2 windows, fewer than min_windows
    x[:, 3] = np.where(np.arange(n_times) % 2, 1.0, 0.0)  # alternating
    return x


@pytest.mark.parametrize("method", HURST_METHODS)
@pytest.mark.parametrize("differences", [False, True])
@pytest.mark.parametrize("n_times", [5, 12, 24])
def test_vectorised_equals_per_pixel_reference(method, differences, n_times):
    rng = np.random.default_rng(n_times)
    x = _random_block(rng, n_times, 60)
    got = hurst_rs(x, method=method, differences=differences)
    expected = np.array([_reference(x[:, j], method, differences) for j in range(x.shape[1])])
    assert got.dtype == np.float64 and got.shape == (x.shape[1],)
    assert_allclose(got, expected, rtol=1e-9, atol=1e-12, equal_nan=True)
    # The comparison is not vacuous: most pixels have an H (fewer for n = 5 with 20 % gaps).
    assert np.isfinite(expected).sum() > (0.3 if n_times == 5 else 0.8) * x.shape[1]


@pytest.mark.parametrize("method", HURST_METHODS)
def test_min_windows(method):
    x = np.array([[1.0, 2.0, 4.0]]).T  # τ = 2, 3 only
    assert np.isnan(hurst_rs(x, method=method))
    assert np.isfinite(hurst_rs(x, method=method, min_windows=2))
    x5 = np.array([[1.0, 2.0, 4.0, 3.0, 7.0]]).T
    assert np.isnan(hurst_rs(x5, method=method, min_windows=5))


@pytest.mark.parametrize("method", HURST_METHODS)
@pytest.mark.parametrize("differences", [False, True])
def test_constant_empty_and_short_pixels_are_nan(method, differences):
    x = np.full((24, 4), np.nan)
    x[:, 0] = 3.7  # constant: S = 0 for every τ
    x[:, 1] = 0.1  # constant whose mean is not exactly representable
    x[5, 2] = 1.0  # a single value
    h = hurst_rs(x, method=method, differences=differences)
    assert np.isnan(h).all()


def test_differences_of_a_linear_trend_are_constant():
    x = (2.0 + 0.5 * np.arange(24))[:, None]
    assert np.isfinite(hurst_rs(x))  # the levels have an H
    assert np.isnan(hurst_rs(x, differences=True))  # the differences are all 0.5


@pytest.mark.parametrize("method", HURST_METHODS)
def test_persistent_series_has_h_above_half(method):
    rng = np.random.default_rng(7)
    t = np.arange(24.0)[:, None]
    # The cumulative sum of a noisy upward trend: strongly persistent.
    x = np.cumsum(0.3 * t + rng.normal(0, 1, (24, 500)), axis=0)
    h = hurst_rs(x, method=method)
    assert np.all(h > 0.5)
    assert h.mean() > 0.8


@pytest.mark.parametrize("method", HURST_METHODS)
def test_white_noise_has_h_near_half_biased_up(method):
    # For n = 24 the R/S estimate is biased upwards (Anis & Lloyd 1976): white noise averages
    # about 0.6-0.65 rather than 0.5.
    rng = np.random.default_rng(11)
    h = hurst_rs(rng.normal(0, 1, (24, 4000)), method=method)
    assert 0.5 < h.mean() < 0.7
    # ... and clearly below the persistent case.
    assert np.median(h) < 0.75


def test_alternating_series_is_anti_persistent():
    x = np.tile([0.0, 1.0], 12)[:, None]
    assert hurst_rs(x)[0] < 0.5


def test_chunking_does_not_change_results(monkeypatch):
    rng = np.random.default_rng(3)
    x = _random_block(rng, 15, 25)
    whole = {m: hurst_rs(x, method=m) for m in HURST_METHODS}
    monkeypatch.setattr(core.stats.hurst, "_CHUNK", 7)
    for m in HURST_METHODS:
        assert_allclose(hurst_rs(x, method=m), whole[m], rtol=0, atol=0, equal_nan=True)


def test_input_is_not_modified_and_float32_and_ints_accepted():
    rng = np.random.default_rng(5)
    x = rng.normal(10, 1, (12, 9))
    x[2, 3] = np.nan
    before = x.copy()
    h64 = hurst_rs(x)
    assert_allclose(x, before, equal_nan=True)
    x32 = x.astype(np.float32)
    assert_allclose(hurst_rs(x32), hurst_rs(x32.astype(np.float64)), rtol=1e-12, equal_nan=True)
    assert np.isfinite(hurst_rs(np.array([[1, 3, 2, 5, 4]]).T)).all()
    assert h64.shape == (9,)


def test_infinite_values_count_as_missing():
    x = np.array([0.0, 2.0, np.inf, 1.0, 1.0, -np.inf, 0.0, 3.0])[:, None]
    assert_allclose(hurst_rs(x), hurst_rs(HAND[:, None]), rtol=1e-12)


def test_degenerate_block_shapes():
    assert hurst_rs(np.empty((24, 0))).shape == (0,)
    assert np.isnan(hurst_rs(np.ones((1, 3)) * [[1.0, 2.0, 3.0]])).all()
    assert np.isnan(hurst_rs(np.empty((0, 2)))).all()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"method": "dfa"}, "method must be one of"),
        ({"method": None}, "method must be one of"),
        ({"differences": "yes"}, "differences must be True or False"),
        ({"min_windows": 1}, "min_windows must be an integer >= 2"),
        ({"min_windows": 2.5}, "min_windows must be an integer >= 2"),
        ({"min_windows": True}, "min_windows must be an integer >= 2"),
    ],
)
def test_invalid_arguments_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        hurst_rs(np.ones((5, 2)), **kwargs)


@pytest.mark.parametrize(
    "values, message",
    [
        (np.ones(5), "2-D array of shape"),
        (np.ones((5, 2, 2)), "2-D array of shape"),
        (np.array([["a", "b"]]), "real numeric array"),
        (np.ones((5, 2), dtype=complex), "real numeric array"),
    ],
)
def test_invalid_values_raise(values, message):
    with pytest.raises(ValueError, match=message):
        hurst_rs(values)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    scale=st.floats(0.01, 100.0),
    sign=st.sampled_from([1.0, -1.0]),
    shift=st.floats(-1000.0, 1000.0),
    method=st.sampled_from(HURST_METHODS),
    differences=st.booleans(),
)
def test_h_is_invariant_to_affine_changes_of_scale(seed, scale, sign, shift, method, differences):
    # R and S scale alike with |a|, both ignore a shift, and negating the series swaps max and min
    # of X: H(a·x + b) = H(x) for a != 0.
    x = np.random.default_rng(seed).normal(0.0, 1.0, (16, 5))
    h = hurst_rs(x, method=method, differences=differences)
    h2 = hurst_rs(sign * scale * x + shift, method=method, differences=differences)
    assert_allclose(h2, h, rtol=0, atol=1e-7)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    gaps=st.lists(st.integers(0, 20), max_size=8),
    method=st.sampled_from(HURST_METHODS),
    differences=st.booleans(),
)
def test_inserting_missing_values_does_not_change_h(seed, gaps, method, differences):
    x = np.random.default_rng(seed).normal(5.0, 1.0, (14, 3))
    with_gaps = x
    for g in sorted(gaps, reverse=True):
        g = min(g, with_gaps.shape[0])
        with_gaps = np.insert(with_gaps, g, np.nan, axis=0)
    assert_allclose(
        hurst_rs(with_gaps, method=method, differences=differences),
        hurst_rs(x, method=method, differences=differences),
        rtol=1e-10,
    )

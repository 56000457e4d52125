"""Tests of core.stats.trend: Theil–Sen slope, Mann–Kendall test (original and Hamed–Rao), trend classes.

References: scipy.stats.theilslopes and pymannkendall (original_test, hamed_rao_modification_test) on
each pixel's series, and a plain per-pixel implementation of the documented definitions.
"""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pymannkendall as mk
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy.stats import norm, rankdata, theilslopes

from core.common.classes import CLASS_NODATA, TREND_3, TREND_5
from core.stats import trend

YEARS24 = np.arange(2001, 2025)


# ----------------------------------------------------------------------------------------------------
# Reference implementations


def reference_pixel(x, years, method="original", acf_alpha=0.05):
    """One pixel, straight from the definitions in the sen_mann_kendall docstring."""
    x = np.asarray(x, dtype=np.float64)
    years = np.asarray(years, dtype=np.float64)
    ok = ~np.isnan(x)
    xv, tv = x[ok], years[ok]
    m = xv.size
    out = {"n_valid": m, "correction_fallback": False}
    if m < 2:
        out.update(slope=np.nan, s=0, var_s=0.0, z=np.nan, p=np.nan)
        return out
    i, j = np.triu_indices(m, 1)
    out["slope"] = float(np.median((xv[j] - xv[i]) / (tv[j] - tv[i])))
    s = int(np.sign(xv[j] - xv[i]).sum())
    _, sizes = np.unique(xv, return_counts=True)
    var_s = (m * (m - 1) * (2 * m + 5) - np.sum(sizes * (sizes - 1) * (2 * sizes + 5))) / 18.0
    if method == "hamed_rao" and var_s > 0:
        factor = np.nan
        if m >= 3:
            y = xv - out["slope"] * (tv - years[0] + 1.0)
            yc = np.zeros(x.size)
            yc[ok] = rankdata(y) - (m + 1) / 2.0
            acov0 = np.sum(yc * yc)
            bound = norm.ppf(1 - acf_alpha / 2) / np.sqrt(m)
            total = 0.0
            with np.errstate(invalid="ignore", divide="ignore"):
                for lag in range(1, min(x.size, m)):
                    rho = np.sum(yc[lag:] * yc[:-lag]) / acov0
                    if not abs(rho) <= bound:
                        total += (m - lag) * (m - lag - 1) * (m - lag - 2) * rho
            factor = 1 + 2 / (m * (m - 1) * (m - 2)) * total
        if np.isfinite(factor) and factor > 0:
            var_s *= factor
        else:
            out["correction_fallback"] = True
    z = 0.0 if s == 0 else (s - np.sign(s)) / np.sqrt(var_s)
    out.update(s=s, var_s=var_s, z=z, p=2 * norm.sf(abs(z)))
    return out


def reference_block(values, years, method="original", acf_alpha=0.05):
    pixels = [reference_pixel(values[:, c], years, method, acf_alpha) for c in range(values.shape[1])]
    return {key: np.array([px[key] for px in pixels]) for key in pixels[0]}


def assert_matches(res, ref, slope_rtol=0.0, slope_atol=0.0):
    assert_array_equal(res["n_valid"], ref["n_valid"])
    assert_array_equal(res["s"], ref["s"])
    assert_allclose(res["slope"], ref["slope"], rtol=slope_rtol, atol=slope_atol)
    assert_allclose(res["var_s"], ref["var_s"], rtol=1e-12)
    assert_allclose(res["z"], ref["z"], rtol=1e-12, atol=1e-15)
    assert_allclose(res["p"], ref["p"], rtol=1e-10, atol=1e-15)
    assert_array_equal(res["correction_fallback"], ref["correction_fallback"])


def mk_quiet(fn, x):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # pymannkendall's sqrt of a negative variance
        return fn(x)


def mixed_stack(n_years, n_pixels, seed, nan_share=0.0):
    """Trend + noise, heavy tails, AR(1), steps, small integers, constants; float32."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_years)[:, None]
    kinds = [
        rng.normal(0.3, 0.5, n_pixels) * t + rng.normal(0, 2, (n_years, n_pixels)),
        rng.standard_cauchy((n_years, n_pixels)),
        np.cumsum(rng.normal(size=(n_years, n_pixels)), axis=0),
        rng.normal(size=(n_years, n_pixels)) + 4.0 * (t >= n_years // 2),
        rng.integers(0, 4, (n_years, n_pixels)).astype(float),
        rng.integers(0, 40, (n_years, n_pixels)) * 0.25,
        np.repeat(rng.normal(size=(1, n_pixels)), n_years, axis=0),
    ]
    which = rng.integers(0, len(kinds), n_pixels)
    values = np.choose(which, kinds).astype(np.float32)
    values[rng.random(values.shape) < nan_share] = np.nan
    return values


# ----------------------------------------------------------------------------------------------------
# Against scipy.stats.theilslopes and pymannkendall


def test_random_series_match_theilslopes_and_pymannkendall():
    rng = np.random.default_rng(1)
    values = rng.normal(size=(24, 80)) + 0.05 * np.arange(24)[:, None]  # float64, not float32-exact
    res = trend.sen_mann_kendall(values, YEARS24)
    for c in range(values.shape[1]):
        ref = mk.original_test(values[:, c])
        assert res["slope"][c] == theilslopes(values[:, c], YEARS24).slope
        assert res["s"][c] == ref.s
        assert res["var_s"][c] == pytest.approx(ref.var_s, rel=1e-14)
        assert res["z"][c] == pytest.approx(ref.z, rel=1e-12)
        assert res["p"][c] == pytest.approx(ref.p, rel=1e-9, abs=1e-15)
    assert not res["correction_fallback"].any()
    assert_array_equal(res["n_valid"], 24)


def test_float32_series_match_theilslopes():
    rng = np.random.default_rng(2)
    values = (rng.normal(size=(24, 300)) * 3 + 0.2 * np.arange(24)[:, None] + 50).astype(np.float32)
    res = trend.sen_mann_kendall(values, YEARS24)
    ref = np.array([theilslopes(values[:, c].astype(np.float64), YEARS24).slope for c in range(300)])
    assert_allclose(res["slope"], ref, rtol=1e-6)
    # the middle slopes are selected in float32 and recomputed in float64 from their pairs
    assert np.mean(res["slope"] == ref) > 0.99


def test_tied_series_match_pymannkendall():
    rng = np.random.default_rng(3)
    values = rng.integers(0, 4, size=(20, 120)).astype(np.float32)
    years = np.arange(1990, 2010)
    res = trend.sen_mann_kendall(values, years)
    for c in range(values.shape[1]):
        x = values[:, c].astype(np.float64)
        ref = mk.original_test(x)
        assert res["s"][c] == ref.s
        assert res["var_s"][c] == pytest.approx(ref.var_s, rel=1e-14)
        assert res["z"][c] == pytest.approx(ref.z, rel=1e-12, abs=1e-15)
        assert res["p"][c] == pytest.approx(ref.p, rel=1e-9)
        assert res["slope"][c] == theilslopes(x, years).slope


def test_gaps_in_years_use_real_time_steps():
    rng = np.random.default_rng(4)
    years = np.array([2001, 2002, 2005, 2006, 2007, 2010, 2011, 2015, 2016, 2017, 2019, 2020, 2023, 2024])
    values = rng.normal(size=(years.size, 60)) + 0.3 * (years - 2001)[:, None]
    res = trend.sen_mann_kendall(values, years)
    for c in range(values.shape[1]):
        ref = mk.original_test(values[:, c])
        assert res["slope"][c] == theilslopes(values[:, c], years).slope
        assert res["s"][c] == ref.s
        assert res["p"][c] == pytest.approx(ref.p, rel=1e-9)


def test_missing_values_match_the_compressed_series():
    rng = np.random.default_rng(5)
    values = (rng.normal(size=(24, 150)) + 0.1 * np.arange(24)[:, None]).astype(np.float32)
    values[rng.random(values.shape) < 0.2] = np.nan
    res = trend.sen_mann_kendall(values, YEARS24)
    for c in range(values.shape[1]):
        x = values[:, c].astype(np.float64)
        ok = ~np.isnan(x)
        ref = mk.original_test(x[ok])
        assert res["n_valid"][c] == ok.sum()
        assert res["slope"][c] == pytest.approx(theilslopes(x[ok], YEARS24[ok]).slope, rel=1e-6)
        assert res["s"][c] == ref.s
        assert res["var_s"][c] == pytest.approx(ref.var_s, rel=1e-14)
        assert res["p"][c] == pytest.approx(ref.p, rel=1e-9)


def test_hamed_rao_matches_pymannkendall_on_complete_series():
    rng = np.random.default_rng(6)
    e = rng.normal(size=(20, 150))
    ar = np.zeros_like(e)
    for i in range(20):  # AR(1) noise, phi = 0.6, so the correction has work to do
        ar[i] = (0.6 * ar[i - 1] if i else 0.0) + e[i]
    values = np.concatenate(
        [ar + 0.1 * np.arange(20)[:, None], rng.integers(0, 5, size=(20, 150)).astype(float)], axis=1
    )
    years = np.arange(2001, 2021)
    res = trend.sen_mann_kendall(values, years, method="hamed_rao")
    n_corrected = 0
    for c in range(values.shape[1]):
        ref = mk_quiet(mk.hamed_rao_modification_test, values[:, c])
        assert res["slope"][c] == ref.slope
        assert res["s"][c] == ref.s
        if ref.var_s > 0:
            n_corrected += 1
            assert not res["correction_fallback"][c]
            assert res["var_s"][c] == pytest.approx(ref.var_s, rel=1e-9)
            assert res["z"][c] == pytest.approx(ref.z, rel=1e-9, abs=1e-12)
            assert res["p"][c] == pytest.approx(ref.p, rel=1e-7, abs=1e-12)
        elif res["var_s"][c] > 0:  # pymannkendall: NaN; here the uncorrected variance, flagged
            assert res["correction_fallback"][c]
            assert res["var_s"][c] == pytest.approx(mk.original_test(values[:, c]).var_s, rel=1e-14)
    assert n_corrected > 250


def test_hamed_rao_fallback_where_pymannkendall_gives_nan():
    # a permutation whose detrended ranks are so anti-correlated that the corrected Var(S) < 0
    x = np.array([2.0, 0.0, 6.0, 1.0, 9.0, 3.0, 7.0, 4.0, 5.0, 8.0])
    years = np.arange(2001, 2011)
    ref = mk_quiet(mk.hamed_rao_modification_test, x)
    assert ref.var_s < 0 and np.isnan(ref.z)
    original = mk.original_test(x)
    res = trend.sen_mann_kendall(x[:, None], years, method="hamed_rao")
    assert res["correction_fallback"].tolist() == [True]
    assert res["slope"][0] == ref.slope
    assert res["var_s"][0] == original.var_s
    assert res["z"][0] == pytest.approx(original.z, rel=1e-12)
    assert res["p"][0] == pytest.approx(original.p, rel=1e-9)
    plain = trend.sen_mann_kendall(x[:, None], years)
    assert plain["correction_fallback"].tolist() == [False]
    assert plain["var_s"][0] == original.var_s


def test_hamed_rao_with_missing_values_and_year_gaps_matches_reference():
    values = mixed_stack(18, 400, seed=7, nan_share=0.1).astype(np.float64)
    years = np.array(
        [
            2001,
            2002,
            2003,
            2005,
            2006,
            2007,
            2008,
            2009,
            2011,
            2012,
            2013,
            2014,
            2016,
            2017,
            2018,
            2019,
            2020,
            2022,
        ]
    )
    res = trend.sen_mann_kendall(values, years, method="hamed_rao", acf_alpha=0.1)
    assert_matches(res, reference_block(values, years, "hamed_rao", 0.1), slope_rtol=1e-6, slope_atol=1e-9)
    assert res["correction_fallback"].any()


# ----------------------------------------------------------------------------------------------------
# The vectorised kernel against the per-pixel reference


@pytest.mark.parametrize("nan_share", [0.0, 0.03, 0.3])
def test_kernel_equals_per_pixel_reference(nan_share):
    values = mixed_stack(24, 1500, seed=8, nan_share=nan_share)
    res = trend.sen_mann_kendall(values, YEARS24)
    ref = reference_block(values.astype(np.float64), YEARS24)
    # float32 selection may swap two slopes closer than a float32 ulp; everything else is exact
    assert_matches(res, ref, slope_rtol=1e-6, slope_atol=1e-9)
    assert np.mean(res["slope"] == ref["slope"]) > 0.99


def test_chunking_and_grouping_do_not_change_results():
    values = mixed_stack(24, 700, seed=9, nan_share=0.05)
    years = YEARS24.astype(np.float64)
    whole = trend.sen_mann_kendall(values, years, method="hamed_rao")
    for chunk in (1, 7, 256):
        part = trend._sen_mk_kernel(values, years, True, 0.05, chunk=chunk)
        for key in whole:
            assert_array_equal(part[key], whole[key], err_msg=f"{key}, chunk={chunk}")


def test_median_selection_paths_agree():
    rng = np.random.default_rng(10)
    n, k = 24, 3000
    x = mixed_stack(n, k, seed=10)
    first, second = trend._pair_members(n)
    t = np.arange(n, dtype=np.float64)[:, None]
    sl = ((x[second] - x[first]) / (t[second] - t[first]).astype(np.float32)).astype(np.float32)
    sl[:, :100] = rng.integers(-2, 3, (sl.shape[0], 100))  # heavy ties in a few columns
    cols = np.arange(k)
    ws = trend._Scratch()
    rows_probe = trend._median_rows(sl, x, t, ws)
    rows_part = trend._median_partition(sl.copy(), trend._Scratch())
    ref = np.sort(sl, axis=0)[[(sl.shape[0] - 1) // 2, sl.shape[0] // 2]]
    for rows in (rows_probe, rows_part):
        assert_array_equal(sl[rows[0], cols], ref[0])
        assert_array_equal(sl[rows[1], cols], ref[1])


@settings(max_examples=60, deadline=None)
@given(
    n_years=st.integers(2, 30),
    n_pixels=st.integers(1, 12),
    kind=st.sampled_from(["float64", "float32", "ties"]),
    nan_share=st.sampled_from([0.0, 0.1, 0.5]),
    method=st.sampled_from(trend.METHODS),
    seed=st.integers(0, 2**32 - 1),
)
def test_property_kernel_equals_reference(n_years, n_pixels, kind, nan_share, method, seed):
    rng = np.random.default_rng(seed)
    years = np.cumsum(rng.integers(1, 4, n_years)) + 1980
    if kind == "ties":
        values = rng.integers(-2, 3, (n_years, n_pixels)).astype(np.float32)
    else:
        values = rng.normal(size=(n_years, n_pixels)) * 10 ** rng.uniform(-3, 3)
        values += rng.normal(size=n_pixels) * (years - years[0])[:, None]
        values = values.astype(kind)
    values[rng.random(values.shape) < nan_share] = np.nan
    res = trend.sen_mann_kendall(values, years, method=method)
    ref = reference_block(values.astype(np.float64), years, method)
    scale = np.nanmax(np.abs(values), initial=0.0)
    assert_matches(res, ref, slope_rtol=1e-6, slope_atol=1e-9 * scale)
    for key, dtype in (
        ("slope", np.float64),
        ("s", np.int64),
        ("n_valid", np.int64),
        ("correction_fallback", bool),
    ):
        assert res[key].dtype == dtype and res[key].shape == (n_pixels,)


# ----------------------------------------------------------------------------------------------------
# Conventions and edge cases


def test_constant_series_and_too_few_values():
    nan = np.nan
    values = np.array(
        [
            [5.0, nan, nan, 1.0],
            [5.0, nan, 3.0, 2.0],
            [5.0, nan, nan, nan],
            [5.0, nan, nan, 2.0],
            [5.0, nan, nan, 3.0],
        ]
    )
    for method in trend.METHODS:
        res = trend.sen_mann_kendall(values, [2001, 2002, 2003, 2004, 2005], method=method)
        # constant series: slope 0, S 0, Var(S) 0, z 0, p 1 (as pymannkendall's original_test)
        assert (res["slope"][0], res["s"][0], res["var_s"][0], res["z"][0], res["p"][0]) == (0, 0, 0, 0, 1)
        # all-NaN and single-value pixels: no test
        for c in (1, 2):
            assert np.isnan(res["slope"][c]) and np.isnan(res["z"][c]) and np.isnan(res["p"][c])
            assert res["s"][c] == 0 and res["var_s"][c] == 0
        assert res["n_valid"].tolist() == [5, 0, 1, 4]
        assert not res["correction_fallback"][:3].any()
    ref = mk.original_test(np.full(5, 5.0))
    assert (ref.s, ref.var_s, ref.z, ref.p) == (0, 0, 0, 1)
    classes = trend.trend_class(res["slope"], res["p"])
    assert classes[:3].tolist() == [TREND_3.codes[1], CLASS_NODATA, CLASS_NODATA]


def test_integer_and_large_inputs():
    rng = np.random.default_rng(11)
    ints = rng.integers(-300, 300, (12, 40)).astype(np.int16)
    years = np.arange(2010, 2022)
    res = trend.sen_mann_kendall(ints, years)
    ref = reference_block(ints.astype(np.float64), years)
    assert_matches(res, ref)
    big = rng.normal(size=(12, 40)) * 1e35  # float32 differences would overflow: computed in float64
    res = trend.sen_mann_kendall(big.astype(np.float32), years)
    assert np.isfinite(res["slope"]).all()
    assert_matches(res, reference_block(big.astype(np.float32).astype(np.float64), years))


def test_threads_give_the_same_results():
    values = mixed_stack(24, 4000, seed=12, nan_share=0.02)
    whole = trend.sen_mann_kendall(values, YEARS24)
    with ThreadPoolExecutor(max_workers=2) as pool:
        parts = list(
            pool.map(lambda a: trend.sen_mann_kendall(values[:, a : a + 1000], YEARS24), range(0, 4000, 1000))
        )
    for key in whole:
        assert_array_equal(np.concatenate([p[key] for p in parts]), whole[key])


def test_memory_layout_and_input_types_do_not_matter():
    values = mixed_stack(24, 500, seed=13, nan_share=0.05)
    expected = trend.sen_mann_kendall(values, YEARS24)
    for variant in (np.asfortranarray(values), values.astype(np.float64), values.tolist()):
        res = trend.sen_mann_kendall(variant, list(YEARS24))
        for key in expected:
            assert_array_equal(res[key], expected[key], err_msg=key)


def test_empty_block():
    res = trend.sen_mann_kendall(np.empty((10, 0), dtype=np.float32), np.arange(10))
    assert all(v.shape == (0,) for v in res.values())


@pytest.mark.parametrize(
    ("values", "years", "kwargs", "message"),
    [
        (np.zeros(10), np.arange(10), {}, "values must be 2-D"),
        (np.zeros((1, 3)), [2001], {}, "at least 2 time steps"),
        (np.zeros((3, 2), dtype=complex), [1, 2, 3], {}, "real numeric"),
        (np.array([[1.0], [np.inf], [2.0]]), [1, 2, 3], {}, "finite or NaN"),
        (np.zeros((3, 2)), [1, 2], {}, "one entry per row"),
        (np.zeros((3, 2)), [[1, 2, 3]], {}, "years must be 1-D"),
        (np.zeros((3, 2)), [1, 3, 3], {}, "strictly increasing"),
        (np.zeros((3, 2)), [1, np.nan, 3], {}, "years must be finite"),
        (np.zeros((3, 2)), ["a", "b", "c"], {}, "years must be a numeric"),
        (np.zeros((3, 2)), [1, 2, 3], {"method": "sen"}, "method must be one of"),
        (np.zeros((3, 2)), [1, 2, 3], {"method": "hamed_rao", "acf_alpha": 1.5}, "acf_alpha must be in"),
    ],
)
def test_sen_mann_kendall_validation(values, years, kwargs, message):
    with pytest.raises(ValueError, match=message):
        trend.sen_mann_kendall(values, years, **kwargs)


# ----------------------------------------------------------------------------------------------------
# trend_class and check_series_length


def test_trend_class_three():
    slope = [0.5, -0.5, 0.5, -0.5, 0.0, 0.5, np.nan, 0.5, -2.0]
    p = [0.001, 0.001, 0.05, 0.2, 0.0001, np.nan, 0.01, 0.049999, 0.0499]
    expected = [3, 1, 2, 2, 2, 0, 0, 3, 1]
    assert trend.trend_class(slope, p).tolist() == expected
    assert trend.trend_class(slope, p).dtype == np.uint8
    assert trend.trend_class([0.5, -0.5], [0.08, 0.08], alpha=0.1).tolist() == [3, 1]
    assert set(expected) - {CLASS_NODATA} <= set(TREND_3.codes)


def test_trend_class_five():
    slope = [0.5, 0.5, 0.5, 0.5, -0.5, -0.5, -0.5, 0.0, np.nan]
    p = [0.0001, 0.01, 0.03, 0.05, 0.0099, 0.02, 0.3, 0.001, 0.001]
    expected = [5, 4, 4, 3, 1, 2, 3, 3, 0]
    assert trend.trend_class(slope, p, five_class=True).tolist() == expected
    assert set(expected) - {CLASS_NODATA} <= set(TREND_5.codes)
    assert TREND_5.name_of(5).startswith("Extremely significant increase")


def test_trend_class_keeps_shape_and_validates():
    slope = np.array([[0.5, -0.5], [0.0, 1.0]])
    p = np.array([[0.01, 0.01], [0.01, 0.5]])
    assert trend.trend_class(slope, p).tolist() == [[3, 1], [2, 2]]
    with pytest.raises(ValueError, match="same shape"):
        trend.trend_class([0.1, 0.2], [0.01])
    with pytest.raises(ValueError, match="alpha must be in"):
        trend.trend_class([0.1], [0.01], alpha=0)
    with pytest.raises(ValueError, match="above 0.01 with five_class"):
        trend.trend_class([0.1], [0.01], alpha=0.01, five_class=True)


def test_check_series_length():
    for n in (0, 3):
        with pytest.raises(ValueError, match=f"Mann–Kendall needs at least 4 years; got {n}"):
            trend.check_series_length(n)
    for n in (4, 7, np.int64(5)):
        message = trend.check_series_length(n)
        assert isinstance(message, str) and "little power" in message and str(int(n)) in message
    assert trend.check_series_length(8) is None
    assert trend.check_series_length(24) is None
    for bad in (5.0, "10", True):
        with pytest.raises(ValueError, match="n_years must be an integer"):
            trend.check_series_length(bad)

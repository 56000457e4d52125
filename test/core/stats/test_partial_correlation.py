"""Partial and multiple correlation per pixel, and the climate driver types (docs/method.md, step 10)."""

import numpy as np
import pytest
from scipy import stats

from core.common.classes import CLASS_NODATA
from core.stats import partial_correlation as pc
from core.stats.partial_correlation import DRIVER_TYPES, driver_class, partial_correlation


def _series(rng, n_years, n_pixels, m=2, noise=1.0):
    """Correlated explanatory variables and a response that depends on them."""
    base = rng.normal(size=(n_years, n_pixels))
    xs = [base * 0.5 + rng.normal(size=(n_years, n_pixels)) for _ in range(m)]
    coef = rng.normal(size=(m, 1, n_pixels))
    y = sum(c * x for c, x in zip(coef, xs)) + noise * rng.normal(size=(n_years, n_pixels))
    return y, xs


def _residual(a, controls):
    """Residual of a on an intercept and the controls (least squares)."""
    design = np.column_stack([np.ones(a.size), *controls])
    coef, *_ = np.linalg.lstsq(design, a, rcond=None)
    return a - design @ coef


def _ols(y, xs):
    """R², F, its p, and the t of each coefficient of y on an intercept and xs, by numpy lstsq."""
    n, m = y.size, len(xs)
    design = np.column_stack([np.ones(n), *xs])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    sse = resid @ resid
    sst = ((y - y.mean()) ** 2).sum()
    r2 = 1 - sse / sst
    f = (sst - sse) / m / (sse / (n - m - 1))
    cov = sse / (n - m - 1) * np.linalg.inv(design.T @ design)
    t = coef[1:] / np.sqrt(np.diag(cov)[1:])
    return r2, f, stats.f.sf(f, m, n - m - 1), t


# ------------------------------------------------------------------------------------- against references
def test_partial_r_equals_the_correlation_of_regression_residuals():
    rng = np.random.default_rng(0)
    y, xs = _series(rng, 24, 30)
    res = partial_correlation(y, xs)
    for p in range(30):
        e_y = _residual(y[:, p], [xs[1][:, p]])
        e_1 = _residual(xs[0][:, p], [xs[1][:, p]])
        assert res["partial_r"][0, p] == pytest.approx(np.corrcoef(e_y, e_1)[0, 1], abs=1e-12)
        e_y = _residual(y[:, p], [xs[0][:, p]])
        e_2 = _residual(xs[1][:, p], [xs[0][:, p]])
        assert res["partial_r"][1, p] == pytest.approx(np.corrcoef(e_y, e_2)[0, 1], abs=1e-12)


def test_partial_r_equals_the_closed_form_and_multiple_r_the_textbook_formula():
    rng = np.random.default_rng(1)
    y, xs = _series(rng, 15, 20)
    res = partial_correlation(y, xs)
    for p in range(20):
        r = np.corrcoef([y[:, p], xs[0][:, p], xs[1][:, p]])
        ry1, ry2, r12 = r[0, 1], r[0, 2], r[1, 2]
        r_y1_2 = (ry1 - ry2 * r12) / np.sqrt((1 - ry2**2) * (1 - r12**2))
        r_y2_1 = (ry2 - ry1 * r12) / np.sqrt((1 - ry1**2) * (1 - r12**2))
        assert res["partial_r"][:, p] == pytest.approx([r_y1_2, r_y2_1], abs=1e-12)
        assert res["simple_r"][:, p] == pytest.approx([ry1, ry2], abs=1e-12)
        # docs/method.md, step 10: R = sqrt(1 - (1 - r_y1²)(1 - r_y2·1²))
        assert res["multiple_r"][p] == pytest.approx(np.sqrt(1 - (1 - ry1**2) * (1 - r_y2_1**2)), abs=1e-12)


def test_t_and_f_p_values_match_scipy_and_an_ols_fit():
    rng = np.random.default_rng(2)
    for m in (1, 2, 3, 4):
        y, xs = _series(rng, 20, 12, m=m, noise=2.0)
        res = partial_correlation(y, xs)
        n, k = 20, m - 1
        df = n - k - 2
        r = res["partial_r"]
        t = r * np.sqrt(df) / np.sqrt(1 - r**2)
        np.testing.assert_allclose(res["partial_t"], t, rtol=1e-12)
        np.testing.assert_allclose(res["partial_p"], 2 * stats.t.sf(np.abs(t), df), rtol=1e-10)
        r2 = res["multiple_r"] ** 2
        f = r2 / (1 - r2) * (n - m - 1) / m
        np.testing.assert_allclose(res["f"], f, rtol=1e-12)
        np.testing.assert_allclose(res["f_p"], stats.f.sf(f, m, n - m - 1), rtol=1e-10)
        assert (res["n"] == 20).all()
        for p in range(12):
            ols_r2, ols_f, ols_p, ols_t = _ols(y[:, p], [x[:, p] for x in xs])
            assert r2[p] == pytest.approx(ols_r2, rel=1e-10)
            assert res["f"][p] == pytest.approx(ols_f, rel=1e-9)
            assert res["f_p"][p] == pytest.approx(ols_p, rel=1e-8)
            # the t of a partial correlation is the t of that coefficient in the full regression
            np.testing.assert_allclose(res["partial_t"][:, p], ols_t, rtol=1e-9)


def test_more_controls_match_regression_residuals():
    rng = np.random.default_rng(3)
    y, xs = _series(rng, 18, 10, m=3)
    res = partial_correlation(y, np.stack(xs))  # one (m, n_years, n_pixels) array works too
    for p in range(10):
        for k in range(3):
            others = [xs[j][:, p] for j in range(3) if j != k]
            e_y = _residual(y[:, p], others)
            e_k = _residual(xs[k][:, p], others)
            assert res["partial_r"][k, p] == pytest.approx(np.corrcoef(e_y, e_k)[0, 1], abs=1e-10)


def test_elimination_path_equals_the_closed_form_for_two_variables():
    rng = np.random.default_rng(4)
    y, xs = _series(rng, 12, 50)
    r = np.stack([np.stack([np.full(50, np.nan)] * 3)] * 3)
    for p in range(50):
        r[:, :, p] = np.corrcoef([y[:, p], xs[0][:, p], xs[1][:, p]])
    r[:, :, 7] = np.nan  # a degenerate pixel must not break the batch
    closed = pc._closed_form(r)
    general = pc._by_elimination(r)
    for a, b in zip(closed, general):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    assert np.isnan(general[0][:, 7]).all() and np.isnan(general[1][7])


def _reference_pixel(y, xs, min_n):
    """One pixel by plain loops: common valid years, residual correlations, scipy tests."""
    m = len(xs)
    ok = np.isfinite(y) & np.all([np.isfinite(x) for x in xs], axis=0)
    n = int(ok.sum())
    nan = {"r": [np.nan] * m, "p": [np.nan] * m, "R": np.nan, "fp": np.nan, "n": n}
    yv, xv = y[ok], [x[ok] for x in xs]
    if n < min_n or np.ptp(yv) == 0 or any(np.ptp(x) == 0 for x in xv):
        return nan
    rs, ps = [], []
    for k in range(m):
        others = [xv[j] for j in range(m) if j != k]
        r = np.corrcoef(_residual(yv, others), _residual(xv[k], others))[0, 1]
        df = n - m - 1
        rs.append(r)
        ps.append(2 * stats.t.sf(abs(r) * np.sqrt(df / (1 - r**2)), df))
    r2, _, fp, _ = _ols(yv, xv)
    return {"r": rs, "p": ps, "R": np.sqrt(r2), "fp": fp, "n": n}


@pytest.mark.parametrize("m", [2, 3])
def test_vectorised_kernel_equals_a_per_pixel_loop_with_missing_years(m):
    rng = np.random.default_rng(10 + m)
    y, xs = _series(rng, 16, 200, m=m)
    for a in (y, *xs):
        a[rng.random(a.shape) < 0.12] = np.nan
    y[:, 5] = np.nan  # all missing
    y[3:, 6] = np.nan  # too few years
    xs[0][:, 7] = 2.5  # constant
    res = partial_correlation(y, xs, min_n=8)
    for p in range(200):
        ref = _reference_pixel(y[:, p], [x[:, p] for x in xs], 8)
        assert res["n"][p] == ref["n"]
        np.testing.assert_allclose(res["partial_r"][:, p], ref["r"], atol=1e-10, equal_nan=True)
        np.testing.assert_allclose(res["partial_p"][:, p], ref["p"], rtol=1e-8, atol=1e-14, equal_nan=True)
        np.testing.assert_allclose(res["multiple_r"][p], ref["R"], atol=1e-10, equal_nan=True)
        np.testing.assert_allclose(res["f_p"][p], ref["fp"], rtol=1e-8, atol=1e-14, equal_nan=True)
    assert np.isnan(res["partial_r"][:, [5, 6, 7]]).all()
    assert np.isfinite(res["partial_r"]).sum() > 0.8 * res["partial_r"].size


def test_float32_blocks_give_the_float64_result():
    rng = np.random.default_rng(5)
    y, xs = _series(rng, 24, 100)
    y32, xs32 = y.astype(np.float32), [x.astype(np.float32) for x in xs]
    a = partial_correlation(y32, xs32)
    b = partial_correlation(y32.astype(float), [x.astype(float) for x in xs32])
    for key in ("partial_r", "partial_p", "multiple_r", "f_p"):
        np.testing.assert_allclose(a[key], b[key], rtol=1e-12, atol=1e-15)


# --------------------------------------------------------------------------------------- degenerate cases
def test_constant_series_and_collinear_controls_give_nan_without_warnings():
    rng = np.random.default_rng(6)
    y, xs = _series(rng, 10, 5)
    y[:, 0] = 3.3  # constant response (not exactly representable: the mean is not exact)
    xs[1][:, 1] = 0.1  # constant control
    xs[1][:, 2] = 2.0 * xs[0][:, 2] + 1.0  # collinear controls
    y[:, 3] = np.nan
    with np.errstate(all="raise"):
        res = partial_correlation(y, xs)
    for key in ("partial_r", "partial_t", "partial_p", "multiple_r", "f", "f_p"):
        assert np.isnan(res[key][..., :4]).all(), key
        assert np.isfinite(res[key][..., 4]).all(), key
    assert res["n"].tolist() == [10, 10, 10, 0, 10]
    assert driver_class(res["partial_p"], res["f_p"]).tolist()[:4] == [CLASS_NODATA] * 4


def test_exact_linear_response_is_significant_and_not_nan():
    t = np.arange(12.0)
    x1 = np.sin(t)[:, None]
    x2 = np.cos(1.7 * t)[:, None]
    res = partial_correlation(3 * x1 - 2 * x2 + 5, [x1, x2])
    assert res["multiple_r"][0] == pytest.approx(1.0)
    assert res["f_p"][0] < 1e-12
    assert np.abs(res["partial_r"][:, 0]) == pytest.approx([1.0, 1.0])
    assert (res["partial_p"][:, 0] < 1e-12).all()
    assert driver_class(res["partial_p"], res["f_p"]).tolist() == [1]


def test_degenerate_pixels_with_three_variables():
    rng = np.random.default_rng(8)
    y, xs = _series(rng, 14, 4, m=3)
    xs[2][:, 0] = xs[0][:, 0] - 0.5 * xs[1][:, 0]  # collinear controls
    xs[1][:, 1] = 7.0  # constant
    y[:, 2] = 2 * xs[0][:, 2] - xs[1][:, 2] + 0.5 * xs[2][:, 2]  # exact fit
    with np.errstate(all="raise"):
        res = partial_correlation(y, xs)
    assert np.isnan(res["partial_r"][:, :2]).all() and np.isnan(res["f_p"][:2]).all()
    assert res["multiple_r"][2] == pytest.approx(1.0) and res["f_p"][2] < 1e-12
    assert np.abs(res["partial_r"][:, 2]) == pytest.approx([1.0, 1.0, 1.0])
    assert np.isfinite(res["partial_r"][:, 3]).all()


def test_chunks_give_the_same_result_as_one_block():
    rng = np.random.default_rng(9)
    y, xs = _series(rng, 10, 50, m=3)
    y[rng.random(y.shape) < 0.1] = np.nan
    whole = pc._kernel([y, *xs], 5, chunk=10**6)
    chunked = pc._kernel([y, *xs], 5, chunk=7)
    for key in whole:
        np.testing.assert_allclose(whole[key], chunked[key], rtol=1e-13, atol=1e-15, err_msg=key)


def test_a_pixel_without_any_year_left_in_a_variable_is_nan():
    y = np.ones((5, 2))
    y[:, 1] = np.arange(5.0)
    x = np.full((5, 2), np.nan)
    res = partial_correlation(y, [x, x.copy()])
    assert np.isnan(res["f_p"]).all() and res["n"].tolist() == [0, 0]


# ---------------------------------------------------------------------------------------------- classes
def test_every_driver_class_by_hand():
    sig, ns = 0.01, 0.2
    p_partial = np.array(
        [
            [sig, sig, ns, ns, sig, ns, np.nan, sig, sig],  # temperature
            [sig, ns, sig, ns, sig, ns, sig, np.nan, ns],  # precipitation
        ]
    )
    p_f = np.array([sig, sig, sig, sig, ns, ns, sig, sig, np.nan])
    out = driver_class(p_partial, p_f)
    assert out.dtype == np.uint8
    assert out.tolist() == [1, 2, 3, 4, 5, 5, 0, 0, 0]
    names = [DRIVER_TYPES.name_of(c) for c in out[:5]]
    assert names == [
        "Temperature and precipitation co-driven",
        "Temperature-driven",
        "Precipitation-driven",
        "Climate-driven, weak",
        "Not climate-driven",
    ]
    # significance is p < alpha
    assert driver_class([[0.05], [0.01]], [0.01]).tolist() == [3]
    assert driver_class([[0.05], [0.01]], [0.01], alpha=0.1).tolist() == [1]


def test_driver_classes_with_a_third_control_use_temperature_and_precipitation():
    p_partial = np.array([[0.2, 0.01], [0.2, 0.2], [0.001, 0.001]])
    assert driver_class(p_partial, np.array([0.001, 0.001])).tolist() == [4, 2]


def test_driver_scheme_codes_and_colours():
    assert DRIVER_TYPES.codes == [1, 2, 3, 4, 5]
    colours = [c.color for c in DRIVER_TYPES.classes]
    assert len(set(colours)) == 5 and all(c.startswith("#") and len(c) == 7 for c in colours)


# ------------------------------------------------------------------------------------------- validation
@pytest.mark.parametrize(
    ("y", "xs", "kwargs", "match"),
    [
        (np.ones(5), [np.ones(5)], {}, "y must be 2-D"),
        (np.ones((5, 2)), [], {}, "at least one explanatory"),
        (np.ones((5, 2)), [np.ones((5, 3))], {}, r"xs\[0\] must have the shape of y"),
        (np.ones((2, 2)), [np.ones((2, 2))], {}, "at least 3 years"),
        (np.array([[1.0], [np.inf], [2.0]]), [np.ones((3, 1))], {}, r"±inf"),
        (np.ones((5, 2)), [np.ones((5, 2))] * 2, {"min_n": 3}, "min_n must be at least m \\+ 2 = 4"),
        (np.ones((5, 2)), [np.ones((5, 2))], {"min_n": 4.0}, "min_n must be an integer"),
        (np.array([["a"]] * 3), [np.ones((3, 1))], {}, "real numbers"),
        (np.ones((5, 2)), np.ones((5, 2)), {}, "sequence of"),
    ],
)
def test_invalid_input_is_refused_with_a_precise_message(y, xs, kwargs, match):
    with pytest.raises(ValueError, match=match):
        partial_correlation(y, xs, **kwargs)


def test_driver_class_validation():
    with pytest.raises(ValueError, match="at least 2"):
        driver_class([[0.1, 0.2]], [0.1, 0.2])
    with pytest.raises(ValueError, match="p_partial must be"):
        driver_class([[0.1], [0.2]], [0.1, 0.2])
    with pytest.raises(ValueError, match="alpha"):
        driver_class([[0.1], [0.2]], [0.1], alpha=1.5)

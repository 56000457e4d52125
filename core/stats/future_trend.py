"""Future trend of each pixel from its Sen slope and Hurst exponent (docs/method.md, step 9)."""

from __future__ import annotations

import numpy as np

from ..common.classes import CLASS_NODATA

__all__ = ["HURST_TYPICAL_MAX", "InputRangeError", "future_trend_class", "hurst_above_typical"]

#: R/S estimates of H lie in about 0–1.5 (H of a stationary process is in (0, 1); short series overshoot
#: 1). Above 2 come only degenerate series: constant over their first years (as Random Forest predictions
#: often are), so that only a few window lengths τ near n enter the fit and the slope of log(R/S) on log τ
#: is steep (H = 3.5 for 18 constant years of 24, ``test/core/test_future_trend_roles.py``). Such pixels
#: are classed (H > 0.5: persistent) and counted, not refused. A Hurst exponent is never negative: a
#: negative value means the raster is not one (most often the slope, given in the Hurst role).
HURST_TYPICAL_MAX = 2.0


class InputRangeError(ValueError):
    """An input holds values its role cannot have; ``argument`` names it ("hurst" or "p")."""

    def __init__(self, argument: str, message: str):
        super().__init__(message)
        self.argument = argument


# Codes of FUTURE_4 and FUTURE_8 in core/common/classes.py; test_future_trend checks them against the names.
_F4_CONT_IMPROVEMENT = 1
_F4_FUT_DEGRADATION = 2
_F4_FUT_IMPROVEMENT = 3
_F4_CONT_DEGRADATION = 4
_F4_UNDETERMINED = 5
# FUTURE_8 code by (slope direction, persistence, significant).
_F8 = {
    ("up", "persistent", True): 1,
    ("up", "persistent", False): 2,
    ("up", "anti", True): 3,
    ("up", "anti", False): 4,
    ("down", "anti", False): 5,
    ("down", "anti", True): 6,
    ("down", "persistent", False): 7,
    ("down", "persistent", True): 8,
}
_F8_UNDETERMINED = 9


def future_trend_class(slope, hurst, p=None, alpha=0.05):
    """Future-trend class of every pixel from the trend slope β, the Hurst exponent H and optionally
    the trend's significance.

    Parameters
    ----------
    slope : array_like of float
        Trend slope β of each pixel (e.g. the Theil–Sen slope); NaN for nodata.
    hurst : array_like of float, same shape as ``slope``
        Hurst exponent H of each pixel; NaN for nodata.
    p : array_like of float, same shape as ``slope``, optional
        Two-sided p-value of the trend (e.g. Mann–Kendall); NaN for nodata. When given, the result
        uses the eight-class scheme ``FUTURE_8`` instead of ``FUTURE_4``.
    alpha : float, default 0.05
        Significance level, 0 < alpha < 1; a trend is significant where ``p < alpha``.

    Returns
    -------
    numpy.ndarray of uint8, same shape as ``slope``
        ``FUTURE_4`` codes (without ``p``) or ``FUTURE_8`` codes (with ``p``); ``CLASS_NODATA`` (0)
        where any input is NaN.

    Raises
    ------
    InputRangeError
        A subclass of ValueError naming the argument: a negative Hurst exponent or a p-value outside
        [0, 1] (the message gives the values found).
    ValueError
        If an input is not real numeric, the shapes differ, or ``alpha`` is not in (0, 1).

    Notes
    -----
    H > 0.5 means the series is persistent (its direction of change tends to continue), H < 0.5
    anti-persistent (it tends to reverse). Crossing the direction of β with H:

    ==========  =========  ============================  =====================================
    β           H          ``FUTURE_4``                  ``FUTURE_8`` (significant: p < alpha)
    ==========  =========  ============================  =====================================
    β > 0       H > 0.5    1 continuous improvement      1 significant, 2 not significant
    β > 0       H < 0.5    2 future degradation          3 significant, 4 not significant
    β < 0       H < 0.5    3 future improvement          6 significant, 5 not significant
    β < 0       H > 0.5    4 continuous degradation      8 significant, 7 not significant
    β = 0       any        5 undetermined                9 undetermined
    any         H = 0.5    5 undetermined                9 undetermined
    ==========  =========  ============================  =====================================

    "Improvement" assumes a larger value is better (carbon density, storage, NPP). The comparisons
    are exact: apply any tolerance (e.g. rounding β) before calling.

    References
    ----------
    Hurst, H. E. (1951). Long-term storage capacity of reservoirs. Transactions of the American
    Society of Civil Engineers, 116, 770–799.

    Mandelbrot, B. B., & Wallis, J. R. (1969). Robustness of the rescaled range R/S in the measurement
    of noncyclic long run statistical dependence. Water Resources Research, 5(5), 967–988.

    Examples
    --------
    >>> future_trend_class([0.3, 0.3, -0.2, -0.2, 0.0, float("nan")],
    ...                    [0.8, 0.4, 0.3, 0.7, 0.8, 0.6])
    array([1, 2, 3, 4, 5, 0], dtype=uint8)
    >>> future_trend_class([0.3, 0.3], [0.8, 0.8], p=[0.01, 0.20])
    array([1, 2], dtype=uint8)
    """
    beta = _as_real(slope, "slope")
    h = _as_real(hurst, "hurst")
    if h.shape != beta.shape:
        raise ValueError(f"slope and hurst must have the same shape, got {beta.shape} and {h.shape}")
    if isinstance(alpha, (bool, np.bool_)) or not isinstance(alpha, (int, float, np.integer, np.floating)):
        raise ValueError(f"alpha must be a number with 0 < alpha < 1, got {alpha!r}")
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be a number with 0 < alpha < 1, got {alpha!r}")
    _check_range(
        h,
        "hurst",
        "Hurst exponents",
        0.0,
        np.inf,
        "a Hurst exponent is never negative (R/S estimates lie in about 0–1.5); is this the slope (slope and "
        "Hurst swapped)?",
    )
    if p is None:
        return _future4(beta, h)
    pv = _as_real(p, "p")
    if pv.shape != beta.shape:
        raise ValueError(f"p must have the same shape as slope, got {pv.shape} and {beta.shape}")
    _check_range(pv, "p", "p-values", 0.0, 1.0, "is this the p-value (not the Z or S of the trend test)?")
    return _future8(beta, h, pv, float(alpha))


def hurst_above_typical(hurst) -> np.ndarray:
    """Pixels whose Hurst exponent exceeds :data:`HURST_TYPICAL_MAX` (degenerate series), to count them.

    >>> hurst_above_typical([0.7, 2.4, float("nan")]).tolist()
    [False, True, False]
    """
    h = _as_real(hurst, "hurst")
    with np.errstate(invalid="ignore"):
        return h > HURST_TYPICAL_MAX


def _check_range(values, name, what, low, high, hint):
    with np.errstate(invalid="ignore"):
        bad = (values < low) | (values > high)
    if np.any(bad):
        v = values[bad]
        raise InputRangeError(
            name,
            f"{name} must hold {what} {_interval(low, high)} (NaN for nodata); found {v.size:,} outside, from "
            f"{float(v.min()):.4g} to {float(v.max()):.4g}: {hint}",
        )


def _as_real(a, name):
    arr = np.asarray(a)
    if arr.dtype.kind not in "fiu":
        raise ValueError(f"{name} must be a real numeric array (NaN for nodata), got dtype {arr.dtype}")
    return arr.astype(np.float64, copy=False)


def _future4(beta, h):
    out = np.full(beta.shape, _F4_UNDETERMINED, dtype=np.uint8)
    up, down = beta > 0.0, beta < 0.0
    pers, anti = h > 0.5, h < 0.5
    out[up & pers] = _F4_CONT_IMPROVEMENT
    out[up & anti] = _F4_FUT_DEGRADATION
    out[down & anti] = _F4_FUT_IMPROVEMENT
    out[down & pers] = _F4_CONT_DEGRADATION
    out[np.isnan(beta) | np.isnan(h)] = CLASS_NODATA
    return out


def _future8(beta, h, p, alpha):
    out = np.full(beta.shape, _F8_UNDETERMINED, dtype=np.uint8)
    direction = {"up": beta > 0.0, "down": beta < 0.0}
    persistence = {"persistent": h > 0.5, "anti": h < 0.5}
    sig = p < alpha
    for (d, q, s), code in _F8.items():
        out[direction[d] & persistence[q] & (sig if s else ~sig)] = code
    out[np.isnan(beta) | np.isnan(h) | np.isnan(p)] = CLASS_NODATA
    return out


def _interval(low, high):
    return f">= {low:g}" if np.isinf(high) else f"in [{low:g}, {high:g}]"

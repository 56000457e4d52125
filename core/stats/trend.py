"""Theil–Sen slope and Mann–Kendall trend test of yearly pixel series (docs/method.md, step 6).

The kernels work on a block of pixels laid out as ``(n_times, n_pixels)`` with NaN for a missing year
and return one value per pixel; they loop over time lags and over chunks of pixels, never over single
pixels, so the heavy numpy calls release the GIL and two engine threads run side by side.
"""

from __future__ import annotations

import functools
import math
import threading

import numpy as np
from scipy.special import ndtr, ndtri

from ..common.classes import CLASS_NODATA, TREND_3, TREND_5

__all__ = ["METHODS", "MIN_YEARS", "WARN_YEARS", "check_series_length", "sen_mann_kendall", "trend_class"]

#: Variance of S: the original Mann–Kendall one, or the Hamed & Rao (1998) correction.
METHODS = ("original", "hamed_rao")
#: Fewest years the trend algorithm accepts.
MIN_YEARS = 4
#: Below this many years the Mann–Kendall test has little power and a warning is given.
WARN_YEARS = 8

# Pixels per chunk inside the kernel. Measured on 15-40 years: 8192 beats 2048-6000 (Python overhead
# per chunk) and equals 10000; 4096 is pathologically slow (cache set conflicts of power-of-two row
# strides). Work arrays per chunk: ~12 bytes x n_pairs x chunk (27 MB for 24 years).
_CHUNK = 8192
# Above this magnitude float32 pair differences could overflow; such blocks are computed in float64.
_F32_MAX_ABS = 1e30


# ----------------------------------------------------------------------------------------------------
# Public functions


def sen_mann_kendall(values, years, method="original", acf_alpha=0.05):
    r"""Theil–Sen slope and Mann–Kendall trend test of every pixel of a block.

    Parameters
    ----------
    values : array_like of float, shape (n_times, n_pixels)
        One row per year, one column per pixel; NaN marks a missing year. ``±inf`` is not allowed.
    years : array_like of float or int, shape (n_times,)
        The year (or any time coordinate) of each row, finite and strictly increasing; gaps such as
        2001, 2002, 2005 are allowed and enter the slope as real time differences.
    method : {"original", "hamed_rao"}, default "original"
        ``"original"``: the Mann–Kendall variance of S with tie correction. ``"hamed_rao"``: that
        variance multiplied by the Hamed & Rao (1998) factor for serial correlation.
    acf_alpha : float, default 0.05
        Significance level, in (0, 1), of the rank autocorrelations kept by ``"hamed_rao"``
        (ignored by ``"original"``).

    Returns
    -------
    dict of numpy.ndarray, each of shape (n_pixels,)
        ``"slope"`` (float64) Theil–Sen slope in units of ``values`` per unit of ``years``;
        ``"s"`` (int64) Mann–Kendall S; ``"var_s"`` (float64) variance of S (corrected for
        ``"hamed_rao"``); ``"z"`` (float64) standard normal score; ``"p"`` (float64) two-sided
        p-value; ``"n_valid"`` (int64) number of valid years; ``"correction_fallback"`` (bool) True
        where the Hamed–Rao correction could not be applied and the uncorrected variance was kept
        (always False for ``"original"``).

    Raises
    ------
    ValueError
        If ``values`` is not a 2-D real array with at least 2 rows or contains ``±inf``; if ``years``
        is not 1-D, finite, strictly increasing and of length ``n_times``; if ``method`` is unknown;
        if ``acf_alpha`` is not in (0, 1).

    Notes
    -----
    For a pixel with the valid values :math:`x_1 … x_n` at the years :math:`t_1 < … < t_n`
    (missing years are dropped, so n is the pixel's own number of valid years):

    .. math::

        \beta = \operatorname{median}_{i<j} \frac{x_j - x_i}{t_j - t_i}, \qquad
        S = \sum_{i<j} \operatorname{sgn}(x_j - x_i),

        \operatorname{Var}(S) = \frac{n(n-1)(2n+5) - \sum_g t_g(t_g-1)(2t_g+5)}{18},

    with :math:`t_g` the size of the g-th group of exactly equal values; the median of an even number
    of slopes is the mean of the two middle ones (as ``scipy.stats.theilslopes``).
    :math:`Z = (S-1)/\sqrt{\operatorname{Var}(S)}` if S > 0, 0 if S = 0, :math:`(S+1)/\sqrt{\operatorname{Var}(S)}`
    if S < 0, and :math:`p = 2\,(1 - \Phi(|Z|))`.

    Conventions: a pixel with fewer than 2 valid years has slope, z and p NaN (S = 0, Var(S) = 0);
    a constant series (all values tied, Var(S) = 0) has slope 0, S 0, z 0 and p 1, as
    ``pymannkendall``. The caller is expected to blank pixels with too few valid years.

    Hamed & Rao (1998): the series is detrended with the Sen slope, :math:`x_i - \beta\,(t_i - t_1 + 1)`,
    and ranked (average ranks of ties, over the valid years only); with :math:`y = \text{rank} - (n+1)/2`
    the lag-k autocorrelation is :math:`\rho_k = \sum_t y_t y_{t+k} / \sum_t y_t^2`, the sum over the
    rows t for which both t and t + k are valid (lags count rows of the block). Only the
    :math:`\rho_k` with :math:`|\rho_k| > \Phi^{-1}(1 - \alpha_{acf}/2)/\sqrt{n}` are kept, for
    k = 1 … n − 1, and

    .. math::

        \operatorname{Var}^*(S) = \operatorname{Var}(S)\left[1 + \frac{2}{n(n-1)(n-2)}
        \sum_k (n-k)(n-k-1)(n-k-2)\,\rho_k\right].

    For a complete series this is exactly ``pymannkendall.hamed_rao_modification_test``
    (pymannkendall drops missing values before detrending, so with gaps the two differ). Where the
    factor is not a positive finite number — strong negative autocorrelation, fewer than 3 valid
    years, or an undefined autocorrelation because the detrended series is constant —
    pymannkendall returns NaN; here the uncorrected variance is kept instead and
    ``correction_fallback`` is True so the caller can count and report those pixels. A constant
    series (Var(S) = 0) needs no correction and is not flagged.

    Computation: the pair slopes are formed in float32 when every value is exactly a float32 (the
    signs and ties, hence S and Var(S), stay exact) and in float64 otherwise. Vectorised counting
    passes bracket the two middle slopes of each pixel and the few slopes inside the bracket are
    sorted (``np.partition`` where the bracket stays wide, as with heavy ties); the two middle
    slopes are then recomputed in float64 from their pairs. The slope is thus the float64 value of
    ``scipy.stats.theilslopes`` and ``pymannkendall`` bit for bit, except where two pair slopes less
    than a float32 rounding apart straddle the middle (then within ~1e-7 relative).

    References
    ----------
    Sen, P. K. (1968). Estimates of the regression coefficient based on Kendall's tau. Journal of the
    American Statistical Association 63(324):1379–1389.

    Mann, H. B. (1945). Nonparametric tests against trend. Econometrica 13(3):245–259.

    Kendall, M. G. (1975). Rank Correlation Methods, 4th ed. Charles Griffin, London.

    Hamed, K. H., Rao, A. R. (1998). A modified Mann–Kendall trend test for autocorrelated data.
    Journal of Hydrology 204(1–4):182–196.

    Examples
    --------
    >>> import numpy as np
    >>> values = np.array([[1.0, 5.0], [2.0, 5.0], [4.0, 5.0], [3.0, 5.0], [5.0, np.nan]])
    >>> res = sen_mann_kendall(values, [2001, 2002, 2003, 2005, 2006])
    >>> res["slope"], res["s"], res["n_valid"]
    (array([0.775, 0.   ]), array([8, 0]), array([5, 4]))
    >>> np.round(res["z"], 4), np.round(res["p"], 4)
    (array([1.7146, 0.    ]), array([0.0864, 1.    ]))
    """
    values, years = _validate_block(values, years)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}; got {method!r}")
    acf_alpha = float(acf_alpha)
    if not 0.0 < acf_alpha < 1.0:
        raise ValueError(f"acf_alpha must be in (0, 1); got {acf_alpha}")
    return _sen_mk_kernel(values, years, method == "hamed_rao", acf_alpha)


def trend_class(slope, p, alpha=0.05, five_class=False):
    """Trend class codes from the Sen slope and the Mann–Kendall p-value.

    Parameters
    ----------
    slope : array_like of float
        Theil–Sen slope of each pixel; NaN is nodata.
    p : array_like of float, same shape as ``slope``
        Two-sided Mann–Kendall p-value of each pixel; NaN is nodata.
    alpha : float, default 0.05
        Significance level, in (0, 1); with ``five_class`` it must be above 0.01.
    five_class : bool, default False
        Use :data:`core.common.classes.TREND_5` (also split at p < 0.01) instead of
        :data:`core.common.classes.TREND_3`.

    Returns
    -------
    numpy.ndarray of uint8, same shape as ``slope``
        ``TREND_3``: 1 significant decrease (p < alpha and slope < 0), 2 no significant change,
        3 significant increase (p < alpha and slope > 0). ``TREND_5``: 1 / 5 extremely significant
        decrease / increase (p < 0.01), 2 / 4 significant decrease / increase (0.01 <= p < alpha),
        3 no significant change. A slope of exactly 0 is "no significant change" whatever p is.
        NaN slope or p gives ``CLASS_NODATA`` (0).

    Raises
    ------
    ValueError
        If the shapes differ, or ``alpha`` is out of range.

    Notes
    -----
    "Significant" is ``p < alpha``; at alpha = 0.05 this is |Z| > 1.95996, the |Z| >= 1.96 of the
    usual tables up to the rounding of the table value.

    Examples
    --------
    >>> trend_class([0.5, -0.5, 0.5, 0.0, np.nan], [0.001, 0.02, 0.3, 0.0, 0.01])
    array([3, 1, 2, 2, 0], dtype=uint8)
    >>> trend_class([0.5, 0.5, -0.5], [0.001, 0.02, 0.001], five_class=True)
    array([5, 4, 1], dtype=uint8)
    """
    slope = np.asarray(slope, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    if slope.shape != p.shape:
        raise ValueError(f"slope and p must have the same shape; got {slope.shape} and {p.shape}")
    alpha = float(alpha)
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be in (0, 1); got {alpha}")
    if five_class and alpha <= 0.01:
        raise ValueError(
            f"alpha must be above 0.01 with five_class=True (inner split at p < 0.01); got {alpha}"
        )
    nodata = np.isnan(slope) | np.isnan(p)
    sig = p < alpha
    up = sig & (slope > 0)
    down = sig & (slope < 0)
    if not five_class:
        codes = TREND_3.codes  # decrease, no change, increase
        out = np.full(slope.shape, codes[1], dtype=np.uint8)
        out[down] = codes[0]
        out[up] = codes[2]
    else:
        codes = TREND_5.codes  # extreme decrease, decrease, no change, increase, extreme increase
        extreme = p < 0.01
        out = np.full(slope.shape, codes[2], dtype=np.uint8)
        out[down] = codes[1]
        out[down & extreme] = codes[0]
        out[up] = codes[3]
        out[up & extreme] = codes[4]
    out[nodata] = CLASS_NODATA
    return out


def check_series_length(n_years):
    """Check that a series is long enough for the Mann–Kendall test.

    Parameters
    ----------
    n_years : int
        Number of years (time steps) of the series.

    Returns
    -------
    str or None
        A warning message below 8 years (the test has little power there), else None.

    Raises
    ------
    ValueError
        Below 4 years, or if ``n_years`` is not an integer.

    Examples
    --------
    >>> check_series_length(24) is None
    True
    >>> check_series_length(5)
    'Only 5 years: the Mann–Kendall test has little power below 8 years; read the trend classes with care.'
    """
    if isinstance(n_years, (bool, np.bool_)) or not isinstance(n_years, (int, np.integer)):
        raise ValueError(f"n_years must be an integer; got {n_years!r}")
    n_years = int(n_years)
    if n_years < MIN_YEARS:
        raise ValueError(f"Mann–Kendall needs at least {MIN_YEARS} years; got {n_years}")
    if n_years < WARN_YEARS:
        return (
            f"Only {n_years} years: the Mann–Kendall test has little power below {WARN_YEARS} years; "
            "read the trend classes with care."
        )
    return None


# ----------------------------------------------------------------------------------------------------
# Validation


def _validate_block(values, years):
    values = np.asarray(values)
    if values.dtype.kind not in "biuf":
        raise ValueError(f"values must be a real numeric array; got dtype {values.dtype}")
    if values.ndim != 2:
        raise ValueError(
            f"values must be 2-D (n_times, n_pixels); got {values.ndim}-D with shape "
            f"{values.shape} (a single series x is x[:, None])"
        )
    if values.shape[0] < 2:
        raise ValueError(f"values must have at least 2 time steps (rows); got shape {values.shape}")
    if values.dtype.kind == "f" and np.isinf(values).any():
        raise ValueError("values must be finite or NaN (missing); got ±inf")
    years = np.asarray(years)
    if years.dtype.kind not in "iuf":
        raise ValueError(f"years must be a numeric array; got dtype {years.dtype}")
    years = years.astype(np.float64)
    if years.ndim != 1:
        raise ValueError(f"years must be 1-D; got shape {years.shape}")
    if years.shape[0] != values.shape[0]:
        raise ValueError(
            f"years must have one entry per row of values: len(years) = {years.shape[0]}, "
            f"values has {values.shape[0]} rows"
        )
    if not np.isfinite(years).all():
        raise ValueError("years must be finite")
    if not (np.diff(years) > 0).all():
        raise ValueError(f"years must be strictly increasing; got {years.tolist()}")
    return values, years


def _work_dtype(values):
    """float32 when every value is exactly a float32 (pair signs and ties stay exact), else float64."""
    kind, size = values.dtype.kind, values.dtype.itemsize
    if (kind in "biu" and size <= 2) or (kind == "f" and size <= 4):
        work = np.float32
    else:
        exact = np.array_equal(values.astype(np.float32), values, equal_nan=kind == "f")
        work = np.float32 if exact else np.float64
    if work is np.float32 and kind == "f" and values.size:
        # fmax skips NaN; an all-NaN block gives NaN, which is not > the limit
        if np.fmax.reduce(np.abs(values), axis=None) > _F32_MAX_ABS:
            work = np.float64
    return work


# ----------------------------------------------------------------------------------------------------
# Kernels


def _sen_mk_kernel(values, years, hamed_rao, acf_alpha, chunk=_CHUNK):
    """Sen slope and Mann–Kendall statistics of a validated block (see :func:`sen_mann_kendall`)."""
    n, n_pix = values.shape
    work = _work_dtype(values)
    valid = ~np.isnan(values) if values.dtype.kind == "f" else np.ones(values.shape, dtype=bool)
    n_valid = valid.sum(axis=0, dtype=np.int64)

    slope = np.full(n_pix, np.nan)
    s = np.zeros(n_pix, dtype=np.int64)
    tie = np.zeros(n_pix)
    t_col = years[:, None]
    dt_full = _pair_time_steps(t_col, work)
    ws = _thread_scratch()

    full = n_valid == n
    if full.all():
        for a in range(0, n_pix, chunk):
            b = min(a + chunk, n_pix)
            x = np.ascontiguousarray(values[:, a:b], dtype=work)
            slope[a:b], s[a:b], tie[a:b] = _dense_block(x, t_col, dt_full, ws)
    else:
        idx = np.flatnonzero(full)
        for a in range(0, idx.size, chunk):
            sel = idx[a : a + chunk]
            x = np.ascontiguousarray(values[:, sel], dtype=work)
            slope[sel], s[sel], tie[sel] = _dense_block(x, t_col, dt_full, ws)
        # Pixels with gaps: grouped by their number of valid years m, each group's valid values and
        # years are packed into dense (m, k) arrays, so no pair involves a missing value.
        gap = np.flatnonzero(~full & (n_valid >= 2))
        if gap.size:
            order = gap[np.argsort(n_valid[gap], kind="stable")]
            counts = n_valid[order]
            bounds = np.flatnonzero(np.diff(counts)) + 1
            for group in np.split(order, bounds):
                m = int(n_valid[group[0]])
                for a in range(0, group.size, chunk):
                    sel = group[a : a + chunk]
                    vt = valid[:, sel].T
                    xc = np.ascontiguousarray(values[:, sel].T[vt].reshape(sel.size, m).T, dtype=work)
                    tc = np.broadcast_to(years, (sel.size, n))[vt].reshape(sel.size, m).T.copy()
                    slope[sel], s[sel], tie[sel] = _dense_block(xc, tc, _pair_time_steps(tc, work), ws)

    nf = n_valid.astype(np.float64)
    var_s = (nf * (nf - 1) * (2 * nf + 5) - tie) / 18.0
    fallback = np.zeros(n_pix, dtype=bool)
    if hamed_rao:
        factor = np.full(n_pix, np.nan)
        for a in range(0, n_pix, chunk):
            b = min(a + chunk, n_pix)
            factor[a:b] = _hamed_rao_factor(
                values[:, a:b], valid[:, a:b], slope[a:b], years, n_valid[a:b], acf_alpha
            )
        ok = np.isfinite(factor) & (factor > 0)
        fallback = ~ok & (var_s > 0)
        var_s = np.where(ok, var_s * factor, var_s)

    ws.trim(_KEEP_SCRATCH_BYTES)
    z, p = _z_p(s, var_s)
    few = n_valid < 2
    z[few] = np.nan
    p[few] = np.nan
    return {
        "slope": slope,
        "s": s,
        "var_s": var_s,
        "z": z,
        "p": p,
        "n_valid": n_valid,
        "correction_fallback": fallback,
    }


class _Scratch:
    """Work arrays reused from chunk to chunk and from call to call (fresh pages cost page faults).

    The raster engine makes glibc hand every block of 1 MB or more back to the system when it is freed
    (``core.engine.raster._return_freed_memory``), so a work array allocated afresh for each chunk is
    faulted in page by page each time: measured here, a kernel call on 65,536 pixels spent a fifth of
    its time in the kernel doing so. One set per thread is kept (:func:`_thread_scratch`).
    """

    def __init__(self):
        self._arrays = {}

    def get(self, name, shape, dtype):
        size = math.prod(shape)
        buf = self._arrays.get(name)
        if buf is None or buf.size < size or buf.dtype != np.dtype(dtype):
            buf = self._arrays[name] = np.empty(size, dtype=dtype)
        return buf[:size].reshape(shape)

    def trim(self, max_bytes):
        """Drop the arrays if together they hold more than ``max_bytes``."""
        if sum(buf.nbytes for buf in self._arrays.values()) > max_bytes:
            self._arrays.clear()


# Work arrays kept per thread between kernel calls, up to this size (24 years: ~30 MB per thread); the
# engine's worker threads end with each run, and their arrays with them.
_KEEP_SCRATCH_BYTES = 64 * 2**20
_LOCAL = threading.local()


def _thread_scratch():
    """The calling thread's :class:`_Scratch`."""
    ws = getattr(_LOCAL, "scratch", None)
    if ws is None:
        ws = _LOCAL.scratch = _Scratch()
    return ws


def _mask(ws, name, n_rows, k):
    """``ws``'s boolean work array ``name``, (n_rows, k rounded up to a multiple of 8), for :func:`_column_counts`.

    Columns 0..k-1 hold the mask; the others pad each row to whole 8-byte words.
    """
    return ws.get(name, (n_rows, -(-k // 8) * 8), bool)


def _column_counts(mask, k):
    """The number of True values in each of the first ``k`` columns of a :func:`_mask` array.

    Equal to ``mask[:, :k].sum(axis=0)`` as int16 (int32 from 2**15 rows), 2-3 times faster: eight
    columns are added at once as the bytes of 64-bit words, in groups of at most 255 rows so that no
    byte overflows into the next.
    """
    n_rows = mask.shape[0]
    words = mask.view(np.uint64)
    counts = np.zeros(mask.shape[1], dtype=np.int16 if n_rows < 2**15 else np.int32)
    for r0 in range(0, n_rows, 255):
        counts += np.add.reduce(words[r0 : r0 + 255], axis=0).view(np.uint8)
    return counts[:k]


def _z_p(s, var_s):
    """Mann–Kendall Z with continuity correction and its two-sided p-value."""
    sf = s.astype(np.float64)
    num = sf - np.sign(sf)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(s != 0, num / np.sqrt(var_s), 0.0)
    p = 2.0 * ndtr(-np.abs(z))
    return z, p


def _pair_time_steps(t, work):
    """t_j - t_i of all pairs i < j, lag by lag as in :func:`_dense_block`; (n_pairs, 1 or k) in ``work``."""
    m = t.shape[0]
    steps = np.empty((m * (m - 1) // 2, t.shape[1]), dtype=work)
    off = 0
    for lag in range(1, m):
        np.subtract(t[lag:], t[:-lag], out=steps[off : off + m - lag], casting="same_kind")
        off += m - lag
    return steps


def _dense_block(x, t, dt, ws):
    """Sen slope, S and tie term of pixels without missing values.

    ``x`` is (m, k) in float32 or float64, no NaN; ``t`` the years, (m, 1) or (m, k) float64; ``dt``
    their pair steps from :func:`_pair_time_steps`; ``ws`` a :class:`_Scratch`. Returns slope
    (float64), S (int64) and the tie term sum_g t_g(t_g-1)(2t_g+5) (float64), each of shape (k,).
    """
    m, k = x.shape
    n_pairs = m * (m - 1) // 2
    work = x.dtype
    # pair slopes, time on axis 0: the row block of lag L holds the pairs (i, i + L); S from their signs
    # (= the signs of the differences, as t_j > t_i), taken lag by lag while the block is in the cache
    sl = ws.get("slopes", (n_pairs, k), work)
    pos = _mask(ws, "below", n_pairs, k)
    neg = _mask(ws, "equal", n_pairs, k)
    off = 0
    for lag in range(1, m):
        block = slice(off, off + m - lag)
        np.subtract(x[lag:], x[:-lag], out=sl[block])
        np.divide(sl[block], dt[block], out=sl[block])
        np.greater(sl[block], 0, out=pos[block, :k])
        np.less(sl[block], 0, out=neg[block, :k])
        off += m - lag
    n_pos = _column_counts(pos, k).astype(np.int64)
    n_neg = _column_counts(neg, k).astype(np.int64)
    s = n_pos - n_neg
    tie = np.zeros(k)
    tied = np.flatnonzero(n_pos + n_neg < n_pairs)
    if tied.size:
        tie[tied] = _tie_term(x[:, tied])

    # the two middle slopes, recomputed in float64 from their pairs (as scipy.stats.theilslopes does)
    row_lo, row_hi = _median_rows(sl, x, t, ws)
    first, second = _pair_members(m)
    cols = np.arange(k)
    slope = np.zeros(k)
    for row in (row_lo, row_hi):
        i, j = first[row], second[row]
        if t.shape[1] == 1:
            step = t[j, 0] - t[i, 0]
        else:
            step = t.take(j * k + cols) - t.take(i * k + cols)
        slope += (x.take(j * k + cols).astype(np.float64) - x.take(i * k + cols)) / step
    slope *= 0.5
    return slope, s, tie


@functools.lru_cache(maxsize=64)
def _pair_members(m):
    """Members (i, j) of each pair row of :func:`_dense_block`'s lag-ordered layout, as two int arrays.

    Cached (read-only arrays): the kernel asks for them once per chunk.
    """
    first = np.concatenate([np.arange(m - lag) for lag in range(1, m)])
    second = np.concatenate([np.arange(lag, m) for lag in range(1, m)])
    first.flags.writeable = False
    second.flags.writeable = False
    return first, second


def _median_rows(sl, x, t, ws):
    """Median of each column of the pair slopes ``sl`` (n_pairs, k), exact; ``x``, ``t`` as in _dense_block.

    np.partition of 276 values costs ~2.5 us per pixel, so most columns take a cheaper road: counting
    passes (one vectorised comparison of the whole array each) narrow a bracket [a, b) around the two
    middle order statistics, starting from the least-squares slope of ``x`` on ``t`` +- a fraction of
    its standard error and going on by interpolation in rank space; the at most ``_BOX`` slopes inside
    a column's bracket are then gathered, sorted, and the middle ranks read off. Columns whose bracket
    stays wide (heavy ties, wild outliers) go to :func:`_median_partition`; when most of a chunk does,
    the whole chunk does. Both roads give the same order statistics.
    """
    # One function on purpose (about 90 lines): pilot, bracketing probes and gather share the bracket state
    # (a, b, their counts, the reused work buffers) on the hottest path of the trend run; split into steps
    # it would be eight arrays passed back and forth, and the invariant below would span functions.
    n_pairs, k = sl.shape
    if n_pairs <= 4 * _BOX or k == 0:
        return _median_partition(sl, ws)
    work = sl.dtype
    r_lo, r_hi = (n_pairs - 1) // 2, n_pairs // 2
    acc = np.int16 if n_pairs < 2**15 else np.int32

    # pilot: least-squares slope and its standard error
    tc = (t - t.mean(axis=0)).astype(work)
    xc = x - x.mean(axis=0)
    stt = (tc * tc).sum(axis=0)
    beta = (tc * xc).sum(axis=0) / stt
    xc -= beta * tc
    se = np.sqrt((xc * xc).sum(axis=0) / max(x.shape[0] - 2, 1) / stt)

    # invariant: L(a) = #(sl < a) <= r_lo and L(b) >= r_hi + 1, so both middle values are in [a, b)
    a = np.full(k, -np.inf, dtype=work)
    b = np.full(k, np.inf, dtype=work)
    la = np.zeros(k, dtype=acc)
    lb = np.full(k, n_pairs, dtype=acc)
    below = _mask(ws, "below", n_pairs, k)
    move = np.empty(k, dtype=bool)
    centre = (r_lo + r_hi + 1) / 2.0
    se *= _PILOT_SE
    step = 2.0 * se
    with np.errstate(invalid="ignore", over="ignore"):
        for probe in range(_MAX_PROBES):
            if probe == 0:
                theta = beta - se
            elif probe == 1:
                theta = beta + se
            else:
                # aim a little below, then a little above the middle ranks, by linear interpolation
                width = np.maximum(lb - la, 1).astype(np.float64)
                delta = np.maximum(_RANK_STEP * width, 1.0)
                frac = (centre - la + (delta if probe % 2 else -delta)) / width
                np.clip(frac, 0.02, 0.98, out=frac)
                theta = (b - a) * frac
                theta += a
                # an open side: step out from the closed one, doubling the step each time
                np.copyto(theta, a + step, where=np.isinf(b))
                np.copyto(theta, b - step, where=np.isinf(a))
                step *= 2.0
                theta = theta.astype(work)
            np.less(sl, theta, out=below[:, :k])
            count = _column_counts(below, k)
            np.less_equal(count, r_lo, out=move)
            move &= theta > a
            np.copyto(a, theta, where=move)
            np.copyto(la, count, where=move)
            np.greater(count, r_hi, out=move)
            move &= theta < b
            np.copyto(b, theta, where=move)
            np.copyto(lb, count, where=move)
            if probe >= 3:
                finished = np.count_nonzero(lb - la <= _BOX) / k
                if finished >= _FINISHED_SHARE:
                    break
                if probe == 3 and finished < 0.5:
                    return _median_partition(sl, ws)  # mostly ties or odd data: probing does not pay

    width = lb - la
    done = width <= _BOX
    row_lo = np.empty(k, dtype=np.intp)
    row_hi = np.empty(k, dtype=np.intp)
    rest = np.flatnonzero(~done)
    if rest.size:
        row_lo[rest], row_hi[rest] = _median_partition(np.take(sl, rest, axis=1), ws)
        if rest.size == k:
            return row_lo, row_hi

    # the slopes inside [a, b) of the finished columns, one row of a box per column, padded with +inf;
    # within a column the box holds them in row order (what np.argsort's ties follow below)
    np.greater_equal(sl, np.where(done, a, np.inf).astype(work), out=below[:, :k])
    upper = _mask(ws, "equal", n_pairs, k)
    np.less(sl, b, out=upper[:, :k])
    below &= upper
    below[:, k:] = False  # the columns that pad the rows
    # the place of each in its column's box: how many of the column's are in its row or above, counted
    # down the rows eight columns at a time (a column has at most _BOX, so no byte overflows)
    words = below.view(np.uint64)
    above = ws.get("above", words.shape, np.uint64)
    above[0] = words[0]
    for r in range(1, n_pairs):
        np.add(above[r - 1], words[r], out=above[r])
    inside = np.flatnonzero(below)
    row, col = np.divmod(inside, below.shape[1])
    dest = col * _BOX
    dest += above.view(np.uint8).ravel()[inside]
    dest -= 1
    flat = row * k
    flat += col
    box = ws.get("box", (k, _BOX), work)
    box.fill(np.inf)
    box.ravel()[dest] = sl.ravel()[flat]
    box_row = ws.get("box_row", (k, _BOX), np.intp)
    box_row.ravel()[dest] = row
    ranked = np.argsort(box, axis=1)
    cols = np.flatnonzero(done)
    q = r_lo - la[cols].astype(np.intp)
    q += cols * _BOX
    pick = ranked.ravel()
    row_lo[cols] = box_row[cols, pick[q]]
    q += r_hi - r_lo
    row_hi[cols] = box_row[cols, pick[q]]
    return row_lo, row_hi


# Order-preserving map of IEEE floats to signed integers of the same width: non-negative floats keep
# their bit pattern, negative ones get their magnitude bits flipped. It is its own inverse.
_INT_OF = {
    np.dtype(np.float32): (np.int32, 31, 0x7FFFFFFF),
    np.dtype(np.float64): (np.int64, 63, 0x7FFFFFFFFFFFFFFF),
}


def _median_partition(sl, ws):
    """Rows of the two middle values of each column of ``sl`` (n_pairs, k), by np.partition of integer keys.

    The keys are the order-preserving integer images of the floats (comparing ints is ~1.5x faster);
    each column becomes a contiguous row of the key array.
    """
    n_pairs, k = sl.shape
    itype, shift, magnitude = _INT_OF[sl.dtype]
    ints = sl.view(itype)
    flip = ints >> shift
    flip &= magnitude
    keys = ws.get("keys", (k, n_pairs), itype)
    np.bitwise_xor(ints, flip, out=keys.T)
    lo_k = (n_pairs - 1) // 2
    keys.partition(lo_k, axis=1)
    lo = keys[:, lo_k].copy()
    lo ^= (lo >> shift) & magnitude
    row_lo = _row_of(sl, lo.view(sl.dtype), ws)
    if n_pairs % 2:
        return row_lo, row_lo
    hi = keys[:, lo_k + 1 :].min(axis=1)
    hi ^= (hi >> shift) & magnitude
    return row_lo, _row_of(sl, hi.view(sl.dtype), ws)


def _row_of(sl, value, ws):
    """A row index r of each column c with sl[r, c] == value[c] (one exists)."""
    n_pairs, k = sl.shape
    equal = ws.get("equal", sl.shape, bool)
    np.equal(sl, value, out=equal)
    itype = np.int16 if n_pairs < 2**15 else np.int32
    rows = ws.get("rows", sl.shape, itype)
    np.multiply(equal, np.arange(n_pairs, dtype=itype)[:, None], out=rows)
    return rows.max(axis=0).astype(np.intp)


# Median selection tuning (measured on 24-year float32 stacks): brackets of at most _BOX slopes are sorted;
# at most _MAX_PROBES counting passes, stopping early once _FINISHED_SHARE of the columns are narrow
# enough; pilot bracket +-_PILOT_SE standard errors of the least-squares slope; later probes aimed
# _RANK_STEP of the bracket width below / above the middle ranks.
_BOX = 16
_MAX_PROBES = 6
_PILOT_SE = 0.35
_RANK_STEP = 0.15
_FINISHED_SHARE = 0.99


def _tie_term(x):
    """sum over tie groups of t_g(t_g-1)(2t_g+5) of each column of x (m, k), without NaN."""
    m, k = x.shape
    c = np.ones((m, k), dtype=np.int64)  # size of the tie group of each value
    for lag in range(1, m):
        eq = x[lag:] == x[:-lag]
        c[lag:] += eq
        c[:-lag] += eq
    # each of the t_g members of a group contributes (t_g - 1)(2 t_g + 5)
    return ((c - 1) * (2 * c + 5)).sum(axis=0).astype(np.float64)


def _hamed_rao_factor(values, valid, slope, years, n_valid, acf_alpha):
    """Hamed & Rao (1998) variance factor n/n* of each column; NaN where it is undefined."""
    n, k = values.shape
    x = values.astype(np.float64)
    y = x - slope[None, :] * (years - years[0] + 1.0)[:, None]
    y[~valid] = np.nan
    # average ranks over the valid values: rank = #smaller + 1 + #equal others / 2
    less = np.zeros((n, k), dtype=np.int16)
    equal = np.zeros((n, k), dtype=np.int16)
    for lag in range(1, n):
        later, earlier = y[lag:], y[:-lag]
        less[:-lag] += later < earlier
        less[lag:] += later > earlier
        eq = later == earlier
        equal[:-lag] += eq
        equal[lag:] += eq
    # centred ranks y = rank - (m + 1)/2 = #smaller + #equal/2 + (1 - m)/2, 0 where missing: multiples
    # of 1/2 whose products and sums stay exact in float32 up to 256 years
    m = n_valid.astype(np.float64)
    exact = np.float32 if n <= 256 else np.float64
    yc = less.astype(exact)
    yc += exact(0.5) * equal
    yc += (0.5 - 0.5 * m).astype(exact)
    yc[~valid] = 0.0
    acov = np.empty((n, k))
    for lag in range(n):
        acov[lag] = np.einsum("ij,ij->j", yc[lag:], yc[: n - lag])
    lags = np.arange(1, n, dtype=np.float64)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = acov[1:] / acov[0]
        bound = ndtri(1.0 - acf_alpha / 2.0) / np.sqrt(m)
        # lags 1 .. m-1 whose |rho| is not inside the bound (a NaN rho is kept, as in pymannkendall)
        use = ~(np.abs(rho) <= bound) & (lags <= m - 1)
        weight = (m - lags) * (m - lags - 1) * (m - lags - 2)
        terms = np.where(use, weight * rho, 0.0)
        total = np.zeros(k)
        for row in terms:  # lag after lag, as pymannkendall sums (a sum over axis 0 may be pairwise)
            total += row
        factor = 1.0 + 2.0 / (m * (m - 1) * (m - 2)) * total
    factor[m < 3] = np.nan
    return factor

"""Hurst exponent of each pixel's time series by rescaled-range (R/S) analysis (docs/method.md, step 8).

Two conventions are implemented, both vectorised over pixels:

* ``"expanding"`` (default): the R/S of the first τ values for τ = 2…n, the form of the vegetation and
  carbon-sink literature and of docs/method.md, step 8;
* ``"mandelbrot_wallis"``: for each τ the R/S averaged over the ⌊n/τ⌋ non-overlapping sub-series of
  length τ (Mandelbrot & Wallis 1969).

Either can be applied to the series itself (default) or to its first differences.
"""

from __future__ import annotations

import numpy as np

__all__ = ["CORRECTIONS", "HURST_METHODS", "expected_rs", "hurst_rs", "missing_reasons"]

HURST_METHODS = ("expanding", "mandelbrot_wallis")
CORRECTIONS = (None, "anis_lloyd", "anis_lloyd_peters")

# Pixels per chunk: keeps the (τ, chunk) temporaries in cache and bounds the extra memory of a call.
_CHUNK = 16384


def hurst_rs(values, method="expanding", differences=False, min_windows=3, correction=None):
    """Hurst exponent of every pixel's series by rescaled-range (R/S) analysis.

    Parameters
    ----------
    values : array_like of float, shape (n_times, n_pixels)
        One column per pixel, rows in time order. NaN (or any non-finite value) marks a missing value.
    method : {"expanding", "mandelbrot_wallis"}, default "expanding"
        How R/S is computed for each window length τ; see Notes.
    differences : bool, default False
        If True, analyse the first differences ``x_t − x_{t−1}`` of each pixel's (gap-closed) series
        instead of the series itself.
    min_windows : int, default 3
        Minimum number of window lengths τ with a usable R/S (S(τ) > 0) needed to fit the slope; at
        least 2.
    correction : {None, "anis_lloyd", "anis_lloyd_peters"}, default None
        None: H is the slope of log(R/S) on log τ (Hurst 1951). ``"anis_lloyd"``: H is 0.5 plus the
        slope of ``log(R/S) − log E[R/S]`` on log τ, with E[R/S] of independent normal values of length τ
        (:func:`expected_rs`), which removes the small-sample bias of R/S; ``"anis_lloyd_peters"``: the
        same with Peters' small-sample factor in E[R/S]; see Notes.

    Returns
    -------
    numpy.ndarray of float64, shape (n_pixels,)
        Hurst exponent H; NaN for pixels with no valid value, a constant series, or fewer than
        ``min_windows`` usable window lengths.

    Raises
    ------
    ValueError
        If ``values`` is not a 2-D real numeric array, ``method`` is not one of ``HURST_METHODS``,
        ``differences`` is not a bool, ``min_windows`` is not an integer >= 2, or ``correction`` is not
        one of ``CORRECTIONS``.

    Notes
    -----
    Let x₁…x_n be a pixel's valid values in time order. For a series y₁…y_τ write
    ``ȳ = (1/τ) Σ y_u``, the cumulative deviation ``X(t) = Σ_{u≤t} (y_u − ȳ)`` for t = 1…τ,
    the range ``R = max_t X(t) − min_t X(t)`` and the population standard deviation
    ``S = sqrt((1/τ) Σ (y_u − ȳ)²)`` (ddof = 0).

    *Expanding form* (``method="expanding"``): for τ = 2…n, R(τ)/S(τ) is the R/S of the first τ values
    x₁…x_τ (so ``x̄_τ`` is the mean of the first τ values). This is the form stated in docs/method.md, step 8
    and used in most vegetation and carbon-sink studies.

    *Mandelbrot–Wallis form* (``method="mandelbrot_wallis"``): for τ = 2…n, the series is cut from the
    start into ⌊n/τ⌋ non-overlapping sub-series of length τ (a remainder shorter than τ at the end is
    dropped); R/S is computed for each sub-series with its own mean and standard deviation, and
    R(τ)/S(τ) is the mean over the sub-series with S > 0.

    In both forms H is the ordinary least-squares slope of ``log(R(τ)/S(τ))`` on ``log τ`` over the τ
    with S(τ) > 0 (windows whose values are all equal are recognised exactly and left out):
    ``H = Σ (a_τ − ā)(b_τ − b̄) / Σ (a_τ − ā)²`` with ``a_τ = log τ``, ``b_τ = log(R/S)``.
    H > 0.5 indicates persistence (the direction of change tends to continue), H ≈ 0.5 no memory
    (a random walk), H < 0.5 anti-persistence. A constant series has S = 0 for every τ and no H.

    *Series or first differences.* R/S analysis was devised for the increments of a process (Hurst's
    annual river inflows are the increments of reservoir storage), and some studies therefore apply it
    to the differences ``Δx_t = x_t − x_{t−1}`` (``differences=True``, n − 1 values). The default,
    ``differences=False``, analyses the series itself because that is the form docs/method.md, step 8 states
    and the paper reports, so results stay comparable with it. On the levels, a series with a strong
    monotonic trend gives H close to 1 largely because of the trend; on the differences, a linear trend
    becomes a constant offset and H measures the persistence of the year-to-year changes.

    *Missing values.* Each pixel is analysed on its valid values in time order, with gaps closed up:
    ``[x₁, NaN, x₃, x₄]`` is treated as the three-value series ``[x₁, x₃, x₄]`` (and with
    ``differences=True`` its differences are ``x₃ − x₁, x₄ − x₃``). n is the pixel's own number of
    valid values, so pixels with gaps have fewer window lengths.

    *Small-sample bias.* For short series R/S is biased upwards relative to its asymptotic
    ``E[R/S] ∝ τ^0.5`` (Anis & Lloyd 1976), so white noise of length 20–30 typically gives H of about
    0.5–0.7 rather than 0.5; compare H between pixels of the same length rather than against 0.5
    alone. H above 1 is possible: a series that is flat in its first years and then rises gives a steep
    log(R/S) on log τ over few windows; it is no probability statement, only a very persistent series.

    *Anis–Lloyd correction* (``correction="anis_lloyd"``; Weron 2002): the expected R/S of τ independent
    normal values (Anis & Lloyd 1976),

    ``E[R/S]_τ = Γ((τ−1)/2) / (√π Γ(τ/2)) · Σ_{i=1}^{τ−1} sqrt((τ − i)/i)``,

    is subtracted in the log before the fit, and ``H = 0.5 + slope(log(R/S)_τ − log E[R/S]_τ, log τ)``:
    independent values give H ≈ 0.5 whatever the series length (24 years of white noise: 0.49 where the
    plain slope gives 0.64), persistence H > 0.5. ``"anis_lloyd_peters"`` multiplies E[R/S]_τ by Peters'
    (1994) factor (τ − ½)/τ, as many implementations do; with window lengths from τ = 2 that factor
    over-corrects (white noise of 24 years: H ≈ 0.41), because the formula above is already the exact mean
    of R/S with the population S used here (test/core/stats/test_hurst_correction.py checks it against a
    Monte Carlo), so prefer ``"anis_lloyd"``.

    References
    ----------
    Hurst, H. E. (1951). Long-term storage capacity of reservoirs. Transactions of the American
    Society of Civil Engineers, 116, 770–799.

    Mandelbrot, B. B., & Wallis, J. R. (1969). Robustness of the rescaled range R/S in the measurement
    of noncyclic long run statistical dependence. Water Resources Research, 5(5), 967–988.

    Anis, A. A., & Lloyd, E. H. (1976). The expected value of the adjusted rescaled Hurst range of
    independent normal summands. Biometrika, 63(1), 111–116.

    Peters, E. E. (1994). Fractal Market Analysis: Applying Chaos Theory to Investment and Economics.
    Wiley, New York (ch. 5, the expected R/S for small n).

    Weron, R. (2002). Estimating long-range dependence: finite sample properties and confidence
    intervals. Physica A, 312(1–2), 285–299.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[0.0, 2.0, 1.0, 1.0, 0.0, 3.0],      # pixel 1
    ...               [1.0, 2.0, 3.0, 4.0, 5.0, 7.0]]).T    # pixel 2: steady increase
    >>> np.round(hurst_rs(x), 3)
    array([0.613, 0.878])
    >>> np.round(hurst_rs(x, method="mandelbrot_wallis"), 3)
    array([0.6  , 0.865])
    >>> hurst_rs(np.full((6, 1), 4.0))  # constant series: no H
    array([nan])
    """
    x = _as_block(values, "values")
    if method not in HURST_METHODS:
        raise ValueError(f"method must be one of {HURST_METHODS}, got {method!r}")
    if not isinstance(differences, (bool, np.bool_)):
        raise ValueError(f"differences must be True or False, got {differences!r}")
    if isinstance(min_windows, (bool, np.bool_)) or not isinstance(min_windows, (int, np.integer)):
        raise ValueError(f"min_windows must be an integer >= 2, got {min_windows!r}")
    if min_windows < 2:
        raise ValueError(f"min_windows must be an integer >= 2, got {min_windows}")
    if correction not in CORRECTIONS:
        raise ValueError(f"correction must be one of {CORRECTIONS}, got {correction!r}")

    kernel = _rs_expanding if method == "expanding" else _rs_mandelbrot_wallis
    n_pixels = x.shape[1]
    out = np.full(n_pixels, np.nan)
    for start in range(0, n_pixels, _CHUNK):
        stop = min(start + _CHUNK, n_pixels)
        y, n_valid = _compact(x[:, start:stop], bool(differences))
        out[start:stop] = kernel(y, n_valid, int(min_windows), correction)
    return out


def expected_rs(n, peters=True):
    """Expected rescaled range E[R/S] of ``n`` independent normal values (Anis & Lloyd 1976).

    Parameters
    ----------
    n : int or array_like of int
        Window length(s) τ, each >= 2.
    peters : bool, default True
        Multiply by Peters' (1994) small-sample factor (n − ½)/n.

    Returns
    -------
    float or numpy.ndarray
        ``E[R/S]_n = Γ((n−1)/2) / (√π Γ(n/2)) · Σ_{i=1}^{n−1} sqrt((n−i)/i)``, times ``(n − ½)/n`` if
        ``peters``. The Gamma ratio is computed through ``gammaln``, so large n do not overflow (Peters'
        approximation 1/sqrt(nπ/2) for n > 340 is not needed).

    Raises
    ------
    ValueError
        If any ``n`` is not an integer >= 2.

    References
    ----------
    Anis, A. A., & Lloyd, E. H. (1976). Biometrika, 63(1), 111–116. Peters, E. E. (1994). Fractal Market
    Analysis. Wiley. Weron, R. (2002). Physica A, 312, 285–299.

    Examples
    --------
    >>> float(expected_rs(2, peters=False))  # R/S of two values is always 1
    1.0
    >>> round(float(expected_rs(24)), 3)
    5.027
    """
    from scipy.special import gammaln

    arr = np.asarray(n)
    if arr.dtype.kind not in "iu" or np.any(arr < 2):
        raise ValueError(f"n must be integers >= 2, got {n!r}")
    flat = arr.reshape(-1).astype(np.int64)
    out = np.empty(flat.shape)
    for k, m in enumerate(flat):
        i = np.arange(1, m)
        ratio = np.exp(gammaln((m - 1) / 2.0) - gammaln(m / 2.0)) / np.sqrt(np.pi)
        out[k] = ratio * np.sqrt((m - i) / i).sum() * ((m - 0.5) / m if peters else 1.0)
    return out.reshape(arr.shape) if arr.ndim else out[0]


def missing_reasons(values, h, min_valid):
    """Why a pixel has no H: counts of each reason, for the log and the report.

    Parameters
    ----------
    values : array_like of float, shape (n_times, n_pixels)
        The series given to :func:`hurst_rs` (NaN = missing), with every pixel that has any valid value.
    h : array_like of float, shape (n_pixels,)
        The H of those pixels (NaN = none), as :func:`hurst_rs` returned it for the pixels with enough years.
    min_valid : int
        The fewest valid years a pixel needs.

    Returns
    -------
    dict of str to numpy.ndarray of bool, shape (n_pixels,)
        ``"too_few_years"``: fewer than ``min_valid`` valid years; ``"constant"``: enough years, all equal;
        ``"too_few_windows"``: enough years, not constant, but S = 0 in too many windows (a series flat for
        most of its first years) for the slope to be fitted. The three are disjoint and together are the
        pixels with no H.

    Examples
    --------
    >>> x = np.array([[1.0, 2.0, np.nan], [1.0, 3.0, 1.0], [1.0, 2.0, np.nan]])
    >>> {k: v.tolist() for k, v in missing_reasons(x, np.array([np.nan, 0.6, np.nan]), 2).items()}
    {'too_few_years': [False, False, True], 'constant': [True, False, False], 'too_few_windows': [False, False, False]}
    """
    x = _as_block(values, "values")
    h = np.asarray(h, dtype=np.float64)
    if h.shape != (x.shape[1],):
        raise ValueError(f"h must have shape ({x.shape[1]},), got {h.shape}")
    n_valid = np.isfinite(x).sum(axis=0)
    few = n_valid < min_valid
    with np.errstate(invalid="ignore"):
        constant = ~few & (
            np.nanmax(np.where(np.isfinite(x), x, -np.inf), axis=0)
            == np.nanmin(np.where(np.isfinite(x), x, np.inf), axis=0)
        )
    none = np.isnan(h)
    return {
        "too_few_years": few,
        "constant": none & constant,
        "too_few_windows": none & ~few & ~constant,
    }


def _as_block(values, name):
    """``values`` as a float64 ``(n_times, n_pixels)`` array, or ValueError."""
    arr = np.asarray(values)
    if arr.dtype.kind not in "fiu":
        raise ValueError(f"{name} must be a real numeric array (NaN for missing), got dtype {arr.dtype}")
    if arr.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array of shape (n_times, n_pixels), got shape {arr.shape}")
    return arr.astype(np.float64, copy=False)


def _compact(x, differences):
    """Close up the gaps of every column.

    Returns ``y`` of shape ``(m, p)`` whose first ``n_valid[j]`` rows of column j are that pixel's
    valid values (or their first differences) in time order, and zero below, plus ``n_valid``.
    """
    valid = np.isfinite(x)
    n_valid = valid.sum(axis=0)
    if valid.all():
        y = x
    else:
        y = np.where(valid, x, 0.0)
        # Columns with a missing value before a valid one need their values moved up. The row of a
        # valid value in the compacted column is the number of valid values before it: the stable
        # argsort of the column on its missing-value mask, done as a scatter.
        cols = np.flatnonzero((valid[1:] & ~valid[:-1]).any(axis=0))
        if cols.size:
            v = valid[:, cols]
            dest = _cumsum_rows(v.astype(np.intp)) - 1
            t_idx, j = np.nonzero(v)
            block = np.zeros(v.shape)
            block[dest[t_idx, j], j] = x[t_idx, cols[j]]
            y[:, cols] = block
    if differences:
        y = y[1:] - y[:-1]
        n_valid = np.maximum(n_valid - 1, 0)
        y[np.arange(y.shape[0])[:, None] >= n_valid] = 0.0  # the difference at the end of the values
    return y, n_valid


def _rs_expanding(y, n_valid, min_windows, corrected=None):
    """H of the expanding-window R/S; ``y`` compacted (valid values first, zeros below)."""
    m, p = y.shape
    fit = _SlopeAccumulator(m, p, corrected)
    if m < 2:
        return fit.slope(min_windows)
    # Shift by the first value: R/S is shift-invariant, a window of equal values becomes exactly zero,
    # and every window contains 0, which bounds the cancellation in Q/τ − mean² by a factor τ.
    y = y - y[:1]
    csum = _cumsum_rows(y)
    csq = _cumsum_rows(y * y)
    varies = _cumsum_rows(y != 0.0)  # True where the first τ values are not all equal
    t = np.arange(1.0, m + 1.0)[:, None]
    buf = np.empty_like(y)
    for tau in range(2, m + 1):
        mean = csum[tau - 1] / tau
        dev = buf[:tau]
        np.multiply(t[:tau], mean, out=dev)
        np.subtract(csum[:tau], dev, out=dev)  # X(t, τ) = C_t − t·x̄_τ
        r = dev.max(axis=0) - dev.min(axis=0)
        var = csq[tau - 1] / tau - mean * mean
        ok = (n_valid >= tau) & varies[tau - 1] & (var > 0.0) & (r > 0.0)
        fit.add(tau, r, var, ok)
    return fit.slope(min_windows)


def _rs_mandelbrot_wallis(y, n_valid, min_windows, corrected=None):
    """H of the Mandelbrot–Wallis R/S (mean over non-overlapping sub-series); ``y`` compacted."""
    m, p = y.shape
    fit = _SlopeAccumulator(m, p, corrected)
    if m < 2:
        return fit.slope(min_windows)
    y = y - y[:1]  # shift by the first value (R/S is shift-invariant): keeps the cumulative sums small
    csum = np.zeros((m + 1, p))
    csum[1:] = _cumsum_rows(y)
    # changes[t] = number of u <= t with y_u != y_{u-1}: a sub-series is constant when it has none.
    changes = np.zeros((m, p), dtype=np.int32)
    changes[1:] = y[1:] != y[:-1]
    changes = _cumsum_rows(changes)
    for tau in range(2, m + 1):
        k = m // tau
        sub = y[: k * tau].reshape(k, tau, p)
        # Cumulative sums within each sub-series, from the cumulative sums of the whole series.
        part = csum[1 : k * tau + 1].reshape(k, tau, p) - csum[0 : k * tau : tau][:, None, :]
        mean = part[:, -1] / tau
        dev = sub - mean[:, None, :]
        var = np.einsum("ktp,ktp->kp", dev, dev) / tau
        np.multiply(np.arange(1.0, tau + 1.0)[None, :, None], mean[:, None, :], out=dev)
        np.subtract(part, dev, out=dev)  # X(t) = Σ_{u≤t} (y_u − ȳ) within each sub-series
        r = dev.max(axis=1) - dev.min(axis=1)
        ok = (
            ((np.arange(1, k + 1) * tau)[:, None] <= n_valid)
            & (changes[tau - 1 : k * tau : tau] > changes[0 : k * tau : tau])  # not constant
            & (var > 0.0)
            & (r > 0.0)
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            rs = np.where(ok, r / np.sqrt(var), 0.0)
        n_ok = ok.sum(axis=0)
        mean_rs = rs.sum(axis=0) / np.maximum(n_ok, 1)
        fit.add(tau, mean_rs, np.ones(p), n_ok > 0)  # R/S passed as R = mean R/S, S² = 1
    return fit.slope(min_windows)


def _cumsum_rows(a):
    """``np.cumsum(a, axis=0)`` (logical or for booleans) as a loop over rows.

    numpy accumulates along axis 0 of a C-ordered 2-D array one column at a time, which is several
    times slower than adding whole rows.
    """
    out = a.copy()
    op = np.logical_or if a.dtype == bool else np.add
    for i in range(1, out.shape[0]):
        op(out[i - 1], out[i], out=out[i])
    return out


class _SlopeAccumulator:
    """Running sums for the least-squares slope of log(R/S) on log τ, per pixel."""

    def __init__(self, m, p, corrected=None):
        # log τ is centred on the middle of its range so the normal equations lose no precision.
        self._centre = 0.5 * (np.log(2.0) + np.log(max(m, 2)))
        # Anis–Lloyd (–Peters): fit log(R/S) − log E[R/S] and add 0.5 to the slope.
        taus = np.arange(2, max(m, 2) + 1)
        self._expected = (
            np.log(expected_rs(taus, peters=corrected == "anis_lloyd_peters")) if corrected else None
        )
        self.n = np.zeros(p)
        self.sx = np.zeros(p)
        self.sy = np.zeros(p)
        self.sxx = np.zeros(p)
        self.sxy = np.zeros(p)

    def add(self, tau, r, var, ok):
        a = np.log(tau) - self._centre
        shift = 0.0 if self._expected is None else self._expected[tau - 2]
        with np.errstate(divide="ignore", invalid="ignore"):
            b = np.where(ok, np.log(r / np.sqrt(var)) - shift, 0.0)  # log(R/S) (− log E[R/S])
        w = ok.astype(np.float64)
        self.n += w
        self.sx += a * w
        self.sy += b
        self.sxx += a * a * w
        self.sxy += a * b

    def slope(self, min_windows):
        den = self.n * self.sxx - self.sx * self.sx
        good = (self.n >= min_windows) & (den > 0.0)
        out = np.full(self.n.shape, np.nan)
        out[good] = (self.n * self.sxy - self.sx * self.sy)[good] / den[good]
        return out if self._expected is None else out + 0.5

"""Partial and multiple correlation of a yearly series with climate series, per pixel (METHOD.md step 10).

The kernel works on blocks laid out as ``(n_years, n_pixels)`` per variable with NaN for a missing year;
each pixel uses the years that are valid in *all* its variables. Everything is vectorised over pixels:
the centred cross-products of the variables give a correlation matrix per pixel, from which the partial
correlations follow in closed form (two explanatory variables) or by the recursive formula as Gaussian
elimination of the correlation matrices (more), never by a loop over pixels and never by a matrix inverse
that could fail on a degenerate pixel. Pixels are processed in chunks so that the work arrays stay in
cache.

:func:`driver_class` turns the significance of the partial correlations and of the multiple correlation
into the driver types of :data:`DRIVER_TYPES` (co-driven, temperature-driven, precipitation-driven,
weakly climate-driven, not climate-driven).
"""

from __future__ import annotations

import numpy as np
from scipy import special

from ..common.classes import CLASS_NODATA, ClassInfo, ClassScheme

__all__ = ["COLLINEAR_TOL", "DRIVER_TYPES", "driver_class", "partial_correlation"]

#: Explanatory variables whose correlation matrix has a determinant at or below this are treated as
#: collinear: their partial correlations and the multiple correlation are undefined (NaN). For two
#: variables the determinant is 1 − r₁₂², so this is |r₁₂| > 0.99999999995.
COLLINEAR_TOL = 1e-10

# Pixels per chunk inside the kernel: the work arrays of a chunk (~8 float64 copies of n_years × chunk)
# stay in cache and their memory is reused instead of page-faulted in for every window.
_CHUNK = 16384

#: Driver types of a pixel from the partial correlations with temperature (first explanatory variable)
#: and precipitation (second), and the F test of the multiple correlation (METHOD.md step 10).
DRIVER_TYPES = ClassScheme(
    "drivertypes",
    "Climate driver type",
    (
        ClassInfo(1, "Temperature and precipitation co-driven", "#7b3294"),
        ClassInfo(2, "Temperature-driven", "#e66101"),
        ClassInfo(3, "Precipitation-driven", "#0571b0"),
        ClassInfo(4, "Climate-driven, weak", "#fdd992"),
        ClassInfo(5, "Not climate-driven", "#d0d0d0"),
    ),
)


# ----------------------------------------------------------------------------------------------------
# Public functions


def partial_correlation(y, xs, min_n=None):
    r"""Partial correlations of ``y`` with each of ``xs`` and the multiple correlation, per pixel.

    Parameters
    ----------
    y : array_like of float, shape (n_years, n_pixels)
        The response (e.g. carbon density), one row per year, one column per pixel; NaN is missing.
    xs : sequence of array_like, each of shape (n_years, n_pixels), or array_like (m, n_years, n_pixels)
        The m ≥ 1 explanatory variables (e.g. temperature, precipitation, further controls) on the same
        years and pixels as ``y``; NaN is missing.
    min_n : int, optional
        Fewest years valid in all variables a pixel needs; fewer gives NaN. Default and minimum m + 2
        (so that the t and F tests have at least one residual degree of freedom).

    Returns
    -------
    dict of numpy.ndarray
        ``"partial_r"`` (m, n_pixels): partial correlation of y with x_k controlling for the other
        m − 1 variables; ``"partial_t"`` and ``"partial_p"`` (m, n_pixels): its t statistic and two-sided
        p-value; ``"simple_r"`` (m, n_pixels): the plain Pearson r of y with x_k; ``"multiple_r"``
        (n_pixels,): multiple correlation R of y on all x; ``"f"`` and ``"f_p"`` (n_pixels,): its F
        statistic and p-value; ``"n"`` (n_pixels,) int64: number of years valid in all variables.
        Everything but ``"n"`` is float64 and NaN where the pixel has fewer than ``min_n`` common
        years, where y or any x is constant over them, or where the x are collinear
        (:data:`COLLINEAR_TOL`).

    Raises
    ------
    ValueError
        If ``y`` is not a 2-D real array, ``xs`` is empty or an x does not have the shape of ``y``,
        a value is ±inf, or ``min_n`` is below m + 2.

    Notes
    -----
    With the common valid years of a pixel, n of them, and the Pearson correlations
    :math:`r_{ij}` of the variables (0 = y, 1…m = x), for two explanatory variables

    .. math::

        r_{y1\cdot 2} = \frac{r_{y1} - r_{y2}\,r_{12}}{\sqrt{(1 - r_{y2}^2)(1 - r_{12}^2)}}, \qquad
        R^2_{y\cdot 12} = 1 - (1 - r_{y1}^2)(1 - r_{y2\cdot 1}^2)
                        = \frac{r_{y1}^2 + r_{y2}^2 - 2 r_{y1} r_{y2} r_{12}}{1 - r_{12}^2};

    for any m, the recursive formula
    :math:`r_{ab\cdot Sc} = (r_{ab\cdot S} - r_{ac\cdot S}\,r_{bc\cdot S}) /
    \sqrt{(1 - r_{ac\cdot S}^2)(1 - r_{bc\cdot S}^2)}`, evaluated as Gaussian elimination of the
    controls from the correlation matrix :math:`\mathbf R`: with :math:`\mathbf S` the Schur complement of
    the controls in the rows and columns of y and x_k,
    :math:`r_{yk\cdot\text{rest}} = S_{yk}/\sqrt{S_{yy} S_{kk}}`, and after eliminating every x,
    :math:`S_{yy} = 1 - R^2 = \det \mathbf R / \det \mathbf R_{xx}` (the product of the pivots is
    :math:`\det \mathbf R_{xx}`, used to detect collinear x). This equals the inverse-matrix form
    :math:`-P_{0k}/\sqrt{P_{00}P_{kk}}`, :math:`P = \mathbf R^{-1}`, without needing the inverse to
    exist. With k = m − 1 controlled variables, each partial correlation is tested by

    .. math::

        t = \frac{r\sqrt{n - k - 2}}{\sqrt{1 - r^2}}, \qquad \text{df} = n - k - 2 = n - m - 1,

    two-sided :math:`p = 2\,P(T_{\text{df}} > |t|)`, and the multiple correlation by

    .. math::

        F = \frac{R^2}{1 - R^2}\cdot\frac{n - m - 1}{m}, \qquad p = P(F_{m,\,n-m-1} > F).

    A perfect fit gives |t| = ∞ or F = ∞ and p = 0. The means and cross-products are taken in float64
    after centring (two passes), so float32 inputs lose nothing.

    References
    ----------
    Fisher, R. A. (1924). The distribution of the partial correlation coefficient. Metron 3:329–332.

    Anderson, T. W. (2003). An Introduction to Multivariate Statistical Analysis, 3rd ed. Wiley,
    Hoboken, sections 2.5 and 4.3–4.4 (partial and multiple correlation and their tests).

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(10.0)
    >>> temp = np.array([0.1, 0.5, 0.2, 0.9, 0.6, 1.1, 0.8, 1.4, 1.2, 1.5])
    >>> prec = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0])
    >>> carbon = 2.0 * temp + 0.1 * prec + np.array([0.1, -0.2, 0.0, 0.3, -0.1, 0.2, -0.3, 0.1, 0.0, -0.1])
    >>> res = partial_correlation(carbon[:, None], [temp[:, None], prec[:, None]])
    >>> np.round(res["partial_r"][:, 0], 3), int(res["n"][0])
    (array([0.983, 0.863]), 10)
    >>> bool(res["f_p"][0] < 0.001), bool(res["partial_p"][0, 0] < 0.001)
    (True, True)
    """
    y = _as_block(y, "y")
    xs = _as_blocks(xs, y.shape)
    m = len(xs)
    if min_n is None:
        min_n = m + 2
    if isinstance(min_n, (bool, np.bool_)) or not isinstance(min_n, (int, np.integer)):
        raise ValueError(f"min_n must be an integer; got {min_n!r}")
    if min_n < m + 2:
        raise ValueError(
            f"min_n must be at least m + 2 = {m + 2} (m = {m} explanatory variables) so that the tests "
            f"have a residual degree of freedom; got {min_n}"
        )
    return _kernel([y, *xs], int(min_n))


def driver_class(p_partial, p_f, alpha=0.05):
    """Driver type codes (:data:`DRIVER_TYPES`) from the partial-correlation and F-test p-values.

    Parameters
    ----------
    p_partial : array_like of float, shape (m, ...) with m ≥ 2
        Two-sided p-values of the partial correlations; row 0 is temperature, row 1 precipitation.
        Further rows (more controls) do not define classes of their own; see Notes.
    p_f : array_like of float, shape (...)
        p-value of the F test of the multiple correlation; NaN is nodata.
    alpha : float, default 0.05
        Significance level, in (0, 1); significant means ``p < alpha``.

    Returns
    -------
    numpy.ndarray of uint8, shape (...)
        1 temperature and precipitation co-driven (F and both partial t significant),
        2 temperature-driven (F and only the temperature t significant), 3 precipitation-driven
        (F and only the precipitation t significant), 4 climate-driven, weak (F significant, neither t),
        5 not climate-driven (F not significant); ``CLASS_NODATA`` (0) where ``p_f`` is NaN, or where
        F is significant and a needed partial p is NaN.

    Raises
    ------
    ValueError
        If ``p_partial`` has fewer than 2 rows or its trailing shape differs from ``p_f``, or ``alpha``
        is out of range.

    Notes
    -----
    With more than two explanatory variables (e.g. temperature, precipitation and an aridity index) the
    F test covers all of them, the partial correlations of temperature and precipitation are those
    controlling for every other variable, and the classes are still defined by temperature and
    precipitation alone: "Climate-driven, weak" then also holds pixels where only a further control has
    a significant partial correlation.

    Examples
    --------
    >>> driver_class([[0.01, 0.01, 0.2, 0.2, 0.01, 0.01], [0.01, 0.2, 0.01, 0.2, 0.01, np.nan]],
    ...              [0.01, 0.01, 0.01, 0.01, 0.3, np.nan])
    array([1, 2, 3, 4, 5, 0], dtype=uint8)
    """
    p_partial = np.asarray(p_partial, dtype=np.float64)
    p_f = np.asarray(p_f, dtype=np.float64)
    if p_partial.ndim < 1 or p_partial.shape[0] < 2:
        raise ValueError(
            "p_partial must have one row per explanatory variable, at least 2 (temperature, "
            f"precipitation); got shape {p_partial.shape}"
        )
    if p_partial.shape[1:] != p_f.shape:
        raise ValueError(
            f"p_partial must be (m, *p_f.shape); got {p_partial.shape} and p_f of shape {p_f.shape}"
        )
    alpha = float(alpha)
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be in (0, 1); got {alpha}")
    p_t, p_p = p_partial[0], p_partial[1]
    f_sig = p_f < alpha
    t_sig = p_t < alpha
    p_sig = p_p < alpha
    co, temp, prec, weak, none = DRIVER_TYPES.codes
    out = np.full(p_f.shape, none, dtype=np.uint8)
    out[f_sig & t_sig & p_sig] = co
    out[f_sig & t_sig & ~p_sig] = temp
    out[f_sig & ~t_sig & p_sig] = prec
    out[f_sig & ~t_sig & ~p_sig] = weak
    out[np.isnan(p_f) | (f_sig & (np.isnan(p_t) | np.isnan(p_p)))] = CLASS_NODATA
    return out


# ----------------------------------------------------------------------------------------------------
# Validation


def climate_driver_kernel(n_controls: int = 0, min_n: int | None = None, alpha: float = 0.05):
    """The block kernel of the climate-driver analysis (METHOD.md step 9).

    ``kernel(blocks)`` takes the ``(n_years, n_pixels)`` blocks ``"carbon"``, ``"temperature"``,
    ``"precipitation"`` and ``"control0"`` … ``"control<n_controls - 1>"`` and returns the partial r and p
    with temperature (``r_t``, ``p_t``) and precipitation (``r_p``, ``p_p``), the multiple R and the p of
    its F test (``r_multiple``, ``p_f``), the driver class (``class``, :func:`driver_class`) and, with
    controls, their partial r and p as ``(n_controls, n_pixels)`` (``r_c``, ``p_c``).
    """

    def kernel(blocks):
        xs = [blocks["temperature"], blocks["precipitation"]]
        xs += [blocks[f"control{i}"] for i in range(n_controls)]
        res = partial_correlation(blocks["carbon"], xs, min_n=min_n)
        out = {
            "r_t": res["partial_r"][0],
            "p_t": res["partial_p"][0],
            "r_p": res["partial_r"][1],
            "p_p": res["partial_p"][1],
            "r_multiple": res["multiple_r"],
            "p_f": res["f_p"],
            "class": driver_class(res["partial_p"], res["f_p"], alpha),
        }
        if n_controls:
            out["r_c"] = res["partial_r"][2:]
            out["p_c"] = res["partial_p"][2:]
        return out

    return kernel


def _as_block(a, name, shape=None):
    try:
        a = np.asarray(a)
    except (TypeError, ValueError) as exc:  # ragged input
        raise ValueError(f"{name} must be a numeric array: {exc}") from None
    if a.dtype.kind not in "fiub":
        raise ValueError(f"{name} must be real numbers (NaN for missing); got dtype {a.dtype}")
    if a.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n_years, n_pixels); got shape {a.shape}")
    if shape is not None and a.shape != shape:
        raise ValueError(f"{name} must have the shape of y {shape}; got {a.shape}")
    if a.shape[0] < 3:
        raise ValueError(f"{name} must have at least 3 years (rows); got {a.shape[0]}")
    if a.dtype.kind == "f" and np.isinf(a).any():
        raise ValueError(f"{name} contains ±inf; use NaN for missing values")
    return a


def _as_blocks(xs, shape):
    if isinstance(xs, np.ndarray) and xs.ndim == 3:
        xs = list(xs)
    elif isinstance(xs, np.ndarray):
        raise ValueError(
            f"xs must be a sequence of (n_years, n_pixels) arrays or one (m, n_years, n_pixels) array; "
            f"got an array of shape {xs.shape}"
        )
    try:
        xs = list(xs)
    except TypeError:
        raise ValueError("xs must be a sequence of (n_years, n_pixels) arrays") from None
    if not xs:
        raise ValueError("xs must hold at least one explanatory variable")
    return [_as_block(x, f"xs[{k}]", shape) for k, x in enumerate(xs)]


# ----------------------------------------------------------------------------------------------------
# Kernel


def _kernel(blocks, min_n, chunk=None):
    """Partial and multiple correlation of blocks[0] on blocks[1:], per column, in chunks of columns."""
    chunk = chunk or _CHUNK
    n_pix = blocks[0].shape[1]
    if n_pix <= chunk:
        return _kernel_chunk(blocks, min_n)
    out = None
    for a in range(0, n_pix, chunk):
        part = _kernel_chunk([b[:, a : a + chunk] for b in blocks], min_n)
        if out is None:
            out = {k: np.empty(v.shape[:-1] + (n_pix,), dtype=v.dtype) for k, v in part.items()}
        for k, v in part.items():
            out[k][..., a : a + chunk] = v
    return out


def _kernel_chunk(blocks, min_n):
    v = len(blocks)
    m = v - 1
    n_pix = blocks[0].shape[1]
    valid = np.ones(blocks[0].shape, dtype=bool)
    for b in blocks:
        if b.dtype.kind == "f":
            valid &= ~np.isnan(b)
    invalid = ~valid
    any_invalid = bool(invalid.any())
    n = np.count_nonzero(valid, axis=0)
    ok = n >= min_n
    count = np.maximum(n, 1)
    centred, tol = [], []
    for b in blocks:
        # In place with boolean-mask assignment: np.where over a scattered mask is ~20× slower.
        d = b.astype(np.float64)  # a copy
        if any_invalid:
            d[invalid] = 0.0
        mean = d.sum(axis=0) / count
        d -= mean
        if any_invalid:
            d[invalid] = 0.0
        centred.append(d)
        # A constant series: its centred sum of squares is rounding noise of the mean (exactly 0 for
        # float32 data, whose float64 sums are exact), below (8·n·eps·|mean|)² per year.
        tol.append(n * (8.0 * n * np.finfo(np.float64).eps * np.abs(mean)) ** 2)
    # Cross-products; the diagonal is the sum of squares.
    s = np.empty((v, v, n_pix))
    for i in range(v):
        for j in range(i, v):
            s[i, j] = s[j, i] = np.einsum("tp,tp->p", centred[i], centred[j])
        ok &= s[i, i] > tol[i]
    del centred
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.sqrt(np.diagonal(s).T)  # (v, n_pix)
        r = np.clip(s / (scale[:, None, :] * scale[None, :, :]), -1.0, 1.0)
    for i in range(v):
        r[i, i] = 1.0
    r[:, :, ~ok] = np.nan

    if m == 1:
        partial = r[0, 1][None, :].copy()
        r2 = r[0, 1] ** 2
        det_xx = np.ones(n_pix)
    elif m == 2:
        partial, r2, det_xx = _closed_form(r)
    else:
        partial, r2, det_xx = _by_elimination(r)
    collinear = ~(det_xx > COLLINEAR_TOL)  # also True where NaN
    partial[:, collinear] = np.nan
    r2 = np.where(collinear, np.nan, np.clip(r2, 0.0, 1.0))
    partial = np.clip(partial, -1.0, 1.0)

    df = (n - m - 1).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = partial * np.sqrt(df) / np.sqrt(1.0 - partial**2)
        f = r2 / (1.0 - r2) * df / m
    p_t = 2.0 * special.stdtr(df, -np.abs(t))
    p_f = special.fdtrc(float(m), df, f)
    p_f = np.where(np.isnan(f), np.nan, p_f)
    return {
        "partial_r": partial,
        "partial_t": t,
        "partial_p": p_t,
        "simple_r": r[0, 1:].copy(),
        "multiple_r": np.sqrt(r2),
        "f": f,
        "f_p": p_f,
        "n": n.astype(np.int64),
    }


def _closed_form(r):
    """Partial r of y with x1 and x2, R², det(Rxx) for two explanatory variables (r: (3, 3, P))."""
    ry1, ry2, r12 = r[0, 1], r[0, 2], r[1, 2]
    det_xx = 1.0 - r12**2
    with np.errstate(divide="ignore", invalid="ignore"):
        p1 = (ry1 - ry2 * r12) / np.sqrt((1.0 - ry2**2) * det_xx)
        p2 = (ry2 - ry1 * r12) / np.sqrt((1.0 - ry1**2) * det_xx)
        r2 = (ry1**2 + ry2**2 - 2.0 * ry1 * ry2 * r12) / det_xx
    return np.stack([p1, p2]), r2, det_xx


def _eliminated(r, drop):
    """Schur complement of the correlation matrices ``r`` (v, v, P) after eliminating ``drop``.

    Returns the complement over the remaining variables in index order, (k, k, P), and the product of
    the pivots, which is the determinant of the eliminated block. Each elimination step is one level of
    the recursive partial-correlation formula; no pivoting is needed as correlation matrices are
    positive semi-definite (a zero pivot, collinear variables, gives non-finite values that the caller
    blanks by the determinant).
    """
    work = r.copy()
    det = np.ones(r.shape[2])
    keep = list(range(r.shape[0]))
    with np.errstate(divide="ignore", invalid="ignore"):
        for q in drop:
            keep.remove(q)
            pivot = work[q, q]
            det *= pivot
            col = work[keep, q]  # (k, P); the matrices are symmetric
            work[np.ix_(keep, keep)] -= col[:, None, :] * (col / pivot)[None, :, :]
    return work[np.ix_(keep, keep)], det


def _by_elimination(r):
    """Partial r of y with every x controlling for the others, R², det(Rxx), for any m (r: (v, v, P))."""
    v = r.shape[0]
    rest, det_xx = _eliminated(r, list(range(1, v)))
    r2 = 1.0 - rest[0, 0]  # the residual share of y's variance is 1 − R²
    partial = np.empty((v - 1, r.shape[2]))
    with np.errstate(divide="ignore", invalid="ignore"):
        for k in range(1, v):
            pair, _ = _eliminated(r, [j for j in range(1, v) if j != k])  # over (y, x_k)
            partial[k - 1] = pair[0, 1] / np.sqrt(pair[0, 0] * pair[1, 1])
    return partial, r2, det_xx

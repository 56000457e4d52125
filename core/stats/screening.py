"""Factor screening before the carbon density model (docs/method.md, step 3).

Pearson correlations with two-sided p-values among the target (carbon density) and the candidate
factors, variance inflation factors of the factors, and a greedy keep-list that drops a factor whose
|r| with an already kept, more target-correlated factor exceeds a threshold.

Missing values: every function here works on the rows that are complete for *all* variables (listwise
deletion). Pairwise deletion would give each pair its own n, a correlation matrix that need not be
positive semi-definite (so VIFs computed from it can be negative or meaningless) and p-values that are
not comparable across cells; with factors sampled at the same points the rows lost by listwise deletion
are the points off the rasters or on nodata, which the caller drops and counts anyway.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = [
    "Dropped",
    "complete_rows",
    "correlation_matrix",
    "significance_stars",
    "suggest_keep",
    "variance_inflation_factors",
]

MIN_ROWS = 3


class Dropped(NamedTuple):
    """A factor left out of the keep-list, and why."""

    name: str
    #: the kept factor it correlates most strongly with
    collides_with: str
    #: Pearson r between the two
    r: float
    #: a sentence for reports
    reason: str


def _as_table(data, names, what="data"):
    x = np.asarray(data)
    if x.dtype.kind not in "fiub":
        raise ValueError(f"{what} must be a real numeric array (NaN for missing), got dtype {x.dtype}")
    x = x.astype(np.float64, copy=False)
    if x.ndim != 2:
        raise ValueError(f"{what} must be a 2-D array of shape (n_rows, n_variables), got shape {x.shape}")
    if names is None:
        names = [f"column {j}" for j in range(x.shape[1])]
    names = [str(s) for s in names]
    if len(names) != x.shape[1]:
        raise ValueError(f"names must have one entry per column of {what} ({x.shape[1]}), got {len(names)}")
    if len(set(names)) != len(names):
        dup = sorted({s for s in names if names.count(s) > 1})
        raise ValueError(f"names must be unique; repeated: {', '.join(dup)}")
    return x, names


def complete_rows(data) -> np.ndarray:
    """Boolean mask of the rows of a 2-D array with a finite value in every column."""
    x = np.asarray(data, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"data must be a 2-D array of shape (n_rows, n_variables), got shape {x.shape}")
    return np.all(np.isfinite(x), axis=1)


def _complete(x, names, min_rows=MIN_ROWS):
    keep = np.all(np.isfinite(x), axis=1)
    xc = x[keep]
    n = xc.shape[0]
    if n < min_rows:
        raise ValueError(
            f"at least {min_rows} rows complete for every variable are needed, got {n} of {x.shape[0]}"
        )
    constant = [names[j] for j in range(xc.shape[1]) if np.all(xc[:, j] == xc[0, j])]
    if constant:
        raise ValueError(
            f"variable(s) {', '.join(repr(c) for c in constant)} are constant over the {n} complete rows; "
            "a correlation with a constant is undefined: remove them"
        )
    return xc


def correlation_matrix(data, names):
    """Pearson correlation and its two-sided p-value for every pair of columns.

    Parameters
    ----------
    data : array_like of float, shape (n_rows, n_variables)
        One column per variable (e.g. carbon density first, then the factors). NaN or any non-finite
        value marks a missing value; rows with a missing value in *any* column are left out of every
        pair (listwise deletion), so all cells share one n.
    names : sequence of str, length n_variables
        Variable names, for messages.

    Returns
    -------
    r : numpy.ndarray, shape (n_variables, n_variables)
        Pearson r, symmetric, 1 on the diagonal.
    p : numpy.ndarray, shape (n_variables, n_variables)
        Two-sided p of the t test of r = 0; 0 on the diagonal and wherever |r| = 1.

    Raises
    ------
    ValueError
        If ``data`` is not 2-D numeric, ``names`` does not match, fewer than 3 complete rows remain, or
        a variable is constant over the complete rows (the message names it).

    Notes
    -----
    For columns x and y over the n complete rows,
    ``r = Σ (x_i − x̄)(y_i − ȳ) / sqrt(Σ (x_i − x̄)² · Σ (y_i − ȳ)²)``; under H₀: ρ = 0 for bivariate
    normal data ``t = r √(n − 2) / √(1 − r²)`` follows Student's t with n − 2 degrees of freedom, and
    ``p = 2 · P(T > |t|)``. This is the test of ``scipy.stats.pearsonr``. Use :func:`complete_rows` for
    the n. Each centred column is divided by its largest absolute value before the sums of squares (as
    scipy does), so r is right at any magnitude of the data (values of 1e-181 or 1e200 alike).

    References
    ----------
    Pearson, K. (1895). Notes on regression and inheritance in the case of two parents. Proceedings of
    the Royal Society of London, 58, 240–242.
    Fisher, R. A. (1915). Frequency distribution of the values of the correlation coefficient in samples
    from an indefinitely large population. Biometrika, 10(4), 507–521.

    Examples
    --------
    >>> import numpy as np
    >>> data = np.array([[1.0, 2.0, 4.0], [2.0, 4.1, 2.0], [3.0, 5.9, 3.0], [4.0, 8.2, 1.0],
    ...                  [np.nan, 1.0, 2.0]])
    >>> r, p = correlation_matrix(data, ["CS", "NPP", "DEM"])
    >>> np.round(r[0], 3).tolist(), np.round(p[0], 3).tolist()
    ([1.0, 0.999, -0.8], [0.0, 0.001, 0.2])
    """
    x, names = _as_table(data, names)
    if x.shape[1] < 2:
        raise ValueError(f"data must have at least 2 columns (variables), got {x.shape[1]}")
    xc = _complete(x, names)
    return _pearson(xc)


def _unit_columns(xc):
    """The centred columns scaled to unit Euclidean length, at any magnitude of the data.

    Each column is centred, then divided by its largest absolute deviation before the squares are
    summed (as ``scipy.stats.pearsonr`` does), so that values of ~1e-181 do not underflow to 0 (which made
    r = 1) nor values of ~1e200 overflow to inf (which made r NaN). The mean is taken of the column
    divided by its largest absolute value, for the same reason. Columns must not be constant.
    """
    top = np.abs(xc).max(axis=0)
    d = xc - (xc / top).mean(axis=0) * top
    d = d / np.abs(d).max(axis=0)
    return d / np.sqrt(np.einsum("ij,ij->j", d, d))


def _pearson(xc):
    from scipy import stats  # lazy: the plugin loads without scipy; algorithms check REQUIRES

    n = xc.shape[0]
    u = _unit_columns(xc)
    r = u.T @ u
    r = np.clip((r + r.T) / 2, -1.0, 1.0)
    np.fill_diagonal(r, 1.0)
    df = n - 2
    with np.errstate(divide="ignore", invalid="ignore"):
        t = r * np.sqrt(df / ((1.0 - r) * (1.0 + r)))
    p = 2.0 * stats.t.sf(np.abs(t), df)
    p[np.abs(r) >= 1.0] = 0.0
    return r, p


def variance_inflation_factors(X, names=None) -> np.ndarray:
    """Variance inflation factor of each column (factor) of a design matrix.

    Parameters
    ----------
    X : array_like of float, shape (n_rows, n_factors)
        Factor values; rows with a non-finite value in any column are left out (listwise deletion).
    names : sequence of str, optional
        Factor names, for messages.

    Returns
    -------
    numpy.ndarray of float64, shape (n_factors,)
        ``VIF_j ≥ 1``; ``inf`` for a factor that is an exact linear combination of the others. A single
        factor has VIF 1.

    Raises
    ------
    ValueError
        If ``X`` is not 2-D numeric, there are not more complete rows than factors (and at least 3), or a
        factor is constant (the message names it).

    Notes
    -----
    ``VIF_j = 1 / (1 − R²_j)`` where ``R²_j`` is the coefficient of determination of the least-squares
    regression, with intercept, of factor j on all other factors. Equivalently VIF_j is the j-th
    diagonal element of the inverse of the factors' correlation matrix; for two factors
    ``VIF = 1 / (1 − r²)``. Rules of thumb flag VIF > 5 or > 10; O'Brien (2007) explains why such
    thresholds should be read together with the sample size and the purpose of the model.

    References
    ----------
    Marquardt, D. W. (1970). Generalized inverses, ridge regression, biased linear estimation, and
    nonlinear estimation. Technometrics, 12(3), 591–612.
    O'Brien, R. M. (2007). A caution regarding rules of thumb for variance inflation factors. Quality &
    Quantity, 41(5), 673–690.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 4.0], [4.0, 3.0]])
    >>> r = np.corrcoef(X.T)[0, 1]
    >>> np.allclose(variance_inflation_factors(X), 1 / (1 - r ** 2))
    True
    """
    x, names = _as_table(X, names, what="X")
    k = x.shape[1]
    if k == 0:
        raise ValueError("X must have at least one column (factor)")
    xc = _complete(x, names)
    n = xc.shape[0]
    if k == 1:
        return np.ones(1)
    if n <= k:
        raise ValueError(
            f"VIF needs more complete rows than factors (a regression on {k - 1} factors with intercept "
            f"has {k} parameters), got {n} rows for {k} factors"
        )
    # centred columns of unit length (Σz² = 1), scaled before squaring: the regressions are well scaled
    # whatever the units and magnitudes of the factors (1e-181 or 1e200 alike)
    z = _unit_columns(xc)
    vif = np.empty(k)
    for j in range(k):
        others = np.delete(z, j, axis=1)
        design = np.column_stack([np.ones(n), others])
        coef, *_ = np.linalg.lstsq(design, z[:, j], rcond=None)
        resid = z[:, j] - design @ coef
        ss_res = float(resid @ resid)
        ss_tot = 1.0  # Σ z² of a centred unit-length column
        one_minus_r2 = ss_res / ss_tot
        vif[j] = np.inf if one_minus_r2 <= 1e-12 else 1.0 / one_minus_r2
    return vif


def suggest_keep(names, r_target, r_factors, threshold=0.8):
    """Greedy keep-list of factors that are not collinear with a more useful one.

    Parameters
    ----------
    names : sequence of str, length k
        Factor names.
    r_target : array_like of float, shape (k,)
        Pearson r of each factor with the target (carbon density). NaN counts as 0.
    r_factors : array_like of float, shape (k, k)
        Pearson r among the factors (symmetric).
    threshold : float, default 0.8
        A factor is dropped when its |r| with an already kept factor *exceeds* this value; in (0, 1].

    Returns
    -------
    keep : list of str
        Kept factors, most target-correlated first.
    dropped : list of Dropped
        The other factors in the order they were considered, each with the kept factor it correlates
        most strongly with, that r, and a sentence for reports.

    Raises
    ------
    ValueError
        If the shapes do not match, names repeat or the threshold is outside (0, 1].

    Notes
    -----
    Factors are visited in decreasing |r| with the target (ties keep the given order). The first is
    kept; each next one is kept unless ``|r(f, g)| > threshold`` for some kept g. This keeps, within
    each group of mutually collinear factors, the one most correlated with the target — the rule the
    paper applies to its correlation matrix (docs/method.md, step 3). It is a suggestion to be read with the
    VIFs and subject knowledge, not a model selection.

    Examples
    --------
    >>> r_t = [0.8, 0.7, 0.3]
    >>> r_f = [[1.0, 0.9, 0.1], [0.9, 1.0, 0.2], [0.1, 0.2, 1.0]]
    >>> keep, dropped = suggest_keep(["NPP", "NDVI", "DEM"], r_t, r_f)
    >>> keep, dropped[0].name, dropped[0].collides_with
    (['NPP', 'DEM'], 'NDVI', 'NPP')
    """
    names = [str(s) for s in names]
    k = len(names)
    if len(set(names)) != k:
        raise ValueError("names must be unique")
    rt = np.asarray(r_target, dtype=np.float64)
    rf = np.asarray(r_factors, dtype=np.float64)
    if rt.shape != (k,):
        raise ValueError(f"r_target must have one value per factor ({k}), got shape {rt.shape}")
    if rf.shape != (k, k):
        raise ValueError(f"r_factors must have shape ({k}, {k}), got {rf.shape}")
    if not np.allclose(rf, rf.T, equal_nan=True):
        raise ValueError("r_factors must be symmetric")
    threshold = float(threshold)
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    strength = np.nan_to_num(np.abs(rt), nan=0.0)
    order = np.argsort(-strength, kind="stable")
    keep_idx, dropped = [], []
    for j in order:
        collisions = [g for g in keep_idx if np.isfinite(rf[j, g]) and abs(rf[j, g]) > threshold]
        if not collisions:
            keep_idx.append(int(j))
            continue
        g = max(collisions, key=lambda c: abs(rf[j, c]))
        others = [names[c] for c in collisions if c != g]
        reason = (
            f"|r| = {abs(rf[j, g]):.2f} > {threshold:g} with {names[g]}, which is kept "
            f"(|r| with target {strength[g]:.2f} ≥ {strength[j]:.2f})"
        )
        if others:
            reason += f"; also collinear with {', '.join(others)}"
        dropped.append(Dropped(names[j], names[g], float(rf[j, g]), reason))
    return [names[j] for j in keep_idx], dropped


def significance_stars(p) -> np.ndarray:
    """``"***"`` for p < 0.001, ``"**"`` for p < 0.01, ``"*"`` for p < 0.05, else ``""`` (NaN: ``""``).

    Examples
    --------
    >>> significance_stars([0.0004, 0.004, 0.04, 0.4, float("nan")]).tolist()
    ['***', '**', '*', '', '']
    """
    p = np.asarray(p, dtype=np.float64)
    out = np.full(p.shape, "", dtype=object)
    with np.errstate(invalid="ignore"):
        out[p < 0.05] = "*"
        out[p < 0.01] = "**"
        out[p < 0.001] = "***"
    return out

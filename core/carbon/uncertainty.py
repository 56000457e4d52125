"""Per-pixel prediction intervals of carbon density: quantile trees, calibrated by cross-validation.

A prediction interval at level L (e.g. 0.90) should contain the carbon density that would be measured at
a pixel with probability L. Two steps:

1. **Base quantiles** ``q_lo(x)``, ``q_hi(x)`` at ``(1 − L)/2`` and ``(1 + L)/2``:

   * Random Forest — *quantile regression forest from the training values in the leaves*: the training
     points are dropped down every tree; each leaf gets the ``q_lo`` and ``q_hi`` empirical quantiles
     (linear interpolation) of the carbon densities of the points that reach it, and a pixel's quantile
     is the mean over the trees of the quantiles of its leaves. This is the "average of leaf quantiles"
     form of Meinshausen's (2006) quantile regression forest (``aggregate_leaves_first=False`` in the
     quantile-forest package). It is chosen over the weighted-mixture form because it is predicted
     exactly like the forest itself — the same trees, other leaf values — at the forest's speed
     (tens of millions of pixels), whereas the mixture needs a weighted quantile over all training
     points for every pixel (~10 times slower). It is chosen over the spread of the trees' predictions
     because that spread measures only how uncertain the *mean* is, not the scatter of measured
     densities around it: its intervals cover far less than their level when the plots are noisy.
   * Gradient boosting — two more models of the same kind fitted with the quantile (pinball) loss at
     ``q_lo`` and ``q_hi`` (scikit-learn's ``loss="quantile"``, XGBoost's ``reg:quantileerror``).

2. **Calibration by the cross-validation** (conformalized quantile regression, Romano et al. 2019, with
   the cross-validation's out-of-fold predictions as the calibration set, as in cross-conformal
   prediction, Vovk 2015): for every training point, the conformity score
   ``E_i = max(q_lo(x_i) − y_i, y_i − q_hi(x_i))`` of its out-of-fold interval; ``Q`` = the
   ``⌈L (n + 1)⌉``-th smallest ``E_i``. The interval of a pixel is ``[q_lo(x) − Q, q_hi(x) + Q]``.
   Q widens intervals that covered too few held-out points and narrows those that covered too many, so
   the interval covers held-out points at close to the level L whatever the base method (on synthetic
   data without calibration the leaf quantiles covered 0.875 at L = 0.90, boosting quantile models
   only 0.65, because boosting fits its training points closely). With spatial folds the calibration
   includes the larger errors of predicting away from the plots.

Quantile models can cross: the bounds are ordered per pixel before Q is applied; an interval that a
negative Q would invert collapses to its midpoint. Carbon density is never negative: when every training
density is ≥ 0 the lower bound is clipped at 0 (this can only raise coverage).

References
----------
Meinshausen, N. (2006) Quantile regression forests. JMLR 7:983–999.
Romano, Y., Patterson, E. & Candès, E. (2019) Conformalized quantile regression. NeurIPS 32.
Vovk, V. (2015) Cross-conformal predictors. Annals of Mathematics and Artificial Intelligence 74:9–28.
Koenker, R. & Bassett, G. (1978) Regression quantiles. Econometrica 46:33–50 (pinball loss).
"""

from __future__ import annotations

import math

import numpy as np

from .forest import ForestPredictor

__all__ = [
    "apply_interval",
    "conformal_correction",
    "coverage",
    "interval_quantiles",
    "leaf_quantile_values",
    "tree_leaves",
]


def interval_quantiles(level: float) -> tuple[float, float]:
    """The lower and upper quantile of a central interval at ``level``.

    Raises
    ------
    ValueError
        ``level`` outside (0, 1).

    Examples
    --------
    >>> interval_quantiles(0.9)
    (0.05, 0.95)
    """
    level = float(level)
    if not 0.0 < level < 1.0:
        raise ValueError(f"interval_level must be in (0, 1), e.g. 0.9 for a 90 % interval; got {level:g}")
    return round((1.0 - level) / 2.0, 12), round((1.0 + level) / 2.0, 12)


def tree_leaves(predictor: ForestPredictor, X) -> np.ndarray:
    """Leaf node (index into the predictor's node arrays) of each row of ``X`` in each tree.

    Parameters
    ----------
    predictor : ForestPredictor
    X : array_like, shape ``(n, n_factors)``, finite; cast to the predictor's input dtype.

    Returns
    -------
    numpy.ndarray of int, shape ``(n, n_trees)``
    """
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != predictor.n_features or not np.isfinite(X).all():
        raise ValueError(f"X must be finite, shape (n, {predictor.n_features}); got {X.shape}")
    cols = np.ascontiguousarray(X.T.astype(predictor.input_dtype))
    arrays = predictor._arrays
    out = np.empty((X.shape[0], predictor.n_trees), dtype=np.int64)
    pos = np.arange(X.shape[0])
    for t in range(predictor.n_trees):
        s = predictor._tree_slice(t)
        left, right = arrays["children_left"][s], arrays["children_right"][s]
        feat, thr = arrays["feature"][s], arrays["threshold"][s]
        node = np.zeros(X.shape[0], dtype=np.int64)
        for _ in range(int(predictor._max_depth[t])):
            inner = left[node] != -1
            f = np.where(inner, feat[node], 0)
            go_left = cols[f, pos] <= thr[node]
            node = np.where(inner, np.where(go_left, left[node], right[node]), node)
        out[:, t] = node + s.start
    return out


def leaf_quantile_values(predictor: ForestPredictor, X, y, quantiles) -> dict:
    """Leaf values of a quantile regression forest: per leaf, quantiles of the training targets in it.

    Parameters
    ----------
    predictor : ForestPredictor
        The forest (its trees are read, not changed).
    X : array_like, shape ``(n, n_factors)``
        The training points.
    y : array_like, shape ``(n,)``
    quantiles : sequence of float in [0, 1]

    Returns
    -------
    dict of float to numpy.ndarray, shape ``(n_nodes,)``
        For :class:`ForestPredictor`'s ``value_sets``: at every leaf, the quantile (linear
        interpolation, numpy's default) of the targets of the training points in it; a leaf no training
        point reaches keeps the tree's own leaf value; inner nodes 0.

    Examples
    --------
    >>> from core.carbon import forest
    >>> arrays = forest.pack_trees([{"children_left": [1, -1, -1], "children_right": [2, -1, -1],
    ...     "feature": [0, -2, -2], "threshold": [0.5, -2, -2], "value": [0, 1, 2]}])
    >>> p = forest.predictor_from_arrays(arrays, ["a"])
    >>> v = leaf_quantile_values(p, [[0.0], [0.1], [0.2], [1.0]], [1.0, 2.0, 3.0, 10.0], [0.5])
    >>> v[0.5].tolist()
    [0.0, 2.0, 10.0]
    """
    y = np.asarray(y, dtype=np.float64).ravel()
    leaves = tree_leaves(predictor, X)
    if leaves.shape[0] != y.size or not np.isfinite(y).all():
        raise ValueError("y must be finite, one value per row of X")
    n_nodes = predictor._arrays["value"].size
    own = predictor._arrays["value"].astype(np.float64)
    out = {}
    for q in quantiles:
        q = float(q)
        if not 0.0 <= q <= 1.0:
            raise ValueError(f"quantiles must be in [0, 1]; got {q}")
        values = np.zeros(n_nodes)
        leaf = predictor._arrays["children_left"] == -1
        values[leaf] = own[leaf]
        out[q] = values
    flat = leaves.ravel(order="F")  # tree by tree
    targets = np.tile(y, predictor.n_trees)
    order = np.lexsort((targets, flat))
    flat, targets = flat[order], targets[order]
    starts = np.flatnonzero(np.r_[True, flat[1:] != flat[:-1]])
    ends = np.r_[starts[1:], flat.size]
    nodes = flat[starts]
    counts = ends - starts
    for q, values in out.items():
        h = (counts - 1) * q  # numpy's "linear" method on each leaf's sorted targets
        lo = np.floor(h).astype(np.int64)
        hi = np.minimum(lo + 1, counts - 1)
        frac = h - lo
        a, b = targets[starts + lo], targets[starts + hi]
        values[nodes] = a + (b - a) * frac
    return out


def conformal_correction(y, lower, upper, level: float) -> float:
    """The CQR correction Q from out-of-fold base intervals.

    Parameters
    ----------
    y, lower, upper : array_like, shape ``(n,)``
        Targets and their out-of-fold base quantiles (ordered per point here).
    level : float in (0, 1)

    Returns
    -------
    float
        The ``⌈level · (n + 1)⌉``-th smallest of ``E_i = max(lower_i − y_i, y_i − upper_i)``; the largest
        E when that rank exceeds n (too few points for the level).

    Examples
    --------
    >>> conformal_correction([0, 0, 0, 0], [1, -1, -2, -1], [2, 1, 2, 3], 0.5)
    -1.0
    """
    interval_quantiles(level)
    y = np.asarray(y, dtype=np.float64).ravel()
    lo = np.asarray(lower, dtype=np.float64).ravel()
    hi = np.asarray(upper, dtype=np.float64).ravel()
    if not (y.shape == lo.shape == hi.shape) or y.size == 0:
        raise ValueError("y, lower and upper must be 1-D of one length (≥ 1)")
    if not (np.isfinite(y).all() and np.isfinite(lo).all() and np.isfinite(hi).all()):
        raise ValueError("y, lower and upper must be finite")
    lo, hi = np.minimum(lo, hi), np.maximum(lo, hi)
    scores = np.sort(np.maximum(lo - y, y - hi))
    rank = min(math.ceil(float(level) * (y.size + 1)), y.size)
    return float(scores[rank - 1])


def apply_interval(lower, upper, correction: float, floor: float | None = 0.0):
    """The calibrated interval ``[min(lo, hi) − Q, max(lo, hi) + Q]`` of each pixel.

    Parameters
    ----------
    lower, upper : array_like
        Base quantiles (NaN where the pixel has no prediction).
    correction : float
        Q from :func:`conformal_correction`.
    floor : float or None, default 0
        Lower bounds below it are raised to it (carbon density ≥ 0); None: no floor.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Lower and upper bounds (float64); an interval a negative Q would invert is its midpoint.

    Examples
    --------
    >>> lo, hi = apply_interval([1.0, 5.0, 3.0], [4.0, 2.0, 3.2], 0.5)
    >>> lo.tolist(), hi.tolist()
    ([0.5, 1.5, 2.5], [4.5, 5.5, 3.7])
    >>> apply_interval([3.0], [3.2], -0.5)[0].tolist()
    [3.1]
    """
    lo = np.asarray(lower, dtype=np.float64)
    hi = np.asarray(upper, dtype=np.float64)
    a, b = np.minimum(lo, hi) - correction, np.maximum(lo, hi) + correction  # NaN stays NaN
    with np.errstate(invalid="ignore"):
        crossed = a > b
    if np.any(crossed):
        mid = 0.5 * (a + b)
        a = np.where(crossed, mid, a)
        b = np.where(crossed, mid, b)
    if floor is not None:
        a = np.where(a < floor, floor, a)  # NaN compares false: stays NaN
        b = np.where(b < floor, floor, b)
    return a, b


def coverage(y, lower, upper) -> float:
    """Share of ``y`` inside ``[lower, upper]`` (finite entries only).

    Examples
    --------
    >>> coverage([1, 2, 3, 4], [0, 2.5, 2, 0], [2, 3, 3, 1])
    0.5
    """
    y = np.asarray(y, dtype=np.float64)
    lo = np.asarray(lower, dtype=np.float64)
    hi = np.asarray(upper, dtype=np.float64)
    ok = np.isfinite(y) & np.isfinite(lo) & np.isfinite(hi)
    if not ok.any():
        return math.nan
    return float(np.mean((y[ok] >= lo[ok]) & (y[ok] <= hi[ok])))

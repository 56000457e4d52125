"""Area of applicability of the carbon-density model (Meyer & Pebesma 2021): where it extrapolates.

A model learnt from plots can only be trusted for pixels whose factors resemble those of the plots. The
dissimilarity index (DI) measures how far a pixel is, in factor space, from the nearest training point,
relative to how far training points are from each other; the area of applicability (AOA) is where the DI
does not exceed what the cross-validation saw.

Method (Meyer & Pebesma 2021, section 2.1, as in the R package CAST):

1. Standardise each factor by the training mean and standard deviation (ddof = 1):
   ``x′_f = (x_f − mean_f) / sd_f``.
2. Weight each factor by its importance in the model: ``x″_f = w_f · x′_f``. The weights are the
   model's permutation importance (negative importance set to 0, as CAST does; all zero: equal
   weights). A constant factor (sd 0) gets weight 0.
3. ``d̄`` = the mean Euclidean distance between all pairs of training points in that space.
4. DI of a pixel x: ``DI(x) = min_i ‖x″ − x″_i‖ / d̄`` over the training points i.
5. DI of each training point with cross-validation: the distance to the nearest training point **in
   another fold** (the model that predicted it in the cross-validation never saw its own fold), over d̄.
6. Threshold: the upper whisker of a box plot of the training DIs — the largest training DI not above
   ``Q3 + 1.5 · IQR``, with Tukey's hinges as Q1 and Q3 (R's ``boxplot.stats(trainDI)$stats[5]``, as in
   CAST's ``trainDI``). A pixel is inside the AOA when ``DI ≤ threshold``.

The DI of a block of pixels is computed with a k-d tree of the training points (scipy's ``cKDTree``,
exact nearest neighbour), O(log n) per pixel and memory linear in the block.

References
----------
Meyer, H. & Pebesma, E. (2021) Predicting into unknown space? Estimating the area of applicability of
spatial prediction models. Methods in Ecology and Evolution 12:1620–1633.
Tukey, J. W. (1977) Exploratory Data Analysis. Addison-Wesley (hinges and whiskers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Applicability", "dissimilarity_index", "fit_applicability", "tukey_upper_whisker"]


def tukey_upper_whisker(values, coef: float = 1.5) -> float:
    """Largest value not above ``upper hinge + coef · (upper hinge − lower hinge)`` (R's boxplot.stats).

    Hinges are Tukey's (R's ``fivenum``): the medians of the lower and upper halves, the middle value
    counted in both halves when n is odd.

    Examples
    --------
    The hinges of 1, 2, …, 9, 100 are 3 and 8: the fence is 8 + 1.5 · 5 = 15.5, so 100 is out and the
    whisker ends at 9.

    >>> tukey_upper_whisker([1, 2, 3, 4, 5, 6, 7, 8, 9, 100])
    9.0
    """
    x = np.sort(np.asarray(values, dtype=np.float64).ravel())
    x = x[np.isfinite(x)]
    n = x.size
    if n == 0:
        return math.nan
    n4 = math.floor((n + 3) / 2) / 2
    d = np.array([1, n4, (n + 1) / 2, n + 1 - n4, n]) - 1  # 0-based positions of fivenum
    five = 0.5 * (x[np.floor(d).astype(int)] + x[np.ceil(d).astype(int)])
    fence = five[3] + float(coef) * (five[3] - five[1])
    return float(x[x <= fence].max())


@dataclass
class Applicability:
    """What the DI of new pixels needs, learnt from the training points (see the module notes).

    Attributes
    ----------
    factors : list of str
    mean, sd : numpy.ndarray, shape ``(n_factors,)``
        Standardisation of each factor (training mean, sd with ddof = 1).
    weights : numpy.ndarray, shape ``(n_factors,)``
        Importance weights as used (≥ 0; 0 for a constant factor).
    train : numpy.ndarray, shape ``(n, n_factors)``
        The training points, standardised and weighted.
    mean_distance : float
        d̄, the mean distance between training points.
    threshold : float
        The largest DI inside the area of applicability.
    train_di : numpy.ndarray, shape ``(n,)``
        The cross-validated DI of each training point.
    warnings : list of str
    """

    factors: list
    mean: np.ndarray
    sd: np.ndarray
    weights: np.ndarray
    train: np.ndarray
    mean_distance: float
    threshold: float
    train_di: np.ndarray
    warnings: list = field(default_factory=list)
    _tree: object = field(default=None, repr=False)

    def to_meta(self) -> dict:
        """JSON-serialisable parameters (the training points are stored in the model file apart)."""
        return {
            "method": "Meyer & Pebesma (2021) dissimilarity index, threshold = upper whisker of the "
            "cross-validated training DI",
            "factors": list(self.factors),
            "mean": self.mean.tolist(),
            "sd": self.sd.tolist(),
            "weights": self.weights.tolist(),
            "mean_distance": float(self.mean_distance),
            "threshold": float(self.threshold),
            "train_di_max": float(np.max(self.train_di)),
            "share_of_training_points_inside": float(np.mean(self.train_di <= self.threshold)),
        }

    def di(self, X) -> np.ndarray:
        """DI of a block of pixels ``X`` (``(n_factors, n_pixels)``, NaN = missing → NaN)."""
        return dissimilarity_index(self, X)

    def inside(self, di) -> np.ndarray:
        """1.0 where ``di ≤ threshold``, 0.0 above it, NaN where the DI is NaN (for a mask raster)."""
        di = np.asarray(di, dtype=np.float64)
        out = np.where(di <= self.threshold, 1.0, 0.0)
        out[np.isnan(di)] = np.nan
        return out


def _tree(app):
    if app._tree is None:
        from scipy.spatial import cKDTree

        app._tree = cKDTree(app.train)
    return app._tree


def fit_applicability(X, weights, folds=None, factors=None) -> Applicability:
    """Learn the area of applicability from the training points.

    Parameters
    ----------
    X : array_like, shape ``(n, n_factors)``
        Factor values of the training points (finite).
    weights : array_like, shape ``(n_factors,)``
        Importance of each factor in the model (e.g. permutation importance); negative values count as 0.
    folds : array_like of int, shape ``(n,)``, optional
        Cross-validation fold of each point. None: each point is its own fold (leave-one-out: the
        nearest *other* training point).
    factors : sequence of str, optional

    Returns
    -------
    Applicability

    Raises
    ------
    ValueError
        Fewer than 2 points, non-finite values, weights of the wrong length or not finite, or all
        training points in one fold.

    Examples
    --------
    Three points on a line, equal weights; d̄ = (1 + 2 + 1) / 3 in standardised units:

    >>> app = fit_applicability([[0.0], [1.0], [2.0]], [1.0])
    >>> round(app.mean_distance, 6), app.train_di.round(6).tolist()
    (1.333333, [0.75, 0.75, 0.75])
    >>> app.di([[3.0, 0.5]]).round(6).tolist()
    [0.75, 0.375]
    """
    from scipy.spatial.distance import pdist

    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] < 2:
        raise ValueError(f"X must be (n ≥ 2, n_factors); got shape {X.shape}")
    if not np.isfinite(X).all():
        raise ValueError("X must be finite")
    n, p = X.shape
    w = np.asarray(weights, dtype=np.float64).ravel()
    if w.size != p or not np.isfinite(w).all():
        raise ValueError(f"weights must be {p} finite numbers, one per factor; got {w.size}")
    names = [f"x{i}" for i in range(p)] if factors is None else [str(f) for f in factors]
    warnings = []
    if np.any(w < 0):
        neg = [names[i] for i in np.flatnonzero(w < 0)]
        warnings.append(f"negative importance of {', '.join(neg)} set to 0 in the area of applicability")
        w = np.maximum(w, 0.0)
    mean = X.mean(axis=0)
    sd = X.std(axis=0, ddof=1)
    constant = ~(sd > 0)
    if constant.any():
        warnings.append(
            f"{', '.join(names[i] for i in np.flatnonzero(constant))}: constant at the training points, "
            "left out of the area of applicability"
        )
        w = np.where(constant, 0.0, w)
        sd = np.where(constant, 1.0, sd)
    if not np.any(w > 0):
        warnings.append(
            "no factor has a positive importance: the area of applicability weights factors equally"
        )
        w = np.where(constant, 0.0, 1.0)
    if not np.any(w > 0):
        raise ValueError("every factor is constant at the training points: no area of applicability")
    train = (X - mean) / sd * w
    d_mean = float(np.mean(pdist(train)))
    if not d_mean > 0:
        raise ValueError("all training points coincide in factor space: no area of applicability")
    if folds is None:
        folds = np.arange(n)
    folds = np.asarray(folds).astype(np.int64).ravel()
    if folds.size != n:
        raise ValueError(f"folds must have one entry per point ({n})")
    if np.unique(folds).size < 2:
        raise ValueError("the training points are all in one fold: the cross-validated DI is undefined")
    train_di = np.empty(n)
    from scipy.spatial import cKDTree

    for f in np.unique(folds):
        inside = folds == f
        tree = cKDTree(train[~inside])
        d, _ = tree.query(train[inside], k=1)
        train_di[inside] = d / d_mean
    threshold = tukey_upper_whisker(train_di)
    return Applicability(names, mean, np.asarray(sd, dtype=np.float64), w, train, d_mean, threshold,
                         train_di, warnings)  # fmt: skip


def applicability_from_meta(meta: dict, train_factors) -> Applicability:
    """Rebuild :class:`Applicability` from :meth:`Applicability.to_meta` and the training factors.

    Raises
    ------
    ValueError
        Entries missing, of the wrong length or not finite.
    """
    try:
        p = len(meta["factors"])
        mean = np.asarray(meta["mean"], dtype=np.float64)
        sd = np.asarray(meta["sd"], dtype=np.float64)
        w = np.asarray(meta["weights"], dtype=np.float64)
        d_mean = float(meta["mean_distance"])
        threshold = float(meta["threshold"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"area of applicability: incomplete parameters ({exc})") from None
    X = np.asarray(train_factors, dtype=np.float64)
    ok = (
        mean.shape == sd.shape == w.shape == (p,)
        and X.ndim == 2
        and X.shape[1] == p
        and np.isfinite(mean).all()
        and np.all(sd > 0)
        and np.all(w >= 0)
        and np.isfinite(sd).all()
        and np.isfinite(w).all()
        and d_mean > 0
        and math.isfinite(d_mean)
        and threshold >= 0
        and math.isfinite(threshold)
    )
    if not ok:
        raise ValueError("area of applicability: parameters of the wrong length or out of range")
    train = (X - mean) / sd * w
    return Applicability(list(meta["factors"]), mean, sd, w, train, d_mean, threshold, np.array([]))


def dissimilarity_index(app: Applicability, X) -> np.ndarray:
    """DI of each pixel of a block.

    Parameters
    ----------
    app : Applicability
    X : array_like, shape ``(n_factors, n_pixels)``
        Factor values in the model's order; NaN marks a missing value.

    Returns
    -------
    numpy.ndarray of float64, shape ``(n_pixels,)``
        ``min_i ‖x″ − x″_i‖ / d̄``; NaN where any factor is missing.
    """
    X = np.asarray(X, dtype=np.float64)
    p = app.mean.size
    if X.ndim != 2 or X.shape[0] != p:
        raise ValueError(f"X must have shape (n_factors={p}, n_pixels); got {X.shape}")
    out = np.full(X.shape[1], np.nan)
    valid = np.isfinite(X).all(axis=0)
    if valid.any():
        z = (X[:, valid].T - app.mean) / app.sd * app.weights
        d, _ = _tree(app).query(z, k=1)
        out[valid] = d / app.mean_distance
    return out

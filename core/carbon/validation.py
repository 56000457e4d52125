"""Validation of the carbon-density model: random and spatial cross-validation folds, out-of-fold
predictions and the spatial autocorrelation left in their residuals.

A random hold-out or random k-fold cross-validation is optimistic when the plots are spatially clustered:
a held-out plot usually has a training plot nearby with almost the same factors and carbon, so the score
measures interpolation between neighbours rather than prediction where there is no plot. Spatial
cross-validation holds out whole areas instead (Roberts et al. 2017; Valavi et al. 2019):

* **blocks** — the region is cut into square blocks of a given size (map units, metres in a projected
  CRS); every point of a block is in the same fold. The blocks are shuffled (seeded) and dealt to the
  folds largest first, each to the fold with the fewest points so far, so the folds are balanced.
* **clusters** — the points are grouped into k spatial clusters by k-means on their coordinates
  (k-means++ start, seeded; Brenning 2012's ``partition_kmeans``); each cluster is a fold.
* **random** — a seeded shuffle cut into k nearly equal folds, for comparison.

:func:`cross_validate` fits a model on k − 1 folds and predicts the held-out fold, for every fold, and
scores the pooled out-of-fold predictions (R², MAE, RMSE, :func:`core.carbon.forest.regression_metrics`)
and each fold. :func:`residual_moran` tests whether the out-of-fold residuals are spatially
autocorrelated (global Moran's I with k-nearest-neighbour weights, :mod:`core.spatial.moran`): a
significant positive I says spatial structure is left in the errors, and that the random scores are
optimistic.

References
----------
Brenning, A. (2012) Spatial cross-validation and bootstrap for the assessment of prediction rules in
remote sensing: the R package sperrorest. IGARSS 2012:5372–5375.
Roberts, D. R. et al. (2017) Cross-validation strategies for data with temporal, spatial, hierarchical,
or phylogenetic structure. Ecography 40:913–929.
Valavi, R., Elith, J., Lahoz-Monfort, J. J. & Guillera-Arroita, G. (2019) blockCV: an R package for
generating spatially or environmentally separated folds for k-fold cross-validation of species
distribution models. Methods in Ecology and Evolution 10:225–232.
Arthur, D. & Vassilvitskii, S. (2007) k-means++: the advantages of careful seeding. SODA 2007:1027–1035.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..common.errors import Cancelled
from ..spatial import moran
from .forest import regression_metrics

__all__ = [
    "FOLD_SCHEMES",
    "CrossValidation",
    "block_folds",
    "cluster_folds",
    "cross_validate",
    "default_block_size",
    "make_folds",
    "random_folds",
    "residual_moran",
]

FOLD_SCHEMES = ("random", "blocks", "clusters")
MIN_POINTS_PER_FOLD = 2


def _check_k(k, n, what="cv_folds"):
    k = int(k)
    if k < 2:
        raise ValueError(f"{what} must be at least 2; got {k}")
    if n < MIN_POINTS_PER_FOLD * k:
        raise ValueError(
            f"{what}: {k}-fold cross-validation needs at least {MIN_POINTS_PER_FOLD * k} points "
            f"({MIN_POINTS_PER_FOLD} per fold); got {n}. Use fewer folds or more points"
        )
    return k


def _check_xy(xy):
    xy = np.asarray(xy, dtype=np.float64)
    if xy.ndim != 2 or xy.shape[1] != 2 or not np.isfinite(xy).all():
        raise ValueError(f"xy must be finite coordinates of shape (n, 2); got shape {xy.shape}")
    return xy


def random_folds(n: int, k: int, seed: int = 42) -> np.ndarray:
    """Fold (0 … k − 1) of each of ``n`` points: a seeded shuffle cut into k nearly equal parts.

    Examples
    --------
    >>> np.bincount(random_folds(10, 3, seed=1)).tolist()
    [4, 3, 3]
    """
    n = int(n)
    k = _check_k(k, n)
    order = np.random.default_rng(seed).permutation(n)
    folds = np.empty(n, dtype=np.int64)
    for i, part in enumerate(np.array_split(order, k)):
        folds[part] = i
    return folds


def default_block_size(xy, k: int) -> float:
    """A block side for :func:`block_folds` when the user gives none.

    ``max(width, height) / (2·⌈√k⌉)`` of the points' bounding box: a square region is cut into at least
    ``4k`` blocks, so every fold gets several blocks from all over the region.

    Parameters
    ----------
    xy : array_like, shape ``(n, 2)``
    k : int, the number of folds (≥ 2)

    Returns
    -------
    float

    Raises
    ------
    ValueError
        All points at one location (no region to cut into blocks).

    Examples
    --------
    >>> default_block_size([[0.0, 0.0], [1200.0, 600.0]], 5)
    200.0
    """
    xy = _check_xy(xy)
    if int(k) < 2:
        raise ValueError(f"cv_folds must be at least 2; got {k}")
    side = float(np.max(np.ptp(xy, axis=0)))
    if not side > 0:
        raise ValueError("block_size: all points are at one location; spatial blocks need a region")
    return side / (2 * math.ceil(math.sqrt(int(k))))


def block_folds(xy, block_size: float, k: int, seed: int = 42, origin=None) -> np.ndarray:
    """Fold of each point by square spatial blocks.

    Parameters
    ----------
    xy : array_like, shape ``(n, 2)``
        Point coordinates in a projected CRS (map units).
    block_size : float
        Side of the square blocks, in map units (> 0).
    k : int
        Number of folds (≥ 2).
    seed : int
        Seeds the order in which the blocks are dealt.
    origin : (float, float), optional
        Corner of the block grid (default: the smallest x and y of the points), e.g. the corner of the
        factor rasters so that blocks follow their grid.

    Returns
    -------
    numpy.ndarray of int, shape ``(n,)``

    Raises
    ------
    ValueError
        ``block_size`` not positive or at least as large as the region of the points in both directions
        (one block would hold every point), fewer non-empty blocks than folds, or too few points.

    Notes
    -----
    Block of a point: ``(⌊(x − x₀)/s⌋, ⌊(y − y₀)/s⌋)``. The non-empty blocks are shuffled with
    ``numpy.random.default_rng(seed)``, stably sorted from the most to the fewest points (so blocks of
    equal size keep their shuffled order) and dealt in that order, each to the fold that holds the fewest
    points so far (the lowest fold number on ties): the largest-first rule keeps the folds balanced.

    Examples
    --------
    Four points in four 10 m blocks, two folds: every fold gets two blocks.

    >>> f = block_folds([[1, 1], [12, 1], [1, 12], [12, 12]], 10.0, 2, seed=0)
    >>> sorted(np.bincount(f).tolist())
    [2, 2]
    """
    xy = _check_xy(xy)
    n = xy.shape[0]
    k = _check_k(k, n)
    size = float(block_size)
    if not (math.isfinite(size) and size > 0):
        raise ValueError(f"block_size must be a positive length in map units; got {block_size}")
    width, height = np.ptp(xy, axis=0)
    if size > width and size > height:
        raise ValueError(
            f"block_size {size:g} is larger than the region of the points ({width:g} × {height:g} map "
            "units): every point would fall in one or a few blocks. Use blocks smaller than the region "
            "(e.g. a fifth of its width)"
        )
    x0, y0 = xy.min(axis=0) if origin is None else np.asarray(origin, dtype=np.float64)
    ix = np.floor((xy[:, 0] - x0) / size).astype(np.int64)
    iy = np.floor((xy[:, 1] - y0) / size).astype(np.int64)
    _, block, counts = np.unique(np.column_stack([ix, iy]), axis=0, return_inverse=True, return_counts=True)
    block = block.ravel()
    if counts.size < k:
        raise ValueError(
            f"block_size {size:g}: the points fall in {counts.size} block(s); {k} folds need at least {k}. "
            "Use smaller blocks or fewer folds"
        )
    order = np.random.default_rng(seed).permutation(counts.size)
    order = order[np.argsort(-counts[order], kind="stable")]  # largest first, ties in shuffled order
    fold_of_block = np.empty(counts.size, dtype=np.int64)
    load = np.zeros(k, dtype=np.int64)
    for b in order:
        f = int(np.argmin(load))
        fold_of_block[b] = f
        load[f] += counts[b]
    folds = fold_of_block[block]
    _check_fold_sizes(folds, k, "block_size")
    return folds


def cluster_folds(xy, k: int, seed: int = 42, max_iter: int = 300) -> np.ndarray:
    """Fold of each point by k-means clustering of the coordinates (one cluster per fold).

    Parameters
    ----------
    xy : array_like, shape ``(n, 2)``
    k : int
    seed : int
        Seeds the k-means++ start.
    max_iter : int
        Lloyd iterations at most (they stop when no point changes cluster).

    Returns
    -------
    numpy.ndarray of int, shape ``(n,)``
        Clusters numbered by their smallest point index (so the numbering does not depend on the start).

    Raises
    ------
    ValueError
        Fewer distinct locations than folds, or too few points.

    Examples
    --------
    >>> cluster_folds([[0, 0], [1, 0], [100, 0], [101, 0]], 2).tolist()
    [0, 0, 1, 1]
    """
    xy = _check_xy(xy)
    n = xy.shape[0]
    k = _check_k(k, n)
    distinct = np.unique(xy, axis=0).shape[0]
    if distinct < k:
        raise ValueError(f"cv_folds: {k} spatial clusters need {k} distinct point locations; got {distinct}")
    rng = np.random.default_rng(seed)
    centres = np.empty((k, 2))
    centres[0] = xy[rng.integers(n)]
    d2 = np.sum((xy - centres[0]) ** 2, axis=1)
    for c in range(1, k):
        p = d2 / d2.sum()
        centres[c] = xy[rng.choice(n, p=p)]
        d2 = np.minimum(d2, np.sum((xy - centres[c]) ** 2, axis=1))
    label = np.full(n, -1)
    for _ in range(int(max_iter)):
        dist = ((xy[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        new = np.argmin(dist, axis=1)
        if np.array_equal(new, label):
            break
        label = new
        for c in range(k):
            members = label == c
            if members.any():
                centres[c] = xy[members].mean(axis=0)
            else:  # an emptied cluster restarts at the point farthest from its centre
                far = int(np.argmax(dist[np.arange(n), label]))
                centres[c] = xy[far]
    first = {int(c): i for i, c in reversed(list(enumerate(label)))}
    renumber = {c: j for j, c in enumerate(sorted(first, key=first.get))}
    folds = np.array([renumber[int(c)] for c in label], dtype=np.int64)
    _check_fold_sizes(folds, k, "cv_folds")
    return folds


def _check_fold_sizes(folds, k, what):
    counts = np.bincount(folds, minlength=k)
    n = folds.size
    if counts.min() < 1 or n - counts.max() < MIN_POINTS_PER_FOLD:
        raise ValueError(
            f"{what}: a fold holds {counts.max()} of the {n} points, leaving too few to train on; "
            "use smaller blocks, more folds or more points"
        )


def make_folds(scheme: str, n: int, k: int, seed: int = 42, xy=None, block_size=None) -> np.ndarray:
    """Folds by ``scheme`` (``"random"``, ``"blocks"`` or ``"clusters"``); see the functions above."""
    if scheme not in FOLD_SCHEMES:
        raise ValueError(f"cv_scheme must be one of {', '.join(FOLD_SCHEMES)}; got {scheme!r}")
    if scheme == "random":
        return random_folds(n, k, seed)
    if xy is None:
        raise ValueError(f"spatial folds ({scheme}) need the point coordinates")
    if np.asarray(xy).shape[0] != n:
        raise ValueError(f"xy has {np.asarray(xy).shape[0]} points; {n} expected")
    if scheme == "blocks":
        if block_size is None:
            raise ValueError("block_size is needed for spatial block folds")
        return block_folds(xy, block_size, k, seed)
    return cluster_folds(xy, k, seed)


# ---------------------------------------------------------------------------------- cross-validation
@dataclass
class CrossValidation:
    """Out-of-fold predictions and their scores.

    Attributes
    ----------
    scheme : str
    folds : numpy.ndarray of int, the fold of each point
    observed : numpy.ndarray, the target at each point
    predicted : numpy.ndarray, the out-of-fold prediction of each point
    pooled : dict, :func:`regression_metrics` of all out-of-fold predictions together
    per_fold : dict, lists ``r2``, ``mae``, ``rmse``, ``n`` by fold
    mean, sd : dict, over the folds (sd with ddof = 1; NaN R² of a fold is skipped)
    extra : dict, anything the fit function returned beside the predictions (e.g. quantiles)
    """

    scheme: str
    folds: np.ndarray
    observed: np.ndarray
    predicted: np.ndarray
    pooled: dict
    per_fold: dict
    mean: dict
    sd: dict
    extra: dict = field(default_factory=dict)

    @property
    def residuals(self) -> np.ndarray:
        """Observed minus out-of-fold predicted."""
        return self.observed - self.predicted


def cross_validate(
    fit_predict: Callable, X, y, folds, scheme: str = "", is_cancelled: Callable | None = None
) -> CrossValidation:
    """Fit on k − 1 folds, predict the held-out fold, for every fold.

    Parameters
    ----------
    fit_predict : callable
        ``fit_predict(X_train, y_train, X_test)`` returning the predictions of ``X_test`` (1-D), or a
        dict with them under ``"predicted"`` and other per-point arrays (kept in ``extra``).
    X : numpy.ndarray, shape ``(n, n_factors)``
    y : numpy.ndarray, shape ``(n,)``
    folds : array_like of int, shape ``(n,)``
        From :func:`make_folds`.
    scheme : str
        For the report.
    is_cancelled : callable, optional
        Checked between folds (:class:`core.common.errors.Cancelled`).

    Returns
    -------
    CrossValidation
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    folds = np.asarray(folds).astype(np.int64)
    if folds.shape != y.shape or X.shape[0] != y.size:
        raise ValueError(f"folds, X and y must have one entry per point ({y.size})")
    k = int(folds.max()) + 1
    if folds.min() < 0 or np.bincount(folds, minlength=k).min() < 1:
        raise ValueError("folds must number the folds 0 … k − 1, none empty")
    predicted = np.full(y.size, np.nan)
    extra = {}
    per_fold = {"r2": [], "mae": [], "rmse": [], "n": []}
    for f in range(k):
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
        test = folds == f
        got = fit_predict(X[~test], y[~test], X[test])
        if isinstance(got, dict):
            for key, value in got.items():
                if key != "predicted":
                    extra.setdefault(key, np.full(y.size, np.nan))[test] = value
            got = got["predicted"]
        predicted[test] = got
        scores = regression_metrics(y[test], predicted[test])
        for key in per_fold:
            per_fold[key].append(scores[key])
    mean = {key: float(np.nanmean(per_fold[key])) if np.isfinite(per_fold[key]).any() else math.nan
            for key in ("r2", "mae", "rmse")}  # fmt: skip
    sd = {
        key: float(np.nanstd(per_fold[key], ddof=1)) if np.isfinite(per_fold[key]).sum() > 1 else math.nan
        for key in ("r2", "mae", "rmse")
    }
    return CrossValidation(
        scheme, folds, y, predicted, regression_metrics(y, predicted), per_fold, mean, sd, extra
    )


def residual_moran(xy, residuals, k_neighbours: int = 8, permutations: int = 999, seed: int = 42) -> dict:
    """Global Moran's I of residuals at the points, k-nearest-neighbour weights (row-standardised).

    Parameters
    ----------
    xy : array_like, shape ``(n, 2)``
    residuals : array_like, shape ``(n,)``
        Observed minus out-of-fold predicted.
    k_neighbours : int, default 8
        Reduced to n − 1 for fewer points.
    permutations : int, default 999
        Of the seeded permutation test (0: the normality moments only).
    seed : int

    Returns
    -------
    dict
        ``I``, ``EI`` (= −1/(n − 1)), ``z`` and ``p`` (two-sided, under normality), ``p_sim`` (pseudo
        p-value of the permutations, folded), ``n``, ``k``.

    Notes
    -----
    ``I = (n / S₀) Σᵢ Σⱼ wᵢⱼ zᵢ zⱼ / Σᵢ zᵢ²`` with z the deviations of the residuals from their mean,
    as :func:`core.spatial.moran.global_moran_sparse` (equal to esda's ``Moran``).
    """
    xy = _check_xy(xy)
    r = np.asarray(residuals, dtype=np.float64).ravel()
    if r.size != xy.shape[0] or not np.isfinite(r).all():
        raise ValueError(f"residuals must be finite, one per point ({xy.shape[0]})")
    n = r.size
    if n < 4:
        raise ValueError(f"Moran's I of the residuals needs at least 4 points; got {n}")
    k = min(int(k_neighbours), n - 1)
    if k < 1:
        raise ValueError(f"k_neighbours must be at least 1; got {k_neighbours}")
    weights = moran.analysed_weights(moran.knn_weights(xy, k), np.ones(n, dtype=bool))
    if weights.index.size < 4:
        raise ValueError("too few points with a neighbour for Moran's I")
    result = moran.global_moran_sparse(r[weights.index], weights, permutations=int(permutations), seed=seed)
    return {
        "I": float(result.I),
        "EI": float(result.EI),
        "z": float(result.z_norm),
        "p": float(result.p_norm),
        "p_sim": float(result.p_sim),
        "n": int(result.n),
        "k": k,
    }

"""Global and local Moran's I (METHOD.md step 12): kernels shared by the raster driver and the vector tools.

What is here, all pure numpy/scipy:

- contiguity of grid cells (queen or rook) restricted to *valid* neighbours: counts and neighbour sums on
  a window padded by a halo (:func:`neighbour_sum`), block means for aggregation (:func:`block_mean`);
- weights of features built as libpysal builds them, with numpy/scipy only: polygon contiguity by shared
  vertices or edges (:func:`contiguity_weights`), k nearest neighbours, distance bands; restricted to
  the analysed units (:func:`analysed_weights`), with :func:`global_moran_sparse` and
  :func:`local_moran_sparse` on them;
- global Moran's I from sums (:func:`global_moran_from_sums`, Cliff & Ord 1981 moments under normality
  and randomisation) and a seeded permutation test (:func:`global_permutation_test`);
- local Moran's I (Anselin 1995): the statistic, its quadrant (:func:`quadrant`), Anselin's moments under
  total randomisation (:func:`anselin_moments`, :func:`analytic_inference`), the conditional permutation
  test with the draws shared by all sites as in esda (:class:`LocalPermutationTest`), the two-sided folded
  pseudo p-value, Benjamini–Hochberg thresholds in memory and streamed (:func:`fdr_threshold`,
  :func:`fdr_threshold_streaming`) and the cluster classes (:func:`lisa_clusters`, :data:`LISA_CLUSTERS`).

Conventions. ``z`` are deviations from the mean of the analysed values, ``lag`` the row-standardised
spatial lag ``Σ_j w_ij z_j`` over the valid neighbours, ``card`` the number of valid neighbours.
A valid cell (or feature) without a valid neighbour is *isolated*: it takes no part in the statistics
(it is not counted in n, the mean or m₂), is reported, and gets the class "Isolated", never Low-Low.
The local statistic uses Anselin's scaling ``m₂ = Σ z² / n``; esda's ``Moran_Local.Is`` divides by
``n − 1`` instead, so ``esda Is = I_i · (n − 1) / n``; z-scores, pseudo p-values and quadrants agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np
from scipy import special

from ..common.classes import ClassInfo, ClassScheme
from ..common.errors import Cancelled

CONTIGUITIES = ("queen", "rook")
ALTERNATIVES = ("folded", "directed")
INFERENCES = ("auto", "analytic", "permutation")
AUTO_PERMUTATION_MAX_CELLS = 1_000_000
"""``inference="auto"`` uses permutations up to this many analysed cells and the analytic moments above."""

_ROOK = ((-1, 0), (1, 0), (0, -1), (0, 1))
_QUEEN = _ROOK + ((-1, -1), (-1, 1), (1, -1), (1, 1))
# One direction per unordered pair of neighbours (for sums over pairs).
_PAIR_DIRECTIONS = {"rook": ((0, 1), (1, 0)), "queen": ((0, 1), (1, 0), (1, 1), (1, -1))}

# Cluster classes of the LISA map (our codes; code 0 is nodata in the class raster).
HIGH_HIGH, LOW_LOW, HIGH_LOW, LOW_HIGH, NOT_SIGNIFICANT, ISOLATED = 1, 2, 3, 4, 5, 6
_CLASS_ENTRIES = (
    (HIGH_HIGH, "High-High", "#d7191c"),
    (LOW_LOW, "Low-Low", "#2c7bb6"),
    (HIGH_LOW, "High-Low", "#f4a6b7"),
    (LOW_HIGH, "Low-High", "#abd9e9"),
    (NOT_SIGNIFICANT, "Not significant", "#d9d9d9"),
    (ISOLATED, "Isolated (no valid neighbour)", "#969696"),
)
LISA_CLUSTERS = ClassScheme(
    "lisa", "LISA cluster (Local Moran's I)", tuple(ClassInfo(*e) for e in _CLASS_ENTRIES)
)
QUADRANTS = ClassScheme(
    "lisa_quadrant",
    "LISA quadrant (sign of z and of its spatial lag)",
    tuple(ClassInfo(*e) for e in _CLASS_ENTRIES if e[0] != NOT_SIGNIFICANT),
)
ESDA_QUADRANT = {1: HIGH_HIGH, 2: LOW_HIGH, 3: LOW_LOW, 4: HIGH_LOW}
"""esda ``Moran_Local.q`` codes (1 HH, 2 LH, 3 LL, 4 HL) to the codes of :data:`LISA_CLUSTERS`."""


def lisa_scheme(alpha: float = 0.05, fdr: bool = False) -> ClassScheme:
    """:data:`LISA_CLUSTERS` with the significance rule in its title (the legend of the class raster)."""
    _check_alpha(alpha)
    rule = f"p <= {alpha:g}" + (", Benjamini-Hochberg FDR" if fdr else "")
    return ClassScheme("lisa", f"LISA cluster (Local Moran's I, {rule})", LISA_CLUSTERS.classes)


def _check_alpha(alpha):
    if not 0.0 < float(alpha) < 1.0:
        raise ValueError(f"alpha must be in (0, 1); got {alpha}")


def _check_contiguity(contiguity):
    if contiguity not in CONTIGUITIES:
        raise ValueError(f"contiguity must be one of {CONTIGUITIES}; got {contiguity!r}")


def _check_alternative(alternative):
    if alternative not in ALTERNATIVES:
        raise ValueError(f"alternative must be one of {ALTERNATIVES}; got {alternative!r}")


# -------------------------------------------------------------------------------------- grid contiguity
def neighbour_offsets(contiguity: str = "queen") -> tuple[tuple[int, int], ...]:
    """Row and column offsets of the 4 (rook) or 8 (queen) neighbours of a grid cell."""
    _check_contiguity(contiguity)
    return _QUEEN if contiguity == "queen" else _ROOK


def neighbour_sum(padded, contiguity: str = "queen") -> np.ndarray:
    """Sum over the queen or rook neighbours of every interior cell of an array padded by one cell.

    Parameters
    ----------
    padded : array_like, shape ``(rows + 2, cols + 2)``
        Values with a one-cell border (a halo read from the raster, or padding). Boolean input counts
        neighbours; give zeros where a cell is not a valid neighbour.
    contiguity : {"queen", "rook"}

    Returns
    -------
    numpy.ndarray, shape ``(rows, cols)``
        ``int16`` for boolean input (a neighbour count), ``float64`` otherwise.

    Examples
    --------
    >>> valid = np.ones((4, 4), dtype=bool)
    >>> neighbour_sum(valid, "queen").tolist()
    [[8, 8], [8, 8]]
    >>> neighbour_sum(np.pad(valid[1:3, 1:3], 1), "rook").tolist()
    [[2, 2], [2, 2]]
    """
    a = np.asarray(padded)
    if a.ndim != 2 or a.shape[0] < 3 or a.shape[1] < 3:
        raise ValueError(f"padded must be a 2-D array of at least 3 x 3 cells; got shape {a.shape}")
    rows, cols = a.shape[0] - 2, a.shape[1] - 2
    dtype = np.int16 if a.dtype == bool else np.float64
    out = np.zeros((rows, cols), dtype=dtype)
    for dr, dc in neighbour_offsets(contiguity):
        out += a[1 + dr : 1 + dr + rows, 1 + dc : 1 + dc + cols]
    return out


def block_mean(values, factor: int) -> np.ndarray:
    """Mean of the valid (finite) values in each ``factor × factor`` block; NaN where a block has none.

    Edge blocks that extend past the array use the values they hold.

    Examples
    --------
    >>> block_mean([[1.0, 3.0, 5.0], [np.nan, 2.0, 7.0]], 2).tolist()
    [[2.0, 6.0]]
    """
    v = np.asarray(values, dtype=np.float64)
    if v.ndim != 2:
        raise ValueError(f"values must be a 2-D array; got shape {v.shape}")
    factor = int(factor)
    if factor < 1:
        raise ValueError(f"factor must be a positive integer; got {factor}")
    rows, cols = -(-v.shape[0] // factor), -(-v.shape[1] // factor)
    padded = np.full((rows * factor, cols * factor), np.nan)
    padded[: v.shape[0], : v.shape[1]] = v
    blocks = padded.reshape(rows, factor, cols, factor)
    ok = np.isfinite(blocks)
    count = ok.sum(axis=(1, 3))
    total = np.where(ok, blocks, 0.0).sum(axis=(1, 3))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


# ---------------------------------------------------------------------------------------- global Moran
@dataclass
class GlobalMoran:
    """Global Moran's I and its inference (the names follow esda's ``Moran``)."""

    I: float  # noqa: E741 - the statistic's name
    EI: float
    VI_norm: float
    z_norm: float
    p_norm: float
    VI_rand: float
    z_rand: float
    p_rand: float
    n: int
    S0: float
    S1: float
    S2: float
    b2: float  # kurtosis m4 / m2² of the analysed values
    p_sim: float = float("nan")
    p_sim_method: str = "not computed"
    permutations: int = 0
    EI_sim: float = float("nan")
    seI_sim: float = float("nan")
    z_sim: float = float("nan")


def _two_sided(z):
    return 2.0 * special.ndtr(-np.abs(z))


def global_moran_from_sums(n, s0, s1, s2, zwz, z2, z4) -> GlobalMoran:
    """Moran's I with its moments under normality and randomisation, from sums over the analysed cells.

    Parameters
    ----------
    n : int
        Number of analysed observations (valid, with at least one valid neighbour); at least 4.
    s0, s1, s2 : float
        ``S₀ = Σᵢ Σⱼ wᵢⱼ``, ``S₁ = ½ Σᵢ Σⱼ (wᵢⱼ + wⱼᵢ)²``, ``S₂ = Σᵢ (wᵢ. + w.ᵢ)²`` of the weights used.
    zwz : float
        ``Σᵢ Σⱼ wᵢⱼ zᵢ zⱼ`` with z the deviations from the mean.
    z2, z4 : float
        ``Σ zᵢ²`` and ``Σ zᵢ⁴``.

    Returns
    -------
    GlobalMoran
        p-values are two-sided: ``2 Φ(−|z|)``.

    Notes
    -----
    ``I = (n / S₀) · Σᵢ Σⱼ wᵢⱼ zᵢ zⱼ / Σ zᵢ²``, ``E[I] = −1 / (n − 1)``.
    Normality: ``Var = (n² S₁ − n S₂ + 3 S₀²) / ((n² − 1) S₀²) − E[I]²``.
    Randomisation, with the kurtosis ``b₂ = (Σz⁴/n) / (Σz²/n)²``:
    ``Var = [n((n² − 3n + 3) S₁ − n S₂ + 3 S₀²) − b₂((n² − n) S₁ − 2n S₂ + 6 S₀²)]
    / ((n − 1)(n − 2)(n − 3) S₀²) − E[I]²`` — the exact variance of I over all permutations of the values.

    References
    ----------
    Moran, P. A. P. (1950). Notes on continuous stochastic phenomena. Biometrika 37:17–23.
    Cliff, A. D. & Ord, J. K. (1981). Spatial Processes: Models and Applications. Pion, London, ch. 2.

    Examples
    --------
    >>> r = global_moran_from_sums(4, 4.0, 4.0, 16.0, -2.0, 4.0, 4.0)
    >>> round(r.I, 3), round(r.EI, 3)
    (-0.5, -0.333)
    """
    n = int(n)
    if n < 4:
        raise ValueError(f"Moran's I needs at least 4 observations with a valid neighbour; got {n}")
    s0, s1, s2, zwz, z2, z4 = (float(v) for v in (s0, s1, s2, zwz, z2, z4))
    if not (s0 > 0 and z2 > 0):
        raise ValueError(
            "Moran's I is undefined: "
            + ("the weights sum to 0" if not s0 > 0 else "all analysed values are equal (no variance)")
        )
    i_stat = n / s0 * zwz / z2
    ei = -1.0 / (n - 1)
    s02 = s0 * s0
    vi_norm = (n * n * s1 - n * s2 + 3 * s02) / ((n - 1) * (n + 1) * s02) - ei * ei
    b2 = (z4 / n) / (z2 / n) ** 2
    a = n * ((n * n - 3 * n + 3) * s1 - n * s2 + 3 * s02)
    b = b2 * ((n * n - n) * s1 - 2 * n * s2 + 6 * s02)
    vi_rand = (a - b) / ((n - 1) * (n - 2) * (n - 3) * s02) - ei * ei
    with np.errstate(invalid="ignore", divide="ignore"):
        z_norm = (i_stat - ei) / np.sqrt(vi_norm) if vi_norm > 0 else np.nan
        z_rand = (i_stat - ei) / np.sqrt(vi_rand) if vi_rand > 0 else np.nan
    return GlobalMoran(
        I=i_stat,
        EI=ei,
        VI_norm=vi_norm,
        z_norm=float(z_norm),
        p_norm=float(_two_sided(z_norm)),
        VI_rand=vi_rand,
        z_rand=float(z_rand),
        p_rand=float(_two_sided(z_rand)),
        n=n,
        S0=s0,
        S1=s1,
        S2=s2,
        b2=b2,
    )


def _rng(seed):
    """A Generator from an int seed; a Generator or a legacy RandomState is used as given."""
    if hasattr(seed, "permutation") and not isinstance(seed, (int, np.integer)):
        return seed
    return np.random.default_rng(seed)


def _tie_tolerance(sim):
    return 1e-9 * float(np.std(sim))


def folded_count(observed, simulated) -> int:
    """Permutations at least as far from the permutation mean as the observed value (esda's 'folded');
    values within 1e-9 permutation standard deviations count as ties, hence as extreme."""
    sim = np.asarray(simulated, dtype=np.float64)
    centre = sim.mean()
    return int(np.count_nonzero(np.abs(sim - centre) >= abs(float(observed) - centre) - _tie_tolerance(sim)))


def directed_count(observed, simulated) -> int:
    """esda ≤ 2.6 ``p_sim`` count: the smaller of #(sim ≥ observed) and permutations − that."""
    sim = np.asarray(simulated, dtype=np.float64)
    larger = int(np.count_nonzero(sim >= observed - _tie_tolerance(sim)))
    return min(larger, sim.size - larger)


def global_permutation_test(
    z,
    cross_product: Callable[[np.ndarray], float],
    result: GlobalMoran,
    permutations: int = 999,
    seed=42,
    alternative: str = "folded",
    is_cancelled: Callable[[], bool] | None = None,
) -> GlobalMoran:
    """Permutation pseudo p-value of global Moran's I: the values are permuted over the analysed units.

    Parameters
    ----------
    z : array_like, shape ``(n,)``
        Deviations from the mean, in the order ``cross_product`` expects.
    cross_product : callable
        ``cross_product(v) = Σᵢ Σⱼ wᵢⱼ vᵢ vⱼ`` for a vector ``v`` in that order.
    result : GlobalMoran
        The analytic result (for n, S₀ and Σz²); a copy with the permutation fields filled is returned.
    permutations : int
        Number of random permutations (at least 1).
    seed : int or numpy.random.Generator
        Seed of ``numpy.random.default_rng``. A legacy ``numpy.random.RandomState`` is also accepted and
        then draws the same permutations as esda's ``Moran`` after ``np.random.seed`` with that seed.
    alternative : {"folded", "directed"}
        ``"folded"`` (default): two-sided, ``p = (1 + #{k : |I_k − Ī_sim| ≥ |I − Ī_sim|}) / (K + 1)``,
        the permutation distribution folded about its mean (esda's ``alternative="folded"``).
        ``"directed"``: esda ≤ 2.6's ``p_sim``, the smaller tail, one-sided; kept to reproduce it only.

    Returns
    -------
    GlobalMoran
        With ``p_sim``, ``EI_sim``, ``seI_sim``, ``z_sim``, ``permutations`` set.

    Raises
    ------
    core.common.errors.Cancelled
        When ``is_cancelled()`` (polled every 16 permutations) returns True.

    References
    ----------
    Anselin, L. (1995). Local indicators of spatial association — LISA. Geogr. Anal. 27:93–115.
    esda ``calculate_significance`` (pysal/esda, significance.py), ``alternative="folded"``.
    """
    _check_alternative(alternative)
    permutations = int(permutations)
    if permutations < 1:
        raise ValueError(f"permutations must be at least 1; got {permutations}")
    z = np.asarray(z, dtype=np.float64).ravel()
    if z.size != result.n:
        raise ValueError(f"z has {z.size} values but the result is for n = {result.n}")
    rng = _rng(seed)
    z2 = float(np.dot(z, z))
    scale = result.n / result.S0 / z2
    observed = scale * cross_product(z)
    sim = np.empty(permutations)
    for k in range(permutations):
        if is_cancelled is not None and k % 16 == 0 and is_cancelled():
            raise Cancelled()
        sim[k] = scale * cross_product(rng.permutation(z))
    count = folded_count(observed, sim) if alternative == "folded" else directed_count(observed, sim)
    out = GlobalMoran(**{**result.__dict__})
    out.p_sim = (count + 1.0) / (permutations + 1.0)
    out.p_sim_method = f"permutation ({alternative})"
    out.permutations = permutations
    out.EI_sim = float(sim.mean())
    out.seI_sim = float(sim.std())
    out.z_sim = float((result.I - out.EI_sim) / out.seI_sim) if out.seI_sim > 0 else float("nan")
    return out


class GridCrossProduct:
    """``Σᵢ Σⱼ wᵢⱼ vᵢ vⱼ`` for row-standardised contiguity of the analysed cells of a grid.

    Built once from the grid of neighbour counts; each call places ``v`` (one value per analysed cell, in
    row-major order) on the grid and sums ``(1/cᵢ + 1/cⱼ) vᵢ vⱼ`` over each unordered neighbour pair.
    Memory: about 40 bytes per grid cell (queen).
    """

    def __init__(self, card, contiguity: str = "queen"):
        _check_contiguity(contiguity)
        card = np.asarray(card)
        if card.ndim != 2:
            raise ValueError(f"card must be a 2-D grid of neighbour counts; got shape {card.shape}")
        self.analysed = card > 0
        self.flat = np.flatnonzero(self.analysed.ravel())
        inv = np.where(self.analysed, 1.0 / np.maximum(card, 1), 0.0)
        self.shape = card.shape
        self._img = np.zeros(card.shape)
        self._dense = bool(self.analysed.all())  # no scatter needed: v is the grid in row-major order
        self._pairs = []
        for dr, dc in _PAIR_DIRECTIONS[contiguity]:
            a, b = self._slices(dr, dc)
            u = inv[a] + inv[b]
            self._pairs.append((a, b, u, np.empty_like(u)))

    def _slices(self, dr, dc):
        rows, cols = self.shape
        r0, r1 = (0, rows - dr) if dr >= 0 else (-dr, rows)
        c0, c1 = (0, cols - dc) if dc >= 0 else (-dc, cols)
        return (slice(r0, r1), slice(c0, c1)), (slice(r0 + dr, r1 + dr), slice(c0 + dc, c1 + dc))

    def __call__(self, v) -> float:
        if self._dense:
            img = np.asarray(v, dtype=np.float64).reshape(self.shape)
        else:
            img = self._img
            img.ravel()[self.flat] = v
        total = 0.0
        for a, b, u, buf in self._pairs:
            np.multiply(u, img[a], out=buf)
            total += float(np.vdot(buf, img[b]))
        return total


# ------------------------------------------------------------------------------ weights of features
def contiguity_weights(rings, n: int, contiguity: str = "queen"):
    """Queen or rook contiguity of polygons from their ring coordinates, as libpysal builds it.

    Parameters
    ----------
    rings : iterable of (int, array_like)
        ``(feature index, (m, 2) coordinates of one ring)`` for every ring (outer and inner) of every
        part of every polygon; the ring may or may not repeat its first vertex at the end.
    n : int
        Number of features.
    contiguity : {"queen", "rook"}
        Queen: two polygons are neighbours when they share a vertex; rook: when they share an edge
        (two consecutive vertices). Coordinates must match exactly, as in libpysal's
        ``Queen/Rook.from_iterable`` (vertex hashing, no snapping).

    Returns
    -------
    scipy.sparse.csr_matrix of int8, shape ``(n, n)``
        Binary, symmetric, zero diagonal.

    Examples
    --------
    >>> sq = lambda x, y: np.array([(x, y), (x + 1, y), (x + 1, y + 1), (x, y + 1)], float)
    >>> rings = [(0, sq(0, 0)), (1, sq(1, 0)), (2, sq(1, 1))]
    >>> contiguity_weights(rings, 3, "queen").toarray().tolist()
    [[0, 1, 1], [1, 0, 1], [1, 1, 0]]
    >>> contiguity_weights(rings, 3, "rook").toarray().tolist()
    [[0, 1, 0], [1, 0, 1], [0, 1, 0]]
    """
    from scipy import sparse

    _check_contiguity(contiguity)
    owners, keys = [], []
    for index, coords in rings:
        xy = np.asarray(coords, dtype=np.float64).reshape(-1, 2)
        if xy.shape[0] == 0:
            continue
        if contiguity == "queen":
            keys.append(xy)
            owners.append(np.full(xy.shape[0], int(index)))
        else:
            if xy.shape[0] > 1 and not np.array_equal(xy[0], xy[-1]):
                xy = np.vstack([xy, xy[:1]])  # close the ring
            a, b = xy[:-1], xy[1:]
            swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
            lo, hi = np.where(swap[:, None], b, a), np.where(swap[:, None], a, b)
            keys.append(np.hstack([lo, hi]))
            owners.append(np.full(a.shape[0], int(index)))
    if not keys:
        return sparse.csr_matrix((n, n), dtype=np.int8)
    keys = np.vstack(keys)
    owners = np.concatenate(owners)
    if owners.min() < 0 or owners.max() >= n:
        raise ValueError(f"ring owners must be feature indices in 0..{n - 1}")
    _, key_id = np.unique(keys + 0.0, axis=0, return_inverse=True)  # + 0.0: -0.0 equals 0.0
    incidence = sparse.csr_matrix(
        (np.ones(owners.size, dtype=np.int32), (owners, key_id.ravel())), shape=(n, int(key_id.max()) + 1)
    )
    incidence.data[:] = 1
    shared = (incidence @ incidence.T).tocsr()
    shared.setdiag(0)
    shared.eliminate_zeros()
    shared.data[:] = 1
    return shared.astype(np.int8)


def knn_weights(xy, k: int):
    """The k nearest neighbours of each point (Euclidean), as libpysal's ``KNN``: row-asymmetric.

    Returns
    -------
    scipy.sparse.csr_matrix of int8, shape ``(n, n)``
        ``A[i, j] = 1`` when j is among the k nearest neighbours of i (ties: the k-d tree's order).
    """
    from scipy import sparse
    from scipy.spatial import cKDTree

    xy = np.asarray(xy, dtype=np.float64)
    n = xy.shape[0]
    k = int(k)
    if xy.ndim != 2 or xy.shape[1] != 2 or not np.isfinite(xy).all():
        raise ValueError("xy must be a finite (n, 2) array of coordinates")
    if not 1 <= k < n:
        raise ValueError(f"k must be in 1..n-1 = 1..{n - 1}; got {k}")
    _, idx = cKDTree(xy).query(xy, k=k + 1)
    not_self = idx != np.arange(n)[:, None]
    too_many = not_self.sum(axis=1) == k + 1  # the point itself was not returned (duplicates)
    not_self[too_many, -1] = False
    cols = idx[not_self].reshape(n, k)
    rows = np.repeat(np.arange(n), k)
    return sparse.csr_matrix((np.ones(n * k, dtype=np.int8), (rows, cols.ravel())), shape=(n, n))


def distance_band_weights(xy, threshold: float):
    """Binary distance band: neighbours within ``threshold`` (Euclidean, inclusive), as libpysal's
    ``DistanceBand(binary=True)``. Coincident points are neighbours too (libpysal drops pairs at
    distance 0)."""
    from scipy import sparse
    from scipy.spatial import cKDTree

    xy = np.asarray(xy, dtype=np.float64)
    if xy.ndim != 2 or xy.shape[1] != 2 or not np.isfinite(xy).all():
        raise ValueError("xy must be a finite (n, 2) array of coordinates")
    if not float(threshold) > 0:
        raise ValueError(f"threshold must be positive; got {threshold}")
    n = xy.shape[0]
    pairs = cKDTree(xy).query_pairs(float(threshold), output_type="ndarray")
    rows = np.r_[pairs[:, 0], pairs[:, 1]]
    cols = np.r_[pairs[:, 1], pairs[:, 0]]
    return sparse.csr_matrix((np.ones(rows.size, dtype=np.int8), (rows, cols)), shape=(n, n))


@dataclass
class AnalysedWeights:
    """Binary weights restricted to the analysed units: valid, with at least one valid neighbour."""

    neighbours: object  # scipy.sparse.csr_matrix (m, m), binary, among the analysed units
    index: np.ndarray  # positions of the analysed units among all units
    isolated: np.ndarray  # positions of valid units without a valid neighbour

    @property
    def card(self) -> np.ndarray:
        return np.diff(self.neighbours.indptr).astype(np.int64)

    def row_standardised(self):
        return (self.neighbours.multiply(1.0 / self.card[:, None])).tocsr()


def analysed_weights(neighbours, valid) -> AnalysedWeights:
    """Keep the valid units and their valid neighbours; units left without a neighbour are isolated.

    The neighbours of i are counted among valid units only (row-standardisation is then over valid
    neighbours). With symmetric weights one pass suffices; with asymmetric ones (k nearest) the weights
    should be built from the valid units in the first place.
    """
    from scipy import sparse

    a = sparse.csr_matrix(neighbours)
    valid = np.asarray(valid, dtype=bool)
    if a.shape != (valid.size, valid.size):
        raise ValueError(f"neighbours must be ({valid.size}, {valid.size}); got {a.shape}")
    pos = np.flatnonzero(valid)
    sub = a[pos][:, pos].tocsr()
    sub.eliminate_zeros()
    card = np.diff(sub.indptr)
    keep = card > 0
    sub = sub[keep][:, keep].tocsr()
    sub.data[:] = 1
    return AnalysedWeights(sub, pos[keep], pos[~keep])


def weight_sums(w):
    """``S₀, S₁, S₂`` of a weights matrix (Cliff & Ord 1981): Σw, ½ΣΣ(wᵢⱼ + wⱼᵢ)², Σ(wᵢ. + w.ᵢ)²."""
    from scipy import sparse

    w = sparse.csr_matrix(w, dtype=np.float64)
    sym = w + w.T
    s0 = float(w.sum())
    s1 = 0.5 * float(sym.multiply(sym).sum())
    s2 = float(((np.asarray(w.sum(axis=1)).ravel() + np.asarray(w.sum(axis=0)).ravel()) ** 2).sum())
    return s0, s1, s2


def global_moran_sparse(
    y,
    weights: AnalysedWeights,
    permutations: int = 999,
    seed=42,
    alternative: str = "folded",
    is_cancelled: Callable[[], bool] | None = None,
) -> GlobalMoran:
    """Global Moran's I of values ``y`` (one per analysed unit) with row-standardised binary weights.

    The same statistic and inference as the raster version (:func:`global_moran_from_sums`,
    :func:`global_permutation_test`), for features; equal to esda's ``Moran``. ``is_cancelled`` is
    checked every 16 permutations (:class:`core.common.errors.Cancelled`).
    """
    y = np.asarray(y, dtype=np.float64).ravel()
    if y.size != weights.index.size:
        raise ValueError(f"y has {y.size} values for {weights.index.size} analysed units")
    if not np.isfinite(y).all():
        raise ValueError("y must be finite at every analysed unit")
    w = weights.row_standardised()
    s0, s1, s2 = weight_sums(w)
    z = y - y.mean()
    result = global_moran_from_sums(y.size, s0, s1, s2, float(z @ (w @ z)), float(z @ z), float((z**4).sum()))
    if permutations:
        result = global_permutation_test(
            z, lambda v: float(v @ (w @ v)), result, permutations, seed, alternative, is_cancelled
        )
    return result


def local_moran_sparse(
    y,
    weights: AnalysedWeights,
    inference: str = "auto",
    permutations: int = 999,
    seed=42,
    alpha: float = 0.05,
    fdr: bool = False,
    alternative: str = "folded",
    draws=None,
) -> dict:
    """Local Moran's I of values ``y`` (one per analysed unit) with row-standardised binary weights.

    The same statistic, inference and classes as the raster driver, for features: ``Iᵢ`` with
    ``m₂ = Σz²/n`` (esda's ``Is`` times n/(n − 1)), Anselin's analytic moments or the streamed
    conditional permutation test (two-sided folded by default), BH-FDR optional.

    Returns
    -------
    dict
        ``Ii``, ``z``, ``p``, ``lag``, ``quadrant``, ``cluster`` (arrays over the analysed units) and
        ``inference``, ``permutations``, ``threshold``, ``m2``, ``b2``.
    """
    _check_alpha(alpha)
    _check_alternative(alternative)
    y = np.asarray(y, dtype=np.float64).ravel()
    n = y.size
    if n != weights.index.size:
        raise ValueError(f"y has {n} values for {weights.index.size} analysed units")
    if n < 4:
        raise ValueError(f"local Moran's I needs at least 4 units with a neighbour; got {n}")
    if not np.isfinite(y).all():
        raise ValueError("y must be finite at every analysed unit")
    z = y - y.mean()
    m2 = float(z @ z) / n
    if not m2 > 0:
        raise ValueError("all analysed values are equal; Moran's I is undefined")
    b2 = float(np.mean(z**4)) / m2**2
    card = weights.card
    lag = weights.row_standardised() @ z
    ii = z * lag / m2
    method = choose_inference(inference, n)
    if method == "analytic":
        zs, p = analytic_inference(ii, card, n, b2)
        permutations = 0
    else:
        if draws is None:
            draws = permutation_draws(n, int(card.max()), permutations, seed)
        draws = np.asarray(draws, dtype=np.int64)
        permutations = draws.shape[0]
        test = LocalPermutationTest(n, draws, z[draws], z[draws + 1], alternative)
        count, lag_mean, lag_sd = test.counts(np.arange(n), card, z, lag)
        p = pseudo_p(count, permutations)
        zs = permutation_z(z, lag, lag_mean, lag_sd)
    quad = quadrant(z, lag)
    threshold = fdr_threshold(p, alpha) if fdr else float(alpha)
    return {
        "Ii": ii,
        "z": zs,
        "p": p,
        "lag": lag,
        "quadrant": quad,
        "cluster": lisa_clusters(quad, p, threshold),
        "inference": method,
        "permutations": permutations,
        "threshold": threshold,
        "m2": m2,
        "b2": b2,
    }


# ----------------------------------------------------------------------------------------- local Moran
def quadrant(z, lag) -> np.ndarray:
    """Quadrant of the Moran scatter plot, in the codes of :data:`LISA_CLUSTERS` (uint8).

    High means ``> 0`` (above the mean), as esda: a value exactly at the mean counts as Low.

    Examples
    --------
    >>> quadrant([1.0, -1.0, 1.0, -1.0], [2.0, -2.0, -2.0, 2.0]).tolist()
    [1, 2, 3, 4]
    """
    z = np.asarray(z)
    lag = np.asarray(lag)
    high, high_lag = z > 0, lag > 0
    out = np.where(high, np.where(high_lag, HIGH_HIGH, HIGH_LOW), np.where(high_lag, LOW_HIGH, LOW_LOW))
    return out.astype(np.uint8)


def anselin_moments(wi, wi2, n: int, b2: float):
    """Expectation and variance of local Moran's I under total randomisation (Anselin 1995).

    Parameters
    ----------
    wi : array_like
        Row sums ``wᵢ. = Σⱼ wᵢⱼ`` (1 for row-standardised weights).
    wi2 : array_like
        ``wᵢ₍₂₎ = Σⱼ wᵢⱼ²`` (``1/cᵢ`` for row-standardised binary weights with cᵢ neighbours).
    n : int
        Number of analysed observations.
    b2 : float
        Kurtosis ``m₄ / m₂²`` of the analysed values.

    Returns
    -------
    (E, V) : numpy.ndarray
        For ``Iᵢ = (zᵢ / m₂) Σⱼ wᵢⱼ zⱼ`` with ``m₂ = Σ z² / n``.

    Notes
    -----
    ``E[Iᵢ] = −wᵢ. / (n − 1)``;
    ``Var[Iᵢ] = wᵢ₍₂₎ (n − b₂)/(n − 1) + 2wᵢ₍ₖₕ₎ (2b₂ − n)/((n − 1)(n − 2)) − wᵢ.²/(n − 1)²``
    with ``2wᵢ₍ₖₕ₎ = Σ_{k≠h} wᵢₖ wᵢₕ = wᵢ.² − wᵢ₍₂₎`` (the form of Sokal et al. 1998, eq. A4, as esda).

    References
    ----------
    Anselin, L. (1995). Local indicators of spatial association — LISA. Geogr. Anal. 27:93–115, eq. 13.
    Sokal, R. R., Oden, N. L. & Thomson, B. A. (1998). Local spatial autocorrelation in a biological
    model. Geogr. Anal. 30:331–354.

    Examples
    --------
    >>> e, v = anselin_moments(1.0, 0.125, 1001, 3.0)
    >>> round(float(e), 4), round(float(v), 4)
    (-0.001, 0.1239)
    """
    if int(n) < 3:
        raise ValueError(f"n must be at least 3; got {n}")
    wi = np.asarray(wi, dtype=np.float64)
    wi2 = np.asarray(wi2, dtype=np.float64)
    n = float(n)
    n1 = n - 1.0
    e = -wi / n1
    v = wi2 * (n - b2) / n1 + (wi * wi - wi2) * (2.0 * b2 - n) / (n1 * (n - 2.0)) - e * e
    return e, v


def analytic_inference(ii, card, n: int, b2: float):
    """z-score and two-sided p of local Moran's I from Anselin's moments, row-standardised binary weights.

    Parameters
    ----------
    ii : array_like
        Local Moran's I with Anselin's scaling (``m₂ = Σ z² / n``).
    card : array_like of int
        Number of valid neighbours of each site (at least 1).

    Returns
    -------
    (z, p) : numpy.ndarray
        ``z = (Iᵢ − E[Iᵢ]) / √Var[Iᵢ]`` and ``p = 2 Φ(−|z|)``; NaN where the variance is not positive.
    """
    card = np.asarray(card, dtype=np.float64)
    if np.any(card < 1):
        raise ValueError("card must be at least 1 for every site (isolated sites are excluded)")
    e, v = anselin_moments(1.0, 1.0 / card, n, b2)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(v > 0, (np.asarray(ii, dtype=np.float64) - e) / np.sqrt(np.where(v > 0, v, 1.0)), np.nan)
    return z, _two_sided(z)


def permutation_draws(n: int, max_card: int, permutations: int = 999, seed=42) -> np.ndarray:
    """The neighbour draws shared by every site in the conditional permutation test (as esda's crand).

    Row k holds ``max_card`` distinct indices drawn without replacement from ``0 … n − 2``; a site at
    position i with c neighbours uses the first c of them, mapped onto the other n − 1 sites by skipping
    i (index j ≥ i stands for site j + 1).

    Returns
    -------
    numpy.ndarray of int64, shape ``(permutations, max_card)``
    """
    n, max_card, permutations = int(n), int(max_card), int(permutations)
    if permutations < 1:
        raise ValueError(f"permutations must be at least 1; got {permutations}")
    if max_card < 1 or max_card > n - 1:
        raise ValueError(f"max_card must be in 1..n-1 = 1..{n - 1}; got {max_card}")
    rng = _rng(seed)
    out = np.empty((permutations, max_card), dtype=np.int64)
    for k in range(permutations):
        out[k] = rng.choice(n - 1, size=max_card, replace=False)
    return out


class LocalPermutationTest:
    """Conditional permutation test of local Moran's I, streamed over sites in bounded memory.

    For row-standardised binary weights (contiguity, k-nearest, binary distance band) ``Iᵢ`` is
    ``zᵢ/m₂`` times the mean of the neighbours' z, so under conditional permutation (zᵢ fixed, cᵢ values
    drawn without replacement from the other n − 1) only the mean of the drawn values varies. The draws
    of :func:`permutation_draws` are shared by all sites (as esda's ``crand``); for a site at position p
    the drawn index j stands for site ``j + (j ≥ p)``, so the permuted lag of permutation k depends on p
    only through how many of the k-th draws lie below p. The sites are visited in position order and the
    permuted lags of all K permutations are updated only where a draw is passed, sorted, and each site's
    tail counts are two binary searches: ``O(n log K + K·c log K)`` time, ``O(window + K·c)`` memory —
    never an n × K matrix.

    Parameters
    ----------
    n : int
        Number of analysed sites.
    draws : array_like of int, shape ``(K, max_card)``
        From :func:`permutation_draws` (or esda's ``crand.vec_permutations`` to reproduce esda).
    drawn, drawn_next : array_like, shape ``(K, max_card)``
        ``z`` at the positions ``draws`` and ``draws + 1`` (the values a site below/above sees).
    alternative : {"folded", "directed"}
        ``"folded"`` (default): two-sided, ``#{k : |Iᵢ⁽ᵏ⁾ − Īᵢ| ≥ |Iᵢ − Īᵢ|}`` with ``Īᵢ`` the mean of the
        site's K permuted values (esda's ``alternative="folded"``). ``"directed"``: esda ≤ 2.6's ``p_sim``
        count, one-sided in the direction of the smaller tail, ``min(#{k : Iᵢ⁽ᵏ⁾ ≥ Iᵢ}, #{k : Iᵢ⁽ᵏ⁾ ≤ Iᵢ})``
        with the ties in both tails (esda counts ``K − #{≥}`` for the lower tail, which leaves them out,
        so the two differ where permuted values equal the observed one).
    atol : float, optional
        Permuted lags within ``atol`` of the observed one are ties and count as at least as extreme
        (a draw of the site's own neighbour values, or tied data, is then not decided by rounding).
        Default: 1e-9 times the root mean square of ``drawn``.

    References
    ----------
    Anselin, L. (1995). Local indicators of spatial association — LISA. Geogr. Anal. 27:93–115.
    Rey, S. J. & Anselin, L. (2007). PySAL: a Python library of spatial analytical methods. Rev. Reg.
    Stud. 37:5–27 (the shared-draw conditional randomisation of esda ``crand``).
    """

    def __init__(self, n, draws, drawn, drawn_next, alternative: str = "folded", atol=None):
        _check_alternative(alternative)
        self.n = int(n)
        self.draws = np.asarray(draws, dtype=np.int64)
        if self.draws.ndim != 2 or self.draws.size == 0:
            raise ValueError(f"draws must be a (permutations, max_card) array; got shape {self.draws.shape}")
        if self.draws.min() < 0 or self.draws.max() > self.n - 2:
            raise ValueError(f"draws must lie in 0..n-2 = 0..{self.n - 2}")
        self.drawn = np.asarray(drawn, dtype=np.float64)
        self.drawn_next = np.asarray(drawn_next, dtype=np.float64)
        if self.drawn.shape != self.draws.shape or self.drawn_next.shape != self.draws.shape:
            raise ValueError("drawn and drawn_next must have the shape of draws")
        self.permutations, self.max_card = self.draws.shape
        self.alternative = alternative
        rms = float(np.sqrt(np.mean(self.drawn**2))) if self.drawn.size else 0.0
        self.atol = float(atol) if atol is not None else 1e-9 * rms
        self._groups: dict[int, tuple] = {}

    def _group(self, c: int):
        if c not in self._groups:
            if c > self.max_card:
                raise ValueError(f"a site has {c} neighbours but the draws hold only {self.max_card}")
            k_count = self.permutations
            ids = self.draws[:, :c]
            order = np.argsort(ids, axis=1, kind="stable")
            cuts = np.take_along_axis(ids, order, axis=1)
            below = np.take_along_axis(self.drawn[:, :c], order, axis=1)
            above = np.take_along_axis(self.drawn_next[:, :c], order, axis=1)
            table = np.zeros((k_count, c + 1))
            table[:, 1:] += np.cumsum(below, axis=1)
            table[:, :c] += np.cumsum(above[:, ::-1], axis=1)[:, ::-1]
            table /= c  # permuted lag of a site with t of this row's draws below its position
            flat = cuts.ravel()
            by_value = np.argsort(flat, kind="stable")
            self._groups[c] = (table, flat[by_value], np.repeat(np.arange(k_count), c)[by_value])
        return self._groups[c]

    def counts(self, pos, card, z, lag):
        """Extreme-permutation counts and the permutation mean and sd of the lag, per site.

        Parameters
        ----------
        pos : array_like of int, shape ``(m,)``
            Positions (0 … n − 1) of the sites, strictly increasing.
        card : array_like of int
            Valid neighbours of each site (1 … max_card).
        z, lag : array_like of float
            Deviation of each site and its observed row-standardised lag.

        Returns
        -------
        count : numpy.ndarray of int64
            Per the ``alternative``; ``K`` (p = 1) where ``zᵢ = 0`` (every permuted Iᵢ equals Iᵢ = 0).
        lag_mean, lag_sd : numpy.ndarray
            Mean and standard deviation (ddof 0) of the site's K permuted lags, so that the permutation
            z-score is ``sign(zᵢ) (lagᵢ − lag_mean) / lag_sd`` (esda's ``z_sim``).
        """
        pos = np.asarray(pos, dtype=np.int64)
        card = np.asarray(card, dtype=np.int64)
        z = np.asarray(z, dtype=np.float64)
        lag = np.asarray(lag, dtype=np.float64)
        m = pos.size
        if not (card.shape == z.shape == lag.shape == (m,)):
            raise ValueError("pos, card, z and lag must be 1-D arrays of one length")
        if m and (pos[0] < 0 or pos[-1] >= self.n or np.any(np.diff(pos) <= 0)):
            raise ValueError(f"pos must be strictly increasing positions in 0..{self.n - 1}")
        k_count = self.permutations
        count = np.empty(m, dtype=np.int64)
        lag_mean = np.empty(m)
        lag_sd = np.empty(m)
        rows = np.arange(k_count)
        for c in np.unique(card):
            if c < 1:
                raise ValueError("card must be at least 1 (isolated sites are excluded)")
            table, cut_values, cut_rows = self._group(int(c))
            sel = np.flatnonzero(card == c)
            p_sel = pos[sel]
            seg = np.searchsorted(cut_values, p_sel, side="left")  # draws lying below each site
            starts = np.flatnonzero(np.r_[True, seg[1:] != seg[:-1]])
            ends = np.r_[starts[1:], sel.size]
            t = np.bincount(cut_rows[: seg[0]], minlength=k_count)
            current = table[rows, t]
            done = int(seg[0])
            for s0, s1 in zip(starts, ends):
                g = int(seg[s0])
                if g > done:
                    passed = cut_rows[done:g]
                    np.add.at(t, passed, 1)
                    current[passed] = table[passed, t[passed]]
                    done = g
                ordered = np.sort(current)
                mean = ordered.mean()
                idx = sel[s0:s1]
                lag_mean[idx] = mean
                lag_sd[idx] = ordered.std()
                count[idx] = self._count(ordered, mean, z[idx], lag[idx])
        return count, lag_mean, lag_sd

    def _count(self, ordered, mean, z, lag):
        k_count = ordered.size
        tol = self.atol
        if self.alternative == "folded":
            d = np.maximum(np.abs(lag - mean) - tol, 0.0)
            hi = k_count - np.searchsorted(ordered, mean + d, side="left")
            lo = np.searchsorted(ordered, mean - d, side="right")
            out = np.minimum(hi + lo, k_count)
        else:
            # The smaller tail, each tail counted with its ties: #(lag_k >= lag) and #(lag_k <= lag).
            # (K minus the upper count would leave the ties out of the lower tail.) Iᵢ is zᵢ/m₂ times the
            # lag, so the two tails of Iᵢ are those of the lag, swapped where zᵢ < 0: the minimum is the same.
            ge = k_count - np.searchsorted(ordered, lag - tol, side="left")
            le = np.searchsorted(ordered, lag + tol, side="right")
            out = np.minimum(ge, le)
        return np.where(z == 0, k_count, out)


def pseudo_p(count, permutations: int) -> np.ndarray:
    """``(count + 1) / (permutations + 1)``."""
    return (np.asarray(count, dtype=np.float64) + 1.0) / (int(permutations) + 1.0)


def permutation_z(z, lag, lag_mean, lag_sd) -> np.ndarray:
    """Permutation z-score of local Moran's I, ``sign(zᵢ)(lagᵢ − lag_mean)/lag_sd``; 0 where zᵢ = 0."""
    z = np.asarray(z, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.sign(z) * (np.asarray(lag) - lag_mean) / lag_sd
    return np.where(z == 0, 0.0, out)


# --------------------------------------------------------------------------------------------- the FDR
def fdr_threshold(p, alpha: float = 0.05) -> float:
    """Benjamini–Hochberg threshold: the largest ``p₍ₖ₎ ≤ k α / m``; −inf when no test is rejected.

    Significant ⟺ ``p ≤ threshold``. NaN p-values are not counted in m.

    References
    ----------
    Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate. J. R. Stat. Soc. B
    57:289–300.

    Examples
    --------
    >>> fdr_threshold([0.001, 0.008, 0.039, 0.041, 0.6], 0.05)
    0.008
    """
    _check_alpha(alpha)
    p = np.asarray(p, dtype=np.float64).ravel()
    p = np.sort(p[~np.isnan(p)])
    m = p.size
    if m == 0:
        return float("-inf")
    ok = np.flatnonzero(p <= alpha * np.arange(1, m + 1) / m)
    return float(p[ok[-1]]) if ok.size else float("-inf")


def fdr_threshold_streaming(
    chunks: Callable[[], Iterable[np.ndarray]],
    m: int,
    alpha: float = 0.05,
    bins: int = 65536,
    max_exact: int = 1_000_000,
) -> float:
    """:func:`fdr_threshold` over p-values read in chunks, in memory bounded by the chunk and ``bins``.

    Parameters
    ----------
    chunks : callable
        Returns a fresh iterable over the p-values (1-D float arrays); called once per pass.
    m : int
        Number of p-values (the tests of the FDR family).
    bins : int
        Histogram bins per pass.
    max_exact : int
        A bin holding at most this many p-values is resolved exactly from its values.

    Notes
    -----
    The BH threshold p* is the largest p with ``p ≤ α F(p) / m`` (F the count ``#{pⱼ ≤ p}``); it is at
    most α. A histogram of the p-values on [0, α] (geometric bins, so tiny p-values are resolved) finds the
    highest bin that can hold p*: a bin [e, e′) can only if ``e ≤ α C / m`` (C the count up to its top);
    if also ``e′ ≤ α C / m`` its largest value is p*. An undecided bin is refined by another pass restricted
    to it, or resolved from its values when it holds at most ``max_exact`` of them. Usually two or three
    passes; the result equals :func:`fdr_threshold`.

    Examples
    --------
    >>> p = np.random.default_rng(0).uniform(0, 1, 5000) ** 4
    >>> fdr_threshold_streaming(lambda: np.array_split(p, 7), p.size) == fdr_threshold(p)
    True
    """
    _check_alpha(alpha)
    m = int(m)
    if m <= 0:
        return float("-inf")

    def inside(lo, hi):
        for chunk in chunks():
            v = np.asarray(chunk, dtype=np.float64).ravel()
            yield v, v[(v >= lo) & (v < hi)]

    def histogram(edges):
        counts = np.zeros(edges.size - 1, dtype=np.int64)
        below = 0
        for v, sel in inside(edges[0], edges[-1]):
            below += int(np.count_nonzero(v < edges[0]))
            idx = np.searchsorted(edges, sel, side="right") - 1
            counts += np.bincount(np.clip(idx, 0, counts.size - 1), minlength=counts.size)
        return below, counts

    def largest(lo, hi):
        return max(float(sel.max()) for _, sel in inside(lo, hi) if sel.size)

    def exact(lo, hi):
        below, values, weights = 0, [], []
        for v, sel in inside(lo, hi):
            below += int(np.count_nonzero(v < lo))
            u, c = np.unique(sel, return_counts=True)
            values.append(u)
            weights.append(c)
        u, inverse = np.unique(np.concatenate(values), return_inverse=True)
        cum = below + np.cumsum(np.bincount(inverse, weights=np.concatenate(weights)))
        ok = np.flatnonzero(u <= alpha * cum / m)
        return float(u[ok[-1]]) if ok.size else None

    def search(edges, below, counts, depth):
        cum = below + np.cumsum(counts)
        for b in np.flatnonzero(counts)[::-1]:
            lo, hi = float(edges[b]), float(edges[b + 1])
            if lo > alpha * cum[b] / m:
                continue  # no p-value in this bin can satisfy p <= alpha F(p) / m
            if hi <= alpha * cum[b] / m:
                return largest(lo, hi)
            if counts[b] <= max_exact or depth >= 8 or np.nextafter(lo, np.inf) >= hi:
                found = exact(lo, hi)
            else:
                sub = np.linspace(lo, hi, bins + 1)
                sub[-1] = hi
                found = search(sub, *histogram(sub), depth + 1)
            if found is not None:
                return found
        return None

    top = np.r_[0.0, np.geomspace(min(1e-300, alpha / m), alpha, bins), np.nextafter(alpha, np.inf)]
    found = search(top, *histogram(top), 0)
    return float("-inf") if found is None else found


def lisa_clusters(quad, p, threshold: float) -> np.ndarray:
    """Cluster class (uint8, codes of :data:`LISA_CLUSTERS`): the quadrant where ``p ≤ threshold``,
    Not significant otherwise (also where p is NaN)."""
    quad = np.asarray(quad, dtype=np.uint8)
    p = np.asarray(p, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        significant = p <= threshold
    return np.where(significant, quad, NOT_SIGNIFICANT).astype(np.uint8)


def choose_inference(inference: str, n: int, max_cells: int = AUTO_PERMUTATION_MAX_CELLS) -> str:
    """``"analytic"`` or ``"permutation"``: the user's choice, or by size for ``"auto"``."""
    if inference not in INFERENCES:
        raise ValueError(f"inference must be one of {INFERENCES}; got {inference!r}")
    if inference != "auto":
        return inference
    return "permutation" if n <= max_cells else "analytic"

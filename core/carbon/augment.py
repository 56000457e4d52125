"""Sample augmentation by the NPP ratio: random points per stratum carry the plots' carbon (docs/method.md, step 2).

Within a stratum s (a climate zone × ecosystem type, or any integer-coded stratum raster) the carbon density
of a random point r is transferred from the measured plots of s by the ratio of NPP::

    C_r = C̄_s × NPP_r / NPP̄_s

where C̄_s and NPP̄_s are the mean carbon density and mean NPP of the measured plots in s.

The stratum raster may hold tens of millions of pixels, so it is never loaded whole: one pass over its
windows counts the eligible pixels (and their true area) of every stratum; random pixels are then drawn
as ordinal numbers among each stratum's pixels, and a second pass finds where those pixels are. Points
closer than the minimum spacing to an accepted point or to a measured plot are rejected and redrawn
(one more pass per round). The same seed gives the same points.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass, field
from typing import Callable, Mapping, NamedTuple

import numpy as np

from ..engine import raster

__all__ = [
    "ECOSYSTEM_FACTOR",
    "NO_STRATUM",
    "RandomPoints",
    "StratumCount",
    "StratumGrid",
    "StratumMean",
    "allocate_points",
    "combine_strata",
    "count_strata",
    "random_points_in_strata",
    "stratum_codes",
    "strata_from_array",
    "strata_from_rasters",
    "stratum_means",
    "transfer_carbon",
]

#: Code of pixels outside every stratum (stratum nodata, or NPP missing or not positive).
NO_STRATUM = np.iinfo(np.int64).min

#: Combined stratum code = climate zone × ECOSYSTEM_FACTOR + ecosystem type (types 0…999).
ECOSYSTEM_FACTOR = 1000

_EARTH_RADIUS_M = 6371008.8  # mean Earth radius (IUGG)
# Working memory per pixel of a window: the input bands as read and as float32, the codes, their masks,
# indices, sort order and area weights (measured peak about 90 bytes).
_BYTES_PER_PIXEL = 96.0


# ------------------------------------------------------------------------------------------ plot means
class StratumMean(NamedTuple):
    """Mean carbon density ``carbon`` and mean NPP ``npp`` of the ``n`` measured plots of one stratum."""

    carbon: float
    npp: float
    n: int


def stratum_means(strata_at_plots, carbon, npp_at_plots) -> dict[int, StratumMean]:
    """Mean carbon density and mean NPP of the measured plots of every stratum.

    Parameters
    ----------
    strata_at_plots : array_like of float or int, shape (n_plots,)
        Stratum code at each plot; NaN where the plot lies outside the strata raster or on nodata.
    carbon : array_like of float, shape (n_plots,)
        Measured carbon density of each plot (t/hm²); NaN if missing.
    npp_at_plots : array_like of float, shape (n_plots,)
        NPP at each plot; NaN if missing.

    Returns
    -------
    dict of int to StratumMean
        ``(C̄_s, NPP̄_s, n_s)`` per stratum, over the plots where all three values are finite; strata
        without such a plot are absent.

    Raises
    ------
    ValueError
        Arrays of different lengths, or a stratum code that is not a whole number.

    Examples
    --------
    >>> m = stratum_means([1, 1, 2, np.nan], [10.0, 20.0, 5.0, 7.0], [400.0, 600.0, 300.0, 500.0])
    >>> m[1]
    StratumMean(carbon=15.0, npp=500.0, n=2)
    >>> sorted(m)
    [1, 2]
    """
    s = _as_1d(strata_at_plots, "strata_at_plots")
    c = _as_1d(carbon, "carbon")
    p = _as_1d(npp_at_plots, "npp_at_plots")
    if not (s.size == c.size == p.size):
        raise ValueError(
            f"strata_at_plots, carbon and npp_at_plots must have the same length; got {s.size}, {c.size}, {p.size}"
        )
    ok = np.isfinite(s) & np.isfinite(c) & np.isfinite(p)
    if np.any(ok & (s != np.round(s))):
        bad = s[ok & (s != np.round(s))][0]
        raise ValueError(f"strata must be integer codes; got {bad:g}")
    out: dict[int, StratumMean] = {}
    codes = s[ok].astype(np.int64)
    for code in np.unique(codes):
        sel = codes == code
        out[int(code)] = StratumMean(float(c[ok][sel].mean()), float(p[ok][sel].mean()), int(sel.sum()))
    return out


def transfer_carbon(npp_r, stratum_r, means: Mapping[int, StratumMean]) -> np.ndarray:
    """Carbon density of random points by the NPP ratio: ``C_r = C̄_s × NPP_r / NPP̄_s``.

    Parameters
    ----------
    npp_r : array_like of float, shape (n_points,)
        NPP at each point.
    stratum_r : array_like of int, shape (n_points,)
        Stratum code of each point.
    means : mapping of int to StratumMean
        From :func:`stratum_means`.

    Returns
    -------
    numpy.ndarray of float64, shape (n_points,)
        NaN where the stratum has no mean, NPP_r is missing, or NPP̄_s is not positive.

    References
    ----------
    Bao, Y. et al. (2026). Spatiotemporal changes and potential diagnostic zoning of ecosystem carbon
    sinks in Ningxia. Arid Land Geography 49(4): 740–755.

    Examples
    --------
    >>> means = {3: StratumMean(carbon=40.0, npp=500.0, n=4)}
    >>> transfer_carbon([250.0, 600.0, 400.0], [3, 3, 7], means).tolist()
    [20.0, 48.0, nan]
    """
    npp = _as_1d(npp_r, "npp_r")
    s = np.asarray(stratum_r).ravel()
    if s.size != npp.size:
        raise ValueError(f"npp_r and stratum_r must have the same length; got {npp.size} and {s.size}")
    c_bar = np.full(npp.size, np.nan)
    n_bar = np.full(npp.size, np.nan)
    for i, code in enumerate(s):
        m = means.get(int(code)) if _is_code(code) else None
        if m is not None and m.npp > 0:
            c_bar[i], n_bar[i] = m.carbon, m.npp
    return c_bar * npp / n_bar


def allocate_points(n: int, areas: Mapping[int, float], mode: str = "area") -> dict[int, int]:
    """How many random points each stratum gets.

    Parameters
    ----------
    n : int
        ``mode="area"``: the total number of points, split in proportion to stratum area by the largest
        remainder method (Hamilton), so the counts sum to exactly ``n``. ``mode="per_stratum"``: the
        number of points of every stratum.
    areas : mapping of int to float
        Area (any unit) of each stratum that is to receive points.
    mode : {"area", "per_stratum"}

    Returns
    -------
    dict of int to int

    Notes
    -----
    Quota ``q_s = n · A_s / Σ A``; each stratum gets ``⌊q_s⌋`` and the ``n − Σ⌊q_s⌋`` remaining points go
    to the largest fractional parts (ties: larger area first, then smaller code).

    Examples
    --------
    >>> allocate_points(10, {1: 50.0, 2: 30.0, 3: 20.0})
    {1: 5, 2: 3, 3: 2}
    >>> allocate_points(3, {1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0})
    {1: 1, 2: 1, 3: 1, 4: 0}
    """
    if isinstance(n, (bool, np.bool_)) or int(n) != n or n < 0:
        raise ValueError(f"n must be a non-negative whole number; got {n!r}")
    n = int(n)
    codes = sorted(int(k) for k in areas)
    if mode == "per_stratum":
        return {c: n for c in codes}
    if mode != "area":
        raise ValueError(f"mode must be 'area' or 'per_stratum'; got {mode!r}")
    a = np.array([float(areas[c]) for c in codes])
    if a.size == 0:
        return {}
    if not np.all(np.isfinite(a) & (a >= 0)) or a.sum() <= 0:
        raise ValueError("stratum areas must be non-negative with a positive sum")
    quota = n * a / a.sum()
    base = np.floor(quota).astype(np.int64)
    left = n - int(base.sum())
    order = sorted(range(len(codes)), key=lambda i: (-(quota[i] - base[i]), -a[i], codes[i]))
    for i in order[:left]:
        base[i] += 1
    return {c: int(k) for c, k in zip(codes, base)}


# -------------------------------------------------------------------------------------- stratum grids
@dataclass
class StratumGrid:
    """Stratum codes on a raster grid, read window by window.

    ``read(window)`` returns the int64 codes of a window ``(col0, row0, ncols, nrows)`` with
    :data:`NO_STRATUM` where a pixel belongs to no stratum; ``windows`` cover the grid in scan order
    (every pass visits them in the same order, which the point draw relies on); ``pixel_areas(window)``
    is the true area (m²) of every pixel of a window, ``(nrows, ncols)``; ``io()`` is entered around each pass (it bounds GDAL's
    block cache and closes the files afterwards).
    """

    geotransform: tuple
    xsize: int
    ysize: int
    windows: list
    read: Callable[[tuple], np.ndarray]
    pixel_areas: Callable[[tuple], np.ndarray]
    geographic: bool = False
    io: Callable[[], contextlib.AbstractContextManager] = contextlib.nullcontext  # around each pass

    def centres(self, rows, cols):
        """Map coordinates of the centres of pixels ``(rows, cols)``."""
        g = self.geotransform
        r = np.asarray(rows, dtype=float) + 0.5
        c = np.asarray(cols, dtype=float) + 0.5
        return g[0] + c * g[1] + r * g[2], g[3] + c * g[4] + r * g[5]


def strata_from_array(strata, geotransform=(0.0, 1.0, 0.0, 0.0, 0.0, -1.0), npp=None, geographic=False):
    """A :class:`StratumGrid` over an in-memory array (small grids and tests).

    Parameters
    ----------
    strata : array_like, shape (rows, cols)
        Integer stratum codes; NaN (or any non-finite value) for no stratum.
    geotransform : tuple of 6 float
        GDAL geotransform of the array (default: unit pixels, origin at the top-left corner).
    npp : array_like, shape (rows, cols), optional
        Pixels where NPP is not finite or not positive belong to no stratum.
    geographic : bool
        Coordinates are longitude/latitude degrees (spacing is then measured on the sphere).
    """
    s = np.asarray(strata, dtype=float)
    if s.ndim != 2:
        raise ValueError(f"strata must be a 2-D array; got shape {s.shape}")
    codes = stratum_codes(s, "strata")
    if npp is not None:
        p = np.asarray(npp, dtype=float)
        if p.shape != s.shape:
            raise ValueError(f"npp must have the shape of strata {s.shape}; got {p.shape}")
        with np.errstate(invalid="ignore"):
            codes[~(np.isfinite(p) & (p > 0))] = NO_STRATUM
    rows, cols = s.shape
    gt = tuple(float(v) for v in geotransform)

    def read(window):
        c0, r0, nc, nr = window
        return codes[r0 : r0 + nr, c0 : c0 + nc]

    def areas(window):
        return np.full((window[3], window[2]), abs(gt[1] * gt[5] - gt[2] * gt[4]))

    return StratumGrid(gt, cols, rows, [(0, 0, cols, rows)], read, areas, geographic)


def strata_from_rasters(
    npp: raster.Stack,
    stratum: raster.Stack | None = None,
    climate: raster.Stack | None = None,
    ecosystem: raster.Stack | None = None,
    memory_mb: float = raster.DEFAULT_MEMORY_MB,
) -> StratumGrid:
    """A :class:`StratumGrid` read block by block from rasters (one-band stacks from ``raster.open_band``).

    Give either ``stratum`` (integer codes) or both ``climate`` and ``ecosystem`` (integer codes; the
    stratum is ``climate × 1000 + ecosystem``, :func:`combine_strata`). Pixels where NPP is nodata or not
    positive, or any stratum input is nodata, belong to no stratum.

    Raises
    ------
    raster.RasterInputError
        Rasters on different grids, or without a CRS (naming the layer).
    ValueError
        Both or neither stratum form given. While reading: non-integer codes (naming the layer).
    """
    if (stratum is None) == (climate is None or ecosystem is None) or (
        stratum is not None and (climate is not None or ecosystem is not None)
    ):
        raise ValueError(
            "give either a stratum raster, or a climate-zone raster and an ecosystem-type raster"
        )
    stacks = [npp] + ([stratum] if stratum is not None else [climate, ecosystem])
    grid = raster.check_same_grid(stacks)
    grid.require_crs(npp.bands[0].layer)  # stratum areas are reported and allocate the points
    geographic = grid.is_geographic
    windows = raster.plan_windows(grid.xsize, grid.ysize, _BYTES_PER_PIXEL, memory_mb)
    handles: dict[str, object] = {}

    @contextlib.contextmanager
    def io():
        try:
            with raster.gdal_cache_limit():
                yield
        finally:
            handles.clear()

    def band(stack, window):
        return raster.read_window(stack, window, handles)[0]

    def read(window):
        p = band(npp, window)
        if stratum is not None:
            codes = stratum_codes(band(stratum, window), stratum.bands[0].layer)
        else:
            codes = combine_strata(
                band(climate, window),
                band(ecosystem, window),
                climate.bands[0].layer,
                ecosystem.bands[0].layer,
            )
        with np.errstate(invalid="ignore"):
            codes[~(np.isfinite(p) & (p > 0))] = NO_STRATUM
        return codes

    return StratumGrid(
        grid.geotransform, grid.xsize, grid.ysize, windows, read, grid.pixel_areas, geographic, io
    )


def combine_strata(climate, ecosystem, climate_layer="climate zone", ecosystem_layer="ecosystem type"):
    """Stratum code ``climate × 1000 + ecosystem`` of two integer rasters; NO_STRATUM where either is NaN.

    >>> combine_strata(np.array([1.0, 2.0, np.nan]), np.array([3.0, 12.0, 1.0])).tolist()[:2]
    [1003, 2012]
    """
    c = stratum_codes(np.asarray(climate, dtype=float), climate_layer)
    e = stratum_codes(np.asarray(ecosystem, dtype=float), ecosystem_layer)
    valid = (c != NO_STRATUM) & (e != NO_STRATUM)
    if np.any(valid & ((e < 0) | (e >= ECOSYSTEM_FACTOR))):
        bad = e[valid & ((e < 0) | (e >= ECOSYSTEM_FACTOR))][0]
        raise ValueError(
            f"Layer '{ecosystem_layer}': ecosystem codes must be 0–{ECOSYSTEM_FACTOR - 1}; got {bad}"
        )
    if np.any(valid & (c < 0)):
        raise ValueError(
            f"Layer '{climate_layer}': climate-zone codes must not be negative; got {c[valid & (c < 0)][0]}"
        )
    out = np.full(c.shape, NO_STRATUM, dtype=np.int64)
    out[valid] = c[valid] * ECOSYSTEM_FACTOR + e[valid]
    return out


# ------------------------------------------------------------------------------------------ counting
class StratumCount(NamedTuple):
    """Eligible pixels of one stratum and their total true area (m²)."""

    pixels: int
    area_m2: float


def count_strata(grid, progress=None, is_cancelled=None) -> dict[int, StratumCount]:
    """Pixels and true area of every stratum, in one pass over the windows of ``grid``.

    Parameters
    ----------
    grid : StratumGrid or array_like
        An array is wrapped with :func:`strata_from_array`.
    progress, is_cancelled : callable, optional
        ``progress(percent)`` after each window; ``is_cancelled()`` before each (raises
        ``raster.Cancelled``).

    Examples
    --------
    >>> count_strata(np.array([[1, 1, np.nan], [2, 1, 2]]))
    {1: StratumCount(pixels=3, area_m2=3.0), 2: StratumCount(pixels=2, area_m2=2.0)}
    """
    grid = _as_grid(grid)
    pixels: dict[int, int] = {}
    area: dict[int, float] = {}
    with grid.io():
        for k, window in enumerate(grid.windows):
            if is_cancelled is not None and is_cancelled():
                raise raster.Cancelled()
            col0, row0, ncols, nrows = window
            codes, starts, sizes, positions = _group(np.asarray(grid.read(window)).ravel())
            if codes.size:
                px_area = np.reshape(grid.pixel_areas(window), -1)[positions]
                a = np.add.reduceat(px_area, starts)
                for code, ni, ai in zip(codes.tolist(), sizes.tolist(), a.tolist()):
                    pixels[code] = pixels.get(code, 0) + ni
                    area[code] = area.get(code, 0.0) + ai
            if progress is not None:
                progress(100.0 * (k + 1) / len(grid.windows))
    return {c: StratumCount(pixels[c], area[c]) for c in sorted(pixels)}


# ------------------------------------------------------------------------------------------- drawing
@dataclass
class RandomPoints:
    """Random points drawn in strata: pixel centres in the grid's CRS.

    ``requested`` and ``placed`` give the points asked for and placed per stratum; ``shortfall`` explains
    every stratum that got fewer than asked (too few pixels, or no room at the minimum spacing).
    """

    x: np.ndarray
    y: np.ndarray
    stratum: np.ndarray
    row: np.ndarray
    col: np.ndarray
    requested: dict[int, int] = field(default_factory=dict)
    placed: dict[int, int] = field(default_factory=dict)
    shortfall: dict[int, str] = field(default_factory=dict)
    rounds: int = 0

    def __len__(self):
        return self.x.size


def random_points_in_strata(
    strata,
    n_per_stratum: Mapping[int, int],
    min_spacing: float,
    seed: int | None = None,
    *,
    fixed_xy=None,
    counts: Mapping[int, StratumCount] | None = None,
    max_rounds: int = 8,
    oversample: float = 3.0,
    progress=None,
    is_cancelled=None,
) -> RandomPoints:
    """Random pixel centres in each stratum, at least ``min_spacing`` apart.

    Parameters
    ----------
    strata : StratumGrid or array_like of shape (rows, cols)
        Where the strata are: a block reader (:func:`strata_from_rasters`, any size) or a small array
        (wrapped with :func:`strata_from_array`: unit pixels, origin at the top-left corner).
    n_per_stratum : mapping of int to int
        Points wanted per stratum (e.g. from :func:`allocate_points`). Strata not in it get no point.
    min_spacing : float
        Minimum distance between any two points, and between a point and a fixed point, in metres
        (map units on projected grids, great-circle metres on geographic ones); 0 for none.
    seed : int, optional
        Seed of ``numpy.random.default_rng``; the same seed and inputs give the same points.
    fixed_xy : array_like of shape (n_fixed, 2), optional
        Points already there (the measured plots, in the grid's CRS) that new points keep away from.
    counts : mapping of int to StratumCount, optional
        The result of :func:`count_strata` on the same grid, to save its pass.
    max_rounds : int
        At most this many draw-and-locate passes (each reads the grid once).
    oversample : float
        Candidates drawn per missing point in the first round (doubled every round).
    progress, is_cancelled : callable, optional
        As for :func:`count_strata` (percent of each pass).

    Returns
    -------
    RandomPoints
        Ordered by stratum, then in the order accepted.

    Raises
    ------
    ValueError
        Negative spacing or point counts, or ``max_rounds < 1``.

    Notes
    -----
    Each stratum's eligible pixels are numbered in scan order (``counts`` gives how many there are). A
    round draws, for every stratum still short, distinct pixel numbers not drawn before (uniformly, without
    replacement), finds them in one pass over the windows, shuffles all candidates together and accepts
    them one by one unless an accepted or fixed point lies closer than ``min_spacing`` (a k-d tree query,
    ``scipy.spatial.cKDTree``) or the stratum is full. Memory is one window plus the candidates, whatever
    the grid size. Without a spacing the points are a simple random sample of each stratum's pixels; with a
    spacing they follow simple sequential inhibition (Diggle 2003) on the pixel centres.

    References
    ----------
    Diggle, P. J. (2003). Statistical Analysis of Spatial Point Patterns (2nd ed.). Arnold.

    Examples
    --------
    >>> s = np.array([[1, 1, 1, 2], [1, 1, 2, 2], [3, 3, 2, 2]])
    >>> pts = random_points_in_strata(s, {1: 2, 2: 2}, min_spacing=0.0, seed=1)
    >>> sorted(set(pts.stratum.tolist())), len(pts)
    ([1, 2], 4)
    """
    from scipy.spatial import cKDTree

    grid = _as_grid(strata)
    if not (math.isfinite(min_spacing) and min_spacing >= 0):
        raise ValueError(f"min_spacing must be a non-negative distance; got {min_spacing}")
    if max_rounds < 1:
        raise ValueError(f"max_rounds must be at least 1; got {max_rounds}")
    want = {int(s): int(k) for s, k in n_per_stratum.items()}
    if any(k < 0 for k in want.values()):
        raise ValueError("n_per_stratum must not be negative")
    rng = np.random.default_rng(seed)
    counts = count_strata(grid, None, is_cancelled) if counts is None else counts
    result = RandomPoints(*(np.empty(0) for _ in range(5)), requested=dict(want))
    placed = {s: 0 for s in want}
    used = {s: np.empty(0, dtype=np.int64) for s in want}
    for s, k in want.items():
        available = counts[s].pixels if s in counts else 0
        if k > available:
            result.shortfall[s] = f"{k} points asked for but the stratum has only {available} eligible pixels"
    fixed = (
        _metric(np.asarray(fixed_xy, dtype=float).reshape(-1, 2), grid.geographic)
        if fixed_xy is not None
        else None
    )
    fixed = fixed[np.all(np.isfinite(fixed), axis=1)] if fixed is not None else None
    radius = _metric_radius(min_spacing, grid.geographic)
    acc_xyz, acc_rows, acc_cols, acc_strata = [], [], [], []
    rounds = 0
    for rnd in range(max_rounds):
        draws = {}
        for s in sorted(want):
            missing = want[s] - placed[s]
            total = counts[s].pixels if s in counts else 0
            remaining = total - used[s].size
            if missing <= 0 or remaining <= 0:
                continue
            k = min(remaining, int(math.ceil(missing * oversample * 2**rnd)) + 8)
            new = _draw_excluding(rng, total, k, used[s])
            used[s] = np.union1d(used[s], new)
            draws[s] = np.sort(new)
        if not draws:
            break
        rounds += 1
        rows, cols, strata_c = _locate(grid, draws, progress, is_cancelled)
        # canonical order (stratum, then scan position) before the shuffle: the result must not depend
        # on how the grid is cut into windows
        canon = np.lexsort((rows * grid.xsize + cols, strata_c))
        order = canon[rng.permutation(rows.size)]
        rows, cols, strata_c = rows[order], cols[order], strata_c[order]
        x, y = grid.centres(rows, cols)
        xyz = _metric(np.column_stack([x, y]), grid.geographic)
        parts = acc_xyz + ([fixed] if fixed is not None and fixed.size else [])
        blockers = np.vstack(parts) if parts else np.empty((0, xyz.shape[1]))
        keep = _inhibit(xyz, strata_c, want, placed, blockers, radius, cKDTree)
        new_total = int(keep.size)
        if new_total:
            acc_xyz.append(xyz[keep])
            acc_rows.append(rows[keep])
            acc_cols.append(cols[keep])
            acc_strata.append(strata_c[keep])
        if new_total == 0:
            break  # no room left at this spacing for any stratum that is short
    result.rounds = rounds
    if acc_rows:
        rows = np.concatenate(acc_rows)
        cols = np.concatenate(acc_cols)
        st = np.concatenate(acc_strata)
        order = np.argsort(st, kind="stable")
        rows, cols, st = rows[order], cols[order], st[order]
    else:
        rows = cols = st = np.empty(0, dtype=np.int64)
    result.x, result.y = grid.centres(rows, cols)
    result.row, result.col, result.stratum = rows, cols, st
    result.placed = {s: int(np.count_nonzero(st == s)) for s in want}
    for s, k in want.items():
        if result.placed[s] < k and s not in result.shortfall:
            result.shortfall[s] = (
                f"{result.placed[s]} of {k} points placed: no more room at a spacing of {min_spacing:g} m"
            )
    return result


def _inhibit(xyz, strata_c, want, placed, blockers, radius, kdtree):
    """Accept candidates in order unless closer than ``radius`` to an accepted one or a blocker."""
    n = xyz.shape[0]
    blocked = np.zeros(n, dtype=bool)
    if radius > 0 and blockers.size:
        near = kdtree(blockers).query_ball_point(xyz, radius, return_length=True)
        blocked = np.asarray(near) > 0
    neighbours: list[list[int]] = [[] for _ in range(n)]
    if radius > 0 and n > 1:
        for i, j in kdtree(xyz).query_pairs(radius, output_type="ndarray"):
            neighbours[i].append(j)
            neighbours[j].append(i)
    accepted = np.zeros(n, dtype=bool)
    for i in range(n):
        s = int(strata_c[i])
        if blocked[i] or placed[s] >= want[s]:
            continue
        if any(accepted[j] for j in neighbours[i]):
            continue
        accepted[i] = True
        placed[s] += 1
    return np.flatnonzero(accepted)


def _locate(grid: StratumGrid, draws: Mapping[int, np.ndarray], progress=None, is_cancelled=None):
    """Rows and columns of the drawn pixel numbers (sorted per stratum), in one pass over the windows."""
    seen = {s: 0 for s in draws}
    rows_out, cols_out, strata_out = [], [], []
    with grid.io():
        for k, window in enumerate(grid.windows):
            if is_cancelled is not None and is_cancelled():
                raise raster.Cancelled()
            col0, row0, ncols, nrows = window
            codes, starts, sizes, positions = _group(np.asarray(grid.read(window)).ravel())
            for code, start, size in zip(codes.tolist(), starts.tolist(), sizes.tolist()):
                if code not in draws:
                    continue
                target = draws[code]
                lo = np.searchsorted(target, seen[code])
                hi = np.searchsorted(target, seen[code] + size)
                if hi > lo:
                    picks = positions[start + (target[lo:hi] - seen[code])]
                    rows_out.append(row0 + picks // ncols)
                    cols_out.append(col0 + picks % ncols)
                    strata_out.append(np.full(hi - lo, code, dtype=np.int64))
                seen[code] += size
            if progress is not None:
                progress(100.0 * (k + 1) / len(grid.windows))
    if not rows_out:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty
    return np.concatenate(rows_out), np.concatenate(cols_out), np.concatenate(strata_out)


def _group(flat: np.ndarray):
    """The stratum pixels of a window grouped by stratum, each group in scan order.

    Returns ``(codes, starts, sizes, positions)``: the sorted codes present, where each group starts in
    ``positions`` and how long it is, and the flat pixel indices grouped by code.
    """
    idx = np.flatnonzero(flat != NO_STRATUM)
    if idx.size == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty, empty
    codes = flat[idx]
    lo, hi = int(codes.min()), int(codes.max())
    if hi - lo < 65536:  # the usual case: a stable sort of 16-bit keys is a linear-time radix sort
        key = (codes - lo).astype(np.uint16)
        order = np.argsort(key, kind="stable")
        counts = np.bincount(key, minlength=hi - lo + 1)
        present = np.flatnonzero(counts)
        sizes = counts[present]
        uniq = present.astype(np.int64) + lo
    else:
        order = np.argsort(codes, kind="stable")
        uniq, sizes = np.unique(codes, return_counts=True)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    return uniq, starts, sizes.astype(np.int64), idx[order]


def _draw_excluding(rng, total: int, k: int, used: np.ndarray) -> np.ndarray:
    """``k`` distinct integers of ``0 … total−1`` not in ``used`` (sorted), uniformly at random."""
    remaining = total - used.size
    k = min(k, remaining)
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    if total <= 4 * (k + used.size) or total <= 1_000_000:
        pool = np.setdiff1d(np.arange(total, dtype=np.int64), used, assume_unique=True)
        return np.sort(rng.choice(pool, size=k, replace=False))
    out = np.empty(0, dtype=np.int64)
    while out.size < k:  # sparse draw from a large stratum: rejection is cheap
        cand = np.unique(rng.integers(0, total, size=2 * (k - out.size) + 8, dtype=np.int64))
        cand = np.setdiff1d(cand, np.concatenate([used, out]), assume_unique=False)
        if cand.size > k - out.size:
            cand = rng.choice(cand, size=k - out.size, replace=False)
        out = np.union1d(out, cand)
    return out


def _metric(xy: np.ndarray, geographic: bool) -> np.ndarray:
    """Coordinates in which Euclidean distance is metres: as given (projected) or on the sphere (3-D)."""
    if not geographic:
        return xy
    lon = np.radians(xy[:, 0])
    lat = np.radians(xy[:, 1])
    r = _EARTH_RADIUS_M
    return np.column_stack([r * np.cos(lat) * np.cos(lon), r * np.cos(lat) * np.sin(lon), r * np.sin(lat)])


def _metric_radius(spacing: float, geographic: bool) -> float:
    """Search radius for "closer than ``spacing``": the chord of that arc on the sphere, shrunk by 1e-9 so
    points exactly ``spacing`` apart are allowed."""
    if spacing <= 0:
        return 0.0
    if geographic:
        spacing = 2 * _EARTH_RADIUS_M * math.sin(min(spacing / (2 * _EARTH_RADIUS_M), math.pi / 2))
    return spacing * (1 - 1e-9)


# -------------------------------------------------------------------------------------------- helpers
def _as_grid(strata) -> StratumGrid:
    return strata if isinstance(strata, StratumGrid) else strata_from_array(strata)


def stratum_codes(values, layer: str = "strata") -> np.ndarray:
    """Integer codes (int64) of stratum values read as floats; NaN and ±inf become :data:`NO_STRATUM`.

    Raises
    ------
    ValueError
        A value with a fractional part, naming ``layer``.

    >>> stratum_codes([3.0, np.nan]).tolist() == [3, NO_STRATUM]
    True
    """
    v = np.asarray(values, dtype=float)
    finite = np.isfinite(v)
    if np.any(finite & (v != np.round(v))):
        bad = v[finite & (v != np.round(v))].ravel()[0]
        raise ValueError(f"Layer '{layer}': stratum codes must be whole numbers; found {bad:g}")
    out = np.full(v.shape, NO_STRATUM, dtype=np.int64)
    out[finite] = v[finite].astype(np.int64)
    return out


def _is_code(value) -> bool:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return False
    return math.isfinite(f) and f == round(f)


def _as_1d(values, name) -> np.ndarray:
    try:
        return np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numbers (NaN for missing)") from exc

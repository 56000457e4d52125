"""Global and local Moran's I of a raster band, window by window in bounded memory (METHOD.md step 12).

The weights are queen or rook contiguity of pixels, row-standardised over the *valid* neighbours of each
pixel (source nodata and non-finite values are not valid). A valid pixel without a valid neighbour is
*isolated*: it is excluded from n, the mean, m₂ and every statistic, counted and reported, and gets the
class "Isolated" in the LISA map (never Low-Low). Optionally the band is first aggregated to a coarser
grid, each coarse cell the mean of the valid pixels of a k × k block; the outputs are then on that grid.

The grid is read in full-width strips (:func:`core.engine.raster.plan_windows`) with a halo of one or two rows,
so neighbours across strip edges are seen. The passes are:

1. scan — valid pixels, neighbour counts, n and the mean of the analysed pixels, per-strip counts;
2. moments — Σz², Σz⁴ (m₂, b₂); for the global statistic also ``Σ wᵢⱼ zᵢ zⱼ``, S₁ and S₂; the values the
   permutation draws point at;
3. local — Iᵢ, its z and p (analytic or permutation), quadrant and cluster class, written as GeoTIFFs;
4. only with the FDR correction — the Benjamini–Hochberg threshold from the p-values kept in a temporary
   file (:func:`core.spatial.moran.fdr_threshold_streaming`), then the cluster classes.

Memory is the strip budget plus, for permutations, O(K × max neighbours); never an n × K matrix.
GDAL is used through :mod:`core.engine.raster` for reading; outputs are written here with the same options.
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from typing import Callable, Sequence

import numpy as np
from osgeo import gdal

from ..common.classes import CLASS_NODATA, ClassScheme
from ..common.style import paletted_qml, pseudocolor_qml
from ..engine.raster import (
    DEFAULT_MEMORY_MB,
    FLOAT_NODATA,
    Cancelled,
    ClassArea,
    Grid,
    OutputSpec,
    RunReport,
    Stack,
    check_outputs,
    class_area_table,
    commit_output,
    create_output,
    discard_output,
    gdal_cache_limit,
    missing_crs_message,
    open_band,
    plan_windows,
    read_window,
)
from . import moran as mk

gdal.UseExceptions()

OUTPUT_KEYS = ("Ii", "z", "p", "cluster", "quadrant")
GLOBAL_PERMUTATION_MAX_CELLS = 250_000
"""Largest number of analysed cells for the exact global permutation test (above: normal approximation)."""
_BYTES_PER_PIXEL = 160.0  # a strip's working memory per pixel in the local pass (float64 temporaries)


# ----------------------------------------------------------------------------------------------- sources
class _ArraySource:
    def __init__(self, values, grid: Grid | None = None):
        v = np.asarray(values, dtype=np.float64)
        if v.ndim != 2:
            raise ValueError(f"values must be a 2-D array; got shape {v.shape}")
        self.values = np.where(np.isfinite(v), v, np.nan)
        self.grid = grid or Grid("", (0.0, 1.0, 0.0, 0.0, 0.0, -1.0), v.shape[1], v.shape[0])
        self.name = "array"

    def read(self, c0, r0, nc, nr):
        return self.values[r0 : r0 + nr, c0 : c0 + nc]

    def close(self):
        pass


class _StackSource:
    def __init__(self, stack: Stack):
        if len(stack.bands) != 1:
            raise ValueError(f"{stack.name}: Moran's I needs a single band; got {len(stack.bands)}")
        self.stack = stack
        self.grid = stack.grid
        self.name = stack.bands[0].layer
        self._handles: dict = {}

    def read(self, c0, r0, nc, nr):
        return read_window(self.stack, (c0, r0, nc, nr), self._handles)[0].astype(np.float64)

    def close(self):
        self._handles.clear()


def _read_halo(source, window, halo):
    """The window grown by ``halo`` cells on every side, NaN outside the raster."""
    col0, row0, ncols, nrows = window
    grid = source.grid
    r0, r1 = max(0, row0 - halo), min(grid.ysize, row0 + nrows + halo)
    c0, c1 = max(0, col0 - halo), min(grid.xsize, col0 + ncols + halo)
    out = np.full((nrows + 2 * halo, ncols + 2 * halo), np.nan)
    rr, cc = r0 - (row0 - halo), c0 - (col0 - halo)
    out[rr : rr + r1 - r0, cc : cc + c1 - c0] = source.read(c0, r0, c1 - c0, r1 - r0)
    return out


@dataclass
class _Window:
    """The analysed cells of one window: masks, deviations, neighbour counts and lags."""

    analysed: np.ndarray  # (nrows, ncols) bool
    isolated: np.ndarray  # (nrows, ncols) bool
    index: np.ndarray  # flat indices of the analysed cells in the window
    z: np.ndarray  # deviations from the mean
    card: np.ndarray
    lag: np.ndarray


def _window_cells(source, window, mean, contiguity) -> _Window:
    block = _read_halo(source, window, 1)
    valid = ~np.isnan(block)
    card = mk.neighbour_sum(valid, contiguity)
    inner = valid[1:-1, 1:-1]
    analysed = inner & (card > 0)
    dev = np.where(valid, block - mean, 0.0)
    index = np.flatnonzero(analysed.ravel())
    c = card.ravel()[index].astype(np.int64)
    lag = mk.neighbour_sum(dev, contiguity).ravel()[index] / c
    return _Window(analysed, inner & (card == 0), index, dev[1:-1, 1:-1].ravel()[index], c, lag)


# ------------------------------------------------------------------------------------------- progress
class _Steps:
    def __init__(self, progress, is_cancelled, weights):
        self.progress, self.is_cancelled = progress, is_cancelled
        self.total = float(sum(weights.values()))
        self.weights = weights
        self.done = 0.0

    def windows(self, step, windows):
        for i, w in enumerate(windows):
            if self.is_cancelled is not None and self.is_cancelled():
                raise Cancelled()
            yield w
            if self.progress is not None:
                frac = (i + 1) / len(windows)
                self.progress(100.0 * (self.done + frac * self.weights[step]) / self.total)
        self.done += self.weights[step]


# --------------------------------------------------------------------------------------------- outputs
class _Sink:
    """GeoTIFF outputs (``specs``) and/or in-memory arrays (``keep_arrays``), written window by window."""

    def __init__(self, specs: Sequence[OutputSpec], grid: Grid, keep_arrays: bool, labels=None):
        self.grid = grid
        self.specs = {}
        for spec in specs:
            if spec.key not in OUTPUT_KEYS:
                raise ValueError(f"output key must be one of {OUTPUT_KEYS}; got {spec.key!r}")
            text = spec.description
            for name, value in (labels or {}).items():
                text = text.replace("{" + name + "}", value)
            self.specs[spec.key] = replace(spec, description=text)
        self.datasets = {k: create_output(s, grid) for k, s in self.specs.items()}
        self.arrays = {}
        if keep_arrays:
            for k in OUTPUT_KEYS:
                dtype = np.uint8 if k in ("cluster", "quadrant") else np.float64
                fill = CLASS_NODATA if dtype == np.uint8 else np.nan
                self.arrays[k] = np.full((grid.ysize, grid.xsize), fill, dtype=dtype)
        self.samples = {k: [] for k, s in self.specs.items() if s.ramp is not None}
        self.class_pixels = {k: np.zeros(256, np.int64) for k in ("cluster", "quadrant")}
        # without a CRS the class areas are left out (RasterInputError from Grid.pixel_areas otherwise)
        self.class_area = (
            {k: np.zeros(256, np.float64) for k in ("cluster", "quadrant")} if grid.has_crs else {}
        )

    def wants(self, key):
        return key in self.specs or key in self.arrays

    def write(self, key, window, values):
        col0, row0, ncols, nrows = window
        if key in self.arrays:
            self.arrays[key][row0 : row0 + nrows, col0 : col0 + ncols] = values
        if key in ("cluster", "quadrant"):
            codes = values.ravel().astype(np.intp)
            self.class_pixels[key] += np.bincount(codes, minlength=256)
            if key in self.class_area:
                areas = self.grid.pixel_areas(window).reshape(-1)
                self.class_area[key] += np.bincount(codes, weights=areas, minlength=256)
        spec = self.specs.get(key)
        if spec is None:
            return
        if spec.dtype == "uint8":
            out = values.astype(np.uint8)
        else:
            out = np.where(np.isfinite(values), values, spec.nodata).astype(np.float32)
            if spec.ramp is not None:
                finite = values[np.isfinite(values)]
                if finite.size:
                    self.samples[key].append(finite[:: max(1, finite.size // 4000)].copy())
        self.datasets[key].GetRasterBand(1).WriteArray(out, col0, row0)

    def class_table(self, key, scheme: ClassScheme) -> list[ClassArea]:
        return class_area_table(scheme, self.class_pixels[key], self.class_area.get(key))

    def close(self, ok: bool):
        for key in list(self.datasets):
            if ok:
                self.datasets[key].FlushCache()
            self.datasets[key] = None
        self.datasets.clear()
        for key, spec in self.specs.items():  # written beside their paths; moved into place if ok
            if not ok:
                discard_output(spec)
                continue
            if spec.scheme is not None:
                spec.qml = paletted_qml(spec.scheme)
            elif spec.ramp is not None:
                spec.qml = pseudocolor_qml(*self._ramp_range(key, spec), spec.ramp)
        if ok:
            for spec in self.specs.values():
                commit_output(spec)

    def _ramp_range(self, key, spec):
        if not self.samples[key]:
            return 0.0, 1.0
        lo, hi = (float(v) for v in np.percentile(np.concatenate(self.samples[key]), [2, 98]))
        if spec.symmetric:
            m = max(abs(lo), abs(hi)) or 1.0
            return -m, m
        return lo, hi


# ------------------------------------------------------------------------------------------ aggregation
def coarse_grid(grid: Grid, factor: int) -> Grid:
    """The grid of ``factor × factor`` blocks of ``grid`` (partial blocks at the right and bottom edges)."""
    x0, dx, rx, y0, ry, dy = grid.geotransform
    return Grid(
        grid.crs_wkt,
        (x0, dx * factor, rx * factor, y0, ry * factor, dy * factor),
        -(-grid.xsize // factor),
        -(-grid.ysize // factor),
    )


def aggregate_band(source, factor: int, path: str, memory_mb: float = DEFAULT_MEMORY_MB, steps=None) -> Grid:
    """Write the block means of the valid pixels (:func:`core.spatial.moran.block_mean`) as a float32 GeoTIFF."""
    grid = source.grid
    coarse = coarse_grid(grid, factor)
    rows = max(factor, int(memory_mb * 2**20 / (grid.xsize * 48.0)) // factor * factor)
    windows = [(0, r, grid.xsize, min(rows, grid.ysize - r)) for r in range(0, grid.ysize, rows)]
    spec = OutputSpec("mean", path, f"Mean of the valid pixels in {factor} x {factor} blocks")
    ds = create_output(spec, coarse)
    try:
        band = ds.GetRasterBand(1)
        iterator = steps.windows("aggregate", windows) if steps else windows
        for col0, row0, ncols, nrows in iterator:
            means = mk.block_mean(source.read(col0, row0, ncols, nrows), factor)
            band.WriteArray(
                np.where(np.isfinite(means), means, FLOAT_NODATA).astype(np.float32), 0, row0 // factor
            )
        ds.FlushCache()
        band = ds = None
        commit_output(spec)
    finally:
        band = ds = None
        discard_output(spec)  # a no-op after the commit
    return coarse


# ------------------------------------------------------------------------------------------- the passes
@dataclass
class _Scan:
    n: int = 0
    n_valid: int = 0
    n_isolated: int = 0
    total: float = 0.0
    max_card: int = 0
    counts: list = field(default_factory=list)
    full_width: bool = True

    @property
    def offsets(self):
        return np.r_[0, np.cumsum(self.counts)].astype(np.int64)


def _scan(source, windows, contiguity, steps) -> _Scan:
    scan = _Scan()
    for window in steps.windows("scan", windows):
        block = _read_halo(source, window, 1)
        valid = ~np.isnan(block)
        card = mk.neighbour_sum(valid, contiguity)
        inner = valid[1:-1, 1:-1]
        analysed = inner & (card > 0)
        k = int(analysed.sum())
        scan.n += k
        scan.n_valid += int(inner.sum())
        scan.n_isolated += int((inner & (card == 0)).sum())
        scan.total += float(block[1:-1, 1:-1][analysed].sum())
        if k:
            scan.max_card = max(scan.max_card, int(card[analysed].max()))
        scan.counts.append(k)
        scan.full_width &= window[2] == source.grid.xsize
    return scan


@dataclass
class _Moments:
    z2: float = 0.0
    z4: float = 0.0
    zwz: float = 0.0
    s1: float = 0.0
    s2: float = 0.0
    gathered: np.ndarray | None = None
    card_grid: np.ndarray | None = None
    z_packed: np.ndarray | None = None


def _moments(source, windows, scan, mean, contiguity, steps, weights=False, needed=None, full_grid=False):
    """Pass 2. ``weights``: also Σwzz, S₁, S₂ (halo 2). ``needed``: sorted positions whose z to collect.
    ``full_grid``: also keep the neighbour-count grid and the packed z (global permutation test)."""
    mom = _Moments()
    grid = source.grid
    offsets = scan.offsets
    if needed is not None:
        mom.gathered = np.empty(needed.size)
    if full_grid:
        mom.card_grid = np.zeros((grid.ysize, grid.xsize), dtype=np.int8)
        mom.z_packed = np.empty(scan.n)
    halo = 2 if weights else 1
    for w, window in enumerate(steps.windows("moments", windows)):
        col0, row0, ncols, nrows = window
        block = _read_halo(source, window, halo)
        valid = ~np.isnan(block)
        card1 = mk.neighbour_sum(valid, contiguity)  # the window grown by halo - 1
        analysed1 = valid[1:-1, 1:-1] & (card1 > 0)
        z1 = np.where(analysed1, block[1:-1, 1:-1] - mean, 0.0)
        if weights:
            inv1 = np.where(analysed1, 1.0 / np.maximum(card1, 1), 0.0)
            core = (slice(1, -1), slice(1, -1))
            analysed, card, z = analysed1[core], card1[core], z1[core]
            zl = mk.neighbour_sum(z1, contiguity)
            inv_sum = mk.neighbour_sum(inv1, contiguity)
            inv2_sum = mk.neighbour_sum(inv1 * inv1, contiguity)
            inv = inv1[core]
            mom.zwz += float((z * zl * inv)[analysed].sum())
            mom.s1 += 0.5 * float((inv + 2.0 * inv * inv_sum + inv2_sum)[analysed].sum())
            mom.s2 += float(((1.0 + inv_sum) ** 2)[analysed].sum())
        else:
            analysed, card, z = analysed1, card1, z1
        zs = z[analysed]
        z2 = zs * zs
        mom.z2 += float(z2.sum())
        mom.z4 += float((z2 * z2).sum())
        if zs.size != scan.counts[w]:
            raise RuntimeError("the raster changed between two passes")
        if needed is not None and zs.size:
            lo, hi = np.searchsorted(needed, [offsets[w], offsets[w + 1]])
            mom.gathered[lo:hi] = zs[needed[lo:hi] - offsets[w]]
        if full_grid:
            mom.card_grid[row0 : row0 + nrows, col0 : col0 + ncols] = np.where(analysed, card, 0)
            mom.z_packed[offsets[w] : offsets[w + 1]] = zs
    return mom


def _open_source(source, name="Raster"):
    if isinstance(source, Stack):
        return _StackSource(source)
    if isinstance(source, str):
        return _StackSource(open_band(name, source))
    return _ArraySource(source)


def _prepare(source, aggregate, memory_mb, steps, tmpdir):
    """The source to analyse: the input or its block means (written to ``tmpdir``)."""
    aggregate = int(aggregate)
    if aggregate < 1:
        raise ValueError(f"aggregate must be a positive integer; got {aggregate}")
    src = _open_source(source)
    if aggregate == 1:
        return src
    if isinstance(src, _ArraySource):
        return _ArraySource(mk.block_mean(src.values, aggregate), coarse_grid(src.grid, aggregate))
    path = os.path.join(tmpdir, "aggregated.tif")
    aggregate_band(src, aggregate, path, memory_mb, steps)
    src.close()
    return _StackSource(open_band(f"{src.name} (aggregated {aggregate} x {aggregate})", path, src.name))


def _check_counts(scan, name, minimum=4):
    if scan.n < minimum:
        raise ValueError(
            f"'{name}': Moran's I needs at least {minimum} valid cells with a valid neighbour; found "
            f"{scan.n} ({scan.n_valid} valid cells, {scan.n_isolated} of them isolated)"
        )


# ------------------------------------------------------------------------------------------ global I
@dataclass
class GlobalRasterResult:
    """Global Moran's I of a raster band, with what the run saw."""

    moran: mk.GlobalMoran
    contiguity: str
    aggregate: int
    grid: Grid
    n_valid: int
    n_isolated: int
    notes: list[str] = field(default_factory=list)


def global_moran_raster(
    source,
    *,
    contiguity: str = "queen",
    aggregate: int = 1,
    permutations: int = 999,
    seed=42,
    alternative: str = "folded",
    max_permutation_cells: int = GLOBAL_PERMUTATION_MAX_CELLS,
    memory_mb: float = DEFAULT_MEMORY_MB,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> GlobalRasterResult:
    """Global Moran's I of a raster band (queen or rook contiguity, row-standardised over valid neighbours).

    Parameters
    ----------
    source : Stack, str or array_like
        A one-band :class:`core.engine.raster.Stack`, a raster path, or a 2-D array (NaN = nodata).
    contiguity : {"queen", "rook"}
    aggregate : int
        Aggregate to ``aggregate × aggregate`` block means of the valid pixels first (1: no aggregation).
    permutations : int
        Random permutations of the values over the analysed cells for the pseudo p (0: none).
    seed : int or numpy.random.Generator
        See :func:`core.spatial.moran.global_permutation_test` (a ``RandomState`` reproduces esda's ``Moran``).
    alternative : {"folded", "directed"}
        Two-sided folded pseudo p (default), or esda ≤ 2.6's directed one.
    max_permutation_cells : int
        The permutation test holds the whole grid in memory (about 48 bytes per cell) and costs about
        45 ms per permutation per million cells (999 permutations of 250,000 cells: about 12 s here);
        above this many analysed cells (default 250,000), or when the grid does not
        fit ``memory_mb``, ``p_sim`` is the normal approximation with the exact permutation mean and
        variance (``E[I]`` and ``Var_rand``, Cliff & Ord 1981) and ``p_sim_method`` says so.
    memory_mb : float
        Budget of one strip (and of the permutation grid).

    Returns
    -------
    GlobalRasterResult
        ``moran`` holds I, E[I], the variances, z and two-sided p under normality and randomisation,
        and the permutation pseudo p.

    Raises
    ------
    ValueError
        Fewer than 4 analysed cells, constant values, bad arguments.
    core.engine.raster.Cancelled
        ``is_cancelled()`` returned True.

    Notes
    -----
    ``wᵢⱼ = 1/cᵢ`` for the cᵢ valid neighbours j of i, so ``S₀ = n``,
    ``S₁ = Σ_{i~j} (1/cᵢ + 1/cⱼ)²`` over unordered neighbour pairs and ``S₂ = Σᵢ (1 + Σ_{j~i} 1/cⱼ)²``;
    these equal libpysal's ``W.s0``, ``s1``, ``s2`` of the row-standardised W of the analysed cells.
    """
    mk._check_contiguity(contiguity)
    mk._check_alternative(alternative)
    if int(permutations) < 0:
        raise ValueError(f"permutations must be 0 or more; got {permutations}")
    tmpdir = tempfile.mkdtemp(prefix="moran_")
    steps = _Steps(progress, is_cancelled, {"aggregate": 1 if aggregate > 1 else 0, "scan": 1, "moments": 2})
    src = None
    try:
        with gdal_cache_limit():
            src = _prepare(source, aggregate, memory_mb, steps, tmpdir)
            grid = src.grid
            windows = plan_windows(grid.xsize, grid.ysize, _BYTES_PER_PIXEL, memory_mb)
            scan = _scan(src, windows, contiguity, steps)
            _check_counts(scan, src.name)
            mean = scan.total / scan.n
            notes = []
            fits = grid.xsize * grid.ysize * 48.0 + scan.n * 24.0 <= memory_mb * 2**20
            exact = permutations > 0 and scan.n <= max_permutation_cells and fits and scan.full_width
            mom = _moments(src, windows, scan, mean, contiguity, steps, weights=True, full_grid=exact)
        result = mk.global_moran_from_sums(scan.n, scan.n, mom.s1, mom.s2, mom.zwz, mom.z2, mom.z4)
        if exact:
            cross = mk.GridCrossProduct(mom.card_grid, contiguity)
            mom.card_grid = None
            result = mk.global_permutation_test(
                mom.z_packed, cross, result, permutations, seed, alternative, is_cancelled
            )
        elif permutations > 0:
            result.p_sim = result.p_rand
            result.p_sim_method = "normal approximation (exact permutation mean and variance)"
            result.permutations = 0
            why = (
                f"{scan.n:,} analysed cells > {max_permutation_cells:,}"
                if scan.n > max_permutation_cells
                else "the grid does not fit the memory budget"
            )
            notes.append(
                f"Permutation test skipped ({why}): p_sim is the normal approximation of the permutation "
                "distribution with its exact mean E[I] and variance Var_rand (Cliff & Ord 1981), i.e. p_rand."
            )
        return GlobalRasterResult(
            result, contiguity, int(aggregate), grid, scan.n_valid, scan.n_isolated, notes
        )
    finally:
        if src is not None:
            src.close()
        shutil.rmtree(tmpdir, ignore_errors=True)


# ------------------------------------------------------------------------------------------- local I
@dataclass
class LocalRasterResult:
    """What a LISA run computed and saw."""

    report: RunReport  # pixels, class areas of "cluster" and "quadrant", as core.engine.raster.run_pixelwise
    grid: Grid
    contiguity: str
    aggregate: int
    inference: str  # "analytic" or "permutation"
    n: int
    n_valid: int
    n_isolated: int
    mean: float
    m2: float
    b2: float
    global_I: float  # the mean of the Iᵢ: Moran's I of the same weights
    permutations: int = 0
    alternative: str = "folded"
    alpha: float = 0.05
    fdr: bool = False
    threshold: float = 0.05  # cells with p <= threshold are significant
    arrays: dict = field(default_factory=dict)  # array input: the full outputs (NaN / 0 = nodata)
    notes: list[str] = field(default_factory=list)


def local_moran_raster(
    source,
    outputs: Sequence[OutputSpec] = (),
    *,
    contiguity: str = "queen",
    aggregate: int = 1,
    inference: str = "auto",
    permutations: int = 999,
    seed=42,
    alpha: float = 0.05,
    fdr: bool = False,
    alternative: str = "folded",
    auto_max_cells: int = mk.AUTO_PERMUTATION_MAX_CELLS,
    memory_mb: float = DEFAULT_MEMORY_MB,
    draws=None,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> LocalRasterResult:
    """Local Moran's I (LISA) of a raster band, its inference and cluster classes, in bounded memory.

    Parameters
    ----------
    source : Stack, str or array_like
        A one-band :class:`core.engine.raster.Stack`, a raster path, or a 2-D array (NaN = nodata). With an
        array the full outputs are also returned in ``arrays``.
    outputs : sequence of core.engine.raster.OutputSpec
        GeoTIFFs to write, by key: ``"Ii"``, ``"z"``, ``"p"`` (float32), ``"cluster"``, ``"quadrant"``
        (uint8 with a :class:`core.common.classes.ClassScheme`, e.g. :func:`core.spatial.moran.lisa_scheme`). In a
        description, ``{inference}`` is replaced by :func:`inference_label` of the method used.
    contiguity : {"queen", "rook"}
    aggregate : int
        Aggregate to block means of the valid pixels first; outputs are on the coarse grid.
    inference : {"auto", "analytic", "permutation"}
        ``"auto"``: permutation up to ``auto_max_cells`` analysed cells, analytic above.
    permutations, seed :
        Conditional permutations (:class:`core.spatial.moran.LocalPermutationTest`) and the seed of their draws.
    alpha : float
        Significance level of the cluster classes.
    fdr : bool
        Benjamini–Hochberg over all analysed cells (two extra passes, p kept in a temporary file).
    alternative : {"folded", "directed"}
        Two-sided folded pseudo p (default) or esda ≤ 2.6's directed one.
    draws : array_like, optional
        Permutation draws to use instead of seeded ones (e.g. esda's, to reproduce esda exactly).

    Returns
    -------
    LocalRasterResult

    Notes
    -----
    ``Iᵢ = (zᵢ / m₂) Σⱼ wᵢⱼ zⱼ`` with z the deviations from the mean of the analysed cells,
    ``m₂ = Σ z² / n`` (Anselin 1995; esda's ``Is`` = ``Iᵢ (n − 1)/n``), ``wᵢⱼ = 1/cᵢ``.
    Analytic: ``z = (Iᵢ − E[Iᵢ]) / √Var[Iᵢ]`` with Anselin's moments under total randomisation
    (:func:`core.spatial.moran.anselin_moments`), ``p = 2Φ(−|z|)``. Permutation: the permutation z-score
    (esda's ``z_sim``) and the pseudo p ``(1 + count) / (K + 1)``. Cluster: the quadrant where
    ``p ≤ α`` (or ≤ the BH threshold), "Not significant" otherwise, "Isolated" for valid cells without a
    valid neighbour.
    """
    mk._check_contiguity(contiguity)
    mk._check_alternative(alternative)
    mk._check_alpha(alpha)
    if inference not in mk.INFERENCES:
        raise ValueError(f"inference must be one of {mk.INFERENCES}; got {inference!r}")
    if isinstance(source, Stack):
        check_outputs([source], outputs)
    tmpdir = tempfile.mkdtemp(prefix="lisa_")
    # the share of the progress bar of each pass (the local pass gathers and writes the most)
    weights = {"aggregate": int(aggregate > 1), "scan": 1, "moments": 1, "local": 3, "fdr": 2 if fdr else 0}
    steps = _Steps(progress, is_cancelled, weights)
    src = sink = None
    ok = False
    try:
        with gdal_cache_limit():
            src = _prepare(source, aggregate, memory_mb, steps, tmpdir)
            grid = src.grid
            windows = plan_windows(grid.xsize, grid.ysize, _BYTES_PER_PIXEL, memory_mb)
            scan = _scan(src, windows, contiguity, steps)
            _check_counts(scan, src.name)
            n = scan.n
            mean = scan.total / n
            method = mk.choose_inference(inference, n, auto_max_cells)
            needed = None
            if method == "permutation":
                draws, needed = _local_draws(draws, n, scan.max_card, permutations, seed)
                permutations = draws.shape[0]
            mom = _moments(src, windows, scan, mean, contiguity, steps, needed=needed)
            if not mom.z2 > 0:
                raise ValueError(f"'{src.name}': all analysed values are equal; Moran's I is undefined")
            m2, b2 = mom.z2 / n, (mom.z4 / n) / (mom.z2 / n) ** 2
            test = None
            if method == "permutation":
                at = np.searchsorted(needed, draws)
                test = mk.LocalPermutationTest(n, draws, mom.gathered[at], mom.gathered[at + 1], alternative)
            sink = _Sink(
                outputs,
                grid,
                isinstance(src, _ArraySource),
                {"inference": inference_label(method, permutations, alternative)},
            )
            p_file = os.path.join(tmpdir, "p.f64") if fdr else None
            local = _LocalPass(src, windows, scan, mean, m2, b2, contiguity, test, permutations)
            sum_ii = local.run(sink, steps, alpha, p_file)
            threshold = float(alpha)
            if fdr:
                threshold = _fdr_pass(
                    src, windows, scan.offsets, p_file, n, alpha, mean, contiguity, sink, steps
                )
        report, notes = _local_report(src, scan, sink, contiguity, mk.lisa_scheme(alpha, fdr))
        ok = True
        return LocalRasterResult(
            report=report,
            grid=grid,
            contiguity=contiguity,
            aggregate=int(aggregate),
            inference=method,
            n=n,
            n_valid=scan.n_valid,
            n_isolated=scan.n_isolated,
            mean=mean,
            m2=m2,
            b2=b2,
            global_I=sum_ii / n,
            permutations=permutations if method == "permutation" else 0,
            alternative=alternative,
            alpha=float(alpha),
            fdr=bool(fdr),
            threshold=threshold,
            arrays=sink.arrays,
            notes=notes,
        )
    finally:
        if sink is not None:
            sink.close(ok)
        if src is not None:
            src.close()
        shutil.rmtree(tmpdir, ignore_errors=True)


def _local_draws(draws, n, max_card, permutations, seed):
    """The permutation draws (seeded ones unless given) and the sorted positions they read."""
    if draws is None:
        draws = mk.permutation_draws(n, max_card, permutations, seed)
    draws = np.asarray(draws, dtype=np.int64)
    if draws.ndim != 2 or draws.shape[1] < max_card:
        raise ValueError(f"draws must be (permutations, >= {max_card}); got {draws.shape}")
    return draws, np.unique(np.r_[draws.ravel(), draws.ravel() + 1])


@dataclass
class _LocalPass:
    """The pass that computes Iᵢ, its z and p and the quadrant of every analysed cell, window by window."""

    src: object
    windows: list
    scan: object
    mean: float
    m2: float
    b2: float
    contiguity: str
    test: mk.LocalPermutationTest | None  # None: analytic inference
    permutations: int

    def run(self, sink, steps, alpha, p_file=None) -> float:
        """Write the outputs (the clusters too, unless ``p_file`` keeps the p for the FDR pass); returns ΣIᵢ."""
        sum_ii = 0.0
        with open(p_file, "wb") if p_file else contextlib.nullcontext() as p_out:
            for w, window in enumerate(steps.windows("local", self.windows)):
                cells = _window_cells(self.src, window, self.mean, self.contiguity)
                ii = cells.z * cells.lag / self.m2
                sum_ii += float(ii.sum())
                zs, p = self._inference(w, cells, ii)
                quad = mk.quadrant(cells.z, cells.lag)
                _write_local(sink, window, cells, {"Ii": ii, "z": zs, "p": p}, quad)
                if p_out is not None:
                    p.astype(np.float64).tofile(p_out)
                else:
                    _write_clusters(sink, window, cells, quad, p, alpha)
        return sum_ii

    def _inference(self, w, cells, ii):
        if self.test is None:
            return mk.analytic_inference(ii, cells.card, self.scan.n, self.b2)
        pos = self.scan.offsets[w] + np.arange(cells.index.size)
        count, lag_mean, lag_sd = self.test.counts(pos, cells.card, cells.z, cells.lag)
        return mk.permutation_z(cells.z, cells.lag, lag_mean, lag_sd), mk.pseudo_p(count, self.permutations)


def _local_report(src, scan, sink, contiguity, scheme):
    """The run report (class areas of clusters and quadrants, counters, warnings) and the log notes."""
    grid = src.grid
    report = RunReport(pixels_total=grid.xsize * grid.ysize, pixels_computed=scan.n_valid)
    report.class_areas["cluster"] = sink.class_table("cluster", scheme)
    report.class_areas["quadrant"] = sink.class_table("quadrant", mk.QUADRANTS)
    report.counters = {"isolated": scan.n_isolated, "analysed": scan.n}
    if not grid.has_crs:
        report.warnings.append(missing_crs_message(src.name, "areas left out"))
    notes = []
    if scan.n_isolated:
        notes.append(
            f"{scan.n_isolated:,} valid cells have no valid neighbour ({contiguity} contiguity): they are "
            "excluded from n, the mean and m2 and are classed 'Isolated'."
        )
    return report, notes


def inference_label(method: str, permutations: int = 0, alternative: str = "folded") -> str:
    """How the z and p of a LISA run were obtained, in words (for band descriptions and logs)."""
    if method == "analytic":
        return "analytic: Anselin (1995) moments under randomisation, two-sided"
    side = "two-sided, folded" if alternative == "folded" else "directed (esda 2.6 p_sim)"
    return f"conditional permutation: {permutations} permutations, {side}"


def _scatter(window, cells, values, fill):
    col0, row0, ncols, nrows = window
    dtype = np.uint8 if isinstance(fill, int) else np.float64
    out = np.full(nrows * ncols, fill, dtype=dtype)
    out[cells.index] = values
    return out.reshape(nrows, ncols)


def _write_local(sink, window, cells, floats, quad):
    for key, values in floats.items():
        if sink.wants(key):
            sink.write(key, window, _scatter(window, cells, values, np.nan))
    codes = _scatter(window, cells, quad, CLASS_NODATA)
    codes[cells.isolated] = mk.ISOLATED
    sink.write("quadrant", window, codes)


def _write_clusters(sink, window, cells, quad, p, threshold):
    codes = _scatter(window, cells, mk.lisa_clusters(quad, p, threshold), CLASS_NODATA)
    codes[cells.isolated] = mk.ISOLATED
    sink.write("cluster", window, codes)


def _fdr_pass(src, windows, offsets, p_file, n, alpha, mean, contiguity, sink, steps):
    """BH threshold from the p-values in ``p_file``, then the cluster classes with it."""
    chunk = max(1, int(32 * 2**20 // 8))

    def chunks():
        with open(p_file, "rb") as f:
            while True:
                part = np.fromfile(f, dtype=np.float64, count=chunk)
                if not part.size:
                    return
                yield part

    threshold = mk.fdr_threshold_streaming(chunks, n, alpha)
    with open(p_file, "rb") as f:
        for w, window in enumerate(steps.windows("fdr", windows)):
            cells = _window_cells(src, window, mean, contiguity)
            f.seek(int(offsets[w]) * 8)
            p = np.fromfile(f, dtype=np.float64, count=cells.index.size)
            _write_clusters(sink, window, cells, mk.quadrant(cells.z, cells.lag), p, threshold)
    return threshold if math.isfinite(threshold) else float("-inf")

"""The block-wise raster engine: stacks of yearly rasters in, per-pixel kernels, GeoTIFFs out.

Every per-pixel algorithm of the plugin runs through :func:`run_pixelwise`:

1. inputs are *stacks* (one multi-band raster with a band per year, or an ordered list of single-band
   rasters), all checked to lie on one grid (CRS, pixel size, extent, size) — never resampled;
2. the grid is walked in windows sized to a memory budget; in each window source nodata and non-finite
   values become NaN, pixels with too few valid years are dropped, and the remaining pixels go to the
   kernel as ``(n_times, n_pixels)`` arrays, split over threads (the kernels are pure numpy and release
   the GIL in their heavy operations);
3. outputs are written window by window to tiled, compressed GeoTIFFs with nodata, band description,
   colour table and category names for class rasters, and a QML style beside each file;
4. progress is reported after each window and cancel is honoured between windows (partial files are
   removed).

GDAL is the only I/O library used; nothing here imports ``qgis``.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import numpy as np
from osgeo import gdal, osr

from .area import PixelAreas
from .classes import CLASS_NODATA, ClassScheme
from .style import paletted_qml, pseudocolor_qml

gdal.UseExceptions()

FLOAT_NODATA = -3.4028234663852886e38
GTIFF_OPTIONS = (
    "TILED=YES",
    "BLOCKXSIZE=256",
    "BLOCKYSIZE=256",
    "COMPRESS=DEFLATE",
    "ZLEVEL=1",  # Sen + MK on 9 M px: 22 s instead of 26.6 s; the slope file 0.7 % larger than at level 6
    "INTERLEAVE=BAND",
    "BIGTIFF=IF_SAFER",
)
DEFAULT_MEMORY_MB = 512
_GDAL_CACHE_BYTES = 256 * 2**20
_TILE = 256
_YEAR_RE = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d|21\d\d)(?!\d)")


class RasterInputError(ValueError):
    """An input raster cannot be used; the message names the layer and what is wrong with it."""


class Cancelled(Exception):
    """The run was cancelled between two windows; partial outputs have been removed."""


# ----------------------------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class Grid:
    """The raster grid every input must share."""

    crs_wkt: str
    geotransform: tuple[float, ...]
    xsize: int
    ysize: int

    @classmethod
    def of(cls, ds) -> Grid:
        return cls(ds.GetProjection() or "", tuple(ds.GetGeoTransform()), ds.RasterXSize, ds.RasterYSize)

    def difference(self, other: Grid) -> str | None:
        """The first property in which ``other`` differs from this grid, in words, or None."""
        if not _same_crs(self.crs_wkt, other.crs_wkt):
            return f"CRS differs ({_crs_name(other.crs_wkt)} vs {_crs_name(self.crs_wkt)})"
        g, o = self.geotransform, other.geotransform
        if not (_close(g[1], o[1]) and _close(g[5], o[5]) and _close(g[2], o[2]) and _close(g[4], o[4])):
            return f"pixel size differs ({abs(o[1]):g} × {abs(o[5]):g} vs {abs(g[1]):g} × {abs(g[5]):g})"
        if (self.xsize, self.ysize) != (other.xsize, other.ysize) or not (
            _close(g[0], o[0], abs(g[1]) * 1e-3) and _close(g[3], o[3], abs(g[5]) * 1e-3)
        ):
            return (
                f"extent differs (origin {o[0]:.6g}, {o[3]:.6g}, {other.xsize} × {other.ysize} pixels vs "
                f"origin {g[0]:.6g}, {g[3]:.6g}, {self.xsize} × {self.ysize} pixels)"
            )
        return None

    def pixel_of(self, x, y):
        """Row and column of the pixel holding each point (in this grid's CRS), and whether it is inside.

        Returns ``(row, col, inside)``, int64 arrays and a boolean array; row/col are meaningless where
        ``inside`` is False. North-up grids only.
        """
        x0, dx, rx, y0, ry, dy = self.geotransform
        if rx != 0 or ry != 0:
            raise RasterInputError("rotated grids are not supported for points")
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        with np.errstate(invalid="ignore"):
            col = np.floor((x - x0) / dx)
            row = np.floor((y - y0) / dy)
        inside = (col >= 0) & (col < self.xsize) & (row >= 0) & (row < self.ysize)
        return np.where(inside, row, 0).astype(np.int64), np.where(inside, col, 0).astype(np.int64), inside

    def contains(self, x, y) -> np.ndarray:
        """Whether each point (in this grid's CRS) falls on a pixel of the grid."""
        return self.pixel_of(x, y)[2]

    @property
    def is_geographic(self) -> bool:
        srs = _srs(self.crs_wkt)
        return bool(srs is not None and srs.IsGeographic())

    @property
    def has_crs(self) -> bool:
        """Whether the grid has a geographic or projected CRS, which true pixel areas need."""
        srs = _srs(self.crs_wkt)
        return bool(srs is not None and (srs.IsGeographic() or srs.IsProjected()))

    def require_crs(self, layer: str) -> None:
        """Raise :class:`RasterInputError` naming ``layer`` unless the grid has a CRS to measure areas in."""
        if not self.has_crs:
            raise RasterInputError(missing_crs_message(layer, "stops"))

    def pixel_areas(self, window) -> np.ndarray:
        """True area in m² on the ellipsoid of every pixel of ``window`` ``(col0, row0, ncols, nrows)``.

        Returns a float64 array ``(nrows, ncols)`` (possibly a read-only view), for any geographic or
        projected CRS, to about 1e-5 of each area (:mod:`core.area`). Raises :class:`RasterInputError`
        without a CRS.
        """
        if not self.has_crs:
            raise RasterInputError("the grid has no CRS: true pixel areas need one")
        try:
            return _pixel_areas_of(self.crs_wkt, self.geotransform).window(*window)
        except ValueError as exc:
            raise RasterInputError(str(exc)) from exc


def missing_crs_message(layer: str, consequence: str) -> str:
    """Why a layer without a CRS has no areas; ``consequence`` is ``"stops"`` or ``"areas left out"``."""
    what = (
        "areas, carbon storage and area-weighted means need the true area of each pixel"
        if consequence == "stops"
        else "class areas and shares are left out (the table keeps the pixel counts)"
    )
    return (
        f"Layer '{layer}' has no coordinate reference system (CRS), so the size of its pixels on the "
        f"ground is unknown: {what}. Assign the layer's CRS (Raster ▸ Projections ▸ Assign Projection, "
        "or gdal_edit.py -a_srs) and run again."
    )


@functools.lru_cache(maxsize=8)
def _pixel_areas_of(crs_wkt, geotransform):
    return PixelAreas(crs_wkt, geotransform)


def _close(a, b, tol=None):
    tol = tol if tol is not None else max(abs(a), abs(b)) * 1e-6
    return abs(a - b) <= tol


def _srs(wkt):
    if not wkt:
        return None
    srs = osr.SpatialReference()
    srs.ImportFromWkt(wkt)
    return srs


def _same_crs(a, b):
    if not a and not b:
        return True
    if not a or not b:
        return False
    return bool(_srs(a).IsSame(_srs(b)))


def _crs_name(wkt):
    srs = _srs(wkt)
    if srs is None:
        return "no CRS"
    code = srs.GetAuthorityCode(None)
    return f"{srs.GetAuthorityName(None)}:{code}" if code else (srs.GetName() or "unnamed CRS")


@dataclass(frozen=True)
class BandRef:
    path: str
    band: int  # 1-based
    layer: str  # name shown in messages


@dataclass
class Stack:
    """An ordered series of bands (one per year) on one grid.

    ``name`` is the role of the stack in the algorithm ("Carbon density"), used in messages.
    """

    name: str
    bands: list[BandRef]
    years: np.ndarray
    grid: Grid
    warnings: list[str] = field(default_factory=list)

    def __len__(self):
        return len(self.bands)


def parse_years(text: str) -> np.ndarray:
    """Years from text such as ``"2001-2024"``, ``"2001, 2003, 2005"`` or ``"2001-2010, 2012"``.

    >>> parse_years("2001-2003, 2006").tolist()
    [2001, 2002, 2003, 2006]
    """
    years: list[int] = []
    for part in re.split(r"[,;\s]+", text.strip()):
        if not part:
            continue
        m = re.fullmatch(r"(\d{1,4})\s*(?:-|–|:)\s*(\d{1,4})", part)
        try:
            if m:
                a, b = int(m.group(1)), int(m.group(2))
                if b < a:
                    raise RasterInputError(f"years: range '{part}' runs backwards")
                years.extend(range(a, b + 1))
            else:
                years.append(int(part))
        except ValueError as exc:
            raise RasterInputError(f"years: '{part}' is not a year or a range like 2001-2024") from exc
    arr = np.asarray(years, dtype=np.int64)
    if arr.size and np.any(np.diff(arr) <= 0):
        raise RasterInputError(f"years must be strictly increasing; got {text!r}")
    return arr


def _year_in(text: str | None) -> int | None:
    if not text:
        return None
    found = _YEAR_RE.findall(os.path.basename(text))
    return int(found[-1]) if len(found) >= 1 else None


def _open(path: str, layer: str):
    try:
        ds = gdal.Open(path, gdal.GA_ReadOnly)
    except RuntimeError as exc:
        raise RasterInputError(f"Layer '{layer}' cannot be opened as a raster ({path}): {exc}") from exc
    if ds is None:
        raise RasterInputError(f"Layer '{layer}' cannot be opened as a raster ({path})")
    return ds


def open_stack(
    name: str,
    sources: Sequence[str],
    years: str | Sequence[int] | None = None,
    layer_names: Sequence[str] | None = None,
) -> Stack:
    """Describe a yearly stack from raster sources, without reading pixels.

    Parameters
    ----------
    name : str
        Role of the stack, used in messages ("Carbon density").
    sources : sequence of str
        Either one multi-band raster (a band per year) or several single-band rasters (one per year).
    years : str or sequence of int, optional
        The year of each band. If omitted, years are read from the band descriptions (multi-band) or the
        file names (single-band list), and the list is put in year order; if no year can be found, the
        bands are taken as consecutive steps 1..n and a warning says so.
    layer_names : sequence of str, optional
        Display names of the sources for messages (defaults to the file names).

    Raises
    ------
    RasterInputError
        Naming the layer: unreadable, mixed single/multi-band list, rasters on different grids,
        duplicate years, or a year count that does not match the band count.
    """
    sources = list(sources)
    if not sources:
        raise RasterInputError(f"{name}: no raster given")
    layer_names = list(layer_names) if layer_names else [os.path.basename(s) for s in sources]
    warnings: list[str] = []
    if len(sources) == 1:
        ds = _open(sources[0], layer_names[0])
        bands = [BandRef(sources[0], b, layer_names[0]) for b in range(1, ds.RasterCount + 1)]
        found = [_year_in(ds.GetRasterBand(b).GetDescription()) for b in range(1, ds.RasterCount + 1)]
        grid = Grid.of(ds)
    else:
        bands, found, grid = [], [], None
        for src, layer in zip(sources, layer_names):
            ds = _open(src, layer)
            if ds.RasterCount != 1:
                raise RasterInputError(
                    f"{name}: layer '{layer}' has {ds.RasterCount} bands; a list of rasters must hold one "
                    "band per year (or give a single multi-band stack instead)"
                )
            bands.append(BandRef(src, 1, layer))
            found.append(_year_in(ds.GetRasterBand(1).GetDescription()) or _year_in(layer) or _year_in(src))
            this = Grid.of(ds)
            if grid is None:
                grid = this
            else:
                _raise_if_off_grid(grid, this, layer, layer_names[0])

    if years is not None and not isinstance(years, str):
        year_arr = np.asarray(list(years), dtype=np.int64)
    elif isinstance(years, str) and years.strip():
        year_arr = parse_years(years)
    elif all(y is not None for y in found):
        order = np.argsort(found, kind="stable")
        bands = [bands[i] for i in order]
        year_arr = np.asarray(found, dtype=np.int64)[order]
        dup = year_arr[1:][np.diff(year_arr) == 0]
        if dup.size:
            raise RasterInputError(f"{name}: year {int(dup[0])} appears on more than one band or layer")
    else:
        year_arr = np.arange(1, len(bands) + 1, dtype=np.int64)
        warnings.append(
            f"{name}: no year found in band descriptions or file names; bands taken as consecutive "
            f"years 1..{len(bands)}. Give the years parameter (e.g. 2001-2024) for slopes per calendar year."
        )
    if year_arr.size != len(bands):
        raise RasterInputError(
            f"{name}: {year_arr.size} years given for {len(bands)} bands; give one year per band"
        )
    if year_arr.size > 1 and np.any(np.diff(year_arr) <= 0):
        raise RasterInputError(f"{name}: years must be strictly increasing; got {year_arr.tolist()}")
    return Stack(name, bands, year_arr, grid, warnings)


def open_band(name: str, source: str, layer: str | None = None) -> Stack:
    """A single-band raster (a slope, a Hurst exponent...) as a one-band stack.

    Raises
    ------
    RasterInputError
        The raster cannot be opened or has more than one band.
    """
    layer = layer or os.path.basename(source)
    ds = _open(source, layer)
    if ds.RasterCount != 1:
        raise RasterInputError(
            f"{name}: layer '{layer}' has {ds.RasterCount} bands; a single-band raster is needed"
        )
    return Stack(name, [BandRef(source, 1, layer)], np.zeros(1, dtype=np.int64), Grid.of(ds))


def category_names(stack: Stack) -> dict[int, str]:
    """Class names stored with the first band of ``stack`` (GDAL category names), by code.

    GeoTIFF keeps them in the ``.aux.xml`` beside the file, which GDAL loads lazily: asking for the
    metadata first makes it read that file (``GetCategoryNames`` alone returns None).
    """
    ds = gdal.Open(stack.bands[0].path, gdal.GA_ReadOnly)
    band = ds.GetRasterBand(stack.bands[0].band)
    band.GetMetadata()
    names = band.GetCategoryNames() or []
    return {code: name for code, name in enumerate(names) if name}


def _raise_if_off_grid(reference: Grid, other: Grid, layer: str, reference_layer: str):
    diff = reference.difference(other)
    if diff:
        raise RasterInputError(
            f"Layer '{layer}' is not on the same grid as '{reference_layer}': {diff}. Inputs are never "
            "resampled silently; align it first with GDAL Warp (Raster ▸ Projections ▸ Warp (Reproject)) "
            f"using the CRS, extent and pixel size of '{reference_layer}'."
        )


def check_same_grid(stacks: Sequence[Stack]) -> Grid:
    """Raise :class:`RasterInputError` naming the first layer whose grid differs from the first stack's."""
    ref = stacks[0]
    for stack in stacks[1:]:
        _raise_if_off_grid(ref.grid, stack.grid, stack.bands[0].layer, ref.bands[0].layer)
    return ref.grid


def sample_at_points(stack: Stack, x, y, tile: int = _TILE) -> np.ndarray:
    """Values of every band of ``stack`` at points given in the stack's CRS.

    Parameters
    ----------
    stack : Stack
    x, y : array_like of float, shape ``(n_points,)``
        Point coordinates in the CRS of the stack (transform them first).
    tile : int
        Side of the square windows read at a time; each window holding points is read once.

    Returns
    -------
    numpy.ndarray of float64, shape ``(n_points, n_bands)``
        NaN where the point falls outside the raster or on nodata.
    """
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same length; got {x.size} and {y.size}")
    row, col, inside = stack.grid.pixel_of(x, y)
    out = np.full((x.size, len(stack.bands)), np.nan)
    handles: dict[str, object] = {}
    tiles = (row // tile) * ((stack.grid.xsize + tile - 1) // tile) + col // tile
    for t in np.unique(tiles[inside]):
        idx = np.flatnonzero(inside & (tiles == t))
        r0 = int(row[idx[0]] // tile * tile)
        c0 = int(col[idx[0]] // tile * tile)
        window = (c0, r0, min(tile, stack.grid.xsize - c0), min(tile, stack.grid.ysize - r0))
        block = read_window(stack, window, handles)
        out[idx] = block[:, row[idx] - r0, col[idx] - c0].T
    return out


# ---------------------------------------------------------------------------------------------- outputs
@dataclass
class OutputSpec:
    """One output raster: which kernel result goes where, and how it is typed and styled."""

    key: str  # the kernel result written here
    path: str
    description: str  # band description
    name: str = ""  # the caller's identifier of this output (e.g. a Processing parameter name)
    dtype: str = "float32"  # 'float32' or 'uint8' (class rasters)
    scheme: ClassScheme | None = None  # class raster: colour table, category names, QML, area table
    ramp: tuple[str, ...] | None = None  # float raster: pseudocolor QML from the 2nd-98th percentile
    symmetric: bool = False  # ramp centred on 0 (signed rates)
    band_descriptions: tuple[str, ...] | None = None  # multi-band output (e.g. one band per year)

    def __post_init__(self):
        if self.scheme is not None and self.band_descriptions is not None:
            raise ValueError(f"output {self.key!r}: a class raster has one band")

    @property
    def n_bands(self) -> int:
        return len(self.band_descriptions) if self.band_descriptions else 1

    @property
    def nodata(self):
        return CLASS_NODATA if self.dtype == "uint8" else FLOAT_NODATA


@dataclass
class ClassArea:
    code: int
    name: str
    pixels: int
    area_m2: float | None  # None: the grid has no CRS
    share_pct: float | None


@dataclass
class RunReport:
    """What a run saw: counts, class areas per class output, counters summed from the kernel."""

    pixels_total: int = 0
    pixels_computed: int = 0
    class_areas: dict[str, list[ClassArea]] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _return_freed_memory():
    """Make glibc hand large freed blocks back to the system (Linux only; a no-op elsewhere).

    glibc raises its mmap threshold after each large free (up to 32 MB), so the per-window arrays of
    worker threads end up in per-thread heaps that are not returned: measured here, Sen + MK on a
    9 M-pixel stack peaked at 1.4 GB with a 128 MB window budget, 0.5 GB with the threshold fixed at
    1 MB (and ran faster). Fixing the threshold is what MALLOC_MMAP_THRESHOLD_ does, process-wide.
    """
    global _HEAP_TUNED
    if _HEAP_TUNED:
        return
    _HEAP_TUNED = True
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 1 << 20)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass


_HEAP_TUNED = False


@contextlib.contextmanager
def gdal_cache_limit(max_bytes: int = _GDAL_CACHE_BYTES):
    """Cap GDAL's block cache while block-wise passes run.

    The cache defaults to 5 % of RAM and fills with the blocks read and written, so without a cap the
    memory of a pass would grow with the raster; with it, peak memory is the window budget plus this.
    """
    before = gdal.GetCacheMax()
    gdal.SetCacheMax(min(before, max_bytes))
    try:
        yield
    finally:
        gdal.SetCacheMax(before)


def plan_windows(xsize: int, ysize: int, bytes_per_pixel: float, memory_mb: float = DEFAULT_MEMORY_MB):
    """Windows ``(col0, row0, ncols, nrows)`` covering the grid, each within the memory budget.

    Full-width strips whose height is a multiple of the 256-row output tiles where the budget allows
    (so finished tiles leave GDAL's cache at once); narrower windows when one row does not fit.
    """
    if memory_mb <= 0:
        raise ValueError(f"memory_mb must be positive; got {memory_mb}")
    max_pixels = max(1, int(memory_mb * 2**20 / max(bytes_per_pixel, 1.0)))
    rows = max_pixels // xsize
    if rows >= 1:
        if rows >= _TILE:
            rows -= rows % _TILE
        rows = min(rows, ysize)
        return [(0, r, xsize, min(rows, ysize - r)) for r in range(0, ysize, rows)]
    cols = max(1, max_pixels)
    return [(c, r, min(cols, xsize - c), 1) for r in range(ysize) for c in range(0, xsize, cols)]


def create_output(spec: OutputSpec, grid: Grid):
    """Create the GeoTIFF of ``spec`` on ``grid``: tiled, compressed, nodata, descriptions, class colours."""
    os.makedirs(os.path.dirname(os.path.abspath(spec.path)) or ".", exist_ok=True)
    gdal_type = gdal.GDT_Byte if spec.dtype == "uint8" else gdal.GDT_Float32
    predictor = "PREDICTOR=2" if spec.dtype == "uint8" else "PREDICTOR=3"
    driver = gdal.GetDriverByName("GTiff")
    ds = driver.Create(
        spec.path, grid.xsize, grid.ysize, spec.n_bands, gdal_type, [*GTIFF_OPTIONS, predictor]
    )
    ds.SetGeoTransform(grid.geotransform)
    if grid.crs_wkt:
        ds.SetProjection(grid.crs_wkt)
    for i, text in enumerate(spec.band_descriptions or (spec.description,)):
        ds.GetRasterBand(i + 1).SetNoDataValue(spec.nodata)
        ds.GetRasterBand(i + 1).SetDescription(text)
    band = ds.GetRasterBand(1)
    if spec.scheme is not None:
        table = gdal.ColorTable()
        names = [""] * (max(spec.scheme.codes) + 1)
        for c in spec.scheme.classes:
            h = c.color.lstrip("#")
            table.SetColorEntry(c.code, tuple(int(h[i : i + 2], 16) for i in (0, 2, 4)) + (255,))
            names[c.code] = c.name
        table.SetColorEntry(CLASS_NODATA, (0, 0, 0, 0))
        band.SetColorTable(table)
        band.SetCategoryNames(names)
    return ds


def _remove_dataset(path):
    for p in (path, path + ".aux.xml", os.path.splitext(path)[0] + ".qml"):
        if os.path.exists(p):
            os.remove(p)


def read_window(stack: Stack, window, handles) -> np.ndarray:
    """Read one window of every band of ``stack`` as float32 with NaN for nodata and non-finite values."""
    col0, row0, ncols, nrows = window
    out = np.empty((len(stack.bands), nrows, ncols), dtype=np.float32)
    by_path: dict[str, list[int]] = {}
    for i, ref in enumerate(stack.bands):
        by_path.setdefault(ref.path, []).append(i)
    for path, idx in by_path.items():
        ds = handles.setdefault(path, gdal.Open(path, gdal.GA_ReadOnly))
        band_list = [stack.bands[i].band for i in idx]
        data = ds.ReadAsArray(col0, row0, ncols, nrows, band_list=band_list)
        data = data.reshape(len(idx), nrows, ncols)
        for k, i in enumerate(idx):
            block = data[k]
            nodata = ds.GetRasterBand(band_list[k]).GetNoDataValue()
            values = block.astype(np.float32)
            if nodata is not None:
                values[block == nodata] = np.nan
            out[i] = values
    out[~np.isfinite(out)] = np.nan
    return out


def run_pixelwise(
    inputs: Mapping[str, Stack],
    kernel: Callable[[dict[str, np.ndarray]], dict[str, np.ndarray]],
    outputs: Sequence[OutputSpec],
    *,
    min_valid: Mapping[str, int] | None = None,
    bytes_per_pixel: float = 4096.0,
    memory_mb: float = DEFAULT_MEMORY_MB,
    threads: int = 2,
    counters: Sequence[str] = (),
    pixel_area: bool = False,
    reduce: Callable[[dict[str, np.ndarray], dict[str, np.ndarray]], None] | None = None,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> RunReport:
    """Run ``kernel`` over every pixel of the input stacks, window by window, and write ``outputs``.

    Parameters
    ----------
    inputs : mapping of str to Stack
        The stacks, on one grid (checked). The kernel receives a dict with the same keys, each value a
        float32 array ``(n_bands, n_pixels)`` holding only the pixels that pass ``min_valid``.
    kernel : callable
        Pure function of that dict returning a dict of arrays: ``(n_pixels,)`` for single-band outputs,
        ``(n_bands, n_pixels)`` for outputs with ``band_descriptions``. NaN results are written as nodata.
    outputs : sequence of OutputSpec
        Which kernel results to write, and how. May be empty when only ``reduce`` is wanted.
    min_valid : mapping of str to int, optional
        Minimum number of valid bands a pixel needs in each stack (default 1). Pixels below it get
        nodata in every output and are not passed to the kernel.
    bytes_per_pixel : float
        The kernel's working memory per pixel, with the input bands; sizes the windows.
    memory_mb : float
        Memory budget for one window, across threads.
    threads : int
        Threads the pixels of a window are split over.
    counters : sequence of str
        Boolean kernel results to count (summed over the run into ``RunReport.counters``), not written.
    pixel_area : bool
        Also pass ``"pixel_area_m2"``, the true area of each pixel on the ellipsoid (:mod:`core.area`),
        as a ``(1, n_pixels)`` float64 array. Needs a CRS: without one the run stops before it starts.
    reduce : callable, optional
        Called in the calling thread after each window with the kernel results and the kernel inputs of
        that window (only the computed pixels), to accumulate totals without a second pass.
    progress, is_cancelled : callable, optional
        Called after each window with the percentage done; checked before each window.

    Raises
    ------
    RasterInputError
        Inputs on different grids; ``pixel_area`` on a grid without a CRS (class rasters are written
        without one, their class areas left out with a warning in ``RunReport.warnings``).
    Cancelled
        ``is_cancelled()`` returned True; the outputs written so far are deleted.
    """
    names = list(inputs)
    grid = check_same_grid([inputs[k] for k in names])
    first_layer = inputs[names[0]].bands[0].layer
    if pixel_area:
        grid.require_crs(first_layer)
    _return_freed_memory()
    min_valid = {k: 1 for k in names} | dict(min_valid or {})
    windows = plan_windows(grid.xsize, grid.ysize, bytes_per_pixel, memory_mb)
    report = RunReport(pixels_total=grid.xsize * grid.ysize, counters={c: 0 for c in counters})
    class_pixels = {o.key: np.zeros(256, dtype=np.int64) for o in outputs if o.scheme is not None}
    class_area = {o.key: np.zeros(256, dtype=np.float64) for o in outputs if o.scheme is not None}
    if class_pixels and not grid.has_crs:
        class_area = {}
        report.warnings.append(missing_crs_message(first_layer, "areas left out"))
    samples: dict[str, list[np.ndarray]] = {o.key: [] for o in outputs if o.ramp is not None}
    datasets = {o.key: create_output(o, grid) for o in outputs}
    handles: dict[str, object] = {}

    def read(window):  # runs in the reader thread: the next window is read while this one computes
        return {k: read_window(inputs[k], window, handles) for k in names}

    pool = ThreadPoolExecutor(max_workers=max(1, threads)) if threads > 1 else None
    reader = ThreadPoolExecutor(max_workers=1)
    with gdal_cache_limit():
        try:
            pending = reader.submit(read, windows[0])
            for w_index, window in enumerate(windows):
                if is_cancelled is not None and is_cancelled():
                    raise Cancelled()
                blocks = pending.result()
                if w_index + 1 < len(windows):
                    pending = reader.submit(read, windows[w_index + 1])
                col0, row0, ncols, nrows = window
                keep = np.ones((nrows, ncols), dtype=bool)
                for k in names:
                    keep &= np.count_nonzero(~np.isnan(blocks[k]), axis=0) >= min_valid[k]
                flat_keep = keep.ravel()
                n_keep = int(flat_keep.sum())
                need_areas = pixel_area or bool(class_area)
                areas = grid.pixel_areas(window).reshape(-1) if need_areas else None
                results: dict[str, np.ndarray] = {}
                if n_keep:
                    packed = {k: blocks[k].reshape(blocks[k].shape[0], -1)[:, flat_keep] for k in names}
                    if pixel_area:
                        packed["pixel_area_m2"] = areas[flat_keep][None, :]
                    results = _run_split(kernel, packed, n_keep, pool, threads)
                    if reduce is not None:
                        reduce(results, packed)
                report.pixels_computed += n_keep
                for c in counters:
                    if c in results:
                        report.counters[c] += int(np.count_nonzero(results[c]))
                for spec in outputs:
                    out = _scatter(spec, results.get(spec.key) if n_keep else None, flat_keep, nrows, ncols)
                    ds = datasets[spec.key]
                    for band in range(out.shape[0]):
                        ds.GetRasterBand(band + 1).WriteArray(out[band], col0, row0)
                    if spec.scheme is not None:
                        codes = out[0].ravel().astype(np.intp)
                        class_pixels[spec.key] += np.bincount(codes, minlength=256)
                        if spec.key in class_area:
                            class_area[spec.key] += np.bincount(codes, weights=areas, minlength=256)
                    if spec.ramp is not None and n_keep:
                        finite = out[out != spec.nodata]
                        step = max(1, finite.size // 4000)
                        samples[spec.key].append(finite[::step].copy())
                if progress is not None:
                    progress(100.0 * (w_index + 1) / len(windows))
            for key in list(datasets):
                datasets[key].FlushCache()
                datasets[key] = None
        except BaseException:
            reader.shutdown(wait=True)
            datasets.clear()  # closes the files so they can be deleted
            for spec in outputs:
                _remove_dataset(spec.path)
            raise
        finally:
            reader.shutdown(wait=True)
            if pool is not None:
                pool.shutdown(wait=True)
            handles.clear()
    for spec in outputs:
        if spec.scheme is not None:
            report.class_areas[spec.key] = class_area_table(
                spec.scheme, class_pixels[spec.key], class_area.get(spec.key)
            )
            _write_text(_qml_path(spec.path), paletted_qml(spec.scheme))
        elif spec.ramp is not None:
            _write_text(
                _qml_path(spec.path), pseudocolor_qml(*_ramp_range(samples[spec.key], spec), spec.ramp)
            )
    return report


def _scatter(spec: OutputSpec, values, flat_keep, nrows, ncols) -> np.ndarray:
    """The window of one output, ``(n_bands, nrows, ncols)``: kernel values at the computed pixels."""
    n_bands = spec.n_bands
    out = np.full((n_bands, nrows * ncols), spec.nodata, dtype=spec.dtype)
    if values is not None:
        values = np.asarray(values).reshape(n_bands, -1)
        if spec.dtype == "uint8":
            out[:, flat_keep] = values
        else:
            values = values.astype(np.float32)
            out[:, flat_keep] = np.where(np.isfinite(values), values, spec.nodata)
    return out.reshape(n_bands, nrows, ncols)


def _run_split(kernel, packed, n, pool, threads):
    # One part per thread: the kernels pay a fixed cost per call, so fewer, larger parts run faster.
    if pool is None or n < 4096:
        return kernel(packed)
    edges = np.linspace(0, n, threads + 1).astype(int)
    parts = [
        {k: np.ascontiguousarray(v[:, a:b]) for k, v in packed.items()}
        for a, b in zip(edges[:-1], edges[1:])
        if b > a
    ]
    pieces = list(pool.map(kernel, parts))
    # Pixels are the last axis of every result (bands, if any, come first).
    return {key: np.concatenate([p[key] for p in pieces], axis=-1) for key in pieces[0]}


def class_area_table(scheme: ClassScheme, pixels: np.ndarray, area: np.ndarray | None) -> list[ClassArea]:
    """Pixels, true area and share of each class of ``scheme`` from per-code counts and areas.

    ``area`` None (a grid without a CRS): the rows keep the pixel counts, with area and share None.
    """
    if area is None:
        return [ClassArea(c.code, c.name, int(pixels[c.code]), None, None) for c in scheme.classes]
    total = float(sum(area[c] for c in scheme.codes))
    return [
        ClassArea(
            c.code,
            c.name,
            int(pixels[c.code]),
            float(area[c.code]),
            100.0 * float(area[c.code]) / total if total > 0 else 0.0,
        )
        for c in scheme.classes
    ]


def _ramp_range(samples, spec: OutputSpec):
    if not samples:
        return 0.0, 1.0
    values = np.concatenate(samples)
    lo, hi = (float(v) for v in np.percentile(values, [2, 98]))
    if spec.symmetric:
        m = max(abs(lo), abs(hi)) or 1.0
        return -m, m
    return lo, hi


def _qml_path(path):
    return os.path.splitext(path)[0] + ".qml"


def _write_text(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def min_valid_years(n_years: int, share_pct: float) -> int:
    """Minimum number of valid years a pixel needs: ``max(4, ceil(share·n/100))``, at most n.

    >>> min_valid_years(24, 75)
    18
    """
    if not 0 < share_pct <= 100:
        raise ValueError(f"share_pct must be in (0, 100]; got {share_pct}")
    return min(n_years, max(4, math.ceil(share_pct * n_years / 100.0 - 1e-9)))

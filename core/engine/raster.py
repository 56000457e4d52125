"""The block-wise raster engine: stacks of yearly rasters in, per-pixel kernels, GeoTIFFs out.

Every per-pixel algorithm of the plugin runs through :func:`run_pixelwise`:

1. inputs are *stacks* (one multi-band raster with a band per year, or an ordered list of single-band
   rasters), all checked to lie on one grid (CRS, pixel size, extent, size) — never resampled; years
   given must agree with the years the bands declare;
2. the grid is walked in windows sized to a memory budget (GDAL's block cache and the window read
   ahead included); in each window source nodata and non-finite values become NaN, the raster's scale
   and offset are applied, float64 sources stay float64, pixels with too few valid years are dropped,
   and the remaining pixels go to the kernel as ``(n_times, n_pixels)`` arrays, in parts that the
   threads take in turn (the kernels are pure numpy and release the GIL in their heavy operations);
3. outputs are written window by window to tiled, compressed GeoTIFFs with nodata, band description,
   colour table and category names for class rasters, each at a temporary path beside its destination,
   and moved into place with its QML style only when the whole run has succeeded;
4. progress is reported and cancel checked after every part; a cancelled or failed run removes its
   temporary files and leaves any file that was at a destination untouched. An output that is an
   input, an input without any valid value and an output without any valid value stop the run.

Reading, computing and writing overlap: one I/O thread makes every GDAL call of a pass (it creates the
outputs, reads and packs the next window, writes the computed ones, closes the files) while the kernel
runs on the pool. GDAL datasets and the block cache are not to be shared between threads: the cache
writes back a dirty block from whichever thread needs room, so outputs written on one thread while
inputs were read on another lost windows (issue 16).

GDAL is the only I/O library used; nothing here imports ``qgis``.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import math
import os
import re
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import numpy as np
from osgeo import gdal, osr

from ..common import files
from ..common.classes import CLASS_NODATA, ClassScheme
from ..common.errors import Cancelled  # the core's one cancel type, also known as raster.Cancelled
from ..common.style import paletted_qml, pseudocolor_qml
from ..common.years import year_in
from . import netcdf
from .area import PixelAreas

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


class RasterInputError(ValueError):
    """An input raster cannot be used; the message names the layer and what is wrong with it."""


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
        projected CRS, to about 1e-5 of each area (:mod:`core.engine.area`). Raises :class:`RasterInputError`
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
    nodata: float | None = None  # the user's nodata value for this input, replacing the raster's own


@dataclass
class Stack:
    """An ordered series of bands (one per year) on one grid.

    ``name`` is the role of the stack in the algorithm ("Carbon density"), used in messages.
    ``sentinels`` counts, while the stack is read, the values of bands without nodata that are usual
    missing-value codes (see :func:`sentinel_warnings`).
    """

    name: str
    bands: list[BandRef]
    years: np.ndarray
    grid: Grid
    warnings: list[str] = field(default_factory=list)
    nodata_hint: str = ""  # where the user can give this input's nodata value (for messages)
    sentinels: dict = field(default_factory=dict, repr=False, compare=False)
    _dtype: object = field(default=None, repr=False, compare=False)

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
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if b < a:
                raise RasterInputError(
                    f"years: the range '{part}' runs backwards; write it from the first year to the last "
                    f"({b}-{a}). Years list the bands in band order and must increase: if the bands run "
                    "from the latest year to the earliest, leave the years empty so that the band "
                    "descriptions or file names (e.g. npp_2024.tif) give them, or reorder the bands."
                )
            years.extend(range(a, b + 1))
            continue
        try:
            years.append(int(part))
        except ValueError as exc:
            raise RasterInputError(f"years: '{part}' is not a year or a range like 2001-2024") from exc
    arr = np.asarray(years, dtype=np.int64)
    if arr.size and np.any(np.diff(arr) <= 0):
        raise RasterInputError(f"years must be strictly increasing; got {text!r}")
    return arr


def _year_in(text: str | None) -> int | None:
    return year_in(os.path.basename(text)) if text else None


# Band metadata items that may hold the year (or a date starting with it), in order of preference.
_YEAR_ITEMS = ("YEAR", "year", "Year", "DATE", "date", "ACQUISITIONDATE", "TIME", "time")


def _band_year(band) -> int | None:
    """The year a band declares: in its description, else in a YEAR/DATE/TIME metadata item."""
    year = _year_in(band.GetDescription())
    if year is not None:
        return year
    meta = band.GetMetadata() or {}
    for key in _YEAR_ITEMS:
        year = _year_in(str(meta.get(key) or "")[:10])
        if year is not None:
            return year
    return None


def format_years(years) -> str:
    """Years in words: runs of consecutive years as ranges, in the order given.

    >>> format_years([2001, 2002, 2003, 2005])
    '2001-2003, 2005'
    >>> format_years([2024, 2023, 2022])
    '2024, 2023, 2022 (descending)'
    """
    years = [int(y) for y in years]
    if len(years) > 2 and all(b == a - 1 for a, b in zip(years, years[1:])):
        if len(years) <= 4:
            return ", ".join(str(y) for y in years) + " (descending)"
        return f"{years[0]}, {years[1]}, …, {years[-1]} (descending)"
    parts, start = [], 0
    for i in range(1, len(years) + 1):
        if i == len(years) or years[i] != years[i - 1] + 1:
            run = years[start:i]
            parts.append(f"{run[0]}-{run[-1]}" if len(run) > 2 else ", ".join(str(y) for y in run))
            start = i
    return ", ".join(parts)


def _open(path: str, layer: str):
    try:
        ds = gdal.Open(path, gdal.GA_ReadOnly)
    except RuntimeError as exc:
        raise RasterInputError(f"Layer '{layer}' cannot be opened as a raster ({path}): {exc}") from exc
    if ds is None:
        raise RasterInputError(f"Layer '{layer}' cannot be opened as a raster ({path})")
    return ds


def _check_nodata(name: str, nodata) -> float | None:
    if nodata is None:
        return None
    try:
        value = float(nodata)
    except (TypeError, ValueError) as exc:
        raise RasterInputError(f"{name}: nodata value {nodata!r} is not a number") from exc
    return value


def open_stack(
    name: str,
    sources: Sequence[str],
    years: str | Sequence[int] | None = None,
    layer_names: Sequence[str] | None = None,
    nodata: float | None = None,
) -> Stack:
    """Describe a yearly stack from raster sources, without reading pixels.

    Parameters
    ----------
    name : str
        Role of the stack, used in messages ("Carbon density").
    sources : sequence of str
        Either one multi-band raster (a band per year) or several single-band rasters (one per year).
        Anything GDAL reads: GeoTIFF, a netCDF variable (``NETCDF:"file.nc":var``, or the plain
        ``file.nc`` when it holds one data variable), an HDF subdataset.
    years : str or sequence of int, optional
        The year of each band. If omitted, years are read from the CF time axis of netCDF files (and of
        GeoTIFFs converted from them: ``NETCDF_DIM_time`` with the axis' units and calendar), else from
        the band descriptions or ``YEAR``/``DATE`` band metadata (multi-band) or, for a list, also from
        the layer and file names, and the bands are put in year order; if no year can be found, the
        bands are taken as consecutive steps 1..n and a warning says so. If given while the bands
        declare years, both must agree band by band.
    layer_names : sequence of str, optional
        Display names of the sources for messages (defaults to the file names).
    nodata : float, optional
        Value that marks missing data in every band, replacing the rasters' own nodata (for rasters that
        declare none, or a wrong one).

    Raises
    ------
    RasterInputError
        Naming the layer: unreadable, a netCDF file with several data variables (they are listed), a
        time axis with more than one step per year (monthly data: aggregate them first), mixed
        single/multi-band list, rasters on different grids, duplicate years, a year count that does not match the band count, or years given that
        contradict those the bands declare (both lists are shown).
    """
    sources = list(sources)
    if not sources:
        raise RasterInputError(f"{name}: no raster given")
    layer_names = list(layer_names) if layer_names else [netcdf.display_name(s) for s in sources]
    sources = [_resolve(src, layer) for src, layer in zip(sources, layer_names)]
    nodata = _check_nodata(name, nodata)
    warnings: list[str] = []
    if len(sources) == 1:
        ds = _open(sources[0], layer_names[0])
        bands = [BandRef(sources[0], b, layer_names[0], nodata) for b in range(1, ds.RasterCount + 1)]
        found = _cf_years(name, ds, layer_names[0])
        if found is None:
            found = [_band_year(ds.GetRasterBand(b)) for b in range(1, ds.RasterCount + 1)]
            where = f"the band descriptions or metadata of '{layer_names[0]}'"
        else:
            where = f"the time axis of '{layer_names[0]}'"
        grid = _grid_of(ds, layer_names[0], warnings)
    else:
        bands, found, grid = [], [], None
        for src, layer in zip(sources, layer_names):
            ds = _open(src, layer)
            if ds.RasterCount != 1:
                raise RasterInputError(
                    f"{name}: layer '{layer}' has {ds.RasterCount} bands; a list of rasters must hold one "
                    "band per year (or give a single multi-band stack instead)"
                )
            bands.append(BandRef(src, 1, layer, nodata))
            cf = _cf_years(name, ds, layer)
            found.append(cf[0] if cf else _band_year(ds.GetRasterBand(1)) or _year_in(layer) or _year_in(src))
            this = _grid_of(ds, layer, warnings)
            if grid is None:
                grid = this
            else:
                _raise_if_off_grid(grid, this, layer, layer_names[0])
        where = "the band descriptions, metadata, names or time axes of the layers"

    if years is not None and not isinstance(years, str):
        year_arr = np.asarray(list(years), dtype=np.int64)
    elif isinstance(years, str) and years.strip():
        year_arr = parse_years(years)
    else:
        year_arr = None
    if year_arr is not None:
        if year_arr.size != len(bands):
            raise RasterInputError(
                f"{name}: {year_arr.size} years given for {len(bands)} bands; give one year per band"
            )
        known = [i for i, y in enumerate(found) if y is not None]
        if known and any(found[i] != year_arr[i] for i in known):
            declared = [found[i] for i in known]
            given = [int(year_arr[i]) for i in known]
            raise RasterInputError(
                f"{name}: the years given ({format_years(year_arr)}) contradict the years in {where}, "
                f"band by band: the bands declare {format_years(declared)}, the years given put them at "
                f"{format_years(given)}. Slopes would have the wrong sign or size. Leave the years empty "
                "to use the years of the bands (they are put in year order), or correct the band "
                "descriptions or file names."
            )
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
    if year_arr.size > 1 and np.any(np.diff(year_arr) <= 0):
        raise RasterInputError(f"{name}: years must be strictly increasing; got {year_arr.tolist()}")
    return Stack(name, bands, year_arr, grid, warnings)


def open_band(name: str, source: str, layer: str | None = None, nodata: float | None = None) -> Stack:
    """A single-band raster (a slope, a Hurst exponent...) as a one-band stack.

    ``nodata``, if given, replaces the raster's own nodata value.

    Raises
    ------
    RasterInputError
        The raster cannot be opened or has more than one band.
    """
    layer = layer or netcdf.display_name(source)
    source = _resolve(source, layer)
    ds = _open(source, layer)
    if ds.RasterCount != 1:
        raise RasterInputError(
            f"{name}: layer '{layer}' has {ds.RasterCount} bands; a single-band raster is needed"
        )
    nodata = _check_nodata(name, nodata)
    warnings: list[str] = []
    grid = _grid_of(ds, layer, warnings)
    return Stack(name, [BandRef(source, 1, layer, nodata)], np.zeros(1, dtype=np.int64), grid, warnings)


def _resolve(source: str, layer: str) -> str:
    """``source`` as GDAL reads it: a netCDF/HDF file with one data variable becomes that variable."""
    try:
        return netcdf.resolve_source(source, layer)
    except ValueError as exc:
        raise RasterInputError(str(exc)) from exc


def _grid_of(ds, layer: str, warnings: list) -> Grid:
    """The grid of ``ds``; a CF lon/lat grid without a CRS is on WGS 84, and ``warnings`` says so."""
    wkt, note = netcdf.crs_of(ds)
    if note:
        warnings.append(f"Layer '{layer}': {note}.")
    return Grid(wkt, tuple(ds.GetGeoTransform()), ds.RasterXSize, ds.RasterYSize)


def _cf_years(name: str, ds, layer: str) -> list[int] | None:
    """Years of the bands of ``ds`` from its CF time axis, or None without one.

    Raises :class:`RasterInputError` when the axis has more than one step in a year (monthly or daily
    data), which a yearly stack cannot hold.
    """
    try:
        dates = netcdf.band_dates(ds, layer)
    except ValueError as exc:
        raise RasterInputError(f"{name}: {exc}") from exc
    if dates is None:
        return None
    years = dates[:, 0]
    uniq, counts = np.unique(years, return_counts=True)
    if np.any(counts > 1):
        first, last = dates[0], dates[-1]
        raise RasterInputError(
            f"{name}: layer '{layer}' has {len(years)} time steps from {first[0]}-{first[1]:02d}-{first[2]:02d} "
            f"to {last[0]}-{last[1]:02d}-{last[2]:02d}, up to {int(counts.max())} in one year "
            f"({int(uniq[counts > 1][0])}): a yearly stack needs one band per year. Aggregate them to years "
            "first with 'Prepare an aligned yearly stack' (carbonsink:preparestack: monthly → annual sum "
            "for precipitation, mean for temperature)."
        )
    return [int(y) for y in years]


# GDAL types whose values float32 cannot hold exactly: such stacks are read as float64.
_WIDE_TYPES = {
    getattr(gdal, t)
    for t in (
        "GDT_Float64",
        "GDT_Int32",
        "GDT_UInt32",
        "GDT_CFloat64",
        "GDT_CInt32",
        "GDT_Int64",
        "GDT_UInt64",
    )
    if hasattr(gdal, t)
}


def _band_info(stack: Stack, handles=None):
    """Per band of ``stack``: (GDAL band, data type, effective nodata, scale, offset)."""
    handles = {} if handles is None else handles
    info = []
    for ref in stack.bands:
        ds = handles.get(ref.path)
        if ds is None:
            ds = handles[ref.path] = _open(ref.path, ref.layer)
        band = ds.GetRasterBand(ref.band)
        nodata = ref.nodata if ref.nodata is not None else band.GetNoDataValue()
        scale = band.GetScale()
        offset = band.GetOffset()
        info.append((band, band.DataType, nodata, 1.0 if scale is None else scale, offset or 0.0))
    return info


def stack_dtype(stack: Stack):
    """The dtype a stack is read in: float64 if a band is float64 or a 32-bit integer, else float32.

    float32 holds 24 significant bits: reading a float64 band (geopotential height near 5,000 m with
    trends of 0.2 m/a, temperatures in kelvin) as float32 would move Sen slopes by up to 5e-4 relative
    and create ties that are not in the data.
    """
    if stack._dtype is None:
        wide = any(kind in _WIDE_TYPES for _, kind, *_ in _band_info(stack))
        stack._dtype = np.dtype(np.float64 if wide else np.float32)
    return stack._dtype


def input_notes(stack: Stack) -> list[str]:
    """What reading ``stack`` does beyond plain values, in words for the log (scale, offset, nodata, dtype)."""
    notes = []
    info = _band_info(stack)
    scaled = sorted({(s, o) for _, _, _, s, o in info if s != 1.0 or o != 0.0})
    layer = stack.bands[0].layer
    if scaled:
        text = "; ".join(f"scale {s:g}, offset {o:g}" for s, o in scaled)
        notes.append(
            f"{stack.name} ('{layer}'): values are converted with the scale and offset the raster declares "
            f"(value = stored × scale + offset: {text}) before use."
        )
    override = {ref.nodata for ref in stack.bands if ref.nodata is not None}
    if override:
        notes.append(f"{stack.name} ('{layer}'): nodata value {format(next(iter(override)), 'g')} as given.")
    if stack_dtype(stack) == np.float64:
        notes.append(f"{stack.name} ('{layer}'): read in double precision (float64), as stored.")
    return notes


# Usual missing-value codes of rasters that declare no nodata; |value| >= _HUGE counts as ±3.4e38.
_SENTINELS = (-9999.0, -99999.0, -32768.0, 32767.0, 65535.0, 9.969209968386869e36, -1e20, 1e20)
_HUGE = 1e38


def _count_sentinels(raw: np.ndarray, counts: dict, layer: str):
    if raw.size == 0:
        return
    with np.errstate(invalid="ignore"), warnings_suppressed():
        lo, hi = float(np.nanmin(raw)), float(np.nanmax(raw))
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return
    if lo <= -_HUGE:
        counts[(layer, lo)] = counts.get((layer, lo), 0) + int(np.count_nonzero(raw <= -_HUGE))
    if hi >= _HUGE:
        counts[(layer, hi)] = counts.get((layer, hi), 0) + int(np.count_nonzero(raw >= _HUGE))
    for value in _SENTINELS:
        if lo <= value <= hi and abs(value) < _HUGE:
            n = int(np.count_nonzero(raw == value))
            if n:
                counts[(layer, value)] = counts.get((layer, value), 0) + n


@contextlib.contextmanager
def warnings_suppressed():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def sentinel_warnings(stack: Stack) -> list[str]:
    """Warnings for the usual missing-value codes seen in bands that declare no nodata.

    ``stack.nodata_hint``, if set, says where the user can give the nodata value (e.g. a parameter).
    """
    out = []
    for (layer, value), count in sorted(stack.sentinels.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        shown = f"{value:.7g}"
        where = f" ({stack.nodata_hint})" if stack.nodata_hint else ""
        out.append(
            f"{stack.name}: layer '{layer}' declares no nodata value, yet {count:,} of its values are {shown}, "
            f"a usual missing-value code; they were used as data. If they mark missing data, give {shown} "
            f"as the nodata value of this input{where} or set it on the raster "
            f"(gdal_edit.py -a_nodata {shown} <file>), and run again."
        )
    return out


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

    Values are read as :func:`read_window` reads them (nodata and non-finite values are NaN, the
    raster's scale and offset applied). Usual missing-value codes found at the points in bands without
    nodata are counted in ``stack.sentinels`` (see :func:`sentinel_warnings`).

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
        at = (row[idx] - r0, col[idx] - c0)
        block = read_window(stack, window, handles, at=at)
        out[idx] = block[:, at[0], at[1]].T
    return out


# ---------------------------------------------------------------------------------------------- outputs
@dataclass
class OutputSpec:
    """One output raster: which kernel result goes where, and how it is typed and styled.

    The file is written at ``tmp_path`` (a hidden file beside ``path``, set by :func:`create_output`)
    and moved to ``path`` by :func:`commit_output` only when the run has succeeded.
    """

    key: str  # the kernel result written here
    path: str
    description: str  # band description
    name: str = ""  # the caller's identifier of this output (e.g. a Processing parameter name)
    dtype: str = "float32"  # 'float32' or 'uint8' (class rasters)
    scheme: ClassScheme | None = None  # class raster: colour table, category names, QML, area table
    ramp: tuple[str, ...] | None = None  # float raster: pseudocolor QML from the 2nd-98th percentile
    symmetric: bool = False  # ramp centred on 0 (signed rates)
    band_descriptions: tuple[str, ...] | None = None  # multi-band output (e.g. one band per year)
    tmp_path: str | None = field(default=None, compare=False)
    qml: str | None = field(default=None, compare=False)  # the style written beside the file on commit

    def __post_init__(self):
        if self.scheme is not None and self.band_descriptions is not None:
            raise ValueError(f"output {self.key!r}: a class raster has one band")

    @property
    def n_bands(self) -> int:
        return len(self.band_descriptions) if self.band_descriptions else 1

    @property
    def nodata(self):
        return CLASS_NODATA if self.dtype == "uint8" else FLOAT_NODATA

    @property
    def label(self) -> str:
        """How messages name this output."""
        return f"Output '{self.description}' ({self.name + ': ' if self.name else ''}{self.path})"


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
    memory of a pass would grow with the raster. :func:`run_pixelwise` gives it a share of the memory
    budget (:class:`_Budget`), so that the cache and the windows together stay within the budget.
    """
    before = gdal.GetCacheMax()
    gdal.SetCacheMax(min(before, int(max_bytes)))
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


def check_outputs(inputs: Mapping[str, Stack] | Sequence[Stack], outputs: Sequence[OutputSpec]) -> None:
    """Refuse outputs that would overwrite an input or each other, or that cannot be written.

    Raises
    ------
    RasterInputError
        Naming the output and the input (or the other output) it is, or why it cannot be written.
    """
    stacks = list(inputs.values()) if isinstance(inputs, Mapping) else list(inputs)
    for i, spec in enumerate(outputs):
        for stack in stacks:
            for ref in stack.bands:
                if files.same_file(spec.path, ref.path):
                    raise RasterInputError(
                        f"{spec.label} is the input layer '{ref.layer}' ({stack.name}): writing it would "
                        "destroy the input. Choose another output file."
                    )
        for other in outputs[:i]:
            if files.same_file(spec.path, other.path):
                raise RasterInputError(
                    f"{spec.label} and output '{other.description}' are the same file; "
                    "give each output its own file."
                )
        try:
            files.check_output_path(spec.path, f"Output '{spec.name or spec.description}'")
        except files.OutputPathError as exc:
            raise RasterInputError(str(exc)) from exc


def create_output(spec: OutputSpec, grid: Grid):
    """Create the GeoTIFF of ``spec`` on ``grid``: tiled, compressed, nodata, descriptions, class colours.

    The file is created at a new temporary path beside ``spec.path`` (stored in ``spec.tmp_path``);
    :func:`commit_output` moves it into place, :func:`discard_output` removes it. Whatever is at
    ``spec.path`` stays untouched until the commit.
    """
    try:
        files.check_output_path(spec.path, f"Output '{spec.name or spec.description}'")
        os.makedirs(os.path.dirname(os.path.abspath(spec.path)) or ".", exist_ok=True)
    except (files.OutputPathError, OSError) as exc:
        raise RasterInputError(str(exc)) from exc
    spec.tmp_path = files.temporary_sibling(spec.path)
    gdal_type = gdal.GDT_Byte if spec.dtype == "uint8" else gdal.GDT_Float32
    predictor = "PREDICTOR=2" if spec.dtype == "uint8" else "PREDICTOR=3"
    driver = gdal.GetDriverByName("GTiff")
    try:
        ds = driver.Create(
            spec.tmp_path, grid.xsize, grid.ysize, spec.n_bands, gdal_type, [*GTIFF_OPTIONS, predictor]
        )
    except RuntimeError as exc:
        raise RasterInputError(f"{spec.label} cannot be created: {exc}") from exc
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
            names[c.code] = c.name_en  # data in English (rules match them); legends translate
        table.SetColorEntry(CLASS_NODATA, (0, 0, 0, 0))
        band.SetColorTable(table)
        band.SetCategoryNames(names)
    return ds


def _sidecars(path):
    return path + ".aux.xml", os.path.splitext(path)[0] + ".qml"


def commit_output(spec: OutputSpec) -> None:
    """Move the finished (closed) temporary file of ``spec`` into place, with its sidecars.

    The ``.aux.xml`` (class names, statistics) replaces the old one, or the old one is removed so that it
    cannot describe the new file; ``spec.qml``, if set, is written beside the file.
    """
    if not spec.tmp_path:
        return
    tmp_aux = spec.tmp_path + ".aux.xml"
    aux, qml = _sidecars(spec.path)
    try:
        os.replace(spec.tmp_path, spec.path)
        if os.path.exists(tmp_aux):
            os.replace(tmp_aux, aux)
        elif os.path.exists(aux):
            os.remove(aux)
        if spec.qml is not None:
            files.write_text(qml, spec.qml)
    except OSError as exc:
        raise RasterInputError(f"{spec.label} cannot be moved into place: {exc}") from exc
    spec.tmp_path = None


def discard_output(spec: OutputSpec) -> None:
    """Remove the temporary file of ``spec`` (and its sidecar); the destination is left as it was."""
    if not spec.tmp_path:
        return
    for p in (spec.tmp_path, spec.tmp_path + ".aux.xml"):
        with contextlib.suppress(OSError):
            if os.path.exists(p):
                os.remove(p)
    spec.tmp_path = None


def _nodata_as(dtype, nodata):
    """The nodata value as the stored type compares it (float32 -3.4e38 is not the float64 -3.4e38)."""
    if nodata is None or math.isnan(nodata):
        return None
    if dtype.kind == "f":
        with np.errstate(over="ignore"):
            return dtype.type(nodata)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        if float(nodata).is_integer() and info.min <= nodata <= info.max:
            return int(nodata)
        return None
    return nodata


def read_window(stack: Stack, window, handles, sentinels: dict | None = ..., at=None) -> np.ndarray:
    """Read one window of every band of ``stack``: NaN for nodata and non-finite values.

    The dtype is :func:`stack_dtype` (float64 for float64 and 32-bit integer bands, else float32); the
    band's nodata (or the stack's given nodata) is compared with the stored values, then the raster's
    scale and offset are applied (``value = stored × scale + offset``). In bands without nodata, usual
    missing-value codes are counted into ``sentinels`` (default ``stack.sentinels``; None: not counted),
    over the window or, with ``at = (rows, cols)``, only at those pixels of it.
    """
    if sentinels is ...:
        sentinels = stack.sentinels
    col0, row0, ncols, nrows = window
    dtype = stack_dtype(stack)
    out = np.empty((len(stack.bands), nrows, ncols), dtype=dtype)
    by_path: dict[str, list[int]] = {}
    for i, ref in enumerate(stack.bands):
        by_path.setdefault(ref.path, []).append(i)
    for path, idx in by_path.items():
        ds = handles.get(path)
        if ds is None:
            ds = handles[path] = _open(path, stack.bands[idx[0]].layer)
        band_list = [stack.bands[i].band for i in idx]
        data = ds.ReadAsArray(col0, row0, ncols, nrows, band_list=band_list)
        data = data.reshape(len(idx), nrows, ncols)
        for k, i in enumerate(idx):
            ref = stack.bands[i]
            raw = data[k]
            band = ds.GetRasterBand(ref.band)
            nodata = ref.nodata if ref.nodata is not None else band.GetNoDataValue()
            if nodata is None and sentinels is not None:
                _count_sentinels(raw if at is None else raw[at], sentinels, ref.layer)
            values = out[i]
            values[...] = raw
            stored = _nodata_as(raw.dtype, nodata)
            scale, offset = band.GetScale(), band.GetOffset()
            if scale not in (None, 1.0):
                values *= scale
            if offset not in (None, 0.0):
                values += offset
            if stored is not None:
                values[raw == stored] = np.nan
    out[~np.isfinite(out)] = np.nan
    return out


# Pixels per kernel call: the threads take these parts in turn, and cancel is checked and progress
# reported between them, so a window as large as the whole raster still stops within a part's time.
_PART_PIXELS = 65536


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
    commit: bool = True,
) -> RunReport:
    """Run ``kernel`` over every pixel of the input stacks, window by window, and write ``outputs``.

    Parameters
    ----------
    inputs : mapping of str to Stack
        The stacks, on one grid (checked). The kernel receives a dict with the same keys, each value an
        array ``(n_bands, n_pixels)`` holding only the pixels that pass ``min_valid``: float32, or
        float64 for stacks stored as float64 or 32-bit integers (:func:`stack_dtype`).
    kernel : callable
        Pure function of that dict returning a dict of arrays: ``(n_pixels,)`` for single-band outputs,
        ``(n_bands, n_pixels)`` for outputs with ``band_descriptions``. NaN results are written as nodata.
        It is called on parts of at most ``_PART_PIXELS`` pixels, from several threads.
    outputs : sequence of OutputSpec
        Which kernel results to write, and how. May be empty when only ``reduce`` is wanted. Each is
        written to a temporary file beside its path and moved into place only at the end of a
        successful run (with ``commit=False``, left for :func:`commit_output` / :func:`discard_output`).
    min_valid : mapping of str to int, optional
        Minimum number of valid bands a pixel needs in each stack (default 1). Pixels below it get
        nodata in every output and are not passed to the kernel.
    bytes_per_pixel : float
        The kernel's working memory per pixel with float32 input bands; sizes the windows (float64
        stacks add their extra bytes).
    memory_mb : float
        Memory budget of a pass: the windows (the one computed and the one read ahead) and GDAL's
        block cache share it.
    threads : int
        Threads the parts of a window are split over.
    counters : sequence of str
        Boolean kernel results to count (summed over the run into ``RunReport.counters``), not written.
    pixel_area : bool
        Also pass ``"pixel_area_m2"``, the true area of each pixel on the ellipsoid (:mod:`core.engine.area`),
        as a ``(1, n_pixels)`` float64 array. Needs a CRS: without one the run stops before it starts.
    reduce : callable, optional
        Called in the calling thread after each window with the kernel results and the kernel inputs of
        that window (only the computed pixels), to accumulate totals without a second pass.
    progress, is_cancelled : callable, optional
        Progress in percent, reported after each part of each window; cancel, checked between parts.
    commit : bool
        Move the outputs into place at the end (default); False leaves them at ``spec.tmp_path``.

    Raises
    ------
    RasterInputError
        Inputs on different grids; ``pixel_area`` on a grid without a CRS (class rasters are written
        without one, their class areas left out with a warning in ``RunReport.warnings``); an output that
        is an input, or that cannot be written; an input without any valid value; no pixel with enough
        valid data; an output without any valid value. Nothing is left behind and existing files are
        untouched.
    Cancelled
        ``is_cancelled()`` returned True; the temporary outputs are removed, existing files untouched.
    """
    run = _PixelwisePass(
        inputs, kernel, outputs, min_valid, bytes_per_pixel, memory_mb, threads, counters, pixel_area, reduce
    )
    return run.run(progress, is_cancelled, commit)


class _PixelwisePass:
    """One pass of :func:`run_pixelwise`: its plan, its threads and what it counts.

    Every GDAL call of the pass (create, read, write, flush, close) runs on one I/O thread. GDAL's block
    cache evicts the dirty blocks of any dataset from whichever thread needs room: with the inputs read on
    one thread while the outputs were written on another, a reader thread wrote back an output block while
    the writing thread reloaded it, and the window written in between was lost (issue 16).
    """

    def __init__(
        self,
        inputs,
        kernel,
        outputs,
        min_valid,
        bytes_per_pixel,
        memory_mb,
        threads,
        counters,
        pixel_area,
        reduce,
    ):
        self.names = names = list(inputs)
        self.grid = grid = check_same_grid([inputs[k] for k in names])
        check_outputs(inputs, outputs)
        self.first_layer = inputs[names[0]].bands[0].layer
        if pixel_area:
            grid.require_crs(self.first_layer)
        _return_freed_memory()
        self.inputs, self.kernel, self.outputs = inputs, kernel, outputs
        self.threads, self.counters, self.pixel_area, self.reduce = threads, counters, pixel_area, reduce
        self.min_valid = {k: 1 for k in names} | dict(min_valid or {})
        self.budget = _Budget(memory_mb, bytes_per_pixel, {k: inputs[k] for k in names})
        self.windows = plan_windows(
            grid.xsize, grid.ysize, self.budget.bytes_per_pixel, self.budget.window_mb
        )
        self.report = RunReport(pixels_total=grid.xsize * grid.ysize, counters={c: 0 for c in counters})
        self.class_pixels = {o.key: np.zeros(256, dtype=np.int64) for o in outputs if o.scheme is not None}
        self.class_area = {o.key: np.zeros(256, dtype=np.float64) for o in outputs if o.scheme is not None}
        if self.class_pixels and not grid.has_crs:
            self.class_area = {}
            self.report.warnings.append(missing_crs_message(self.first_layer, "areas left out"))
        self.samples = {o.key: _Sample() for o in outputs if o.ramp is not None}
        self.valid_in = {k: 0 for k in names}
        self.valid_out = {o.key: 0 for o in outputs}
        self.handles: dict[str, object] = {}
        self.datasets: dict = {}
        self.need_areas = pixel_area or bool(self.class_area)
        # the kernel results a window's writing uses (all of them for ``reduce``)
        self.wanted = None if reduce is not None else {o.key for o in outputs} | set(counters)

    # ------------------------------------------------------------------------ on the I/O thread
    def open_outputs(self):
        """First on the I/O thread: GDAL's threads for it, then the output files."""
        if gdal.GetConfigOption("GDAL_NUM_THREADS") is None:
            # GeoTIFF tiles are decoded (GDAL >= 3.6) and compressed on as many threads
            gdal.SetThreadLocalConfigOption("GDAL_NUM_THREADS", str(max(1, self.threads)))
        for o in self.outputs:
            self.datasets[o.key] = create_output(o, self.grid)

    def close_outputs(self):
        """Last on the I/O thread."""
        for key in list(self.datasets):
            self.datasets[key].FlushCache()
            self.datasets[key] = None
        self.datasets.clear()

    def prepare(self, index, parallel):
        """Read and pack window ``index``, while the pool computes the windows before it."""
        return _Window(index, self.windows[index]).prepare(
            self.inputs,
            self.handles,
            self.min_valid,
            self.grid if self.need_areas else None,
            self.pixel_area,
            self.reduce is not None,
            self.threads if parallel else 1,
        )

    def write(self, win, results):
        """Write a computed window and count its classes, while the pool computes the next windows."""
        col0, row0, ncols, nrows = win.window
        # tiles the window completes are compressed now, while the pool computes, not all at the end
        whole_tiles = ncols == self.grid.xsize and (
            (row0 + nrows) % _TILE == 0 or row0 + nrows == self.grid.ysize
        )
        for spec in self.outputs:
            out = _scatter(spec, results.get(spec.key) if win.n_keep else None, win.keep, nrows, ncols)
            ds = self.datasets[spec.key]
            for band in range(out.shape[0]):
                ds.GetRasterBand(band + 1).WriteArray(out[band], col0, row0)
                if whole_tiles:
                    ds.GetRasterBand(band + 1).FlushCache()
            written = out != spec.nodata
            self.valid_out[spec.key] += int(np.count_nonzero(written))
            if spec.scheme is not None:
                codes = out[0].ravel().astype(np.intp)
                self.class_pixels[spec.key] += np.bincount(codes, minlength=256)
                if spec.key in self.class_area:
                    self.class_area[spec.key] += np.bincount(codes, weights=win.areas, minlength=256)
            if spec.ramp is not None:
                self.samples[spec.key].add(out[written])
            del out, written

    # ------------------------------------------------------------------------ on the calling thread
    def settle(self, win):
        """What the window adds to the run besides its pixels (``reduce``, counts); its results."""
        results = win.results(self.wanted)
        if self.reduce is not None and win.n_keep:
            self.reduce(results, win.packed)
        win.packed = None
        for k in self.names:
            self.valid_in[k] += win.valid_in[k]
        self.report.pixels_computed += win.n_keep
        for c in self.counters:
            if c in results:
                self.report.counters[c] += int(np.count_nonzero(results[c]))
        return results

    def run(self, progress, is_cancelled, commit):
        """The pass: windows read, computed and written at once; then the checks, styles and commit."""

        def check_cancel():
            if is_cancelled is not None and is_cancelled():
                raise Cancelled()

        pool = ThreadPoolExecutor(max_workers=self.threads) if self.threads > 1 else None
        io = ThreadPoolExecutor(max_workers=1)
        flight = _Flight(self.kernel, pool, self.threads, len(self.windows))
        ok = False
        try:
            with gdal_cache_limit(self.budget.cache_bytes):
                io.submit(self.open_outputs).result()
                self._windows(io, flight, pool is not None, progress, check_cancel)
                io.submit(self.close_outputs).result()
            self._finish()
            check_cancel()
            if commit:
                for spec in self.outputs:
                    commit_output(spec)
            ok = True
            return self.report
        finally:
            flight.cancel()
            io.shutdown(wait=True, cancel_futures=True)
            if pool is not None:
                pool.shutdown(wait=True)
            self.handles.clear()
            self.datasets.clear()  # closes the files so they can be deleted
            if not ok:
                for spec in self.outputs:
                    discard_output(spec)

    def _windows(self, io, flight, parallel, progress, check_cancel):
        """Windows go through three stages at once: the I/O thread reads and packs one (and writes the ones
        computed), the pool computes the parts of the one before (and of the next as soon as its last parts
        run). A window is read only once the window two before it is written, so at most two windows are
        held besides the one being read."""
        n = len(self.windows)
        next_read = 1
        pending = io.submit(self.prepare, 0, parallel)
        while flight.written < n:
            if flight.finish_writes() and progress is not None:
                progress(flight.progress())
            if pending is not None and flight.wants_window() and (pending.done() or flight.idle()):
                win = pending.result()
                pending = None
                check_cancel()
                flight.add(win)
            if pending is None and next_read < n and flight.held() < 2:
                pending = io.submit(self.prepare, next_read, parallel)
                next_read += 1
            flight.feed()
            if flight.oldest_computed():
                win = flight.pop_oldest()
                flight.start_write(win, io.submit(self.write, win, self.settle(win)))
                continue
            finished = flight.wait(pending)
            check_cancel()
            if finished and progress is not None:
                progress(flight.progress())

    def _finish(self):
        """Stop on empty inputs or results; class tables, styles and sentinel warnings into the report."""
        _check_result(self.inputs, self.outputs, self.report, self.valid_in, self.valid_out, self.min_valid)
        for spec in self.outputs:
            if spec.scheme is not None:
                self.report.class_areas[spec.key] = class_area_table(
                    spec.scheme, self.class_pixels[spec.key], self.class_area.get(spec.key)
                )
                spec.qml = paletted_qml(spec.scheme)
            elif spec.ramp is not None:
                spec.qml = pseudocolor_qml(*_ramp_range(self.samples[spec.key].values(), spec), spec.ramp)
        for k in self.names:
            self.report.warnings.extend(sentinel_warnings(self.inputs[k]))


def _check_result(inputs, outputs, report, valid_in, valid_out, min_valid):
    """Stop, naming the layer or output, when an input had no valid value or nothing was computed."""
    for k, stack in inputs.items():
        if valid_in[k] == 0:
            layers = sorted({ref.layer for ref in stack.bands})
            nodata = sorted(
                {f"{ref.nodata:g}" for ref in stack.bands if ref.nodata is not None}
                | {f"{n:g}" for _, _, n, _, _ in _band_info(stack) if n is not None}
            )
            declared = f" (nodata {', '.join(nodata)})" if nodata else ""
            raise RasterInputError(
                f"{stack.name}: layer {', '.join(repr(x) for x in layers)} holds no valid value: every pixel "
                f"is nodata{declared} or not a number. Check that the right layer was given and that its "
                "nodata value is right."
            )
    if report.pixels_computed == 0:
        needs = ", ".join(
            f"{min_valid[k]} of the {len(inputs[k])} bands of {inputs[k].name} ('{inputs[k].bands[0].layer}')"
            for k in inputs
        )
        raise RasterInputError(
            f"No pixel has enough valid data to be computed: each needs {needs}. Lower the minimum share "
            "of valid years, or check the nodata of the inputs."
        )
    layers = ", ".join(f"'{inputs[k].bands[0].layer}'" for k in inputs)
    for spec in outputs:
        if valid_out[spec.key] == 0:
            raise RasterInputError(
                f"{spec.label}: the result is undefined (nodata) on all {report.pixels_computed:,} pixels "
                f"computed from {layers}, so no file was written. This happens when an input has no "
                "variation (e.g. a constant series) or too few years for this statistic; check the inputs."
            )


class _Budget:
    """How a pass spends its memory budget: GDAL's block cache, then two windows (computed, read ahead)."""

    def __init__(self, memory_mb, bytes_per_pixel, stacks):
        if memory_mb <= 0:
            raise ValueError(f"memory_mb must be positive; got {memory_mb}")
        total = memory_mb * 2**20
        # An eighth for GDAL's block cache (at least 8 MB, at most 256 MB), never more than half.
        self.cache_bytes = int(min(_GDAL_CACHE_BYTES, max(8 * 2**20, total / 8), total / 2))
        extra = 0.0
        read_ahead = 0.0
        for stack in stacks.values():
            itemsize = stack_dtype(stack).itemsize
            extra += (itemsize - 4) * len(stack) * 3  # the window, its packed pixels, a part's copy
            read_ahead += itemsize * len(stack)
        self.bytes_per_pixel = float(bytes_per_pixel) + extra + read_ahead
        self.window_mb = (total - self.cache_bytes) / 2**20


class _Sample:
    """A bounded, evenly thinned sample of an output's values, for the 2nd-98th percentile of its ramp."""

    CAP = 200_000

    def __init__(self):
        self.parts: list[np.ndarray] = []
        self.size = 0
        self.step = 1

    def add(self, values):
        if values.size:
            step = max(self.step, values.size // 4000)
            part = values[::step].copy()
            self.parts.append(part)
            self.size += part.size
        if self.size > self.CAP:
            merged = np.concatenate(self.parts)[::2]
            self.parts, self.size, self.step = [merged], merged.size, self.step * 2

    def values(self):
        return self.parts


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


class _Window:
    """One window of a run on its way: read and packed into kernel parts, computed part by part, written.

    :meth:`prepare` runs on the I/O thread; the parts are computed on the pool (:class:`_Flight`); the
    window is written from :meth:`results` on the I/O thread.
    """

    def __init__(self, index, window):
        self.index = index
        self.window = window
        self.keep = None  # flat boolean: the pixels with enough valid data, which the kernel sees
        self.n_keep = 0
        self.valid_in: dict[str, int] = {}  # valid values read, per input
        self.areas = None  # true area of each pixel, flat, where needed
        self.packed = None  # the kept pixels of every input, kept for ``reduce``
        self.parts: list = []  # kernel inputs, part by part; each is dropped once submitted
        self.pieces: list = []  # kernel results, part by part
        self.submitted = 0
        self.done = 0

    def prepare(self, inputs, handles, min_valid, grid, pixel_area, keep_packed, threads):
        """Read the window and cut its pixels with enough valid data into the kernel's parts.

        Parts of at most ``_PART_PIXELS`` pixels, at least ``threads`` of them from 4096 pixels, each a
        dict of C-contiguous ``(n_bands, n)`` arrays. ``grid`` is given when true pixel areas are needed.
        """
        col0, row0, ncols, nrows = self.window
        columns = {}
        keep = np.ones(nrows * ncols, dtype=bool)
        for k, stack in inputs.items():
            block = read_window(stack, self.window, handles)
            block = block.reshape(block.shape[0], -1)
            missing = np.isnan(block).view(np.int8)
            n_ok = block.shape[0] - np.add.reduce(missing, axis=0, dtype=np.int32)
            del missing
            self.valid_in[k] = int(n_ok.sum())
            keep &= n_ok >= min_valid[k]
            columns[k] = block
        self.keep = keep
        self.n_keep = n = int(np.count_nonzero(keep))
        if grid is not None:
            self.areas = grid.pixel_areas(self.window).reshape(-1)
        if not n:
            return self
        if pixel_area:
            columns["pixel_area_m2"] = np.array(self.areas[None, :])
        if keep_packed:
            self.packed = columns = {k: v[:, keep] for k, v in columns.items()}
        n_parts = max(math.ceil(n / _PART_PIXELS), threads if threads > 1 and n >= 4096 else 1)
        if n_parts == 1:  # the kept pixels as one array each (a boolean index: the layout kernels saw)
            self.parts = [columns if keep_packed else {k: v[:, keep] for k, v in columns.items()}]
        else:  # C-contiguous parts, each copied once from the window
            edges = np.linspace(0, n, n_parts + 1).astype(int)
            index = np.arange(n) if keep_packed else np.flatnonzero(keep)
            self.parts = [
                {k: np.take(v, index[a:b], axis=1) for k, v in columns.items()}
                for a, b in zip(edges[:-1], edges[1:])
            ]
        self.pieces = [None] * n_parts
        return self

    def results(self, wanted=None):
        """The kernel results of the window's computed pixels, the ``wanted`` keys (None: all)."""
        if not self.pieces:
            return {}
        keys = [key for key in self.pieces[0] if wanted is None or key in wanted]
        if len(self.pieces) == 1:
            return {key: self.pieces[0][key] for key in keys}
        return {key: np.concatenate([p[key] for p in self.pieces], axis=-1) for key in keys}


_WAIT_SECONDS = 0.2  # longest wait of the calling thread for a part, a write or a read


class _Flight:
    """The windows of a run between reading and writing, and the kernel parts on the pool.

    One part more than there are threads is kept submitted, so that no thread waits while a window is
    written; the parts of the next window are submitted as soon as the last ones of the window before
    are. Without a pool (one thread) each part is computed when it is submitted. A computed window is
    written on the I/O thread (:meth:`start_write`); it counts as held until its write is done.
    """

    def __init__(self, kernel, pool, threads, n_windows):
        self.kernel = kernel
        self.pool = pool
        self.slots = threads + 1 if pool is not None else 1
        self.n_windows = n_windows
        self.windows: collections.deque = collections.deque()  # read, not yet written; oldest first
        self.running: dict = {}  # future -> (window, part index)
        self.writing: collections.deque = collections.deque()  # (window, its write's future), in order
        self.written = 0

    def held(self) -> int:
        return len(self.windows) + len(self.writing)

    def idle(self) -> bool:
        return not self.running

    def _feeding(self):
        return next((w for w in self.windows if w.submitted < len(w.parts)), None)

    def wants_window(self) -> bool:
        """Whether every part of the windows held has been submitted."""
        return self._feeding() is None

    def add(self, win: _Window):
        self.windows.append(win)

    def feed(self):
        while len(self.running) < self.slots:
            win = self._feeding()
            if win is None:
                return
            i = win.submitted
            part, win.parts[i] = win.parts[i], None
            win.submitted += 1
            if self.pool is not None:
                future = self.pool.submit(self.kernel, part)
            else:
                future = Future()
                try:
                    future.set_result(self.kernel(part))
                except Exception as exc:  # re-raised by wait(), as from a thread
                    future.set_exception(exc)
            del part
            self.running[future] = (win, i)

    def wait(self, pending) -> int:
        """Wait for parts or writes to finish (or for ``pending``, the window being read, when no part is
        left to submit); store the parts' results and return how many parts finished. A kernel error is
        raised here; a write error by :meth:`finish_writes`."""
        waiting = set(self.running) | {future for _, future in self.writing}
        if pending is not None and self.wants_window():
            waiting.add(pending)
        if not waiting:
            return 0
        # a timeout, so the calling thread runs Python now and then: a signal handler (qgis_process's Ctrl+C)
        # runs only there, and the cancel is checked after each return
        finished, _ = wait(waiting, timeout=_WAIT_SECONDS, return_when=FIRST_COMPLETED)
        count = 0
        for future in finished:
            if future in self.running:
                win, i = self.running.pop(future)
                win.pieces[i] = future.result()
                win.done += 1
                count += 1
        return count

    def oldest_computed(self) -> bool:
        if not self.windows:
            return False
        win = self.windows[0]
        return win.submitted == len(win.parts) and win.done == len(win.pieces)

    def pop_oldest(self) -> _Window:
        return self.windows.popleft()

    def start_write(self, win: _Window, future: Future):
        self.writing.append((win, future))

    def finish_writes(self) -> int:
        """Count the writes done, oldest first (a write error is raised here); return how many."""
        count = 0
        while self.writing and self.writing[0][1].done():
            _, future = self.writing.popleft()
            future.result()
            self.written += 1
            count += 1
        return count

    def progress(self) -> float:
        """Percent done: each window counts its computed parts and, as one more step, its writing."""
        held = [w for w in self.windows] + [w for w, _ in self.writing]
        share = self.written + sum(w.done / (len(w.pieces) + 1) for w in held)
        return 100.0 * share / self.n_windows

    def cancel(self):
        """Drop the parts not started; let the running ones finish (they cannot be stopped)."""
        for future in self.running:
            future.cancel()
        wait(self.running)
        self.running.clear()
        self.windows.clear()
        self.writing.clear()


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
    """The colour ramp's range: the 2nd-98th percentile of the sampled values (0-1 without any)."""
    values = np.concatenate(samples) if samples else np.empty(0)
    values = values[np.isfinite(values)]
    if not values.size:
        return 0.0, 1.0
    lo, hi = (float(v) for v in np.percentile(values, [2, 98]))
    if spec.symmetric:
        m = max(abs(lo), abs(hi)) or 1.0
        return -m, m
    if hi <= lo:
        return lo - 0.5, lo + 0.5
    return lo, hi


def min_valid_years(n_years: int, share_pct: float) -> int:
    """Minimum number of valid years a pixel needs: ``max(4, ceil(share·n/100))``, at most n.

    >>> min_valid_years(24, 75)
    18
    """
    if not 0 < share_pct <= 100:
        raise ValueError(f"share_pct must be in (0, 100]; got {share_pct}")
    return min(n_years, max(4, math.ceil(share_pct * n_years / 100.0 - 1e-9)))

"""Downloads to aligned yearly stacks: the study's own preprocessing (section 2.1: "all spatial data were
resampled to a consistent resolution and projected into a unified coordinate system").

One variable at a time (NPP, NDVI, precipitation…), from whatever GDAL reads — GeoTIFF, netCDF
variables, HDF subdatasets (MODIS) — in any CRS and resolution, to one multi-band GeoTIFF on a reference
grid, one band per year with the year as its description:

1. every band of every source gets a date: from the CF time axis, else the band description or
   ``YEAR``/``DATE`` metadata, else the file name (``npp_2003.tif``, ``pr_2003_07.tif``,
   ``MOD17A3.A2003001…``), else the years given; a source without any stops the run, naming it;
2. stored values outside the valid range (MODIS fill codes 32761–32767) and nodata are masked, then the
   scale and offset are applied (value = stored × scale + offset; CF §8.1, MODIS user guides);
3. GDAL Warp reprojects and resamples the masked values to the grid (average or bilinear for continuous
   data, mode or nearest for classes; masked values never enter an average);
4. monthly values are aggregated to years (sum or mean over the valid months, a pixel with fewer valid
   months than the minimum is nodata);
5. the study boundary (and classes to leave out, e.g. water and built-up) masks every band identically.

Every source band gets a row in :attr:`PrepareReport.rows` saying what was done to it; nothing is
resampled without the log saying so. Nothing here imports ``qgis``.
"""

from __future__ import annotations

import contextlib
import fnmatch
import math
import os
import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
from osgeo import gdal, ogr, osr

from ..common import years
from . import netcdf
from .raster import (
    FLOAT_NODATA,
    Cancelled,
    Grid,
    OutputSpec,
    RasterInputError,
    create_output,
    discard_output,
    gdal_cache_limit,
    parse_years,
)

gdal.UseExceptions()
ogr.UseExceptions()

#: Resampling methods offered, by name, with GDAL's names and what they suit.
RESAMPLING = {
    "average": "average",  # continuous values to a coarser grid: the mean of the covered valid pixels
    "bilinear": "bilinear",  # continuous values to a similar or finer grid
    "cubic": "cubic",
    "nearest": "near",  # classes or codes, similar or finer grid
    "mode": "mode",  # classes to a coarser grid: the most frequent class
    "sum": "sum",  # counts or totals to a coarser grid (GDAL >= 3.1)
    "min": "min",
    "max": "max",
}
#: How the bands of a variable become the bands of the output.
TIME_STEPS = ("yearly", "monthly_sum", "monthly_mean", "static")
CLASS_RESAMPLING = ("nearest", "mode")

_DATE_ITEMS = ("YEAR", "year", "Year", "DATE", "date", "ACQUISITIONDATE", "TIME", "time")
_BATCH_BYTES = 256 * 2**20  # source window and warped bands held per batch of bands


# -------------------------------------------------------------------------------------------- settings
@dataclass(frozen=True)
class Variable:
    """How one variable is prepared.

    Parameters
    ----------
    name : str
        The variable's name, for messages and the table ("NPP").
    resampling : str
        A key of :data:`RESAMPLING`.
    time_step : str
        ``"yearly"`` (one band per year), ``"monthly_sum"``/``"monthly_mean"`` (monthly bands aggregated
        to years), ``"static"`` (one band, no year: a DEM).
    scale, offset : float, optional
        Value = stored × scale + offset; None takes the raster's own (1 and 0 when it declares none).
    valid_min, valid_max : float, optional
        Valid range of the *stored* values (as CF's ``valid_range`` and the MODIS guides give it);
        values outside are missing.
    nodata : float, optional
        Stored value marking missing data, replacing the rasters' own.
    min_months : int
        Fewest valid months a pixel needs for an annual value (monthly time steps), 1–12.
    years : str, optional
        The year of each band in source order (``"2001-2024"``), for sources that declare none (yearly
        time step only).
    """

    name: str
    resampling: str = "average"
    time_step: str = "yearly"
    scale: float | None = None
    offset: float | None = None
    valid_min: float | None = None
    valid_max: float | None = None
    nodata: float | None = None
    min_months: int = 12
    years: str | None = None

    def __post_init__(self):
        if self.resampling not in RESAMPLING:
            raise ValueError(f"resampling must be one of {', '.join(RESAMPLING)}; got {self.resampling!r}")
        if self.time_step not in TIME_STEPS:
            raise ValueError(f"time_step must be one of {', '.join(TIME_STEPS)}; got {self.time_step!r}")
        if not 1 <= int(self.min_months) <= 12:
            raise ValueError(f"min_months must be in 1..12; got {self.min_months}")
        if self.scale is not None and (not math.isfinite(self.scale) or self.scale == 0):
            raise ValueError(f"{self.name}: the scale must be a finite number other than 0; got {self.scale}")
        if (
            self.valid_min is not None
            and self.valid_max is not None
            and not (math.isnan(self.valid_min) or math.isnan(self.valid_max))
            and self.valid_min > self.valid_max
        ):
            raise ValueError(
                f"{self.name}: the valid range {self.valid_min:g} – {self.valid_max:g} is empty (minimum above "
                "maximum)"
            )
        if self.years and self.time_step != "yearly":
            raise ValueError(f"{self.name}: years can be given for a yearly time step only")

    @property
    def monthly(self) -> bool:
        return self.time_step.startswith("monthly")


@dataclass
class SourceBand:
    """One band of one source, with its date and where the date came from."""

    source: str  # what GDAL opens
    band: int  # 1-based
    layer: str  # name in messages
    year: int | None
    month: int | None
    dated_by: str  # "time axis", "band description", "file name", "years given", "static"


@dataclass
class PrepareReport:
    """What a preparation did: the output's years, a row per source band, warnings."""

    years: list[int]
    rows: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    valid_pixels: dict = field(default_factory=dict)  # year -> valid pixels written
    mask_pixels: int = 0  # pixels inside the boundary and not of an excluded class


# ----------------------------------------------------------------------------------------- the sources
def find_sources(folder: str, pattern: str = "*.tif;*.nc;*.hdf") -> list[str]:
    """Files of ``folder`` (not its subfolders) matching any of the ``;``- or ``,``-separated patterns.

    Raises
    ------
    RasterInputError
        The folder does not exist, or nothing in it matches.
    """
    if not folder or not os.path.isdir(folder):
        raise RasterInputError(f"Folder '{folder}' does not exist or is not a folder")
    patterns = [p.strip() for p in re.split(r"[;,]", pattern or "*") if p.strip()] or ["*"]
    names = sorted(
        n
        for n in os.listdir(folder)
        if os.path.isfile(os.path.join(folder, n))
        and not n.endswith((".aux.xml", ".qml", ".ovr", ".xml", ".txt", ".md"))
        and any(fnmatch.fnmatch(n.lower(), p.lower()) for p in patterns)
    )
    if not names:
        raise RasterInputError(
            f"No file in folder '{folder}' matches the file pattern '{pattern}'; check the pattern "
            "(e.g. *NPP*.tif;*.nc, separated by ';')"
        )
    return [os.path.join(folder, n) for n in names]


def _band_date(band) -> tuple[int | None, int | None]:
    year, month = years.date_in_name(band.GetDescription())
    if year is not None:
        return year, month
    meta = band.GetMetadata() or {}
    for key in _DATE_ITEMS:
        year, month = years.date_in_name(str(meta.get(key) or "")[:10])
        if year is not None:
            return year, month
    return None, None


def _open(source: str, layer: str):
    try:
        ds = gdal.Open(source, gdal.GA_ReadOnly)
    except RuntimeError as exc:
        raise RasterInputError(f"Layer '{layer}' cannot be opened as a raster ({source}): {exc}") from exc
    if ds is None or ds.RasterCount == 0:
        raise RasterInputError(f"Layer '{layer}' cannot be opened as a raster ({source})")
    return ds


def date_sources(
    variable: Variable, sources: Sequence[str], layer_names: Sequence[str] | None = None
) -> list[SourceBand]:
    """Every band of every source with its date, checked: each has one, and no date twice.

    Raises
    ------
    RasterInputError
        Naming the file: a netCDF/HDF file with several data variables, a band without a year (or
        without a month, monthly), the same year (month) on two bands, years given that do not match
        the number of bands, a static variable with more than one band.
    """
    if not sources:
        raise RasterInputError(f"{variable.name}: no input file or layer given")
    names = list(layer_names) if layer_names else [netcdf.display_name(s) for s in sources]
    bands: list[SourceBand] = []
    for src, layer in zip(sources, names):
        try:
            bands += source_bands(src, layer, variable.monthly)
        except RasterInputError as exc:
            raise RasterInputError(f"{variable.name}: {exc}") from exc
    if variable.time_step == "static":
        return _static_band(variable, bands)
    if variable.years:
        _give_years(variable, bands)
    _check_dates(variable, bands)
    return sorted(bands, key=lambda b: (b.year, b.month or 0))


def source_bands(source: str, layer: str, monthly: bool = False) -> list[SourceBand]:
    """The bands of one source, each with the date it gives (None where it gives none).

    The date is the CF time axis's, else the band description's or its YEAR/DATE metadata, else the
    file name's (a single-band file; or a 12-band file of one year, band *n* month *n*, when
    ``monthly``).

    Raises
    ------
    RasterInputError
        The source cannot be opened, holds several data variables, or its time axis cannot be read.
    """
    try:
        resolved = netcdf.resolve_source(source, layer)
    except ValueError as exc:
        raise RasterInputError(str(exc)) from exc
    ds = _open(resolved, layer)
    n = ds.RasterCount
    try:
        cf = netcdf.band_dates(ds, layer)
    except ValueError as exc:
        raise RasterInputError(str(exc)) from exc
    file_year, file_month = years.date_in_name(netcdf.file_of(source))
    if file_year is None:
        file_year, file_month = years.date_in_name(layer)
    bands = []
    for b in range(1, n + 1):
        if cf is not None:
            year, month, how = int(cf[b - 1, 0]), int(cf[b - 1, 1]), "time axis"
        else:
            year, month = _band_date(ds.GetRasterBand(b))
            how = "band description"
            if year is None and file_year is not None:
                if n == 1:
                    year, month, how = file_year, file_month, "file name"
                elif n == 12 and file_month is None and monthly:
                    year, month, how = file_year, b, "file name (year), band number (month)"
        bands.append(SourceBand(resolved, b, layer, year, month, how))
    return bands


def _static_band(variable: Variable, bands: list[SourceBand]) -> list[SourceBand]:
    """The one band of a static variable, undated."""
    if len(bands) != 1:
        raise RasterInputError(
            f"{variable.name}: a static variable takes one band; the inputs have {len(bands)} "
            f"({', '.join(sorted({b.layer for b in bands}))}). Give one single-band raster, or choose a "
            "yearly or monthly time step."
        )
    bands[0].year, bands[0].month, bands[0].dated_by = None, None, "static"
    return bands


def _give_years(variable: Variable, bands: list[SourceBand]) -> None:
    """Date ``bands`` in order by the years the user gave."""
    try:
        given = parse_years(variable.years)
    except RasterInputError as exc:
        raise RasterInputError(f"{variable.name}: {exc}") from exc
    if given.size != len(bands):
        raise RasterInputError(
            f"{variable.name}: {given.size} years given for {len(bands)} bands of "
            f"{', '.join(sorted({b.layer for b in bands}))}; give one year per band"
        )
    for b, y in zip(bands, given):
        b.year, b.month, b.dated_by = int(y), None, "years given"


def _check_dates(variable: Variable, bands: Sequence[SourceBand]) -> None:
    """Stop, naming the file, on a band without a year (a month, monthly) or a date given twice."""
    undated = [b for b in bands if b.year is None]
    if undated:
        b = undated[0]
        raise RasterInputError(
            f"{variable.name}: no year for band {b.band} of '{b.layer}' ({netcdf.file_of(b.source)}): it has no "
            "CF time axis, no year in its band description or metadata, and its file name holds no year "
            "(e.g. npp_2003.tif, pr_2003_07.nc, MOD17A3.A2003001.hdf). Rename the files, or give the years."
        )
    if variable.monthly:
        no_month = [b for b in bands if b.month is None]
        if no_month:
            b = no_month[0]
            raise RasterInputError(
                f"{variable.name}: monthly aggregation needs the month of every band; band {b.band} of "
                f"'{b.layer}' gives the year {b.year} only ({b.dated_by}). Name the files by month "
                "(e.g. pr_2003_07.tif), or choose the yearly time step."
            )
    key = (lambda b: (b.year, b.month)) if variable.monthly else (lambda b: b.year)
    seen: dict = {}
    for b in bands:
        k = key(b)
        for a in seen.get(k, ()):
            if a.source == b.source or _footprints_overlap(a, b):
                when = f"{k[0]}-{k[1]:02d}" if variable.monthly else str(k)
                raise RasterInputError(
                    f"{variable.name}: {when} is given twice: band {a.band} of '{a.layer}' and band {b.band} of "
                    f"'{b.layer}' (dated by {a.dated_by} and {b.dated_by}). Overlapping downloads? Keep one of "
                    "them (narrow the file pattern or the layers); files of one date side by side (tiles) are "
                    "mosaicked."
                )
        seen.setdefault(k, []).append(b)


def _footprint(b: SourceBand):
    """CRS and (xmin, ymin, xmax, ymax) of the file of band ``b``, in its own CRS."""
    ds = _open(b.source, b.layer)
    wkt, _ = netcdf.crs_of(ds)
    x0, dx, rx, y0, ry, dy = ds.GetGeoTransform()
    xs = [x0 + i * dx + j * rx for i in (0, ds.RasterXSize) for j in (0, ds.RasterYSize)]
    ys = [y0 + i * ry + j * dy for i in (0, ds.RasterXSize) for j in (0, ds.RasterYSize)]
    return wkt, (min(xs), min(ys), max(xs), max(ys))


def _footprints_overlap(a: SourceBand, b: SourceBand, tolerance: float = 0.01) -> bool:
    """Whether the files of two bands of one date cover the same ground (more than ``tolerance`` of the
    smaller), rather than lie side by side as tiles do. Files in different CRSs count as overlapping:
    they cannot be told apart from two versions of one download."""
    (wkt_a, ea), (wkt_b, eb) = _footprint(a), _footprint(b)
    if not wkt_a or not wkt_b or not _srs(wkt_a).IsSame(_srs(wkt_b)):
        return True
    w = min(ea[2], eb[2]) - max(ea[0], eb[0])
    h = min(ea[3], eb[3]) - max(ea[1], eb[1])
    if w <= 0 or h <= 0:
        return False
    smaller = min((ea[2] - ea[0]) * (ea[3] - ea[1]), (eb[2] - eb[0]) * (eb[3] - eb[1]))
    return w * h > tolerance * smaller


# ------------------------------------------------------------------------------------------------ grid
def grid_from_reference(source: str, layer: str) -> Grid:
    """The grid of a reference raster (a CF lon/lat grid without CRS is on WGS 84)."""
    ds = _open(netcdf.resolve_source(source, layer), layer)
    wkt, _ = netcdf.crs_of(ds)
    if not wkt:
        raise RasterInputError(
            f"Reference layer '{layer}' has no CRS, so no input can be placed on its grid. Assign its CRS "
            "(Raster ▸ Projections ▸ Assign Projection) or give a CRS and a pixel size instead."
        )
    gt = tuple(ds.GetGeoTransform())
    if gt[2] != 0 or gt[4] != 0:
        raise RasterInputError(f"Reference layer '{layer}' is a rotated grid; give a north-up reference")
    return Grid(wkt, gt, ds.RasterXSize, ds.RasterYSize)


def grid_from_extent(
    crs_wkt: str, pixel_size: float, extent: Sequence[float], anchor: tuple[float, float] = (0.0, 0.0)
) -> Grid:
    """A north-up grid of square pixels covering ``extent`` (xmin, ymin, xmax, ymax) in ``crs_wkt``.

    The edges are snapped outward to ``anchor`` plus multiples of the pixel size (with the default
    anchor, as ``gdalwarp -tap``), so grids made from different extents with one pixel size line up;
    an input's corner as the anchor keeps its pixels whole.

    >>> g = grid_from_extent("", 1000.0, (1500.0, 0.0, 4200.0, 2100.0))
    >>> g.geotransform, g.xsize, g.ysize
    ((1000.0, 1000.0, 0.0, 3000.0, 0.0, -1000.0), 4, 3)
    """
    if not (pixel_size and math.isfinite(pixel_size) and pixel_size > 0):
        raise RasterInputError(f"the pixel size must be a positive number; got {pixel_size}")
    xmin, ymin, xmax, ymax = (float(v) for v in extent)
    if not (xmax > xmin and ymax > ymin):
        raise RasterInputError(f"the extent {xmin:g}, {ymin:g}, {xmax:g}, {ymax:g} is empty")
    ax, ay = anchor
    x0 = ax + math.floor((xmin - ax) / pixel_size + 1e-9) * pixel_size
    y1 = ay + math.ceil((ymax - ay) / pixel_size - 1e-9) * pixel_size
    nx = max(1, math.ceil((xmax - x0) / pixel_size - 1e-9))
    ny = max(1, math.ceil((y1 - ymin) / pixel_size - 1e-9))
    if nx * ny > 2_000_000_000:
        raise RasterInputError(f"a grid of {nx:,} × {ny:,} pixels is too large; choose a larger pixel size")
    return Grid(crs_wkt, (x0, pixel_size, 0.0, y1, 0.0, -pixel_size), nx, ny)


def source_grid(source: str, layer: str) -> Grid:
    """The grid of a source (for defaults: its CRS and pixel size); CF lon/lat grids on WGS 84."""
    ds = _open(netcdf.resolve_source(source, layer), layer)
    wkt, _ = netcdf.crs_of(ds)
    return Grid(wkt, tuple(ds.GetGeoTransform()), ds.RasterXSize, ds.RasterYSize)


def _srs(wkt):
    srs = osr.SpatialReference()
    srs.ImportFromWkt(wkt)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def _crs_name(wkt: str) -> str:
    if not wkt:
        return "no CRS"
    srs = _srs(wkt)
    code = srs.GetAuthorityCode(None)
    return f"{srs.GetAuthorityName(None)}:{code}" if code else (srs.GetName() or "unnamed CRS")


def _pixel_text(gt, wkt) -> str:
    unit = "°" if wkt and _srs(wkt).IsGeographic() else (" m" if wkt else "")
    return f"{abs(gt[1]):.6g} × {abs(gt[5]):.6g}{unit}"


def _extent(grid: Grid):
    x0, dx, _, y0, _, dy = grid.geotransform
    xs = (x0, x0 + dx * grid.xsize)
    ys = (y0, y0 + dy * grid.ysize)
    return min(xs), min(ys), max(xs), max(ys)


# ------------------------------------------------------------------------------------------------ masks
def study_mask(
    grid: Grid,
    boundary_wkt: str | None = None,
    boundary_name: str = "Study boundary",
    exclude: tuple[str, str, Sequence[float]] | None = None,
) -> tuple[np.ndarray, list[str]]:
    """Pixels of ``grid`` inside the boundary (pixel centres) and not of an excluded class.

    Parameters
    ----------
    boundary_wkt : str, optional
        Polygon(s) in the grid's CRS, as WKT. None: every pixel.
    exclude : (source, layer, codes), optional
        A class raster (any CRS: its classes are taken to the grid by nearest neighbour) and the
        codes to leave out (e.g. water, built-up).

    Returns
    -------
    (mask, notes)
        Boolean ``(ysize, xsize)`` array, True where values are kept; notes for the log.

    Raises
    ------
    RasterInputError
        The boundary does not overlap the grid, or the mask leaves no pixel.
    """
    notes = []
    mask = np.ones((grid.ysize, grid.xsize), dtype=bool)
    if boundary_wkt:
        geom = ogr.CreateGeometryFromWkt(boundary_wkt)
        if geom is None or geom.IsEmpty():
            raise RasterInputError(f"{boundary_name}: the layer holds no polygon")
        mem = gdal.GetDriverByName("MEM").Create("", grid.xsize, grid.ysize, 1, gdal.GDT_Byte)
        mem.SetGeoTransform(grid.geotransform)
        if grid.crs_wkt:
            mem.SetProjection(grid.crs_wkt)
        vds = ogr.GetDriverByName("Memory").CreateDataSource("boundary")
        lyr = vds.CreateLayer("boundary", _srs(grid.crs_wkt) if grid.crs_wkt else None, ogr.wkbUnknown)
        feat = ogr.Feature(lyr.GetLayerDefn())
        feat.SetGeometry(geom)
        lyr.CreateFeature(feat)
        gdal.RasterizeLayer(mem, [1], lyr, burn_values=[1])
        inside = mem.ReadAsArray().astype(bool)
        if not inside.any():
            bx0, bx1, by0, by1 = geom.GetEnvelope()
            gx0, gy0, gx1, gy1 = _extent(grid)
            raise RasterInputError(
                f"{boundary_name} does not overlap the grid: no pixel centre falls inside it (boundary "
                f"extent {bx0:.6g}, {by0:.6g} – {bx1:.6g}, {by1:.6g}; grid extent {gx0:.6g}, {gy0:.6g} – "
                f"{gx1:.6g}, {gy1:.6g}, in {_crs_name(grid.crs_wkt)}). Check that the boundary is the study "
                "area of the reference grid."
            )
        mask &= inside
        notes.append(
            f"{boundary_name}: {int(inside.sum()):,} of {inside.size:,} pixels inside (pixel centres)."
        )
    if exclude is not None:
        source, layer, codes = exclude
        codes = [float(c) for c in codes]
        ds = _open(netcdf.resolve_source(source, layer), layer)
        wkt, _ = netcdf.crs_of(ds)
        if not wkt and Grid(wkt, tuple(ds.GetGeoTransform()), ds.RasterXSize, ds.RasterYSize).difference(
            grid
        ):
            raise RasterInputError(
                f"Mask layer '{layer}' has no CRS and is not on the grid, so it cannot be aligned; assign its CRS"
            )
        out = _warp_to(grid, ds, wkt, [1], "near", float("nan"), None)
        classes = out[0]
        drop = np.isin(classes, codes)
        mask &= ~drop
        notes.append(
            f"Mask '{layer}': classes {', '.join(f'{c:g}' for c in codes)} left out ({int(drop.sum()):,} "
            f"pixels), taken to the grid by nearest neighbour from {_crs_name(wkt)}, "
            f"{_pixel_text(ds.GetGeoTransform(), wkt)}."
        )
    if not mask.any():
        raise RasterInputError("The study boundary and the classes left out leave no pixel of the grid")
    return mask, notes


# ---------------------------------------------------------------------------------------------- warping
def _warp_to(grid: Grid, src, src_wkt, band_list, alg, src_nodata, callback):
    """``band_list`` of ``src`` warped to ``grid`` as float32 ``(n, ysize, xsize)``, NaN where no data.

    GDAL 3.6's Warp has no band selection: other bands are taken out through a VRT first.
    """
    if list(band_list) != list(range(1, src.RasterCount + 1)):
        src = gdal.Translate("", src, format="VRT", bandList=list(band_list))
    dst = gdal.GetDriverByName("MEM").Create("", grid.xsize, grid.ysize, len(band_list), gdal.GDT_Float32)
    dst.SetGeoTransform(grid.geotransform)
    if grid.crs_wkt:
        dst.SetProjection(grid.crs_wkt)
    for i in range(len(band_list)):
        dst.GetRasterBand(i + 1).SetNoDataValue(float("nan"))
        dst.GetRasterBand(i + 1).Fill(float("nan"))
    options = gdal.WarpOptions(
        resampleAlg=alg,
        srcNodata=None if src_nodata is None else src_nodata,
        dstNodata=float("nan"),
        srcSRS=src_wkt or None,
        dstSRS=grid.crs_wkt or None,
        warpOptions=["INIT_DEST=NO_DATA", "UNIFIED_SRC_NODATA=NO"],
        callback=callback,
    )
    try:
        gdal.Warp(dst, src, options=options)
    except RuntimeError as exc:
        if "terminated" in str(exc).lower() or "interrupt" in str(exc).lower():
            raise Cancelled() from exc
        raise
    return dst.ReadAsArray().reshape(len(band_list), grid.ysize, grid.xsize)


def _source_window(grid: Grid, src_grid: Grid, margin: int = 3):
    """``(col0, row0, ncols, nrows)`` of the source pixels that can reach ``grid``, or None if none can."""
    if not src_grid.crs_wkt or not grid.crs_wkt:
        return 0, 0, src_grid.xsize, src_grid.ysize
    xmin, ymin, xmax, ymax = _extent(grid)
    ct = osr.CoordinateTransformation(_srs(grid.crs_wkt), _srs(src_grid.crs_wkt))
    xs, ys = [], []
    for t in np.linspace(0.0, 1.0, 21):  # the outline, densified, so curved edges are covered
        for x, y in (
            (xmin + t * (xmax - xmin), ymin),
            (xmin + t * (xmax - xmin), ymax),
            (xmin, ymin + t * (ymax - ymin)),
            (xmax, ymin + t * (ymax - ymin)),
        ):
            with contextlib.suppress(RuntimeError):
                px, py, _ = ct.TransformPoint(x, y)
                if math.isfinite(px) and math.isfinite(py):
                    xs.append(px)
                    ys.append(py)
    if not xs:
        return 0, 0, src_grid.xsize, src_grid.ysize
    x0, dx, _, y0, _, dy = src_grid.geotransform
    cols = sorted(((min(xs) - x0) / dx, (max(xs) - x0) / dx))
    rows = sorted(((min(ys) - y0) / dy, (max(ys) - y0) / dy))
    c0 = max(0, int(math.floor(cols[0])) - margin)
    c1 = min(src_grid.xsize, int(math.ceil(cols[1])) + margin)
    r0 = max(0, int(math.floor(rows[0])) - margin)
    r1 = min(src_grid.ysize, int(math.ceil(rows[1])) + margin)
    if c1 <= c0 or r1 <= r0:
        return None
    return c0, r0, c1 - c0, r1 - r0


def _masked_window(ds, bands, window, scale_offset, nodata, ranges):
    """The source window of ``bands`` as a float32 MEM dataset: invalid stored values NaN, then scaled.

    Returns the dataset, and per band the number of stored values outside its valid range and the
    number of stored values that are data (not nodata, finite).
    """
    c0, r0, nc, nr = window
    gt = ds.GetGeoTransform()
    mem = gdal.GetDriverByName("MEM").Create("", nc, nr, len(bands), gdal.GDT_Float32)
    mem.SetGeoTransform(
        (gt[0] + c0 * gt[1] + r0 * gt[2], gt[1], gt[2], gt[3] + c0 * gt[4] + r0 * gt[5], gt[4], gt[5])
    )
    out_of_range, stored = [], []
    step = max(1, int(2**22 // max(nc, 1)))
    for i, b in enumerate(bands):
        band = ds.GetRasterBand(b)
        scale, offset = scale_offset[i]
        nd = nodata[i][0]
        lo, hi, _ = ranges[i]
        count = data = 0
        target = mem.GetRasterBand(i + 1)
        target.SetNoDataValue(float("nan"))
        for r in range(r0, r0 + nr, step):
            rows = min(step, r0 + nr - r)
            raw = band.ReadAsArray(c0, r, nc, rows)
            if raw is None:
                raise RasterInputError(f"band {b} cannot be read")
            raw = raw.astype(np.float64)
            bad = ~np.isfinite(raw)
            if nd is not None:
                bad |= raw == nd
            outside = np.zeros_like(bad)
            if lo is not None:
                outside |= raw < lo
            if hi is not None:
                outside |= raw > hi
            count += int(np.count_nonzero(outside & ~bad))
            data += int(np.count_nonzero(~bad))
            values = raw * scale + offset
            values[bad | outside] = np.nan
            target.WriteArray(values.astype(np.float32), 0, r - r0)
        out_of_range.append(count)
        stored.append(data)
    return mem, out_of_range, stored


def _nodata_of(ds, band: int, variable: Variable):
    """``(nodata, origin)``: the value given, else the band's nodata, else its CF _FillValue/missing_value."""
    if variable.nodata is not None:
        return float(variable.nodata), "given"
    b = ds.GetRasterBand(band)
    nd = b.GetNoDataValue()
    if nd is not None:
        return float(nd), None
    fill = netcdf.fill_value(b)
    if fill is not None:
        return fill[0], f"the file's {fill[1]} attribute"
    return None, None


def _valid_range_of(ds, band: int, variable: Variable):
    """``(min, max, origin)`` of valid stored values: the range given, else the file's CF attributes."""
    if variable.valid_min is not None or variable.valid_max is not None:
        return variable.valid_min, variable.valid_max, "given"
    declared = netcdf.valid_range(ds.GetRasterBand(band))
    if declared is None:
        return None, None, None
    lo, hi, attribute = declared
    return lo, hi, f"the file's {attribute} attribute"


def _scale_offset(ds, band: int, variable: Variable):
    b = ds.GetRasterBand(band)
    scale = (
        variable.scale if variable.scale is not None else (b.GetScale() if b.GetScale() is not None else 1.0)
    )
    offset = variable.offset if variable.offset is not None else (b.GetOffset() or 0.0)
    return float(scale), float(offset)


# ---------------------------------------------------------------------------------------------- the run
def prepare_variable(
    variable: Variable,
    bands: Sequence[SourceBand],
    grid: Grid,
    out_path: str,
    mask: np.ndarray | None = None,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    memory_mb: float = 512,
) -> tuple[OutputSpec, PrepareReport]:
    """Warp, mask, aggregate and write the dated ``bands`` (:func:`date_sources`) to one GeoTIFF on ``grid``.

    The output is written at a temporary path beside ``out_path`` (``spec.tmp_path``); the caller moves
    it into place with :func:`core.engine.raster.commit_output` when the whole run has succeeded.

    Values are masked where the stored value is nodata (given, else the band's, else a CF
    ``_FillValue``/``missing_value`` attribute) or outside the valid range (given, else the CF
    ``valid_range``/``valid_min``/``valid_max`` attributes, in stored values), then scaled:
    value = stored × scale + offset. The log rows say which applied and where it came from.

    Returns
    -------
    (OutputSpec, PrepareReport)
        The written (not yet committed) output: ``float32``, nodata
        :data:`core.engine.raster.FLOAT_NODATA`, band descriptions the years (the variable's name for
        a static variable); what was done to every source band.

    Raises
    ------
    RasterInputError
        A source without a CRS that is not already on the grid; no source overlapping the grid; a valid
        range or nodata that leaves no value in a source; no pixel with a value in the output.
    Cancelled
        ``is_cancelled()`` became True; nothing is left behind.
    """
    if mask is None:
        mask = np.ones((grid.ysize, grid.xsize), dtype=bool)
    if mask.shape != (grid.ysize, grid.xsize):
        raise ValueError(f"mask shape {mask.shape} is not the grid's {(grid.ysize, grid.xsize)}")
    run = _Run(variable, bands, grid, out_path, mask, progress, is_cancelled, memory_mb)
    run.check_months()
    ok = False
    try:
        with gdal_cache_limit(max(16 * 2**20, int(memory_mb * 2**20 / 8))):
            run.ds_out = create_output(run.spec, grid)
            for source, group in run.by_source().items():
                run.check()
                run.source(source, group)
            run.finish()
        run.check()
        ok = True
        return run.spec, run.report
    finally:
        run.ds_out = None
        if not ok:
            discard_output(run.spec)


class _Run:
    """The state of one :func:`prepare_variable` run: the output, monthly sums, tallies, progress."""

    def __init__(self, variable, bands, grid, out_path, mask, progress, is_cancelled, memory_mb):
        self.variable, self.bands, self.grid, self.mask = variable, list(bands), grid, mask
        self.progress, self.cancelled = progress, is_cancelled or (lambda: False)
        self.memory_mb = memory_mb
        if variable.time_step == "static":
            self.years, descriptions = [None], None
        else:
            self.years = sorted({b.year for b in bands})
            descriptions = tuple(str(y) for y in self.years)
        self.report = PrepareReport([y for y in self.years if y is not None], mask_pixels=int(mask.sum()))
        self.spec = OutputSpec(
            key=variable.name,
            path=out_path,
            description=variable.name,
            name=variable.name,
            band_descriptions=descriptions,
        )
        self.year_index = {y: i for i, y in enumerate(self.years)}
        self.acc: dict = {}  # monthly: year -> (sum, count)
        self.remaining = {y: sum(1 for b in bands if b.year == y) for y in self.years}
        self.range_tally: dict = {}  # source -> [layer, outside the valid range, data values, range text]
        self.written: set = set()
        self.done = 0
        self.total = max(1, len(self.bands))
        self.overlaps_any = False
        self.ds_out = None
        self._note_mosaics()

    def _note_mosaics(self):
        """Say which dates come from several files side by side (tiles), mosaicked onto the grid."""
        files: dict = {}
        for b in self.bands:
            when = b.year if not self.variable.monthly else f"{b.year}-{b.month:02d}"
            files.setdefault(when, []).append(b.layer)
        for when, layers in files.items():
            if len(set(layers)) > 1:
                self.report.notes.append(
                    f"{self.variable.name}: {when}: {len(layers)} files side by side ({', '.join(layers)}), "
                    "mosaicked (where they meet, the file that holds the pixel's centre)"
                )

    def check(self):
        if self.cancelled():
            raise Cancelled()

    def by_source(self):
        groups: dict[str, list[SourceBand]] = {}
        for b in self.bands:
            groups.setdefault(b.source, []).append(b)
        return groups

    def check_months(self):
        """Monthly: stop when no year has the minimum of months; warn for the years short of it."""
        variable = self.variable
        if not variable.monthly:
            return
        months = {y: sorted(b.month for b in self.bands if b.year == y) for y in self.years}
        short = {y: len(m) for y, m in months.items() if len(m) < variable.min_months}
        if len(short) == len(self.years):
            raise RasterInputError(
                f"{variable.name}: no year has {variable.min_months} months in the inputs (the minimum of valid "
                f"months); they have {', '.join(f'{y}: {len(m)}' for y, m in months.items())}"
            )
        for y, n in short.items():
            self.report.warnings.append(
                f"{variable.name}: {y} has {n} of 12 months in the inputs, fewer than the minimum of "
                f"{variable.min_months}: it is nodata in the output."
            )

    def source(self, source, group):
        """Warp the bands of one source to the grid, in batches sized to the memory budget."""
        variable, grid = self.variable, self.grid
        layer = group[0].layer
        ds = _open(source, layer)
        src_wkt, crs_note = netcdf.crs_of(ds)
        src_grid = Grid(src_wkt, tuple(ds.GetGeoTransform()), ds.RasterXSize, ds.RasterYSize)
        on_grid = src_grid.difference(grid) is None
        if not src_wkt and not on_grid:
            raise RasterInputError(
                f"{variable.name}: layer '{layer}' ({netcdf.file_of(source)}) has no CRS and is not on the "
                "reference grid, so it cannot be aligned. Assign its CRS (Raster ▸ Projections ▸ Assign "
                "Projection, or gdal_edit.py -a_srs) and run again."
            )
        if crs_note:
            self.report.notes.append(f"{variable.name}: layer '{layer}': {crs_note}.")
        window = _source_window(grid, src_grid)
        if window is None:
            for b in group:
                what = "no overlap with the grid: not used"
                self.report.rows.append(_row(variable, b, src_wkt, src_grid, what, 0, 0))
            self.done += len(group)
            return
        self.overlaps_any = True
        px = grid.xsize * grid.ysize
        per_band = 4 * (window[2] * window[3] + px) + (16 * px if variable.monthly else 0)
        batch = max(1, min(len(group), int(min(_BATCH_BYTES, self.memory_mb * 2**20 / 2) // per_band)))
        context = (ds, src_wkt, src_grid, on_grid, window)
        for start in range(0, len(group), batch):
            self.check()
            self.batch(source, layer, group[start : start + batch], context)

    def batch(self, source, layer, part, context):
        """Mask, scale and warp ``part`` (bands of one source), then store or accumulate each band."""
        ds, src_wkt, src_grid, on_grid, window = context
        variable = self.variable
        numbers = [b.band for b in part]
        so = [_scale_offset(ds, n, variable) for n in numbers]
        nds = [_nodata_of(ds, n, variable) for n in numbers]
        ranges = [_valid_range_of(ds, n, variable) for n in numbers]
        masked, outside, stored = _masked_window(ds, numbers, window, so, nds, ranges)
        tally = self.range_tally.setdefault(source, [layer, 0, 0, _range_text(*ranges[0][:2])])
        tally[1] += sum(outside)
        tally[2] += sum(stored)
        alg = "near" if on_grid else RESAMPLING[variable.resampling]
        values = _warp_to(
            self.grid,
            masked,
            src_wkt,
            list(range(1, len(part) + 1)),
            alg,
            float("nan"),
            self.callback(len(part)),
        )
        for i, b in enumerate(part):
            v = values[i]
            v[~self.mask] = np.nan
            n_valid = int(np.count_nonzero(np.isfinite(v)))
            what = _what(
                variable, src_wkt, src_grid, self.grid, on_grid, so[i], nds[i], ranges[i], outside[i]
            )
            self.report.rows.append(_row(variable, b, src_wkt, src_grid, what, outside[i], n_valid))
            self.store(b, v)
        self.done += len(part)
        if self.progress is not None:
            self.progress(100.0 * self.done / self.total)
        if variable.monthly:
            self.flush({y for y, n in self.remaining.items() if n == 0})

    def callback(self, n):
        """A GDAL progress callback for a batch of ``n`` bands: progress over the run, False on cancel."""
        done0 = self.done

        def callback(fraction, _msg=None, _data=None):
            if self.cancelled():
                return 0
            if self.progress is not None:
                self.progress(100.0 * (done0 + fraction * n) / self.total)
            return 1

        return callback

    def store(self, b, v):
        """Write a warped yearly band, or add a monthly one to its year's sum and count."""
        if self.variable.monthly:
            shape = (self.grid.ysize, self.grid.xsize)
            s, c = self.acc.setdefault(b.year, (np.zeros(shape), np.zeros(shape, np.int16)))
            ok_px = np.isfinite(v)
            s[ok_px] += v[ok_px]
            c += ok_px
        else:
            band_no = 1 if b.year is None else self.year_index[b.year] + 1
            if b.year in self.written:  # another tile of that year: mosaic it with those written
                v = self._mosaic(band_no, b, v)
            _write(self.ds_out, band_no, v, self.report, b.year)
            self.written.add(b.year)
        self.remaining[b.year] -= 1

    def _mosaic(self, band_no, b, v):
        """The band written so far with the tile ``v`` (band ``b``) added: where both have a value (where
        the tiles meet), the tile whose footprint holds the pixel's centre."""
        stored = self.ds_out.GetRasterBand(band_no).ReadAsArray()
        before = np.where(stored == np.float32(FLOAT_NODATA), np.nan, stored.astype(np.float64))
        both = np.isfinite(before) & np.isfinite(v)
        merged = np.where(np.isnan(before), v, before)
        if both.any():
            rows, cols = np.nonzero(both)
            x0, dx, rx, y0, ry, dy = self.grid.geotransform
            x = x0 + (cols + 0.5) * dx + (rows + 0.5) * rx
            y = y0 + (cols + 0.5) * ry + (rows + 0.5) * dy
            wkt, (xmin, ymin, xmax, ymax) = _footprint(b)
            ct = osr.CoordinateTransformation(_srs(self.grid.crs_wkt), _srs(wkt))
            xy = np.asarray(ct.TransformPoints(np.column_stack([x, y])))[:, :2]
            inside = (xy[:, 0] >= xmin) & (xy[:, 0] < xmax) & (xy[:, 1] > ymin) & (xy[:, 1] <= ymax)
            merged[rows[inside], cols[inside]] = v[rows[inside], cols[inside]]
        return merged

    def flush(self, done_years):
        """Monthly: write the annual sum or mean of the years whose months are all in."""
        variable = self.variable
        for y in sorted(set(self.acc) & set(done_years)):
            s, c = self.acc.pop(y)
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = s / c
            value = mean * 12.0 if variable.time_step == "monthly_sum" else mean
            value[c < variable.min_months] = np.nan
            _write(self.ds_out, self.year_index[y] + 1, value.astype(np.float32), self.report, y)
            self.written.add(y)

    def finish(self):
        """Checks over all sources, the last years, empty years as nodata; stop on an empty output."""
        variable = self.variable
        _check_valid_range(variable, self.range_tally, self.report)
        if not self.overlaps_any:
            names = ", ".join(sorted({b.layer for b in self.bands}))
            raise RasterInputError(
                f"{variable.name}: no input overlaps the reference grid ({names}); check the reference grid "
                "and the inputs' CRS"
            )
        if variable.monthly:
            self.flush(set(self.acc))
        for y in self.years:
            if y not in self.written:
                empty = np.full((self.grid.ysize, self.grid.xsize), np.nan, np.float32)
                _write(self.ds_out, self.year_index[y] + 1, empty, self.report, y)
        self.ds_out.FlushCache()
        self.ds_out = None
        if not any(self.report.valid_pixels.values()):
            raise RasterInputError(
                f"{variable.name}: the output has no valid pixel: every value is nodata, outside the valid range, "
                "or outside the study boundary and mask. Check the nodata and valid range of the inputs, and "
                "that they cover the study area."
            )


def _write(ds_out, band_no, values, report, year):
    out = np.where(np.isfinite(values), values, FLOAT_NODATA).astype(np.float32)
    ds_out.GetRasterBand(band_no).WriteArray(out)
    report.valid_pixels[year] = int(np.count_nonzero(np.isfinite(values)))


def _check_valid_range(variable, tally, report):
    """Stop when the valid range leaves no value in any source; warn for a source it empties alone."""
    emptied = [(src, t) for src, t in tally.items() if t[2] > 0 and t[1] == t[2]]
    if not emptied:
        return
    if all(t[2] == 0 or t[1] == t[2] for t in tally.values()):
        src, (layer, n, _, text) = emptied[0]
        raise RasterInputError(
            f"{variable.name}: the valid range {text} leaves no value: all {n:,} stored values "
            f"of '{layer}' ({netcdf.file_of(src)}) within the grid are outside it"
            + (f", and so are those of the {len(emptied) - 1} other input(s)" if len(emptied) > 1 else "")
            + ". The valid range is in stored values (before scale and offset: MODIS NPP 0–32700, not "
            "0–3.27); check it against the product's documentation."
        )
    for src, (layer, n, _, text) in emptied:
        report.warnings.append(
            f"{variable.name}: every stored value of '{layer}' ({netcdf.file_of(src)}) within the grid is outside "
            f"the valid range {text} ({n:,} values): it adds nothing to the output."
        )


def _range_text(lo, hi):
    lo_text = "−∞" if lo is None else f"{lo:g}"
    hi_text = "∞" if hi is None else f"{hi:g}"
    return f"{lo_text} – {hi_text}"


def _what(variable, src_wkt, src_grid, grid, on_grid, so, nodata, valid, outside):
    parts = []
    if on_grid:
        parts.append("already on the grid: copied, not resampled")
    else:
        same = src_wkt and grid.crs_wkt and _srs(src_wkt).IsSame(_srs(grid.crs_wkt))
        move = "" if same else f"reprojected from {_crs_name(src_wkt)} to {_crs_name(grid.crs_wkt)}; "
        parts.append(
            f"{move}resampled by {variable.resampling} from {_pixel_text(src_grid.geotransform, src_wkt)} to "
            f"{_pixel_text(grid.geotransform, grid.crs_wkt)} (GDAL Warp)"
        )
    value, origin = nodata
    if value is not None:
        parts.append(f"nodata {value:g}" + (f" (from {origin})" if origin and origin != "given" else ""))
    lo, hi, origin = valid
    if origin is not None:
        source = "" if origin == "given" else f", from {origin}"
        parts.append(f"valid stored values {_range_text(lo, hi)} ({outside:,} outside, masked{source})")
    scale, offset = so
    if scale != 1.0 or offset != 0.0:
        parts.append(f"value = stored × {scale:g} + {offset:g}")
    if variable.monthly:
        how = "sum (mean of the valid months × 12)" if variable.time_step == "monthly_sum" else "mean"
        parts.append(f"monthly → annual {how}, at least {variable.min_months} valid months")
    return "; ".join(parts)


def _row(variable, b, src_wkt, src_grid, what, outside, n_valid):
    return {
        "variable": variable.name,
        "layer": b.layer,
        "source": b.source,
        "band": b.band,
        "year": b.year,
        "month": b.month,
        "dated_by": b.dated_by,
        "source_crs": _crs_name(src_wkt),
        "source_pixel": _pixel_text(src_grid.geotransform, src_wkt),
        "resampling": variable.resampling,
        "out_of_range": int(outside),
        "valid_pixels": int(n_valid),
        "what": what,
    }


def sources_extent(bands: Sequence[SourceBand], crs_wkt: str) -> tuple[float, float, float, float]:
    """The union of the sources' extents in ``crs_wkt`` (xmin, ymin, xmax, ymax), outlines densified.

    Raises
    ------
    RasterInputError
        A source without a CRS when ``crs_wkt`` has one (its place is unknown).
    """
    xs: list[float] = []
    ys: list[float] = []
    for source in dict.fromkeys(b.source for b in bands):
        layer = next(b.layer for b in bands if b.source == source)
        g = source_grid(source, layer)
        xmin, ymin, xmax, ymax = _extent(g)
        if not g.crs_wkt or not crs_wkt or _srs(g.crs_wkt).IsSame(_srs(crs_wkt)):
            if not g.crs_wkt and crs_wkt:
                raise RasterInputError(
                    f"Layer '{layer}' ({netcdf.file_of(source)}) has no CRS, so it cannot be placed on a grid in "
                    f"{_crs_name(crs_wkt)}. Assign its CRS (Raster ▸ Projections ▸ Assign Projection) or give a "
                    "reference raster it is already aligned with."
                )
            xs += [xmin, xmax]
            ys += [ymin, ymax]
            continue
        ct = osr.CoordinateTransformation(_srs(g.crs_wkt), _srs(crs_wkt))
        for t in np.linspace(0.0, 1.0, 21):
            for x, y in (
                (xmin + t * (xmax - xmin), ymin),
                (xmin + t * (xmax - xmin), ymax),
                (xmin, ymin + t * (ymax - ymin)),
                (xmax, ymin + t * (ymax - ymin)),
            ):
                with contextlib.suppress(RuntimeError):
                    px, py, _ = ct.TransformPoint(x, y)
                    if math.isfinite(px) and math.isfinite(py):
                        xs.append(px)
                        ys.append(py)
    if not xs:
        raise RasterInputError(f"the inputs cannot be placed in {_crs_name(crs_wkt)}")
    return min(xs), min(ys), max(xs), max(ys)


# --------------------------------------------------------------------------- several variables in one run
#: Columns of the table of variables (:func:`parse_rules`), in order.
RULE_COLUMNS = (
    "variable",
    "files",
    "time step",
    "resampling",
    "scale",
    "offset",
    "valid min",
    "valid max",
    "min months",
    "nodata",
)
_STEP_WORDS = {
    "yearly": "yearly",
    "annual": "yearly",
    "monthly sum": "monthly_sum",
    "monthly_sum": "monthly_sum",
    "sum": "monthly_sum",
    "monthly mean": "monthly_mean",
    "monthly_mean": "monthly_mean",
    "mean": "monthly_mean",
    "static": "static",
}
_AUTO = ("", "auto", "detect")
_PRECIPITATION = re.compile(r"(^|[^a-z])(pr|ppt|prcp|precip\w*|rain\w*|tp|ap|rr)($|[^a-z])")
_CLASSES = re.compile(
    r"(land_?use|lulc|land_?cover|lc|igbp|mcd12\w*|class\w*|zone\w*|ecosystem\w*|soil_?type|cover)"
)


@dataclass(frozen=True)
class Rule:
    """One row of the table of variables: which files hold a variable and how to prepare it.

    ``files`` are shell patterns of file names separated by ``;``, each optionally followed by
    ``:<data variable>`` for netCDF/HDF files holding several (``*.nc:pr``, ``MOD17A3*.hdf:Npp_500m``).
    Settings left None are detected (:func:`plan_variables`).
    """

    name: str
    files: str
    time_step: str | None = None
    resampling: str | None = None
    scale: float | None = None
    offset: float | None = None
    valid_min: float | None = None
    valid_max: float | None = None
    min_months: int | None = None
    nodata: float | None = None


@dataclass
class Plan:
    """A variable to prepare: its settings, its sources and how the settings were chosen."""

    variable: Variable
    sources: list[str]
    layers: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return f"{self.variable.name}.tif"


def _cell(value) -> str:
    return "" if value is None else str(value).strip()


def _number(row_no, column, text):
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"Variables table, row {row_no}, '{column}': '{text}' is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"Variables table, row {row_no}, '{column}': '{text}' is not a finite number")
    return value


def parse_rules(cells: Sequence) -> list[Rule]:
    """The rows of a table of variables given as its cells row by row (a Processing matrix).

    Each row has the :data:`RULE_COLUMNS`: variable name, file patterns, time step (yearly, monthly
    sum, monthly mean, static or empty to detect), resampling (a key of :data:`RESAMPLING` or empty to
    detect), scale, offset, valid min, valid max (stored values), minimum of valid months, nodata; empty
    cells are detected or taken from the files.

    Raises
    ------
    ValueError
        Cells that do not fill whole rows, a row without name or files, a name twice, an unknown time
        step or resampling, a cell that is not a number; the message names the row and column.

    Examples
    --------
    >>> rules = parse_rules(["NPP", "MOD17A3*.hdf:Npp_500m", "", "", 0.1, "", 0, 32700, "", ""])
    >>> rules[0].name, rules[0].files, rules[0].scale, rules[0].valid_max, rules[0].time_step
    ('NPP', 'MOD17A3*.hdf:Npp_500m', 0.1, 32700.0, None)
    """
    cells = [_cell(c) for c in (cells or [])]
    if not any(cells):
        return []  # no table (a Processing matrix left empty reads as one empty cell)
    n = len(RULE_COLUMNS)
    if len(cells) % n:
        raise ValueError(
            f"Variables table: {len(cells)} cells do not make whole rows of {n} columns ({', '.join(RULE_COLUMNS)})"
        )
    rules, seen = [], set()
    for i in range(0, len(cells), n):
        row = dict(zip(RULE_COLUMNS, cells[i : i + n]))
        if not any(row.values()):
            continue  # an empty row of the dialog's table
        rules.append(_rule(i // n + 1, row))
        if rules[-1].name.lower() in seen:
            raise ValueError(
                f"Variables table, row {i // n + 1}: the variable '{rules[-1].name}' is named twice"
            )
        seen.add(rules[-1].name.lower())
    return rules


def _rule(row_no: int, row: dict) -> Rule:
    name, files = row["variable"], row["files"]
    if not name or not files:
        raise ValueError(f"Variables table, row {row_no}: give the variable's name and its file patterns")
    if not re.fullmatch(r"[A-Za-z0-9_\-]+", name):
        raise ValueError(
            f"Variables table, row {row_no}: the name '{name}' names the output file; use letters, digits, _ or -"
        )
    step = row["time step"].lower().replace("→", " ").replace("-", " ")
    step = " ".join(step.split())
    if step not in _AUTO and step not in _STEP_WORDS:
        raise ValueError(
            f"Variables table, row {row_no} ({name}): time step '{row['time step']}' is not one of yearly, monthly "
            "sum, monthly mean, static (or empty to detect)"
        )
    resampling = row["resampling"].lower()
    if resampling not in _AUTO and resampling not in RESAMPLING:
        raise ValueError(
            f"Variables table, row {row_no} ({name}): resampling '{row['resampling']}' is not one of "
            f"{', '.join(RESAMPLING)} (or empty to detect)"
        )
    months = _number(row_no, "min months", row["min months"])
    if months is not None and (months != int(months) or not 1 <= months <= 12):
        raise ValueError(f"Variables table, row {row_no} ({name}): min months must be a whole number 1–12")
    return Rule(
        name=name,
        files=files,
        time_step=None if step in _AUTO else _STEP_WORDS[step],
        resampling=None if resampling in _AUTO else resampling,
        scale=_number(row_no, "scale", row["scale"]),
        offset=_number(row_no, "offset", row["offset"]),
        valid_min=_number(row_no, "valid min", row["valid min"]),
        valid_max=_number(row_no, "valid max", row["valid max"]),
        min_months=None if months is None else int(months),
        nodata=_number(row_no, "nodata", row["nodata"]),
    )


def name_stem(file_name: str) -> str:
    """A variable's name from a file name: the extension and the date left out.

    >>> name_stem("npp_2003.tif"), name_stem("pr_2003_07.nc"), name_stem("MOD17A3HGF.A2003001.h26v05.061.hdf")
    ('npp', 'pr', 'MOD17A3HGF_h26v05_061')
    >>> name_stem("co_elevation.tif"), name_stem("MCD12C1_2019_colorado.tif")
    ('co_elevation', 'MCD12C1_colorado')
    """
    base = os.path.basename(file_name)
    for ext in (".tif", ".tiff", ".nc", ".nc4", ".hdf", ".h5", ".he5", ".vrt", ".img", ".asc"):
        if base.lower().endswith(ext):
            base = base[: -len(ext)]
            break
    base = years.without_dates(base)
    base = re.sub(r"[^A-Za-z0-9\-]+", "_", base).strip("_-")
    return base or "variable"


def _matches(rule: Rule, file_name: str):
    """The data variables of ``rule`` a file gives: [] if none, else [''] (the file) or ['<var>']."""
    found = []
    for part in (p.strip() for p in rule.files.split(";")):
        if not part:
            continue
        glob, _, var = part.partition(":")
        if fnmatch.fnmatch(file_name.lower(), glob.strip().lower()):
            found.append(var.strip())
    return list(dict.fromkeys(found))  # a file two patterns of one rule match is taken once


def plan_variables(
    files: Sequence[str], rules: Sequence[Rule] = (), layer_names: Sequence[str] | None = None
) -> tuple[list[Plan], list[str]]:
    """Group downloaded files into variables and choose how to prepare each.

    With ``rules``, each rule's files (matched by name, a data variable picked from netCDF/HDF files)
    make its variable, and files no rule takes are left out (listed in the notes). Without, every data
    variable of every file is a variable named after it: the netCDF/HDF variable's name, else the file
    name without its date (npp_2001.tif … npp_2024.tif are the variable 'npp').

    Settings a rule leaves empty are detected from the files: one undated band is static; monthly
    dates (several months of a year) are aggregated to an annual sum for precipitation (named pr,
    ppt, prcp, precip…, rain…, tp, ap) and to an annual mean otherwise; class rasters (a colour table,
    category names or an attribute table, or integer values with a class-like name: land use, land
    cover, lc, igbp, zone, ecosystem, class…) are resampled by mode, everything else by average. The
    notes say what was detected and why.

    Returns
    -------
    (plans, notes)

    Raises
    ------
    RasterInputError
        Naming the file: a file two variables claim, a netCDF/HDF file with several data variables and
        no variable named, a variable named in a pattern that the file lacks, a rule that takes no file.
    """
    names = list(layer_names) if layer_names else [netcdf.display_name(f) for f in files]
    groups: dict[str, tuple[Rule | None, list[str], list[str]]] = {}
    notes: list[str] = []
    if rules:
        _group_by_rules(files, names, rules, groups, notes)
    else:
        _group_by_names(files, names, groups)
    plans = [_plan(name, rule, sources, layers) for name, (rule, sources, layers) in groups.items()]
    return plans, notes


def _group_by_rules(files, names, rules, groups, notes):
    claimed: dict[str, str] = {}
    unused: list[str] = []
    for rule in rules:
        groups[rule.name] = (rule, [], [])
    for path, layer in zip(files, names):
        file_name = os.path.basename(netcdf.file_of(path))
        taken = False
        for rule in rules:
            for var in _matches(rule, file_name):
                source = _pick_variable(path, var, layer, rule.name)
                if source in claimed:
                    raise RasterInputError(
                        f"'{layer}' ({netcdf.file_of(path)}) is taken by two variables, {claimed[source]} and "
                        f"{rule.name}; narrow their file patterns so that each file belongs to one"
                    )
                claimed[source] = rule.name
                groups[rule.name][1].append(source)
                groups[rule.name][2].append(netcdf.display_name(source) if var else layer)
                taken = True
        if not taken:
            unused.append(layer)
    if unused:
        shown = ", ".join(unused[:5]) + (f" and {len(unused) - 5} more" if len(unused) > 5 else "")
        notes.append(f"{len(unused)} file(s) match no variable of the table and are not used: {shown}.")
    for rule in rules:
        if not groups[rule.name][1]:
            raise RasterInputError(
                f"{rule.name}: no input file matches its file patterns '{rule.files}'; check the patterns (file "
                "names, separated by ';', e.g. npp_*.tif;MOD17A3*.hdf:Npp_500m)"
            )


def _pick_variable(path, var, layer, variable):
    """What GDAL reads for data variable ``var`` of file ``path`` ('' : the file's only one)."""
    try:
        if var:
            return netcdf.subdataset(path, var, layer)
        return netcdf.resolve_source(path, layer)
    except ValueError as exc:
        raise RasterInputError(
            f"{variable}: {exc}" + ("" if var else " (or name it in the table: files *.nc:<variable>)")
        ) from exc


def _group_by_names(files, names, groups):
    for path, layer in zip(files, names):
        for source in netcdf.data_variables(path):
            name = netcdf.variable_name(source) or _netcdf_varname(source) or name_stem(netcdf.file_of(path))
            name = re.sub(r"[^A-Za-z0-9\-]+", "_", name).strip("_") or "variable"
            key = next((k for k in groups if k.lower() == name.lower()), name)
            groups.setdefault(key, (None, [], []))
            groups[key][1].append(source)
            groups[key][2].append(netcdf.display_name(source) if source != path else layer)


def _netcdf_varname(source):
    """The netCDF variable a one-variable netCDF file holds (GDAL's NETCDF_VARNAME), else ''."""
    with contextlib.suppress(RuntimeError, RasterInputError):
        ds = _open(source, source)
        return (ds.GetRasterBand(1).GetMetadata() or {}).get("NETCDF_VARNAME", "")
    return ""


def _plan(name, rule, sources, layers) -> Plan:
    """The settings of one variable: the rule's, the rest detected from its files."""
    rule = rule or Rule(name, "")
    notes = []
    step = rule.time_step
    if step is None:
        step, why = _detect_time_step(name, sources, layers)
        notes.append(f"{name}: time step {step.replace('_', ' ')} (detected: {why}).")
    resampling = rule.resampling
    if resampling is None:
        resampling, why = _detect_resampling(name, sources[0], layers[0])
        notes.append(f"{name}: resampling {resampling} (detected: {why}).")
    variable = Variable(
        name=name,
        resampling=resampling,
        time_step=step,
        scale=rule.scale,
        offset=rule.offset,
        valid_min=rule.valid_min,
        valid_max=rule.valid_max,
        nodata=rule.nodata,
        min_months=rule.min_months or 12,
    )
    return Plan(variable, list(sources), list(layers), notes)


def _detect_time_step(name, sources, layers):
    bands = []
    for source, layer in zip(sources, layers):
        try:
            bands += source_bands(source, layer, monthly=True)
        except RasterInputError as exc:
            raise RasterInputError(f"{name}: {exc}") from exc
    if len(bands) == 1 and bands[0].year is None:
        return "static", "one band without a date"
    months: dict = {}
    for b in bands:
        if b.year is not None and b.month is not None:
            months.setdefault(b.year, set()).add(b.month)
    monthly = all(b.month is not None for b in bands) and any(len(m) > 1 for m in months.values())
    if not monthly:
        return "yearly", f"{len(bands)} band(s), one per year"
    if _PRECIPITATION.search(name.lower()):
        return "monthly_sum", f"monthly bands; '{name}' is named as precipitation, so the annual sum"
    return "monthly_mean", (
        f"monthly bands; '{name}' is not named as precipitation, so the annual mean (give 'monthly sum' in the "
        "table for a total)"
    )


def _detect_resampling(name, source, layer):
    ds = _open(source, layer)
    band = ds.GetRasterBand(1)
    if band.GetColorTable() is not None:
        return "mode", "a class raster: it has a colour table"
    if band.GetCategoryNames():
        return "mode", "a class raster: it has category names"
    if band.GetDefaultRAT() is not None and band.GetDefaultRAT().GetRowCount() > 0:
        return "mode", "a class raster: it has an attribute table"
    integer = band.DataType in (
        gdal.GDT_Byte,
        gdal.GDT_UInt16,
        gdal.GDT_Int16,
        gdal.GDT_UInt32,
        gdal.GDT_Int32,
    )
    scaled = (band.GetScale() not in (None, 1.0)) or (band.GetOffset() not in (None, 0.0))
    if integer and not scaled and _CLASSES.search(f"{name} {layer}".lower()):
        return "mode", f"integer values and a class-like name ('{name}')"
    return "average", "continuous values"


@dataclass
class Prepared:
    """One variable of :func:`prepare_plans`: its plan, its stack, what was done, single-year rasters."""

    plan: Plan
    spec: OutputSpec
    report: PrepareReport
    year_specs: list = field(default_factory=list)


def prepare_plans(
    plans: Sequence[Plan],
    grid: Grid,
    folder: str,
    mask: np.ndarray | None = None,
    year_rasters: Sequence[int] = (),
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    memory_mb: float = 512,
    dated: Sequence[Sequence[SourceBand]] | None = None,
) -> tuple[list[Prepared], list[OutputSpec]]:
    """Prepare every variable of ``plans`` on one grid and one mask: ``<folder>/<variable>.tif`` each.

    Every variable's files are dated and checked before anything is warped, so a bad input stops the
    run at once, naming the file. For each year of ``year_rasters`` a yearly variable also gets
    ``<folder>/<variable>_<year>.tif``, that year's band alone (e.g. the factors of the survey year,
    whose names, NPP_2024, the model matches to the stacks).

    Parameters
    ----------
    plans : sequence of Plan
        From :func:`plan_variables`.
    grid : Grid
        The grid of every output.
    folder : str
        Where the outputs are written.
    mask : numpy.ndarray of bool, optional
        Pixels kept (:func:`study_mask`); None keeps every pixel.
    year_rasters : sequence of int
        Years also written as single-band rasters.
    progress, is_cancelled, memory_mb
        As for :func:`prepare_variable`.
    dated : sequence of lists of SourceBand, optional
        The bands of each plan as :func:`date_sources` gave them (to date them once); None dates them here.

    Returns
    -------
    (prepared, specs)
        Per variable, what was done; every written output, not yet committed
        (:func:`core.engine.raster.commit_output`). On any failure nothing is left behind.

    Raises
    ------
    RasterInputError
        As :func:`date_sources` and :func:`prepare_variable`, naming the variable and the file; two
        variables whose output files would have the same name.
    """
    if not plans:
        raise RasterInputError("No variable to prepare: no input file was found or matched")
    taken: dict[str, str] = {}
    for plan in plans:
        key = plan.file_name.lower()
        if key in taken:
            raise RasterInputError(
                f"The variables '{taken[key]}' and '{plan.variable.name}' would both be written to "
                f"{plan.file_name}; rename one in the table of variables"
            )
        taken[key] = plan.variable.name
    if dated is None:
        dated = [date_sources(plan.variable, plan.sources, plan.layers) for plan in plans]
    dated = list(zip(plans, dated))
    specs: list[OutputSpec] = []
    prepared: list[Prepared] = []
    ok = False
    try:
        for i, (plan, bands) in enumerate(dated):

            def step(p, i=i):
                if progress is not None:
                    progress((100.0 * i + p) / len(dated))

            out = os.path.join(folder, plan.file_name)
            spec, report = prepare_variable(
                plan.variable, bands, grid, out, mask, step, is_cancelled, memory_mb
            )
            specs.append(spec)
            item = Prepared(plan, spec, report)
            item.year_specs = _year_rasters(item, grid, folder, year_rasters)
            specs += item.year_specs
            prepared.append(item)
        ok = True
        return prepared, specs
    finally:
        if not ok:
            for spec in specs:
                discard_output(spec)


def _year_rasters(item: Prepared, grid: Grid, folder: str, years_wanted: Sequence[int]) -> list[OutputSpec]:
    """``<variable>_<year>.tif`` for each wanted year the variable has; a warning for those it lacks."""
    variable, report = item.plan.variable, item.report
    if variable.time_step == "static" or not years_wanted:
        return []
    out = []
    src = gdal.Open(item.spec.tmp_path)
    for year in years_wanted:
        if year not in report.years:
            report.warnings.append(
                f"{variable.name}: no band for {year} (its years: {', '.join(map(str, report.years))}), so "
                f"{variable.name}_{year}.tif is not written."
            )
            continue
        spec = OutputSpec(
            key=f"{variable.name}_{year}",
            path=os.path.join(folder, f"{variable.name}_{year}.tif"),
            description=str(year),
            name=f"{variable.name}_{year}",
        )
        ds = create_output(spec, grid)
        out.append(spec)
        ds.GetRasterBand(1).WriteArray(src.GetRasterBand(report.years.index(year) + 1).ReadAsArray())
        ds = None
    src = None
    return out

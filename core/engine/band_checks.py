"""Read-only checks that an input raster can play its role: class raster or continuous values, any usable pixel.

An algorithm that takes, say, a Sen slope and a Hurst exponent cannot tell from the grid alone that the
user gave them the other way round, or gave the trend *class* raster where the slope was meant; the result
would be a plausible-looking but wrong map. These helpers look at what GDAL stores with the band (colour
table, category names, description) and, where needed, at the values, reading window by window with
:func:`core.engine.raster.read_window` and stopping as soon as the answer is known.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from osgeo import gdal

from . import raster

__all__ = ["BandInfo", "any_pixel", "band_info", "integer_codes"]


@dataclass(frozen=True)
class BandInfo:
    """What GDAL stores with the first band of a one-band stack."""

    layer: str
    description: str
    data_type: str
    #: the band has a colour table or category names: it holds classes
    has_classes: bool


def band_info(stack: raster.Stack) -> BandInfo:
    """The description, data type and class metadata (colour table, category names) of the first band.

    GeoTIFF keeps category names in the ``.aux.xml`` beside the file, which GDAL loads lazily: the band's
    metadata is asked for first so that they are seen.
    """
    ref = stack.bands[0]
    ds = gdal.Open(ref.path, gdal.GA_ReadOnly)
    band = ds.GetRasterBand(ref.band)
    band.GetMetadata()
    names = [n for n in (band.GetCategoryNames() or []) if n]
    table = band.GetColorTable()
    return BandInfo(
        layer=ref.layer,
        description=band.GetDescription() or "",
        data_type=gdal.GetDataTypeName(band.DataType),
        has_classes=bool(names) or (table is not None and table.GetCount() > 0),
    )


def integer_codes(
    stack: raster.Stack, max_codes: int = 32, memory_mb: float = 64.0, is_cancelled=None
) -> tuple[int, ...] | None:
    """The distinct values of a band if they look like class codes, else None.

    Parameters
    ----------
    stack : core.engine.raster.Stack
        A one-band stack (e.g. from :func:`core.engine.raster.open_band`).
    max_codes : int, default 32
        More distinct values than this is not a class raster.
    memory_mb : float, default 64
        Budget of one read window.
    is_cancelled : callable, optional
        Checked before each window; :class:`core.engine.raster.Cancelled` is raised when it returns True.

    Returns
    -------
    tuple of int or None
        The sorted distinct values when every valid value is a whole number and there are at most
        ``max_codes`` of them (an all-nodata band gives ``()``); None as soon as a fractional value or one
        code too many is seen, which for a continuous raster is usually in the first window read.
    """
    if max_codes < 1:
        raise ValueError(f"max_codes must be at least 1; got {max_codes}")
    grid = stack.grid
    codes: set[float] = set()
    handles: dict[str, object] = {}
    try:
        for window in raster.plan_windows(grid.xsize, grid.ysize, 8.0, memory_mb):
            if is_cancelled is not None and is_cancelled():
                raise raster.Cancelled()
            block = raster.read_window(stack, window, handles)[0]
            values = block[~np.isnan(block)]
            if values.size == 0:
                continue
            if np.any(values != np.round(values)):
                return None
            codes.update(np.unique(values).tolist())
            if len(codes) > max_codes:
                return None
    finally:
        handles.clear()
    return tuple(int(c) for c in sorted(codes))


def any_pixel(stack: raster.Stack, test, memory_mb: float = 64.0, is_cancelled=None) -> bool:
    """Whether any pixel of ``stack`` passes ``test``, reading window by window until one does.

    Parameters
    ----------
    stack : core.engine.raster.Stack
        Any stack (all its bands are read).
    test : callable
        ``test(values) -> bool array`` for ``values`` of shape ``(n_bands, n_pixels)``, float with NaN for
        nodata (as the kernels of :func:`core.engine.raster.run_pixelwise` receive them).
    memory_mb : float, default 64
        Budget of one read window.
    is_cancelled : callable, optional
        Checked before each window; :class:`core.engine.raster.Cancelled` is raised when it returns True.

    Returns
    -------
    bool
        True at the first window holding a passing pixel (for usable data, usually the first window with
        data); False only after the whole raster was read. An algorithm can so refuse an input none of
        whose pixels it could compute, before writing an output that would be all nodata.
    """
    grid = stack.grid
    handles: dict[str, object] = {}
    try:
        for window in raster.plan_windows(grid.xsize, grid.ysize, 4.0 * len(stack) + 16.0, memory_mb):
            if is_cancelled is not None and is_cancelled():
                raise raster.Cancelled()
            block = raster.read_window(stack, window, handles)
            if np.any(test(block.reshape(block.shape[0], -1))):
                return True
    finally:
        handles.clear()
    return False

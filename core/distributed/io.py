"""Chunk input and output through ``osgeo.gdal``: reads per chunk, one tile file per chunk, COG at the end.

Reading goes through :func:`core.engine.raster.read_window`, the plugin's own reader, so nodata, NaN,
scale and offset become NaN exactly as in the single-machine run. A *halo* (for the neighbour lag of
LISA-type steps) is read directly as a larger window, clipped at the raster's edge and padded with NaN —
no ``map_overlap``, no exchange between tasks.

Writing is lock-free: each chunk of each output goes to its own small GeoTIFF in a *parts* folder beside
the destination, written under a temporary name and renamed, so any number of worker processes (or
machines sharing the folder) write at once, and a task that is run twice (a lost worker) writes the
same file again. :func:`finish_output` then mosaics the parts with a VRT and copies it with
``gdal.Translate`` into a Cloud Optimized GeoTIFF at a temporary path beside the destination, with the
CRS, nodata, band descriptions, colour table and category names the plugin's GeoTIFF carries, moves it
into place and writes the sidecar ``.qml`` style the plugin writes (:mod:`core.common.style`).
"""

from __future__ import annotations

import contextlib
import os
import shutil

import numpy as np
from osgeo import gdal

from ..common import files
from ..common.classes import CLASS_NODATA
from ..engine import raster

gdal.UseExceptions()

# The parts are read once, by the VRT: fast to write, LZW-free.
_PART_OPTIONS = ("TILED=NO", "COMPRESS=NONE", "BIGTIFF=IF_SAFER")
# The finished output: the plugin's compression (DEFLATE level 1 with a predictor), tiles of 256 px.
# NUM_THREADS: the tiles are compressed on every core of the process that finishes the output.
_COG_OPTIONS = (
    "COMPRESS=DEFLATE",
    "LEVEL=1",
    "BLOCKSIZE=256",
    "BIGTIFF=IF_SAFER",
    "OVERVIEWS=AUTO",
    "NUM_THREADS=ALL_CPUS",
)


def read_chunk(stack: raster.Stack, window, handles: dict, halo: int = 0) -> np.ndarray:
    """The bands of ``stack`` over ``window`` ``(col0, row0, ncols, nrows)``, grown by ``halo`` pixels.

    Returns ``(n_bands, nrows + 2·halo, ncols + 2·halo)`` with NaN for nodata and for the halo beyond
    the raster's edge; the window itself sits at ``[:, halo:-halo, halo:-halo]``.
    """
    col0, row0, ncols, nrows = window
    if halo <= 0:
        return raster.read_window(stack, window, handles)
    grid = stack.grid
    c0, r0 = max(0, col0 - halo), max(0, row0 - halo)
    c1, r1 = min(grid.xsize, col0 + ncols + halo), min(grid.ysize, row0 + nrows + halo)
    inner = raster.read_window(stack, (c0, r0, c1 - c0, r1 - r0), handles)
    out = np.full((inner.shape[0], nrows + 2 * halo, ncols + 2 * halo), np.nan, dtype=inner.dtype)
    out[:, r0 - (row0 - halo) : r1 - (row0 - halo), c0 - (col0 - halo) : c1 - (col0 - halo)] = inner
    return out


def parts_folder(spec: raster.OutputSpec) -> str:
    """A new hidden folder beside ``spec.path`` for the chunk files of that output."""
    folder = files.temporary_sibling(spec.path, tag="parts")
    os.makedirs(folder)
    return folder


def _gdal_type(spec):
    return gdal.GDT_Byte if spec.dtype == "uint8" else gdal.GDT_Float32


def write_part(folder: str, name: str, spec: raster.OutputSpec, grid: raster.Grid, window, values) -> str:
    """Write one chunk of an output, ``values`` ``(n_bands, nrows, ncols)``, to its own file in ``folder``.

    The file is georeferenced at the chunk's place in ``grid`` and carries the output's nodata; it is
    written under a temporary name and renamed, so a reader never sees half a chunk. Returns its path.
    """
    col0, row0, ncols, nrows = window
    path = os.path.join(folder, name + ".tif")
    tmp = files.temporary_sibling(path)
    x0, dx, rx, y0, ry, dy = grid.geotransform
    ds = gdal.GetDriverByName("GTiff").Create(
        tmp, ncols, nrows, values.shape[0], _gdal_type(spec), list(_PART_OPTIONS)
    )
    try:
        ds.SetGeoTransform((x0 + col0 * dx + row0 * rx, dx, rx, y0 + col0 * ry + row0 * dy, ry, dy))
        if grid.crs_wkt:
            ds.SetProjection(grid.crs_wkt)
        for b in range(values.shape[0]):
            band = ds.GetRasterBand(b + 1)
            band.SetNoDataValue(spec.nodata)
            band.WriteArray(values[b])
        ds.FlushCache()
    finally:
        ds = None
    os.replace(tmp, path)
    return path


def finish_output(
    spec: raster.OutputSpec, grid: raster.Grid, folder: str, part_names, qml: str | None
) -> str:
    """Mosaic the chunk files of ``spec`` into a COG at ``spec.path``, with its style; remove the parts.

    The COG is written beside the destination and moved into place only when complete, with the
    ``.aux.xml`` (category names) and the ``.qml`` style; whatever was at the destination before is
    replaced only then.
    """
    parts = [os.path.join(folder, n + ".tif") for n in part_names]
    vrt_path = os.path.join(folder, "mosaic.vrt")
    x0, dx, _, y0, _, dy = grid.geotransform
    bounds = (x0, y0 + grid.ysize * dy, x0 + grid.xsize * dx, y0) if dy < 0 else None
    vrt = gdal.BuildVRT(vrt_path, parts, outputBounds=bounds, srcNodata=spec.nodata, VRTNodata=spec.nodata)
    try:
        if grid.crs_wkt:
            vrt.SetProjection(grid.crs_wkt)
        for i, text in enumerate(spec.band_descriptions or (spec.description,)):
            band = vrt.GetRasterBand(i + 1)
            band.SetNoDataValue(spec.nodata)
            band.SetDescription(text)
        if spec.scheme is not None:
            vrt.GetRasterBand(1).SetColorTable(_colour_table(spec.scheme))
        vrt.FlushCache()
    finally:
        vrt = None
    tmp = files.temporary_sibling(spec.path)
    options = [*_COG_OPTIONS, "PREDICTOR=YES"]
    options.append("RESAMPLING=NEAREST" if spec.scheme is not None else "RESAMPLING=AVERAGE")
    try:
        gdal.Translate(tmp, vrt_path, format="COG", creationOptions=options)
        if spec.scheme is not None:
            ds = gdal.Open(tmp)  # category names live in the .aux.xml, as in the plugin's GeoTIFF
            ds.GetRasterBand(1).SetCategoryNames(_category_names(spec.scheme))
            ds = None
        _move_into_place(tmp, spec.path, qml)
    except (RuntimeError, OSError) as exc:
        raise raster.RasterInputError(f"{spec.label} cannot be written: {exc}") from exc
    finally:
        for p in (tmp, tmp + ".aux.xml"):
            with contextlib.suppress(OSError):
                if os.path.exists(p):
                    os.remove(p)
    shutil.rmtree(folder, ignore_errors=True)
    return spec.path


def _move_into_place(tmp, path, qml):
    os.replace(tmp, path)
    aux = path + ".aux.xml"
    if os.path.exists(tmp + ".aux.xml"):
        os.replace(tmp + ".aux.xml", aux)
    elif os.path.exists(aux):
        os.remove(aux)  # it would describe the old file
    qml_path = os.path.splitext(path)[0] + ".qml"
    if qml is not None:
        files.write_text(qml_path, qml)


def _colour_table(scheme):
    table = gdal.ColorTable()
    for c in scheme.classes:
        h = c.color.lstrip("#")
        table.SetColorEntry(c.code, tuple(int(h[i : i + 2], 16) for i in (0, 2, 4)) + (255,))
    table.SetColorEntry(CLASS_NODATA, (0, 0, 0, 0))
    return table


def _category_names(scheme):
    names = [""] * (max(scheme.codes) + 1)
    for c in scheme.classes:
        names[c.code] = c.name
    return names


def finish_task(item, grid, part_names):
    """:func:`finish_output` of one ``(spec, folder, qml)``: one task per output, run where the client says."""
    spec, folder, qml = item
    return finish_output(spec, grid, folder, part_names, qml)


def discard(folder: str) -> None:
    """Remove a parts folder (a failed or cancelled job)."""
    shutil.rmtree(folder, ignore_errors=True)

"""Tiled test stacks for the distributed runner, and a reader of its outputs (GDAL only)."""

import numpy as np
from osgeo import gdal, osr

from core.demo.sample_stack import make_sample_stack

gdal.UseExceptions()
YEARS = tuple(range(2001, 2025))


def write_tiled_stack(path, rows=300, cols=280, block=128, seed=7, nodata=-9999.0):
    """A yearly carbon-density stack (24 bands) as a tiled GeoTIFF, with holes and missing years."""
    values, _ = make_sample_stack(rows=rows, cols=cols, seed=seed)
    rng = np.random.default_rng(seed)
    values[rng.random(values.shape) < 0.05] = np.nan  # scattered missing years
    values[:, :20, :35] = values[0, 50, 60]  # a constant corner: ties, S = 0
    ds = gdal.GetDriverByName("GTiff").Create(
        str(path),
        cols,
        rows,
        len(YEARS),
        gdal.GDT_Float32,
        ["TILED=YES", f"BLOCKXSIZE={block}", f"BLOCKYSIZE={block}", "COMPRESS=DEFLATE"],
    )
    ds.SetGeoTransform((560000.0, 30.0, 0.0, 4250000.0, 0.0, -30.0))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32648)
    ds.SetProjection(srs.ExportToWkt())
    for i, year in enumerate(YEARS):
        band = ds.GetRasterBand(i + 1)
        band.SetNoDataValue(nodata)
        band.SetDescription(str(year))
        band.WriteArray(np.where(np.isnan(values[i]), nodata, values[i]).astype(np.float32))
    ds = None
    return str(path)


def pixels(path):
    """The stored pixels of every band, as stored (no nodata conversion): ``(bands, rows, cols)``."""
    ds = gdal.Open(str(path))
    arr = ds.ReadAsArray()
    return arr.reshape(ds.RasterCount, ds.RasterYSize, ds.RasterXSize)


def metadata(path):
    """What a reader sees besides the pixels: CRS, geotransform, nodata, descriptions, colours, categories."""
    ds = gdal.Open(str(path))
    bands = [ds.GetRasterBand(i + 1) for i in range(ds.RasterCount)]
    table = bands[0].GetColorTable()
    return {
        "crs": osr.SpatialReference(ds.GetProjection()).GetAuthorityCode(None),
        "geotransform": ds.GetGeoTransform(),
        "nodata": [b.GetNoDataValue() for b in bands],
        "descriptions": [b.GetDescription() for b in bands],
        "type": bands[0].DataType,
        "colours": None
        if table is None
        else [table.GetColorEntry(i) for i in range(min(8, table.GetCount()))],
        "categories": bands[0].GetCategoryNames(),
    }

"""Small GeoTIFFs for the tests, written and read with GDAL."""

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()


def write_raster(
    path,
    data,
    *,
    epsg=32648,
    geotransform=(560000.0, 30.0, 0.0, 4250000.0, 0.0, -30.0),
    nodata=-9999.0,
    descriptions=None,
    dtype=gdal.GDT_Float32,
):
    """Write a (bands, rows, cols) or (rows, cols) array as a GeoTIFF; NaN becomes ``nodata``."""
    data = np.asarray(data, dtype=float)
    if data.ndim == 2:
        data = data[None]
    bands, rows, cols = data.shape
    ds = gdal.GetDriverByName("GTiff").Create(str(path), cols, rows, bands, dtype)
    ds.SetGeoTransform(geotransform)
    if epsg is not None:
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(epsg)
        ds.SetProjection(srs.ExportToWkt())
    for i in range(bands):
        band = ds.GetRasterBand(i + 1)
        if nodata is not None:
            band.SetNoDataValue(nodata)
        if descriptions:
            band.SetDescription(str(descriptions[i]))
        band.WriteArray(np.where(np.isnan(data[i]), nodata if nodata is not None else np.nan, data[i]))
    ds = None
    return str(path)


def read_raster(path):
    ds = gdal.Open(str(path))
    arr = ds.ReadAsArray().astype(float)
    nodata = ds.GetRasterBand(1).GetNoDataValue()
    if nodata is not None:
        arr[arr == nodata] = np.nan
    return arr

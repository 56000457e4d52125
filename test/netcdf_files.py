"""Small CF-netCDF files for the tests, written with GDAL's multidimensional API (no netCDF4 needed)."""

import numpy as np
from osgeo import gdal

gdal.UseExceptions()


def _attr(array, name, value):
    if isinstance(value, str):
        a = array.CreateAttribute(name, [], gdal.ExtendedDataType.CreateString())
    else:
        a = array.CreateAttribute(name, [], gdal.ExtendedDataType.Create(gdal.GDT_Float64))
    a.Write(value)


def write_cf(
    path,
    data,
    times,
    units,
    calendar="standard",
    var="pr",
    x0=100.0,
    y0=40.0,
    step=0.1,
    nodata=-9999.0,
    extra_vars=(),
    time_name="time",
):
    """Write ``data`` (time, lat, lon) as a CF-netCDF variable ``var`` on a north-up lon/lat grid.

    The grid's upper-left corner is (``x0``, ``y0``) in degrees, pixels ``step`` wide; NaN is written as
    ``nodata`` (the variable's _FillValue). ``extra_vars`` adds more data variables of the same shape.
    Returns ``path``.
    """
    data = np.asarray(data, dtype="f4")
    nt, ny, nx = data.shape
    ds = gdal.GetDriverByName("netCDF").CreateMultiDimensional(str(path))
    rg = ds.GetRootGroup()
    tdim = rg.CreateDimension(time_name, "TEMPORAL", None, nt)
    ydim = rg.CreateDimension("lat", "HORIZONTAL_Y", None, ny)
    xdim = rg.CreateDimension("lon", "HORIZONTAL_X", None, nx)
    f64 = gdal.ExtendedDataType.Create(gdal.GDT_Float64)
    t = rg.CreateMDArray(time_name, [tdim], f64)
    t.Write(np.asarray(times, dtype="f8"))
    for k, v in (("units", units), ("calendar", calendar), ("standard_name", "time"), ("axis", "T")):
        if v is not None:
            _attr(t, k, v)
    y = rg.CreateMDArray("lat", [ydim], f64)
    y.Write(y0 - step * (np.arange(ny) + 0.5))
    _attr(y, "units", "degrees_north")
    _attr(y, "standard_name", "latitude")
    x = rg.CreateMDArray("lon", [xdim], f64)
    x.Write(x0 + step * (np.arange(nx) + 0.5))
    _attr(x, "units", "degrees_east")
    _attr(x, "standard_name", "longitude")
    for name in (var, *extra_vars):
        v = rg.CreateMDArray(name, [tdim, ydim, xdim], gdal.ExtendedDataType.Create(gdal.GDT_Float32))
        v.SetNoDataValueDouble(nodata)
        v.Write(np.where(np.isnan(data), nodata, data).astype("f4"))
    ds = None
    return str(path)

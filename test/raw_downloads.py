"""Synthetic "downloads" as a user gets them, made from a region's aligned rasters (the demo region's):
mixed formats, CRSs, resolutions, scalings and time steps on purpose, so that preparing them is a real
test of alignment (issue 13).

- NPP as MODIS MOD17A3 tiles (``MOD17A3HGF.A<year>001.h26v05.061.tif``): Int16, scale 0.1 (stored in
  0.1 g C/m²), fill codes 32761–32767 and no GDAL nodata, only a CF-style ``valid_range`` 0–32700 in the
  band metadata, on the MODIS sinusoidal grid at 500 m;
- NDVI as one CF-netCDF with a time axis (``ndvi_yearly.nc``): Int16, scale_factor 0.0001, _FillValue
  -3000, valid_range -2000–10000, lon/lat 0.004°, no CRS declared;
- monthly precipitation and temperature as CF-netCDF (``pr_monthly.nc``: mm per month;
  ``tas_monthly.nc``: °C), lon/lat 0.01°, ``days since 2000-01-01``;
- a DEM in WGS 84 at 0.002° (``srtm_dem.tif``);
- land use at two dates at 50 m in Web Mercator (``landuse_<year>.tif``, Byte with a colour table), and
  the climate zones and ecosystem types (``climate_zone.tif``, ``ecosystem_type.tif``) in WGS 84.
"""

import os

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()
SINUSOIDAL = "+proj=sinu +lon_0=0 +x_0=0 +y_0=0 +R=6371007.181 +units=m +no_defs"
FILL = 32767


def _warp(src, dst_srs, res, alg, nodata=None):
    """``src`` warped to ``dst_srs`` at ``res`` (float32 MEM, NaN where no data)."""
    return gdal.Warp(
        "",
        src,
        format="MEM",
        dstSRS=dst_srs,
        xRes=res,
        yRes=res,
        resampleAlg=alg,
        srcNodata=nodata,
        dstNodata=np.nan if alg != "near" else 0,
        outputType=gdal.GDT_Float32 if alg != "near" else gdal.GDT_Byte,
        targetAlignedPixels=True,
    )


def _band_source(path, band):
    return gdal.Translate("", path, format="VRT", bandList=[band])


def _copy_as(path, mem, dtype, values, nodata=None, color_of=None, metadata=None, scale=None):
    drv = gdal.GetDriverByName("GTiff")
    ds = drv.Create(path, mem.RasterXSize, mem.RasterYSize, 1, dtype, ["COMPRESS=DEFLATE"])
    ds.SetGeoTransform(mem.GetGeoTransform())
    ds.SetProjection(mem.GetProjection())
    band = ds.GetRasterBand(1)
    if nodata is not None:
        band.SetNoDataValue(nodata)
    if scale is not None:
        band.SetScale(scale)
    for k, v in (metadata or {}).items():
        band.SetMetadataItem(k, v)
    if color_of is not None:
        src = gdal.Open(color_of)  # kept open while its colour table is used
        table = src.GetRasterBand(1).GetColorTable()
        if table is not None:
            band.SetColorTable(table.Clone())
        src = None
    band.WriteArray(values)
    ds = None
    return path


def modis_npp(region, out, years):
    """One MOD17A3-like tile per year; returns the paths."""
    paths = []
    for i, year in enumerate(years):
        mem = _warp(
            _band_source(os.path.join(region, "NPP.tif"), i + 1), SINUSOIDAL, 500.0, "average", -9999.0
        )
        v = mem.ReadAsArray()
        stored = np.where(np.isfinite(v), np.round(v / 0.1), FILL).astype(np.int16)
        stored[0, : min(3, stored.shape[1])] = 32761  # more fill codes: "water"
        path = os.path.join(out, f"MOD17A3HGF.A{year}001.h26v05.061.tif")
        _copy_as(path, mem, gdal.GDT_Int16, stored, metadata={"valid_range": "0, 32700"}, scale=0.1)
        paths.append(path)
    return paths


def _lonlat(region, name, step, years_or_months, value_of, alg="average"):
    """(data (n, ny, nx), x0, y0) of the region's raster(s) on a lon/lat grid of ``step`` degrees."""
    arrays = []
    x0 = y0 = None
    for band in years_or_months:
        mem = _warp(_band_source(os.path.join(region, name), band), "EPSG:4326", step, alg, -9999.0)
        gt = mem.GetGeoTransform()
        x0, y0 = gt[0], gt[3]
        arrays.append(value_of(mem.ReadAsArray(), band))
    return np.stack(arrays), x0, y0


def _write_nc(path, var, data, times, units, x0, y0, step, dtype=gdal.GDT_Float32, attrs=None, fill=-9999.0):
    ds = gdal.GetDriverByName("netCDF").CreateMultiDimensional(path)
    rg = ds.GetRootGroup()
    nt, ny, nx = data.shape
    tdim = rg.CreateDimension("time", "TEMPORAL", None, nt)
    ydim = rg.CreateDimension("lat", "HORIZONTAL_Y", None, ny)
    xdim = rg.CreateDimension("lon", "HORIZONTAL_X", None, nx)
    f64 = gdal.ExtendedDataType.Create(gdal.GDT_Float64)

    def attr(array, name, value, kind=f64, shape=()):
        a = array.CreateAttribute(name, list(shape), kind)
        a.Write(value)

    t = rg.CreateMDArray("time", [tdim], f64)
    t.Write(np.asarray(times, dtype="f8"))
    attr(t, "units", units, gdal.ExtendedDataType.CreateString())
    attr(t, "calendar", "standard", gdal.ExtendedDataType.CreateString())
    y = rg.CreateMDArray("lat", [ydim], f64)
    y.Write(y0 - step * (np.arange(ny) + 0.5))
    attr(y, "units", "degrees_north", gdal.ExtendedDataType.CreateString())
    x = rg.CreateMDArray("lon", [xdim], f64)
    x.Write(x0 + step * (np.arange(nx) + 0.5))
    attr(x, "units", "degrees_east", gdal.ExtendedDataType.CreateString())
    kind = gdal.ExtendedDataType.Create(dtype)
    v = rg.CreateMDArray(var, [tdim, ydim, xdim], kind)
    attr(v, "_FillValue", fill, kind)
    for name, value in (attrs or {}).items():
        if isinstance(value, tuple):
            attr(v, name, list(value), kind, (len(value),))
        else:
            attr(v, name, value)
    v.Write(data)
    ds = None
    return path


def _days(year, month):
    """Days from 2000-01-01 to the 15th of ``month`` of ``year`` (standard calendar)."""
    import datetime

    return (datetime.date(year, month, 15) - datetime.date(2000, 1, 1)).days


def netcdf_ndvi(region, out, years):
    data, x0, y0 = _lonlat(region, "NDVI.tif", 0.004, range(1, len(years) + 1), lambda a, b: a)
    stored = np.where(np.isfinite(data), np.round(data / 0.0001), -3000).astype(np.int16)
    stored[:, 0, 0] = 12000  # above the valid range: not data
    times = [_days(y, 7) for y in years]
    attrs = {"scale_factor": 0.0001, "valid_range": (-2000, 10000)}
    path = os.path.join(out, "ndvi_yearly.nc")
    return _write_nc(
        path, "NDVI", stored, times, "days since 2000-01-01", x0, y0, 0.004, gdal.GDT_Int16, attrs, -3000
    )


SEASON = np.array([0.2, 0.3, 0.5, 0.8, 1.2, 1.6, 2.0, 1.9, 1.4, 0.9, 0.6, 0.6])  # mean 1: shares of the year
TEMPERATURE_CYCLE = np.array([-10, -7, -1, 6, 12, 16, 18, 17, 11, 5, -2, -8], dtype=float)
TEMPERATURE_CYCLE -= TEMPERATURE_CYCLE.mean()


def netcdf_climate(region, out, years):
    """pr_monthly.nc (mm/month; their sum is the region's AP) and tas_monthly.nc (mean: the region's MAT)."""
    bands = [(i + 1, m) for i in range(len(years)) for m in range(12)]
    ap, x0, y0 = _lonlat(region, "AP.tif", 0.01, range(1, len(years) + 1), lambda a, b: a)
    mat, _, _ = _lonlat(region, "MAT.tif", 0.01, range(1, len(years) + 1), lambda a, b: a)
    pr = np.stack([ap[i - 1] * SEASON[m] / 12.0 for i, m in bands])
    tas = np.stack([mat[i - 1] + TEMPERATURE_CYCLE[m] for i, m in bands])
    times = [_days(years[i - 1], m + 1) for i, m in bands]
    units = "days since 2000-01-01"
    pr = np.where(np.isfinite(pr), pr, -9999.0).astype("f4")
    tas = np.where(np.isfinite(tas), tas, -9999.0).astype("f4")
    return (
        _write_nc(os.path.join(out, "pr_monthly.nc"), "pr", pr, times, units, x0, y0, 0.01),
        _write_nc(os.path.join(out, "tas_monthly.nc"), "tas", tas, times, units, x0, y0, 0.01),
    )


def classes(region, name, out_name, out, srs, res):
    src = os.path.join(region, name)
    mem = _warp(src, srs, res, "near", 0)
    return _copy_as(os.path.join(out, out_name), mem, gdal.GDT_Byte, mem.ReadAsArray(), 0, color_of=src)


def make_downloads(region, out, years, landuse_years):
    """Write every download of the region into folder ``out``; returns {what: path(s)}."""
    os.makedirs(out, exist_ok=True)
    dem = _warp(os.path.join(region, "DEM.tif"), "EPSG:4326", 0.002, "average", -9999.0)
    files = {
        "npp": modis_npp(region, out, years),
        "ndvi": netcdf_ndvi(region, out, years),
        "climate": netcdf_climate(region, out, years),
        "dem": _copy_as(
            os.path.join(out, "srtm_dem.tif"),
            dem,
            gdal.GDT_Float32,
            np.where(np.isfinite(dem.ReadAsArray()), dem.ReadAsArray(), -9999.0),
            -9999.0,
        ),
    }
    for year in landuse_years:
        files[f"landuse_{year}"] = classes(
            region, f"landuse_{year}.tif", f"landuse_{year}.tif", out, "EPSG:3857", 50.0
        )
    files["climate_zone"] = classes(region, "climate_zone.tif", "climate_zone.tif", out, "EPSG:4326", 0.003)
    files["ecosystem"] = classes(region, "ecosystem_type.tif", "ecosystem_type.tif", out, "EPSG:4326", 0.003)
    return files


def region_grid(region):
    """(crs wkt, geotransform, xsize, ysize) of the region's rasters."""
    ds = gdal.Open(os.path.join(region, "DEM.tif"))
    return ds.GetProjection(), ds.GetGeoTransform(), ds.RasterXSize, ds.RasterYSize


def epsg_of(region):
    srs = osr.SpatialReference(wkt=region_grid(region)[0])
    srs.AutoIdentifyEPSG()
    return int(srs.GetAuthorityCode(None))

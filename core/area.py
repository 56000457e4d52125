"""True area of raster pixels, in square metres, on projected and geographic grids.

On a projected CRS every pixel has the same area, ``|a·e − b·d|`` of the geotransform times the square of
the linear unit in metres. On a geographic CRS a pixel's area depends on its latitude; the area of the
band between two latitudes on an ellipsoid is used, never degrees².
"""

from __future__ import annotations

import numpy as np


def ellipsoid_band_area(lat1, lat2, dlon, a, b):
    """Area of the ellipsoid band between two latitudes, spanning a longitude interval.

    Parameters
    ----------
    lat1, lat2 : array_like
        Latitudes of the band edges, in degrees (any order).
    dlon : float
        Width of the band in longitude, in degrees.
    a, b : float
        Semi-major and semi-minor axes of the ellipsoid, in metres.

    Returns
    -------
    numpy.ndarray
        Area in square metres.

    Notes
    -----
    With eccentricity ``e = sqrt(1 − b²/a²)`` and
    ``q(φ) = sin φ / (1 − e² sin² φ) + ln((1 + e sin φ)/(1 − e sin φ)) / (2e)``
    the area is ``A = b² · Δλ · |q(φ₂) − q(φ₁)| / 2`` (Δλ in radians). On a sphere (e = 0) this reduces
    to ``R² · Δλ · |sin φ₂ − sin φ₁|``.

    References
    ----------
    Snyder, J. P. (1987). Map Projections — A Working Manual. USGS Professional Paper 1395, p. 16 & 187.

    Examples
    --------
    >>> total = ellipsoid_band_area(-90.0, 90.0, 360.0, 6378137.0, 6356752.314245)
    >>> round(float(total) / 1e12, 3)  # WGS 84 surface, million km²
    510.066
    """
    lat1 = np.radians(np.asarray(lat1, dtype=float))
    lat2 = np.radians(np.asarray(lat2, dtype=float))
    dlon = np.radians(abs(float(dlon)))
    if not (a > 0 and 0 < b <= a):
        raise ValueError(f"ellipsoid axes must satisfy 0 < b <= a; got a={a}, b={b}")
    e2 = 1.0 - (b * b) / (a * a)
    if e2 < 1e-12:
        return a * a * dlon * np.abs(np.sin(lat2) - np.sin(lat1))
    e = np.sqrt(e2)

    def q(phi):
        s = np.sin(phi)
        return s / (1.0 - e2 * s * s) + np.log((1.0 + e * s) / (1.0 - e * s)) / (2.0 * e)

    return b * b * dlon * np.abs(q(lat2) - q(lat1)) / 2.0


def row_pixel_areas(geotransform, rows, *, geographic=False, linear_unit_m=1.0, axes=None):
    """Area in m² of one pixel in each of the given rows of a north-up grid.

    Parameters
    ----------
    geotransform : sequence of 6 floats
        GDAL geotransform ``(x0, dx, rx, y0, ry, dy)``.
    rows : array_like of int
        Row indices (0 = top row).
    geographic : bool
        True when the grid is in degrees of longitude/latitude.
    linear_unit_m : float
        Metres per CRS unit on a projected grid.
    axes : tuple (a, b), optional
        Ellipsoid axes in metres; required when ``geographic``.

    Returns
    -------
    numpy.ndarray of float64, shape ``(len(rows),)``
    """
    x0, dx, rx, y0, ry, dy = (float(v) for v in geotransform)
    rows = np.asarray(rows, dtype=float)
    if not geographic:
        area = abs(dx * dy - rx * ry) * linear_unit_m**2
        return np.full(rows.shape, area)
    if rx != 0 or ry != 0:
        raise ValueError(
            "the geotransform of a geographic grid must be north-up (no rotation) to compute areas"
        )
    if axes is None:
        raise ValueError("axes=(a, b) of the ellipsoid are required on a geographic grid")
    lat_top = y0 + rows * dy
    lat_bottom = lat_top + dy
    lat_top = np.clip(lat_top, -90.0, 90.0)
    lat_bottom = np.clip(lat_bottom, -90.0, 90.0)
    return ellipsoid_band_area(lat_top, lat_bottom, dx, *axes)

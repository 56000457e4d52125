r"""True area of raster pixels on the ellipsoid, in square metres, for any CRS.

A pixel is a parallelogram of the raster's CRS (a square or rectangle of map units on a north-up
grid); its true area is the area of that region on the CRS's ellipsoid. On a geographic CRS that is the
area of an ellipsoidal quadrangle, never degrees². On a projected CRS ``|dx·dy|`` is only the area in
the map plane: true areas differ by the areal scale of the projection (on Web Mercator at 37° N the map
area is 57 % too large; on UTM and Lambert conformal conic grids up to a few tenths of a per cent),
except on equal-area projections (Albers, Lambert azimuthal equal-area), where they agree.

Method
------
The corners of the pixels are transformed with GDAL/PROJ (``osgeo.osr``) to geographic coordinates
(λ, φ) on the CRS's own ellipsoid (no datum shift), then to an equal-area plane of that ellipsoid, where
areas are planar. With the authalic function of Snyder's eq. 3-12

.. math:: q(\varphi) = (1-e^2)\left[\frac{\sin\varphi}{1-e^2\sin^2\varphi}
          - \frac{1}{2e}\ln\frac{1-e\sin\varphi}{1+e\sin\varphi}\right], \qquad q_p = q(90°),

the planes used are the cylindrical equal-area projection (eq. 10-15 with standard parallel 0, k₀ = 1)

.. math:: X = a\,\lambda, \qquad Y = a\,q(\varphi)/2,

and the polar Lambert azimuthal equal-area projections (Snyder pp. 187-188), north and south,

.. math:: \rho = a\sqrt{q_p \mp q(\varphi)}, \qquad X = \rho\sin\lambda, \qquad Y = \mp\rho\cos\lambda.

Both preserve area (``ρ dρ dλ = a² |dq| dλ / 2 = dX dY``). Three cases keep the computation exact and
cheap:

* **Geographic CRS, north-up grid**: the area depends on the row only. A row of pixels is a band
  between two parallels, a rectangle of the cylindrical plane: ``A = a² Δλ |q(φ₂) − q(φ₁)| / 2``
  (:func:`ellipsoid_band_area`). No transformation at all.
* **Normal cylindrical projections** (Mercator, Web Mercator, equirectangular, cylindrical equal-area,
  Miller), north-up grid: meridians are columns and parallels rows, so again each row is a band; the
  latitude of each row edge is transformed (``nrows + 1`` points per window). Exact.
* **Any other CRS** (transverse Mercator/UTM, conic, azimuthal, rotated grids): per pixel, in the polar
  plane of the cell's hemisphere (no antimeridian or pole singularity there), by the shoelace formula on
  the cell's corners. The pixel edges are straight in the map and slightly curved in the plane, so the
  quadrilateral of the corners is off by a *chord error* of order (L/R)² (L the size of the cell, R the
  Earth's radius); halving the sides divides it by about 4, so by Richardson extrapolation the error of
  the corner quadrilateral is (4/3)·|A₁ − A₂| with A₂ the sum of its 2 × 2 parts. Cells where that is
  above ``CHORD_TOL`` are traced with more points along their outline until it is within.

  For speed the window is covered by a coarse lattice of s × s-pixel cells, each measured as above, and
  the mean pixel area of each cell is interpolated bilinearly to the pixel centres (extrapolated over
  the half cells at the window's edges). With f the pixel area as a smooth function of the pixel
  position, that interpolation is off by at most (1/8 inside, 3/8 over an extrapolated half cell)
  · s²·max|f''| along each axis, and a cell mean differs from the value at its centre, as a pixel's
  area from the value at its centre, by (1/24)·s²·|f''| each: at most (11/24)·s²·max|f''| per axis.
  The second differences of the cell means are s²·f'', so after each lattice the bound
  ½·Σ_axes max|Δ²f̄| / min f̄ is evaluated, and s is reduced until it is within ``INTERP_TOL``; s = 1
  measures every pixel. The chord error is held to ``CHORD_TOL`` = 1e-6 (so that equal-area projections
  give the map area to 1e-6) and the interpolation error to ``INTERP_TOL`` = 1e-5, together some
  hundredth of the 0.1 % wanted.

Cost per window (``bench/bench_areas.py``, 20 M pixels): rows of a geographic or cylindrical grid,
milliseconds; a UTM, Albers or Lambert lattice, some 10⁵ transformed points at most (≈ 2 µs each through
the Python bindings) and one interpolation pass over the window, about a second or less.

References
----------
Snyder, J. P. (1987). Map Projections — A Working Manual. U.S. Geological Survey Professional Paper
1395, pp. 16 (eq. 3-12, authalic q), 81 (eq. 10-15, cylindrical equal-area on the ellipsoid) and
187-188 (Lambert azimuthal equal-area, polar aspect, on the ellipsoid).
"""

from __future__ import annotations

import contextlib
import math
import threading

import numpy as np
from osgeo import osr

__all__ = [
    "CHORD_TOL",
    "INTERP_TOL",
    "NORMAL_CYLINDRICAL",
    "PixelAreas",
    "ellipsoid_band_area",
    "pixel_areas",
]

#: Relative error allowed to a cell measured by points of its outline (the chord error).
CHORD_TOL = 1e-6
#: Relative error allowed to the interpolation of pixel areas from a coarse lattice.
INTERP_TOL = 1e-5
#: GDAL projection methods whose meridians and parallels are the straight columns and rows of the map.
NORMAL_CYLINDRICAL = frozenset(
    {
        "Mercator_1SP",
        "Mercator_2SP",
        "Mercator_Auxiliary_Sphere",
        "Popular_Visualisation_Pseudo_Mercator",
        "Equirectangular",
        "Cylindrical_Equal_Area",
        "Miller_Cylindrical",
        "Gall_Stereographic",
    }
)
_MAX_CELL = 512  # pixels per lattice cell side at most
_MAX_SPLIT = 1024  # points per cell side at most when an outline is traced
_CHUNK = 1 << 18  # points per osr.TransformPoints call
_TWO_PI = 2.0 * math.pi


# ----------------------------------------------------------------------------------------------------
# Public functions


def ellipsoid_band_area(lat1, lat2, dlon, a, b):
    """Area of the ellipsoid band between two latitudes, spanning a longitude interval.

    Parameters
    ----------
    lat1, lat2 : array_like
        Latitudes of the band edges, in degrees (any order).
    dlon : float or array_like
        Width of the band in longitude, in degrees.
    a, b : float
        Semi-major and semi-minor axes of the ellipsoid, in metres.

    Returns
    -------
    numpy.ndarray
        Area in square metres.

    Notes
    -----
    With eccentricity ``e = sqrt(1 − b²/a²)`` and the authalic ``q(φ)`` of Snyder's eq. 3-12 the area is
    ``A = a² · Δλ · |q(φ₂) − q(φ₁)| / 2`` (Δλ in radians): the band is a rectangle of the cylindrical
    equal-area projection (eq. 10-15). On a sphere (e = 0) this reduces to ``R² · Δλ · |sin φ₂ − sin φ₁|``.

    References
    ----------
    Snyder, J. P. (1987). Map Projections — A Working Manual. USGS Professional Paper 1395, p. 16 & 81.

    Examples
    --------
    >>> total = ellipsoid_band_area(-90.0, 90.0, 360.0, 6378137.0, 6356752.314245)
    >>> round(float(total) / 1e12, 3)  # WGS 84 surface, million km²
    510.066
    """
    if not (a > 0 and 0 < b <= a):
        raise ValueError(f"ellipsoid axes must satisfy 0 < b <= a; got a={a}, b={b}")
    lat1 = np.radians(np.asarray(lat1, dtype=float))
    lat2 = np.radians(np.asarray(lat2, dtype=float))
    dlon = np.radians(np.abs(np.asarray(dlon, dtype=float)))
    e2 = 1.0 - (b * b) / (a * a)
    return a * a * dlon * np.abs(_q(lat2, e2) - _q(lat1, e2)) / 2.0


def pixel_areas(crs_wkt: str, geotransform, window) -> np.ndarray:
    """True area in m² of every pixel of a window of a raster grid.

    Parameters
    ----------
    crs_wkt : str
        The grid's CRS as WKT (geographic or projected; not empty).
    geotransform : sequence of 6 float
        GDAL geotransform ``(x0, dx, rx, y0, ry, dy)``.
    window : tuple of 4 int
        ``(col0, row0, ncols, nrows)``, as the block engine's windows.

    Returns
    -------
    numpy.ndarray of float64, shape ``(nrows, ncols)``
        May be a read-only view (broadcast rows). NaN where a corner of the pixel lies outside the
        domain of the projection.

    Raises
    ------
    ValueError
        No CRS, a CRS that is neither geographic nor projected, a singular geotransform or a bad window.

    See :class:`PixelAreas` (and the module notes) for the method and its error bound.

    Examples
    --------
    >>> from osgeo import osr
    >>> srs = osr.SpatialReference(); _ = srs.ImportFromEPSG(3857)
    >>> a = pixel_areas(srs.ExportToWkt(), (0.0, 1000.0, 0.0, 4439106.8, 0.0, -1000.0), (0, 0, 2, 1))
    >>> a.shape, round(float(a[0, 0]) / 1e6, 3)  # 1 km × 1 km of Web Mercator at 37° 10' N, in km²
    ((1, 2), 0.637)
    """
    return PixelAreas(crs_wkt, geotransform).window(*window)


class PixelAreas:
    """True pixel areas of one grid (CRS and geotransform), window by window.

    Parameters
    ----------
    crs_wkt : str
        WKT of a geographic or projected CRS.
    geotransform : sequence of 6 float
        GDAL geotransform.

    Attributes
    ----------
    mode : str
        ``"geographic rows"``, ``"cylindrical rows"`` (area by row, exact) or ``"lattice"`` (per pixel).
    last_cell, last_split : int
        After :meth:`window` in ``"lattice"`` mode: pixels per lattice cell side (1: every pixel measured
        on its own), and points per cell side on the outlines measured (1: the corners, 2: 2 × 2 parts,
        more: outlines traced where the chord error asked for it).
    """

    def __init__(self, crs_wkt: str, geotransform):
        if not crs_wkt:
            raise ValueError("the grid has no CRS: true pixel areas need one")
        gt = tuple(float(v) for v in geotransform)
        if len(gt) != 6 or not all(math.isfinite(v) for v in gt):
            raise ValueError(f"geotransform must be 6 finite numbers; got {geotransform!r}")
        if gt[1] * gt[5] - gt[2] * gt[4] == 0:
            raise ValueError(f"geotransform {gt} is singular (pixels of zero area)")
        srs = osr.SpatialReference()
        if srs.ImportFromWkt(crs_wkt) != 0:
            raise ValueError("the grid's CRS cannot be read")
        if not (srs.IsGeographic() or srs.IsProjected()):
            raise ValueError("the grid's CRS is neither geographic nor projected; true areas need one")
        self.gt = gt
        self.a = float(srs.GetSemiMajor())
        b = float(srs.GetSemiMinor())
        self.e2 = 1.0 - (b * b) / (self.a * self.a)
        self.q_pole = float(_q(np.pi / 2, self.e2))
        self.geographic = bool(srs.IsGeographic())
        self.angular = float(srs.GetAngularUnits())  # radians per unit of the geographic CRS
        north_up = gt[2] == 0 and gt[4] == 0
        if self.geographic and north_up:
            self.mode = "geographic rows"
        elif not self.geographic and north_up and srs.GetAttrValue("PROJECTION") in NORMAL_CYLINDRICAL:
            self.mode = "cylindrical rows"
        else:
            self.mode = "lattice"
        self._wkt = crs_wkt
        self.last_cell = self.last_split = 1

    # ------------------------------------------------------------------------------------------------
    def window(self, col0, row0, ncols, nrows) -> np.ndarray:
        """Areas in m² of the pixels ``[row0, row0 + nrows) × [col0, col0 + ncols)``, shape ``(nrows, ncols)``."""
        col0, row0, ncols, nrows = (int(v) for v in (col0, row0, ncols, nrows))
        if ncols < 1 or nrows < 1:
            raise ValueError(f"window must have at least one row and column; got {ncols} × {nrows}")
        if self.mode != "lattice":
            rows = self._row_areas(col0, row0, nrows)
            return np.broadcast_to(rows[:, None], (nrows, ncols))
        return self._lattice_areas(col0, row0, ncols, nrows)

    # ------------------------------------------------------------------------------ rows (exact, cheap)
    def _row_areas(self, col0, row0, nrows):
        x0, dx, _, y0, _, dy = self.gt
        edges = row0 + np.arange(nrows + 1, dtype=float)
        y = y0 + edges * dy
        if self.mode == "geographic rows":
            dlam = abs(dx) * self.angular
            phi = np.clip(y * self.angular, -np.pi / 2, np.pi / 2)
        else:  # meridians are columns: the latitude of a row edge is the same in every column
            _, phi = self._geographic(np.full(y.shape, x0 + (col0 + 0.5) * dx), y)
            mid = np.full(2, y[nrows // 2])
            lam, _ = self._geographic(x0 + (col0 + np.array([0.0, 1.0])) * dx, mid)
            dlam = abs(_wrap(lam[1] - lam[0]))
        qs = _q(phi, self.e2)
        return self.a * self.a * dlam * np.abs(np.diff(qs)) / 2.0

    # ------------------------------------------------------------------------- lattice (any projection)
    def _lattice_areas(self, col0, row0, ncols, nrows):
        s = _MAX_CELL
        while True:
            sc, sr = _cell_size(s, ncols), _cell_size(s, nrows)
            cols, rows = _cuts(ncols, sc), _cuts(nrows, sr)
            self.last_cell = max(sc, sr)
            cells, chord = self._measured_cells(col0 + cols, row0 + rows, sampled=self.last_cell > 1)
            if chord > CHORD_TOL:  # cells too large to be measured by their corners: smaller cells
                s = max(1, min(self.last_cell - 1, int(self.last_cell * math.sqrt(CHORD_TOL / chord) * 0.9)))
                continue
            mean = cells / np.outer(np.diff(rows), np.diff(cols))
            if self.last_cell == 1:
                return mean
            bound = _interpolation_bound(mean, cols, rows, sc, sr)
            if bound <= INTERP_TOL:
                return _bilinear(mean, cols, rows, ncols, nrows)
            if not np.isfinite(bound):  # a corner outside the projection's domain: measure every pixel
                s = 1
            else:  # the bound grows as s²
                s = max(1, min(self.last_cell - 1, int(self.last_cell * math.sqrt(INTERP_TOL / bound) * 0.8)))

    def _measured_cells(self, u, v, sampled=False):
        """Areas (m²) of the cells of the lattice ``u`` (column) × ``v`` (row) pixel coordinates.

        A cell measured by its four corners (A₁) is off by a chord error that halving the cell's sides
        divides by about 4: by Richardson, A₁'s error is (4/3)·|A₁ − A₂| with A₂ the sum of its 2 × 2
        parts, and A₂'s a quarter of that. With ``sampled`` (coarse lattices) A₂ is measured on a 9 × 9
        sample of cells spread over the lattice, and A₁ is returned with the largest chord error seen
        (the caller shrinks the cells if it is above ``CHORD_TOL``); a chord error confined to a few cells
        between the samples shows in the second differences the interpolation bound is taken from, and
        the caller then shrinks the cells too. Otherwise A₂ is measured for every cell, and cells whose
        error is still above ``CHORD_TOL`` have their outline traced with more points
        (:meth:`_refined`); the chord error returned is then 0.
        """
        m, n = len(v) - 1, len(u) - 1
        if sampled:
            lam, phi = self._nodes(u, v)
            a1 = _quad_areas(lam, phi, self.a, self.e2, self.q_pole)
            r = np.unique(np.linspace(0, m - 1, min(m, 9)).round().astype(np.intp))
            c = np.unique(np.linspace(0, n - 1, min(n, 9)).round().astype(np.intp))
            r, c = (g.ravel() for g in np.meshgrid(r, c, indexing="ij"))
            a2 = self._outlines(u[c], u[c + 1], v[r], v[r + 1], 2)
            self.last_split = 1
            with np.errstate(invalid="ignore", divide="ignore"):
                chord = 4.0 / 3.0 * np.abs(a1[r, c] - a2) / a2
            chord = chord[np.isfinite(chord)]
            return a1, float(chord.max()) if chord.size else 0.0
        lam, phi = self._nodes(_halves(u), _halves(v))
        half = _quad_areas(lam, phi, self.a, self.e2, self.q_pole)
        a2 = half.reshape(m, 2, n, 2).sum(axis=(1, 3))
        a1 = _quad_areas(lam[::2, ::2], phi[::2, ::2], self.a, self.e2, self.q_pole)
        with np.errstate(invalid="ignore", divide="ignore"):
            bad = np.isfinite(a2) & ~(np.abs(a1 - a2) <= 3.0 * CHORD_TOL * a2)
        self.last_split = 2
        if bad.any():
            rr, cc = np.nonzero(bad)
            a2[rr, cc] = self._refined(u[cc], u[cc + 1], v[rr], v[rr + 1], a2[rr, cc])
        return a2, 0.0

    def _refined(self, u0, u1, v0, v1, previous):
        """Areas of cells ``[u0, u1] × [v0, v1]`` with 4k points on their outline, k doubled until stable."""
        k = 4
        result = previous.copy()
        todo = np.arange(previous.size)
        while todo.size and k <= _MAX_SPLIT:
            area = self._outlines(u0[todo], u1[todo], v0[todo], v1[todo], k)
            with np.errstate(invalid="ignore"):
                done = np.abs(area - result[todo]) <= 3.0 * CHORD_TOL * area
            result[todo] = area
            todo = todo[~done]
            self.last_split = max(self.last_split, k)
            k *= 2
        return result

    def _outlines(self, u0, u1, v0, v1, k):
        """Areas of cells ``[u0, u1] × [v0, v1]`` (pixel coordinates) traced with k points per side."""
        t = np.arange(k) / k
        cu = np.concatenate([t, np.ones(k), 1.0 - t, np.zeros(k)])
        cv = np.concatenate([np.zeros(k), t, np.ones(k), 1.0 - t])
        uu = u0[:, None] + cu * (u1 - u0)[:, None]
        vv = v0[:, None] + cv * (v1 - v0)[:, None]
        lam, phi = self._geographic(*self._map(uu, vv))
        return _ring_areas(lam, phi, self.a, self.e2, self.q_pole)

    def _nodes(self, u, v):
        uu, vv = np.meshgrid(np.asarray(u, dtype=float), np.asarray(v, dtype=float))
        return self._geographic(*self._map(uu, vv))

    def _map(self, u, v):
        """Map coordinates of pixel coordinates (column ``u``, row ``v``)."""
        x0, dx, rx, y0, ry, dy = self.gt
        return x0 + u * dx + v * rx, y0 + u * ry + v * dy

    def _geographic(self, x, y):
        """Longitude and latitude (radians) on the CRS's ellipsoid of map points; NaN where undefined."""
        if self.geographic:
            return x * self.angular, np.clip(y * self.angular, -np.pi / 2, np.pi / 2)
        ct, unit = _transformation(self._wkt)
        pts = np.column_stack([np.ravel(x), np.ravel(y)])
        out = np.empty((pts.shape[0], 2))
        with _points_outside_as_inf():
            for i in range(0, pts.shape[0], _CHUNK):
                out[i : i + _CHUNK] = np.asarray(ct.TransformPoints(pts[i : i + _CHUNK]))[:, :2]
        out[~np.isfinite(out)] = np.nan
        out *= unit
        return out[:, 0].reshape(np.shape(x)), np.clip(out[:, 1], -np.pi / 2, np.pi / 2).reshape(np.shape(x))


# ----------------------------------------------------------------------------------------------------
# Kernels


def _q(phi, e2):
    """Snyder's authalic q(φ) (eq. 3-12); 2·sin φ on a sphere."""
    s = np.sin(phi)
    if e2 < 1e-12:
        return 2.0 * s
    e = math.sqrt(e2)
    return (1.0 - e2) * (s / (1.0 - e2 * s * s) - np.log((1.0 - e * s) / (1.0 + e * s)) / (2.0 * e))


def _wrap(d):
    """Angle differences wrapped into [−π, π)."""
    return (np.asarray(d) + np.pi) % _TWO_PI - np.pi


def _polar_plane(lam, phi, a, e2, q_pole, north):
    """Coordinates in the north (or south) polar Lambert azimuthal equal-area plane of the ellipsoid."""
    sign = 1.0 if north else -1.0
    rho = a * np.sqrt(np.maximum(q_pole - sign * _q(phi, e2), 0.0))
    return rho * np.sin(lam), -sign * rho * np.cos(lam)


def _quad_areas(lam, phi, a, e2, q_pole):
    """Area of each cell of a lattice of nodes ``(m+1, n+1)`` given by longitude/latitude in radians.

    Half the cross product of the cell's diagonals (the shoelace formula of a quadrilateral) in the
    polar equal-area plane of the hemisphere holding the cell's mean corner latitude.
    """
    north = (phi[:-1, :-1] + phi[:-1, 1:] + phi[1:, :-1] + phi[1:, 1:]) >= 0
    area = np.full(north.shape, np.nan)
    for hemisphere in (True, False):
        sel = north if hemisphere else ~north
        if not sel.any():
            continue
        x, y = _polar_plane(lam, phi, a, e2, q_pole, hemisphere)
        cross = (x[1:, 1:] - x[:-1, :-1]) * (y[1:, :-1] - y[:-1, 1:]) - (x[1:, :-1] - x[:-1, 1:]) * (
            y[1:, 1:] - y[:-1, :-1]
        )
        area = np.where(sel, 0.5 * np.abs(cross), area)
    return area


def _ring_areas(lam, phi, a, e2, q_pole):
    """Area of each closed outline ``(n_rings, n_points)`` of longitudes/latitudes in radians.

    The shoelace formula in the polar equal-area plane of the outline's hemisphere, about its centroid.
    """
    north = np.sum(phi, axis=1) >= 0
    area = np.full(north.shape, np.nan)
    for hemisphere in (True, False):
        sel = north if hemisphere else ~north
        if not sel.any():
            continue
        x, y = _polar_plane(lam[sel], phi[sel], a, e2, q_pole, hemisphere)
        x = x - x.mean(axis=1, keepdims=True)
        y = y - y.mean(axis=1, keepdims=True)
        twice = np.sum(x * np.roll(y, -1, axis=1) - np.roll(x, -1, axis=1) * y, axis=1)
        area[sel] = 0.5 * np.abs(twice)
    return area


def _halves(t):
    """The points ``t`` with the midpoint of every interval inserted."""
    t = np.asarray(t, dtype=float)
    out = np.empty(2 * t.size - 1)
    out[::2] = t
    out[1::2] = (t[:-1] + t[1:]) / 2.0
    return out


def _cell_size(s, n):
    """Pixels per lattice cell along an axis of n pixels: s, or 1 when that leaves fewer than 3 cells."""
    if s <= 1 or n < 3 * s:
        return max(1, min(s, n // 3)) if n >= 6 else 1
    return s


def _cuts(n, s):
    """Cell boundaries 0, s, 2s, …, n (the last cell may be partial)."""
    cuts = np.arange(0, n, s)
    return np.append(cuts, n)


def _axis_bound(mean, cuts, s, axis):
    """½·s²·max|f''| / min f along one axis, f'' from second differences of the cell means."""
    if s <= 1:
        return 0.0
    t = (cuts[:-1] + cuts[1:]) / 2.0
    f = np.moveaxis(mean, axis, 0)
    if f.shape[0] < 3:
        return np.inf
    d1 = np.diff(f, axis=0) / np.diff(t)[:, None]
    d2 = 2.0 * np.diff(d1, axis=0) / (t[2:] - t[:-2])[:, None]
    lo = np.min(f)
    if not (np.all(np.isfinite(d2)) and lo > 0):
        return np.inf
    return 0.5 * s * s * float(np.max(np.abs(d2))) / float(lo)


def _interpolation_bound(mean, cols, rows, sc, sr):
    return _axis_bound(mean, cols, sc, 1) + _axis_bound(mean, rows, sr, 0)


def _weights(cuts, n):
    """Index of the left cell centre and weight of the right one for each pixel centre (linear, extrapolated)."""
    t = (cuts[:-1] + cuts[1:]) / 2.0
    p = np.arange(n) + 0.5
    if t.size == 1:
        return np.zeros(n, dtype=np.intp), np.zeros(n)
    i = np.clip(np.searchsorted(t, p) - 1, 0, t.size - 2)
    return i, (p - t[i]) / (t[i + 1] - t[i])


def _bilinear(mean, cols, rows, ncols, nrows):
    """Cell means interpolated (and extrapolated over the edge half cells) to every pixel centre."""
    ic, wc = _weights(cols, ncols)
    ir, wr = _weights(rows, nrows)
    if mean.shape[1] == 1:
        by_col = np.repeat(mean, ncols, axis=1)
    else:
        by_col = mean[:, ic] * (1.0 - wc) + mean[:, np.minimum(ic + 1, mean.shape[1] - 1)] * wc
    if mean.shape[0] == 1:
        return np.repeat(by_col, nrows, axis=0)
    step = np.diff(by_col, axis=0)
    out = np.empty((nrows, ncols))
    for k in range(mean.shape[0] - 1):  # one band of rows between two cell centres at a time
        sel = np.flatnonzero(ir == k)
        if sel.size:
            band = out[sel[0] : sel[-1] + 1]
            np.multiply(wr[sel, None], step[k], out=band)
            band += by_col[k]
    return out


_LOCAL = threading.local()  # osr transformations are not shared between threads


def _points_outside_as_inf():
    """Let ``TransformPoints`` return inf for points outside the projection's domain.

    With exceptions on (``gdal.UseExceptions()`` also turns them on for osr from GDAL 3.7 on, as in
    Debian 13's GDAL 3.10), one undefined point makes the whole call raise instead of marking that point;
    ``osr.ExceptionMgr`` (GDAL >= 3.7) turns them off for the call. Older GDAL returns inf anyway.
    """
    manager = getattr(osr, "ExceptionMgr", None)
    return manager(useExceptions=False) if manager is not None else contextlib.nullcontext()


def _transformation(wkt):
    """The transformation of a projected CRS to geographic coordinates on its own ellipsoid, per thread."""
    cache = getattr(_LOCAL, "cache", None)
    if cache is None:
        cache = _LOCAL.cache = {}
    if wkt not in cache:
        if len(cache) > 8:
            cache.clear()
        src = osr.SpatialReference()
        src.ImportFromWkt(wkt)
        src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        dst = src.CloneGeogCS()
        dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        try:
            ct = osr.CoordinateTransformation(src, dst)
        except RuntimeError as exc:
            raise ValueError(
                f"the grid's CRS cannot be transformed to geographic coordinates: {exc}"
            ) from exc
        if ct is None:
            raise ValueError("the grid's CRS cannot be transformed to geographic coordinates")
        cache[wkt] = (ct, float(dst.GetAngularUnits()))
    return cache[wkt]

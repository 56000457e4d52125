"""True pixel areas against an independent computation: geodesic polygons with GeographicLib.

Each pixel's outline (its four edges, straight lines of the map, 16 points per edge) is taken to
longitude/latitude of the CRS's own ellipsoid, and its area computed as a geodesic polygon on that
ellipsoid by GeographicLib (Karney 2013, pure Python, independent of PROJ's area code and of ours).
Between 16 points per edge the geodesic and the map's straight edge differ far below 1e-6 of the area.
The requirement is 0.1 %; the method's stated error is about 1e-5, which these tests hold it to.

Karney, C. F. F. (2013). Algorithms for geodesics. Journal of Geodesy 87:43–55.
"""

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from osgeo import osr

from core.engine.area import PixelAreas, ellipsoid_band_area
from core.engine.raster import Grid

REL = 3e-5  # stated bound (chord 1e-6 + interpolation 1e-5) with room for the reference's own error

# name: (CRS, geotransform, window size (cols, rows))
CASES = {
    # Web Mercator over 36–38° N: the map area |dx·dy| is 57 % too large there
    "web mercator 36-38N": (
        "EPSG:3857",
        (11688546.53, 1000.0, 0.0, 4579425.81, 0.0, -1000.0),
        (223, 279),
    ),
    "UTM 48N 30 m": ("EPSG:32648", (560000.0, 30.0, 0.0, 4250000.0, 0.0, -30.0), (4000, 3000)),
    "UTM 48N 1 km, 700 km wide": ("EPSG:32648", (150000.0, 1000.0, 0.0, 4600000.0, 0.0, -1000.0), (700, 400)),
    "Lambert-93 (GRS80) 1 km": ("EPSG:2154", (100000.0, 1000.0, 0.0, 7100000.0, 0.0, -1000.0), (1100, 1000)),
    "Lambert conformal conic, Asia, 5 km": (
        "+proj=lcc +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +datum=WGS84 +units=m",
        (-2500000.0, 5000.0, 0.0, 6000000.0, 0.0, -5000.0),
        (1000, 800),
    ),
    "Albers equal-area, China, 1 km": (
        "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +datum=WGS84 +units=m",
        (-500000.0, 1000.0, 0.0, 4500000.0, 0.0, -1000.0),
        (1000, 800),
    ),
    "WGS 84 geographic 0.01°": ("EPSG:4326", (105.0, 0.01, 0.0, 38.0, 0.0, -0.01), (400, 200)),
    "Beijing 1954 (Krasovsky) Gauss-Kruger 35": (
        "EPSG:2411",
        (35400000.0, 1000.0, 0.0, 4300000.0, 0.0, -1000.0),
        (300, 300),
    ),
    "CGCS2000 geographic": ("EPSG:4490", (104.0, 0.05, 0.0, 40.0, 0.0, -0.05), (80, 60)),
    "UTM 48N 200 km pixels": ("EPSG:32648", (-1500000.0, 200000.0, 0.0, 8000000.0, 0.0, -200000.0), (18, 15)),
    "polar stereographic 25 km": (
        "EPSG:3413",
        (-3850000.0, 25000.0, 0.0, 5850000.0, 0.0, -25000.0),
        (304, 448),
    ),
    "UTM 60N across the antimeridian": (
        "EPSG:32660",
        (600000.0, 5000.0, 0.0, 6000000.0, 0.0, -5000.0),
        (200, 100),
    ),
    "rotated UTM grid": ("EPSG:32648", (560000.0, 100.0, 20.0, 4250000.0, 10.0, -100.0), (800, 600)),
}


def _srs(crs):
    srs = osr.SpatialReference()
    srs.SetFromUserInput(crs)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def geodesic_pixel_area(srs, gt, row, col, per_edge=16):
    """Area (m²) of pixel (row, col) as a geodesic polygon on the CRS's ellipsoid (GeographicLib)."""
    t = np.linspace(0.0, 1.0, per_edge, endpoint=False)
    u = col + np.concatenate([t, np.ones(per_edge), 1.0 - t, np.zeros(per_edge)])
    v = row + np.concatenate([np.zeros(per_edge), t, np.ones(per_edge), 1.0 - t])
    x = gt[0] + u * gt[1] + v * gt[2]
    y = gt[3] + u * gt[4] + v * gt[5]
    if srs.IsGeographic():
        lon, lat = x, y
    else:
        geog = srs.CloneGeogCS()
        geog.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        out = np.array(osr.CoordinateTransformation(srs, geog).TransformPoints(np.column_stack([x, y])))
        lon, lat = out[:, 0], out[:, 1]
    inv_f = srs.GetInvFlattening()
    polygon = Geodesic(srs.GetSemiMajor(), 1.0 / inv_f if inv_f else 0.0).Polygon()
    for la, lo in zip(lat, lon):
        polygon.AddPoint(float(la), float(lo))
    return abs(polygon.Compute(False, True)[2])


def _sample(ncols, nrows, n_random=20, seed=0):
    """Corners, edges, centre and random pixels of a window."""
    rng = np.random.default_rng(seed)
    fixed = [(r, c) for r in (0, nrows // 2, nrows - 1) for c in (0, ncols // 2, ncols - 1)]
    rand = list(zip(rng.integers(0, nrows, n_random).tolist(), rng.integers(0, ncols, n_random).tolist()))
    return fixed + rand


@pytest.mark.parametrize("name", list(CASES))
def test_pixel_areas_match_geodesic_polygons(name):
    crs, gt, (ncols, nrows) = CASES[name]
    srs = _srs(crs)
    areas = PixelAreas(srs.ExportToWkt(), gt).window(0, 0, ncols, nrows)
    assert areas.shape == (nrows, ncols) and np.all(np.isfinite(areas))
    worst = 0.0
    for r, c in _sample(ncols, nrows):
        worst = max(worst, abs(areas[r, c] / geodesic_pixel_area(srs, gt, r, c) - 1.0))
    assert worst < REL, f"{name}: largest relative error {worst:.2e}"


def test_a_window_inside_the_grid_is_measured_like_the_whole():
    crs, gt, _ = CASES["Lambert conformal conic, Asia, 5 km"]
    srs = _srs(crs)
    part = PixelAreas(srs.ExportToWkt(), gt).window(137, 211, 300, 5)  # a thin strip: few lattice rows
    for r, c in _sample(300, 5, n_random=10):
        assert part[r, c] == pytest.approx(geodesic_pixel_area(srs, gt, 211 + r, 137 + c), rel=REL)


def test_equal_area_albers_gives_the_map_area_to_1e6():
    crs, gt, (ncols, nrows) = CASES["Albers equal-area, China, 1 km"]
    areas = PixelAreas(_srs(crs).ExportToWkt(), gt).window(0, 0, ncols, nrows)
    np.testing.assert_allclose(areas, abs(gt[1] * gt[5]), rtol=1e-6)


def test_web_mercator_total_is_the_ellipsoidal_band_not_the_map_area():
    # 36–38° N, 105–107° E on Web Mercator: the pixels tile exactly that quadrangle of the WGS 84 ellipsoid.
    r = 6378137.0
    x0, x1 = r * np.radians(105.0), r * np.radians(107.0)
    y_top, y_bottom = (r * np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) for lat in (38.0, 36.0))
    ncols, nrows = 200, 250
    gt = (x0, (x1 - x0) / ncols, 0.0, y_top, 0.0, (y_bottom - y_top) / nrows)
    grid = Grid(_srs("EPSG:3857").ExportToWkt(), gt, ncols, nrows)
    total = grid.pixel_areas((0, 0, ncols, nrows)).sum()
    band = ellipsoid_band_area(36.0, 38.0, 2.0, 6378137.0, 6356752.314245)
    assert total == pytest.approx(float(band), rel=1e-9)
    assert (x1 - x0) * (y_top - y_bottom) / total == pytest.approx(1.57, abs=0.01)  # what |dx·dy| gave

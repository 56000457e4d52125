"""Pixel areas against closed forms: the WGS 84 surface, a sphere, geographic rows, equal-area grids."""

import numpy as np
import pytest
from osgeo import osr

from core.engine.area import PixelAreas, ellipsoid_band_area, pixel_areas

WGS84 = (6378137.0, 6356752.314245)


def _wkt(code):
    srs = osr.SpatialReference()
    srs.SetFromUserInput(code)
    return srs.ExportToWkt()


def test_whole_ellipsoid_is_the_known_surface_area():
    # WGS 84 surface area: 510,065,621.724 km² (NIMA TR8350.2).
    assert ellipsoid_band_area(-90, 90, 360, *WGS84) == pytest.approx(510_065_621.724e6, rel=1e-9)


def test_sphere_band_is_r2_dlambda_dsin():
    r = 6371000.0
    got = ellipsoid_band_area(30, 31, 1, r, r)
    assert got == pytest.approx(r * r * np.radians(1) * (np.sin(np.radians(31)) - np.sin(np.radians(30))))


def test_geographic_rows_shrink_towards_the_pole_and_sum_to_the_band():
    gt = (105.0, 0.25, 0.0, 39.0, 0.0, -0.25)  # Ningxia-like latitudes
    areas = pixel_areas(_wkt("EPSG:4326"), gt, (0, 0, 3, 8))
    assert areas.shape == (8, 3)
    assert np.all(areas == areas[:, :1])  # the area depends on the row only
    assert np.all(np.diff(areas[:, 0]) > 0)  # rows further south are larger
    assert areas[:, 0].sum() == pytest.approx(ellipsoid_band_area(39.0, 37.0, 0.25, *WGS84), rel=1e-12)


def test_a_window_is_the_same_pixels_as_in_the_whole_grid():
    wkt, gt = _wkt("EPSG:32648"), (560000.0, 1000.0, 0.0, 4300000.0, 0.0, -1000.0)
    whole = pixel_areas(wkt, gt, (0, 0, 40, 30))
    part = pixel_areas(wkt, gt, (10, 5, 12, 7))
    np.testing.assert_allclose(part, whole[5:12, 10:22], rtol=2e-5)


def test_whole_earth_on_a_global_geographic_grid():
    areas = pixel_areas(_wkt("EPSG:4326"), (-180.0, 7.5, 0.0, 90.0, 0.0, -7.5), (0, 0, 48, 24))
    assert areas.sum() == pytest.approx(510_065_621.724e6, rel=1e-9)


@pytest.mark.parametrize(
    "crs",
    [
        "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +datum=WGS84",  # Albers, China
        "EPSG:3035",  # Lambert azimuthal equal-area, Europe (GRS80)
        "EPSG:6933",  # EASE-Grid 2.0, cylindrical equal-area (row path)
    ],
)
def test_equal_area_projections_give_the_map_area(crs):
    srs = osr.SpatialReference()
    srs.SetFromUserInput(crs)
    x0, y0 = {"EPSG:3035": (4000000.0, 3500000.0), "EPSG:6933": (10000000.0, 4500000.0)}.get(
        crs, (-400000.0, 4600000.0)
    )
    areas = pixel_areas(srs.ExportToWkt(), (x0, 1000.0, 0.0, y0, 0.0, -1000.0), (0, 0, 300, 200))
    np.testing.assert_allclose(areas, 1e6, rtol=1e-6)


def test_a_pixel_on_the_pole_is_measured_like_its_neighbours():
    # Antarctic polar stereographic, the South Pole in the middle of pixel (10, 10).
    gt = (-10500.0, 1000.0, 0.0, 10500.0, 0.0, -1000.0)
    areas = pixel_areas(_wkt("EPSG:3031"), gt, (0, 0, 21, 21))
    assert np.all(np.isfinite(areas))
    # the areal scale is smooth through the pole: the pole pixel lies between its neighbours
    assert abs(areas[10, 10] / areas[10, 9] - 1) < 1e-5
    assert np.ptp(areas) / areas.mean() < 1e-4


def test_a_grid_across_the_antimeridian():
    areas = pixel_areas(_wkt("EPSG:32660"), (700000.0, 5000.0, 0.0, 6000000.0, 0.0, -5000.0), (0, 0, 80, 40))
    assert np.all(np.isfinite(areas)) and np.ptp(areas) / areas.mean() < 0.01


def test_pixels_outside_the_projection_are_nan():
    wkt = _wkt("+proj=ortho +lat_0=40 +lon_0=100 +datum=WGS84")
    gt = (-7000000.0, 500000.0, 0.0, 7000000.0, 0.0, -500000.0)
    areas = pixel_areas(wkt, gt, (0, 0, 28, 28))
    assert np.isnan(areas[0, 0]) and np.isfinite(areas[14, 14])


def test_rows_mode_and_lattice_mode_agree_on_a_rotated_geographic_grid():
    north_up = pixel_areas(_wkt("EPSG:4326"), (105.0, 0.01, 0.0, 38.0, 0.0, -0.01), (0, 0, 50, 40))
    tilted = PixelAreas(_wkt("EPSG:4326"), (105.0, 0.01, 1e-9, 38.0, 1e-9, -0.01))
    assert tilted.mode == "lattice"
    np.testing.assert_allclose(tilted.window(0, 0, 50, 40), north_up, rtol=2e-5)


@pytest.mark.parametrize(
    ("wkt", "gt", "window", "match"),
    [
        ("", (0, 1, 0, 0, 0, -1), (0, 0, 1, 1), "no CRS"),
        ('LOCAL_CS["site grid",UNIT["metre",1]]', (0, 1, 0, 0, 0, -1), (0, 0, 1, 1), "neither"),
        ("EPSG:4326", (0, 1, 0, 0, 0, 0), (0, 0, 1, 1), "singular"),
        ("EPSG:4326", (0, 1, 0, 0, 0, -1), (0, 0, 0, 1), "at least one"),
    ],
)
def test_bad_arguments_are_refused(wkt, gt, window, match):
    wkt = _wkt(wkt) if wkt.startswith("EPSG") else wkt
    with pytest.raises(ValueError, match=match):
        pixel_areas(wkt, gt, window)

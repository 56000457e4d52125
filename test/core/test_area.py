"""Pixel areas against closed forms: the WGS 84 surface, a sphere, projected units."""

import numpy as np
import pytest

from core.area import ellipsoid_band_area, row_pixel_areas

WGS84 = (6378137.0, 6356752.314245)


def test_whole_ellipsoid_is_the_known_surface_area():
    # WGS 84 surface area: 510,065,621.724 km² (NIMA TR8350.2).
    assert ellipsoid_band_area(-90, 90, 360, *WGS84) == pytest.approx(510_065_621.724e6, rel=1e-9)


def test_sphere_band_is_r2_dlambda_dsin():
    r = 6371000.0
    got = ellipsoid_band_area(30, 31, 1, r, r)
    assert got == pytest.approx(r * r * np.radians(1) * (np.sin(np.radians(31)) - np.sin(np.radians(30))))


def test_geographic_rows_shrink_towards_the_pole_and_sum_to_the_band():
    gt = (105.0, 0.25, 0.0, 39.0, 0.0, -0.25)  # Ningxia-like latitudes
    areas = row_pixel_areas(gt, np.arange(8), geographic=True, axes=WGS84)
    assert np.all(np.diff(areas) > 0)  # rows further south are larger
    assert areas.sum() == pytest.approx(ellipsoid_band_area(39.0, 37.0, 0.25, *WGS84), rel=1e-12)


def test_projected_pixels_use_the_linear_unit():
    assert row_pixel_areas((0, 30, 0, 0, 0, -30), [0, 5])[1] == 900.0
    feet = 0.3048006096012192
    assert row_pixel_areas((0, 100, 0, 0, 0, -100), [0], linear_unit_m=feet)[0] == pytest.approx(929.0341860)


def test_rotated_geographic_grid_is_refused():
    with pytest.raises(ValueError, match="north-up"):
        row_pixel_areas((0, 1, 0.1, 0, 0, -1), [0], geographic=True, axes=WGS84)

"""Future trend inputs in the wrong role: a slope as the Hurst exponent, Z as the p-value, class rasters."""

import numpy as np
import pytest
from osgeo import gdal
from rasters import write_raster

from core.engine import band_checks, raster
from core.stats.future_trend import (
    HURST_TYPICAL_MAX,
    InputRangeError,
    future_trend_class,
    hurst_above_typical,
)
from core.stats.hurst import hurst_rs


def test_a_negative_hurst_input_is_refused_naming_the_argument():
    with pytest.raises(
        InputRangeError, match=r"hurst must hold Hurst exponents >= 0 .*from -0.2 to -0.2"
    ) as info:
        future_trend_class([0.1, -0.1], [0.3, -0.2])
    assert info.value.argument == "hurst" and "swapped" in str(info.value)


def test_hurst_above_two_is_classed_and_counted_not_refused():
    assert future_trend_class([0.1, -0.1], [3.5, 2.5]).tolist() == [1, 4]  # persistent
    assert hurst_above_typical([0.6, 2.0, 3.5, np.nan]).tolist() == [False, False, True, False]


def test_a_p_input_outside_0_1_names_p():
    with pytest.raises(InputRangeError, match=r"found 1 outside, from 2.3 to 2.3") as info:
        future_trend_class([0.1, 0.2], [0.6, 0.7], p=[0.01, 2.3])
    assert info.value.argument == "p"


def test_hurst_exponents_of_adverse_short_series_are_never_negative():
    """R/S on 6 to 24 years of noise, walks, trends, steps, alternations and spikes, both methods: H ≥ 0,
    and at most about 1.5 (HURST_TYPICAL_MAX 2) for every series that varies from its start."""
    rng = np.random.default_rng(0)
    n = 24
    t = np.arange(n)[:, None]
    series = [
        rng.normal(size=(n, 2000)),
        rng.normal(size=(n, 2000)).cumsum(axis=0),
        t * 1.0 + rng.normal(0, 0.01, (n, 2000)),
        (t >= 12) + rng.normal(0, 1e-3, (n, 2000)),
        np.tile([1.0, -1.0], n // 2)[:, None] + rng.normal(0, 0.01, (n, 2000)),
        (t == n - 1) * 100.0 + rng.normal(0, 1e-3, (n, 2000)),
    ]
    lo, hi = np.inf, -np.inf
    for x in series:
        for length in (6, 10, 24):
            for method in ("expanding", "mandelbrot_wallis"):
                for diff in (False, True):
                    h = hurst_rs(x[:length], method=method, differences=diff)
                    if np.isfinite(h).any():
                        lo, hi = min(lo, np.nanmin(h)), max(hi, np.nanmax(h))
    assert 0.0 < lo and hi < HURST_TYPICAL_MAX


def test_series_constant_over_their_first_years_give_hurst_above_two():
    """What a Random Forest density stack can hold: H > 2 is legitimate output, so it is not refused."""
    rng = np.random.default_rng(0)
    x = np.r_[np.full(18, 50.0), 50 + np.cumsum(rng.normal(0, 1, 6))][:, None]
    h = hurst_rs(x)
    assert h[0] > HURST_TYPICAL_MAX
    future_trend_class([0.2], h)  # accepted, persistent


def test_integer_codes_find_class_rasters_and_stop_at_continuous_ones(tmp_path):
    classes = np.array([[1, 2, 3, 3], [2, 2, 1, 0], [3, 3, 3, 1]], dtype=float)
    path = write_raster(tmp_path / "trend_class.tif", classes, nodata=0, dtype=gdal.GDT_Byte)
    assert band_checks.integer_codes(raster.open_band("Sen slope", path)) == (1, 2, 3)
    slope = classes * 0.37 - 0.5
    path = write_raster(tmp_path / "slope.tif", slope)
    assert band_checks.integer_codes(raster.open_band("Sen slope", path)) is None
    many = np.arange(48, dtype=float).reshape(6, 8)  # integers, but too many distinct values
    path = write_raster(tmp_path / "dem.tif", many)
    assert band_checks.integer_codes(raster.open_band("x", path), max_codes=32) is None
    path = write_raster(tmp_path / "empty.tif", np.full((3, 3), np.nan))
    assert band_checks.integer_codes(raster.open_band("x", path)) == ()


def test_band_info_reads_class_metadata_and_description(tmp_path):
    path = write_raster(tmp_path / "h.tif", np.full((2, 2), 0.6), descriptions=["Hurst exponent"])
    info = band_checks.band_info(raster.open_band("Hurst", path, "h"))
    assert (info.layer, info.description, info.data_type, info.has_classes) == (
        "h",
        "Hurst exponent",
        "Float32",
        False,
    )
    path = write_raster(tmp_path / "c.tif", np.ones((2, 2)), nodata=0, dtype=gdal.GDT_Byte)
    ds = gdal.Open(path, gdal.GA_Update)
    ds.GetRasterBand(1).SetCategoryNames(["", "Significant increase"])
    ds = None
    assert band_checks.band_info(raster.open_band("x", path)).has_classes


def test_any_pixel_stops_at_the_first_window_that_has_one(tmp_path):
    data = np.full((3, 600, 40), np.nan)
    data[:, 590, 7] = [1.0, 2.0, 3.0]  # one usable pixel in the last rows
    stack = raster.open_stack("Stack", [write_raster(tmp_path / "s.tif", data)], [2001, 2002, 2003])
    seen = []

    def complete(values):
        seen.append(values.shape)
        return np.all(np.isfinite(values), axis=0)

    assert band_checks.any_pixel(stack, complete, memory_mb=0.05)
    assert len(seen) > 1 and all(s[0] == 3 for s in seen)  # read window by window, all bands
    assert not band_checks.any_pixel(stack, lambda v: np.all(v > 5, axis=0), memory_mb=0.05)
    with pytest.raises(raster.Cancelled):
        band_checks.any_pixel(stack, complete, is_cancelled=lambda: True)

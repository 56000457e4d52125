"""Storage totals against an independent computation; zone accumulation; least-squares trend."""

import numpy as np
import pytest
from scipy import stats

from core.carbon.storage import ZoneTotals, linear_trend, storage_from_density
from core.engine.area import ellipsoid_band_area


def test_storage_is_density_times_hectares():
    density = np.array([[10.0, 20.0], [11.0, np.nan]])
    got = storage_from_density(density, np.array([900.0, 10_000.0]))
    np.testing.assert_allclose(got, [[0.9, 20.0], [0.99, np.nan]])
    with pytest.raises(ValueError, match="n_pixels"):
        storage_from_density(density, [1.0, 2.0, 3.0])


def test_zone_totals_over_windows_equal_one_pass_and_skip_incomplete_pixels():
    rng = np.random.default_rng(0)
    density = rng.uniform(10, 80, (5, 1000))
    density[2, :7] = np.nan  # 7 pixels miss a year
    area = rng.uniform(800, 1000, 1000)
    zones = rng.integers(1, 4, 1000)
    acc = ZoneTotals(5)
    for a in range(0, 1000, 300):  # four windows
        sl = slice(a, a + 300)
        acc.add(storage_from_density(density[:, sl], area[sl]), area[sl], zones[sl])
    complete = np.all(np.isfinite(density), axis=0)
    assert acc.incomplete_pixels_ == 7
    assert acc.codes_.tolist() == [1, 2, 3]
    for i, z in enumerate([1, 2, 3]):
        m = complete & (zones == z)
        expected = (density[:, m] * area[m] / 10_000).sum(axis=1)
        np.testing.assert_allclose(acc.storage_t_[i], expected, rtol=1e-12)
        np.testing.assert_allclose(acc.mean_density()[i], expected / (area[m].sum() / 10_000), rtol=1e-12)
        assert acc.pixels_[i] == m.sum()


def test_geographic_storage_uses_true_row_areas():
    # One column of 0.01° pixels from 38°N to 37.98°N, density 50 t/hm² in both rows.
    rows_area = ellipsoid_band_area([38.0, 37.99], [37.99, 37.98], 0.01, 6378137.0, 6356752.314245)
    acc = ZoneTotals(1).add(storage_from_density([[50.0, 50.0]], rows_area), rows_area)
    assert acc.storage_t_[0, 0] == pytest.approx(50.0 * rows_area.sum() / 10_000)
    assert rows_area[0] < rows_area[1]  # the northern row is smaller
    assert acc.mean_density()[0, 0] == pytest.approx(50.0)


def test_linear_trend_matches_scipy_and_handles_short_series():
    years = np.arange(2001, 2025)
    values = 3.0 * (years - 2001) + np.random.default_rng(1).normal(0, 2, years.size)
    fit = linear_trend(years, values)
    ref = stats.linregress(years, values)
    assert fit["slope"] == pytest.approx(ref.slope) and fit["p"] == pytest.approx(ref.pvalue)
    assert fit["r2"] == pytest.approx(ref.rvalue**2) and fit["n"] == 24
    assert np.isnan(linear_trend([2001, 2002], [1.0, 2.0])["slope"])

"""Negative carbon densities are not storage: such pixels are NaN in every year, and counted."""

import numpy as np

from core.carbon.storage import ZoneTotals, negative_density_pixels, storage_from_density


def test_a_pixel_with_a_negative_density_in_any_year_is_nan_in_every_year():
    density = np.array([[10.0, -2.0, 30.0, np.nan], [11.0, 21.0, -0.001, 5.0]])
    got = storage_from_density(density, np.full(4, 10_000.0))
    np.testing.assert_allclose(got[:, 0], [10.0, 11.0])
    assert np.isnan(got[:, 1]).all() and np.isnan(got[:, 2]).all()
    assert np.isnan(got[0, 3]) and got[1, 3] == 5.0  # a missing year stays only that year
    assert negative_density_pixels(density).tolist() == [False, True, True, False]


def test_negative_pixels_are_left_out_of_the_totals():
    density = np.array([[10.0, -2.0, 30.0], [12.0, 20.0, 31.0]])
    acc = ZoneTotals(2).add(storage_from_density(density, np.full(3, 10_000.0)), np.full(3, 10_000.0))
    np.testing.assert_allclose(acc.storage_t_[0], [40.0, 43.0])  # pixels 0 and 2 only
    assert acc.pixels_.tolist() == [2] and acc.incomplete_pixels_ == 1

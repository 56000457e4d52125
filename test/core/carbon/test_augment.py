"""NPP-ratio augmentation: transfer by hand, allocation sums, spacing, reproducibility, block-wise drawing."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from rasters import write_raster
from scipy.spatial.distance import pdist

from core.carbon.augment import (
    NO_STRATUM,
    StratumMean,
    allocate_points,
    combine_strata,
    count_strata,
    random_points_in_strata,
    strata_from_array,
    strata_from_rasters,
    stratum_means,
    transfer_carbon,
)
from core.engine import raster

GT = (560000.0, 30.0, 0.0, 4250000.0, 0.0, -30.0)


def _strata(rows=60, cols=80):
    """Three strata in vertical bands (1: cols 0-29, 2: cols 30-59, 3: cols 60-79) and a nodata corner."""
    s = np.ones((rows, cols))
    s[:, 30:60] = 2
    s[:, 60:] = 3
    s[:5, :5] = np.nan
    return s


def test_transfer_on_a_hand_computed_stratum():
    # Stratum 3 has two plots: C = 30 and 50 t/hm², NPP = 400 and 600 -> C̄ = 40, NPP̄ = 500.
    # Stratum 5 has one plot: C = 12, NPP = 300. The plot with NaN NPP is left out.
    means = stratum_means([3, 3, 5, 5], [30.0, 50.0, 12.0, 99.0], [400.0, 600.0, 300.0, np.nan])
    assert means == {3: StratumMean(40.0, 500.0, 2), 5: StratumMean(12.0, 300.0, 1)}
    # C_r = C̄ · NPP_r / NPP̄: 40 · 250/500 = 20; 40 · 750/500 = 60; 12 · 150/300 = 6; stratum 9: none.
    got = transfer_carbon([250.0, 750.0, 150.0, 400.0, np.nan], [3, 3, 5, 9, 3], means)
    assert_allclose(got, [20.0, 60.0, 6.0, np.nan, np.nan])


def test_transfer_is_nan_for_a_stratum_with_non_positive_mean_npp():
    assert np.isnan(transfer_carbon([100.0], [1], {1: StratumMean(10.0, 0.0, 1)})).all()


def test_means_reject_fractional_codes_and_length_mismatch():
    with pytest.raises(ValueError, match="integer codes"):
        stratum_means([1.5], [1.0], [1.0])
    with pytest.raises(ValueError, match="same length"):
        stratum_means([1, 2], [1.0], [1.0, 2.0])


def test_allocation_by_largest_remainder():
    # Quotas 10 · (0.5, 0.3, 0.2) are whole; 7 · (0.5, 0.3, 0.2) = 3.5, 2.1, 1.4 -> 3, 2, 1 + one to the .5.
    assert allocate_points(10, {1: 5.0, 2: 3.0, 3: 2.0}) == {1: 5, 2: 3, 3: 2}
    assert allocate_points(7, {1: 5.0, 2: 3.0, 3: 2.0}) == {1: 4, 2: 2, 3: 1}
    assert allocate_points(4, {7: 1.0, 8: 1.0}, mode="per_stratum") == {7: 4, 8: 4}
    assert allocate_points(5, {}) == {}
    with pytest.raises(ValueError, match="mode"):
        allocate_points(5, {1: 1.0}, mode="equal")


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 5000),
    st.lists(st.floats(0.0, 1e9, allow_nan=False), min_size=1, max_size=30).filter(lambda a: sum(a) > 0),
)
def test_allocation_sums_to_the_total_and_each_share_is_within_one_of_its_quota(total, areas):
    alloc = allocate_points(total, dict(enumerate(areas)))
    assert sum(alloc.values()) == total
    for k, a in enumerate(areas):
        quota = total * a / sum(areas)
        assert math.floor(quota) <= alloc[k] <= math.floor(quota) + 1


def test_points_fall_in_their_strata_and_respect_the_spacing():
    s = _strata()
    grid = strata_from_array(s, GT)
    fixed = np.array([[560000.0 + 15 * 30, 4250000.0 - 30 * 30]])  # a measured plot in stratum 1
    pts = random_points_in_strata(grid, {1: 15, 2: 15}, min_spacing=150.0, seed=7, fixed_xy=fixed)
    assert pts.placed == {1: 15, 2: 15} and pts.shortfall == {}
    assert_array_equal(s[pts.row, pts.col], pts.stratum)  # every point on a pixel of its own stratum
    assert set(pts.stratum.tolist()) == {1, 2}
    # pixel centres
    assert_allclose(pts.x, GT[0] + (pts.col + 0.5) * 30.0)
    assert_allclose(pts.y, GT[3] - (pts.row + 0.5) * 30.0)
    xy = np.column_stack([pts.x, pts.y])
    assert pdist(xy).min() >= 150.0
    assert np.hypot(*(xy - fixed[0]).T).min() >= 150.0


def test_same_seed_same_points_other_seed_other_points():
    s = _strata()
    a = random_points_in_strata(s, {1: 10, 2: 5, 3: 5}, 3.0, seed=42)
    b = random_points_in_strata(s, {1: 10, 2: 5, 3: 5}, 3.0, seed=42)
    c = random_points_in_strata(s, {1: 10, 2: 5, 3: 5}, 3.0, seed=43)
    assert_array_equal(a.row, b.row) and assert_array_equal(a.col, b.col)
    assert not (np.array_equal(a.row, c.row) and np.array_equal(a.col, c.col))


def test_no_points_in_strata_without_measured_plots():
    s = _strata()
    counts = count_strata(s)
    assert {k: v.pixels for k, v in counts.items()} == {1: 60 * 30 - 25, 2: 60 * 30, 3: 60 * 20}
    means = stratum_means([1, 2], [10.0, 20.0], [300.0, 400.0])  # no plot in stratum 3
    eligible = {k: v.area_m2 for k, v in counts.items() if k in means}
    alloc = allocate_points(40, eligible)
    assert sum(alloc.values()) == 40 and 3 not in alloc
    pts = random_points_in_strata(s, alloc, 0.0, seed=1, counts=counts)
    assert 3 not in set(pts.stratum.tolist()) and len(pts) == 40


def test_shortfalls_are_explained():
    s = np.array([[1, 1, 1, 2, 2, 2, 2, 2, 2, 2]], dtype=float)
    pts = random_points_in_strata(s, {1: 5, 2: 3, 4: 1}, 0.0, seed=0)
    assert pts.placed == {1: 3, 2: 3, 4: 0}
    assert "only 3 eligible pixels" in pts.shortfall[1] and "only 0 eligible pixels" in pts.shortfall[4]
    # spacing 3 on a line of 7 pixels of stratum 2 (cols 3..9): at most 3 points (e.g. 3, 6, 9)
    pts = random_points_in_strata(s, {2: 6}, 3.0, seed=0)
    assert pts.placed[2] <= 3 and "no more room" in pts.shortfall[2]
    assert np.diff(np.sort(pts.col)).min() >= 3


def test_drawing_every_pixel_of_a_stratum_takes_each_once():
    s = _strata(20, 20)
    n2 = int((s == 2).sum())
    pts = random_points_in_strata(s, {2: n2}, 0.0, seed=3)
    assert len(pts) == n2 and len(set(zip(pts.row.tolist(), pts.col.tolist()))) == n2


def test_draw_is_uniform_over_the_pixels_of_a_stratum():
    s = np.ones((10, 10))
    hits = np.zeros((10, 10))
    for seed in range(400):
        pts = random_points_in_strata(s, {1: 5}, 0.0, seed=seed)
        hits[pts.row, pts.col] += 1
    # 2000 draws over 100 pixels: 20 expected per pixel; a chi-square with 99 df stays below ~150.
    chi2 = ((hits - 20.0) ** 2 / 20.0).sum()
    assert chi2 < 150


def test_blockwise_raster_reader_gives_the_same_points_as_the_array(tmp_path):
    s = _strata()
    npp = np.full(s.shape, 500.0)
    npp[10:12, :] = np.nan  # nodata NPP: these pixels are in no stratum
    npp[20, 40:50] = 0.0  # NPP not positive: in no stratum either
    s_path = write_raster(tmp_path / "strata.tif", s)
    n_path = write_raster(tmp_path / "npp.tif", npp)
    expected_codes = np.where(np.isfinite(s), s, np.nan)
    expected_codes[~(np.isfinite(npp) & (npp > 0))] = np.nan
    grid = strata_from_rasters(
        raster.open_band("NPP", n_path), raster.open_band("Stratum", s_path), memory_mb=0.002
    )
    assert len(grid.windows) > 60  # many small windows
    ref = strata_from_array(s, GT, npp=npp)
    got, want = count_strata(grid), count_strata(ref)
    assert {k: v.pixels for k, v in got.items()} == {k: v.pixels for k, v in want.items()}
    # the raster's areas are true areas on UTM 48N (1/k² = 1.0007 there), the array's map areas
    assert all(got[k].area_m2 / want[k].area_m2 == pytest.approx(1.000712, abs=2e-5) for k in want)
    a = random_points_in_strata(grid, {1: 12, 2: 12, 3: 6}, 100.0, seed=5)
    b = random_points_in_strata(ref, {1: 12, 2: 12, 3: 6}, 100.0, seed=5)
    assert_array_equal(a.row, b.row) and assert_array_equal(a.col, b.col)
    assert np.isfinite(expected_codes[a.row, a.col]).all()


def test_climate_and_ecosystem_rasters_combine(tmp_path):
    clim = np.array([[1, 1, 2], [2, 2, np.nan]])
    eco = np.array([[3, 4, 3], [3, 12, 3]])
    assert combine_strata(clim, eco).tolist() == [[1003, 1004, 2003], [2003, 2012, NO_STRATUM]]
    with pytest.raises(ValueError, match="ecosystem codes must be 0–999"):
        combine_strata(np.array([1.0]), np.array([1000.0]), "clim", "eco")
    c_path = write_raster(tmp_path / "c.tif", clim)
    e_path = write_raster(tmp_path / "e.tif", eco)
    n_path = write_raster(tmp_path / "n.tif", np.full(clim.shape, 1.0))
    grid = strata_from_rasters(
        raster.open_band("NPP", n_path),
        climate=raster.open_band("Climate", c_path, "clim"),
        ecosystem=raster.open_band("Ecosystem", e_path, "eco"),
    )
    assert {k: v.pixels for k, v in count_strata(grid).items()} == {1003: 1, 1004: 1, 2003: 2, 2012: 1}


def test_fractional_stratum_codes_name_the_layer(tmp_path):
    s_path = write_raster(tmp_path / "s.tif", np.array([[1.0, 2.5]]))
    n_path = write_raster(tmp_path / "n.tif", np.array([[1.0, 1.0]]))
    grid = strata_from_rasters(raster.open_band("NPP", n_path), raster.open_band("S", s_path, "landcover"))
    with pytest.raises(ValueError, match="Layer 'landcover': stratum codes must be whole numbers; found 2.5"):
        count_strata(grid)


def test_rasters_on_different_grids_are_refused(tmp_path):
    s_path = write_raster(tmp_path / "s.tif", np.ones((4, 4)))
    n_path = write_raster(tmp_path / "n.tif", np.ones((4, 5)))
    with pytest.raises(raster.RasterInputError, match="'npp_other'"):
        strata_from_rasters(
            raster.open_band("NPP", n_path, "npp_other"), raster.open_band("S", s_path, "strata")
        )


def test_spacing_on_a_geographic_grid_is_in_metres():
    gt = (105.0, 0.001, 0.0, 37.0, 0.0, -0.001)  # ~89 m × 111 m pixels at 37° N
    grid = strata_from_array(np.ones((40, 40)), gt, geographic=True)
    pts = random_points_in_strata(grid, {1: 20}, 400.0, seed=2)
    lon, lat = np.radians(pts.x), np.radians(pts.y)
    i, j = np.triu_indices(len(pts), 1)
    # haversine distance, R = 6371008.8 m
    h = (
        np.sin((lat[j] - lat[i]) / 2) ** 2
        + np.cos(lat[i]) * np.cos(lat[j]) * np.sin((lon[j] - lon[i]) / 2) ** 2
    )
    d = 2 * 6371008.8 * np.arcsin(np.sqrt(h))
    assert len(pts) == 20 and d.min() >= 400.0


def test_argument_checks():
    with pytest.raises(ValueError, match="min_spacing"):
        random_points_in_strata(np.ones((2, 2)), {1: 1}, -1.0, seed=0)
    with pytest.raises(ValueError, match="n_per_stratum"):
        random_points_in_strata(np.ones((2, 2)), {1: -1}, 0.0, seed=0)
    with pytest.raises(ValueError, match="2-D"):
        strata_from_array(np.ones(3))

"""Global and local Moran's I against esda/libpysal on the same data and weights, and the raster driver."""

import os
import warnings

import numpy as np
import pytest
from osgeo import gdal
from rasters import read_raster, write_raster
from scipy import ndimage, stats

from core.engine.raster import Cancelled, OutputSpec, open_band
from core.spatial import moran as mk
from core.spatial import moran_raster as mr

esda_moran = pytest.importorskip("esda.moran")
esda = pytest.importorskip("esda")
libpysal_weights = pytest.importorskip("libpysal.weights")
from esda.crand import vec_permutations  # noqa: E402


# ------------------------------------------------------------------------------------------- helpers
def _grid_with_holes(seed=3, shape=(9, 11)):
    """Autocorrelated values with nodata holes and one isolated valid cell at (7, 1)."""
    rng = np.random.default_rng(seed)
    vals = rng.normal(size=shape).cumsum(axis=1)
    vals[2, 3] = np.nan
    vals[5, 5:8] = np.nan
    vals[0, 0] = np.nan
    vals[6:9, 0:3] = np.nan
    vals[7, 1] = 5.0  # valid, but every neighbour is nodata
    return vals


def _libpysal_w(vals, contiguity):
    """libpysal W of the valid cells with a valid neighbour, by the same valid-neighbour rule."""
    rows, cols = vals.shape
    valid = np.isfinite(vals)
    neighbours = {}
    for r in range(rows):
        for c in range(cols):
            if not valid[r, c]:
                continue
            nb = [
                (r + dr) * cols + c + dc
                for dr, dc in mk.neighbour_offsets(contiguity)
                if 0 <= r + dr < rows and 0 <= c + dc < cols and valid[r + dr, c + dc]
            ]
            if nb:
                neighbours[r * cols + c] = nb
    ids = sorted(neighbours)
    return libpysal_weights.W({i: neighbours[i] for i in ids}, id_order=ids), np.array(ids)


def _esda(cls, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cls(*args, **kwargs)


def _smooth_field(side, seed=0, nodata_share=0.0):
    rng = np.random.default_rng(seed)
    v = ndimage.uniform_filter(rng.normal(size=(side, side)), 5)
    v[rng.random(v.shape) < nodata_share] = np.nan
    return v


# ------------------------------------------------------------------------------------------- kernels
def test_neighbour_sum_counts_valid_neighbours_at_edges_and_holes():
    valid = np.ones((3, 4), dtype=bool)
    valid[1, 1] = False
    counts = mk.neighbour_sum(np.pad(valid, 1), "queen")
    assert counts.tolist() == [[2, 4, 4, 3], [4, 8, 7, 5], [2, 4, 4, 3]]  # (1, 1) is nodata itself
    assert mk.neighbour_sum(np.pad(valid, 1), "rook").tolist() == [[2, 2, 3, 2], [2, 4, 3, 3], [2, 2, 3, 2]]
    with pytest.raises(ValueError, match="contiguity must be one of"):
        mk.neighbour_sum(np.pad(valid, 1), "bishop")


def test_block_mean_uses_valid_pixels_only():
    v = np.array([[1.0, 3.0, np.nan], [np.nan, 2.0, np.nan], [4.0, 4.0, 4.0]])
    out = mk.block_mean(v, 2)
    np.testing.assert_allclose(out, [[2.0, np.nan], [4.0, 4.0]])
    with pytest.raises(ValueError, match="factor must be a positive integer"):
        mk.block_mean(v, 0)


def test_quadrant_codes_and_esda_mapping():
    assert mk.quadrant([1, -1, 1, -1, 0], [1, -1, -1, 1, 0]).tolist() == [
        mk.HIGH_HIGH,
        mk.LOW_LOW,
        mk.HIGH_LOW,
        mk.LOW_HIGH,
        mk.LOW_LOW,
    ]
    assert mk.ESDA_QUADRANT == {1: mk.HIGH_HIGH, 2: mk.LOW_HIGH, 3: mk.LOW_LOW, 4: mk.HIGH_LOW}
    colours = {c.name: c.color for c in mk.LISA_CLUSTERS.classes}
    assert colours["High-High"] == "#d7191c" and colours["Low-Low"] == "#2c7bb6"
    assert colours["Not significant"] == "#d9d9d9"
    assert "alpha" not in mk.lisa_scheme(0.01, True).title and "0.01" in mk.lisa_scheme(0.01, True).title


# ------------------------------------------------------------------------------------------- global I
@pytest.mark.parametrize("contiguity", ["queen", "rook"])
def test_global_moran_equals_esda_on_a_grid_with_holes_and_an_island(contiguity):
    vals = _grid_with_holes()
    w, ids = _libpysal_w(vals, contiguity)
    y = vals.ravel()[ids]
    np.random.seed(7)  # noqa: NPY002 - esda's Moran permutes with the global generator
    ref = _esda(esda_moran.Moran, y, w, permutations=99)
    res = mr.global_moran_raster(
        vals, contiguity=contiguity, permutations=99, seed=np.random.RandomState(7), alternative="directed"
    )
    g = res.moran
    assert (g.n, res.n_isolated, res.n_valid) == (ref.n, 1, ref.n + 1)
    for name in ("I", "EI", "VI_norm", "z_norm", "p_norm", "VI_rand", "z_rand", "p_rand", "EI_sim", "z_sim"):
        assert getattr(g, name) == pytest.approx(getattr(ref, name), rel=1e-9, abs=1e-12), name
    assert (g.S0, g.S1, g.S2) == pytest.approx((w.s0, w.s1, w.s2), rel=1e-12)
    assert g.p_sim == ref.p_sim  # same permutations: esda's directed p reproduced exactly
    # the default folded two-sided p from the same permutations, computed from esda's own simulations
    folded = mr.global_moran_raster(
        vals, contiguity=contiguity, permutations=99, seed=np.random.RandomState(7)
    )
    sim = np.asarray(ref.sim)
    expected = (1 + np.sum(np.abs(sim - sim.mean()) >= abs(ref.I - sim.mean()))) / 100
    assert folded.moran.p_sim == pytest.approx(expected)
    assert folded.moran.p_sim_method == "permutation (folded)"


def test_global_moran_full_grid_equals_esda_with_lat2w():
    vals = _smooth_field(12, seed=5)
    w = libpysal_weights.lat2W(12, 12, rook=False)
    ref = _esda(esda_moran.Moran, vals.ravel(), w, permutations=0)
    g = mr.global_moran_raster(vals, permutations=0).moran
    assert g.I == pytest.approx(ref.I, rel=1e-12)
    assert g.VI_rand == pytest.approx(ref.VI_rand, rel=1e-12)
    assert g.p_norm == pytest.approx(ref.p_norm, rel=1e-9)
    assert g.p_sim_method == "not computed"


def test_global_permutation_is_seeded_and_large_grids_use_the_documented_approximation():
    vals = _smooth_field(30, seed=2, nodata_share=0.05)
    a = mr.global_moran_raster(vals, permutations=49, seed=1).moran
    b = mr.global_moran_raster(vals, permutations=49, seed=1).moran
    assert a.EI_sim == b.EI_sim and a.p_sim == b.p_sim == pytest.approx(1 / 50)
    big = mr.global_moran_raster(vals, permutations=49, max_permutation_cells=100)
    assert big.moran.p_sim == big.moran.p_rand
    assert big.moran.p_sim_method.startswith("normal approximation")
    assert "Permutation test skipped" in big.notes[0]


def test_global_moran_refuses_too_few_cells_and_constant_values():
    with pytest.raises(ValueError, match="at least 4 valid cells with a valid neighbour; found 2"):
        mr.global_moran_raster(np.array([[1.0, 2.0, np.nan, np.nan, 5.0]]))
    with pytest.raises(ValueError, match="all analysed values are equal"):
        mr.global_moran_raster(np.ones((4, 4)))


# ---------------------------------------------------------------------------------------------- LISA
@pytest.mark.parametrize("contiguity", ["queen", "rook"])
def test_lisa_permutation_equals_esda_with_the_same_draws(contiguity):
    vals = _grid_with_holes(seed=11)
    w, ids = _libpysal_w(vals, contiguity)
    y = vals.ravel()[ids]
    n, k = y.size, 199
    draws = vec_permutations(int(max(w.cardinalities.values())), n, k, 11)
    ref = _esda(esda_moran.Moran_Local, y, w, permutations=k, seed=11)
    directed = mr.local_moran_raster(
        vals, contiguity=contiguity, inference="permutation", draws=draws, alternative="directed"
    )
    out = {key: directed.arrays[key].ravel()[ids] for key in ("Ii", "z", "p", "quadrant")}
    np.testing.assert_allclose(out["Ii"] * (n - 1) / n, ref.Is, rtol=1e-10, atol=1e-12)  # esda: m2 by n-1
    np.testing.assert_array_equal(out["p"], ref.p_sim)  # esda 2.6's (one-sided) p_sim, reproduced exactly
    np.testing.assert_allclose(out["z"], ref.z_sim, rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(out["quadrant"], [mk.ESDA_QUADRANT[q] for q in ref.q])
    # The default: two-sided, the permutation distribution folded about its mean, from esda's simulations.
    folded = mr.local_moran_raster(vals, contiguity=contiguity, inference="permutation", draws=draws)
    sim = ref.sim.T
    centre = sim.mean(axis=1, keepdims=True)
    count = (np.abs(sim - centre) >= np.abs(ref.Is[:, None] - centre)).sum(axis=1)
    np.testing.assert_array_equal(folded.arrays["p"].ravel()[ids], (count + 1) / (k + 1))
    assert folded.global_I == pytest.approx(_esda(esda_moran.Moran, y, w, permutations=0).I)


def test_isolated_cell_is_classed_isolated_never_low_low_and_nodata_stays_nodata():
    vals = _grid_with_holes()
    res = mr.local_moran_raster(vals, inference="analytic")
    assert res.n_isolated == 1
    assert res.arrays["cluster"][7, 1] == mk.ISOLATED and res.arrays["quadrant"][7, 1] == mk.ISOLATED
    assert np.isnan(res.arrays["Ii"][7, 1]) and np.isnan(res.arrays["p"][7, 1])
    holes = np.isnan(vals)
    assert (res.arrays["cluster"][holes] == 0).all() and np.isnan(res.arrays["Ii"][holes]).all()
    analysed = ~holes
    analysed[7, 1] = False
    assert set(np.unique(res.arrays["cluster"][analysed])) <= {1, 2, 3, 4, 5}
    rows = {r.name: r for r in res.report.class_areas["cluster"]}
    assert rows["Isolated (no valid neighbour)"].pixels == 1
    assert sum(r.pixels for r in rows.values()) == res.n_valid
    # an array has no CRS: no areas, no shares, and a warning that says so
    assert all(r.area_m2 is None and r.share_pct is None for r in rows.values())
    assert "no coordinate reference system" in res.report.warnings[0]
    assert "excluded from n" in res.notes[0]


def test_missing_values_do_not_become_significant_low_low():
    # esda once labelled every cell Low-Low with p = 1/(K+1) when y held NaN; here NaN is nodata.
    vals = _smooth_field(20, seed=4, nodata_share=0.2)
    res = mr.local_moran_raster(vals, inference="permutation", permutations=99)
    p = res.arrays["p"]
    assert np.isfinite(p[np.isfinite(vals) & (res.arrays["cluster"] != mk.ISOLATED)]).all()
    assert np.mean(p[np.isfinite(p)] <= 0.01) < 0.5


def test_cells_at_the_mean_get_p_1_and_tied_values_count_as_extreme():
    # Integer values with mean exactly 1: cells at 1 have z = 0, so every permuted I equals I = 0.
    # esda 2.6 gives them p_sim = 1/(K+1) and the Low-Low quadrant; here p = 1, Not significant.
    rng = np.random.default_rng(1)
    vals = rng.permutation(np.repeat([0.0, 1.0, 2.0], [120, 160, 120])).reshape(20, 20)
    res = mr.local_moran_raster(vals, inference="permutation", permutations=99, seed=2)
    at_mean = vals == 1.0
    assert (res.arrays["p"][at_mean] == 1.0).all() and (res.arrays["z"][at_mean] == 0).all()
    assert (res.arrays["cluster"][at_mean] == mk.NOT_SIGNIFICANT).all()
    again = mr.local_moran_raster(vals, inference="permutation", permutations=99, seed=2)
    np.testing.assert_array_equal(res.arrays["p"], again.arrays["p"])  # ties are not left to rounding


@pytest.mark.parametrize("contiguity", ["queen", "rook"])
def test_analytic_moments_match_anselin_by_hand_and_esda_ei(contiguity):
    vals = _grid_with_holes(seed=8)
    w, ids = _libpysal_w(vals, contiguity)
    y = vals.ravel()[ids]
    n = y.size
    ref = _esda(esda_moran.Moran_Local, y, w, permutations=0)
    res = mr.local_moran_raster(vals, contiguity=contiguity, inference="analytic")
    card = np.array([w.cardinalities[i] for i in ids], dtype=float)
    e, v = mk.anselin_moments(1.0, 1.0 / card, n, res.b2)
    np.testing.assert_allclose(e, ref.EI, rtol=1e-12)
    # by hand: row-standardised, w_i. = 1, w_i(2) = 1/c, 2 w_i(kh) = 1 - 1/c, b2 = m4 / m2^2
    z = y - y.mean()
    b2 = np.mean(z**4) / np.mean(z**2) ** 2
    assert res.b2 == pytest.approx(b2)
    hand = (
        (1 / card) * (n - b2) / (n - 1)
        + (1 - 1 / card) * (2 * b2 - n) / ((n - 1) * (n - 2))
        - 1 / (n - 1) ** 2
    )
    np.testing.assert_allclose(v, hand, rtol=1e-12)
    # esda < 2.8 computes b2 per site (z_i^4/n, pysal/esda#390; test_moran_oracles.py); esda >= 2.8 is right
    if tuple(int(x) for x in esda.__version__.split(".")[:2]) >= (2, 8):
        np.testing.assert_allclose(ref.VI, hand, rtol=1e-10)
    else:
        _, v_per_site = mk.anselin_moments(1.0, 1.0 / card, n, ref.z**4 / n)
        np.testing.assert_allclose(ref.VI, v_per_site, rtol=1e-10)
    ii = (ref.Is * n / (n - 1)).astype(float)
    np.testing.assert_allclose(res.arrays["z"].ravel()[ids], (ii - e) / np.sqrt(hand), rtol=1e-9)
    np.testing.assert_allclose(
        res.arrays["p"].ravel()[ids], 2 * stats.norm.sf(np.abs((ii - e) / np.sqrt(hand))), rtol=1e-8
    )


def _brute_force_counts(zfull, lag, card, pos, draws):
    """esda crand semantics, one site at a time: the permuted lag of every permutation, then counts."""
    out = []
    n = zfull.size
    for zi, li, ci, pi in zip(zfull[pos], lag, card, pos):
        others = np.delete(np.arange(n), pi)
        sims = np.array([zfull[others[d[:ci]]].mean() for d in draws])
        centre = sims.mean()
        out.append(len(draws) if zi == 0 else int(np.sum(np.abs(sims - centre) >= abs(li - centre))))
    return np.array(out)


def test_local_permutation_test_streams_any_subset_of_sites_like_brute_force():
    rng = np.random.default_rng(5)
    n = 300
    zfull = rng.normal(size=n)
    zfull -= zfull.mean()
    draws = mk.permutation_draws(n, 6, 99, seed=3)
    test = mk.LocalPermutationTest(n, draws, zfull[draws], zfull[draws + 1])
    pos = np.sort(rng.choice(n, 80, replace=False))
    card = rng.integers(1, 7, pos.size)
    lag = rng.normal(size=pos.size)
    count, lag_mean, lag_sd = test.counts(pos, card, zfull[pos], lag)
    np.testing.assert_array_equal(count, _brute_force_counts(zfull, lag, card, pos, draws))
    # two windows give what one gives (the sites stream in position order)
    half = pos.size // 2
    a = test.counts(pos[:half], card[:half], zfull[pos[:half]], lag[:half])[0]
    b = test.counts(pos[half:], card[half:], zfull[pos[half:]], lag[half:])[0]
    np.testing.assert_array_equal(np.r_[a, b], count)
    with pytest.raises(ValueError, match="strictly increasing"):
        test.counts(pos[::-1], card, zfull[pos], lag)


def test_folded_pseudo_p_is_two_sided_under_the_null_and_the_directed_one_overstates():
    # iid values: no autocorrelation, so about alpha of the cells should be called significant.
    vals = np.random.default_rng(21).normal(size=(60, 60))
    folded = mr.local_moran_raster(vals, inference="permutation", permutations=199, seed=1)
    directed = mr.local_moran_raster(
        vals, inference="permutation", permutations=199, seed=1, alternative="directed"
    )
    share_f = np.mean(folded.arrays["p"] <= 0.05)
    share_d = np.mean(directed.arrays["p"] <= 0.05)
    assert 0.03 < share_f < 0.075
    assert share_d > 1.6 * share_f  # the one-sided p calls about twice as many cells
    # the analytic p agrees in distribution
    analytic = mr.local_moran_raster(vals, inference="analytic")
    assert 0.03 < np.mean(analytic.arrays["p"] <= 0.05) < 0.075


def test_permutations_are_reproducible_with_a_seed_and_auto_chooses_by_size():
    vals = _smooth_field(25, seed=9)
    a = mr.local_moran_raster(vals, inference="auto", permutations=99, seed=5)
    b = mr.local_moran_raster(vals, inference="permutation", permutations=99, seed=5)
    c = mr.local_moran_raster(vals, inference="permutation", permutations=99, seed=6)
    assert a.inference == "permutation" and a.permutations == 99
    np.testing.assert_array_equal(a.arrays["p"], b.arrays["p"])
    assert not np.array_equal(a.arrays["p"], c.arrays["p"])
    big = mr.local_moran_raster(vals, inference="auto", auto_max_cells=100)
    assert big.inference == "analytic" and big.permutations == 0


# ---------------------------------------------------------------------------------------------- FDR
def _bh_adjusted(p):
    """Benjamini-Hochberg adjusted p-values: scipy's (>= 1.11), by hand on older scipy (Debian 12's 1.10)."""
    if hasattr(stats, "false_discovery_control"):
        return stats.false_discovery_control(p, method="bh")
    p = np.asarray(p, dtype=float)
    order = np.argsort(p, kind="stable")
    scaled = p[order] * p.size / np.arange(1, p.size + 1)
    adjusted = np.empty_like(p)
    adjusted[order] = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    return adjusted


def test_fdr_threshold_matches_a_direct_benjamini_hochberg():
    rng = np.random.default_rng(2)
    p = np.r_[rng.uniform(0, 1, 900), rng.uniform(0, 0.002, 100)]
    t = mk.fdr_threshold(p, 0.05)
    adjusted = _bh_adjusted(p)
    np.testing.assert_array_equal(p <= t, adjusted <= 0.05)
    assert mk.fdr_threshold(rng.uniform(0.5, 1, 100), 0.05) == float("-inf")


@pytest.mark.parametrize(
    "p",
    [
        np.random.default_rng(3).uniform(0, 1, 20000) ** 3,
        np.r_[np.zeros(50), np.full(3000, 1e-250), np.random.default_rng(4).uniform(0, 1, 7000)],
        (np.random.default_rng(5).integers(0, 1000, 30000) + 1) / 1000.0,  # ties: permutation p-values
        np.r_[np.full(20000, 0.0123), np.random.default_rng(6).uniform(0, 1, 5000)],
    ],
)
def test_streaming_fdr_equals_in_memory(p):
    chunks = lambda: np.array_split(p, 9)  # noqa: E731
    expected = mk.fdr_threshold(p, 0.05)
    assert mk.fdr_threshold_streaming(chunks, p.size, 0.05) == expected
    # tiny bins and exact-resolution limit force the refinement passes
    assert mk.fdr_threshold_streaming(chunks, p.size, 0.05, bins=16, max_exact=10) == expected


def test_lisa_with_fdr_classes_exactly_the_bh_cells():
    vals = _smooth_field(40, seed=3, nodata_share=0.03)
    res = mr.local_moran_raster(vals, inference="analytic", fdr=True, alpha=0.05)
    p = res.arrays["p"]
    analysed = np.isfinite(p)
    adjusted = _bh_adjusted(p[analysed])
    significant = np.isin(res.arrays["cluster"][analysed], [1, 2, 3, 4])
    np.testing.assert_array_equal(significant, adjusted <= 0.05)
    plain = mr.local_moran_raster(vals, inference="analytic")
    assert np.sum(np.isin(plain.arrays["cluster"], [1, 2, 3, 4])) >= significant.sum()
    assert res.threshold <= 0.05


# ------------------------------------------------------------------------------ GeoTIFFs, windows, areas
def _specs(tmp_path, scheme):
    return [
        OutputSpec("Ii", str(tmp_path / "ii.tif"), "Local Moran's I", ramp=("#0000ff", "#ffffff", "#ff0000")),
        OutputSpec("z", str(tmp_path / "z.tif"), "z"),
        OutputSpec("p", str(tmp_path / "p.tif"), "p"),
        OutputSpec("cluster", str(tmp_path / "cluster.tif"), "LISA cluster", dtype="uint8", scheme=scheme),
    ]


@pytest.mark.parametrize("inference,fdr", [("analytic", False), ("permutation", True)])
def test_geotiff_in_many_strips_equals_the_array_result(tmp_path, inference, fdr):
    vals = _smooth_field(300, seed=1, nodata_share=0.05)
    vals[100:140, 50:90] = np.nan
    path = write_raster(tmp_path / "in.tif", vals)
    stored = read_raster(path)  # float32 as written
    scheme = mk.lisa_scheme(0.05, fdr)
    res = mr.local_moran_raster(
        open_band("Carbon", path),
        _specs(tmp_path, scheme),
        inference=inference,
        permutations=99,
        seed=4,
        fdr=fdr,
        memory_mb=1,  # strips of a few rows: halos and the streamed permutations are exercised
    )
    ref = mr.local_moran_raster(stored, inference=inference, permutations=99, seed=4, fdr=fdr)
    np.testing.assert_allclose(read_raster(tmp_path / "ii.tif"), ref.arrays["Ii"], rtol=2e-6, atol=1e-6)
    np.testing.assert_allclose(read_raster(tmp_path / "p.tif"), ref.arrays["p"], rtol=2e-6, atol=1e-9)
    cluster = gdal.Open(str(tmp_path / "cluster.tif"))
    np.testing.assert_array_equal(cluster.ReadAsArray(), ref.arrays["cluster"])
    band = cluster.GetRasterBand(1)
    assert band.GetNoDataValue() == 0 and band.GetCategoryNames()[1] == "High-High"
    assert band.GetColorTable().GetColorEntry(1)[:3] == (215, 25, 28)
    assert os.path.exists(tmp_path / "cluster.qml") and os.path.exists(tmp_path / "ii.qml")
    assert gdal.Open(str(tmp_path / "ii.tif")).GetRasterBand(1).GetDescription() == "Local Moran's I"
    areas = res.report.class_areas["cluster"]
    assert sum(a.pixels for a in areas) == res.n_valid
    # 30 m pixels of UTM 48N 60 km east of the central meridian: 1/k² = 1.0007 more than the map's 900 m²
    assert sum(a.area_m2 for a in areas) == pytest.approx(res.n_valid * 900.0 * 1.000712, rel=2e-5)
    assert res.threshold == pytest.approx(ref.threshold)


def test_aggregation_by_block_means_gives_outputs_on_the_coarse_grid(tmp_path):
    vals = _smooth_field(61, seed=6, nodata_share=0.1)
    path = write_raster(tmp_path / "in.tif", vals)
    scheme = mk.lisa_scheme()
    res = mr.local_moran_raster(
        path,
        [OutputSpec("cluster", str(tmp_path / "c.tif"), "c", dtype="uint8", scheme=scheme)],
        aggregate=4,
        inference="analytic",
        memory_mb=1,
    )
    ds = gdal.Open(str(tmp_path / "c.tif"))
    assert (ds.RasterXSize, ds.RasterYSize) == (16, 16)
    assert ds.GetGeoTransform() == pytest.approx((560000.0, 120.0, 0.0, 4250000.0, 0.0, -120.0))
    ref = mr.local_moran_raster(mk.block_mean(read_raster(path), 4), inference="analytic")
    np.testing.assert_array_equal(ds.ReadAsArray(), ref.arrays["cluster"])
    assert res.aggregate == 4 and res.n == ref.n
    g = mr.global_moran_raster(path, aggregate=4, permutations=0, memory_mb=1)
    assert g.moran.I == pytest.approx(ref.global_I, rel=1e-6)  # the coarse raster is float32


def test_cancel_removes_partial_outputs(tmp_path):
    vals = _smooth_field(200, seed=2)
    path = write_raster(tmp_path / "in.tif", vals)
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 20

    with pytest.raises(Cancelled):
        mr.local_moran_raster(
            path,
            _specs(tmp_path, mk.lisa_scheme()),
            inference="analytic",
            memory_mb=1,
            is_cancelled=cancelled,
        )
    assert not any(f.endswith(".tif") and f != "in.tif" for f in os.listdir(tmp_path))


def test_arguments_are_validated():
    vals = _smooth_field(10)
    with pytest.raises(ValueError, match="inference must be one of"):
        mr.local_moran_raster(vals, inference="bootstrap")
    with pytest.raises(ValueError, match="alpha must be in"):
        mr.local_moran_raster(vals, alpha=1.5)
    with pytest.raises(ValueError, match="alternative must be one of"):
        mr.global_moran_raster(vals, alternative="greater")
    with pytest.raises(ValueError, match="aggregate must be a positive integer"):
        mr.global_moran_raster(vals, aggregate=0)
    with pytest.raises(ValueError, match="output key must be one of"):
        mr.local_moran_raster(vals, [OutputSpec("lag", "/tmp/x.tif", "x")])


# ------------------------------------------------------------------------------------ feature weights
shapely_geometry = pytest.importorskip("shapely.geometry")


def _polygons():
    """A 5 x 4 block of unit squares (one a multipolygon, one with a hole), a lone square, a triangle."""
    box = shapely_geometry.box
    polys = [box(c, r, c + 1, r + 1) for r in range(4) for c in range(5)]
    polys[7] = shapely_geometry.MultiPolygon([box(2, 1, 3, 2), box(8, 8, 9, 9)])
    polys[12] = box(2, 2, 3, 3).difference(box(2.4, 2.4, 2.6, 2.6))
    polys.append(box(20, 20, 21, 21))  # an island
    polys.append(shapely_geometry.Polygon([(5, 0), (6, 0), (5, 1)]))  # touches square 4 along an edge
    return polys


def _rings_of(polys):
    rings = []
    for i, p in enumerate(polys):
        for part in getattr(p, "geoms", [p]):
            rings.append((i, np.asarray(part.exterior.coords)))
            rings.extend((i, np.asarray(hole.coords)) for hole in part.interiors)
    return rings


def _neighbour_sets(matrix):
    m = matrix.tocsr()
    return {i: set(m.indices[m.indptr[i] : m.indptr[i + 1]].tolist()) for i in range(m.shape[0])}


@pytest.mark.parametrize("contiguity", ["queen", "rook"])
def test_contiguity_weights_equal_libpysal(contiguity):
    polys = _polygons()
    ours = _neighbour_sets(mk.contiguity_weights(_rings_of(polys), len(polys), contiguity))
    cls = libpysal_weights.Queen if contiguity == "queen" else libpysal_weights.Rook
    ref = _esda(cls.from_iterable, polys)
    assert ours == {i: set(ref.neighbors[i]) for i in range(len(polys))}
    assert ours[20] == set()  # the island


def test_knn_and_distance_band_weights_equal_libpysal():
    xy = np.random.default_rng(3).uniform(0, 100, (60, 2))
    ref = _esda(libpysal_weights.KNN.from_array, xy, k=4)
    assert _neighbour_sets(mk.knn_weights(xy, 4)) == {i: set(ref.neighbors[i]) for i in range(60)}
    band = _esda(libpysal_weights.DistanceBand.from_array, xy, threshold=12.0, silence_warnings=True)
    assert _neighbour_sets(mk.distance_band_weights(xy, 12.0)) == {
        i: set(band.neighbors[i]) for i in range(60)
    }
    with pytest.raises(ValueError, match="k must be in 1..n-1"):
        mk.knn_weights(xy[:3], 3)


def test_analysed_weights_drop_null_units_and_set_islands_aside():
    polys = _polygons()
    a = mk.contiguity_weights(_rings_of(polys), len(polys), "rook")
    valid = np.ones(len(polys), dtype=bool)
    valid[[0, 6]] = False  # square 5 loses its rook neighbours 0 and 6 ... and keeps 10
    aw = mk.analysed_weights(a, valid)
    assert 20 in aw.isolated and 0 not in aw.index and 6 not in aw.index
    assert (aw.card >= 1).all() and aw.neighbours.shape == (aw.index.size, aw.index.size)
    np.testing.assert_allclose(np.asarray(aw.row_standardised().sum(axis=1)).ravel(), 1.0)


@pytest.mark.parametrize("kind", ["queen", "knn"])
def test_sparse_moran_equals_esda_for_features(kind):
    rng = np.random.default_rng(8)
    polys = _polygons()
    y = np.array([p.centroid.x + p.centroid.y for p in polys]) + rng.normal(0, 0.5, len(polys))
    if kind == "queen":
        a = mk.contiguity_weights(_rings_of(polys), len(polys), "queen")
        w_ref = _esda(libpysal_weights.Queen.from_iterable, polys)
    else:
        xy = np.array([(p.centroid.x, p.centroid.y) for p in polys]) + rng.normal(0, 0.01, (len(polys), 2))
        a = mk.knn_weights(xy, 3)  # jittered: equidistant centroids would make the k nearest a tie-break
        w_ref = _esda(libpysal_weights.KNN.from_array, xy, k=3)
    aw = mk.analysed_weights(a, np.ones(len(polys), dtype=bool))
    ids = aw.index.tolist()
    w_sub = libpysal_weights.W({i: list(w_ref.neighbors[i]) for i in ids}, id_order=ids)
    g = mk.global_moran_sparse(y[aw.index], aw, permutations=0)
    ref = _esda(esda_moran.Moran, y[aw.index], w_sub, permutations=0)
    for name in ("I", "VI_norm", "VI_rand", "p_norm", "p_rand"):
        assert getattr(g, name) == pytest.approx(getattr(ref, name), rel=1e-9), name
    n, k = aw.index.size, 99
    draws = vec_permutations(int(aw.card.max()), n, k, 5)
    loc = _esda(esda_moran.Moran_Local, y[aw.index], w_sub, permutations=k, seed=5)
    ours = mk.local_moran_sparse(
        y[aw.index], aw, inference="permutation", draws=draws, alternative="directed"
    )
    np.testing.assert_allclose(ours["Ii"] * (n - 1) / n, loc.Is, rtol=1e-10, atol=1e-12)
    # Where a draw repeats the site's own neighbour values the permuted I equals the observed one and
    # esda's count depends on rounding; here ties count as extreme. Compare the sites without ties.
    no_tie = ~np.any(np.abs(loc.sim.T - loc.Is[:, None]) <= 1e-9, axis=1)
    assert no_tie.sum() > n // 2
    np.testing.assert_array_equal(ours["p"][no_tie], loc.p_sim[no_tie])
    np.testing.assert_array_equal(ours["quadrant"], [mk.ESDA_QUADRANT[q] for q in loc.q])
    assert kind != "queen" or 20 in aw.isolated

"""Land-use transitions and carbon contributions against a hand-computed 4 × 4 case."""

import numpy as np
import pytest

from core.carbon.landuse import (
    CNLUCC,
    NODATA,
    UNKNOWN,
    LandUseClasses,
    TransitionAccumulator,
    contributions,
    conversion_set,
    storage_t,
    transition_codes,
    transition_scheme,
)

# 16 pixels of 1 hm² each: start code, end code, start storage (t), end storage (t).
#   p9 has the second-level code 12 (dry land → cropland), p13 no end land use, p15 the unknown code 9.
START = [1, 1, 2, 3, 1, 3, 3, 3, 5, 12, 2, 2, 4, 4, 6, 9]
END = [1, 2, 2, 3, 5, 3, 1, 2, 5, 1, 2, 2, 4, np.nan, 6, 6]
C0 = [10, 10, 50, 8, 10, 8, 8, 8, 2, 11, 50, 50, 0, 0, 1, 1]
C1 = [12, 30, 55, 9, 2, 10, 12, 28, 2, 12, 52, 51, 0, 0, 1.5, 3]
AREA = [1e4] * 16
TOTAL = 50.5  # Σ ΔC of the 14 classified pixels (the unknown pixel's +2 t is left out)

# Hand-computed matrices, rows = start class 1..6, columns = end class 1..6.
AREA_HM2 = np.array(
    [
        [2, 1, 0, 0, 1, 0],
        [0, 3, 0, 0, 0, 0],
        [1, 1, 2, 0, 0, 0],
        [0, 0, 0, 1, 0, 0],
        [0, 0, 0, 0, 1, 0],
        [0, 0, 0, 0, 0, 1],
    ],
    dtype=float,
)
DC = np.array(
    [
        [3, 20, 0, 0, -8, 0],
        [0, 8, 0, 0, 0, 0],
        [4, 20, 3, 0, 0, 0],
        [0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0.5],
    ]
)


def _grid(values):
    return np.asarray(values, dtype=float).reshape(4, 4)


@pytest.fixture
def acc():
    return TransitionAccumulator(CNLUCC).add(START, END, AREA, C0, C1)


def test_transition_matrix_carbon_change_and_counts(acc):
    np.testing.assert_allclose(acc.area_m2_ / 1e4, AREA_HM2)
    np.testing.assert_allclose(acc.carbon_change_t_, DC, atol=1e-12)
    assert acc.pixels_.sum() == 14 and acc.carbon_pixels_.sum() == 14
    assert acc.total_change_t_ == pytest.approx(TOTAL)
    assert acc.carbon_start_t_[0, 0] == 21 and acc.carbon_end_t_[0, 0] == 24  # p0 + p9 (folded 12)
    assert acc.nodata_pixels_ == 1 and acc.nodata_area_m2_ == 1e4
    assert acc.unknown_pixels_ == 1 and acc.unknown_area_m2_ == 1e4
    assert acc.unknown_start_codes_ == {9: 1} and acc.unknown_end_codes_ == {}
    assert acc.unknown_change_t_ == pytest.approx(2.0)
    assert acc.folded_pixels_ == 1
    assert acc.carbon_missing_pixels_ == 0


def test_windows_add_up_to_the_whole(acc):
    parts = TransitionAccumulator(CNLUCC)
    for a, b in ((0, 5), (5, 6), (6, 16)):
        parts.add(START[a:b], END[a:b], AREA[a:b], C0[a:b], C1[a:b])
    np.testing.assert_allclose(parts.area_m2_, acc.area_m2_)
    np.testing.assert_allclose(parts.carbon_change_t_, acc.carbon_change_t_)
    assert parts.unknown_start_codes_ == acc.unknown_start_codes_
    assert parts.nodata_pixels_ == acc.nodata_pixels_


def test_transition_table_shares_sum_to_100(acc):
    t = acc.transitions()
    pairs = list(zip(t["from_code"].tolist(), t["to_code"].tolist()))
    assert pairs == [(1, 1), (1, 2), (1, 5), (2, 2), (3, 1), (3, 2), (3, 3), (4, 4), (5, 5), (6, 6)]
    assert t["from_name"][1] == "Cropland" and t["to_name"][1] == "Forest"
    np.testing.assert_allclose(t["carbon_change_t"], [3, 20, -8, 8, 4, 20, 3, 0, 0, 0.5])
    np.testing.assert_allclose(t["share_pct"], 100 * t["carbon_change_t"] / TOTAL)
    assert t["share_pct"].sum() == pytest.approx(100.0)
    assert t["area_hm2"].sum() == pytest.approx(14.0)
    assert len(acc.transitions(include_empty=True)["from_code"]) == 36


@pytest.mark.parametrize(
    "basis, change, persistence",
    [
        ("end", [7, 48, 3, 0, -8, 0.5], [3, 8, 3, 0, 0, 0.5]),
        ("start", [15, 8, 27, 0, 0, 0.5], [3, 8, 3, 0, 0, 0.5]),
        ("stock", [-5, 66, -13, 0, 2, 0.5], [3, 8, 3, 0, 0, 0.5]),
    ],
)
def test_class_contributions_by_basis(acc, basis, change, persistence):
    c = contributions(acc, basis)
    assert c["name"].tolist() == list(CNLUCC.names)
    np.testing.assert_allclose(c["carbon_change_t"], change, atol=1e-12)
    np.testing.assert_allclose(c["persistence_change_t"], persistence, atol=1e-12)
    np.testing.assert_allclose(c["conversion_change_t"], np.subtract(change, persistence), atol=1e-12)
    np.testing.assert_allclose(c["share_pct"], 100 * np.asarray(change) / TOTAL)
    assert c["share_pct"].sum() == pytest.approx(100.0)
    assert (c["persistence_share_pct"] + c["conversion_share_pct"]).sum() == pytest.approx(100.0)
    np.testing.assert_allclose(c["area_start_hm2"], [4, 3, 4, 1, 1, 1])
    np.testing.assert_allclose(c["area_end_hm2"], [3, 5, 2, 1, 2, 1])
    np.testing.assert_allclose(c["area_change_hm2"], [-1, 2, -2, 0, 1, 0])


def test_conversion_set_among_cropland_grassland_forest(acc):
    s = conversion_set(acc, "cropland, grassland, forest")
    assert sorted(s["pairs"]) == [(1, 2), (3, 1), (3, 2)]
    assert s["change_t"] == pytest.approx(44.0)
    assert s["share_pct"] == pytest.approx(100 * 44 / TOTAL)
    assert s["pixels"] == 3 and s["area_hm2"] == pytest.approx(3.0)
    by_code = conversion_set(acc, [1, 2, 3])
    assert by_code["change_t"] == s["change_t"]
    to_built = conversion_set(acc, "cropland", targets="built")
    assert to_built["pairs"] == [(1, 5)] and to_built["change_t"] == pytest.approx(-8.0)
    with pytest.raises(ValueError, match="two different classes"):
        conversion_set(acc, "forest")
    with pytest.raises(ValueError, match="'wetland' is not a class"):
        conversion_set(acc, "forest, wetland")


def test_zero_total_gives_nan_shares():
    acc = TransitionAccumulator(CNLUCC).add([1, 2], [2, 1], [1e4, 1e4], [5.0, 5.0], [6.0, 4.0])
    assert acc.total_change_t_ == 0
    assert np.isnan(contributions(acc)["share_pct"]).all()
    assert np.isnan(conversion_set(acc, "1,2")["share_pct"])


def test_carbon_missing_pixels_count_in_area_not_in_carbon():
    acc = TransitionAccumulator(CNLUCC).add([1, 1], [1, 2], [900.0, 900.0], [4.0, np.nan], [5.0, 7.0])
    assert acc.pixels_[0, 1] == 1 and acc.carbon_pixels_[0, 1] == 0
    assert acc.carbon_missing_pixels_ == 1 and acc.carbon_missing_area_m2_ == 900.0
    assert acc.total_change_t_ == pytest.approx(1.0)
    areas_only = TransitionAccumulator(CNLUCC).add([1, 1], [1, 2], [900.0, 900.0])
    assert areas_only.pixels_.sum() == 2 and areas_only.total_change_t_ == 0


def test_index_fold_unknown_and_nodata():
    assert CNLUCC.index([1, 6, 11, 24, 33, 46, 53, 67]).tolist() == [0, 5, 0, 1, 2, 3, 4, 5]
    assert CNLUCC.index([0, 7, 9, 71, 99, 100, 1.5, -1]).tolist() == [UNKNOWN] * 8
    assert CNLUCC.index([np.nan]).tolist() == [NODATA]
    strict = LandUseClasses(CNLUCC.codes, CNLUCC.names, fold_second_level=False)
    assert strict.index([12, 1]).tolist() == [UNKNOWN, 0]
    acc = TransitionAccumulator(strict).add([12, 1.5], [12, 1], [1.0, 1.0])
    assert acc.unknown_start_codes_ == {12: 1, 1.5: 1} and acc.unknown_end_codes_ == {12: 1}
    # a table that lists second-level classes keeps them apart: 21 is forest, 22 folds to class 2
    mixed = LandUseClasses((2, 21), ("Woodland", "Closed forest"))
    assert mixed.index([21, 22, 2]).tolist() == [1, 0, 0]


def test_class_table_validation_and_resolve():
    t = LandUseClasses.from_rows([("10", "Tree cover"), (20.0, "Shrubland"), (30, "Tree plantation")])
    assert t.codes == (10, 20, 30) and t.name_of(20) == "Shrubland"
    assert t.resolve("shrub, 30") == [20, 30]
    assert t.resolve(["Tree cover", "tree-plantation"]) == [10, 30]
    with pytest.raises(ValueError, match="more than one class"):
        t.resolve("tree")
    with pytest.raises(ValueError, match="whole number"):
        LandUseClasses.from_rows([("1.5", "x")])
    with pytest.raises(ValueError, match="appears more than once"):
        LandUseClasses((1, 1), ("a", "b"))
    with pytest.raises(ValueError, match="name 'A' appears more than once"):
        LandUseClasses((1, 2), ("A", "a"))
    with pytest.raises(ValueError, match="empty name"):
        LandUseClasses((1, 2), ("A", " "))
    with pytest.raises(ValueError, match="empty"):
        LandUseClasses((), ())
    with pytest.raises(ValueError, match="basis"):
        contributions(TransitionAccumulator(CNLUCC), "middle")


def test_storage_from_density_or_storage():
    np.testing.assert_allclose(storage_t([50.0, np.nan], [900.0, 900.0]), [4.5, np.nan])
    np.testing.assert_allclose(storage_t([4.5], [1.0], "storage"), [4.5])
    with pytest.raises(ValueError, match="unit"):
        storage_t([1.0], [1.0], "kg")
    with pytest.raises(ValueError, match="one value per pixel"):
        storage_t([1.0, 2.0], [1.0])


def test_add_validates_shapes():
    acc = TransitionAccumulator(CNLUCC)
    with pytest.raises(ValueError, match="one value per pixel"):
        acc.add([1, 2], [1], [1.0, 1.0])
    with pytest.raises(ValueError, match="together"):
        acc.add([1], [1], [1.0], [1.0])


def test_transition_scheme_and_codes():
    scheme = transition_scheme(CNLUCC)
    assert len(scheme.classes) == 36
    assert scheme.name_of(2) == "Cropland \u2192 Forest" and scheme.name_of(1) == "Cropland (unchanged)"
    codes = transition_codes(CNLUCC, _grid(START), _grid(END))
    assert codes.dtype == np.uint8 and codes.shape == (4, 4)
    assert codes[0, 1] == 2 and codes[3, 1] == 0 and codes[3, 3] == 0  # nodata and unknown → 0
    assert scheme.name_of(int(codes[1, 2])) == "Grassland \u2192 Cropland"
    big = LandUseClasses(tuple(range(1, 17)), tuple(f"c{i}" for i in range(1, 17)))
    with pytest.raises(ValueError, match="at most 15"):
        transition_scheme(big)

"""Random and spatial cross-validation folds, out-of-fold scores, Moran's I of residuals
(core/carbon/validation.py)."""

import numpy as np
import pytest

from core.carbon import validation
from core.carbon.forest import regression_metrics


# ------------------------------------------------------------------------------------------ block folds
def _grid_points():
    """Two points in each 10 m block of a 3 × 2 block grid: block (i, j) holds points (10i+2, 10j+2) and
    (10i+7, 10j+7)."""
    pts = []
    for i in range(3):
        for j in range(2):
            pts += [(10 * i + 2, 10 * j + 2), (10 * i + 7, 10 * j + 7)]
    return np.asarray(pts, dtype=float)


def test_block_folds_keep_each_block_together_and_follow_the_hand_dealt_order():
    xy = _grid_points()
    folds = validation.block_folds(xy, 10.0, 3, seed=7)
    blocks = [tuple(b) for b in np.floor(xy / 10).astype(int)]
    for b in set(blocks):  # both points of a block share a fold
        assert len({folds[i] for i in range(len(xy)) if blocks[i] == b}) == 1
    # By hand: np.unique orders the blocks (0,0),(0,1),(1,0),(1,1),(2,0),(2,1); all hold 2 points, so
    # they are dealt in the order of default_rng(7).permutation(6), each to the emptiest fold (lowest
    # number on ties).
    order = np.random.default_rng(7).permutation(6)
    expected_fold_of_block = np.empty(6, int)
    for position, b in enumerate(order):
        expected_fold_of_block[b] = position % 3  # equal blocks: 0, 1, 2, 0, 1, 2
    unique = sorted(set(blocks))
    np.testing.assert_array_equal(folds, [expected_fold_of_block[unique.index(b)] for b in blocks])
    assert np.bincount(folds).tolist() == [4, 4, 4]


def test_block_folds_balance_points_not_blocks():
    # one crowded block (8 points) and four blocks of 1 point; 2 folds: largest first, so the crowded
    # block is alone in one fold whatever the seed
    xy = np.array([[1, 1]] * 8 + [[15, 1], [25, 1], [35, 1], [45, 1]], dtype=float)
    for seed in range(5):
        folds = validation.block_folds(xy, 10.0, 2, seed=seed)
        assert folds[:8].tolist() == [0] * 8 and folds[8:].tolist() == [1] * 4


def test_block_folds_origin_shifts_the_grid():
    xy = np.array([[4.0, 0], [6.0, 0], [14.0, 0], [16.0, 0]])
    assert len(set(validation.block_folds(xy, 10.0, 2, origin=(0, 0))[:2])) == 1  # 4 and 6 in [0, 10)
    f = validation.block_folds(xy, 10.0, 2, origin=(5, 0))  # now 6 and 14 share [5, 15)
    assert f[1] == f[2] and f[0] != f[1]


def test_block_folds_are_seeded():
    xy = np.random.default_rng(1).uniform(0, 1000, (200, 2))
    a = validation.block_folds(xy, 100.0, 5, seed=3)
    np.testing.assert_array_equal(a, validation.block_folds(xy, 100.0, 5, seed=3))
    assert not np.array_equal(a, validation.block_folds(xy, 100.0, 5, seed=4))


def test_block_size_larger_than_the_region_is_refused_by_name():
    xy = np.random.default_rng(1).uniform(0, 1000, (50, 2))
    with pytest.raises(ValueError, match=r"block_size 5000 is larger than the region of the points"):
        validation.block_folds(xy, 5000.0, 5)
    with pytest.raises(ValueError, match="block_size 600: the points fall in 4 block"):
        validation.block_folds(xy, 600.0, 5)
    with pytest.raises(ValueError, match="block_size must be a positive length"):
        validation.block_folds(xy, 0.0, 5)


def test_too_few_points_for_the_folds_is_refused_by_name():
    xy = np.random.default_rng(1).uniform(0, 1000, (7, 2))
    for call in (
        lambda: validation.random_folds(7, 5),
        lambda: validation.block_folds(xy, 10.0, 5),
        lambda: validation.cluster_folds(xy, 5),
    ):
        with pytest.raises(ValueError, match=r"cv_folds: 5-fold cross-validation needs at least 10 points"):
            call()
    with pytest.raises(ValueError, match="cv_folds must be at least 2"):
        validation.random_folds(7, 1)


# ---------------------------------------------------------------------------------------- other folds
def test_random_folds_are_a_seeded_shuffle_cut_in_equal_parts():
    folds = validation.random_folds(11, 3, seed=5)
    order = np.random.default_rng(5).permutation(11)
    assert sorted(np.bincount(folds).tolist()) == [3, 4, 4]
    assert folds[order[:4]].tolist() == [0] * 4 and folds[order[-3:]].tolist() == [2] * 3


def test_cluster_folds_find_separated_groups():
    rng = np.random.default_rng(0)
    centres = np.array([[0, 0], [1000, 0], [0, 1000], [1000, 1000]])
    xy = np.vstack([c + rng.normal(0, 20, (15, 2)) for c in centres])
    folds = validation.cluster_folds(xy, 4, seed=3)
    for g in range(4):
        assert len(set(folds[15 * g : 15 * (g + 1)])) == 1
    assert folds[0] == 0  # numbered by their first point
    with pytest.raises(ValueError, match="distinct point locations"):
        validation.cluster_folds(np.zeros((10, 2)), 3)


def test_make_folds_checks_the_scheme():
    with pytest.raises(ValueError, match="cv_scheme must be one of random, blocks, clusters"):
        validation.make_folds("leave-one-out", 10, 2)
    with pytest.raises(ValueError, match="need the point coordinates"):
        validation.make_folds("blocks", 10, 2, block_size=5)


# ------------------------------------------------------------------------------------ cross-validation
def test_cross_validate_predicts_each_point_from_the_other_folds():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(30, 2))
    y = X[:, 0] * 3 + rng.normal(0, 0.1, 30)
    folds = validation.random_folds(30, 3, seed=1)
    seen = []

    def fit_predict(X_train, y_train, X_test):
        seen.append(len(y_train))
        coef, *_ = np.linalg.lstsq(np.c_[X_train, np.ones(len(X_train))], y_train, rcond=None)
        return np.c_[X_test, np.ones(len(X_test))] @ coef

    cv = validation.cross_validate(fit_predict, X, y, folds, "random")
    assert seen == [20, 20, 20]
    for f in range(3):  # by hand: least squares on the other folds
        test = folds == f
        coef, *_ = np.linalg.lstsq(np.c_[X[~test], np.ones((~test).sum())], y[~test], rcond=None)
        np.testing.assert_allclose(cv.predicted[test], np.c_[X[test], np.ones(test.sum())] @ coef)
    assert cv.pooled == regression_metrics(y, cv.predicted)
    assert cv.per_fold["n"] == [10, 10, 10]
    np.testing.assert_allclose(cv.mean["rmse"], np.mean(cv.per_fold["rmse"]))
    np.testing.assert_allclose(cv.residuals, y - cv.predicted)


# --------------------------------------------------------------------------------- Moran's I residuals
def test_residual_moran_equals_the_formula_by_hand():
    rng = np.random.default_rng(4)
    xy = rng.uniform(0, 100, (40, 2))
    r = np.sin(xy[:, 0] / 15) + rng.normal(0, 0.3, 40)  # spatially structured
    got = validation.residual_moran(xy, r, k_neighbours=4, permutations=99, seed=1)
    d = np.linalg.norm(xy[:, None] - xy[None], axis=2)
    np.fill_diagonal(d, np.inf)
    w = np.zeros((40, 40))
    for i in range(40):
        w[i, np.argsort(d[i])[:4]] = 0.25  # row-standardised 4 nearest neighbours
    z = r - r.mean()
    moran_i = 40 / w.sum() * (z @ w @ z) / (z @ z)
    assert got["I"] == pytest.approx(moran_i, rel=1e-12)
    assert got["EI"] == pytest.approx(-1 / 39) and got["n"] == 40 and got["k"] == 4
    assert got["I"] > 0.3 and got["p"] < 0.01 and got["p_sim"] <= 0.02
    white = validation.residual_moran(xy, rng.normal(size=40), 4, 99, 1)
    assert white["p"] > 0.01
    assert validation.residual_moran(xy[:4], r[:4], k_neighbours=8, permutations=0)["k"] == 3
    with pytest.raises(ValueError, match="at least 4 points"):
        validation.residual_moran(xy[:3], r[:3])

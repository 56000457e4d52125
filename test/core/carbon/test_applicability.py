"""Area of applicability (core/carbon/applicability.py): hand-checked dissimilarity indices and thresholds."""

import math

import numpy as np
import pytest

from core.carbon import applicability as aoa


def test_dissimilarity_index_by_hand_with_weights_and_folds():
    # Two factors. Training points (factor a, factor b):
    X = np.array([[0.0, 10.0], [2.0, 10.0], [4.0, 30.0], [6.0, 30.0]])
    # means (3, 20); sd (ddof 1): a: sqrt((9+1+1+9)/3) = sqrt(20/3), b: sqrt(4·100/3) = sqrt(400/3)
    sd_a, sd_b = math.sqrt(20 / 3), math.sqrt(400 / 3)
    w = np.array([2.0, 1.0])
    app = aoa.fit_applicability(X, w, folds=[0, 0, 1, 1])
    z = np.column_stack([(X[:, 0] - 3) / sd_a * 2, (X[:, 1] - 20) / sd_b * 1])
    np.testing.assert_allclose(app.train, z)
    pairs = [np.linalg.norm(z[i] - z[j]) for i in range(4) for j in range(i + 1, 4)]
    d_mean = sum(pairs) / 6
    assert app.mean_distance == pytest.approx(d_mean, rel=1e-14)
    # cross-validated DI: nearest point of the other fold (0 and 1 vs 2 and 3)
    expected = [
        min(np.linalg.norm(z[0] - z[2]), np.linalg.norm(z[0] - z[3])) / d_mean,
        min(np.linalg.norm(z[1] - z[2]), np.linalg.norm(z[1] - z[3])) / d_mean,
        min(np.linalg.norm(z[2] - z[0]), np.linalg.norm(z[2] - z[1])) / d_mean,
        min(np.linalg.norm(z[3] - z[0]), np.linalg.norm(z[3] - z[1])) / d_mean,
    ]
    np.testing.assert_allclose(app.train_di, expected, rtol=1e-14)
    # a new pixel at (3, 20): z = (0, 0)
    pixel = np.array([[3.0], [20.0]])
    nearest = min(np.linalg.norm(z, axis=1))
    np.testing.assert_allclose(app.di(pixel), [nearest / d_mean], rtol=1e-14)


def test_whisker_threshold_matches_r_boxplot_stats_by_hand():
    # R: boxplot.stats(c(1:9, 100))$stats[5] is 9 (hinges 3 and 8 for n = 10: fivenum gives 1, 3, 5.5,
    # 8, 100; fence 8 + 1.5·5 = 15.5)
    assert aoa.tukey_upper_whisker([1, 2, 3, 4, 5, 6, 7, 8, 9, 100]) == 9.0
    # n = 5: fivenum(c(1, 2, 3, 4, 20)) = 1, 2, 3, 4, 20; fence 4 + 1.5·2 = 7 → whisker 4
    assert aoa.tukey_upper_whisker([20, 1, 3, 2, 4]) == 4.0
    # no outlier: the maximum
    assert aoa.tukey_upper_whisker([0.1, 0.2, 0.3, 0.35]) == 0.35
    # a value exactly on the fence stays inside: fivenum(c(1, 2, 3, 4, 5, 9.5)) has hinges 2 and 5, fence 9.5
    assert aoa.tukey_upper_whisker([1, 2, 3, 4, 5, 9.5]) == 9.5
    assert aoa.tukey_upper_whisker([1, 2, 3, 4, 5, 9.6]) == 5.0


def test_threshold_is_the_whisker_of_the_training_di_and_the_mask_uses_it():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    app = aoa.fit_applicability(X, [1.0, 0.5, 0.2], folds=np.arange(60) % 5)
    assert app.threshold == aoa.tukey_upper_whisker(app.train_di)
    di = np.array([0.0, app.threshold, np.nextafter(app.threshold, 1), np.nan])
    np.testing.assert_array_equal(app.inside(di), [1.0, 1.0, 0.0, np.nan])
    far = np.array([[50.0], [0.0], [0.0]])
    assert app.di(far)[0] > app.threshold


def test_block_di_equals_brute_force_and_missing_gives_nan():
    rng = np.random.default_rng(1)
    X = rng.uniform(0, 10, (80, 4))
    w = np.array([0.4, 0.3, 0.2, 0.1])
    app = aoa.fit_applicability(X, w)
    pixels = rng.uniform(-5, 15, (4, 3000))
    pixels[2, 5] = np.nan
    got = app.di(pixels)
    z = (pixels.T - X.mean(0)) / X.std(0, ddof=1) * w
    brute = np.min(np.linalg.norm(z[:, None, :] - app.train[None], axis=2), axis=1) / app.mean_distance
    assert np.isnan(got[5])
    keep = np.arange(3000) != 5
    np.testing.assert_allclose(got[keep], brute[keep], rtol=1e-12)
    # without folds: each training point's nearest other point
    d = np.linalg.norm(app.train[:, None] - app.train[None], axis=2)
    np.fill_diagonal(d, np.inf)
    np.testing.assert_allclose(app.train_di, d.min(axis=1) / app.mean_distance, rtol=1e-12)


def test_weights_negative_zero_and_constant_factors():
    X = np.array([[0.0, 5.0, 1.0], [1.0, 5.0, 3.0], [2.0, 5.0, 2.0], [4.0, 5.0, 0.0]])
    app = aoa.fit_applicability(X, [-0.1, 0.7, 0.3], factors=["NPP", "DEM", "MAT"])
    assert app.weights.tolist() == [0.0, 0.0, 0.3]  # negative → 0, constant DEM → 0
    assert any("negative importance of NPP" in w for w in app.warnings)
    assert any("DEM: constant" in w for w in app.warnings)
    equal = aoa.fit_applicability(X[:, [0, 2]], [0.0, 0.0])
    assert equal.weights.tolist() == [1.0, 1.0] and "equally" in equal.warnings[0]


def test_meta_round_trip_gives_the_same_di():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 2))
    app = aoa.fit_applicability(X, [1.0, 2.0], folds=np.arange(40) % 4, factors=["a", "b"])
    again = aoa.applicability_from_meta(app.to_meta(), X)
    pixels = rng.normal(size=(2, 500)) * 3
    np.testing.assert_array_equal(again.di(pixels), app.di(pixels))
    bad = app.to_meta() | {"threshold": -1.0}
    with pytest.raises(ValueError, match="out of range"):
        aoa.applicability_from_meta(bad, X)
    with pytest.raises(ValueError, match="incomplete"):
        aoa.applicability_from_meta({"factors": ["a"]}, X)


def test_bad_input():
    with pytest.raises(ValueError, match="n ≥ 2"):
        aoa.fit_applicability([[1.0, 2.0]], [1, 1])
    with pytest.raises(ValueError, match="one per factor"):
        aoa.fit_applicability(np.eye(3), [1, 1])
    with pytest.raises(ValueError, match="all in one fold"):
        aoa.fit_applicability(np.eye(3), [1, 1, 1], folds=[0, 0, 0])
    with pytest.raises(ValueError, match="every factor is constant"):
        aoa.fit_applicability(np.ones((3, 2)), [1, 1])

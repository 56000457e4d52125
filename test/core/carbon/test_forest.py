"""Random Forest wrapper, safe model file and exact fast prediction (core/carbon/forest.py)."""

import json
import zipfile

import numpy as np
import pytest

from core.carbon import forest

FACTORS = ["NPP", "NDVI", "AP", "MAT", "DEM"]


def _data(n=300, seed=0):
    rng = np.random.default_rng(seed)
    X = np.column_stack(
        [
            rng.uniform(100, 600, n),  # NPP
            rng.uniform(0.05, 0.8, n),  # NDVI
            rng.uniform(150, 700, n),  # AP
            rng.uniform(2, 12, n),  # MAT
            rng.uniform(1100, 3500, n),  # DEM
        ]
    )
    y = 0.08 * X[:, 0] + 30 * X[:, 1] + 0.01 * X[:, 2] + rng.normal(0, 2, n)
    return X, y


@pytest.fixture(scope="module")
def fitted():
    X, y = _data()
    model, report = forest.fit_random_forest(X, y, FACTORS, n_trees=30, cv_folds=3)
    return X, y, model, report


def _pixels(n=20000, seed=5):
    X, _ = _data(n, seed)
    return X.T.astype(np.float32)  # (n_factors, n_pixels)


# ------------------------------------------------------------------------------------------------ metrics
def test_regression_metrics_equal_sklearn():
    from sklearn import metrics

    rng = np.random.default_rng(1)
    y = rng.normal(50, 10, 40)
    p = y + rng.normal(0, 3, 40)
    m = forest.regression_metrics(y, p)
    assert m["r2"] == pytest.approx(metrics.r2_score(y, p), rel=1e-12)
    assert m["mae"] == pytest.approx(metrics.mean_absolute_error(y, p), rel=1e-12)
    assert m["rmse"] == pytest.approx(np.sqrt(metrics.mean_squared_error(y, p)), rel=1e-12)
    assert m["n"] == 40


def test_regression_metrics_hand_computed_and_degenerate():
    m = forest.regression_metrics([1.0, 2.0, 3.0, 4.0], [1.5, 2.0, 2.5, 4.0])
    # SS_res = 0.25 + 0 + 0.25 + 0 = 0.5; SS_tot = 5
    assert m["r2"] == pytest.approx(0.9)
    assert m["mae"] == pytest.approx(0.25)
    assert m["rmse"] == pytest.approx(np.sqrt(0.125))
    assert np.isnan(forest.regression_metrics([2.0, 2.0], [1.0, 3.0])["r2"])
    with pytest.raises(ValueError, match="same length"):
        forest.regression_metrics([1.0, 2.0], [1.0])


# ---------------------------------------------------------------------------------------------------- fit
def test_fit_metrics_equal_sklearn_on_the_same_split(fitted):
    from sklearn import metrics

    X, y, model, report = fitted
    for name, idx in (("train", report.train_index), ("validation", report.validation_index)):
        pred = model.predict(X[idx])
        got = report.metrics[name]
        assert got["n"] == idx.size
        assert got["r2"] == pytest.approx(metrics.r2_score(y[idx], pred), rel=1e-12)
        assert got["mae"] == pytest.approx(metrics.mean_absolute_error(y[idx], pred), rel=1e-12)
        assert got["rmse"] == pytest.approx(np.sqrt(metrics.mean_squared_error(y[idx], pred)), rel=1e-12)
        np.testing.assert_array_equal(report.predicted[name], pred)
        np.testing.assert_array_equal(report.observed[name], y[idx])


def test_fit_split_sizes_and_model_settings(fitted):
    X, y, model, report = fitted
    assert report.validation_index.size == 30  # round(0.10 * 300)
    assert report.train_index.size == 270
    assert np.intersect1d(report.train_index, report.validation_index).size == 0
    assert np.union1d(report.train_index, report.validation_index).size == 300
    assert model.n_estimators == 30 and model.min_samples_leaf == 20 and model.max_depth == 10
    assert model.random_state == 42 and model.n_jobs == 1
    assert report.params["seed"] == 42
    assert report.metrics["train"]["r2"] > report.metrics["validation"]["r2"] > 0.5


def test_fit_is_reproducible_with_a_seed_and_changes_with_another():
    X, y = _data(200)
    m1, r1 = forest.fit_random_forest(X, y, FACTORS, n_trees=10, seed=7)
    m2, r2 = forest.fit_random_forest(X, y, FACTORS, n_trees=10, seed=7)
    np.testing.assert_array_equal(r1.validation_index, r2.validation_index)
    np.testing.assert_array_equal(m1.predict(X), m2.predict(X))
    assert r1.metrics == r2.metrics
    np.testing.assert_array_equal(r1.importance["permutation_mean"], r2.importance["permutation_mean"])
    _, r3 = forest.fit_random_forest(X, y, FACTORS, n_trees=10, seed=8)
    assert not np.array_equal(r1.validation_index, r3.validation_index)


def test_fit_split_follows_default_rng():
    X, y = _data(50)
    _, report = forest.fit_random_forest(X, y, FACTORS, n_trees=5, min_samples_leaf=2, seed=3)
    order = np.random.default_rng(3).permutation(50)
    np.testing.assert_array_equal(report.validation_index, np.sort(order[:5]))


def test_cross_validation_summary(fitted):
    X, y, model, report = fitted
    cv = report.cv
    assert cv["folds"] == 3 and len(cv["r2"]) == 3
    assert sum(cv["n"]) == report.train_index.size
    assert cv["mean"]["rmse"] == pytest.approx(np.mean(cv["rmse"]))
    assert cv["sd"]["r2"] == pytest.approx(np.std(cv["r2"], ddof=1))


def test_importance_ranks_the_informative_factors(fitted):
    X, y, model, report = fitted
    imp = report.importance
    assert imp["factor"] == FACTORS
    assert imp["impurity"].sum() == pytest.approx(1.0)
    assert imp["permutation_set"] == "validation"
    pm = dict(zip(FACTORS, imp["permutation_mean"]))
    assert pm["NPP"] > pm["MAT"] and pm["NDVI"] > pm["DEM"]
    assert np.all(imp["permutation_sd"] >= 0)


def test_no_validation_set_uses_the_training_set_for_permutation():
    X, y = _data(100)
    _, report = forest.fit_random_forest(X, y, FACTORS, n_trees=5, validation_fraction=0.0)
    assert "validation" not in report.metrics
    assert report.validation_index.size == 0
    assert report.importance["permutation_set"] == "train"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"cv_folds": 1}, "cv_folds must be 0"),
        ({"validation_fraction": 0.95}, "validation_fraction"),
        ({"n_trees": 0}, "n_trees"),
        ({"min_samples_leaf": 0}, "min_samples_leaf"),
        ({"max_depth": 0}, "max_depth"),
    ],
)
def test_fit_rejects_bad_settings(kwargs, message):
    X, y = _data(50)
    with pytest.raises(ValueError, match=message):
        forest.fit_random_forest(X, y, FACTORS, **kwargs)


def test_fit_rejects_bad_data():
    X, y = _data(50)
    X[7, 2] = np.nan
    with pytest.raises(ValueError, match="X has missing or non-finite values in 1 row"):
        forest.fit_random_forest(X, y, FACTORS)
    X, y = _data(50)
    with pytest.raises(ValueError, match="unique; repeated: NPP"):
        forest.fit_random_forest(X, y, ["NPP", "NPP", "AP", "MAT", "DEM"])
    with pytest.raises(ValueError, match="leaves 1 for validation"):
        forest.fit_random_forest(X[:10], y[:10], FACTORS)
    with pytest.raises(ValueError, match="4 names for 5 columns"):
        forest.fit_random_forest(X, y, FACTORS[:4])


def test_too_few_points_for_a_split_is_a_warning():
    X, y = _data(30)
    _, report = forest.fit_random_forest(X, y, FACTORS, n_trees=3, min_samples_leaf=20)
    assert any("cannot split" in w for w in report.warnings)


# ----------------------------------------------------------------------------------------- model file
def _save(tmp_path, model, name="model.npz", **meta):
    path = tmp_path / name
    meta = {"factors": FACTORS, "units": {"NPP": "gC/m2/yr", "DEM": "m"}, "crs_wkt": "EPSG:32648"} | meta
    forest.save_model(path, model, meta)
    return path


def test_saved_then_loaded_predictor_equals_model_predict_exactly(fitted, tmp_path):
    X, y, model, report = fitted
    path = _save(tmp_path, model, metrics=report.metrics)
    predictor, meta = forest.load_model(path)
    pixels = _pixels()
    expected = model.predict(pixels.T)
    got = forest.predict_block(predictor, pixels)
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(predictor.predict(X), model.predict(X))  # float64 input, cast as sklearn
    assert predictor.tabulated.all()  # small trees: lookup tables


@pytest.mark.parametrize("mode", ["traverse", "mixed", "tables"])
def test_every_prediction_path_is_exact(mode):
    """Traversal by sklearn's compiled Tree, a mix, and lookup tables only all give model.predict."""
    X, y = _data(1000, seed=2)
    model, _ = forest.fit_random_forest(X, y, FACTORS, n_trees=12, min_samples_leaf=20, max_depth=6)
    cells = forest.predictor_from_model(model, FACTORS).cells
    limit = {"traverse": 0, "mixed": int(np.median(cells)), "tables": int(cells.max())}[mode]
    predictor = forest.predictor_from_model(model, FACTORS, table_cells=limit)
    assert predictor.tabulated.sum() == {"traverse": 0, "mixed": (cells <= limit).sum(), "tables": 12}[mode]
    if mode == "mixed":
        assert 0 < predictor.tabulated.sum() < predictor.n_trees
    pixels = _pixels(9000)
    pixels[:, ::7] = np.round(pixels[:, ::7])  # values equal to / near thresholds too
    np.testing.assert_array_equal(forest.predict_block(predictor, pixels), model.predict(pixels.T))


@pytest.mark.parametrize("n", [1, 2, forest._CHUNK + 1])
def test_blocks_of_any_width_are_exact(fitted, n):
    """A single pixel and a last chunk of one pixel are summed over the trees in order too."""
    model = fitted[2]
    predictor = forest.predictor_from_model(model, FACTORS)
    pixels = _pixels(n)
    np.testing.assert_array_equal(forest.predict_block(predictor, pixels), model.predict(pixels.T))


def test_unlimited_depth_trees_are_exact(tmp_path):
    X, y = _data(2000, seed=4)
    model, _ = forest.fit_random_forest(X, y, FACTORS, n_trees=5, min_samples_leaf=1, max_depth=None)
    predictor, _ = forest.load_model(_save(tmp_path, model))
    assert not predictor.tabulated.any()  # too big to tabulate: sklearn traversal
    pixels = _pixels(5000)
    np.testing.assert_array_equal(forest.predict_block(predictor, pixels), model.predict(pixels.T))


def test_stumps_and_unused_factors_predict(tmp_path):
    X, y = _data(30)
    model, _ = forest.fit_random_forest(X, y, FACTORS, n_trees=4, min_samples_leaf=20)
    predictor, _ = forest.load_model(_save(tmp_path, model))
    pixels = _pixels(100)
    np.testing.assert_array_equal(forest.predict_block(predictor, pixels), model.predict(pixels.T))


def test_missing_values_give_nan(fitted):
    X, y, model, report = fitted
    predictor = forest.predictor_from_model(model, FACTORS)
    pixels = _pixels(50)
    pixels[2, 3] = np.nan
    pixels[0, 10] = np.inf
    out = forest.predict_block(predictor, pixels)
    assert np.isnan(out[3]) and np.isnan(out[10])
    keep = np.ones(50, bool)
    keep[[3, 10]] = False
    np.testing.assert_array_equal(out[keep], model.predict(pixels[:, keep].T))
    assert np.isnan(forest.predict_block(predictor, np.full((5, 4), np.nan))).all()
    with pytest.raises(ValueError, match="n_factors=5"):
        forest.predict_block(predictor, pixels[:4])


def test_model_file_holds_plain_arrays_and_metadata(fitted, tmp_path):
    X, y, model, report = fitted
    path = _save(tmp_path, model, name="model.bin", target="carbon density (t/hm2)")
    assert path.exists() and not (tmp_path / "model.bin.npz").exists()  # no suffix added
    with zipfile.ZipFile(path) as zf:
        assert all(n.endswith(".npy") for n in zf.namelist())
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    assert all(a.dtype != object for a in arrays.values())
    meta = json.loads(arrays["metadata_json"].tobytes().decode())
    predictor, loaded = forest.load_model(path)
    assert loaded == meta
    assert meta["format"] == forest.FORMAT and meta["format_version"] == forest.FORMAT_VERSION
    assert meta["factors"] == FACTORS and meta["n_features"] == 5 and meta["n_trees"] == 30
    assert meta["units"] == {"NPP": "gC/m2/yr", "DEM": "m"}
    assert meta["crs_wkt"] == "EPSG:32648" and meta["target"] == "carbon density (t/hm2)"
    assert meta["sklearn_version"] and meta["created"].endswith("+00:00") and len(meta["sha256"]) == 64
    assert arrays["tree_node_count"].sum() == arrays["threshold"].size
    assert predictor.factors == FACTORS


def test_save_model_checks_the_metadata(fitted, tmp_path):
    X, y, model, report = fitted
    with pytest.raises(ValueError, match="names 4 factors; the model has 5"):
        forest.save_model(tmp_path / "m.npz", model, {"factors": FACTORS[:4]})
    with pytest.raises(ValueError, match="units.*EVI"):
        forest.save_model(tmp_path / "m.npz", model, {"factors": FACTORS, "units": {"EVI": "-"}})
    with pytest.raises(ValueError, match="no estimators_"):
        forest.save_model(tmp_path / "m.npz", object(), {"factors": FACTORS})


# ---------------------------------------------------------------------------------- tampered model files
def _read(path):
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k].copy() for k in npz.files}
    meta = json.loads(arrays.pop("metadata_json").tobytes().decode())
    return arrays, meta


def _write(path, arrays, meta, rehash=False, raw_meta=None):
    if rehash:
        meta = dict(meta)
        meta["sha256"] = forest._content_hash(arrays, meta)
    text = raw_meta if raw_meta is not None else json.dumps(meta)
    payload = dict(arrays)
    payload["metadata_json"] = np.frombuffer(text.encode(), dtype=np.uint8)
    with open(path, "wb") as fh:
        np.savez(fh, **payload)
    return path


@pytest.fixture
def saved(fitted, tmp_path):
    return _save(tmp_path, fitted[2])


def test_an_edited_threshold_is_detected(saved):
    arrays, meta = _read(saved)
    inner = np.flatnonzero(arrays["children_left"] != -1)
    arrays["threshold"][inner[3]] += 1.0
    _write(saved, arrays, meta)
    with pytest.raises(ValueError, match=r"model file .*model\.npz: content does not match its SHA-256"):
        forest.load_model(saved)


def test_edited_metadata_is_detected(saved):
    arrays, meta = _read(saved)
    meta["factors"] = ["NPP", "NDVI", "AP", "MAT", "SLOPE"]
    _write(saved, arrays, meta)
    with pytest.raises(ValueError, match="SHA-256"):
        forest.load_model(saved)
    _write(saved, arrays, meta, raw_meta='{"format": ')
    with pytest.raises(ValueError, match="metadata is not valid JSON"):
        forest.load_model(saved)


def test_foreign_and_broken_files_are_refused(saved, tmp_path):
    other = tmp_path / "other.npz"
    np.savez(other, a=np.arange(3))
    with pytest.raises(ValueError, match="not a Carbon Sink Diagnostics model file"):
        forest.load_model(other)
    text = tmp_path / "model.txt"
    text.write_text("hello")
    with pytest.raises(ValueError, match=r"model file .*model\.txt: not a model file \(not an \.npz"):
        forest.load_model(text)
    with pytest.raises(ValueError, match="does not exist"):
        forest.load_model(tmp_path / "nothing.npz")
    arrays, meta = _read(saved)
    meta["format_version"] = 99
    _write(saved, arrays, meta, rehash=True)
    with pytest.raises(ValueError, match="format version 99 is not supported"):
        forest.load_model(saved)


def test_a_pickled_array_is_never_loaded(saved):
    arrays, meta = _read(saved)
    arrays["impurity"] = np.array([{"evil": 1}], dtype=object)  # np.savez pickles object arrays
    _write(saved, arrays, meta)
    with pytest.raises(ValueError, match="array 'impurity' cannot be read as a plain numeric array"):
        forest.load_model(saved)


def test_a_duplicated_archive_entry_is_refused(saved):
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(saved, "a") as zf:
        zf.writestr("impurity.npy", b"")
    with pytest.raises(ValueError, match="holds an entry more than once"):
        forest.load_model(saved)


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda a, i: a["children_left"].__setitem__(i, i), "child index out of range"),
        (lambda a, i: a["children_left"].__setitem__(i, 10**6), "child index out of range"),
        (lambda a, i: a["children_right"].__setitem__(i, -1), "one child is a leaf marker"),
        (lambda a, i: a["feature"].__setitem__(i, 5), "feature index outside 0..4"),
        (lambda a, i: a["threshold"].__setitem__(i, np.nan), "non-finite threshold"),
        (lambda a, i: a["value"].__setitem__(i, np.inf), "non-finite value"),
        (
            lambda a, i: a["children_right"].__setitem__(i, a["children_left"][i]),
            "child index out of range",
        ),
    ],
)
def test_structurally_invalid_trees_are_refused_even_with_a_matching_hash(saved, edit, message):
    arrays, meta = _read(saved)
    edit(arrays, 0)  # node 0 of tree 0 is its root, an inner node
    _write(saved, arrays, meta, rehash=True)
    with pytest.raises(ValueError, match=f"model file .*: tree 0, node 0: {message}"):
        forest.load_model(saved)


def test_a_node_with_two_parents_is_refused(saved):
    arrays, meta = _read(saved)
    left, right = arrays["children_left"], arrays["children_right"]
    # Point the root's right child at a node that already has a parent (a DAG, not a tree).
    root_left = left[0]
    grandchild = left[root_left] if left[root_left] != -1 else right[root_left]
    assert grandchild > 0
    right[0] = grandchild
    _write(saved, arrays, meta, rehash=True)
    with pytest.raises(ValueError, match="do not form a tree"):
        forest.load_model(saved)


def test_array_of_the_wrong_type_or_length_is_refused(saved):
    arrays, meta = _read(saved)
    arrays["feature"] = arrays["feature"].astype(np.float64)
    _write(saved, arrays, meta, rehash=True)
    with pytest.raises(ValueError, match="array 'feature' must be 1-D int64"):
        forest.load_model(saved)
    arrays, meta = _read(saved)
    arrays["feature"] = arrays["feature"].astype(np.int64)
    arrays["value"] = arrays["value"][:-1]
    _write(saved, arrays, meta, rehash=True)
    with pytest.raises(ValueError, match="array 'value' has"):
        forest.load_model(saved)


# --------------------------------------------------------------------------------------------- factors
def test_match_factors_orders_and_names_problems():
    assert forest.match_factors(FACTORS, ["DEM", "MAT", "AP", "NDVI", "NPP"]) == [4, 3, 2, 1, 0]
    with pytest.raises(ValueError, match="missing: MAT; not used by the model: EVI"):
        forest.match_factors(FACTORS, ["NPP", "NDVI", "AP", "EVI", "DEM"])
    with pytest.raises(ValueError, match="given more than once: AP"):
        forest.match_factors(FACTORS, [*FACTORS, "AP"])
    with pytest.raises(ValueError, match="trained on NPP, NDVI, AP, MAT, DEM"):
        forest.match_factors(FACTORS, FACTORS[:3])


def test_a_model_from_another_factor_set_is_detected_at_prediction(tmp_path):
    X, y = _data(100)
    model, _ = forest.fit_random_forest(X, y, ["NPP", "NDVI", "AP", "MAT", "SLOPE"], n_trees=3)
    path = tmp_path / "other.npz"
    forest.save_model(path, model, {"factors": ["NPP", "NDVI", "AP", "MAT", "SLOPE"]})
    _, meta = forest.load_model(path)
    with pytest.raises(ValueError, match="missing: SLOPE; not used by the model: DEM"):
        forest.match_factors(meta["factors"], FACTORS)


def test_parse_units():
    assert forest.parse_units("NPP=gC/m2/yr; DEM = m ;", FACTORS) == {"NPP": "gC/m2/yr", "DEM": "m"}
    assert forest.parse_units("", FACTORS) == {}
    with pytest.raises(ValueError, match="'EVI' is not one of the factors"):
        forest.parse_units("EVI=-", FACTORS)
    with pytest.raises(ValueError, match="not of the form FACTOR=unit"):
        forest.parse_units("NPP", FACTORS)

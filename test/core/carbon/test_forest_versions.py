"""The model file across scikit-learn versions (core/carbon/forest.py).

The model file stores the trees as plain arrays, and prediction of large trees rebuilds scikit-learn
``Tree`` objects from them through private internals (``Tree.__setstate__``, ``_tree.NODE_DTYPE``), whose
layout changed in scikit-learn 1.3 (``missing_go_to_left``). These tests prove, under whatever
scikit-learn runs them (CI: Debian 12's python3-sklearn 1.2.1; on Debian 13 the newest from PyPI in
``make test`` and the distribution's 1.4.2 in ``make test-distro``):

* files written under other versions (test/data/forest, written by 1.2.1, 1.4.2 and 1.9.1 with
  ``make_models.py``) load and predict exactly what that version's ``RandomForestRegressor.predict``
  gave, through the lookup tables and through scikit-learn's own traversal;
* a model fitted here is saved, loaded and predicted bit-identically, and the rebuilt trees are
  node-for-node the fitted ones.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from core.carbon import forest

sklearn = pytest.importorskip("sklearn")
from sklearn.ensemble import RandomForestRegressor  # noqa: E402
from sklearn.tree import _tree  # noqa: E402

DATA = Path(__file__).resolve().parents[3] / "test" / "data" / "forest"
FILES = sorted(DATA.glob("rf-sklearn-*[0-9].npz"))


def _version(path):
    return path.name[len("rf-sklearn-") : -len(".npz")]


def _traversing(predictor):
    """The same model, every tree traversed by scikit-learn's compiled Tree rebuilt from the arrays."""
    tree = {"starts": predictor._starts, "max_depth": predictor._max_depth}
    return forest.ForestPredictor(predictor._arrays, predictor.n_features, predictor.factors, tree, 0)


def test_model_files_of_several_versions_are_committed():
    versions = [_version(p) for p in FILES]
    assert {"1.2.1", "1.4.2", "1.9.1"} <= set(versions), versions
    for path in FILES:
        with np.load(path, allow_pickle=False) as npz:
            meta = json.loads(npz["metadata_json"].tobytes().decode("utf-8"))
        assert meta["sklearn_version"] == _version(path)


@pytest.mark.parametrize("path", FILES, ids=_version)
def test_a_file_written_under_another_version_predicts_the_same(path):
    predictor, meta = forest.load_model(path)
    expected = np.load(path.with_suffix(".expected.npz"), allow_pickle=False)
    X = expected["X"]
    assert meta["sklearn_version"] == _version(path) and meta["factors"] == ["NPP", "NDVI", "DEM"]
    assert predictor.tabulated.all()  # ~100 nodes a tree: lookup tables by default
    np.testing.assert_array_equal(forest.predict_block(predictor, X.T), expected["predicted"])
    traversing = _traversing(predictor)
    assert not traversing.tabulated.any()
    np.testing.assert_array_equal(forest.predict_block(traversing, X.T), expected["predicted"])
    # the rebuilt trees reach the very leaves the writing version reached
    for t, (tree, _values) in traversing._sklearn_trees().items():
        leaves = tree.apply(np.ascontiguousarray(X, dtype=np.float32))
        np.testing.assert_array_equal(leaves, expected["apply"][:, t])


def test_save_load_predict_is_identical_under_the_installed_version(tmp_path):
    rng = np.random.default_rng(11)
    X = rng.uniform(0, 1, (400, 4))
    y = X[:, 0] * 10 + np.sin(6 * X[:, 1]) + rng.normal(0, 0.1, 400)
    model = RandomForestRegressor(n_estimators=5, min_samples_leaf=1, random_state=3).fit(X, y)
    model.set_params(n_jobs=1)
    path = tmp_path / "model.npz"
    meta = forest.save_model(path, model, {"factors": ["a", "b", "c", "d"]})
    assert meta["sklearn_version"] == sklearn.__version__
    predictor, _ = forest.load_model(path)
    q = rng.uniform(-0.1, 1.1, (3000, 4)).astype(np.float32)
    expected = model.predict(q)
    np.testing.assert_array_equal(forest.predict_block(predictor, q.T), expected)
    traversing = _traversing(predictor)
    np.testing.assert_array_equal(forest.predict_block(traversing, q.T), expected)
    # node for node: every field of the installed version's node layout, and the leaf values
    for t, (tree, _values) in traversing._sklearn_trees().items():
        original = model.estimators_[t].tree_.__getstate__()
        rebuilt = tree.__getstate__()
        assert rebuilt["node_count"] == original["node_count"]
        assert rebuilt["max_depth"] == original["max_depth"]
        for name in _tree.NODE_DTYPE.names:
            np.testing.assert_array_equal(rebuilt["nodes"][name], original["nodes"][name], err_msg=name)
        np.testing.assert_array_equal(rebuilt["values"], original["values"])

"""Write the model files of test/core/test_forest_versions.py with the scikit-learn that is installed.

Each run writes ``rf-sklearn-<version>.npz`` (a model file, :func:`core.carbon.forest.save_model`) and
``rf-sklearn-<version>.expected.npz`` (query points and scikit-learn's own ``predict`` of them at
writing time). The committed files were written under Debian 12's python3-sklearn 1.2.1, Debian 13's
python3-sklearn 1.4.2 and scikit-learn 1.9.1 from PyPI (on Debian 13's numpy 2.2); the test loads every
one of them under the scikit-learn it runs with and requires identical predictions.

Run from the repository root with any Python that has numpy and scikit-learn, e.g.
``python3 test/data/forest/make_models.py`` (Debian's own packages) or ``.venv/bin/python ...``.
"""

import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(HERE))))

from core.carbon import forest  # noqa: E402

FACTORS = ["NPP", "NDVI", "DEM"]


def training_data():
    """300 points, 3 factors, a nonlinear target with noise (seeded: the same in every version)."""
    rng = np.random.default_rng(2026)
    X = np.column_stack([rng.uniform(0, 800, 300), rng.uniform(0, 1, 300), rng.uniform(1100, 3500, 300)])
    y = 0.05 * X[:, 0] + 40 * X[:, 1] ** 2 - 0.004 * (X[:, 2] - 2000) + rng.normal(0, 2, 300)
    return X, y


def query_points(model):
    """500 random points plus points exactly on thresholds of the trees (float32, as predicted)."""
    rng = np.random.default_rng(7)
    q = np.column_stack(
        [rng.uniform(-50, 850, 500), rng.uniform(-0.1, 1.1, 500), rng.uniform(1000, 3600, 500)]
    )
    on = []
    for est in model.estimators_[:2]:
        t = est.tree_
        inner = np.flatnonzero(t.children_left != -1)[:40]
        for node in inner:
            row = q[len(on) % 500].copy()
            row[t.feature[node]] = t.threshold[node]
            on.append(row)
    return np.vstack([q, np.asarray(on)]).astype(np.float32)


def main():
    import sklearn
    from sklearn.ensemble import RandomForestRegressor

    X, y = training_data()
    # Small leaves and no depth limit: trees of ~100 nodes, large enough to be traversed by scikit-learn
    # when the test asks for it, small enough to be compiled into tables by default.
    model = RandomForestRegressor(n_estimators=6, min_samples_leaf=3, max_depth=None, random_state=7)
    model.fit(X, y)
    model.set_params(n_jobs=1)
    q = query_points(model)
    stem = os.path.join(HERE, f"rf-sklearn-{sklearn.__version__}")
    forest.save_model(
        stem + ".npz", model, {"factors": FACTORS, "created_by": "test/data/forest/make_models.py"}
    )
    np.savez_compressed(stem + ".expected.npz", X=q, predicted=model.predict(q), apply=model.apply(q))
    print(stem + ".npz", sum(e.tree_.node_count for e in model.estimators_), "nodes")


if __name__ == "__main__":
    main()

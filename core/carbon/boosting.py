"""Gradient boosting of carbon density beside the Random Forest: scikit-learn and XGBoost, as tree arrays.

Two libraries, one representation. A boosted model is fitted by its library and at once converted to
the node arrays of :mod:`core.carbon.forest` (``children_left``, ``children_right``, ``feature``,
``threshold``, ``value`` …, a pixel going left when ``x ≤ threshold``) plus a base value; it is then
saved, validated, loaded and predicted block by block exactly as the forest is, and its predictions are
bit-identical to the library's own ``predict``:

* scikit-learn's ``HistGradientBoostingRegressor`` (no new dependency): the trees are read from the
  fitted model's predictors (their ``nodes`` record array, by field name: ``value``, ``feature_idx``,
  ``num_threshold``, ``left``, ``right``, ``is_leaf``, ``missing_go_to_left``, ``is_categorical``,
  ``count``, stable from scikit-learn 0.24 to 1.9 although their dtypes changed); the base value is the
  model's baseline prediction. Inputs stay float64 and the trees are added to the baseline in float64,
  as ``predict`` does.
* XGBoost, when it is installed (an optional dependency): fitted with its native ``xgboost.train`` and
  converted from its JSON model (``Booster.save_raw("json")``), never from a pickle. XGBoost compares
  ``x < t`` on float32 inputs, which is ``x ≤`` the float32 just below ``t``; it starts from the base
  score and adds the trees in float32. A model converted once predicts without XGBoost.

Settings follow the forest's names: ``n_trees`` (boosting iterations), ``min_samples_leaf`` (XGBoost's
``min_child_weight``: the squared-error hessian of a point is 1, so it is a minimum number of points),
``max_depth``, ``learning_rate`` and ``seed``; early stopping is off, so ``n_trees`` trees are grown.
Quantile models (``loss="quantile"`` in scikit-learn, ``reg:quantileerror`` in XGBoost) bound the
prediction interval of :mod:`core.carbon.uncertainty`.

References
----------
Friedman, J. H. (2001) Greedy function approximation: a gradient boosting machine. Annals of Statistics
29:1189–1232.
Ke, G. et al. (2017) LightGBM: a highly efficient gradient boosting decision tree. NeurIPS 30
(the histogram algorithm of scikit-learn's HistGradientBoostingRegressor).
Chen, T. & Guestrin, C. (2016) XGBoost: a scalable tree boosting system. KDD 2016:785–794.
"""

from __future__ import annotations

import json

import numpy as np

from . import forest

__all__ = [
    "BOOSTING_KINDS",
    "MissingPackageError",
    "fit_hist_gradient_boosting",
    "fit_xgboost",
    "hist_gradient_boosting_trees",
    "require_xgboost",
    "xgboost_available",
    "xgboost_trees",
]

BOOSTING_KINDS = ("hist_gradient_boosting", "xgboost")


class MissingPackageError(ValueError):
    """An optional Python package a model kind needs is not installed (``package`` names it)."""

    def __init__(self, package: str, message: str):
        super().__init__(message)
        self.package = package


def xgboost_available() -> bool:
    """True when ``import xgboost`` works."""
    try:
        import xgboost  # noqa: F401
    except ImportError:
        return False
    return True


def require_xgboost():
    """The ``xgboost`` module, or :class:`MissingPackageError` saying how to install it."""
    try:
        import xgboost
    except ImportError:
        raise MissingPackageError(
            "xgboost",
            "the model kind 'xgboost' needs the Python package xgboost, which QGIS's Python cannot import; "
            "install it into QGIS's Python ('python -m pip install xgboost', or the smaller CPU-only "
            "'xgboost-cpu'), or choose the model kind 'hist_gradient_boosting', which needs only "
            "scikit-learn",
        ) from None
    return xgboost


def _check_settings(n_trees, min_samples_leaf, max_depth, learning_rate, quantile):
    if int(n_trees) < 1:
        raise ValueError(f"n_trees must be at least 1; got {n_trees}")
    if int(min_samples_leaf) < 1:
        raise ValueError(f"min_samples_leaf must be at least 1; got {min_samples_leaf}")
    if max_depth is not None and int(max_depth) < 1:
        raise ValueError(f"max_depth must be at least 1 (or None); got {max_depth}")
    if not 0.0 < float(learning_rate) <= 1.0:
        raise ValueError(f"learning_rate must be in (0, 1]; got {learning_rate}")
    if quantile is not None and not 0.0 < float(quantile) < 1.0:
        raise ValueError(f"quantile must be in (0, 1); got {quantile}")


# ---------------------------------------------------------------------------------------- scikit-learn
def fit_hist_gradient_boosting(
    X,
    y,
    n_trees: int = 100,
    min_samples_leaf: int = 20,
    max_depth: int | None = None,
    learning_rate: float = 0.1,
    seed: int = 42,
    quantile: float | None = None,
    max_leaf_nodes: int = 31,
    n_jobs: int | None = None,
):
    """Fit scikit-learn's ``HistGradientBoostingRegressor`` (squared error, or a quantile).

    Parameters
    ----------
    X : numpy.ndarray of float, shape ``(n, n_factors)``
    y : numpy.ndarray of float, shape ``(n,)``
    n_trees : int, default 100
        Boosting iterations (``max_iter``); no early stopping.
    min_samples_leaf : int, default 20
    max_depth : int or None, default None
        None: trees limited by ``max_leaf_nodes`` only (scikit-learn's default).
    learning_rate : float, default 0.1
    seed : int, default 42
        ``random_state`` (binning subsample; the fit is deterministic below 200 000 points).
    quantile : float, optional
        Fit the conditional ``quantile`` (pinball loss) instead of the mean.
    max_leaf_nodes : int, default 31
    n_jobs : int, optional
        OpenMP threads of the fit (default 1). scikit-learn would otherwise take every core, and on a
        busy machine its threads wait for each other: a fit of 400 points took 11 s on 2 shared cores
        instead of 0.2 s on one. One thread also makes the fit independent of the machine (its sums of
        gradients are OpenMP reductions).

    Returns
    -------
    sklearn.ensemble.HistGradientBoostingRegressor
    """
    _check_settings(n_trees, min_samples_leaf, max_depth, learning_rate, quantile)
    from sklearn.ensemble import HistGradientBoostingRegressor

    loss = (
        {"loss": "squared_error"} if quantile is None else {"loss": "quantile", "quantile": float(quantile)}
    )
    model = HistGradientBoostingRegressor(
        max_iter=int(n_trees),
        min_samples_leaf=int(min_samples_leaf),
        max_depth=None if max_depth is None else int(max_depth),
        learning_rate=float(learning_rate),
        max_leaf_nodes=int(max_leaf_nodes),
        early_stopping=False,
        random_state=int(seed),
        **loss,
    )
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=int(n_jobs) if n_jobs else 1, user_api="openmp"):
        return model.fit(np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64))


def hist_gradient_boosting_trees(model) -> tuple[dict, float]:
    """Node arrays and base value of a fitted ``HistGradientBoostingRegressor``.

    Returns
    -------
    arrays : dict
        As :func:`core.carbon.forest.pack_trees`.
    base : float
        The baseline prediction the trees are added to.

    Raises
    ------
    ValueError
        Not a fitted single-output regressor, a categorical split, or a loss whose link is not the
        identity (the prediction would not be the sum of the trees).
    """
    predictors = getattr(model, "_predictors", None)
    if not predictors:
        raise ValueError("model must be a fitted HistGradientBoostingRegressor (it has no predictors)")
    if getattr(model, "n_trees_per_iteration_", 1) != 1 or any(len(p) != 1 for p in predictors):
        raise ValueError("model must predict one target (one tree per iteration)")
    link = type(getattr(getattr(model, "_loss", None), "link", None)).__name__
    if link != "IdentityLink":
        raise ValueError(f"model's loss must have the identity link (squared error or quantile); got {link}")
    baseline = np.asarray(model._baseline_prediction, dtype=np.float64).ravel()
    if baseline.size != 1:
        raise ValueError("model must have one baseline prediction")
    trees = []
    for (predictor,) in predictors:
        nodes = predictor.nodes
        if np.any(nodes["is_categorical"]):
            raise ValueError("categorical splits are not supported (the factors are numeric rasters)")
        leaf = nodes["is_leaf"].astype(bool)
        trees.append(
            {
                "children_left": np.where(leaf, -1, nodes["left"].astype(np.int64)),
                "children_right": np.where(leaf, -1, nodes["right"].astype(np.int64)),
                "feature": np.where(leaf, -2, nodes["feature_idx"].astype(np.int64)),
                "threshold": np.where(leaf, -2.0, nodes["num_threshold"].astype(np.float64)),
                "value": nodes["value"].astype(np.float64),
                "n_node_samples": nodes["count"].astype(np.int64),
                "weighted_n_node_samples": nodes["count"].astype(np.float64),
                "missing_go_to_left": nodes["missing_go_to_left"].astype(np.uint8),
            }
        )
    return forest.pack_trees(trees), float(baseline[0])


# ---------------------------------------------------------------------------------------------- XGBoost
def fit_xgboost(
    X,
    y,
    n_trees: int = 100,
    min_samples_leaf: int = 20,
    max_depth: int | None = 6,
    learning_rate: float = 0.1,
    seed: int = 42,
    quantile: float | None = None,
    n_jobs: int | None = None,
):
    """Fit an XGBoost regression (``xgboost.train``, histogram trees, squared error or a quantile).

    Parameters are those of :func:`fit_hist_gradient_boosting`; ``min_samples_leaf`` is XGBoost's
    ``min_child_weight`` (the hessian of the squared error is 1 per point) and ``max_depth=None`` is
    XGBoost's unlimited depth (0). The base score is set to the mean of ``y`` (or its ``quantile``) so
    that it does not depend on the XGBoost version's own estimate.

    Returns
    -------
    xgboost.Booster

    Raises
    ------
    MissingPackageError
        XGBoost is not installed.
    """
    _check_settings(n_trees, min_samples_leaf, max_depth, learning_rate, quantile)
    xgb = require_xgboost()
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    params = {
        "tree_method": "hist",
        "max_depth": 0 if max_depth is None else int(max_depth),
        "min_child_weight": float(min_samples_leaf),
        "eta": float(learning_rate),
        "seed": int(seed),
        "nthread": int(n_jobs) if n_jobs else 1,
        "verbosity": 0,
    }
    if max_depth is None:
        params["grow_policy"] = "lossguide"
        params["max_leaves"] = 31
    if quantile is None:
        params.update({"objective": "reg:squarederror", "base_score": float(np.mean(y))})
    else:
        params.update(
            {
                "objective": "reg:quantileerror",
                "quantile_alpha": float(quantile),
                "base_score": float(np.quantile(y, float(quantile))),
            }
        )
    return xgb.train(params, xgb.DMatrix(X, label=y), num_boost_round=int(n_trees))


def _xgb_float(text) -> float:
    """A float32 number as XGBoost writes it in JSON (``"5E-1"`` or ``"[5E-1]"``)."""
    if isinstance(text, str):
        text = text.strip().strip("[]").split(",")[0]
    return float(np.float32(float(text)))


def xgboost_trees(model, n_features: int) -> tuple[dict, float]:
    """Node arrays and base score of an XGBoost regression, from its JSON model.

    Parameters
    ----------
    model : xgboost.Booster, bytes or str
        A booster (its ``save_raw("json")`` is read) or the JSON text of a model.
    n_features : int

    Returns
    -------
    arrays : dict
        As :func:`core.carbon.forest.pack_trees`; thresholds in the ``x ≤ t`` form on float32 inputs.
    base : float
        The base score (a float32 number).

    Raises
    ------
    ValueError
        Not a tree booster of one output with an identity link, categorical splits, or a model over
        another number of features.
    """
    if hasattr(model, "save_raw"):
        model = bytes(model.save_raw("json"))
    try:
        doc = json.loads(model)
        learner = doc["learner"]
        booster = learner["gradient_booster"]
        objective = learner["objective"]["name"]
        param = learner["learner_model_param"]
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"not an XGBoost JSON model: {exc}") from None
    if booster.get("name") != "gbtree":
        raise ValueError(f"only tree boosters (gbtree) are supported; got {booster.get('name')!r}")
    if objective not in ("reg:squarederror", "reg:quantileerror", "reg:absoluteerror"):
        raise ValueError(f"objective {objective!r} is not a regression with an identity link")
    if int(param.get("num_target", "1") or 1) != 1 or int(param.get("num_class", "0") or 0) > 1:
        raise ValueError("model must predict one target")
    if int(param.get("num_feature", n_features)) != int(n_features):
        raise ValueError(f"model has {param.get('num_feature')} features; {n_features} factors given")
    gbtree = booster["model"]
    if any(int(g) != 0 for g in gbtree.get("tree_info", [])):
        raise ValueError("model must have one output group")
    trees = [_xgb_tree(t) for t in gbtree["trees"]]
    if not trees:
        raise ValueError("model has no tree")
    return forest.pack_trees(trees), _xgb_float(param["base_score"])


def _xgb_tree(t):
    left = np.asarray(t["left_children"], dtype=np.int64)
    right = np.asarray(t["right_children"], dtype=np.int64)
    split = np.asarray(t["split_indices"], dtype=np.int64)
    cond = np.asarray(t["split_conditions"], dtype=np.float32)
    default_left = np.asarray(t["default_left"], dtype=np.uint8)
    hess = np.asarray(t.get("sum_hessian", np.zeros(left.size)), dtype=np.float64)
    if np.any(np.asarray(t.get("split_type", [])) != 0) or len(t.get("categories", [])):
        raise ValueError("categorical splits are not supported (the factors are numeric rasters)")
    # Renumber the nodes reachable from the root in depth-first order: children after their parent,
    # deleted (pruned) nodes dropped.
    order, stack = [], [0]
    while stack:
        node = stack.pop()
        order.append(node)
        if left[node] != -1:
            stack.extend((int(right[node]), int(left[node])))
    order = np.asarray(order, dtype=np.int64)
    new = np.full(left.size, -1, dtype=np.int64)
    new[order] = np.arange(order.size)
    leaf = left[order] == -1
    thr = np.nextafter(cond[order], np.float32(-np.inf)).astype(np.float64)  # x < t ⟺ x ≤ prev32(t)
    return {
        "children_left": np.where(leaf, -1, new[np.where(leaf, 0, left[order])]),
        "children_right": np.where(leaf, -1, new[np.where(leaf, 0, right[order])]),
        "feature": np.where(leaf, -2, split[order]),
        "threshold": np.where(leaf, -2.0, thr),
        "value": np.where(leaf, cond[order].astype(np.float64), 0.0),
        "n_node_samples": np.rint(hess[order]).astype(np.int64).clip(0),
        "weighted_n_node_samples": hess[order],
        "missing_go_to_left": default_left[order],
    }

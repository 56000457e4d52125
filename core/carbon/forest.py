"""Random Forest regression of carbon density on factor rasters (docs/method.md, steps 4 and 5).

Three parts:

* :func:`fit_random_forest` — scikit-learn's ``RandomForestRegressor`` with a seeded train/validation
  split, accuracy metrics (R², MAE, RMSE), optional k-fold cross-validation, impurity and permutation
  importance, and the observed and predicted values for the plot;
* :func:`save_model` / :func:`load_model` — a model file that is safe to open: one ``.npz`` holding only
  plain numeric arrays (the nodes of every tree) and a JSON metadata string, read with
  ``allow_pickle=False`` and validated node by node, so a file from someone else cannot run code, crash
  the tree traversal or silently predict with other factors;
* :class:`ForestPredictor` / :func:`predict_block` — exact and fast prediction of pixel blocks.

scikit-learn is imported lazily, inside the functions that need it: the plugin loads without it.

Why not pickle, joblib or skops
-------------------------------
Unpickling a file executes code chosen by whoever wrote it; joblib files are pickles. skops restricts
what may be unpickled but is one more dependency and still reconstructs Python objects. A forest of
regression trees is fully described by a handful of numeric arrays per tree, so that is all the file
holds. ``numpy.load(..., allow_pickle=False)`` refuses object arrays, and :func:`load_model` checks every
array (dtype, shape, finite values, node indices forming a tree, feature indices in range) before any of
it reaches compiled code. A SHA-256 of the arrays and metadata is stored as well; it detects a file that
was edited or damaged after it was written, but it is not a signature (anyone can recompute it).

How prediction is fast and exact
--------------------------------
A tree's prediction depends on each factor x_f only through the position of x_f among the thresholds
the tree uses for f: the pixel's *interval* on each factor. Small trees (the usual case: 100 trees grown
from a few hundred plots with a minimum leaf size of 20 have a few dozen nodes each) are therefore
compiled into a lookup table over the grid of their own threshold intervals, the value of each cell
taken from the tree's leaf. A block of pixels is predicted with vectorised numpy operations only: one
``searchsorted`` per factor against the union of all the forest's thresholds on that factor, gathers
from small per-tree index tables, one gather of the leaf values, and the sum over trees. Trees too large
to tabulate are traversed by scikit-learn's compiled ``Tree.apply`` (rebuilt from the arrays, never
unpickled). The trees are summed in their original order and divided by their number, exactly as
``RandomForestRegressor.predict`` does, so the predictions are bit-identical to it. On a 2-core machine
(``bench/bench_predict.py``) the tables predict ~1.7 M pixels/s on one thread, 2.5–3 times scikit-learn's
``predict``; trees grown to depth 10 (~1000 nodes) run at scikit-learn's own traversal speed.

References
----------
Breiman, L. (2001) Random forests. Machine Learning 45:5–32.
Fisher, A., Rudin, C. & Dominici, F. (2019) All models are wrong, but many are useful:
learning a variable's importance by studying an entire class of prediction models simultaneously.
JMLR 20(177):1–81 (permutation importance).
Lucchese, C. et al. (2015) QuickScorer: a fast algorithm to rank documents with additive ensembles of
regression trees. SIGIR 2015:73–82 (evaluating tree ensembles feature by feature, without traversal).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import math
import os
import zipfile
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np

from ..common import files

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MODEL_KINDS",
    "Ensemble",
    "FitReport",
    "ForestPredictor",
    "ModelFile",
    "ModelKind",
    "fit_random_forest",
    "load_model",
    "match_factors",
    "model_kind",
    "pack_trees",
    "parse_units",
    "predict_block",
    "predict_block_sets",
    "predictor_from_arrays",
    "predictor_from_model",
    "read_model_file",
    "regression_metrics",
    "save_model",
    "write_model_file",
]

FORMAT = "carbon-sink-diagnostics/tree-ensemble-regressor"
FORMAT_VERSION = 2
LEGACY_FORMAT = "carbon-sink-diagnostics/random-forest-regressor"  # version 1: Random Forest only
MAX_FILE_BYTES = 2**30  # uncompressed size of all arrays of a model file
_LEAF = -1  # sklearn's TREE_LEAF
_UNDEFINED = -2  # sklearn's TREE_UNDEFINED (feature and threshold of a leaf)

# name -> dtype of the node arrays, concatenated over the trees in order; node indices are per tree.
NODE_ARRAYS = {
    "children_left": np.dtype("<i8"),
    "children_right": np.dtype("<i8"),
    "feature": np.dtype("<i8"),
    "threshold": np.dtype("<f8"),
    "value": np.dtype("<f8"),
    "impurity": np.dtype("<f8"),
    "n_node_samples": np.dtype("<i8"),
    "weighted_n_node_samples": np.dtype("<f8"),
    "missing_go_to_left": np.dtype("u1"),
}
_TREE_ARRAYS = {"tree_node_count": np.dtype("<i8")}
_ENSEMBLE_ARRAYS = {"ensemble_tree_count": np.dtype("<i8"), "ensemble_base": np.dtype("<f8")}
TRAINING_ARRAYS = {
    "train_factors": np.dtype("<f8"),
    "train_target": np.dtype("<f8"),
    "train_fold": np.dtype("<i8"),
}
_META_ARRAY = "metadata_json"
ROLES = ("mean", "lower", "upper", "replicate")

# Prediction tuning: cells of one tree's lookup table, all tables together, pixels per chunk.
TABLE_CELLS_PER_TREE = 1 << 15
TABLE_CELLS_TOTAL = 1 << 22
_CHUNK = 4096


# ----------------------------------------------------------------------------------------------- metrics
def regression_metrics(observed, predicted) -> dict:
    """Coefficient of determination, mean absolute error and root mean square error.

    Parameters
    ----------
    observed, predicted : array_like of float, shape ``(n,)``

    Returns
    -------
    dict
        ``r2``, ``mae``, ``rmse`` (float) and ``n`` (int). ``r2`` is NaN when n < 2 or the observed
        values are all equal.

    Notes
    -----
    ``R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²``, ``MAE = mean |y − ŷ|``, ``RMSE = √(mean (y − ŷ)²)``
    (docs/method.md, step 4). R² is computed on the set it is reported for, with that set's mean ȳ, and is
    negative when the model does worse than that mean.

    Examples
    --------
    >>> m = regression_metrics([1.0, 2.0, 3.0, 4.0], [1.5, 2.0, 2.5, 4.0])
    >>> round(m["r2"], 3), round(m["mae"], 3), round(m["rmse"], 4), m["n"]
    (0.9, 0.25, 0.3536, 4)
    """
    y = np.asarray(observed, dtype=np.float64)
    p = np.asarray(predicted, dtype=np.float64)
    if y.ndim != 1 or y.shape != p.shape:
        raise ValueError(
            f"observed and predicted must be 1-D of the same length; got shapes {y.shape} and {p.shape}"
        )
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(p))):
        raise ValueError("observed and predicted must be finite")
    n = int(y.size)
    if n == 0:
        return {"r2": math.nan, "mae": math.nan, "rmse": math.nan, "n": 0}
    resid = y - p
    ss_res = float(np.sum(resid**2))
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    r2 = 1.0 - ss_res / ss_tot if n >= 2 and ss_tot > 0 else math.nan
    return {"r2": r2, "mae": float(np.mean(np.abs(resid))), "rmse": math.sqrt(ss_res / n), "n": n}


# --------------------------------------------------------------------------------------------------- fit
@dataclass
class FitReport:
    """What :func:`fit_random_forest` measured.

    Attributes
    ----------
    metrics : dict
        ``{"train": {...}, "validation": {...}}`` of :func:`regression_metrics` dicts (no
        ``"validation"`` when the validation fraction is 0).
    cv : dict or None
        k-fold cross-validation on the training set: ``folds`` (k), per-fold lists ``r2``, ``mae``,
        ``rmse``, ``n``, and ``mean`` / ``sd`` dicts (sd with ddof = 1).
    importance : dict
        ``factor`` (names), ``impurity`` (mean decrease in impurity, sums to 1), ``permutation_mean`` and
        ``permutation_sd`` (decrease in R² when the factor is shuffled), ``permutation_set``
        ("validation" or "train"), ``permutation_repeats``.
    train_index, validation_index : numpy.ndarray of int
        Rows of ``X`` in each set (sorted).
    observed, predicted : dict of numpy.ndarray
        Per set ("train", "validation"), for the observed-vs-predicted plot.
    params : dict
        The settings used.
    warnings : list of str
    """

    metrics: dict
    cv: dict | None
    importance: dict
    train_index: np.ndarray
    validation_index: np.ndarray
    observed: dict
    predicted: dict
    params: dict
    warnings: list = field(default_factory=list)


def _check_xy(X, y, factor_names):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (n_points, n_factors); got shape {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have one value per row of X ({X.shape[0]}); got shape {y.shape}")
    names = [str(n) for n in factor_names]
    if len(names) != X.shape[1]:
        raise ValueError(f"factor_names has {len(names)} names for {X.shape[1]} columns of X")
    _check_names(names)
    bad = np.flatnonzero(~np.all(np.isfinite(X), axis=1))
    if bad.size:
        raise ValueError(f"X has missing or non-finite values in {bad.size} row(s), first row {bad[0]}")
    bad = np.flatnonzero(~np.isfinite(y))
    if bad.size:
        raise ValueError(f"y has missing or non-finite values in {bad.size} row(s), first row {bad[0]}")
    return X, y, names


def _check_names(names):
    if not names:
        raise ValueError("at least one factor is needed")
    if any(not n.strip() for n in names):
        raise ValueError("factor names must not be empty")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"factor names must be unique; repeated: {', '.join(repeated)}")


def fit_random_forest(
    X,
    y,
    factor_names: Sequence[str],
    n_trees: int = 100,
    min_samples_leaf: int = 20,
    max_depth: int | None = 10,
    validation_fraction: float = 0.10,
    seed: int = 42,
    cv_folds: int = 0,
    permutation_repeats: int = 10,
    n_jobs: int | None = None,
):
    """Fit a Random Forest regression of ``y`` (carbon density) on the factors ``X``.

    Parameters
    ----------
    X : array_like of float, shape ``(n_points, n_factors)``
        Factor values at the points; finite (drop incomplete points first).
    y : array_like of float, shape ``(n_points,)``
        Target (carbon density, t C/hm²).
    factor_names : sequence of str
        Name of each column of ``X``, unique; stored with the model and used to match rasters.
    n_trees : int, default 100
    min_samples_leaf : int, default 20
    max_depth : int or None, default 10
        None grows the trees until the leaves are pure or hold ``min_samples_leaf`` points.
    validation_fraction : float, default 0.10
        Share of the points held out for validation, in [0, 0.9). 0 keeps all points for training.
    seed : int, default 42
        Seeds the split (``numpy.random.default_rng``), the forest, cross-validation and the
        permutations: the same inputs and seed give the same model and report.
    cv_folds : int, default 0
        k of a shuffled k-fold cross-validation on the training set (0: none; else ≥ 2).
    permutation_repeats : int, default 10
    n_jobs : int, optional
        Threads for scikit-learn (fitting only; the result does not depend on it).

    Returns
    -------
    model : sklearn.ensemble.RandomForestRegressor
        Fitted on the training set; ``n_jobs`` is reset to 1 so that its ``predict`` sums the trees in
        order (bit-reproducible).
    report : FitReport

    Raises
    ------
    ValueError
        Bad shapes, non-finite values, repeated factor names, settings out of range, or too few points
        for the split or the folds.

    Notes
    -----
    The split draws ``round(validation_fraction · n)`` points at random without replacement for
    validation. The forest is scikit-learn's ``RandomForestRegressor`` (bootstrap samples, all factors
    tried at each split, squared-error criterion) with ``random_state=seed``. Metrics follow
    :func:`regression_metrics`. Cross-validation fits the same forest on k − 1 folds of the training set
    and scores the held-out fold; the validation set is never used for it, so it stays an independent
    check. Impurity importance is the forest's mean decrease in impurity (normalised to sum to 1);
    permutation importance is the mean and standard deviation, over ``permutation_repeats`` shuffles,
    of the drop in R² when one factor is shuffled, on the validation set (the training set when there is
    none). Permutation importance is preferred: impurity importance favours factors with many distinct
    values (Strobl et al. 2007).

    References
    ----------
    Breiman, L. (2001) Random forests. Machine Learning 45:5–32.
    Strobl, C., Boulesteix, A.-L., Zeileis, A. & Hothorn, T. (2007) Bias in random forest variable
    importance measures. BMC Bioinformatics 8:25.
    """
    X, y, names = _check_xy(X, y, factor_names)
    cv_folds = _check_forest_settings(n_trees, min_samples_leaf, max_depth, validation_fraction, cv_folds,
                                      permutation_repeats)  # fmt: skip
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.inspection import permutation_importance

    n = X.shape[0]
    n_val = int(round(float(validation_fraction) * n))
    if validation_fraction > 0 and n_val < 2:
        raise ValueError(
            f"a validation fraction of {validation_fraction:g} of {n} points leaves {n_val} for validation; "
            "at least 2 are needed (use more points, a larger fraction, or 0 for no validation set)"
        )
    if n - n_val < 2:
        raise ValueError(f"only {n - n_val} point(s) left for training; at least 2 are needed")
    rng = np.random.default_rng(seed)
    order = rng.permutation(n)
    val_idx = np.sort(order[:n_val])
    train_idx = np.sort(order[n_val:])
    warnings = []
    if train_idx.size < 2 * int(min_samples_leaf):
        warnings.append(
            f"{train_idx.size} training points with a minimum leaf size of {min_samples_leaf}: the trees "
            "cannot split (every tree predicts the mean); lower the minimum leaf size or add points"
        )
    params = {
        "n_trees": int(n_trees),
        "min_samples_leaf": int(min_samples_leaf),
        "max_depth": None if max_depth is None else int(max_depth),
        "validation_fraction": float(validation_fraction),
        "seed": int(seed),
        "cv_folds": cv_folds,
        "permutation_repeats": int(permutation_repeats),
    }

    def new_forest():
        return RandomForestRegressor(
            n_estimators=int(n_trees),
            min_samples_leaf=int(min_samples_leaf),
            max_depth=None if max_depth is None else int(max_depth),
            random_state=int(seed),
            n_jobs=n_jobs,
        )

    model = new_forest().fit(X[train_idx], y[train_idx])
    model.set_params(n_jobs=1)
    sets = {"train": train_idx}
    if n_val:
        sets["validation"] = val_idx
    observed = {k: y[idx] for k, idx in sets.items()}
    predicted = {k: model.predict(X[idx]) for k, idx in sets.items()}
    metrics = {k: regression_metrics(observed[k], predicted[k]) for k in sets}

    cv = None
    if cv_folds:
        cv = _cross_validate(new_forest, X[train_idx], y[train_idx], cv_folds, seed)

    eval_set = "validation" if n_val else "train"
    perm = permutation_importance(
        model,
        X[sets[eval_set]],
        y[sets[eval_set]],
        n_repeats=int(permutation_repeats),
        random_state=int(seed),
        n_jobs=1,
    )
    importance = {
        "factor": list(names),
        "impurity": np.asarray(model.feature_importances_, dtype=np.float64),
        "permutation_mean": np.asarray(perm.importances_mean, dtype=np.float64),
        "permutation_sd": np.asarray(perm.importances_std, dtype=np.float64),
        "permutation_set": eval_set,
        "permutation_repeats": int(permutation_repeats),
    }
    report = FitReport(metrics, cv, importance, train_idx, val_idx, observed, predicted, params, warnings)
    return model, report


def _check_forest_settings(n_trees, min_samples_leaf, max_depth, validation_fraction, cv_folds, repeats):
    """Stop on a setting out of range, naming it; the number of folds as an int."""
    if int(n_trees) < 1:
        raise ValueError(f"n_trees must be at least 1; got {n_trees}")
    if int(min_samples_leaf) < 1:
        raise ValueError(f"min_samples_leaf must be at least 1; got {min_samples_leaf}")
    if max_depth is not None and int(max_depth) < 1:
        raise ValueError(f"max_depth must be at least 1 (or None); got {max_depth}")
    if not 0.0 <= float(validation_fraction) < 0.9:
        raise ValueError(f"validation_fraction must be in [0, 0.9); got {validation_fraction}")
    cv_folds = int(cv_folds)
    if cv_folds == 1 or cv_folds < 0:
        raise ValueError(f"cv_folds must be 0 (no cross-validation) or at least 2; got {cv_folds}")
    if int(repeats) < 1:
        raise ValueError(f"permutation_repeats must be at least 1; got {repeats}")
    return cv_folds


def _cross_validate(new_forest, X, y, k, seed):
    from sklearn.model_selection import KFold

    if X.shape[0] < k:
        raise ValueError(f"{k}-fold cross-validation needs at least {k} training points; got {X.shape[0]}")
    folds = {"r2": [], "mae": [], "rmse": [], "n": []}
    for fit_idx, test_idx in KFold(n_splits=k, shuffle=True, random_state=int(seed)).split(X):
        m = new_forest().fit(X[fit_idx], y[fit_idx])
        scores = regression_metrics(y[test_idx], m.predict(X[test_idx]))
        for key in folds:
            folds[key].append(scores[key])
    summary = {"folds": k, **folds}
    summary["mean"] = {key: float(np.nanmean(folds[key])) for key in ("r2", "mae", "rmse")}
    summary["sd"] = {key: float(np.nanstd(folds[key], ddof=1)) for key in ("r2", "mae", "rmse")}
    return summary


# ---------------------------------------------------------------------------------------------- factors
def match_factors(model_factors: Sequence[str], given: Sequence[str]) -> list[int]:
    """Position in ``given`` of each factor of the model, in the model's order.

    Parameters
    ----------
    model_factors : sequence of str
        The factors the model was trained on, in its column order.
    given : sequence of str
        The factor names supplied for prediction (any order).

    Returns
    -------
    list of int
        ``given[result[j]] == model_factors[j]``.

    Raises
    ------
    ValueError
        Naming the factors of the model that are missing, those given that the model does not use, and
        any name given twice.

    Examples
    --------
    >>> match_factors(["NPP", "DEM"], ["DEM", "NPP"])
    [1, 0]
    """
    model_factors = [str(f) for f in model_factors]
    given = [str(g) for g in given]
    repeated = sorted({g for g in given if given.count(g) > 1})
    missing = [f for f in model_factors if f not in given]
    extra = [g for g in dict.fromkeys(given) if g not in model_factors]
    problems = []
    if missing:
        problems.append(f"missing: {', '.join(missing)}")
    if extra:
        problems.append(f"not used by the model: {', '.join(extra)}")
    if repeated:
        problems.append(f"given more than once: {', '.join(repeated)}")
    if problems:
        raise ValueError(
            f"the factors do not match the model, which was trained on {', '.join(model_factors)} "
            f"({len(model_factors)} factors); " + "; ".join(problems)
        )
    return [given.index(f) for f in model_factors]


def parse_units(text: str, factors: Sequence[str]) -> dict:
    """Units of the factors from text such as ``"NPP=gC/m2/yr; DEM=m"``.

    Raises
    ------
    ValueError
        An entry without ``=``, or a name that is not one of ``factors``.

    Examples
    --------
    >>> parse_units("NPP=gC/m2/yr;DEM=m", ["NPP", "DEM", "AP"])
    {'NPP': 'gC/m2/yr', 'DEM': 'm'}
    """
    units = {}
    for part in (text or "").split(";"):
        if not part.strip():
            continue
        if "=" not in part:
            raise ValueError(f"units: '{part.strip()}' is not of the form FACTOR=unit (e.g. DEM=m)")
        name, unit = (s.strip() for s in part.split("=", 1))
        if name not in factors:
            raise ValueError(f"units: '{name}' is not one of the factors ({', '.join(factors)})")
        units[name] = unit
    return units


# ------------------------------------------------------------------------------------------ model kinds
@dataclass(frozen=True)
class ModelKind:
    """How an ensemble of regression trees of one library turns the trees' leaf values into a prediction.

    Attributes
    ----------
    name : str
        The key stored in model files (``model_kind``).
    label : str
        For logs and reports.
    input_dtype : numpy.dtype
        What the factors are cast to before the trees compare them with their thresholds (the library's
        own input type: float32 for scikit-learn's forests and XGBoost, float64 for
        HistGradientBoostingRegressor).
    accumulate_dtype : numpy.dtype
        In which the leaf values are summed over the trees (float32 in XGBoost).
    mean : bool
        True: the sum over the trees, in tree order, divided by their number (a forest). False: the
        trees are added, in order, to the ensemble's base value (boosting).
    """

    name: str
    label: str
    input_dtype: np.dtype
    accumulate_dtype: np.dtype
    mean: bool


MODEL_KINDS = {
    "random_forest": ModelKind(
        "random_forest", "Random Forest (scikit-learn)", np.dtype(np.float32), np.dtype(np.float64), True
    ),
    "hist_gradient_boosting": ModelKind(
        "hist_gradient_boosting",
        "Histogram gradient boosting (scikit-learn)",
        np.dtype(np.float64),
        np.dtype(np.float64),
        False,
    ),
    "xgboost": ModelKind("xgboost", "XGBoost", np.dtype(np.float32), np.dtype(np.float32), False),
}


def model_kind(name) -> ModelKind:
    """The :class:`ModelKind` called ``name``.

    Raises
    ------
    ValueError
        Naming the unknown kind and the known ones.

    Examples
    --------
    >>> model_kind("xgboost").input_dtype
    dtype('float32')
    """
    if isinstance(name, ModelKind):
        return name
    try:
        return MODEL_KINDS[str(name)]
    except KeyError:
        raise ValueError(
            f"model kind {name!r} is unknown; this plugin knows {', '.join(MODEL_KINDS)} "
            "(a model file of a newer plugin? update the plugin or retrain the model)"
        ) from None


# ----------------------------------------------------------------------------------------- model arrays
def _forest_arrays(model) -> dict:
    """The node arrays of a fitted single-output regression forest, concatenated over its trees."""
    estimators = getattr(model, "estimators_", None)
    if estimators is None or not len(estimators):
        raise ValueError("model must be a fitted forest of regression trees (it has no estimators_)")
    if getattr(model, "n_outputs_", 1) != 1:
        raise ValueError("model must predict one target (n_outputs_ == 1)")
    parts = {k: [] for k in NODE_ARRAYS}
    counts = []
    for est in estimators:
        t = est.tree_
        if t.n_outputs != 1 or int(t.max_n_classes) != 1:
            raise ValueError("model must be a regression forest (one value per leaf)")
        state = t.__getstate__()
        nodes = state["nodes"]
        parts["children_left"].append(nodes["left_child"])
        parts["children_right"].append(nodes["right_child"])
        parts["feature"].append(nodes["feature"])
        parts["threshold"].append(nodes["threshold"])
        parts["impurity"].append(nodes["impurity"])
        parts["n_node_samples"].append(nodes["n_node_samples"])
        parts["weighted_n_node_samples"].append(nodes["weighted_n_node_samples"])
        if "missing_go_to_left" in nodes.dtype.names:
            parts["missing_go_to_left"].append(nodes["missing_go_to_left"])
        else:
            parts["missing_go_to_left"].append(np.zeros(nodes.shape[0], dtype=np.uint8))
        parts["value"].append(state["values"].reshape(nodes.shape[0]))
        counts.append(int(state["node_count"]))
    arrays = {k: np.ascontiguousarray(np.concatenate(v), dtype=NODE_ARRAYS[k]) for k, v in parts.items()}
    arrays["tree_node_count"] = np.asarray(counts, dtype=_TREE_ARRAYS["tree_node_count"])
    return arrays


def pack_trees(trees: Sequence[Mapping[str, np.ndarray]]) -> dict:
    """Concatenate trees given node by node into the node arrays of a model file.

    Parameters
    ----------
    trees : sequence of mapping
        One mapping per tree, in order, with per-node arrays ``children_left``, ``children_right``
        (local node indices, -1 at a leaf), ``feature`` (-2 at a leaf), ``threshold`` (a pixel goes
        left when ``x ≤ threshold``) and ``value`` (the leaf value); optionally ``impurity``,
        ``n_node_samples``, ``weighted_n_node_samples`` and ``missing_go_to_left`` (zeros when absent).

    Returns
    -------
    dict
        The arrays of :data:`NODE_ARRAYS` and ``tree_node_count``, ready for :class:`Ensemble`.
    """
    if not len(trees):
        raise ValueError("at least one tree is needed")
    parts = {k: [] for k in NODE_ARRAYS}
    counts = []
    for t in trees:
        n = int(np.asarray(t["children_left"]).size)
        for k, dtype in NODE_ARRAYS.items():
            if k in t:
                a = np.asarray(t[k])
                if a.shape != (n,):
                    raise ValueError(f"tree {len(counts)}: '{k}' has shape {a.shape}; expected ({n},)")
                parts[k].append(a.astype(dtype))
            elif k in ("children_left", "children_right", "feature", "threshold", "value"):
                raise ValueError(f"tree {len(counts)}: '{k}' is missing")
            else:
                parts[k].append(np.zeros(n, dtype=dtype))
        counts.append(n)
    arrays = {k: np.ascontiguousarray(np.concatenate(v), dtype=NODE_ARRAYS[k]) for k, v in parts.items()}
    arrays["tree_node_count"] = np.asarray(counts, dtype=_TREE_ARRAYS["tree_node_count"])
    return arrays


def _content_hash(arrays: Mapping[str, np.ndarray], meta: Mapping) -> str:
    h = hashlib.sha256()
    for name in sorted(arrays):
        a = np.ascontiguousarray(arrays[name])
        h.update(f"{name}|{a.dtype.str}|{a.shape}|".encode())
        h.update(a.tobytes())
    body = {k: v for k, v in meta.items() if k != "sha256"}
    h.update(json.dumps(body, sort_keys=True, ensure_ascii=True, allow_nan=True).encode())
    return h.hexdigest()


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return value.item()
    return value


# ------------------------------------------------------------------------------------------ model file
@dataclass
class Ensemble:
    """One ensemble of trees of a model file.

    Attributes
    ----------
    role : str
        ``"mean"`` (the point prediction; exactly one, first), ``"lower"`` / ``"upper"`` (quantile
        models bounding the prediction interval, both or neither) or ``"replicate"`` (a model refitted
        on a bootstrap sample of the points, for the confidence interval of storage totals).
    arrays : dict
        :data:`NODE_ARRAYS` and ``tree_node_count`` (from :func:`pack_trees` or a fitted forest).
    base : float
        Value the trees are added to (boosting); 0 for a forest.
    """

    role: str
    arrays: dict
    base: float = 0.0


@dataclass
class ModelFile:
    """A validated model file: its kind, ensembles, training data and metadata.

    Built by :func:`read_model_file`; :meth:`predictor` gives the fast predictor of one ensemble.
    """

    kind: ModelKind
    meta: dict
    arrays: dict
    tree: dict
    roles: list
    tree_ranges: list  # (first tree, end tree) of each ensemble
    bases: np.ndarray
    training: dict | None

    @property
    def n_features(self) -> int:
        return int(self.meta["n_features"])

    @property
    def factors(self) -> list:
        return list(self.meta["factors"])

    def indices(self, role: str) -> list:
        """Positions of the ensembles with ``role``."""
        return [i for i, r in enumerate(self.roles) if r == role]

    def ensemble_arrays(self, index: int) -> tuple[dict, dict]:
        """Node arrays and tree data (``starts``, ``max_depth``) of ensemble ``index`` alone."""
        t0, t1 = self.tree_ranges[index]
        counts = self.arrays["tree_node_count"]
        n0 = int(counts[:t0].sum())
        n1 = n0 + int(counts[t0:t1].sum())
        arrays = {k: self.arrays[k][n0:n1] for k in NODE_ARRAYS}
        arrays["tree_node_count"] = counts[t0:t1]
        tree = {"starts": self.tree["starts"][t0:t1] - n0, "max_depth": self.tree["max_depth"][t0:t1]}
        return arrays, tree

    def predictor(self, index: int = 0, value_sets=None, table_cells=TABLE_CELLS_PER_TREE) -> ForestPredictor:
        """The :class:`ForestPredictor` of ensemble ``index`` (0: the point prediction)."""
        arrays, tree = self.ensemble_arrays(index)
        return ForestPredictor(
            arrays,
            self.n_features,
            self.factors,
            tree,
            table_cells,
            kind=self.kind.name,
            base=float(self.bases[index]),
            value_sets=value_sets,
        )


def save_model(path, model, meta: Mapping) -> dict:
    """Write a fitted scikit-learn forest to a safe model file (``.npz`` of plain arrays plus JSON metadata).

    Parameters
    ----------
    path : str or path-like
        The file to write (written as given; no suffix is added). Written to a temporary file first and
        moved into place, so a failed write never leaves a half model.
    model : sklearn.ensemble.RandomForestRegressor
        Fitted, one target.
    meta : mapping
        Must hold ``factors`` (names in the column order of the training data, one per feature). May
        hold ``units`` (factor -> unit), ``crs_wkt`` (CRS of the training grid), ``target`` (name and unit
        of the target), ``metrics``, ``params``, and any other JSON-serialisable entries.

    Returns
    -------
    dict
        The metadata as written (see :func:`write_model_file`).

    Raises
    ------
    ValueError
        The model is not a fitted single-target regression forest, or ``factors`` does not name its
        features uniquely.
    """
    arrays = _forest_arrays(model)
    factors = [str(f) for f in meta.get("factors", ())]
    n_features = int(model.n_features_in_)
    if len(factors) != n_features:
        raise ValueError(f"meta['factors'] names {len(factors)} factors; the model has {n_features} features")
    return write_model_file(path, "random_forest", [Ensemble("mean", arrays)], meta)


def write_model_file(path, kind, ensembles: Sequence[Ensemble], meta: Mapping, training=None) -> dict:
    """Write tree ensembles to a safe model file (format version 2).

    Parameters
    ----------
    path : str or path-like
        Written to a temporary file first and moved into place.
    kind : str
        One of :data:`MODEL_KINDS`.
    ensembles : sequence of Ensemble
        The point-prediction ensemble (role ``"mean"``) first; then optionally ``"lower"`` and
        ``"upper"`` and any number of ``"replicate"`` ensembles.
    meta : mapping
        Must hold ``factors`` (names in column order, unique). May hold ``units``, ``crs_wkt``,
        ``target``, ``metrics``, ``params``, ``interval``, ``applicability`` and any other
        JSON-serialisable entries.
    training : mapping, optional
        ``train_factors`` (float, ``(n, n_factors)``), ``train_target`` (``(n,)``) and ``train_fold``
        (int, ``(n,)``, the cross-validation fold of each point): the points the model was trained on,
        needed for the Random Forest's prediction interval and the area of applicability.

    Notes
    -----
    The archive holds one ``.npy`` per node field of :data:`NODE_ARRAYS` (``children_left``,
    ``children_right``, ``feature``, ``threshold``, ``value``, ``impurity``, ``n_node_samples``,
    ``weighted_n_node_samples``, ``missing_go_to_left``), the nodes of all trees of all ensembles
    concatenated in order with node indices local to each tree, ``tree_node_count`` (nodes per tree),
    ``ensemble_tree_count`` (trees per ensemble), ``ensemble_base`` (base value per ensemble), the
    optional training arrays and ``metadata_json`` (UTF-8 bytes). A pixel goes to the left child when
    ``x ≤ threshold`` for every kind (XGBoost's ``x < t`` is stored as ``x ≤`` the float32 just below
    t, which is the same test on float32 inputs). ``sha256`` is the SHA-256 over the arrays (name, dtype,
    shape, bytes, in name order) and the metadata without it, as canonical JSON.

    Returns
    -------
    dict
        The metadata as written, with ``format``, ``format_version``, ``model_kind``, ``ensembles``,
        ``n_features``, ``n_trees`` (of the point prediction), ``sklearn_version``, ``created`` (UTC,
        ISO 8601) and ``sha256`` added.
    """
    kind = model_kind(kind)
    factors = [str(f) for f in meta.get("factors", ())]
    _check_names(factors)
    units = {str(k): str(v) for k, v in dict(meta.get("units") or {}).items()}
    unknown = [k for k in units if k not in factors]
    if unknown:
        raise ValueError(f"meta['units'] names factors the model does not have: {', '.join(unknown)}")
    ensembles = list(ensembles)
    roles = [e.role for e in ensembles]
    _check_roles(roles, ValueError)
    for e in ensembles:
        if not math.isfinite(float(e.base)):
            raise ValueError(f"ensemble '{e.role}': base value must be finite; got {e.base}")
    arrays = {
        k: np.ascontiguousarray(np.concatenate([np.asarray(e.arrays[k]) for e in ensembles]), dtype=dtype)
        for k, dtype in (*NODE_ARRAYS.items(), *_TREE_ARRAYS.items())
    }
    arrays["ensemble_tree_count"] = np.asarray(
        [np.asarray(e.arrays["tree_node_count"]).size for e in ensembles], dtype="<i8"
    )
    arrays["ensemble_base"] = np.asarray([float(e.base) for e in ensembles], dtype="<f8")
    if training is not None:
        training = _check_training(
            {k: np.asarray(training[k]) for k in TRAINING_ARRAYS}, len(factors), ValueError
        )
        arrays.update(training)
    try:
        import sklearn

        sklearn_version = sklearn.__version__
    except ImportError:  # pragma: no cover - the model was fitted with it, or converted from XGBoost
        sklearn_version = ""
    full = _jsonable(dict(meta))
    full.update(
        {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "model_kind": kind.name,
            "ensembles": [
                {"role": e.role, "n_trees": int(np.asarray(e.arrays["tree_node_count"]).size)}
                for e in ensembles
            ],
            "factors": factors,
            "units": units,
            "crs_wkt": str(meta.get("crs_wkt") or ""),
            "n_features": len(factors),
            "n_trees": int(np.asarray(ensembles[0].arrays["tree_node_count"]).size),
            "sklearn_version": sklearn_version,
            "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        }
    )
    full.pop("sha256", None)
    try:  # never write a file that would be refused on reading
        _check_arrays(arrays, full)
        _check_values(arrays, kind)
        _check_trees(arrays, full)
    except _ModelFileError as exc:
        raise ValueError(f"model: {exc}") from None
    full["sha256"] = _content_hash(arrays, full)
    text = json.dumps(full, sort_keys=True, ensure_ascii=False, indent=1, allow_nan=True)
    payload = dict(arrays)
    payload[_META_ARRAY] = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    with files.replacing(os.fspath(path), "Model file") as tmp, open(tmp, "wb") as fh:
        np.savez_compressed(fh, **payload)
    return full


def _check_roles(roles, error):
    if not roles or roles[0] != "mean" or roles.count("mean") != 1:
        raise error("the first ensemble, and only it, must be the point prediction (role 'mean')")
    bad = sorted({r for r in roles if r not in ROLES})
    if bad:
        raise error(f"ensemble role(s) {', '.join(map(repr, bad))} unknown; known: {', '.join(ROLES)}")
    if roles.count("lower") != roles.count("upper") or roles.count("lower") > 1:
        raise error("a prediction interval needs exactly one 'lower' and one 'upper' ensemble")


def _check_training(training, n_features, error):
    x, y, fold = training["train_factors"], training["train_target"], training["train_fold"]
    if x.ndim != 2 or x.shape[1] != n_features or x.shape[0] < 2:
        raise error(f"'train_factors' must be (n ≥ 2, {n_features}); got shape {x.shape}")
    n = x.shape[0]
    if y.shape != (n,) or fold.shape != (n,):
        raise error(f"'train_target' and 'train_fold' must have one value per training point ({n})")
    if x.dtype.kind not in "fiu" or y.dtype.kind not in "fiu" or fold.dtype.kind not in "iu":
        raise error("training arrays must be numeric ('train_fold' integer)")
    x = np.ascontiguousarray(x, dtype=TRAINING_ARRAYS["train_factors"])
    y = np.ascontiguousarray(y, dtype=TRAINING_ARRAYS["train_target"])
    fold = np.ascontiguousarray(fold, dtype=TRAINING_ARRAYS["train_fold"])
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise error("training factors and target must be finite")
    if fold.min() < 0:
        raise error("'train_fold' must be ≥ 0")
    return {"train_factors": x, "train_target": y, "train_fold": fold}


class _ModelFileError(ValueError):
    pass


def load_model(path):
    """Open and validate a model file; the point-prediction ensemble's predictor and the metadata.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    predictor : ForestPredictor
        Of the point prediction (the forest, or the boosting model), for any model kind.
    meta : dict
        The metadata (factors, units, crs_wkt, model_kind, metrics, …).

    Raises
    ------
    ValueError
        ``"model file <path>: <what is wrong>"``, see :func:`read_model_file`.
    """
    model = read_model_file(path)
    return model.predictor(0), model.meta


def read_model_file(path) -> ModelFile:
    """Open and validate a model file written by :func:`write_model_file` (or by an earlier version).

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    ModelFile

    Raises
    ------
    ValueError
        ``"model file <path>: <what is wrong>"`` for a file that cannot be read, is not a model file of
        a format and version this plugin reads, has an unknown model kind or ensemble role, holds arrays
        of the wrong type or shape, non-finite thresholds or values, node indices that do not form trees,
        feature indices beyond the factors, or whose content no longer matches its SHA-256 (edited or
        damaged after it was written).

    Notes
    -----
    Only plain numeric arrays are read (``numpy.load(allow_pickle=False)``); nothing in the file is
    executed, and nothing reaches compiled code before it has been checked. Files of format version 1
    (Random Forest only, plugin versions before gradient boosting) are checked by the rules they were
    written under and read as a ``random_forest`` model with one ensemble and no training data.
    """
    path = os.fspath(path)
    try:
        return _load(path)
    except _ModelFileError as exc:
        raise ValueError(f"model file {path}: {exc}") from None


def _load(path):
    if not os.path.isfile(path):
        raise _ModelFileError("does not exist or is not a file")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if len(names) != len(infos):
                raise _ModelFileError("the archive holds an entry more than once")
            required_v1 = {f"{k}.npy" for k in (*NODE_ARRAYS, *_TREE_ARRAYS, _META_ARRAY)}
            if f"{_META_ARRAY}.npy" not in names:
                missing = sorted(n[:-4] for n in required_v1 - names)
                raise _ModelFileError(
                    f"not a Carbon Sink Diagnostics model file (missing arrays: {', '.join(missing)})"
                )
            if sum(i.file_size for i in infos) > MAX_FILE_BYTES:
                raise _ModelFileError(f"arrays larger than {MAX_FILE_BYTES // 2**20} MiB; refused")
            raw = {i.filename[:-4] if i.filename.endswith(".npy") else i.filename: zf.read(i) for i in infos}
    except zipfile.BadZipFile as exc:
        raise _ModelFileError(f"not a model file (not an .npz archive: {exc})") from None
    except OSError as exc:
        raise _ModelFileError(f"cannot be read: {exc}") from None
    meta_blob = _load_array(_META_ARRAY, raw.pop(_META_ARRAY))
    meta = _read_meta(meta_blob)
    version = meta["format_version"]
    required = {*NODE_ARRAYS, *_TREE_ARRAYS}
    optional = set()
    if version >= 2:
        required |= set(_ENSEMBLE_ARRAYS)
        optional = set(TRAINING_ARRAYS)
    given = set(raw)
    missing = sorted(required - given)
    extra = sorted(given - required - optional)
    if missing or extra:
        raise _ModelFileError(
            "not a Carbon Sink Diagnostics model file"
            + (f" (missing arrays: {', '.join(missing)})" if missing else "")
            + (f" (unexpected entries: {', '.join(extra)})" if extra else "")
        )
    if optional & given and optional - given:
        raise _ModelFileError(
            f"training arrays incomplete: has {', '.join(sorted(optional & given))}, lacks "
            f"{', '.join(sorted(optional - given))}"
        )
    arrays = {name: _load_array(name, blob) for name, blob in raw.items()}
    if version == 1:
        meta = _migrate_v1_meta(meta)
        _check_arrays(arrays, meta)
        if _content_hash(arrays, meta["_v1_meta"]) != meta["sha256"]:
            raise _ModelFileError(_HASH_MESSAGE)
        del meta["_v1_meta"]
        arrays["ensemble_tree_count"] = np.asarray([arrays["tree_node_count"].size], dtype="<i8")
        arrays["ensemble_base"] = np.zeros(1, dtype="<f8")
    else:
        _check_arrays(arrays, meta)
        if _content_hash(arrays, meta) != meta["sha256"]:
            raise _ModelFileError(_HASH_MESSAGE)
    kind = MODEL_KINDS[meta["model_kind"]]
    _check_values(arrays, kind)
    tree = _check_trees(arrays, meta)
    training = None
    if "train_factors" in arrays:
        training = _check_training(
            {k: arrays.pop(k) for k in TRAINING_ARRAYS}, meta["n_features"], _ModelFileError
        )
    ends = np.cumsum(arrays["ensemble_tree_count"])
    ranges = [(int(e - c), int(e)) for e, c in zip(ends, arrays["ensemble_tree_count"])]
    roles = [e["role"] for e in meta["ensembles"]]
    return ModelFile(kind, meta, arrays, tree, roles, ranges, arrays["ensemble_base"], training)


_HASH_MESSAGE = (
    "content does not match its SHA-256 checksum: the file was modified or damaged after it was "
    "written; retrain or ask for the original file"
)


def _load_array(name, blob):
    try:
        return np.load(io.BytesIO(blob), allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise _ModelFileError(f"array '{name}' cannot be read as a plain numeric array: {exc}") from None


def _migrate_v1_meta(meta):
    """Version 1 (Random Forest only) read as version 2: one 'mean' ensemble, no training data."""
    migrated = dict(meta)
    migrated["_v1_meta"] = meta
    migrated["model_kind"] = "random_forest"
    migrated["ensembles"] = [{"role": "mean", "n_trees": meta["n_trees"]}]
    return migrated


def _read_meta(blob):
    if blob.dtype != np.uint8 or blob.ndim != 1:
        raise _ModelFileError("metadata must be a 1-D byte array")
    try:
        meta = json.loads(blob.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _ModelFileError(f"metadata is not valid JSON: {exc}") from None
    if not isinstance(meta, dict):
        raise _ModelFileError("metadata is not a JSON object")
    fmt, version = meta.get("format"), meta.get("format_version")
    if fmt not in (FORMAT, LEGACY_FORMAT):
        raise _ModelFileError(f"not a Carbon Sink Diagnostics model file (format {fmt!r})")
    readable = {LEGACY_FORMAT: (1,), FORMAT: (FORMAT_VERSION,)}[fmt]
    if not isinstance(version, int) or isinstance(version, bool) or version not in readable:
        raise _ModelFileError(
            f"format version {version!r} is not supported by this plugin (it reads versions 1 to "
            f"{FORMAT_VERSION}); update the plugin or retrain the model"
        )
    factors = meta.get("factors")
    if not isinstance(factors, list) or not all(isinstance(f, str) for f in factors):
        raise _ModelFileError("metadata 'factors' must be a list of names")
    try:
        _check_names(factors)
    except ValueError as exc:
        raise _ModelFileError(f"metadata 'factors': {exc}") from None
    for key, kind in (("n_features", int), ("n_trees", int), ("sha256", str), ("crs_wkt", str)):
        if not isinstance(meta.get(key), kind) or isinstance(meta.get(key), bool):
            raise _ModelFileError(f"metadata '{key}' is missing or not a {kind.__name__}")
    if meta["n_features"] != len(factors):
        raise _ModelFileError(f"metadata: n_features {meta['n_features']} but {len(factors)} factors named")
    units = meta.get("units", {})
    if not isinstance(units, dict) or not all(isinstance(v, str) for v in units.values()):
        raise _ModelFileError("metadata 'units' must map factor names to text")
    if version >= 2:
        try:
            model_kind(meta.get("model_kind"))
        except ValueError as exc:
            raise _ModelFileError(str(exc)) from None
        ensembles = meta.get("ensembles")
        if (
            not isinstance(ensembles, list)
            or not ensembles
            or not all(
                isinstance(e, dict)
                and isinstance(e.get("role"), str)
                and isinstance(e.get("n_trees"), int)
                and not isinstance(e.get("n_trees"), bool)
                for e in ensembles
            )
        ):
            raise _ModelFileError("metadata 'ensembles' must list {role, n_trees} of every ensemble")
        _check_roles([e["role"] for e in ensembles], _ModelFileError)
        if ensembles[0]["n_trees"] != meta["n_trees"]:
            raise _ModelFileError("metadata: n_trees differs from the trees of the point prediction")
    return meta


def _check_arrays(arrays, meta):
    for name, dtype in (*NODE_ARRAYS.items(), *_TREE_ARRAYS.items()):
        a = arrays[name]
        if a.dtype != dtype or a.ndim != 1:
            raise _ModelFileError(f"array '{name}' must be 1-D {dtype}; got {a.ndim}-D {a.dtype}")
    counts = arrays["tree_node_count"]
    if "ensembles" in meta and "ensemble_tree_count" in arrays:
        for name, dtype in _ENSEMBLE_ARRAYS.items():
            a = arrays[name]
            if a.dtype != dtype or a.ndim != 1 or a.size != len(meta["ensembles"]):
                raise _ModelFileError(
                    f"array '{name}' must be 1-D {dtype} with one entry per ensemble "
                    f"({len(meta['ensembles'])}); got {a.ndim}-D {a.dtype} of {a.size}"
                )
        per = arrays["ensemble_tree_count"]
        if np.any(per < 1) or per.tolist() != [e["n_trees"] for e in meta["ensembles"]]:
            raise _ModelFileError(
                f"trees per ensemble {per.tolist()} do not match the metadata "
                f"{[e['n_trees'] for e in meta['ensembles']]}"
            )
        if int(per.sum()) != counts.size:
            raise _ModelFileError(f"{counts.size} trees stored; the ensembles have {int(per.sum())}")
        if not np.all(np.isfinite(arrays["ensemble_base"])):
            raise _ModelFileError("non-finite ensemble base value")
    elif counts.size != meta["n_trees"]:
        raise _ModelFileError(f"{counts.size} trees stored; metadata says {meta['n_trees']}")
    if counts.size < 1:
        raise _ModelFileError("no tree stored")
    if np.any(counts < 1):
        raise _ModelFileError(f"tree {int(np.argmax(counts < 1))} has no node")
    total = int(counts.sum())
    for name in NODE_ARRAYS:
        if arrays[name].size != total:
            raise _ModelFileError(
                f"array '{name}' has {arrays[name].size} entries; the trees have {total} nodes in all"
            )
    for name, dtype in TRAINING_ARRAYS.items():
        if name in arrays and arrays[name].dtype != dtype:
            raise _ModelFileError(f"array '{name}' must be {dtype}; got {arrays[name].dtype}")


def _check_values(arrays, kind):
    """XGBoost's leaf values and bases are float32 numbers: a file must not hold others for it."""
    if kind.accumulate_dtype == np.float32:
        for name in ("value", "ensemble_base"):
            a = arrays[name]
            with np.errstate(over="ignore", invalid="ignore"):
                exact = a.astype(np.float32).astype(np.float64) == a
            if not np.all(exact):
                raise _ModelFileError(f"array '{name}' holds values that are not float32 numbers")


def _check_trees(arrays, meta):
    """Check that the node arrays form trees the traversal can walk; return per-node tree data."""
    counts = arrays["tree_node_count"]
    n_trees = counts.size
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    tree_of = np.repeat(np.arange(n_trees), counts)
    local = np.arange(tree_of.size) - starts[tree_of]
    left, right = arrays["children_left"], arrays["children_right"]
    feature, threshold = arrays["feature"], arrays["threshold"]

    def fail(mask, what):
        i = int(np.argmax(mask))
        raise _ModelFileError(f"tree {int(tree_of[i])}, node {int(local[i])}: {what}")

    leaf = left == _LEAF
    if np.any(leaf != (right == _LEAF)):
        fail(leaf != (right == _LEAF), "one child is a leaf marker and the other is not")
    inner = ~leaf
    size = counts[tree_of]
    bad = inner & ((left <= local) | (right <= local) | (left >= size) | (right >= size) | (left == right))
    if np.any(bad):
        fail(bad, "child index out of range (children must follow their parent within the tree)")
    parents = np.bincount(
        np.concatenate([starts[tree_of[inner]] + left[inner], starts[tree_of[inner]] + right[inner]]),
        minlength=tree_of.size,
    )
    bad = parents != (local > 0)
    if np.any(bad):
        fail(bad, "nodes do not form a tree (a node has no parent or more than one)")
    n_features = meta["n_features"]
    bad = inner & ((feature < 0) | (feature >= n_features))
    if np.any(bad):
        fail(bad, f"feature index outside 0..{n_features - 1}")
    if np.any(leaf & (feature != _UNDEFINED)):
        fail(leaf & (feature != _UNDEFINED), "a leaf must have feature -2")
    if np.any(inner & ~np.isfinite(threshold)):
        fail(inner & ~np.isfinite(threshold), "non-finite threshold")
    for name in ("value", "impurity", "weighted_n_node_samples"):
        if not np.all(np.isfinite(arrays[name])):
            fail(~np.isfinite(arrays[name]), f"non-finite {name}")
    if np.any(arrays["n_node_samples"] < 0):
        fail(arrays["n_node_samples"] < 0, "negative n_node_samples")
    if np.any(arrays["missing_go_to_left"] > 1):
        fail(arrays["missing_go_to_left"] > 1, "missing_go_to_left must be 0 or 1")
    # depth of every node, level by level (children follow their parents)
    depth = np.zeros(tree_of.size, dtype=np.int64)
    frontier = starts.copy()
    level = 0
    while frontier.size:
        depth[frontier] = level
        f_inner = frontier[inner[frontier]]
        g = starts[tree_of[f_inner]]
        frontier = np.concatenate([g + left[f_inner], g + right[f_inner]])
        level += 1
    max_depth = np.zeros(n_trees, dtype=np.int64)
    np.maximum.at(max_depth, tree_of, depth)
    return {"starts": starts, "max_depth": max_depth}


# ------------------------------------------------------------------------------------------- prediction
class ForestPredictor:
    """Exact, fast prediction of an ensemble of regression trees from its validated node arrays.

    Build it with :func:`load_model` / :meth:`ModelFile.predictor` (from a file),
    :func:`predictor_from_model` (a fitted scikit-learn forest) or the converters of
    :mod:`core.carbon.boosting`. ``predict`` gives the same float64 values as the library's own
    ``predict`` on the same inputs, bit for bit: ``RandomForestRegressor.predict`` (inputs cast to
    float32, trees summed in order in float64, divided by their number),
    ``HistGradientBoostingRegressor.predict`` (float64 inputs, the trees added in order to the baseline
    in float64) and XGBoost's ``predict`` (float32 inputs, the trees added in order to the base score in
    float32).

    Parameters
    ----------
    arrays : dict of numpy.ndarray
        Node arrays as in :data:`NODE_ARRAYS` plus ``tree_node_count`` (already validated).
    n_features : int
    factors : sequence of str
    tree : dict
        ``starts`` and ``max_depth`` per tree (from the validation).
    table_cells : int, optional
        Largest lookup table (cells) a tree may be compiled to; larger trees are traversed (by
        scikit-learn's ``Tree.apply`` for float32 inputs, by a vectorised numpy walk otherwise). 0
        traverses every tree.
    kind : str, default "random_forest"
        One of :data:`MODEL_KINDS`: how inputs are cast and leaf values summed.
    base : float, default 0
        The value the trees are added to (boosting kinds).
    value_sets : mapping of str to numpy.ndarray, optional
        Other leaf values on the same nodes (``(n_nodes,)`` each), predicted by
        :func:`predict_block_sets` with the same leaves: e.g. the leaf quantiles of a quantile
        regression forest.
    """

    def __init__(
        self,
        arrays,
        n_features,
        factors,
        tree,
        table_cells=TABLE_CELLS_PER_TREE,
        kind="random_forest",
        base=0.0,
        value_sets=None,
    ):
        self.kind = model_kind(kind)
        self.input_dtype = self.kind.input_dtype
        self.n_features = int(n_features)
        self.factors = list(factors)
        self.n_trees = int(arrays["tree_node_count"].size)
        self.base = float(base)
        self._arrays = arrays
        self._starts = tree["starts"]
        self._counts = arrays["tree_node_count"]
        self._max_depth = tree["max_depth"]
        acc = self.kind.accumulate_dtype
        n_nodes = arrays["value"].size
        self._node_values = {"value": np.ascontiguousarray(arrays["value"], dtype=acc)}
        for name, values in dict(value_sets or {}).items():
            values = np.asarray(values, dtype=np.float64)
            if values.shape != (n_nodes,) or not np.isfinite(values).all():
                raise ValueError(f"value set '{name}' must hold {n_nodes} finite values, one per node")
            self._node_values[str(name)] = np.ascontiguousarray(values, dtype=acc)
        self.value_sets = tuple(self._node_values)
        self._base_acc = np.asarray(self.base, dtype=acc)
        self._first = 0 if self.kind.mean else 1  # row of the first tree in the per-tree buffer
        self._compile(int(table_cells))
        self._sk_trees = None
        self._walk = {}
        if self._apply_trees.size:
            if self.input_dtype == np.float32 and _sklearn_tree_module() is not None:
                self._sklearn_trees()  # now, not lazily from the engine's threads
            else:
                self._walk = {int(t): self._walk_arrays(int(t)) for t in self._apply_trees}

    # -- compilation into lookup tables ------------------------------------------------------------
    def _tree_slice(self, t):
        a = int(self._starts[t])
        return slice(a, a + int(self._counts[t]))

    def _compile(self, table_cells):
        arrays = self._arrays
        nf = self.n_features
        local_thresholds = []
        cells = []
        for t in range(self.n_trees):
            s = self._tree_slice(t)
            inner = arrays["children_left"][s] != _LEAF
            feat = arrays["feature"][s][inner]
            thr = arrays["threshold"][s][inner]
            per = [np.unique(thr[feat == f]) for f in range(nf)]
            local_thresholds.append(per)
            cells.append(math.prod(len(p) + 1 for p in per))
        self.cells = np.asarray(cells, dtype=np.int64)
        tabulate = np.zeros(self.n_trees, dtype=bool)
        budget = TABLE_CELLS_TOTAL
        for t in np.argsort(cells, kind="stable"):
            if cells[t] <= table_cells and cells[t] <= budget:
                tabulate[t] = True
                budget -= cells[t]
        self.tabulated = tabulate
        self._table_trees = np.flatnonzero(tabulate)
        self._apply_trees = np.flatnonzero(~tabulate)
        # Global thresholds per factor (union over tabulated trees) and per-tree index tables.
        self._bounds = []
        self._index_tables = []
        self._used = []
        self._tab_values = {}
        if not self._table_trees.size:
            return
        n_tab = self._table_trees.size
        offsets = np.zeros(n_tab, dtype=np.int64)
        cell_nodes = []
        strides_all = []
        offset = 0
        for k, t in enumerate(self._table_trees):
            per = local_thresholds[t]
            dims = [len(p) + 1 for p in per]
            strides = np.ones(nf, dtype=np.int64)
            for f in range(nf - 2, -1, -1):
                strides[f] = strides[f + 1] * dims[f + 1]
            strides_all.append(strides)
            offsets[k] = offset
            cell_nodes.append(self._tabulate_tree(t, per))
            offset += cells[t]
        for f in range(nf):
            union = np.unique(np.concatenate([local_thresholds[t][f] for t in self._table_trees]))
            if union.size == 0:
                continue
            probe = np.append(union, np.inf)
            table = np.empty((probe.size, n_tab), dtype=np.int64)
            for k, t in enumerate(self._table_trees):
                table[:, k] = np.searchsorted(local_thresholds[t][f], probe, side="left") * strides_all[k][f]
            self._used.append(f)
            self._bounds.append(union)
            self._index_tables.append(table)
        if self._used:
            self._index_tables[0] += offsets[None, :]
        self._offsets = offsets
        cell_node = np.concatenate(cell_nodes)
        self._cell_node = cell_node.astype(
            np.int32 if cell_node.size and cell_node.max() < 2**31 else np.int64
        )
        self._tab_values = {name: v[cell_node] for name, v in self._node_values.items()}
        dtype = np.int32 if offset < 2**31 else np.int64
        self._index_tables = [np.ascontiguousarray(tb.astype(dtype)) for tb in self._index_tables]

    def _tabulate_tree(self, t, per):
        """Leaf node (global index) of every cell of tree ``t``'s threshold grid (C order over the factors)."""
        s = self._tree_slice(t)
        left = self._arrays["children_left"][s]
        right = self._arrays["children_right"][s]
        feat = self._arrays["feature"][s]
        thr = self._arrays["threshold"][s]
        # A representative of interval i of factor f is its upper threshold (x ≤ thr_i and x > thr_{i-1}),
        # +inf for the last interval: every comparison x ≤ threshold of the tree has the same outcome for it
        # as for any pixel in that interval.
        reps = [np.append(p, np.inf) for p in per]
        grid = np.meshgrid(*reps, indexing="ij")
        points = np.stack([g.ravel() for g in grid])  # (n_features, cells)
        node = np.zeros(points.shape[1], dtype=np.int64)
        cols = np.arange(points.shape[1])
        for _ in range(int(self._max_depth[t])):
            inner = left[node] != _LEAF
            f = np.where(inner, feat[node], 0)
            go_left = points[f, cols] <= thr[node]
            node = np.where(inner, np.where(go_left, left[node], right[node]), node)
        return node + s.start

    def add_value_sets(self, value_sets) -> None:
        """Add leaf value sets (``{name: (n_nodes,) values}``) to a built predictor, without recompiling.

        Call it before predicting from several threads.
        """
        n_nodes = self._arrays["value"].size
        acc = self.kind.accumulate_dtype
        for name, values in dict(value_sets).items():
            values = np.asarray(values, dtype=np.float64)
            if values.shape != (n_nodes,) or not np.isfinite(values).all():
                raise ValueError(f"value set '{name}' must hold {n_nodes} finite values, one per node")
            node_values = np.ascontiguousarray(values, dtype=acc)
            if self._table_trees.size:
                self._tab_values[str(name)] = node_values[self._cell_node]
            self._node_values[str(name)] = node_values
        self.value_sets = tuple(self._node_values)

    # -- traversal of trees too large for a table -------------------------------------------------
    def _walk_arrays(self, t):
        """Per-node arrays of tree ``t`` for the numpy walk: a leaf points to itself."""
        s = self._tree_slice(t)
        left = self._arrays["children_left"][s]
        leaf = left == _LEAF
        own = np.arange(left.size, dtype=np.intp)
        return (
            np.where(leaf, own, left).astype(np.intp),
            np.where(leaf, own, self._arrays["children_right"][s]).astype(np.intp),
            np.where(leaf, 0, self._arrays["feature"][s]).astype(np.intp),
            np.where(leaf, np.inf, self._arrays["threshold"][s]),
        )

    def _walk_leaves(self, t, cols):
        """Local leaf index of every column of ``cols`` (``(n_features, m)``) in tree ``t``, by numpy."""
        left, right, feat, thr = self._walk[int(t)]
        m = cols.shape[1]
        node = np.zeros(m, dtype=np.intp)
        flat = cols.ravel()
        pos = np.arange(m, dtype=np.intp)
        for _ in range(int(self._max_depth[t])):
            x = flat[feat[node] * m + pos]
            node = np.where(x <= thr[node], left[node], right[node])
        return node

    def _sklearn_trees(self):
        if self._sk_trees is None:
            _tree = _sklearn_tree_module()
            node_dtype = _tree.NODE_DTYPE
            names = {
                "left_child": "children_left",
                "right_child": "children_right",
                "feature": "feature",
                "threshold": "threshold",
                "impurity": "impurity",
                "n_node_samples": "n_node_samples",
                "weighted_n_node_samples": "weighted_n_node_samples",
                "missing_go_to_left": "missing_go_to_left",
            }
            unknown = [n for n in node_dtype.names if n not in names]
            if unknown:
                raise ValueError(
                    f"the installed scikit-learn's tree layout has fields this plugin does not know: "
                    f"{', '.join(unknown)}"
                )
            trees = {}
            for t in self._apply_trees:
                s = self._tree_slice(t)
                count = int(self._counts[t])
                nodes = np.zeros(count, dtype=node_dtype)
                for field_name in node_dtype.names:
                    nodes[field_name] = self._arrays[names[field_name]][s]
                tree = _tree.Tree(self.n_features, np.array([1], dtype=np.intp), 1)
                tree.__setstate__(
                    {
                        "max_depth": int(self._max_depth[t]),
                        "node_count": count,
                        "nodes": nodes,
                        "values": np.ascontiguousarray(self._arrays["value"][s].reshape(count, 1, 1)),
                    }
                )
                trees[int(t)] = (tree, np.ascontiguousarray(self._arrays["value"][s]))
            self._sk_trees = trees
        return self._sk_trees

    def _leaves(self, t, cols, rows):
        """Global leaf node of every pixel in a traversed tree ``t``."""
        start = int(self._starts[t])
        if self._walk:
            return self._walk_leaves(t, cols) + start
        tree, _ = self._sk_trees[int(t)]
        return tree.apply(rows) + start

    # -- prediction --------------------------------------------------------------------------------
    def predict(self, X) -> np.ndarray:
        """Predict rows of ``X`` (``(n, n_features)``, cast to :attr:`input_dtype` as the library does).

        Returns float64 ``(n,)``; rows with a NaN give NaN.
        """
        X = np.asarray(X)
        if X.ndim != 2 or X.shape[1] != self.n_features:
            raise ValueError(f"X must have shape (n, {self.n_features}); got {X.shape}")
        return predict_block(self, X.T)

    def _predict_columns(self, cols: np.ndarray, sets=("value",)) -> dict:
        """Predict finite columns ``(n_features, n)`` of :attr:`input_dtype`; float64 ``(n,)`` per set."""
        if not self._table_trees.size:
            return self._predict_traversed(cols, sets)
        n = cols.shape[1]
        outs = {s: np.empty(n, dtype=np.float64) for s in sets}
        hybrid = self._apply_trees.size > 0
        rows = np.ascontiguousarray(cols.T) if hybrid and not self._walk else None
        buffers = {}
        first = self._first
        for a in range(0, n, _CHUNK):
            b = min(n, a + _CHUNK)
            m = b - a
            if m not in buffers:
                buffers[m] = self._buffers(m)
            buf = buffers[m]
            per_tree = buf["per_tree"]
            self._cells(cols[:, a:b], buf)
            leaves = [
                self._leaves(t, cols[:, a:b], None if rows is None else rows[a:b]) for t in self._apply_trees
            ]
            for s in sets:
                if not self.kind.mean:
                    per_tree[0] = self._base_acc
                if hybrid:
                    np.take(self._tab_values[s], buf["cell_t"], out=buf["table"], mode="clip")
                    per_tree[first + self._table_trees] = buf["table"]
                    for t, leaf in zip(self._apply_trees, leaves):
                        np.take(self._node_values[s], leaf, out=per_tree[first + t], mode="clip")
                else:
                    np.take(self._tab_values[s], buf["cell_t"], out=per_tree[first:], mode="clip")
                self._finish(per_tree, buf["acc"], outs[s][a:b])
        return outs

    def _finish(self, per_tree, acc, out):
        """Sum the trees in order (after the base row, for boosting), then divide for a forest."""
        _sum_rows_in_order(per_tree, acc)
        if acc is not out:
            out[:] = acc
        if self.kind.mean:
            out /= self.n_trees

    def _predict_traversed(self, cols, sets):
        """Every tree traversed, accumulated in tree order, large chunks."""
        n = cols.shape[1]
        outs = {s: np.empty(n, dtype=np.float64) for s in sets}
        rows = None if self._walk else np.ascontiguousarray(cols.T)
        step = 16 * _CHUNK
        acc_dtype = self.kind.accumulate_dtype
        for a in range(0, n, step):
            b = min(n, a + step)
            leaves = [
                self._leaves(t, cols[:, a:b], None if rows is None else rows[a:b])
                for t in range(self.n_trees)
            ]
            part = np.empty(b - a, dtype=acc_dtype)
            for s in sets:
                acc = np.zeros(b - a, dtype=acc_dtype)
                if not self.kind.mean:
                    acc[:] = self._base_acc
                for leaf in leaves:
                    np.take(self._node_values[s], leaf, out=part, mode="clip")
                    acc += part
                out = outs[s][a:b]
                out[:] = acc
                if self.kind.mean:
                    out /= self.n_trees
        return outs

    def _buffers(self, m):
        nt = self._table_trees.size
        acc_dtype = self.kind.accumulate_dtype
        buf = {"per_tree": np.empty((self.n_trees + self._first, m), dtype=acc_dtype)}
        buf["acc"] = np.empty(m, dtype=acc_dtype)
        if nt:
            dtype = self._index_tables[0].dtype if self._index_tables else np.intp
            buf["cell"] = np.empty((m, nt), dtype=dtype)
            buf["part"] = np.empty((m, nt), dtype=dtype)
            buf["cell_t"] = np.empty((nt, m), dtype=dtype)
            if self._apply_trees.size:
                buf["table"] = np.empty((nt, m), dtype=acc_dtype)
        return buf

    def _cells(self, cols, buf):
        """Table cell of every tabulated tree for a chunk, into ``buf["cell_t"]`` (``(n_tabulated, m)``)."""
        cell_t = buf["cell_t"]
        if not self._used:
            cell_t[...] = self._offsets[:, None]
            return
        cell, part = buf["cell"], buf["part"]
        for j, (f, bounds, table) in enumerate(zip(self._used, self._bounds, self._index_tables)):
            k = np.searchsorted(bounds, cols[f], side="left")
            # mode="clip" only to skip numpy's buffered bounds check: k ≤ len(bounds) = rows - 1 always
            np.take(table, k, axis=0, out=cell if j == 0 else part, mode="clip")
            if j:
                cell += part
        cell_t[...] = cell.T

    def tree_sums(self, X, weights, groups=None, n_groups=1, value_set="value") -> np.ndarray:
        """Weighted sums of every tree's own prediction over pixels, per group.

        Parameters
        ----------
        X : array_like, shape ``(n_factors, n_pixels)``
            Finite factor values (rows with a missing value must be left out by the caller).
        weights : array_like, shape ``(n_pixels,)``
            E.g. the pixel area in hm², so that the sums are storages in t.
        groups : array_like of int, shape ``(n_pixels,)``, optional
            Group of each pixel in ``0 … n_groups − 1`` (default: all in group 0).
        n_groups : int

        Returns
        -------
        numpy.ndarray of float64, shape ``(n_groups, n_trees)``
            ``Σ_i weight_i · tree_t(x_i)`` over the pixels of each group; for a forest the mean over the
            trees of these sums is the sum of the forest's predictions (up to rounding).

        Notes
        -----
        Computed chunk by chunk (memory ``n_trees × 4096`` values), for the tree-by-tree totals behind
        the confidence interval of storage totals (:mod:`core.carbon.storage`).
        """
        X = np.asarray(X)
        if X.ndim != 2 or X.shape[0] != self.n_features:
            raise ValueError(f"X must have shape (n_factors={self.n_features}, n_pixels); got {X.shape}")
        cols = np.ascontiguousarray(X, dtype=self.input_dtype)
        if not np.isfinite(cols).all():
            raise ValueError("X must be finite (leave pixels with a missing factor out)")
        n = cols.shape[1]
        w = np.asarray(weights, dtype=np.float64).ravel()
        g = np.zeros(n, dtype=np.intp) if groups is None else np.asarray(groups).astype(np.intp).ravel()
        if w.size != n or g.size != n:
            raise ValueError(f"weights and groups must have one value per pixel ({n})")
        n_groups = int(n_groups)
        if n and (g.min() < 0 or g.max() >= n_groups):
            raise ValueError(f"groups must be in 0..{n_groups - 1}")
        out = np.zeros((n_groups, self.n_trees))
        rows = np.ascontiguousarray(cols.T) if self._apply_trees.size and not self._walk else None
        values = self._node_values[value_set].astype(np.float64, copy=False)
        tab = self._tab_values.get(value_set)
        for a in range(0, n, _CHUNK):
            b = min(n, a + _CHUNK)
            m = b - a
            buf = self._buffers(m)
            per = np.empty((self.n_trees, m))
            if self._table_trees.size:
                self._cells(cols[:, a:b], buf)
                per[self._table_trees] = tab[buf["cell_t"]]
            for t in self._apply_trees:
                per[t] = values[self._leaves(t, cols[:, a:b], None if rows is None else rows[a:b])]
            gw = np.zeros((m, n_groups))
            gw[np.arange(m), g[a:b]] = w[a:b]
            out += (per @ gw).T
        return out


def _sklearn_tree_module():
    try:
        from sklearn.tree import _tree
    except ImportError:
        return None
    return _tree


def _sum_rows_in_order(values, out):
    """``out = ((values[0] + values[1]) + values[2]) + …`` for a C-contiguous ``(T, m)`` array.

    numpy reduces axis 0 of a C-contiguous array row after row (the inner loop runs along the
    contiguous axis), which is this order, in one call; a single column would be reduced pairwise, so
    narrow blocks are summed row by row explicitly. The tests compare with scikit-learn and XGBoost bit
    for bit.
    """
    if values.shape[1] >= 2 and values.flags.c_contiguous:
        np.add.reduce(values, axis=0, out=out)
    else:
        out[:] = values[0]
        for t in range(1, values.shape[0]):
            out += values[t]


def predictor_from_model(
    model, factors=None, table_cells=TABLE_CELLS_PER_TREE, value_sets=None
) -> ForestPredictor:
    """A :class:`ForestPredictor` straight from a fitted scikit-learn regression forest (no file)."""
    arrays = _forest_arrays(model)
    n_features = int(model.n_features_in_)
    factors = list(factors) if factors is not None else [f"x{i}" for i in range(n_features)]
    return predictor_from_arrays(arrays, factors, "random_forest", 0.0, table_cells, value_sets)


def predictor_from_arrays(
    arrays, factors, kind="random_forest", base=0.0, table_cells=TABLE_CELLS_PER_TREE, value_sets=None
) -> ForestPredictor:
    """A :class:`ForestPredictor` from node arrays (:func:`pack_trees`), validated as a model file's."""
    meta = {"n_features": len(factors), "n_trees": int(arrays["tree_node_count"].size)}
    try:
        _check_arrays(arrays, meta)
        _check_values(
            {"value": arrays["value"], "ensemble_base": np.asarray([base], dtype=float)}, model_kind(kind)
        )
        tree = _check_trees(arrays, meta)
    except _ModelFileError as exc:
        raise ValueError(f"model: {exc}") from None
    return ForestPredictor(
        arrays, len(factors), factors, tree, table_cells, kind=kind, base=base, value_sets=value_sets
    )


def _valid_columns(predictor, X):
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[0] != predictor.n_features:
        raise ValueError(f"X must have shape (n_factors={predictor.n_features}, n_pixels); got {X.shape}")
    X = X.astype(predictor.input_dtype, copy=False)
    valid = np.isfinite(X).all(axis=0)
    cols = np.ascontiguousarray(X if valid.all() else X[:, valid]) if valid.any() else None
    return cols, valid


def predict_block(predictor: ForestPredictor, X) -> np.ndarray:
    """Predict a block of pixels.

    Parameters
    ----------
    predictor : ForestPredictor
    X : array_like, shape ``(n_factors, n_pixels)``
        Factor values in the model's factor order (see :func:`match_factors`); cast to the predictor's
        :attr:`~ForestPredictor.input_dtype` (float32 for a Random Forest and XGBoost, float64 for
        histogram gradient boosting), as the library does before predicting. NaN marks a missing value.

    Returns
    -------
    numpy.ndarray of float64, shape ``(n_pixels,)``
        The ensemble's prediction; NaN where any factor is missing.
    """
    return predict_block_sets(predictor, X, ("value",))["value"]


def predict_block_sets(predictor: ForestPredictor, X, sets) -> dict:
    """Predict a block of pixels with several value sets of the same trees (one traversal).

    Parameters
    ----------
    predictor : ForestPredictor
    X : array_like, shape ``(n_factors, n_pixels)``
        As in :func:`predict_block`.
    sets : sequence of str
        Names among :attr:`ForestPredictor.value_sets` (``"value"`` is the ensemble's own prediction).

    Returns
    -------
    dict of str to numpy.ndarray of float64, shape ``(n_pixels,)``
        NaN where any factor is missing.
    """
    sets = tuple(sets)
    unknown = [s for s in sets if s not in predictor.value_sets]
    if unknown:
        raise ValueError(
            f"unknown value set(s) {', '.join(unknown)}; the predictor has {', '.join(predictor.value_sets)}"
        )
    cols, valid = _valid_columns(predictor, X)
    outs = {s: np.full(valid.size, np.nan) for s in sets}
    if cols is None:
        return outs
    got = predictor._predict_columns(cols, sets)
    for s in sets:
        outs[s][valid] = got[s]
    return outs

"""The carbon-density model beyond the paper: one API for training, comparing, saving and applying it.

What an algorithm calls (one core call each):

* training — :func:`train_model`: Random Forest, histogram gradient boosting or XGBoost (or the best of
  several by cross-validated RMSE on the same folds), a random hold-out as in the paper, random and
  spatial cross-validation (blocks or clusters) with Moran's I of the out-of-fold residuals,
  permutation importance, a calibrated prediction interval (:mod:`core.carbon.uncertainty`), the area of
  applicability (:mod:`core.carbon.applicability`) and, for boosting, bootstrap replicates for the
  confidence interval of storage totals; then :func:`save_model`.
* prediction — :func:`load_model` gives a :class:`CarbonModel`; ``predict_block`` returns the carbon
  density of a block of pixels and, on request, the interval bounds, the dissimilarity index and the
  area-of-applicability mask.
* storage with confidence intervals — :class:`StorageAccumulator` adds each window's densities and
  factors to the point totals (:class:`core.carbon.storage.ZoneTotals`) and to the replicates' totals,
  then gives the totals, mean densities and trends with their intervals.

Replicates (the "bootstrap over plots" behind the storage intervals): a Random Forest's trees are each
grown on a bootstrap sample of the training points (with every factor tried at every split, they differ
by nothing else), so each tree is a model refitted on resampled plots and the spread of the per-tree
totals is the bootstrap spread of a total; it costs no model fit and is accumulated in the prediction
pass. In a simulation (400 noisy plots, 100 trees of minimum leaf 20, 20 000 pixels, 12 independent plot
samples) the standard deviation of the per-tree regional totals was 0.282 against 0.288 for the forest
totals over the independent samples. Gradient boosting has no such independent members: its
``bootstrap_replicates`` models are refitted on bootstrap samples (seeded) and stored in the model file,
and predicting them multiplies the cost of the storage pass by their number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from ..common.errors import Cancelled
from . import applicability as aoa_mod
from . import boosting, forest, storage, uncertainty, validation

__all__ = [
    "KIND_DEFAULTS",
    "KINDS",
    "CarbonModel",
    "StorageAccumulator",
    "TrainReport",
    "TrainedModel",
    "load_model",
    "save_model",
    "train_model",
]

KINDS = tuple(forest.MODEL_KINDS)
KIND_DEFAULTS = {
    "random_forest": {"n_trees": 100, "min_samples_leaf": 20, "max_depth": 10, "learning_rate": None},
    "hist_gradient_boosting": {
        "n_trees": 100,
        "min_samples_leaf": 20,
        "max_depth": None,
        "learning_rate": 0.1,
    },
    "xgboost": {"n_trees": 100, "min_samples_leaf": 20, "max_depth": 6, "learning_rate": 0.1},
}
"""The defaults of each kind: the paper's forest, scikit-learn's and XGBoost's own depth and rate."""


# -------------------------------------------------------------------------------------------- fitting
def _fit(kind, X, y, settings, quantile=None):
    """Fit one model of ``kind``; returns (Ensemble arrays, base, library model)."""
    s = settings
    if kind == "random_forest":
        from sklearn.ensemble import RandomForestRegressor

        model = RandomForestRegressor(
            n_estimators=s["n_trees"],
            min_samples_leaf=s["min_samples_leaf"],
            max_depth=s["max_depth"],
            random_state=s["seed"],
            n_jobs=s["n_jobs"],
        ).fit(X, y)
        model.set_params(n_jobs=1)
        return forest._forest_arrays(model), 0.0, model
    if kind == "hist_gradient_boosting":
        model = boosting.fit_hist_gradient_boosting(
            X,
            y,
            s["n_trees"],
            s["min_samples_leaf"],
            s["max_depth"],
            s["learning_rate"],
            s["seed"],
            quantile,
            n_jobs=s["n_jobs"],
        )
        arrays, base = boosting.hist_gradient_boosting_trees(model)
        return arrays, base, model
    booster = boosting.fit_xgboost(
        X, y, s["n_trees"], s["min_samples_leaf"], s["max_depth"], s["learning_rate"], s["seed"], quantile,
        s["n_jobs"],
    )  # fmt: skip
    arrays, base = boosting.xgboost_trees(booster, X.shape[1])
    return arrays, base, booster


def _predictor(kind, arrays, base, names):
    return forest.predictor_from_arrays(arrays, names, kind, base)


def _fit_predict_fn(kind, settings, names, quantiles):
    """For :func:`core.carbon.validation.cross_validate`: predictions and base interval of a fold."""

    def fit_predict(X_train, y_train, X_test):
        arrays, base, _ = _fit(kind, X_train, y_train, settings)
        p = _predictor(kind, arrays, base, names)
        out = {"predicted": p.predict(X_test)}
        if quantiles is not None:
            lo, hi = _base_quantiles(kind, p, X_train, y_train, X_test, settings, names, quantiles)
            out["lower"], out["upper"] = lo, hi
        return out

    return fit_predict


def _base_quantiles(kind, predictor, X_train, y_train, X_test, settings, names, quantiles):
    q_lo, q_hi = quantiles
    if kind == "random_forest":
        predictor.add_value_sets(
            {
                f"q{k}": v
                for k, v in zip(
                    ("lo", "hi"),
                    uncertainty.leaf_quantile_values(predictor, X_train, y_train, quantiles).values(),
                )
            }
        )
        got = forest.predict_block_sets(predictor, X_test.T, ("qlo", "qhi"))
        return got["qlo"], got["qhi"]
    bounds = []
    for q in (q_lo, q_hi):
        arrays, base, _ = _fit(kind, X_train, y_train, settings, quantile=q)
        bounds.append(_predictor(kind, arrays, base, names).predict(X_test))
    return bounds[0], bounds[1]


def _permutation_importance(predictor, X, y, repeats, seed):
    """Mean and sd over ``repeats`` shuffles of the drop in R² when one factor is shuffled."""
    rng = np.random.default_rng(seed)
    base = forest.regression_metrics(y, predictor.predict(X))["r2"]
    drops = np.empty((X.shape[1], repeats))
    for f in range(X.shape[1]):
        for r in range(repeats):
            Xp = X.copy()
            Xp[:, f] = Xp[rng.permutation(X.shape[0]), f]
            drops[f, r] = base - forest.regression_metrics(y, predictor.predict(Xp))["r2"]
    return drops.mean(axis=1), drops.std(axis=1)


# -------------------------------------------------------------------------------------------- training
@dataclass
class TrainReport:
    """What :func:`train_model` measured (every entry JSON-serialisable through :meth:`to_meta`).

    Attributes
    ----------
    kind : str, the model kind fitted
    settings : dict, the settings used
    metrics : dict, ``train`` and ``validation`` (random hold-out) :func:`regression_metrics`
    cv : dict, by scheme (the chosen one and ``random`` for comparison): pooled, mean, sd, folds
    comparison : list of dict, one per kind compared: kind, CV r2, mae, rmse (pooled), chosen
    residual_moran : dict or None, Moran's I of the out-of-fold residuals of the chosen scheme
    importance : dict, factor, permutation_mean, permutation_sd, impurity (Random Forest)
    interval : dict or None, level, quantiles, correction, cv_coverage, validation_coverage
    applicability : dict or None
    observed, predicted : dict of numpy.ndarray by set (train, validation, cv)
    train_index, validation_index : numpy.ndarray
    folds : numpy.ndarray, the fold of each training point
    warnings : list of str
    """

    kind: str
    settings: dict
    metrics: dict
    cv: dict
    comparison: list
    residual_moran: dict | None
    importance: dict
    interval: dict | None
    applicability: dict | None
    observed: dict
    predicted: dict
    train_index: np.ndarray
    validation_index: np.ndarray
    folds: np.ndarray
    warnings: list = field(default_factory=list)

    def to_meta(self) -> dict:
        """The summary stored in the model file's metadata."""
        return forest._jsonable(
            {
                "metrics": self.metrics,
                "cv": {
                    k: {kk: v[kk] for kk in ("scheme", "folds", "pooled", "mean", "sd")}
                    for k, v in self.cv.items()
                },
                "comparison": self.comparison,
                "residual_moran": self.residual_moran,
                "params": self.settings,
                "importance": {
                    "permutation_mean": dict(
                        zip(self.importance["factor"], self.importance["permutation_mean"])
                    ),
                    "impurity": dict(zip(self.importance["factor"], self.importance["impurity"])),
                },
            }
        )


@dataclass
class TrainedModel:
    """A fitted model ready for :func:`save_model` (and for :class:`CarbonModel` in memory)."""

    kind: str
    factors: list
    ensembles: list  # of forest.Ensemble
    training: dict
    interval: dict | None
    applicability: dict | None

    def carbon_model(self) -> CarbonModel:
        """The :class:`CarbonModel` of this fit, without a file."""
        predictors = [_predictor(self.kind, e.arrays, e.base, self.factors) for e in self.ensembles]
        return CarbonModel(self.kind, self.factors, [e.role for e in self.ensembles], predictors,
                           self.training, self.interval, self.applicability, {})  # fmt: skip


def _settings(kind, n_trees=None, min_samples_leaf=None, max_depth="default", learning_rate=None, seed=42,
              n_jobs=None):  # fmt: skip
    d = KIND_DEFAULTS[kind]
    s = {
        "n_trees": int(d["n_trees"] if n_trees is None else n_trees),
        "min_samples_leaf": int(d["min_samples_leaf"] if min_samples_leaf is None else min_samples_leaf),
        "max_depth": d["max_depth"]
        if max_depth == "default"
        else None
        if max_depth is None
        else int(max_depth),
        "learning_rate": None
        if kind == "random_forest"
        else float(d["learning_rate"] if learning_rate is None else learning_rate),  # fmt: skip
        "seed": int(seed),
        "n_jobs": n_jobs,
    }
    if s["n_trees"] < 1 or s["min_samples_leaf"] < 1:
        raise ValueError("n_trees and min_samples_leaf must be at least 1")
    if s["max_depth"] is not None and s["max_depth"] < 1:
        raise ValueError(f"max_depth must be at least 1 (or None); got {s['max_depth']}")
    if s["learning_rate"] is not None and not 0.0 < s["learning_rate"] <= 1.0:
        raise ValueError(f"learning_rate must be in (0, 1]; got {s['learning_rate']}")
    return s


def train_model(
    X,
    y,
    factor_names: Sequence[str],
    xy=None,
    *,
    kind: str = "random_forest",
    compare_kinds: Sequence[str] = ("random_forest", "hist_gradient_boosting"),
    n_trees: int | None = None,
    min_samples_leaf: int | None = None,
    max_depth: int | None | str = "default",
    learning_rate: float | None = None,
    validation_fraction: float = 0.10,
    seed: int = 42,
    cv_scheme: str = "blocks",
    cv_folds: int = 5,
    block_size: float | None = None,
    k_neighbours: int = 8,
    interval_level: float | None = 0.9,
    applicability: bool = True,
    bootstrap_replicates: int = 30,
    permutation_repeats: int = 10,
    n_jobs: int | None = None,
    is_cancelled: Callable[[], bool] | None = None,
):
    """Fit the carbon-density model with its validation, interval and area of applicability.

    Parameters
    ----------
    X : array_like, shape ``(n_points, n_factors)``
        Factor values at the points (finite).
    y : array_like, shape ``(n_points,)``
        Carbon density (t C/hm²).
    factor_names : sequence of str
    xy : array_like, shape ``(n_points, 2)``, optional
        Point coordinates in the factor rasters' (projected) CRS; needed for spatial folds and Moran's I.
    kind : str, default "random_forest"
        ``"random_forest"``, ``"hist_gradient_boosting"``, ``"xgboost"``, or ``"best"``: each of
        ``compare_kinds`` is cross-validated on the same folds and the lowest pooled RMSE is fitted.
    compare_kinds : sequence of str
        The kinds ``"best"`` compares (XGBoost must be installed when listed).
    n_trees, min_samples_leaf, max_depth, learning_rate : optional
        Settings; None (``"default"`` for ``max_depth``) takes :data:`KIND_DEFAULTS` of the kind (the
        paper's forest: 100 trees, minimum leaf 20, depth 10); ``max_depth=None`` is unlimited depth.
    validation_fraction : float in [0, 0.9), default 0.10
        Random hold-out, drawn exactly as :func:`core.carbon.forest.fit_random_forest` draws it.
    seed : int
        Seeds the hold-out, the folds, the models, the permutations and the replicates.
    cv_scheme : {"blocks", "clusters", "random"}, default "blocks"
        Folds of the cross-validation on the training points (:mod:`core.carbon.validation`); random
        k-fold is always computed too, for comparison.
    cv_folds : int, default 5
    block_size : float, optional
        Side of the spatial blocks (map units); needed for ``"blocks"``.
    k_neighbours : int, default 8
        Of Moran's I of the residuals.
    interval_level : float in (0, 1) or None, default 0.9
        Level of the per-pixel prediction interval; None: no interval.
    applicability : bool, default True
        Learn the area of applicability.
    bootstrap_replicates : int, default 30
        Gradient boosting only: models refitted on bootstrap samples of the training points, for the
        storage confidence intervals (0: none). A Random Forest uses its trees.
    permutation_repeats : int, default 10
    n_jobs : int, optional
        Threads for fitting (results do not depend on it).
    is_cancelled : callable, optional
        Checked between model fits (:class:`core.common.errors.Cancelled`).

    Returns
    -------
    TrainedModel, TrainReport

    Raises
    ------
    ValueError
        Bad data or settings, naming the setting: an unknown kind or scheme, too few points for the
        folds, a block size larger than the region, a level outside (0, 1).
    core.carbon.boosting.MissingPackageError
        XGBoost asked for but not installed.
    """
    X, y, names = forest._check_xy(X, y, factor_names)
    kinds, quantiles, xy, settings = _check_train_args(
        X.shape[0], kind, compare_kinds, validation_fraction, interval_level, cv_scheme, xy,
        bootstrap_replicates, permutation_repeats,
        {"n_trees": n_trees, "min_samples_leaf": min_samples_leaf, "max_depth": max_depth,
         "learning_rate": learning_rate, "seed": seed, "n_jobs": n_jobs},
    )  # fmt: skip

    def check():
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()

    train_idx, val_idx = _holdout(X.shape[0], validation_fraction, seed)
    Xt, yt = X[train_idx], y[train_idx]
    xyt = None if xy is None else xy[train_idx]
    folds = validation.make_folds(cv_scheme, train_idx.size, cv_folds, seed, xyt, block_size)
    warnings = []
    chosen, cvs, comparison = _compare_kinds(kinds, settings, names, quantiles, Xt, yt, folds, cv_scheme,
                                             check, is_cancelled)  # fmt: skip
    s, cv_main = settings[chosen], cvs[chosen]
    cv = {cv_scheme: _cv_summary(cv_main)}
    if cv_scheme != "random":
        check()
        random_folds = validation.random_folds(train_idx.size, cv_folds, seed)
        fit_predict = _fit_predict_fn(chosen, s, names, None)
        cv["random"] = _cv_summary(validation.cross_validate(fit_predict, Xt, yt, random_folds, "random",
                                                             is_cancelled))  # fmt: skip
    moran = _residual_moran(xyt, cv_main, k_neighbours, seed, warnings)

    check()
    fitted = _final_fit(chosen, s, names, X, y, train_idx, val_idx, permutation_repeats, seed, check)
    predictor, ensembles, metrics, observed, predicted, importance = fitted
    observed["cv"], predicted["cv"] = yt, cv_main.predicted
    interval = None
    if quantiles is not None:
        interval = _interval(chosen, cv_main, yt, y, interval_level, quantiles, cv_scheme)
        if chosen != "random_forest":
            ensembles += _quantile_ensembles(chosen, s, Xt, yt, quantiles, check)
    if chosen != "random_forest" and int(bootstrap_replicates) >= 2:
        ensembles += _replicate_ensembles(chosen, s, Xt, yt, int(bootstrap_replicates), seed, check)
    app = None
    if applicability:
        fitted_app = aoa_mod.fit_applicability(Xt, importance["permutation_mean"], folds, names)
        warnings.extend(fitted_app.warnings)
        app = fitted_app.to_meta()
    training = {"train_factors": Xt, "train_target": yt, "train_fold": folds}
    trained = TrainedModel(chosen, names, ensembles, training, interval, app)
    if interval is not None and val_idx.size:
        got = trained.carbon_model().predict_block(X[val_idx].T, interval=True)
        interval["validation_coverage"] = uncertainty.coverage(y[val_idx], got["lower"], got["upper"])
    report = TrainReport(
        chosen, {**s, "kind": chosen, "validation_fraction": float(validation_fraction), "cv_scheme": cv_scheme,
                 "cv_folds": int(cv_folds), "block_size": block_size, "k_neighbours": int(k_neighbours),
                 "interval_level": interval_level, "bootstrap_replicates": int(bootstrap_replicates),
                 "permutation_repeats": int(permutation_repeats)},
        metrics, cv, comparison, moran, importance, interval, app, observed, predicted, train_idx, val_idx,
        folds, warnings,
    )  # fmt: skip
    return trained, report


def _check_train_args(n, kind, compare_kinds, validation_fraction, interval_level, cv_scheme, xy,
                      bootstrap_replicates, permutation_repeats, given):  # fmt: skip
    """Validate the settings of :func:`train_model`; the kinds to fit, the quantiles, xy and settings."""
    kinds = list(compare_kinds) if kind == "best" else [kind]
    if not kinds:
        raise ValueError("compare_kinds is empty: name at least one model kind to compare")
    for k in kinds:
        if k not in KINDS:
            raise ValueError(f"model kind {k!r} is unknown; choose one of {', '.join(KINDS)} (or 'best')")
        if k == "xgboost":
            boosting.require_xgboost()
    if not 0.0 <= float(validation_fraction) < 0.9:
        raise ValueError(f"validation_fraction must be in [0, 0.9); got {validation_fraction}")
    quantiles = None if interval_level is None else uncertainty.interval_quantiles(interval_level)
    if cv_scheme not in validation.FOLD_SCHEMES:
        raise ValueError(f"cv_scheme must be one of {', '.join(validation.FOLD_SCHEMES)}; got {cv_scheme!r}")
    if xy is not None:
        xy = np.asarray(xy, dtype=np.float64)
        if xy.shape != (n, 2) or not np.isfinite(xy).all():
            raise ValueError(f"xy must be finite coordinates, shape ({n}, 2); got {xy.shape}")
    elif cv_scheme != "random":
        raise ValueError(f"cv_scheme '{cv_scheme}' needs the point coordinates (xy)")
    if int(bootstrap_replicates) < 0 or int(bootstrap_replicates) == 1:
        raise ValueError(f"bootstrap_replicates must be 0 or at least 2; got {bootstrap_replicates}")
    if int(permutation_repeats) < 1:
        raise ValueError(f"permutation_repeats must be at least 1; got {permutation_repeats}")
    return kinds, quantiles, xy, {k: _settings(k, **given) for k in kinds}


def _holdout(n, validation_fraction, seed):
    """The random hold-out, drawn exactly as :func:`core.carbon.forest.fit_random_forest` draws it."""
    n_val = int(round(float(validation_fraction) * n))
    if validation_fraction > 0 and n_val < 2:
        raise ValueError(
            f"validation_fraction {validation_fraction:g} of {n} points leaves {n_val} for validation; at "
            "least 2 are needed (more points, a larger fraction, or 0 for no hold-out)"
        )
    order = np.random.default_rng(seed).permutation(n)
    return np.sort(order[n_val:]), np.sort(order[:n_val])


def _compare_kinds(kinds, settings, names, quantiles, Xt, yt, folds, cv_scheme, check, is_cancelled):
    """Cross-validate every kind on the same folds; the lowest pooled RMSE is chosen (ties: first listed)."""
    cvs, comparison = {}, []
    for k in kinds:
        check()
        cvs[k] = validation.cross_validate(
            _fit_predict_fn(k, settings[k], names, quantiles), Xt, yt, folds, cv_scheme, is_cancelled
        )
        comparison.append({"kind": k, **{m: cvs[k].pooled[m] for m in ("r2", "mae", "rmse")}})
    chosen = min(kinds, key=lambda k: (cvs[k].pooled["rmse"], kinds.index(k)))
    for row in comparison:
        row["chosen"] = row["kind"] == chosen
    return chosen, cvs, comparison


def _residual_moran(xyt, cv_main, k_neighbours, seed, warnings):
    """Moran's I of the out-of-fold residuals (None without coordinates); a warning when significant."""
    if xyt is None or xyt.shape[0] < 4:
        return None
    moran = validation.residual_moran(xyt, cv_main.residuals, k_neighbours, 999, seed)
    if moran["p"] < 0.05 and moran["I"] > 0:
        warnings.append(
            f"the out-of-fold residuals are spatially autocorrelated (Moran's I {moran['I']:.3f}, p "
            f"{moran['p']:.3g}): part of the spatial pattern of carbon density is not explained by the "
            "factors"
        )
    return moran


def _final_fit(chosen, s, names, X, y, train_idx, val_idx, permutation_repeats, seed, check):
    """The final model on the training points: its metrics per set and the factor importance."""
    arrays, base, library_model = _fit(chosen, X[train_idx], y[train_idx], s)
    predictor = _predictor(chosen, arrays, base, names)
    sets = {"train": train_idx} | ({"validation": val_idx} if val_idx.size else {})
    observed = {k: y[i] for k, i in sets.items()}
    predicted = {k: predictor.predict(X[i]) for k, i in sets.items()}
    metrics = {k: forest.regression_metrics(observed[k], predicted[k]) for k in sets}
    eval_set = "validation" if val_idx.size else "train"
    check()
    perm_mean, perm_sd = _permutation_importance(predictor, X[sets[eval_set]], y[sets[eval_set]],
                                                 int(permutation_repeats), seed)  # fmt: skip
    impurity = (
        np.asarray(library_model.feature_importances_, dtype=float)
        if chosen == "random_forest"
        else np.full(len(names), np.nan)
    )
    importance = {"factor": names, "permutation_mean": perm_mean, "permutation_sd": perm_sd,
                  "impurity": impurity, "permutation_set": eval_set,
                  "permutation_repeats": int(permutation_repeats)}  # fmt: skip
    ensembles = [forest.Ensemble("mean", arrays, base)]
    return predictor, ensembles, metrics, observed, predicted, importance


def _interval(chosen, cv_main, yt, y, interval_level, quantiles, cv_scheme):
    """The interval parameters, calibrated on the out-of-fold bounds (conformalized quantile regression)."""
    Q = uncertainty.conformal_correction(yt, cv_main.extra["lower"], cv_main.extra["upper"], interval_level)
    lo, hi = uncertainty.apply_interval(cv_main.extra["lower"], cv_main.extra["upper"], Q, _floor(y))
    return {
        "level": float(interval_level),
        "quantiles": list(quantiles),
        "correction": Q,
        "method": (
            "quantile regression forest (mean of leaf quantiles)"
            if chosen == "random_forest"
            else "quantile-loss models"
        )
        + ", calibrated on the out-of-fold predictions of the cross-validation (conformalized quantile "
        "regression)",
        "cv_scheme": cv_scheme,
        "cv_coverage": uncertainty.coverage(yt, lo, hi),
        "floor": _floor(y),
    }


def _quantile_ensembles(chosen, s, Xt, yt, quantiles, check):
    """Gradient boosting: the lower and upper quantile-loss models."""
    out = []
    for role, q in zip(("lower", "upper"), quantiles):
        check()
        a, b, _ = _fit(chosen, Xt, yt, s, quantile=q)
        out.append(forest.Ensemble(role, a, b))
    return out


def _replicate_ensembles(chosen, s, Xt, yt, n_replicates, seed, check):
    """Gradient boosting: models refitted on bootstrap samples of the training points (seeded)."""
    rng = np.random.default_rng([int(seed), 15])
    out = []
    for r in range(n_replicates):
        check()
        pick = rng.integers(0, yt.size, yt.size)
        a, b, _ = _fit(chosen, Xt[pick], yt[pick], {**s, "seed": int(seed) + 1 + r})
        out.append(forest.Ensemble("replicate", a, b))
    return out


def _floor(y):
    return 0.0 if np.min(y) >= 0 else None


def _cv_summary(cv):
    return {"scheme": cv.scheme, "folds": int(cv.folds.max()) + 1, "pooled": cv.pooled, "mean": cv.mean,
            "sd": cv.sd, "per_fold": cv.per_fold}  # fmt: skip


# ------------------------------------------------------------------------------------------ the file
def save_model(path, trained: TrainedModel, meta: dict, report: TrainReport | None = None) -> dict:
    """Write a :class:`TrainedModel` to a model file (:func:`core.carbon.forest.write_model_file`).

    ``meta`` must hold nothing the model defines itself; it may hold ``units``, ``crs_wkt``, ``target``
    and any JSON-serialisable entries. The report's summary (:meth:`TrainReport.to_meta`), the interval
    and the area of applicability are added.
    """
    full = dict(meta)
    full["factors"] = trained.factors
    if report is not None:
        full.update(report.to_meta())
    full["interval"] = trained.interval
    full["applicability"] = trained.applicability
    if trained.kind == "xgboost":
        full["xgboost_version"] = boosting.require_xgboost().__version__
    return forest.write_model_file(path, trained.kind, trained.ensembles, full, trained.training)


def load_model(path) -> CarbonModel:
    """Open, validate and prepare a model file of any kind and version.

    Raises
    ------
    ValueError
        ``"model file <path>: …"``: see :func:`core.carbon.forest.read_model_file`; interval or
        area-of-applicability parameters that are missing, out of range or without the training points
        they need.
    """
    mf = forest.read_model_file(path)
    try:
        predictors = [mf.predictor(i) for i in range(len(mf.roles))]
        return CarbonModel(mf.kind.name, mf.factors, mf.roles, predictors, mf.training,
                           mf.meta.get("interval"), mf.meta.get("applicability"), mf.meta)  # fmt: skip
    except ValueError as exc:
        raise ValueError(f"model file {path}: {exc}") from None


class CarbonModel:
    """A loaded carbon-density model: point prediction, interval, area of applicability, replicates.

    Attributes
    ----------
    kind : str
    factors : list of str
    meta : dict
    predictor : core.carbon.forest.ForestPredictor
        The point prediction.
    has_interval, has_applicability : bool
    interval : dict or None
    applicability : core.carbon.applicability.Applicability or None
    n_replicates : int
        Replicates for the storage confidence intervals (a forest's trees, or the stored boosting
        replicates; 0 when there are none).
    """

    def __init__(self, kind, factors, roles, predictors, training, interval, applicability, meta):
        self.kind = kind
        self.factors = list(factors)
        self.meta = meta
        self.predictor = predictors[0]
        self._lower = self._upper = None
        self.interval = None
        if interval is not None:
            self.interval = _check_interval(interval)
            if kind == "random_forest":
                if training is None:
                    raise ValueError("the prediction interval of a Random Forest needs the training points")
                q = self.interval["quantiles"]
                values = uncertainty.leaf_quantile_values(
                    self.predictor, training["train_factors"], training["train_target"], q
                )
                self.predictor.add_value_sets({"lower": values[q[0]], "upper": values[q[1]]})
            else:
                if "lower" not in roles:
                    raise ValueError("interval parameters given but no quantile models stored")
                self._lower = predictors[roles.index("lower")]
                self._upper = predictors[roles.index("upper")]
        self.applicability = None
        if applicability is not None:
            if training is None:
                raise ValueError("the area of applicability needs the training points")
            self.applicability = aoa_mod.applicability_from_meta(applicability, training["train_factors"])
        self.factor_range = None
        if training is not None:
            train = np.asarray(training["train_factors"], dtype=np.float64)
            self.factor_range = (train.min(axis=0), train.max(axis=0))
        self._replicates = [p for p, r in zip(predictors, roles) if r == "replicate"]
        if kind == "random_forest":
            self.n_replicates = self.predictor.n_trees if self.predictor.n_trees >= 2 else 0
        else:
            self.n_replicates = len(self._replicates)

    @property
    def has_interval(self) -> bool:
        return self.interval is not None

    @property
    def has_applicability(self) -> bool:
        return self.applicability is not None

    def predict(self, X) -> np.ndarray:
        """Point prediction of rows ``X`` (``(n, n_factors)``)."""
        return self.predictor.predict(X)

    def predict_block(self, X, interval: bool = False, applicability: bool = False) -> dict:
        """Carbon density of a block of pixels, and on request its interval and area of applicability.

        Parameters
        ----------
        X : array_like, shape ``(n_factors, n_pixels)``
            Factors in the model's order (:func:`core.carbon.forest.match_factors`); NaN = missing.
        interval : bool
            Add ``"lower"`` and ``"upper"``, the bounds of the prediction interval (t C/hm²).
        applicability : bool
            Add ``"di"`` (dissimilarity index) and ``"aoa"`` (1 inside the area of applicability, 0
            outside).

        Returns
        -------
        dict of str to numpy.ndarray of float64, shape ``(n_pixels,)``
            ``"density"`` always; NaN where a factor is missing.

        Raises
        ------
        ValueError
            An interval or applicability asked of a model that has none (naming how to get one).
        """
        if interval and self.interval is None:
            raise ValueError("this model has no prediction interval: retrain it with an interval level")
        if applicability and self.applicability is None:
            raise ValueError(
                "this model has no area of applicability: retrain it with the area of applicability"
            )
        out = {}
        if interval and self.kind == "random_forest":
            got = forest.predict_block_sets(self.predictor, X, ("value", "lower", "upper"))
            out["density"], lo, hi = got["value"], got["lower"], got["upper"]
        else:
            out["density"] = forest.predict_block(self.predictor, X)
            if interval:
                lo, hi = forest.predict_block(self._lower, X), forest.predict_block(self._upper, X)
        if interval:
            out["lower"], out["upper"] = uncertainty.apply_interval(
                lo, hi, self.interval["correction"], self.interval["floor"]
            )
        if applicability:
            out["di"] = self.applicability.di(X)
            out["aoa"] = self.applicability.inside(out["di"])
        return out

    def inside_every_year(self, X_years) -> np.ndarray:
        """Pixels inside the area of applicability in every year (for storage inside / outside it).

        Parameters
        ----------
        X_years : array_like, shape ``(n_years, n_factors, n_pixels)``

        Returns
        -------
        numpy.ndarray of bool, shape ``(n_pixels,)``
            False where the DI exceeds the threshold in any year or a factor is missing.
        """
        if self.applicability is None:
            raise ValueError(
                "this model has no area of applicability: retrain it with the area of applicability"
            )
        X_years = np.asarray(X_years)
        inside = np.ones(X_years.shape[-1], dtype=bool)
        for X in X_years:
            with np.errstate(invalid="ignore"):
                inside &= self.applicability.di(X) <= self.applicability.threshold
        return inside

    def outside_range(self, X) -> np.ndarray:
        """Pixels with at least one factor outside the range of the training points (extrapolation).

        Parameters
        ----------
        X : array_like, shape ``(n_factors, n_pixels)``; NaN (missing) counts as inside

        Returns
        -------
        numpy.ndarray of bool, shape ``(n_pixels,)``; all False when the model file holds no training
        points (a version-1 file)
        """
        X = np.asarray(X, dtype=np.float64)
        if self.factor_range is None:
            return np.zeros(X.shape[-1], dtype=bool)
        lo, hi = self.factor_range
        with np.errstate(invalid="ignore"):
            return np.any((X < lo[:, None]) | (X > hi[:, None]), axis=0)

    def replicate_sums(self, X, weights, groups=None, n_groups: int = 1) -> np.ndarray:
        """``Σ weight · prediction`` of every replicate over the pixels of each group.

        Parameters
        ----------
        X : array_like, shape ``(n_factors, n_pixels)``, finite
        weights : array_like, shape ``(n_pixels,)``, e.g. pixel areas in hm²
        groups : array_like of int in 0 … n_groups − 1, optional
        n_groups : int

        Returns
        -------
        numpy.ndarray, shape ``(n_groups, n_replicates)``
        """
        if self.n_replicates < 2:
            raise ValueError(
                "this model has no bootstrap replicates: retrain it with bootstrap replicates (gradient "
                "boosting) or with at least 2 trees"
            )
        if self.kind == "random_forest":
            return self.predictor.tree_sums(X, weights, groups, n_groups)
        w = np.asarray(weights, dtype=np.float64).ravel()
        g = np.zeros(w.size, dtype=np.intp) if groups is None else np.asarray(groups).astype(np.intp).ravel()
        out = np.empty((int(n_groups), self.n_replicates))
        for r, p in enumerate(self._replicates):
            pred = forest.predict_block(p, X)
            if not np.isfinite(pred).all():
                raise ValueError("X must be finite (leave pixels with a missing factor out)")
            out[:, r] = np.bincount(g, weights=w * pred, minlength=int(n_groups))
        return out


def _check_interval(interval):
    try:
        level = float(interval["level"])
        q = [float(v) for v in interval["quantiles"]]
        correction = float(interval["correction"])
        floor = interval.get("floor")
        floor = None if floor is None else float(floor)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"interval: incomplete parameters ({exc})") from None
    uncertainty.interval_quantiles(level)
    if len(q) != 2 or not 0.0 <= q[0] < q[1] <= 1.0 or not math.isfinite(correction):
        raise ValueError("interval: quantiles or correction out of range")
    return {**interval, "level": level, "quantiles": q, "correction": correction, "floor": floor}


# ----------------------------------------------------------------------------------- storage totals
class StorageAccumulator:
    """Storage totals per zone and year, with the replicates' totals for confidence intervals.

    Feed it window by window with the factors, the predicted densities, the pixel areas and the zones;
    :meth:`results` gives the totals, mean densities and trends with their intervals
    (:func:`core.carbon.storage.confidence_intervals`). With ``split_applicability`` the totals are also
    kept apart for the pixels inside the area of applicability in every year and for the others.

    Parameters
    ----------
    model : CarbonModel or None
        With replicates (``n_replicates ≥ 2``); None: point totals only, without intervals (then
        :meth:`add` needs no factors).
    n_years : int
    split_applicability : bool, default False
        :meth:`add` then needs ``inside`` (from :meth:`CarbonModel.inside_every_year` or from an
        area-of-applicability raster).
    """

    PARTS = ("all", "inside", "outside")

    def __init__(self, model: CarbonModel | None, n_years: int, split_applicability: bool = False):
        if model is not None and model.n_replicates < 2:
            raise ValueError("the model has no bootstrap replicates for storage confidence intervals")
        self.model = model
        self.n_years = int(n_years)
        parts = self.PARTS if split_applicability else ("all",)
        self._parts = {
            p: (
                storage.ZoneTotals(self.n_years),
                None if model is None else storage.ReplicateTotals(self.n_years, model.n_replicates),
            )
            for p in parts
        }

    @property
    def parts(self) -> tuple:
        """The parts kept: ``("all",)`` or ``("all", "inside", "outside")``."""
        return tuple(self._parts)

    @property
    def totals(self) -> storage.ZoneTotals:
        """The point totals of all pixels."""
        return self._parts["all"][0]

    def add(self, X_years, density, area_m2, zones=None, inside=None):
        """Add one window.

        Parameters
        ----------
        X_years : array_like, shape ``(n_years, n_factors, n_pixels)``, or None without a model
            The factors of each year (static factors repeated).
        density : array_like, shape ``(n_years, n_pixels)``
            The model's prediction (as written to the density stack).
        area_m2 : array_like, shape ``(n_pixels,)``
        zones : array_like of int, shape ``(n_pixels,)``, optional
        inside : array_like of bool, shape ``(n_pixels,)``
            Inside the area of applicability in every year (:meth:`CarbonModel.inside_every_year`);
            needed with ``split_applicability``.
        """
        density = np.asarray(density, dtype=np.float64)
        area = np.asarray(area_m2, dtype=np.float64).ravel()
        if self.model is not None:
            X_years = np.asarray(X_years)
            if X_years.ndim != 3 or X_years.shape[0] != self.n_years or X_years.shape[2] != area.size:
                raise ValueError("X_years must be (n_years, n_factors, n_pixels)")
        if density.shape != (self.n_years, area.size):
            raise ValueError("density must be (n_years, n_pixels) with n_pixels = len(area_m2)")
        z = np.zeros(area.size, dtype=np.int64) if zones is None else np.asarray(zones).ravel()
        masks = {"all": None}
        if len(self._parts) > 1:
            if inside is None:
                raise ValueError(
                    "inside (area of applicability in every year) is needed to split the storage"
                )
            inside = np.asarray(inside, dtype=bool).ravel()
            masks.update({"inside": inside, "outside": ~inside})
        for part, mask in masks.items():
            keep = slice(None) if mask is None else mask
            X_part = None if self.model is None else X_years[:, :, keep]
            self._add(part, X_part, density[:, keep], area[keep], z[keep])
        return self

    def _add(self, part, X_years, density, area, z):
        totals, replicates = self._parts[part]
        st = storage.storage_from_density(density, area)
        totals.add(st, area, z)
        if replicates is None:
            return
        complete = np.all(np.isfinite(st), axis=0) & np.isfinite(z.astype(float))
        if not complete.any():
            return
        codes, inverse = np.unique(z[complete].astype(np.int64), return_inverse=True)
        w = area[complete] / storage.M2_PER_HM2
        sums = np.empty((codes.size, self.model.n_replicates, self.n_years))
        for t in range(self.n_years):
            sums[:, :, t] = self.model.replicate_sums(X_years[t][:, complete], w, inverse.ravel(), codes.size)
        replicates.add(codes, sums)

    def results(self, years, level: float = 0.9, part: str = "all") -> dict:
        """Codes, totals (t), areas (hm²), mean densities and :func:`storage.confidence_intervals`.

        ``part``: ``"all"``, or ``"inside"`` / ``"outside"`` the area of applicability. The whole region
        (all zones together) is the first row, with code −1, when there are several zones. Empty when no
        pixel of the part was counted.
        """
        if part not in self._parts:
            raise ValueError(f"part must be one of {', '.join(self._parts)}; got {part!r}")
        zone_totals, replicate_totals = self._parts[part]
        codes = zone_totals.codes_
        if codes.size == 0:
            return {"codes": codes}
        totals, area = zone_totals.storage_t_, zone_totals.area_m2_ / storage.M2_PER_HM2
        pixels = zone_totals.pixels_
        reps = None if replicate_totals is None else replicate_totals.totals_t_
        if codes.size > 1:
            codes = np.concatenate([[-1], codes])
            totals = np.vstack([totals.sum(axis=0, keepdims=True), totals])
            area = np.concatenate([[area.sum()], area])
            pixels = np.concatenate([[pixels.sum()], pixels])
            if reps is not None:
                reps = np.concatenate([reps.sum(axis=0, keepdims=True), reps])
        ci = {} if reps is None else storage.confidence_intervals(years, totals, reps, area, level)
        with np.errstate(invalid="ignore", divide="ignore"):
            density = totals / area[:, None]
        return {"codes": codes, "storage_t": totals, "area_hm2": area, "mean_density": density,
                "pixels": pixels, **ci}  # fmt: skip

"""What a fitted carbon-density model says: the model file's metadata and the model report (docs/method.md, step 4).

The report is composed from a :class:`core.carbon.model.TrainReport`: the random hold-out and the
cross-validation (spatial and random folds) side by side, the comparison of the model kinds, Moran's I of
the out-of-fold residuals, the calibrated prediction interval, the area of applicability and the factor
importance.
"""

from __future__ import annotations

import datetime
import os

import numpy as np

from ..reports.document import Chart, Column, Paragraph, Report, Run, Section, Table, plugin_label

__all__ = ["KIND_LABELS", "forest_report", "metric_rows", "model_metadata"]

KIND_LABELS = {
    "random_forest": "Random Forest",
    "hist_gradient_boosting": "Histogram gradient boosting",
    "xgboost": "XGBoost",
}
SCHEME_LABELS = {"random": "random k-fold", "blocks": "spatial blocks", "clusters": "spatial clusters"}


def metric_rows(fit) -> list[dict]:
    """Accuracy per set of points, the hold-out and every cross-validation side by side.

    ``train`` and ``validation`` (the random hold-out); per cross-validation scheme ``cv_<scheme>`` (the
    out-of-fold predictions of all folds pooled), ``cv_<scheme>_mean`` and ``cv_<scheme>_sd`` (over the
    folds); with several kinds compared, ``compare_<kind>`` (pooled, on the chosen scheme's folds). Each
    row: ``set``, ``r2``, ``mae``, ``rmse``, ``n``.
    """
    rows = [{"set": name, **{k: m[k] for k in ("r2", "mae", "rmse", "n")}} for name, m in fit.metrics.items()]
    n = int(fit.train_index.size)
    for scheme, cv in fit.cv.items():
        rows.append({"set": f"cv_{scheme}", **_rmn(cv["pooled"]), "n": n})
        rows.append({"set": f"cv_{scheme}_mean", **_rmn(cv["mean"]), "n": n})
        rows.append({"set": f"cv_{scheme}_sd", **_rmn(cv["sd"]), "n": n})
    if len(fit.comparison) > 1:
        for row in fit.comparison:
            rows.append({"set": f"compare_{row['kind']}", **_rmn(row), "n": n})
    return rows


def _rmn(m):
    return {k: float(m[k]) for k in ("r2", "mae", "rmse")}


def model_metadata(names, units, crs_wkt, target, layer, n_points, paths) -> dict:
    """The metadata the algorithm adds to the model file (:func:`core.carbon.model.save_model` adds the fit).

    Parameters
    ----------
    names : sequence of str
        Factor names, in the column order of the training data.
    units : dict of str → str
        Unit of each factor.
    crs_wkt : str
        CRS of the factor grid.
    target, layer : str
        Target field and point layer.
    n_points : int
        Points the model was fitted and validated on.
    paths : sequence of str
        Factor raster files (their base names are kept).

    Returns
    -------
    dict
        JSON-serialisable.
    """
    return {
        "units": dict(units),
        "crs_wkt": crs_wkt,
        "target": target,
        "points_layer": layer,
        "n_points": int(n_points),
        "factor_files": [os.path.basename(p) for p in paths],
    }


def forest_report(
    layer, target, names, paths, units, crs_label, fit, model_path, counts, n_total, *, version="", date=None
) -> Report:
    """The model report: summary, accuracy, spatial validation, interval, applicability, importance.

    Parameters
    ----------
    layer, target : str
        Point layer and target field.
    names, paths : sequence of str
        Factor names and raster files.
    units : dict of str → str
        Unit of each factor.
    crs_label : str
        The factor grid's CRS, in words (``EPSG:32648``).
    fit : core.carbon.model.TrainReport
    model_path : str
        The model file written.
    counts : str
        Points left out, in words.
    n_total : int
        Points given.
    version : str, optional
        Plugin version.
    date : str, optional
        ISO date of the run (default now).

    Returns
    -------
    Report
    """
    names = list(names)
    kind = KIND_LABELS.get(fit.kind, fit.kind)
    sections = [
        Section("Summary", _summary(layer, target, names, fit, model_path, counts, n_total)),
        Section("Accuracy: random hold-out and cross-validation", _accuracy(fit, target)),
    ]
    if len(fit.comparison) > 1:
        sections.append(Section("Model kinds compared", _comparison(fit)))
    sections += [
        Section("Spatial structure of the residuals", _moran(fit)),
        Section("Prediction interval", _interval(fit)),
        Section("Area of applicability", _applicability(fit)),
        Section("Observed vs predicted", [_scatter(fit, target)]),
        Section("Factor importance", _importance(fit, names, units)),
        Section("References", [Paragraph(_REFERENCES)]),
    ]
    return Report(
        f"{kind} model of {target}",
        sections,
        {
            "plugin": plugin_label(version),
            "algorithm": "carbonsink:traincarbonmodel (Train carbon density model)",
            "points": layer,
            "target field": target,
            "factor rasters": [f"{n} = {s}" for n, s in zip(names, paths)],
            "CRS of the rasters": crs_label,
            "settings": {k: str(v) for k, v in fit.settings.items()},
            "date": date or datetime.datetime.now().isoformat(timespec="seconds"),
        },
        algorithm="carbonsink:traincarbonmodel",
    )


_REFERENCES = (
    "Breiman, L. (2001) Random forests. Machine Learning 45:5–32. Friedman, J. H. (2001) Greedy function "
    "approximation: a gradient boosting machine. Annals of Statistics 29:1189–1232. Chen, T. & Guestrin, C. "
    "(2016) XGBoost: a scalable tree boosting system. KDD '16:785–794. Roberts, D. R. et al. (2017) "
    "Cross-validation strategies for data with temporal, spatial, hierarchical, or phylogenetic structure. "
    "Ecography 40:913–929. Meinshausen, N. (2006) Quantile regression forests. JMLR 7:983–999. Romano, Y. et "
    "al. (2019) Conformalized quantile regression. NeurIPS 32. Meyer, H. & Pebesma, E. (2021) Predicting "
    "into unknown space? Estimating the area of applicability of spatial prediction models. Methods in "
    "Ecology and Evolution 12:1620–1633. Strobl, C. et al. (2007) BMC Bioinformatics 8:25. Method: "
    "docs/method.md, step 4."
)


def _summary(layer, target, names, fit, model_path, counts, n_total):
    s = fit.settings
    n_used = int(fit.train_index.size + fit.validation_index.size)
    depth = "unlimited" if s.get("max_depth") is None else s["max_depth"]
    rate = "" if s.get("learning_rate") is None else f", learning rate {s['learning_rate']:g}"
    chosen = ""
    if len(fit.comparison) > 1:
        chosen = " (the lowest cross-validated RMSE of the kinds compared)"
    return [
        Paragraph(
            [
                f"{KIND_LABELS.get(fit.kind, fit.kind)}{chosen} regression of ",
                Run(target, "b"),
                " (layer ",
                Run(layer, "b"),
                f") on {len(names)} factor(s): ",
                Run(", ".join(names), "b"),
                ". ",
                Run(f"{n_used:,}", "b"),
                f" of {n_total:,} points used; left out: {counts}.",
            ]
        ),
        Paragraph(
            [
                f"{s['n_trees']} trees, minimum leaf size {s['min_samples_leaf']}, maximum depth {depth}{rate}, "
                f"{s['validation_fraction']:.0%} of the points held out at random for validation, "
                f"{s['cv_folds']}-fold cross-validation by {SCHEME_LABELS.get(s['cv_scheme'], s['cv_scheme'])}"
                + (f" (blocks of {s['block_size']:,.6g} map units)" if s["cv_scheme"] == "blocks" else "")
                + f", seed {s['seed']}. Model file: ",
                Run(str(model_path), "code"),
                ".",
            ]
        ),
    ]


def _accuracy(fit, target):
    rows = metric_rows(fit)
    return [
        Table.from_rows(rows, columns=["set", "r2", "mae", "rmse", "n"], float_format=".3f"),
        Paragraph(
            "R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)², MAE = mean |y − ŷ|, RMSE = √(mean (y − ŷ)²), in the units of "
            f"{target}. train / validation: the final model on its training points and on the random hold-out "
            "(as in the paper). cv_<scheme>: out-of-fold predictions of a k-fold cross-validation on the "
            "training points, pooled over the folds (_mean / _sd: over the folds). Spatial folds (blocks, "
            "clusters) test the model away from its training plots, as a map uses it; when plots are "
            "clustered, the random hold-out and random folds are optimistic."
        ),
        Paragraph(
            "For comparison only, the paper reports train R² 0.87, MAE 5.10, RMSE 7.90 and validation R² "
            "0.74, MAE 7.36, RMSE 12.31 t C/hm² on 621 points in Ningxia."
        ),
    ]


def _comparison(fit):
    rows = [
        {"kind": KIND_LABELS.get(r["kind"], r["kind"]), **_rmn(r), "chosen": "yes" if r["chosen"] else ""}
        for r in fit.comparison
    ]
    scheme = SCHEME_LABELS.get(fit.settings["cv_scheme"], fit.settings["cv_scheme"])
    return [
        Table.from_rows(rows, columns=["kind", "r2", "mae", "rmse", "chosen"], float_format=".3f"),
        Paragraph(
            f"Each kind was cross-validated on the same folds ({scheme}) with its own default depth and "
            "learning rate; the one with the lowest pooled out-of-fold RMSE was fitted on all training points."
        ),
    ]


def _moran(fit):
    m = fit.residual_moran
    if m is None:
        return [Paragraph("Not computed: the points have no coordinates or are too few.")]
    verdict = (
        "spatial structure is left in the errors: neighbouring plots are mis-predicted alike"
        if m["p"] < 0.05 and m["I"] > 0
        else "no significant spatial structure is left in the errors"
    )
    return [
        Table.from_rows(
            [
                {
                    "moran_i": m["I"],
                    "expected": m["EI"],
                    "z": m["z"],
                    "p": m["p"],
                    "p_permutation": m["p_sim"],
                    "k": m["k"],
                    "n": m["n"],
                }
            ],
            float_format=".4g",
        ),
        Paragraph(
            f"Global Moran's I of the out-of-fold residuals of the {fit.settings['cv_scheme']} cross-validation "
            f"at the points (k nearest neighbours, row-standardised weights; p from the normal approximation, "
            f"p_permutation from 999 permutations): {verdict}."
        ),
    ]


def _interval(fit):
    iv = fit.interval
    if iv is None:
        return [Paragraph("No prediction interval (interval level 0).")]
    rows = [{"level": iv["level"], "correction": iv["correction"], "cv_coverage": iv["cv_coverage"],
             "validation_coverage": iv.get("validation_coverage")}]  # fmt: skip
    return [
        Table.from_rows(rows, float_format=".3f"),
        Paragraph(
            f"Method: {iv['method']}. Coverage: share of points inside their interval (out-of-fold on the "
            "cross-validation; on the random hold-out). It should be close to the level."
        ),
    ]


def _applicability(fit):
    app = fit.applicability
    if app is None:
        return [Paragraph("No area of applicability was learnt.")]
    return [
        Table.from_rows(
            [
                {
                    "threshold": app["threshold"],
                    "train_di_max": app["train_di_max"],
                    "share_of_training_points_inside": app["share_of_training_points_inside"],
                }
            ],
            float_format=".3f",
        ),
        Paragraph(
            "Dissimilarity index DI = distance to the nearest training point in standardised factor space "
            "weighted by the permutation importance, divided by the mean distance between training points; "
            "the threshold is the upper whisker (Q3 + 1.5 IQR) of the cross-validated DI of the training "
            "points (Meyer & Pebesma 2021). A pixel with a larger DI lies outside the area of applicability: "
            "the model extrapolates there."
        ),
    ]


def _scatter(fit, target):
    observed = np.concatenate([fit.observed[k] for k in fit.observed])
    predicted = np.concatenate([fit.predicted[k] for k in fit.predicted])
    labels = [k for k in fit.observed for _ in range(np.asarray(fit.observed[k]).size)]
    return Chart.scatter(
        observed,
        predicted,
        f"Observed {target}",
        f"Predicted {target}",
        title="Observed vs predicted (cv: out-of-fold)",
        one_to_one=True,
        series_labels=labels,
    )


def _importance(fit, names, units):
    imp = fit.importance
    order = np.argsort(-np.asarray(imp["permutation_mean"]), kind="stable")
    out = [
        Chart.bars(
            np.asarray(imp["permutation_mean"])[order],
            [names[i] for i in order],
            f"Drop in R² when shuffled ({imp['permutation_set']} points, mean ± sd of "
            f"{imp['permutation_repeats']})",
            title="Permutation importance",
            errors=np.asarray(imp["permutation_sd"])[order],
        )
    ]
    impurity = np.asarray(imp["impurity"], dtype=float)
    if np.isfinite(impurity).all():
        out.append(
            Chart.bars(
                impurity[order],
                [names[i] for i in order],
                "Mean decrease in impurity (sums to 1)",
                title="Impurity importance",
            )  # fmt: skip
        )
    table = Table(
        (Column("factor"), Column("unit"), Column("impurity"), Column("permutation_mean"),
         Column("permutation_sd")),
        [(names[i], units.get(names[i], ""), _num(impurity[i]), float(imp["permutation_mean"][i]),
          float(imp["permutation_sd"][i])) for i in order],
        float_format=".3f",
    )  # fmt: skip
    return [*out, table]


def _num(v):
    return float(v) if np.isfinite(v) else None

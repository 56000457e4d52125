"""What a fitted carbon-density forest says: the model file's metadata and the model report (METHOD.md step 4)."""

from __future__ import annotations

import datetime
import os

import numpy as np

from ..reports.document import Chart, Column, Paragraph, Report, Run, Section, Table, plugin_label

__all__ = ["forest_report", "metric_rows", "model_metadata"]


def metric_rows(fit) -> list[dict]:
    """Accuracy per set (``train``, ``validation``; ``cv_mean`` and ``cv_sd`` after a cross-validation).

    Each row: ``set``, ``r2``, ``mae``, ``rmse``, ``n``.
    """
    rows = [{"set": name, **m} for name, m in fit.metrics.items()]
    if fit.cv is not None:
        n = int(fit.train_index.size)
        rows.append({"set": "cv_mean", **fit.cv["mean"], "n": n})
        rows.append({"set": "cv_sd", **fit.cv["sd"], "n": n})
    return rows


def model_metadata(fit, names, units, crs_wkt, target, layer, n_points, paths) -> dict:
    """The metadata saved with the model (:func:`core.carbon.forest.save_model`).

    Parameters
    ----------
    fit : core.carbon.forest fit result
        ``metrics``, ``cv``, ``params`` and ``importance`` of the fit.
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
    names = list(names)
    return {
        "factors": names,
        "units": units,
        "crs_wkt": crs_wkt,
        "target": target,
        "points_layer": layer,
        "n_points": int(n_points),
        "factor_files": [os.path.basename(p) for p in paths],
        "metrics": dict(fit.metrics.items()),
        "cv": None if fit.cv is None else {"folds": fit.cv["folds"], **fit.cv["mean"]},
        "params": fit.params,
        "importance": {
            "impurity": dict(zip(names, np.asarray(fit.importance["impurity"]).tolist())),
            "permutation_mean": dict(zip(names, np.asarray(fit.importance["permutation_mean"]).tolist())),
        },
    }


def forest_report(
    layer, target, names, paths, units, crs_label, fit, model_path, counts, n_total, *, version="", date=None
) -> Report:
    """The model report: summary, accuracy, observed vs predicted, factor importance, references.

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
    fit : core.carbon.forest fit result
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
    n_used = sum(m["n"] for m in fit.metrics.values())
    p = fit.params
    summary = [
        Paragraph(
            [
                "Random Forest regression of ",
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
                f"{p['n_trees']} trees, minimum leaf size {p['min_samples_leaf']}, maximum depth {p['max_depth']}, "
                f"{p['validation_fraction']:.0%} of the points held out for validation, seed {p['seed']}. "
                "Model file: ",
                Run(str(model_path), "code"),
                ".",
            ]
        ),
    ]
    accuracy = [
        Table.from_rows(metric_rows(fit), columns=["set", "r2", "mae", "rmse", "n"], float_format=".3f"),
        Paragraph(
            "R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)², MAE = mean |y − ŷ|, RMSE = √(mean (y − ŷ)²), in the units of "
            f"{target}; cv_mean / cv_sd: mean and standard deviation over the folds of a k-fold "
            "cross-validation on the training points."
        ),
        Paragraph(
            "For comparison only, the paper reports train R² 0.87, MAE 5.10, RMSE 7.90 and validation R² "
            "0.74, MAE 7.36, RMSE 12.31 t/hm² on 621 points in Ningxia."
        ),
    ]
    observed = np.concatenate([fit.observed[k] for k in fit.observed])
    predicted = np.concatenate([fit.predicted[k] for k in fit.predicted])
    labels = [k for k in fit.observed for _ in range(np.asarray(fit.observed[k]).size)]
    scatter = Chart.scatter(
        observed,
        predicted,
        f"Observed {target}",
        f"Predicted {target}",
        title="Observed vs predicted",
        one_to_one=True,
        series_labels=labels,
    )
    imp = fit.importance
    order = np.argsort(-np.asarray(imp["permutation_mean"]), kind="stable")
    perm_bars = Chart.bars(
        np.asarray(imp["permutation_mean"])[order],
        [names[i] for i in order],
        f"Drop in R² when shuffled ({imp['permutation_set']} points, mean ± sd of {imp['permutation_repeats']})",
        title="Permutation importance",
        errors=np.asarray(imp["permutation_sd"])[order],
    )
    imp_bars = Chart.bars(
        np.asarray(imp["impurity"])[order],
        [names[i] for i in order],
        "Mean decrease in impurity (sums to 1)",
        title="Impurity importance",
    )
    imp_table = Table(
        (
            Column("factor"),
            Column("unit"),
            Column("impurity"),
            Column("permutation_mean"),
            Column("permutation_sd"),
        ),
        [
            (
                names[i],
                units.get(names[i], ""),
                float(imp["impurity"][i]),
                float(imp["permutation_mean"][i]),
                float(imp["permutation_sd"][i]),
            )
            for i in order
        ],
        float_format=".3f",
    )
    return Report(
        f"Random Forest model of {target}",
        [
            Section("Summary", summary),
            Section("Accuracy", accuracy),
            Section("Observed vs predicted", [scatter]),
            Section("Factor importance", [perm_bars, imp_bars, imp_table]),
            Section(
                "References",
                [
                    Paragraph(
                        "Breiman, L. (2001) Random forests. Machine Learning 45:5–32. Strobl, C. et al. (2007) "
                        "BMC Bioinformatics 8:25. METHOD.md step 4."
                    )
                ],
            ),
        ],
        {
            "plugin": plugin_label(version),
            "algorithm": "carbonsink:trainrandomforest (Train Random Forest model)",
            "points": layer,
            "target field": target,
            "factor rasters": [f"{n} = {s}" for n, s in zip(names, paths)],
            "CRS of the rasters": crs_label,
            "settings": {k: str(v) for k, v in p.items()},
            "date": date or datetime.datetime.now().isoformat(timespec="seconds"),
        },
        algorithm="carbonsink:trainrandomforest",
    )

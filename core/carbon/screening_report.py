"""The report of the factor correlation screening: heat map, VIF table and keep-list (METHOD.md step 3)."""

from __future__ import annotations

import datetime

import numpy as np

from ..reports.document import BulletList, Chart, Paragraph, Report, Run, Section, Table, plugin_label
from ..stats import screening

__all__ = ["screening_report"]

FACTOR_COLUMNS = ("factor", "r_with_target", "p_with_target", "vif", "vif_kept", "keep", "reason")


def _notes(n_used) -> list:
    sub = lambda text: Run(text, "sub")  # noqa: E731 - a short local name for the formula
    return [
        Paragraph(
            f"Cells: Pearson r over the same {n_used:,} points (listwise deletion); stars: two-sided t test of "
            "r = 0 with n − 2 degrees of freedom, * p < 0.05, ** p < 0.01, *** p < 0.001."
        ),
        Paragraph(
            [
                "r = Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² Σ(y − ȳ)²); t = r √(n − 2) / √(1 − r²); VIF",
                sub("j"),
                " = 1 / (1 − R²",
                sub("j"),
                "), R²",
                sub("j"),
                " of factor j regressed on the other factors with intercept (vif: all factors; vif_kept: the "
                "kept factors only). VIF > 10 (some use 5) signals strong collinearity (O'Brien 2007).",
            ]
        ),
        Paragraph(
            "Pearson (1895) Proc. R. Soc. Lond. 58:240; O'Brien (2007) Qual. Quant. 41:673; METHOD.md step 3."
        ),
    ]


def screening_report(
    layer,
    target,
    names,
    paths,
    threshold,
    r,
    p,
    rows,
    keep,
    dropped,
    n_used,
    n_total,
    counts,
    *,
    version="",
    date=None,
) -> Report:
    """The screening report: summary and keep-list, the correlation heat map, the factor table.

    Parameters
    ----------
    layer, target : str
        Point layer and target field.
    names, paths : sequence of str
        Factor names and their raster files.
    threshold : float
        Largest |r| allowed between kept factors.
    r, p : array_like, shape (k + 1, k + 1)
        Pearson r and its p-value among the target (first) and the factors.
    rows : sequence of dict
        One per factor, keys :data:`FACTOR_COLUMNS`.
    keep : sequence of str
        Suggested factors, in order.
    dropped : sequence
        Dropped factors with ``name`` and ``reason``.
    n_used, n_total : int
        Points used / given.
    counts : str
        What was left out, in words.
    version : str, optional
        Plugin version.
    date : str, optional
        ISO date of the run (default now).

    Returns
    -------
    Report
    """
    variables = [target, *names]
    stars = screening.significance_stars(np.asarray(p))
    np.fill_diagonal(stars, "")
    heat = Chart.heatmap(r, variables, title="Pearson r", annotations=stars)
    order = sorted(range(len(rows)), key=lambda j: -abs(rows[j]["r_with_target"]))  # the greedy order
    bars = Chart.bars(
        [rows[j]["r_with_target"] for j in order],
        [rows[j]["factor"] + ("" if rows[j]["keep"] else " (dropped)") for j in order],
        f"Pearson r with {target}",
        title=f"Factors by |r| with {target}",
    )
    summary = [
        Paragraph(
            [
                "Target ",
                Run(target, "b"),
                " of layer ",
                Run(layer, "b"),
                f"; {len(names)} factor(s). ",
                Run(f"{n_used:,}", "b"),
                f" of {n_total:,} points used; left out: {counts}.",
            ]
        ),
        Paragraph(
            [
                f"Suggested factors (|r| ≤ {threshold:g} with each other, most correlated with the target first): ",
                Run(", ".join(keep), "b"),
                ".",
            ]
        ),
    ]
    if dropped:
        summary.append(BulletList([[Run(d.name, "b"), f": {d.reason}"] for d in dropped]))
    table = Table.from_rows(rows, columns=list(FACTOR_COLUMNS), float_format=".3g")
    return Report(
        f"Factor correlation screening: {target}",
        [
            Section("Summary", summary),
            Section("Correlation matrix", [heat, *_notes(n_used)]),
            Section("Factors: correlation with the target, VIF and keep-list", [bars, table]),
        ],
        {
            "plugin": plugin_label(version),
            "algorithm": "carbonsink:factorscreening (Factor correlation screening)",
            "points": layer,
            "target field": target,
            "factor rasters": [f"{n} = {s}" for n, s in zip(names, paths)],
            "threshold |r|": f"{threshold:g}",
            "date": date or datetime.datetime.now().isoformat(timespec="seconds"),
        },
        algorithm="carbonsink:factorscreening",
    )

"""The report of the regional climate trend: the regional mean per year and its trends (METHOD.md step 10)."""

from __future__ import annotations

from ..reports.document import Chart, Paragraph, Report, Section, Table, plugin_label
from .climate import format_years

__all__ = ["climate_report"]


def climate_report(
    years, variables, means, fits, trend_rows, direction, alpha, *, inputs=None, version=""
) -> Report:
    """The climate report: the direction, a chart per variable with its Sen and least-squares lines, tables.

    Parameters
    ----------
    years : sequence of int, length n
    variables : sequence of (key, label, unit)
        In the order shown; ``key`` indexes ``means`` and ``fits``.
    means : dict of key → array_like of float, shape (n,)
        Regional mean per year.
    fits : dict of key → dict
        :func:`core.carbon.climate.series_trend` of each variable.
    trend_rows : sequence of dict
        The trend table (one row per variable, as written to the trends table).
    direction : str
        :func:`core.carbon.climate.climate_direction`.
    alpha : float
        Significance level.
    inputs : dict of str → str, optional
        Variable label → layer, for "Produced by".
    version : str, optional
        Plugin version.

    Returns
    -------
    Report
    """
    sections = [Section("Direction of the regional climate", [Paragraph(direction)])]
    for key, label, unit in variables:
        fit = fits[key]
        name = f"{label} ({unit})" if unit else label
        chart = Chart.lines(
            years,
            {name: means[key]},
            "Year",
            name,
            title=f"Regional mean {label.lower()}",
            trend_lines={
                "Theil–Sen": (fit["sen_slope"], fit["sen_intercept"]),
                "Least squares": (fit["ls_slope"], fit["ls_intercept"]),
            },
        )
        per = f" {unit}/a" if unit else "/a"
        caption = (
            f"Sen slope {fit['sen_slope']:+.4g}{per} (Mann–Kendall Z = {fit['mk_z']:.2f}, "
            f"p = {fit['mk_p']:.3g}); least squares {fit['ls_slope']:+.4g}{per} "
            f"(R² = {fit['ls_r2']:.3f}, p = {fit['ls_p']:.3g})."
        )
        sections.append(Section(label, [chart, Paragraph(caption)]))
    sections.append(Section("Trends", [Table.from_rows(trend_rows)]))
    labels = [label for _, label, _ in variables]
    year_rows = [[int(y), *(float(means[key][i]) for key, _, _ in variables)] for i, y in enumerate(years)]
    sections.append(Section("Regional mean per year", [Table(["year", *labels], year_rows)]))
    return Report(
        "Regional climate trend",
        sections,
        {
            "inputs": dict(inputs or {}),
            "years": format_years(years),
            "significance level": f"{alpha:g}",
            "plugin": plugin_label(version),
        },
        algorithm="carbonsink:regionalclimatetrend",
    )

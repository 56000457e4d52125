"""The report of carbon storage accounting: totals and mean density per year, their trends (METHOD.md step 6)."""

from __future__ import annotations

from ..reports.document import Chart, Column, Report, Section, Table, plugin_label

__all__ = ["storage_report"]

_TREND_COLUMNS = (
    Column("zone"),
    Column("zone name"),
    Column("variable"),
    Column("slope"),
    Column("intercept"),
    Column("R²"),
    Column("p"),
    Column("n"),
    Column("units"),
)
_YEAR_COLUMNS = (
    Column("zone"),
    Column("zone name"),
    Column("year"),
    Column("storage", "t"),
    Column("mean density", "t/hm²"),
    Column("area", "hm²"),
)


def storage_report(years, total, mean, trends, rows, *, input_layer="", version="") -> Report:
    """The storage report: the yearly series with their trend lines, the trend table, the yearly totals.

    Parameters
    ----------
    years : sequence of int, length n
    total, mean : array_like of float, shape (n,)
        Total storage (t C) and mean density (t C/hm²) of all zones per year; NaN for a year without data.
    trends : sequence of tuple
        ``(zone, zone name, variable, slope, intercept, R², p, n, units)``; the first two are the total
        storage and the mean density of all zones (drawn as trend lines).
    rows : sequence of tuple
        ``(zone, zone name, year, storage t, mean density t/hm², area hm²)``.
    input_layer : str, optional
        The density stack's layer name, for "Produced by".
    version : str, optional
        Plugin version.

    Returns
    -------
    Report

    Raises
    ------
    ValueError
        Fewer than two trends, or rows and trends that are not of the shape above.
    """
    years = [int(y) for y in years]
    if len(trends) < 2 or not years:
        raise ValueError(
            "trends must start with the total storage and mean density trends, and years be given"
        )
    t_fit, d_fit = trends[0], trends[1]
    chart = Chart.lines(
        years,
        {"Total storage (t)": total, "Mean density (t/hm²)": mean},
        "Year",
        "Total storage (t)",
        title="Carbon storage and mean density",
        trend_lines={
            "Total storage (t)": (t_fit[3], t_fit[4]),
            "Mean density (t/hm²)": (d_fit[3], d_fit[4]),
        },
        right_axis=("Mean density (t/hm²)",),
    )
    return Report(
        "Carbon storage accounting",
        [
            Section("Storage and mean density per year", [chart]),
            Section("Trends (least squares)", [Table(_TREND_COLUMNS, [tuple(t) for t in trends])]),
            Section("Yearly totals", [Table(_YEAR_COLUMNS, [tuple(r) for r in rows])]),
        ],
        {"input": input_layer, "years": f"{years[0]}–{years[-1]}", "plugin": plugin_label(version)},
        algorithm="carbonsink:carbonstorage",
    )

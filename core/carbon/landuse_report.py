"""The report of the land-use transition and carbon contribution analysis (METHOD.md step 11)."""

from __future__ import annotations

import numpy as np

from ..reports.document import BulletList, Chart, Column, Paragraph, Report, Run, Section, Table, plugin_label

__all__ = ["BASIS_TEXT", "landuse_report"]

BASIS_TEXT = {
    "end": "end class (change on the land that is the class at the end)",
    "start": "start class (change on the land that was the class at the start)",
    "stock": "storage held by the class (its storage at the end minus at the start)",
}
_MINUS = "\u2212"


def _signed(v) -> str:
    return f"{v:+,.2f}".replace("-", _MINUS)


def _pct(v) -> str:
    return "–" if not np.isfinite(v) else f"{v:.2f} %".replace("-", _MINUS)


def _rows(columns):
    keys = list(columns)
    n = len(columns[keys[0]]) if keys else 0
    return [{k: columns[k][i] for k in keys} for i in range(n)]


def _cross_tab(matrix, names) -> Table:
    """Start class in rows, end class in columns, with the totals of both."""
    matrix = np.asarray(matrix, dtype=np.float64)
    rows = [[name, *matrix[i].tolist(), float(matrix[i].sum())] for i, name in enumerate(names)]
    rows.append(["total (end)", *matrix.sum(axis=0).tolist(), float(matrix.sum())])
    return Table(["start \\ end", *names, "total (start)"], rows, float_format=",.2f")


def _summary(acc, basis, conv) -> list:
    total = acc.total_change_t_
    blocks = [
        Paragraph(
            [
                "Total carbon change of the classified pixels: ",
                Run(f"{_signed(total)} t", "b"),
                f" ({total / 1e4:+,.2f} × 10⁴ t). Contributions attributed by {BASIS_TEXT[basis]}.",
            ]
        )
    ]
    items = [
        f"{int(acc.pixels_.sum()):,} pixels ({acc.area_m2_.sum() / 1e4:,.2f} hm²) with a class of the table "
        "at both dates.",
        f"{acc.nodata_pixels_:,} pixels with nodata land use at a date (left out).",
        f"{acc.unknown_pixels_:,} pixels ({acc.unknown_area_m2_ / 1e4:,.2f} hm²) with a code not in the class "
        "table (left out; see below).",
    ]
    if acc.folded_pixels_:
        items.append(
            f"{acc.folded_pixels_:,} pixels with second-level codes counted as their first-level class."
        )
    if acc.carbon_missing_pixels_:
        items.append(
            f"{acc.carbon_missing_pixels_:,} classified pixels without carbon at a date (in the area matrix, "
            "not in the carbon change)."
        )
    blocks.append(BulletList(items))
    if conv is not None:
        names = ", ".join(acc.classes.name_of(c) for c in conv["from_codes"])
        blocks.append(
            Paragraph(
                [
                    f"Conversions among {names}: ",
                    Run(f"{_signed(conv['change_t'])} t", "b"),
                    f" over {conv['area_hm2']:,.2f} hm², ",
                    Run(_pct(conv["share_pct"]), "b"),
                    " of the total change.",
                ]
            )
        )
    return blocks


_CONTRIBUTION_COLUMNS = (
    Column("class"),
    Column("area start", "hm²"),
    Column("area end", "hm²"),
    Column("persistence ΔC", "t"),
    Column("conversion ΔC", "t"),
    Column("ΔC", "t"),
    Column("share", "%"),
    Column("persistence", "%"),
    Column("conversion", "%"),
)
_TRANSITION_COLUMNS = (
    Column("from"),
    Column("to"),
    Column("pixels"),
    Column("area", "hm²"),
    Column("storage start", "t"),
    Column("storage end", "t"),
    Column("ΔC", "t"),
    Column("share", "%"),
)


def landuse_report(acc, transitions, contrib, basis, unit, conv, layers, *, version="") -> Report:
    """The land-use report: summary, transition matrices, flows (Sankey), contributions, transitions.

    Parameters
    ----------
    acc : core.carbon.landuse.TransitionAccumulator
        After the run: classes, areas, carbon changes and the pixels left out.
    transitions, contrib : dict of str → array
        The columns of the transition and contribution tables (:func:`core.carbon.landuse`).
    basis : {"end", "start", "stock"}
        How the change is attributed to the classes.
    unit : {"density", "storage"}
        What the carbon rasters hold.
    conv : dict or None
        :func:`core.carbon.landuse.conversion_set` of the conversion classes, if any.
    layers : dict
        Layer names: ``start``, ``end`` (land use), ``c0``, ``c1`` (carbon).
    version : str, optional
        Plugin version.

    Returns
    -------
    Report
    """
    if basis not in BASIS_TEXT:
        raise ValueError(f"basis must be one of {sorted(BASIS_TEXT)}, got {basis!r}")
    names = list(acc.classes.names)
    total = acc.total_change_t_
    area_hm2 = acc.area_m2_ / 1e4
    flows = [(names[i], names[j], area_hm2[i, j]) for i in range(len(names)) for j in range(len(names))]
    colors = dict(zip(names, acc.classes.colors))
    sankey_all = Chart.sankey(
        flows, "Land-use flows (area)", "hm²", colors=colors, column_titles=("Start", "End")
    )
    sankey_conv = Chart.sankey(
        [f for f in flows if f[0] != f[1]],
        "Conversions only (area)",
        "hm²",
        colors=colors,
        column_titles=("Start", "End"),
    )
    bars = Chart.bars(
        contrib["share_pct"], names, "Contribution to the total carbon change (%)", "Contribution rate"
    )
    keys = (
        "name",
        "area_start_hm2",
        "area_end_hm2",
        "persistence_change_t",
        "conversion_change_t",
        "carbon_change_t",
        "share_pct",
        "persistence_share_pct",
        "conversion_share_pct",
    )
    contrib_rows = [[r[k] for k in keys] for r in _rows(contrib)]
    contrib_rows.append(
        [
            "Total",
            float(contrib["area_start_hm2"].sum()),
            float(contrib["area_end_hm2"].sum()),
            float(contrib["persistence_change_t"].sum()),
            float(contrib["conversion_change_t"].sum()),
            total,
            100.0 if total else None,
            float(np.sum(contrib["persistence_share_pct"])),
            float(np.sum(contrib["conversion_share_pct"])),
        ]
    )
    keys = (
        "from_name",
        "to_name",
        "pixels",
        "area_hm2",
        "carbon_start_t",
        "carbon_end_t",
        "carbon_change_t",
        "share_pct",
    )
    trans_rows = [[r[k] for k in keys] for r in _rows(transitions)]
    sections = [
        Section("Summary", _summary(acc, basis, conv)),
        Section(
            "Transition matrix: area (hm²), start class in rows, end class in columns",
            [_cross_tab(area_hm2, names)],
        ),
        Section(
            "Carbon change by transition (t), start class in rows, end class in columns",
            [_cross_tab(acc.carbon_change_t_, names)],
        ),
        Section("Land-use flows", [sankey_all, sankey_conv]),
        Section(
            "Contribution of each class",
            [bars, Table(_CONTRIBUTION_COLUMNS, contrib_rows, float_format=",.2f")],
        ),
        Section("Transitions", [Table(_TRANSITION_COLUMNS, trans_rows, float_format=",.2f")]),
    ]
    if acc.unknown_pixels_:
        rows = [["start", k, v] for k, v in sorted(acc.unknown_start_codes_.items())]
        rows += [["end", k, v] for k, v in sorted(acc.unknown_end_codes_.items())]
        sections.append(
            Section(
                "Codes not in the class table",
                [
                    Paragraph(
                        "These pixels are left out of the matrix and of the shares; their carbon change is "
                        f"{_signed(acc.unknown_change_t_)} t."
                    ),
                    Table(["date", "code", "pixels"], rows),
                ],
            )
        )
    carbon = "(density, t C/hm²)" if unit == "density" else "(storage, t C per pixel)"
    return Report(
        "Land-use transition and carbon contribution",
        sections,
        {
            "land use": f"{layers['start']} → {layers['end']}",
            "carbon": f"{layers['c0']} → {layers['c1']} {carbon}",
            "classes": ", ".join(f"{c} {n}" for c, n in zip(acc.classes.codes, acc.classes.names)),
            "second-level codes folded": "yes" if acc.classes.fold_second_level else "no",
            "basis": BASIS_TEXT[basis],
            "plugin": plugin_label(version),
        },
        algorithm="carbonsink:landusecontribution",
    )

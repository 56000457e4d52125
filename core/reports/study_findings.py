"""What the study report says first: the headline figures of a run, with what each share is a share of.

The study report (:mod:`core.reports.study_report`) opens with a summary of findings computed here from the
data it was given — the class areas of the class rasters it measured, the pixels each step could not compute,
the steps' report data (storage trend, model accuracy), the global Moran's I table and the sample points —
never from HTML. Also here: the provenance the whole-study model passes as JSON (:func:`parse_provenance`),
the summary of the plots and augmented samples, and the CSV of a long table written beside the report.
"""

from __future__ import annotations

import csv
import json
import math

from .document import Column, Paragraph, Section, Table

__all__ = ["findings", "parse_provenance", "sample_summary", "samples_section", "write_csv"]

# (finding, map title of the class raster, class names that count, with startswith matching)
_SHARES = (
    ("Significant increase of carbon density (Sen + Mann–Kendall)", "Trend class (Sen + Mann–Kendall)",
     ("significant increase", "extremely significant increase")),
    ("Continuing increase (Sen slope × Hurst)", "Future trend (Sen slope × Hurst)", ("continuous improvement",)),
    ("High-High clusters of the carbon-sink rate (LISA)", "LISA cluster (local Moran's I)", ("high-high",)),
)  # fmt: skip


def _p(value):
    p = float(value)
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _hm2(value):
    return f"{value:,.0f} hm²"


def _share_rows(class_areas):
    rows = []
    by_title = {title: rows_ for title, _, rows_ in class_areas}
    for finding, title, names in _SHARES:
        table = by_title.get(title)
        if not table:
            continue
        total = sum(float(r["area_hm2"]) for r in table)
        part = sum(float(r["area_hm2"]) for r in table if str(r["class"]).lower().startswith(names))
        if total > 0:
            rows.append(
                (
                    finding,
                    f"{100 * part / total:.1f} %",
                    f"the {_hm2(total)} with a {title.split(' (')[0].lower()}",
                )
            )
    zones = by_title.get("Diagnostic zones")
    if zones:
        total = sum(float(r["area_hm2"]) for r in zones)
        top = max(zones, key=lambda r: float(r["area_hm2"]))
        if total > 0:
            rows.append(("Largest diagnostic zone", f"{top['class']}: {100 * float(top['area_hm2']) / total:.1f} %",
                         f"the {_hm2(total)} with a zone"))  # fmt: skip
    return rows


def _blank_rows(coverage):
    rows = []
    for title, c in coverage.items():
        if c.get("not_computed"):
            rows.append((
                f"Not computed: {title.split(' (')[0]}",
                f"{c['not_computed']:,} pixels ({100 * c['not_computed'] / max(c['with_density'], 1):.1f} %)",
                f"the {c['with_density']:,} pixels with a carbon density in the last year (why: under the map)",
            ))  # fmt: skip
    return rows


def _table_rows(report, section_heading):
    """Rows of the first table under the section ``section_heading`` of a step report, as dicts."""
    for section in report.sections:
        if section.heading == section_heading:
            for block in section.blocks:
                if isinstance(block, Table):
                    names = [c.name for c in block.columns]
                    return [dict(zip(names, row)) for row in block.rows]
    return []


def _interval_rows(storage):
    """The confidence intervals of the two regional trends, when carbonstorage was given the model."""
    rows = []
    found = _table_rows(storage, "Confidence intervals and area of applicability")
    for r in found:
        if r.get("region_name") != "All regions" or r.get("aoa") != "all" or r.get("slope_lower") is None:
            continue
        level = r.get("confidence_level")
        what = f"{float(level):.0%} confidence interval" if level is not None else "confidence interval"
        if r.get("variable") == "total storage":
            value = f"{float(r['slope_lower']):+,.0f} … {float(r['slope_upper']):+,.0f} t C/a"
            rows.append((f"Total carbon storage trend, {what}", value, "bootstrap replicates of the model"))
        elif r.get("variable") == "mean density":
            value = f"{float(r['slope_lower']):+.3f} … {float(r['slope_upper']):+.3f} t C/hm²/a"
            rows.append((f"Mean carbon density trend, {what}", value, "bootstrap replicates of the model"))
    return rows


def _step_rows(steps):
    rows = []
    reports = {step.heading: step.report for step, _ in steps}
    storage = reports.get("Carbon storage and mean density")
    if storage is not None:
        trends = _table_rows(storage, "Trends (least squares)")
        if len(trends) >= 2:
            rows.append(("Total carbon storage trend", f"{float(trends[0]['slope']):+,.0f} t C/a",
                         f"all regions, {_p(trends[0]['p'])}"))  # fmt: skip
            rows.append(("Mean carbon density trend", f"{float(trends[1]['slope']):+.3f} t C/hm²/a",
                         f"all regions, {_p(trends[1]['p'])}"))  # fmt: skip
            rows += _interval_rows(storage)
    model = reports.get("Carbon density model")
    if model is not None:
        for r in _table_rows(model, "Accuracy"):
            if r.get("set") == "validation":
                rows.append(("Carbon density model, validation R² / RMSE",
                             f"{float(r['r2']):.2f} / {float(r['rmse']):.2f} t C/hm²",
                             f"{int(r['n']):,} held-out points"))  # fmt: skip
    return rows


def findings(class_areas, coverage, steps, moran_row=None, samples=None, reference=None):
    """The headline figures of a run: ``[(finding, value, of what)]``, each share with its denominator.

    Parameters
    ----------
    class_areas : sequence of (map title, layer name, rows of class_area_rows)
    coverage : dict of map title → dict
        ``with_density``, ``not_computed`` (pixels) of each map, against the last year of carbon density.
    steps : sequence of (StepReport, file)
    moran_row : dict, optional
        A row of the global Moran's I table (``i``, ``p_sim`` …).
    samples : dict, optional
        :func:`sample_summary`.
    reference : (int, float), optional
        Pixels and hm² with a carbon density in the last year.
    """
    rows = []
    if reference:
        rows.append(
            (
                "Area with a carbon density",
                _hm2(reference[1]),
                f"{reference[0]:,} pixels with a density in the last year",
            )
        )
    rows += _step_rows(steps)
    rows += _share_rows(class_areas)
    if moran_row and moran_row.get("i") not in (None, ""):
        rows.append(("Global Moran's I of the carbon-sink rate", f"{float(moran_row['i']):.3f}",
                     f"p (permutations) = {float(moran_row.get('p_sim') or 'nan'):.3g}"))  # fmt: skip
    if samples:
        rows.append(("Sample points", f"{samples['measured']:,} plots + {samples['derived']:,} augmented",
                     "the points the model was trained and validated on"))  # fmt: skip
    return rows + _blank_rows(coverage)


def parse_provenance(text):
    """``{"inputs": {...}, "settings": {...}}`` from what the whole-study model passes; {} when empty.

    Two forms: lines ``inputs.NAME=value`` / ``settings.NAME=value`` (what the model's expression writes;
    empty values are dropped), or a JSON object of those two objects.

    Raises
    ------
    ValueError
        Neither form.

    Examples
    --------
    >>> parse_provenance("inputs.PLOTS=/d/plots.gpkg\\ninputs.TREES=\\nsettings.SEED=42")
    {'inputs': {'PLOTS': '/d/plots.gpkg'}, 'settings': {'SEED': '42'}}
    """
    if not text or not text.strip():
        return {}
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not JSON: {exc}") from None
    else:
        data = {"inputs": {}, "settings": {}}
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            key, sep, value = line.partition("=")
            section, dot, name = key.strip().partition(".")
            if not sep or not dot or section not in data:
                raise ValueError(
                    f"line {number}: expected inputs.NAME=value or settings.NAME=value, got {line!r}"
                )
            data[section][name] = value.strip()
    if not isinstance(data, dict) or not all(
        isinstance(data.get(k, {}), dict) for k in ("inputs", "settings")
    ):
        raise ValueError('expected {"inputs": {...}, "settings": {...}}')
    clean = {}
    for key in ("inputs", "settings"):
        clean[key] = {str(k): _plain(v) for k, v in data.get(key, {}).items() if v not in (None, "", [])}
    return clean


def _plain(value):
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value)


def sample_summary(field_names, rows):
    """Counts and carbon density of the survey plots and the augmented points of a SAMPLES layer."""
    names = list(field_names)
    i_source = names.index("source") if "source" in names else None
    i_carbon = names.index("carbon_density") if "carbon_density" in names else None
    values = {"measured": [], "derived": []}
    for row in rows:
        kind = str(row[i_source]) if i_source is not None else "measured"
        value = row[i_carbon] if i_carbon is not None else None
        try:
            values.setdefault(kind, []).append(float(value))
        except (TypeError, ValueError):
            values.setdefault(kind, [])
    out = {"measured": len(values.get("measured", [])), "derived": len(values.get("derived", []))}
    out["stats"] = {k: _stats(v) for k, v in values.items() if v}
    return out


def _stats(values):
    finite = sorted(v for v in values if math.isfinite(v))
    if not finite:
        return None
    return (len(finite), sum(finite) / len(finite), finite[0], finite[-1])


def samples_section(summary) -> Section:
    """Plots and augmented samples: how many, and their carbon density."""
    labels = {"measured": "survey plots (measured)", "derived": "augmented points (NPP ratio)"}
    rows = tuple((labels.get(k, k), *v) for k, v in summary["stats"].items() if v is not None)
    return Section(
        "Plots and augmented samples",
        [
            Paragraph(
                f"{summary['measured']:,} survey plots and {summary['derived']:,} points added by the NPP-ratio "
                "augmentation (docs/method.md, step 2) trained and validated the carbon density model."
            ),
            Table(
                (Column("points"), Column("n", format=","), Column("mean carbon density", "t C/hm²", ".1f"),
                 Column("lowest", "t C/hm²", ".1f"), Column("highest", "t C/hm²", ".1f")),
                rows,
            ),
        ],
    )  # fmt: skip


def write_csv(path, table: Table):
    """The whole ``table`` as CSV (UTF-8, the column headers with their units) at ``path``."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([c.header for c in table.columns])
        for row in table.rows:
            writer.writerow(["" if v is None else v for v in row])

"""Carbon storage from carbon density, regional and zonal totals, and their linear trends (METHOD step 5).

Storage of a pixel = density (t C/hm²) × true pixel area (hm²). Totals per year are accumulated window by
window (:class:`ZoneTotals`), so a 74-million-pixel stack never has to be in memory at once.

A carbon density cannot be negative. A pixel with a negative density in any year is not summed: its
storage is NaN in every year, so it is left out of every yearly total as a pixel with a missing year is
(the area behind each total stays the same), and :func:`negative_density_pixels` counts such pixels for
the report. Counting rather than stopping keeps a long run from failing on a few pixels of a model that
can undershoot; the count and the lowest value tell the user whether the input is a density at all.
"""

from __future__ import annotations

import numpy as np

M2_PER_HM2 = 10_000.0


def storage_from_density(density, area_m2):
    """Carbon storage in t per pixel.

    Parameters
    ----------
    density : array_like, shape ``(n_years, n_pixels)``
        Carbon density in t C/hm² (NaN = missing).
    area_m2 : array_like, shape ``(n_pixels,)`` or ``(1, n_pixels)``
        True area of each pixel in m².

    Returns
    -------
    numpy.ndarray, shape ``(n_years, n_pixels)``
        ``density × area_m2 / 10 000``, in t C; NaN in every year for a pixel with a negative density in
        any year (:func:`negative_density_pixels`), and where the density is missing.

    Examples
    --------
    >>> storage_from_density([[50.0], [52.0]], [900.0]).ravel().tolist()  # a 30 m pixel = 0.09 hm²
    [4.5, 4.68]
    """
    density = np.asarray(density, dtype=float)
    area = np.asarray(area_m2, dtype=float).reshape(1, -1)
    if density.ndim != 2 or density.shape[1] != area.shape[1]:
        raise ValueError(
            f"density must be (n_years, n_pixels) with n_pixels = len(area_m2); got {density.shape} and "
            f"{area.shape[1]} areas"
        )
    out = density * (area / M2_PER_HM2)
    out[:, negative_density_pixels(density)] = np.nan
    return out


def negative_density_pixels(density) -> np.ndarray:
    """Pixels with a negative carbon density in at least one year.

    Parameters
    ----------
    density : array_like, shape ``(n_years, n_pixels)``
        Carbon density in t C/hm² (NaN = missing, ignored).

    Returns
    -------
    numpy.ndarray of bool, shape ``(n_pixels,)``

    Examples
    --------
    >>> negative_density_pixels([[1.0, -0.5, np.nan], [2.0, 3.0, 4.0]]).tolist()
    [False, True, False]
    """
    density = np.asarray(density, dtype=float)
    if density.ndim != 2:
        raise ValueError(f"density must be (n_years, n_pixels); got shape {density.shape}")
    with np.errstate(invalid="ignore"):
        return np.any(density < 0.0, axis=0)


class ZoneTotals:
    """Accumulates storage and area per zone and year over windows.

    Only pixels valid in every year are counted, so the area behind each yearly total is the same and
    the totals of different years are comparable (pixels with a missing year are reported apart).

    Attributes (after at least one :meth:`add`)
    ----------
    codes_ : numpy.ndarray of int, the zone codes seen, ascending
    storage_t_ : numpy.ndarray, ``(n_zones, n_years)`` total storage in t
    area_m2_ : numpy.ndarray, ``(n_zones,)`` area of the counted pixels in m²
    pixels_ : numpy.ndarray of int, ``(n_zones,)`` counted pixels
    incomplete_pixels_ : int, pixels left out because a year was missing
    """

    def __init__(self, n_years: int):
        if n_years < 1:
            raise ValueError(f"n_years must be at least 1; got {n_years}")
        self.n_years = n_years
        self._storage: dict[int, np.ndarray] = {}
        self._area: dict[int, float] = {}
        self._pixels: dict[int, int] = {}
        self.incomplete_pixels_ = 0

    def add(self, storage_t, area_m2, zones=None):
        """Add one window: storage ``(n_years, n_pixels)`` in t, areas ``(n_pixels,)``, zone codes."""
        storage_t = np.asarray(storage_t, dtype=float)
        area = np.asarray(area_m2, dtype=float).ravel()
        if storage_t.shape != (self.n_years, area.size):
            raise ValueError(f"storage must be ({self.n_years}, {area.size}); got {storage_t.shape}")
        zones = np.zeros(area.size, dtype=np.int64) if zones is None else np.asarray(zones).ravel()
        complete = np.all(np.isfinite(storage_t), axis=0) & np.isfinite(zones.astype(float))
        self.incomplete_pixels_ += int(np.count_nonzero(~complete))
        if not complete.any():
            return self
        codes, inverse = np.unique(zones[complete].astype(np.int64), return_inverse=True)
        sums = np.stack(
            [np.bincount(inverse, weights=s, minlength=codes.size) for s in storage_t[:, complete]], 1
        )
        areas = np.bincount(inverse, weights=area[complete], minlength=codes.size)
        counts = np.bincount(inverse, minlength=codes.size)
        for i, code in enumerate(codes.tolist()):
            self._storage[code] = self._storage.get(code, np.zeros(self.n_years)) + sums[i]
            self._area[code] = self._area.get(code, 0.0) + float(areas[i])
            self._pixels[code] = self._pixels.get(code, 0) + int(counts[i])
        return self

    @property
    def codes_(self):
        return np.array(sorted(self._storage), dtype=np.int64)

    @property
    def storage_t_(self):
        return np.array([self._storage[c] for c in self.codes_.tolist()]).reshape(-1, self.n_years)

    @property
    def area_m2_(self):
        return np.array([self._area[c] for c in self.codes_.tolist()])

    @property
    def pixels_(self):
        return np.array([self._pixels[c] for c in self.codes_.tolist()], dtype=np.int64)

    def mean_density(self):
        """Area-weighted mean density per zone and year (t/hm²): total storage / total area."""
        area_hm2 = self.area_m2_ / M2_PER_HM2
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.storage_t_ / area_hm2[:, None]


def linear_trend(years, values):
    """Least-squares line of ``values`` on ``years`` with its R² and two-sided p (t test on the slope).

    Returns
    -------
    dict with ``slope`` (units per year), ``intercept``, ``r2``, ``p``, ``n``; NaN where n < 3.

    Notes
    -----
    ``slope = Σ(t−t̄)(v−v̄) / Σ(t−t̄)²``; ``t = slope / SE`` with ``SE = sqrt(SSE/(n−2) / Σ(t−t̄)²)``;
    p from Student's t with n − 2 degrees of freedom (scipy.stats.linregress).

    Examples
    --------
    >>> round(linear_trend([2001, 2002, 2003, 2004], [1.0, 3.0, 5.0, 7.1])["slope"], 3)
    2.03
    """
    from scipy import stats

    t = np.asarray(years, dtype=float)
    v = np.asarray(values, dtype=float)
    if t.shape != v.shape or t.ndim != 1:
        raise ValueError(f"years and values must be 1-D of the same length; got {t.shape} and {v.shape}")
    ok = np.isfinite(v)
    t, v = t[ok], v[ok]
    if t.size < 3 or np.ptp(t) == 0:
        return {"slope": np.nan, "intercept": np.nan, "r2": np.nan, "p": np.nan, "n": int(t.size)}
    fit = stats.linregress(t, v)
    return {
        "slope": float(fit.slope),
        "intercept": float(fit.intercept),
        "r2": float(fit.rvalue**2),
        "p": float(fit.pvalue),
        "n": int(t.size),
    }


# ------------------------------------------------------------------------------ confidence intervals
class ReplicateTotals:
    """Accumulates, per zone, the storage totals of every replicate of the model over windows.

    A replicate is a model refitted on a bootstrap sample of the plots: for a Random Forest each of its
    trees (grown on its own bootstrap sample), for gradient boosting the replicate models stored in the
    model file (:mod:`core.carbon.model`). Only the pixels :class:`ZoneTotals` counts may be added (valid
    and non-negative in every year), so that the replicate totals and the point totals cover the same
    area.

    Attributes (after at least one :meth:`add`)
    ----------
    codes_ : numpy.ndarray of int, the zone codes seen, ascending
    totals_t_ : numpy.ndarray, ``(n_zones, n_replicates, n_years)`` storage totals in t
    """

    def __init__(self, n_years: int, n_replicates: int):
        if n_years < 1 or n_replicates < 2:
            raise ValueError(f"n_years must be ≥ 1 and n_replicates ≥ 2; got {n_years} and {n_replicates}")
        self.n_years = int(n_years)
        self.n_replicates = int(n_replicates)
        self._totals: dict[int, np.ndarray] = {}

    def add(self, codes, sums):
        """Add one window: zone ``codes`` ``(n_groups,)`` and their sums ``(n_groups, n_replicates, n_years)``."""
        codes = np.asarray(codes, dtype=np.int64).ravel()
        sums = np.asarray(sums, dtype=np.float64)
        if sums.shape != (codes.size, self.n_replicates, self.n_years):
            raise ValueError(
                f"sums must be ({codes.size}, {self.n_replicates}, {self.n_years}); got {sums.shape}"
            )
        for code, s in zip(codes.tolist(), sums):
            self._totals[code] = self._totals.get(code, 0.0) + s
        return self

    @property
    def codes_(self):
        return np.array(sorted(self._totals), dtype=np.int64)

    @property
    def totals_t_(self):
        codes = self.codes_.tolist()
        return np.array([self._totals[c] for c in codes]).reshape(len(codes), self.n_replicates, self.n_years)


def confidence_intervals(years, totals_t, replicate_totals_t, area_hm2, level: float = 0.9) -> dict:
    """Confidence intervals of storage totals, mean densities and their trends, from replicate totals.

    Parameters
    ----------
    years : array_like, shape ``(n_years,)``
    totals_t : array_like, shape ``(n_zones, n_years)``
        Storage totals of the model itself (t), e.g. ``ZoneTotals.storage_t_``.
    replicate_totals_t : array_like, shape ``(n_zones, n_replicates, n_years)``
        The same totals for each replicate (:class:`ReplicateTotals`).
    area_hm2 : array_like, shape ``(n_zones,)``
        Area behind each zone's totals.
    level : float in (0, 1), default 0.9

    Returns
    -------
    dict
        ``total_se``, ``total_lower``, ``total_upper`` (``(n_zones, n_years)``, t); ``density_se``,
        ``density_lower``, ``density_upper`` (t/hm²); ``slope`` / ``slope_se`` / ``slope_lower`` /
        ``slope_upper`` of the total (t/a) and ``density_slope…`` of the mean density (t/hm²/a),
        ``(n_zones,)``; ``level``, ``z``, ``n_replicates``.

    Notes
    -----
    Bootstrap standard error and normal interval (Efron & Tibshirani 1993, ch. 6 and 13): the standard
    error of a total is the standard deviation (ddof = 1) of the replicates' totals, and the interval is
    ``total ± z·SE`` with ``z = Φ⁻¹((1 + level)/2)``. A trend's slope is a linear function of the yearly
    totals, so each replicate's slope (least squares over the years, as :func:`linear_trend`) gives the
    slope's standard error the same way. The interval describes how the totals would vary had other
    plots been sampled; it does not contain a bias of the model itself, nor errors of the plot
    measurements or of the factor rasters.

    References
    ----------
    Efron, B. & Tibshirani, R. J. (1993) An Introduction to the Bootstrap. Chapman & Hall.
    IPCC (2006) Guidelines for National Greenhouse Gas Inventories, Vol. 1, ch. 3 (uncertainties).
    """
    from scipy.special import ndtri

    level = float(level)
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1); got {level:g}")
    t = np.asarray(years, dtype=np.float64)
    totals = np.asarray(totals_t, dtype=np.float64)
    reps = np.asarray(replicate_totals_t, dtype=np.float64)
    area = np.asarray(area_hm2, dtype=np.float64).ravel()
    if totals.ndim != 2 or totals.shape[1] != t.size:
        raise ValueError(f"totals_t must be (n_zones, {t.size}); got {totals.shape}")
    n_zones = totals.shape[0]
    if reps.ndim != 3 or reps.shape[0] != n_zones or reps.shape[2] != t.size or reps.shape[1] < 2:
        raise ValueError(
            f"replicate_totals_t must be ({n_zones}, n_replicates ≥ 2, {t.size}); got {reps.shape}"
        )
    if area.size != n_zones:
        raise ValueError(f"area_hm2 must have one value per zone ({n_zones})")
    z = float(ndtri(0.5 + level / 2.0))
    se = reps.std(axis=1, ddof=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        density = totals / area[:, None]
        density_se = se / area[:, None]
    out = {
        "level": level,
        "z": z,
        "n_replicates": int(reps.shape[1]),
        "total_se": se,
        "total_lower": totals - z * se,
        "total_upper": totals + z * se,
        "density_se": density_se,
        "density_lower": density - z * density_se,
        "density_upper": density + z * density_se,
    }
    if t.size >= 3 and np.ptp(t) > 0:
        c = (t - t.mean()) / np.sum((t - t.mean()) ** 2)  # slope = Σ c_j v_j
        slope = totals @ c
        rep_slope = reps @ c  # (n_zones, n_replicates)
        slope_se = rep_slope.std(axis=1, ddof=1)
    else:
        slope = slope_se = np.full(n_zones, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        d_slope, d_se = slope / area, slope_se / area
    out.update(
        {
            "slope": slope,
            "slope_se": slope_se,
            "slope_lower": slope - z * slope_se,
            "slope_upper": slope + z * slope_se,
            "density_slope": d_slope,
            "density_slope_se": d_se,
            "density_slope_lower": d_slope - z * d_se,
            "density_slope_upper": d_slope + z * d_se,
        }
    )
    return out


# ------------------------------------------------------------------------------------ tables of totals
PART_LABELS = {"all": "all", "inside": "inside AOA", "outside": "outside AOA"}
TABLE_COLUMNS = ("region", "region_name", "year", "storage_t", "mean_density_t_hm2", "area_hm2", "aoa",
                 "storage_lower_t", "storage_upper_t", "storage_se_t", "mean_density_lower",
                 "mean_density_upper")  # fmt: skip
"""The columns of the storage table: those of the version without intervals first, in the same order."""
TREND_COLUMNS = ("region", "region_name", "variable", "slope", "intercept", "r2", "p", "n", "units", "aoa",
                 "slope_lower", "slope_upper", "slope_se")  # fmt: skip


def storage_tables(years, parts: dict, names: dict) -> dict:
    """The storage table and the trend table from the totals of each part of the region.

    Parameters
    ----------
    years : sequence of int
    parts : dict of str to dict
        ``"all"`` and optionally ``"inside"`` / ``"outside"`` the area of applicability, each the result
        of :meth:`core.carbon.model.StorageAccumulator.results` (``codes``, ``storage_t``, ``area_hm2``,
        ``mean_density`` and, with replicates, the :func:`confidence_intervals` keys). A part without
        pixels (``codes`` empty) is left out.
    names : dict of int to str
        Region names by code; code −1 (all regions together) is "All regions".

    Returns
    -------
    dict
        ``table`` and ``trends``: dicts of column name → numpy array (:data:`TABLE_COLUMNS`,
        :data:`TREND_COLUMNS`); interval columns are NaN without replicates. ``rows`` and ``trend_rows``:
        the tuples of the part ``"all"`` in the layout of :func:`core.carbon.storage_report.storage_report`.
    """
    years = [int(y) for y in years]
    table, trends, rows, trend_rows = [], [], [], []
    for part, res in parts.items():
        codes = np.asarray(res["codes"])
        if codes.size == 0:
            continue
        nan = np.full(res["storage_t"].shape, np.nan)
        ci = {k: np.asarray(res.get(k, nan)) for k in ("total_lower", "total_upper", "total_se",
                                                         "density_lower", "density_upper")}  # fmt: skip
        for i, code in enumerate(codes.tolist()):
            label = "All regions" if code == -1 else names.get(int(code), str(int(code)))
            for j, year in enumerate(years):
                table.append((int(code), label, year, res["storage_t"][i, j], res["mean_density"][i, j],
                              res["area_hm2"][i], PART_LABELS[part], ci["total_lower"][i, j],
                              ci["total_upper"][i, j], ci["total_se"][i, j], ci["density_lower"][i, j],
                              ci["density_upper"][i, j]))  # fmt: skip
            for variable, series, unit, key in (
                ("total storage", res["storage_t"][i], "t C/a", "slope"),
                ("mean density", res["mean_density"][i], "t C/hm²/a", "density_slope"),
            ):
                fit = linear_trend(years, series)
                band = [
                    float(res[f"{key}{s}"][i]) if key in res else np.nan for s in ("_lower", "_upper", "_se")
                ]
                row = (int(code), label, variable, fit["slope"], fit["intercept"], fit["r2"], fit["p"], fit["n"],
                       unit)  # fmt: skip
                trends.append((*row, PART_LABELS[part], *band))
                if part == "all":
                    trend_rows.append(row)
            if part == "all":
                rows += [(int(code), label, y, res["storage_t"][i, j], res["mean_density"][i, j],
                          res["area_hm2"][i]) for j, y in enumerate(years)]  # fmt: skip
    return {
        "table": {k: np.array([r[c] for r in table]) for c, k in enumerate(TABLE_COLUMNS)},
        "trends": {k: np.array([r[c] for r in trends]) for c, k in enumerate(TREND_COLUMNS)},
        "rows": rows,
        "trend_rows": trend_rows,
    }


def storage_report(years, tables: dict, intervals: dict | None = None, *, input_layer="", version=""):
    """The storage report (:func:`core.carbon.storage_report.storage_report`) with the intervals added.

    Parameters
    ----------
    years : sequence of int
    tables : dict, from :func:`storage_tables`
    intervals : dict, optional
        ``level``, ``n_replicates`` and ``method`` (words) of the confidence intervals; None: the tables
        have none. With an area of applicability the split inside / outside it is shown too.
    input_layer, version : str

    Returns
    -------
    core.reports.document.Report
    """
    import dataclasses

    from ..reports.document import Paragraph, Section, Table
    from . import storage_report as report_mod

    rows, trends = tables["rows"], tables["trend_rows"]
    all_rows = [r for r in rows if r[0] == rows[0][0]]
    doc = report_mod.storage_report(years, [r[3] for r in all_rows], [r[4] for r in all_rows], trends, rows,
                                    input_layer=input_layer, version=version)  # fmt: skip
    t = tables["trends"]
    if intervals is None and not np.any(t["aoa"] != "all"):
        return doc
    columns = ("region_name", "aoa", "variable", "slope", "slope_lower", "slope_upper", "units")
    level = None if intervals is None else float(intervals["level"])
    trend_table = Table((*columns, "confidence_level"), [(*r, level) for r in _report_rows(t, columns)],
                        float_format=",.4g")  # fmt: skip
    s = tables["table"]
    columns = ("region_name", "aoa", "year", "storage_t", "storage_lower_t", "storage_upper_t", "area_hm2")
    total_table = Table(columns, _report_rows(s, columns),
                        float_format=",.6g")  # fmt: skip
    text = (
        "No model was given: the totals have no confidence interval."
        if intervals is None
        else f"{intervals['level']:.0%} confidence intervals from {intervals['n_replicates']} bootstrap replicates "
        f"of the model ({intervals['method']}): estimate ± z·SE, SE = standard deviation of the replicates' "
        "totals (Efron & Tibshirani 1993). They show how the totals would vary had other plots been sampled, "
        "not the bias of the model nor the errors of the plot measurements or factor rasters."
    )
    aoa = (
        " aoa: all pixels, those inside the area of applicability in every year, and the others (Meyer & "
        "Pebesma 2021)."
        if np.any(t["aoa"] != "all")
        else ""
    )
    extra = Section("Confidence intervals and area of applicability", [Paragraph(text + aoa), trend_table,
                                                                         total_table])  # fmt: skip
    return dataclasses.replace(doc, sections=(*doc.sections, extra))


def _report_rows(table, columns):
    """Rows of plain values for a report table (NaN → None, shown as missing)."""
    rows = zip(*(table[c].tolist() for c in columns))
    return [tuple(None if isinstance(v, float) and v != v else v for v in row) for row in rows]

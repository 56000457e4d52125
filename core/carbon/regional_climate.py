"""The regional climate trend: from the regional mean of every year to the trends, the direction, the tables
and the report (docs/method.md, step 10).

The regional means are accumulated window by window (:class:`core.carbon.climate.RegionalMean`, one per
variable) by the caller's pass over the rasters; :func:`regional_climate_trend` then fits each series
(:func:`core.carbon.climate.series_trend`), states the direction of the climate
(:func:`core.carbon.climate.climate_direction`) and returns a :class:`RegionalClimate` that gives the
series and trend tables and the report (:func:`core.carbon.climate_report.climate_report`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .climate import RegionalMean, climate_direction, series_trend
from .climate_report import climate_report
from .storage import M2_PER_HM2

__all__ = ["VARIABLES", "RegionalClimate", "regional_climate_trend"]

VARIABLES = ("temperature", "precipitation", "aridity")
"""The keys of the variables: temperature and precipitation always, the aridity index optionally."""


@dataclass
class RegionalClimate:
    """The regional climate trend of a run.

    Attributes
    ----------
    years : numpy.ndarray of int, shape (n,)
    variables : list of (key, label, unit)
        In the order of the tables and the report.
    accumulators : dict of key → RegionalMean
        The regional sums of each variable: means, pixels and area.
    fits : dict of key → dict
        :func:`core.carbon.climate.series_trend` of each variable's regional means.
    direction : str
        :func:`core.carbon.climate.climate_direction` of the trends.
    alpha : float
        Significance level of the direction.
    """

    years: np.ndarray
    variables: list
    accumulators: dict
    fits: dict
    direction: str
    alpha: float

    def means(self) -> dict:
        """The regional mean of each year, by variable key."""
        return {key: self.accumulators[key].means() for key, _, _ in self.variables}

    def trend_rows(self) -> list[dict]:
        """A row per variable: its unit, the Sen and least-squares fits and the area it covers."""
        rows = []
        for key, label, unit in self.variables:
            fit, acc = self.fits[key], self.accumulators[key]
            rows.append(
                {
                    "variable": label,
                    "unit": unit,
                    "n_years": fit["n"],
                    "sen_slope": fit["sen_slope"],
                    "sen_intercept": fit["sen_intercept"],
                    "mk_s": fit["mk_s"],
                    "mk_z": fit["mk_z"],
                    "mk_p": fit["mk_p"],
                    "ls_slope": fit["ls_slope"],
                    "ls_intercept": fit["ls_intercept"],
                    "ls_r2": fit["ls_r2"],
                    "ls_p": fit["ls_p"],
                    "pixels": acc.pixels_,
                    "area_hm2": acc.area_m2_ / M2_PER_HM2,
                }
            )
        return rows

    def series_columns(self) -> dict:
        """The table of the regional means: variable, year, mean, unit (a row per variable and year)."""
        n = len(self.years)
        return {
            "variable": np.array([label for _, label, _ in self.variables for _ in range(n)], dtype=object),
            "year": np.tile(np.asarray(self.years, dtype=np.int64), len(self.variables)),
            "mean": np.concatenate([self.accumulators[key].means() for key, _, _ in self.variables]),
            "unit": np.array([unit for _, _, unit in self.variables for _ in range(n)], dtype=object),
        }

    def trend_columns(self) -> dict:
        """:meth:`trend_rows` as columns (text columns as objects)."""
        rows = self.trend_rows()
        columns = {}
        for column in rows[0]:
            values = [r[column] for r in rows]
            columns[column] = np.array(values, dtype=object if isinstance(values[0], str) else None)
        return columns

    def report(self, inputs=None, version=""):
        """The report (:func:`core.carbon.climate_report.climate_report`); ``inputs``: label → layer."""
        return climate_report(
            self.years,
            self.variables,
            self.means(),
            self.fits,
            self.trend_rows(),
            self.direction,
            self.alpha,
            inputs=inputs,
            version=version,
        )


def regional_climate_trend(years, variables, accumulators, *, alpha=0.05, aridity_higher_is_wetter=True):
    """Trends of the regional climate series and the direction of the climate they show.

    Parameters
    ----------
    years : array_like of int, shape (n,)
        Strictly increasing years, at least 4.
    variables : sequence of (key, label, unit)
        ``key`` one of :data:`VARIABLES`; temperature and precipitation are required. ``label`` names
        the variable in the tables and the report, ``unit`` labels its values ("°C", "mm", "" for none).
    accumulators : dict of key → core.carbon.climate.RegionalMean
        The regional sums of each variable over the pixels valid in every year.
    alpha : float, default 0.05
        Significance level of the direction, in (0, 1).
    aridity_higher_is_wetter : bool, default True
        The aridity index convention: P/PET (higher is wetter, UNEP 1992) or PET/P.

    Returns
    -------
    RegionalClimate

    Raises
    ------
    ValueError
        A variable key that is unknown or repeated, temperature or precipitation missing, an accumulator
        missing, of another number of years or without a pixel valid in every year, fewer than 4 years,
        ``alpha`` out of (0, 1).

    Notes
    -----
    Per variable: the regional mean of year t, ``x̄ₜ = Σ aᵢ xᵢₜ / Σ aᵢ`` over the pixels i valid in every
    year (aᵢ the true pixel area), its Theil–Sen slope with the Mann–Kendall test and its least-squares
    line (:func:`core.carbon.climate.series_trend`); the direction from the Sen slopes and Mann–Kendall p
    (:func:`core.carbon.climate.climate_direction`).

    Examples
    --------
    >>> years = list(range(2001, 2009))
    >>> accs = {"temperature": RegionalMean(8), "precipitation": RegionalMean(8)}
    >>> accs["temperature"].add([[8.0 + 0.1 * k] for k in range(8)], [1e4])
    >>> accs["precipitation"].add([[v] for v in (400, 390, 405, 380, 395, 385, 398, 378)], [1e4])
    >>> climate = regional_climate_trend(years, [("temperature", "Temperature", "°C"),
    ...                                          ("precipitation", "Precipitation", "mm")], accs)
    >>> climate.direction
    'Temperature: +0.1 °C/a (p < 0.001), precipitation: -1.9 mm/a (p = 0.27): warming, with a non-significant drying tendency (alpha = 0.05).'
    >>> [(r["variable"], r["n_years"], r["pixels"]) for r in climate.trend_rows()]
    [('Temperature', 8, 1), ('Precipitation', 8, 1)]
    """
    variables = [(str(key), str(label), str(unit or "")) for key, label, unit in variables]
    keys = [key for key, _, _ in variables]
    _check_variables(keys, accumulators)
    n = len(years)
    for key, label, _ in variables:
        acc = accumulators[key]
        if acc.n_years != n:
            raise ValueError(f"{label}: the regional sums hold {acc.n_years} years; the series has {n}")
        if acc.pixels_ == 0:
            raise ValueError(f"{label}: no pixel has a valid value in every one of the {n} years.")
    fits = {key: series_trend(years, accumulators[key].means()) for key in keys}
    args = {key: (fits[key]["sen_slope"], fits[key]["mk_p"], unit) for key, _, unit in variables}
    direction = climate_direction(
        args["temperature"],
        args["precipitation"],
        args.get("aridity"),
        alpha=alpha,
        aridity_higher_is_wetter=aridity_higher_is_wetter,
    )
    return RegionalClimate(years, variables, {k: accumulators[k] for k in keys}, fits, direction, alpha)


def _check_variables(keys, accumulators):
    unknown = [key for key in keys if key not in VARIABLES]
    if unknown or len(set(keys)) != len(keys):
        raise ValueError(f"variables must be distinct keys of {VARIABLES}; got {keys}")
    if "temperature" not in keys or "precipitation" not in keys:
        raise ValueError(f"variables must hold temperature and precipitation; got {keys}")
    missing = [key for key in keys if not isinstance(accumulators.get(key), RegionalMean)]
    if missing:
        raise ValueError(f"accumulators must hold a RegionalMean for {missing}")

"""The inputs of the annual carbon-density prediction: which raster is which factor, in which year (step 5).

A model knows its factors by name. The rasters offered for a prediction are either **static** (one
single-band raster per factor, named after it, used for every year) or **yearly**: per factor, one
multi-band stack named after the factor with the year in each band description, or single-band rasters
named ``<factor>_<year>`` (:func:`core.common.years.split_year`, the rule training uses too). A layer is a
stack when it has more than one band and a single year otherwise, so the two forms cannot be confused.

:func:`prediction_inputs` groups the layers into factors, matches them to the model's factors, chooses
the years (those asked for, which every yearly factor must have, or else those all of them have) and
checks that every raster is on one grid; :func:`density_kernel` predicts the density of every year of a
block. Every problem is a ``ValueError`` naming the layer or the factor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from ..common.errors import naming
from ..common.years import split_year
from ..engine import raster
from . import forest


@dataclass(frozen=True)
class FactorLayer:
    """A raster offered as a factor: its layer name, its file and its number of bands."""

    name: str
    path: str
    bands: int = 1


@dataclass
class PredictionInputs:
    """The rasters of each factor of the model, in the model's order, for the chosen years."""

    factors: list  # the model's factor names, in its column order
    stacks: dict  # "f0", "f1" … -> core.engine.raster.Stack (static: one band; yearly: one band per year)
    yearly: list  # for each factor: True for a yearly factor, False for a static one
    years: list | None  # the years predicted, or None when every factor is static (one output band)
    grid: raster.Grid
    ignored: list = field(default_factory=list)  # factors given but not used by the model (ignore_extra)
    warnings: list = field(default_factory=list)  # years some yearly factors have but not all

    @property
    def n_years(self) -> int:
        return len(self.years) if self.years is not None else 1

    def bytes_per_pixel(self) -> float:
        """Working memory per pixel of a window: input bands, the factor matrix and the outputs."""
        n_in = sum(len(s) for s in self.stacks.values())
        return 16.0 * n_in + 16.0 * self.n_years + 8.0 * len(self.factors) + 96.0


def year_list(years) -> str:
    """Years as runs: ``"2001–2003, 2005"`` for ``[2001, 2002, 2003, 2005]``; ``"none"`` for none.

    >>> year_list([2005, 2001, 2002, 2003])
    '2001–2003, 2005'
    """
    years = sorted(int(y) for y in years)
    parts, start = [], None
    for i, y in enumerate(years):
        if start is None:
            start = y
        if i + 1 == len(years) or years[i + 1] != y + 1:
            parts.append(str(start) if start == y else f"{start}–{y}")
            start = None
    return ", ".join(parts) if parts else "none"


def open_static(layers: Sequence[FactorLayer]) -> dict[str, raster.Stack]:
    """Static factors by name: each a single-band raster named after its factor."""
    stacks = {}
    for lyr in layers:
        if lyr.bands != 1:
            raise ValueError(
                f"Static factor layer '{lyr.name}' has {lyr.bands} bands; a static factor is one single-band "
                "raster. Put a stack with one band per year into Yearly factors."
            )
        stacks[lyr.name] = raster.open_band(f"Static factor '{lyr.name}'", lyr.path, lyr.name)
    return stacks


def open_yearly(layers: Sequence[FactorLayer]) -> dict[str, raster.Stack]:
    """Yearly factors by name: multi-band stacks named after the factor, or ``<factor>_<year>`` rasters."""
    stacks, singles = {}, {}
    for lyr in layers:
        if lyr.bands > 1:
            if lyr.name in stacks:
                raise ValueError(f"Yearly factor '{lyr.name}' is given twice")
            stacks[lyr.name] = _year_stack(lyr)
            continue
        factor, year = split_year(lyr.name)
        if year is None:
            raise ValueError(
                f"Yearly factor layer '{lyr.name}' has one band but its name is not <factor>_<year> (e.g. "
                "NPP_2001). Rename it, give a multi-band stack named after the factor, or put it into Static "
                "factors if it does not change with the year."
            )
        singles.setdefault(factor, []).append((year, lyr))
    for factor, items in singles.items():
        if factor in stacks:
            raise ValueError(
                f"Yearly factor '{factor}' is given twice: as the stack '{factor}' and as single-band rasters "
                f"({', '.join(lyr.name for _, lyr in items)})"
            )
        items.sort(key=lambda item: item[0])
        years = [y for y, _ in items]
        dup = sorted({y for y in years if years.count(y) > 1})
        if dup:
            raise ValueError(f"Yearly factor '{factor}': more than one layer for year {dup[0]}")
        stacks[factor] = raster.open_stack(
            f"Yearly factor '{factor}'", [lyr.path for _, lyr in items], years, [lyr.name for _, lyr in items]
        )
    return stacks


def _year_stack(lyr: FactorLayer) -> raster.Stack:
    stack = raster.open_stack(f"Yearly factor '{lyr.name}'", [lyr.path], None, [lyr.name])
    if stack.warnings:  # the years could not be read from the bands
        raise ValueError(
            f"Yearly factor layer '{lyr.name}' ({lyr.bands} bands): no year found in the band descriptions. "
            f"Set each band's description to its year (e.g. 2001), or give single-band rasters named "
            f"{lyr.name}_2001, {lyr.name}_2002 …"
        )
    return stack


def choose_years(yearly: dict[str, raster.Stack], text: str | None = None) -> tuple[list | None, list]:
    """The years to predict and warnings about years left out.

    ``text`` (e.g. ``"2001-2024"``): each of these years, which every yearly factor must have. Empty: the
    years all yearly factors have, with a warning naming the years only some have. None when every factor
    is static (then no years may be asked for).
    """
    text = (text or "").strip()
    if not yearly:
        if text:
            raise ValueError(
                "Years were given but every factor is static: the prediction would not change with the year."
            )
        return None, []
    have = {name: {int(y) for y in s.years} for name, s in yearly.items()}
    if text:
        years = [int(y) for y in raster.parse_years(text)]
        for name, got in have.items():
            missing = [y for y in years if y not in got]
            if missing:
                raise ValueError(
                    f"Yearly factor '{name}' has no raster for year {', '.join(map(str, missing))} "
                    f"(it has {year_list(got)})"
                )
        return years, []
    common = sorted(set.intersection(*have.values()))
    if not common:
        raise ValueError(
            "The yearly factors have no year in common: "
            + "; ".join(f"{n}: {year_list(got)}" for n, got in have.items())
        )
    warnings = [
        f"Yearly factor '{name}': year(s) {year_list(got - set(common))} not predicted (not every yearly "
        "factor has them)"
        for name, got in have.items()
        if got - set(common)
    ]
    return common, warnings


def prediction_inputs(
    factors: Sequence[str],
    static: Sequence[FactorLayer] = (),
    yearly: Sequence[FactorLayer] = (),
    years: str | None = None,
    ignore_extra: bool = False,
    model_name: str = "model",
) -> PredictionInputs:
    """Match the offered rasters to the model's ``factors`` and choose the years.

    Parameters
    ----------
    factors : sequence of str
        The factors of the model, in its column order.
    static, yearly : sequence of FactorLayer
        The static and the yearly factor rasters (see the module docstring for the names).
    years : str, optional
        Years to predict, e.g. ``"2001-2024"``; empty: the years every yearly factor has.
    ignore_extra : bool
        Leave out offered factors the model does not use, instead of refusing them.
    model_name : str
        Named in the message when the factors do not match the model.

    Returns
    -------
    PredictionInputs

    Raises
    ------
    ValueError
        A layer that is neither a static nor a yearly factor by its bands and name, a factor given twice or
        both static and yearly, factors that do not match the model, a year a yearly factor lacks, rasters
        on different grids.
    """
    factors = [str(f) for f in factors]
    static_stacks, yearly_stacks = open_static(static), open_yearly(yearly)
    both = sorted(set(static_stacks) & set(yearly_stacks))
    if both:
        raise ValueError(f"Factor {', '.join(both)} is given both as a static and as a yearly factor")
    ignored = []
    if ignore_extra:
        ignored = sorted((set(static_stacks) | set(yearly_stacks)) - set(factors))
        static_stacks = {k: v for k, v in static_stacks.items() if k in factors}
        yearly_stacks = {k: v for k, v in yearly_stacks.items() if k in factors}
    with naming(f"Model '{model_name}'"):
        forest.match_factors(factors, [*static_stacks, *yearly_stacks])
    chosen, warnings = choose_years(yearly_stacks, years)
    stacks, is_yearly = {}, []
    for j, factor in enumerate(factors):
        if factor in static_stacks:
            stacks[f"f{j}"] = static_stacks[factor]
        else:
            stack = yearly_stacks[factor]
            index = {int(y): i for i, y in enumerate(stack.years)}
            bands = [stack.bands[index[y]] for y in chosen]
            stacks[f"f{j}"] = raster.Stack(stack.name, bands, np.asarray(chosen), stack.grid)
        is_yearly.append(factor in yearly_stacks)
    grid = raster.check_same_grid(list(stacks.values()))
    return PredictionInputs(factors, stacks, is_yearly, chosen, grid, ignored, warnings)


def crs_warning(trained_crs_wkt: str, grid: raster.Grid, model_name: str = "model") -> str | None:
    """A warning when the rasters are in another CRS than the model's training rasters, else None."""
    if not trained_crs_wkt:
        return None
    diff = raster.Grid(trained_crs_wkt, grid.geotransform, grid.xsize, grid.ysize).difference(grid)
    if not diff:
        return None
    return (
        f"Model '{model_name}' was trained on rasters in another CRS: {diff}. The prediction goes on (factor "
        "values do not depend on the CRS), but check that these rasters are the same products, in the same "
        "units, as the training rasters."
    )


def density_kernel(predictor, inputs: PredictionInputs) -> Callable[[dict], dict]:
    """The block kernel: ``{"density": (n_years, n) float32}`` (``(n,)`` when every factor is static).

    Static factors are read once per block; for each year the yearly factors' bands of that year fill the
    factor matrix, which :func:`core.carbon.forest.predict_block` predicts.
    """
    keys = list(inputs.stacks)
    n_years, n_f = inputs.n_years, len(keys)

    def kernel(blocks):
        n = blocks[keys[0]].shape[1]
        X = np.empty((n_f, n), dtype=np.float32)
        out = np.empty((n_years, n), dtype=np.float32)
        for j, key in enumerate(keys):
            if not inputs.yearly[j]:
                X[j] = blocks[key][0]
        for t in range(n_years):
            for j, key in enumerate(keys):
                if inputs.yearly[j]:
                    X[j] = blocks[key][t]
            out[t] = forest.predict_block(predictor, X)
        return {"density": out if inputs.years is not None else out[0]}

    return kernel


OUTPUT_KEYS = ("density", "lower", "upper", "di", "aoa")
"""What :func:`model_kernel` can write: density, interval bounds, dissimilarity index, AOA mask."""


def model_kernel(carbon_model, inputs: PredictionInputs, keys=("density",)) -> Callable[[dict], dict]:
    """The block kernel of a :class:`core.carbon.model.CarbonModel`: the requested ``keys`` per year.

    Parameters
    ----------
    carbon_model : core.carbon.model.CarbonModel
    inputs : PredictionInputs
    keys : sequence of str, subset of :data:`OUTPUT_KEYS`
        ``"lower"`` / ``"upper"`` need a model with an interval, ``"di"`` / ``"aoa"`` one with an area of
        applicability (``ValueError`` naming how to get one otherwise).

    Returns
    -------
    callable
        ``blocks → dict``: each key ``(n_years, n)`` float32 (``(n,)`` when every factor is static), and
        the per-pixel counters ``predicted`` (a density in some year), ``outside_range`` (some factor
        outside the range of the training points in some year; only when the model file holds them) and, with ``"di"`` or ``"aoa"``,
        ``outside_aoa`` (outside the area of applicability in some year).
    """
    keys = tuple(keys)
    unknown = [k for k in keys if k not in OUTPUT_KEYS]
    if unknown:
        raise ValueError(f"unknown prediction output(s) {unknown}; choose from {', '.join(OUTPUT_KEYS)}")
    interval = "lower" in keys or "upper" in keys
    applicability = "di" in keys or "aoa" in keys
    if interval and not carbon_model.has_interval:
        raise ValueError("this model has no prediction interval: retrain it with an interval level above 0")
    if applicability and not carbon_model.has_applicability:
        raise ValueError(
            "this model has no area of applicability: retrain it with this plugin's version 2 model"
        )
    names = list(inputs.stacks)
    n_years, n_f = inputs.n_years, len(names)
    ranged = carbon_model.factor_range is not None  # a version-1 file holds no training points

    def kernel(blocks):
        n = blocks[names[0]].shape[1]
        X = np.empty((n_f, n), dtype=np.float32)
        out = {k: np.empty((n_years, n), dtype=np.float32) for k in keys}
        counts = {"predicted": np.zeros(n, dtype=bool)}
        if ranged:
            counts["outside_range"] = np.zeros(n, dtype=bool)
        if applicability:
            counts["outside_aoa"] = np.zeros(n, dtype=bool)
        for j, name in enumerate(names):
            if not inputs.yearly[j]:
                X[j] = blocks[name][0]
        for t in range(n_years):
            for j, name in enumerate(names):
                if inputs.yearly[j]:
                    X[j] = blocks[name][t]
            got = carbon_model.predict_block(X, interval, applicability)
            for k in keys:
                out[k][t] = got[k]
            counts["predicted"] |= np.isfinite(got["density"])
            if ranged:
                counts["outside_range"] |= carbon_model.outside_range(X)
            if applicability:
                counts["outside_aoa"] |= got["aoa"] == 0.0
        result = {k: (v if inputs.years is not None else v[0]) for k, v in out.items()}
        return result | counts

    return kernel

"""The sample augmentation workflow (METHOD.md step 2): from measured plots to measured + derived points.

:func:`augment_samples` runs the steps of :mod:`core.carbon.augment` in order:

1. the plots are sampled on the rasters: stratum code and NPP at each plot; plots outside the rasters, on
   stratum or NPP nodata, or without a carbon density are listed and left out of the stratum means;
2. the mean carbon density and mean NPP of the plots of each stratum (a stratum whose plots' mean NPP
   is not positive cannot transfer carbon and gets no points);
3. one pass over the stratum raster counts the pixels and true area of every stratum;
4. the points are allocated to the strata that have plots (a total split by area, or a number each);
5. random pixel centres are drawn in each stratum, at least the minimum spacing from every other point
   and from the measured plots;
6. each derived point's carbon density is transferred by the NPP ratio,
   ``C_r = C̄_s × NPP_r / NPP̄_s``.

The result holds everything the log reports and the output columns (measured plots first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..engine import raster
from . import augment


@dataclass
class MeasuredPlots:
    """The measured plots: coordinates in the rasters' CRS, carbon density (NaN if none), ids for the log."""

    layer: str
    x: np.ndarray
    y: np.ndarray
    carbon: np.ndarray
    labels: list  # plot id, or "feature <fid>"
    ids: list = field(default_factory=list)  # the plot_id written to the output (labels when empty)

    def __len__(self):
        return int(np.asarray(self.x).size)


@dataclass
class Augmentation:
    """What :func:`augment_samples` found and drew."""

    plots: MeasuredPlots
    sample: PlotSample
    means: dict  # stratum -> augment.StratumMean, the strata that transfer carbon
    no_positive_npp: list  # strata with plots whose mean NPP is not positive: no points
    counts: dict  # stratum -> augment.StratumCount, every stratum of the raster
    allocation: dict  # stratum -> points asked for
    points: augment.RandomPoints
    npp_r: np.ndarray  # NPP at each derived point
    carbon_r: np.ndarray  # transferred carbon density of each derived point

    @property
    def unsampled(self) -> list:
        """Strata of the raster without a measured plot (they get no points)."""
        return [c for c in self.counts if c not in self.means and c not in self.no_positive_npp]

    def columns(self, combined: bool) -> dict:
        """The output fields, measured plots first: plot_id, carbon_density, source, stratum, npp, and
        climate_zone, ecosystem_type when the strata are ``combined`` (climate zone × ecosystem type)."""
        n_m, n_d = len(self.plots), len(self.points)
        stratum = np.concatenate([self.sample.codes, self.points.stratum.astype(float)])
        out = {
            "plot_id": list(self.plots.ids or self.plots.labels) + [None] * n_d,
            "carbon_density": np.concatenate([self.plots.carbon, self.carbon_r]),
            "source": ["measured"] * n_m + ["derived"] * n_d,
            "stratum": stratum,
            "npp": np.concatenate([self.sample.npp, self.npp_r]),
        }
        if combined:
            out["climate_zone"] = np.floor(stratum / augment.ECOSYSTEM_FACTOR)
            out["ecosystem_type"] = np.mod(stratum, augment.ECOSYSTEM_FACTOR)
        return out

    def xy(self) -> tuple[np.ndarray, np.ndarray]:
        return np.concatenate([self.plots.x, self.points.x]), np.concatenate([self.plots.y, self.points.y])


@dataclass
class PlotSample:
    """What the rasters hold at the plots, and which plots cannot enter the stratum means."""

    codes: np.ndarray  # stratum of each plot (float, NaN where none)
    npp: np.ndarray  # NPP at each plot
    inside: np.ndarray  # bool: the plot is inside the rasters
    problems: list  # (plot label, why) of the plots left out of the stratum means, in plot order


def sample_plots(plots: MeasuredPlots, npp, stratum=None, climate=None, ecosystem=None) -> PlotSample:
    """Stratum code and NPP at each plot (one-band stacks: NPP and ``stratum`` or ``climate`` + ``ecosystem``)."""
    npp_p = raster.sample_at_points(npp, plots.x, plots.y)[:, 0]
    if stratum is not None:
        values = raster.sample_at_points(stratum, plots.x, plots.y)[:, 0]
        codes = augment.stratum_codes(values, stratum.bands[0].layer)
    else:
        codes = augment.combine_strata(
            raster.sample_at_points(climate, plots.x, plots.y)[:, 0],
            raster.sample_at_points(ecosystem, plots.x, plots.y)[:, 0],
            climate.bands[0].layer,
            ecosystem.bands[0].layer,
        )
    codes = codes.astype(float)
    codes[codes == augment.NO_STRATUM] = np.nan
    inside = npp.grid.contains(plots.x, plots.y)
    problems = []
    for i, label in enumerate(plots.labels):
        if not inside[i]:
            problems.append((label, "outside the rasters"))
        elif np.isnan(codes[i]):
            problems.append((label, "on stratum nodata"))
        elif np.isnan(npp_p[i]):
            problems.append((label, "on NPP nodata"))
        elif np.isnan(plots.carbon[i]):
            problems.append((label, "no carbon density"))
    return PlotSample(codes, npp_p, inside, problems)


def _scaled(progress, start, stop):
    if progress is None:
        return None
    return lambda percent: progress(start + (stop - start) * percent / 100.0)


def augment_samples(
    plots: MeasuredPlots,
    sample: PlotSample,
    grid: augment.StratumGrid,
    npp: raster.Stack,
    n_points: int = 400,
    mode: str = "area",
    spacing: float = 500.0,
    seed: int = 42,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> Augmentation:
    """Derived points per stratum with carbon transferred from the measured plots by the NPP ratio.

    Parameters
    ----------
    plots : MeasuredPlots
        The measured plots, in the CRS of the rasters.
    sample : PlotSample
        What the rasters hold at the plots (:func:`sample_plots`).
    grid : augment.StratumGrid
        The strata on the rasters' grid (:func:`core.carbon.augment.strata_from_rasters`).
    npp : core.engine.raster.Stack
        The NPP raster, one band.
    n_points, mode : int, {"area", "per_stratum"}
        A total split by stratum area, or a number per stratum (:func:`augment.allocate_points`).
    spacing : float
        Minimum distance in metres between points and to the plots.
    seed : int
        Seed of the draw: the same seed gives the same points.
    progress, is_cancelled : callable, optional
        ``progress(percent)`` over the two passes; ``is_cancelled()`` polled before each window (raises
        :class:`core.common.errors.Cancelled`).

    Returns
    -------
    Augmentation

    Raises
    ------
    ValueError
        No plot inside the rasters; no plot with a carbon density, a stratum and an NPP value; bad codes.
    """
    if not sample.inside.any():
        raise ValueError(
            f"None of the {len(plots):,} plots of layer '{plots.layer}' falls inside the rasters "
            f"('{npp.bands[0].layer}'). Check that they cover the same area; plots are transformed to the "
            "rasters' CRS."
        )
    means = augment.stratum_means(sample.codes, plots.carbon, sample.npp)
    no_positive_npp = sorted(c for c, m in means.items() if not m.npp > 0)
    means = {c: m for c, m in means.items() if m.npp > 0}
    if not means:
        raise ValueError(
            f"No plot of layer '{plots.layer}' has a carbon density, a stratum and an NPP value; nothing to "
            "transfer (see the list of plots above)."
        )
    counts = augment.count_strata(grid, _scaled(progress, 0, 40), is_cancelled)
    allocation = augment.allocate_points(n_points, {s: counts[s].area_m2 for s in counts if s in means}, mode)
    points = augment.random_points_in_strata(
        grid,
        allocation,
        spacing,
        seed,
        fixed_xy=np.column_stack([plots.x, plots.y])[sample.inside],
        counts=counts,
        progress=_scaled(progress, 40, 100),
        is_cancelled=is_cancelled,
    )
    npp_r = raster.sample_at_points(npp, points.x, points.y)[:, 0]
    carbon_r = augment.transfer_carbon(npp_r, points.stratum, means)
    return Augmentation(plots, sample, means, no_positive_npp, counts, allocation, points, npp_r, carbon_r)

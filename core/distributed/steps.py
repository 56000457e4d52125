"""The steps a job may name, with the algorithms' own parameter names, and their per-chunk kernels.

A step turns a job (``inputs``, ``outputs``, ``parameters``) into a :class:`Plan`: the input stacks
(opened with :func:`core.engine.raster.open_stack`, checked on one grid), the kernel — the plugin's
own pure kernel from :mod:`core.stats` or :mod:`core.carbon`, bound to its parameters with
:func:`functools.partial` so that it pickles to the workers by reference — and the outputs as
:class:`core.engine.raster.OutputSpec` with the same description, type, classes and style as the
algorithm's. The defaults are the algorithms' defaults.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..carbon import storage
from ..common import classes, style
from ..engine import raster
from ..stats import hurst, stability, trend


class JobError(ValueError):
    """A job names an unknown step, misses an input or output, or has a parameter value that is wrong."""


@dataclass
class Plan:
    """What a runner needs to run a step chunk by chunk."""

    step: str
    inputs: dict[str, raster.Stack]
    kernel: Callable[[dict], dict]
    outputs: list[raster.OutputSpec]
    min_valid: dict[str, int]
    bytes_per_pixel: float
    counters: tuple[str, ...] = ()
    pixel_area: bool = False
    totals: Callable | None = None  # per-chunk partial sums of an exact reduction (storage totals)
    warnings: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------------------ job values
def _value(job, name, default=None):
    for section in ("parameters", "inputs"):
        if name in (job.get(section) or {}):
            value = job[section][name]
            return default if value is None or value == "" else value
    return default


def _sources(job, name, role):
    value = (job.get("inputs") or {}).get(name)
    if value in (None, "", []):
        raise JobError(f"{role}: the job's inputs need '{name}' (a raster path, or a list of one per year)")
    items = [value] if isinstance(value, str) else list(value)
    if not all(isinstance(v, str) for v in items):
        raise JobError(f"{role}: '{name}' must be a path or a list of paths; got {value!r}")
    return items


def _stack(job, name, role, years_name=None):
    nodata = _value(job, name + "_NODATA")
    years = _value(job, years_name) if years_name else None
    if isinstance(years, (list, tuple)):
        years = ",".join(str(int(y)) for y in years)
    sources = _sources(job, name, role)
    return raster.open_stack(role, sources, years, nodata=None if nodata is None else float(nodata))


def _number(job, name, default, kind=float):
    value = _value(job, name, default)
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise JobError(f"parameter '{name}' must be a number; got {value!r}") from None


def _bool(job, name, default):
    value = _value(job, name, default)
    if isinstance(value, str):
        if value.strip().lower() in ("true", "1", "yes"):
            return True
        if value.strip().lower() in ("false", "0", "no"):
            return False
        raise JobError(f"parameter '{name}' must be true or false; got {value!r}")
    return bool(value)


def _enum(job, name, options):
    """An enum parameter given as the algorithm's index (0, 1…) or as the option's name."""
    value = _value(job, name, 0)
    if isinstance(value, str) and value in options:
        return value
    try:
        return options[int(value)]
    except (TypeError, ValueError, IndexError):
        raise JobError(
            f"parameter '{name}' must be one of {', '.join(options)} (or 0…{len(options) - 1})"
        ) from None


def _output(job, name, description, **kwargs):
    path = (job.get("outputs") or {}).get(name)
    if not path:
        return None
    if not str(path).lower().endswith((".tif", ".tiff")):
        raise JobError(f"output '{name}' must be a GeoTIFF (.tif); got {path}")
    return raster.OutputSpec(
        key=kwargs.pop("key"), path=str(path), description=description, name=name, **kwargs
    )


def _min_valid(job, n):
    share = _number(job, "MIN_VALID_PERCENT", 75.0)
    try:
        return raster.min_valid_years(n, share)
    except ValueError as exc:
        raise JobError(f"parameter 'MIN_VALID_PERCENT': {exc}") from None


def _outputs(*specs):
    specs = [s for s in specs if s is not None]
    if not specs:
        raise JobError("no output requested: name at least one output file in the job's 'outputs'")
    return specs


# -------------------------------------------------------------------------------------------- kernels
def sen_mann_kendall_kernel(blocks, years, method, alpha, five):
    """The kernel of ``carbonsink:senmannkendall``: slope, z, p, S, trend class."""
    res = trend.sen_mann_kendall(blocks["stack"], years, method=method)
    res["class"] = trend.trend_class(res["slope"], res["p"], alpha=alpha, five_class=five)
    return res


def cv_kernel(blocks, breaks):
    """The kernel of ``carbonsink:coefficientofvariation``: Cv, its class, the not-positive flag."""
    cv = stability.coefficient_of_variation(blocks["stack"])
    return {
        "cv": cv,
        "class": stability.cv_class(cv, breaks),
        "not_positive": stability.not_positive_series(blocks["stack"]),
    }


def hurst_kernel(blocks, method, differences, min_windows):
    """The kernel of ``carbonsink:hurstexponent``."""
    return {
        "hurst": hurst.hurst_rs(
            blocks["stack"], method=method, differences=differences, min_windows=min_windows
        )
    }


def storage_kernel(blocks):
    """The kernel of ``carbonsink:carbonstorage``: storage per pixel and year (t), the negative flag."""
    return {
        "storage": storage.storage_from_density(blocks["density"], blocks["pixel_area_m2"]),
        "negative": storage.negative_density_pixels(blocks["density"]),
    }


def storage_partials(results, packed):
    """Per-chunk partial sums of the storage totals, each an exactly rounded ``math.fsum``.

    Returns ``{"pixels": int, "area_m2": float, "storage_t": [float per year], "incomplete": int}``.
    """
    import math

    s = np.asarray(results["storage"], dtype=float)
    area = np.asarray(packed["pixel_area_m2"], dtype=float).ravel()
    complete = np.all(np.isfinite(s), axis=0)
    return {
        "pixels": int(np.count_nonzero(complete)),
        "incomplete": int(np.count_nonzero(~complete)),
        "area_m2": math.fsum(area[complete].tolist()),
        "storage_t": [math.fsum(row[complete].tolist()) for row in s],
    }


# -------------------------------------------------------------------------------------------- steps
def plan_senmannkendall(job) -> Plan:
    stack = _stack(job, "INPUT", "Yearly stack", "YEARS")
    method = _enum(job, "METHOD", ("original", "hamed_rao"))
    alpha = _number(job, "ALPHA", 0.05)
    five = _bool(job, "FIVE_CLASSES", False)
    if not 0.0001 <= alpha <= 0.5:
        raise JobError(f"parameter 'ALPHA' must be in [0.0001, 0.5]; got {alpha}")
    if five and alpha <= 0.01:
        raise JobError("With five classes 'ALPHA' must be above 0.01 (the inner split is at p < 0.01).")
    n = len(stack.years)
    scheme = classes.trend_scheme(alpha, five)
    years = np.asarray(stack.years)
    warning = trend.check_series_length(n)
    outputs = _outputs(
        _output(job, "SLOPE", "Sen slope per year", key="slope", ramp=style.DIVERGING, symmetric=True),
        _output(job, "TREND_CLASS", scheme.title, key="class", dtype="uint8", scheme=scheme),
        _output(job, "Z_SCORE", "Mann-Kendall Z", key="z", ramp=style.DIVERGING, symmetric=True),
        _output(job, "P_VALUE", "Mann-Kendall p-value", key="p"),
        _output(job, "S", "Mann-Kendall S", key="s"),
    )
    return Plan(
        "senmannkendall",
        {"stack": stack},
        functools.partial(sen_mann_kendall_kernel, years=years, method=method, alpha=alpha, five=five),
        outputs,
        {"stack": _min_valid(job, n)},
        24.0 * n + 256.0,
        counters=("correction_fallback",),
        warnings=[warning] if warning else [],
    )


def plan_coefficientofvariation(job) -> Plan:
    stack = _stack(job, "INPUT", "Yearly stack", "YEARS")
    classify = _bool(job, "CLASSIFY", True)
    text = str(_value(job, "BREAKS", "0.05,0.10,0.15,0.20"))
    try:
        breaks = tuple(float(v) for v in text.replace(";", ",").split(",") if v.strip())
        scheme = stability.cv_scheme(breaks)
    except ValueError as exc:
        raise JobError(f"parameter 'BREAKS' ({text!r}): {exc}") from None
    n = len(stack)
    outputs = _outputs(
        _output(job, "CV", "Coefficient of variation", key="cv", ramp=style.SEQUENTIAL_STABILITY),
        _output(job, "CV_CLASS", "Stability class", key="class", dtype="uint8", scheme=scheme)
        if classify
        else None,
    )
    return Plan(
        "coefficientofvariation",
        {"stack": stack},
        functools.partial(cv_kernel, breaks=breaks),
        outputs,
        {"stack": _min_valid(job, n)},
        24.0 * n + 64,
        counters=("not_positive",),
    )


def plan_hurstexponent(job) -> Plan:
    stack = _stack(job, "INPUT", "Yearly stack", "YEARS")
    method = _enum(job, "RS_CONVENTION", ("expanding", "mandelbrot_wallis"))
    differences = _bool(job, "DIFFERENCES", False)
    n = len(stack)
    n_windows = n - (2 if differences else 1)
    min_windows = max(3, (n_windows + 1) // 2)
    if n_windows < min_windows:
        raise JobError(
            f"Layer '{stack.bands[0].layer}' has {n} years; R/S analysis needs at least "
            f"{min_windows + (2 if differences else 1)} years{' with first differences' if differences else ''}."
        )
    outputs = _outputs(_output(job, "HURST", "Hurst exponent", key="hurst", ramp=style.DIVERGING))
    return Plan(
        "hurstexponent",
        {"stack": stack},
        functools.partial(hurst_kernel, method=method, differences=differences, min_windows=min_windows),
        outputs,
        {"stack": _min_valid(job, n)},
        48.0 * n * n + 64,
    )


def plan_carbonstorage(job) -> Plan:
    density = _stack(job, "CARBON_DENSITY", "Carbon density stack", "CARBON_DENSITY_YEARS")
    density.grid.require_crs(density.bands[0].layer)
    years = density.years
    n = len(years)
    spec = _output(
        job,
        "STORAGE",
        "Carbon storage (t)",
        key="storage",
        band_descriptions=tuple(str(y) for y in years),
        ramp=style.SEQUENTIAL,
    )
    return Plan(
        "carbonstorage",
        {"density": density},
        storage_kernel,
        [spec] if spec is not None else [],
        {"density": n},
        48.0 * n + 64,
        counters=("negative",),
        pixel_area=True,
        totals=storage_partials,
    )


STEPS = {
    "senmannkendall": plan_senmannkendall,
    "coefficientofvariation": plan_coefficientofvariation,
    "hurstexponent": plan_hurstexponent,
    "carbonstorage": plan_carbonstorage,
}


def plan(job) -> Plan:
    """The :class:`Plan` of ``job`` (a dict with ``step``, ``inputs``, ``outputs``, ``parameters``)."""
    if not isinstance(job, dict):
        raise JobError(
            f"a job is a JSON object with 'step', 'inputs', 'outputs', 'parameters'; got {type(job).__name__}"
        )
    step = str(job.get("step", "")).split(":")[-1]  # 'carbonsink:senmannkendall' or 'senmannkendall'
    if step not in STEPS:
        raise JobError(
            f"unknown step {job.get('step')!r}; the steps that run on a cluster: {', '.join(STEPS)}"
        )
    unknown = set(job) - {"step", "inputs", "outputs", "parameters"}
    if unknown:
        raise JobError(
            f"unknown job keys {sorted(unknown)}; a job has 'step', 'inputs', 'outputs', 'parameters'"
        )
    return STEPS[step](job)

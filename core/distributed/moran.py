"""Global Moran's I and LISA of a raster band on the chunk grid, with halos read directly.

The passes of :mod:`core.spatial.moran_raster`, each a map over the chunks with a halo of one cell (two
for the global statistic's weight sums, which need the neighbours' neighbour counts), read by
:func:`core.distributed.io.read_chunk` as a larger window — no ``map_overlap``, no exchange between tasks:

1. scan — per chunk the analysed cells (valid, with a valid neighbour), the valid and isolated cells, the
   sum of the analysed values (``math.fsum``), the largest neighbour count;
2. moments — ``Σz²``, ``Σz⁴`` and, for the global statistic, ``Σ wᵢⱼ zᵢ zⱼ``, ``S₁``, ``S₂`` (each
   ``math.fsum`` per chunk, then over the chunks in grid order);
3. local — ``Iᵢ``, its analytic z and p (Anselin 1995 moments, :func:`core.spatial.moran.analytic_inference`),
   the quadrant and the cluster class, each chunk written to its own file.

Weights: queen or rook contiguity, row-standardised over the valid neighbours, as the plugin's.
Inference: analytic. The plugin's permutation inference draws one shared matrix of positions into the
packed analysed cells in strip order; it is not offered here (an ``INFERENCE`` other than analytic, FDR
and ``AGGREGATE`` > 1 are refused with a message).
"""

from __future__ import annotations

import math

import numpy as np

from ..common.style import paletted_qml, pseudocolor_qml
from ..engine import raster
from ..spatial import moran as mk
from ..spatial.moran_raster import inference_label
from . import io
from .steps import JobError, _bool, _enum, _number, _sources

LISA_RAMP = ("#2c7bb6", "#abd9e9", "#ffffbf", "#fdae61", "#d7191c")  # as algorithms/local_moran.py
P_RAMP = ("#67000d", "#ef3b2c", "#fcbba1", "#fff5f0", "#ffffff")
_MORAN_BYTES_PER_PIXEL = 160.0


def _band(job):
    sources = _sources(job, "INPUT_RASTER", "Raster")
    if len(sources) != 1:
        raise JobError("'INPUT_RASTER' must be one raster")
    band = int(_number(job, "BAND", 1, int))
    stack = raster.open_stack("Raster", sources, None)
    if not 1 <= band <= len(stack.bands):
        raise JobError(
            f"Layer '{stack.bands[0].layer}' has {len(stack.bands)} band(s); band {band} does not exist"
        )
    return raster.Stack(stack.name, [stack.bands[band - 1]], np.zeros(1, dtype=np.int64), stack.grid)


def _common(job, step):
    stack = _band(job)
    contiguity = _enum(job, "WEIGHTS", mk.CONTIGUITIES)
    if int(_number(job, "AGGREGATE", 1, int)) != 1:
        raise JobError(
            f"{step} on a cluster: 'AGGREGATE' must be 1 (aggregate the raster first, e.g. gdalwarp -r average)"
        )
    return stack, contiguity


def _output(job, names, description, **kwargs):
    for name in names:
        path = (job.get("outputs") or {}).get(name)
        if path:
            return raster.OutputSpec(
                key=kwargs.pop("key"), path=str(path), description=description, name=name, **kwargs
            )
    return None


def _read(stack, window, halo):
    return io.read_chunk(stack, window, {}, halo=halo)[0].astype(np.float64)


# ------------------------------------------------------------------------------------------- tasks
def scan_chunk(chunk, stack, contiguity):
    block = _read(stack, chunk.window, 1)
    valid = ~np.isnan(block)
    card = mk.neighbour_sum(valid, contiguity)
    inner = valid[1:-1, 1:-1]
    analysed = inner & (card > 0)
    values = block[1:-1, 1:-1][analysed]
    return {
        "index": chunk.index,
        "n": int(analysed.sum()),
        "n_valid": int(inner.sum()),
        "n_isolated": int((inner & (card == 0)).sum()),
        "total": math.fsum(values.tolist()),
        "max_card": int(card[analysed].max()) if values.size else 0,
    }


def moments_chunk(chunk, stack, mean, contiguity, weights):
    """``Σz²``, ``Σz⁴`` and with ``weights`` ``Σwzz``, ``S₁``, ``S₂`` of one chunk, as the plugin's pass 2."""
    halo = 2 if weights else 1
    block = _read(stack, chunk.window, halo)
    valid = ~np.isnan(block)
    card1 = mk.neighbour_sum(valid, contiguity)
    analysed1 = valid[1:-1, 1:-1] & (card1 > 0)
    z1 = np.where(analysed1, block[1:-1, 1:-1] - mean, 0.0)
    out = {"index": chunk.index}
    if weights:
        inv1 = np.where(analysed1, 1.0 / np.maximum(card1, 1), 0.0)
        core = (slice(1, -1), slice(1, -1))
        analysed, z = analysed1[core], z1[core]
        zl = mk.neighbour_sum(z1, contiguity)
        inv_sum = mk.neighbour_sum(inv1, contiguity)
        inv2_sum = mk.neighbour_sum(inv1 * inv1, contiguity)
        inv = inv1[core]
        out["zwz"] = math.fsum((z * zl * inv)[analysed].tolist())
        out["s1"] = 0.5 * math.fsum((inv + 2.0 * inv * inv_sum + inv2_sum)[analysed].tolist())
        out["s2"] = math.fsum(((1.0 + inv_sum) ** 2)[analysed].tolist())
    else:
        analysed, z = analysed1, z1
    zs = z[analysed]
    z2 = zs * zs
    out["z2"] = math.fsum(z2.tolist())
    out["z4"] = math.fsum((z2 * z2).tolist())
    return out


def local_chunk(chunk, stack, stats, contiguity, alpha, specs, folders):
    """Iᵢ, z, p, quadrant and cluster of one chunk, written to its chunk files; class counts returned."""
    block = _read(stack, chunk.window, 1)
    valid = ~np.isnan(block)
    card = mk.neighbour_sum(valid, contiguity)
    inner = valid[1:-1, 1:-1]
    analysed = inner & (card > 0)
    isolated = inner & (card == 0)
    dev = np.where(valid, block - stats["mean"], 0.0)
    index = np.flatnonzero(analysed.ravel())
    c = card.ravel()[index].astype(np.int64)
    lag = mk.neighbour_sum(dev, contiguity).ravel()[index] / c
    z = dev[1:-1, 1:-1].ravel()[index]
    ii = z * lag / stats["m2"]
    zs, p = mk.analytic_inference(ii, c, stats["n"], stats["b2"])
    quad = mk.quadrant(z, lag)
    values = {"Ii": ii, "z": zs, "p": p, "quadrant": quad, "cluster": mk.lisa_clusters(quad, p, alpha)}
    size = chunk.nrows * chunk.ncols
    grid = stack.grid
    areas = grid.pixel_areas(chunk.window).reshape(-1) if grid.has_crs else None
    partial = {
        "index": chunk.index,
        "sum_ii": math.fsum(ii.tolist()),
        "class_pixels": {},
        "class_area": {},
        "sample": {},
    }
    for spec in specs:
        if spec.dtype == "uint8":
            out = np.full(size, 0, dtype=np.uint8)
            out[index] = values[spec.key]
            out[isolated.ravel()] = mk.ISOLATED
            codes = out.astype(np.intp)
            partial["class_pixels"][spec.key] = np.bincount(codes, minlength=256).astype(np.int64)
            if areas is not None:
                partial["class_area"][spec.key] = np.bincount(codes, weights=areas, minlength=256)
        else:
            full = np.full(size, np.nan)
            full[index] = values[spec.key]
            out = np.where(np.isfinite(full), full, spec.nodata).astype(np.float32)
            finite = full[np.isfinite(full)]
            partial["sample"][spec.key] = (
                finite[:: max(1, finite.size // 4000)].copy() if finite.size else finite
            )
        io.write_part(
            folders[spec.key], chunk.name, spec, grid, chunk.window, out.reshape(1, chunk.nrows, chunk.ncols)
        )
    return partial


# ------------------------------------------------------------------------------------------- the job
def _scan(executor, chunks, stack, contiguity, progress):
    parts = executor.map(scan_chunk, chunks, progress, stack=stack, contiguity=contiguity)
    parts = sorted(parts, key=lambda p: p["index"])
    scan = {k: sum(p[k] for p in parts) for k in ("n", "n_valid", "n_isolated")}
    scan["total"] = math.fsum(p["total"] for p in parts)
    if scan["n"] < 4:
        raise raster.RasterInputError(
            f"'{stack.bands[0].layer}': Moran's I needs at least 4 valid cells with a valid neighbour; found "
            f"{scan['n']} ({scan['n_valid']} valid cells, {scan['n_isolated']} of them isolated)"
        )
    scan["mean"] = scan["total"] / scan["n"]
    return scan


def _moments(executor, chunks, stack, mean, contiguity, weights, progress):
    parts = sorted(
        executor.map(
            moments_chunk, chunks, progress, stack=stack, mean=mean, contiguity=contiguity, weights=weights
        ),
        key=lambda p: p["index"],
    )
    return {k: math.fsum(p[k] for p in parts) for k in parts[0] if k != "index"}


def run_global(job, executor, chunks, progress):
    """Global Moran's I (normality and randomisation inference) of the job's raster band."""
    stack, contiguity = _common(job, "globalmoran")
    permutations = int(_number(job, "PERMUTATIONS", 0, int))
    scan = _scan(executor, chunks, stack, contiguity, progress)
    mom = _moments(executor, chunks, stack, scan["mean"], contiguity, True, progress)
    result = mk.global_moran_from_sums(
        scan["n"], scan["n"], mom["s1"], mom["s2"], mom["zwz"], mom["z2"], mom["z4"]
    )
    notes = []
    if permutations > 0:
        result.p_sim = result.p_rand
        result.p_sim_method = "normal approximation (exact permutation mean and variance)"
        result.permutations = 0
        notes.append(
            "On a cluster p_sim is the normal approximation of the permutation distribution with its exact mean "
            "E[I] and variance Var_rand (Cliff & Ord 1981), i.e. p_rand, as the plugin gives above 250,000 cells."
        )
    moran = {k: (float(v) if isinstance(v, (float, np.floating)) else v) for k, v in vars(result).items()}
    return {
        "moran": moran,
        "contiguity": contiguity,
        "n_valid": scan["n_valid"],
        "n_isolated": scan["n_isolated"],
        "pixels_total": stack.grid.xsize * stack.grid.ysize,
        "pixels_computed": scan["n"],
        "warnings": notes,
        "outputs": {},
    }


def plan_local(job):
    """The LISA job's band, weights, α and outputs (keys as :mod:`core.spatial.moran_raster`)."""
    stack, contiguity = _common(job, "localmoran")
    inference = _enum(job, "INFERENCE", mk.INFERENCES)
    if inference != "analytic":
        raise JobError(
            "localmoran on a cluster: 'INFERENCE' must be analytic (1); the permutation inference needs the "
            "plugin's shared draw matrix over all cells"
        )
    if _bool(job, "FDR", False):
        raise JobError("localmoran on a cluster: the FDR correction is not offered; run with FDR false")
    alpha = _number(job, "ALPHA", 0.05)
    mk._check_alpha(alpha)
    scheme = mk.lisa_scheme(alpha, False)
    label = inference_label("analytic")
    specs = [
        _output(job, ("LISA_CLUSTER", "CLUSTER"), scheme.title, key="cluster", dtype="uint8", scheme=scheme),
        _output(
            job,
            ("LOCAL_I", "II"),
            "Local Moran's I (Anselin 1995: m2 = sum(z^2)/n; esda's Is = Ii (n-1)/n)",
            key="Ii",
            ramp=LISA_RAMP,
            symmetric=True,
        ),
        _output(job, ("Z_SCORE", "Z"), f"z-score of Ii ({label})", key="z", ramp=LISA_RAMP, symmetric=True),
        _output(job, ("P_VALUE", "P"), f"p-value of Ii ({label})", key="p", ramp=P_RAMP),
        _output(job, ("QUADRANT",), mk.QUADRANTS.title, key="quadrant", dtype="uint8", scheme=mk.QUADRANTS),
    ]
    specs = [s for s in specs if s is not None]
    if not specs:
        raise JobError("no output requested: name at least one output file in the job's 'outputs'")
    raster.check_outputs([stack], specs)
    return stack, contiguity, alpha, specs


def run_local(job, executor, chunks, progress, folders_for):
    """LISA with analytic inference: scan, moments, then the local pass writing the chunk files."""
    stack, contiguity, alpha, specs = plan_local(job)
    scan = _scan(executor, chunks, stack, contiguity, progress)
    mom = _moments(executor, chunks, stack, scan["mean"], contiguity, False, progress)
    n = scan["n"]
    if not mom["z2"] > 0:
        raise raster.RasterInputError(
            f"'{stack.bands[0].layer}': all analysed values are equal; Moran's I is undefined"
        )
    stats = {"mean": scan["mean"], "n": n, "m2": mom["z2"] / n, "b2": (mom["z4"] / n) / (mom["z2"] / n) ** 2}
    folders = folders_for(specs)
    parts = executor.map(
        local_chunk,
        chunks,
        progress,
        stack=stack,
        stats=stats,
        contiguity=contiguity,
        alpha=alpha,
        specs=specs,
        folders=folders,
    )
    parts = sorted(parts, key=lambda p: p["index"])
    report = {
        "pixels_total": stack.grid.xsize * stack.grid.ysize,
        "pixels_computed": scan["n_valid"],
        "counters": {"isolated": scan["n_isolated"], "analysed": n},
        "class_areas": {},
        "warnings": [],
        "lisa": {**stats, "global_I": math.fsum(p["sum_ii"] for p in parts) / n, "contiguity": contiguity},
    }
    styles = {}
    for spec in specs:
        if spec.scheme is not None:
            pixels = np.sum([p["class_pixels"][spec.key] for p in parts], axis=0)
            area = None
            if stack.grid.has_crs:
                area = np.array([math.fsum(p["class_area"][spec.key][c] for p in parts) for c in range(256)])
            report["class_areas"][spec.name] = [
                {
                    "code": r.code,
                    "class": r.name,
                    "pixels": r.pixels,
                    "area_ha": None if r.area_m2 is None else r.area_m2 / 1e4,
                    "share_pct": r.share_pct,
                }
                for r in raster.class_area_table(spec.scheme, pixels, area)
            ]
            styles[spec.key] = paletted_qml(spec.scheme)
        else:
            samples = [p["sample"][spec.key] for p in parts if p["sample"][spec.key].size]
            styles[spec.key] = pseudocolor_qml(*_ramp(samples, spec), spec.ramp)
    return report, specs, folders, styles, stack.grid


def _ramp(samples, spec):
    """The 2nd–98th percentile of the sampled values, as the plugin's LISA outputs (0–1 without any)."""
    if not samples:
        return 0.0, 1.0
    lo, hi = (float(v) for v in np.percentile(np.concatenate(samples), [2, 98]))
    if spec.symmetric:
        m = max(abs(lo), abs(hi)) or 1.0
        return -m, m
    return lo, hi

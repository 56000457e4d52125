"""Run a job chunk by chunk: serially, on a local cluster of N processes, or on a Dask scheduler.

Every chunk is one task (:func:`compute_chunk`): it reads its window of every input through GDAL,
drops the pixels with too few valid years, runs the plugin's kernel, writes each output's chunk to its
own file (:mod:`core.distributed.io`) and returns only small partial results — integer counts, per-class
pixel counts and areas, storage partial sums, a thinned sample for the colour ramp. The client reduces
them exactly: integers are summed as integers, floating-point partials with :func:`math.fsum` in chunk
order over a chunk grid that depends only on the input (never on the workers), so a job gives the same
numbers on 1 or 100 workers. Then each output is finished as a COG by one more task (the outputs in
parallel, each compressed on all cores of its worker).

Schedulers (``scheduler=``):

``serial``
    In this process, one chunk after another; needs no Dask.
``local:N``
    A :class:`distributed.LocalCluster` of N worker processes with one thread each, started and
    stopped by this call (``memory_limit`` per worker).
``tcp://host:port`` (or ``tls://…``)
    An existing Dask scheduler: ``dask scheduler`` and ``dask worker`` processes started by you,
    dask-jobqueue on SLURM/PBS, or dask-kubernetes. Its workers must import this package (the plugin
    folder on their ``PYTHONPATH``, see the README) and see the input and output paths.
"""

from __future__ import annotations

import importlib
import math
import os
import time
from typing import Callable

import numpy as np

from ..common.style import paletted_qml, pseudocolor_qml
from ..engine import raster
from . import io
from . import moran as moran_steps
from .chunks import Chunk, block_size, chunk_grid
from .steps import JobError, Plan, plan

SCHEDULER_HELP = (
    "serial, local:N (a local cluster of N worker processes) or a scheduler address tcp://host:port"
)
_PART_PIXELS = 65536  # pixels per kernel call, as the plugin's engine
_SAMPLE_PER_CHUNK = 4000
_SAMPLE_CAP = 200_000
DEFAULT_CHUNK_MB = 256
MORAN_STEPS = ("globalmoran", "localmoran")


# ------------------------------------------------------------------------------------------ the task
_HEAP_TUNED = []


def _tune_heap():
    """Keep glibc from returning and re-faulting each large temporary (once per worker process).

    Dask starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``, so every freed block of the kernels'
    temporaries goes back to the system and the next one is page-faulted in again; the plugin's engine
    fixes the mmap threshold at 1 MB for the same reason (``core.engine.raster``).
    """
    if _HEAP_TUNED:
        return
    _HEAP_TUNED.append(True)
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 1 << 20)  # M_MMAP_THRESHOLD: blocks above 1 MB are mmapped and unmapped at once
        libc.mallopt(-1, 256 << 20)  # M_TRIM_THRESHOLD: keep up to 256 MB of freed heap
    except (OSError, AttributeError):
        pass


def compute_chunk(chunk: Chunk, job_plan: Plan, folders: dict) -> dict:
    """Compute one chunk of ``job_plan`` and write its outputs' chunk files; return the partials."""
    _tune_heap()
    t0 = time.perf_counter()
    names = list(job_plan.inputs)
    grid = job_plan.inputs[names[0]].grid
    handles: dict = {}
    blocks = {k: io.read_chunk(job_plan.inputs[k], chunk.window, handles) for k in names}
    handles.clear()
    keep = np.ones((chunk.nrows, chunk.ncols), dtype=bool)
    valid_in = {}
    for k in names:
        n_ok = np.count_nonzero(~np.isnan(blocks[k]), axis=0)
        valid_in[k] = int(n_ok.sum())
        keep &= n_ok >= job_plan.min_valid[k]
    flat_keep = keep.ravel()
    n_keep = int(flat_keep.sum())
    class_outputs = [o for o in job_plan.outputs if o.scheme is not None]
    need_areas = job_plan.pixel_area or (bool(class_outputs) and grid.has_crs)
    areas = grid.pixel_areas(chunk.window).reshape(-1) if need_areas else None
    results: dict = {}
    partial: dict = {"index": chunk.index, "valid_in": valid_in, "computed": n_keep}
    t1 = time.perf_counter()
    if n_keep:
        packed = {k: blocks[k].reshape(blocks[k].shape[0], -1)[:, flat_keep] for k in names}
        del blocks
        if job_plan.pixel_area:
            packed["pixel_area_m2"] = areas[flat_keep][None, :]
        results = _in_parts(job_plan.kernel, packed, n_keep)
        if job_plan.totals is not None:
            partial["totals"] = job_plan.totals(results, packed)
        del packed
    else:
        del blocks
    t2 = time.perf_counter()
    partial["counters"] = {
        c: int(np.count_nonzero(results[c])) if c in results else 0 for c in job_plan.counters
    }
    partial["valid_out"], partial["class_pixels"], partial["class_area"], partial["sample"] = {}, {}, {}, {}
    for spec in job_plan.outputs:
        out = _scatter(spec, results.get(spec.key) if n_keep else None, flat_keep, chunk.nrows, chunk.ncols)
        io.write_part(folders[spec.key], chunk.name, spec, grid, chunk.window, out)
        written = out != spec.nodata
        partial["valid_out"][spec.key] = int(np.count_nonzero(written))
        if spec.scheme is not None:
            codes = out[0].ravel().astype(np.intp)
            partial["class_pixels"][spec.key] = np.bincount(codes, minlength=256).astype(np.int64)
            if grid.has_crs:
                partial["class_area"][spec.key] = np.bincount(codes, weights=areas, minlength=256)
        if spec.ramp is not None:
            values = out[written]
            partial["sample"][spec.key] = values[:: max(1, values.size // _SAMPLE_PER_CHUNK)].copy()
    partial["seconds"] = {"read": t1 - t0, "kernel": t2 - t1, "write": time.perf_counter() - t2}
    return partial


def _in_parts(kernel, packed, n):
    if n <= _PART_PIXELS:
        return kernel(packed)
    edges = np.arange(0, n, _PART_PIXELS).tolist() + [n]
    pieces = [
        kernel({k: np.ascontiguousarray(v[:, a:b]) for k, v in packed.items()})
        for a, b in zip(edges, edges[1:])
    ]
    return {key: np.concatenate([p[key] for p in pieces], axis=-1) for key in pieces[0]}


def _scatter(spec, values, flat_keep, nrows, ncols):
    """The chunk of one output, ``(n_bands, nrows, ncols)``: the kernel values at the computed pixels."""
    out = np.full((spec.n_bands, nrows * ncols), spec.nodata, dtype=spec.dtype)
    if values is not None:
        values = np.asarray(values).reshape(spec.n_bands, -1)
        if spec.dtype == "uint8":
            out[:, flat_keep] = values
        else:
            values = values.astype(np.float32)
            out[:, flat_keep] = np.where(np.isfinite(values), values, spec.nodata)
    return out.reshape(spec.n_bands, nrows, ncols)


# ------------------------------------------------------------------------------------------ schedulers
class _Serial:
    name = "serial"
    workers = 1

    def map(self, fn, items, progress, **kwargs):
        out = []
        for i, item in enumerate(items):
            out.append(fn(item, **kwargs))
            if progress:
                progress(i + 1, len(items))
        return out

    def close(self):
        pass


class _Dask:
    """A ``distributed.Client``: on a LocalCluster it starts, or on a scheduler address."""

    def __init__(self, scheduler: str, memory_limit, timeout: float):
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise JobError(
                f"the scheduler {scheduler!r} needs Dask: pip install -r requirements-cluster.txt "
                f"(dask and distributed; {exc})"
            ) from None
        self.cluster = None
        self.name = scheduler
        if scheduler.startswith("local:"):
            try:
                n = int(scheduler.split(":", 1)[1])
            except ValueError:
                n = 0
            if n < 1:
                raise JobError(f"scheduler {scheduler!r}: local:N needs a number of workers N ≥ 1")
            self.cluster = LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                memory_limit=memory_limit,
                dashboard_address=":0",  # any free port: never a clash with a running cluster
            )
            self.client = Client(self.cluster)
        else:
            try:
                self.client = Client(scheduler, timeout=timeout)
            except (OSError, TimeoutError) as exc:
                raise JobError(
                    f"the Dask scheduler at {scheduler} cannot be reached ({exc}); check the address and that "
                    "'dask scheduler' runs there"
                ) from None
        try:
            self.workers = len(self.client.scheduler_info().get("workers", {}))
            if self.workers == 0:
                try:
                    self.client.wait_for_workers(1, timeout=timeout)
                except (OSError, TimeoutError):
                    raise JobError(
                        f"no worker joined the Dask scheduler at {scheduler} within {timeout:g} s; start workers "
                        "with 'dask worker <address>' (see README: Beyond one machine)"
                    ) from None
                self.workers = len(self.client.scheduler_info().get("workers", {}))
            self._check_workers_import()
        except BaseException:
            self.close()
            raise

    def _check_workers_import(self):
        module = __name__
        answers = self.client.run(_importable, module)
        missing = sorted(w for w, ok in answers.items() if ok is not True)
        if missing:
            raise JobError(
                f"the workers {', '.join(missing)} cannot import {module} ({answers[missing[0]]}); start them "
                "with the plugin folder on their PYTHONPATH (see README: Beyond one machine)"
            )

    def map(self, fn, items, progress, **kwargs):
        from distributed import as_completed

        # hash=False: a new key each time, so a value scattered again (the next pass) never meets
        # the release of the same key from the pass before
        shared = {k: self.client.scatter(v, broadcast=True, hash=False) for k, v in kwargs.items()}
        futures = self.client.map(fn, items, pure=False, **shared)
        index = {f.key: i for i, f in enumerate(futures)}
        out = [None] * len(items)
        done = 0
        try:
            for future in as_completed(futures):
                out[index[future.key]] = future.result()
                future.release()
                done += 1
                if progress:
                    progress(done, len(items))
        finally:
            for f in futures:
                f.cancel()
        return out

    def close(self):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _finish(executor, specs, folders, styles, grid, chunks):
    """Each output's chunk files into its COG: one task per output, the outputs side by side."""
    items = [(spec, folders[spec.key], styles[spec.key]) for spec in specs]
    executor.map(io.finish_task, items, None, grid=grid, part_names=[c.name for c in chunks])
    for spec in specs:
        del folders[spec.key]


def _importable(module):
    try:
        importlib.import_module(module)
        return True
    except Exception as exc:  # noqa: BLE001 - reported to the client
        return f"{type(exc).__name__}: {exc}"


def _executor(scheduler, memory_limit, timeout):
    scheduler = (scheduler or "serial").strip()
    if scheduler == "serial":
        return _Serial()
    if scheduler.startswith("local:") or "://" in scheduler:
        return _Dask(scheduler, memory_limit, timeout)
    raise JobError(f"unknown scheduler {scheduler!r}; use {SCHEDULER_HELP}")


# ------------------------------------------------------------------------------------------ the job
def run_job(
    job: dict,
    scheduler: str = "serial",
    *,
    chunk_mb: float | None = None,
    memory_limit="auto",
    timeout: float = 30.0,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Run ``job`` on ``scheduler`` and write its outputs; return what the run saw.

    Parameters
    ----------
    job : dict
        ``{"step": "senmannkendall", "inputs": {...}, "outputs": {...}, "parameters": {...}}`` with the
        algorithm's parameter names (:mod:`core.distributed.steps`). ``parameters`` may hold
        ``MEMORY_MB``, the memory budget of one chunk (default 256 MB).
    scheduler : str
        ``"serial"``, ``"local:N"`` or a scheduler address ``"tcp://host:port"``.
    chunk_mb : float, optional
        Overrides ``MEMORY_MB``.
    memory_limit : str or int
        Per-worker memory limit of a ``local:N`` cluster (e.g. ``"512MB"``).
    timeout : float
        Seconds to wait for a scheduler address and its first worker.
    progress : callable, optional
        ``progress(done, total)`` after each chunk.

    Returns
    -------
    dict
        ``step``, ``scheduler``, ``workers``, ``chunks``, ``pixels_total``, ``pixels_computed``,
        ``counters``, ``class_areas`` (per output: code, class, pixels, area_ha, share_pct), ``totals``
        (storage steps), ``outputs`` (name → path), ``warnings``, ``seconds`` and ``timings`` (seconds
        to connect or start the cluster, to compute the chunks, to finish the COGs).

    Raises
    ------
    JobError
        A wrong job, an unknown or unreachable scheduler, Dask missing for a cluster scheduler.
    core.engine.raster.RasterInputError
        An input that cannot be read, inputs on different grids, no valid value, nothing computed; no
        output is left behind and existing files are untouched.
    """
    started = time.perf_counter()
    step = str(job.get("step", "")).split(":")[-1] if isinstance(job, dict) else ""
    if step in MORAN_STEPS:
        return _run_moran(job, step, scheduler, chunk_mb, memory_limit, timeout, progress, started)
    job_plan = plan(job)
    names = list(job_plan.inputs)
    grid = raster.check_same_grid([job_plan.inputs[k] for k in names])
    raster.check_outputs(job_plan.inputs, job_plan.outputs)
    if not job_plan.outputs and job_plan.totals is None:
        raise JobError("no output requested: name at least one output file in the job's 'outputs'")
    first = job_plan.inputs[names[0]].bands[0]
    budget = float(chunk_mb or (job.get("parameters") or {}).get("MEMORY_MB") or DEFAULT_CHUNK_MB)
    bytes_per_pixel = job_plan.bytes_per_pixel + sum(
        raster.stack_dtype(s).itemsize * len(s) for s in job_plan.inputs.values()
    )
    chunks = chunk_grid(grid.xsize, grid.ysize, block_size(first.path, first.band), bytes_per_pixel, budget)
    executor = _executor(scheduler, memory_limit, timeout)
    timings = {"connect": time.perf_counter() - started}
    folders = {}
    try:
        for spec in job_plan.outputs:
            folders[spec.key] = io.parts_folder(spec)
        partials = executor.map(compute_chunk, chunks, progress, job_plan=job_plan, folders=folders)
        timings["chunks"] = time.perf_counter() - started - timings["connect"]
        report = _reduce(job_plan, grid, partials)
        report["warnings"] = list(job_plan.warnings) + report["warnings"]
        for k in names:
            report["warnings"].extend(raster.sentinel_warnings(job_plan.inputs[k]))
        styles = report.pop("_qml")
        _finish(executor, job_plan.outputs, folders, styles, grid, chunks)
        timings["finish"] = time.perf_counter() - started - timings["connect"] - timings["chunks"]
    finally:
        workers = executor.workers
        executor.close()
        for folder in folders.values():
            io.discard(folder)
    report.update(
        step=job_plan.step,
        scheduler=executor.name,
        workers=workers,
        chunks=len(chunks),
        outputs={o.name: os.path.abspath(o.path) for o in job_plan.outputs},
        seconds=round(time.perf_counter() - started, 3),
        timings={k: round(v, 3) for k, v in timings.items()},
    )
    return report


def _reduce(job_plan: Plan, grid, partials) -> dict:
    """Sum the partials of every chunk exactly, check the result as the plugin does, make the styles."""
    partials = sorted(partials, key=lambda p: p["index"])
    names = list(job_plan.inputs)
    valid_in = {k: sum(p["valid_in"][k] for p in partials) for k in names}
    computed = sum(p["computed"] for p in partials)
    report = {
        "pixels_total": grid.xsize * grid.ysize,
        "pixels_computed": computed,
        "counters": {c: sum(p["counters"][c] for p in partials) for c in job_plan.counters},
        "task_seconds": {
            k: round(math.fsum(p["seconds"][k] for p in partials), 3) for k in ("read", "kernel", "write")
        },
        "class_areas": {},
        "warnings": [],
        "_qml": {},
    }
    _check(
        job_plan,
        valid_in,
        computed,
        {o.key: sum(p["valid_out"][o.key] for p in partials) for o in job_plan.outputs},
    )
    for spec in job_plan.outputs:
        if spec.scheme is not None:
            pixels = np.sum([p["class_pixels"][spec.key] for p in partials], axis=0)
            if grid.has_crs:
                area = np.array(
                    [math.fsum(p["class_area"][spec.key][c] for p in partials) for c in range(256)]
                )
            else:
                area = None
                report["warnings"].append(
                    raster.missing_crs_message(job_plan.inputs[names[0]].bands[0].layer, "areas left out")
                )
            rows = raster.class_area_table(spec.scheme, pixels, area)
            report["class_areas"][spec.name] = [
                {
                    "code": r.code,
                    "class": r.name,
                    "pixels": r.pixels,
                    "area_ha": None if r.area_m2 is None else r.area_m2 / 10_000.0,
                    "share_pct": r.share_pct,
                }
                for r in rows
            ]
            report["_qml"][spec.key] = paletted_qml(spec.scheme)
        elif spec.ramp is not None:
            report["_qml"][spec.key] = pseudocolor_qml(
                *_ramp_range([p["sample"][spec.key] for p in partials], spec), spec.ramp
            )
        else:
            report["_qml"][spec.key] = None
    if job_plan.totals is not None:
        report["totals"] = _storage_totals(job_plan, partials)
    return report


def _storage_totals(job_plan, partials):
    """Storage per year (t), area (hm²) and pixels of the pixels valid in every year: exact sums."""
    parts = [p["totals"] for p in partials if "totals" in p]
    years = [int(y) for y in job_plan.inputs["density"].years]
    storage_t = [math.fsum(t["storage_t"][i] for t in parts) for i in range(len(years))]
    area_m2 = math.fsum(t["area_m2"] for t in parts)
    pixels = sum(t["pixels"] for t in parts)
    if pixels == 0:
        layer = job_plan.inputs["density"].bands[0].layer
        raise raster.RasterInputError(
            f"'{layer}': no pixel has a valid, non-negative carbon density in every one of the {len(years)} years"
        )
    return {
        "years": years,
        "storage_t": storage_t,
        "area_hm2": area_m2 / 10_000.0,
        "pixels": pixels,
        "mean_density_t_per_hm2": [s / (area_m2 / 10_000.0) for s in storage_t],
        "incomplete_pixels": sum(t["incomplete"] for t in parts),
    }


def _check(job_plan, valid_in, computed, valid_out):
    """Stop, naming the layer or output, when an input had no valid value or nothing was computed."""
    for k, stack in job_plan.inputs.items():
        if valid_in[k] == 0:
            layers = ", ".join(sorted({repr(ref.layer) for ref in stack.bands}))
            raise raster.RasterInputError(
                f"{stack.name}: layer {layers} holds no valid value: every pixel is nodata or not a number. "
                "Check that the right layer was given and that its nodata value is right."
            )
    if computed == 0:
        needs = ", ".join(
            f"{job_plan.min_valid[k]} of the {len(s)} bands of {s.name} ('{s.bands[0].layer}')"
            for k, s in job_plan.inputs.items()
        )
        raise raster.RasterInputError(
            f"No pixel has enough valid data to be computed: each needs {needs}. Lower the minimum share of "
            "valid years (MIN_VALID_PERCENT), or check the nodata of the inputs."
        )
    for spec in job_plan.outputs:
        if valid_out[spec.key] == 0:
            raise raster.RasterInputError(
                f"{spec.label}: the result is undefined (nodata) on all {computed:,} pixels computed, so no file "
                "was written. This happens when an input has no variation or too few years for this statistic."
            )


def _ramp_range(samples, spec):
    """The colour ramp's range: the 2nd-98th percentile of the chunks' samples, as the plugin's."""
    values = np.concatenate(samples) if samples else np.empty(0)
    if values.size > _SAMPLE_CAP:
        values = values[:: math.ceil(values.size / _SAMPLE_CAP)]
    values = values[np.isfinite(values)]
    if not values.size:
        return 0.0, 1.0
    lo, hi = (float(v) for v in np.percentile(values, [2, 98]))
    if spec.symmetric:
        m = max(abs(lo), abs(hi)) or 1.0
        return -m, m
    if hi <= lo:
        return lo - 0.5, lo + 0.5
    return lo, hi


def _run_moran(job, step, scheduler, chunk_mb, memory_limit, timeout, progress, started):
    """Global Moran's I or LISA: passes over the chunk grid (:mod:`core.distributed.moran`)."""
    unknown = set(job) - {"step", "inputs", "outputs", "parameters"}
    if unknown:
        raise JobError(
            f"unknown job keys {sorted(unknown)}; a job has 'step', 'inputs', 'outputs', 'parameters'"
        )
    if step == "localmoran":
        stack = moran_steps.plan_local(job)[0]
    else:
        stack = moran_steps._common(job, step)[0]
    ref = stack.bands[0]
    budget = float(chunk_mb or (job.get("parameters") or {}).get("MEMORY_MB") or DEFAULT_CHUNK_MB)
    grid = stack.grid
    chunks = chunk_grid(
        grid.xsize, grid.ysize, block_size(ref.path, ref.band), moran_steps._MORAN_BYTES_PER_PIXEL, budget
    )
    executor = _executor(scheduler, memory_limit, timeout)
    folders = {}

    def folders_for(specs):
        for spec in specs:
            folders[spec.key] = io.parts_folder(spec)
        return dict(folders)

    try:
        if step == "globalmoran":
            report = moran_steps.run_global(job, executor, chunks, progress)
            specs = []
        else:
            report, specs, _, styles, grid = moran_steps.run_local(
                job, executor, chunks, progress, folders_for
            )
            _finish(executor, specs, folders, styles, grid, chunks)
    finally:
        workers = executor.workers
        executor.close()
        for folder in folders.values():
            io.discard(folder)
    report.update(
        step=step,
        scheduler=executor.name,
        workers=workers,
        chunks=len(chunks),
        outputs={o.name: os.path.abspath(o.path) for o in specs},
        seconds=round(time.perf_counter() - started, 3),
    )
    return report

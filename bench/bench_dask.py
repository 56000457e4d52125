"""Benchmark: a Sen + Mann-Kendall job on Dask (core/distributed), 1 vs 2 worker processes, and the
projection to 10¹⁰ pixels.

Writes a synthetic tiled stack (trend + AR(1) noise, 1 % missing values), then runs the same job file
``serial`` (in this process), on ``local:1`` and ``local:2`` (LocalClusters of 1 and 2 worker processes ×
1 thread, each worker limited to ``--memory-limit``), timing each whole run — reading, kernel, the chunk
files, the final COGs — and checking that the outputs are identical. Prints for each run the whole
time, the cluster start, the chunk phase (read + kernel + chunk files; also summed over the tasks) and
the finishing (VRT → COG by the client); then the per-worker chunk rate (local:1), the speed-up of 2
workers, and the projected time of a 10¹⁰-pixel job on N workers: 10¹⁰ / (per-worker chunk rate × N)
for the chunks (independent tasks) plus 10¹⁰ / (finishing rate) for the COGs, which the client writes
in one process.

Usage: ``.venv/bin/python bench/bench_dask.py [--side 1500] [--years 24] [--chunk-mb 64]
[--memory-limit 512MB] [--workers 1,2]`` (needs ``make cluster``).
"""

import argparse
import os
import sys
import tempfile
import time

import numpy as np
from osgeo import gdal, osr

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def write_stack(path, side, n_years, seed=0):
    rng = np.random.default_rng(seed)
    ds = gdal.GetDriverByName("GTiff").Create(
        path, side, side, n_years, gdal.GDT_Float32, ["TILED=YES", "COMPRESS=LZW", "BIGTIFF=YES"]
    )
    ds.SetGeoTransform((500000.0, 30.0, 0.0, 4300000.0, 0.0, -30.0))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32648)
    ds.SetProjection(srs.ExportToWkt())
    step = 256
    for r in range(0, side, step):
        h = min(step, side - r)
        base = 40.0 + 10.0 * rng.random((h, side))
        slope = rng.normal(0.2, 0.3, (h, side))
        noise = rng.normal(0, 1, (h, side))
        for b in range(n_years):
            noise = 0.3 * noise + rng.normal(0, 1, (h, side))
            values = base + slope * b + 2.0 * noise
            values[rng.random((h, side)) < 0.01] = -9999.0
            band = ds.GetRasterBand(b + 1)
            band.SetNoDataValue(-9999.0)
            band.WriteArray(values.astype(np.float32), 0, r)
    ds = None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--side", type=int, default=1500)
    parser.add_argument("--years", type=int, default=24)
    parser.add_argument("--chunk-mb", type=float, default=64)
    parser.add_argument("--memory-limit", default="512MB")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--no-serial", action="store_true")
    args = parser.parse_args()

    from core.distributed import run_job

    tmp = tempfile.mkdtemp(prefix="bench_dask_")
    stack = os.path.join(tmp, "stack.tif")
    started = time.perf_counter()
    write_stack(stack, args.side, args.years)
    n = args.side * args.side
    print(
        f"stack {args.side} × {args.side} × {args.years} ({n / 1e6:.2f} M px) written in {time.perf_counter() - started:.1f} s"
    )
    schedulers = ([] if args.no_serial else ["serial"]) + [f"local:{w}" for w in args.workers.split(",")]
    rates, chunk_rates, finish_rates, reference = {}, {}, {}, None
    print(
        f"{'scheduler':<10} {'workers':>7} {'chunks':>6} {'seconds':>8} {'M px/s':>7} {'start':>6} {'chunks s':>8} {'finish':>6}  task read/kernel/write s"
    )
    for scheduler in schedulers:
        out = os.path.join(tmp, scheduler.replace(":", "_"))
        os.makedirs(out)
        job = {
            "step": "senmannkendall",
            "inputs": {"INPUT": stack},
            "outputs": {
                "SLOPE": os.path.join(out, "slope.tif"),
                "TREND_CLASS": os.path.join(out, "class.tif"),
            },
            "parameters": {"MEMORY_MB": args.chunk_mb},
        }
        report = run_job(job, scheduler, memory_limit=args.memory_limit)
        seconds, t, ts = report["seconds"], report["timings"], report["task_seconds"]
        rates[scheduler] = n / seconds
        chunk_rates[scheduler] = n / t["chunks"]
        finish_rates[scheduler] = n / t["finish"]
        print(
            f"{scheduler:<10} {report['workers']:>7} {report['chunks']:>6} {seconds:>8.1f} {n / seconds / 1e6:>7.3f} "
            f"{t['connect']:>6.1f} {t['chunks']:>8.1f} {t['finish']:>6.1f}  {ts['read']:.1f}/{ts['kernel']:.1f}/{ts['write']:.1f}"
        )
        slope = gdal.Open(job["outputs"]["SLOPE"]).ReadAsArray()
        if reference is None:
            reference = slope
        elif not np.array_equal(reference, slope):
            sys.exit(f"{scheduler}: the slope differs from the first run's")
    if "local:1" in rates:
        per_worker = chunk_rates["local:1"]
        finish = min(finish_rates.values())
        if "local:2" in rates:
            print(f"2 workers: chunk phase {chunk_rates['local:2'] / per_worker:.2f}× one worker's")
        print(
            f"per-worker chunk rate {per_worker / 1e6:.3f} M px/s; finishing (COGs of 2 outputs) "
            f"{finish / 1e6:.2f} M px/s. 10¹⁰ px projected:"
        )
        for workers in (1, 16, 64, 256, 1024):
            chunks_h, cogs_h = 1e10 / (per_worker * workers) / 3600, 1e10 / finish / 3600
            print(
                f"  {workers:>5} workers: {chunks_h + cogs_h:8.2f} h (chunks {chunks_h:.2f} h + COGs {cogs_h:.2f} h)"
            )
    print(f"(files in {tmp})")


if __name__ == "__main__":
    main()

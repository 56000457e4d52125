"""Benchmark: a Sen + Mann-Kendall job on Dask (core/distributed), 1 vs 2 worker processes, and the
projection to 10¹⁰ pixels.

Writes a synthetic tiled stack (trend + AR(1) noise, 1 % missing values), then runs the same job file
``serial`` (in this process), on ``local:1`` and ``local:2`` (LocalClusters of 1 and 2 worker processes ×
1 thread, each worker limited to ``--memory-limit``), timing each whole run — reading, kernel, the chunk
files, the final COGs — and checking that the outputs are identical. Prints the rate of each run, the
per-worker rate (local:1), the scaling efficiency of 2 workers, and the projected time of a 10¹⁰-pixel
job on N workers: 10¹⁰ / (per-worker rate × N × efficiency), the final COG writing excluded (it is
one process per output; see README: Beyond one machine).

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
    rates, reference = {}, None
    print(f"{'scheduler':<10} {'workers':>7} {'chunks':>6} {'seconds':>8} {'M px/s':>7}")
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
        seconds = report["seconds"]
        rates[scheduler] = n / seconds
        print(
            f"{scheduler:<10} {report['workers']:>7} {report['chunks']:>6} {seconds:>8.1f} {n / seconds / 1e6:>7.3f}"
        )
        slope = gdal.Open(job["outputs"]["SLOPE"]).ReadAsArray()
        if reference is None:
            reference = slope
        elif not np.array_equal(reference, slope):
            sys.exit(f"{scheduler}: the slope differs from the first run's")
    if "local:1" in rates:
        per_worker = rates["local:1"]
        efficiency = 1.0
        if "local:2" in rates:
            efficiency = rates["local:2"] / (2 * per_worker)
            print(f"2 workers: {rates['local:2'] / per_worker:.2f}× one worker (efficiency {efficiency:.0%})")
        print(f"per-worker rate {per_worker / 1e6:.3f} M px/s; 10¹⁰ px projected (at that efficiency):")
        for workers in (1, 16, 64, 256, 1024):
            hours = 1e10 / (per_worker * workers * efficiency) / 3600
            print(f"  {workers:>5} workers: {hours:8.2f} h")
    print(f"(files in {tmp})")


if __name__ == "__main__":
    main()

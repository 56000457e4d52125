"""Benchmark: Sen + Mann-Kendall through the block engine (GeoTIFF in, four GeoTIFFs out).

Prints, on this machine:
- pixels per second of the whole run (read, kernel on 2 threads, write) for each raster size, and the
  peak memory (max RSS) of each run in a fresh child process, beside the memory budget: the peak must
  stay below the budget plus a fixed overhead (Python, numpy, scipy and GDAL loaded: about 0.1 GB),
  whatever the raster size;
- pixels per second of a per-pixel peer loop (pymannkendall.original_test + its Sen slope) on a few
  thousand pixels of the same stack, and the ratio (``--peer-pixels 0`` skips it).

Usage: ``.venv/bin/python bench/bench_trend.py [--sides 1000,4000,8000] [--years 24] [--memory-mb 512]
[--peer-pixels 2000]`` (1, 16 and 64 M pixels; the 64 M px stack takes 6 GB of temporary disk).
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
from osgeo import gdal, osr

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def write_stack(path, side, n_years, seed=0):
    """A synthetic stack: trend + AR(1) noise, 1 % missing values, written strip by strip."""
    rng = np.random.default_rng(seed)
    ds = gdal.GetDriverByName("GTiff").Create(
        path, side, side, n_years, gdal.GDT_Float32, ["TILED=YES", "COMPRESS=LZW", "BIGTIFF=YES"]
    )
    ds.SetGeoTransform((500000.0, 30.0, 0.0, 4300000.0, 0.0, -30.0))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32648)
    ds.SetProjection(srs.ExportToWkt())
    for b in range(n_years):
        ds.GetRasterBand(b + 1).SetNoDataValue(-9999.0)
        ds.GetRasterBand(b + 1).SetDescription(str(2001 + b))
    step = max(16, 2_000_000 // side)  # rows per strip: the generator's arrays stay small
    for r in range(0, side, step):
        rows = min(step, side - r)
        slope = rng.normal(0.3, 0.4, (rows, side))
        noise = rng.normal(0, 2, (n_years, rows, side))
        for b in range(n_years):
            values = (40 + slope * b + noise[b]).astype(np.float32)
            values[rng.random(values.shape) < 0.01] = -9999.0
            ds.GetRasterBand(b + 1).WriteArray(values, 0, r)
    ds = None


def baseline_rss():
    """RSS (MB) of this process with the engine's libraries loaded, before any raster is read."""
    from core.common import classes  # noqa: F401

    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def engine_run(path, out_dir, memory_mb):
    """One run in this process (called in a child); prints JSON with seconds and peak RSS."""
    from core.common import classes
    from core.engine import raster
    from core.stats import trend

    stack = raster.open_stack("stack", [path])
    years = stack.years

    def kernel(blocks):
        res = trend.sen_mann_kendall(blocks["stack"], years)
        res["class"] = trend.trend_class(res["slope"], res["p"])
        return res

    outputs = [
        raster.OutputSpec("slope", os.path.join(out_dir, "slope.tif"), "slope"),
        raster.OutputSpec("z", os.path.join(out_dir, "z.tif"), "z"),
        raster.OutputSpec("p", os.path.join(out_dir, "p.tif"), "p"),
        raster.OutputSpec(
            "class", os.path.join(out_dir, "class.tif"), "class", dtype="uint8", scheme=classes.TREND_3
        ),
    ]
    n = len(years)
    loaded = baseline_rss()
    t0 = time.perf_counter()
    report = raster.run_pixelwise(
        {"stack": stack},
        kernel,
        outputs,
        min_valid={"stack": raster.min_valid_years(n, 75)},
        bytes_per_pixel=24.0 * n + 256.0,  # as algorithms/sen_mann_kendall.py declares
        memory_mb=memory_mb,
    )
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(
        json.dumps(
            {"seconds": seconds, "pixels": report.pixels_total, "peak_mb": peak_mb, "loaded_mb": loaded}
        )
    )


def peer_loop(path, n_pixels):
    import pymannkendall as mk

    ds = gdal.Open(path)
    side = ds.RasterXSize
    rows = max(1, n_pixels // side)
    values = ds.ReadAsArray(0, 0, side, rows).reshape(ds.RasterCount, -1)[:, :n_pixels].astype(float)
    values[values == -9999.0] = np.nan
    t0 = time.perf_counter()
    for i in range(values.shape[1]):
        series = values[:, i]
        series = series[~np.isnan(series)]
        mk.original_test(series)  # includes its Sen slope
    return values.shape[1] / (time.perf_counter() - t0)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sides", default="1000,4000,8000")
    parser.add_argument("--years", type=int, default=24)
    parser.add_argument("--memory-mb", type=float, default=512.0)
    parser.add_argument("--peer-pixels", type=int, default=2000)
    parser.add_argument("--engine-run", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--write-stack", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine_run:
        engine_run(args.engine_run[0], args.engine_run[1], float(args.engine_run[2]))
        return
    if args.write_stack:
        write_stack(args.write_stack[0], int(args.write_stack[1]), int(args.write_stack[2]))
        return
    print(
        f"Sen + Mann-Kendall, {args.years} years, 2 threads, cpu count {os.cpu_count()}, "
        f"memory budget {args.memory_mb:g} MB"
    )
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        rates = []
        for side in (int(s) for s in args.sides.split(",")):
            path = os.path.join(tmp, f"stack_{side}.tif")
            # In a child process: the peak memory of a process survives exec, so a parent that had held
            # the synthetic stack would hand its size to the measured child's ru_maxrss.
            subprocess.run(
                [sys.executable, __file__, "--write-stack", path, str(side), str(args.years)], check=True
            )
            out = os.path.join(tmp, f"out_{side}")
            os.makedirs(out)
            done = subprocess.run(
                [sys.executable, __file__, "--engine-run", path, out, str(args.memory_mb)],
                capture_output=True,
                text=True,
                check=True,
            )
            r = json.loads(done.stdout.strip().splitlines()[-1])
            rate = r["pixels"] / r["seconds"]
            rates.append(rate)
            print(
                f"  engine {side} x {side} ({r['pixels'] / 1e6:.1f} M px): {r['seconds']:.1f} s, "
                f"{rate / 1e6:.3f} M px/s, peak RSS {r['peak_mb']:.0f} MB "
                f"(libraries loaded: {r['loaded_mb']:.0f} MB; budget {args.memory_mb:g} MB)"
            )
            os.remove(path)  # the next stack needs the disk
            shutil.rmtree(out)
        if args.peer_pixels <= 0:
            return
        subprocess.run([sys.executable, __file__, "--write-stack", path, "300", str(args.years)], check=True)
        peer = peer_loop(path, args.peer_pixels)
        print(f"  peer pymannkendall.original_test loop: {peer:,.0f} px/s")
        print(f"  ratio engine (largest raster, with I/O) / peer loop: {rates[-1] / peer:,.0f}x")
        print(f"  74 M pixels at this rate: {74e6 / rates[-1] / 60:.1f} min")


if __name__ == "__main__":
    main()

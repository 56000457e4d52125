"""Where the time of a Sen + Mann–Kendall run goes: CPU seconds of each stage, one after the other.

On the stack of ``bench/bench_trend.py`` (1500 × 1500 × 24 by default, float32, tiled, LZW), with the
windows, parts and outputs (Sen slope, trend class) of ``carbonsink:senmannkendall``'s default run, each
stage is timed alone on one thread (CPU seconds of this process, so that other processes on the machine
matter less than for wall-clock times):

- **decode**: GDAL reading the windows (LZW decompression, de-interleaving the bands);
- **prepare**: the rest of the engine's read of a window (nodata and NaN, valid counts, packing the kept
  pixels into the kernel's parts);
- **kernel**: ``sen_mann_kendall`` + ``trend_class`` on every part;
- **write**: scattering the results into the windows, writing and compressing the two GeoTIFFs;

then the whole engine run (``run_pixelwise``, 2 threads), whose CPU time beyond the sum of the stages is
the cost of running them at once (threads, Python between windows), and whose wall-clock time is what the
pipeline achieved; and, for scale, a ``qgis_process`` run on a 20 × 20 stack: the fixed cost of QGIS
and the plugin loading, paid once per ``qgis_process`` call.

Usage: ``.venv/bin/python bench/bench_trend_stages.py [--side 1500] [--years 24] [--repeat 3]``
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

from osgeo import gdal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "bench"))

from bench_qgis_process import run_qgis_process  # noqa: E402

from core.common import classes, style  # noqa: E402
from core.engine import raster  # noqa: E402
from core.stats import trend  # noqa: E402


def cpu():
    return time.process_time()


def stages(path, out_dir, years_n):
    stack = raster.open_stack("stack", [path])
    years = stack.years
    grid = stack.grid
    bytes_per_pixel = 24.0 * years_n + 256.0  # as algorithms/sen_mann_kendall.py declares
    budget = raster._Budget(raster.DEFAULT_MEMORY_MB, bytes_per_pixel, {"stack": stack})
    windows = raster.plan_windows(grid.xsize, grid.ysize, budget.bytes_per_pixel, budget.window_mb)
    min_valid = {"stack": raster.min_valid_years(years_n, 75)}
    scheme = classes.trend_scheme(0.05, False)

    def outputs(tag):
        return [
            raster.OutputSpec(
                "slope",
                os.path.join(out_dir, f"slope{tag}.tif"),
                "slope",
                ramp=style.DIVERGING,
                symmetric=True,
            ),
            raster.OutputSpec(
                "class", os.path.join(out_dir, f"class{tag}.tif"), "class", dtype="uint8", scheme=scheme
            ),
        ]

    def kernel(blocks):
        res = trend.sen_mann_kendall(blocks["stack"], years)
        res["class"] = trend.trend_class(res["slope"], res["p"])
        return res

    out = {}
    with raster.gdal_cache_limit(budget.cache_bytes):
        ds = gdal.Open(path)
        t0 = cpu()
        for col0, row0, ncols, nrows in windows:
            ds.ReadAsArray(col0, row0, ncols, nrows)
        out["decode"] = cpu() - t0
        ds = None
        handles = {}
        t0 = cpu()
        prepared = [
            raster._Window(i, w).prepare({"stack": stack}, handles, min_valid, grid, False, False, 2)
            for i, w in enumerate(windows)
        ]
        out["prepare"] = cpu() - t0 - out["decode"]
        t0 = cpu()
        for win in prepared:
            win.pieces = [kernel(part) for part in win.parts]
            win.parts = []
        out["kernel"] = cpu() - t0
        t0 = cpu()
        specs = outputs("_stages")
        datasets = {s.key: raster.create_output(s, grid) for s in specs}
        for win in prepared:
            col0, row0, ncols, nrows = win.window
            results = win.results({"slope", "class"})
            for s in specs:
                block = raster._scatter(s, results.get(s.key), win.keep, nrows, ncols)
                band = datasets[s.key].GetRasterBand(1)
                band.WriteArray(block[0], col0, row0)
                band.FlushCache()
        for key in list(datasets):
            datasets[key] = None
        out["write"] = cpu() - t0
        for s in specs:
            raster.discard_output(s)
    del prepared
    t0, w0 = cpu(), time.perf_counter()
    raster.run_pixelwise(
        {"stack": stack},
        kernel,
        outputs(""),
        min_valid=min_valid,
        bytes_per_pixel=bytes_per_pixel,
        counters=("correction_fallback",),
    )
    out["engine_cpu"], out["engine_wall"] = cpu() - t0, time.perf_counter() - w0
    return out


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--side", type=int, default=1500)
    parser.add_argument("--years", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pixels = args.side**2
    print(
        f"Sen + MK stages, {args.side} x {args.side} x {args.years} ({pixels / 1e6:.2f} M px); "
        f"cpu count {os.cpu_count()}; load {os.getloadavg()[0]:.2f}"
    )
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        path, small = os.path.join(tmp, "stack.tif"), os.path.join(tmp, "small.tif")
        for p, side in ((path, args.side), (small, 20)):
            subprocess.run(
                [
                    sys.executable,
                    os.path.join(ROOT, "bench", "bench_trend.py"),
                    "--write-stack",
                    p,
                    str(side),
                    str(args.years),
                ],
                check=True,
            )
        rows = []
        for rep in range(args.repeat):
            load = os.getloadavg()[0]
            r = stages(path, tmp, args.years)
            fixed_wall, fixed_cpu, _ = run_qgis_process(ROOT, small, os.path.join(tmp, f"small_{rep}"))
            r["qgis_wall"], r["qgis_cpu"] = fixed_wall, fixed_cpu
            rows.append(r)
            parts = ", ".join(
                f"{k} {r[k]:.2f} s ({r[k] / pixels * 1e6:.2f} us/px)"
                for k in ("decode", "prepare", "kernel", "write")
            )
            total = sum(r[k] for k in ("decode", "prepare", "kernel", "write"))
            print(
                f"  [{rep + 1}] one thread: {parts}; sum {total:.2f} s. Engine, 2 threads: CPU {r['engine_cpu']:.2f} s "
                f"(+{r['engine_cpu'] - total:.2f} s running them at once), wall {r['engine_wall']:.2f} s = "
                f"{pixels / r['engine_wall'] / 1e6:.3f} M px/s ({r['engine_cpu'] / r['engine_wall']:.2f} cores). "
                f"qgis_process on 20 x 20: {r['qgis_wall']:.2f} s, CPU {r['qgis_cpu']:.2f} s. Load before {load:.2f}",
                flush=True,
            )
        best = {k: min(r[k] for r in rows) for k in rows[0]}
        total = sum(best[k] for k in ("decode", "prepare", "kernel", "write"))
        print(
            "least of each: "
            + ", ".join(
                f"{k} {best[k]:.2f} s ({100 * best[k] / total:.0f} %)"
                for k in ("decode", "prepare", "kernel", "write")
            )
            + f"; engine wall {best['engine_wall']:.2f} s, qgis_process fixed {best['qgis_wall']:.2f} s"
        )


if __name__ == "__main__":
    main()

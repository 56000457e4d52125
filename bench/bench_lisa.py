"""Benchmark: LISA (local Moran's I) of a raster through core.spatial.moran_raster, against esda.

Prints, on this machine:
- pixels per minute of the whole analytic-inference run (three read passes, four GeoTIFFs written:
  Ii, z, p, cluster) for two raster sizes, each in a fresh process, with its peak memory (max RSS);
  the goal is at least 10 million pixels per minute, and a peak that does not grow with the raster;
- on the largest grid esda handles here in reasonable time: esda.Moran_Local (libpysal lat2W queen
  weights, row-standardised, 99 conditional permutations, seeded) against this core with the same
  weights and the same 99 permutations (and with analytic inference), the ratio, and a check that the
  two agree on Iᵢ.

Usage: ``.venv/bin/python bench/bench_lisa.py [--sides 3000,6000] [--esda-side 300] [--permutations 99]``
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
from osgeo import gdal, osr

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def smooth_values(rows, cols, row0=0, seed=0):
    """Spatially autocorrelated values (smooth waves + noise) for rows row0.. of a grid."""
    rng = np.random.default_rng(seed + row0)
    y = (np.arange(row0, row0 + rows)[:, None]).astype(np.float64)
    x = np.arange(cols)[None, :].astype(np.float64)
    field = np.sin(x / 97.0) + np.cos(y / 61.0) + 0.5 * np.sin((x + y) / 23.0)
    return 40 + 10 * field + rng.normal(0, 3, (rows, cols))


def write_raster(path, side, seed=0):
    """A float32 GeoTIFF, 30 m UTM pixels, 1 % nodata, written strip by strip."""
    rng = np.random.default_rng(seed)
    ds = gdal.GetDriverByName("GTiff").Create(
        path, side, side, 1, gdal.GDT_Float32, ["TILED=YES", "COMPRESS=LZW", "BIGTIFF=YES"]
    )
    ds.SetGeoTransform((500000.0, 30.0, 0.0, 4300000.0, 0.0, -30.0))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32648)
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(-9999.0)
    step = 512
    for r in range(0, side, step):
        rows = min(step, side - r)
        values = smooth_values(rows, side, r, seed).astype(np.float32)
        values[rng.random(values.shape) < 0.01] = -9999.0
        band.WriteArray(values, 0, r)
    ds = None


def core_run(path, out_dir):
    """One analytic LISA run in this process (called in a child); prints JSON with seconds and peak RSS."""
    from core.engine.raster import OutputSpec, open_band
    from core.spatial import moran, moran_raster

    scheme = moran.lisa_scheme()
    outputs = [
        OutputSpec("Ii", os.path.join(out_dir, "ii.tif"), "Ii"),
        OutputSpec("z", os.path.join(out_dir, "z.tif"), "z"),
        OutputSpec("p", os.path.join(out_dir, "p.tif"), "p"),
        OutputSpec("cluster", os.path.join(out_dir, "cluster.tif"), "cluster", dtype="uint8", scheme=scheme),
    ]
    t0 = time.perf_counter()
    res = moran_raster.local_moran_raster(open_band("bench", path), outputs, inference="analytic")
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    hh = res.report.class_areas["cluster"][0].share_pct
    print(json.dumps({"seconds": seconds, "pixels": res.report.pixels_total, "peak_mb": peak_mb, "hh": hh}))


def esda_comparison(side, permutations, seed=7):
    from esda.moran import Moran_Local
    from libpysal.weights import lat2W

    from core.spatial import moran_raster

    values = smooth_values(side, side)
    t0 = time.perf_counter()
    w = lat2W(side, side, rook=False)
    t_w = time.perf_counter() - t0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        ref = Moran_Local(values.ravel(), w, permutations=permutations, seed=seed, keep_simulations=False)
        t_esda = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = moran_raster.local_moran_raster(
        values, inference="permutation", permutations=permutations, seed=seed
    )
    t_perm = time.perf_counter() - t0
    t0 = time.perf_counter()
    moran_raster.local_moran_raster(values, inference="analytic")
    t_analytic = time.perf_counter() - t0
    n = values.size
    diff = np.max(np.abs(ours.arrays["Ii"].ravel() * (n - 1) / n - ref.Is))
    return t_w, t_esda, t_perm, t_analytic, diff


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sides", default="3000,6000")
    parser.add_argument("--esda-side", type=int, default=300)
    parser.add_argument("--permutations", type=int, default=99)
    parser.add_argument("--core-run", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.core_run:
        core_run(*args.core_run)
        return
    try:
        import numba  # noqa: F401

        jit = "numba installed"
    except ImportError:
        jit = "numba NOT installed: esda's crand runs as plain Python"
    print(f"LISA, queen contiguity, cpu count {os.cpu_count()}, {jit}")
    with tempfile.TemporaryDirectory() as tmp:
        for side in (int(s) for s in args.sides.split(",")):
            path = os.path.join(tmp, f"raster_{side}.tif")
            write_raster(path, side)
            out = os.path.join(tmp, f"out_{side}")
            os.makedirs(out)
            done = subprocess.run(
                [sys.executable, __file__, "--core-run", path, out],
                capture_output=True,
                text=True,
                check=True,
            )
            r = json.loads(done.stdout.strip().splitlines()[-1])
            per_min = r["pixels"] / r["seconds"] * 60
            print(
                f"  analytic {side} x {side} ({r['pixels'] / 1e6:.1f} M px, GeoTIFF in, 4 GeoTIFFs out): "
                f"{r['seconds']:.1f} s, {per_min / 1e6:.1f} M px/min, peak RSS {r['peak_mb']:.0f} MB "
                f"(High-High {r['hh']:.1f} %)"
            )
            os.remove(path)
        s, k = args.esda_side, args.permutations
        t_w, t_esda, t_perm, t_analytic, diff = esda_comparison(s, k)
        print(
            f"  esda.Moran_Local on {s} x {s} = {s * s:,} cells, lat2W queen (row-standardised), {k} permutations:"
        )
        print(f"    libpysal lat2W: {t_w:.2f} s; esda Moran_Local: {t_esda:.2f} s")
        print(
            f"    core, same weights, {k} conditional permutations: {t_perm:.3f} s -> {t_esda / t_perm:,.0f}x faster"
        )
        print(f"    core, analytic inference: {t_analytic:.3f} s -> {t_esda / t_analytic:,.0f}x faster")
        print(f"    max |Ii (n-1)/n - esda Is| = {diff:.2e}")


if __name__ == "__main__":
    main()

"""Benchmark: Random Forest prediction of one year's carbon density through the block engine.

Five synthetic factor rasters (NPP, NDVI, AP, MAT, DEM; float32, tiled, DEFLATE) are written to a temporary
folder; a forest of 100 trees (maximum depth 10, minimum leaf 20) is trained on points sampled from them,
saved to a model file and loaded back (the path the plugin takes). Then, each in a fresh process so that
the peak memory (max RSS from ``resource.getrusage``) is the run's own:

- **engine**: ``core.engine.raster.run_pixelwise`` reading the five rasters window by window and writing the
  carbon density GeoTIFF, the kernel calling ``core.carbon.forest.predict_block`` on 2 threads — the whole
  *Predict annual carbon density* path, I/O included;
- **naive**: read every raster whole, ``RandomForestRegressor.predict`` on all pixels at once (scikit-learn
  with ``n_jobs=1`` and ``n_jobs=2``), no output written — where that fits in memory;
- **kernel**: ``predict_block`` alone on one in-memory block (no I/O), 1 and 2 threads, and scikit-learn's
  ``predict`` on the same block, to separate the model from the I/O.

Two models:

- ``paper``: trained on 621 points, like the paper — with a minimum leaf of 20 the trees stop well before
  depth 10 (a few dozen nodes each) and are compiled to lookup tables;
- ``deep``: trained on 50,000 points, so that the trees do reach depth 10 (~1000 nodes each); too large for
  lookup tables, they are walked by scikit-learn's compiled ``Tree.apply``.

Factor fields: ``smooth`` (default) sums a few random sinusoids (wavelengths 6–90 km at 30 m) and adds
pixel noise (1–3 % of the range), as factor rasters are spatially autocorrelated; ``noise`` draws every
pixel independently (worst case for branch prediction in tree traversal; nothing real looks like it).

Usage: ``.venv/bin/python bench/bench_predict.py [--side 3000] [--models paper,deep] [--field smooth]
[--naive-max-pixels 10000000]``
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np
from osgeo import gdal, osr

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
gdal.UseExceptions()

FACTORS = ("NPP", "NDVI", "AP", "MAT", "DEM")
RANGES = {"NPP": (100, 600), "NDVI": (0.05, 0.8), "AP": (150, 700), "MAT": (2, 12), "DEM": (1100, 3500)}
NOISE = {"NPP": 0.03, "NDVI": 0.03, "AP": 0.01, "MAT": 0.01, "DEM": 0.01}  # share of the range
MODELS = {"paper": 621, "deep": 50_000}
SEED = 42


def _field(name, rows, cols, kind, rng_seed):
    """Values of factor ``name`` at integer pixel coordinates (broadcastable arrays)."""
    lo, hi = RANGES[name]
    if kind == "noise":
        rng = np.random.default_rng([rng_seed, FACTORS.index(name), int(np.min(rows)), int(np.min(cols))])
        shape = np.broadcast(rows, cols).shape
        return (lo + (hi - lo) * rng.random(shape)).astype(np.float32)
    rng = np.random.default_rng([rng_seed, FACTORS.index(name)])
    wavelengths = rng.uniform(200, 3000, 6)  # pixels
    angles = rng.uniform(0, np.pi, 6)
    phases = rng.uniform(0, 2 * np.pi, 6)
    amps = rng.uniform(0.5, 1.0, 6)
    s = np.zeros(np.broadcast(rows, cols).shape)
    for w, a, p, m in zip(wavelengths, angles, phases, amps):
        s += m * np.sin(2 * np.pi * (rows * np.sin(a) + cols * np.cos(a)) / w + p)
    s = 0.5 + 0.5 * s / amps.sum()
    noise_rng = np.random.default_rng(
        [rng_seed, 7, FACTORS.index(name), int(np.min(rows)), int(np.min(cols))]
    )
    s = s + NOISE[name] * noise_rng.standard_normal(s.shape)
    return (lo + (hi - lo) * s).astype(np.float32)


def _target(X, rng):
    npp, ndvi, ap, mat, dem = X.T
    return (
        0.04 * npp
        + 25 * ndvi
        + 0.01 * ap
        - 0.5 * mat
        + 0.002 * dem
        + 5 * np.sin(ndvi * 8)
        + rng.normal(0, 3, X.shape[0])
    )


def write_factors(folder, side, kind):
    paths = {}
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32648)
    for name in FACTORS:
        path = os.path.join(folder, f"{name}.tif")
        ds = gdal.GetDriverByName("GTiff").Create(
            path,
            side,
            side,
            1,
            gdal.GDT_Float32,
            ["TILED=YES", "COMPRESS=DEFLATE", "PREDICTOR=3", "BIGTIFF=YES"],
        )
        ds.SetGeoTransform((500000.0, 30.0, 0.0, 4300000.0, 0.0, -30.0))
        ds.SetProjection(srs.ExportToWkt())
        band = ds.GetRasterBand(1)
        band.SetNoDataValue(-9999.0)
        for r in range(0, side, 512):
            rows = np.arange(r, min(side, r + 512))[:, None]
            band.WriteArray(_field(name, rows, np.arange(side)[None, :], kind, SEED), 0, r)
        ds = None
        paths[name] = path
    return paths


def train(model_name, side, kind):
    """The benchmark forest (deterministic): points at random pixels, target from the factors."""
    from sklearn.ensemble import RandomForestRegressor

    rng = np.random.default_rng(SEED)
    n = MODELS[model_name]
    rows = rng.integers(0, side, n)
    cols = rng.integers(0, side, n)
    if kind == "smooth":
        X = np.column_stack([_field(f, rows, cols, kind, SEED) for f in FACTORS])
    else:  # i.i.d. fields: draw from the same uniform distributions
        X = np.column_stack([RANGES[f][0] + np.ptp(RANGES[f]) * rng.random(n) for f in FACTORS]).astype(
            np.float32
        )
    y = _target(X.astype(np.float64), rng)
    model = RandomForestRegressor(
        n_estimators=100, min_samples_leaf=20, max_depth=10, random_state=SEED, n_jobs=2
    )
    model.fit(X, y)
    model.set_params(n_jobs=1)
    return model


def _peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def child_engine(folder, model_path, memory_mb):
    from core.carbon import forest
    from core.common import style
    from core.engine import raster

    predictor, meta = forest.load_model(model_path)
    paths = json.load(open(os.path.join(folder, "paths.json")))
    inputs = {f: raster.open_band(f, paths[f]) for f in meta["factors"]}
    keys = list(inputs)

    def kernel(blocks):
        X = np.concatenate([blocks[k] for k in keys])
        return {"density": forest.predict_block(predictor, X)}

    out = raster.OutputSpec("density", os.path.join(folder, "density.tif"), "2001", ramp=style.SEQUENTIAL)
    t0 = time.perf_counter()
    rep = raster.run_pixelwise(inputs, kernel, [out], bytes_per_pixel=16.0 * 5 + 16.0 + 8.0 * 5 + 96.0,
                               memory_mb=memory_mb)  # fmt: skip
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "pixels": rep.pixels_total, "peak_mb": _peak_mb(),
                      "tabulated": int(predictor.tabulated.sum())}))  # fmt: skip


def child_naive(folder, model_name, side, kind, n_jobs):
    model = train(model_name, side, kind)
    paths = json.load(open(os.path.join(folder, "paths.json")))
    base_mb = _peak_mb()
    t0 = time.perf_counter()
    X = np.column_stack([gdal.Open(paths[f]).ReadAsArray().ravel() for f in FACTORS])
    t_read = time.perf_counter() - t0
    model.set_params(n_jobs=n_jobs)
    t1 = time.perf_counter()
    y = model.predict(X)
    seconds = time.perf_counter() - t1
    print(json.dumps({"seconds": seconds, "read_seconds": t_read, "pixels": int(y.size), "peak_mb": _peak_mb(),
                      "base_mb": base_mb}))  # fmt: skip


def kernel_rates(model, predictor, folder, n_pixels=1_000_000):
    from concurrent.futures import ThreadPoolExecutor

    from core.carbon import forest

    paths = json.load(open(os.path.join(folder, "paths.json")))
    side = gdal.Open(paths["NPP"]).RasterXSize
    rows = max(1, n_pixels // side)
    X = np.stack([gdal.Open(paths[f]).ReadAsArray(0, 0, side, rows).ravel() for f in FACTORS])
    n = X.shape[1]
    res = {}
    best = np.inf
    for _ in range(2):
        t0 = time.perf_counter()
        ours = forest.predict_block(predictor, X)
        best = min(best, time.perf_counter() - t0)
    res["ours_1_thread"] = n / best
    halves = [np.ascontiguousarray(X[:, : n // 2]), np.ascontiguousarray(X[:, n // 2 :])]
    with ThreadPoolExecutor(2) as pool:
        best = np.inf
        for _ in range(2):
            t0 = time.perf_counter()
            list(pool.map(lambda part: forest.predict_block(predictor, part), halves))
            best = min(best, time.perf_counter() - t0)
    res["ours_2_threads"] = n / best
    rows_x = np.ascontiguousarray(X.T)
    for jobs in (1, 2):
        model.set_params(n_jobs=jobs)
        t0 = time.perf_counter()
        ref = model.predict(rows_x)
        res[f"sklearn_n_jobs_{jobs}"] = n / (time.perf_counter() - t0)
    model.set_params(n_jobs=1)
    res["identical"] = bool(np.array_equal(ours, model.predict(rows_x)))
    res["max_abs_diff_vs_n_jobs_2"] = float(np.max(np.abs(ours - ref)))
    res["pixels"] = n
    return res


def _run_child(args):
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--side", type=int, default=3000)
    parser.add_argument("--models", default="paper,deep")
    parser.add_argument("--field", choices=("smooth", "noise"), default="smooth")
    parser.add_argument("--budgets", default="512,128", help="engine memory budgets (MB) to run")
    parser.add_argument("--naive-max-pixels", type=int, default=10_000_000)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "engine":
            child_engine(rest[0], rest[1], float(rest[2]))
        else:
            child_naive(rest[0], rest[1], int(rest[2]), rest[3], int(rest[4]))
        return

    from core.carbon import forest

    side = args.side
    print(
        f"Random Forest prediction, one year, 5 factors, {side} x {side} = {side * side / 1e6:.1f} M pixels, "
        f"'{args.field}' fields; cpu count {os.cpu_count()}; engine on 2 threads"
    )
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        paths = write_factors(tmp, side, args.field)
        with open(os.path.join(tmp, "paths.json"), "w") as fh:
            json.dump(paths, fh)
        print(f"  (factor rasters written in {time.perf_counter() - t0:.1f} s)")
        for name in args.models.split(","):
            model = train(name, side, args.field)
            depth = max(e.tree_.max_depth for e in model.estimators_)
            nodes = np.mean([e.tree_.node_count for e in model.estimators_])
            model_path = os.path.join(tmp, f"{name}.npz")
            forest.save_model(model_path, model, {"factors": list(FACTORS)})
            predictor, _ = forest.load_model(model_path)
            print(
                f"\n[{name}] {MODELS[name]:,} training points: 100 trees, max depth {depth}, "
                f"{nodes:.0f} nodes per tree on average; {int(predictor.tabulated.sum())} trees as lookup tables"
            )
            k = kernel_rates(model, predictor, tmp)
            print(
                f"  kernel only, {k['pixels'] / 1e6:.1f} M px in memory: predict_block "
                f"{k['ours_1_thread'] / 1e6:.2f} M px/s (1 thread), {k['ours_2_threads'] / 1e6:.2f} M px/s "
                f"(2 threads); sklearn predict {k['sklearn_n_jobs_1'] / 1e6:.2f} (n_jobs=1), "
                f"{k['sklearn_n_jobs_2'] / 1e6:.2f} (n_jobs=2) M px/s; identical to sklearn: {k['identical']}"
            )
            rate = None
            for budget in args.budgets.split(","):
                e = _run_child(["--child", "engine", tmp, model_path, budget])
                r_e = e["pixels"] / e["seconds"]
                rate = rate or r_e
                print(
                    f"  engine (read 5 GeoTIFFs, predict, write 1), memory budget {budget} MB: {e['seconds']:.1f} s, "
                    f"{r_e / 1e6:.2f} M px/s, peak RSS {e['peak_mb']:.0f} MB"
                )
            if side * side <= args.naive_max_pixels:
                for jobs in (1, 2):
                    r = _run_child(["--child", "naive", tmp, name, str(side), args.field, str(jobs)])
                    naive = r["pixels"] / r["seconds"]
                    print(
                        f"  naive whole-array model.predict (n_jobs={jobs}): {r['seconds']:.1f} s predict "
                        f"+ {r['read_seconds']:.1f} s read, {naive / 1e6:.2f} M px/s (predict only), peak RSS "
                        f"{r['peak_mb']:.0f} MB (after training {r['base_mb']:.0f} MB); engine / naive: "
                        f"{rate / naive:.2f}x"
                    )
            else:
                print(f"  naive whole-array predict skipped (> {args.naive_max_pixels:,} pixels)")
            print(f"  74 M pixels (Ningxia at 30 m) per year at the first engine rate: {74e6 / rate:.0f} s")


if __name__ == "__main__":
    main()

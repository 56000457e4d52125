"""Benchmark: block prediction of gradient boosting beside the library's own predict, as for the forest.

The factor rasters and the target are those of ``bench_predict.py`` (five smooth synthetic factors,
float32). For each model, on one in-memory block of ~1 M pixels read from the rasters (no I/O timed):

- **ours**: ``core.carbon.forest.predict_block`` on the model file's trees (lookup tables), 1 thread
  and the block split over 2 threads;
- **library**: ``HistGradientBoostingRegressor.predict`` (OpenMP over rows, 1 and 2 threads) or XGBoost's
  ``inplace_predict`` (``nthread`` 1 and 2);
- whether the two are identical bit for bit;
- the extras of the carbon-model API on the same block: the point prediction plus the calibrated
  interval, plus the dissimilarity index (area of applicability), each on 1 thread;
- then the whole *Predict annual carbon density* path for the HistGradientBoosting model through the block
  engine (read 5 GeoTIFFs, predict, write 1) in a fresh process, with its peak RSS.

Models: ``hgb-paper`` (100 iterations of HistGradientBoostingRegressor, ≤ 31 leaves, minimum leaf 20,
trained on 621 points like the paper's forest), ``hgb-deep`` (the same on 50,000 points, minimum leaf 1:
more distinct thresholds; ≤ 31 leaves still fit in lookup tables), and ``xgb-paper`` (XGBoost, depth 6,
when it is installed). For each, the rate with every tree traversed instead of tabulated (numpy walk for
HistGradientBoosting's float64 inputs, scikit-learn's ``Tree.apply`` for XGBoost's float32) is printed
too: the path of trees too large for a table.

Usage: ``.venv/bin/python bench/bench_boosting.py [--side 3000] [--models hgb-paper,hgb-deep,xgb-paper]``
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from osgeo import gdal

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
sys.path.insert(0, HERE)
gdal.UseExceptions()

import bench_predict as bp  # noqa: E402  (factor rasters and target of the forest benchmark)

MODELS = {"hgb-paper": 621, "hgb-deep": 50_000, "xgb-paper": 621}


def training(n, side):
    rng = np.random.default_rng(bp.SEED)
    rows, cols = rng.integers(0, side, n), rng.integers(0, side, n)
    X = np.column_stack([bp._field(f, rows, cols, "smooth", bp.SEED) for f in bp.FACTORS]).astype(np.float64)
    xy = np.column_stack([cols * 30.0, rows * 30.0])
    return X, bp._target(X, rng), xy


def train(name, side):
    from core.carbon import model

    X, y, xy = training(MODELS[name], side)
    kind = "xgboost" if name.startswith("xgb") else "hist_gradient_boosting"
    extra = {"min_samples_leaf": 1} if name == "hgb-deep" else {}
    return model.train_model(X, y, list(bp.FACTORS), xy, kind=kind, block_size=side * 30 / 5,
                             bootstrap_replicates=0, permutation_repeats=2, **extra)  # fmt: skip


def best(fn, repeats=2):
    t = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        t = min(t, time.perf_counter() - t0)
    return t, out


def kernel_rates(trained, library, kind, folder, n_pixels=1_000_000):
    from threadpoolctl import threadpool_limits

    from core.carbon import forest

    paths = json.load(open(os.path.join(folder, "paths.json")))
    side = gdal.Open(paths["NPP"]).RasterXSize
    rows = max(1, n_pixels // side)
    X = np.stack([gdal.Open(paths[f]).ReadAsArray(0, 0, side, rows).ravel() for f in bp.FACTORS])
    n = X.shape[1]
    cm = trained.carbon_model()
    p = cm.predictor
    res = {"pixels": n, "tabulated": int(p.tabulated.sum()), "trees": p.n_trees}
    t, ours = best(lambda: forest.predict_block(p, X))
    res["ours_1"] = n / t
    halves = [np.ascontiguousarray(X[:, : n // 2]), np.ascontiguousarray(X[:, n // 2 :])]
    with ThreadPoolExecutor(2) as pool:
        t, _ = best(lambda: list(pool.map(lambda part: forest.predict_block(p, part), halves)))
    res["ours_2"] = n / t
    walker = forest.ForestPredictor(p._arrays, p.n_features, p.factors,
                                    {"starts": p._starts, "max_depth": p._max_depth}, 0, kind=p.kind.name,
                                    base=p.base)  # fmt: skip
    t, walked = best(lambda: forest.predict_block(walker, X), 1)
    res["walk_1"] = n / t
    res["walk_identical"] = bool(np.array_equal(walked, ours))
    rows_x = np.ascontiguousarray(X.T)
    for threads in (1, 2):
        if kind == "xgboost":
            library.set_param({"nthread": threads})
            t, ref = best(lambda: library.inplace_predict(rows_x))
        else:
            with threadpool_limits(limits=threads, user_api="openmp"):
                t, ref = best(lambda: library.predict(rows_x))
        res[f"library_{threads}"] = n / t
    res["identical"] = bool(np.array_equal(ours, np.asarray(ref, dtype=np.float64)))
    t, _ = best(lambda: cm.predict_block(X, interval=True), 1)
    res["with_interval_1"] = n / t
    t, _ = best(lambda: cm.predict_block(X, interval=True, applicability=True), 1)
    res["with_interval_di_1"] = n / t
    return res


def child_engine(folder, model_path, memory_mb):
    from core.carbon import forest, model
    from core.common import style
    from core.engine import raster

    cm = model.load_model(model_path)
    paths = json.load(open(os.path.join(folder, "paths.json")))
    inputs = {f: raster.open_band(f, paths[f]) for f in cm.factors}
    keys = list(inputs)

    def kernel(blocks):
        X = np.concatenate([blocks[k] for k in keys])
        return {"density": forest.predict_block(cm.predictor, X)}

    out = raster.OutputSpec("density", os.path.join(folder, "density.tif"), "2001", ramp=style.SEQUENTIAL)
    t0 = time.perf_counter()
    rep = raster.run_pixelwise(inputs, kernel, [out], bytes_per_pixel=16.0 * 5 + 16.0 + 8.0 * 5 + 96.0,
                               memory_mb=memory_mb)  # fmt: skip
    print(
        json.dumps(
            {"seconds": time.perf_counter() - t0, "pixels": rep.pixels_total, "peak_mb": bp._peak_mb()}
        )
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--side", type=int, default=3000)
    parser.add_argument("--models", default="hgb-paper,hgb-deep,xgb-paper")
    parser.add_argument("--budget", default="256", help="engine memory budget (MB)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_engine(args.child[0], args.child[1], float(args.child[2]))
        return

    from core.carbon import boosting, model

    side = args.side
    print(f"Gradient boosting prediction, 5 factors, rasters {side} x {side}; cpu count {os.cpu_count()}")
    with tempfile.TemporaryDirectory() as tmp:
        paths = bp.write_factors(tmp, side, "smooth")
        with open(os.path.join(tmp, "paths.json"), "w") as fh:
            json.dump(paths, fh)
        for name in args.models.split(","):
            if name.startswith("xgb") and not boosting.xgboost_available():
                print(f"\n[{name}] skipped: xgboost is not installed")
                continue
            t0 = time.perf_counter()
            trained, report = train(name, side)
            fit_s = time.perf_counter() - t0
            X, y, _ = training(MODELS[name], side)
            Xt, yt = X[report.train_index], y[report.train_index]
            s = report.settings
            if name.startswith("xgb"):
                library = boosting.fit_xgboost(Xt, yt, s["n_trees"], s["min_samples_leaf"], s["max_depth"],
                                               s["learning_rate"], s["seed"])  # fmt: skip
                kind = "xgboost"
            else:
                library = boosting.fit_hist_gradient_boosting(Xt, yt, s["n_trees"], s["min_samples_leaf"],
                                                              s["max_depth"], s["learning_rate"], s["seed"])  # fmt: skip
                kind = "hist_gradient_boosting"
            path = os.path.join(tmp, f"{name}.npz")
            model.save_model(path, trained, {}, report)
            k = kernel_rates(trained, library, kind, tmp)
            print(
                f"\n[{name}] {MODELS[name]:,} points ({fit_s:.1f} s to train with CV, interval, AOA): "
                f"{k['trees']} trees, {k['tabulated']} as lookup tables; spatial CV RMSE "
                f"{report.cv['blocks']['pooled']['rmse']:.2f}, random CV {report.cv['random']['pooled']['rmse']:.2f}"
            )
            print(
                f"  kernel, {k['pixels'] / 1e6:.1f} M px in memory: predict_block {k['ours_1'] / 1e6:.2f} M px/s "
                f"(1 thread), {k['ours_2'] / 1e6:.2f} (2 threads); library predict {k['library_1'] / 1e6:.2f} "
                f"(1 thread), {k['library_2'] / 1e6:.2f} (2 threads); identical: {k['identical']}"
            )
            print(
                f"  with the interval: {k['with_interval_1'] / 1e6:.2f} M px/s; with interval and DI: "
                f"{k['with_interval_di_1'] / 1e6:.2f} M px/s (1 thread); every tree traversed instead of "
                f"tabulated: {k['walk_1'] / 1e6:.2f} M px/s (identical: {k['walk_identical']})"
            )
            if name == "hgb-paper":
                done = subprocess.run([sys.executable, __file__, "--child", tmp, path, args.budget],
                                      capture_output=True, text=True)  # fmt: skip
                if done.returncode:
                    raise RuntimeError(done.stderr[-3000:])
                e = json.loads(done.stdout.strip().splitlines()[-1])
                rate = e["pixels"] / e["seconds"]
                print(
                    f"  engine (read 5 GeoTIFFs, predict, write 1), budget {args.budget} MB: {e['seconds']:.1f} s, "
                    f"{rate / 1e6:.2f} M px/s, peak RSS {e['peak_mb']:.0f} MB; 74 M px per year: {74e6 / rate:.0f} s"
                )


if __name__ == "__main__":
    main()

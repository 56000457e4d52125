"""Throughput of the Sen + Mann–Kendall kernel (core.stats.trend.sen_mann_kendall).

Synthetic stack: 24 years x 200,000 pixels, float32, linear trend + noise, 1 % of the values NaN
(seeded). The kernel runs on one thread over the whole block and on two threads over sub-blocks (as
the raster engine does); a per-pixel loop of pymannkendall.original_test + scipy.stats.theilslopes on
2,000 pixels is the reference speed.

Run from the repository root::

    .venv/bin/python bench/bench_trend_kernel.py [--pixels 200000] [--method original]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from core.stats.trend import sen_mann_kendall  # noqa: E402


def make_stack(n_years=24, n_pixels=200_000, nan_share=0.01, seed=20240501):
    rng = np.random.default_rng(seed)
    years = np.arange(2001, 2001 + n_years)
    slope = rng.normal(0.3, 0.4, n_pixels)
    level = rng.uniform(10.0, 80.0, n_pixels)
    noise = rng.normal(0.0, 2.0, (n_years, n_pixels))
    stack = (level + slope * (years - years[0])[:, None] + noise).astype(np.float32)
    stack[rng.random(stack.shape) < nan_share] = np.nan
    return stack, years


def run_single(stack, years, method):
    return sen_mann_kendall(stack, years, method=method)


def run_threads(stack, years, method, threads=2, block=16_384):
    bounds = [(a, min(a + block, stack.shape[1])) for a in range(0, stack.shape[1], block)]
    out = {}
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(sen_mann_kendall, stack[:, a:b], years, method) for a, b in bounds]
        parts = [f.result() for f in futures]
    for key in parts[0]:
        out[key] = np.concatenate([p[key] for p in parts])
    return out


def run_reference(stack, years):
    import pymannkendall as mk
    from scipy.stats import theilslopes

    slope = np.empty(stack.shape[1])
    for j in range(stack.shape[1]):
        x = stack[:, j].astype(np.float64)
        ok = ~np.isnan(x)
        mk.original_test(x[ok])
        slope[j] = theilslopes(x[ok], years[ok]).slope
    return slope


def best_time(fn, repeat):
    best = np.inf
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pixels", type=int, default=200_000)
    parser.add_argument("--years", type=int, default=24)
    parser.add_argument("--nan-share", type=float, default=0.01)
    parser.add_argument("--method", choices=("original", "hamed_rao"), default="original")
    parser.add_argument("--reference-pixels", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    stack, years = make_stack(args.years, args.pixels, args.nan_share)
    n_pix = stack.shape[1]
    gaps = int((np.isnan(stack).any(axis=0)).sum())
    print(
        f"stack {stack.shape} float32, {gaps:,} pixels ({gaps / n_pix:.1%}) with a missing year, "
        f"method={args.method}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} "
        "(other processes on the machine lower the numbers; best of --repeat runs)"
    )

    t1, res1 = best_time(lambda: run_single(stack, years, args.method), args.repeat)
    t2, res2 = best_time(lambda: run_threads(stack, years, args.method), args.repeat)
    for key in res1:
        np.testing.assert_array_equal(res1[key], res2[key])
    n_ref = min(args.reference_pixels, n_pix)
    tr, ref_slope = best_time(lambda: run_reference(stack[:, :n_ref], years), 1)
    np.testing.assert_allclose(res1["slope"][:n_ref], ref_slope, rtol=1e-5, atol=1e-6)

    rate1, rate2, rate_ref = n_pix / t1, n_pix / t2, n_ref / tr
    print(f"kernel, 1 thread          : {rate1:12,.0f} pixels/s  ({t1:.3f} s)")
    print(f"kernel, 2 threads         : {rate2:12,.0f} pixels/s  ({t2:.3f} s, x{t1 / t2:.2f} over 1 thread)")
    print(f"pymannkendall+theilslopes : {rate_ref:12,.0f} pixels/s  (per-pixel loop, {n_ref:,} pixels)")
    print(
        f"speed-up over the loop    : x{rate1 / rate_ref:,.0f} (1 thread), x{rate2 / rate_ref:,.0f} (2 threads)"
    )


if __name__ == "__main__":
    main()

"""Benchmark: true pixel areas (core.engine.area) per window, next to the kernels that use them.

Prints, on this machine, for a 20 M-pixel window (5000 × 4000, the largest the engine plans) and for
the window carbon storage gets at the default 512 MB budget with 24 years (about 440 k pixels):
- the time of ``Grid.pixel_areas(window)`` on geographic, Web Mercator, UTM, Beijing 1954 Gauss-Kruger,
  Lambert conformal conic and Albers grids, with the way it was computed (rows / lattice cell size) and
  the number of points transformed by PROJ;
- for comparison, on the same window, the storage kernel (24 bands × density × area) and the
  Theil–Sen + Mann–Kendall kernel (timed on 200 k pixels and scaled to the window).

Usage: ``.venv/bin/python bench/bench_areas.py [--cols 5000 --rows 4000]``
"""

import argparse
import os
import sys
import time

import numpy as np
from osgeo import osr

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from core.engine.area import PixelAreas  # noqa: E402
from core.stats import trend  # noqa: E402

GRIDS = {
    "WGS 84, 0.00025°": ("EPSG:4326", (105.0, 0.00025, 0.0, 39.5, 0.0, -0.00025)),
    "Web Mercator, 30 m": ("EPSG:3857", (11600000.0, 30.0, 0.0, 4579425.0, 0.0, -30.0)),
    "UTM 48N, 30 m": ("EPSG:32648", (300000.0, 30.0, 0.0, 4400000.0, 0.0, -30.0)),
    "UTM 48N, 250 m": ("EPSG:32648", (0.0, 250.0, 0.0, 4800000.0, 0.0, -250.0)),
    "Beijing 1954 GK zone 35, 1 km": ("EPSG:2411", (33000000.0, 1000.0, 0.0, 5000000.0, 0.0, -1000.0)),
    "Lambert conformal conic (Asia), 1 km": (
        "+proj=lcc +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +datum=WGS84 +units=m",
        (-2500000.0, 1000.0, 0.0, 6000000.0, 0.0, -1000.0),
    ),
    "Albers (China), 1 km": (
        "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +datum=WGS84 +units=m",
        (-2500000.0, 1000.0, 0.0, 6000000.0, 0.0, -1000.0),
    ),
}


def time_areas(crs, gt, cols, rows):
    srs = osr.SpatialReference()
    srs.SetFromUserInput(crs)
    areas = PixelAreas(srs.ExportToWkt(), gt)
    counted = [0]
    transform = areas._geographic

    def counting(x, y):
        counted[0] += np.size(x)
        return transform(x, y)

    areas._geographic = counting
    areas.window(0, 0, 64, 64)  # the PROJ transformation is created once per thread: not timed
    counted[0] = 0
    t0 = time.perf_counter()
    out = areas.window(0, 0, cols, rows)
    dt = time.perf_counter() - t0
    how = "rows" if areas.mode != "lattice" else f"lattice {areas.last_cell}"
    assert out.shape == (rows, cols) and np.isfinite(out).all()
    return dt, how, counted[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cols", type=int, default=5000)
    parser.add_argument("--rows", type=int, default=4000)
    args = parser.parse_args()
    windows = [(args.cols, args.rows), (5000, 88)]  # 88 rows × 5000: 440 k pixels, carbon storage's window
    rng = np.random.default_rng(0)
    for cols, rows in windows:
        n = cols * rows
        print(f"\nWindow {cols} × {rows} = {n / 1e6:.2f} M pixels")
        for name, (crs, gt) in GRIDS.items():
            dt, how, points = time_areas(crs, gt, cols, rows)
            print(f"  areas  {name:40s} {dt:7.3f} s  ({how}, {points:,} points transformed)")
        density = rng.uniform(20, 60, (24, min(n, 2_000_000))).astype(np.float32)
        area = np.full((1, density.shape[1]), 900.0)
        t0 = time.perf_counter()
        _ = density * area / 10_000.0
        dt = (time.perf_counter() - t0) * n / density.shape[1]
        print(f"  kernel storage (24 bands × density × area)        {dt:7.3f} s")
        sample = 200_000
        values = (40 + 0.2 * np.arange(24)[:, None] + rng.normal(0, 2, (24, sample))).astype(np.float32)
        t0 = time.perf_counter()
        trend.sen_mann_kendall(values, np.arange(2001, 2025))
        dt = (time.perf_counter() - t0) * n / sample
        print(f"  kernel Theil–Sen + Mann–Kendall, 24 years          {dt:7.3f} s  (scaled from 200 k pixels)")


if __name__ == "__main__":
    main()

"""Benchmark: ``carbonsink:senmannkendall`` through ``qgis_process``, timed as a whole process.

What a user running the plugin headless waits for: QGIS starting, the plugin loading, the stack read,
Sen + Mann–Kendall on every pixel, the default outputs (Sen slope and trend class, the two outputs the
algorithm creates when none is named) written, styled and moved into place, and QGIS closing. The
stack is the synthetic one of ``bench/bench_trend.py`` (trend + AR noise, 1 % missing values, float32,
tiled, LZW), 1500 × 1500 pixels × 24 years by default.

Beside each run, in the same process and the same minutes, a per-pixel peer: a loop of
``pymannkendall.original_test`` (which includes its Sen slope) over a sample of the stack's pixels.
Each repetition prints the whole-process rate (pixels / wall-clock seconds of ``qgis_process``), the
peer's rate and their ratio, the CPU seconds of the ``qgis_process`` child (user + system: more than
the wall-clock time when both cores worked), its peak memory, and the load average before it. A run
of the same algorithm on a 20 × 20 stack gives the fixed cost of a ``qgis_process`` run (QGIS, its
providers and this plugin loading), which no engine work can remove.

The machine is shared: read the ranges, and the load averages beside them. ``--checkout DIR`` also runs
the plugin of another checkout (its ``scripts/qgis_process``), in turn with this one, for a before/after
comparison in one run.

Usage: ``.venv/bin/python bench/bench_qgis_process.py [--side 1500] [--years 24] [--repeat 3]
[--peer-pixels 2000] [--checkout DIR ...]``
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))

from bench_trend import peer_loop  # noqa: E402


def load():
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def run_qgis_process(checkout, stack, out_dir):
    """One whole ``qgis_process`` run; returns (wall s, child CPU s, child peak RSS MB)."""
    os.makedirs(out_dir, exist_ok=True)
    cmd = [
        os.path.join(checkout, "scripts", "qgis_process"),
        "run",
        "carbonsink:senmannkendall",
        "--",
        f"INPUT={stack}",
        f"SLOPE={os.path.join(out_dir, 'slope.tif')}",
        f"TREND_CLASS={os.path.join(out_dir, 'class.tif')}",
    ]
    log = os.path.join(out_dir, "log.txt")
    with open(log, "w") as out:
        t0 = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own CPU time and peak memory
        wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code != 0 or not os.path.exists(os.path.join(out_dir, "slope.tif")):
        with open(log) as f:
            sys.exit(f"qgis_process failed ({code}):\n{f.read()[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--side", type=int, default=1500)
    parser.add_argument("--years", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--peer-pixels", type=int, default=2000)
    parser.add_argument(
        "--checkout", action="append", default=[], help="also run the plugin of this checkout; repeatable"
    )
    args = parser.parse_args()
    checkouts = [ROOT] + [os.path.abspath(c) for c in args.checkout]
    pixels = args.side * args.side
    print(
        f"carbonsink:senmannkendall via qgis_process, {args.side} x {args.side} x {args.years} "
        f"({pixels / 1e6:.2f} M px), default outputs (slope, trend class); cpu count {os.cpu_count()}; {load()}"
    )
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        stack = os.path.join(tmp, "stack.tif")
        small = os.path.join(tmp, "small.tif")
        # in child processes, as bench_trend.py does, so that this process stays small
        for path, side in ((stack, args.side), (small, 20)):
            subprocess.run(
                [
                    sys.executable,
                    os.path.join(ROOT, "bench", "bench_trend.py"),
                    "--write-stack",
                    path,
                    str(side),
                    str(args.years),
                ],
                check=True,
            )
        for checkout in checkouts:
            run_qgis_process(checkout, small, os.path.join(tmp, "warm"))  # page cache, QGIS profile
        rows = {c: [] for c in checkouts}
        for rep in range(args.repeat):
            for checkout in checkouts:
                state = load()
                peer = peer_loop(stack, args.peer_pixels)
                fixed, _, _ = run_qgis_process(checkout, small, os.path.join(tmp, f"small_{rep}"))
                wall, cpu, rss = run_qgis_process(checkout, stack, os.path.join(tmp, f"out_{rep}"))
                rate = pixels / wall
                rows[checkout].append((rate, peer, rate / peer, wall, cpu, fixed, rss))
                print(
                    f"  [{rep + 1}] {os.path.basename(checkout)}: {wall:.2f} s, {rate / 1e6:.3f} M px/s "
                    f"whole process (CPU {cpu:.1f} s = {cpu / wall:.2f} cores; a 20 x 20 run: {fixed:.2f} s); "
                    f"peer {peer:,.0f} px/s; ratio {rate / peer:,.0f}x; peak RSS {rss:.0f} MB; {state}",
                    flush=True,
                )
                for name in os.listdir(os.path.join(tmp, f"out_{rep}")):
                    os.remove(os.path.join(tmp, f"out_{rep}", name))
        for checkout, r in rows.items():
            r = np.asarray(r)
            lo, hi = r.min(axis=0), r.max(axis=0)
            print(
                f"{os.path.basename(checkout)}: {lo[0] / 1e6:.3f}-{hi[0] / 1e6:.3f} M px/s whole process, "
                f"ratio to the pymannkendall loop {lo[2]:,.0f}-{hi[2]:,.0f}x (peer {lo[1]:,.0f}-{hi[1]:,.0f} px/s), "
                f"{lo[3]:.2f}-{hi[3]:.2f} s of which {lo[5]:.2f}-{hi[5]:.2f} s is a qgis_process run on a 20 x 20 "
                f"stack; now {load()}"
            )


if __name__ == "__main__":
    main()

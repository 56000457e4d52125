"""Command line: run a job file on a Dask scheduler, without QGIS.

From the plugin folder::

    python3 -m core.distributed job.json --scheduler local:2
    python3 -m core.distributed job.json --scheduler tcp://10.0.0.5:8786
    python3 -m core.distributed --steps

The job file is JSON: ``{"step": "senmannkendall", "inputs": {"INPUT": "stack.tif"},
"outputs": {"SLOPE": "slope.tif", "TREND_CLASS": "trend.tif"}, "parameters": {"ALPHA": 0.05}}``, with
the algorithm's parameter names. The run's report (counts, class areas, totals, outputs) is printed as
JSON on standard output (and written to ``--report`` if given); errors go to standard error with exit
status 2 (a wrong job or input) or 1.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..engine.raster import RasterInputError
from . import runner, steps


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m core.distributed",
        description="Run a Carbon Sink Diagnostics job (a step of the plugin) chunk by chunk on Dask.",
    )
    parser.add_argument("job", nargs="?", help="the job file (JSON: step, inputs, outputs, parameters)")
    parser.add_argument("--scheduler", default="serial", help=runner.SCHEDULER_HELP + " (default: serial)")
    parser.add_argument(
        "--chunk-mb",
        type=float,
        default=None,
        help="memory budget of one chunk in MB (default: the job's MEMORY_MB, else 256)",
    )
    parser.add_argument(
        "--memory-limit", default="auto", help="memory limit per worker of a local:N cluster, e.g. 512MB"
    )
    parser.add_argument("--report", help="also write the run's report (JSON) to this file")
    parser.add_argument("--quiet", action="store_true", help="no progress on standard error")
    parser.add_argument("--steps", action="store_true", help="list the steps a job may name and exit")
    args = parser.parse_args(argv)
    if args.steps:
        print("\n".join([*steps.STEPS, *runner.MORAN_STEPS]))
        return 0
    if not args.job:
        parser.error("a job file is needed (or --steps)")
    try:
        with open(args.job, encoding="utf-8") as fh:
            job = json.load(fh)
    except (OSError, json.JSONDecodeError) as exc:
        print(f"error: job file {args.job}: {exc}", file=sys.stderr)
        return 2

    def progress(done, total):
        if not args.quiet:
            print(f"\r{done}/{total} chunks", end="\n" if done == total else "", file=sys.stderr, flush=True)

    try:
        report = runner.run_job(
            job, args.scheduler, chunk_mb=args.chunk_mb, memory_limit=args.memory_limit, progress=progress
        )
    except (steps.JobError, RasterInputError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text = json.dumps(report, indent=2, ensure_ascii=False)
    if args.report:
        with open(args.report, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

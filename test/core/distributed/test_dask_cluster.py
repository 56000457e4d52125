"""The same jobs on real Dask schedulers: a LocalCluster of 2 processes × 1 thread, a loopback
``dask scheduler`` + ``dask worker`` pair in subprocesses, and (CSD_SLOW=1) an input larger than each
worker's memory. Every output must be the serial run's, pixel for pixel, and every count and total equal."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from dask_inputs import metadata, pixels, write_tiled_stack

from core.distributed import JobError, run_job

distributed = pytest.importorskip("distributed")
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    return write_tiled_stack(tmp_path_factory.mktemp("dask-in") / "cd.tif")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, memory_limit="1GB"
    ) as c:
        yield c.scheduler_address


def jobs(stack, out):
    return [
        {
            "step": "senmannkendall",
            "inputs": {"INPUT": stack},
            "outputs": {
                k: str(out / f"smk_{k}.tif") for k in ("SLOPE", "TREND_CLASS", "Z_SCORE", "P_VALUE", "S")
            },
            "parameters": {"METHOD": 1, "FIVE_CLASSES": True, "MEMORY_MB": 2},
        },
        {
            "step": "coefficientofvariation",
            "inputs": {"INPUT": stack},
            "outputs": {"CV": str(out / "cv.tif"), "CV_CLASS": str(out / "cv_class.tif")},
            "parameters": {"MEMORY_MB": 2},
        },
        {
            "step": "hurstexponent",
            "inputs": {"INPUT": stack},
            "outputs": {"HURST": str(out / "hurst.tif")},
            "parameters": {"MEMORY_MB": 2, "RS_CONVENTION": "mandelbrot_wallis"},
        },
        {
            "step": "localmoran",
            "inputs": {"INPUT_RASTER": stack},
            "outputs": {
                k: str(out / f"lisa_{k}.tif")
                for k in ("LISA_CLUSTER", "LOCAL_I", "Z_SCORE", "P_VALUE", "QUADRANT")
            },
            "parameters": {"BAND": 4, "INFERENCE": 1, "WEIGHTS": "rook", "MEMORY_MB": 2},
        },
        {
            "step": "carbonstorage",
            "inputs": {"CARBON_DENSITY": stack},
            "outputs": {"STORAGE": str(out / "storage.tif")},
            "parameters": {"MEMORY_MB": 2},
        },
    ]


def assert_same_run(a, b, report_a, report_b):
    for name, path in report_a["outputs"].items():
        other = report_b["outputs"][name]
        assert np.array_equal(pixels(path), pixels(other)), name
        assert metadata(path) == metadata(other), name
        qml, other_qml = Path(path).with_suffix(".qml"), Path(other).with_suffix(".qml")
        assert qml.exists() == other_qml.exists(), name
        if qml.exists():
            assert qml.read_text() == other_qml.read_text(), name
    for key in ("pixels_total", "pixels_computed", "counters", "class_areas", "chunks"):
        assert report_a[key] == report_b[key], key
    assert report_a.get("totals") == report_b.get("totals")  # exact: the same floats


def test_local_cluster_of_two_processes_equals_serial(stack, cluster, tmp_path):
    (tmp_path / "serial").mkdir()
    (tmp_path / "dask").mkdir()
    for serial_job, dask_job in zip(jobs(stack, tmp_path / "serial"), jobs(stack, tmp_path / "dask")):
        a = run_job(serial_job, "serial")
        b = run_job(dask_job, cluster)
        assert b["workers"] == 2 and b["chunks"] == 9
        assert_same_run(tmp_path / "serial", tmp_path / "dask", a, b)
    moran = {
        "step": "globalmoran",
        "inputs": {"INPUT_RASTER": stack},
        "parameters": {"BAND": 2, "MEMORY_MB": 2},
    }
    assert run_job(moran, "serial")["moran"] == run_job(moran, cluster)["moran"]  # exact: fsum of partials


def test_lisa_permutation_and_fdr_are_refused_with_a_reason(stack, tmp_path):
    job = {
        "step": "localmoran",
        "inputs": {"INPUT_RASTER": stack},
        "outputs": {"LOCAL_I": str(tmp_path / "i.tif")},
    }
    with pytest.raises(JobError, match="'INFERENCE' must be analytic"):
        run_job(job, "serial")
    with pytest.raises(JobError, match="FDR"):
        run_job({**job, "parameters": {"INFERENCE": "analytic", "FDR": True}}, "serial")


def test_local_n_scheduler_starts_and_stops_its_own_cluster(stack, tmp_path):
    job = jobs(stack, tmp_path)[1]
    report = run_job(job, "local:2", memory_limit="512MB")
    assert report["scheduler"] == "local:2" and report["workers"] == 2
    assert report["counters"]["not_positive"] == 0 and np.isfinite(pixels(tmp_path / "cv.tif")).all()


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_is_a_clear_error(stack, tmp_path):
    with pytest.raises(JobError, match=r"scheduler at tcp://127.0.0.1:\d+ cannot be reached"):
        run_job(jobs(stack, tmp_path)[2], f"tcp://127.0.0.1:{_free_port()}", timeout=2)
    assert not list(tmp_path.iterdir())  # nothing written, no parts folder left


def test_loopback_dask_scheduler_and_worker_processes(stack, tmp_path):
    dask = Path(sys.executable).parent / "dask"
    if not dask.exists():
        pytest.skip("the 'dask' command is not installed beside this Python")
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    scheduler = subprocess.Popen(
        [str(dask), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(
        [
            str(dask),
            "worker",
            f"tcp://127.0.0.1:{port}",
            "--nworkers",
            "1",
            "--nthreads",
            "1",
            "--no-dashboard",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    try:
        (tmp_path / "serial").mkdir()
        (tmp_path / "pair").mkdir()
        job_file = tmp_path / "job.json"
        job_file.write_text(json.dumps(jobs(stack, tmp_path / "pair")[0]))
        deadline = time.monotonic() + 60
        while True:  # the CLI, as a user runs it, against the address
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "core.distributed",
                    str(job_file),
                    "--scheduler",
                    f"tcp://127.0.0.1:{port}",
                    "--quiet",
                ],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=300,
            )
            if done.returncode == 0 or time.monotonic() > deadline or "cannot be reached" not in done.stderr:
                break
            time.sleep(1)
        assert done.returncode == 0, done.stderr
        b = json.loads(done.stdout)
        assert b["workers"] == 1
        a = run_job(jobs(stack, tmp_path / "serial")[0], "serial")
        assert_same_run(tmp_path / "serial", tmp_path / "pair", a, b)
    finally:
        for p in (worker, scheduler):
            p.terminate()
        for p in (worker, scheduler):
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


@pytest.mark.skipif(
    os.environ.get("CSD_SLOW") != "1", reason="out-of-core run (minutes): CSD_SLOW=1 to run it"
)
def test_out_of_core_input_larger_than_each_workers_memory(tmp_path):
    """4000 × 4000 × 24 float32 (1.5 GB) on 2 workers limited to 512 MB each."""
    from osgeo import gdal, osr

    rows = cols = 4000
    path = tmp_path / "big.tif"
    ds = gdal.GetDriverByName("GTiff").Create(
        str(path),
        cols,
        rows,
        24,
        gdal.GDT_Float32,
        ["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "BIGTIFF=YES"],
    )
    ds.SetGeoTransform((560000.0, 30.0, 0.0, 4250000.0, 0.0, -30.0))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32648)
    ds.SetProjection(srs.ExportToWkt())
    rng = np.random.default_rng(1)
    for b in range(24):
        band = ds.GetRasterBand(b + 1)
        band.SetNoDataValue(-9999.0)
        for r in range(0, rows, 500):
            base = 40.0 + 0.5 * b + rng.normal(0, 2, (500, cols))
            band.WriteArray(base.astype(np.float32), 0, r)
    ds = None
    assert path.stat().st_size > 1.4e9
    job = {
        "step": "senmannkendall",
        "inputs": {"INPUT": str(path)},
        "outputs": {"SLOPE": str(tmp_path / "slope.tif"), "TREND_CLASS": str(tmp_path / "class.tif")},
        "parameters": {"MEMORY_MB": 64},
    }
    started = time.perf_counter()
    report = run_job(job, "local:2", memory_limit="512MB")
    seconds = time.perf_counter() - started
    print(
        f"\nout-of-core: {report['chunks']} chunks, {report['pixels_computed']:,} px in {seconds:.1f} s "
        f"= {report['pixels_computed'] / seconds / 1e6:.3f} M px/s on 2 workers of 512 MB"
    )
    assert report["pixels_computed"] == rows * cols
    slope = pixels(tmp_path / "slope.tif")
    assert slope.shape == (1, rows, cols) and abs(float(np.median(slope)) - 0.5) < 0.05


def test_a_scheduler_without_workers_is_a_clear_error(stack, tmp_path):
    dask = Path(sys.executable).parent / "dask"
    if not dask.exists():
        pytest.skip("the 'dask' command is not installed beside this Python")
    port = _free_port()
    scheduler = subprocess.Popen(
        [str(dask), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                run_job(jobs(stack, tmp_path)[2], f"tcp://127.0.0.1:{port}", timeout=3)
            except JobError as exc:
                if "cannot be reached" in str(exc) and time.monotonic() < deadline:
                    time.sleep(1)  # the scheduler is still starting
                    continue
                assert "no worker joined the Dask scheduler" in str(exc)
                break
        assert not list(tmp_path.iterdir())
    finally:
        scheduler.terminate()
        scheduler.wait(timeout=30)

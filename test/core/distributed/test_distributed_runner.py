"""The distributed runner without QGIS: chunk grid, halo reads, exactness, schedulers, errors, CLI."""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from dask_inputs import metadata, pixels, write_tiled_stack
from osgeo import gdal

from core.carbon import storage
from core.distributed import JobError, run_job
from core.distributed.chunks import block_size, chunk_grid
from core.distributed.io import read_chunk
from core.engine import raster
from core.stats import trend

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    return write_tiled_stack(tmp_path_factory.mktemp("dask-in") / "cd.tif")


def smk_job(stack, out, **parameters):
    return {
        "step": "senmannkendall",
        "inputs": {"INPUT": stack},
        "outputs": {
            "SLOPE": str(out / "slope.tif"),
            "TREND_CLASS": str(out / "class.tif"),
            "P_VALUE": str(out / "p.tif"),
            "S": str(out / "s.tif"),
        },
        "parameters": {"MEMORY_MB": 2, **parameters},
    }


def test_chunk_grid_is_whole_tiles_covering_each_pixel_once(stack):
    block = block_size(stack)
    assert block == (128, 128)
    chunks = chunk_grid(280, 300, block, 900.0, 2)
    cover = np.zeros((300, 280), dtype=int)
    for c in chunks:
        assert c.col0 % 128 == 0 and c.row0 % 128 == 0
        cover[c.row0 : c.row0 + c.nrows, c.col0 : c.col0 + c.ncols] += 1
    assert (cover == 1).all()
    assert len(chunks) == 9  # 3 × 3 tiles of 128 at 2 MB and 900 bytes per pixel
    # a larger budget takes k × k tiles; the grid never depends on anything but size, block and budget
    assert [c.window for c in chunk_grid(280, 300, block, 900.0, 64)] == [
        (0, 0, 256, 256),
        (256, 0, 24, 256),
        (0, 256, 256, 44),
        (256, 256, 24, 44),
    ]


def test_halo_read_is_the_neighbourhood_padded_with_nan(stack):
    s = raster.open_stack("Yearly stack", [stack])
    whole = raster.read_window(s, (0, 0, 280, 300), {})
    padded = np.full((24, 302, 282), np.nan, dtype=whole.dtype)
    padded[:, 1:-1, 1:-1] = whole
    for window in [(0, 0, 128, 128), (128, 128, 128, 128), (256, 256, 24, 44)]:
        c0, r0, nc, nr = window
        got = read_chunk(s, window, {}, halo=1)
        assert got.shape == (24, nr + 2, nc + 2)
        np.testing.assert_array_equal(got, padded[:, r0 : r0 + nr + 2, c0 : c0 + nc + 2])


def test_serial_run_equals_the_kernel_on_the_whole_raster(stack, tmp_path):
    report = run_job(smk_job(stack, tmp_path), "serial")
    assert report["chunks"] == 9
    s = raster.open_stack("Yearly stack", [stack])
    whole = raster.read_window(s, (0, 0, 280, 300), {}).reshape(24, -1)
    keep = np.count_nonzero(~np.isnan(whole), axis=0) >= raster.min_valid_years(24, 75)
    res = trend.sen_mann_kendall(whole[:, keep], np.arange(2001, 2025))
    expected = np.full(280 * 300, raster.FLOAT_NODATA, dtype=np.float32)
    expected[keep] = np.where(np.isfinite(res["slope"]), res["slope"], raster.FLOAT_NODATA).astype(np.float32)
    assert np.array_equal(pixels(tmp_path / "slope.tif").ravel(), expected)
    assert report["pixels_computed"] == int(keep.sum())
    meta = metadata(tmp_path / "class.tif")
    assert meta["descriptions"] == ["Sen + Mann-Kendall trend"] and meta["nodata"] == [0.0]
    assert meta["categories"][1:4] == [
        "Significant decrease",
        "No significant change",
        "Significant increase",
    ]
    assert gdal.Open(str(tmp_path / "slope.tif")).GetMetadata("IMAGE_STRUCTURE").get("LAYOUT") == "COG"
    assert (tmp_path / "class.qml").read_text().count("paletteEntry") == 3
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".")]  # no parts folder left


def test_storage_totals_are_exact_sums_of_chunk_partials(stack, tmp_path):
    job = {
        "step": "carbonstorage",
        "inputs": {"CARBON_DENSITY": stack},
        "outputs": {"STORAGE": str(tmp_path / "storage.tif")},
        "parameters": {"MEMORY_MB": 2},
    }
    report = run_job(job, "serial")
    totals = report["totals"]
    # the expected totals, chunk by chunk over the same fixed grid: math.fsum of math.fsum partials
    s = raster.open_stack("c", [stack])
    chunks = chunk_grid(280, 300, (128, 128), 48.0 * 24 + 64 + 4 * 24, 2)
    assert len(chunks) == report["chunks"] == 9
    area_parts, storage_parts, n = [], [], 0
    for c in chunks:
        dens = raster.read_window(s, c.window, {}).reshape(24, -1)
        area = s.grid.pixel_areas(c.window).reshape(-1)
        complete = np.all(np.isfinite(dens), axis=0)
        st = storage.storage_from_density(dens[:, complete], area[complete][None, :])
        n += int(complete.sum())
        area_parts.append(math.fsum(area[complete].tolist()))
        storage_parts.append([math.fsum(row.tolist()) for row in st])
    assert totals["pixels"] == n
    assert totals["area_hm2"] == math.fsum(area_parts) / 10_000.0
    assert totals["storage_t"] == [math.fsum(p[i] for p in storage_parts) for i in range(24)]
    # the storage raster holds the float32 storages of the same pixels
    written = pixels(tmp_path / "storage.tif").astype(float)
    written[written == raster.FLOAT_NODATA] = np.nan
    assert np.nansum(written, axis=(1, 2)) == pytest.approx(totals["storage_t"], rel=1e-6)
    # another chunk grid: the same totals within the rounding of the pixel areas (about 1e-7)
    other = run_job(
        {**job, "outputs": {"STORAGE": str(tmp_path / "s2.tif")}, "parameters": {"MEMORY_MB": 256}}, "serial"
    )
    assert other["chunks"] < report["chunks"]
    assert other["totals"]["storage_t"] == pytest.approx(totals["storage_t"], rel=1e-6)


def test_job_errors_name_what_is_wrong(stack, tmp_path):
    with pytest.raises(JobError, match="unknown step 'senmann'"):
        run_job({"step": "senmann", "inputs": {}, "outputs": {}}, "serial")
    with pytest.raises(JobError, match="'INPUT'"):
        run_job({"step": "senmannkendall", "inputs": {}, "outputs": {"SLOPE": "x.tif"}}, "serial")
    with pytest.raises(JobError, match="no output requested"):
        run_job({"step": "senmannkendall", "inputs": {"INPUT": stack}, "outputs": {}}, "serial")
    with pytest.raises(JobError, match="unknown scheduler 'cluster'"):
        run_job(smk_job(stack, tmp_path), "cluster")
    with pytest.raises(raster.RasterInputError, match="is the input layer"):
        run_job({"step": "hurstexponent", "inputs": {"INPUT": stack}, "outputs": {"HURST": stack}}, "serial")


def test_cli_runs_a_job_file_and_reports_json(stack, tmp_path):
    job = tmp_path / "job.json"
    job.write_text(json.dumps(smk_job(stack, tmp_path)))
    done = subprocess.run(
        [sys.executable, "-m", "core.distributed", str(job), "--scheduler", "serial", "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["outputs"]["SLOPE"] == str(tmp_path / "slope.tif")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"step": "nope"}))
    done = subprocess.run(
        [sys.executable, "-m", "core.distributed", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2 and "unknown step 'nope'" in done.stderr and "Traceback" not in done.stderr

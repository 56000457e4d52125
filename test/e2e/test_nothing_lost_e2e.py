"""Issue 10 as users meet it, through qgis_process: nothing lost, nothing silently wrong, no traceback."""

import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal
from rasters import read_raster, write_raster
from scipy import stats

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
QGIS_PROCESS = ROOT / "scripts" / "qgis_process"
YEARS = list(range(2001, 2025))


def qgis_process(*args, home):
    env = {"CSD_QGIS_HOME": str(home), "PATH": "/usr/bin:/bin"}
    return subprocess.run([str(QGIS_PROCESS), *args], capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("qgis-profile")


def _increasing(path, rows=20, cols=25, seed=0, **kwargs):
    rng = np.random.default_rng(seed)
    data = 30 + 0.8 * np.arange(24)[:, None, None] + rng.normal(0, 0.5, (24, rows, cols))
    kwargs.setdefault("descriptions", YEARS)
    return write_raster(path, data, **kwargs), data


def _files(folder):
    """Files in ``folder`` apart from the .aux.xml QGIS writes beside every raster it loads."""
    return sorted(n for n in os.listdir(folder) if not n.endswith(".tif.aux.xml"))


def _failed_cleanly(done, *words):
    text = done.stdout + done.stderr
    assert done.returncode != 0, text
    assert "Traceback" not in text, text
    for word in words:
        assert word in text, text
    return text


def test_output_that_is_an_input_is_refused_and_nothing_is_lost(home, tmp_path):
    x, _ = _increasing(tmp_path / "x.tif")
    before = open(x, "rb").read()
    done = qgis_process(
        "run", "carbonsink:senmannkendall", "--", f"INPUT={x}", f"SLOPE={x}", f"TREND_CLASS={tmp_path / 't.tif'}",
        home=home,
    )  # fmt: skip
    _failed_cleanly(done, "(SLOPE)", "(INPUT)", "destroy its own input")
    assert open(x, "rb").read() == before and _files(tmp_path) == ["x.tif"]

    # Future trend and predict over an input; zoning over its class raster keeps the class names.
    slope = write_raster(tmp_path / "slope.tif", np.ones((5, 5)))
    hurst = write_raster(tmp_path / "hurst.tif", np.full((5, 5), 0.7))
    done = qgis_process(
        "run", "carbonsink:futuretrend", "--", f"SLOPE={slope}", f"HURST={hurst}", f"FUTURE_CLASS={slope}",
        home=home,
    )  # fmt: skip
    _failed_cleanly(done, "(FUTURE_CLASS)", "(SLOPE)")
    model = tmp_path / "model.npz"
    model.write_bytes(b"not read: the run stops before")
    done = qgis_process(
        "run", "carbonsink:predictcarbondensity", "--", f"MODEL={model}", f"STATIC_FACTORS={hurst}",
        f"CARBON_DENSITY={hurst}",
        home=home,
    )  # fmt: skip
    _failed_cleanly(done, "(CARBON_DENSITY)", "(STATIC_FACTORS)")
    classes = write_raster(
        tmp_path / "class.tif", np.resize([1.0, 2.0, 3.0], (5, 5)), nodata=0, dtype=gdal.GDT_Byte
    )
    ds = gdal.Open(classes, gdal.GA_Update)
    ds.GetRasterBand(1).SetCategoryNames(
        ["", "Significant decrease", "No significant change", "Significant increase"]
    )
    ds = None
    done = qgis_process(
        "run", "carbonsink:diagnosticzoning", "--", f"TREND_CLASS={classes}", f"ZONES={classes}", home=home
    )
    _failed_cleanly(done, "(ZONES)", "(TREND_CLASS)")
    # (QGIS adds histograms to the .aux.xml of every raster it loads; the class names must survive.)
    ds = gdal.Open(classes)
    band = ds.GetRasterBand(1)
    band.GetMetadata()  # makes GDAL read the .aux.xml
    assert band.GetCategoryNames()[3] == "Significant increase"
    band = ds = None


def test_years_that_contradict_the_bands_stop_with_both_lists(home, tmp_path):
    data = 30 + 0.8 * np.arange(24)[:, None, None] + np.zeros((24, 6, 7))
    rev = write_raster(tmp_path / "rev.tif", data[::-1], descriptions=YEARS[::-1])
    out = [f"SLOPE={tmp_path / 's.tif'}", f"TREND_CLASS={tmp_path / 't.tif'}"]
    done = qgis_process(
        "run", "carbonsink:senmannkendall", "--", f"INPUT={rev}", "YEARS=2001-2024", *out, home=home
    )
    _failed_cleanly(done, "2001-2024", "2024, 2023, …, 2001 (descending)")
    done = qgis_process(
        "run", "carbonsink:senmannkendall", "--", f"INPUT={rev}", "YEARS=2024-2001", *out, home=home
    )
    _failed_cleanly(done, "runs backwards")
    done = qgis_process("run", "carbonsink:senmannkendall", "--", f"INPUT={rev}", *out, home=home)
    assert done.returncode == 0, done.stdout + done.stderr
    assert np.allclose(read_raster(tmp_path / "s.tif"), 0.8, atol=1e-4)  # years from the bands: increase


def test_scale_float64_and_undeclared_nodata(home, tmp_path):
    rng = np.random.default_rng(3)
    values = 300 + 2.5 * np.arange(24)[:, None, None] + rng.normal(0, 1, (24, 10, 12))
    modis = write_raster(
        tmp_path / "modis.tif", np.round(values / 0.1), dtype=gdal.GDT_Int16, descriptions=YEARS
    )
    ds = gdal.Open(modis, gdal.GA_Update)
    for b in range(24):
        ds.GetRasterBand(b + 1).SetScale(0.1)
    ds = None
    done = qgis_process(
        "run", "carbonsink:senmannkendall", "--", f"INPUT={modis}", f"SLOPE={tmp_path / 's.tif'}",
        "TREND_CLASS=TEMPORARY_OUTPUT",
        home=home,
    )  # fmt: skip
    assert done.returncode == 0 and "scale 0.1" in done.stdout, done.stdout + done.stderr
    expected = np.apply_along_axis(lambda s: stats.theilslopes(s, YEARS)[0], 0, np.round(values / 0.1) * 0.1)
    assert np.allclose(read_raster(tmp_path / "s.tif"), expected, atol=1e-4)

    z = (
        5000
        + rng.normal(0, 40, (10, 12))
        + 0.2 * np.arange(24)[:, None, None]
        + rng.normal(0, 0.6, (24, 10, 12))
    )
    z500 = write_raster(tmp_path / "z500.tif", z, dtype=gdal.GDT_Float64, nodata=None, descriptions=YEARS)
    done = qgis_process(
        "run", "carbonsink:senmannkendall", "--", f"INPUT={z500}", f"SLOPE={tmp_path / 'zs.tif'}",
        "TREND_CLASS=TEMPORARY_OUTPUT",
        home=home,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    expected = np.apply_along_axis(lambda s: stats.theilslopes(s, YEARS)[0], 0, z)
    assert np.max(np.abs(read_raster(tmp_path / "zs.tif") - expected) / np.abs(expected)) < 1e-6

    holes = values.copy()
    holes[:, :3, :4] = -9999.0
    path = write_raster(tmp_path / "holes.tif", holes, nodata=None, descriptions=YEARS)
    args = ["run", "carbonsink:senmannkendall", "--", f"INPUT={path}", f"SLOPE={tmp_path / 'hs.tif'}"]
    done = qgis_process(*args, "TREND_CLASS=TEMPORARY_OUTPUT", home=home)
    assert done.returncode == 0, done.stdout + done.stderr
    warning = [line for line in done.stdout.splitlines() if "-9999" in line]
    assert warning and warning[0].startswith("WARNING:") and "288 of its values" in warning[0]
    assert "ERROR" not in done.stdout
    done = qgis_process(*args, "TREND_CLASS=TEMPORARY_OUTPUT", "INPUT_NODATA=-9999", home=home)
    assert done.returncode == 0 and "-9999 as given" in done.stdout, done.stdout + done.stderr
    assert np.isnan(read_raster(tmp_path / "hs.tif")[:3, :4]).all()


def test_empty_inputs_and_empty_results_stop_without_leftovers(home, tmp_path):
    empty = write_raster(tmp_path / "empty.tif", np.full((24, 5, 6), np.nan), descriptions=YEARS)
    done = qgis_process(
        "run", "carbonsink:senmannkendall", "--", f"INPUT={empty}", f"SLOPE={tmp_path / 's.tif'}",
        f"TREND_CLASS={tmp_path / 't.tif'}",
        home=home,
    )  # fmt: skip
    _failed_cleanly(done, "layer 'empty' holds no valid value")
    one = write_raster(tmp_path / "one.tif", np.ones((1, 5, 6)), descriptions=[2001])
    done = qgis_process(
        "run",
        "carbonsink:coefficientofvariation",
        "--",
        f"INPUT={one}",
        f"CV={tmp_path / 'cv.tif'}",
        home=home,
    )
    _failed_cleanly(done, "(CV:", "undefined")
    assert _files(tmp_path) == ["empty.tif", "one.tif"]


def test_unwritable_destinations_are_named_before_anything_is_written(home, tmp_path):
    x, _ = _increasing(tmp_path / "x.tif")
    (tmp_path / "afile").write_text("a file")
    done = qgis_process(
        "run", "carbonsink:senmannkendall", "--", f"INPUT={x}", f"SLOPE={tmp_path / 's.tif'}",
        f"TREND_CLASS={tmp_path / 'afile' / 't.tif'}",
        home=home,
    )  # fmt: skip
    _failed_cleanly(done, "(TREND_CLASS)", "is a file, not a folder")
    assert _files(tmp_path) == ["afile", "x.tif"]

    # A read-only folder, as a user without root's override of permissions (pytest's own temporary
    # folders are private to root, so this part works in a world-readable one).
    shared = Path(tempfile.mkdtemp(prefix="csd_readonly_"))
    try:
        shared.chmod(0o777)
        x, _ = _increasing(shared / "x.tif")
        os.chmod(x, 0o644)
        locked = shared / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        user_home = shared / "home"
        user_home.mkdir()
        user_home.chmod(0o777)
        cmd = [str(QGIS_PROCESS), "run", "carbonsink:senmannkendall", "--", f"INPUT={x}",
               f"SLOPE={shared / 's.tif'}", f"TREND_CLASS={locked / 't.tif'}"]  # fmt: skip
        if os.geteuid() == 0:
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
        env = {"CSD_QGIS_HOME": str(user_home), "PATH": "/usr/bin:/bin"}
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
        _failed_cleanly(done, "(TREND_CLASS)", "is read-only")
        assert _files(shared) == ["home", "locked", "x.tif"] and not os.listdir(locked)
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_cancel_inside_one_window_stops_and_keeps_the_old_file(home, tmp_path):
    from core.demo.sample_stack import write_sample_stack

    big = write_sample_stack(tmp_path / "big_2001_2024.tif", rows=1000, cols=1000)
    slope = tmp_path / "slope.tif"
    slope.write_bytes(b"earlier slope")
    env = {"CSD_QGIS_HOME": str(home), "PATH": "/usr/bin:/bin"}
    cmd = [str(QGIS_PROCESS), "run", "carbonsink:senmannkendall", "--", f"INPUT={big}", f"SLOPE={slope}",
           f"TREND_CLASS={tmp_path / 't.tif'}", "MEMORY_MB=4096",
           # Hamed–Rao (several times the work per pixel) so the one window lasts seconds, not the 1–2 s of the
           # original test on a quiet machine: qgis_process handles Ctrl+C on its main thread, which the engine
           # wakes every 0.2 s, and the cancel must land before the window ends
           "METHOD=1"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    seen = b""
    deadline = time.monotonic() + 240
    while b"0...10" not in seen and proc.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 1.0)
        if ready:
            seen += os.read(proc.stdout.fileno(), 4096)
    assert b"0...10" in seen, seen  # the first progress report inside the one window
    proc.send_signal(signal.SIGINT)  # what Ctrl+C does: qgis_process cancels the feedback
    out, err = proc.communicate(timeout=240)
    text = (seen + out + err).decode()
    assert proc.returncode != 0, text
    assert "Cancelled by the user" in text and "Traceback" not in text, text
    assert "100 - done" not in text
    assert slope.read_bytes() == b"earlier slope"
    assert _files(tmp_path) == ["big_2001_2024.tif", "slope.tif"]

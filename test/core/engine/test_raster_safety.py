"""Issue 10 in the block engine: nothing lost, nothing silently wrong.

Outputs never overwrite inputs and are moved into place only when a run succeeds; years that contradict
the bands stop the run; GDAL scale/offset, float64 precision and undeclared missing-value codes are
honoured or reported; empty inputs and empty results stop with the layer named; cancel works inside a
window; the ramp sample stays bounded.
"""

import os
import subprocess
import sys

import numpy as np
import pytest
from osgeo import gdal
from rasters import read_raster, write_raster
from scipy import stats

from core.common import classes
from core.engine import raster
from core.stats import trend


def _mean_kernel(blocks):
    return {"mean": np.nanmean(blocks["stack"], axis=0)}


def _slope_kernel(years):
    def kernel(blocks):
        return {"slope": trend.sen_mann_kendall(blocks["stack"], years)["slope"]}

    return kernel


def _trend_data(n_years=6, rows=9, cols=11, slope=0.5, base=20.0, seed=3):
    rng = np.random.default_rng(seed)
    t = np.arange(n_years)[:, None, None]
    return base + slope * t + rng.normal(0, 0.1, (n_years, rows, cols))


def _listing(folder):
    return sorted(os.listdir(folder))


# ------------------------------------------------------------------------------------ output = input
def test_output_that_is_the_input_is_refused_and_the_input_survives(tmp_path):
    path = write_raster(tmp_path / "x.tif", _trend_data(), descriptions=range(2001, 2007))
    before = open(path, "rb").read()
    stack = raster.open_stack("Yearly stack", [path])
    out = raster.OutputSpec("mean", os.path.join(str(tmp_path), ".", "x.tif"), "Mean", name="SLOPE")
    with pytest.raises(
        raster.RasterInputError, match=r"Output 'Mean' \(SLOPE: .*x.tif\) is the input layer 'x.tif'"
    ):
        raster.run_pixelwise({"stack": stack}, _mean_kernel, [out])
    assert open(path, "rb").read() == before
    assert _listing(tmp_path) == ["x.tif"]


def test_two_outputs_on_one_file_are_refused(tmp_path):
    stack = raster.open_stack("S", [write_raster(tmp_path / "s.tif", _trend_data())], "2001-2006")
    a = raster.OutputSpec("mean", str(tmp_path / "o.tif"), "A", name="SLOPE")
    b = raster.OutputSpec("mean", str(tmp_path / "o.tif"), "B", name="Z")
    with pytest.raises(raster.RasterInputError, match="are the same file"):
        raster.run_pixelwise({"stack": stack}, _mean_kernel, [a, b])


def test_failed_run_leaves_an_existing_output_untouched_and_no_partial_file(tmp_path):
    stack = raster.open_stack("S", [write_raster(tmp_path / "s.tif", _trend_data())], "2001-2006")
    old = tmp_path / "mean.tif"
    old.write_bytes(b"the user's earlier result")
    (tmp_path / "mean.qml").write_text("earlier style")

    def failing(blocks):
        raise RuntimeError("kernel failed")

    out = raster.OutputSpec("mean", str(old), "Mean", ramp=("#000000", "#ffffff"))
    with pytest.raises(RuntimeError, match="kernel failed"):
        raster.run_pixelwise({"stack": stack}, failing, [out])
    assert old.read_bytes() == b"the user's earlier result"
    assert (tmp_path / "mean.qml").read_text() == "earlier style"
    assert _listing(tmp_path) == ["mean.qml", "mean.tif", "s.tif"]


def test_successful_run_replaces_the_file_and_its_stale_class_names(tmp_path):
    stack = raster.open_stack("S", [write_raster(tmp_path / "s.tif", _trend_data())], "2001-2006")
    out_path = str(tmp_path / "c.tif")
    scheme = classes.TREND_3

    def class_kernel(blocks):
        return {"class": np.full(blocks["stack"].shape[1], scheme.codes[0], dtype=np.uint8)}

    spec = raster.OutputSpec("class", out_path, "Trend", dtype="uint8", scheme=scheme)
    raster.run_pixelwise({"stack": stack}, class_kernel, [spec])
    assert os.path.exists(out_path + ".aux.xml")
    # A float output at the same path must not inherit the class names of the old file.
    spec = raster.OutputSpec("mean", out_path, "Mean")
    raster.run_pixelwise({"stack": stack}, _mean_kernel, [spec])
    assert not os.path.exists(out_path + ".aux.xml")
    assert np.allclose(read_raster(out_path), np.nanmean(_trend_data(), axis=0), atol=1e-5)
    assert _listing(tmp_path) == ["c.qml", "c.tif", "s.tif"]


def test_output_under_a_file_is_refused_before_anything_is_written(tmp_path):
    stack = raster.open_stack("S", [write_raster(tmp_path / "s.tif", _trend_data())], "2001-2006")
    (tmp_path / "afile").write_text("not a folder")
    first = raster.OutputSpec("mean", str(tmp_path / "first.tif"), "Mean", name="SLOPE")
    second = raster.OutputSpec("mean", str(tmp_path / "afile" / "x.tif"), "Mean", name="Z")
    with pytest.raises(raster.RasterInputError, match=r"Output 'Z'.*afile is a file, not a folder"):
        raster.run_pixelwise({"stack": stack}, _mean_kernel, [first, second])
    assert _listing(tmp_path) == ["afile", "s.tif"]


def _as_unprivileged(code):
    """Run ``code`` in a Python child as a user without root's override of file permissions."""
    cmd = [sys.executable, "-c", code]
    if os.geteuid() == 0:
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.getcwd(), *sys.path]))
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)


def test_read_only_folder_is_named_before_anything_is_written(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    tmp_path.chmod(0o755)
    done = _as_unprivileged(
        "from core.common import files\n"
        f"files.check_output_path({str(folder / 'x.tif')!r}, \"Output 'SLOPE'\")\n"
    )
    assert "folder" in done.stderr and "is read-only" in done.stderr, done.stderr
    assert "OutputPathError" in done.stderr


def test_atomic_text_writer_keeps_the_old_file_when_writing_fails(tmp_path):
    from core.common import files

    target = tmp_path / "report.html"
    target.write_text("old report")
    with pytest.raises(RuntimeError), files.replacing(target) as tmp:
        open(tmp, "w").write("half")
        raise RuntimeError("failed half-way")
    assert target.read_text() == "old report"
    assert _listing(tmp_path) == ["report.html"]
    files.write_text(target, "new report")
    assert target.read_text() == "new report" and _listing(tmp_path) == ["report.html"]
    assert files.same_file(tmp_path / "a" / ".." / "report.html", target)
    os.link(target, tmp_path / "hard.html")
    assert files.same_file(tmp_path / "hard.html", target)


# ------------------------------------------------------------------------------------------- years
def test_years_given_that_contradict_the_band_descriptions_stop_with_both_lists(tmp_path):
    years = list(range(2024, 2000, -1))
    data = _trend_data(24)[::-1]
    path = write_raster(tmp_path / "desc.tif", data, descriptions=years)
    with pytest.raises(raster.RasterInputError) as err:
        raster.open_stack("Yearly stack", [path], "2001-2024")
    text = str(err.value)
    assert "2001-2024" in text and "2024, 2023, …, 2001 (descending)" in text
    # Without years the bands are put in year order: the trend keeps its sign.
    stack = raster.open_stack("Yearly stack", [path])
    assert stack.years.tolist() == list(range(2001, 2025))
    assert [b.band for b in stack.bands][:2] == [24, 23]
    # Years that agree with the bands are accepted.
    path = write_raster(tmp_path / "up.tif", data[::-1], descriptions=years[::-1])
    assert raster.open_stack("Yearly stack", [path], "2001-2024").years.tolist() == years[::-1]


def test_years_given_that_contradict_the_file_names_stop(tmp_path):
    data = _trend_data(5)
    paths = [write_raster(tmp_path / f"npp_{2005 - i}.tif", data[i]) for i in range(5)]
    with pytest.raises(raster.RasterInputError, match="contradict the years in the band descriptions"):
        raster.open_stack("Yearly stack", paths, "2001-2005")
    stack = raster.open_stack("Yearly stack", paths)
    assert stack.years.tolist() == [2001, 2002, 2003, 2004, 2005]


def test_year_in_band_metadata_counts(tmp_path):
    path = write_raster(tmp_path / "m.tif", _trend_data(3))
    ds = gdal.Open(path, gdal.GA_Update)
    for b, year in enumerate((2003, 2002, 2001)):
        ds.GetRasterBand(b + 1).SetMetadataItem("DATE", f"{year}-07-01")
    ds = None
    with pytest.raises(raster.RasterInputError, match="contradict"):
        raster.open_stack("S", [path], "2001-2003")
    assert raster.open_stack("S", [path]).years.tolist() == [2001, 2002, 2003]


def test_a_backwards_range_is_called_backwards():
    with pytest.raises(raster.RasterInputError, match="runs backwards"):
        raster.parse_years("2024-2001")


# -------------------------------------------------------------------------------- scale and offset
def test_scale_and_offset_are_applied_to_pixels_and_points(tmp_path):
    years = np.arange(2001, 2007)
    values = _trend_data(6, slope=0.5)
    path = write_raster(tmp_path / "i16.tif", np.round(values / 0.1), dtype=gdal.GDT_Int16, nodata=-32768)
    ds = gdal.Open(path, gdal.GA_Update)
    for b in range(6):
        ds.GetRasterBand(b + 1).SetScale(0.1)
        ds.GetRasterBand(b + 1).SetOffset(2.0)
    ds = None
    stack = raster.open_stack("NPP", [path], "2001-2006")
    assert any("scale 0.1, offset 2" in n for n in raster.input_notes(stack))
    out = raster.OutputSpec("slope", str(tmp_path / "slope.tif"), "Slope")
    raster.run_pixelwise({"stack": stack}, _slope_kernel(years), [out])
    slope = read_raster(out.path)
    expected = np.apply_along_axis(lambda s: stats.theilslopes(s, years)[0], 0, np.round(values / 0.1) * 0.1)
    assert np.allclose(slope, expected, atol=1e-5)
    x0, dx, _, y0, _, dy = stack.grid.geotransform
    got = raster.sample_at_points(stack, [x0 + 2.5 * dx], [y0 + 1.5 * dy])
    assert np.allclose(got[0], np.round(values[:, 1, 2] / 0.1) * 0.1 + 2.0, atol=1e-4)


def test_float32_nodata_written_as_minus_3_4e38_is_recognised(tmp_path):
    data = _trend_data(4)
    data[:, 0, 0] = -3.4e38
    path = write_raster(tmp_path / "f.tif", data, nodata=-3.4e38)
    block = raster.read_window(raster.open_stack("S", [path], "2001-2004"), (0, 0, 2, 2), {})
    assert np.isnan(block[:, 0, 0]).all() and np.isfinite(block[:, 1, 1]).all()


# --------------------------------------------------------------------------------------- float64
def test_float64_stack_keeps_double_precision_sen_slopes_match_scipy(tmp_path):
    rng = np.random.default_rng(7)
    years = np.arange(2001, 2025)
    slope = rng.normal(0.2, 0.05, (20, 30))
    noise = rng.normal(0, 0.6, (24, 20, 30))
    z500 = 5000.0 + rng.normal(0, 40, (20, 30)) + slope * (years - 2001)[:, None, None] + noise
    path = write_raster(tmp_path / "z500.tif", z500, dtype=gdal.GDT_Float64, nodata=None)
    stack = raster.open_stack("Geopotential height", [path], "2001-2024")
    assert raster.stack_dtype(stack) == np.float64
    assert raster.read_window(stack, (0, 0, 3, 3), {}).dtype == np.float64
    seen = []

    def kernel(blocks):
        seen.append(blocks["stack"].dtype)
        res = trend.sen_mann_kendall(blocks["stack"], years)
        return {"slope": res["slope"], "s": res["s"]}

    out = raster.OutputSpec("slope", str(tmp_path / "slope.tif"), "Slope")
    s_out = raster.OutputSpec("s", str(tmp_path / "s.tif"), "S")
    raster.run_pixelwise({"stack": stack}, kernel, [out, s_out])
    assert set(seen) == {np.dtype(np.float64)}
    got = read_raster(out.path)
    expected = np.apply_along_axis(lambda s: stats.theilslopes(s, years)[0], 0, z500)
    assert np.max(np.abs(got - expected) / np.abs(expected)) < 1e-6
    flat = z500.reshape(24, -1)
    s_ref = [
        np.sign(np.subtract.outer(flat[:, i], flat[:, i])[np.tril_indices(24, -1)]).sum() for i in range(600)
    ]
    assert np.array_equal(read_raster(s_out.path).ravel(), np.asarray(s_ref, dtype=float))


# ------------------------------------------------------------------------------- undeclared nodata
def test_usual_missing_value_codes_without_nodata_are_reported_and_can_be_declared(tmp_path):
    data = _trend_data(6)
    data[:, :2, :3] = -9999.0
    path = write_raster(tmp_path / "holes.tif", data, nodata=None)
    stack = raster.open_stack("Yearly stack", [path], "2001-2006")
    out = raster.OutputSpec("mean", str(tmp_path / "mean.tif"), "Mean")
    report = raster.run_pixelwise({"stack": stack}, _mean_kernel, [out])
    assert len(report.warnings) == 1
    warning = report.warnings[0]
    assert "'holes.tif'" in warning and "-9999" in warning and "36 of its values" in warning
    assert np.nanmin(read_raster(out.path)) < -9000  # used as data, as the warning says
    stack = raster.open_stack("Yearly stack", [path], "2001-2006", nodata=-9999)
    assert any("nodata value -9999 as given" in n for n in raster.input_notes(stack))
    out = raster.OutputSpec("mean", str(tmp_path / "mean2.tif"), "Mean")
    report = raster.run_pixelwise({"stack": stack}, _mean_kernel, [out])
    got = read_raster(out.path)
    assert report.warnings == [] and np.isnan(got[:2, :3]).all() and np.nanmin(got) > 10


def test_sample_at_points_counts_missing_value_codes_at_the_points_only(tmp_path):
    data = _trend_data(2)
    data[:, 0, 0] = -9999.0
    data[:, 5, 5] = -9999.0
    stack = raster.open_stack("F", [write_raster(tmp_path / "f.tif", data, nodata=None)], "2001-2002")
    x0, dx, _, y0, _, dy = stack.grid.geotransform
    raster.sample_at_points(stack, [x0 + 0.5 * dx, x0 + 3.5 * dx], [y0 + 0.5 * dy, y0 + 3.5 * dy])
    assert stack.sentinels == {("f.tif", -9999.0): 2}
    assert "2 of its values are -9999" in raster.sentinel_warnings(stack)[0]


# ------------------------------------------------------------------------------- empty results
def test_a_result_undefined_everywhere_stops_naming_the_output_and_leaves_nothing(tmp_path):
    stack = raster.open_stack("S", [write_raster(tmp_path / "s.tif", _trend_data())], "2001-2006")

    def nan_kernel(blocks):
        return {"r": np.full(blocks["stack"].shape[1], np.nan)}

    out = raster.OutputSpec("r", str(tmp_path / "r.tif"), "Partial r", name="R_TEMP", ramp=("#000", "#fff"))
    with pytest.raises(
        raster.RasterInputError, match=r"Output 'Partial r' \(R_TEMP: .*undefined \(nodata\) on all 99"
    ):
        raster.run_pixelwise({"stack": stack}, nan_kernel, [out])
    assert _listing(tmp_path) == ["s.tif"]


def test_no_pixel_with_enough_years_stops(tmp_path):
    data = _trend_data()
    data[1:] = np.nan
    stack = raster.open_stack("S", [write_raster(tmp_path / "s.tif", data)], "2001-2006")
    out = raster.OutputSpec("mean", str(tmp_path / "m.tif"), "Mean")
    with pytest.raises(
        raster.RasterInputError, match="No pixel has enough valid data to be computed: each needs 4 of the 6"
    ):
        raster.run_pixelwise({"stack": stack}, _mean_kernel, [out], min_valid={"stack": 4})


def test_ramp_of_a_constant_result_is_not_empty():
    spec = raster.OutputSpec("x", "x.tif", "x", ramp=("#000", "#fff"))
    assert raster._ramp_range([np.full(10, 3.0)], spec) == (2.5, 3.5)
    assert raster._ramp_range([], spec) == (0.0, 1.0)


def test_ramp_sample_stays_bounded():
    sample = raster._Sample()
    for _ in range(2000):
        sample.add(np.arange(100_000, dtype=np.float32))
    assert sum(p.size for p in sample.values()) <= raster._Sample.CAP


# -------------------------------------------------------------------------------------- cancel
@pytest.mark.parametrize("threads", [1, 2])
def test_cancel_inside_a_single_window_stops_and_leaves_the_old_file(tmp_path, monkeypatch, threads):
    monkeypatch.setattr(raster, "_PART_PIXELS", 500)
    data = _trend_data(6, rows=60, cols=90)
    stack = raster.open_stack("S", [write_raster(tmp_path / "s.tif", data)], "2001-2006")
    old = tmp_path / "mean.tif"
    old.write_bytes(b"earlier")
    out = raster.OutputSpec("mean", str(old), "Mean")
    assert len(raster.plan_windows(90, 60, 64, raster.DEFAULT_MEMORY_MB)) == 1
    seen, calls = [], []

    def kernel(blocks):
        calls.append(blocks["stack"].shape[1])
        return _mean_kernel(blocks)

    with pytest.raises(raster.Cancelled):
        raster.run_pixelwise(
            {"stack": stack},
            kernel,
            [out],
            bytes_per_pixel=64,
            threads=threads,
            progress=seen.append,
            is_cancelled=lambda: bool(seen),
        )
    assert len(seen) == 1 and seen[0] < 100
    assert sum(calls) < 60 * 90
    assert old.read_bytes() == b"earlier"
    assert _listing(tmp_path) == ["mean.tif", "s.tif"]


def test_parts_give_the_same_result_as_one_call(tmp_path, monkeypatch):
    data = _trend_data(6, rows=40, cols=70)
    stack = raster.open_stack("S", [write_raster(tmp_path / "s.tif", data)], "2001-2006")
    monkeypatch.setattr(raster, "_PART_PIXELS", 333)
    out = raster.OutputSpec("mean", str(tmp_path / "m.tif"), "Mean")
    raster.run_pixelwise({"stack": stack}, _mean_kernel, [out], threads=2)
    assert np.allclose(read_raster(out.path), np.nanmean(data, axis=0), atol=1e-5)


def test_memory_budget_covers_the_gdal_cache_and_the_window_read_ahead(tmp_path):
    stack = raster.open_stack("S", [write_raster(tmp_path / "s.tif", _trend_data(24))], "2001-2024")
    budget = raster._Budget(512, 832, {"stack": stack})
    assert budget.cache_bytes + budget.window_mb * 2**20 <= 512 * 2**20
    assert budget.bytes_per_pixel == 832 + 4 * 24
    wide = raster.open_stack(
        "S", [write_raster(tmp_path / "d.tif", _trend_data(24), dtype=gdal.GDT_Float64)], "2001-2024"
    )
    assert raster._Budget(512, 832, {"stack": wide}).bytes_per_pixel == 832 + 8 * 24 + 4 * 24 * 3

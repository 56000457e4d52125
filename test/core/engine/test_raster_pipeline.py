"""Issue 16: the engine reads, computes and writes several windows at once; nothing about the result changes.

The I/O thread reads and packs a window, and writes the oldest computed one, while the pool computes the
parts of the one before (and of the next as soon as the last ones of a window are submitted). These tests pin what must not move: every pixel gets the kernel's value of the whole stack
in memory, the kernel sees the same parts as before (the Sen kernel's choice between tied pairs depends
on how pixels are grouped), ``reduce`` sees the packed pixels of each window in order, progress only
goes up, and an error or a cancel in the middle of the pipeline leaves nothing behind.
"""

import math
import threading

import numpy as np
import pytest
from osgeo import gdal
from rasters import read_raster, write_raster

from core.common import classes, style
from core.engine import raster
from core.stats import trend

YEARS = np.arange(2001, 2025)


def _stack_data(rows=150, cols=97, seed=5):
    rng = np.random.default_rng(seed)
    t = np.arange(YEARS.size, dtype=float)[:, None, None]
    data = 30.0 + rng.normal(0.3, 0.4, (rows, cols)) * t + rng.normal(0, 2.0, (YEARS.size, rows, cols))
    data[rng.random(data.shape) < 0.05] = np.nan
    data[:, 40:52, :] = np.nan  # whole windows without a computed pixel
    data[:20, 60:70, :30] = np.nan  # too few years
    return data


def _windows(stack, memory_mb):
    """The windows run_pixelwise plans for ``stack`` with a kernel of 832 bytes per pixel."""
    budget = raster._Budget(memory_mb, 832, {"stack": stack})
    return raster.plan_windows(stack.grid.xsize, stack.grid.ysize, budget.bytes_per_pixel, budget.window_mb)


def _sen_kernel(blocks):
    res = trend.sen_mann_kendall(blocks["stack"], YEARS)
    res["class"] = trend.trend_class(res["slope"], res["p"])
    return res


def _outputs(folder):
    return [
        raster.OutputSpec(
            "slope", str(folder / "slope.tif"), "Sen slope", ramp=style.DIVERGING, symmetric=True
        ),
        raster.OutputSpec("class", str(folder / "class.tif"), "Trend", dtype="uint8", scheme=classes.TREND_3),
    ]


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_every_pixel_gets_the_kernel_value_of_the_whole_stack(tmp_path, monkeypatch, threads):
    monkeypatch.setattr(raster, "_PART_PIXELS", 700)
    data = _stack_data()
    stack = raster.open_stack("S", [write_raster(tmp_path / "s.tif", data)], "2001-2024")
    assert len(_windows(stack, 3.0)) == 9  # of 17 rows (the last 14), several parts each
    seen = []
    totals = {"pixels": 0, "sum": 0.0}

    def reduce(results, packed):
        totals["pixels"] += packed["stack"].shape[1]
        totals["sum"] += float(np.nansum(packed["stack"]))
        assert results["slope"].shape == (packed["stack"].shape[1],)

    report = raster.run_pixelwise(
        {"stack": stack},
        _sen_kernel,
        _outputs(tmp_path),
        min_valid={"stack": 18},
        bytes_per_pixel=832,
        memory_mb=3.0,
        threads=threads,
        counters=("correction_fallback",),
        reduce=reduce,
        progress=seen.append,
    )
    flat = data.reshape(YEARS.size, -1)
    keep = (~np.isnan(flat)).sum(axis=0) >= 18
    whole = _sen_kernel({"stack": flat[:, keep].astype(np.float32)})
    slope = np.full(flat.shape[1], np.nan)
    slope[keep] = whole["slope"].astype(np.float32)
    code = np.zeros(flat.shape[1], dtype=np.uint8)
    code[keep] = whole["class"]
    assert np.array_equal(read_raster(tmp_path / "slope.tif").ravel(), slope, equal_nan=True)
    assert np.array_equal(gdal.Open(str(tmp_path / "class.tif")).ReadAsArray().ravel(), code)
    assert report.pixels_computed == totals["pixels"] == int(keep.sum())
    assert totals["sum"] == pytest.approx(float(np.nansum(flat[:, keep])), rel=1e-6)
    assert [a.pixels for a in report.class_areas["class"]] == [int((code == c).sum()) for c in (1, 2, 3)]
    assert seen == sorted(seen) and seen[-1] == 100.0 and len(seen) > 9


@pytest.mark.parametrize("threads", [1, 2])
def test_the_kernel_sees_the_parts_it_saw_before(tmp_path, monkeypatch, threads):
    """Parts of at most _PART_PIXELS of each window's kept pixels, at least `threads` from 4096 pixels,
    cut at np.linspace, C-contiguous; a window's single part is all its kept pixels, as a boolean index
    gives them (layout can move the last bit of BLAS or einsum sums)."""
    monkeypatch.setattr(raster, "_PART_PIXELS", 5000)
    data = _stack_data(rows=300, cols=120)
    stack = raster.open_stack("S", [write_raster(tmp_path / "s.tif", data)], "2001-2024")
    windows = _windows(stack, 8.0)
    assert len(windows) > 3
    sizes, lock = [], threading.Lock()

    def kernel(blocks):
        x = blocks["stack"]
        with lock:
            sizes.append((x.shape[1], tuple(np.nan_to_num(x[:, 0], nan=-1.0)), x.flags.c_contiguous))
        return {"mean": np.nanmean(x, axis=0)}

    raster.run_pixelwise(
        {"stack": stack},
        kernel,
        [raster.OutputSpec("mean", str(tmp_path / "m.tif"), "Mean")],
        min_valid={"stack": 18},
        bytes_per_pixel=832,
        memory_mb=8.0,
        threads=threads,
    )
    expected = []
    for col0, row0, ncols, nrows in windows:
        block = data[:, row0 : row0 + nrows, col0 : col0 + ncols].reshape(YEARS.size, -1)
        packed = block[:, (~np.isnan(block)).sum(axis=0) >= 18].astype(np.float32)
        n = packed.shape[1]
        if not n:
            continue
        n_parts = max(math.ceil(n / 5000), threads if threads > 1 and n >= 4096 else 1)
        edges = np.linspace(0, n, n_parts + 1).astype(int)
        # several parts are C-contiguous copies; a single part is the boolean selection (Fortran order)
        expected += [
            (b - a, tuple(np.nan_to_num(packed[:, a], nan=-1.0)), n_parts > 1)
            for a, b in zip(edges[:-1], edges[1:])
        ]
    assert sorted(sizes) == sorted(expected)


def test_a_kernel_error_in_a_later_window_stops_the_run_and_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(raster, "_PART_PIXELS", 500)
    data = _stack_data(rows=200, cols=60)
    stack = raster.open_stack("S", [write_raster(tmp_path / "s.tif", data)], "2001-2024")
    old = tmp_path / "slope.tif"
    old.write_bytes(b"earlier")
    calls = []

    def kernel(blocks):
        calls.append(1)
        if len(calls) == 9:
            raise ZeroDivisionError("boom")
        return _sen_kernel(blocks)

    with pytest.raises(ZeroDivisionError, match="boom"):
        raster.run_pixelwise(
            {"stack": stack}, kernel, _outputs(tmp_path), bytes_per_pixel=832, memory_mb=10.0, threads=2
        )
    assert old.read_bytes() == b"earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.tif", "slope.tif"]
    assert not any(t.name.startswith("ThreadPoolExecutor") for t in threading.enumerate())


def test_cancel_while_windows_are_in_flight_stops_at_the_next_part(tmp_path, monkeypatch):
    monkeypatch.setattr(raster, "_PART_PIXELS", 400)
    data = _stack_data(rows=200, cols=60)
    stack = raster.open_stack("S", [write_raster(tmp_path / "s.tif", data)], "2001-2024")
    seen, calls = [], []

    def kernel(blocks):
        calls.append(blocks["stack"].shape[1])
        return _sen_kernel(blocks)

    with pytest.raises(raster.Cancelled):
        raster.run_pixelwise(
            {"stack": stack},
            kernel,
            _outputs(tmp_path),
            bytes_per_pixel=832,
            memory_mb=10.0,
            threads=2,
            progress=seen.append,
            is_cancelled=lambda: len(seen) >= 8,
        )
    assert len(seen) == 8 and seen[-1] < 100
    assert sum(calls) < 200 * 60
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.tif"]


def test_decoding_threads_stay_in_the_io_thread(tmp_path):
    data = _stack_data(rows=30, cols=20)
    stack = raster.open_stack("S", [write_raster(tmp_path / "s.tif", data)], "2001-2024")
    before = gdal.GetConfigOption("GDAL_NUM_THREADS")
    raster.run_pixelwise(
        {"stack": stack}, _sen_kernel, _outputs(tmp_path), min_valid={"stack": 18}, bytes_per_pixel=832
    )
    assert gdal.GetConfigOption("GDAL_NUM_THREADS") == before

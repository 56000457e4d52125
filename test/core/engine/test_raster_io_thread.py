"""Issue 16: every GDAL call of a pass runs on one thread, so no output window is lost.

GDAL's block cache evicts the dirty blocks of any dataset from whichever thread needs room. When the
engine read the inputs on a reader thread while the calling thread wrote the outputs, a read that filled
a small cache wrote back an output block while the calling thread reloaded it from the file, and the
window written in between was lost: ``test_run_pixelwise_equals_whole_array_numpy[0.02-*]`` failed about
once in 30 runs with nodata where values belonged (4 of 100 runs of that pass in one process with main's
engine of issue 15; GDAL alone, one thread reading a tiled input while another writes three outputs with
a 10 kB cache: 14 of 100). The engine now creates, reads, writes and closes on one I/O thread while the
kernel runs on the pool. The first test pins that (it fails on every run of the engines before); the
second repeats the flaky pass, so it catches a regression only now and then.
"""

import threading

import numpy as np
import pytest
from osgeo import gdal
from rasters import read_raster, write_raster

from core.engine import raster


class _Recorded:
    """A GDAL dataset or band that notes the thread of every method call (bands it returns too)."""

    def __init__(self, obj, threads):
        self._obj = obj
        self._threads = threads

    def __getattr__(self, name):
        attr = getattr(self._obj, name)
        if not callable(attr):
            return attr

        def call(*args, **kwargs):
            self._threads.add(threading.get_ident())
            result = attr(*args, **kwargs)
            return _Recorded(result, self._threads) if isinstance(result, gdal.Band) else result

        return call


def _data(bands=6, rows=37, cols=53, seed=1):
    rng = np.random.default_rng(seed)
    data = rng.normal(10, 2, (bands, rows, cols))
    data[:, :3, :] = np.nan
    data[rng.random(data.shape) < 0.1] = np.nan
    return data


def _means(n_outputs, n_bands):
    def kernel(blocks):
        mean = np.nanmean(blocks["stack"], axis=0)
        return {f"m{j}": np.stack([mean + b for b in range(n_bands)]) for j in range(n_outputs)}

    return kernel


def _outputs(folder, n_outputs, n_bands, run=0):
    names = tuple(f"plus {b}" for b in range(n_bands))
    return [
        raster.OutputSpec(f"m{j}", str(folder / f"m{run}_{j}.tif"), f"Mean {j}", band_descriptions=names)
        for j in range(n_outputs)
    ]


def _expected(data, min_valid):
    valid = np.count_nonzero(~np.isnan(data), axis=0)
    return np.where(valid >= min_valid, np.nanmean(np.where(valid >= min_valid, data, 0.0), axis=0), np.nan)


@pytest.mark.parametrize("threads", [1, 2])
def test_every_gdal_call_of_a_pass_is_on_one_thread(tmp_path, monkeypatch, threads):
    data = _data()
    stack = raster.open_stack("Carbon", [write_raster(tmp_path / "s.tif", data)], "2001-2006")
    seen: dict[str, set] = {"read": set(), "write": set()}
    read_window, create_output = raster.read_window, raster.create_output

    def recorded_read(*args, **kwargs):
        seen["read"].add(threading.get_ident())
        return read_window(*args, **kwargs)

    def recorded_create(spec, grid):
        seen["write"].add(threading.get_ident())
        return _Recorded(create_output(spec, grid), seen["write"])

    monkeypatch.setattr(raster, "read_window", recorded_read)
    monkeypatch.setattr(raster, "create_output", recorded_create)
    outputs = _outputs(tmp_path, 2, 2)
    raster.run_pixelwise(
        {"stack": stack},
        _means(2, 2),
        outputs,
        min_valid={"stack": 5},
        bytes_per_pixel=1024,
        memory_mb=0.1,
        threads=threads,
    )
    assert len(seen["read"]) == 1
    assert seen["write"] == seen["read"]  # created, written, flushed and closed where read
    expected = _expected(data, 5)
    for spec in outputs:
        got = read_raster(spec.path)
        np.testing.assert_allclose(got[0], expected, rtol=1e-6)
        np.testing.assert_allclose(got[1], expected + 1, rtol=1e-6)


@pytest.mark.parametrize("threads", [1, 2])
def test_many_small_windows_with_a_tiny_cache_lose_no_window(tmp_path, threads):
    """The pass of the flaky test, run 6 times: 222 windows of 10 pixels, a 10 kB GDAL cache."""
    data = _data()
    stack = raster.open_stack("Carbon", [write_raster(tmp_path / "s.tif", data)], "2001-2006")
    expected = _expected(data, 5)
    lost = []
    for run in range(6):
        outputs = _outputs(tmp_path, 1, 1, run)
        raster.run_pixelwise(
            {"stack": stack},
            _means(1, 1),
            outputs,
            min_valid={"stack": 5},
            bytes_per_pixel=1024,
            memory_mb=0.02,
            threads=threads,
        )
        wrong = ~np.isclose(read_raster(outputs[0].path), expected, rtol=1e-6, equal_nan=True)
        if wrong.any():
            lost.append((run, int(wrong.sum())))
    assert lost == []

"""The environment `make setup` builds: numpy and GDAL are the distribution's, and work together."""

import os
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _in_setup_venv():
    return sys.prefix != sys.base_prefix and (Path(sys.prefix) / "constraints.txt").is_file()


@pytest.mark.skipif(not _in_setup_venv(), reason="not the virtual environment made by scripts/setup.sh")
def test_numpy_and_gdal_come_from_the_distribution_at_the_pinned_versions():
    from osgeo import gdal

    venv = os.path.realpath(sys.prefix) + os.sep
    assert not os.path.realpath(np.__file__).startswith(venv), np.__file__
    assert not os.path.realpath(gdal.__file__).startswith(venv), gdal.__file__
    pins = dict(
        line.split("==", 1)
        for line in (Path(sys.prefix) / "constraints.txt").read_text().splitlines()
        if "==" in line
    )
    assert pins["numpy"] == np.__version__ and pins["gdal"] == gdal.__version__


def test_gdal_array_reads_and_writes_numpy_arrays():
    """What breaks when numpy is replaced under the GDAL bindings (ABI of gdal_array)."""
    from osgeo import gdal, gdal_array

    a = np.arange(12, dtype=np.float32).reshape(3, 4)
    ds = gdal_array.OpenArray(a)
    np.testing.assert_array_equal(ds.ReadAsArray(), a)
    mem = gdal.GetDriverByName("MEM").Create("", 4, 3, 1, gdal.GDT_Float64)
    mem.GetRasterBand(1).WriteArray(a.astype(np.float64) * 2)
    np.testing.assert_array_equal(mem.GetRasterBand(1).ReadAsArray(), a * 2)

"""MODIS-like tiles: several files of one year side by side are mosaicked onto the grid (issue 13: a
province spans several MODIS tiles); files of one year that overlap stop, naming both."""

import numpy as np
import pytest
from osgeo import gdal, osr
from qgis.core import QgsProcessingException
from rasters import read_raster

pytestmark = pytest.mark.qgis
ALG = "carbonsink:preparestack"


def _tile(folder, year, tile, x0, values):
    """Int16, scale 0.0001, fill code 32767, 500 m pixels in UTM 48N, a tile starting at easting x0."""
    path = folder / f"MOD17A3HGF.A{year}001.{tile}.061.tif"
    ds = gdal.GetDriverByName("GTiff").Create(str(path), values.shape[1], values.shape[0], 1, gdal.GDT_Int16)
    ds.SetGeoTransform((x0, 500.0, 0.0, 4250000.0, 0.0, -500.0))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32648)
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    band.SetScale(0.0001)
    band.WriteArray(values.astype(np.int16))
    ds = None
    return str(path)


def test_tiles_of_one_year_side_by_side_are_mosaicked(run_alg, feedback, tmp_path):
    rng = np.random.default_rng(3)
    truth = {}
    for year in (2001, 2002):
        left, right = rng.integers(1000, 9000, (6, 8)), rng.integers(1000, 9000, (6, 8))
        right[0, 0] = 32767  # a fill code in the second tile
        _tile(tmp_path, year, "h25v05", 560000.0, left)
        _tile(tmp_path, year, "h26v05", 564000.0, right)  # 8 × 500 m to the east: edge to edge
        truth[year] = np.where(np.hstack([left, right]) >= 32761, np.nan, np.hstack([left, right]) * 0.0001)
    out = str(tmp_path / "npp.tif")
    run_alg(
        ALG,
        {
            "FOLDER": str(tmp_path),
            "PATTERN": "MOD17A3HGF*.tif",
            "VARIABLE": "NPP",
            "VALID_MIN": 0,
            "VALID_MAX": 32700,
            "PIXEL_SIZE": 1000,
            "STACK": out,
        },
        feedback,
    )
    got = read_raster(out)
    assert got.shape == (2, 3, 8)
    for i, year in enumerate((2001, 2002)):
        # 2 × 2 blocks of 500 m pixels across both tiles, mean of the valid ones
        expected = np.nanmean(truth[year].reshape(3, 2, 8, 2), axis=(1, 3))
        np.testing.assert_allclose(got[i], expected, rtol=1e-5)
    log = "\n".join(feedback.infos)
    assert "NPP: 2001: 2 files side by side (MOD17A3HGF.A2001001.h25v05.061" in log and "mosaicked" in log


def test_tiles_of_one_year_that_overlap_stop_naming_both(run_alg, tmp_path):
    values = np.full((6, 8), 5000)
    _tile(tmp_path, 2001, "h25v05", 560000.0, values)
    _tile(tmp_path, 2001, "h26v05", 562000.0, values)  # half of it over the first
    with pytest.raises(QgsProcessingException, match=r"2001 is given twice.*h25v05.*h26v05"):
        run_alg(
            ALG, {"FOLDER": str(tmp_path), "PATTERN": "MOD17A3HGF*.tif", "STACK": str(tmp_path / "o.tif")}
        )

"""Real data (issue 13): the Colorado downloads folder as fetched (monthly precipitation as a CF-netCDF
without a CRS, one 12-band GeoTIFF of monthly temperature per year in UTM 13N, a 1/24° DEM in WGS 84,
MODIS land cover in its own Clarke 1866 sinusoidal-like CRS, the state boundary) becomes aligned stacks in
one run of carbonsink:preparestacks, each checked against gdalwarp on the same inputs."""

import numpy as np
import pytest
from osgeo import gdal
from realdata import realdata_dir

pytestmark = pytest.mark.qgis
PIXEL = 20000.0
CELLS = ("", "", "", "", "", "", "", "")
TABLE = [
    *("PRECIPITATION", "co_precipitation_monthly.nc", *CELLS),
    *("TEMPERATURE", "tmean_*.tif", *CELLS),
    *("DEM", "co_elevation.tif", *CELLS),
    *("LANDCOVER", "MCD12C1*.tif", "", "mode", "", "", "", "", "", ""),
]


@pytest.fixture(scope="module")
def stacks(qgis_app, tmp_path_factory):
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    data = realdata_dir() / "colorado"
    out = tmp_path_factory.mktemp("colorado_stacks")
    processing.run(
        "carbonsink:preparestacks",
        {
            "FOLDER": str(data),
            "VARIABLES": TABLE,
            "TARGET_CRS": "EPSG:32613",
            "PIXEL_SIZE": PIXEL,
            "EXTENT": "140000,760000,4080000,4560000 [EPSG:32613]",
            "STACKS_FOLDER": str(out),
        },
        context=QgsProcessingContext(),
        feedback=QgsProcessingFeedback(),
    )
    return data, out


def _read(path):
    ds = gdal.Open(str(path))
    a = ds.ReadAsArray().astype(float)
    a[a == ds.GetRasterBand(1).GetNoDataValue()] = np.nan
    return ds, a


def _warp(src, like, alg, src_srs=None):
    gt = like.GetGeoTransform()
    bounds = (gt[0], gt[3] + gt[5] * like.RasterYSize, gt[0] + gt[1] * like.RasterXSize, gt[3])
    return gdal.Warp(
        "",
        src,
        format="MEM",
        srcSRS=src_srs,
        dstSRS=like.GetProjection(),
        outputBounds=bounds,
        xRes=PIXEL,
        yRes=PIXEL,
        resampleAlg=alg,
        dstNodata=np.nan,
        outputType=gdal.GDT_Float32,
    ).ReadAsArray()


def test_every_variable_of_the_folder_is_on_one_grid(stacks):
    _, out = stacks
    grids = {
        name: gdal.Open(str(out / f"{name}.tif"))
        for name in ("PRECIPITATION", "TEMPERATURE", "DEM", "LANDCOVER")
    }
    assert {ds.GetGeoTransform() for ds in grids.values()} == {(140000.0, PIXEL, 0.0, 4560000.0, 0.0, -PIXEL)}
    assert grids["PRECIPITATION"].RasterCount == grids["TEMPERATURE"].RasterCount == 47  # 1951-1997
    assert grids["LANDCOVER"].GetRasterBand(1).GetDescription() == "2019"


def test_real_monthly_netcdf_precipitation_is_the_gdalwarp_annual_sum(stacks):
    data, out = stacks
    ds, got = _read(out / "PRECIPITATION.tif")
    months = _warp(str(data / "co_precipitation_monthly.nc"), ds, "average", "EPSG:4326")
    for i in (0, 46):
        expected = months[12 * i : 12 * i + 12].sum(axis=0)
        keep = np.isfinite(expected) & np.isfinite(got[i])
        assert keep.sum() > 500
        np.testing.assert_allclose(got[i][keep], expected[keep], rtol=2e-5)


def test_real_yearly_temperature_files_are_the_gdalwarp_annual_mean(stacks):
    data, out = stacks
    ds, got = _read(out / "TEMPERATURE.tif")
    for i, year in ((0, 1951), (39, 1990)):
        months = _warp(str(data / f"tmean_{year}.tif"), ds, "average")
        expected = months.mean(axis=0)
        keep = np.isfinite(expected) & np.isfinite(got[i])
        assert keep.sum() > 500
        np.testing.assert_allclose(got[i][keep], expected[keep], rtol=1e-5, atol=1e-5)


def test_real_modis_land_cover_is_the_gdalwarp_mode(stacks):
    data, out = stacks
    ds, got = _read(out / "LANDCOVER.tif")
    expected = _warp(str(data / "MCD12C1_2019_colorado.tif"), ds, "mode")
    keep = np.isfinite(expected) & np.isfinite(got)
    assert keep.sum() > 500
    assert np.mean(got[keep] == expected[keep]) > 0.99

"""netCDF variables as yearly stacks, as users give them (issue 13): the subdataset name, a plain .nc with
one data variable, a GeoTIFF converted from netCDF; years from the CF time axis."""

import numpy as np
import pytest
from netcdf_files import write_cf
from osgeo import gdal
from qgis.core import QgsProcessingException
from rasters import read_raster

from core.stats import trend

pytestmark = pytest.mark.qgis

YEARS = np.arange(2003, 2013)


@pytest.fixture
def yearly_nc(tmp_path):
    rng = np.random.default_rng(13)
    data = rng.normal(300, 20, (len(YEARS), 6, 8)) + 4.0 * (YEARS - 2003)[:, None, None]
    data = data.astype(np.float32).astype(float)  # as stored
    data[:, 0, 0] = np.nan
    # mid-year values in a noleap calendar, counted from 2000
    times = [365 * (y - 2000) + 181 for y in YEARS]
    return write_cf(
        tmp_path / "npp_yearly.nc", data, times, "days since 2000-01-01", "noleap", var="npp"
    ), data


def _expected_slope(data):
    flat = data.reshape(len(YEARS), -1)
    res = trend.sen_mann_kendall(flat, YEARS)
    return res["slope"].reshape(data.shape[1:])


@pytest.mark.parametrize("form", ["subdataset", "plain", "plain_string", "geotiff"])
def test_trend_runs_on_netcdf_as_it_comes_with_years_from_the_time_axis(
    run_alg, feedback, yearly_nc, tmp_path, form
):
    path, data = yearly_nc
    value = {
        "subdataset": [f'NETCDF:"{path}":npp'],
        "plain": [path],
        "plain_string": path,
        "geotiff": [gdal.Translate(str(tmp_path / "npp.tif"), path) and str(tmp_path / "npp.tif")],
    }[form]
    out = {"SLOPE": str(tmp_path / "slope.tif"), "TREND_CLASS": str(tmp_path / "class.tif")}
    run_alg("carbonsink:senmannkendall", {"INPUT": value, **out}, feedback)
    assert any("10 years: 2003–2012" in line for line in feedback.infos), feedback.infos
    assert not any("consecutive" in w for w in feedback.warnings)
    np.testing.assert_allclose(read_raster(out["SLOPE"]), _expected_slope(data), rtol=1e-5, equal_nan=True)
    # the lon/lat grid without a declared CRS is on WGS 84, and the log says so
    ds = gdal.Open(out["SLOPE"])
    assert "WGS 84" in ds.GetProjection()
    assert ds.GetGeoTransform() == pytest.approx((100.0, 0.1, 0.0, 40.0, 0.0, -0.1))
    if form != "geotiff":
        assert any("taken as WGS 84" in w for w in feedback.warnings)


def test_years_given_must_agree_with_the_time_axis(run_alg, yearly_nc, tmp_path):
    path, _ = yearly_nc
    out = {"SLOPE": str(tmp_path / "slope.tif"), "TREND_CLASS": str(tmp_path / "class.tif")}
    with pytest.raises(QgsProcessingException, match="contradict the years in the time axis"):
        run_alg("carbonsink:senmannkendall", {"INPUT": [path], "YEARS": "2001-2010", **out})


def test_monthly_netcdf_is_refused_with_the_way_to_aggregate(run_alg, tmp_path):
    times = [15 + 30 * k for k in range(36)]
    path = write_cf(
        tmp_path / "pr_monthly.nc", np.ones((36, 3, 4)), times, "days since 2001-01-01", "360_day"
    )
    out = {"SLOPE": str(tmp_path / "slope.tif"), "TREND_CLASS": str(tmp_path / "class.tif")}
    with pytest.raises(
        QgsProcessingException, match=r"pr_monthly.nc.*36 time steps.*up to 12 in one year.*preparestack"
    ):
        run_alg("carbonsink:senmannkendall", {"INPUT": [path], **out})


def test_netcdf_with_several_variables_lists_them(run_alg, tmp_path):
    path = write_cf(
        tmp_path / "both.nc",
        np.ones((5, 3, 4)),
        [0, 365, 730, 1095, 1460],
        "days since 2001-01-01",
        extra_vars=("tas",),
    )
    out = {"SLOPE": str(tmp_path / "slope.tif"), "TREND_CLASS": str(tmp_path / "class.tif")}
    with pytest.raises(QgsProcessingException, match=r'holds 2 data variables.*NETCDF:".*both.nc":tas'):
        run_alg("carbonsink:senmannkendall", {"INPUT": [path], **out})

"""Real netCDF headless (issue 13): the CF-netCDF file of the stars package as it comes, through
qgis_process — monthly precipitation to an annual sum on a UTM grid, and a trend straight on a netCDF
variable given as NETCDF:"file":var with the years from its time axis."""

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal
from realdata import realdata_dir

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def run(alg, *args, home):
    done = subprocess.run(
        [str(ROOT / "scripts" / "qgis_process"), "--json", "run", f"carbonsink:{alg}", "--", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={"CSD_QGIS_HOME": str(home), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads(done.stdout[done.stdout.index("{") :])


def test_bcsd_monthly_precipitation_to_annual_sum_equals_gdalwarp(tmp_path):
    nc = realdata_dir() / "stars" / "bcsd_obs_1999.nc"
    out = tmp_path / "pr_1999.tif"
    res = run(
        "preparestack",
        f'INPUT=NETCDF:"{nc}":pr',
        "TIME_STEP=1",
        "TARGET_CRS=EPSG:32617",
        "PIXEL_SIZE=25000",
        f"OUTPUT={out}",
        home=tmp_path / "profile",
    )
    assert res["results"]["YEARS"] == "1999"
    prepared = gdal.Open(str(out))
    gt = prepared.GetGeoTransform()
    te = (gt[0], gt[3] + gt[5] * prepared.RasterYSize, gt[0] + gt[1] * prepared.RasterXSize, gt[3])
    warped = gdal.Warp(
        "",
        f'NETCDF:"{nc}":pr',
        format="MEM",
        srcSRS="EPSG:4326",
        dstSRS="EPSG:32617",
        outputBounds=te,
        xRes=25000,
        yRes=25000,
        resampleAlg="average",
        dstNodata=np.nan,
        outputType=gdal.GDT_Float32,
    ).ReadAsArray()
    got = prepared.ReadAsArray().astype(float)
    got[got == prepared.GetRasterBand(1).GetNoDataValue()] = np.nan
    keep = np.isfinite(got)
    assert keep.sum() > 500
    np.testing.assert_allclose(got[keep], warped.sum(axis=0)[keep], rtol=2e-5)


def test_trend_straight_on_a_real_netcdf_variable(tmp_path):
    nc = realdata_dir() / "colorado" / "co_precipitation_monthly.nc"
    home = tmp_path / "profile"
    # the monthly file is refused with the way to aggregate it …
    done = subprocess.run(
        [
            str(ROOT / "scripts" / "qgis_process"),
            "run",
            "carbonsink:senmannkendall",
            "--",
            f'INPUT=NETCDF:"{nc}":ppt',
            f"SLOPE={tmp_path / 's.tif'}",
            f"TREND_CLASS={tmp_path / 'c.tif'}",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={"CSD_QGIS_HOME": str(home), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode != 0 and "preparestack" in done.stdout + done.stderr
    # … and the annual sums in a GeoTIFF that keeps the CF time axis (as gdal_translate of a yearly netCDF does)
    src = gdal.Open(f'NETCDF:"{nc}":ppt')
    months = src.ReadAsArray().astype(float)
    sums = months.reshape(-1, 12, *months.shape[1:]).sum(axis=1)
    mem = gdal.GetDriverByName("MEM").Create(
        "", src.RasterXSize, src.RasterYSize, sums.shape[0], gdal.GDT_Float32
    )
    mem.SetGeoTransform(src.GetGeoTransform())
    mem.SetProjection(
        'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]'
    )
    meta = {"time#units": "days since 1950-01-01", "time#calendar": "standard", "NETCDF_DIM_EXTRA": "{time}"}
    mem.SetMetadata(meta)
    for i in range(sums.shape[0]):
        b = mem.GetRasterBand(i + 1)
        b.WriteArray(sums[i])
        b.SetMetadataItem("NETCDF_DIM_time", str(365.25 * (i + 1) + 181))  # mid-year from 1951
    tif = tmp_path / "annual.tif"
    gdal.Translate(str(tif), mem)
    res = run(
        "senmannkendall",
        f"INPUT={tif}",
        f"SLOPE={tmp_path / 'slope.tif'}",
        f"TREND_CLASS={tmp_path / 'class.tif'}",
        home=home,
    )
    assert Path(res["results"]["SLOPE"]).exists()
    log = res.get("log", {})
    assert "47 years: 1951–1997" in json.dumps(log, ensure_ascii=False)

"""The whole study from raw downloads, headless (issue 13): synthetic downloads of the demo region in mixed
formats, CRSs and resolutions (MODIS-like sinusoidal Int16 with fill codes, CF-netCDF NDVI and monthly
climate in lon/lat, a WGS 84 DEM, 50 m land use in Web Mercator; test/raw_downloads.py) go through
carbonsink:wholestudyfromdownloads in one qgis_process run: aligned stacks equal to gdalwarp, then every
step of the study to the diagnostic zones on the reference grid."""

import os
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal
from raw_downloads import make_downloads

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
QGIS_PROCESS = str(ROOT / "scripts" / "qgis_process")
MODEL = "carbonsink:wholestudyfromdownloads"


def qgis_process(*args, home):
    return subprocess.run(
        [QGIS_PROCESS, *args],
        capture_output=True,
        text=True,
        timeout=1200,
        env={"CSD_QGIS_HOME": str(home), "PATH": "/usr/bin:/bin"},
    )


def outputs(home):
    """Destination parameters of the model and their kinds, from `qgis_process help`."""
    done = qgis_process("help", MODEL, home=home)
    assert done.returncode == 0, done.stdout + done.stderr
    return re.findall(
        r"^(\w[^<\n]*?): <(\w+)>", done.stdout.split("Outputs\n----------------", 1)[1], flags=re.M
    )


def output(files, name):
    """The path given to the model's output ``<step>:…:name`` (the whole-study model names its outputs)."""
    found = [path for key, path in files.items() if key.endswith(":" + name)]
    assert len(found) == 1, (name, sorted(files))
    return found[0]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    home = tmp_path_factory.mktemp("profile")
    region = str(tmp_path_factory.mktemp("region"))
    done = qgis_process("run", "carbonsink:createdemoregion", "--", f"OUTPUT_FOLDER={region}", "ROWS=60", "COLS=75",
                        home=home)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    downloads = str(tmp_path_factory.mktemp("downloads"))
    make_downloads(region, downloads, list(range(2001, 2025)), (2001, 2024))
    out = tmp_path_factory.mktemp("study")
    files = {}
    for name, kind in outputs(home):
        ext = {
            "outputRaster": "tif",
            "outputHtml": "html",
            "outputFile": "npz",
            "outputFolder": "",
            "outputVector": "gpkg",
        }.get(kind, "csv")
        files[name] = str(out / (re.sub(r"\W+", "_", name) + (f".{ext}" if ext else "")))
    args = [
        f"FOLDER={downloads}",
        f"REFERENCE={os.path.join(region, 'DEM.tif')}",
        f"PLOTS={os.path.join(region, 'plots.gpkg')}",
        f"TREES={os.path.join(region, 'trees.csv')}",
        *[f"{k}={v}" for k, v in files.items()],
    ]
    done = qgis_process("run", MODEL, "--", *args, home=home)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return region, downloads, files, done.stdout


def test_prepares_then_runs_every_step_to_the_zones(run):
    region, _, files, log = run
    steps = re.findall(r"([^\n.\d][^\n]*?): finished in ([\d.]+) s", log)
    names = {s.strip() for s, _ in steps}
    assert "Prepare aligned stacks from a folder of downloads" in names
    assert {"Train carbon density model", "Diagnostic zoning", "Study report"} <= names
    ref = gdal.Open(os.path.join(region, "DEM.tif"))
    zones = gdal.Open(output(files, "Diagnostic zones"))
    assert zones.GetGeoTransform() == ref.GetGeoTransform()
    assert zones.GetSpatialRef().IsSame(ref.GetSpatialRef())
    assert np.count_nonzero(zones.ReadAsArray() != zones.GetRasterBand(1).GetNoDataValue()) > 1000
    density = gdal.Open(output(files, "Carbon density"))
    assert density.RasterCount == 24 and density.GetRasterBand(24).GetDescription() == "2024"


def test_the_prepared_precipitation_is_gdalwarp_of_the_netcdf_summed_over_months(run):
    region, downloads, files, _ = run
    stacks = output(files, "STACKS_FOLDER")
    got = gdal.Open(os.path.join(stacks, "PRECIPITATION.tif"))
    gt = got.GetGeoTransform()
    bounds = (gt[0], gt[3] + gt[5] * got.RasterYSize, gt[0] + gt[1] * got.RasterXSize, gt[3])
    months = gdal.Warp(
        "",
        f'NETCDF:"{os.path.join(downloads, "pr_monthly.nc")}":pr',
        format="MEM",
        srcSRS="EPSG:4326",
        dstSRS=got.GetProjection(),
        outputBounds=bounds,
        xRes=gt[1],
        yRes=-gt[5],
        resampleAlg="average",
        dstNodata=np.nan,
        outputType=gdal.GDT_Float32,
    ).ReadAsArray()
    values = got.GetRasterBand(24).ReadAsArray().astype(float)
    expected = months[-12:].sum(axis=0)
    keep = np.isfinite(expected)
    assert keep.sum() > 0.9 * keep.size
    np.testing.assert_allclose(values[keep], expected[keep], rtol=1e-5)
    # and the factor of the survey year is that band alone, named as the model matches it (NPP_2024 → NPP)
    for name in ("NPP_2024.tif", "PRECIPITATION_2024.tif", "LANDUSE_2001.tif", "LANDUSE_2024.tif"):
        assert os.path.exists(os.path.join(stacks, name)), name

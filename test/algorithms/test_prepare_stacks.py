"""Prepare aligned stacks from a folder of downloads (carbonsink:preparestacks, issue 13): a folder of
heterogeneous synthetic downloads (MODIS-like scaled Int16 with fill codes in sinusoidal, netCDF NDVI with CF
attributes, monthly netCDF climate, a WGS 84 DEM, 50 m land use in Web Mercator) becomes one aligned stack
per variable in one run, each equal to GDAL Warp on the same inputs; bad inputs stop naming the file."""

import os

import numpy as np
import pytest
from osgeo import gdal
from qgis.core import QgsProcessingException
from rasters import read_raster
from raw_downloads import SINUSOIDAL, make_downloads

pytestmark = pytest.mark.qgis
ALG = "carbonsink:preparestacks"
YEARS = list(range(2001, 2025))
TABLE = [
    *("NPP", "mod17a3*", "", "", "", "", "", "", "", ""),
    *("NDVI", "*ndvi*", "", "", "", "", "", "", "", ""),
    *("PRECIPITATION", "pr_*", "", "", "", "", "", "", "", ""),
    *("TEMPERATURE", "tas_*", "", "", "", "", "", "", "", ""),
    *("DEM", "*dem*", "", "", "", "", "", "", "", ""),
    *("LANDUSE", "landuse_*", "", "mode", "", "", "", "", "", ""),
]


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):
    from carbon_sink_diagnostics.core.demo import demo_region

    region = str(tmp_path_factory.mktemp("region"))
    demo_region.write_region(region, rows=40, cols=48, n_plots=20)
    folder = str(tmp_path_factory.mktemp("downloads"))
    make_downloads(region, folder, YEARS, (2001, 2024))
    return region, folder


@pytest.fixture(scope="module")
def prepared(downloads, tmp_path_factory, qgis_app):
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    class Feedback(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.infos = []

        def pushInfo(self, info):  # noqa: N802
            self.infos.append(info)

    region, folder = downloads
    out = str(tmp_path_factory.mktemp("stacks"))
    feedback = Feedback()
    res = processing.run(
        ALG,
        {
            "FOLDER": folder,
            "VARIABLES": TABLE,
            "REFERENCE": os.path.join(region, "DEM.tif"),
            "YEAR_RASTERS": "2024",
            "STACKS_FOLDER": out,
            "PREPARATION_TABLE": os.path.join(out, "table.csv"),
        },
        context=QgsProcessingContext(),
        feedback=feedback,
    )
    return region, folder, out, res, "\n".join(feedback.infos)


def _warp_like(reference, src, alg, src_srs=None):
    ref = gdal.Open(reference)
    gt = ref.GetGeoTransform()
    bounds = (gt[0], gt[3] + gt[5] * ref.RasterYSize, gt[0] + gt[1] * ref.RasterXSize, gt[3])
    return gdal.Warp(
        "",
        src,
        format="MEM",
        srcSRS=src_srs,
        dstSRS=ref.GetProjection(),
        outputBounds=bounds,
        xRes=gt[1],
        yRes=-gt[5],
        resampleAlg=alg,
        dstNodata=np.nan,
        outputType=gdal.GDT_Float32,
    ).ReadAsArray()


def _masked_copy(path, keep, scale):
    """The stored values of ``path`` where ``keep(stored)``, times ``scale``, NaN elsewhere (float MEM)."""
    src = gdal.Open(path)
    mem = gdal.GetDriverByName("MEM").Create(
        "", src.RasterXSize, src.RasterYSize, src.RasterCount, gdal.GDT_Float32
    )
    mem.SetGeoTransform(src.GetGeoTransform())
    mem.SetProjection(src.GetProjection())
    for b in range(1, src.RasterCount + 1):
        raw = src.GetRasterBand(b).ReadAsArray().astype(float)
        mem.GetRasterBand(b).SetNoDataValue(np.nan)
        mem.GetRasterBand(b).WriteArray(np.where(keep(raw), raw * scale, np.nan))
    return mem


def test_one_run_writes_one_aligned_stack_per_variable(prepared):
    region, _, out, res, log = prepared
    names = sorted(n for n in os.listdir(out) if n.endswith(".tif"))
    assert names == sorted(
        ["NPP.tif", "NDVI.tif", "PRECIPITATION.tif", "TEMPERATURE.tif", "DEM.tif", "LANDUSE.tif"]
        + [
            "NPP_2024.tif",
            "NDVI_2024.tif",
            "PRECIPITATION_2024.tif",
            "TEMPERATURE_2024.tif",
            "LANDUSE_2024.tif",
        ]
    )
    ref = gdal.Open(os.path.join(region, "DEM.tif"))
    for name in names:
        ds = gdal.Open(os.path.join(out, name))
        assert ds.GetGeoTransform() == ref.GetGeoTransform(), name
        assert ds.GetSpatialRef().IsSame(ref.GetSpatialRef()), name
    stack = gdal.Open(os.path.join(out, "NPP.tif"))
    assert [stack.GetRasterBand(b).GetDescription() for b in (1, 24)] == ["2001", "2024"]
    assert res["STACKS_PATH"] == out
    for expected in (
        "PRECIPITATION: time step monthly sum (detected",
        "TEMPERATURE: time step monthly mean (detected",
        "DEM: time step static (detected: one band without a date)",
        "from the file's valid_range attribute",
        "nodata -3000",
        "reprojected from EPSG:3857 to EPSG:32648; resampled by mode from 50 × 50 m",
    ):
        assert expected in log, expected
    with open(os.path.join(out, "table.csv"), encoding="utf-8") as f:
        header = f.readline()
        rows = f.readlines()
    assert "variable" in header and len(rows) == 24 + 24 + 288 + 288 + 1 + 2


def test_modis_npp_equals_gdalwarp_of_the_valid_scaled_values(prepared):
    region, folder, out, _, _ = prepared
    got = read_raster(os.path.join(out, "NPP.tif"))
    for i in (0, 23):
        tile = os.path.join(folder, f"MOD17A3HGF.A{YEARS[i]}001.h26v05.061.tif")
        valid = _masked_copy(tile, lambda raw: (raw >= 0) & (raw <= 32700), 0.1)
        expected = _warp_like(os.path.join(region, "DEM.tif"), valid, "average", SINUSOIDAL)
        keep = np.isfinite(expected)
        assert keep.sum() > 0.9 * keep.size
        np.testing.assert_allclose(got[i][keep], expected[keep], rtol=1e-5)
        assert np.nanmax(got[i]) < 3276.1  # no fill code taken as NPP


def test_monthly_netcdf_precipitation_is_the_sum_of_gdalwarp_months(prepared):
    region, folder, out, _, _ = prepared
    got = read_raster(os.path.join(out, "PRECIPITATION.tif"))
    months = _warp_like(
        os.path.join(region, "DEM.tif"), os.path.join(folder, "pr_monthly.nc"), "average", "EPSG:4326"
    )
    for i in (0, 11):
        expected = months[12 * i : 12 * i + 12].sum(axis=0)
        keep = np.isfinite(expected)
        np.testing.assert_allclose(got[i][keep], expected[keep], rtol=1e-5)
    single = read_raster(os.path.join(out, "PRECIPITATION_2024.tif"))
    np.testing.assert_array_equal(single, got[23])


def test_land_use_equals_gdalwarp_mode(prepared):
    region, folder, out, _, _ = prepared
    got = read_raster(os.path.join(out, "LANDUSE.tif"))
    expected = _warp_like(os.path.join(region, "DEM.tif"), os.path.join(folder, "landuse_2024.tif"), "mode")
    keep = np.isfinite(expected) & (expected > 0)
    assert np.mean(got[1][keep] == expected[keep]) == 1.0


def test_a_file_two_variables_claim_stops_and_writes_nothing(downloads, run_alg, tmp_path):
    region, folder = downloads
    table = [*TABLE, *("PR2", "pr_monthly*", "", "", "", "", "", "", "", "")]
    with pytest.raises(
        QgsProcessingException, match=r"'pr_monthly.nc' .* is taken by two variables, PRECIPITATION and PR2"
    ):
        run_alg(
            ALG,
            {
                "FOLDER": folder,
                "VARIABLES": table,
                "REFERENCE": os.path.join(region, "DEM.tif"),
                "STACKS_FOLDER": str(tmp_path / "o"),
            },
        )
    assert not (tmp_path / "o").exists() or not os.listdir(tmp_path / "o")


def test_a_valid_range_that_leaves_nothing_stops_naming_the_file(downloads, run_alg, tmp_path):
    region, folder = downloads
    table = ["NDVI", "*ndvi*", "", "", "", "", 20000, 30000, "", ""]
    with pytest.raises(
        QgsProcessingException,
        match=r"NDVI: the valid range 20000 – 30000 leaves no value: .*'ndvi_yearly.nc",
    ):
        run_alg(
            ALG,
            {
                "FOLDER": folder,
                "VARIABLES": table,
                "REFERENCE": os.path.join(region, "DEM.tif"),
                "STACKS_FOLDER": str(tmp_path / "o"),
            },
        )

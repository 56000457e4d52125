"""Prepare an aligned yearly stack (carbonsink:preparestack) on small synthetic downloads: every bad input
of issue 13 stops with the file named; MODIS-like fill codes and scale; months to years; masks."""

import numpy as np
import pytest
from netcdf_files import write_cf
from osgeo import gdal, ogr, osr
from qgis.core import QgsProcessingException
from rasters import read_raster, write_raster

pytestmark = pytest.mark.qgis
ALG = "carbonsink:preparestack"


def _boundary(path, wkt, epsg=32648):
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    lyr = ds.CreateLayer("boundary", srs, ogr.wkbPolygon)
    f = ogr.Feature(lyr.GetLayerDefn())
    f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
    lyr.CreateFeature(f)
    ds = None
    return str(path)


def _modis_like(tmp_path, year, values):
    """Int16 with scale 0.0001 and fill codes 32761-32767, 500 m sinusoidal-like UTM tile, no nodata."""
    path = tmp_path / f"MOD17A3HGF.A{year}001.h25v05.061.tif"
    ds = gdal.GetDriverByName("GTiff").Create(str(path), 8, 6, 1, gdal.GDT_Int16)
    ds.SetGeoTransform((560000.0, 500.0, 0.0, 4250000.0, 0.0, -500.0))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32648)
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    band.SetScale(0.0001)
    band.WriteArray(values.astype(np.int16))
    ds = None
    return str(path)


def test_modis_fill_codes_never_enter_the_average(run_alg, feedback, tmp_path):
    rng = np.random.default_rng(7)
    paths, truth = [], []
    for year in (2001, 2002, 2003):
        v = rng.integers(1000, 9000, (6, 8))
        v[0, :2] = 32767  # fill: water
        v[5, 7] = 32761
        paths.append(_modis_like(tmp_path, year, v))
        truth.append(v)
    out = str(tmp_path / "npp.tif")
    res = run_alg(
        ALG,
        {
            "FOLDER": str(tmp_path),
            "PATTERN": "MOD17A3HGF*.tif",
            "VARIABLE": "NPP",
            "VALID_MIN": 0,
            "VALID_MAX": 32700,
            "PIXEL_SIZE": 1000,
            "OUTPUT": out,
            "PREPARATION_TABLE": str(tmp_path / "table.csv"),
        },
        feedback,
    )
    ds = gdal.Open(res["OUTPUT"])
    assert [ds.GetRasterBand(b + 1).GetDescription() for b in range(3)] == ["2001", "2002", "2003"]
    got = read_raster(out)
    for i, v in enumerate(truth):
        # 2 × 2 blocks of 500 m pixels, mean of the valid ones, scaled
        vals = np.where(v >= 32761, np.nan, v * 0.0001).reshape(3, 2, 4, 2)
        expected = np.nanmean(vals, axis=(1, 3))
        np.testing.assert_allclose(got[i], expected, rtol=1e-5)
    assert got.max() < 1.0  # no 3.27 from a fill code
    log = "\n".join(feedback.infos)
    assert "from the file name" in log and "valid stored values 0 – 32700 (3 outside, masked)" in log
    assert (
        "value = stored × 0.0001 + 0" in log
        and "resampled by average from 500 × 500 m to 1000 × 1000 m" in log
    )
    table = (tmp_path / "table.csv").read_text().splitlines()
    assert len(table) == 4 and "MOD17A3HGF.A2002001" in table[2]


def test_a_valid_range_that_leaves_nothing_stops_naming_the_file(run_alg, tmp_path):
    path = _modis_like(tmp_path, 2001, np.full((6, 8), 5000))
    with pytest.raises(
        QgsProcessingException, match=r"valid range 0 – 0\.5 leaves no value.*MOD17A3HGF\.A2001001"
    ):
        run_alg(ALG, {"INPUT": [path], "VALID_MIN": 0, "VALID_MAX": 0.5, "OUTPUT": str(tmp_path / "o.tif")})


def test_files_without_years_stop_naming_the_file(run_alg, tmp_path):
    a = write_raster(tmp_path / "npp_a.tif", np.ones((4, 4)))
    b = write_raster(tmp_path / "npp_b.tif", np.ones((4, 4)))
    with pytest.raises(QgsProcessingException, match=r"no year for band 1 of 'npp_a'.*npp_a\.tif"):
        run_alg(ALG, {"INPUT": [a, b], "OUTPUT": str(tmp_path / "o.tif")})


def test_overlapping_duplicate_years_stop_naming_both_files(run_alg, tmp_path):
    a = write_raster(tmp_path / "npp_2003.tif", np.ones((4, 4)))
    sub = tmp_path / "again"
    sub.mkdir()
    b = write_raster(sub / "npp_v2_2003.tif", np.ones((4, 4)))
    with pytest.raises(QgsProcessingException, match=r"2003 is given twice.*'npp_2003'.*'npp_v2_2003'"):
        run_alg(ALG, {"INPUT": [a, b], "OUTPUT": str(tmp_path / "o.tif")})


def test_no_crs_and_no_reference_stops(run_alg, tmp_path):
    a = write_raster(tmp_path / "npp_2003.tif", np.ones((4, 4)), epsg=None)
    with pytest.raises(QgsProcessingException, match=r"'npp_2003' has no CRS and no reference grid"):
        run_alg(ALG, {"INPUT": [a], "OUTPUT": str(tmp_path / "o.tif")})
    # with a CRS given, a raster without one cannot be placed either
    with pytest.raises(QgsProcessingException, match=r"has no CRS"):
        run_alg(
            ALG,
            {"INPUT": [a], "TARGET_CRS": "EPSG:32648", "PIXEL_SIZE": 60, "OUTPUT": str(tmp_path / "o.tif")},
        )


def test_a_boundary_that_does_not_overlap_stops(run_alg, tmp_path):
    a = write_raster(tmp_path / "npp_2003.tif", np.ones((4, 4)))
    far = _boundary(tmp_path / "far.gpkg", "POLYGON((0 0,1000 0,1000 1000,0 1000,0 0))")
    ref = write_raster(tmp_path / "ref.tif", np.ones((4, 4)))
    with pytest.raises(QgsProcessingException, match=r"Study boundary 'far.*does not overlap the grid"):
        run_alg(ALG, {"INPUT": [a], "REFERENCE": ref, "BOUNDARY": far, "OUTPUT": str(tmp_path / "o.tif")})


def test_monthly_netcdf_to_annual_sum_and_mean_with_minimum_months(run_alg, feedback, tmp_path):
    rng = np.random.default_rng(2)
    months = rng.uniform(0, 50, (36, 3, 4))
    months[5, 0, 0] = np.nan  # 2001-06 missing at one pixel
    months = months.astype(np.float32).astype(float)
    times = [15 + 30 * k for k in range(36)]
    nc = write_cf(tmp_path / "pr.nc", months, times, "days since 2001-01-01", "360_day")
    ref = write_raster(
        tmp_path / "ref.tif", np.ones((3, 4)), epsg=4326, geotransform=(100.0, 0.1, 0.0, 40.0, 0.0, -0.1)
    )
    common = {"INPUT": [f'NETCDF:"{nc}":pr'], "REFERENCE": ref}
    run_alg(ALG, {**common, "TIME_STEP": 1, "MIN_MONTHS": 11, "OUTPUT": str(tmp_path / "sum.tif")}, feedback)
    total = read_raster(tmp_path / "sum.tif")
    by_year = months.reshape(3, 12, 3, 4)
    expected = np.nanmean(by_year, axis=1) * 12
    np.testing.assert_allclose(total, expected, rtol=1e-5)
    assert "already on the grid: copied, not resampled" in "\n".join(feedback.infos)
    run_alg(ALG, {**common, "TIME_STEP": 2, "MIN_MONTHS": 12, "OUTPUT": str(tmp_path / "mean.tif")})
    mean = read_raster(tmp_path / "mean.tif")
    assert np.isnan(mean[0, 0, 0]) and np.isfinite(mean[1, 0, 0])  # 11 of 12 months < 12
    np.testing.assert_allclose(mean[:, 1:, :], by_year.mean(axis=1)[:, 1:, :], rtol=1e-5)


def test_boundary_and_excluded_classes_mask_every_band(run_alg, tmp_path):
    a = write_raster(tmp_path / "npp.tif", np.ones((3, 10, 10)), descriptions=["2001", "2002", "2003"])
    lc = np.full((10, 10), 10.0)
    lc[0:2, :] = 17  # water
    landuse = write_raster(tmp_path / "landuse.tif", lc)
    # the boundary covers the west half (x < 560150)
    half = _boundary(
        tmp_path / "half.gpkg",
        "POLYGON((560000 4249700,560150 4249700,560150 4250000,560000 4250000,560000 4249700))",
    )
    run_alg(
        ALG,
        {
            "INPUT": [a],
            "BOUNDARY": half,
            "MASK": landuse,
            "MASK_CLASSES": "17",
            "PIXEL_SIZE": 30,
            "OUTPUT": str(tmp_path / "o.tif"),
        },
    )
    out = read_raster(tmp_path / "o.tif")
    assert out.shape == (3, 10, 5)  # the grid is the boundary's extent
    for band in out:
        assert np.isnan(band[0:2]).all() and (band[2:] == 1).all()


def test_static_variable_and_class_resampling(run_alg, tmp_path):
    lc = np.repeat(np.repeat(np.array([[1, 2], [3, 3]], float), 4, axis=0), 4, axis=1)
    lc[0, 0] = 2  # one odd pixel in the block of 1s: mode keeps 1
    src = write_raster(tmp_path / "landuse_2020.tif", lc)
    res = run_alg(
        ALG,
        {
            "INPUT": [src],
            "TIME_STEP": 3,
            "RESAMPLING": 4,
            "PIXEL_SIZE": 120,
            "VARIABLE": "Land use",
            "OUTPUT": str(tmp_path / "lu.tif"),
        },
    )
    out = read_raster(res["OUTPUT"])
    assert out.tolist() == [[1, 2], [3, 3]]
    assert gdal.Open(res["OUTPUT"]).GetRasterBand(1).GetDescription() == "Land use"

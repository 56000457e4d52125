"""Real data (issue 13): downloads in mixed formats, CRSs and resolutions → preparestack → senmannkendall →
hurstexponent → futuretrend → localmoran → diagnosticzoning through processing.run, and a Random Forest
regression on the meuse soil samples; results checked against independent computations (gdalwarp on the
same inputs, pymannkendall per pixel, scikit-learn on the same samples). test/e2e/test_realdata_e2e.py
runs the netCDF steps headless."""

import numpy as np
import pytest
from osgeo import gdal, ogr
from realdata import realdata_dir

pytestmark = pytest.mark.qgis
GRID = ["TARGET_CRS=EPSG:26913", "PIXEL_SIZE=10000"]


def run(alg, *args, home=None):
    """processing.run with qgis_process-style KEY=value arguments (a key given twice makes a list)."""
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    params = {}
    for arg in args:
        key, value = arg.split("=", 1)
        if key in params:
            params[key] = (params[key] if isinstance(params[key], list) else [params[key]]) + [value]
        else:
            params[key] = value
    results = processing.run(
        f"carbonsink:{alg}", params, context=QgsProcessingContext(), feedback=QgsProcessingFeedback()
    )
    return {"results": results}


def _read(path):
    ds = gdal.Open(str(path))
    a = ds.ReadAsArray().astype(float)
    a[a == ds.GetRasterBand(1).GetNoDataValue()] = np.nan
    return a


def _boundary_mask(boundary, like):
    """Pixel centres inside the boundary, the boundary reprojected to the raster's CRS with ogr2ogr."""
    vector = gdal.VectorTranslate(
        "/vsimem/boundary.gpkg", str(boundary), dstSRS=like.GetProjection(), format="GPKG"
    )
    del vector  # closed: written
    ds = gdal.GetDriverByName("MEM").Create("", like.RasterXSize, like.RasterYSize, 1, gdal.GDT_Byte)
    ds.SetGeoTransform(like.GetGeoTransform())
    ds.SetProjection(like.GetProjection())
    gdal.Rasterize(ds, "/vsimem/boundary.gpkg", burnValues=[1])
    gdal.Unlink("/vsimem/boundary.gpkg")
    return ds.ReadAsArray().astype(bool)


@pytest.fixture(scope="module")
def chain(qgis_app, tmp_path_factory):
    data = realdata_dir() / "colorado"
    home = None
    out = tmp_path_factory.mktemp("realdata_chain")
    boundary = data / "colorado_boundary.geojson"
    mask = [f"BOUNDARY={boundary}", f"MASK={data / 'MCD12C1_2019_colorado.tif'}", "MASK_CLASSES=0,13"]
    results = {}
    results["precipitation"] = run(
        "preparestack",
        f"INPUT={data / 'co_precipitation_monthly.nc'}",
        "VARIABLE=Precipitation",
        "TIME_STEP=1",
        *GRID,
        *mask,
        f"OUTPUT={out / 'precipitation.tif'}",
        f"PREPARATION_TABLE={out / 'precipitation_inputs.csv'}",
        home=home,
    )
    results["temperature"] = run(
        "preparestack",
        f"FOLDER={data}",
        "PATTERN=tmean_*.tif",
        "VARIABLE=Temperature",
        "TIME_STEP=2",
        *GRID,
        *mask,
        f"OUTPUT={out / 'temperature.tif'}",
        home=home,
    )
    results["dem"] = run(
        "preparestack",
        f"INPUT={data / 'co_elevation.tif'}",
        "VARIABLE=DEM",
        "TIME_STEP=3",
        *GRID,
        *mask,
        f"OUTPUT={out / 'dem.tif'}",
        home=home,
    )
    run(
        "senmannkendall",
        f"INPUT={out / 'precipitation.tif'}",
        f"SLOPE={out / 'slope.tif'}",
        f"TREND_CLASS={out / 'trend.tif'}",
        f"P_VALUE={out / 'p.tif'}",
        home=home,
    )
    run("hurstexponent", f"INPUT={out / 'precipitation.tif'}", f"HURST={out / 'hurst.tif'}", home=home)
    run(
        "futuretrend",
        f"SLOPE={out / 'slope.tif'}",
        f"HURST={out / 'hurst.tif'}",
        f"P_VALUE={out / 'p.tif'}",
        f"FUTURE_CLASS={out / 'future.tif'}",
        home=home,
    )
    run("localmoran", f"INPUT_RASTER={out / 'slope.tif'}", f"CLUSTER={out / 'lisa.tif'}", home=home)
    results["zones"] = run(
        "diagnosticzoning",
        f"TREND={out / 'trend.tif'}",
        f"FUTURE={out / 'future.tif'}",
        f"LISA={out / 'lisa.tif'}",
        f"ZONES={out / 'zones.tif'}",
        home=home,
    )
    return data, out, results


def test_prepared_precipitation_equals_gdalwarp_of_each_month_summed(chain):
    data, out, _ = chain
    prepared = gdal.Open(str(out / "precipitation.tif"))
    assert prepared.RasterCount == 47
    assert [prepared.GetRasterBand(b).GetDescription() for b in (1, 47)] == ["1951", "1997"]
    gt = prepared.GetGeoTransform()
    te = (gt[0], gt[3] + gt[5] * prepared.RasterYSize, gt[0] + gt[1] * prepared.RasterXSize, gt[3])
    nc = f'NETCDF:"{data / "co_precipitation_monthly.nc"}":ppt'
    # independent: GDAL Warp of the file as it is, every month, then the sum of each year's 12 months
    warped = gdal.Warp(
        "",
        nc,
        format="MEM",
        dstSRS="EPSG:26913",
        outputBounds=te,
        xRes=10000,
        yRes=10000,
        resampleAlg="average",
        srcSRS="EPSG:4326",
        srcNodata=-9999,
        dstNodata=np.nan,
        outputType=gdal.GDT_Float32,
    ).ReadAsArray()
    annual = warped.reshape(47, 12, *warped.shape[1:]).sum(axis=1)
    inside = _boundary_mask(data / "colorado_boundary.geojson", prepared)
    got = _read(out / "precipitation.tif")
    keep = np.isfinite(got[0])
    assert keep.sum() > 2500 and not (keep & ~inside).any()  # nothing outside Colorado
    np.testing.assert_allclose(got[:, keep], annual[:, keep], rtol=2e-5)
    lc_left_out = inside & ~keep
    assert 0 < lc_left_out.sum() < 60  # water and built-up pixels of MODIS land cover


def test_trend_on_real_precipitation_matches_pymannkendall(chain):
    import pymannkendall as mk

    _, out, _ = chain
    stack = _read(out / "precipitation.tif")
    slope, p = _read(out / "slope.tif"), _read(out / "p.tif")
    rows, cols = np.nonzero(np.isfinite(slope))
    pick = np.random.default_rng(0).choice(rows.size, 25, replace=False)
    for i in pick:
        r, c = rows[i], cols[i]
        res = mk.original_test(stack[:, r, c])
        assert slope[r, c] == pytest.approx(res.slope, rel=1e-4, abs=1e-7)
        assert p[r, c] == pytest.approx(res.p, rel=1e-4, abs=1e-7)


def test_temperature_from_utm_geotiffs_is_the_warped_monthly_mean(chain):
    data, out, results = chain
    prepared = gdal.Open(str(out / "temperature.tif"))
    gt = prepared.GetGeoTransform()
    te = (gt[0], gt[3] + gt[5] * prepared.RasterYSize, gt[0] + gt[1] * prepared.RasterXSize, gt[3])
    year = gdal.Warp(
        "",
        str(data / "tmean_1975.tif"),
        format="MEM",
        dstSRS="EPSG:26913",
        outputBounds=te,
        xRes=10000,
        yRes=10000,
        resampleAlg="average",
        dstNodata=np.nan,
        outputType=gdal.GDT_Float32,
    ).ReadAsArray()
    got = _read(out / "temperature.tif")[1975 - 1951]
    keep = np.isfinite(got)
    np.testing.assert_allclose(got[keep], year.mean(axis=0)[keep], rtol=1e-5, atol=1e-5)
    assert results["temperature"]["results"]["YEARS"].split(",")[0] == "1951"


def test_zones_cover_colorado_and_name_their_classes(chain):
    _, out, results = chain
    zones = gdal.Open(str(out / "zones.tif"))
    codes = zones.ReadAsArray()
    precip = np.isfinite(_read(out / "precipitation.tif")[0])
    assert (codes[precip] > 0).all() and (codes[~precip] == 0).all()
    band = zones.GetRasterBand(1)
    band.GetMetadata()  # makes GDAL read the .aux.xml that holds the category names
    names = [n for n in band.GetCategoryNames() or [] if n]
    assert "Stable / other" in names
    assert results["zones"]["results"]["ZONES"] == str(out / "zones.tif")


def test_random_forest_on_meuse_matches_an_independent_sample(qgis_app, tmp_path):
    from sklearn.ensemble import RandomForestRegressor

    meuse = realdata_dir() / "meuse"
    names = [
        "chnl_dist",
        "dem",
        "dist",
        "ffreq",
        "landimg2",
        "landimg3",
        "landimg4",
        "mrvbf",
        "rsp",
        "slope",
        "soil",
        "twi",
    ]
    res = run(
        "trainrandomforest",
        f"INPUT={meuse / 'meuse.shp'}",
        "TARGET=om",
        *[f"FACTORS={meuse / n}.tif" for n in names],
        "N_TREES=50",
        f"MODEL={tmp_path / 'meuse.npz'}",
        home=tmp_path / "profile",
    )["results"]
    # independent: the factor values under each sample point, read with GDAL, and scikit-learn's forest
    points = ogr.Open(str(meuse / "meuse.shp"))  # kept open while its layer is read
    lyr = points.GetLayer()
    xy, om = [], []
    for f in lyr:
        g = f.GetGeometryRef()
        xy.append((g.GetX(), g.GetY()))
        om.append(np.nan if f.GetField("om") is None else f.GetField("om"))
    xy, om = np.array(xy), np.array(om)
    cols = []
    for n in names:
        ds = gdal.Open(str(meuse / f"{n}.tif"))
        gt, a = ds.GetGeoTransform(), ds.ReadAsArray().astype(float)
        a[a == ds.GetRasterBand(1).GetNoDataValue()] = np.nan
        c = np.floor((xy[:, 0] - gt[0]) / gt[1]).astype(int)
        r = np.floor((xy[:, 1] - gt[3]) / gt[5]).astype(int)
        ok = (r >= 0) & (r < a.shape[0]) & (c >= 0) & (c < a.shape[1])
        cols.append(np.where(ok, a[np.clip(r, 0, a.shape[0] - 1), np.clip(c, 0, a.shape[1] - 1)], np.nan))
    x = np.column_stack(cols)
    used = np.isfinite(x).all(axis=1) & np.isfinite(om)
    assert res["N_USED"] == int(used.sum()) == 148
    rf = RandomForestRegressor(50, min_samples_leaf=20, max_depth=10, random_state=42).fit(x[used], om[used])
    top = names[int(np.argmax(rf.feature_importances_))]
    assert top == "dist"  # organic matter follows the distance to the Meuse, as in every analysis of meuse
    assert res["VALIDATION_R2"] > 0.0

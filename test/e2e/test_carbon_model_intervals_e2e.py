"""Headless through qgis_process: train (spatial blocks, 90 % interval) → predict (density, interval bounds,
area of applicability) → storage with confidence intervals inside and outside the area of applicability."""

import csv
import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal, ogr, osr

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
X0, Y0, PX, ROWS, COLS = 560000.0, 4250000.0, 30.0, 40, 50
YEARS = (2001, 2002, 2003, 2004)


def run(alg, *args, home):
    done = subprocess.run(
        [str(ROOT / "scripts" / "qgis_process"), "--json", "run", f"carbonsink:{alg}", "--", *args],
        capture_output=True,
        text=True,
        timeout=900,
        env={"CSD_QGIS_HOME": str(home), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads(done.stdout)["results"]


def write(path, data, descriptions=None):
    data = np.atleast_3d(np.asarray(data, dtype=np.float32).T).T if np.ndim(data) == 2 else np.asarray(data)
    ds = gdal.GetDriverByName("GTiff").Create(str(path), COLS, ROWS, data.shape[0], gdal.GDT_Float32)
    ds.SetGeoTransform((X0, PX, 0, Y0, 0, -PX))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32648)
    ds.SetProjection(srs.ExportToWkt())
    for b in range(data.shape[0]):
        band = ds.GetRasterBand(b + 1)
        band.SetNoDataValue(-9999.0)
        band.WriteArray(data[b].astype(np.float32))
        if descriptions:
            band.SetDescription(str(descriptions[b]))
    ds = None
    return str(path)


def test_train_predict_storage_with_intervals(tmp_path_factory):
    home, out = tmp_path_factory.mktemp("profile"), tmp_path_factory.mktemp("out")
    rng = np.random.default_rng(3)
    rows, cols = np.mgrid[0:ROWS, 0:COLS]
    npp = np.stack([300 + 5.0 * cols + rng.normal(0, 20, (ROWS, COLS)) + 12 * k for k in range(len(YEARS))])
    dem = 1300 + 10.0 * rows + rng.normal(0, 25, (ROWS, COLS))
    (out / "train").mkdir()
    npp_train = write(out / "train" / "NPP.tif", npp[0])
    dem_path = write(out / "DEM.tif", dem)
    npp_stack = write(out / "NPP.tif", npp, YEARS)
    # 300 plots
    flat = rng.choice(ROWS * COLS, 300, replace=False)
    r, c = flat // COLS, flat % COLS
    target = (
        0.07 * npp[0][r, c].astype(np.float32) + 0.01 * dem[r, c].astype(np.float32) + rng.normal(0, 2, 300)
    )
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32648)
    gpkg = ogr.GetDriverByName("GPKG").CreateDataSource(str(out / "plots.gpkg"))
    layer = gpkg.CreateLayer("plots", srs, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("cd", ogr.OFTReal))
    for ri, ci, v in zip(r, c, target):
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField("cd", float(v))
        f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({X0 + (ci + 0.5) * PX} {Y0 - (ri + 0.5) * PX})"))
        layer.CreateFeature(f)
    gpkg = None

    trained = run(
        "traincarbonmodel", f"SAMPLES={out / 'plots.gpkg'}", "CARBON_FIELD=cd", f"FACTORS={npp_train}",
        f"FACTORS={dem_path}", "N_TREES=30", "MIN_LEAF=5", "CV_SCHEME=1", "CV_FOLDS=4", "INTERVAL_LEVEL=0.9",
        f"MODEL={out / 'model.npz'}", f"METRICS={out / 'metrics.csv'}", f"REPORT={out / 'model.html'}", home=home,
    )  # fmt: skip
    assert trained["KIND_USED"] == "random_forest" and trained["CV_RMSE"] > 0
    sets = {r["set"] for r in csv.DictReader(open(out / "metrics.csv", encoding="utf-8"))}
    assert {"train", "validation", "cv_blocks", "cv_random"} <= sets
    predicted = run(
        "predictcarbondensity", f"MODEL={out / 'model.npz'}", f"STATIC_FACTORS={dem_path}",
        f"YEARLY_FACTORS={npp_stack}", f"CARBON_DENSITY={out / 'cd.tif'}",
        f"CARBON_DENSITY_LOWER={out / 'lo.tif'}", f"CARBON_DENSITY_UPPER={out / 'hi.tif'}",
        f"AREA_OF_APPLICABILITY={out / 'aoa.tif'}", home=home,
    )  # fmt: skip
    cd, lo, hi = (gdal.Open(str(out / n)).ReadAsArray() for n in ("cd.tif", "lo.tif", "hi.tif"))
    assert cd.shape == (4, ROWS, COLS) and (lo <= cd).all() and (cd <= hi).all() and (hi > lo).any()
    assert 0 <= predicted["OUTSIDE_AOA_PERCENT"] <= 100
    storage = run(
        "carbonstorage", f"CARBON_DENSITY={out / 'cd.tif'}", f"MODEL={out / 'model.npz'}",
        f"STATIC_FACTORS={dem_path}", f"YEARLY_FACTORS={npp_stack}", f"AREA_OF_APPLICABILITY={out / 'aoa.tif'}",
        "CONFIDENCE_LEVEL=0.9", f"STORAGE_TABLE={out / 'storage.csv'}", f"STORAGE_TRENDS={out / 'trends.csv'}",
        f"REPORT={out / 'storage.html'}", home=home,
    )  # fmt: skip
    lower, upper = storage["STORAGE_TREND_T_PER_YEAR_LOWER"], storage["STORAGE_TREND_T_PER_YEAR_UPPER"]
    assert lower < storage["STORAGE_TREND_T_PER_YEAR"] < upper
    assert storage["STORAGE_TREND_T_PER_YEAR"] > 0  # NPP rises, so does the carbon
    rows = list(csv.DictReader(open(out / "storage.csv", encoding="utf-8")))
    assert {r["aoa"] for r in rows} == {"all", "inside AOA", "outside AOA"} or {r["aoa"] for r in rows} == {
        "all",
        "inside AOA",
    }
    for r in rows:
        assert float(r["storage_lower_t"]) < float(r["storage_t"]) < float(r["storage_upper_t"])

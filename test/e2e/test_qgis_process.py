"""The trend toolkit headless, exactly as users run it: qgis_process --json on the sample stack."""

import csv
import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
from rasters import read_raster, write_raster

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
QGIS_PROCESS = ROOT / "scripts" / "qgis_process"


def qgis_process(*args, home):
    env = {"CSD_QGIS_HOME": str(home), "PATH": "/usr/bin:/bin"}
    return subprocess.run([str(QGIS_PROCESS), *args], capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("qgis-profile")


def test_provider_is_listed_headless(home):
    done = qgis_process("list", home=home)
    assert done.returncode == 0, done.stderr
    for alg in ("senmannkendall", "coefficientofvariation", "hurstexponent", "futuretrend"):
        assert f"carbonsink:{alg}" in done.stdout


def test_trend_chain_json(home, sample_stack, tmp_path):
    out = tmp_path
    done = qgis_process(
        "--json",
        "run",
        "carbonsink:senmannkendall",
        "--",
        f"INPUT={sample_stack}",
        f"SLOPE={out / 'slope.tif'}",
        f"TREND_CLASS={out / 'class.tif'}",
        f"P_VALUE={out / 'p.tif'}",
        f"CLASS_AREAS={out / 'areas.csv'}",
        home=home,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    doc = json.loads(done.stdout)
    rows = doc["results"]["CLASS_AREA_SUMMARY"]["TREND_CLASS"]
    assert sum(r["share_pct"] for r in rows) == pytest.approx(100.0)
    assert (out / "areas.csv").read_text().splitlines()[0].startswith("output,code,class")
    assert np.isfinite(read_raster(out / "slope.tif")).any()

    done = qgis_process(
        "--json",
        "run",
        "carbonsink:hurstexponent",
        "--",
        f"INPUT={sample_stack}",
        f"HURST={out / 'h.tif'}",
        home=home,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    done = qgis_process(
        "--json",
        "run",
        "carbonsink:futuretrend",
        "--",
        f"SLOPE={out / 'slope.tif'}",
        f"HURST={out / 'h.tif'}",
        f"P_VALUE={out / 'p.tif'}",
        f"FUTURE_CLASS={out / 'f.tif'}",
        home=home,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(json.loads(done.stdout)["results"]["CLASS_AREA_SUMMARY"]["FUTURE_CLASS"]) == 9


def test_off_grid_input_fails_with_a_named_layer_and_no_traceback(home, tmp_path):
    paths = [write_raster(tmp_path / f"cd_{y}.tif", np.ones((5, 5)) * y) for y in range(2001, 2006)]
    paths[1] = write_raster(
        tmp_path / "cd_2002.tif",
        np.ones((5, 5)),
        epsg=4326,
        geotransform=(105.0, 0.01, 0.0, 38.0, 0.0, -0.01),
    )
    args = [f"INPUT={p}" for p in paths]
    done = qgis_process(
        "run",
        "carbonsink:senmannkendall",
        "--",
        *args,
        f"SLOPE={tmp_path / 's.tif'}",
        "TREND_CLASS=TEMPORARY_OUTPUT",
        home=home,
    )
    assert done.returncode != 0
    text = done.stdout + done.stderr
    assert "cd_2002" in text and "CRS differs" in text and "Traceback" not in text


def test_moran_headless_on_a_raster_and_a_polygon_layer(home, tmp_path):
    from osgeo import ogr, osr

    rng = np.random.default_rng(0)
    field = np.cumsum(np.cumsum(rng.normal(size=(30, 40)), axis=0), axis=1)  # strongly autocorrelated
    path = write_raster(tmp_path / "field.tif", field)
    done = qgis_process("--json", "run", "carbonsink:globalmoran", "--", f"INPUT_RASTER={path}", home=home)
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads(done.stdout)["results"]
    assert results["I"] > 0.5 and results["P_NORM"] < 0.001
    # A 6 x 6 lattice of square polygons with a value gradient: LISA through esda-equal core code.
    gpkg = str(tmp_path / "cells.gpkg")
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32648)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(gpkg)
    layer = ds.CreateLayer("cells", srs, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("value", ogr.OFTReal))
    for i in range(6):
        for j in range(6):
            f = ogr.Feature(layer.GetLayerDefn())
            f.SetField("value", float(i + j) + rng.normal(0, 0.3))
            x, y = 500000 + 1000 * j, 4200000 - 1000 * i
            f.SetGeometry(
                ogr.CreateGeometryFromWkt(
                    f"POLYGON(({x} {y},{x + 1000} {y},{x + 1000} {y - 1000},{x} {y - 1000},{x} {y}))"
                )
            )
            layer.CreateFeature(f)
    ds = None
    done = qgis_process(
        "--json",
        "run",
        "carbonsink:localmoran",
        "--",
        f"INPUT_VECTOR={gpkg}",
        "VALUE_FIELD=value",
        f"OUTPUT={tmp_path / 'lisa.gpkg'}",
        f"CLASS_AREAS={tmp_path / 'areas.csv'}",
        home=home,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    rows = list(csv.DictReader(open(tmp_path / "areas.csv", encoding="utf-8")))
    shares = {r["class"]: float(r["share_pct"]) for r in rows}
    assert sum(shares.values()) == pytest.approx(100.0)
    assert shares["High-High"] > 0 and shares["Low-Low"] > 0

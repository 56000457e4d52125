"""The whole study end to end on the demo region, headless: the shipped model by its id and from its
.model3 path, every output on the demo grid with plausible values, and the study report offline."""

import base64
import csv
import importlib.util
import os
import re
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("run_study", ROOT / "scripts" / "run_study.py")
run_study = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_study)


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    os.environ["CSD_QGIS_HOME"] = str(tmp_path_factory.mktemp("profile"))
    region = str(tmp_path_factory.mktemp("region"))
    run_study.create_region(region, "ROWS=120", "COLS=150")
    out = str(tmp_path_factory.mktemp("study"))
    files, done = run_study.run_model(region, out)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return region, files, done.stdout


def _read(path, band=None):
    ds = gdal.Open(path)
    a = (ds.ReadAsArray() if band is None else ds.GetRasterBand(band).ReadAsArray()).astype(float)
    nodata = ds.GetRasterBand(1).GetNoDataValue()
    if nodata is not None:
        a[a == nodata] = np.nan
    return a


def test_every_output_exists_on_the_demo_grid(study):
    region, files, _ = study
    grid = gdal.Open(os.path.join(region, "DEM.tif"))
    for name, path in files.items():
        assert os.path.exists(path), name
        if path.endswith(".tif"):
            ds = gdal.Open(path)
            assert ds.GetGeoTransform() == grid.GetGeoTransform(), name
            assert (ds.RasterXSize, ds.RasterYSize) == (150, 120), name
            assert ds.GetSpatialRef().IsSame(grid.GetSpatialRef()), name


def test_storage_is_density_times_area_and_class_shares_sum_to_100(study):
    _, files, _ = study
    density = _read(files["density:Carbon density"])
    storage = _read(files["storage:Carbon storage"])
    ok = np.isfinite(storage)
    # 250 m pixels of UTM 48N: 6.25 hm² of map, 1/k² ≈ 1.0007 times that on the ground
    from core.engine.raster import Grid

    ds = gdal.Open(files["storage:Carbon storage"])
    hm2 = Grid.of(ds).pixel_areas((0, 0, ds.RasterXSize, ds.RasterYSize)) / 1e4
    assert np.all(np.abs(hm2 / 6.25 - 1.0007) < 2e-4)
    np.testing.assert_allclose(storage[ok], (density * hm2)[ok], rtol=1e-5)
    assert np.nanmin(density) > 0 and np.nanmax(density) < 400  # t C/hm², plausible for the region
    for key in (
        "trend:Trend class areas",
        "future:Future trend class areas",
        "lisa:LISA cluster areas",
        "zoning:Diagnostic zone areas",
        "drivers:Climate driver type areas",
    ):
        with open(files[key], encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        assert sum(float(r["share_pct"]) for r in rows) == pytest.approx(100.0), key
    headline = run_study.headline(files)
    assert float(headline["Significant increase (Sen+MK)"].split()[0]) > 50  # the region greens up


def test_random_forest_validation_and_step_times(study):
    _, files, log = study
    with open(files["forest:Model accuracy metrics"], encoding="utf-8") as f:
        metrics = {r["set"]: r for r in csv.DictReader(f)}
    assert float(metrics["validation"]["r2"]) > 0.6
    steps = re.findall(r"([^\n.\d][^\n]*?): finished in ([\d.]+) s", log)
    assert len(steps) >= 16  # every step of the model reports its time


def test_study_report_is_offline_and_its_images_decode(study):
    _, files, _ = study
    html = Path(files["report:Study report"]).read_text(encoding="utf-8")
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert len(images) >= 9
    for data in images:
        png = base64.b64decode(data)
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 1000
    assert html.count("<svg") >= 5
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", html)


def test_the_model_file_runs_from_its_path(study, tmp_path):
    region, _, _ = study
    files, done = run_study.run_model(
        region, str(tmp_path), model=str(ROOT / "models" / "whole_study.model3")
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert os.path.exists(files["zoning:Diagnostic zones"])


def test_every_output_is_named_for_what_it_is(study):
    """Issue 14: no five "CLASS_AREAS", no "OUTPUT"/"TABLE"/"REPORT": each output's name says what it is."""
    _, files, _ = study
    names = [name.split(":", 1)[1] for name in files]
    assert len(set(names)) == len(names), sorted(names)
    for name in names:
        assert name != name.upper() and " " in name or name.startswith("LISA"), name


def test_the_trained_model_file_is_kept_where_the_user_named_it(study):
    _, files, log = study
    path = files["forest:Carbon density model file"]
    assert path.endswith(".npz") and os.path.getsize(path) > 1000
    with np.load(path, allow_pickle=False) as model:
        assert len(model.files) > 0
    assert "/tmp/processing_" not in Path(files["report:Study report"]).read_text(encoding="utf-8")


def test_storage_trends_have_confidence_intervals_in_the_table_and_the_findings(study):
    """Issue 15: the model's trees give the regional trends a confidence interval, shown in the report."""
    _, files, _ = study
    with open(files["storage:Carbon storage trends"], encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["region_name"] == "All regions" and r["aoa"] == "all"]
    total = next(r for r in rows if r["variable"] == "total storage")
    lower, slope, upper = (float(total[k]) for k in ("slope_lower", "slope", "slope_upper"))
    assert lower < slope < upper
    html = Path(files["report:Study report"]).read_text(encoding="utf-8")
    assert "Total carbon storage trend, 90% confidence interval" in html
    assert f"{lower:+,.0f}" in html and f"{upper:+,.0f}" in html


def test_the_report_has_the_stability_class_table(study):
    """Issue 14: Cv's stability classes have their class-area table in the study report."""
    _, files, _ = study
    html = Path(files["report:Study report"]).read_text(encoding="utf-8")
    assert "Stability class (coefficient of variation)" in html
    assert "Relatively low fluctuation" in html

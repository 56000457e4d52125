"""Nothing silently wrong, headless: implausible field data, inputs in the wrong role, warnings as WARNING."""

import csv
import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal, ogr
from rasters import write_raster

from core.demo.demo_region import write_region

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
QGIS_PROCESS = ROOT / "scripts" / "qgis_process"


def qgis_process(*args, home):
    env = {"CSD_QGIS_HOME": str(home), "PATH": "/usr/bin:/bin"}
    return subprocess.run([str(QGIS_PROCESS), *args], capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("qgis-profile")


def _plot_params(demo, trees, out):
    fields = {
        "PLOT_ID_FIELD": "plot_id",
        "ECOSYSTEM_FIELD": "ecosystem",
        "TREE_PLOT_ID_FIELD": "plot_id",
        "TREE_GROUP_FIELD": "species_group",
        "TREE_DBH_FIELD": "dbh_cm",
        "TREE_HEIGHT_FIELD": "height_m",
        "SHRUB_FRESH_FIELD": "shrub_fw_g",
        "SHRUB_RATIO_FIELD": "shrub_dfr",
        "HERB_FRESH_FIELD": "herb_fw_g",
        "HERB_RATIO_FIELD": "herb_dfr",
        "LITTER_FRESH_FIELD": "litter_fw_g",
        "LITTER_RATIO_FIELD": "litter_dfr",
    }
    for i in (1, 2, 3):
        fields |= {
            f"SOC_{i}_FIELD": f"soc{i}_g_kg",
            f"BD_{i}_FIELD": f"bd{i}_g_cm3",
            f"DEPTH_{i}_FIELD": f"depth{i}_cm",
        }
    return [
        f"PLOTS={demo['plots']}",
        f"TREES={trees}",
        f"PLOT_CARBON={out}",
        *(f"{k}={v}" for k, v in fields.items()),
    ]


def test_a_dbh_typo_in_the_demo_survey_is_flagged_and_left_out(home, tmp_path):
    demo = write_region(str(tmp_path / "demo"), rows=60, cols=80, seed=2024)
    with open(demo["trees"], newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    typo_plot = rows[4]["plot_id"]
    rows[4]["dbh_cm"] = "1020"  # 10.2 with the decimal point lost
    trees = tmp_path / "trees_typo.csv"
    with open(trees, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "carbon.gpkg"
    done = qgis_process(
        "--json", "run", "carbonsink:plotcarbondensity", "--", *_plot_params(demo, trees, out), home=home
    )
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads(done.stdout)["results"]
    assert results["N_PROBLEMS"] == 1 and results["N_IMPLAUSIBLE"] == 1
    ds = ogr.Open(str(out))
    flagged = {f.GetField("plot_id"): (f.GetField("C_total"), f.GetField("problem")) for f in ds.GetLayer()}
    ds = None
    assert flagged[typo_plot] == (None, "tree row 5: DBH 1020 cm is outside the plausible range 2.5–300 cm")
    assert all(c is not None for pid, (c, _) in flagged.items() if pid != typo_plot)
    plain = qgis_process(
        "run", "carbonsink:plotcarbondensity", "--", *_plot_params(demo, trees, out), home=home
    )
    assert f"WARNING:\tPlot {typo_plot}: tree row 5: DBH 1020 cm" in plain.stdout + plain.stderr
    assert "ERROR:" not in plain.stdout + plain.stderr


def test_swapped_slope_and_hurst_stop_with_the_layer_named(home, tmp_path):
    rng = np.random.default_rng(1)
    slope = write_raster(tmp_path / "slope.tif", rng.normal(0.3, 1.0, (8, 9)))
    hurst = write_raster(tmp_path / "hurst.tif", rng.uniform(0.3, 0.9, (8, 9)))
    out = tmp_path / "future.tif"
    done = qgis_process(
        "run",
        "carbonsink:futuretrend",
        "--",
        f"SLOPE={hurst}",
        f"HURST={slope}",
        f"FUTURE_CLASS={out}",
        home=home,
    )
    text = done.stdout + done.stderr
    assert done.returncode != 0
    assert "Layer 'slope' given as the Hurst exponent: hurst must hold Hurst exponents >= 0" in text
    assert "Traceback" not in text and not out.exists()


def test_warnings_print_as_warning_and_wrong_inputs_as_one_error(home, tmp_path):
    # Cv of zero-mean anomalies: refused (the old output was σ/μ of up to ~1e9)
    years = [str(y) for y in range(2001, 2025)]
    anomalies = np.random.default_rng(2).normal(0, 1, (24, 6, 6))
    anomalies -= anomalies.mean(axis=0)
    path = write_raster(tmp_path / "anomaly.tif", anomalies, descriptions=years)
    done = qgis_process(
        "run", "carbonsink:coefficientofvariation", "--", f"INPUT={path}", "CV=TEMPORARY_OUTPUT", home=home
    )
    assert done.returncode != 0 and "has a negative value or only zeros" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    # storage with a few negative densities: a warning and a count, not an error
    density = 40 + np.random.default_rng(3).normal(0, 1, (6, 6, 6))
    density[2, 1, 1] = -4.0
    path = write_raster(tmp_path / "cd.tif", density, descriptions=years[:6])
    done = qgis_process(
        "--json",
        "run",
        "carbonsink:carbonstorage",
        "--",
        f"CARBON_DENSITY={path}",
        f"STORAGE_TABLE={tmp_path / 't.csv'}",
        home=home,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["results"]["NEGATIVE_PIXELS"] == 1
    plain = qgis_process(
        "run",
        "carbonsink:carbonstorage",
        "--",
        f"CARBON_DENSITY={path}",
        f"STORAGE_TABLE={tmp_path / 't2.csv'}",
        home=home,
    )
    assert "WARNING:\t1 pixels of 'cd' have a negative carbon density" in plain.stdout + plain.stderr
    # a one-band carbon stack in the land-use contribution: refused, naming it
    lu = write_raster(tmp_path / "lu.tif", np.ones((6, 6)), nodata=255, dtype=gdal.GDT_Byte)
    one = write_raster(tmp_path / "c2020.tif", np.full((1, 6, 6), 40.0), descriptions=["2020"])
    done = qgis_process(
        "run",
        "carbonsink:landusecontribution",
        "--",
        f"LANDUSE_START={lu}",
        f"LANDUSE_END={lu}",
        f"CARBON_DENSITY={one}",
        f"CONTRIBUTIONS={tmp_path / 'c.csv'}",
        home=home,
    )
    assert done.returncode != 0 and "'c2020' has 1 band" in done.stdout + done.stderr

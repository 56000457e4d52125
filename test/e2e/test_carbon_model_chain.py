"""The carbon-model chain headless on the synthetic demo region, step by step through qgis_process:
plots -> plot carbon density -> NPP-ratio augmentation -> factor screening -> Random Forest ->
annual carbon density (all years) -> storage table."""

import csv
import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal

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
    return json.loads(done.stdout)["results"]


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    from core.demo.demo_region import write_region

    folder = tmp_path_factory.mktemp("demo_region")
    return folder, write_region(str(folder), rows=120, cols=150)


def test_plots_to_storage(region, tmp_path_factory):
    folder, paths = region
    home = tmp_path_factory.mktemp("profile")
    out = tmp_path_factory.mktemp("out")
    soil = [
        f"{k}_{i}={f}"
        for i in (1, 2, 3)
        for k, f in (
            ("SOC", f"soc{i}_g_kg"),
            ("BD", f"bd{i}_g_cm3"),
            ("DEPTH", f"depth{i}_cm"),
            ("GRAVEL", f"gravel{i}"),
        )
    ]
    plots = run(
        "plotcarbondensity",
        f"PLOTS={paths['plots']}",
        "PLOT_ID_FIELD=plot_id",
        "ECOSYSTEM_FIELD=ecosystem",
        f"TREES={paths['trees']}",
        "TREE_PLOT_ID_FIELD=plot_id",
        "TREE_GROUP_FIELD=species_group",
        "TREE_DBH_FIELD=dbh_cm",
        "TREE_HEIGHT_FIELD=height_m",
        "SHRUB_FRESH_FIELD=shrub_fw_g",
        "SHRUB_RATIO_FIELD=shrub_dfr",
        "HERB_FRESH_FIELD=herb_fw_g",
        "HERB_RATIO_FIELD=herb_dfr",
        "LITTER_FRESH_FIELD=litter_fw_g",
        "LITTER_RATIO_FIELD=litter_dfr",
        *soil,
        f"PLOT_CARBON={out / 'plot_carbon.gpkg'}",
        home=home,
    )
    assert plots["N_PROBLEMS"] == 0
    samples = run(
        "augmentsamples",
        f"PLOTS={out / 'plot_carbon.gpkg'}",
        "CARBON_FIELD=C_total",
        "PLOT_ID_FIELD=plot_id",
        f"CLIMATE_ZONE={paths['climate_zone']}",
        f"ECOSYSTEM={paths['ecosystem']}",
        f"NPP_SURVEY={paths['factor_NPP']}",
        "N_POINTS=400",
        "MIN_SPACING=500",
        "SEED=42",
        f"SAMPLES={out / 'samples.gpkg'}",
        home=home,
    )
    assert samples["N_DERIVED"] > 300
    candidates = [paths[f"factor_{f}"] for f in ("NPP", "NDVI", "AP", "MAT", "AI")] + [paths["dem"]]
    screening = run(
        "factorscreening",
        f"SAMPLES={out / 'samples.gpkg'}",
        "CARBON_FIELD=carbon_density",
        *[f"FACTORS={p}" for p in candidates],
        "MAX_CORRELATION=0.9",
        f"REPORT={out / 'screening.html'}",
        home=home,
    )
    keep = screening["KEPT_FACTORS"].split(",")
    assert "NPP" in keep and 2 <= len(keep) <= 6
    by_name = {Path(p).stem.split("_")[0]: p for p in candidates}
    model = run(
        "traincarbonmodel",
        f"SAMPLES={out / 'samples.gpkg'}",
        "CARBON_FIELD=carbon_density",
        *[f"FACTORS={by_name[k]}" for k in keep],
        f"MODEL={out / 'model.npz'}",
        f"METRICS={out / 'metrics.csv'}",
        f"REPORT={out / 'rf.html'}",
        home=home,
    )
    assert model["VALIDATION_R2"] > 0.6  # the synthetic plots follow NPP, NDVI and DEM closely
    stacks = {
        "NPP": paths["npp"],
        "NDVI": paths["ndvi"],
        "AP": paths["precipitation"],
        "MAT": paths["temperature"],
        "AI": paths["aridity"],
    }
    static = [f"STATIC_FACTORS={paths['dem']}"] if "DEM" in keep else []
    yearly = [f"YEARLY_FACTORS={stacks[k]}" for k in keep if k != "DEM"]
    run(
        "predictcarbondensity",
        f"MODEL={out / 'model.npz'}",
        *static,
        *yearly,
        f"CARBON_DENSITY={out / 'carbon_density.tif'}",
        home=home,
    )
    density_ds = gdal.Open(str(out / "carbon_density.tif"))
    assert density_ds.RasterCount == 24 and density_ds.GetRasterBand(24).GetDescription() == "2024"
    assert density_ds.GetGeoTransform() == gdal.Open(paths["dem"]).GetGeoTransform()
    storage = run(
        "carbonstorage",
        f"CARBON_DENSITY={out / 'carbon_density.tif'}",
        f"STORAGE={out / 'storage.tif'}",
        f"STORAGE_TABLE={out / 'storage.csv'}",
        f"REGIONS_RASTER={paths['landuse_end']}",
        f"REPORT={out / 'storage.html'}",
        home=home,
    )
    assert storage["DENSITY_TREND_T_PER_HM2_PER_YEAR"] > 0  # the region greens up
    density = density_ds.ReadAsArray().astype(float)
    density[density == density_ds.GetRasterBand(1).GetNoDataValue()] = np.nan
    complete = np.all(np.isfinite(density), axis=0)
    with open(out / "storage.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["region_name"] == "All regions"]
    assert len(rows) == 24
    # storage = density x true pixel area (250 m pixels of UTM 48N: 6.25 hm² of map, 0.07 % more true)
    from core.engine.raster import Grid

    hm2 = Grid.of(density_ds).pixel_areas((0, 0, density_ds.RasterXSize, density_ds.RasterYSize)) / 1e4
    assert np.all(np.abs(hm2 / 6.25 - 1.0007) < 2e-4)
    expected_2001 = float(np.sum(density[0][complete] * hm2[complete]))
    assert float(rows[0]["storage_t"]) == pytest.approx(expected_2001, rel=1e-5)
    region_names = {r["region_name"] for r in csv.DictReader(open(out / "storage.csv", encoding="utf-8"))}
    assert {"cropland", "forest", "grassland"} <= region_names

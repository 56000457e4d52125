"""`make demo`: create the synthetic demo region, run the whole-study model headless through qgis_process,
then print the time of each step and the headline figures beside the paper's.

Usage: .venv/bin/python scripts/run_study.py [output folder]
"""

import csv
import math
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QGIS_PROCESS = os.path.join(ROOT, "scripts", "qgis_process")

# Paper figures (docs/method.md, "The paper's figures"), for plausibility only.
PAPER = {
    "Total storage trend": "+256.86 × 10⁴ t C/a (Ningxia)",
    "Mean density trend": "+0.49 t C/hm²/a",
    "Significant increase (Sen+MK)": "78.7 %",
    "Continuing increase (Sen × Hurst)": "92.75 %",
    "High-High LISA clusters": "25.1 %",
    "Contribution: grassland": "41.49 %",
    "Contribution: cropland": "33.43 %",
    "Conversions cropland/grassland/forest": "17.31 %",
    "RF train R² / MAE / RMSE": "0.87 / 5.10 / 7.90",
    "RF validation R² / MAE / RMSE": "0.74 / 7.36 / 12.31",
}


def qgis_process(*args):
    return subprocess.run([QGIS_PROCESS, *args], capture_output=True, text=True)


def model_outputs():
    """Destination parameters of the whole-study model and their kinds, from `qgis_process help`."""
    done = qgis_process("help", "carbonsink:wholestudy")
    if done.returncode != 0:
        raise SystemExit(done.stdout + done.stderr)
    text = done.stdout.split("Outputs\n----------------", 1)[1]
    return re.findall(r"^(\w+:[^:\n<]+?): <(\w+)>", text, flags=re.M)


POINT_OUTPUTS = {"plots:Plot carbon density", "augment:Sample points (plots and augmented)"}


def output_path(folder, name, kind):
    """A file name for the model output ``name`` (e.g. ``trend:Trend class areas`` → trend_class_areas.csv)."""
    _, out = name.split(":", 1)
    ext = {"outputRaster": "tif", "outputHtml": "html", "outputFile": "npz"}.get(kind, "csv")
    if out.endswith("report"):
        ext = "html"
    if name in POINT_OUTPUTS:  # point layers: a GeoPackage keeps their geometry and numeric fields
        ext = "gpkg"
    slug = re.sub(r"[^a-z0-9]+", "_", out.lower().replace("'", "")).strip("_")
    return os.path.join(folder, f"{slug}.{ext}")


def read_csv(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def share(rows, name):
    for r in rows:
        if r["class"].lower().startswith(name.lower()):
            return float(r["share_pct"])
    return float("nan")


def interval(trend, scale):
    """The confidence interval " (CI a … b)" of a trend row with bounds (carbonstorage given the model), or ""."""
    try:
        lo, hi = float(trend["slope_lower"]) / scale, float(trend["slope_upper"]) / scale
    except (KeyError, TypeError, ValueError):
        return ""
    return f" (CI {lo:+.3f} … {hi:+.3f})" if math.isfinite(lo) and math.isfinite(hi) else ""


def headline(files):
    rows = {}
    trends = {
        r["variable"]: r
        for r in read_csv(files["storage:Carbon storage trends"])
        if r["region_name"] == "All regions" and r.get("aoa", "all") == "all"
    }
    total, density = trends["total storage"], trends["mean density"]
    rows["Total storage trend"] = f"{float(total['slope']) / 1e4:+.3f} × 10⁴ t C/a" + interval(total, 1e4)
    rows["Mean density trend"] = f"{float(density['slope']):+.3f} t C/hm²/a" + interval(density, 1)
    rows["Significant increase (Sen+MK)"] = (
        f"{share(read_csv(files['trend:Trend class areas']), 'Significant increase'):.1f} %"
    )
    rows["Continuing increase (Sen × Hurst)"] = (
        f"{share(read_csv(files['future:Future trend class areas']), 'Continuous improvement'):.1f} %"
    )
    if "lisa:LISA cluster areas" in files:
        rows["High-High LISA clusters"] = (
            f"{share(read_csv(files['lisa:LISA cluster areas']), 'High-High'):.1f} %"
        )
    contributions = read_csv(files["landuse:Land-use contributions"])
    by_class = {r["name"].lower(): r for r in contributions}
    for name in ("grassland", "cropland"):
        r = by_class.get(name)
        rows[f"Contribution: {name}"] = f"{float(r['share_pct']):.1f} %" if r else "–"
    transitions = read_csv(files["landuse:Land-use transitions"])
    total = sum(float(r["carbon_change_t"] or 0) for r in transitions)
    group = {"cropland", "grassland", "forest"}
    conv = sum(
        float(r["carbon_change_t"] or 0)
        for r in transitions
        if r["from_name"].lower() in group
        and r["to_name"].lower() in group
        and r["from_name"] != r["to_name"]
    )
    rows["Conversions cropland/grassland/forest"] = f"{100 * conv / total:.1f} % ({conv / 1e4:+.2f} × 10⁴ t)"
    metrics = {r["set"]: r for r in read_csv(files["forest:Model accuracy metrics"])}
    for key, label in (
        ("train", "RF train R² / MAE / RMSE"),
        ("validation", "RF validation R² / MAE / RMSE"),
        ("cv_blocks", "Spatial-block CV R² / MAE / RMSE"),
    ):
        m = metrics.get(key)
        if m is None:
            continue
        rows[label] = f"{float(m['r2']):.2f} / {float(m['mae']):.2f} / {float(m['rmse']):.2f}"
    return rows


def create_region(region, *extra):
    done = qgis_process("run", "carbonsink:createdemoregion", "--", f"OUTPUT_FOLDER={region}", *extra)
    if done.returncode != 0:
        raise SystemExit(done.stdout + done.stderr)


def model_inputs(region):
    """The whole-study model's inputs for a demo region folder."""

    def r(name):
        return os.path.join(region, name)

    return [
        f"PLOTS={r('plots.gpkg')}",
        f"TREES={r('trees.csv')}",
        f"CLIMATE_ZONE={r('climate_zone.tif')}",
        f"ECOSYSTEM={r('ecosystem_type.tif')}",
        f"NPP_SURVEY={r('NPP_2024.tif')}",
        *[f"FACTORS={r(f + '_2024.tif')}" for f in ("NPP", "NDVI", "AP", "MAT", "AI")],
        f"FACTORS={r('DEM.tif')}",
        f"STATIC_FACTORS={r('DEM.tif')}",
        *[f"YEARLY_FACTORS={r(f + '.tif')}" for f in ("NPP", "NDVI", "AP", "MAT", "AI")],
        f"TEMPERATURE={r('MAT.tif')}",
        f"PRECIPITATION={r('AP.tif')}",
        f"ARIDITY={r('AI.tif')}",
        f"LANDUSE_START={r('landuse_2001.tif')}",
        f"LANDUSE_END={r('landuse_2024.tif')}",
        "N_POINTS=560",
        "SEED=42",
        "MAX_CORRELATION=0.9",
        *[f"{k}={v}" for k, v in DEMO_FIELDS.items()],
    ]


# The field names of the demo survey and tree tables (core/demo): the model's defaults. The dialog fills in
# defaults; qgis_process passes only what it is given, so a run from the command line names them.
DEMO_FIELDS = {
    "PLOT_ID_FIELD": "plot_id",
    "ECOSYSTEM_FIELD": "ecosystem",
    "TREE_PLOT_ID_FIELD": "plot_id",
    "TREE_GROUP_FIELD": "species_group",
    "TREE_DBH_FIELD": "dbh_cm",
    "TREE_HEIGHT_FIELD": "height_m",
    **{
        f"{p.upper()}_{k}_FIELD": f"{p}_{v}"
        for p in ("shrub", "herb", "litter")
        for k, v in (("FRESH", "fw_g"), ("RATIO", "dfr"))
    },
    **{
        f"{k}_{i}_FIELD": f"{v}{i}{u}"
        for i in (1, 2, 3)
        for k, v, u in (
            ("SOC", "soc", "_g_kg"),
            ("BD", "bd", "_g_cm3"),
            ("DEPTH", "depth", "_cm"),
            ("GRAVEL", "gravel", ""),
        )
    },
}


def run_model(region, study, model="carbonsink:wholestudy"):
    """Run the model (its id or a .model3 path) with every output in ``study``; (files, completed run)."""
    files = {name: output_path(study, name, kind) for name, kind in model_outputs()}
    done = qgis_process("run", model, "--", *model_inputs(region), *[f"{k}={v}" for k, v in files.items()])
    return files, done


def main():
    out = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "demo_output"))
    region, study = os.path.join(out, "region"), os.path.join(out, "study")
    os.makedirs(study, exist_ok=True)
    t0 = time.perf_counter()
    print("== Create demo region (synthetic; see region/README.md)")
    create_region(region)
    print("== Whole study model (carbonsink:wholestudy), headless through qgis_process")
    t1 = time.perf_counter()
    files, done = run_model(region, study)
    with open(os.path.join(out, "study_log.txt"), "w", encoding="utf-8") as f:
        f.write(done.stdout + done.stderr)
    if done.returncode != 0:
        print(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit("the whole-study model failed; the log is in " + os.path.join(out, "study_log.txt"))
    model_seconds = time.perf_counter() - t1
    print("\nTime of each step (wall clock, from the model's log):")
    steps = re.findall(r"([^\n.\d][^\n]*?): finished in ([\d.]+) s", done.stdout)
    for name, seconds in sorted(steps, key=lambda s: -float(s[1])):
        print(f"  {float(seconds):7.1f} s  {name.strip()}")
    print(f"  {model_seconds:7.1f} s  whole model (with QGIS start-up)")
    print("\nHeadline figures (synthetic demo region) beside the paper's (Ningxia, 2001–2024):")
    rows = headline(files)
    width = max([28] + [len(v) + 1 for v in rows.values()])
    print(f"  {'':40} {'demo region':{width}} paper")
    for key, value in rows.items():
        print(f"  {key:40} {value:{width}} {PAPER.get(key, '')}")
    if any("(CI " in v for v in rows.values()):
        print(
            "  (CI: the 90 % confidence interval of the trend over the model's trees, carbonstorage's default.)"
        )
    print(
        "  (Shares are of the area each class raster classifies; the study report states each denominator and "
        "the pixels not computed.)"
    )
    print(f"\nOutputs: {study}\nRegion:  {region}\nLog:     {os.path.join(out, 'study_log.txt')}")
    if "report:Study report" in files:
        print(f"Report:  {files['report:Study report']}")
    print(f"Model file (to predict again): {files['forest:Carbon density model file']}")
    print(f"Total {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()

"""A small SYNTHETIC study region for trying the whole workflow: rasters, plots and a tree table.

Nothing here is measured. A seeded generator builds, on a 250 m grid in WGS 84 / UTM 48N (the zone of
Ningxia), a region whose moisture falls from south to north as in the study area:

- a DEM (high, moist mountains in the south, a river valley, a dry plain in the north);
- yearly (2001–2024) precipitation, temperature, NDVI, NPP and aridity-index stacks with a regional
  warming and wetting trend, shared year-to-year anomalies and pixel noise;
- land use in 2001 and 2024 (CNLUCC first-level codes: 1 cropland, 2 forest, 3 grassland, 4 water,
  5 built-up, 6 unused land) with plausible conversions (cropland to forest and grassland under
  "Grain for Green", unused land to grassland, cropland to built-up near the town);
- climate-zone and ecosystem-type strata;
- a "true" carbon density that depends on NPP, NDVI, DEM and land use, and about 60 survey plots whose
  field records (trees, shrub/herb/litter fresh weights with dry/fresh ratios, three soil layers) add up,
  through the plugin's own plot-carbon arithmetic, to that density in the survey year plus noise.

The generator is pure numpy (:func:`make_region`) plus a writer (:func:`write_region`) that lays the
files out as a survey team would hand them over.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field

import numpy as np

from ..common import files

YEARS = tuple(range(2001, 2025))
SURVEY_YEAR = 2024
PIXEL = 250.0
ORIGIN = (520000.0, 4230000.0)  # upper-left corner, UTM 48N
EPSG = 32648
LANDUSE_NAMES = {1: "cropland", 2: "forest", 3: "grassland", 4: "water", 5: "built-up", 6: "unused land"}
CLIMATE_NAMES = {1: "semi-humid", 2: "semi-arid", 3: "arid"}
ECOSYSTEM_NAMES = {1: "cropland", 2: "forest", 3: "shrubland", 4: "grassland", 5: "wetland"}
# Dry/fresh ratios and quadrat sizes as in METHOD.md step 1 and core.carbon.plot_carbon's defaults.
TREE_PLOT_M2 = 2500.0
SHRUB_QUADRAT_M2 = 25.0
HERB_QUADRAT_M2 = 1.0
ROOT_SHOOT = {"forest": 0.23, "shrubland": 0.73, "grassland": 6.0, "cropland": 0.22}
CARBON_FRACTION = 0.47


@dataclass
class Region:
    """The arrays of a demo region (rows × cols grids; stacks are years × rows × cols)."""

    years: np.ndarray
    dem: np.ndarray
    precipitation: np.ndarray
    temperature: np.ndarray
    ndvi: np.ndarray
    npp: np.ndarray
    aridity: np.ndarray
    landuse_start: np.ndarray
    landuse_end: np.ndarray
    climate_zone: np.ndarray
    ecosystem: np.ndarray
    carbon_density: np.ndarray  # the "true" density behind the plots (not an input of the workflow)
    plots: list = field(default_factory=list)
    trees: list = field(default_factory=list)


def _smooth(rng, shape, scale, n=16):
    rows, cols = shape
    y, x = np.mgrid[0:rows, 0:cols]
    out = np.zeros(shape)
    for _ in range(n):
        cy, cx = rng.uniform(0, rows), rng.uniform(0, cols)
        out += rng.normal() * np.exp(-((y - cy) ** 2 + (x - cx) ** 2) / (2 * (scale * max(shape)) ** 2))
    return (out - out.mean()) / (out.std() or 1.0)  # unit standard deviation


def make_region(rows=200, cols=240, years=YEARS, seed=2024, n_plots=60) -> Region:
    """Build the synthetic region (see the module docstring). Same seed, same region.

    The steps draw from one generator in a fixed order (terrain, climate, land use, vegetation, plots):
    change the order and the region changes.
    """
    rng = np.random.default_rng(seed)
    years = np.asarray(years)
    t = (years - years[0]).astype(float)
    y, x = np.mgrid[0:rows, 0:cols]
    moisture, river, dem = _terrain(rng, y, x)
    p_anom, precipitation, temperature, aridity = _climate(rng, t, moisture, dem)
    lu0, lu1, climate_zone, ecosystem = _land_use(rng, y, x, moisture, river, dem)
    ndvi, npp, density = _vegetation(rng, t, moisture, dem, lu0, lu1, p_anom)
    region = Region(
        years, dem, precipitation, temperature, ndvi, npp, aridity, lu0, lu1, climate_zone, ecosystem, density
    )
    _make_plots(region, rng, n_plots)
    return region


def _terrain(rng, y, x):
    """Moisture (a north–south gradient), the river and the elevation."""
    rows, cols = y.shape
    north = 1.0 - y / (rows - 1)  # 0 in the south, 1 in the north
    moisture = np.clip(1.0 - north + 0.12 * _smooth(rng, (rows, cols), 0.15), 0.0, 1.0)
    river = np.abs(x - (0.45 * cols + 0.12 * cols * np.sin(y / rows * 5.0))) < 2.0
    # Mountains follow their own ridges, so elevation is related to, not a copy of, the moisture gradient.
    dem = 1150.0 + 900.0 * (1.0 - north) ** 2 + 250.0 * _smooth(rng, (rows, cols), 0.12, 30)
    dem = np.clip(np.where(river, dem - 60.0, dem), 1000.0, None)

    return moisture, river, dem


def _climate(rng, t, moisture, dem):
    """Precipitation, temperature (mean, trend, yearly anomalies, noise) and the aridity index P/PET."""
    n, (rows, cols) = t.size, dem.shape
    # A regional warming and wetting trend, shared yearly anomalies, pixel noise.
    p_anom = rng.normal(0.0, 45.0, n)
    t_anom = rng.normal(0.0, 0.35, n)
    precipitation = (
        180.0
        + 430.0 * moisture[None]
        + 2.2 * t[:, None, None]
        + p_anom[:, None, None]
        + rng.normal(0.0, 12.0, (n, rows, cols))
    )
    temperature = (
        9.8
        - 0.0050 * (dem[None] - 1150.0)
        + 0.9 * _smooth(rng, (rows, cols), 0.2)[None]  # slope aspect, cold-air pools
        + 0.045 * t[:, None, None]
        + t_anom[:, None, None]
        + rng.normal(0.0, 0.15, (n, rows, cols))
    )
    pet = 600.0 + 35.0 * temperature  # a crude Thornthwaite-like scale, mm/a
    aridity = precipitation / pet

    return p_anom, precipitation, temperature, aridity


def _land_use(rng, y, x, moisture, river, dem):
    """Land use in 2001 and 2024, climate zones and ecosystem types."""
    rows, cols = y.shape
    # Land use in 2001 from moisture, elevation and the river; conversions to 2024.
    lu0 = np.full((rows, cols), 3, dtype=np.uint8)  # grassland
    lu0[(moisture > 0.7) & (dem > 1650)] = 2  # forest on moist mountains
    crop = (np.abs(x - (0.45 * cols + 0.12 * cols * np.sin(y / rows * 5.0))) < 18) & (dem < 2000)
    lu0[crop | ((moisture > 0.35) & (dem < 1800) & (_smooth(rng, (rows, cols), 0.05, 40) > -0.1))] = 1
    lu0[(moisture < 0.18) & (_smooth(rng, (rows, cols), 0.1, 20) > -0.2)] = 6  # unused land (desert)
    town = ((y - 0.62 * rows) ** 2 + (x - 0.47 * cols) ** 2) < (0.05 * rows) ** 2
    lu0[town] = 5
    lu0[river] = 4
    lu1 = lu0.copy()
    u = rng.random((rows, cols))
    grain_for_green = (lu0 == 1) & (dem > 1500)
    lu1[grain_for_green & (u < 0.22)] = 3
    lu1[grain_for_green & (u >= 0.22) & (u < 0.32) & (moisture > 0.6)] = 2
    lu1[(lu0 == 3) & (moisture > 0.7) & (u < 0.06)] = 2
    lu1[(lu0 == 6) & (u < 0.12)] = 3
    lu1[((y - 0.62 * rows) ** 2 + (x - 0.47 * cols) ** 2 < (0.08 * rows) ** 2) & (lu0 == 1)] = 5

    climate_zone = np.where(moisture > 0.66, 1, np.where(moisture > 0.33, 2, 3)).astype(np.uint8)
    shrubs = (lu0 == 3) & (moisture > 0.45) & (_smooth(rng, (rows, cols), 0.06, 30) > 0.2)
    ecosystem = np.select(
        [lu0 == 1, lu0 == 2, shrubs, (lu0 == 3) | (lu0 == 6), lu0 == 4], [1, 2, 3, 4, 5], 0
    ).astype(np.uint8)

    return lu0, lu1, climate_zone, ecosystem


def _vegetation(rng, t, moisture, dem, lu0, lu1, p_anom):
    """NDVI, NPP and carbon density per year; nodata on water and built-up land."""
    n, (rows, cols) = t.size, dem.shape
    # Vegetation responds to moisture, land use, the climate trend and the wet/dry years.
    lu_t = np.where(t[:, None, None] < (t[-1] / 2), lu0[None], lu1[None])  # conversions mid-period
    veg = {1: 0.55, 2: 0.85, 3: 0.5, 4: 0.1, 5: 0.15, 6: 0.12}
    vigor = np.vectorize(veg.get)(lu_t).astype(float)
    wet = (p_anom / 45.0)[:, None, None]
    # Soil and species differences make greenness and productivity differ where moisture is alike.
    greenness = _smooth(rng, (rows, cols), 0.07, 60)
    productivity = _smooth(rng, (rows, cols), 0.07, 60)
    ndvi = np.clip(
        0.05
        + 0.55 * moisture[None] * vigor
        + 0.05 * greenness[None]
        + 0.0035 * t[:, None, None]
        + 0.02 * wet
        + rng.normal(0.0, 0.015, (n, rows, cols)),
        0.02,
        0.92,
    )
    npp = np.clip(
        40.0
        + 520.0 * moisture[None] * vigor
        + 45.0 * productivity[None]
        + 4.5 * t[:, None, None]
        + 18.0 * wet
        + rng.normal(0.0, 12.0, (n, rows, cols)),
        5.0,
        None,
    )
    density = 18.0 + 0.11 * npp + 55.0 * ndvi + 0.012 * (dem[None] - 1150.0) + 22.0 * (lu_t == 2)
    water = (lu_t == 4) | (lu_t == 5)
    for arr in (ndvi, npp, density):
        arr[water] = np.nan

    return ndvi, npp, density


def _make_plots(region: Region, rng, n_plots):
    """Survey plots in the survey year whose field records add up to the true density (plus noise)."""
    rows, cols = region.dem.shape
    year_index = int(np.flatnonzero(region.years == SURVEY_YEAR)[0]) if SURVEY_YEAR in region.years else -1
    target = region.carbon_density[year_index]
    eco_of_lu = {1: "cropland", 2: "forest", 3: "grassland", 6: "grassland"}
    quotas = {"forest": 0.25, "shrubland": 0.15, "grassland": 0.35, "cropland": 0.25}
    candidates = {}
    eco_now = region.landuse_end
    for name in quotas:
        if name == "shrubland":
            mask = (region.ecosystem == 3) & (eco_now == 3)
        else:
            mask = np.isin(eco_now, [k for k, v in eco_of_lu.items() if v == name]) & (region.ecosystem != 3)
        candidates[name] = np.flatnonzero(mask.ravel() & np.isfinite(target.ravel()))
    plot_id = 0
    for name, share in quotas.items():
        pool = candidates[name]
        if pool.size == 0:
            continue
        k = min(pool.size, int(round(n_plots * share)))
        for cell in rng.choice(pool, size=k, replace=False):
            r, c = divmod(int(cell), cols)
            plot_id += 1
            region.plots.append(_plot_record(rng, f"NX{plot_id:03d}", name, r, c, target[r, c], region))
    # Trees of the forest plots (their ids are referenced by the tree table).
    return region


def _plot_record(rng, pid, ecosystem, r, c, true_density, region):
    x = ORIGIN[0] + (c + rng.uniform(0.2, 0.8)) * PIXEL
    y = ORIGIN[1] - (r + rng.uniform(0.2, 0.8)) * PIXEL
    total = true_density * rng.normal(1.0, 0.06)
    rec = {
        "plot_id": pid,
        "ecosystem": ecosystem,
        "survey_year": SURVEY_YEAR,
        "x": x,
        "y": y,
        "climate_zone": CLIMATE_NAMES[int(region.climate_zone[r, c])],
    }
    above_c = 0.0
    if ecosystem == "forest":
        # Trees on the 50 m × 50 m plot: DBH such that above-ground carbon is ~25 % of the total.
        n_trees = int(rng.integers(25, 60))
        group = str(rng.choice(["Pinus tabuliformis", "Larix", "Populus", "Betula", "Quercus"]))
        dbh = rng.lognormal(np.log(14.0), 0.35, n_trees)
        height = 1.3 + 0.9 * dbh**0.8
        for d, h in zip(dbh, height):
            region.trees.append(
                {
                    "plot_id": pid,
                    "species_group": group,
                    "dbh_cm": round(float(d), 1),
                    "height_m": round(float(h), 1),
                }
            )
        from ..carbon.plot_carbon import DEFAULT_ALLOMETRY_PATH, load_allometry, tree_biomass

        allometry = load_allometry(DEFAULT_ALLOMETRY_PATH)
        biomass_kg = tree_biomass(np.round(dbh, 1), np.round(height, 1), [group] * n_trees, allometry)
        above_c = float(np.sum(biomass_kg)) / 1000.0 / (TREE_PLOT_M2 / 10_000.0) * CARBON_FRACTION
    # Understorey and litter (fresh weights in g per quadrat, dry/fresh ratios).
    shrub_g = float(rng.uniform(300, 2500)) if ecosystem in ("shrubland", "forest") else 0.0
    herb_g = float(rng.uniform(80, 450)) if ecosystem != "forest" else float(rng.uniform(20, 120))
    litter_g = float(rng.uniform(50, 400))
    rec.update(
        shrub_fw_g=round(shrub_g, 1),
        shrub_dfr=0.55,
        herb_fw_g=round(herb_g, 1),
        herb_dfr=0.35,
        litter_fw_g=round(litter_g, 1),
        litter_dfr=0.8,
    )
    g_per_m2_to_t_hm2 = 0.01
    shrub_c = shrub_g * 0.55 / SHRUB_QUADRAT_M2 * g_per_m2_to_t_hm2 * CARBON_FRACTION
    herb_c = herb_g * 0.35 / HERB_QUADRAT_M2 * g_per_m2_to_t_hm2 * CARBON_FRACTION
    litter_c = litter_g * 0.8 / HERB_QUADRAT_M2 * g_per_m2_to_t_hm2 * CARBON_FRACTION
    above_c += shrub_c + herb_c
    below_c = above_c * ROOT_SHOOT[ecosystem]
    soil_c = max(total - above_c - below_c - litter_c, 5.0)
    # Three soil layers 0-10, 10-20, 20-30 cm sharing the soil carbon 45/32/23 %.
    for i, share in enumerate((0.45, 0.32, 0.23), start=1):
        bd = float(np.clip(rng.normal(1.32, 0.08), 1.0, 1.6))
        gravel = float(np.clip(rng.normal(0.04, 0.03), 0.0, 0.2))
        soc = soil_c * share * 10.0 / (bd * 10.0 * (1.0 - gravel))
        rec.update(
            {
                f"soc{i}_g_kg": round(soc, 2),
                f"bd{i}_g_cm3": round(bd, 3),
                f"depth{i}_cm": 10.0,
                f"gravel{i}": round(gravel, 3),
            }
        )
    return rec


def write_region(folder, rows=200, cols=240, seed=2024, n_plots=60) -> dict:
    """Write the demo region into ``folder`` and return the paths by role."""
    from osgeo import gdal

    region = make_region(rows, cols, seed=seed, n_plots=n_plots)
    os.makedirs(folder, exist_ok=True)
    years = region.years

    def write(name, data, gdal_type=gdal.GDT_Float32, nodata=-9999.0, descriptions=None, categories=None):
        return _write_raster(os.path.join(folder, name), data, gdal_type, nodata, descriptions, categories)

    def classes(name, data, names):
        return write(name, data, gdal.GDT_Byte, 0, categories=names)

    paths = {
        # Named as the factors of the model (file name = layer name = factor name).
        "dem": write("DEM.tif", region.dem),
        "precipitation": write("AP.tif", region.precipitation, descriptions=years),
        "temperature": write("MAT.tif", region.temperature, descriptions=years),
        "ndvi": write("NDVI.tif", region.ndvi, descriptions=years),
        "npp": write("NPP.tif", region.npp, descriptions=years),
        "aridity": write("AI.tif", region.aridity, descriptions=years),
        "landuse_start": classes(f"landuse_{years[0]}.tif", region.landuse_start, LANDUSE_NAMES),
        "landuse_end": classes(f"landuse_{years[-1]}.tif", region.landuse_end, LANDUSE_NAMES),
        "climate_zone": classes("climate_zone.tif", region.climate_zone, CLIMATE_NAMES),
        "ecosystem": classes("ecosystem_type.tif", region.ecosystem, ECOSYSTEM_NAMES),
    }
    # Survey-year factor rasters, named as the factors of the model.
    i = int(np.flatnonzero(years == SURVEY_YEAR)[0])
    for name, stack in (
        ("NPP", region.npp),
        ("NDVI", region.ndvi),
        ("AP", region.precipitation),
        ("MAT", region.temperature),
        ("AI", region.aridity),
    ):
        paths[f"factor_{name}"] = write(f"{name}_{SURVEY_YEAR}.tif", stack[i], descriptions=[SURVEY_YEAR])
    paths["plots"] = _write_plots(os.path.join(folder, "plots.gpkg"), region.plots)
    paths["trees"] = os.path.join(folder, "trees.csv")
    with files.replacing(paths["trees"]) as tmp, open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["plot_id", "species_group", "dbh_cm", "height_m"])
        writer.writeheader()
        writer.writerows(region.trees)
    readme = _README.format(
        rows=rows,
        cols=cols,
        seed=seed,
        n_plots=len(region.plots),
        n_trees=len(region.trees),
        y0=years[0],
        y1=years[-1],
        survey=SURVEY_YEAR,
    )
    files.write_text(os.path.join(folder, "README.md"), readme)
    return paths


def _srs():
    from osgeo import osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    return srs


def _write_raster(path, data, gdal_type, nodata, descriptions=None, categories=None):
    """A tiled, compressed GeoTIFF on the demo grid; non-finite values become ``nodata``."""
    from osgeo import gdal

    data = np.asarray(data)
    data = data[None] if data.ndim == 2 else data
    ds = gdal.GetDriverByName("GTiff").Create(
        path, data.shape[2], data.shape[1], data.shape[0], gdal_type, ["TILED=YES", "COMPRESS=DEFLATE"]
    )
    ds.SetGeoTransform((ORIGIN[0], PIXEL, 0.0, ORIGIN[1], 0.0, -PIXEL))
    ds.SetProjection(_srs().ExportToWkt())
    for i in range(data.shape[0]):
        band = ds.GetRasterBand(i + 1)
        band.SetNoDataValue(nodata)
        if descriptions is not None:
            band.SetDescription(str(descriptions[i]))
        values = data[i].astype(float)
        band.WriteArray(np.where(np.isfinite(values), values, nodata))
        if categories:
            band.SetCategoryNames([categories.get(k, "") for k in range(max(categories) + 1)])
    ds = None
    return path


def _write_plots(path, plots):
    """The survey plots as a GeoPackage point layer 'plots' (fields from the plot records)."""
    from osgeo import ogr

    if os.path.exists(path):
        os.remove(path)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    layer = ds.CreateLayer("plots", _srs(), ogr.wkbPoint)
    keys = [k for k in plots[0] if k not in ("x", "y")]
    for k in keys:
        value = plots[0][k]
        kind = (
            ogr.OFTString
            if isinstance(value, str)
            else (ogr.OFTInteger if isinstance(value, int) else ogr.OFTReal)
        )
        layer.CreateField(ogr.FieldDefn(k, kind))
    for rec in plots:
        f = ogr.Feature(layer.GetLayerDefn())
        for k in keys:
            f.SetField(k, rec[k])
        f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({rec['x']} {rec['y']})"))
        layer.CreateFeature(f)
    ds = None
    return path


_README = """# Demo region (SYNTHETIC)

Everything in this folder was made by `core/demo/demo_region.py` of Carbon Sink Diagnostics with seed {seed}.
None of it is measured: it is a {rows} x {cols} pixel region on a 250 m grid (WGS 84 / UTM 48N) built so
that the whole workflow can be tried in a minute. Moisture falls from south to north as in Ningxia.

- `DEM.tif` (m); yearly stacks {y0}-{y1}, one band per year with the year as band description, named as
  the model's factors: `AP.tif` (annual precipitation, mm), `MAT.tif` (mean annual temperature, deg C),
  `NDVI.tif`, `NPP.tif` (g C/m2/a), `AI.tif` (aridity index P/PET); the same factors in the survey year
  as single-band rasters for training the model: `NPP_{survey}.tif`, `NDVI_{survey}.tif`,
  `AP_{survey}.tif`, `MAT_{survey}.tif`, `AI_{survey}.tif`.
- `landuse_{y0}.tif`, `landuse_{y1}.tif`: 1 cropland, 2 forest, 3 grassland, 4 water, 5 built-up,
  6 unused land; `climate_zone.tif` (1 semi-humid, 2 semi-arid, 3 arid); `ecosystem_type.tif`
  (1 cropland, 2 forest, 3 shrubland, 4 grassland, 5 wetland).
- `plots.gpkg`: {n_plots} survey plots ({survey}) with shrub/herb/litter fresh weights (g per quadrat:
  shrub 5 m x 5 m, herb and litter 1 m x 1 m) and dry/fresh ratios, and three soil layers (SOC g/kg, bulk
  density g/cm3, thickness cm, gravel fraction). `trees.csv`: {n_trees} trees of the forest plots
  (50 m x 50 m) with species group, DBH (cm) and height (m).

The plot records were made so that the plugin's plot-carbon arithmetic gives a "true" carbon density
(a function of NPP, NDVI, DEM and land use, with 6 % noise) at each plot.
"""

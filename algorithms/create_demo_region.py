"""Create the synthetic demo region, so the whole workflow can be tried in a minute."""

from qgis.core import (
    QgsProcessingOutputRasterLayer,
    QgsProcessingOutputVectorLayer,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
)

from ..core.demo import demo_region
from .support import vocabulary
from .support.base import CarbonSinkAlgorithm
from .support.vocabulary import with_help

# Output name -> the vocabulary term that names the same concept, or the label of a demo-only output.
RASTERS = {
    "dem": "DEM (m)",
    "precipitation": "PRECIPITATION",
    "temperature": "TEMPERATURE",
    "ndvi": "NDVI stack (one band per year)",
    "npp": "NPP stack (g C/m²/a, one band per year)",
    "aridity": "ARIDITY",
    "landuse_start": "LANDUSE_START",
    "landuse_end": "LANDUSE_END",
    "climate_zone": "CLIMATE_ZONE",
    "ecosystem": "ECOSYSTEM",
    **{f"factor_{f}": f"{f} in the survey year" for f in ("NPP", "NDVI", "AP", "MAT", "AI")},
}


class CreateDemoRegion(CarbonSinkAlgorithm):
    OUTPUT_FOLDER = "OUTPUT_FOLDER"
    ROWS = "ROWS"
    COLS = "COLS"
    N_PLOTS = "N_PLOTS"
    SEED = "SEED"

    NAME = "createdemoregion"
    DISPLAY_NAME = "Create demo region"
    GROUP_ID = "demo"
    TAGS = "demo,example,sample data,synthetic,tutorial"
    HELP = """
Writes a small synthetic study region into a folder, so the whole workflow (and the "Whole study" model)
can be tried in a minute. Nothing in it is measured.

What it holds

On a 250 m grid in WGS 84 / UTM 48N (default 200 rows × 240 columns), with moisture falling from south to
north as in the study area:

- a DEM (high, moist mountains in the south, a river valley, a dry plain in the north);
- yearly (2001–2024) precipitation (AP), temperature (MAT), NDVI, NPP and aridity index (AI) stacks with a
regional warming and wetting trend, shared year-to-year anomalies and pixel noise, and each of them in the
survey year 2024 as a single raster (NPP_2024.tif …);
- land use in 2001 and 2024 (CNLUCC first-level codes: 1 cropland, 2 forest, 3 grassland, 4 water, 5
built-up, 6 unused land) with plausible conversions (cropland to forest and grassland under "Grain for
Green", unused land to grassland, cropland to built-up near the town);
- climate zone and ecosystem type rasters (the strata of the sample augmentation);
- survey plots (default 60) whose field records (trees in a tree table, shrub, herb and litter fresh
weights with dry/fresh ratios, three soil layers) add up, through the plugin's own plot carbon arithmetic,
to a "true" carbon density that depends on NPP, NDVI, DEM and land use, plus noise.

The folder's README.md lists every file with its units. The same seed gives the same region.

References

Bao, Y. et al. (2026) Arid Land Geography 49(4):740–755, for the design of the study it imitates.
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        for name, label, default, lo, hi, help_text in (
            (self.ROWS, "Rows", 200, 20, 5000, "Rows of the 250 m grid."),
            (self.COLS, "Columns", 240, 20, 5000, "Columns of the 250 m grid."),
            (self.N_PLOTS, "Number of survey plots", 60, 10, 1000, "Survey plots with field records."),
            (self.SEED, "Random seed", 2024, 0, 2**31 - 1, "The same seed gives the same region."),
        ):
            param = QgsProcessingParameterNumber(
                name,
                self.tr(label),
                QgsProcessingParameterNumber.Integer,
                default,
                minValue=lo,
                maxValue=hi,
            )
            self.addParameter(with_help(param, self.tr(help_text)))
        folder = QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, self.tr("Demo region folder"))
        self.addParameter(with_help(folder, self.tr("The folder the region is written into.")))
        for key, label in RASTERS.items():
            name = key.upper()
            text = vocabulary.label(name) if label == name else self.tr(label)
            self.addOutput(QgsProcessingOutputRasterLayer(name, text))
        self.addOutput(QgsProcessingOutputVectorLayer("PLOTS", vocabulary.label("PLOTS")))
        self.addOutput(QgsProcessingOutputVectorLayer("TREES", vocabulary.label("TREES")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        paths = demo_region.write_region(
            folder,
            rows=self.parameterAsInt(parameters, self.ROWS, context),
            cols=self.parameterAsInt(parameters, self.COLS, context),
            seed=self.parameterAsInt(parameters, self.SEED, context),
            n_plots=self.parameterAsInt(parameters, self.N_PLOTS, context),
        )
        feedback.pushInfo(self.tr("Synthetic demo region written to {} (see its README.md)").format(folder))
        return {self.OUTPUT_FOLDER: folder, **{k.upper(): v for k, v in paths.items()}}

"""Create the synthetic demo region, so the whole workflow can be tried in a minute."""

from qgis.core import (
    QgsProcessingOutputFile,
    QgsProcessingOutputRasterLayer,
    QgsProcessingOutputVectorLayer,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
)

from ..core.demo import demo_region
from .support.base import CarbonSinkAlgorithm

RASTERS = {
    "dem": "DEM (m)",
    "precipitation": "Annual precipitation stack AP (mm)",
    "temperature": "Mean annual temperature stack MAT (°C)",
    "ndvi": "NDVI stack",
    "npp": "NPP stack (g C/m²/a)",
    "aridity": "Aridity index stack AI (P/PET)",
    "landuse_start": "Land use at the start",
    "landuse_end": "Land use at the end",
    "climate_zone": "Climate zones",
    "ecosystem": "Ecosystem types",
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
    HELP = f"""
<p>Writes a small <b>synthetic</b> study region into a folder, so the whole workflow (and the
<i>Whole study</i> model) can be tried in a minute. Nothing in it is measured.</p>
<h3>What it holds</h3>
<p>{demo_region.__doc__.strip().split(chr(10) + chr(10), 1)[1].replace(chr(10) + "- ", "<br>• ")}</p>
<p>The folder's README.md lists every file with its units. The same seed gives the same region.</p>
<h3>References</h3>
<p>Bao et al. (2026) Arid Land Geography 49(4):740–755, for the design of the study it imitates.</p>
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        for name, label, default, lo, hi in (
            (self.ROWS, "Rows", 200, 20, 5000),
            (self.COLS, "Columns", 240, 20, 5000),
            (self.N_PLOTS, "Survey plots", 60, 10, 1000),
            (self.SEED, "Random seed", 2024, 0, 2**31 - 1),
        ):
            self.addParameter(
                QgsProcessingParameterNumber(
                    name,
                    self.tr(label),
                    QgsProcessingParameterNumber.Integer,
                    default,
                    minValue=lo,
                    maxValue=hi,
                )
            )
        self.addParameter(
            QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, self.tr("Demo region folder"))
        )
        for key, label in RASTERS.items():
            self.addOutput(QgsProcessingOutputRasterLayer(key.upper(), self.tr(label)))
        self.addOutput(QgsProcessingOutputVectorLayer("PLOTS", self.tr("Survey plots")))
        self.addOutput(QgsProcessingOutputFile("TREES", self.tr("Tree table (CSV)")))

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

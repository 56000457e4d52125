"""The Processing provider: one algorithm per analysis step of the study."""

import os

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from .algorithms.augment_samples import AugmentSamples
from .algorithms.carbon_storage import CarbonStorage
from .algorithms.climate_partial_correlation import ClimatePartialCorrelation
from .algorithms.coefficient_of_variation import CoefficientOfVariation
from .algorithms.factor_screening import FactorScreening
from .algorithms.future_trend import FutureTrend
from .algorithms.hurst_exponent import HurstExponent
from .algorithms.landuse_contribution import LandUseContribution
from .algorithms.plot_carbon_density import PlotCarbonDensity
from .algorithms.predict_carbon_density import PredictCarbonDensity
from .algorithms.regional_climate_trend import RegionalClimateTrend
from .algorithms.sen_mann_kendall import SenMannKendall
from .algorithms.train_random_forest import TrainRandomForest

ICON = os.path.join(os.path.dirname(__file__), "icons", "icon.svg")


def plugin_version():
    """The version in metadata.txt, the one place it is written."""
    with open(os.path.join(os.path.dirname(__file__), "metadata.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("version="):
                return line.split("=", 1)[1].strip()
    return ""


class CarbonSinkProvider(QgsProcessingProvider):
    def loadAlgorithms(self):  # noqa: N802 - QGIS API
        # Carbon density model (METHOD.md steps 1-5)
        self.addAlgorithm(PlotCarbonDensity())
        self.addAlgorithm(AugmentSamples())
        self.addAlgorithm(FactorScreening())
        self.addAlgorithm(TrainRandomForest())
        self.addAlgorithm(PredictCarbonDensity())
        self.addAlgorithm(CarbonStorage())
        # Trends and persistence (METHOD.md steps 6-9)
        self.addAlgorithm(SenMannKendall())
        self.addAlgorithm(CoefficientOfVariation())
        self.addAlgorithm(HurstExponent())
        self.addAlgorithm(FutureTrend())
        # Climate and land-use drivers (METHOD.md steps 10-11)
        self.addAlgorithm(RegionalClimateTrend())
        self.addAlgorithm(ClimatePartialCorrelation())
        self.addAlgorithm(LandUseContribution())

    def id(self):
        return "carbonsink"

    def name(self):
        return QCoreApplication.translate("CarbonSinkProvider", "Carbon Sink Diagnostics")

    def longName(self):  # noqa: N802
        return self.name() + " " + self.versionInfo()

    def icon(self):
        return QIcon(ICON)

    def svgIconPath(self):  # noqa: N802
        return ICON

    def versionInfo(self):  # noqa: N802
        return plugin_version()

    def supportedOutputRasterLayerExtensions(self):  # noqa: N802
        # The engine writes tiled, compressed GeoTIFF only.
        return ["tif"]

"""The Processing provider: one algorithm per analysis step of the study."""

import os

from qgis.core import QgsApplication, QgsMessageLog, QgsProcessingModelAlgorithm, QgsProcessingProvider
from qgis.PyQt.QtCore import QCoreApplication, QUrl
from qgis.PyQt.QtGui import QIcon

from .algorithms.augment_samples import AugmentSamples
from .algorithms.carbon_storage import CarbonStorage
from .algorithms.climate_partial_correlation import ClimatePartialCorrelation
from .algorithms.coefficient_of_variation import CoefficientOfVariation
from .algorithms.create_demo_region import CreateDemoRegion
from .algorithms.diagnostic_zoning import DiagnosticZoning
from .algorithms.factor_screening import FactorScreening
from .algorithms.future_trend import FutureTrend
from .algorithms.global_moran import GlobalMoran
from .algorithms.hurst_exponent import HurstExponent
from .algorithms.landuse_contribution import LandUseContribution
from .algorithms.local_moran import LocalMoran
from .algorithms.plot_carbon_density import PlotCarbonDensity
from .algorithms.predict_carbon_density import PredictCarbonDensity
from .algorithms.prepare_stack import PrepareStack
from .algorithms.prepare_stacks import PrepareStacks
from .algorithms.regional_climate_trend import RegionalClimateTrend
from .algorithms.sen_mann_kendall import SenMannKendall
from .algorithms.study_report import StudyReport
from .algorithms.support import help_text, vocabulary
from .algorithms.support.base import DOCS_PAGE, GROUPS
from .algorithms.train_carbon_model import TrainCarbonModel

ICON = os.path.join(os.path.dirname(__file__), "icons", "icon.svg")


def plugin_version():
    """The version in metadata.txt, the one place it is written."""
    with open(os.path.join(os.path.dirname(__file__), "metadata.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("version="):
                return line.split("=", 1)[1].strip()
    return ""


MODELS = os.path.join(os.path.dirname(__file__), "models")


class StudyModel(QgsProcessingModelAlgorithm):
    """A model shipped with the plugin: read from its .model3, shown under a readable name in the group
    of the study report, with plain-text help and the vocabulary's help on its inputs."""

    def __init__(self, path):
        super().__init__()
        self.path = path
        self.loaded = self.fromFile(path)
        for definition in self.parameterDefinitions():  # QGIS 3.22 does not read a model input's help
            if definition.name() in vocabulary.TERMS and not definition.help():
                definition.setHelp(vocabulary.help_text(definition.name()))

    def displayName(self):  # noqa: N802 - QGIS API
        return self.helpContent().get("DISPLAY_NAME") or super().displayName()

    def group(self):
        return QCoreApplication.translate("CarbonSinkAlgorithm", GROUPS["study"])

    def groupId(self):  # noqa: N802
        return "study"

    def shortHelpString(self):  # noqa: N802
        return help_text.plain(self.helpContent().get("ALG_DESC", ""))

    def helpUrl(self):  # noqa: N802
        return QUrl.fromLocalFile(DOCS_PAGE).toString() + "#" + self.name()

    def createInstance(self):  # noqa: N802
        return StudyModel(self.path)


class CarbonSinkProvider(QgsProcessingProvider):
    def __init__(self, load_models=True):
        super().__init__()
        self.load_models = load_models
        self._registered = False
        # A model resolves its steps (carbonsink:...) in the registry, which holds this provider only
        # once loading is over; so the models are (re)loaded when the provider has been added.
        QgsApplication.processingRegistry().providerAdded.connect(self._provider_added)

    def _provider_added(self, provider_id):
        if provider_id == self.id() and not self._registered:
            self._registered = True
            if self.load_models:
                self.refreshAlgorithms()

    def loadAlgorithms(self):  # noqa: N802 - QGIS API
        # In workflow order, as the toolbox shows the groups (algorithms/support/base.py, GROUPS).
        # 1 Data preparation (docs/method.md, "Data preparation"): downloads to aligned yearly stacks
        self.addAlgorithm(PrepareStack())
        self.addAlgorithm(PrepareStacks())
        # 2 Carbon density model (docs/method.md, steps 1-5)
        self.addAlgorithm(PlotCarbonDensity())
        self.addAlgorithm(AugmentSamples())
        self.addAlgorithm(FactorScreening())
        self.addAlgorithm(TrainCarbonModel())
        self.addAlgorithm(PredictCarbonDensity())
        self.addAlgorithm(CarbonStorage())
        # 3 Trends and persistence (steps 6-9)
        self.addAlgorithm(SenMannKendall())
        self.addAlgorithm(CoefficientOfVariation())
        self.addAlgorithm(HurstExponent())
        self.addAlgorithm(FutureTrend())
        # 4 Climate and land-use drivers (steps 10-11)
        self.addAlgorithm(RegionalClimateTrend())
        self.addAlgorithm(ClimatePartialCorrelation())
        self.addAlgorithm(LandUseContribution())
        # 5 Spatial pattern (step 12)
        self.addAlgorithm(GlobalMoran())
        self.addAlgorithm(LocalMoran())
        # 6 Diagnostic zoning (step 13)
        self.addAlgorithm(DiagnosticZoning())
        # 7 Whole study and report: the study report here, the whole-study model below
        self.addAlgorithm(StudyReport())
        # 8 Demo data
        self.addAlgorithm(CreateDemoRegion())
        # The whole study as a graphical model, listed here and run from the plugin folder (not copied
        # into the user's profile); users copy it to edit it. Its group is "7 · Whole study and report".
        if self.load_models and self._registered and os.path.isdir(MODELS):
            for name in sorted(os.listdir(MODELS)):
                if name.endswith(".model3"):
                    model = StudyModel(os.path.join(MODELS, name))
                    if model.loaded:
                        self.addAlgorithm(model)
                    else:
                        QgsMessageLog.logMessage(
                            f"Could not read the model {name}", "Carbon Sink Diagnostics"
                        )

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

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
from .algorithms.submit_dask_job import SubmitDaskJob
from .algorithms.support import help_text, styling, vocabulary
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
        if self.loaded:
            self._in_workflow_order()

    def _in_workflow_order(self):
        """Inputs in the order of the workflow, outputs step by step, the optional tables not created.

        QGIS 3.22 lists a loaded model's inputs alphabetically ("Land use at the end" before "…start") even
        with an input order saved in the .model3; the dialog takes them in that saved order (else top to
        bottom on the canvas) and the outputs column by column, as the model is laid out. Outputs listed under
        OPTIONAL_OUTPUTS of the model's help are not created (nor loaded) unless the user names them.
        """
        optional = set(filter(None, self.helpContent().get("OPTIONAL_OUTPUTS", "").split("\n")))

        ordered = [p.parameterName() for p in self.orderedParameters()]  # Model ▸ Reorder Model Inputs…

        def place(definition):
            if definition.isDestination():
                child, _, output = definition.name().partition(":")
                outputs = self.childAlgorithm(child).modelOutputs()
                pos = (
                    outputs[output].position() if output in outputs else self.childAlgorithm(child).position()
                )
                return (1, pos.x(), pos.y())
            if definition.name() in ordered:
                return (0, ordered.index(definition.name()), 0)
            component = self.parameterComponent(definition.name())
            return (0, len(ordered) + component.position().y(), component.position().x())

        definitions = sorted((d.clone() for d in self.parameterDefinitions()), key=place)
        for definition in definitions:
            self.removeParameter(definition.name())
        for definition in definitions:
            if definition.isDestination() and definition.name() in optional:
                definition.setCreateByDefault(False)
            self.addParameter(definition)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API
        """Run the model, then give every raster it will load the style beside it (name.qml).

        A step that does not attach its style itself (carbonsink:carbonstorage returns its results
        without it) would otherwise load its 24-band storage raster as an RGB composite."""
        results = super().processAlgorithm(parameters, context, feedback)
        for value in results.values():
            if isinstance(value, str) and value.lower().endswith((".tif", ".tiff")):
                qml = os.path.splitext(value)[0] + ".qml"
                if os.path.isfile(qml) and context.willLoadLayerOnCompletion(value):
                    details = context.layerToLoadOnCompletionDetails(value)
                    if details.postProcessor() is None:
                        styling.style_on_load(context, value, styling.qml_file(qml))
        return results

    def displayName(self):  # noqa: N802 - QGIS API
        name = self.helpContent().get("DISPLAY_NAME")
        return QCoreApplication.translate("StudyModel", name) if name else super().displayName()

    def group(self):
        return QCoreApplication.translate("CarbonSinkAlgorithm", GROUPS["study"])

    def groupId(self):  # noqa: N802
        return "study"

    def shortHelpString(self):  # noqa: N802
        text = self.helpContent().get("ALG_DESC", "")
        return help_text.plain(QCoreApplication.translate("StudyModel", text) if text else "")

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
        # 8 Beyond one machine: the same steps on a Dask cluster (core/distributed)
        self.addAlgorithm(SubmitDaskJob())
        # 9 Demo data
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

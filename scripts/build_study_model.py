"""Build models/whole_study.model3: the whole study as one graphical model (run with QGIS's Python).

The model file is what users open, run and edit in the graphical modeler; this script is how it is
made, so the chain is reviewed as code. Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python
scripts/build_study_model.py`` (writes models/whole_study.model3).
"""

import os
import sys

from qgis.core import (
    QgsApplication,
    QgsProcessing,
    QgsProcessingModelAlgorithm,
    QgsProcessingModelChildAlgorithm,
    QgsProcessingModelChildParameterSource,
    QgsProcessingModelOutput,
    QgsProcessingModelParameter,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
)
from qgis.PyQt.QtCore import QPointF

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "models", "whole_study.model3")
NAME = "wholestudy"

# Field names of the survey table (as in the demo region, core/demo/demo_region.py); edit them in the modeler.
PLOT_FIELDS = {
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


def param(model, definition, x, y, help_text=None):
    """A model input named and labelled as the vocabulary says, with its help."""
    from carbon_sink_diagnostics.algorithms.support import vocabulary

    if definition.name() in vocabulary.TERMS:
        term = vocabulary.TERMS[definition.name()]
        definition.setDescription(term.label)
        definition.setHelp(help_text or term.help)
    elif help_text:
        definition.setHelp(help_text)
    model.addModelParameter(definition, QgsProcessingModelParameter(definition.name()))
    model.parameterComponent(definition.name()).setPosition(QPointF(x, y))


def static(value):
    return [QgsProcessingModelChildParameterSource.fromStaticValue(value)]


def model_input(name):
    return [QgsProcessingModelChildParameterSource.fromModelParameter(name)]


def child_output(child, output):
    return [QgsProcessingModelChildParameterSource.fromChildOutput(child, output)]


def step(model, child_id, alg_id, description, x, y, sources, outputs=(), mandatory=()):
    child = QgsProcessingModelChildAlgorithm(alg_id)
    child.setChildId(child_id)
    child.setDescription(description)
    child.setPosition(QPointF(x, y))
    alg = QgsApplication.processingRegistry().algorithmById(alg_id)
    for definition in alg.parameterDefinitions():  # every other parameter at its default, as the modeler does
        if definition.name() not in sources and not definition.isDestination():
            if definition.defaultValue() is not None:
                sources[definition.name()] = static(definition.defaultValue())
    for name, source in sources.items():  # (setParameterSources with a dict crashes PyQGIS 3.22)
        child.addParameterSources(name, source)
    model_outputs = {}
    for output_name, label in outputs:
        # The model's parameter for this output is named '<child id>:<output name>', e.g. trend:SLOPE.
        out = QgsProcessingModelOutput(output_name, label)
        out.setChildOutputName(output_name)
        out.setChildId(child_id)
        out.setPosition(QPointF(x + 330, y - 60 + 45 * len(model_outputs)))
        # An optional output a later step reads must be named by the user (a model passes nothing
        # for an optional output left out, and the later step would miss its input).
        out.setMandatory(output_name in mandatory)
        model_outputs[output_name] = out
    child.setModelOutputs(model_outputs)
    model.addChildAlgorithm(child)
    return child_id


def build():
    from carbon_sink_diagnostics.algorithms.support.base import GROUPS

    # name = the id after carbonsink:; with the study report in the toolbox group "7 · Whole study and report"
    model = QgsProcessingModelAlgorithm(NAME, GROUPS["study"], "study")
    model.setHelpContent(
        {
            "ALG_DESC": (
                "The whole carbon-sink study of Bao et al. (2026) on one region: plot carbon density, NPP-ratio "
                "augmentation, factor screening, the carbon density model (Random Forest), annual carbon "
                "density and storage, Sen + Mann–Kendall trend, Cv, Hurst, future trend, climate partial "
                "correlation and driver types, regional climate trend, land-use contributions, LISA of the "
                "carbon-sink rate, diagnostic zoning and the study report (docs/method.md, steps 1 to 13). "
                "Plot field names are those of the demo survey table; edit the first step in the modeler for "
                "other tables. Copy the model (Save As) to change it."
            ),
            "ALG_CREATOR": "Carbon Sink Diagnostics",
            "DISPLAY_NAME": "Whole study: plots to diagnostic zones",
        }
    )
    # ---- inputs: every one a vocabulary term, labelled and explained as in the algorithms
    pt = QgsProcessing.TypeVectorPoint
    raster = QgsProcessing.TypeRaster
    param(model, QgsProcessingParameterFeatureSource("PLOTS", "", [pt]), 40, 60)
    param(model, QgsProcessingParameterFeatureSource("TREES", "", [QgsProcessing.TypeVector]), 40, 120)
    param(model, QgsProcessingParameterRasterLayer("CLIMATE_ZONE", ""), 40, 180)
    param(model, QgsProcessingParameterRasterLayer("ECOSYSTEM", ""), 40, 240)
    param(model, QgsProcessingParameterRasterLayer("NPP_SURVEY", ""), 40, 300)
    param(
        model,
        QgsProcessingParameterMultipleLayers("FACTORS", "", raster),
        40,
        360,
        "The candidate factors in the survey year, one single-band raster each, named after the factor "
        "(NPP_2024 is the factor NPP): screened, and the kept ones used to train the model.",
    )
    param(model, QgsProcessingParameterMultipleLayers("STATIC_FACTORS", "", raster, optional=True), 40, 420)
    param(model, QgsProcessingParameterMultipleLayers("YEARLY_FACTORS", "", raster), 40, 480)
    param(model, QgsProcessingParameterMultipleLayers("TEMPERATURE", "", raster), 40, 540)
    param(model, QgsProcessingParameterMultipleLayers("PRECIPITATION", "", raster), 40, 600)
    param(model, QgsProcessingParameterMultipleLayers("ARIDITY", "", raster, optional=True), 40, 660)
    param(model, QgsProcessingParameterRasterLayer("LANDUSE_START", ""), 40, 720)
    param(model, QgsProcessingParameterRasterLayer("LANDUSE_END", ""), 40, 780)
    integer, double = QgsProcessingParameterNumber.Integer, QgsProcessingParameterNumber.Double
    param(model, QgsProcessingParameterNumber("N_POINTS", "", integer, 560, minValue=0), 40, 840)
    param(model, QgsProcessingParameterNumber("SEED", "", integer, 42, minValue=0), 40, 900)
    param(
        model,
        QgsProcessingParameterNumber("MAX_CORRELATION", "", double, 0.9, minValue=0.01, maxValue=1.0),
        40,
        960,
    )

    # ---- carbon density model (docs/method.md, steps 1-5)
    step(
        model,
        "plots",
        "carbonsink:plotcarbondensity",
        "Plot carbon density",
        450,
        80,
        {
            "PLOTS": model_input("PLOTS"),
            "TREES": model_input("TREES"),
            **{k: static(v) for k, v in PLOT_FIELDS.items()},
        },
    )
    step(
        model,
        "augment",
        "carbonsink:augmentsamples",
        "Augment samples by NPP ratio",
        450,
        280,
        {
            "PLOTS": child_output("plots", "PLOT_CARBON"),
            "CARBON_FIELD": static("C_total"),
            "PLOT_ID_FIELD": static("plot_id"),
            "CLIMATE_ZONE": model_input("CLIMATE_ZONE"),
            "ECOSYSTEM": model_input("ECOSYSTEM"),
            "NPP_SURVEY": model_input("NPP_SURVEY"),
            "N_POINTS": model_input("N_POINTS"),
            "SEED": model_input("SEED"),
        },
    )
    step(
        model,
        "screen",
        "carbonsink:factorscreening",
        "Factor correlation screening",
        450,
        480,
        {
            "SAMPLES": child_output("augment", "SAMPLES"),
            "CARBON_FIELD": static("carbon_density"),
            "FACTORS": model_input("FACTORS"),
            "MAX_CORRELATION": model_input("MAX_CORRELATION"),
        },
        [("REPORT", "Screening report"), ("FACTOR_TABLE", "Factor table")],
    )
    step(
        model,
        "forest",
        "carbonsink:traincarbonmodel",
        "Train carbon density model",
        450,
        680,
        {
            "SAMPLES": child_output("augment", "SAMPLES"),
            "CARBON_FIELD": static("carbon_density"),
            "FACTORS": model_input("FACTORS"),
            "SELECT_FACTORS": child_output("screen", "KEPT_FACTORS"),
            "SEED": model_input("SEED"),
        },
        [("METRICS", "Model metrics"), ("REPORT", "Model report")],
    )
    step(
        model,
        "density",
        "carbonsink:predictcarbondensity",
        "Predict annual carbon density",
        450,
        880,
        {
            "MODEL": child_output("forest", "MODEL"),
            "STATIC_FACTORS": model_input("STATIC_FACTORS"),
            "YEARLY_FACTORS": model_input("YEARLY_FACTORS"),
            "IGNORE_EXTRA": static(True),
        },
        [("CARBON_DENSITY", "Carbon density")],
    )
    step(
        model,
        "storage",
        "carbonsink:carbonstorage",
        "Carbon storage accounting",
        450,
        1080,
        {
            "CARBON_DENSITY": child_output("density", "CARBON_DENSITY"),
            "REGIONS_RASTER": model_input("LANDUSE_END"),
        },
        [
            ("STORAGE", "Carbon storage"),
            ("STORAGE_TABLE", "Storage per year"),
            ("STORAGE_TRENDS", "Storage trends"),
            ("REPORT", "Storage report"),
        ],
    )

    # ---- trends and persistence (docs/method.md, steps 6-9)
    step(
        model,
        "trend",
        "carbonsink:senmannkendall",
        "Sen slope and Mann–Kendall",
        1150,
        80,
        {
            "INPUT": child_output("density", "CARBON_DENSITY"),
        },
        [
            ("SLOPE", "Sen slope"),
            ("TREND_CLASS", "Trend class"),
            ("P_VALUE", "Mann–Kendall p-value"),
            ("CLASS_AREAS", "Trend class areas"),
        ],
    )
    step(
        model,
        "cv",
        "carbonsink:coefficientofvariation",
        "Coefficient of variation",
        1150,
        280,
        {
            "INPUT": child_output("density", "CARBON_DENSITY"),
        },
        [("CV", "Cv"), ("CV_CLASS", "Stability class")],
    )
    step(
        model,
        "hurst",
        "carbonsink:hurstexponent",
        "Hurst exponent",
        1150,
        480,
        {
            "INPUT": child_output("density", "CARBON_DENSITY"),
        },
        [("HURST", "Hurst exponent")],
    )
    step(
        model,
        "future",
        "carbonsink:futuretrend",
        "Future trend",
        1150,
        680,
        {
            "SLOPE": child_output("trend", "SLOPE"),
            "HURST": child_output("hurst", "HURST"),
        },
        [("FUTURE_CLASS", "Future trend"), ("CLASS_AREAS", "Future trend areas")],
    )

    # ---- drivers (steps 10-11)
    step(
        model,
        "climate",
        "carbonsink:regionalclimatetrend",
        "Regional climate trend",
        1150,
        880,
        {
            "TEMPERATURE": model_input("TEMPERATURE"),
            "PRECIPITATION": model_input("PRECIPITATION"),
            "ARIDITY": model_input("ARIDITY"),
        },
        [("REPORT", "Climate report"), ("CLIMATE_TRENDS", "Climate trends")],
    )
    step(
        model,
        "drivers",
        "carbonsink:climatepartialcorrelation",
        "Climate partial correlation",
        1150,
        1080,
        {
            "CARBON_DENSITY": child_output("density", "CARBON_DENSITY"),
            "TEMPERATURE": model_input("TEMPERATURE"),
            "PRECIPITATION": model_input("PRECIPITATION"),
        },
        [("DRIVER_CLASS", "Driver type"), ("CLASS_AREAS", "Driver type areas")],
    )
    step(
        model,
        "landuse",
        "carbonsink:landusecontribution",
        "Land-use transition and contribution",
        1150,
        1280,
        {
            "LANDUSE_START": model_input("LANDUSE_START"),
            "LANDUSE_END": model_input("LANDUSE_END"),
            "CARBON_DENSITY": child_output("density", "CARBON_DENSITY"),
        },
        [("TRANSITIONS", "Transitions"), ("CONTRIBUTIONS", "Contributions"), ("REPORT", "Land-use report")],
    )
    extend(model)
    model.updateDestinationParameters()
    return model


def extend(model):
    """Spatial pattern, zoning and report (steps 12-13), when those algorithms are installed."""
    registry = QgsApplication.processingRegistry()
    if registry.algorithmById("carbonsink:localmoran") is not None:
        step(
            model,
            "lisa",
            "carbonsink:localmoran",
            "Local Moran's I of the carbon-sink rate",
            1850,
            80,
            {
                "INPUT_RASTER": child_output("trend", "SLOPE"),
                "SEED": model_input("SEED"),
            },
            [("LISA_CLUSTER", "LISA cluster"), ("CLASS_AREAS", "LISA cluster areas")],
            mandatory=("LISA_CLUSTER",),
        )
    if registry.algorithmById("carbonsink:diagnosticzoning") is not None:
        step(
            model,
            "zoning",
            "carbonsink:diagnosticzoning",
            "Diagnostic zoning",
            1850,
            380,
            {
                "TREND_CLASS": child_output("trend", "TREND_CLASS"),
                "FUTURE_CLASS": child_output("future", "FUTURE_CLASS"),
                "LISA_CLUSTER": child_output("lisa", "LISA_CLUSTER"),
                "DRIVER_CLASS": child_output("drivers", "DRIVER_CLASS"),
            },
            [("ZONES", "Zones"), ("CLASS_AREAS", "Zone areas")],
        )
    if registry.algorithmById("carbonsink:studyreport") is not None:
        step(
            model,
            "report",
            "carbonsink:studyreport",
            "Study report",
            1850,
            680,
            {
                "CARBON_DENSITY": child_output("density", "CARBON_DENSITY"),
                "SLOPE": child_output("trend", "SLOPE"),
                "TREND_CLASS": child_output("trend", "TREND_CLASS"),
                "FUTURE_CLASS": child_output("future", "FUTURE_CLASS"),
                "CV": child_output("cv", "CV"),
                "HURST": child_output("hurst", "HURST"),
                "DRIVER_CLASS": child_output("drivers", "DRIVER_CLASS"),
                "LISA_CLUSTER": child_output("lisa", "LISA_CLUSTER"),
                "ZONES": child_output("zoning", "ZONES"),
                "STORAGE_REPORT": child_output("storage", "REPORT"),
                "CLIMATE_REPORT": child_output("climate", "REPORT"),
                "MODEL_REPORT": child_output("forest", "REPORT"),
                "SCREENING_REPORT": child_output("screen", "REPORT"),
                "LANDUSE_REPORT": child_output("landuse", "REPORT"),
            },
            [("REPORT", "Study report")],
        )


def main():
    sys.path.insert(0, os.path.join(ROOT, "build", "plugins"))
    app = QgsApplication([], False)
    app.initQgis()
    sys.path.insert(0, "/usr/share/qgis/python/plugins")
    from processing.core.Processing import Processing

    Processing.initialize()
    from carbon_sink_diagnostics.provider import CarbonSinkProvider

    provider = CarbonSinkProvider(load_models=False)
    QgsApplication.processingRegistry().addProvider(provider)
    model = build()
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    if not model.toFile(OUT):
        raise SystemExit(f"could not write {OUT}")
    ok, errors = model.validate()
    print(OUT, "valid" if ok else f"INVALID: {errors}")


if __name__ == "__main__":
    main()

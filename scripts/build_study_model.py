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
    "PLOT_ID": "plot_id",
    "ECOSYSTEM": "ecosystem",
    "TREE_PLOT_ID": "plot_id",
    "TREE_GROUP": "species_group",
    "TREE_DBH": "dbh_cm",
    "TREE_HEIGHT": "height_m",
    "SHRUB_FRESH": "shrub_fw_g",
    "SHRUB_RATIO": "shrub_dfr",
    "HERB_FRESH": "herb_fw_g",
    "HERB_RATIO": "herb_dfr",
    "LITTER_FRESH": "litter_fw_g",
    "LITTER_RATIO": "litter_dfr",
    **{
        f"{k}_{i}": f"{v}{i}{u}"
        for i in (1, 2, 3)
        for k, v, u in (
            ("SOC", "soc", "_g_kg"),
            ("BD", "bd", "_g_cm3"),
            ("DEPTH", "depth", "_cm"),
            ("GRAVEL", "gravel", ""),
        )
    },
}


def param(model, definition, x, y):
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
    model = QgsProcessingModelAlgorithm(NAME, "Whole study", "wholestudy")  # name = id after carbonsink:
    model.setHelpContent(
        {
            "ALG_DESC": (
                "The whole carbon-sink study of Bao et al. (2026) on one region: plot carbon density, NPP-ratio "
                "augmentation, factor screening, Random Forest, annual carbon density and storage, Sen + "
                "Mann-Kendall trend, Cv, Hurst, future trend, climate partial correlation and driver types, "
                "regional climate trend, land-use contributions, LISA of the carbon-sink rate, diagnostic "
                "zoning and the study report. Plot field names are those of the demo survey table; edit the "
                "first step in the modeler for other tables. Copy the model (Save As) to change it."
            ),
            "ALG_CREATOR": "Carbon Sink Diagnostics",
            "DISPLAY_NAME": "Whole study: plots to diagnostic zones",
        }
    )
    # ---- inputs
    pt = QgsProcessing.TypeVectorPoint
    param(model, QgsProcessingParameterFeatureSource("PLOTS", "Survey plots", [pt]), 40, 60)
    param(
        model, QgsProcessingParameterFeatureSource("TREES", "Tree table", [QgsProcessing.TypeVector]), 40, 120
    )
    param(model, QgsProcessingParameterRasterLayer("CLIMATE_ZONE", "Climate zones"), 40, 180)
    param(model, QgsProcessingParameterRasterLayer("ECOSYSTEM", "Ecosystem types"), 40, 240)
    param(model, QgsProcessingParameterRasterLayer("NPP_SURVEY", "NPP of the survey year"), 40, 300)
    param(
        model,
        QgsProcessingParameterMultipleLayers(
            "CANDIDATE_FACTORS",
            "Candidate factors in the survey year (named after the factor, e.g. NPP_2024, DEM)",
            QgsProcessing.TypeRaster,
        ),
        40,
        360,
    )
    param(
        model,
        QgsProcessingParameterMultipleLayers(
            "STATIC_FACTORS", "Static factors (e.g. DEM)", QgsProcessing.TypeRaster, optional=True
        ),
        40,
        420,
    )
    param(
        model,
        QgsProcessingParameterMultipleLayers(
            "YEARLY_FACTORS",
            "Yearly factor stacks (named after the factor, a band per year)",
            QgsProcessing.TypeRaster,
        ),
        40,
        480,
    )
    param(
        model,
        QgsProcessingParameterMultipleLayers("TEMPERATURE", "Temperature stack", QgsProcessing.TypeRaster),
        40,
        540,
    )
    param(
        model,
        QgsProcessingParameterMultipleLayers(
            "PRECIPITATION", "Precipitation stack", QgsProcessing.TypeRaster
        ),
        40,
        600,
    )
    param(
        model,
        QgsProcessingParameterMultipleLayers(
            "ARIDITY", "Aridity index stack", QgsProcessing.TypeRaster, optional=True
        ),
        40,
        660,
    )
    param(model, QgsProcessingParameterRasterLayer("LANDUSE_START", "Land use at the start"), 40, 720)
    param(model, QgsProcessingParameterRasterLayer("LANDUSE_END", "Land use at the end"), 40, 780)
    param(
        model,
        QgsProcessingParameterNumber(
            "N_POINTS", "Number of augmented points", QgsProcessingParameterNumber.Integer, 560, minValue=0
        ),
        40,
        840,
    )
    param(
        model,
        QgsProcessingParameterNumber("SEED", "Random seed", QgsProcessingParameterNumber.Integer, 42),
        40,
        900,
    )
    param(
        model,
        QgsProcessingParameterNumber(
            "SCREEN_THRESHOLD",
            "Screening: drop a factor when |r| with a kept factor exceeds",
            QgsProcessingParameterNumber.Double,
            0.9,
            minValue=0.1,
            maxValue=1.0,
        ),
        40,
        960,
    )

    # ---- carbon density model (METHOD.md steps 1-5)
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
            "PLOTS": child_output("plots", "OUTPUT"),
            "CARBON": static("C_total"),
            "PLOT_ID": static("plot_id"),
            "CLIMATE": model_input("CLIMATE_ZONE"),
            "ECOSYSTEM": model_input("ECOSYSTEM"),
            "NPP": model_input("NPP_SURVEY"),
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
            "INPUT": child_output("augment", "OUTPUT"),
            "TARGET": static("carbon_density"),
            "FACTORS": model_input("CANDIDATE_FACTORS"),
            "THRESHOLD": model_input("SCREEN_THRESHOLD"),
        },
        [("REPORT", "Screening report"), ("FACTOR_TABLE", "Factor table")],
    )
    step(
        model,
        "forest",
        "carbonsink:trainrandomforest",
        "Train Random Forest model",
        450,
        680,
        {
            "INPUT": child_output("augment", "OUTPUT"),
            "TARGET": static("carbon_density"),
            "FACTORS": model_input("CANDIDATE_FACTORS"),
            "SELECT": child_output("screen", "KEEP"),
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
        [("OUTPUT", "Carbon density")],
    )
    step(
        model,
        "storage",
        "carbonsink:carbonstorage",
        "Carbon storage accounting",
        450,
        1080,
        {
            "INPUT": child_output("density", "OUTPUT"),
            "ZONES_RASTER": model_input("LANDUSE_END"),
        },
        [
            ("STORAGE", "Carbon storage"),
            ("TABLE", "Storage per year"),
            ("TRENDS", "Storage trends"),
            ("REPORT", "Storage report"),
        ],
    )

    # ---- trends and persistence (steps 6-9)
    step(
        model,
        "trend",
        "carbonsink:senmannkendall",
        "Sen slope and Mann-Kendall",
        1150,
        80,
        {
            "INPUT": child_output("density", "OUTPUT"),
        },
        [
            ("SLOPE", "Sen slope"),
            ("TREND_CLASS", "Trend class"),
            ("P_VALUE", "MK p-value"),
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
            "INPUT": child_output("density", "OUTPUT"),
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
            "INPUT": child_output("density", "OUTPUT"),
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
        [("REPORT", "Climate report"), ("TRENDS", "Climate trends")],
    )
    step(
        model,
        "drivers",
        "carbonsink:climatepartialcorrelation",
        "Climate partial correlation",
        1150,
        1080,
        {
            "CARBON": child_output("density", "OUTPUT"),
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
            "CARBON_STACK": child_output("density", "OUTPUT"),
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
            [("CLUSTER", "LISA cluster"), ("CLASS_AREAS", "LISA cluster areas")],
            mandatory=("CLUSTER",),
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
                "TREND": child_output("trend", "TREND_CLASS"),
                "FUTURE": child_output("future", "FUTURE_CLASS"),
                "LISA": child_output("lisa", "CLUSTER"),
                "DRIVER": child_output("drivers", "DRIVER_CLASS"),
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
                "DENSITY": child_output("density", "OUTPUT"),
                "SLOPE": child_output("trend", "SLOPE"),
                "TREND_CLASS": child_output("trend", "TREND_CLASS"),
                "FUTURE_CLASS": child_output("future", "FUTURE_CLASS"),
                "CV": child_output("cv", "CV"),
                "HURST": child_output("hurst", "HURST"),
                "DRIVER_CLASS": child_output("drivers", "DRIVER_CLASS"),
                "LISA_CLUSTER": child_output("lisa", "CLUSTER"),
                "ZONES": child_output("zoning", "ZONES"),
                "STORAGE_REPORT": child_output("storage", "REPORT"),
                "CLIMATE_REPORT": child_output("climate", "REPORT"),
                "MODEL_REPORT": child_output("forest", "REPORT"),
                "SCREENING_REPORT": child_output("screen", "REPORT"),
                "LANDUSE_REPORT": child_output("landuse", "REPORT"),
            },
            [("OUTPUT", "Study report")],
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

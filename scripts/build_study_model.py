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
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterRasterLayer,
)
from qgis.PyQt.QtCore import QPointF

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "models", "whole_study.model3")
NAME = "wholestudy"

# Field names of the survey table (as in the demo region, core/demo/demo_region.py): model inputs with these
# defaults, so another survey table only needs its own field names in the dialog. (parent layer, default)
PLOT_FIELDS = {
    "PLOT_ID_FIELD": ("PLOTS", "plot_id"),
    "ECOSYSTEM_FIELD": ("PLOTS", "ecosystem"),
    "TREE_PLOT_ID_FIELD": ("TREES", "plot_id"),
    "TREE_GROUP_FIELD": ("TREES", "species_group"),
    "TREE_DBH_FIELD": ("TREES", "dbh_cm"),
    "TREE_HEIGHT_FIELD": ("TREES", "height_m"),
    "SHRUB_FRESH_FIELD": ("PLOTS", "shrub_fw_g"),
    "SHRUB_RATIO_FIELD": ("PLOTS", "shrub_dfr"),
    "HERB_FRESH_FIELD": ("PLOTS", "herb_fw_g"),
    "HERB_RATIO_FIELD": ("PLOTS", "herb_dfr"),
    "LITTER_FRESH_FIELD": ("PLOTS", "litter_fw_g"),
    "LITTER_RATIO_FIELD": ("PLOTS", "litter_dfr"),
    **{
        f"{k}_{i}_FIELD": ("PLOTS", f"{v}{i}{u}")
        for i in (1, 2, 3)
        for k, v, u in (
            ("SOC", "soc", "_g_kg"),
            ("BD", "bd", "_g_cm3"),
            ("DEPTH", "depth", "_cm"),
            ("GRAVEL", "gravel", ""),
        )
    },
}
# The fields the later steps read from the tables the earlier steps write (fixed by those algorithms).
PLOT_CARBON_FIELD = "C_total"
SAMPLE_CARBON_FIELD = "carbon_density"

# The canvas of the graphical modeler, in columns from left to right (x of a box's centre; boxes are about
# 200 px wide, so no centre is left of 150): inputs, then each stage's steps with their outputs beside them.
X_INPUT, X_CARBON, X_TRENDS, X_PATTERN = 150, 560, 1300, 2040
OUTPUT_DX, OUTPUT_DY = 310, 38
# Outputs: MAIN are created and loaded by default; KEEP are needed by a later step (so never skipped:
# a model passes nothing to the later step for a skipped output); EXTRA are optional, not created unless
# the user names them.
MAIN, KEEP, EXTRA = "main", "keep", "extra"


def param(model, definition, x, y, help_text=None, advanced=False):
    """A model input named and labelled as the vocabulary says, with its help, at (x, y) on the canvas."""
    from carbon_sink_diagnostics.algorithms.support import vocabulary

    if definition.name() in vocabulary.TERMS:
        term = vocabulary.TERMS[definition.name()]
        definition.setDescription(term.label)
        definition.setHelp(help_text or term.help)
    elif help_text:
        definition.setHelp(help_text)
    if advanced:
        definition.setFlags(definition.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
    model.addModelParameter(definition, QgsProcessingModelParameter(definition.name()))
    model.parameterComponent(definition.name()).setPosition(QPointF(x, y))
    INPUT_ORDER.append(definition.name())


INPUT_ORDER = []  # the inputs in the order they are added: the workflow's (Model ▸ Reorder Model Inputs…)


def algorithm_default(alg_id, name):
    """The default of parameter ``name`` of ``alg_id``: a model input takes the default of the step it feeds."""
    definition = QgsApplication.processingRegistry().algorithmById(alg_id).parameterDefinition(name)
    return definition.defaultValue()


def copy_of(alg_id, name, optional=None, **changes):
    """A model input made from the step's own parameter definition (same type, range, default, help)."""
    definition = QgsApplication.processingRegistry().algorithmById(alg_id).parameterDefinition(name).clone()
    if optional is not None:
        flags = definition.flags() & ~QgsProcessingParameterDefinition.FlagOptional
        definition.setFlags(flags | (QgsProcessingParameterDefinition.FlagOptional if optional else 0))
    for key, value in changes.items():
        getattr(definition, key)(value)
    return definition


def static(value):
    return [QgsProcessingModelChildParameterSource.fromStaticValue(value)]


def model_input(name):
    return [QgsProcessingModelChildParameterSource.fromModelParameter(name)]


def child_output(child, output):
    return [QgsProcessingModelChildParameterSource.fromChildOutput(child, output)]


def step(model, child_id, alg_id, description, x, y, sources, outputs=()):
    """Add step ``child_id`` at (x, y); ``outputs``: (output name, model output name, MAIN/KEEP/EXTRA).

    The model output's name is what the user sees: the label in the dialog, the layer name in the project
    and (with the step id) the parameter name, e.g. ``trend:Trend class areas`` for qgis_process.
    """
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
    for index, (output_name, label, role) in enumerate(outputs):
        out = QgsProcessingModelOutput(label, label)
        out.setChildOutputName(output_name)
        out.setChildId(child_id)
        out.setPosition(QPointF(x + OUTPUT_DX, y - OUTPUT_DY + OUTPUT_DY * index))
        out.setMandatory(role == KEEP)
        model_outputs[label] = out
    child.setModelOutputs(model_outputs)
    model.addChildAlgorithm(child)
    return child_id


# The EXTRA outputs (model parameter names): listed in the model's help, under OPTIONAL_OUTPUTS, for the
# provider (provider.py, StudyModel) to leave them uncreated by default.
EXTRA_OUTPUTS = []


def outputs_of(child_id, *rows):
    """Output rows of a step, remembering its EXTRA ones."""
    EXTRA_OUTPUTS.extend(f"{child_id}:{label}" for _, label, role in rows if role == EXTRA)
    return list(rows)


HELP = (
    "The whole carbon-sink study of Bao et al. (2026) on one region: plot carbon density, NPP-ratio "
    "augmentation, factor screening, the carbon density model (Random Forest), annual carbon density and "
    "storage, Sen + Mann–Kendall trend, Cv, Hurst, future trend, climate partial correlation and driver "
    "types, regional climate trend, land-use contributions, global and local Moran's I of the carbon-sink "
    "rate, diagnostic zoning and the study report (docs/method.md, steps 1 to 13). The inputs are listed "
    "in the order of the workflow; the field names of the survey and tree tables (advanced parameters) "
    "default to those of the demo tables. Every step runs with the defaults of its algorithm unless a model "
    "input sets it. The main maps, the model file and the study report are created by default; the tables "
    "of each step are optional outputs: name them to keep them. Copy the model (Save As) to change it."
)


def build():
    from carbon_sink_diagnostics.algorithms.support.base import GROUPS

    # name = the id after carbonsink:; with the study report in the toolbox group "7 · Whole study and report"
    model = QgsProcessingModelAlgorithm(NAME, GROUPS["study"], "study")
    model.setHelpContent(
        {
            "ALG_DESC": HELP,
            "ALG_CREATOR": "Carbon Sink Diagnostics",
            "DISPLAY_NAME": "Whole study: plots to diagnostic zones",
        }
    )
    add_inputs(model)
    add_carbon_model(model)
    add_trends(model)
    add_drivers(model)
    add_pattern_and_report(model)
    model.setHelpContent(model.helpContent() | {"OPTIONAL_OUTPUTS": "\n".join(EXTRA_OUTPUTS)})
    model.setParameterOrder(INPUT_ORDER)
    model.updateDestinationParameters()
    return model


# The inputs in workflow order (the dialog's order, setParameterOrder), each placed beside the step it feeds
# (the settings of a later stage above that stage's column), so no wire crosses the canvas.
def add_inputs(model):
    pt, raster = QgsProcessing.TypeVectorPoint, QgsProcessing.TypeRaster
    x = X_INPUT
    param(model, QgsProcessingParameterFeatureSource("PLOTS", "", [pt]), x, 300)
    param(
        model,
        QgsProcessingParameterFeatureSource("TREES", "", [QgsProcessing.TypeVector], optional=True),
        x,
        340,
    )
    add_field_inputs(model)
    param(model, QgsProcessingParameterRasterLayer("CLIMATE_ZONE", "", optional=True), x, 440)
    param(model, QgsProcessingParameterRasterLayer("ECOSYSTEM", "", optional=True), x, 480)
    param(model, QgsProcessingParameterRasterLayer("NPP_SURVEY", ""), x, 520)
    param(model, copy_of("carbonsink:augmentsamples", "N_POINTS"), x, 560)
    param(model, copy_of("carbonsink:augmentsamples", "SEED"), x, 600)
    factors_help = (
        "The candidate factors in the survey year, one single-band raster each, named after the factor "
        "(NPP_2024 is the factor NPP): screened, and the kept ones used to train the model."
    )
    param(model, QgsProcessingParameterMultipleLayers("FACTORS", "", raster), x, 680, factors_help)
    param(model, copy_of("carbonsink:factorscreening", "MAX_CORRELATION"), x, 720)
    param(model, copy_of("carbonsink:traincarbonmodel", "MODEL_KIND"), x, 760)
    param(model, copy_of("carbonsink:traincarbonmodel", "CV_SCHEME"), x, 800, advanced=True)
    param(model, copy_of("carbonsink:traincarbonmodel", "INTERVAL_LEVEL"), x, 840, advanced=True)
    param(model, copy_of("carbonsink:carbonstorage", "CONFIDENCE_LEVEL"), x, 880, advanced=True)
    param(model, QgsProcessingParameterMultipleLayers("STATIC_FACTORS", "", raster, optional=True), x, 960)
    param(model, QgsProcessingParameterMultipleLayers("YEARLY_FACTORS", "", raster), x, 1000)
    param(model, copy_of("carbonsink:senmannkendall", "ALPHA"), X_TRENDS, 200, advanced=True)
    param(model, copy_of("carbonsink:hurstexponent", "HURST_METHOD"), X_TRENDS + 250, 200, advanced=True)
    param(model, QgsProcessingParameterMultipleLayers("TEMPERATURE", "", raster), x, 1360)
    param(model, QgsProcessingParameterMultipleLayers("PRECIPITATION", "", raster), x, 1400)
    param(model, QgsProcessingParameterMultipleLayers("ARIDITY", "", raster, optional=True), x, 1440)
    param(model, QgsProcessingParameterRasterLayer("LANDUSE_START", ""), x, 1640)
    param(model, QgsProcessingParameterRasterLayer("LANDUSE_END", ""), x, 1680)
    param(model, copy_of("carbonsink:localmoran", "INFERENCE"), X_PATTERN, 200, advanced=True)
    param(model, copy_of("carbonsink:localmoran", "PERMUTATIONS"), X_PATTERN + 250, 200, advanced=True)


def add_field_inputs(model):
    """The survey and tree table fields: advanced inputs with the demo table's names as defaults, in a band
    of four rows above the first step (their wires run down into it, crossing nothing)."""
    for index, (name, (parent, default)) in enumerate(PLOT_FIELDS.items()):
        definition = copy_of("carbonsink:plotcarbondensity", name)
        definition.setParentLayerParameterName(parent)
        definition.setDefaultValue(default)
        row, column = divmod(index, 6)
        param(model, definition, X_INPUT + 240 * column, 40 + 40 * row, advanced=True)


def add_carbon_model(model):
    """Steps 1-5 of docs/method.md: plots to carbon density and storage."""
    x, y = X_CARBON, 320
    plot_fields = {k: model_input(k) for k in PLOT_FIELDS}
    rows = outputs_of("plots", ("PLOT_CARBON", "Plot carbon density", KEEP))
    step(
        model,
        "plots",
        "carbonsink:plotcarbondensity",
        "Plot carbon density",
        x,
        y,
        {"PLOTS": model_input("PLOTS"), "TREES": model_input("TREES"), **plot_fields},
        rows,
    )
    rows = outputs_of("augment", ("SAMPLES", "Sample points (plots and augmented)", KEEP))
    step(
        model,
        "augment",
        "carbonsink:augmentsamples",
        "Augment samples by NPP ratio",
        x,
        y + 200,
        {
            "PLOTS": child_output("plots", "PLOT_CARBON"),
            "CARBON_FIELD": static(PLOT_CARBON_FIELD),
            "PLOT_ID_FIELD": model_input("PLOT_ID_FIELD"),
            "CLIMATE_ZONE": model_input("CLIMATE_ZONE"),
            "ECOSYSTEM": model_input("ECOSYSTEM"),
            "NPP_SURVEY": model_input("NPP_SURVEY"),
            "N_POINTS": model_input("N_POINTS"),
            "SEED": model_input("SEED"),
        },
        rows,
    )
    rows = outputs_of(
        "screen",
        ("REPORT", "Factor screening report", KEEP),
        ("FACTOR_TABLE", "Factor screening table", EXTRA),
        ("PAIRS", "Factor correlation pairs", EXTRA),
    )
    step(
        model,
        "screen",
        "carbonsink:factorscreening",
        "Factor correlation screening",
        x,
        y + 380,
        {
            "SAMPLES": child_output("augment", "SAMPLES"),
            "CARBON_FIELD": static(SAMPLE_CARBON_FIELD),
            "FACTORS": model_input("FACTORS"),
            "MAX_CORRELATION": model_input("MAX_CORRELATION"),
        },
        rows,
    )
    rows = outputs_of(
        "forest",
        ("MODEL", "Carbon density model file", KEEP),
        ("REPORT", "Carbon density model report", KEEP),
        ("METRICS", "Model accuracy metrics", EXTRA),
        ("IMPORTANCE", "Factor importance", EXTRA),
    )
    step(
        model,
        "forest",
        "carbonsink:traincarbonmodel",
        "Train carbon density model",
        x,
        y + 580,
        {
            "SAMPLES": child_output("augment", "SAMPLES"),
            "CARBON_FIELD": static(SAMPLE_CARBON_FIELD),
            "FACTORS": model_input("FACTORS"),
            "SELECT_FACTORS": child_output("screen", "KEPT_FACTORS"),
            "SEED": model_input("SEED"),
            "MODEL_KIND": model_input("MODEL_KIND"),
            "CV_SCHEME": model_input("CV_SCHEME"),
            "INTERVAL_LEVEL": model_input("INTERVAL_LEVEL"),
        },
        rows,
    )
    rows = outputs_of(
        "density",
        ("CARBON_DENSITY", "Carbon density", MAIN),
        ("AREA_OF_APPLICABILITY", "Area of applicability of the model", KEEP),
        ("CARBON_DENSITY_LOWER", "Carbon density, lower bound of the prediction interval", EXTRA),
        ("CARBON_DENSITY_UPPER", "Carbon density, upper bound of the prediction interval", EXTRA),
        ("DISSIMILARITY_INDEX", "Dissimilarity index of the factors", EXTRA),
    )
    step(
        model,
        "density",
        "carbonsink:predictcarbondensity",
        "Predict annual carbon density",
        x,
        y + 780,
        {
            "MODEL": child_output("forest", "MODEL"),
            "STATIC_FACTORS": model_input("STATIC_FACTORS"),
            "YEARLY_FACTORS": model_input("YEARLY_FACTORS"),
            "IGNORE_EXTRA": static(True),
        },
        rows,
    )
    rows = outputs_of(
        "storage",
        ("STORAGE", "Carbon storage", MAIN),
        ("REPORT", "Carbon storage report", KEEP),
        ("STORAGE_TABLE", "Carbon storage per year", EXTRA),
        ("STORAGE_TRENDS", "Carbon storage trends", EXTRA),
    )
    step(
        model,
        "storage",
        "carbonsink:carbonstorage",
        "Carbon storage accounting",
        x,
        y + 940,
        {
            "CARBON_DENSITY": child_output("density", "CARBON_DENSITY"),
            "REGIONS_RASTER": model_input("LANDUSE_END"),
            # the same model and factors again: each tree's totals give the confidence intervals
            "MODEL": child_output("forest", "MODEL"),
            "STATIC_FACTORS": model_input("STATIC_FACTORS"),
            "YEARLY_FACTORS": model_input("YEARLY_FACTORS"),
            "IGNORE_EXTRA": static(True),
            "CONFIDENCE_LEVEL": model_input("CONFIDENCE_LEVEL"),
            "AREA_OF_APPLICABILITY": child_output("density", "AREA_OF_APPLICABILITY"),
        },
        rows,
    )


def add_trends(model):
    """Steps 6-9: Sen + Mann–Kendall, Cv, Hurst and the future trend of the carbon density."""
    x, y = X_TRENDS, 320
    density = child_output("density", "CARBON_DENSITY")
    rows = outputs_of(
        "trend",
        ("SLOPE", "Sen slope of carbon density", MAIN),
        ("TREND_CLASS", "Trend class", MAIN),
        ("P_VALUE", "Mann–Kendall p-value", EXTRA),
        ("CLASS_AREAS", "Trend class areas", EXTRA),
    )
    step(
        model,
        "trend",
        "carbonsink:senmannkendall",
        "Sen slope and Mann–Kendall",
        x,
        y,
        {"INPUT": density, "ALPHA": model_input("ALPHA")},
        rows,
    )
    rows = outputs_of(
        "cv",
        ("CV", "Coefficient of variation", MAIN),
        ("CV_CLASS", "Stability class", MAIN),
        ("CLASS_AREAS", "Stability class areas", EXTRA),
    )
    step(
        model,
        "cv",
        "carbonsink:coefficientofvariation",
        "Coefficient of variation",
        x,
        y + 200,
        {"INPUT": density},
        rows,
    )
    rows = outputs_of("hurst", ("HURST", "Hurst exponent", MAIN))
    step(
        model,
        "hurst",
        "carbonsink:hurstexponent",
        "Hurst exponent",
        x,
        y + 380,
        {"INPUT": density, "HURST_METHOD": model_input("HURST_METHOD")},
        rows,
    )
    rows = outputs_of(
        "future",
        ("FUTURE_CLASS", "Future trend class", MAIN),
        ("CLASS_AREAS", "Future trend class areas", EXTRA),
    )
    step(
        model,
        "future",
        "carbonsink:futuretrend",
        "Future trend (Sen slope × Hurst)",
        x,
        y + 540,
        {"SLOPE": child_output("trend", "SLOPE"), "HURST": child_output("hurst", "HURST")},
        rows,
    )


def add_drivers(model):
    """Steps 10-11: climate trend and partial correlation, land-use contributions."""
    x = X_CARBON
    rows = outputs_of(
        "climate",
        ("REPORT", "Regional climate report", KEEP),
        ("CLIMATE_TRENDS", "Regional climate trends", EXTRA),
        ("CLIMATE_SERIES", "Regional climate per year", EXTRA),
    )
    step(
        model,
        "climate",
        "carbonsink:regionalclimatetrend",
        "Regional climate trend",
        x,
        1400,
        {
            "TEMPERATURE": model_input("TEMPERATURE"),
            "PRECIPITATION": model_input("PRECIPITATION"),
            "ARIDITY": model_input("ARIDITY"),
        },
        rows,
    )
    rows = outputs_of(
        "drivers",
        ("DRIVER_CLASS", "Climate driver type", MAIN),
        ("CLASS_AREAS", "Climate driver type areas", EXTRA),
    )
    step(
        model,
        "drivers",
        "carbonsink:climatepartialcorrelation",
        "Climate partial correlation",
        x,
        1540,
        {
            "CARBON_DENSITY": child_output("density", "CARBON_DENSITY"),
            "TEMPERATURE": model_input("TEMPERATURE"),
            "PRECIPITATION": model_input("PRECIPITATION"),
        },
        rows,
    )
    rows = outputs_of(
        "landuse",
        ("REPORT", "Land-use contribution report", KEEP),
        ("TRANSITIONS", "Land-use transitions", EXTRA),
        ("CONTRIBUTIONS", "Land-use contributions", EXTRA),
    )
    step(
        model,
        "landuse",
        "carbonsink:landusecontribution",
        "Land-use transition and contribution",
        x,
        1680,
        {
            "LANDUSE_START": model_input("LANDUSE_START"),
            "LANDUSE_END": model_input("LANDUSE_END"),
            "CARBON_DENSITY": child_output("density", "CARBON_DENSITY"),
        },
        rows,
    )


def add_pattern_and_report(model):
    """Steps 12-13: global and local Moran's I of the carbon-sink rate, zoning, the study report."""
    x, y = X_PATTERN, 320
    slope = child_output("trend", "SLOPE")
    rows = outputs_of("moran", ("MORAN_TABLE", "Global Moran's I of the carbon-sink rate", KEEP))
    step(
        model,
        "moran",
        "carbonsink:globalmoran",
        "Global Moran's I of the carbon-sink rate",
        x,
        y,
        {"INPUT_RASTER": slope, "SEED": model_input("SEED"), "PERMUTATIONS": model_input("PERMUTATIONS")},
        rows,
    )
    rows = outputs_of(
        "lisa",
        ("LISA_CLUSTER", "LISA cluster", KEEP),
        ("CLASS_AREAS", "LISA cluster areas", EXTRA),
    )
    step(
        model,
        "lisa",
        "carbonsink:localmoran",
        "Local Moran's I of the carbon-sink rate",
        x,
        y + 160,
        {
            "INPUT_RASTER": slope,
            "SEED": model_input("SEED"),
            "INFERENCE": model_input("INFERENCE"),
            "PERMUTATIONS": model_input("PERMUTATIONS"),
        },
        rows,
    )
    rows = outputs_of(
        "zoning",
        ("ZONES", "Diagnostic zones", MAIN),
        ("CLASS_AREAS", "Diagnostic zone areas", EXTRA),
    )
    step(
        model,
        "zoning",
        "carbonsink:diagnosticzoning",
        "Diagnostic zoning",
        x,
        y + 340,
        {
            "TREND_CLASS": child_output("trend", "TREND_CLASS"),
            "FUTURE_CLASS": child_output("future", "FUTURE_CLASS"),
            "LISA_CLUSTER": child_output("lisa", "LISA_CLUSTER"),
            "DRIVER_CLASS": child_output("drivers", "DRIVER_CLASS"),
        },
        rows,
    )
    rows = outputs_of("report", ("REPORT", "Study report", MAIN))
    step(model, "report", "carbonsink:studyreport", "Study report", x, y + 540, report_sources(), rows)


def report_sources():
    """What the study report reads: the maps, every step's report data, and the run's settings."""
    out = child_output
    return {
        "CARBON_DENSITY": out("density", "CARBON_DENSITY"),
        "SLOPE": out("trend", "SLOPE"),
        "TREND_CLASS": out("trend", "TREND_CLASS"),
        "FUTURE_CLASS": out("future", "FUTURE_CLASS"),
        "CV": out("cv", "CV"),
        "CV_CLASS": out("cv", "CV_CLASS"),
        "HURST": out("hurst", "HURST"),
        "DRIVER_CLASS": out("drivers", "DRIVER_CLASS"),
        "LISA_CLUSTER": out("lisa", "LISA_CLUSTER"),
        "ZONES": out("zoning", "ZONES"),
        "STORAGE_REPORT": out("storage", "REPORT"),
        "CLIMATE_REPORT": out("climate", "REPORT"),
        "MODEL_REPORT": out("forest", "REPORT"),
        "SCREENING_REPORT": out("screen", "REPORT"),
        "LANDUSE_REPORT": out("landuse", "REPORT"),
        "GLOBAL_MORAN": out("moran", "MORAN_TABLE"),
        "SAMPLES": out("augment", "SAMPLES"),
        "PROVENANCE": [QgsProcessingModelChildParameterSource.fromExpression(provenance_expression())],
    }


# The run's inputs and settings, handed to the study report as "inputs.NAME=value" / "settings.NAME=value"
# lines (its provenance block). Model inputs are variables of the model's expressions (@SEED); a layer chosen
# in the project is named by its file (layer_property); an input left at its default gets that default.
# (In QGIS 3.22 a raster input is a layer object no expression function names by its file, and a multiple-
# layer input has no variable: the rasters, stacks and factor lists are in the "Inputs and parameters" of
# the steps that read them.)
PROVENANCE_INPUTS = ("PLOTS", "TREES")  # vector inputs: their file; QGIS 3.22 gives rasters as layer objects
PROVENANCE_SETTINGS = (
    "N_POINTS",
    "SEED",
    "MAX_CORRELATION",
    "MODEL_KIND",
    "CV_SCHEME",
    "INTERVAL_LEVEL",
    "CONFIDENCE_LEVEL",
    "ALPHA",
    "HURST_METHOD",
    "INFERENCE",
    "PERMUTATIONS",
)
PROVENANCE_FIXED = {
    "trend method": "Sen slope + Mann–Kendall (carbonsink:senmannkendall defaults)",
    "zoning rules": "the default rule table of carbonsink:diagnosticzoning",
    "rasters, stacks and factor lists": "named in the Inputs and parameters of the step that reads them (below)",
}


def provenance_expression():
    """The expression that writes the provenance lines when the model runs."""
    registry = QgsApplication.processingRegistry()
    parts = []
    for name in PROVENANCE_INPUTS:
        parts.append(f"'inputs.{name}=' || coalesce(layer_property(@{name}, 'path'), to_string(@{name}), '')")
    for name in PROVENANCE_SETTINGS:
        default = None
        for alg in ("carbonsink:senmannkendall", "carbonsink:hurstexponent", "carbonsink:localmoran",
                    "carbonsink:augmentsamples", "carbonsink:factorscreening"):  # fmt: skip
            definition = registry.algorithmById(alg).parameterDefinition(name)
            if definition is not None:
                default = definition.defaultValue()
                break
        parts.append(f"'settings.{name}=' || coalesce(to_string(@{name}), '{default}')")
    for key, text in PROVENANCE_FIXED.items():
        parts.append(f"'settings.{key}={text}'")
    return " || '\n' || ".join(parts)


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

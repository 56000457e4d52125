"""Build models/whole_study_from_downloads.model3: the whole study from raw downloads, as one graphical model
(run with QGIS's Python).

Two steps: Prepare aligned stacks from a folder of downloads (carbonsink:preparestacks) turns the folder into
one aligned stack per variable (and the single-year rasters of the survey year and of the land-use years),
then the whole-study model (carbonsink:wholestudy, models/whole_study.model3) runs on them. The stacks are
handed over by name: the table of variables names them NPP, NDVI, PRECIPITATION, TEMPERATURE, DEM, LANDUSE,
CLIMATE_ZONE and ECOSYSTEM, and the study's inputs are ``<stacks folder>/<name>.tif`` (or
``<name>_<year>.tif``). Every output of the whole-study model is an output of this one, under the same name
after ``study:``; they are read from the installed whole-study model, so rebuild this model when that one
changes its outputs (test/algorithms/test_raw_study_model.py checks that they match).

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/build_raw_study_model.py``.
"""

import os
import re
import sys

from qgis.core import (
    QgsApplication,
    QgsProcessing,
    QgsProcessingModelAlgorithm,
    QgsProcessingModelChildAlgorithm,
    QgsProcessingModelChildDependency,
    QgsProcessingModelChildParameterSource,
    QgsProcessingModelOutput,
    QgsProcessingModelParameter,
    QgsProcessingParameterCrs,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterMatrix,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
)
from qgis.PyQt.QtCore import QPointF

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "models", "whole_study_from_downloads.model3")
NAME = "wholestudyfromdownloads"
STUDY = "carbonsink:wholestudy"

# The table of variables: name (= the stack's file name and the factor's name), file patterns, time step
# (empty: detected), resampling. Users edit the patterns to their file names in the model's dialog.
VARIABLES = [
    ("NPP", "*npp*;mod17a3*", "", "average"),
    ("NDVI", "*ndvi*;mod13*", "", "average"),
    ("PRECIPITATION", "pr_*;*precip*;*ppt*;*prcp*", "", "average"),
    ("TEMPERATURE", "tas_*;*tmean*;*temperature*", "", "average"),
    ("DEM", "*dem*;*elev*;*srtm*", "static", "average"),
    ("LANDUSE", "*landuse*;*land_use*;*lulc*", "yearly", "mode"),
    ("CLIMATE_ZONE", "*climate_zone*", "static", "mode"),
    ("ECOSYSTEM", "*ecosystem*", "static", "mode"),
]
YEARLY = ("NPP", "NDVI", "PRECIPITATION", "TEMPERATURE")  # the yearly factors of the carbon density model
PREPARE = "Prepare aligned stacks"  # the first step's description, which names its outputs in expressions
# QGIS names a step's output in expressions <description>_<output>, blanks, quotes, brackets, ':' and '.' as '_'
STACKS_VARIABLE = re.sub(r"[\s'\"():.]", "_", PREPARE) + "_STACKS_PATH"
YEARS = {"SURVEY_YEAR": 2024, "LANDUSE_START_YEAR": 2001, "LANDUSE_END_YEAR": 2024}  # defaults of the inputs


def table_cells():
    """The default table as the flat list of cells a Processing matrix holds (10 columns a row)."""
    cells = []
    for name, files, step, resampling in VARIABLES:
        cells += [name, files, step, resampling, "", "", "", "", "", ""]
    return cells


def param(model, definition, x, y):
    """A model input named, labelled and explained as the vocabulary says."""
    from carbon_sink_diagnostics.algorithms.support import vocabulary

    term = vocabulary.TERMS[definition.name()]
    definition.setDescription(term.label)
    definition.setHelp(term.help)
    model.addModelParameter(definition, QgsProcessingModelParameter(definition.name()))
    model.parameterComponent(definition.name()).setPosition(QPointF(x, y))


def model_input(name):
    return [QgsProcessingModelChildParameterSource.fromModelParameter(name)]


def expression(text):
    return QgsProcessingModelChildParameterSource.fromExpression(text)


def year(name):
    """A year input as an expression, its default when it was left out (a model passes no default on)."""
    return f"coalesce(to_int(@{name}), {YEARS[name]})"


def stack(name, year_parameter=None):
    """The path of a prepared stack (or of its band of the year in a model input), as an expression."""
    suffix = f"'_' || {year(year_parameter)} || '.tif'" if year_parameter else "'.tif'"
    return expression(f"@{STACKS_VARIABLE} || '/{name}' || {suffix}")


def table_expression():
    """The table of variables given, else the default one (an expression: a model passes no default on)."""
    cells = ", ".join("'" + c.replace("'", "''") + "'" for c in table_cells())
    return expression(f"coalesce(@VARIABLES, array({cells}))")


def child(model, child_id, alg_id, description, x, y, sources):
    step = QgsProcessingModelChildAlgorithm(alg_id)
    step.setChildId(child_id)
    step.setDescription(description)
    step.setPosition(QPointF(x, y))
    alg = QgsApplication.processingRegistry().algorithmById(alg_id)
    for definition in alg.parameterDefinitions():  # every other parameter at its default, as the modeler does
        if definition.name() not in sources and not definition.isDestination():
            if definition.defaultValue() is not None:
                value = definition.defaultValue()
                sources[definition.name()] = [QgsProcessingModelChildParameterSource.fromStaticValue(value)]
    for name, source in sources.items():  # (setParameterSources with a dict crashes PyQGIS 3.22)
        step.addParameterSources(name, source)
    return step


def add_inputs(model):
    pt, any_vector = QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVector
    integer, double = QgsProcessingParameterNumber.Integer, QgsProcessingParameterNumber.Double
    inputs = [
        QgsProcessingParameterFile("FOLDER", "", behavior=QgsProcessingParameterFile.Folder),
        QgsProcessingParameterMatrix("VARIABLES", "", headers=[], defaultValue=table_cells(), optional=True),
        QgsProcessingParameterRasterLayer("REFERENCE", "", optional=True),
        QgsProcessingParameterCrs("TARGET_CRS", "", optional=True),
        QgsProcessingParameterNumber("PIXEL_SIZE", "", double, optional=True, minValue=0.0),
        QgsProcessingParameterFeatureSource("BOUNDARY", "", [QgsProcessing.TypeVectorPolygon], optional=True),
        *[
            QgsProcessingParameterNumber(name, "", integer, value, minValue=1800, maxValue=2199)
            for name, value in YEARS.items()
        ],
        QgsProcessingParameterFeatureSource("PLOTS", "", [pt]),
        QgsProcessingParameterFeatureSource("TREES", "", [any_vector]),
        QgsProcessingParameterNumber("N_POINTS", "", integer, 560, minValue=0),
        QgsProcessingParameterNumber("SEED", "", integer, 42, minValue=0),
        QgsProcessingParameterNumber("MAX_CORRELATION", "", double, 0.9, minValue=0.01, maxValue=1.0),
    ]
    for i, definition in enumerate(inputs):
        param(model, definition, 40, 60 + 60 * i)
    from carbon_sink_diagnostics.core.engine import prepare

    model.parameterDefinition("VARIABLES").setHeaders(list(prepare.RULE_COLUMNS))


def add_prepare(model):
    years = f"array_to_string(array_distinct(array({', '.join(year(name) for name in YEARS)})), ',')"
    sources = {name: model_input(name) for name in ("FOLDER", "REFERENCE", "TARGET_CRS", "PIXEL_SIZE")}
    sources["VARIABLES"] = [table_expression()]
    sources["BOUNDARY"] = model_input("BOUNDARY")
    sources["YEAR_RASTERS"] = [expression(years)]
    step = child(
        model,
        "prepare",
        "carbonsink:preparestacks",
        PREPARE,
        450,
        80,
        sources,
    )
    for name, label in (
        ("STACKS_FOLDER", "Aligned stacks"),
        ("PREPARATION_TABLE", "What was done to each input"),
    ):
        out = QgsProcessingModelOutput(name, label)
        out.setChildOutputName(name)
        out.setChildId("prepare")
        step.setModelOutputs({**step.modelOutputs(), name: out})
    model.addChildAlgorithm(step)


def add_study(model):
    sources = {
        "PLOTS": model_input("PLOTS"),
        "TREES": model_input("TREES"),
        "N_POINTS": model_input("N_POINTS"),
        "SEED": model_input("SEED"),
        "MAX_CORRELATION": model_input("MAX_CORRELATION"),
        "CLIMATE_ZONE": [stack("CLIMATE_ZONE")],
        "ECOSYSTEM": [stack("ECOSYSTEM")],
        "NPP_SURVEY": [stack("NPP", "SURVEY_YEAR")],
        "FACTORS": [stack(name, "SURVEY_YEAR") for name in YEARLY] + [stack("DEM")],
        "STATIC_FACTORS": [stack("DEM")],
        "YEARLY_FACTORS": [stack(name) for name in YEARLY],
        "TEMPERATURE": [stack("TEMPERATURE")],
        "PRECIPITATION": [stack("PRECIPITATION")],
        "LANDUSE_START": [stack("LANDUSE", "LANDUSE_START_YEAR")],
        "LANDUSE_END": [stack("LANDUSE", "LANDUSE_END_YEAR")],
    }
    step = child(model, "study", STUDY, "Whole study on the aligned stacks", 850, 80, sources)
    step.setDependencies([QgsProcessingModelChildDependency("prepare")])
    study = QgsApplication.processingRegistry().algorithmById(STUDY)
    outputs = {}
    for i, definition in enumerate(d for d in study.parameterDefinitions() if d.isDestination()):
        out = QgsProcessingModelOutput(definition.name(), definition.description())
        out.setChildOutputName(definition.name())
        out.setChildId("study")
        out.setMandatory(False)
        out.setPosition(QPointF(1250, 40 + 40 * i))
        outputs[definition.name()] = out
    step.setModelOutputs(outputs)
    model.addChildAlgorithm(step)


def build():
    from carbon_sink_diagnostics.algorithms.support.base import GROUPS

    if QgsApplication.processingRegistry().algorithmById(STUDY) is None:
        raise SystemExit(f"{STUDY} is not installed (models/whole_study.model3)")
    model = QgsProcessingModelAlgorithm(NAME, GROUPS["study"], "study")
    model.setHelpContent(
        {
            "ALG_DESC": (
                "The whole carbon-sink study from raw downloads: Prepare aligned stacks from a folder of downloads "
                "puts every variable of the folder on one grid and one study boundary (NPP, NDVI, PRECIPITATION, "
                "TEMPERATURE, DEM, LANDUSE, CLIMATE_ZONE, ECOSYSTEM, named by the table of variables: edit its file "
                "patterns to your file names), and writes the factors of the survey year and the land use of the "
                "start and end years as single-band rasters; then the whole-study model (plots to diagnostic "
                'zones) runs on them (docs/method.md, "Data preparation" and steps 1 to 13). Give a reference '
                "raster, or a CRS and pixel size, for the grid. Copy the model (Save As) to change it.\n\n"
                "References\n\nBao, Y. et al. (2026) Arid Land Geography 49(4):740–755. Eaton, B. et al. (2023) "
                "NetCDF Climate and Forecast (CF) Metadata Conventions 1.11."
            ),
            "ALG_CREATOR": "Carbon Sink Diagnostics",
            "DISPLAY_NAME": "Whole study from raw downloads: downloads to diagnostic zones",
        }
    )
    add_inputs(model)
    add_prepare(model)
    add_study(model)
    model.updateDestinationParameters()
    return model


def main():
    sys.path.insert(0, os.path.join(ROOT, "build", "plugins"))
    app = QgsApplication([], False)
    app.initQgis()
    sys.path.insert(0, "/usr/share/qgis/python/plugins")
    from processing.core.Processing import Processing

    Processing.initialize()
    from carbon_sink_diagnostics.provider import CarbonSinkProvider

    provider = CarbonSinkProvider()  # with its models: the whole-study model is a step of this one
    QgsApplication.processingRegistry().addProvider(provider)
    model = build()
    if not model.toFile(OUT):
        raise SystemExit(f"could not write {OUT}")
    ok, errors = model.validate()
    print(OUT, "valid" if ok else f"INVALID: {errors}")
    app.exitQgis()


if __name__ == "__main__":
    main()

"""The one QGIS adapter over :mod:`core.engine.raster`: parameters for yearly stacks, feedback, styled outputs.

Algorithms declare their inputs and outputs with the ``add_*`` helpers, turn parameter values into
core objects with ``*_from_parameters``, and hand everything to :func:`run`, which maps progress and
cancel onto the Processing feedback, and afterwards attaches the QML styles to the layers QGIS loads and
writes the class-area table. The core's errors (``RasterInputError`` naming the layer, ``Cancelled``)
propagate; the base class turns them into messages.
"""

import os
from dataclasses import dataclass

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)

from ...core.common.years import split_year
from ...core.engine import netcdf, raster
from . import styling, vector_io, vocabulary
from .base import advanced

MEMORY_MB = "MEMORY_MB"
NODATA_SUFFIX = "_NODATA"
MIN_VALID_PERCENT = "MIN_VALID_PERCENT"
CLASS_AREAS = "CLASS_AREAS"


# ------------------------------------------------------------------------------------------ parameters
def _with_help(param, help_text=None):
    """``param`` with its help: ``help_text``, else the vocabulary's help of its name (if a term)."""
    if help_text is None and param.name() in vocabulary.TERMS:
        help_text = vocabulary.help_text(param.name())
    if help_text:
        param.setHelp(help_text)
    return param


def _label(alg, name, description):
    """The vocabulary's label of ``name`` if it is a term, else ``description``."""
    return vocabulary.label(name) if name in vocabulary.TERMS else description


def add_nodata_parameter(alg, name, description):
    """The advanced parameter ``<name>_NODATA``: a nodata value for the input ``name``.

    For rasters that declare no nodata (holes stored as -9999...) or a wrong one; empty keeps the
    raster's own.
    """
    role = description.split(" (")[0]
    param = QgsProcessingParameterNumber(
        name + NODATA_SUFFIX,
        alg.tr("Nodata value of '{}'").format(role),
        QgsProcessingParameterNumber.Double,
        optional=True,
    )
    help_text = alg.tr(
        "Replaces the nodata value the raster declares (or gives one to a raster that declares none, e.g. "
        "holes stored as -9999). Empty: the raster's own."
    )
    alg.addParameter(advanced(_with_help(param, help_text)))


class StackParameter(QgsProcessingParameterMultipleLayers):
    """Raster layers of a yearly stack that also takes what QGIS cannot load as a raster layer by name.

    QGIS loads a parameter value only when it is a layer or an existing file: a netCDF variable given as
    ``NETCDF:"file.nc":var`` (or an HDF subdataset) is refused as an incorrect value, and a plain
    ``file.nc`` is loaded by the vector (ogr) provider. This parameter accepts both; the stack reads them
    with GDAL (:func:`stack_sources`).
    """

    def clone(self):
        copy = StackParameter(
            self.name(),
            self.description(),
            self.layerType(),
            self.defaultValue(),
            self.flags() & QgsProcessingParameterDefinition.FlagOptional,
        )
        copy.setFlags(self.flags())
        copy.setHelp(self.help())
        return copy

    def checkValueIsAcceptable(self, value, context=None):  # noqa: N802 - QGIS API
        items = value if isinstance(value, (list, tuple)) else [value]
        if items and all(isinstance(v, str) and _gdal_raster_source(v) for v in items):
            return True
        rest = [v for v in items if not (isinstance(v, str) and _gdal_raster_source(v))]
        if len(rest) < len(items):
            return super().checkValueIsAcceptable(rest, context)
        return super().checkValueIsAcceptable(value, context)


def _gdal_raster_source(text):
    """Whether ``text`` is a GDAL subdataset name or a netCDF/HDF file that GDAL reads as a raster."""
    text = text.strip()
    if netcdf.is_connection_string(text):
        return True
    return os.path.isfile(text) and os.path.splitext(text)[1].lower() in _MULTIDIM_SUFFIXES


_MULTIDIM_SUFFIXES = (
    ".nc",
    ".nc4",
    ".cdf",
    ".netcdf",
    ".hdf",
    ".hdf4",
    ".h4",
    ".hdf5",
    ".h5",
    ".he5",
    ".grib",
    ".grb",
    ".grb2",
)


def add_stack_input(alg, name, description=None, years_name=None, help_text=None, optional=False):
    """A yearly stack: one multi-band raster (a band per year) or several single-band rasters.

    netCDF variables are taken as they come: ``NETCDF:"file.nc":var``, or a plain ``file.nc`` holding
    one data variable, with the years from its CF time axis. A vocabulary term takes the vocabulary's
    label and help; ``help_text`` adds to the help.
    """
    description = _label(alg, name, description)
    param = StackParameter(name, description, QgsProcessing.TypeRaster, optional=optional)
    if help_text and name in vocabulary.TERMS:
        help_text = vocabulary.help_text(name) + " " + help_text
    alg.addParameter(_with_help(param, help_text))
    add_nodata_parameter(alg, name, description)
    if years_name:
        years = QgsProcessingParameterString(years_name, vocabulary.label("YEARS"), optional=True)
        alg.addParameter(_with_help(years, vocabulary.help_text("YEARS")))


def add_alpha_parameter(alg, name="ALPHA", help_text=None):
    param = QgsProcessingParameterNumber(
        name,
        vocabulary.label("ALPHA"),
        QgsProcessingParameterNumber.Double,
        defaultValue=0.05,
        minValue=0.0001,
        maxValue=0.5,
    )
    alg.addParameter(_with_help(param, help_text))


def add_min_valid_parameter(alg):
    param = QgsProcessingParameterNumber(
        MIN_VALID_PERCENT,
        vocabulary.label(MIN_VALID_PERCENT),
        QgsProcessingParameterNumber.Double,
        defaultValue=75.0,
        minValue=1.0,
        maxValue=100.0,
    )
    alg.addParameter(_with_help(param))


def add_memory_parameter(alg):
    param = QgsProcessingParameterNumber(
        MEMORY_MB,
        vocabulary.label(MEMORY_MB),
        QgsProcessingParameterNumber.Integer,
        defaultValue=raster.DEFAULT_MEMORY_MB,
        minValue=16,
        maxValue=16384,
    )
    alg.addParameter(advanced(_with_help(param)))


def add_raster_output(alg, name, description=None, create_by_default=True, required=False, help_text=None):
    """A GeoTIFF output (a vocabulary term takes the vocabulary's label and help).

    ``required`` marks the output other steps chain on (a model then always creates it, as a temporary
    file if it is not a model output); scripts and qgis_process must name it (or TEMPORARY_OUTPUT).
    Secondary outputs are optional: a run writes those it is given, and must ask for at least one.
    """
    param = QgsProcessingParameterRasterDestination(
        name,
        _label(alg, name, description),
        defaultValue=QgsProcessing.TEMPORARY_OUTPUT if required else None,
        optional=not required,
        createByDefault=create_by_default,
    )
    alg.addParameter(_with_help(param, help_text))


def add_table_output(alg, name, description=None, help_text=None):
    """An optional table (no geometry) output, created by default: CSV, GeoPackage or a memory layer."""
    param = QgsProcessingParameterFeatureSink(
        name, _label(alg, name, description), QgsProcessing.TypeVector, optional=True, createByDefault=True
    )
    alg.addParameter(_with_help(param, help_text))


def add_report_output(alg, name="REPORT", help_text=None):
    """An optional, self-contained HTML report (and its JSON data beside it), created by default."""
    param = QgsProcessingParameterFileDestination(
        name, vocabulary.label("REPORT"), alg.tr("HTML files (*.html)"), optional=True, createByDefault=True
    )
    if help_text:
        help_text = help_text + " " + vocabulary.help_text("REPORT")
    alg.addParameter(_with_help(param, help_text))


def add_class_area_output(alg):
    param = QgsProcessingParameterFeatureSink(
        CLASS_AREAS,
        vocabulary.label(CLASS_AREAS),
        QgsProcessing.TypeVector,
        optional=True,
        createByDefault=True,
    )
    alg.addParameter(_with_help(param))


# ------------------------------------------------------------------------------ parameter values -> core
def layer_source(alg, layer):
    """File path of a raster layer read by GDAL (the engine reads files, not provider data).

    A netCDF or HDF file that QGIS opened with its vector (ogr) provider (a ``.nc`` path given by name)
    is read by GDAL as the raster it is.
    """
    if layer.providerType() == "ogr":
        path = layer.source().split("|")[0]
        if _gdal_raster_source(path):
            return path
    if layer.providerType() != "gdal":
        raise QgsProcessingException(
            alg.tr(
                "Layer '{}' comes from the '{}' provider; save it as a GeoTIFF first (right-click ▸ Export ▸ "
                "Save As…)."
            ).format(layer.name(), layer.providerType())
        )
    return layer.source()


def _nodata(alg, parameters, context, name):
    """The value of ``<name>_NODATA`` (None when the algorithm has no such parameter or it is empty)."""
    key = name + NODATA_SUFFIX
    if alg.parameterDefinition(key) is None or parameters.get(key) in (None, ""):
        return None
    return alg.parameterAsDouble(parameters, key, context)


def _nodata_hint(alg, name):
    definition = alg.parameterDefinition(name + NODATA_SUFFIX)
    if definition is None:
        return ""
    return alg.tr("the advanced parameter {}").format(definition.name())


def stack_sources(alg, parameters, context, name):
    """``(sources, layer names)`` of a stack parameter, in the order given.

    Layers (and names of layers or files QGIS loads) give their GDAL source; GDAL subdataset names
    (``NETCDF:"file.nc":var``) and netCDF/HDF files are taken as they are, which QGIS cannot load by name.
    """
    value = parameters.get(name)
    items = list(value) if isinstance(value, (list, tuple)) else [value]
    if not any(isinstance(v, str) and _gdal_raster_source(v) for v in items):
        layers = alg.parameterAsLayerList(parameters, name, context)
        return [layer_source(alg, lyr) for lyr in layers], [lyr.name() for lyr in layers]
    sources, names = [], []
    for item in items:
        if isinstance(item, str) and _gdal_raster_source(item):
            sources.append(item.strip())
            names.append(netcdf.display_name(item.strip()))
            continue
        for lyr in alg.parameterAsLayerList({name: [item]}, name, context):
            sources.append(layer_source(alg, lyr))
            names.append(lyr.name())
    return sources, names


def stack_from_parameters(alg, parameters, context, name, role, years_name=None):
    sources, names = stack_sources(alg, parameters, context, name)
    if not sources:
        raise QgsProcessingException(alg.tr("{}: no raster layer given").format(role))
    years = alg.parameterAsString(parameters, years_name, context) if years_name else None
    stack = raster.open_stack(
        role,
        sources,
        years or None,
        names,
        nodata=_nodata(alg, parameters, context, name),
    )
    stack.nodata_hint = _nodata_hint(alg, name)
    return stack


def require_crs(stack):
    """Stop, naming the layer, if ``stack`` has no CRS: its areas and storages would be in unknown units."""
    stack.grid.require_crs(stack.bands[0].layer)


def band_from_parameters(alg, parameters, context, name, role):
    """A single-band input as a one-band stack, or None if the optional parameter was left empty."""
    layer = alg.parameterAsRasterLayer(parameters, name, context)
    if layer is None:
        return None
    stack = raster.open_band(
        role, layer_source(alg, layer), layer.name(), nodata=_nodata(alg, parameters, context, name)
    )
    stack.nodata_hint = _nodata_hint(alg, name)
    return stack


def factor_name(layer_name):
    """The factor a layer holds: its name without a trailing ``_<year>`` (``NPP_2024`` -> ``NPP``)."""
    return split_year(layer_name)[0]


def factors_from_parameters(alg, parameters, context, name, role="Factor", select=None):
    """Single-band factor rasters named by their layer names, on one grid.

    A trailing ``_<year>`` is not part of the name: the layer ``NPP_2024`` is the factor ``NPP``, so a
    model trained on the survey year's rasters is matched by name to the yearly rasters it predicts
    from. Returns the factor names and a :class:`core.engine.raster.Stack` with one band per factor, in order.
    """
    layers = alg.parameterAsLayerList(parameters, name, context)
    if not layers:
        raise QgsProcessingException(alg.tr("{}: no raster layer given").format(role))
    for lyr in layers:
        if lyr.bandCount() != 1:
            raise QgsProcessingException(
                alg.tr(
                    "{}: layer '{}' has {} bands; one single-band raster per factor is needed (the layer "
                    "name is the factor name). Extract the band you want (Raster ▸ Conversion ▸ Translate "
                    "with a band selected, or gdal_translate -b N) or give one layer per factor."
                ).format(role, lyr.name(), lyr.bandCount())
            )
    names = [factor_name(lyr.name()) for lyr in layers]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise QgsProcessingException(
            alg.tr(
                "Factor names must be unique; more than one factor layer is named {}. Rename the layers (the "
                "name is the factor name)."
            ).format(", ".join(repr(n) for n in repeated))
        )
    if select:
        unknown = [n for n in select if n not in names]
        if unknown:
            raise QgsProcessingException(
                alg.tr("Factors to use {} are not among the given factor layers ({})").format(
                    ", ".join(repr(n) for n in unknown), ", ".join(names)
                )
            )
        layers = [lyr for lyr, n in zip(layers, names) if n in select]
        names = [n for n in names if n in select]
    bands = [raster.open_band(role, layer_source(alg, lyr), lyr.name()) for lyr in layers]
    grid = raster.check_same_grid(bands)
    return names, raster.Stack(role, [b.bands[0] for b in bands], np.arange(len(bands)), grid)


@dataclass
class FactorSamples:
    """Factor values sampled at points: which points are usable, and why the others are not."""

    layer: str
    n_total: int
    values: np.ndarray  # (n_points, n_factors), NaN outside the rasters or on nodata
    target: np.ndarray  # (n_points,)
    used: np.ndarray  # bool: inside, every factor valid, a target value
    counts: str  # "N outside the rasters, N on nodata of a factor, N without a target value, of N points"
    x: np.ndarray = None  # (n_points,) point coordinates in the rasters' CRS (for spatial folds)
    y: np.ndarray = None


def sample_factors_at_points(alg, source, context, feedback, target, names, stack, purpose):
    """Read the points (transformed to the factors' CRS) and sample every factor raster at them.

    Points outside the rasters, on nodata of a factor or without a target value are counted and logged
    (``purpose`` names what they are left out of); none inside the rasters stops with a clear message.
    """
    points = vector_io.read_points(
        alg, source, context, [target], crs_wkt=stack.grid.crs_wkt, numeric=[target], feedback=feedback
    )
    n_total = len(points)
    if n_total == 0:
        raise QgsProcessingException(alg.tr("Layer '{}' has no points").format(points.layer))
    feedback.pushInfo(
        alg.tr("Sampling {} factor(s) at {:,} points of '{}'…").format(len(names), n_total, points.layer)
    )
    values = raster.sample_at_points(stack, points.x, points.y)
    inside = stack.grid.contains(points.x, points.y)
    if not inside.any():
        raise QgsProcessingException(
            alg.tr(
                "None of the {:,} points of layer '{}' falls inside the factor rasters (first factor: '{}'). "
                "Check that the points and the rasters cover the same area; the points are transformed to the "
                "rasters' CRS."
            ).format(n_total, points.layer, names[0])
        )
    y = points.columns[target]
    on_nodata = inside & ~np.all(np.isfinite(values), axis=1)
    no_target = inside & ~on_nodata & ~np.isfinite(y)
    used = inside & ~on_nodata & ~no_target
    n_out, n_nodata, n_target = int((~inside).sum()), int(on_nodata.sum()), int(no_target.sum())
    counts = alg.tr(
        "{:,} outside the rasters, {:,} on nodata of a factor, {:,} without a target value, of {:,} points"
    ).format(n_out, n_nodata, n_target, n_total)
    feedback.pushInfo(alg.tr("{:,} points used; left out: {}.").format(int(used.sum()), counts))
    if n_nodata:
        per = [f"{n}: {int((inside & ~np.isfinite(values[:, j])).sum()):,}" for j, n in enumerate(names)]
        feedback.pushInfo(alg.tr("Points on nodata, by factor: {}").format(", ".join(per)))
    if n_out or n_nodata or n_target:
        feedback.pushWarning(alg.tr("Left out of the {}: {}.").format(purpose, counts))
    for warning in raster.sentinel_warnings(stack):
        feedback.pushWarning(warning)
    return FactorSamples(
        points.layer, n_total, values, y, used, counts, np.asarray(points.x), np.asarray(points.y)
    )


def add_band_input(alg, name, description=None, optional=False, help_text=None):
    """A single-band raster input (band 1) with its ``<name>_NODATA`` override; vocabulary terms take the
    vocabulary's label and help (``help_text`` adds to it)."""
    description = _label(alg, name, description)
    if help_text and name in vocabulary.TERMS:
        help_text = vocabulary.help_text(name) + " " + help_text
    param = QgsProcessingParameterRasterLayer(name, description, optional=optional)
    alg.addParameter(_with_help(param, help_text))
    add_nodata_parameter(alg, name, description)


def output_spec(alg, parameters, context, name, description, **kwargs):
    """The :class:`core.engine.raster.OutputSpec` of a raster destination, or None when it was not requested."""
    path = alg.parameterAsOutputLayer(parameters, name, context)
    if not path:
        return None
    if os.path.splitext(path)[1].lower() not in (".tif", ".tiff"):
        raise QgsProcessingException(
            alg.tr("Output '{}' must be a GeoTIFF (.tif); got {}").format(
                alg.parameterDefinition(name).description(), path
            )
        )
    return raster.OutputSpec(name=name, path=path, description=description, **kwargs)


# ------------------------------------------------------------------------------------------------- run
def run(alg, parameters, context, feedback, inputs, kernel, outputs, **kwargs):
    """Run a per-pixel kernel through the block engine with Processing feedback.

    ``outputs`` may hold None for outputs the user skipped; with a ``reduce`` callback (totals only) none
    at all may be left. Returns the core ``RunReport``.
    """
    outputs = [o for o in outputs if o is not None]
    if not outputs and kwargs.get("reduce") is None:
        raise QgsProcessingException(alg.tr("No output requested; choose at least one output file."))
    for stack in inputs.values():
        for warning in stack.warnings:
            feedback.pushWarning(warning)
        for note in raster.input_notes(stack):
            feedback.pushInfo(note)
    memory = alg.parameterAsInt(parameters, MEMORY_MB, context) if MEMORY_MB in parameters else None
    # The outputs stay beside their destinations until the algorithm has finished without error
    # (algorithms/support/io_guard.py moves them into place); without a guard they move at the end of the pass.
    guard = getattr(alg, "io_guard", None)
    report = raster.run_pixelwise(
        inputs,
        kernel,
        outputs,
        memory_mb=memory or raster.DEFAULT_MEMORY_MB,
        progress=feedback.setProgress,
        is_cancelled=feedback.isCanceled,
        commit=guard is None,
        **kwargs,
    )
    if guard is not None:
        guard.hold(outputs)
    push_warnings(feedback, report)
    return report


def push_warnings(feedback, report):
    """Show the warnings of a core ``RunReport`` (undeclared nodata codes, areas left out) as warnings."""
    for warning in report.warnings:
        feedback.pushWarning(warning)


def finish(alg, parameters, context, feedback, report, outputs):
    """Results dict for the written outputs; styles attached; class areas logged and written as a table."""
    outputs = [o for o in outputs if o is not None]
    results = {o.name: o.path for o in outputs}
    for o in outputs:
        qml = os.path.splitext(o.path)[0] + ".qml"  # written when the output moves into place
        if o.qml is not None or os.path.exists(qml):
            styling.style_on_load(context, o.path, styling.qml_file(qml))
    feedback.pushInfo(
        alg.tr("{:,} of {:,} pixels had enough valid data and were computed; the others are nodata.").format(
            report.pixels_computed, report.pixels_total
        )
    )
    if report.class_areas:
        results.update(_class_area_results(alg, parameters, context, feedback, report, outputs))
    return results


def _class_area_results(alg, parameters, context, feedback, report, outputs):
    summary = {}
    for o in outputs:
        rows = report.class_areas.get(o.key)
        if rows is None:
            continue
        label = alg.parameterDefinition(o.name).description()
        summary[o.name] = []
        if rows and rows[0].area_m2 is None:  # no CRS: pixel counts only (report.warnings says why)
            feedback.pushInfo(alg.tr("Class pixels of '{}' (no CRS: areas left out):").format(label))
        else:
            feedback.pushInfo(alg.tr("Class areas of '{}' (true area on the ellipsoid):").format(label))
        for r in rows:
            area_ha = r.area_m2 / 10_000.0 if r.area_m2 is not None else None
            if area_ha is None:
                feedback.pushInfo(f"  {r.code:>3}  {r.name:<52} {r.pixels:>16,} pixels")
            else:
                feedback.pushInfo(f"  {r.code:>3}  {r.name:<52} {area_ha:>16,.1f} ha  {r.share_pct:6.2f} %")
            summary[o.name].append(
                {
                    "code": r.code,
                    "class": r.name,
                    "pixels": r.pixels,
                    "area_ha": area_ha,
                    "share_pct": r.share_pct,
                }
            )
    return write_class_areas(alg, parameters, context, summary)


def write_class_areas(alg, parameters, context, summary):
    """Results for class areas: ``summary`` (output name -> rows of code, class, count, area_ha, share_pct)
    as CLASS_AREA_SUMMARY for ``qgis_process --json``, and the rows in the CLASS_AREAS table if asked for."""
    results = {"CLASS_AREA_SUMMARY": summary}
    rows = [{"output": name, **row} for name, table in summary.items() for row in table]
    if rows:
        columns = {k: np.array([np.nan if r[k] is None else r[k] for r in rows]) for k in rows[0]}
        dest = vector_io.write_table(alg, parameters, CLASS_AREAS, context, columns)
        if dest:
            results[CLASS_AREAS] = dest
    return results

"""No output may be an input, and a failed run leaves nothing behind: one mechanism for every algorithm.

:class:`algorithms.support.base.CarbonSinkAlgorithm` uses this module three times:

* in ``checkParameterValues`` (the dialog, ``processing.run`` and ``qgis_process`` call it before a run)
  and again in ``prepareAlgorithm`` (called in every run, models included, before ``processAlgorithm``),
  :func:`problem` collects the file of every input of the parameters (raster and vector layers, the
  layers of multiple-layer parameters, GeoPackage ``path|layername=`` sources, file parameters) and of
  every destination (raster destinations, feature sinks — ``ogr:dbname=…`` GeoPackage tables included —
  and file destinations such as HTML reports and model files), and refuses, naming both, an output that
  is an input (same file, or the GeoPackage an input layer is in), two outputs on one file, and an output
  whose folder is a file or read-only; nothing has been opened for writing then;
* around ``processAlgorithm``, a :class:`RunGuard` moves the raster outputs the engine wrote beside their
  destinations into place only when the algorithm returns without error and was not cancelled; on any
  failure it removes them, and removes every destination file that did not exist before the run (e.g. a
  feature sink QGIS created before the failure).
"""

import contextlib
import functools
import os
from dataclasses import dataclass, field

from qgis.core import (
    QgsDataSourceUri,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterVectorDestination,
    QgsProcessingParameterVectorLayer,
    QgsProcessingUtils,
    QgsProperty,
    QgsProviderRegistry,
)
from qgis.PyQt.QtCore import QUrl

from ...core.common import files
from ...core.common.errors import Cancelled
from ...core.engine import raster
from ...core.reports import store


@dataclass(frozen=True)
class FileUse:
    """One file a parameter reads or writes (``layer``: the table or layer inside it, if any)."""

    parameter: str
    label: str
    path: str
    layer: str = ""

    def describe(self, what):
        inside = f", layer '{self.layer}'" if self.layer else ""
        return f"{what} '{self.label}' ({self.parameter}{inside})"


def _text(value, context):
    if isinstance(value, QgsProperty):
        text, _ = value.valueAsString(context.expressionContext(), "")
        return text
    return "" if value is None else str(value)


def _split_source(provider, source):
    """(file path, layer name) of a layer source; the path is empty when it is not a local file."""
    try:
        parts = QgsProviderRegistry.instance().decodeUri(provider, source) if provider else {}
    except Exception:  # noqa: BLE001 - a provider without decodeUri: fall back to the text
        parts = {}
    path = parts.get("path") or ""
    if not path:
        if source.startswith("file:"):
            path = QUrl(source).toLocalFile()
        else:
            path = source.split("|")[0]
    layer = parts.get("layerName") or ""
    return (path if path and os.path.isfile(path) else ""), layer


def _layer_uses(definition, layers):
    uses = []
    for layer in layers:
        if layer is None:
            continue
        path, name = _split_source(layer.providerType(), layer.source())
        if path:
            uses.append(FileUse(definition.name(), definition.description(), path, name))
    return uses


def inputs(alg, parameters, context):
    """The files the input parameters read, as :class:`FileUse` (parameters without a file are skipped)."""
    uses = []
    for d in alg.parameterDefinitions():
        name = d.name()
        if d.isDestination() or parameters.get(name) in (None, ""):
            continue
        try:
            if isinstance(d, QgsProcessingParameterRasterLayer):
                uses += _layer_uses(d, [alg.parameterAsRasterLayer(parameters, name, context)])
            elif isinstance(d, QgsProcessingParameterMultipleLayers):
                uses += _layer_uses(d, alg.parameterAsLayerList(parameters, name, context))
            elif isinstance(d, (QgsProcessingParameterFeatureSource, QgsProcessingParameterVectorLayer)):
                value = parameters.get(name)
                if isinstance(value, QgsProcessingFeatureSourceDefinition):
                    value = value.source
                text = _text(value, context)
                layer = QgsProcessingUtils.mapLayerFromString(text, context) if text else None
                if layer is not None:
                    uses += _layer_uses(d, [layer])
                elif text:
                    path, layer_name = _split_source("ogr", text)
                    if path:
                        uses.append(FileUse(name, d.description(), path, layer_name))
            elif (
                isinstance(d, QgsProcessingParameterFile) and d.behavior() == QgsProcessingParameterFile.File
            ):
                path = alg.parameterAsFile(parameters, name, context)
                if path and os.path.isfile(path):
                    uses.append(FileUse(name, d.description(), path))
                    if _is_report(path) and os.path.isfile(store.data_path(path)):  # read by the study report
                        uses.append(FileUse(name, d.description(), store.data_path(path)))
        except Exception:  # noqa: BLE001 - an unusable value is reported by the algorithm itself
            continue
    return uses


_DESTINATIONS = (
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterVectorDestination,
    QgsProcessingParameterFileDestination,
)


def _destination_file(text):
    """(file path, table) a destination string writes, or ("", "") for temporary, memory and databases."""
    if not text or text == "TEMPORARY_OUTPUT" or text.startswith("memory:"):
        return "", ""
    for prefix in ("ogr:", "spatialite:"):
        if text.startswith(prefix):
            uri = QgsDataSourceUri(text[len(prefix) :])
            return uri.database(), uri.table()
    if "://" in text or text.split(":", 1)[0] in ("postgres", "postgis", "mssql", "oracle", "hana"):
        return "", ""
    path, _, rest = text.partition("|")
    table = ""
    if "layername=" in rest:
        table = rest.split("layername=", 1)[1].split("|", 1)[0]
    return path, table


def destinations(alg, parameters, context):
    """The files the destination parameters will write, as :class:`FileUse`, read without side effects.

    The values are parsed here rather than through ``parameterAsOutputLayer``, which would generate
    temporary names and register layers to load.
    """
    uses = []
    for d in alg.parameterDefinitions():
        if not isinstance(d, _DESTINATIONS):
            continue
        value = parameters.get(d.name(), d.defaultValue())
        if isinstance(value, QgsProcessingOutputLayerDefinition):
            value = value.sink
        path, table = _destination_file(_text(value, context).strip())
        if path:
            uses.append(FileUse(d.name(), d.description(), os.path.abspath(path), table))
            if _is_report(path):  # an HTML report has its data (JSON) beside it
                uses.append(FileUse(d.name(), d.description(), store.data_path(os.path.abspath(path))))
    return uses


def _is_report(path):
    return path.lower().endswith((".html", ".htm"))


def _folder_problem(alg, parameters, context):
    for d in alg.parameterDefinitions():
        if isinstance(d, QgsProcessingParameterFolderDestination):
            text = _text(parameters.get(d.name(), d.defaultValue()), context).strip()
            if text and text != "TEMPORARY_OUTPUT":
                try:
                    files.check_output_folder(
                        text, alg.tr("Output folder '{}' ({})").format(d.description(), d.name())
                    )
                except files.OutputPathError as exc:
                    return str(exc)
    return None


def problem(alg, parameters, context):
    """Why the outputs cannot be written as given (the first reason, in words), or None."""
    folder = _folder_problem(alg, parameters, context)
    if folder:
        return folder
    ins = inputs(alg, parameters, context)
    outs = destinations(alg, parameters, context)
    for i, out in enumerate(outs):
        for source in ins:
            if files.same_file(out.path, source.path):
                if out.path.lower().endswith((".gpkg", ".sqlite")) or source.layer:
                    return alg.tr(
                        "{} would be written into {}, the file that holds {}. Writing there can replace "
                        "the input. Save the output in another file."
                    ).format(out.describe(alg.tr("Output")), out.path, source.describe(alg.tr("input")))
                return alg.tr(
                    "{} is the file {}, which is also {}: the run would destroy its own input. Choose "
                    "another output file."
                ).format(out.describe(alg.tr("Output")), out.path, source.describe(alg.tr("input")))
        for other in outs[:i]:
            if files.same_file(out.path, other.path) and (
                not out.layer or not other.layer or out.layer == other.layer
            ):
                return alg.tr("{} and {} are the same file ({}); give each output its own file.").format(
                    out.describe(alg.tr("Output")), other.describe(alg.tr("output")), out.path
                )
        try:
            files.check_output_path(out.path, out.describe(alg.tr("Output")))
        except files.OutputPathError as exc:
            return str(exc)
    return None


_SIDECARS = (".aux.xml", ".qml", "-wal", "-shm", "-journal")
_SHAPEFILE_PARTS = (".shx", ".dbf", ".prj", ".cpg", ".qpj", ".qix", ".sbn", ".sbx")


def _created_by_a_run(path):
    """The files a run may create for destination ``path``: itself and its sidecars."""
    stem = os.path.splitext(path)[0]
    names = [path, *(path + s for s in _SIDECARS), stem + ".qml"]
    if path.lower().endswith(".shp"):
        names += [stem + ext for ext in _SHAPEFILE_PARTS]
    return names


@dataclass
class RunGuard:
    """What one run must clean up or move into place at its end."""

    new_files: list = field(default_factory=list)  # files absent before the run that it may create
    pending: list = field(default_factory=list)  # core.engine.raster.OutputSpec written beside their paths

    @classmethod
    def start(cls, alg, parameters, context):
        """Note which destination files (and sidecars) do not exist yet: those a failure removes."""
        absent = []
        for use in destinations(alg, parameters, context):
            if not os.path.exists(use.path):
                absent += [p for p in _created_by_a_run(use.path) if not os.path.exists(p)]
        return cls(absent)

    def hold(self, specs):
        """Keep engine outputs (written at ``spec.tmp_path``) until the run ends."""
        self.pending.extend(specs)

    def commit(self):
        """The run succeeded: move the held outputs into place."""
        pending, self.pending = self.pending, []
        try:
            for spec in pending:
                raster.commit_output(spec)
        except BaseException:
            for spec in pending:
                raster.discard_output(spec)  # a no-op for those already in place
            raise
        self.new_files.clear()

    def rollback(self):
        """The run failed or was cancelled: remove the held outputs and every file the run created."""
        for spec in self.pending:
            raster.discard_output(spec)
        self.pending.clear()
        for path in self.new_files:
            with contextlib.suppress(OSError):
                if os.path.isfile(path):
                    os.remove(path)
        self.new_files.clear()


def guarded(process):
    """Wrap ``processAlgorithm``: outputs move into place only if it returns and was not cancelled.

    Any failure rolls the run back (:meth:`RunGuard.rollback`) and propagates; the base class
    (``base.user_errors``) turns it into a message. A run whose feedback was cancelled ends in
    :class:`core.common.errors.Cancelled` even if the algorithm returned.
    """

    @functools.wraps(process)
    def processAlgorithm(alg, parameters, context, feedback):  # noqa: N802 - QGIS API
        guard = getattr(alg, "io_guard", None)
        if guard is None:
            guard = alg.io_guard = RunGuard.start(alg, parameters, context)
        try:
            results = process(alg, parameters, context, feedback)
            if feedback is not None and feedback.isCanceled():
                raise Cancelled()
            guard.commit()
            return results
        except BaseException:
            guard.rollback()
            raise

    return processAlgorithm

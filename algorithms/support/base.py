"""What every algorithm of the provider shares: identity, help layout, icon, dependencies, and the one
wrapper of ``processAlgorithm`` (the I/O guard inside :func:`user_errors`, the one error mapping)."""

import functools
import os
import time

from qgis.core import QgsProcessingAlgorithm, QgsProcessingException, QgsProcessingParameterDefinition
from qgis.PyQt.QtCore import QCoreApplication, QUrl
from qgis.PyQt.QtGui import QIcon

from ...core.common.errors import Cancelled
from . import (
    dependencies,
    help_text,
    io_guard,
    translation,  # noqa: F401 - the core's texts follow the application's translators
)

_PLUGIN_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_ICON = os.path.join(_PLUGIN_DIR, "icons", "icon.svg")
# The algorithms' reference shipped in the plugin (scripts/build_docs.py), one anchor per algorithm id: a
# file URL works offline and before the repository is public; QGIS opens it in the browser.
DOCS_PAGE = os.path.join(_PLUGIN_DIR, "docs", "algorithms.html")
_CANCELLED = "Cancelled by the user; no output was written and existing files were left as they were."

# The toolbox sorts groups by their (translated) name, so the names carry the workflow order.
GROUPS = {
    "preparation": "1 · Data preparation",
    "carbonmodel": "2 · Carbon density model",
    "trends": "3 · Trends and persistence",
    "drivers": "4 · Climate and land-use drivers",
    "spatial": "5 · Spatial pattern",
    "zoning": "6 · Diagnostic zoning",
    "study": "7 · Whole study and report",
    "cluster": "8 · Beyond one machine",
    "demo": "9 · Demo data",
}


def advanced(param):
    """``param`` flagged as advanced (shown under "Advanced parameters" in the dialog)."""
    param.setFlags(param.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
    return param


def user_errors(process):
    """Wrap ``processAlgorithm`` so that the user's mistakes reach the user as a message, not a traceback.

    Mapped to ``QgsProcessingException``: ``ValueError`` and its subclasses (the core's way of saying an
    input is unusable: ``RasterInputError``, ``OutputPathError``, ``RuleTableError`` …; the message names
    the layer or parameter and is passed on as it is), :class:`~core.common.errors.Cancelled` (the run
    says it was cancelled) and ``OSError`` (a file that cannot be read or written, named). Everything
    else — ``TypeError``, ``AttributeError``, ``KeyError``, ``IndexError``, GDAL's ``RuntimeError`` … — is
    a programming error and keeps its traceback; a ``QgsProcessingException`` raised by the algorithm
    passes unchanged.
    """

    @functools.wraps(process)
    def processAlgorithm(alg, parameters, context, feedback):  # noqa: N802 - QGIS API
        try:
            return process(alg, parameters, context, feedback)
        except Cancelled as exc:
            raise QgsProcessingException(alg.tr(_CANCELLED)) from exc
        except ValueError as exc:
            raise QgsProcessingException(str(exc)) from exc
        except OSError as exc:
            what = exc.strerror or str(exc)
            raise QgsProcessingException(
                alg.tr("{}: {}: {}").format(alg.displayName(), exc.filename, what) if exc.filename else what
            ) from exc

    processAlgorithm.wrapped = True
    return processAlgorithm


@functools.cache
def _contexts(cls):
    """The translation contexts of an algorithm class, most specific first (see ``tr``)."""
    return tuple(c.__name__ for c in cls.__mro__ if issubclass(c, CarbonSinkAlgorithm)) + ("alg",)


class CarbonSinkAlgorithm(QgsProcessingAlgorithm):
    """Base of the provider's algorithms.

    Leaf classes set ``NAME`` (the id, lowercase ASCII), ``DISPLAY_NAME``, ``GROUP_ID``, ``HELP`` (plain
    text, :mod:`.help_text`: what the tool computes, formula, classes, defaults, references), ``TAGS``
    (comma-separated search words of the toolbox) and ``REQUIRES`` (import names of the Python packages
    they need beyond numpy and GDAL), then declare parameters and call one core function.
    """

    NAME = ""
    DISPLAY_NAME = ""
    GROUP_ID = ""
    HELP = ""
    TAGS = ""
    REQUIRES = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        process = cls.__dict__.get("processAlgorithm")
        if process is not None and not getattr(process, "wrapped", False):
            cls.processAlgorithm = user_errors(io_guard.guarded(process))

    def createInstance(self):  # noqa: N802 - QGIS API
        return type(self)()

    def tr(self, text):
        # pylupdate5 files a text under the class whose code holds the tr(): the leaf class, a base class
        # (CarbonSinkAlgorithm) or, for the alg.tr(...) of the support modules' functions, "alg".
        for context in _contexts(type(self)):
            found = QCoreApplication.translate(context, text)
            if found != text:
                return found
        return text

    def name(self):
        return self.NAME

    def displayName(self):  # noqa: N802
        return self.tr(self.DISPLAY_NAME)

    def group(self):
        return self.tr(GROUPS[self.GROUP_ID])

    def groupId(self):  # noqa: N802
        return self.GROUP_ID

    def tags(self):
        return [t.strip() for t in self.tr(self.TAGS).split(",") if t.strip()]

    def shortHelpString(self):  # noqa: N802
        return help_text.plain(self.tr(self.HELP))

    def helpUrl(self):  # noqa: N802
        return QUrl.fromLocalFile(DOCS_PAGE).toString() + "#" + self.NAME

    def icon(self):
        return QIcon(_ICON)

    def canExecute(self):  # noqa: N802
        missing = dependencies.missing(self.REQUIRES)
        if missing:
            return False, self.tr(
                "This algorithm needs the Python package(s) {}, which QGIS's Python cannot import. {}"
            ).format(", ".join(missing), dependencies.install_hint(missing))
        return True, ""

    def checkParameterValues(self, parameters, context):  # noqa: N802 - QGIS API
        ok, message = super().checkParameterValues(parameters, context)
        if ok:
            message = io_guard.problem(self, parameters, context)
            ok = message is None
        return ok, message or ""

    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API
        # qgis_process and scripts do not ask canExecute; models and scripts may skip checkParameterValues.
        ok, message = self.canExecute()
        message = message if not ok else io_guard.problem(self, parameters, context)
        if message:
            raise QgsProcessingException(message)
        self.io_guard = io_guard.RunGuard.start(self, parameters, context)
        self._started = time.perf_counter()
        return True

    def postProcessAlgorithm(self, context, feedback):  # noqa: N802 - QGIS API
        # One line per step with its wall time, so a model run shows which step is slowest.
        if getattr(self, "_started", None) is not None:
            seconds = time.perf_counter() - self._started
            feedback.pushInfo(self.tr("{}: finished in {:.1f} s").format(self.displayName(), seconds))
        return {}

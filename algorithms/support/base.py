"""What every algorithm of the provider shares: identity, help layout, icon, dependency check."""

import importlib.util
import os
import re
import time

from qgis.core import QgsProcessingAlgorithm, QgsProcessingException
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from . import io_guard

_PLUGIN_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_ICON = os.path.join(_PLUGIN_DIR, "icons", "icon.svg")
_HELP_URL = "https://github.com/carbon-sink-diagnostics/carbon-sink-diagnostics#algorithms"

GROUPS = {
    "demo": "Demo data",
    "preparation": "Data preparation",
    "carbonmodel": "Carbon density model",
    "trends": "Trends and persistence",
    "drivers": "Climate and land-use drivers",
    "spatial": "Spatial pattern",
    "zoning": "Diagnostic zoning",
}

# Import name -> (pip name, Debian package) for the packages an algorithm may need.
PACKAGES = {
    "scipy": ("scipy", "python3-scipy"),
    "sklearn": ("scikit-learn", "python3-sklearn"),
    "esda": ("esda", None),
    "libpysal": ("libpysal", None),
}


def missing_packages(names):
    return [n for n in names if importlib.util.find_spec(n) is None]


def install_hint(names):
    pips = " ".join(PACKAGES.get(n, (n, None))[0] for n in names)
    debs = " ".join(d for d in (PACKAGES.get(n, (n, None))[1] for n in names) if d)
    hint = (
        f"Install into QGIS's Python: on Windows, in the OSGeo4W Shell, 'python -m pip install {pips}'; "
        f"on macOS, '/Applications/QGIS.app/Contents/MacOS/bin/python3 -m pip install {pips}'"
    )
    if debs:
        hint += f"; on Debian/Ubuntu, 'sudo apt install {debs}'"
    else:
        hint += f"; on Debian/Ubuntu, 'python3 -m pip install --user {pips}'"
    return hint + ". Then restart QGIS."


class CarbonSinkAlgorithm(QgsProcessingAlgorithm):
    """Base of the provider's algorithms.

    Leaf classes set ``NAME`` (the id, lowercase ASCII), ``DISPLAY_NAME``, ``GROUP_ID``, ``HELP`` (HTML:
    what the tool computes, formula, classes, references) and ``REQUIRES`` (import names of the Python
    packages they need beyond numpy and GDAL), then declare parameters and call one core function.
    """

    NAME = ""
    DISPLAY_NAME = ""
    GROUP_ID = ""
    HELP = ""
    REQUIRES = ()

    def __init__(self):
        super().__init__()
        # Style post-processors must outlive processAlgorithm (QGIS calls them after the run).
        self.post_processors = []

    def createInstance(self):  # noqa: N802 - QGIS API
        return type(self)()

    def tr(self, text):
        return QCoreApplication.translate(type(self).__name__, text)

    def name(self):
        return self.NAME

    def displayName(self):  # noqa: N802
        return self.tr(self.DISPLAY_NAME)

    def group(self):
        return self.tr(GROUPS[self.GROUP_ID])

    def groupId(self):  # noqa: N802
        return self.GROUP_ID

    def shortHelpString(self):  # noqa: N802
        # The help panel turns line breaks into <br>; the HTML carries its own paragraphs.
        return re.sub(r"\s*\n\s*", " ", self.tr(self.HELP)).strip()

    def helpUrl(self):  # noqa: N802
        return _HELP_URL

    def icon(self):
        return QIcon(_ICON)

    def canExecute(self):  # noqa: N802
        missing = missing_packages(self.REQUIRES)
        if missing:
            return False, self.tr(
                f"This algorithm needs the Python package(s) {', '.join(missing)}, which QGIS's Python "
                f"cannot import. {install_hint(missing)}"
            )
        return True, ""

    def __init_subclass__(cls, **kwargs):
        # Every run of every algorithm goes through the I/O guard (see algorithms/support/io_guard.py).
        super().__init_subclass__(**kwargs)
        process = cls.__dict__.get("processAlgorithm")
        if process is not None and not getattr(process, "_guarded", False):
            cls.processAlgorithm = io_guard.guarded(process)

    def checkParameterValues(self, parameters, context):  # noqa: N802 - QGIS API
        ok, message = super().checkParameterValues(parameters, context)
        if ok:
            message = io_guard.problem(self, parameters, context)
            ok = message is None
        return ok, message or ""

    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API
        # Again here: models and scripts that skip checkParameterValues still pass through prepare.
        message = io_guard.problem(self, parameters, context)
        if message:
            raise QgsProcessingException(message)
        self.io_guard = io_guard.RunGuard.start(self, parameters, context)
        self._started = time.perf_counter()
        return True

    def postProcessAlgorithm(self, context, feedback):  # noqa: N802 - QGIS API
        # One line per step with its wall time, so a model run shows which step is slowest.
        if getattr(self, "_started", None) is not None:
            feedback.pushInfo(
                self.tr(f"{self.displayName()}: finished in {time.perf_counter() - self._started:.1f} s")
            )
        return {}

    def require_packages(self):
        """Raise a clear error when a needed package is missing (qgis_process does not ask canExecute)."""
        ok, message = self.canExecute()
        if not ok:
            raise QgsProcessingException(message)

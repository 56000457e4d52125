"""A headless QGIS application with Processing and this plugin's provider, for processing.run tests."""

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = ROOT / "build" / "plugins"


def _plugin_package():
    """The checkout as the package 'carbon_sink_diagnostics', as QGIS imports it."""
    PLUGINS.mkdir(parents=True, exist_ok=True)
    link = PLUGINS / "carbon_sink_diagnostics"
    if not link.exists():
        link.symlink_to(ROOT)
    if str(PLUGINS) not in sys.path:
        sys.path.insert(0, str(PLUGINS))


@pytest.fixture(scope="session")
def qgis_app(tmp_path_factory):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["HOME"] = str(tmp_path_factory.mktemp("qgis-home"))  # throwaway profile
    from qgis.core import QgsApplication

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    sys.path.insert(0, "/usr/share/qgis/python/plugins")
    from processing.core.Processing import Processing

    Processing.initialize()
    _plugin_package()
    from carbon_sink_diagnostics.provider import CarbonSinkProvider

    provider = CarbonSinkProvider()
    assert QgsApplication.processingRegistry().addProvider(provider)
    yield app
    QgsApplication.processingRegistry().removeProvider(provider)
    # Without it QGIS 3.40 (Debian 13) segfaults in 1 of 2 runs after the last test, in its static
    # destructors once Python has finalised, and pytest's exit status becomes 139.
    app.exitQgis()


@pytest.fixture
def run_alg(qgis_app):
    """processing.run with a fresh context; returns the results dict."""
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    def _run(alg_id, params, feedback=None):
        context = QgsProcessingContext()
        return processing.run(alg_id, params, context=context, feedback=feedback or QgsProcessingFeedback())

    return _run


@pytest.fixture
def feedback(qgis_app):
    """A feedback that keeps the messages, so tests can read the errors and the log."""
    from qgis.core import QgsProcessingFeedback

    class Recorder(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.errors, self.warnings, self.infos, self.progress = [], [], [], []
            self.progressChanged.connect(self.progress.append)

        def reportError(self, error, fatalError=False):  # noqa: N802, N803 - QGIS API
            self.errors.append(error)

        def pushWarning(self, warning):  # noqa: N802 - QGIS API
            self.warnings.append(warning)

        def pushInfo(self, info):  # noqa: N802
            self.infos.append(info)

    return Recorder()

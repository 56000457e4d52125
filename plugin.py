"""Plugin entry point: installs the translation of QGIS's interface language, registers the Processing
provider; no GUI of its own."""

from qgis.core import QgsApplication


class CarbonSinkPlugin:
    def __init__(self, iface):
        from .algorithms.support import translation

        self.iface = iface
        self.provider = None
        # Before the provider and its algorithms exist, so their names, groups and help are translated.
        self.translator = translation.install()

    def initProcessing(self):  # noqa: N802 - QGIS calls it by this name (also from qgis_process)
        from .provider import CarbonSinkProvider

        if self.provider is None:
            self.provider = CarbonSinkProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        self.initProcessing()

    def unload(self):
        from .algorithms.support import translation

        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        translation.uninstall(self.translator)
        self.translator = None

"""Plugin entry point: registers the Processing provider; no GUI of its own."""

from qgis.core import QgsApplication


class CarbonSinkPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None

    def initProcessing(self):  # noqa: N802 - QGIS calls it by this name (also from qgis_process)
        from .provider import CarbonSinkProvider

        if self.provider is None:
            self.provider = CarbonSinkProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        self.initProcessing()

    def unload(self):
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None

"""Carbon Sink Diagnostics: a QGIS Processing plugin for ecosystem carbon-sink analysis."""


def classFactory(iface):  # noqa: N802 - name fixed by QGIS
    from .plugin import CarbonSinkPlugin

    return CarbonSinkPlugin(iface)

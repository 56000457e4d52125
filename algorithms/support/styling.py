"""Outputs load styled: the one post-processor that styles a layer when QGIS loads it after a run.

Raster outputs get the QML written beside their GeoTIFF (:func:`qml_file`); vector outputs a renderer built
for the loaded layer (:func:`categorized`). :func:`style_on_load` attaches either to an output, and only
when the run will load that output (``context.willLoadLayerOnCompletion``).
"""

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsProcessingLayerPostProcessorInterface,
    QgsRendererCategory,
    QgsSymbol,
)
from qgis.PyQt.QtGui import QColor

# QgsProcessingAlgorithm.run() executes a copy of the algorithm and deletes it before the caller loads
# the outputs (processing.runAndLoadResults, models), so a post-processor held only by the algorithm
# instance would be gone by then. Each one is kept here until it has styled its layer.
_PENDING = set()


class StyleOnLoad(QgsProcessingLayerPostProcessorInterface):
    """Calls ``apply(layer)`` on the output layer QGIS loads, then repaints it."""

    def __init__(self, apply):
        super().__init__()
        self.apply = apply
        _PENDING.add(self)

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 - QGIS API
        if layer is not None and layer.isValid():
            self.apply(layer)
            layer.triggerRepaint()
        _PENDING.discard(self)


def style_on_load(context, destination, apply):
    """Style the output ``destination`` with ``apply(layer)`` when the run loads it; False if it will not."""
    if not context.willLoadLayerOnCompletion(destination):
        return False
    context.layerToLoadOnCompletionDetails(destination).setPostProcessor(StyleOnLoad(apply))
    return True


def qml_file(path):
    """A style step: load the QML file ``path`` (a raster's sidecar ``name.qml``)."""

    def apply(layer):
        layer.loadNamedStyle(path)

    return apply


def categorized(field_name, scheme):
    """A style step: a categorized renderer on ``field_name`` with the classes of ``scheme``."""

    def apply(layer):
        layer.setRenderer(categorized_renderer(layer.geometryType(), field_name, scheme))

    return apply


def categorized_renderer(geometry_type, field_name, scheme):
    """A categorized renderer with one category (colour, legend label) per class of ``scheme``."""
    categories = []
    for c in scheme.classes:
        symbol = QgsSymbol.defaultSymbol(geometry_type)
        symbol.setColor(QColor(c.color))
        categories.append(QgsRendererCategory(c.code, symbol, c.name))
    symbol = QgsSymbol.defaultSymbol(geometry_type)
    symbol.setColor(QColor("#ffffff"))
    categories.append(QgsRendererCategory(None, symbol, "No data"))
    return QgsCategorizedSymbolRenderer(field_name, categories)

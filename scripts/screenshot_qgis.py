"""Run by QGIS desktop (``qgis --code``) from scripts/screenshot.sh: set the window up and save a picture.

The Processing toolbox opens on the carbonsink provider with every group expanded; a trend class computed
from the synthetic demo region loads with the style the algorithm writes; once the map is drawn the main
window is grabbed into $CSD_SCREENSHOT and QGIS is left at once (a throwaway profile: nothing to save).
Parameter names are taken from the algorithms' definitions where they may still change.

$CSD_SCREENSHOT_LOCALE (default en_US; scripts/screenshot.sh sets it from SCREENSHOT_LOCALE) is the locale of
the interface. In another language than English the picture shows what a user of that language sees: the
toolbox, the dialog of the trend algorithm with its help, and the trend class drawn with its legend, and the
whole screen is grabbed (the dialog is a window of its own).
"""

import os
import sys
import traceback

from qgis.core import (
    QgsApplication,
    QgsProcessingParameterFolderDestination,
    QgsProject,
    QgsRasterLayer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import QAbstractItemView, QDockWidget
from qgis.utils import iface, plugins

PROVIDER = "carbonsink"
scroll_toolbox = expand_legend = None  # set by setup(), called just before the picture
OUTPUT = os.environ["CSD_SCREENSHOT"]
DATA = os.environ["CSD_SCREENSHOT_DATA"]
WIDTH, HEIGHT = (int(v) for v in os.environ.get("CSD_SCREENSHOT_SIZE", "1280x800").split("x"))
LOCALE = os.environ.get("CSD_SCREENSHOT_LOCALE", "en_US")
ENGLISH = LOCALE.startswith("en")
# The layers' names (given by this script, not by the plugin) in the interface's language.
LAYER_NAMES = {
    "en": ("NPP trend class (Sen + Mann–Kendall)", "NPP Sen slope (g C/m²/a per year)", "Survey plots"),
    "zh": ("NPP 趋势分类（Sen + Mann–Kendall）", "NPP Sen 斜率（g C/m²/a）", "调查样地"),
}
dialog = None  # the algorithm dialog shown in a language other than English


def fail(message):
    sys.stderr.write(f"screenshot: {message}\n")
    sys.stderr.flush()
    os._exit(1)


def make_layers():
    """The demo region's NPP stack through Sen + Mann–Kendall: the slope, trend class and survey plots."""
    import processing

    registry = QgsApplication.processingRegistry()
    demo = registry.algorithmById(f"{PROVIDER}:createdemoregion")
    folder_param = next(
        p.name()
        for p in demo.parameterDefinitions()
        if isinstance(p, QgsProcessingParameterFolderDestination)
    )
    region = os.path.join(DATA, "region")
    done = processing.run(demo, {folder_param: region})
    npp = done.get("NPP") or os.path.join(region, "NPP.tif")
    slope = os.path.join(DATA, "npp_slope.tif")
    trend_class = os.path.join(DATA, "npp_trend_class.tif")
    processing.run(f"{PROVIDER}:senmannkendall", {"INPUT": npp, "SLOPE": slope, "TREND_CLASS": trend_class})
    plots = done.get("PLOTS") or os.path.join(region, "plots.gpkg")
    return slope, trend_class, plots


def open_toolbox():
    toolbox = plugins["processing"].toolbox
    toolbox.setVisible(True)
    toolbox.raise_()
    tree = toolbox.algorithmTree
    proxy = tree.model()
    name = QgsApplication.processingRegistry().providerById(PROVIDER).name()
    top = [proxy.index(row, 0) for row in range(proxy.rowCount())]
    provider_index = next((i for i in top if proxy.data(i) == name), None)
    if provider_index is None:
        fail(f"{name} is not in the toolbox: {[proxy.data(i) for i in top]}")
    tree.collapseAll()
    tree.expand(provider_index)
    for row in range(proxy.rowCount(provider_index)):
        tree.expand(proxy.index(row, 0, provider_index))
    return toolbox, lambda: tree.scrollTo(provider_index, QAbstractItemView.ScrollHint.PositionAtTop)


def setup():
    window = iface.mainWindow()
    window.setGeometry(0, 0, WIDTH, HEIGHT)
    # Only the layers panel on the left and the toolbox on the right: the browser would take half the room.
    for dock in window.findChildren(QDockWidget):
        if dock.objectName() not in ("Layers", "ProcessingToolbox"):
            dock.hide()
    global scroll_toolbox
    toolbox, scroll_toolbox = open_toolbox()
    window.resizeDocks([toolbox], [int(WIDTH * 0.36)], 0x1)  # Qt.Horizontal
    slope, trend_class, plots = make_layers()
    names = LAYER_NAMES.get(LOCALE[:2], LAYER_NAMES["en"])
    layers = [
        QgsRasterLayer(trend_class, names[0]),
        QgsRasterLayer(slope, names[1]),
        QgsVectorLayer(plots, names[2], "ogr"),
    ]
    for layer in layers:
        if not layer.isValid():
            fail(f"{layer.source()} did not load")
        QgsProject.instance().addMapLayer(layer)
    layers[2].renderer().symbol().setColor(
        QColor(45, 45, 45)
    )  # not a random colour: the same picture each run
    iface.layerTreeView().refreshLayerSymbology(layers[2].id())
    trend_node, slope_node = (QgsProject.instance().layerTreeRoot().findLayer(x) for x in layers[:2])
    # English: the slope is drawn and the trend class listed; another language: the trend class is drawn,
    # its legend (class names) in that language.
    shown, hidden = (slope_node, trend_node) if ENGLISH else (trend_node, slope_node)
    hidden.setItemVisibilityChecked(False)
    global expand_legend
    view = iface.layerTreeView()
    expand_legend = lambda: view.setExpanded(view.node2index(shown), True)  # noqa: E731
    layer = layers[1] if ENGLISH else layers[0]
    if not ENGLISH:
        open_dialog()
    iface.setActiveLayer(layer)
    canvas = iface.mapCanvas()
    canvas.setExtent(layer.extent())
    if dialog is None:
        canvas.mapCanvasRefreshed.connect(lambda: QTimer.singleShot(1500, grab))
    else:  # once the window has its size: the map in the upper part of the canvas, above the dialog
        canvas.mapCanvasRefreshed.connect(
            lambda: QTimer.singleShot(1500, lambda: above_dialog(canvas, layer))
        )
    canvas.refresh()


def above_dialog(canvas, layer):
    if getattr(canvas, "csd_moved", False):
        return
    canvas.csd_moved = True
    extent = layer.extent()
    extent.setYMinimum(extent.yMinimum() - 1.2 * extent.height())
    canvas.setExtent(extent)
    canvas.mapCanvasRefreshed.connect(lambda: QTimer.singleShot(1500, grab))
    canvas.refresh()


def open_dialog():
    """The dialog of the trend algorithm with its help panel, over the lower part of the map."""
    import processing

    global dialog
    dialog = processing.createAlgorithmDialog(f"{PROVIDER}:senmannkendall")
    width, height = int(WIDTH * 0.5), int(HEIGHT * 0.58)
    dialog.setGeometry(int(WIDTH * 0.14), HEIGHT - height - 40, width, height)
    dialog.show()


def grab():
    try:
        scroll_toolbox()  # once the layout is done
        expand_legend()
        if dialog is not None:
            dialog.raise_()
        QgsApplication.processEvents()
        if dialog is None:
            picture = iface.mainWindow().grab()
        else:  # the main window and the dialog, as on the screen
            picture = QgsApplication.primaryScreen().grabWindow(0, 0, 0, WIDTH, HEIGHT)
        if not picture.save(OUTPUT, "PNG"):
            fail(f"could not write {OUTPUT}")
    except Exception:
        fail(traceback.format_exc())
    os._exit(0)


def start():
    try:
        setup()
    except Exception:
        fail(traceback.format_exc())


QTimer.singleShot(3000, start)
QTimer.singleShot(600_000, lambda: fail("the map was not drawn within 10 minutes"))

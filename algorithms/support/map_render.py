"""Maps of the plugin's rasters rendered by QGIS for the study report.

Each map is a one-page print layout (:class:`QgsPrintLayout`) holding the map, its legend, a scale bar
and a north arrow, exported to a PNG with :meth:`QgsLayoutExporter.renderPageToImage` — the legend and
the scale bar are QGIS's own, drawn from the layer's style. The style is the one given, else the ``.qml``
beside the raster (every raster the plugin writes has one), else a pseudocolor ramp over the band's
2nd–98th percentile when a ramp is named (the study report passes a palette of the classes for class
rasters that come without a style).

Everything here is created in the calling thread (a private :class:`QgsProject`, fresh layers read from
the files), so it runs in a Processing worker thread and headless (``QT_QPA_PLATFORM=offscreen``).
"""

from __future__ import annotations

import dataclasses
import math
import os
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from qgis.core import (
    QgsApplication,
    QgsBasicNumericFormat,
    QgsColorRampLegendNodeSettings,
    QgsColorRampShader,
    QgsCoordinateTransformContext,
    QgsDistanceArea,
    QgsLayoutExporter,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLegendRenderer,
    QgsLegendStyle,
    QgsMapLayerLegendUtils,
    QgsNumericFormatContext,
    QgsPointXY,
    QgsPrintLayout,
    QgsProject,
    QgsRasterLayer,
    QgsRasterShader,
    QgsSingleBandPseudoColorRenderer,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import QBuffer, QByteArray, QIODevice, QSizeF, Qt
from qgis.PyQt.QtGui import QColor, QFont

from ...core.common import style
from .compat import legend_font, set_legend_font

MM = QgsUnitTypes.LayoutMillimeters
MAP_MAX_MM = 125.0  # longer side of the map frame
MAP_MIN_MM = 45.0  # shorter side, however elongated the raster
MARGIN_MM = 4.0
SCALEBAR_MM = 14.0  # room under the map for the scale bar and the north arrow
SEGMENT_MIN_MM = 16.0  # shortest scale-bar segment
RAMP_MM = (5.0, 40.0)  # width, height of a continuous legend ramp
_NORTH_ARROW = "arrows/NorthArrow_02.svg"


class MapRenderError(RuntimeError):
    """A raster could not be read or drawn; the message names the file."""


@dataclass(frozen=True)
class RenderedMap:
    """A map as a PNG, with what its legend and scale bar say (for alt text and captions)."""

    png: bytes
    width_px: int
    height_px: int
    width_mm: float
    height_mm: float
    legend_title: str
    legend_labels: tuple[str, ...]
    scale_label: str
    style_source: str
    continuous: bool  # a colour ramp (legend_labels are its two ends), not classes
    extra_labels: tuple[str, ...] = ()  # legend entries of the layer under the map (not computed)


# ------------------------------------------------------------------------------------------------ styles
def sidecar_qml(path):
    """The ``.qml`` beside ``path`` (``name.tif`` -> ``name.qml``), or None."""
    qml = os.path.splitext(path)[0] + ".qml"
    return qml if os.path.isfile(qml) else None


def qml_for_band(qml_text, band):
    """The QML with its raster renderer reading ``band`` (a style saved for band 1 of a stack)."""
    if band == 1:
        return qml_text
    try:
        root = ET.fromstring(qml_text.split("\n", 1)[1] if qml_text.startswith("<!DOCTYPE") else qml_text)
    except ET.ParseError:
        return qml_text
    renderer = root.find("./pipe/rasterrenderer")
    if renderer is None or "band" not in renderer.attrib:
        return qml_text
    renderer.set("band", str(band))
    return ET.tostring(root, encoding="unicode")


def percentile_range(layer, band):
    """2nd and 98th percentile of ``band`` from a sample of about 250 000 pixels (QGIS's cumulative cut)."""
    lo, hi = layer.dataProvider().cumulativeCut(band, 0.02, 0.98, layer.extent(), 250_000)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return 0.0, 1.0
    return lo, hi


def band_range(path, band):
    """:func:`percentile_range` of a band of a raster file."""
    layer = QgsRasterLayer(path, "range", "gdal")
    if not layer.isValid():
        raise MapRenderError(f"cannot open '{path}' as a raster")
    return percentile_range(layer, band)


def continuous_qml(layer, band, ramp, symmetric=False, center=None):
    """A pseudocolor QML over the 2nd–98th percentile of a sample of ``band`` (~250 000 pixels).

    ``symmetric`` centres the ramp on 0 (signed rates), ``center`` on that value (Hurst: 0.5).
    """
    lo, hi = percentile_range(layer, band)
    mid = 0.0 if symmetric else center
    if mid is not None:
        half = max(abs(lo - mid), abs(hi - mid)) or 1.0
        lo, hi = mid - half, mid + half
    return style.pseudocolor_qml(lo, hi, ramp)


# ------------------------------------------------------------------------------------------------ layout
def _nice_up(value):
    """The smallest 1, 2 or 5 × 10^k not below ``value``."""
    if not value > 0:
        return 1.0
    mag = 10.0 ** math.floor(math.log10(value))
    for m in (1.0, 2.0, 5.0, 10.0):
        if m * mag >= value * (1 - 1e-9):
            return m * mag
    return 10.0 * mag


def _map_width_m(layer, extent):
    """Ground width of the map in metres, across its middle (ellipsoidal on a geographic CRS)."""
    crs = layer.crs()
    if crs.isValid() and crs.isGeographic():
        da = QgsDistanceArea()
        da.setSourceCrs(crs, QgsCoordinateTransformContext())
        da.setEllipsoid(crs.ellipsoidAcronym() or "EPSG:7030")
        y = extent.center().y()
        return da.measureLine(QgsPointXY(extent.xMinimum(), y), QgsPointXY(extent.xMaximum(), y))
    unit = crs.mapUnits() if crs.isValid() else QgsUnitTypes.DistanceMeters
    if unit == QgsUnitTypes.DistanceUnknownUnit:
        unit = QgsUnitTypes.DistanceMeters
    return extent.width() * QgsUnitTypes.fromUnitToUnitFactor(unit, QgsUnitTypes.DistanceMeters)


def _north_arrow_path():
    for folder in QgsApplication.svgPaths():
        path = os.path.join(folder, _NORTH_ARROW)
        if os.path.isfile(path):
            return path
    return None


def _legend_labels(legend, node):
    model = legend.model()
    labels = []
    for n in model.layerLegendNodes(node):
        text = n.data(Qt.ItemDataRole.DisplayRole)
        if text:
            labels.append(str(text))
    return labels


def _drop_band_name(legend, node, layer):
    """Keep only the class/value entries: QGIS puts the band name ('Band 1 (Gray)') first."""
    model = legend.model()
    nodes = model.layerLegendNodes(node)
    band_names = {layer.bandName(b) for b in range(1, layer.bandCount() + 1)} | {
        layer.dataProvider().displayBandName(b) for b in range(1, layer.bandCount() + 1)
    }
    keep = [i for i, n in enumerate(nodes) if n.data(Qt.ItemDataRole.DisplayRole) not in band_names]
    if len(keep) < len(nodes):
        QgsMapLayerLegendUtils.setLegendNodeOrder(node, keep)
        model.refreshLayerLegend(node)


def _style_ramp_legend(legend, node, layer):
    """A continuous ramp legend long enough to read, with 3 significant digits; returns its end labels."""
    renderer = layer.renderer()
    if renderer is None or renderer.type() != "singlebandpseudocolor":
        return ()
    shader = renderer.shader().rasterShaderFunction()
    settings = QgsColorRampLegendNodeSettings(shader.legendSettings())
    number = QgsBasicNumericFormat()
    number.setRoundingType(QgsBasicNumericFormat.SignificantFigures)
    number.setNumberDecimalPlaces(3)
    number.setShowTrailingZeros(False)
    settings.setNumericFormat(number)
    shader.setLegendSettings(settings)
    legend.model().refreshLayerLegend(node)
    for index, _ in enumerate(legend.model().layerLegendNodes(node)):
        QgsMapLayerLegendUtils.setLegendNodeSymbolSize(node, index, QSizeF(*RAMP_MM))
    legend.model().refreshLayerLegend(node)
    if not settings.useContinuousLegend():
        return ()
    context = QgsNumericFormatContext()
    low, high = shader.minimumValue(), shader.maximumValue()
    return (
        settings.minimumLabel() or number.formatDouble(low, context),
        settings.maximumLabel() or number.formatDouble(high, context),
    )


def render_raster(
    path,
    legend_title,
    band=1,
    qml_text=None,
    ramp=None,
    symmetric=False,
    center=None,
    dpi=150,
    layer_name=None,
    not_computed=None,
):
    """Render one band of a raster as a map with its legend, a scale bar and a north arrow.

    Parameters
    ----------
    path : str
        A raster file GDAL reads.
    legend_title : str
        Title of the legend (what the colours are, with the unit).
    band : int
        The band drawn (1-based).
    qml_text : str, optional
        The style. Default: the ``.qml`` beside ``path`` (applied to ``band``); without one, a pseudocolor
        ``ramp`` over the band's 2nd–98th percentile (centred on 0 if ``symmetric``, on ``center`` if
        given) when a ramp is given, else QGIS's default style.
    dpi : int
        Resolution of the PNG; the page is about 15–25 cm wide.
    not_computed : (str, int), optional
        ``(path, band)`` of the raster that says where there are data (the carbon density): its pixels
        without a value in this raster are drawn in grey under it, with the legend entry
        :data:`NOT_COMPUTED_LABEL`, so a blank on the map is never unexplained.

    Returns
    -------
    RenderedMap

    Raises
    ------
    MapRenderError
        The file is not a raster, has no such band, or its style cannot be applied.
    """
    layer = QgsRasterLayer(path, layer_name or os.path.splitext(os.path.basename(path))[0], "gdal")
    if not layer.isValid():
        raise MapRenderError(f"cannot open '{path}' as a raster")
    if not 1 <= band <= layer.bandCount():
        raise MapRenderError(f"'{path}' has {layer.bandCount()} band(s); band {band} asked")
    source = "QGIS default style"
    if qml_text is not None:
        source = "style made for the report"
    elif sidecar_qml(path):
        with open(sidecar_qml(path), encoding="utf-8") as f:
            qml_text = f.read()
        source = f"style file {os.path.basename(sidecar_qml(path))}"
    elif ramp is not None:
        qml_text = continuous_qml(layer, band, ramp, symmetric, center)
        source = "colour ramp over the 2nd–98th percentile"
    if qml_text is not None:
        with tempfile.TemporaryDirectory() as tmp:
            qml_path = os.path.join(tmp, "style.qml")
            with open(qml_path, "w", encoding="utf-8") as f:
                f.write(qml_for_band(qml_text, band))
            message, ok = layer.loadNamedStyle(qml_path)
        if not ok:
            raise MapRenderError(f"the style of '{path}' cannot be applied: {message}")

    project = QgsProject()
    project.addMapLayer(layer)
    under = _not_computed_layer(*not_computed) if not_computed else None
    if under is not None:
        project.addMapLayer(under)
    project.setCrs(layer.crs())
    if layer.crs().isGeographic():
        project.setEllipsoid(layer.crs().ellipsoidAcronym() or "EPSG:7030")
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    try:
        return _render_layout(layout, layer, legend_title, dpi, source, under)
    finally:
        del layout
        project.removeAllMapLayers()


NOT_COMPUTED_LABEL = "Not computed (carbon density, but no value here)"
NOT_COMPUTED_COLOUR = "#525252"  # dark grey: apart from the light greys of "undetermined" classes


def _not_computed_layer(path, band):
    """The data raster drawn in one grey (every value one class), to lie under the map: where the map has
    no value and the data raster has one, the grey shows, labelled in the legend."""
    layer = QgsRasterLayer(path, NOT_COMPUTED_LABEL, "gdal")
    if not layer.isValid():
        return None
    item = QgsColorRampShader.ColorRampItem(float("inf"), QColor(NOT_COMPUTED_COLOUR), NOT_COMPUTED_LABEL)
    ramp = QgsColorRampShader()
    ramp.setColorRampType(QgsColorRampShader.Discrete)
    ramp.setColorRampItemList([item])
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(ramp)
    layer.setRenderer(QgsSingleBandPseudoColorRenderer(layer.dataProvider(), band, shader))
    return layer


def _map_size(extent):
    aspect = extent.width() / extent.height() if extent.height() > 0 else 1.0
    if aspect >= 1:
        return MAP_MAX_MM, max(MAP_MIN_MM, MAP_MAX_MM / aspect)
    return max(MAP_MIN_MM, MAP_MAX_MM * aspect), MAP_MAX_MM


def _render_layout(layout, layer, legend_title, dpi, source, under=None):
    extent = layer.extent()
    map_w, map_h = _map_size(extent)
    page = layout.pageCollection().page(0)
    page.setPageSize(QgsLayoutSize(400, 400, MM))

    map_item = QgsLayoutItemMap(layout)
    layout.addLayoutItem(map_item)
    map_item.attemptMove(QgsLayoutPoint(MARGIN_MM, MARGIN_MM, MM))
    map_item.attemptResize(QgsLayoutSize(map_w, map_h, MM))
    map_item.setCrs(layer.crs())
    map_item.setLayers([layer] + ([under] if under is not None else []))
    map_item.setKeepLayerSet(True)
    map_item.setExtent(extent)  # the frame takes the raster's shape: no empty margin
    map_item.setFrameEnabled(True)
    map_item.setBackgroundEnabled(False)
    legend, node, ramp_range = _add_legend(layout, map_item, layer, legend_title, under)
    under_node = legend.model().rootGroup().findLayer(under) if under is not None else None
    legend.attemptMove(QgsLayoutPoint(MARGIN_MM + map_w + 5, MARGIN_MM, MM))
    scale_label = _add_scalebar(layout, map_item, layer, extent, map_w, map_h)
    rendered = _export(
        layout, legend, node, layer, legend_title, dpi, source, (map_w, map_h), scale_label, ramp_range
    )
    if under_node is None:
        return rendered
    return dataclasses.replace(rendered, extra_labels=tuple(_legend_labels(legend, under_node)))


def _add_legend(layout, map_item, layer, legend_title, under=None):
    """The legend of ``layer`` (and of the grey 'not computed' layer under it): (legend, node, ramp ends)."""
    legend = QgsLayoutItemLegend(layout)
    layout.addLayoutItem(legend)
    legend.setLinkedMap(map_item)
    legend.setTitle(legend_title)
    legend.setAutoUpdateModel(False)
    legend.setResizeToContents(True)
    root = legend.model().rootGroup()
    node = root.findLayer(layer)
    QgsLegendRenderer.setNodeLegendStyle(node, QgsLegendStyle.Hidden)  # the title says what it is
    ramp_range = _style_ramp_legend(legend, node, layer)  # before the reordering: original indices
    _drop_band_name(legend, node, layer)
    if under is not None:
        under_node = root.findLayer(under)
        if under_node is not None:
            QgsLegendRenderer.setNodeLegendStyle(under_node, QgsLegendStyle.Hidden)
            _drop_band_name(legend, under_node, under)
    title_font = QFont(legend_font(legend, QgsLegendStyle.Title))
    title_font.setBold(True)
    set_legend_font(legend, QgsLegendStyle.Title, title_font, 11)
    return legend, node, ramp_range


def _add_scalebar(layout, map_item, layer, extent, map_w, map_h):
    """A two-segment scale bar under the map and a north arrow beside it; returns the bar's length label."""
    scalebar = QgsLayoutItemScaleBar(layout)
    layout.addLayoutItem(scalebar)
    scalebar.setStyle("Single Box")
    scalebar.setLinkedMap(map_item)
    width_m = _map_width_m(layer, extent)
    km = width_m >= 5000
    scalebar.applyDefaultSize(QgsUnitTypes.DistanceKilometers if km else QgsUnitTypes.DistanceMeters)
    ground = width_m / (1000.0 if km else 1.0)
    segment = _nice_up(ground * SEGMENT_MIN_MM / map_w)  # room for the labels under each tick
    scalebar.setNumberOfSegmentsLeft(0)
    scalebar.setNumberOfSegments(2)
    scalebar.setUnitsPerSegment(segment)
    scalebar.setUnitLabel("km" if km else "m")
    scalebar.attemptMove(QgsLayoutPoint(MARGIN_MM, MARGIN_MM + map_h + 2, MM))
    scalebar.refreshItemSize()
    scale_label = f"{_fmt(2 * segment)} {'km' if km else 'm'}"

    arrow = _north_arrow_path()
    if arrow:
        picture = QgsLayoutItemPicture(layout)
        layout.addLayoutItem(picture)
        picture.setPicturePath(arrow)
        picture.attemptResize(QgsLayoutSize(7, 10, MM))
        picture.attemptMove(QgsLayoutPoint(MARGIN_MM + map_w - 7, MARGIN_MM + map_h + 2, MM))
        picture.setLinkedMap(map_item)
    return scale_label


def _export(layout, legend, node, layer, legend_title, dpi, source, map_size, scale_label, ramp_range):
    """The page cut to the map, legend and scale bar, rendered to a PNG."""
    map_w, map_h = map_size
    page = layout.pageCollection().page(0)
    exporter = QgsLayoutExporter(layout)
    # The legend knows its size only after it has been drawn once: a cheap first pass, then the page
    # is cut to the map, the legend and the scale bar.
    exporter.renderPageToImage(0, dpi=10)
    legend.adjustBoxSize()
    legend_size = legend.sizeWithUnits()
    page_w = MARGIN_MM + map_w + 5 + legend_size.width() + MARGIN_MM
    page_h = max(MARGIN_MM + map_h + SCALEBAR_MM, MARGIN_MM + legend_size.height() + MARGIN_MM)
    page.setPageSize(QgsLayoutSize(page_w, page_h, MM))
    image = exporter.renderPageToImage(0, dpi=dpi)
    if image.isNull():
        raise MapRenderError(f"the map of '{layer.source()}' could not be drawn (out of memory?)")
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return RenderedMap(
        png=bytes(data),
        width_px=image.width(),
        height_px=image.height(),
        width_mm=page_w,
        height_mm=page_h,
        legend_title=legend_title,
        legend_labels=tuple(_legend_labels(legend, node)) or ramp_range,
        scale_label=scale_label,
        style_source=source,
        continuous=bool(ramp_range),
    )


def _fmt(value):
    return f"{value:g}"

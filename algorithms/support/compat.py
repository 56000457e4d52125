"""Where the QGIS versions the plugin supports differ: the one place that looks at the QGIS version.

The plugin runs on QGIS 3.22 (Debian 12) to 3.44 (Debian testing), through the long-term release 3.40
(Debian 13). Two APIs the plugin uses changed in that range, and the old forms raise deprecation warnings
in the newer releases:

* **field types** — QGIS 3.38 describes a field's type by ``QMetaType.Type``; ``QgsField(name,
  QVariant.Double)`` is deprecated there, while 3.22–3.36 know only ``QVariant.Type``.
  :class:`FieldType` holds the right enum value for the running QGIS; write
  ``QgsField(name, FieldType.Double)`` and compare ``field.type() == FieldType.String``.
* **legend fonts** — QGIS 3.30 gives legend styles a ``QgsTextFormat``; ``QgsLayoutItemLegend.styleFont``
  / ``setStyleFont`` are deprecated there. :func:`set_legend_font` sets a style's font and size on both.

Everything else the plugin uses is the same on all of them. Qt is imported through ``qgis.PyQt`` only, and
enum values are read through their enum class (``QMetaType.Type.Double``), the spelling PyQt 6 (QGIS 4)
requires and PyQt 5 accepts.
"""

from qgis.core import Qgis, QgsLegendStyle
from qgis.PyQt.QtCore import QMetaType, QVariant

__all__ = [
    "METATYPE_FIELDS",
    "QGIS_VERSION_INT",
    "TEXT_FORMAT_LEGEND",
    "FieldType",
    "legend_font",
    "set_legend_font",
]

QGIS_VERSION_INT = Qgis.versionInt()
METATYPE_FIELDS = QGIS_VERSION_INT >= 33800  # QgsField takes QMetaType.Type
TEXT_FORMAT_LEGEND = hasattr(QgsLegendStyle, "textFormat")  # QGIS >= 3.30


def _enum(owner, name):
    """``owner.Type.name`` when the enum class exposes its members (PyQt 6, recent PyQt 5), else ``owner.name``."""
    scoped = getattr(owner, "Type", None)
    value = getattr(scoped, name, None) if scoped is not None else None
    return value if value is not None else getattr(owner, name)


class FieldType:
    """Field types for ``QgsField(name, type)`` and ``QgsField.type()`` comparisons on this QGIS."""

    if METATYPE_FIELDS:
        String = _enum(QMetaType, "QString")
        Double = _enum(QMetaType, "Double")
        Int = _enum(QMetaType, "Int")
        LongLong = _enum(QMetaType, "LongLong")
        Bool = _enum(QMetaType, "Bool")
    else:
        String = _enum(QVariant, "String")
        Double = _enum(QVariant, "Double")
        Int = _enum(QVariant, "Int")
        LongLong = _enum(QVariant, "LongLong")
        Bool = _enum(QVariant, "Bool")


def set_legend_font(legend, style, font, size_pt):
    """Set the font (family, weight) and size in points of one style of a layout legend.

    Parameters
    ----------
    legend : QgsLayoutItemLegend
    style : QgsLegendStyle.Style
        e.g. ``QgsLegendStyle.Title``.
    font : QFont
        Family and weight; its size is replaced by ``size_pt``.
    size_pt : float
    """
    if TEXT_FORMAT_LEGEND:
        legend_style = legend.style(style)
        text_format = legend_style.textFormat()
        text_format.setFont(font)
        text_format.setSize(float(size_pt))
        text_format.setSizeUnit(Qgis.RenderUnit.Points)
        legend_style.setTextFormat(text_format)
        legend.setStyle(style, legend_style)
    else:
        font.setPointSizeF(float(size_pt))
        legend.setStyleFont(style, font)


def legend_font(legend, style):
    """The font of one style of a layout legend (a copy)."""
    if TEXT_FORMAT_LEGEND:
        return legend.style(style).textFormat().font()
    return legend.styleFont(style)

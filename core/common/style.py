"""QGIS layer styles (QML) for the rasters the plugin writes, as plain text.

The QML sits beside each GeoTIFF (``name.qml``) so anyone who opens the file in QGIS gets the legend,
and the Processing algorithms apply the same file to the layers they load. Written by hand here
because ``core`` never imports ``qgis``.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from .classes import ClassScheme

_HEADER = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
_PIPE_TAIL = """    <brightnesscontrast brightness="0" contrast="0" gamma="1"/>
    <huesaturation saturation="0" grayscaleMode="0" colorizeOn="0" colorizeRed="255" colorizeGreen="128"
      colorizeBlue="128" colorizeStrength="100" invertColors="0"/>
    <rasterresampler maxOversampling="2"/>
    <resamplingStage>resamplingFilter</resamplingStage>
  </pipe>
  <blendMode>0</blendMode>
</qgis>
"""


def _rgba(hex_color: str) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"{r},{g},{b},255"


def paletted_qml(scheme: ClassScheme) -> str:
    """QML of a paletted (unique values) renderer with one legend entry per class of ``scheme``."""
    entries = "\n".join(
        f"        <paletteEntry value={quoteattr(str(c.code))} color={quoteattr(c.color)} "
        f'label={quoteattr(c.name)} alpha="255"/>'
        for c in scheme.classes
    )
    return (
        _HEADER
        + '<qgis version="3.22.0" styleCategories="AllStyleCategories">\n'
        + "  <pipe>\n"
        + '    <rasterrenderer type="paletted" band="1" opacity="1" alphaBand="-1" nodataColor="">\n'
        + "      <rasterTransparency/>\n"
        + "      <colorPalette>\n"
        + entries
        + "\n      </colorPalette>\n"
        + "    </rasterrenderer>\n"
        + _PIPE_TAIL
    )


def pseudocolor_qml(vmin: float, vmax: float, colors: tuple[str, ...]) -> str:
    """QML of a single-band pseudocolor renderer, linear from ``vmin`` to ``vmax`` through ``colors``."""
    if not vmin < vmax:
        vmax = vmin + 1.0
    n = len(colors)
    items = []
    for i, color in enumerate(colors):
        value = vmin + (vmax - vmin) * i / (n - 1)
        items.append(
            f'          <item alpha="255" value="{value:.6g}" label="{value:.4g}" color={quoteattr(color)}/>'
        )
    stops = ";".join(f"{i / (n - 1):.4f};{_rgba(c)}" for i, c in enumerate(colors[1:-1], start=1))
    return (
        _HEADER
        + '<qgis version="3.22.0" styleCategories="AllStyleCategories">\n'
        + "  <pipe>\n"
        + '    <rasterrenderer type="singlebandpseudocolor" band="1" opacity="1" alphaBand="-1" '
        + f'classificationMin="{vmin:.6g}" classificationMax="{vmax:.6g}" nodataColor="">\n'
        + "      <rasterTransparency/>\n"
        + "      <minMaxOrigin><limits>None</limits><extent>WholeRaster</extent>"
        + "<statAccuracy>Estimated</statAccuracy><cumulativeCutLower>0.02</cumulativeCutLower>"
        + "<cumulativeCutUpper>0.98</cumulativeCutUpper><stdDevFactor>2</stdDevFactor></minMaxOrigin>\n"
        + "      <rastershader>\n"
        + '        <colorrampshader colorRampType="INTERPOLATED" classificationMode="1" clip="0" '
        + f'minimumValue="{vmin:.6g}" maximumValue="{vmax:.6g}" labelPrecision="4">\n'
        + '          <colorramp type="gradient" name="[source]">\n'
        + f'            <Option type="Map"><Option type="QString" name="color1" value="{_rgba(colors[0])}"/>'
        + f'<Option type="QString" name="color2" value="{_rgba(colors[-1])}"/>'
        + f'<Option type="QString" name="stops" value="{stops}"/></Option>\n'
        + "          </colorramp>\n"
        + "\n".join(items)
        + "\n        </colorrampshader>\n"
        + "      </rastershader>\n"
        + "    </rasterrenderer>\n"
        + _PIPE_TAIL
    )


# Diverging ramp for signed rates (Sen slope, Z); sequential ramps for Cv and Hurst.
DIVERGING = ("#a50026", "#f46d43", "#fee08b", "#ffffbf", "#d9ef8b", "#66bd63", "#006837")
SEQUENTIAL_STABILITY = ("#1a9850", "#91cf60", "#d9ef8b", "#fee08b", "#fc8d59", "#d73027")
SEQUENTIAL = ("#f7fcf5", "#c7e9c0", "#74c476", "#238b45", "#00441b")

"""Future trend classes from the Sen slope and the Hurst exponent (METHOD.md step 9)."""

from ..core import classes, future_trend
from . import raster_engine as engine
from .base import CarbonSinkAlgorithm


class FutureTrend(CarbonSinkAlgorithm):
    SLOPE = "SLOPE"
    HURST = "HURST"
    P_VALUE = "P_VALUE"
    ALPHA = "ALPHA"
    FUTURE_CLASS = "FUTURE_CLASS"

    NAME = "futuretrend"
    DISPLAY_NAME = "Future trend (Sen slope × Hurst)"
    GROUP_ID = "trends"
    HELP = """
<p>Where the past trend is likely to continue or reverse: the Sen slope β crossed with the Hurst
exponent H, optionally with the Mann–Kendall significance.</p>
<h3>Classes</h3>
<p>Continuous improvement: β &gt; 0, H &gt; 0.5. Future degradation: β &gt; 0, H &lt; 0.5.
Future improvement: β &lt; 0, H &lt; 0.5. Continuous degradation: β &lt; 0, H &gt; 0.5.
Undetermined: β = 0 or H = 0.5.</p>
<p>With a p-value raster, each class is split by significance (p &lt; α): eight classes plus
undetermined.</p>
<p>Inputs are the outputs of "Theil–Sen slope and Mann–Kendall trend" and "Hurst exponent", on one grid;
nodata in any input gives nodata.</p>
<h3>References</h3>
<p>Sen (1968) JASA 63:1379; Hurst (1951) Trans. ASCE 116:770; METHOD.md step 9 of the plugin.</p>
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        engine.add_band_input(self, self.SLOPE, self.tr("Sen slope"))
        engine.add_band_input(self, self.HURST, self.tr("Hurst exponent"))
        engine.add_band_input(
            self,
            self.P_VALUE,
            self.tr("Mann–Kendall p-value (optional: split by significance)"),
            optional=True,
        )
        engine.add_alpha_parameter(self, self.ALPHA)
        engine.add_memory_parameter(self)
        engine.add_raster_output(self, self.FUTURE_CLASS, self.tr("Future trend class"), required=True)
        engine.add_class_area_output(self)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        inputs = {
            "slope": engine.band_from_parameters(self, parameters, context, self.SLOPE, self.tr("Sen slope")),
            "hurst": engine.band_from_parameters(
                self, parameters, context, self.HURST, self.tr("Hurst exponent")
            ),
        }
        p_value = engine.band_from_parameters(self, parameters, context, self.P_VALUE, self.tr("p-value"))
        if p_value is not None:
            inputs["p"] = p_value
        alpha = self.parameterAsDouble(parameters, self.ALPHA, context)

        def kernel(blocks):
            p = blocks["p"][0] if "p" in blocks else None
            return {
                "class": future_trend.future_trend_class(blocks["slope"][0], blocks["hurst"][0], p, alpha)
            }

        scheme = classes.FUTURE_8 if p_value is not None else classes.FUTURE_4
        outputs = [
            engine.output_spec(
                self,
                parameters,
                context,
                self.FUTURE_CLASS,
                scheme.title,
                key="class",
                dtype="uint8",
                scheme=scheme,
            )
        ]
        report = engine.run(
            self, parameters, context, feedback, inputs, kernel, outputs, bytes_per_pixel=64.0
        )
        return engine.finish(self, parameters, context, feedback, report, outputs)

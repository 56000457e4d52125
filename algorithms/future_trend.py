"""Future trend classes from the Sen slope and the Hurst exponent (docs/method.md, step 9)."""

import numpy as np
from qgis.core import QgsProcessingException, QgsProcessingOutputNumber

from ..core.common import classes
from ..core.engine import band_checks, raster
from ..core.stats import future_trend
from .support import raster_engine as engine
from .support.base import CarbonSinkAlgorithm

# What each input is called in messages, and the word that marks it in a band description (the outputs of
# "Theil–Sen slope and Mann–Kendall trend" and "Hurst exponent" are described "Sen slope per year",
# "Mann-Kendall p-value" and "Hurst exponent").
ROLES = {
    "slope": ("Sen slope", "slope"),
    "hurst": ("Hurst exponent", "hurst"),
    "p": ("p-value", "p-value"),
}


class FutureTrend(CarbonSinkAlgorithm):
    SLOPE = "SLOPE"
    HURST = "HURST"
    P_VALUE = "P_VALUE"
    ALPHA = "ALPHA"
    FUTURE_CLASS = "FUTURE_CLASS"

    NAME = "futuretrend"
    DISPLAY_NAME = "Future trend (Sen slope × Hurst)"
    GROUP_ID = "trends"
    TAGS = "future trend,persistence,hurst,sen slope,continuous improvement,degradation"
    HELP = """
Where the past trend is likely to continue or to reverse: the Sen slope β crossed with the Hurst exponent
H, optionally split by the Mann–Kendall significance (docs/method.md, step 9).

Classes

- Continuous improvement: β above 0 and H above 0.5.
- Future degradation: β above 0 and H below 0.5.
- Future improvement: β below 0 and H below 0.5.
- Continuous degradation: β below 0 and H above 0.5.
- Undetermined: β = 0 or H = 0.5.

With a p-value raster each class is split into significant (p below α, default 0.05) and not significant:
eight classes plus undetermined.

The inputs are the outputs of "Theil–Sen slope and Mann–Kendall trend" and "Hurst exponent" of the same
stack, on one grid; nodata in any input gives nodata.

Input checks

An input in the wrong role would give a plausible-looking but wrong map, so the run stops, naming the layer,
when: an input is a class raster (it has a colour table or class names, or the slope holds only a few whole
non-negative numbers, such as trend class codes); an input's band description names another role (e.g. the
layer described "Hurst exponent" given as the slope: swapped inputs); the Hurst exponent has negative values
(a Hurst exponent never has; a slope usually does); the p-value has values outside 0–1 (e.g. the z-score
given as p). The partial output is removed. R/S estimates of H lie in about 0–1.5; pixels above 2 come from
series that are constant over their first years (few window lengths enter the fit): they are classed as
persistent and counted in a warning.

References

Sen, P. K. (1968) JASA 63:1379–1389. Hurst, H. E. (1951) Trans. ASCE 116:770–808.
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        engine.add_band_input(self, self.SLOPE)
        engine.add_band_input(self, self.HURST)
        engine.add_band_input(
            self,
            self.P_VALUE,
            optional=True,
            help_text=self.tr(
                "Optional: the Mann–Kendall P_VALUE output of the same trend run; each class is then split "
                "by significance."
            ),
        )
        engine.add_alpha_parameter(
            self, self.ALPHA, self.tr("With a p-value raster: significant means p below α.")
        )
        engine.add_memory_parameter(self)
        engine.add_raster_output(self, self.FUTURE_CLASS, required=True)
        engine.add_class_area_output(self)
        for name, label in (
            ("PIXELS_WITH_SLOPE", "Pixels with a Sen slope"),
            ("NO_FUTURE_PIXELS", "Pixels with a slope but no future trend class"),
            ("FUTURE_WITHOUT_HURST", "Pixels with a slope but no Hurst exponent"),
        ):
            self.addOutput(QgsProcessingOutputNumber(name, self.tr(label)))

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
        self._check_roles(inputs, parameters, context, feedback)
        layers = {role: stack.bands[0].layer for role, stack in inputs.items()}

        def kernel(blocks):
            p = blocks["p"][0] if "p" in blocks else None
            try:
                return {
                    "class": future_trend.future_trend_class(
                        blocks["slope"][0], blocks["hurst"][0], p, alpha
                    ),
                    "hurst_above": future_trend.hurst_above_typical(blocks["hurst"][0]),
                    "no_hurst": np.isnan(blocks["hurst"][0]),
                    "no_p": np.isnan(p) if p is not None else np.zeros(blocks["slope"].shape[1], dtype=bool),
                }
            except future_trend.InputRangeError as exc:  # engine.run reports it, naming the layer
                raise raster.RasterInputError(
                    self.tr("Layer '{}' given as the {}: {}").format(
                        layers[exc.argument], ROLES[exc.argument][0], exc
                    )
                ) from exc

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
            self,
            parameters,
            context,
            feedback,
            inputs,
            kernel,
            outputs,
            bytes_per_pixel=64.0,
            # Every pixel with a slope comes here, so the log can say how many have no Hurst exponent.
            min_valid={"slope": 1, "hurst": 0, **({"p": 0} if p_value is not None else {})},
            counters=("hurst_above", "no_hurst", "no_p"),
        )
        above = report.counters["hurst_above"]
        if above:
            feedback.pushWarning(
                self.tr(
                    "{:,} pixels of '{}' have a Hurst exponent above {:g} (R/S estimates lie in about 0–1.5): "
                    "their series are most likely constant over their first years, so few window lengths "
                    "entered the fit. They are classed as persistent (H > 0.5)."
                ).format(above, layers["hurst"], future_trend.HURST_TYPICAL_MAX)
            )
        results = engine.finish(self, parameters, context, feedback, report, outputs)
        return results | self._explain_blanks(feedback, report, layers)

    def _explain_blanks(self, feedback, report, layers):
        """Log how many pixels with a slope have no future trend and why (no H, no p-value); also results."""
        with_slope, no_h, no_p = report.pixels_computed, report.counters["no_hurst"], report.counters["no_p"]
        classed = sum(r.pixels for r in report.class_areas.get("class", []))
        feedback.pushInfo(
            self.tr(
                "{:,} of the {:,} pixels with a Sen slope have a future trend class; {:,} have none: {:,} have no "
                "Hurst exponent in '{}' (see the Hurst step's log: too few years, constant or mostly flat series)"
            ).format(classed, with_slope, with_slope - classed, no_h, layers["hurst"])
            + (self.tr(", {:,} no p-value").format(no_p) if no_p else "")
            + "."
        )
        return {
            "PIXELS_WITH_SLOPE": with_slope,
            "NO_FUTURE_PIXELS": with_slope - classed,
            "FUTURE_WITHOUT_HURST": no_h,
        }

    def _check_roles(self, inputs, parameters, context, feedback):
        """Refuse class rasters and inputs whose band description names another role (swapped inputs)."""
        for role, stack in inputs.items():
            label = ROLES[role][0]
            info = band_checks.band_info(stack)
            if info.has_classes:
                raise QgsProcessingException(
                    self.tr(
                        "Layer '{}' given as the {} is a class raster (it has a colour table or class names); "
                        "the {} raster is needed here."
                    ).format(info.layer, label, label)
                )
            text = info.description.lower()
            others = [r for r in ROLES if r != role and ROLES[r][1] in text]
            if others and ROLES[role][1] not in text:
                raise QgsProcessingException(
                    self.tr(
                        "Layer '{}' given as the {} is described as '{}': it looks like the {}. Were the "
                        "inputs swapped?"
                    ).format(info.layer, label, info.description, ROLES[others[0]][0])
                )
        memory = self.parameterAsInt(parameters, engine.MEMORY_MB, context) or 64
        codes = band_checks.integer_codes(
            inputs["slope"], memory_mb=min(memory, 64), is_cancelled=feedback.isCanceled
        )
        if codes and min(codes) >= 0 and max(codes) >= 1:
            raise QgsProcessingException(
                self.tr(
                    "Layer '{}' given as the Sen slope holds only the whole numbers {}: that is a class "
                    "raster (e.g. the trend class), not a slope. Give the slope output of 'Theil–Sen slope and "
                    "Mann–Kendall trend'."
                ).format(inputs["slope"].bands[0].layer, ", ".join(str(c) for c in codes))
            )

"""Coefficient of variation of each pixel's yearly series: stability (METHOD.md step 7)."""

import numpy as np
from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterString,
)

from ..core.common import style
from ..core.common.errors import naming
from ..core.engine import band_checks
from ..core.engine.raster import min_valid_years
from ..core.stats import stability
from .support import raster_engine as engine
from .support.base import CarbonSinkAlgorithm


class CoefficientOfVariation(CarbonSinkAlgorithm):
    INPUT = "INPUT"
    CLASSIFY = "CLASSIFY"
    BREAKS = "BREAKS"
    CV = "CV"
    CV_CLASS = "CV_CLASS"
    NOT_POSITIVE_PIXELS = "NOT_POSITIVE_PIXELS"

    NAME = "coefficientofvariation"
    DISPLAY_NAME = "Coefficient of variation (stability)"
    GROUP_ID = "trends"
    HELP = """
<p>Stability of each pixel's yearly series as the coefficient of variation, with optional stability
classes and the area of each class. Higher Cv means a more volatile, less stable series.</p>
<h3>Formula</h3>
<p>Cv = σ / μ, with μ the mean and σ the sample standard deviation (n − 1) of the pixel's valid years.</p>
<p>Cv is defined for quantities that cannot be negative, such as carbon density, storage, NPP or
precipitation. A pixel whose series has a negative value (an anomaly, a slope, a temperature in °C) or
only zeros gets nodata: its mean can be any small number, even by rounding, and σ / μ would be
meaningless (a zero-mean series gave 3.8 × 10⁸). Those pixels are counted; the count is logged as a
warning and returned as <i>NOT_POSITIVE_PIXELS</i>. For the other pixels Cv ≤ √n. A stack in which no
pixel has a Cv (all anomalies, all below zero, or too few valid years) is refused before any output is
written.</p>
<h3>Classes</h3>
<p>Class breaks are right-closed (Cv ≤ 0.05, 0.05 &lt; Cv ≤ 0.10, …). The default breaks
0.05, 0.10, 0.15, 0.20 give the five classes common in the vegetation and carbon literature: low,
relatively low, medium, relatively high and high fluctuation.</p>
<h3>Data</h3>
<p>Nodata and NaN are missing years; a pixel with fewer valid years than the minimum share (and never
fewer than 4) is nodata. Inputs must be on one grid.</p>
<h3>References</h3>
<p>Everitt, B. S. &amp; Skrondal, A. (2010) The Cambridge Dictionary of Statistics, 4th ed. Milich, L. &amp;
Weiss, E. (2000) GAC NDVI interannual coefficient of variation (CoV) images. Int. J. Remote Sens.
21:235–260. METHOD.md step 7.</p>
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        engine.add_stack_input(
            self, self.INPUT, self.tr("Yearly stack (a multi-band raster or one raster per year)")
        )
        self.addParameter(
            QgsProcessingParameterBoolean(self.CLASSIFY, self.tr("Classify Cv"), defaultValue=True)
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.BREAKS,
                self.tr("Class breaks (increasing, comma-separated)"),
                defaultValue="0.05,0.10,0.15,0.20",
            )
        )
        engine.add_min_valid_parameter(self)
        engine.add_memory_parameter(self)
        engine.add_raster_output(self, self.CV, self.tr("Coefficient of variation"), required=True)
        engine.add_raster_output(self, self.CV_CLASS, self.tr("Stability class"))
        engine.add_class_area_output(self)
        self.addOutput(
            QgsProcessingOutputNumber(
                self.NOT_POSITIVE_PIXELS,
                self.tr("Pixels left nodata: negative values or only zeros in the series"),
            )
        )

    def _breaks(self, parameters, context):
        text = self.parameterAsString(parameters, self.BREAKS, context)
        with naming(self.tr("Class breaks '{}'").format(text)):
            breaks = tuple(float(v) for v in text.replace(";", ",").split(",") if v.strip())
            stability.cv_scheme(breaks)
        return breaks

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        stack = engine.stack_from_parameters(self, parameters, context, self.INPUT, self.tr("Yearly stack"))
        classify = self.parameterAsBool(parameters, self.CLASSIFY, context)
        breaks = self._breaks(parameters, context)
        share = self.parameterAsDouble(parameters, engine.MIN_VALID_PERCENT, context)

        def kernel(blocks):
            cv = stability.coefficient_of_variation(blocks["stack"])
            return {
                "cv": cv,
                "class": stability.cv_class(cv, breaks),
                "not_positive": stability.not_positive_series(blocks["stack"]),
            }

        outputs = [
            engine.output_spec(
                self,
                parameters,
                context,
                self.CV,
                "Coefficient of variation",
                key="cv",
                ramp=style.SEQUENTIAL_STABILITY,
            ),
            engine.output_spec(
                self,
                parameters,
                context,
                self.CV_CLASS,
                "Stability class",
                key="class",
                dtype="uint8",
                scheme=stability.cv_scheme(breaks),
            )
            if classify
            else None,
        ]
        n = len(stack)
        self._check_some_cv(stack, min_valid_years(n, share), feedback)
        report = engine.run(
            self,
            parameters,
            context,
            feedback,
            {"stack": stack},
            kernel,
            outputs,
            min_valid={"stack": min_valid_years(n, share)},
            bytes_per_pixel=24.0 * n + 64,
            counters=("not_positive",),
        )
        not_positive = report.counters["not_positive"]
        if not_positive:
            feedback.pushWarning(
                self.tr(
                    "{:,} pixels of '{}' have a negative value or only zeros in their series: Cv = σ/μ is "
                    "defined for quantities that cannot be negative, so they are nodata ({:.1f} % of the "
                    "{:,} pixels with enough valid years)."
                ).format(
                    not_positive,
                    stack.bands[0].layer,
                    100.0 * not_positive / max(report.pixels_computed, 1),
                    report.pixels_computed,
                )
            )
        results = engine.finish(self, parameters, context, feedback, report, outputs)
        results[self.NOT_POSITIVE_PIXELS] = not_positive
        return results

    def _check_some_cv(self, stack, need, feedback):
        """Refuse a stack none of whose pixels would get a Cv, before writing an all-nodata output."""

        def enough(values):
            return np.count_nonzero(~np.isnan(values), axis=0) >= need

        def defined(values):
            return enough(values) & ~stability.not_positive_series(values)

        layer = stack.bands[0].layer
        if band_checks.any_pixel(stack, defined, is_cancelled=feedback.isCanceled):
            return
        if not band_checks.any_pixel(stack, enough, is_cancelled=feedback.isCanceled):
            raise QgsProcessingException(
                self.tr("No pixel of '{}' has at least {} valid years: there is no Cv to compute.").format(
                    layer, need
                )
            )
        raise QgsProcessingException(
            self.tr(
                "Every pixel of '{}' with at least {} valid years has a negative value or only zeros in its "
                "series: Cv = σ/μ is defined for quantities that cannot be negative (carbon density, NPP, "
                "precipitation), not for anomalies, slopes or temperatures in °C."
            ).format(layer, need)
        )

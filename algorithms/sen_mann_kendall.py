"""Theil–Sen slope and Mann–Kendall trend test per pixel (docs/method.md, step 6)."""

from qgis.core import (
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
)

from ..core.common import classes, style
from ..core.common.errors import naming
from ..core.engine.raster import min_valid_years
from ..core.stats import trend
from .support import raster_engine as engine
from .support.base import CarbonSinkAlgorithm


class SenMannKendall(CarbonSinkAlgorithm):
    INPUT = "INPUT"
    YEARS = "YEARS"
    METHOD = "METHOD"
    ALPHA = "ALPHA"
    FIVE_CLASSES = "FIVE_CLASSES"
    SLOPE = "SLOPE"
    TREND_CLASS = "TREND_CLASS"
    Z_SCORE = "Z_SCORE"
    P_VALUE = "P_VALUE"
    S = "S"

    METHODS = ("original", "hamed_rao")

    NAME = "senmannkendall"
    DISPLAY_NAME = "Theil–Sen slope and Mann–Kendall trend"
    GROUP_ID = "trends"
    TAGS = (
        "mann-kendall,mann–kendall,mann kendall,mk test,theil-sen,theil–sen,theil sen,sen slope,sen's slope,"
        "trend,monotonic trend,hamed-rao,pixel trend"
    )
    REQUIRES = ("scipy",)
    HELP = """
Per-pixel trend of a yearly series (e.g. carbon density 2001–2024): the Theil–Sen slope and the
Mann–Kendall test, a trend class raster and the area of each class (docs/method.md, step 6).

Formulas

  Sen slope: β = median over all pairs of years i before j of (xⱼ − xᵢ) / (tⱼ − tᵢ)
  Mann–Kendall: S = Σ sgn(xⱼ − xᵢ) over all pairs i before j
  Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18, the last sum over groups of t tied values
  Z = (S − 1)/√Var(S) if S is positive, 0 if S = 0, (S + 1)/√Var(S) if S is negative
  p = 2(1 − Φ(|Z|)), two-sided

t is the year, so gaps in the years are handled; β is in the stack's units per year; n is the number of
valid years of the pixel.

Hamed–Rao (option): Var(S) is multiplied by 1 + 2/(n(n−1)(n−2)) · Σ (n−k)(n−k−1)(n−k−2) ρₖ, with ρₖ the
significant lag-k autocorrelations of the ranks of the detrended series, so serially correlated series are
not over-called. Where that factor is not positive (strong negative autocorrelation, or a detrended series
without variation) the pixel keeps the uncorrected variance, and the log gives the number of such pixels.
With missing years the lags count years of the stack and the autocorrelation uses the pairs of years that
are both valid.

Classes

Significant increase (β above 0), no significant change, significant decrease (β below 0), significant
meaning p below α (default 0.05). The five-class variant also splits each side at p below 0.01 (extremely
significant).

Data

Nodata and NaN are missing years. A pixel with fewer valid years than the minimum share (default 75 %, never
fewer than 4) is nodata in every output. At least 4 years are required; below 8 years the test has little
power and a warning is given. All inputs must be on one grid.

References

Sen, P. K. (1968) Estimates of the regression coefficient based on Kendall's tau. JASA 63:1379–1389.
Mann, H. B. (1945) Nonparametric tests against trend. Econometrica 13:245–259. Kendall, M. G. (1975) Rank
Correlation Methods. Hamed, K. H. & Rao, A. R. (1998) A modified Mann–Kendall trend test for autocorrelated
data. J. Hydrol. 204:182–196.
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        engine.add_stack_input(self, self.INPUT, years_name=self.YEARS)
        method = QgsProcessingParameterEnum(
            self.METHOD,
            self.tr("Variance of S"),
            options=[
                self.tr("Original Mann–Kendall"),
                self.tr("Hamed–Rao correction for serial correlation"),
            ],
            defaultValue=0,
        )
        method.setHelp(
            self.tr(
                "Original: Var(S) of independent years (default). Hamed–Rao: Var(S) corrected for the serial "
                "correlation of the series; fewer pixels are called significant where years are correlated."
            )
        )
        self.addParameter(method)
        engine.add_alpha_parameter(self, self.ALPHA)
        five = QgsProcessingParameterBoolean(
            self.FIVE_CLASSES, self.tr("Five classes (also split at p below 0.01)"), defaultValue=False
        )
        five.setHelp(
            self.tr("Also split significant increase and decrease at p below 0.01; α must be above 0.01.")
        )
        self.addParameter(five)
        engine.add_min_valid_parameter(self)
        engine.add_memory_parameter(self)
        engine.add_raster_output(self, self.SLOPE, required=True)
        engine.add_raster_output(self, self.TREND_CLASS, required=True)
        engine.add_raster_output(self, self.Z_SCORE, help_text=self.tr("The Mann–Kendall Z of each pixel."))
        engine.add_raster_output(
            self, self.P_VALUE, help_text=self.tr("The two-sided Mann–Kendall p-value of each pixel.")
        )
        engine.add_raster_output(
            self,
            self.S,
            self.tr("Mann–Kendall S"),
            create_by_default=False,
            help_text=self.tr("The statistic S: pairs of years that increase minus pairs that decrease."),
        )
        engine.add_class_area_output(self)

    def checkParameterValues(self, parameters, context):  # noqa: N802
        if (
            self.parameterAsBool(parameters, self.FIVE_CLASSES, context)
            and self.parameterAsDouble(parameters, self.ALPHA, context) <= 0.01
        ):
            return False, self.tr("With five classes α must be above 0.01 (the inner split is at p < 0.01).")
        return super().checkParameterValues(parameters, context)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        stack = engine.stack_from_parameters(
            self, parameters, context, self.INPUT, self.tr("Yearly stack"), self.YEARS
        )
        with naming(stack.bands[0].layer):
            warning = trend.check_series_length(len(stack.years))
        if warning:
            feedback.pushWarning(warning)
        method = self.METHODS[self.parameterAsEnum(parameters, self.METHOD, context)]
        alpha = self.parameterAsDouble(parameters, self.ALPHA, context)
        five = self.parameterAsBool(parameters, self.FIVE_CLASSES, context)
        share = self.parameterAsDouble(parameters, engine.MIN_VALID_PERCENT, context)
        years = stack.years
        feedback.pushInfo(
            self.tr("{} years: {}–{}; method: {}").format(len(years), years.min(), years.max(), method)
        )

        def kernel(blocks):
            res = trend.sen_mann_kendall(blocks["stack"], years, method=method)
            res["class"] = trend.trend_class(res["slope"], res["p"], alpha=alpha, five_class=five)
            return res

        scheme = classes.trend_scheme(alpha, five)
        outputs = [
            engine.output_spec(
                self,
                parameters,
                context,
                self.SLOPE,
                "Sen slope per year",
                key="slope",
                ramp=style.DIVERGING,
                symmetric=True,
            ),
            engine.output_spec(
                self,
                parameters,
                context,
                self.TREND_CLASS,
                scheme.title,
                key="class",
                dtype="uint8",
                scheme=scheme,
            ),
            engine.output_spec(
                self,
                parameters,
                context,
                self.Z_SCORE,
                "Mann-Kendall Z",
                key="z",
                ramp=style.DIVERGING,
                symmetric=True,
            ),
            engine.output_spec(self, parameters, context, self.P_VALUE, "Mann-Kendall p-value", key="p"),
            engine.output_spec(self, parameters, context, self.S, "Mann-Kendall S", key="s"),
        ]
        n = len(years)
        report = engine.run(
            self,
            parameters,
            context,
            feedback,
            {"stack": stack},
            kernel,
            outputs,
            min_valid={"stack": min_valid_years(n, share)},
            # The kernel works in fixed internal chunks; per pixel the window holds the bands and copies.
            bytes_per_pixel=24.0 * n + 256.0,
            counters=("correction_fallback",),
        )
        if method == "hamed_rao":
            feedback.pushInfo(
                self.tr(
                    "Hamed–Rao: the correction could not be applied to {:,} pixels (correction factor not "
                    "positive: strong negative autocorrelation, or a detrended series without variation); they "
                    "keep the uncorrected variance."
                ).format(report.counters["correction_fallback"])
            )
        return engine.finish(self, parameters, context, feedback, report, outputs)

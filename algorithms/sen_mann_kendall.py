"""Theil–Sen slope and Mann–Kendall trend test per pixel (METHOD.md step 6)."""

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
    Z = "Z"
    P_VALUE = "P_VALUE"
    S = "S"

    METHODS = ("original", "hamed_rao")

    NAME = "senmannkendall"
    DISPLAY_NAME = "Theil–Sen slope and Mann–Kendall trend"
    GROUP_ID = "trends"
    REQUIRES = ("scipy",)
    HELP = """
<p>Per-pixel trend of a yearly series (e.g. carbon density 2001–2024): the Theil–Sen slope and the
Mann–Kendall test, with a trend class raster and the area of each class.</p>
<h3>Formulas</h3>
<p><b>Sen slope</b> β = median over all pairs i&lt;j of (x<sub>j</sub> − x<sub>i</sub>) / (t<sub>j</sub> − t<sub>i</sub>),
t = the year, so gaps in the years are handled; units per year.<br>
<b>Mann–Kendall</b> S = Σ<sub>i&lt;j</sub> sgn(x<sub>j</sub> − x<sub>i</sub>);
Var(S) = [n(n−1)(2n+5) − Σ t<sub>g</sub>(t<sub>g</sub>−1)(2t<sub>g</sub>+5)] / 18 with t<sub>g</sub> the size of
each group of tied values; Z = (S−1)/√Var(S) if S&gt;0, 0 if S=0, (S+1)/√Var(S) if S&lt;0;
two-sided p = 2(1 − Φ(|Z|)). n is the number of valid years of the pixel.</p>
<p><b>Hamed–Rao</b> (option): Var(S) is multiplied by 1 + 2/(n(n−1)(n−2)) Σ (n−k)(n−k−1)(n−k−2) ρ<sub>k</sub>,
with ρ<sub>k</sub> the significant lag-k autocorrelations of the ranks of the detrended series, so serially
correlated series are not over-called. Where that factor is not a positive number (strong negative
autocorrelation, or a detrended series without variation; pymannkendall returns NaN there) the
uncorrected variance is kept and the number of such pixels is reported in the log. With missing years
the lags count years of the stack and the autocorrelation uses the pairs where both years are valid.</p>
<h3>Classes</h3>
<p>Significant increase / no significant change / significant decrease at p &lt; α (β &gt; 0 or β &lt; 0).
The five-class variant splits each side at p &lt; 0.01 (extremely significant).</p>
<h3>Data</h3>
<p>Nodata and NaN are missing years; a pixel with fewer valid years than the minimum share (and never
fewer than 4) is nodata in every output. At least 4 years are required; below 8 years the test has
little power and a warning is given. All inputs must be on one grid.</p>
<h3>References</h3>
<p>Sen, P. K. (1968) JASA 63:1379–1389. Mann, H. B. (1945) Econometrica 13:245–259. Kendall, M. G. (1975)
Rank Correlation Methods. Hamed, K. H. &amp; Rao, A. R. (1998) J. Hydrol. 204:182–196.</p>
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        engine.add_stack_input(
            self, self.INPUT, self.tr("Yearly stack (a multi-band raster or one raster per year)"), self.YEARS
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.METHOD,
                self.tr("Variance of S"),
                options=[
                    self.tr("Original Mann–Kendall"),
                    self.tr("Hamed–Rao correction for serial correlation"),
                ],
                defaultValue=0,
            )
        )
        engine.add_alpha_parameter(self, self.ALPHA)
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.FIVE_CLASSES, self.tr("Five classes (also split at p < 0.01)"), defaultValue=False
            )
        )
        engine.add_min_valid_parameter(self)
        engine.add_memory_parameter(self)
        engine.add_raster_output(self, self.SLOPE, self.tr("Sen slope (units per year)"), required=True)
        engine.add_raster_output(self, self.TREND_CLASS, self.tr("Trend class"), required=True)
        engine.add_raster_output(self, self.Z, self.tr("Mann–Kendall Z"))
        engine.add_raster_output(self, self.P_VALUE, self.tr("Mann–Kendall p-value (two-sided)"))
        engine.add_raster_output(self, self.S, self.tr("Mann–Kendall S"), create_by_default=False)
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
                self.Z,
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

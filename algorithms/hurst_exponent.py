"""Hurst exponent of each pixel's yearly series by rescaled-range analysis (METHOD.md step 8)."""

from qgis.core import QgsProcessingException, QgsProcessingParameterBoolean, QgsProcessingParameterEnum

from ..core.common import style
from ..core.engine.raster import min_valid_years
from ..core.stats import hurst
from .support import raster_engine as engine
from .support.base import CarbonSinkAlgorithm


class HurstExponent(CarbonSinkAlgorithm):
    INPUT = "INPUT"
    METHOD = "METHOD"
    DIFFERENCES = "DIFFERENCES"
    HURST = "HURST"

    METHODS = ("expanding", "mandelbrot_wallis")

    NAME = "hurstexponent"
    DISPLAY_NAME = "Hurst exponent (persistence)"
    GROUP_ID = "trends"
    HELP = """
<p>Persistence of each pixel's yearly series: the Hurst exponent H by rescaled-range (R/S) analysis.
H &gt; 0.5: persistent (the past trend tends to continue); H ≈ 0.5: random walk; H &lt; 0.5:
anti-persistent (the trend tends to reverse).</p>
<h3>Formula</h3>
<p>For a window of length τ with mean x̄<sub>τ</sub>, the cumulative deviation
X(t,τ) = Σ<sub>u≤t</sub>(x<sub>u</sub> − x̄<sub>τ</sub>), the range R(τ) = max X − min X and the standard deviation
S(τ) (population form); H is the least-squares slope of log(R/S) on log τ.</p>
<p><b>Expanding window</b> (default; the form used in the vegetation and carbon literature the study
follows): the windows are the first τ values of the series, τ = 2…n.<br>
<b>Mandelbrot–Wallis</b>: for each τ the series is cut into ⌊n/τ⌋ non-overlapping sub-series and R/S is
averaged over them.<br>
Optionally the method is applied to the first differences of the series, as some papers do.</p>
<h3>Data</h3>
<p>Missing years are closed up (the valid values are taken in year order). A window whose values are all
equal has no R/S and is left out; H needs at least half of the window lengths (and 3), so a series that
is flat for most years gets no H. A constant series has no H (nodata), as has a pixel with fewer valid years than the minimum share (never fewer than 4). R/S is biased
upwards for short series (Anis &amp; Lloyd 1976): with n ≈ 24 white noise gives H around 0.6, so read
H close to 0.5 with care.</p>
<h3>References</h3>
<p>Hurst, H. E. (1951) Trans. ASCE 116:770–808. Mandelbrot, B. B. &amp; Wallis, J. R. (1969) Water Resour.
Res. 5:967–988. Anis, A. A. &amp; Lloyd, E. H. (1976) Biometrika 63:111–116.</p>
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        engine.add_stack_input(
            self, self.INPUT, self.tr("Yearly stack (a multi-band raster or one raster per year)")
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.METHOD,
                self.tr("R/S convention"),
                options=[
                    self.tr("Expanding window (first τ values, τ = 2…n)"),
                    self.tr("Mandelbrot–Wallis (mean over non-overlapping sub-series)"),
                ],
                defaultValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.DIFFERENCES, self.tr("Apply to first differences"), defaultValue=False
            )
        )
        engine.add_min_valid_parameter(self)
        engine.add_memory_parameter(self)
        engine.add_raster_output(self, self.HURST, self.tr("Hurst exponent"), required=True)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        stack = engine.stack_from_parameters(self, parameters, context, self.INPUT, self.tr("Yearly stack"))
        method = self.METHODS[self.parameterAsEnum(parameters, self.METHOD, context)]
        differences = self.parameterAsBool(parameters, self.DIFFERENCES, context)
        share = self.parameterAsDouble(parameters, engine.MIN_VALID_PERCENT, context)
        # A slope fitted over a few window lengths is not an exponent: a series flat for most years and
        # varying at the end (S = 0 in every early window) gave H up to 4. Ask for half of them.
        n_windows = len(stack) - (2 if differences else 1)
        min_windows = max(3, (n_windows + 1) // 2)
        if n_windows < min_windows:
            raise QgsProcessingException(
                self.tr(
                    "Layer '{}' has {} years; R/S analysis fits H over the window lengths τ = 2…n and "
                    "needs at least 3 of them, i.e. at least {} years{}."
                ).format(
                    stack.bands[0].layer,
                    len(stack),
                    min_windows + (2 if differences else 1),
                    self.tr(" when applied to first differences") if differences else "",
                )
            )

        def kernel(blocks):
            return {
                "hurst": hurst.hurst_rs(
                    blocks["stack"], method=method, differences=differences, min_windows=min_windows
                )
            }

        outputs = [
            engine.output_spec(
                self, parameters, context, self.HURST, "Hurst exponent", key="hurst", ramp=style.DIVERGING
            )
        ]
        n = len(stack)
        report = engine.run(
            self,
            parameters,
            context,
            feedback,
            {"stack": stack},
            kernel,
            outputs,
            min_valid={"stack": min_valid_years(n, share)},
            bytes_per_pixel=48.0 * n * n + 64,
        )
        return engine.finish(self, parameters, context, feedback, report, outputs)

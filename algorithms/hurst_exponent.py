"""Hurst exponent of each pixel's yearly series by rescaled-range analysis (docs/method.md, step 8)."""

from qgis.core import QgsProcessingException, QgsProcessingParameterBoolean, QgsProcessingParameterEnum

from ..core.common import style
from ..core.engine.raster import min_valid_years
from ..core.stats import hurst
from .support import raster_engine as engine
from .support.base import CarbonSinkAlgorithm


class HurstExponent(CarbonSinkAlgorithm):
    INPUT = "INPUT"
    RS_CONVENTION = "RS_CONVENTION"
    DIFFERENCES = "DIFFERENCES"
    HURST = "HURST"

    METHODS = ("expanding", "mandelbrot_wallis")

    NAME = "hurstexponent"
    DISPLAY_NAME = "Hurst exponent (persistence)"
    GROUP_ID = "trends"
    TAGS = "hurst,persistence,rescaled range,r/s,long memory"
    HELP = """
Persistence of each pixel's yearly series: the Hurst exponent H by rescaled-range (R/S) analysis
(docs/method.md, step 8). H above 0.5: persistent (the past trend tends to continue); H near 0.5: random
walk; H below 0.5: anti-persistent (the trend tends to reverse).

Formula

For a window of τ values with mean x̄ the cumulative deviation is X(t) = Σ (xᵤ − x̄) over u = 1…t, the
range R(τ) = max X − min X, and S(τ) the standard deviation (population form); H is the least-squares slope
of log(R/S) on log τ.

- Expanding window (default; the form of the vegetation and carbon literature the study follows): the
windows are the first τ values of the series, τ = 2…n.
- Mandelbrot–Wallis: for each τ the series is cut into ⌊n/τ⌋ non-overlapping sub-series and R/S is
averaged over them.
- Optionally either form is applied to the first differences of the series, as some papers do.

Data

Missing years are closed up (the valid values are taken in year order). A window whose values are all equal
has no R/S and is left out; H needs at least half of the window lengths (and at least 3), so a series that
is flat for most years gets no H. A constant series has no H (nodata), nor has a pixel with fewer valid
years than the minimum share (default 75 %, never fewer than 4). R/S is biased upwards for short series
(Anis & Lloyd 1976): with about 24 years white noise gives H around 0.6, so read H close to 0.5 with care.

References

Hurst, H. E. (1951) Long-term storage capacity of reservoirs. Trans. ASCE 116:770–808. Mandelbrot, B. B. &
Wallis, J. R. (1969) Robustness of the rescaled range R/S. Water Resour. Res. 5:967–988. Anis, A. A. &
Lloyd, E. H. (1976) The expected value of the adjusted rescaled Hurst range. Biometrika 63:111–116.
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        engine.add_stack_input(self, self.INPUT)
        convention = QgsProcessingParameterEnum(
            self.RS_CONVENTION,
            self.tr("R/S convention"),
            options=[
                self.tr("Expanding window (first τ values, τ = 2…n)"),
                self.tr("Mandelbrot–Wallis (mean over non-overlapping sub-series)"),
            ],
            defaultValue=0,
        )
        convention.setHelp(
            self.tr(
                "Expanding window (default): R/S of the first τ values for τ = 2…n. Mandelbrot–Wallis: R/S "
                "averaged over the non-overlapping sub-series of each length τ."
            )
        )
        self.addParameter(convention)
        differences = QgsProcessingParameterBoolean(
            self.DIFFERENCES, self.tr("Apply to first differences"), defaultValue=False
        )
        differences.setHelp(
            self.tr("Compute H of the year-to-year changes instead of the values (needs 5 years).")
        )
        self.addParameter(differences)
        engine.add_min_valid_parameter(self)
        engine.add_memory_parameter(self)
        engine.add_raster_output(self, self.HURST, required=True)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        stack = engine.stack_from_parameters(self, parameters, context, self.INPUT, self.tr("Yearly stack"))
        method = self.METHODS[self.parameterAsEnum(parameters, self.RS_CONVENTION, context)]
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

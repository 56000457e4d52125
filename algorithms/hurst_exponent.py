"""Hurst exponent of each pixel's yearly series by rescaled-range analysis (docs/method.md, step 8)."""

import numpy as np
from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
)

from ..core.common import style
from ..core.engine.raster import min_valid_years
from ..core.stats import hurst
from .support import raster_engine as engine
from .support.base import CarbonSinkAlgorithm


class HurstExponent(CarbonSinkAlgorithm):
    INPUT = "INPUT"
    RS_CONVENTION = "RS_CONVENTION"
    DIFFERENCES = "DIFFERENCES"
    HURST_METHOD = "HURST_METHOD"
    HURST = "HURST"

    METHODS = ("expanding", "mandelbrot_wallis")
    CORRECTIONS = (None, "anis_lloyd", "anis_lloyd_peters")
    # Why a pixel with data has no H (core.stats.hurst.missing_reasons), as the log says it.
    REASONS = {
        "too_few_years": "fewer valid years than the minimum share",
        "constant": "the same value in every year (no variation, so no R/S)",
        "too_few_windows": (
            "the same value in most of the first years (S = 0 in too many windows to fit the slope; e.g. a "
            "prediction held at the model's lowest value)"
        ),
    }

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
(Anis & Lloyd 1976): with about 24 years white noise gives H around 0.64, so read H close to 0.5 with care.
H above 1 happens on short series that are flat in their first years and then rise: few usable windows and
a steep log(R/S); it means "very persistent", not a probability. The Anis–Lloyd correction (Hurst method)
subtracts the expected R/S of independent values of each window length, log E[R/S]τ, before the fit and
adds 0.5: independent values then give H ≈ 0.5 whatever the series length. The Peters variant multiplies
E[R/S]τ by (τ − ½)/τ; with windows from τ = 2 it over-corrects (white noise: H ≈ 0.41).

The log counts the pixels with data that got no H, by reason: too few valid years, a constant series, or a
series flat in most of its first years (too few usable windows).

References

Hurst, H. E. (1951) Long-term storage capacity of reservoirs. Trans. ASCE 116:770–808. Mandelbrot, B. B. &
Wallis, J. R. (1969) Robustness of the rescaled range R/S. Water Resour. Res. 5:967–988. Anis, A. A. &
Lloyd, E. H. (1976) The expected value of the adjusted rescaled Hurst range. Biometrika 63:111–116.
Peters, E. E. (1994) Fractal Market Analysis. Wiley. Weron, R. (2002) Estimating long-range dependence:
finite sample properties and confidence intervals. Physica A 312:285–299.
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
        method = QgsProcessingParameterEnum(
            self.HURST_METHOD,
            self.tr("Hurst method"),
            options=[
                self.tr("R/S slope (Hurst 1951; biased upwards for short series)"),
                self.tr("Anis–Lloyd corrected R/S (0.5 + slope of log R/S − log E[R/S])"),
                self.tr("Anis–Lloyd–Peters corrected R/S"),
            ],
            defaultValue=0,
        )
        method.setHelp(
            self.tr(
                "R/S slope (default, the paper's method): H is the slope of log(R/S) on log τ; for 20–30 years "
                "independent values give H ≈ 0.64. Anis–Lloyd: the expected R/S of independent values is "
                "removed first, so independent values give H ≈ 0.5. Anis–Lloyd–Peters: with Peters' "
                "small-sample factor (over-corrects when windows start at τ = 2)."
            )
        )
        self.addParameter(method)
        engine.add_min_valid_parameter(self)
        engine.add_memory_parameter(self)
        engine.add_raster_output(self, self.HURST, required=True)
        for name, label in (
            ("HURST_INPUT_PIXELS", "Pixels with at least one valid year"),
            ("NO_HURST_PIXELS", "Pixels with data but no Hurst exponent"),
            ("NO_HURST_TOO_FEW_YEARS", "No Hurst exponent: too few valid years"),
            ("NO_HURST_CONSTANT", "No Hurst exponent: constant series"),
            ("NO_HURST_TOO_FEW_WINDOWS", "No Hurst exponent: flat in most of the first years"),
            ("HURST_ABOVE_ONE", "Pixels with H above 1"),
        ):
            self.addOutput(QgsProcessingOutputNumber(name, self.tr(label)))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        stack = engine.stack_from_parameters(self, parameters, context, self.INPUT, self.tr("Yearly stack"))
        method = self.METHODS[self.parameterAsEnum(parameters, self.RS_CONVENTION, context)]
        differences = self.parameterAsBool(parameters, self.DIFFERENCES, context)
        correction = self.CORRECTIONS[self.parameterAsEnum(parameters, self.HURST_METHOD, context)]
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

        n = len(stack)
        need = min_valid_years(n, share)

        def kernel(blocks):
            # Every pixel with any valid year comes here, so the log can say why the others have no H.
            values = blocks["stack"]
            h = np.full(values.shape[1], np.nan)
            enough = np.count_nonzero(np.isfinite(values), axis=0) >= need
            if enough.any():
                h[enough] = hurst.hurst_rs(
                    values[:, enough],
                    method=method,
                    differences=differences,
                    min_windows=min_windows,
                    correction=correction,
                )
            return {"hurst": h, **hurst.missing_reasons(values, h, need), "above_one": h > 1.0}

        outputs = [
            engine.output_spec(
                self, parameters, context, self.HURST, "Hurst exponent", key="hurst", ramp=style.DIVERGING
            )
        ]
        report = engine.run(
            self,
            parameters,
            context,
            feedback,
            {"stack": stack},
            kernel,
            outputs,
            bytes_per_pixel=48.0 * n * n + 64,
            counters=(*self.REASONS, "above_one"),
        )
        results = engine.finish(self, parameters, context, feedback, report, outputs)
        return results | self._explain_blanks(feedback, report, need, n)

    def _explain_blanks(self, feedback, report, need, n):
        """Log how many pixels with data have no H and why; the counts are results too (NO_HURST_PIXELS…)."""
        counts = {k: report.counters[k] for k in self.REASONS}
        with_data = report.pixels_computed
        missing = sum(counts.values())
        feedback.pushInfo(
            self.tr("{:,} of the {:,} pixels with data have a Hurst exponent; {:,} have none:").format(
                with_data - missing, with_data, missing
            )
        )
        for key, count in counts.items():
            text = self.tr(self.REASONS[key])
            if key == "too_few_years":
                text = self.tr("fewer than {} valid years of {}").format(need, n)
            feedback.pushInfo(self.tr("  {:>10,}  {}").format(count, text))
        if report.counters["above_one"]:
            feedback.pushWarning(
                self.tr(
                    "{:,} pixels have H above 1: R/S over few usable windows of a short series that is flat at "
                    "first and then rises. Read them as very persistent, not as a probability. The Anis–Lloyd "
                    "Hurst method removes the small-sample bias of R/S (about 0.15 for 24 years)."
                ).format(report.counters["above_one"])
            )
        return {
            "HURST_INPUT_PIXELS": with_data,
            "NO_HURST_PIXELS": missing,
            **{f"NO_HURST_{k.upper()}": v for k, v in counts.items()},
            "HURST_ABOVE_ONE": report.counters["above_one"],
        }

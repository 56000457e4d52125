"""Regional mean climate per year and its trends: is the region warming and humidifying? (METHOD.md step 10)"""

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
)

from ..core.carbon import climate_report
from ..core.carbon.climate import RegionalMean, align_years, climate_direction, format_years, series_trend
from ..core.carbon.storage import M2_PER_HM2
from ..core.common.errors import naming
from ..core.reports import store
from ..core.stats import trend
from .support import raster_engine as engine
from .support import vector_io
from .support.base import CarbonSinkAlgorithm, advanced


class RegionalClimateTrend(CarbonSinkAlgorithm):
    TEMPERATURE = "TEMPERATURE"
    TEMPERATURE_YEARS = "TEMPERATURE_YEARS"
    PRECIPITATION = "PRECIPITATION"
    PRECIPITATION_YEARS = "PRECIPITATION_YEARS"
    ARIDITY = "ARIDITY"
    ARIDITY_YEARS = "ARIDITY_YEARS"
    ARIDITY_CONVENTION = "ARIDITY_CONVENTION"
    ALPHA = "ALPHA"
    TEMPERATURE_UNIT = "TEMPERATURE_UNIT"
    PRECIPITATION_UNIT = "PRECIPITATION_UNIT"
    SERIES = "SERIES"
    TRENDS = "TRENDS"
    REPORT = "REPORT"
    TEMPERATURE_SLOPE = "TEMPERATURE_SLOPE"
    TEMPERATURE_P = "TEMPERATURE_P"
    PRECIPITATION_SLOPE = "PRECIPITATION_SLOPE"
    PRECIPITATION_P = "PRECIPITATION_P"
    ARIDITY_SLOPE = "ARIDITY_SLOPE"
    ARIDITY_P = "ARIDITY_P"
    DIRECTION = "DIRECTION"

    NAME = "regionalclimatetrend"
    DISPLAY_NAME = "Regional climate trend"
    GROUP_ID = "drivers"
    REQUIRES = ("scipy",)
    HELP = """
<p>The regional mean of yearly climate rasters — temperature, precipitation and optionally an aridity
index — for every year, with its Theil–Sen slope and Mann–Kendall test and its least-squares line, as
tables, numbers and an HTML report with a chart per variable and a sentence that states the direction of
the climate (e.g. "warming and humidifying").</p>
<h3>Formulas</h3>
<p><b>Regional mean</b> of year t: x̄<sub>t</sub> = Σ a<sub>i</sub> x<sub>it</sub> / Σ a<sub>i</sub> over the
pixels i valid in every year of that variable, a<sub>i</sub> the true pixel area on the ellipsoid of the
rasters' CRS (any CRS; a raster without a CRS stops the run), so every year covers the same area.<br>
<b>Sen slope</b> β = median<sub>i&lt;j</sub> (x<sub>j</sub> − x<sub>i</sub>) / (t<sub>j</sub> − t<sub>i</sub>);
<b>Mann–Kendall</b> S = Σ<sub>i&lt;j</sub> sgn(x<sub>j</sub> − x<sub>i</sub>), Z from S and its tie-corrected
variance, two-sided p = 2(1 − Φ(|Z|)). <b>Least squares</b>: slope, R² and the t test of the slope
(n − 2 df).</p>
<h3>Direction</h3>
<p>From the Sen slope and its Mann–Kendall p: temperature rising = warming, falling = cooling;
precipitation rising = humidifying, falling = drying; a direction with p ≥ α is stated as a
non-significant tendency. The aridity index adds whether it indicates wetter or drier conditions: choose
its convention (P/PET, UNEP: higher is wetter; PET/P: higher is drier).</p>
<h3>Data</h3>
<p>Each stack is a multi-band raster with a band per year or a list of single-band rasters; years come
from the years parameter, the band descriptions or the file names. The temperature years define the
period; precipitation and the aridity index must have a band for each of them, matched by year (extra
years are ignored and listed in the log). At least 4 years. All inputs must be on one grid; clip them to
the region first (nodata outside it).</p>
<h3>References</h3>
<p>Sen, P. K. (1968) JASA 63:1379–1389. Mann, H. B. (1945) Econometrica 13:245–259. Kendall, M. G. (1975)
Rank Correlation Methods. UNEP (1992) World Atlas of Desertification (aridity index P/PET).
METHOD.md step 10.</p>
"""

    CONVENTIONS = ("P/PET: higher is wetter (UNEP)", "PET/P: higher is drier")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        engine.add_stack_input(
            self, self.TEMPERATURE, self.tr("Temperature stack (a band per year)"), self.TEMPERATURE_YEARS
        )
        engine.add_stack_input(
            self,
            self.PRECIPITATION,
            self.tr("Precipitation stack (a band per year)"),
            self.PRECIPITATION_YEARS,
        )
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.ARIDITY,
                self.tr("Aridity index stack (a band per year)"),
                QgsProcessing.TypeRaster,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.ARIDITY_YEARS,
                self.tr(
                    "Years of the aridity index bands (empty: read from band descriptions or file names)"
                ),
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.ARIDITY_CONVENTION,
                self.tr("Aridity index convention"),
                options=[self.tr(c) for c in self.CONVENTIONS],
                defaultValue=0,
            )
        )
        engine.add_alpha_parameter(self, self.ALPHA)
        for name, label, default in (
            (self.TEMPERATURE_UNIT, self.tr("Temperature unit"), "°C"),
            (self.PRECIPITATION_UNIT, self.tr("Precipitation unit"), "mm"),
        ):
            self.addParameter(
                advanced(QgsProcessingParameterString(name, label, defaultValue=default, optional=True))
            )
        engine.add_memory_parameter(self)
        engine.add_table_output(self, self.SERIES, self.tr("Regional mean per year"))
        engine.add_table_output(self, self.TRENDS, self.tr("Regional climate trends"))
        engine.add_report_output(self, self.REPORT, self.tr("Report"))
        for name, label in (
            (self.TEMPERATURE_SLOPE, "Temperature Sen slope (per year)"),
            (self.TEMPERATURE_P, "Temperature Mann–Kendall p"),
            (self.PRECIPITATION_SLOPE, "Precipitation Sen slope (per year)"),
            (self.PRECIPITATION_P, "Precipitation Mann–Kendall p"),
            (self.ARIDITY_SLOPE, "Aridity index Sen slope (per year)"),
            (self.ARIDITY_P, "Aridity index Mann–Kendall p"),
        ):
            self.addOutput(QgsProcessingOutputNumber(name, self.tr(label)))
        self.addOutput(
            QgsProcessingOutputString(self.DIRECTION, self.tr("Direction of the regional climate"))
        )

    def _stacks(self, parameters, context, feedback):
        """The variables as (key, label, unit, stack), aligned to the temperature years."""
        temperature = engine.stack_from_parameters(
            self, parameters, context, self.TEMPERATURE, self.tr("Temperature stack"), self.TEMPERATURE_YEARS
        )
        years = temperature.years
        variables = [
            (
                "temperature",
                "Temperature",
                self._unit(parameters, context, self.TEMPERATURE_UNIT),
                temperature,
            )
        ]
        wanted = [("precipitation", "Precipitation", self.PRECIPITATION, self.PRECIPITATION_YEARS)]
        if self.parameterAsLayerList(parameters, self.ARIDITY, context):
            wanted.append(("aridity", "Aridity index", self.ARIDITY, self.ARIDITY_YEARS))
        for key, label, name, years_name in wanted:
            stack = engine.stack_from_parameters(
                self, parameters, context, name, self.tr("{} stack").format(label), years_name
            )
            stack, extra = align_years(stack, years, self.tr("the temperature stack"), temperature.warnings)
            if extra:
                feedback.pushInfo(
                    self.tr("{} ('{}'): years {} are not in the temperature stack and are ignored.").format(
                        stack.name, stack.bands[0].layer, format_years(extra)
                    )
                )
            unit = self._unit(parameters, context, self.PRECIPITATION_UNIT) if key == "precipitation" else ""
            variables.append((key, label, unit, stack))
        return years, variables

    def _unit(self, parameters, context, name):
        return (self.parameterAsString(parameters, name, context) or "").strip()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        years, variables = self._stacks(parameters, context, feedback)
        n = len(years)
        with naming(variables[0][3].bands[0].layer):
            warning = trend.check_series_length(n)
        if warning:
            feedback.pushWarning(warning)
        alpha = self.parameterAsDouble(parameters, self.ALPHA, context)
        feedback.pushInfo(self.tr("{} years ({})").format(n, format_years(years)))
        means = {key: RegionalMean(n) for key, *_ in variables}

        def kernel(blocks):  # nothing per pixel: the regional sums are taken in reduce
            return {}

        def reduce(results, packed):
            for key, acc in means.items():
                acc.add(packed[key], packed["pixel_area_m2"])

        engine.run(
            self,
            parameters,
            context,
            feedback,
            {key: stack for key, _, _, stack in variables},
            kernel,
            [],
            # every pixel reaches reduce, which keeps, per variable, the pixels valid in every year
            min_valid={key: 0 for key, *_ in variables},
            pixel_area=True,
            reduce=reduce,
            threads=1,
            bytes_per_pixel=len(variables) * n * 24.0 + 64.0,
        )
        fits = {}
        for key, label, _, stack in variables:
            acc = means[key]
            if acc.pixels_ == 0:
                raise QgsProcessingException(
                    self.tr("{} ('{}'): no pixel has a valid value in every one of the {} years.").format(
                        stack.name, stack.bands[0].layer, n
                    )
                )
            feedback.pushInfo(
                self.tr("{}: {:,} pixels ({:,.1f} hm²) valid in every year{}").format(
                    label,
                    acc.pixels_,
                    acc.area_m2_ / M2_PER_HM2,
                    self.tr("; {:,} pixels with a missing year left out").format(acc.incomplete_pixels_)
                    if acc.incomplete_pixels_
                    else "",
                )
            )
            fits[key] = series_trend(years, acc.means())
        convention = self.parameterAsEnum(parameters, self.ARIDITY_CONVENTION, context)
        args = {key: (fits[key]["sen_slope"], fits[key]["mk_p"], unit) for key, _, unit, _ in variables}
        direction = climate_direction(
            args["temperature"],
            args["precipitation"],
            args.get("aridity"),
            alpha=alpha,
            aridity_higher_is_wetter=convention == 0,
        )
        feedback.pushInfo(direction)
        results = {self.DIRECTION: direction}
        for key, slope_name, p_name in (
            ("temperature", self.TEMPERATURE_SLOPE, self.TEMPERATURE_P),
            ("precipitation", self.PRECIPITATION_SLOPE, self.PRECIPITATION_P),
            ("aridity", self.ARIDITY_SLOPE, self.ARIDITY_P),
        ):
            if key in fits:
                results[slope_name] = fits[key]["sen_slope"]
                results[p_name] = fits[key]["mk_p"]
        results.update(self._tables(parameters, context, years, variables, means, fits))
        path = self.parameterAsFileOutput(parameters, self.REPORT, context)
        if path:
            doc = climate_report.climate_report(
                years,
                [(key, label, unit) for key, label, unit, _ in variables],
                {key: means[key].means() for key, *_ in variables},
                fits,
                self._trend_rows(variables, means, fits),
                direction,
                alpha,
                inputs={label: stack.bands[0].layer for _, label, _, stack in variables},
                version=self.provider().versionInfo() if self.provider() else "",
            )
            results[self.REPORT] = store.write_report(path, doc)
        return results

    def _trend_rows(self, variables, means, fits):
        rows = []
        for key, label, unit, _ in variables:
            fit, acc = fits[key], means[key]
            rows.append(
                {
                    "variable": label,
                    "unit": unit,
                    "n_years": fit["n"],
                    "sen_slope": fit["sen_slope"],
                    "sen_intercept": fit["sen_intercept"],
                    "mk_s": fit["mk_s"],
                    "mk_z": fit["mk_z"],
                    "mk_p": fit["mk_p"],
                    "ls_slope": fit["ls_slope"],
                    "ls_intercept": fit["ls_intercept"],
                    "ls_r2": fit["ls_r2"],
                    "ls_p": fit["ls_p"],
                    "pixels": acc.pixels_,
                    "area_hm2": acc.area_m2_ / M2_PER_HM2,
                }
            )
        return rows

    def _tables(self, parameters, context, years, variables, means, fits):
        results = {}
        n = len(years)
        series = {
            "variable": np.array([label for _, label, _, _ in variables for _ in range(n)], dtype=object),
            "year": np.tile(np.asarray(years, dtype=np.int64), len(variables)),
            "mean": np.concatenate([means[key].means() for key, *_ in variables]),
            "unit": np.array([unit for _, _, unit, _ in variables for _ in range(n)], dtype=object),
        }
        dest = vector_io.write_table(self, parameters, self.SERIES, context, series)
        if dest:
            results[self.SERIES] = dest
        rows = self._trend_rows(variables, means, fits)
        columns = {}
        for column in rows[0]:
            values = [r[column] for r in rows]
            columns[column] = np.array(values, dtype=object if isinstance(values[0], str) else None)
        dest = vector_io.write_table(self, parameters, self.TRENDS, context, columns)
        if dest:
            results[self.TRENDS] = dest
        return results

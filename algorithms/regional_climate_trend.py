"""Regional mean climate per year and its trends: is the region warming and humidifying? (docs/method.md, step 10)"""

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterString,
)

from ..core.carbon.climate import RegionalMean, align_years, format_years
from ..core.carbon.regional_climate import regional_climate_trend
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
    CLIMATE_SERIES = "CLIMATE_SERIES"
    CLIMATE_TRENDS = "CLIMATE_TRENDS"
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
    TAGS = "climate trend,warming,humidifying,drying,aridity,temperature,precipitation,mann-kendall,theil-sen,sen slope,regional mean"
    HELP = """
The regional mean of yearly climate rasters (temperature, precipitation and optionally an aridity index)
for every year, with its Theil–Sen slope, Mann–Kendall test and least-squares line, as tables, numbers and
an HTML report with a chart per variable and a sentence that states the direction of the climate, e.g.
"warming and humidifying" (docs/method.md, step 10).

Formulas

  regional mean of year t: x̄ₜ = Σ aᵢ xᵢₜ / Σ aᵢ
  Sen slope: β = median of (xⱼ − xᵢ) / (tⱼ − tᵢ) over all pairs of years i before j
  Mann–Kendall: S = Σ sgn(xⱼ − xᵢ), Z from S and its tie-corrected variance, p = 2(1 − Φ(|Z|))
  least squares: slope, R² and the t test of the slope (n − 2 degrees of freedom)

The sums of the regional mean run over the pixels i valid in every year of that variable, so every year
covers the same area; aᵢ is the true pixel area on the ellipsoid of the rasters' CRS (any CRS; a raster
without a CRS stops the run).

Direction

From the Sen slope and its Mann–Kendall p: temperature rising is warming, falling is cooling; precipitation
rising is humidifying, falling is drying; a direction with p not below α (default 0.05) is stated as a
non-significant tendency. The aridity index adds whether it indicates wetter or drier conditions: choose its
convention (P/PET, UNEP: higher is wetter, the default; PET/P: higher is drier).

Data

Each stack is a multi-band raster with a band per year or one single-band raster per year; years come from
the years parameters, the band descriptions or the file names. The temperature years define the period;
precipitation and the aridity index must have a band for each of them, matched by year (extra years are
ignored and listed in the log). At least 4 years. All inputs must be on one grid; clip them to the region
first (nodata outside it). The units of temperature and precipitation (advanced, default °C and mm) only
label the tables and the report.

References

Sen, P. K. (1968) JASA 63:1379–1389. Mann, H. B. (1945) Econometrica 13:245–259. Kendall, M. G. (1975) Rank
Correlation Methods. UNEP (1992) World Atlas of Desertification (aridity index P/PET).
"""

    CONVENTIONS = ("P/PET: higher is wetter (UNEP)", "PET/P: higher is drier")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        engine.add_stack_input(self, self.TEMPERATURE, years_name=self.TEMPERATURE_YEARS)
        engine.add_stack_input(self, self.PRECIPITATION, years_name=self.PRECIPITATION_YEARS)
        engine.add_stack_input(self, self.ARIDITY, years_name=self.ARIDITY_YEARS, optional=True)
        convention = QgsProcessingParameterEnum(
            self.ARIDITY_CONVENTION,
            self.tr("Aridity index convention"),
            options=[self.tr(c) for c in self.CONVENTIONS],
            defaultValue=0,
        )
        convention.setHelp(
            self.tr("Whether a higher aridity index means wetter (P/PET, default) or drier (PET/P).")
        )
        self.addParameter(convention)
        engine.add_alpha_parameter(self, self.ALPHA)
        for name, label, default in (
            (self.TEMPERATURE_UNIT, self.tr("Temperature unit"), "°C"),
            (self.PRECIPITATION_UNIT, self.tr("Precipitation unit"), "mm"),
        ):
            unit = QgsProcessingParameterString(name, label, defaultValue=default, optional=True)
            unit.setHelp(self.tr("The unit the stack holds, written in the tables and the report."))
            self.addParameter(advanced(unit))
        engine.add_memory_parameter(self)
        engine.add_table_output(
            self,
            self.CLIMATE_SERIES,
            self.tr("Regional climate per year"),
            self.tr("Table: variable, year, regional mean, unit."),
        )
        engine.add_table_output(
            self,
            self.CLIMATE_TRENDS,
            self.tr("Regional climate trends"),
            self.tr(
                "Table per variable: Sen slope and intercept, Mann–Kendall S, Z, p, least-squares fit, area."
            ),
        )
        engine.add_report_output(self, self.REPORT)
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
        if parameters.get(self.ARIDITY) not in (None, "", []):
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
        with naming(variables[0][3].bands[0].layer):
            warning = trend.check_series_length(len(years))
        if warning:
            feedback.pushWarning(warning)
        alpha = self.parameterAsDouble(parameters, self.ALPHA, context)
        feedback.pushInfo(self.tr("{} years ({})").format(len(years), format_years(years)))
        means = self._regional_means(parameters, context, feedback, years, variables)
        self._check_coverage(feedback, years, variables, means)
        climate = regional_climate_trend(
            years,
            [(key, label, unit) for key, label, unit, _ in variables],
            means,
            alpha=alpha,
            aridity_higher_is_wetter=self.parameterAsEnum(parameters, self.ARIDITY_CONVENTION, context) == 0,
        )
        feedback.pushInfo(climate.direction)
        results = {self.DIRECTION: climate.direction}
        for key, slope_name, p_name in (
            ("temperature", self.TEMPERATURE_SLOPE, self.TEMPERATURE_P),
            ("precipitation", self.PRECIPITATION_SLOPE, self.PRECIPITATION_P),
            ("aridity", self.ARIDITY_SLOPE, self.ARIDITY_P),
        ):
            if key in climate.fits:
                results[slope_name] = climate.fits[key]["sen_slope"]
                results[p_name] = climate.fits[key]["mk_p"]
        results.update(self._tables(parameters, context, climate))
        path = self.parameterAsFileOutput(parameters, self.REPORT, context)
        if path:
            doc = climate.report(
                inputs={label: stack.bands[0].layer for _, label, _, stack in variables},
                version=self.provider().versionInfo() if self.provider() else "",
            )
            results[self.REPORT] = store.write_report(path, doc)
        return results

    def _regional_means(self, parameters, context, feedback, years, variables):
        """One pass over the stacks: the regional sums of each variable over its pixels valid in every year."""
        n = len(years)
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
        return means

    def _check_coverage(self, feedback, years, variables, means):
        """Stop on a variable without a pixel valid in every year; log the pixels and area of the others."""
        for key, label, _, stack in variables:
            acc = means[key]
            if acc.pixels_ == 0:
                raise QgsProcessingException(
                    self.tr("{} ('{}'): no pixel has a valid value in every one of the {} years.").format(
                        stack.name, stack.bands[0].layer, len(years)
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

    def _tables(self, parameters, context, climate):
        results = {}
        dest = vector_io.write_table(self, parameters, self.CLIMATE_SERIES, context, climate.series_columns())
        if dest:
            results[self.CLIMATE_SERIES] = dest
        dest = vector_io.write_table(self, parameters, self.CLIMATE_TRENDS, context, climate.trend_columns())
        if dest:
            results[self.CLIMATE_TRENDS] = dest
        return results

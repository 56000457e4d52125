"""Partial correlation of the carbon series with temperature and precipitation, and driver types (step 10)."""

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterMultipleLayers,
)

from ..core.carbon.climate import align_years, format_years
from ..core.common import style
from ..core.engine import raster
from ..core.engine.raster import min_valid_years
from ..core.stats.partial_correlation import DRIVER_TYPES, climate_driver_kernel
from .support import raster_engine as engine
from .support.base import CarbonSinkAlgorithm


class ClimatePartialCorrelation(CarbonSinkAlgorithm):
    CARBON = "CARBON"
    CARBON_YEARS = "CARBON_YEARS"
    TEMPERATURE = "TEMPERATURE"
    TEMPERATURE_YEARS = "TEMPERATURE_YEARS"
    PRECIPITATION = "PRECIPITATION"
    PRECIPITATION_YEARS = "PRECIPITATION_YEARS"
    CONTROLS = "CONTROLS"
    ALPHA = "ALPHA"
    R_TEMPERATURE = "R_TEMPERATURE"
    P_TEMPERATURE = "P_TEMPERATURE"
    R_PRECIPITATION = "R_PRECIPITATION"
    P_PRECIPITATION = "P_PRECIPITATION"
    R_MULTIPLE = "R_MULTIPLE"
    P_F = "P_F"
    DRIVER_CLASS = "DRIVER_CLASS"
    R_CONTROLS = "R_CONTROLS"
    P_CONTROLS = "P_CONTROLS"

    NAME = "climatepartialcorrelation"
    DISPLAY_NAME = "Climate partial correlation and driver types"
    GROUP_ID = "drivers"
    REQUIRES = ("scipy",)
    HELP = """
<p>Per pixel, the partial correlation of a yearly carbon series (e.g. carbon density 2001–2024) with
temperature and with precipitation of the same years, each controlling for the other (and for any further
control variables), their t tests, the multiple correlation with its F test, and a driver type raster with
the area of each type.</p>
<h3>Formulas</h3>
<p>Over the n years valid in every variable of the pixel, with Pearson r: <b>partial correlation</b>
r<sub>y1·2</sub> = (r<sub>y1</sub> − r<sub>y2</sub> r<sub>12</sub>) / √((1 − r<sub>y2</sub>²)(1 − r<sub>12</sub>²))
(y carbon, 1 temperature, 2 precipitation); with more controls the same quantity from the cofactors of
the correlation matrix (= the correlation of the residuals of y and x<sub>k</sub> regressed on the other
variables). <b>t test</b>: t = r √(n − k − 2) / √(1 − r²), df = n − k − 2, k = number of controlled
variables (1 for temperature and precipitation alone), two-sided p.<br>
<b>Multiple correlation</b> R<sub>y·12</sub> = √(1 − (1 − r<sub>y1</sub>²)(1 − r<sub>y2·1</sub>²)) (in general
1 − R² = det R / det R<sub>xx</sub>), tested by F = R² / (1 − R²) · (n − m − 1) / m with m explanatory
variables, p from F(m, n − m − 1).</p>
<h3>Driver types</h3>
<p>At significance α (p &lt; α): <b>not climate-driven</b> when F is not significant; otherwise
<b>temperature and precipitation co-driven</b> (both partial t significant), <b>temperature-driven</b>
or <b>precipitation-driven</b> (only that one significant), and <b>climate-driven, weak</b> (neither). With
additional controls the F test covers all variables and the types are still defined by temperature and
precipitation (whose partial correlations then also control for the additional variables); a pixel where
only an additional control is significant is "climate-driven, weak". The sign of r does not enter the
type; read it from the partial r rasters.</p>
<h3>Data</h3>
<p>Each stack is a multi-band raster with a band per year or a list of single-band rasters; years come
from the years parameter, the band descriptions or the file names. The years of the carbon stack are
the analysis years; temperature and precipitation (and each additional control) must have a band for every
one of them, matched by year (extra years are ignored and listed in the log). Additional controls (e.g.
an aridity index or radiation): each layer of that parameter is one multi-band stack with the years in its
band descriptions; their partial r and p are written as one band per control. A pixel needs the minimum
share of valid years (at least 4, and at least m + 2) in common to all variables; otherwise it is nodata.
A constant series, or collinear climate variables (|r<sub>12</sub>| ≈ 1), give nodata. All inputs must be on
one grid.</p>
<h3>References</h3>
<p>Fisher, R. A. (1924) The distribution of the partial correlation coefficient. Metron 3:329–332.
Anderson, T. W. (2003) An Introduction to Multivariate Statistical Analysis, 3rd ed., Wiley, §2.5, §4.3–4.4.
METHOD.md step 10 (after Bao Yubin et al., Arid Land Geography 2026, 49(4):740–755).</p>
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        engine.add_stack_input(
            self,
            self.CARBON,
            self.tr("Carbon stack (e.g. carbon density, a band per year)"),
            self.CARBON_YEARS,
        )
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
                self.CONTROLS,
                self.tr("Additional controls (each layer one multi-band stack, years in band descriptions)"),
                QgsProcessing.TypeRaster,
                optional=True,
            )
        )
        engine.add_alpha_parameter(self, self.ALPHA)
        engine.add_min_valid_parameter(self)
        engine.add_memory_parameter(self)
        engine.add_raster_output(self, self.R_TEMPERATURE, self.tr("Partial r with temperature"))
        engine.add_raster_output(
            self, self.P_TEMPERATURE, self.tr("p-value of the partial r with temperature")
        )
        engine.add_raster_output(self, self.R_PRECIPITATION, self.tr("Partial r with precipitation"))
        engine.add_raster_output(
            self, self.P_PRECIPITATION, self.tr("p-value of the partial r with precipitation")
        )
        engine.add_raster_output(self, self.R_MULTIPLE, self.tr("Multiple correlation R"))
        engine.add_raster_output(self, self.P_F, self.tr("p-value of the F test of R"))
        engine.add_raster_output(self, self.DRIVER_CLASS, self.tr("Driver type"), required=True)
        engine.add_raster_output(
            self,
            self.R_CONTROLS,
            self.tr("Partial r with each additional control (a band per control)"),
            create_by_default=False,
        )
        engine.add_raster_output(
            self,
            self.P_CONTROLS,
            self.tr("p-values of the partial r with each additional control"),
            create_by_default=False,
        )
        engine.add_class_area_output(self)

    def _controls(self, parameters, context, carbon, feedback):
        """The additional control stacks, aligned to the years of the carbon stack, and their names."""
        stacks, names = [], []
        for layer in self.parameterAsLayerList(parameters, self.CONTROLS, context):
            if layer.bandCount() < 2:
                raise QgsProcessingException(
                    self.tr(
                        "Additional control '{}' has {} band; each additional control must be one multi-band raster "
                        "with a band per year (years in the band descriptions)."
                    ).format(layer.name(), layer.bandCount())
                )
            stack = raster.open_stack(
                self.tr("Additional control '{}'").format(layer.name()),
                [engine.layer_source(self, layer)],
                None,
                [layer.name()],
            )
            stack, extra = align_years(stack, carbon.years, self.tr("the carbon stack"), carbon.warnings)
            self._report_extra(stack, extra, feedback)
            stacks.append(stack)
            names.append(layer.name())
        return stacks, names

    def _report_extra(self, stack, extra, feedback):
        if extra:
            feedback.pushInfo(
                self.tr("{} ('{}'): years {} are not in the carbon stack and are ignored.").format(
                    stack.name, stack.bands[0].layer, format_years(extra)
                )
            )

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        carbon = engine.stack_from_parameters(
            self, parameters, context, self.CARBON, self.tr("Carbon stack"), self.CARBON_YEARS
        )
        climate = self._climate(parameters, context, carbon, feedback)
        controls, control_names = self._controls(parameters, context, carbon, feedback)
        m, n = 2 + len(controls), len(carbon.years)
        if n < max(4, m + 2):
            raise QgsProcessingException(
                self.tr(
                    "'{}': {} years; partial correlation with {} climate variables needs at least {} years."
                ).format(carbon.bands[0].layer, n, m, max(4, m + 2))
            )
        alpha = self.parameterAsDouble(parameters, self.ALPHA, context)
        share = self.parameterAsDouble(parameters, engine.MIN_VALID_PERCENT, context)
        min_n = max(min_valid_years(n, share), m + 2)
        feedback.pushInfo(
            self.tr(
                "{} years ({}); {} explanatory variables ({}); a pixel needs {} years valid in all of them; "
                "α = {:g}"
            ).format(
                n,
                format_years(carbon.years),
                m,
                ", ".join(["temperature", "precipitation", *control_names]),
                min_n,
                alpha,
            )
        )
        inputs = {"carbon": carbon, **climate} | {f"control{i}": s for i, s in enumerate(controls)}
        outputs = self._outputs(parameters, context, feedback, control_names)
        v = m + 1
        report = engine.run(
            self,
            parameters,
            context,
            feedback,
            inputs,
            climate_driver_kernel(len(controls), min_n, alpha),
            outputs,
            min_valid={k: min_n for k in inputs},
            # the input windows (float32) and the kernel's float64 copies, centred series and products
            bytes_per_pixel=v * n * 28.0 + 24.0 * n + 64.0 * v * v + 256.0,
        )
        return engine.finish(self, parameters, context, feedback, report, outputs)

    def _climate(self, parameters, context, carbon, feedback):
        """The temperature and precipitation stacks, aligned to the years of the carbon stack."""
        climate = {}
        for key, name, years_name, role in (
            ("temperature", self.TEMPERATURE, self.TEMPERATURE_YEARS, self.tr("Temperature stack")),
            ("precipitation", self.PRECIPITATION, self.PRECIPITATION_YEARS, self.tr("Precipitation stack")),
        ):
            stack = engine.stack_from_parameters(self, parameters, context, name, role, years_name)
            stack, extra = align_years(stack, carbon.years, self.tr("the carbon stack"), carbon.warnings)
            self._report_extra(stack, extra, feedback)
            climate[key] = stack
        return climate

    def _outputs(self, parameters, context, feedback, control_names):
        def spec(name, description, key, **kwargs):
            return engine.output_spec(self, parameters, context, name, description, key=key, **kwargs)

        correlation = {"ramp": style.DIVERGING, "symmetric": True}
        outputs = [
            spec(self.R_TEMPERATURE, "Partial r with temperature", "r_t", **correlation),
            spec(self.P_TEMPERATURE, "p of partial r with temperature", "p_t"),
            spec(self.R_PRECIPITATION, "Partial r with precipitation", "r_p", **correlation),
            spec(self.P_PRECIPITATION, "p of partial r with precipitation", "p_p"),
            spec(self.R_MULTIPLE, "Multiple correlation R", "r_multiple", ramp=style.SEQUENTIAL),
            spec(self.P_F, "p of F test of R", "p_f"),
            spec(self.DRIVER_CLASS, DRIVER_TYPES.title, "class", dtype="uint8", scheme=DRIVER_TYPES),
        ]
        if control_names:
            bands = tuple(control_names)
            outputs += [
                spec(self.R_CONTROLS, "Partial r", "r_c", band_descriptions=bands),
                spec(self.P_CONTROLS, "p of partial r", "p_c", band_descriptions=bands),
            ]
        elif any(parameters.get(k) for k in (self.R_CONTROLS, self.P_CONTROLS)):
            feedback.pushInfo(self.tr("No additional control given: the control outputs are not written."))
        return outputs

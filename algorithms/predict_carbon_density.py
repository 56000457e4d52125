"""Apply the carbon density model to each year's factor rasters: annual carbon density, its prediction interval
and the area of applicability (docs/method.md, step 5)."""

import os

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
)

from ..core.carbon import model, prediction
from ..core.common import style
from .support import raster_engine as engine
from .support import vocabulary
from .support.base import CarbonSinkAlgorithm
from .support.vocabulary import with_help


class PredictCarbonDensity(CarbonSinkAlgorithm):
    MODEL = "MODEL"
    STATIC_FACTORS = "STATIC_FACTORS"
    YEARLY_FACTORS = "YEARLY_FACTORS"
    PREDICTION_YEARS = "PREDICTION_YEARS"
    IGNORE_EXTRA = "IGNORE_EXTRA"
    CARBON_DENSITY = "CARBON_DENSITY"
    CARBON_DENSITY_LOWER = "CARBON_DENSITY_LOWER"
    CARBON_DENSITY_UPPER = "CARBON_DENSITY_UPPER"
    DISSIMILARITY_INDEX = "DISSIMILARITY_INDEX"
    AREA_OF_APPLICABILITY = "AREA_OF_APPLICABILITY"
    OUTSIDE_AOA_PERCENT = "OUTSIDE_AOA_PERCENT"
    OUTSIDE_RANGE_PERCENT = "OUTSIDE_RANGE_PERCENT"
    # share of pixels outside the area of applicability / the training range above which a warning is given
    WARN_PERCENT = 10.0

    NAME = "predictcarbondensity"
    DISPLAY_NAME = "Predict annual carbon density"
    GROUP_ID = "carbonmodel"
    REQUIRES = ("sklearn",)
    TAGS = (
        "random forest,gradient boosting,xgboost,prediction,carbon density,annual carbon density,machine "
        "learning,regression,prediction interval,uncertainty,area of applicability,dissimilarity index"
    )
    HELP = """
Applies a model from "Train carbon density model" to the factor rasters of each year and writes one carbon
density stack (t C/hm²) with one band per year, the year as band description, nodata where any factor is
missing (docs/method.md, step 5). The rasters are read and predicted block by block, so any size fits in
memory; the values are those scikit-learn's predict gives for the same model, to the last bit.

Naming the factor rasters

The model knows its factors by name (the layer names it was trained on, e.g. NPP, NDVI, AP, MAT, DEM). Every
factor of the model must be given exactly once, and nothing else (unless "Ignore given factors the model does
not use" is ticked, as in the whole-study model, which passes every candidate): a missing or an extra factor
stops the run with its name.

- Static factors: single-band rasters used for every year, each named after its factor (e.g. a layer DEM).
- Yearly factors, per factor either one multi-band stack named after the factor (e.g. NPP), one band per
year, with the year in each band description (2001, 2002 …; the stacks of this plugin have them), or
single-band rasters named factor_year (NPP_2001, NPP_2002 …), grouped by the part before the last
underscore; the year is 1800–2199, as in training (a layer NPP_1750 is the factor NPP_1750, not a year of
NPP).

A layer is a stack when it has more than one band and a single year otherwise, so the two forms cannot be
confused. The layer name is what QGIS shows in the Layers panel (for a file added by path: the file name
without extension).

Years

Empty (default): every year that all yearly factors have (a year missing for one factor is left out, and the
log says so). Or a list such as 2001-2024 or 2001,2005,2010: every yearly factor must have each of these
years, or the run stops naming the factor and the year. When all factors are static the output has one band.

Checks

All rasters must be on one grid (same CRS, extent and pixel size; nothing is resampled). The model file is
validated before use (see the training help); a file that was edited, damaged or is not a model of this
plugin is refused. When the rasters' CRS differs from the CRS of the training rasters recorded in the model,
a warning is given: the factor values are the same whatever the CRS, but check that the rasters are the same
products.

Uncertainty and area of applicability (optional outputs, one band per year like the density)

- Lower and upper bound of the prediction interval (t C/hm²) at the level the model was trained with
(INTERVAL_LEVEL of the training; calibrated there on the cross-validation): for a Random Forest the leaf
quantiles of its training values (quantile regression forest), for gradient boosting its quantile-loss
models. A model trained with interval level 0 has none, and asking for the bounds stops the run.
- Dissimilarity index (DI): distance of the pixel's factors to the nearest training point in standardised,
importance-weighted factor space, over the mean distance between training points (Meyer & Pebesma 2021).
- Area of applicability: 1 where DI ≤ the threshold learnt in training, 0 where the model extrapolates.
The log gives the share of predicted pixels outside the area of applicability in some year (when the DI or
the mask is written) and the share with a factor outside the range of the training points in some year;
a warning when either is above 10 %. Both shares are outputs (OUTSIDE_AOA_PERCENT, OUTSIDE_RANGE_PERCENT).

References

Breiman, L. (2001) Random forests. Machine Learning 45:5–32. Meinshausen, N. (2006) Quantile regression
forests. JMLR 7:983–999. Meyer, H. & Pebesma, E. (2021) Predicting into unknown space? Estimating the area of
applicability of spatial prediction models. Methods in Ecology and Evolution 12:1620–1633.
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.addParameter(
            with_help(
                QgsProcessingParameterFile(
                    self.MODEL,
                    vocabulary.label(self.MODEL),
                    behavior=QgsProcessingParameterFile.File,
                    extension="npz",
                )
            )
        )
        for name in (self.STATIC_FACTORS, self.YEARLY_FACTORS):
            self.addParameter(
                with_help(
                    QgsProcessingParameterMultipleLayers(
                        name, vocabulary.label(name), QgsProcessing.TypeRaster, optional=True
                    )
                )
            )
        years = QgsProcessingParameterString(
            self.PREDICTION_YEARS,
            self.tr("Years to predict (empty: the years all yearly factors have)"),
            optional=True,
        )
        years.setHelp(
            self.tr("e.g. 2001-2024 or 2001,2005,2010; every yearly factor must have each of them.")
        )
        self.addParameter(years)
        ignore = QgsProcessingParameterBoolean(
            self.IGNORE_EXTRA, vocabulary.label(self.IGNORE_EXTRA), defaultValue=False
        )
        with_help(ignore)
        self.addParameter(ignore)
        engine.add_memory_parameter(self)
        engine.add_raster_output(self, self.CARBON_DENSITY, required=True)
        for name in (
            self.CARBON_DENSITY_LOWER,
            self.CARBON_DENSITY_UPPER,
            self.DISSIMILARITY_INDEX,
            self.AREA_OF_APPLICABILITY,
        ):
            engine.add_raster_output(self, name, create_by_default=False)
        for name, label in (
            (self.OUTSIDE_AOA_PERCENT, "Pixels outside the area of applicability in some year (%)"),
            (self.OUTSIDE_RANGE_PERCENT, "Pixels with a factor outside the training range in some year (%)"),
        ):
            self.addOutput(QgsProcessingOutputNumber(name, self.tr(label)))

    def checkParameterValues(self, parameters, context):  # noqa: N802
        static = self.parameterAsLayerList(parameters, self.STATIC_FACTORS, context)
        yearly = self.parameterAsLayerList(parameters, self.YEARLY_FACTORS, context)
        if not static and not yearly:
            return False, self.tr("Give the factor rasters: static factors, yearly factors, or both.")
        return super().checkParameterValues(parameters, context)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        model_path = self.parameterAsFile(parameters, self.MODEL, context)
        if not model_path:
            raise QgsProcessingException(self.tr("No model file given"))
        carbon_model = model.load_model(model_path)
        meta = carbon_model.meta
        model_name = os.path.basename(model_path)
        inputs = prediction.prediction_inputs(
            carbon_model.factors,
            self._layers(parameters, context, self.STATIC_FACTORS),
            self._layers(parameters, context, self.YEARLY_FACTORS),
            years=self.parameterAsString(parameters, self.PREDICTION_YEARS, context),
            ignore_extra=self.parameterAsBool(parameters, self.IGNORE_EXTRA, context),
            model_name=model_name,
        )
        if inputs.ignored:
            feedback.pushInfo(self.tr("Not used by the model, ignored: {}").format(", ".join(inputs.ignored)))
        for warning in inputs.warnings:
            feedback.pushWarning(warning)
        warning = prediction.crs_warning(meta.get("crs_wkt") or "", inputs.grid, model_name)
        if warning:
            feedback.pushWarning(warning)
        self._log_inputs(feedback, meta, inputs, carbon_model)
        specs = self._output_specs(parameters, context, inputs, carbon_model, model_name)
        keys = [spec.key for spec in specs if spec is not None]
        kernel = prediction.model_kernel(carbon_model, inputs, keys)
        result = engine.run(
            self,
            parameters,
            context,
            feedback,
            inputs.stacks,
            kernel,
            specs,
            bytes_per_pixel=inputs.bytes_per_pixel() + 16.0 * inputs.n_years * (len(keys) - 1),
            counters=("predicted",)
            + (("outside_range",) if carbon_model.factor_range is not None else ())
            + (("outside_aoa",) if {"di", "aoa"} & set(keys) else ()),
        )
        results = engine.finish(self, parameters, context, feedback, result, specs)
        return results | self._log_shares(feedback, result.counters)

    def _output_specs(self, parameters, context, inputs, carbon_model, model_name):
        """The requested outputs; an interval or applicability output the model cannot give stops the run."""
        bands = tuple(str(y) for y in inputs.years) if inputs.years is not None else None
        level = carbon_model.interval["level"] if carbon_model.has_interval else None
        wanted = (
            (self.CARBON_DENSITY, "Carbon density (t C/hm2)", "density", style.SEQUENTIAL, None),
            (self.CARBON_DENSITY_LOWER, "Lower bound of the {:.0%} prediction interval (t C/hm2)", "lower",
             style.SEQUENTIAL, None),
            (self.CARBON_DENSITY_UPPER, "Upper bound of the {:.0%} prediction interval (t C/hm2)", "upper",
             style.SEQUENTIAL, None),
            (self.DISSIMILARITY_INDEX, "Dissimilarity index", "di", style.SEQUENTIAL_STABILITY, None),
            (self.AREA_OF_APPLICABILITY, "Area of applicability (1 inside, 0 outside)", "aoa", None,
             style.pseudocolor_qml(0.0, 1.0, ("#d73027", "#1a9850"))),
        )  # fmt: skip
        specs = []
        for name, description, key, ramp, qml in wanted:
            if key in ("lower", "upper") and level is not None:
                description = description.format(level)
            spec = engine.output_spec(self, parameters, context, name, description, key=key, ramp=ramp,
                                      band_descriptions=bands)  # fmt: skip
            if spec is not None and key in ("lower", "upper") and level is None:
                raise QgsProcessingException(self.tr(
                    "{}: model '{}' has no prediction interval (it was trained with interval level 0). Retrain "
                    "it with an interval level, or leave this output out.").format(name, model_name))  # fmt: skip
            if spec is not None and key in ("di", "aoa") and not carbon_model.has_applicability:
                raise QgsProcessingException(self.tr(
                    "{}: model '{}' has no area of applicability (a model file of an older version). Retrain it "
                    "with this version, or leave this output out.").format(name, model_name))  # fmt: skip
            if spec is not None and qml is not None:
                spec.qml = qml
            specs.append(spec)
        return specs

    def _log_shares(self, feedback, counters):
        """Log (and warn about) the shares of pixels outside the AOA and outside the training range."""
        predicted = counters.get("predicted", 0)
        out = {self.OUTSIDE_AOA_PERCENT: None, self.OUTSIDE_RANGE_PERCENT: None}
        if not predicted:
            return out
        for name, key, text in (
            (self.OUTSIDE_RANGE_PERCENT, "outside_range", self.tr(
                "{:.1f} % of the predicted pixels ({:,}) have a factor outside the range of the training points "
                "in some year: the model extrapolates there.")),
            (self.OUTSIDE_AOA_PERCENT, "outside_aoa", self.tr(
                "{:.1f} % of the predicted pixels ({:,}) lie outside the area of applicability in some year: "
                "their factors are unlike those of any training point.")),
        ):  # fmt: skip
            if key not in counters:
                continue
            share = 100.0 * counters[key] / predicted
            out[name] = share
            message = text.format(share, counters[key])
            if share > self.WARN_PERCENT:
                feedback.pushWarning(message + self.tr(" Read the prediction there with caution."))
            else:
                feedback.pushInfo(message)
        if "outside_aoa" not in counters:
            feedback.pushInfo(self.tr("Write the dissimilarity index or the area of applicability to have the share "
                                      "of pixels outside the area of applicability counted."))  # fmt: skip
        return out

    def _layers(self, parameters, context, name):
        """The layers of a multiple-layer parameter as core :class:`FactorLayer` (name, file, bands)."""
        return [
            prediction.FactorLayer(lyr.name(), engine.layer_source(self, lyr), lyr.bandCount())
            for lyr in self.parameterAsLayerList(parameters, name, context)
        ]

    def _log_inputs(self, feedback, meta, inputs, carbon_model):
        units = meta.get("units") or {}
        predictor = carbon_model.predictor
        feedback.pushInfo(
            self.tr("Model: {} of {} trees on {} factors ({} compiled to lookup tables), target '{}'.").format(
                carbon_model.kind, predictor.n_trees, len(inputs.factors), int(predictor.tabulated.sum()),
                meta.get("target", ""),
            )
        )  # fmt: skip
        for factor, stack, yearly in zip(inputs.factors, inputs.stacks.values(), inputs.yearly):
            unit = f" [{units[factor]}]" if factor in units else ""
            layers = sorted({b.layer for b in stack.bands})
            shown = ", ".join(layers[:3]) + (f" … ({len(layers)} layers)" if len(layers) > 3 else "")
            feedback.pushInfo(f"  {factor}{unit}: {'yearly' if yearly else 'static'}, {shown}")
        if inputs.years is not None:
            feedback.pushInfo(
                self.tr("Predicting {} year(s): {}").format(
                    len(inputs.years), prediction.year_list(inputs.years)
                )
            )

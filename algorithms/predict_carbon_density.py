"""Apply the Random Forest model to each year's factor rasters: annual carbon density (METHOD.md step 5)."""

import os

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
)

from ..core.carbon import forest, prediction
from ..core.common import style
from .support import raster_engine as engine
from .support.base import CarbonSinkAlgorithm


class PredictCarbonDensity(CarbonSinkAlgorithm):
    MODEL = "MODEL"
    STATIC_FACTORS = "STATIC_FACTORS"
    YEARLY_FACTORS = "YEARLY_FACTORS"
    YEARS = "YEARS"
    IGNORE_EXTRA = "IGNORE_EXTRA"
    OUTPUT = "OUTPUT"

    NAME = "predictcarbondensity"
    DISPLAY_NAME = "Predict annual carbon density"
    GROUP_ID = "carbonmodel"
    REQUIRES = ("sklearn",)
    HELP = """
<p>Applies a model from <i>Train Random Forest model</i> to the factor rasters of each year and writes one
carbon density raster stack (t C/hm²) with <b>one band per year</b>, the year as band description, nodata
where any factor is missing. The rasters are read and predicted block by block, so any size fits in
memory.</p>
<h3>Naming the factor rasters</h3>
<p>The model knows its factors by name (the layer names it was trained on, e.g. NPP, NDVI, AP, MAT, DEM).
Every factor of the model must be given exactly once, and nothing else (unless "Ignore given factors the
model does not use" is ticked, as in the whole-study model that passes every candidate): a missing or an extra factor stops
the run with its name.</p>
<ul>
<li><b>Static factors</b>: single-band rasters used for every year, each <b>named after its factor</b>
(e.g. a layer <code>DEM</code>).</li>
<li><b>Yearly factors</b>, either form, per factor:
 <ul>
 <li>one <b>multi-band stack named after the factor</b> (e.g. <code>NPP</code>), one band per year, with the
 year in each band description (2001, 2002 …; the stacks written by this plugin have them);</li>
 <li>or <b>single-band rasters named <code>&lt;factor&gt;_&lt;year&gt;</code></b> (e.g. <code>NPP_2001</code>,
 <code>NPP_2002</code> …), grouped by the part before the last underscore; the year is 1800–2199, as in
 training (a layer <code>NPP_1750</code> is the factor <code>NPP_1750</code>, not a year of NPP).</li>
 </ul></li>
</ul>
<p>A layer is a stack when it has more than one band and a single year otherwise, so the two forms cannot be
confused. The layer name is what QGIS shows in the Layers panel (for a file added by path: the file name
without extension).</p>
<h3>Years</h3>
<p>Empty: every year that all yearly factors have (a year missing for one factor is left out, and the log
says so). Or a list such as <code>2001-2024</code> or <code>2001,2005,2010</code>: every yearly factor must
have each of these years, or the run stops naming the factor and the year. When all factors are static the
output has one band.</p>
<h3>Checks</h3>
<p>All rasters must be on one grid (same CRS, extent and pixel size; nothing is resampled). The model file is
validated before use (see the training help); a file that was edited, damaged or is not a model of this
plugin is refused. When the rasters' CRS differs from the CRS of the training rasters recorded in the model,
a warning is given: the factor values are the same whatever the CRS, but check that the rasters are the
same products.</p>
<h3>Speed</h3>
<p>The trees are compiled into lookup tables over their own threshold intervals, so a block is predicted with
a few vectorised array operations per factor and per tree instead of a walk down each tree for each pixel;
trees too large for a table are walked by scikit-learn's compiled code. The result is identical to
scikit-learn's <code>predict</code>, bit for bit.</p>
<h3>References</h3>
<p>Breiman, L. (2001) Random forests. Machine Learning 45:5–32. Bao et al. (2026) Arid Land Geography
49(4):740–755; METHOD.md step 5.</p>
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.addParameter(
            QgsProcessingParameterFile(
                self.MODEL,
                self.tr("Model file (from Train Random Forest model)"),
                behavior=QgsProcessingParameterFile.File,
                extension="npz",
            )
        )
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.STATIC_FACTORS,
                self.tr("Static factors (single-band rasters named after the factor, e.g. DEM)"),
                QgsProcessing.TypeRaster,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.YEARLY_FACTORS,
                self.tr(
                    "Yearly factors (a multi-band stack named after the factor, years in the band "
                    "descriptions, or single-band rasters named <factor>_<year>, e.g. NPP_2001)"
                ),
                QgsProcessing.TypeRaster,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.YEARS,
                self.tr("Years to predict, e.g. 2001-2024 (empty: the years all yearly factors have)"),
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.IGNORE_EXTRA,
                self.tr("Ignore given factors the model does not use (e.g. those screening dropped)"),
                defaultValue=False,
            )
        )
        engine.add_memory_parameter(self)
        engine.add_raster_output(
            self, self.OUTPUT, self.tr("Carbon density (t C/hm², one band per year)"), required=True
        )

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
        predictor, meta = forest.load_model(model_path)
        model_name = os.path.basename(model_path)
        inputs = prediction.prediction_inputs(
            meta["factors"],
            self._layers(parameters, context, self.STATIC_FACTORS),
            self._layers(parameters, context, self.YEARLY_FACTORS),
            years=self.parameterAsString(parameters, self.YEARS, context),
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
        self._log_inputs(feedback, meta, inputs, predictor)
        spec = engine.output_spec(
            self,
            parameters,
            context,
            self.OUTPUT,
            "Carbon density (t C/hm2)",
            key="density",
            ramp=style.SEQUENTIAL,
            band_descriptions=tuple(str(y) for y in inputs.years) if inputs.years is not None else None,
        )
        kernel = prediction.density_kernel(predictor, inputs)
        result = engine.run(
            self,
            parameters,
            context,
            feedback,
            inputs.stacks,
            kernel,
            [spec],
            bytes_per_pixel=inputs.bytes_per_pixel(),
        )
        return engine.finish(self, parameters, context, feedback, result, [spec])

    def _layers(self, parameters, context, name):
        """The layers of a multiple-layer parameter as core :class:`FactorLayer` (name, file, bands)."""
        return [
            prediction.FactorLayer(lyr.name(), engine.layer_source(self, lyr), lyr.bandCount())
            for lyr in self.parameterAsLayerList(parameters, name, context)
        ]

    def _log_inputs(self, feedback, meta, inputs, predictor):
        units = meta.get("units") or {}
        feedback.pushInfo(
            self.tr("Model: {} trees on {} factors ({} compiled to lookup tables), target '{}'.").format(
                predictor.n_trees, len(inputs.factors), int(predictor.tabulated.sum()), meta.get("target", "")
            )
        )
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

"""Apply the Random Forest model to each year's factor rasters: annual carbon density (METHOD.md step 5)."""

import os
import re

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
)

from ..core.carbon import forest
from ..core.common import style
from ..core.engine import raster
from .support import raster_engine as engine
from .support.base import CarbonSinkAlgorithm

_YEARLY_NAME = re.compile(r"^(?P<factor>.+)_(?P<year>\d{4})$")


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
 <code>NPP_2002</code> …), grouped by the part before the last underscore.</li>
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

    # ---------------------------------------------------------------------------------------------- inputs
    def _source(self, layer):
        return engine.layer_source(self, layer)

    def _static(self, layers):
        stacks = {}
        for lyr in layers:
            if lyr.bandCount() != 1:
                raise QgsProcessingException(
                    self.tr(
                        "Static factor layer '{}' has {} bands; a static factor is one single-band raster. Put a "
                        "stack with one band per year into Yearly factors."
                    ).format(lyr.name(), lyr.bandCount())
                )
            try:
                stacks[lyr.name()] = raster.open_band(
                    f"Static factor '{lyr.name()}'", self._source(lyr), lyr.name()
                )
            except raster.RasterInputError as exc:
                raise QgsProcessingException(str(exc)) from exc
        return stacks

    def _yearly(self, layers):
        stacks, singles = {}, {}
        for lyr in layers:
            name = lyr.name()
            if lyr.bandCount() > 1:
                if name in stacks:
                    raise QgsProcessingException(self.tr("Yearly factor '{}' is given twice").format(name))
                try:
                    stack = raster.open_stack(f"Yearly factor '{name}'", [self._source(lyr)], None, [name])
                except raster.RasterInputError as exc:
                    raise QgsProcessingException(str(exc)) from exc
                if stack.warnings:
                    raise QgsProcessingException(
                        self.tr(
                            "Yearly factor layer '{}' ({} bands): no year found in the band descriptions. Set each band's "
                            "description to its year (e.g. 2001), or give single-band rasters named {}_2001, {}_2002 …"
                        ).format(name, lyr.bandCount(), name, name)
                    )
                stacks[name] = stack
                continue
            match = _YEARLY_NAME.match(name)
            if not match:
                raise QgsProcessingException(
                    self.tr(
                        "Yearly factor layer '{}' has one band but its name is not <factor>_<year> (e.g. NPP_2001). "
                        "Rename it, give a multi-band stack named after the factor, or put it into Static factors if "
                        "it does not change with the year."
                    ).format(name)
                )
            singles.setdefault(match.group("factor"), []).append((int(match.group("year")), lyr))
        for factor, items in singles.items():
            if factor in stacks:
                raise QgsProcessingException(
                    self.tr(
                        "Yearly factor '{}' is given twice: as the stack '{}' and as single-band rasters ({})"
                    ).format(factor, factor, ", ".join((lyr.name() for _, lyr in items)))
                )
            items.sort(key=lambda item: item[0])
            years = [y for y, _ in items]
            dup = sorted({y for y in years if years.count(y) > 1})
            if dup:
                raise QgsProcessingException(
                    self.tr("Yearly factor '{}': more than one layer for year {}").format(factor, dup[0])
                )
            try:
                stacks[factor] = raster.open_stack(
                    f"Yearly factor '{factor}'",
                    [self._source(lyr) for _, lyr in items],
                    years,
                    [lyr.name() for _, lyr in items],
                )
            except raster.RasterInputError as exc:
                raise QgsProcessingException(str(exc)) from exc
        return stacks

    def _years(self, parameters, context, yearly, feedback):
        text = self.parameterAsString(parameters, self.YEARS, context)
        if not yearly:
            if text and text.strip():
                raise QgsProcessingException(
                    self.tr(
                        "Years were given but every factor is static: the prediction would not change with the year."
                    )
                )
            return None
        have = {name: set(int(y) for y in s.years) for name, s in yearly.items()}
        if text and text.strip():
            try:
                years = [int(y) for y in raster.parse_years(text)]
            except raster.RasterInputError as exc:
                raise QgsProcessingException(str(exc)) from exc
            for name, got in have.items():
                missing = [y for y in years if y not in got]
                if missing:
                    raise QgsProcessingException(
                        self.tr("Yearly factor '{}' has no raster for year {} (it has {})").format(
                            name, ", ".join(map(str, missing)), _year_list(got)
                        )
                    )
            return years
        common = sorted(set.intersection(*have.values()))
        if not common:
            raise QgsProcessingException(
                self.tr("The yearly factors have no year in common: {}").format(
                    "; ".join(f"{n}: {_year_list(got)}" for n, got in have.items())
                )
            )
        for name, got in have.items():
            left = sorted(got - set(common))
            if left:
                feedback.pushWarning(
                    self.tr(
                        "Yearly factor '{}': year(s) {} not predicted (not every yearly factor has them)"
                    ).format(name, _year_list(left)),
                )
        return common

    # -------------------------------------------------------------------------------------------------- run
    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        model_path = self.parameterAsFile(parameters, self.MODEL, context)
        if not model_path:
            raise QgsProcessingException(self.tr("No model file given"))
        try:
            predictor, meta = forest.load_model(model_path)
        except ValueError as exc:
            raise QgsProcessingException(str(exc)) from exc
        model_name = os.path.basename(model_path)
        static = self._static(self.parameterAsLayerList(parameters, self.STATIC_FACTORS, context))
        yearly = self._yearly(self.parameterAsLayerList(parameters, self.YEARLY_FACTORS, context))
        both = sorted(set(static) & set(yearly))
        if both:
            raise QgsProcessingException(
                self.tr("Factor {} is given both as a static and as a yearly factor").format(", ".join(both))
            )
        if self.parameterAsBool(parameters, self.IGNORE_EXTRA, context):
            unused = sorted(set(static) | set(yearly) - set(meta["factors"]))
            if unused:
                feedback.pushInfo(self.tr("Not used by the model, ignored: {}").format(", ".join(unused)))
            static = {k: v for k, v in static.items() if k in meta["factors"]}
            yearly = {k: v for k, v in yearly.items() if k in meta["factors"]}
        given = list(static) + list(yearly)
        try:
            forest.match_factors(meta["factors"], given)
        except ValueError as exc:
            raise QgsProcessingException(self.tr("Model '{}': {}").format(model_name, exc)) from exc
        years = self._years(parameters, context, yearly, feedback)

        inputs, kinds = {}, []
        for j, factor in enumerate(meta["factors"]):
            key = f"f{j}"
            if factor in static:
                inputs[key] = static[factor]
                kinds.append(None)
            else:
                stack = yearly[factor]
                index = {int(y): i for i, y in enumerate(stack.years)}
                chosen = [index[y] for y in years]
                inputs[key] = raster.Stack(
                    stack.name, [stack.bands[i] for i in chosen], np.asarray(years), stack.grid
                )
                kinds.append("yearly")
        try:
            grid = raster.check_same_grid(list(inputs.values()))
        except raster.RasterInputError as exc:
            raise QgsProcessingException(str(exc)) from exc
        self._check_crs(meta, grid, model_name, feedback)
        self._log_inputs(feedback, meta, inputs, kinds, years, predictor)

        n_years = len(years) if years is not None else 1
        keys = list(inputs)
        n_f = len(keys)

        def kernel(blocks):
            n = blocks[keys[0]].shape[1]
            X = np.empty((n_f, n), dtype=np.float32)
            out = np.empty((n_years, n), dtype=np.float32)
            for j, key in enumerate(keys):
                if kinds[j] is None:
                    X[j] = blocks[key][0]
            for t in range(n_years):
                for j, key in enumerate(keys):
                    if kinds[j] is not None:
                        X[j] = blocks[key][t]
                out[t] = forest.predict_block(predictor, X)
            return {"density": out if years is not None else out[0]}

        spec = engine.output_spec(
            self,
            parameters,
            context,
            self.OUTPUT,
            "Carbon density (t C/hm2)",
            key="density",
            ramp=style.SEQUENTIAL,
            band_descriptions=tuple(str(y) for y in years) if years is not None else None,
        )
        n_in = sum(len(s) for s in inputs.values())
        result = engine.run(
            self,
            parameters,
            context,
            feedback,
            inputs,
            kernel,
            [spec],
            bytes_per_pixel=16.0 * n_in + 16.0 * n_years + 8.0 * n_f + 96.0,
        )
        return engine.finish(self, parameters, context, feedback, result, [spec])

    def _check_crs(self, meta, grid, model_name, feedback):
        trained = meta.get("crs_wkt") or ""
        if not trained:
            return
        probe = raster.Grid(trained, grid.geotransform, grid.xsize, grid.ysize)
        diff = probe.difference(grid)
        if diff:
            feedback.pushWarning(
                self.tr(
                    "Model '{}' was trained on rasters in another CRS: {}. The prediction goes on (factor values "
                    "do not depend on the CRS), but check that these rasters are the same products, in the same "
                    "units, as the training rasters."
                ).format(model_name, diff),
            )

    def _log_inputs(self, feedback, meta, inputs, kinds, years, predictor):
        units = meta.get("units") or {}
        feedback.pushInfo(
            self.tr("Model: {} trees on {} factors ({} compiled to lookup tables), target '{}'.").format(
                predictor.n_trees,
                len(meta["factors"]),
                int(predictor.tabulated.sum()),
                meta.get("target", ""),
            )
        )
        for factor, stack, kind in zip(meta["factors"], inputs.values(), kinds):
            unit = f" [{units[factor]}]" if factor in units else ""
            layers = sorted({b.layer for b in stack.bands})
            shown = ", ".join(layers[:3]) + (f" … ({len(layers)} layers)" if len(layers) > 3 else "")
            feedback.pushInfo(f"  {factor}{unit}: {'static' if kind is None else 'yearly'}, {shown}")
        if years is not None:
            feedback.pushInfo(self.tr("Predicting {} year(s): {}").format(len(years), _year_list(years)))


def _year_list(years):
    """2001–2003, 2005 for [2001, 2002, 2003, 2005]."""
    years = sorted(int(y) for y in years)
    parts, start = [], None
    for i, y in enumerate(years):
        if start is None:
            start = y
        if i + 1 == len(years) or years[i + 1] != y + 1:
            parts.append(str(start) if start == y else f"{start}–{y}")
            start = None
    return ", ".join(parts) if parts else "none"

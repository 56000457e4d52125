"""Carbon storage accounting: storage stack, yearly totals and mean density, per region, with trends and their
confidence intervals, inside and outside the area of applicability (docs/method.md, step 5)."""

import os

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingUtils,
)

from ..core.carbon import model, prediction, storage
from ..core.common import style
from ..core.engine import band_checks, raster
from ..core.reports import store
from .support import raster_engine as engine
from .support import vector_io, vocabulary
from .support.base import CarbonSinkAlgorithm
from .support.vocabulary import with_help


class CarbonStorage(CarbonSinkAlgorithm):
    CARBON_DENSITY = "CARBON_DENSITY"
    CARBON_DENSITY_YEARS = "CARBON_DENSITY_YEARS"
    REGIONS_RASTER = "REGIONS_RASTER"
    REGIONS = "REGIONS"
    REGION_FIELD = "REGION_FIELD"
    MODEL = "MODEL"
    STATIC_FACTORS = "STATIC_FACTORS"
    YEARLY_FACTORS = "YEARLY_FACTORS"
    IGNORE_EXTRA = "IGNORE_EXTRA"
    CONFIDENCE_LEVEL = "CONFIDENCE_LEVEL"
    AREA_OF_APPLICABILITY = "AREA_OF_APPLICABILITY"
    STORAGE = "STORAGE"
    STORAGE_TABLE = "STORAGE_TABLE"
    STORAGE_TRENDS = "STORAGE_TRENDS"
    REPORT = "REPORT"
    STORAGE_TREND = "STORAGE_TREND_T_PER_YEAR"
    DENSITY_TREND = "DENSITY_TREND_T_PER_HM2_PER_YEAR"
    STORAGE_TREND_LOWER = "STORAGE_TREND_T_PER_YEAR_LOWER"
    STORAGE_TREND_UPPER = "STORAGE_TREND_T_PER_YEAR_UPPER"
    NEGATIVE_PIXELS = "NEGATIVE_PIXELS"

    NAME = "carbonstorage"
    DISPLAY_NAME = "Carbon storage accounting"
    GROUP_ID = "carbonmodel"
    REQUIRES = ("scipy",)
    TAGS = (
        "carbon storage,carbon stock,total storage,mean density,storage trend,accounting,uncertainty,"
        "confidence interval,bootstrap,area of applicability"
    )
    HELP = """
Carbon storage from a yearly carbon density stack (docs/method.md, step 5): a storage stack (t C per pixel),
the total storage and the area-weighted mean density of every year, optionally per reporting region (a
raster of region codes, e.g. land use or counties, or polygons), and the least-squares trend of both with R²
and p, in tables and an HTML report with a chart.

Formulas

  storage of a pixel (t C) = carbon density (t C/hm²) × true pixel area (hm²)
  total storage of a year = Σ storage;  mean density = total storage / total area
  trend = least-squares slope over the years (t C/a and t C/hm²/a), with R² and the t test of the slope (n − 2 degrees of freedom)

The pixel area is the area of the pixel on the ellipsoid of the raster's CRS, for every CRS (on Web Mercator
or UTM the map area of a pixel is not its true area; on a geographic CRS it is never degrees²). A raster
without a CRS stops the run.

Data

Only pixels with a valid density in every year are counted, so every yearly total covers the same area; the
number of pixels left out is reported. A carbon density cannot be negative: a pixel with a negative density in
any year is nodata in the storage stack and left out of every total; such pixels are counted (NEGATIVE_PIXELS)
and reported in a warning with the lowest value found (many of them mean the input is not a carbon density).
A stack with no pixel valid and non-negative in every year is refused before any output is written.
Reporting regions: codes of a region raster on the same grid (names from its category names when it has
them), or polygons burnt onto the grid by pixel centre; the tables then hold all regions together first,
then each region.

Confidence intervals (optional: give the model and its factor rasters)

With the model file that predicted the density and the same factor rasters (as for "Predict annual carbon
density"; the years are those of the density stack), every total, mean density and trend gets a confidence
interval at the confidence level (default 0.9) from the model's bootstrap replicates: the trees of a Random
Forest (each grown on a bootstrap sample of the plots, so each is a model refitted on resampled plots) or the
bootstrap replicates a gradient-boosting model was trained with (BOOTSTRAP_REPLICATES of the training). Each
replicate's totals are summed over the same pixels as the estimate in the same pass:

  SE = standard deviation of the replicates' totals (or trend slopes);  interval = estimate ± z·SE,
  z = Φ⁻¹((1 + level)/2)

The interval shows how the totals would vary had other plots been sampled; it does not contain a bias of the
model, nor errors of the plot measurements or of the factor rasters. Pixels with a missing factor in some
year are left out, as the prediction leaves them out. The replicates are fixed when the model is trained
(with its seed), so the intervals need no seed here; a model with fewer than 2 replicates stops the run.

Area of applicability (optional)

With the AREA_OF_APPLICABILITY output of the prediction (1 inside, 0 outside, one band per year), the
tables give every total also for the pixels inside the area of applicability in every year and for the
others (column aoa: all, inside AOA, outside AOA).

References

Efron, B. & Tibshirani, R. J. (1993) An Introduction to the Bootstrap. Chapman & Hall. Meyer, H. &
Pebesma, E. (2021) Methods in Ecology and Evolution 12:1620–1633. IPCC (2006) Guidelines for National Greenhouse Gas Inventories, Vol. 4: Agriculture, Forestry and Other Land
Use. IGES, Hayama.
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        engine.add_stack_input(self, self.CARBON_DENSITY, years_name=self.CARBON_DENSITY_YEARS)
        engine.add_band_input(self, self.REGIONS_RASTER, optional=True)
        self.addParameter(
            with_help(
                QgsProcessingParameterFeatureSource(
                    self.REGIONS,
                    vocabulary.label(self.REGIONS),
                    [QgsProcessing.TypeVectorPolygon],
                    optional=True,
                )
            )
        )
        self.addParameter(
            with_help(
                QgsProcessingParameterField(
                    self.REGION_FIELD,
                    vocabulary.label(self.REGION_FIELD),
                    parentLayerParameterName=self.REGIONS,
                    optional=True,
                )
            )
        )
        self._add_interval_parameters()
        engine.add_memory_parameter(self)
        engine.add_raster_output(self, self.STORAGE)
        engine.add_table_output(
            self,
            self.STORAGE_TABLE,
            self.tr("Storage per year"),
            self.tr(
                "Per region, part (all, inside / outside the area of applicability) and year: storage (t C) "
                "and mean density (t C/hm²) with their confidence intervals, area (hm²)."
            ),
        )
        engine.add_table_output(
            self,
            self.STORAGE_TRENDS,
            self.tr("Storage and density trends"),
            self.tr(
                "Per region and part: least-squares slope with its confidence interval, intercept, R², p and n "
                "of total storage and mean density."
            ),
        )
        engine.add_report_output(self, self.REPORT)
        self.addOutput(QgsProcessingOutputNumber(self.STORAGE_TREND, self.tr("Total storage trend (t C/a)")))
        self.addOutput(
            QgsProcessingOutputNumber(self.DENSITY_TREND, self.tr("Mean density trend (t C/hm²/a)"))
        )
        for name, label in (
            (self.STORAGE_TREND_LOWER, "Total storage trend, lower confidence bound (t C/a)"),
            (self.STORAGE_TREND_UPPER, "Total storage trend, upper confidence bound (t C/a)"),
        ):
            self.addOutput(QgsProcessingOutputNumber(name, self.tr(label)))
        self.addOutput(
            QgsProcessingOutputNumber(
                self.NEGATIVE_PIXELS, self.tr("Pixels left out for a negative density in some year")
            )
        )

    def _add_interval_parameters(self):
        """The model and its factors (for confidence intervals), the confidence level, the AOA mask."""
        self.addParameter(
            with_help(
                QgsProcessingParameterFile(
                    self.MODEL,
                    vocabulary.label(self.MODEL),
                    behavior=QgsProcessingParameterFile.File,
                    extension="npz",
                    optional=True,
                ),
                self.tr("The model that predicted the density, for confidence intervals (optional)."),
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
        self.addParameter(
            with_help(
                QgsProcessingParameterBoolean(
                    self.IGNORE_EXTRA, vocabulary.label(self.IGNORE_EXTRA), defaultValue=False, optional=True
                )
            )
        )
        level = QgsProcessingParameterNumber(
            self.CONFIDENCE_LEVEL,
            vocabulary.label(self.CONFIDENCE_LEVEL),
            QgsProcessingParameterNumber.Double,
            defaultValue=0.9,
            optional=True,  # with its default, so that models saved before it still validate
            minValue=0.5,
            maxValue=0.999,
        )
        self.addParameter(with_help(level))
        self.addParameter(
            with_help(
                QgsProcessingParameterRasterLayer(
                    self.AREA_OF_APPLICABILITY, vocabulary.label(self.AREA_OF_APPLICABILITY), optional=True
                )
            )
        )

    def checkParameterValues(self, parameters, context):  # noqa: N802
        has_raster = parameters.get(self.REGIONS_RASTER) not in (None, "")
        has_polygons = parameters.get(self.REGIONS) not in (None, "")
        if has_raster and has_polygons:
            return False, self.tr("Give the reporting regions either as a raster or as polygons, not both.")
        if has_polygons and not parameters.get(self.REGION_FIELD):
            return False, self.tr("Choose the region name field of the region polygons.")
        has_model = parameters.get(self.MODEL) not in (None, "")
        has_factors = any(
            parameters.get(n) not in (None, "", []) for n in (self.STATIC_FACTORS, self.YEARLY_FACTORS)
        )
        if has_model and not has_factors:
            return False, self.tr(
                "MODEL is given: give its factor rasters too (STATIC_FACTORS and/or YEARLY_FACTORS), as for the "
                "prediction, for the confidence intervals."
            )
        if has_factors and not has_model:
            return False, self.tr(
                "Factor rasters are given but no MODEL: give the model file that predicted the density."
            )
        return super().checkParameterValues(parameters, context)

    def _zones(self, parameters, context, grid, feedback):
        """The reporting regions as a one-band stack and their names, or (None, {0: 'Region'})."""
        zones = engine.band_from_parameters(
            self, parameters, context, self.REGIONS_RASTER, self.tr("Reporting regions")
        )
        if zones is not None:
            return zones, raster.category_names(zones)
        source = self.parameterAsSource(parameters, self.REGIONS, context)
        if source is None:
            return None, {0: "Region"}
        path = QgsProcessingUtils.generateTempFilename("regions.tif")
        field = self.parameterAsString(parameters, self.REGION_FIELD, context)
        path, names = vector_io.rasterize_zones(self, source, field, grid, context, path)
        feedback.pushInfo(self.tr("{} regions rasterised from '{}'").format(len(names), source.sourceName()))
        return raster.open_band(self.tr("Reporting regions"), path, source.sourceName()), names

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        density = engine.stack_from_parameters(
            self,
            parameters,
            context,
            self.CARBON_DENSITY,
            self.tr("Carbon density stack"),
            self.CARBON_DENSITY_YEARS,
        )
        engine.require_crs(density)  # storage = density × true pixel area
        years = density.years
        n = len(years)
        self._check_some_storage(density, n, feedback)
        zones, names = self._zones(parameters, context, density.grid, feedback)
        carbon_model, factors = self._model_inputs(parameters, context, feedback, density)
        aoa = self._applicability(parameters, context, density)
        acc = model.StorageAccumulator(carbon_model, n, split_applicability=aoa is not None)
        inputs = {"density": density} | ({"zones": zones} if zones is not None else {})
        inputs |= (factors.stacks if factors is not None else {}) | ({"aoa": aoa} if aoa is not None else {})
        lowest = [np.inf]

        def kernel(blocks):
            return {
                "storage": storage.storage_from_density(blocks["density"], blocks["pixel_area_m2"]),
                "negative": storage.negative_density_pixels(blocks["density"]),
            }

        def reduce(results, packed):
            acc.add(
                None if factors is None else _factor_years(factors, packed, n),
                packed["density"],
                packed["pixel_area_m2"][0],
                packed["zones"][0] if zones is not None else None,
                None if aoa is None else np.all(packed["aoa"] == 1.0, axis=0),
            )
            if results["negative"].any():
                lowest[0] = min(lowest[0], float(np.nanmin(packed["density"][:, results["negative"]])))

        outputs = [
            engine.output_spec(self, parameters, context, self.STORAGE, "Carbon storage (t C)", key="storage",
                               band_descriptions=tuple(str(y) for y in years), ramp=style.SEQUENTIAL)
        ]  # fmt: skip
        min_valid = {"density": n} | {k: len(v) for k, v in (factors.stacks if factors else {}).items()}
        run_report = engine.run(self, parameters, context, feedback, inputs, kernel, outputs,
                                min_valid=min_valid, pixel_area=True, reduce=reduce,
                                bytes_per_pixel=48.0 * n + 64 + 16.0 * n * len(min_valid),
                                counters=("negative",))  # fmt: skip
        negative = run_report.counters["negative"]
        self._check_totals(feedback, acc.totals, density, n, negative, lowest[0])
        results = {o.name: o.path for o in outputs if o is not None}
        results[self.NEGATIVE_PIXELS] = negative
        return results | self._tables(parameters, context, feedback, years, acc, names, run_report, density,
                                      negative)  # fmt: skip

    def _check_totals(self, feedback, totals, density, n, negative, lowest):
        """Warn about negative densities; stop when no pixel was counted."""
        layer = density.bands[0].layer
        if negative:
            feedback.pushWarning(
                self.tr(
                    "{:,} pixels of '{}' have a negative carbon density in at least one year (lowest {:.4g} "
                    "t C/hm²). A density cannot be negative: they are nodata in the storage stack and left out "
                    "of every total. If many pixels are negative, check that the input is a carbon density "
                    "stack (t C/hm²)."
                ).format(negative, layer, lowest)
            )
        if totals.codes_.size == 0:
            why = self.tr(" ({:,} pixels have a negative density)").format(negative) if negative else ""
            raise QgsProcessingException(
                self.tr(
                    "'{}': no pixel has a valid, non-negative carbon density in every one of the {} years{}"
                ).format(layer, n, why)
            )

    def _model_inputs(self, parameters, context, feedback, density):
        """The model and its factor rasters for the years of the density stack, or (None, None)."""
        path = self.parameterAsFile(parameters, self.MODEL, context)
        if not path:
            return None, None
        carbon_model = model.load_model(path)
        name = os.path.basename(path)
        if carbon_model.n_replicates < 2:
            raise QgsProcessingException(
                self.tr(
                    "{}: model '{}' has no bootstrap replicates for confidence intervals. Retrain it with "
                    "BOOTSTRAP_REPLICATES of 2 or more (gradient boosting) or with at least 2 trees, or leave "
                    "MODEL empty for totals without intervals."
                ).format(self.MODEL, name)
            )
        yearly = self._layers(parameters, context, self.YEARLY_FACTORS)
        years = [int(y) for y in density.years]
        factors = prediction.prediction_inputs(
            carbon_model.factors,
            self._layers(parameters, context, self.STATIC_FACTORS),
            yearly,
            years=",".join(map(str, years)) if yearly else None,
            ignore_extra=self.parameterAsBool(parameters, self.IGNORE_EXTRA, context),
            model_name=name,
        )
        if factors.years is not None and [int(y) for y in factors.years] != years:
            raise QgsProcessingException(
                self.tr("{}: the yearly factors' years {} are not those of the density stack ({})").format(
                    self.YEARLY_FACTORS, prediction.year_list(factors.years), prediction.year_list(years)
                )
            )
        raster.check_same_grid([density, *factors.stacks.values()])
        feedback.pushInfo(
            self.tr("Confidence intervals from the {} bootstrap replicates of model '{}' ({}).").format(
                carbon_model.n_replicates, name, _replicate_words(carbon_model.kind)
            )
        )
        return carbon_model, factors

    def _layers(self, parameters, context, name):
        return [
            prediction.FactorLayer(lyr.name(), engine.layer_source(self, lyr), lyr.bandCount())
            for lyr in self.parameterAsLayerList(parameters, name, context)
        ]

    def _applicability(self, parameters, context, density):
        """The area-of-applicability mask (one band, or one per year of the density), or None."""
        layer = self.parameterAsRasterLayer(parameters, self.AREA_OF_APPLICABILITY, context)
        if layer is None:
            return None
        label = self.tr("Area of applicability '{}'").format(layer.name())
        n = len(density.years)
        if layer.bandCount() not in (1, n):
            raise QgsProcessingException(
                self.tr("{}: {} has {} bands; one band, or one per year of the density stack ({}), expected").format(
                    self.AREA_OF_APPLICABILITY, label, layer.bandCount(), n
                )
            )  # fmt: skip
        stack = raster.open_stack(label, [engine.layer_source(self, layer)], list(density.years)
                                  if layer.bandCount() == n else [int(density.years[0])], [layer.name()])  # fmt: skip
        raster.check_same_grid([density, stack])
        return stack

    def _check_some_storage(self, density, n, feedback):
        """Refuse a stack none of whose pixels has a valid, non-negative density in every year, before any
        output is written (an all-nodata storage stack tells the user nothing)."""

        def complete(values):
            return np.count_nonzero(~np.isnan(values), axis=0) == n

        def usable(values):
            return complete(values) & ~storage.negative_density_pixels(values)

        if band_checks.any_pixel(density, usable, is_cancelled=feedback.isCanceled):
            return
        negative = band_checks.any_pixel(density, complete, is_cancelled=feedback.isCanceled)
        raise QgsProcessingException(
            self.tr(
                "'{}': no pixel has a valid, non-negative carbon density in every one of the {} years{}"
            ).format(
                density.bands[0].layer,
                n,
                self.tr(
                    " (every complete pixel has a negative density in some year: is this a carbon density "
                    "stack in t C/hm²?)"
                )
                if negative
                else "",
            )
        )

    def _tables(self, parameters, context, feedback, years, acc, names, run_report, density, negative):
        level = self.parameterAsDouble(parameters, self.CONFIDENCE_LEVEL, context)
        parts = {part: acc.results(years, level, part) for part in acc.parts}
        tables = storage.storage_tables(years, parts, names)
        self._log_totals(feedback, years, acc, run_report, negative, tables, level)
        t = tables["trends"]
        results = {
            self.STORAGE_TREND: float(t["slope"][0]),
            self.DENSITY_TREND: float(t["slope"][1]),
            self.STORAGE_TREND_LOWER: None if acc.model is None else float(t["slope_lower"][0]),
            self.STORAGE_TREND_UPPER: None if acc.model is None else float(t["slope_upper"][0]),
        }
        for name, key in ((self.STORAGE_TABLE, "table"), (self.STORAGE_TRENDS, "trends")):
            dest = vector_io.write_table(self, parameters, name, context, tables[key])
            if dest:
                results[name] = dest
        path = self.parameterAsFileOutput(parameters, self.REPORT, context)
        if path:
            intervals = None
            if acc.model is not None:
                intervals = {"level": level, "n_replicates": acc.model.n_replicates,
                             "method": _replicate_words(acc.model.kind)}  # fmt: skip
            doc = storage.storage_report(
                years, tables, intervals, input_layer=density.bands[0].layer,
                version=self.provider().versionInfo() if self.provider() else "",
            )  # fmt: skip
            results[self.REPORT] = store.write_report(path, doc)
        return results

    def _log_totals(self, feedback, years, acc, run_report, negative, tables, level):
        totals = acc.totals
        left_out = totals.incomplete_pixels_ + run_report.pixels_total - run_report.pixels_computed
        feedback.pushInfo(
            self.tr(
                "{:,} pixels with a valid density in all {} years ({:,.1f} hm²); {:,} pixels left out{}."
            ).format(
                int(totals.pixels_.sum()),
                len(years),
                float(totals.area_m2_.sum()) / storage.M2_PER_HM2,
                left_out,
                self.tr(" ({:,} of them for a negative density)").format(negative) if negative else "",
            )
        )
        t = tables["trends"]
        first = t["region"][0]
        for i in range(t["region"].size):
            if t["region"][i] != first:
                continue
            ci = ""
            if np.isfinite(t["slope_lower"][i]):
                ci = self.tr(", {:.0%} CI {:+,.4g} … {:+,.4g}").format(
                    level, t["slope_lower"][i], t["slope_upper"][i]
                )
            feedback.pushInfo(
                self.tr("{} ({}): {} trend {:+,.4g} {}{} (R² {:.3f}, p {:.3g})").format(
                    t["region_name"][i], t["aoa"][i], t["variable"][i], t["slope"][i], t["units"][i], ci,
                    t["r2"][i], t["p"][i],
                )
            )  # fmt: skip
        self._log_parts(feedback, tables)

    def _log_parts(self, feedback, tables):
        """The area and the storage of the last year inside and outside the area of applicability."""
        s = tables["table"]
        if not np.any(s["aoa"] != "all"):
            return
        first, last = s["region"][0], s["year"].max()
        pick = (s["region"] == first) & (s["year"] == last)
        area = dict(zip(s["aoa"][pick].tolist(), s["area_hm2"][pick].tolist()))
        stored = dict(zip(s["aoa"][pick].tolist(), s["storage_t"][pick].tolist()))
        for part in ("inside AOA", "outside AOA"):
            if part in area:
                feedback.pushInfo(
                    self.tr("{}: {:,.1f} hm² ({:.1%} of the area), storage {:,.6g} t C in {}").format(
                        part, area[part], area[part] / area["all"], stored[part], int(last)
                    )
                )


def _factor_years(factors, packed, n_years):
    """The factors of each year of a window, ``(n_years, n_factors, n_pixels)`` (static ones repeated)."""
    keys = list(factors.stacks)
    m = packed[keys[0]].shape[1]
    X = np.empty((n_years, len(keys), m), dtype=np.float32)
    for j, key in enumerate(keys):
        X[:, j] = packed[key][:n_years] if factors.yearly[j] else packed[key][0]
    return X


def _replicate_words(kind):
    if kind == "random_forest":
        return "the trees of the Random Forest, each grown on a bootstrap sample of the plots"
    return "gradient-boosting models refitted on bootstrap samples of the plots"

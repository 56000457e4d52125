"""Carbon storage accounting: storage stack, yearly totals and mean density, per zone, with trends."""

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingUtils,
)

from ..core.carbon import storage, storage_report
from ..core.common import style
from ..core.engine import band_checks, raster
from ..core.reports import store
from .support import raster_engine as engine
from .support import vector_io
from .support.base import CarbonSinkAlgorithm


class CarbonStorage(CarbonSinkAlgorithm):
    INPUT = "INPUT"
    YEARS = "YEARS"
    ZONES_RASTER = "ZONES_RASTER"
    ZONES_POLYGONS = "ZONES_POLYGONS"
    ZONE_FIELD = "ZONE_FIELD"
    STORAGE = "STORAGE"
    TABLE = "TABLE"
    TRENDS = "TRENDS"
    REPORT = "REPORT"
    STORAGE_TREND = "STORAGE_TREND_T_PER_YEAR"
    DENSITY_TREND = "DENSITY_TREND_T_PER_HM2_PER_YEAR"
    NEGATIVE_PIXELS = "NEGATIVE_PIXELS"

    NAME = "carbonstorage"
    DISPLAY_NAME = "Carbon storage accounting"
    GROUP_ID = "carbonmodel"
    REQUIRES = ("scipy",)
    HELP = """
<p>Carbon storage from a yearly carbon density stack: a storage stack (t C per pixel), the regional total
storage and area-weighted mean density of every year, optionally per zone (a land-use raster or
polygons), and the least-squares trend of both with R² and p, in tables and an HTML chart.</p>
<h3>Formulas</h3>
<p>Storage of a pixel (t) = density (t C/hm²) × true pixel area (hm²): the area of the pixel on the
ellipsoid of the raster's CRS, for every CRS (on Web Mercator or UTM the map area |dx·dy| is not the
true area; on a geographic CRS it is never degrees²). A raster without a CRS stops the run. Total storage of a year = Σ storage; mean
density = total storage / total area. Trend: least-squares slope over the years (t/a and t/hm²/a), R²,
and p of the slope (t test, n − 2 degrees of freedom).</p>
<h3>Data</h3>
<p>Only pixels with a valid density in every year are counted, so every yearly total covers the same
area; the number of pixels left out is reported. A carbon density cannot be negative: a pixel with a
negative density in any year is nodata in the storage stack and left out of every total, and such pixels
are counted (<i>NEGATIVE_PIXELS</i>) and reported as a warning with the lowest value found (many of them
mean the input is not a carbon density). A stack with no pixel valid and non-negative in every year is
refused before any output is written. Zones: codes of a zone raster on the same grid (names
from its category names when it has them), or polygons burnt onto the grid by pixel centre.</p>
<h3>References</h3>
<p>METHOD.md step 5; IPCC (2006) Guidelines for National Greenhouse Gas Inventories, Vol. 4.</p>
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        engine.add_stack_input(
            self, self.INPUT, self.tr("Carbon density stack (t C/hm², a band per year)"), self.YEARS
        )
        engine.add_band_input(
            self, self.ZONES_RASTER, self.tr("Zones as a raster (e.g. land use)"), optional=True
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.ZONES_POLYGONS,
                self.tr("Zones as polygons"),
                [QgsProcessing.TypeVectorPolygon],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.ZONE_FIELD,
                self.tr("Zone field of the polygons"),
                parentLayerParameterName=self.ZONES_POLYGONS,
                optional=True,
            )
        )
        engine.add_memory_parameter(self)
        engine.add_raster_output(self, self.STORAGE, self.tr("Carbon storage (t per pixel)"))
        engine.add_table_output(self, self.TABLE, self.tr("Storage per year"))
        engine.add_table_output(self, self.TRENDS, self.tr("Storage and density trends"))
        engine.add_report_output(self, self.REPORT, self.tr("Report"))
        self.addOutput(QgsProcessingOutputNumber(self.STORAGE_TREND, self.tr("Total storage trend (t/a)")))
        self.addOutput(QgsProcessingOutputNumber(self.DENSITY_TREND, self.tr("Mean density trend (t/hm²/a)")))
        self.addOutput(
            QgsProcessingOutputNumber(
                self.NEGATIVE_PIXELS, self.tr("Pixels left out for a negative density in some year")
            )
        )

    def checkParameterValues(self, parameters, context):  # noqa: N802
        has_raster = parameters.get(self.ZONES_RASTER) not in (None, "")
        has_polygons = parameters.get(self.ZONES_POLYGONS) not in (None, "")
        if has_raster and has_polygons:
            return False, self.tr("Give zones either as a raster or as polygons, not both.")
        if has_polygons and not parameters.get(self.ZONE_FIELD):
            return False, self.tr("Choose the zone field of the zone polygons.")
        return super().checkParameterValues(parameters, context)

    def _zones(self, parameters, context, grid, feedback):
        """The zone input as a one-band stack and the zone names, or (None, {0: 'Region'})."""
        zones = engine.band_from_parameters(self, parameters, context, self.ZONES_RASTER, self.tr("Zones"))
        if zones is not None:
            return zones, raster.category_names(zones)
        source = self.parameterAsSource(parameters, self.ZONES_POLYGONS, context)
        if source is None:
            return None, {0: "Region"}
        path = QgsProcessingUtils.generateTempFilename("zones.tif")
        field = self.parameterAsString(parameters, self.ZONE_FIELD, context)
        path, names = vector_io.rasterize_zones(self, source, field, grid, context, path)
        feedback.pushInfo(self.tr("{} zones rasterised from '{}'").format(len(names), source.sourceName()))
        return raster.open_band(self.tr("Zones"), path, source.sourceName()), names

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        density = engine.stack_from_parameters(
            self, parameters, context, self.INPUT, self.tr("Carbon density stack"), self.YEARS
        )
        engine.require_crs(density)  # storage = density × true pixel area
        years = density.years
        n = len(years)
        self._check_some_storage(density, n, feedback)
        zones, names = self._zones(parameters, context, density.grid, feedback)
        totals = storage.ZoneTotals(n)
        inputs = {"density": density} | ({"zones": zones} if zones is not None else {})

        lowest = [np.inf]

        def kernel(blocks):
            return {
                "storage": storage.storage_from_density(blocks["density"], blocks["pixel_area_m2"]),
                "negative": storage.negative_density_pixels(blocks["density"]),
            }

        def reduce(results, packed):
            totals.add(
                results["storage"], packed["pixel_area_m2"], packed["zones"][0] if zones is not None else None
            )
            if results["negative"].any():
                lowest[0] = min(lowest[0], float(np.nanmin(packed["density"][:, results["negative"]])))

        outputs = [
            engine.output_spec(
                self,
                parameters,
                context,
                self.STORAGE,
                "Carbon storage (t)",
                key="storage",
                band_descriptions=tuple(str(y) for y in years),
                ramp=style.SEQUENTIAL,
            )
        ]
        run_report = engine.run(
            self,
            parameters,
            context,
            feedback,
            inputs,
            kernel,
            outputs,
            min_valid={"density": n},
            pixel_area=True,
            reduce=reduce,
            bytes_per_pixel=48.0 * n + 64,
            counters=("negative",),
        )
        negative = run_report.counters["negative"]
        layer = density.bands[0].layer
        if negative:
            feedback.pushWarning(
                self.tr(
                    "{:,} pixels of '{}' have a negative carbon density in at least one year (lowest {:.4g} "
                    "t/hm²). A density cannot be negative: they are nodata in the storage stack and left out "
                    "of every total. If many pixels are negative, check that the input is a carbon density "
                    "stack (t C/hm²)."
                ).format(negative, layer, lowest[0])
            )
        if totals.codes_.size == 0:
            why = self.tr(" ({:,} pixels have a negative density)").format(negative) if negative else ""
            raise QgsProcessingException(
                self.tr(
                    "'{}': no pixel has a valid, non-negative carbon density in every one of the {} years{}"
                ).format(layer, n, why)
            )
        results = {o.name: o.path for o in outputs if o is not None}
        results[self.NEGATIVE_PIXELS] = negative
        return results | self._tables(
            parameters, context, feedback, years, totals, names, run_report, density, negative
        )

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

    def _tables(self, parameters, context, feedback, years, totals, names, run_report, density, negative):
        codes = totals.codes_
        region = len(codes) > 1
        labels = [names.get(int(c), str(int(c))) for c in codes]
        storage_t = totals.storage_t_
        mean_density = totals.mean_density()
        area_hm2 = totals.area_m2_ / storage.M2_PER_HM2
        if region:  # the whole region first, then each zone
            labels = ["All zones", *labels]
            codes = np.concatenate([[-1], codes])
            total = storage_t.sum(axis=0, keepdims=True)
            storage_t = np.vstack([total, storage_t])
            area_hm2 = np.concatenate([[area_hm2.sum()], area_hm2])
            mean_density = np.vstack([total / area_hm2[0], mean_density])
        left_out = totals.incomplete_pixels_ + run_report.pixels_total - run_report.pixels_computed
        feedback.pushInfo(
            self.tr(
                "{:,} pixels with a valid density in all {} years ({:,.1f} hm²); {:,} pixels left out{}."
            ).format(
                int(totals.pixels_.sum()),
                len(years),
                area_hm2[0],
                left_out,
                self.tr(" ({:,} of them for a negative density)").format(negative) if negative else "",
            )
        )
        rows, trends = [], []
        for i, label in enumerate(labels):
            for j, year in enumerate(years):
                rows.append(
                    (int(codes[i]), label, int(year), storage_t[i, j], mean_density[i, j], area_hm2[i])
                )
            for variable, series, unit in (
                ("total storage", storage_t[i], "t/a"),
                ("mean density", mean_density[i], "t/hm²/a"),
            ):
                fit = storage.linear_trend(years, series)
                trends.append(
                    (
                        int(codes[i]),
                        label,
                        variable,
                        fit["slope"],
                        fit["intercept"],
                        fit["r2"],
                        fit["p"],
                        fit["n"],
                        unit,
                    )
                )
        table = {
            k: np.array([r[i] for r in rows])
            for i, k in enumerate(
                ("zone", "zone_name", "year", "storage_t", "mean_density_t_hm2", "area_hm2")
            )
        }
        trend_cols = {
            k: np.array([r[i] for r in trends])
            for i, k in enumerate(
                ("zone", "zone_name", "variable", "slope", "intercept", "r2", "p", "n", "units")
            )
        }
        for t in trends[:2]:
            feedback.pushInfo(
                self.tr("{}: {} trend {:+,.4g} {} (R² {:.3f}, p {:.3g})").format(
                    t[1], t[2], t[3], t[8], t[5], t[6]
                )
            )
        results = {self.STORAGE_TREND: trends[0][3], self.DENSITY_TREND: trends[1][3]}
        dest = vector_io.write_table(self, parameters, self.TABLE, context, table)
        if dest:
            results[self.TABLE] = dest
        dest = vector_io.write_table(self, parameters, self.TRENDS, context, trend_cols)
        if dest:
            results[self.TRENDS] = dest
        path = self.parameterAsFileOutput(parameters, self.REPORT, context)
        if path:
            doc = storage_report.storage_report(
                years, storage_t[0], mean_density[0], trends, rows,
                input_layer=density.bands[0].layer,
                version=self.provider().versionInfo() if self.provider() else "",
            )  # fmt: skip
            results[self.REPORT] = store.write_report(path, doc)
        return results

"""Sample augmentation by the NPP ratio: derived points per stratum from the measured plots (METHOD.md step 2)."""

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingMultiStepFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsWkbTypes,
)

from ..core.carbon import augment
from ..core.engine import raster
from .support import raster_engine as engine
from .support import vector_io
from .support.base import CarbonSinkAlgorithm
from .support.compat import FieldType


class AugmentSamples(CarbonSinkAlgorithm):
    PLOTS = "PLOTS"
    CARBON = "CARBON"
    PLOT_ID = "PLOT_ID"
    STRATUM = "STRATUM"
    CLIMATE = "CLIMATE"
    ECOSYSTEM = "ECOSYSTEM"
    NPP = "NPP"
    ALLOCATION = "ALLOCATION"
    N_POINTS = "N_POINTS"
    MIN_SPACING = "MIN_SPACING"
    SEED = "SEED"
    OUTPUT = "OUTPUT"
    N_DERIVED = "N_DERIVED"

    ALLOCATIONS = ("area", "per_stratum")

    NAME = "augmentsamples"
    DISPLAY_NAME = "Augment samples by NPP ratio"
    GROUP_ID = "carbonmodel"
    REQUIRES = ("scipy",)
    HELP = """
<p>Adds random points to the measured plots, inside each stratum (a climate zone × ecosystem type), and
gives each one a carbon density transferred from the plots of its stratum by the ratio of NPP:</p>
<p>C<sub>r</sub> = C̄<sub>s</sub> × NPP<sub>r</sub> / NPP̄<sub>s</sub></p>
<p>where C̄<sub>s</sub> and NPP̄<sub>s</sub> are the mean carbon density and the mean NPP (sampled at the
plots) of the measured plots in stratum s. The output holds the measured plots and the derived points,
with the fields plot_id, carbon_density, source ('measured' or 'derived'), stratum and npp (and
climate_zone, ecosystem_type when the strata are combined), ready for factor screening and the Random
Forest model.</p>
<h3>Strata</h3>
<p>Either one stratum raster of integer codes, or a climate-zone raster and an ecosystem-type raster of
integer codes: the stratum is then climate × 1000 + ecosystem (ecosystem codes 0–999), e.g. zone 2 ×
type 3 = 2003. All rasters (strata and NPP) must be on one grid; nothing is resampled. A pixel belongs to
a stratum when every stratum raster and the NPP raster have a value there and NPP &gt; 0.</p>
<h3>Points</h3>
<p>The number of random points is either a total, split among the strata that have measured plots in
proportion to their true area (largest remainder method, so the counts add up to the total), or a number
per stratum. <b>Strata without any measured plot get no points</b>, and the log lists them with their area.
Points are pixel centres drawn uniformly without replacement among each stratum's pixels; a point closer
than the minimum spacing to another point or to a measured plot is rejected and redrawn (spacing in
metres; on a geographic CRS measured on the sphere). A stratum too small for its points at that spacing
gets fewer, and the log says so. The same seed gives the same points. The raster is read block by block
(two passes and one more per redraw round), so rasters of any size can be used.</p>
<h3>Plots</h3>
<p>Plots are transformed to the rasters' CRS. Plots outside the rasters, on nodata, or without a carbon
density are listed in the log (by the plot id field if given, else by feature id), kept in the output as
measured points, and left out of the stratum means.</p>
<h3>References</h3>
<p>Bao, Y. et al. (2026) Spatiotemporal changes and potential diagnostic zoning of ecosystem carbon sinks in
Ningxia. Arid Land Geography 49(4):740–755 (step 2 of the method).</p>
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.PLOTS, self.tr("Measured plots"), [QgsProcessing.TypeVectorPoint]
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.CARBON,
                self.tr("Carbon density field (t/hm²)"),
                None,
                self.PLOTS,
                QgsProcessingParameterField.Numeric,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.PLOT_ID,
                self.tr("Plot id field (for the log and the output)"),
                None,
                self.PLOTS,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterRasterLayer(
                self.STRATUM, self.tr("Stratum raster (integer codes)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterRasterLayer(
                self.CLIMATE, self.tr("…or climate-zone raster (integer codes)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterRasterLayer(
                self.ECOSYSTEM, self.tr("…and ecosystem-type raster (integer codes 0–999)"), optional=True
            )
        )
        self.addParameter(QgsProcessingParameterRasterLayer(self.NPP, self.tr("NPP raster")))
        self.addParameter(
            QgsProcessingParameterEnum(
                self.ALLOCATION,
                self.tr("Number of random points is"),
                options=[self.tr("a total, split by stratum area"), self.tr("per stratum")],
                defaultValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.N_POINTS,
                self.tr("Number of random points"),
                QgsProcessingParameterNumber.Integer,
                defaultValue=400,
                minValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.MIN_SPACING,
                self.tr("Minimum spacing between points (m)"),
                QgsProcessingParameterNumber.Double,
                defaultValue=500.0,
                minValue=0.0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.SEED,
                self.tr("Random seed"),
                QgsProcessingParameterNumber.Integer,
                defaultValue=42,
                minValue=0,
            )
        )
        engine.add_memory_parameter(self)
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT, self.tr("Measured and derived points"), QgsProcessing.TypeVectorPoint
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.N_DERIVED, self.tr("Derived points")))

    def checkParameterValues(self, parameters, context):  # noqa: N802
        def given(name):
            return self.parameterAsRasterLayer(parameters, name, context) is not None

        combined = given(self.CLIMATE) or given(self.ECOSYSTEM)
        if given(self.STRATUM) and combined:
            return False, self.tr(
                "Give either a stratum raster, or a climate-zone and an ecosystem-type raster — not both."
            )
        if not given(self.STRATUM) and not (given(self.CLIMATE) and given(self.ECOSYSTEM)):
            return False, self.tr(
                "Give a stratum raster, or both a climate-zone raster and an ecosystem-type raster."
            )
        return super().checkParameterValues(parameters, context)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        steps = QgsProcessingMultiStepFeedback(3, feedback)
        npp = engine.band_from_parameters(self, parameters, context, self.NPP, self.tr("NPP"))
        stratum = engine.band_from_parameters(self, parameters, context, self.STRATUM, self.tr("Stratum"))
        climate = engine.band_from_parameters(
            self, parameters, context, self.CLIMATE, self.tr("Climate zone")
        )
        ecosystem = engine.band_from_parameters(
            self, parameters, context, self.ECOSYSTEM, self.tr("Ecosystem type")
        )
        combined = stratum is None
        memory = self.parameterAsInt(parameters, engine.MEMORY_MB, context) or raster.DEFAULT_MEMORY_MB
        try:
            grid = augment.strata_from_rasters(npp, stratum, climate, ecosystem, memory_mb=memory)
        except (raster.RasterInputError, ValueError) as exc:
            raise QgsProcessingException(str(exc)) from exc
        grid_info = npp.grid  # every input is on it (checked above)

        # -- measured plots
        source = self.parameterAsSource(parameters, self.PLOTS, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.PLOTS))
        carbon_field = self.parameterAsString(parameters, self.CARBON, context)
        id_field = self.parameterAsString(parameters, self.PLOT_ID, context)
        fields = [carbon_field] + ([id_field] if id_field and id_field != carbon_field else [])
        plots = vector_io.read_points(
            self,
            source,
            context,
            fields,
            crs_wkt=grid_info.crs_wkt,
            numeric=[carbon_field],
            feedback=feedback,
        )
        if len(plots) == 0:
            raise QgsProcessingException(self.tr("Layer '{}' has no plots").format(plots.layer))
        labels = [
            str(v) if id_field and v is not None else f"feature {fid}"
            for v, fid in zip(plots.columns[id_field] if id_field else plots.ids, plots.ids)
        ]
        carbon = plots.columns[carbon_field]
        try:
            npp_p = raster.sample_at_points(npp, plots.x, plots.y)[:, 0]
            if combined:
                c_p = raster.sample_at_points(climate, plots.x, plots.y)[:, 0]
                e_p = raster.sample_at_points(ecosystem, plots.x, plots.y)[:, 0]
                codes = augment.combine_strata(
                    c_p, e_p, climate.bands[0].layer, ecosystem.bands[0].layer
                ).astype(float)
                codes[codes == augment.NO_STRATUM] = np.nan
            else:
                s_p = raster.sample_at_points(stratum, plots.x, plots.y)[:, 0]
                codes = augment.stratum_codes(s_p, stratum.bands[0].layer).astype(float)
                codes[codes == augment.NO_STRATUM] = np.nan
        except (raster.RasterInputError, ValueError) as exc:
            raise QgsProcessingException(str(exc)) from exc
        inside = grid_info.contains(plots.x, plots.y)
        self._report_plots(feedback, plots.layer, labels, inside, codes, npp_p, carbon)
        if not inside.any():
            raise QgsProcessingException(
                self.tr(
                    "None of the {:,} plots of layer '{}' falls inside the rasters ('{}'). Check that they cover "
                    "the same area; plots are transformed to the rasters' CRS."
                ).format(len(plots), plots.layer, npp.bands[0].layer)
            )
        means = augment.stratum_means(codes, carbon, npp_p)
        for code in [c for c, m in means.items() if not m.npp > 0]:
            feedback.pushWarning(
                self.tr("Stratum {}: the mean NPP of its plots is not positive; it gets no points.").format(
                    code
                ),
            )
            del means[code]
        if not means:
            raise QgsProcessingException(
                self.tr(
                    "No plot of layer '{}' has a carbon density, a stratum and an NPP value; nothing to transfer "
                    "(see the list of plots above)."
                ).format(plots.layer)
            )

        # -- strata on the grid, allocation, draw
        try:
            feedback.pushInfo(self.tr("Counting the pixels of every stratum…"))
            counts = augment.count_strata(grid, steps.setProgress, steps.isCanceled)
            steps.setCurrentStep(1)
            n = self.parameterAsInt(parameters, self.N_POINTS, context)
            mode = self.ALLOCATIONS[self.parameterAsEnum(parameters, self.ALLOCATION, context)]
            eligible = {s: counts[s].area_m2 for s in counts if s in means}
            allocation = augment.allocate_points(n, eligible, mode)
            self._report_strata(feedback, counts, means, allocation, combined)
            spacing = self.parameterAsDouble(parameters, self.MIN_SPACING, context)
            seed = self.parameterAsInt(parameters, self.SEED, context)
            fixed = np.column_stack([plots.x, plots.y])[inside]
            points = augment.random_points_in_strata(
                grid,
                allocation,
                spacing,
                seed,
                fixed_xy=fixed,
                counts=counts,
                progress=steps.setProgress,
                is_cancelled=steps.isCanceled,
            )
        except raster.Cancelled as exc:
            raise QgsProcessingException(self.tr("Cancelled by the user.")) from exc
        except ValueError as exc:
            raise QgsProcessingException(str(exc)) from exc
        steps.setCurrentStep(2)
        for code, why in sorted(points.shortfall.items()):
            feedback.pushWarning(self.tr("Stratum {}: {}").format(code, why))
        npp_r = raster.sample_at_points(npp, points.x, points.y)[:, 0]
        c_r = augment.transfer_carbon(npp_r, points.stratum, means)
        feedback.pushInfo(
            self.tr("{:,} derived points in {} strata ({} draw round(s)); {:,} measured plots.").format(
                len(points), len(set(points.stratum.tolist())), points.rounds, len(plots)
            )
        )

        # -- output
        n_m, n_d = len(plots), len(points)
        out = {
            "plot_id": [labels[i] if id_field else str(int(plots.ids[i])) for i in range(n_m)] + [None] * n_d,
            "carbon_density": np.concatenate([carbon, c_r]),
            "source": ["measured"] * n_m + ["derived"] * n_d,
            "stratum": list(codes) + points.stratum.astype(float).tolist(),
            "npp": np.concatenate([npp_p, npp_r]),
        }
        if combined:
            all_codes = np.array(out["stratum"], dtype=float)
            out["climate_zone"] = list(np.floor(all_codes / augment.ECOSYSTEM_FACTOR))
            out["ecosystem_type"] = list(np.mod(all_codes, augment.ECOSYSTEM_FACTOR))
        x = np.concatenate([plots.x, points.x])
        y = np.concatenate([plots.y, points.y])
        dest = self._write(parameters, context, out, x, y, grid_info.crs_wkt)
        steps.setProgress(100)
        return {self.OUTPUT: dest, self.N_DERIVED: n_d}

    # ---------------------------------------------------------------------------------------- helpers
    def _report_plots(self, feedback, layer, labels, inside, codes, npp_p, carbon):
        problems = []
        for i, label in enumerate(labels):
            if not inside[i]:
                problems.append(f"plot {label}: outside the rasters")
            elif np.isnan(codes[i]):
                problems.append(f"plot {label}: on stratum nodata")
            elif np.isnan(npp_p[i]):
                problems.append(f"plot {label}: on NPP nodata")
            elif np.isnan(carbon[i]):
                problems.append(f"plot {label}: no carbon density")
        for p in problems:
            feedback.pushWarning(
                self.tr("Layer '{}', {}; not used for the stratum means.").format(layer, p),
            )
        feedback.pushInfo(
            self.tr("{:,} of {:,} plots are used for the stratum means.").format(
                len(labels) - len(problems), len(labels)
            )
        )

    def _report_strata(self, feedback, counts, means, allocation, combined):
        def name(code):
            if combined:
                return f"{code} (climate zone {code // augment.ECOSYSTEM_FACTOR}, ecosystem {code % augment.ECOSYSTEM_FACTOR})"
            return str(code)

        feedback.pushInfo(self.tr("Strata with measured plots:"))
        for code in sorted(means):
            m = means[code]
            area = counts[code].area_m2 / 1e4 if code in counts else 0.0
            feedback.pushInfo(
                f"  stratum {name(code)}: {m.n} plot(s), C̄ = {m.carbon:.2f} t/hm², NPP̄ = {m.npp:.4g}, "
                f"{area:,.1f} ha, {allocation.get(code, 0)} point(s) asked for"
            )
        unsampled = [c for c in counts if c not in means]
        if unsampled:
            total = sum(counts[c].area_m2 for c in counts)
            share = 100.0 * sum(counts[c].area_m2 for c in unsampled) / total if total else 0.0
            feedback.pushWarning(
                self.tr(
                    "{} stratum/strata have no measured plot and get no points ({:.1f} % of the stratified area):"
                ).format(len(unsampled), share),
            )
            for code in unsampled:
                feedback.pushWarning(
                    f"  stratum {name(code)}: {counts[code].area_m2 / 1e4:,.1f} ha, no plot",
                )

    def _write(self, parameters, context, columns, x, y, crs_wkt):
        types = {
            "plot_id": FieldType.String,
            "carbon_density": FieldType.Double,
            "source": FieldType.String,
            "stratum": FieldType.LongLong,
            "npp": FieldType.Double,
            "climate_zone": FieldType.LongLong,
            "ecosystem_type": FieldType.LongLong,
        }
        fields = QgsFields()
        for name in columns:
            fields.append(QgsField(name, types[name]))
        crs = QgsCoordinateReferenceSystem.fromWkt(crs_wkt) if crs_wkt else QgsCoordinateReferenceSystem()
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.Point, crs)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        cols = list(columns.values())
        for i in range(len(x)):
            row = []
            for name, col in zip(columns, cols):
                v = col[i]
                if isinstance(v, np.generic):
                    v = v.item()
                if isinstance(v, float) and not np.isfinite(v):
                    v = None
                elif types[name] == FieldType.LongLong and v is not None:
                    v = int(v)
                row.append(v)
            feat = QgsFeature(fields)
            feat.setAttributes(row)
            feat.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(x[i]), float(y[i]))))
            if not sink.addFeature(feat, QgsFeatureSink.FastInsert):
                raise QgsProcessingException(self.tr("Could not write point {} to the output").format(i))
        return dest

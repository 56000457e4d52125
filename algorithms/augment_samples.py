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
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsWkbTypes,
)

from ..core.carbon import augment, augmentation
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
        self._add_plot_parameters()
        self._add_raster_parameters()
        self._add_point_parameters()
        engine.add_memory_parameter(self)
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT, self.tr("Measured and derived points"), QgsProcessing.TypeVectorPoint
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.N_DERIVED, self.tr("Derived points")))

    def _add_plot_parameters(self):
        """The measured plots: layer, carbon density field, plot id field."""
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

    def _add_raster_parameters(self):
        """The strata (one raster, or climate zone and ecosystem type) and NPP, on one grid."""
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

    def _add_point_parameters(self):
        """How many points, where: allocation, number, spacing, seed."""
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
        npp = engine.band_from_parameters(self, parameters, context, self.NPP, self.tr("NPP"))
        stratum = engine.band_from_parameters(self, parameters, context, self.STRATUM, self.tr("Stratum"))
        climate = engine.band_from_parameters(
            self, parameters, context, self.CLIMATE, self.tr("Climate zone")
        )
        ecosystem = engine.band_from_parameters(
            self, parameters, context, self.ECOSYSTEM, self.tr("Ecosystem type")
        )
        memory = self.parameterAsInt(parameters, engine.MEMORY_MB, context) or raster.DEFAULT_MEMORY_MB
        grid = augment.strata_from_rasters(npp, stratum, climate, ecosystem, memory_mb=memory)
        plots = self._plots(parameters, context, feedback, npp.grid.crs_wkt)
        sample = augmentation.sample_plots(plots, npp, stratum, climate, ecosystem)
        self._report_plots(feedback, plots, sample)
        feedback.pushInfo(self.tr("Counting the pixels of every stratum and drawing the points…"))
        result = augmentation.augment_samples(
            plots,
            sample,
            grid,
            npp,
            n_points=self.parameterAsInt(parameters, self.N_POINTS, context),
            mode=self.ALLOCATIONS[self.parameterAsEnum(parameters, self.ALLOCATION, context)],
            spacing=self.parameterAsDouble(parameters, self.MIN_SPACING, context),
            seed=self.parameterAsInt(parameters, self.SEED, context),
            progress=feedback.setProgress,
            is_cancelled=feedback.isCanceled,
        )
        self._report_strata(feedback, result, combined=stratum is None)
        x, y = result.xy()
        dest = self._write(
            parameters, context, result.columns(combined=stratum is None), x, y, npp.grid.crs_wkt
        )
        return {self.OUTPUT: dest, self.N_DERIVED: len(result.points)}

    # ---------------------------------------------------------------------------------------- helpers
    def _plots(self, parameters, context, feedback, crs_wkt):
        """The measured plots in the rasters' CRS, labelled by the plot id field (else the feature id)."""
        source = self.parameterAsSource(parameters, self.PLOTS, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.PLOTS))
        carbon_field = self.parameterAsString(parameters, self.CARBON, context)
        id_field = self.parameterAsString(parameters, self.PLOT_ID, context)
        fields = [carbon_field] + ([id_field] if id_field and id_field != carbon_field else [])
        table = vector_io.read_points(
            self, source, context, fields, crs_wkt=crs_wkt, numeric=[carbon_field], feedback=feedback
        )
        if len(table) == 0:
            raise QgsProcessingException(self.tr("Layer '{}' has no plots").format(table.layer))
        if id_field:
            labels = [
                str(v) if v is not None else f"feature {fid}"
                for v, fid in zip(table.columns[id_field], table.ids)
            ]
            ids = labels
        else:
            labels = [f"feature {fid}" for fid in table.ids]
            ids = [str(int(fid)) for fid in table.ids]
        return augmentation.MeasuredPlots(
            table.layer, table.x, table.y, table.columns[carbon_field], labels, ids
        )

    def _report_plots(self, feedback, plots, sample):
        for label, why in sample.problems:
            feedback.pushWarning(
                self.tr("Layer '{}', plot {}: {}; not used for the stratum means.").format(
                    plots.layer, label, why
                )
            )
        feedback.pushInfo(
            self.tr("{:,} of {:,} plots are used for the stratum means.").format(
                len(plots) - len(sample.problems), len(plots)
            )
        )

    def _report_strata(self, feedback, result, combined):
        def name(code):
            if combined:
                zone, ecosystem = divmod(code, augment.ECOSYSTEM_FACTOR)
                return self.tr("{} (climate zone {}, ecosystem {})").format(code, zone, ecosystem)
            return str(code)

        for code in result.no_positive_npp:
            feedback.pushWarning(
                self.tr("Stratum {}: the mean NPP of its plots is not positive; it gets no points.").format(
                    code
                )
            )
        counts = result.counts
        feedback.pushInfo(self.tr("Strata with measured plots:"))
        for code, m in sorted(result.means.items()):
            area = counts[code].area_m2 / 1e4 if code in counts else 0.0
            feedback.pushInfo(
                f"  stratum {name(code)}: {m.n} plot(s), C̄ = {m.carbon:.2f} t/hm², NPP̄ = {m.npp:.4g}, "
                f"{area:,.1f} ha, {result.allocation.get(code, 0)} point(s) asked for"
            )
        unsampled = result.unsampled
        if unsampled:
            total = sum(c.area_m2 for c in counts.values())
            share = 100.0 * sum(counts[c].area_m2 for c in unsampled) / total if total else 0.0
            feedback.pushWarning(
                self.tr(
                    "{} stratum/strata have no measured plot and get no points ({:.1f} % of the stratified area):"
                ).format(len(unsampled), share),
            )
            for code in unsampled:
                feedback.pushWarning(f"  stratum {name(code)}: {counts[code].area_m2 / 1e4:,.1f} ha, no plot")
        points = result.points
        for code, why in sorted(points.shortfall.items()):
            feedback.pushWarning(self.tr("Stratum {}: {}").format(code, why))
        feedback.pushInfo(
            self.tr("{:,} derived points in {} strata ({} draw round(s)); {:,} measured plots.").format(
                len(points), len(set(points.stratum.tolist())), points.rounds, len(result.plots)
            )
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

"""Local Moran's I (LISA) of a raster band or of a vector layer field, with cluster classes (METHOD.md step 12)."""

import numpy as np
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
)

from ..core.common.errors import naming
from ..core.spatial import moran, moran_raster
from .support import moran_inputs as inputs
from .support import raster_engine as engine
from .support import styling
from .support.base import CarbonSinkAlgorithm
from .support.compat import FieldType

LISA_RAMP = ("#2c7bb6", "#abd9e9", "#ffffbf", "#fdae61", "#d7191c")
P_RAMP = ("#67000d", "#ef3b2c", "#fcbba1", "#fff5f0", "#ffffff")
QUADRANT_LABELS = {moran.HIGH_HIGH: "HH", moran.LOW_LOW: "LL", moran.HIGH_LOW: "HL", moran.LOW_HIGH: "LH"}
# Fields added to the features of a vector input (at most 10 characters: shapefiles).
FIELDS = (
    ("lisa_Ii", FieldType.Double),
    ("lisa_z", FieldType.Double),
    ("lisa_p", FieldType.Double),
    ("lisa_quad", FieldType.String),
    ("lisa_clust", FieldType.Int),
    ("lisa_label", FieldType.String),
)
CLUSTER_FIELD = "lisa_clust"


class LocalMoran(CarbonSinkAlgorithm):
    INFERENCE = "INFERENCE"
    ALPHA = "ALPHA"
    FDR = "FDR"
    II = "II"
    Z = "Z"
    P = "P"
    CLUSTER = "CLUSTER"
    QUADRANT = "QUADRANT"
    OUTPUT = "OUTPUT"

    NAME = "localmoran"
    DISPLAY_NAME = "Local Moran's I (LISA)"
    GROUP_ID = "spatial"
    REQUIRES = ("scipy",)
    HELP = (
        """
<p>Local indicators of spatial association (Anselin 1995) of a raster band (e.g. carbon density or its
trend) or of a numeric field of a polygon or point layer: I<sub>i</sub>, its z-score and p-value, the
quadrant and a cluster class High-High, Low-Low, High-Low, Low-High or Not significant, mapped with the
customary LISA colours (red, blue, pink, light blue, grey) and a legend, and the area of each class.</p>
<h3>Formulas</h3>
<p>I<sub>i</sub> = (z<sub>i</sub> / m<sub>2</sub>) Σ<sub>j</sub> w<sub>ij</sub> z<sub>j</sub>, z = deviations from the mean
of the n analysed values, <b>m<sub>2</sub> = Σ z<sub>i</sub>² / n</b> (Anselin 1995 and R spdep's default;
esda and spdep's <code>mlvar=FALSE</code> divide by n − 1, so their I<sub>i</sub> is this one times (n − 1)/n; z,
p and quadrants do not change). The mean of the I<sub>i</sub> is the global Moran's I.<br>
<b>Quadrant</b> by the signs of z<sub>i</sub> and of its spatial lag Σw<sub>ij</sub>z<sub>j</sub> (a value exactly at
the mean counts as low).<br>
<b>Analytic inference</b>: E[I<sub>i</sub>] = −w<sub>i·</sub>/(n − 1), Var[I<sub>i</sub>] =
w<sub>i(2)</sub>(n − b<sub>2</sub>)/(n − 1) + 2w<sub>i(kh)</sub>(2b<sub>2</sub> − n)/((n − 1)(n − 2)) − w<sub>i·</sub>²/(n − 1)²,
b<sub>2</sub> = m<sub>4</sub>/m<sub>2</sub>² (Anselin 1995, total randomisation; esda 2.6 computes b<sub>2</sub> per site,
pysal/esda#390, fixed later), z = (I<sub>i</sub> − E)/√Var, p = 2Φ(−|z|).<br>
<b>Conditional permutation</b>: z<sub>i</sub> is held fixed and its c<sub>i</sub> neighbours' values are drawn
without replacement from the other n − 1, K times, with draws shared by all sites as in esda (seeded numpy
Generator); the pseudo p is two-sided, the permutation distribution folded about its mean:
p = (1 + #{k : |I<sub>i</sub><sup>(k)</sup> − Ī<sub>i</sub>| ≥ |I<sub>i</sub> − Ī<sub>i</sub>|}) / (K + 1)
(esda's <code>alternative="folded"</code>; esda 2.6's default <code>p_sim</code> is the smaller one-sided tail and
calls about twice as many clusters). z is the permutation z-score (I<sub>i</sub> − Ī<sub>i</sub>)/sd<sub>i</sub>.
The permutations are streamed: memory does not grow with K × n.<br>
<b>Inference "auto"</b>: permutation up to 1,000,000 analysed cells or features, analytic above: a pseudo p
cannot go below 1/(K + 1), which over millions of cells leaves the FDR correction little power, while the
analytic p resolves any tail.<br>
<b>Cluster</b>: the quadrant where p ≤ α, otherwise Not significant. With the FDR option, p ≤ the
Benjamini–Hochberg threshold over all analysed cells (computed from a p-value histogram in two or three
passes over a temporary file, so memory stays bounded).</p>
"""
        + inputs.WEIGHTS_HELP
        + """
<h3>Outputs</h3>
<p>Rasters: I<sub>i</sub>, z, p (float32; the band descriptions state the scaling and the inference), the
cluster class raster (styled, with a legend) and optionally the quadrant, plus a table of the true area of
each class. Vector layers: the input features with the fields lisa_Ii, lisa_z, lisa_p, lisa_quad (HH, LL,
HL, LH), lisa_clust (class code) and lisa_label (class name), loaded with a categorized LISA style, and
the class table (features and, for polygons, ellipsoidal area). The numbers equal esda's
<code>Moran_Local</code> with libpysal weights built by the same rules (I<sub>i</sub> up to the scaling above;
with esda's permutation draws, its p_sim and z_sim exactly), as the tests check.</p>
<h3>References</h3>
<p>Anselin, L. (1995) Local indicators of spatial association — LISA. Geogr. Anal. 27:93–115. Sokal, R. R.,
Oden, N. L. &amp; Thomson, B. A. (1998) Geogr. Anal. 30:331–354. Benjamini, Y. &amp; Hochberg, Y. (1995)
J. R. Stat. Soc. B 57:289–300. Rey, S. J. &amp; Anselin, L. (2007) PySAL, Rev. Reg. Stud. 37:5–27.</p>
"""
    )

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        inputs.add_input_parameters(self)
        self.addParameter(
            QgsProcessingParameterEnum(
                self.INFERENCE,
                self.tr("Inference"),
                options=[
                    self.tr("Auto (permutation up to 1 million cells/features, analytic above)"),
                    self.tr("Analytic (Anselin 1995 moments)"),
                    self.tr("Conditional permutation"),
                ],
                defaultValue=0,
            )
        )
        engine.add_alpha_parameter(self, self.ALPHA)
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.FDR, self.tr("False discovery rate correction (Benjamini–Hochberg)"), defaultValue=False
            )
        )
        engine.add_memory_parameter(self)
        engine.add_raster_output(self, self.CLUSTER, self.tr("LISA cluster (raster input)"))
        engine.add_raster_output(self, self.II, self.tr("Local Moran's I (raster input)"))
        engine.add_raster_output(self, self.Z, self.tr("z-score of Ii (raster input)"))
        engine.add_raster_output(self, self.P, self.tr("p-value of Ii (raster input)"))
        engine.add_raster_output(
            self, self.QUADRANT, self.tr("Quadrant (raster input)"), create_by_default=False
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT,
                self.tr("LISA features (vector input)"),
                QgsProcessing.TypeVectorAnyGeometry,
                optional=True,
                createByDefault=True,
            )
        )
        engine.add_class_area_output(self)

    def checkParameterValues(self, parameters, context):  # noqa: N802
        ok, message = inputs.check_input_parameters(self, parameters, context)
        if not ok:
            return ok, message
        return super().checkParameterValues(parameters, context)

    def _settings(self, parameters, context):
        return {
            "inference": moran.INFERENCES[self.parameterAsEnum(parameters, self.INFERENCE, context)],
            "permutations": self.parameterAsInt(parameters, inputs.PERMUTATIONS, context),
            "seed": self.parameterAsInt(parameters, inputs.SEED, context),
            "alpha": self.parameterAsDouble(parameters, self.ALPHA, context),
            "fdr": self.parameterAsBool(parameters, self.FDR, context),
        }

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        settings = self._settings(parameters, context)
        if inputs.input_given(parameters, inputs.INPUT_RASTER):
            return self._raster(parameters, context, feedback, settings)
        return self._vector(parameters, context, feedback, settings)

    # ------------------------------------------------------------------------------------------ rasters
    def _raster(self, parameters, context, feedback, settings):
        stack = inputs.raster_band(self, parameters, context)
        options = inputs.raster_options(self, parameters, context)
        scheme = moran.lisa_scheme(settings["alpha"], settings["fdr"])

        def spec(name, description, **kwargs):
            return engine.output_spec(self, parameters, context, name, description, **kwargs)

        outputs = [
            spec(self.CLUSTER, scheme.title, key="cluster", dtype="uint8", scheme=scheme),
            spec(
                self.II,
                "Local Moran's I (Anselin 1995: m2 = sum(z^2)/n; esda's Is = Ii (n-1)/n)",
                key="Ii",
                ramp=LISA_RAMP,
                symmetric=True,
            ),
            spec(self.Z, "z-score of Ii ({inference})", key="z", ramp=LISA_RAMP, symmetric=True),
            spec(self.P, "p-value of Ii ({inference})", key="p", ramp=P_RAMP),
            spec(self.QUADRANT, moran.QUADRANTS.title, key="quadrant", dtype="uint8", scheme=moran.QUADRANTS),
        ]
        outputs = [o for o in outputs if o is not None]
        if not outputs:
            raise QgsProcessingException(self.tr("No output requested; choose at least one output file."))
        res = moran_raster.local_moran_raster(
            stack,
            outputs,
            progress=feedback.setProgress,
            is_cancelled=feedback.isCanceled,
            **settings,
            **options,
        )
        agg = f", aggregated to {res.aggregate} × {res.aggregate} block means" if res.aggregate > 1 else ""
        feedback.pushInfo(
            self.tr(
                "'{}'{}: {:,} valid cells, {:,} analysed with {} contiguity (row-standardised over valid "
                "neighbours), {:,} isolated. Mean {:.6g}, m2 {:.6g}, kurtosis b2 {:.4g}; global I (mean of "
                "Ii) {:.6g}."
            ).format(
                stack.bands[0].layer,
                agg,
                res.n_valid,
                res.n,
                res.contiguity,
                res.n_isolated,
                res.mean,
                res.m2,
                res.b2,
                res.global_I,
            )
        )
        self._log_inference(feedback, res.inference, res.permutations, settings, res.threshold)
        for note in res.notes:
            feedback.pushInfo(note)
        engine.push_warnings(feedback, res.report)
        return engine.finish(self, parameters, context, feedback, res.report, outputs)

    def _log_inference(self, feedback, method, permutations, settings, threshold):
        how = moran_raster.inference_label(method, permutations)
        if settings["fdr"]:
            rule = (
                f"Benjamini–Hochberg FDR at {settings['alpha']:g}: significant where p <= {threshold:.4g}"
                if np.isfinite(threshold)
                else f"Benjamini–Hochberg FDR at {settings['alpha']:g}: no cell is significant"
            )
        else:
            rule = f"significant where p <= {settings['alpha']:g} (no multiple-testing correction)"
        seed = f", seed {settings['seed']}" if method == "permutation" else ""
        feedback.pushInfo(self.tr("Inference: {}{}; {}.").format(how, seed, rule))

    # ------------------------------------------------------------------------------------------ vectors
    def _vector(self, parameters, context, feedback, settings):
        data, weights = inputs.read_vector_weights(self, parameters, context, feedback)
        feedback.setProgress(30)
        with naming(self.tr("Layer '{}'").format(data.layer)):
            res = moran.local_moran_sparse(data.values[weights.index], weights.weights, **settings)
        feedback.setProgress(70)
        self._log_inference(feedback, res["inference"], res["permutations"], settings, res["threshold"])
        m = len(data.fids)
        columns = {
            "Ii": np.full(m, np.nan),
            "z": np.full(m, np.nan),
            "p": np.full(m, np.nan),
            "cluster": np.zeros(m, dtype=np.uint8),
            "quadrant": np.zeros(m, dtype=np.uint8),
        }
        for key in columns:
            columns[key][weights.index] = res[key]
        columns["cluster"][weights.isolated] = moran.ISOLATED
        results = {}
        dest = self._write_features(parameters, context, data, columns)
        if dest is not None:
            results[self.OUTPUT] = dest
            scheme = moran.lisa_scheme(settings["alpha"], settings["fdr"])
            styling.style_on_load(context, dest, styling.categorized(CLUSTER_FIELD, scheme))
        return results | self._class_table(parameters, context, feedback, data, columns["cluster"], settings)

    def _write_features(self, parameters, context, data, columns):
        source = self.parameterAsSource(parameters, inputs.INPUT_VECTOR, context)
        new_names = {name.lower() for name, _ in FIELDS}
        kept = [f for f in source.fields() if f.name().lower() not in new_names]
        fields = QgsFields()
        for f in kept:
            fields.append(f)
        for name, qtype in FIELDS:
            fields.append(QgsField(name, qtype))
        sink, dest = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, source.wkbType(), source.sourceCrs()
        )
        if sink is None:
            return None
        row = {fid: i for i, fid in enumerate(data.fids)}
        names = {c.code: c.name for c in moran.LISA_CLUSTERS.classes}
        for feat in source.getFeatures():
            i = row[feat.id()]
            code = int(columns["cluster"][i])
            extra = [
                _number(columns["Ii"][i]),
                _number(columns["z"][i]),
                _number(columns["p"][i]),
                QUADRANT_LABELS.get(int(columns["quadrant"][i])),
                code or None,
                names.get(code),
            ]
            out = QgsFeature(fields)
            out.setGeometry(feat.geometry())
            out.setAttributes([feat[f.name()] for f in kept] + extra)
            if not sink.addFeature(out, QgsFeatureSink.FastInsert):
                raise QgsProcessingException(
                    self.tr("Could not write feature {} to the output").format(feat.id())
                )
        return dest

    def _class_table(self, parameters, context, feedback, data, cluster, settings):
        scheme = moran.lisa_scheme(settings["alpha"], settings["fdr"])
        weight = data.area_m2 if data.polygons else np.ones(cluster.size)
        total = float(np.sum(weight[cluster > 0]))
        basis = "ellipsoidal area" if data.polygons else "number of features"
        feedback.pushInfo(self.tr("LISA classes of '{}' (shares by {}):").format(data.layer, basis))
        rows = []
        for c in scheme.classes:
            sel = cluster == c.code
            count = int(sel.sum())
            share = 100.0 * float(np.sum(weight[sel])) / total if total > 0 else 0.0
            area_ha = float(np.sum(data.area_m2[sel])) / 10_000.0 if data.polygons else None
            rows.append(
                {"code": c.code, "class": c.name, "features": count, "area_ha": area_ha, "share_pct": share}
            )
            area_text = f"{area_ha:>14,.1f} ha" if area_ha is not None else ""
            feedback.pushInfo(f"  {c.code:>3}  {c.name:<32} {count:>9,} {area_text}  {share:6.2f} %")
        return engine.write_class_areas(self, parameters, context, {self.OUTPUT: rows})


def _number(v):
    return float(v) if np.isfinite(v) else None

"""Local Moran's I (LISA) of a raster band or of a vector layer field, with cluster classes (docs/method.md, step 12)."""

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
from .support import styling, vocabulary
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
    LOCAL_I = "LOCAL_I"
    Z_SCORE = "Z_SCORE"
    P_VALUE = "P_VALUE"
    LISA_CLUSTER = "LISA_CLUSTER"
    QUADRANT = "QUADRANT"
    OUTPUT = "OUTPUT"

    NAME = "localmoran"
    DISPLAY_NAME = "Local Moran's I (LISA)"
    GROUP_ID = "spatial"
    REQUIRES = ("scipy",)
    TAGS = "lisa,local moran,moran's i,hotspot,hot spot,hotspots,cold spot,cluster,high-high,low-low,spatial autocorrelation"
    HELP = (
        """
Local indicators of spatial association (LISA, Anselin 1995) of a raster band (e.g. carbon density or its
Sen slope) or of a numeric field of a polygon or point layer: Iᵢ, its z-score and p-value, the quadrant, and a
cluster class High-High, Low-Low, High-Low, Low-High or Not significant, mapped in the customary LISA colours
(red, blue, pink, light blue, grey) with a legend, and the area of each class (docs/method.md, step 12).
High-High clusters are the hot spots, Low-Low the cold spots.

Formulas

  Iᵢ = (zᵢ / m₂) Σⱼ wᵢⱼ zⱼ,  m₂ = Σ zᵢ² / n
  analytic: E[Iᵢ] = −wᵢ / (n − 1), Var[Iᵢ] from Anselin (1995, total randomisation), z = (Iᵢ − E) / √Var, p = 2Φ(−|z|)
  permutation: p = (1 + the number of permutations k with |Iᵢ⁽ᵏ⁾ − Īᵢ| ≥ |Iᵢ − Īᵢ|) / (K + 1)

z are the deviations from the mean of the n analysed values and wᵢ the row sum of i. The mean of the Iᵢ is the
global Moran's I. m₂ divides by n as in Anselin (1995) and R spdep's default; PySAL's esda divides by n − 1,
so its Iᵢ is this one times (n − 1)/n, with the same z, p and quadrants.

Quadrant: by the signs of zᵢ and of its spatial lag Σⱼ wᵢⱼ zⱼ (a value exactly at the mean counts as low).

Conditional permutation: zᵢ is held fixed and the values of its neighbours are drawn without replacement from
the other n − 1, K times (default 999, seeded); the pseudo p is two-sided, the permutation distribution
folded about its mean, and z is the permutation z-score (Iᵢ − Īᵢ)/sdᵢ.

Inference "auto" (default): permutation up to 1,000,000 analysed cells or features, analytic above. A pseudo p
cannot go below 1/(K + 1), which over millions of cells leaves the false discovery rate correction little
power, while the analytic p resolves any tail.

Cluster: the quadrant where p ≤ α (default 0.05), otherwise Not significant. With the FDR option, where p ≤
the Benjamini–Hochberg threshold over all analysed cells.
"""
        + inputs.WEIGHTS_HELP
        + """
Outputs

Rasters: LISA cluster (styled, with a legend), local Moran's I, z-score and p-value (float32; the band
descriptions state the scaling and the inference), optionally the quadrant, and a table of the true area of
each class. Vector layers: the input features with the fields lisa_Ii, lisa_z, lisa_p, lisa_quad (HH, LL, HL,
LH), lisa_clust (class code) and lisa_label (class name), loaded with a categorized LISA style, and the class
table (features and, for polygons, ellipsoidal area). The numbers equal those of PySAL's esda Moran_Local with
libpysal weights built by the same rules (Iᵢ up to the scaling above).

References

Anselin, L. (1995) Local indicators of spatial association — LISA. Geogr. Anal. 27:93–115. Sokal, R. R.,
Oden, N. L. & Thomson, B. A. (1998) Local spatial autocorrelation in a biological model. Geogr. Anal.
30:331–354. Benjamini, Y. & Hochberg, Y. (1995) Controlling the false discovery rate. J. R. Stat. Soc. B
57:289–300. Rey, S. J. & Anselin, L. (2007) PySAL. Rev. Reg. Stud. 37:5–27.
"""
    )

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        inputs.add_input_parameters(self)
        inference = QgsProcessingParameterEnum(
            self.INFERENCE,
            self.tr("Inference"),
            options=[
                self.tr("Auto (permutation up to 1 million cells/features, analytic above)"),
                self.tr("Analytic (Anselin 1995 moments)"),
                self.tr("Conditional permutation"),
            ],
            defaultValue=0,
        )
        inference.setHelp(self.tr("How the p-value of each Iᵢ is obtained (see the help)."))
        self.addParameter(inference)
        engine.add_alpha_parameter(self, self.ALPHA)
        fdr = QgsProcessingParameterBoolean(
            self.FDR, self.tr("False discovery rate correction (Benjamini–Hochberg)"), defaultValue=False
        )
        fdr.setHelp(
            self.tr("Call a cell significant only below the Benjamini–Hochberg threshold over all cells.")
        )
        self.addParameter(fdr)
        engine.add_memory_parameter(self)
        raster_only = self.tr("(raster input)")
        engine.add_raster_output(
            self, self.LISA_CLUSTER, help_text=vocabulary.help_text(self.LISA_CLUSTER) + " " + raster_only
        )
        engine.add_raster_output(
            self,
            self.LOCAL_I,
            self.tr("Local Moran's I"),
            help_text=self.tr("Iᵢ of each pixel (raster input)."),
        )
        engine.add_raster_output(
            self, self.Z_SCORE, help_text=self.tr("z-score of Iᵢ of each pixel (raster input).")
        )
        engine.add_raster_output(
            self, self.P_VALUE, help_text=self.tr("p-value of Iᵢ of each pixel (raster input).")
        )
        engine.add_raster_output(
            self,
            self.QUADRANT,
            self.tr("Quadrant"),
            create_by_default=False,
            help_text=self.tr("HH, LL, HL, LH of each pixel, significant or not (raster input)."),
        )
        output = QgsProcessingParameterFeatureSink(
            self.OUTPUT,
            self.tr("LISA features (vector input)"),
            QgsProcessing.TypeVectorAnyGeometry,
            optional=True,
            createByDefault=True,
        )
        output.setHelp(self.tr("The input features with the LISA fields (vector input)."))
        self.addParameter(output)
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
            spec(self.LISA_CLUSTER, scheme.title, key="cluster", dtype="uint8", scheme=scheme),
            spec(
                self.LOCAL_I,
                "Local Moran's I (Anselin 1995: m2 = sum(z^2)/n; esda's Is = Ii (n-1)/n)",
                key="Ii",
                ramp=LISA_RAMP,
                symmetric=True,
            ),
            spec(self.Z_SCORE, "z-score of Ii ({inference})", key="z", ramp=LISA_RAMP, symmetric=True),
            spec(self.P_VALUE, "p-value of Ii ({inference})", key="p", ramp=P_RAMP),
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

"""Factor correlation screening: Pearson r / p, VIF and a keep-list at sample points (METHOD.md step 3)."""

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
)

from ..core.carbon import screening_report
from ..core.common.errors import naming
from ..core.reports import store
from ..core.stats import screening
from .support import raster_engine as engine
from .support import vector_io
from .support.base import CarbonSinkAlgorithm


class FactorScreening(CarbonSinkAlgorithm):
    INPUT = "INPUT"
    TARGET = "TARGET"
    FACTORS = "FACTORS"
    THRESHOLD = "THRESHOLD"
    PAIRS = "PAIRS"
    FACTOR_TABLE = "FACTOR_TABLE"
    REPORT = "REPORT"
    KEEP = "KEEP"
    N_USED = "N_USED"

    NAME = "factorscreening"
    DISPLAY_NAME = "Factor correlation screening"
    GROUP_ID = "carbonmodel"
    REQUIRES = ("scipy",)
    HELP = """
<p>Screens candidate factors (NPP, NDVI, EVI, aridity, precipitation, temperature, DEM, slope …) for the
carbon density model: each factor raster is sampled at the points, then the Pearson correlation of every
pair of variables (target and factors) with its p-value, the variance inflation factor (VIF) of each
factor, and a suggested keep-list are computed. An HTML report shows the correlation heat map with
significance stars, the VIF table and the keep-list.</p>
<h3>Inputs</h3>
<p>A point layer with the target field (carbon density, t C/hm²), and one single-band raster per factor,
all on one grid (same CRS, extent and pixel size; nothing is resampled). A factor is named after its
layer. Points are transformed to the rasters' CRS; a point outside the rasters, on nodata of any factor
or without a target value is left out of the whole analysis (listwise deletion, so every statistic uses
the same n) and counted in the log. At least 3 complete points are needed.</p>
<h3>Formulas</h3>
<p><b>Pearson r</b> = Σ(x<sub>i</sub> − x̄)(y<sub>i</sub> − ȳ) / √(Σ(x<sub>i</sub> − x̄)² Σ(y<sub>i</sub> − ȳ)²).<br>
<b>t test</b> of ρ = 0: t = r √(n − 2) / √(1 − r²), Student's t with n − 2 degrees of freedom,
two-sided p = 2 P(T &gt; |t|). Stars: * p &lt; 0.05, ** p &lt; 0.01, *** p &lt; 0.001.<br>
<b>VIF</b><sub>j</sub> = 1 / (1 − R²<sub>j</sub>), R²<sub>j</sub> from the least-squares regression (with
intercept) of factor j on all other factors; equal to the j-th diagonal element of the inverse
correlation matrix of the factors. VIF &gt; 10 (some use 5) signals strong collinearity; read it with the
sample size in mind (O'Brien 2007).</p>
<h3>Keep-list</h3>
<p>Factors are visited in decreasing |r| with the target. The first is kept; each next factor is kept
unless its |r| with an already kept factor exceeds the threshold (default 0.8), in which case the table
says which kept factor it collides with. This keeps, in every group of collinear factors, the one most
correlated with carbon density, as in the paper (which keeps NPP, NDVI, AP, MAT and DEM). It is a
suggestion: check the VIFs and the ecology before passing the list on.</p>
<h3>Outputs</h3>
<p><b>Correlation pairs</b>: one row per pair of variables (var1, var2, r, p, n, sig) — a long table
whose fields do not depend on the layer names, so it works in any format and in the modeler; the matrix
is in the report. <b>Factor table</b>: factor, r_with_target, p_with_target, vif (among all factors), vif_kept (among the
kept factors only: the collinearity the model will see), keep, reason.
<b>KEEP</b>: the kept factor names, comma-separated, for the modeler.</p>
<h3>References</h3>
<p>Pearson, K. (1895) Proc. R. Soc. Lond. 58:240–242. Fisher, R. A. (1915) Biometrika 10:507–521.
O'Brien, R. M. (2007) A caution regarding rules of thumb for variance inflation factors. Quality &amp;
Quantity 41:673–690. Bao et al. (2026) Arid Land Geography 49(4):740–755; METHOD.md step 3.</p>
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.INPUT, self.tr("Sample points"), [QgsProcessing.TypeVectorPoint]
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.TARGET,
                self.tr("Target field (carbon density)"),
                parentLayerParameterName=self.INPUT,
                type=QgsProcessingParameterField.Numeric,
            )
        )
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.FACTORS,
                self.tr("Factor rasters (one single-band raster per factor, all on one grid)"),
                QgsProcessing.TypeRaster,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.THRESHOLD,
                self.tr("Drop a factor when its |r| with a kept factor exceeds"),
                QgsProcessingParameterNumber.Double,
                defaultValue=0.8,
                minValue=0.01,
                maxValue=1.0,
            )
        )
        engine.add_table_output(self, self.PAIRS, self.tr("Correlation pairs"))
        engine.add_table_output(self, self.FACTOR_TABLE, self.tr("Factor table (r with target, VIF, keep)"))
        engine.add_report_output(self, self.REPORT, self.tr("Screening report"))
        self.addOutput(QgsProcessingOutputString(self.KEEP, self.tr("Kept factors (comma-separated)")))
        self.addOutput(QgsProcessingOutputNumber(self.N_USED, self.tr("Points used")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        target = self.parameterAsString(parameters, self.TARGET, context)
        if not target:
            raise QgsProcessingException(self.tr("No target field given"))
        threshold = self.parameterAsDouble(parameters, self.THRESHOLD, context)
        names, stack = engine.factors_from_parameters(self, parameters, context, self.FACTORS)
        paths = [band.path for band in stack.bands]
        if target in names:
            raise QgsProcessingException(
                self.tr("A factor layer has the name of the target field '{}'; rename the layer.").format(
                    target
                )
            )
        feedback.setProgress(10)
        samples = engine.sample_factors_at_points(
            self, source, context, feedback, target, names, stack, purpose="analysis"
        )
        layer_name, n_total, counts = samples.layer, samples.n_total, samples.counts
        values, y, used = samples.values, samples.target, samples.used
        n_used = int(used.sum())
        feedback.setProgress(50)
        if n_used < screening.MIN_ROWS:
            raise QgsProcessingException(
                self.tr(
                    "Only {} point(s) of layer '{}' have a target value and a value for every factor; at least {} "
                    "are needed ({})."
                ).format(n_used, layer_name, screening.MIN_ROWS, counts)
            )
        data = np.column_stack([y[used], values[used]])
        variables = [target, *names]
        with naming(self.tr("Layer '{}'").format(layer_name)):
            r, p = screening.correlation_matrix(data, variables)
        try:
            vif = screening.variance_inflation_factors(data[:, 1:], names)
        except ValueError as exc:
            vif = np.full(len(names), np.nan)
            feedback.pushWarning(self.tr("No VIF: {}").format(exc))
        keep, dropped = screening.suggest_keep(names, r[0, 1:], r[1:, 1:], threshold)
        vif_kept = self._vif_of_kept(feedback, data[:, 1:], names, keep)
        feedback.setProgress(80)
        reasons = {d.name: d.reason for d in dropped}
        rows = []
        for j, name in enumerate(names):
            kept = name in keep
            if not kept:
                reason = reasons[name]
            elif name == keep[0]:
                reason = f"kept: highest |r| with {target}"
            else:
                before = keep[: keep.index(name)]
                reason = f"kept: |r| ≤ {threshold:g} with {', '.join(before)}"
            rows.append(
                {
                    "factor": name,
                    "r_with_target": float(r[0, j + 1]),
                    "p_with_target": float(p[0, j + 1]),
                    "vif": float(vif[j]),
                    "vif_kept": float(vif_kept.get(name, np.nan)),
                    "keep": kept,
                    "reason": reason,
                }
            )
        self._log_results(feedback, target, rows, keep, vif, names, n_used)
        results = {self.KEEP: ",".join(keep), self.N_USED: n_used}
        results.update(self._write_tables(parameters, context, variables, r, p, n_used, rows))
        html_path = self.parameterAsFileOutput(parameters, self.REPORT, context)
        if html_path:
            doc = screening_report.screening_report(
                layer_name, target, names, paths, threshold, r, p, rows, keep, dropped, n_used, n_total, counts,
                version=self.provider().versionInfo() if self.provider() else "",
            )  # fmt: skip
            results[self.REPORT] = store.write_report(html_path, doc)
        feedback.setProgress(100)
        return results

    # ----------------------------------------------------------------------------------------- helpers
    def _vif_of_kept(self, feedback, x, names, keep):
        """VIF of each kept factor among the kept factors only (the collinearity the model will see)."""
        try:
            vif = screening.variance_inflation_factors(x[:, [names.index(n) for n in keep]], keep)
        except ValueError as exc:
            feedback.pushWarning(self.tr("No VIF among the kept factors: {}").format(exc))
            return {}
        return dict(zip(keep, vif))

    def _log_results(self, feedback, target, rows, keep, vif, names, n_used):
        feedback.pushInfo(
            self.tr("n = {:,}. Factor, r with {}, p, VIF (all factors), VIF (kept factors), keep:").format(
                n_used, target
            )
        )
        for row in rows:
            feedback.pushInfo(
                f"  {row['factor']:<24} {row['r_with_target']:+.3f}  {row['p_with_target']:.3g}  "
                f"{row['vif']:8.2f}  {row['vif_kept']:8.2f}  "
                f"{'keep' if row['keep'] else 'drop: ' + row['reason']}"
            )
        feedback.pushInfo(self.tr("Suggested factors: {}").format(", ".join(keep)))
        high = [f"{row['factor']} ({row['vif_kept']:.1f})" for row in rows if row["vif_kept"] > 10]
        if high:
            feedback.pushWarning(
                self.tr(
                    "Kept factors still collinear (VIF > 10 among the kept factors): {}; consider a lower "
                    "threshold"
                ).format(", ".join(high)),
            )

    def _write_tables(self, parameters, context, variables, r, p, n_used, rows):
        out = {}
        i, j = np.triu_indices(len(variables), k=1)
        stars = screening.significance_stars(p[i, j])
        dest = vector_io.write_table(
            self,
            parameters,
            self.PAIRS,
            context,
            {
                "var1": np.array([variables[a] for a in i], dtype=object),
                "var2": np.array([variables[b] for b in j], dtype=object),
                "r": r[i, j],
                "p": p[i, j],
                "n": np.full(i.size, n_used, dtype=np.int64),
                "sig": np.array([str(s) for s in stars], dtype=object),
            },
        )
        if dest is not None:
            out[self.PAIRS] = dest
        columns = {
            "factor": np.array([row["factor"] for row in rows], dtype=object),
            "r_with_target": np.array([row["r_with_target"] for row in rows]),
            "p_with_target": np.array([row["p_with_target"] for row in rows]),
            "vif": np.array([row["vif"] for row in rows]),
            "vif_kept": np.array([row["vif_kept"] for row in rows]),
            "keep": np.array([row["keep"] for row in rows], dtype=bool),
            "reason": np.array([row["reason"] for row in rows], dtype=object),
        }
        dest = vector_io.write_table(self, parameters, self.FACTOR_TABLE, context, columns)
        if dest is not None:
            out[self.FACTOR_TABLE] = dest
        return out

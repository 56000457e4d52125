"""Train the Random Forest model of carbon density on factor rasters sampled at points (METHOD.md step 4)."""

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..core.carbon import forest, forest_report
from ..core.common.errors import naming
from ..core.reports import store
from .support import raster_engine as engine
from .support import vector_io
from .support.base import CarbonSinkAlgorithm, advanced


def _crs_label(wkt):
    if not wkt:
        return "no CRS"
    from qgis.core import QgsCoordinateReferenceSystem

    crs = QgsCoordinateReferenceSystem.fromWkt(wkt)
    return crs.authid() or crs.description() or "custom CRS"


class TrainRandomForest(CarbonSinkAlgorithm):
    INPUT = "INPUT"
    TARGET = "TARGET"
    FACTORS = "FACTORS"
    SELECT = "SELECT"
    N_TREES = "N_TREES"
    MIN_LEAF = "MIN_LEAF"
    MAX_DEPTH = "MAX_DEPTH"
    VALIDATION_FRACTION = "VALIDATION_FRACTION"
    SEED = "SEED"
    CV_FOLDS = "CV_FOLDS"
    UNITS = "UNITS"
    MODEL = "MODEL"
    METRICS = "METRICS"
    IMPORTANCE = "IMPORTANCE"
    REPORT = "REPORT"
    N_USED = "N_USED"
    VALIDATION_R2 = "VALIDATION_R2"

    NAME = "trainrandomforest"
    DISPLAY_NAME = "Train Random Forest model"
    GROUP_ID = "carbonmodel"
    REQUIRES = ("sklearn",)
    HELP = """
<p>Fits a Random Forest regression of carbon density on factor rasters (NPP, NDVI, precipitation,
temperature, DEM …) sampled at the points, and writes a model file that <i>Predict annual carbon density</i>
applies to each year's rasters. Reports the accuracy on a held-out validation set, optional k-fold
cross-validation, the importance of each factor, and an observed-vs-predicted plot.</p>
<h3>Inputs</h3>
<p>A point layer with the target field (carbon density, t C/hm²), and one single-band raster per factor, all
on one grid (same CRS, extent and pixel size; nothing is resampled). <b>A factor is named after its
layer</b>, and the prediction matches rasters to the model's factors by these names, so name the layers as
you will name the prediction inputs (NPP, NDVI, AP, MAT, DEM). For a yearly factor, train on the raster of
the survey year (or a multi-year mean), named after the factor. Points are transformed to the rasters' CRS;
a point outside the rasters, on nodata of any factor or without a target value is left out and counted in
the log.</p>
<h3>Method</h3>
<p>A random share of the points (validation fraction, default 10 %) is held out; the forest is grown on the
rest with scikit-learn's RandomForestRegressor: bootstrap samples, squared-error splits over all factors,
100 trees, minimum leaf size 20, maximum depth 10 (the paper's settings). The seed fixes the split, the
forest, the folds and the permutations: the same inputs and seed give the same model.</p>
<p>R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)², MAE = mean |y − ŷ|, RMSE = √(mean (y − ŷ)²), on the training and on the
validation points (ȳ of that set). With k-fold cross-validation (k ≥ 2) the forest is refitted on k − 1
folds of the training points and scored on the remaining fold; the table gives the mean and standard
deviation over the folds. The validation points are never used for it.</p>
<p><b>Importance</b>: impurity importance (mean decrease of the squared error, sums to 1) and permutation
importance (mean ± sd over 10 shuffles of the drop in validation R² when one factor is shuffled; the
training points when there is no validation set). Prefer the permutation importance: impurity importance
favours factors with many distinct values.</p>
<h3>Outputs</h3>
<p><b>Model file</b> (.npz): the trees as plain numeric arrays plus the factor names in order, their units
(advanced parameter, e.g. <code>NPP=gC/m2/yr;DEM=m</code>), the CRS of the training rasters, the metrics and
the settings. It is not a pickle: opening it runs no code, and the prediction checks it array by array and
against its SHA-256 checksum, so a damaged or edited file is refused. <b>Metrics</b>: set, r2, mae, rmse, n
(train, validation, and cv_mean / cv_sd). <b>Importance</b>: factor, impurity, permutation_mean,
permutation_sd. <b>Report</b>: a self-contained HTML page with the tables and charts.</p>
<h3>References</h3>
<p>Breiman, L. (2001) Random forests. Machine Learning 45:5–32. Strobl, C. et al. (2007) Bias in random
forest variable importance measures. BMC Bioinformatics 8:25. Bao et al. (2026) Arid Land Geography
49(4):740–755; METHOD.md step 4.</p>
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self._add_input_parameters()
        self._add_forest_parameters()
        units = QgsProcessingParameterString(
            self.UNITS,
            self.tr("Units of the factors, stored with the model (e.g. NPP=gC/m2/yr;DEM=m)"),
            optional=True,
        )
        self.addParameter(advanced(units))
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.MODEL, self.tr("Model file"), self.tr("Carbon Sink model (*.npz)")
            )
        )
        engine.add_table_output(self, self.METRICS, self.tr("Accuracy metrics"))
        engine.add_table_output(self, self.IMPORTANCE, self.tr("Factor importance"))
        engine.add_report_output(self, self.REPORT, self.tr("Model report"))
        self.addOutput(QgsProcessingOutputNumber(self.N_USED, self.tr("Points used")))
        self.addOutput(QgsProcessingOutputNumber(self.VALIDATION_R2, self.tr("Validation R²")))

    def _add_input_parameters(self):
        """The sample points, their target field and the factor rasters (optionally a subset of them)."""
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.INPUT, self.tr("Sample points"), [QgsProcessing.TypeVectorPoint]
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.TARGET,
                self.tr("Target field (carbon density, t C/hm²)"),
                parentLayerParameterName=self.INPUT,
                type=QgsProcessingParameterField.Numeric,
            )
        )
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.FACTORS,
                self.tr("Factor rasters (one single-band raster per factor, named after it, on one grid)"),
                QgsProcessing.TypeRaster,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.SELECT,
                self.tr(
                    "Use only these factors (comma-separated names, e.g. the keep-list of Factor correlation "
                    "screening; empty: all)"
                ),
                optional=True,
            )
        )

    def _add_forest_parameters(self):
        """The forest (trees, leaf size, depth), the validation share, the seed and the cross-validation folds."""
        for name, label, default, lo, hi in (
            (self.N_TREES, "Number of trees", 100, 1, 5000),
            (self.MIN_LEAF, "Minimum leaf size (points)", 20, 1, 100000),
            (self.MAX_DEPTH, "Maximum tree depth", 10, 1, 100),
        ):
            self.addParameter(
                QgsProcessingParameterNumber(
                    name,
                    self.tr(label),
                    QgsProcessingParameterNumber.Integer,
                    defaultValue=default,
                    minValue=lo,
                    maxValue=hi,
                )
            )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.VALIDATION_FRACTION,
                self.tr("Validation fraction (share of points held out; 0 = none)"),
                QgsProcessingParameterNumber.Double,
                defaultValue=0.10,
                minValue=0.0,
                maxValue=0.5,
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
        self.addParameter(
            QgsProcessingParameterNumber(
                self.CV_FOLDS,
                self.tr("k-fold cross-validation on the training points (0 = none)"),
                QgsProcessingParameterNumber.Integer,
                defaultValue=0,
                minValue=0,
                maxValue=50,
            )
        )

    def checkParameterValues(self, parameters, context):  # noqa: N802
        if self.parameterAsInt(parameters, self.CV_FOLDS, context) == 1:
            return False, self.tr("k-fold cross-validation needs k ≥ 2 (or 0 for none).")
        return super().checkParameterValues(parameters, context)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        target = self.parameterAsString(parameters, self.TARGET, context)
        if not target:
            raise QgsProcessingException(self.tr("No target field given"))
        select = [
            n.strip()
            for n in self.parameterAsString(parameters, self.SELECT, context).split(",")
            if n.strip()
        ]
        names, stack = engine.factors_from_parameters(self, parameters, context, self.FACTORS, select=select)
        paths = [b.path for b in stack.bands]
        units = forest.parse_units(self.parameterAsString(parameters, self.UNITS, context), names)
        model_path = self.parameterAsFileOutput(parameters, self.MODEL, context)
        if not model_path:
            raise QgsProcessingException(self.tr("No model file given"))

        samples = engine.sample_factors_at_points(
            self, source, context, feedback, target, names, stack, purpose="model"
        )
        feedback.setProgress(10)
        layer_name, n_total, counts = samples.layer, samples.n_total, samples.counts
        yv = samples.target[samples.used]
        model, fit = self._fit(parameters, context, feedback, samples, names)

        meta = forest_report.model_metadata(
            fit, names, units, stack.grid.crs_wkt, target, layer_name, yv.size, paths
        )
        with naming(self.tr("Cannot write the model file {}").format(model_path)):
            written = forest.save_model(model_path, model, meta)
        feedback.pushInfo(
            self.tr("Model written to {} (SHA-256 {}…)").format(model_path, written["sha256"][:16])
        )
        results = {
            self.MODEL: model_path,
            self.N_USED: int(yv.size),
            self.VALIDATION_R2: fit.metrics.get("validation", {}).get("r2", float("nan")),
        }
        results.update(self._write_tables(parameters, context, fit))
        html_path = self.parameterAsFileOutput(parameters, self.REPORT, context)
        if html_path:
            doc = forest_report.forest_report(
                layer_name, target, names, paths, units, _crs_label(stack.grid.crs_wkt), fit, model_path,
                counts, n_total, version=self.provider().versionInfo() if self.provider() else "",
            )  # fmt: skip
            results[self.REPORT] = store.write_report(html_path, doc)
        feedback.setProgress(100)
        return results

    # --------------------------------------------------------------------------------------------- helpers
    def _fit(self, parameters, context, feedback, samples, names):
        """Fit the forest on the usable points with the settings of the parameters; log the fit."""
        settings = {
            "n_trees": self.parameterAsInt(parameters, self.N_TREES, context),
            "min_samples_leaf": self.parameterAsInt(parameters, self.MIN_LEAF, context),
            "max_depth": self.parameterAsInt(parameters, self.MAX_DEPTH, context),
            "validation_fraction": self.parameterAsDouble(parameters, self.VALIDATION_FRACTION, context),
            "seed": self.parameterAsInt(parameters, self.SEED, context),
            "cv_folds": self.parameterAsInt(parameters, self.CV_FOLDS, context),
        }
        X, y = samples.values[samples.used], samples.target[samples.used]
        feedback.pushInfo(
            self.tr(
                "Fitting {} trees (minimum leaf {}, maximum depth {}) on {:,} points, {:.0%} held out for "
                "validation, seed {}…"
            ).format(
                settings["n_trees"],
                settings["min_samples_leaf"],
                settings["max_depth"],
                y.size,
                settings["validation_fraction"],
                settings["seed"],
            )
        )
        subject = self.tr("Layer '{}' ({} usable points; {})").format(samples.layer, y.size, samples.counts)
        with naming(subject):
            model, fit = forest.fit_random_forest(X, y, names, **settings)
        for warning in fit.warnings:
            feedback.pushWarning(warning)
        feedback.setProgress(80)
        self._log_fit(feedback, fit)
        return model, fit

    def _log_fit(self, feedback, fit):
        for name, m in fit.metrics.items():
            feedback.pushInfo(
                f"  {name:<10} R² {m['r2']:.3f}   MAE {m['mae']:.3f}   RMSE {m['rmse']:.3f}   n {m['n']:,}"
            )
        if fit.cv is not None:
            mean, sd = fit.cv["mean"], fit.cv["sd"]
            feedback.pushInfo(
                f"  {fit.cv['folds']}-fold CV R² {mean['r2']:.3f} ± {sd['r2']:.3f}   MAE {mean['mae']:.3f} ± "
                f"{sd['mae']:.3f}   RMSE {mean['rmse']:.3f} ± {sd['rmse']:.3f}"
            )
        imp = fit.importance
        feedback.pushInfo(
            self.tr("Importance (impurity; permutation on the {} points):").format(imp["permutation_set"])
        )
        for f, a, b, c in zip(imp["factor"], imp["impurity"], imp["permutation_mean"], imp["permutation_sd"]):
            feedback.pushInfo(f"  {f:<24} {a:.3f}   {b:+.3f} ± {c:.3f}")

    def _write_tables(self, parameters, context, fit):
        out = {}
        rows = forest_report.metric_rows(fit)
        dest = vector_io.write_table(
            self,
            parameters,
            self.METRICS,
            context,
            {
                "set": np.array([r["set"] for r in rows], dtype=object),
                "r2": np.array([r["r2"] for r in rows], dtype=float),
                "mae": np.array([r["mae"] for r in rows], dtype=float),
                "rmse": np.array([r["rmse"] for r in rows], dtype=float),
                "n": np.array([r["n"] for r in rows], dtype=np.int64),
            },
        )
        if dest is not None:
            out[self.METRICS] = dest
        imp = fit.importance
        dest = vector_io.write_table(
            self,
            parameters,
            self.IMPORTANCE,
            context,
            {
                "factor": np.array(imp["factor"], dtype=object),
                "impurity": imp["impurity"],
                "permutation_mean": imp["permutation_mean"],
                "permutation_sd": imp["permutation_sd"],
            },
        )
        if dest is not None:
            out[self.IMPORTANCE] = dest
        return out

"""Train the carbon density model (Random Forest, gradient boosting or XGBoost) on factor rasters sampled at
points, with spatial cross-validation, a prediction interval and the area of applicability (docs/method.md,
step 4)."""

import re

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..core.carbon import boosting, forest, forest_report, model, validation
from ..core.common.errors import naming
from ..core.reports import store
from .support import dependencies, vector_io, vocabulary
from .support import raster_engine as engine
from .support.base import CarbonSinkAlgorithm, advanced
from .support.vocabulary import with_help

# MODEL_KIND options, in order; the last compares the others (XGBoost only when installed)
KIND_OPTIONS = ("random_forest", "hist_gradient_boosting", "xgboost", "best")
# CV_SCHEME options, in order
SCHEME_OPTIONS = ("random", "blocks", "clusters")


# the core's argument names in messages → this algorithm's parameter names
_PARAMETER_OF = {
    "block_size": "BLOCK_SIZE",
    "cv_folds": "CV_FOLDS",
    "validation_fraction": "VALIDATION_FRACTION",
    "n_trees": "N_TREES",
    "min_samples_leaf": "MIN_LEAF",
    "max_depth": "MAX_DEPTH",
    "learning_rate": "LEARNING_RATE",
    "bootstrap_replicates": "BOOTSTRAP_REPLICATES",
    "interval_level": "INTERVAL_LEVEL",
}
_CORE_NAMES = re.compile(r"\b(" + "|".join(_PARAMETER_OF) + r")\b")


def _crs_label(wkt):
    if not wkt:
        return "no CRS"
    from qgis.core import QgsCoordinateReferenceSystem

    crs = QgsCoordinateReferenceSystem.fromWkt(wkt)
    return crs.authid() or crs.description() or "custom CRS"


class TrainCarbonModel(CarbonSinkAlgorithm):
    SAMPLES = "SAMPLES"
    CARBON_FIELD = "CARBON_FIELD"
    FACTORS = "FACTORS"
    SELECT_FACTORS = "SELECT_FACTORS"
    MODEL_KIND = "MODEL_KIND"
    N_TREES = "N_TREES"
    MIN_LEAF = "MIN_LEAF"
    MAX_DEPTH = "MAX_DEPTH"
    LEARNING_RATE = "LEARNING_RATE"
    VALIDATION_FRACTION = "VALIDATION_FRACTION"
    CV_SCHEME = "CV_SCHEME"
    CV_FOLDS = "CV_FOLDS"
    BLOCK_SIZE = "BLOCK_SIZE"
    INTERVAL_LEVEL = "INTERVAL_LEVEL"
    BOOTSTRAP_REPLICATES = "BOOTSTRAP_REPLICATES"
    SEED = "SEED"
    FACTOR_UNITS = "FACTOR_UNITS"
    MODEL = "MODEL"
    METRICS = "METRICS"
    IMPORTANCE = "IMPORTANCE"
    REPORT = "REPORT"
    N_USED = "N_USED"
    VALIDATION_R2 = "VALIDATION_R2"
    CV_RMSE = "CV_RMSE"
    KIND_USED = "KIND_USED"

    NAME = "traincarbonmodel"
    DISPLAY_NAME = "Train carbon density model"
    GROUP_ID = "carbonmodel"
    REQUIRES = ("sklearn",)
    TAGS = (
        "random forest,random forests,gradient boosting,xgboost,machine learning,regression,carbon density "
        "model,training,cross-validation,spatial cross-validation,feature importance,prediction interval,"
        "uncertainty,area of applicability"
    )
    HELP = """
Fits a model of carbon density on factor rasters (NPP, NDVI, precipitation, temperature, DEM …) sampled at
the points, and writes a model file that "Predict annual carbon density" applies to each year's rasters
(docs/method.md, step 4). The model is a Random Forest (the paper's), histogram gradient boosting or XGBoost,
or the best of them by spatial cross-validation. Reports the accuracy on a random hold-out (as the paper)
and in a spatial cross-validation side by side, Moran's I of the residuals, the prediction interval, the area
of applicability, the importance of each factor and an observed-versus-predicted plot.

Inputs

A point layer with a carbon density field (t C/hm²), and one single-band raster per factor, all on one grid
(same CRS, extent and pixel size; nothing is resampled). A factor is named after its layer, and the
prediction matches rasters to the model's factors by these names, so name the layers as you will name the
prediction inputs (NPP, NDVI, AP, MAT, DEM). For a yearly factor, train on the raster of the survey year (or
a multi-year mean), named after the factor (NPP_2024 is the factor NPP). Points are transformed to the
rasters' CRS; a point outside the rasters, on nodata of any factor or without a carbon density is left out
and counted in the log. Use a projected CRS (metres) for spatial blocks.

Model kinds

- Random Forest (default): scikit-learn's RandomForestRegressor, bootstrap samples, squared-error splits over
all factors; 100 trees, minimum leaf 20, maximum depth 10 by default (the paper's settings).
- Histogram gradient boosting: scikit-learn's HistGradientBoostingRegressor (no extra package): 100
boosting iterations, minimum leaf 20, unlimited depth, learning rate 0.1 by default.
- XGBoost: needs the Python package xgboost (the run stops with how to install it when it is missing); 100
rounds, minimum leaf weight 20, depth 6, learning rate 0.1. Stored from its JSON dump, never a pickle.
- Compare all: Random Forest, histogram gradient boosting and (when installed) XGBoost, each with its own
default depth and rate, are cross-validated on the same folds; the kind with the lowest pooled out-of-fold
RMSE is fitted and written, and the report and the metrics table list each kind's scores.

Maximum depth 0 and learning rate 0 take the kind's default. The seed fixes the hold-out, the folds, the
models, the permutations and the replicates: the same inputs and seed give the same model.

Validation

A random share of the points (validation fraction, default 10 %) is held out as in the paper. On the other
points a k-fold cross-validation (k = number of folds, default 5) refits the model k times, each time without
one fold, and predicts that fold:
- random k-fold (no spatial folds): folds drawn at random;
- spatial blocks (default): the points are grouped by square blocks of the given side (map units; 0 =
automatic: the larger side of the points' bounding box / (2·⌈√k⌉)) and whole blocks are assigned to folds;
- spatial clusters: k-means clusters of the point coordinates are the folds.
Spatial folds predict plots away from the training plots, as the map does; random folds and the random
hold-out are optimistic when plots are clustered. Random k-fold is always computed too, for comparison.

  R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²,  MAE = mean |y − ŷ|,  RMSE = √(mean (y − ŷ)²)

Moran's I of the out-of-fold residuals at the points (8 nearest neighbours, 999 permutations): a
significant positive I means spatial structure is left in the errors, and a warning says so.

Prediction interval

At the interval level (default 0.9; 0 = none): for a Random Forest a quantile regression forest (the
quantiles of the training values in the leaves a pixel falls in, averaged over the trees); for gradient
boosting two quantile-loss models. The bounds are calibrated on the out-of-fold predictions of the
cross-validation (conformalized quantile regression), so that the share of plots inside the interval is
close to the level; the coverage on the cross-validation and on the hold-out is reported.

Area of applicability

The dissimilarity index (DI) of a pixel is its distance to the nearest training point in standardised factor
space weighted by the permutation importance, divided by the mean distance between training points; its
threshold is the upper whisker of the cross-validated DI of the training points (Meyer & Pebesma 2021). The
prediction maps the DI and the area inside the threshold.

Storage confidence intervals

"Carbon storage accounting" gives confidence intervals of the totals from the model's replicates: the trees
of a Random Forest (each grown on a bootstrap sample of the points) or, for gradient boosting, the bootstrap
replicates fitted here (advanced, default 30; they make the model file larger and the storage pass slower).

Importance: permutation importance (mean ± sd over 10 shuffles of the drop in validation R² when one factor
is shuffled; the training points when there is no validation set) and, for a Random Forest, impurity
importance (sums to 1; it favours factors with many distinct values).

Outputs

- Model file (.npz): the trees as plain numeric arrays, the training points (for the interval and the area
of applicability), the factor names in order, their units (advanced, e.g. NPP=gC/m2/yr;DEM=m), the CRS of
the training rasters, the metrics and the settings. It is not a pickle: opening it runs no code, and the
prediction checks it array by array and against its SHA-256 checksum, so a damaged or edited file is refused.
- Metrics: set, r2, mae, rmse, n: train, validation, then per cross-validation scheme (cv_blocks,
cv_clusters or cv_random) the pooled out-of-fold scores and their _mean and _sd over the folds, and
compare_random_forest, compare_hist_gradient_boosting … when kinds are compared.
- Importance: factor, impurity, permutation_mean, permutation_sd.
- Report: a self-contained HTML page with the tables and charts.

References

Breiman, L. (2001) Random forests. Machine Learning 45:5–32. Chen, T. & Guestrin, C. (2016) XGBoost.
KDD '16:785–794. Roberts, D. R. et al. (2017) Ecography 40:913–929. Meinshausen, N. (2006) Quantile
regression forests. JMLR 7:983–999. Romano, Y. et al. (2019) Conformalized quantile regression. NeurIPS 32.
Meyer, H. & Pebesma, E. (2021) Methods in Ecology and Evolution 12:1620–1633.
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self._add_input_parameters()
        self._add_model_parameters()
        self._add_validation_parameters()
        units = QgsProcessingParameterString(
            self.FACTOR_UNITS, self.tr("Units of the factors (stored with the model)"), optional=True
        )
        units.setHelp(self.tr("e.g. NPP=gC/m2/yr;DEM=m: written into the model file and its report."))
        self.addParameter(advanced(units))
        self.addParameter(
            with_help(
                QgsProcessingParameterFileDestination(
                    self.MODEL, vocabulary.label(self.MODEL), self.tr("Carbon Sink model (*.npz)")
                )
            )
        )
        engine.add_table_output(
            self,
            self.METRICS,
            self.tr("Accuracy metrics"),
            self.tr(
                "R², MAE, RMSE and n of the hold-out and of each cross-validation (and each kind compared)."
            ),
        )
        engine.add_table_output(
            self,
            self.IMPORTANCE,
            self.tr("Factor importance"),
            self.tr("Impurity and permutation importance of each factor."),
        )
        engine.add_report_output(self, self.REPORT)
        self.addOutput(QgsProcessingOutputNumber(self.N_USED, vocabulary.label(self.N_USED)))
        self.addOutput(QgsProcessingOutputNumber(self.VALIDATION_R2, self.tr("Validation R²")))
        self.addOutput(QgsProcessingOutputNumber(self.CV_RMSE, self.tr("Cross-validated RMSE (t C/hm²)")))
        self.addOutput(QgsProcessingOutputString(self.KIND_USED, self.tr("Model kind fitted")))

    def _add_input_parameters(self):
        """The sample points, their carbon density field and the factor rasters (optionally a subset of them)."""
        self.addParameter(
            with_help(
                QgsProcessingParameterFeatureSource(
                    self.SAMPLES, vocabulary.label(self.SAMPLES), [QgsProcessing.TypeVectorPoint]
                )
            )
        )
        self.addParameter(
            with_help(
                QgsProcessingParameterField(
                    self.CARBON_FIELD,
                    vocabulary.label(self.CARBON_FIELD),
                    parentLayerParameterName=self.SAMPLES,
                    type=QgsProcessingParameterField.Numeric,
                )
            )
        )
        self.addParameter(
            with_help(
                QgsProcessingParameterMultipleLayers(
                    self.FACTORS, vocabulary.label(self.FACTORS), QgsProcessing.TypeRaster
                )
            )
        )
        self.addParameter(
            with_help(
                QgsProcessingParameterString(
                    self.SELECT_FACTORS, vocabulary.label(self.SELECT_FACTORS), optional=True
                )
            )
        )

    # Parameters added in version 2 of this algorithm are optional (with their default), so that models
    # saved before them still validate and run unchanged.
    NEW_IN_2 = ("MODEL_KIND", "LEARNING_RATE", "CV_SCHEME", "CV_FOLDS", "BLOCK_SIZE", "INTERVAL_LEVEL",
                "BOOTSTRAP_REPLICATES")  # fmt: skip

    def _number(self, name, label, kind, default, lo, hi, help_, is_advanced=False, vocab=False):
        bounds = {"minValue": lo} | ({} if hi is None else {"maxValue": hi})
        label = vocabulary.label(name) if vocab else self.tr(label)
        param = QgsProcessingParameterNumber(
            name, label, kind, defaultValue=default, optional=name in self.NEW_IN_2, **bounds
        )
        param = with_help(param) if vocab else with_help(param, self.tr(help_))
        self.addParameter(advanced(param) if is_advanced else param)

    def _add_model_parameters(self):
        """The model kind and its settings (trees, leaf size, depth, learning rate)."""
        kind = QgsProcessingParameterEnum(
            self.MODEL_KIND,
            vocabulary.label(self.MODEL_KIND),
            options=[
                self.tr("Random Forest"),
                self.tr("Histogram gradient boosting (scikit-learn)"),
                self.tr("XGBoost (needs the xgboost package)"),
                self.tr("Compare all: keep the lowest cross-validated RMSE"),
            ],
            defaultValue=0,
            optional=True,
        )
        self.addParameter(with_help(kind))
        integer, double = QgsProcessingParameterNumber.Integer, QgsProcessingParameterNumber.Double
        self._number(self.N_TREES, "Number of trees", integer, 100, 1, 5000,
                     "Trees of the forest, or boosting iterations.")  # fmt: skip
        self._number(self.MIN_LEAF, "Minimum leaf size (points)", integer, 20, 1, 100000,
                     "A split leaves at least this many training points on each side (XGBoost: minimum "
                     "child weight).")  # fmt: skip
        self._number(self.MAX_DEPTH, "Maximum tree depth (0 = the kind's default)", integer, 0, 0, 100,
                     "Splits from the root to a leaf, at most. 0: 10 for the Random Forest (the paper), "
                     "unlimited for histogram gradient boosting, 6 for XGBoost.", is_advanced=True)  # fmt: skip
        self._number(self.LEARNING_RATE, "Learning rate of boosting (0 = default 0.1)", double, 0.0, 0.0, 1.0,
                     "Shrinkage of each boosting step; not used by the Random Forest.",
                     is_advanced=True)  # fmt: skip
        self._number(self.BOOTSTRAP_REPLICATES, "", integer, 30, 0, 500, "", is_advanced=True,
                     vocab=True)  # fmt: skip

    def _add_validation_parameters(self):
        """Hold-out, cross-validation folds, interval level and seed."""
        integer, double = QgsProcessingParameterNumber.Integer, QgsProcessingParameterNumber.Double
        self._number(self.VALIDATION_FRACTION, "Validation fraction (share of points held out; 0 = none)",
                     double, 0.10, 0.0, 0.5, "Points drawn at random and kept out of the fit, to score it "
                     "(the paper's validation).")  # fmt: skip
        scheme = QgsProcessingParameterEnum(
            self.CV_SCHEME,
            vocabulary.label(self.CV_SCHEME),
            options=[
                self.tr("None: random k-fold only"),
                self.tr("Spatial blocks"),
                self.tr("Spatial clusters"),
            ],
            defaultValue=1,
            optional=True,
        )
        self.addParameter(with_help(scheme))
        self._number(self.CV_FOLDS, "", integer, 5, 2, 50, "", vocab=True)
        self._number(self.BLOCK_SIZE, "", double, 0.0, 0.0, None, "", vocab=True)
        self._number(self.INTERVAL_LEVEL, "", double, 0.9, 0.0, 0.99, "", vocab=True)
        self._number(self.SEED, "", integer, 42, 0, None, "", vocab=True)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = self.parameterAsSource(parameters, self.SAMPLES, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.SAMPLES))
        target = self.parameterAsString(parameters, self.CARBON_FIELD, context)
        if not target:
            raise QgsProcessingException(self.tr("No carbon density field given"))
        settings = self._settings(parameters, context, feedback)
        select = [
            n.strip()
            for n in self.parameterAsString(parameters, self.SELECT_FACTORS, context).split(",")
            if n.strip()
        ]
        names, stack = engine.factors_from_parameters(self, parameters, context, self.FACTORS, select=select)
        paths = [b.path for b in stack.bands]
        units = forest.parse_units(self.parameterAsString(parameters, self.FACTOR_UNITS, context), names)
        model_path = self.parameterAsFileOutput(parameters, self.MODEL, context)
        if not model_path:
            raise QgsProcessingException(self.tr("No model file given"))

        samples = engine.sample_factors_at_points(
            self, source, context, feedback, target, names, stack, purpose="model"
        )
        feedback.setProgress(10)
        n_used = int(samples.used.sum())
        trained, fit = self._fit(settings, feedback, samples, names)

        meta = forest_report.model_metadata(
            names, units, stack.grid.crs_wkt, target, samples.layer, n_used, paths
        )
        with naming(self.tr("Cannot write the model file {}").format(model_path)):
            written = model.save_model(model_path, trained, meta, fit)
        feedback.pushInfo(
            self.tr("Model written to {} (SHA-256 {}…)").format(model_path, written["sha256"][:16])
        )
        scheme = fit.settings["cv_scheme"]
        results = {
            self.MODEL: model_path,
            self.N_USED: n_used,
            self.VALIDATION_R2: fit.metrics.get("validation", {}).get("r2", float("nan")),
            self.CV_RMSE: float(fit.cv[scheme]["pooled"]["rmse"]),
            self.KIND_USED: fit.kind,
        }
        results.update(self._write_tables(parameters, context, fit))
        html_path = self.parameterAsFileOutput(parameters, self.REPORT, context)
        if html_path:
            doc = forest_report.forest_report(
                samples.layer, target, names, paths, units, _crs_label(stack.grid.crs_wkt), fit, model_path,
                samples.counts, samples.n_total, version=self.provider().versionInfo() if self.provider() else "",
            )  # fmt: skip
            results[self.REPORT] = store.write_report(html_path, doc)
        feedback.setProgress(100)
        return results

    # --------------------------------------------------------------------------------------------- helpers
    def _settings(self, parameters, context, feedback):
        """The keyword arguments of :func:`core.carbon.model.train_model` from the parameters."""
        kind = KIND_OPTIONS[self.parameterAsEnum(parameters, self.MODEL_KIND, context)]
        compare = ["random_forest", "hist_gradient_boosting"]
        if kind == "xgboost":
            self._require_xgboost()
        if kind == "best":
            if boosting.xgboost_available():
                compare.append("xgboost")
            else:
                feedback.pushInfo(self.tr("XGBoost is not installed: comparing Random Forest and histogram "
                                          "gradient boosting."))  # fmt: skip
        depth = self.parameterAsInt(parameters, self.MAX_DEPTH, context)
        rate = self.parameterAsDouble(parameters, self.LEARNING_RATE, context)
        level = self.parameterAsDouble(parameters, self.INTERVAL_LEVEL, context)
        block = self.parameterAsDouble(parameters, self.BLOCK_SIZE, context)
        return {
            "kind": kind,
            "compare_kinds": compare,
            "n_trees": self.parameterAsInt(parameters, self.N_TREES, context),
            "min_samples_leaf": self.parameterAsInt(parameters, self.MIN_LEAF, context),
            "max_depth": depth if depth > 0 else "default",
            "learning_rate": rate if rate > 0 else None,
            "validation_fraction": self.parameterAsDouble(parameters, self.VALIDATION_FRACTION, context),
            "seed": self.parameterAsInt(parameters, self.SEED, context),
            "cv_scheme": SCHEME_OPTIONS[self.parameterAsEnum(parameters, self.CV_SCHEME, context)],
            "cv_folds": self.parameterAsInt(parameters, self.CV_FOLDS, context),
            "block_size": block if block > 0 else None,
            "interval_level": level if level > 0 else None,
            "bootstrap_replicates": self.parameterAsInt(parameters, self.BOOTSTRAP_REPLICATES, context),
        }

    def _require_xgboost(self, message=None):
        """Stop with the install hint when XGBoost cannot be imported."""
        try:
            boosting.require_xgboost()
        except boosting.MissingPackageError as exc:
            message = message or str(exc)
            raise QgsProcessingException(
                self.tr("{}: {}. {} Or choose the model kind 'Histogram gradient boosting', which needs only "
                        "scikit-learn.").format(self.MODEL_KIND, message, dependencies.install_hint(["xgboost"]))
            ) from None  # fmt: skip

    def _fit(self, settings, feedback, samples, names):
        """Fit the model on the usable points with the settings of the parameters; log the fit."""
        used = samples.used
        X, y = samples.values[used], samples.target[used]
        xy = np.column_stack([samples.x[used], samples.y[used]])
        if settings["cv_scheme"] == "blocks" and settings["block_size"] is None:
            settings["block_size"] = validation.default_block_size(xy, settings["cv_folds"])
            feedback.pushInfo(self.tr("Spatial block size (automatic): {:,.6g} map units").format(
                settings["block_size"]))  # fmt: skip
        feedback.pushInfo(
            self.tr("Fitting {} on {:,} points: {:.0%} held out at random, {}-fold cross-validation by {}, "
                    "seed {}…").format(
                self._kind_label(settings["kind"], settings["compare_kinds"]), y.size,
                settings["validation_fraction"], settings["cv_folds"],
                forest_report.SCHEME_LABELS[settings["cv_scheme"]], settings["seed"],
            )
        )  # fmt: skip
        subject = self.tr("Layer '{}' ({} usable points; {})").format(samples.layer, y.size, samples.counts)
        try:
            with naming(subject):
                trained, fit = model.train_model(
                    X, y, names, xy, is_cancelled=feedback.isCanceled, **settings
                )
        except boosting.MissingPackageError as exc:
            self._require_xgboost(str(exc))
        except ValueError as exc:  # the core names its arguments; the user knows the parameters
            raise ValueError(_CORE_NAMES.sub(lambda m: _PARAMETER_OF[m.group(0)], str(exc))) from exc
        for warning in fit.warnings:
            feedback.pushWarning(warning)
        feedback.setProgress(80)
        self._log_fit(feedback, fit)
        return trained, fit

    def _kind_label(self, kind, compare):
        if kind == "best":
            return self.tr("and compare {}").format(", ".join(forest_report.KIND_LABELS[k] for k in compare))
        return forest_report.KIND_LABELS[kind]

    def _log_fit(self, feedback, fit):
        if len(fit.comparison) > 1:
            feedback.pushInfo(self.tr("Model kinds on the same folds (pooled out-of-fold):"))
            for r in fit.comparison:
                feedback.pushInfo(
                    f"  {forest_report.KIND_LABELS[r['kind']]:<30} R² {r['r2']:.3f}   MAE {r['mae']:.3f}   "
                    f"RMSE {r['rmse']:.3f}{'   (chosen)' if r['chosen'] else ''}"
                )
        feedback.pushInfo(self.tr("Accuracy of the {} (hold-out and cross-validation):").format(
            forest_report.KIND_LABELS[fit.kind]))  # fmt: skip
        for r in forest_report.metric_rows(fit):
            if not r["set"].startswith("compare_"):
                feedback.pushInfo(f"  {r['set']:<18} R² {r['r2']:.3f}   MAE {r['mae']:.3f}   RMSE {r['rmse']:.3f}"
                                  f"   n {r['n']:,}")  # fmt: skip
        m = fit.residual_moran
        if m is not None:
            feedback.pushInfo(self.tr("Moran's I of the out-of-fold residuals: {:.3f} (z {:.2f}, p {:.3g})").format(
                m["I"], m["z"], m["p"]))  # fmt: skip
        if fit.interval is not None:
            iv = fit.interval
            feedback.pushInfo(self.tr("Prediction interval {:.0%}: coverage {:.1%} out-of-fold, {} on the hold-out").format(
                iv["level"], iv["cv_coverage"],
                "{:.1%}".format(iv["validation_coverage"]) if "validation_coverage" in iv else "–"))  # fmt: skip
        if fit.applicability is not None:
            feedback.pushInfo(self.tr("Area of applicability: dissimilarity index threshold {:.3f}").format(
                fit.applicability["threshold"]))  # fmt: skip
        imp = fit.importance
        feedback.pushInfo(
            self.tr("Importance (impurity; permutation on the {} points):").format(imp["permutation_set"])
        )
        for f, a, b, c in zip(imp["factor"], imp["impurity"], imp["permutation_mean"], imp["permutation_sd"]):
            feedback.pushInfo(f"  {f:<24} {a:.3f}   {b:+.3f} ± {c:.3f}")

    def _write_tables(self, parameters, context, fit):
        out = {}
        rows = forest_report.metric_rows(fit)
        columns = {
            "set": np.array([r["set"] for r in rows], dtype=object),
            **{k: np.array([r[k] for r in rows], dtype=float) for k in ("r2", "mae", "rmse")},
            "n": np.array([r["n"] for r in rows], dtype=np.int64),
        }
        dest = vector_io.write_table(self, parameters, self.METRICS, context, columns)
        if dest is not None:
            out[self.METRICS] = dest
        imp = fit.importance
        columns = {
            "factor": np.array(imp["factor"], dtype=object),
            "impurity": np.asarray(imp["impurity"], dtype=float),
            "permutation_mean": imp["permutation_mean"],
            "permutation_sd": imp["permutation_sd"],
        }
        dest = vector_io.write_table(self, parameters, self.IMPORTANCE, context, columns)
        if dest is not None:
            out[self.IMPORTANCE] = dest
        return out

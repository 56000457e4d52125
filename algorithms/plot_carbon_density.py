"""Plot carbon density from the field inventory: trees, shrubs, herbs, litter, roots, soil (METHOD.md step 1)."""

import math

import numpy as np
from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterMatrix,
    QgsProcessingParameterNumber,
)

from ..core.carbon import plot_carbon as pc
from ..core.common.errors import naming
from .support import vector_io
from .support.base import CarbonSinkAlgorithm, advanced
from .support.compat import FieldType

POOLS = ("C_above", "C_below", "C_litter", "C_soil", "C_total")
PROBLEM_FIELD = "problem"
SOIL_LAYERS = 3
ECOSYSTEM_HEADERS = [
    "Ecosystem type",
    "Root:shoot ratio",
    "Tree layer (1/0)",
    "Shrub quadrat (m²)",
    "Herb and litter quadrat (m²)",
]


def _default_ecosystem_matrix():
    values = []
    for name, t in pc.DEFAULT_ECOSYSTEMS.items():
        rs = "" if math.isnan(t.root_shoot) else f"{t.root_shoot:g}"
        values += [
            name,
            rs,
            "1" if t.tree_layer else "0",
            f"{t.shrub_quadrat_m2:g}",
            f"{t.herb_quadrat_m2:g}",
        ]
    return values


class PlotCarbonDensity(CarbonSinkAlgorithm):
    PLOTS = "PLOTS"
    PLOT_ID = "PLOT_ID"
    ECOSYSTEM = "ECOSYSTEM"
    TREES = "TREES"
    TREE_PLOT_ID = "TREE_PLOT_ID"
    TREE_GROUP = "TREE_GROUP"
    TREE_DBH = "TREE_DBH"
    TREE_HEIGHT = "TREE_HEIGHT"
    ALLOMETRY = "ALLOMETRY"
    TREE_PLOT_AREA = "TREE_PLOT_AREA"
    SHRUB_FRESH = "SHRUB_FRESH"
    SHRUB_RATIO = "SHRUB_RATIO"
    HERB_FRESH = "HERB_FRESH"
    HERB_RATIO = "HERB_RATIO"
    LITTER_FRESH = "LITTER_FRESH"
    LITTER_RATIO = "LITTER_RATIO"
    WEIGHT_UNIT = "WEIGHT_UNIT"
    SOIL_THICKNESS = "SOIL_THICKNESS"
    ECOSYSTEMS = "ECOSYSTEMS"
    CF_ABOVE = "CF_ABOVE"
    CF_BELOW = "CF_BELOW"
    CF_LITTER = "CF_LITTER"
    RANGES = "RANGES"
    KEEP_IMPLAUSIBLE = "KEEP_IMPLAUSIBLE"
    OUTPUT = "OUTPUT"
    N_PROBLEMS = "N_PROBLEMS"
    N_IMPLAUSIBLE = "N_IMPLAUSIBLE"

    WEIGHT_UNITS = ("g", "kg")
    LAYERS = (
        ("shrub", SHRUB_FRESH, SHRUB_RATIO),
        ("herb", HERB_FRESH, HERB_RATIO),
        ("litter", LITTER_FRESH, LITTER_RATIO),
    )

    NAME = "plotcarbondensity"
    DISPLAY_NAME = "Plot carbon density"
    GROUP_ID = "carbonmodel"
    HELP = """
<p>Carbon density of every survey plot in four pools and in total, t C/hm² (= Mg C/ha):
C_total = C_above + C_below + C_litter + C_soil. The output is the plot layer with all its fields plus
C_above, C_below, C_litter, C_soil, C_total and a <i>problem</i> field.</p>
<h3>Trees</h3>
<p>Optional tree table (any table layer or CSV: one row per tree with plot id, species group, DBH in cm and
height in m). Each tree's above-ground dry biomass B (kg) comes from the equation of its species group in
the allometry table: B = a·D<sup>b</sup> (form <i>D</i>) or B = a·(D²·H)<sup>b</sup> (form <i>D2H</i>).
Per plot: B<sub>tree</sub> (t/hm²) = Σ B / 1000 / (A / 10 000) = 10·Σ B / A with A the tree plot area in m²
(default 50 m × 50 m = 2500). The allometry table is a table layer with fields group, form, a, b (and
source); left empty, the table shipped with the plugin is used: general temperate equations of Jenkins
et al. (2003) assigned to common species groups of the Loess Plateau and Ningxia. They are
<b>illustrative defaults</b>: replace them with local equations (e.g. Luo et al. 2020, or the LY/T
standards). A species group missing from the table stops the run and is named.</p>
<h3>Shrubs, herbs, litter</h3>
<p>Fields with the fresh weight harvested in the quadrat (g, or kg) and the dry/fresh ratio of the sample:
dry (g/m²) = fresh × ratio / quadrat area; 1 g/m² = 0.01 t/hm². Quadrat sizes are per ecosystem type
(table below): herbs 1 m × 1 m, 2 m × 2 m in wetland, as in the method; litter is taken from the herb
quadrat. Enter 0 for an empty quadrat: an empty (NULL) value is a problem, not a zero.</p>
<h3>Roots, carbon</h3>
<p>Below-ground biomass = above-ground biomass (trees + shrubs + herbs) × the root:shoot ratio of the
plot's ecosystem type. Carbon = biomass × carbon fraction of the pool (default 0.47, IPCC 2006).</p>
<h3>Ecosystem types</h3>
<p>A table with one row per ecosystem type, matched to the plots' ecosystem field ignoring case: root:shoot
ratio, whether the type has a tree layer (1: a plot of this type without any tree in the tree table is a
problem), the shrub quadrat and the herb/litter quadrat areas in m² (left empty: the defaults). Defaults: root:shoot ratios are the
China-wide medians of Wang et al. (2014): forest 0.23, shrubland 0.73, grassland 6.0; cropland 0.22 (IPCC
2006 Table 11.2, maize); wetland has <b>no default ratio</b>: enter a local one, otherwise wetland plots get
a problem. The 5 m × 5 m shrub quadrat is a placeholder (the method gives no size).</p>
<h3>Soil</h3>
<p>Up to three layers, each chosen as fields (SOC in g/kg, bulk density in g/cm³, thickness in cm, gravel
volume fraction): SOCD (t/hm²) = SOC × BD × thickness × (1 − gravel) / 10, summed over layers. One field
per quantity and layer (rather than a naming pattern) so the fields of any survey sheet can be used as
they are, each is checked on its own and the messages name it. Without a thickness field the layer
thickness parameter (default 10 cm) is used; without a gravel field gravel is 0.</p>
<h3>Problems</h3>
<p>Missing or impossible values are never turned into zeros: the pool concerned and C_total are NULL and
the <i>problem</i> field and the log say what is wrong, by plot id: negative weights, dry ratios outside
(0, 1], bulk density above 2.65 g/cm³, gravel outside [0, 1), SOC outside 0–1000 g/kg, missing values,
unknown ecosystem types, duplicated plot ids, trees with a missing or non-positive DBH or height, plots
with a tree layer but no tree, and tree rows whose plot id is not among the plots. A pool for which no
field is given is not measured: it stays NULL and C_total is the sum of the measured pools (the log says
which).</p>
<h3>Implausible values</h3>
<p>One typing error can multiply a plot's carbon: a DBH of 1020 cm for 10.2 turns about 60 t/hm² into
about 3900. Values that are possible but implausible are checked against a table of plausible ranges
(defaults, with their sources, in <i>core/carbon/data/plausible_ranges.csv</i> and its README): DBH 2.5–300 cm,
height 1.3–60 m (any height given, also for equations that do not use it, so a negative height is
reported), fresh weight per m² of quadrat 0–20 000 g (shrubs) and 0–10 000 g (herbs, litter), dry/fresh
ratio 0.05–1, SOC 0–580 g/kg, bulk density 0.05–2.0 g/cm³, gravel 0–0.9, layer thickness 1–100 cm. A
plot with such a value is flagged in the <i>problem</i> field and the log and counted (<i>N_IMPLAUSIBLE</i>,
and in <i>N_PROBLEMS</i>); its affected pool and C_total are NULL unless <i>Keep plots with implausible
values</i> is checked, in which case they are computed from the values as given and stay flagged. To use
other ranges, give a table (CSV or layer) with the fields quantity, min, max (quantities dbh, height,
shrub_fresh, herb_fresh, litter_fresh, dry_ratio, soc, bulk_density, gravel, depth; an empty bound is
open; a quantity left out is not checked).</p>
<h3>References</h3>
<p>IPCC (2006) Guidelines for National GHG Inventories, Vol. 4, Tables 4.3 and 11.2. Jenkins, J. C. et al.
(2003) Forest Science 49:12–35. Luo, Y. et al. (2020) Earth Syst. Sci. Data 12:21–40. Wang, L. et al.
(2014) PLoS ONE 9(4): e93566. Mokany, K. et al. (2006) Global Change Biology 12:84–96. Bao, Y. et al.
(2026) Arid Land Geography 49(4):740–755.</p>
"""

    # ------------------------------------------------------------------------------------- parameters
    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self._add_plot_parameters()
        self._add_tree_parameters()
        self._add_quadrat_parameters()
        self._add_soil_parameters()
        self._add_conversion_parameters()
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT, self.tr("Plot carbon density"), QgsProcessing.TypeVectorPoint
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.N_PROBLEMS, self.tr("Plots with problems")))
        self.addOutput(
            QgsProcessingOutputNumber(self.N_IMPLAUSIBLE, self.tr("Plots with implausible values"))
        )

    def _add_plot_parameters(self):
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.PLOTS, self.tr("Survey plots"), [QgsProcessing.TypeVectorPoint]
            )
        )
        self.addParameter(
            QgsProcessingParameterField(self.PLOT_ID, self.tr("Plot id field"), None, self.PLOTS)
        )
        self.addParameter(
            QgsProcessingParameterField(self.ECOSYSTEM, self.tr("Ecosystem type field"), None, self.PLOTS)
        )

    def _add_tree_parameters(self):
        """The tree table, its fields, the allometry table and the tree plot area."""
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.TREES,
                self.tr("Tree table (one row per tree)"),
                [QgsProcessing.TypeVector],
                optional=True,
            )
        )
        # Any field type: a CSV read without type detection gives text, which is parsed (read_table).
        for name, label in (
            (self.TREE_PLOT_ID, "Tree table: plot id field"),
            (self.TREE_GROUP, "Tree table: species group field"),
            (self.TREE_DBH, "Tree table: DBH field (cm)"),
            (self.TREE_HEIGHT, "Tree table: height field (m; needed for D2H equations)"),
        ):
            self.addParameter(
                QgsProcessingParameterField(
                    name, self.tr(label), None, self.TREES, QgsProcessingParameterField.Any, optional=True
                )
            )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.ALLOMETRY,
                self.tr("Allometry table (fields group, form, a, b; empty: the shipped default table)"),
                [QgsProcessing.TypeVector],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.TREE_PLOT_AREA,
                self.tr("Tree plot area (m²)"),
                QgsProcessingParameterNumber.Double,
                defaultValue=pc.DEFAULT_TREE_PLOT_M2,
                minValue=1.0,
            )
        )

    def _add_quadrat_parameters(self):
        """Fresh weight and dry/fresh ratio fields of the shrub, herb and litter quadrats, and their unit."""
        for layer, fresh, ratio in self.LAYERS:
            self.addParameter(
                QgsProcessingParameterField(
                    fresh,
                    self.tr("{} fresh weight per quadrat").format(layer.capitalize()),
                    None,
                    self.PLOTS,
                    QgsProcessingParameterField.Numeric,
                    optional=True,
                )
            )
            self.addParameter(
                QgsProcessingParameterField(
                    ratio,
                    self.tr("{} dry/fresh ratio").format(layer.capitalize()),
                    None,
                    self.PLOTS,
                    QgsProcessingParameterField.Numeric,
                    optional=True,
                )
            )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.WEIGHT_UNIT, self.tr("Unit of the fresh weights"), options=["g", "kg"], defaultValue=0
            )
        )

    def _add_soil_parameters(self):
        """SOC, bulk density, thickness and gravel fields of up to three soil layers (layers 2 and 3 advanced)."""
        for i in range(1, SOIL_LAYERS + 1):
            for key, label in (
                ("SOC", "SOC (g/kg)"),
                ("BD", "bulk density (g/cm³)"),
                ("DEPTH", "thickness (cm)"),
                ("GRAVEL", "gravel volume fraction (0–1)"),
            ):
                param = QgsProcessingParameterField(
                    f"{key}_{i}",
                    self.tr("Soil layer {}: {}").format(i, label),
                    None,
                    self.PLOTS,
                    QgsProcessingParameterField.Numeric,
                    optional=True,
                )
                self.addParameter(advanced(param) if i > 1 else param)
        self.addParameter(
            QgsProcessingParameterNumber(
                self.SOIL_THICKNESS,
                self.tr("Soil layer thickness where no thickness field is given (cm)"),
                QgsProcessingParameterNumber.Double,
                defaultValue=10.0,
                minValue=0.1,
            )
        )

    def _add_conversion_parameters(self):
        """Ecosystem types (root:shoot ratio, quadrat sizes), carbon fractions and plausible ranges."""
        self.addParameter(
            QgsProcessingParameterMatrix(
                self.ECOSYSTEMS,
                self.tr("Ecosystem types"),
                numberRows=len(pc.DEFAULT_ECOSYSTEMS),
                hasFixedNumberRows=False,
                headers=ECOSYSTEM_HEADERS,
                defaultValue=_default_ecosystem_matrix(),
                optional=True,  # a matrix left out of a script's parameters fails its check in 3.22
            )
        )
        for name, label in (
            (self.CF_ABOVE, "Carbon fraction of above-ground biomass"),
            (self.CF_BELOW, "Carbon fraction of below-ground biomass"),
            (self.CF_LITTER, "Carbon fraction of litter"),
        ):
            self.addParameter(
                advanced(
                    QgsProcessingParameterNumber(
                        name,
                        self.tr(label),
                        QgsProcessingParameterNumber.Double,
                        defaultValue=pc.DEFAULT_CARBON_FRACTION,
                        minValue=0.01,
                        maxValue=1.0,
                    )
                )
            )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.KEEP_IMPLAUSIBLE,
                self.tr("Keep plots with implausible values in C_total (they stay flagged)"),
                defaultValue=False,
                optional=True,  # models saved before this parameter existed leave it out: then False
            )
        )
        self.addParameter(
            advanced(
                QgsProcessingParameterFeatureSource(
                    self.RANGES,
                    self.tr(
                        "Plausible ranges (fields quantity, min, max; empty: the shipped table "
                        "core/carbon/data/plausible_ranges.csv)"
                    ),
                    [QgsProcessing.TypeVector],
                    optional=True,
                )
            )
        )

    def checkParameterValues(self, parameters, context):  # noqa: N802
        def given(name):
            return bool(self.parameterAsString(parameters, name, context))

        for layer, fresh, ratio in self.LAYERS:
            if given(fresh) != given(ratio):
                return False, self.tr(
                    "Give both the {} fresh weight field and the {} dry/fresh ratio field."
                ).format(layer, layer)
        for i in range(1, SOIL_LAYERS + 1):
            fields = [f"{k}_{i}" for k in ("SOC", "BD", "DEPTH", "GRAVEL")]
            if any(given(f) for f in fields) and not (given(f"SOC_{i}") and given(f"BD_{i}")):
                return False, self.tr(
                    "Soil layer {}: give at least the SOC and the bulk density fields."
                ).format(i)
        if parameters.get(self.TREES) not in (None, ""):
            for name, label in (
                (self.TREE_PLOT_ID, "plot id"),
                (self.TREE_GROUP, "species group"),
                (self.TREE_DBH, "DBH"),
            ):
                if not given(name):
                    return False, self.tr("With a tree table, choose its {} field.").format(label)
        return super().checkParameterValues(parameters, context)

    # ---------------------------------------------------------------------------------------- running
    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = self.parameterAsSource(parameters, self.PLOTS, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.PLOTS))
        plots, field = self._read_plots(parameters, context, feedback, source)
        col = plots.columns
        layers = {
            layer: (col[field[fresh]], col[field[ratio]])
            for layer, fresh, ratio in self.LAYERS
            if field[fresh]
        }
        soil_layers = self._soil_layers(parameters, context, feedback, plots, field)
        trees = self._trees(parameters, context, feedback)
        allometry = self._allometry(parameters, context, feedback) if trees is not None else None
        ecosystems = self._ecosystems(parameters, context)
        ranges = self._ranges(parameters, context, feedback)
        keep = self.parameterAsBoolean(parameters, self.KEEP_IMPLAUSIBLE, context)

        def subject(exc):  # the table a core error is about
            if isinstance(exc, pc.AllometryError):
                return self.tr("Tree table '{}'").format(self._tree_layer_name)
            return self.tr("Layer '{}'").format(plots.layer)

        with naming(subject):
            result = pc.plot_carbon_density(
                col[field[self.PLOT_ID]],
                col[field[self.ECOSYSTEM]],
                soil_layers=soil_layers,
                trees=trees,
                allometry=allometry,
                ecosystems=ecosystems,
                tree_plot_m2=self.parameterAsDouble(parameters, self.TREE_PLOT_AREA, context),
                carbon_fraction_above=self.parameterAsDouble(parameters, self.CF_ABOVE, context),
                carbon_fraction_below=self.parameterAsDouble(parameters, self.CF_BELOW, context),
                carbon_fraction_litter=self.parameterAsDouble(parameters, self.CF_LITTER, context),
                weight_unit=self.WEIGHT_UNITS[self.parameterAsEnum(parameters, self.WEIGHT_UNIT, context)],
                ranges=ranges,
                keep_implausible=keep,
                **layers,
            )
        feedback.setProgress(80)
        text = result.problem_text()
        n_problems, n_implausible = self._log_result(feedback, result, text, len(plots), keep)
        dest = self._write(parameters, context, source, plots, result, text, feedback)
        return {self.OUTPUT: dest, self.N_PROBLEMS: n_problems, self.N_IMPLAUSIBLE: n_implausible}

    def _read_plots(self, parameters, context, feedback, source):
        """The plots with the chosen fields as columns, and the field chosen for each parameter."""
        field = {
            name: self.parameterAsString(parameters, name, context)
            for name in [self.PLOT_ID, self.ECOSYSTEM]
            + [n for _, f, r in self.LAYERS for n in (f, r)]
            + [f"{k}_{i}" for i in range(1, SOIL_LAYERS + 1) for k in ("SOC", "BD", "DEPTH", "GRAVEL")]
        }
        numeric = [f for name, f in field.items() if f and name not in (self.PLOT_ID, self.ECOSYSTEM)]
        wanted = list(dict.fromkeys(f for f in field.values() if f))
        plots = vector_io.read_points(self, source, context, wanted, numeric=numeric, feedback=feedback)
        if len(plots) == 0:
            raise QgsProcessingException(self.tr("Layer '{}' has no plots").format(plots.layer))
        return plots, field

    def _soil_layers(self, parameters, context, feedback, plots, field):
        """The soil layers with a SOC field: SOC, bulk density, thickness and gravel columns."""
        col = plots.columns
        thickness = self.parameterAsDouble(parameters, self.SOIL_THICKNESS, context)
        soil_layers = []
        for i in range(1, SOIL_LAYERS + 1):
            if not field[f"SOC_{i}"]:
                continue
            depth_field, gravel_field = field[f"DEPTH_{i}"], field[f"GRAVEL_{i}"]
            soil_layers.append(
                {
                    "soc": col[field[f"SOC_{i}"]],
                    "bd": col[field[f"BD_{i}"]],
                    "depth": col[depth_field] if depth_field else np.full(len(plots), thickness),
                    "gravel": col[gravel_field] if gravel_field else None,
                }
            )
            feedback.pushInfo(
                self.tr("Soil layer {}: SOC '{}', BD '{}', thickness {}, gravel {}").format(
                    i,
                    field[f"SOC_{i}"],
                    field[f"BD_{i}"],
                    f"'{depth_field}'"
                    if depth_field
                    else self.tr("{:g} cm (no field given)").format(thickness),
                    f"'{gravel_field}'" if gravel_field else self.tr("0 (no field given)"),
                )
            )
        return soil_layers

    def _log_result(self, feedback, result, text, n_plots, keep):
        """Log the problems and the totals; returns the number of plots with problems and with implausible values."""
        for warning in result.warnings:
            feedback.pushInfo(warning)
        for problem in result.problems:
            feedback.pushWarning(str(problem))
        n_problems = int(np.count_nonzero(text != ""))
        n_implausible = int(np.count_nonzero(result.implausible))
        n_null = int(np.count_nonzero(~np.isfinite(result.C_total)))
        n_tree = sum(1 for p in result.problems if p.kind == "tree")
        feedback.pushInfo(
            self.tr(
                "{:,} plots: {:,} without problems, {:,} with problems ({:,} of them with implausible values); "
                "C_total NULL for {:,}; {:,} tree row(s) not matched to a plot."
            ).format(n_plots, n_plots - n_problems, n_problems, n_implausible, n_null, n_tree)
        )
        if n_implausible:
            feedback.pushWarning(
                self.tr(
                    "{:,} plot(s) have values outside their plausible range (see the problem field): {}"
                ).format(
                    n_implausible,
                    self.tr("kept in C_total as requested.")
                    if keep
                    else self.tr(
                        "their C_total is NULL. Correct the values, widen the ranges, or check 'Keep plots "
                        "with implausible values'."
                    ),
                )
            )
        finite = result.C_total[np.isfinite(result.C_total)]
        if finite.size:
            feedback.pushInfo(
                self.tr(
                    "C_total where computed ({:,} plots): mean {:.2f}, min {:.2f}, max {:.2f} t/hm²"
                ).format(finite.size, np.mean(finite), np.min(finite), np.max(finite))
            )
        return n_problems, n_implausible

    # ---------------------------------------------------------------------------------------- helpers
    _tree_layer_name = ""

    def _trees(self, parameters, context, feedback):
        table = self.parameterAsSource(parameters, self.TREES, context)
        if table is None:
            return None
        self._tree_layer_name = table.sourceName()
        names = {
            "plot_id": self.parameterAsString(parameters, self.TREE_PLOT_ID, context),
            "group": self.parameterAsString(parameters, self.TREE_GROUP, context),
            "dbh": self.parameterAsString(parameters, self.TREE_DBH, context),
            "height": self.parameterAsString(parameters, self.TREE_HEIGHT, context),
        }
        names = {k: v for k, v in names.items() if v}
        for role, label in (("plot_id", "plot id"), ("group", "species group"), ("dbh", "DBH")):
            if role not in names:
                raise QgsProcessingException(self.tr("With a tree table, choose its {} field.").format(label))
        columns, row_ids = vector_io.read_table(self, table, names, numeric=("dbh", "height"))
        columns["row_id"] = row_ids
        feedback.pushInfo(self.tr("Tree table '{}': {:,} trees").format(table.sourceName(), row_ids.size))
        return columns

    def _allometry(self, parameters, context, feedback):
        table = self.parameterAsSource(parameters, self.ALLOMETRY, context)
        if table is None:
            feedback.pushInfo(
                self.tr(
                    "Allometry: the shipped default table (core/carbon/data/allometry_default.csv): general equations "
                    "of Jenkins et al. (2003), illustrative defaults — replace them with local equations."
                )
            )
            return pc.load_allometry()
        name = table.sourceName()
        rows = self._table_rows(table, self.tr("Allometry table"), ("group", "form", "a", "b"), ("source",))
        with naming(self.tr("Allometry table '{}'").format(name)):
            allometry = pc.allometry_from_rows(rows)
        feedback.pushInfo(self.tr("Allometry: {} species groups from '{}'").format(len(allometry), name))
        return allometry

    def _ranges(self, parameters, context, feedback):
        table = self.parameterAsSource(parameters, self.RANGES, context)
        if table is None:
            return pc.load_plausible_ranges()
        name = table.sourceName()
        rows = self._table_rows(
            table, self.tr("Plausible ranges table"), ("quantity", "min", "max"), ("source",)
        )
        with naming(self.tr("Plausible ranges table '{}'").format(name)):
            ranges = pc.ranges_from_rows(rows)
        feedback.pushInfo(
            self.tr("Plausible ranges from '{}': {}").format(
                name, "; ".join(f"{k} {r.text()}" for k, r in ranges.items()) or "none (nothing checked)"
            )
        )
        return ranges

    def _table_rows(self, table, what, required, optional):
        """The rows of a small table layer as dicts by lower-case field name (NULL as None)."""
        lookup = {f.name().lower(): f.name() for f in table.fields()}
        missing = [c for c in required if c not in lookup]
        if missing:
            raise QgsProcessingException(
                self.tr(
                    "{} '{}' has no field(s) {}; it needs {} (and optionally {}). Its fields are: {}"
                ).format(
                    what,
                    table.sourceName(),
                    ", ".join(missing),
                    ", ".join(required),
                    ", ".join(optional),
                    ", ".join(table.fields().names()),
                )
            )
        wanted = [c for c in (*required, *optional) if c in lookup]
        return [
            {c: (None if vector_io.is_null(feat[lookup[c]]) else feat[lookup[c]]) for c in wanted}
            for feat in table.getFeatures()
        ]

    def _ecosystems(self, parameters, context):
        values = self.parameterAsMatrix(parameters, self.ECOSYSTEMS, context)
        ncol = len(ECOSYSTEM_HEADERS)
        if not values:
            return dict(pc.DEFAULT_ECOSYSTEMS)
        if len(values) % ncol:
            raise QgsProcessingException(
                self.tr("Ecosystem types: the table needs {} columns ({})").format(
                    ncol, ", ".join(ECOSYSTEM_HEADERS)
                )
            )
        table = {}
        for r in range(len(values) // ncol):
            name, rs, tree, shrub, herb = (
                str(v).strip() if v is not None else "" for v in values[r * ncol : (r + 1) * ncol]
            )
            if not name:
                raise QgsProcessingException(
                    self.tr("Ecosystem types, row {}: the type name is empty").format(r + 1)
                )
            try:
                ratio = float(rs) if rs else float("nan")
                entry = pc.EcosystemType(
                    ratio,
                    tree_layer=tree.lower() in ("1", "yes", "true", "y"),
                    shrub_quadrat_m2=float(shrub),
                    herb_quadrat_m2=float(herb),
                )
            except ValueError as exc:
                raise QgsProcessingException(
                    self.tr("Ecosystem types, row {} ('{}'): {}. Columns: {}").format(
                        r + 1, name, exc, ", ".join(ECOSYSTEM_HEADERS)
                    )
                ) from exc
            if pc.normalise_key(name) in {pc.normalise_key(k) for k in table}:
                raise QgsProcessingException(self.tr("Ecosystem types: '{}' is listed twice").format(name))
            table[name] = entry
        return table

    def _write(self, parameters, context, source, plots, result, text, feedback):
        new_names = {n.lower() for n in (*POOLS, PROBLEM_FIELD)}
        fields = QgsFields()
        kept = []
        for i, f in enumerate(source.fields()):
            if f.name().lower() in new_names:
                feedback.pushWarning(
                    self.tr("Field '{}' of the input is replaced by the computed one.").format(f.name()),
                )
                continue
            fields.append(f)
            kept.append(i)
        for name in POOLS:
            fields.append(QgsField(name, FieldType.Double))
        fields.append(QgsField(PROBLEM_FIELD, FieldType.String))
        sink, dest = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, source.wkbType(), source.sourceCrs()
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        row_of = {int(fid): i for i, fid in enumerate(plots.ids)}
        pools = [getattr(result, name) for name in POOLS]
        for feat in source.getFeatures(QgsFeatureRequest()):
            if feedback.isCanceled():
                break
            i = row_of[feat.id()]
            attrs = feat.attributes()
            values = [attrs[k] for k in kept]
            values += [float(p[i]) if np.isfinite(p[i]) else None for p in pools]
            values.append(text[i] or None)
            out = QgsFeature(fields)
            out.setGeometry(feat.geometry())
            out.setAttributes(values)
            if not sink.addFeature(out, QgsFeatureSink.FastInsert):
                raise QgsProcessingException(
                    self.tr("Could not write plot {} to the output").format(result.ids[i])
                )
        return dest

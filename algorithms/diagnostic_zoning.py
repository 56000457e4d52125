"""Diagnostic zoning: class rasters combined into management zones by an editable rule table (step 13)."""

import html

from qgis.core import (
    QgsProcessingException,
    QgsProcessingParameterFile,
    QgsProcessingParameterMatrix,
)

from ..core.carbon import zoning
from ..core.engine import raster
from .support import raster_engine as engine
from .support.base import CarbonSinkAlgorithm

# Role of each input in the rule table, its parameter name and its name in the dialog.
INPUTS = (
    ("trend", "TREND", "Trend class (Sen + Mann–Kendall)"),
    ("future", "FUTURE", "Future trend class (Sen slope × Hurst)"),
    ("lisa", "LISA", "LISA cluster"),
    ("driver", "DRIVER", "Climate driver type"),
)
MATRIX_HEADERS = ("zone", *(role for role, _, _ in INPUTS))


def _default_rows():
    table = zoning.default_rule_table()
    return table.rows


def _default_matrix():
    return [row.get(h, "") for row in _default_rows() for h in MATRIX_HEADERS]


def _rules_html():
    """The shipped rule table as an HTML table for the help, with why each rule is there."""
    head = "".join(f"<th>{h}</th>" for h in ("Zone", "Trend", "Future trend", "LISA", "Driver", "Why"))
    body = []
    for row in _default_rows():
        cells = [row.get(h, "") for h in MATRIX_HEADERS] + [row.get("note", "")]
        cells = [html.escape(c).replace("|", " <i>or</i> ") for c in cells]
        swatch = f'<span style="color:{row.get("colour", "#000")}">■</span> '
        body.append(
            "<tr>" + f"<td>{swatch}{cells[0]}</td>" + "".join(f"<td>{c}</td>" for c in cells[1:]) + "</tr>"
        )
    return f'<table border="1" cellspacing="0" cellpadding="3"><tr>{head}</tr>{"".join(body)}</table>'


class DiagnosticZoning(CarbonSinkAlgorithm):
    TREND = "TREND"
    FUTURE = "FUTURE"
    LISA = "LISA"
    DRIVER = "DRIVER"
    RULES = "RULES"
    RULES_FILE = "RULES_FILE"
    ZONES = "ZONES"

    NAME = "diagnosticzoning"
    DISPLAY_NAME = "Diagnostic zoning"
    GROUP_ID = "zoning"
    HELP = f"""
<p>Combines the class rasters of the study — trend class, future trend class, LISA cluster, climate
driver type, any of them — into management zones with a rule table, and reports the true area and share
of every zone.</p>
<h3>Rule table</h3>
<p>Each row is a rule: a zone and, for each input, the classes it takes, by the names the class rasters'
legends show, several separated by <b>|</b>, or <b>any</b> (an empty cell is also <i>any</i>). A pixel
gets the zone of the rule matching all its classes; a pixel no rule covers gets the default zone
<i>Stable / other</i> (a row whose inputs are all <i>any</i> renames it). Edit the matrix in this dialog,
or give a CSV file with the columns <code>zone,trend,future,lisa,driver</code> (optionally
<code>code</code>, <code>colour</code> as #rrggbb and <code>note</code>; lines starting with # are
comments); the file, when given, replaces the matrix (use it with qgis_process and in models). An empty
matrix means the default table below.</p>
<p>Names match ignoring case; a name also matches the classes whose name starts with it followed by
“,” or “ (”: <i>Continuous improvement</i> takes both “Continuous improvement, significant” and “…, not
significant” of the eight-class future trend, <i>Significant increase</i> both significant classes of the
five-class trend (“Extremely significant increase (p &lt; 0.01)” included), <i>Isolated</i> the LISA class
“Isolated (no valid neighbour)”. A class can also be named by its code (e.g. 3), the only way for a raster
without class names.</p>
<p>The run stops, naming the lines, when a rule names a class its input does not have (the valid names are
listed), names a class of an input that is not given, or when two rules match a common combination of
classes with different zones: the order of the rows never settles a contradiction, so the table means
the same in any order. Rules of the same zone may overlap (that is how “A or B” is written).</p>
<h3>Default table</h3>
{_rules_html()}
<p>It uses the trend, future trend and LISA inputs; give those, or edit the table.</p>
<h3>Data</h3>
<p>All inputs must be on one grid. Nodata (code 0) in any input a rule uses gives nodata in the zone
raster; inputs no rule uses are not read. Zone areas are true areas on the ellipsoid
of the rasters' CRS (any CRS; without a CRS only pixel counts are given).</p>
<h3>References</h3>
<p>Anselin, L. (1995) Local indicators of spatial association — LISA. Geographical Analysis 27:93–115.
Hurst, H. E. (1951) Trans. ASCE 116:770–799. Sen, P. K. (1968) JASA 63:1379–1389.</p>
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        for _, name, description in INPUTS:
            engine.add_band_input(self, name, self.tr(description), optional=True)
        self.addParameter(
            QgsProcessingParameterMatrix(
                self.RULES,
                self.tr("Rule table (classes separated by |, or 'any'; empty: the default table)"),
                hasFixedNumberRows=False,
                headers=list(MATRIX_HEADERS),
                defaultValue=_default_matrix(),
                # Optional so that scripts, qgis_process and models may leave it out (QGIS 3.22 does not
                # fill a missing matrix from its default): then, or when it is empty, the default applies.
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.RULES_FILE,
                self.tr("Rule table as a CSV file (replaces the matrix when given)"),
                extension="csv",
                optional=True,
            )
        )
        engine.add_raster_output(self, self.ZONES, self.tr("Diagnostic zones"), required=True)
        engine.add_class_area_output(self)

    def checkParameterValues(self, parameters, context):  # noqa: N802
        if not any(parameters.get(name) not in (None, "") for _, name, _ in INPUTS):
            return False, self.tr(
                "Give at least one input class raster (trend class, future trend class, LISA cluster or "
                "driver type)."
            )
        return super().checkParameterValues(parameters, context)

    def _rule_table(self, parameters, context):
        path = self.parameterAsFile(parameters, self.RULES_FILE, context)
        if path:
            return zoning.read_rules_csv(path)
        values = self.parameterAsMatrix(parameters, self.RULES, context)
        if not any(str(v).strip() for v in values or []):
            return zoning.default_rule_table()
        return zoning.rules_from_matrix(values, MATRIX_HEADERS, source="rule table (matrix)")

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        stacks, roles, labels = {}, {}, {}
        for role, name, description in INPUTS:
            stack = engine.band_from_parameters(self, parameters, context, name, self.tr(description))
            labels[role] = self.tr(description.split(" (")[0])
            roles[role] = None
            if stack is None:
                continue
            stacks[role] = stack
            roles[role] = raster.category_names(stack)
            labels[role] += f" (layer '{stack.bands[0].layer}')"
            if not roles[role]:
                feedback.pushWarning(
                    self.tr(
                        "Layer '{}' has no class names (GDAL category names); the rules can name its classes by code "
                        "only."
                    ).format(stack.bands[0].layer),
                )
        if not stacks:
            raise QgsProcessingException(self.tr("Give at least one input class raster."))
        raster.check_same_grid(list(stacks.values()))
        table = self._rule_table(parameters, context)
        rules = zoning.parse_rules(table, roles, labels=labels)
        if not rules.used_roles:
            raise QgsProcessingException(
                self.tr(
                    "The {} names no class of any input, so every pixel would be '{}'. Name classes in the rules."
                ).format(table.source, rules.scheme.name_of(rules.default_code))
            )
        for role in stacks:
            if role not in rules.used_roles:
                feedback.pushWarning(
                    self.tr("No rule names a class of the {} input; it is not used.").format(labels[role]),
                )
        feedback.pushInfo(
            self.tr("{} rules from the {}, {} zones; inputs used: {}").format(
                len(rules.rules),
                table.source,
                len(rules.scheme.classes),
                ", ".join(labels[r] for r in rules.used_roles),
            )
        )

        def kernel(blocks):
            return {"zone": rules.zone_codes({role: blocks[role][0] for role in rules.used_roles})}

        outputs = [
            engine.output_spec(
                self,
                parameters,
                context,
                self.ZONES,
                "Diagnostic zone",
                key="zone",
                dtype="uint8",
                scheme=zoning.zone_scheme(rules),
            )
        ]
        report = engine.run(
            self,
            parameters,
            context,
            feedback,
            {role: stacks[role] for role in rules.used_roles},
            kernel,
            outputs,
            bytes_per_pixel=64.0,
        )
        return engine.finish(self, parameters, context, feedback, report, outputs)

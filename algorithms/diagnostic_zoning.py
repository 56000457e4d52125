"""Diagnostic zoning: class rasters combined into management zones by an editable rule table (docs/method.md, step 13)."""

import numpy as np
from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFile,
    QgsProcessingParameterMatrix,
)

from ..core.carbon import zoning
from ..core.common.classes import CLASS_NODATA
from ..core.engine import raster
from .support import raster_engine as engine
from .support import vocabulary
from .support.base import CarbonSinkAlgorithm

# Role of each input in the rule table (its column in a rule CSV file) and its parameter name.
INPUTS = (
    ("trend", "TREND_CLASS"),
    ("future", "FUTURE_CLASS"),
    ("lisa", "LISA_CLUSTER"),
    ("driver", "DRIVER_CLASS"),
)
MATRIX_HEADERS = ("zone", *(role for role, _ in INPUTS))


def _default_rows():
    table = zoning.default_rule_table()
    return table.rows


def _default_matrix():
    return [row.get(h, "") for row in _default_rows() for h in MATRIX_HEADERS]


def _rules_text():
    """The shipped rule table as plain-text lines for the help, with why each rule is there."""
    titles = {"trend": "trend", "future": "future trend", "lisa": "LISA", "driver": "driver"}
    lines = []
    for row in _default_rows():
        conditions = [
            f"{titles[role]} {row[role].replace('|', ' or ')}"
            for role, _ in INPUTS
            if row.get(role, "").strip() not in ("", "any")
        ]
        note = row.get("note", "").strip()
        when = "; ".join(conditions) if conditions else "every other pixel"
        lines.append(f"- {row['zone']}: {when}." + (f" {note}" if note else ""))
    return "\n".join(lines)


class DiagnosticZoning(CarbonSinkAlgorithm):
    TREND_CLASS = "TREND_CLASS"
    FUTURE_CLASS = "FUTURE_CLASS"
    LISA_CLUSTER = "LISA_CLUSTER"
    DRIVER_CLASS = "DRIVER_CLASS"
    RULES = "RULES"
    RULES_FILE = "RULES_FILE"
    ZONES = "ZONES"

    NAME = "diagnosticzoning"
    DISPLAY_NAME = "Diagnostic zoning"
    GROUP_ID = "zoning"
    TAGS = "zoning,diagnostic zones,management zones,priority areas,carbon sink zoning,rule table"
    HELP = f"""
Combines the class rasters of the study (trend class, future trend class, LISA cluster, climate driver
type, any of them) into management zones with a rule table, and reports the true area and share of every
zone (docs/method.md, step 13).

Rule table

Each row is a rule: a zone and, for each input, the classes it takes, by the names the class rasters'
legends show, several separated by |, or "any" (an empty cell is also any). A pixel gets the zone of the
rule matching all its classes; a pixel no rule covers gets the default zone "Stable / other" (a row whose
inputs are all any renames it). Edit the matrix in this dialog, or give a CSV file with the columns
zone,trend,future,lisa,driver (optionally code, colour as #rrggbb and note; lines starting with # are
comments); the file, when given, replaces the matrix (use it with qgis_process and in models). An empty
matrix means the default table below.

Names match ignoring case; a name also matches the classes whose name starts with it followed by a comma or
" (": "Continuous improvement" takes both "Continuous improvement, significant" and "…, not significant" of
the eight-class future trend, "Significant increase" both significant classes of the five-class trend
("Extremely significant increase" included), "Isolated" the LISA class "Isolated (no valid neighbour)". A
class can also be named by its code (e.g. 3), the only way for a raster without class names.

The run stops, naming the lines, when a rule names a class its input does not have (the valid names are
listed), names a class of an input that is not given, or when two rules match a common combination of
classes with different zones: the order of the rows never settles a contradiction, so the table means the
same in any order. Rules of the same zone may overlap (that is how "A or B" is written).

Default table

{_rules_text()}

It uses the trend, future trend and LISA inputs; give those, or edit the table.

Data

All inputs must be on one grid. Nodata (code 0) in any input a rule uses gives nodata in the zone raster;
inputs no rule uses are not read. Zone areas are true areas on the ellipsoid of the rasters' CRS (any CRS;
without a CRS only pixel counts are given).

References

Anselin, L. (1995) Local indicators of spatial association — LISA. Geogr. Anal. 27:93–115. Hurst, H. E.
(1951) Trans. ASCE 116:770–808. Sen, P. K. (1968) JASA 63:1379–1389.
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        for _, name in INPUTS:
            engine.add_band_input(self, name, optional=True)
        rules = QgsProcessingParameterMatrix(
            self.RULES,
            self.tr("Rule table (classes separated by |, or 'any'; empty: the default table)"),
            hasFixedNumberRows=False,
            headers=list(MATRIX_HEADERS),
            defaultValue=_default_matrix(),
            # Optional so that scripts, qgis_process and models may leave it out (QGIS 3.22 does not
            # fill a missing matrix from its default): then, or when it is empty, the default applies.
            optional=True,
        )
        rules.setHelp(
            self.tr("One rule per row: the zone, then the classes of each input it takes (see the help).")
        )
        self.addParameter(rules)
        rules_file = QgsProcessingParameterFile(
            self.RULES_FILE,
            self.tr("Rule table as a CSV file (replaces the matrix when given)"),
            extension="csv",
            optional=True,
        )
        rules_file.setHelp(
            self.tr("Columns zone, trend, future, lisa, driver, optionally code, colour and note.")
        )
        self.addParameter(rules_file)
        engine.add_raster_output(self, self.ZONES, required=True)
        engine.add_class_area_output(self)
        self.addOutput(
            QgsProcessingOutputNumber("ZONING_INPUT_PIXELS", self.tr("Pixels with at least one input"))
        )
        self.addOutput(
            QgsProcessingOutputNumber("NO_ZONE_PIXELS", self.tr("Pixels with an input but no zone"))
        )
        for role, name in INPUTS:
            self.addOutput(
                QgsProcessingOutputNumber(
                    f"ZONE_WITHOUT_{role.upper()}", self.tr("No zone: no {}").format(name)
                )
            )

    def checkParameterValues(self, parameters, context):  # noqa: N802
        if not any(parameters.get(name) not in (None, "") for _, name in INPUTS):
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
        for role, name in INPUTS:
            description = vocabulary.label(name).split(" (")[0]
            stack = engine.band_from_parameters(self, parameters, context, name, description)
            labels[role] = description
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

        return self._zone(parameters, context, feedback, stacks, rules, labels)

    def _zone(self, parameters, context, feedback, stacks, rules, labels):
        """Zone every pixel with all the inputs the rules use; count, by input, the pixels left blank."""
        used = list(rules.used_roles)

        def kernel(blocks):
            # Every pixel with any input comes here, so the log can say which input a blank zone lacks.
            values = {role: blocks[role][0] for role in used}
            missing = {role: np.isnan(v) for role, v in values.items()}
            any_missing = np.logical_or.reduce(list(missing.values()))
            zone = rules.zone_codes(values).astype(np.uint8)
            zone[any_missing] = CLASS_NODATA
            has_data = ~np.logical_and.reduce(list(missing.values()))
            return {
                "zone": zone,
                "with_data": has_data,
                **{f"no_{r}": m & has_data for r, m in missing.items()},
            }

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
            min_valid={role: 0 for role in used},
            counters=("with_data", *(f"no_{r}" for r in used)),
        )
        results = engine.finish(self, parameters, context, feedback, report, outputs)
        return results | self._explain_blanks(feedback, report, used, labels)

    def _explain_blanks(self, feedback, report, used, labels):
        """Log how many pixels with some input have no zone, and which input they lack (a pixel may lack
        several); the counts are results too (ZONING_INPUT_PIXELS, NO_ZONE_PIXELS, ZONE_WITHOUT_<ROLE>)."""
        with_data = report.counters["with_data"]
        zoned = sum(r.pixels for r in report.class_areas.get("zone", []))
        feedback.pushInfo(
            self.tr(
                "{:,} of the {:,} pixels with at least one input have a zone; {:,} have none, missing:"
            ).format(zoned, with_data, with_data - zoned)
        )
        for role in used:
            feedback.pushInfo(
                self.tr("  {:>10,}  the {}").format(report.counters[f"no_{role}"], labels[role])
            )
        return {
            "ZONING_INPUT_PIXELS": with_data,
            "NO_ZONE_PIXELS": with_data - zoned,
            **{f"ZONE_WITHOUT_{role.upper()}": report.counters[f"no_{role}"] for role in used},
        }

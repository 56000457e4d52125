"""Land-use transition matrix and the carbon contribution of classes and conversions (METHOD.md step 11)."""

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterMatrix,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
)

from ..core.carbon import landuse, landuse_report
from ..core.common.errors import naming
from ..core.engine import raster
from ..core.reports import store
from .support import raster_engine as engine
from .support import vector_io
from .support.base import CarbonSinkAlgorithm, advanced

CLASS_HEADERS = ["code", "name"]
DEFAULT_CONVERSION = "cropland, grassland, forest"


def _default_class_matrix():
    return [v for code, name in zip(landuse.CNLUCC.codes, landuse.CNLUCC.names) for v in (str(code), name)]


class LandUseContribution(CarbonSinkAlgorithm):
    LANDUSE_START = "LANDUSE_START"
    LANDUSE_END = "LANDUSE_END"
    CLASSES = "CLASSES"
    FOLD_SECOND_LEVEL = "FOLD_SECOND_LEVEL"
    CARBON_START = "CARBON_START"
    CARBON_END = "CARBON_END"
    CARBON_STACK = "CARBON_STACK"
    CARBON_UNIT = "CARBON_UNIT"
    BASIS = "BASIS"
    CONVERSION_CLASSES = "CONVERSION_CLASSES"
    TRANSITIONS = "TRANSITIONS"
    CONTRIBUTIONS = "CONTRIBUTIONS"
    REPORT = "REPORT"
    TRANSITION_RASTER = "TRANSITION_RASTER"
    TOTAL_CHANGE_T = "TOTAL_CHANGE_T"
    CONVERSION_CHANGE_T = "CONVERSION_CHANGE_T"
    CONVERSION_SHARE_PCT = "CONVERSION_SHARE_PCT"
    UNKNOWN_PIXELS = "UNKNOWN_PIXELS"

    UNITS = landuse.CARBON_UNITS  # ("density", "storage")
    BASES = landuse.BASES  # ("end", "start", "stock")

    NAME = "landusecontribution"
    DISPLAY_NAME = "Land-use transition and carbon contribution"
    GROUP_ID = "drivers"
    HELP = """
<p>The land-use transition matrix between two dates (area of every change from class i to class j), the
carbon change of each transition, the contribution rate of each land-use class and of a chosen set of
conversions to the total carbon change, as tables and an HTML report with the matrices and flow (Sankey)
diagrams. Optionally a transition raster (one styled class per i → j).</p>
<h3>Formulas</h3>
<p>For each pixel, storage S = density × true pixel area (hm²) when the carbon rasters are densities
(t C/hm²), or the value itself when they are storage (t C per pixel); ΔS = S<sub>end</sub> − S<sub>start</sub>.
ΔC<sub>ij</sub> = Σ ΔS over the pixels that went from class i (start) to class j (end); the total
ΔC = Σ<sub>ij</sub> ΔC<sub>ij</sub>. The share of a transition is ΔC<sub>ij</sub> / ΔC × 100 %.</p>
<p><b>Contribution rate of class i</b>, R<sub>i</sub> = ΔC<sub>i</sub> / ΔC × 100 %, with ΔC<sub>i</sub>
by the chosen basis:<br>
<b>end class</b> (default): ΔC<sub>i</sub> = Σ<sub>j</sub> ΔC<sub>ji</sub>, the change on all land that is
class i at the end (the pixel-based reading used by the paper);<br>
<b>start class</b>: ΔC<sub>i</sub> = Σ<sub>j</sub> ΔC<sub>ij</sub>, the change on all land that was class i
at the start;<br>
<b>storage held by the class</b>: ΔC<sub>i</sub> = Σ<sub>j</sub> S<sup>end</sup><sub>ji</sub> −
Σ<sub>j</sub> S<sup>start</sup><sub>ij</sub>, class i's storage at the end minus at the start (the
InVEST-style comparison; land converted into i brings its storage, land converted out takes it away).<br>
Each is split into persistence (ΔC<sub>ii</sub>, pixels that stayed in i) and conversion (the rest). For
every basis the rates sum to 100 %; with gains and losses mixed a rate can be negative or above 100 %.</p>
<p><b>Conversion set</b> (e.g. "cropland, grassland, forest"): Σ ΔC<sub>ij</sub> over all i ≠ j with i and
j in the set, and its share of ΔC (the paper: conversions among cropland, grassland and forest,
17.31 %). Classes by name (or an unambiguous start of one) or code; empty: no set.</p>
<h3>Classes</h3>
<p>The class table (code, name) defaults to the first-level classes of the Chinese land-use
classification (CNLUCC, RESDC/CAS): 1 cropland, 2 forest, 3 grassland, 4 water, 5 built-up land,
6 unused land. With "fold second-level codes" (default) a two-digit code not in the table counts as its
first-level class code // 10 (11–12 → cropland, 21–24 → forest, 31–33 → grassland, 41–46 → water,
51–53 → built-up, 61–67 → unused land); a code listed in the table always means itself.</p>
<h3>Data</h3>
<p>All four rasters must be single-band and on one grid (CRS, pixel size, extent); they are never
resampled. Pixels with nodata land use at either date are left out; pixels with a code that is not in
the table are counted per code, reported in the log and the report, and left out of the matrix and of
the shares. Pixels with a land-use change but no carbon value at a date count in the area matrix, not in
the carbon sums (reported). Pixel areas are true areas on the ellipsoid of the rasters' CRS, for any CRS;
rasters without a CRS stop the run.</p>
<h3>References</h3>
<p>METHOD.md step 11. Liu, J. et al. (2014) Spatiotemporal characteristics, patterns, and causes of
land-use changes in China since the late 1980s. J. Geogr. Sci. 24(2):195–210. Pontius, R. G., Shusas, E.
&amp; McEachern, M. (2004) Detecting important categorical land changes while accounting for persistence.
Agric. Ecosyst. Environ. 101:251–268.</p>
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self._add_landuse_parameters()
        self._add_carbon_parameters()
        engine.add_memory_parameter(self)
        engine.add_table_output(self, self.TRANSITIONS, self.tr("Transitions (area and carbon change)"))
        engine.add_table_output(self, self.CONTRIBUTIONS, self.tr("Class contributions"))
        engine.add_report_output(self, self.REPORT, self.tr("Report"))
        engine.add_raster_output(
            self, self.TRANSITION_RASTER, self.tr("Transition raster (one class per i → j)"), False
        )
        self.addOutput(QgsProcessingOutputNumber(self.TOTAL_CHANGE_T, self.tr("Total carbon change (t)")))
        self.addOutput(
            QgsProcessingOutputNumber(
                self.CONVERSION_CHANGE_T, self.tr("Carbon change of the conversion set (t)")
            )
        )
        self.addOutput(
            QgsProcessingOutputNumber(
                self.CONVERSION_SHARE_PCT, self.tr("Share of the conversion set in the total change (%)")
            )
        )
        self.addOutput(
            QgsProcessingOutputNumber(
                self.UNKNOWN_PIXELS, self.tr("Pixels with a code not in the class table")
            )
        )

    def _add_landuse_parameters(self):
        """The land-use rasters of both dates and their class table."""
        engine.add_band_input(self, self.LANDUSE_START, self.tr("Land use at the start (integer codes)"))
        engine.add_band_input(self, self.LANDUSE_END, self.tr("Land use at the end (integer codes)"))
        self.addParameter(
            QgsProcessingParameterMatrix(
                self.CLASSES,
                self.tr("Land-use classes (code, name)"),
                numberRows=len(landuse.CNLUCC),
                hasFixedNumberRows=False,
                headers=CLASS_HEADERS,
                defaultValue=_default_class_matrix(),
                optional=True,  # a matrix left out of a script's parameters fails its check in 3.22
            )
        )
        self.addParameter(
            advanced(
                QgsProcessingParameterBoolean(
                    self.FOLD_SECOND_LEVEL,
                    self.tr("Fold two-digit (second-level) codes onto their first-level class (code // 10)"),
                    defaultValue=True,
                )
            )
        )

    def _add_carbon_parameters(self):
        """The carbon of both dates (two rasters or a yearly stack), its unit, the attribution basis and the conversion set."""
        engine.add_band_input(self, self.CARBON_START, self.tr("Carbon at the start"), optional=True)
        engine.add_band_input(self, self.CARBON_END, self.tr("Carbon at the end"), optional=True)
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.CARBON_STACK,
                self.tr("…or a yearly carbon stack: its first and last years are the start and the end"),
                QgsProcessing.TypeRaster,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.CARBON_UNIT,
                self.tr("The carbon rasters hold"),
                options=[self.tr("Carbon density (t C/hm²)"), self.tr("Carbon storage (t C per pixel)")],
                defaultValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.BASIS,
                self.tr("Attribute the carbon change of a class by"),
                options=[
                    self.tr("End class: change on the land that is the class at the end"),
                    self.tr("Start class: change on the land that was the class at the start"),
                    self.tr("Storage held by the class: its storage at the end minus at the start"),
                ],
                defaultValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.CONVERSION_CLASSES,
                self.tr("Conversion set: conversions among these classes (names or codes, comma-separated)"),
                defaultValue=DEFAULT_CONVERSION,
                optional=True,
            )
        )

    # ------------------------------------------------------------------------------------- parameters
    def _classes(self, parameters, context):
        """The class table; raises ValueError with a message naming the row."""
        values = self.parameterAsMatrix(parameters, self.CLASSES, context)
        fold = self.parameterAsBoolean(parameters, self.FOLD_SECOND_LEVEL, context)
        if not values:
            rows = list(zip(landuse.CNLUCC.codes, landuse.CNLUCC.names))
        else:
            if len(values) % 2:
                raise ValueError("the table needs two columns (code, name)")
            rows = [(values[k], values[k + 1]) for k in range(0, len(values), 2)]
        return landuse.LandUseClasses.from_rows(rows, fold_second_level=fold)

    def _conversion(self, parameters, context, classes):
        """Codes of the conversion set, or None; raises ValueError for a class not in the table."""
        text = (self.parameterAsString(parameters, self.CONVERSION_CLASSES, context) or "").strip()
        if not text:
            return None, text
        try:
            codes = classes.resolve(text)
        except ValueError:
            if text == DEFAULT_CONVERSION:  # the default set does not fit a custom table: skip it
                return None, text
            raise
        if len(codes) < 2:
            raise ValueError(f"'{text}' names one class; a conversion set needs at least two")
        return codes, text

    def checkParameterValues(self, parameters, context):  # noqa: N802
        try:
            classes = self._classes(parameters, context)
        except ValueError as exc:
            return False, self.tr("Land-use classes: {}").format(exc)
        try:
            self._conversion(parameters, context, classes)
        except ValueError as exc:
            return False, self.tr("Conversion set: {}").format(exc)
        pair = [parameters.get(k) not in (None, "") for k in (self.CARBON_START, self.CARBON_END)]
        stack = parameters.get(self.CARBON_STACK) not in (None, "", [])
        if stack == any(pair) or (not stack and not all(pair)):
            return False, self.tr(
                "Give the carbon either as start and end rasters or as a yearly stack (exactly one of the two)."
            )
        return super().checkParameterValues(parameters, context)

    # ------------------------------------------------------------------------------------------- run
    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        with naming(self.tr("Land-use classes")):
            classes = self._classes(parameters, context)
        with naming(self.tr("Conversion set")):
            conversion, conversion_text = self._conversion(parameters, context, classes)
        if conversion is None and conversion_text:
            feedback.pushWarning(
                self.tr(
                    "Conversion set '{}' does not match the class table; no conversion set is computed. Name "
                    "classes of the table in 'Conversion set'."
                ).format(conversion_text)
            )
        unit = self.UNITS[self.parameterAsEnum(parameters, self.CARBON_UNIT, context)]
        basis = self.BASES[self.parameterAsEnum(parameters, self.BASIS, context)]
        inputs, layers = self._inputs(parameters, context, feedback)
        raster_spec = self._transition_spec(parameters, context, classes)
        acc = landuse.TransitionAccumulator(classes)

        def kernel(blocks):
            if raster_spec is None:
                return {}
            return {"transition": landuse.transition_codes(classes, blocks["start"][0], blocks["end"][0])}

        def reduce(results, packed):
            area = packed["pixel_area_m2"][0]
            acc.add(
                packed["start"][0],
                packed["end"][0],
                area,
                landuse.storage_t(packed["c0"][0], area, unit),
                landuse.storage_t(packed["c1"][0], area, unit),
            )

        run_report = engine.run(
            self,
            parameters,
            context,
            feedback,
            inputs,
            kernel,
            [raster_spec],
            min_valid={k: 0 for k in inputs},  # every pixel reaches the accumulator, which counts nodata
            pixel_area=True,
            reduce=reduce,
            bytes_per_pixel=256.0,  # inputs, the prefetched window, codes, indices and storages
        )
        self._log(feedback, acc, layers)
        if acc.pixels_.sum() == 0:
            raise QgsProcessingException(
                self.tr(
                    "No pixel has a land-use code of the class table at both dates in '{}' and '{}'. Codes found "
                    "that are not in the table: {}. Check the class table and the nodata values."
                ).format(layers["start"], layers["end"], _codes_text(acc, layers) or "none (all nodata)")
            )
        run_report.class_areas = {}  # the transition table holds the areas
        run_report.pixels_computed = int(acc.pixels_.sum())  # classified at both dates
        results = engine.finish(self, parameters, context, feedback, run_report, [raster_spec])
        return results | self._tables(parameters, context, feedback, acc, basis, unit, conversion, layers)

    def _inputs(self, parameters, context, feedback):
        """The four single-band inputs (start, end, c0, c1) and the layer name of each, for messages."""
        roles = {
            "start": (self.LANDUSE_START, "Land use at the start"),
            "end": (self.LANDUSE_END, "Land use at the end"),
            "c0": (self.CARBON_START, "Carbon at the start"),
            "c1": (self.CARBON_END, "Carbon at the end"),
        }
        inputs = {}
        for key, (name, role) in roles.items():
            stack = engine.band_from_parameters(self, parameters, context, name, self.tr(role))
            if stack is not None:
                inputs[key] = stack
        layers = {k: stack.bands[0].layer for k, stack in inputs.items()}
        if self.parameterAsLayerList(parameters, self.CARBON_STACK, context):
            stacks, names = self._carbon_from_stack(parameters, context, feedback)
            inputs |= stacks
            layers |= names
        for key, (_, role) in roles.items():
            if key not in inputs:
                raise QgsProcessingException(self.tr("{}: no raster layer given").format(role))
        same = inputs["c0"].bands[0]
        if (same.path, same.band) == (inputs["c1"].bands[0].path, inputs["c1"].bands[0].band):
            raise QgsProcessingException(
                self.tr(
                    "Carbon at the start and Carbon at the end are the same raster ('{}', band {}): the carbon "
                    "change would be 0 everywhere. Give the carbon of the start and of the end date."
                ).format(same.layer, same.band)
            )
        return inputs, layers

    def _carbon_from_stack(self, parameters, context, feedback):
        """The start and end carbon as the first and last bands of the yearly carbon stack."""
        carbon = engine.stack_from_parameters(
            self, parameters, context, self.CARBON_STACK, self.tr("Carbon stack")
        )
        if len(carbon) < 2:
            raise QgsProcessingException(
                self.tr(
                    "Carbon stack: '{}' has {} band; the start and the end carbon are its first and last "
                    "bands (years), so it needs at least two. Give a stack of two or more years, or the "
                    "start and end carbon rasters."
                ).format(carbon.bands[0].layer, len(carbon))
            )
        feedback.pushInfo(
            self.tr("Carbon at the start: {}; at the end: {}").format(carbon.years[0], carbon.years[-1])
        )
        stacks, names = {}, {}
        for key, i in (("c0", 0), ("c1", -1)):
            stacks[key] = raster.Stack(carbon.name, [carbon.bands[i]], carbon.years[[i]], carbon.grid)
            # one layer for both dates: the messages name the year (band) as well
            names[key] = f"{carbon.bands[i].layer} ({carbon.years[i]})"
        return stacks, names

    def _transition_spec(self, parameters, context, classes):
        """The transition raster output, styled with one class per i → j, or None when not asked for."""
        spec = engine.output_spec(
            self,
            parameters,
            context,
            self.TRANSITION_RASTER,
            "Land-use transition",
            key="transition",
            dtype="uint8",
        )
        if spec is not None:
            with naming(self.tr("Transition raster")):
                spec.scheme = landuse.transition_scheme(classes)
        return spec

    def _log(self, feedback, acc, layers):
        classified = int(acc.pixels_.sum())
        feedback.pushInfo(
            self.tr(
                "{:,} pixels ({:,.2f} hm²) with a class of the table at both dates; {:,} pixels with nodata "
                "land use at a date left out."
            ).format(classified, acc.area_m2_.sum() / 10000.0, acc.nodata_pixels_)
        )
        if acc.folded_pixels_:
            feedback.pushInfo(
                self.tr("{:,} pixels carry second-level codes counted as their first-level class.").format(
                    acc.folded_pixels_
                )
            )
        if acc.unknown_pixels_:
            feedback.pushWarning(
                self.tr(
                    "{:,} pixels ({:,.2f} hm²) have a land-use code that is not in the class table and are left "
                    "out: {}. Add the codes to the class table, or set them as the layer's nodata value if they "
                    "mark no data."
                ).format(acc.unknown_pixels_, acc.unknown_area_m2_ / 10000.0, _codes_text(acc, layers))
            )
        if acc.carbon_missing_pixels_:
            feedback.pushWarning(
                self.tr(
                    "{:,} classified pixels have no carbon value in '{}' or '{}'; they count in the area matrix "
                    "but not in the carbon change."
                ).format(acc.carbon_missing_pixels_, layers["c0"], layers["c1"])
            )

    def _tables(self, parameters, context, feedback, acc, basis, unit, conversion, layers):
        total = acc.total_change_t_
        transitions = acc.transitions()
        contrib = landuse.contributions(acc, basis)
        feedback.pushInfo(
            self.tr("Total carbon change: {:+,.2f} t. Contribution by {} class:").format(total, basis)
        )
        if total == 0:
            feedback.pushWarning(
                self.tr(
                    "The total carbon change of the classified pixels is 0 t: contribution rates (shares of the "
                    "total) are undefined and left empty."
                )
            )
        for name, dc, share in zip(contrib["name"], contrib["carbon_change_t"], contrib["share_pct"]):
            feedback.pushInfo(f"  {name:<24} {dc:>+18,.2f} t  {_pct(share):>10}")
        results = {
            self.TOTAL_CHANGE_T: total,
            self.CONVERSION_CHANGE_T: float("nan"),
            self.CONVERSION_SHARE_PCT: float("nan"),
            self.UNKNOWN_PIXELS: acc.unknown_pixels_,
            "CLASS_CONTRIBUTIONS": _rows(contrib),
            "UNKNOWN_CODES": {
                "start": {str(k): v for k, v in acc.unknown_start_codes_.items()},
                "end": {str(k): v for k, v in acc.unknown_end_codes_.items()},
            },
        }
        conv = None
        if conversion is not None:
            conv = landuse.conversion_set(acc, conversion)
            names = ", ".join(acc.classes.name_of(c) for c in conversion)
            feedback.pushInfo(
                self.tr("Conversions among {}: {:+,.2f} t over {:,.2f} hm², {} of the total change.").format(
                    names, conv["change_t"], conv["area_hm2"], _pct(conv["share_pct"])
                )
            )
            results[self.CONVERSION_CHANGE_T] = conv["change_t"]
            results[self.CONVERSION_SHARE_PCT] = conv["share_pct"]
        dest = vector_io.write_table(self, parameters, self.TRANSITIONS, context, transitions)
        if dest:
            results[self.TRANSITIONS] = dest
        contrib_cols = {"basis": np.full(len(acc.classes), basis, dtype=object)} | contrib
        dest = vector_io.write_table(self, parameters, self.CONTRIBUTIONS, context, contrib_cols)
        if dest:
            results[self.CONTRIBUTIONS] = dest
        path = self.parameterAsFileOutput(parameters, self.REPORT, context)
        if path:
            version = self.provider().versionInfo() if self.provider() else ""
            doc = landuse_report.landuse_report(
                acc, transitions, contrib, basis, unit, conv, layers, version=version
            )
            results[self.REPORT] = store.write_report(path, doc)
        return results


def _rows(columns):
    keys = list(columns)
    n = len(columns[keys[0]]) if keys else 0
    out = []
    for i in range(n):
        row = {}
        for k in keys:
            v = columns[k][i]
            row[k] = v.item() if isinstance(v, np.generic) else v
        out.append(row)
    return out


def _codes_text(acc, layers=None, limit=12):
    parts = []
    for role, counts in (("start", acc.unknown_start_codes_), ("end", acc.unknown_end_codes_)):
        if not counts:
            continue
        items = sorted(counts.items(), key=lambda kv: -kv[1])
        text = ", ".join(f"code {k}: {v:,} px" for k, v in items[:limit])
        if len(items) > limit:
            text += f", … ({len(items) - limit} more codes)"
        where = f"'{layers[role]}'" if layers else f"the {role} raster"
        parts.append(f"{where}: {text}")
    return "; ".join(parts)


def _pct(v):
    return "–" if not np.isfinite(v) else f"{v:.2f} %".replace("-", "\u2212")

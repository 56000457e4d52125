"""The study report: maps, class areas and every step report in one self-contained HTML file."""

import datetime
import os

import numpy as np
from osgeo import osr
from qgis.core import (
    Qgis,
    QgsApplication,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingMultiStepFeedback,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)

from ..core.carbon import zoning
from ..core.common import i18n, style
from ..core.common.classes import ClassInfo, ClassScheme
from ..core.engine import raster
from ..core.engine.raster import min_valid_years
from ..core.reports import document, store
from ..core.reports import study_findings as sr_findings
from ..core.reports import study_report as sr
from ..core.stats import hurst
from .support import map_render, translation, vocabulary
from .support import raster_engine as engine
from .support.base import CarbonSinkAlgorithm, advanced
from .support.vocabulary import with_help

# Okabe & Ito (2008) colour-blind safe palette, for class rasters that come without a style.
_FALLBACK_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#f0e442", "#999999")


class StudyReport(CarbonSinkAlgorithm):
    TITLE = "TITLE"
    NOTES = "NOTES"
    CARBON_DENSITY = "CARBON_DENSITY"
    CARBON_DENSITY_YEARS = "CARBON_DENSITY_YEARS"
    SLOPE = "SLOPE"
    TREND_CLASS = "TREND_CLASS"
    FUTURE_CLASS = "FUTURE_CLASS"
    CV = "CV"
    CV_CLASS = "CV_CLASS"
    HURST = "HURST"
    DRIVER_CLASS = "DRIVER_CLASS"
    LISA_CLUSTER = "LISA_CLUSTER"
    ZONES = "ZONES"
    STORAGE_REPORT = "STORAGE_REPORT"
    CLIMATE_REPORT = "CLIMATE_REPORT"
    LANDUSE_REPORT = "LANDUSE_REPORT"
    SCREENING_REPORT = "SCREENING_REPORT"
    MODEL_REPORT = "MODEL_REPORT"
    GLOBAL_MORAN = "GLOBAL_MORAN"
    SAMPLES = "SAMPLES"
    PROVENANCE = "PROVENANCE"
    DPI = "DPI"
    LANGUAGE = "LANGUAGE"
    REPORT = "REPORT"

    # Single-band maps after the density maps, in the report's order:
    # (parameter, map title, legend title, class raster?, fallback ramp, symmetric, centre)
    MAPS = (
        (SLOPE, "Sen slope of carbon density", "Sen slope (t C/hm²/a)", False, style.DIVERGING, True, None),
        (TREND_CLASS, "Trend class (Sen + Mann–Kendall)", "Trend class", True, None, False, None),
        (FUTURE_CLASS, "Future trend (Sen slope × Hurst)", "Future trend", True, None, False, None),
        (CV, "Coefficient of variation", "Cv", False, style.SEQUENTIAL_STABILITY, False, None),
        (CV_CLASS, "Stability class (coefficient of variation)", "Stability class", True, None, False, None),
        (HURST, "Hurst exponent", "Hurst exponent H", False, style.DIVERGING, False, 0.5),
        (DRIVER_CLASS, "Climate driver type", "Driver type", True, None, False, None),
        (LISA_CLUSTER, "LISA cluster (local Moran's I)", "LISA cluster", True, None, False, None),
        (ZONES, "Diagnostic zones", "Zone", True, None, False, None),
    )
    # Step reports, in the report's order: (parameter, heading, algorithm that writes it)
    STEPS = (
        (STORAGE_REPORT, "Carbon storage and mean density", "carbonsink:carbonstorage"),
        (CLIMATE_REPORT, "Regional climate trend", "carbonsink:regionalclimatetrend"),
        (LANDUSE_REPORT, "Land-use transitions and carbon contribution", "carbonsink:landusecontribution"),
        (SCREENING_REPORT, "Factor screening", "carbonsink:factorscreening"),
        (MODEL_REPORT, "Carbon density model", "carbonsink:traincarbonmodel"),
    )

    NAME = "studyreport"
    DISPLAY_NAME = "Study report"
    GROUP_ID = "study"
    TAGS = "report,html report,study report,maps,summary"
    HELP = """
One self-contained HTML file with the results of a study: maps of the rasters rendered by QGIS with their
legend, a scale bar and a north arrow; the area and share of every class of the class rasters; and the
charts and tables of the step reports (storage and mean density with their trend lines, regional climate,
land-use transition flows, factor correlation heat map, carbon density model accuracy, importance and
observed-versus-predicted plot). It ends with the inputs, parameters, QGIS and plugin versions that produced
it. Every input is optional: the report holds what it is given and lists what is missing. It is the last step
of the whole-study model and can be run on the outputs of any run (docs/method.md, steps 5 to 13).

Maps

Carbon density of the first and the last year of the stack (one colour scale for both), Sen slope, trend
class, future trend, Cv, Hurst exponent, driver type, LISA cluster and zones. Each map uses the style saved
beside its raster (name.qml, written by every algorithm of the plugin); without one, a class raster gets a
palette of the classes it holds (names from the raster's category names) and a continuous raster a colour
ramp over its 2nd–98th percentile. The maps are drawn at 150 dpi by default (advanced).

Class areas

True pixel areas on the ellipsoid of the raster's CRS (any CRS; a raster without a CRS stops the run), read
block by block; code 0 and nodata are not counted; shares are of the classified pixels.

The file

Maps are PNG images embedded in the page, charts are inline SVG, the style is inline: the file opens offline,
has no script and fetches nothing, and prints with each part on a new page. Step reports are the HTML files
written by the algorithms named in their parameters: the study report reads the data each of them writes
beside its page (name.json: the same report as numbers and plain text), never the page itself, and stops
with a message naming the file when the data are missing or not valid. The study report writes its own data
beside it too.

References

Bao, Y. et al. (2026) Spatiotemporal changes and potential diagnostic zoning of ecosystem carbon sinks in
Ningxia. Arid Land Geography 49(4):740–755.
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        title = QgsProcessingParameterString(
            self.TITLE, self.tr("Title"), defaultValue=self.tr("Carbon sink diagnostic study")
        )
        self.addParameter(with_help(title, self.tr("The title of the page.")))
        notes = QgsProcessingParameterString(
            self.NOTES, self.tr("Notes and parameters (free text)"), multiLine=True, optional=True
        )
        self.addParameter(
            with_help(notes, self.tr("Printed under the title, e.g. the data sources and settings."))
        )
        engine.add_stack_input(
            self,
            self.CARBON_DENSITY,
            years_name=self.CARBON_DENSITY_YEARS,
            help_text=self.tr("Mapped for its first and its last year."),
            optional=True,
        )
        for name, title, *_ in self.MAPS:
            param = QgsProcessingParameterRasterLayer(name, vocabulary.label(name), optional=True)
            self.addParameter(
                with_help(param, vocabulary.help_text(name) + " " + self.tr("Map: {}.").format(title))
            )
        for name, heading, alg_id in self.STEPS:
            param = QgsProcessingParameterFile(
                name,
                self.tr("{}: report of {}").format(heading, alg_id),
                behavior=QgsProcessingParameterFile.File,
                extension="html",
                optional=True,
            )
            help_text = self.tr("The REPORT output of {}; its data (the .json beside it) are read.").format(
                alg_id
            )
            self.addParameter(with_help(param, help_text))
        self._add_run_inputs()
        dpi = QgsProcessingParameterNumber(
            self.DPI,
            self.tr("Resolution of the maps (dpi)"),
            QgsProcessingParameterNumber.Integer,
            defaultValue=150,
            minValue=72,
            maxValue=300,
        )
        self.addParameter(advanced(with_help(dpi, self.tr("Resolution of the map images in the page."))))
        language = translation.language_parameter(
            self.LANGUAGE,
            self.tr("Language of the report"),
            self.tr("Headings, table headers and class names of the report; default: the QGIS interface's."),
        )
        self.addParameter(language)
        report = QgsProcessingParameterFileDestination(
            self.REPORT, vocabulary.label(self.REPORT), self.tr("HTML files (*.html)")
        )
        self.addParameter(with_help(report))

    def _add_run_inputs(self):
        """Global Moran's I, the sample points and the run's provenance: inputs of the whole-study model."""
        moran = QgsProcessingParameterFeatureSource(
            self.GLOBAL_MORAN, self.tr("Global Moran's I table"), [QgsProcessing.TypeVector], optional=True
        )
        self.addParameter(
            with_help(
                moran, self.tr("The MORAN_TABLE output of Global Moran's I (of the Sen slope): a section.")
            )
        )
        samples = QgsProcessingParameterFeatureSource(
            self.SAMPLES, vocabulary.label(self.SAMPLES), [QgsProcessing.TypeVectorPoint], optional=True
        )
        self.addParameter(
            with_help(
                samples,
                self.tr(
                    "The SAMPLES output of Augment samples: the report summarises plots and augmented points."
                ),
            )
        )
        provenance = QgsProcessingParameterString(
            self.PROVENANCE, self.tr("Inputs and settings of the run (JSON)"), multiLine=True, optional=True
        )
        self.addParameter(
            advanced(
                with_help(
                    provenance,
                    self.tr(
                        'What produced the results, as JSON: {"inputs": {name: file or list of files}, '
                        '"settings": {name: value}}; the whole-study model fills it. Shown under "Provenance".'
                    ),
                )
            )
        )

    # ------------------------------------------------------------------------------------------- run
    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        title, notes = self._texts(parameters, context)
        dpi = self.parameterAsInt(parameters, self.DPI, context)
        path = self.parameterAsFileOutput(parameters, self.REPORT, context)
        steps, step_inputs, missing = self._steps(parameters, context, path)
        density = self._density(parameters, context, feedback)
        rasters, inputs = self._rasters(parameters, context, missing)
        if density is None:
            missing.insert(0, self.tr("Carbon density maps (first and last year)"))
        reference = self._reference(parameters, context, feedback, density)
        maps, class_areas, coverage = self._maps(
            parameters, context, feedback, dpi, density, rasters, reference
        )
        if density is not None:
            paths = list(dict.fromkeys(ref.path for ref in density[0].bands))
            inputs = {self.tr("Carbon density stack"): paths if len(paths) > 1 else paths[0]} | inputs
        extra = self._extra_parts(parameters, context, feedback, missing)
        findings = sr_findings.findings(
            class_areas,
            coverage,
            steps,
            extra.get("moran_row"),
            extra.get("samples"),
            reference[1] if reference else None,
        )
        try:
            doc = sr.study_report(
                title,
                maps=maps,
                class_areas=class_areas,
                steps=[s for s, _ in steps],
                notes=notes,
                missing=missing,
                meta=self._provenance(parameters, context, inputs | step_inputs),
                intro=self._header(density, reference[1] if reference else None),
                findings=findings,
                extra_parts=extra.get("parts", ()),
                coverage=coverage,
            )
        except document.ReportDataError as exc:
            raise QgsProcessingException(
                self.tr("The study report cannot be composed: {}").format(exc)
            ) from exc
        doc, tables = sr.long_tables_of(doc, os.path.splitext(os.path.basename(path))[0])
        for name, table in tables:
            sr_findings.write_csv(os.path.join(os.path.dirname(path), name), table)
        language = translation.language_code(self.parameterAsEnum(parameters, self.LANGUAGE, context))
        with i18n.using(translation.report_lookup(language)):  # the page in LANGUAGE; its data in English
            store.write_report(path, doc, self.tr("Study report"))
        feedback.pushInfo(self.tr("Study report written to {}").format(path))
        if missing:
            feedback.pushInfo(self.tr("Not given: {}").format("; ".join(missing)))
        return {self.REPORT: path}

    def _texts(self, parameters, context):
        title = self.parameterAsString(parameters, self.TITLE, context).strip() or self.tr("Study report")
        notes = self.parameterAsString(parameters, self.NOTES, context)
        for name, text, limit in (
            (self.TITLE, title, document.MAX_LABEL),
            (self.NOTES, notes, document.MAX_TEXT),
        ):
            if len(text) > limit:
                raise QgsProcessingException(
                    self.tr("{} ({}): {:,} characters; a report takes at most {:,}. Shorten it.").format(
                        self.parameterDefinition(name).description(), name, len(text), limit
                    )
                )
        return title, notes

    def _steps(self, parameters, context, path):
        """The step reports given: [(StepReport, file)], their files by heading, and what is missing."""
        missing, steps, step_inputs = [], [], {}
        for name, heading, alg_id in self.STEPS:
            file = self.parameterAsFile(parameters, name, context)
            if not file:
                missing.append(self.tr("{} (report of {})").format(heading, alg_id))
                continue
            link = os.path.relpath(file, os.path.dirname(os.path.abspath(path)))
            report = self._step_report(name, file, alg_id)
            steps.append((sr.StepReport(heading, report, link if ":" not in link else ""), file))
            step_inputs[heading] = file
        return steps, step_inputs, missing

    def _rasters(self, parameters, context, missing):
        rasters, inputs = [], {}
        for name, map_title, legend, is_class, ramp, symmetric, center in self.MAPS:
            layer = self.parameterAsRasterLayer(parameters, name, context)
            if layer is None:
                missing.append(self.tr("{} map").format(map_title))
                continue
            source = engine.layer_source(self, layer)
            inputs[map_title] = source
            rasters.append((name, map_title, legend, is_class, ramp, symmetric, center, source, layer.name()))
        return rasters, inputs

    def _reference(self, parameters, context, feedback, density):
        """The last year of the carbon density: what every map is compared with to find the pixels a step
        could not compute. ``(stack of that band, (pixels, hm²) with a density)`` or None."""
        if density is None:
            return None
        stack = density[0]
        ref = raster.Stack(stack.name, [stack.bands[-1]], np.asarray(stack.years[-1:]), stack.grid)
        counts = self._coverage(parameters, context, feedback, ref, ref)
        return ref, (counts["with_density"], counts["with_density_hm2"])

    def _coverage(self, parameters, context, feedback, band, ref):
        """Pixels (and hm²) with a carbon density, and those of them without a value in ``band``."""
        totals = {
            "with_density": 0,
            "with_density_hm2": 0.0,
            "not_computed": 0,
            "not_computed_hm2": 0.0,
            "above_one": 0,
        }

        def reduce(results, packed):
            area = packed["pixel_area_m2"][0] / 1e4
            missing = np.isnan(packed["map"][0])
            totals["with_density"] += int(area.size)
            totals["with_density_hm2"] += float(area.sum())
            totals["not_computed"] += int(np.count_nonzero(missing))
            totals["not_computed_hm2"] += float(area[missing].sum())
            with np.errstate(invalid="ignore"):
                totals["above_one"] += int(np.count_nonzero(packed["map"][0] > 1.0))

        engine.run(self, parameters, context, feedback, {"ref": ref, "map": band}, lambda blocks: {}, [],
                   min_valid={"ref": 1, "map": 0}, pixel_area=True, reduce=reduce, bytes_per_pixel=32.0)  # fmt: skip
        return totals

    def _maps(self, parameters, context, feedback, dpi, density, rasters, reference):
        """The maps (density first and last year, then each raster), the class-area tables and, per map,
        the pixels with a carbon density that the step could not compute."""
        n_steps = 2 * len(rasters) + sum(1 for r in rasters if r[3]) + (len(density[1]) if density else 0)
        multi = QgsProcessingMultiStepFeedback(max(n_steps, 1), feedback)
        maps, class_areas, coverage, step = [], [], {}, 0
        for ref, year_label in density[1] if density else ():
            self._check_cancel(multi)
            multi.setCurrentStep(step)
            step += 1
            maps.append(self._render(ref.path, f"Carbon density {year_label}", f"Carbon density {year_label} (t C/hm²)",
                                     ref.layer, dpi, band=ref.band, qml_text=density[2]))  # fmt: skip
        for name, map_title, legend, is_class, ramp, symmetric, center, source, layer_name in rasters:
            self._check_cancel(multi)
            multi.setCurrentStep(step)
            blank = None
            if reference is not None:
                label = self.parameterDefinition(name).description()
                band = raster.open_band(label, source, layer_name)
                counts = self._coverage(parameters, context, multi, band, reference[0])
                if name == self.HURST and counts["not_computed"] and density is not None:
                    counts["reasons"] = self._hurst_reasons(parameters, context, multi, density[0], band)
                coverage[map_title] = counts
                if counts["not_computed"]:
                    blank = (reference[0].bands[0].path, reference[0].bands[0].band)
            qml = None
            if is_class:
                multi.setCurrentStep(step + 1)
                rows, qml = self._class_areas(parameters, context, multi, name, source, layer_name)
                class_areas.append((map_title, layer_name, rows))
            multi.setCurrentStep(step + 2)
            step += 3
            maps.append(self._render(source, map_title, legend, layer_name, dpi, qml_text=qml, ramp=ramp,
                                     symmetric=symmetric, center=center, not_computed=blank))  # fmt: skip
            feedback.pushInfo(self.tr("Map '{}' rendered from {}").format(map_title, source))
        return maps, class_areas, coverage

    def _hurst_reasons(self, parameters, context, feedback, stack, hurst_band):
        """Why pixels with a carbon density have no H (core.stats.hurst.missing_reasons, with the Hurst
        step's default minimum share of valid years, 75 %): counts by reason."""
        need = min_valid_years(len(stack.years), 75.0)
        totals = {}

        def reduce(results, packed):
            last = np.isfinite(
                packed["stack"][-1]
            )  # the pixels the report counts: a density in the last year
            for key, mask in hurst.missing_reasons(packed["stack"], packed["h"][0], need).items():
                totals[key] = totals.get(key, 0) + int(np.count_nonzero(mask & last))

        engine.run(self, parameters, context, feedback, {"stack": stack, "h": hurst_band}, lambda blocks: {}, [],
                   min_valid={"stack": 1, "h": 0}, reduce=reduce, bytes_per_pixel=16.0 * len(stack.years) + 64)  # fmt: skip
        labels = {
            "too_few_years": self.tr("fewer than {} valid years").format(need),
            "constant": self.tr("the same value in every year"),
            "too_few_windows": self.tr("the same value in most of the first years (too few R/S windows)"),
        }
        return {labels[k]: v for k, v in totals.items() if v}

    def _check_cancel(self, feedback):
        if feedback.isCanceled():
            raise QgsProcessingException(self.tr("Cancelled by the user."))

    def _header(self, density, area):
        """Period and region of the run, under the title."""
        if density is None:
            return self.tr("The results of a carbon-sink study (no carbon density stack given).")
        stack = density[0]
        crs = ""
        if stack.grid.crs_wkt:
            srs = osr.SpatialReference()
            srs.ImportFromWkt(stack.grid.crs_wkt)
            crs = srs.GetName() or ""
        text = self.tr("Period {}–{} ({} years); region: {:,.0f} hm² with a carbon density").format(
            int(stack.years[0]), int(stack.years[-1]), len(stack.years), area[1] if area else 0.0
        )
        return text + (self.tr(" ({}).").format(crs) if crs else ".")

    def _provenance(self, parameters, context, files):
        """What shaped the result: the run's original inputs and settings (PROVENANCE, the model fills it),
        else the files given to the report; the software."""
        text = self.parameterAsString(parameters, self.PROVENANCE, context)
        try:
            given = sr_findings.parse_provenance(text)
        except ValueError as exc:
            raise QgsProcessingException(
                self.tr("Inputs and settings of the run (PROVENANCE): {}").format(exc)
            ) from exc
        inputs = given.get("inputs") or {k: v for k, v in files.items()}
        settings = given.get("settings", {})
        for name, alg_id in (
            ("HURST_METHOD", "carbonsink:hurstexponent"),
            ("INFERENCE", "carbonsink:localmoran"),
        ):
            definition = QgsApplication.processingRegistry().algorithmById(alg_id)
            definition = definition.parameterDefinition(name) if definition is not None else None
            if name in settings and definition is not None and settings[name].isdigit():
                options = definition.options()
                index = int(settings[name])
                settings[name] = options[index] if index < len(options) else settings[name]
        version = self.provider().versionInfo() if self.provider() else ""
        software = {
            "plugin": f"Carbon Sink Diagnostics {version}".strip(),
            "QGIS": Qgis.QGIS_VERSION,
            "date": datetime.datetime.now().isoformat(timespec="seconds"),
            "report": f"carbonsink:{self.NAME}",
        }
        return sr.provenance(inputs, settings, software)

    def _extra_parts(self, parameters, context, feedback, missing):
        """Global Moran's I, the zoning rules and the samples: sections of their own."""
        out, parts = {}, []
        moran = self.parameterAsSource(parameters, self.GLOBAL_MORAN, context)
        if moran is not None:
            rows = [dict(zip(moran.fields().names(), f.attributes())) for f in moran.getFeatures()]
            if rows:
                out["moran_row"] = rows[0]
                parts.append(sr.moran_section(rows[0]))
        else:
            missing.append(self.tr("Global Moran's I (table of carbonsink:globalmoran)"))
        zones = self.parameterAsRasterLayer(parameters, self.ZONES, context)
        if zones is not None:
            # The rules are shown when the zones are those of the default rule table (the model's); a raster
            # zoned by other rules only names its zones, and the report says the rules are not known.
            table = zoning.default_rule_table()
            names = set(
                raster.category_names(raster.open_band("Zones", engine.layer_source(self, zones))).values()
            )
            if names and names <= {row.get("zone", "") for row in table.rows} | {zoning.DEFAULT_ZONE}:
                parts.append(sr.rule_table(table.rows, "default rule table of Diagnostic zoning"))
            else:
                missing.append(self.tr("Zoning rules (the zones are not those of the default rule table)"))
        samples = self.parameterAsSource(parameters, self.SAMPLES, context)
        if samples is not None:
            out["samples"] = sr_findings.sample_summary(
                samples.fields().names(), (f.attributes() for f in samples.getFeatures())
            )
            parts.append(sr_findings.samples_section(out["samples"]))
        out["parts"] = parts
        return out

    # ------------------------------------------------------------------------------------- helpers
    def _step_report(self, name, file, alg_id):
        """The report data (JSON) beside the step report ``file``, validated; the step must be ``alg_id``."""
        label = self.parameterDefinition(name).description()
        try:
            step = store.read_report(file)
        except document.ReportDataError as exc:
            raise QgsProcessingException(self.tr("{}: {}").format(label, exc)) from exc
        if step.algorithm and step.algorithm != alg_id:
            raise QgsProcessingException(
                self.tr("{}: '{}' is a report of {}, not of {}; give the report of {}.").format(
                    label, os.path.basename(file), step.algorithm, alg_id, alg_id
                )
            )
        return step

    def _density(self, parameters, context, feedback):
        """The density stack, the (band, year label) of its first and last year, and a shared style."""
        if parameters.get(self.CARBON_DENSITY) in (None, "", []):
            return None
        stack = engine.stack_from_parameters(
            self,
            parameters,
            context,
            self.CARBON_DENSITY,
            self.tr("Carbon density stack"),
            self.CARBON_DENSITY_YEARS,
        )
        for warning in stack.warnings:
            feedback.pushWarning(warning)
        by_year = not stack.warnings
        first, last = stack.bands[0], stack.bands[-1]
        bands = [(first, str(stack.years[0]) if by_year else self.tr("(first band)"))]
        if len(stack.bands) > 1:
            bands.append((last, str(stack.years[-1]) if by_year else self.tr("(last band)")))
        # One colour scale for both years: the stack's own style when both come from one styled file,
        # else a ramp over the union of their 2nd-98th percentiles.
        if first.path == last.path and map_render.sidecar_qml(first.path):
            return stack, bands, None
        try:
            ranges = [map_render.band_range(ref.path, ref.band) for ref, _ in bands]
        except map_render.MapRenderError as exc:
            raise QgsProcessingException(self.tr("Carbon density stack: {}").format(exc)) from exc
        qml = style.pseudocolor_qml(min(r[0] for r in ranges), max(r[1] for r in ranges), style.SEQUENTIAL)
        return stack, bands, qml

    def _render(self, path, title, legend, layer_name, dpi, band=1, **kwargs):
        """One map as a Figure; ``not_computed=(path, band)`` of the carbon density shows, in grey and in the
        legend, the pixels with a density that have no value in this raster."""
        try:
            rendered = map_render.render_raster(
                path, legend, band=band, dpi=dpi, layer_name=layer_name, **kwargs
            )
        except map_render.MapRenderError as exc:
            raise QgsProcessingException(self.tr("Map '{}': {}").format(title, exc)) from exc
        return document.Figure(
            png=rendered.png,
            title=title,
            legend_title=rendered.legend_title,
            legend_labels=rendered.legend_labels,
            scale_label=rendered.scale_label,
            width_mm=rendered.width_mm,
            source=f"{layer_name} ({os.path.basename(path)}{'' if band == 1 else f', band {band}'})",
            note=f"Style: {rendered.style_source}."
            + (f" Dark grey: {'; '.join(rendered.extra_labels)}." if rendered.extra_labels else ""),
            continuous=rendered.continuous,
        )

    def _class_areas(self, parameters, context, feedback, name, source, layer_name):
        """Class-area rows of a class raster, and the style to draw it with if it has none of its own."""
        label = self.parameterDefinition(name).description()
        try:
            stack = raster.open_band(label, source, layer_name)
        except raster.RasterInputError as exc:
            raise QgsProcessingException(str(exc)) from exc
        pixels = np.zeros(256, dtype=np.int64)
        area = np.zeros(256, dtype=np.float64)
        outside = [0]

        def kernel(blocks):
            return {}

        def reduce(results, packed):
            codes = packed["classes"][0]
            ok = (codes >= 0) & (codes <= 255) & (codes == np.round(codes))
            outside[0] += int(np.count_nonzero(~ok))
            c = codes[ok].astype(np.intp)
            pixels[:] += np.bincount(c, minlength=256)
            area[:] += np.bincount(c, weights=packed["pixel_area_m2"][0][ok], minlength=256)

        engine.run(
            self,
            parameters,
            context,
            feedback,
            {"classes": stack},
            kernel,
            [],
            pixel_area=True,
            reduce=reduce,
            bytes_per_pixel=32.0,
        )
        if outside[0]:
            feedback.pushWarning(
                self.tr(
                    "{}: {:,} pixels hold values that are not class codes 0–255; they are left out of the class "
                    "areas."
                ).format(label, outside[0]),
            )
        names = raster.category_names(stack)
        qml_path = map_render.sidecar_qml(source)
        palette, qml = [], None
        if qml_path:
            with open(qml_path, encoding="utf-8") as f:
                palette = sr.palette_from_qml(f.read())
        if not qml_path or not palette:
            codes = [int(c) for c in np.flatnonzero(pixels) if 0 < c < 255]
            palette = [
                (c, names.get(c, f"class {c}"), _FALLBACK_COLOURS[k % len(_FALLBACK_COLOURS)])
                for k, c in enumerate(codes)
            ]
            if not qml_path and palette:
                scheme = ClassScheme(name.lower(), label, tuple(ClassInfo(*p) for p in palette))
                qml = style.paletted_qml(scheme)
        return sr.class_area_rows(pixels, area, palette, names), qml

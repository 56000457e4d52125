"""A folder of downloads to aligned stacks, one per variable, in one run (docs/method.md, "Data preparation")."""

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputString,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMatrix,
    QgsProcessingParameterString,
)

from ..core.engine import prepare, raster
from .support import raster_engine as engine
from .support import vocabulary
from .support.preparation import PreparationAlgorithm, log_lines
from .support.vocabulary import with_help


class PrepareStacks(PreparationAlgorithm):
    """Prepare an aligned yearly stack for every variable of a folder of downloads, on one grid and mask."""

    VARIABLES = "VARIABLES"
    YEAR_RASTERS = "YEAR_RASTERS"
    STACKS_FOLDER = "STACKS_FOLDER"
    STACKS_PATH = "STACKS_PATH"

    NAME = "preparestacks"
    DISPLAY_NAME = "Prepare aligned stacks from a folder of downloads"
    TAGS = (
        "preprocessing,resample,reproject,align,warp,netcdf,modis,hdf,monthly to annual,stack,mask,clip,folder,"
        "batch,variables"
    )
    HELP = """
Turns a folder of downloads holding several variables (npp_*.tif, MODIS HDF, ndvi_*.nc, monthly precipitation
and temperature netCDF, a DEM, land use …, in any CRS and resolution) into aligned stacks in one run: one
GeoTIFF per variable in the output folder (VARIABLE.tif, one band per year with the year as its description),
all on one grid and masked by one study boundary (docs/method.md, "Data preparation"). Each variable is
prepared as by Prepare an aligned yearly stack (dates, valid range, scale and offset, GDAL Warp, monthly to
annual, mask); the log and the table say, for every input band, what was done.

Variables

- Table of variables (optional), one row per variable: name (the output file's), file patterns (separated by
';'; a netCDF/HDF variable after ':', e.g. *.nc:pr or MOD17A3*.hdf:Npp_500m), time step (yearly, monthly sum,
monthly mean, static), resampling (average, bilinear, cubic, nearest, mode, sum, min, max), scale, offset,
valid min, valid max (stored values), minimum of valid months, nodata. Empty cells are detected or taken from
the files. Files no row takes are left out (the log lists them).
- Without a table, every data variable of every file is a variable: a netCDF/HDF variable by its name, other
files by their name without the date (npp_2001.tif … npp_2024.tif are the variable npp).

Detected when not given

- Time step: one undated band is static (a DEM); several months of a year are monthly, aggregated to the annual
sum for precipitation (named pr, ppt, prcp, precip…, rain…, tp, ap) and the annual mean otherwise; else yearly.
- Resampling: mode for class rasters (a colour table, category names or an attribute table, or integer values
with a class-like name: land use, land cover, lc, igbp, zone, ecosystem, class…), average for everything else.
- Nodata and valid range: the file's (GDAL nodata, else the CF _FillValue or missing_value; the CF valid_range
or valid_min/valid_max, in stored values), said in the log.

Bad inputs stop the run before anything is written, naming the file: a file without a year, a date given twice,
a file two variables claim, a netCDF file with several variables and none named, a valid range that leaves no
value, an input without CRS off the grid, a boundary that does not overlap the grid.

Single-year rasters: for each year of the list, every yearly variable is also written as VARIABLE_year.tif (that
year's band alone: the factors of the survey year that train the carbon density model, NPP_2024 being the factor
NPP).

References

Bao, Y. et al. (2026) Arid Land Geography 49(4):740–755, section 2.1. Eaton, B. et al. (2023) NetCDF Climate
and Forecast (CF) Metadata Conventions 1.11, sections 2.5.1, 4.4 and 8.1. GDAL Warp:
https://gdal.org/programs/gdalwarp.html
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self._add(engine.StackParameter, self.SOURCES, QgsProcessing.TypeRaster, optional=True)
        self.parameterDefinition(self.SOURCES).setHelp(
            self.tr("Downloaded files of any variables, in any CRS and resolution; or give a folder.")
        )
        self._add(
            QgsProcessingParameterFile, self.FOLDER, behavior=QgsProcessingParameterFile.Folder, optional=True
        )
        self._add(
            QgsProcessingParameterString,
            self.PATTERN,
            defaultValue="*.tif;*.tiff;*.nc;*.hdf;*.h5",
            optional=True,
        )
        self._add(
            QgsProcessingParameterMatrix,
            self.VARIABLES,
            headers=[self.tr(c) for c in prepare.RULE_COLUMNS],
            optional=True,
        )
        self._add(QgsProcessingParameterString, self.YEAR_RASTERS, optional=True)
        self._add_grid_parameters()
        engine.add_memory_parameter(self)
        folder = QgsProcessingParameterFolderDestination(
            self.STACKS_FOLDER, vocabulary.label(self.STACKS_FOLDER)
        )
        self.addParameter(with_help(folder))
        engine.add_table_output(self, self.PREPARATION_TABLE)
        # the folder as text: a model's expressions read it (@<step>_STACKS_PATH || '/NPP.tif')
        self.addOutput(QgsProcessingOutputString(self.STACKS_PATH, vocabulary.label(self.STACKS_PATH)))

    # ----------------------------------------------------------------------------------------- inputs
    def _plans(self, parameters, context, feedback):
        sources, names = self._sources(parameters, context)
        try:
            cells = self.parameterAsMatrix(parameters, self.VARIABLES, context)
            # an empty cell is a NULL QVariant when the table is left empty
            rules = prepare.parse_rules([None if _is_null(c) else c for c in cells])
        except ValueError as exc:
            raise QgsProcessingException(str(exc)) from exc
        plans, notes = prepare.plan_variables(sources, rules, names)
        for note in notes:
            feedback.pushInfo(note)
        for plan in plans:
            for note in plan.notes:
                feedback.pushInfo(note)
        return plans

    def _year_rasters(self, parameters, context):
        text = self.parameterAsString(parameters, self.YEAR_RASTERS, context).strip()
        if not text:
            return []
        try:  # any order, a year twice is once: "2024,2001,2024" is 2001 and 2024
            pieces = [p for p in text.replace(";", ",").split(",") if p.strip()]
            return sorted({int(y) for p in pieces for y in raster.parse_years(p.strip())})
        except raster.RasterInputError as exc:
            raise QgsProcessingException(
                self.tr("Years to write as single-band rasters: {}").format(exc)
            ) from exc

    # -------------------------------------------------------------------------------------------- run
    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        plans = self._plans(parameters, context, feedback)
        years = self._year_rasters(parameters, context)
        dated = [
            prepare.date_sources(plan.variable, plan.sources, plan.layers) for plan in plans
        ]  # stops early
        grid, origin, mask, mask_notes = self._grid_and_mask(parameters, context, dated[0] if dated else [])
        folder = self.parameterAsString(parameters, self.STACKS_FOLDER, context)
        for plan, bands in zip(plans, dated):
            feedback.pushInfo(self._describe(plan.variable, bands, grid, origin))
        for note in mask_notes:
            feedback.pushInfo(note)
        memory = self.parameterAsInt(parameters, engine.MEMORY_MB, context) or raster.DEFAULT_MEMORY_MB
        prepared, specs = prepare.prepare_plans(
            plans, grid, folder, mask, years, feedback.setProgress, feedback.isCanceled, memory, dated
        )
        guard = getattr(self, "io_guard", None)
        if guard is not None:
            guard.hold(specs)
        else:
            for spec in specs:
                raster.commit_output(spec)
        rows = []
        for item in prepared:
            self._log(item, feedback)
            rows += item.report.rows
        results = {self.STACKS_FOLDER: folder, self.STACKS_PATH: folder}
        table = self._write_table(parameters, context, rows)
        if table:
            results[self.PREPARATION_TABLE] = table
        return results

    def _log(self, item, feedback):
        report, variable = item.report, item.plan.variable
        for note in report.notes:
            feedback.pushInfo(note)
        for line in log_lines(report.rows):
            feedback.pushInfo(line)
        for warning in report.warnings:
            feedback.pushWarning(warning)
        feedback.pushInfo(
            self.tr("{}: {} band(s) written to {}: {}{}.").format(
                variable.name,
                max(1, len(report.years)),
                item.spec.path,
                raster.format_years(report.years) if report.years else self.tr("static"),
                "".join(", " + s.path for s in item.year_specs),
            )
        )


def _is_null(value):
    """Whether ``value`` is a NULL QVariant (or None)."""
    return value is None or (callable(getattr(value, "isNull", None)) and value.isNull())

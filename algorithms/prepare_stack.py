"""Downloads to an aligned yearly stack: the study's preprocessing (docs/method.md, "Data preparation"), one variable per run."""

from qgis.core import (
    QgsProcessing,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..core.engine import prepare, raster
from .support import raster_engine as engine
from .support import vocabulary
from .support.preparation import PreparationAlgorithm, log_lines
from .support.vocabulary import with_help


class PrepareStack(PreparationAlgorithm):
    VARIABLE = "VARIABLE"
    TIME_STEP = "TIME_STEP"
    YEARS = "YEARS"
    MIN_MONTHS = "MIN_MONTHS"
    RESAMPLING = "RESAMPLING"
    SCALE = "SCALE"
    OFFSET = "OFFSET"
    VALID_MIN = "VALID_MIN"
    VALID_MAX = "VALID_MAX"
    STACK = "STACK"

    TIME_STEPS = prepare.TIME_STEPS
    RESAMPLINGS = tuple(prepare.RESAMPLING)

    NAME = "preparestack"
    DISPLAY_NAME = "Prepare an aligned yearly stack"
    TAGS = "preprocessing,resample,reproject,align,warp,netcdf,modis,hdf,monthly to annual,stack,mask,clip"
    HELP = """
Turns the files of one variable as they were downloaded (GeoTIFF, netCDF variables, HDF subdatasets such as
MODIS, anything GDAL reads, in any CRS and resolution, yearly or monthly) into the aligned yearly stack every
other algorithm takes: one multi-band GeoTIFF on the reference grid, one band per year with the year as its
description, masked by the study boundary (docs/method.md, "Data preparation"). This is the study's
preprocessing: all spatial data resampled to one resolution and projected into one coordinate system. Run it
once per variable (NPP, NDVI, precipitation, temperature, DEM, land use …) with the same grid and boundary,
so that all stacks share one grid and one mask; in a model, chain one instance per variable.

Steps

- Dates: from the CF time axis of netCDF files (time with its units and calendar), else the band description
or YEAR/DATE metadata, else the file name (npp_2003.tif, pr_2003_07.tif, MOD17A3HGF.A2003001…hdf), else the
years given. A file without any, or the same year (month) on two inputs, stops the run naming the files.
- Values: stored values equal to nodata or outside the valid range (in stored units, as the product guides
give it: MODIS NPP 0–32700; the fill codes 32761–32767 are not data) are missing; then value = stored ×
scale + offset (empty: the raster's own scale and offset).
- Alignment: GDAL Warp reprojects and resamples the valid values to the grid: average (default: the mean of
the valid source pixels covering each pixel, weighted by coverage) or bilinear for continuous data, mode
(most frequent) or nearest for classes; missing values never enter an average. The grid is a reference
raster's, or a CRS, a pixel size and an extent (by default the boundary's, else the inputs'), its edges
snapped to multiples of the pixel size. A raster without a CRS is used only if it is already on the grid.
- Monthly to annual: annual sum (precipitation: the mean of the valid months × 12, which is the plain sum when
all 12 are valid) or mean (temperature); a pixel with fewer valid months than the minimum (default 12) is
nodata.
- Mask: pixels whose centre is outside the study boundary, and pixels of the classes to leave out (e.g. water,
built-up, from a land-use raster taken to the grid by nearest neighbour) are nodata in every band.

The log and the optional table say, for every input band, its date and where it came from, its CRS and pixel
size, how it was resampled, nodata, valid range (values masked), scale and offset.

References

Bao, Y. et al. (2026) Arid Land Geography 49(4):740–755, section 2.1. Eaton, B. et al. (2023) NetCDF Climate
and Forecast (CF) Metadata Conventions 1.11, sections 4.4 and 8.1. Running, S. W. & Zhao, M. (2021) MOD17
User's Guide, collection 6.1 (valid range and fill values). GDAL Warp: https://gdal.org/programs/gdalwarp.html
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self._add_source_parameters()
        self._add_value_parameters()
        self._add_grid_parameters()
        engine.add_memory_parameter(self)
        engine.add_raster_output(self, self.STACK, required=True)
        engine.add_table_output(self, self.PREPARATION_TABLE)

    def _add_source_parameters(self):
        """The downloads (files or a folder), what they hold and their time step."""
        self._add(engine.StackParameter, self.SOURCES, QgsProcessing.TypeRaster, optional=True)
        self._add(
            QgsProcessingParameterFile, self.FOLDER, behavior=QgsProcessingParameterFile.Folder, optional=True
        )
        self._add(
            QgsProcessingParameterString,
            self.PATTERN,
            defaultValue="*.tif;*.tiff;*.nc;*.hdf;*.h5",
            optional=True,
        )
        self._add(QgsProcessingParameterString, self.VARIABLE, "Variable")
        steps = [
            self.tr("Yearly (one band per year)"),
            self.tr("Monthly → annual sum (e.g. precipitation)"),
            self.tr("Monthly → annual mean (e.g. temperature)"),
            self.tr("Static (one band, no year: DEM, soil…)"),
        ]
        self._add(QgsProcessingParameterEnum, self.TIME_STEP, options=steps, defaultValue=0)
        years = QgsProcessingParameterString(self.YEARS, vocabulary.label(self.YEARS), optional=True)
        self.addParameter(
            with_help(
                years,
                self.tr(
                    "Yearly time step only: the years of the input bands in input order, e.g. 2001-2024."
                ),
            )
        )
        integer = QgsProcessingParameterNumber.Integer
        self._add(
            QgsProcessingParameterNumber, self.MIN_MONTHS, integer, defaultValue=12, minValue=1, maxValue=12
        )

    def _add_value_parameters(self):
        """How stored values become values: resampling, scale and offset, valid range, nodata."""
        self._add(QgsProcessingParameterEnum, self.RESAMPLING, options=list(self.RESAMPLINGS), defaultValue=0)
        for name in (self.SCALE, self.OFFSET, self.VALID_MIN, self.VALID_MAX):
            self._add(QgsProcessingParameterNumber, name, QgsProcessingParameterNumber.Double, optional=True)
        engine.add_nodata_parameter(self, self.SOURCES, vocabulary.label(self.SOURCES))

    # ----------------------------------------------------------------------------------------- inputs

    def _variable(self, parameters, context):
        def number(name):
            if parameters.get(name) in (None, ""):
                return None
            return self.parameterAsDouble(parameters, name, context)

        return prepare.Variable(
            name=self.parameterAsString(parameters, self.VARIABLE, context).strip() or "Variable",
            resampling=self.RESAMPLINGS[self.parameterAsEnum(parameters, self.RESAMPLING, context)],
            time_step=self.TIME_STEPS[self.parameterAsEnum(parameters, self.TIME_STEP, context)],
            scale=number(self.SCALE),
            offset=number(self.OFFSET),
            valid_min=number(self.VALID_MIN),
            valid_max=number(self.VALID_MAX),
            nodata=number(self.SOURCES + engine.NODATA_SUFFIX),
            min_months=self.parameterAsInt(parameters, self.MIN_MONTHS, context),
            years=self.parameterAsString(parameters, self.YEARS, context).strip() or None,
        )

    # -------------------------------------------------------------------------------------------- run
    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        variable = self._variable(parameters, context)
        sources, names = self._sources(parameters, context)
        bands = prepare.date_sources(variable, sources, names)
        grid, origin, mask, mask_notes = self._grid_and_mask(parameters, context, bands)
        out_path = self.parameterAsOutputLayer(parameters, self.STACK, context)
        engine.output_spec(self, parameters, context, self.STACK, variable.name, key="check")  # a .tif
        feedback.pushInfo(self._describe(variable, bands, grid, origin))
        for note in mask_notes:
            feedback.pushInfo(note)
        memory = self.parameterAsInt(parameters, engine.MEMORY_MB, context) or raster.DEFAULT_MEMORY_MB
        spec, report = prepare.prepare_variable(
            variable,
            bands,
            grid,
            out_path,
            mask,
            progress=feedback.setProgress,
            is_cancelled=feedback.isCanceled,
            memory_mb=memory,
        )
        guard = getattr(self, "io_guard", None)
        if guard is not None:
            guard.hold([spec])
        else:
            raster.commit_output(spec)
        for note in report.notes:
            feedback.pushInfo(note)
        for line in log_lines(report.rows):
            feedback.pushInfo(line)
        for warning in report.warnings:
            feedback.pushWarning(warning)
        years = report.years
        feedback.pushInfo(
            self.tr("{}: {} band(s) written to {}: {}; {:,} pixels inside the study area.").format(
                variable.name,
                max(1, len(years)),
                out_path,
                raster.format_years(years) if years else self.tr("static"),
                report.mask_pixels,
            )
        )
        results = {self.STACK: out_path, "YEARS": ",".join(str(y) for y in years)}
        table = self._write_table(parameters, context, report.rows)
        if table:
            results[self.PREPARATION_TABLE] = table
        return results

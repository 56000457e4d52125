"""Downloads to an aligned yearly stack: the study's preprocessing (section 2.1), one variable per run."""

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterCrs,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)

from ..core.engine import prepare, raster
from .support import raster_engine as engine
from .support import vector_io
from .support.base import CarbonSinkAlgorithm


class PrepareStack(CarbonSinkAlgorithm):
    INPUT = "INPUT"
    FOLDER = "FOLDER"
    PATTERN = "PATTERN"
    VARIABLE = "VARIABLE"
    TIME_STEP = "TIME_STEP"
    YEARS = "YEARS"
    MIN_MONTHS = "MIN_MONTHS"
    RESAMPLING = "RESAMPLING"
    SCALE = "SCALE"
    OFFSET = "OFFSET"
    VALID_MIN = "VALID_MIN"
    VALID_MAX = "VALID_MAX"
    REFERENCE = "REFERENCE"
    TARGET_CRS = "TARGET_CRS"
    PIXEL_SIZE = "PIXEL_SIZE"
    EXTENT = "EXTENT"
    BOUNDARY = "BOUNDARY"
    MASK = "MASK"
    MASK_CLASSES = "MASK_CLASSES"
    OUTPUT = "OUTPUT"
    PREPARATION_TABLE = "PREPARATION_TABLE"

    TIME_STEPS = prepare.TIME_STEPS
    RESAMPLINGS = tuple(prepare.RESAMPLING)

    NAME = "preparestack"
    DISPLAY_NAME = "Prepare an aligned yearly stack"
    GROUP_ID = "preparation"
    HELP = """
<p>Turns the files of one variable as they were downloaded — GeoTIFF, netCDF variables, HDF subdatasets
(MODIS), anything GDAL reads, in any CRS and resolution, yearly or monthly — into the aligned yearly
stack every other algorithm takes: one multi-band GeoTIFF on the reference grid, one band per year with
the year as its description, masked by the study boundary. This is the study's preprocessing ("all
spatial data were resampled to a consistent resolution and projected into a unified coordinate system",
section 2.1). Run it once per variable (NPP, NDVI, precipitation, temperature, DEM, land use…) with the
same reference grid and boundary, so that all stacks share one grid and one mask; in a model, chain one
instance per variable.</p>
<h3>Steps</h3>
<p><b>Dates</b>: from the CF time axis of netCDF files (<i>time</i> with its units and calendar), else the
band description or YEAR/DATE metadata, else the file name (npp_2003.tif, pr_2003_07.tif,
MOD17A3HGF.A2003001…hdf), else the <i>Years</i> given. A file without any, or the same year (month) on
two inputs, stops the run naming the files.<br>
<b>Values</b>: stored values equal to nodata or outside the valid range (in stored units, as the product
guides give it: MODIS NPP 0–32700; the fill codes 32761–32767 are not data) are missing; then value =
stored × scale + offset (empty: the raster's own scale and offset).<br>
<b>Alignment</b>: GDAL Warp reprojects and resamples the valid values to the grid: <i>average</i> (mean of
the valid source pixels covering each pixel, weighted by coverage) or <i>bilinear</i> for continuous
data, <i>mode</i> (most frequent) or <i>nearest</i> for classes; missing values never enter an average.
The grid is a reference raster's, or a CRS, a pixel size and an extent (by default the boundary's, else
the inputs'), its edges snapped to multiples of the pixel size. A raster without a CRS is used only if it
is already on the grid.<br>
<b>Monthly → annual</b>: annual sum (precipitation: mean of the valid months × 12, which is the plain sum
when all 12 are valid) or mean (temperature); a pixel with fewer valid months than the minimum is nodata.<br>
<b>Mask</b>: pixels whose centre is outside the study boundary, and pixels of the classes to leave out
(e.g. water, built-up, from a land-use raster taken to the grid by nearest neighbour) are nodata in
every band.</p>
<p>The log and the optional table say, for every input band, its date and where it came from, its CRS
and pixel size, how it was resampled, nodata, valid range (values masked), scale and offset.</p>
<h3>References</h3>
<p>Bao et al. (2026) Arid Land Geography 49(4): 740–755, section 2.1. Eaton, B. et al. (2023) NetCDF
Climate and Forecast (CF) Metadata Conventions 1.11, §4.4, §8.1. Running, S. W. &amp; Zhao, M. (2021)
MOD17 User's Guide, collection 6.1 (valid range and fill values). GDAL Warp:
https://gdal.org/programs/gdalwarp.html</p>
"""

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.addParameter(
            engine.StackParameter(
                self.INPUT,
                self.tr("Input layers or files (GeoTIFF, netCDF variables, HDF subdatasets)"),
                QgsProcessing.TypeRaster,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.FOLDER,
                self.tr("…or a folder of downloaded files"),
                behavior=QgsProcessingParameterFile.Folder,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.PATTERN,
                self.tr("File pattern in the folder (separated by ';', e.g. *NPP*.tif;*.nc)"),
                defaultValue="*.tif;*.tiff;*.nc;*.hdf;*.h5",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.VARIABLE, self.tr("Variable name (for the log and table)"), "Variable"
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.TIME_STEP,
                self.tr("Time step of the inputs"),
                options=[
                    self.tr("Yearly (one band per year)"),
                    self.tr("Monthly → annual sum (e.g. precipitation)"),
                    self.tr("Monthly → annual mean (e.g. temperature)"),
                    self.tr("Static (one band, no year: DEM, soil…)"),
                ],
                defaultValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.YEARS,
                self.tr(
                    "Years of the bands in input order, e.g. 2001-2024 (yearly; empty: from time axes, band "
                    "descriptions or file names)"
                ),
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.MIN_MONTHS,
                self.tr("Minimum of valid months per year (monthly time steps)"),
                QgsProcessingParameterNumber.Integer,
                defaultValue=12,
                minValue=1,
                maxValue=12,
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.RESAMPLING,
                self.tr("Resampling (average or bilinear for continuous data, mode or nearest for classes)"),
                options=list(self.RESAMPLINGS),
                defaultValue=0,
            )
        )
        for name, label in (
            (self.SCALE, self.tr("Scale: value = stored × scale + offset (empty: the raster's own)")),
            (self.OFFSET, self.tr("Offset (empty: the raster's own)")),
            (self.VALID_MIN, self.tr("Smallest valid stored value (e.g. 0 for MODIS NPP)")),
            (
                self.VALID_MAX,
                self.tr("Largest valid stored value (e.g. 32700 for MODIS NPP: 32761–32767 are fill)"),
            ),
        ):
            self.addParameter(
                QgsProcessingParameterNumber(name, label, QgsProcessingParameterNumber.Double, optional=True)
            )
        engine.add_nodata_parameter(self, self.INPUT, self.tr("Inputs"))
        self.addParameter(
            QgsProcessingParameterRasterLayer(
                self.REFERENCE,
                self.tr("Reference grid (a raster whose CRS, pixels and extent to take)"),
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterCrs(
                self.TARGET_CRS, self.tr("…or the grid's CRS (empty: the first input's)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.PIXEL_SIZE,
                self.tr("Pixel size in the grid's CRS units (empty: the first input's, same CRS only)"),
                QgsProcessingParameterNumber.Double,
                optional=True,
                minValue=0.0,
            )
        )
        self.addParameter(
            QgsProcessingParameterExtent(
                self.EXTENT, self.tr("Grid extent (empty: the boundary's, else the inputs')"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.BOUNDARY,
                self.tr("Study boundary (polygons; pixels outside are nodata)"),
                [QgsProcessing.TypeVectorPolygon],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterRasterLayer(
                self.MASK, self.tr("Class raster for classes to leave out (e.g. land use)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.MASK_CLASSES,
                self.tr("Classes to leave out, e.g. 13,17 (water, built-up)"),
                optional=True,
            )
        )
        engine.add_memory_parameter(self)
        engine.add_raster_output(
            self, self.OUTPUT, self.tr("Aligned stack (one band per year)"), required=True
        )
        engine.add_table_output(self, self.PREPARATION_TABLE, self.tr("What was done to each input"))

    # ----------------------------------------------------------------------------------------- inputs
    def _sources(self, parameters, context):
        sources, names = [], []
        if parameters.get(self.INPUT) not in (None, "", []):
            sources, names = engine.stack_sources(self, parameters, context, self.INPUT)
        folder = self.parameterAsFile(parameters, self.FOLDER, context)
        if folder:
            pattern = self.parameterAsString(parameters, self.PATTERN, context)
            found = prepare.find_sources(folder, pattern)
            sources += found
            names += [prepare.netcdf.display_name(f) for f in found]
        if not sources:
            raise QgsProcessingException(
                self.tr("No input: give input layers or files, or a folder of downloaded files.")
            )
        return sources, names

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
            nodata=number(self.INPUT + engine.NODATA_SUFFIX),
            min_months=self.parameterAsInt(parameters, self.MIN_MONTHS, context),
            years=self.parameterAsString(parameters, self.YEARS, context).strip() or None,
        )

    def _grid_crs(self, parameters, context, bands):
        """The grid's CRS: the CRS given, else the first input's (which must have one)."""
        crs = self.parameterAsCrs(parameters, self.TARGET_CRS, context)
        if crs.isValid():
            return crs.toWkt(QgsCoordinateReferenceSystem.WKT_PREFERRED_GDAL)
        wkt = prepare.source_grid(bands[0].source, bands[0].layer).crs_wkt
        if not wkt:
            raise raster.RasterInputError(
                f"Layer '{bands[0].layer}' has no CRS and no reference grid or CRS was given, so the inputs "
                "cannot be aligned. Give a reference raster, or the grid's CRS and pixel size, or assign the "
                "layer's CRS (Raster ▸ Projections ▸ Assign Projection)."
            )
        return wkt

    def _grid(self, parameters, context, bands, wkt, boundary):
        """The grid from a CRS, a pixel size and an extent (given, the boundary's or the inputs')."""
        first = prepare.source_grid(bands[0].source, bands[0].layer)
        qcrs = QgsCoordinateReferenceSystem.fromWkt(wkt)
        size = parameters.get(self.PIXEL_SIZE)
        if size in (None, ""):
            same = first.crs_wkt and QgsCoordinateReferenceSystem.fromWkt(first.crs_wkt) == qcrs
            if not same:
                raise QgsProcessingException(
                    self.tr(
                        "Give the pixel size of the grid: the first input '{}' is not in the grid's CRS ({}), so "
                        "its pixel size cannot be taken."
                    ).format(bands[0].layer, qcrs.authid() or qcrs.description())
                )
            size = abs(first.geotransform[1])
        else:
            size = self.parameterAsDouble(parameters, self.PIXEL_SIZE, context)
        if parameters.get(self.EXTENT) not in (None, ""):
            ext = self.parameterAsExtent(parameters, self.EXTENT, context, qcrs)
            extent = (ext.xMinimum(), ext.yMinimum(), ext.xMaximum(), ext.yMaximum())
            origin = "the extent given"
        elif boundary is not None:
            box = boundary.boundingBox()
            extent = (box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum())
            origin = "the study boundary's extent"
        else:
            extent = prepare.sources_extent(bands, wkt)
            origin = "the inputs' extent"
        anchor = (0.0, 0.0)
        if first.crs_wkt and QgsCoordinateReferenceSystem.fromWkt(first.crs_wkt) == qcrs:
            anchor = (first.geotransform[0], first.geotransform[3])  # keep the first input's pixels whole
        return prepare.grid_from_extent(wkt, size, extent, anchor), origin

    def _boundary(self, parameters, context, crs_wkt):
        """The boundary polygons as one geometry in ``crs_wkt`` (None without a boundary)."""
        source = self.parameterAsSource(parameters, self.BOUNDARY, context)
        if source is None:
            return None, None
        target = QgsCoordinateReferenceSystem.fromWkt(crs_wkt) if crs_wkt else source.sourceCrs()
        transform = QgsCoordinateTransform(source.sourceCrs(), target, context.transformContext())
        request = QgsFeatureRequest().setNoAttributes()
        geoms = []
        for feat in source.getFeatures(request):
            g = QgsGeometry(feat.geometry())
            if g.isNull() or g.isEmpty():
                continue
            g.transform(transform)
            geoms.append(g)
        name = source.sourceName() or self.tr("Study boundary")
        if not geoms:
            raise QgsProcessingException(self.tr("Study boundary '{}' holds no polygon").format(name))
        return QgsGeometry.unaryUnion(geoms), name

    # -------------------------------------------------------------------------------------------- run
    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        variable = self._variable(parameters, context)
        sources, names = self._sources(parameters, context)
        bands = prepare.date_sources(variable, sources, names)
        reference = self.parameterAsRasterLayer(parameters, self.REFERENCE, context)
        if reference is not None:
            grid = prepare.grid_from_reference(engine.layer_source(self, reference), reference.name())
            boundary, boundary_name = self._boundary(parameters, context, grid.crs_wkt)
            origin = None
        else:  # the boundary, in the grid's CRS, may give the grid's extent
            crs_wkt = self._grid_crs(parameters, context, bands)
            boundary, boundary_name = self._boundary(parameters, context, crs_wkt)
            grid, origin = self._grid(parameters, context, bands, crs_wkt, boundary)
        exclude = None
        mask_layer = self.parameterAsRasterLayer(parameters, self.MASK, context)
        codes = self._codes(parameters, context)
        if mask_layer is not None and codes:
            exclude = (engine.layer_source(self, mask_layer), mask_layer.name(), codes)
        elif mask_layer is not None or codes:
            raise QgsProcessingException(
                self.tr("Classes to leave out need both the class raster and the class codes (e.g. 13,17).")
            )
        mask, mask_notes = prepare.study_mask(
            grid,
            boundary.asWkt() if boundary is not None else None,
            f"Study boundary '{boundary_name}'",
            exclude,
        )
        out_path = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        engine.output_spec(self, parameters, context, self.OUTPUT, variable.name, key="check")  # a .tif
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
        for line in _log_lines(report.rows):
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
        results = {self.OUTPUT: out_path, "YEARS": ",".join(str(y) for y in years)}
        table = self._write_table(parameters, context, report.rows)
        if table:
            results[self.PREPARATION_TABLE] = table
        return results

    def _codes(self, parameters, context):
        text = self.parameterAsString(parameters, self.MASK_CLASSES, context).strip()
        if not text:
            return []
        try:
            return [float(c) for c in text.replace(";", ",").split(",") if c.strip()]
        except ValueError as exc:
            raise QgsProcessingException(
                self.tr("Classes to leave out: '{}' is not a list of class codes like 13,17").format(text)
            ) from exc

    def _describe(self, variable, bands, grid, origin):
        x0, dx, _, y0, _, dy = grid.geotransform
        crs = QgsCoordinateReferenceSystem.fromWkt(grid.crs_wkt)
        step = {
            "yearly": "yearly",
            "monthly_sum": f"monthly → annual sum (at least {variable.min_months} valid months)",
            "monthly_mean": f"monthly → annual mean (at least {variable.min_months} valid months)",
            "static": "static",
        }[variable.time_step]
        where = f" from {origin}" if origin else " from the reference raster"
        return self.tr(
            "{}: {} band(s) of {} input(s), {}; grid {} × {} pixels of {:g} × {:g} in {}{} (upper left {:.6g}, "
            "{:.6g}); resampling {}."
        ).format(
            variable.name,
            len(bands),
            len({b.source for b in bands}),
            step,
            grid.xsize,
            grid.ysize,
            abs(dx),
            abs(dy),
            crs.authid() or crs.description() or "no CRS",
            where,
            x0,
            y0,
            variable.resampling,
        )

    def _write_table(self, parameters, context, rows):
        if not rows:
            return None
        keys = list(rows[0])
        columns = {}
        for k in keys:
            values = [r[k] for r in rows]
            if k in ("band", "year", "month", "out_of_range", "valid_pixels"):
                columns[k] = np.array([np.nan if v is None else v for v in values], dtype=float)
            else:
                columns[k] = np.array(["" if v is None else str(v) for v in values], dtype=object)
        return vector_io.write_table(self, parameters, self.PREPARATION_TABLE, context, columns)


def _log_lines(rows):
    """One line per run of bands of one input treated alike (the table keeps a row per band)."""
    lines, run = [], []

    def flush():
        if not run:
            return
        first, last = run[0], run[-1]
        bands = f"band {first['band']}" if len(run) == 1 else f"bands {first['band']}–{last['band']}"

        def when(r):
            if r["year"] is None:
                return ""
            return f"{r['year']}" + (f"-{r['month']:02d}" if r["month"] else "")

        dates = when(first) if len(run) == 1 else f"{when(first)} … {when(last)}"
        dated = f" ({dates}, from the {first['dated_by']})" if dates else ""
        valid = [r["valid_pixels"] for r in run]
        count = f"{valid[0]:,}" if min(valid) == max(valid) else f"{min(valid):,}–{max(valid):,}"
        lines.append(f"{first['layer']} {bands}{dated}: {first['what']}; {count} valid pixels on the grid.")
        run.clear()

    for row in rows:
        if run and (row["layer"] != run[-1]["layer"] or row["what"] != run[-1]["what"]):
            flush()
        run.append(row)
    flush()
    return lines

"""Downloads to an aligned yearly stack: the study's preprocessing (docs/method.md, "Data preparation"), one variable per run."""

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
from .support import vector_io, vocabulary
from .support.base import CarbonSinkAlgorithm
from .support.vocabulary import with_help


class PrepareStack(CarbonSinkAlgorithm):
    SOURCES = "SOURCES"
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
    STACK = "STACK"
    PREPARATION_TABLE = "PREPARATION_TABLE"

    TIME_STEPS = prepare.TIME_STEPS
    RESAMPLINGS = tuple(prepare.RESAMPLING)

    NAME = "preparestack"
    DISPLAY_NAME = "Prepare an aligned yearly stack"
    GROUP_ID = "preparation"
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

    def _add(self, cls, name, *args, **kwargs):
        """A parameter of class ``cls`` named, labelled and explained by the vocabulary."""
        self.addParameter(with_help(cls(name, vocabulary.label(name), *args, **kwargs)))

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

    def _add_grid_parameters(self):
        """The grid (a reference raster, or CRS, pixel size and extent) and the mask (boundary, classes)."""
        self._add(QgsProcessingParameterRasterLayer, self.REFERENCE, optional=True)
        self._add(QgsProcessingParameterCrs, self.TARGET_CRS, optional=True)
        double = QgsProcessingParameterNumber.Double
        self._add(QgsProcessingParameterNumber, self.PIXEL_SIZE, double, optional=True, minValue=0.0)
        self._add(QgsProcessingParameterExtent, self.EXTENT, optional=True)
        polygons = [QgsProcessing.TypeVectorPolygon]
        self._add(QgsProcessingParameterFeatureSource, self.BOUNDARY, polygons, optional=True)
        self._add(QgsProcessingParameterRasterLayer, self.MASK, optional=True)
        self._add(QgsProcessingParameterString, self.MASK_CLASSES, optional=True)

    # ----------------------------------------------------------------------------------------- inputs
    def _sources(self, parameters, context):
        sources, names = [], []
        if parameters.get(self.SOURCES) not in (None, "", []):
            sources, names = engine.stack_sources(self, parameters, context, self.SOURCES)
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
            nodata=number(self.SOURCES + engine.NODATA_SUFFIX),
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
        results = {self.STACK: out_path, "YEARS": ",".join(str(y) for y in years)}
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

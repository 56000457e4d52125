"""What the preparation algorithms share (preparestack, preparestacks): the grid (a reference raster, or a CRS,
a pixel size and an extent), the study boundary and the classes to leave out, the downloads (layers or a
folder), the log lines and the table of what was done to each input."""

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterCrs,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)

from ...core.engine import prepare, raster
from . import raster_engine as engine
from . import vector_io, vocabulary
from .base import CarbonSinkAlgorithm
from .vocabulary import with_help


class PreparationAlgorithm(CarbonSinkAlgorithm):
    """Base of the preparation algorithms: shared parameters, grid, mask, log and table."""

    SOURCES = "SOURCES"
    FOLDER = "FOLDER"
    PATTERN = "PATTERN"
    REFERENCE = "REFERENCE"
    TARGET_CRS = "TARGET_CRS"
    PIXEL_SIZE = "PIXEL_SIZE"
    EXTENT = "EXTENT"
    BOUNDARY = "BOUNDARY"
    MASK = "MASK"
    MASK_CLASSES = "MASK_CLASSES"
    PREPARATION_TABLE = "PREPARATION_TABLE"
    GROUP_ID = "preparation"

    def _add(self, cls, name, *args, **kwargs):
        """A parameter of class ``cls`` named, labelled and explained by the vocabulary."""
        self.addParameter(with_help(cls(name, vocabulary.label(name), *args, **kwargs)))

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

    def _grid_and_mask(self, parameters, context, bands):
        """``(grid, origin, mask, notes)``: the grid (a reference, or CRS, pixel size and extent: given, the
        boundary's or the inputs') and the study mask on it (boundary, classes to leave out)."""
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
        mask, notes = prepare.study_mask(
            grid,
            boundary.asWkt() if boundary is not None else None,
            f"Study boundary '{boundary_name}'",
            exclude,
        )
        return grid, origin, mask, notes


def log_lines(rows):
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

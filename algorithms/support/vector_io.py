"""The one QGIS adapter for point layers and tables: features to numpy columns, columns to sinks.

Algorithms read a point layer (plots, samples) with :func:`read_points`, which returns coordinates in the
CRS the caller asks for (the rasters' CRS) and the chosen fields as numpy columns, with messages that name
the layer, the field and the feature when something is wrong. Results go back out with :func:`write_table`
(points or a plain table) through a Processing feature sink.
"""

from dataclasses import dataclass, field

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsWkbTypes,
)

from .compat import FieldType


@dataclass
class PointTable:
    """Points as columns: feature ids, coordinates in the requested CRS, and field values.

    Numeric fields are float64 arrays with NaN for NULL; text fields are object arrays with None for NULL.
    """

    layer: str
    ids: np.ndarray
    x: np.ndarray
    y: np.ndarray
    columns: dict = field(default_factory=dict)

    def __len__(self):
        return self.ids.size


def is_null(value):
    """A NULL attribute: None, or a NULL QVariant."""
    return value is None or (hasattr(value, "isNull") and value.isNull())


def _check_fields(alg, layer_name, layer_fields, fields, numeric, text_numbers=False):
    """Each field exists; those in ``numeric`` are numeric (or text, with ``text_numbers``: CSV files
    read without type detection give text, parsed later)."""
    for fname in fields:
        index = layer_fields.lookupField(fname)
        if index < 0:
            raise QgsProcessingException(
                alg.tr("Layer '{}' has no field '{}'; its fields are: {}").format(
                    layer_name, fname, ", ".join(layer_fields.names())
                )
            )
        qfield = layer_fields.at(index)
        if fname in numeric and not (
            qfield.isNumeric() or (text_numbers and qfield.type() == FieldType.String)
        ):
            raise QgsProcessingException(
                alg.tr("Field '{}' of layer '{}' must be numeric; it is of type '{}'").format(
                    fname, layer_name, qfield.typeName()
                )
            )


def read_points(alg, source, context, fields, crs_wkt=None, numeric=(), feedback=None, layer_name=None):
    """Read a point source into a :class:`PointTable`.

    Parameters
    ----------
    alg : QgsProcessingAlgorithm
        For messages (``alg.tr``).
    source : QgsProcessingFeatureSource
        From ``parameterAsSource``; None raises a clear error.
    fields : sequence of str
        Fields to read; each must exist.
    crs_wkt : str, optional
        CRS to return coordinates in (e.g. the rasters' ``Grid.crs_wkt``); default the layer's own.
    numeric : sequence of str
        Fields among ``fields`` that must be numeric (error naming the field and its type otherwise).
    """
    name = layer_name or (source.sourceName() if source is not None else "")
    if source is None:
        raise QgsProcessingException(alg.tr("No point layer given"))
    layer_fields = source.fields()
    _check_fields(alg, name, layer_fields, fields, numeric)
    transform = None
    if crs_wkt:
        target = QgsCoordinateReferenceSystem.fromWkt(crs_wkt)
        if target.isValid() and source.sourceCrs().isValid() and target != source.sourceCrs():
            transform = QgsCoordinateTransform(source.sourceCrs(), target, context.transformContext())
    ids, xs, ys = [], [], []
    values = {f: [] for f in fields}
    request = QgsFeatureRequest().setSubsetOfAttributes(list(fields), layer_fields)
    for feat in source.getFeatures(request):
        geom = feat.geometry()
        if geom is None or geom.isNull() or geom.isEmpty():
            raise QgsProcessingException(
                alg.tr("Feature {} of layer '{}' has no geometry").format(feat.id(), name)
            )
        if QgsWkbTypes.geometryType(geom.wkbType()) != QgsWkbTypes.PointGeometry:
            raise QgsProcessingException(
                alg.tr("Layer '{}' must hold points; feature {} does not").format(name, feat.id())
            )
        point = geom.centroid().asPoint() if geom.isMultipart() else geom.asPoint()
        if transform is not None:
            point = transform.transform(point)
        ids.append(feat.id())
        xs.append(point.x())
        ys.append(point.y())
        for f in fields:
            v = feat[f]
            values[f].append(None if is_null(v) else v)
    columns = {}
    for f in fields:
        if f in numeric:
            columns[f] = np.array([np.nan if v is None else float(v) for v in values[f]], dtype=float)
        else:
            columns[f] = np.array(values[f], dtype=object)
    return PointTable(
        name, np.asarray(ids, dtype=np.int64), np.asarray(xs, float), np.asarray(ys, float), columns
    )


def read_table(alg, source, fields, numeric=()):
    """Columns of a table layer (any geometry or none): ``fields`` maps a role to a field name.

    Roles in ``numeric`` become float arrays (NaN for NULL); text that reads as a number is accepted (CSV
    files often come as text), anything else stops with the layer, field, feature and value named. Returns
    ``(columns by role, feature ids)``.
    """
    name = source.sourceName()
    _check_fields(
        alg,
        name,
        source.fields(),
        fields.values(),
        {fields[r] for r in numeric if r in fields},
        text_numbers=True,
    )
    values = {role: [] for role in fields}
    ids = []
    request = QgsFeatureRequest().setFlags(QgsFeatureRequest.NoGeometry)
    for feat in source.getFeatures(request):
        ids.append(feat.id())
        for role, fname in fields.items():
            v = feat[fname]
            v = None if is_null(v) else v
            if role in numeric and v is not None and not isinstance(v, (int, float)):
                text = str(v).strip()
                try:
                    v = float(text) if text else None
                except ValueError as exc:
                    raise QgsProcessingException(
                        alg.tr("Field '{}' of layer '{}', feature {}: '{}' is not a number").format(
                            fname, name, feat.id(), v
                        )
                    ) from exc
            values[role].append(v)
    columns = {}
    for role, vals in values.items():
        if role in numeric:
            columns[role] = np.array([np.nan if v is None else float(v) for v in vals], dtype=float)
        else:
            columns[role] = np.array(vals, dtype=object)
    return columns, np.asarray(ids, dtype=np.int64)


_QTYPES = {"f": FieldType.Double, "i": FieldType.LongLong, "u": FieldType.LongLong, "b": FieldType.Bool}


def write_table(alg, parameters, name, context, columns, x=None, y=None, crs_wkt=None):
    """Write numpy columns (dict name -> array, in order) to the feature sink ``name``.

    With ``x`` and ``y`` the rows are points in ``crs_wkt``; without, a plain table. Returns the sink's
    destination id, or None when the optional sink was not requested.
    """
    fields = QgsFields()
    for fname, col in columns.items():
        col = np.asarray(col)
        fields.append(QgsField(fname, _QTYPES.get(col.dtype.kind, FieldType.String)))
    geometry = QgsWkbTypes.Point if x is not None else QgsWkbTypes.NoGeometry
    crs = QgsCoordinateReferenceSystem.fromWkt(crs_wkt) if crs_wkt else QgsCoordinateReferenceSystem()
    sink, dest = alg.parameterAsSink(parameters, name, context, fields, geometry, crs)
    if sink is None:
        return None
    arrays = [np.asarray(c) for c in columns.values()]
    n = len(arrays[0]) if arrays else (len(x) if x is not None else 0)
    for i in range(n):
        feat = QgsFeature(fields)
        row = []
        for col in arrays:
            v = col[i]
            if isinstance(v, np.generic):
                v = v.item()
            if isinstance(v, float) and not np.isfinite(v):
                v = None
            row.append(v)
        feat.setAttributes(row)
        if x is not None:
            feat.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(x[i]), float(y[i]))))
        if not sink.addFeature(feat, QgsFeatureSink.FastInsert):
            raise QgsProcessingException(alg.tr("Could not write row {} to '{}'").format(i, name))
    return dest


def rasterize_zones(alg, source, zone_field, grid, context, path):
    """Burn polygon zones onto the exact grid of the rasters (GDAL Rasterize, pixel-centre rule).

    The zones are numbered 1..k in the order of their sorted ``zone_field`` values; returns the path of
    the zone GeoTIFF (nodata 0) and the ``{code: value}`` names.
    """
    from osgeo import gdal, ogr, osr

    if source is None:
        raise QgsProcessingException(alg.tr("No zone polygon layer given"))
    name = source.sourceName()
    if QgsWkbTypes.geometryType(source.wkbType()) != QgsWkbTypes.PolygonGeometry:
        raise QgsProcessingException(alg.tr("Zone layer '{}' must hold polygons").format(name))
    if source.fields().lookupField(zone_field) < 0:
        raise QgsProcessingException(alg.tr("Zone layer '{}' has no field '{}'").format(name, zone_field))
    target = QgsCoordinateReferenceSystem.fromWkt(grid.crs_wkt)
    transform = None
    if target.isValid() and source.sourceCrs().isValid() and target != source.sourceCrs():
        transform = QgsCoordinateTransform(source.sourceCrs(), target, context.transformContext())
    features = []
    for feat in source.getFeatures():
        geom = QgsGeometry(feat.geometry())
        if geom.isNull():
            continue
        if transform is not None:
            geom.transform(transform)
        value = feat[zone_field]
        if is_null(value):
            continue
        features.append((str(value), geom.asWkb()))
    values = sorted({v for v, _ in features})
    codes = {v: i + 1 for i, v in enumerate(values)}
    mem = ogr.GetDriverByName("Memory").CreateDataSource("zones")
    srs = osr.SpatialReference()
    srs.ImportFromWkt(grid.crs_wkt)
    layer = mem.CreateLayer("zones", srs, ogr.wkbUnknown)
    layer.CreateField(ogr.FieldDefn("zone_id", ogr.OFTInteger))
    for value, wkb in features:
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField("zone_id", codes[value])
        f.SetGeometry(ogr.CreateGeometryFromWkb(bytes(wkb)))
        layer.CreateFeature(f)
    ds = gdal.GetDriverByName("GTiff").Create(
        path, grid.xsize, grid.ysize, 1, gdal.GDT_Int32, ["TILED=YES", "COMPRESS=DEFLATE"]
    )
    ds.SetGeoTransform(grid.geotransform)
    ds.SetProjection(grid.crs_wkt)
    ds.GetRasterBand(1).SetNoDataValue(0)
    gdal.RasterizeLayer(ds, [1], layer, options=["ATTRIBUTE=zone_id"])
    ds = None
    return path, {c: v for v, c in codes.items()}

"""What the Global and Local Moran algorithms share: a raster band *or* a vector layer field as input.

The input parameters and their cross-checks, the chosen raster band as a one-band stack, and the features
of a vector layer read into arrays (values with NaN for NULL, polygon rings, points or centroids, true
areas) with their spatial weights built by :func:`core.spatial.feature_weights.feature_weights`.
"""

from dataclasses import dataclass, field

import numpy as np
from qgis.core import (
    QgsDistanceArea,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterBand,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsUnitTypes,
    QgsWkbTypes,
)

from ...core.engine import raster
from ...core.spatial.feature_weights import WEIGHT_TYPES, feature_weights
from . import raster_engine as engine
from .base import advanced
from .vector_io import is_null

INPUT_RASTER = "INPUT_RASTER"
BAND = "BAND"
INPUT_VECTOR = "INPUT_VECTOR"
FIELD = "FIELD"
WEIGHTS = "WEIGHTS"
K = "K"
DISTANCE = "DISTANCE"
AGGREGATE = "AGGREGATE"
PERMUTATIONS = "PERMUTATIONS"
SEED = "SEED"

WEIGHTS_HELP = """
<h3>Spatial weights</h3>
<p><b>Rasters</b>: queen (8 neighbours) or rook (4 neighbours) contiguity of pixels. Only <i>valid</i>
neighbours count (nodata and NaN are not valid), and each row is standardised over them:
w<sub>ij</sub> = 1/c<sub>i</sub> for the c<sub>i</sub> valid neighbours of pixel i. A valid pixel without a
valid neighbour is <i>isolated</i>: it is left out of n, the mean and every statistic, and reported
(class "Isolated" in the LISA map, never Low-Low). Optionally the raster is first aggregated to a coarser
grid, each coarse cell the mean of the valid pixels of a k × k block (the outputs are then on that grid);
this smooths pixel-level noise and shortens the run.<br>
<b>Vector layers</b>: queen or rook contiguity of polygons (a shared vertex / a shared edge, exact
coordinates), the k nearest neighbours, or a distance band (neighbours within the threshold, inclusive, in
layer units) of points or of polygon centroids; binary, then row-standardised. They are built as libpysal
builds them (the tests check the neighbour lists against libpysal) but with numpy and scipy only: PySAL is
not needed (libpysal 4.12 imports geopandas and pyproj, whose bundled PROJ library collides with QGIS's own
and crashes qgis_process on exit). Features with a NULL or non-finite value are left out
before the weights are built (so rows are standardised over valid neighbours); features that then have
no neighbour are isolated and handled as above. Distances on a geographic CRS are in degrees: project the
layer first.</p>
"""


# ---------------------------------------------------------------------------------------- parameters
def add_input_parameters(alg):
    """A raster (one band) or a vector layer + numeric field; weights; aggregation; permutations, seed."""
    engine.add_band_input(alg, INPUT_RASTER, alg.tr("Raster"), optional=True)
    alg.addParameter(
        QgsProcessingParameterBand(BAND, alg.tr("Band of the raster"), 1, INPUT_RASTER, optional=True)
    )
    alg.addParameter(
        QgsProcessingParameterFeatureSource(
            INPUT_VECTOR,
            alg.tr("…or a vector layer (polygons or points)"),
            [QgsProcessing.TypeVectorPolygon, QgsProcessing.TypeVectorPoint],
            optional=True,
        )
    )
    alg.addParameter(
        QgsProcessingParameterField(
            FIELD,
            alg.tr("Numeric field of the vector layer"),
            parentLayerParameterName=INPUT_VECTOR,
            type=QgsProcessingParameterField.Numeric,
            optional=True,
        )
    )
    alg.addParameter(
        QgsProcessingParameterEnum(
            WEIGHTS,
            alg.tr("Spatial weights (rasters: queen or rook only)"),
            options=[
                alg.tr("Queen contiguity"),
                alg.tr("Rook contiguity"),
                alg.tr("k nearest neighbours (vector)"),
                alg.tr("Distance band (vector)"),
            ],
            defaultValue=0,
        )
    )
    alg.addParameter(
        QgsProcessingParameterNumber(
            K, alg.tr("k (k nearest neighbours)"), QgsProcessingParameterNumber.Integer, 8, minValue=1
        )
    )
    alg.addParameter(
        QgsProcessingParameterNumber(
            DISTANCE,
            alg.tr("Distance band threshold (layer units)"),
            QgsProcessingParameterNumber.Double,
            0.0,
            minValue=0.0,
        )
    )
    alg.addParameter(
        QgsProcessingParameterNumber(
            AGGREGATE,
            alg.tr("Aggregate the raster to blocks of k × k pixels first (mean; 1 = no aggregation)"),
            QgsProcessingParameterNumber.Integer,
            1,
            minValue=1,
            maxValue=1000,
        )
    )
    alg.addParameter(
        QgsProcessingParameterNumber(
            PERMUTATIONS,
            alg.tr("Permutations"),
            QgsProcessingParameterNumber.Integer,
            999,
            minValue=19,
            maxValue=99999,
        )
    )
    alg.addParameter(
        advanced(
            QgsProcessingParameterNumber(
                SEED, alg.tr("Random seed"), QgsProcessingParameterNumber.Integer, 42, minValue=0
            )
        )
    )


def input_given(parameters, name):
    return parameters.get(name) not in (None, "")


def check_input_parameters(alg, parameters, context):
    """The cross-parameter checks of both algorithms: (ok, message)."""
    has_raster, has_vector = input_given(parameters, INPUT_RASTER), input_given(parameters, INPUT_VECTOR)
    if has_raster == has_vector:
        return False, alg.tr(
            "Give either a raster or a vector layer with a numeric field (exactly one of them)."
        )
    weights = WEIGHT_TYPES[alg.parameterAsEnum(parameters, WEIGHTS, context)]
    if has_raster and weights not in ("queen", "rook"):
        return False, alg.tr("Rasters use queen or rook contiguity of pixels; choose one of them as weights.")
    if has_vector:
        if not alg.parameterAsString(parameters, FIELD, context):
            return False, alg.tr("Choose the numeric field of the vector layer to analyse.")
        if alg.parameterAsInt(parameters, AGGREGATE, context) > 1:
            return False, alg.tr("Aggregation applies to rasters only; set it to 1 for a vector layer.")
        if weights == "distance" and not alg.parameterAsDouble(parameters, DISTANCE, context) > 0:
            return False, alg.tr("A distance band needs a threshold greater than 0 (in the layer's units).")
    return True, ""


def raster_band(alg, parameters, context):
    """The chosen band of the raster input as a one-band :class:`core.engine.raster.Stack`."""
    layer = alg.parameterAsRasterLayer(parameters, INPUT_RASTER, context)
    band = alg.parameterAsInt(parameters, BAND, context) or 1
    if band > layer.bandCount():
        raise QgsProcessingException(
            alg.tr("Layer '{}' has {} band(s); band {} does not exist").format(
                layer.name(), layer.bandCount(), band
            )
        )
    stack = raster.open_stack(alg.tr("Raster"), [engine.layer_source(alg, layer)], None, [layer.name()])
    return raster.Stack(stack.name, [stack.bands[band - 1]], np.zeros(1, dtype=np.int64), stack.grid)


def raster_options(alg, parameters, context):
    return {
        "contiguity": WEIGHT_TYPES[alg.parameterAsEnum(parameters, WEIGHTS, context)],
        "aggregate": alg.parameterAsInt(parameters, AGGREGATE, context),
        "memory_mb": alg.parameterAsInt(parameters, engine.MEMORY_MB, context) or raster.DEFAULT_MEMORY_MB,
    }


# ------------------------------------------------------------------------------------------ vectors
@dataclass
class VectorInput:
    """The features of the vector input: ids, values (NaN for NULL), geometry for the weights."""

    layer: str
    field_name: str
    fids: list
    values: np.ndarray
    polygons: bool
    area_m2: np.ndarray  # true (ellipsoidal) area of each polygon; NaN for points
    rings: list = field(default_factory=list)  # (feature index, ring coordinates) of polygons
    xy: np.ndarray | None = None  # points or polygon centroids


def _rings(geom):
    """Coordinates of every ring of every part of a polygon geometry (curves segmentised)."""
    if QgsWkbTypes.isCurvedType(geom.wkbType()):
        geom = QgsGeometry(geom)
        geom.convertToStraightSegment()
    parts = geom.asMultiPolygon() if geom.isMultipart() else [geom.asPolygon()]
    return [np.array([(p.x(), p.y()) for p in ring], dtype=float) for part in parts for ring in part]


def read_vector_input(alg, parameters, context, weights, feedback):
    source = alg.parameterAsSource(parameters, INPUT_VECTOR, context)
    if source is None:
        raise QgsProcessingException(alg.invalidSourceError(parameters, INPUT_VECTOR))
    name = source.sourceName()
    fname = alg.parameterAsString(parameters, FIELD, context)
    index = source.fields().lookupField(fname)
    if index < 0:
        raise QgsProcessingException(alg.tr("Layer '{}' has no field '{}'").format(name, fname))
    if not source.fields().at(index).isNumeric():
        raise QgsProcessingException(
            alg.tr("Field '{}' of layer '{}' must be numeric; it is of type '{}'").format(
                fname, name, source.fields().at(index).typeName()
            )
        )
    gtype = QgsWkbTypes.geometryType(source.wkbType())
    polygons = gtype == QgsWkbTypes.PolygonGeometry
    if gtype not in (QgsWkbTypes.PolygonGeometry, QgsWkbTypes.PointGeometry):
        raise QgsProcessingException(alg.tr("Layer '{}' must hold polygons or points").format(name))
    if not polygons and weights in ("queen", "rook"):
        raise QgsProcessingException(
            alg.tr(
                "Layer '{}' holds points: queen and rook contiguity need polygons. Use k nearest neighbours "
                "or a distance band."
            ).format(name)
        )
    area = QgsDistanceArea()
    area.setSourceCrs(source.sourceCrs(), context.transformContext())
    area.setEllipsoid(context.ellipsoid() or "WGS84")
    fids, values, rings, xy, areas = [], [], [], [], []
    request = QgsFeatureRequest().setSubsetOfAttributes([index])
    for i, feat in enumerate(source.getFeatures(request)):
        geom = feat.geometry()
        if geom is None or geom.isNull() or geom.isEmpty():
            raise QgsProcessingException(
                alg.tr("Feature {} of layer '{}' has no geometry").format(feat.id(), name)
            )
        v = feat.attribute(index)
        fids.append(feat.id())
        values.append(np.nan if is_null(v) else float(v))
        if polygons:
            if weights in ("queen", "rook"):
                rings.extend((i, ring) for ring in _rings(geom))
            m2 = area.convertAreaMeasurement(area.measureArea(geom), QgsUnitTypes.AreaSquareMeters)
            areas.append(m2)
        else:
            areas.append(np.nan)
        point = geom.centroid().asPoint() if (polygons or geom.isMultipart()) else geom.asPoint()
        xy.append((point.x(), point.y()))
    if not fids:
        raise QgsProcessingException(alg.tr("Layer '{}' has no features").format(name))
    if source.sourceCrs().isGeographic() and weights in ("knn", "distance"):
        feedback.pushWarning(
            alg.tr(
                "Layer '{}' has a geographic CRS: neighbour distances are measured in degrees. Reproject the "
                "layer to a projected CRS for distance-based weights."
            ).format(name),
        )
    return VectorInput(
        name,
        fname,
        fids,
        np.asarray(values, float),
        polygons,
        np.asarray(areas, float),
        rings,
        np.asarray(xy, float),
    )


def read_vector_weights(alg, parameters, context, feedback):
    """The features of the vector input and their spatial weights (:class:`FeatureWeights`); logs the counts."""
    kind = WEIGHT_TYPES[alg.parameterAsEnum(parameters, WEIGHTS, context)]
    data = read_vector_input(alg, parameters, context, kind, feedback)
    weights = feature_weights(
        data.values,
        kind,
        rings=data.rings,
        xy=data.xy,
        polygons=data.polygons,
        k=alg.parameterAsInt(parameters, K, context),
        distance=alg.parameterAsDouble(parameters, DISTANCE, context),
        layer=data.layer,
        field=data.field_name,
    )
    feedback.pushInfo(
        alg.tr(
            "'{}', field '{}': {:,} features; {:,} analysed with {}, row-standardised; {:,} isolated (no "
            "neighbour with a value); {:,} without a value."
        ).format(
            data.layer,
            data.field_name,
            len(data.fids),
            weights.index.size,
            weights.description,
            weights.isolated.size,
            weights.missing.size,
        )
    )
    return data, weights

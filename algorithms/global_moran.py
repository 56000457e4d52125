"""Global Moran's I of a raster band or of a vector layer field (METHOD.md step 12).

Also holds what the Global and Local Moran algorithms share: the input parameters (a raster *or* a
vector layer and field), their checks, and the spatial weights of a vector layer.
"""

from dataclasses import dataclass, field

import numpy as np
from qgis.core import (
    QgsDistanceArea,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBand,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsUnitTypes,
    QgsWkbTypes,
)

from ..core.engine import raster
from ..core.spatial import moran, moran_raster
from .support import raster_engine as engine
from .support import vector_io
from .support.base import CarbonSinkAlgorithm

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

WEIGHT_TYPES = ("queen", "rook", "knn", "distance")

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
def _advanced(param):
    param.setFlags(param.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
    return param


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
        _advanced(
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
            alg.tr(f"Layer '{layer.name()}' has {layer.bandCount()} band(s); band {band} does not exist")
        )
    try:
        stack = raster.open_stack(alg.tr("Raster"), [engine.layer_source(alg, layer)], None, [layer.name()])
    except raster.RasterInputError as exc:
        raise QgsProcessingException(str(exc)) from exc
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
        raise QgsProcessingException(alg.tr(f"Layer '{name}' has no field '{fname}'"))
    if not source.fields().at(index).isNumeric():
        raise QgsProcessingException(
            alg.tr(
                f"Field '{fname}' of layer '{name}' must be numeric; it is of type "
                f"'{source.fields().at(index).typeName()}'"
            )
        )
    gtype = QgsWkbTypes.geometryType(source.wkbType())
    polygons = gtype == QgsWkbTypes.PolygonGeometry
    if gtype not in (QgsWkbTypes.PolygonGeometry, QgsWkbTypes.PointGeometry):
        raise QgsProcessingException(alg.tr(f"Layer '{name}' must hold polygons or points"))
    if not polygons and weights in ("queen", "rook"):
        raise QgsProcessingException(
            alg.tr(
                f"Layer '{name}' holds points: queen and rook contiguity need polygons. Use k nearest "
                "neighbours or a distance band."
            )
        )
    area = QgsDistanceArea()
    area.setSourceCrs(source.sourceCrs(), context.transformContext())
    area.setEllipsoid(context.ellipsoid() or "WGS84")
    fids, values, rings, xy, areas = [], [], [], [], []
    request = QgsFeatureRequest().setSubsetOfAttributes([index])
    for i, feat in enumerate(source.getFeatures(request)):
        geom = feat.geometry()
        if geom is None or geom.isNull() or geom.isEmpty():
            raise QgsProcessingException(alg.tr(f"Feature {feat.id()} of layer '{name}' has no geometry"))
        v = feat.attribute(index)
        null = v is None or (hasattr(v, "isNull") and v.isNull())
        fids.append(feat.id())
        values.append(np.nan if null else float(v))
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
        raise QgsProcessingException(alg.tr(f"Layer '{name}' has no features"))
    values = np.asarray(values, dtype=float)
    values[~np.isfinite(values)] = np.nan
    if source.sourceCrs().isGeographic() and weights in ("knn", "distance"):
        feedback.pushWarning(
            alg.tr(
                f"Layer '{name}' has a geographic CRS: neighbour distances are measured in degrees. "
                "Reproject the layer to a projected CRS for distance-based weights."
            ),
        )
    return VectorInput(
        name, fname, fids, values, polygons, np.asarray(areas, float), rings, np.asarray(xy, float)
    )


@dataclass
class VectorWeights:
    """Binary weights among the analysed features (valid, with a valid neighbour), and what was left out."""

    weights: moran.AnalysedWeights  # index: positions (in VectorInput order) of the analysed features
    null: np.ndarray  # positions of features with NULL / non-finite values
    description: str

    @property
    def index(self):
        return self.weights.index

    @property
    def isolated(self):
        return self.weights.isolated


def vector_weights(alg, data: VectorInput, weights, k, distance) -> VectorWeights:
    """Weights among the features with a value, built as libpysal builds them; isolated ones set aside."""
    valid = np.isfinite(data.values)
    n = int(valid.sum())
    if n < 4:
        raise QgsProcessingException(
            alg.tr(
                f"Layer '{data.layer}': Moran's I needs at least 4 features with a value of '{data.field_name}'; "
                f"found {n}"
            )
        )
    centroids = " of polygon centroids" if data.polygons else ""
    if weights in ("queen", "rook"):
        aw = moran.analysed_weights(moran.contiguity_weights(data.rings, len(data.fids), weights), valid)
        description = f"{weights} contiguity of polygons"
    elif weights == "knn":
        if k >= n:
            raise QgsProcessingException(
                alg.tr(f"Layer '{data.layer}': k = {k} needs more than {k} features with a value; found {n}")
            )
        pos = np.flatnonzero(valid)  # nearest neighbours among the features with a value
        aw = moran.analysed_weights(moran.knn_weights(data.xy[pos], k), np.ones(n, dtype=bool))
        aw = moran.AnalysedWeights(aw.neighbours, pos[aw.index], pos[aw.isolated])
        description = f"{k} nearest neighbours{centroids}"
    else:
        aw = moran.analysed_weights(moran.distance_band_weights(data.xy, distance), valid)
        description = f"distance band {distance:g}{centroids}"
    if aw.index.size < 4:
        raise QgsProcessingException(
            alg.tr(
                f"Layer '{data.layer}': only {aw.index.size} features with a value have a neighbour "
                f"({description}); Moran's I needs at least 4."
            )
        )
    return VectorWeights(aw, np.flatnonzero(~valid), description)


def report_vector_counts(alg, feedback, data, vw):
    feedback.pushInfo(
        alg.tr(
            f"'{data.layer}', field '{data.field_name}': {len(data.fids):,} features; {vw.index.size:,} analysed "
            f"with {vw.description}, row-standardised; {vw.isolated.size:,} isolated (no neighbour with a "
            f"value); {vw.null.size:,} without a value."
        )
    )


# --------------------------------------------------------------------------------------- the algorithm
class GlobalMoran(CarbonSinkAlgorithm):
    TABLE = "TABLE"
    MAX_PERMUTATION_CELLS = "MAX_PERMUTATION_CELLS"
    NUMBERS = (
        ("I", "Moran's I"),
        ("EI", "E[I] = -1/(n-1)"),
        ("VI_NORM", "Var[I] under normality"),
        ("Z_NORM", "z under normality"),
        ("P_NORM", "p under normality (two-sided)"),
        ("VI_RAND", "Var[I] under randomisation"),
        ("Z_RAND", "z under randomisation"),
        ("P_RAND", "p under randomisation (two-sided)"),
        ("P_SIM", "Permutation pseudo p (two-sided, folded)"),
        ("N", "Observations analysed"),
    )

    NAME = "globalmoran"
    DISPLAY_NAME = "Global Moran's I"
    GROUP_ID = "spatial"
    REQUIRES = ("scipy",)
    HELP = (
        """
<p>Global spatial autocorrelation of a raster band (e.g. carbon density or its Sen slope) or of a numeric
field of a polygon or point layer: Moran's I with its expectation, variance, z and p under the normality
and randomisation assumptions, and a permutation pseudo p-value with a seed.</p>
<h3>Formulas</h3>
<p>I = (n / S<sub>0</sub>) · Σ<sub>i</sub>Σ<sub>j</sub> w<sub>ij</sub> z<sub>i</sub> z<sub>j</sub> / Σ z<sub>i</sub>²,
z = deviations from the mean of the n analysed values, S<sub>0</sub> = Σ w<sub>ij</sub> (= n, row-standardised);
E[I] = −1/(n − 1).<br>
Normality: Var = (n²S<sub>1</sub> − nS<sub>2</sub> + 3S<sub>0</sub>²) / ((n² − 1)S<sub>0</sub>²) − E[I]².<br>
Randomisation: Var = [n((n² − 3n + 3)S<sub>1</sub> − nS<sub>2</sub> + 3S<sub>0</sub>²) − b<sub>2</sub>((n² − n)S<sub>1</sub>
− 2nS<sub>2</sub> + 6S<sub>0</sub>²)] / ((n − 1)(n − 2)(n − 3)S<sub>0</sub>²) − E[I]², b<sub>2</sub> = m<sub>4</sub>/m<sub>2</sub>²,
with S<sub>1</sub> = ½ΣΣ(w<sub>ij</sub> + w<sub>ji</sub>)², S<sub>2</sub> = Σ(w<sub>i·</sub> + w<sub>·i</sub>)², computed
block-wise for the valid-neighbour weights of rasters. z = (I − E[I]) / √Var, p = 2Φ(−|z|).<br>
<b>Permutation pseudo p</b> (two-sided, folded): the values are permuted K times over the analysed units
(numpy Generator seeded with the seed), and p = (1 + #{k : |I<sub>k</sub> − Ī| ≥ |I − Ī|}) / (K + 1), Ī the
mean of the K permuted I (esda's <code>alternative="folded"</code>; esda 2.6's default <code>p_sim</code> is the
one-sided smaller tail, about half of this). The smallest attainable p is 1/(K + 1). The raster test
holds the grid in memory; above the "largest raster" setting (default 250,000 analysed cells, about 12 s
for 999 permutations here) p_sim is the normal approximation with the exact permutation mean and
variance, i.e. p_rand, and the log says so.</p>
"""
        + WEIGHTS_HELP
        + """
<h3>Outputs</h3>
<p>I, E[I], VI_NORM, Z_NORM, P_NORM, VI_RAND, Z_RAND, P_RAND, P_SIM and N as numbers, a one-row table with
them and the run settings, and a log line. Rasters are read block by block (memory bounded by the
budget); the results equal esda's <code>Moran</code> with libpysal weights built by the same rules (checked by
the tests on grids with nodata holes, and on polygon and point layers).</p>
<h3>References</h3>
<p>Moran, P. A. P. (1950) Biometrika 37:17–23. Cliff, A. D. &amp; Ord, J. K. (1981) Spatial Processes:
Models and Applications, Pion. Anselin, L. (1995) Geogr. Anal. 27:93–115. Rey, S. J. &amp; Anselin, L.
(2007) PySAL, Rev. Reg. Stud. 37:5–27.</p>
"""
    )

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        add_input_parameters(self)
        self.addParameter(
            _advanced(
                QgsProcessingParameterNumber(
                    self.MAX_PERMUTATION_CELLS,
                    self.tr(
                        "Largest raster for the permutation test (analysed cells; larger: normal approximation)"
                    ),
                    QgsProcessingParameterNumber.Integer,
                    moran_raster.GLOBAL_PERMUTATION_MAX_CELLS,
                    minValue=0,
                )
            )
        )
        engine.add_memory_parameter(self)
        engine.add_table_output(self, self.TABLE, self.tr("Moran's I table"))
        for name, description in self.NUMBERS:
            self.addOutput(QgsProcessingOutputNumber(name, self.tr(description)))
        self.addOutput(QgsProcessingOutputString("P_SIM_METHOD", self.tr("How p_sim was obtained")))

    def checkParameterValues(self, parameters, context):  # noqa: N802
        ok, message = check_input_parameters(self, parameters, context)
        if not ok:
            return ok, message
        return super().checkParameterValues(parameters, context)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        self.require_packages()
        permutations = self.parameterAsInt(parameters, PERMUTATIONS, context)
        seed = self.parameterAsInt(parameters, SEED, context)
        weights = WEIGHT_TYPES[self.parameterAsEnum(parameters, WEIGHTS, context)]
        if input_given(parameters, INPUT_RASTER):
            stack = raster_band(self, parameters, context)
            options = raster_options(self, parameters, context)
            try:
                res = moran_raster.global_moran_raster(
                    stack,
                    permutations=permutations,
                    seed=seed,
                    max_permutation_cells=self.parameterAsInt(
                        parameters, self.MAX_PERMUTATION_CELLS, context
                    ),
                    progress=feedback.setProgress,
                    is_cancelled=feedback.isCanceled,
                    **options,
                )
            except raster.Cancelled as exc:
                raise QgsProcessingException(self.tr("Cancelled by the user.")) from exc
            except ValueError as exc:
                raise QgsProcessingException(str(exc)) from exc
            result = res.moran
            label = stack.bands[0].layer
            agg = (
                f", aggregated {options['aggregate']} × {options['aggregate']}"
                if options["aggregate"] > 1
                else ""
            )
            feedback.pushInfo(
                self.tr(
                    f"'{label}': {res.n_valid:,} valid cells{agg}; {result.n:,} analysed with {weights} contiguity "
                    f"(row-standardised over valid neighbours); {res.n_isolated:,} isolated (no valid neighbour), "
                    "left out."
                )
            )
            for note in res.notes:
                feedback.pushInfo(note)
            weights_label = f"{weights} contiguity of pixels{agg}"
        else:
            data = read_vector_input(self, parameters, context, weights, feedback)
            vw = vector_weights(
                self,
                data,
                weights,
                self.parameterAsInt(parameters, K, context),
                self.parameterAsDouble(parameters, DISTANCE, context),
            )
            report_vector_counts(self, feedback, data, vw)
            try:
                result = moran.global_moran_sparse(
                    data.values[vw.index], vw.weights, permutations, seed, is_cancelled=feedback.isCanceled
                )
            except InterruptedError as exc:
                raise QgsProcessingException(self.tr("Cancelled by the user.")) from exc
            except ValueError as exc:
                raise QgsProcessingException(self.tr(f"Layer '{data.layer}': {exc}")) from exc
            label, weights_label = data.layer, vw.description
        return self._results(parameters, context, feedback, result, label, weights_label, seed)

    def _results(self, parameters, context, feedback, r, label, weights_label, seed):
        feedback.pushInfo(
            self.tr(
                f"Moran's I = {r.I:.6g} (E[I] = {r.EI:.4g}); normality: z = {r.z_norm:.4g}, p = {r.p_norm:.4g}; "
                f"randomisation: z = {r.z_rand:.4g}, p = {r.p_rand:.4g}; p_sim = {r.p_sim:.4g} "
                f"({r.p_sim_method}, {r.permutations} permutations, seed {seed}); n = {r.n:,}."
            )
        )
        values = {
            "I": r.I,
            "EI": r.EI,
            "VI_NORM": r.VI_norm,
            "Z_NORM": r.z_norm,
            "P_NORM": r.p_norm,
            "VI_RAND": r.VI_rand,
            "Z_RAND": r.z_rand,
            "P_RAND": r.p_rand,
            "P_SIM": r.p_sim,
            "N": r.n,
        }
        columns = {
            "input": np.array([label], dtype=object),
            "weights": np.array([weights_label], dtype=object),
            "n": np.array([r.n], dtype=np.int64),
            **{k.lower(): np.array([float(v)]) for k, v in values.items() if k != "N"},
            "p_sim_method": np.array([r.p_sim_method], dtype=object),
            "permutations": np.array([r.permutations], dtype=np.int64),
            "seed": np.array([seed], dtype=np.int64),
            "s0": np.array([r.S0]),
            "s1": np.array([r.S1]),
            "s2": np.array([r.S2]),
        }
        results = dict(values, P_SIM_METHOD=r.p_sim_method)
        dest = vector_io.write_table(self, parameters, self.TABLE, context, columns)
        if dest is not None:
            results[self.TABLE] = dest
        return results

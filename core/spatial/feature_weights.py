"""Spatial weights of the features of a vector layer, with NULL values set aside (METHOD.md step 12).

The Moran algorithms read a layer's features into plain arrays (values, polygon rings, points or
centroids; ``algorithms/support/moran_inputs.py``); this module turns them into the weights the
statistics of :mod:`core.spatial.moran` run on, with the same rules for the global and the local test:

1. a feature whose value is NULL, NaN or infinite is *missing*: it is left out before the weights are
   built, so rows are standardised over neighbours that have a value;
2. the weights are binary, built as libpysal builds them: queen or rook contiguity of polygons
   (:func:`core.spatial.moran.contiguity_weights`), the k nearest neighbours among the features with a
   value, or a distance band (points, or polygon centroids);
3. a feature with a value but no neighbour with a value is *isolated*: it takes no part in the statistics
   and is reported (:class:`core.spatial.moran.AnalysedWeights`).

At least :data:`MIN_FEATURES` features must have a value and a neighbour; messages name the layer and
the field.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import moran

WEIGHT_TYPES = ("queen", "rook", "knn", "distance")
MIN_FEATURES = 4


@dataclass
class FeatureWeights:
    """Binary weights among the analysed features, and which features were left out."""

    weights: moran.AnalysedWeights  # its index: positions (in layer order) of the analysed features
    missing: np.ndarray  # positions of the features without a value (NULL, NaN, ±inf)
    description: str  # e.g. "queen contiguity of polygons", "8 nearest neighbours of polygon centroids"

    @property
    def index(self) -> np.ndarray:
        return self.weights.index

    @property
    def isolated(self) -> np.ndarray:
        return self.weights.isolated


def feature_weights(
    values,
    kind: str,
    *,
    rings=(),
    xy=None,
    polygons: bool = True,
    k: int = 8,
    distance: float = 0.0,
    layer: str = "features",
    field: str = "value",
) -> FeatureWeights:
    """Weights among the features with a value, built as libpysal builds them; isolated ones set aside.

    Parameters
    ----------
    values : array_like, shape ``(n,)``
        The field's value of each feature; None, NaN and ±inf are missing.
    kind : {"queen", "rook", "knn", "distance"}
        Contiguity of polygons, k nearest neighbours, or a distance band.
    rings : iterable of (int, array_like)
        For contiguity: ``(feature position, (m, 2) ring coordinates)`` of every ring of every polygon.
    xy : array_like, shape ``(n, 2)``
        For "knn" and "distance": the points, or the polygon centroids.
    polygons : bool
        Whether the features are polygons (only for the description).
    k : int
        Number of neighbours for "knn"; fewer than ``k + 1`` features with a value is an error.
    distance : float
        Threshold of the distance band, in the units of ``xy``, inclusive.
    layer, field : str
        Names of the layer and the field, for messages.

    Returns
    -------
    FeatureWeights

    Raises
    ------
    ValueError
        ``kind`` unknown; fewer than 4 features with a value; k too large; fewer than 4 features with a
        value and a neighbour.

    Examples
    --------
    >>> sq = lambda x, y: np.array([(x, y), (x + 1, y), (x + 1, y + 1), (x, y + 1)], float)
    >>> rings = [(i, sq(i % 3, i // 3)) for i in range(9)]
    >>> values = [1.0, 2.0, None, 4.0, 5.0, 6.0, 7.0, 8.0, float("nan")]
    >>> fw = feature_weights(values, "rook", rings=rings)
    >>> fw.missing.tolist(), fw.index.tolist(), fw.description
    ([2, 8], [0, 1, 3, 4, 5, 6, 7], 'rook contiguity of polygons')
    """
    if kind not in WEIGHT_TYPES:
        raise ValueError(f"weights must be one of {WEIGHT_TYPES}; got {kind!r}")
    values = np.array([np.nan if v is None else v for v in np.asarray(values, dtype=object)], dtype=float)
    valid = np.isfinite(values)
    n = int(valid.sum())
    if n < MIN_FEATURES:
        raise ValueError(
            f"Layer '{layer}': Moran's I needs at least {MIN_FEATURES} features with a value of '{field}'; "
            f"found {n}"
        )
    centroids = " of polygon centroids" if polygons else ""
    if kind in ("queen", "rook"):
        aw = moran.analysed_weights(moran.contiguity_weights(rings, values.size, kind), valid)
        description = f"{kind} contiguity of polygons"
    elif kind == "knn":
        if k >= n:
            raise ValueError(f"Layer '{layer}': k = {k} needs more than {k} features with a value; found {n}")
        pos = np.flatnonzero(valid)  # nearest neighbours among the features with a value
        aw = moran.analysed_weights(moran.knn_weights(np.asarray(xy)[pos], k), np.ones(n, dtype=bool))
        aw = moran.AnalysedWeights(aw.neighbours, pos[aw.index], pos[aw.isolated])
        description = f"{k} nearest neighbours{centroids}"
    else:
        aw = moran.analysed_weights(moran.distance_band_weights(xy, distance), valid)
        description = f"distance band {distance:g}{centroids}"
    if aw.index.size < MIN_FEATURES:
        raise ValueError(
            f"Layer '{layer}': only {aw.index.size} features with a value have a neighbour ({description}); "
            f"Moran's I needs at least {MIN_FEATURES}."
        )
    return FeatureWeights(aw, np.flatnonzero(~valid), description)

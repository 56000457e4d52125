"""Weights of a vector layer's features without QGIS: NULL and non-finite values left out before the
weights are built, isolated features set aside, k nearest neighbours among the features with a value."""

import numpy as np
import pytest

from core.spatial.feature_weights import feature_weights


def _squares(nx, ny):
    """Unit squares on an nx × ny grid, row by row: rings and centroids."""
    rings, xy = [], []
    for i in range(nx * ny):
        x, y = i % nx, i // nx
        rings.append((i, np.array([(x, y), (x + 1, y), (x + 1, y + 1), (x, y + 1), (x, y)], float)))
        xy.append((x + 0.5, y + 0.5))
    return rings, np.array(xy)


def test_null_and_non_finite_values_are_missing_and_rows_count_only_valid_neighbours():
    rings, _ = _squares(3, 3)
    values = [1.0, 2.0, 3.0, 4.0, None, 6.0, 7.0, np.inf, -np.inf]
    fw = feature_weights(values, "rook", rings=rings)
    assert fw.missing.tolist() == [4, 7, 8]
    assert fw.index.tolist() == [0, 1, 2, 3, 5, 6]
    # feature 1 (top middle) keeps 0 and 2 as neighbours; its rook neighbour 4 has no value
    row = fw.index.tolist().index(1)
    assert fw.weights.card[row] == 2
    np.testing.assert_allclose(fw.weights.row_standardised().sum(axis=1).A1, 1.0)


def test_a_feature_whose_neighbours_all_lack_a_value_is_isolated():
    rings, _ = _squares(3, 3)
    values = [1.0, None, 3.0, None, 5.0, 6.0, 7.0, 8.0, 9.0]  # feature 0: its rook neighbours 1, 3 missing
    fw = feature_weights(values, "rook", rings=rings, layer="plots", field="c")
    assert fw.isolated.tolist() == [0]
    assert 0 not in fw.index.tolist()


def test_nearest_neighbours_are_found_among_the_features_with_a_value():
    _, xy = _squares(5, 1)
    values = [1.0, np.nan, 3.0, 4.0, 5.0]
    fw = feature_weights(values, "knn", xy=xy, k=1, polygons=False)
    assert fw.description == "1 nearest neighbours"
    # feature 0's nearest neighbour with a value is feature 2 (feature 1 has none)
    neighbours = fw.weights.neighbours.toarray()
    assert fw.index[np.flatnonzero(neighbours[0])].tolist() == [2]


@pytest.mark.parametrize(
    "values, kind, kwargs, message",
    [
        (
            [1.0, None, np.nan, 2.0, 3.0],
            "rook",
            {},
            "Layer 'zones': Moran's I needs at least 4 features with a value of 'c'; found 3",
        ),
        ([1.0, 2.0, 3.0, 4.0], "knn", {"k": 4}, "Layer 'zones': k = 4 needs more than 4 features"),
        (
            [1.0, 2.0, 3.0, 4.0],
            "distance",
            {"distance": 0.5},
            "only 0 features with a value have a neighbour",
        ),
        ([1.0, 2.0, 3.0, 4.0], "triangles", {}, "weights must be one of"),
    ],
)
def test_too_few_usable_features_are_refused_naming_the_layer(values, kind, kwargs, message):
    rings, xy = _squares(len(values), 1)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        feature_weights(values, kind, rings=rings, xy=xy, layer="zones", field="c", **kwargs)

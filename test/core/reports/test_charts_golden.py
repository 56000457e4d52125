"""The heat map, line and Sankey charts byte for byte against golden SVGs (test/golden.py).

The golden files were written by the code before these charts were split into named steps (issue 12); the
inputs reach every branch of the three functions: NaN cells and values, annotations, trend lines on both
axes, a series without a finite value, flows that are skipped, custom colours, column titles, no flows.
"""

import json
import math

import numpy as np
import pytest
from golden import assert_golden

from core.reports.charts import svg_heatmap, svg_lines, svg_sankey

NAN = math.nan
YEARS = list(range(2001, 2013))

HEATMAP = {
    "heatmap_full": lambda: svg_heatmap(
        [[1.0, 0.42, -0.87, NAN], [0.42, 1.0, 0.05, -0.3], [-0.87, 0.05, 1.0, 0.61], [NAN, -0.3, 0.61, 1.0]],
        ["NDVI", "temperature", "precip <mm>", "SOC & BD"],
        title="Pearson r <all pixels>",
        annotations=[["", "*", "**", None], ["*", "", "", ""], ["**", "", "", "***"], [None, "", "***", ""]],
    ),
    "heatmap_plain": lambda: svg_heatmap(
        [[12.5, -340.0], [0.0, 2500.0]], ["a", "b"], vmin=-500.0, vmax=3000.0
    ),
}

LINES = {
    "lines_two_axes": lambda: svg_lines(
        YEARS,
        {
            "total storage": [10.0, 10.5, 11.2, NAN, 12.0, 12.4, 12.1, 13.0, 13.6, 13.2, 14.1, 14.8],
            "mean density": [40.1, 40.3, 40.9, 41.2, 41.0, NAN, NAN, 42.3, 42.8, 43.0, 43.6, 44.1],
            "no data": [NAN] * 12,
        },
        "Year",
        "Storage (Tg C)",
        title="Carbon <storage> & density",
        trend_lines={"total storage": (0.38, -750.0), "mean density": (0.35, -660.0), "model": (0.4, -790.0)},
        right_axis=("mean density",),
    ),
    "lines_plain": lambda: svg_lines(
        [0.1, 0.35, 0.6, 0.85, 1.2], {"ratio": [-0.02, 0.004, 0.013, NAN, 0.027]}, "fraction", "ratio"
    ),
}

SANKEY = {
    "sankey_full": lambda: svg_sankey(
        [
            ("Cropland", "Cropland", 8123.456),
            ("Cropland", "Forest", 412.5),
            ("Grassland", "Forest", 37.25),
            ("Grassland <x>", "Cropland", 2.125),
            ("Forest", "Forest", 1500.0),
            ("Forest", "Built-up", 0.004),
            ("Water", "Water", 0.0),
            ("Water", "Cropland", NAN),
            ("Built-up", "Grassland", 0.75),
        ],
        title="Land-use flows <area>",
        unit="hm²",
        colors={"Forest": "#1a9850", "Cropland": "#FEE08B"},
        column_titles=("2000", "2020 & after"),
    ),
    "sankey_plain": lambda: svg_sankey([("a", "b", 1.0), ("b", "a", 3.0), ("a", "a", 12.0)]),
    "sankey_empty": lambda: svg_sankey([("a", "b", 0.0)], title="Nothing moved", column_titles=("", "End")),
    "sankey_none": lambda: svg_sankey(None),
}

ERRORS = {
    "heatmap_not_square": lambda: svg_heatmap([[1.0, 2.0]], ["a"]),
    "heatmap_labels": lambda: svg_heatmap([[1.0]], ["a", "b"]),
    "heatmap_range": lambda: svg_heatmap([[1.0]], ["a"], vmin=1.0, vmax=1.0),
    "heatmap_annotations": lambda: svg_heatmap([[1.0]], ["a"], annotations=[["*", "*"]]),
    "lines_x": lambda: svg_lines([[1.0]], {"a": [1.0]}, "x", "y"),
    "lines_series_empty": lambda: svg_lines([1.0], {}, "x", "y"),
    "lines_series_length": lambda: svg_lines([1.0, 2.0], {"a": [1.0]}, "x", "y"),
    "lines_trend": lambda: svg_lines([1.0], {"a": [1.0]}, "x", "y", trend_lines={"a": (1.0,)}),
    "lines_right_unknown": lambda: svg_lines([1.0], {"a": [1.0]}, "x", "y", right_axis=("b",)),
    "lines_right_all": lambda: svg_lines([1.0], {"a": [1.0]}, "x", "y", right_axis=("a",)),
    "sankey_triple": lambda: svg_sankey([("a", "b")]),
    "sankey_value": lambda: svg_sankey([("a", "b", "many")]),
    "sankey_negative": lambda: svg_sankey([("a", "b", 1.0), ("a", "c", -2.5)]),
    "sankey_colour": lambda: svg_sankey([("a", "b", 1.0)], colors={"a": "red"}),
}


@pytest.mark.parametrize("name", sorted({**HEATMAP, **LINES, **SANKEY}))
def test_chart_matches_golden_svg(name):
    draw = {**HEATMAP, **LINES, **SANKEY}[name]
    assert_golden(f"charts/{name}.svg", draw())


def test_chart_errors_match_golden_messages():
    messages = {}
    for name, call in sorted(ERRORS.items()):
        with pytest.raises(ValueError) as info:
            call()
        messages[name] = str(info.value)
    assert_golden("charts/errors.json", json.dumps(messages, ensure_ascii=False, indent=1) + "\n")


def test_golden_inputs_are_arrays_too():
    """numpy inputs draw the same SVG as lists (the golden inputs are lists)."""
    a = svg_heatmap(np.array([[1.0, 0.5], [0.5, 1.0]]), np.array(["a", "b"]))
    assert a == svg_heatmap([[1.0, 0.5], [0.5, 1.0]], ["a", "b"])

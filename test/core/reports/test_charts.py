"""SVG charts: well-formed XML with the expected marks, text is escaped, NaN skipped, nothing external is
referenced, ticks are nice numbers."""

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from core.reports.charts import (
    SVG_NS,
    nice_ticks,
    svg_bars,
    svg_heatmap,
    svg_lines,
    svg_scatter,
)

NS = {"s": SVG_NS}


def _parse(svg):
    root = ET.fromstring(svg)
    assert root.tag == f"{{{SVG_NS}}}svg"
    return root


def _marks(root, tag, cls):
    return [e for e in root.iter(f"{{{SVG_NS}}}{tag}") if e.get("class") == cls]


def _no_external(text):
    return text.replace(SVG_NS, "").lower().count("http") == 0


def test_heatmap_cells_values_annotations_and_nan():
    r = np.array([[1.0, 0.85, np.nan], [0.85, 1.0, -0.3], [np.nan, -0.3, 1.0]])
    stars = [["", "**", ""], ["**", "", "*"], ["", "*", ""]]
    svg = svg_heatmap(r, ["CS", "NPP", "a<b&c"], title="r <p>", annotations=stars)
    root = _parse(svg)
    assert len(_marks(root, "rect", "cell")) == 7
    assert len(_marks(root, "rect", "cell-nan")) == 2
    texts = [t.text for t in root.iter(f"{{{SVG_NS}}}text")]
    assert "0.85**" in texts and "\u22120.30*" in texts
    assert "a<b&c" in texts  # escaped in the source, restored by the parser
    assert "a<b&c" not in svg and "a&lt;b&amp;c" in svg
    assert "nan" not in " ".join(t for t in texts if t).lower()
    assert _no_external(svg)


def test_heatmap_colours_are_diverging():
    svg = svg_heatmap([[-1.0, 0.0], [0.0, 1.0]], ["a", "b"])
    fills = [e.get("fill") for e in _marks(_parse(svg), "rect", "cell")]
    assert fills[0] == "#2166ac" and fills[1] == "#f7f7f7" and fills[3] == "#b2182b"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"matrix": np.ones((2, 3)), "labels": ["a", "b"]}, "square"),
        ({"matrix": np.ones((2, 2)), "labels": ["a"]}, "labels"),
        ({"matrix": np.ones((2, 2)), "labels": ["a", "b"], "vmin": 1, "vmax": 1}, "vmin"),
        ({"matrix": np.ones((2, 2)), "labels": ["a", "b"], "annotations": [["*"]]}, "annotations"),
    ],
)
def test_heatmap_validates(kwargs, message):
    with pytest.raises(ValueError, match=message):
        svg_heatmap(**kwargs)


def test_scatter_points_groups_legend_and_one_to_one():
    x = np.array([1.0, 2.0, np.nan, 4.0, 5.0])
    y = np.array([1.1, 2.2, 3.0, np.inf, 4.9])
    groups = ["train", "train", "validation", "validation", "validation"]
    svg = svg_scatter(x, y, "observed (t/hm²)", "predicted", title="obs <vs> pred", one_to_one=True,
                      series_labels=groups)  # fmt: skip
    root = _parse(svg)
    points = _marks(root, "circle", "point")
    assert len(points) == 3  # NaN x and infinite y skipped
    assert len({p.get("fill") for p in points}) == 2
    assert len(_marks(root, "line", "one-to-one")) == 1
    texts = [t.text for t in root.iter(f"{{{SVG_NS}}}text")]
    assert "train" in texts and "validation" in texts and "1:1 line" in texts
    assert "obs <vs> pred" in texts
    assert _no_external(svg)


def test_scatter_all_nan_still_draws_axes():
    root = _parse(svg_scatter([np.nan, np.nan], [1.0, 2.0], "x", "y"))
    assert _marks(root, "circle", "point") == []


def test_scatter_validates_lengths():
    with pytest.raises(ValueError, match="same length"):
        svg_scatter([1, 2], [1], "x", "y")
    with pytest.raises(ValueError, match="series_labels"):
        svg_scatter([1, 2], [1, 2], "x", "y", series_labels=["a"])


def test_bars_order_errors_negative_and_nan():
    values = [0.5, -0.1, np.nan, 0.2]
    errors = [0.05, 0.02, 0.1, np.nan]
    svg = svg_bars(values, ["NPP", "DEM", "slope", "MAT"], "importance", title="Importance", errors=errors)
    root = _parse(svg)
    bars = _marks(root, "rect", "bar")
    assert len(bars) == 3
    assert len(_marks(root, "path", "error")) == 2  # NaN value and NaN error draw none
    ys = [float(b.get("y")) for b in bars]
    assert ys == sorted(ys)  # top to bottom in the order given
    widths = [float(b.get("width")) for b in bars]
    assert widths[0] == pytest.approx(widths[1] * 5, rel=1e-3)
    with pytest.raises(ValueError, match="non-negative"):
        svg_bars([1.0], ["a"], "x", errors=[-1.0])
    with pytest.raises(ValueError, match="labels"):
        svg_bars([1.0, 2.0], ["a"], "x")


def test_lines_series_trends_right_axis_and_gaps():
    years = np.arange(2001, 2025)
    total = 1e7 + 2.5e5 * (years - 2001)
    mean = 30 + 0.49 * (years - 2001)
    mean = mean.copy()
    mean[5] = np.nan
    svg = svg_lines(
        years,
        {"total storage": total, "mean density": mean},
        "year",
        "total storage (t C)",
        title="Storage & density",
        trend_lines={"total storage": (2.5e5, 1e7 - 2.5e5 * 2001), "mean density": (0.49, 30 - 0.49 * 2001)},
        right_axis=("mean density",),
    )
    root = _parse(svg)
    paths = _marks(root, "path", "series")
    assert len(paths) == 2
    assert paths[1].get("d").count("M") == 2  # the NaN splits the line
    assert len(_marks(root, "circle", "vertex")) == 24 + 23
    assert len(_marks(root, "line", "trend")) == 2
    label2 = [t for t in root.iter(f"{{{SVG_NS}}}text") if t.get("class") == "ylabel2"]
    assert label2 and label2[0].text == "mean density"
    texts = [t.text for t in root.iter(f"{{{SVG_NS}}}text")]
    assert "2010" in texts and "2,010" not in texts  # years are not grouped by thousands
    assert "20,000,000" in texts or "16,000,000" in texts
    assert _no_external(svg)


def test_lines_validates():
    with pytest.raises(ValueError, match="has 2 values"):
        svg_lines([1, 2, 3], {"a": [1, 2]}, "x", "y")
    with pytest.raises(ValueError, match="right_axis"):
        svg_lines([1, 2], {"a": [1, 2]}, "x", "y", right_axis=("b",))
    with pytest.raises(ValueError, match="slope, intercept"):
        svg_lines([1, 2], {"a": [1, 2]}, "x", "y", trend_lines={"a": 3})


@pytest.mark.parametrize(
    "lo, hi, integer, expected",
    [
        (0.13, 0.92, False, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (-0.73, 1.0, False, [-1.0, -0.5, 0.0, 0.5, 1.0]),
        (2001, 2024, True, [2000, 2005, 2010, 2015, 2020, 2025]),
        (2001, 2003, True, [2001, 2002, 2003]),
        (5.0, 5.0, False, [4.4, 4.6, 4.8, 5.0, 5.2, 5.4, 5.6]),
        (np.nan, np.nan, False, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
    ],
)
def test_nice_ticks(lo, hi, integer, expected):
    assert nice_ticks(lo, hi, integer=integer).tolist() == pytest.approx(expected)


def test_nice_ticks_are_round_numbers():
    rng = np.random.default_rng(1)
    for _ in range(200):
        lo = rng.normal(0, 10.0 ** rng.integers(-3, 8))
        hi = lo + abs(rng.normal(0, 10.0 ** rng.integers(-3, 8)))
        ticks = nice_ticks(lo, hi)
        step = ticks[1] - ticks[0]
        mantissa = step / 10.0 ** np.floor(np.log10(step))
        tol = 1e-6 + 1e-12 * np.max(np.abs(ticks)) / step  # differences of large ticks lose digits
        assert min(abs(mantissa - m) for m in (1, 2, 2.5, 5, 10)) < tol
        assert ticks[0] <= lo and ticks[-1] >= hi and 3 <= ticks.size <= 12


# ----------------------------------------------------------------------------------------------- sankey
def test_sankey_one_band_per_nonzero_flow_and_labels_with_totals():
    from core.reports.charts import svg_sankey

    flows = [
        ("Cropland", "Cropland", 80.0),
        ("Cropland", "Forest", 12.5),
        ("Grassland", "Forest", 0.0),  # skipped
        ("Grassland", "Cropland", 7.5),
        ("Forest", "Forest", float("nan")),  # skipped
        ("a<b&c", "Forest", 1.0),
    ]
    svg = svg_sankey(flows, title="Land use <2000–2020>", unit="hm²", column_titles=("2000", "2020"))
    root = _parse(svg)
    paths = _marks(root, "path", "flow")
    assert len(paths) == 4
    nodes = _marks(root, "rect", "node")
    assert len(nodes) == 3 + 2  # sources Cropland, Grassland, a<b&c; targets Cropland, Forest
    texts = [t.text for t in root.iter(f"{{{SVG_NS}}}text")]
    assert "Cropland (92.5 hm²)" in texts  # left: out of cropland
    assert "Cropland (87.5 hm²)" in texts  # right: into cropland
    assert "Forest (13.5 hm²)" in texts
    assert "a<b&c (1 hm²)" in texts and "a&lt;b&amp;c" in svg
    assert _no_external(svg) and "<script" not in svg
    tips = [p.find(f"{{{SVG_NS}}}title").text for p in paths]
    assert "Cropland \u2192 Forest: 12.5 hm²" in tips


def test_sankey_band_heights_are_proportional_and_fill_the_nodes():
    from core.reports.charts import svg_sankey

    svg = svg_sankey([("A", "X", 30.0), ("A", "Y", 10.0), ("B", "X", 20.0)])
    root = _parse(svg)
    heights = {}
    for n in _marks(root, "rect", "node"):
        heights.setdefault(n.find(f"{{{SVG_NS}}}title").text.split(" (")[0], []).append(
            float(n.get("height"))
        )
    # A carries 40, B 20: the A node is twice as tall as B; X (50) vs Y (10) five times
    assert heights["A"][0] == pytest.approx(2 * heights["B"][0], rel=1e-3)
    assert heights["X"][0] == pytest.approx(5 * heights["Y"][0], rel=1e-3)
    bands = []
    for p in _marks(root, "path", "flow"):
        nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", p.get("d"))]
        bands.append(nums[-1] - nums[1])  # band thickness at the source side
    assert bands == pytest.approx(
        [30 / 40 * heights["A"][0], 10 / 40 * heights["A"][0], heights["B"][0]], rel=1e-2
    )


def test_sankey_colours_empty_and_errors():
    from core.reports.charts import svg_sankey

    order = _parse(svg_sankey([("A", "B", 1.0), ("B", "A", 2.0), ("C", "B", 1.0)]))
    right = [t.text for t in order.iter(f"{{{SVG_NS}}}text") if t.get("text-anchor") == "start"]
    assert right == ["A (2)", "B (2)"]  # both columns keep the order of first appearance
    svg = svg_sankey([("A", "A", 1.0)], colors={"A": "#123456"})
    assert all(e.get("fill") == "#123456" for e in _marks(_parse(svg), "rect", "node"))
    empty = svg_sankey([("A", "B", 0.0)], title="nothing")
    assert "no flows" in empty and not _marks(_parse(empty), "path", "flow")
    with pytest.raises(ValueError, match="negative"):
        svg_sankey([("A", "B", -1.0)])
    with pytest.raises(ValueError, match="triple"):
        svg_sankey([("A", 1.0)])
    with pytest.raises(ValueError, match="not a number"):
        svg_sankey([("A", "B", "x")])
    with pytest.raises(ValueError, match="rrggbb"):
        svg_sankey([("A", "B", 1.0)], colors={"A": "red"})

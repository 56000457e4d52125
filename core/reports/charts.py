"""Inline SVG charts of the reports, drawn from numbers and escaped labels.

Every chart is an ``<svg>`` element built here from numbers: no script, no font, no image and no URL to
fetch (the only ``http`` in a chart is the SVG namespace identifier, which is never fetched). The report
renderer (:mod:`core.reports.render`) places them in the page from the chart blocks of a report
(:class:`core.reports.document.Chart`).

Charts: :func:`svg_heatmap` (correlation matrices), :func:`svg_scatter` (observed vs predicted),
:func:`svg_bars` (importances), :func:`svg_lines` (yearly series with trend lines and an optional second
y axis), :func:`svg_sankey` (two-column flows, e.g. land-use transitions).

Conventions shared by every chart: axis ticks are "nice" numbers (1, 2, 2.5 or 5 × 10^k) that enclose the
data; all text is escaped; NaN (any non-finite value) is skipped, never drawn as zero; every mark carries a
``class`` (``cell``, ``point``, ``bar``, ``error``, ``series``, ``vertex``, ``trend``, ``flow``, ``node``)
so that the charts can be checked and restyled.
"""

from __future__ import annotations

import math

import numpy as np

from .markup import HEX_COLOUR, escape

__all__ = [
    "nice_ticks",
    "svg_bars",
    "svg_heatmap",
    "svg_lines",
    "svg_sankey",
    "svg_scatter",
]

SVG_NS = "http://www.w3.org/2000/svg"
_FONT = 'font-family="Helvetica, Arial, sans-serif"'
_FS = 11  # tick and label font size, px
_CHAR = 0.6  # approximate glyph width / font size, for layout
# Okabe & Ito (2008) colour-blind safe qualitative palette.
_PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999")
# ColorBrewer RdBu (9), blue (low) to red (high).
_DIVERGING = (
    "#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7", "#fddbc7", "#f4a582", "#d6604d", "#b2182b",
)  # fmt: skip
_NAN_FILL = "#e0e0e0"
_MINUS = "\u2212"


# ----------------------------------------------------------------------------------------------- helpers
def _text_width(text, size=_FS) -> float:
    return len(str(text)) * size * _CHAR


def _num(v) -> str:
    """A coordinate for SVG: short, no exponent."""
    return f"{v:.2f}".rstrip("0").rstrip(".") if math.isfinite(v) else "0"


def _as_float_1d(values, name) -> np.ndarray:
    try:
        a = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric (NaN for missing): {exc}") from None
    if a.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {a.shape}")
    return a


def _svg_open(width, height, title) -> str:
    label = escape(title) if title else "chart"
    return (
        f'<svg xmlns="{SVG_NS}" width="{_num(width)}" height="{_num(height)}" '
        f'viewBox="0 0 {_num(width)} {_num(height)}" role="img" aria-label="{label}" {_FONT} '
        f'font-size="{_FS}">' + (f"<title>{escape(title)}</title>" if title else "")
    )


def _title(title, width) -> str:
    if not title:
        return ""
    return f'<text x="{_num(width / 2)}" y="16" text-anchor="middle" font-size="13" font-weight="bold">{escape(title)}</text>'


def _nice_step(span, n):
    raw = span / max(n, 1)
    mag = 10.0 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if raw <= m * mag * (1 + 1e-9):
            return m * mag
    return 10.0 * mag


def nice_ticks(lo, hi, n=5, integer=False):
    """Round tick values that enclose ``[lo, hi]``.

    Parameters
    ----------
    lo, hi : float
        Data range; non-finite values give the range 0–1, an empty range is widened.
    n : int, default 5
        Approximate number of intervals.
    integer : bool, default False
        Ticks on whole numbers only (years).

    Returns
    -------
    numpy.ndarray
        Equally spaced ticks, step 1, 2, 2.5 or 5 × 10^k; the first ≤ lo and the last ≥ hi.

    Examples
    --------
    >>> nice_ticks(0.13, 0.92).tolist()
    [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    >>> nice_ticks(2001, 2024, integer=True).tolist()
    [2000.0, 2005.0, 2010.0, 2015.0, 2020.0, 2025.0]
    """
    lo, hi = float(lo), float(hi)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo, hi = 0.0, 1.0
    if lo > hi:
        lo, hi = hi, lo
    if hi - lo <= 1e-12 * max(abs(lo), abs(hi), 1e-300):
        pad = abs(lo) * 0.1 if lo != 0 else 1.0
        lo, hi = lo - pad, hi + pad
    step = _nice_step(hi - lo, n)
    if integer and step < 1:
        step = 1.0
    elif integer and step != round(step):
        step = float(math.floor(step))
    t0 = math.floor(lo / step + 1e-9) * step
    t1 = math.ceil(hi / step - 1e-9) * step
    count = int(round((t1 - t0) / step)) + 1
    decimals = _decimals(step)
    return np.round(t0 + step * np.arange(count), decimals + 2)


def _decimals(step) -> int:
    for d in range(0, 15):
        if abs(round(step, d) - step) <= 1e-9 * abs(step):
            return d
    return 15


def _tick_labels(ticks) -> list[str]:
    ticks = np.asarray(ticks, dtype=float)
    step = float(ticks[1] - ticks[0]) if ticks.size > 1 else 1.0
    big = float(np.max(np.abs(ticks))) if ticks.size else 0.0
    if big >= 1e9 or (0 < big < 1e-4):
        out = [f"{t:.3g}" for t in ticks]
    else:
        d = _decimals(step)
        sep = "," if big >= 1e4 else ""
        out = [f"{t:{sep}.{d}f}" for t in ticks]
    return [("0" if float(s.replace(",", "")) == 0 else s).replace("-", _MINUS) for s in out]


def _fmt_value(v, fmt="{:.2f}") -> str:
    return fmt.format(v).replace("-", _MINUS)


def _padded(lo, hi, share=0.03):
    """Widen a range a little so that points do not sit on the frame."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return lo, hi
    pad = (hi - lo) * share
    return lo - pad, hi + pad


class _Scale:
    """Linear map from data to pixels over the tick range."""

    def __init__(self, ticks, p0, p1):
        self.ticks = ticks
        self.d0, self.d1 = float(ticks[0]), float(ticks[-1])
        self.p0, self.p1 = p0, p1

    def __call__(self, v):
        v = np.asarray(v, dtype=float)
        return self.p0 + (v - self.d0) / (self.d1 - self.d0) * (self.p1 - self.p0)


def _finite_range(*arrays):
    vals = [np.asarray(a, dtype=float).ravel() for a in arrays]
    vals = np.concatenate(vals) if vals else np.empty(0)
    vals = vals[np.isfinite(vals)]
    if vals.size == 0:
        return math.nan, math.nan
    return float(vals.min()), float(vals.max())


def _axes(sx, sy, left, top, pw, ph, xlabel, ylabel, sy2=None, y2label=None, xlabels=None):
    """Frame, grid lines, ticks and labels of an x–y plot."""
    parts = ['<g class="axes" stroke="#000" fill="none" stroke-width="1">']
    parts.append(f'<rect x="{_num(left)}" y="{_num(top)}" width="{_num(pw)}" height="{_num(ph)}"/></g>')
    grid, text = ['<g class="grid" stroke="#ddd" stroke-width="0.6">'], ['<g class="ticks" fill="#000">']
    xl = xlabels if xlabels is not None else _tick_labels(sx.ticks)
    for t, lab in zip(sx.ticks, xl):
        px = float(sx(t))
        grid.append(f'<line x1="{_num(px)}" y1="{_num(top)}" x2="{_num(px)}" y2="{_num(top + ph)}"/>')
        text.append(
            f'<line x1="{_num(px)}" y1="{_num(top + ph)}" x2="{_num(px)}" y2="{_num(top + ph + 4)}" stroke="#000"/>'
            f'<text x="{_num(px)}" y="{_num(top + ph + 16)}" text-anchor="middle">{escape(lab)}</text>'
        )
    for t, lab in zip(sy.ticks, _tick_labels(sy.ticks)):
        py = float(sy(t))
        grid.append(f'<line x1="{_num(left)}" y1="{_num(py)}" x2="{_num(left + pw)}" y2="{_num(py)}"/>')
        text.append(
            f'<line x1="{_num(left - 4)}" y1="{_num(py)}" x2="{_num(left)}" y2="{_num(py)}" stroke="#000"/>'
            f'<text x="{_num(left - 6)}" y="{_num(py + 4)}" text-anchor="end">{escape(lab)}</text>'
        )
    if sy2 is not None:
        for t, lab in zip(sy2.ticks, _tick_labels(sy2.ticks)):
            py = float(sy2(t))
            text.append(
                f'<line x1="{_num(left + pw)}" y1="{_num(py)}" x2="{_num(left + pw + 4)}" y2="{_num(py)}" stroke="#000"/>'
                f'<text x="{_num(left + pw + 6)}" y="{_num(py + 4)}" text-anchor="start">{escape(lab)}</text>'
            )
    grid.append("</g>")
    text.append("</g>")
    labels = [
        f'<text class="xlabel" x="{_num(left + pw / 2)}" y="{_num(top + ph + 34)}" text-anchor="middle">{escape(xlabel)}</text>'
    ]
    ywidth = max((_text_width(s) for s in _tick_labels(sy.ticks)), default=0)
    yx = left - ywidth - 14
    labels.append(
        f'<text class="ylabel" transform="translate({_num(yx)},{_num(top + ph / 2)}) rotate(-90)" '
        f'text-anchor="middle">{escape(ylabel)}</text>'
    )
    if sy2 is not None:
        y2width = max((_text_width(s) for s in _tick_labels(sy2.ticks)), default=0)
        y2x = left + pw + y2width + 18
        labels.append(
            f'<text class="ylabel2" transform="translate({_num(y2x)},{_num(top + ph / 2)}) rotate(90)" '
            f'text-anchor="middle">{escape(y2label)}</text>'
        )
    return "".join(grid) + "".join(parts) + "".join(text) + "".join(labels)


def _legend_layout(entries, width, x0=10):
    """Place legend entries in rows; returns ([(x, y_row_index, entry)], n_rows)."""
    placed, x, row = [], x0, 0
    for entry in entries:
        w = 28 + _text_width(entry[0])
        if x + w > width - 10 and x > x0:
            x, row = x0, row + 1
        placed.append((x, row, entry))
        x += w + 12
    return placed, (row + 1 if entries else 0)


def _legend(placed, y0):
    """entries: (label, colour, kind) with kind in {"point", "line", "dash"}."""
    out = ['<g class="legend">']
    for x, row, (label, colour, kind) in placed:
        y = y0 + row * 16
        if kind == "point":
            out.append(f'<circle cx="{_num(x + 10)}" cy="{_num(y - 4)}" r="4" fill="{colour}"/>')
        else:
            dash = ' stroke-dasharray="5,3"' if kind == "dash" else ""
            out.append(
                f'<line x1="{_num(x)}" y1="{_num(y - 4)}" x2="{_num(x + 20)}" y2="{_num(y - 4)}" '
                f'stroke="{colour}" stroke-width="2"{dash}/>'
            )
        out.append(f'<text x="{_num(x + 26)}" y="{_num(y)}">{escape(label)}</text>')
    out.append("</g>")
    return "".join(out)


# ----------------------------------------------------------------------------------------------- heat map
def _diverging(t) -> str:
    t = min(max(t, 0.0), 1.0) * (len(_DIVERGING) - 1)
    i = min(int(math.floor(t)), len(_DIVERGING) - 2)
    f = t - i
    a, b = _DIVERGING[i], _DIVERGING[i + 1]
    rgb = [round(int(a[k : k + 2], 16) * (1 - f) + int(b[k : k + 2], 16) * f) for k in (1, 3, 5)]
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def svg_heatmap(matrix, labels, title="", vmin=-1.0, vmax=1.0, annotations=None) -> str:
    """A square matrix as coloured cells (diverging blue–white–red) with the value in each cell.

    Parameters
    ----------
    matrix : array_like of float, shape (n, n)
        Values, e.g. Pearson r. NaN cells are grey and carry no value.
    labels : sequence of str, length n
        Row and column names (rows top to bottom, columns left to right).
    title : str, optional
    vmin, vmax : float, default -1, 1
        Colour range: ``vmin`` blue, the midpoint white, ``vmax`` red; values outside are clipped.
    annotations : array_like of str, shape (n, n), optional
        Text appended to each cell's value, e.g. significance stars ``"**"``.

    Returns
    -------
    str
        An ``<svg>`` element; one ``<rect class="cell">`` per finite value, ``class="cell-nan"`` per NaN.

    Raises
    ------
    ValueError
        If the matrix is not square, the labels or annotations do not match it, or vmin ≥ vmax.
    """
    m = np.asarray(matrix, dtype=np.float64)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ValueError(f"matrix must be square (n, n), got shape {m.shape}")
    n = m.shape[0]
    labels = [str(s) for s in labels]
    if len(labels) != n:
        raise ValueError(f"labels must have {n} names (one per row/column), got {len(labels)}")
    if not (math.isfinite(vmin) and math.isfinite(vmax) and vmin < vmax):
        raise ValueError(f"vmin must be below vmax (both finite), got vmin={vmin!r}, vmax={vmax!r}")
    if annotations is not None:
        annotations = np.asarray(annotations, dtype=object)
        if annotations.shape != m.shape:
            raise ValueError(f"annotations must have the matrix's shape {m.shape}, got {annotations.shape}")
    finite = m[np.isfinite(m)]
    fmt = "{:.2f}" if finite.size == 0 or np.max(np.abs(finite)) < 10 else "{:.3g}"
    cell = 52
    lab_w = max((_text_width(s) for s in labels), default=0)
    left = lab_w + 12
    top = (24 if title else 6) + lab_w * 0.72 + 10
    grid_w = n * cell
    legend_x = left + grid_w + 18
    width = max(legend_x + 60, left + grid_w + lab_w * 0.72 + 10)
    height = top + grid_w + 12
    parts = [_svg_open(width, height, title), _title(title, width)]
    parts.append('<g class="cells">')
    for i in range(n):
        for j in range(n):
            x, y = left + j * cell, top + i * cell
            v = m[i, j]
            if not math.isfinite(v):
                parts.append(
                    f'<rect class="cell-nan" x="{_num(x)}" y="{_num(y)}" width="{cell}" height="{cell}" '
                    f'fill="{_NAN_FILL}" stroke="#fff"><title>{escape(labels[i])} / {escape(labels[j])}: no value</title></rect>'
                )
                continue
            t = (v - vmin) / (vmax - vmin)
            text = _fmt_value(v, fmt) + ("" if annotations is None else str(annotations[i, j] or ""))
            ink = "#fff" if abs(min(max(t, 0.0), 1.0) - 0.5) > 0.33 else "#000"
            parts.append(
                f'<rect class="cell" x="{_num(x)}" y="{_num(y)}" width="{cell}" height="{cell}" '
                f'fill="{_diverging(t)}" stroke="#fff"><title>{escape(labels[i])} / {escape(labels[j])}: '
                f"{escape(text)}</title></rect>"
                f'<text x="{_num(x + cell / 2)}" y="{_num(y + cell / 2 + 4)}" text-anchor="middle" '
                f'font-size="10" fill="{ink}">{escape(text)}</text>'
            )
    parts.append('</g><g class="labels">')
    for i, lab in enumerate(labels):
        parts.append(
            f'<text x="{_num(left - 6)}" y="{_num(top + i * cell + cell / 2 + 4)}" text-anchor="end">{escape(lab)}</text>'
        )
        cx = left + i * cell + cell / 2
        parts.append(
            f'<text transform="translate({_num(cx)},{_num(top - 6)}) rotate(-45)" text-anchor="start">{escape(lab)}</text>'
        )
    parts.append("</g>")
    # colour legend: 20 steps from vmax (top) to vmin (bottom)
    steps, lh = 20, grid_w
    parts.append('<g class="colour-legend">')
    for k in range(steps):
        t = 1 - (k + 0.5) / steps
        parts.append(
            f'<rect x="{_num(legend_x)}" y="{_num(top + k * lh / steps)}" width="14" '
            f'height="{_num(lh / steps + 0.5)}" fill="{_diverging(t)}"/>'
        )
    for v, y in ((vmax, top), ((vmin + vmax) / 2, top + lh / 2), (vmin, top + lh)):
        parts.append(
            f'<text x="{_num(legend_x + 18)}" y="{_num(y + 4)}">{escape(_fmt_value(v, "{:.3g}"))}</text>'
        )
    parts.append("</g></svg>")
    return "".join(parts)


# ----------------------------------------------------------------------------------------------- scatter
def svg_scatter(x, y, xlabel, ylabel, title="", one_to_one=False, series_labels=None) -> str:
    """Points of ``y`` against ``x``, optionally grouped by colour and with the 1:1 line.

    Parameters
    ----------
    x, y : array_like of float, shape (n,)
        Coordinates; a point with a non-finite x or y is skipped.
    xlabel, ylabel : str
    title : str, optional
    one_to_one : bool, default False
        Draw the line y = x (dashed) and give both axes the same range (observed vs predicted).
    series_labels : array_like of str, shape (n,), optional
        Group of each point (e.g. "train", "validation"): one colour per group, in order of first
        appearance, with a legend.

    Returns
    -------
    str
        An ``<svg>`` element; one ``<circle class="point">`` per drawn point.
    """
    x = _as_float_1d(x, "x")
    y = _as_float_1d(y, "y")
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same length, got {x.size} and {y.size}")
    groups = None
    if series_labels is not None:
        groups = np.asarray(series_labels, dtype=object)
        if groups.shape != x.shape:
            raise ValueError(f"series_labels must have one entry per point ({x.size}), got {groups.size}")
        groups = np.array([str(g) for g in groups], dtype=object)
    ok = np.isfinite(x) & np.isfinite(y)
    xlo, xhi = _finite_range(x[ok])
    ylo, yhi = _finite_range(y[ok])
    if one_to_one:
        lo, hi = _finite_range([xlo, xhi, ylo, yhi])
        xticks = yticks = nice_ticks(*_padded(lo, hi))
    else:
        xticks, yticks = nice_ticks(*_padded(xlo, xhi)), nice_ticks(*_padded(ylo, yhi))
    width, ph = 560, 360
    names = list(dict.fromkeys(groups[ok].tolist())) if groups is not None else []
    colours = {g: _PALETTE[k % len(_PALETTE)] for k, g in enumerate(names)}
    entries = [(g, colours[g], "point") for g in names]
    if one_to_one:
        entries.append(("1:1 line", "#555", "dash"))
    placed, rows = _legend_layout(entries if (groups is not None or one_to_one) else [], width)
    top = (26 if title else 10) + rows * 16 + (6 if rows else 0)
    left = max(_text_width(s) for s in _tick_labels(yticks)) + 30
    pw = width - left - 16
    height = top + ph + 44
    sx, sy = _Scale(xticks, left, left + pw), _Scale(yticks, top + ph, top)
    parts = [_svg_open(width, height, title), _title(title, width)]
    parts.append(_axes(sx, sy, left, top, pw, ph, xlabel, ylabel))
    if one_to_one:
        lo, hi = max(xticks[0], yticks[0]), min(xticks[-1], yticks[-1])
        parts.append(
            f'<line class="one-to-one" x1="{_num(float(sx(lo)))}" y1="{_num(float(sy(lo)))}" '
            f'x2="{_num(float(sx(hi)))}" y2="{_num(float(sy(hi)))}" stroke="#555" stroke-dasharray="5,3"/>'
        )
    parts.append('<g class="points" fill-opacity="0.75">')
    px, py = sx(x[ok]), sy(y[ok])
    gs = groups[ok] if groups is not None else [None] * int(ok.sum())
    for a, b, g in zip(px, py, gs):
        colour = colours[g] if g is not None else _PALETTE[0]
        parts.append(f'<circle class="point" cx="{_num(a)}" cy="{_num(b)}" r="3" fill="{colour}"/>')
    parts.append("</g>")
    if rows:
        parts.append(_legend(placed, (26 if title else 10) + 10))
    parts.append("</svg>")
    return "".join(parts)


# ----------------------------------------------------------------------------------------------- bars
def svg_bars(values, labels, xlabel, title="", errors=None) -> str:
    """Horizontal bars, top to bottom in the order given, optionally with ± error bars.

    Parameters
    ----------
    values : array_like of float, shape (n,)
        Bar lengths; may be negative (bars go left of zero). A NaN value draws no bar.
    labels : sequence of str, length n
    xlabel : str
    title : str, optional
    errors : array_like of float, shape (n,), optional
        Half-width of each error bar (e.g. one standard deviation); NaN draws none; negative is an error.

    Returns
    -------
    str
        An ``<svg>`` element; one ``<rect class="bar">`` per finite value and one
        ``<path class="error">`` per finite error of a drawn bar.
    """
    v = _as_float_1d(values, "values")
    labels = [str(s) for s in labels]
    if len(labels) != v.size:
        raise ValueError(f"labels must have one name per value ({v.size}), got {len(labels)}")
    e = None
    if errors is not None:
        e = _as_float_1d(errors, "errors")
        if e.shape != v.shape:
            raise ValueError(f"errors must have one entry per value ({v.size}), got {e.size}")
        if np.any(e[np.isfinite(e)] < 0):
            raise ValueError("errors must be non-negative half-widths")
    ok = np.isfinite(v)
    lo_parts = [v[ok], [0.0]]
    if e is not None:
        ee = np.where(np.isfinite(e), e, 0.0)
        lo_parts += [v[ok] - ee[ok], v[ok] + ee[ok]]
    lo, hi = _finite_range(*lo_parts)
    ticks = nice_ticks(lo, hi)
    width, bh, gap = 560, 18, 8
    left = max((_text_width(s) for s in labels), default=0) + 16
    top = 26 if title else 10
    ph = max(v.size, 1) * (bh + gap) + gap
    pw = width - left - 20
    height = top + ph + 44
    sx = _Scale(ticks, left, left + pw)
    sy = _Scale(np.array([0.0, 1.0]), top, top + ph)  # only for the frame
    sy.ticks = np.array([])
    parts = [_svg_open(width, height, title), _title(title, width)]
    parts.append(_axes(sx, sy, left, top, pw, ph, xlabel, ""))
    x0 = float(sx(0.0))
    parts.append('<g class="bars">')
    for i, (val, lab) in enumerate(zip(v, labels)):
        yc = top + gap + i * (bh + gap) + bh / 2
        parts.append(f'<text x="{_num(left - 6)}" y="{_num(yc + 4)}" text-anchor="end">{escape(lab)}</text>')
        if not math.isfinite(val):
            parts.append(f'<text x="{_num(x0 + 4)}" y="{_num(yc + 4)}" fill="#777">no value</text>')
            continue
        xv = float(sx(val))
        parts.append(
            f'<rect class="bar" x="{_num(min(x0, xv))}" y="{_num(yc - bh / 2)}" width="{_num(abs(xv - x0))}" '
            f'height="{bh}" fill="{_PALETTE[0]}"><title>{escape(lab)}: {escape(_fmt_value(val, "{:.4g}"))}</title></rect>'
        )
        if e is not None and math.isfinite(e[i]):
            a, b = float(sx(val - e[i])), float(sx(val + e[i]))
            parts.append(
                f'<path class="error" d="M{_num(a)} {_num(yc)}H{_num(b)}M{_num(a)} {_num(yc - 4)}V{_num(yc + 4)}'
                f'M{_num(b)} {_num(yc - 4)}V{_num(yc + 4)}" stroke="#000" fill="none"/>'
            )
    parts.append(
        f'<line x1="{_num(x0)}" y1="{_num(top)}" x2="{_num(x0)}" y2="{_num(top + ph)}" stroke="#000"/>'
    )
    parts.append("</g></svg>")
    return "".join(parts)


# ----------------------------------------------------------------------------------------------- lines
def svg_lines(x, series, xlabel, ylabel, title="", trend_lines=None, right_axis=()) -> str:
    """Series over a common x (years), with optional dashed trend lines and a secondary y axis.

    Parameters
    ----------
    x : array_like of float, shape (n,)
        Common x values (e.g. years); whole numbers give whole-number ticks.
    series : dict of str -> array_like of float, shape (n,)
        Named y series; NaN breaks the line.
    xlabel, ylabel : str
        ``ylabel`` labels the left axis.
    title : str, optional
    trend_lines : dict of str -> (slope, intercept), optional
        ``y = slope·x + intercept`` drawn dashed over the x range, in the colour (and on the axis) of
        the series of the same name, if any.
    right_axis : sequence of str
        Names (of series / trend lines) drawn against a secondary y axis on the right, labelled with
        those names — e.g. "mean density" next to "total storage".

    Returns
    -------
    str
        An ``<svg>`` element; per series with a finite value one ``<path class="series">`` and one
        ``<circle class="vertex">`` per finite value; one ``<line class="trend">`` per trend line.
    """
    x = _as_float_1d(x, "x")
    if not isinstance(series, dict) or not series:
        raise ValueError("series must be a non-empty dict name -> y values")
    ys = {}
    for name, values in series.items():
        ys[str(name)] = _as_float_1d(values, f"series '{name}'")
        if ys[str(name)].shape != x.shape:
            raise ValueError(f"series '{name}' has {ys[str(name)].size} values; x has {x.size}")
    trends = {}
    for name, coef in (trend_lines or {}).items():
        try:
            slope, intercept = (float(c) for c in coef)
        except (TypeError, ValueError):
            raise ValueError(f"trend_lines['{name}'] must be (slope, intercept), got {coef!r}") from None
        trends[str(name)] = (slope, intercept)
    right = [str(r) for r in right_axis]
    unknown = [r for r in right if r not in ys and r not in trends]
    if unknown:
        raise ValueError(f"right_axis names {unknown} are not series or trend lines: {list(ys)}")
    if right and all(n in right for n in ys) and all(n in right for n in trends):
        raise ValueError("right_axis cannot hold every series: the left axis would be empty")
    okx = np.isfinite(x)
    xlo, xhi = _finite_range(x)
    integer = bool(okx.any() and np.all(x[okx] == np.round(x[okx])))
    xticks = nice_ticks(xlo, xhi, n=6, integer=integer)
    trend_y = {}
    for name, (slope, intercept) in trends.items():
        trend_y[name] = (
            np.array([slope * xlo + intercept, slope * xhi + intercept]) if okx.any() else np.array([])
        )

    def side(names):
        return _finite_range(
            *([ys[n][okx] for n in names if n in ys] + [trend_y[n] for n in names if n in trend_y] or [[]])
        )

    left_names = [n for n in list(ys) + list(trends) if n not in right]
    yticks = nice_ticks(*side(left_names))
    y2ticks = nice_ticks(*side(right)) if right else None
    colours = {n: _PALETTE[k % len(_PALETTE)] for k, n in enumerate(ys)}
    for n in trends:
        colours.setdefault(n, _PALETTE[len(colours) % len(_PALETTE)])
    entries = [(f"{n} (right axis)" if n in right else n, colours[n], "line") for n in ys]
    entries += [(f"{n}: trend" + (" (right axis)" if n in right else ""), colours[n], "dash") for n in trends]
    width, ph = 640, 340
    placed, rows = _legend_layout(entries, width)
    top = (26 if title else 10) + rows * 16 + 6
    left = max(_text_width(s) for s in _tick_labels(yticks)) + 30
    right_margin = (max(_text_width(s) for s in _tick_labels(y2ticks)) + 30) if right else 20
    pw = width - left - right_margin
    height = top + ph + 44
    sx = _Scale(xticks, left, left + pw)
    sy = _Scale(yticks, top + ph, top)
    sy2 = _Scale(y2ticks, top + ph, top) if right else None
    parts = [_svg_open(width, height, title), _title(title, width)]
    parts.append(_axes(sx, sy, left, top, pw, ph, xlabel, ylabel, sy2, ", ".join(right)))
    for name, yv in ys.items():
        scale = sy2 if name in right else sy
        ok = okx & np.isfinite(yv)
        if not ok.any():
            continue
        d, pen_up = [], True
        for xi, yi, good in zip(sx(x), scale(yv), ok):
            if not good:
                pen_up = True
                continue
            d.append(f"{'M' if pen_up else 'L'}{_num(xi)} {_num(yi)}")
            pen_up = False
        parts.append(
            f'<path class="series" d="{"".join(d)}" fill="none" stroke="{colours[name]}" stroke-width="2">'
            f"<title>{escape(name)}</title></path>"
        )
        for xi, yi in zip(sx(x[ok]), scale(yv[ok])):
            parts.append(
                f'<circle class="vertex" cx="{_num(xi)}" cy="{_num(yi)}" r="2.5" fill="{colours[name]}"/>'
            )
    for name, yv in trend_y.items():
        if yv.size == 0:
            continue
        scale = sy2 if name in right else sy
        parts.append(
            f'<line class="trend" x1="{_num(float(sx(xlo)))}" y1="{_num(float(scale(yv[0])))}" '
            f'x2="{_num(float(sx(xhi)))}" y2="{_num(float(scale(yv[1])))}" stroke="{colours[name]}" '
            f'stroke-width="1.5" stroke-dasharray="6,4"><title>{escape(name)}: trend</title></line>'
        )
    parts.append(_legend(placed, (26 if title else 10) + 10))
    parts.append("</svg>")
    return "".join(parts)


# ----------------------------------------------------------------------------------------------- sankey
def _fmt_amount(v) -> str:
    """A flow value for a label: thousands separators for large values, 3 significant digits for small."""
    a = abs(v)
    if a >= 1000:
        text = f"{v:,.0f}"
    elif a >= 10:
        text = f"{v:,.1f}"
    else:
        text = f"{v:.3g}"
    return text.replace("-", _MINUS)


def svg_sankey(flows, title="", unit="", colors=None, column_titles=None) -> str:
    """A two-column flow (Sankey) diagram: sources on the left, targets on the right.

    Parameters
    ----------
    flows : sequence of (str, str, float)
        ``(source_label, target_label, value)``; band widths are proportional to ``value``. Zero and
        non-finite values are skipped; a negative value is an error (show magnitudes, e.g. areas).
        The same label may appear on both sides (a class at the start and at the end): the two columns
        are separate nodes. Both columns list the labels in order of their first appearance in ``flows``.
    title : str, optional
    unit : str, optional
        Appended to the values in the node labels and tooltips ("hm²").
    colors : dict of str → str, optional
        ``'#rrggbb'`` per label; default a colour-blind safe palette in order of first appearance (a
        label has the same colour on both sides). Bands take the colour of their source.
    column_titles : (str, str), optional
        Headings over the two columns, e.g. ``("2000", "2020")``.

    Returns
    -------
    str
        An ``<svg>`` element; one ``<path class="flow">`` per drawn flow and one ``<rect class="node">``
        per node. Node labels show the label and the node's total. With nothing to draw, a frame with
        the text "no flows".

    Raises
    ------
    ValueError
        A flow that is not a (source, target, value) triple, a non-numeric or negative value, or a
        colour that is not ``'#rrggbb'``.

    Examples
    --------
    >>> svg = svg_sankey([("Cropland", "Forest", 12.0), ("Cropland", "Cropland", 80.0)], unit="hm²")
    >>> svg.count('class="flow"')
    2
    """
    drawn = []
    for k, item in enumerate(flows or ()):
        try:
            source, target, value = item
        except (TypeError, ValueError):
            raise ValueError(f"flows[{k}] must be a (source, target, value) triple, got {item!r}") from None
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"flows[{k}]: value {value!r} is not a number") from None
        if not math.isfinite(value) or value == 0:
            continue
        if value < 0:
            raise ValueError(f"flows[{k}] ({source} → {target}): value {value:g} is negative")
        drawn.append((str(source), str(target), value))
    colors = dict(colors or {})
    for label, colour in colors.items():
        if not (isinstance(colour, str) and HEX_COLOUR.match(colour)):
            raise ValueError(f"colors[{label!r}] must be '#rrggbb', got {colour!r}")
    suffix = f" {unit}" if unit else ""
    # One order for both columns: first appearance of a label anywhere (a class keeps its place).
    rank = {label: k for k, label in enumerate(dict.fromkeys(x for s, t, _ in drawn for x in (s, t)))}
    sources = sorted(dict.fromkeys(s for s, _, _ in drawn), key=rank.get)
    targets = sorted(dict.fromkeys(t for _, t, _ in drawn), key=rank.get)
    palette = {}
    for label in dict.fromkeys(sources + targets):
        palette[label] = colors.get(label) or _PALETTE[len(palette) % len(_PALETTE)]
    out_total = {s: 0.0 for s in sources}
    in_total = {t: 0.0 for t in targets}
    for s, t, v in drawn:
        out_total[s] += v
        in_total[t] += v
    left_labels = [f"{s} ({_fmt_amount(out_total[s])}{suffix})" for s in sources]
    right_labels = [f"{t} ({_fmt_amount(in_total[t])}{suffix})" for t in targets]
    node_w, gap = 14, 12
    left = max((_text_width(s) for s in left_labels), default=40) + 16
    right_margin = max((_text_width(s) for s in right_labels), default=40) + 16
    width = max(640.0, left + right_margin + 240)
    heads = column_titles is not None and any(column_titles)
    top = (26 if title else 10) + (18 if heads else 0)
    n_max = max(len(sources), len(targets), 1)
    ph = max(260.0, 30.0 * n_max)
    height = top + ph + 14
    parts = [_svg_open(width, height, title), _title(title, width)]
    x_left, x_right = left, width - right_margin - node_w
    if heads:
        a, b = (list(column_titles) + ["", ""])[:2]
        y = top - 8
        parts.append(
            f'<g class="column-titles" font-weight="bold"><text x="{_num(x_left + node_w / 2)}" y="{_num(y)}" '
            f'text-anchor="middle">{escape(a)}</text><text x="{_num(x_right + node_w / 2)}" y="{_num(y)}" '
            f'text-anchor="middle">{escape(b)}</text></g>'
        )
    if not drawn:
        parts.append(
            f'<text x="{_num(width / 2)}" y="{_num(top + ph / 2)}" text-anchor="middle" fill="#777">no flows</text>'
            "</svg>"
        )
        return "".join(parts)
    total = sum(v for _, _, v in drawn)
    scale = (ph - gap * (n_max - 1)) / total

    def place(labels, totals):
        used = sum(totals[x] for x in labels) * scale + gap * (len(labels) - 1)
        y, pos = top + (ph - used) / 2, {}
        for x in labels:
            pos[x] = y
            y += totals[x] * scale + gap
        return pos

    y_src, y_dst = place(sources, out_total), place(targets, in_total)
    s_index = {s: i for i, s in enumerate(sources)}
    t_index = {t: i for i, t in enumerate(targets)}
    # Bands leave a source in target order and reach a target in source order: fewest crossings.
    order = sorted(range(len(drawn)), key=lambda k: (s_index[drawn[k][0]], t_index[drawn[k][1]]))
    s_cursor, t_cursor = dict(y_src), dict(y_dst)
    starts, ends = {}, {}
    for k in order:
        s, _, v = drawn[k]
        starts[k] = s_cursor[s]
        s_cursor[s] += v * scale
    for k in sorted(range(len(drawn)), key=lambda k: (t_index[drawn[k][1]], s_index[drawn[k][0]])):
        _, t, v = drawn[k]
        ends[k] = t_cursor[t]
        t_cursor[t] += v * scale
    x0, x1 = x_left + node_w, x_right
    xm = (x0 + x1) / 2
    parts.append('<g class="flows" fill-opacity="0.45">')
    for k in order:
        s, t, v = drawn[k]
        h = max(v * scale, 0.5)  # thin flows stay visible
        a0, b0 = starts[k], ends[k]
        d = (
            f"M{_num(x0)} {_num(a0)}C{_num(xm)} {_num(a0)} {_num(xm)} {_num(b0)} {_num(x1)} {_num(b0)}"
            f"L{_num(x1)} {_num(b0 + h)}C{_num(xm)} {_num(b0 + h)} {_num(xm)} {_num(a0 + h)} {_num(x0)} "
            f"{_num(a0 + h)}Z"
        )
        parts.append(
            f'<path class="flow" d="{d}" fill="{palette[s]}"><title>{escape(s)} \u2192 {escape(t)}: '
            f"{escape(_fmt_amount(v) + suffix)}</title></path>"
        )
    parts.append('</g><g class="nodes">')
    for labels, pos, totals, x, texts, anchor in (
        (sources, y_src, out_total, x_left, left_labels, "end"),
        (targets, y_dst, in_total, x_right, right_labels, "start"),
    ):
        for label, text in zip(labels, texts):
            y, h = pos[label], max(totals[label] * scale, 0.5)
            tx = x - 6 if anchor == "end" else x + node_w + 6
            parts.append(
                f'<rect class="node" x="{_num(x)}" y="{_num(y)}" width="{node_w}" height="{_num(h)}" '
                f'fill="{palette[label]}" stroke="#333" stroke-width="0.5"><title>{escape(text)}</title></rect>'
                f'<text x="{_num(tx)}" y="{_num(y + h / 2 + 4)}" text-anchor="{anchor}">{escape(text)}</text>'
            )
    parts.append("</g></svg>")
    return "".join(parts)

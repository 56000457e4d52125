"""Stability of each pixel's series: coefficient of variation and its classes (docs/method.md, step 7)."""

from __future__ import annotations

import numpy as np

from ..common.classes import CLASS_NODATA, ClassInfo, ClassScheme

__all__ = ["CV_BREAKS", "coefficient_of_variation", "cv_class", "cv_scheme", "not_positive_series"]

#: Default class breaks of the coefficient of variation (five classes).
CV_BREAKS = (0.05, 0.10, 0.15, 0.20)

_CHUNK = 16384  # pixels per chunk

_FIVE_WORDS = ("Low", "Relatively low", "Medium", "Relatively high", "High")
# ColorBrewer RdYlGn (5), reversed: stable (green) to volatile (red). Other class counts interpolate it.
_PALETTE = ("#1a9641", "#a6d96a", "#ffffbf", "#fdae61", "#d7191c")


def coefficient_of_variation(values, ddof=1):
    """Coefficient of variation ``Cv = σ / μ`` of every pixel's series.

    Parameters
    ----------
    values : array_like of float, shape (n_times, n_pixels)
        One column per pixel, rows in time order. NaN (or any non-finite value) marks a missing value.
    ddof : {1, 0}, default 1
        Delta degrees of freedom of σ: 1 for the sample standard deviation (default), 0 for the
        population one.

    Returns
    -------
    numpy.ndarray of float64, shape (n_pixels,)
        Cv over each pixel's valid values; NaN where the pixel has fewer than 2 valid values, a negative
        value, or only zeros (:func:`not_positive_series`).

    Raises
    ------
    ValueError
        If ``values`` is not a 2-D real numeric array or ``ddof`` is not 0 or 1.

    Notes
    -----
    With the n valid values x₁…x_n of a pixel, ``μ = (1/n) Σ x_i`` and
    ``σ = sqrt(Σ (x_i − μ)² / (n − ddof))``, ``Cv = σ / μ``. A higher Cv means a more volatile, less
    stable series.

    Cv is a measure for quantities that cannot be negative (carbon density, storage, NPP, precipitation,
    measured on a ratio scale). A series with a negative value is not such a quantity (an anomaly, a
    slope, a temperature in °C): its mean can be any small number, even by rounding (a zero-mean anomaly
    series gave Cv ≈ 3.8e8), so Cv is NaN there, as it is for a series of zeros (μ = 0). For the series
    that remain, ``Cv ≤ √n`` (``√(n − 1)`` with ``ddof = 0``), reached when one value is non-zero. Count
    the NaN pixels with :func:`not_positive_series` to report them.

    References
    ----------
    Everitt, B. S., & Skrondal, A. (2010). The Cambridge Dictionary of Statistics (4th ed.),
    "coefficient of variation". Cambridge University Press.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[10.0, 12.0, 11.0, 13.0],
    ...               [5.0, np.nan, 5.0, 5.0],
    ...               [-1.0, 1.0, -2.0, 3.0]]).T
    >>> np.round(coefficient_of_variation(x), 4)
    array([0.1123, 0.    ,    nan])
    """
    x = np.asarray(values)
    if x.dtype.kind not in "fiu":
        raise ValueError(f"values must be a real numeric array (NaN for missing), got dtype {x.dtype}")
    if x.ndim != 2:
        raise ValueError(f"values must be a 2-D array of shape (n_times, n_pixels), got shape {x.shape}")
    if isinstance(ddof, (bool, np.bool_)) or ddof not in (0, 1):
        raise ValueError(f"ddof must be 0 (population σ) or 1 (sample σ), got {ddof!r}")
    return _cv(x.astype(np.float64, copy=False), int(ddof))


def _cv(x, ddof):
    out = np.empty(x.shape[1])
    for start in range(0, x.shape[1], _CHUNK):  # small temporaries: fast and light on memory
        out[start : start + _CHUNK] = _cv_kernel(x[:, start : start + _CHUNK], ddof)
    return out


def _cv_kernel(x, ddof):
    valid = np.isfinite(x)
    n = valid.sum(axis=0)
    xz = np.where(valid, x, 0.0)
    safe_n = np.maximum(n, 1)
    mean = xz.sum(axis=0) / safe_n
    dev = np.where(valid, xz - mean, 0.0)
    var = np.einsum("tp,tp->p", dev, dev) / np.maximum(n - ddof, 1)
    negative = np.any(xz < 0.0, axis=0)
    ok = (n >= 2) & (mean > 0.0) & ~negative
    out = np.full(x.shape[1], np.nan)
    out[ok] = np.sqrt(var[ok]) / mean[ok]
    return out


def not_positive_series(values) -> np.ndarray:
    """Pixels whose series is not of a positive quantity, so that Cv is not defined for them.

    Parameters
    ----------
    values : array_like of float, shape (n_times, n_pixels)
        As for :func:`coefficient_of_variation`; non-finite values are missing.

    Returns
    -------
    numpy.ndarray of bool, shape (n_pixels,)
        True where the pixel has at least 2 valid values and a negative value among them, or only zeros:
        exactly the pixels with enough values that :func:`coefficient_of_variation` leaves NaN.

    Examples
    --------
    >>> import numpy as np
    >>> not_positive_series(np.array([[1.0, 2.0], [-0.5, 0.5], [0.0, 0.0], [np.nan, -1.0]]).T).tolist()
    [False, True, True, False]
    """
    x = np.asarray(values)
    if x.dtype.kind not in "fiu":
        raise ValueError(f"values must be a real numeric array (NaN for missing), got dtype {x.dtype}")
    if x.ndim != 2:
        raise ValueError(f"values must be a 2-D array of shape (n_times, n_pixels), got shape {x.shape}")
    x = x.astype(np.float64, copy=False)
    valid = np.isfinite(x)
    xz = np.where(valid, x, 0.0)
    return (valid.sum(axis=0) >= 2) & (np.any(xz < 0.0, axis=0) | ~np.any(xz > 0.0, axis=0))


def cv_scheme(breaks=CV_BREAKS):
    """Class scheme of the coefficient of variation for the given breaks.

    Parameters
    ----------
    breaks : sequence of float, default (0.05, 0.10, 0.15, 0.20)
        k strictly increasing, positive, finite class limits (1 <= k <= 253).

    Returns
    -------
    ClassScheme
        Key ``"cv"``; k + 1 classes coded 1…k+1 from stable to volatile, right-closed:
        ``Cv <= b₁``, ``b₁ < Cv <= b₂``, …, ``Cv > b_k``. With five classes (k = 4, as by default) the
        names are prefixed with Low / Relatively low / Medium / Relatively high / High fluctuation.
        Colours run from green (stable) through yellow to red (volatile).

    Raises
    ------
    ValueError
        If ``breaks`` is empty, too long, not finite, not positive or not strictly increasing.

    Examples
    --------
    >>> s = cv_scheme()
    >>> [c.name for c in s.classes][:2]
    ['Low fluctuation (Cv <= 0.05)', 'Relatively low fluctuation (0.05 < Cv <= 0.10)']
    >>> [c.name for c in cv_scheme((0.1, 0.3)).classes]
    ['Cv <= 0.10', '0.10 < Cv <= 0.30', 'Cv > 0.30']
    """
    b = _check_breaks(breaks)
    labels = [_fmt(v) for v in b]
    ranges = (
        [f"Cv <= {labels[0]}"]
        + [f"{lo} < Cv <= {hi}" for lo, hi in zip(labels[:-1], labels[1:])]
        + [f"Cv > {labels[-1]}"]
    )
    if len(ranges) == len(_FIVE_WORDS):
        names = [f"{word} fluctuation ({r})" for word, r in zip(_FIVE_WORDS, ranges)]
    else:
        names = ranges
    colors = _palette(len(names))
    classes = tuple(ClassInfo(i + 1, name, color) for i, (name, color) in enumerate(zip(names, colors)))
    return ClassScheme("cv", "Coefficient of variation (stability)", classes)


def cv_class(cv, breaks=CV_BREAKS):
    """Class code of every coefficient of variation, as in :func:`cv_scheme`.

    Parameters
    ----------
    cv : array_like of float, any shape
        Coefficients of variation; NaN for nodata.
    breaks : sequence of float, default (0.05, 0.10, 0.15, 0.20)
        Strictly increasing, positive, finite class limits, as for :func:`cv_scheme`.

    Returns
    -------
    numpy.ndarray of uint8, same shape as ``cv``
        Code i (1…k+1) where ``b_{i−1} < Cv <= b_i`` (right-closed; ``b₀ = −∞``, ``b_{k+1} = +∞``),
        ``CLASS_NODATA`` (0) where ``cv`` is NaN.

    Raises
    ------
    ValueError
        If ``cv`` is not real numeric or ``breaks`` is invalid.

    Examples
    --------
    >>> cv_class([0.02, 0.05, 0.0500001, 0.2, 0.35, float("nan")])
    array([1, 1, 2, 4, 5, 0], dtype=uint8)
    """
    b = _check_breaks(breaks)
    c = np.asarray(cv)
    if c.dtype.kind not in "fiu":
        raise ValueError(f"cv must be a real numeric array (NaN for nodata), got dtype {c.dtype}")
    c = c.astype(np.float64, copy=False)
    codes = np.searchsorted(np.asarray(b), c, side="left") + 1
    return np.where(np.isnan(c), CLASS_NODATA, codes).astype(np.uint8)


def _check_breaks(breaks):
    try:
        b = np.asarray(breaks, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"breaks must be a sequence of numbers, got {breaks!r}") from None
    if b.ndim != 1 or not 1 <= b.size <= 253:
        raise ValueError(f"breaks must be a 1-D sequence of 1 to 253 numbers, got {breaks!r}")
    if not np.all(np.isfinite(b)) or np.any(b <= 0):
        raise ValueError(f"breaks must be finite and positive, got {breaks!r}")
    if np.any(np.diff(b) <= 0):
        raise ValueError(f"breaks must be strictly increasing, got {breaks!r}")
    return tuple(float(v) for v in b)


def _fmt(v):
    """At least two decimals, more when needed to show the break exactly (0.1 -> '0.10')."""
    s = f"{v:.2f}"
    return s if float(s) == v else repr(v)


def _palette(n):
    """n colours interpolated along the stable-to-volatile palette."""
    anchors = np.array([[int(h[i : i + 2], 16) for i in (1, 3, 5)] for h in _PALETTE], dtype=float)
    pos = np.linspace(0.0, len(anchors) - 1.0, n)
    rgb = np.column_stack([np.interp(pos, np.arange(len(anchors)), anchors[:, j]) for j in range(3)])
    return ["#{:02x}{:02x}{:02x}".format(*(int(round(v)) for v in row)) for row in rgb]

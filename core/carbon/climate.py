"""Regional climate series and their trends (docs/method.md, step 10, "warming and humidifying").

* :func:`align_years` matches the years of one yearly stack to another's (by year, never by band order);
* :class:`RegionalMean` accumulates the area-weighted regional mean of every year window by window, so a
  74-million-pixel stack is never in memory at once;
* :func:`series_trend` gives the Theil–Sen slope, Mann–Kendall test and least-squares line of one
  regional series;
* :func:`climate_direction` states the direction of the regional climate in words ("warming and
  humidifying"), derived from the signs and the significance of the trends.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine.raster import RasterInputError, Stack
from .storage import linear_trend

__all__ = ["RegionalMean", "align_years", "climate_direction", "format_years", "series_trend"]


# ----------------------------------------------------------------------------------------------------
# Years


def format_years(years) -> str:
    """Years as compact ranges.

    >>> format_years([2001, 2002, 2003, 2005, 2007, 2008])
    '2001–2003, 2005, 2007–2008'
    """
    years = sorted(int(y) for y in years)
    if not years:
        return "none"
    parts, start, prev = [], years[0], years[0]
    for y in [*years[1:], None]:
        if y is not None and y == prev + 1:
            prev = y
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if y is not None:
            start = prev = y
    return ", ".join(parts)


def align_years(stack: Stack, years, reference: str, reference_warnings=()) -> tuple[Stack, list[int]]:
    """The bands of ``stack`` for ``years``, in that order, and the years of ``stack`` left unused.

    Parameters
    ----------
    stack : core.engine.raster.Stack
        A yearly stack (e.g. precipitation).
    years : sequence of int
        The years wanted (e.g. those of the carbon density stack).
    reference : str
        What ``years`` belong to, for the message ("the carbon density stack").
    reference_warnings : sequence of str
        Warnings of the stack ``years`` come from (e.g. that its years were not found); added to the
        message when a year is missing, as they are then the likely cause.

    Returns
    -------
    (core.engine.raster.Stack, list of int)
        The stack restricted to and ordered by ``years``, and its extra years (ignored).

    Raises
    ------
    RasterInputError
        Naming the stack, its layer and the first missing years, when a year of ``years`` has no band.
    """
    index = {int(y): i for i, y in enumerate(stack.years)}
    wanted = [int(y) for y in years]
    missing = [y for y in wanted if y not in index]
    if missing:
        which = f"year {missing[0]}" if len(missing) == 1 else f"years {format_years(missing)}"
        message = (
            f"{stack.name} ('{stack.bands[0].layer}') has no band for {which} of {reference}; its years are "
            f"{format_years(stack.years)}. Give a band for every year of {reference} (extra years are "
            "ignored)."
        )
        if stack.warnings:
            message += " No year was found in its band descriptions or file names: give its years parameter."
        message += "".join(f" {w}" for w in reference_warnings)
        raise RasterInputError(message)
    extra = sorted(set(index) - set(wanted))
    aligned = Stack(
        stack.name,
        [stack.bands[index[y]] for y in wanted],
        np.asarray(wanted, dtype=np.int64),
        stack.grid,
        list(stack.warnings),
    )
    return aligned, extra


# ----------------------------------------------------------------------------------------------------
# Regional means


class RegionalMean:
    """Area-weighted regional mean of each year, accumulated over windows of pixels.

    Only pixels valid in every year are counted, so every yearly mean covers the same area and the
    series has no jumps from changing coverage; pixels with some but not all years are counted apart.

    .. math:: \\bar x_t = \\frac{\\sum_i a_i x_{it}}{\\sum_i a_i}

    over the complete pixels i, with :math:`a_i` the true pixel area.

    Attributes (after :meth:`add`)
    ------------------------------
    sum_ : numpy.ndarray, ``(n_years,)`` Σ area × value
    area_m2_ : float, area of the counted pixels
    pixels_ : int, counted pixels
    incomplete_pixels_ : int, pixels with at least one valid year that were left out

    Examples
    --------
    >>> acc = RegionalMean(2)
    >>> acc.add([[1.0, 3.0, np.nan], [2.0, 4.0, 5.0]], [100.0, 300.0, 100.0])
    >>> acc.means().tolist(), acc.pixels_, acc.incomplete_pixels_
    ([2.5, 3.5], 2, 1)
    """

    def __init__(self, n_years: int):
        if isinstance(n_years, (bool, np.bool_)) or not isinstance(n_years, (int, np.integer)) or n_years < 1:
            raise ValueError(f"n_years must be a positive integer; got {n_years!r}")
        self.n_years = int(n_years)
        self.sum_ = np.zeros(self.n_years)
        self.area_m2_ = 0.0
        self.pixels_ = 0
        self.incomplete_pixels_ = 0

    def add(self, values, area_m2):
        """Add a block of pixels.

        Parameters
        ----------
        values : array_like, shape ``(n_years, n_pixels)``
            NaN = missing.
        area_m2 : array_like, shape ``(n_pixels,)`` or ``(1, n_pixels)``
            True area of each pixel.
        """
        values = np.asarray(values, dtype=np.float64)
        area = np.asarray(area_m2, dtype=np.float64).reshape(-1)
        if values.ndim != 2 or values.shape[0] != self.n_years or values.shape[1] != area.size:
            raise ValueError(
                f"values must be ({self.n_years}, n_pixels) with n_pixels = len(area_m2) = {area.size}; "
                f"got {values.shape}"
            )
        finite = np.isfinite(values)
        complete = finite.all(axis=0)
        self.incomplete_pixels_ += int(np.count_nonzero(~complete & finite.any(axis=0)))
        a = area[complete]
        self.sum_ += values[:, complete] @ a
        self.area_m2_ += float(a.sum())
        self.pixels_ += int(np.count_nonzero(complete))

    def means(self) -> np.ndarray:
        """The regional mean of each year (NaN for all years when no pixel was complete)."""
        if self.area_m2_ <= 0:
            return np.full(self.n_years, np.nan)
        return self.sum_ / self.area_m2_


# ----------------------------------------------------------------------------------------------------
# Trend of one series


def series_trend(years, values) -> dict:
    """Theil–Sen slope with the Mann–Kendall test, and the least-squares line, of one series.

    Parameters
    ----------
    years : array_like of int, shape (n,)
        Strictly increasing years.
    values : array_like of float, shape (n,)
        The series (NaN = missing).

    Returns
    -------
    dict
        ``sen_slope``, ``sen_intercept`` (:math:`\\operatorname{median}(x) - \\beta\\,\\operatorname{median}(t)`,
        Conover 1980, as ``scipy.stats.theilslopes``), ``mk_s``,
        ``mk_z``, ``mk_p`` (two-sided), ``ls_slope``, ``ls_intercept``, ``ls_r2``, ``ls_p`` (t test of
        the slope, n − 2 df) and ``n`` (valid years). Slopes are per year.

    Raises
    ------
    ValueError
        Fewer than 4 valid values, or years and values of different lengths.

    Notes
    -----
    The Sen slope and Mann–Kendall statistics are those of :func:`core.stats.trend.sen_mann_kendall` on the
    series as a one-pixel block; the least-squares line is :func:`core.carbon.storage.linear_trend`.

    References
    ----------
    Sen, P. K. (1968) JASA 63:1379–1389. Mann, H. B. (1945) Econometrica 13:245–259. Conover, W. J.
    (1980) Practical Nonparametric Statistics, 2nd ed., Wiley, p. 267.

    Examples
    --------
    >>> res = series_trend([2001, 2002, 2003, 2004, 2005], [1.0, 1.2, 1.1, 1.5, 1.6])
    >>> round(res["sen_slope"], 3), round(res["ls_slope"], 3), res["n"]
    (0.15, 0.15, 5)
    """
    from ..stats.trend import sen_mann_kendall

    t = np.asarray(years, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    if t.ndim != 1 or t.shape != v.shape:
        raise ValueError(f"years and values must be 1-D of the same length; got {t.shape} and {v.shape}")
    ok = np.isfinite(v)
    if np.count_nonzero(ok) < 4:
        raise ValueError(f"a trend needs at least 4 valid values; got {int(np.count_nonzero(ok))}")
    sk = sen_mann_kendall(v[:, None], t)
    slope = float(sk["slope"][0])
    ls = linear_trend(t, v)
    return {
        "sen_slope": slope,
        "sen_intercept": float(np.median(v[ok]) - slope * np.median(t[ok])),
        "mk_s": int(sk["s"][0]),
        "mk_z": float(sk["z"][0]),
        "mk_p": float(sk["p"][0]),
        "ls_slope": ls["slope"],
        "ls_intercept": ls["intercept"],
        "ls_r2": ls["r2"],
        "ls_p": ls["p"],
        "n": int(np.count_nonzero(ok)),
    }


# ----------------------------------------------------------------------------------------------------
# Words


def _rate(slope, unit) -> str:
    if not math.isfinite(slope):
        return "no trend"
    num = np.format_float_positional(slope, precision=2, fractional=False, trim="-", sign=True)
    return f"{num} {unit}/a" if unit else f"{num}/a"


def _p_text(p) -> str:
    if not math.isfinite(p):
        return "p n/a"
    return "p < 0.001" if p < 0.001 else f"p = {p:.2g}"


def _word(slope, up, down):
    if not math.isfinite(slope) or slope == 0:
        return None
    return up if slope > 0 else down


def climate_direction(temperature, precipitation, aridity=None, alpha=0.05, aridity_higher_is_wetter=True):
    """The direction of the regional climate in one sentence, derived from the trends.

    Parameters
    ----------
    temperature, precipitation : tuple (slope, p, unit)
        Slope per year (the Theil–Sen slope), its two-sided p (Mann–Kendall) and the unit of the
        variable ("°C", "mm").
    aridity : tuple (slope, p, unit), optional
        The same for an aridity index.
    alpha : float, default 0.05
        Significance level, in (0, 1).
    aridity_higher_is_wetter : bool, default True
        True for an index where higher means wetter (P/PET, UNEP 1992), False where higher means drier
        (PET/P).

    Returns
    -------
    str
        The rates with their p-values, then the direction: a positive temperature slope is "warming", a
        negative one "cooling"; a positive precipitation slope is "humidifying", a negative one
        "drying". Directions with p ≥ alpha are named as a non-significant tendency. The aridity index,
        when given, adds whether it indicates wetter or drier conditions.

    Raises
    ------
    ValueError
        If ``alpha`` is out of range or an argument is not a (slope, p, unit) triple.

    Examples
    --------
    >>> climate_direction((0.041, 0.01, "°C"), (2.13, 0.03, "mm"))
    'Temperature: +0.041 °C/a (p = 0.01), precipitation: +2.1 mm/a (p = 0.03): warming and humidifying.'
    >>> climate_direction((0.041, 0.002, "°C"), (-1.5, 0.4, "mm"))
    'Temperature: +0.041 °C/a (p = 0.002), precipitation: -1.5 mm/a (p = 0.4): warming, with a non-significant drying tendency (alpha = 0.05).'
    """
    alpha = float(alpha)
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be in (0, 1); got {alpha}")
    parts = []
    for name, arg in (("temperature", temperature), ("precipitation", precipitation), ("aridity", aridity)):
        if arg is None and name == "aridity":
            continue
        try:
            slope, p, unit = arg
            slope, p = float(slope), float(p)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be a (slope, p, unit) triple; got {arg!r}") from None
        parts.append((name, slope, p, str(unit or "")))
    labels = {"temperature": "Temperature", "precipitation": "precipitation", "aridity": "aridity index"}
    numbers = ", ".join(f"{labels[n]}: {_rate(s, u)} ({_p_text(p)})" for n, s, p, u in parts)
    sig, weak = [], []
    for name, slope, p, _ in parts[:2]:
        word = (
            _word(slope, "warming", "cooling")
            if name == "temperature"
            else _word(slope, "humidifying", "drying")
        )
        if word is not None:
            (sig if p < alpha else weak).append(word)
    if sig and not weak:
        direction = " and ".join(sig)
    elif sig:
        direction = (
            f"{' and '.join(sig)}, with a non-significant {' and '.join(weak)} tendency (alpha = {alpha:g})"
        )
    elif weak:
        direction = (
            f"no significant trend (a non-significant {' and '.join(weak)} tendency, alpha = {alpha:g})"
        )
    else:
        direction = "no change"
    sentence = f"{numbers}: {direction}"
    if aridity is not None:
        _, slope, p, _ = parts[2]
        wetter = slope > 0 if aridity_higher_is_wetter else slope < 0
        if math.isfinite(slope) and slope != 0:
            what = "wetter" if wetter else "drier"
            sentence += f"; the aridity index indicates {what} conditions" + (
                "" if p < alpha else " (not significant)"
            )
        else:
            sentence += "; the aridity index shows no trend"
    return sentence + "."

"""Land-use transitions and their carbon contribution (docs/method.md, step 11).

Two land-use rasters (start, end) give a transition matrix in area; the carbon change of each pixel
(end storage − start storage) is summed by transition, and the *contribution rate* of a land-use class or
of a set of conversions is its share of the total change. Everything is accumulated window by window
(:class:`TransitionAccumulator`), so a 74-million-pixel region never has to be in memory at once.

Class table
-----------
:data:`CNLUCC` is the default: the six first-level classes of the Chinese land-use/land-cover
classification (CNLUCC, Resource and Environment Science and Data Center, Chinese Academy of Sciences;
Liu et al. 2014): 1 cropland, 2 forest, 3 grassland, 4 water, 5 built-up land, 6 unused land. Rasters
coded with the second-level classes of the same system (11–12 paddy field and dry land; 21–24 forest,
shrubland, sparse woodland, other woodland; 31–33 high-, medium- and low-coverage grassland; 41–46
rivers, lakes, reservoirs, glaciers and snow, tidal flats, beach land; 51–53 urban, rural settlement,
other built-up; 61–67 sand, Gobi, saline-alkali land, marsh, bare land, bare rock, other unused land) are
accepted as they are: a two-digit code that is not itself in the table is *folded* onto its first-level
class ``code // 10`` when that class is in the table (``fold_second_level``, on by default). A code in
the table always means itself, so a table that lists second-level classes keeps them apart.

Codes that are neither in the table nor folded onto it are *unknown*: they are counted (per raw code,
with their area and carbon change) and left out of the matrix and of the shares, never guessed.

References
----------
Liu, J., Kuang, W., Zhang, Z., et al. (2014). Spatiotemporal characteristics, patterns, and causes of
land-use changes in China since the late 1980s. Journal of Geographical Sciences 24(2), 195–210.
Pontius, R. G., Shusas, E., McEachern, M. (2004). Detecting important categorical land changes while
accounting for persistence. Agriculture, Ecosystems & Environment 101, 251–268.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

from ..common.classes import ClassInfo, ClassScheme

M2_PER_HM2 = 10_000.0
UNKNOWN = -1  # index of a code that is not in the class table
NODATA = -2  # index of a nodata (NaN) pixel
BASES = ("end", "start", "stock")
CARBON_UNITS = ("density", "storage")
# Okabe & Ito (2008) palette for user tables without colours.
_PALETTE = ("#E69F00", "#009E73", "#56B4E9", "#0072B2", "#D55E00", "#CC79A7", "#F0E442", "#999999")


@dataclass(frozen=True)
class LandUseClasses:
    """A land-use class table: integer code → name (and a colour for charts and styled rasters).

    Parameters
    ----------
    codes : tuple of int
        Class codes, unique, non-negative.
    names : tuple of str
        One unique, non-empty name per code.
    colors : tuple of str, optional
        ``'#rrggbb'`` per class; default a colour-blind safe palette.
    fold_second_level : bool, default True
        A two-digit code (10–99) that is not in the table counts as class ``code // 10`` when that is.

    Examples
    --------
    >>> CNLUCC.index([1, 12, 33, 5, 7, np.nan]).tolist()  # 12 → cropland, 33 → grassland, 7 unknown
    [0, 0, 2, 4, -1, -2]
    """

    codes: tuple[int, ...]
    names: tuple[str, ...]
    colors: tuple[str, ...] = ()
    fold_second_level: bool = True

    def __post_init__(self):
        codes = tuple(int(c) for c in self.codes)
        names = tuple(str(n).strip() for n in self.names)
        if not codes:
            raise ValueError("the class table is empty; give at least one code and name")
        if len(names) != len(codes):
            raise ValueError(f"the class table has {len(codes)} codes but {len(names)} names")
        if min(codes) < 0:
            raise ValueError(f"class codes must be non-negative integers; got {min(codes)}")
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        if repeated:
            raise ValueError(f"class code {repeated[0]} appears more than once in the class table")
        if any(not n for n in names):
            raise ValueError(f"class {codes[names.index('')]} has an empty name")
        keys = [_key(n) for n in names]
        dup = sorted({n for n, k in zip(names, keys) if keys.count(k) > 1})
        if dup:
            raise ValueError(f"class name '{dup[0]}' appears more than once in the class table")
        colors = tuple(self.colors) or tuple(_PALETTE[i % len(_PALETTE)] for i in range(len(codes)))
        if len(colors) != len(codes) or not all(re.fullmatch(r"#[0-9a-fA-F]{6}", c) for c in colors):
            raise ValueError(f"colors must be one '#rrggbb' per class; got {list(self.colors)}")
        object.__setattr__(self, "codes", codes)
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "colors", colors)
        order = np.argsort(codes)
        object.__setattr__(self, "_sorted", np.asarray(codes, dtype=np.int64)[order])
        object.__setattr__(self, "_order", order.astype(np.int64))

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence], fold_second_level: bool = True) -> LandUseClasses:
        """A table from ``(code, name)`` rows (a code may be given as text, e.g. ``"21"``).

        Colours come from :func:`default_colors`.

        Raises
        ------
        ValueError
            A row without two entries, a code that is not a whole number, or the checks of the class.
        """
        codes, names = [], []
        for k, row in enumerate(rows):
            row = list(row)
            if len(row) < 2:
                raise ValueError(f"class table row {k + 1}: give a code and a name")
            text = str(row[0]).strip()
            try:
                value = float(text)
            except ValueError:
                raise ValueError(f"class table row {k + 1}: code '{text}' is not a whole number") from None
            if not np.isfinite(value) or value != round(value):
                raise ValueError(f"class table row {k + 1}: code '{text}' is not a whole number")
            codes.append(int(value))
            names.append(str(row[1]) if row[1] is not None else "")
        return cls(tuple(codes), tuple(names), default_colors(names), fold_second_level)

    def __len__(self):
        return len(self.codes)

    def name_of(self, code: int) -> str:
        return self.names[self.codes.index(int(code))]

    def index(self, codes) -> np.ndarray:
        """Position of each raw code in the table: 0…n−1, ``UNKNOWN`` (−1) or ``NODATA`` (−2, NaN).

        Parameters
        ----------
        codes : array_like of float
            Raw land-use codes; NaN is nodata; a non-integer value is unknown.

        Returns
        -------
        numpy.ndarray of int64, same shape as ``codes``.
        """
        c = np.asarray(codes, dtype=np.float64)
        valid = np.isfinite(c)
        whole = valid & (c == np.round(c)) & (np.abs(c) < 2**62)
        ci = np.where(whole, c, -1).astype(np.int64)
        idx = self._lookup(ci)
        if self.fold_second_level:
            fold = (idx == UNKNOWN) & (ci >= 10) & (ci <= 99)
            if fold.any():
                idx[fold] = self._lookup(ci[fold] // 10)
        idx[valid & ~whole] = UNKNOWN
        idx[~valid] = NODATA
        return idx

    def _lookup(self, ci: np.ndarray) -> np.ndarray:
        pos = np.searchsorted(self._sorted, ci)
        pos = np.minimum(pos, self._sorted.size - 1)
        hit = self._sorted[pos] == ci
        return np.where(hit, self._order[pos], UNKNOWN)

    def resolve(self, items) -> list[int]:
        """Codes of classes given by name or code, e.g. ``"cropland, grassland, forest"`` or ``"1,2,3"``.

        Names match case-insensitively, ignoring spaces, hyphens and underscores; an unambiguous start of
        a name is enough ("built" → "Built-up land").

        Raises
        ------
        ValueError
            An item matches no class or more than one.

        Examples
        --------
        >>> CNLUCC.resolve("cropland, grassland, forest")
        [1, 3, 2]
        """
        if isinstance(items, str):
            items = [s for s in re.split(r"[,;]+", items) if s.strip()]
        out: list[int] = []
        keys = [_key(n) for n in self.names]
        for item in items:
            text = str(item).strip()
            key = _key(text)
            if re.fullmatch(r"-?\d+(\.0+)?", text) and int(float(text)) in self.codes:
                code = int(float(text))
            elif key in keys:
                code = self.codes[keys.index(key)]
            else:
                starts = [c for c, k in zip(self.codes, keys) if key and k.startswith(key)]
                if len(starts) != 1:
                    what = "matches more than one class" if starts else "is not a class code or name"
                    raise ValueError(
                        f"'{text}' {what}; the classes are "
                        + ", ".join(f"{c} {n}" for c, n in zip(self.codes, self.names))
                    )
                code = starts[0]
            if code not in out:
                out.append(code)
        return out


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", str(text)).lower()


def default_colors(names: Sequence[str]) -> tuple[str, ...]:
    """Chart colours of classes: the :data:`CNLUCC` colour of a class of that name, else a palette colour.

    >>> default_colors(["Forest", "Orchard"])
    ('#1b7837', '#009E73')
    """
    known = {_key(n): c for n, c in zip(CNLUCC.names, CNLUCC.colors)}
    return tuple(known.get(_key(n), _PALETTE[k % len(_PALETTE)]) for k, n in enumerate(names))


CNLUCC = LandUseClasses(
    (1, 2, 3, 4, 5, 6),
    ("Cropland", "Forest", "Grassland", "Water", "Built-up land", "Unused land"),
    ("#f2d36b", "#1b7837", "#a6d96a", "#4393c3", "#d6604d", "#bababa"),
)
"""The default table: first-level classes of the Chinese land-use classification (CNLUCC/RESDC)."""


def storage_t(values, area_m2, unit: str = "density") -> np.ndarray:
    """Carbon storage in t per pixel from a carbon raster given as density or as storage.

    Parameters
    ----------
    values : array_like of float, shape ``(n_pixels,)``
        Carbon density in t C/hm² (``unit="density"``) or storage in t C per pixel (``"storage"``).
    area_m2 : array_like of float, shape ``(n_pixels,)``
        True area of each pixel in m² (used only for density).
    unit : {"density", "storage"}

    Returns
    -------
    numpy.ndarray of float64
        ``density × area_m2 / 10 000`` or the storage as given.

    Examples
    --------
    >>> storage_t([50.0], [900.0]).tolist()  # 50 t/hm² on a 30 m pixel (0.09 hm²)
    [4.5]
    """
    if unit not in CARBON_UNITS:
        raise ValueError(f"unit must be one of {CARBON_UNITS}; got {unit!r}")
    v = np.asarray(values, dtype=np.float64).ravel()
    if unit == "storage":
        return v
    a = np.asarray(area_m2, dtype=np.float64).ravel()
    if a.shape != v.shape:
        raise ValueError(f"area_m2 must have one value per pixel ({v.size}); got {a.size}")
    return v * (a / M2_PER_HM2)


class TransitionAccumulator:
    """Accumulates area and carbon per (start class, end class) pair over windows.

    Each pixel falls in exactly one bin: *nodata* (land use missing at either date), *unknown* (a code
    not in the class table at either date; counted per raw code) or a transition ``i → j``. The area
    matrix counts every transition pixel; the carbon sums count the transition pixels with a valid
    carbon value at both dates (the others are counted in ``carbon_missing_pixels_``).

    Parameters
    ----------
    classes : LandUseClasses

    Attributes (matrices are ``(n_classes, n_classes)``, rows = start class, columns = end class)
    ----------
    pixels_, area_m2_ : transition pixels and their true area in m²
    carbon_pixels_ : pixels that also have carbon at both dates
    carbon_start_t_, carbon_end_t_, carbon_change_t_ : storage at start and end and its change, in t
    nodata_pixels_, nodata_area_m2_ : land use missing at either date
    unknown_pixels_, unknown_area_m2_, unknown_change_t_ : a code not in the table at either date
    unknown_start_codes_, unknown_end_codes_ : dict raw code → pixels
    folded_pixels_ : pixels with a second-level code folded onto its first-level class (either date)
    carbon_missing_pixels_, carbon_missing_area_m2_ : transition pixels without carbon at a date

    Examples
    --------
    >>> acc = TransitionAccumulator(CNLUCC)
    >>> _ = acc.add([1, 1, 3], [1, 2, 9], [900, 900, 900], [4.0, 4.0, 2.0], [5.0, 7.0, 2.0])
    >>> acc.carbon_change_t_[0, :2].tolist(), acc.unknown_end_codes_
    ([1.0, 3.0], {9: 1})
    """

    def __init__(self, classes: LandUseClasses = CNLUCC):
        if not isinstance(classes, LandUseClasses):
            raise ValueError("classes must be a LandUseClasses table")
        self.classes = classes
        n = len(classes)
        self.pixels_ = np.zeros((n, n), dtype=np.int64)
        self.carbon_pixels_ = np.zeros((n, n), dtype=np.int64)
        self.area_m2_ = np.zeros((n, n))
        self.carbon_start_t_ = np.zeros((n, n))
        self.carbon_end_t_ = np.zeros((n, n))
        self.nodata_pixels_ = 0
        self.nodata_area_m2_ = 0.0
        self.unknown_pixels_ = 0
        self.unknown_area_m2_ = 0.0
        self.unknown_change_t_ = 0.0
        self.unknown_start_codes_: dict[int | float, int] = {}
        self.unknown_end_codes_: dict[int | float, int] = {}
        self.folded_pixels_ = 0
        self.carbon_missing_pixels_ = 0
        self.carbon_missing_area_m2_ = 0.0

    def add(self, start_codes, end_codes, area_m2, carbon_start_t=None, carbon_end_t=None):
        """Add one window of pixels.

        Parameters
        ----------
        start_codes, end_codes : array_like of float, shape ``(n_pixels,)``
            Raw land-use codes at the two dates; NaN = nodata.
        area_m2 : array_like of float, shape ``(n_pixels,)``
            True pixel areas in m².
        carbon_start_t, carbon_end_t : array_like of float, shape ``(n_pixels,)``, optional
            Carbon storage of each pixel in t at the two dates (see :func:`storage_t`); NaN = missing.
            Without them only areas are accumulated.

        Returns
        -------
        self
        """
        a = np.asarray(start_codes, dtype=np.float64).ravel()
        b = np.asarray(end_codes, dtype=np.float64).ravel()
        area = np.asarray(area_m2, dtype=np.float64).ravel()
        if not (a.size == b.size == area.size):
            raise ValueError(
                f"start_codes, end_codes and area_m2 must have one value per pixel; got {a.size}, "
                f"{b.size} and {area.size}"
            )
        if (carbon_start_t is None) != (carbon_end_t is None):
            raise ValueError("give carbon_start_t and carbon_end_t together, or neither")
        if carbon_start_t is not None:
            c0 = np.asarray(carbon_start_t, dtype=np.float64).ravel()
            c1 = np.asarray(carbon_end_t, dtype=np.float64).ravel()
            if c0.size != a.size or c1.size != a.size:
                raise ValueError(
                    f"carbon_start_t and carbon_end_t must have one value per pixel ({a.size}); got "
                    f"{c0.size} and {c1.size}"
                )
        else:
            c0 = c1 = np.full(a.size, np.nan)
        ia, ib = self.classes.index(a), self.classes.index(b)
        nodata = (ia == NODATA) | (ib == NODATA)
        unknown = ~nodata & ((ia == UNKNOWN) | (ib == UNKNOWN))
        known = ~nodata & ~unknown
        self.nodata_pixels_ += int(np.count_nonzero(nodata))
        self.nodata_area_m2_ += float(area[nodata].sum())
        if unknown.any():
            self.unknown_pixels_ += int(np.count_nonzero(unknown))
            self.unknown_area_m2_ += float(area[unknown].sum())
            du = c1[unknown] - c0[unknown]
            self.unknown_change_t_ += float(du[np.isfinite(du)].sum())
            _count_codes(self.unknown_start_codes_, a[unknown & (ia == UNKNOWN)])
            _count_codes(self.unknown_end_codes_, b[unknown & (ib == UNKNOWN)])
        if self.classes.fold_second_level:
            in_table = np.isin(a, self.classes.codes) & np.isin(b, self.classes.codes)
            self.folded_pixels_ += int(np.count_nonzero(known & ~in_table))
        n = len(self.classes)
        pair = ia[known] * n + ib[known]
        self.pixels_ += np.bincount(pair, minlength=n * n).reshape(n, n)
        self.area_m2_ += np.bincount(pair, weights=area[known], minlength=n * n).reshape(n, n)
        k0, k1 = c0[known], c1[known]
        has_c = np.isfinite(k0) & np.isfinite(k1)
        missing = ~has_c
        self.carbon_missing_pixels_ += int(np.count_nonzero(missing))
        self.carbon_missing_area_m2_ += float(area[known][missing].sum())
        pc = pair[has_c]
        self.carbon_pixels_ += np.bincount(pc, minlength=n * n).reshape(n, n)
        self.carbon_start_t_ += np.bincount(pc, weights=k0[has_c], minlength=n * n).reshape(n, n)
        self.carbon_end_t_ += np.bincount(pc, weights=k1[has_c], minlength=n * n).reshape(n, n)
        return self

    @property
    def carbon_change_t_(self) -> np.ndarray:
        return self.carbon_end_t_ - self.carbon_start_t_

    @property
    def total_change_t_(self) -> float:
        """Total carbon change of the classified pixels with carbon at both dates, in t."""
        return float(self.carbon_end_t_.sum() - self.carbon_start_t_.sum())

    def transitions(self, include_empty: bool = False) -> dict[str, np.ndarray]:
        """The transitions as table columns, start class by start class.

        Returns
        -------
        dict of str → numpy.ndarray
            ``from_code, from_name, to_code, to_name, pixels, area_hm2, carbon_start_t, carbon_end_t,
            carbon_change_t, share_pct`` where ``share_pct = 100 · ΔC_ij / ΣΔC`` (NaN when ΣΔC = 0).
            Pairs without pixels are left out unless ``include_empty``.
        """
        n = len(self.classes)
        i, j = np.divmod(np.arange(n * n), n)
        keep = np.ones(n * n, dtype=bool) if include_empty else self.pixels_.ravel() > 0
        i, j = i[keep], j[keep]
        codes = np.asarray(self.classes.codes, dtype=np.int64)
        names = np.asarray(self.classes.names, dtype=object)
        dc = self.carbon_change_t_[i, j]
        return {
            "from_code": codes[i],
            "from_name": names[i],
            "to_code": codes[j],
            "to_name": names[j],
            "pixels": self.pixels_[i, j],
            "area_hm2": self.area_m2_[i, j] / M2_PER_HM2,
            "carbon_start_t": self.carbon_start_t_[i, j],
            "carbon_end_t": self.carbon_end_t_[i, j],
            "carbon_change_t": dc,
            "share_pct": _share(dc, self.total_change_t_),
        }


def _count_codes(counts: dict, values: np.ndarray):
    if values.size == 0:
        return
    uniq, n = np.unique(values, return_counts=True)
    for u, k in zip(uniq.tolist(), n.tolist()):
        key = int(u) if float(u).is_integer() else float(u)
        counts[key] = counts.get(key, 0) + int(k)


def _share(values, total):
    values = np.asarray(values, dtype=np.float64)
    if not np.isfinite(total) or total == 0:
        return np.full(values.shape, np.nan)
    return 100.0 * values / total


def contributions(acc: TransitionAccumulator, basis: str = "end") -> dict[str, np.ndarray]:
    """Contribution of each land-use class to the total carbon change.

    Parameters
    ----------
    acc : TransitionAccumulator
    basis : {"end", "start", "stock"}, default "end"
        How the carbon change is attributed to a class (rows i = start class, columns j = end class,
        ``ΔC_ij`` = Σ (end − start storage) of the pixels that went from i to j):

        - ``"end"`` (default): the change of all pixels whose **end** class is i,
          ``ΔC_i = Σ_j ΔC_ji`` — the carbon change on the land that class i occupies at the end. This is
          the reading of "the contribution of grassland" used in the carbon-storage literature that
          computes change pixel by pixel (and the paper's, docs/method.md, step 11).
        - ``"start"``: the change of all pixels whose **start** class is i, ``ΔC_i = Σ_j ΔC_ij``.
        - ``"stock"``: the change of the storage *held by* class i,
          ``ΔC_i = Σ_j C^end_ji − Σ_j C^start_ij`` — the InVEST-style "carbon storage of class i at the
          end minus at the start", which credits a class with the storage of land converted into it
          and debits it with the storage of land converted out.

    Returns
    -------
    dict of str → numpy.ndarray, one entry per class of the table
        ``code, name, area_start_hm2, area_end_hm2, area_change_hm2``;
        ``persistence_change_t`` = ``ΔC_ii`` (pixels that stayed in i, the same for every basis);
        ``conversion_change_t`` = the rest of ``ΔC_i``: ``Σ_{j≠i} ΔC_ji`` (end),
        ``Σ_{j≠i} ΔC_ij`` (start) or ``Σ_{j≠i} C^end_ji − Σ_{j≠i} C^start_ij`` (stock);
        ``carbon_change_t`` = persistence + conversion = ``ΔC_i``;
        ``share_pct``, ``persistence_share_pct``, ``conversion_share_pct`` = 100 · value / ΣΔC.

    Notes
    -----
    The contribution rate of class i is ``R_i = ΔC_i / ΔC × 100 %`` with ``ΔC = Σ_ij ΔC_ij`` the total
    change of the classified pixels with carbon at both dates. For every basis ``Σ_i ΔC_i = ΔC``, so the
    rates sum to 100 %; when changes of both signs occur a rate can be negative or above 100 %. The
    rates are NaN when ΔC = 0.

    Examples
    --------
    >>> acc = TransitionAccumulator(CNLUCC).add([1, 3], [3, 3], [1e4, 1e4], [10.0, 20.0], [25.0, 30.0])
    >>> contributions(acc)["share_pct"][:3].tolist()  # all 25 t of change ended on grassland
    [0.0, 0.0, 100.0]
    """
    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}; got {basis!r}")
    area = acc.area_m2_ / M2_PER_HM2
    dc = acc.carbon_change_t_
    persistence = np.diag(dc).copy()
    off = ~np.eye(len(acc.classes), dtype=bool)
    if basis == "end":
        conversion = (dc * off).sum(axis=0)
    elif basis == "start":
        conversion = (dc * off).sum(axis=1)
    else:
        conversion = (acc.carbon_end_t_ * off).sum(axis=0) - (acc.carbon_start_t_ * off).sum(axis=1)
    change = persistence + conversion
    total = acc.total_change_t_
    return {
        "code": np.asarray(acc.classes.codes, dtype=np.int64),
        "name": np.asarray(acc.classes.names, dtype=object),
        "area_start_hm2": area.sum(axis=1),
        "area_end_hm2": area.sum(axis=0),
        "area_change_hm2": area.sum(axis=0) - area.sum(axis=1),
        "persistence_change_t": persistence,
        "conversion_change_t": conversion,
        "carbon_change_t": change,
        "share_pct": _share(change, total),
        "persistence_share_pct": _share(persistence, total),
        "conversion_share_pct": _share(conversion, total),
    }


def conversion_set(acc: TransitionAccumulator, classes, targets=None) -> dict:
    """Total carbon change and share of a set of conversions.

    Parameters
    ----------
    acc : TransitionAccumulator
    classes : str or sequence of int or str
        Start classes, by code or name (see :meth:`LandUseClasses.resolve`).
    targets : str or sequence, optional
        End classes; default ``classes``, i.e. the conversions *among* the classes ("among cropland,
        grassland and forest": every i → j with i ≠ j, both in the set).

    Returns
    -------
    dict
        ``from_codes``, ``to_codes`` (lists), ``pairs`` (list of (from, to) codes with pixels),
        ``pixels``, ``area_hm2``, ``change_t`` = ``Σ ΔC_ij`` over the pairs, ``share_pct`` =
        ``100 · change_t / ΣΔC`` (NaN when ΣΔC = 0).

    Raises
    ------
    ValueError
        A class is unknown, or the set holds no pair i ≠ j.

    Examples
    --------
    >>> acc = TransitionAccumulator(CNLUCC).add([1, 3, 5], [3, 2, 5], [1e4] * 3, [5.0, 20, 9], [25.0, 40, 9])
    >>> conversion_set(acc, "cropland, grassland, forest")["share_pct"]
    100.0
    """
    src = acc.classes.resolve(classes)
    dst = src if targets is None else acc.classes.resolve(targets)
    if not src or not dst:
        raise ValueError("the conversion set needs at least one start and one end class")
    if len(set(src) | set(dst)) < 2:
        raise ValueError("the conversion set needs two different classes (conversions i → j, i ≠ j)")
    codes = list(acc.classes.codes)
    si = np.array([codes.index(c) for c in src])
    di = np.array([codes.index(c) for c in dst])
    mask = np.zeros((len(codes), len(codes)), dtype=bool)
    mask[np.ix_(si, di)] = True
    np.fill_diagonal(mask, False)
    change = float(acc.carbon_change_t_[mask].sum())
    i, j = np.nonzero(mask & (acc.pixels_ > 0))
    return {
        "from_codes": src,
        "to_codes": dst,
        "pairs": [(codes[a], codes[b]) for a, b in zip(i.tolist(), j.tolist())],
        "pixels": int(acc.pixels_[mask].sum()),
        "area_hm2": float(acc.area_m2_[mask].sum() / M2_PER_HM2),
        "change_t": change,
        "share_pct": float(_share(change, acc.total_change_t_)),
    }


def transition_scheme(classes: LandUseClasses) -> ClassScheme:
    """Class scheme of a one-byte transition raster: code ``from_index · n + to_index + 1``.

    Conversions are drawn in the colour of their end class, persistence in a pale tint of it. Only
    tables of at most 15 classes fit (15² = 225 codes; 0 is nodata).

    Raises
    ------
    ValueError
        More than 15 classes.
    """
    n = len(classes)
    if n > 15:
        raise ValueError(f"a transition raster holds at most 15 classes (225 transitions); the table has {n}")
    entries = []
    for i, a in enumerate(classes.names):
        for j, b in enumerate(classes.names):
            colour = classes.colors[j]
            name = f"{a} (unchanged)" if i == j else f"{a} \u2192 {b}"
            entries.append(ClassInfo(i * n + j + 1, name, _tint(colour) if i == j else colour))
    return ClassScheme("landuse_transitions", "Land-use transitions", tuple(entries))


def transition_codes(classes: LandUseClasses, start_codes, end_codes) -> np.ndarray:
    """Transition raster values (see :func:`transition_scheme`) of raw codes; 0 = nodata or unknown."""
    n = len(classes)
    ia, ib = classes.index(start_codes), classes.index(end_codes)
    ok = (ia >= 0) & (ib >= 0)
    return np.where(ok, ia * n + ib + 1, 0).astype(np.uint8)


def _tint(colour: str, keep: float = 0.35) -> str:
    rgb = [int(colour[k : k + 2], 16) for k in (1, 3, 5)]
    return "#{:02x}{:02x}{:02x}".format(*(round(255 - (255 - c) * keep) for c in rgb))

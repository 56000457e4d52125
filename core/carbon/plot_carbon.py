"""Carbon density of survey plots from the inventory: trees, shrubs, herbs, litter, roots, soil (METHOD.md step 1).

Every plot gets four pools in t C/hm² (= Mg C/ha), summed to its ecosystem carbon density::

    C_total = C_above + C_below + C_litter + C_soil

Units used throughout (chosen to match the usual field sheets; the conversions are in each docstring):

=========================  =========================================================================
tree DBH ``D``             cm, at 1.3 m
tree height ``H``          m
tree biomass ``B``         kg of dry matter per tree (what the allometric tables give)
tree plot area             m² (50 m × 50 m = 2500 m² by default, METHOD.md)
quadrat fresh weight       g per quadrat by default, or kg (``weight_unit``)
dry/fresh ratio            dimensionless, in (0, 1]
quadrat area               m² per ecosystem type (:class:`EcosystemType`)
SOC                        g C per kg of fine soil (< 2 mm)
bulk density ``BD``        g/cm³
layer depth                cm (thickness of the layer)
gravel                     volume fraction of coarse fragments (> 2 mm), in [0, 1)
every density out          t/hm²; 1 kg/m² = 10 t/hm², 1 g/m² = 0.01 t/hm²
=========================  =========================================================================

Rows with missing or impossible values are never turned into zeros: the affected pool and the total are
NaN and a :class:`Problem` names the plot (or the tree row) and what is wrong.

Values that are possible but implausible (a DBH of 1020 cm where 10.2 was meant, a height below 1.3 m, a
fresh weight of 30 kg/m², SOC of 900 g/kg) are checked against an editable table of plausible ranges
(:func:`load_plausible_ranges`, ``core/carbon/data/plausible_ranges.csv``). They are flagged by plot id like the
impossible ones and, unless ``keep_implausible`` is set, the affected pool and C_total are NaN, so that one
typing error does not turn a plot's 116 t/hm² into 2013 and feed the augmentation and the model.
"""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np

__all__ = [
    "DEFAULT_ALLOMETRY_PATH",
    "DEFAULT_CARBON_FRACTION",
    "DEFAULT_ECOSYSTEMS",
    "DEFAULT_RANGES_PATH",
    "DEFAULT_TREE_PLOT_M2",
    "RANGE_QUANTITIES",
    "Allometry",
    "AllometryError",
    "EcosystemType",
    "PlausibleRange",
    "PlotCarbon",
    "Problem",
    "allometry_from_rows",
    "below_ground_biomass",
    "load_allometry",
    "load_plausible_ranges",
    "normalise_key",
    "ranges_from_rows",
    "plot_carbon_density",
    "quadrat_dry_biomass",
    "soil_organic_carbon_density",
    "tree_biomass",
]

#: The allometry table shipped with the plugin (see ``core/carbon/data/README.md`` for every value's source).
DEFAULT_ALLOMETRY_PATH = os.path.join(os.path.dirname(__file__), "data", "allometry_default.csv")

#: The plausible ranges shipped with the plugin (see ``core/carbon/data/README.md`` for every bound's source).
DEFAULT_RANGES_PATH = os.path.join(os.path.dirname(__file__), "data", "plausible_ranges.csv")

#: Quantities of the plausible-range table, with the unit their bounds are in.
RANGE_QUANTITIES = {
    "dbh": "cm",
    "height": "m",
    "shrub_fresh": "g/m²",
    "herb_fresh": "g/m²",
    "litter_fresh": "g/m²",
    "dry_ratio": "",
    "soc": "g/kg",
    "bulk_density": "g/cm³",
    "gravel": "",
    "depth": "cm",
}

#: IPCC (2006) default carbon fraction of dry matter (Vol. 4, Ch. 4, Table 4.3), used for every pool.
DEFAULT_CARBON_FRACTION = 0.47

#: Tree plot of 50 m × 50 m (METHOD.md step 1).
DEFAULT_TREE_PLOT_M2 = 2500.0

MAX_BULK_DENSITY = 2.65  # g/cm³: particle density of quartz, the upper bound of any mineral soil
MAX_SOC = 1000.0  # g/kg: carbon cannot exceed the mass of the soil

_FORMS = {"D": "D", "A*D^B": "D", "D2H": "D2H", "A*(D^2*H)^B": "D2H", "A*(D2H)^B": "D2H"}


# ------------------------------------------------------------------------------------------------ tables
class AllometryError(ValueError):
    """The trees cannot be matched to the allometry table (a group is missing, or heights are)."""


@dataclass(frozen=True)
class Allometry:
    """One allometric equation: above-ground dry biomass of a tree, in kg.

    ``form`` is ``"D"`` for ``B = a · D^b`` or ``"D2H"`` for ``B = a · (D² · H)^b``, D in cm, H in m.
    """

    group: str
    form: str
    a: float
    b: float
    source: str = ""

    def __post_init__(self):
        if self.form not in ("D", "D2H"):
            raise ValueError(f"allometry group '{self.group}': form must be 'D' or 'D2H'; got {self.form!r}")
        if not (math.isfinite(self.a) and self.a > 0 and math.isfinite(self.b) and self.b > 0):
            raise ValueError(
                f"allometry group '{self.group}': a and b must be positive numbers; got a={self.a}, b={self.b}"
            )


@dataclass(frozen=True)
class EcosystemType:
    """What the computation needs to know about one ecosystem type.

    Attributes
    ----------
    root_shoot : float
        Below-ground : above-ground biomass ratio R. NaN means "no ratio known": the plots of this type
        get a problem and NaN below-ground carbon, never a silent 0.
    tree_layer : bool
        Plots of this type have a tree layer: with a tree table, such a plot with no tree is a problem.
    shrub_quadrat_m2, herb_quadrat_m2 : float
        Area of the shrub quadrat and of the herb (and litter) quadrat, m², to which the harvested fresh
        weights refer.
    """

    root_shoot: float
    tree_layer: bool = False
    shrub_quadrat_m2: float = 25.0
    herb_quadrat_m2: float = 1.0

    def __post_init__(self):
        if not (math.isnan(self.root_shoot) or (math.isfinite(self.root_shoot) and self.root_shoot >= 0)):
            raise ValueError(f"root_shoot must be a non-negative number or NaN; got {self.root_shoot}")
        for name in ("shrub_quadrat_m2", "herb_quadrat_m2"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be a positive area in m²; got {value}")


#: Default ecosystem types (keys are matched case-insensitively). Root:shoot ratios: China-wide medians of
#: Wang et al. (2014) for forest (0.23), shrubland (0.73) and grassland (6.0); cropland: IPCC (2006) Vol. 4
#: Table 11.2, maize (0.22). Wetland: no default ratio (NaN) — give a local one. Quadrats: herbs 1 m × 1 m,
#: 2 m × 2 m in wetland (METHOD.md); shrubs 5 m × 5 m (a common convention; METHOD.md gives no size).
DEFAULT_ECOSYSTEMS: dict[str, EcosystemType] = {
    "forest": EcosystemType(0.23, tree_layer=True, shrub_quadrat_m2=25.0, herb_quadrat_m2=1.0),
    "shrubland": EcosystemType(0.73, tree_layer=False, shrub_quadrat_m2=25.0, herb_quadrat_m2=1.0),
    "grassland": EcosystemType(6.0, tree_layer=False, shrub_quadrat_m2=25.0, herb_quadrat_m2=1.0),
    "cropland": EcosystemType(0.22, tree_layer=False, shrub_quadrat_m2=25.0, herb_quadrat_m2=1.0),
    "wetland": EcosystemType(float("nan"), tree_layer=False, shrub_quadrat_m2=25.0, herb_quadrat_m2=4.0),
}


def normalise_key(value) -> str | None:
    """The matching key of a plot id, species group or ecosystem type: trimmed, lower-case text.

    Numbers that are whole (``3``, ``3.0``, ``"3"``) give the same key, so a plot id stored as an
    integer in one table and as text or a real number in another still matches. None, NaN and empty
    text give None.

    >>> normalise_key(" Forest "), normalise_key(12.0), normalise_key("12"), normalise_key(float("nan"))
    ('forest', '12', '12', None)
    """
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value)).lower()
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value):
            return None
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    text = str(value).strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        return text.lower()
    if math.isfinite(number) and number.is_integer() and text.lstrip("+-").replace(".", "", 1).isdigit():
        return str(int(number))
    return text.lower()


def allometry_from_rows(rows: Sequence[Mapping[str, object]]) -> dict[str, Allometry]:
    """An allometry table from rows with keys ``group``, ``form``, ``a``, ``b`` and optionally ``source``.

    Parameters
    ----------
    rows : sequence of mapping
        One equation per row; ``form`` is ``D`` (``B = a·D^b``) or ``D2H`` (``B = a·(D²·H)^b``); the
        spelled-out forms ``a*D^b`` and ``a*(D^2*H)^b`` are accepted too.

    Returns
    -------
    dict of str to Allometry
        Keyed by :func:`normalise_key` of the group.

    Raises
    ------
    ValueError
        A row without a group, with an unknown form or with non-positive or non-numeric a or b (the
        message gives the row number, counted from 1, and the group), or a group given twice.
    """
    table: dict[str, Allometry] = {}
    for i, row in enumerate(rows, start=1):
        lowered = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
        group = str(lowered.get("group") or "").strip()
        key = normalise_key(group)
        if key is None:
            raise ValueError(f"allometry row {i}: the group is empty")
        form = _FORMS.get(str(lowered.get("form") or "").strip().upper().replace(" ", ""))
        if form is None:
            raise ValueError(
                f"allometry row {i} (group '{group}'): form must be 'D' (B = a·D^b) or 'D2H' "
                f"(B = a·(D²·H)^b); got {lowered.get('form')!r}"
            )
        try:
            a = float(str(lowered.get("a")).strip())
            b = float(str(lowered.get("b")).strip())
        except ValueError as exc:
            raise ValueError(
                f"allometry row {i} (group '{group}'): a and b must be numbers; got a={lowered.get('a')!r}, "
                f"b={lowered.get('b')!r}"
            ) from exc
        if key in table:
            raise ValueError(f"allometry row {i}: group '{group}' is given more than once")
        try:
            table[key] = Allometry(group, form, a, b, str(lowered.get("source") or "").strip())
        except ValueError as exc:
            raise ValueError(f"allometry row {i}: {exc}") from exc
    if not table:
        raise ValueError("the allometry table has no rows")
    return table


def load_allometry(path: str | os.PathLike | None = None) -> dict[str, Allometry]:
    """Read an allometry CSV (columns ``group,form,a,b`` and optional ``unit_notes,source``).

    Parameters
    ----------
    path : str or path-like, optional
        Default: the table shipped with the plugin, :data:`DEFAULT_ALLOMETRY_PATH`.

    Examples
    --------
    >>> table = load_allometry()
    >>> table["populus"].form, table["populus"].b
    ('D', 2.3867)
    """
    path = DEFAULT_ALLOMETRY_PATH if path is None else os.fspath(path)
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = {"group", "form", "a", "b"} - {str(h).strip().lower() for h in reader.fieldnames or ()}
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        return allometry_from_rows(list(reader))


@dataclass(frozen=True)
class PlausibleRange:
    """Bounds within which a field value is plausible: ``low <= value <= high``, in the quantity's unit."""

    quantity: str
    low: float
    high: float
    source: str = ""

    def __post_init__(self):
        if self.quantity not in RANGE_QUANTITIES:
            raise ValueError(
                f"plausible range: unknown quantity {self.quantity!r}; known: {', '.join(RANGE_QUANTITIES)}"
            )
        if math.isnan(self.low) or math.isnan(self.high) or not self.low <= self.high:
            raise ValueError(
                f"plausible range of {self.quantity}: min and max must be numbers with min <= max "
                f"(infinite for an open bound); got {self.low}, {self.high}"
            )

    @property
    def unit(self) -> str:
        return RANGE_QUANTITIES[self.quantity]

    def outside(self, values) -> np.ndarray:
        """True where a value is a number outside the bounds (NaN is never outside: it is missing)."""
        v = np.asarray(values, dtype=float)
        with np.errstate(invalid="ignore"):
            return (v < self.low) | (v > self.high)

    def text(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        if math.isinf(self.high):
            return f"≥ {self.low:g}{unit}" if math.isfinite(self.low) else "any value"
        if math.isinf(self.low):
            return f"≤ {self.high:g}{unit}"
        return f"{self.low:g}–{self.high:g}{unit}"


def ranges_from_rows(rows: Sequence[Mapping[str, object]]) -> dict[str, PlausibleRange]:
    """A plausible-range table from rows with keys ``quantity``, ``min``, ``max`` and optionally ``source``.

    A quantity left out of the table is not checked; an empty cell of ``min`` or ``max`` means no bound on
    that side.

    Raises
    ------
    ValueError
        An unknown quantity, one given twice, a bound that is not a number, or min > max; the message gives
        the row number, counted from 1.
    """
    table: dict[str, PlausibleRange] = {}
    for i, row in enumerate(rows, start=1):
        lowered = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
        quantity = str(lowered.get("quantity") or "").strip().lower()
        bounds = []
        for key, default in (("min", -math.inf), ("max", math.inf)):
            text = "" if lowered.get(key) is None else str(lowered.get(key)).strip()
            try:
                bounds.append(float(text) if text else default)
            except ValueError:
                raise ValueError(
                    f"plausible ranges row {i} ({quantity}): {key} {text!r} is not a number"
                ) from None
        if quantity in table:
            raise ValueError(f"plausible ranges row {i}: quantity '{quantity}' is given more than once")
        low, high = bounds
        try:
            entry = PlausibleRange(quantity, low, high, str(lowered.get("source") or "").strip())
        except ValueError as exc:
            raise ValueError(f"plausible ranges row {i}: {exc}") from exc
        table[quantity] = entry
    return table


def load_plausible_ranges(path: str | os.PathLike | None = None) -> dict[str, PlausibleRange]:
    """Read a plausible-range CSV (columns ``quantity,min,max`` and optional ``unit,source``).

    Parameters
    ----------
    path : str or path-like, optional
        Default: the table shipped with the plugin, :data:`DEFAULT_RANGES_PATH`. The units of the bounds
        are fixed per quantity (:data:`RANGE_QUANTITIES`); a ``unit`` column is for the reader.

    Examples
    --------
    >>> ranges = load_plausible_ranges()
    >>> ranges["dbh"].text(), ranges["height"].low
    ('2.5–300 cm', 1.3)
    """
    path = DEFAULT_RANGES_PATH if path is None else os.fspath(path)
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = {"quantity", "min", "max"} - {str(h).strip().lower() for h in reader.fieldnames or ()}
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        return ranges_from_rows(list(reader))


# ---------------------------------------------------------------------------------------------- formulas
def tree_biomass(dbh, height, groups, allometry: Mapping[str, Allometry]) -> np.ndarray:
    """Above-ground dry biomass of each tree from the allometric equation of its species group.

    Parameters
    ----------
    dbh : array_like of float, shape (n_trees,)
        Diameter at breast height, cm.
    height : array_like of float, shape (n_trees,), or None
        Tree height, m; needed only for groups of form ``D2H``.
    groups : array_like, shape (n_trees,)
        Species group of each tree, matched to the table keys with :func:`normalise_key`.
    allometry : mapping of str to Allometry
        E.g. from :func:`load_allometry`.

    Returns
    -------
    numpy.ndarray of float64, shape (n_trees,)
        Biomass in kg per tree; NaN where D (or H for a ``D2H`` group) is missing or not positive.

    Raises
    ------
    AllometryError
        A subclass of ValueError: a group is not in the table (the message names every such group), or a
        ``D2H`` group is used and no heights are given.

    Notes
    -----
    ``B = a · D^b`` (form ``D``) or ``B = a · (D² · H)^b`` (form ``D2H``), D in cm, H in m, B in kg.

    References
    ----------
    Jenkins, J. C., Chojnacky, D. C., Heath, L. S., & Birdsey, R. A. (2003). National-scale biomass
    estimators for United States tree species. Forest Science 49(1):12–35.
    Luo, Y., Wang, X., Ouyang, Z., Lu, F., Feng, L., & Tao, J. (2020). A review of biomass equations for
    China's tree species. Earth System Science Data 12:21–40.

    Examples
    --------
    >>> table = {"p": Allometry("p", "D", 0.1, 2.0), "q": Allometry("q", "D2H", 0.05, 1.0)}
    >>> tree_biomass([10.0, 10.0], [np.nan, 8.0], ["P", "q"], table).tolist()
    [10.0, 40.0]
    """
    d = _as_float(dbh, "dbh")
    keys = [normalise_key(g) for g in np.asarray(groups, dtype=object).ravel()]
    if len(keys) != d.size:
        raise ValueError(f"groups must have one value per tree ({d.size}); got {len(keys)}")
    h = np.full(d.size, np.nan) if height is None else _as_float(height, "height")
    if h.size != d.size:
        raise ValueError(f"height must have one value per tree ({d.size}); got {h.size}")
    unknown = sorted(
        {
            str(g).strip()
            for g, k in zip(np.asarray(groups, dtype=object).ravel(), keys)
            if k is not None and k not in allometry
        }
    )
    if unknown:
        raise AllometryError(
            f"species group(s) not in the allometry table: {', '.join(repr(u) for u in unknown)}; "
            f"the table has: {', '.join(sorted(e.group for e in allometry.values()))}"
        )
    a = np.full(d.size, np.nan)
    b = np.full(d.size, np.nan)
    d2h = np.zeros(d.size, dtype=bool)
    for i, k in enumerate(keys):
        if k is not None:
            eq = allometry[k]
            a[i], b[i], d2h[i] = eq.a, eq.b, eq.form == "D2H"
    if height is None and d2h.any():
        used = sorted({allometry[k].group for k, f in zip(keys, d2h) if f})
        raise AllometryError(f"group(s) {', '.join(used)} use B = a·(D²·H)^b; tree heights are needed")
    ok_d = np.isfinite(d) & (d > 0)
    ok_h = np.isfinite(h) & (h > 0)
    x = np.where(d2h, d * d * np.where(ok_h, h, np.nan), d)
    with np.errstate(invalid="ignore"):
        out = a * np.power(np.where(ok_d, x, np.nan), b)
    return out


def quadrat_dry_biomass(fresh_weight, dry_ratio, quadrat_m2, weight_unit: str = "g") -> np.ndarray:
    """Dry biomass density of a harvested quadrat, t/hm².

    Parameters
    ----------
    fresh_weight : array_like of float
        Fresh weight harvested from the quadrat, in ``weight_unit``.
    dry_ratio : array_like of float
        Dry/fresh weight ratio of the sample, in (0, 1].
    quadrat_m2 : array_like of float
        Harvested area, m².
    weight_unit : {"g", "kg"}
        Unit of ``fresh_weight``.

    Returns
    -------
    numpy.ndarray of float64
        ``fresh × ratio / area`` converted to t/hm²; NaN where an input is missing or impossible
        (negative weight, ratio outside (0, 1], area not positive).

    Notes
    -----
    With the weight in g: ``dry (g/m²) = fresh (g) × ratio / area (m²)`` and 1 g/m² = 10⁻⁶ t / 10⁻⁴ hm²
    = 0.01 t/hm²; with kg, 1 kg/m² = 10 t/hm².

    Examples
    --------
    >>> quadrat_dry_biomass(500.0, 0.4, 1.0).item()   # 200 g/m² of dry matter
    2.0
    """
    factor = {"g": 0.01, "kg": 10.0}.get(weight_unit)
    if factor is None:
        raise ValueError(f"weight_unit must be 'g' or 'kg'; got {weight_unit!r}")
    w = np.asarray(fresh_weight, dtype=float)
    r = np.asarray(dry_ratio, dtype=float)
    area = np.asarray(quadrat_m2, dtype=float)
    ok = (w >= 0) & (r > 0) & (r <= 1) & (area > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(ok, w * r / np.where(area > 0, area, np.nan) * factor, np.nan)


def below_ground_biomass(above, root_shoot) -> np.ndarray:
    """Below-ground biomass from above-ground biomass and the root:shoot ratio: ``B_below = B_above · R``.

    NaN where either is missing or negative.

    References
    ----------
    Mokany, K., Raison, R. J., & Prokushkin, A. S. (2006). Critical analysis of root:shoot ratios in
    terrestrial biomes. Global Change Biology 12:84–96.

    >>> below_ground_biomass([10.0, 4.0], [0.25, np.nan]).tolist()
    [2.5, nan]
    """
    above = np.asarray(above, dtype=float)
    r = np.asarray(root_shoot, dtype=float)
    return np.where((above >= 0) & (r >= 0), above * r, np.nan)


def soil_organic_carbon_density(soc, bulk_density, depth, gravel=None) -> np.ndarray:
    """Soil organic carbon density of each plot, summed over layers, t/hm².

    Parameters
    ----------
    soc, bulk_density, depth : array_like of float, shape (n_layers, n_plots) or (n_plots,)
        Organic carbon of the fine soil (g/kg), bulk density (g/cm³) and layer thickness (cm).
    gravel : array_like of float, same shape, optional
        Volume fraction of coarse fragments (> 2 mm), in [0, 1); default 0.

    Returns
    -------
    numpy.ndarray of float64, shape (n_plots,)
        ``Σ_layers SOC · BD · depth · (1 − gravel) / 10``; NaN for a plot where any layer has a missing
        or impossible value (SOC < 0 or > 1000 g/kg, BD ≤ 0 or > 2.65 g/cm³, depth ≤ 0, gravel < 0 or ≥ 1).

    Notes
    -----
    One cm³ of soil holds ``BD`` g of soil and ``SOC · BD / 1000`` g of carbon; a layer ``depth`` cm thick
    under 1 m² (10⁴ cm²) holds ``SOC · BD · depth · 10`` g C/m², and 1 g/m² = 0.01 t/hm², hence the
    division by 10. Coarse fragments hold no organic carbon and displace fine soil.

    References
    ----------
    Batjes, N. H. (1996). Total carbon and nitrogen in the soils of the world. European Journal of Soil
    Science 47:151–163.

    Examples
    --------
    >>> soil_organic_carbon_density([[10.0], [8.0]], [[1.3], [1.4]], [[10.0], [20.0]]).tolist()
    [35.4]
    """
    soc = np.atleast_2d(np.asarray(soc, dtype=float))
    bd = np.atleast_2d(np.asarray(bulk_density, dtype=float))
    dep = np.atleast_2d(np.asarray(depth, dtype=float))
    grv = np.zeros_like(soc) if gravel is None else np.atleast_2d(np.asarray(gravel, dtype=float))
    if not (soc.shape == bd.shape == dep.shape == grv.shape):
        raise ValueError(
            f"soc, bulk_density, depth and gravel must have the same shape; got {soc.shape}, {bd.shape}, "
            f"{dep.shape}, {grv.shape}"
        )
    ok = (
        (soc >= 0)
        & (soc <= MAX_SOC)
        & (bd > 0)
        & (bd <= MAX_BULK_DENSITY)
        & (dep > 0)
        & (grv >= 0)
        & (grv < 1)
    )
    layer = np.where(ok, soc * bd * dep * (1.0 - grv) / 10.0, np.nan)
    return layer.sum(axis=0)


# -------------------------------------------------------------------------------------- plot inventory
@dataclass(frozen=True)
class Problem:
    """Something wrong with one plot or one tree row.

    ``kind`` is ``"plot"`` or ``"tree"``; ``id`` the plot id or the tree row id shown to the user; ``row``
    the 0-based index of the plot in the input (None for tree rows that match no plot); ``implausible``
    marks a value outside its plausible range (possible, but most likely a typing or unit error).
    """

    kind: str
    id: object
    message: str
    row: int | None = None
    implausible: bool = False

    def __str__(self):
        return f"{'Plot' if self.kind == 'plot' else 'Tree row'} {self.id}: {self.message}"


@dataclass
class PlotCarbon:
    """Carbon density of every plot (t/hm²), the biomass behind it, and what went wrong where.

    ``C_*`` and ``biomass_*`` are float64 arrays in the order of the input plots; a pool that was not
    measured at all (no field given) is NaN for every plot and left out of ``C_total`` (``warnings`` say
    so); a pool that was measured but is missing or impossible for a plot is NaN there and so is that
    plot's ``C_total``. ``implausible`` marks the plots with a value outside its plausible range; their
    affected pool and ``C_total`` are NaN unless ``kept_implausible``.
    """

    ids: np.ndarray
    C_above: np.ndarray
    C_below: np.ndarray
    C_litter: np.ndarray
    C_soil: np.ndarray
    C_total: np.ndarray
    biomass_above: np.ndarray
    biomass_below: np.ndarray
    biomass_litter: np.ndarray
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    implausible: np.ndarray | None = None
    kept_implausible: bool = False

    def problem_text(self) -> np.ndarray:
        """Per plot, its problems joined with ``"; "`` (empty text when there is none)."""
        by_row: dict[int, list[str]] = {}
        for p in self.problems:
            if p.row is not None:
                by_row.setdefault(p.row, []).append(p.message)
        return np.array(["; ".join(by_row.get(i, [])) for i in range(self.ids.size)], dtype=object)


class _Collector:
    def __init__(self, ids):
        self.ids = ids
        self.problems: list[Problem] = []
        self.flagged = np.zeros(len(ids), dtype=bool)

    def plots(self, mask, message):
        for i in np.flatnonzero(mask):
            self.plot(i, message)

    def plot(self, i, message):
        self.problems.append(Problem("plot", self.ids[i], message, int(i)))

    def implausible(self, i, message):
        self.problems.append(Problem("plot", self.ids[i], message, int(i), implausible=True))
        self.flagged[i] = True

    def check(self, ranges, quantity, values, label, shown=None, among=None):
        """Flag every plot whose value lies outside the plausible range of ``quantity``.

        ``shown`` (default ``values``) is what the message quotes; ``among`` limits the check to plots where
        the value is usable at all (impossible values have their own problem already).
        """
        rng = ranges.get(quantity)
        if rng is None:
            return np.zeros(len(self.ids), dtype=bool)
        bad = rng.outside(values)
        if among is not None:
            bad &= among
        shown = values if shown is None else shown
        unit = f" {rng.unit}" if rng.unit else ""
        for i in np.flatnonzero(bad):
            self.implausible(i, f"{label} {shown[i]:g}{unit} is outside the plausible range {rng.text()}")
        return bad


def plot_carbon_density(
    plot_ids,
    ecosystem,
    *,
    shrub=None,
    herb=None,
    litter=None,
    soil_layers: Sequence[Mapping[str, object]] = (),
    trees: Mapping[str, object] | None = None,
    allometry: Mapping[str, Allometry] | None = None,
    ecosystems: Mapping[str, EcosystemType] | None = None,
    tree_plot_m2: float = DEFAULT_TREE_PLOT_M2,
    carbon_fraction_above: float = DEFAULT_CARBON_FRACTION,
    carbon_fraction_below: float = DEFAULT_CARBON_FRACTION,
    carbon_fraction_litter: float = DEFAULT_CARBON_FRACTION,
    weight_unit: str = "g",
    ranges: Mapping[str, PlausibleRange] | None = None,
    keep_implausible: bool = False,
) -> PlotCarbon:
    """Carbon density of each survey plot in four pools and in total, t/hm².

    Parameters
    ----------
    plot_ids : array_like, shape (n_plots,)
        Plot identifiers (text or numbers; matched to the tree table with :func:`normalise_key`).
    ecosystem : array_like, shape (n_plots,)
        Ecosystem type of each plot, a key of ``ecosystems`` (case-insensitive).
    shrub, herb, litter : tuple of two array_like, optional
        ``(fresh_weight, dry_ratio)`` per plot: fresh weight harvested from the quadrat in ``weight_unit``
        and the dry/fresh ratio. Not given: that layer was not measured (a warning says so). Enter 0 for
        an empty quadrat; a missing value is a problem.
    soil_layers : sequence of mapping
        One mapping per soil layer with arrays ``"soc"`` (g/kg), ``"bd"`` (g/cm³), ``"depth"`` (cm) and
        optionally ``"gravel"`` (volume fraction; absent means 0).
    trees : mapping, optional
        The tree table: arrays ``"plot_id"``, ``"group"``, ``"dbh"`` (cm) and optionally ``"height"`` (m),
        and optionally ``"row_id"`` (used in messages; default the row number from 1).
    allometry : mapping of str to Allometry, optional
        Default :func:`load_allometry` of the shipped table.
    ecosystems : mapping of str to EcosystemType, optional
        Default :data:`DEFAULT_ECOSYSTEMS`. Keys are matched case-insensitively.
    tree_plot_m2 : float
        Area of the tree plot, m² (default 2500 = 50 m × 50 m).
    carbon_fraction_above, carbon_fraction_below, carbon_fraction_litter : float
        Carbon fraction of dry matter of each pool, in (0, 1]; default 0.47 (IPCC 2006).
    weight_unit : {"g", "kg"}
        Unit of the quadrat fresh weights.
    ranges : mapping of str to PlausibleRange, optional
        Plausible ranges of the field values (:data:`RANGE_QUANTITIES`: DBH, height, fresh weight per m²
        of quadrat for shrubs, herbs and litter, dry/fresh ratio, SOC, bulk density, gravel, layer
        thickness). Default :func:`load_plausible_ranges` of the shipped table; ``{}`` checks nothing.
    keep_implausible : bool, default False
        Values outside their range are always flagged (a :class:`Problem` with ``implausible=True``, and
        ``PlotCarbon.implausible``). By default the affected pool and C_total of such a plot are NaN; with
        True they are computed from the values as given.

    Returns
    -------
    PlotCarbon

    Raises
    ------
    ValueError
        Arrays of different lengths, carbon fractions or plot area out of range, no pool given at all, a
        species group missing from the allometry table (named), or a ``D2H`` group without heights.

    Notes
    -----
    Trees: ``B = a·D^b`` or ``a·(D²·H)^b`` (kg/tree), ``B_tree (t/hm²) = Σ B / 1000 / (A / 10⁴)
    = 10 · Σ B / A`` with A the plot area in m². Shrubs, herbs, litter: ``dry = fresh · ratio / area``
    (:func:`quadrat_dry_biomass`). ``B_above = B_tree + B_shrub + B_herb``, ``B_below = R · B_above``
    with R the root:shoot ratio of the plot's ecosystem type. ``C_pool = CF_pool · B_pool``.
    Soil: :func:`soil_organic_carbon_density`. ``C_total = C_above + C_below + C_litter + C_soil`` over the
    pools that were measured.

    Plausibility: every tree's DBH and height (any height given, also for ``D`` equations, which do not
    use it), each quadrat's fresh weight per m² and dry/fresh ratio, and each soil layer's SOC, bulk
    density, gravel and thickness are compared with ``ranges``. Impossible values (negative weights, BD
    above 2.65 g/cm³…) are problems whatever the ranges; a value that is possible but outside its range
    flags the plot. The trees, shrubs and herbs feed C_above and C_below, litter C_litter, the soil C_soil.

    References
    ----------
    IPCC (2006). 2006 IPCC Guidelines for National Greenhouse Gas Inventories, Vol. 4 (AFOLU), Ch. 4,
    Table 4.3 (carbon fraction 0.47). Wang, L. et al. (2014). Biomass allocation patterns across China's
    terrestrial biomes. PLoS ONE 9(4): e93566. Mokany, K. et al. (2006). Global Change Biology 12:84–96.

    Examples
    --------
    A grassland plot: herbs 300 g fresh in 1 m² at dry ratio 0.5 = 150 g/m² = 1.5 t/hm², roots 6 × 1.5
    = 9 t/hm²; one soil layer 10 g/kg × 1.3 g/cm³ × 20 cm / 10 = 26 t C/hm².

    >>> r = plot_carbon_density(["g1"], ["grassland"], herb=([300.0], [0.5]),
    ...                         soil_layers=[{"soc": [10.0], "bd": [1.3], "depth": [20.0]}])
    >>> round(r.C_above[0], 4), round(r.C_below[0], 4), round(r.C_soil[0], 4), round(r.C_total[0], 4)
    (0.705, 4.23, 26.0, 30.935)
    """
    ids = np.asarray(plot_ids, dtype=object).ravel()
    n = ids.size
    eco = np.asarray(ecosystem, dtype=object).ravel()
    if eco.size != n:
        raise ValueError(f"ecosystem must have one value per plot ({n}); got {eco.size}")
    _check_settings(
        carbon_fraction_above, carbon_fraction_below, carbon_fraction_litter, tree_plot_m2, weight_unit
    )
    ecosystems = DEFAULT_ECOSYSTEMS if ecosystems is None else ecosystems
    if trees is not None and allometry is None:
        allometry = load_allometry()
    ranges = load_plausible_ranges() if ranges is None else dict(ranges)
    keep = bool(keep_implausible)
    layers = {"shrub": shrub, "herb": herb, "litter": litter}
    has_above = trees is not None or shrub is not None or herb is not None
    if not (has_above or litter is not None or soil_layers):
        raise ValueError("nothing to compute: give trees, shrubs, herbs, litter or soil layers")

    out = _Collector(ids)
    warnings: list[str] = []
    keys = np.array([normalise_key(v) for v in ids], dtype=object)

    # -- plot ids and ecosystem types
    bad_id = np.array([k is None for k in keys])
    out.plots(bad_id, "plot id missing")
    dup = _duplicated(keys) & ~bad_id
    out.plots(dup, "plot id appears more than once")
    types = _ecosystem_types(eco, ecosystems, out)
    known, tree_layer = types["known"], types["tree_layer"]

    # -- trees
    b_tree = np.zeros(n)
    if trees is not None:
        b_tree = _tree_layer(
            trees, allometry, keys, bad_id | dup, tree_layer, tree_plot_m2, out, ranges, keep
        )
    elif tree_layer.any():
        warnings.append(
            "No tree table given: the above-ground biomass of plots with a tree layer "
            f"({int(tree_layer.sum())} plots) counts shrubs and herbs only."
        )

    # -- shrubs, herbs, litter
    dry = {}
    for name, pair in layers.items():
        if pair is None:
            warnings.append(f"No {name} weights given: the {name} layer is not counted.")
            dry[name] = None
        else:
            area = types["herb_m2"] if name in ("herb", "litter") else types["shrub_m2"]
            dry[name] = _quadrat_layer(name, pair, area, weight_unit, out, ranges, keep)

    # -- above, below, litter
    nan = np.full(n, np.nan)
    if has_above:
        b_above, b_below = _above_and_below(b_tree, dry, types, eco, out)
    else:
        b_above = b_below = nan
        warnings.append("No trees, shrubs or herbs given: C_above and C_below are not computed.")
    b_litter = np.where(known, dry["litter"], np.nan) if dry["litter"] is not None else nan

    # -- soil
    if soil_layers:
        c_soil = _soil(soil_layers, n, out, ranges, keep)
    else:
        c_soil = nan
        warnings.append("No soil layers given: C_soil is not computed.")

    c_above = b_above * carbon_fraction_above
    c_below = b_below * carbon_fraction_below
    c_litter = b_litter * carbon_fraction_litter
    measured = [has_above, has_above, dry["litter"] is not None, bool(soil_layers)]
    c_total = np.sum([c for c, m in zip((c_above, c_below, c_litter, c_soil), measured) if m], axis=0)
    if not keep:
        c_total = np.where(out.flagged, np.nan, c_total)
    pools = (c_above, c_below, c_litter, c_soil, c_total, b_above, b_below, b_litter)
    return PlotCarbon(
        ids, *pools, out.problems, warnings, implausible=out.flagged.copy(), kept_implausible=keep
    )


def _above_and_below(b_tree, dry, types, eco, out: _Collector):
    """Above-ground biomass (trees, shrubs, herbs) and below-ground biomass by the root:shoot ratio."""
    known, root_shoot = types["known"], types["root_shoot"]
    b_above = b_tree + sum(dry[k] if dry[k] is not None else 0.0 for k in ("shrub", "herb"))
    b_above = np.where(known, b_above, np.nan)
    for i in np.flatnonzero(known & np.isnan(root_shoot)):
        out.plot(i, f"no root:shoot ratio for ecosystem type '{eco[i]}'; add one to the ecosystem table")
    return b_above, below_ground_biomass(b_above, root_shoot)


def _check_settings(cf_above, cf_below, cf_litter, tree_plot_m2, weight_unit):
    for name, cf in (
        ("carbon_fraction_above", cf_above),
        ("carbon_fraction_below", cf_below),
        ("carbon_fraction_litter", cf_litter),
    ):
        if not (math.isfinite(cf) and 0 < cf <= 1):
            raise ValueError(f"{name} must be in (0, 1]; got {cf}")
    if not (math.isfinite(tree_plot_m2) and tree_plot_m2 > 0):
        raise ValueError(f"tree_plot_m2 must be a positive area in m²; got {tree_plot_m2}")
    if weight_unit not in ("g", "kg"):
        raise ValueError(f"weight_unit must be 'g' or 'kg'; got {weight_unit!r}")


def _ecosystem_types(eco, ecosystems, out: _Collector) -> dict:
    """Per plot: whether its ecosystem type is known, its root:shoot ratio, quadrat sizes and tree layer.

    A missing or unknown type is a problem of the plot; its values are NaN (no tree layer).
    """
    table = {normalise_key(k): v for k, v in ecosystems.items()}
    types: list[EcosystemType | None] = []
    for i, k in enumerate(normalise_key(v) for v in eco):
        if k is None:
            out.plot(i, "ecosystem type missing")
        elif k not in table:
            known = ", ".join(str(t) for t in ecosystems)
            out.plot(i, f"ecosystem type '{eco[i]}' is not in the ecosystem table ({known})")
        types.append(table.get(k) if k is not None else None)
    return {
        "known": np.array([t is not None for t in types]),
        "root_shoot": np.array([t.root_shoot if t is not None else np.nan for t in types]),
        "shrub_m2": np.array([t.shrub_quadrat_m2 if t is not None else np.nan for t in types]),
        "herb_m2": np.array([t.herb_quadrat_m2 if t is not None else np.nan for t in types]),
        "tree_layer": np.array([t.tree_layer if t is not None else False for t in types]),
    }


def _quadrat_layer(name, pair, area, weight_unit, out: _Collector, ranges, keep) -> np.ndarray:
    """Dry biomass (t/hm²) of the shrub, herb or litter quadrats; NaN where a value is a problem (or out of
    its plausible range, unless ``keep``)."""
    n = area.size
    fresh, ratio = (_as_float(v, f"{name} {part}") for v, part in zip(pair, ("fresh weight", "dry ratio")))
    if fresh.size != n or ratio.size != n:
        raise ValueError(f"{name}: fresh weights and dry ratios must have one value per plot ({n})")
    out.plots(np.isnan(fresh), f"{name} fresh weight missing")
    out.plots(fresh < 0, f"{name} fresh weight is negative")
    out.plots(np.isnan(ratio), f"{name} dry/fresh ratio missing")
    out.plots((ratio <= 0) | (ratio > 1), f"{name} dry/fresh ratio must be in (0, 1]")
    dry = quadrat_dry_biomass(fresh, ratio, area, weight_unit)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_m2 = fresh * (1000.0 if weight_unit == "kg" else 1.0) / area  # g/m², the range's unit
    flagged = out.check(
        ranges, f"{name}_fresh", per_m2, f"{name} fresh weight per m² of quadrat", among=fresh >= 0
    )
    flagged |= out.check(
        ranges, "dry_ratio", ratio, f"{name} dry/fresh ratio", among=(ratio > 0) & (ratio <= 1)
    )
    return dry if keep else np.where(flagged, np.nan, dry)


def _tree_layer(trees, allometry, keys, bad_plot, tree_layer, tree_plot_m2, out: _Collector, ranges, keep):
    """Tree biomass per plot (t/hm²), NaN where a tree is unusable or a tree-layer plot has no tree, and
    (unless ``keep``) where a tree's DBH or height is outside its plausible range."""
    n = keys.size
    t_plot = np.asarray(trees["plot_id"], dtype=object).ravel()
    m = t_plot.size
    dbh = _as_float(trees["dbh"], "dbh")
    height = trees.get("height")
    groups = np.asarray(trees["group"], dtype=object).ravel()
    row_ids = np.asarray(trees.get("row_id", np.arange(1, m + 1)), dtype=object).ravel()
    if not (dbh.size == groups.size == row_ids.size == m):
        raise ValueError(f"the tree table columns must have the same length ({m})")
    if height is not None and _as_float(height, "height").size != m:
        raise ValueError(f"the tree table columns must have the same length ({m})")
    index = {k: i for i, k in enumerate(keys) if k is not None and not bad_plot[i]}
    dup_keys = {k for i, k in enumerate(keys) if k is not None and bad_plot[i]}
    t_index = np.full(m, -1)
    for j, v in enumerate(t_plot):
        k = normalise_key(v)
        if k is None:
            out.problems.append(Problem("tree", row_ids[j], "plot id missing"))
        elif k in index:
            t_index[j] = index[k]
        elif k not in dup_keys:
            out.problems.append(Problem("tree", row_ids[j], f"plot id '{v}' is not among the plots"))
    mass = tree_biomass(dbh, height, groups, allometry)
    h = None if height is None else _as_float(height, "height")
    for j in np.flatnonzero((t_index >= 0) & np.isnan(mass)):
        i = t_index[j]
        if normalise_key(groups[j]) is None:
            why = "species group missing"
        elif not (np.isfinite(dbh[j]) and dbh[j] > 0):
            why = "DBH missing" if np.isnan(dbh[j]) else f"DBH {dbh[j]:g} cm is not positive"
        else:
            hv = np.nan if h is None else h[j]
            why = "height missing" if np.isnan(hv) else f"height {hv:g} m is not positive"
        out.plot(i, f"tree row {row_ids[j]}: {why}")
    implausible_tree = np.zeros(m, dtype=bool)
    for quantity, values, label, usable in (
        ("dbh", dbh, "DBH", np.isfinite(mass)),  # a missing or non-positive DBH is reported above
        ("height", h, "height", np.isfinite(mass)),  # any height given, also where the equation ignores it
    ):
        rng = ranges.get(quantity)
        if rng is None or values is None:
            continue
        bad = (t_index >= 0) & usable & rng.outside(values)
        implausible_tree |= bad
        for j in np.flatnonzero(bad):
            what = f"{label} {values[j]:g} {rng.unit}"
            why = "is negative" if values[j] < 0 else f"is outside the plausible range {rng.text()}"
            out.implausible(t_index[j], f"tree row {row_ids[j]}: {what} {why}")
    inside = t_index >= 0
    total_kg = np.bincount(t_index[inside], weights=np.nan_to_num(mass[inside], nan=0.0), minlength=n)
    bad = np.bincount(t_index[inside], weights=np.isnan(mass[inside]).astype(float), minlength=n) > 0
    count = np.bincount(t_index[inside], minlength=n)
    empty = tree_layer & (count == 0) & ~bad_plot
    out.plots(empty, "plot with a tree layer has no tree in the tree table")
    # kg per plot -> t/hm²: Σ kg / 1000 (t) / (A m² / 10⁴) (hm²) = 10 · Σ kg / A
    b_tree = total_kg * 10.0 / tree_plot_m2
    b_tree[bad | empty | bad_plot] = np.nan
    if not keep:
        flagged = np.bincount(t_index[implausible_tree], minlength=n) > 0
        b_tree[flagged] = np.nan
    return b_tree


def _soil(soil_layers, n, out: _Collector, ranges, keep):
    soc, bd, dep, grv = [], [], [], []
    flagged = np.zeros(n, dtype=bool)
    for number, layer in enumerate(soil_layers, start=1):
        values = {}
        for key, label in (("soc", "SOC"), ("bd", "bulk density"), ("depth", "depth")):
            if layer.get(key) is None:
                raise ValueError(f"soil layer {number}: '{key}' is required")
            values[key] = _as_float(layer[key], f"soil layer {number} {label}")
        values["gravel"] = (
            np.zeros(n)
            if layer.get("gravel") is None
            else _as_float(layer["gravel"], f"soil layer {number} gravel")
        )
        if any(v.size != n for v in values.values()):
            raise ValueError(f"soil layer {number}: every column must have one value per plot ({n})")
        s, b, d, g = values["soc"], values["bd"], values["depth"], values["gravel"]
        p = f"soil layer {number}: "
        out.plots(np.isnan(s), p + "SOC missing")
        out.plots((s < 0) | (s > MAX_SOC), p + f"SOC must be within 0–{MAX_SOC:g} g/kg")
        out.plots(np.isnan(b), p + "bulk density missing")
        out.plots(b <= 0, p + "bulk density must be positive")
        out.plots(b > MAX_BULK_DENSITY, p + f"bulk density above {MAX_BULK_DENSITY} g/cm³ is impossible")
        out.plots(np.isnan(d), p + "depth missing")
        out.plots(d <= 0, p + "depth must be positive")
        out.plots(np.isnan(g), p + "gravel fraction missing")
        out.plots((g < 0) | (g >= 1), p + "gravel fraction must be in [0, 1)")
        for quantity, values, label, possible in (
            ("soc", s, "SOC", (s >= 0) & (s <= MAX_SOC)),
            ("bulk_density", b, "bulk density", (b > 0) & (b <= MAX_BULK_DENSITY)),
            ("depth", d, "thickness", d > 0),
            ("gravel", g, "gravel fraction", (g >= 0) & (g < 1)),
        ):
            flagged |= out.check(ranges, quantity, values, p + label, among=possible)
        soc.append(s)
        bd.append(b)
        dep.append(d)
        grv.append(g)
    c_soil = soil_organic_carbon_density(soc, bd, dep, grv)
    return c_soil if keep else np.where(flagged, np.nan, c_soil)


def _duplicated(keys) -> np.ndarray:
    seen: dict[object, int] = {}
    for k in keys:
        if k is not None:
            seen[k] = seen.get(k, 0) + 1
    return np.array([k is not None and seen[k] > 1 for k in keys], dtype=bool)


def _as_float(values, name) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numbers (NaN for missing)") from exc
    return arr

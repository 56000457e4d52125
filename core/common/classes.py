"""Class schemes of the categorical rasters: code, name and colour of every class.

One definition serves the kernels (which return the codes), the GeoTIFF colour table and category
names, the QML style beside the file, the legend in QGIS and the class-area tables, so a class never
has two names. Code 0 is reserved for nodata in every class raster (``CLASS_NODATA``).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import i18n

CLASS_NODATA = 0


@dataclass(frozen=True)
class ClassInfo:
    """A class: its code, its English name (``name_en``) and its colour.

    ``name`` is the name in the language of the run (:func:`core.common.i18n.class_name`): the one the
    GeoTIFF's category names, the QML legend, the class-area tables and the reports show.
    """

    code: int
    name_en: str
    color: str  # '#rrggbb'

    @property
    def name(self) -> str:
        return i18n.class_name(self.name_en)


@dataclass(frozen=True)
class ClassScheme:
    """An ordered set of classes of one class raster."""

    key: str
    title_en: str
    classes: tuple[ClassInfo, ...]

    @property
    def title(self) -> str:
        """The title in the language of the run (the English one is ``title_en``)."""
        return i18n.class_name(self.title_en)

    def __post_init__(self):
        codes = [c.code for c in self.classes]
        if len(set(codes)) != len(codes) or CLASS_NODATA in codes or not all(0 < c < 255 for c in codes):
            raise ValueError(
                f"class scheme {self.key!r}: codes must be unique integers in 1..254, got {codes}"
            )

    @property
    def codes(self) -> list[int]:
        return [c.code for c in self.classes]

    def name_of(self, code: int) -> str:
        for c in self.classes:
            if c.code == code:
                return c.name
        raise KeyError(f"class scheme {self.key!r} has no class with code {code}")


def _scheme(key, title, *entries):
    return ClassScheme(key, title, tuple(ClassInfo(code, name, color) for code, name, color in entries))


# Sen + Mann-Kendall trend classes (docs/method.md, step 6).
TREND_3 = _scheme(
    "trend3",
    "Sen + Mann-Kendall trend",
    (1, "Significant decrease", "#d7191c"),
    (2, "No significant change", "#e8e8c8"),
    (3, "Significant increase", "#1a9641"),
)
TREND_5 = _scheme(
    "trend5",
    "Sen + Mann-Kendall trend (five classes)",
    (1, "Extremely significant decrease (p < 0.01)", "#b2182b"),
    (2, "Significant decrease (0.01 <= p < 0.05)", "#f4a582"),
    (3, "No significant change", "#e8e8c8"),
    (4, "Significant increase (0.01 <= p < 0.05)", "#a6d96a"),
    (5, "Extremely significant increase (p < 0.01)", "#1a9641"),
)


def trend_scheme(alpha: float = 0.05, five_class: bool = False) -> ClassScheme:
    """The trend classes with the significance level ``alpha`` in their names."""
    if not five_class:
        if alpha == 0.05:
            return TREND_3
        return _scheme(
            "trend3",
            f"Sen + Mann-Kendall trend (alpha = {alpha:g})",
            *((c.code, c.name_en, c.color) for c in TREND_3.classes),
        )
    if alpha == 0.05:
        return TREND_5
    names = {
        2: f"Significant decrease (0.01 <= p < {alpha:g})",
        4: f"Significant increase (0.01 <= p < {alpha:g})",
    }
    return _scheme(
        "trend5",
        f"Sen + Mann-Kendall trend (five classes, alpha = {alpha:g})",
        *((c.code, names.get(c.code, c.name_en), c.color) for c in TREND_5.classes),
    )


# Future trend from Sen slope x Hurst (docs/method.md, step 9).
FUTURE_4 = _scheme(
    "future4",
    "Future trend (Sen slope x Hurst)",
    (1, "Continuous improvement", "#1a9641"),
    (2, "Future degradation", "#fdae61"),
    (3, "Future improvement", "#a6d96a"),
    (4, "Continuous degradation", "#d7191c"),
    (5, "Undetermined (no trend or H = 0.5)", "#bdbdbd"),
)
FUTURE_8 = _scheme(
    "future8",
    "Future trend (Sen slope x Hurst x significance)",
    (1, "Continuous improvement, significant", "#006837"),
    (2, "Continuous improvement, not significant", "#78c679"),
    (3, "Future degradation, from significant increase", "#fd8d3c"),
    (4, "Future degradation, from non-significant increase", "#fdd49e"),
    (5, "Future improvement, from non-significant decrease", "#c7e9c0"),
    (6, "Future improvement, from significant decrease", "#74c476"),
    (7, "Continuous degradation, not significant", "#fc9272"),
    (8, "Continuous degradation, significant", "#a50f15"),
    (9, "Undetermined (no trend or H = 0.5)", "#bdbdbd"),
)

"""The one year-in-name rule: training, prediction and stacks read the same factor and year from a name."""

import pytest

from core.common import years


@pytest.mark.parametrize(
    "name, expected",
    [
        ("NPP_2001", ("NPP", 2001)),
        ("NPP_1800", ("NPP", 1800)),
        ("NPP_2199", ("NPP", 2199)),
        ("NPP_1750", ("NPP_1750", None)),  # not a year: a factor named NPP_1750 everywhere
        ("NPP_2200", ("NPP_2200", None)),
        ("NPP_20011", ("NPP_20011", None)),
        ("NPP2001", ("NPP2001", None)),  # no underscore: not a <factor>_<year> name
        ("A_2001_2002", ("A_2001", 2002)),
        ("DEM", ("DEM", None)),
    ],
)
def test_split_year(name, expected):
    assert years.split_year(name) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("npp_2024.tif", 2024),
        ("2001-01-01", 2001),
        ("band 1", None),
        ("x12001", None),
        ("1750", None),
        ("", None),
    ],
)
def test_year_in(text, expected):
    assert years.year_in(text) == expected

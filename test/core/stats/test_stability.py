"""Coefficient of variation against numpy per pixel; its classes, names, colours and boundaries."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from core.common.classes import CLASS_NODATA, ClassScheme
from core.stats.stability import CV_BREAKS, coefficient_of_variation, cv_class, cv_scheme


@pytest.mark.parametrize("ddof", [1, 0])
def test_cv_equals_numpy_per_pixel_with_gaps(ddof):
    rng = np.random.default_rng(0)
    x = rng.normal(50.0, 5.0, (24, 300))
    x[rng.random(x.shape) < 0.25] = np.nan
    got = coefficient_of_variation(x, ddof=ddof)
    expected = []
    for j in range(x.shape[1]):
        v = x[:, j][~np.isnan(x[:, j])]
        expected.append(np.std(v, ddof=ddof) / np.mean(v))
    assert got.shape == (300,) and got.dtype == np.float64
    assert_allclose(got, expected, rtol=1e-12)


def test_cv_default_is_the_sample_standard_deviation():
    x = np.array([[10.0, 12.0, 11.0, 13.0]]).T
    # mean 11.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5; sample σ = √(5/3)
    assert coefficient_of_variation(x)[0] == pytest.approx(np.sqrt(5 / 3) / 11.5, rel=1e-14)
    assert coefficient_of_variation(x, ddof=0)[0] == pytest.approx(np.sqrt(5 / 4) / 11.5, rel=1e-14)


def test_cv_undefined_cases_are_nan():
    x = np.array(
        [
            [np.nan, np.nan, np.nan, np.nan],  # no value
            [np.nan, 4.0, np.nan, np.nan],  # one value
            [-1.0, -2.0, -3.0, -1.5],  # negative mean
            [-1.0, 1.0, -2.0, 2.0],  # zero mean
            [0.0, 0.0, 0.0, 0.0],  # zero mean
            [5.0, 5.0, np.nan, 5.0],  # constant: Cv = 0
            [0.0, 2.0, np.inf, 4.0],  # inf counts as missing
        ]
    ).T
    got = coefficient_of_variation(x)
    assert_array_equal(np.isnan(got), [True, True, True, True, True, False, False])
    assert got[5] == 0.0
    assert got[6] == pytest.approx(np.std([0.0, 2.0, 4.0], ddof=1) / 2.0)


def test_cv_two_values_with_population_sigma():
    x = np.array([[np.nan, 1.0, 3.0]]).T
    assert coefficient_of_variation(x, ddof=0)[0] == pytest.approx(0.5)  # σ = 1, μ = 2


def test_cv_float32_and_integer_input():
    x = np.array([[1, 2, 3, 4]]).T
    assert coefficient_of_variation(x)[0] == pytest.approx(np.std([1, 2, 3, 4], ddof=1) / 2.5)
    x32 = np.array([[1.5, 2.5, np.nan, 4.0]], dtype=np.float32).T
    assert coefficient_of_variation(x32)[0] == pytest.approx(np.std([1.5, 2.5, 4.0], ddof=1) / (8 / 3))


@pytest.mark.parametrize(
    "values, kwargs, message",
    [
        (np.ones(4), {}, "2-D array of shape"),
        (np.array([["a"]]), {}, "real numeric array"),
        (np.ones((4, 2)), {"ddof": 2}, "ddof must be 0"),
        (np.ones((4, 2)), {"ddof": True}, "ddof must be 0"),
        (np.ones((4, 2)), {"ddof": "1"}, "ddof must be 0"),
    ],
)
def test_cv_invalid_input_raises(values, kwargs, message):
    with pytest.raises(ValueError, match=message):
        coefficient_of_variation(values, **kwargs)


def test_default_scheme_names_codes_and_colours():
    s = cv_scheme()
    assert isinstance(s, ClassScheme) and s.key == "cv"
    assert s.codes == [1, 2, 3, 4, 5]
    assert [c.name for c in s.classes] == [
        "Low fluctuation (Cv <= 0.05)",
        "Relatively low fluctuation (0.05 < Cv <= 0.10)",
        "Medium fluctuation (0.10 < Cv <= 0.15)",
        "Relatively high fluctuation (0.15 < Cv <= 0.20)",
        "High fluctuation (Cv > 0.20)",
    ]
    colours = [c.color for c in s.classes]
    assert colours[0] == "#1a9641" and colours[-1] == "#d7191c"  # green (stable) to red (volatile)
    assert len(set(colours)) == 5


def test_other_breaks_name_classes_by_range():
    s = cv_scheme((0.1, 0.25, 0.125e1))
    assert [c.name for c in s.classes] == [
        "Cv <= 0.10",
        "0.10 < Cv <= 0.25",
        "0.25 < Cv <= 1.25",
        "Cv > 1.25",
    ]
    assert s.codes == [1, 2, 3, 4]
    assert [c.name for c in cv_scheme((0.3,)).classes] == ["Cv <= 0.30", "Cv > 0.30"]
    # A break that two decimals would misstate is written in full.
    assert cv_scheme((0.125,)).classes[0].name == "Cv <= 0.125"


def test_many_classes_get_distinct_sequential_colours():
    s = cv_scheme(tuple(np.arange(1, 12) / 20))
    colours = [c.color for c in s.classes]
    assert len(colours) == 12 and len(set(colours)) == 12
    red = [int(c[1:3], 16) for c in colours]
    assert red[0] < red[-1]  # towards red
    assert all(c.startswith("#") and len(c) == 7 for c in colours)


def test_classes_are_right_closed_as_named():
    cv = np.array([0.0, 0.02, 0.05, 0.050001, 0.10, 0.1000001, 0.15, 0.17, 0.20, 0.2000001, 3.0, np.nan])
    assert_array_equal(cv_class(cv), [1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, CLASS_NODATA])
    assert cv_class(cv).dtype == np.uint8


def test_class_codes_agree_with_scheme_names():
    # Each code's value lies in the range its name states.
    breaks = (0.08, 0.2)
    names = {c.code: c.name for c in cv_scheme(breaks).classes}
    for value, name in [(0.08, "Cv <= 0.08"), (0.1, "0.08 < Cv <= 0.20"), (0.2, "0.08 < Cv <= 0.20")]:
        assert names[int(cv_class([value], breaks)[0])] == name
    assert names[int(cv_class([0.21], breaks)[0])] == "Cv > 0.20"


def test_cv_class_keeps_shape():
    cv = np.array([[0.01, np.nan], [0.3, 0.12]])
    assert_array_equal(cv_class(cv), [[1, 0], [5, 3]])
    assert cv_class(0.07).shape == ()


def test_end_to_end_cv_then_class():
    x = np.array([[10.0, 10.5, 9.5, 10.0], [1.0, 2.0, 3.0, 4.0], [np.nan] * 4]).T
    assert_array_equal(cv_class(coefficient_of_variation(x)), [1, 5, CLASS_NODATA])


@pytest.mark.parametrize(
    "breaks, message",
    [
        ((), "1 to 253 numbers"),
        ((0.1, 0.1), "strictly increasing"),
        ((0.2, 0.1), "strictly increasing"),
        ((0.0, 0.1), "finite and positive"),
        ((-0.1, 0.1), "finite and positive"),
        ((0.1, np.nan), "finite and positive"),
        ((0.1, np.inf), "finite and positive"),
        ("abc", "sequence of numbers"),
        (((0.1, 0.2),), "1-D sequence"),
        (tuple(np.arange(1, 300) / 100), "1 to 253 numbers"),
    ],
)
def test_invalid_breaks_raise(breaks, message):
    with pytest.raises(ValueError, match=message):
        cv_scheme(breaks)
    with pytest.raises(ValueError, match=message):
        cv_class([0.1], breaks)


def test_cv_class_rejects_non_numeric():
    with pytest.raises(ValueError, match="cv must be a real numeric array"):
        cv_class(np.array(["x"]))


def test_default_breaks_constant():
    assert CV_BREAKS == (0.05, 0.10, 0.15, 0.20)

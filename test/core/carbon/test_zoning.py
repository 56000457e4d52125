"""Diagnostic zoning rules: parsing, checks with line numbers, the lookup kernel, the default table."""

import doctest
import itertools

import numpy as np
import pytest

from core.carbon import zoning
from core.common.classes import FUTURE_4, FUTURE_8, TREND_3, TREND_5
from core.spatial.moran import LISA_CLUSTERS
from core.stats.partial_correlation import DRIVER_TYPES


def names(scheme):
    return {c.code: c.name for c in scheme.classes}


def code(scheme, name):
    return next(c.code for c in scheme.classes if c.name == name)


ROLES = {
    "trend": names(TREND_3),
    "future": names(FUTURE_4),
    "lisa": names(LISA_CLUSTERS),
    "driver": names(DRIVER_TYPES),
}

HP, PE, RP, WATCH, STABLE = (
    "High-priority carbon sink",
    "Potential enhancement",
    "Restoration priority",
    "Watch: future degradation",
    "Stable / other",
)
SI, NC, SD = "Significant increase", "No significant change", "Significant decrease"
CI, FD, FI, CD = (
    "Continuous improvement",
    "Future degradation",
    "Future improvement",
    "Continuous degradation",
)
U = "Undetermined (no trend or H = 0.5)"
HH, LL, HL, LH, NS, ISO = "High-High", "Low-Low", "High-Low", "Low-High", "Not significant", "Isolated"


def expected_zone(trend, future, lisa):
    """The default table written out by hand, one branch per zone."""
    if lisa == HH and ((trend == SI and future in (CI, FI, U)) or future == CI):
        return HP
    if lisa in (NS, LH) and ((trend == SI and future in (CI, FI, U)) or future in (CI, FI)):
        return PE
    if lisa == LL and (trend == SD or future in (CD, FD)):
        return RP
    if lisa != LL and future in (FD, CD):
        return WATCH
    return STABLE


def zone_names(rules, codes):
    return [rules.scheme.name_of(int(c)) if c else None for c in np.ravel(codes)]


def test_doctests():
    assert doctest.testmod(zoning).failed == 0


def test_default_table_parses_and_has_the_required_zones():
    rules = zoning.parse_rules(zoning.default_rule_table(), ROLES)
    assert [c.name for c in rules.scheme.classes] == [HP, PE, RP, WATCH, STABLE]
    assert rules.scheme.name_of(rules.default_code) == STABLE
    assert rules.used_roles == ("trend", "future", "lisa")  # the driver is 'any' in every default rule
    assert all(r.note for r in rules.rules)  # every rule says why it is there
    assert rules.scheme.classes[0].color == "#006d2c"


def test_every_default_rule_on_a_hand_made_grid():
    combos = list(itertools.product(TREND_3.classes, FUTURE_4.classes, LISA_CLUSTERS.classes))
    trend = np.array([t.code for t, _, _ in combos]).reshape(9, 10)
    future = np.array([f.code for _, f, _ in combos]).reshape(9, 10)
    lisa = np.array([lc.code for _, _, lc in combos]).reshape(9, 10)
    rules = zoning.parse_rules(zoning.default_rule_table(), ROLES)
    out = zoning.zone_kernel(rules, {"trend": trend, "future": future, "lisa": lisa})
    assert out.dtype == np.uint8 and out.shape == (9, 10)
    got = zone_names(rules, out)
    want = [expected_zone(t.name, f.name, lc.name.split(" (")[0]) for t, f, lc in combos]
    assert got == want
    assert set(got) == {HP, PE, RP, WATCH, STABLE}


@pytest.mark.parametrize(
    ("trend", "future", "lisa", "zone"),
    [
        (SI, CI, HH, HP),  # rule 1 and 2
        (SI, U, HH, HP),  # rule 1: significant increase, no reversal expected
        (NC, CI, HH, HP),  # rule 2: continuing increase
        (SI, FD, HH, WATCH),  # a hotspot whose increase is expected to reverse
        (SI, U, NS, PE),  # rule 3
        (NC, FI, LH, PE),  # rule 4
        (SD, U, LL, RP),  # rule 5
        (NC, CD, LL, RP),  # rule 6
        (SI, FD, LL, RP),  # rule 6: increase expected to reverse in a Low-Low cluster
        (NC, FD, NS, WATCH),  # rule 7
        (SD, CD, HL, WATCH),  # rule 7
        (SD, CD, "Isolated (no valid neighbour)", WATCH),
        (NC, U, HH, STABLE),
        (SI, CI, HL, STABLE),
        (NC, U, NS, STABLE),
    ],
)
def test_default_rules_known_answers(trend, future, lisa, zone):
    rules = zoning.parse_rules(zoning.default_rule_table(), ROLES)
    out = rules.zone_codes(
        {
            "trend": np.array([code(TREND_3, trend)]),
            "future": np.array([code(FUTURE_4, future)]),
            "lisa": np.array([code(LISA_CLUSTERS, lisa)]),
        }
    )
    assert zone_names(rules, out) == [zone]


# Coarse class of each five-class trend and eight-class future class.
TREND_5_TO_3 = {1: SD, 2: SD, 3: NC, 4: SI, 5: SI}
FUTURE_8_TO_4 = {1: CI, 2: CI, 3: FD, 4: FD, 5: FI, 6: FI, 7: CD, 8: CD, 9: U}


def test_default_table_serves_the_five_class_trend_and_eight_class_future():
    roles = dict(ROLES, trend=names(TREND_5), future=names(FUTURE_8))
    rules = zoning.parse_rules(zoning.default_rule_table(), roles)  # no unknown name, no conflict
    combos = list(itertools.product(TREND_5.codes, FUTURE_8.codes, LISA_CLUSTERS.codes))
    t, f, li = (np.array(v) for v in zip(*combos))
    got = zone_names(rules, rules.zone_codes({"trend": t, "future": f, "lisa": li}))
    lisa_names = names(LISA_CLUSTERS)
    want = [
        expected_zone(TREND_5_TO_3[a], FUTURE_8_TO_4[b], lisa_names[c].split(" (")[0]) for a, b, c in combos
    ]
    assert got == want


def test_class_name_matching():
    future8 = names(FUTURE_8)
    assert zoning.matching_codes("Continuous improvement", future8) == {1, 2}
    assert zoning.matching_codes("continuous  IMPROVEMENT, significant", future8) == {1}
    assert zoning.matching_codes("Undetermined", future8) == {9}
    assert zoning.matching_codes("Continuous", future8) == set()  # whole names or base names only
    assert zoning.matching_codes("Significant increase", names(TREND_5)) == {4, 5}
    assert zoning.matching_codes("Extremely significant increase", names(TREND_5)) == {5}
    assert zoning.matching_codes("Significant increase", names(TREND_3)) == {3}
    assert zoning.matching_codes("Climate-driven", names(DRIVER_TYPES)) == {4}  # not 'Not climate-driven'
    assert zoning.matching_codes("3", names(TREND_3)) == {3}
    assert zoning.matching_codes("7", names(TREND_3)) == set()
    assert zoning.matching_codes("7", {}) == {7}  # a raster without names: codes


def test_unknown_class_name_names_the_line_and_the_valid_names():
    text = "zone,trend,lisa\nA,Significant increase,High-High\nB,Significant increse,Low-Low\n"
    with pytest.raises(zoning.RuleTableError) as err:
        zoning.parse_rules(zoning.read_rules_csv(text), ROLES)
    msg = str(err.value)
    assert "line 3" in msg and "'Significant increse'" in msg
    assert "'Significant decrease', 'No significant change', 'Significant increase'" in msg
    assert "line 2" not in msg


def test_input_not_given_names_the_lines():
    roles = dict(ROLES, future=None)
    with pytest.raises(zoning.RuleTableError) as err:
        zoning.parse_rules(zoning.default_rule_table(), roles, labels={"future": "Future trend class"})
    msg = str(err.value)
    lines = [r_line for r_line, row in _default_lines() if row["future"] != "any"]
    assert f"lines {', '.join(map(str, lines))} name classes of the Future trend class input" in msg
    assert "no Future trend class input is given" in msg


def _default_lines():
    table = zoning.default_rule_table()
    return list(zip(table.lines, table.rows))


def test_an_input_left_any_everywhere_may_be_missing():
    rules = zoning.parse_rules(zoning.default_rule_table(), dict(ROLES, driver=None))
    assert "driver" not in rules.used_roles


def test_conflicting_rules_name_both_lines_whatever_their_order():
    rows = [
        {"zone": "Sink", "trend": SI, "lisa": HH},
        {"zone": "Other", "trend": NC},
        {"zone": "Watch", "future": FD},
    ]
    for order, lines in ((rows, [1, 2, 3]), (rows[::-1], [3, 2, 1])):
        with pytest.raises(zoning.RuleTableError) as err:
            zoning.parse_rules(order, ROLES, lines=lines)
        msg = str(err.value)
        assert "2 problems" in msg
        assert any(f"lines {a} and {b}" in msg for a, b in ((1, 3), (3, 1)))
        assert any(f"lines {a} and {b}" in msg for a, b in ((2, 3), (3, 2)))
        first = next(p for p in err.value.problems if "Sink" in p)
        assert "('Sink' and 'Watch')" in first or "('Watch' and 'Sink')" in first
        assert "trend 'Significant increase'" in first and "lisa 'High-High'" in first
        assert "future 'Future degradation'" in first


def test_overlapping_rules_of_one_zone_are_fine():
    rows = [
        {"zone": "Sink", "trend": SI, "lisa": HH},
        {"zone": "sink", "future": CI, "lisa": HH},  # zone names match ignoring case
        {"zone": "Loss", "trend": SD, "lisa": LL},
    ]
    rules = zoning.parse_rules(rows, ROLES)
    assert [c.name for c in rules.scheme.classes] == ["Sink", "Loss", STABLE]


def test_a_catch_all_row_names_the_default_zone_and_does_not_conflict():
    rows = [{"zone": "Rest", "trend": "any", "lisa": "*"}, {"zone": "Sink", "trend": SI}]
    rules = zoning.parse_rules(rows, ROLES)
    assert [c.name for c in rules.scheme.classes] == ["Sink", "Rest"]
    assert zone_names(rules, rules.zone_codes({"trend": np.array([1, 3])})) == ["Rest", "Sink"]
    rows.append({"zone": "Else", "trend": ""})
    with pytest.raises(zoning.RuleTableError, match="lines 1, 3: every input is 'any'"):
        zoning.parse_rules(rows, ROLES)


def test_unknown_column_and_missing_zone_column():
    with pytest.raises(zoning.RuleTableError, match=r"line 2: unknown column 'landuse'"):
        zoning.parse_rules(zoning.read_rules_csv("# c\nzone,trend,landuse\nA,any,x\n"), ROLES)
    with pytest.raises(zoning.RuleTableError, match="no 'zone' column"):
        zoning.parse_rules([{"trend": SI}], ROLES)
    with pytest.raises(zoning.RuleTableError, match="line 2: no zone name"):
        zoning.parse_rules([{"zone": "A", "trend": SI}, {"zone": " ", "trend": SD}], ROLES)


def test_codes_and_colours_columns():
    rows = [
        {"zone": "Sink", "trend": SI, "code": "7", "colour": "#00FF00"},
        {"zone": "Loss", "trend": SD},
    ]
    rules = zoning.parse_rules(rows, ROLES)
    info = {c.name: (c.code, c.color) for c in rules.scheme.classes}
    assert info["Sink"] == (7, "#00ff00")
    assert info["Loss"][0] == 1 and info[STABLE] == (2, zoning.DEFAULT_ZONE_COLOR)
    bad = [
        {"zone": "Sink", "trend": SI, "code": "7"},
        {"zone": "Sink", "lisa": HH, "code": "8"},
        {"zone": "Loss", "trend": SD, "code": "300", "colour": "red"},
    ]
    with pytest.raises(zoning.RuleTableError) as err:
        zoning.parse_rules(bad, ROLES)
    msg = str(err.value)
    assert "line 2: zone 'Sink' has code 8 here and 7 on line 1" in msg
    assert "line 3: zone code '300'" in msg and "line 3: colour 'red'" in msg


def test_nodata_in_any_used_input_gives_nodata():
    rules = zoning.parse_rules(zoning.default_rule_table(), ROLES)
    trend = np.array([3, 0, 3, 3, np.nan, 3], dtype=np.float32)
    future = np.array([1, 1, 0, 1, 1, 1], dtype=np.float32)
    lisa = np.array([1, 1, 1, np.nan, 1, -1], dtype=np.float32)
    out = rules.zone_codes({"trend": trend, "future": future, "lisa": lisa, "driver": np.zeros(6)})
    assert out.tolist() == [rules.scheme.codes[0], 0, 0, 0, 0, 0]  # the driver is not used


def test_codes_without_a_name_are_matched_by_any_only():
    rows = [{"zone": "Sink", "trend": SI}, {"zone": "Watch", "trend": "any", "lisa": HH}]
    with pytest.raises(zoning.RuleTableError):  # Sink and Watch overlap on (SI, HH)
        zoning.parse_rules(rows, ROLES)
    rows = [{"zone": "Sink", "trend": SI, "lisa": "Low-Low"}, {"zone": "Watch", "lisa": HH}]
    rules = zoning.parse_rules(rows, ROLES)
    out = rules.zone_codes({"trend": np.array([9, 3, 200, 3]), "lisa": np.array([1, 2, 1, 77])})
    assert zone_names(rules, out) == ["Watch", "Sink", "Watch", STABLE]


def test_rasters_without_class_names_by_code():
    rules = zoning.parse_rules([{"zone": "A", "trend": "2|3"}], {"trend": {}})
    assert rules.zone_codes({"trend": np.array([1, 2, 3, 4])}).tolist() == [2, 1, 1, 2]
    with pytest.raises(zoning.RuleTableError, match=r"'High' is not a class .* \(none: name codes\)"):
        zoning.parse_rules([{"zone": "A", "trend": "High"}], {"trend": {}})


def test_read_csv_keeps_file_line_numbers_and_accepts_semicolons(tmp_path):
    path = tmp_path / "rules.csv"
    path.write_text(
        "\ufeff# comment, with commas\n\nzone;trend;Colour\n# another\nSink;Significant increase;#00ff00\n",
        encoding="utf-8",
    )
    table = zoning.read_rules_csv(str(path))
    assert table.columns == ("zone", "trend", "colour")
    assert table.lines == (5,) and table.header_line == 3
    assert "rules.csv" in table.source
    with pytest.raises(zoning.RuleTableError, match="no header"):
        zoning.read_rules_csv("# only a comment\n\n")
    with pytest.raises(zoning.RuleTableError, match="line 2: 4 cells"):
        zoning.read_rules_csv("zone,trend\nA,b,c,d\n")


def test_matrix_rows_are_numbered_and_blank_rows_skipped():
    values = ["Sink", SI, "any", "", "", "", "Loss", SD, LL]
    table = zoning.rules_from_matrix(values, ["zone", "trend", "lisa"])
    assert table.lines == (1, 3)
    with pytest.raises(zoning.RuleTableError, match="do not fill rows of 3 columns"):
        zoning.rules_from_matrix(values[:-1], ["zone", "trend", "lisa"])


def test_missing_role_array_and_shape_errors():
    rules = zoning.parse_rules(zoning.default_rule_table(), ROLES)
    with pytest.raises(ValueError, match="lacks the role"):
        rules.zone_codes({"trend": np.ones(3)})
    with pytest.raises(ValueError, match="different shapes"):
        rules.zone_codes({"trend": np.ones(3), "future": np.ones(4), "lisa": np.ones(3)})


def test_lookup_matches_a_rule_by_rule_loop_on_random_codes():
    rng = np.random.default_rng(7)
    roles = dict(ROLES, trend=names(TREND_5), future=names(FUTURE_8))
    rules = zoning.parse_rules(zoning.default_rule_table(), roles)
    n = 20000
    codes = {
        "trend": rng.integers(0, 7, n),
        "future": rng.integers(0, 11, n),
        "lisa": rng.integers(0, 8, n),
    }
    got = rules.zone_codes(codes)
    want = np.full(n, rules.default_code, dtype=np.uint8)
    zone_code = {c.name: c.code for c in rules.scheme.classes}
    for rule in rules.rules:
        if rule.is_default:
            continue
        hit = np.ones(n, dtype=bool)
        for role, accepted in rule.conditions.items():
            hit &= np.isin(codes[role], list(accepted))
        want[hit] = zone_code[rule.zone]
    want[(codes["trend"] == 0) | (codes["future"] == 0) | (codes["lisa"] == 0)] = 0
    np.testing.assert_array_equal(got, want)

"""Implausible field values (typing and unit errors) are flagged by plot id and kept out of C_total."""

import numpy as np
import pytest

from core.carbon.plot_carbon import (
    RANGE_QUANTITIES,
    PlausibleRange,
    load_plausible_ranges,
    plot_carbon_density,
    ranges_from_rows,
)
from core.demo.demo_region import make_region

N_TREES = 40
SOIL = [{"soc": [14.0], "bd": [1.3], "depth": [10.0], "gravel": [0.05]}] * 3


def _forest(dbh_typo=None, height=None, keep=False, ranges=None):
    """A 50 m × 50 m Chinese pine plot of 40 trees of 8–24 cm (the shipped Jenkins 'pine' equation)."""
    dbh = np.linspace(8.0, 24.0, N_TREES)
    if dbh_typo is not None:
        dbh[5] = dbh_typo
    trees = {"plot_id": ["F1"] * N_TREES, "group": ["Pinus tabuliformis"] * N_TREES, "dbh": dbh}
    trees["height"] = np.full(N_TREES, 12.0) if height is None else height
    return plot_carbon_density(
        ["F1"],
        ["forest"],
        trees=trees,
        shrub=([1200.0], [0.55]),
        herb=([60.0], [0.35]),
        litter=([250.0], [0.8]),
        soil_layers=SOIL,
        keep_implausible=keep,
        ranges=ranges,
    )


@pytest.mark.parametrize("typo", [1020.0, 2470.0])
def test_one_dbh_typo_flags_the_plot_by_id_and_keeps_it_out_of_c_total(typo):
    good = _forest()
    assert not good.problems and np.isfinite(good.C_total[0])
    bad = _forest(dbh_typo=typo)
    assert [str(p) for p in bad.problems] == [
        f"Plot F1: tree row 6: DBH {typo:g} cm is outside the plausible range 2.5–300 cm"
    ]
    assert bad.problems[0].implausible and bad.implausible.tolist() == [True]
    assert np.isnan(bad.C_total[0]) and np.isnan(bad.C_above[0]) and np.isnan(bad.C_below[0])
    assert bad.C_soil[0] == pytest.approx(good.C_soil[0])  # the other pools are still computed
    assert bad.problem_text()[0] != ""
    # The user may keep it: then the typo's weight shows (what used to pass silently), still flagged.
    kept = _forest(dbh_typo=typo, keep=True)
    assert kept.implausible.tolist() == [True] and kept.kept_implausible
    assert kept.C_total[0] > 5 * good.C_total[0]


def test_negative_and_too_small_heights_are_reported_even_where_the_equation_ignores_height():
    height = np.full(N_TREES, 12.0)
    height[3], height[7] = -9.5, 0.8
    r = _forest(height=height)
    messages = [str(p) for p in r.problems]
    assert "Plot F1: tree row 4: height -9.5 m is negative" in messages
    assert "Plot F1: tree row 8: height 0.8 m is outside the plausible range 1.3–60 m" in messages
    assert np.isnan(r.C_total[0])


def test_quadrat_weights_ratios_and_soil_values_outside_their_ranges():
    r = plot_carbon_density(
        ["P1", "P2", "P3", "P4", "P5"],
        ["grassland", "grassland", "shrubland", "grassland", "grassland"],
        shrub=([0.0, 0.0, 600_000.0, 0.0, 0.0], [0.5] * 5),  # 24 kg/m² fresh in a 25 m² quadrat
        herb=([300.0, 30_000.0, 300.0, 300.0, 300.0], [0.4, 0.4, 0.4, 0.02, 0.4]),
        litter=([100.0] * 5, [0.8] * 5),
        soil_layers=[
            {
                "soc": [12.0, 12.0, 12.0, 12.0, 900.0],  # below the hard 1000, above 580
                "bd": [1.3, 1.3, 1.3, 1.3, 2.3],  # below quartz's 2.65, above 2.0
                "depth": [10.0, 10.0, 10.0, 10.0, 0.1],  # 0.1: the thickness in m
                "gravel": [0.05, 0.05, 0.05, 0.05, 0.95],
            }
        ],
    )
    text = r.problem_text()
    assert text[0] == "" and np.isfinite(r.C_total[0])
    assert (
        text[1]
        == "herb fresh weight per m² of quadrat 30000 g/m² is outside the plausible range 0–10000 g/m²"
    )
    assert (
        text[2]
        == "shrub fresh weight per m² of quadrat 24000 g/m² is outside the plausible range 0–20000 g/m²"
    )
    assert text[3] == "herb dry/fresh ratio 0.02 is outside the plausible range 0.05–1"
    for part in ("SOC 900 g/kg", "bulk density 2.3 g/cm³", "thickness 0.1 cm", "gravel fraction 0.95"):
        assert f"soil layer 1: {part} is outside the plausible range" in text[4]
    assert r.implausible.tolist() == [False, True, True, True, True]
    assert np.isnan(r.C_total[1:]).all()
    assert np.isnan(r.C_above[1:4]).all() and np.isfinite(r.C_soil[1:4]).all()  # herbs/shrubs flagged
    assert np.isnan(r.C_soil[4]) and np.isfinite(r.C_above[4])  # soil flagged


def test_fresh_weights_in_kg_are_compared_per_m2_in_g():
    r = plot_carbon_density(["P1", "P2"], ["grassland"] * 2, herb=([0.3, 30.0], [0.4, 0.4]), weight_unit="kg")
    assert r.implausible.tolist() == [False, True]


def test_impossible_values_are_not_double_reported_as_implausible():
    r = plot_carbon_density(
        ["P1"],
        ["grassland"],
        herb=([-5.0], [1.5]),
        soil_layers=[{"soc": [1200.0], "bd": [3.0], "depth": [10.0]}],
    )
    assert not any(p.implausible for p in r.problems)
    assert r.implausible.tolist() == [False] and np.isnan(r.C_total[0])


def test_ranges_are_editable_and_can_be_switched_off():
    wide = ranges_from_rows([{"quantity": "dbh", "min": "1", "max": "2000"}])
    assert not _forest(dbh_typo=1020.0, ranges=wide).problems  # only DBH checked, up to 2000 cm
    assert not _forest(dbh_typo=1020.0, ranges={}).problems
    open_ended = ranges_from_rows([{"quantity": "height", "min": "1.3", "max": ""}])
    assert open_ended["height"].outside([1.0, 1000.0]).tolist() == [True, False]
    assert open_ended["height"].text() == "≥ 1.3 m"


def test_the_shipped_table_covers_every_quantity_and_bad_tables_are_refused(tmp_path):
    ranges = load_plausible_ranges()
    assert set(ranges) == set(RANGE_QUANTITIES)
    assert all(r.source for r in ranges.values())
    for rows, message in (
        ([{"quantity": "dbh", "min": "300", "max": "2.5"}], "min <= max"),
        ([{"quantity": "diameter", "min": "1", "max": "2"}], "unknown quantity 'diameter'"),
        ([{"quantity": "dbh", "min": "a", "max": "2"}], "row 1 \\(dbh\\): min 'a' is not a number"),
        ([{"quantity": "dbh", "min": "1", "max": "2"}] * 2, "given more than once"),
    ):
        with pytest.raises(ValueError, match=message):
            ranges_from_rows(rows)
    path = tmp_path / "r.csv"
    path.write_text("quantity,low,high\ndbh,1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing column"):
        load_plausible_ranges(path)
    with pytest.raises(ValueError):
        PlausibleRange("dbh", float("nan"), 3.0)


def test_the_demo_region_plots_pass_the_default_ranges():
    """The synthetic survey follows ordinary field values: no plot is flagged by the defaults."""
    region = make_region(60, 80, seed=3, n_plots=60)
    plots = region.plots
    col = {k: [p.get(k, np.nan) for p in plots] for k in plots[0]}
    trees = {
        "plot_id": [t["plot_id"] for t in region.trees],
        "group": [t["species_group"] for t in region.trees],
        "dbh": [t["dbh_cm"] for t in region.trees],
        "height": [t["height_m"] for t in region.trees],
    }
    r = plot_carbon_density(
        col["plot_id"],
        col["ecosystem"],
        trees=trees,
        shrub=(col["shrub_fw_g"], col["shrub_dfr"]),
        herb=(col["herb_fw_g"], col["herb_dfr"]),
        litter=(col["litter_fw_g"], col["litter_dfr"]),
        soil_layers=[
            {
                "soc": col[f"soc{i}_g_kg"],
                "bd": col[f"bd{i}_g_cm3"],
                "depth": col[f"depth{i}_cm"],
                "gravel": col[f"gravel{i}"],
            }
            for i in (1, 2, 3)
        ],
    )
    assert len(plots) >= 40 and len(region.trees) > 100
    assert not any(p.implausible for p in r.problems), [str(p) for p in r.problems if p.implausible][:5]

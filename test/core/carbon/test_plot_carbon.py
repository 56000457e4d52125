"""Plot carbon pools against hand-computed plots, with the unit conversions written out."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from core.carbon.plot_carbon import (
    DEFAULT_ECOSYSTEMS,
    Allometry,
    EcosystemType,
    allometry_from_rows,
    load_allometry,
    normalise_key,
    plot_carbon_density,
    quadrat_dry_biomass,
    soil_organic_carbon_density,
    tree_biomass,
)

# Two made-up equations with round numbers, so the arithmetic can be followed by hand.
TABLE = {
    "a": Allometry("A", "D", 0.1, 2.0),  # B = 0.1 · D²       (kg, D in cm)
    "b": Allometry("B", "D2H", 0.02, 1.0),  # B = 0.02 · D²·H  (kg, D in cm, H in m)
}


def _forest_plot(**overrides):
    """One forest plot F1 with three trees, shrubs, herbs, litter and two soil layers."""
    kwargs = dict(
        trees={
            "plot_id": ["F1", "F1", "F1"],
            "group": ["A", "a ", "B"],
            "dbh": [20.0, 10.0, 20.0],
            "height": [np.nan, np.nan, 10.0],
        },
        allometry=TABLE,
        shrub=([2000.0], [0.5]),
        herb=([150.0], [0.4]),
        litter=([400.0], [0.5]),
        soil_layers=[
            {"soc": [12.0], "bd": [1.2], "depth": [10.0], "gravel": [0.1]},
            {"soc": [8.0], "bd": [1.4], "depth": [20.0], "gravel": [0.0]},
        ],
    )
    kwargs.update(overrides)
    return plot_carbon_density(["F1"], ["Forest"], **kwargs)


def test_forest_plot_by_hand():
    r = _forest_plot()
    # Trees: 0.1·20² = 40 kg, 0.1·10² = 10 kg, 0.02·(20²·10) = 80 kg -> 130 kg on 2500 m².
    #        130 kg / 1000 = 0.13 t; 2500 m² / 10⁴ = 0.25 hm² -> 0.52 t/hm².
    # Shrubs: 2000 g fresh × 0.5 = 1000 g dry on 25 m² = 40 g/m² = 0.40 t/hm² (1 g/m² = 0.01 t/hm²).
    # Herbs: 150 g × 0.4 = 60 g on 1 m² = 60 g/m² = 0.60 t/hm².
    # Above-ground biomass 0.52 + 0.40 + 0.60 = 1.52 t/hm²; roots (forest R = 0.23): 0.3496 t/hm².
    # Litter: 400 g × 0.5 = 200 g on 1 m² = 2.0 t/hm².
    assert_allclose(r.biomass_above, [1.52], rtol=1e-12)
    assert_allclose(r.biomass_below, [1.52 * 0.23], rtol=1e-12)
    assert_allclose(r.biomass_litter, [2.0], rtol=1e-12)
    # Carbon at 0.47: 0.7144, 0.164312, 0.94.
    assert_allclose(r.C_above, [0.7144], rtol=1e-12)
    assert_allclose(r.C_below, [0.164312], rtol=1e-12)
    assert_allclose(r.C_litter, [0.94], rtol=1e-12)
    # Soil: 12 × 1.2 × 10 × (1 − 0.1) / 10 = 12.96; 8 × 1.4 × 20 × 1 / 10 = 22.4; sum 35.36 t/hm².
    assert_allclose(r.C_soil, [35.36], rtol=1e-12)
    assert_allclose(r.C_total, [0.7144 + 0.164312 + 0.94 + 35.36], rtol=1e-12)
    assert r.problems == [] and r.warnings == []
    assert r.problem_text().tolist() == [""]


def test_weights_in_kg_plot_area_and_carbon_fractions():
    r = _forest_plot(
        shrub=([2.0], [0.5]),  # 2 kg = 2000 g: the same 0.40 t/hm²
        herb=([0.15], [0.4]),
        litter=([0.4], [0.5]),
        weight_unit="kg",
        tree_plot_m2=400.0,  # 20 m × 20 m: 130 kg × 10 / 400 m² = 3.25 t/hm² of trees
        carbon_fraction_above=0.5,
        carbon_fraction_below=0.45,
        carbon_fraction_litter=0.4,
    )
    agb = 3.25 + 0.40 + 0.60
    assert_allclose(r.C_above, [agb * 0.5], rtol=1e-12)
    assert_allclose(r.C_below, [agb * 0.23 * 0.45], rtol=1e-12)
    assert_allclose(r.C_litter, [2.0 * 0.4], rtol=1e-12)


def test_grassland_and_wetland_quadrats_and_unmeasured_pools():
    r = plot_carbon_density(
        ["G", "W"],
        ["grassland", "WETLAND"],
        herb=([300.0, 800.0], [0.5, 0.25]),
        ecosystems=DEFAULT_ECOSYSTEMS | {"wetland": EcosystemType(1.5, herb_quadrat_m2=4.0)},
    )
    # G: 300 × 0.5 = 150 g/m² = 1.5 t/hm²; roots 6.0 × 1.5 = 9 t/hm².
    # W: 800 × 0.25 = 200 g on 2 m × 2 m = 50 g/m² = 0.5 t/hm²; roots 1.5 × 0.5 = 0.75 t/hm².
    assert_allclose(r.biomass_above, [1.5, 0.5], rtol=1e-12)
    assert_allclose(r.biomass_below, [9.0, 0.75], rtol=1e-12)
    assert np.isnan(r.C_litter).all() and np.isnan(r.C_soil).all()  # not measured: not zero
    assert_allclose(r.C_total, [(1.5 + 9.0) * 0.47, (0.5 + 0.75) * 0.47], rtol=1e-12)
    assert any("litter" in w for w in r.warnings) and any("soil" in w.lower() for w in r.warnings)
    assert r.problems == []


def test_default_wetland_has_no_root_shoot_ratio_and_says_so():
    r = plot_carbon_density(["W1"], ["wetland"], herb=([100.0], [0.3]))
    assert np.isnan(r.C_below[0]) and np.isnan(r.C_total[0])
    assert not np.isnan(r.C_above[0])
    assert [str(p) for p in r.problems] == [
        "Plot W1: no root:shoot ratio for ecosystem type 'wetland'; add one to the ecosystem table"
    ]


def test_problems_are_reported_by_id_and_give_nan_never_zero():
    ids = ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P8"]
    eco = [
        "grassland",
        "grassland",
        "grassland",
        "grassland",
        "forest",
        "grassland",
        "desert",
        "grassland",
        "grassland",
    ]
    herb = [100.0, -5.0, 100.0, 100.0, 100.0, np.nan, 100.0, 100.0, 100.0]
    ratio = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1.2, 0.5]
    soc = [10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, np.nan]
    bd = [1.3, 1.3, 2.8, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3]
    gravel = [0.0, 0.0, 0.0, 1.0, 0.0, -0.1, 0.0, 0.0, 0.0]
    trees = {"plot_id": ["P1", "X9"], "group": ["A", "A"], "dbh": [10.0, 12.0], "row_id": [101, 102]}
    r = plot_carbon_density(
        ids,
        eco,
        herb=(herb, ratio),
        soil_layers=[{"soc": soc, "bd": bd, "depth": [30.0] * 9, "gravel": gravel}],
        trees=trees,
        allometry=TABLE,
    )
    messages = {(p.kind, p.id, p.message) for p in r.problems}
    assert ("plot", "P2", "herb fresh weight is negative") in messages
    assert ("plot", "P3", "soil layer 1: bulk density above 2.65 g/cm³ is impossible") in messages
    assert ("plot", "P4", "soil layer 1: gravel fraction must be in [0, 1)") in messages
    assert ("plot", "P5", "plot with a tree layer has no tree in the tree table") in messages
    assert ("plot", "P6", "herb fresh weight missing") in messages
    assert ("plot", "P6", "soil layer 1: gravel fraction must be in [0, 1)") in messages
    assert any(
        k == "plot" and i == "P7" and "'desert' is not in the ecosystem table" in m for k, i, m in messages
    )
    assert ("plot", "P8", "herb dry/fresh ratio must be in (0, 1]") in messages
    assert ("plot", "P8", "plot id appears more than once") in messages
    assert ("plot", "P8", "soil layer 1: SOC missing") in messages
    assert ("tree", 102, "plot id 'X9' is not among the plots") in messages
    # P1 is clean (a grassland plot may hold a scattered tree): 10 cm -> 10 kg on 2500 m² = 0.04 t/hm².
    assert not any(p.id == "P1" for p in r.problems)
    assert_allclose(r.biomass_above[0], 0.04 + 0.5, rtol=1e-12)
    assert np.isfinite(r.C_total[0])
    assert np.isnan(r.C_total[1:]).all()  # every plot with a problem: NaN total, never 0
    assert np.isnan(r.C_above[[1, 4, 5, 6, 7]]).all()
    assert np.isnan(r.C_soil[[2, 3, 5, 8]]).all() and np.isfinite(r.C_soil[[0, 1, 4, 6, 7]]).all()
    text = r.problem_text()
    assert text[0] == "" and "negative" in text[1] and text[5].count(";") == 1


def test_bad_trees_make_their_plot_nan_with_the_tree_row_named():
    trees = {
        "plot_id": [1, 1.0, "2", 2, 3],
        "group": ["A", "A", "B", None, "A"],
        "dbh": [10.0, np.nan, 20.0, 15.0, -4.0],
        "height": [np.nan, np.nan, np.nan, 12.0, 8.0],
    }
    r = plot_carbon_density([1, 2, 3, 4], ["forest"] * 4, trees=trees, allometry=TABLE)
    problems = [str(p) for p in r.problems]
    assert problems == [
        "Plot 1: tree row 2: DBH missing",
        "Plot 2: tree row 3: height missing",
        "Plot 2: tree row 4: species group missing",
        "Plot 3: tree row 5: DBH -4 cm is not positive",
        "Plot 4: plot with a tree layer has no tree in the tree table",
    ]
    assert np.isnan(r.C_above).all() and np.isnan(r.C_total).all()


def test_group_missing_from_the_table_is_an_error_naming_it():
    with pytest.raises(ValueError, match=r"species group\(s\) not in the allometry table: 'Ulmus'"):
        plot_carbon_density(
            ["F"], ["forest"], trees={"plot_id": ["F"], "group": ["Ulmus"], "dbh": [10.0]}, allometry=TABLE
        )
    with pytest.raises(ValueError, match="tree heights are needed"):
        tree_biomass([10.0], None, ["B"], TABLE)


def test_socd_formula_by_hand():
    # 15 g/kg × 1.25 g/cm³ × 30 cm × (1 − 0.2) / 10 = 45 t/hm²; the same as 450 g C/m² × 0.1... check:
    # 1 cm³ holds 1.25 g soil and 15 × 1.25 / 1000 = 0.01875 g C; 30 cm × 10⁴ cm² × 0.8 = 240000 cm³ of
    # fine soil per m² -> 4500 g C/m² = 4.5 kg/m² = 45 t/hm².
    assert soil_organic_carbon_density([15.0], [1.25], [30.0], [0.2]).tolist() == pytest.approx([45.0])
    two = soil_organic_carbon_density(
        [[15.0, 5.0], [10.0, 5.0]], [[1.25, 1.0], [1.5, 3.0]], [[30.0, 10.0], [10.0, 10.0]]
    )
    assert two[0] == pytest.approx(45.0 / 0.8 + 15.0)  # no gravel: 56.25 + 10 × 1.5 × 10 / 10
    assert math.isnan(two[1])  # BD 3.0 > 2.65 in layer 2


def test_quadrat_units_and_invalid_values():
    assert quadrat_dry_biomass(500.0, 0.4, 1.0) == pytest.approx(2.0)  # 200 g/m² = 2 t/hm²
    assert quadrat_dry_biomass(0.5, 0.4, 1.0, "kg") == pytest.approx(2.0)
    assert quadrat_dry_biomass(0.0, 0.4, 1.0) == 0.0  # an empty quadrat is a true zero
    assert np.isnan(quadrat_dry_biomass([-1.0, 10.0, 10.0], [0.5, 1.5, 0.5], [1.0, 1.0, 0.0])).all()
    with pytest.raises(ValueError, match="weight_unit"):
        quadrat_dry_biomass(1.0, 0.5, 1.0, "lb")


def test_shipped_allometry_table_is_complete_and_sourced():
    table = load_allometry()
    assert {"pinus tabuliformis", "populus", "robinia pseudoacacia", "larix", "broadleaf", "conifer"} <= set(
        table
    )
    for eq in table.values():
        assert eq.source and "Jenkins et al. (2003)" in eq.source and "replace with local" in eq.source
    # Jenkins et al. (2003) pine: exp(−2.5356 + 2.4349 ln 20) kg for a 20 cm tree.
    got = tree_biomass([20.0], None, ["Pinus tabuliformis"], table)[0]
    assert got == pytest.approx(math.exp(-2.5356 + 2.4349 * math.log(20.0)), rel=1e-6)


def test_allometry_rows_are_validated():
    rows = [{"group": "x", "form": "a*(D^2*H)^b", "a": "0.05", "b": "0.9", "source": "s"}]
    assert allometry_from_rows(rows)["x"].form == "D2H"
    with pytest.raises(ValueError, match="row 1 .*form must be"):
        allometry_from_rows([{"group": "x", "form": "ln", "a": 1, "b": 1}])
    with pytest.raises(ValueError, match="row 2: group 'X' is given more than once"):
        allometry_from_rows(
            [{"group": "x", "form": "D", "a": 1, "b": 1}, {"group": "X", "form": "D", "a": 1, "b": 1}]
        )
    with pytest.raises(ValueError, match="a and b must be"):
        allometry_from_rows([{"group": "x", "form": "D", "a": "-1", "b": 2}])


def test_keys_match_across_types():
    assert normalise_key(7) == normalise_key(7.0) == normalise_key(" 7 ") == "7"
    assert normalise_key("Forest") == "forest"
    assert normalise_key("") is None and normalise_key(None) is None
    assert normalise_key("7.5") == "7.5" and normalise_key("1e3") == "1e3"


def test_nothing_to_compute_and_bad_arguments():
    with pytest.raises(ValueError, match="nothing to compute"):
        plot_carbon_density(["a"], ["forest"])
    with pytest.raises(ValueError, match="carbon_fraction_above"):
        plot_carbon_density(["a"], ["forest"], herb=([1.0], [0.5]), carbon_fraction_above=1.5)
    with pytest.raises(ValueError, match="one value per plot"):
        plot_carbon_density(["a", "b"], ["forest"], herb=([1.0], [0.5]))

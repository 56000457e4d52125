"""Plot carbon density through processing.run: hand-computed plots, problems by id, bad input."""

import math

import pytest

pytestmark = pytest.mark.qgis

ALG = "carbonsink:plotcarbondensity"
PLOT_FIELDS = (
    "pid:string",
    "eco:string",
    "shrub_fw:double",
    "shrub_r:double",
    "herb_fw:double",
    "herb_r:double",
    "lit_fw:double",
    "lit_r:double",
    "soc1:double",
    "bd1:double",
    "dep1:double",
    "grv1:double",
    "soc2:double",
    "bd2:double",
    "note:string",
)


def _layer(uri, name, rows, point=True):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    layer = QgsVectorLayer(uri, name, "memory")
    assert layer.isValid()
    feats = []
    for k, row in enumerate(rows):
        f = QgsFeature(layer.fields())
        f.setAttributes([None if isinstance(v, float) and math.isnan(v) else v for v in row])
        if point:
            f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(560000.0 + 100 * k, 4250000.0)))
        feats.append(f)
    assert layer.dataProvider().addFeatures(feats)
    return layer


def _plots(rows):
    uri = "Point?crs=EPSG:32648&" + "&".join(f"field={f}" for f in PLOT_FIELDS)
    return _layer(uri, "plots", rows)


def _trees(rows):
    return _layer(
        "None?field=plot:string&field=sp:string&field=dbh:double&field=h:double", "trees", rows, False
    )


def _allometry():
    # B = 0.1·D² for group A; B = 0.02·D²·H for group B (kg, D in cm, H in m)
    rows = [["A", "D", 0.1, 2.0], ["B", "D2H", 0.02, 1.0]]
    return _layer(
        "None?field=group:string&field=form:string&field=a:double&field=b:double", "allo", rows, False
    )


NAN = float("nan")
# pid, eco, shrub fresh g, ratio, herb g, ratio, litter g, ratio, soc1, bd1, depth1, gravel1, soc2, bd2, note
GOOD = [
    ["F1", "Forest", 2000.0, 0.5, 150.0, 0.4, 400.0, 0.5, 12.0, 1.2, 10.0, 0.1, 8.0, 1.4, "n"],
    ["G1", "grassland", 0.0, 0.5, 300.0, 0.5, 100.0, 0.5, 10.0, 1.3, 10.0, 0.0, 5.0, 1.5, "n"],
]
TREES = [["F1", "A", 20.0, NAN], ["F1", "a", 10.0, NAN], ["F1", "B", 20.0, 10.0]]


def _params(plots, out, **extra):
    params = {
        "PLOTS": plots,
        "PLOT_ID_FIELD": "pid",
        "ECOSYSTEM_FIELD": "eco",
        "SHRUB_FRESH_FIELD": "shrub_fw",
        "SHRUB_RATIO_FIELD": "shrub_r",
        "HERB_FRESH_FIELD": "herb_fw",
        "HERB_RATIO_FIELD": "herb_r",
        "LITTER_FRESH_FIELD": "lit_fw",
        "LITTER_RATIO_FIELD": "lit_r",
        "SOC_1_FIELD": "soc1",
        "BD_1_FIELD": "bd1",
        "DEPTH_1_FIELD": "dep1",
        "GRAVEL_1_FIELD": "grv1",
        "SOC_2_FIELD": "soc2",
        "BD_2_FIELD": "bd2",
        "SOIL_THICKNESS": 20.0,
        "PLOT_CARBON": str(out),
    }
    params.update(extra)
    return params


def _read(path):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(str(path), "out", "ogr")
    assert layer.isValid()
    names = layer.fields().names()
    rows = {}
    for f in layer.getFeatures():
        rows[f["pid"]] = {
            n: (None if f[n] is None or (hasattr(f[n], "isNull") and f[n].isNull()) else f[n]) for n in names
        }
    return rows, names


def test_hand_computed_plots(run_alg, feedback, tmp_path):
    out = tmp_path / "carbon.gpkg"
    params = _params(
        _plots(GOOD),
        out,
        TREES=_trees(TREES),
        TREE_PLOT_ID_FIELD="plot",
        TREE_GROUP_FIELD="sp",
        TREE_DBH_FIELD="dbh",
        TREE_HEIGHT_FIELD="h",
        ALLOMETRY=_allometry(),
    )
    results = run_alg(ALG, params, feedback)
    assert results["N_PROBLEMS"] == 0
    rows, names = _read(out)
    assert names[-6:] == ["C_above", "C_below", "C_litter", "C_soil", "C_total", "problem"]
    assert {"pid", "eco", "soc1", "note"} <= set(names)  # input fields kept
    f1, g1 = rows["F1"], rows["G1"]
    # F1 trees 40 + 10 + 80 = 130 kg on 2500 m² = 0.52 t/hm²; shrubs 2000 g × 0.5 / 25 m² = 40 g/m² =
    # 0.40 t/hm²; herbs 150 × 0.4 / 1 m² = 0.60 t/hm²; AGB 1.52; roots × 0.23; litter 400 × 0.5 = 2.0 t/hm².
    assert f1["C_above"] == pytest.approx(1.52 * 0.47)
    assert f1["C_below"] == pytest.approx(1.52 * 0.23 * 0.47)
    assert f1["C_litter"] == pytest.approx(2.0 * 0.47)
    # soil: 12 × 1.2 × 10 × 0.9 / 10 = 12.96; layer 2 has no thickness or gravel field: 8 × 1.4 × 20 / 10 = 22.4
    assert f1["C_soil"] == pytest.approx(12.96 + 22.4)
    assert f1["C_total"] == pytest.approx(1.52 * 0.47 * 1.23 + 0.94 + 35.36)
    assert f1["problem"] in (None, "")
    # G1: no shrubs (0 g is a measured zero), herbs 300 × 0.5 = 1.5 t/hm², roots × 6.0; litter 0.5 t/hm²;
    # soil 10 × 1.3 × 10 / 10 = 13 + 5 × 1.5 × 20 / 10 = 15.
    assert g1["C_above"] == pytest.approx(1.5 * 0.47)
    assert g1["C_below"] == pytest.approx(9.0 * 0.47)
    assert g1["C_total"] == pytest.approx(10.5 * 0.47 + 0.5 * 0.47 + 28.0)
    assert any("Soil layer 2" in line and "20 cm (no field given)" in line for line in feedback.infos)


def test_problems_are_reported_by_id_and_left_null(run_alg, feedback, tmp_path):
    rows = GOOD + [
        ["P3", "grassland", 0.0, 0.5, 100.0, 0.5, 10.0, 0.5, 10.0, 3.0, 10.0, 0.0, 5.0, 1.2, ""],  # BD 3.0
        [
            "P4",
            "grassland",
            0.0,
            0.5,
            -1.0,
            0.5,
            10.0,
            0.5,
            10.0,
            1.3,
            10.0,
            1.0,
            5.0,
            1.2,
            "",
        ],  # weight, gravel
        [
            "P5",
            "forest",
            0.0,
            0.5,
            100.0,
            0.5,
            10.0,
            0.5,
            10.0,
            1.3,
            10.0,
            0.0,
            NAN,
            1.2,
            "",
        ],  # no tree, no SOC
    ]
    trees = TREES + [["X9", "A", 12.0, NAN]]
    out = tmp_path / "problems.gpkg"
    params = _params(
        _plots(rows),
        out,
        TREES=_trees(trees),
        TREE_PLOT_ID_FIELD="plot",
        TREE_GROUP_FIELD="sp",
        TREE_DBH_FIELD="dbh",
        TREE_HEIGHT_FIELD="h",
        ALLOMETRY=_allometry(),
    )
    results = run_alg(ALG, params, feedback)
    assert results["N_PROBLEMS"] == 3
    got, _ = _read(out)
    assert got["P3"]["C_soil"] is None and got["P3"]["C_total"] is None
    assert got["P3"]["C_above"] == pytest.approx(0.5 * 0.47)  # the other pools are still computed
    assert "bulk density above 2.65" in got["P3"]["problem"]
    assert "herb fresh weight is negative" in got["P4"]["problem"] and "gravel" in got["P4"]["problem"]
    assert got["P4"]["C_above"] is None and got["P4"]["C_total"] is None
    assert (
        "no tree in the tree table" in got["P5"]["problem"]
        and "soil layer 2: SOC missing" in got["P5"]["problem"]
    )
    assert got["F1"]["problem"] in (None, "") and got["F1"]["C_total"] is not None
    log = "\n".join(feedback.warnings)
    assert "Plot P3: soil layer 1: bulk density above 2.65 g/cm³ is impossible" in log
    assert "Plot P4: herb fresh weight is negative" in log
    assert "Plot P5: plot with a tree layer has no tree in the tree table" in log
    assert "Tree row 4: plot id 'X9' is not among the plots" in log
    assert any("3 with problems" in line for line in feedback.infos)


def test_shipped_allometry_and_default_ecosystem_table(run_alg, feedback, tmp_path):
    from core.carbon.plot_carbon import load_allometry, tree_biomass

    out = tmp_path / "default.gpkg"
    trees = _trees([["F1", "Pinus tabuliformis", 20.0, NAN], ["F1", "populus", 30.0, NAN]])
    run_alg(
        ALG,
        _params(
            _plots(GOOD[:1]),
            out,
            TREES=trees,
            TREE_PLOT_ID_FIELD="plot",
            TREE_GROUP_FIELD="sp",
            TREE_DBH_FIELD="dbh",
        ),
        feedback,
    )
    rows, _ = _read(out)
    kg = tree_biomass([20.0, 30.0], None, ["Pinus tabuliformis", "Populus"], load_allometry()).sum()
    agb = kg * 10 / 2500 + 0.40 + 0.60
    assert rows["F1"]["C_above"] == pytest.approx(agb * 0.47, rel=1e-9)
    assert any("illustrative defaults" in line for line in feedback.infos)


def test_wetland_needs_a_ratio_and_a_table_can_give_one(run_alg, feedback, tmp_path):
    wet = [["W1", "Wetland", 0.0, 0.5, 800.0, 0.25, 40.0, 0.5, 20.0, 1.1, 10.0, 0.0, NAN, NAN, ""]]
    base = {"SOC_2_FIELD": None, "BD_2_FIELD": None}
    run_alg(ALG, _params(_plots(wet), tmp_path / "w1.gpkg", **base), feedback)
    rows, _ = _read(tmp_path / "w1.gpkg")
    assert rows["W1"]["C_below"] is None and "no root:shoot ratio" in rows["W1"]["problem"]
    table = ["wetland", "1.5", "0", "25", "4", "forest", "0.23", "1", "25", "1"]
    run_alg(ALG, _params(_plots(wet), tmp_path / "w2.gpkg", ECOSYSTEM_TABLE=table, **base))
    rows, _ = _read(tmp_path / "w2.gpkg")
    # herbs 800 g × 0.25 on 2 m × 2 m = 50 g/m² = 0.5 t/hm²; roots 1.5 × 0.5 = 0.75 t/hm²
    assert rows["W1"]["C_above"] == pytest.approx(0.5 * 0.47)
    assert rows["W1"]["C_below"] == pytest.approx(0.75 * 0.47)


def test_missing_field_is_named(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException) as err:
        run_alg(ALG, _params(_plots(GOOD), tmp_path / "x.gpkg", SOC_1_FIELD="soc_0_10"))
    assert "soc_0_10" in str(err.value) and "Traceback" not in str(err.value)


def test_text_field_for_a_number_is_named(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="Field 'note' of layer 'plots' must be numeric"):
        run_alg(ALG, _params(_plots(GOOD), tmp_path / "x.gpkg", BD_1_FIELD="note"))


def test_text_dbh_in_a_csv_tree_table_is_read_and_bad_text_named(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    csv_trees = _layer(
        "None?field=plot:string&field=sp:string&field=dbh:string",
        "trees_csv",
        [["F1", "A", "20"], ["F1", "A", "ten"]],
        False,
    )
    params = _params(
        _plots(GOOD),
        tmp_path / "x.gpkg",
        TREES=csv_trees,
        TREE_PLOT_ID_FIELD="plot",
        TREE_GROUP_FIELD="sp",
        TREE_DBH_FIELD="dbh",
        ALLOMETRY=_allometry(),
    )
    with pytest.raises(
        QgsProcessingException, match="Field 'dbh' of layer 'trees_csv', feature 2: 'ten' is not a number"
    ):
        run_alg(ALG, params)


def test_species_group_missing_from_the_allometry_is_named(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    trees = _trees([["F1", "Ulmus pumila", 20.0, NAN]])
    params = _params(
        _plots(GOOD),
        tmp_path / "x.gpkg",
        TREES=trees,
        TREE_PLOT_ID_FIELD="plot",
        TREE_GROUP_FIELD="sp",
        TREE_DBH_FIELD="dbh",
        ALLOMETRY=_allometry(),
    )
    with pytest.raises(QgsProcessingException, match="Tree table 'trees': species group.*'Ulmus pumila'"):
        run_alg(ALG, params)


def test_parameter_checks(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="dry/fresh ratio field"):
        run_alg(ALG, _params(_plots(GOOD), tmp_path / "x.gpkg", HERB_RATIO_FIELD=None))
    with pytest.raises(
        QgsProcessingException, match="Soil layer 2: give at least the SOC and the bulk density"
    ):
        run_alg(ALG, _params(_plots(GOOD), tmp_path / "x.gpkg", BD_2_FIELD=None))
    with pytest.raises(QgsProcessingException, match="With a tree table, choose its DBH field"):
        run_alg(
            ALG,
            _params(
                _plots(GOOD),
                tmp_path / "x.gpkg",
                TREES=_trees(TREES),
                TREE_PLOT_ID_FIELD="plot",
                TREE_GROUP_FIELD="sp",
            ),
        )
    with pytest.raises(QgsProcessingException, match="Ecosystem types, row 1 \\('forest'\\)"):
        run_alg(
            ALG, _params(_plots(GOOD), tmp_path / "x.gpkg", ECOSYSTEM_TABLE=["forest", "x", "1", "25", "1"])
        )

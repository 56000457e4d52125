"""Plot carbon density through processing.run: a DBH typo and a negative height are flagged, not summed."""

import numpy as np
import pytest

pytestmark = pytest.mark.qgis

ALG = "carbonsink:plotcarbondensity"
N_TREES = 40


def _layer(uri, name, rows, point=True):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    layer = QgsVectorLayer(uri, name, "memory")
    feats = []
    for k, row in enumerate(rows):
        f = QgsFeature(layer.fields())
        f.setAttributes(list(row))
        if point:
            f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(560000.0 + 100 * k, 4250000.0)))
        feats.append(f)
    assert layer.dataProvider().addFeatures(feats)
    return layer


def _inputs(dbh_typo=None, height_typo=None):
    fields = "pid:string&field=eco:string&field=herb_fw:double&field=herb_r:double&field=soc:double&field=bd:double"
    plots = _layer(
        f"Point?crs=EPSG:32648&field={fields}",
        "plots",
        [["F1", "forest", 60.0, 0.35, 14.0, 1.3], ["F2", "forest", 60.0, 0.35, 14.0, 1.3]],
    )
    rows = []
    for pid in ("F1", "F2"):
        for k, d in enumerate(np.linspace(8.0, 24.0, N_TREES)):
            h = 12.0
            if pid == "F2" and k == 5:
                d = dbh_typo if dbh_typo is not None else d
                h = height_typo if height_typo is not None else h
            rows.append([pid, "Pinus tabuliformis", float(d), h])
    trees = _layer(
        "None?field=plot:string&field=sp:string&field=dbh:double&field=h:double", "trees", rows, False
    )
    return plots, trees


def _run(run_alg, feedback, tmp_path, name, dbh_typo=None, height_typo=None, **extra):
    from qgis.core import QgsVectorLayer

    plots, trees = _inputs(dbh_typo, height_typo)
    out = tmp_path / f"{name}.gpkg"
    params = {
        "PLOTS": plots,
        "PLOT_ID_FIELD": "pid",
        "ECOSYSTEM_FIELD": "eco",
        "TREES": trees,
        "TREE_PLOT_ID_FIELD": "plot",
        "TREE_GROUP_FIELD": "sp",
        "TREE_DBH_FIELD": "dbh",
        "TREE_HEIGHT_FIELD": "h",
        "HERB_FRESH_FIELD": "herb_fw",
        "HERB_RATIO_FIELD": "herb_r",
        "SOC_1_FIELD": "soc",
        "BD_1_FIELD": "bd",
        "PLOT_CARBON": str(out),
        **extra,
    }
    results = run_alg(ALG, params, feedback)
    layer = QgsVectorLayer(str(out), "out", "ogr")
    rows = {f["pid"]: {n: f[n] for n in layer.fields().names()} for f in layer.getFeatures()}
    for row in rows.values():
        for k, v in row.items():
            row[k] = None if v is None or (hasattr(v, "isNull") and v.isNull()) else v
    return results, rows


def test_a_dbh_typo_is_flagged_by_plot_id_and_kept_out_of_c_total(run_alg, feedback, tmp_path):
    results, rows = _run(run_alg, feedback, tmp_path, "typo", dbh_typo=1020.0)
    assert results["N_PROBLEMS"] == 1 and results["N_IMPLAUSIBLE"] == 1
    assert rows["F2"]["C_total"] is None and rows["F1"]["C_total"] > 0
    assert rows["F2"]["problem"] == "tree row 46: DBH 1020 cm is outside the plausible range 2.5–300 cm"
    assert "Plot F2: tree row 46: DBH 1020 cm is outside the plausible range 2.5–300 cm" in feedback.warnings
    assert any("1 plot(s) have values outside their plausible range" in w for w in feedback.warnings)
    assert not feedback.errors


def test_keeping_implausible_plots_computes_them_and_still_flags_them(run_alg, feedback, tmp_path):
    results, rows = _run(run_alg, feedback, tmp_path, "kept", dbh_typo=1020.0, KEEP_IMPLAUSIBLE=True)
    assert results["N_PROBLEMS"] == 1 and results["N_IMPLAUSIBLE"] == 1
    assert rows["F2"]["C_total"] > 10 * rows["F1"]["C_total"]  # what used to pass with N_PROBLEMS = 0
    assert "DBH 1020 cm" in rows["F2"]["problem"]
    assert any("kept in C_total as requested" in w for w in feedback.warnings)


def test_a_negative_height_is_reported(run_alg, feedback, tmp_path):
    results, rows = _run(run_alg, feedback, tmp_path, "height", height_typo=-12.0)
    assert results["N_PROBLEMS"] == 1
    assert rows["F2"]["problem"] == "tree row 46: height -12 m is negative"
    assert rows["F2"]["C_total"] is None


def test_a_user_range_table_replaces_the_defaults(run_alg, feedback, tmp_path):
    table = _layer(
        "None?field=quantity:string&field=min:double&field=max:double",
        "ranges",
        [["dbh", 1.0, 2000.0]],
        False,
    )
    results, rows = _run(run_alg, feedback, tmp_path, "ranges", dbh_typo=1020.0, PLAUSIBLE_RANGES=table)
    assert results["N_PROBLEMS"] == 0 and rows["F2"]["C_total"] is not None
    assert any("Plausible ranges from 'ranges': dbh 1–2000 cm" in i for i in feedback.infos)

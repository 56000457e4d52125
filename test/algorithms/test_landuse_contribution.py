"""Land-use transition and carbon contribution through processing.run, against a hand-computed 4 × 4 case."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from live_markup import assert_written_from_one_document
from osgeo import gdal
from rasters import write_raster

pytestmark = pytest.mark.qgis

ALG = "carbonsink:landusecontribution"
# The case of test/core/test_landuse.py: p9 holds the second-level code 12 (dry land), p13 has no end
# land use (nodata 255), p15 the unknown code 9. Carbon as storage (t per pixel) or density (t/hm²).
START = [1, 1, 2, 3, 1, 3, 3, 3, 5, 12, 2, 2, 4, 4, 6, 9]
END = [1, 2, 2, 3, 5, 3, 1, 2, 5, 1, 2, 2, 4, 255, 6, 6]
C0 = [10, 10, 50, 8, 10, 8, 8, 8, 2, 11, 50, 50, 0, 0, 1, 1]
C1 = [12, 30, 55, 9, 2, 10, 12, 28, 2, 12, 52, 51, 0, 0, 1.5, 3]
TOTAL = 50.5
# true area (hm²) of a 30 m pixel of UTM 48N 60 km east of its central meridian: 0.09 × 1/k², k = 0.99964
HM2 = 0.09 * 1.000712
TRANSITIONS = {  # (from, to): (pixels, ΔC in t as storage)
    (1, 1): (2, 3.0),
    (1, 2): (1, 20.0),
    (1, 5): (1, -8.0),
    (2, 2): (3, 8.0),
    (3, 1): (1, 4.0),
    (3, 2): (1, 20.0),
    (3, 3): (2, 3.0),
    (4, 4): (1, 0.0),
    (5, 5): (1, 0.0),
    (6, 6): (1, 0.5),
}
END_BASIS = {
    "Cropland": 7.0,
    "Forest": 48.0,
    "Grassland": 3.0,
    "Water": 0.0,
    "Built-up land": -8.0,
    "Unused land": 0.5,
}


def _grid(values):
    return np.asarray(values, dtype=float).reshape(4, 4)


@pytest.fixture
def rasters(tmp_path):
    return {
        "LANDUSE_START": write_raster(tmp_path / "lu2000.tif", _grid(START), nodata=255, dtype=gdal.GDT_Byte),
        "LANDUSE_END": write_raster(tmp_path / "lu2020.tif", _grid(END), nodata=255, dtype=gdal.GDT_Byte),
        "CARBON_START": write_raster(tmp_path / "c2000.tif", _grid(C0)),
        "CARBON_END": write_raster(tmp_path / "c2020.tif", _grid(C1)),
    }


def _features(layer):
    from qgis.core import QgsVectorLayer

    if isinstance(layer, str):
        layer = QgsVectorLayer(layer)
    names = layer.fields().names()
    return [dict(zip(names, f.attributes())) for f in layer.getFeatures()]


def test_known_answer_from_storage_with_report_and_transition_raster(run_alg, feedback, rasters, tmp_path):
    out = run_alg(
        ALG,
        {
            **rasters,
            "CARBON_UNIT": 1,  # storage, t per pixel
            "TRANSITIONS": "TEMPORARY_OUTPUT",
            "CONTRIBUTIONS": "TEMPORARY_OUTPUT",
            "REPORT": str(tmp_path / "landuse.html"),
            "TRANSITION_RASTER": str(tmp_path / "transitions.tif"),
        },
        feedback,
    )
    rows = _features(out["TRANSITIONS"])
    got = {(r["from_code"], r["to_code"]): (r["pixels"], r["carbon_change_t"]) for r in rows}
    assert got.keys() == TRANSITIONS.keys()
    for pair, (pixels, dc) in TRANSITIONS.items():
        assert got[pair][0] == pixels and got[pair][1] == pytest.approx(dc, abs=1e-6)
    by_pair = {(r["from_code"], r["to_code"]): r for r in rows}
    assert by_pair[(1, 2)]["from_name"] == "Cropland" and by_pair[(1, 2)]["to_name"] == "Forest"
    assert by_pair[(1, 1)]["area_hm2"] == pytest.approx(2 * HM2, rel=2e-5)  # 30 m pixels
    assert by_pair[(3, 2)]["share_pct"] == pytest.approx(100 * 20 / TOTAL)
    assert sum(r["share_pct"] for r in rows) == pytest.approx(100.0)
    contrib = {r["name"]: r for r in _features(out["CONTRIBUTIONS"])}
    for name, dc in END_BASIS.items():
        assert contrib[name]["carbon_change_t"] == pytest.approx(dc, abs=1e-6)
        assert contrib[name]["basis"] == "end"
    assert contrib["Forest"]["persistence_change_t"] == pytest.approx(8.0)
    assert contrib["Forest"]["conversion_change_t"] == pytest.approx(40.0)
    assert sum(r["share_pct"] for r in contrib.values()) == pytest.approx(100.0)
    assert out["TOTAL_CHANGE_T"] == pytest.approx(TOTAL)
    assert out["CONVERSION_CHANGE_T"] == pytest.approx(44.0)  # 1→2, 3→1, 3→2
    assert out["CONVERSION_SHARE_PCT"] == pytest.approx(100 * 44 / TOTAL)
    assert out["UNKNOWN_PIXELS"] == 1
    assert out["UNKNOWN_CODES"]["start"] == {"9": 1}
    assert any("code 9: 1 px" in e and "lu2000" in e for e in feedback.warnings)
    assert not feedback.errors
    assert any("Conversions among Cropland, Grassland, Forest" in i for i in feedback.infos)
    assert any("second-level" in i for i in feedback.infos)

    html = (tmp_path / "landuse.html").read_text(encoding="utf-8")
    assert "http" not in html.replace("http://www.w3.org/2000/svg", "") and "<script" not in html
    svgs = [ET.fromstring(s[: s.index("</svg>") + 6]) for s in ("<svg" + p for p in html.split("<svg")[1:])]
    flows = [e for s in svgs for e in s.iter("{http://www.w3.org/2000/svg}path") if e.get("class") == "flow"]
    assert len(flows) == 10 + 4  # all non-empty transitions, then the 4 conversions
    assert "Codes not in the class table" in html and "87.13 %" in html
    data = assert_written_from_one_document(tmp_path / "landuse.html", "carbonsink:landusecontribution")
    sankey = data.sections[3].blocks[0]
    assert sankey.chart == "sankey" and len([f for f in sankey.data["flows"] if f[2]]) == 10

    ds = gdal.Open(out["TRANSITION_RASTER"])
    codes = ds.ReadAsArray()
    assert ds.GetRasterBand(1).GetNoDataValue() == 0
    names = ds.GetRasterBand(1).GetCategoryNames()
    assert names[codes[0, 1]] == "Cropland \u2192 Forest"
    assert names[codes[2, 1]] == "Cropland (unchanged)"  # 12 folded onto cropland
    assert codes[3, 1] == 0 and codes[3, 3] == 0  # nodata, unknown
    assert (tmp_path / "transitions.qml").exists()


def test_density_is_multiplied_by_the_true_pixel_area(run_alg, rasters):
    out = run_alg(ALG, {**rasters, "CARBON_UNIT": 0, "BASIS": 1})
    assert out["TOTAL_CHANGE_T"] == pytest.approx(TOTAL * HM2, rel=2e-5)
    assert out["CONVERSION_CHANGE_T"] == pytest.approx(44 * HM2, rel=2e-5)
    start_basis = {r["name"]: r["carbon_change_t"] for r in out["CLASS_CONTRIBUTIONS"]}
    assert start_basis["Grassland"] == pytest.approx(27 * HM2, rel=2e-5)  # 3→3, 3→1, 3→2


def test_custom_table_conversion_set_and_folding_off(run_alg, feedback, rasters):
    table = [
        "1",
        "Farmland",
        "2",
        "Woodland",
        "3",
        "Grass",
        "4",
        "Water",
        "5",
        "Built",
        "6",
        "Other",
        "12",
        "Dry land",
    ]
    out = run_alg(
        ALG,
        {
            **rasters,
            "CARBON_UNIT": 1,
            "CLASSES": table,
            "CONVERSION_CLASSES": "dry land, farm",
            "FOLD_SECOND_LEVEL": False,
        },
        feedback,
    )
    # 12 is a class of its own now: its pixel went 12 → 1 (+1 t), the only conversion in the set
    assert out["CONVERSION_CHANGE_T"] == pytest.approx(1.0)
    assert out["UNKNOWN_PIXELS"] == 1


def test_different_grids_stop_with_the_layer_name(run_alg, rasters, tmp_path):
    from qgis.core import QgsProcessingException

    shifted = write_raster(
        tmp_path / "c2020_shifted.tif", _grid(C1), geotransform=(560030.0, 30.0, 0.0, 4250000.0, 0.0, -30.0)
    )
    with pytest.raises(QgsProcessingException, match="c2020_shifted.*not on the same grid"):
        run_alg(ALG, {**rasters, "CARBON_END": shifted})


def test_bad_conversion_set_and_all_unknown_codes_are_clear_errors(run_alg, rasters, tmp_path):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="'wetland' is not a class code or name"):
        run_alg(ALG, {**rasters, "CONVERSION_CLASSES": "cropland, wetland"})
    esa = write_raster(tmp_path / "esa.tif", np.full((4, 4), 80.0), nodata=255, dtype=gdal.GDT_Byte)
    with pytest.raises(QgsProcessingException, match="No pixel has a land-use code.*'esa': code 80: 15 px"):
        run_alg(ALG, {**rasters, "LANDUSE_START": esa})


def test_transition_raster_needs_at_most_15_classes(run_alg, rasters, tmp_path):
    from qgis.core import QgsProcessingException

    table = [v for c in range(1, 17) for v in (str(c), f"class {c}")]
    with pytest.raises(QgsProcessingException, match="Transition raster: .*at most 15 classes"):
        run_alg(ALG, {**rasters, "CLASSES": table, "TRANSITION_RASTER": str(tmp_path / "t.tif")})


def test_a_carbon_stack_gives_the_same_answer_as_start_and_end_rasters(run_alg, rasters, tmp_path):
    from qgis.core import QgsProcessingException

    middle = (_grid(C0) + _grid(C1)) / 2
    stack = write_raster(
        tmp_path / "carbon.tif", np.stack([_grid(C0), middle, _grid(C1)]), descriptions=[2000, 2010, 2020]
    )
    common = {
        "LANDUSE_START": rasters["LANDUSE_START"],
        "LANDUSE_END": rasters["LANDUSE_END"],
        "CARBON_UNIT": 1,
        "TRANSITIONS": "TEMPORARY_OUTPUT",
    }
    by_pair = run_alg(
        ALG, {**common, "CARBON_START": rasters["CARBON_START"], "CARBON_END": rasters["CARBON_END"]}
    )
    by_stack = run_alg(ALG, {**common, "CARBON_STACK": [stack]})
    a = {(r["from_code"], r["to_code"]): r["carbon_change_t"] for r in _features(by_pair["TRANSITIONS"])}
    b = {(r["from_code"], r["to_code"]): r["carbon_change_t"] for r in _features(by_stack["TRANSITIONS"])}
    assert a.keys() == b.keys() and all(a[k] == pytest.approx(b[k]) for k in a)
    with pytest.raises(QgsProcessingException, match="exactly one of the two"):
        run_alg(
            ALG,
            {
                **common,
                "CARBON_STACK": [stack],
                "CARBON_START": rasters["CARBON_START"],
                "CARBON_END": rasters["CARBON_END"],
            },
        )

"""The study report as a reviewer reads it (issue 14): findings first with their denominators, the run's
provenance instead of intermediate files, the pixels not computed in the tables, global Moran's I, the zoning
rules, plots and samples, human headers and long tables beside the report as CSV."""

import csv

import pytest

from core.reports import study_findings as sf
from core.reports import study_report as sr
from core.reports.document import Column, Report, Section, Table
from core.reports.render import render_html

TREND = "Trend class (Sen + Mann–Kendall)"
ROWS = [
    {"code": 1, "class": "Significant increase", "colour": "#1a9641", "pixels": 30, "area_hm2": 300.0, "share_pct": 75.0},
    {"code": 2, "class": "No significant change", "colour": "#ffffbf", "pixels": 10, "area_hm2": 100.0, "share_pct": 25.0},
]  # fmt: skip
COVERAGE = {
    TREND: {"with_density": 50, "with_density_hm2": 500.0, "not_computed": 10, "not_computed_hm2": 100.0}
}


def _storage_step():
    trends = Table(
        (Column("region"), Column("region name"), Column("variable"), Column("slope"), Column("p")),
        (
            ("", "All regions", "total storage", 25686.0, 0.001),
            ("", "All regions", "mean density", 0.49, 0.002),
        ),
    )
    rep = Report("Carbon storage accounting", [Section("Trends (least squares)", [trends])])
    return sr.StepReport("Carbon storage and mean density", rep, "storage.html"), "storage.html"


def test_findings_state_each_share_with_its_denominator_and_the_pixels_not_computed():
    rows = sf.findings([(TREND, "trend", ROWS)], COVERAGE, [_storage_step()], {"i": 0.61, "p_sim": 0.001},
                       {"measured": 60, "derived": 560, "stats": {}}, (50, 500.0))  # fmt: skip
    by = {r[0]: r for r in rows}
    assert by["Total carbon storage trend"][1] == "+25,686 t C/a"
    assert by["Mean carbon density trend"][1] == "+0.490 t C/hm²/a"
    share = by["Significant increase of carbon density (Sen + Mann–Kendall)"]
    assert share[1] == "75.0 %" and share[2] == "the 400 hm² with a trend class"
    blank = by["Not computed: Trend class"]
    assert blank[1] == "10 pixels (20.0 %)" and "50 pixels with a carbon density" in blank[2]
    assert by["Global Moran's I of the carbon-sink rate"][1] == "0.610"
    assert by["Sample points"][1] == "60 plots + 560 augmented"


def test_the_report_opens_with_the_findings_and_ends_with_the_runs_provenance():
    meta = sr.provenance({"PLOTS": "/data/plots.gpkg", "FACTORS": ["a.tif", "b.tif"]},
                         {"SEED": "42", "MAX_CORRELATION": "0.8", "HURST_METHOD": "0"},
                         {"plugin": "Carbon Sink Diagnostics 0.1.0", "QGIS": "3.22.16"})  # fmt: skip
    doc = sr.study_report("Study", class_areas=[(TREND, "trend", ROWS)], coverage=COVERAGE, meta=meta,
                          findings=[("Area with a carbon density", "500 hm²", "50 pixels")],
                          intro="Period 2001–2024 (24 years)")  # fmt: skip
    html = render_html(doc)
    assert html.index("Summary of findings") < html.index('id="class-areas"')
    assert "Period 2001–2024" in html
    for text in ("Original inputs", "/data/plots.gpkg", "MAX_CORRELATION", "0.8", "3.22.16", "Settings"):
        assert text in html, text
    assert "REPORT.html" not in html
    # the class table: shares of the classified area, the not computed pixels apart, in grey
    assert "share of the classified area (%)" in html and "Total classified" in html
    assert sr.NOT_COMPUTED_LABEL in html and sr.NOT_COMPUTED_COLOUR in html
    assert "10 of the 50 pixels with a carbon density (20.0 %, 100 hm²)" in html


def test_moran_rules_and_samples_sections():
    moran = sr.moran_section({"i": "0.52", "ei": "-0.0001", "z_rand": "80.1", "p_rand": "0", "p_sim": "0.001",
                              "permutations": "999", "seed": "42", "n": "18000", "weights": "queen"})  # fmt: skip
    rules = sr.rule_table(
        [{"zone": "High-priority sink", "trend": "Significant increase", "lisa": ""}], "default"
    )
    summary = sf.sample_summary(
        ["source", "carbon_density"], [("measured", 80.0), ("derived", 60.0), ("derived", 40.0)]
    )
    assert summary["measured"] == 1 and summary["derived"] == 2 and summary["stats"]["derived"][1] == 50.0
    html = render_html(Report("x", [moran, rules, sf.samples_section(summary)]))
    assert "0.5200" in html and "999 permutations" in html and "spatially clustered" in html
    assert "High-priority sink" in html and ">any<" in html
    assert "1 survey plots and 2 points added" in html


def test_human_headers_and_long_tables_cut_with_the_whole_table_as_csv(tmp_path):
    big = Table(
        (Column("year"), Column("r_with_target"), Column("area_ha")),
        tuple((2000 + i, 0.5, 1e7) for i in range(120)),
    )
    doc = Report("Study", [Section("Yearly totals", [big])], layout="study")
    new, cut = sr.long_tables_of(doc, "study")
    assert [name for name, _ in cut] == ["study_yearly_totals.csv"]
    table = new.sections[0].blocks[0]
    assert len(table.rows) == 10 and [c.name for c in table.columns] == [
        "year",
        "r with carbon density",
        "area (hm²)",
    ]
    html = render_html(new)
    assert '<a href="study_yearly_totals.csv">' in html and "The first 10 of 120 rows" in html
    assert "e+" not in html
    sf.write_csv(tmp_path / cut[0][0], cut[0][1])
    with open(tmp_path / cut[0][0], encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == 121 and rows[0][1] == "r with carbon density"


def test_provenance_json_is_checked():
    assert sf.parse_provenance("") == {}
    got = sf.parse_provenance('{"inputs": {"PLOTS": "p.gpkg", "ARIDITY": null}, "settings": {"SEED": 42}}')
    assert got == {"inputs": {"PLOTS": "p.gpkg"}, "settings": {"SEED": "42"}}
    with pytest.raises(ValueError, match="not JSON"):
        sf.parse_provenance("{")

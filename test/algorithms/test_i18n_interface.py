"""The Chinese interface: with QGIS's locale set to zh_CN the toolbox, a run's messages, the legends and a
report are in Simplified Chinese; English stays the default (README: Language)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from osgeo import gdal

pytestmark = pytest.mark.qgis
ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "update_translations.py"


@pytest.fixture(scope="module", autouse=True)
def catalogues():
    """The .qm the plugin loads, built from the committed .ts (make qm) when missing or older."""
    ts, qm = ROOT / "i18n" / "carbonsink_zh_CN.ts", ROOT / "i18n" / "carbonsink_zh_CN.qm"
    if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
        subprocess.run([sys.executable, str(SCRIPT), "--qm"], check=True, capture_output=True)


def _plugin_in_a_fresh_qgis(tmp_path, locale):
    """Load the plugin as QGIS does (classFactory, initProcessing) with ``locale`` as the QGIS locale
    setting (None: no setting), and report the toolbox it gives."""
    settings = (
        "from qgis.core import QgsSettings; s = QgsSettings();"
        f"s.setValue('locale/overrideFlag', True); s.setValue('locale/userLocale', {locale!r});"
        if locale
        else ""
    )
    code = (
        "import sys, json;"
        f"sys.path.insert(0, {str(ROOT / 'build' / 'plugins')!r});"
        "from qgis.core import QgsApplication; app = QgsApplication([], False); app.initQgis();"
        + settings
        + "import carbon_sink_diagnostics as csd;"
        "plugin = csd.classFactory(None); plugin.initProcessing();"
        "p = QgsApplication.processingRegistry().providerById('carbonsink');"
        "sen = p.algorithm('senmannkendall'); report = p.algorithm('studyreport');"
        "out = {'provider': p.name(), 'names': {a.id(): a.displayName() for a in p.algorithms()},"
        " 'groups': sorted({a.group() for a in p.algorithms()}),"
        " 'label': sen.parameterDefinition('INPUT').description(), 'help': sen.shortHelpString(),"
        " 'language': report.parameterDefinition('LANGUAGE').defaultValue()};"
        "plugin.unload();"
        "from qgis.PyQt.QtCore import QCoreApplication;"
        "out['after_unload'] = QCoreApplication.translate('CarbonSinkProvider', 'Carbon Sink Diagnostics');"
        "print(json.dumps(out))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "QT_QPA_PLATFORM": "offscreen",
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "LANG": "C.UTF-8",
        },
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_with_locale_zh_CN_the_toolbox_is_in_chinese(qgis_app, tmp_path):  # noqa: N802
    toolbox = _plugin_in_a_fresh_qgis(tmp_path, "zh_CN")
    assert toolbox["provider"] == "碳汇诊断"
    names = toolbox["names"]
    assert names["carbonsink:senmannkendall"] == "Theil–Sen 斜率与 Mann–Kendall 趋势"
    assert names["carbonsink:hurstexponent"] == "Hurst 指数（持续性）"
    assert names["carbonsink:diagnosticzoning"] == "诊断分区"
    assert names["carbonsink:globalmoran"] == "全局莫兰指数"
    assert names["carbonsink:wholestudy"].startswith("整体研究")
    assert toolbox["groups"] == [
        "1 · 数据准备",
        "2 · 碳密度模型",
        "3 · 趋势与持续性",
        "4 · 气候与土地利用驱动",
        "5 · 空间格局",
        "6 · 诊断分区",
        "7 · 整体研究与报告",
        "8 · 分布式计算",
        "9 · 示例数据",
    ]
    # A vocabulary label and the help text, translated in their own contexts.
    assert toolbox["label"] == "逐年时序栅格（每年一个波段，或每年一个栅格）"
    assert "公式" in toolbox["help"] and "Mann–Kendall 检验" in toolbox["help"]
    assert toolbox["language"] == 1  # the report defaults to the interface language
    assert toolbox["after_unload"] == "Carbon Sink Diagnostics"  # unload removes the translator


def test_english_stays_the_default(qgis_app, tmp_path):
    toolbox = _plugin_in_a_fresh_qgis(tmp_path, None)
    assert toolbox["provider"] == "Carbon Sink Diagnostics"
    assert toolbox["names"]["carbonsink:senmannkendall"] == "Theil–Sen slope and Mann–Kendall trend"
    assert toolbox["groups"][0] == "1 · Data preparation"
    assert toolbox["language"] == 0


def test_an_unknown_locale_falls_back_to_english(qgis_app, tmp_path):
    toolbox = _plugin_in_a_fresh_qgis(tmp_path, "fr_FR")
    assert toolbox["names"]["carbonsink:globalmoran"] == "Global Moran's I"


def _trend_outputs(folder):
    return {k: str(folder / f"{k.lower()}.tif") for k in ("SLOPE", "TREND_CLASS", "Z_SCORE", "P_VALUE", "S")}


@pytest.fixture
def chinese(qgis_app):
    """The Chinese catalogue installed on the application for one test, as the plugin installs it."""
    from carbon_sink_diagnostics.algorithms.support import translation

    installed = translation.install("zh_CN")
    assert installed is not None
    yield
    translation.uninstall(installed)


def test_a_run_speaks_chinese_and_its_legend_too(chinese, run_alg, feedback, sample_stack, tmp_path):
    results = run_alg(
        "carbonsink:senmannkendall", {"INPUT": [sample_stack], **_trend_outputs(tmp_path)}, feedback
    )
    log = "\n".join(feedback.infos)
    assert "Theil–Sen 斜率与 Mann–Kendall 趋势：用时" in log  # the algorithm layer's messages
    assert "各类别的面积" in log
    qml = (tmp_path / "trend_class.qml").read_text(encoding="utf-8")
    assert 'label="显著增加"' in qml and 'label="无显著变化"' in qml and 'label="显著减少"' in qml
    # The data stay in English: the zoning rules match the GeoTIFF's category names in any language.
    ds = gdal.Open(results["TREND_CLASS"])
    band = ds.GetRasterBand(1)
    band.GetMetadata()  # makes GDAL read the .aux.xml that holds the names
    names = band.GetCategoryNames()
    ds = None
    assert names[1:4] == ["Significant decrease", "No significant change", "Significant increase"]
    summary = results["CLASS_AREA_SUMMARY"]["TREND_CLASS"]
    assert [r["class"] for r in summary] == ["显著减少", "无显著变化", "显著增加"]


def test_a_run_in_english_by_default(run_alg, feedback, sample_stack, tmp_path):
    run_alg("carbonsink:senmannkendall", {"INPUT": [sample_stack], **_trend_outputs(tmp_path)}, feedback)
    assert any("finished in" in line for line in feedback.infos)
    assert 'label="Significant increase"' in (tmp_path / "trend_class.qml").read_text(encoding="utf-8")


def test_the_study_report_in_the_language_chosen(run_alg, sample_stack, tmp_path):
    trend = run_alg("carbonsink:senmannkendall", {"INPUT": [sample_stack], **_trend_outputs(tmp_path)})
    pages = {}
    for language in (0, 1):
        path = tmp_path / f"report_{language}.html"
        params = {"TREND_CLASS": trend["TREND_CLASS"], "DPI": 72, "LANGUAGE": language, "REPORT": str(path)}
        run_alg("carbonsink:studyreport", params)
        pages[language] = path.read_text(encoding="utf-8")
    english, chinese = pages[0], pages[1]
    for heading in ("Class areas", "Produced by", "Trend class (Sen + Mann–Kendall)", "Significant increase"):
        assert heading in english
    for heading in ("各类别面积", "生成信息", "趋势分类（Sen + Mann–Kendall）", "显著增加", "面积", "占比"):
        assert heading in chinese, heading
    assert "Class areas" not in chinese and "Produced by" not in chinese
    # The report's data (report.json) stay English, whatever the page's language.
    data = json.loads((tmp_path / "report_1.json").read_text(encoding="utf-8"))
    assert "Class areas" in json.dumps(data)

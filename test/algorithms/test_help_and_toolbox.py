"""What users see of the algorithms outside a run: the toolbox (groups in workflow order, search words),
the help (plain text that reads the same in `qgis_process help` and in the dialog's panel, no developer
notes, the method cited where it ships), per-parameter help, the Help button's page and the docs."""

import html
import importlib.util
import re
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import pytest

ROOT = Path(__file__).resolve().parents[2]
STEP = re.compile(r"docs/method\.md, steps? (\d+)(?:(?: to |–|-| and )(\d+))?")
DEVELOPER_NOTES = re.compile(
    r"METHOD\.md|pysal/esda#|:func:|:class:|``|returns NaN there|\d+ s here|the tests check|"
    r"pymannkendall|<sub>|<b>|<p>|&[a-z]+;"
)


@pytest.fixture(scope="module")
def algorithms(qgis_app):
    from qgis.core import QgsApplication

    provider = QgsApplication.processingRegistry().providerById("carbonsink")
    return {alg.name(): alg for alg in provider.algorithms()}


def panel_text(alg):
    """The help as the dialog's panel shows it: QgsProcessingAlgorithmDialogBase::formatHelp makes every
    line of shortHelpString() a paragraph of HTML under the algorithm's name; the panel renders that."""
    from qgis.PyQt.QtGui import QTextDocument

    paragraphs = "".join(f"<p>{line}</p>" for line in alg.shortHelpString().split("\n"))
    doc = QTextDocument()
    doc.setHtml(f"<h2>{alg.displayName()}</h2>{paragraphs}")
    return doc.toPlainText()


def _words(text):
    return " ".join(text.split())


# -------------------------------------------------------------------------------------------- help
def test_the_panel_check_sees_what_html_would_swallow(qgis_app):
    class Fake:
        def __init__(self, text):
            self.text = text

        def shortHelpString(self):  # noqa: N802
            return self.text

        def displayName(self):  # noqa: N802
            return "Fake"

    assert _words(panel_text(Fake("p below α\n\nβ > 0 & H > 0.5"))) == "Fake p below α β > 0 & H > 0.5"
    assert _words(panel_text(Fake("p < 0.05 for i<j"))) == "Fake p"  # a "<" eats the rest
    assert DEVELOPER_NOTES.search("see :func:`make_region`") and DEVELOPER_NOTES.search("x&lt;y")


def test_help_is_plain_text_the_panel_shows_unchanged(algorithms):
    for name, alg in algorithms.items():
        text = alg.shortHelpString()
        assert text.strip(), name
        assert _words(panel_text(alg)) == _words(alg.displayName() + " " + text), name
        assert "<" not in text and not re.search(r"&#?\w+;", text), name


def test_help_holds_no_developer_notes(algorithms):
    for name, alg in algorithms.items():
        texts = [alg.shortHelpString()] + [d.help() for d in alg.parameterDefinitions()]
        for text in texts:
            assert not DEVELOPER_NOTES.search(text), (name, DEVELOPER_NOTES.search(text).group())


def test_every_parameter_has_help_that_the_tooltip_shows(algorithms):
    for name, alg in algorithms.items():
        for d in alg.parameterDefinitions():
            if ":" in d.name():  # a model's outputs: the step's own parameter has the help
                continue
            assert d.help().strip(), f"{name}: {d.name()} has no help"
            assert "<" not in d.help(), f"{name}: {d.name()}"
            assert d.help() in d.toolTip()  # QGIS shows it in the dialog's tooltip


def _method_steps():
    text = (ROOT / "docs" / "method.md").read_text(encoding="utf-8")
    return {int(n) for n in re.findall(r"^## Step (\d+)\. ", text, flags=re.M)}, text


def test_the_method_ships_and_every_citation_of_it_names_a_step_it_has():
    steps, text = _method_steps()
    assert steps == set(range(1, 14)) and "## Data preparation" in text
    cited = {}
    for path in [*ROOT.glob("*.md"), *ROOT.glob("*.py")] + [
        p
        for folder in ("algorithms", "core", "scripts", "docs", "test")
        for p in (ROOT / folder).rglob("*")
        if p.suffix in (".py", ".md", ".csv") and "__pycache__" not in p.parts
    ]:
        content = path.read_text(encoding="utf-8")
        assert "METHOD.md" not in content or path.name == Path(__file__).name, path
        for m in STEP.finditer(content):
            first, last = int(m.group(1)), int(m.group(2) or m.group(1))
            cited.setdefault(path.name, set()).update(range(first, last + 1))
    assert cited and set().union(*cited.values()) <= steps, cited


def test_each_step_algorithm_cites_its_step(algorithms):
    for name, alg in algorithms.items():
        if name in ("createdemoregion",):
            continue
        text = alg.shortHelpString() or alg.shortDescription()
        if name == "wholestudy":
            text = alg.helpContent().get("ALG_DESC", "")
        assert "docs/method.md" in text, name


# ------------------------------------------------------------------------------------------ toolbox
SEARCHES = {
    # what users type: (algorithms it must find, algorithms it may also find)
    "mann-kendall": ({"senmannkendall"}, {"regionalclimatetrend"}),
    "mann–kendall": ({"senmannkendall"}, {"regionalclimatetrend"}),
    "theil-sen": ({"senmannkendall"}, {"regionalclimatetrend"}),
    "sen slope": ({"senmannkendall"}, {"futuretrend", "regionalclimatetrend"}),
    "sankey": ({"landusecontribution"}, set()),
    "lisa": ({"localmoran"}, set()),
    "hotspot": ({"localmoran"}, set()),
    "hot spot": ({"localmoran"}, set()),
    "random forest": ({"traincarbonmodel"}, {"predictcarbondensity"}),
}


def toolbox_search(text):
    """The algorithms of the plugin the Processing toolbox's search box shows for ``text``."""
    from qgis.core import QgsApplication
    from qgis.gui import QgsProcessingToolboxModel, QgsProcessingToolboxProxyModel

    model = QgsProcessingToolboxProxyModel(None, QgsApplication.processingRegistry())
    model.setFilterString(text)
    found, todo = set(), [model.index(-1, -1)]
    while todo:
        parent = todo.pop()
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            alg_id = model.data(index, QgsProcessingToolboxModel.RoleAlgorithmId)
            if alg_id and alg_id.startswith("carbonsink:"):
                found.add(alg_id.split(":", 1)[1])
            todo.append(index)
    return found


@pytest.mark.parametrize("text", sorted(SEARCHES))
def test_the_toolbox_search_finds_the_right_tools(qgis_app, text):
    must, may = SEARCHES[text]
    found = toolbox_search(text)
    assert must <= found <= must | may, found


def test_tags_are_lower_case_and_hyphenated_as_users_type_them(algorithms):
    for name, alg in algorithms.items():
        tags = alg.tags()
        assert all(t == t.lower().strip() and t for t in tags), name
        for tag in tags:
            if "–" in tag:
                assert tag.replace("–", "-") in tags, (name, tag)
        for word in alg.displayName().lower().split():
            if "–" in word:  # "Theil–Sen" in a name: the hyphen a keyboard types must find it too
                assert word.replace("–", "-").strip("()") in tags, (name, word)


def test_groups_are_numbered_in_workflow_order_with_the_report_beside_the_whole_study(algorithms):
    from carbon_sink_diagnostics.algorithms.support.base import GROUPS

    names = list(GROUPS.values())
    assert names == sorted(names)  # the toolbox sorts groups by name
    assert [n.split(" · ")[0] for n in names] == [str(i) for i in range(1, len(names) + 1)]
    group = {name: alg.group() for name, alg in algorithms.items()}
    assert group["preparestack"].startswith("1 ·") and group["createdemoregion"] == names[-1]
    assert group["studyreport"] == group["wholestudy"] == GROUPS["study"]
    assert algorithms["wholestudy"].groupId() == algorithms["studyreport"].groupId() == "study"
    order = [group[n] for n in ("plotcarbondensity", "senmannkendall", "climatepartialcorrelation")]
    assert order == sorted(order)
    assert set(group.values()) == set(names)


# --------------------------------------------------------------------------------- help url, docs
def test_the_help_button_opens_the_algorithm_in_the_shipped_reference(algorithms):
    page = ROOT / "docs" / "algorithms.html"
    text = page.read_text(encoding="utf-8")
    for name, alg in algorithms.items():
        url = urlparse(alg.helpUrl())
        assert url.scheme == "file" and url.fragment == name, alg.helpUrl()
        assert Path(url2pathname(url.path)).resolve() == page.resolve()
        assert f'<section id="{name}">' in text
        section = text.split(f'<section id="{name}">', 1)[1].split("</section>", 1)[0]
        for d in alg.parameterDefinitions():
            if ":" not in d.name():
                assert f"<code>{html.escape(d.name())}</code>" in section, (name, d.name())


def test_docs_and_the_readme_table_are_written_from_the_algorithms(qgis_app):
    spec = importlib.util.spec_from_file_location("build_docs", ROOT / "scripts" / "build_docs.py")
    build_docs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_docs)
    for path, text in build_docs.documents().items():
        assert (
            Path(path).read_text(encoding="utf-8") == text
        ), f"{Path(path).relative_to(ROOT)} is out of date: run scripts/build_docs.py"

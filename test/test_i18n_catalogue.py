"""The translation catalogues (i18n/*.ts): complete, in step with the code, placeholders intact, glossary
terms used consistently.

When a test here fails after code changes: run ``make translations`` (it prints the untranslated count),
translate the texts it marks unfinished following i18n/glossary.md (Qt Linguist, or the XML), run it again.
"""

import importlib.util
import re
import shutil
import string
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TS_FILES = sorted((ROOT / "i18n").glob("carbonsink_*.ts"))
GLOSSARY = ROOT / "i18n" / "glossary.md"

_spec = importlib.util.spec_from_file_location(
    "update_translations", ROOT / "scripts" / "update_translations.py"
)
update_translations = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(update_translations)


def messages(ts):
    """(context, source, translation or None if unfinished) of every message of a .ts file."""
    out = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            done = (
                translation is not None
                and translation.get("type") is None
                and (translation.text or "").strip()
            )
            out.append((name, message.findtext("source"), translation.text if done else None))
    return out


def glossary_terms(text):
    """(English, Chinese) of the rows of the glossary marked "yes" in the checked column."""
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[2] == "yes":
            rows.append((cells[0], cells[1]))
    return rows


def _pattern(english):
    words = re.split(r"[\s\-–]+", english)
    return re.compile(
        r"(?<![A-Za-z])" + r"[\s\-–]".join(map(re.escape, words)) + r"(?![A-Za-z])", re.IGNORECASE
    )


def _without_references(text):
    """A help text without its References (titles of papers stay in their language)."""
    return re.split(r"\n[ \t]*References[ \t]*\n", text)[0]


def glossary_violations(terms, msgs):
    """'term: source → translation' for every translated text whose source has an English term of the
    glossary (outside its references) and whose translation lacks the Chinese one."""
    found = []
    for english, chinese in terms:
        pattern = _pattern(english)
        for _, source, translation in msgs:
            if (
                translation is not None
                and pattern.search(_without_references(source))
                and chinese not in translation
            ):
                found.append(f"{english} → {chinese}: {source[:70]!r} → {translation[:70]!r}")
    return found


def _fields(text):
    """(index or None, format spec, conversion) of every replacement field of a format string."""
    out = []
    for _, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            out.append((int(name) if name.isdigit() else None, spec or "", conversion or ""))
    return out


def placeholder_problem(source, translation):
    """Why ``translation`` would not format with the arguments of ``source`` (None when it would)."""
    try:
        src, dst = _fields(source), _fields(translation)
    except ValueError as exc:
        return f"not a format string: {exc}"
    if any(i is not None for i, _, _ in src):
        return None if sorted(src) == sorted(dst) else "fields differ"
    if all(i is None for i, _, _ in dst):
        return None if [f[1:] for f in src] == [f[1:] for f in dst] else "fields or their order differ"
    if any(i is None for i, _, _ in dst):
        return "mixes numbered and unnumbered fields"
    if sorted(i for i, _, _ in dst) != list(range(len(src))):
        return "numbered fields do not match the arguments"
    return None if all(src[i][1:] == (s, c) for i, s, c in dst) else "a format spec changed"


@pytest.fixture(scope="module", params=TS_FILES, ids=lambda p: p.name)
def ts(request):
    return request.param


def test_there_is_a_chinese_catalogue():
    assert [p.name for p in TS_FILES] == ["carbonsink_zh_CN.ts"]


def test_no_user_facing_text_is_untranslated(ts):
    missing = update_translations.untranslated(ts)
    listed = "\n".join(f"  [{context}] {source[:90]!r}" for context, source in missing[:40])
    assert not missing, (
        f"UNTRANSLATED: {len(missing)} text(s) of {ts.name} have no translation; translate them "
        f"(i18n/glossary.md) and run `make translations`:\n{listed}"
    )


@pytest.mark.skipif(shutil.which("pylupdate5") is None, reason="pylupdate5 (pyqt5-dev-tools): run make setup")
def test_the_catalogue_holds_every_text_of_the_code(ts, tmp_path):
    fresh = tmp_path / "fresh.ts"
    update_translations.extract(fresh)
    in_code = {(c, s) for c, s, _ in messages(fresh)}
    in_ts = {(c, s) for c, s, _ in messages(ts)}
    new = sorted(in_code - in_ts)
    assert (
        not new
    ), f"{len(new)} text(s) of the code are not in {ts.name}: run `make translations`: {new[:10]}"


def test_translations_keep_the_placeholders(ts):
    bad = []
    for context, source, translation in messages(ts):
        if translation is not None and "{" in source + translation:
            problem = placeholder_problem(source, translation)
            if problem:
                bad.append(f"[{context}] {source[:60]!r}: {problem}")
    assert not bad, "\n".join(bad)


def test_the_placeholder_check_can_fail():
    assert placeholder_problem("{} of {:,} pixels", "{:,} 个像元中的 {}") == "fields or their order differ"
    assert placeholder_problem("{} of {:,} pixels", "{1:,} 个像元中的 {0}") is None
    assert placeholder_problem("{} of {:,} pixels", "{1} 个像元中的 {0}") == "a format spec changed"
    assert placeholder_problem("{}: {}", "{}") == "fields or their order differ"


def test_help_texts_keep_their_paragraphs(ts):
    # The help panel and qgis_process show paragraphs (blank lines) and formula lines (two spaces).
    for context, source, translation in messages(ts):
        if translation is not None and "\n\n" in source.strip():
            count = len(re.split(r"\n[ \t]*\n", source.strip()))
            assert len(re.split(r"\n[ \t]*\n", translation.strip())) == count, f"[{context}] {source[:60]!r}"


def test_glossary_terms_are_used_consistently(ts):
    terms = glossary_terms(GLOSSARY.read_text(encoding="utf-8"))
    assert len(terms) > 40
    violations = glossary_violations(terms, messages(ts))
    assert not violations, "\n".join(violations[:30])


def test_the_glossary_check_can_fail():
    terms = [("Hurst exponent", "Hurst 指数"), ("High-High", "高–高聚集")]
    msgs = [
        ("A", "Hurst exponent (persistence)", "赫斯特指数（持续性）"),
        ("A", "High–High cluster", "高高集聚"),
        ("A", "Hurst exponent", None),
        ("A", "Hurstexponent", "x"),
    ]
    assert len(glossary_violations(terms, msgs)) == 2

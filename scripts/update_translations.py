#!/usr/bin/env python3
"""Refresh the translation sources and build the catalogues QGIS loads (``make translations``).

    scripts/update_translations.py           extract, update i18n/*.ts (translations kept), build .qm
    scripts/update_translations.py --qm      only build i18n/*.qm from the committed .ts (make qm)

1. Extraction. ``pylupdate5`` (Debian: pyqt5-dev-tools) reads every ``tr(...)``, ``translate(ctx, ...)``
   and ``QT_TRANSLATE_NOOP(ctx, ...)`` of the plugin's Python files. The texts it cannot see are written
   first into ``build/i18n/extracted.py`` as ``translate(context, text)`` calls, read by it too: the
   algorithms' ``DISPLAY_NAME``, ``HELP`` and ``TAGS`` (context: the class, as ``self.tr`` looks them up),
   the toolbox groups, the vocabulary's ``_("…")`` labels and help, the class names and titles of the
   class schemes (context ``Classes``), the report texts given to ``Report``/``Section``/``Column``/
   ``Figure``/``Paragraph`` as literals (context ``Report``) and the shipped models' names and help.
2. ``pylupdate5 -noobsolete`` merges them into each ``i18n/carbonsink_<locale>.ts``: translations of texts
   that still exist are kept, new texts are added as unfinished, texts gone from the code are dropped.
3. ``lrelease`` (Debian: qttools5-dev-tools) compiles each ``.ts`` to the ``.qm`` the plugin loads
   (never committed; ``make package`` puts it in the zip).

Prints, per language, how many texts are still untranslated; test/test_i18n_catalogue.py fails while any
is. Translate them (Qt Linguist, ``linguist i18n/carbonsink_zh_CN.ts``, or by editing the XML: remove
``type="unfinished"``), following i18n/glossary.md, then run ``make translations`` again.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "i18n"
STUB = ROOT / "build" / "i18n" / "extracted.py"
LOCALES = ("zh_CN",)
ATTRIBUTES = ("DISPLAY_NAME", "HELP", "TAGS")
REPORT_CALLS = {"Report": ("title", "lead"), "Section": ("heading",), "Column": ("name",)}
REPORT_CALLS.update({"Figure": ("title",), "Paragraph": (), "Run": ("text",)})
_QUALIFIED = re.compile(r"^(?P<name>[^()]+?) \((?P<detail>[^()]*\d[^()]*)\)$")


def sources() -> list[Path]:
    """The plugin's Python files (what QGIS runs): root, algorithms/ and core/."""
    files = [*ROOT.glob("*.py"), *(ROOT / "algorithms").rglob("*.py"), *(ROOT / "core").rglob("*.py")]
    return sorted(p for p in files if "__pycache__" not in p.parts)


def _text(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _name(func):
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def attribute_texts(tree):
    """(class, text) of the DISPLAY_NAME, HELP and TAGS assigned in the classes of a module."""
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        for stmt in cls.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                target = stmt.targets[0]
                if isinstance(target, ast.Name) and target.id in ATTRIBUTES and _text(stmt.value):
                    yield cls.name, stmt.value.value


def table_texts(tree, names=("MAPS", "STEPS")):
    """Texts of the class-level tables of report parts (the study report's MAPS and STEPS): their titles."""
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        for stmt in cls.body:
            if isinstance(stmt, ast.Assign) and any(getattr(t, "id", "") in names for t in stmt.targets):
                for node in ast.walk(stmt.value):
                    if _text(node) and ":" not in node.value:
                        yield node.value


def marked_texts(tree, marker):
    """Texts given as a literal to ``marker(...)`` (the vocabulary's ``_``)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) == marker and node.args and _text(node.args[0]):
            yield node.args[0].value


def report_texts(tree):
    """Literal texts given to the report document's constructors (first argument or a text keyword)."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _name(node.func) not in REPORT_CALLS:
            continue
        if node.args and _text(node.args[0]):
            yield node.args[0].value
        for kw in node.keywords:
            if kw.arg in REPORT_CALLS[_name(node.func)] and _text(kw.value):
                yield kw.value.value


def group_texts(tree):
    """The toolbox group names: the values of ``GROUPS = {...}``."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "GROUPS" for t in node.targets):
            yield from (v.value for v in node.value.values if _text(v))


def class_texts():
    """Names and titles of the class schemes, and the name part of names made from parameters."""
    sys.path.insert(0, str(ROOT.parent))
    package = ROOT.name
    import importlib

    def mod(name):
        return importlib.import_module(f"{package}.core.{name}")

    classes, stability, moran = mod("common.classes"), mod("stats.stability"), mod("spatial.moran")
    partial, zoning = mod("stats.partial_correlation"), mod("carbon.zoning")
    schemes = [classes.TREND_3, classes.TREND_5, classes.FUTURE_4, classes.FUTURE_8]
    schemes += [classes.trend_scheme(0.1), classes.trend_scheme(0.1, True), stability.cv_scheme()]
    schemes += [moran.LISA_CLUSTERS, moran.QUADRANTS, moran.lisa_scheme(0.05, True), partial.DRIVER_TYPES]
    yield zoning.DEFAULT_ZONE
    yield from (row["zone"] for row in zoning.default_rule_table().rows if row.get("zone"))
    for scheme in schemes:
        for text in [scheme.title_en, *(c.name_en for c in scheme.classes)]:
            match = _QUALIFIED.match(text)
            yield match["name"] if match else text


def model_texts():
    """Names and descriptions of the shipped models (models/*.model3)."""
    for path in sorted((ROOT / "models").glob("*.model3")):
        root = ET.parse(path).getroot()
        for option in root.iter("Option"):
            if option.get("name") in ("DISPLAY_NAME", "ALG_DESC") and option.get("value"):
                yield option.get("value")


def write_stub() -> Path:
    entries = []
    for path in sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        entries += list(attribute_texts(tree))
        entries += [("CarbonSinkAlgorithm", t) for t in group_texts(tree)]
        entries += [("Report", t) for t in [*report_texts(tree), *table_texts(tree)]]
        if path.name == "vocabulary.py":
            entries += [("Vocabulary", t) for t in marked_texts(tree, "_")]
    entries += [("Classes", t) for t in class_texts()]
    entries += [("StudyModel", t) for t in model_texts()]
    seen, lines = set(), ["# Written by scripts/update_translations.py for pylupdate5; never edited."]
    for context, text in entries:
        if (context, text) not in seen and text.strip():
            seen.add((context, text))
            lines.append(f"translate({context!r}, {text!r})")
    STUB.parent.mkdir(parents=True, exist_ok=True)
    STUB.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return STUB


def tool(name, *candidates):
    for c in candidates:
        if os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    found = shutil.which(name)
    if found is None:
        sys.exit(
            f"{name} not found: install it with 'make setup' (Debian: pyqt5-dev-tools, qttools5-dev-tools)"
        )
    return found


def _pylupdate(ts):
    """Run pylupdate5 over the sources and the stub into ``ts`` (merged with it when it exists)."""
    stub = write_stub()
    files = [os.path.relpath(p, ROOT) for p in [*sources(), stub]]
    env = dict(os.environ, LC_ALL="C.UTF-8", PYTHONWARNINGS="ignore")
    command = [tool("pylupdate5"), "-noobsolete", *files, "-ts", str(ts)]
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def extract(ts):
    """Every text of the code, as a fresh .ts file ``ts`` (no translations): what the catalogues must hold."""
    _pylupdate(Path(ts).resolve())


def update_ts():
    for locale in LOCALES:
        ts = I18N / f"carbonsink_{locale}.ts"
        _pylupdate(ts)
        _set_language(ts, locale)


def _set_language(ts, locale):
    text = ts.read_text(encoding="utf-8")
    text = re.sub(
        r"<TS version=\"([^\"]+)\"[^>]*>",
        rf'<TS version="\1" language="{locale}" sourcelanguage="en">',
        text,
        count=1,
    )
    ts.write_text(text, encoding="utf-8")


def build_qm():
    lrelease = tool("lrelease", "/usr/lib/qt5/bin/lrelease", "/usr/lib/x86_64-linux-gnu/qt5/bin/lrelease")
    for locale in LOCALES:
        ts = I18N / f"carbonsink_{locale}.ts"
        subprocess.run([lrelease, "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)


def untranslated(ts: Path) -> list[tuple[str, str]]:
    """(context, text) of every message of ``ts`` without a finished translation."""
    out = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") in ("unfinished", "obsolete", "vanished"):
                if translation is None or translation.get("type") == "unfinished":
                    out.append((name, message.findtext("source")))
            elif not (translation.text or "").strip():
                out.append((name, message.findtext("source")))
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--qm", action="store_true", help="only build the .qm from the committed .ts")
    args = parser.parse_args(argv)
    if not args.qm:
        update_ts()
    build_qm()
    for locale in LOCALES:
        ts = I18N / f"carbonsink_{locale}.ts"
        missing = untranslated(ts)
        total = sum(1 for _ in ET.parse(ts).getroot().iter("message"))
        print(f"{ts.relative_to(ROOT)}: {total} texts, {len(missing)} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())

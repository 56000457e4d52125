"""Strings are translatable: ``self.tr("… {} …").format(x)``, never ``self.tr(f"…")``.

An f-string is formatted before ``tr`` sees it, so the text looked up in the translation catalogue
changes with every value and is never found; Qt's lupdate cannot extract it either.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLUGIN_FILES = sorted(
    [*ROOT.glob("*.py"), *(ROOT / "algorithms").rglob("*.py"), *(ROOT / "core").rglob("*.py")]
)
TRANSLATE = {"tr", "translate", "QT_TRANSLATE_NOOP"}


def _name(func):
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def formatted_tr_calls(source, filename="<string>"):
    """``file:line`` of every ``tr(...)`` call whose text is, or contains, an f-string."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Call) and _name(node.func) in TRANSLATE:
            for arg in node.args:
                if any(isinstance(part, ast.JoinedStr) for part in ast.walk(arg)):
                    found.append(f"{filename}:{node.lineno}")
                    break
    return found


def test_the_check_finds_f_strings_in_tr():
    bad = 'self.tr(f"{n} pixels")\nalg.tr("a " f"{b}")\nself.tr("x " + f"{y}")\n'
    good = 'self.tr("{} pixels").format(n)\nfeedback.pushInfo(f"  {x}")\n'
    assert len(formatted_tr_calls(bad)) == 3
    assert formatted_tr_calls(good) == []


def test_no_f_string_is_passed_to_tr():
    offenders = []
    for path in PLUGIN_FILES:
        offenders += formatted_tr_calls(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert offenders == [], f"{len(offenders)} tr(f'…') calls: use tr('… {{}} …').format(…)"

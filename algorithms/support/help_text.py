"""Help texts that read the same in ``qgis_process help``, in the dialog's help panel and in docs/.

An algorithm's ``HELP`` is plain text: paragraphs separated by a blank line, source lines of a paragraph
joined by a space, except a line starting with "- " (a list item) or indented by two spaces (a formula),
which stays a line of its own. A paragraph of one short line without a final full stop is a heading.
``qgis_process help`` prints the text as it is; the help panel makes every line a paragraph of HTML
(QgsProcessingAlgorithmDialogBase::formatHelp), so the text never holds "<" (it would open a tag) nor an
HTML entity. ``test/algorithms/test_help_text.py`` renders every help as the panel does and compares.
"""

import re
import textwrap

_HEADING_MAX = 48


def paragraphs(text):
    """The paragraphs of a help text, each a list of lines (see the module docstring)."""
    out = []
    for block in re.split(r"\n[ \t]*\n", textwrap.dedent(text).strip("\n")):
        lines = []
        for raw in block.split("\n"):
            if not raw.strip():
                continue
            if lines and not (raw.startswith("- ") or raw.startswith("  ")):
                lines[-1] += " " + raw.strip()
            else:
                lines.append(raw.strip())
        if lines:
            out.append(lines)
    return out


def is_heading(lines):
    """Whether a paragraph (list of lines) is a heading."""
    text = lines[0]
    return len(lines) == 1 and len(text) <= _HEADING_MAX and not text.endswith((".", ":", ")"))


def plain(text):
    """The help as ``shortHelpString`` returns it: lines of a paragraph joined by newlines, a blank line
    between paragraphs (the help panel drops the empty paragraph)."""
    return "\n\n".join("\n".join(lines) for lines in paragraphs(text))

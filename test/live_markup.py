"""Hostile text for the report tests, and a check that a page holds no live markup (html.parser)."""

import re
from html.parser import HTMLParser

_RELATIVE_FILE = re.compile(r"^(?![/\\])[^:]+\.(html|csv)$")

HOSTILE = (
    "<scr<script></script>ipt>alert(1)</scr<script></script>ipt>",
    '<a/href="javascript:alert(2)">link</a>',
    "</script><script>alert(3)</script>",
    '"><img src=x onerror=alert(4)>',
    "javascript:alert(5)",
    "' onmouseover='alert(6)",
    "]]></svg><svg onload=alert(7)>",
    "</style><style>@import url(https://evil.example/x.css);</style>",
)
# The only attribute values a report may hold besides plain words and numbers.
_URL_ATTRIBUTES = (
    "href",
    "src",
    "xlink:href",
    "action",
    "formaction",
    "srcset",
    "data",
    "poster",
    "background",
)


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems, self.text, self.tags = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag in ("script", "iframe", "object", "embed", "base", "link", "form", "foreignobject"):
            self.problems.append(f"<{tag}> element")
        if tag == "style" and self.tags.count("style") > 1:
            self.problems.append("a second <style> element")
        for name, value in attrs:
            value = "".join((value or "").split()).lower()
            if name.startswith("on"):
                self.problems.append(f"{name}= attribute on <{tag}>")
            # a URL attribute is an in-page anchor, an embedded PNG or (an <a> only) a relative link to a
            # report or table beside the page (no scheme, no absolute path); never javascript: (a text may say it)
            relative_file = tag == "a" and name == "href" and _RELATIVE_FILE.match(value)
            if name in _URL_ATTRIBUTES and not (
                value.startswith("#") or value.startswith("data:image/png;base64,") or relative_file
            ):
                self.problems.append(f"{name}={value[:60]!r} on <{tag}>")
            if name == "style" and ("url(" in value or "expression(" in value or "@import" in value):
                self.problems.append(f"style={value!r} on <{tag}>")

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def scan(page):
    """(problems, visible text) of an HTML page."""
    parser = _Scan()
    parser.feed(page)
    parser.close()
    return parser.problems, "".join(parser.text)


def assert_no_live_markup(page, shown=HOSTILE):
    """No script, no on* attribute, no javascript: or external URL; every hostile text shown as text."""
    problems, text = scan(page)
    assert not problems, problems[:10]
    for hostile in shown:
        assert hostile in text, f"{hostile!r} is not shown as text"


def assert_written_from_one_document(html_path, algorithm):
    """The HTML report and the JSON beside it are one document: the data render the very page."""
    from core.reports import store
    from core.reports.render import render_html

    with open(html_path, encoding="utf-8") as fh:
        page = fh.read()
    data = store.read_report(html_path)
    assert data.algorithm == algorithm
    assert render_html(data) == page
    assert_no_live_markup(page, shown=())
    return data

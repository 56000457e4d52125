"""Write the algorithms' reference and the README's vocabulary table from the algorithms themselves.

- docs/algorithms.html: what every algorithm's "Help" button opens (its helpUrl() is this file with the
  algorithm's id as anchor, a file URL that works offline and before the repository is public);
- docs/algorithms.md: the same reference for readers of the repository;
- README.md, between the vocabulary markers: the parameter vocabulary (algorithms/support/vocabulary.py)
  with the algorithms that use each name.

Each algorithm's section holds its help text (the same text ``qgis_process help`` prints), its tags and
every parameter and output with label, type, default and help. Run with QGIS's Python:
``QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/build_docs.py`` (``--check``: write nothing, exit 1
when a file is out of date; ``test/algorithms/test_docs.py`` does the same check).
"""

import html
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = os.path.join(ROOT, "docs")
README = os.path.join(ROOT, "README.md")
VOCABULARY_START = "<!-- vocabulary table: written by scripts/build_docs.py -->"
VOCABULARY_END = "<!-- end of vocabulary table -->"

KINDS = {
    "raster": "raster layer",
    "multilayer": "raster layers (stack)",
    "source": "vector layer or table",
    "vector": "vector layer",
    "field": "field",
    "number": "number",
    "string": "text",
    "enum": "choice",
    "boolean": "yes/no",
    "file": "file",
    "matrix": "table",
    "crs": "CRS",
    "extent": "extent",
    "band": "band",
    "rasterDestination": "raster output (GeoTIFF)",
    "sink": "table or vector output",
    "fileDestination": "file output",
    "folderDestination": "folder output",
    "vectorDestination": "vector output",
    "outputNumber": "number (result)",
    "outputString": "text (result)",
    "outputRaster": "raster (result)",
    "outputVector": "vector layer (result)",
    "outputFile": "file (result)",
    "outputHtml": "HTML file (result)",
    "outputFolder": "folder (result)",
}


# ---------------------------------------------------------------------------------------------- data
def algorithms():
    """The provider's algorithms (and the whole-study model) in toolbox order of the groups, and in the
    workflow order of provider.py within a group."""
    from carbon_sink_diagnostics.provider import CarbonSinkProvider
    from qgis.core import QgsApplication

    class Order(CarbonSinkProvider):
        def addAlgorithm(self, alg):  # noqa: N802 - records the order of loadAlgorithms
            self.names.append(alg.name())
            return True

    order = Order(load_models=False)
    order.names = []
    order.loadAlgorithms()
    provider = QgsApplication.processingRegistry().providerById("carbonsink")
    rank = {name: i for i, name in enumerate(order.names)}
    return sorted(provider.algorithms(), key=lambda a: (a.group(), rank.get(a.name(), len(rank)), a.name()))


def _default(d):
    from qgis.core import QgsProcessing, QgsProcessingParameterDefinition

    value = d.defaultValue()
    flags = d.flags()
    if d.isDestination():
        return "required" if value == QgsProcessing.TEMPORARY_OUTPUT else "optional"
    if d.type() == "enum" and value is not None:
        options = d.options()
        index = int(value)
        return f"{index}: {options[index]}" if 0 <= index < len(options) else str(value)
    if d.type() == "matrix":
        return "the table in the help" if value else ""
    if d.type() == "boolean":
        return "yes" if value else "no"
    if value in (None, "") or (isinstance(value, list) and not value):
        return "optional" if flags & QgsProcessingParameterDefinition.FlagOptional else "required"
    return str(value)


def entry(alg):
    """What the reference says about one algorithm, as plain data."""
    from carbon_sink_diagnostics.algorithms.support import help_text
    from qgis.core import QgsProcessingParameterDefinition

    params = []
    for d in alg.parameterDefinitions():
        if d.flags() & QgsProcessingParameterDefinition.FlagHidden:
            continue
        params.append(
            {
                "name": d.name(),
                "label": d.description(),
                "kind": KINDS.get(d.type(), d.type()),
                "default": _default(d),
                "advanced": bool(d.flags() & QgsProcessingParameterDefinition.FlagAdvanced),
                "help": d.help(),
            }
        )
    names = {p["name"] for p in params}
    outputs = [
        {"name": o.name(), "label": o.description(), "kind": KINDS.get(o.type(), o.type())}
        for o in alg.outputDefinitions()
        if o.name() not in names
    ]
    text = alg.shortHelpString() or (
        alg.helpContent().get("ALG_DESC", "") if hasattr(alg, "helpContent") else ""
    )
    return {
        "id": alg.id(),
        "name": alg.name(),
        "title": alg.displayName(),
        "group": alg.group(),
        "tags": [t for t in alg.tags() if t],
        "help": help_text.paragraphs(text),
        "heading": help_text.is_heading,
        "params": params,
        "outputs": outputs,
    }


# ------------------------------------------------------------------------------------------ markdown
def _md_cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(entries):
    out = [
        "# Carbon Sink Diagnostics: the algorithms",
        "",
        "Written by `scripts/build_docs.py` from the algorithms themselves (do not edit by hand); the same "
        "page as HTML is `docs/algorithms.html`, which each algorithm's Help button opens. The method, "
        "with its formulas and references, is in [method.md](method.md). Parameter names follow the "
        "vocabulary in the README.",
        "",
    ]
    group = None
    for e in entries:
        if e["group"] != group:
            group = e["group"]
            out += [f"## {group}", ""]
        out += [f'<a id="{e["name"]}"></a>', "", f"### {e['title']} (`{e['id']}`)", ""]
        for lines in e["help"]:
            if e["heading"](lines):
                out += [f"**{lines[0]}**", ""]
            elif all(line.startswith("- ") for line in lines):
                out += [*lines, ""]
            elif len(lines) > 1:
                out += ["```text", *lines, "```", ""]
            else:
                out += [lines[0], ""]
        if e["tags"]:
            out += [f"Search words: {', '.join(e['tags'])}.", ""]
        if e["params"]:
            out += ["| parameter | label | type | default | help |", "| --- | --- | --- | --- | --- |"]
            for p in e["params"]:
                name = f"`{p['name']}`" + (" (advanced)" if p["advanced"] else "")
                cells = (name, p["label"], p["kind"], p["default"], p["help"])
                out.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
            out.append("")
        if e["outputs"]:
            out += ["| result | label | type |", "| --- | --- | --- |"]
            for o in e["outputs"]:
                out.append(f"| `{o['name']}` | {_md_cell(o['label'])} | {o['kind']} |")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------------------------------------- html
_CSS = (
    "body{font-family:sans-serif;max-width:60em;margin:1em auto;padding:0 1em;line-height:1.4}"
    "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #bbb;padding:.2em .4em;"
    "vertical-align:top;text-align:left}th{background:#eee}code{font-size:95%}pre{background:#f6f6f6;"
    "padding:.4em}section{border-top:1px solid #ccc;margin-top:1.5em}"
)


def render_html(entries):
    e_ = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>Carbon Sink Diagnostics: the algorithms</title>',
        f"<style>{_CSS}</style></head><body>",
        "<h1>Carbon Sink Diagnostics: the algorithms</h1>",
        "<p>The reference of every algorithm of the plugin: what it computes, its parameters with their "
        'defaults, and its outputs. The method, with formulas and references: <a href="method.md">method.md'
        "</a> in this folder. Written by scripts/build_docs.py from the algorithms themselves.</p>",
        "<ul>",
    ]
    for e in entries:
        out.append(f'<li><a href="#{e_(e["name"])}">{e_(e["title"])}</a> ({e_(e["group"])})</li>')
    out.append("</ul>")
    for e in entries:
        out += [f'<section id="{e_(e["name"])}">', f"<h2>{e_(e['title'])} <code>{e_(e['id'])}</code></h2>"]
        out.append(f"<p><i>{e_(e['group'])}</i></p>")
        for lines in e["help"]:
            if e["heading"](lines):
                out.append(f"<h3>{e_(lines[0])}</h3>")
            elif all(line.startswith("- ") for line in lines):
                out.append("<ul>" + "".join(f"<li>{e_(line[2:])}</li>" for line in lines) + "</ul>")
            elif len(lines) > 1:
                out.append("<pre>" + e_("\n".join(lines)) + "</pre>")
            else:
                out.append(f"<p>{e_(lines[0])}</p>")
        if e["tags"]:
            out.append(f"<p>Search words: {e_(', '.join(e['tags']))}.</p>")
        if e["params"]:
            out.append("<h3>Parameters</h3><table><tr><th>parameter</th><th>label</th><th>type</th>")
            out.append("<th>default</th><th>help</th></tr>")
            for p in e["params"]:
                adv = " (advanced)" if p["advanced"] else ""
                cells = (e_(p["label"]), e_(p["kind"]), e_(p["default"]), e_(p["help"]))
                out.append(
                    f"<tr><td><code>{e_(p['name'])}</code>{adv}</td><td>"
                    + "</td><td>".join(cells)
                    + "</td></tr>"
                )
            out.append("</table>")
        if e["outputs"]:
            out.append("<h3>Results</h3><table><tr><th>result</th><th>label</th><th>type</th></tr>")
            for o in e["outputs"]:
                out.append(
                    f"<tr><td><code>{e_(o['name'])}</code></td><td>{e_(o['label'])}</td><td>{e_(o['kind'])}</td></tr>"
                )
            out.append("</table>")
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------- vocabulary
def vocabulary_table(entries):
    """The README's vocabulary table: every term with the algorithms that use it ("out" for outputs)."""
    from carbon_sink_diagnostics.algorithms.support import vocabulary

    used = {}
    for e in entries:
        for p in e["params"]:
            out = " (out)" if p["kind"].endswith("output") or "output (" in p["kind"] else ""
            used.setdefault(p["name"], []).append(e["name"] + out)
        for o in e["outputs"]:
            used.setdefault(o["name"], []).append(e["name"] + " (out)")
    rows = ["| concept | name | label | used by |", "| --- | --- | --- | --- |"]
    for term in vocabulary.TERMS.values():
        users = ", ".join(dict.fromkeys(used.get(term.name, []))) or "–"
        rows.append(f"| {term.concept} | `{term.name}` | {_md_cell(term.label)} | {users} |")
    return "\n".join(rows)


def readme_with_table(text, table):
    start, end = text.index(VOCABULARY_START), text.index(VOCABULARY_END)
    return text[: start + len(VOCABULARY_START)] + "\n" + table + "\n" + text[end:]


# ---------------------------------------------------------------------------------------------- main
def documents():
    """{path: text} of every document this script writes, from the registered provider."""
    entries = [entry(a) for a in algorithms()]
    with open(README, encoding="utf-8") as f:
        readme = f.read()
    return {
        os.path.join(DOCS, "algorithms.md"): render_markdown(entries),
        os.path.join(DOCS, "algorithms.html"): render_html(entries),
        README: readme_with_table(readme, vocabulary_table(entries)),
    }


def main():
    check = "--check" in sys.argv[1:]
    sys.path.insert(0, os.path.join(ROOT, "build", "plugins"))
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    sys.path.insert(0, "/usr/share/qgis/python/plugins")
    from processing.core.Processing import Processing

    Processing.initialize()
    from carbon_sink_diagnostics.provider import CarbonSinkProvider

    provider = CarbonSinkProvider()  # kept referenced: its algorithms are Python objects
    QgsApplication.processingRegistry().addProvider(provider)
    stale = []
    for path, text in documents().items():
        current = ""
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                current = f.read()
        if current != text:
            stale.append(os.path.relpath(path, ROOT))
            if not check:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
    if check and stale:
        raise SystemExit("out of date: " + ", ".join(stale) + " (run scripts/build_docs.py)")
    print(("wrote " if stale else "up to date: ") + ", ".join(stale or ["docs/algorithms.*, README.md"]))


if __name__ == "__main__":
    main()

"""One vocabulary: the same concept has the same parameter name, label and kind in every algorithm and in
the whole-study model (algorithms/support/vocabulary.py; README, "Parameter vocabulary").

The checks run over plain rows (algorithm, name, QGIS type, label), so each rule is first shown to catch a
made-up violation, then applied to every parameter and output of the provider.
"""

import pytest

# QGIS parameter and output types by the kind of thing they hold (inputs and outputs alike)
CATEGORIES = {
    "raster": {"raster", "multilayer", "rasterDestination", "outputRaster"},
    "vector": {"source", "vector", "sink", "vectorDestination", "outputVector"},
    "field": {"field"},
    "number": {"number", "outputNumber"},
    "string": {"string", "outputString"},
    "file": {"file", "fileDestination", "outputFile", "outputHtml"},
    "enum": {"enum"},
    "boolean": {"boolean"},
    "matrix": {"matrix"},
    "crs": {"crs"},
    "extent": {"extent"},
    "band": {"band"},
    "folder": {"folderDestination", "outputFolder"},
}


def category(qgis_type):
    return next((c for c, types in CATEGORIES.items() if qgis_type in types), qgis_type)


def problems(rows, terms, old_names):
    """Every breach of the vocabulary's rules in ``rows`` of (algorithm, name, QGIS type, label)."""
    found = []
    by_name = {}
    for alg, name, qgis_type, label in rows:
        kind = category(qgis_type)
        by_name.setdefault(name, []).append((alg, kind, label))
        if name in old_names:
            found.append(f"{alg}: {name} is a retired name; use {old_names[name]}")
        if (kind == "field") != name.endswith("_FIELD"):
            found.append(f"{alg}: {name} ({qgis_type}): a field parameter's name ends in _FIELD, no other's")
        if name in terms and (label, kind) != (terms[name].label, terms[name].kind):
            found.append(f"{alg}: {name} is '{label}' ({kind}); the vocabulary says '{terms[name].label}'")
        for suffix in ("_NODATA", "_YEARS"):
            stack = name[: -len(suffix)]
            if name.endswith(suffix) and stack in terms and suffix == "_NODATA":
                expected = "Nodata value of '{}'".format(terms[stack].label.split(" (")[0])
                if label != expected:
                    found.append(f"{alg}: {name} is '{label}', not '{expected}'")
            if (
                name.endswith(suffix)
                and stack in terms
                and suffix == "_YEARS"
                and label != terms["YEARS"].label
            ):
                found.append(f"{alg}: {name} is '{label}', not '{terms['YEARS'].label}'")
    for name, uses in by_name.items():
        if len({alg for alg, _, _ in uses}) < 2:
            continue
        if len({(kind, label) for _, kind, label in uses}) > 1:
            found.append(f"{name} means different things: {sorted(set(uses))}")
        derived = name.endswith(("_NODATA", "_YEARS"))
        if name not in terms and not derived:
            found.append(f"{name} is used by {sorted({a for a, _, _ in uses})} but is not in the vocabulary")
    return found


def provider_rows():
    """(algorithm, name, type, label) of every parameter and output of the provider and of its models."""
    from qgis.core import QgsApplication

    rows = []
    for alg in QgsApplication.processingRegistry().providerById("carbonsink").algorithms():
        names = set()
        for d in alg.parameterDefinitions():
            if ":" in d.name():  # a model's outputs are named <step>:<output of that step>
                continue
            names.add(d.name())
            rows.append((alg.name(), d.name(), d.type(), d.description()))
        for o in alg.outputDefinitions():
            if o.name() not in names and ":" not in o.name():
                rows.append((alg.name(), o.name(), o.type(), o.description()))
    return rows


@pytest.fixture(scope="module")
def vocabulary(qgis_app):
    from carbon_sink_diagnostics.algorithms.support import vocabulary

    return vocabulary


def test_the_check_catches_every_kind_of_breach(vocabulary):
    terms, old = vocabulary.TERMS, vocabulary.OLD_NAMES
    assert problems([("a", "ALPHA", "number", "Significance level α")], terms, old) == []
    bad = [
        ("a", "CLUSTER", "rasterDestination", "LISA cluster"),  # a retired name
        ("a", "PLOT_ID", "field", "Plot id field"),  # a field without _FIELD (and retired)
        ("b", "REGIONS_FIELD", "source", "Regions"),  # _FIELD on a layer
        ("c", "CARBON_DENSITY", "multilayer", "Carbon stack"),  # the term's label not used
        ("d", "SLOPE", "number", "Sen slope (units per year)"),  # the term's kind not used
        ("e", "TEMPERATURE_NODATA", "number", "Nodata of temperature"),
        ("e", "TEMPERATURE_YEARS", "string", "Years of temperature"),
        ("f", "THING", "number", "A thing"),
        ("g", "THING", "number", "Another thing"),  # shared by two algorithms: one meaning, a term
    ]
    found = "\n".join(problems(bad, terms, old))
    for expected in (
        "a: CLUSTER is a retired name; use LISA_CLUSTER",
        "a: PLOT_ID (field): a field parameter's name ends in _FIELD",
        "b: REGIONS_FIELD (source)",
        "c: CARBON_DENSITY is 'Carbon stack'",
        "d: SLOPE is 'Sen slope (units per year)' (number)",
        "e: TEMPERATURE_NODATA is 'Nodata of temperature', not 'Nodata value of 'Temperature stack''",
        "e: TEMPERATURE_YEARS is 'Years of temperature'",
        "THING means different things",
        "THING is used by ['f', 'g'] but is not in the vocabulary",
    ):
        assert expected in found, found


def test_every_algorithm_and_the_model_use_the_vocabulary(vocabulary):
    rows = provider_rows()
    algorithms = {alg for alg, *_ in rows}
    assert {"senmannkendall", "traincarbonmodel", "preparestack", "wholestudy"} <= algorithms
    assert problems(rows, vocabulary.TERMS, vocabulary.OLD_NAMES) == []


@pytest.mark.parametrize(
    "concept, name, users",
    [
        # the concepts the issue found under several names, now one name in every algorithm
        ("carbon density stack", "CARBON_DENSITY", {"carbonstorage", "climatepartialcorrelation",
                                                     "landusecontribution", "studyreport",
                                                     "predictcarbondensity"}),
        ("trend class", "TREND_CLASS", {"senmannkendall", "diagnosticzoning", "studyreport"}),
        ("LISA cluster", "LISA_CLUSTER", {"localmoran", "diagnosticzoning", "studyreport"}),
        ("driver type", "DRIVER_CLASS", {"climatepartialcorrelation", "diagnosticzoning", "studyreport"}),
        ("survey plots", "PLOTS", {"plotcarbondensity", "augmentsamples", "wholestudy", "createdemoregion",
                                   "wholestudyfromdownloads"}),
        ("sample points", "SAMPLES", {"augmentsamples", "factorscreening", "traincarbonmodel", "studyreport"}),
        ("carbon density field", "CARBON_FIELD", {"augmentsamples", "factorscreening", "traincarbonmodel"}),
        ("ecosystem type raster", "ECOSYSTEM", {"augmentsamples", "wholestudy", "createdemoregion"}),
        ("ecosystem type field", "ECOSYSTEM_FIELD", {"plotcarbondensity", "wholestudy"}),
        ("k nearest neighbours", "K_NEIGHBOURS", {"globalmoran", "localmoran"}),
        ("aggregation block", "AGGREGATE", {"globalmoran", "localmoran"}),
    ],
)  # fmt: skip
def test_the_concepts_of_the_issue_have_one_name(vocabulary, concept, name, users):
    rows = provider_rows()
    assert {alg for alg, n, *_ in rows if n == name} == users, concept
    labels = {label for _, n, _, label in rows if n == name}
    assert labels == {vocabulary.TERMS[name].label}


def test_units_are_spelled_one_way(vocabulary):
    """Carbon density in t C/hm², storage in t C, rates per year /a: never 't/hm²' for carbon."""
    texts = [label for *_, label in provider_rows()]
    texts += [t.label + " " + t.help for t in vocabulary.TERMS.values()]
    bad = [t for t in texts if "t/hm" in t or "t/a" in t.replace("t C/a", "") or "a band per year" in t]
    assert bad == []

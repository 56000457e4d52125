"""The whole-study model as the toolbox dialog and the graphical modeler show it (issue 14): outputs named for
what they are, the trained model file a kept output, inputs in workflow order with the algorithms' own
defaults, the survey fields as inputs, only the main outputs created by default, a layout with nothing cut off."""

import pytest


@pytest.fixture(scope="module")
def model(qgis_app):
    from qgis.core import QgsApplication

    return QgsApplication.processingRegistry().createAlgorithmById("carbonsink:wholestudy")


def _child_default(model, child_id, name):
    from qgis.core import QgsApplication

    alg_id = model.childAlgorithm(child_id).algorithmId()
    return QgsApplication.processingRegistry().algorithmById(alg_id).parameterDefinition(name).defaultValue()


def test_inputs_take_the_defaults_of_the_steps_they_feed(model):
    for name, child in (
        ("MAX_CORRELATION", "screen"),
        ("N_POINTS", "augment"),
        ("SEED", "augment"),
        ("ALPHA", "trend"),
        ("HURST_METHOD", "hurst"),
        ("INFERENCE", "lisa"),
        ("PERMUTATIONS", "lisa"),
    ):
        assert model.parameterDefinition(name).defaultValue() == _child_default(model, child, name), name
    assert model.parameterDefinition("MAX_CORRELATION").defaultValue() == 0.8


def test_the_survey_fields_are_inputs_with_the_demo_tables_names(model):
    fields = {d.name(): d for d in model.parameterDefinitions() if d.name().endswith("_FIELD")}
    assert len(fields) == 24
    assert fields["PLOT_ID_FIELD"].defaultValue() == "plot_id"
    assert fields["TREE_DBH_FIELD"].parentLayerParameterName() == "TREES"
    assert fields["SOC_1_FIELD"].parentLayerParameterName() == "PLOTS"
    sources = model.childAlgorithm("plots").parameterSources()
    assert sources["TREE_DBH_FIELD"][0].parameterName() == "TREE_DBH_FIELD"


def test_inputs_are_listed_in_workflow_order(model):
    from qgis.core import QgsProcessingParameterDefinition

    names = [
        d.name()
        for d in model.parameterDefinitions()
        if not d.isDestination() and not d.flags() & QgsProcessingParameterDefinition.FlagAdvanced
    ]
    assert names[0] == "PLOTS"
    order = [
        "PLOTS",
        "NPP_SURVEY",
        "FACTORS",
        "YEARLY_FACTORS",
        "TEMPERATURE",
        "LANDUSE_START",
        "LANDUSE_END",
    ]
    assert [n for n in names if n in order] == order


def test_every_output_has_its_own_readable_name_and_only_the_main_ones_are_created(model):
    outputs = [d for d in model.parameterDefinitions() if d.isDestination()]
    names = [d.name().split(":", 1)[1] for d in outputs]
    assert len(set(names)) == len(names)
    for d in outputs:
        label = d.description()
        assert label == d.name().split(":", 1)[1] and label not in (
            "OUTPUT",
            "TABLE",
            "REPORT",
            "CLASS_AREAS",
        )
        assert " " in label or label.startswith("LISA"), label
    created = {d.name() for d in outputs if d.createByDefault()}
    assert "report:Study report" in created and "zoning:Diagnostic zones" in created
    assert "storage:Carbon storage" in created
    assert "trend:Trend class areas" not in created and "storage:Carbon storage per year" not in created


def test_the_trained_model_file_is_a_named_output(model):
    d = model.parameterDefinition("forest:Carbon density model file")
    assert d is not None and d.isDestination() and not d.flags() & d.FlagOptional


def test_global_morans_i_is_a_step_and_feeds_the_report(model):
    assert model.childAlgorithm("moran").algorithmId() == "carbonsink:globalmoran"
    sources = model.childAlgorithm("report").parameterSources()
    assert sources["GLOBAL_MORAN"][0].outputChildId() == "moran"


def test_no_box_is_cut_off_at_the_left_or_top_edge_of_the_canvas(model):
    positions = [model.parameterComponent(d.name()).position() for d in model.parameterDefinitions()
                 if not d.isDestination()]  # fmt: skip
    for child in model.childAlgorithms().values():
        positions.append(child.position())
        positions += [o.position() for o in child.modelOutputs().values()]
    assert min(p.x() for p in positions) >= 110  # a box is about 200 px wide, centred on its position
    assert min(p.y() for p in positions) >= 20

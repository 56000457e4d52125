"""algorithms/compat.py: the same fields and legend fonts on QGIS 3.22 and 3.40, with no deprecated API,
and the test configuration that fails a run on a deprecation warning from the plugin's code."""

import warnings

import pytest


@pytest.fixture
def compat(qgis_app):
    from carbon_sink_diagnostics.algorithms.support import compat

    return compat


def test_field_types_make_fields_of_that_type_without_deprecation(compat):
    from qgis.core import QgsField

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fields = {
            kind: QgsField(f"f_{kind}", getattr(compat.FieldType, kind))
            for kind in ("String", "Double", "Int", "LongLong", "Bool")
        }
        for kind, field in fields.items():
            assert field.type() == getattr(compat.FieldType, kind), kind
        assert fields["Double"].isNumeric() and fields["Int"].isNumeric() and fields["LongLong"].isNumeric()
        assert not fields["String"].isNumeric()


def test_the_old_field_constructor_is_what_qgis_deprecates(compat):
    """The reason for FieldType: QgsField(name, QVariant.X) warns on QGIS >= 3.38 (and not on 3.22)."""
    from qgis.core import QgsField
    from qgis.PyQt.QtCore import QVariant

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        QgsField("old", QVariant.String)
    deprecated = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    assert bool(deprecated) == compat.METATYPE_FIELDS


def test_legend_font_sets_family_weight_and_size(compat, tmp_path):
    from qgis.core import QgsLayoutItemLegend, QgsLegendStyle, QgsPrintLayout, QgsProject
    from qgis.PyQt.QtGui import QFont

    layout = QgsPrintLayout(QgsProject.instance())
    layout.initializeDefaults()
    legend = QgsLayoutItemLegend(layout)
    layout.addLayoutItem(legend)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        font = QFont(compat.legend_font(legend, QgsLegendStyle.Title))
        font.setBold(True)
        compat.set_legend_font(legend, QgsLegendStyle.Title, font, 11)
        got = compat.legend_font(legend, QgsLegendStyle.Title)
    assert got.bold()
    if compat.TEXT_FORMAT_LEGEND:
        assert legend.style(QgsLegendStyle.Title).textFormat().size() == pytest.approx(11)
    else:
        assert got.pointSizeF() == pytest.approx(11)


@pytest.mark.parametrize(
    "module",
    ["carbon_sink_diagnostics.algorithms.vector_io", "carbon_sink_diagnostics.plugin", "core.carbon.forest"],
)
def test_a_deprecation_warning_from_the_plugins_code_fails_the_test(module):
    """pyproject.toml's filterwarnings: raised from a plugin module, a deprecation is an error."""
    for category in (DeprecationWarning, PendingDeprecationWarning, FutureWarning):
        with pytest.raises(category):
            warnings.warn_explicit("deprecated call", category, "x.py", 1, module=module)


def test_a_deprecation_warning_from_elsewhere_does_not(recwarn):
    warnings.warn_explicit("deprecated call", DeprecationWarning, "x.py", 1, module="esda.moran")
    warnings.warn_explicit("deprecated call", DeprecationWarning, "x.py", 2, module="coredata")
    assert len(recwarn) == 2

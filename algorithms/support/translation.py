"""The plugin's translations: Qt catalogues ``i18n/carbonsink_<locale>.qm`` for QGIS's interface language.

:func:`install` (called by the plugin before it creates the provider) loads the catalogue of the QGIS
interface language into a ``QTranslator`` on the application, as QGIS plugins do; every ``tr(...)`` of
the algorithms then reads it, and so does the core (:mod:`core.common.i18n`), whose lookup is
``QCoreApplication.translate``. English, the language of the sources, needs no catalogue and stays the
default. :func:`report_lookup` serves the study report's LANGUAGE parameter, which may differ from the
interface language. ``make translations`` refreshes the ``.ts`` sources and builds the ``.qm``
(scripts/update_translations.py); the terms follow i18n/glossary.md.
"""

import os

from qgis.core import QgsProcessingParameterEnum, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

from ...core.common import i18n

I18N_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "i18n")
# The languages of the interface and of the reports, with their names as their readers write them.
LANGUAGES = (("en", "English"), ("zh_CN", "简体中文"))
_CHINESE_SIMPLIFIED = ("zh", "zh_CN", "zh_SG", "zh_Hans", "zh_Hans_CN")
_translators = {}

# The core's texts follow the translators installed on the application (none: English).
i18n.install(QCoreApplication.translate)


def interface_locale():
    """The locale of the QGIS interface, as QGIS chooses it at start-up.

    With ``locale/overrideFlag`` set (Settings ▸ Options ▸ General ▸ Override system locale), QGIS uses
    ``locale/userLocale``; otherwise the system's locale (which QGIS desktop also writes into
    ``locale/userLocale``).
    """
    settings = QgsSettings()
    if settings.value("locale/overrideFlag", False, type=bool):
        return settings.value("locale/userLocale", "", type=str) or "en_US"
    return QLocale.system().name()


def catalogue_language(locale):
    """The language of the plugin's catalogues that serves ``locale`` ("zh_CN"), or "en" (no catalogue)."""
    locale = (locale or "").replace("-", "_")
    if locale in _CHINESE_SIMPLIFIED or locale.startswith("zh_Hans"):
        return "zh_CN"
    if os.path.isfile(os.path.join(I18N_DIR, f"carbonsink_{locale}.qm")):
        return locale
    return "en"


def translator(language):
    """The ``QTranslator`` of ``language`` ("zh_CN"), loaded once; None for English or a missing file."""
    if language == "en":
        return None
    if language not in _translators:
        path = os.path.join(I18N_DIR, f"carbonsink_{language}.qm")
        loaded = QTranslator()
        _translators[language] = loaded if os.path.isfile(path) and loaded.load(path) else None
    return _translators[language]


def install(locale=None):
    """Install the catalogue of ``locale`` (default: :func:`interface_locale`) on the application.

    Returns the installed translator (to pass to :func:`uninstall`), or None when the interface is in
    English or the catalogue was not built (``make translations``).
    """
    found = translator(catalogue_language(locale or interface_locale()))
    if found is not None:
        QCoreApplication.installTranslator(found)
    return found


def uninstall(installed):
    """Remove a translator :func:`install` returned (the plugin's unload)."""
    if installed is not None:
        QCoreApplication.removeTranslator(installed)


def report_lookup(language):
    """A lookup of :mod:`core.common.i18n` for ``language``, independent of the interface language."""
    found = translator(language)
    if found is None:
        return lambda context, text: text
    # QTranslator.translate takes C strings: PyQt converts str to them as ASCII, so pass UTF-8 bytes.
    return lambda context, text: found.translate(context.encode(), text.encode()) or text


def language_parameter(name, label, help_text):
    """An enum parameter of the report language (English / 简体中文), by default the interface language."""
    codes = [code for code, _ in LANGUAGES]
    language = catalogue_language(interface_locale())
    # Optional, so that models (the whole-study model) need not set it: a missing value is the default.
    param = QgsProcessingParameterEnum(
        name,
        label,
        [title for _, title in LANGUAGES],
        defaultValue=codes.index(language) if language in codes else 0,
        optional=True,
    )
    param.setHelp(help_text)
    return param


def language_code(index):
    """The language code ("en", "zh_CN") of an option of :func:`language_parameter`."""
    return LANGUAGES[index][0] if 0 <= index < len(LANGUAGES) else "en"

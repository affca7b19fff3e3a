"""The statistical-methods paragraph of a manuscript or poster, in French or English.

It names the populations (with the subgroup), the definitions actually in force (the
settings, defaults or not), the estimators and tests the panels use, and the software
versions, so that the text always matches the numbers it accompanies.
"""
from __future__ import annotations

import platform
from importlib import metadata

from core import __version__
from core.display.biology import tolerance_text
from core.display.suppressed import population_texts
from core.export.panels import Panels
from core.export.stamp import Stamp, setting_value
from core.i18n import t

# Libraries whose versions the paragraph cites: the ones computing the numbers.
SOFTWARE = ("pandas", "numpy", "duckdb", "scipy", "statsmodels")


def software_versions() -> dict[str, str]:
    """Python and each library of ``SOFTWARE`` with its installed version."""
    versions = {"Python": platform.python_version()}
    for name in SOFTWARE:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "?"
    return versions


def methods_text(panels: Panels, stamp: Stamp, lang: str) -> str:
    """The methods paragraph (a few sentences, plain text) for ``panels``."""
    s = panels.settings
    months = ", ".join(f"M{m}" for m in panels.populations.months)
    thresholds = setting_value(s.cs_thresholds, lang)
    treated, analysed = population_texts(panels.populations.treated, panels.populations.analysed, s.min_cell, lang)
    sentences = [
        t("exports.methods.populations", lang, treated=treated, analysed=analysed,
          min_age=setting_value(s.min_age, lang)),
        t("exports.methods.subgroup", lang, subgroup=stamp.subgroup(lang)) if not panels.filter.is_empty else "",
        t("exports.methods.response", lang, months=months),
        t("exports.methods.biology", lang, tolerance=tolerance_text(s.shift_tolerance, lang),
          anti_dsdna=setting_value(s.anti_dsdna_threshold, lang), c3=setting_value(s.c3_low, lang),
          c4=setting_value(s.c4_low, lang)),
        t("exports.methods.steroids", lang, thresholds=thresholds),
        t("exports.methods.safety", lang),
        t("exports.methods.descriptive", lang),
        t("exports.methods.tests", lang),
    ]
    if panels.baseline.table.group is not None:
        sentences.append(t("exports.methods.groups", lang))
    sentences.append(t("exports.methods.small_n", lang, small_n=s.small_n))
    if stamp.changed:
        sentences.append(t("exports.methods.changed", lang, definitions=stamp.definitions(lang)))
    versions = software_versions()
    libraries = ", ".join(f"{name} {version}" for name, version in versions.items() if name != "Python")
    sentences.append(t("exports.methods.software", lang, version=__version__, python=versions["Python"],
                       libraries=libraries, digest=stamp.short, date=stamp.date))
    return " ".join(s for s in sentences if s)

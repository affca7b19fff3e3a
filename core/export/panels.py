"""Every panel result of a (sub)cohort, computed once for all the exports."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.biology import Biology, biology
from core.conclusion import Conclusion, conclude
from core.filters import Filter, resolve_filter
from core.populations import Baseline, Populations, baseline, populations
from core.response import ResponseResult, response
from core.safety import Safety, safety
from core.settings import Settings
from core.steroids import Steroids, steroids
from core.suppression import grouping_allowed


@dataclass(frozen=True, eq=False)
class Panels:
    """The poster's panels for one cohort, subgroup and settings.

    ``filter`` is the resolved subgroup (values as stored); ``events_recorded`` says
    whether the upload had an events table (``Safety.events_recorded``).
    ``baseline`` is Table 1 as asked (split by a group or not), ``plain_baseline`` the
    ungrouped one (the conclusion's and the summary's; the same object when not split).
    """

    filter: Filter
    settings: Settings
    populations: Populations
    baseline: Baseline
    response: ResponseResult
    biology: Biology
    steroids: Steroids
    safety: Safety
    conclusion: Conclusion
    plain_baseline: Baseline

    @property
    def events_recorded(self) -> bool:
        return self.safety.events_recorded


def compute_panels(cohort, filter: Filter | None = None, settings: Settings = Settings(),
                   group: str | None = None, *, result: Callable[..., Any] | None = None) -> Panels:
    """Every panel of ``cohort`` restricted to ``filter``; ``group`` splits Table 1
    (centre, sex or an extra column), never under small-cell suppression (ValueError,
    ``core.suppression.grouping_allowed``). Raises ``FilterError`` as the panels do.

    ``result(panel, **options)``, when given, returns ``panel(cohort, filter, settings,
    **options)`` for these very cohort, filter and settings, e.g. from the results a
    page has already computed (``ui.panel.PanelView.result``).
    """
    if group is not None and not grouping_allowed(settings.min_cell):
        raise ValueError("Table 1 is not grouped under small-cell suppression (core.suppression, rule 9)")
    flt = resolve_filter(cohort, filter)
    if result is None:
        def result(panel, **options):
            return panel(cohort, flt, settings, **options)
    pops = result(populations)
    # The conclusion's population sentence reads the ungrouped table.
    plain = result(baseline)
    base = plain if group is None else result(baseline, group=group)
    resp = result(response)
    ster = result(steroids)
    safe = result(safety)
    return Panels(
        filter=flt, settings=settings, populations=pops, baseline=base, response=resp,
        biology=result(biology), steroids=ster, safety=safe,
        conclusion=conclude(pops, plain, resp, ster, safe, settings),
        plain_baseline=plain,
    )

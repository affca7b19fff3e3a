"""Sidebar subgroup filters (hook).

The analysis layer defines ``core.filters.Filter``; once it lands, this module draws one
sidebar widget per filterable column of the active cohort and returns the chosen
filters, which pages pass unchanged to the core summary functions. Until then there
is no filter, which means "the whole cohort".
"""
from __future__ import annotations

from core.cohort import Cohort


def sidebar_filters(cohort: Cohort | None, lang: str) -> tuple:
    """The filters chosen in the sidebar for ``cohort``: none yet (the whole cohort)."""
    return ()

"""The analysis API in one place: one public function per poster panel.

Every function takes ``(cohort, filter=None, settings=Settings())`` and returns a
frozen result object; the pages and ``python -m core summarize`` call the same ones.
"""
from __future__ import annotations

from core.biology import Biology, biology
from core.filters import Band, Filter, FilterError, FilterOptions, filter_options, parse_filters, resolve_filter
from core.populations import Baseline, PopulationCounts, Populations, baseline, population_counts, populations
from core.response import ResponseResult, response
from core.safety import Safety, safety
from core.settings import Settings
from core.steroids import Steroids, steroids
from core.summary import build_summary

__all__ = [
    "Band", "Baseline", "Biology", "Filter", "FilterError", "FilterOptions", "PopulationCounts", "Populations", "ResponseResult",
    "Safety", "Settings", "Steroids", "baseline", "biology", "build_summary", "filter_options", "parse_filters",
    "population_counts", "populations", "resolve_filter", "response", "safety", "steroids",
]

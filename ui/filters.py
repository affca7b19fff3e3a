"""Sidebar subgroup filters: one widget per field the active cohort lets you filter on.

The chosen ``core.filters.Filter`` is kept for the run; pages read it with
``current_filter()`` and pass it unchanged to the core panel functions. Widget keys carry
the cohort's digest, so another cohort starts unfiltered (and stale choices that are not
among its values cannot reach a widget).

The widgets' settings are mirrored in the URL (``?sex=F&age=30-50&hcq=yes&x.<column>=2``,
see ``ui.filter_url``) so that a shared link restores the view; the URL is read once, on
a session's first run. Only filter settings go there, never patient data: an extra
column's value is written as its position among the column's values.
"""
from __future__ import annotations

import math

import streamlit as st

from core.display.common import describe_filter
from core.display.suppressed import population_texts
from core.filters import Band, Filter, FilterError, FilterOptions, filter_options
from core.i18n import catalogue, t
from core.populations import PopulationCounts, population_counts
from core.suppression import mask_cell
from ui import filter_url
from ui.kept import forget as forget_kept
from ui.kept import kept, kept_values, set_kept
from ui.settings import current_settings
from ui.state import active_cohort, panel_result, session_memo
from ui.markdown import escape_markdown

_RESULT = "_filter"
_PREFIX = "flt_"  # widget keys: the prefix, the cohort's digest, the field
_URL_READ = "_filter_url_read"
_URL_IGNORED = "_filter_url_ignored"
_URL_OPEN = "_filter_url_open"
_BOOL_FIELDS = ("hcq", "corticosteroids", "cutaneous", "articular")
_ALL, _YES, _NO = "all", "yes", "no"


def sidebar_filters(lang: str) -> Filter:
    """Draw the filters for the active cohort in the sidebar; return the chosen Filter.

    An unusable cohort gets no filter widgets (and the empty Filter: everyone).
    """
    active = active_cohort()
    if active.cohort is None:
        st.session_state[_RESULT] = Filter()
        return Filter()
    cohort = active.cohort
    options: FilterOptions = session_memo("filter_options", lambda: filter_options(cohort))
    prefix = f"{_PREFIX}{active.digest[:12]}_"
    if _URL_READ not in st.session_state:
        # A session's first run: a shared link's filters seed the widgets.
        st.session_state[_URL_READ] = True
        st.session_state[_URL_OPEN] = any(k in st.query_params for k in filter_url.url_keys(options))
        ignored = filter_url.seed_from_url(st.query_params, options, prefix, kept_values())
        if ignored:
            st.session_state[_URL_IGNORED] = ignored
    # Open when a link set filters, so that whoever follows it sees them.
    expanded = bool(st.session_state.get(_URL_OPEN))
    with st.sidebar.expander(t("filters.title", lang), icon=":material/filter_alt:", expanded=expanded):
        flt = _widgets(options, prefix, lang)
        st.button(t("filters.reset", lang), key=f"{prefix}reset", on_click=_reset, args=(options, prefix))
    filter_url.write_to_url(st.query_params, options, prefix, kept_values())
    ignored = st.session_state.get(_URL_IGNORED)
    if ignored:
        # Plain text: the ignored values are quoted as they were in the link.
        st.sidebar.caption(t("sidebar.url_ignored", lang))
        st.sidebar.text(", ".join(ignored))
    if not flt.is_empty:
        # Plain text: the description quotes centre names and extra columns as typed.
        st.sidebar.text(t("filters.active", lang, filter=describe_filter(flt, lang)))
    st.session_state[_RESULT] = flt
    return flt


def sidebar_populations(box, lang: str) -> PopulationCounts | None:
    """Live N of the analysed and safety (treated) populations for the current filter,
    and a warning when fewer than ``Settings.small_n`` patients are analysed, drawn in ``box``
    (a sidebar container). The two counts alone (``population_counts``): a page that
    shows no population list does not compute one for a new subgroup."""
    cohort = active_cohort().cohort
    if cohort is None:
        return None
    flt = current_filter()
    settings = current_settings()
    try:
        pops = panel_result(population_counts, cohort, flt, settings)
    except FilterError:
        box.error(t("sidebar.filter_error", lang), icon=":material/error:")
        return None
    analysed, safety = box.columns(2)
    # Small-cell suppression (core.suppression): a subgroup of 1 to k - 1 patients is "< k".
    # Fewer than k excluded: the treated count is hidden (it would give them back).
    # A registry's 17542 written as the language writes it: 17,542 / 17 542.
    treated, analysed_n = population_texts(pops.treated, pops.analysed, settings.min_cell, lang)
    analysed.metric(t("sidebar.n_analysed", lang), analysed_n)
    safety.metric(t("sidebar.n_safety", lang), treated)
    if pops.analysed < settings.small_n:
        box.warning(t("sidebar.small_subgroup", lang, n=mask_cell(pops.analysed, settings.min_cell),
                      min=settings.small_n),
                           icon=":material/warning:")
    return pops


def forget_choices() -> None:
    """Forget every filter chosen in this session (an upload's centres and values among
    them); the next run starts unfiltered."""
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(_PREFIX)]:
        del st.session_state[key]
    forget_kept(_PREFIX)
    st.session_state.pop(_RESULT, None)
    st.session_state.pop(_URL_IGNORED, None)


def current_filter() -> Filter:
    """The Filter chosen in the sidebar during this run (empty: the whole cohort)."""
    return st.session_state.get(_RESULT, Filter())


def _widgets(options: FilterOptions, prefix: str, lang: str) -> Filter:
    choices: dict = {}
    if options.centres:
        choices["centre"] = tuple(st.multiselect(t("filters.centre", lang), options.centres, key=f"{prefix}centre",
                                                 placeholder=t("sidebar.choose", lang), **kept(f"{prefix}centre", [])))
    if options.sexes:
        choices["sex"] = tuple(st.multiselect(
            t("filters.sex", lang), options.sexes, key=f"{prefix}sex", format_func=lambda v: _label("sex", v, lang),
            placeholder=t("sidebar.choose", lang), **kept(f"{prefix}sex", []),
        ))
    for name, bounds in (("age", options.age_range), ("prior_lines", options.prior_lines_range)):
        band = _band_slider(name, bounds, prefix, lang)
        if band is not None:
            choices[name] = band
    for name in _BOOL_FIELDS:
        answer = st.segmented_control(
            t(f"filters.{name}", lang), (_YES, _NO), key=f"{prefix}{name}",
            format_func=lambda v: t(f"filters.{v}", lang), **kept(f"{prefix}{name}", None),
        )
        if answer is not None:
            choices[name] = answer == _YES
    if options.ifn:
        choices["ifn"] = tuple(st.multiselect(
            t("filters.ifn", lang), options.ifn, key=f"{prefix}ifn", format_func=lambda v: _label("ifn", v, lang),
            placeholder=t("sidebar.choose", lang), **kept(f"{prefix}ifn", []),
        ))
    extra = []
    for k, (column, levels) in enumerate(options.extra):
        picked = st.multiselect(escape_markdown(column), levels, key=f"{prefix}extra{k}",
                                placeholder=t("sidebar.choose", lang), **kept(f"{prefix}extra{k}", []))
        if picked:
            extra.append((column, tuple(picked)))
    return Filter(**choices, extra=tuple(extra))


def _band_slider(name: str, bounds: tuple[float, float] | None, prefix: str, lang: str) -> Band | None:
    """A range slider over the cohort's values; None (no restriction) at the full range,
    so that patients with the value missing stay in."""
    if bounds is None:
        return None
    low, high = math.floor(bounds[0]), math.ceil(bounds[1])
    if low == high:
        return None
    key = f"{prefix}{name}"
    chosen = st.slider(t(f"filters.{name}", lang), low, high, step=1, key=key, **kept(key, (low, high)))
    if tuple(chosen) == (low, high):
        return None
    return Band(
        low=float(chosen[0]) if chosen[0] > low else None,
        high=float(chosen[1]) if chosen[1] < high else None,
    )


def _reset(options: FilterOptions, prefix: str) -> None:
    st.session_state.pop(_URL_IGNORED, None)
    for key, value in list(kept_values().items()):
        if not key.startswith(prefix):
            continue
        if isinstance(value, list):
            set_kept(key, [])
        elif isinstance(value, tuple):
            bounds = options.age_range if key.endswith("age") else options.prior_lines_range
            set_kept(key, (math.floor(bounds[0]), math.ceil(bounds[1])))
        elif key.removeprefix(prefix) in _BOOL_FIELDS:
            set_kept(key, None)


def _label(kind: str, value: str, lang: str) -> str:
    # Values the catalogue does not know (an unexpected spelling) are shown as stored.
    return catalogue(lang).get(f"{kind}.{value}", value)

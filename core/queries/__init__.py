"""Every SQL query of the analysis, one function per panel query, and the clinical
rules the panels apply, written in SQL (each with its reference to the contract).

Each query starts from the same scope (``scope``): ``pop`` (the patients of the subgroup
filter, which is the safety population, with their exclusion flags), ``sel`` (their ids)
and ``analysed`` (the efficacy population). Panels aggregate here and bring back counts,
the values an estimator needs (in patient order, so that sums and tests see them as
before), or the few per-patient rows a chart or a table shows. Tables are joined and
sorted on ``_pid`` (``core.db``). What the rules (``rules``) derive from each visit and
its baseline visit (responses, marker statuses and shifts, prednisone equivalents) does
not depend on the subgroup: each connection derives it once, on first use, into a table
that the panels then join to the subgroup (``derived``). Values are bound parameters;
identifiers come from the schema or are checked against the table's actual columns, and
are quoted by ``schema.quote_identifier``. Results are always in a stated order; "by
patient_id" means in ``_pid`` order, the natural order of the ids (P2 before P10,
``core.db.natural_order``).

One module per panel (``populations``, ``response``, ``biology``, ``steroids``,
``safety``) and one for what the sidebar offers (``levels``); callers use the names
below, as ``queries.<name>``.
"""
from __future__ import annotations

from core.queries.biology import biology_paired_medians_query, biology_pairs_query, biology_visits_query
from core.queries.derived import BIOLOGY_MARKERS, COURSE_RESPONSES, SHIFT_AMONG_POSITIVE
from core.queries.levels import (distinct_values_query, extra_level_counts_query, extra_levels_query,
                                 numeric_ranges_query)
from core.queries.populations import (analysed_count_query, baseline_query, baseline_unknown_drugs_query,
                                      baseline_values_query, exclusions_query, followup_query,
                                      population_counts_query, population_flags_query, visit_months_query)
from core.queries.response import (COURSE_BASE, involved_query, response_courses_query, response_discordant_query,
                                   response_patients_query)
from core.queries.rules import (BOUNDARY_SLACK, anti_dsdna_elevated_sql, articular_response_sql,
                                complement_activated_sql, cutaneous_response_sql, evaluate_rule,
                                prednisone_equivalent_sql, shift_sql, unknown_drug_dose_sql)
from core.queries.safety import (events_by_type_query, events_query, first_events_query, safety_followup_query,
                                 swimmer_query, visceral_events_query)
from core.queries.steroids import steroid_doses_query, steroid_unknown_drugs_query, steroid_values_query


"""What the rules derive from every visit and its baseline visit, and each patient's
follow-up, once per cohort.

Responses, marker statuses and shifts, prednisone equivalents and follow-up do not
depend on the subgroup: each connection derives them once, on first use, into a table
that the panels then join to the subgroup (``visit_rules_table``,
``patient_followup_table``).
"""
from __future__ import annotations

from core.queries.rules import (anti_dsdna_elevated_sql, articular_response_sql, complement_activated_sql,
                                cutaneous_response_sql, ifn_positive_sql, prednisone_equivalent_sql, rule_params,
                                shift_sql, unknown_drug_dose_sql)
from core.queries.scope import derived_table
from core.schema import RESPONSE_DOMAINS

MARKER_RULES = {
    # marker: (status at a visit over the columns named "<prefix>column", shifting value or None)
    "ifn": (lambda c: ifn_positive_sql(c("ifn_signature")), "ifn_score"),
    "anti_dsdna": (lambda c: anti_dsdna_elevated_sql(c("anti_dsdna_elevated"), c("anti_dsdna")), "anti_dsdna"),
    "complement": (lambda c: complement_activated_sql(c("complement_low"), c("c3"), c("c4")), None),
}
BIOLOGY_MARKERS = tuple(MARKER_RULES)
# Markers whose shifts count only the patients positive at M0 (anti-dsDNA: elevated).
SHIFT_AMONG_POSITIVE = ("anti_dsdna",)
# A visit's state in a response course (``queries.response.response_courses_query``):
# 1 + 2 x (0 no response, 1 CR, 2 PR, 3 NR, the index here) + 1 if the response was
# scored from components (none recorded).
COURSE_RESPONSES = (None, "CR", "PR", "NR")


def _course_state_sql(domain: str) -> str:
    """The course state of a visit in ``domain``, over its <domain>_recorded and
    <domain>_scored columns (the response is the recorded one, else the scored one)."""
    codes = " ".join(f"WHEN '{r}' THEN {k}" for k, r in enumerate(COURSE_RESPONSES) if r)
    code = f"CASE coalesce({domain}_recorded, {domain}_scored) {codes} ELSE 0 END"
    scored = f"CAST({domain}_recorded IS NULL AND {domain}_scored IS NOT NULL AS BIGINT)"
    return f"(1 + 2 * {code} + {scored})"


def visit_rules_table(con, settings) -> str:
    """The table of what the rules derive from every visit and its baseline visit, in
    one pass over the visits joined to their baseline visit (_pid, month, then):

    - responses: <domain>_recorded and <domain>_scored from the raw components
      (``cutaneous_response_sql``, ``articular_response_sql``), and <domain>_state, the
      visit's state in a response course (``COURSE_RESPONSES``), so that a subgroup's
      courses only add states up;
    - markers: <marker>_m0 and <marker>_mk, the status at the baseline visit and at
      this one, and <marker>_shift of the value for a marker with one (``MARKER_RULES``,
      ``shift_sql``);
    - doses: recorded_mg, dose_mg (prednisone equivalent, ``prednisone_equivalent_sql``),
      unknown_drug (``unknown_drug_dose_sql``), and the same at the baseline visit
      (recorded_m0_mg, dose_m0_mg, unknown_drug_m0).

    What depends on the baseline visit alone (its statuses and doses) is derived from
    the baseline visits before the join: once a patient, not once a visit. A marker
    without a value (complement) has no shift column, and the drug's name is not copied
    (``steroid_unknown_drugs_query`` reads the few it needs from the visits): the first
    panel of every cohort makes this table.

    A cohort never changes: each connection computes the table once per baseline month
    and rule settings, on first use (``scope.derived_table``); other settings replace
    it. Rows are in no stated order: every query on it joins, aggregates or sorts.
    """
    params = rule_params(settings)
    cutaneous = cutaneous_response_sql("v0.active_skin_lesions", "v.active_skin_lesions", "v.new_skin_lesions")
    articular = articular_response_sql("v0.painful_joints", "v0.swollen_joints", "v0.joint_flares",
                                       "v.painful_joints", "v.swollen_joints", "v.new_painful_joints",
                                       "v.joint_flares")
    columns = [f"v.cutaneous_response AS cutaneous_recorded, {cutaneous} AS cutaneous_scored",
               f"v.articular_response AS articular_recorded, {articular} AS articular_scored"]
    # The baseline visit v0: the components its responses and shifts compare with, then
    # its own statuses and doses.
    baseline = ["_pid", "active_skin_lesions", "painful_joints", "swollen_joints", "joint_flares"]
    for marker, (status, value) in MARKER_RULES.items():
        baseline += [f"{status(lambda c: c)} AS {marker}_m0", *([value] if value else [])]
        columns += [f"v0.{marker}_m0", f"{status(lambda c: 'v.' + c)} AS {marker}_mk"]
        if value:
            columns.append(f"{shift_sql(f'v0.{value}', f'v.{value}')} AS {marker}_shift")
    baseline += ["cs_dose_mg AS recorded_m0_mg",
                 f"{prednisone_equivalent_sql('cs_dose_mg', '_cs_factor')} AS dose_m0_mg",
                 f"{unknown_drug_dose_sql('cs_dose_mg', '_cs_factor')} AS unknown_drug_m0"]
    columns += [f"""v.cs_dose_mg AS recorded_mg, {prednisone_equivalent_sql("v.cs_dose_mg", "v._cs_factor")} AS dose_mg,
               {unknown_drug_dose_sql("v.cs_dose_mg", "v._cs_factor")} AS unknown_drug,
               v0.recorded_m0_mg, v0.dose_m0_mg,
               -- As the rule reads a dose it does not have (no baseline visit): not unknown.
               coalesce(v0.unknown_drug_m0, FALSE) AS unknown_drug_m0"""]
    states = ", ".join(f"{_course_state_sql(d)} AS {d}_state" for d in RESPONSE_DOMAINS)
    select = f"""
        SELECT *, {states} FROM (
            SELECT v._pid, v.month, {", ".join(columns)}
            FROM _visits v
            LEFT JOIN (SELECT {", ".join(baseline)} FROM _visits WHERE month = $baseline) v0 ON v0._pid = v._pid
        )"""
    return derived_table(con, "_visit_rules", (settings.baseline_month, sorted(params.items())), select,
                         {**params, "baseline": int(settings.baseline_month)})


def patient_followup_table(con) -> str:
    """The table of every patient's follow-up and infections, in one pass over the
    visits and events (_pid, then):

    - followup_months: the later of the last visit and the last event, 0 with neither;
    - infection_events: the patient's infection events; any_infection, severe_infection
      (an infection recorded severe) and vzv (an event with VZV): flags, FALSE without;
    - with_events: the patient has an event of any type.

    A cohort never changes: each connection computes the table once, on first use
    (``scope.derived_table``). Rows are in no stated order.
    """
    return derived_table(con, "_patient_followup", None, """
        WITH last_visit AS (SELECT _pid, max(month) AS last_visit_month FROM _visits GROUP BY _pid),
        ev AS (
            SELECT _pid, max(month) AS last_event_month,
                   count(*) FILTER (WHERE type = 'infection') AS infection_events,
                   coalesce(bool_or(type = 'infection'), FALSE) AS any_infection,
                   coalesce(bool_or(type = 'infection' AND severe), FALSE) AS severe_infection,
                   coalesce(bool_or(vzv), FALSE) AS vzv
            FROM _events GROUP BY _pid
        )
        SELECT p._pid, coalesce(greatest(CAST(lv.last_visit_month AS DOUBLE), ev.last_event_month), 0.0)
                   AS followup_months,
               coalesce(ev.infection_events, 0) AS infection_events,
               coalesce(ev.any_infection, FALSE) AS any_infection,
               coalesce(ev.severe_infection, FALSE) AS severe_infection,
               coalesce(ev.vzv, FALSE) AS vzv, ev._pid IS NOT NULL AS with_events
        FROM _patients p
        LEFT JOIN last_visit lv ON lv._pid = p._pid
        LEFT JOIN ev ON ev._pid = p._pid""")

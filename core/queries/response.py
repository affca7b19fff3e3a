"""Response per domain: courses over the reported months, discordances, per-patient rows."""
from __future__ import annotations

import pandas as pd

from core.queries.derived import visit_rules_table
from core.queries.scope import at_months, holds_lock, scoped
from core.schema import RESPONSE_DOMAINS as DOMAINS


def _scored_visits_sql(con, settings, months, every_month: bool = False) -> tuple[str, dict]:
    """The CTE ``visits`` (``grid`` with ``every_month``: with or without a visit): one
    row per analysed patient involved in a domain at M0 and visit at a month of
    ``months``, with per domain (``cutaneous_*``, ``articular_*``): recorded, scored
    (``visit_rules_table``) and response (recorded, else scored), and the involvement
    flags (a domain counts only for patients with it recorded true at M0)."""
    table = visit_rules_table(con, settings)
    select = "".join(f""", r.{d}_recorded, r.{d}_scored, coalesce(r.{d}_recorded, r.{d}_scored) AS {d}_response,
                     r.{d}_state""" for d in DOMAINS)
    if every_month:
        return f"""
        , months AS (SELECT unnest(CAST($months AS BIGINT[])) AS month),
        grid AS (
            SELECT p._pid, m.month, r._pid IS NOT NULL AS seen, p.cutaneous, p.articular{select}
            FROM analysed p CROSS JOIN months m
            LEFT JOIN {table} r ON r._pid = p._pid AND r.month = m.month
            WHERE p.cutaneous OR p.articular
        )""", {"months": [int(m) for m in months]}
    at, params = at_months(months, "r.month")
    return f"""
        , visits AS (
            SELECT r._pid, r.month, TRUE AS seen, p.cutaneous, p.articular{select}
            FROM {table} r JOIN analysed p ON p._pid = r._pid
            WHERE {at} AND (p.cutaneous OR p.articular)
        )""", params


@holds_lock
def involved_query(con, flt, settings) -> pd.DataFrame:
    """One row: analysed patients, and those involved at M0 in each domain."""
    return scoped(con, flt, settings, """
        SELECT count(*) AS analysed, count(*) FILTER (p.cutaneous) AS cutaneous,
               count(*) FILTER (p.articular) AS articular
        FROM analysed p""")


# A patient's course over the reported months as one number: the k-th month's state is
# its k-th hexadecimal digit (``COURSE_BASE``), 0 without a visit, else the visit's
# state (``visit_rules_table``: 1 + 2 x the index of its response in ``COURSE_RESPONSES``
# + 1 if scored from components). Summing digits per patient is far cheaper than
# pivoting one column per month.
COURSE_BASE = 16


@holds_lock
def response_courses_query(con, flt, settings, months) -> pd.DataFrame:
    """Involved analysed patients with a visit at some month of ``months``, counted
    (``patients``) per domain and ``course`` (the state at each month, see
    ``COURSE_BASE``). The involved patients with no visit at any of ``months`` are in
    no row."""
    cte, params = _scored_visits_sql(con, settings, months)
    if len(params) > 15:
        raise ValueError("at most 15 reported months fit in a course")
    digit = "CASE month " + " ".join(f"WHEN ${name} THEN {COURSE_BASE ** k}" for k, name in enumerate(params)) + " END"
    sums = ", ".join(f"sum({d}_state * {digit}) AS {d}_course" for d in DOMAINS)
    return scoped(con, flt, settings, cte + f""",
        per_patient AS MATERIALIZED (
            SELECT _pid, any_value(cutaneous) AS cutaneous, any_value(articular) AS articular, {sums}
            FROM visits GROUP BY _pid
        )
        {" UNION ALL ".join(f"SELECT '{d}' AS domain, {d}_course AS course, count(*) AS patients "
                            f"FROM per_patient WHERE {d} GROUP BY ALL" for d in DOMAINS)}""", params)


@holds_lock
def response_discordant_query(con, flt, settings, months) -> pd.DataFrame:
    """Visits whose recorded response differs from the one scored from components in
    some domain the patient is involved in: patient_id, month, and per domain whether it
    does (``<domain>_differs``), the recorded and the scored response, by patient_id and
    month."""
    table = visit_rules_table(con, settings)
    at, params = at_months(months, "r.month")
    differs = {d: f"coalesce(p.{d} AND r.{d}_recorded <> r.{d}_scored, FALSE)" for d in DOMAINS}
    columns = ", ".join(f"{sql} AS {d}_differs, r.{d}_recorded, r.{d}_scored" for d, sql in differs.items())
    # Visits whose responses differ are few: they are picked before meeting the subgroup.
    return scoped(con, flt, settings, f"""
        , differing AS (
            SELECT * FROM {table} r
            WHERE {at} AND ({" OR ".join(f"r.{d}_recorded <> r.{d}_scored" for d in DOMAINS)})
        )
        SELECT p.patient_id, r.month, {columns}
        FROM differing r JOIN analysed p ON p._pid = r._pid
        WHERE {" OR ".join(differs.values())}
        ORDER BY r._pid, r.month""", params)


@holds_lock
def response_patients_query(con, flt, settings, months) -> pd.DataFrame:
    """Every involved analysed patient x domain x month: patient_id, domain, month, seen,
    recorded, scored, response, by domain, month and patient_id."""
    cte, params = _scored_visits_sql(con, settings, months, every_month=True)
    parts = " UNION ALL ".join(
        f"""SELECT _pid, '{d}' AS domain, month, seen, {d}_recorded AS recorded, {d}_scored AS scored,
                   {d}_response AS response FROM grid WHERE {d}""" for d in DOMAINS)
    return scoped(con, flt, settings, cte + f"""
        , responses AS ({parts})
        SELECT p.patient_id, r.domain, r.month, r.seen, r.recorded, r.scored, r.response
        FROM responses r JOIN _patients p ON p._pid = r._pid
        ORDER BY r.domain, r.month, r._pid""", params)

"""Safety: follow-up and infection flags per treated patient, the swimmer plot, events."""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.queries.derived import patient_followup_table
from core.queries.scope import holds_lock, scoped, scoped_arrays


def _followup(con) -> str:
    """The CTE ``followup``: the treated patients of the subgroup with their follow-up
    and infection flags (``patient_followup_table``)."""
    return f"""
        , followup AS (SELECT f.* FROM {patient_followup_table(con)} f SEMI JOIN sel s ON s._pid = f._pid)"""


@holds_lock
def safety_followup_query(con, flt, settings) -> dict[str, np.ndarray]:
    """Each treated patient, by patient_id, as arrays (``patient_followup_table``):
    followup_months, infection_events, any_infection, severe_infection, vzv and
    with_events. The panel counts the flags and sums the follow-up in patient order
    (the exposure is summed as it always has been, to the last digit)."""
    return scoped_arrays(con, flt, settings, _followup(con) + """
        SELECT followup_months, infection_events, any_infection, severe_infection, vzv, with_events
        FROM followup ORDER BY _pid""")


@holds_lock
def swimmer_query(con, flt, settings, limit: int | None = None) -> pd.DataFrame:
    """Treated patients: patient_id, start (0) and end (follow-up months), in natural
    patient id order (P2 before P10, ``_pid``).

    With ``limit``, the patients a swimmer plot of at most ``limit`` bars shows: all of
    them when they are that few, else those with an event, the first ``limit`` of them.
    """
    if limit is None:
        return scoped(con, flt, settings, _followup(con) + """
            SELECT p.patient_id, 0.0 AS start, f.followup_months AS "end"
            FROM followup f JOIN _patients p ON p._pid = f._pid ORDER BY f._pid""")
    return scoped(con, flt, settings, _followup(con) + """
        , shown AS (
            SELECT f.* FROM followup f
            WHERE (SELECT count(*) FROM followup) <= $limit OR f.with_events
        )
        SELECT p.patient_id, 0.0 AS start, s.followup_months AS "end"
        FROM shown s JOIN _patients p ON p._pid = s._pid
        ORDER BY s._pid LIMIT $limit""", {"limit": int(limit)})


# The events of the treated patients of the subgroup ({extra}: more columns, {only}: more
# conditions), in the order every list of events takes.
_EVENTS = """
        SELECT p.patient_id, e.month, e.type, e.description, e.severe, e.vzv{extra}
        FROM _events e JOIN sel s ON s._pid = e._pid
        JOIN _patients p ON p._pid = e._pid {only}
        ORDER BY e.month, e._pid, e.type, e.description"""


@holds_lock
def events_query(con, flt, settings, patient_ids: list[str] | None = None) -> pd.DataFrame:
    """Every event of the treated patients of the subgroup (of ``patient_ids`` only if
    given), by month, patient_id, type and description."""
    only, params = "", {}
    if patient_ids is not None:
        only, params = "AND list_contains(CAST($ids AS VARCHAR[]), p.patient_id)", {"ids": list(patient_ids)}
    return scoped(con, flt, settings, _EVENTS.format(extra="", only=only), params)


@holds_lock
def first_events_query(con, flt, settings, types: tuple[str, ...], limit: int) -> pd.DataFrame:
    """The first ``limit`` events of ``types`` of the treated patients of the subgroup, in
    ``events_query``'s order (ties in that order aside), each row with ``total``: how many
    events of ``types`` there are. The other events are not read."""
    body = _EVENTS.format(extra=", count(*) OVER () AS total",
                          only="AND list_contains(CAST($types AS VARCHAR[]), e.type)")
    return scoped(con, flt, settings, body + " LIMIT $limit", {"types": list(types), "limit": int(limit)})


@holds_lock
def visceral_events_query(con, flt, settings) -> pd.DataFrame:
    """The visceral events of the treated patients: patient_id, month, description, by
    month, patient_id and description."""
    return scoped(con, flt, settings, """
        SELECT p.patient_id, e.month, e.description
        FROM _events e JOIN sel s ON s._pid = e._pid
        JOIN _patients p ON p._pid = e._pid
        WHERE e.type = 'visceral'
        ORDER BY e.month, e._pid, e.description""")


@holds_lock
def events_by_type_query(con, flt, settings) -> pd.DataFrame:
    """Events and distinct patients per event type among the treated patients."""
    return scoped(con, flt, settings, """
        SELECT e.type, count(*) AS events, count(DISTINCT e._pid) AS patients
        FROM _events e JOIN sel s ON s._pid = e._pid
        GROUP BY e.type ORDER BY e.type""")

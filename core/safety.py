"""Safety over the treated population: infections, VZV, visceral events, exposure."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core import queries
from core.filters import Filter, resolve_filter
from core.populations import small_n_notes
from core.settings import Settings
from core.stats import Proportion, estimate_proportion, round_half_up


@dataclass(frozen=True, eq=False)
class Safety:
    """Safety panel (every treated patient of the subgroup; a patient counts once).

    - ``infection`` / ``severe_infection`` / ``vzv``: patients with at least one such
      event (an infection marked severe; any event marked VZV), out of ``N``.
    - ``patient_months``: sum over patients of the later of the last visit month and
      the last event month; ``infection_rate_per_100py``: infection events per 100
      patient-years (None without follow-up).
    - ``events_by_type``: type, events, patients. ``events``: every event (patient_id,
      month, type, description, severe, vzv); ``visceral_events``: its rows of type
      visceral (patient_id, month, description). ``swimmer``: patient_id, start (0), end
      (follow-up months), for a swimmer plot with ``events`` as markers.
    """

    N: int
    infection: Proportion
    severe_infection: Proportion
    vzv: Proportion
    infection_events: int
    patient_months: float
    infection_rate_per_100py: float | None
    events_by_type: pd.DataFrame
    visceral_events: pd.DataFrame
    events: pd.DataFrame
    swimmer: pd.DataFrame
    notes: tuple[str, ...]


def safety(cohort, filter: Filter | None = None, settings: Settings = Settings()) -> Safety:
    """Patients with infections, severe infections, VZV; events by type; exposure.

    Reference: Wilson EB. J Am Stat Assoc 1927;22:209-212 (CIs); incidence rate =
    events / person-time (Rothman KJ, Modern Epidemiology, 3rd ed., ch. 3).
    """
    flt = resolve_filter(cohort, filter)
    per_patient = queries.safety_patients_query(cohort.con, flt, settings)
    events = queries.events_query(cohort.con, flt, settings)
    N = len(per_patient)
    infection_events = int(per_patient["infection_events"].sum())
    patient_months = float(per_patient["followup_months"].sum())
    rate = round_half_up(100 * infection_events / (patient_months / 12), 1) if patient_months > 0 else None
    visceral_events = events.loc[events["type"] == "visceral", ["patient_id", "month", "description"]]
    visceral_events = visceral_events.astype({"patient_id": "string", "month": float, "description": "string"})
    visceral_events = visceral_events.reset_index(drop=True)
    swimmer = pd.DataFrame({"patient_id": per_patient["patient_id"], "start": 0.0,
                            "end": per_patient["followup_months"].astype(float)})
    return Safety(
        N=N,
        infection=estimate_proportion(int(per_patient["any_infection"].sum()), N),
        severe_infection=estimate_proportion(int(per_patient["severe_infection"].sum()), N),
        vzv=estimate_proportion(int(per_patient["vzv"].sum()), N),
        infection_events=infection_events,
        patient_months=patient_months,
        infection_rate_per_100py=rate,
        events_by_type=queries.events_by_type_query(cohort.con, flt, settings),
        visceral_events=visceral_events,
        events=events,
        swimmer=swimmer,
        notes=small_n_notes(N, settings),
    )

"""Safety over the treated population: infections, VZV, visceral events, exposure."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core import queries
from core.cached import cached_property
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
      (follow-up months), for a swimmer plot with ``events`` as markers. ``events`` and
      ``swimmer`` are read from the cohort when first asked for (its connection must
      still be open); ``swimmer_rows`` reads only the patients a plot shows, and
      ``first_events`` only the first events a page lists.
    - ``with_events``: treated patients with at least one event.
    - ``events_recorded``: False when the cohort has no events table (none uploaded, or
      its sheet left out): no patient's events are known, so the three counts are 0/0
      (no data) and the rate is None, while ``N`` and the exposure stay.
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
    notes: tuple[str, ...]
    with_events: int = 0
    events_recorded: bool = True
    fetch_events: Callable[..., pd.DataFrame] = field(repr=False, default=lambda ids=None: pd.DataFrame(
        columns=["patient_id", "month", "type", "description", "severe", "vzv"]))
    fetch_swimmer: Callable[..., pd.DataFrame] = field(repr=False, default=lambda limit=None: pd.DataFrame(
        columns=["patient_id", "start", "end"]))
    # (types, limit) -> the first events of those types with their ``total``
    # (``queries.first_events_query``); None: taken from ``events``.
    fetch_first: Callable[[tuple[str, ...], int], pd.DataFrame] | None = field(repr=False, default=None)

    @cached_property
    def events(self) -> pd.DataFrame:
        return self.fetch_events()

    @cached_property
    def swimmer(self) -> pd.DataFrame:
        return self.fetch_swimmer()

    def swimmer_scope(self, limit: int) -> SwimmerScope:
        """Which patients a swimmer plot of at most ``limit`` bars shows."""
        return scope_of(self.N, self.with_events, limit)

    def first_events(self, limit: int, types: tuple[str, ...]) -> tuple[pd.DataFrame, int]:
        """The first ``limit`` events of ``types`` by month (as ``events``, ties in that
        order aside), and how many events of ``types`` there are; the others are not read
        (taken from ``events`` when they have been). Read once per ``limit`` and types."""
        if self.fetch_first is None or "events" in self.__dict__:
            rows = self.events[self.events["type"].isin(types)]
            return rows.iloc[:limit], len(rows)
        kept = self.__dict__.setdefault("_first_events", {})
        key = (tuple(types), int(limit))
        if key not in kept:
            rows = self.fetch_first(*key)
            total = int(rows["total"].iloc[0]) if len(rows) else 0
            kept[key] = (rows.drop(columns="total"), total)
        return kept[key]

    def swimmer_rows(self, limit: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The swimmer rows (patient_id, start, end) of the patients ``swimmer_scope``
        shows, and their events, read from the cohort without reading every patient."""
        bars = self.fetch_swimmer(limit)
        return bars, self.fetch_events(list(bars["patient_id"]))


@dataclass(frozen=True)
class SwimmerScope:
    """Which patients the swimmer plot shows: ``all``, ``with_events`` (over the limit)
    or ``first_with_events`` (the first ``shown`` of them by patient id)."""

    mode: str
    shown: int
    total: int
    with_events: int


def scope_of(total: int, with_events: int, limit: int) -> SwimmerScope:
    """All ``total`` patients up to ``limit``; beyond it those with an event, at most ``limit``."""
    if total <= limit:
        return SwimmerScope("all", total, total, with_events)
    if with_events <= limit:
        return SwimmerScope("with_events", with_events, total, with_events)
    return SwimmerScope("first_with_events", limit, total, with_events)


def safety(cohort, filter: Filter | None = None, settings: Settings = Settings()) -> Safety:
    """Patients with infections, severe infections, VZV; events by type; exposure.

    Reference: Wilson EB. J Am Stat Assoc 1927;22:209-212 (CIs); incidence rate =
    events / person-time (Rothman KJ, Modern Epidemiology, 3rd ed., ch. 3).
    """
    flt = resolve_filter(cohort, filter)
    con = cohort.con
    followed = queries.safety_followup_query(con, flt, settings)
    counts = {name: int(np.count_nonzero(followed[name]))
              for name in ("any_infection", "severe_infection", "vzv", "with_events")}
    N = int(followed["followup_months"].size)
    recorded = "events" in cohort.tables_present
    known = N if recorded else 0  # without an events table, nobody's events are known
    infection_events = int(followed["infection_events"].sum())
    # Summed as a pandas column in patient order, as every release has summed it.
    patient_months = float(pd.Series(followed["followup_months"], dtype=float).sum())
    rate = (round_half_up(100 * infection_events / (patient_months / 12), 1)
            if patient_months > 0 and recorded else None)
    visceral_events = queries.visceral_events_query(con, flt, settings)
    visceral_events = visceral_events.astype({"patient_id": "string", "month": float, "description": "string"})
    return Safety(
        N=N,
        infection=estimate_proportion(counts["any_infection"], known),
        severe_infection=estimate_proportion(counts["severe_infection"], known),
        vzv=estimate_proportion(counts["vzv"], known),
        infection_events=infection_events,
        patient_months=patient_months,
        infection_rate_per_100py=rate,
        events_by_type=queries.events_by_type_query(con, flt, settings),
        visceral_events=visceral_events.reset_index(drop=True),
        notes=small_n_notes(N, settings),
        with_events=counts["with_events"],
        events_recorded=recorded,
        fetch_events=lambda ids=None: queries.events_query(con, flt, settings, ids),
        fetch_swimmer=lambda limit=None: _swimmer(queries.swimmer_query(con, flt, settings, limit)),
        fetch_first=lambda types, limit: queries.first_events_query(con, flt, settings, types, limit),
    )


def _swimmer(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.astype({"start": float, "end": float})

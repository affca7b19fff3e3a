"""Steroid panel: on CS among known doses, dose among those on CS, thresholds, stops,
paired change, prednisone equivalents."""
from __future__ import annotations

import pandas as pd
import pytest

from core.cohort import cohort_from_frames
from core.settings import Settings
from core.steroids import steroids


def _cohort(doses: dict[str, tuple], drugs: dict[str, str] | None = None):
    """``doses``: patient -> (M0 dose, M6 dose); None = unknown, "-" = not seen."""
    ids = list(doses)
    patients = pd.DataFrame({"patient_id": ids, "sex": "F", "age": 40.0, "cutaneous": True})
    rows = []
    for pid, (m0, m6) in doses.items():
        rows.append({"patient_id": pid, "month": 0, "cs_dose_mg": m0, "cs_drug": (drugs or {}).get(pid)})
        if m6 != "-":
            rows.append({"patient_id": pid, "month": 6, "cs_dose_mg": m6, "cs_drug": (drugs or {}).get(pid)})
    return cohort_from_frames({"patients": patients, "visits": pd.DataFrame(rows), "events": None})


DOSES = {"A": (10.0, 5.0), "B": (7.5, 0.0), "C": (0.0, 0.0), "D": (5.0, 7.5), "E": (None, 2.5), "F": (20.0, "-")}


@pytest.fixture(scope="module")
def result():
    return steroids(_cohort(DOSES))


def test_on_corticosteroids_among_known_doses(result):
    assert result.at(0).on_cs.as_count() == {"n": 4, "N": 5, "pct": 80.0}


def test_dose_summary_is_among_those_on_corticosteroids(result):
    dose = result.at(0).dose
    assert (dose.N, dose.median, dose.q1, dose.q3) == (4, 8.75, 6.875, 12.5)


def test_share_at_or_under_each_threshold_among_known_doses(result):
    shares = {t: p.n for t, p in result.at(6).at_or_under}
    assert (shares, result.at(6).known) == ({7.5: 5, 5.0: 4}, 5)


def test_stopped_among_those_on_corticosteroids_at_m0_with_a_known_dose(result):
    stopped = result.at(6).stopped
    assert (stopped.n, stopped.N) == (1, 3)  # B stopped; A, D still on; F not seen


def test_paired_change_uses_patients_with_both_doses(result):
    month = result.at(6)
    assert (month.change.N, month.test.N, month.change.median) == (4, 4, -2.5)


def test_unchanged_pairs_are_counted_as_zero_differences(result):
    assert result.at(6).zero_differences == 1  # C: 0 -> 0; E has no M0 dose, F no M6 visit


def test_baseline_month_has_no_change_or_stop(result):
    at_m0 = result.at(0)
    assert (at_m0.stopped, at_m0.change, at_m0.test, at_m0.zero_differences) == (None, None, None, None)


def test_thresholds_are_a_setting():
    result = steroids(_cohort(DOSES), settings=Settings(cs_thresholds=(10.0,)))
    assert [(t, p.n) for t, p in result.at(0).at_or_under] == [(10.0, 4)]


def test_drug_is_converted_to_prednisone_equivalents():
    result = steroids(_cohort({"A": (8.0, 4.0)}, {"A": "Medrol"}))
    assert (result.at(0).dose.median, result.at(6).dose.median) == (10.0, 5.0)


def test_unknown_drug_leaves_the_dose_unknown_and_is_named():
    result = steroids(_cohort({"A": (8.0, 4.0), "B": (5.0, 5.0)}, {"A": "Mystery"}))
    assert (result.at(0).known, result.unknown_drugs, result.notes[-1]) == (
        1, ("Mystery",), "unknown corticosteroid drug, dose left unknown: Mystery")


def test_doses_frame_pairs_each_month_with_m0(result):
    row = result.doses.query("patient_id == 'B' and month == 6").iloc[0]
    assert (row["dose_m0_mg"], row["dose_mg"], bool(row["seen"])) == (7.5, 0.0, True)

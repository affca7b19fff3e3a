"""Steroid panel: on CS among known doses, dose among those on CS, thresholds, stops,
paired change, prednisone equivalents."""
from __future__ import annotations

import pandas as pd
import pytest

from core.cohort import cohort_from_frames
from core.scoring import NOTE_UNKNOWN_DRUG
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


# A on a drug the app does not recognise, B on prednisone; both on corticosteroids.
_UNKNOWN = {"A": (8.0, 4.0), "B": (5.0, 5.0)}


@pytest.fixture(scope="module")
def with_unknown():
    return steroids(_cohort(_UNKNOWN, {"A": "Mystery"}))


def test_unknown_drug_still_counts_as_on_corticosteroids(with_unknown):
    month = with_unknown.at(0)
    assert (month.known, month.on_cs.n) == (2, 2)


def test_unknown_drug_dose_is_left_out_of_the_dose_summary_and_counted(with_unknown):
    month = with_unknown.at(0)
    assert (month.dose.N, month.dose.median, month.unknown_drug_doses) == (1, 5.0, 1)


def test_unknown_drug_dose_is_left_out_of_the_thresholds(with_unknown):
    assert [(p.n, p.N) for _, p in with_unknown.at(0).at_or_under] == [(1, 1), (1, 1)]


def test_unknown_drug_dose_is_left_out_of_the_paired_change(with_unknown):
    month = with_unknown.at(6)
    assert (month.change.N, month.test.N, month.zero_differences) == (1, 1, 1)


def test_unknown_drug_stop_reads_the_recorded_dose():
    result = steroids(_cohort({"A": (8.0, 0.0)}, {"A": "Mystery"}))
    assert result.at(6).stopped.as_count() == {"n": 1, "N": 1, "pct": 100.0}


def test_unknown_drug_is_named_apart_from_the_notes(with_unknown):
    assert (with_unknown.unknown_drugs, with_unknown.unknown_drug_doses, NOTE_UNKNOWN_DRUG in with_unknown.notes) == (
        ("Mystery",), 2, True)


def test_notes_never_quote_a_drug_name(with_unknown):
    notes = (*with_unknown.notes, *(n for m in with_unknown.by_month for n in m.notes))
    assert not any("Mystery" in note for note in notes)


def test_month_with_an_unknown_drug_carries_the_note(with_unknown):
    assert NOTE_UNKNOWN_DRUG in with_unknown.at(0).notes


def test_month_without_an_unknown_drug_has_no_such_note():
    assert NOTE_UNKNOWN_DRUG not in steroids(_cohort({"A": (8.0, 4.0)}, {"A": "Cortancyl 5mg"})).at(0).notes


@pytest.mark.parametrize("drug", ["Cortancyl 5mg", "Prednisolone (Solupred)", "PREDNISONE"])
def test_known_drug_written_in_a_longer_cell_is_converted(drug):
    result = steroids(_cohort({"A": (8.0, 4.0)}, {"A": drug}))
    assert (result.at(0).dose.median, result.unknown_drugs) == (8.0, ())


def test_doses_frame_pairs_each_month_with_m0(result):
    row = result.doses.query("patient_id == 'B' and month == 6").iloc[0]
    assert (row["dose_m0_mg"], row["dose_mg"], bool(row["seen"])) == (7.5, 0.0, True)

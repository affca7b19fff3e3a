"""Response panel: recorded beats scored, involvement, counts, CIs, transitions."""
from __future__ import annotations

import pandas as pd
import pytest

from core.cohort import cohort_from_frames
from core.response import response
from core.settings import Settings


def _cohort(patients: list[dict], visits: list[dict]):
    base = {"sex": "F", "age": 40.0, "acr_eular_2019": True}
    frames = {"patients": pd.DataFrame([base | p for p in patients]), "visits": pd.DataFrame(visits), "events": None}
    return cohort_from_frames(frames)


def _skin(pid: str, month: int, lesions, recorded=None, new=None) -> dict:
    return {"patient_id": pid, "month": month, "active_skin_lesions": lesions,
            "cutaneous_response": recorded, "new_skin_lesions": new}


# A: scored CR at M3, recorded NR at M6; B: recorded PR at M3 (scores CR: discordant),
# not seen at M6; C: not involved (cutaneous false) though it has lesions; D: unknown
# involvement; E: seen at M3 with nothing to score.
PATIENTS = [
    {"patient_id": "A", "cutaneous": True, "articular": False},
    {"patient_id": "B", "cutaneous": True, "articular": False},
    {"patient_id": "C", "cutaneous": False, "articular": True},
    {"patient_id": "D", "cutaneous": None, "articular": True},
    {"patient_id": "E", "cutaneous": True, "articular": False},
]
VISITS = [
    _skin("A", 0, 4), _skin("A", 3, 0), _skin("A", 6, 5, recorded="NR"),
    _skin("B", 0, 3), _skin("B", 3, 0, recorded="PR"),
    _skin("C", 0, 3), _skin("C", 3, 0, recorded="CR"),
    _skin("D", 0, 3), _skin("D", 3, 0, recorded="CR"),
    _skin("E", 0, None), _skin("E", 3, None),
]


@pytest.fixture(scope="module")
def result():
    return response(_cohort(PATIENTS, VISITS))


def test_counts_only_patients_involved_at_m0(result):
    assert result.get("cutaneous", 3).counts() == {"CR": 1, "PR": 1, "NR": 0, "N": 2}


def test_recorded_response_beats_the_scored_one(result):
    assert result.get("cutaneous", 3).pr.n == 1  # B recorded PR, scores CR


def test_disagreement_is_listed(result):
    assert result.discordant.values.tolist() == [["B", "cutaneous", 3, "PR", "CR"]]


def test_disagreements_are_listed_in_natural_patient_order():
    ids = ["P10", "P2", "P1"]
    patients = [{"patient_id": i, "cutaneous": True, "articular": False} for i in ids]
    visits = [v for i in ids for v in (_skin(i, 0, 3), _skin(i, 3, 0, recorded="PR"), _skin(i, 6, 0, recorded="NR"))]
    listed = response(_cohort(patients, visits)).discordant
    assert list(zip(listed["patient_id"], listed["month"])) == [("P1", 3), ("P1", 6), ("P2", 3), ("P2", 6),
                                                                 ("P10", 3), ("P10", 6)]


def test_seen_without_components_is_unknown_not_counted(result):
    month = result.get("cutaneous", 3)
    assert (month.involved, month.seen, month.N, month.unknown, month.scored) == (3, 3, 2, 1, 1)


def test_overall_response_is_cr_plus_pr_with_wilson_ci(result):
    overall = result.get("cutaneous", 3).overall
    assert (overall.n, overall.N, overall.pct, overall.ci_low, overall.ci_high) == (2, 2, 100.0, 34.2, 100.0)


def test_transitions_between_months_include_missing(result):
    frame = result.transitions[result.transitions["domain"] == "cutaneous"]
    pairs = {(r.from_response, r.to_response): r.patients for r in frame.itertuples()}
    assert pairs == {("CR", "NR"): 1, ("PR", "missing"): 1, ("missing", "missing"): 1}


def test_counts_frame_is_tidy_per_domain_month_category(result):
    row = result.counts.query("domain == 'cutaneous' and month == 6 and category == 'NR'").iloc[0]
    assert (row["n"], row["N"], row["pct"]) == (1, 1, 100.0)


def test_articular_response_is_scored_from_components():
    patients = [{"patient_id": "A", "cutaneous": False, "articular": True}]
    visits = [{"patient_id": "A", "month": 0, "painful_joints": 6, "swollen_joints": 2, "joint_flares": 3},
              {"patient_id": "A", "month": 3, "painful_joints": 6, "swollen_joints": 2, "joint_flares": 1}]
    assert response(_cohort(patients, visits)).get("articular", 3).counts() == {"CR": 0, "PR": 1, "NR": 0, "N": 1}


def test_months_beyond_m6_are_reported():
    patients = [{"patient_id": "A", "cutaneous": True, "articular": False}]
    visits = [_skin("A", 0, 4), _skin("A", 12, 0)]
    result = response(_cohort(patients, visits))
    assert (result.months, result.get("cutaneous", 12).cr.n) == ((3, 6, 12), 1)


def test_response_months_setting_selects_the_months():
    patients = [{"patient_id": "A", "cutaneous": True, "articular": False}]
    result = response(_cohort(patients, [_skin("A", 0, 4)]), settings=Settings(response_months=(1,)))
    assert result.months == (1,)


def test_small_domain_carries_a_note(result):
    assert "n < 5: interpret with care" in result.get("cutaneous", 3).notes

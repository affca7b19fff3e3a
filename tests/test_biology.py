"""Biology panel: IFN status and score shift, anti-dsDNA, complement, McNemar."""
from __future__ import annotations

import pytest

from core.biology import biology
from core.settings import Settings
from tests.helpers import STATUS_CHANGE, STATUS_VISITS
from tests.helpers import small_cohort as _cohort


def _v(pid, month, **values) -> dict:
    return {"patient_id": pid, "month": month} | values


# IFN scores: A down, B up (exactly +10 % is stable: B is +20 %), C stable (exactly -10 %),
# D not seen at M6 (unknown). Signatures: A, B, C positive, D missing.
IFN_VISITS = [
    _v("A", 0, ifn_signature="positive", ifn_score=20.0), _v("A", 6, ifn_score=5.0, ifn_signature="negative"),
    _v("B", 0, ifn_signature="positive", ifn_score=10.0), _v("B", 6, ifn_score=12.0, ifn_signature="positive"),
    _v("C", 0, ifn_signature="positive", ifn_score=10.0), _v("C", 6, ifn_score=9.0, ifn_signature="negative"),
    _v("D", 0, ifn_score=4.0),
]


def test_ifn_positive_at_m0_among_known():
    assert biology(_cohort(IFN_VISITS)).ifn.status_m0.as_count() == {"n": 3, "N": 3, "pct": 100.0}


def test_ifn_score_shift_puts_every_patient_in_one_bucket():
    assert biology(_cohort(IFN_VISITS)).ifn.shift_at(6).as_dict() == {"down": 1, "up": 1, "stable": 1, "unknown": 1}


def test_ifn_signature_paired_change_with_mcnemar():
    change = biology(_cohort(IFN_VISITS)).ifn.change_at(6)
    assert (change.paired, change.resolved.n, change.appeared.n, change.test.p_value) == (3, 2, 0, 0.5)


# anti-dsDNA: A elevated (value), B elevated (recorded flag, value low), C not elevated
# (exactly 10), D unknown. Shift among A and B only.
DSDNA_VISITS = [
    _v("A", 0, anti_dsdna=40.0), _v("A", 3, anti_dsdna=8.0),
    _v("B", 0, anti_dsdna=5.0, anti_dsdna_elevated=True), _v("B", 3, anti_dsdna=5.4),
    _v("C", 0, anti_dsdna=10.0), _v("C", 3, anti_dsdna=30.0),
    _v("D", 0),
]


def test_anti_dsdna_elevated_uses_flag_then_threshold():
    assert biology(_cohort(DSDNA_VISITS)).anti_dsdna.status_m0.as_count() == {"n": 2, "N": 3, "pct": 66.7}


def test_anti_dsdna_shift_counts_only_the_elevated_at_m0():
    shift = biology(_cohort(DSDNA_VISITS)).anti_dsdna.shift_at(3)
    assert (shift.N, shift.as_dict()) == (2, {"down": 1, "up": 0, "stable": 1, "unknown": 0})


def test_anti_dsdna_threshold_is_a_setting():
    result = biology(_cohort(DSDNA_VISITS), settings=Settings(anti_dsdna_threshold=4.0))
    assert result.anti_dsdna.status_m0.n == 3


# Complement: A activated (C3 low) then normal; B activated (C4 low) then unknown;
# C normal; D unknown.
COMPLEMENT_VISITS = [
    _v("A", 0, c3=0.7, c4=0.2), _v("A", 6, c3=1.0, c4=0.2),
    _v("B", 0, c4=0.05), _v("B", 6),
    _v("C", 0, c3=1.1), _v("C", 6, c3=1.2),
    _v("D", 0),
]


def test_complement_activated_at_m0_among_known():
    assert biology(_cohort(COMPLEMENT_VISITS)).complement.status_m0.as_count() == {"n": 2, "N": 3, "pct": 66.7}


def test_complement_normalised_is_out_of_the_activated_known_at_the_month():
    # B, activated at M0 with no complement value at M6, is in neither count.
    normalised = biology(_cohort(COMPLEMENT_VISITS)).complement.change_at(6).resolved
    assert (normalised.n, normalised.N) == (1, 1)


@pytest.mark.parametrize("marker", ["ifn", "anti_dsdna", "complement"])
@pytest.mark.parametrize("month", [3, 6])
def test_status_change_counts_only_patients_known_at_m0_and_at_the_month(marker, month):
    change = getattr(biology(_cohort(STATUS_VISITS)), marker).change_at(month)
    assert change.as_dict() == STATUS_CHANGE[marker][f"M{month}"]


def test_positive_at_m0_with_no_status_at_the_month_leaves_empty_denominators():
    # A and B are IFN positive at M0; A's M3 visit has no signature, B has no M3 visit.
    change = biology(_cohort(STATUS_VISITS)).ifn.change_at(3)
    assert (change.paired, change.resolved.N, change.resolved.pct, change.appeared.N) == (0, 0, None, 0)


@pytest.mark.parametrize("marker", ["ifn", "anti_dsdna", "complement"])
def test_mcnemar_is_on_the_paired_resolved_and_appeared(marker):
    change = getattr(biology(_cohort(STATUS_VISITS)), marker).change_at(6)
    assert change.test.N == change.resolved.n + change.appeared.n


def test_pairs_frame_has_one_row_per_patient_and_follow_up_month():
    pairs = biology(_cohort(IFN_VISITS)).ifn.pairs
    assert (len(pairs), sorted(pairs["month"].unique())) == (8, [3, 6])


@pytest.mark.parametrize("marker", ["ifn", "anti_dsdna", "complement"])
def test_no_visits_gives_no_data_not_an_error(marker):
    result = getattr(biology(_cohort([])), marker)
    assert (result.status_m0.N, "no data" in result.notes) == (0, True)

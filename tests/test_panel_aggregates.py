"""The panels' SQL aggregates agree with their own per-patient rows, counted again in
pandas, on a synthetic registry of a few hundred patients with every kind of gap
(missing cells, patients not seen, unknown drugs, subgroups)."""
from __future__ import annotations

import pandas as pd
import pytest

from benchmarks.registry_data import registry_frames
from core.biology import SHIFTS, biology
from core.cohort import cohort_from_frames
from core.filters import Band, Filter
from core.response import CATEGORIES, response
from core.stats import summarise_continuous
from core.steroids import steroids

SUBGROUPS = [None, Filter(sex=("F",)), Filter(age=Band(low=30, high=60)), Filter(hcq=True)]


@pytest.fixture(scope="module")
def cohort():
    frames = registry_frames(400, seed=7)
    # A drug the app does not know, so that doses are left out somewhere.
    frames["visits"].loc[frames["visits"].index[::37], "cs_drug"] = "Kenacort retard"
    return cohort_from_frames(frames)


@pytest.mark.parametrize("flt", SUBGROUPS)
def test_response_counts_are_those_of_the_patient_rows(cohort, flt):
    result = response(cohort, flt)
    rows = result.patients
    for r in result.results:
        at = rows[(rows["domain"] == r.domain) & (rows["month"] == r.month)]
        counts = at["response"].value_counts()
        assert (r.involved, r.seen) == (len(at), int(at["seen"].sum()))
        assert [getattr(r, c.lower()).n for c in CATEGORIES] == [int(counts.get(c, 0)) for c in CATEGORIES]
        assert r.scored == int((at["source"] == "scored").sum())
        assert r.unknown == int((at["seen"] & at["response"].isna()).sum())


@pytest.mark.parametrize("flt", SUBGROUPS)
def test_response_transitions_are_those_of_the_patient_rows(cohort, flt):
    result = response(cohort, flt)
    wide = result.patients.pivot(index=["domain", "patient_id"], columns="month", values="response")
    expected = []
    for start, end in zip(result.months, result.months[1:]):
        pairs = pd.DataFrame({"domain": wide.index.get_level_values("domain"),
                              "from_response": wide[start].astype(object).fillna("missing").to_numpy(),
                              "to_response": wide[end].astype(object).fillna("missing").to_numpy()})
        for (domain, a, b), n in pairs.groupby(["domain", "from_response", "to_response"]).size().items():
            expected.append((domain, start, end, a, b, n))
    got = result.transitions[["domain", "from_month", "to_month", "from_response", "to_response", "patients"]]
    assert sorted(map(tuple, got.values.tolist())) == sorted(expected)


@pytest.mark.parametrize("flt", SUBGROUPS)
def test_biology_counts_are_those_of_the_pairs(cohort, flt):
    result = biology(cohort, flt)
    for marker in (result.ifn, result.anti_dsdna, result.complement):
        pairs = marker.pairs
        for change in marker.changes:
            at = pairs[pairs["month"] == change.month]
            known = at["status_m0"].notna() & at["status"].notna()
            before, after = at.loc[known, "status_m0"].astype(bool), at.loc[known, "status"].astype(bool)
            assert (change.paired, change.positive_m0) == (int(known.sum()), int(before.sum()))
            resolved, appeared = int((before & ~after).sum()), int((~before & after).sum())
            assert (change.resolved.n, change.appeared.n) == (resolved, appeared)
        for shift in marker.shifts:
            at = pairs[pairs["month"] == shift.month]
            if marker.name == "anti_dsdna":  # among the elevated at M0
                at = at[at["status_m0"].fillna(False).astype(bool)]
            counts = at["shift"].value_counts()
            assert shift.as_dict() == {k: int(counts.get(k, 0)) for k in SHIFTS}


@pytest.mark.parametrize("flt", SUBGROUPS)
def test_steroid_summaries_are_those_of_the_dose_rows(cohort, flt):
    result = steroids(cohort, flt)
    doses = result.doses
    assert result.patients_with_doses == doses.loc[doses["dose_mg"].notna(), "patient_id"].nunique()
    for month in result.by_month:
        at = doses[doses["month"] == month.month]
        on = (at["recorded_mg"] > 0).fillna(False)
        assert (month.known, month.on_cs.n) == (int(at["recorded_mg"].notna().sum()), int(on.sum()))
        assert month.dose == summarise_continuous(at.loc[on.to_numpy(dtype=bool), "dose_mg"])
        assert month.unknown_drug_doses == int(at["unknown_drug"].sum())


def test_the_registry_has_unknown_drugs_and_unseen_patients(cohort):
    # What the checks above rely on to mean anything.
    result = steroids(cohort)
    assert result.unknown_drugs == ("Kenacort retard",) and result.unknown_drug_doses > 0
    assert not response(cohort).patients["seen"].all()

"""Populations: inclusion rules, exclusions with reasons, flags, follow-up, baseline."""
from __future__ import annotations

import pandas as pd
import pytest

from core.cohort import cohort_from_frames
from core.populations import PopulationCounts, baseline, population_counts, populations
from core.scoring import NOTE_UNKNOWN_DRUG
from core.settings import Settings


def _cohort(patients: list[dict], visits: list[dict] | None = None):
    frames = {"patients": pd.DataFrame(patients), "visits": pd.DataFrame(visits) if visits else None, "events": None}
    return cohort_from_frames(frames)


def _patient(**values) -> dict:
    return {"patient_id": "A", "sex": "F", "age": 40.0, "acr_eular_2019": True, "cutaneous": True,
            "articular": False} | values


@pytest.mark.parametrize(
    ("values", "reasons"),
    [
        ({}, None),
        ({"age": 17.9}, ("age_under_min",)),
        ({"age": 18.0}, None),  # 18 is adult
        ({"age": None}, None),  # a missing age is not a reason
        ({"acr_eular_2019": False}, ("criteria_not_met",)),
        ({"acr_eular_2019": None}, None),  # a missing criterion is not a reason
        ({"cutaneous": False, "articular": True}, None),
        ({"cutaneous": None, "articular": True}, None),
        ({"cutaneous": False, "articular": False}, ("no_involvement",)),  # both recorded false
        ({"cutaneous": False, "articular": None}, None),  # a missing involvement is not a reason
        ({"cutaneous": None, "articular": None}, None),
        ({"age": 16.0, "acr_eular_2019": False}, ("age_under_min", "criteria_not_met")),
    ],
)
def test_inclusion_rule(values, reasons):
    result = populations(_cohort([_patient(**values)]))
    assert (result.analysed, tuple(r.split() for r in result.exclusions["reasons"])) == (
        (1, ()) if reasons is None else (0, (list(reasons),)))


def test_exclusion_reason_is_worded_with_the_age_setting():
    result = populations(_cohort([_patient(age=19.0)]), settings=Settings(min_age=21))
    assert result.exclusions["reason"].tolist() == ["age under 21"]


@pytest.mark.parametrize(("values", "codes"), [
    ({"age": None}, ["age_missing"]),
    ({"acr_eular_2019": None}, ["criteria_missing"]),
    ({"cutaneous": False, "articular": None}, ["involvement_missing"]),
    ({"cutaneous": None, "articular": False}, ["involvement_missing"]),
    ({"cutaneous": None, "articular": None}, ["involvement_missing"]),
    ({"cutaneous": None, "articular": True}, []),  # involved: the missing one changes nothing
    ({"cutaneous": False, "articular": False}, []),  # excluded, nothing missing
])
def test_missing_inclusion_value_is_flagged(values, codes):
    assert populations(_cohort([_patient(**values)])).flags["code"].tolist() == codes


def test_upload_without_involvement_columns_keeps_every_patient():
    patients = [{"patient_id": p, "sex": "F", "age": 40.0} for p in ("A", "B")]
    result = populations(_cohort(patients))
    flagged = result.flags.loc[result.flags["code"] == "involvement_missing", "patient_id"].tolist()
    assert (result.analysed, flagged) == (2, ["A", "B"])


def test_followup_counts_analysed_patients_with_a_visit_row_each_month():
    patients = [_patient(patient_id="A"), _patient(patient_id="B"), _patient(patient_id="X", age=12.0)]
    visits = [{"patient_id": p, "month": m} for p, m in
              [("A", 0), ("A", 3), ("A", 12), ("B", 0), ("X", 0), ("X", 3)]]
    result = populations(_cohort(patients, visits))
    assert (result.treated, result.analysed, result.followup) == (3, 2, {0: 2, 3: 1, 6: 0, 12: 1})


def test_flow_frame_lists_treated_analysed_then_each_month():
    result = populations(_cohort([_patient()], [{"patient_id": "A", "month": 0}]))
    assert list(result.flow["patients"]) == [1, 1, 1, 0, 0]


def test_small_population_carries_a_note():
    assert "n < 5: interpret with care" in populations(_cohort([_patient()])).notes


def test_baseline_converts_the_m0_dose_to_prednisone_equivalents():
    visits = [{"patient_id": "A", "month": 0, "cs_dose_mg": 8.0, "cs_drug": "methylprednisolone"}]
    result = baseline(_cohort([_patient()], visits))
    assert result.table.row("cs_dose_mg").overall.median == pytest.approx(10.0)


def test_baseline_counts_an_unknown_drug_as_on_corticosteroids():
    visits = [{"patient_id": "A", "month": 0, "cs_dose_mg": 8.0, "cs_drug": "Mystery"}]
    result = baseline(_cohort([_patient()], visits))
    assert result.table.row("corticosteroids").overall.as_count() == {"n": 1, "N": 1, "pct": 100.0}


def test_baseline_leaves_an_unknown_drug_dose_out_of_the_dose_row():
    visits = [{"patient_id": "A", "month": 0, "cs_dose_mg": 8.0, "cs_drug": "Mystery"},
              {"patient_id": "B", "month": 0, "cs_dose_mg": 8.0, "cs_drug": "Médrol"}]
    result = baseline(_cohort([_patient(patient_id="A"), _patient(patient_id="B")], visits))
    row = result.table.row("cs_dose_mg")
    assert (row.overall.N, row.overall.median, row.missing) == (1, pytest.approx(10.0), 1)


def test_baseline_names_unknown_drugs_apart_from_its_notes():
    visits = [{"patient_id": "A", "month": 0, "cs_dose_mg": 8.0, "cs_drug": "Mystery"}]
    result = baseline(_cohort([_patient()], visits))
    assert (result.unknown_drugs, result.unknown_drug_doses, NOTE_UNKNOWN_DRUG in result.notes) == (
        ("Mystery",), 1, True)


def test_baseline_notes_never_quote_a_drug_name():
    visits = [{"patient_id": "A", "month": 0, "cs_dose_mg": 8.0, "cs_drug": "Mystery"}]
    assert not any("Mystery" in note for note in baseline(_cohort([_patient()], visits)).notes)


def test_baseline_recognises_a_known_drug_written_as_a_word_of_the_cell():
    visits = [{"patient_id": "A", "month": 0, "cs_dose_mg": 5.0, "cs_drug": "Cortancyl 5mg"}]
    result = baseline(_cohort([_patient()], visits))
    assert (result.unknown_drugs, result.table.row("cs_dose_mg").overall.median) == ((), 5.0)


def test_baseline_is_over_analysed_patients_only():
    patients = [_patient(patient_id="A"), _patient(patient_id="B", sex="M", acr_eular_2019=False)]
    assert baseline(_cohort(patients)).table.row("female").overall.as_count() == {"n": 1, "N": 1, "pct": 100.0}


def test_baseline_keeps_extra_columns_for_grouping():
    patients = [_patient(patient_id="A", arm="x"), _patient(patient_id="B", arm="y")]
    result = baseline(_cohort(patients), group="arm")
    assert result.table.groups == ("x", "y")


def test_demo_cohort_keeps_22_analysed_patients():
    from core.demo import load_demo

    result = populations(load_demo("fr").cohort)
    assert (result.treated, result.analysed, result.flags.empty) == (23, 22, True)


@pytest.mark.parametrize("subgroup", [None, {"sex": ("F",)}, {"hcq": True}, {"corticosteroids": False},
                                      {"age": ("band", 30, 50)}, {"cutaneous": False}, {"sex": ("M",), "hcq": False}])
def test_population_counts_are_the_populations_counts(subgroup):
    """The sidebar's two numbers (``population_counts``, which ``populations`` reads too)
    agree with the panel's lists, from other queries: the treated are the analysed and
    the excluded, and the analysed are followed at M0 (every demo patient has an M0
    visit); subgroup by subgroup and with another minimum age (a reason for exclusion)."""
    from core.demo import load_demo
    from core.filters import Band, Filter

    cohort = load_demo("fr").cohort
    if subgroup is None:
        flt = None
    else:
        values = dict(subgroup)
        if "age" in values:
            _, low, high = values["age"]
            values["age"] = Band(low=low, high=high)
        flt = Filter(**values)
    for settings in (Settings(), Settings(min_age=40)):
        whole = populations(cohort, flt, settings)
        counts = population_counts(cohort, flt, settings)
        assert counts == PopulationCounts(counts.analysed + len(whole.exclusions), whole.followup[0])
    assert population_counts(cohort) == PopulationCounts(23, 22)  # the poster's N
    cohort.close()

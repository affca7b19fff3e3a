"""Subgroup filters: parsing, resolution against a cohort, options, and properties."""
from __future__ import annotations

import pandas as pd
import pytest

from core.cohort import cohort_from_frames
from core.filters import Band, Filter, FilterError, filter_options, parse_filters, resolve_filter
from core.summary import build_summary

# Six treated patients; F is excluded (ACR/EULAR false). Hand-checkable subgroups:
# women A, B, D, F; men C, E. Lille A, B, C; Boulogne D, E, F.
PATIENTS = pd.DataFrame({
    "patient_id": ["A", "B", "C", "D", "E", "F"],
    "centre": ["CHU Lille", "CHU Lille", "CHU Lille", "CH Boulogne", "CH Boulogne", "CH Boulogne"],
    "sex": ["F", "F", "M", "F", "M", "F"],
    "age": [25.0, 49.5, 50.0, 61.0, None, 40.0],
    "prior_lines": [0, 2, 4, 1, 3, 2],
    "cutaneous": [True, True, False, True, None, True],
    "articular": [False, True, True, None, True, False],
    "acr_eular_2019": [True, True, True, True, True, False],
    "phenotype": ["a", "b", "a", "b", None, "a"],
})
VISITS = pd.DataFrame({
    "patient_id": ["A", "A", "B", "B", "C", "D", "E", "E", "F"],
    "month": [0, 3, 0, 3, 0, 0, 0, 6, 0],
    "cs_dose_mg": [5.0, 0.0, 0.0, 0.0, 10.0, None, 7.5, 5.0, 20.0],
    "hcq": [True, True, False, False, True, None, True, True, False],
    "ifn_signature": ["positive", None, "negative", None, "positive", "positive", None, None, "positive"],
    "active_skin_lesions": [4, 0, 3, 2, None, 5, None, None, 2],
    "painful_joints": [None, None, 6, 3, 2, None, 4, 4, None],
})
EVENTS = pd.DataFrame({
    "patient_id": ["A", "C", "C", "E"],
    "month": [1.0, 2.0, 5.0, 4.0],
    "type": ["infection", "infection", "visceral", "infection"],
    "description": ["Bronchite", "COVID-19", "Péricardite", "Zona"],
    "severe": [False, True, None, False],
    "vzv": [False, False, None, True],
})


def _cohort(patients=PATIENTS, visits=VISITS, events=EVENTS):
    return cohort_from_frames({"patients": patients, "visits": visits, "events": events})


def _summary(cohort, *expressions):
    document = build_summary(cohort, parse_filters(list(expressions)))
    document.pop("details")
    return document


@pytest.mark.parametrize(
    ("expressions", "expected"),
    [
        (["centre=Lille"], Filter(centre=("Lille",))),
        (["sex=f"], Filter(sex=("F",))),
        (["sexe=H,F"], Filter(sex=("M", "F"))),
        (["hcq=oui"], Filter(hcq=True)),
        (["cs=false"], Filter(corticosteroids=False)),
        (["cutaneous=yes", "articular=0"], Filter(cutaneous=True, articular=False)),
        (["ifn=positif"], Filter(ifn=("positive",))),
        (["ifn=+,-"], Filter(ifn=("positive", "negative"))),
        (["prior_lines>=2"], Filter(prior_lines=Band(low=2))),
        (["age<50"], Filter(age=Band(high=50, high_inclusive=False))),
        (["age>=18", "age<=65"], Filter(age=Band(low=18, high=65))),
        (["age=45"], Filter(age=Band(low=45, high=45))),
        (["age>30,5"], Filter(age=Band(low=30.5, low_inclusive=False))),
        (["Phenotype = a,b"], Filter(extra=(("phenotype", ("a", "b")),))),
        ([], Filter()),
    ],
)
def test_parse_filters(expressions, expected):
    assert parse_filters(expressions) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("sex", "write KEY=VALUE"),
        ("sex=", "write KEY=VALUE"),
        ("sex=X", "F or M"),
        ("hcq=maybe", "true or false"),
        ("age<abc", "not a number"),
        ("sex>=F", "takes '='"),
        ("ifn=weak", "positive or negative"),
        ("centre=,", "no value; write centre=VALUE"),
        ("centre= , ,", "no value; write centre=VALUE"),
        ("sex=,", "no value; write sex=VALUE"),
        ("phenotype=,", "no value; write phenotype=VALUE"),
    ],
)
def test_parse_filters_rejects_with_a_message(expression, message):
    with pytest.raises(FilterError, match=message):
        parse_filters([expression])


def test_a_key_given_twice_is_an_error():
    with pytest.raises(FilterError, match="given twice"):
        parse_filters(["sex=F", "sex=M"])


def test_describe_reads_back_as_the_same_filter():
    flt = parse_filters(["centre=Lille", "sex=F", "age>=18", "age<50", "hcq=true", "phenotype=a"])
    assert parse_filters(flt.describe().split("; ")) == flt


@pytest.mark.parametrize(("value", "expected"), [
    ("Lille", ("CHU Lille",)), ("chu lille", ("CHU Lille",)), ("CH", ("CH Boulogne",)),
])
def test_centre_value_resolves_to_stored_centre(value, expected):
    assert resolve_filter(_cohort(), Filter(centre=(value,))).centre == expected


def test_each_panel_resolves_its_filter_without_reading_the_cohorts_values_again(monkeypatch):
    """Every panel resolves the subgroup's centres and extra values against the cohort:
    what the cohort holds is read once (its tables never change)."""
    from core import queries

    read = []
    for name in ("distinct_values_query", "extra_levels_query"):
        query = getattr(queries, name)

        def counted(*args, _query=query, _name=name, **kwargs):
            read.append(_name)
            return _query(*args, **kwargs)

        monkeypatch.setattr(queries, name, counted)
    cohort = _cohort()
    flt = parse_filters(["centre=Lille", "phenotype=a"])
    resolved = [resolve_filter(cohort, flt) for _ in range(3)]
    assert resolved[0] == resolved[2] == Filter(centre=("CHU Lille",), extra=(("phenotype", ("a",)),))
    assert sorted(read) == ["distinct_values_query", "extra_levels_query"]


def test_unknown_centre_lists_the_centres_present():
    with pytest.raises(FilterError, match="CH Boulogne, CHU Lille"):
        resolve_filter(_cohort(), Filter(centre=("Paris",)))


def test_unknown_extra_column_is_an_error():
    with pytest.raises(FilterError, match="unknown filter key 'genotype'"):
        resolve_filter(_cohort(), parse_filters(["genotype=a"]))


def test_filter_options_lists_what_the_cohort_holds():
    shared = PATIENTS.assign(code=["x", "x", "y", "y", "z", "z"])
    options = filter_options(_cohort(patients=shared))
    assert (options.centres, options.sexes, options.age_range, options.prior_lines_range, options.ifn) == (
        ("CH Boulogne", "CHU Lille"), ("F", "M"), (25.0, 61.0), (0, 4), ("negative", "positive"))
    assert options.extra == (("phenotype", ("a", "b")), ("code", ("x", "y", "z")))


def _extra_options(values: list) -> tuple:
    patients = pd.DataFrame({"patient_id": [f"P{i:02d}" for i in range(len(values))], "sex": "F", "age": 30.0,
                             "column": values})
    return filter_options(_cohort(patients=patients, visits=None, events=None)).extra


@pytest.mark.parametrize(
    ("values", "offered"),
    [
        (["a", "a", "b", "b"], True),  # two levels, two patients each
        (["a", "a", "b", "b", None, " "], True),  # blanks are not a level
        ([f"v{i // 2}" for i in range(40)], True),  # 20 levels of two patients: the upper bound
        ([f"v{i // 2}" for i in range(42)], False),  # 21 levels
        (["a", "a", "a", "a"], False),  # one level splits nobody
        (["a", "a", "b", "b", "c"], False),  # "c" would single out a patient
        (["Martin", "Durand", "Petit"], False),  # names on a small upload
        ([880123, 880456, 880789], False),  # record numbers
        ([None, None, None], False),
    ],
)
def test_extra_column_is_offered_only_when_no_value_singles_out_a_patient(values, offered):
    assert bool(_extra_options(values)) is offered


def test_extra_column_offered_lists_its_sorted_values():
    assert _extra_options(["b", "a", "b", "a"]) == (("column", ("a", "b")),)


def test_identifying_extra_column_is_refused_as_a_filter():
    patients = PATIENTS.assign(nom=["Martin", "Durand", "Petit", "Moreau", "Simon", "Roux"])
    with pytest.raises(FilterError, match="'nom' cannot be a filter"):
        resolve_filter(_cohort(patients=patients), parse_filters(["nom=Martin"]))


def test_unknown_extra_column_lists_only_the_usable_ones():
    patients = PATIENTS.assign(nom=["Martin", "Durand", "Petit", "Moreau", "Simon", "Roux"])
    with pytest.raises(FilterError, match=r"ifn, phenotype$"):
        resolve_filter(_cohort(patients=patients), parse_filters(["genotype=a"]))


@pytest.mark.parametrize(
    ("expressions", "treated", "analysed"),
    [
        (["sex=F"], 4, 3),  # A, B, D, F (F excluded)
        (["centre=Boulogne"], 3, 2),  # D, E, F
        (["age<50"], 3, 2),  # A, B, F; E (age missing) is outside every band
        (["age>=50"], 2, 2),  # C, D
        (["prior_lines>=2"], 4, 3),  # B, C, E, F
        (["hcq=true"], 3, 3),  # on the M0 visit: A, C, E
        (["cs=true"], 4, 3),  # M0 dose > 0: A, C, E, F (F excluded)
        (["cs=false"], 1, 1),  # B (D's dose is unknown: in neither)
        (["ifn=positive"], 4, 3),  # A, C, D, F
        (["cutaneous=true"], 4, 3),
        (["phenotype=b"], 2, 2),
    ],
)
def test_filter_restricts_both_populations(expressions, treated, analysed):
    pops = _summary(_cohort(), *expressions)["populations"]
    assert (pops["treated"], pops["analysed"]) == (treated, analysed)


def test_no_filter_equals_a_filter_that_keeps_everyone():
    cohort = _cohort()
    # Every patient has a sex, prior lines and a centre (E has no age: an age band would drop E).
    assert _summary(cohort) == _summary(cohort, "sex=F,M", "prior_lines>=0", "centre=Lille,Boulogne")


def _counts(document: dict) -> list[int]:
    """Every additive count of a summary: populations, follow-up, responses, safety."""
    counts = [document["populations"]["treated"], document["populations"]["analysed"],
              *document["followup"].values(), document["safety"]["infection"]["n"],
              document["safety"]["vzv"]["n"], len(document["safety"]["visceral_events"])]
    for domain in document["response"].values():
        for month in domain.values():
            counts += list(month.values())
    counts += list(document["ifn_shift_M6"].values())
    return counts


def test_sex_subgroups_add_up_to_the_whole():
    cohort = _cohort()
    whole, women, men = _counts(_summary(cohort)), _counts(_summary(cohort, "sex=F")), _counts(_summary(cohort, "sex=M"))
    assert [w + m for w, m in zip(women, men)] == whole


def test_centre_subgroups_add_up_to_the_whole():
    cohort = _cohort()
    parts = [_counts(_summary(cohort, f"centre={c}")) for c in ("Lille", "Boulogne")]
    assert [a + b for a, b in zip(*parts)] == _counts(_summary(cohort))


def test_row_order_of_the_tables_changes_no_number():
    shuffled = _cohort(PATIENTS.iloc[::-1], VISITS.sample(frac=1, random_state=3), EVENTS.iloc[::-1])
    assert _summary(shuffled, "sex=F") == _summary(_cohort(), "sex=F")


def test_quotes_in_a_value_are_data_not_sql():
    patients = PATIENTS.assign(centre=["O'Brien\"; DROP TABLE patients; --"] * 6)
    cohort = _cohort(patients=patients)
    assert _summary(cohort, "centre=O'Brien\"; DROP TABLE patients; --")["populations"]["treated"] == 6

"""Clinical rules at their boundaries: response per domain, shifts, lab status, doses."""
from __future__ import annotations

import pandas as pd
import pytest

from core.scoring import (
    anti_dsdna_elevated,
    complement_activated,
    drug_name,
    prednisone_equivalent,
    score_articular,
    score_cutaneous,
    shift,
    unknown_drug_dose,
    unknown_drugs,
)

NA = None


def _one(series: pd.Series):
    value = series.iloc[0]
    return None if pd.isna(value) else value


@pytest.mark.parametrize(
    ("active_m0", "active_mk", "new_mk", "expected"),
    [
        (5, 0, False, "CR"),
        (5, 0, NA, "CR"),  # a blank new-lesion flag means none
        (5, 0, True, "NR"),  # a new lesion rules out CR
        (NA, 0, False, "CR"),  # no lesion left needs no M0 count
        (5, 4, False, "PR"),
        (5, 4, True, "NR"),
        (5, 5, False, "NR"),  # no decrease
        (5, 6, False, "NR"),
        (0, 0, False, "CR"),
        (NA, 3, False, None),  # nothing to compare with: unknown
        (5, NA, False, None),  # a missing count never supports a response
        (5, NA, True, "NR"),
        (NA, NA, NA, None),
    ],
)
def test_cutaneous_scoring_rule(active_m0, active_mk, new_mk, expected):
    assert _one(score_cutaneous([active_m0], [active_mk], [new_mk])) == expected


@pytest.mark.parametrize(
    ("painful_m0", "swollen_m0", "flares_m0", "painful", "swollen", "new", "flares", "expected"),
    [
        (4, 2, 3, 0, 0, False, 0, "CR"),
        (4, 2, 3, 0, 0, NA, NA, "CR"),  # blank new flag = none; flares not needed for CR
        (4, 2, 3, 0, 0, True, 0, "PR"),  # a new painful joint rules out CR, not PR
        (4, 2, 3, 0, NA, False, NA, "PR"),  # swollen unknown: no CR, painful decreased
        (4, 2, 3, 3, 2, False, 3, "PR"),  # painful joints decreased
        (4, 2, 3, 4, 1, False, 3, "PR"),  # swollen joints decreased
        (4, 2, 3, 4, 2, False, 2, "PR"),  # fewer flares
        (4, 2, 3, 4, 2, False, 3, "NR"),  # nothing decreased
        (4, 2, 3, 5, 3, True, 4, "NR"),
        (NA, NA, NA, 2, 1, False, 1, None),  # nothing comparable: unknown
        (4, NA, NA, NA, 1, False, NA, None),
        (4, NA, NA, 4, NA, False, NA, "NR"),  # one comparable component, not decreased
        (0, 0, 0, 0, 0, False, 0, "CR"),
    ],
)
def test_articular_scoring_rule(painful_m0, swollen_m0, flares_m0, painful, swollen, new, flares, expected):
    result = score_articular([painful_m0], [swollen_m0], [flares_m0], [painful], [swollen], [new], [flares])
    assert _one(result) == expected


@pytest.mark.parametrize(
    ("m0", "mk", "expected"),
    [
        (10.0, 11.0, "stable"),  # exactly +10 %
        (10.0, 9.0, "stable"),  # exactly -10 %
        (3.3, 3.63, "stable"),  # +10 % that binary floating point puts a hair above
        (20.0, 17.9, "down"),
        (20.0, 22.1, "up"),
        (10.0, 10.0, "stable"),
        (0.0, 0.0, "stable"),  # from 0: stable if still 0
        (0.0, 0.5, "up"),  # from 0: else up
        (0.0, NA, "unknown"),
        (NA, 5.0, "unknown"),
        (5.0, NA, "unknown"),
    ],
)
def test_shift_bucket(m0, mk, expected):
    assert _one(shift([m0], [mk], 0.10)) == expected


def test_shift_tolerance_is_a_setting():
    assert list(shift([10.0, 10.0], [11.5, 12.5], 0.20)) == ["stable", "up"]


@pytest.mark.parametrize(
    ("flag", "value", "expected"),
    [
        (NA, 10.0, False),  # threshold itself is not elevated (> 10)
        (NA, 10.1, True),
        (False, 50.0, False),  # the recorded flag wins over the value
        (True, 2.0, True),
        (NA, NA, None),
    ],
)
def test_anti_dsdna_elevated(flag, value, expected):
    assert _one(anti_dsdna_elevated([flag], [value], 10.0)) == expected


@pytest.mark.parametrize(
    ("low", "c3", "c4", "expected"),
    [
        (NA, 0.89, 0.2, True),
        (NA, 0.9, 0.1, False),  # at the thresholds: not low
        (NA, 1.0, 0.09, True),
        (NA, NA, 0.05, True),  # any known value low
        (NA, 1.0, NA, False),  # one known, none low
        (NA, NA, NA, None),  # both missing: unknown
        (True, 1.2, 0.3, True),  # the recorded flag wins
        (False, 0.5, NA, False),
    ],
)
def test_complement_activated(low, c3, c4, expected):
    assert _one(complement_activated([low], [c3], [c4], 0.9, 0.1)) == expected


@pytest.mark.parametrize(
    ("dose", "drug", "expected"),
    [
        (10.0, NA, 10.0),  # blank drug = prednisone
        (10.0, "", 10.0),
        (10.0, "Prednisolone", 10.0),
        (8.0, "Médrol", 10.0),  # methylprednisolone 4 mg = prednisone 5 mg
        (20.0, "hydrocortisone", 5.0),
        (5.0, "unknownsone", None),  # unknown drug: dose unknown, never prednisone
        (0.0, "unknownsone", 0.0),  # no corticosteroid whatever the name
        (NA, "prednisone", None),
        (5.0, "Cortancyl 5mg", 5.0),  # a known name as a word of a longer cell
        (8.0, "méthylprednisolone", 10.0),
        (5.0, "prednisone + méthylprednisolone", None),  # two drugs: ambiguous, unknown
    ],
)
def test_prednisone_equivalent(dose, drug, expected):
    result = _one(prednisone_equivalent([dose], [drug]))
    assert result == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("prednisone", "prednisone"),
        ("PREDNISONE", "prednisone"),  # case ignored
        ("méthylprednisolone", "methylprednisolone"),  # accents ignored
        ("Cortancyl 5mg", "cortancyl"),  # a word of the cell
        ("Prednisolone (Solupred)", "prednisolone"),  # a drug and its brand: one drug
        ("Solu-Médrol", "solumedrol"),  # two words spelling one name
        ("methyl-prednisolone", "methylprednisolone"),  # not prednisolone
        ("prednisone / prednisolone", None),  # two different drugs: ambiguous
        ("Prednisone puis Medrol", None),
        ("prednisonex", None),  # a name inside a longer word is not the name
        ("Mystery", None),
        ("", None),
    ],
)
def test_drug_name_matches_a_known_name_as_a_word(cell, expected):
    assert drug_name(cell) == expected


@pytest.mark.parametrize(
    ("dose", "drug", "expected"),
    [
        (5.0, "Mystery", True),
        (0.0, "Mystery", False),  # no corticosteroid: nothing left out
        (NA, "Mystery", False),  # unknown dose: not a dose left out for its drug
        (5.0, NA, False),  # blank drug = prednisone
        (5.0, "Cortancyl", False),
    ],
)
def test_unknown_drug_dose(dose, drug, expected):
    assert bool(unknown_drug_dose([dose], [drug]).iloc[0]) is expected


def test_every_brand_has_the_factor_of_its_drug():
    from core.schema import CS_DRUG_FACTORS
    from core.scoring import _BRANDS

    assert all(CS_DRUG_FACTORS[brand] == CS_DRUG_FACTORS[drug] for brand, drug in _BRANDS.items())


def test_unknown_drugs_are_listed_once():
    assert unknown_drugs(["prednisone", "Foo", None, "Foo", "bar"]) == ("Foo", "bar")

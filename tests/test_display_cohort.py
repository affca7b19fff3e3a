"""Display text of the Cohort page (core.display.cohort)."""
from __future__ import annotations

import pandas as pd
import pytest

from core.baseline import baseline_table
from core.display.cohort import exclusions_table, flags_table, m0_tiles, method_label
from core.i18n import NNBSP


def _patients() -> pd.DataFrame:
    """Four analysed patients: 3 women, ages 30/40/50/60, two on 10 and 5 mg."""
    return pd.DataFrame({
        "patient_id": ["P1", "P2", "P3", "P4"], "centre": ["A", "A", "B", "B"], "sex": ["F", "F", "F", "M"],
        "age": [30.0, 40.0, 50.0, 60.0], "disease_duration_years": [1.0, 2.0, 3.0, 4.0],
        "prior_lines": [0, 1, 4, 5], "cutaneous": [True, True, False, True],
        "articular": [False, True, True, None], "ifn_signature_m0": ["positive"] * 4,
        "cs_dose_mg_m0": [10.0, 5.0, 0.0, 0.0], "hcq_m0": [True, False, True, True],
    })


def test_m0_tiles_follow_the_poster_with_n_over_n():
    tiles = {tile.label: (tile.value, tile.detail) for tile in m0_tiles(baseline_table(_patients()), "en")}
    assert tiles["Patients"] == ("4", "analysed")
    assert tiles["Women"] == ("75.0%", "3/4")
    assert tiles["Age, mean (years)"] == ("45.0", "SD 12.9 · N = 4")
    assert tiles["Articular involvement"] == ("66.7%", "2/3")
    assert tiles["≥ 4 prior lines"] == ("50.0%", "2/4")
    assert tiles["CS dose, median (mg/d)"] == ("7.5", "IQR 6.3; 8.8 · N = 2")


def test_m0_tiles_in_french_use_decimal_commas():
    tiles = {tile.label: (tile.value, tile.detail) for tile in m0_tiles(baseline_table(_patients()), "fr")}
    assert tiles["Femmes"] == (f"75,0{NNBSP}%", "3/4")
    assert tiles["Dose de CT médiane (mg/j)"] == ("7,5", "EIQ 6,3\u202f; 8,8 · N = 2")


def test_m0_tiles_of_an_empty_subgroup_show_dashes():
    tiles = {tile.label: tile.value for tile in m0_tiles(baseline_table(_patients().iloc[:0]), "en")}
    assert (tiles["Patients"], tiles["Women"], tiles["Age, mean (years)"]) == ("0", "—", "—")


@pytest.mark.parametrize(
    "method, lang, label",
    [
        ("Fisher's exact test (two-sided)", "fr", "Test exact de Fisher"),
        ("Wilcoxon rank-sum (Mann-Whitney U) test, two-sided, exact distribution", "en", "Mann-Whitney U test"),
        ("Kruskal-Wallis test, chi-squared approximation, tie-corrected", "fr", "Test de Kruskal-Wallis"),
        ("no test", "fr", "pas de test"),
        ("Some new test", "fr", "Some new test"),
    ],
)
def test_method_label_translates_known_tests(method, lang, label):
    assert method_label(method, lang) == label


def test_exclusion_reasons_are_translated_and_joined():
    excluded = pd.DataFrame({"patient_id": ["P9"], "reasons": ["age_under_min criteria_not_met"], "reason": ["…"]})
    table = exclusions_table(excluded, "fr", 18.0)
    assert table.values.tolist() == [["P9", "âge inférieur à 18 ans\u202f; critères ACR/EULAR 2019 non remplis"]]
    english = exclusions_table(excluded, "en", 18.0)
    assert english.values.tolist() == [["P9", "age under 18; ACR/EULAR 2019 criteria not met"]]


def test_exclusions_table_keeps_the_given_order_with_one_reason_each():
    excluded = pd.DataFrame({"patient_id": ["P1", "P2"], "reasons": ["no_involvement", "age_under_min"],
                             "reason": ["…", "…"]})
    table = exclusions_table(excluded, "en", 18.0)
    assert table.values.tolist() == [["P1", "no cutaneous and no articular involvement at M0"],
                                     ["P2", "age under 18"]]


def test_involvement_missing_flag_is_translated():
    flags = pd.DataFrame({"patient_id": ["P4"], "code": ["involvement_missing"], "message": ["…"]})
    assert flags_table(flags, "en").iloc[0, 1] == "cutaneous or articular involvement missing"


def test_flags_are_translated():
    flags = pd.DataFrame({"patient_id": ["P4"], "code": ["age_missing"], "message": ["…"]})
    assert flags_table(flags, "fr").to_dict("list") == {"Patient": ["P4"], "Donnée manquante": ["âge manquant"]}

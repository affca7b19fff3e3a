"""Display text of the Cohort and Response pages (core.panel_display)."""
from __future__ import annotations

import pandas as pd
import pytest

from core.baseline import baseline_table
from core.i18n import NNBSP
from core.panel_display import (
    category_label, ci_text, count_line, discordance_table, exclusions_table, flags_table, m0_tiles, method_label,
    overall_frame, response_table,
)
from core.response import DomainResponse
from core.stats import estimate_proportion


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


@pytest.mark.parametrize(
    "low, high, lang, text",
    [(65.7, 96.7, "en", "[65.7; 96.7]"), (65.7, 96.7, "fr", "[65,7\u202f; 96,7]"), (None, None, "en", ""),
     (float("nan"), 3.0, "en", "")],
)
def test_ci_text(low, high, lang, text):
    assert ci_text(low, high, lang) == text


def _result(domain: str, n: tuple[int, int, int], scored: int = 0) -> DomainResponse:
    total = sum(n)
    cr, pr, nr = (estimate_proportion(k, total) for k in n)
    return DomainResponse(domain, 3, total, total, total, cr, pr, nr, estimate_proportion(n[0] + n[1], total),
                          scored, 0, ())


def test_response_table_writes_counts_and_overall_with_ci():
    table = response_table([_result("cutaneous", (8, 7, 2), scored=1)], "en")
    row = table.iloc[0].to_dict()
    assert row == {"Involvement": "Cutaneous", "Visit": "M3", "N": 17, "CR": "8/17 (47.1%)", "PR": "7/17 (41.2%)",
                   "NR": "2/17 (11.8%)", "CR+PR (95% CI)": "15/17 (88.2%) [65.7; 96.7]", "Scored": 1,
                   "Seen, no response": 0}


def test_response_table_without_patients_shows_zero_over_zero():
    row = response_table([_result("articular", (0, 0, 0))], "fr").iloc[0]
    assert (row["RC"], row["RC+RP (IC 95\u202f%)"]) == ("0/0", "0/0")


def test_overall_frame_has_one_row_per_domain_and_month():
    frame = overall_frame([_result("cutaneous", (1, 1, 2)), _result("articular", (0, 1, 0))])
    assert frame[["domain", "n", "N", "pct"]].values.tolist() == [["cutaneous", 2, 4, 50.0], ["articular", 1, 1, 100.0]]


def test_exclusion_reasons_are_translated_and_joined():
    excluded = pd.DataFrame({"patient_id": ["P9"], "reasons": ["age_under_min criteria_not_met"], "reason": ["…"]})
    table = exclusions_table(excluded, "fr", 18.0)
    assert table.values.tolist() == [["P9", "âge inférieur à 18 ans; critères ACR/EULAR 2019 non remplis"]]


def test_discordances_are_listed_with_translated_categories():
    discordant = pd.DataFrame({"patient_id": ["P7"], "domain": ["cutaneous"], "month": [3], "recorded": ["PR"],
                               "scored": ["CR"]})
    table = discordance_table(discordant, "fr")
    assert table.values.tolist() == [["P7", "Cutanée", "M3", "RP", "RC"]]


@pytest.mark.parametrize("category, label", [("CR", "RC"), ("missing", "Non évalué"), ("odd", "odd")])
def test_category_label_in_french(category, label):
    assert category_label(category, "fr") == label


@pytest.mark.parametrize("n, lang, expected", [(1, "en", "1 patient"), (4812, "en", "4,812 patients"),
                                               (4812, "fr", f"4{NNBSP}812 patients"), (0, "fr", "0 patient"),
                                               (0, "en", "0 patients")])
def test_count_line_groups_digits_per_locale(n, lang, expected):
    assert count_line(n, lang) == expected


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

"""The Steroids page's tiles as text and the factors table (core.display.steroids)."""
from __future__ import annotations

import pytest

from core.display import steroids as display
from core.i18n import NNBSP
from core.settings import Settings
from core.significance import NOTE_ZEROS_DROPPED, TestResult
from core.stats import NOTE_SMALL_N, summarise_continuous
from core.steroids import steroids
from tests.helpers import STEROID_VISITS, small_cohort


@pytest.fixture(scope="module")
def result():
    # Only M6: the poster's M3 would add an empty month.
    return steroids(small_cohort(STEROID_VISITS), settings=Settings(poster_months=(6,)))


@pytest.mark.parametrize(
    "values, lang, expected",
    [([5.0, 7.25, 7.25, 10.0], "en", "7.3 (6.7; 7.9)"), ([5.0, 7.25, 7.25, 10.0], "fr", "7,3 (6,7\u202f; 7,9)"),
     ([], "en", "—")],
)
def test_median_iqr_rounds_half_up_per_locale(values, lang, expected):
    assert display.median_iqr(summarise_continuous(values), lang) == expected


def test_wilcoxon_text_counts_the_unchanged_pairs():
    test = TestResult(0.0, 0.0065, 16, "Wilcoxon", (NOTE_ZEROS_DROPPED,))
    assert display.wilcoxon_text(test, 7, "fr") == (
        "Test des rangs signés de Wilcoxon p = 0,007 (N = 16 paires, 7 inchangées)")


@pytest.mark.parametrize(("pairs", "zeros", "lang", "counts"), [
    (1, 1, "fr", "N = 1 paire, 1 inchangée"), (1, 0, "en", "N = 1 pair, 0 unchanged"),
    (2, 2, "fr", "N = 2 paires, 2 inchangées"), (1, 0, "fr", "N = 1 paire, 0 inchangée")])
def test_wilcoxon_text_takes_the_singular_for_one_pair(pairs, zeros, lang, counts):
    test = TestResult(None, None, pairs, "Wilcoxon", (NOTE_ZEROS_DROPPED,))
    assert f"({counts})" in display.wilcoxon_text(test, zeros, lang)


def test_wilcoxon_text_translates_other_notes():
    test = TestResult(None, None, 2, "Wilcoxon", (NOTE_SMALL_N,))
    # French typography: a narrow no-break space before the semicolon.
    assert display.wilcoxon_text(test, 0, "fr").endswith(")\u202f; n < 5\u202f: interpréter avec prudence")
    assert display.wilcoxon_text(test, 0, "en").endswith("); n < 5: interpret with care")


def test_m0_tiles_have_no_stop_or_change(result):
    labels = [tile.label for tile in display.month_tiles(result.at(0), "en")]
    assert labels == ["On corticosteroids", "Median dose, mg/day (quartiles)", "At or under 7.5 mg/day",
                      "At or under 5.0 mg/day"]


def test_m6_tiles_show_shares_stops_and_change(result):
    tiles = {tile.label: tile for tile in display.month_tiles(result.at(6), "en")}
    # Known doses at M6: A 5, B 0, C 0 (D unknown).
    assert tiles["On corticosteroids"].value == "1/3 (33.3%)"
    assert tiles["At or under 5.0 mg/day"].value == "3/3 (100.0%)"
    # On at M0 with a known M6 dose: A and B; B stopped.
    assert tiles["Stopped since M0"].value == "1/2 (50.0%)"
    # Changes: A -5, B -10, C 0.
    assert tiles["Change from M0, mg/day (median, quartiles)"].value == "-5.0 (-7.5; -2.5)"
    assert tiles["Change from M0, mg/day (median, quartiles)"].detail.startswith(
        "Wilcoxon signed-rank p = 0.500 (N = 3 pairs, 1 unchanged)")


def test_tiles_in_french_use_french_labels_and_commas(result):
    tiles = display.month_tiles(result.at(0), "fr")
    # Known doses at M0: A 10, B 10, C 0, D 5; C and D are at or under 7.5.
    assert (tiles[2].label, tiles[2].value) == ("Dose ≤ 7,5 mg/j", f"2/4 (50,0{NNBSP}%)")


def test_factors_frame_lists_every_drug_most_potent_first():
    frame = display.factors_frame("fr")
    assert list(frame.columns) == ["Médicament", "Facteur"]
    assert frame.iloc[0].tolist() == ["betamethasone", "8,33"]


@pytest.mark.parametrize(("thresholds", "lang", "labels"), [
    ((7.5, 2.25), "en", ["At or under 7.5 mg/day", "At or under 2.25 mg/day"]),
    ((10.0, 0.625), "fr", ["Dose ≤ 10,0 mg/j", "Dose ≤ 0,625 mg/j"]),
])
def test_a_threshold_label_says_the_threshold_in_force(thresholds, lang, labels):
    """A threshold of 2.25 mg/day is not labelled "2.3": the share is of the doses at or
    under 2.25 (the stamp and the methods say 2.25)."""
    result = steroids(small_cohort(STEROID_VISITS), settings=Settings(poster_months=(6,), cs_thresholds=thresholds))
    assert [tile.label for tile in display.month_tiles(result.at(0), lang)][2:] == labels

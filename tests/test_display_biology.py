"""The Biology page's text: the poster's arrows and the paired changes (core.display.biology)."""
from __future__ import annotations

import pytest

from core.biology import ShiftCounts, biology
from core.display import biology as display
from core.settings import Settings
from core.i18n import NNBSP
from core.stats import estimate_proportion
from tests.helpers import BIOLOGY_VISITS, STATUS_VISITS, small_cohort


@pytest.fixture(scope="module")
def result():
    # Only M6: the poster's M3 would add an empty month.
    return biology(small_cohort(BIOLOGY_VISITS), settings=Settings(poster_months=(6,)))


@pytest.mark.parametrize(
    "down, up, stable, unknown, lang, expected",
    [
        (15, 1, 0, 6, "en", ("↓ 15/16", "↑ 1/16", "(?) 6 patients")),  # the poster's IFN at M6
        (6, 3, 5, 0, "fr", ("↓ 6/14", "↑ 3/14", "→ 5/14")),  # the poster's Farr test at M6
        (2, 0, 0, 1, "en", ("↓ 2/2", "↑ 0/2", "(?) 1 patient")),
        (0, 0, 0, 3, "fr", ("↓ 0/0", "↑ 0/0", "(?) 3 patients")),
    ],
)
def test_shift_arrows_are_over_patients_with_known_shift(down, up, stable, unknown, lang, expected):
    counts = ShiftCounts(6, down + up + stable + unknown, down, up, stable, unknown)
    assert display.shift_arrows(counts, lang) == expected


def test_status_m0_line_in_french_has_decimal_comma(result):
    assert display.status_m0_line(result.anti_dsdna, "fr") == "Élevé à M0\u202f: 1/2 (50,0\u202f%)"


@pytest.mark.parametrize("n, lang, expected", [
    (1, "en", "Activation at M0: 1 patient out of 4"),
    (3, "en", "Activation at M0: 3 patients out of 4"),
    (0, "fr", "Activation chez 0 patient sur 4 à M0"),
    (1, "fr", "Activation chez 1 patient sur 4 à M0"),
    (3, "fr", "Activation chez 3 patients sur 4 à M0"),
])
def test_complement_m0_line_says_patient_for_one(result, n, lang, expected):
    from dataclasses import replace

    marker = replace(result.complement, status_m0=estimate_proportion(n, 4))
    assert display.status_m0_line(marker, lang) == expected


def test_complement_month_line_is_its_normalisation(result):
    assert display.month_lines(result.complement, 6, "en") == ("normalised: 1/1 (100.0%)",)


def test_changes_frame_has_one_row_per_marker_and_month_with_mcnemar_p(result):
    frame = display.changes_frame(result, "en").set_index("Marker")
    assert list(frame.index) == ["IFN signature", "Farr test (anti-dsDNA)", "Complement"]
    assert (frame.loc["IFN signature", "Paired N"], frame.loc["IFN signature", "McNemar test"]) == (2, "p = 1.000")


@pytest.mark.parametrize(
    "n, N, lang, expected",
    [(0, 0, "en", "—"), (0, 0, "fr", "—"), (0, 3, "en", "0/3 (0.0%)"), (1, 2, "fr", f"1/2 (50,0{NNBSP}%)")],
)
def test_share_is_a_dash_without_denominator_else_n_over_n_with_percent(n, N, lang, expected):
    assert display.share(estimate_proportion(n, N), lang) == expected


@pytest.fixture(scope="module")
def status_rows():
    frame = display.changes_frame(biology(small_cohort(STATUS_VISITS)), "en")
    return frame.set_index(["Marker", "Month"])[["Paired N", "+ at M0", "Resolved", "Appeared"]]


@pytest.mark.parametrize(
    "marker, month, expected",
    [
        ("IFN signature", "M3", [0, 0, "—", "—"]),  # positive at M0, unknown at M3: nobody paired
        ("IFN signature", "M6", [2, 1, "1/1 (100.0%)", "1/1 (100.0%)"]),
        ("Farr test (anti-dsDNA)", "M3", [1, 0, "—", "0/1 (0.0%)"]),  # paired, none elevated at M0
        ("Farr test (anti-dsDNA)", "M6", [3, 2, "1/2 (50.0%)", "1/1 (100.0%)"]),
        ("Complement", "M3", [2, 1, "0/1 (0.0%)", "0/1 (0.0%)"]),
        ("Complement", "M6", [2, 1, "1/1 (100.0%)", "1/1 (100.0%)"]),
    ],
)
def test_changes_frame_counts_the_paired_and_writes_a_dash_for_an_empty_denominator(
        status_rows, marker, month, expected):
    assert status_rows.loc[(marker, month)].tolist() == expected


def test_complement_month_line_is_a_dash_when_nobody_activated_is_known_at_the_month():
    # Only B is activated at M0, and B has no complement value at M6.
    visits = [v for v in STATUS_VISITS if v["patient_id"] != "A"]
    result = biology(small_cohort(visits), settings=Settings(poster_months=(6,)))
    assert display.month_lines(result.complement, 6, "fr") == ("normalisation\u202f: —",)


@pytest.mark.parametrize(("lang", "expected"), [("fr", "(?) effectif masqué"), ("en", "(?) count hidden")])
def test_a_hidden_unknown_count_reads_as_a_hidden_count(lang, expected):
    """Under small-cell suppression the unknown count may be hidden to protect a small
    one: it reads "(?) effectif masqué", not "(?) masqué patients"."""
    counts = ShiftCounts(6, 48, 2, 20, 20, 6)
    assert display.shift_cells(counts, lang, 5)["unknown"] == display.hidden_word(lang)
    assert display.shift_arrows(counts, lang, 5)[-1] == expected


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_masked_single_unknown_does_not_take_the_singular(lang):
    """Under small-cell suppression one unknown patient is written ``< 5`` like two or
    four: "(?) < 5 patient" would give the masked count (1) back by its grammar."""
    one, three = ShiftCounts(6, 21, 12, 6, 2, 1), ShiftCounts(6, 23, 12, 6, 2, 3)
    assert display.shift_cells(one, lang, 5)["unknown"] == "< 5"
    assert display.shift_arrows(one, lang, 5)[-1] == display.shift_arrows(three, lang, 5)[-1] == "(?) < 5 patients"
    assert display.shift_arrows(one, lang)[-1] == "(?) 1 patient"  # shown, it takes the singular


@pytest.mark.parametrize(
    ("tolerance", "lang", "expected"),
    [(0.1, "en", "10%"), (0.1, "fr", f"10{NNBSP}%"), (0.075, "en", "7.5%"), (0.075, "fr", f"7,5{NNBSP}%"),
     (0.125, "en", "12.5%"), (0.0025, "fr", f"0,25{NNBSP}%")],
)
def test_the_stable_band_is_written_with_the_digits_it_has(tolerance, lang, expected):
    """A band of 7.5 % is "±7.5%", not "±8%": the legend and the methods say the
    definition in force, as the stamp does (``Stable band = 0.075``)."""
    assert display.tolerance_text(tolerance, lang) == expected


def test_the_methods_and_the_shifts_legend_quote_the_band_in_force():
    from core.demo import load_demo
    from core.export.methods import methods_text
    from core.export.panels import compute_panels
    from core.export.stamp import make_stamp
    from core.export.tables import shifts_table

    cohort = load_demo().cohort
    try:
        settings = Settings(shift_tolerance=0.075)
        panels = compute_panels(cohort, settings=settings)
    finally:
        cohort.close()
    methods = methods_text(panels, make_stamp([("a", b"1")], settings=settings), "en")
    assert "within ±7.5% of the M0 value" in methods
    assert "±7.5% of M0" in shifts_table(panels, "en").notes[0]

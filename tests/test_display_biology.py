"""The Biology page's text: the poster's arrows and the paired changes (core.display.biology)."""
from __future__ import annotations

import pytest

from core.biology import ShiftCounts, biology
from core.display import biology as display
from core.settings import Settings
from tests.helpers import BIOLOGY_VISITS, small_cohort


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
    assert display.status_m0_line(result.anti_dsdna, "fr") == "Élevé à M0 : 1/2 (50,0\u202f%)"


def test_complement_month_line_is_its_normalisation(result):
    assert display.month_lines(result.complement, 6, "en") == ("normalised: 1/1 (100.0%)",)


def test_changes_frame_has_one_row_per_marker_and_month_with_mcnemar_p(result):
    frame = display.changes_frame(result, "en").set_index("Marker")
    assert list(frame.index) == ["IFN signature", "Farr test (anti-dsDNA)", "Complement"]
    assert (frame.loc["IFN signature", "Paired N"], frame.loc["IFN signature", "McNemar test"]) == (2, "p = 1.000")

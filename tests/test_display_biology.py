"""The Biology page's text: the poster's arrows and the paired changes (core.display.biology)."""
from __future__ import annotations

import pandas as pd
import pytest

from core.biology import ShiftCounts, biology
from core.cohort import cohort_from_frames
from core.display import biology as display
from core.settings import Settings


def _cohort(visits: list[dict], ids=("A", "B", "C", "D")):
    patients = pd.DataFrame({"patient_id": list(ids), "sex": "F", "age": 40.0, "cutaneous": True})
    return cohort_from_frames({"patients": patients, "visits": pd.DataFrame(visits), "events": None})


def _v(pid, month, **values) -> dict:
    return {"patient_id": pid, "month": month} | values


# IFN score at M0 -> M6: A down (20 -> 5), B up (10 -> 12), C stable (10 -> 9.5),
# D has no score at M6 (unknown). anti-dsDNA: A elevated (40 -> 8), B not (5 -> 30).
# Complement: A activated at M0 (C3 0.5), normal at M6.
VISITS = [
    _v("A", 0, ifn_signature="positive", ifn_score=20.0, anti_dsdna=40.0, c3=0.5, c4=0.2),
    _v("A", 6, ifn_signature="negative", ifn_score=5.0, anti_dsdna=8.0, c3=1.2, c4=0.2),
    _v("B", 0, ifn_signature="positive", ifn_score=10.0, anti_dsdna=5.0, c3=1.0, c4=0.2),
    _v("B", 6, ifn_signature="positive", ifn_score=12.0, anti_dsdna=30.0, c3=1.0, c4=0.2),
    _v("C", 0, ifn_signature="positive", ifn_score=10.0), _v("C", 6, ifn_score=9.5),
    _v("D", 0, ifn_score=4.0), _v("D", 6),
]


@pytest.fixture(scope="module")
def result():
    # Only M6: the poster's M3 would add an empty month.
    return biology(_cohort(VISITS), settings=Settings(poster_months=(6,)))


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

"""The synthetic demo cohort reproduces every poster number, checked independently.

The computations here are plain pandas over ``build_demo_frames()`` (not the app's
loader): they restate the contract's derived definitions (cohort-format.md, "Derived
definitions") so that a mistake in the demo design and one in the analysis code cannot
hide each other.
"""
from __future__ import annotations

import importlib.util
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.schema import COLUMNS, canonical_column, normalise

_DATA = Path(__file__).resolve().parents[1] / "data"


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_demo", _DATA / "make_demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_demo = _load_generator()
FRAMES = make_demo.build_demo_frames()
PATIENTS, VISITS, EVENTS = FRAMES["patients"], FRAMES["visits"], FRAMES["events"]


def _r1(x: float) -> float:
    """Round to one decimal, half up on the decimal value (7.25 -> 7.3)."""
    return float(Decimal(repr(float(x))).quantize(Decimal("0.1"), ROUND_HALF_UP))


def _count(mask: pd.Series) -> tuple[int, int, float]:
    """(n true, N known, percent) of a bool/None series; N excludes missing."""
    known = mask.dropna().astype(bool)
    return int(known.sum()), len(known), _r1(100 * known.sum() / len(known))


# Reference: cohort-format.md "Derived definitions": excluded only for a known reason.
_EXCLUDED = (PATIENTS["age"] < 18) | (PATIENTS["acr_eular_2019"] == False) | ~(  # noqa: E712
    (PATIENTS["cutaneous"] == True) | (PATIENTS["articular"] == True))  # noqa: E712
ANALYSED = PATIENTS[~_EXCLUDED]
_IDS = set(ANALYSED["patient_id"])
A_VISITS = VISITS[VISITS["patient_id"].isin(_IDS)]


def _at(month: int, frame: pd.DataFrame = A_VISITS) -> pd.DataFrame:
    return frame[frame["month"] == month].set_index("patient_id")


def _m0() -> pd.DataFrame:
    return _at(0).reindex(ANALYSED["patient_id"])


def _shift(column: str, ids, month: int = 6) -> dict[str, int]:
    """Down/up/stable (+-10 % inclusive, against M0)/unknown counts among ``ids``."""
    m0, mk = _at(0)[column].reindex(ids), _at(month)[column].reindex(ids)
    change = (mk - m0) / m0
    return {"down": int((change < -0.1).sum()), "up": int((change > 0.1).sum()),
            "stable": int(change.abs().le(0.1).sum()), "unknown": int(change.isna().sum())}


def _elevated_ids() -> pd.Index:
    farr = _m0()["anti_dsdna"]
    return farr[farr > 10].index


def _complement_low(frame: pd.DataFrame) -> pd.Series:
    """Activated when any known value is low; None when C3 and C4 are both missing."""
    low = (frame["c3"] < 0.9) | (frame["c4"] < 0.1)
    return low.astype(object).where(frame[["c3", "c4"]].notna().any(axis=1), None)


def _dose_summary(month: int) -> tuple:
    on = _at(month)["cs_dose_mg"]
    on = on[on > 0].to_numpy()
    q1, median, q3 = np.percentile(on, [25, 50, 75])
    return len(on), _r1(median), _r1(q1), _r1(q3)


def _infected(column: str | None = None) -> int:
    infections = EVENTS[EVENTS["type"] == "infection"]
    if column:
        infections = infections[infections[column] == True]  # noqa: E712
    return infections["patient_id"].nunique()


_M0 = _m0()
_AGE, _DURATION = ANALYSED["age"].astype(float), ANALYSED["disease_duration_years"]
_LINES = ANALYSED["prior_lines"]

POSTER_NUMBERS = {
    "treated": (lambda: len(PATIENTS), 23),
    "analysed": (lambda: len(ANALYSED), 22),
    "excluded": (lambda: list(PATIENTS.loc[_EXCLUDED, "patient_id"]), ["P23"]),
    "followup_M0": (lambda: len(_at(0)), 22),
    "followup_M3": (lambda: len(_at(3)), 19),
    "followup_M6": (lambda: len(_at(6)), 16),
    "female": (lambda: _count(ANALYSED["sex"] == "F"), (21, 22, 95.5)),
    "age_mean": (lambda: _r1(_AGE.mean()), 45.0),
    "age_sd": (lambda: _r1(_AGE.std(ddof=1)), 10.4),
    "duration_median": (lambda: _r1(np.percentile(_DURATION, 50)), 13.5),
    "duration_q1": (lambda: _r1(np.percentile(_DURATION, 25)), 6.8),
    "duration_q3": (lambda: _r1(np.percentile(_DURATION, 75)), 21.0),
    "cutaneous": (lambda: _count(ANALYSED["cutaneous"]), (19, 21, 90.5)),
    "articular": (lambda: _count(ANALYSED["articular"]), (12, 21, 57.1)),
    "ifn_positive": (lambda: _count(_M0["ifn_signature"].map({"positive": True, "negative": False})),
                     (21, 21, 100.0)),
    "first_line": (lambda: _count(_LINES == 0), (1, 22, 4.5)),
    "prior_lines_4plus": (lambda: _count(_LINES >= 4), (9, 22, 40.9)),
    "multirefractory_2plus": (lambda: int((_LINES >= 2).sum()), 17),
    "corticosteroids": (lambda: _count(_M0["cs_dose_mg"] > 0), (16, 22, 72.7)),
    "cs_dose_M0": (lambda: _dose_summary(0), (16, 7.3, 5.0, 10.0)),
    "hcq": (lambda: _count(_M0["hcq"]), (15, 22, 68.2)),
    "ifn_shift_M6": (lambda: _shift("ifn_score", ANALYSED["patient_id"]),
                     {"down": 15, "up": 1, "stable": 0, "unknown": 6}),
    "anti_dsdna_elevated_M0": (lambda: _count((_M0["anti_dsdna"] > 10).where(_M0["anti_dsdna"].notna())),
                               (14, 19, 73.7)),
    "anti_dsdna_shift_M6": (lambda: _shift("anti_dsdna", _elevated_ids()),
                            {"down": 6, "up": 3, "stable": 5, "unknown": 0}),
    "complement_activated_M0": (lambda: int((_complement_low(_M0) == True).sum()), 3),  # noqa: E712
    "complement_normalised_M6": (
        lambda: int((_complement_low(_at(6)).reindex(_M0.index[_complement_low(_M0) == True]) == False).sum()),  # noqa: E712
        3),
    "infection": (lambda: (_infected(), len(PATIENTS), _r1(100 * _infected() / len(PATIENTS))), (9, 23, 39.1)),
    "severe_infection": (lambda: _infected("severe"), 0),
    "vzv": (lambda: int((EVENTS["vzv"] == True).sum()), 0),  # noqa: E712
    "visceral_events": (
        lambda: EVENTS.loc[EVENTS["type"] == "visceral", ["patient_id", "month", "description"]].values.tolist(),
        [["P3", 2.0, "GN IV + V"], ["P10", 3.0, "Péricardite"]]),
}


@pytest.mark.parametrize("name", POSTER_NUMBERS)
def test_demo_reproduces_poster_number(name):
    compute, expected = POSTER_NUMBERS[name]
    assert compute() == expected

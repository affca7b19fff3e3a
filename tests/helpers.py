"""Small builders shared by test modules (fixtures in conftest.py wrap them)."""
from __future__ import annotations

import io


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    """Workbook bytes from {sheet name: rows (first row = headers)}, written in memory."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def small_cohort(visits: list[dict], ids=("A", "B", "C", "D")):
    """A cohort of women aged 40 with cutaneous involvement, holding ``visits``; no events."""
    import pandas as pd

    from core.cohort import cohort_from_frames

    patients = pd.DataFrame({"patient_id": list(ids), "sex": "F", "age": 40.0, "cutaneous": True})
    return cohort_from_frames({"patients": patients, "visits": pd.DataFrame(visits), "events": None})


def small_cohort_files(visits: list[dict], ids=("A", "B", "C", "D")) -> list[tuple[str, bytes]]:
    """The ``small_cohort`` as the two CSV files a user would upload: (name, bytes) pairs."""
    import pandas as pd

    patients = pd.DataFrame({"patient_id": list(ids), "sex": "F", "age": 40, "cutaneous": "yes"})
    return [("patients.csv", patients.to_csv(index=False).encode()),
            ("visits.csv", pd.DataFrame(visits).to_csv(index=False).encode())]


def _visit(pid, month, **values) -> dict:
    return {"patient_id": pid, "month": month} | values


# IFN score at M0 -> M6: A down (20 -> 5), B up (10 -> 12), C stable (10 -> 9.5),
# D has no score at M6 (unknown). anti-dsDNA: A elevated (40 -> 8), B not (5 -> 30).
# Complement: A activated at M0 (C3 0.5), normal at M6.
BIOLOGY_VISITS = [
    _visit("A", 0, ifn_signature="positive", ifn_score=20.0, anti_dsdna=40.0, c3=0.5, c4=0.2),
    _visit("A", 6, ifn_signature="negative", ifn_score=5.0, anti_dsdna=8.0, c3=1.2, c4=0.2),
    _visit("B", 0, ifn_signature="positive", ifn_score=10.0, anti_dsdna=5.0, c3=1.0, c4=0.2),
    _visit("B", 6, ifn_signature="positive", ifn_score=12.0, anti_dsdna=30.0, c3=1.0, c4=0.2),
    _visit("C", 0, ifn_signature="positive", ifn_score=10.0), _visit("C", 6, ifn_score=9.5),
    _visit("D", 0, ifn_score=4.0), _visit("D", 6),
]


# Paired status at M3 and M6; a patient unknown at either visit is in no denominator.
# A: positive at M0 for all three markers; at M3 a visit with no IFN signature and no
#    anti-dsDNA (unknown) but C4 low (still activated); at M6 negative for all three.
# B: positive at M0 (anti-dsDNA by its recorded flag, complement by C4); no M3 visit;
#    at M6 anti-dsDNA still elevated, IFN signature and complement unknown.
# C: negative at M0; at M3 anti-dsDNA and C3 normal, no IFN signature; at M6 positive
#    for all three (complement by its recorded flag).
# D: unknown at M0 (a visit row with no value); positive for all three at M6.
STATUS_VISITS = [
    _visit("A", 0, ifn_signature="positive", anti_dsdna=40.0, c3=0.5, c4=0.2),
    _visit("A", 3, cs_dose_mg=5.0, c4=0.05),
    _visit("A", 6, ifn_signature="negative", anti_dsdna=5.0, c3=1.0, c4=0.2),
    _visit("B", 0, ifn_signature="positive", anti_dsdna=5.0, anti_dsdna_elevated=True, c4=0.05),
    _visit("B", 6, anti_dsdna=50.0),
    _visit("C", 0, ifn_signature="negative", anti_dsdna=5.0, c3=1.0),
    _visit("C", 3, anti_dsdna=8.0, c3=1.1),
    _visit("C", 6, ifn_signature="positive", anti_dsdna=30.0, complement_low=True),
    _visit("D", 0, cs_dose_mg=0.0),
    _visit("D", 6, ifn_signature="positive", anti_dsdna=30.0, c3=0.5),
]


def _change(paired: int, positive_m0: int, resolved: int, appeared: int) -> dict:
    """A ``status_change`` entry of summary-json: resolved out of the paired positive at
    M0, appeared out of the paired negative."""
    return {"paired": paired, "positive_M0": positive_m0, "resolved": {"n": resolved, "N": positive_m0},
            "appeared": {"n": appeared, "N": paired - positive_m0}}


# The status_change block of STATUS_VISITS, worked out by hand from the comments above.
STATUS_CHANGE = {
    "ifn": {"M3": _change(0, 0, 0, 0), "M6": _change(2, 1, 1, 1)},          # M6: A, C
    "anti_dsdna": {"M3": _change(1, 0, 0, 0), "M6": _change(3, 2, 1, 1)},   # M3: C; M6: A, B, C
    "complement": {"M3": _change(2, 1, 0, 0), "M6": _change(2, 1, 1, 1)},   # A, C
}


def _dose(pid, month, dose, drug=None) -> dict:
    return _visit(pid, month, cs_dose_mg=dose, cs_drug=drug)


# M0 -> M6 (prednisone equivalents): A 10 -> 5, B 8 mg methylprednisolone = 10 -> 0
# (stopped), C 0 -> 0, D 5 -> unknown.
STEROID_VISITS = [
    _dose("A", 0, 10.0), _dose("A", 6, 5.0),
    _dose("B", 0, 8.0, "methylprednisolone"), _dose("B", 6, 0.0, "methylprednisolone"),
    _dose("C", 0, 0.0), _dose("C", 6, 0.0),
    _dose("D", 0, 5.0), _dose("D", 6, None),
]


def safety_events():
    """Three events of three types, one severe infection; P3's description missing."""
    import pandas as pd

    return pd.DataFrame({
        "patient_id": ["P2", "P10", "P3"],
        "month": [1.0, 3.0, 1.5],
        "type": ["infection", "visceral", "other"],
        "description": ["Bronchite", "Péricardite", None],
        "severe": pd.array([True, None, None], dtype="boolean"),
        "vzv": pd.array([False, None, None], dtype="boolean"),
    })

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

"""Generate the synthetic demo cohort (no real patient) in its two bundled layouts.

Run ``.venv/bin/python data/make_demo.py``: writes ``demo_wide_fr.csv`` and
``demo_events_fr.csv`` (French Excel export: cp1252, ``;``, decimal comma) and
``demo_en.xlsx`` (canonical English sheets) next to this file. The output is
deterministic: a fixed seed, and the workbook's properties and zip timestamps fixed.

Everything the poster reports is fixed by the per-patient design below; the seeded
RNG only draws free values (complement, IFN scores, anti-dsDNA, lesion and joint
counts) within ranges that keep each designed category unambiguous. The cohort has 23
patients, so the per-patient loops below cannot grow.
"""
from __future__ import annotations

import datetime as _dt
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20220601
OUT_DIR = Path(__file__).resolve().parent
MONTHS = (0, 3, 6)
_FIXED_TIME = _dt.datetime(2025, 6, 1, 12, 0, 0)

# One line per patient. cen: L = CHU Lille, B = CH Boulogne-sur-Mer. cut/art/acr:
# 1 true, 0 false, - missing. seen: last visit month (visits at every month <= seen).
# cs0/cs3/cs6: prednisone-equivalent mg/day (- = no visit). drug: pred(nisone),
# prel = prednisolone. Responses at M3/M6: CR/PR/NR recorded and matching the components;
# (PR) = recorded blank, components score PR; PR>CR = recorded PR, components score CR.
# ifn: M0 -> M6 score shift (na = no M0 signature nor score). farr: M0 -> M6 shift of
# an elevated anti-dsDNA, or norm(al), or na (not done at M0). cpl: low = complement
# activated at M0 (normal at M6), na = C3 and C4 not done at M0.
DESIGN = """
id  cen sex age dur  lines cut art acr seen cs0  cs3  cs6  drug hcq cut3  cut6  art3 art6  ifn  farr   cpl
P1  L   F   44  13.0 4     1   1   1   6    10   5    5    pred 1   CR    CR    PR   CR    down down   low
P2  B   F   38  6.5  2     1   0   1   6    5    5    2.5  pred 0   CR    CR    -    -     down stable ok
P3  L   F   29  7.7  3     1   1   1   3    20   30   -    pred 1   PR    -     NR   -     down na     ok
P4  L   F   52  20.7 5     1   1   1   6    7.5  5    5    prel 1   PR    CR    PR   PR    down stable ok
P5  B   F   47  14.0 1     1   0   1   6    0    0    0    -    1   CR    (CR)  -    -     down down   ok
P6  L   F   57  25.2 4     1   1   1   6    10   10   7.5  pred 0   PR    PR    NR   NR    down up     ok
P7  L   F   41  10.4 2     1   0   1   6    12.5 10   5    pred 1   PR>CR CR    -    -     down down   low
P8  B   F   34  4.9  1     1   0   1   6    0    0    0    -    1   CR    CR    -    -     down down   ok
P9  L   F   55  21.1 6     1   1   1   0    5    -    -    pred 0   -     -     -    -     down na     na
P10 L   F   46  15.3 3     1   1   1   6    7    7    7    pred 1   PR    NR    NR   NR    up   up     ok
P11 B   F   31  2.8  2     1   0   1   6    5    0    0    pred 1   CR    CR    -    -     down down   ok
P12 L   F   50  16.9 4     1   0   1   3    10   10   -    pred 1   NR    -     -    -     na   norm   ok
P13 L   F   36  5.6  0     0   1   1   6    0    0    0    -    0   -     -     CR   CR    down na     ok
P14 B   F   43  11.8 5     1   0   1   6    15   7.5  7.5  prel 1   CR    CR    -    -     down down   low
P15 L   F   59  27.8 4     1   1   1   6    5    5    5    pred 1   NR    PR    PR   (PR)  down stable ok
P16 L   M   40  9.2  1     1   0   1   0    0    -    -    -    1   -     -     -    -     down norm   ok
P17 B   F   62  33.0 7     1   1   1   6    10   10   10   pred 0   PR    CR    NR   NR    down up     ok
P18 L   F   44  18.5 2     1   0   1   3    7    5    -    prel 1   (PR)  -     -    -     down norm   ok
P19 B   F   58  23.6 4     -   1   1   6    2.5  0    0    pred 0   -     -     NR   PR    down norm   ok
P20 B   F   53  30.4 3     1   -   1   6    0    0    0    -    1   CR    PR    -    -     down stable ok
P21 L   F   23  3.4  1     0   1   1   0    0    -    -    -    0   -     -     -    -     down norm   ok
P22 L   F   48  1.5  2     1   1   1   6    5    5    2.5  pred 1   CR    CR    PR   CR    down stable ok
P23 B   F   37  8.0  2     1   0   0   3    10   7.5  -    pred 1   PR    -     -    -     down down   ok
"""

# Safety events: (patient, month, type, description, severe, vzv).
EVENTS = [
    ("P2", 2, "infection", "Infection urinaire", False, False),
    ("P3", 2, "visceral", "GN IV + V", None, None),
    ("P4", 1, "infection", "Rhinopharyngite", False, False),
    ("P4", 4, "infection", "Bronchite", False, False),
    ("P6", 3, "infection", "COVID-19", False, False),
    ("P8", 5, "infection", "Sinusite", False, False),
    ("P10", 3, "visceral", "Péricardite", None, None),
    ("P11", 4, "infection", "Infection urinaire", False, False),
    ("P14", 2, "infection", "Bronchite", False, False),
    ("P17", 6, "infection", "Gastro-entérite", False, False),
    ("P20", 1, "infection", "Rhinopharyngite", False, False),
    ("P23", 2, "infection", "Infection urinaire", False, False),
]

# Cells written "ND" (not done) in the French file: (patient, canonical column, month).
ND_CELLS = {
    ("P3", "anti_dsdna", 0), ("P13", "anti_dsdna", 0), ("P12", "ifn_signature", 0),
    ("P12", "ifn_score", 0), ("P9", "c3", 0), ("P9", "c4", 0),
}

_CENTRES = {"L": "CHU Lille", "B": "CH Boulogne-sur-Mer"}
_DRUGS = {"pred": "prednisone", "prel": "prednisolone"}
_FLAG = {"1": True, "0": False, "-": None}


# French words of the wide export, per canonical value.
_FR_WORDS = {"CR": "RC", "PR": "RP", "NR": "NR", "positive": "positif", "negative": "négatif"}
_FR_PATIENT = {
    "patient_id": "N° patient", "centre": "Centre", "sex": "Sexe", "age": "Âge (ans)",
    "disease_duration_years": "Durée d'évolution (ans)", "prior_lines": "Lignes antérieures",
    "cutaneous": "Atteinte cutanée", "articular": "Atteinte articulaire",
    "acr_eular_2019": "Critères ACR/EULAR 2019",
}
_FR_VISIT = {
    "cs_dose_mg": "Dose CT", "cs_drug": "Corticoïde", "hcq": "HCQ", "ifn_signature": "Signature IFN",
    "ifn_score": "Score IFN", "anti_dsdna": "Test de Farr", "c3": "C3", "c4": "C4",
    "active_skin_lesions": "Lésions cutanées actives", "new_skin_lesions": "Nouvelles lésions cutanées",
    "painful_joints": "Articulations douloureuses", "swollen_joints": "Synovites",
    "new_painful_joints": "Nouvelles articulations douloureuses", "joint_flares": "Poussées articulaires",
    "cutaneous_response": "Réponse cutanée", "articular_response": "Réponse articulaire",
}
_RESPONSE_COLUMNS = ("cutaneous_response", "articular_response")
_COUNT_COLUMNS = ("active_skin_lesions", "painful_joints", "swollen_joints")
_FLOAT_COLUMNS = ("cs_dose_mg", "ifn_score", "anti_dsdna", "c3", "c4", "joint_flares")
_BOOL_COLUMNS = ("hcq", "new_skin_lesions", "new_painful_joints")


def _design() -> pd.DataFrame:
    return pd.read_csv(io.StringIO(DESIGN), sep=r"\s+", dtype=str, keep_default_na=False)


def _flags(values: pd.Series) -> pd.Series:
    return pd.Series([_FLAG[v] for v in values], index=values.index, dtype=object)


def _response(code: str) -> tuple[str | None, str | None]:
    """(recorded, scored from components) for a design code: CR, (PR), PR>CR or -."""
    if code == "-":
        return None, None
    if code.startswith("("):
        return None, code.strip("()")
    recorded, _, scored = code.partition(">")
    return recorded, scored or recorded


def _skin(scored: str | None, m0: int, rng: np.random.Generator) -> tuple[int, bool]:
    """Active lesions and new-lesion flag at a follow-up visit scoring ``scored``."""
    if scored == "CR":
        return 0, False
    if scored == "PR":
        return int(rng.integers(1, m0)), False
    return m0 + int(rng.integers(0, 4)), bool(rng.random() < 0.5)


def _joints(scored: str | None, m0: tuple[int, int, int], rng: np.random.Generator) -> tuple:
    """Painful, swollen, flares and new-painful flag at a follow-up visit scoring ``scored``."""
    painful, swollen, flares = m0
    if scored == "CR":
        return 0, 0, 0, False
    if scored == "PR":
        return (int(rng.integers(1, painful)), int(rng.integers(0, swollen + 1)),
                int(rng.integers(0, flares + 1)), False)
    return (painful + int(rng.integers(0, 3)), swollen + int(rng.integers(0, 2)),
            flares + int(rng.integers(0, 2)), bool(rng.random() < 0.4))


def _shifted(m0: float, shift: str, rng: np.random.Generator) -> tuple[float, float]:
    """(M3, M6) values for a designed M0 -> M6 shift; ratios keep clear of the +-10 % limits."""
    low, high = {"down": (0.2, 0.75), "up": (1.3, 1.9), "stable": (0.95, 1.05)}[shift]
    ratio6 = rng.uniform(low, high)
    return m0 * (1 + ratio6) / 2, m0 * ratio6


def _patient_visits(p: pd.Series, rng: np.random.Generator) -> list[dict]:
    months = [m for m in MONTHS if m <= int(p["seen"])]
    rows = [{"patient_id": p["id"], "month": m} for m in months]
    # IFN score: M0 drawn, M3/M6 follow the designed shift.
    ifn0 = round(rng.uniform(8, 40), 1)
    ifn3, ifn6 = _shifted(ifn0, "down" if p["ifn"] == "na" else p["ifn"], rng)
    ifn = {0: None if p["ifn"] == "na" else ifn0, 3: round(ifn3, 1), 6: round(ifn6, 1)}
    # The signature is recorded at M0 and M6 (negative once the score is below 5).
    signature = {0: None if p["ifn"] == "na" else "positive", 3: None, 6: "negative" if ifn[6] < 5 else "positive"}
    # anti-dsDNA (Farr, IU/mL): elevated means > 10.
    if p["farr"] in ("norm", "na"):
        farr = {m: float(rng.integers(2, 10)) for m in MONTHS}
        if p["farr"] == "na":
            farr[0] = None
    else:
        farr0 = float(rng.integers(20, 250))
        farr3, farr6 = _shifted(farr0, p["farr"], rng)
        farr = {0: farr0, 3: float(round(farr3)), 6: float(round(farr6))}
    skin0 = int(rng.integers(3, 13))
    joints0 = (int(rng.integers(2, 11)), int(rng.integers(0, 5)), int(rng.integers(1, 5)))
    for row in rows:
        m = row["month"]
        dose = float(p[f"cs{m}"])
        row.update(cs_dose_mg=dose, cs_drug=_DRUGS[p["drug"]] if dose > 0 else None, hcq=_FLAG[p["hcq"]])
        row["ifn_score"] = ifn[m]
        row["ifn_signature"] = signature[m]
        row["anti_dsdna"] = farr[m]
        low = p["cpl"] == "low" and m == 0
        row["c3"] = round(rng.uniform(0.55, 0.85) if low else rng.uniform(0.95, 1.45), 2)
        row["c4"] = round(rng.uniform(0.04, 0.08) if low and rng.random() < 0.6 else rng.uniform(0.12, 0.32), 2)
        if p["cpl"] == "na" and m == 0:
            row["c3"] = row["c4"] = None
        recorded_skin, scored_skin = _response(p[f"cut{m}"]) if m else (None, None)
        recorded_joint, scored_joint = _response(p[f"art{m}"]) if m else (None, None)
        if _FLAG[p["cut"]]:
            lesions, new = (skin0, bool(rng.random() < 0.3)) if m == 0 else _skin(scored_skin, skin0, rng)
            row.update(active_skin_lesions=lesions, new_skin_lesions=new, cutaneous_response=recorded_skin)
        if _FLAG[p["art"]]:
            joints = (*joints0, bool(rng.random() < 0.3)) if m == 0 else _joints(scored_joint, joints0, rng)
            row.update(painful_joints=joints[0], swollen_joints=joints[1], joint_flares=float(joints[2]),
                       new_painful_joints=joints[3], articular_response=recorded_joint)
    return rows


def build_demo_frames() -> dict[str, pd.DataFrame]:
    """The demo cohort as canonical tables ``patients``, ``visits`` (long) and ``events``."""
    design = _design()
    rng = np.random.default_rng(SEED)
    patients = pd.DataFrame({
        "patient_id": design["id"],
        "centre": design["cen"].map(_CENTRES),
        "sex": design["sex"],
        "age": design["age"].astype("int64"),
        "disease_duration_years": design["dur"].astype(float),
        "prior_lines": design["lines"].astype("int64"),
        "cutaneous": _flags(design["cut"]),
        "articular": _flags(design["art"]),
        "acr_eular_2019": _flags(design["acr"]),
    })
    rows = [row for _, p in design.iterrows() for row in _patient_visits(p, rng)]
    visit_columns = ["patient_id", "month", *_FR_VISIT]
    visits = pd.DataFrame(rows).reindex(columns=visit_columns)
    visits = visits.astype({c: "Int64" for c in _COUNT_COLUMNS} | {c: float for c in _FLOAT_COLUMNS})
    for column in (*_BOOL_COLUMNS, *_RESPONSE_COLUMNS, "cs_drug", "ifn_signature"):
        visits[column] = visits[column].astype(object).where(visits[column].notna(), None)
    events = pd.DataFrame(EVENTS, columns=["patient_id", "month", "type", "description", "severe", "vzv"])
    events = events.astype({"month": float, "severe": object, "vzv": object})
    return {"patients": patients, "visits": visits, "events": events}


def _fr_cell(value: object) -> str:
    """One value as a French Excel export writes it (oui/non, RC/RP, decimal comma)."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "oui" if value else "non"
    if isinstance(value, str):
        return _FR_WORDS.get(value, value)
    return format(value, "g").replace(".", ",")


def _fr_column(series: pd.Series) -> pd.Series:
    return series.astype(object).map(_fr_cell)


def wide_fr_frame(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The French wide layout (one text row per patient) of canonical ``frames``."""
    patients = frames["patients"].set_index("patient_id", drop=False)
    wide = pd.DataFrame({fr: _fr_column(patients[col]) for col, fr in _FR_PATIENT.items()})
    wide["Sexe"] = patients["sex"].map({"F": "F", "M": "H"})
    visits = frames["visits"]
    for month in MONTHS:
        at_month = visits[visits["month"] == month].set_index("patient_id")
        for col, fr in _FR_VISIT.items():
            if month == 0 and col in _RESPONSE_COLUMNS:
                continue
            wide[f"{fr} M{month}"] = _fr_column(at_month[col]).reindex(wide.index, fill_value="")
    for patient_id, col, month in ND_CELLS:
        wide.loc[patient_id, f"{_FR_VISIT[col]} M{month}"] = "ND"
    return wide.reset_index(drop=True)


def events_fr_frame(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The French events sheet (months written ``M2``) of canonical ``frames``."""
    events = frames["events"]
    return pd.DataFrame({
        "N° patient": events["patient_id"],
        "Mois": "M" + events["month"].map(lambda m: format(m, "g")),
        "Type": events["type"].map({"infection": "infection", "visceral": "viscérale", "other": "autre"}),
        "Libellé": events["description"],
        "Grave": _fr_column(events["severe"]),
        "Zona": _fr_column(events["vzv"]),
    })


def _write_fr_csv(frame: pd.DataFrame, path: Path) -> None:
    # As a French Excel "CSV (séparateur : point-virgule)" export: cp1252 and CRLF.
    frame.to_csv(path, sep=";", index=False, encoding="cp1252", lineterminator="\r\n")


def _stable_zip(raw: bytes) -> bytes:
    """Rewrite a zip archive with fixed entry timestamps, so equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def workbook_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    """The English workbook (sheets patients, visits, events; Excel booleans) as bytes."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    book.remove(book.active)
    for name in ("patients", "visits", "events"):
        frame = frames[name].astype(object)
        sheet = book.create_sheet(name)
        sheet.append(list(frame.columns))
        for row in frame.where(frame.notna(), None).itertuples(index=False):
            sheet.append(list(row))
    book.properties.creator = "data/make_demo.py (synthetic demo cohort)"
    book.properties.created = book.properties.modified = _FIXED_TIME
    raw = io.BytesIO()
    # ExcelWriter directly: openpyxl's save() would stamp the current time as modified.
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()
    return _stable_zip(raw.getvalue())


def write_demo(out_dir: Path = OUT_DIR) -> list[Path]:
    """Write the three demo files into ``out_dir``; returns their paths."""
    frames = build_demo_frames()
    paths = [out_dir / "demo_wide_fr.csv", out_dir / "demo_events_fr.csv", out_dir / "demo_en.xlsx"]
    _write_fr_csv(wide_fr_frame(frames), paths[0])
    _write_fr_csv(events_fr_frame(frames), paths[1])
    paths[2].write_bytes(workbook_bytes(frames))
    return paths


if __name__ == "__main__":
    for written in write_demo():
        print(written)

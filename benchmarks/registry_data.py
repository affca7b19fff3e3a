"""A synthetic multicentre registry (no real patient) at any size, for ``benchmarks/``.

``registry_frames(n)`` draws the three canonical tables with the value mix a registry
holds (missing cells, recorded and blank responses, several corticosteroid drugs, some
excluded patients, events); ``parquet_files`` writes them as typed Parquet (numbers,
booleans and text as such); ``french_csv_files`` as a French spreadsheet exports them
(cp1252, ``;``, decimal commas, oui/non, French headers, ``M3`` months, ``ND`` cells).
Everything is built in memory from a fixed seed.
"""
from __future__ import annotations

import io

import numpy as np
import pandas as pd

MONTHS = (0, 3, 6, 12)
CENTRES = ("CHU Lille", "CH Boulogne-sur-Mer", "CHU Amiens", "CHU Rouen", "CH Arras", "CHU Caen")
DRUGS = (None, "prednisone", "prednisolone", "méthylprednisolone", "Cortancyl 5 mg")
DESCRIPTIONS = {
    "infection": ("Bronchite", "Infection urinaire", "Rhinopharyngite", "COVID-19", "Zona thoracique"),
    "visceral": ("Péricardite", "GN IV + V", "Pleurésie"),
    "other": ("Céphalées", "Réaction au point d'injection", "Nausées"),
}
FRENCH_HEADERS = {
    "patients": {"patient_id": "N° patient", "centre": "Centre", "sex": "Sexe", "age": "Âge (ans)",
                 "disease_duration_years": "Durée d'évolution (ans)", "prior_lines": "Lignes antérieures",
                 "cutaneous": "Atteinte cutanée", "articular": "Atteinte articulaire",
                 "acr_eular_2019": "Critères ACR/EULAR 2019"},
    "visits": {"patient_id": "N° patient", "month": "Mois", "cs_dose_mg": "Dose CT", "cs_drug": "Corticoïde",
               "hcq": "HCQ", "cutaneous_response": "Réponse cutanée", "articular_response": "Réponse articulaire",
               "ifn_signature": "Signature IFN", "ifn_score": "Score IFN", "anti_dsdna": "Test de Farr",
               "c3": "C3", "c4": "C4", "active_skin_lesions": "Lésions cutanées actives",
               "new_skin_lesions": "Nouvelles lésions cutanées", "painful_joints": "Articulations douloureuses",
               "swollen_joints": "Synovites", "new_painful_joints": "Nouvelles articulations douloureuses",
               "joint_flares": "Poussées articulaires"},
    "events": {"patient_id": "N° patient", "month": "Mois", "type": "Type", "description": "Libellé",
               "severe": "Grave", "vzv": "Zona"},
}
_FRENCH_WORDS = {"visceral": "viscérale", "other": "autre", "positive": "positif", "negative": "négatif",
                 "CR": "RC", "PR": "RP", "NR": "NR"}


def _with_missing(values: np.ndarray, rng: np.random.Generator, share: float, dtype: str) -> pd.Series:
    series = pd.Series(values).astype(dtype)
    return series.mask(rng.random(len(series)) < share)


def _flags(rng: np.random.Generator, n: int, p_true: float, share_missing: float = 0.0) -> pd.Series:
    return _with_missing(rng.random(n) < p_true, rng, share_missing, "boolean")


def registry_frames(n: int, seed: int = 1) -> dict[str, pd.DataFrame]:
    """Canonical ``patients``, ``visits`` and ``events`` of ``n`` synthetic patients."""
    rng = np.random.default_rng(seed)
    ids = pd.Series(np.char.add("P", np.arange(1, n + 1).astype(str)), dtype="string")
    patients = pd.DataFrame({
        "patient_id": ids,
        "centre": pd.Series(rng.choice(CENTRES, n), dtype="string"),
        "sex": pd.Series(rng.choice(["F", "M"], n, p=[0.9, 0.1]), dtype="string"),
        # A few under 18: excluded from the analysed population.
        "age": _with_missing(rng.integers(16, 80, n).astype(float), rng, 0.005, "Float64"),
        "disease_duration_years": _with_missing(np.round(np.minimum(rng.gamma(2.0, 7.0, n), 60), 1), rng, 0.05,
                                                "Float64"),
        "prior_lines": _with_missing(rng.integers(0, 7, n), rng, 0.03, "Int64"),
        "cutaneous": _flags(rng, n, 0.85, 0.01),
        "articular": _flags(rng, n, 0.55, 0.01),
        "acr_eular_2019": _flags(rng, n, 0.97, 0.01),
    })
    # Dropouts: the last month seen per patient, so visits stop rather than skip.
    last = rng.choice(MONTHS, n, p=[0.1, 0.15, 0.25, 0.5])
    base_dose = rng.choice([0, 2.5, 5, 7.5, 10, 15, 20], n)
    drug = rng.choice(np.array(DRUGS, dtype=object), n, p=[0.4, 0.35, 0.12, 0.08, 0.05])
    skin0, joints0, swollen0 = rng.integers(0, 8, n), rng.integers(0, 10, n), rng.integers(0, 4, n)
    flares0 = rng.integers(0, 4, n).astype(float)
    ifn0, dsdna0 = rng.gamma(3.0, 6.0, n), rng.gamma(2.0, 10.0, n)
    c3_0, c4_0 = rng.normal(1.0, 0.2, n), rng.normal(0.2, 0.06, n)
    parts = []
    for month in MONTHS:
        seen = np.flatnonzero(last >= month)
        k = len(seen)
        decay = 1 - month / 24
        part = pd.DataFrame({
            "patient_id": ids.iloc[seen].to_numpy(),
            "month": np.full(k, month, dtype=np.int64),
            "cs_dose_mg": _with_missing(np.round(base_dose[seen] * decay * rng.choice([1, 1, 0.5], k), 1),
                                        rng, 0.03, "Float64"),
            "cs_drug": pd.Series(drug[seen], dtype="string"),
            "hcq": _flags(rng, k, 0.7, 0.02),
            "ifn_signature": _with_missing(rng.choice(["positive", "negative"], k, p=[0.8 * decay + 0.1,
                                                                                  0.9 - 0.8 * decay]),
                                           rng, 0.05, "string"),
            "ifn_score": _with_missing(np.round(ifn0[seen] * decay * rng.uniform(0.7, 1.3, k), 1), rng, 0.05,
                                       "Float64"),
            "anti_dsdna": _with_missing(np.round(dsdna0[seen] * rng.uniform(0.6, 1.2, k), 0), rng, 0.05, "Float64"),
            "c3": _with_missing(np.round(np.abs(c3_0[seen] + rng.normal(0.05, 0.1, k) * (month > 0)), 2), rng, 0.05,
                                "Float64"),
            "c4": _with_missing(np.round(np.abs(c4_0[seen] + rng.normal(0.02, 0.03, k) * (month > 0)), 2), rng, 0.05,
                                "Float64"),
            "active_skin_lesions": _with_missing(np.maximum(skin0[seen] - rng.integers(0, 6, k) * (month > 0), 0),
                                                 rng, 0.04, "Int64"),
            "new_skin_lesions": _flags(rng, k, 0.05, 0.3),
            "painful_joints": _with_missing(np.maximum(joints0[seen] - rng.integers(0, 7, k) * (month > 0), 0),
                                            rng, 0.04, "Int64"),
            "swollen_joints": _with_missing(np.maximum(swollen0[seen] - rng.integers(0, 3, k) * (month > 0), 0),
                                            rng, 0.04, "Int64"),
            "new_painful_joints": _flags(rng, k, 0.05, 0.3),
            "joint_flares": _with_missing(np.maximum(flares0[seen] - rng.integers(0, 3, k) * (month > 0), 0),
                                          rng, 0.1, "Float64"),
        })
        parts.append(part)
    visits = pd.concat(parts, ignore_index=True)
    visits = visits.sort_values(["patient_id", "month"], key=_natural_key, ignore_index=True)
    _record_responses(visits, rng)
    visits = visits[["patient_id", "month", "cs_dose_mg", "cs_drug", "hcq", "cutaneous_response",
                     "articular_response", "ifn_signature", "ifn_score", "anti_dsdna", "c3", "c4",
                     "active_skin_lesions", "new_skin_lesions", "painful_joints", "swollen_joints",
                     "new_painful_joints", "joint_flares"]]
    k = n // 2
    types = rng.choice(["infection", "visceral", "other"], k, p=[0.7, 0.1, 0.2])
    events = pd.DataFrame({
        "patient_id": pd.Series(np.char.add("P", rng.integers(1, n + 1, k).astype(str)), dtype="string"),
        "month": rng.integers(1, 13, k).astype(float),
        "type": pd.Series(types, dtype="string"),
        "description": pd.Series([DESCRIPTIONS[t][i % len(DESCRIPTIONS[t])]
                                  for t, i in zip(types, rng.integers(0, 5, k))], dtype="string"),
        "severe": _flags(rng, k, 0.05, 0.1),
        "vzv": _flags(rng, k, 0.03, 0.1),
    })
    return {"patients": patients, "visits": visits, "events": events}


def _record_responses(visits: pd.DataFrame, rng: np.random.Generator) -> None:
    """Responses as practitioners record them at follow-up: the one the components give
    (``core.scoring``), left blank at about one visit in three, and a different one at
    about one visit in fifty; blank at M0."""
    from core.scoring import score_articular, score_cutaneous

    m0 = visits[visits["month"] == 0].set_index("patient_id")
    at_m0 = {c: visits["patient_id"].map(m0[c]) for c in ("active_skin_lesions", "painful_joints",
                                                           "swollen_joints", "joint_flares")}
    scored = {
        "cutaneous_response": score_cutaneous(at_m0["active_skin_lesions"], visits["active_skin_lesions"],
                                              visits["new_skin_lesions"]),
        "articular_response": score_articular(at_m0["painful_joints"], at_m0["swollen_joints"],
                                              at_m0["joint_flares"], visits["painful_joints"],
                                              visits["swollen_joints"], visits["new_painful_joints"],
                                              visits["joint_flares"]),
    }
    follow_up = visits["month"].to_numpy() > 0
    for column, values in scored.items():
        other = pd.Series(rng.choice(["CR", "PR", "NR"], len(visits)), index=visits.index, dtype="string")
        recorded = values.mask(rng.random(len(visits)) < 0.02, other)
        visits[column] = recorded.mask((rng.random(len(visits)) < 0.33) | ~follow_up).astype("string")


def _natural_key(column: pd.Series) -> pd.Series:
    if column.name == "patient_id":
        return column.str.slice(1).astype(int)
    return column


def parquet_files(frames: dict[str, pd.DataFrame]) -> list[tuple[str, bytes]]:
    """The registry as three typed Parquet files (patients, visits, events)."""
    files = []
    for table, frame in frames.items():
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        files.append((f"{table}.parquet", buffer.getvalue()))
    return files


def _french_cells(series: pd.Series) -> pd.Series:
    """One column as a French spreadsheet writes it: oui/non, decimal commas, ND for a
    missing lab, French words."""
    if series.dtype == "boolean":
        return series.map({True: "oui", False: "non"}).astype(object).fillna("")
    if series.dtype in ("Float64", "Int64"):
        text = series.astype("string").str.replace(".", ",", regex=False).str.removesuffix(",0")
        return text.astype(object).fillna("")
    return series.astype("string").replace(_FRENCH_WORDS).astype(object).fillna("")


def french_csv_files(frames: dict[str, pd.DataFrame]) -> list[tuple[str, bytes]]:
    """The registry as three French CSV exports: ``patients.csv``, ``visites.csv``,
    ``evenements.csv`` (cp1252, ``;``, decimal commas, oui/non, ``M3`` months)."""
    names = {"patients": "patients.csv", "visits": "visites.csv", "events": "evenements.csv"}
    files = []
    for table, frame in frames.items():
        out = pd.DataFrame({FRENCH_HEADERS[table][c]: _french_cells(frame[c]) for c in frame.columns})
        if table in ("visits", "events"):
            out["Mois"] = "M" + frame["month"].astype(int).astype(str)
        if table == "visits":
            # A lab not done is written "ND" in French exports.
            out["C3"] = out["C3"].mask(out["C3"].eq(""), "ND")
        buffer = io.StringIO()
        out.to_csv(buffer, sep=";", index=False)
        files.append((names[table], buffer.getvalue().encode("cp1252")))
    return files

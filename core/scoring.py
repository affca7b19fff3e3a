"""Clinical rules over pandas Series, one function per concept.

The rules the panels apply are written once, in SQL (``core.queries``, each with its
reference to the contract); the functions here evaluate the same expressions over
columns, for tests and callers holding Series. Reading a drug name
(``drug_name``) is text matching and stays here; the panels pass its factors to SQL.
Missing values are ``pd.NA``; every rule says what a missing value does.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from core import queries
from core.schema import CS_DRUG_FACTORS, normalise

CR, PR, NR = "CR", "PR", "NR"
DOWN, UP, STABLE, UNKNOWN = "down", "up", "stable", "unknown"
# A fixed sentence (never the drug names, which are user text): the names travel in
# their own field (e.g. ``Steroids.unknown_drugs``) and are shown as plain text.
NOTE_UNKNOWN_DRUG = "corticosteroid drug not recognised: its doses are left out of the prednisone-equivalent summaries"


def _num(series) -> pd.Series:
    return pd.to_numeric(pd.Series(series), errors="coerce").astype("Float64")


def _flag(series) -> pd.Series:
    return pd.Series(series).astype("boolean")


def _rule(expression: str, columns: dict[str, pd.Series], dtype: str, params: dict | None = None) -> pd.Series:
    index = next(iter(columns.values())).index
    aligned = {name: column.set_axis(index) for name, column in columns.items()}
    return queries.evaluate_rule(expression, aligned, params).astype(dtype)


def score_cutaneous(active_m0, active_mk, new_mk) -> pd.Series:
    """Cutaneous response at Mk from raw components, against M0 (NA when unknown):
    ``queries.cutaneous_response_sql`` over these columns.

    Reference: cohort-format.md, "Derived definitions" (poster response table).
    """
    sql = queries.cutaneous_response_sql("m0", "mk", "new")
    return _rule(sql, {"m0": _num(active_m0), "mk": _num(active_mk), "new": _flag(new_mk)}, "string")


def score_articular(painful_m0, swollen_m0, flares_m0, painful_mk, swollen_mk, new_mk, flares_mk) -> pd.Series:
    """Articular response at Mk from raw components, against M0 (NA when unknown):
    ``queries.articular_response_sql`` over these columns.

    Reference: cohort-format.md, "Derived definitions" (poster response table).
    """
    columns = {"painful_m0": _num(painful_m0), "swollen_m0": _num(swollen_m0), "flares_m0": _num(flares_m0),
               "painful": _num(painful_mk), "swollen": _num(swollen_mk), "new": _flag(new_mk),
               "flares": _num(flares_mk)}
    sql = queries.articular_response_sql("painful_m0", "swollen_m0", "flares_m0", "painful", "swollen", "new",
                                         "flares")
    return _rule(sql, columns, "string")


def shift(m0, mk, tolerance: float = 0.10) -> pd.Series:
    """Shift of a lab value from M0 to Mk: "down", "up", "stable" or "unknown"
    (``queries.shift_sql``: stable within +-tolerance of M0, inclusive).

    Reference: cohort-format.md, "Derived definitions" (shift of a lab value).
    """
    params = {"shift_tolerance": float(tolerance), "boundary_slack": 1 + queries.BOUNDARY_SLACK}
    return _rule(queries.shift_sql("m0", "mk"), {"m0": _num(m0), "mk": _num(mk)}, "string", params)


def anti_dsdna_elevated(elevated, value, threshold: float = 10.0) -> pd.Series:
    """Anti-dsDNA elevated: the recorded flag if given, else value > threshold (IU/mL);
    NA when both are missing (``queries.anti_dsdna_elevated_sql``).

    Reference: cohort-format.md, "Derived definitions" (anti-dsDNA elevated).
    """
    return _rule(queries.anti_dsdna_elevated_sql("flag", "value"), {"flag": _flag(elevated), "value": _num(value)},
                 "boolean", {"anti_dsdna_threshold": float(threshold)})


def complement_activated(low, c3, c4, c3_low: float = 0.9, c4_low: float = 0.1) -> pd.Series:
    """Complement activation: the recorded flag if given, else C3 < c3_low or C4 < c4_low
    (g/L); NA when both are missing (``queries.complement_activated_sql``).

    Reference: cohort-format.md, "Derived definitions" (complement activation).
    """
    return _rule(queries.complement_activated_sql("low", "c3", "c4"),
                 {"low": _flag(low), "c3": _num(c3), "c4": _num(c4)}, "boolean",
                 {"c3_low": float(c3_low), "c4_low": float(c4_low)})


# Brand names of ``schema.CS_DRUG_FACTORS`` and the drug each one is, so that a cell
# naming a drug and its brand ("Prednisolone (Solupred)") names one drug, not two.
_BRANDS = {"cortancyl": "prednisone", "solupred": "prednisolone", "medrol": "methylprednisolone",
           "solumedrol": "methylprednisolone", "celestene": "betamethasone"}


def drug_name(text: str) -> str | None:
    """The known drug (a key of ``schema.CS_DRUG_FACTORS``) a ``cs_drug`` cell names, or
    None: a known name must appear as a word of the cell, accents and case ignored
    ("Cortancyl 5mg", "Prednisolone (Solupred)", "méthylprednisolone"). Two adjacent
    words count as one when they spell a name ("Solu-Médrol", "methyl-prednisolone").
    A cell naming two different drugs names none (ambiguous).

    Reference: cohort-format.md, visits table (``cs_drug``); Liu D et al. Allergy
    Asthma Clin Immunol 2013;9:30 (Table 1).
    """
    words = normalise(text).split("_")
    found: dict[str, str] = {}
    covered: set[int] = set()
    # Pairs first: "methyl_prednisolone" is methylprednisolone, not prednisolone.
    for size in (2, 1):
        for start in range(len(words) - size + 1):
            span = range(start, start + size)
            joined = "".join(words[start:start + size])
            if joined in CS_DRUG_FACTORS and covered.isdisjoint(span):
                found.setdefault(_BRANDS.get(joined, joined), joined)
                covered.update(span)
    return next(iter(found.values())) if len(found) == 1 else None


def drug_factor(drug) -> pd.Series:
    """Prednisone-equivalent factor of each ``cs_drug``: 1.0 when blank (prednisone),
    the factor of the one known drug the cell names (``drug_name``), else NA.

    Reference: Liu D et al. Allergy Asthma Clin Immunol 2013;9:30 (Table 1).
    """
    text = pd.Series(drug, dtype="string")
    # Read each distinct name once (a handful), then spread to every cell.
    codes, names = pd.factorize(text)
    names = [str(name).strip() for name in names]
    factors = np.array([1.0 if name == "" else CS_DRUG_FACTORS.get(drug_name(name), np.nan) for name in names]
                       + [1.0])  # the last one: blank cells (code -1)
    return pd.Series(factors[codes], index=text.index, dtype="Float64")


def prednisone_equivalent(dose, drug) -> pd.Series:
    """Dose in mg/day of prednisone equivalent; NA when the dose is unknown or a dose
    above 0 names an unknown drug, a dose of 0 is 0 whatever the drug
    (``queries.prednisone_equivalent_sql``).

    Reference: Liu D et al. Allergy Asthma Clin Immunol 2013;9:30 (Table 1).
    """
    mg = _num(dose)
    return _rule(queries.prednisone_equivalent_sql("dose", "factor"),
                 {"dose": mg, "factor": drug_factor(drug).set_axis(mg.index)}, "Float64")


def unknown_drug_dose(dose, drug) -> pd.Series:
    """True where a dose above 0 names a drug with no known prednisone equivalent: the
    patient is on corticosteroids, but the dose is left out of the equivalent summaries."""
    mg = _num(dose)
    return _rule(queries.unknown_drug_dose_sql("dose", "factor"),
                 {"dose": mg, "factor": drug_factor(drug).set_axis(mg.index)}, "bool")


def unknown_drugs(drug) -> tuple[str, ...]:
    """The distinct ``cs_drug`` names with no known prednisone equivalent, sorted."""
    text = pd.Series(drug, dtype="string").str.strip()
    factor = drug_factor(text)
    return tuple(sorted(text[factor.isna() & text.notna()].unique()))

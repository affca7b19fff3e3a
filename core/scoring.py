"""Clinical rules, one function per concept, vectorised over pandas Series.

Missing values are ``pd.NA``; every rule says what a missing value does.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.schema import CS_DRUG_FACTORS, normalise

CR, PR, NR = "CR", "PR", "NR"
DOWN, UP, STABLE, UNKNOWN = "down", "up", "stable", "unknown"
# Relative slack on the +-tolerance boundary so that binary rounding (3.3 -> 3.63 is
# 10.000000000000009 %) does not move an exact boundary out of "stable".
_BOUNDARY_SLACK = 1e-9
# A fixed sentence (never the drug names, which are user text): the names travel in
# their own field (e.g. ``Steroids.unknown_drugs``) and are shown as plain text.
NOTE_UNKNOWN_DRUG = "corticosteroid drug not recognised: its doses are left out of the prednisone-equivalent summaries"


def _num(series) -> pd.Series:
    return pd.to_numeric(pd.Series(series), errors="coerce").astype("Float64")


def _flag(series) -> pd.Series:
    return pd.Series(series).astype("boolean")


def _category(conditions: list[pd.Series], labels: list[str], index) -> pd.Series:
    """The first label whose condition is (known) true, else NA."""
    conds = [c.fillna(False).to_numpy(dtype=bool) for c in conditions]
    out = np.select(conds, labels, default="")
    return pd.Series(out, index=index, dtype="string").replace("", pd.NA)


def score_cutaneous(active_m0, active_mk, new_mk) -> pd.Series:
    """Cutaneous response at Mk from raw components, against M0.

    CR: no active lesion left (count known to be 0) and no new lesion. PR: fewer active
    lesions than at M0 (both known) and no new lesion. NR: a new lesion, or counts known
    at both visits without a decrease. Otherwise unknown (NA). A blank new-lesion flag
    means none.

    Reference: cohort-format.md, "Derived definitions" (poster response table).
    """
    m0, mk = _num(active_m0), _num(active_mk)
    new = _flag(new_mk).fillna(False)
    comparable = m0.notna() & mk.notna()
    return _category(
        [~new & (mk == 0), ~new & comparable & (mk < m0), new | comparable],
        [CR, PR, NR],
        mk.index,
    )


def score_articular(painful_m0, swollen_m0, flares_m0, painful_mk, swollen_mk, new_mk, flares_mk) -> pd.Series:
    """Articular response at Mk from raw components, against M0.

    CR: no painful and no swollen joint left (both known to be 0) and no new painful
    joint. PR: not CR, and fewer painful joints, or fewer swollen joints, or fewer
    flares than at M0 (each comparison needs both values). NR: not CR nor PR with at
    least one component known at both visits. Otherwise unknown (NA). A blank
    new-painful-joint flag means none.

    Reference: cohort-format.md, "Derived definitions" (poster response table).
    """
    pairs = [(_num(painful_m0), _num(painful_mk)), (_num(swollen_m0), _num(swollen_mk)),
             (_num(flares_m0), _num(flares_mk))]
    new = _flag(new_mk).fillna(False)
    painful, swollen = pairs[0][1], pairs[1][1]
    complete = ~new & (painful == 0) & (swollen == 0)
    decreased = pd.Series(False, index=painful.index, dtype="boolean")
    comparable = decreased.copy()
    for before, after in pairs:
        decreased = decreased | (after < before).fillna(False)
        comparable = comparable | (before.notna() & after.notna())
    return _category([complete, decreased, comparable], [CR, PR, NR], painful.index)


def shift(m0, mk, tolerance: float = 0.10) -> pd.Series:
    """Shift of a lab value from M0 to Mk: "down", "up", "stable" or "unknown".

    Stable when the relative change against M0 is within +-tolerance, inclusive. From
    an M0 of 0: stable if still 0, else up. Unknown when either value is missing.

    Reference: cohort-format.md, "Derived definitions" (shift of a lab value).
    """
    before, after = _num(m0), _num(mk)
    change = after - before
    allowed = before.abs() * tolerance * (1 + _BOUNDARY_SLACK)
    zero = before == 0
    out = _category(
        [zero & (after == 0), zero & after.notna(), change.abs() <= allowed, change < 0, change > 0],
        [STABLE, UP, STABLE, DOWN, UP],
        before.index,
    )
    return out.fillna(UNKNOWN)


def anti_dsdna_elevated(elevated, value, threshold: float = 10.0) -> pd.Series:
    """Anti-dsDNA elevated: the recorded flag if given, else value > threshold (IU/mL);
    NA when both are missing.

    Reference: cohort-format.md, "Derived definitions" (anti-dsDNA elevated).
    """
    return _flag(elevated).fillna(_num(value) > threshold)


def complement_activated(low, c3, c4, c3_low: float = 0.9, c4_low: float = 0.1) -> pd.Series:
    """Complement activation: the recorded flag if given, else C3 < c3_low or C4 < c4_low
    (g/L): activated when any known value is low, not activated when at least one is
    known and none is low, NA when both are missing.

    Reference: cohort-format.md, "Derived definitions" (complement activation).
    """
    c3, c4 = _num(c3), _num(c4)
    any_low = (c3 < c3_low).fillna(False) | (c4 < c4_low).fillna(False)
    derived = any_low.astype("boolean").where(c3.notna() | c4.notna(), pd.NA)
    return _flag(low).fillna(derived)


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
    text = pd.Series(drug, dtype="string").str.strip()
    blank = (text.isna() | (text == "")).fillna(True)
    # Read each distinct name once (a handful), then map vectorised.
    names = text[~blank].unique()
    factors = {name: CS_DRUG_FACTORS.get(drug_name(name), np.nan) for name in names}
    mapped = text.map(factors).astype("Float64")
    return mapped.mask(blank, 1.0)


def prednisone_equivalent(dose, drug) -> pd.Series:
    """Dose in mg/day of prednisone equivalent; NA when the dose is unknown or a dose
    above 0 names an unknown drug (a dose of 0 is 0 whatever the drug).

    Reference: Liu D et al. Allergy Asthma Clin Immunol 2013;9:30 (Table 1).
    """
    mg = _num(dose)
    return (mg * drug_factor(drug)).mask((mg == 0).fillna(False), 0.0)


def unknown_drug_dose(dose, drug) -> pd.Series:
    """True where a dose above 0 names a drug with no known prednisone equivalent: the
    patient is on corticosteroids, but the dose is left out of the equivalent summaries."""
    return ((_num(dose) > 0) & drug_factor(drug).isna()).fillna(False).astype(bool)


def unknown_drugs(drug) -> tuple[str, ...]:
    """The distinct ``cs_drug`` names with no known prednisone equivalent, sorted."""
    text = pd.Series(drug, dtype="string").str.strip()
    factor = drug_factor(text)
    return tuple(sorted(text[factor.isna() & text.notna()].unique()))

"""The clinical rules the panels apply, each one SQL expression citing the contract.

Each returns one SQL expression over the column expressions it is given (identifiers
written in this package, never user text). Parameters ($name) are bound by the query
that uses the rule (``rule_params``). ``core.scoring`` evaluates the same expressions
over pandas columns (``evaluate_rule``), so each rule is written once.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb
import pandas as pd

if TYPE_CHECKING:
    from core.settings import Settings

# Relative slack on the +-tolerance boundary so that binary rounding (3.3 -> 3.63 is
# 10.000000000000009 %) does not move an exact boundary out of "stable".
BOUNDARY_SLACK = 1e-9


def rule_params(settings: Settings) -> dict:
    """The settings the rules read, as bound parameters."""
    return {"shift_tolerance": float(settings.shift_tolerance), "boundary_slack": 1 + BOUNDARY_SLACK,
            "anti_dsdna_threshold": float(settings.anti_dsdna_threshold),
            "c3_low": float(settings.c3_low), "c4_low": float(settings.c4_low)}


def cutaneous_response_sql(active_m0: str, active_mk: str, new_mk: str) -> str:
    """Cutaneous response at Mk from raw components, against M0: 'CR', 'PR', 'NR' or NULL.

    CR: no active lesion left (count known to be 0) and no new lesion. PR: fewer active
    lesions than at M0 (both known) and no new lesion. NR: a new lesion, or counts known
    at both visits without a decrease. Otherwise unknown (NULL). A blank new-lesion flag
    means none.

    Reference: cohort-format.md, "Derived definitions" (response from raw components).
    """
    new = f"coalesce({new_mk}, FALSE)"
    comparable = f"({active_m0} IS NOT NULL AND {active_mk} IS NOT NULL)"
    return f"""CASE
        WHEN NOT {new} AND {active_mk} = 0 THEN 'CR'
        WHEN NOT {new} AND {comparable} AND {active_mk} < {active_m0} THEN 'PR'
        WHEN {new} OR {comparable} THEN 'NR'
    END"""


def articular_response_sql(painful_m0: str, swollen_m0: str, flares_m0: str, painful_mk: str,
                           swollen_mk: str, new_mk: str, flares_mk: str) -> str:
    """Articular response at Mk from raw components, against M0: 'CR', 'PR', 'NR' or NULL.

    CR: no painful and no swollen joint left (both known to be 0) and no new painful
    joint. PR: not CR, and fewer painful joints, or fewer swollen joints, or fewer
    flares than at M0 (each comparison needs both values). NR: not CR nor PR with at
    least one component known at both visits. Otherwise unknown (NULL). A blank
    new-painful-joint flag means none.

    Reference: cohort-format.md, "Derived definitions" (response from raw components).
    """
    pairs = ((painful_m0, painful_mk), (swollen_m0, swollen_mk), (flares_m0, flares_mk))
    decreased = " OR ".join(f"coalesce({after} < {before}, FALSE)" for before, after in pairs)
    comparable = " OR ".join(f"({before} IS NOT NULL AND {after} IS NOT NULL)" for before, after in pairs)
    return f"""CASE
        WHEN NOT coalesce({new_mk}, FALSE) AND {painful_mk} = 0 AND {swollen_mk} = 0 THEN 'CR'
        WHEN {decreased} THEN 'PR'
        WHEN {comparable} THEN 'NR'
    END"""


def shift_sql(m0: str, mk: str) -> str:
    """Shift of a lab value from M0 to Mk: 'down', 'up', 'stable' or 'unknown'.

    Stable when the relative change against M0 is within +-$shift_tolerance, inclusive
    (with ``BOUNDARY_SLACK``). From an M0 of 0: stable if still 0, else up. Unknown when
    either value is missing.

    Reference: cohort-format.md, "Derived definitions" (shift of a lab value).
    """
    return f"""CASE
        WHEN {m0} = 0 AND {mk} = 0 THEN 'stable'
        WHEN {m0} = 0 AND {mk} IS NOT NULL THEN 'up'
        WHEN abs({mk} - {m0}) <= abs({m0}) * $shift_tolerance * $boundary_slack THEN 'stable'
        WHEN {mk} - {m0} < 0 THEN 'down'
        WHEN {mk} - {m0} > 0 THEN 'up'
        ELSE 'unknown'
    END"""


def anti_dsdna_elevated_sql(elevated: str, value: str) -> str:
    """Anti-dsDNA elevated: the recorded flag if given, else value > $anti_dsdna_threshold
    (IU/mL); NULL when both are missing.

    Reference: cohort-format.md, "Derived definitions" (anti-dsDNA elevated).
    """
    return f"coalesce({elevated}, {value} > $anti_dsdna_threshold)"


def complement_activated_sql(low: str, c3: str, c4: str) -> str:
    """Complement activation: the recorded flag if given, else C3 < $c3_low or
    C4 < $c4_low (g/L): activated when any known value is low, not activated when at
    least one is known and none is low, NULL when both are missing.

    Reference: cohort-format.md, "Derived definitions" (complement activation).
    """
    derived = (f"CASE WHEN {c3} IS NULL AND {c4} IS NULL THEN NULL "
               f"ELSE coalesce({c3} < $c3_low, FALSE) OR coalesce({c4} < $c4_low, FALSE) END")
    return f"coalesce({low}, {derived})"


def ifn_positive_sql(signature: str) -> str:
    """IFN signature positive: TRUE for 'positive', FALSE for 'negative', NULL when missing.

    Reference: cohort-format.md, visits table (``ifn_signature``).
    """
    return f"({signature} = 'positive')"


def prednisone_equivalent_sql(dose: str, factor: str) -> str:
    """Dose in mg/day of prednisone equivalent, ``factor`` being the drug's (``core.db``
    stores it with each visit as ``_cs_factor``: 1 without a drug, NULL for a drug with
    no known equivalent): NULL when the dose is unknown or a dose above 0 names an
    unknown drug; a dose of 0 is 0 whatever the drug.

    Reference: cohort-format.md, visits table (``cs_drug``); Liu D et al. Allergy Asthma
    Clin Immunol 2013;9:30 (Table 1).
    """
    return f"CASE WHEN {dose} = 0 THEN 0.0 ELSE {dose} * {factor} END"


def unknown_drug_dose_sql(dose: str, factor: str) -> str:
    """A dose above 0 of a drug with no known prednisone equivalent: the patient is on
    corticosteroids, but the dose is left out of the equivalent summaries.

    Reference: cohort-format.md, "Derived definitions" (on corticosteroids).
    """
    return f"coalesce({dose} > 0 AND {factor} IS NULL, FALSE)"


def evaluate_rule(expression: str, columns: dict[str, pd.Series], params: dict | None = None) -> pd.Series:
    """``expression`` (a rule above, written over the names of ``columns``) for each row
    of ``columns``, in a throwaway in-memory DuckDB; indexed like the first column."""
    index = next(iter(columns.values())).index
    frame = pd.DataFrame({name: series.reset_index(drop=True) for name, series in columns.items()})
    con = duckdb.connect(":memory:", config={"temp_directory": ""})
    try:
        con.register("rows", frame)
        result = con.execute(f"SELECT {expression} AS value FROM rows", params or {}).df()["value"]
    finally:
        con.close()
    return result.set_axis(index)

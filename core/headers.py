"""Headers -> canonical columns: which column of a canonical table a header names, and
the visit column and month a wide sheet's header carries.

Headers are compared once normalised (``schema.normalise``) against the contract's
aliases, a trailing unit allowed (``C3 (g/L)``). A visit column may be marked with its
month, after or before the name (``Dose CT M3``, ``m3_dose_ct``); a month outside the
contract's range names no visit (``bad_month_header``).
"""
from __future__ import annotations

import re

from core.schema import ALIASES, COLUMNS, VISIT_VALUE_COLUMNS, normalise

_MONTH = COLUMNS["visits"]["month"]
# "dose_ct_m3" or "m3_dose_ct". A bare "_3" is not read as a month: "c3" and numbered
# copies of a column ("score_2") would be misread.
_SUFFIX = re.compile(r"^(?P<alias>.+)_m(?P<month>\d{1,3})$")
_PREFIX = re.compile(r"^m(?P<month>\d{1,3})_(?P<alias>.+)$")
# A unit after a header ("C3 (g/L)", "Dose CT M3 (mg/j)") names the column's own unit;
# units that would change the value (mg/kg, mg/dL) are not stripped, so stay unknown.
_UNIT = re.compile(r"_(?:mg(?:_(?:j|jour|d|day|24_?h))?|g_l|ui_ml|iu_ml|u_ml|ans?|years?|yrs?)$")


def canonical_header(table: str, name: str) -> str | None:
    """The canonical column a normalised header names in ``table`` (a trailing unit allowed).

    A patient column may carry the month of the first dose, as French wide sheets write
    it (``Atteinte cutanée M0``); an exact alias still wins (``age_m0``), and another
    month on a patient column names nothing.
    """
    exact = ALIASES[table].get(name) or ALIASES[table].get(_UNIT.sub("", name))
    if exact or table != "patients":
        return exact
    for pattern in (_SUFFIX, _PREFIX):
        match = pattern.match(_UNIT.sub("", name))
        if match and int(match["month"]) == 0:
            return ALIASES[table].get(match["alias"]) or ALIASES[table].get(_UNIT.sub("", match["alias"]))
    return None


def wide_reading(name: str) -> tuple[str, int] | None:
    """(canonical visit column, month) for a month-marked header whose month is in range, else None."""
    reading = month_marked(name)
    return reading if reading and _MONTH.low <= reading[1] <= _MONTH.high else None


def names_a_month(name: str) -> bool:
    """Whether a normalised header carries a month as a wide sheet's columns do
    (``sledai_m0``, ``m3_dose_ct``), whatever column it names."""
    bare = _UNIT.sub("", name)
    return any(pattern.match(bare) for pattern in (_SUFFIX, _PREFIX))


def month_marked(name: str) -> tuple[str, int] | None:
    """(canonical visit column, month) for a visit column marked with any month."""
    for pattern in (_SUFFIX, _PREFIX):
        match = pattern.match(_UNIT.sub("", name))
        column = match and canonical_header("visits", match["alias"])
        if column in VISIT_VALUE_COLUMNS:
            return column, int(match["month"])
    return None


def bad_month_header(header: str) -> bool:
    """Whether ``header`` names a visit column at a month outside the contract's range
    (``Dose CT M999``): such a column is kept as an extra, not read as a visit."""
    name = normalise(header)
    return bool(month_marked(name)) and not wide_reading(name)

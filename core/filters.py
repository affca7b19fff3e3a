"""Subgroup filters: one specification that restricts both populations.

A ``Filter`` is declarative (what the user asked for); ``resolve_filter`` checks it
against a cohort and maps text values to the values stored there, and the SQL in
``core.queries`` turns it into one WHERE clause with bound parameters.

An extra patient column (one the schema does not know) is a filter only when it is
categorical in a way that cannot single out a patient: it has ``MIN_LEVELS`` to
``MAX_LEVELS`` distinct non-blank values and EVERY value is held by at least
``MIN_PATIENTS_PER_LEVEL`` patients. A name, a record number or a date of birth fails
(a value held by one patient identifies them), so it is neither offered in the app nor
accepted from the command line, and never reaches a shared link.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

import pandas as pd

from core import queries
from core.schema import FALSE_WORDS, IFN_WORDS, SEX_WORDS, TRUE_WORDS, normalise

# The rule for extra columns as filters (see the module docstring).
MIN_LEVELS = 2
MAX_LEVELS = 20
MIN_PATIENTS_PER_LEVEL = 2


class FilterError(ValueError):
    """A filter the user wrote that cannot be applied; the message says how to fix it."""


@dataclass(frozen=True)
class Band:
    """A numeric interval; ``None`` bounds are open. Patients with the value missing
    are outside every band."""

    low: float | None = None
    high: float | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True

    def contains(self, value: float) -> bool:
        if self.low is not None and (value < self.low or (value == self.low and not self.low_inclusive)):
            return False
        return not (self.high is not None and (value > self.high or (value == self.high and not self.high_inclusive)))


@dataclass(frozen=True)
class Filter:
    """A subgroup: every field set must hold (AND); values within a field are OR.

    ``hcq``, ``corticosteroids`` (dose > 0) and ``ifn`` are read on the M0 visit;
    ``extra`` holds (extra patient column, accepted values) pairs.
    """

    centre: tuple[str, ...] = ()
    sex: tuple[str, ...] = ()
    age: Band | None = None
    prior_lines: Band | None = None
    hcq: bool | None = None
    corticosteroids: bool | None = None
    cutaneous: bool | None = None
    articular: bool | None = None
    ifn: tuple[str, ...] = ()
    extra: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return self == Filter()

    def describe(self) -> str:
        """The filter in the CLI's own syntax, e.g. ``sex=F; age>=18; age<50``."""
        parts = [f"{name}={','.join(getattr(self, name))}" for name in ("centre", "sex", "ifn") if getattr(self, name)]
        for name in _BAND_FIELDS:
            band = getattr(self, name)
            if band is not None and band.low is not None:
                parts.append(f"{name}{'>=' if band.low_inclusive else '>'}{band.low:g}")
            if band is not None and band.high is not None:
                parts.append(f"{name}{'<=' if band.high_inclusive else '<'}{band.high:g}")
        parts += [f"{name}={str(getattr(self, name)).lower()}" for name in _BOOL_FIELDS
                  if getattr(self, name) is not None]
        parts += [f"{column}={','.join(values)}" for column, values in self.extra]
        return "; ".join(parts)


@dataclass(frozen=True)
class FilterOptions:
    """What a cohort offers to filter on (for the sidebar)."""

    centres: tuple[str, ...]
    sexes: tuple[str, ...]
    age_range: tuple[float, float] | None
    prior_lines_range: tuple[int, int] | None
    ifn: tuple[str, ...]
    extra: tuple[tuple[str, tuple[str, ...]], ...]


_KEYS = {
    "centre": "centre", "center": "centre", "site": "centre",
    "sex": "sex", "sexe": "sex",
    "age": "age",
    "prior_lines": "prior_lines", "lines": "prior_lines", "lignes": "prior_lines",
    "hcq": "hcq",
    "cs": "corticosteroids", "corticosteroids": "corticosteroids", "ct": "corticosteroids",
    "cutaneous": "cutaneous", "cutane": "cutaneous",
    "articular": "articular", "articulaire": "articular",
    "ifn": "ifn", "ifn_signature": "ifn",
}
_BOOL_FIELDS = ("hcq", "corticosteroids", "cutaneous", "articular")
_IFN_ACCEPTED = {**IFN_WORDS, "+": "positive", "-": "negative"}
_BAND_FIELDS = ("age", "prior_lines")
_EXPRESSION = re.compile(r"^\s*([^<>=!]+?)\s*(>=|<=|=|<|>)\s*(.*?)\s*$")


def parse_filters(expressions: list[str] | tuple[str, ...]) -> Filter:
    """Parse CLI expressions such as ``centre=Lille``, ``sex=F``, ``hcq=true``,
    ``prior_lines>=2``, ``age<50`` or ``<extra column>=a,b`` into one ``Filter``.

    Raises ``FilterError`` with a message naming the bad expression.
    """
    flt = Filter()
    for text in expressions:
        match = _EXPRESSION.match(text)
        if not match or not match.group(3):
            raise FilterError(f"cannot read filter {text!r}: write KEY=VALUE, e.g. sex=F or age<50")
        key_text, op, value = match.groups()
        key = _KEYS.get(normalise(key_text), normalise(key_text))
        if key in _BAND_FIELDS:
            flt = replace(flt, **{key: _merge_band(getattr(flt, key), op, _number(text, value))})
            continue
        if op != "=":
            raise FilterError(f"filter {text!r}: {key_text.strip()} takes '=', not {op!r}")
        values = tuple(v.strip() for v in value.split(",") if v.strip())
        if not values:  # "centre=," would otherwise select nothing, i.e. the whole cohort
            raise FilterError(f"filter {text!r}: no value; write {key_text.strip()}=VALUE (several: a,b)")
        if key in _BOOL_FIELDS:
            flt = _set_once(flt, text, key, _boolean(text, value))
        elif key == "sex":
            flt = _set_once(flt, text, key, tuple(_word(text, v, SEX_WORDS, "F or M") for v in values))
        elif key == "ifn":
            flt = _set_once(flt, text, key, tuple(_word(text, v, _IFN_ACCEPTED, "positive or negative") for v in values))
        elif key == "centre":
            flt = _set_once(flt, text, key, values)
        else:
            if any(name == key for name, _ in flt.extra):
                raise FilterError(f"filter {text!r}: {key} is given twice; list values as {key}=a,b")
            flt = replace(flt, extra=(*flt.extra, (key, values)))
    return flt


def _set_once(flt: Filter, text: str, key: str, value) -> Filter:
    if getattr(flt, key) not in (None, ()):
        raise FilterError(f"filter {text!r}: {key} is given twice; list values as {key}=a,b")
    return replace(flt, **{key: value})


def _number(text: str, value: str) -> float:
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        number = math.nan
    if math.isnan(number):
        raise FilterError(f"filter {text!r}: {value!r} is not a number")
    return number


def _boolean(text: str, value: str) -> bool:
    word = normalise(value)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise FilterError(f"filter {text!r}: {value!r} is not yes/no (write true or false)")


def _word(text: str, value: str, words: dict[str, str], accepted: str) -> str:
    # Signs ("+", "-") vanish under normalisation, so the raw text is tried first.
    word = words.get(value.strip()) or words.get(normalise(value))
    if word is None:
        raise FilterError(f"filter {text!r}: {value!r} is not accepted (write {accepted})")
    return word


def _merge_band(band: Band | None, op: str, number: float) -> Band:
    band = band or Band()
    if op in (">", ">=", "="):
        band = replace(band, low=number, low_inclusive=op != ">")
    if op in ("<", "<=", "="):
        band = replace(band, high=number, high_inclusive=op != "<")
    return band


def filter_options(cohort) -> FilterOptions:
    """Distinct centres, sexes, IFN statuses, age and prior-lines ranges, and the extra
    patient columns usable as filters (the rule in the module docstring) with their
    sorted values, present in ``cohort``."""
    con = cohort.con
    ranges = queries.numeric_ranges_query(con)
    age = ranges.loc[0, ["age_min", "age_max"]]
    lines = ranges.loc[0, ["lines_min", "lines_max"]]
    return FilterOptions(
        centres=tuple(queries.distinct_values_query(con, "patients", "centre")),
        sexes=tuple(queries.distinct_values_query(con, "patients", "sex")),
        age_range=None if age.isna().any() else (float(age.iloc[0]), float(age.iloc[1])),
        prior_lines_range=None if lines.isna().any() else (int(lines.iloc[0]), int(lines.iloc[1])),
        ifn=tuple(queries.distinct_values_query(con, "visits", "ifn_signature")),
        extra=tuple(_usable_extras(cohort, cohort.extra_columns.get("patients", ())).items()),
    )


def _usable_extras(cohort, columns) -> dict[str, tuple[str, ...]]:
    """The columns among ``columns`` that may be filters, with their sorted values."""
    columns = tuple(dict.fromkeys(columns))

    def usable() -> dict[str, tuple[str, ...]]:
        levels = queries.extra_levels_query(cohort.con, columns, MAX_LEVELS, MIN_LEVELS, MIN_PATIENTS_PER_LEVEL)
        return {name: tuple(group["value"]) for name, group in levels.groupby("column", sort=False)}

    return cohort.remember(("usable_extras", columns), usable)


def extra_filter_reasons(cohort) -> dict[str, str | None]:
    """For each extra patient column of ``cohort``: None when it is offered as a filter,
    else why not, by the rule in the module docstring: ``too_few_values``,
    ``too_many_values`` or ``rare_value`` (a value held by too few patients)."""
    extras = tuple(dict.fromkeys(cohort.extra_columns.get("patients", ())))
    counts = queries.extra_level_counts_query(cohort.con, extras)
    reasons: dict[str, str | None] = {}
    for name, levels, fewest in counts.itertuples(index=False):  # one row per column
        if levels < MIN_LEVELS:
            reasons[name] = "too_few_values"
        elif levels > MAX_LEVELS:
            reasons[name] = "too_many_values"
        else:
            reasons[name] = "rare_value" if fewest < MIN_PATIENTS_PER_LEVEL else None
    return reasons


def resolve_filter(cohort, flt: Filter | None) -> Filter:
    """``flt`` with centre and extra values mapped to the values stored in ``cohort``.

    A value matches a stored one when equal after normalisation (case, accents,
    punctuation), or else when its words appear in order within it (``Lille`` matches
    ``CHU Lille``). Raises ``FilterError`` for an unknown extra column, one that may
    not be a filter (it could single out a patient), or a value that matches nothing,
    listing what is present.
    """
    if flt is None:
        return Filter()
    if flt.centre:
        # Every panel resolves its filter: the cohort's centres are read once.
        present = cohort.remember(("distinct_values", "patients", "centre"),
                                  lambda: queries.distinct_values_query(cohort.con, "patients", "centre"))
        flt = replace(flt, centre=_match_values("centre", flt.centre, present))
    extras = cohort.extra_columns.get("patients", ())
    by_normal = {normalise(name): name for name in extras}
    columns = [name if name in extras else by_normal.get(normalise(name)) for name, _ in flt.extra]
    usable = _usable_extras(cohort, [c for c in columns if c is not None]) if flt.extra else {}
    resolved = []
    for (name, values), column in zip(flt.extra, columns):
        if column is None:
            known = ", ".join(["centre", "sex", "age", "prior_lines", "hcq", "cs", "cutaneous", "articular", "ifn",
                               *_usable_extras(cohort, extras)])
            raise FilterError(f"unknown filter key {name!r}: use one of {known}")
        if column not in usable:
            raise FilterError(
                f"column {column!r} cannot be a filter: it needs {MIN_LEVELS} to {MAX_LEVELS} values, each held by "
                f"at least {MIN_PATIENTS_PER_LEVEL} patients, so that no choice singles out a patient")
        resolved.append((column, _match_values(column, values, list(usable[column]))))
    return replace(flt, extra=tuple(resolved))


def _match_values(column: str, values: tuple[str, ...], present: list[str]) -> tuple[str, ...]:
    normal = pd.Series(present, dtype="string").map(normalise) if present else pd.Series([], dtype="string")
    matched: list[str] = []
    for value in values:
        wanted = normalise(value)
        exact = [present[i] for i in range(len(present)) if normal.iloc[i] == wanted]
        words = [present[i] for i in range(len(present)) if f"_{wanted}_" in f"_{normal.iloc[i]}_"]
        found = exact or words
        if not wanted or not found:
            listed = ", ".join(present) or "none"
            raise FilterError(f"no {column} matches {value!r}; values present: {listed}")
        matched.extend(v for v in found if v not in matched)
    return tuple(matched)

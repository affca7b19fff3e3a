"""The analysis settings: every default of the contract's "Derived definitions".

A clinician may change any of them (labs differ): the app's sidebar "Definitions" and
``python -m core summarize --set KEY=VALUE`` both build a ``Settings``; every analysis
function takes one and the defaults reproduce the poster.
"""
from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, replace

from core.schema import COLUMNS
from core.stats import SMALL_N


class SettingError(ValueError):
    """A setting the user wrote that cannot be used; the message says how to fix it."""


# (low, high, high inclusive) of each number; None is open. Checked on every Settings.
_RANGES: dict[str, tuple[float, float | None, bool]] = {
    "min_age": (0, 120, True),
    "shift_tolerance": (0, 1, False),
    "anti_dsdna_threshold": (0, None, True),
    "c3_low": (0, None, True),
    "c4_low": (0, None, True),
    "cs_thresholds": (0, None, True),
    "small_n": (0, None, True),
    # 0 is off; 1 masks nothing either (no count lies in 1..0). Above 100 nothing is left.
    "min_cell": (0, 100, True),
    # A follow-up month is a visit month of the cohort format.
    "response_months": (0, COLUMNS["visits"]["month"].high, True),
}
# Settings written as a comma-separated list on the command line. Each value costs a
# computation (a response table per month, a steroid share per threshold), so a list
# holds at most ``MAX_LIST_VALUES``.
_LISTS = ("cs_thresholds", "response_months")
MAX_LIST_VALUES = 12
_INTEGERS = ("small_n", "response_months", "min_cell")
# What ``parse_settings`` accepts: the contract's definitions, not the poster's layout.
SETTABLE = ("min_age", "shift_tolerance", "anti_dsdna_threshold", "c3_low", "c4_low", "cs_thresholds",
            "response_months", "small_n", "min_cell")


@dataclass(frozen=True)
class Settings:
    """Thresholds and rules of the analysis.

    - ``min_age``: patients known to be younger are excluded from the analysed population.
    - ``shift_tolerance``: a relative change vs M0 within +-tolerance (inclusive) is "stable".
    - ``anti_dsdna_threshold``: anti-dsDNA above it (IU/mL) is elevated, when
      ``anti_dsdna_elevated`` is not given.
    - ``c3_low`` / ``c4_low``: complement below these (g/L) is activated, when
      ``complement_low`` is not given.
    - ``cs_thresholds``: prednisone-equivalent doses (mg/day) whose "at or under" share
      the steroid panel reports.
    - ``response_months``: follow-up months to report; empty means every month > 0 seen
      in the data (plus ``poster_months``).
    - ``poster_months``: months always reported (the poster's), even when nobody was seen.
    - ``small_n``: a result on fewer patients carries a note (``core.stats.SMALL_N``).
    - ``min_cell``: small-cell suppression for public display; every count from 1 to
      ``min_cell - 1`` is shown as ``< min_cell`` (``core.suppression``). 0 (default): off.

    Reference: cohort-format.md, "Derived definitions" (version 1).
    """

    min_age: float = 18.0
    shift_tolerance: float = 0.10
    anti_dsdna_threshold: float = 10.0
    c3_low: float = 0.9
    c4_low: float = 0.1
    cs_thresholds: tuple[float, ...] = (7.5, 5.0)
    response_months: tuple[int, ...] = ()
    poster_months: tuple[int, ...] = (3, 6)
    baseline_month: int = 0
    small_n: int = SMALL_N
    min_cell: int = 0

    def __post_init__(self) -> None:
        for name in _LISTS:
            if len(getattr(self, name)) > MAX_LIST_VALUES:
                raise ValueError(f"{name} takes at most {MAX_LIST_VALUES} values, not {len(getattr(self, name))}")
        for name, (low, high, high_inclusive) in _RANGES.items():
            value = getattr(self, name)
            for number in value if isinstance(value, tuple) else (value,):
                if not _within(number, low, high, high_inclusive):
                    raise ValueError(f"{name} must be {_range_text(low, high, high_inclusive)}, not {number!r}")
        if self.min_cell != int(self.min_cell):
            raise ValueError(f"min_cell must be a whole number, not {self.min_cell!r}")
        if any(m <= self.baseline_month for m in self.response_months):
            raise ValueError("response_months must come after the baseline month")

    def changed(self) -> dict[str, object]:
        """The settings that differ from the defaults, by name (tuples as lists)."""
        default = asdict(Settings())
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items() if v != default[k]}


def parse_settings(expressions: list[str] | tuple[str, ...], base: Settings | None = None) -> Settings:
    """``base`` (the defaults) with ``KEY=VALUE`` expressions applied, e.g.
    ``["shift_tolerance=0.15", "anti_dsdna_threshold=20", "cs_thresholds=10,5"]``.

    Raises ``SettingError`` naming the expression for an unknown key, a key given
    twice, a value that is not a number, or a number out of range.
    """
    values: dict[str, object] = {}
    for text in expressions:
        key, sep, raw = text.partition("=")
        key = key.strip().lower()
        if not sep or not key:
            raise SettingError(f"cannot read setting {text!r}: write KEY=VALUE, e.g. shift_tolerance=0.15")
        if key not in SETTABLE:
            raise SettingError(f"unknown setting {key!r}: use one of {', '.join(SETTABLE)}")
        if key in values:
            raise SettingError(f"setting {key!r} is given twice")
        values[key] = _value(text, key, raw)
    try:
        return replace(base or Settings(), **values)
    except ValueError as exc:
        raise SettingError(f"setting out of range: {exc}") from None


def _value(text: str, key: str, raw: str) -> object:
    # A lone number may take a decimal comma (0,15); in a list the comma separates.
    parts = [p.strip() for p in raw.split(",")] if key in _LISTS else [raw.strip().replace(",", ".")]
    if key in _LISTS and parts == [""]:
        return ()
    numbers = []
    for part in parts:
        try:
            number = int(part) if key in _INTEGERS else float(part)
        except ValueError:
            kind = "a whole number" if key in _INTEGERS else "a number"
            raise SettingError(f"setting {text!r}: {part!r} is not {kind}") from None
        if not math.isfinite(number):
            raise SettingError(f"setting {text!r}: {part!r} is not a finite number")
        numbers.append(number)
    return tuple(numbers) if key in _LISTS else numbers[0]


def _within(number: float, low: float, high: float | None, high_inclusive: bool) -> bool:
    if not math.isfinite(number) or number < low:
        return False
    return high is None or number < high or (high_inclusive and number == high)


def _range_text(low: float, high: float | None, high_inclusive: bool) -> str:
    if high is None:
        return f">= {low:g}"
    return f"in [{low:g}, {high:g}{']' if high_inclusive else ')'}"


class NumberTextError(ValueError):
    """A number typed in a field that cannot be read; ``code`` says why (``read_number``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# A number as typed in a field: a sign, digits, and at most one decimal separator.
_TYPED_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")
# A separator after one to three digits (not a lone 0) and before three more may group
# thousands: a comma in English (1,000), a point in French as some write it (1.000).
_GROUPED = {"en": re.compile(r"[+-]?[1-9][0-9]{0,2},[0-9]{3}"), "fr": re.compile(r"[+-]?[1-9][0-9]{0,2}\.[0-9]{3}")}


def read_number(text: str, lang: str) -> float:
    """A number typed by a user in ``lang`` ("en" or "fr"): "0,85" and "0.85" are both
    0.85 in either language (a decimal comma is what a French keyboard gives, and a
    browser's number field would drop it: 0,85 became 85). Spaces (also no-break and
    narrow ones) are ignored, "−" is a minus sign.

    Raises ``NumberTextError``: "not_a_number" for anything else (two separators, a
    unit, an empty text, too many digits), "ambiguous" for a separator that may group
    thousands (``_GROUPED``: 1,000 in English, 1.000 in French: a thousand, or 1.0).
    """
    compact = "".join(text.split()).replace("\u2212", "-")
    if not _TYPED_NUMBER.fullmatch(compact):
        raise NumberTextError("not_a_number")
    if _GROUPED[lang].fullmatch(compact):
        raise NumberTextError("ambiguous")
    number = float(compact.replace(",", "."))
    if not math.isfinite(number):  # more digits than a float holds
        raise NumberTextError("not_a_number")
    return number

"""User-facing text in French and English, and numbers written the way each locale reads them.

The catalogues are ``core/locales/<lang>.json``: flat ``{"area.key": "text"}`` maps, with
``str.format`` fields (``{n}``) for values. Every key exists in every language (a test
checks it), so a missing key is a programming error and raises ``KeyError``.
"""
from __future__ import annotations

import json
import math
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

LANGS = ("fr", "en")
LANG_NAMES = {"fr": "Français", "en": "English"}

# French typography puts a narrow no-break space before "%" and between digit groups
# (CLDR's fr locale does the same); it never breaks "95,5 %" across two lines.
NNBSP = "\u202f"
MISSING = "—"

_LOCALES = Path(__file__).parent / "locales"
_DECIMAL = {"fr": ",", "en": "."}
_GROUP = {"fr": NNBSP, "en": ","}


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The message catalogue of one language (read once per process)."""
    _check_lang(lang)
    with open(_LOCALES / f"{lang}.json", encoding="utf-8") as fh:
        return json.load(fh)


def t(key: str, lang: str, **fmt: object) -> str:
    """The text of ``key`` in ``lang``, with ``{field}`` placeholders filled from ``fmt``."""
    text = catalogue(lang)[key]
    return text.format(**fmt) if fmt else text


def default_lang(locale: str | None) -> str:
    """French for a French browser locale (``fr``, ``fr-FR``, ``fr_CA``), else English."""
    if not locale:
        return "en"
    base = locale.strip().lower().replace("_", "-").split("-")[0]
    return "fr" if base == "fr" else "en"


def fmt_num(x: float | int | None, lang: str, digits: int = 1) -> str:
    """``x`` rounded half up to ``digits`` decimals, with the locale's separators.

    Missing values (None, NaN) are written as an em dash.
    """
    _check_lang(lang)
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return MISSING
    text = f"{_round_half_up(float(x), digits):,.{digits}f}"
    # Swap through a placeholder so "," and "." cannot overwrite each other.
    return text.replace(",", "\0").replace(".", _DECIMAL[lang]).replace("\0", _GROUP[lang])


def fmt_pct(pct: float | None, lang: str, digits: int = 1) -> str:
    """A percentage: ``95,5 %`` (narrow no-break space) in French, ``95.5%`` in English."""
    if pct is None or (isinstance(pct, float) and math.isnan(pct)):
        return MISSING
    sep = NNBSP if lang == "fr" else ""
    return f"{fmt_num(pct, lang, digits)}{sep}%"


def fmt_count(n: int, N: int, pct: float | None, lang: str, digits: int = 1) -> str:
    """A count with its denominator and percentage: ``21/22 (95,5 %)``; ``0/0`` when N is 0."""
    if not N or pct is None:
        return f"{n}/{N}"
    return f"{n}/{N} ({fmt_pct(pct, lang, digits)})"


def _round_half_up(x: float, digits: int) -> Decimal:
    # Round the decimal as written (repr), so 95.45 -> 95.5 and 2.675 -> 2.68, where the
    # binary float alone would round down; halves go away from zero.
    quantum = Decimal(1).scaleb(-digits)
    return Decimal(repr(x)).quantize(quantum, rounding=ROUND_HALF_UP)


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: expected one of {LANGS}")

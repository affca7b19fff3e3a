"""User-facing text in French and English, and numbers written the way each locale reads them.

The catalogues are ``core/locales/<lang>.json``: flat ``{"area.key": "text"}`` maps, with
``str.format`` fields (``{n}``) for values. Every key exists in every language (a test
checks it), so a missing key is a programming error and raises ``KeyError``.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from core.stats import round_half_up

LANGS = ("fr", "en")
LANG_NAMES = {"fr": "Français", "en": "English"}

# French typography puts a narrow no-break space before "%" and between digit groups
# (CLDR's fr locale does the same); it never breaks "95,5 %" across two lines.
NNBSP = "\u202f"
MISSING = "—"

_LOCALES = Path(__file__).parent / "locales"
# Modules whose ``NOTE_*`` constants (notes attached to results) have translations,
# under the key ``stats_note.<name after NOTE_, lower case>``.
_NOTE_MODULES = ("core.stats", "core.significance", "core.scoring")
_DECIMAL = {"fr": ",", "en": "."}
_GROUP = {"fr": NNBSP, "en": ","}


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The message catalogue of one language (read once per process).

    It is ``<lang>.json`` merged with every ``<lang>.<area>.json`` (one file per page or
    area, so that pages can be written side by side); a key defined twice is an error.
    """
    _check_lang(lang)
    merged: dict[str, str] = {}
    for path in (_LOCALES / f"{lang}.json", *sorted(_LOCALES.glob(f"{lang}.*.json"))):
        with open(path, encoding="utf-8") as fh:
            part = json.load(fh)
        twice = merged.keys() & part.keys()
        if twice:
            raise ValueError(f"{path.name} defines keys already defined: {sorted(twice)}")
        merged.update(part)
    return merged


def t(key: str, lang: str, **fmt: object) -> str:
    """The text of ``key`` in ``lang``, with ``{field}`` placeholders filled from ``fmt``."""
    text = catalogue(lang)[key]
    return text.format(**fmt) if fmt else text


def note_text(note: str, lang: str) -> str:
    """A result note (a ``NOTE_*`` constant, e.g. ``core.stats.NOTE_SMALL_N``) in ``lang``.

    A note without a translation gives "": notes are fixed codes, and text that is not
    one (possibly user text) is never shown, nor does it break a page.
    """
    key = _note_keys().get(note)
    return t(key, lang) if key else ""


def note_keys() -> dict[str, str]:
    """Every known result note and its catalogue key."""
    return dict(_note_keys())


@cache
def _note_keys() -> dict[str, str]:
    import importlib

    keys = {}
    for name in _NOTE_MODULES:
        module = importlib.import_module(name)
        for attr in dir(module):
            if attr.startswith("NOTE_"):
                keys[getattr(module, attr)] = f"stats_note.{attr[5:].lower()}"
    return keys


def default_lang(locale: str | None) -> str:
    """French for a French browser locale (``fr``, ``fr-FR``, ``fr_CA``), else English."""
    if not locale:
        return "en"
    base = locale.strip().lower().replace("_", "-").split("-")[0]
    return "fr" if base == "fr" else "en"


def fmt_num(x: float | int | None, lang: str, digits: int = 1) -> str:
    """``x`` rounded half up to ``digits`` decimals, with the locale's separators.

    Missing values (None, NaN, infinities) are written as an em dash.
    """
    _check_lang(lang)
    # round_half_up works on the decimal as written (95.45 -> 95.5, where the binary
    # float alone would round down); the float it returns prints exactly at ``digits``.
    rounded = None if x is None else round_half_up(x, digits)
    if rounded is None:
        return MISSING
    # Adding 0.0 turns -0.0 (from -0.04) into 0.0, so no "-0.0" is printed.
    text = f"{rounded + 0.0:,.{digits}f}"
    # Swap through a placeholder so "," and "." cannot overwrite each other.
    return text.replace(",", "\0").replace(".", _DECIMAL[lang]).replace("\0", _GROUP[lang])


def decimals(x: float, most: int = 6) -> int:
    """The decimals ``x`` has, up to ``most``: 0 for 10.0, 1 for 7.5, 2 for 0.25 (binary
    noise past ``most`` aside: 100 * 0.075 has 1)."""
    return len(f"{float(x):.{most}f}".rstrip("0").split(".")[1])


def plural(n: int | str, lang: str) -> bool:
    """Whether a count takes a plural noun: in English every count but 1, in French from
    2 (0 and 1 take the singular); a count written as text (``< 5``) is plural."""
    if isinstance(n, str):
        return True
    return n >= 2 if lang == "fr" else n != 1


def counted(n: int | str, noun: str, lang: str) -> str:
    """``n`` with its noun (``count.<noun>``, ``count.<noun>_one`` where the count takes
    the singular: ``plural``): ``1 patient``, ``12 patients``, ``< 5 patients``."""
    return t(f"count.{noun}" + ("" if plural(n, lang) else "_one"), lang, n=fmt_int(n, lang))


def fmt_int(n: int | str, lang: str) -> str:
    """A lone count as written: a whole number with the language's thousands separator
    (``175 530`` in French, ``175,530`` in English); text, such as a masked count
    (``< 5``, ``hidden``), as it is. A count over its N (``n/N``) keeps its plain digits
    (``fmt_count``)."""
    return n if isinstance(n, str) else fmt_num(n, lang, 0)


def number_locale(lang: str) -> dict:
    """The d3-format locale of ``lang`` (Vega's ``config.locale.number``): charts write
    their axes and labels with the same separators as ``fmt_num``."""
    _check_lang(lang)
    return {"decimal": _DECIMAL[lang], "thousands": _GROUP[lang], "grouping": [3],
            "currency": ["", "\u00a0€"] if lang == "fr" else ["€", ""]}


def fmt_pct(pct: float | None, lang: str, digits: int = 1) -> str:
    """A percentage: ``95,5 %`` (narrow no-break space) in French, ``95.5%`` in English."""
    text = fmt_num(pct, lang, digits)
    if text == MISSING:
        return MISSING
    return f"{text}{NNBSP}%" if lang == "fr" else f"{text}%"


def fmt_count(n: int, N: int, pct: float | None, lang: str, digits: int = 1) -> str:
    """A count with its denominator and percentage: ``21/22 (95,5 %)``; ``0/0`` when N is 0."""
    if not N or pct is None:
        return f"{n}/{N}"
    return f"{n}/{N} ({fmt_pct(pct, lang, digits)})"


def colon(lang: str) -> str:
    """A label's colon and the space after it: ``LS : Lupus`` in French (a narrow
    no-break space before it, as in the catalogues), ``SLE: Lupus`` in English."""
    return f"{NNBSP}: " if lang == "fr" else ": "


def semicolon(lang: str) -> str:
    """What goes between the items of a list: ``a ; b`` in French (a narrow no-break
    space before the semicolon), ``a; b`` in English."""
    return f"{NNBSP}; " if lang == "fr" else "; "


def fmt_pair(low: float | None, high: float | None, lang: str, digits: int = 1) -> str:
    """Two bounds as the poster writes them: ``6,8 ; 21,0`` in French (a narrow no-break
    space before the semicolon), ``6.8; 21.0`` in English."""
    return f"{fmt_num(low, lang, digits)}{semicolon(lang)}{fmt_num(high, lang, digits)}"


def fmt_ci(low: float | None, high: float | None, lang: str, digits: int = 1, sep: str = " ") -> str:
    """A 95 % confidence interval, the one written form of every page: ``95% CI 65.7 to
    96.7`` in English, ``IC 95 % 65,7 à 96,7`` in French (narrow no-break space before
    "%"); "" when a bound is missing. Bounds of a proportion are percentages, as the
    label of the value they follow already says. ``sep`` goes between the label and the
    bounds (a line break where a chart has no room for one line)."""
    if low is None or high is None or _isnan(low) or _isnan(high):
        return ""
    if lang == "fr":
        return f"IC 95{NNBSP}%{sep}{fmt_num(low, lang, digits)} à {fmt_num(high, lang, digits)}"
    return f"95% CI{sep}{fmt_num(low, lang, digits)} to {fmt_num(high, lang, digits)}"


def fmt_p(p: float | None, lang: str) -> str:
    """A p-value: ``p = 0.007`` (3 decimals, rounded half up), ``p < 0.001`` below that,
    an em dash when there is no test."""
    if p is None or _isnan(p):
        return MISSING
    if p < 0.001:
        return f"p < {fmt_num(0.001, lang, 3)}"
    return f"p = {fmt_num(p, lang, 3)}"


def _isnan(x: float) -> bool:
    return x != x


def fmt_median_iqr(c, lang: str, digits: int = 1) -> str:
    """A median and its quartiles, ``13,5 (6,8 ; 21,0)`` in French, ``13.5 (6.8; 21.0)``
    in English; an em dash without data. ``c`` has ``N``, ``median``, ``q1``, ``q3``
    (``core.stats.Continuous``)."""
    if c.N == 0 or c.median is None:
        return MISSING
    return f"{fmt_num(c.median, lang, digits)} ({fmt_pair(c.q1, c.q3, lang, digits)})"


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: expected one of {LANGS}")

"""Display pieces shared by several panels: month labels, tiles, counts of long tables."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.i18n import counted, fmt_num


@dataclass(frozen=True)
class Tile:
    """One headline number: label, value as shown, and a smaller line under it."""

    label: str
    value: str
    detail: str = ""


def month_label(month: int) -> str:
    """``M6``: the poster's month label, the same in both languages."""
    return f"M{month}"


def count_line(n: int, lang: str) -> str:
    """The size of a long table: ``4 812 patients`` (French digit groups), ``1 patient``
    (French keeps the singular for 0 and 1)."""
    return counted(n, "patients", lang)


def translated(values: pd.Series, label) -> pd.Series:
    """``values`` mapped through ``label``: one translation per distinct value, then a
    vectorised map over the column."""
    return values.map({v: label(v) for v in values.dropna().unique()})


def describe_filter(flt, lang: str) -> str:
    """The sidebar's subgroup in words: ``Sexe : Femme ; Âge (ans) : 30 à 50``.

    Labels come from the filter widgets' catalogue keys (``filters.<field>``); sex and
    IFN values are translated; centre and extra-column values are shown as written.
    """
    from core.i18n import catalogue, colon, semicolon, t

    words = catalogue(lang)
    after_label = colon(lang)
    sep = semicolon(lang)

    def value(kind: str, v: str) -> str:
        return words.get(f"{kind}.{v}", v)

    parts = []
    for name in ("centre", "sex", "ifn"):
        chosen = getattr(flt, name)
        if chosen:
            parts.append(t(f"filters.{name}", lang) + after_label + ", ".join(value(name, v) for v in chosen))
    for name in ("age", "prior_lines"):
        band = getattr(flt, name)
        if band is not None and (band.low is not None or band.high is not None):
            low = "…" if band.low is None else fmt_num(band.low, lang, 0)
            high = "…" if band.high is None else fmt_num(band.high, lang, 0)
            parts.append(t(f"filters.{name}", lang) + after_label + f"{low}–{high}")
    for name in ("hcq", "corticosteroids", "cutaneous", "articular"):
        answer = getattr(flt, name)
        if answer is not None:
            parts.append(t(f"filters.{name}", lang) + after_label + t(f"filters.{'yes' if answer else 'no'}", lang))
    parts += [column + after_label + ", ".join(values) for column, values in flt.extra]
    return sep.join(parts)

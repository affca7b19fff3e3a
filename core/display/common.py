"""Display pieces shared by several panels: month labels, tiles, counts of long tables."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.i18n import fmt_num


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
    """The size of a long table: ``4 812 patients`` (French digit groups), ``1 patient``.

    The word is the same in both languages; French keeps the singular for 0 and 1."""
    plural = n >= 2 if lang == "fr" else n != 1
    return f"{fmt_num(n, lang, 0)} patient{'s' if plural else ''}"


def translated(values: pd.Series, label) -> pd.Series:
    """``values`` mapped through ``label``: one translation per distinct value, then a
    vectorised map over the column."""
    return values.map({v: label(v) for v in values.dropna().unique()})

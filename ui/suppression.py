"""Small-cell suppression on a page (``Settings.min_cell``; the rule: ``core.suppression``).

Pages pass their display tables through ``table`` and ask ``withheld`` before a
per-patient listing; charts are withheld in ``ui.charts.show_chart``; ``ui.panel``
writes the note once at the top of every panel page.
"""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from core.display.suppressed import count_text, masked_table, masked_tile, suppression_note, withheld_note
from core.suppression import active


def note(k: int, lang: str) -> None:
    """The sentence saying counts are masked (nothing when suppression is off)."""
    if active(k):
        st.info(suppression_note(k, lang), icon=":material/visibility_off:")


def table(frame: pd.DataFrame, view, count_columns: Sequence[str] = (),
          rows: Sequence[Sequence[str]] = ()) -> pd.DataFrame:
    """``frame`` with its counts masked under the view's ``min_cell``."""
    return masked_table(frame, view.settings.min_cell, view.lang, count_columns, rows)


def tile(value, view, hide_N: bool = False):
    """A ``core.display.common.Tile`` with its counts masked (``hide_N``: its N is the
    hidden treated count)."""
    return masked_tile(value, view.settings.min_cell, view.lang, hide_N=hide_N)


def withheld(view, container=None) -> bool:
    """True (and a caption in place) when a per-patient listing must not be shown."""
    if not active(view.settings.min_cell):
        return False
    (container or st).caption(withheld_note(view.lang))
    return True


def count(n: int, view) -> str:
    """A lone count as written: ``< k`` when from 1 to k - 1, else with the language's
    thousands separator (``core.display.suppressed.count_text``)."""
    return count_text(n, view.settings.min_cell, view.lang)

"""Small-cell suppression of what pages and exports show (the rule: ``core.suppression``).

Display functions write their numbers as always; these helpers mask the written text:
``masked`` for a line, ``masked_tile`` for a headline tile (whose percentage goes with
its count), ``masked_table`` for a display frame, and ``suppression_note`` for the
sentence that says counts were masked.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pandas as pd

from core.display.common import Tile
from core.i18n import t
from core.suppression import _COUNT, active, less_than, mask_frame, mask_text, suppress_count


def hidden_word(lang: str) -> str:
    """What a count hidden by secondary suppression shows: ``hidden`` / ``masqué``."""
    return t("suppression.hidden", lang)


def masked(text: str, k: int, lang: str) -> str:
    """``text`` with its suppressed ``n/N (pct) CI`` masked."""
    return mask_text(text, k, hidden_word(lang)) if active(k) else text


def count_token(n: int, N: int, k: int, lang: str) -> str | None:
    """``< k`` or the hidden word when ``n`` of ``N`` is suppressed; None when shown."""
    if not active(k):
        return None
    m = suppress_count(n, N, k)
    if not m.suppressed:
        return None
    return less_than(k) if m.primary or m.N is None else hidden_word(lang)


def masked_tile(tile: Tile, k: int, lang: str) -> Tile:
    """A tile with its counts masked; a percentage value goes with the first count of its
    detail, and an interval in the detail goes with a masked count value."""
    if not active(k):
        return tile
    value, detail = masked(tile.value, k, lang), masked(tile.detail, k, lang)
    if value != tile.value and "/" not in tile.detail:
        detail = ""  # the CI of the masked count
    first = _COUNT.search(tile.detail)
    if value == tile.value and first is not None:
        token = masked(first.group(0), k, lang)
        if token != first.group(0):
            value = token
    return replace(tile, value=value, detail=detail)


def masked_table(frame: pd.DataFrame, k: int, lang: str, count_columns: Sequence[str] = (),
                 rows: Sequence[Sequence[str]] = ()) -> pd.DataFrame:
    """A display frame with its counts masked (``core.suppression.mask_frame``)."""
    if not active(k):
        return frame
    return mask_frame(frame, k, count_columns, hidden_word(lang), rows)


def suppression_note(k: int, lang: str) -> str:
    """The sentence saying that counts are masked ("" when suppression is off)."""
    if not active(k):
        return ""
    return t("suppression.note", lang, last=k - 1, k=k, hidden=hidden_word(lang))


def withheld_note(lang: str) -> str:
    """The sentence in place of a per-patient listing or chart."""
    return t("suppression.withheld", lang)

"""Steroids page display: each month's tiles as text, and the table of drug factors.

Doses are prednisone equivalents in mg/day (``core.steroids``).
"""
from __future__ import annotations

import pandas as pd

from core.display.common import Tile
from core.i18n import (MISSING, counted, decimals, fmt_ci, fmt_count, fmt_median_iqr, fmt_num, fmt_p, note_text,
                       semicolon, t)
from core.schema import CS_DRUG_FACTORS
from core.display.suppressed import count_text, hidden_p, hidden_word, masked_tile, shown_count
from core.significance import NOTE_ZEROS_DROPPED, TestResult
from core.stats import Continuous, Proportion
from core.steroids import SteroidMonth, Steroids
from core.suppression import (dose_n_hidden, mask_cell, part_of, small, suppress_count, unchanged_hidden,
                              wilcoxon_hidden)


def median_iqr(c: Continuous, lang: str) -> str:
    """``7.3 (5.0; 10.0)``: median and quartiles to one decimal, an em dash without data."""
    return fmt_median_iqr(c, lang)


def wilcoxon_text(test: TestResult, zeros: int, lang: str, k: int = 0) -> str:
    """``Wilcoxon p = 0.007 (N = 16 pairs, 7 unchanged)``, ``zeros`` being the unchanged
    pairs (``SteroidMonth.zero_differences``); other notes in the reader's words. Counts
    from 1 to k - 1 are ``< k`` (small-cell suppression, ``core.suppression``), and the
    unchanged pairs are hidden when the changed ones are (rule 10), the p-value with
    either (rule 12)."""
    shown_zeros = mask_cell(zeros, k)
    if shown_zeros == zeros and unchanged_hidden(test.N, zeros, k):
        shown_zeros = hidden_word(lang)
    pairs = counted(shown_count(test.N, k, lang), "pairs", lang)
    p = hidden_p(lang) if wilcoxon_hidden(test.N, zeros, k) else fmt_p(test.p_value, lang)  # rule 12
    text = t("steroids.wilcoxon", lang, p=p, pairs=pairs,
             unchanged=counted(shown_zeros, "unchanged", lang))
    # The zeros are in the sentence already; the note saying so would repeat it.
    others = [note_text(n, lang) for n in dict.fromkeys(test.notes) if n != NOTE_ZEROS_DROPPED]
    return semicolon(lang).join([text, *others])


def _count(p: Proportion, lang: str) -> str:
    return fmt_count(p.n, p.N, p.pct, lang)


def _ci(p: Proportion, lang: str) -> str:
    return fmt_ci(p.ci_low, p.ci_high, lang)


def baseline_total(result: Steroids, month: SteroidMonth) -> int | None:
    """The analysed N when ``month`` is the baseline one: its on-corticosteroid N (a
    known dose) is then a part of the analysed patients (``core.suppression`` rule 5)."""
    return result.N if result.by_month and month is result.by_month[0] else None


def threshold_text(threshold: float, lang: str) -> str:
    """A dose threshold (``Settings.cs_thresholds``) with one decimal, more if it has
    them: ``7.5``, ``5.0``, ``2.25`` (never rounded to ``2.3``: the label says the
    definition in force)."""
    return fmt_num(threshold, lang, max(1, decimals(threshold)))


def dose_n(month: SteroidMonth, k: int, lang: str, total: int | None = None) -> str:
    """The patients with a known dose on corticosteroids, as written: a part of those on
    corticosteroids (rule 5), ``< k`` when small."""
    return count_text(month.dose.N, k, lang, dose_n_hidden(month.dose.N, month.on_cs.n, month.on_cs.N, k, total))


def dose_median(month: SteroidMonth, lang: str, k: int = 0) -> str:
    """The month's median dose (quartiles), or a dash over fewer than k patients."""
    return MISSING if small(month.dose.N, k) else median_iqr(month.dose, lang)


def dose_tile(month: SteroidMonth, lang: str, k: int = 0, total: int | None = None) -> Tile:
    """The median dose over the patients with a known dose, their N masked (rule 5)."""
    return Tile(t("steroids.dose", lang), dose_median(month, lang, k),
                t("steroids.dose_n", lang, n=dose_n(month, k, lang, total)))


def month_tiles(month: SteroidMonth, lang: str, k: int = 0, total: int | None = None) -> tuple[Tile, ...]:
    """The month's tiles: on corticosteroids, median dose, at or under each threshold,
    and after M0 the stops and the paired change with its Wilcoxon test. Under
    small-cell suppression ``k``, the patients counted in a plain number are ``< k``
    and a median over fewer than k patients is a dash; the on-corticosteroid N is a
    part of ``total`` (``baseline_total``), the dose's N of those on corticosteroids,
    the shares' N of those with a known dose (rule 5). Other counts ``n/N`` are masked
    by ``core.display.suppressed.masked_tile``."""
    on_cs = suppress_count(month.on_cs.n, month.on_cs.N, k, total)
    tiles = [
        masked_tile(Tile(t("steroids.on_cs", lang), _count(month.on_cs, lang), _ci(month.on_cs, lang)), k, lang,
                    total),
        dose_tile(month, lang, k, total),
    ]
    for threshold, share in month.at_or_under:
        label = t("steroids.at_or_under", lang, threshold=threshold_text(threshold, lang))
        tile = Tile(label, _count(share, lang), _ci(share, lang))
        # A part of the patients with a known dose, themselves hidden or not (rule 5).
        share_total, hide_N = part_of(share.N, month.on_cs.N, k, on_cs.N is None)
        tiles.append(masked_tile(tile, k, lang, share_total, hide_N))
    if month.stopped is not None:
        tiles.append(Tile(t("steroids.stopped", lang), _count(month.stopped, lang), _ci(month.stopped, lang)))
    if month.change is not None and month.test is not None:
        change = MISSING if small(month.change.N, k) else median_iqr(month.change, lang)
        tiles.append(Tile(t("steroids.change", lang), change,
                          wilcoxon_text(month.test, month.zero_differences or 0, lang, k)))
    return tuple(tiles)


def factors_frame(lang: str) -> pd.DataFrame:
    """The prednisone-equivalent factor of every known drug name, most potent first."""
    frame = pd.DataFrame(list(CS_DRUG_FACTORS.items()), columns=["drug", "factor"])
    frame = frame.sort_values(["factor", "drug"], ascending=[False, True], kind="stable")
    frame["factor"] = [fmt_num(f, lang, 2) for f in frame["factor"]]
    return frame.rename(columns={c: t(f"steroids.col.{c}", lang) for c in ("drug", "factor")})

"""Biology page display: the poster's arrows as text and the paired status changes.

The arrows follow the poster: ``↓ 15/16``, ``↑ 1/16``, ``→ 5/14``, ``(?) 6 patients``,
where the denominator is the patients whose shift is known. A status change with an
empty denominator (nobody paired, or nobody positive at M0) is a dash, never ``0/0``.
"""
from __future__ import annotations

import pandas as pd

from core.biology import Biology, Marker, ShiftCounts
from core.display.common import month_label
from core.display.suppressed import count_token, hidden_word, masked
from core.i18n import MISSING, fmt_count, fmt_p, note_text, t
from core.scoring import DOWN, STABLE, UNKNOWN, UP
from core.stats import Proportion
from core.suppression import active, less_than, row_mask, small


ARROWS = {DOWN: "↓", UP: "↑", STABLE: "→", UNKNOWN: "(?)"}
MARKERS = ("ifn", "anti_dsdna", "complement")


def status_m0_line(marker: Marker, lang: str, k: int = 0) -> str:
    """The marker's status at M0: ``Elevated at M0: 14/19 (73.7%)``; with small-cell
    suppression ``k`` (``core.suppression``), a suppressed count as ``< k``."""
    s = marker.status_m0
    token = count_token(s.n, s.N, k, lang)
    count = masked(fmt_count(s.n, s.N, s.pct, lang), k, lang)
    return t(f"biology.m0.{marker.name}", lang, count=count, n=s.n if token is None else token, N=s.N)


def shift_arrows(counts: ShiftCounts, lang: str, k: int = 0) -> tuple[str, ...]:
    """The poster's arrows for one month: ↓ and ↑ always, → and (?) when not zero.

    ↓/↑/→ are over the patients whose shift is known; (?) counts the others. With
    small-cell suppression ``k``, counts are masked (``core.display.suppressed``).
    """
    known = counts.N - counts.unknown
    n = counts.as_dict()
    # ↓ + ↑ + → = the known: a row for secondary suppression (core.suppression).
    hide, _ = row_mask([n[c] for c in (DOWN, UP, STABLE)], k) if active(k) else ((False,) * 3, False)
    hide = dict(zip((DOWN, UP, STABLE), hide))
    lines = [f"{ARROWS[c]} {_hidden(n[c], k, lang) if hide[c] else masked(f'{n[c]}/{known}', k, lang)}"
             for c in (DOWN, UP, STABLE) if c != STABLE or n[c]]
    if counts.unknown:
        key = "biology.unknown_one" if counts.unknown == 1 else "biology.unknown_many"
        unknown = less_than(k) if small(counts.unknown, k) else counts.unknown
        lines.append(f"{ARROWS[UNKNOWN]} {t(key, lang, n=unknown)}")
    return tuple(lines)


def _hidden(n: int, k: int, lang: str) -> str:
    return less_than(k) if small(n, k) else hidden_word(lang)


def share(count: Proportion, lang: str) -> str:
    """``n/N (pct%)`` in the locale's format, or a dash when there is nobody to count."""
    return fmt_count(count.n, count.N, count.pct, lang) if count.N else MISSING


def month_lines(marker: Marker, month: int, lang: str, k: int = 0) -> tuple[str, ...]:
    """What the poster writes for ``month``: arrows, or the complement's normalisation."""
    if marker.shifts:
        return shift_arrows(marker.shift_at(month), lang, k)
    return (t("biology.normalised", lang, count=masked(share(marker.change_at(month).resolved, lang), k, lang)),)


def changes_frame(result: Biology, lang: str) -> pd.DataFrame:
    """Paired status change per marker and month, with the McNemar p-value, as display text:
    resolved out of the paired positive at M0, appeared out of the paired negative."""
    rows = []
    for name in MARKERS:
        marker: Marker = getattr(result, name)
        for change in marker.changes:
            rows.append({
                "marker": t(f"biology.marker.{name}", lang),
                "month": month_label(change.month),
                "paired": change.paired,
                "positive_m0": change.positive_m0,
                "positive_mk": change.positive_mk,
                "resolved": share(change.resolved, lang),
                "appeared": share(change.appeared, lang),
                "p": fmt_p(change.test.p_value, lang),
                "notes": " · ".join(note_text(n, lang) for n in dict.fromkeys(change.test.notes)),
            })
    columns = ["marker", "month", "paired", "positive_m0", "positive_mk", "resolved", "appeared", "p", "notes"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.rename(columns={c: t(f"biology.col.{c}", lang) for c in columns})

"""Biology page display: the poster's arrows as text and the paired status changes.

The arrows follow the poster: ``↓ 15/16``, ``↑ 1/16``, ``→ 5/14``, ``(?) 6 patients``,
where the denominator is the patients whose shift is known (``shift_cells``). A status
change with an empty denominator (nobody paired, or nobody positive at M0) is a dash,
never ``0/0``.
"""
from __future__ import annotations

import pandas as pd

from core.biology import Biology, Marker, PairedStatus, ShiftCounts
from core.display.common import month_label
from core.display.suppressed import hidden_word, masked, shown_count
from core.i18n import MISSING, decimals, fmt_count, fmt_int, fmt_p, fmt_pct, note_text, plural, t
from core.scoring import DOWN, STABLE, UNKNOWN, UP
from core.stats import Proportion
from core.suppression import active, mcnemar_hidden, row_mask, status_change_mask, suppress_count, written


ARROWS = {DOWN: "↓", UP: "↑", STABLE: "→", UNKNOWN: "(?)"}
MARKERS = ("ifn", "anti_dsdna", "complement")


def tolerance_text(tolerance: float, lang: str) -> str:
    """The stable band (``Settings.shift_tolerance``, a fraction) as a percentage with
    the digits it has: ``10 %``, ``7,5 %`` (never rounded to ``8 %``: the legend and the
    methods say the definition in force)."""
    pct = round(100 * tolerance, 6)  # 100 * 0.075 is 7.500000000000001
    return fmt_pct(pct, lang, decimals(pct))


def status_m0_line(marker: Marker, lang: str, k: int = 0, total: int | None = None) -> str:
    """The marker's status at M0: ``Elevated at M0: 14/19 (73.7%)``; with small-cell
    suppression ``k`` (``core.suppression``), a suppressed count as ``< k``, and the N
    (patients with a known status) as a part of the ``total`` analysed (rule 5)."""
    s = marker.status_m0
    count = status_m0_count(marker, lang, k, total)
    n, N = s.n, s.N
    if active(k):
        m = suppress_count(s.n, s.N, k, total)
        n = n if m.n is not None else written(m, k, hidden_word(lang))
        N = N if m.N is not None else shown_count(s.N, k, lang, True)
        if N == hidden_word(lang):  # in the sentence: "3 patients out of a masked total"
            N = t("suppression.sentence.total", lang)
    # The complement's sentence counts patients: "1 patient out of 21".
    key = f"biology.m0.{marker.name}" + ("_one" if marker.name == "complement" and not plural(n, lang) else "")
    return t(key, lang, count=count, n=fmt_int(n, lang), N=fmt_int(N, lang))


def status_m0_count(marker: Marker, lang: str, k: int = 0, total: int | None = None) -> str:
    """``14/19 (73.7%)``: the marker's status at M0 as a count, masked under small-cell
    suppression ``k`` with its N a part of the ``total`` analysed (rule 5)."""
    s = marker.status_m0
    return masked(fmt_count(s.n, s.N, s.pct, lang), k, lang, total)


def shift_arrows(counts: ShiftCounts, lang: str, k: int = 0) -> tuple[str, ...]:
    """The poster's arrows for one month: ↓ and ↑ always, → and (?) when not zero.

    ↓/↑/→ are over the patients whose shift is known; (?) counts the others. With
    small-cell suppression ``k``, counts are masked (``shift_cells``).
    """
    cells = shift_cells(counts, lang, k)
    lines = [f"{ARROWS[c]} {cells[c]}" for c in (DOWN, UP, STABLE) if c != STABLE or counts.stable]
    if counts.unknown:
        if cells[UNKNOWN] == hidden_word(lang):  # "(?) effectif masqué", not "(?) masqué patients"
            text = t("biology.unknown_hidden", lang)
        else:
            # The noun agrees with the count as written: a masked "< 5" is plural, so
            # that its grammar never gives a single unknown patient back.
            key = "biology.unknown_many" if plural(cells[UNKNOWN], lang) else "biology.unknown_one"
            text = t(key, lang, n=fmt_int(cells[UNKNOWN], lang))
        lines.append(f"{ARROWS[UNKNOWN]} {text}")
    return tuple(lines)


def shift_cells(counts: ShiftCounts, lang: str, k: int = 0) -> dict[str, str | int]:
    """``n/known`` for ↓ ↑ →, and the unknown count, as written. Under small-cell
    suppression ``k`` (``core.suppression``) the four buckets are a row summing to N
    (rule 3), and the known, N less the unknown, is hidden with the unknown (rule 5)."""
    known = counts.N - counts.unknown
    n = counts.as_dict()
    cells: dict[str, str | int] = {c: f"{n[c]}/{known}" for c in (DOWN, UP, STABLE)}
    cells[UNKNOWN] = counts.unknown
    if not active(k):
        return cells
    keys = (DOWN, UP, STABLE, UNKNOWN)
    hide = dict(zip(keys, row_mask([n[c] for c in keys], k)[0]))
    for c in (DOWN, UP, STABLE):
        cells[c] = shown_count(n[c], k, lang, True) if hide[c] else masked(cells[c], k, lang, hide_N=hide[UNKNOWN])
    cells[UNKNOWN] = shown_count(counts.unknown, k, lang, True) if hide[UNKNOWN] else counts.unknown
    return cells


def share(count: Proportion, lang: str) -> str:
    """``n/N (pct%)`` in the locale's format, or a dash when there is nobody to count."""
    return fmt_count(count.n, count.N, count.pct, lang) if count.N else MISSING


def month_lines(marker: Marker, month: int, lang: str, k: int = 0) -> tuple[str, ...]:
    """What the poster writes for ``month``: arrows, or the complement's normalisation."""
    if marker.shifts:
        return shift_arrows(marker.shift_at(month), lang, k)
    return (t("biology.normalised", lang, count=change_cells(marker.change_at(month), lang, k)["resolved"]),)


def change_cells(change: PairedStatus, lang: str, k: int = 0) -> dict[str, str | int]:
    """Positive at M0, positive at the month, resolved and appeared (``n/N (pct%)``) as
    written; under small-cell suppression ``k`` masked as ``core.suppression``'s
    ``status_change_mask`` says (rule 7), as in the summary."""
    cells: dict[str, str | int] = {"positive_m0": change.positive_m0, "positive_mk": change.positive_mk,
                                   "resolved": share(change.resolved, lang), "appeared": share(change.appeared, lang)}
    if not active(k):
        return cells
    mask = status_change_mask(change.paired, change.positive_m0, change.resolved.n, change.appeared.n, k)
    for key, hide in (("positive_m0", mask.positive_m0), ("positive_mk", mask.positive_mk)):
        if hide:
            cells[key] = shown_count(change.positive_m0 if key == "positive_m0" else change.positive_mk, k, lang, True)
    for key, m in (("resolved", mask.resolved), ("appeared", mask.appeared)):
        if m.suppressed:
            cells[key] = written(m, k, hidden_word(lang))
    return cells


def test_p(change: PairedStatus, lang: str, k: int = 0) -> str:
    """The status change's McNemar p-value as written: the hidden word under small-cell
    suppression ``k`` when it would give a hidden count back (rule 12)."""
    if active(k) and mcnemar_hidden(status_change_mask(change.paired, change.positive_m0, change.resolved.n,
                                                       change.appeared.n, k)):
        return hidden_word(lang)
    return fmt_p(change.test.p_value, lang)


def changes_frame(result: Biology, lang: str, k: int = 0) -> pd.DataFrame:
    """Paired status change per marker and month, with the McNemar p-value, as display text:
    resolved out of the paired positive at M0, appeared out of the paired negative; under
    small-cell suppression ``k`` masked as ``change_cells`` says."""
    rows = []
    for name in MARKERS:
        marker: Marker = getattr(result, name)
        for change in marker.changes:
            cells = change_cells(change, lang, k)
            rows.append({
                "marker": t(f"biology.marker.{name}", lang),
                "month": month_label(change.month),
                "paired": change.paired,
                **{c: cells[c] for c in ("positive_m0", "positive_mk", "resolved", "appeared")},
                "p": test_p(change, lang, k),
                "notes": " · ".join(note_text(n, lang) for n in dict.fromkeys(change.test.notes)),
            })
    columns = ["marker", "month", "paired", "positive_m0", "positive_mk", "resolved", "appeared", "p", "notes"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.rename(columns={c: t(f"biology.col.{c}", lang) for c in columns})

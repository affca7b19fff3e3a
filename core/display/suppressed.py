"""Small-cell suppression of what pages and exports show (the rule: ``core.suppression``).

Display functions write their numbers as always; these helpers mask the written text:
``masked`` for a line, ``masked_tile`` for a headline tile (whose percentage goes with
its count), ``masked_table`` for a display frame, and ``suppression_note`` for the
sentence that says counts were masked. A count whose N is a part of a shown total
(rule 5) takes ``total``; one over the treated patients when their count is hidden
(rule 6, ``core.suppression.hide_treated``) takes ``hide_N``.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pandas as pd

from core.conclusion import Conclusion, render, response_params
from core.display.common import Tile
from core.i18n import fmt_int, t
from core.stats import Proportion
from core.suppression import (
    _COUNT,
    active,
    hide_treated,
    less_than,
    mask_frame,
    mask_text,
    response_mask,
    small,
    suppress_count,
    wilcoxon_hidden,
    written,
)


def hidden_word(lang: str) -> str:
    """What a count hidden by secondary suppression shows: ``hidden`` / ``masqué``."""
    return t("suppression.hidden", lang)


def hidden_cell(n: int, N: int, k: int, lang: str, hidden: str | None = None) -> str:
    """A count ``n`` of ``N`` hidden by a rule, as written: ``< k`` when n or N is from 1
    to k - 1, else ``hidden`` (default: the hidden word; it is hidden to protect
    another count)."""
    return less_than(k) if small(n, k) or small(N, k) else hidden or hidden_word(lang)


def masked(text: str, k: int, lang: str, total: int | None = None, hide_N: bool = False) -> str:
    """``text`` with its suppressed ``n/N (pct) CI`` masked."""
    return mask_text(text, k, hidden_word(lang), total, hide_N) if active(k) else text


def masked_sentence(text: str, k: int, lang: str, total: int | None = None, hide_N: bool = False) -> str:
    """``masked`` for a sentence, where a table's words would not read ("response in
    hidden of patients"): a hidden count is "a masked share", a count whose N is hidden
    "9 (total masked)"."""
    if not active(k):
        return text
    return mask_text(text, k, t("suppression.sentence.share", lang), total, hide_N,
                     lambda n: t("suppression.sentence.count_of_hidden", lang, n=fmt_int(n, lang)))


def count_token(n: int, N: int, k: int, lang: str, total: int | None = None, hide_N: bool = False) -> str | None:
    """What stands for ``n`` of ``N`` (and its percentage) when suppressed: ``< k``,
    the hidden word, or the hidden word when only N is hidden (a percentage gives N
    back); None when shown."""
    if not active(k):
        return None
    m = suppress_count(n, N, k, total, hide_N)
    if not m.suppressed:
        return None
    return written(m, k, hidden_word(lang)) if m.n is None else hidden_word(lang)


def masked_tile(tile: Tile, k: int, lang: str, total: int | None = None, hide_N: bool = False) -> Tile:
    """A tile with its counts masked; a percentage value goes with the first count of its
    detail, and an interval in the detail goes with a masked count value."""
    if not active(k):
        return tile
    value, detail = masked(tile.value, k, lang, total, hide_N), masked(tile.detail, k, lang, total, hide_N)
    if value != tile.value and "/" not in tile.detail:
        detail = ""  # the CI of the masked count
    first = _COUNT.search(tile.detail)
    if value == tile.value and first is not None:
        value = count_token(int(first.group(1)), int(first.group(2)), k, lang, total, hide_N) or value
    return replace(tile, value=value, detail=detail)


def masked_table(frame: pd.DataFrame, k: int, lang: str, count_columns: Sequence[str] = (),
                 rows: Sequence[Sequence[str]] = (), hide_N: bool = False) -> pd.DataFrame:
    """A display frame with its counts masked (``core.suppression.mask_frame``)."""
    if not active(k):
        return frame
    return mask_frame(frame, k, count_columns, hidden_word(lang), rows, hide_N)


def shown_count(n: int, k: int, lang: str, hidden: bool = False) -> int | str:
    """A lone count as shown: ``< k`` when from 1 to k - 1, the hidden word when
    ``hidden`` (it would give another back), else ``n``."""
    if small(n, k):
        return less_than(k)
    return hidden_word(lang) if hidden and active(k) else n


def count_masked(p: Proportion, k: int, hide_N: bool = False) -> bool:
    """Whether the count of ``p`` is masked under small-cell suppression ``k`` (its N
    hidden with ``hide_N``): then no sentence may say it, not even a zero."""
    return active(k) and suppress_count(p.n, p.N, k, hide_N=hide_N).n is None


def hidden_p(lang: str) -> str:
    """A p-value hidden under small-cell suppression (rule 12): ``p = hidden``."""
    return f"p = {hidden_word(lang)}"


def count_text(n: int, k: int, lang: str, hidden: bool = False) -> str:
    """``shown_count`` as written: ``175,530`` / ``175 530``, ``< 5`` or the hidden word."""
    return fmt_int(shown_count(n, k, lang, hidden), lang)


def population_counts(treated: int, analysed: int, k: int, lang: str) -> tuple[int | str, int | str]:
    """(treated, analysed) as shown under small-cell suppression ``k``."""
    return shown_count(treated, k, lang, hide_treated(treated, analysed, k)), shown_count(analysed, k, lang)


def population_texts(treated: int, analysed: int, k: int, lang: str) -> tuple[str, str]:
    """``population_counts`` as written (``count_text``)."""
    return tuple(fmt_int(n, lang) for n in population_counts(treated, analysed, k, lang))


def masked_findings(conclusion: Conclusion, k: int, lang: str) -> tuple[str, ...]:
    """The conclusion's sentences with their counts masked: the cohort's shares are rows
    of the analysed patients (rule 5), the safety ones are over the treated (rule 6),
    and a count quoted beside its share goes with it."""
    if not active(k):
        return tuple(render(f, lang) for f in conclusion.findings)
    treated_hidden = hide_treated(conclusion.treated, conclusion.analysed, k)
    lines = []
    rows = dict(conclusion.response_rows)
    for finding in conclusion.findings:
        total = conclusion.analysed if finding.basis == "cohort" else None
        hide_N = treated_hidden and finding.basis == "safety"
        params = dict(finding.params)
        if finding.basis == "safety" and isinstance(params.get("treated"), int):  # the treated count
            params["treated"] = shown_count(params["treated"], k, lang, hide_N)
        for name, (domain, month, which) in response_params(finding).items():
            counts = rows.get((domain, month))
            if counts is not None and response_mask(*counts, k)[0 if which == "CR" else 3]:
                # Hidden with its response row (rule 8), as on the response page.
                value = params[name]
                params[name] = hidden_cell(value.n, value.N, k, lang, t("suppression.sentence.share", lang))
        if wilcoxon_hidden(params.get("test_pairs") or 0, params.get("test_unchanged") or 0, k) and "p" in params:
            params["p"] = hidden_p(lang)  # rule 12
        share = params.get("prior_2plus")
        if isinstance(params.get("n"), int) and isinstance(share, Proportion):
            m = suppress_count(share.n, share.N, k, total)
            if m.n is None:
                params["n"] = written(m, k, hidden_word(lang))
        key = finding.key
        if key == "safety.satisfactory" and any(count_masked(p, k, hide_N) for p in (params["severe"], params["vzv"])):
            # "No severe infection" says a zero the tiles mask (fewer than k treated): the
            # counts, masked, instead.
            key = "safety.observed"
        text = render(replace(finding, key=key, params=params), lang)
        lines.append(masked_sentence(text, k, lang, total, hide_N))
    return tuple(lines)


def suppression_note(k: int, lang: str) -> str:
    """The sentence saying that counts are masked ("" when suppression is off)."""
    if not active(k):
        return ""
    return t("suppression.note", lang, last=k - 1, k=k, hidden=hidden_word(lang))


def withheld_note(lang: str) -> str:
    """The sentence in place of a per-patient listing."""
    return t("suppression.withheld", lang)


def chart_withheld_note(lang: str) -> str:
    """The sentence in place of a chart (its bars and marks would show the masked counts)."""
    return t("suppression.chart_withheld", lang)

"""Safety page display: the poster's headline, tile captions and the events table.

Descriptions stay as typed: the page shows them as plain text inside dataframes.
"""
from __future__ import annotations

import pandas as pd

from core.charts.theme import EVENT_ORDER
from core.display.suppressed import count_masked, count_text, hidden_word, masked_sentence
from core.i18n import MISSING, fmt_ci, fmt_count, fmt_int, fmt_num, fmt_pct, t
from core.safety import Safety
from core.stats import Proportion
from core.suppression import events_hidden


_TABLE_COLUMNS = ("patient_id", "month", "type", "description", "severe", "vzv")
# A poster lists at most this many visceral events (one line each, with the patient);
# past it, a line says how many there are and the events table lists every one.
VISCERAL_LISTED = 10
# The Safety page's event tables list at most this many rows: a table is sent to the
# browser on every click, and a registry's 100,000 events took most of a second.
PAGE_ROWS = 1000


def event_labels(lang: str) -> dict[str, str]:
    """Event type -> its name in ``lang``."""
    return {k: t(f"safety.type.{k}", lang) for k in EVENT_ORDER}


def safety_headline(result: Safety, lang: str, k: int = 0, hide_N: bool = False) -> str:
    """The poster's line: ``Infectious risk: 39.1% of patients / no severe infection / ...``;
    with small-cell suppression ``k``, a suppressed count and its percentage masked, and
    with ``hide_N`` (the treated count hidden, ``core.suppression`` rule 6) every
    percentage, which would give it back."""
    if result.N == 0:
        return t("safety.headline.no_data", lang)
    p = result.infection
    # A masked count stands in words for the percentage: "Infectious risk: 9 (total masked) of patients".
    count = fmt_count(p.n, p.N, p.pct, lang)
    shown = masked_sentence(count, k, lang, hide_N=hide_N)
    pct = fmt_pct(p.pct, lang) if shown == count else shown
    parts = [t("safety.headline.infection", lang, pct=pct)]
    for name, p in (("severe", result.severe_infection), ("vzv", result.vzv)):
        # "No severe infection" says the count, 0: not where the tiles mask it (over
        # fewer than k treated patients, rule 2).
        parts.append(t(f"safety.headline.no_{name}", lang) if p.n == 0 and not count_masked(p, k, hide_N)
                     else t(f"safety.headline.{name}", lang,
                            count=masked_sentence(fmt_count(p.n, p.N, p.pct, lang), k, lang, hide_N=hide_N)))
    return " / ".join(parts)


def visceral_listed(events: pd.DataFrame, lang: str, limit: int = VISCERAL_LISTED) -> tuple[pd.DataFrame, str]:
    """The visceral events a poster lists (``Safety.visceral_events``, at most the first
    ``limit`` by month) and the line saying how many there are when some are left out
    ("" when every one is listed)."""
    if len(events) <= limit:
        return events, ""
    note = t("safety.visceral_first", lang, shown=fmt_int(limit, lang), total=fmt_int(len(events), lang))
    return events.iloc[:limit], note


def listed_events(result: Safety, lang: str, types: tuple[str, ...] = EVENT_ORDER,
                  limit: int = PAGE_ROWS) -> tuple[pd.DataFrame, str]:
    """``events_table`` of the first ``limit`` events of ``types`` by month
    (``Safety.first_events``: the others are not read), and the line saying how many
    there are when some are left out ("" when every one is listed): the tables download
    lists them all."""
    first, total = result.first_events(limit, types)
    table = events_table(first, lang, types)
    if total <= len(first):
        return table, ""
    return table, t("safety.events_first", lang, shown=fmt_int(len(first), lang), total=fmt_int(total, lang))


def rate_text(result: Safety, lang: str, k: int = 0) -> str:
    """Infections per 100 patient-years as written; "hidden" with a masked events count
    (``core.suppression`` rule 11: the rate times the follow-up shown would give it back)."""
    if events_hidden(result.infection_events, result.N, k):
        return hidden_word(lang)
    return fmt_num(result.infection_rate_per_100py, lang)


def events_text(result: Safety, lang: str, k: int = 0) -> str:
    """The infection events as written: ``< k`` when from 1 to k - 1, the hidden word
    among fewer than k treated patients (``core.suppression`` rules 2 and 11)."""
    return count_text(result.infection_events, k, lang, events_hidden(result.infection_events, result.N, k))


def population_line(result: Safety, lang: str, k: int = 0, hide_N: bool = False) -> str:
    """``Safety population (treated patients): N = 23.``, the N masked under small-cell
    suppression ``k`` (hidden with ``hide_N``, rule 6)."""
    return t("safety.population", lang, N=count_text(result.N, k, lang, hide_N))


def tile_caption(p: Proportion, lang: str) -> str:
    """Under a tile: ``9/23 · 95% CI 22.2 to 59.2 (Wilson)`` (no interval without patients)."""
    if p.N == 0:
        return f"{p.n}/{p.N}"
    return t("safety.tile_caption", lang, n=p.n, N=p.N, ci=fmt_ci(p.ci_low, p.ci_high, lang))


def events_table(events: pd.DataFrame, lang: str, types: tuple[str, ...] = EVENT_ORDER) -> pd.DataFrame:
    """Events of ``types`` for display: type translated, months and yes/no per locale.

    Descriptions stay as typed (the page shows them as plain text in a dataframe).
    Values are formatted once per distinct value and mapped, not row by row.
    """
    rows = events[events["type"].isin(types)]
    months = pd.Series(rows["month"].unique(), dtype=float)
    month_text = dict(zip(months, (fmt_num(m, lang, 0 if float(m).is_integer() else 1) for m in months)))
    yes_no = {True: t("safety.yes", lang), False: t("safety.no", lang)}
    frame = pd.DataFrame({
        "patient_id": rows["patient_id"].astype("string"),
        "month": rows["month"].astype(float).map(month_text),
        "type": rows["type"].map(event_labels(lang)),
        "description": rows["description"].astype("string").fillna(""),
        "severe": rows["severe"].astype("boolean").map(yes_no, na_action="ignore").fillna(MISSING),
        "vzv": rows["vzv"].astype("boolean").map(yes_no, na_action="ignore").fillna(MISSING),
    }, columns=list(_TABLE_COLUMNS))
    return frame.rename(columns={c: t(f"safety.col.{c}", lang) for c in _TABLE_COLUMNS})

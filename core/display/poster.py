"""The poster page's texts: the metadata's blocks and the panels' numbers, for the whole
poster on one screen and for presentation mode, one panel at a time.

Metadata texts (title, authors, introduction, ...) are the user's: the page shows them
as plain text only. Every other line is catalogue text with numbers, written the way
the language reads them.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.biology import Biology
from core.conclusion import Conclusion
from core.display import response as response_display
from core.display.biology import MARKERS, month_lines, status_m0_line
from core.display.cohort import m0_tiles
from core.display.common import Tile, describe_filter, month_label
from core.display.safety import safety_headline, visceral_listed
from core.display.suppressed import masked, masked_findings, masked_tile, shown_count, withheld_note
from core.display.steroids import baseline_total, dose_tile
from core.filters import Filter
from core.i18n import colon, fmt_count, fmt_int, fmt_num, plural, t
from core.populations import Baseline
from core.response import ResponseResult
from core.safety import Safety
from core.schema import RESPONSE_DOMAINS
from core.steroids import Steroids
from core.suppression import active, hide_treated

# Presentation mode's panels, in order: the one list the page, its counter and the
# tests read. ``methods`` holds the introduction, objectives and methods.
PANELS = ("title", "methods", "baseline", "response", "biology", "steroids", "safety", "conclusion")
_LEVELS = ("complete", "partial")


@dataclass(frozen=True, eq=False)
class PosterResults:
    """The panel results the poster quotes, for one cohort, subgroup and definitions."""

    baseline: Baseline
    response: ResponseResult
    biology: Biology
    steroids: Steroids
    safety: Safety
    conclusion: Conclusion

    @property
    def events_recorded(self) -> bool:
        return self.safety.events_recorded


@dataclass(frozen=True)
class MarkerBox:
    """One biology box: the marker's name, its status at M0, each follow-up month's lines."""

    title: str
    m0: str
    months: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Definition:
    """The response definitions of one domain: its name and (level, definition) pairs."""

    domain: str
    levels: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SteroidColumn:
    """One month of the corticosteroid panel: its label and tiles."""

    month: str
    tiles: tuple[Tile, ...]


@dataclass(frozen=True)
class PosterText:
    """Everything the poster writes. The fields up to ``abbreviations`` and ``visceral``
    (event descriptions) are user text; the others are catalogue text and numbers."""

    title: str
    authors: str
    centres: str
    intro_heading: str
    intro: tuple[str, ...]
    objectives: tuple[str, ...]
    design: str
    inclusion: tuple[str, ...]
    data_collection: str
    endpoint: str
    definitions: tuple[Definition, ...]
    conclusion: tuple[str, ...]
    perspectives: tuple[str, ...]
    abbreviations: str
    analysed: str
    tiles: tuple[Tile, ...]
    response: tuple[tuple[str, str], ...]
    markers: tuple[MarkerBox, ...]
    steroids: tuple[SteroidColumn, ...]
    safety: str
    events_recorded: bool
    visceral: tuple[str, ...]
    findings: tuple[str, ...]


def poster_text(meta: dict, results: PosterResults, lang: str, min_cell: int = 0) -> PosterText:
    """The poster's texts from a metadata view (``core.poster.load_poster``'s shape, any
    field may be missing) and the panel results, in ``lang``; with ``min_cell`` (small-cell
    suppression, ``core.suppression``) every count from 1 to ``min_cell - 1`` is masked in
    tiles and lines, and the per-patient listing (visceral events with patient ids) is
    withheld."""
    k = min_cell if active(min_cell) else 0
    intro = meta.get("introduction") or {}
    table = results.baseline.table
    # Fewer than k excluded: the treated count, the safety N, is hidden (rule 6).
    hide_N = hide_treated(results.conclusion.treated, results.conclusion.analysed, k)
    visceral = visceral_lines(results.safety, lang) if results.events_recorded else ()
    return PosterText(
        title=meta.get("title") or t("poster.untitled", lang),
        authors=", ".join(meta.get("authors") or ()),
        centres=centres_line(meta),
        intro_heading=intro.get("heading", ""),
        intro=tuple(intro.get("bullets", ())),
        objectives=_objectives(meta.get("objectives") or {}, lang),
        design=meta.get("study_design", ""),
        inclusion=tuple(meta.get("inclusion_criteria") or ()),
        data_collection=meta.get("data_collection", ""),
        endpoint=meta.get("primary_endpoint", ""),
        definitions=definitions(meta.get("response_definitions") or {}, lang),
        conclusion=tuple(meta.get("conclusion") or ()),
        perspectives=tuple(meta.get("perspectives") or ()),
        abbreviations=abbreviations_line(meta.get("abbreviations") or (), lang),
        analysed=_analysed_line(shown_count(table.N, k, lang), lang),
        tiles=m0_tiles(table, lang, k),
        response=tuple((domain, masked(line, k, lang))
                       for domain, line in domain_response_lines(results.response, lang, k)),
        markers=marker_boxes(results.biology, lang, k),
        steroids=steroid_columns(results.steroids, lang, k),
        safety=safety_headline(results.safety, lang, k, hide_N) if results.events_recorded
        else t("poster.no_events", lang),
        events_recorded=results.events_recorded,
        visceral=(withheld_note(lang),) if k and visceral else visceral,
        findings=masked_findings(results.conclusion, k, lang),
    )


def _analysed_line(n: int | str, lang: str) -> str:
    """``22 patients analysed``, ``1 patient analysed`` (``0 patient analysé`` in French)."""
    return t("poster.analysed" if plural(n, lang) else "poster.analysed_one", lang, N=fmt_int(n, lang))


def centres_line(meta: dict) -> str:
    """``Centres · 2022–2025``: the centres' sentence (or names) and the period."""
    centres = meta.get("centres") or ", ".join(meta.get("centre_names") or ())
    period = meta.get("period") or ""
    if isinstance(period, dict):
        period = "–".join(str(period[k]) for k in ("start", "end") if k in period)
    return " · ".join(part for part in (centres, period) if part)


def _objectives(objectives: dict, lang: str) -> tuple[str, ...]:
    return tuple(t(f"poster.objective.{kind}", lang, text=objectives[kind])
                 for kind in ("primary", "secondary") if objectives.get(kind))


def definitions(response_definitions: dict, lang: str) -> tuple[Definition, ...]:
    """The primary endpoint's response definitions, per domain (cutaneous, articular)
    and level (complete, partial), named as the metadata names them."""
    names = response_definitions.get("domains") or {}
    levels = response_definitions.get("levels") or {}
    return tuple(
        Definition(names.get(domain) or t(f"response.domain.{domain}", lang),
                   tuple((levels.get(level) or t(f"poster.level.{level}", lang), response_definitions[domain][level])
                         for level in _LEVELS if response_definitions[domain].get(level)))
        for domain in RESPONSE_DOMAINS if response_definitions.get(domain)
    )


def definition_lines(definition: Definition, lang: str) -> tuple[str, ...]:
    """``Complète : Disparition des lésions…``: each level of a domain's definition
    with its meaning, in the locale's punctuation (a narrow no-break space before the
    colon in French)."""
    return tuple(f"{level}{colon(lang)}{meaning}" for level, meaning in definition.levels)


def abbreviations_line(abbreviations, lang: str) -> str:
    """``LS : Lupus systémique, IFN-I : Interféron de type I``, as the poster's footer
    (in French, a narrow no-break space before each colon)."""
    sep = colon(lang)
    return ", ".join(f"{a.get('abbr', '')}{sep}{a.get('meaning', '')}" if a.get("meaning") else a.get("abbr", "")
                     for a in abbreviations)


def domain_response_lines(result: ResponseResult, lang: str, k: int = 0) -> tuple[tuple[str, str], ...]:
    """Per domain with a visit scored, (domain, CR + PR at each month): ``("cutaneous",
    "Cutaneous, CR+PR: M3 15/17 (88.2%) · M6 ...")``; under small-cell suppression ``k``
    hidden with its response row (``response_cells``)."""
    lines = []
    for domain in RESPONSE_DOMAINS:
        visits = [r for r in result.results if r.domain == domain]
        if not visits:
            continue
        parts = " · ".join(f"{month_label(r.month)} {_overall(r, lang, k)}" for r in visits)
        lines.append((domain, t("poster.response_line", lang, domain=t(f"response.domain.{domain}", lang),
                                visits=parts)))
    return tuple(lines)


def _overall(r, lang: str, k: int) -> str:
    if response_display.response_hidden(r, k)["overall"]:
        return response_display.response_cells(r, lang, k)["overall"]
    return fmt_count(r.overall.n, r.overall.N, r.overall.pct, lang)


def marker_boxes(result: Biology, lang: str, k: int = 0) -> tuple[MarkerBox, ...]:
    """The poster's three biology boxes: IFN signature, Farr test, complement (counts
    masked under small-cell suppression ``k``)."""
    boxes = []
    for name in MARKERS:
        marker = getattr(result, name)
        months = tuple((month_label(m), month_lines(marker, m, lang, k)) for m in result.months)
        boxes.append(MarkerBox(t(f"biology.marker.{name}", lang), status_m0_line(marker, lang, k, result.N), months))
    return tuple(boxes)


def steroid_columns(result: Steroids, lang: str, k: int = 0) -> tuple[SteroidColumn, ...]:
    """Each month: on corticosteroids, median dose (quartiles) and, after M0, stops;
    under small-cell suppression ``k``, every tile's counts are masked, and the N that are
    parts of another count too (``core.display.steroids.month_tiles``)."""
    columns = []
    for month in result.by_month:
        total = baseline_total(result, month)
        on_cs = Tile(t("steroids.on_cs", lang), fmt_count(month.on_cs.n, month.on_cs.N, month.on_cs.pct, lang))
        tiles = [masked_tile(on_cs, k, lang, total), dose_tile(month, lang, k, total)]
        if month.stopped is not None:
            s = month.stopped
            tiles.append(masked_tile(Tile(t("steroids.stopped", lang), fmt_count(s.n, s.N, s.pct, lang)), k, lang))
        columns.append(SteroidColumn(month_label(month.month), tuple(tiles)))
    return tuple(columns)


def visceral_lines(result: Safety, lang: str) -> tuple[str, ...]:
    """``P3 : GN IV + V / M2``: each visceral event's patient, description and month, as
    the poster writes them (descriptions as typed: shown as plain text); past
    ``VISCERAL_LISTED`` events, the first ones and a line saying how many there are."""
    sep = colon(lang)
    events, more = visceral_listed(result.visceral_events, lang)
    lines = []
    for row in events.itertuples(index=False):
        description = "" if pd.isna(row.description) else str(row.description)
        month = "" if pd.isna(row.month) else f" / M{fmt_num(row.month, lang, 0 if float(row.month).is_integer() else 1)}"
        lines.append(f"{row.patient_id}{sep}{description or t('poster.no_description', lang)}{month}")
    return (*lines, more) if more else tuple(lines)


def subgroup_line(flt: Filter, lang: str) -> str:
    """The header's subgroup: ``Subgroup: Sex: Female``, or all analysed patients."""
    if flt.is_empty:
        return t("poster.everyone", lang)
    return t("poster.subgroup", lang, filter=describe_filter(flt, lang))


def counter(step: int, lang: str) -> str:
    """``3 / 8``: the panel shown (``step`` from 0) out of ``PANELS``."""
    return t("poster.counter", lang, k=step + 1, n=len(PANELS))

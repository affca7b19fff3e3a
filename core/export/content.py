"""The poster as content: its text blocks, result panels (headline tiles, text lines,
charts, table) and footer, in one language, ready for any layout.

The HTML and PDF posters, the slide deck and a poster page all draw this one object,
so they show the same words and numbers. Texts come from the poster metadata (the
demo's ``data/poster.json`` or an uploaded TOML, ``core.poster_meta``); numbers from
the panel results. Everything here is plain text: writers escape it for their format.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from core.display import biology as bio_display
from core.display import response as response_display
from core.display import cohort as cohort_display
from core.display import safety as safety_display
from core.display import steroids as steroid_display
from core.display.common import Tile, month_label
from core.display.poster import abbreviations_line
from core.display.suppressed import (
    chart_withheld_note,
    masked,
    masked_findings,
    masked_tile,
    population_texts,
    suppression_note,
    withheld_note,
)
from core.export.charts import PosterChart
from core.export.methods import methods_text
from core.export.panels import Panels
from core.export.stamp import Stamp
from core.i18n import MISSING, colon, fmt_ci, fmt_count, fmt_num, fmt_pct, semicolon, t
from core.response import DOMAINS
from core.settings import Settings
from core.suppression import active, hide_treated, small

PANELS = ("cohort", "response", "biology", "steroids", "safety")


@dataclass(frozen=True)
class Block:
    """A text block: heading, an optional subheading, paragraphs, then bullets."""

    key: str
    heading: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    subheading: str = ""


@dataclass(frozen=True)
class PanelContent:
    """One result panel: ``key`` (a page of the app), title, headline tiles, text
    lines, the names of its charts and of its table (``core.export.tables``), and the
    speaker's notes (every number of the panel and the method)."""

    key: str
    title: str
    tiles: tuple[Tile, ...]
    lines: tuple[str, ...]
    charts: tuple[str, ...]
    table: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class PosterContent:
    """Everything the poster shows, in reading order."""

    lang: str
    title: str
    authors: tuple[str, ...]
    centres: str
    period: str
    subgroup: str
    note: str
    introduction: Block | None
    methods: tuple[Block, ...]
    definitions: tuple[tuple[str, str, str], ...]
    panels: tuple[PanelContent, ...]
    conclusion: Block
    perspectives: Block | None
    abbreviations: tuple[tuple[str, str], ...]
    stamp: str
    url: str | None
    # What the QR code to ``url`` opens: the live view has the filters but not the
    # definitions (a shared link shows the defaults), which it says when they differ.
    qr_caption: str = ""


def poster_content(panels: Panels, charts: tuple[PosterChart, ...], stamp: Stamp, lang: str,
                   meta: dict | None, url: str | None = None) -> PosterContent:
    """The poster of ``panels`` with the texts of ``meta`` (a ``load_poster``-shaped
    view; None: an upload without metadata gets a generic title and no study text)."""
    meta = meta or {}
    chart_names = {c.panel: tuple(x.name for x in charts if x.panel == c.panel) for c in charts}
    panel_list = tuple(builder(panels, lang, chart_names.get(key, ())) for key, builder in _BUILDERS.items())
    k = panels.settings.min_cell
    note = meta.get("note", "")
    if active(k):
        panel_list = tuple(_masked_panel(p, k, lang) for p in panel_list)
        note = " ".join(filter(None, (note, suppression_note(k, lang), withheld_note(lang), chart_withheld_note(lang))))
    intro = meta.get("introduction")
    return PosterContent(
        lang=lang,
        title=meta.get("title") or t("exports.poster.generic_title", lang),
        authors=tuple(meta.get("authors", ())),
        centres=meta.get("centres", ""),
        period=meta.get("period", ""),
        subgroup="" if panels.filter.is_empty else t("filters.active", lang, filter=stamp.subgroup(lang)),
        note=note,
        introduction=Block("introduction", t("exports.poster.introduction", lang), (),
                           tuple(intro.get("bullets", ())), intro.get("heading", "")) if intro else None,
        methods=_methods(panels, stamp, lang, meta),
        definitions=_definitions(meta),
        panels=panel_list,
        conclusion=_masked_block(_conclusion(panels, lang, meta), k, lang),
        perspectives=Block("perspectives", t("conclusion.ui.perspectives", lang), (),
                           tuple(meta["perspectives"])) if meta.get("perspectives") else None,
        abbreviations=tuple((a["abbr"], a["meaning"]) for a in meta.get("abbreviations", ())),
        stamp=stamp.line(lang),
        url=url,
        qr_caption=t("exports.poster.qr" if panels.settings == Settings() else "exports.poster.qr_default_definitions",
                     lang),
    )


def _masked_panel(panel: PanelContent, k: int, lang: str) -> PanelContent:
    """``panel`` under small-cell suppression: tiles, lines and notes masked
    (``core.display.suppressed``)."""
    tiles = tuple(masked_tile(x, k, lang) for x in panel.tiles)
    by_note = {_tile_note(old, lang): _tile_note(new, lang) for old, new in zip(panel.tiles, tiles)}
    notes = tuple(masked(by_note.get(n, n), k, lang) for n in panel.notes)
    return replace(panel, tiles=tiles, lines=tuple(masked(x, k, lang) for x in panel.lines), notes=notes)


def _masked_block(block: Block, k: int, lang: str) -> Block:
    if not active(k):
        return block
    return replace(block, paragraphs=tuple(masked(x, k, lang) for x in block.paragraphs),
                   bullets=tuple(masked(x, k, lang) for x in block.bullets))


def _methods(panels: Panels, stamp: Stamp, lang: str, meta: dict) -> tuple[Block, ...]:
    """The study's method as the metadata tells it, then the statistical methods."""
    blocks = []
    study = [meta[k] for k in ("study_design", "data_collection", "primary_endpoint") if meta.get(k)]
    if study or meta.get("inclusion_criteria"):
        criteria = tuple(meta.get("inclusion_criteria", ()))
        blocks.append(Block("method", t("exports.poster.method", lang), tuple(study[:1]),
                            tuple(t("exports.poster.inclusion", lang, criterion=c) for c in criteria)))
        if study[1:]:
            blocks.append(Block("collection", "", tuple(study[1:])))
    objectives = meta.get("objectives") or {}
    if objectives:
        blocks.append(Block("objectives", t("exports.poster.objectives", lang), (), tuple(
            t(f"exports.poster.objective.{k}", lang, text=objectives[k]) for k in ("primary", "secondary")
            if objectives.get(k))))
    blocks.append(Block("statistics", t("exports.poster.statistics", lang), (methods_text(panels, stamp, lang),)))
    return tuple(blocks)


def _definitions(meta: dict) -> tuple[tuple[str, str, str], ...]:
    """The response definitions as rows (level, cutaneous, articular) under a header
    row ("", domain names)."""
    defs = meta.get("response_definitions") or {}
    domains, levels = defs.get("domains", {}), defs.get("levels", {})
    if not domains or not levels:
        return ()
    rows = [("", domains.get("cutaneous", ""), domains.get("articular", ""))]
    for level in ("complete", "partial"):
        rows.append((levels.get(level, ""), defs.get("cutaneous", {}).get(level, ""),
                     defs.get("articular", {}).get(level, "")))
    return tuple(rows)


def _conclusion(panels: Panels, lang: str, meta: dict) -> Block:
    """The authors' conclusion for the whole cohort under the default definitions;
    otherwise (a subgroup, other definitions, no metadata) the findings recomputed
    from the numbers shown, so that the conclusion never contradicts them."""
    heading = t("exports.poster.conclusion", lang)
    if meta.get("conclusion") and panels.filter.is_empty and panels.settings == Settings():
        return Block("conclusion", heading, (), tuple(meta["conclusion"]))
    return Block("conclusion", heading, (t("exports.poster.recomputed", lang),),
                 masked_findings(panels.conclusion, panels.settings.min_cell, lang))


def _labelled(label: str, text: str, lang: str) -> str:
    """``label: text``, with French typography's narrow space before the colon."""
    return f"{label}{colon(lang)}{text}"


def _tile_note(tile: Tile, lang: str) -> str:
    return _labelled(tile.label, tile.value + (f" ({tile.detail})" if tile.detail else ""), lang)


def _cohort(panels: Panels, lang: str, charts: tuple[str, ...]) -> PanelContent:
    tiles = cohort_display.m0_tiles(panels.baseline.table, lang, panels.settings.min_cell)
    treated, analysed = population_texts(panels.populations.treated, panels.populations.analysed,
                                         panels.settings.min_cell, lang)
    lines = (t("conclusion.ui.populations", lang, analysed=analysed, treated=treated),)
    notes = (*lines, *(_tile_note(x, lang) for x in tiles), t("exports.methods.descriptive", lang))
    return PanelContent("cohort", t("exports.poster.panel.cohort", lang), tiles, lines, charts, "table1", notes)


def _response(panels: Panels, lang: str, charts: tuple[str, ...]) -> PanelContent:
    result = panels.response
    tiles = []
    for domain in DOMAINS:
        for month in result.months:
            r = result.get(domain, month)
            overall, cr = f"{r.overall.n}/{r.overall.N}", f"{r.cr.n}/{r.cr.N}"
            value = fmt_pct(r.overall.pct, lang) if r.N else MISSING
            cells = response_display.response_cells(r, lang, panels.settings.min_cell)
            hidden = response_display.response_hidden(r, panels.settings.min_cell)
            if hidden["overall"]:  # hidden with the response row (rule 8)
                value = overall = cells["overall"]
            if hidden["CR"]:
                cr = cells["CR"]
            tiles.append(Tile(f"{t(f'response.domain.{domain}', lang)} {month_label(month)}", value,
                              f"{t('response.overall_short', lang)} {overall} · {t('response.cat.CR', lang)} {cr}"))
    notes = (*(_tile_note(x, lang) for x in tiles), _ci_note(result, lang, panels.settings.min_cell),
             t("response.bars_caption", lang))
    return PanelContent("response", t("exports.poster.panel.response", lang), tuple(tiles), (), charts,
                        "responses", notes)


def _ci_note(result, lang: str, k: int = 0) -> str:
    """CR + PR with its 95 % CI per involvement and month, one clause each (masked under
    small-cell suppression ``k`` with the response row)."""
    sep = semicolon(lang)
    clauses = []
    for r in result.results:
        # A month nobody was assessed at has no interval (and no space before it).
        text = " ".join(filter(None, (fmt_count(r.overall.n, r.overall.N, r.overall.pct, lang),
                                      fmt_ci(r.overall.ci_low, r.overall.ci_high, lang))))
        if response_display.response_hidden(r, k)["overall"]:
            text = response_display.response_cells(r, lang, k)["overall"]
        clauses.append(_labelled(f"{t(f'response.domain.{r.domain}', lang)} {month_label(r.month)}", text, lang))
    return sep.join(clauses)


def _biology(panels: Panels, lang: str, charts: tuple[str, ...]) -> PanelContent:
    result = panels.biology
    lines = []
    for name in bio_display.MARKERS:
        marker = getattr(result, name)
        status = bio_display.status_m0_line(marker, lang, panels.settings.min_cell, result.N)
        # The IFN line names its marker already ("IFN signature + at M0").
        lines.append(status if name == "ifn" else _labelled(t(f"biology.marker.{name}", lang), status, lang))
        for month in result.months:
            lines.append(_labelled(month_label(month), " · ".join(bio_display.month_lines(marker, month, lang, panels.settings.min_cell)), lang))
    tolerance = bio_display.tolerance_text(panels.settings.shift_tolerance, lang)
    notes = (*lines, t("biology.legend", lang, tolerance=tolerance), t("biology.changes_help", lang))
    return PanelContent("biology", t("exports.poster.panel.biology", lang), (), tuple(lines), charts, "shifts", notes)


def _steroids(panels: Panels, lang: str, charts: tuple[str, ...]) -> PanelContent:
    tiles, lines = [], []
    for month in panels.steroids.by_month:
        on = month.on_cs
        dose = t("exports.poster.median_dose", lang,
                 dose=steroid_display.dose_median(month, lang, panels.settings.min_cell))
        tiles.append(masked_tile(Tile(f"{month_label(month.month)} · {t('steroids.on_cs', lang)}",
                                      fmt_pct(on.pct, lang) if on.N else MISSING, f"{on.n}/{on.N} · {dose}"),
                                 panels.settings.min_cell, lang, steroid_display.baseline_total(panels.steroids, month)))
        if month.test is not None and month.change is not None:
            k = panels.settings.min_cell
            median = MISSING if small(month.change.N, k) else steroid_display.median_iqr(month.change, lang)
            test = steroid_display.wilcoxon_text(month.test, month.zero_differences or 0, lang, k)
            change = f"{median} · {test}"
            lines.append(_labelled(f"{month_label(month.month)} · {t('steroids.change', lang)}", change, lang))
    notes = (*(_tile_note(x, lang) for x in tiles), *lines, t("steroids.tiles_help", lang))
    return PanelContent("steroids", t("exports.poster.panel.steroids", lang), tuple(tiles), tuple(lines), charts,
                        "steroids", notes)


def _safety(panels: Panels, lang: str, charts: tuple[str, ...]) -> PanelContent:
    result, k = panels.safety, panels.settings.min_cell
    # Fewer than k excluded: the treated count, every N of the panel, is hidden (rule 6).
    hide_N = hide_treated(panels.populations.treated, panels.populations.analysed, k)
    tiles, lines = [], []
    if panels.events_recorded:
        for key, p in (("infection", result.infection), ("severe", result.severe_infection), ("vzv", result.vzv)):
            tiles.append(masked_tile(Tile(t(f"safety.tile.{key}", lang), fmt_pct(p.pct, lang) if p.N else MISSING,
                                          safety_display.tile_caption(p, lang)), k, lang, hide_N=hide_N))
        lines.append(safety_display.safety_headline(result, lang, k, hide_N))
        visceral = result.visceral_events
        lines.append(_labelled(t("safety.visceral_title", lang), "", lang).rstrip()
                     if not visceral.empty else t("safety.no_visceral", lang))
        if not visceral.empty and active(k):
            lines.append(withheld_note(lang))  # one line per patient
            visceral = visceral.iloc[0:0]
        visceral, more = safety_display.visceral_listed(visceral, lang)
        for row in visceral.itertuples(index=False):
            # The poster's form: "P3 : GN IV + V / M2" (id and description as typed).
            digits = 0 if pd.isna(row.month) or float(row.month).is_integer() else 1
            month = "" if pd.isna(row.month) else f" / M{fmt_num(row.month, lang, digits)}"
            description = "" if pd.isna(row.description) else str(row.description)
            lines.append(_labelled(str(row.patient_id), description + month, lang))
        if more:
            lines.append(more)
    else:
        lines.append(t("safety.no_events_table", lang))
    lines.append(safety_display.population_line(result, lang, k, hide_N))
    notes = (*(_tile_note(x, lang) for x in tiles), *lines, t("exports.methods.safety", lang))
    return PanelContent("safety", t("exports.poster.panel.safety", lang), tuple(tiles), tuple(lines), charts,
                        "safety", notes)


_BUILDERS = {"cohort": _cohort, "response": _response, "biology": _biology, "steroids": _steroids, "safety": _safety}


def abbreviations_text(poster: PosterContent) -> str:
    """The poster's abbreviations on one line, as the poster page writes them
    (``core.display.poster.abbreviations_line``): an abbreviation without a meaning
    stands alone, with no colon after it."""
    return abbreviations_line([{"abbr": abbr, "meaning": meaning} for abbr, meaning in poster.abbreviations],
                              poster.lang)

"""The poster's tables as display frames, one per concept: Table 1, responses, biology
shifts, corticosteroids, safety and events.

Cells hold the text the pages show (numbers written for the language: ``95,5 %`` in
French), headers are in the language, and ``spans`` gives the header row above the
column headers (label, columns spanned) that XLSX and DOCX draw merged. Patient ids
and event descriptions stay as the user wrote them; writers keep them as text
(``core.export.safe``).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from core.display import biology as bio_display
from core.display import cohort as cohort_display
from core.display import response as response_display
from core.display import safety as safety_display
from core.display import steroids as steroid_display
from core.display.common import month_label
from core.display.suppressed import count_text, masked_table, suppression_note, withheld_note
from core.export.panels import Panels
from core.i18n import MISSING, catalogue, fmt_ci, fmt_count, fmt_int, fmt_num, fmt_p, note_text, t
from core.suppression import active, hide_treated

TABLES = ("table1", "responses", "shifts", "steroids", "safety", "events")
# A document (Word) lists at most this many rows of one table: the events table has a
# row per event and grows with the cohort. The CSV and XLSX files list every row.
DOCUMENT_ROWS = 200


@dataclass(frozen=True, eq=False)
class ExportTable:
    """One table: file stem ``name``, ``title``, the display ``frame``, the merged
    header row ``spans`` ((label, columns), covering every column; empty: none) and
    footnotes."""

    name: str
    title: str
    frame: pd.DataFrame
    spans: tuple[tuple[str, int], ...] = ()
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.spans and sum(n for _, n in self.spans) != len(self.frame.columns):
            raise ValueError(f"spans of {self.name} cover {sum(n for _, n in self.spans)} columns, "
                             f"the frame has {len(self.frame.columns)}")


def export_tables(panels: Panels, lang: str) -> tuple[ExportTable, ...]:
    """Every table of ``TABLES``, in that order; under small-cell suppression
    (``Settings.min_cell``) with their counts masked and a note saying so."""
    tables = (table1(panels, lang), responses_table(panels, lang), shifts_table(panels, lang),
              steroids_table(panels, lang), safety_table(panels, lang), events_table(panels, lang))
    k = panels.settings.min_cell
    if not active(k):
        return tables
    hide_N = hide_treated(panels.populations.treated, panels.populations.analysed, k)
    return tuple(_suppressed(table, k, lang, hide_N and table.name == "safety") for table in tables)


def first_rows(table: ExportTable, limit: int, lang: str) -> ExportTable:
    """``table`` cut to its first ``limit`` rows, with a note saying how many of how many
    are listed and where every row is; ``table`` itself when it has no more rows."""
    total = len(table.frame)
    if total <= limit:
        return table
    note = t("exports.first_rows", lang, shown=fmt_int(limit, lang), total=fmt_int(total, lang),
             name=table.name)
    return replace(table, frame=table.frame.iloc[:limit], notes=(*table.notes, note))


def _suppressed(table: ExportTable, k: int, lang: str, hide_N: bool = False) -> ExportTable:
    """``table`` with every count from 1 to k - 1 masked (``core.display.suppressed``);
    the events table (one row per patient's event) is withheld. ``hide_N``: every N of
    the table is the hidden treated count (rule 6)."""
    if table.name == "events":
        frame = table.frame.iloc[0:0]
        return replace(table, frame=frame, notes=(*table.notes, withheld_note(lang)))
    counts = {"table1": ("cohort.col.N", "cohort.col.missing"),
              "responses": ("response.col.scored", "response.col.unknown"),
              "shifts": ("biology.col.paired", "biology.shift.unknown")}.get(table.name, ())
    columns = [t(key, lang) for key in counts] + ["N"]
    rows = {"responses": ((t("response.cat.CR", lang), t("response.cat.PR", lang), t("response.cat.NR", lang)),),
            "shifts": (tuple(t(f"biology.shift.{c}", lang) for c in ("down", "up", "stable")),)}.get(table.name, ())
    frame = masked_table(table.frame, k, lang, columns, rows, hide_N)
    if table.name == "safety":  # a masked value's interval is in the next column
        value, ci = frame.columns[1], frame.columns[2]
        frame[ci] = frame[ci].where(frame[value] == table.frame[value], "")
    return replace(table, frame=frame, notes=(*table.notes, suppression_note(k, lang)))


def _notes(codes, lang: str) -> tuple[str, ...]:
    return tuple(text for text in dict.fromkeys(note_text(c, lang) for c in codes) if text)


def table1(panels: Panels, lang: str) -> ExportTable:
    """Baseline characteristics (M0) of the analysed patients, by group when Table 1 was
    computed with one; header spans: all patients, then the groups."""
    table = panels.baseline.table
    words = catalogue(lang)
    level_label = (lambda v: words.get(f"sex.{v}", v)) if table.group == "sex" else None
    frame = cohort_display.baseline_display(table, lang, level_label, panels.settings.min_cell)
    overall = t("cohort.col.overall", lang)
    N = count_text(table.N, panels.settings.min_cell, lang)  # "< k" for a small subgroup
    # Each column says how many patients it describes, the groups' as the overall one's.
    heads = {overall: f"{overall} (N = {N})"}
    if table.group is not None:
        names = [level_label(v) if level_label else v for v in table.groups]
        heads |= {name: f"{name} (N = {count_text(n, panels.settings.min_cell, lang)})"
                  for name, n in zip(names, table.group_N)}
    frame = frame.rename(columns=heads)
    spans: tuple[tuple[str, int], ...] = (("", 1), (t("exports.table1.analysed", lang, N=N), 3))
    if table.group is not None:
        group = words.get(f"cohort.group.{table.group}", table.group)
        spans += ((group, len(table.groups)), ("", 2))
    notes = (t("cohort.baseline_caption", lang),)
    if table.group_missing:
        notes += (t("cohort.group_missing", lang, n=count_text(table.group_missing, panels.settings.min_cell, lang)),)
    notes += _notes((*panels.baseline.notes, *table.notes), lang)
    return ExportTable("table1", t("exports.table.table1", lang), frame, spans, notes)


def responses_table(panels: Panels, lang: str) -> ExportTable:
    """CR / PR / NR per involvement and visit with CR + PR and its 95 % CI."""
    result = panels.response
    frame = response_display.response_table(result.results, lang, panels.settings.min_cell)
    notes = (t("response.ci", lang), *_notes((*result.notes, *(n for r in result.results for n in r.notes)), lang))
    return ExportTable("responses", t("exports.table.responses", lang), frame, notes=notes)


def shifts_table(panels: Panels, lang: str) -> ExportTable:
    """Per marker and follow-up month: the value's change from M0 (↓ ↑ → over the
    patients whose change is known, (?) the others) and the paired change of status."""
    result = panels.biology
    rows = []
    for name in bio_display.MARKERS:
        marker = getattr(result, name)
        m0 = bio_display.status_m0_count(marker, lang, panels.settings.min_cell, result.N)
        for month in result.months:
            shift = marker.shift_at(month) if marker.shifts else None
            change = marker.change_at(month)
            cells = None if shift is None else bio_display.shift_cells(shift, lang, panels.settings.min_cell)
            status = bio_display.change_cells(change, lang, panels.settings.min_cell)
            rows.append([
                t(f"biology.marker.{name}", lang), m0, month_label(month),
                *((MISSING,) * 4 if shift is None else
                  (*(cells[c] for c in ("down", "up", "stable")), str(cells["unknown"]))),
                change.paired, status["resolved"], status["appeared"],
                bio_display.test_p(change, lang, panels.settings.min_cell),
            ])
    columns = [t("biology.col.marker", lang), t("exports.shifts.m0", lang), t("biology.col.month", lang),
               *(t(f"biology.shift.{k}", lang) for k in ("down", "up", "stable", "unknown")),
               t("biology.col.paired", lang), t("biology.col.resolved", lang), t("biology.col.appeared", lang),
               t("biology.col.p", lang)]
    spans = (("", 3), (t("exports.shifts.value", lang), 4), (t("exports.shifts.status", lang), 4))
    tolerance = bio_display.tolerance_text(panels.settings.shift_tolerance, lang)
    # The McNemar tests' notes too: a dash in the test column also means "no discordant
    # pair", which the table's other notes do not say.
    tests = (n for m in bio_display.MARKERS for c in getattr(result, m).changes for n in c.test.notes)
    notes = (t("biology.legend", lang, tolerance=tolerance), t("biology.changes_help", lang),
             *_notes((*result.notes, *(n for m in bio_display.MARKERS for n in getattr(result, m).notes), *tests),
                     lang))
    return ExportTable("shifts", t("exports.table.shifts", lang), pd.DataFrame(rows, columns=columns), spans, notes)


def steroids_table(panels: Panels, lang: str) -> ExportTable:
    """One row per figure of the month tiles (on corticosteroids, median dose, at or
    under each threshold, stopped, change), one column per month."""
    months = panels.steroids.by_month
    cells: dict[str, dict[int, str]] = {}
    for month in months:
        total = steroid_display.baseline_total(panels.steroids, month)
        for tile in steroid_display.month_tiles(month, lang, panels.settings.min_cell, total):
            text = f"{tile.value} · {tile.detail}" if tile.detail and tile.value != MISSING else tile.value
            cells.setdefault(tile.label, {})[month.month] = text
    label = t("exports.steroids.figure", lang)
    frame = pd.DataFrame([{label: name, **{month_label(m.month): by.get(m.month, "") for m in months}}
                          for name, by in cells.items()], columns=[label, *(month_label(m.month) for m in months)])
    spans = (("", 1), (t("exports.steroids.months", lang), len(months))) if months else ()
    notes = (t("steroids.intro", lang), t("steroids.tiles_help", lang),
             *_notes((*panels.steroids.notes, *(n for m in months for n in m.notes)), lang))
    return ExportTable("steroids", t("exports.table.steroids", lang), frame, spans, notes)


def safety_table(panels: Panels, lang: str) -> ExportTable:
    """Patients with an infection, a severe infection, a VZV infection (n/N (%), 95 %
    CI) among the treated, then follow-up and the infection rate."""
    result = panels.safety
    rows = []
    if panels.events_recorded:
        for key, p in (("infection", result.infection), ("severe", result.severe_infection), ("vzv", result.vzv)):
            rows.append([t(f"safety.tile.{key}", lang), fmt_count(p.n, p.N, p.pct, lang),
                         fmt_ci(p.ci_low, p.ci_high, lang)])
    rows.append([t("safety.metric.patient_months", lang), fmt_num(result.patient_months, lang), ""])
    if panels.events_recorded:
        rows.append([t("safety.metric.infection_events", lang),
                     safety_display.events_text(result, lang, panels.settings.min_cell), ""])
        rate = safety_display.rate_text(result, lang, panels.settings.min_cell)
        rows.append([t("safety.metric.rate", lang), rate, ""])
    columns = [t("exports.safety.figure", lang), t("exports.safety.value", lang), t("exports.safety.ci", lang)]
    hide_N = hide_treated(panels.populations.treated, panels.populations.analysed, panels.settings.min_cell)
    notes = (safety_display.population_line(result, lang, panels.settings.min_cell, hide_N),
             t("safety.exposure_help", lang))
    if not panels.events_recorded:
        notes += (t("safety.no_events_table", lang),)
    notes += _notes(result.notes, lang)
    return ExportTable("safety", t("exports.table.safety", lang), pd.DataFrame(rows, columns=columns), notes=notes)


def events_table(panels: Panels, lang: str) -> ExportTable:
    """Every event of the treated patients: patient, month, type, description, severe, VZV."""
    frame = safety_display.events_table(panels.safety.events, lang).reset_index(drop=True)
    notes = () if panels.events_recorded else (t("safety.no_events_table", lang),)
    return ExportTable("events", t("exports.table.events", lang), frame, notes=notes)

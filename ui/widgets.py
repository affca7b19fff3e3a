"""Shared display pieces: the validation report (with how each column was read), the
cohort badge (with "Forget my data" for an upload), the M0 tiles and how every tile
wraps, small-sample notes, the template download."""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from core.cohort import Cohort
from core.display.suppressed import shown_count
from core.display.upload import readings_frame
from core.i18n import fmt_int, note_text, t
from core.report import ERROR, REJECTED, WARNING, Report
from core.stats import SMALL_N
from ui.lists import csv_button
from ui.forget import forget_button
from ui.state import ActiveCohort, active_cohort

_ISSUE_FIELDS = ("severity", "file", "sheet", "row", "column", "value", "message", "hint")
_COUNT_FIELDS = ("read", "kept", "rejected")


def issues_frame(report: Report, lang: str) -> pd.DataFrame:
    """The report's issues, errors first, as a table with translated headers."""
    rows = [
        {
            "severity": t(f"severity.{i.severity}", lang),
            "file": i.file,
            "sheet": i.sheet or "",
            "row": i.row,
            "column": i.column or "",
            "value": "" if i.value is None else str(i.value),
            "message": i.text(lang),
            "hint": i.hint_text(lang),
        }
        for i in report.sorted_issues()
    ]
    frame = pd.DataFrame(rows, columns=list(_ISSUE_FIELDS)).astype({"row": "Int64"})
    return frame.rename(columns={f: t(f"report.col.{f}", lang) for f in _ISSUE_FIELDS})


def counts_frame(report: Report, lang: str) -> pd.DataFrame:
    """Rows read, kept and rejected per table (read = kept + rejected)."""
    rows = [
        {"table": t(f"table.{name}", lang), **{f: getattr(c, f) for f in _COUNT_FIELDS}}
        for name, c in report.counts.items()
    ]
    frame = pd.DataFrame(rows, columns=["table", *_COUNT_FIELDS])
    return frame.rename(columns={f: t(f"report.col.{f}", lang) for f in ("table", *_COUNT_FIELDS)})


def report_summary(report: Report, lang: str) -> str:
    """One line: how many errors, rejected rows and warnings."""
    n = {s: len(report.by_severity(s)) for s in (ERROR, REJECTED, WARNING)}
    return t("report.summary", lang, errors=n[ERROR], rejected=n[REJECTED], warnings=n[WARNING])


def show_report(report: Report, lang: str) -> None:
    """Whether the cohort is usable, the row counts, then every issue (errors first)."""
    if report.usable:
        st.success(t("report.usable", lang), icon=":material/check_circle:")
    else:
        st.error(t("report.unusable", lang), icon=":material/error:")
    if report.counts:
        st.subheader(t("report.counts", lang))
        counts = counts_frame(report, lang)
        # Shown with the language's thousands separator (a registry's 630 334 visits);
        # the values stay whole numbers.
        shown = counts.style.format(lambda n: fmt_int(n, lang), subset=list(counts.columns[1:]))
        st.dataframe(shown, hide_index=True, width="content")
    show_readings(report, lang)
    st.subheader(t("report.issues", lang))
    if not report.issues:
        st.write(t("report.no_issues", lang))
        return
    st.caption(report_summary(report, lang))
    st.dataframe(issues_frame(report, lang), hide_index=True)
    # Tables have no download or copy of their own (client.disableDataExport): the
    # issues to work through in a spreadsheet, each cell safe there.
    csv_button("issues", t("report.csv", lang), lambda: issues_frame(report, lang), lang)


@st.cache_data(show_spinner=False, max_entries=4)
def _template_bytes(lang: str) -> bytes:
    # Keyed on the language only: the template holds no patient data.
    from core.template import template_workbook

    return template_workbook(lang)


def template_download(lang: str) -> None:
    """A button downloading the cohort template (with its example patient) in ``lang``."""
    st.download_button(
        t("upload.template_button", lang),
        data=_template_bytes(lang),
        file_name=t("template.file_name", lang),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        help=t("upload.template_help", lang),
        icon=":material/download:",
        on_click="ignore",
        key="template_download",
    )


def show_readings(report: Report, lang: str) -> None:
    """How each uploaded column was read, as a table (headers are user text: never Markdown)."""
    if not report.columns:
        return
    st.subheader(t("reading.title", lang))
    st.caption(t("reading.caption", lang))
    st.dataframe(readings_frame(report.columns, lang), hide_index=True)


def cohort_badge(active: ActiveCohort, lang: str) -> None:
    """Sidebar badge naming the active cohort; the demo is always labelled synthetic."""
    st.sidebar.caption(t("sidebar.cohort", lang))
    if active.is_demo:
        st.sidebar.badge(t("badge.demo", lang), icon=":material/science:", color="orange")
        return
    if active.cohort is None:
        st.sidebar.badge(t("badge.unusable", lang), icon=":material/error:", color="red")
    else:
        st.sidebar.badge(t("badge.upload", lang), icon=":material/upload_file:", color="green")
    # Plain text: file names are user input and are never rendered as HTML or Markdown.
    st.sidebar.text(t("sidebar.files", lang, names=", ".join(active.names)))
    forget_button(lang)


# Tiles (``st.metric``) show every number whole, in any language and at any width: a
# label, a value or a detail wraps between words instead of being cut with "…" (a
# registry's ``14544/17000 (85.5%)``, Table 1's ``IQR 6.8; 21.0 · N = 22``, a translated
# label); a number never breaks (``21,`` above ``0`` would read as two; a fraction may
# break after its slash, ``tile_text``), only a label's word longer than its tile. A
# value's size is a share of the width inside the tile's padding (``cqi``), full size
# from about 130 px, so that a one-word value (``100,0 %``, ``175,530``) holds on one
# line in a tile of the poster's rows of four; a label's size steps down inside 125 px,
# so that "Hydroxychloroquine" holds on one line from a screen 1,440 px wide.
METRIC_CSS = """<style>
[data-testid="stMetric"] > div {container-type: inline-size;}
[data-testid="stMetricValue"] {font-size: min(2.25rem, 28cqi) !important;}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] *, [data-testid="stMetricLabel"],
[data-testid="stMetricLabel"] *, [data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;}
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {overflow-wrap: break-word !important;}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] *, [data-testid="stMetricDelta"],
[data-testid="stMetricDelta"] * {overflow-wrap: normal !important; word-break: normal !important;}
[data-testid="stMetric"] div:has(> [data-testid="stMetricDelta"]) {overflow: visible !important;}
@container (max-width: 125px) {[data-testid="stMetricLabel"] p {font-size: 0.8rem !important;}}
[data-testid="stSidebar"] .stMarkdownBadge {white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important;}
</style>"""


def uploader_words(key: str, lang: str, types: Iterable[str], limit_mb: int) -> None:
    """The button and limit of the file uploader of widget ``key`` in ``lang``.

    Streamlit writes them in English only ("Upload", "200MB per file • CSV"); in
    another language a style draws ours in their place (the widget is unchanged).
    """
    if lang == "en":
        return
    limit = t("upload.dropzone.limit", lang, size=limit_mb, types=", ".join(kind.upper() for kind in types))
    zone = f".st-key-{key} [data-testid='stFileUploaderDropzone']"
    st.html(f"""<style>
{zone} button [data-testid='stMarkdownContainer'] p {{display: none;}}
{zone} button [data-testid='stMarkdownContainer']::after {{content: {_css_string(t("upload.dropzone.button", lang))};}}
{zone} [data-testid='stFileUploaderDropzoneInstructions'] span {{font-size: 0;}}
{zone} [data-testid='stFileUploaderDropzoneInstructions'] span::after {{content: {_css_string(limit)};
  font-size: 0.875rem;}}
</style>""")


def _css_string(text: str) -> str:
    """``text`` as a CSS string (quotes, backslashes and ``<`` escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ").replace("\n", " ")
    return f'"{escaped}"'


# The M0 tiles come four to a row, on the Cohort page and on the poster.
_TILE_COLUMNS = 4
# Where a tile's detail may wrap: between its parts ("IQR 6.8; 21.0 · N = 22") and after
# a semicolon, never inside "N = 22" or "IQR 6.8;".
_DETAIL_PARTS = " · "
_BOUNDS = "; "
# A fraction may wrap after its slash: a registry's 14544/17023 reads "14544/" above
# "17023" in a narrow tile (a zero-width space; numbers themselves never break).
_SLASH = "/\u200b"


# The narrowest tile a row of ``_TILE_COLUMNS`` gives (``TILE_MIN_PX``, about 78 px inside
# its padding and border) holds every label's word but these, which break there with a
# hyphen, at a soft hyphen (``tile_label``), instead of at any letter ("Hydroxychloroqu"
# above "ine").
_LONG_WORDS = ("Hydroxy|chloro|quine", "Cortico|steroids", "cortico|steroids", "Cortico|thérapie")
_SOFT_HYPHENS = {word.replace("|", ""): word.replace("|", "\u00ad") for word in _LONG_WORDS}
# The narrowest a tile of a row of ``_TILE_COLUMNS`` may be, border included; a section
# with less room for the row puts it under what is beside it (``tile_row_px``).
TILE_MIN_PX = 110


def tile_row_px() -> int:
    """The width a row of ``_TILE_COLUMNS`` tiles needs (``TILE_MIN_PX`` each, with the
    gaps between them)."""
    return _TILE_COLUMNS * TILE_MIN_PX + (_TILE_COLUMNS - 1) * COLUMN_GAP_PX["small"]


def tile_rows(tiles) -> None:
    """Bordered tiles (``core.display`` ``Tile``: label, value, detail) in rows of
    ``_TILE_COLUMNS``; a detail wraps only between its parts or bounds (``_unbroken_parts``)."""
    for start in range(0, len(tiles), _TILE_COLUMNS):
        for column, tile in zip(st.columns(_TILE_COLUMNS), tiles[start:start + _TILE_COLUMNS]):
            column.metric(tile_label(tile.label), tile_text(tile.value),
                          delta=tile_text(_unbroken_parts(tile.detail)), delta_color="off", delta_arrow="off",
                          border=True)


def tile_label(label: str) -> str:
    """A tile's label as drawn: its long words may break at a soft hyphen (``_LONG_WORDS``)."""
    return " ".join(_SOFT_HYPHENS.get(word, word) for word in label.split(" "))


def tile_text(text: str | None) -> str | None:
    """A tile's value or detail as drawn: a fraction may wrap after its slash (``_SLASH``)."""
    return text.replace("/", _SLASH) if text else text


def _unbroken_parts(detail: str | None) -> str | None:
    """``detail`` with every space made no-break but those between its parts
    (``_DETAIL_PARTS``) and after a semicolon (``_BOUNDS``)."""
    if not detail:
        return detail
    return _DETAIL_PARTS.join(_BOUNDS.join(bit.replace(" ", "\u00a0") for bit in part.split(_BOUNDS))
                              for part in detail.split(_DETAIL_PARTS))


def wrap_tiles() -> None:
    """Let this run's tiles wrap (``METRIC_CSS``); the style takes no room on the page."""
    st.html(METRIC_CSS)


# The room Streamlit leaves between columns, by ``gap`` (as drawn by Chromium).
COLUMN_GAP_PX = {"small": 16, "large": 64}


# A bordered box headed by a subheader (the Biology page's markers) holds the longest
# word of its title ("Complement", "Complément": 155 px) inside its padding and border.
BOX_MIN_PX = 190


def box_columns(count: int, key: str) -> list:
    """``count`` columns for bordered boxes headed by a subheader, side by side where
    each box gets ``BOX_MIN_PX``, else one under the other: on a 1,024 px screen with
    the sidebar open, three boxes were 177 px wide and "Complément" broke after its "n"."""
    box = st.container(key=key)
    with box:
        stack_columns_below(key, count * BOX_MIN_PX + (count - 1) * COLUMN_GAP_PX["small"])
    return box.columns(count)


def stack_columns_below(key: str, min_px: int) -> None:
    """Let the columns drawn straight inside the container keyed ``key`` stack, each on
    the container's whole width, where the container is narrower than ``min_px``
    (Streamlit stacks columns only on a screen under 640 px). Called inside that
    container; the style takes no room on the page."""
    st.html(f"<style>{_stacked_css(key, min_px)}</style>")


def fixed_last_column(key: str, px: int, min_px: int) -> None:
    """The columns drawn straight inside the container keyed ``key``: where the
    container is at least ``min_px`` wide, side by side with the last one ``px`` wide
    (a chart at its own width) and the others sharing the rest; narrower, each on the
    container's whole width. Called inside that container; the style takes no room."""
    row = columns_row(key)
    st.html(f"""<style>{_stacked_css(key, min_px)}
@container (min-width: {min_px}px) {{
  {row} > [data-testid="stColumn"] {{flex: 1 1 0; min-width: 0;}}
  {row} > [data-testid="stColumn"]:last-child {{flex: 0 0 {px}px; min-width: {px}px;}}
}}
</style>""")


def columns_row(key: str) -> str:
    """The selector of the columns' row drawn straight inside the container keyed ``key``."""
    return f'.st-key-{key} > [data-testid="stLayoutWrapper"] > [data-testid="stHorizontalBlock"]'


def _stacked_css(key: str, min_px: int) -> str:
    """The container keyed ``key`` measured, and its columns stacked under ``min_px``."""
    row = columns_row(key)
    return f"""
.st-key-{key} {{container-type: inline-size;}}
@container (max-width: {min_px - 1}px) {{
  {row} {{flex-wrap: wrap;}}
  {row} > [data-testid="stColumn"] {{flex: 1 1 100%; min-width: 100%;}}
}}"""


def small_n_note(n: int, lang: str, k: int = 0, hidden: bool = False) -> None:
    """A caution under a result computed on fewer than ``SMALL_N`` patients (``n``
    written ``< k`` under small-cell suppression ``k``, and the hidden word when
    ``hidden``: the treated count beside few exclusions, ``core.suppression`` rule 6)."""
    if n < SMALL_N:
        st.caption(t("note.small_n", lang, n=shown_count(n, k, lang, hidden)))


def show_notes(notes: Iterable[str], lang: str) -> None:
    """The notes of a result object (e.g. ``Proportion.notes``), translated, as captions.

    A note with no translation is skipped: captions render Markdown, and only the fixed
    catalogue sentences are ever shown there, never text that could come from a cell.
    """
    for note in dict.fromkeys(notes):
        text = note_text(note, lang)
        if text:
            st.caption(text)


def require_cohort(lang: str) -> Cohort:
    """The active cohort for a panel page; stops the page with a message if it is unusable."""
    cohort = active_cohort().cohort
    if cohort is None:
        st.error(t("cohort.unusable", lang), icon=":material/error:")
        st.page_link("pages/upload.py", label=t("nav.upload", lang), icon=":material/upload_file:")
        st.stop()
    return cohort

"""Every export of one view (cohort, subgroup, definitions, language) in memory, their
manifest with each file's SHA-256, and one ZIP of them all.

``prepare_export`` computes the panels, tables, charts and poster content once;
``export_files`` renders each format from them. Nothing is written to disk here: the
command line (``core.cli_poster``) writes the files where the user asks, and a page
would offer them as downloads.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from core.cached import cached_property
from core.export.charts import PosterChart, chart_pdf, chart_png, chart_svg, poster_charts
from core.export.content import PosterContent, poster_content
from core.export.panels import Panels, compute_panels
from core.export.stamp import Stamp, make_stamp
from core.export.tables import ExportTable, export_tables
from core.filters import Filter
from core.i18n import t
from core.settings import Settings
from core.suppression import active

MANIFEST_SCHEMA = "poster-export/1"
MANIFEST = "manifest.json"
ZIP = "poster.zip"


@dataclass(frozen=True)
class ExportFile:
    """One exported file: its path in the export folder ("/"-separated) and bytes."""

    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True, eq=False)
class ExportContext:
    """What every format is rendered from. Chart images are rendered once, on first use."""

    lang: str
    panels: Panels
    stamp: Stamp
    tables: tuple[ExportTable, ...]
    charts: tuple[PosterChart, ...]
    poster: PosterContent
    summary: dict
    landscape: bool = False

    def table(self, name: str) -> ExportTable:
        return next(x for x in self.tables if x.name == name)

    @cached_property
    def svgs(self) -> dict[str, str]:
        return {c.name: chart_svg(c.spec, self.lang) for c in self.charts}

    @cached_property
    def poster_svgs(self) -> dict[str, str]:
        """The charts as the A0 poster draws them (``core.export.poster_pdf.poster_svgs``)."""
        from core.export.poster_pdf import poster_svgs

        return poster_svgs(self.charts, self.lang)

    @cached_property
    def pngs(self) -> dict[str, bytes]:
        return {c.name: chart_png(c.spec, self.lang) for c in self.charts}


def prepare_export(cohort, files: Sequence[tuple[str, bytes]], lang: str, filter: Filter | None = None,
                   settings: Settings = Settings(), *, meta: dict | None = None, base_url: str | None = None,
                   today: dt.date | None = None, group: str | None = None, landscape: bool = False,
                   digest: str | None = None, result: Callable[..., Any] | None = None) -> ExportContext:
    """Compute everything the exports show for ``cohort`` (loaded from ``files``).

    ``meta``: the poster texts in ``lang`` (``core.poster.load_poster`` shape) or None;
    ``base_url``: the app's public address, for the QR code to the live view (raises
    ``core.export.live.AddressError`` when it is not an http(s) address); ``group``:
    Table 1's grouping column; ``landscape``: the DOCX tables' orientation. Raises
    ``FilterError`` as the panels do. ``digest``: the files' ``files_digest`` when the
    caller has it already and no longer holds the bytes (the app's session).
    ``result``: the panel results already computed for this cohort, subgroup and
    definitions (``compute_panels``), e.g. the pages' own.
    """
    from core.summary import summary_document

    panels = compute_panels(cohort, filter, settings, group=group, result=result)
    url = None
    if base_url:
        from core.export.live import live_url
        from core.filters import filter_options

        url = live_url(base_url, panels.filter, lang, filter_options(cohort))
    stamp = make_stamp(files, panels.filter, settings, today=today, url=url, digest=digest)
    # Under small-cell suppression no chart is drawn: bar heights and marks show the
    # counts (core.suppression); the tables and texts say what is masked.
    charts = () if active(settings.min_cell) else poster_charts(panels, lang)
    # ``python -m core summarize``'s document, from the panels computed above; its Table 1
    # is never grouped.
    summary = summary_document(panels.populations, panels.plain_baseline.table, panels.response, panels.biology,
                               panels.steroids, panels.safety, panels.filter, settings)
    # As ``python -m core summarize``: numbers under other definitions say so.
    summary["details"]["settings"] = settings.changed() or None
    return ExportContext(lang, panels, stamp, export_tables(panels, lang), charts,
                         poster_content(panels, charts, stamp, lang, meta, url), summary, landscape)


def _tables(ctx: ExportContext) -> list[ExportFile]:
    from core.export.csv_xlsx import table_csv, tables_xlsx

    files = [ExportFile(f"tables/{x.name}.csv", table_csv(x, ctx.lang)) for x in ctx.tables]
    files.append(ExportFile("tables.xlsx", tables_xlsx(ctx.tables, ctx.stamp, ctx.lang, ctx.poster.title)))
    return files


def _docx(ctx: ExportContext) -> list[ExportFile]:
    from core.export.word import tables_docx

    data = tables_docx(ctx.tables, ctx.stamp, ctx.lang, ctx.poster.title, landscape=ctx.landscape)
    return [ExportFile("tables.docx", data)]


def _pdf(ctx: ExportContext) -> list[ExportFile]:
    from core.export.live import qr_svg
    from core.export.poster_pdf import poster_pdf

    qr = qr_svg(ctx.poster.url) if ctx.poster.url else None
    return [ExportFile("poster.pdf", poster_pdf(ctx.poster, ctx.poster_svgs, ctx.stamp.short, qr))]


def _pptx(ctx: ExportContext) -> list[ExportFile]:
    from core.export.deck import deck_pptx

    titles = {chart.name: chart.title for chart in ctx.charts}
    return [ExportFile("deck.pptx", deck_pptx(ctx.poster, ctx.pngs, ctx.stamp.date, titles))]


def _html(ctx: ExportContext) -> list[ExportFile]:
    from core.export.live import qr_svg
    from core.export.poster_html import poster_html

    qr = qr_svg(ctx.poster.url) if ctx.poster.url else None
    return [ExportFile("poster.html", poster_html(ctx.poster, ctx.svgs, qr))]


def _charts(ctx: ExportContext) -> list[ExportFile]:
    files = []
    for chart in ctx.charts:
        files += [ExportFile(f"charts/{chart.name}.png", ctx.pngs[chart.name]),
                  ExportFile(f"charts/{chart.name}.svg", ctx.svgs[chart.name].encode("utf-8")),
                  ExportFile(f"charts/{chart.name}.pdf", chart_pdf(chart.spec, ctx.lang))]
    return files


def _texts(ctx: ExportContext) -> list[ExportFile]:
    from core.export.methods import methods_text

    summary = json.dumps(ctx.summary, ensure_ascii=False, indent=2) + "\n"
    methods = f"{methods_text(ctx.panels, ctx.stamp, ctx.lang)}\n\n{ctx.stamp.line(ctx.lang)}\n"
    return [ExportFile("summary.json", summary.encode("utf-8")), ExportFile("methods.txt", methods.encode("utf-8")),
            ExportFile("stamp.txt", (_stamp_text(ctx) + "\n").encode("utf-8"))]


def _stamp_text(ctx: ExportContext) -> str:
    """The stamp as a sidecar of the CSV files, which cannot hold it without breaking."""
    stamp = ctx.stamp.as_dict(ctx.lang)
    return "\n".join([stamp["text"], f"sha256: {stamp['sha256']}", t("exports.csv_note", ctx.lang)])


# Each format's writer, in the order the files are listed; a page may call one alone.
FORMATS = {"html": _html, "pdf": _pdf, "pptx": _pptx, "tables": _tables, "docx": _docx, "charts": _charts,
           "texts": _texts}


def export_files(ctx: ExportContext, formats: Sequence[str] | None = None) -> tuple[ExportFile, ...]:
    """The files of ``formats`` (default: every format of ``FORMATS``)."""
    chosen = list(FORMATS) if formats is None else formats
    return tuple(f for name in chosen for f in FORMATS[name](ctx))


def manifest(files: Sequence[ExportFile], ctx: ExportContext) -> ExportFile:
    """``manifest.json``: the stamp and each file's size and SHA-256."""
    doc = {
        "schema": MANIFEST_SCHEMA,
        "lang": ctx.lang,
        "stamp": ctx.stamp.as_dict(ctx.lang),
        "csv": {"delimiter": _csv_delimiter(ctx.lang), "encoding": "utf-8-sig",
                "formula_guard": "text starting with = + - @ tab or CR is prefixed with '"},
        "files": [{"name": f.name, "bytes": len(f.data), "sha256": f.sha256} for f in files],
    }
    return ExportFile(MANIFEST, (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def _csv_delimiter(lang: str) -> str:
    from core.export.csv_xlsx import CSV_DELIMITER

    return CSV_DELIMITER[lang]


def bundle_zip(files: Sequence[ExportFile], date: str) -> ExportFile:
    """One ZIP of ``files``, entries dated ``date`` (ISO) so that the same export gives
    the same archive."""
    stamp = dt.date.fromisoformat(date)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for f in files:
            info = zipfile.ZipInfo(f.name, date_time=(stamp.year, stamp.month, stamp.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, f.data)
    return ExportFile(ZIP, buffer.getvalue())


def full_export(ctx: ExportContext) -> tuple[ExportFile, ...]:
    """Every file, the manifest, and the ZIP holding both."""
    files = export_files(ctx)
    listed = (*files, manifest(files, ctx))
    return (*listed, bundle_zip(listed, ctx.stamp.date))

"""The poster as one self-contained HTML file: it opens with no network.

Charts are inline SVG rendered by vl-convert (no script, no CDN), the QR code is
inline SVG, styles are in the page, and a Content-Security-Policy forbids the
browser to fetch anything. Every text is escaped: the user's words (title, patient
ids, event descriptions) are shown as typed, never as markup.
"""
from __future__ import annotations

import re
from html import escape

from core.export.content import Block, PanelContent, PosterContent, abbreviations_text
from core.i18n import t

# Namespace declarations are not fetched, but an inline SVG in HTML needs none: removing
# them leaves the page without a single http(s) address of its own.
_XMLNS = re.compile(r'\sxmlns(?::\w+)?="[^"]*"')
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_CSS = """
@page { size: 841mm 1189mm; margin: 0; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Source Sans Pro", Helvetica, Arial, sans-serif; color: #1a1a1a; background: #fff; }
.poster { max-width: 1800px; margin: 0 auto; padding: 24px; }
header { display: flex; gap: 24px; align-items: flex-start; border-bottom: 4px solid #0072B2; padding-bottom: 12px; }
header .titles { flex: 1; }
h1 { font-size: 2.4em; margin: 0 0 8px; color: #0b3d66; }
h2 { font-size: 1.35em; margin: 0 0 8px; color: #0072B2; border-bottom: 2px solid #cfe3f2; padding-bottom: 2px; }
h3 { font-size: 1.1em; margin: 12px 0 6px; }
.meta, .subgroup, .note { margin: 2px 0; }
.subgroup { font-weight: bold; color: #D55E00; }
.note { font-style: italic; color: #555; }
.qr { text-align: center; font-size: 0.8em; max-width: 180px; }
.qr .url { word-break: break-all; }
.qr svg { width: 150px; height: 150px; }
.columns { display: grid; grid-template-columns: 1fr 2fr; gap: 24px; margin-top: 16px; }
.panels { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; align-content: start; }
section { margin-bottom: 16px; }
.panel { border: 1px solid #cfe3f2; border-radius: 8px; padding: 10px 12px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; margin-bottom: 8px; }
.tile { background: #f2f7fb; border-radius: 6px; padding: 6px 8px; }
.tile .label { font-size: 0.85em; color: #333; }
.tile .value { font-size: 1.5em; font-weight: bold; color: #0b3d66; }
.tile .detail { font-size: 0.8em; color: #555; }
.lines { margin: 4px 0 8px; padding-left: 1.1em; }
.chart svg { max-width: 100%; height: auto; display: block; margin: 6px auto; }
table.definitions { border-collapse: collapse; width: 100%; font-size: 0.9em; }
table.definitions td, table.definitions th {
  border: 1px solid #cfe3f2; padding: 4px; vertical-align: top; text-align: left; }
footer { border-top: 2px solid #cfe3f2; margin-top: 16px; padding-top: 8px; font-size: 0.85em; }
.stamp { color: #555; font-size: 0.8em; margin-top: 6px; }
"""


def poster_html(poster: PosterContent, svgs: dict[str, str], qr_svg: str | None = None) -> bytes:
    """The poster as UTF-8 HTML bytes; ``svgs`` maps chart names to SVG documents and
    ``qr_svg`` is the QR code to ``poster.url`` (inline SVG), if any."""
    e = escape
    head = (f'<!DOCTYPE html>\n<html lang="{poster.lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="description" content="{e(poster.stamp)}">\n'
            f"<title>{e(poster.title)}</title>\n<style>{_CSS}</style>\n</head>\n")
    parts = [head, '<body>\n<div class="poster">\n<header>\n<div class="titles">\n', f"<h1>{e(poster.title)}</h1>\n"]
    if poster.authors:
        parts.append(f'<p class="meta">{e(", ".join(poster.authors))}</p>\n')
    where = " · ".join(filter(None, (poster.centres, poster.period)))
    if where:
        parts.append(f'<p class="meta">{e(where)}</p>\n')
    if poster.subgroup:
        parts.append(f'<p class="subgroup">{e(poster.subgroup)}</p>\n')
    if poster.note:
        parts.append(f'<p class="note">{e(poster.note)}</p>\n')
    parts.append("</div>\n")
    if poster.url and qr_svg:
        parts.append(f'<div class="qr">{_XMLNS.sub("", qr_svg)}<div>{e(poster.qr_caption)}</div>'
                     f'<div class="url">{e(poster.url)}</div></div>\n')
    parts.append('</header>\n<div class="columns">\n<div class="left">\n')
    if poster.introduction:
        parts.append(_block(poster.introduction))
    for block in poster.methods:
        parts.append(_block(block))
        if block.key == "method" and poster.definitions:
            parts.append(_definitions(poster))
    parts.append(_block(poster.conclusion))
    if poster.perspectives:
        parts.append(_block(poster.perspectives))
    parts.append('</div>\n<div class="right">\n')
    parts.append(f'<h2>{e(t("exports.poster.results", poster.lang))}</h2>\n<div class="panels">\n')
    parts += [_panel(panel, svgs) for panel in poster.panels]
    parts.append("</div>\n</div>\n</div>\n<footer>\n")
    if poster.abbreviations:
        words = abbreviations_text(poster)
        parts.append(f'<p><strong>{e(t("exports.poster.abbreviations", poster.lang))}</strong> · {e(words)}</p>\n')
    parts.append(f'<p class="stamp">{e(poster.stamp)}</p>\n</footer>\n</div>\n</body>\n</html>\n')
    return "".join(parts).encode("utf-8")


def _block(block: Block) -> str:
    e = escape
    out = [f'<section class="{e(block.key)}">']
    if block.heading:
        out.append(f"<h2>{e(block.heading)}</h2>")
    if block.subheading:
        out.append(f"<h3>{e(block.subheading)}</h3>")
    out += [f"<p>{e(p)}</p>" for p in block.paragraphs]
    if block.bullets:
        out.append("<ul>" + "".join(f"<li>{e(b)}</li>" for b in block.bullets) + "</ul>")
    out.append("</section>\n")
    return "".join(out)


def _definitions(poster: PosterContent) -> str:
    e = escape
    header, *rows = poster.definitions
    out = [f'<h3>{e(t("exports.poster.definitions", poster.lang))}</h3><table class="definitions"><tr>']
    out += [f"<th>{e(cell)}</th>" for cell in header]
    out.append("</tr>")
    for row in rows:
        out.append(f"<tr><th>{e(row[0])}</th>" + "".join(f"<td>{e(cell)}</td>" for cell in row[1:]) + "</tr>")
    out.append("</table>\n")
    return "".join(out)


def _panel(panel: PanelContent, svgs: dict[str, str]) -> str:
    e = escape
    out = [f'<section class="panel" id="{e(panel.key)}"><h2>{e(panel.title)}</h2>']
    if panel.tiles:
        out.append('<div class="tiles">')
        out += [f'<div class="tile"><div class="label">{e(x.label)}</div><div class="value">{e(x.value)}</div>'
                f'<div class="detail">{e(x.detail)}</div></div>' for x in panel.tiles]
        out.append("</div>")
    if panel.lines:
        out.append('<ul class="lines">' + "".join(f"<li>{e(line)}</li>" for line in panel.lines) + "</ul>")
    out += [f'<div class="chart">{_XMLNS.sub("", svgs[name])}</div>' for name in panel.charts if name in svgs]
    out.append("</section>\n")
    return "".join(out)

"""Charts read aloud in the page's language: ``described(spec, lang)``.

Vega names each axis, legend and mark for a screen reader in English ("X-axis titled
'Mois' for a discrete scale with 3 values: ...", "Symbol legend for fill color ...")
and reads a mark as its fields' names and values ("month_label: M3; order: 0"). A
Vega-Lite spec given to ``described`` says them in ``lang`` instead:

- an axis or a legend: its title, then its values where the spec lists them (a
  discrete scale's sort or domain; a quantitative axis's ticks or legend's domain, as a
  range); the layers of one view, which share their guides, say the same;
- a mark with a tooltip: its tooltip, titles and values as the tooltip shows them;
- where a chart has such marks, the text marks it describes so and its marks without a
  tooltip are not read: they repeat what those say (counts, percentages, a marker of a
  cell's source).

What a chart's builder already described (an axis's or legend's ``description``, a
``description`` channel, a mark with ``aria`` off) is left as it is, and so is a mark
whose tooltip has an entry this cannot say as the tooltip does (no title, an aggregate,
a bin, a date): Vega reads it. Every spec a page
draws or an export renders passes here once (``ui.panel.PanelView.chart``,
``core.export.charts.chart_spec``).
"""
from __future__ import annotations

import json
import math

from core.i18n import MISSING, decimals, fmt_int, fmt_num, t

# Views holding other views, and the keys that hold them.
_VIEWS = ("layer", "hconcat", "vconcat", "concat")
_AXES = ("x", "y")
_LEGENDS = ("color", "fill", "stroke", "shape", "size", "opacity", "strokeDash")
# A mark's description, as a field of its data (a calculated one).
_FIELD = "_description"
# A discrete guide lists its values up to this many; past it, their count, first and last.
_LISTED = 12
# What became of a mark: described by its builder, not read (its builder's ``aria`` off),
# described here from its tooltip, left to Vega (a tooltip this cannot say), without a tooltip.
_OWN, _QUIET, _SAID, _VEGA, _NONE = "own", "quiet", "said", "vega", "none"


def described(spec: dict, lang: str) -> dict:
    """``spec`` (a Vega-Lite spec as a dict, changed in place and returned) with its
    axes, legends and marks described in ``lang`` (see the module)."""
    units: list[tuple[dict, dict]] = []
    _walk(spec, {}, lang, units, {})
    readings = [_reading(view, encoding, lang) for view, encoding in units]
    anything_read = any(state in (_SAID, _OWN) for state, _ in readings)
    for (view, _), (state, expr) in zip(units, readings):
        # The chart's read marks say the rest: its texts and its marks without a tooltip.
        if anything_read and (state == _NONE or (state == _SAID and _mark(view)["type"] == "text")):
            view["mark"] = {**_mark(view), "aria": False}
        elif state == _SAID:
            view["transform"] = [*view.get("transform", []), {"calculate": expr, "as": _FIELD}]
            view.setdefault("encoding", {})["description"] = {"field": _FIELD, "type": "nominal"}
    return spec


def _walk(view: dict, inherited: dict, lang: str, units: list[tuple[dict, dict]], made: dict[int, bool]) -> None:
    """Describe the guides of ``view`` and its views, and list its marks' views with
    their encoding (``inherited``: a layer's, which its marks share). ``made``: the
    guides described here (by ``id``), and whether each is named by a title."""
    encoding = {**inherited, **view.get("encoding", {})}
    for name, channel in view.get("encoding", {}).items():
        if isinstance(channel, dict) and "field" in channel:
            if name in _AXES:
                _describe_guide(channel, "axis", t(f"chart.aria.{name}", lang), lang, made)
            elif name in _LEGENDS:
                _describe_guide(channel, "legend", t("chart.aria.legend", lang), lang, made)
    if "mark" in view:
        units.append((view, encoding))
    for key in _VIEWS:
        for child in view.get(key, ()):
            _walk(child, encoding, lang, units, made)
    if isinstance(view.get("spec"), dict):  # a facet's or a repeat's view
        _walk(view["spec"], encoding, lang, units, made)
    _same_guides(view.get("layer", ()), made)


def _same_guides(layers, made: dict[int, bool]) -> None:
    """The layers of one view share their axes and legends: each guide described here
    takes, in every layer, the fullest description one of them gives, a titled one
    first (a layer may leave the title to another; Vega-Lite would keep the first
    layer's and warn of the others). A builder's own description stays."""
    for name in (*_AXES, *_LEGENDS):
        kind = "axis" if name in _AXES else "legend"
        guides = [layer["encoding"][name][kind] for layer in layers
                  if isinstance(layer.get("encoding", {}).get(name), dict)
                  and id(layer["encoding"][name].get(kind)) in made]
        if len(guides) > 1:
            fullest = max(guides, key=lambda guide: (made[id(guide)], len(guide["description"])))["description"]
            for guide in guides:
                guide["description"] = fullest


def _describe_guide(channel: dict, kind: str, what: str, lang: str, made: dict[int, bool]) -> None:
    """Give the axis or legend of ``channel`` a description, unless it has none drawn
    (``None``) or one already; record it in ``made``."""
    guide = channel.get(kind, {})
    if guide is None or "description" in guide:
        return
    title = guide.get("title", channel.get("title"))
    if isinstance(title, list):
        title = " ".join(title)
    titled = bool(title and str(title).strip())
    if titled:
        what = t("chart.aria.titled", lang, what=what, title=str(title).strip())
    channel[kind] = {**guide, "description": _with_values(what, channel, guide, kind, lang)}
    made[id(channel[kind])] = titled


def _with_values(what: str, channel: dict, guide: dict, kind: str, lang: str) -> str:
    """``what`` (a guide named) with its values as the spec lists them: a discrete
    scale's, in their order; a quantitative axis's ticks or legend's domain, as a range
    (an axis's domain may have room added for labels). Alone where only the data would say."""
    domain = (channel.get("scale") or {}).get("domain")
    if channel.get("type") == "quantitative":
        bounds = guide.get("values") if kind == "axis" else domain
        if isinstance(bounds, list) and bounds and all(_is_number(v) for v in bounds):
            low, high = min(bounds), max(bounds)
            return t("chart.aria.range", lang, what=what, low=_number(low, lang), high=_number(high, lang))
        return what
    listed = channel.get("sort") if isinstance(channel.get("sort"), list) else domain
    if not (isinstance(listed, list) and listed and all(isinstance(v, (str, int, float)) for v in listed)):
        return what
    if len(listed) > _LISTED:
        return t("chart.aria.many", lang, what=what, n=fmt_int(len(listed), lang), first=listed[0], last=listed[-1])
    return t("chart.aria.values", lang, what=what, values=", ".join(str(v) for v in listed))


def _is_number(value) -> bool:
    """A finite number (not a flag)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _number(value: float, lang: str) -> str:
    """A bound as the spec gives it, in the language's format: its own decimals (up to
    six; 0.25 stays 0,25)."""
    return fmt_num(value, lang, decimals(value))


def _mark(view: dict) -> dict:
    return view["mark"] if isinstance(view["mark"], dict) else {"type": view["mark"]}


def _reading(view: dict, encoding: dict, lang: str) -> tuple[str, str | None]:
    """What a screen reader is to get of a mark (``_OWN``, ``_QUIET``, ``_SAID``,
    ``_VEGA`` or ``_NONE``), and for ``_SAID`` the Vega expression of its tooltip."""
    if _mark(view).get("aria") is False:
        return _QUIET, None
    if "description" in encoding:
        return _OWN, None
    tooltip = encoding.get("tooltip")
    entries = tooltip if isinstance(tooltip, list) else [tooltip] if isinstance(tooltip, dict) else []
    if not entries:
        return _NONE, None
    parts = [_entry_expr(entry, lang) for entry in entries]
    if not all(parts):
        return _VEGA, None
    return _SAID, f" + {json.dumps(t('chart.aria.separator', lang))} + ".join(parts)


def _entry_expr(entry: dict, lang: str) -> str | None:
    """The Vega expression of one tooltip entry, "title: value" as the tooltip writes it
    (its number format, in the chart's locale); None for an entry it cannot say: no
    field or no title (a name of the data is not read), an aggregate, a bin, a date, a
    format other than a number's, a field Vega-Lite reads as nested."""
    field, title = entry.get("field"), entry.get("title")
    if not isinstance(field, str) or not isinstance(title, str) or any(c in field for c in ".[]\\"):
        return None
    if any(k in entry for k in ("aggregate", "bin", "timeUnit")) or entry.get("formatType", "number") != "number":
        return None
    if entry.get("type") not in ("nominal", "ordinal", "quantitative"):
        return None
    datum = f"datum[{json.dumps(field)}]"
    if entry.get("type") == "quantitative":
        value = f"format({datum}, {json.dumps(entry.get('format', ''))})"
    else:
        value = f"'' + {datum}"
    label = json.dumps(t("chart.aria.entry", lang, title=title))
    return f"{label} + (isValid({datum}) ? {value} : {json.dumps(MISSING)})"

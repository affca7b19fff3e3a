"""One look for every chart: a colour-blind-safe palette with fixed meanings.

Colours are the Okabe-Ito palette, distinguishable under the common colour-vision
deficiencies. Reference: Okabe M, Ito K. Color Universal Design (CUD): how to make
figures and presentations that are friendly to colorblind people. 2008.
"""
from __future__ import annotations

import textwrap

from core.i18n import number_locale

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
    "light_grey": "#D9D9D9",
}

# Fixed colours per category, whatever the subgroup shows: CR is always the same blue.
RESPONSE_COLOURS = {
    "CR": OKABE_ITO["blue"],
    "PR": OKABE_ITO["sky_blue"],
    "NR": OKABE_ITO["vermillion"],
    "missing": OKABE_ITO["light_grey"],
}
RESPONSE_ORDER = ("CR", "PR", "NR", "missing")

SHIFT_COLOURS = {
    "down": OKABE_ITO["green"],
    "up": OKABE_ITO["vermillion"],
    "stable": OKABE_ITO["grey"],
    "unknown": OKABE_ITO["light_grey"],
}
SHIFT_ORDER = ("down", "up", "stable", "unknown")

EVENT_COLOURS = {
    "infection": OKABE_ITO["orange"],
    "visceral": OKABE_ITO["purple"],
    "other": OKABE_ITO["grey"],
}
EVENT_ORDER = ("infection", "visceral", "other")

ACCENT = OKABE_ITO["blue"]
FONT = "Source Sans Pro, Helvetica, Arial, sans-serif"
WIDTH = 560
HEIGHT = 260
# The corticosteroid doses' chart, whole (plot, title and axis): its plot is taller.
DOSE_HEIGHT = HEIGHT + 120
# A chart drawn on its own is its plot's width (``width``) and about this much for its y
# axis, the axis title and the padding: the room a page leaves a chart beside another.
AXIS_ROOM = 55
# The plot's width of one response domain's bars (here, not with the chart: the pages
# lay the domains out without importing Altair).
DOMAIN_WIDTH = 340
# Only the width follows the page: Streamlit's default "fit" would squeeze the title,
# axes and legend into the height, leaving the bars a few pixels (a chart's ``autosize``).
FIT_WIDTH = {"type": "fit-x", "contains": "padding"}


def colour_scale(colours: dict[str, str], order: tuple[str, ...], labels: dict[str, str] | None = None) -> dict:
    """Keyword arguments for ``alt.Scale`` fixing each category's colour.

    With ``labels`` (category -> translated label) the domain is the translated labels,
    for charts whose colour field holds display text.
    """
    domain = [labels.get(k, k) if labels else k for k in order]
    return {"domain": domain, "range": [colours[k] for k in order]}


def themed(chart, lang: str, **properties):
    """``chart`` with ``properties`` (title, width, height, ...) and the shared
    configuration (font, sizes, no view border) with the number locale of ``lang``, so
    that every axis and label reads ``1,5`` in French.

    Quantitative axes keep Vega's default format (fixed point, precision from the tick
    step): a ``g`` or ``s`` format would let Vega write ``3.5e+2`` for 350.

    ``chart`` is the one its builder has just made, and is given them itself: Altair's
    ``properties`` and ``configure`` each build the whole chart again (a layered or
    concatenated chart copies every layer), and the spec is the same. ``to_dict``
    validates the properties with the rest of the spec.
    """
    import altair as alt  # here: core.display reads this module's colours without Altair

    title = properties.get("title", getattr(chart, "title", None))
    if isinstance(title, (str, dict, alt.TitleParams)):
        width = properties.get("width", getattr(chart, "width", None))
        fits = isinstance(width, (int, float)) and not isinstance(width, bool)
        properties.setdefault("description", title_description(title))
        title = wrapped_title(title, (width if fits else WIDTH) - TITLE_ROOM)
        if properties["description"]:
            # A chart named by its title (its description) does not read the title again:
            # Vega's label of the title's marks, "Title text '...'", is left out.
            title = _unread(title)
        properties["title"] = title
    for name, value in properties.items():
        setattr(chart, name, value)
    chart.config = alt.Config(
        font=FONT, locale={"number": number_locale(lang)}, view={"strokeWidth": 0},
        axis={"labelFontSize": 12, "titleFontSize": 13, "grid": False},
        legend={"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
        title={"fontSize": TITLE_FONT_SIZE, "subtitleFontSize": SUBTITLE_FONT_SIZE, "anchor": "start"},
    )
    return chart


# Streamlit limits a chart's title and subtitle to its column's width less 40 px and
# cuts a longer line with "…" (the column is narrower than the text on a laptop's
# screen): a title is broken into lines that fit the chart's own width less
# ``TITLE_ROOM``, so that it is read whole wherever the chart has its width (a
# full-width chart, 560 px, gets 564 on a 1,024 px screen with the sidebar open).
# Widths per character, with a margin, of the app's font (Source Sans Pro) measured in
# Chromium on the charts' titles: 8.5 to 9.1 px for a 15 px title, 5.9 to 6.0 px for a
# 12 px subtitle.
TITLE_FONT_SIZE = 15
SUBTITLE_FONT_SIZE = 12
TITLE_ROOM = 40
_PX_PER_CHAR = {"text": 9.3, "subtitle": 6.3}
# Private-use characters, in no text: a space not to break at, a break after a clause.
_HELD, _CLAUSE = "\ue000", "\ue001"


def _unread(title):
    """``title`` (text, a Vega-Lite title object, or ``alt.TitleParams``) hidden from a
    screen reader (``aria`` false; a title in Vega-Lite's config has no such property)."""
    import altair as alt

    if isinstance(title, alt.TitleParams):
        return alt.TitleParams(**{**title.to_dict(validate=False), "aria": False})
    return {**title, "aria": False} if isinstance(title, dict) else {"text": title, "aria": False}


def title_description(title) -> str | None:
    """A chart's description for a screen reader (the label of its drawing): its title
    and subtitle as sentences, on one line; None for a title that is not text."""
    params = _title_params(title)
    parts = [" ".join(" ".join(lines).split()).rstrip(".") for part in ("text", "subtitle")
             if (lines := _text_lines(params.get(part)))]
    return ". ".join(part for part in parts if part) + "." if any(parts) else None


def wrapped_title(title, width: float):
    """``title`` (text, a Vega-Lite title object, or ``alt.TitleParams``) with its text
    and subtitle broken into lines, each at most ``width`` px wide (``_PX_PER_CHAR``;
    ``title_lines``). A title that fits stays as it was given; a part that is not text
    (an expression) is left alone."""
    import altair as alt

    params = _title_params(title)
    for part in ("text", "subtitle"):
        if (text := _text_lines(params.get(part))) is not None:
            lines = title_lines(text, max(1, int(width // _PX_PER_CHAR[part])))
            params[part] = lines[0] if len(lines) == 1 else lines
    return params["text"] if isinstance(title, str) and isinstance(params["text"], str) else alt.TitleParams(**params)


def _title_params(title) -> dict:
    """A title (text, a Vega-Lite title object, or ``alt.TitleParams``) as its properties."""
    return {"text": title} if isinstance(title, str) else dict(title if isinstance(title, dict) else title.to_dict())


def _text_lines(value) -> list[str] | None:
    """A title's part as its lines when it is text (a line, or lines), else None (an
    expression, or no such part)."""
    if isinstance(value, str):
        return [value]
    return value if isinstance(value, list) and all(isinstance(v, str) for v in value) else None


def title_lines(text: str | list[str], chars: int) -> list[str]:
    """``text`` (a line, or lines that keep their breaks) as lines of at most ``chars``
    characters, broken at spaces; a longer line breaks after a semicolon first (clauses
    that fit together stay together). A size stays whole (``n = 13,083``), and a French
    colon or semicolon stays with the word before it; a word longer than ``chars`` has
    a line of its own."""
    lines = [text] if isinstance(text, str) else text
    out = []
    for line in lines:
        for clause in _clauses(line, chars):
            held = clause.replace(" = ", f"{_HELD}={_HELD}")
            for mark in ":;?!":
                held = held.replace(f" {mark}", f"{_HELD}{mark}")
            wrapped = textwrap.wrap(held, chars, break_long_words=False, break_on_hyphens=False) or [held]
            out += [part.replace(_HELD, " ") for part in wrapped]
    return out


def _clauses(line: str, chars: int) -> list[str]:
    """``line`` in its clauses (each ending with its semicolon), consecutive clauses
    joined while they fit in ``chars``; a line that fits is one clause."""
    if len(line) <= chars:
        return [line]
    clauses: list[str] = []
    for clause in line.replace("; ", f";{_CLAUSE}").split(_CLAUSE):
        if clauses and len(clauses[-1]) + 1 + len(clause) <= chars:
            clauses[-1] += " " + clause
        else:
            clauses.append(clause)
    return clauses


def layer_data(frame) -> dict:
    """``frame`` as the inline data of a chart (``{"values": [...]}``), converted as
    Altair's default data transformer converts a frame (at most 5,000 rows, values made
    JSON-safe): for a frame that several layers draw. Altair converts a frame again for
    each layer holding it (a third of serialising the response chart); converted once,
    every layer holds the same values and the spec is the same."""
    import altair as alt

    return alt.default_data_transformer(frame)


def month_order(frame, label: str = "month_label", month: str = "month") -> list[str]:
    """The ``label`` values of ``frame`` in the order of their ``month``: the sort of a
    nominal month axis, which would otherwise sort its labels as text (M12 before M3)."""
    return frame.sort_values(month, kind="stable")[label].drop_duplicates().tolist()


# A month label with its size, ``M3 (N = 17)``, on two lines under its bar: ``M3``
# then ``(N = 17)``, so that a registry's ``M12 (N = 7271)`` is not cut (an axis
# ``labelExpr``; labels without a size stay on one line).
TWO_LINE_MONTH = ("indexof(datum.label, ' (') < 0 ? datum.label "
                  ": [split(datum.label, ' (')[0], '(' + split(datum.label, ' (')[1]]")

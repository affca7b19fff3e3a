"""One look for every chart: a colour-blind-safe palette with fixed meanings.

Colours are the Okabe-Ito palette, distinguishable under the common colour-vision
deficiencies. Reference: Okabe M, Ito K. Color Universal Design (CUD): how to make
figures and presentations that are friendly to colorblind people. 2008.
"""
from __future__ import annotations

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

    for name, value in properties.items():
        setattr(chart, name, value)
    chart.config = alt.Config(
        font=FONT, locale={"number": number_locale(lang)}, view={"strokeWidth": 0},
        axis={"labelFontSize": 12, "titleFontSize": 13, "grid": False},
        legend={"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
        title={"fontSize": 15, "anchor": "start"},
    )
    return chart


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

"""Every chart writes numbers in the page's locale, never in e-notation (``3.5e+2``)."""
from __future__ import annotations

import json
import re

import pytest

from core.i18n import number_locale

CHART_PAGES = ("pages/cohort.py", "pages/response.py", "pages/biology.py", "pages/steroids.py", "pages/safety.py")
# The type letter that ends a d3-format specifier; with these Vega picks a precision
# from the tick step and may switch to exponent notation.
_EXPONENT_TYPES = set("egrs")
_SPECIFIER = re.compile(r"^(?:.?[<>=^])?[+\-( ]?[$#]?0?\d*,?(?:\.\d+)?~?([a-z%])?$")


def _formats(node, path=()):
    """Every (path, format) of an axis, legend or text encoding in a Vega-Lite spec."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "format" and isinstance(value, str) and "tooltip" not in path:
                yield path, value
            else:
                yield from _formats(value, (*path, key))
    elif isinstance(node, list):
        for item in node:
            yield from _formats(item, path)


def _specs(app) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("vega_lite_chart")]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", CHART_PAGES)
def test_chart_axes_use_plain_numbers_in_the_page_locale(open_page, path, lang):
    specs = _specs(open_page(path, lang=lang))
    assert specs, path
    for spec in specs:
        assert spec["config"]["locale"]["number"] == number_locale(lang)
        for where, fmt in _formats(spec):
            match = _SPECIFIER.match(fmt)
            assert match, (where, fmt)
            assert match.group(1) not in _EXPONENT_TYPES, (where, fmt)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_biology_paired_charts_render_without_e_notation(lang):
    import vl_convert

    from core.biology import biology
    from core.charts import biology as charts
    from core.demo import load_demo
    from core.filters import Filter
    from core.settings import Settings

    # The demo's IFN scores and anti-dsDNA titres run into the hundreds.
    result = biology(load_demo().cohort, Filter(), Settings())
    svgs = [vl_convert.vegalite_to_svg(charts.paired_chart(getattr(result, marker).pairs, month, lang, marker).to_dict())
            for marker in ("ifn", "anti_dsdna") for month in (3, 6)]
    ticks = [text for svg in svgs for text in re.findall(r">([^<]*)</text>", svg)]
    assert not [tick for tick in ticks if re.search(r"\d[eE][+\-]?\d", tick)]
    assert any(re.fullmatch(r"\d{3}", tick) for tick in ticks)


def test_number_locale_matches_the_text_formatter():
    from core.i18n import fmt_num

    for lang in ("fr", "en"):
        loc = number_locale(lang)
        assert fmt_num(1234.5, lang) == f"1{loc['thousands']}234{loc['decimal']}5"

"""How ``core.charts`` builds its Altair charts: the specs Altair's own methods would
give, built without the work Altair repeats (rebuilding a chart per ``properties`` or
``configure`` call, converting a frame again for each layer, looking up every schema
class for an encoding written as a string)."""
from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from core.analysis import biology, populations, response, safety, steroids
from core.charts import biology as biology_charts
from core.charts import cohort, safety as safety_charts
from core.charts import steroids as steroid_charts
from core.charts.response import domain_chart, response_chart, response_grid_chart, transitions_chart
from core.charts.theme import (FONT, TITLE_ROOM, WIDTH, layer_data, themed, title_description, title_lines,
                               wrapped_title)
from core.display.response import overall_frame
from core.filters import Filter
from core.i18n import number_locale
from core.settings import Settings
from tests.helpers import title_text


@pytest.fixture(scope="module")
def demo_results():
    from core.demo import load_demo

    cohort_ = load_demo("fr").cohort
    flt, settings = Filter(), Settings()
    yield {panel.__name__: panel(cohort_, flt, settings) for panel in (populations, response, biology, steroids, safety)}
    cohort_.close()


def _builders(results: dict, lang: str) -> dict:
    """Every chart the pages draw, as a builder."""
    resp, bio = results["response"], results["biology"]
    builders = {
        "flow": lambda: cohort.flow_chart(results["populations"].flow, lang),
        "response": lambda: response_chart(resp.counts, overall_frame(resp.results), lang),
        "cutaneous": lambda: domain_chart(resp, "cutaneous", lang),
        "articular": lambda: domain_chart(resp, "articular", lang),
        "transitions": lambda: transitions_chart(resp.transitions, lang),
        "grid": lambda: response_grid_chart(resp, lang),
        "steroids": lambda: steroid_charts.steroid_dose_chart(results["steroids"], lang),
        "by_type": lambda: safety_charts.events_by_type_chart(results["safety"].events_by_type, lang,
                                                              results["safety"].N),
        "swimmer": lambda: safety_charts.safety_swimmer_chart(results["safety"], lang),
    }
    for name in ("ifn", "anti_dsdna"):
        marker = getattr(bio, name)
        builders[f"{name}_shifts"] = lambda m=marker, n=name: biology_charts.shift_chart(
            biology_charts.shift_frame(m), lang, n)
        builders[f"{name}_paired"] = lambda m=marker: biology_charts.marker_paired_chart(m, bio.months[-1], lang)
    return builders


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_themed_gives_the_spec_of_altairs_properties_and_configure_methods(lang):
    """``themed`` sets the properties and the configuration on the chart it is given
    (Altair's methods would each build the layered chart again): same spec."""
    frame = pd.DataFrame({"x": [1, 2], "y": [3, 4]})
    base = alt.Chart(frame).encode(x=alt.X("x:Q"), y=alt.Y("y:Q"))
    by_methods = (alt.layer(base.mark_line(), base.mark_point())
                  .properties(title=alt.TitleParams("T", aria=False), description="T.", width=300, height=alt.Step(20))
                  .configure(font=FONT, locale={"number": number_locale(lang)})
                  .configure_view(strokeWidth=0)
                  .configure_axis(labelFontSize=12, titleFontSize=13, grid=False)
                  .configure_legend(labelFontSize=12, titleFontSize=12, orient="bottom")
                  .configure_title(fontSize=15, subtitleFontSize=12, anchor="start"))
    chart = alt.layer(base.mark_line(), base.mark_point())
    themed_chart = themed(chart, lang, title="T", width=300, height=alt.Step(20))
    assert themed_chart is chart
    assert themed_chart.to_dict() == by_methods.to_dict()


def test_themed_properties_are_validated_with_the_spec():
    chart = themed(alt.Chart(pd.DataFrame({"x": [1]})).mark_bar().encode(x=alt.X("x:Q")), "en", width="wide")
    with pytest.raises(alt.utils.schemapi.SchemaValidationError):
        chart.to_dict()


def test_layer_data_is_what_altair_makes_of_the_frame():
    frame = pd.DataFrame({"x": [1.5, None], "when": pd.to_datetime(["2024-01-02", "2024-03-04"]),
                          "label": pd.Series(["a", pd.NA], dtype="string")})

    def layered(data):
        base = alt.Chart(data).encode(x=alt.X("x:Q"), text=alt.Text("label:N"))
        return alt.layer(base.mark_point(), base.mark_text())

    assert layered(layer_data(frame)).to_dict() == layered(frame).to_dict()
    # Altair's row limit still holds.
    with pytest.raises(alt.MaxRowsError):
        layer_data(pd.DataFrame({"x": range(5_001)}))


def test_the_response_chart_converts_each_frame_once(demo_results, monkeypatch):
    """Two frames per domain (the bars and the CR + PR tops), each drawn by several
    layers: four conversions, not one per layer (twelve)."""
    import altair.utils.data

    sanitized = []
    original = altair.utils.data.sanitize_pandas_dataframe

    def counted(frame):
        sanitized.append(len(frame))
        return original(frame)

    monkeypatch.setattr(altair.utils.data, "sanitize_pandas_dataframe", counted)
    resp = demo_results["response"]
    response_chart(resp.counts, overall_frame(resp.results), "en").to_dict()
    assert len(sanitized) == 4


def test_no_encoding_is_looked_up_from_a_string(demo_results, monkeypatch):
    """An encoding written as a string (``"pct:Q"``) or as ``alt.datum``/``alt.value``
    makes Altair hash every schema class to find its own (2 to 3 ms each): every
    chart names its channel classes. The transition matrices' text colour is the one
    condition left (``alt.condition``)."""
    from altair.utils import schemapi

    looked_up = []
    original = schemapi.SchemaBase.from_dict.__func__

    def counted(cls, dct, validate=True):
        looked_up.append(cls.__name__)
        return original(cls, dct, validate)

    monkeypatch.setattr(schemapi.SchemaBase, "from_dict", classmethod(counted))
    for lang in ("en", "fr"):
        for name, build in _builders(demo_results, lang).items():
            looked_up.clear()
            build()
            assert looked_up == (["ColorValue"] if name == "transitions" else []), (name, looked_up)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_chart_is_a_valid_spec(demo_results, lang):
    for name, build in _builders(demo_results, lang).items():
        spec = build().to_dict(validate=True)
        assert spec["config"]["font"] == FONT, name


def test_title_lines_break_at_spaces_within_the_width():
    text = "Among patients on corticosteroids (quartiles, median, range); too many patients or doses"
    lines = title_lines(text, 40)
    assert len(lines) == 3 and all(len(line) <= 40 for line in lines)
    assert " ".join(lines) == text
    # A size and what a no-break space holds stay whole; a longer word stays whole too.
    assert title_lines("Signature IFN\u00a0: de M0 à M12 (n = 13\u202f083)", 16) == [
        "Signature IFN\u00a0:", "de M0 à M12", "(n = 13\u202f083)"]
    assert title_lines("Hydroxychloroquine users", 10) == ["Hydroxychloroquine", "users"]
    # A longer line breaks after its semicolons first.
    assert title_lines("Boxes: among patients on corticosteroids (quartiles, median, range); grey lines: "
                       "each patient.", 88) == [
        "Boxes: among patients on corticosteroids (quartiles, median, range);", "grey lines: each patient."]
    assert title_lines("Short; fine", 88) == ["Short; fine"]
    # Clauses that fit together stay together; a French colon stays with its word.
    assert title_lines("One; two; and a third clause that is longer", 20) == [
        "One; two;", "and a third clause", "that is longer"]
    assert title_lines("Test de Farr (anti-ADNdb) : de M0 à M12 (n = 13 083)", 25) == [
        "Test de Farr", "(anti-ADNdb) : de M0 à", "M12 (n = 13 083)"]
    # Lines given as lines keep their breaks.
    assert title_lines(["short one", "short two"], 40) == ["short one", "short two"]


def test_wrapped_title_fits_title_and_subtitle_to_the_width():
    title = alt.TitleParams("Daily dose, prednisone equivalent, among the patients on corticosteroids",
                            subtitle="Among patients on corticosteroids (quartiles, median, range); too many "
                                     "patients or doses to draw one line per patient.", anchor="start")
    wrapped = wrapped_title(title, 280).to_dict()
    assert wrapped["anchor"] == "start"
    assert max(len(line) for line in wrapped["text"]) * 9.3 <= 280
    assert max(len(line) for line in wrapped["subtitle"]) * 6.3 <= 280
    assert " ".join(wrapped["subtitle"]) == title.subtitle
    # A title that fits stays as it was given; a title object is fitted too, and a part
    # that is an expression is left alone.
    assert wrapped_title("Flux des patients", WIDTH) == "Flux des patients"
    assert wrapped_title({"text": "Patients by response at consecutive visits", "dy": 3}, 280).to_dict() == {
        "text": ["Patients by response at", "consecutive visits"], "dy": 3}
    assert wrapped_title(alt.TitleParams(alt.ExprRef("'x'"), subtitle="Short"), 280).to_dict() == {
        "text": {"expr": "'x'"}, "subtitle": "Short"}


def _titled_specs(results: dict, lang: str):
    """(name, spec, title as a Vega-Lite title object) of every chart with a title."""
    for name, build in _builders(results, lang).items():
        spec = build().to_dict()
        title = spec.get("title")
        if title is not None:
            yield name, spec, title if isinstance(title, dict) else {"text": title}


def _lines(title: dict, part: str) -> list[str]:
    value = title.get(part, [])
    return [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_chart_title_line_fits_the_charts_width(demo_results, lang):
    for name, spec, title in _titled_specs(demo_results, lang):
        width = spec["width"] if isinstance(spec.get("width"), int) else WIDTH
        for part, px in (("text", 9.3), ("subtitle", 6.3)):
            for line in _lines(title, part):
                assert len(line) * px <= width - TITLE_ROOM or " " not in line, (name, line)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_chart_with_a_title_is_described_by_it_for_a_screen_reader(demo_results, lang):
    # Vega labels the drawing with the spec's description (its ARIA label): without one,
    # a screen reader met an unnamed graphic, then its axes.
    titled = list(_titled_specs(demo_results, lang))
    for name, spec, title in titled:
        lines = _lines(title, "text") + _lines(title, "subtitle")
        # The same words as the title's lines (the description adds full stops).
        assert spec["description"].replace(".", " ").split() == " ".join(lines).replace(".", " ").split(), name
        # ... and not read again from the title's marks ("Title text '...'").
        assert spec["title"]["aria"] is False, name
    assert len(titled) >= 8


def test_a_title_description_is_its_text_then_its_subtitle_as_sentences():
    assert title_description("Daily dose") == "Daily dose."
    assert title_description(alt.TitleParams("Dose, mg", subtitle=["Boxes: quartiles;", "lines: each patient."])) == \
        "Dose, mg. Boxes: quartiles; lines: each patient."
    assert title_description({"text": {"expr": "'x'"}}) is None


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_domain_chart_is_its_panel_of_the_exported_figure_at_the_page_width(demo_results, lang):
    """The pages draw each domain's bars on their own (side by side or one under the
    other, at the column's width); the exports draw both in one figure: the same layers
    over the same rows, the same title. Only the width follows the page ("fit" would
    squeeze the bars into the height)."""
    resp = demo_results["response"]
    figure = response_chart(resp.counts, overall_frame(resp.results), lang).to_dict()

    def rows(spec: dict, layers: list[dict]) -> list:
        return [spec["datasets"][layer["data"]["name"]] for layer in layers]

    for panel, domain in zip(figure["hconcat"], ("cutaneous", "articular")):
        spec = domain_chart(resp, domain, lang).to_dict()
        assert title_text(spec["title"]) == title_text(panel["title"]) and spec["height"] == panel["height"]
        assert [{**layer, "data": None} for layer in spec["layer"]] == [
            {**layer, "data": None} for layer in panel["layer"]]
        assert rows(spec, spec["layer"]) == rows(figure, panel["layer"])
        assert spec["autosize"] == {"type": "fit-x", "contains": "padding"} and spec["width"] > panel["width"]

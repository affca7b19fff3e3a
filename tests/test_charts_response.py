"""Response chart builders: stacked bars with CR+PR and its CI, transitions, patient grid."""
from __future__ import annotations

import pandas as pd
import pytest

from core.charts.aria import described
from core.charts.response import GRID_LIMIT, patient_grid_chart, response_chart, transitions_chart
from core.charts.theme import RESPONSE_COLOURS
from core.i18n import NNBSP

_COUNT_COLUMNS = ["domain", "month", "category", "n", "N", "pct", "ci_low", "ci_high"]
_OVERALL_COLUMNS = ["domain", "month", "n", "N", "pct", "ci_low", "ci_high"]
_TRANSITION_COLUMNS = ["domain", "from_month", "to_month", "from_response", "to_response", "patients"]
_PATIENT_COLUMNS = ["patient_id", "domain", "month", "seen", "recorded", "scored", "response", "source"]


def _counts() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cutaneous M3: 2 CR, 1 PR, 1 NR of 4; articular M3: nobody assessed."""
    counts = pd.DataFrame([
        ("cutaneous", 3, "CR", 2, 4, 50.0, 15.0, 85.0), ("cutaneous", 3, "PR", 1, 4, 25.0, 4.6, 69.9),
        ("cutaneous", 3, "NR", 1, 4, 25.0, 4.6, 69.9), ("articular", 3, "CR", 0, 0, None, None, None),
        ("articular", 3, "PR", 0, 0, None, None, None), ("articular", 3, "NR", 0, 0, None, None, None),
    ], columns=_COUNT_COLUMNS)
    overall = pd.DataFrame([("cutaneous", 3, 3, 4, 75.0, 30.1, 95.4), ("articular", 3, 0, 0, None, None, None)],
                           columns=_OVERALL_COLUMNS)
    return counts, overall


def _layer_data(spec: dict, panel: int, layer: int) -> list[dict]:
    name = spec["hconcat"][panel]["layer"][layer]["data"]["name"]
    return spec["datasets"][name]


def test_bars_are_labelled_n_over_n_with_month_and_denominator():
    spec = response_chart(*_counts(), "en").to_dict()
    rows = _layer_data(spec, 0, 0)
    assert [(r["category_label"], r["text"], r["month_label"]) for r in rows] == [
        ("CR", "2/4", "M3 (N = 4)"), ("PR", "1/4", "M3 (N = 4)"), ("NR", "1/4", "M3 (N = 4)")]


def test_a_screen_reader_reads_each_segment_and_cr_plus_pr_whole():
    # A segment's label may be n alone, and Vega's own description of a bar listed the
    # fields it encodes ("rank: 0"): each bar and diamond says what it shows, in words;
    # the texts and the CI's rule, which repeat them, are left out.
    spec = response_chart(*_counts(), "en").to_dict()
    layers = spec["hconcat"][0]["layer"]
    assert [layer["encoding"].get("description") for layer in layers] == [
        {"field": "aria", "type": "nominal"}, None, None, {"field": "aria", "type": "nominal"}, None, None]
    assert [layer["mark"].get("aria", True) for layer in layers] == [True, False, False, True, False, False]
    assert [r["aria"] for r in _layer_data(spec, 0, 0)] == ["M3: CR 2/4 (50.0%)", "M3: PR 1/4 (25.0%)",
                                                         "M3: NR 1/4 (25.0%)"]
    assert [r["aria"] for r in _layer_data(spec, 0, 3)] == ["M3: CR+PR 75.0%, 95% CI 30.1 to 95.4"]
    assert [r["aria"] for r in _layer_data(spec, 1, 3)] == ["M3: no data"]
    encoding = described(spec, "en")["hconcat"][0]["layer"][0]["encoding"]  # as the pages draw it
    assert encoding["x"]["axis"]["description"] == "X-axis titled 'Visit': M3 (N = 4)"
    assert encoding["y"]["axis"]["description"] == "Y-axis titled '% of patients assessed', from 0 to 100"
    assert encoding["color"]["legend"]["description"] == "Legend titled 'Response': CR, PR, NR"
    french = response_chart(*_counts(), "fr").to_dict()
    assert _layer_data(french, 0, 0)[0]["aria"] == f"M3\u202f: RC 2/4 (50,0{NNBSP}%)"


def test_segment_labels_sit_in_the_middle_of_their_segment():
    rows = _layer_data(response_chart(*_counts(), "en").to_dict(), 0, 1)
    assert [r["mid"] for r in rows] == [25.0, 62.5, 87.5]


def test_response_colours_are_fixed_per_category():
    spec = response_chart(*_counts(), "en").to_dict()
    scale = spec["hconcat"][0]["layer"][0]["encoding"]["color"]["scale"]
    assert scale == {"domain": ["CR", "PR", "NR"],
                     "range": [RESPONSE_COLOURS["CR"], RESPONSE_COLOURS["PR"], RESPONSE_COLOURS["NR"]]}


def test_overall_response_and_its_ci_are_shown_above_the_bar():
    rows = _layer_data(response_chart(*_counts(), "en").to_dict(), 0, 3)
    assert (rows[0]["text"], rows[0]["ci"]) == ("CR+PR 75.0%", "95% CI 30.1 to 95.4")
    error = response_chart(*_counts(), "en").to_dict()["hconcat"][0]["layer"][2]["encoding"]
    assert (error["y"]["field"], error["y2"]["field"]) == ("ci_low", "ci_high")


def test_domain_without_assessed_patients_says_no_data():
    rows = _layer_data(response_chart(*_counts(), "en").to_dict(), 1, 3)
    assert (rows[0]["text"], rows[0]["ci"]) == ("no data", "")


def test_response_chart_in_french_uses_rc_rp_and_decimal_commas():
    spec = response_chart(*_counts(), "fr").to_dict()
    assert spec["hconcat"][0]["title"] == "Cutanée"
    assert spec["hconcat"][0]["layer"][0]["encoding"]["color"]["scale"]["domain"] == ["RC", "RP", "NR"]
    top = _layer_data(spec, 0, 3)[0]
    assert (top["text"], top["ci"]) == (f"RC+RP 75,0{NNBSP}%", f"IC 95{NNBSP}% 30,1 à 95,4")


def test_response_chart_on_empty_input_still_builds():
    spec = response_chart(pd.DataFrame(columns=_COUNT_COLUMNS), pd.DataFrame(columns=_OVERALL_COLUMNS),
                          "en").to_dict()
    assert len(spec["hconcat"]) == 2


def _transitions() -> pd.DataFrame:
    return pd.DataFrame([("cutaneous", 3, 6, "CR", "CR", 7), ("cutaneous", 3, 6, "PR", "missing", 2)],
                        columns=_TRANSITION_COLUMNS)


def test_transition_cells_carry_counts_and_translated_responses():
    spec = transitions_chart(_transitions(), "en").to_dict()
    (rows,) = spec["datasets"].values()
    assert [(r["from_label"], r["to_label"], r["patients"], r["pair"]) for r in rows] == [
        ("CR", "CR", 7, "M3 → M6"), ("PR", "Not assessed", 2, "M3 → M6")]
    cells = spec["spec"]["layer"][0]["encoding"]
    assert cells["x"]["scale"]["domain"] == ["CR", "PR", "NR", "Not assessed"]


def test_transition_chart_in_french():
    spec = transitions_chart(_transitions(), "fr").to_dict()
    assert spec["spec"]["layer"][0]["encoding"]["y"]["title"] == "Réponse à la visite précédente"
    (rows,) = spec["datasets"].values()
    assert rows[1]["to_label"] == "Non évalué"


def test_transition_chart_on_empty_input_still_builds():
    assert transitions_chart(pd.DataFrame(columns=_TRANSITION_COLUMNS), "en").to_dict()["facet"]


def _patients(ids: list[str]) -> pd.DataFrame:
    n = len(ids)
    return pd.DataFrame({
        "patient_id": ids, "domain": "cutaneous", "month": 3, "seen": True,
        "recorded": pd.array(["CR"] + [None] * (n - 1), dtype="string"),
        "scored": pd.array(["CR"] * n, dtype="string"), "response": pd.array(["CR"] * n, dtype="string"),
        "source": pd.array(["recorded"] + ["scored"] * (n - 1), dtype="string"),
    })[_PATIENT_COLUMNS]


def test_grid_orders_patients_naturally_and_marks_scored_cells():
    spec = patient_grid_chart(_patients(["P10", "P2", "P1"]), "en").to_dict()
    cells, dots = spec["spec"]["layer"]
    assert cells["encoding"]["y"]["sort"] == ["P1", "P2", "P10"]
    assert dots["transform"] == [{"filter": "(datum.source === 'scored')"}]
    assert dots["encoding"]["shape"]["scale"]["domain"] == ["Scored from components"]


def test_grid_shows_missing_responses_as_not_assessed():
    frame = _patients(["P1"]).assign(response=pd.array([None], dtype="string"), source=pd.array([None], dtype="string"))
    spec = patient_grid_chart(frame, "en").to_dict()
    (rows,) = spec["datasets"].values()
    assert rows[0]["response_label"] == "Not assessed"
    colours = spec["spec"]["layer"][0]["encoding"]["color"]["scale"]
    assert colours["range"][colours["domain"].index("Not assessed")] == RESPONSE_COLOURS["missing"]


def test_grid_of_a_large_cohort_shows_counts_only():
    spec = patient_grid_chart(_patients([f"P{k}" for k in range(GRID_LIMIT + 1)]), "en").to_dict()
    (rows,) = spec["datasets"].values()
    assert rows == [{"domain_label": "Cutaneous", "month": 3, "month_label": "M3", "response_label": "CR",
                     "size": GRID_LIMIT + 1}]


def test_grid_in_french():
    spec = patient_grid_chart(_patients(["P1", "P2"]), "fr").to_dict()
    assert spec["spec"]["layer"][1]["encoding"]["shape"]["scale"]["domain"] == ["Calculée d’après les composantes"]


def test_grid_on_empty_input_still_builds():
    assert patient_grid_chart(pd.DataFrame(columns=_PATIENT_COLUMNS), "en").to_dict()["facet"]


def test_months_run_in_time_order_and_long_labels_fit_their_bars():
    """A registry's months: M12 after M3 and M6 on every month axis (a nominal axis sorts
    text, M12 first), and segment labels too wide for their bar written as n alone."""
    from core.charts.biology import shift_chart

    rows = []
    for month, N in ((3, 7271), (6, 7001), (12, 1341)):
        for category, n in (("CR", N // 2), ("PR", N // 4), ("NR", N - N // 2 - N // 4)):
            rows.append({"domain": "cutaneous", "month": month, "category": category, "n": n, "N": N,
                         "pct": 100 * n / N, "ci_low": 0.0, "ci_high": 100.0})
    counts = pd.DataFrame(rows)
    overall = pd.DataFrame([{"domain": "cutaneous", "month": m, "n": N // 2, "N": N, "pct": 50.0, "ci_low": 40.0,
                             "ci_high": 60.0} for m, N in ((3, 7271), (6, 7001), (12, 1341))])
    spec = response_chart(counts, overall, "en").to_dict()
    bars = spec["hconcat"][0]["layer"][0]
    assert bars["encoding"]["x"]["sort"] == ["M3 (N = 7,271)", "M6 (N = 7,001)", "M12 (N = 1,341)"]
    segment = next(layer for layer in spec["hconcat"][0]["layer"] if layer["mark"]["type"] == "text")
    texts = {r["text"] for r in spec["datasets"][segment["data"]["name"]]}
    assert "3,635" in texts and not any("/" in text for text in texts)
    # The demo's labels fit: n/N (test_bars_are_labelled_n_over_n_with_month_and_denominator).
    shifts = pd.DataFrame([{"month": m, "shift": "down", "n": 1, "N": 2} for m in (12, 3, 6)])
    x = shift_chart(shifts, "en", "ifn").to_dict()["encoding"]["x"]
    assert x["sort"] == ["M3 (n = 2)", "M6 (n = 2)", "M12 (n = 2)"]


def test_three_months_of_a_registry_label_their_segments_with_n_alone():
    """840/2027 on a third of a domain's width: the bar is 61 px (a band less its inner
    padding, 0.6 of it) and the label 68 px in bold 13 px DejaVu Sans, the font the
    exports are drawn in: it lost its first and last digits on the poster's PDF."""
    rows, overall = [], []
    for month, N in ((3, 2027), (6, 1703), (12, 1136)):
        for category, n in (("CR", 840), ("PR", N - 840 - 385), ("NR", 385)):
            rows.append({"domain": "cutaneous", "month": month, "category": category, "n": n, "N": N,
                         "pct": 100 * n / N, "ci_low": 0.0, "ci_high": 100.0})
        overall.append({"domain": "cutaneous", "month": month, "n": N - 385, "N": N, "pct": 80.0,
                        "ci_low": 79.0, "ci_high": 82.0})
    spec = response_chart(pd.DataFrame(rows), pd.DataFrame(overall), "fr").to_dict()
    segment = next(layer for layer in spec["hconcat"][0]["layer"] if layer["mark"]["type"] == "text")
    texts = {r["text"] for r in spec["datasets"][segment["data"]["name"]]}
    assert "840" in texts and not any("/" in text for text in texts)


def test_three_months_of_a_registry_write_each_ci_on_two_lines():
    """"IC 95 % 79,2 à 82,7" is wider than a third of a domain's width in the exports'
    font: it ran into its neighbours; it is drawn as its label over its bounds, and read
    and hovered on one line. Two months (the demo) keep one line."""
    def spec(months):
        rows, overall = [], []
        for month in months:
            for category, n in (("CR", 840), ("PR", 802), ("NR", 385)):
                rows.append({"domain": "cutaneous", "month": month, "category": category, "n": n, "N": 2027,
                             "pct": 100 * n / 2027, "ci_low": 0.0, "ci_high": 100.0})
            overall.append({"domain": "cutaneous", "month": month, "n": 1642, "N": 2027, "pct": 81.0,
                            "ci_low": 79.2, "ci_high": 82.7})
        return response_chart(pd.DataFrame(rows), pd.DataFrame(overall), "fr").to_dict()

    def ci_layer(s):
        layer = next(x for x in s["hconcat"][0]["layer"] if x["mark"].get("fontSize") == 11)
        return layer, s["datasets"][layer["data"]["name"]]

    layer, rows = ci_layer(spec((3, 6, 12)))
    assert layer["mark"]["lineBreak"] == "\n"
    assert {r["ci_text"] for r in rows} == {"IC 95\u202f%\n79,2 à 82,7"}
    assert {r["ci"] for r in rows} == {"IC 95\u202f% 79,2 à 82,7"}
    assert all("\n" not in r["aria"] for r in rows)
    _, rows = ci_layer(spec((3, 6)))
    assert {r["ci_text"] for r in rows} == {"IC 95\u202f% 79,2 à 82,7"}


def test_labels_with_no_room_give_way_month_by_month():
    """Five months of a registry: a segment's count, CR + PR's name and its CI have no
    room above or on a 37 px bar; each layer gives way to a shorter label, else to
    none (the tooltip and a screen reader still give every value), never running into
    its neighbour."""
    rows, overall = [], []
    for month in (3, 6, 9, 12, 18):
        for category, n in (("CR", 150161), ("PR", 84023), ("NR", 1000)):
            rows.append({"domain": "cutaneous", "month": month, "category": category, "n": n, "N": 235184,
                         "pct": 100 * n / 235184, "ci_low": 0.0, "ci_high": 100.0})
        overall.append({"domain": "cutaneous", "month": month, "n": 234184, "N": 235184, "pct": 99.6,
                        "ci_low": 99.5, "ci_high": 100.0})
    spec = response_chart(pd.DataFrame(rows), pd.DataFrame(overall), "fr").to_dict()
    layers = spec["hconcat"][0]["layer"]
    data = {k: spec["datasets"][layer["data"]["name"]] for k, layer in enumerate(layers)}
    texts = {layer["encoding"]["text"]["field"]: [r[layer["encoding"]["text"]["field"]] for r in data[k]]
             for k, layer in enumerate(layers) if layer["mark"]["type"] == "text"}
    assert set(texts["text"]) == {""}  # 150 161 is 57 px wide on a 37 px bar
    assert set(texts["top_text"]) == {"99,6\u202f%"}
    assert set(texts["ci_text"]) == {""}
    # The months' N have no room under them either: the axis gives the months alone.
    assert layers[0]["encoding"]["x"]["axis"]["labelExpr"] == "split(datum.label, ' (')[0]"
    assert all(r["ci"] == "IC 95\u202f% 99,5 à 100,0" for r in data[next(
        k for k, layer in enumerate(layers) if layer["mark"]["type"] == "point")])


@pytest.mark.parametrize(("Ns", "pcts", "expected"), [
    ((20, 18, 0), (80.0, 82.0, None), ["RC+RP 80,0\u202f%", "RC+RP 82,0\u202f%", "aucune donnée"]),
    ((24, 20, 10), (91.7, 90.0, 100.0), ["RC+RP 91,7\u202f%", "RC+RP 90,0\u202f%", "RC+RP 100,0\u202f%"]),
])
def test_three_months_of_a_small_subgroup_keep_cr_plus_pr_named(Ns, pcts, expected):
    """A month at 100,0 % or without patients has room on a third of the width: every
    month keeps "RC+RP", and a month without patients says so."""
    rows, overall = [], []
    for month, N, p in zip((3, 6, 12), Ns, pcts):
        for category, n in (("CR", N // 2), ("PR", N // 4), ("NR", N - N // 2 - N // 4)):
            rows.append({"domain": "cutaneous", "month": month, "category": category, "n": n, "N": N,
                         "pct": 100 * n / N if N else None, "ci_low": None, "ci_high": None})
        overall.append({"domain": "cutaneous", "month": month, "n": int(N * (p or 0) / 100), "N": N,
                        "pct": p if N else None, "ci_low": 70.0 if N else None, "ci_high": 90.0 if N else None})
    spec = response_chart(pd.DataFrame(rows), pd.DataFrame(overall), "fr").to_dict()
    layer = next(x for x in spec["hconcat"][0]["layer"]
                 if x["mark"]["type"] == "text" and x["encoding"]["text"]["field"] == "top_text")
    assert [r["top_text"] for r in spec["datasets"][layer["data"]["name"]]] == expected

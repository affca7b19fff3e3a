"""Cohort chart builder: the patient flow funnel (core.charts.cohort)."""
from __future__ import annotations

import pandas as pd

from core.charts.cohort import FLOW_COLOURS, flow_chart, flow_frame
from core.i18n import NNBSP
from tests.helpers import title_text


def _flow(treated: int, analysed: int, visits: dict[int, int]) -> pd.DataFrame:
    """A ``Populations.flow`` frame written by hand."""
    return pd.DataFrame({
        "step": ["treated", "analysed", *(["visit"] * len(visits))],
        "month": [pd.NA, pd.NA, *visits],
        "patients": [treated, analysed, *visits.values()],
    }).astype({"month": "Int64"})


def _data(spec: dict) -> list[dict]:
    (rows,) = spec["datasets"].values()
    return rows


def test_flow_rows_are_treated_excluded_analysed_then_each_visit():
    frame = flow_frame(_flow(23, 22, {0: 22, 3: 19, 6: 16}), "en")
    assert list(zip(frame["step"], frame["patients"])) == [
        ("Treated (safety)", 23), ("Excluded", 1), ("Analysed (efficacy)", 22),
        ("Seen at M0", 22), ("Seen at M3", 19), ("Seen at M6", 16),
    ]


def test_visit_rows_are_labelled_with_their_share_of_analysed_patients():
    frame = flow_frame(_flow(10, 8, {3: 6}), "en")
    assert frame["label"].tolist() == ["10", "2", "8", "6/8 (75%)"]


def test_flow_labels_are_french_with_french_percent():
    frame = flow_frame(_flow(10, 8, {3: 6}), "fr")
    assert frame["step"].tolist() == ["Traités (tolérance)", "Exclus", "Analysés (efficacité)", "Vus à M3"]
    assert frame["label"].iloc[-1] == f"6/8 (75{NNBSP}%)"


def test_flow_chart_keeps_flow_order_and_fixed_colours():
    spec = flow_chart(_flow(23, 22, {0: 22, 3: 19}), "en").to_dict()
    bars = spec["layer"][0]["encoding"]
    assert bars["y"]["sort"] == ["Treated (safety)", "Excluded", "Analysed (efficacy)", "Seen at M0", "Seen at M3"]
    assert bars["color"]["scale"]["range"] == [FLOW_COLOURS["population"], FLOW_COLOURS["excluded"],
                                               FLOW_COLOURS["visit"]]
    assert [r["patients"] for r in _data(spec)] == [23, 1, 22, 22, 19]


def test_flow_chart_title_and_axis_in_french():
    spec = flow_chart(_flow(5, 5, {}), "fr").to_dict()
    assert title_text(spec["title"]) == "Flux des patients"
    assert spec["layer"][0]["encoding"]["x"]["title"] == "Patients"


def test_flow_chart_of_an_empty_subgroup_still_builds():
    spec = flow_chart(_flow(0, 0, {0: 0, 3: 0}), "en").to_dict()
    assert [r["label"] for r in _data(spec)] == ["0", "0", "0", "0", "0"]

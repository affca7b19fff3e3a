"""The steroid dose chart builder (core.charts.steroids)."""
from __future__ import annotations

import pandas as pd
import pytest

from core.charts import steroids as charts
from core.settings import Settings
from core.steroids import steroids
from tests.helpers import STEROID_VISITS, small_cohort, title_text


@pytest.fixture(scope="module")
def result():
    # Only M6: the poster's M3 would add an empty month.
    return steroids(small_cohort(STEROID_VISITS), settings=Settings(poster_months=(6,)))


def _layer_data(spec: dict, layer: int) -> list[dict]:
    return spec["datasets"][spec["layer"][layer]["data"]["name"]]


def test_dose_summary_frame_is_one_row_per_month(result):
    frame = charts.dose_summary_frame(result)
    assert frame[["month", "N", "median"]].to_dict("records") == [
        {"month": 0, "N": 3, "median": 10.0}, {"month": 6, "N": 1, "median": 5.0}]


def test_dose_chart_boxes_are_the_summary_with_n_in_month_labels(result):
    spec = charts.dose_chart(charts.dose_summary_frame(result), result.doses, "en").to_dict()
    boxes = _layer_data(spec, 2)  # under the lines and their points
    assert [(r["time"], r["q1"], r["q3"]) for r in boxes] == [("M0 (n = 3)", 7.5, 10.0), ("M6 (n = 1)", 5.0, 5.0)]
    assert spec["title"]["text"] == "Daily dose, prednisone equivalent"


def test_dose_chart_draws_a_line_per_patient_with_known_doses(result):
    spec = charts.dose_chart(charts.dose_summary_frame(result), result.doses, "en").to_dict()
    lines = _layer_data(spec, 0)
    assert spec["layer"][0]["encoding"]["detail"]["field"] == "patient_id"
    assert sorted((r["patient_id"], r["dose"]) for r in lines if r["time"].startswith("M6")) == [
        ("A", 5.0), ("B", 0.0), ("C", 0.0)]


@pytest.mark.parametrize("lang, doses", [("en", "M0 10.0, M6 5.0"), ("fr", "M0 10,0, M6 5,0")])
def test_a_patients_line_tells_its_doses_month_by_month_and_each_point_its_own(result, lang, doses):
    """Vega gives a line its first point's tooltip and description: the line was shown
    on hover, and read, as its M0 dose. The line now carries the patient's doses month
    by month, on its first month's row only; each point shows its own dose, written as
    the page writes numbers, and is not read again."""
    spec = charts.dose_chart(charts.dose_summary_frame(result), result.doses, lang).to_dict()
    line, point = spec["layer"][0], spec["layer"][1]
    assert line["mark"]["type"] == "line" and point["mark"]["type"] == "point"
    assert [c["field"] for c in line["encoding"]["tooltip"]] == ["patient_id", "doses"]
    assert [c["field"] for c in point["encoding"]["tooltip"]] == ["patient_id", "time", "dose_text"]
    assert point["mark"]["aria"] is False
    rows = _layer_data(spec, 0)
    first = {r["patient_id"]: r["doses"] for r in rows if r["doses"] is not None}
    assert first["A"] == doses
    assert sum(r["doses"] is not None for r in rows) == len({r["patient_id"] for r in rows})
    assert all(r["doses"] is None for r in rows if r["time"].startswith("M6"))


def test_dose_chart_over_the_limit_has_no_patient_lines(result, monkeypatch):
    monkeypatch.setattr(charts, "LINES_LIMIT", 3)
    spec = charts.dose_chart(charts.dose_summary_frame(result), result.doses, "en").to_dict()
    assert all("patient_id" not in rows[0] for rows in spec["datasets"].values() if rows)
    assert "too many patients" in title_text(spec["title"]["subtitle"])


def test_dose_chart_in_french_has_french_title_and_axis(result):
    spec = charts.dose_chart(charts.dose_summary_frame(result), result.doses, "fr").to_dict()
    assert spec["title"]["text"] == "Dose quotidienne, équivalent prednisone"
    assert spec["layer"][0]["encoding"]["y"]["title"] == "Dose (mg/j)"


def test_dose_chart_works_on_empty_input():
    summary = pd.DataFrame(columns=["month", "N", "median", "q1", "q3", "min", "max"])
    doses = pd.DataFrame({"patient_id": pd.Series(dtype="string"), "month": pd.Series(dtype=int),
                          "seen": pd.Series(dtype=bool), "dose_mg": pd.Series(dtype="Float64"),
                          "dose_m0_mg": pd.Series(dtype="Float64")})
    spec = charts.dose_chart(summary, doses, "en").to_dict()
    assert all(rows == [] for rows in spec["datasets"].values())

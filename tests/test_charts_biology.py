"""Biology chart builders: shift bars and paired plots (core.charts.biology)."""
from __future__ import annotations

import pytest

from core.biology import biology
from core.charts import biology as charts
from core.charts.theme import SHIFT_COLOURS, SHIFT_ORDER
from core.settings import Settings
from tests.helpers import BIOLOGY_VISITS, small_cohort, title_text


@pytest.fixture(scope="module")
def result():
    # Only M6: the poster's M3 would add an empty month.
    return biology(small_cohort(BIOLOGY_VISITS), settings=Settings(poster_months=(6,)))


def _data(spec: dict) -> list[dict]:
    """The rows of a chart's (single) inline dataset."""
    (rows,) = spec["datasets"].values()
    return rows


def test_shift_frame_is_one_row_per_month_and_bucket(result):
    frame = charts.shift_frame(result.ifn)
    assert frame.to_dict("records") == [
        {"month": 6, "shift": s, "n": 1, "N": 4} for s in ("down", "up", "stable", "unknown")
    ]


def test_shift_chart_has_fixed_colours_in_bucket_order(result):
    spec = charts.shift_chart(charts.shift_frame(result.ifn), "en", "ifn").to_dict()
    scale = spec["encoding"]["color"]["scale"]
    assert scale["range"] == [SHIFT_COLOURS[k] for k in SHIFT_ORDER]
    assert scale["domain"] == ["Decreased (↓)", "Increased (↑)", "Stable (→)", "Unknown (?)"]


def test_shift_chart_labels_each_month_with_its_n(result):
    spec = charts.shift_chart(charts.shift_frame(result.ifn), "en", "ifn").to_dict()
    assert {r["month_label"] for r in _data(spec)} == {"M6 (n = 4)"}
    assert {(r["shift"], r["n"]) for r in _data(spec)} == {("down", 1), ("up", 1), ("stable", 1), ("unknown", 1)}


def test_shift_chart_in_french_has_french_title_and_labels(result):
    spec = charts.shift_chart(charts.shift_frame(result.ifn), "fr", "ifn").to_dict()
    assert title_text(spec["title"]) == "Signature IFN\u202f: évolution depuis M0"
    assert spec["encoding"]["y"]["title"] == "Patients"
    assert spec["encoding"]["color"]["scale"]["domain"][0] == "Baisse (↓)"


def test_shift_chart_works_without_shifts(result):
    spec = charts.shift_chart(charts.shift_frame(result.complement), "en", "complement").to_dict()
    assert _data(spec) == []


def test_paired_chart_draws_each_patient_with_both_values(result):
    spec = charts.paired_chart(result.ifn.pairs, 6, "en", "ifn").to_dict()
    rows = _data(spec)
    # D has no M6 score: left out. A, B, C: one point at M0 and one at M6.
    assert sorted((r["patient_id"], r["time"], r["y"]) for r in rows) == [
        ("A", "M0", 20.0), ("A", "M6", 5.0), ("B", "M0", 10.0), ("B", "M6", 12.0),
        ("C", "M0", 10.0), ("C", "M6", 9.5),
    ]
    assert title_text(spec["title"]) == "IFN signature: M0 to M6 (n = 3)"


def test_paired_chart_colours_lines_by_shift_bucket(result):
    spec = charts.paired_chart(result.ifn.pairs, 6, "en", "ifn").to_dict()
    line = spec["layer"][0]
    assert line["encoding"]["color"]["scale"]["range"] == [SHIFT_COLOURS[k] for k in SHIFT_ORDER]
    assert line["encoding"]["detail"]["field"] == "patient_id"
    assert {(r["patient_id"], r["shift"]) for r in _data(spec)} == {("A", "down"), ("B", "up"), ("C", "stable")}


def test_paired_anti_dsdna_shows_only_patients_elevated_at_m0(result):
    spec = charts.paired_chart(result.anti_dsdna.pairs, 6, "en", "anti_dsdna").to_dict()
    assert {r["patient_id"] for r in _data(spec)} == {"A"}


def test_paired_chart_in_french_has_french_title_and_axis(result):
    spec = charts.paired_chart(result.anti_dsdna.pairs, 6, "fr", "anti_dsdna").to_dict()
    assert title_text(spec["title"]) == "Test de Farr (anti-ADNdb)\u202f: de M0 à M6 (n = 1)"
    assert spec["layer"][0]["encoding"]["y"]["title"] == "Anti-ADNdb (UI/mL)"


def test_paired_chart_over_the_limit_shows_bucket_medians_only(result, monkeypatch):
    monkeypatch.setattr(charts, "PAIRED_LIMIT", 2)
    spec = charts.paired_chart(result.ifn.pairs, 6, "en", "ifn").to_dict()
    rows = _data(spec)
    assert {r["patient_id"] for r in rows} == {"down", "up", "stable"}  # one line per bucket
    assert {(r["shift"], r["time"], r["y"], r["n"]) for r in rows if r["shift"] == "down"} == {
        ("down", "M0", 20.0, 1), ("down", "M6", 5.0, 1)}
    assert title_text(spec["title"]) == "IFN signature: M0 to M6, median per group (n = 3)"


def test_paired_chart_works_on_empty_pairs(result):
    empty = result.ifn.pairs.iloc[0:0]
    spec = charts.paired_chart(empty, 6, "en", "ifn").to_dict()
    assert _data(spec) == []


@pytest.fixture(scope="module")
def registry():
    """A synthetic registry of 3,000 patients (many values per shift, ties, a subgroup)."""
    from benchmarks.registry_data import parquet_files, registry_frames
    from core.loader import load_cohort

    cohort = load_cohort(parquet_files(registry_frames(3000, seed=4))).cohort
    yield cohort
    cohort.close()


@pytest.mark.parametrize("filter", [None, "hcq"])
@pytest.mark.parametrize("limit", [2, 100_000])
def test_marker_paired_chart_is_the_chart_of_every_pair(registry, monkeypatch, filter, limit):
    """Over the limit the shift medians come summed up from SQL, under it the pairs are
    read: either way the chart is the one ``paired_chart`` draws from every pair."""
    from core.filters import Filter

    monkeypatch.setattr(charts, "PAIRED_LIMIT", limit)
    panel = biology(registry, Filter(hcq=True) if filter else None)
    for name in ("ifn", "anti_dsdna"):
        marker = getattr(panel, name)
        for month in panel.months:
            expected = charts.paired_chart(marker.fetch_pairs((month,)), month, "en", name).to_dict()
            assert charts.marker_paired_chart(marker, month, "en").to_dict() == expected, (name, month)
            if limit == 2:  # the patients' rows were not read
                assert "_pairs_at" not in marker.__dict__


def test_paired_medians_are_those_of_the_pairs(registry):
    """``Marker.paired_medians_at`` against pandas over every pair, values to the last bit."""
    panel = biology(registry)
    for name, positive_only in (("ifn", False), ("anti_dsdna", True)):
        marker = getattr(panel, name)
        for month in panel.months:
            pairs = marker.fetch_pairs((month,))
            rows = charts._paired_rows(pairs, month, positive_only)
            grouped = rows.groupby("shift")
            expected = grouped[["value_m0", "value"]].median().assign(n=grouped.size()).reset_index()
            medians = marker.paired_medians_at(month)
            assert medians["shift"].tolist() == expected["shift"].tolist()
            assert medians["n"].tolist() == expected["n"].tolist()
            assert medians["value_m0"].tolist() == expected["value_m0"].tolist()
            assert medians["value"].tolist() == expected["value"].tolist()
            assert len(rows) > 500  # the registry is over the chart's limit

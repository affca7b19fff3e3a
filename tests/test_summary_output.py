"""The summary as the command line writes it: readable JSON text (core.json_text) with
exactly the content of ``json.dumps``, and per-patient rows as plain Python values."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from benchmarks.registry_data import registry_frames
from core.cohort import cohort_from_frames
from core.demo import load_demo
from core.json_text import readable_json
from core.summary import _records, build_summary


def _demo_summary(layout):
    cohort = load_demo(layout).cohort
    try:
        return build_summary(cohort)
    finally:
        cohort.close()


@pytest.fixture(scope="module")
def registry_summary():
    cohort = cohort_from_frames(registry_frames(3_000, seed=7))
    try:
        return build_summary(cohort)
    finally:
        cohort.close()


def _same_content(document):
    text = readable_json(document)
    assert json.loads(text) == json.loads(json.dumps(document, ensure_ascii=False, indent=2))
    return text


@pytest.mark.parametrize("layout", ["fr", "en"])
def test_readable_json_of_the_demo_summary_has_the_same_content(layout):
    text = _same_content(_demo_summary(layout))
    assert "Péricardite" in text  # non-ASCII as written


def test_readable_json_writes_one_line_per_list_item(registry_summary):
    text = _same_content(registry_summary)
    lines = text.splitlines()
    excluded = registry_summary["populations"]["excluded"]
    assert len(excluded) > 100
    first = json.dumps(excluded[0], ensure_ascii=False)
    assert f"      {first}," in lines
    # Objects are indented two spaces a level, as json.dumps(indent=2) does.
    assert lines[:3] == ["{", '  "schema": "cohort-summary/1",', '  "populations": {']
    assert len(lines) < len(json.dumps(registry_summary, indent=2).splitlines()) / 2


@pytest.mark.parametrize("document", [
    {},
    [],
    {"a": [], "b": {}, "c": [1, 2.5, None, True, "x"], "d": [[1, [2]], {"e": {"f": []}}]},
    {1: "int key", 2.5: "float key", None: "none key", False: "bool key"},
    {"nan": float("nan"), "inf": float("inf"), "text": "é \" \\ \n"},
])
def test_readable_json_matches_json_dumps_on_edge_cases(document):
    text = readable_json(document)
    assert json.dumps(json.loads(text), sort_keys=True) == json.dumps(
        json.loads(json.dumps(document, indent=2)), sort_keys=True)


def test_each_list_item_is_the_text_json_dumps_writes_for_it():
    items = ["é \" \\ \n", 1, 2.5, -0.0, 1e300, 2**70, float("nan"), float("-inf"), None, True, [], {},
             {"patient_id": "P1", "month": 3, "reason": None, 1: "int key", None: [1, "x"]}, [[1, {"a": "b"}]]]
    lines = readable_json({"items": items}).splitlines()[2:-2]
    assert [line.strip().rstrip(",") for line in lines] == [
        json.dumps(item, ensure_ascii=False, separators=(", ", ": ")) for item in items]


def test_records_give_the_values_and_types_of_pandas_to_dict():
    frame = pd.DataFrame({
        "text": pd.array(["x", None, "é"], dtype="string"),
        "count": pd.array([1, None, 3], dtype="Int64"),
        "share": pd.array([1.5, None, 2.0], dtype="Float64"),
        "ints": np.array([1, 2, 3]),
        "floats": np.array([1.0, np.nan, 2.5]),
        "months": pd.Series([2, 2.5, None], dtype=object),
        "flag": pd.array([True, None, False], dtype="boolean"),
    })
    expected = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    ours = _records(frame)
    assert ours == expected
    assert [[type(v) for v in row.values()] for row in ours] == [[type(v) for v in row.values()] for row in expected]
    assert type(ours[0]["ints"]) is int and ours[1]["floats"] is None and ours[1]["text"] is None

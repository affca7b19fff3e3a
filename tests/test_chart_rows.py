"""Per-patient charts stay under Altair's 5,000 rows (and the exports' 3,000) when a
cohort under their patient limits is followed often: 450 patients seen every month for
a year, 150 of them with 40 events each. Patient limits alone let such a cohort through
(450 x 13 doses, 450 x 2 domains x 12 months of responses, 6,000 events)."""
from __future__ import annotations

import pandas as pd
import pytest

from core.analysis import response, safety, steroids
from core.charts import response as response_charts
from core.charts import safety as safety_charts
from core.charts import steroids as steroid_charts
from core.cohort import cohort_from_frames
from core.export.charts import MAX_SPEC_ROWS, chart_spec
from core.i18n import fmt_int, t
from core.settings import Settings
from tests.helpers import title_text

PATIENTS, MONTHS, WITH_EVENTS, EVENTS_EACH = 450, range(13), 150, 40


@pytest.fixture(scope="module")
def results():
    ids = [f"P{i}" for i in range(PATIENTS)]
    patients = pd.DataFrame({"patient_id": ids, "sex": "F", "age": 40.0, "cutaneous": True, "articular": True})
    visits = pd.DataFrame([{"patient_id": p, "month": m, "cs_dose_mg": 5.0 + m, "active_skin_lesions": 3,
                            "painful_joints": 2} for p in ids for m in MONTHS])
    events = pd.DataFrame([{"patient_id": p, "month": m + 0.5, "type": "infection", "description": "Bronchite"}
                           for p in ids[:WITH_EVENTS] for m in range(EVENTS_EACH)])
    cohort = cohort_from_frames({"patients": patients, "visits": visits, "events": events})
    settings = Settings()
    yield steroids(cohort, None, settings), response(cohort, None, settings), safety(cohort, None, settings)
    cohort.close()


def _rows(spec: dict) -> int:
    return sum(len(values) for values in spec.get("datasets", {}).values())


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_dose_chart_leaves_out_lines_of_too_many_doses(results, lang):
    doses = results[0]
    assert doses.patients_with_doses <= steroid_charts.LINES_LIMIT < doses.known_doses
    spec = chart_spec(steroid_charts.steroid_dose_chart(doses, lang), lang)  # the poster exports' check
    assert _rows(spec) <= MAX_SPEC_ROWS
    assert title_text(spec["title"]["subtitle"]) == t("steroids.chart.subtitle_boxes", lang)
    assert all("patient_id" not in rows[0] for rows in spec["datasets"].values() if rows)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_response_grid_counts_when_its_cells_are_too_many(results, lang):
    grid = results[1]
    assert grid.involved <= response_charts.GRID_LIMIT
    spec = response_charts.response_grid_chart(grid, lang).to_dict()
    assert _rows(spec) <= 3 * len(MONTHS) * 2  # counts per domain, month and response
    assert title_text(spec["title"]) == t("response.grid_aggregate_title", lang, limit="500",
                                          cells="3,000" if lang == "en" else "3\u202f000")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_swimmer_marks_at_most_its_limit_of_events_and_says_which_patients(results, lang):
    spec = safety_charts.safety_swimmer_chart(results[2], lang).to_dict()
    layers = {layer["mark"]["type"]: spec["datasets"][layer["data"]["name"]] for layer in spec["layer"]}
    bars, marks = layers["bar"], layers["point"]
    assert len(marks) <= safety_charts.MARKS_LIMIT
    # The first patients by id whose 40 events each fit: P0, P1, P10, ... in natural order.
    shown = safety_charts.MARKS_LIMIT // EVENTS_EACH
    assert sorted(b["patient_id"] for b in bars) == sorted(f"P{i}" for i in range(shown))
    assert len(marks) == shown * EVENTS_EACH and {m["patient_id"] for m in marks} == {b["patient_id"] for b in bars}
    # Under the note on which patients are shown: why fewer are, in the plot's own words.
    capped = t("safety.swimmer.events_cap", lang, limit=fmt_int(safety_charts.MARKS_LIMIT, lang),
               shown=fmt_int(shown, lang), drawn=fmt_int(len(marks), lang))
    scope = safety_charts.swimmer_note(results[2].swimmer_scope(safety_charts.SWIMMER_LIMIT), lang)
    lines = spec["title"]["subtitle"]
    assert title_text(lines) == f"{scope} {capped}"
    assert [line for line in lines if capped.startswith(line)]  # the cap starts a line of its own

"""Key findings of the conclusion (core.conclusion): demo wording, thresholds, empty domains."""
from __future__ import annotations

import pandas as pd
import pytest

from core.cohort import cohort_from_frames
from core.conclusion import Finding, conclusion, render
from core.demo import load_demo
from core.filters import Band, Filter
from core.i18n import NNBSP
from core.stats import Proportion

_NONE = object()  # "no events table" marker for _cohort


def _cohort(cut=None, art=None, doses=None, prior_lines=1, events=None):
    """A cohort of ``n`` patients seen at M0, M3 and M6, all with cutaneous involvement.

    ``cut`` / ``art``: {month: recorded responses, one per patient} (``art`` given means
    every patient has articular involvement); ``doses``: {month: cs_dose_mg per patient};
    ``events``: rows of the events table, or ``_NONE`` for no events table at all.
    """
    n = len(next(iter((cut or art or doses).values())))
    ids = [f"P{k}" for k in range(n)]
    patients = pd.DataFrame({"patient_id": ids, "sex": "F", "age": 40.0, "prior_lines": prior_lines,
                             "cutaneous": True, "articular": art is not None})
    visits = pd.concat([
        pd.DataFrame({
            "patient_id": ids, "month": month,
            "cutaneous_response": pd.Series((cut or {}).get(month, [None] * n), dtype="string"),
            "articular_response": pd.Series((art or {}).get(month, [None] * n), dtype="string"),
            "cs_dose_mg": pd.Series((doses or {}).get(month, [None] * n), dtype="Float64"),
        })
        for month in (0, 3, 6)
    ], ignore_index=True)
    frames = {"patients": patients, "visits": visits}
    if events is not _NONE:
        frames["events"] = pd.DataFrame(events or [], columns=["patient_id", "month", "type", "severe", "vzv"])
    return cohort_from_frames(frames)


@pytest.fixture(scope="module")
def demo():
    return conclusion(load_demo().cohort)


@pytest.mark.parametrize(
    "domain, key",
    [("population", "population.multirefractory"), ("cutaneous", "cutaneous.marked_rapid"),
     ("articular", "articular.modest_later"), ("steroids", "steroids.possible_sparing"),
     ("safety", "safety.satisfactory")],
)
def test_demo_findings_use_the_posters_wording(demo, domain, key):
    assert demo.get(domain).key == key


def test_demo_population_sentence_quotes_17_patients(demo):
    assert "(n = 17)" in render(demo.get("population"), "fr")


def test_demo_safety_sentence_quotes_39_1_percent_in_french(demo):
    text = render(demo.get("safety"), "fr")
    assert f"9/23 (39,1{NNBSP}%)" in text and "aucune infection sévère" in text


def test_demo_cutaneous_sentence_quotes_m3_and_m6(demo):
    text = render(demo.get("cutaneous"), "en")
    assert "15/17 (88.2%) of patients at M3" in text and "13/14 (92.9%) at M6" in text


def test_demo_steroid_sentence_quotes_median_doses_and_p(demo):
    text = render(demo.get("steroids"), "fr")
    assert "7,3 mg/j à M0, 5,0 mg/j à M6 (Wilcoxon p = 0,007)" in text


def test_demo_counts_both_populations(demo):
    assert (demo.analysed, demo.treated) == (22, 23)


def test_findings_follow_the_filter():
    few_lines = conclusion(load_demo().cohort, Filter(prior_lines=Band(high=1)))
    assert few_lines.get("population").key == "population.pretreated"
    assert few_lines.get("population").params["prior_2plus"].n == 0


def test_empty_subgroup_says_no_data_for_every_domain():
    nobody = conclusion(load_demo().cohort, Filter(age=Band(low=200)))
    assert [f.key.split(".")[1] for f in nobody.findings] == ["no_data"] * 5


@pytest.mark.parametrize(
    "responders, total, key",
    [(7, 10, "cutaneous.marked_rapid"),  # 70 %: the threshold itself counts
     (6, 10, "cutaneous.observed"),
     (4, 4, "cutaneous.observed")],  # 100 % but fewer than 5 patients: neutral
)
def test_cutaneous_wording_switches_at_70_percent_with_5_patients(responders, total, key):
    m3 = ["PR"] * responders + ["NR"] * (total - responders)
    assert conclusion(_cohort(cut={3: m3, 6: m3})).get("cutaneous").key == key


@pytest.mark.parametrize(
    "art_m3, art_m6, key",
    [(["PR"] * 2 + ["NR"] * 3, ["PR"] * 4 + ["NR"], "articular.modest_later"),
     (["PR"] * 2 + ["NR"] * 3, ["PR"] * 2 + ["NR"] * 3, "articular.modest"),
     (["PR"] * 5, ["CR"] * 5, "articular.observed"),  # as good as cutaneous, not rising
     (["PR"] * 4 + ["NR"], ["PR"] * 5, "articular.later")],
)
def test_articular_wording_compares_with_cutaneous_and_with_itself(art_m3, art_m6, key):
    cut = ["CR"] * 4 + ["NR"]  # 80 % at M3
    cohort = _cohort(cut={3: cut, 6: cut}, art={3: art_m3, 6: art_m6})
    assert conclusion(cohort).get("articular").key == key


@pytest.mark.parametrize(
    "art_m3, art_m6, key",
    [(15, 16, "articular.observed"),  # 5 points below cutaneous, then 5 points up: neither
     (14, 16, "articular.modest_later"),  # 10 points below, then 10 points up: both
     (16, 18, "articular.later")],
)
def test_articular_wording_needs_a_difference_of_10_points(art_m3, art_m6, key):
    """A registry's 92.0 % then 92.3 % is not a "later" response, nor 80 % against 82.8 %
    "more modest": the words need 10 percentage points (``THRESHOLDS``)."""
    def responses(responders: int) -> list[str]:
        return ["PR"] * responders + ["NR"] * (20 - responders)

    cut = responses(16)  # 80 % at M3 and M6
    cohort = _cohort(cut={3: cut, 6: cut}, art={3: responses(art_m3), 6: responses(art_m6)})
    assert conclusion(cohort).get("articular").key == key


def test_no_articular_involvement_says_no_data():
    finding = conclusion(_cohort(cut={3: ["CR"] * 5})).get("articular")
    assert (finding.key, render(finding, "en")) == ("articular.no_data", "Articular response: no data.")


@pytest.mark.parametrize(
    "doses, key",
    [({0: [10.0, 10.0, 5.0], 6: [5.0, 10.0, 5.0]}, "steroids.possible_sparing"),  # median down
     ({0: [10.0, 5.0, 0.0], 6: [10.0, 0.0, 0.0]}, "steroids.possible_sparing"),  # one stopped
     ({0: [10.0, 5.0, 5.0], 6: [10.0, 5.0, 5.0]}, "steroids.no_sparing"),
     ({0: [0.0, 0.0, 0.0], 6: [5.0, 0.0, 0.0]}, "steroids.none_at_m0"),
     ({0: [None, None, None], 6: [5.0, None, None]}, "steroids.no_data")],
)
def test_steroid_wording(doses, key):
    assert conclusion(_cohort(doses=doses)).get("steroids").key == key


def test_steroids_without_a_test_say_so():
    finding = conclusion(_cohort(doses={0: [10.0] * 5, 6: [10.0] * 5})).get("steroids")
    assert "(Wilcoxon no test)" in render(finding, "en")


def _events(severe: bool, vzv: bool) -> list[tuple]:
    return [("P0", 1.0, "infection", severe, vzv), ("P1", 2.0, "infection", False, False)]


@pytest.mark.parametrize(
    "severe, vzv, key",
    [(False, False, "safety.satisfactory"), (True, False, "safety.observed"), (False, True, "safety.observed")],
)
def test_safety_is_satisfactory_only_without_severe_or_vzv_infection(severe, vzv, key):
    cohort = _cohort(cut={3: ["CR"] * 5}, events=_events(severe, vzv))
    assert conclusion(cohort).get("safety").key == key


def test_safety_sentence_counts_severe_infections():
    cohort = _cohort(cut={3: ["CR"] * 5}, events=_events(True, False))
    assert "severe infection in 1/5 (20.0%)" in render(conclusion(cohort).get("safety"), "en")


def test_no_events_table_is_not_read_as_no_infection():
    finding = conclusion(_cohort(cut={3: ["CR"] * 5}, events=_NONE)).get("safety")
    assert finding.key == "safety.no_events"


@pytest.mark.parametrize(("treated", "lang", "says"), [
    (1, "en", "(1 treated patient)"), (5, "en", "(5 treated patients)"), (1, "fr", "(1 patient traité)"),
    ("< 5", "fr", "(< 5 patients traités)"), ("masqué", "fr", "(nombre de patients traités masqué)"),
    ("hidden", "en", "(number of treated patients hidden)")])
def test_the_no_events_sentence_counts_its_treated_patients_in_their_number(treated, lang, says):
    assert says in render(Finding("safety.no_events", {"treated": treated}, "safety"), lang)


@pytest.mark.parametrize(
    "p, lang, text",
    [(0.0004, "en", "p < 0.001"), (0.0066, "fr", "p = 0,007"), (0.5, "en", "p = 0.500"), (None, "fr", "pas de test")],
)
def test_p_values_are_written_per_locale(p, lang, text):
    finding = Finding("steroids.possible_sparing", {
        "month0": 0, "median_m0_mg": 10.0, "month_later": 6, "median_later_mg": 5.0,
        "stopped": Proportion(1, 2, 50.0, None, None), "p": p}, "steroids")
    assert f"(Wilcoxon {text})" in render(finding, lang)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_single_follow_up_month_is_quoted_once(lang):
    """With one follow-up month reported (``response_months=6``) the first and the later
    month are the same: each response sentence quotes it once, not twice over."""
    from core.settings import Settings

    demo_m6 = conclusion(load_demo().cohort, settings=Settings(response_months=(6,)))
    cutaneous, articular = (render(demo_m6.get(d), lang) for d in ("cutaneous", "articular"))
    assert demo_m6.get("cutaneous").key == "cutaneous.marked_rapid_single"
    assert demo_m6.get("articular").key == "articular.modest_single"
    assert cutaneous.count("M6") == 1 and cutaneous.count("13/14") == 1 and "10/14" in cutaneous
    assert articular.count("M6") == 1 and articular.count("6/9") == 1 and "13/14" in articular


def test_two_follow_up_months_still_quote_both():
    cut = ["CR"] * 4 + ["NR"]
    finding = conclusion(_cohort(cut={3: cut, 6: cut})).get("cutaneous")
    assert finding.key == "cutaneous.marked_rapid" and "M3" in render(finding, "en") and "M6" in render(finding, "en")

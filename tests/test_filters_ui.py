"""Sidebar filters in the URL (ui.filter_url) and the live N in the sidebar (AppTest)."""
from __future__ import annotations

import pandas as pd
import pytest

from core.cohort import cohort_from_frames
from core.filters import FilterOptions, filter_options
from core.i18n import t
from ui import filter_url

_P = "flt_x_"
_OPTIONS = FilterOptions(
    centres=("CH Boulogne-sur-Mer", "CHU Lille"), sexes=("F", "M"), age_range=(23.0, 62.0),
    prior_lines_range=(0, 7), ifn=("negative", "positive"), extra=(("site_group", ("a", "b")),),
)
_DEMO_SEX = "flt_demo_sex"  # the demo cohort's digest is "demo"


class _Params(dict):
    """A stand-in for st.query_params: a list value is a repeated parameter."""

    def get_all(self, key):
        value = self.get(key, [])
        return list(value) if isinstance(value, list) else [value]


def _seed(**params) -> tuple[dict, list[str]]:
    state: dict = {}
    ignored = filter_url.seed_from_url(_Params(params), _OPTIONS, _P, state)
    return state, ignored


@pytest.mark.parametrize(
    "params, key, value",
    [
        ({"sex": "M"}, "sex", ["M"]),
        ({"sex": ["F", "M"]}, "sex", ["F", "M"]),
        ({"centre": "chu lille"}, "centre", ["CHU Lille"]),
        ({"ifn": "positive"}, "ifn", ["positive"]),
        ({"age": "30-50"}, "age", (30, 50)),
        ({"age": "10-50"}, "age", (23, 50)),
        ({"prior_lines": "2-9"}, "prior_lines", (2, 7)),
        ({"hcq": "yes"}, "hcq", "yes"),
        ({"articular": "no"}, "articular", "no"),
        ({"x.site_group": "2"}, "extra0", ["b"]),
        ({"x.site_group": ["2", "1", "2"]}, "extra0", ["b", "a"]),
    ],
)
def test_url_value_seeds_its_widget(params, key, value):
    state, ignored = _seed(**params)
    assert state[_P + key] == value
    assert ignored == []


@pytest.mark.parametrize(
    "params, ignored",
    [
        ({"sex": ["M", "X"]}, ["sex=X"]),
        ({"centre": "Paris"}, ["centre=Paris"]),
        ({"age": "old"}, ["age=old"]),
        ({"age": "70-80"}, ["age=70-80"]),
        ({"hcq": "maybe"}, ["hcq=maybe"]),
        ({"x.unknown": "a"}, ["x.unknown=a"]),
        ({"x.site_group": "3"}, ["x.site_group=3"]),
        ({"x.site_group": ["1", "0"]}, ["x.site_group=0"]),
        ({"x.site_group": "b"}, ["x.site_group=b"]),
        ({"x.site_group": "-1"}, ["x.site_group=-1"]),
        ({"x.site_group": "1.0"}, ["x.site_group=1.0"]),
    ],
)
def test_stale_url_value_is_ignored_and_reported(params, ignored):
    assert _seed(**params)[1] == ignored


def test_parameters_that_are_not_filters_are_left_alone():
    state, ignored = _seed(lang="fr", page="x")
    assert (state, ignored) == ({}, [])


def test_chosen_filters_are_written_to_the_url():
    params = _Params(lang="fr")
    state = {_P + "sex": ["F"], _P + "centre": ["CHU Lille", "CH Boulogne-sur-Mer"], _P + "age": (30, 50),
             _P + "prior_lines": (0, 7), _P + "hcq": "no", _P + "cutaneous": None, _P + "extra0": ["a"]}
    filter_url.write_to_url(params, _OPTIONS, _P, state)
    assert params == {"lang": "fr", "sex": "F", "centre": ["CHU Lille", "CH Boulogne-sur-Mer"], "age": "30-50",
                      "hcq": "no", "x.site_group": "1"}


def test_extra_column_values_go_to_the_url_as_positions_only():
    params = _Params()
    filter_url.write_to_url(params, _OPTIONS, _P, {_P + "extra0": ["b", "a"]})
    assert params == {"x.site_group": ["2", "1"]}


def test_cleared_filters_leave_the_url():
    params = _Params(sex="F", age="30-50", hcq="yes", lang="en")
    state = {_P + "sex": [], _P + "age": (23, 62), _P + "hcq": None}
    filter_url.write_to_url(params, _OPTIONS, _P, state)
    assert params == {"lang": "en"}


def test_url_written_then_read_restores_the_same_widgets():
    state = {_P + "sex": ["M"], _P + "age": (30, 50), _P + "corticosteroids": "yes", _P + "extra0": ["a", "b"]}
    params = _Params()
    filter_url.write_to_url(params, _OPTIONS, _P, state)
    restored: dict = {}
    assert filter_url.seed_from_url(params, _OPTIONS, _P, restored) == []
    assert restored == state


def test_link_from_the_same_upload_restores_the_extra_column_choice():
    # The positions are those of the cohort's sorted values, as filter_options lists them.
    patients = pd.DataFrame({"patient_id": ["P1", "P2", "P3", "P4"], "sex": "F", "age": 40.0,
                             "groupe": ["lupus cutané", "lupus articulaire", "lupus cutané", "lupus articulaire"]})
    options = filter_options(cohort_from_frames({"patients": patients, "visits": None, "events": None}))
    state, params = {_P + "extra0": ["lupus cutané"]}, _Params()
    filter_url.write_to_url(params, options, _P, state)
    restored: dict = {}
    assert (params, filter_url.seed_from_url(params, options, _P, restored)) == ({"x.groupe": "2"}, [])
    assert restored == state


def _metrics(app) -> dict[str, str]:
    return {m.label: m.value for m in app.sidebar.metric}


def test_sidebar_shows_live_n_of_analysed_and_safety_populations(app):
    app.run()
    assert _metrics(app) == {t("sidebar.n_analysed", "en"): "22", t("sidebar.n_safety", "en"): "23"}


def test_changing_a_filter_changes_the_sidebar_n(app):
    app.run()
    app.multiselect(key=_DEMO_SEX).set_value(["F"]).run()
    assert _metrics(app)[t("sidebar.n_analysed", "en")] == "21"


@pytest.mark.parametrize("page, lists", [("pages/response.py", False), ("pages/biology.py", False),
                                         ("pages/steroids.py", False), ("pages/cohort.py", True)])
def test_the_sidebar_counts_a_new_subgroup_without_its_population_lists(open_page, page, lists):
    """The sidebar's N comes from the two counts alone: a page that shows no exclusion
    list, flag or follow-up does not compute them for a subgroup (a registry's subgroup
    lists thousands of exclusions); the Cohort page, which shows them, does."""
    from ui import state

    app = open_page(page)
    app.multiselect(key=_DEMO_SEX).set_value(["F"]).run()
    assert not app.exception
    assert _metrics(app)[t("sidebar.n_analysed", "en")] == "21"
    computed = {key[1][0] for key in app.session_state[state._MEMO].entries if isinstance(key[1], tuple)
                and len(key[1]) > 1 and getattr(key[1][1], "sex", None) == ("F",)}
    assert "population_counts" in computed
    assert ("populations" in computed) is lists


def test_subgroup_under_five_patients_shows_a_warning(app):
    app.run()
    app.multiselect(key=_DEMO_SEX).set_value(["M"]).run()
    assert [w.value for w in app.sidebar.warning] == [t("sidebar.small_subgroup", "en", n=1, min=5)]


def test_whole_cohort_shows_no_small_subgroup_warning(app):
    app.run()
    assert not app.sidebar.warning


def test_shared_url_restores_the_filters(app):
    app.query_params["sex"] = "F"
    app.query_params["hcq"] = "yes"
    app.run()
    assert not app.exception
    assert app.multiselect(key=_DEMO_SEX).value == ["F"]
    assert _metrics(app)[t("sidebar.n_analysed", "en")] == "14"


def test_changing_a_filter_writes_it_to_the_url(app):
    app.run()
    app.multiselect(key=_DEMO_SEX).set_value(["M"]).run()
    assert app.query_params["sex"] == "M"
    assert app.query_params["lang"] == "en"


def test_stale_url_value_is_ignored_with_a_note(app):
    app.query_params["centre"] = "Nowhere"
    app.query_params["age"] = "200-300"
    app.run()
    assert not app.exception
    assert t("sidebar.url_ignored", "en") in [c.value for c in app.sidebar.caption]
    assert "centre=Nowhere, age=200-300" in [x.value for x in app.sidebar.text]
    assert _metrics(app)[t("sidebar.n_analysed", "en")] == "22"
    assert "centre" not in app.query_params



# Four patients: "groupe" has two values of two patients each (a filter); "nom" and
# "ipp" single out a patient (never a filter, never in the URL).
_EXTRA_CSV = ("patient_id,sex,age,cutaneous,groupe,nom,ipp\n"
              "P1,F,40,yes,A,Martin,880123\nP2,F,50,yes,B,Durand,880456\n"
              "P3,M,45,yes,A,Petit,880789\nP4,F,38,yes,B,Moreau,880999\n").encode()


def test_sidebar_offers_only_extra_columns_that_cannot_identify_a_patient(app, upload_page):
    upload_page([("cohort.csv", _EXTRA_CSV)])
    assert not app.exception
    labels = [m.label for m in app.sidebar.multiselect]
    assert "groupe" in labels
    assert not {"nom", "ipp"} & set(labels)


def test_chosen_extra_value_reaches_the_url_as_its_position(app, upload_page):
    upload_page([("cohort.csv", _EXTRA_CSV)])
    groupe = next(m for m in app.sidebar.multiselect if m.label == "groupe")
    groupe.set_value(["B"]).run()
    assert app.query_params["x.groupe"] == "2"
    assert _metrics(app)[t("sidebar.n_analysed", "en")] == "2"

"""The Steroids page on the demo cohort, run headless with Streamlit's AppTest."""
from __future__ import annotations

import json

from core.i18n import NNBSP, t
from tests.helpers import as_read

_PAGE = "pages/steroids.py"
# Filter widgets carry the cohort digest; the demo's digest is "demo".
_SEX = "flt_demo_sex"


def _metrics(app) -> dict[str, list[str]]:
    """Each tile label with its values, month after month."""
    out: dict[str, list[str]] = {}
    for m in app.metric:
        out.setdefault(as_read(m.label), []).append(as_read(m.value))
    return out


def _texts(app) -> str:
    return "\n".join([m.value for m in app.markdown] + [c.value for c in app.caption])


def test_demo_runs_without_exception(app, open_page):
    open_page(_PAGE)
    assert not app.exception


def test_m0_tiles_show_poster_share_and_median_dose(open_page):
    metrics = _metrics(open_page(_PAGE))
    assert metrics["On corticosteroids"][0] == "16/22 (72.7%)"
    assert metrics["Median dose, mg/day (quartiles)"][0] == "7.3 (5.0; 10.0)"


def test_thresholds_and_stops_show_counts_with_wilson_ci(app, open_page):
    open_page(_PAGE)
    metrics = _metrics(app)
    assert metrics["At or under 7.5 mg/day"] == ["15/22 (68.2%)", "14/19 (73.7%)", "15/16 (93.8%)"]
    assert metrics["Stopped since M0"] == ["2/15 (13.3%)", "2/12 (16.7%)"]
    assert "95% CI 4.7 to 44.8" in _texts(app)


def test_m6_change_shows_wilcoxon_p_and_n(app, open_page):
    open_page(_PAGE)
    assert _metrics(app)["Change from M0, mg/day (median, quartiles)"][-1] == "-2.5 (-3.1; 0.0)"
    assert "Wilcoxon signed-rank p = 0.007 (N = 16 pairs, 7 unchanged)" in _texts(app)


def test_dose_chart_labels_each_month_with_its_n(open_page):
    spec = json.loads(open_page(_PAGE).get("vega_lite_chart")[0].proto.spec)
    assert spec["layer"][0]["encoding"]["x"]["sort"] == ["M0 (n = 16)", "M3 (n = 13)", "M6 (n = 10)"]


def test_method_lists_prednisone_equivalent_factors(open_page):
    factors = open_page(_PAGE).dataframe[0].value.set_index("Drug")["Factor"]
    assert factors["methylprednisolone"] == "1.25"


def test_sex_filter_changes_analysed_n(app, open_page):
    open_page(_PAGE)
    app.multiselect(key=_SEX).set_value(["M"]).run()
    assert not app.exception
    assert "Analysed patients: N = 1" in _texts(app)


def test_french_shows_french_labels_and_decimal_commas(app, open_page):
    metrics = _metrics(open_page(_PAGE, "fr"))
    assert app.title[0].value == "Corticoïdes"
    assert metrics["Sous corticoïdes"][0] == f"16/22 (72,7{NNBSP}%)"
    assert metrics["Dose médiane, mg/j (quartiles)"][0] == "7,3 (5,0\u202f; 10,0)"


# Two patients; P1's drug has no prednisone equivalent and its name looks like Markdown.
_UNKNOWN_DRUG_CSV = (
    b"patient_id,sex,age,cutaneous,cs_dose_mg_m0,cs_drug_m0,cs_dose_mg_m3,cs_drug_m3\n"
    b"P1,F,40,yes,10,Delta **cortril**,5,Delta **cortril**\n"
    b"P2,F,50,yes,8,prednisone,4,prednisone\n"
)


def test_unknown_drug_is_flagged_and_named_as_plain_text(app, upload_page):
    upload_page([("cohort.csv", _UNKNOWN_DRUG_CSV)], _PAGE)
    assert not app.exception
    assert t("steroids.unknown_drugs", "en") in [w.value for w in app.main.warning]
    assert [x.value for x in app.main.text] == ["Delta **cortril**"]
    assert "cortril" not in _texts(app)


def test_unknown_drug_patient_counts_on_corticosteroids_and_its_dose_is_counted_out(app, upload_page):
    upload_page([("cohort.csv", _UNKNOWN_DRUG_CSV)], _PAGE)
    metrics = [as_read(m.value) for m in app.main.metric if as_read(m.label) == t("steroids.on_cs", "en")]
    captions = [c.value for c in app.main.caption]
    assert (metrics[0], captions.count(t("steroids.unknown_drug_doses", "en", n=1))) == ("2/2 (100.0%)", 2)


def test_a_cohort_seen_every_month_gets_its_months_four_to_a_row(app, upload_page):
    """Thirteen months side by side would leave each tile a few letters wide."""
    from tests.helpers import small_cohort_files

    visits = [{"patient_id": p, "month": m, "cs_dose_mg": 5.0} for p in ("A", "B", "C", "D") for m in range(13)]
    upload_page(small_cohort_files(visits), _PAGE)
    assert not app.exception
    assert [h.value for h in app.main.subheader][:13] == [f"M{m}" for m in range(13)]
    assert len(app.main.columns) == 16  # four rows of four, the last holding M12 alone


def test_the_demos_three_months_stand_in_one_row(open_page):
    assert len(open_page(_PAGE).main.columns) == 3

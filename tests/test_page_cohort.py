"""Cohort page (pages/cohort.py) on the demo cohort, run headless with AppTest."""
from __future__ import annotations

from core.i18n import NNBSP, t
from tests.helpers import as_read

_PAGE = "pages/cohort.py"
_DEMO_SEX = "flt_demo_sex"


def _tiles(app) -> dict[str, tuple[str, str]]:
    """Each tile's value and detail as read (``as_read``)."""
    return {as_read(m.label): (as_read(m.value), as_read(m.delta)) for m in app.main.metric}


def test_demo_cohort_page_runs_without_exception(app, open_page):
    open_page(_PAGE)
    assert not app.exception


def test_tiles_show_the_poster_m0_numbers(open_page):
    tiles = _tiles(open_page(_PAGE))
    assert tiles["Patients"][0] == "22"
    assert tiles["Women"] == ("95.5%", "21/22")
    assert tiles["Age, mean (years)"] == ("45.0", "SD 10.4 · N = 22")
    assert tiles["Disease duration, median (years)"] == ("13.5", "IQR 6.8; 21.0 · N = 22")
    assert tiles["Cutaneous involvement"] == ("90.5%", "19/21")
    assert tiles["Articular involvement"] == ("57.1%", "12/21")
    assert tiles["IFN signature +"] == ("100.0%", "21/21")
    assert tiles["First line"] == ("4.5%", "1/22")
    assert tiles["≥ 4 prior lines"] == ("40.9%", "9/22")
    assert tiles["Corticosteroids (CS)"] == ("72.7%", "16/22")
    assert tiles["CS dose, median (mg/d)"] == ("7.3", "IQR 5.0; 10.0 · N = 16")
    assert tiles["Hydroxychloroquine"] == ("68.2%", "15/22")


def test_tile_details_wrap_only_between_their_parts(open_page):
    # "IQR 6.8; 21.0 · N = 22" may wrap at " · " and after "; ", never inside "N = 22";
    # "21/22" may wrap after its slash.
    details = [m.delta for m in open_page(_PAGE).main.metric]
    assert "IQR\u00a06.8; 21.0 · N\u00a0=\u00a022" in details
    assert "21/\u200b22" in details
    assert all(" " not in bit for detail in details for part in detail.split(" · ") for bit in part.split("; "))


def test_a_long_label_word_may_break_only_at_its_soft_hyphens(app, open_page):
    # "Hydroxychloroquine" is wider than a tile of a row of four on a 1,280 px screen:
    # it breaks with a hyphen, not at any letter; a short word is left alone.
    labels = [m.label for m in open_page(_PAGE).main.metric]
    assert "Hydroxy\u00adchloro\u00adquine" in labels and "Cortico\u00adsteroids (CS)" in labels
    assert "Women" in labels and "Cutaneous involvement" in labels


def _chart_rows(chart) -> list[dict]:
    """The rows of a chart's single dataset (Streamlit sends them apart, as Arrow)."""
    import pyarrow as pa

    (dataset,) = chart.proto.datasets
    return pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()


def test_flow_chart_shows_treated_analysed_and_each_visit(open_page):
    rows = _chart_rows(open_page(_PAGE).get("vega_lite_chart")[0])
    assert [(r["step"], r["patients"]) for r in rows] == [
        ("Treated (safety)", 23), ("Excluded", 1), ("Analysed (efficacy)", 22),
        ("Seen at M0", 22), ("Seen at M3", 19), ("Seen at M6", 16),
    ]


def test_exclusion_is_listed_with_its_reason(open_page):
    table = open_page(_PAGE).dataframe[0].value
    assert table.values.tolist() == [["P23", "ACR/EULAR 2019 criteria not met"]]


def test_changing_the_sex_filter_changes_n(app, open_page):
    open_page(_PAGE)
    app.multiselect(key=_DEMO_SEX).set_value(["F"]).run()
    assert not app.exception
    assert _tiles(app)["Patients"][0] == "21"


def test_grouping_by_centre_shows_p_values_and_test_names(app, open_page):
    open_page(_PAGE)
    app.selectbox(key="cohort_group").set_value("centre").run()
    table = app.dataframe[-1].value.set_index("Characteristic")
    assert list(table.columns[-4:]) == ["CH Boulogne-sur-Mer", "CHU Lille", "p", "Test"]
    assert (table.loc["Women", "p"], table.loc["Women", "Test"]) == ("1.000", "Fisher's exact test")
    assert table.loc["Age (years)", "Test"] == "Mann-Whitney U test"


def test_french_page_has_french_labels_and_decimal_commas(app, open_page):
    open_page(_PAGE, "fr")
    assert not app.exception
    assert app.title[0].value == t("nav.cohort", "fr")
    tiles = _tiles(app)
    assert tiles["Femmes"] == (f"95,5{NNBSP}%", "21/22")
    assert tiles["Âge moyen (ans)"] == ("45,0", "ET 10,4 · N = 22")
    table = app.dataframe[-1].value
    assert "Caractéristique" in table.columns
    assert "21/22 (95,5" in table.iloc[0]["Tous"]


def test_exclusions_table_has_a_count_line(open_page):
    assert "1 patient" in [c.value for c in open_page(_PAGE).caption]


# A drug cell that would render as an image if it reached Markdown (a caption).
_IMAGE_DRUG_CSV = (
    b"patient_id,sex,age,cutaneous,cs_dose_mg_m0,cs_drug_m0\n"
    b"P1,F,40,yes,10,![x](http://example.org/t.png)\n"
    b"P2,F,50,yes,8,prednisone\n"
)


def _markdown_bodies(app) -> list[str]:
    """Every element body Streamlit renders as Markdown on the main area."""
    kinds = ("markdown", "caption", "warning", "info", "error", "success", "title", "subheader")
    return [element.value for kind in kinds for element in getattr(app.main, kind)]


def test_drug_cell_text_never_reaches_markdown(app, upload_page):
    upload_page([("cohort.csv", _IMAGE_DRUG_CSV)], _PAGE)
    assert not app.exception
    assert not [body for body in _markdown_bodies(app) if "example.org" in body]


def test_unrecognised_drug_is_named_as_plain_text(app, upload_page):
    upload_page([("cohort.csv", _IMAGE_DRUG_CSV)], _PAGE)
    assert "![x](http://example.org/t.png)" in [x.value for x in app.main.text]

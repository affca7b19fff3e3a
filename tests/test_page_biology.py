"""The Biology page on the demo cohort (and one small upload), run headless with Streamlit's AppTest."""
from __future__ import annotations

import json

from core.demo import load_demo
from core.i18n import NNBSP
from core.summary import build_summary
from tests.helpers import STATUS_VISITS, small_cohort_files, title_text

_PAGE = "pages/biology.py"
# Filter widgets carry the cohort digest; the demo's digest is "demo".
_SEX = "flt_demo_sex"


def _texts(app) -> str:
    return "\n".join(m.value for m in app.markdown)


def test_demo_runs_without_exception(app, open_page):
    open_page(_PAGE)
    assert not app.exception


def test_ifn_signature_shows_poster_m0_and_m6_arrows(open_page):
    text = _texts(open_page(_PAGE))
    assert "IFN signature + at M0: 21/21 (100.0%)" in text
    assert "**M6**  \n↓ 15/16  \n↑ 1/16  \n(?) 6 patients" in text


def test_farr_test_shows_poster_m0_and_m6_arrows(open_page):
    text = _texts(open_page(_PAGE))
    assert "Elevated at M0: 14/19 (73.7%)" in text
    assert "**M6**  \n↓ 6/14  \n↑ 3/14  \n→ 5/14" in text


def test_complement_shows_activation_and_normalisation(open_page):
    text = _texts(open_page(_PAGE))
    assert "Activation at M0: 3 patients out of 21" in text
    assert "**M6**  \nnormalised: 3/3 (100.0%)" in text


def test_paired_table_shows_mcnemar_p_per_marker_and_month(open_page):
    frame = open_page(_PAGE).dataframe[0].value
    row = frame[(frame["Marker"] == "Complement") & (frame["Month"] == "M6")].iloc[0]
    assert (row["Paired N"], row["McNemar test"]) == (16, "p = 0.250")


def _changes(app):
    """The paired-change table, one row per (marker, month)."""
    return app.dataframe[0].value.set_index(["Marker", "Month"])


def _count(entry: dict) -> str:
    """A summary count as the page writes it before its percentage: ``n/N``, or a dash."""
    return f"{entry['n']}/{entry['N']}" if entry["N"] else "—"


def test_paired_table_writes_the_counts_of_the_summary_status_change(open_page):
    table = _changes(open_page(_PAGE))
    blocks = build_summary(load_demo("en").cohort)["status_change"]
    names = {"ifn": "IFN signature", "anti_dsdna": "Farr test (anti-dsDNA)", "complement": "Complement"}
    shown = {(marker, month): [row["Paired N"], row["+ at M0"], row["Resolved"].split(" (")[0],
                               row["Appeared"].split(" (")[0]]
             for marker, name in names.items() for month in blocks[marker]
             for row in [table.loc[(name, month)]]}
    expected = {(marker, month): [e["paired"], e["positive_M0"], _count(e["resolved"]), _count(e["appeared"])]
                for marker in names for month, e in blocks[marker].items()}
    assert shown == expected
    assert table.loc[("IFN signature", "M6"), "Resolved"] == "2/16 (12.5%)"


def test_paired_table_shows_a_dash_for_an_empty_denominator(app, upload_page):
    # A and B are positive at M0 with no IFN signature at M3; nobody is elevated at M0
    # among the patients known for anti-dsDNA at M3.
    upload_page(small_cohort_files(STATUS_VISITS), _PAGE)
    rows = _changes(app)[["Resolved", "Appeared"]]
    assert not app.exception
    assert rows.loc[("IFN signature", "M3")].tolist() == ["—", "—"]
    assert rows.loc[("Farr test (anti-dsDNA)", "M3")].tolist() == ["—", "0/1 (0.0%)"]
    assert rows.loc[("Complement", "M6")].tolist() == ["1/1 (100.0%)", "1/1 (100.0%)"]


def test_shift_and_paired_charts_are_drawn(open_page):
    specs = [json.loads(c.proto.spec) for c in open_page(_PAGE).get("vega_lite_chart")]
    assert [title_text(s["title"]) for s in specs] == [
        "IFN signature: change from M0", "Farr test (anti-dsDNA): change from M0",
        "IFN signature: M0 to M6 (n = 16)", "Farr test (anti-dsDNA): M0 to M6 (n = 14)",
    ]


def test_month_selector_switches_paired_plots(app, open_page):
    open_page(_PAGE)
    app.segmented_control(key="biology_month").set_value(3).run()
    titles = [title_text(json.loads(c.proto.spec)["title"]) for c in app.get("vega_lite_chart")]
    assert "IFN signature: M0 to M3 (n = 18)" in titles


def test_sex_filter_changes_analysed_n(app, open_page):
    open_page(_PAGE)
    app.multiselect(key=_SEX).set_value(["M"]).run()
    assert not app.exception
    assert "Analysed patients: N = 1" in _texts(app)


def test_french_shows_french_labels_and_decimal_commas(app, open_page):
    text = _texts(open_page(_PAGE, "fr"))
    assert f"Élevé à M0\u202f: 14/19 (73,7{NNBSP}%)" in text
    assert app.title[0].value == "Biologie"

"""Small-cell suppression (``Settings.min_cell``): no count from 1 to k - 1 reaches the
summarize JSON, the pages' tables or the exports; secondary suppression protects a
suppressed cell of a row; off by default."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from core.demo import load_demo
from core.settings import SettingError, Settings, parse_settings
from core.summary import build_summary
from core.suppression import (
    hide_treated,
    mask_frame,
    mask_text,
    part_hidden,
    part_of,
    response_mask,
    row_mask,
    status_change_mask,
    suppress_count,
    suppress_summary,
    unchanged_hidden,
)

K = 5
# Keys whose integer values are counts of patients or events (not months, doses, ages,
# p-values, statistics of values).
COUNT_KEYS = {"n", "N", "CR", "PR", "NR", "down", "up", "stable", "unknown", "treated", "analysed",
              "paired", "positive_M0", "involved", "seen", "scored", "infection_events", "events",
              "patients", "activated_M0", "paired_N"}


@pytest.fixture(scope="module")
def demo():
    cohort = load_demo().cohort
    yield cohort
    cohort.close()


def _counts(node, path=()):
    """Every (path, value) of a count in a summary document."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from _counts(item, (*path, i))
    elif isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, (dict, list)):
                yield from _counts(value, (*path, key))
            elif key in COUNT_KEYS or path[:1] == ("followup",) or path[:1] == ("complement",):
                yield (*path, key), value


def _suppressed_objects(node):
    if isinstance(node, list):
        for item in node:
            yield from _suppressed_objects(item)
    elif isinstance(node, dict):
        if node.get("suppressed"):
            yield node
        for value in node.values():
            yield from _suppressed_objects(value)


def test_min_cell_is_a_setting_with_a_range():
    assert Settings().min_cell == 0
    assert parse_settings(["min_cell=5"]).min_cell == 5
    for bad in ("min_cell=-1", "min_cell=2.5", "min_cell=1000"):
        with pytest.raises(SettingError):
            parse_settings([bad])


def test_the_summary_holds_no_small_count(demo):
    plain = build_summary(demo)
    doc = build_summary(demo, settings=Settings(min_cell=K))
    small_before = [(p, v) for p, v in _counts(plain) if isinstance(v, int) and 1 <= v < K]
    assert small_before, "the demo has small counts to suppress"
    small_after = [(p, v) for p, v in _counts(doc) if isinstance(v, int) and not isinstance(v, bool) and 1 <= v < K]
    assert small_after == []
    # Each count that went missing is null in an object marked suppressed.
    for path, _ in small_before:
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        if isinstance(parent, dict) and path[-1] in parent:
            assert parent[path[-1]] is None and parent["suppressed"] is True, path
    assert doc["baseline"]["first_line"] == {"n": None, "N": 22, "pct": None, "suppressed": True}
    assert all(obj.get("pct") is None and obj.get("ci_low") is None for obj in _suppressed_objects(doc)
               if "n" in obj and obj["n"] is None)
    # Per-patient listings are withheld, and the document says so.
    assert doc["safety"]["visceral_events"] == [] and plain["safety"]["visceral_events"]
    assert "safety.visceral_events" in doc["details"]["suppression"]["withheld_listings"]
    # Large counts stay.
    assert doc["populations"]["analysed"] == plain["populations"]["analysed"] == 22
    assert doc["baseline"]["prior_lines_2plus"] == plain["baseline"]["prior_lines_2plus"]
    assert doc["safety"]["infection"]["n"] == plain["safety"]["infection"]["n"] == 9


def test_default_off_changes_nothing(demo):
    assert build_summary(demo) == build_summary(demo, settings=Settings(min_cell=0))
    assert build_summary(demo) == build_summary(demo, settings=Settings(min_cell=1))


def test_secondary_suppression_on_a_response_row():
    # NR = 2 is small; without a second hidden cell N - CR - PR would give it back.
    doc = suppress_summary({"response": {"d": {"M3": {"CR": 8, "PR": 7, "NR": 2, "N": 17}}}}, K)
    row = doc["response"]["d"]["M3"]
    assert row == {"CR": 8, "PR": None, "NR": None, "N": 17, "suppressed": True}
    # Small cells that sum to k or more protect each other; zeros stay.
    assert row_mask((10, 3, 2), K) == ((False, True, True), False)
    assert row_mask((9, 0, 2), K) == ((True, False, True), False)
    # Hidden cells summing to less than k would give their sum back (14 - 10 = PR + NR
    # = 4): the next smallest cell goes too, as often as needed.
    assert row_mask((10, 3, 1), K) == ((True, True, True), False)
    assert row_mask((1, 2, 12, 30), 11) == ((True, True, True, False), False)
    assert row_mask((1, 1, 0), K) == ((True, True, False), True)
    # A single small cell and only zeros beside it: the total must go.
    assert row_mask((0, 3, 0), K) == ((False, True, False), True)
    assert row_mask((6, 7, 8), K) == ((False, False, False), False)


def test_a_count_and_its_complement():
    assert suppress_count(2, 22, K).n is None and suppress_count(2, 22, K).primary
    assert suppress_count(21, 22, K).n is None and not suppress_count(21, 22, K).primary
    assert suppress_count(3, 3, K).N is None
    assert suppress_count(0, 22, K).n == 0 and suppress_count(12, 22, K).n == 12


def test_a_row_that_leaves_out_missing_values():
    # Rule 5: N of 22 analysed with T - N missing; the row is (n, N - n, T - N).
    articular = suppress_count(12, 21, K, total=22)  # 1 missing: N goes, n out of 22 stays
    assert (articular.n, articular.N, articular.suppressed, articular.primary) == (12, None, True, False)
    cutaneous = suppress_count(19, 21, K, total=22)  # 22 - 19 = 3 would be given back
    assert (cutaneous.n, cutaneous.N) == (None, None) and not cutaneous.primary
    ifn = suppress_count(21, 21, K, total=22)  # n = N: n would be N
    assert (ifn.n, ifn.N) == (None, None)
    assert suppress_count(3, 21, K, total=22).primary and suppress_count(3, 21, K, total=22).N is None
    assert suppress_count(0, 21, K, total=22).n == 0 and suppress_count(0, 21, K, total=22).N is None
    # Nothing missing, or k or more missing: rules 1 to 3 as without a total.
    for n, N, total in ((21, 22, 22), (2, 22, 22), (12, 22, 22), (12, 21, 30), (12, 16, 22)):
        assert suppress_count(n, N, K, total=total) == suppress_count(n, N, K), (n, N, total)
    # A small N is rule 2, whatever the total.
    assert suppress_count(0, 3, K, total=22) == suppress_count(0, 3, K) and suppress_count(0, 3, K).primary
    # Off: nothing moves.
    assert suppress_count(19, 21, 0, total=22) == suppress_count(19, 21, 0)
    assert suppress_count(19, 21, 0).n == 19 and not suppress_count(19, 21, 0).suppressed


def test_a_part_of_another_count():
    assert part_hidden(21, 22, K) and part_hidden(18, 22, K) and part_hidden(3, 22, K)
    assert not part_hidden(22, 22, K) and not part_hidden(17, 22, K) and not part_hidden(0, 22, K)
    # A part of a hidden whole goes when it equals it (it would be the whole).
    assert part_hidden(16, 16, K, whole_hidden=True) and not part_hidden(15, 16, K, whole_hidden=True)
    assert not part_hidden(21, 22, 0) and not part_hidden(21, 22, 1)
    # The N of a count whose whole is hidden: n stays unless small or equal to N.
    assert (suppress_count(9, 23, K, hide_N=True).n, suppress_count(9, 23, K, hide_N=True).N) == (9, None)
    assert suppress_count(0, 23, K, hide_N=True).n == 0 and suppress_count(23, 23, K, hide_N=True).n is None
    assert suppress_count(2, 23, K, hide_N=True).n is None


def test_status_changes_are_rows_of_the_paired():
    # Rule 7: paired = positive at M0 + negative at M0. Complement at M3: 3 positive
    # among 19 paired hides the 16 negative (the appeared's N) too.
    m = status_change_mask(19, 3, 3, 0, K)
    assert (m.positive_m0, m.negative_m0, m.positive_mk) == (True, True, True)
    assert (m.resolved.n, m.resolved.N, m.appeared.n, m.appeared.N) == (None, None, 0, None)
    # Farr at M3: 17 paired, 14 positive, 3 negative: both go.
    m = status_change_mask(17, 14, 0, 0, K)
    assert (m.positive_m0, m.negative_m0, m.resolved.n, m.resolved.N) == (True, True, 0, None)
    # IFN at M6: 2 of 16 resolved hides the positive at the month (16 - 2 + 0 = 14).
    m = status_change_mask(16, 16, 2, 0, K)
    assert not m.positive_m0 and m.resolved.n is None and m.resolved.N == 16 and m.positive_mk
    assert status_change_mask(8, 8, 1, 0, 3).positive_mk  # 8 - 7 = 1
    # Nothing small: nothing hidden; off: nothing hidden.
    m = status_change_mask(30, 15, 5, 5, K)
    assert not (m.positive_m0 or m.negative_m0 or m.positive_mk or m.resolved.suppressed or m.appeared.suppressed)
    m = status_change_mask(19, 3, 3, 0, 0)
    assert not (m.positive_m0 or m.negative_m0 or m.positive_mk or m.resolved.suppressed or m.appeared.suppressed)
    doc = suppress_summary({"status_change": {"complement": {"M3": {
        "paired": 19, "positive_M0": 3, "resolved": {"n": 3, "N": 3}, "appeared": {"n": 0, "N": 16}}}},
        "complement": {"activated_M0": 12, "normalised_M3": 3}}, K)
    assert doc["status_change"]["complement"]["M3"] == {
        "paired": 19, "positive_M0": None, "resolved": {"n": None, "N": None, "suppressed": True},
        "appeared": {"n": 0, "N": None, "suppressed": True}, "suppressed": True}
    assert doc["complement"]["normalised_M3"] is None


def test_overall_response_is_part_of_its_row():
    # Rule 8: CR + PR beside CR / PR / NR. Lille at k = 3, articular M3: CR 1 (small)
    # hides NR 3; CR + PR 5/8 would give CR (5 - 4) and NR (8 - 5) back.
    assert response_mask(1, 4, 3, 3) == (True, False, True, True)
    # Cutaneous M6: PR 3, NR 1; CR 10 of 14 gives PR + NR = 4 back.
    assert response_mask(10, 3, 1, K) == (True, True, True, True)
    assert response_mask(8, 7, 2, K) == (False, True, True, True)  # NR hidden: CR + PR goes
    assert response_mask(1, 4, 5, K) == (True, True, False, False)  # CR + PR = N - NR, shown
    assert response_mask(6, 6, 10, K) == (False, False, False, False)
    assert response_mask(10, 3, 1, 0) == (False, False, False, False)
    # The summary's two places agree.
    doc = suppress_summary({"response": {"d": {"M6": {"CR": 10, "PR": 3, "NR": 1, "N": 14}}},
                            "details": {"response": {"d": {"M6": {
                                "overall": {"n": 13, "N": 14, "pct": 92.9, "ci_low": 68.5, "ci_high": 98.7},
                                "CR": {"n": 10, "N": 14, "pct": 71.4, "ci_low": 45.4, "ci_high": 88.3}}}}}}, K)
    assert doc["response"]["d"]["M6"] == {"CR": None, "PR": None, "NR": None, "N": 14, "suppressed": True}
    details = doc["details"]["response"]["d"]["M6"]
    assert details["CR"]["n"] is None and details["overall"]["n"] is None and details["overall"]["N"] == 14


def test_pages_and_summary_take_one_decision(demo):
    """The biology and response tables hide what the summary hides (one function each)."""
    from core.biology import biology
    from core.display import biology as bio_display
    from core.display import response as response_display
    from core.filters import parse_filters
    from core.response import response

    for k, text in ((K, None), (3, "centre=Lille"), (11, None)):
        flt = parse_filters([text]) if text else parse_filters([])
        settings = Settings(min_cell=k)
        doc = build_summary(demo, flt, settings)
        bio = biology(demo, flt, settings)
        for name in bio_display.MARKERS:
            for change in getattr(bio, name).changes:
                cells = bio_display.change_cells(change, "en", k)
                shown = doc["status_change"][name][f"M{change.month}"]
                assert (shown["positive_M0"] is None) == (cells["positive_m0"] != change.positive_m0)
                for key in ("resolved", "appeared"):
                    assert (shown[key]["n"] is None) == cells[key].startswith(("<", "hidden")), (k, name, key)
                hidden_any = shown["positive_M0"] is None or shown["resolved"]["n"] is None \
                    or shown["appeared"]["n"] is None
                assert not hidden_any or cells["positive_mk"] in (f"< {k}", "hidden"), (k, name, change.month)
        for r in response(demo, flt, settings).results:
            cells = response_display.response_cells(r, "en", k)
            row = doc["response"][r.domain][f"M{r.month}"]
            extra = doc["details"]["response"][r.domain][f"M{r.month}"]
            for key in ("CR", "PR", "NR"):
                assert (row[key] is None) == ("/" not in cells[key]), (k, r.domain, r.month, key)
            assert (extra["CR"]["n"] is None) == (row["CR"] is None)
            assert (extra["overall"]["n"] is None) == ("/" not in cells["overall"])


def test_findings_and_poster_lines_hide_cr_plus_pr_with_its_row(demo):
    # Lille at k = 3, articular M3: CR 1, PR 4, NR 3 of 8; CR + PR 5/8 would give CR
    # and NR back beside the response table's PR 4/8.
    from core.conclusion import conclusion
    from core.display.poster import domain_response_lines
    from core.display.suppressed import masked_findings
    from core.filters import parse_filters
    from core.response import response

    lille, settings = parse_filters(["centre=Lille"]), Settings(min_cell=3)
    articular = response(demo, lille, settings).get("articular", 3)
    assert (articular.cr.n, articular.pr.n, articular.nr.n) == (1, 4, 3)
    findings = masked_findings(conclusion(demo, lille, settings), 3, "en")
    assert "5/8" not in " ".join(findings) and "a masked share at M3" in findings[2]
    lines = dict(domain_response_lines(response(demo, lille, settings), "en", 3))
    assert "5/8" not in " ".join(lines.values()) and "M3 hidden" in lines["articular"]
    assert "5/8" in dict(domain_response_lines(response(demo, lille, settings), "en"))["articular"]


def test_a_dose_share_among_hidden_known_doses(demo):
    """Page and summary take one decision (``part_of``) for a share's N whose total, the
    patients with a known dose, is hidden: 22 analysed, on corticosteroids 16/20 (N
    hidden, 2 missing), at or under 10 mg 12/18: N stays (it is not the hidden 20)."""
    from dataclasses import replace

    from core.display import steroids as steroid_display
    from core.stats import estimate_proportion
    from core.steroids import steroids

    assert part_of(18, 20, K, total_hidden=True) == (None, False)
    assert part_of(20, 20, K, total_hidden=True) == (None, True)
    assert part_of(18, 20, K) == (20, False)
    doc = suppress_summary({
        "populations": {"analysed": 22},
        "steroids": {"M0": {"on_cs": {"n": 16, "N": 20, "pct": 80.0}, "N": 16}},
        "details": {"steroids": {"M0": {"at_or_under_10": {"n": 12, "N": 18, "pct": 66.7}}}}}, K)
    assert doc["steroids"]["M0"]["on_cs"] == {"n": 16, "N": None, "pct": None, "suppressed": True}
    assert doc["details"]["steroids"]["M0"]["at_or_under_10"] == {"n": 12, "N": 18, "pct": 66.7}
    month = replace(steroids(demo).at(0), on_cs=estimate_proportion(16, 20),
                    at_or_under=((10.0, estimate_proportion(12, 18)),))
    tiles = {tile.label: tile for tile in steroid_display.month_tiles(month, "en", K, 22)}
    assert tiles["On corticosteroids"].value == "16/hidden"
    assert tiles["At or under 10.0 mg/day"].value == "12/18 (66.7%)"


def test_the_treated_count_with_few_excluded():
    # Rule 6: treated = analysed + excluded; 1 to k - 1 excluded hides the treated count.
    assert hide_treated(23, 22, K) and hide_treated(26, 22, K)
    assert not hide_treated(22, 22, K) and not hide_treated(27, 22, K)
    assert not hide_treated(4, 2, K)  # the treated count is small itself (rule 2)
    assert not hide_treated(23, 22, 0) and not hide_treated(23, 22, 1)


def test_suppressed_parts_in_the_summary_shape():
    doc = {
        "populations": {"treated": 25, "analysed": 22, "excluded": []},
        "baseline": {
            "female": {"n": 12, "N": 22, "pct": 54.5},
            "age": {"N": 21, "mean": 45.0, "sd": 10.4},
            "articular": {"n": 12, "N": 21, "pct": 57.1},
            "corticosteroids": {"n": 16, "N": 22, "pct": 72.7},
            "cs_dose_mg": {"N": 14, "median": 7.5, "q1": 5.0, "q3": 10.0},
        },
        "steroids": {"M0": {"on_cs": {"n": 16, "N": 22, "pct": 72.7}, "N": 14, "median": 7.5, "q1": 5.0,
                            "q3": 10.0},
                     "M3": {"on_cs": {"n": 12, "N": 19, "pct": 63.2}, "N": 12, "median": 5.0, "q1": 5.0,
                            "q3": 7.5}},
        "safety": {"N": 25, "infection": {"n": 9, "N": 25, "pct": 36.0},
                   "vzv": {"n": 0, "N": 25, "pct": 0.0}, "visceral_events": []},
        "details": {"safety": {"infection": {"n": 9, "N": 25, "pct": 36.0, "ci_low": 20.2, "ci_high": 55.5}}},
    }
    out = suppress_summary(doc, K)
    base = out["baseline"]
    assert base["female"] == doc["baseline"]["female"]
    # A statistic keeps its value; only the N of its patients goes (rule 5).
    assert base["age"] == {"N": None, "mean": 45.0, "sd": 10.4, "suppressed": True}
    assert base["articular"] == {"n": 12, "N": None, "pct": None, "suppressed": True}
    # 16 on corticosteroids, 14 doses known: 2 unknown doses.
    assert base["cs_dose_mg"] == {"N": None, "median": 7.5, "q1": 5.0, "q3": 10.0, "suppressed": True}
    assert out["steroids"]["M0"]["N"] is None and out["steroids"]["M0"]["median"] == 7.5
    assert out["steroids"]["M3"] == doc["steroids"]["M3"]
    # 3 excluded: the treated count and the safety N go, the counts over it stay.
    assert out["populations"]["treated"] is None and out["populations"]["analysed"] == 22
    assert out["populations"]["suppressed"] is True
    assert out["safety"]["N"] is None and out["safety"]["suppressed"] is True
    assert out["safety"]["infection"] == {"n": 9, "N": None, "pct": None, "suppressed": True}
    assert out["safety"]["vzv"] == {"n": 0, "N": None, "pct": None, "suppressed": True}
    assert out["details"]["safety"]["infection"] == {"n": 9, "N": None, "pct": None, "ci_low": None,
                                                     "ci_high": None, "suppressed": True}
    assert _given_back(out, K) == [] and _given_back(doc, K)
    # The same document with k or more excluded and nothing missing keeps every number.
    whole = {**doc, "populations": {"treated": 30, "analysed": 22, "excluded": []}}
    kept = suppress_summary(whole, K)
    assert kept["populations"]["treated"] == 30 and kept["safety"] == doc["safety"]


# --- what subtraction gives back ------------------------------------------------

def _shown(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _given_back(doc: dict, k: int) -> list[tuple[str, int]]:
    """Every count a reader of ``doc`` gets by one subtraction of shown numbers and that
    is from 1 to k - 1: treated - analysed; each row's N against the analysed N (Table 1
    and the M0 statuses), and its n when N is hidden; the dose's N against the patients
    on corticosteroids; every count's complement N - n; a row with one hidden cell; the
    paired patients against the positive at M0 and the appeared's N; CR + PR against CR,
    PR, NR and N (CR read from the response row or from ``details.response``); a row's
    hidden cells together (N less its shown cells); hidden infection events from their
    rate and the follow-up."""
    found = []

    def check(what: str, value) -> None:
        if _shown(value) and 1 <= value < k:
            found.append((what, value))

    pops = doc.get("populations") or {}
    analysed = pops.get("analysed")
    if _shown(pops.get("treated")) and _shown(analysed):
        check("treated - analysed", pops["treated"] - analysed)
    safety = doc.get("safety") or {}
    if _shown(safety.get("N")) and _shown(analysed) and not _shown(pops.get("treated")):
        check("safety N - analysed", safety["N"] - analysed)
    steroids = doc.get("steroids") or {}
    rows = {f"baseline.{name}": row for name, row in (doc.get("baseline") or {}).items() if name != "cs_dose_mg"}
    rows |= {"anti_dsdna.elevated_M0": (doc.get("anti_dsdna") or {}).get("elevated_M0"),
             "details.ifn_positive_M0": (doc.get("details") or {}).get("ifn_positive_M0")}
    if steroids:
        first = next(iter(steroids))
        rows[f"steroids.{first}.on_cs"] = steroids[first].get("on_cs")
    for name, row in rows.items():
        if not isinstance(row, dict) or not _shown(analysed):
            continue
        if _shown(row.get("N")):
            check(f"analysed - {name}.N", analysed - row["N"])
        elif _shown(row.get("n")):
            check(f"analysed - {name}.n", analysed - row["n"])
    on_cs = ((doc.get("baseline") or {}).get("corticosteroids") or {}).get("n")
    dose = ((doc.get("baseline") or {}).get("cs_dose_mg") or {}).get("N")
    if _shown(on_cs) and _shown(dose):
        check("corticosteroids.n - cs_dose_mg.N", on_cs - dose)
    for month, figures in steroids.items():
        if _shown((figures.get("on_cs") or {}).get("n")) and _shown(figures.get("N")):
            check(f"steroids.{month} on_cs.n - N", figures["on_cs"]["n"] - figures["N"])

    for marker, months in (doc.get("status_change") or {}).items():
        for month, change in months.items():
            path, paired, positive = f"status_change.{marker}.{month}", change.get("paired"), change.get("positive_M0")
            resolved, appeared = change.get("resolved") or {}, change.get("appeared") or {}
            for name, part in (("positive_M0", positive), ("resolved.N", resolved.get("N")),
                               ("appeared.N", appeared.get("N"))):
                if _shown(paired) and _shown(part):
                    check(f"{path}: paired - {name}", paired - part)
            if _shown(positive) and _shown(resolved.get("n")) and not _shown(resolved.get("N")):
                check(f"{path}: positive_M0 - resolved.n", positive - resolved["n"])
    details = (doc.get("details") or {}).get("response") or {}
    for domain, months in (doc.get("response") or {}).items():
        for month, row in months.items():
            path, extra = f"response.{domain}.{month}", (details.get(domain) or {}).get(month) or {}
            cr = row.get("CR") if _shown(row.get("CR")) else (extra.get("CR") or {}).get("n")
            pr, nr, N = row.get("PR"), row.get("NR"), row.get("N")
            overall = (extra.get("overall") or {}).get("n")
            for name, cell in (("CR", cr), ("PR", pr), ("NR", nr)):
                if _shown(N) and _shown(cell):
                    check(f"{path}: N - {name}", N - cell)
            if not _shown(overall):
                continue
            if _shown(cr) and not _shown(pr):
                check(f"{path}: CR+PR - CR", overall - cr)
            if _shown(pr) and not _shown(cr):
                check(f"{path}: CR+PR - PR", overall - pr)
            if _shown(N) and not _shown(nr):
                check(f"{path}: N - CR+PR", N - overall)
            if _shown(nr) and _shown(cr) and not _shown(N) and not _shown(pr):
                check(f"{path}: CR+PR - CR", overall - cr)

    def walk(node, path: str) -> None:
        if isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{path}[{i}]")
            return
        if not isinstance(node, dict):
            return
        if _shown(node.get("n")) and _shown(node.get("N")):
            check(f"{path}: N - n", node["N"] - node["n"])
        for cells, total in ((("CR", "PR", "NR"), "N"), (("down", "up", "stable", "unknown"), None)):
            if all(key in node for key in cells):
                values = [node[key] for key in cells]
                hidden = [v for v in values if not _shown(v)]
                whole = node.get(total) if total else (analysed if path.startswith("ifn_shift") else None)
                if hidden and _shown(whole):
                    check(f"{path}: the hidden cells", whole - sum(v for v in values if _shown(v)))
        for key, value in node.items():
            walk(value, f"{path}.{key}" if path else key)

    walk(doc, "")
    # A rate times its exposure: the infection events (rule 11).
    safety = (doc.get("details") or {}).get("safety") or {}
    rate, months = safety.get("infection_rate_per_100py"), safety.get("patient_months")
    if safety.get("infection_events") is None and isinstance(rate, float) and isinstance(months, float):
        check("infection events: rate x follow-up", round(rate * months / 1200))
    return found


def test_the_demo_gives_nothing_back_by_subtraction(demo):
    plain = build_summary(demo)
    doc = build_summary(demo, settings=Settings(min_cell=K))
    assert _given_back(doc, K) == []
    # The checker sees the leaks this rule closes: the same document with the treated
    # count, or Table 1's N of rows with a missing value, put back.
    assert ("treated - analysed", 1) in _given_back(
        {**doc, "populations": {**doc["populations"], "treated": 23}}, K)
    for name in ("cutaneous", "articular", "ifn_positive"):
        assert plain["baseline"][name]["N"] == 21
        leaky = {**doc, "baseline": {**doc["baseline"], name: {**doc["baseline"][name], "N": 21}}}
        assert (f"analysed - baseline.{name}.N", 1) in _given_back(leaky, K), name
    # Counts over the hidden N stay when safe.
    assert doc["baseline"]["articular"] == {"n": 12, "N": None, "pct": None, "suppressed": True}
    assert doc["anti_dsdna"]["elevated_M0"] == {"n": 14, "N": None, "pct": None, "suppressed": True}
    assert doc["baseline"]["cutaneous"]["n"] is None and doc["baseline"]["ifn_positive"]["n"] is None
    assert doc["details"]["ifn_positive_M0"]["n"] is None and doc["details"]["ifn_positive_M0"]["N"] is None
    assert doc["safety"]["N"] is None and doc["populations"]["treated"] is None
    # The patients involved in a domain are Table 1's n of it: hidden with it.
    assert plain["details"]["response"]["cutaneous"]["M3"]["involved"] == plain["baseline"]["cutaneous"]["n"]
    assert all(doc["details"]["response"]["cutaneous"][m]["involved"] is None for m in ("M3", "M6"))
    # The other subgroups and thresholds the demo offers give nothing back either.
    from core.filters import parse_filters

    for k in (3, 5, 11):
        assert _given_back(build_summary(demo, settings=Settings(min_cell=k)), k) == [], k
    for text in ("centre=Lille", "sex=F", "hcq=true", "prior_lines>=2"):
        flt = parse_filters([text])
        assert _given_back(build_summary(demo, flt, Settings(min_cell=K)), K) == [], text
    lille = parse_filters(["centre=Lille"])
    assert _given_back(build_summary(demo, lille, Settings(min_cell=3)), 3) == []
    # The checker sees the status-change and CR + PR leaks rules 7 and 8 close.
    farr = {**doc["status_change"]["anti_dsdna"]["M3"], "positive_M0": 14}
    leaky = {**doc, "status_change": {**doc["status_change"], "anti_dsdna": {"M3": farr}}}
    assert ("status_change.anti_dsdna.M3: paired - positive_M0", 3) in _given_back(leaky, K)
    assert ("response.articular.M3: CR+PR - PR", 1) in _given_back(
        {"response": {"articular": {"M3": {"CR": None, "PR": 4, "NR": None, "N": 8}}},
         "details": {"response": {"articular": {"M3": {"overall": {"n": 5, "N": 8}}}}}}, 3)
    assert ("response.cutaneous.M6: N - CR", 4) in _given_back(
        {"response": {"cutaneous": {"M6": {"CR": 10, "PR": None, "NR": None, "N": 14}}}}, K)


@pytest.mark.parametrize("patients, seed", [(30, 1), (30, 2), (60, 3), (120, 4)])
def test_synthetic_registries_give_nothing_back_by_subtraction(patients, seed):
    """Beyond the demo: small synthetic registries (missing values, exclusions, every
    response and marker course), whole and by centre, at each threshold."""
    from benchmarks.registry_data import registry_frames
    from core.cohort import cohort_from_frames
    from core.filters import parse_filters

    cohort = cohort_from_frames(registry_frames(patients, seed))
    try:
        centre = cohort.con.execute("SELECT min(centre) FROM patients").fetchone()[0]
        for flt in (None, parse_filters([f"centre={centre}"])):
            for k in (3, 5, 11):
                doc = build_summary(cohort, flt, Settings(min_cell=k))
                assert doc["details"]["suppression"]["min_cell"] == k
                assert _given_back(doc, k) == [], (flt, k)
    finally:
        cohort.close()


def _unchanged_given_back(text: str, k: int) -> list[int]:
    """The changed pairs a Wilcoxon sentence gives back (N pairs - unchanged) from 1 to
    k - 1 (rule 10): the summary does not write the unchanged pairs, the tiles do."""
    found = []
    for pairs, zeros in re.findall(r"N = (\d+) pairs, (\d+) unchanged", text):
        if 1 <= int(pairs) - int(zeros) < k:
            found.append(int(pairs) - int(zeros))
    return found


def test_unchanged_pairs_with_few_changed(demo):
    from core.display import steroids as steroid_display
    from core.significance import TestResult
    from core.steroids import steroids

    assert unchanged_hidden(19, 11, 11) and not unchanged_hidden(19, 11, 5)
    assert unchanged_hidden(19, 3, 5) and not unchanged_hidden(19, 0, 11)
    test = TestResult(0.0, 0.0065, 19, "Wilcoxon", ())
    assert steroid_display.wilcoxon_text(test, 11, "en", 11).endswith("(N = 19 pairs, hidden unchanged)")
    assert steroid_display.wilcoxon_text(test, 11, "en", 5).endswith("(N = 19 pairs, 11 unchanged)")
    assert steroid_display.wilcoxon_text(test, 11, "en").endswith("(N = 19 pairs, 11 unchanged)")
    # The demo's tiles at every threshold give no changed count back.
    result = steroids(demo)
    for k in (3, 5, 11):
        texts = " ".join(tile.detail for month in result.by_month
                         for tile in steroid_display.month_tiles(month, "en", k))
        assert _unchanged_given_back(texts, k) == [], k
    assert _unchanged_given_back("(N = 19 pairs, 11 unchanged)", 11) == [8]


def test_texts_and_frames_are_masked():
    assert mask_text("Severe: 2/23 (8.7%) 95% CI 2.4 to 26.8", K) == "Severe: < 5"
    assert mask_text("↓ 15/16 and 9/23 (39,1\u202f%)", K, "hidden") == "↓ hidden and 9/23 (39,1\u202f%)"
    assert mask_text("M3 · 12/22 (54.5%)", K) == "M3 · 12/22 (54.5%)"
    frame = pd.DataFrame({"Month": ["M3"], "N": [17], "CR": ["8/17 (47.1%)"], "PR": ["7/17 (41.2%)"],
                          "NR": ["2/17 (11.8%)"], "Scored": [3]})
    out = mask_frame(frame, K, count_columns=("N", "Scored"), hidden="hidden", rows=(("CR", "PR", "NR"),))
    assert out.iloc[0].tolist() == ["M3", 17, "8/17 (47.1%)", "hidden", "< 5", "< 5"]
    # A row's N among 22 analysed with 1 missing (rule 5), a count over the hidden
    # treated count (rule 6): N hidden with the percentage and CI, n kept when safe.
    assert mask_text("12/21 (57.1%)", K, "hidden", total=22) == "12/hidden"
    assert mask_text("19/21 (90.5%)", K, "hidden", total=22) == "hidden"
    assert mask_text("12/21 (57.1%)", K, "hidden", total=30) == "12/21 (57.1%)"
    assert mask_text("9/23 · 95% CI 22.2 to 59.2 (Wilson)", K, "hidden", hide_N=True) == "9/hidden"
    assert mask_text("12/21 (57.1%)", 0, "hidden", total=22) == "12/21 (57.1%)"
    assert mask_frame(frame, K, ("N",), "hidden", hide_N=True).loc[0, "CR"] == "8/hidden"


# --- exports ----------------------------------------------------------------------

# ``n/N`` as written in tables and texts.
_FRACTION = re.compile(r"(?<![\w/.])(\d+)/(\d+)(?![\w/])")


def _small_fractions(text: str) -> list[str]:
    """``n/N`` with n or N from 1 to K - 1 in ``text``."""
    return [m.group(0) for m in _FRACTION.finditer(text)
            if 1 <= int(m.group(1)) < K or 1 <= int(m.group(2)) < K]


def _file_texts(files) -> dict[str, str]:
    """The text of each table, page and slide file (CSV, XLSX cells, HTML, PPTX shapes,
    JSON)."""
    import io
    import zipfile

    from openpyxl import load_workbook

    texts = {}
    for f in files:
        if f.name.endswith((".csv", ".html", ".json", ".txt")):
            texts[f.name] = f.data.decode("utf-8-sig")
        elif f.name.endswith(".xlsx"):
            book = load_workbook(io.BytesIO(f.data), read_only=True)
            texts[f.name] = "\n".join(" | ".join("" if v is None else str(v) for v in row)
                                      for sheet in book for row in sheet.values)
        elif f.name.endswith((".pptx", ".docx")):
            with zipfile.ZipFile(io.BytesIO(f.data)) as archive:
                texts[f.name] = "\n".join(re.sub(r"<[^>]+>", " ", archive.read(n).decode("utf-8"))
                                          for n in archive.namelist() if n.endswith(".xml"))
    return texts


@pytest.fixture(scope="module")
def exported():
    from core.export.bundle import export_files, prepare_export

    cohort = load_demo().cohort
    try:
        plain = prepare_export(cohort, [], "en", settings=Settings(), digest="0" * 64)
        masked = prepare_export(cohort, [], "en", settings=Settings(min_cell=K), digest="0" * 64)
        yield plain, masked, export_files(masked, ("tables", "docx", "html", "pptx", "texts"))
    finally:
        cohort.close()


def test_exports_hold_no_small_count(exported):
    plain, masked, files = exported
    texts = _file_texts(files)
    assert {"tables/responses.csv", "tables.xlsx", "tables.docx", "poster.html", "deck.pptx",
            "summary.json"} <= set(texts)
    # The same files without suppression do hold small counts: the check can fail.
    from core.export.bundle import export_files
    plain_texts = _file_texts(export_files(plain, ("tables", "html", "pptx")))
    assert _small_fractions(plain_texts["tables/responses.csv"]) and _small_fractions(plain_texts["poster.html"])
    for name, text in texts.items():
        assert _small_fractions(text) == [], name
    for name in ("tables/responses.csv", "tables.xlsx", "poster.html", "deck.pptx"):
        assert "< 5" in texts[name] or "&lt; 5" in texts[name], name
    # Per-patient listings and charts are withheld; a note says so.
    assert "P3" not in texts["tables/events.csv"] and "P3" in plain_texts["tables/events.csv"]
    assert "Péricardite" not in texts["poster.html"]
    assert masked.charts == () and not any(f.name.startswith("charts/") for f in files)
    assert "Small-cell suppression is on" in texts["poster.html"]
    assert "Small-cell suppression is on" in texts["tables/responses.csv"] or \
        "Small-cell suppression is on" in texts["tables.xlsx"]


def test_exports_give_nothing_back_by_subtraction(exported):
    import json

    _, masked, files = exported
    texts = _file_texts(files)
    assert _given_back(json.loads(texts["summary.json"]), K) == []
    # 1 patient excluded: the treated count (23) and every N over it are hidden.
    for name, text in texts.items():
        assert "/23" not in text and "N = 23" not in text, name
    assert "Safety population (treated patients): N = hidden." in texts["poster.html"]
    assert "patients treated (safety): N = hidden" in texts["poster.html"]
    safety = masked.table("safety").frame
    assert safety.iloc[0, 1:].tolist() == ["9/hidden", ""]
    # Table 1: cutaneous, articular and IFN have 1 missing value among the 22 analysed.
    table1 = masked.table("table1").frame.set_index("Characteristic")
    assert table1.loc["Articular involvement"].tolist() == ["hidden", "< 5", "12/hidden"]
    assert table1.loc["Cutaneous involvement"].tolist() == ["hidden", "< 5", "hidden"]
    assert table1.loc["Hydroxychloroquine"].tolist() == ["22", "0", "15/22 (68.2%)"]
    # The arrows' known (22 - 4 unknown at M3) is hidden with the unknown.
    shifts = masked.table("shifts").frame
    assert shifts.iloc[0, 1:7].tolist() == ["hidden", "M3", "17/hidden", "< 5", "0/hidden", "< 5"]


def test_the_response_export_keeps_its_large_counts(exported):
    _, masked, _ = exported
    frame = masked.table("responses").frame
    assert frame.loc[0, "CR"] == "8/17 (47.1%)"
    assert frame.loc[0, "PR"] == "hidden" and frame.loc[0, "NR"] == "< 5"


# --- pages ------------------------------------------------------------------------

def _page_texts(app) -> tuple[str, str]:
    """(every table cell, every other text) of the page's main area."""
    tables = "\n".join(frame.value.astype(str).to_csv(index=False) for frame in app.main.dataframe)
    others = [m.value for m in app.main.markdown] + [c.value for c in app.main.caption] + \
        [s.value for s in app.main.subheader] + [i.value for i in app.main.info] + \
        [x.value for x in app.main.text] + [f"{m.label} {m.value} {m.delta}" for m in app.main.metric]
    return tables, "\n".join(str(x) for x in others)


@pytest.mark.parametrize("page, has_small_table", [
    ("pages/cohort.py", True), ("pages/response.py", True), ("pages/biology.py", True),
    ("pages/steroids.py", False), ("pages/safety.py", False), ("pages/conclusion.py", False),
    ("pages/poster.py", False),
])
def test_pages_show_no_small_count(open_page, page, has_small_table):
    from core.display.suppressed import suppression_note

    app = open_page(page)
    tables, texts = _page_texts(app)
    before = _small_fractions(tables + texts)
    charts = app.get("vega_lite_chart")
    app.text_input(key="setting_min_cell").input(str(K)).run()
    assert not app.exception
    tables, texts = _page_texts(app)
    assert _small_fractions(tables) == [] and _small_fractions(texts) == []
    assert suppression_note(K, "en") in texts
    if has_small_table:
        assert before, "the page shows small counts without suppression"
        assert "< 5" in tables
    # Charts are withheld (their marks are counts), and so are per-patient listings.
    assert page == "pages/conclusion.py" or charts
    assert not app.get("vega_lite_chart")
    # 1 patient excluded: the treated count and the N over it are hidden (rule 6); 1
    # missing value among the 22 analysed: the row's N is hidden (rule 5).
    assert "/23" not in tables + texts and "N = 23" not in texts
    assert {m.label: m.value for m in app.sidebar.metric}.get("Safety (N)") == "hidden"
    assert "/21" not in tables + texts
    if page in ("pages/safety.py", "pages/cohort.py"):
        assert "P3" not in tables and "P23" not in tables
    if page == "pages/poster.py":
        assert "Péricardite" not in texts and "GN IV" not in texts


def test_a_subgroup_smaller_than_k_shows_no_size(open_page):
    # The demo has one man: every N of the subgroup is from 1 to k - 1.
    app = open_page("pages/safety.py")
    app.multiselect(key="flt_demo_sex").set_value(["M"]).run()
    sizes = {m.label: m.value for m in app.sidebar.metric}
    assert "1" in sizes.values()
    app.text_input(key="setting_min_cell").input(str(K)).run()
    assert not app.exception
    assert set({m.label: m.value for m in app.sidebar.metric}.values()) == {"< 5"}
    tables, texts = _page_texts(app)
    assert _small_fractions(tables + texts) == []
    assert "N = 1" not in texts and "N = < 5" in texts
    assert all("1" not in w.value for w in app.sidebar.warning)


def test_a_small_safety_population_beside_one_exclusion_shows_no_size(open_page):
    # Aged 30 to 37: 4 treated, 3 analysed (the excluded P23 is 37). At k = 3 the treated
    # count is hidden (rule 6), in the small-sample caution too: 4 - 3 would give 1 back.
    app = open_page("pages/safety.py")
    app.slider(key="flt_demo_age").set_value((30, 37)).run()
    app.text_input(key="setting_min_cell").input("3").run()
    assert not app.exception
    assert {m.label: m.value for m in app.sidebar.metric} == {"Analysed (N)": "3", "Safety (N)": "hidden"}
    _, texts = _page_texts(app)
    assert "N = hidden." in texts and "(n = hidden)" in texts
    assert "n = 4" not in texts and "N = 4" not in texts


def test_table1_and_tiles_hide_a_row_n_with_few_missing(demo):
    from core.analysis import baseline
    from core.display.cohort import baseline_display, m0_tiles

    table = baseline(demo).table
    plain = baseline_display(table, "en").set_index("Characteristic")
    assert plain.loc["Cutaneous involvement"].tolist() == [21, 1, "19/21 (90.5%)"]
    frame = baseline_display(table, "en", None, K).set_index("Characteristic")
    assert frame.loc["Cutaneous involvement"].tolist() == ["hidden", "< 5", "hidden"]
    assert frame.loc["Articular involvement"].tolist() == ["hidden", "< 5", "12/hidden"]
    assert frame.loc["IFN signature positive"].tolist() == ["hidden", "< 5", "hidden"]
    assert frame.loc["Age (years)"].tolist() == ["22", "0", "45.0 (10.4)"]
    assert frame.loc["First line (no prior treatment)"].tolist() == ["22", "0", "< 5"]
    tiles = {tile.label: (tile.value, tile.detail) for tile in m0_tiles(table, "fr", K)}
    assert tiles["Atteinte articulaire"] == ("masqué", "12/masqué")
    assert tiles["Signature IFN +"] == ("masqué", "masqué")
    assert tiles["Corticothérapie (CT)"] == ("72,7\u202f%", "16/22")
    assert m0_tiles(table, "fr", 0) == m0_tiles(table, "fr")


def test_a_group_of_fewer_than_k_shows_no_mean_or_median(demo):
    # Table 1 by sex: the demo has one man, whose age, disease duration and prior lines
    # a mean or median of one patient would show.
    from core.analysis import baseline
    from core.display.cohort import baseline_display

    table = baseline(demo, group="sex").table
    plain = baseline_display(table, "en").set_index("Characteristic")
    assert plain.loc["Age (years)", "M"] == "40.0 (—)" and plain.loc["Prior lines", "M"] == "1.0 (1.0; 1.0)"
    frame = baseline_display(table, "en", None, K).set_index("Characteristic")
    for row in ("Age (years)", "Disease duration (years)", "Prior lines"):
        assert frame.loc[row, "M"] == "—", row
    # The women's statistics, over k or more patients, stay.
    assert frame.loc["Age (years)", "F"] == plain.loc["Age (years)", "F"] == "45.2 (10.6)"
    assert baseline_display(table, "en", None, 0).equals(baseline_display(table, "en"))


def test_populations_and_findings_hide_the_treated_count(demo):
    from core.conclusion import conclusion, render
    from core.display.suppressed import masked_findings, population_counts

    # (treated, analysed) as shown: 1 to k - 1 excluded hides the treated count.
    assert population_counts(23, 22, K, "en") == ("hidden", 22)
    assert population_counts(30, 22, K, "en") == (30, 22) and population_counts(23, 22, 0, "en") == (23, 22)
    assert population_counts(3, 3, K, "fr") == ("< 5", "< 5")
    lines = masked_findings(conclusion(demo, settings=Settings(min_cell=K)), K, "en")
    # A sentence says so in words: "9/hidden of patients" would not read.
    assert lines[-1] == ("Satisfactory tolerability profile: infection in 9 (total masked) of patients, no severe"
                         " infection, no VZV infection.")
    assert "a masked share of patients at M3" in lines[1] and "hidden" not in " ".join(lines)
    french = masked_findings(conclusion(demo, settings=Settings(min_cell=K)), K, "fr")
    assert "infection chez 9 (effectif total masqué) des patients" in french[-1]
    assert "réponse chez une part masquée des patients à M3" in french[1] and "masqué des" not in " ".join(french)
    plain = conclusion(demo)
    assert masked_findings(plain, 0, "en") == tuple(render(f, "en") for f in plain.findings)


def test_shift_arrows_hide_a_second_arrow():
    from core.biology import ShiftCounts
    from core.display.biology import shift_arrows

    counts = ShiftCounts(month=6, N=14, down=6, up=3, stable=5, unknown=0)
    assert shift_arrows(counts, "en") == ("↓ 6/14", "↑ 3/14", "→ 5/14")
    # ↑ 3 is small; → 5 (the smallest other) is hidden so that 14 - 6 - 5 cannot give it back.
    assert shift_arrows(counts, "en", K) == ("↓ 6/14", "↑ < 5", "→ hidden")
    # ↑ 1 and (?) 4 protect each other (the four buckets sum to N = 22); ↓ stays, over a
    # hidden known (22 - 4), which would give (?) back.
    assert shift_arrows(ShiftCounts(month=3, N=22, down=17, up=1, stable=0, unknown=4), "fr", K) == (
        "↓ 17/masqué", "↑ < 5", "(?) < 5 patients")
    # ↑ 1 is small alone: (?) 6, the smallest other, is hidden, and the known with it.
    assert shift_arrows(ShiftCounts(month=6, N=22, down=15, up=1, stable=0, unknown=6), "en", K) == (
        "↓ 15/hidden", "↑ < 5", "(?) count hidden")


def test_french_exports_hold_no_small_count(demo):
    from core.export.bundle import export_files, prepare_export

    ctx = prepare_export(demo, [], "fr", settings=Settings(min_cell=K), digest="0" * 64)
    texts = _file_texts(export_files(ctx, ("tables", "html")))
    for name, text in texts.items():
        assert _small_fractions(text) == [], name
    assert "masqué" in texts["tables/responses.csv"] and "< 5" in texts["tables/responses.csv"]
    assert "Masquage des petits effectifs activé" in texts["poster.html"]


def test_summarize_set_min_cell_on_the_command_line():
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    run = subprocess.run([sys.executable, "-m", "core", "summarize", "--demo", "--set", "min_cell=5"], cwd=root,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["details"]["settings"] == {"min_cell": 5} and doc["details"]["suppression"]["min_cell"] == 5
    assert [v for _, v in _counts(doc) if type(v) is int and 1 <= v < K] == []
    bad = subprocess.run([sys.executable, "-m", "core", "summarize", "--demo", "--set", "min_cell=-3"], cwd=root,
                         capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "min_cell" in bad.stderr


def test_table1_is_not_grouped_under_suppression(open_page, demo, capsys, tmp_path):
    # Rule 9: groups masked column by column could give a hidden overall count back.
    from core.cli import main
    from core.export.panels import compute_panels
    from core.settings import Settings
    from core.suppression import grouping_allowed

    assert grouping_allowed(0) and grouping_allowed(1) and not grouping_allowed(K)
    app = open_page("pages/cohort.py")
    app.selectbox(key="cohort_group").set_value("sex").run()
    def table1():
        return next(d.value for d in app.dataframe if "Characteristic" in d.value.columns)

    assert "Male" in table1().columns  # grouped without suppression
    app.text_input(key="setting_min_cell").input(str(K)).run()
    assert not app.exception
    group = app.selectbox(key="cohort_group")
    assert group.value is None and group.options == ["No grouping"] and group.disabled
    assert "Male" not in table1().columns and "p" not in table1().columns
    assert any("not compared under small-cell suppression" in c.value for c in app.caption)
    with pytest.raises(ValueError):
        compute_panels(demo, settings=Settings(min_cell=K), group="sex")
    with pytest.raises(SystemExit) as stop:
        main(["poster", "--demo", "--out", str(tmp_path / "x"), "--set", f"min_cell={K}", "--group", "sex"])
    assert stop.value.code == 2 and "--group cannot be used with min_cell" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_the_safety_finding_hides_the_treated_count_whatever_the_response_rows(demo):
    # At k = 3 the demo's response rows hide nothing the findings quote, while the treated
    # count (23 beside 22 analysed: 1 excluded) is hidden: the safety sentence hides it too.
    from core.conclusion import conclusion
    from core.display.suppressed import masked_findings

    safety_line = masked_findings(conclusion(demo), 3, "en")[-1]
    assert "9 (total masked)" in safety_line and "/23" not in safety_line


def test_a_small_subgroups_analysed_n_is_masked_in_every_export(demo):
    # Boulogne-sur-Mer: 8 analysed patients, under k = 11. Table 1's headers wrote
    # "All (N = 8)" and "Analysed patients (N = 8)" where everything else shows "< 11".
    from core.export.bundle import export_files, prepare_export
    from core.export.tables import export_tables
    from core.filters import parse_filters

    boulogne, k = parse_filters(["centre=CH Boulogne-sur-Mer"]), 11
    ctx = prepare_export(demo, [], "en", boulogne, Settings(min_cell=k), digest="0" * 64)
    assert ctx.panels.baseline.table.N == 8
    table1 = export_tables(ctx.panels, "en")[0]
    assert "All (N = < 11)" in table1.frame.columns and ("Analysed patients (N = < 11)", 3) in table1.spans
    lone = re.compile(r"\b[Nn] = (\d+)")
    for name, text in _file_texts(export_files(ctx, ("tables", "html", "texts", "docx"))).items():
        assert [n for n in lone.findall(text) if 1 <= int(n) < k] == [], name


def test_sentences_write_a_count_over_a_hidden_total_in_words():
    from core.display.suppressed import masked_sentence

    assert masked_sentence("in 17542/20000 (87.7%) of", K, "en", hide_N=True) == "in 17,542 (total masked) of"
    assert masked_sentence("chez 17542/20000 (87,7 %) des", K, "fr", hide_N=True) == \
        "chez 17\u202f542 (effectif total masqué) des"
    assert masked_sentence("in 3/20000 (0.0%) of", K, "en", hide_N=True) == "in < 5 of"
    assert masked_sentence("in 3/20000 (0.0%) of", 0, "en", hide_N=True) == "in 3/20000 (0.0%) of"


def test_complement_line_says_out_of_a_masked_total(demo):
    from core.biology import biology
    from core.display.biology import status_m0_line

    # The demo at k = 5: complement known for 21 of the 22 analysed; that N would give
    # the one missing back, so it is hidden, and the sentence says so in words.
    marker = biology(demo, settings=Settings(min_cell=K)).complement
    assert (marker.status_m0.n, marker.status_m0.N) == (3, 21)
    assert status_m0_line(marker, "en", K, 22) == "Activation at M0: < 5 patients out of a masked total"
    assert status_m0_line(marker, "fr", K, 22) == "Activation chez < 5 patients sur un effectif masqué à M0"


@pytest.mark.parametrize("page", ["pages/response.py", "pages/poster.py"])
def test_the_response_bars_withheld_leave_one_note(open_page, page):
    # The bars are one chart per domain, in columns: one note for both, not one each.
    from core.display.suppressed import chart_withheld_note

    app = open_page(page)
    app.text_input(key="setting_min_cell").input(str(K)).run()
    assert not app.exception
    notes = [c.value for c in app.main.caption if c.value == chart_withheld_note("en")]
    # The Response page withholds its bars, transitions and grid; the poster its bars and doses.
    assert len(notes) == (3 if page == "pages/response.py" else 2)


def test_the_infection_rate_does_not_give_masked_events_back(demo, open_page):
    # CHU Lille at k = 5: 3 infection events, written "< 5", over 57 patient-months, shown;
    # the rate beside them, 63.2 per 100 patient-years, gave the 3 back (63.2 x 57 / 1200).
    import json

    from core.export.bundle import export_files, prepare_export
    from core.filters import parse_filters

    lille = parse_filters(["centre=CHU Lille"])
    ctx = prepare_export(demo, [], "en", lille, Settings(min_cell=K), digest="0" * 64)
    assert (ctx.panels.safety.infection_events, ctx.panels.safety.patient_months) == (3, 57.0)
    rows = dict(ctx.table("safety").frame.iloc[:, :2].values.tolist())
    assert rows["Follow-up (patient-months)"] == "57.0" and rows["Infections (events)"] == "< 5"
    assert rows["Infections per 100 patient-years"] == "hidden"
    texts = _file_texts(export_files(ctx, ("tables", "texts")))
    assert "63.2" not in texts["tables/safety.csv"] and "63.2" not in texts["tables.xlsx"]
    safety = json.loads(texts["summary.json"])["details"]["safety"]
    assert safety["infection_events"] is None and safety["infection_rate_per_100py"] is None
    # Events of k or more keep their rate (the whole demo: 10 events).
    whole = prepare_export(demo, [], "en", settings=Settings(min_cell=K), digest="0" * 64)
    assert dict(whole.table("safety").frame.iloc[:, :2].values.tolist())["Infections per 100 patient-years"] == "111.1"

    app = open_page("pages/safety.py")
    app.multiselect(key="flt_demo_centre").set_value(["CHU Lille"]).run()
    app.text_input(key="setting_min_cell").input(str(K)).run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.main.metric}
    assert metrics["Infections (events)"] == "< 5" and metrics["Infections per 100 patient-years"] == "hidden"


def test_a_p_value_does_not_give_a_masked_count_back(demo):
    # Demo at k = 5: McNemar's p of IFN at M6 beside a resolved count written "< 5" gave
    # it back; without the HCQ patients, the Wilcoxon p = 0.250 over 5 pairs gave the 3
    # changed ones, so the 2 unchanged written "< 5".
    import json

    from core.display import biology as bio_display
    from core.display import steroids as steroid_display
    from core.export.bundle import export_files, prepare_export
    from core.filters import parse_filters
    from core.suppression import mcnemar_hidden, status_change_mask, wilcoxon_hidden

    no_hcq = parse_filters(["hcq=false"])
    for flt in (None, no_hcq):
        plain = build_summary(demo, flt, Settings())
        doc = build_summary(demo, flt, Settings(min_cell=K))
        for marker, months in doc["status_change"].items():
            for month, change in months.items():
                p = doc["details"]["mcnemar"][marker][month]["p_value"]
                counts_hidden = change["resolved"]["n"] is None or change["appeared"]["n"] is None
                # Hidden with a hidden count, kept otherwise (as computed without suppression).
                assert p == (None if counts_hidden else plain["details"]["mcnemar"][marker][month]["p_value"])
    doc = build_summary(demo, no_hcq, Settings(min_cell=K))
    assert doc["details"]["steroids"]["M6"]["wilcoxon_p"] is None and doc["details"]["steroids"]["M6"]["suppressed"]
    whole = build_summary(demo, None, Settings(min_cell=K))["details"]["steroids"]["M6"]
    assert whole["wilcoxon_p"] == pytest.approx(0.0065569, abs=1e-6)  # 16 pairs, 7 unchanged: shown
    # The rule's two decisions, at their edges.
    assert mcnemar_hidden(status_change_mask(16, 16, 14, 0, K)) and not mcnemar_hidden(status_change_mask(20, 10, 5, 0, K))
    assert wilcoxon_hidden(5, 2, K) and wilcoxon_hidden(4, 0, K) and not wilcoxon_hidden(16, 7, K)
    assert not wilcoxon_hidden(5, 2, 0)

    # Pages and files write the hidden word where the summary writes null.
    ctx = prepare_export(demo, [], "en", no_hcq, Settings(min_cell=K), digest="0" * 64)
    m6 = ctx.panels.steroids.at(6)
    assert steroid_display.wilcoxon_text(m6.test, m6.zero_differences, "en", K).startswith(
        "Wilcoxon signed-rank p = hidden (N = 5 pairs")
    assert steroid_display.wilcoxon_text(m6.test, m6.zero_differences, "fr", K).startswith(
        "Test des rangs signés de Wilcoxon p = masqué (N = 5 paires")
    full = prepare_export(demo, [], "en", None, Settings(min_cell=K), digest="0" * 64)
    ifn_m6 = full.panels.biology.ifn.change_at(6)
    assert (bio_display.test_p(ifn_m6, "en", K), bio_display.test_p(ifn_m6, "en")) == ("hidden", "p = 0.500")
    frame = bio_display.changes_frame(full.panels.biology, "en", K)
    assert frame.loc[frame["Marker"].str.startswith("IFN") & (frame["Month"] == "M6"), "McNemar test"].tolist() == [
        "hidden"]
    texts = _file_texts(export_files(ctx, ("tables", "texts")))
    assert "p = 0.250" not in texts["tables/steroids.csv"] and "p = hidden" in texts["tables/steroids.csv"]
    assert json.loads(texts["summary.json"])["details"]["steroids"]["M6"]["wilcoxon_p"] is None
    from core.display.suppressed import masked_findings

    steroid = [f for f in masked_findings(ctx.panels.conclusion, K, "en") if "Wilcoxon" in f]
    assert len(steroid) == 1 and "(Wilcoxon p = hidden)" in steroid[0], steroid
    assert "(Wilcoxon p = 0.250)" in " ".join(masked_findings(ctx.panels.conclusion, 0, "en"))


def test_a_safety_population_under_k_masks_its_events_and_says_no_zero(demo):
    # The demo's one man at k = 5: his tiles read "< 5", yet the headline said "no severe
    # infection" and the tables "Infections (events) 0": what he had, in words.
    from core.display import safety as safety_display
    from core.export.bundle import prepare_export
    from core.filters import parse_filters

    men = parse_filters(["sex=M"])
    ctx = prepare_export(demo, [], "en", men, Settings(min_cell=K), digest="0" * 64)
    result = ctx.panels.safety
    assert (result.N, result.severe_infection.n, result.infection_events) == (1, 0, 0)
    headline = safety_display.safety_headline(result, "en", K)
    assert "no severe" not in headline and "no VZV" not in headline, headline
    assert (safety_display.events_text(result, "en", K), safety_display.rate_text(result, "en", K)) == (
        "hidden", "hidden")
    rows = dict(ctx.table("safety").frame.iloc[:, :2].values.tolist())
    assert rows["Infections (events)"] == "hidden"
    details = build_summary(demo, men, Settings(min_cell=K))["details"]["safety"]
    assert (details["infection_events"], details["infection_rate_per_100py"], details["suppressed"]) == (
        None, None, True)
    # Nor per type: 7 infections of the one man beside his masked count would say he had one.
    assert [row["events"] for row in details["events_by_type"]] == [None] * len(details["events_by_type"])
    assert build_summary(demo, None, Settings(min_cell=K))["details"]["safety"]["events_by_type"][0]["events"] == 10
    # Nor the conclusion, where k is above the safety N (23 treated at k = 30).
    from core.display.suppressed import masked_findings

    whole = prepare_export(demo, [], "en", None, Settings(min_cell=30), digest="0" * 64).panels.conclusion
    [tolerability] = [f for f in masked_findings(whole, 30, "en") if "infection in" in f]
    assert "no severe" not in tolerability and "severe infection in" in tolerability, tolerability
    assert "no severe infection" in " ".join(masked_findings(whole, K, "en"))
    # Without suppression, or over k patients or more, the zero is said.
    assert "no severe infection" in safety_display.safety_headline(result, "en")
    lille = prepare_export(demo, [], "en", parse_filters(["centre=CHU Lille"]), Settings(min_cell=K),
                           digest="0" * 64).panels.safety
    assert "no severe infection" in safety_display.safety_headline(lille, "en", K)
    assert safety_display.events_text(lille, "en", K) == "< 5"

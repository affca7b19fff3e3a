"""The synthetic demo cohort reproduces every poster number, checked independently.

The computations here are plain pandas over ``build_demo_frames()`` (not the app's
loader): they restate the contract's derived definitions (cohort-format.md, "Derived
definitions") so that a mistake in the demo design and one in the analysis code cannot
hide each other.
"""
from __future__ import annotations

import importlib.util
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.schema import COLUMNS, canonical_column, normalise

_DATA = Path(__file__).resolve().parents[1] / "data"


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_demo", _DATA / "make_demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_demo = _load_generator()
FRAMES = make_demo.build_demo_frames()
PATIENTS, VISITS, EVENTS = FRAMES["patients"], FRAMES["visits"], FRAMES["events"]


def _r1(x: float) -> float:
    """Round to one decimal, half up on the decimal value (7.25 -> 7.3)."""
    return float(Decimal(repr(float(x))).quantize(Decimal("0.1"), ROUND_HALF_UP))


def _count(mask: pd.Series) -> tuple[int, int, float]:
    """(n true, N known, percent) of a bool/None series; N excludes missing."""
    known = mask.dropna().astype(bool)
    return int(known.sum()), len(known), _r1(100 * known.sum() / len(known))


# Reference: cohort-format.md "Derived definitions": excluded only for a known reason.
_EXCLUDED = (PATIENTS["age"] < 18) | (PATIENTS["acr_eular_2019"] == False) | ~(  # noqa: E712
    (PATIENTS["cutaneous"] == True) | (PATIENTS["articular"] == True))  # noqa: E712
ANALYSED = PATIENTS[~_EXCLUDED]
_IDS = set(ANALYSED["patient_id"])
A_VISITS = VISITS[VISITS["patient_id"].isin(_IDS)]


def _at(month: int, frame: pd.DataFrame = A_VISITS) -> pd.DataFrame:
    return frame[frame["month"] == month].set_index("patient_id")


def _m0() -> pd.DataFrame:
    return _at(0).reindex(ANALYSED["patient_id"])


def _shift(column: str, ids, month: int = 6) -> dict[str, int]:
    """Down/up/stable (+-10 % inclusive, against M0)/unknown counts among ``ids``."""
    m0, mk = _at(0)[column].reindex(ids), _at(month)[column].reindex(ids)
    change = (mk - m0) / m0
    return {"down": int((change < -0.1).sum()), "up": int((change > 0.1).sum()),
            "stable": int(change.abs().le(0.1).sum()), "unknown": int(change.isna().sum())}


def _elevated_ids() -> pd.Index:
    farr = _m0()["anti_dsdna"]
    return farr[farr > 10].index


def _complement_low(frame: pd.DataFrame) -> pd.Series:
    """Activated when any known value is low; None when C3 and C4 are both missing."""
    low = (frame["c3"] < 0.9) | (frame["c4"] < 0.1)
    return low.astype(object).where(frame[["c3", "c4"]].notna().any(axis=1), None)


def _activated_ids() -> pd.Index:
    return _m0().index[_complement_low(_m0()) == True]  # noqa: E712


def _normalised(month: int) -> int:
    """Activated at M0 and known not activated at ``month``."""
    return int((_complement_low(_at(month)).reindex(_activated_ids()) == False).sum())  # noqa: E712


def _dose_summary(month: int) -> tuple:
    on = _at(month)["cs_dose_mg"]
    on = on[on > 0].to_numpy()
    q1, median, q3 = np.percentile(on, [25, 50, 75])
    return len(on), _r1(median), _r1(q1), _r1(q3)


def _infected(column: str | None = None) -> int:
    infections = EVENTS[EVENTS["type"] == "infection"]
    if column:
        infections = infections[infections[column] == True]  # noqa: E712
    return infections["patient_id"].nunique()


_M0 = _m0()
_AGE, _DURATION = ANALYSED["age"].astype(float), ANALYSED["disease_duration_years"]
_LINES = ANALYSED["prior_lines"]

POSTER_NUMBERS = {
    "treated": (lambda: len(PATIENTS), 23),
    "analysed": (lambda: len(ANALYSED), 22),
    "excluded": (lambda: list(PATIENTS.loc[_EXCLUDED, "patient_id"]), ["P23"]),
    "followup_M0": (lambda: len(_at(0)), 22),
    "followup_M3": (lambda: len(_at(3)), 19),
    "followup_M6": (lambda: len(_at(6)), 16),
    "female": (lambda: _count(ANALYSED["sex"] == "F"), (21, 22, 95.5)),
    "age_mean": (lambda: _r1(_AGE.mean()), 45.0),
    "age_sd": (lambda: _r1(_AGE.std(ddof=1)), 10.4),
    "duration_median": (lambda: _r1(np.percentile(_DURATION, 50)), 13.5),
    "duration_q1": (lambda: _r1(np.percentile(_DURATION, 25)), 6.8),
    "duration_q3": (lambda: _r1(np.percentile(_DURATION, 75)), 21.0),
    "cutaneous": (lambda: _count(ANALYSED["cutaneous"]), (19, 21, 90.5)),
    "articular": (lambda: _count(ANALYSED["articular"]), (12, 21, 57.1)),
    "ifn_positive": (lambda: _count(_M0["ifn_signature"].map({"positive": True, "negative": False})),
                     (21, 21, 100.0)),
    "first_line": (lambda: _count(_LINES == 0), (1, 22, 4.5)),
    "prior_lines_4plus": (lambda: _count(_LINES >= 4), (9, 22, 40.9)),
    "multirefractory_2plus": (lambda: int((_LINES >= 2).sum()), 17),
    "corticosteroids": (lambda: _count(_M0["cs_dose_mg"] > 0), (16, 22, 72.7)),
    "cs_dose_M0": (lambda: _dose_summary(0), (16, 7.3, 5.0, 10.0)),
    "hcq": (lambda: _count(_M0["hcq"]), (15, 22, 68.2)),
    "ifn_shift_M6": (lambda: _shift("ifn_score", ANALYSED["patient_id"]),
                     {"down": 15, "up": 1, "stable": 0, "unknown": 6}),
    "anti_dsdna_elevated_M0": (lambda: _count((_M0["anti_dsdna"] > 10).where(_M0["anti_dsdna"].notna())),
                               (14, 19, 73.7)),
    "anti_dsdna_shift_M6": (lambda: _shift("anti_dsdna", _elevated_ids()),
                            {"down": 6, "up": 3, "stable": 5, "unknown": 0}),
    "complement_activated_M0": (lambda: len(_activated_ids()), 3),
    "complement_normalised_M6": (lambda: _normalised(6), 3),
    "infection": (lambda: (_infected(), len(PATIENTS), _r1(100 * _infected() / len(PATIENTS))), (9, 23, 39.1)),
    "severe_infection": (lambda: _infected("severe"), 0),
    "vzv": (lambda: int((EVENTS["vzv"] == True).sum()), 0),  # noqa: E712
    "visceral_events": (
        lambda: EVENTS.loc[EVENTS["type"] == "visceral", ["patient_id", "month", "description"]].values.tolist(),
        [["P3", 2.0, "GN IV + V"], ["P10", 3.0, "Péricardite"]]),
}


@pytest.mark.parametrize("name", POSTER_NUMBERS)
def test_demo_reproduces_poster_number(name):
    compute, expected = POSTER_NUMBERS[name]
    assert compute() == expected


# --- Paired change of status (summary-json.md, status_change, version 1.1) ----------

def _ifn_positive(frame: pd.DataFrame) -> pd.Series:
    return frame["ifn_signature"].map({"positive": True, "negative": False})


def _status_change(status, month: int) -> dict:
    """Among analysed patients with the status known at M0 and at ``month``: resolved out
    of those positive at M0, appeared out of those negative at M0."""
    before, after = status(_m0()), status(_at(month).reindex(ANALYSED["patient_id"]))
    known = before.notna() & after.notna()
    b, a = before[known].astype(bool), after[known].astype(bool)
    return {"paired": int(known.sum()), "positive_M0": int(b.sum()),
            "resolved": {"n": int((b & ~a).sum()), "N": int(b.sum())},
            "appeared": {"n": int((~b & a).sum()), "N": int((~b).sum())}}


@pytest.mark.parametrize(("status", "month", "expected"), [
    # summary-json.md's example.
    (_complement_low, 6, {"paired": 16, "positive_M0": 3, "resolved": {"n": 3, "N": 3}, "appeared": {"n": 0, "N": 13}}),
    # Out of the 16 known at M6, not the 21 positive at M0.
    (_ifn_positive, 6, {"paired": 16, "positive_M0": 16, "resolved": {"n": 2, "N": 16}, "appeared": {"n": 0, "N": 0}}),
    # Nobody has an IFN signature recorded at M3.
    (_ifn_positive, 3, {"paired": 0, "positive_M0": 0, "resolved": {"n": 0, "N": 0}, "appeared": {"n": 0, "N": 0}}),
], ids=["complement_M6", "ifn_M6", "ifn_M3"])
def test_status_change_counts_patients_known_at_m0_and_at_the_month(status, month, expected):
    assert _status_change(status, month) == expected


# --- Responses: recorded, or scored from raw components against M0 -----------------
# Reference: cohort-format.md, "Response when the practitioner column is blank".

def _seen_involved(domain: str, month: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    involved = ANALYSED.loc[ANALYSED[domain] == True, "patient_id"]  # noqa: E712
    mk = _at(month).reindex(involved).dropna(subset=["cs_dose_mg"])
    return _at(0).reindex(mk.index), mk


def _scored(domain: str, month: int) -> pd.Series:
    m0, mk = _seen_involved(domain, month)
    if domain == "cutaneous":
        active0, active = m0["active_skin_lesions"].astype(float), mk["active_skin_lesions"].astype(float)
        new = mk["new_skin_lesions"] == True  # noqa: E712  (blank flag = none recorded)
        cr = (active == 0) & ~new
        pr = ~cr & (active < active0) & ~new
        known = active.notna()
    else:
        parts = ["painful_joints", "swollen_joints", "joint_flares"]
        now, base = mk[parts].astype(float), m0[parts].astype(float)
        new = mk["new_painful_joints"] == True  # noqa: E712
        cr = (now["painful_joints"] == 0) & (now["swollen_joints"] == 0) & ~new
        pr = ~cr & (now < base).any(axis=1)
        known = now.notna().any(axis=1)
    scored = pd.Series(np.select([cr, pr], ["CR", "PR"], "NR"), index=mk.index, dtype=object)
    return scored.where(known, None)


def _recorded(domain: str, month: int) -> pd.Series:
    _, mk = _seen_involved(domain, month)
    return mk[f"{domain}_response"]


_CELLS = [(d, m) for d in ("cutaneous", "articular") for m in (3, 6)]
RESPONSES = {
    ("cutaneous", 3): {"CR": 8, "PR": 7, "NR": 2},
    ("cutaneous", 6): {"CR": 10, "PR": 3, "NR": 1},
    ("articular", 3): {"CR": 1, "PR": 4, "NR": 5},
    ("articular", 6): {"CR": 3, "PR": 3, "NR": 3},
}


@pytest.mark.parametrize(("domain", "month"), _CELLS)
def test_response_counts_are_rapid_cutaneous_and_later_articular(domain, month):
    counted = _recorded(domain, month).fillna(_scored(domain, month))
    assert counted.value_counts().to_dict() == RESPONSES[(domain, month)]


def test_only_p7_cutaneous_m3_is_recorded_pr_while_components_score_cr():
    found = []
    for domain, month in _CELLS:
        recorded, scored = _recorded(domain, month), _scored(domain, month)
        differ = recorded.notna() & scored.notna() & (recorded != scored)
        found += [(pid, domain, month, recorded[pid], scored[pid]) for pid in differ[differ].index]
    assert found == [("P7", "cutaneous", 3, "PR", "CR")]


def test_blank_responses_scored_from_components_are_the_documented_visits():
    blanks = set()
    for domain, month in _CELLS:
        recorded, scored = _recorded(domain, month), _scored(domain, month)
        blanks |= {(pid, domain, month) for pid in recorded.index[recorded.isna() & scored.notna()]}
    assert blanks == {("P18", "cutaneous", 3), ("P5", "cutaneous", 6), ("P15", "articular", 6)}


@pytest.mark.parametrize("domain", ["cutaneous", "articular"])
def test_no_response_recorded_at_m0_or_outside_an_involved_domain(domain):
    involved = set(PATIENTS.loc[PATIENTS[domain] == True, "patient_id"])  # noqa: E712
    recorded = VISITS.dropna(subset=[f"{domain}_response"])
    assert (recorded["month"] > 0).all() and set(recorded["patient_id"]) <= involved


@pytest.mark.parametrize(("domain", "component"),
                         [("cutaneous", "active_skin_lesions"), ("articular", "painful_joints")])
def test_components_are_recorded_at_every_visit_of_involved_patients(domain, component):
    involved = PATIENTS.loc[PATIENTS[domain] == True, "patient_id"]  # noqa: E712
    rows = VISITS[VISITS["patient_id"].isin(involved)]
    assert rows[component].notna().all() and (_at(0, rows)[component] > 0).all()


# --- Design constraints behind the numbers ------------------------------------------

def test_every_analysed_patient_has_an_involvement_and_a_missing_one_implies_the_other():
    cut, art = ANALYSED["cutaneous"], ANALYSED["articular"]
    assert ((cut == True) | (art == True)).all()  # noqa: E712
    assert (art[cut != True] == True).all() and (cut[art != True] == True).all()  # noqa: E712


def test_patients_seen_at_m6_were_seen_at_m3():
    assert set(_at(6).index) <= set(_at(3).index)


def test_patient_without_m0_ifn_signature_has_no_m0_score_and_no_m6_visit():
    missing = _M0.index[_M0["ifn_signature"].isna()]
    assert len(missing) == 1 and _M0.loc[missing, "ifn_score"].isna().all()
    assert not set(missing) & set(_at(6).index)


def test_anti_dsdna_shifts_keep_clear_of_the_ten_percent_limits():
    ids = _elevated_ids()
    change = (_at(6)["anti_dsdna"].reindex(ids) - _M0.loc[ids, "anti_dsdna"]) / _M0.loc[ids, "anti_dsdna"]
    assert (change.abs().sub(0.1).abs() > 0.005).all()


def test_complement_activated_patients_have_known_normal_c3_and_c4_at_m6():
    m6 = _at(6).reindex(_activated_ids())
    assert ((m6["c3"] >= 0.9) & (m6["c4"] >= 0.1)).all()


def test_no_corticosteroid_at_m0_is_a_zero_dose_not_a_missing_one():
    assert _M0["cs_dose_mg"].notna().all() and (_M0["cs_dose_mg"] == 0).sum() == 6


def test_steroid_doses_fall_to_a_median_of_5_mg_at_m6_with_one_increase_only():
    doses = A_VISITS.pivot(index="patient_id", columns="month", values="cs_dose_mg")
    raised = doses.index[(doses[[3, 6]].max(axis=1) > doses[0])]
    assert _dose_summary(6)[1] == 5.0 and list(raised) == ["P3"]


def test_events_fall_within_each_patients_follow_up():
    last_visit = VISITS.groupby("patient_id")["month"].max()
    months = EVENTS["month"]
    assert ((months > 0) & (months <= EVENTS["patient_id"].map(last_visit))).all()


def test_infections_are_recorded_not_severe_and_not_vzv():
    infections = EVENTS[EVENTS["type"] == "infection"]
    assert (infections["severe"] == False).all() and (infections["vzv"] == False).all()  # noqa: E712


def test_centres_are_lille_and_boulogne():
    assert PATIENTS["centre"].value_counts().to_dict() == {"CHU Lille": 14, "CH Boulogne-sur-Mer": 9}


def test_excluded_patient_is_cutaneous_and_seen_at_m0_and_m3():
    p23 = PATIENTS.set_index("patient_id").loc["P23"]
    assert p23["cutaneous"] is True and sorted(VISITS.loc[VISITS["patient_id"] == "P23", "month"]) == [0, 3]


def test_patient_ids_are_unique_and_visits_unique_per_month():
    assert PATIENTS["patient_id"].is_unique
    assert not VISITS.duplicated(["patient_id", "month"]).any()


# --- The files: bytes, encoding, and both layouts holding the same tables -----------

_FR_WORDS = {"oui": True, "non": False, "RC": "CR", "RP": "PR", "NR": "NR",
             "positif": "positive", "négatif": "negative", "H": "M", "F": "F"}
_NUMERIC = ("number", "integer", "month", "event_month")


def _plain(value, kind: str):
    """A comparable cell: None for any missing, float for any number."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return float(value) if kind in _NUMERIC else value


def _fr_plain(text: str, kind: str):
    if text in ("", "ND"):
        return None
    if kind in _NUMERIC:
        return float(text.removeprefix("M").replace(",", "."))
    return _FR_WORDS[text] if kind in ("bool", "response", "ifn", "sex") else text


def _records(frame: pd.DataFrame, table: str) -> list[tuple]:
    kinds = {name: col.kind for name, col in COLUMNS[table].items()}
    return sorted(tuple(_plain(v, kinds[c]) for c, v in zip(frame.columns, row))
                  for row in frame.itertuples(index=False))


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("demo")
    return {path.name: path for path in make_demo.write_demo(out)}


def test_generator_is_deterministic(written, tmp_path):
    again = make_demo.write_demo(tmp_path)
    assert all(path.read_bytes() == written[path.name].read_bytes() for path in again)


@pytest.mark.parametrize("name", ["demo_wide_fr.csv", "demo_events_fr.csv", "demo_en.xlsx"])
def test_committed_file_matches_the_generator(written, name):
    committed, generated = (_DATA / name).read_bytes(), written[name].read_bytes()
    if name.endswith(".xlsx"):
        # Deflate output differs between zlib builds: compare what the archive holds.
        assert _zip_entries(committed) == _zip_entries(generated)
    else:
        assert committed == generated


def _zip_entries(raw: bytes) -> list[tuple[str, tuple, object]]:
    """Each entry's name, time stamp and content; XML parts as element trees, since
    openpyxl serialises the same document differently with and without lxml."""
    import io
    import zipfile
    from xml.etree import ElementTree

    def tree(element) -> tuple:
        return (element.tag, sorted(element.attrib.items()), (element.text or "").strip(),
                [tree(child) for child in element])

    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return [(i.filename, i.date_time,
                 tree(ElementTree.fromstring(archive.read(i))) if i.filename.endswith((".xml", ".rels"))
                 else archive.read(i))
                for i in archive.infolist()]


@pytest.mark.parametrize(("name", "columns"), [("demo_wide_fr.csv", 55), ("demo_events_fr.csv", 6)])
def test_french_csv_is_cp1252_with_semicolons_on_every_line(written, name, columns):
    raw = written[name].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    lines = raw.decode("cp1252").split("\r\n")[:-1]
    assert {line.count(";") for line in lines} == {columns - 1}


def test_french_wide_headers_all_map_through_the_contract_aliases(written):
    headers = pd.read_csv(written["demo_wide_fr.csv"], sep=";", encoding="cp1252", nrows=0).columns
    unmapped = [h for h in headers if canonical_column("patients", h) is None
                and canonical_column("visits", normalise(h).rsplit("_m", 1)[0]) is None]
    assert unmapped == []


def test_french_wide_csv_holds_the_canonical_patients(written):
    wide = pd.read_csv(written["demo_wide_fr.csv"], sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    kinds = {name: col.kind for name, col in COLUMNS["patients"].items()}
    mapped = {canonical_column("patients", h): h for h in wide.columns if canonical_column("patients", h)}
    parsed = pd.DataFrame({c: [_fr_plain(v, kinds[c]) for v in wide[mapped[c]]] for c in PATIENTS.columns})
    assert _records(parsed, "patients") == _records(PATIENTS, "patients")


def test_french_wide_csv_holds_the_canonical_visits_with_a_row_per_month_seen(written):
    wide = pd.read_csv(written["demo_wide_fr.csv"], sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    kinds = {name: col.kind for name, col in COLUMNS["visits"].items()}
    long = []
    for month in make_demo.MONTHS:
        at = {canonical_column("visits", normalise(h).removesuffix(f"_m{month}")): h
              for h in wide.columns if normalise(h).endswith(f"_m{month}")}
        frame = pd.DataFrame({c: [_fr_plain(v, kinds[c]) for v in wide[at[c]]] if c in at else None
                              for c in VISITS.columns[2:]})
        seen = frame.notna().any(axis=1)
        frame.insert(0, "month", month)
        frame.insert(0, "patient_id", wide["N° patient"])
        long.append(frame[seen])
    assert _records(pd.concat(long), "visits") == _records(VISITS, "visits")


def test_french_events_csv_holds_the_canonical_events(written):
    events = pd.read_csv(written["demo_events_fr.csv"], sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    kinds = {name: col.kind for name, col in COLUMNS["events"].items()}
    parsed = pd.DataFrame({canonical_column("events", h): [_fr_plain(v, kinds[canonical_column("events", h)])
                                                           for v in events[h]] for h in events.columns})
    parsed["type"] = parsed["type"].map({"infection": "infection", "viscérale": "visceral"})
    assert _records(parsed[EVENTS.columns], "events") == _records(EVENTS, "events")


@pytest.mark.parametrize("table", ["patients", "visits", "events"])
def test_english_workbook_sheet_holds_the_canonical_table(written, table):
    from openpyxl import load_workbook

    rows = list(load_workbook(written["demo_en.xlsx"], read_only=True)[table].values)
    sheet = pd.DataFrame(rows[1:], columns=rows[0], dtype=object)
    assert list(sheet.columns) == list(FRAMES[table].columns)
    assert _records(sheet, table) == _records(FRAMES[table], table)


def test_english_workbook_has_fixed_document_dates(written):
    from openpyxl import load_workbook

    properties = load_workbook(written["demo_en.xlsx"], read_only=True).properties
    assert properties.created == properties.modified == make_demo._FIXED_TIME


def _shape(node, path: str = "") -> set[str]:
    if isinstance(node, dict):
        return {f"{path}/{k}" for k in node} | {s for k, v in node.items() for s in _shape(v, f"{path}/{k}")}
    if isinstance(node, list):
        return {f"{path}#{len(node)}"} | {s for i, v in enumerate(node) for s in _shape(v, f"{path}/{i}")}
    return set()


def test_poster_metadata_is_marked_synthetic_and_has_the_same_shape_in_french_and_english():
    import json

    poster = json.loads((_DATA / "poster.json").read_text(encoding="utf-8"))
    assert poster["synthetic_data"] is True
    assert _shape(poster["fr"]) == _shape(poster["en"]) and len(poster["fr"]["conclusion"]) == 5


def test_share_on_corticosteroids_falls_from_m0_to_m3_to_m6():
    shares = [(_at(m)["cs_dose_mg"] > 0).mean() for m in make_demo.MONTHS]
    assert shares[0] > shares[1] > shares[2]

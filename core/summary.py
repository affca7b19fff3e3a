"""The poster numbers as one JSON-ready document: ``cohort-summary/1``.

The same panel functions the pages call; the required keys are exactly those of
summary-json.md (contract version 1.1, which adds ``status_change``), and CIs,
transitions and rates go under ``details``. With ``Settings.min_cell`` on, small counts
are ``null`` in objects marked ``"suppressed": true``, and so are the counts that would
give one back: an N beside few missing values, the treated count beside few exclusions
(``core.suppression``).
"""
from __future__ import annotations

import pandas as pd

from core.baseline import BASELINE_VARIABLES, BaselineTable
from core.biology import Biology, biology
from core.filters import Filter, resolve_filter
from core.populations import Populations, baseline, populations
from core.response import DOMAINS, ResponseResult, response
from core.safety import Safety, safety
from core.settings import Settings
from core.stats import Continuous, Proportion
from core.steroids import Steroids, steroids
from core.suppression import suppress_summary
from core.workers import map_in_threads

SCHEMA = "cohort-summary/1"


def _key(month: int) -> str:
    return f"M{month}"


def _numbers(values: pd.Series) -> pd.Series:
    """Event months as the user wrote them: 2 rather than 2.0 (Python objects)."""
    whole = values.notna() & (values == values.round())
    out = pd.Series(values.to_numpy(dtype=object), index=values.index, dtype=object)
    out[whole] = values[whole].astype("int64").to_numpy(dtype=object)
    return out


def _records(frame: pd.DataFrame) -> list[dict]:
    """JSON-ready rows of Python values: missing values (NA, NaN) as None.

    Column by column (numpy's object conversion gives Python ints, floats and str),
    then zipped into rows: a registry's per-patient lists without pandas' per-cell boxing.
    """
    names = [str(c) for c in frame.columns]
    columns = [frame[c].to_numpy(dtype=object, na_value=None).tolist() for c in frame.columns]
    return [dict(zip(names, row)) for row in zip(*columns)]


def _with_ci(est: Proportion) -> dict:
    return {**est.as_count(), "ci_low": est.ci_low, "ci_high": est.ci_high}


def _median(est: Continuous) -> dict:
    r = est.rounded(1)
    return {"N": r["N"], "median": r["median"], "q1": r["q1"], "q3": r["q3"]}


def build_summary(cohort, filter: Filter | None = None, settings: Settings = Settings()) -> dict:
    """The ``cohort-summary/1`` document of ``cohort`` (optionally a subgroup)."""
    flt = resolve_filter(cohort, filter)
    # The panels in threads: one's queries run in DuckDB (one at a time, under the
    # connection's lock) while another's results are read in Python. Response first: its
    # query makes the visits' derived table, the longest step, that biology and steroids read.
    panels = (response, populations, baseline, safety, biology, steroids)
    resp, pops, base, safe, bio, cs = map_in_threads(lambda panel: panel(cohort, flt, settings), panels)
    return summary_document(pops, base.table, resp, bio, cs, safe, flt, settings)


def summary_document(pops: Populations, table: BaselineTable, resp: ResponseResult, bio: Biology, cs: Steroids,
                     safe: Safety, flt: Filter, settings: Settings = Settings()) -> dict:
    """The ``cohort-summary/1`` document of panel results already computed for the
    resolved subgroup ``flt`` (``table``: the ungrouped Table 1), as ``build_summary``
    writes it; the exports use it so as not to compute every panel twice."""
    months = pops.months

    base = {}
    for name in BASELINE_VARIABLES:  # poster order
        overall = table.row(name).overall
        if name == "age":
            age = overall.rounded(1)
            base[name] = {"N": age["N"], "mean": age["mean"], "sd": age["sd"]}
        else:
            base[name] = overall.as_count() if isinstance(overall, Proportion) else _median(overall)

    doc = {
        "schema": SCHEMA,
        "populations": {
            "treated": pops.treated,
            "analysed": pops.analysed,
            "excluded": _records(pops.exclusions[["patient_id", "reason"]]),
        },
        "followup": {_key(m): n for m, n in pops.followup.items()},
        "baseline": base,
        "response": {d: {_key(m): resp.get(d, m).counts() for m in months} for d in DOMAINS},
    }
    for m in months:
        doc[f"ifn_shift_{_key(m)}"] = bio.ifn.shift_at(m).as_dict()
    doc["anti_dsdna"] = {"elevated_M0": bio.anti_dsdna.status_m0.as_count(),
                         **{f"shift_{_key(m)}": bio.anti_dsdna.shift_at(m).as_dict() for m in months}}
    doc["complement"] = {"activated_M0": bio.complement.status_m0.n,
                         **{f"normalised_{_key(m)}": bio.complement.change_at(m).resolved.n for m in months}}
    doc["status_change"] = {
        marker.name: {_key(m): marker.change_at(m).as_dict() for m in months}
        for marker in (bio.ifn, bio.anti_dsdna, bio.complement)
    }
    doc["discordant_responses"] = _records(resp.discordant.astype({"month": int}))
    doc["steroids"] = {_key(m.month): m.as_dict() for m in cs.by_month}
    doc["safety"] = {
        "N": safe.N,
        # False without an events table: the counts are then 0/0, no data (not 0 %).
        "events_recorded": safe.events_recorded,
        "infection": safe.infection.as_count(),
        "severe_infection": safe.severe_infection.as_count(),
        "vzv": safe.vzv.as_count(),
        "visceral_events": _records(safe.visceral_events.assign(month=_numbers(safe.visceral_events["month"]))),
    }
    doc["details"] = _details(pops, resp, bio, cs, safe, months, flt)
    unchanged = {_key(m.month): m.zero_differences for m in cs.by_month if m.zero_differences is not None}
    return suppress_summary(doc, settings.min_cell, unchanged)


def _details(pops, resp, bio, cs, safe, months, flt: Filter) -> dict:
    """Extra keys: CIs, transitions, tests, exposure, flags, and the filter applied."""
    transitions = resp.transitions.astype({"from_month": int, "to_month": int, "patients": int})
    return {
        "filter": None if flt.is_empty else flt.describe(),
        "population_flags": _records(pops.flags[["patient_id", "code"]].rename(columns={"code": "flag"})),
        "response": {
            d: {_key(m): {"overall": _with_ci(resp.get(d, m).overall), "CR": _with_ci(resp.get(d, m).cr),
                          "involved": resp.get(d, m).involved, "seen": resp.get(d, m).seen,
                          "scored": resp.get(d, m).scored, "unknown": resp.get(d, m).unknown}
                for m in months}
            for d in DOMAINS
        },
        "response_transitions": transitions.to_dict(orient="records"),
        "ifn_positive_M0": _with_ci(bio.ifn.status_m0),
        "mcnemar": {
            marker.name: {_key(m): {"N": marker.change_at(m).paired, "p_value": marker.change_at(m).test.p_value}
                          for m in months}
            for marker in (bio.ifn, bio.anti_dsdna, bio.complement)
        },
        "steroids": {
            _key(m.month): {
                **{f"at_or_under_{t:g}": _with_ci(p) for t, p in m.at_or_under},
                "stopped": None if m.stopped is None else _with_ci(m.stopped),
                "wilcoxon_p": None if m.test is None else m.test.p_value,
                "paired_N": None if m.change is None else m.change.N,
            }
            for m in cs.by_month
        },
        "steroid_unknown_drugs": list(cs.unknown_drugs),
        "safety": {
            "infection": _with_ci(safe.infection),
            "infection_events": safe.infection_events,
            "patient_months": safe.patient_months,
            "infection_rate_per_100py": safe.infection_rate_per_100py,
            "events_by_type": safe.events_by_type.astype({"events": int, "patients": int}).to_dict(orient="records"),
        },
    }

"""Clinical response per domain and follow-up month: recorded where present, scored
from raw components where not, disagreements listed, transitions between months."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core import queries
from core.filters import Filter, resolve_filter
from core.populations import report_months, small_n_notes
from core.scoring import CR, NR, PR, score_articular, score_cutaneous
from core.settings import Settings
from core.stats import Proportion, estimate_proportion

DOMAINS = ("cutaneous", "articular")
CATEGORIES = (CR, PR, NR)
MISSING = "missing"
_DISCORDANT_COLUMNS = ("patient_id", "domain", "month", "recorded", "scored")


@dataclass(frozen=True)
class DomainResponse:
    """Response in one domain at one month, among analysed patients involved at M0.

    ``N`` = CR + PR + NR (patients with a recorded or scored response); ``seen`` the
    involved patients with a visit row at the month; ``unknown`` those seen without
    any response; ``scored`` the responses taken from raw components.
    """

    domain: str
    month: int
    involved: int
    seen: int
    N: int
    cr: Proportion
    pr: Proportion
    nr: Proportion
    overall: Proportion  # CR + PR
    scored: int
    unknown: int
    notes: tuple[str, ...]

    def counts(self) -> dict:
        """``{"CR", "PR", "NR", "N"}`` as in summary-json."""
        return {CR: self.cr.n, PR: self.pr.n, NR: self.nr.n, "N": self.N}


@dataclass(frozen=True, eq=False)
class ResponseResult:
    """Response panel.

    - ``results``: one ``DomainResponse`` per domain x month (``get(domain, month)``).
    - ``discordant``: the recorded responses that differ from the ones scored from
      components: patient_id, domain, month, recorded, scored, sorted in that order.
    - ``counts``: tidy frame domain, month, category, n, N, pct, ci_low, ci_high.
    - ``transitions``: domain, from_month, to_month, from_response, to_response,
      patients; responses include "missing" (not seen or no response).
    - ``patients``: patient_id, domain, month, seen, recorded, scored, response,
      source ("recorded" / "scored" / NA) for every involved analysed patient.
    """

    N: int
    months: tuple[int, ...]
    results: tuple[DomainResponse, ...]
    discordant: pd.DataFrame
    counts: pd.DataFrame
    transitions: pd.DataFrame
    patients: pd.DataFrame
    notes: tuple[str, ...]

    def get(self, domain: str, month: int) -> DomainResponse:
        for result in self.results:
            if result.domain == domain and result.month == month:
                return result
        raise KeyError((domain, month))


def _patient_responses(frame: pd.DataFrame) -> pd.DataFrame:
    """Long frame: one row per involved patient x domain x month."""
    scored = {
        "cutaneous": score_cutaneous(frame["active_skin_lesions_m0"], frame["active_skin_lesions"],
                                     frame["new_skin_lesions"]),
        "articular": score_articular(frame["painful_joints_m0"], frame["swollen_joints_m0"],
                                     frame["joint_flares_m0"], frame["painful_joints"],
                                     frame["swollen_joints"], frame["new_painful_joints"],
                                     frame["joint_flares"]),
    }
    parts = []
    for domain in DOMAINS:
        involved = frame[domain].astype("boolean").fillna(False)
        recorded = frame[f"{domain}_response"].astype("string")
        part = pd.DataFrame({
            "patient_id": frame["patient_id"],
            "domain": domain,
            "month": frame["month"].astype(int),
            "seen": frame["seen"].astype(bool),
            "recorded": recorded,
            "scored": scored[domain],
        })[involved.to_numpy(dtype=bool)]
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out["response"] = out["recorded"].fillna(out["scored"])
    source = pd.Series(pd.NA, index=out.index, dtype="string")
    source = source.mask(out["scored"].notna(), "scored").mask(out["recorded"].notna(), "recorded")
    out["source"] = source
    return out.sort_values(["domain", "month", "patient_id"], ignore_index=True)


def _domain_result(rows: pd.DataFrame, domain: str, month: int, settings: Settings) -> DomainResponse:
    counts = rows["response"].value_counts()
    n = {c: int(counts.get(c, 0)) for c in CATEGORIES}
    total = sum(n.values())
    seen = int(rows["seen"].sum())
    return DomainResponse(
        domain=domain, month=month, involved=len(rows), seen=seen, N=total,
        cr=estimate_proportion(n[CR], total), pr=estimate_proportion(n[PR], total),
        nr=estimate_proportion(n[NR], total), overall=estimate_proportion(n[CR] + n[PR], total),
        scored=int((rows["source"] == "scored").sum()),
        unknown=int((rows["seen"] & rows["response"].isna()).sum()),
        notes=small_n_notes(total, settings),
    )


def _transitions(patients: pd.DataFrame, months: tuple[int, ...]) -> pd.DataFrame:
    wide = patients.pivot(index=["domain", "patient_id"], columns="month", values="response")
    wide = wide.reindex(columns=list(months))
    parts = []
    for start, end in zip(months, months[1:]):
        pair = pd.DataFrame({
            "domain": wide.index.get_level_values("domain"),
            "from_month": start, "to_month": end,
            "from_response": wide[start].fillna(MISSING).to_numpy(),
            "to_response": wide[end].fillna(MISSING).to_numpy(),
        })
        parts.append(pair.groupby(["domain", "from_month", "to_month", "from_response", "to_response"],
                                  as_index=False).size().rename(columns={"size": "patients"}))
    if not parts:
        return pd.DataFrame(columns=["domain", "from_month", "to_month", "from_response", "to_response",
                                     "patients"])
    return pd.concat(parts, ignore_index=True)


def response(cohort, filter: Filter | None = None, settings: Settings = Settings()) -> ResponseResult:
    """CR / PR / NR per domain and follow-up month, with Wilson 95 % CIs.

    Reference: cohort-format.md, "Derived definitions" (response scoring);
    Wilson EB. J Am Stat Assoc 1927;22:209-212 (CIs).
    """
    flt = resolve_filter(cohort, filter)
    months = report_months(cohort, settings)
    frame = queries.response_query(cohort.con, flt, settings, months)
    analysed = frame["patient_id"].nunique()
    patients = _patient_responses(frame)
    results, rows = [], []
    for domain in DOMAINS:
        for month in months:
            sub = patients[(patients["domain"] == domain) & (patients["month"] == month)]
            result = _domain_result(sub, domain, month, settings)
            results.append(result)
            for category, est in zip(CATEGORIES, (result.cr, result.pr, result.nr)):
                rows.append({"domain": domain, "month": month, "category": category, "n": est.n,
                             "N": est.N, "pct": est.pct, "ci_low": est.ci_low, "ci_high": est.ci_high})
    both = patients[patients["recorded"].notna() & patients["scored"].notna()]
    discordant = both.loc[both["recorded"] != both["scored"], list(_DISCORDANT_COLUMNS)]
    discordant = discordant.astype({"patient_id": "string"}).sort_values(["patient_id", "domain", "month"],
                                                                         ignore_index=True)
    counts = pd.DataFrame(rows, columns=["domain", "month", "category", "n", "N", "pct", "ci_low", "ci_high"])
    return ResponseResult(analysed, months, tuple(results), discordant, counts,
                          _transitions(patients, months), patients, small_n_notes(analysed, settings))

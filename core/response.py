"""Clinical response per domain and follow-up month: recorded where present, scored
from raw components where not, disagreements listed, transitions between months."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core import queries
from core.cached import cached_property
from core.filters import Filter, resolve_filter
from core.populations import report_months, small_n_notes
from core.scoring import CR, NR, PR
from core.schema import RESPONSE_DOMAINS as DOMAINS
from core.settings import Settings
from core.stats import Proportion, estimate_proportion

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
      source ("recorded" / "scored" / NA) for every involved analysed patient; read
      from the cohort when first asked for (its connection must still be open).
    """

    N: int
    months: tuple[int, ...]
    results: tuple[DomainResponse, ...]
    discordant: pd.DataFrame
    counts: pd.DataFrame
    transitions: pd.DataFrame
    notes: tuple[str, ...]
    fetch_patients: Callable[[], pd.DataFrame] = field(repr=False, default=lambda: _patient_frame(None))

    def get(self, domain: str, month: int) -> DomainResponse:
        for result in self.results:
            if result.domain == domain and result.month == month:
                return result
        raise KeyError((domain, month))

    @cached_property
    def patients(self) -> pd.DataFrame:
        return self.fetch_patients()

    @property
    def involved(self) -> int:
        """The most involved patients in one domain (the rows of a patient grid)."""
        return max((r.involved for r in self.results), default=0)


def _patient_frame(rows: pd.DataFrame | None) -> pd.DataFrame:
    """``ResponseResult.patients`` from ``queries.response_patients_query`` rows."""
    if rows is None:
        rows = pd.DataFrame(columns=["patient_id", "domain", "month", "seen", "recorded", "scored", "response"])
    out = rows.astype({"patient_id": "string", "domain": object, "month": int, "seen": bool,
                       "recorded": "string", "scored": "string", "response": "string"})
    source = pd.Series(pd.NA, index=out.index, dtype="string")
    out["source"] = source.mask(out["scored"].notna(), "scored").mask(out["recorded"].notna(), "recorded")
    return out


def _courses(rows: pd.DataFrame, months: tuple[int, ...]) -> pd.DataFrame:
    """``queries.response_courses_query`` rows with each month's state spelled out:
    ``seen<k>``, ``response<k>`` (CR, PR, NR or None) and ``scored<k>``."""
    out = {"domain": rows["domain"].to_numpy(dtype=object), "patients": rows["patients"].to_numpy(dtype=int)}
    course = rows["course"].to_numpy(dtype=np.int64)
    for k in range(len(months)):
        state = course // queries.COURSE_BASE ** k % queries.COURSE_BASE
        out[f"seen{k}"] = state > 0
        code = np.where(state > 0, (state - 1) // 2, 0)
        out[f"response{k}"] = np.array(queries.COURSE_RESPONSES, dtype=object)[code]
        out[f"scored{k}"] = (state > 0) & ((state - 1) % 2 == 1)
    return pd.DataFrame(out)


def _domain_result(courses: pd.DataFrame, k: int, involved: int, domain: str, month: int,
                   settings: Settings) -> DomainResponse:
    """The ``month`` (the k-th reported) of one domain's ``courses``."""
    patients, response = courses["patients"], courses[f"response{k}"]
    n = {c: int(patients[(response == c).to_numpy(dtype=bool)].sum()) for c in CATEGORIES}
    total = sum(n.values())
    seen = courses[f"seen{k}"].to_numpy(dtype=bool)
    return DomainResponse(
        domain=domain, month=month, involved=involved, seen=int(patients[seen].sum()), N=total,
        cr=estimate_proportion(n[CR], total), pr=estimate_proportion(n[PR], total),
        nr=estimate_proportion(n[NR], total), overall=estimate_proportion(n[CR] + n[PR], total),
        scored=int(patients[courses[f"scored{k}"].to_numpy(dtype=bool)].sum()),
        unknown=int(patients[seen & response.isna().to_numpy(dtype=bool)].sum()),
        notes=small_n_notes(total, settings),
    )


_TRANSITION_COLUMNS = ["domain", "from_month", "to_month", "from_response", "to_response", "patients"]


def _transitions(courses: pd.DataFrame, involved: dict[str, int], months: tuple[int, ...]) -> pd.DataFrame:
    """Patients per domain and response at each month and the next ("missing" when not
    seen or without a response): every involved patient, those never seen at any
    reported month included (``courses`` holds those seen at some month)."""
    labels = np.array([MISSING, CR, PR, NR], dtype=object)
    codes = {value: k for k, value in enumerate(labels) if k}
    rows = []
    for domain in DOMAINS:
        own = courses[courses["domain"] == domain]
        patients = own["patients"].to_numpy(dtype=np.int64)
        never = involved[domain] - int(patients.sum())
        for k, (start, end) in enumerate(zip(months, months[1:])):
            # No response (None) reads as missing, code 0.
            before = np.array([codes.get(r, 0) for r in own[f"response{k}"]], dtype=int)
            after = np.array([codes.get(r, 0) for r in own[f"response{k + 1}"]], dtype=int)
            counts = np.bincount(before * 4 + after, weights=patients, minlength=16).astype(np.int64)
            counts[0] += never  # missing -> missing
            rows += [(domain, start, end, labels[pair // 4], labels[pair % 4], int(n))
                     for pair, n in enumerate(counts) if n > 0]
    out = pd.DataFrame(rows, columns=_TRANSITION_COLUMNS)
    return out.sort_values(["from_month", "to_month", "domain", "from_response", "to_response"],
                           ignore_index=True).astype({"from_month": int, "to_month": int, "patients": int})


def _discordant(visits: pd.DataFrame) -> pd.DataFrame:
    """One row per visit and domain whose recorded response differs from the scored one,
    by patient (in the visits' natural id order), domain and month."""
    patient = pd.factorize(visits["patient_id"])[0]  # rank of first appearance: the query's order
    parts = [pd.DataFrame({"patient": patient, "patient_id": visits["patient_id"], "domain": domain,
                           "month": visits["month"], "recorded": visits[f"{domain}_recorded"],
                           "scored": visits[f"{domain}_scored"]}
                          )[visits[f"{domain}_differs"].to_numpy(dtype=bool)] for domain in DOMAINS]
    out = pd.concat(parts, ignore_index=True).astype(
        {"patient_id": "string", "domain": object, "month": int, "recorded": "string", "scored": "string"})
    return out.sort_values(["patient", "domain", "month"], ignore_index=True)[list(_DISCORDANT_COLUMNS)]


def response(cohort, filter: Filter | None = None, settings: Settings = Settings()) -> ResponseResult:
    """CR / PR / NR per domain and follow-up month, with Wilson 95 % CIs.

    Responses are scored and counted in SQL (``core.queries``: the recorded response,
    else the one scored from raw components by ``cutaneous_response_sql`` /
    ``articular_response_sql``), per domain and course over the reported months.

    Reference: cohort-format.md, "Derived definitions" (response scoring);
    Wilson EB. J Am Stat Assoc 1927;22:209-212 (CIs).
    """
    flt = resolve_filter(cohort, filter)
    months = report_months(cohort, settings)
    con = cohort.con
    heads = queries.involved_query(con, flt, settings).iloc[0]
    analysed = int(heads["analysed"]) if months else 0
    involved = {domain: int(heads[domain]) for domain in DOMAINS}
    courses = _courses(queries.response_courses_query(con, flt, settings, months) if months
                       else pd.DataFrame({"domain": [], "course": [], "patients": []}), months)
    results, rows = [], []
    for domain in DOMAINS:
        own = courses[courses["domain"] == domain]
        for k, month in enumerate(months):
            result = _domain_result(own, k, involved[domain], domain, month, settings)
            results.append(result)
            for category, est in zip(CATEGORIES, (result.cr, result.pr, result.nr)):
                rows.append({"domain": domain, "month": month, "category": category, "n": est.n,
                             "N": est.N, "pct": est.pct, "ci_low": est.ci_low, "ci_high": est.ci_high})
    discordant = _discordant(queries.response_discordant_query(con, flt, settings, months))
    transitions = _transitions(courses, involved, months) if len(months) > 1 else \
        pd.DataFrame(columns=_TRANSITION_COLUMNS)
    counts = pd.DataFrame(rows, columns=["domain", "month", "category", "n", "N", "pct", "ci_low", "ci_high"])
    return ResponseResult(
        analysed, months, tuple(results), discordant, counts, transitions, small_n_notes(analysed, settings),
        fetch_patients=lambda: _patient_frame(queries.response_patients_query(con, flt, settings, months)))

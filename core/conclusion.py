"""Key findings in the poster's style, read off the panel results (nothing recomputed).

Each ``Finding`` names a sentence (``conclusion.<key>`` in the catalogues), the numbers
it quotes and the panel they come from; ``render`` writes it in a language. Evaluative
words ("marked and rapid", "more modest", "satisfactory") are used only when the
thresholds of ``THRESHOLDS`` hold; otherwise the sentence states the numbers neutrally.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.filters import Filter
from core.i18n import MISSING, counted, fmt_count, fmt_int, fmt_num, fmt_p, fmt_pct, t
from core.populations import Baseline, Populations, baseline, populations
from core.response import ResponseResult, response
from core.safety import Safety, safety
from core.settings import Settings
from core.stats import Proportion
from core.steroids import Steroids, steroids

# When the poster's evaluative wording applies. Percentages are of patients with a
# response (CR + PR) among those assessed; below ``Settings.small_n`` patients the
# sentence stays neutral whatever the percentages.
THRESHOLDS = {
    # Share with >= 2 prior treatment lines for "often multi-refractory".
    "multirefractory_pct": 50.0,
    # Overall cutaneous response at the first follow-up month for "marked and rapid".
    "rapid_marked_pct": 70.0,
    # Percentage points: the articular response "more modest" when this far below the
    # cutaneous one at the first month, "later" when it rises this much afterwards (a
    # smaller difference is within what a cohort varies by, at registry scale too).
    "articular_gap_pts": 10.0,
    "later_rise_pts": 10.0,
}


@dataclass(frozen=True)
class Finding:
    """One sentence of the conclusion: catalogue key, quoted values, source panel.

    ``params`` values are ints, floats, None or ``Proportion`` (written n/N (%));
    ``basis`` is the panel the numbers come from (cohort, response, steroids, safety).
    """

    key: str
    params: dict
    basis: str


@dataclass(frozen=True)
class Conclusion:
    """The findings of a (sub)cohort, in the poster's order. ``response_rows``: each
    domain and month's (CR, PR, NR), for small-cell suppression of the response
    findings (``response_params``)."""

    treated: int
    analysed: int
    findings: tuple[Finding, ...]
    notes: tuple[str, ...]
    response_rows: tuple[tuple[tuple[str, int], tuple[int, int, int]], ...] = ()

    def get(self, domain: str) -> Finding:
        """The finding of ``domain`` (population, cutaneous, articular, steroids, safety)."""
        return next(f for f in self.findings if f.key.split(".")[0] == domain)


def conclusion(cohort, filter: Filter | None = None, settings: Settings = Settings()) -> Conclusion:
    """The poster's conclusion recomputed for ``cohort`` and the subgroup ``filter``."""
    return conclude(populations(cohort, filter, settings), baseline(cohort, filter, settings),
                    response(cohort, filter, settings), steroids(cohort, filter, settings),
                    safety(cohort, filter, settings), settings)


def conclude(pops: Populations, base: Baseline, resp: ResponseResult, ster: Steroids, safe: Safety,
             settings: Settings = Settings()) -> Conclusion:
    """The conclusion read off panel results already computed (a page that has them)."""
    findings = (
        population_finding(base),
        cutaneous_finding(resp, settings),
        articular_finding(resp, settings),
        steroid_finding(ster, settings),
        safety_finding(safe, settings),
    )
    rows = tuple(((r.domain, r.month), (r.cr.n, r.pr.n, r.nr.n)) for r in resp.results)
    return Conclusion(pops.treated, pops.analysed, findings, pops.notes, rows)


def response_params(finding: Finding) -> dict[str, tuple[str, int, str]]:
    """Per ``Proportion`` of a response finding, the row it quotes: (domain, month,
    ``"overall"`` (CR + PR) or ``"CR"``). ``overall_first``, ``cr_later``: the finding's
    domain at ``month_first`` / ``month_later``; ``cut_first``: cutaneous."""
    if finding.basis != "response":
        return {}
    domain, quoted = finding.key.split(".")[0], {}
    for name, value in finding.params.items():
        if isinstance(value, Proportion):
            kind, _, when = name.partition("_")
            quoted[name] = ("cutaneous" if kind == "cut" else domain, finding.params.get(f"month_{when}"),
                            "CR" if kind == "cr" else "overall")
    return quoted


def population_finding(base: Baseline) -> Finding:
    """How many analysed patients had received >= 2 prior treatment lines."""
    share = base.table.row("prior_lines_2plus").overall
    if share.N == 0:
        return Finding("population.no_data", {}, "cohort")
    often = share.pct >= THRESHOLDS["multirefractory_pct"]
    return Finding("population.multirefractory" if often else "population.pretreated",
                   {"n": share.n, "prior_2plus": share}, "cohort")


def cutaneous_finding(resp: ResponseResult, settings: Settings) -> Finding:
    """Cutaneous response (overall and complete) at the first and the later month."""
    if not resp.months:
        return Finding("cutaneous.no_data", {}, "response")
    first, later = resp.months[0], _later_month(resp.months, settings)
    a, b = resp.get("cutaneous", first), resp.get("cutaneous", later)
    if a.N == 0 and b.N == 0:
        return Finding("cutaneous.no_data", {}, "response")
    rapid = a.N >= settings.small_n and a.overall.pct >= THRESHOLDS["rapid_marked_pct"]
    params = {"month_first": first, "overall_first": a.overall, "cr_first": a.cr}
    key = "cutaneous.marked_rapid" if rapid else "cutaneous.observed"
    if later == first:  # one follow-up month reported: quoted once
        return Finding(f"{key}_single", params, "response")
    params |= {"month_later": later, "overall_later": b.overall, "cr_later": b.cr}
    return Finding(key, params, "response")


def articular_finding(resp: ResponseResult, settings: Settings) -> Finding:
    """Articular response, "more modest" when at least ``articular_gap_pts`` below the
    cutaneous one at the first month and "later" when it rises by at least
    ``later_rise_pts`` from the first to the later month (``THRESHOLDS``)."""
    if not resp.months:
        return Finding("articular.no_data", {}, "response")
    first, later = resp.months[0], _later_month(resp.months, settings)
    a, b, cut = resp.get("articular", first), resp.get("articular", later), resp.get("cutaneous", first)
    if a.N == 0 and b.N == 0:
        return Finding("articular.no_data", {}, "response")
    enough = a.N >= settings.small_n
    modest = (enough and cut.N >= settings.small_n
              and cut.overall.pct - a.overall.pct >= THRESHOLDS["articular_gap_pts"])
    rising = enough and b.N >= settings.small_n and b.overall.pct - a.overall.pct >= THRESHOLDS["later_rise_pts"]
    key = {(True, True): "modest_later", (True, False): "modest", (False, True): "later",
           (False, False): "observed"}[(modest, rising)]
    params = {"month_first": first, "overall_first": a.overall, "cut_first": cut.overall}
    if later == first:  # one follow-up month reported (never "later"): quoted once
        return Finding(f"articular.{key}_single", params, "response")
    params |= {"month_later": later, "overall_later": b.overall}
    return Finding(f"articular.{key}", params, "response")


def steroid_finding(ster: Steroids, settings: Settings) -> Finding:
    """Median prednisone-equivalent dose at M0 and the later month, stops, Wilcoxon p.

    "Possible sparing" when the median dose among patients on corticosteroids is lower
    at the later month, or some patient on them at M0 has stopped.
    """
    m0 = ster.at(settings.baseline_month)
    followup = tuple(m for m in ster.months if m != settings.baseline_month)
    if not followup or m0.known == 0:
        return Finding("steroids.no_data", {}, "steroids")
    if m0.on_cs.n == 0:
        return Finding("steroids.none_at_m0", {"month0": settings.baseline_month}, "steroids")
    later = ster.at(_later_month(followup, settings))
    lower = later.dose.median is not None and later.dose.median < m0.dose.median
    stopped = later.stopped or Proportion(0, 0, None, None, None)
    params = {"month0": settings.baseline_month, "median_m0_mg": m0.dose.median,
              "month_later": later.month, "median_later_mg": later.dose.median,
              "stopped": stopped, "p": later.test.p_value if later.test else None,
              # What the test read, for small-cell suppression (rule 12); no sentence writes them.
              "test_pairs": later.test.N if later.test else 0, "test_unchanged": later.zero_differences or 0}
    key = "steroids.possible_sparing" if lower or stopped.n > 0 else "steroids.no_sparing"
    return Finding(key, params, "steroids")


def safety_finding(safe: Safety, settings: Settings) -> Finding:
    """Infections, severe infections and VZV among treated patients.

    "Satisfactory" when no patient had a severe infection or a VZV infection.
    """
    if safe.N == 0:
        return Finding("safety.no_data", {}, "safety")
    if not safe.events_recorded:
        return Finding("safety.no_events", {"treated": safe.N}, "safety")
    params = {"infection": safe.infection, "severe": safe.severe_infection, "vzv": safe.vzv}
    clean = safe.severe_infection.n == 0 and safe.vzv.n == 0
    key = "safety.satisfactory" if clean and safe.N >= settings.small_n else "safety.observed"
    return Finding(key, params, "safety")


def render(finding: Finding, lang: str) -> str:
    """The finding's sentence in ``lang``, its numbers written the locale's way."""
    values = {name: _format(name, value, lang) for name, value in finding.params.items()}
    return t(f"conclusion.{finding.key}", lang, **values)


def _format(name: str, value, lang: str) -> str:
    if name == "p":
        return _format_p(value, lang)
    if name == "treated":  # the count with its noun: 1 treated patient, < 5 treated patients
        if value == t("suppression.hidden", lang):  # hidden by small-cell suppression
            return t("count.treated_patients_hidden", lang)
        return counted(value, "treated_patients", lang)
    if value is None:
        return MISSING
    if isinstance(value, Proportion):
        return fmt_count(value.n, value.N, value.pct, lang)
    if name.startswith("month"):
        return f"M{value:g}"
    if name.endswith("_pct"):
        return fmt_pct(value, lang)
    if isinstance(value, float):
        return fmt_num(value, lang)
    if isinstance(value, int) and not isinstance(value, bool):
        return fmt_int(value, lang)
    return str(value)


def _format_p(p: float | str | None, lang: str) -> str:
    # Inside a sentence "no test" reads better than the tables' em dash; a hidden p-value
    # (small-cell suppression) comes written.
    if isinstance(p, str):
        return p
    return t("conclusion.p_none", lang) if p is None else fmt_p(p, lang)


def _later_month(months: tuple[int, ...], settings: Settings) -> int:
    """The poster's last month (M6) when reported, else the last reported month."""
    last_poster = max(settings.poster_months, default=None)
    return last_poster if last_poster in months else months[-1]

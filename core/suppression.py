"""Small-cell suppression for public display (``Settings.min_cell`` = k; 0 or 1: off).

The rule, in one place:

1. **Primary.** A count from 1 to k - 1 is not shown: pages and exports write
   ``< k``, the ``summarize`` JSON writes ``null`` and marks its object
   ``"suppressed": true``. Its percentage and confidence interval are hidden with it.
   0 is shown (nobody), and so is every count of k or more.
2. **Denominators.** A denominator N (a population size) is shown, unless N itself is
   from 1 to k - 1: then N and every count over it are suppressed.
3. **Secondary.** Cells of a row that sums to a shown total (CR + PR + NR = N; the
   ↓ ↑ → (?) of a marker; a count n and its complement N - n) must not give a
   suppressed cell back by subtraction, nor the sum of the suppressed cells: the total
   less the shown cells. While the suppressed cells of such a row sum to 1 to k - 1,
   its smallest other non-zero cell is suppressed too ("hidden"); when there is none
   left, the total is. So ``21/22`` is hidden (22 - 21 = 1 patient), and CR / PR / NR
   = 10 / 3 / 1 of N = 14 at k = 5 is hidden whole (14 - 10 would give PR + NR = 4).
4. **Per-patient listings** (patient ids with events, excluded patients, discordant
   responses, per-patient charts) are withheld: each row is one patient.
5. **Missing values.** A row whose N leaves out the patients with a missing value is a
   part of a shown total T: Table 1's rows and the M0 statuses (T = the analysed N),
   the dose's N (T = the patients on corticosteroids), a dose share's N (T = the
   patients with a known dose). Its row is (n, N - n, T - N). When the missing T - N
   is from 1 to k - 1, N is hidden with the percentage and CI (they give N back);
   N - n goes with it, so the second hidden cell comes free, and n is then a count out
   of T: shown unless rules 1 and 3 hide it there (n or T - n from 1 to k - 1). A mean
   or median stays; only its N goes. So articular involvement ``12/21`` among 22
   analysed is written ``12/hidden``, and ``19/21`` is hidden whole (22 - 19 = 3). N
   is hidden too when it equals a hidden T (n then stays unless small or equal to N),
   and the known of a marker's arrows (↓ ↑ → out of N less the unknown) goes whenever
   its unknown is hidden. A dose share's N among hidden known doses is thus shown unless
   it equals them (``part_of``, for the summary and the pages alike).
6. **Exclusions.** The analysed and the excluded patients sum to the treated: when the
   excluded count (treated - analysed) is from 1 to k - 1, the total, the treated
   count, is hidden rather than the other cell (the analysed count is every efficacy
   denominator, and each complete Table 1 row gives it back). With it go the
   denominators that are the treated count (the safety population) with their
   percentages and CIs; their counts stay as rule 5 says (hidden when equal to it).
7. **Status changes.** The paired patients of a marker at a month are positive at M0
   or negative at M0 (the resolved's N and the appeared's N): a row (positive at M0,
   paired - positive at M0) summing to the shown paired count, under rules 1 and 3.
   A hidden N hides its share's N (the share's n stays unless small or equal to it).
   Positive at the month (positive at M0 - resolved + appeared) is hidden whenever
   positive at M0, the resolved or the appeared count is. ``status_change_mask``.
8. **Response.** CR + PR is a part of the row CR / PR / NR = N: it is hidden when
   exactly one of CR and PR is, when NR is (N - (CR + PR) = NR), and when it or NR is
   from 1 to k - 1 (its n/N row). Each of CR, PR, NR is also an n over N with its
   complement (CR against PR + NR): hidden when the complement is from 1 to k - 1.
   ``response_mask``, wherever CR + PR or CR is written (the conclusion's findings too).
9. **No grouped Table 1.** Table 1 split by a column (centre, sex, an extra column) is
   not offered while suppression is on: the groups' counts sum to the overall ones, so
   each group column, masked on its own, could give a hidden count back (Lille 6/14
   beside 9/22 overall gives Boulogne's 3; a group of women 21/21 gives the one man).
   ``grouping_allowed``.

10. **Paired tests.** A Wilcoxon test's unchanged pairs and the changed ones sum to its
   N pairs: the unchanged count is an n over N (rules 1 and 3), hidden when it or the
   changed count is from 1 to k - 1 (``N = 19 pairs, hidden unchanged`` at k = 11: 19 -
   11 = 8). The summary writes the pairs but not the unchanged ones.
   ``unchanged_hidden``, for the steroids page and the exports.
11. **Rates.** A rate is its count over an exposure that is shown (infections per 100
   patient-years beside the follow-up in patient-months): it is hidden with its count,
   which the rate times the exposure gives back (63.2 per 100 patient-years over 57
   patient-months: 3 events). A count of events is a count over the safety
   population: hidden with it when it is from 1 to k - 1 (rule 2; 7 infections among
   1 man would say he had one), and the rate with it. ``events_hidden``.
12. **Tests.** A p-value is a function of the counts its test reads, and gives a
   hidden one back: McNemar's exact p of the discordant pairs (0.500 only fits 2
   resolved and 0 appeared), a Wilcoxon p of its changed pairs. A McNemar p goes with a
   hidden resolved or appeared count (rule 7), a Wilcoxon p with hidden pairs or hidden
   unchanged pairs (rule 10): written as the hidden word, ``null`` in the summary.
   ``mcnemar_hidden``, ``wilcoxon_hidden``.

A percentage or CI is never shown without its count: it goes wherever the count goes
(a tile's percentage with the ``n/N`` under it, a sentence's with its ``n/N``).

Panels compute as always; this module masks their numbers afterwards, at the summary
(``suppress_summary``) and display (``mask_text``, ``mask_frame``) level.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd


def active(k: int | None) -> bool:
    """Whether suppression with threshold ``k`` masks anything."""
    return bool(k) and k >= 2


def grouping_allowed(k: int | None) -> bool:
    """Whether Table 1 may be split by a column under threshold ``k`` (rule 9): only
    without suppression."""
    return not active(k)


def small(n, k: int) -> bool:
    """``n`` is a count from 1 to k - 1 (the primary rule)."""
    return active(k) and isinstance(n, (int, float)) and not isinstance(n, bool) and 1 <= n < k


def row_mask(cells: Sequence[int], k: int) -> tuple[tuple[bool, ...], bool]:
    """Which cells of a row summing to a shown total to suppress, and whether the
    total must go too (rules 1 and 3): the suppressed cells sum to 0 or to k or more.
    ``cells`` are non-negative counts."""
    hidden = [small(c, k) for c in cells]
    withheld = sum(c for c, h in zip(cells, hidden) if h)
    # The smallest non-zero cells first: as few patients as possible leave the table.
    for c, i in sorted((c, i) for i, c in enumerate(cells) if not hidden[i] and c > 0):
        if not small(withheld, k):
            break
        hidden[i], withheld = True, withheld + c
    return tuple(hidden), small(withheld, k)


@dataclass(frozen=True)
class Masked:
    """A count over a denominator after suppression: ``n`` / ``N`` are None when hidden;
    ``primary`` says n or N itself was small (shown ``< k``), else what is hidden was
    hidden to protect another cell ("hidden")."""

    n: int | None
    N: int | None
    suppressed: bool
    primary: bool


def part_hidden(part: int, whole: int | None, k: int, whole_hidden: bool = False) -> bool:
    """Whether a count that is a part of another (a row's N of the analysed patients,
    the dose's N of the patients on corticosteroids) must be hidden: it is small (rule
    2), the rest ``whole - part`` is (rule 5), or it equals a hidden whole."""
    if not active(k):
        return False
    if small(part, k):
        return True
    if whole is None:
        return False
    return part == whole if whole_hidden else small(whole - part, k)


def part_of(N: int, total: int, k: int, total_hidden: bool = False) -> tuple[int | None, bool]:
    """``(total, hide_N)`` for ``suppress_count`` of a count whose N is a part of
    ``total`` (rule 5): against the shown total, or, when the total is hidden itself,
    N hidden only when it equals it (``part_hidden``). The one decision for the summary
    and the pages (a dose share's N among the patients with a known dose)."""
    if total_hidden:
        return None, part_hidden(N, total, k, True)
    return total, False


def suppress_count(n: int, N: int, k: int, total: int | None = None, hide_N: bool = False) -> Masked:
    """``n`` out of ``N`` under threshold ``k``: rules 1 to 3 with the row (n, N - n).
    ``total``: the shown count that N is a part of (the analysed patients, for a row
    that leaves out missing values: rule 5); ``hide_N``: N is hidden by another rule
    (the treated count, rule 6, or a part of a hidden whole). When N goes, n is a count
    out of ``total`` (rule 5), or without one stays unless small or equal to N."""
    if not active(k):
        return Masked(n, N, False, False)
    if small(N, k):
        return Masked(None, None, True, True)
    if hide_N or (total is not None and part_hidden(N, total, k)):
        if total is None:  # N hidden with its whole: nothing to take n from
            hide_n = small(n, k) or (n == N and n > 0)
        else:  # n out of the shown total, against its complement there
            (hide_n, _), _ = row_mask((n, max(total - n, 0)), k)
        return Masked(None if hide_n else n, None, True, small(n, k))
    (hide_n, _), _ = row_mask((n, max(N - n, 0)), k)
    return Masked(None if hide_n else n, N, hide_n, small(n, k))


def dose_n_hidden(dose_N: int, on_cs_n: int, on_cs_N: int, k: int, total: int | None = None) -> bool:
    """Whether the dose's N, the patients on corticosteroids with a known dose, is hidden
    (rule 5): a part of the ``on_cs_n`` patients on corticosteroids out of ``on_cs_N``
    (themselves a part of ``total``, the analysed patients, at the baseline month),
    whether that count is shown or hidden. The one decision for the summary, Table 1 and
    the steroids page."""
    on_cs_hidden = suppress_count(on_cs_n, on_cs_N, k, total).n is None
    return part_hidden(dose_N, on_cs_n, k, on_cs_hidden)


def response_mask(cr: int, pr: int, nr: int, k: int) -> tuple[bool, bool, bool, bool]:
    """Whether CR, PR, NR and CR + PR are hidden, out of N = CR + PR + NR (rules 1 to 3
    and 8); N itself goes when small (rule 2). The one decision for the summary, the
    page and the exports."""
    if not active(k):
        return False, False, False, False
    cells = (cr, pr, nr)
    N = sum(cells)
    hidden = [c > 0 and (h or small(N - c, k)) for c, h in zip(cells, row_mask(cells, k)[0])]
    overall = suppress_count(cr + pr, N, k).suppressed or hidden[2] or hidden[0] != hidden[1]
    return hidden[0], hidden[1], hidden[2], overall


@dataclass(frozen=True)
class StatusMask:
    """A marker's paired status change under suppression (rule 7): what is hidden."""

    positive_m0: bool
    negative_m0: bool
    resolved: Masked
    appeared: Masked
    positive_mk: bool


def status_change_mask(paired: int, positive_m0: int, resolved: int, appeared: int, k: int) -> StatusMask:
    """Rule 7 for one marker and month: positive and negative at M0 as a row of the
    paired count, the resolved out of the positive, the appeared out of the negative, and
    positive at the month (positive at M0 - resolved + appeared). The one decision for
    the summary, the page and the exports."""
    negative = paired - positive_m0
    (hide_pos, hide_neg), _ = row_mask((positive_m0, max(negative, 0)), k)
    res = suppress_count(resolved, positive_m0, k, hide_N=hide_pos)
    app = suppress_count(appeared, negative, k, hide_N=hide_neg)
    positive_mk = positive_m0 - resolved + appeared
    hide_mk = active(k) and (hide_pos or res.n is None or app.n is None or small(positive_mk, k))
    return StatusMask(hide_pos, hide_neg, res, app, hide_mk)


def unchanged_hidden(pairs: int, unchanged: int, k: int) -> bool:
    """Whether a paired test's unchanged pairs are hidden (rule 10): the row (unchanged,
    changed) of its ``pairs`` under rules 1 and 3."""
    return suppress_count(unchanged, pairs, k).n is None


def mcnemar_hidden(mask: StatusMask) -> bool:
    """Whether a status change's McNemar p-value is hidden (rule 12): with its resolved
    or appeared count (``status_change_mask``)."""
    return mask.resolved.n is None or mask.appeared.n is None


def wilcoxon_hidden(pairs: int, unchanged: int, k: int) -> bool:
    """Whether a Wilcoxon test's p-value is hidden (rule 12): with its pairs (from 1 to
    k - 1) or its unchanged pairs (``unchanged_hidden``)."""
    return active(k) and (small(pairs, k) or unchanged_hidden(pairs, unchanged, k))


def events_hidden(events: int, population: int, k: int) -> bool:
    """Whether a count of ``events`` among a safety ``population`` is hidden (rules 1,
    2 and 11): either from 1 to k - 1. A rate of these events over a shown exposure
    goes with it."""
    return small(events, k) or small(population, k)


def hide_treated(treated: int, analysed: int, k: int) -> bool:
    """Whether the treated count is hidden (rule 6): the excluded patients, treated -
    analysed, are from 1 to k - 1 (and the treated count is not itself small)."""
    return active(k) and not small(treated, k) and small(treated - analysed, k)


# --- the summarize document -------------------------------------------------------

_SHIFT_KEYS = ("down", "up", "stable", "unknown")
_RESPONSE_KEYS = ("CR", "PR", "NR")
# Scalar counts under these keys (anywhere) are suppressed when small.
_COUNT_KEYS = {"treated", "analysed", "paired", "positive_M0", "involved", "seen", "scored", "unknown",
               "infection_events", "events", "patients", "activated_M0", "paired_N"}
_STATISTICS = ("mean", "sd", "median", "q1", "q3", "pct", "ci_low", "ci_high", "p_value")
# Lists of per-patient rows (rule 4), as paths in the document.
_LISTINGS = (("populations", "excluded"), ("discordant_responses",), ("safety", "visceral_events"),
             ("details", "population_flags"))


def suppress_summary(doc: dict, k: int, unchanged: Mapping[str, int] | None = None) -> dict:
    """A ``cohort-summary/1`` document with every count from 1 to k - 1 suppressed
    (a new document; ``doc`` is unchanged). ``details.suppression`` says what was done.
    ``unchanged``: each month's Wilcoxon unchanged pairs (``Mk`` keys), which the
    document does not write and rule 12 reads."""
    if not active(k):
        return doc
    out = _walk(doc, k, ())
    _mask_parts(out, doc, k)
    _mask_status_changes(out, doc, k)
    _mask_wilcoxon(out, doc, k, unchanged or {})
    _mask_response_details(out, doc, k)
    safety, population = _get(doc, ("details", "safety")), _get(doc, ("safety", "N"))
    if isinstance(safety, dict) and events_hidden(safety.get("infection_events"), population, k):
        out["details"]["safety"].update(infection_events=None, infection_rate_per_100py=None, suppressed=True)
        if small(population, k):  # every count of events among fewer than k treated: per type too
            for row in out["details"]["safety"].get("events_by_type") or ():
                row.update(events=None, suppressed=True)
    withheld = []
    for path in _LISTINGS:
        parent = out
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if isinstance(parent, dict) and parent.get(path[-1]):
            parent[path[-1]] = []
            withheld.append(".".join(path))
    out.setdefault("details", {})["suppression"] = {"min_cell": k, "withheld_listings": withheld}
    return out


def _walk(node, k: int, path: tuple):
    if isinstance(node, list):
        return [_walk(item, k, path) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _walk(value, k, (*path, key)) for key, value in node.items()}
    if "n" in out and "N" in out:
        _mask_proportion(out, k)
    elif all(key in out for key in (*_RESPONSE_KEYS, "N")):
        _mask_response_row(out, k)
    elif all(key in out for key in _SHIFT_KEYS):
        _mask_row(out, _SHIFT_KEYS, k)
    for key, value in list(out.items()):
        if (key in _COUNT_KEYS or key == "N" or _is_count_map(path)) and small(value, k):
            out[key] = None
            out["suppressed"] = True
    if "N" in out and out["N"] is None:
        # A summary of fewer than k patients (or of a hidden count) is hidden with them.
        for key in _STATISTICS:
            if key in out:
                out[key] = None
        out["suppressed"] = True
    return out


def _mask_parts(out: dict, doc: dict, k: int) -> None:
    """Rules 5 and 6 on the walked document ``out``, from the numbers of ``doc``: rows
    that leave out missing values among the analysed, the dose's N among the patients on
    corticosteroids, and the treated count when few patients are excluded."""
    analysed = (doc.get("populations") or {}).get("analysed")
    if not isinstance(analysed, int):
        return
    baseline, out_baseline = doc.get("baseline") or {}, out.get("baseline") or {}
    for name, row in baseline.items():
        if name != "cs_dose_mg":
            out_baseline[name] = _part_of(row, out_baseline[name], analysed, k)
    if "cs_dose_mg" in baseline and "corticosteroids" in baseline:
        out_baseline["cs_dose_mg"] = _dose_part(baseline["cs_dose_mg"], out_baseline["cs_dose_mg"],
                                                baseline["corticosteroids"], k, analysed)
    for path in (("anti_dsdna", "elevated_M0"), ("details", "ifn_positive_M0")):
        if isinstance(_get(doc, path), dict):
            _put(out, path, _part_of(_get(doc, path), _get(out, path), analysed, k))
    _mask_steroid_parts(out, doc, analysed, k)
    # Patients involved in a domain at M0 are Table 1's n of that domain.
    for domain, months in ((_get(doc, ("details", "response")) or {}).items()):
        row = out_baseline.get(domain)
        if not isinstance(row, dict) or row.get("n") is not None or not baseline.get(domain):
            continue
        for month, figures in months.items():
            target = out["details"]["response"][domain][month]
            for key in ("involved", "seen"):
                if isinstance(figures.get(key), int) and part_hidden(figures[key], baseline[domain]["n"], k, True):
                    target[key] = None
                    target["suppressed"] = True
    treated = doc["populations"].get("treated")
    if isinstance(treated, int) and hide_treated(treated, analysed, k):
        out["populations"].update(treated=None, suppressed=True)
        safety, out_safety = doc.get("safety") or {}, out.get("safety")
        if isinstance(out_safety, dict) and safety.get("N") == treated:
            out_safety.update(N=None, suppressed=True)
            for name, value in safety.items():
                if isinstance(value, dict) and value.get("N") == treated:
                    out_safety[name] = _count_object(value, out_safety[name], k, hide_N=True)
            infection = _get(doc, ("details", "safety", "infection"))
            if isinstance(infection, dict) and infection.get("N") == treated:
                _put(out, ("details", "safety", "infection"),
                     _count_object(infection, _get(out, ("details", "safety", "infection")), k, hide_N=True))


def _mask_steroid_parts(out: dict, doc: dict, analysed: int, k: int) -> None:
    """At M0, on corticosteroids among the analysed (rule 5); every month, the dose's N
    among the patients on corticosteroids and the shares at or under a threshold among
    the patients with a known dose."""
    months = doc.get("steroids") or {}
    for index, (month, figures) in enumerate(months.items()):
        target = out["steroids"][month]
        if index == 0 and isinstance(figures.get("on_cs"), dict):  # the baseline month
            target["on_cs"] = _part_of(figures["on_cs"], target["on_cs"], analysed, k)
        on_cs, shown = figures.get("on_cs") or {}, target.get("on_cs") or {}
        if "N" in figures:
            out["steroids"][month] = _dose_part(figures, target, on_cs, k, analysed if index == 0 else None)
        shares = _get(doc, ("details", "steroids", month)) or {}
        for name, share in shares.items():
            if name.startswith("at_or_under_") and isinstance(share, dict) and isinstance(on_cs.get("N"), int):
                path = ("details", "steroids", month, name)
                _put(out, path, _part_of(share, _get(out, path), on_cs["N"], k, shown.get("N") is None))


def _mask_status_changes(out: dict, doc: dict, k: int) -> None:
    """Rule 7 on ``status_change`` (and the complement's normalised counts, its resolved)."""
    for marker, months in (doc.get("status_change") or {}).items():
        for month, figures in months.items():
            counts = (figures.get("paired"), figures.get("positive_M0"),
                      (figures.get("resolved") or {}).get("n"), (figures.get("appeared") or {}).get("n"))
            if not all(isinstance(c, int) for c in counts):
                continue
            mask = status_change_mask(*counts, k)
            test = _get(out, ("details", "mcnemar", marker, month))
            if mcnemar_hidden(mask) and isinstance(test, dict):  # rule 12
                test.update(p_value=None, suppressed=True)
            target = out["status_change"][marker][month]
            if mask.positive_m0:
                target.update(positive_M0=None, suppressed=True)
            for key in ("resolved", "appeared"):
                m = getattr(mask, key)
                if m.suppressed:
                    target[key] = {**target[key], "n": m.n, "N": m.N, "suppressed": True}
                    target["suppressed"] = True
            normalised = f"normalised_{month}"
            if marker == "complement" and mask.resolved.n is None and normalised in (out.get("complement") or {}):
                out["complement"].update({normalised: None, "suppressed": True})


def _mask_wilcoxon(out: dict, doc: dict, k: int, unchanged: Mapping[str, int]) -> None:
    """Rule 12 on each month's Wilcoxon p-value (``details.steroids``)."""
    for month, figures in (_get(doc, ("details", "steroids")) or {}).items():
        pairs = figures.get("paired_N")
        if isinstance(pairs, int) and wilcoxon_hidden(pairs, unchanged.get(month, 0), k):
            out["details"]["steroids"][month].update(wilcoxon_p=None, suppressed=True)


def _mask_response_row(obj: dict, k: int) -> None:
    """Rules 2, 3 and 8 on ``{"CR", "PR", "NR", "N"}``."""
    cells = [obj[key] for key in _RESPONSE_KEYS]
    if not all(isinstance(c, int) for c in cells):
        return
    for key, hide in zip(_RESPONSE_KEYS, response_mask(*cells, k)[:3]):
        if hide:
            obj[key] = None
            obj["suppressed"] = True
    if small(obj["N"], k):
        obj["N"] = None


def _mask_response_details(out: dict, doc: dict, k: int) -> None:
    """Rule 8 on ``details.response``: CR + PR and CR as the response row decides."""
    for domain, months in (doc.get("response") or {}).items():
        for month, row in months.items():
            cells = [row.get(key) for key in _RESPONSE_KEYS]
            target = _get(out, ("details", "response", domain, month))
            if not all(isinstance(c, int) for c in cells) or not isinstance(target, dict):
                continue
            hide_cr, _, _, hide_overall = response_mask(*cells, k)
            for key, hide in (("overall", hide_overall), ("CR", hide_cr)):
                if hide and isinstance(target.get(key), dict):
                    target[key] = {**target[key], "n": None, "suppressed": True,
                                   **{s: None for s in ("pct", "ci_low", "ci_high") if s in target[key]}}
                    target["suppressed"] = True


def _dose_part(dose: dict, walked: dict, on_cs: dict, k: int, total: int | None) -> dict:
    """The dose's statistics ``dose`` (already walked: ``walked``) with its N hidden as
    ``dose_n_hidden`` says, among the patients on corticosteroids ``on_cs`` (``{"n",
    "N"}``, a part of ``total`` or not)."""
    N, n, of = dose.get("N"), on_cs.get("n"), on_cs.get("N")
    if not all(isinstance(v, int) for v in (N, n, of)) or small(N, k) or not dose_n_hidden(N, n, of, k, total):
        return walked
    return {**walked, "N": None, "suppressed": True}


def _part_of(orig: dict, walked: dict, total, k: int, total_hidden: bool = False) -> dict:
    """The summary object ``orig`` (already walked: ``walked``) whose N is a part of
    ``total`` (rule 5): a count object recomputed from its numbers, a statistic's N
    hidden with its statistics kept."""
    N = orig.get("N")
    if not isinstance(N, int) or not isinstance(total, int) or small(N, k):
        return walked
    if "n" in orig:
        return _count_object(orig, walked, k, *part_of(N, total, k, total_hidden))
    return {**walked, "N": None, "suppressed": True} if part_hidden(N, total, k, total_hidden) else walked


def _count_object(orig: dict, walked: dict, k: int, total: int | None = None, hide_N: bool = False) -> dict:
    """``{"n", "N", "pct", ...}`` under ``suppress_count`` with ``total`` and ``hide_N``."""
    n, N = orig.get("n"), orig.get("N")
    if not isinstance(n, int) or not isinstance(N, int):
        return walked
    masked = suppress_count(n, N, k, total, hide_N)
    if not masked.suppressed:
        return walked
    out = {**walked, "n": masked.n, "N": masked.N, "suppressed": True}
    for key in ("pct", "ci_low", "ci_high"):
        if key in out:
            out[key] = None
    return out


def _get(doc, path: tuple):
    for key in path:
        doc = doc.get(key) if isinstance(doc, dict) else None
    return doc


def _put(doc: dict, path: tuple, value) -> None:
    parent = _get(doc, path[:-1])
    if isinstance(parent, dict):
        parent[path[-1]] = value


def _is_count_map(path: tuple) -> bool:
    # followup: {"M0": 22, ...}; complement: {"activated_M0": 3, "normalised_M6": 3}
    return path in (("followup",), ("complement",))


def _mask_proportion(obj: dict, k: int) -> None:
    """The count object ``obj`` masked in place by rules 1 to 3 (``_count_object``)."""
    obj.update(_count_object(obj, obj, k))


def _mask_row(obj: dict, keys: tuple[str, ...], k: int) -> None:
    """The ``keys`` cells of ``obj`` masked as one row by rules 1 and 3 (``row_mask``)."""
    cells = [obj[key] for key in keys]
    if not all(isinstance(c, int) for c in cells):
        return
    hidden, _ = row_mask(cells, k)
    for key, hide in zip(keys, hidden):
        if hide:
            obj[key] = None
            obj["suppressed"] = True


# --- display text -----------------------------------------------------------------

# ``n/N``, its percentage ``(95.5%)`` / ``(95,5 %)`` and a CI that follows it.
_NUM = r"-?\d+(?:[.,]\d+)?"
_COUNT = re.compile(
    rf"(?<![\w/.])(\d+)/(\d+)(?![\w/])"
    rf"(?:\s*\({_NUM}\s?\u202f?%\))?"
    rf"(?:\s*(?:·\s*)?(?:95% CI|IC 95\u202f%) {_NUM} (?:to|à) {_NUM}(?: \(Wilson\))?)?"
)


def less_than(k: int) -> str:
    """How a suppressed count is written: ``< 5``."""
    return f"< {k}"


def written(masked: Masked, k: int, hidden: str = "", n_of_hidden: Callable[[int], str] | None = None) -> str:
    """How a suppressed ``n/N (pct) CI`` is written: ``< k`` when n or N is small,
    ``hidden`` when n is hidden to protect another cell, ``n/hidden`` when only N is
    (rules 5 and 6; ``n_of_hidden(n)`` instead when given). Without a ``hidden`` word,
    ``< k`` stands for all three."""
    if not hidden:
        return less_than(k)
    if masked.n is None:
        return less_than(k) if masked.primary else hidden
    return f"{masked.n}/{hidden}" if n_of_hidden is None else n_of_hidden(masked.n)


def mask_text(text: str, k: int, hidden: str = "", total: int | None = None, hide_N: bool = False,
              n_of_hidden: Callable[[int], str] | None = None) -> str:
    """``text`` with every ``n/N (pct) CI`` that must be suppressed (``suppress_count``,
    with ``total`` and ``hide_N``) written as ``written`` says: ``< k``, ``hidden`` or
    ``n/hidden`` (or ``n_of_hidden(n)``), without its percentage and CI."""
    if not active(k) or not isinstance(text, str) or "/" not in text:
        return text

    def replace(match: re.Match) -> str:
        masked = suppress_count(int(match.group(1)), int(match.group(2)), k, total, hide_N)
        return written(masked, k, hidden, n_of_hidden) if masked.suppressed else match.group(0)

    return _COUNT.sub(replace, text)


def mask_cell(value, k: int, hidden: str = "", hide_N: bool = False):
    """One table cell: text through ``mask_text``; a whole number from 1 to k - 1 as ``< k``."""
    if isinstance(value, str):
        if value.strip().isdigit():
            return less_than(k) if small(int(value), k) else value
        return mask_text(value, k, hidden, hide_N=hide_N)
    if small(value, k) and float(value).is_integer():
        return less_than(k)
    return value


def mask_frame(frame: pd.DataFrame, k: int, count_columns: Sequence[str] = (), hidden: str = "",
               rows: Sequence[Sequence[str]] = (), hide_N: bool = False) -> pd.DataFrame:
    """A display table with its counts masked: text cells holding ``n/N`` anywhere, and
    the whole numbers of ``count_columns``. ``rows`` lists groups of columns whose
    ``n/N`` cells sum to a shown total per row (CR / PR / NR): secondary suppression
    applies across them. ``hide_N``: every N of the table is a hidden count (the
    treated patients, rule 6). Other numbers (months, doses, ages) are left alone."""
    if not active(k) or frame.empty:
        return frame
    out = frame.copy()
    for group in rows:
        group = [c for c in group if c in out.columns]
        for index in out.index:
            counts = [_count_of(out.at[index, c]) for c in group]
            if any(c is None for c in counts):
                continue
            hide, _ = row_mask(counts, k)
            for column, count, h in zip(group, counts, hide):
                if h:
                    out.at[index, column] = less_than(k) if small(count, k) else (hidden or less_than(k))
    for column in out.columns:
        if column in count_columns:
            values = out[column].astype(object).map(lambda v: mask_cell(v, k, hidden, hide_N))
            if any(isinstance(v, str) for v in values):  # one type per column (Arrow, Excel)
                values = values.map(lambda v: "" if v is None or v != v else str(v))
            out[column] = values
        elif out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: mask_text(v, k, hidden, hide_N=hide_N) if isinstance(v, str) else v)
    return out


def _count_of(cell) -> int | None:
    if isinstance(cell, str):
        match = _COUNT.match(cell)
        return int(match.group(1)) if match else None
    return None

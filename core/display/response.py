"""Response page display: CR / PR / NR per domain and month with CR + PR and its 95 % CI,
and the recorded-versus-scored disagreements."""
from __future__ import annotations

import pandas as pd

from core.display.common import month_label, translated
from core.display.suppressed import hidden_cell
from core.i18n import catalogue, fmt_ci, fmt_count, t
from core.suppression import active, response_mask


def category_label(category: str, lang: str) -> str:
    """CR / PR / NR / missing in ``lang`` (RC / RP / NR in French); other text unchanged."""
    return catalogue(lang).get(f"response.cat.{category}", category)


def overall_frame(results) -> pd.DataFrame:
    """Overall response (CR + PR) per domain and month from ``ResponseResult.results``:
    domain, month, n, N, pct, ci_low, ci_high."""
    rows = [{"domain": r.domain, "month": r.month, "n": r.overall.n, "N": r.overall.N, "pct": r.overall.pct,
             "ci_low": r.overall.ci_low, "ci_high": r.overall.ci_high} for r in results]
    return pd.DataFrame(rows, columns=["domain", "month", "n", "N", "pct", "ci_low", "ci_high"])


def response_hidden(r, k: int = 0) -> dict[str, bool]:
    """Which of CR, PR, NR and CR + PR (``overall``) small-cell suppression ``k`` hides,
    as ``core.suppression``'s ``response_mask`` says (rule 8)."""
    keys = ("CR", "PR", "NR", "overall")
    if not active(k):
        return dict.fromkeys(keys, False)
    return dict(zip(keys, response_mask(r.cr.n, r.pr.n, r.nr.n, k)))


def response_cells(r, lang: str, k: int = 0) -> dict[str, str]:
    """CR, PR, NR as n/N (%) and CR + PR (``overall``) with its 95 % CI, as written; under
    small-cell suppression ``k`` a hidden one (``response_hidden``) is ``< k`` or the
    hidden word, as in the summary."""
    counts = {"CR": r.cr, "PR": r.pr, "NR": r.nr, "overall": r.overall}
    cells = {key: fmt_count(c.n, c.N, c.pct, lang) for key, c in counts.items() if key != "overall"}
    cells["overall"] = " ".join(filter(None, (fmt_count(r.overall.n, r.overall.N, r.overall.pct, lang),
                                              fmt_ci(r.overall.ci_low, r.overall.ci_high, lang))))
    for key, hide in response_hidden(r, k).items():
        if hide:
            cells[key] = hidden_cell(counts[key].n, r.N, k, lang)
    return cells


def response_table(results, lang: str, k: int = 0) -> pd.DataFrame:
    """One row per domain and month: N, CR, PR, NR as n/N (%), CR + PR with its 95 % CI;
    under small-cell suppression ``k`` masked as ``response_cells`` says."""
    rows = []
    for r in results:
        cells = response_cells(r, lang, k)
        rows.append({
            t("response.col.domain", lang): t(f"response.domain.{r.domain}", lang),
            t("response.col.month", lang): month_label(r.month),
            "N": r.N,
            **{t(f"response.cat.{c}", lang): cells[c] for c in ("CR", "PR", "NR")},
            t("response.col.overall", lang): cells["overall"],
            t("response.col.scored", lang): r.scored,
            t("response.col.unknown", lang): r.unknown,
        })
    return pd.DataFrame(rows)


def discordance_table(discordant: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The recorded-versus-scored disagreements (``ResponseResult.discordant``), headers
    and categories translated, in the order given."""
    cols = ("patient", "domain", "month", "recorded", "scored_response")
    frame = pd.DataFrame({
        "patient": discordant["patient_id"].astype("string"),
        "domain": translated(discordant["domain"], lambda d: t(f"response.domain.{d}", lang)),
        "month": "M" + discordant["month"].astype(int).astype(str),
        "recorded": translated(discordant["recorded"], lambda c: category_label(c, lang)),
        "scored_response": translated(discordant["scored"], lambda c: category_label(c, lang)),
    }, columns=list(cols))
    return frame.reset_index(drop=True).rename(columns={c: t(f"response.col.{c}", lang) for c in cols})

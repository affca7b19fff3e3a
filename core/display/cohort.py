"""Cohort page display: the poster's M0 tiles, the baseline table with translated labels
and test names, and the excluded or flagged patients."""
from __future__ import annotations

import pandas as pd

from core.baseline import MEAN_SD, BaselineTable
from core.display.common import Tile, translated
from core.i18n import MISSING, fmt_num, fmt_pct, t
from core.populations import REASONS
from core.stats import Continuous, Proportion


# The poster's M0 tiles, in its order: (baseline variable, label key).
M0_TILES = (
    ("female", "cohort.tile.female"),
    ("age", "cohort.tile.age"),
    ("disease_duration_years", "cohort.tile.duration"),
    ("cutaneous", "cohort.tile.cutaneous"),
    ("articular", "cohort.tile.articular"),
    ("ifn_positive", "cohort.tile.ifn"),
    ("first_line", "cohort.tile.first_line"),
    ("prior_lines_4plus", "cohort.tile.lines_4plus"),
    ("corticosteroids", "cohort.tile.corticosteroids"),
    ("cs_dose_mg", "cohort.tile.cs_dose"),
    ("hcq", "cohort.tile.hcq"),
)
# Test names as core.significance writes them (by their start) -> catalogue key.
_TESTS = (
    ("Fisher", "cohort.test.fisher"),
    ("Wilcoxon rank-sum", "cohort.test.mann_whitney"),
    ("Kruskal", "cohort.test.kruskal"),
    ("Chi", "cohort.test.chi2"),
    ("Pearson", "cohort.test.chi2"),
    ("no test", "cohort.test.none"),
)


def m0_tiles(table: BaselineTable, lang: str) -> tuple[Tile, ...]:
    """The analysed N and the poster's M0 characteristics as tiles."""
    tiles = [Tile(t("cohort.tile.n", lang), str(table.N), t("cohort.tile.n_detail", lang))]
    for variable, key in M0_TILES:
        row = table.row(variable)
        tiles.append(Tile(t(key, lang), *_value_detail(row.overall, row.display, lang)))
    return tuple(tiles)


def _value_detail(est: Proportion | Continuous, display: str, lang: str) -> tuple[str, str]:
    """A proportion as ``95,5 %`` over ``21/22``; a mean over its SD, a median over its
    quartiles, each with N (the tile is too narrow for the whole text on one line)."""
    if isinstance(est, Proportion):
        return fmt_pct(est.pct, lang), f"{est.n}/{est.N}"
    if display == MEAN_SD:
        value, spread = est.mean, t("cohort.tile.sd", lang, sd=fmt_num(est.sd, lang))
    else:
        value = est.median
        spread = t("cohort.tile.iqr", lang, q1=fmt_num(est.q1, lang), q3=fmt_num(est.q3, lang))
    if est.N == 0:
        return MISSING, "N = 0"
    return fmt_num(value, lang), f"{spread} · N = {est.N}"


def method_label(method: str, lang: str) -> str:
    """A test's name from ``TestResult.method`` in ``lang`` (unknown names unchanged)."""
    for start, key in _TESTS:
        if method.startswith(start):
            return t(key, lang)
    return method


def baseline_display(table: BaselineTable, lang: str, level_label=None) -> pd.DataFrame:
    """``BaselineTable.to_frame`` with translated variable labels, headers and test names.

    ``level_label`` maps a group level to its display text (e.g. ``F`` -> Female).
    """
    labels = {v: t(f"cohort.var.{v}", lang) for v in (r.variable for r in table.rows)}
    frame = table.to_frame(labels, lang)
    if "test" in frame.columns:
        frame["test"] = frame["test"].map(lambda m: method_label(m, lang) if m else "")
    names = {c: t(f"cohort.col.{c}", lang) for c in ("variable", "N", "missing", "overall", "p_value", "test")}
    if level_label is not None:
        names |= {level: level_label(level) for level in table.groups}
    return frame.rename(columns=names)


def exclusions_table(exclusions: pd.DataFrame, lang: str, min_age: float) -> pd.DataFrame:
    """Excluded patients with every reason, translated (``Populations.exclusions``)."""
    texts = pd.Series("", index=exclusions.index, dtype="string")
    codes = exclusions["reasons"].astype("string")
    for code in REASONS:  # the codes in their fixed order, one column pass each
        hit = codes.str.contains(rf"(?:^| ){code}(?: |$)", regex=True).fillna(False).astype(bool)
        texts = texts.mask(hit, texts + t(f"cohort.reason.{code}", lang, min_age=f"{min_age:g}") + "; ")
    frame = pd.DataFrame({"patient": exclusions["patient_id"].astype("string"), "reasons": texts.str.removesuffix("; ")})
    return frame.reset_index(drop=True).rename(
        columns={"patient": t("cohort.col.patient", lang), "reasons": t("cohort.col.reasons", lang)})


def flags_table(flags: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Patients kept despite a missing inclusion value (``Populations.flags``)."""
    frame = pd.DataFrame({"patient": flags["patient_id"].astype("string"),
                          "flag": translated(flags["code"], lambda c: t(f"cohort.flag.{c}", lang))})
    return frame.reset_index(drop=True).rename(
        columns={"patient": t("cohort.col.patient", lang), "flag": t("cohort.col.flag", lang)})

"""Cohort page display: the poster's M0 tiles, the baseline table with translated labels
and test names, and the excluded or flagged patients.

Under small-cell suppression (``min_cell`` = k, ``core.suppression``), each row's N is a
part of the analysed patients (rule 5): the tiles and the table's N, missing and
overall cells are masked here, where the analysed N is known.
"""
from __future__ import annotations

import pandas as pd

from core.baseline import MEAN_SD, BaselineTable
from core.display.common import Tile, translated
from core.display.suppressed import count_text, hidden_word, masked, masked_tile, shown_count
from core.i18n import MISSING, fmt_int, fmt_num, fmt_pct, semicolon, t
from core.populations import REASONS
from core.stats import Continuous, Proportion
from core.suppression import active, dose_n_hidden, less_than, part_hidden, small


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


def m0_tiles(table: BaselineTable, lang: str, k: int = 0) -> tuple[Tile, ...]:
    """The analysed N and the poster's M0 characteristics as tiles, masked under
    small-cell suppression ``k``."""
    tiles = [Tile(t("cohort.tile.n", lang), count_text(table.N, k, lang), t("cohort.tile.n_detail", lang))]
    for variable, key in M0_TILES:
        row = table.row(variable)
        tile = Tile(t(key, lang), *_value_detail(row.overall, row.display, lang))
        if active(k):
            tile = _masked_tile(tile, row.overall, table.N, k, lang)
        tiles.append(tile)
    return tuple(tiles)


def _masked_tile(tile: Tile, est: Proportion | Continuous, total: int, k: int, lang: str) -> Tile:
    if isinstance(est, Proportion):
        return masked_tile(tile, k, lang, total)
    if est.N == 0 or not part_hidden(est.N, total, k):
        return tile
    if small(est.N, k):  # a mean or median of fewer than k patients goes with them
        return Tile(tile.label, MISSING, f"N = {less_than(k)}")
    return Tile(tile.label, tile.value, tile.detail.replace(f"N = {fmt_int(est.N, lang)}", f"N = {hidden_word(lang)}"))


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
    return fmt_num(value, lang), f"{spread} · N = {fmt_int(est.N, lang)}"


def _masked_overall(frame: pd.DataFrame, table: BaselineTable, k: int, lang: str) -> pd.DataFrame:
    """The N, missing and overall columns of ``table.to_frame`` under suppression ``k``:
    each row's N among the analysed (rule 5; the dose's among the patients on
    corticosteroids), its missing count (which gives N back) and its estimate."""
    hidden = {r.variable: _hidden_N(table, r.variable, k) for r in table.rows}
    sizes, missing, overall = [], [], []
    for r, cell in zip(table.rows, frame["overall"]):
        est, hide_N = r.overall, hidden[r.variable]
        # The dose's missing holds the corticosteroid row's missing too.
        hide_missing = hide_N or (r.variable == "cs_dose_mg" and (small(table.row("corticosteroids").missing, k)
                                                                   or hidden["corticosteroids"]))
        sizes.append(shown_count(est.N, k, lang, hide_N))
        missing.append(shown_count(r.missing, k, lang, hide_missing))
        if isinstance(est, Proportion):
            overall.append(masked(cell, k, lang, table.N))
        else:
            overall.append(MISSING if small(est.N, k) else cell)
    out = frame.copy()
    for column, values in (("N", sizes), ("missing", missing), ("overall", overall)):
        out[column] = pd.Series([str(v) for v in values], index=frame.index, dtype=object)
    return out


def _masked_groups(frame: pd.DataFrame, table: BaselineTable, k: int) -> pd.DataFrame:
    """The group columns of ``table.to_frame`` with a mean or median of fewer than k
    patients written as a dash, as the overall column writes it (a group of one patient
    would show that patient's age, disease duration or dose)."""
    if not table.groups:
        return frame
    out = frame.copy()
    for level in table.groups:
        few = [isinstance(r.by_group[level], Continuous) and small(r.by_group[level].N, k) for r in table.rows]
        out[level] = out[level].where(~pd.Series(few, index=frame.index), MISSING)
    return out


def _hidden_N(table: BaselineTable, variable: str, k: int) -> bool:
    """Whether a Table 1 row's N is hidden: a part of the analysed patients, the dose's
    of the patients on corticosteroids (``core.suppression`` rule 5)."""
    est = table.row(variable).overall
    if variable != "cs_dose_mg":
        return part_hidden(est.N, table.N, k)
    on_cs = table.row("corticosteroids").overall
    return dose_n_hidden(est.N, on_cs.n, on_cs.N, k, table.N)


def method_label(method: str, lang: str) -> str:
    """A test's name from ``TestResult.method`` in ``lang`` (unknown names unchanged)."""
    for start, key in _TESTS:
        if method.startswith(start):
            return t(key, lang)
    return method


def baseline_display(table: BaselineTable, lang: str, level_label=None, k: int = 0) -> pd.DataFrame:
    """``BaselineTable.to_frame`` with translated variable labels, headers and test names.

    ``level_label`` maps a group level to its display text (e.g. ``F`` -> Female). With
    small-cell suppression ``k``, the N, missing and overall cells are masked (rule 5),
    and so is a group's mean or median of fewer than k patients (rule 2: it would show
    their own values); the group columns' counts are left to
    ``core.display.suppressed.masked_table``.
    """
    labels = {v: t(f"cohort.var.{v}", lang) for v in (r.variable for r in table.rows)}
    frame = table.to_frame(labels, lang)
    if "test" in frame.columns:
        frame["test"] = frame["test"].map(lambda m: method_label(m, lang) if m else "")
    if active(k):
        frame = _masked_groups(_masked_overall(frame, table, k, lang), table, k)
    names = {c: t(f"cohort.col.{c}", lang) for c in ("variable", "N", "missing", "overall", "p_value", "test")}
    if level_label is not None:
        names |= {level: level_label(level) for level in table.groups}
    return frame.rename(columns=names)


def exclusions_table(exclusions: pd.DataFrame, lang: str, min_age: float) -> pd.DataFrame:
    """Excluded patients with every reason, translated (``Populations.exclusions``)."""
    texts = pd.Series("", index=exclusions.index, dtype="string")
    codes = exclusions["reasons"].astype("string")
    sep = semicolon(lang)
    for code in REASONS:  # the codes in their fixed order, one column pass each
        hit = codes.str.contains(rf"(?:^| ){code}(?: |$)", regex=True).fillna(False).astype(bool)
        texts = texts.mask(hit, texts + t(f"cohort.reason.{code}", lang, min_age=f"{min_age:g}") + sep)
    frame = pd.DataFrame({"patient": exclusions["patient_id"].astype("string"), "reasons": texts.str.removesuffix(sep)})
    return frame.reset_index(drop=True).rename(
        columns={"patient": t("cohort.col.patient", lang), "reasons": t("cohort.col.reasons", lang)})


def flags_table(flags: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Patients kept despite a missing inclusion value (``Populations.flags``)."""
    frame = pd.DataFrame({"patient": flags["patient_id"].astype("string"),
                          "flag": translated(flags["code"], lambda c: t(f"cohort.flag.{c}", lang))})
    return frame.reset_index(drop=True).rename(
        columns={"patient": t("cohort.col.patient", lang), "flag": t("cohort.col.flag", lang)})

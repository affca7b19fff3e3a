"""Display text of the Response page (core.display.response)."""
from __future__ import annotations

import pandas as pd
import pytest

from core.display.response import category_label, discordance_table, overall_frame, response_table
from core.response import DomainResponse
from core.stats import estimate_proportion


def _result(domain: str, n: tuple[int, int, int], scored: int = 0) -> DomainResponse:
    total = sum(n)
    cr, pr, nr = (estimate_proportion(k, total) for k in n)
    return DomainResponse(domain, 3, total, total, total, cr, pr, nr, estimate_proportion(n[0] + n[1], total),
                          scored, 0, ())


def test_response_table_writes_counts_and_overall_with_ci():
    table = response_table([_result("cutaneous", (8, 7, 2), scored=1)], "en")
    row = table.iloc[0].to_dict()
    assert row == {"Involvement": "Cutaneous", "Visit": "M3", "N": 17, "CR": "8/17 (47.1%)", "PR": "7/17 (41.2%)",
                   "NR": "2/17 (11.8%)", "CR+PR (95% CI)": "15/17 (88.2%) 95% CI 65.7 to 96.7", "Scored": 1,
                   "Seen, no response": 0}


def test_response_table_without_patients_shows_zero_over_zero():
    row = response_table([_result("articular", (0, 0, 0))], "fr").iloc[0]
    assert (row["RC"], row["RC+RP (IC 95\u202f%)"]) == ("0/0", "0/0")


def test_overall_frame_has_one_row_per_domain_and_month():
    frame = overall_frame([_result("cutaneous", (1, 1, 2)), _result("articular", (0, 1, 0))])
    assert frame[["domain", "n", "N", "pct"]].values.tolist() == [["cutaneous", 2, 4, 50.0], ["articular", 1, 1, 100.0]]


def test_discordances_are_listed_with_translated_categories():
    discordant = pd.DataFrame({"patient_id": ["P7"], "domain": ["cutaneous"], "month": [3], "recorded": ["PR"],
                               "scored": ["CR"]})
    table = discordance_table(discordant, "fr")
    assert table.values.tolist() == [["P7", "Cutanée", "M3", "RP", "RC"]]


@pytest.mark.parametrize("category, label", [("CR", "RC"), ("missing", "Non évalué"), ("odd", "odd")])
def test_category_label_in_french(category, label):
    assert category_label(category, "fr") == label

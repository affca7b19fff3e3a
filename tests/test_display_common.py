"""Display pieces shared by the panels (core.display.common), and the package's purity."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from core.display.common import count_line, describe_filter, month_label
from core.filters import Band, Filter
from core.i18n import NNBSP

_ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("n, lang, expected", [(1, "en", "1 patient"), (4812, "en", "4,812 patients"),
                                               (4812, "fr", f"4{NNBSP}812 patients"), (0, "fr", "0 patient"),
                                               (0, "en", "0 patients")])
def test_count_line_groups_digits_per_locale(n, lang, expected):
    assert count_line(n, lang) == expected


def test_month_label_is_the_posters_in_both_languages():
    assert (month_label(0), month_label(6)) == ("M0", "M6")


def test_display_modules_import_neither_altair_nor_streamlit():
    # A fresh interpreter: other tests of this process may have loaded altair already.
    code = ("import sys\n"
            "import core.display.biology, core.display.cohort, core.display.common\n"
            "import core.display.response, core.display.safety, core.display.steroids\n"
            "print(sorted(m for m in ('altair', 'streamlit') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=_ROOT)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("page", sorted(p.name for p in (_ROOT / "pages").glob("*.py")))
def test_pages_reach_altair_only_through_core_charts(page):
    source = (_ROOT / "pages" / page).read_text(encoding="utf-8")
    assert not re.search(r"^\s*(import|from)\s+altair\b", source, re.MULTILINE)


@pytest.mark.parametrize(
    ("flt", "lang", "expected"),
    [
        (Filter(sex=("F",)), "fr", "Sexe\u202f: Femme"),
        (Filter(sex=("F",)), "en", "Sex: Female"),
        (Filter(age=Band(low=30, high=50), hcq=True), "fr",
         "Âge (ans)\u202f: 30–50\u202f; Hydroxychloroquine à M0\u202f: Oui"),
        (Filter(prior_lines=Band(low=2)), "en", "Prior lines: 2–…"),
        (Filter(centre=("CHU Lille",), extra=(("groupe", ("B",)),)), "en", "Centre: CHU Lille; groupe: B"),
        (Filter(), "en", ""),
    ],
)
def test_subgroup_is_described_in_the_page_language(flt, lang, expected):
    assert describe_filter(flt, lang) == expected

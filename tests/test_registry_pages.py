"""Every page on a 200,000-patient registry, in an AppTest: no exception, no chart over
the row limit (Altair refuses more than 5,000 rows by default; per-patient charts bin
or keep a subset beyond their own limits and say so).

The registry (``benchmarks/registry_data.py``, synthetic) is built and uploaded once
for the module, as three typed Parquet files through the data page's uploader; every
page is then opened in turn. About three minutes on a busy 2-core machine, most of it
reading the upload.
"""
from __future__ import annotations

import json
import re

import pyarrow as pa
import pytest

from benchmarks.registry_data import parquet_files, registry_frames
from tests.helpers import as_read
from ui.nav import PAGES

PATIENTS = 200_000
# Altair's MaxRowsError threshold: no chart spec may carry more rows than this.
ROW_LIMIT = 5_000


@pytest.fixture(scope="module")
def registry_app():
    """The whole app with the registry uploaded (the AppTest fixture, once per module)."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.testing.v1 import AppTest

    from tests.conftest import _NavigationOnlyMixin

    files = parquet_files(registry_frames(PATIENTS))
    navigation_only = type("_NavigationOnly", (_NavigationOnlyMixin, PagesManager), {})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(script_runner, "PagesManager", navigation_only)
        app = AppTest.from_file("../streamlit_app.py", default_timeout=600)
        app.context["locale"] = "en-GB"
        app.run()
        app.switch_page("pages/upload.py").run()
        app.file_uploader(key="upload").set_value([(name, data, "application/octet-stream") for name, data in files])
        app.run()
        yield app


def _chart_rows(chart) -> int:
    """Rows a drawn chart sends to the browser: its Arrow datasets and inline values."""
    rows = sum(pa.ipc.open_stream(d.data.data).read_all().num_rows for d in chart.proto.datasets)
    spec = json.loads(chart.proto.spec)
    return rows + sum(len(v) for v in spec.get("datasets", {}).values())


def test_registry_is_the_active_cohort(registry_app):
    assert not registry_app.exception
    analysed = [m for m in registry_app.metric if "analysed" in m.label.lower()]
    assert analysed and int(analysed[0].value.replace(",", "").replace("\u202f", "")) > PATIENTS // 2
    # Written with the language's thousands separator, as every other count of the app.
    assert "," in analysed[0].value


@pytest.mark.parametrize("page", [p.path for p in PAGES])
def test_page_renders_the_registry_within_the_row_limit(registry_app, page):
    from ui.lists import LIST_ROWS

    registry_app.switch_page(page).run()
    assert not registry_app.exception, page
    rows = {json.loads(c.proto.spec).get("title", "chart").__str__()[:60]: _chart_rows(c)
            for c in registry_app.get("vega_lite_chart")}
    assert all(n <= ROW_LIMIT for n in rows.values()), rows
    # A table sends its rows on every click: the exclusions of 200,000 patients weighed 1.4 MB.
    tables = [len(frame.value) for frame in registry_app.dataframe]
    assert all(n <= LIST_ROWS for n in tables), tables


# A registry's lone count written without its thousands separator ("N = 175530"): four
# digits or more, not part of a fraction n/N (plain digits by design), of a number
# already written with separators, or a year (a reference's "2013;9:30").
_BARE_COUNT = re.compile(r"(?<![\d/.,\u202f\u00a0])(?!(?:19|20)\d\d\b)\d{4,}(?![\d/.,])")


def _texts(app) -> list[str]:
    """What the page writes: markdown, captions, headers, tiles and chart titles."""
    texts = [as_read(e.value) for kind in ("markdown", "caption", "subheader", "metric") for e in app.get(kind)
             if isinstance(getattr(e, "value", None), str)]
    texts += [e.label for e in app.get("metric")]
    for chart in app.get("vega_lite_chart"):
        title = json.loads(chart.proto.spec).get("title", "")
        texts += [json.dumps(title, ensure_ascii=False)]
    return texts


@pytest.mark.parametrize("page", [p.path for p in PAGES])
def test_lone_counts_carry_the_thousands_separator(registry_app, page):
    registry_app.switch_page(page).run()
    bare = {text: _BARE_COUNT.findall(text) for text in _texts(registry_app) if _BARE_COUNT.search(text)}
    assert bare == {}, page


def test_safety_page_lists_at_most_a_thousand_events_and_says_so(registry_app):
    """A table is sent to the browser on every click: the registry's 100,000 events are
    listed up to 1,000, with a line saying where they all are."""
    from core.i18n import t

    registry_app.switch_page("pages/safety.py").run()
    assert not registry_app.exception
    sizes = [len(frame.value) for frame in registry_app.dataframe]
    assert sizes and max(sizes) == 1000, sizes
    hint = t("safety.events_first", "en", shown="1,000", total="{total}").split("{total}")[1]
    assert any(c.value.endswith(hint) for c in registry_app.caption), [c.value for c in registry_app.caption]

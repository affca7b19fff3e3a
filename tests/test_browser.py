"""Smoke test in a real headless Chromium against `streamlit run`: every page, one upload."""
from __future__ import annotations

import contextlib
import os
import re

import pytest

from core.i18n import t
from tests.app_server import CHROMIUM, CHROMIUM_ARGS, IDLE, serve_app

_TIMEOUT_MS = 60_000
_CSV = "N° patient,Sexe,Age (ans)\nP1,F,40\nP2,M,abc\n".encode()


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run installs Debian's chromium package")
    pytest.skip(f"{CHROMIUM} is missing (install Debian's chromium to run the browser test)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    _require_chromium()
    with serve_app(tmp_path_factory.mktemp("server") / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _open(browser, url: str, locale: str = "en-US"):
    page = browser.new_context(locale=locale, viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(_TIMEOUT_MS)
    _goto(page, url)
    return page


def _goto(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("[data-testid='stMainBlockContainer'] h1")
    page.wait_for_selector(IDLE)
    # The app's font loaded: text measured or laid out in a fallback font is wider.
    page.evaluate("document.fonts.ready.then(() => true)")


def _url_of(root: str, script: str) -> str:
    """The URL of a page script; the first page of the menu is the app's root."""
    from ui.nav import PAGES

    paths = [p.path for p in PAGES]
    return root if paths.index(script) == 0 else f"{root}/{PAGES[paths.index(script)].url_path}"


def _page_urls(page, root: str) -> list[str]:
    """Every page of the navigation menu (the menu is hidden when there is one page)."""
    hrefs = page.locator("[data-testid='stSidebarNav'] a[href]").evaluate_all("els => els.map(e => e.href)")
    return hrefs or [root]


def test_every_page_renders_without_exception(server, browser, tmp_path):
    page = _open(browser, server)
    urls = _page_urls(page, server)
    for k, url in enumerate(urls):
        _goto(page, url)
        page.screenshot(path=tmp_path / f"page_{k:02d}.png", full_page=True)
        assert page.locator("[data-testid='stException']").count() == 0, url
        assert page.get_by_text("Page not found").count() == 0, url
    page.context.close()


def test_navigation_lists_every_registered_page(server, browser):
    from ui.nav import PAGES

    page = _open(browser, server)
    paths = {u.rstrip("/").rsplit("/", 1)[-1] for u in _page_urls(page, server)}
    page.context.close()
    # With one page the menu is hidden and the root URL is the only page.
    assert len(paths) == len(PAGES)


def test_app_requests_nothing_outside_the_server(server, browser):
    context = browser.new_context(locale="en-US")
    outside = []
    context.on("request", lambda r: outside.append(r.url) if not r.url.startswith((server, "data:", "blob:")) else None)
    page = context.new_page()
    page.set_default_timeout(_TIMEOUT_MS)
    _goto(page, server)
    page.wait_for_load_state("networkidle")
    context.close()
    assert outside == []


def test_demo_is_labelled_synthetic(server, browser):
    page = _open(browser, server)
    assert page.locator("[data-testid='stSidebar']").get_by_text(t("badge.demo", "en")).is_visible()
    page.context.close()


def test_french_browser_gets_french_page(server, browser):
    page = _open(browser, server, locale="fr-FR")
    assert page.locator("[data-testid='stMainBlockContainer'] h1").first.inner_text() == t("upload.title", "fr")
    # Streamlit's own uploader words (English only) are drawn over in French.
    words = """() => {
        const zone = document.querySelector("[data-testid='stFileUploaderDropzone']");
        const after = (css) => {  // "none" until the uploader and its style are drawn
            const element = zone && zone.querySelector(css);
            return element ? getComputedStyle(element, "::after").content : "none"; };
        return [after("button [data-testid='stMarkdownContainer']"),
                after("[data-testid='stFileUploaderDropzoneInstructions'] span")]; }"""
    # The uploader and the style are elements of the page, maybe drawn a frame after the title.
    page.wait_for_function(f"({words})().every(w => w !== 'none')", timeout=30_000)
    shown = page.evaluate(words)
    assert shown == [f'"{t("upload.dropzone.button", "fr")}"',
                     '"200 Mo par fichier • CSV, TSV, TXT, XLSX, XLSM, XLS, XLSB, ODS, PARQUET, PQ"']
    # The badge naming the demo is read whole in the sidebar (not cut with "…").
    badge = page.locator("[data-testid='stSidebar'] .stMarkdownBadge").first
    assert badge.evaluate("b => b.scrollWidth <= b.clientWidth + 1")
    page.context.close()


def test_the_page_declares_its_language(server, browser):
    # Streamlit's <html lang="en"> stayed on French pages: a screen reader read them
    # with an English voice.
    page = _open(browser, _url_of(server, "pages/cohort.py"), locale="fr-FR")
    page.wait_for_function("() => document.documentElement.lang === 'fr'")
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name="English").click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    _expect_h1(page, t("nav.cohort", "en"))
    page.context.close()


def test_a_french_decimal_comma_is_typed_into_a_definition(server, browser):
    # In a browser's number field, "0,85" became 085, then 85 g/L: every patient's C3 low.
    from playwright.sync_api import expect

    page = _open(browser, _url_of(server, "pages/biology.py"), locale="fr-FR")
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.locator("details", has=page.locator(".st-key-setting_c3_low")).locator("summary").click()
    field = sidebar.locator(".st-key-setting_c3_low input")
    errors = sidebar.locator("[data-testid='stAlertContentError']")
    # The field may be drawn empty for a frame as the expander opens: wait for its text
    # (read at once, it was "" on a slower machine).
    expect(field).to_have_value("0,90")
    field.fill("0,85")
    field.press("Enter")
    sidebar.get_by_text(t("settings.changed", "fr")).wait_for()
    page.wait_for_selector(IDLE)
    expect(field).to_have_value("0,85")
    expect(errors).to_have_count(0)
    field.fill("0,8,5")
    field.press("Enter")
    errors.first.wait_for()
    said = errors.locator("[data-testid='stMarkdownContainer']").all_inner_texts()
    assert said == [t("settings.refused.not_a_number", "fr", text="0,8,5", value="0,85")]
    expect(field).to_have_value("0,8,5")
    # Emptied, the field shows the definition in force again.
    field.fill("")
    field.press("Enter")
    expect(field).to_have_value("0,85")
    page.wait_for_selector(IDLE)
    expect(errors).to_have_count(0)
    page.context.close()


def test_uploaded_file_gets_a_report(server, browser, tmp_path):
    from playwright.sync_api import expect

    page = _open(browser, _url_of(server, "pages/upload.py"))
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": "cohort.csv", "mimeType": "text/csv", "buffer": _CSV}]
    )
    expect(page.get_by_text(t("upload.current", "en", names="cohort.csv"))).to_be_visible(timeout=_TIMEOUT_MS)
    page.wait_for_selector(IDLE)
    expect(page.get_by_text(t("report.usable", "en"))).to_be_visible()
    expect(page.get_by_text(t("report.summary", "en", errors=0, rejected=0, warnings=1))).to_be_visible()
    expect(page.locator("[data-testid='stSidebar']").get_by_text(t("badge.upload", "en"))).to_be_visible()
    page.screenshot(path=tmp_path / "upload_report.png", full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0
    page.context.close()


def test_each_session_downloads_the_export_of_its_own_cohort(server, browser):
    """A download is built on click in a server thread outside the session's script run:
    two sessions with their own uploads, the same language, subgroup and definitions,
    each get their own cohort's summary, stamped with their own files."""
    import json
    from pathlib import Path

    from core.cohort import files_digest
    from tests.helpers import small_cohort_files
    from ui.nav import PAGES

    conclusion = [p.path for p in PAGES].index("pages/conclusion.py")
    visits = [{"patient_id": p, "month": m, "active_skin_lesions": 2} for p in "ABCDEF" for m in (0, 3)]
    sessions = []
    for ids in (tuple("ABCD"), tuple("ABCDEF")):
        files = small_cohort_files([v for v in visits if v["patient_id"] in ids], ids=ids)
        page = _open(browser, _url_of(server, "pages/upload.py"))
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
            files=[{"name": name, "mimeType": "text/csv", "buffer": data} for name, data in files])
        page.get_by_text(t("upload.current", "en", names=", ".join(name for name, _ in files))).wait_for()
        page.wait_for_selector(IDLE)
        _click_nav(page, conclusion)  # a link, not a new address: the session keeps its upload
        _expect_h1(page, t(PAGES[conclusion].title_key, "en"))
        sessions.append((page, len(ids), files_digest(files)))

    def download(page, key: str) -> bytes:
        with page.expect_download(timeout=_TIMEOUT_MS) as done:
            page.get_by_role("button", name=t(key, "en")).click()
        return Path(done.value.path()).read_bytes()

    for page, patients, digest in reversed(sessions):  # the second session first
        assert json.loads(download(page, "downloads.json"))["populations"]["treated"] == patients
        assert digest[:12] in download(page, "downloads.methods").decode("utf-8")
        assert page.locator("[data-testid='stException']").count() == 0
        page.context.close()


def test_abort_causing_workbook_gets_a_clear_error_and_the_server_keeps_serving(server, browser, tmp_path):
    # A 2 KB workbook with one cell at XFD1048576: the native reader would ask for 512 GB
    # and abort its process. The upload ends in a clear error; another session still gets
    # the app and its demo.
    from playwright.sync_api import expect

    from tests.helpers import inline_row, raw_xlsx

    rows = inline_row(1, "patient_id", "sex", "age") + inline_row(2, "P1", "F", 40)
    far = raw_xlsx({"patients": rows + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'})
    page = _open(browser, _url_of(server, "pages/upload.py"))
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": "far.xlsx", "buffer": far,
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    expect(page.get_by_text(t("upload.current", "en", names="far.xlsx"))).to_be_visible(timeout=_TIMEOUT_MS)
    page.wait_for_selector(IDLE)
    expect(page.get_by_text(t("report.unusable", "en"))).to_be_visible()
    expect(page.get_by_text(t("report.summary", "en", errors=1, rejected=0, warnings=0))).to_be_visible()
    page.screenshot(path=tmp_path / "far_cell.png", full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0
    other = _open(browser, server)  # a second session, in its own browser context
    expect(other.locator("[data-testid='stSidebar']").get_by_text(t("badge.demo", "en"))).to_be_visible()
    assert other.locator("[data-testid='stException']").count() == 0
    other.context.close()
    page.context.close()


def test_shared_link_opened_first_on_a_fresh_server_gets_the_app_shell(browser, tmp_path):
    # A fresh process: the shared server has already opened the root, which hides the
    # pages/-folder first run that ui.nav.require_shell handles.
    with serve_app(tmp_path / "streamlit.log") as root:
        page = _open(browser, f"{_url_of(root, 'pages/response.py')}?lang=fr&sex=F")
        page.screenshot(path=tmp_path / "shared_link.png", full_page=True)
        sidebar = page.locator("[data-testid='stSidebar']")
        analysed = sidebar.locator("[data-testid='stMetric']").filter(has_text=t("sidebar.n_analysed", "fr"))
        menu = sidebar.locator("[data-testid='stSidebarNav']").inner_text()
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.locator("[data-testid='stMainBlockContainer'] h1").first.inner_text() == t("nav.response", "fr")
        assert sidebar.get_by_text(t("sidebar.lang", "fr"), exact=True).is_visible()
        assert t("nav.response", "fr") in menu and "response" not in menu
        # The demo analyses 22 patients, 21 of them women: the link's sex=F is applied.
        assert analysed.locator("[data-testid='stMetricValue']").inner_text() == "21"
        page.context.close()


def _h1(page) -> str:
    return page.locator("[data-testid='stMainBlockContainer'] h1").first.inner_text()


def _expect_h1(page, text: str) -> None:
    """The page's title reads ``text`` (waiting for the run: on a busy machine IDLE can
    be seen before the run a click asked for has started)."""
    from playwright.sync_api import expect

    expect(page.locator("[data-testid='stMainBlockContainer'] h1").first).to_have_text(text, timeout=30_000)
    page.wait_for_selector(IDLE)


def _click_nav(page, k: int) -> None:
    page.locator("[data-testid='stSidebarNav'] a").nth(k).click()
    page.wait_for_load_state("networkidle")
    page.wait_for_selector(IDLE)


def test_a_registry_computed_ahead_shows_every_page_on_a_fresh_server(browser, tmp_path):
    """A registry large enough for its panels to be computed ahead (``ui.prefetch``), on
    a newly started server: each page opened at once after the upload, then after a
    subgroup is chosen, waits for the panels under way in the prefetch's thread or
    computes them; none shows an exception and the server's log holds no error."""
    from ui.nav import PAGES
    from ui.prefetch import PREFETCH_FROM_PATIENTS

    log = tmp_path / "streamlit.log"
    with serve_app(log) as root:
        page = _open(browser, _url_of(root, "pages/upload.py"))
        _upload_registry(page, PREFETCH_FROM_PATIENTS + 2_000, "en")
        paths = [p.path for p in PAGES]
        for choose in (False, True):
            if choose:  # a subgroup: the Response page computes its panel, the thread the others
                _click_nav(page, paths.index("pages/response.py"))
                sidebar = page.locator("[data-testid='stSidebar']")
                sidebar.get_by_text(t("filters.title", "en"), exact=True).click()
                sidebar.locator("[data-testid='stButtonGroup']").first.get_by_text(
                    t("filters.yes", "en"), exact=True).click()
                # The run the click asked for has drawn the sidebar's subgroup line.
                sidebar.get_by_text(t("filters.active", "en", filter="")).wait_for()
                page.wait_for_selector(IDLE)
            for path in paths[1:]:
                _click_nav(page, paths.index(path))
                _expect_h1(page, t(PAGES[paths.index(path)].title_key, "en"))
                assert page.locator("[data-testid='stException']").count() == 0, (path, choose)
        page.context.close()
    logged = log.read_text()
    assert "Traceback" not in logged and "computed ahead failed" not in logged, logged[-2000:]


def test_language_stays_put_across_page_links_on_a_fresh_server(browser, tmp_path):
    from ui.nav import PAGES

    # A fresh process: the first session's first clicks are where the language flipped.
    with serve_app(tmp_path / "streamlit.log") as root:
        page = _open(browser, root, locale="en-US")
        assert _h1(page) == t("upload.title", "en")
        for k in (1, 2):
            _click_nav(page, k)
            _expect_h1(page, t(PAGES[k].title_key, "en"))
            assert page.locator("[data-testid='stSidebar']").get_by_text(t("sidebar.lang", "en"), exact=True).is_visible()
            assert "lang=en" in page.url
        # The selector is what changes it, and the choice then survives links too.
        page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
        page.get_by_role("option", name="Français").click()
        # The page redrawn in French before the next click.
        _expect_h1(page, t(PAGES[2].title_key, "fr"))
        _click_nav(page, 3)
        _expect_h1(page, t(PAGES[3].title_key, "fr"))
        assert "lang=fr" in page.url
        page.context.close()


def test_controls_are_readable_on_a_two_chart_row(server, browser, tmp_path):
    page = _open(browser, _url_of(server, "pages/biology.py"))
    page.locator("[data-testid='stDownloadButton']").nth(7).wait_for()
    labels = page.locator("[data-testid='stDownloadButton'] button [data-testid='stMarkdownContainer']")
    assert labels.count() >= 8
    for text, scroll, client in labels.evaluate_all("els => els.map(e => [e.innerText, e.scrollWidth, e.clientWidth])"):
        assert text in ("PNG", "SVG", "PDF") and scroll <= client, (text, scroll, client)
    # Page icons come from the font Streamlit ships: no emoji left to render as boxes.
    icons = page.locator("[data-testid='stSidebarNav'] [data-testid='stIconMaterial']")
    assert icons.count() == len(_page_urls(page, server))
    page.screenshot(path=tmp_path / "biology_controls.png", full_page=True)
    page.context.close()


# Text of a tile that is cut (a box that hides what overflows it, e.g. with "…") or runs
# out of the tile's border, and each tile's value with the number of lines it takes.
_TILE_CUT = """els => els.flatMap(m => {
    const cut = [...m.querySelectorAll('*')].filter(e => getComputedStyle(e).overflowX !== 'visible'
        && e.scrollWidth > e.clientWidth + 1).map(e => e.textContent);
    const tile = m.getBoundingClientRect(), texts = document.createTreeWalker(m, NodeFilter.SHOW_TEXT);
    while (texts.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(texts.currentNode);
        const box = range.getBoundingClientRect();
        if (box.left < tile.left - 1 || box.right > tile.right + 1) cut.push(texts.currentNode.textContent);
    }
    return cut; })"""
_TILE_VALUE_LINES = """els => els.map(m => {
    const range = document.createRange();
    range.selectNodeContents(m.querySelector("[data-testid='stMetricValue'] p"));
    const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    return [range.toString(), tops.size]; })"""
# The values and details with a word (a number) broken across two lines: two characters
# side by side, neither a space (nor the zero-width one after a fraction's slash), on two lines.
_TILE_SPLIT_NUMBERS = """els => els.flatMap(m => [...m.querySelectorAll(
        "[data-testid='stMetricValue'] p, [data-testid='stMetricDelta'] p")].filter(p => {
    const text = p.firstChild, range = document.createRange(), tops = [];
    for (let i = 0; i < text.length; i++) {
        range.setStart(text, i);
        range.setEnd(text, i + 1);
        tops.push(range.getBoundingClientRect().top);
    }
    return [...text.data].some((c, i) => i > 0 && !/[\\s\u200b]/.test(c) && !/[\\s\u200b]/.test(text.data[i - 1])
        && Math.abs(tops[i] - tops[i - 1]) > 2);
}).map(p => p.textContent))"""
# The words of each tile's label wider than the label (broken inside), a word's part
# before a soft hyphen measured with its hyphen (``ui.widgets.tile_label``).
_TILE_LONG_WORDS = """els => els.flatMap(m => {
    const label = m.querySelector("[data-testid='stMetricLabel']");
    const style = getComputedStyle(label.querySelector("p"));
    const context = document.createElement('canvas').getContext('2d');
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    return label.textContent.split(/\\s+/).filter(w => w.split('\u00ad').some(
        (part, i, parts) => context.measureText(i < parts.length - 1 ? part + '-' : part).width > label.clientWidth)); })"""


@pytest.mark.parametrize("locale, width", [("en-US", 1024), ("fr-FR", 1024), ("en-US", 1280), ("fr-FR", 1280),
                                           ("en-US", 1440), ("fr-FR", 1440)])
def test_poster_tiles_show_every_number_whole_on_a_laptop_screen(server, browser, tmp_path, locale, width):
    # 1280 px wide: four tiles of about 120 px to a row beside the poster's texts; 1024:
    # the texts above the results, whose tiles had 75 px beside them.
    page = browser.new_context(locale=locale, viewport={"width": width, "height": 1000}).new_page()
    page.set_default_timeout(_TIMEOUT_MS)
    _goto(page, _url_of(server, "pages/poster.py"))
    tiles = page.locator("[data-testid='stMain'] [data-testid='stMetric']")
    tiles.nth(12).wait_for()  # the M0 tiles and the corticosteroid ones
    # ... with their style (``ui.widgets.METRIC_CSS``, a style element drawn with the page):
    # without it, every label is cut with "…".
    page.wait_for_function("""() => [...document.querySelectorAll("[data-testid='stMetricLabel'] *")]
        .every(e => getComputedStyle(e).whiteSpace === 'normal')""")
    assert tiles.evaluate_all(_TILE_CUT) == []
    assert tiles.evaluate_all(_TILE_SPLIT_NUMBERS) == []
    # The M0 tiles' values are read on one line ("100.0%", never "100.0" above "%").
    m0 = page.locator("[data-testid='stMain'] [data-testid='stMetric']:has([data-testid='stMetricDelta'])")
    lines = m0.evaluate_all(_TILE_VALUE_LINES)
    assert len(lines) == 12
    assert [value for value, n in lines if n > 1] == [], lines
    # "Hydroxychloroquine" is longer than a tile at 1280 px: it breaks at a soft hyphen.
    assert m0.evaluate_all(_TILE_LONG_WORDS) == []
    page.screenshot(path=tmp_path / "poster_tiles.png", full_page=True)
    page.context.close()


# The words of each heading in a column (a box's title) wider than the heading: broken
# inside, at any letter ("Complémen" above "t").
_HEADING_LONG_WORDS = """els => els.flatMap(h => {
    const style = getComputedStyle(h);
    const context = document.createElement('canvas').getContext('2d');
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    return h.textContent.split(/\\s+/).filter(w => context.measureText(w).width > h.clientWidth); })"""


@pytest.mark.parametrize("locale", ["en-US", "fr-FR"])
@pytest.mark.parametrize("width", [1024, 1280])
def test_biology_boxes_keep_their_titles_words_whole(server, browser, locale, width):
    # 1,024 px with the sidebar open: three boxes side by side were 177 px wide, and
    # "Complement" (155 px as a subheader) broke after its "n".
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    page = browser.new_context(locale=locale, viewport={"width": width, "height": 900}).new_page()
    page.set_default_timeout(_TIMEOUT_MS)
    _goto(page, _url_of(server, "pages/biology.py"))
    selector = "[data-testid='stMain'] [data-testid='stColumn'] h3"
    headings = page.locator(selector)
    headings.nth(2).wait_for()
    # Measured once the fonts are in and the boxes' style has taken effect (it is its own
    # element, mounted with the page): a first measure could come before either.
    page.evaluate("document.fonts.ready.then(() => true)")
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(f"() => ({_HEADING_LONG_WORDS})([...document.querySelectorAll(\"{selector}\")])"
                               ".length === 0", timeout=5_000)
    assert headings.evaluate_all(_HEADING_LONG_WORDS) == []
    page.context.close()


# The texts of the charts (SVG) that Vega cut with "…" to fit their room, the month
# labels it hid (opacity 0) for overlapping their neighbours, and each chart drawn wider
# than its column (which cuts it at the right).
_CHART_CUT = """els => els.flatMap(c => {
    const texts = [...c.querySelectorAll('svg text')];
    const cut = texts.filter(e => e.textContent.includes('\u2026') || (/^M\\d/.test(e.textContent)
        && (e.getAttribute('opacity') === '0' || getComputedStyle(e).opacity === '0'))).map(e => e.textContent);
    // A chart drawn past its element, its column or the window is cut at the right (a
    // chart sized to its content may reach into the page's margin).
    const column = c.closest("[data-testid='stColumn']");
    const limit = Math.min(c.getBoundingClientRect().right, document.documentElement.clientWidth,
                           column ? column.getBoundingClientRect().right : Infinity);
    const drawn = c.querySelector('svg.marks').getBoundingClientRect();
    if (drawn.right > limit + 1)
        cut.push(`${Math.round(drawn.width)} px, ${Math.round(drawn.right - limit)} cut: ${texts[0]?.textContent}`);
    return cut; })"""
# Every chart of a page drawn (its SVG texts there), once the page shows as many as it
# has: a chart's component is loaded on first use and mounts after the run's end.
_CHARTS_DRAWN = """n => {
    const charts = [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stVegaLiteChart']")];
    return charts.length >= n && charts.every(c => c.querySelector('svg text')); }"""
# The charts of each page after the data page, on the demo and on a registry.
_PAGE_CHARTS = {"pages/poster.py": 3, "pages/cohort.py": 1, "pages/response.py": 4, "pages/biology.py": 4,
                "pages/steroids.py": 1, "pages/safety.py": 2, "pages/conclusion.py": 0}


def test_a_chart_wider_than_a_phone_scrolls_in_its_own_frame(server, browser):
    # On a phone (390 px) the transition matrices and the patient grid, drawn at their own
    # width, are wider than the screen: the whole page scrolled sideways.
    page = browser.new_context(viewport={"width": 390, "height": 900}).new_page()
    page.set_default_timeout(_TIMEOUT_MS)
    _goto(page, _url_of(server, "pages/response.py"))
    page.wait_for_function(_CHARTS_DRAWN, arg=_PAGE_CHARTS["pages/response.py"])
    assert page.locator("[data-testid='stMain']").evaluate("m => m.scrollWidth <= m.clientWidth")
    frames = page.locator("[data-testid='stMain'] [data-testid='stVegaLiteChart']").evaluate_all("""cs => cs.map(c => {
        const frame = c.parentElement;
        frame.scrollLeft = frame.scrollWidth;  // to its right end
        const drawn = c.querySelector('svg.marks').getBoundingClientRect(), box = frame.getBoundingClientRect();
        return {wide: frame.scrollWidth > frame.clientWidth, end: drawn.right <= box.right + 1}; })""")
    wide = [f for f in frames if f["wide"]]
    assert len(wide) == 2 and all(f["end"] for f in wide), frames
    page.context.close()


def test_each_chart_is_named_by_its_title_for_a_screen_reader(server, browser):
    # Vega names a chart's drawing after the spec's description: without one, every
    # chart was announced as "Vega visualization".
    page = _open(browser, _url_of(server, "pages/response.py"))
    page.wait_for_function(_CHARTS_DRAWN, arg=_PAGE_CHARTS["pages/response.py"])
    names = page.locator("[data-testid='stMain'] [data-testid='stVegaLiteChart']").evaluate_all(
        "cs => cs.map(c => (c.closest('[aria-label]') || c.querySelector('[aria-label]')).getAttribute('aria-label'))")
    assert names[:2] == [t("response.domain.cutaneous", "en") + ".", t("response.domain.articular", "en") + "."]
    assert names[2].startswith(t("response.transitions_title", "en").rstrip(".")), names
    # The title, which names the chart, is not read again after its name ("Title text
    # 'Cutaneous'"); a facet's header (a title of the same kind) is.
    titles = page.locator("[data-testid='stMain'] [data-testid='stVegaLiteChart'] g.role-title").evaluate_all(
        "ts => ts.map(t => [!!t.closest(\"[class*='-header']\"), t.getAttribute('aria-hidden') === 'true'])")
    assert [hidden for header, hidden in titles if not header] == [True] * len(names)
    assert not any(hidden for header, hidden in titles if header)
    page.context.close()


# Each axis, legend and mark a screen reader is given, of every chart drawn as SVG:
# [role, label], roles "axis" and "legend" for the guides, "mark" for the rest.
_CHART_LABELS = """cs => cs.flatMap(c => [...c.querySelectorAll('svg [aria-label]')]
    .filter(e => !e.closest('[aria-hidden=true]') && !e.matches('svg'))
    .map(e => [['axis', 'legend'].includes(e.getAttribute('aria-roledescription'))
               ? e.getAttribute('aria-roledescription') : 'mark', e.getAttribute('aria-label')]))"""


def test_charts_are_read_in_the_page_language(server, browser):
    # Vega read a French chart in English ("X-axis titled 'Mois' for a discrete scale
    # with 3 values: ...") and a mark as its data's column names ("month_label: M3;
    # order: 0"); the Vega of the page reads each guide's description, which the one
    # rendering the SVG files ignores.
    from ui.nav import PAGES

    page = _open(browser, _url_of(server, "pages/upload.py"), locale="fr-FR")
    labels = []
    for k, entry in list(enumerate(PAGES))[1:]:
        _click_nav(page, k)
        page.wait_for_function(_CHARTS_DRAWN, arg=_PAGE_CHARTS[entry.path])
        labels += page.locator("[data-testid='stMain'] [data-testid='stVegaLiteChart']").evaluate_all(_CHART_LABELS)
    guides = [label for role, label in labels if role != "mark"]
    marks = [label for role, label in labels if role == "mark"]
    assert len(guides) > 20 and len(marks) > 100, (len(guides), len(marks))
    assert all(label.startswith(("Axe des abscisses", "Axe des ordonnées", "Légende")) for label in guides), guides
    # French typography in every mark's label ("Mois : M3 ; Patients : 17"), never Vega's "name: value".
    assert not [label for label in marks if re.search(r"\S[:;] ", label)]
    page.context.close()


def _cut_chart_texts(page, lang: str) -> dict[str, list[str]]:
    """Click through the menu's pages after the data page (which has no chart, and a
    heading of its own): the cut or hidden texts (``_CHART_CUT``) of each page that has
    some, once all its charts are drawn."""
    from ui.nav import PAGES

    cut = {}
    for k, entry in list(enumerate(PAGES))[1:]:
        _click_nav(page, k)
        _expect_h1(page, t(entry.title_key, lang))
        page.wait_for_function(_CHARTS_DRAWN, arg=_PAGE_CHARTS[entry.path])
        drawn = page.locator("[data-testid='stMain'] [data-testid='stVegaLiteChart']")
        assert drawn.count() == _PAGE_CHARTS[entry.path], entry.path
        if texts := drawn.evaluate_all(_CHART_CUT):
            cut[entry.path] = texts
    return cut


def _upload_registry(page, patients: int, lang: str) -> None:
    """On the data page: upload a synthetic registry of ``patients`` (``registry_data``)
    as Parquet files, and wait until the app has read it."""
    from benchmarks.registry_data import parquet_files, registry_frames

    files = parquet_files(registry_frames(patients))
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(files=[
        {"name": name, "mimeType": "application/octet-stream", "buffer": data} for name, data in files])
    page.get_by_text(t("upload.current", lang, names=", ".join(name for name, _ in files))).wait_for()
    page.wait_for_selector(IDLE)


@pytest.mark.parametrize("locale", ["en-US", "fr-FR"])
@pytest.mark.parametrize("width, patients", [(1280, None), (1280, 3_000), (1024, None), (1024, 3_000)])
def test_no_chart_text_is_cut_on_a_laptop_screen(server, browser, locale, width, patients):
    # 1280 px wide: the Biology page's charts two to a row, the poster's dose chart under
    # its months; a title breaks into lines instead of ending in "…". A registry (3,000
    # patients, M0 to M12) has four-digit sizes in its titles, and charts past their
    # per-patient limits that say so. 1024 px (a projector's): the Biology page's
    # charts one under the other, and so the response domains (once drawn side by side in
    # one 820 px chart, which their column cut); a full-width chart (560 px) gets
    # 564, its title's room 524 (the registry's swimmer notes the patients it draws). No
    # chart is wider than its column.
    lang = locale[:2]
    page = browser.new_context(locale=locale, viewport={"width": width, "height": 1000}).new_page()
    page.set_default_timeout(_TIMEOUT_MS)
    _goto(page, _url_of(server, "pages/upload.py"))
    if patients:
        _upload_registry(page, patients, lang)
    assert _cut_chart_texts(page, lang) == {}
    page.context.close()


# Beside from a 1,755 px screen with the sidebar open (three months).
@pytest.mark.parametrize("width, beside", [(1280, False), (1745, False), (1765, True), (1920, True)])
def test_poster_dose_chart_is_beside_the_months_only_where_it_has_room(server, browser, width, beside):
    from core.charts.theme import AXIS_ROOM, WIDTH

    page = browser.new_context(viewport={"width": width, "height": 1000}).new_page()
    page.set_default_timeout(_TIMEOUT_MS)
    _goto(page, _url_of(server, "pages/poster.py"))
    section = page.locator(".st-key-poster_steroids")
    section.locator("[data-testid='stVegaLiteChart'] svg text").first.wait_for()
    chart = section.locator("[data-testid='stVegaLiteChart']").bounding_box()
    lefts, rights, bottoms = zip(*section.locator("[data-testid='stMetric']").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.bottom]; })"))
    assert chart["width"] >= WIDTH + AXIS_ROOM  # its plot's width, and its axis
    if beside:
        assert chart["x"] > max(rights) and chart["y"] < max(bottoms)
    else:
        assert chart["y"] > max(bottoms)
        assert min(right - left for left, right in zip(lefts, rights)) >= 150
    page.context.close()


def test_html_poster_opens_with_the_network_blocked(browser, tmp_path):
    from core.demo import load_demo
    from core.export.bundle import export_files, prepare_export
    from core.poster import load_poster
    from core.summary import build_summary
    from tests.test_export_cli import _missing, _panel_numbers

    cohort = load_demo().cohort
    try:
        ctx = prepare_export(cohort, (), "fr", meta=load_poster("fr"), digest="0" * 64)
        summary = build_summary(cohort)
    finally:
        cohort.close()
    poster = tmp_path / "poster.html"
    poster.write_bytes(next(f.data for f in export_files(ctx, ["html"]) if f.name == "poster.html"))
    context = browser.new_context(locale="fr-FR", offline=True)
    requested = []
    context.route("**/*", lambda route: (requested.append(route.request.url), route.abort()
                                         if route.request.url != poster.as_uri() else route.continue_()))
    page = context.new_page()
    page.goto(poster.as_uri())
    page.wait_for_load_state("load")
    assert requested == [poster.as_uri()]
    text = page.locator("body").inner_text()
    assert _missing(_panel_numbers(summary), text) == []
    # Every chart is drawn inline, with its axes.
    assert page.locator("svg").count() >= 6
    page.screenshot(path=tmp_path / "poster_html.png", full_page=True)
    context.close()


def _shown_panel(page, k: int) -> None:
    """Wait until presentation mode shows panel ``k`` (from 0) and the app is idle."""
    from core.display.poster import counter

    page.locator(".st-key-slide_counter").get_by_text(counter(k, "en"), exact=True).wait_for()
    page.wait_for_selector(IDLE)


def test_presentation_mode_walks_with_the_clicker_and_the_arrow_keys(server, browser, tmp_path):
    from core.display.poster import PANELS

    page = _open(browser, _url_of(server, "pages/poster.py"))
    page.locator(".st-key-present_start button").first.click()
    _shown_panel(page, 0)
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    last = len(PANELS) - 1
    for k in range(1, last + 1):
        page.keyboard.press("PageDown")
        _shown_panel(page, k)
        # Every panel is drawn ahead; only the current one is visible.
        visible = [name for name in PANELS if page.locator(f".st-key-panel_{name}").is_visible()]
        assert visible == [PANELS[k]]
        # ... at the top of the screen: the panels drawn before it take no room.
        top = page.locator(f".st-key-panel_{PANELS[k]}").bounding_box()["y"]
        assert abs(top - page.locator(".st-key-slides").bounding_box()["y"]) < 2
    page.screenshot(path=tmp_path / "presentation_last.png")
    for k in range(last - 1, -1, -1):
        page.keyboard.press("PageUp")
        _shown_panel(page, k)
    for k in range(1, last + 1):
        page.keyboard.press("ArrowRight")
        _shown_panel(page, k)
    page.keyboard.press("ArrowLeft")
    _shown_panel(page, last - 1)
    assert page.locator("[data-testid='stException']").count() == 0
    page.keyboard.press("Escape")
    page.wait_for_selector("[data-testid='stMainBlockContainer'] h1")
    page.wait_for_selector(IDLE)
    assert _h1(page) == t("nav.poster", "en")
    assert page.locator("[data-testid='stSidebar']").is_visible()
    page.context.close()


# The bottom of an element's content, in the viewport: of the lowest of its elements.
_CONTENT_BOTTOM = "p => Math.max(...[p, ...p.querySelectorAll('*')].map(e => e.getBoundingClientRect().bottom))"


# Whether a panel's chart is beside its tiles (its left past every tile's right).
_CHART_BESIDE_TILES = """p => p.querySelector("[data-testid='stVegaLiteChart']").getBoundingClientRect().left >=
    Math.max(...[...p.querySelectorAll("[data-testid='stMetric']")].map(e => e.getBoundingClientRect().right))"""


# Every slide fits above the control bar, a registry's included (four months of large
# numbers, the dose chart under them) on a 4:3 or a 720-line screen.
@pytest.mark.parametrize("locale, width, height, patients", [("en-US", 1366, 768, None),
                                                             ("fr-FR", 1366, 768, None),
                                                             ("fr-FR", 1280, 720, None),
                                                             ("en-US", 1024, 768, None),
                                                             ("fr-FR", 1920, 1080, None),
                                                             ("fr-FR", 1366, 768, 3_000),
                                                             ("fr-FR", 1280, 720, 3_000),
                                                             ("en-US", 1024, 768, 3_000)])
def test_presentation_slides_fit_above_the_control_bar(server, browser, locale, width, height, patients):
    # Type follows the screen's height: on 768 lines the response slide's lines of
    # numbers were under the bar. The methods, the poster's longest text, in three
    # columns: in one, they went 757 px under the bar on 768 lines, 366 px on 1,080.
    # The corticosteroids' dose chart beside the months: under them, 134 px under the
    # bar on 768 lines. Each domain's CR + PR under its chart: on 720 lines, the second
    # line was under the bar. Type follows a 4:3 screen's width: the methods were 93 px
    # under the bar on 1,024 x 768. Under the months, the dose chart takes the height
    # they leave: it ended 132 px under the bar on 1,024 x 768, a registry's 178 px on
    # 1,366 x 768. A panel's content is measured, not its box (the corticosteroids' box
    # is at least the screen's height). A slide past the bar must at least scroll whole above it.
    # On 720 lines, a registry's response slide (CR + PR on two lines) ended 18 px under
    # the bar: a short screen's slide starts nearer its top. Under the dose chart's
    # months, each number's line was as tall as the tiles' larger type (a tile's own
    # size, kept by its !important): a registry's slide ended 79 px under the bar on
    # 1,024 x 768, 46 px on 1,280 x 720.
    from core.display.poster import PANELS

    lang = locale[:2]
    page = browser.new_context(locale=locale, viewport={"width": width, "height": height}).new_page()
    page.set_default_timeout(_TIMEOUT_MS)
    if patients:
        from ui.nav import PAGES

        _goto(page, _url_of(server, "pages/upload.py"))
        _upload_registry(page, patients, lang)
        _click_nav(page, [p.path for p in PAGES].index("pages/poster.py"))  # the session keeps its upload
    else:
        _goto(page, _url_of(server, "pages/poster.py"))
    page.locator(".st-key-present_start button").first.click()
    _shown_panel(page, 0)
    under_bar, value_px, beside = {}, {}, False
    for k, name in enumerate(PANELS):
        if k:
            page.keyboard.press("PageDown")
            _shown_panel(page, k)
        panel = page.locator(f".st-key-panel_{name}")
        page.wait_for_function("p => [...p.querySelectorAll(\"[data-testid='stVegaLiteChart']\")].every("
                               "c => c.querySelector('svg text, canvas'))", arg=panel.element_handle())
        page.evaluate("document.querySelector(\"[data-testid='stMain']\").scrollTo(0, 0)")  # as the slide opens
        bottom = panel.evaluate(_CONTENT_BOTTOM)
        bar = page.locator(".st-key-slide_bar").bounding_box()
        if bottom > bar["y"]:
            under_bar[name] = round(bottom - bar["y"])
            page.evaluate("document.querySelector(\"[data-testid='stMain']\").scrollTo(0, 1e6)")
            assert panel.evaluate(_CONTENT_BOTTOM) <= bar["y"], name
        if name in ("baseline", "steroids"):
            value_px[name] = float(panel.locator("[data-testid='stMetricValue'] p").first.evaluate(
                "e => getComputedStyle(e).fontSize").removesuffix("px"))
        if name == "steroids":
            beside = panel.evaluate(_CHART_BESIDE_TILES)
    assert not under_bar, under_bar
    # The months' numbers are smaller only where the dose chart is under them.
    assert (value_px["steroids"] == value_px["baseline"]) if beside else (value_px["steroids"] < value_px["baseline"])
    page.context.close()

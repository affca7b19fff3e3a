"""Presentation mode: the poster one panel at a time, full width and in large type, with
the sidebar and the navigation hidden.

Next / Previous come from the buttons, the arrow keys or a presenter's clicker (which
sends PageDown / PageUp); Esc leaves. A button takes one keyboard shortcut, so the
clicker's keys have buttons of their own, hidden by CSS (their shortcuts still work).

Every panel is drawn ahead, once, when presentation mode starts; fixed CSS shows the one
whose marker (``present_at_<panel>``) the controls carry. The controls are a fragment:
a step reruns them only, so the browser receives a counter and four buttons and
switches which drawn panel is visible (nothing is computed, converted or drawn again).
"""
from __future__ import annotations

import streamlit as st

from core.display.poster import PANELS, counter
from core.i18n import t
from ui import state
from ui.forget import idle_minutes
from ui.poster import PosterView
from ui.poster_sections import DRAW, POSTER_CSS

# The url path of the page that presents (pages/poster.py); any other ends the mode.
PAGE = "poster"
_STEP = "_present_step"
# Style only, no user text. The sidebar stays drawn (its widgets keep the subgroup and
# definitions) but is not shown; Streamlit's header and the clicker's buttons neither.
# Type follows the screen's height, as on a slide: each size is reached on a screen of
# about 1,080 lines and kept above it; a 720- or 768-line one (a laptop, a projector)
# shows the same proportions, down to a floor. On a 4:3 screen (1,024 x 768) the width
# sets it instead (each ``vw`` size equals its ``vh`` one on a 25:16 screen: on 16:9 and
# 16:10 ones the height sets it): the same text on a narrower slide takes more lines.
# On a screen of 800 lines or fewer, the slide starts nearer its top (``--slide-top``,
# which the corticosteroid slide's height also reads) and its heading has no room above:
# a registry's response slide ended under the control bar on 1,280 x 720.
_BASE_CSS = """
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], .st-key-present_keys {display: none !important;}
[data-testid="stMainBlockContainer"] {--slide-top: 1.5rem; padding: var(--slide-top) 4rem 6rem; max-width: none;}
@media (max-height: 800px) {
  [data-testid="stMainBlockContainer"] {--slide-top: 0.5rem;}
  .st-key-slides h3 {padding-top: 0;}
}
.st-key-slides {position: relative; gap: 0;}
.st-key-slides [data-testid="stMarkdownContainer"] p, .st-key-slides [data-testid="stMarkdownContainer"] li,
.st-key-slides [data-testid="stText"] * {font-size: clamp(1rem, min(2.5vh, 1.6vw), 1.7rem); line-height: 1.45;}
.st-key-slides h3 {font-size: clamp(1.5rem, min(3.85vh, 2.46vw), 2.6rem);}
.st-key-slides [data-testid="stMetricValue"], .st-key-slides [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p
  {font-size: clamp(1.8rem, min(4.75vh, 3.04vw), 3.2rem); line-height: 1.2;}
.st-key-slides [data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p,
.st-key-slides [data-testid="stMetricDelta"] [data-testid="stMarkdownContainer"] p,
.st-key-slides [data-testid="stMetricDelta"] {font-size: clamp(0.95rem, min(1.9vh, 1.22vw), 1.3rem);}
.st-key-slides .st-key-poster_title [data-testid="stText"] * {font-size: clamp(2rem, min(5vh, 3.2vw), 3.4rem); font-weight: 700;
  line-height: 1.2;}
.st-key-slides .st-key-poster_authors [data-testid="stText"] * {font-size: clamp(1.25rem, min(3vh, 1.92vw), 2rem);}
.st-key-slides .st-key-poster_abbreviations [data-testid="stText"] * {font-size: clamp(0.9rem, min(1.6vh, 1.02vw), 1.1rem);}
.st-key-slide_bar {position: fixed; left: 0; right: 0; bottom: 0; z-index: 100; padding: 0.5rem 4rem;
  background: #ffffff; border-top: 1px solid #e6e0e8;}
.st-key-slide_footer [data-testid="stText"] * {font-size: 0.95rem; opacity: 0.8;}
.st-key-slide_counter [data-testid="stText"] * {font-size: 1.2rem; font-weight: 600;}
"""
# Hidden panels keep their layout (visibility, not display), so that their charts are
# drawn at their width ahead of time, and leave the flow; the shown panel gets no rule.
# Some Streamlit elements set their own visibility: descendants are hidden too.
_PANEL_CSS = "".join(
    f"[data-testid='stMain']:not(:has(.st-key-present_at_{name})) .st-key-panel_{name} "
    "{position: absolute; top: 0; left: 0; right: 0;}\n"
    f"[data-testid='stMain']:not(:has(.st-key-present_at_{name})) .st-key-panel_{name}, "
    f"[data-testid='stMain']:not(:has(.st-key-present_at_{name})) .st-key-panel_{name} * "
    "{visibility: hidden !important;}\n"
    for name in PANELS
)
# Style only, no user text: built from fixed strings and the panel names.
PRESENT_CSS = f"<style>{_BASE_CSS}{_PANEL_CSS}</style>"


def presenting() -> bool:
    """Whether this session is in presentation mode (the app shell hides the sidebar
    and navigation then)."""
    return _STEP in st.session_state


def start() -> None:
    """Button callback: enter presentation mode on the first panel."""
    st.session_state[_STEP] = 0


def leave() -> None:
    """Button callback: back to the poster page."""
    st.session_state.pop(_STEP, None)


def current_step() -> int:
    """The panel shown, from 0 to ``len(PANELS) - 1``."""
    return min(max(int(st.session_state.get(_STEP, 0)), 0), len(PANELS) - 1)


def _move(delta: int) -> None:
    st.session_state[_STEP] = min(max(current_step() + delta, 0), len(PANELS) - 1)


def _idle_too_long() -> bool:
    return state.has_upload() and state.idle_seconds() > idle_minutes() * 60


def present_button(lang: str) -> None:
    """The poster page's "Present" button."""
    st.button(t("poster.present", lang), key="present_start", on_click=start, icon=":material/slideshow:",
              type="primary", help=t("poster.present_help", lang))


def show(poster: PosterView, lang: str) -> None:
    """Presentation mode's page: the style, every panel (one shown), the controls."""
    st.html(POSTER_CSS)
    st.html(PRESENT_CSS)
    with st.container(key="slides"):
        for name in PANELS:
            with st.container(key=f"panel_{name}"):
                DRAW[name](poster, lang)
    _controls(poster, lang)


@st.fragment
def _controls(poster: PosterView, lang: str) -> None:
    if not presenting() or _idle_too_long():
        # Esc was pressed, or the session was idle too long: the whole app runs again,
        # with its sidebar and navigation (and forgets an idle upload: ui.forget).
        st.rerun()
    # A step is activity: it runs the fragment only, not the app's idle check.
    state.mark_active()
    step = current_step()
    first, last = step == 0, step == len(PANELS) - 1
    # A bar fixed at the bottom of the screen: the controls stay in reach on a long panel.
    with st.container(key="slide_bar", horizontal=True, vertical_alignment="center"):
        st.button(t("poster.previous", lang), key="present_previous", on_click=_move, args=(-1,), disabled=first,
                  icon=":material/arrow_back:", shortcut="Left")
        with st.container(key="slide_counter", width="content"):
            # The marker the CSS reads to show this panel.
            with st.container(key=f"present_at_{PANELS[step]}"):
                st.text(counter(step, lang))
        st.button(t("poster.next", lang), key="present_next", on_click=_move, args=(1,), disabled=last,
                  icon=":material/arrow_forward:", shortcut="Right", type="primary")
        with st.container(key="slide_footer", width="stretch"):
            # Plain text: the stamp names the subgroup, which may quote centre names.
            st.text(poster.stamp)
        st.button(t("poster.leave", lang), key="present_leave", on_click=leave, icon=":material/close:",
                  shortcut="Escape")
    with st.container(key="present_keys"):
        st.button(t("poster.previous", lang), key="present_page_up", on_click=_move, args=(-1,), disabled=first,
                  shortcut="PageUp")
        st.button(t("poster.next", lang), key="present_page_down", on_click=_move, args=(1,), disabled=last,
                  shortcut="PageDown")

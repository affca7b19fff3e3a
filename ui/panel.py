"""What every poster panel page starts from: language, cohort, subgroup and definitions.

A panel page reads::

    view = open_panel()
    result = view.result(response)     # core panel function, memoised per session
    st.title(t("nav.response", view.lang))
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from core.charts.aria import described
from core.cohort import Cohort
from core.filters import Filter
from core.settings import Settings
from ui import suppression
from ui.filters import current_filter
from ui.lang import current_lang
from ui.nav import require_shell
from ui.settings import current_settings
from ui.state import SessionMemo, panel_result, this_session
from ui.widgets import require_cohort

T = TypeVar("T")


@dataclass(frozen=True)
class PanelView:
    """The page's language, its cohort, and the sidebar's subgroup and definitions, with
    the session's memo bound in the page's run (``ui.state.SessionMemo``): a download
    built from the view in another thread computes into this session's memo."""

    lang: str
    cohort: Cohort
    filter: Filter
    settings: Settings
    session: SessionMemo

    def result(self, panel: Callable[..., T], **options) -> T:
        """``panel(cohort, filter, settings, **options)``, computed once per cohort,
        subgroup, definitions and options in this session (``ui.state.panel_result``)."""
        return panel_result(panel, self.cohort, self.filter, self.settings, self.session, **options)

    def memo(self, name: str, compute: Callable[[], T], *extra: Hashable) -> T:
        """``compute()`` once per cohort, subgroup, definitions, language and ``extra``
        in this session (``ui.state.session_memo``), like the panel results it shows:
        a page seen before redraws its tables without recomputing them."""
        return self.session.get(("page", name, self.filter, self.settings, self.lang, *extra), compute)

    def chart(self, name: str, build: Callable[[], Any], *extra: Hashable) -> dict:
        """The Vega-Lite spec of the Altair chart ``build()`` returns, built and serialised
        once (``memo``), read aloud in the page's language (``core.charts.aria``);
        ``ui.charts.show_chart`` draws it and exports it from that spec."""
        return self.memo(f"chart:{name}", lambda: described(build().to_dict(), self.lang), *extra)


def open_panel() -> PanelView:
    """Start a panel page: rerun through the app shell if needed, then read the sidebar.

    Stops the page with a message when the uploaded cohort is unusable.
    """
    require_shell()  # first: a shared link on a fresh server may run a page alone
    lang = current_lang()
    view = PanelView(lang, require_cohort(lang), current_filter(), current_settings(), this_session())
    suppression.note(view.settings.min_cell, lang)
    return view

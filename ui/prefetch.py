"""The other pages' panels computed ahead, while the browser draws this one.

A registry's subgroup takes a fraction of a second per panel to compute: a presenter who
picks a subgroup, then goes from page to page, would wait on each page in turn. At the
end of each run on a large uploaded cohort (``PREFETCH_FROM_PATIENTS``), ``prefetch``
starts one thread that computes, into the session's memo (``ui.state.SessionMemo``), the
panels of the current cohort, subgroup and definitions that the memo lacks
(``PANELS``, in page order). A page that asks for a panel being computed there waits for
that result (``SessionMemo.get``) rather than computing it twice.

The thread stops before its next panel once the session has moved to another subgroup
or definitions (the latest run's prefetch takes over), and when the session forgets
its cohort. It works like the page would, on the page's objects: results stay in this
session's memo, in memory. A panel that fails here is left to the page, which computes
it again and shows its error as it would have; the log gets the exception's type only
(``ui.logs``).
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from core.analysis import baseline, biology, population_counts, populations, response, safety, steroids
from core.filters import FilterError
from ui.filters import current_filter
from ui.settings import current_settings
from ui.state import SessionForgotten, SessionMemo, active_cohort, panel_result, this_session

# Below this many patients every panel is computed within a click's time: nothing ahead.
PREFETCH_FROM_PATIENTS = 10_000
# What a page asks for with no option, in page order (the sidebar's counts first).
PANELS = (population_counts, populations, baseline, response, biology, steroids, safety)

_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Target:
    """What a prefetch computes for: a cohort (digest), subgroup and definitions."""

    digest: str
    filter: object
    settings: object


def prefetch() -> threading.Thread | None:
    """At the end of a run: start computing the panels the session's memo lacks for the
    current cohort, subgroup and definitions, in a thread (returned; None when there is
    nothing to compute: a small cohort, the demo, an unusable upload, every panel known,
    or a prefetch for the same already under way)."""
    active = active_cohort()
    cohort = active.cohort
    if active.is_demo or cohort is None:
        return None
    counted = cohort.report.counts.get("patients")
    if counted is None or counted.kept < PREFETCH_FROM_PATIENTS:
        return None
    session = this_session()
    target = _Target(active.digest, current_filter(), current_settings())
    missing = [panel for panel in PANELS if not session.has(_key(panel, target))]
    store = session.store
    with store.lock:
        under_way = store.prefetching
        store.prefetching = target  # the latest run's target: an older prefetch stops
        if not missing or (under_way == target and _running(store)):
            return None
        # Not a daemon: a server stopping waits for its query rather than cutting DuckDB off.
        thread = threading.Thread(target=_compute, args=(session, cohort, target, missing), name="panel-prefetch")
        store.prefetch_thread = thread
    thread.start()
    return thread


def _key(panel, target: _Target) -> tuple:
    """The memo key ``ui.state.panel_result`` gives ``panel`` without options."""
    return (panel.__name__, target.filter, target.settings)


def _running(store) -> bool:
    return store.prefetch_thread is not None and store.prefetch_thread.is_alive()


def _compute(session: SessionMemo, cohort, target: _Target, panels) -> None:
    store = session.store
    for panel in panels:
        with store.lock:
            if store.forgotten or store.prefetching != target:
                return  # the cohort is gone, or the session has moved on
        try:
            panel_result(panel, cohort, target.filter, target.settings, session)
        except (SessionForgotten, FilterError):
            return  # the cohort is gone; a subgroup the sidebar refuses
        except Exception:  # noqa: BLE001 - the page computes it again and shows its error
            if not store.forgotten:  # a closed connection once forgotten is expected
                _LOG.warning("A panel computed ahead failed (%s); its page computes it again.", panel.__name__,
                             exc_info=True)
            return

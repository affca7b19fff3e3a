"""The other pages' panels computed ahead, while the browser draws this one.

A registry's subgroup takes a fraction of a second per panel to compute: a presenter who
picks a subgroup, then goes from page to page, would wait on each page in turn. On a
large uploaded cohort (``PREFETCH_FROM_PATIENTS``), each run records its subgroup and
definitions as soon as the sidebar has read them (``aim``), and at its end (``prefetch``)
starts the session's one thread if none runs: it computes, into the session's memo
(``ui.state.SessionMemo``), the panels of the latest recorded subgroup that the memo
lacks (``PANELS``, in page order), choosing each next panel afresh. A run for another
subgroup thus turns a running thread to it at its next panel, while the page computes
its own: a page asking for a panel under way waits for that result
(``SessionMemo.get``) rather than computing it twice, and the thread leaves a panel a
page is computing to it.

The thread ends when nothing is left to compute, and when the session forgets its
cohort. It works as the page would, on the page's objects: results stay in this
session's memo, in memory. A panel that fails here is not tried here again (the last
``_FAILED_KEPT`` failures are remembered); it is left to the page, which computes it
and shows its error as it would have; the log gets the exception's type only
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

# Failed keys remembered per session (a subgroup the sidebar refuses fails every panel).
_FAILED_KEPT = 256

_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Target:
    """What a prefetch computes for: a cohort (digest), subgroup and definitions."""

    digest: str
    filter: object
    settings: object


def aim() -> None:
    """Early in a run, once the sidebar has read the subgroup and definitions: record
    them as what the session's prefetch computes (a large upload only). A thread still
    computing an earlier subgroup's panels turns to this one at its next panel, instead
    of sharing the cohort's connection with this run's page for the rest of the run."""
    picked = _aimed()
    if picked is not None:
        session, target = picked
        with session.store.lock:
            session.store.prefetching = target


def prefetch() -> threading.Thread | None:
    """At the end of a run: record the current cohort, subgroup and definitions (as
    ``aim``), and start the session's prefetch thread if none is running and the memo
    lacks some panel of them (returned; None otherwise: a small cohort, the demo, an
    unusable upload, every panel known, or the running thread, which takes the subgroup
    up at its next panel)."""
    picked = _aimed()
    if picked is None:
        return None
    session, target = picked
    cohort = session.active.cohort
    store = session.store
    with store.lock:
        store.prefetching = target
        running = store.prefetch_thread is not None and store.prefetch_thread.is_alive()
        if running or _next_panel(session) is None:
            return None
        # A daemon, as the script thread starting it: a server stopping does not wait
        # for a computation only a page of this session could use.
        thread = threading.Thread(target=_compute, args=(session, cohort), name="panel-prefetch", daemon=True)
        store.prefetch_thread = thread
    thread.start()
    return thread


def _aimed() -> tuple[SessionMemo, _Target] | None:
    """This run's session and what a prefetch would compute for it; None for the demo,
    an unusable upload or a cohort under ``PREFETCH_FROM_PATIENTS``."""
    active = active_cohort()
    cohort = active.cohort
    if active.is_demo or cohort is None:
        return None
    counted = cohort.report.counts.get("patients")
    if counted is None or counted.kept < PREFETCH_FROM_PATIENTS:
        return None
    return this_session(), _Target(active.digest, current_filter(), current_settings())


def _key(panel, target: _Target) -> tuple:
    """The memo key ``ui.state.panel_result`` gives ``panel`` without options."""
    return (panel.__name__, target.filter, target.settings)


def _next_panel(session: SessionMemo):
    """Under the store's lock: the first of ``PANELS`` of the session's latest target
    that is neither computed, nor under way (a page computing it), nor failed here
    before; None when there is none, or when the target is another cohort's."""
    store = session.store
    target = store.prefetching
    if store.forgotten or target is None or target.digest != session.digest:
        return None
    for panel in PANELS:
        full = (session.digest, _key(panel, target))
        if full not in store.entries and full not in store.running and full not in store.prefetch_failed:
            return panel, target
    return None


def _compute(session: SessionMemo, cohort) -> None:
    """The session's prefetch thread: the next panel of the latest target
    (``_next_panel``), until there is none; the session's next run starts another."""
    store = session.store
    while True:
        with store.lock:
            picked = _next_panel(session)
            if picked is None:
                store.prefetch_thread = None
                return
        panel, target = picked
        try:
            panel_result(panel, cohort, target.filter, target.settings, session)
        except SessionForgotten:
            return  # the cohort is gone
        except Exception as exc:  # noqa: BLE001 - the page computes it again and shows its error
            if store.forgotten:
                return  # the connection closed under the query: the cohort is gone
            with store.lock:
                # Not tried again for this subgroup: a run would otherwise log it each time.
                if len(store.prefetch_failed) >= _FAILED_KEPT:
                    store.prefetch_failed.clear()
                store.prefetch_failed.add((session.digest, _key(panel, target)))
            if not isinstance(exc, FilterError):  # a subgroup the sidebar already refuses
                _LOG.warning("A panel computed ahead failed (%s); its page computes it again.", panel.__name__,
                             exc_info=True)

"""The session's current cohort: the uploaded files, or else the synthetic demo.

Patient data live only in ``st.session_state`` (in memory, one browser session): never
in ``st.cache_resource`` (shared by every session), never on disk. A cohort is keyed by
the SHA-256 of its files' names and bytes, so uploading the same files again reuses
it and different files rebuild it. Columns the user dropped as direct identifiers are
kept per upload (by that hash), so the same files come back without them.
"""
from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import streamlit as st

from core.cohort import Cohort, LoadResult, files_digest
from core.identifier_columns import identifier_keys
from core.report import ERROR, Issue, Report

_UPLOAD = "_cohort_upload"
_DEMO = "_cohort_demo"
_MEMO = "_cohort_memo"
_GENERATION = "_uploader_generation"
_DROPPED = "_cohort_dropped"  # {files digest: (file, sheet, header) dropped as identifiers}
_LAST_ACTIVE = "_last_active"
_HIDDEN = "_read_hidden_sheets"  # whether a workbook's hidden sheets are read (this session)
_MEMO_LIMIT = 256
# Subgroups whose results each panel keeps: a result can hold per-patient frames as long
# as the cohort (a registry's doses, pairs, follow-up), fetched on first use; an older
# subgroup is computed again when it comes back (well under a second at registry scale).
_PANEL_RESULTS_KEPT = 8

# What the uploader accepts; core.formats decides how each is read.
# Every file core.formats reads: a legacy .xls workbook is still common in hospitals.
UPLOAD_TYPES = ("csv", "tsv", "txt", "xlsx", "xlsm", "xls", "xlsb", "ods", "parquet", "pq")

T = TypeVar("T")


@dataclass(frozen=True)
class ActiveCohort:
    """The cohort the pages show, with where it came from."""

    result: LoadResult
    is_demo: bool
    names: tuple[str, ...]
    digest: str
    # The uploaded bytes, kept only while a column is flagged as a direct identifier, so
    # that it can be dropped once the uploader has let the files go (another page).
    files: tuple[tuple[str, bytes], ...] = field(default=(), repr=False, compare=False)
    dropped: frozenset[tuple[str, str | None, str]] = frozenset()
    # files_digest of the uploaded bytes (``digest`` also covers the dropped columns):
    # what an export's stamp names.
    upload_digest: str = ""

    @property
    def cohort(self) -> Cohort | None:
        return self.result.cohort

    @property
    def report(self) -> Report:
        return self.result.report

    def stamp_digest(self) -> str:
        """What a snapshot of this cohort is stamped with (the poster page and every
        export): the SHA-256 of the files, the demo's or the uploaded ones, whatever
        columns were dropped or sheets read from them."""
        if self.is_demo:
            from core.demo import demo_digest

            return demo_digest()
        return self.upload_digest


def set_upload(files: Sequence[tuple[str, bytes]]) -> ActiveCohort:
    """Make the uploaded ``files`` the session's cohort, loading them unless already loaded
    (without the columns dropped from these files in this session)."""
    mark_active()
    upload = files_digest(files)
    dropped = st.session_state.get(_DROPPED, {}).get(upload, frozenset())
    hidden = reads_hidden_sheets()
    # Another digest once columns are dropped or hidden sheets read: memos and filter
    # widgets start afresh.
    digest = upload if not dropped and not hidden else hashlib.sha256(
        f"{upload}{sorted(dropped)!r}{'hidden' if hidden else ''}".encode()).hexdigest()
    current = st.session_state.get(_UPLOAD)
    if current is not None and current.digest == digest:
        return current
    clear_upload()
    result = _load(files, dropped, hidden)
    # The bytes stay while a choice can reload them: a column to drop, hidden sheets to read.
    reloadable = identifier_keys(result.report) or any(i.code == "hidden_sheet" for i in result.report.issues)
    kept = tuple(files) if reloadable else ()
    active = ActiveCohort(result, False, tuple(n for n, _ in files), digest, kept, dropped, upload)
    st.session_state[_UPLOAD] = active
    return active


def drop_identifier_columns() -> None:
    """Button callback: reload the uploaded cohort without the columns flagged as direct
    identifiers; the choice holds for these files for the rest of the session."""
    current = st.session_state.get(_UPLOAD)
    if current is None or not current.files:
        return
    drops = st.session_state.setdefault(_DROPPED, {})
    drops[files_digest(current.files)] = current.dropped | identifier_keys(current.report)
    clear_upload()
    set_upload(current.files)


def reads_hidden_sheets() -> bool:
    """Whether this session reads a workbook's hidden sheets (off until the user ticks it)."""
    return bool(st.session_state.get(_HIDDEN, False))


def set_read_hidden_sheets(read: bool) -> None:
    """Checkbox callback: read (or leave out) hidden sheets, reloading the uploaded files."""
    st.session_state[_HIDDEN] = read
    current = st.session_state.get(_UPLOAD)
    if current is None or not current.files:
        return
    clear_upload()
    set_upload(current.files)


def forget_dropped_columns() -> None:
    """Forget which columns were dropped from which files (headers are the user's text)."""
    st.session_state.pop(_DROPPED, None)


def clock() -> float:
    """Seconds on a monotonic clock (what idle times are measured with)."""
    return time.monotonic()


def mark_active() -> None:
    """Record that the user acted now (a run, an upload)."""
    st.session_state[_LAST_ACTIVE] = clock()


def idle_seconds() -> float:
    """Seconds since the user last acted in this session (0 on its first run)."""
    last = st.session_state.get(_LAST_ACTIVE)
    return 0.0 if last is None else clock() - last


def has_upload() -> bool:
    """Whether the session holds uploaded files (usable or not) rather than the demo."""
    return st.session_state.get(_UPLOAD) is not None


def clear_upload() -> None:
    """Forget the uploaded cohort (its DuckDB connection is closed); the demo takes over."""
    current = st.session_state.pop(_UPLOAD, None)
    store = st.session_state.pop(_MEMO, None)
    if store is not None:
        store.forget()  # a download button drawn before refuses from now on
    if current is not None and current.cohort is not None:
        current.cohort.close()


def uploader_key() -> str:
    """The file uploader's widget key: ``"upload"``, renewed after a return to the demo.

    A new key is the only way to empty a file uploader from Python, so that the widget
    does not go on showing files that are no longer the active cohort.
    """
    generation = st.session_state.get(_GENERATION, 0)
    return "upload" if generation == 0 else f"upload_{generation}"


def on_upload_change() -> None:
    """Uploader callback (runs before the page): load the new files, or drop the upload."""
    uploaded = st.session_state.get(uploader_key()) or []
    if uploaded:
        set_upload([(f.name, f.getvalue()) for f in uploaded])
    else:
        clear_upload()


def return_to_demo() -> None:
    """Button callback: forget the upload and empty the uploader; the demo is shown again."""
    clear_upload()
    st.session_state[_GENERATION] = st.session_state.get(_GENERATION, 0) + 1


def active_cohort() -> ActiveCohort:
    """The uploaded cohort if there is one (usable or not), else the demo cohort."""
    upload = st.session_state.get(_UPLOAD)
    return upload if upload is not None else _demo()


class SessionForgotten(RuntimeError):
    """A download asked of a session that has forgotten its cohort since the page was
    drawn, or would forget it at this click (idle too long)."""


class _Running:
    """A computation under way in one thread (``_MemoStore.running``): another thread
    asking for the same key waits for it (``done``) instead of computing it again."""

    def __init__(self) -> None:
        self.thread = threading.get_ident()
        self.done = threading.Event()


class _MemoStore:
    """The results a session has computed, by (cohort digest, key), in computation order,
    and those being computed (``running``); the lock guards both (not the computations)
    against the other threads of the session: a download's, a prefetch's
    (``ui.prefetch``). Forgotten (``forget``) when the session's cohort goes: emptied,
    and refusing."""

    def __init__(self) -> None:
        self.entries: dict = {}
        self.running: dict = {}
        self.lock = threading.Lock()
        self.forgotten = False
        # ``ui.prefetch``: what the latest run asked to compute ahead, its thread, and the
        # keys that failed there (left to the pages).
        self.prefetching = None
        self.prefetch_thread: threading.Thread | None = None
        self.prefetch_failed: set = set()

    def forget(self) -> None:
        with self.lock:
            self.entries.clear()
            self.forgotten = True


@dataclass(frozen=True, eq=False)
class SessionMemo:
    """This session's memo, bound in a run of its script to its current cohort.

    Work done outside the script run must use it: a download's data is built on click
    in a Streamlit worker thread, without the session's context, where
    ``st.session_state`` is not this session's but one state shared by every such
    thread of the process (results of one user's cohort would be another's).
    ``active``: the session's cohort in that run; ``bound_at``: when the run bound it
    (``clock``), the session's last activity for a button drawn in that run.
    """

    store: _MemoStore = field(repr=False)
    active: ActiveCohort = field(repr=False)
    bound_at: float = 0.0

    @property
    def digest(self) -> str:
        return self.active.digest

    def get(self, key: Hashable, compute: Callable[[], T], latest: int | None = None) -> T:
        """``compute()`` once per cohort and ``key`` (``session_memo``). While another
        thread computes the same key, this one waits for its result (computing it
        itself if that one failed)."""
        full = (self.digest, key)
        memo, running = self.store.entries, self.store.running
        while True:
            with self.store.lock:
                self._refuse_if_forgotten()
                if full in memo:
                    return memo[full]
                other = running.get(full)
                # The same thread asking again (a computation asking for itself) computes.
                if other is None or other.thread == threading.get_ident():
                    mine = running[full] = _Running()
                    self._make_room(key, latest)
                    break
            other.done.wait()
        try:
            value = compute()  # unlocked: it may ask the memo for what it needs
            with self.store.lock:
                self._refuse_if_forgotten()
                # Computed meanwhile in another thread: one result for both.
                return memo.setdefault(full, value)
        finally:
            with self.store.lock:
                if running.get(full) is mine:
                    del running[full]
            mine.done.set()

    def _make_room(self, key: Hashable, latest: int | None) -> None:
        """Under the store's lock, before computing ``key``."""
        memo = self.store.entries
        if len(memo) >= _MEMO_LIMIT:
            # Many filter combinations in one session: start over rather than grow.
            memo.clear()
        if latest is not None:
            # Room for this one: at most ``latest`` of its kind once it is computed.
            kind = [k for k in memo if k[0] == self.digest and isinstance(k[1], tuple) and k[1][:1] == key[:1]]
            for old in kind[:max(0, len(kind) - latest + 1)]:  # oldest first (insertion order)
                del memo[old]

    def check_download(self, idle_limit_s: float) -> None:
        """Before a download's thread builds a file: raise ``SessionForgotten`` when the
        session has forgotten this cohort since the run that drew the button, or when the
        cohort is an upload and the session has been idle longer than ``idle_limit_s``
        (``ui.forget``) since that run: the click is the interaction that forgets it."""
        self._refuse_if_forgotten()
        if not self.active.is_demo and clock() - self.bound_at > idle_limit_s:
            raise SessionForgotten("idle")

    def _refuse_if_forgotten(self) -> None:
        if self.store.forgotten:
            raise SessionForgotten("forgotten")


def this_session() -> SessionMemo:
    """This session's memo, bound to its current cohort: call it in the script run, and
    hand it to what runs later in another thread (a download's data)."""
    store = st.session_state.get(_MEMO)
    if store is None:
        store = st.session_state[_MEMO] = _MemoStore()
    return SessionMemo(store, active_cohort(), clock())


def session_memo(key: Hashable, compute: Callable[[], T], latest: int | None = None) -> T:
    """``compute()`` once per cohort and ``key`` in this session.

    ``key`` names what is computed and its inputs, e.g. ``("response", current_filter())``
    (a ``Filter`` is hashable). With ``latest``, ``key`` is a tuple and only the ``latest``
    entries most recently computed with the same first element are kept: for results as
    large as the cohort (an export holds every event), not one per subgroup visited.

    Per-session on purpose: results derived from patient data are never shared with
    other sessions. The memo is dropped whenever the cohort changes. In the script run
    only (``this_session``).
    """
    return this_session().get(key, compute, latest)


def panel_result(panel: Callable[..., T], cohort: Cohort, flt, settings, session: SessionMemo | None = None,
                 **options) -> T:
    """``panel(cohort, flt, settings, **options)`` through the session's memo (``session``,
    else ``this_session()``), keyed by the panel's name and its inputs, so that the
    sidebar and a page asking for the same panel share one computation. The results of
    the last ``_PANEL_RESULTS_KEPT`` subgroups (filters, settings, options) are kept per
    panel."""
    key = (panel.__name__, flt, settings, *sorted(options.items()))
    return (session or this_session()).get(key, lambda: panel(cohort, flt, settings, **options),
                                           latest=_PANEL_RESULTS_KEPT)


def _demo() -> ActiveCohort:
    demo = st.session_state.get(_DEMO)
    if demo is None:
        from core.demo import load_demo

        demo = ActiveCohort(load_demo(), True, (), "demo")
        st.session_state[_DEMO] = demo
    return demo


def _load(files: Sequence[tuple[str, bytes]], dropped: frozenset = frozenset(), hidden: bool = False) -> LoadResult:
    from core.loader import load_cohort

    try:
        return load_cohort(list(files), drop_columns=dropped, read_hidden_sheets=hidden)
    except Exception as exc:  # noqa: BLE001 - a user's file must never show a traceback
        # Only the exception's type is shown: its text may quote patient values.
        issue = Issue.of(ERROR, "load_failed", {"kind": type(exc).__name__})
        return LoadResult(Report(issues=[issue]), None)

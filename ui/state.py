"""The session's current cohort: the uploaded files, or else the synthetic demo.

Patient data live only in ``st.session_state`` (in memory, one browser session): never
in ``st.cache_resource`` (shared by every session), never on disk. A cohort is keyed by
the SHA-256 of its files' names and bytes, so uploading the same files again reuses
it and different files rebuild it.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import streamlit as st

from core.cohort import Cohort, LoadResult
from core.report import ERROR, Issue, Report

_UPLOAD = "_cohort_upload"
_DEMO = "_cohort_demo"
_MEMO = "_cohort_memo"
_GENERATION = "_uploader_generation"
_MEMO_LIMIT = 256

# What the uploader accepts; core.formats decides how each is read.
UPLOAD_TYPES = ("csv", "tsv", "txt", "xlsx", "xlsm", "ods", "parquet")

T = TypeVar("T")


@dataclass(frozen=True)
class ActiveCohort:
    """The cohort the pages show, with where it came from."""

    result: LoadResult
    is_demo: bool
    names: tuple[str, ...]
    digest: str

    @property
    def cohort(self) -> Cohort | None:
        return self.result.cohort

    @property
    def report(self) -> Report:
        return self.result.report


def files_digest(files: Sequence[tuple[str, bytes]]) -> str:
    """SHA-256 over every file's name and bytes, independent of upload order."""
    h = hashlib.sha256()
    for name, data in sorted(files):
        for part in (name.encode("utf-8"), data):
            # Length prefixes keep ("ab", "c") and ("a", "bc") apart.
            h.update(len(part).to_bytes(8, "big"))
            h.update(part)
    return h.hexdigest()


def set_upload(files: Sequence[tuple[str, bytes]]) -> ActiveCohort:
    """Make the uploaded ``files`` the session's cohort, loading them unless already loaded."""
    digest = files_digest(files)
    current = st.session_state.get(_UPLOAD)
    if current is not None and current.digest == digest:
        return current
    clear_upload()
    active = ActiveCohort(_load(files), False, tuple(n for n, _ in files), digest)
    st.session_state[_UPLOAD] = active
    return active


def clear_upload() -> None:
    """Forget the uploaded cohort (its DuckDB connection is closed); the demo takes over."""
    current = st.session_state.pop(_UPLOAD, None)
    st.session_state.pop(_MEMO, None)
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


def session_memo(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per cohort and ``key`` in this session.

    ``key`` names what is computed and its inputs, e.g. ``("response", current_filter())``
    (a ``Filter`` is hashable).

    Per-session on purpose: results derived from patient data are never shared with
    other sessions. The memo is dropped whenever the cohort changes.
    """
    digest = active_cohort().digest
    memo = st.session_state.setdefault(_MEMO, {})
    if (digest, key) not in memo:
        if len(memo) >= _MEMO_LIMIT:
            # Many filter combinations in one session: start over rather than grow.
            memo.clear()
        memo[(digest, key)] = compute()
    return memo[(digest, key)]


def panel_result(panel: Callable[..., T], cohort: Cohort, flt, settings, **options) -> T:
    """``panel(cohort, flt, settings, **options)`` through ``session_memo``, keyed by the
    panel's name and its inputs, so that the sidebar and a page asking for the same panel
    share one computation."""
    key = (panel.__name__, flt, settings, *sorted(options.items()))
    return session_memo(key, lambda: panel(cohort, flt, settings, **options))


def _demo() -> ActiveCohort:
    demo = st.session_state.get(_DEMO)
    if demo is None:
        from core.demo import load_demo

        demo = ActiveCohort(load_demo(), True, (), "demo")
        st.session_state[_DEMO] = demo
    return demo


def _load(files: Sequence[tuple[str, bytes]]) -> LoadResult:
    from core.loader import load_cohort

    try:
        return load_cohort(list(files))
    except Exception as exc:  # noqa: BLE001 - a user's file must never show a traceback
        # Only the exception's type is shown: its text may quote patient values.
        issue = Issue.of(ERROR, "load_failed", {"kind": type(exc).__name__})
        return LoadResult(Report(issues=[issue]), None)

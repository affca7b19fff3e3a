"""Panels computed ahead (``ui.prefetch``) and the session memo shared by threads
(``ui.state.SessionMemo``): a key being computed in one thread is waited for in another,
not computed twice; a prefetch fills the memo with the current subgroup's panels of a
large upload, stops when the session moves on or forgets its cohort, and leaves a failed
panel to the page."""
from __future__ import annotations

import logging
import threading

import pytest

from core.demo import load_demo
from core.filters import Filter
from core.settings import Settings
from ui import prefetch, state
from ui.state import ActiveCohort, SessionForgotten, SessionMemo, _MemoStore


@pytest.fixture
def demo():
    result = load_demo()
    yield ActiveCohort(result, False, ("demo.csv",), "digest")  # an upload, as the prefetch sees it
    result.cohort.close()


def _memo(active: ActiveCohort) -> SessionMemo:
    return SessionMemo(_MemoStore(), active, 0.0)


def _wait_until(condition, what: str) -> None:
    for _ in range(1000):
        if condition():
            return
        threading.Event().wait(0.01)
    raise AssertionError(f"timed out waiting for {what}")


class _Watched(state._Running):
    """A computation under way whose waiters can be seen waiting."""

    def __init__(self) -> None:
        super().__init__()
        done, self.waited = self.done, threading.Event()

        class Seen(threading.Event):
            def wait(inner, timeout=None):
                self.waited.set()
                return done.wait(timeout)

            def set(inner):
                done.set()

        self.done = Seen()


@pytest.fixture
def watched(monkeypatch):
    monkeypatch.setattr(state, "_Running", _Watched)


def _waited(memo: SessionMemo, key) -> bool:
    running = memo.store.running.get((memo.digest, key))
    return running is not None and running.waited.is_set()


def test_a_key_computed_in_another_thread_is_waited_for_not_computed_again(demo, watched):
    memo = _memo(demo)
    release, calls, got = threading.Event(), [], []

    def slow():
        calls.append("first")
        release.wait()
        return "first result"

    first = threading.Thread(target=lambda: got.append(memo.get("key", slow)))
    first.start()
    _wait_until(lambda: calls, "the first computation")
    assert (memo.digest, "key") in memo.store.running  # under way
    second = threading.Thread(target=lambda: got.append(memo.get("key", lambda: calls.append("second") or "again")))
    second.start()
    _wait_until(lambda: _waited(memo, "key"), "the second thread to wait")
    assert got == []
    release.set()
    first.join(), second.join()
    assert calls == ["first"] and got == ["first result", "first result"]
    assert memo.store.running == {}


def test_a_failed_computation_leaves_the_key_to_the_thread_waiting_for_it(demo, watched):
    memo = _memo(demo)
    release, got, errors = threading.Event(), [], []

    def failing():
        release.wait()
        raise ValueError("a panel's error")

    def first_run():
        try:
            memo.get("key", failing)
        except ValueError as exc:
            errors.append(exc)

    first = threading.Thread(target=first_run)
    first.start()
    _wait_until(lambda: memo.store.running, "the first computation")
    second = threading.Thread(target=lambda: got.append(memo.get("key", lambda: "computed here")))
    second.start()
    _wait_until(lambda: _waited(memo, "key"), "the second thread to wait")
    release.set()
    first.join(), second.join()
    assert len(errors) == 1 and got == ["computed here"]
    assert memo.store.running == {}


def test_a_computation_asking_for_its_own_key_computes_it_rather_than_wait_for_itself(demo):
    memo = _memo(demo)
    got = memo.get("key", lambda: ("outer", memo.get("key", lambda: "inner")))
    assert got == "inner" == memo.store.entries[(demo.digest, "key")]  # the first stored, as before
    assert memo.store.running == {}


def test_a_thread_waiting_for_a_forgotten_cohort_is_refused(demo, watched):
    memo = _memo(demo)
    release, outcome = threading.Event(), []

    def waiter():
        try:
            memo.get("key", lambda: "never")
        except SessionForgotten:
            outcome.append("refused")

    first = threading.Thread(target=lambda: pytest.raises(SessionForgotten, memo.get, "key",
                                                           lambda: release.wait() and "late"))
    first.start()
    _wait_until(lambda: memo.store.running, "the first computation")
    second = threading.Thread(target=waiter)
    second.start()
    _wait_until(lambda: _waited(memo, "key"), "the second thread to wait")
    memo.store.forget()
    release.set()
    first.join(), second.join()
    assert outcome == ["refused"] and memo.store.entries == {}


def _target(active, flt=Filter(), settings=Settings()):
    return prefetch._Target(active.digest, flt, settings)


def _prefetching(memo: SessionMemo, target) -> None:
    """What a run would record (``prefetch.prefetch``)."""
    with memo.store.lock:
        memo.store.prefetching = target


def test_a_prefetch_computes_every_panel_a_page_asks_for(demo):
    memo = _memo(demo)
    flt, settings = Filter(sex=("F",)), Settings()
    _prefetching(memo, _target(demo, flt, settings))
    prefetch._compute(memo, demo.cohort)
    for panel in prefetch.PANELS:
        # What the page gets is the prefetched result, the one it would have computed.
        got = state.panel_result(panel, demo.cohort, flt, settings, memo)
        assert got is memo.store.entries[(demo.digest, (panel.__name__, flt, settings))]
        assert repr(got) == repr(panel(demo.cohort, flt, settings))
    assert memo.store.prefetch_thread is None


def _panels(monkeypatch, *panels) -> list:
    """``PANELS`` replaced by ``panels`` (functions of calls, a list they append to)."""
    calls: list = []
    made = []
    for name, effect in panels:
        def panel(cohort, flt, settings, name=name, effect=effect):
            calls.append((name, flt))
            return effect(flt) if effect else name
        panel.__name__ = name
        made.append(panel)
    monkeypatch.setattr(prefetch, "PANELS", tuple(made))
    return calls


def test_a_prefetch_takes_up_the_subgroup_the_session_moves_to(demo, monkeypatch):
    memo = _memo(demo)
    moved = Filter(hcq=True)

    def move(flt):
        if flt == Filter():
            _prefetching(memo, _target(demo, moved))  # the next run's subgroup
        return "first"

    calls = _panels(monkeypatch, ("first", move), ("second", None))
    _prefetching(memo, _target(demo))
    prefetch._compute(memo, demo.cohort)
    assert calls == [("first", Filter()), ("first", moved), ("second", moved)]


def test_a_panel_a_page_is_computing_is_left_to_it(demo, monkeypatch):
    memo = _memo(demo)
    calls = _panels(monkeypatch, ("first", None), ("second", None))
    target = _target(demo)
    _prefetching(memo, target)
    memo.store.running[(demo.digest, prefetch._key(prefetch.PANELS[0], target))] = state._Running()
    prefetch._compute(memo, demo.cohort)
    assert calls == [("second", Filter())]


def test_a_failed_panel_is_logged_once_by_its_type_and_left_to_the_page(demo, monkeypatch, caplog):
    memo = _memo(demo)

    def broken(flt):
        raise KeyError("P-0042")  # a message may quote the cohort

    calls = _panels(monkeypatch, ("broken", broken), ("after", None))
    _prefetching(memo, _target(demo))
    with caplog.at_level(logging.WARNING, logger="ui.prefetch"):
        prefetch._compute(memo, demo.cohort)
        prefetch._compute(memo, demo.cohort)  # the next run's thread: not tried again
    assert [r.getMessage() for r in caplog.records] == [
        "A panel computed ahead failed (broken); its page computes it again."]
    assert calls == [("broken", Filter()), ("after", Filter())]
    assert memo.store.running == {}
    with pytest.raises(KeyError):  # the page meets the error itself
        state.panel_result(prefetch.PANELS[0], demo.cohort, Filter(), Settings(), memo)


def test_a_subgroup_the_sidebar_refuses_is_not_logged(demo, caplog):
    memo = _memo(demo)
    _prefetching(memo, _target(demo, Filter(extra=(("no_such_column", ("x",)),))))
    with caplog.at_level(logging.DEBUG, logger="ui.prefetch"):
        prefetch._compute(memo, demo.cohort)
    assert caplog.records == [] and len(memo.store.prefetch_failed) == len(prefetch.PANELS)


def test_a_prefetch_of_a_forgotten_cohort_stops_without_a_word(demo, monkeypatch, caplog):
    memo = _memo(demo)

    def forget(flt):
        memo.store.forget()
        return 1

    calls = _panels(monkeypatch, ("forget", forget), ("after", None))
    _prefetching(memo, _target(demo))
    with caplog.at_level(logging.DEBUG, logger="ui.prefetch"):
        prefetch._compute(memo, demo.cohort)
    assert caplog.records == [] and calls == [("forget", Filter())] and memo.store.entries == {}


def _upload(app, files) -> None:
    app.run()
    app.switch_page("pages/upload.py").run()
    app.file_uploader(key="upload").set_value([(name, data, "text/csv") for name, data in files])
    app.run()


def _memo_keys(app) -> set:
    return {key[1] for key in app.session_state[state._MEMO].entries}


def _started(monkeypatch) -> list[threading.Thread]:
    """The threads ``prefetch.prefetch`` starts from now on."""
    started: list[threading.Thread] = []
    original = prefetch.prefetch

    def recorded():
        thread = original()
        if thread is not None:
            started.append(thread)
        return thread

    monkeypatch.setattr(prefetch, "prefetch", recorded)
    return started


_VISITS = [{"patient_id": pid, "month": month, "active_skin_lesions": lesions}
           for pid in "ABCD" for month, lesions in ((0, 4), (3, 1), (6, 0))]


def _hcq_yes(app) -> None:
    app.segmented_control(key=[c.key for c in app.segmented_control if c.key.endswith("_hcq")][0]).set_value("yes")
    app.run()


def test_an_upload_is_computed_ahead_page_by_page_from_its_size(app, monkeypatch):
    """After the run that loads a large upload, every panel of the whole cohort is in the
    session's memo, computed by the prefetch's thread (a daemon, as the script's
    thread); a subgroup chosen next is too."""
    from tests.helpers import small_cohort_files

    started = _started(monkeypatch)
    monkeypatch.setattr(prefetch, "PREFETCH_FROM_PATIENTS", 4)
    _upload(app, small_cohort_files(_VISITS))
    assert not app.exception and len(started) == 1 and started[0].daemon
    started[0].join(timeout=60)
    settings = Settings()
    assert {(p.__name__, Filter(), settings) for p in prefetch.PANELS} <= _memo_keys(app)
    app.switch_page("pages/response.py").run()
    assert len(started) == 1  # every panel known: nothing to compute
    _hcq_yes(app)
    assert len(started) == 2
    started[1].join(timeout=60)
    assert {(p.__name__, Filter(hcq=True), settings) for p in prefetch.PANELS} <= _memo_keys(app)


def test_a_run_for_another_subgroup_turns_the_thread_to_it_at_its_next_panel(app, monkeypatch):
    """One thread per session. A run for another subgroup starts none: as soon as its
    sidebar has read the subgroup (``prefetch.aim``), the running thread computes that
    subgroup's panels after the one under way, during the run, and never the old
    subgroup's remaining ones (which would share the connection with the run's page)."""
    from tests.helpers import small_cohort_files
    from ui import filters

    release, calls = threading.Event(), []

    def held(cohort, flt, settings):
        calls.append(("held", flt))
        if flt == Filter():
            release.wait(60)
        return "held"

    def after(cohort, flt, settings):
        calls.append(("after", flt))
        return "after"

    started = _started(monkeypatch)
    monkeypatch.setattr(prefetch, "PREFETCH_FROM_PATIENTS", 4)
    monkeypatch.setattr(prefetch, "PANELS", (held, after))
    _upload(app, small_cohort_files(_VISITS))
    _wait_until(lambda: calls, "the prefetch's first panel")
    app.switch_page("pages/response.py").run()
    sidebar_populations, seen_in_run = filters.sidebar_populations, []

    def during_the_run(box, lang):
        # After the sidebar has read the subgroup: the thread's panel ends, and the next
        # it computes, within this run, is the new subgroup's.
        if filters.current_filter() == Filter(hcq=True) and not seen_in_run:
            release.set()
            _wait_until(lambda: ("held", Filter(hcq=True)) in calls, "the thread to turn to the new subgroup")
            seen_in_run.append(list(calls))
        return sidebar_populations(box, lang)

    monkeypatch.setattr(filters, "sidebar_populations", during_the_run)
    _hcq_yes(app)
    assert not app.exception and len(started) == 1  # the thread computes: no other
    started[0].join(timeout=60)
    assert seen_in_run and seen_in_run[0][:2] == [("held", Filter()), ("held", Filter(hcq=True))]
    assert calls == [("held", Filter()), ("held", Filter(hcq=True)), ("after", Filter(hcq=True))]


def test_a_small_upload_and_the_demo_are_not_computed_ahead(app, monkeypatch):
    from tests.helpers import small_cohort_files

    started = _started(monkeypatch)
    monkeypatch.setattr(prefetch, "PREFETCH_FROM_PATIENTS", 5)  # one more than the upload's patients
    app.run()  # the demo
    _upload(app, small_cohort_files(_VISITS))
    assert not app.exception and started == []

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
    for _ in range(500):
        if condition():
            return
        threading.Event().wait(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_key_computed_in_another_thread_is_waited_for_not_computed_again(demo):
    memo = _memo(demo)
    release, calls, got = threading.Event(), [], []

    def slow():
        calls.append("first")
        release.wait()
        return "first result"

    first = threading.Thread(target=lambda: got.append(memo.get("key", slow)))
    first.start()
    _wait_until(lambda: calls, "the first computation")
    assert memo.has("key")  # under way
    second = threading.Thread(target=lambda: got.append(memo.get("key", lambda: calls.append("second") or "again")))
    second.start()
    threading.Event().wait(0.1)
    assert got == []  # the second thread waits
    release.set()
    first.join(), second.join()
    assert calls == ["first"] and got == ["first result", "first result"]
    assert memo.store.running == {}


def test_a_failed_computation_leaves_the_key_to_the_thread_waiting_for_it(demo):
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
    release.set()
    first.join(), second.join()
    assert len(errors) == 1 and got == ["computed here"]
    assert memo.store.running == {}


def test_a_computation_asking_for_its_own_key_computes_it_rather_than_wait_for_itself(demo):
    memo = _memo(demo)
    got = memo.get("key", lambda: ("outer", memo.get("key", lambda: "inner")))
    assert got == "inner" == memo.store.entries[(demo.digest, "key")]  # the first stored, as before
    assert memo.store.running == {}


def test_a_thread_waiting_for_a_forgotten_cohort_is_refused(demo):
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
    memo.store.forget()
    release.set()
    first.join(), second.join()
    assert outcome == ["refused"] and memo.store.entries == {}


def _target(active, flt=Filter(), settings=Settings()):
    return prefetch._Target(active.digest, flt, settings)


def test_a_prefetch_computes_every_panel_a_page_asks_for(demo):
    memo = _memo(demo)
    flt, settings = Filter(sex=("F",)), Settings()
    target = _target(demo, flt, settings)
    memo.store.prefetching = target
    prefetch._compute(memo, demo.cohort, target, prefetch.PANELS)
    for panel in prefetch.PANELS:
        # What the page gets is the prefetched result, the one it would have computed.
        got = state.panel_result(panel, demo.cohort, flt, settings, memo)
        assert got is memo.store.entries[(demo.digest, (panel.__name__, flt, settings))]
        assert repr(got) == repr(panel(demo.cohort, flt, settings))


def test_a_prefetch_stops_once_the_session_moves_to_another_subgroup(demo):
    memo = _memo(demo)
    target = _target(demo)
    memo.store.prefetching = target
    computed = []

    def first(cohort, flt, settings):
        computed.append("first")
        memo.store.prefetching = _target(demo, Filter(hcq=True))  # the next run's subgroup
        return 1

    def second(cohort, flt, settings):
        computed.append("second")
        return 2

    prefetch._compute(memo, demo.cohort, target, (first, second))
    assert computed == ["first"]


def test_a_failed_panel_is_logged_by_its_type_and_left_to_the_page(demo, caplog):
    memo = _memo(demo)
    target = _target(demo)
    memo.store.prefetching = target

    def broken(cohort, flt, settings):
        raise KeyError("P-0042")  # a message may quote the cohort

    with caplog.at_level(logging.WARNING, logger="ui.prefetch"):
        prefetch._compute(memo, demo.cohort, target, (broken,))
    assert [r.getMessage() for r in caplog.records] == [
        "A panel computed ahead failed (broken); its page computes it again."]
    assert memo.store.entries == {} and memo.store.running == {}
    with pytest.raises(KeyError):  # the page meets the error itself
        state.panel_result(broken, demo.cohort, Filter(), Settings(), memo)


def test_a_prefetch_of_a_forgotten_cohort_stops_without_a_word(demo, caplog):
    memo = _memo(demo)
    target = _target(demo)
    memo.store.prefetching = target

    def forget(cohort, flt, settings):
        memo.store.forget()
        return 1

    with caplog.at_level(logging.DEBUG, logger="ui.prefetch"):
        prefetch._compute(memo, demo.cohort, target, (forget, prefetch.PANELS[0]))
    assert caplog.records == [] and memo.store.entries == {}


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


def test_an_upload_is_computed_ahead_page_by_page_from_its_size(app, monkeypatch):
    """After the run that loads a large upload, every panel of the whole cohort is in the
    session's memo, computed by the prefetch's thread; a subgroup chosen next is too."""
    from tests.helpers import small_cohort_files

    started = _started(monkeypatch)
    monkeypatch.setattr(prefetch, "PREFETCH_FROM_PATIENTS", 4)
    _upload(app, small_cohort_files(_VISITS))
    assert not app.exception and len(started) == 1
    started[0].join(timeout=60)
    settings = Settings()
    assert {(p.__name__, Filter(), settings) for p in prefetch.PANELS} <= _memo_keys(app)
    app.switch_page("pages/response.py").run()
    assert len(started) == 1  # every panel known: nothing to compute
    app.segmented_control(key=[c.key for c in app.segmented_control if c.key.endswith("_hcq")][0]).set_value("yes")
    app.run()
    assert len(started) == 2
    started[1].join(timeout=60)
    assert {p.__name__ for p in prefetch.PANELS} <= {
        key[0] for key in _memo_keys(app) if isinstance(key, tuple) and len(key) > 1
        and getattr(key[1], "hcq", None) is True}


def test_a_small_upload_and_the_demo_are_not_computed_ahead(app, monkeypatch):
    from tests.helpers import small_cohort_files

    started = _started(monkeypatch)
    monkeypatch.setattr(prefetch, "PREFETCH_FROM_PATIENTS", 5)  # one more than the upload's patients
    app.run()  # the demo
    _upload(app, small_cohort_files(_VISITS))
    assert not app.exception and started == []

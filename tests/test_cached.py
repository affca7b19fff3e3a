"""Per-instance cached properties: one session's slow value never makes another wait."""
from __future__ import annotations

import threading
from dataclasses import dataclass

from core.cached import cached_property


def test_computed_once_per_instance_on_a_frozen_dataclass():
    calls = []

    @dataclass(frozen=True)
    class Result:
        n: int

        @cached_property
        def double(self) -> int:
            calls.append(self.n)
            return 2 * self.n

    first, second = Result(1), Result(2)
    assert (first.double, first.double, second.double) == (2, 2, 4)
    assert calls == [1, 2]
    assert Result.double.__doc__ is None and isinstance(Result.__dict__["double"], cached_property)


def test_another_instance_computes_while_one_is_computing():
    """Python 3.11's functools.cached_property would hold this second read until the
    first instance's value is done."""
    started, release, first_done = threading.Event(), threading.Event(), threading.Event()

    class Slow:
        def __init__(self, wait: bool) -> None:
            self.wait = wait

        @cached_property
        def value(self) -> bool:
            if self.wait:
                started.set()
                release.wait(10)
            return self.wait

    def first() -> None:
        Slow(True).value
        first_done.set()

    worker = threading.Thread(target=first)
    worker.start()
    assert started.wait(10)
    try:
        assert Slow(False).value is False
        assert not first_done.is_set()  # the second read did not wait for the first
    finally:
        release.set()
        worker.join()

"""``cached_property`` as Python 3.12 has it: computed once per instance, on first use.

Python 3.11's ``functools.cached_property`` holds one lock per property, shared by every
instance of the class, while it computes: a download of one session rendering its
charts or fetching its events would make every other session wait for that property.
Here two threads may compute the same instance's value at once; the first stored is kept.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any


class cached_property:  # noqa: N801 - the name of the decorator it stands for
    """A read-only attribute computed by ``func`` on first use, then stored on the
    instance (its ``__dict__``, frozen dataclasses included)."""

    def __init__(self, func: Callable[[Any], Any]) -> None:
        self.func = func
        self.__doc__ = func.__doc__
        self.name = func.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        # Stored in the instance's dict, which attribute lookup reads before this
        # (non-data) descriptor: later reads do not come here.
        return instance.__dict__.setdefault(self.name, self.func(instance))

"""The server's log names an error without quoting it: an exception's message may quote a
cell, a patient id or a header of the cohort.

Streamlit logs an uncaught exception of a page's script ("Uncaught app execution") and
of a download built on click ("Error executing deferred callable") with its traceback.
``keep_messages_out_of_logs`` makes every log record that carries an exception write
its traceback as frames (file, line, function, source line) and, for each exception of
the chain, its type only. The browser is shown the type only too
(``client.showErrorDetails = "type"``), and Streamlit's rich traceback printing, which
would bypass logging, stays off (``logger.enableRich = false``).
"""
from __future__ import annotations

import logging
import traceback

WITHHELD = "(message withheld from the log: it may quote the cohort's data)"
_WRITTEN = "(an exception written elsewhere in this traceback)"


def keep_messages_out_of_logs() -> None:
    """Install, once per process, the record factory that writes exceptions without
    their messages (``traceback_without_messages``)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "withholds_messages", False):
        return

    def record(*args, **kwargs) -> logging.LogRecord:
        made = factory(*args, **kwargs)
        exc = made.exc_info[1] if isinstance(made.exc_info, tuple) and len(made.exc_info) == 3 else None
        if isinstance(exc, BaseException):
            # A formatter writes ``exc_text`` when set, instead of formatting the exception.
            made.exc_text = traceback_without_messages(exc)
        return made

    record.withholds_messages = True
    logging.setLogRecordFactory(record)


def traceback_without_messages(exc: BaseException, _seen: set[int] | None = None) -> str:
    """``exc``'s traceback as Python prints it, each exception's message left out: the
    chain from the first cause, each with its frames and its type; an exception group
    (a server's task group) followed by each of its exceptions, indented, numbered.
    Each exception is written once (``_seen``, shared with a group's exceptions): one
    taken out of its group and raised again has the group for context (a cycle)."""
    chain = []
    seen = set() if _seen is None else _seen
    if id(exc) in seen:
        return _WRITTEN
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    parts = []
    for k, each in enumerate(reversed(chain)):
        if k:
            parts.append("\nDuring handling of the above exception, another exception occurred:\n\n"
                         if each.__cause__ is None else
                         "\nThe above exception was the direct cause of the following exception:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(each.__traceback__))
        parts.append(f"{type(each).__module__}.{type(each).__qualname__} {WITHHELD}\n")
        if isinstance(each, BaseExceptionGroup):
            for number, member in enumerate(each.exceptions, start=1):
                inner = traceback_without_messages(member, seen).replace("\n", "\n  | ")
                parts.append(f"  +---------------- {number} ----------------\n  | {inner}\n")
    return "".join(parts).rstrip("\n")

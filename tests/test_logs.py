"""The server's log names an error's type and frames, never its message (which may quote
the cohort's data)."""
from __future__ import annotations

import io
import logging

import pytest

from ui.logs import WITHHELD, keep_messages_out_of_logs, traceback_without_messages


@pytest.fixture
def withholding():
    """The app's record factory, installed for the test and removed after it."""
    original = logging.getLogRecordFactory()
    logging.setLogRecordFactory(logging.LogRecord)
    keep_messages_out_of_logs()
    yield
    logging.setLogRecordFactory(original)


# The cells the messages quote, made at run time: a traceback's source lines are code.
PATIENT, NAME = "-".join(("P", "0042")), " ".join(("DUPONT", "Jean"))


def _raise_chain():
    try:
        {}[PATIENT]
    except KeyError as exc:
        raise ValueError(f"could not read {NAME!r} in row {3 * 4}") from exc


def _caught() -> BaseException:
    try:
        _raise_chain()
    except ValueError as exc:
        return exc
    raise AssertionError("no exception")


def test_a_logged_exception_keeps_its_frames_and_types_not_its_messages(withholding):
    stream = io.StringIO()
    logger = logging.getLogger("tests.logs")
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    try:
        logger.error("Uncaught app execution", exc_info=_caught())
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "Uncaught app execution" in text
    assert NAME not in text and PATIENT not in text and "row 12" not in text
    assert f"builtins.KeyError {WITHHELD}" in text and f"builtins.ValueError {WITHHELD}" in text
    assert "The above exception was the direct cause of the following exception" in text
    assert text.count("in _raise_chain") == 2 and "in _caught" in text


def test_streamlit_loggers_write_it_so(withholding):
    """With the formatter Streamlit gives its loggers."""
    from streamlit.logger import get_logger

    logger = get_logger("streamlit.error_util")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(next((h.formatter for h in logger.handlers if h.formatter), None))
    logger.addHandler(handler)
    try:
        logger.error("Uncaught app execution", exc_info=_caught())
    finally:
        logger.removeHandler(handler)
    assert "builtins.ValueError" in stream.getvalue() and NAME not in stream.getvalue()


def test_installed_once_however_often_asked(withholding):
    factory = logging.getLogRecordFactory()
    keep_messages_out_of_logs()
    assert logging.getLogRecordFactory() is factory


def test_a_context_exception_reads_as_python_prints_it():
    try:
        try:
            raise OSError(PATIENT)
        except OSError:
            raise RuntimeError(NAME)
    except RuntimeError as exc:
        text = traceback_without_messages(exc)
    assert PATIENT not in text and NAME not in text
    assert "During handling of the above exception, another exception occurred" in text
    assert text.index("builtins.OSError") < text.index("builtins.RuntimeError")


def test_an_exception_group_lists_each_exception_without_its_message():
    # A server's task group raises its tasks' errors together: each is named, with its
    # frames (before, the log named the group alone).
    try:
        raise ExceptionGroup(f"in {NAME}", [_caught(), KeyError(PATIENT)])
    except ExceptionGroup as group:
        text = traceback_without_messages(group)
    assert PATIENT not in text and NAME not in text and "row 12" not in text
    group, first, second = text.split(" ----------------\n")[0], *text.split("---- 1 ----")[1].split("---- 2 ----")
    assert group.startswith("Traceback") and f"builtins.ExceptionGroup {WITHHELD}" in group
    # The first exception with its cause, as Python prints a chain; the second alone.
    assert f"  | builtins.KeyError {WITHHELD}" in first and f"  | builtins.ValueError {WITHHELD}" in first
    assert first.count("in _raise_chain") == 2
    assert second.strip().endswith(f"builtins.KeyError {WITHHELD}") and "ValueError" not in second


def test_an_exception_raised_again_out_of_its_group_is_written_once():
    # A server takes a group's only exception out and raises it again: its context is
    # the group, whose exception it is (a cycle).
    try:
        try:
            raise ExceptionGroup("tasks", [KeyError(PATIENT)])
        except ExceptionGroup as group:
            raise group.exceptions[0]
    except KeyError as exc:
        text = traceback_without_messages(exc)
    assert PATIENT not in text
    assert text.count(f"builtins.KeyError {WITHHELD}") == 1 and "(an exception written elsewhere in this traceback)" in text
    assert text.index("builtins.ExceptionGroup") < text.index("---- 1 ----")


def test_the_app_installs_it(app):
    original = logging.getLogRecordFactory()
    logging.setLogRecordFactory(logging.LogRecord)
    try:
        app.run()
        assert getattr(logging.getLogRecordFactory(), "withholds_messages", False)
    finally:
        logging.setLogRecordFactory(original)


def test_a_record_made_with_exc_info_true_is_made(withholding):
    """``makeRecord`` may be given ``exc_info=True`` (not yet a tuple): no error."""
    record = logging.getLogger("tests.logs").makeRecord("tests.logs", logging.ERROR, __file__, 1, "m", (), True)
    assert record.exc_text is None


def test_the_config_keeps_errors_on_the_logging_path():
    """Streamlit prints an uncaught error with rich, message included, when
    ``logger.enableRich`` is on: the app's config keeps it off, and shows users the
    error's type only."""
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).parents[1] / ".streamlit" / "config.toml").read_text())
    assert config["logger"]["enableRich"] is False
    assert config["client"]["showErrorDetails"] == "type"

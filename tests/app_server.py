"""The app under ``streamlit run``, for a browser to open, and the browser's settings: the browser test
(``tests/test_browser.py``) and the browser benchmarks (``benchmarks/browser.py``,
``benchmarks/present.py``) all start it with :func:`serve_app`."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 15
_LOG_TAIL = 2000

# The browser that opens the app (Debian's chromium), its flags, and the selector that
# is present once the app's script has finished running.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


class AppServerError(RuntimeError):
    """The server exited, or did not answer its health check in time; the message ends
    with the tail of its log."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(log: Path) -> str:
    return log.read_bytes()[-_LOG_TAIL:].decode("utf-8", errors="replace")


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise AppServerError(f"streamlit exited with code {proc.returncode} before it answered "
                                 f"{url}/_stcore/health; its log ends with:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AppServerError(f"streamlit did not answer {url}/_stcore/health within {timeout:g} s; "
                                 f"its log ends with:\n{_tail(log)}")
        time.sleep(0.3)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def serve_app(log: Path | None = None, *, timeout: float = START_TIMEOUT_S) -> Iterator[str]:
    """A new ``streamlit run streamlit_app.py`` process, headless on a free port of
    127.0.0.1; yields its root URL (``http://127.0.0.1:<port>``, no trailing slash) once
    ``/_stcore/health`` answers.

    It runs from the project root (so ``.streamlit/config.toml`` applies), with this
    process's environment and usage statistics off. Its stdout and stderr go to the file
    ``log``; without one, to a temporary file deleted when the server has stopped, so
    nothing reaches the caller's output. Raises :class:`AppServerError` when the process
    exits or is not healthy within ``timeout`` seconds. On leaving, the process is always
    stopped: terminated, and killed when it has not exited after 15 s.
    """
    with contextlib.ExitStack() as stack:
        if log is None:
            log = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "streamlit.log"
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        cmd = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless=true",
               "--server.address=127.0.0.1", f"--server.port={port}"]
        out = stack.enter_context(open(log, "wb"))
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(url, proc, log, timeout)
            yield url
        finally:
            _stop(proc)

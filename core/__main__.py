"""``python -m core``: see ``core.cli``."""
import os
import sys

from core.cli import main

try:
    code = main()
    sys.stdout.flush()
except BrokenPipeError:
    # The reader went away (``| head``): nothing more to say, and no traceback. Output
    # still buffered would fail again at exit; it goes to the null device instead.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    code = 1
sys.exit(code)

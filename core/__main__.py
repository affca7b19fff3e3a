"""``python -m core``: see ``core.cli``."""
import gc
import os
import sys

from core.cli import main

# A command runs once and exits. Python's cyclic garbage collector would walk the
# hundreds of thousands of objects a registry's run builds, again and again, to free
# next to nothing (a 200,000-patient summary: 0.1 s of 2.5, for a peak memory a few per
# cent higher at most; the poster's exports: 1 s of 13). Memory freed by reference counting is
# freed as before; the few reference cycles go with the process.
gc.disable()
try:
    code = main()
    sys.stdout.flush()
except BrokenPipeError:
    # The reader went away (``| head``): nothing more to say, and no traceback. Output
    # still buffered would fail again at exit; it goes to the null device instead.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    code = 1
# Python's last collection at exit would walk every object still alive, the libraries'
# modules above all (pandas alone: 0.08 s); frozen objects are left out of it. Modules
# are still torn down and exit handlers still run; only reference cycles are not freed.
gc.freeze()
sys.exit(code)

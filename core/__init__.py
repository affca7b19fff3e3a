"""The living poster's core: pure Python, usable without a browser."""

# The app's version, written on every export's snapshot stamp.
__version__ = "0.9.0"

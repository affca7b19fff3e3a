# `make run` and `make test` work from a fresh clone with only Python 3.11: the first
# call builds .venv; later calls reinstall only when a requirements file changes.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.requirements-installed

.PHONY: run test bench

# The app's own modules are byte-compiled first, as pip does for the packages it installs:
# a Python started with PYTHONDONTWRITEBYTECODE=1 would otherwise compile them from source
# at every start (0.1 s a command). Python ignores a compiled file older than its source.
COMPILE := $(VENV)/bin/python -m compileall -q core ui

run: $(STAMP)
	$(COMPILE)
	$(VENV)/bin/python -m streamlit run streamlit_app.py

test: $(STAMP)
	$(VENV)/bin/python -m pytest -q

# Registry-scale timings at 20,000 and 200,000 patients and page switches in a
# headless Chromium (on the demo, then with the 200,000-patient registry uploaded),
# written to benchmarks/results.json; not part of `make test`. All run, then the
# target fails if any missed a "must".
bench: $(STAMP)
	$(COMPILE)
	$(VENV)/bin/python benchmarks/registry.py --patients 20000 200000; registry=$$?; \
	$(VENV)/bin/python benchmarks/browser.py; browser=$$?; \
	$(VENV)/bin/python benchmarks/browser.py --patients 200000; scale=$$?; \
	test $$registry -eq 0 -a $$browser -eq 0 -a $$scale -eq 0

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

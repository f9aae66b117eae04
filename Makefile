# make demo   - set up and run vaxl on a sample workbook
# make test   - set up and run the whole test suite
# make bench  - set up and run the benchmark (writes docs/performance.md)
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup demo test bench lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[all,dev]'
	@if [ -f tests/node/package.json ]; then cd tests/node && npm install --silent --no-audit --no-fund; fi
	touch $(STAMP)

demo: setup
	rm -rf demo && mkdir -p demo && cd demo && ../$(VENV)/bin/vaxl demo

test: setup
	$(VENV)/bin/ruff check vaxl tests
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

bench: setup
	$(PY) -m vaxl.bench $(BENCH_ARGS)

lint: setup
	$(VENV)/bin/ruff check vaxl tests
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) demo bench-data .pytest_cache

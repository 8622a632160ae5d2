# Two entry points for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP_RUN  := $(VENV)/.installed-run
STAMP_DEV  := $(VENV)/.installed-dev

.PHONY: run test test-fast lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[evidence,cohort,fhir,web,cds]'
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[evidence,cohort,fhir,web,cds,spark,dev]'
	touch $@ $(STAMP_RUN)

## run: install everything and start the tumour-board application on http://127.0.0.1:8000/
##      (another port: make run PORT=8001)
##      (embedded SQLite store ./nelm.sqlite, example cases loaded; the first start prints
##      a one-time login address for the administrator)
PORT ?= 8000
run: $(STAMP_RUN)
	$(BIN)/nelm serve --host 127.0.0.1 --port $(PORT) --examples

## test: install the development tools and run every test, the linters, the format check
##       and the type check;
##       prints the line coverage of src/nelm (the TOTAL line at the end); the few long
##       sweeps of generated or mutated inputs (marked no_cover) run without the coverage
##       tracer, which made them four times slower while they add inputs, not lines
test: $(STAMP_DEV)
	$(BIN)/ruff check src tests tools
	$(BIN)/ruff format --check src tests tools
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto -m "not postgres" --cov --cov-report=
	$(BIN)/python -m pytest -m postgres --cov --cov-append --cov-report=term

## test-fast: the tests without the slow ones (agreement, live R, browser, API fuzzing):
##            what to run while changing code; `make test` still runs everything
test-fast: $(STAMP_DEV)
	$(BIN)/ruff check src tests tools
	$(BIN)/python -m pytest -n auto -m "not slow and not postgres" -q
	$(BIN)/python -m pytest -m "postgres and not slow" -q

lint: $(STAMP_DEV)
	$(BIN)/ruff check src tests tools
	$(BIN)/ruff format --check src tests tools

typecheck: $(STAMP_DEV)
	$(BIN)/mypy

## bench: the speed figures quoted in docs/benchmarks.md
bench: $(STAMP_RUN)
	$(BIN)/python tools/bench_assess.py

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache

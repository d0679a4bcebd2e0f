# One task runner, used the same way by people and by CI.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_HOME ?= portcullis-home

.PHONY: demo test lint typecheck unit install clean bench

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	rm -rf $(DEMO_HOME)
	$(BIN)/portcullis demo --home $(DEMO_HOME)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/bench_master_load.py --rows 10000000
	$(BIN)/python bench/bench_ledger.py
	$(BIN)/python bench/bench_matching_accuracy.py
	$(BIN)/python bench/bench_matching_latency.py
	$(BIN)/python bench/bench_api.py
	$(BIN)/python bench/bench_web.py
	$(BIN)/python bench/collect_results.py

clean:
	rm -rf $(VENV) $(DEMO_HOME) .mypy_cache .ruff_cache .pytest_cache

# The commands people and CI run. `make run` and `make test` are the two the README names.
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

export MLFLOW_DISABLE_TELEMETRY := true

.PHONY: run test lint typecheck bench demo eval clean-state

$(STAMP): pyproject.toml setup.py anomaly/_forest_walk.c
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

## Serve the API and console on 127.0.0.1:8000 with SQLite and all state under HANDOFF_HOME.
run: $(STAMP)
	$(BIN)/handoff db upgrade
	$(BIN)/handoff keys ensure-admin
	$(BIN)/handoff serve --host 127.0.0.1 --port 8000

## The whole test suite (PostgreSQL tests too when HANDOFF_TEST_POSTGRES_URL is set).
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

## Benchmarks: each prints its ratio against a raw baseline run in the same process.
bench: $(STAMP)
	$(BIN)/python -m bench

## The end-to-end flow: deal to delivery, time to bill.
demo: $(STAMP)
	$(BIN)/handoff demo --auto-approve

eval: $(STAMP)
	$(BIN)/handoff eval all --report out/eval

# Two commands matter: `make run` and `make test`. Both set up what they need first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast test-postgres test-e2e lint fmt bench bench-tools browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# Debian's Chromium and its driver for the browser tests (nothing downloads a browser of its own).
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
		else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; fi; \
	fi
	@if [ -f tests/e2e/package.json ] && [ ! -d tests/e2e/node_modules/axe-core ]; then \
		(cd tests/e2e && npm install --silent --no-audit --no-fund) ; \
	fi

run: $(STAMP)
	mkdir -p var
	$(BIN)/rostra serve --demo --host $(HOST) --port $(PORT)

# The tests that touch a database. `make test` runs everything on SQLite (the embedded
# default), then these again on PostgreSQL when ROSTRA_TEST_DATABASE_URL names one (.ci/run
# sets it), so both backends are checked in one run.
DB_TESTS := tests/api tests/store tests/perspective tests/reliability tests/web

test: $(STAMP) browser
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	ROSTRA_TEST_DATABASE_URL= $(BIN)/pytest -n 2 -m "not slow"
	@if [ -n "$$ROSTRA_TEST_DATABASE_URL" ]; then \
		echo "== the database tests again, on $$ROSTRA_TEST_DATABASE_URL"; \
		$(BIN)/pytest -n 2 -m "not slow and not e2e" $(DB_TESTS); \
	fi

test-fast: $(STAMP)
	$(BIN)/pytest -n 2 -m "not slow and not e2e"

test-postgres: $(STAMP)
	ROSTRA_TEST_DATABASE_URL=$${ROSTRA_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
		$(BIN)/pytest -n 2 -m "not slow and not e2e" $(DB_TESTS)

test-e2e: $(STAMP) browser
	$(BIN)/pytest -m e2e

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

fmt: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# wrk (Debian's package) is the closed-loop HTTP load generator of bench/service.py.
bench-tools:
	@if ! command -v wrk >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
		else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; fi; \
	fi

bench: $(STAMP) browser bench-tools
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var build *.egg-info src/*.egg-info

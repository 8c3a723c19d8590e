# The two commands a new user needs: `make run` and `make test`. Both set up .venv themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: run test lint typecheck check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP) $@

## run: the embedded default: SQLite, the console chat, the demo task and the web page
##      (`make run PORT=8081` for another port)
run: $(STAMP)
	$(if $(PORT),PROGRESSBOT_PORT=$(PORT)) $(BIN)/progressbot demo

## test: the whole suite (PostgreSQL: $$PROGRESSBOT_TEST_DATABASE_URL, else localhost:5432, else a throwaway)
test: $(DEVSTAMP)
	$(BIN)/python -m pytest -q

## lint: ruff, and import-linter's contracts that keep the layers (pyproject.toml)
lint: $(DEVSTAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(DEVSTAMP)
	$(BIN)/mypy

check: lint typecheck test

bench: $(DEVSTAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/ingest_http.py
	$(BIN)/python bench/progress_latency.py
	$(BIN)/python bench/eta.py
	$(BIN)/python bench/matcher.py
	$(BIN)/python bench/understanding.py
	$(BIN)/python bench/chat.py
	$(BIN)/python bench/notify.py
	$(BIN)/python -m bench.heavy
	$(BIN)/python bench/mcp.py
	$(BIN)/python bench/floors.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info

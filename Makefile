# Two commands do everything on a fresh machine: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.run-deps
DEV_STAMP := $(VENV)/.dev-deps

.PHONY: run test lint typecheck unit bench system-deps clean

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(RUN_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e ".[dev]"
	touch $@ $(RUN_STAMP)

## Run the whole system: embedded backend + app (window if possible, else http://127.0.0.1:8550).
run: $(RUN_STAMP)
	$(PY) main.py $(ARGS)

## Lint, format check, type check, then every test on SQLite and PostgreSQL and in Chromium.
test: $(DEV_STAMP) system-deps lint typecheck
	YIWANG_TEST_PG_URL="$$(tools/test-postgres.sh)" $(PY) -m pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: $(DEV_STAMP)
	$(PY) -m mypy

system-deps:
	@tools/system-deps.sh

bench: $(DEV_STAMP) system-deps
	YIWANG_BENCH_PG_URL="$$(tools/test-postgres.sh)" $(PY) bench/articles_bench.py
	YIWANG_BENCH_PG_URL="$$(tools/test-postgres.sh)" $(PY) bench/load_bench.py
	YIWANG_BENCH_PG_URL="$$(tools/test-postgres.sh)" $(PY) bench/services_bench.py
	YIWANG_BENCH_PG_URL="$$(tools/test-postgres.sh)" $(PY) bench/search_quality.py
	YIWANG_BENCH_PG_URL="$$(tools/test-postgres.sh)" $(PY) bench/applications_bench.py
	$(PY) bench/web_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

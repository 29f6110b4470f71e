VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev,api,dask]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	rm -f demo.duckdb
	$(VENV)/bin/dragoman --db demo.duckdb demo

test: $(STAMP)
	$(VENV)/bin/ruff check src tests bench tools
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -q -n 2 --dist loadfile  # both cores; a file's tests share one worker (and its fixtures)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench tools
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) demo.duckdb .pytest_cache

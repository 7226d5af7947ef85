# Every target sets itself up: .venv/ is created and the project installed into it when missing or when
# pyproject.toml changed since the last install.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RAW ?= data/raw
OUT ?= data/processed
WORKERS ?=

# Offline always: no library may fetch a model at run time.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: extract test eval audit bench notebooks format clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,dask,notebooks]'
	touch $(STAMP)

extract: $(STAMP)
	$(BIN)/vnextract extract $(RAW) --out $(OUT)

eval: $(STAMP)
	$(BIN)/vnextract eval --gold data/gold --reports reports
	$(BIN)/python -m pipeline.evaluate_identity --gold data/gold/identity --reports reports

audit: $(STAMP)
	$(BIN)/vnextract audit --gold data/gold --out reports/audit

# Reads ../shared/corpus/ when it is there; 1,000 articles and a 10,000-article memory run.
bench: $(STAMP)
	$(BIN)/python -m pipeline.bench

# The samples plus ../shared/corpus/ when it is there, extracted together, then every notebook run headless.
NOTEBOOK_INPUT := reports/notebook_input
notebooks: $(STAMP)
	rm -rf $(NOTEBOOK_INPUT) && mkdir -p $(NOTEBOOK_INPUT)
	cp data/raw/*.txt $(NOTEBOOK_INPUT)/
	if [ -d ../shared/corpus ]; then cp ../shared/corpus/*.txt $(NOTEBOOK_INPUT)/; fi
	$(BIN)/vnextract extract $(NOTEBOOK_INPUT) --out reports/notebook_tables --no-progress
	$(BIN)/vnextract notebooks --tables reports/notebook_tables --out reports

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) $(OUT) reports *.egg-info

# CSP strategic assessment: `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_SYSTEM ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

CONFIG ?= config/default.yml
DATA_DIR ?=
PERIOD_START ?=
PERIOD_END ?=
COMPARISON ?=
OUTPUT_DIR ?=
SECTIONS ?=

RUN_ARGS := --config $(CONFIG) \
	$(if $(DATA_DIR),--data-dir $(DATA_DIR)) \
	$(if $(PERIOD_START),--period-start $(PERIOD_START)) \
	$(if $(PERIOD_END),--period-end $(PERIOD_END)) \
	$(if $(COMPARISON),--comparison $(COMPARISON)) \
	$(if $(OUTPUT_DIR),--output-dir $(OUTPUT_DIR)) \
	$(if $(SECTIONS),--sections $(SECTIONS))

.PHONY: help install assessment assessments demo test test-fast lab notebooks lock benchmark benchmark-national clean

help: ## List the targets and the variables they take
	@echo "Targets:"
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk 'BEGIN {FS = ":.*## "}; {printf "  %-12s %s\n", $$1, $$2}'
	@echo "Variables (for assessment): CONFIG=$(CONFIG) DATA_DIR= PERIOD_START=YYYY-MM PERIOD_END=YYYY-MM"
	@echo "  COMPARISON=previous-year|preceding-period OUTPUT_DIR= SECTIONS='crime_performance ...'"
	@echo "Variables (for assessments): BATCH=$(BATCH) DATA_DIR= JOBS=$(JOBS)"

$(STAMP): pyproject.toml requirements.lock
	@bash scripts/system-packages.sh
	test -x $(PY) || $(PYTHON_SYSTEM) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP) ## Create .venv, install the pinned dependencies and the package (and, as root, the PDF's system libraries)

demo: $(STAMP) ## Generate the synthetic demonstration district into data/demo (if absent)
	$(PY) -m csp_analysis demo

BATCH ?= config/batches/hertfordshire-districts.yml
JOBS ?= 2

assessment: $(STAMP) ## Build the assessment (default: the demo) into outputs/; reruns only what changed (make -j2 runs sections in parallel)
	+@$(PY) -m csp_analysis build $(RUN_ARGS)

assessments: $(STAMP) ## Run a batch of assessments (BATCH=..., DATA_DIR=..., JOBS=2); failures are listed at the end
	$(PY) -m csp_analysis batch $(BATCH) $(if $(DATA_DIR),--data-dir $(DATA_DIR)) --jobs $(JOBS)

test: $(STAMP) ## Run every test: unit, notebook (nbval), real-data integration and the browser checks (installs Chromium if missing, as root)
	@bash scripts/test-browser.sh
	$(PY) -m pytest

test-fast: $(STAMP) ## Unit tests only (no notebooks, no real data)
	$(PY) -m pytest tests -m "not realdata" --ignore=tests/pipeline/test_end_to_end.py

lab: $(STAMP) ## Open JupyterLab on the notebooks (hand runs write to outputs/scratch/)
	$(PY) -m jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

notebooks: $(STAMP) ## Re-execute the committed notebooks on the demo (refreshes their stored outputs)
	$(PY) -m csp_analysis demo
	$(PY) -m jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.record_timing=False notebooks/*.ipynb

lock: ## Re-pin requirements.lock from the ranges in pyproject.toml
	rm -rf .lock-venv && $(PYTHON_SYSTEM) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip && .lock-venv/bin/pip install --quiet -e '.[test]'
	.lock-venv/bin/pip freeze --all --exclude-editable | grep -v -e '^-e' -e '^pip==' > requirements.lock
	rm -rf .lock-venv

benchmark: $(STAMP) ## Run the everyday benchmarks: real police.uk load, ward assignment, whole demo (DATA_DIR=../shared/data)
	$(PY) benchmarks/run.py $(if $(DATA_DIR),--data-dir $(DATA_DIR))

benchmark-national: $(STAMP) ## Run the national-scale benchmark (generates ~6M rows under /tmp first)
	$(PY) benchmarks/national.py

clean: ## Remove generated outputs, build rules and the demo data (not .venv)
	rm -rf outputs/* outputs/.[!.]* .build data/demo data/cache

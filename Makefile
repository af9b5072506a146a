# Customer data platform - developer entry points. `make` (or `make help`) lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
CDP    := $(BIN)/cdp
APT_PACKAGES := redis-server clickhouse-server
LINT_PATHS   := core schemas connectors streams sinks api cdp bench tests
MYPY_STRICT  := core schemas
MYPY_PATHS   := streams cdp/stack

.PHONY: help setup system-packages stack-up stack-down stack-status demo test test-unit lint format clean

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[test,dev,clv]'
	touch $(STAMP)

setup: $(STAMP) system-packages ## Create .venv, install the package (when pyproject changed) and the servers

system-packages: ## apt-get install redis-server and clickhouse-server when missing (needs root)
	@missing=""; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	command -v clickhouse-server >/dev/null 2>&1 || [ -x /usr/sbin/clickhouse-server ] || missing="$$missing clickhouse-server"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != "0" ]; then \
		echo "error: missing$$missing; run as root: apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(APT_PACKAGES)" >&2; \
		exit 1; \
	fi; \
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(APT_PACKAGES)

stack-up: setup ## Start the embedded stack (Tansu, Redis, ClickHouse) under .cdp
	$(CDP) stack up

stack-down: ## Stop the embedded stack
	$(CDP) stack down

stack-status: ## Show the embedded stack's services and health
	$(CDP) stack status

demo: setup ## Run the demo (`cdp demo` when it exists, else stack up + status)
	@if $(CDP) demo --help >/dev/null 2>&1; then \
		$(CDP) demo; \
	else \
		$(CDP) stack up && $(CDP) stack status; \
	fi

test: setup ## Run every test (integration tests start their own stack on free ports)
	$(BIN)/python -m pytest -q

test-unit: setup ## Run the unit tests only (no services)
	$(BIN)/python -m pytest -q -m 'not integration'

lint: setup ## ruff check, ruff format --check, mypy (strict on the pure modules)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy --strict $(MYPY_STRICT)
	$(BIN)/mypy $(MYPY_PATHS)

format: setup ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix $(LINT_PATHS)
	$(BIN)/ruff format $(LINT_PATHS)

clean: ## Stop the stack and delete its state dir and caches
	-$(CDP) stack down --purge
	rm -rf .cdp .pytest_cache .mypy_cache .ruff_cache

# The README's two commands are `make run` and `make test`; everything they need is installed from here.
SHELL := /bin/bash
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= data/hst.duckdb
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
# Ray (the [ray] extra) sends no usage statistics; matchmaking/engines sets it too, whoever starts Ray
export RAY_USAGE_STATS_ENABLED := 0

.PHONY: run test install apt-deps demo-db eval bench lint clean

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null || { echo "need $(PY) (Python 3.11) on PATH; set PY=... to use another"; exit 2; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade --quiet pip
	# torch first and pinned, from pip: an unpinned torch pulls several GB of CUDA packages
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[test,ray]'
	touch $(STAMP)

install: $(STAMP)

# Debian packages the browser tests need: headless Chromium and a Chinese font.
apt-deps:
	@bash scripts/apt_deps.sh

demo-db: $(STAMP)
	$(BIN)/hst --db $(DB) init --demo
	$(BIN)/hst --db $(DB) embed

run: $(STAMP) demo-db
	$(BIN)/hst --db $(DB) app

test: $(STAMP) apt-deps
	$(BIN)/python -m pytest -q -p no:cacheprovider

eval: $(STAMP)
	$(BIN)/python -m bench.eval_matching

bench: $(STAMP)
	$(BIN)/python -m bench.ingest
	$(BIN)/python -m bench.splits
	$(BIN)/python -m bench.matching

.PHONY: test-browser bench-app

# The browser tests alone (the real app in Debian's headless Chromium; `make test` runs them too).
# Screenshots of every page: tests/artifacts/screenshots/.
test-browser: $(STAMP) apt-deps
	$(BIN)/python -m pytest -q -p no:cacheprovider -m browser tests/app

# First render of each app page on the demo data and on 100,000 synthetic organisations (not a test;
# about 25 minutes the first time, most of it `hst match --all --store` on the synthetic data).
bench-app: $(STAMP) apt-deps
	$(BIN)/python -m bench.app_render

# ruff, and the import directions of pyproject.toml's [tool.importlinter] contracts
lint: $(STAMP)
	$(BIN)/ruff check matchmaking benefit_sharing app_pages app.py tests bench scripts
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache

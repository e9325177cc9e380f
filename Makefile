# Two commands do everything on a fresh machine (see README.md):
#   make book   create .venv if missing, install the pinned packages, build the site (strict)
#   make test   everything `make book` does, then every test layer
# Smaller helpers: make data, make notebooks, make bench, make perf, make lighthouse, make lint,
# make serve, make clean;
# make replication (REPLICATION.md, .zenodo.json, the cite page's citation) and make release.
# Editions: make pdf (the whole book as one PDF), make offline (a zip that opens from file://).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := book

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
export PATH := $(abspath $(BIN)):$(PATH)
# Notebooks and tests never need the network; keep Python's own caches out of the tree.
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: book test lint data notebooks repro bench perf lighthouse mutation serve chromium binder-check \
	replication release clean pdf offline vnu

# The venv is rebuilt only when the pins change.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	@$(PY) -c 'import sys; assert sys.version_info[:2] == (3, 11), f"Python 3.11 needed (runtime.txt), found {sys.version.split()[0]}"'
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

# Strict build: any warning, broken reference or failing cell fails it.
book: $(STAMP)
	$(BIN)/jupyter-book build -W -n --keep-going .
	@echo "Site built: $(CURDIR)/_build/html/index.html"

# The browser tests drive Debian's chromium through Playwright (never `playwright install`).
chromium:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Every layer: lint, the strict build, package and data tests, nbval (strict, over
# the committed outputs of every chapter), the browser + axe tests of the built site,
# the Nu HTML Checker over every page, and the PDF and offline editions (printed and
# zipped from this build, then checked: about 2 minutes of the run).
test: $(STAMP) chromium lint book binder-check vnu pdf offline
	$(BIN)/pytest tests book/*.ipynb \
	  --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

# Binder parity, from Binder's own plan: repo2docker (--no-build, no Docker) prints the
# Dockerfile it would build; its install steps for this repository (today: pip install -r
# requirements.txt, then pip install .) are replayed in a fresh venv, and every chapter is
# executed from book/ with a bare environment. An unknown step in the plan fails the check.
binder-check: $(STAMP)
	$(PY) -m tests.binder_check

# The pre-commit hooks over every tracked file (ruff lint + format on code and
# notebooks, yaml/json/toml syntax, whitespace, large files, notebook hygiene).
lint: $(STAMP)
	$(BIN)/pre-commit run --all-files --show-diff-on-failure

# The whole book as one PDF: Chromium prints every page of _toc.yml with _static/print.css
# (Playwright, Debian chromium), pypdf merges them -> _build/pdf/reluctant-allies.pdf.
pdf: $(STAMP) chromium book
	$(PY) -m tests.pdf

# The offline edition: site + data package + executed notebooks, opened from file:// with
# no server -> _build/offline/reluctant-allies-offline.zip (see tests/offline.py).
offline: $(STAMP) book
	$(PY) -m tests.offline

# The Nu HTML Checker (npm package vnu-jar, pinned in tests/vnu.py) into the venv; Java
# runs it.  --ignore-scripts: its postinstall would download a Java runtime (Debian's is used).
VNU_VERSION := $(shell sed -n 's/^VNU_VERSION = "\(.*\)"/\1/p' tests/vnu.py)
VNU_JAR := $(VENV)/npm/node_modules/vnu-jar/build/dist/vnu.jar
vnu: $(VNU_JAR)
$(VNU_JAR): $(STAMP) tests/vnu.py
	@command -v java >/dev/null || { \
	  echo "Installing a Java runtime for the Nu HTML Checker"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq default-jre-headless >/dev/null; }
	npm install --prefix $(VENV)/npm --no-save --no-package-lock --no-audit --no-fund \
	  --ignore-scripts --loglevel=error vnu-jar@$(VNU_VERSION)
	@touch $@

# Re-derive data/*.csv from the raw files in ../shared/data/raw (byte-identical on re-run),
# then regenerate the Data pages (book/data/*.md) and REPLICATION.md from data/datapackage.json.
data: $(STAMP)
	$(PY) -m reluctant_allies.derive
	$(PY) -m reluctant_allies.codebook
	$(PY) -m reluctant_allies.replication

# The replication README (data availability per dataset, software, list of exhibits), the
# cite page's BibTeX/APA and .zenodo.json, all generated from the files they describe;
# tests/test_replication.py fails when a committed copy differs from what this writes.
replication: $(STAMP)
	$(PY) -m reluctant_allies.replication

# A versioned bundle in _build/release/: source at HEAD, data package, built site (+ PDF and
# offline zip when built), pip freeze of .venv and RO-Crate metadata; refuses a work tree
# whose tracked files differ from HEAD (RELEASE_ARGS=--allow-dirty for a trial run).
RELEASE_ARGS ?=
release: $(STAMP)
	$(PY) -m reluctant_allies.release $(RELEASE_ARGS)

# Re-execute every chapter in place, so the committed outputs match the code and data.
notebooks: $(STAMP)
	cd book && for nb in *.ipynb; do ../$(BIN)/jupyter execute --inplace "$$nb"; done
	$(PY) -m reluctant_allies.notebooks tidy book/*.ipynb

# Not in `make test`: every chapter re-executed under other numerical paths (numpy SIMD
# levels switched off, BLAS on 1 vs N threads), diffed against the committed outputs.
repro: $(STAMP)
	$(PY) -m tests.repro

# Not in `make test`: mutmut's score of the unit tests per module (models/, data, derive,
# pressure, explorables, evaluation), on a fixed-seed sample of 30 mutants per module so it
# ends in about 30 minutes on 2 cores. MUTATION_ARGS="--all" runs every mutant (hours);
# "--only reluctant_allies/pressure.py" one module. Survivors: .venv/bin/mutmut show NAME.
MUTATION_ARGS ?=
mutation: $(STAMP)
	$(PY) -m tests.mutation $(MUTATION_ARGS)

bench: $(STAMP)
	$(PY) -m reluctant_allies.bench

# Build cost, and per page: first-visit weight, time to the first figure and time to an
# interactive chart, measured in one run (prints a table against issue 14's goals).
# PERF_ARGS=--pages-only measures the site already built, without the two timed builds.
PERF_ARGS ?=
perf: $(STAMP) chromium
	$(PY) -m tests.perf $(PERF_ARGS)

# Not in `make test`: Lighthouse 12.2.3 (npm, into .venv/lighthouse) scores each chapter of
# the built site for mobile performance with Debian's chromium (issue 14's goal: >= 90).
lighthouse: $(STAMP) chromium
	$(PY) -m tests.lighthouse $(LIGHTHOUSE_ARGS)

serve: book
	$(PY) -m http.server --bind 127.0.0.1 --directory _build/html 8000

clean:
	rm -rf _build mutants

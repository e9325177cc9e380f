# Two commands do everything on a fresh machine (see README.md):
#   make book   create .venv if missing, install the pinned packages, build the site (strict)
#   make test   everything `make book` does, then every test layer
# Smaller helpers: make data, make notebooks, make bench, make lint, make serve, make clean.
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

.PHONY: book test lint data notebooks bench perf serve chromium binder-check clean

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
# the committed outputs of every chapter) and the browser + axe tests of the built site.
test: $(STAMP) chromium lint book binder-check
	$(BIN)/pytest tests book/*.ipynb \
	  --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

# Binder parity: what repo2docker does -- a fresh venv from requirements.txt alone
# (it installs the package through its `-e .` line) -- then every chapter executed
# from its own folder with a bare environment (no PYTHONPATH, no dev tools on PATH).
# Fails if a chapter needs anything only the development environment provides.
BINDER_VENV := _build/binder-venv
binder-check:
	@rm -rf $(BINDER_VENV) _build/binder-run && mkdir -p _build/binder-run
	@start=$$(date +%s); \
	$(PYTHON) -m venv $(BINDER_VENV) 2>/dev/null || python3 -m venv $(BINDER_VENV); \
	$(BINDER_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt; \
	cd book && for nb in *.ipynb; do \
	  log="$(abspath _build/binder-run)/$${nb%.ipynb}.log"; \
	  if ! env -i HOME="$$(mktemp -d)" PATH="$(abspath $(BINDER_VENV))/bin:/usr/bin:/bin" LANG=C.UTF-8 \
	      jupyter execute --output="$(abspath _build/binder-run)/$${nb%.ipynb}" "$$nb" >"$$log" 2>&1; then \
	    cat "$$log"; echo "binder-check: $$nb failed in the Binder-like environment"; exit 1; \
	  fi; \
	done; \
	echo "binder-check: $$(ls ../_build/binder-run/*.ipynb | wc -l) chapters ran in a fresh venv from requirements.txt alone ($$(( $$(date +%s) - start )) s)"

# The pre-commit hooks over every tracked file (ruff lint + format on code and
# notebooks, yaml/json/toml syntax, whitespace, large files, notebook hygiene).
lint: $(STAMP)
	$(BIN)/pre-commit run --all-files --show-diff-on-failure

# Re-derive data/*.csv from the raw files in ../shared/data/raw (byte-identical on re-run),
# then regenerate the Data pages (book/data/*.md) from data/datapackage.json.
data: $(STAMP)
	$(PY) -m reluctant_allies.derive
	$(PY) -m reluctant_allies.codebook

# Re-execute every chapter in place, so the committed outputs match the code and data.
notebooks: $(STAMP)
	cd book && for nb in *.ipynb; do ../$(BIN)/jupyter execute --inplace "$$nb"; done
	$(PY) -m reluctant_allies.notebooks tidy book/*.ipynb

bench: $(STAMP)
	$(PY) -m reluctant_allies.bench

# Build cost and first-visit page weight, measured in one run (prints a table).
perf: $(STAMP) chromium
	$(PY) -m tests.perf

serve: book
	$(PY) -m http.server --bind 127.0.0.1 --directory _build/html 8000

clean:
	rm -rf _build

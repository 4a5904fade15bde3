# reportgen — two commands on a fresh Debian 12 machine:
#   make demo   set everything up and build the sample publications into out/
#   make test   set everything up and run all tests
# Other targets: setup, lint, schema, clean, serve (the web app), screenshots, bench.

PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
# Fonts for every script the trust uses, Chromium for the axe-core tests, poppler for
# looking at PDF pages as pictures (pdftoppm), liblouis and its tables for braille, Java for
# EPUBCheck (the EPUB tests), qpdf for reading the PDF 2.0 files (the UA-2 tests), LibreOffice
# Writer without its GUI for the Word import tests (a .docx written by a real word processor).
DEB_PACKAGES := fonts-noto-core fonts-noto-cjk chromium poppler-utils fontconfig liblouis-data python3-louis default-jre-headless qpdf libreoffice-writer-nogui
SAMPLES     := $(wildcard data/*/report.yaml)

.PHONY: setup demo test lint schema clean system-packages bench

setup: system-packages $(VENV)/.installed $(VENV)/.louis
	@# Byte-compile reportgen once, so every command starts from .pyc files even where
	@# PYTHONDONTWRITEBYTECODE is set (compiling the sources costs about 50 ms a start).
	@$(BIN)/python -m compileall -q src

system-packages:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# The Python packages come from requirements.lock: every version pinned and every file checked
# by its hash, so a fresh machine gets exactly the versions the tests passed with (a fresh
# install once floated to a newer Babel and changed the output). `make lock` refreshes it.
PIP_VERSION := 26.3
PIP_TOOLS   := pip-tools==7.7.0
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip==$(PIP_VERSION)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $@

# Braille (docs/braille.md) is made with liblouis through its Python binding, Debian's
# python3-louis: a ctypes wrapper of liblouis.so.20, the same version as the tables in
# liblouis-data (PyPI has no wheel of it). Debian installs it in /usr/lib/python3/dist-packages,
# which the virtualenv does not see: it is made without system site packages so that every
# other package comes from requirements.lock. So exactly one package is made reachable: the
# louis folder is linked into the venv's site-packages (no other Debian package leaks in), and
# the import is tried at once so a broken link fails setup, not the first braille build.
LOUIS_DIR := /usr/lib/python3/dist-packages/louis
$(VENV)/.louis: $(VENV)/.installed
	test -f $(LOUIS_DIR)/__init__.py || { echo "python3-louis is not installed: apt-get install python3-louis liblouis-data"; exit 1; }
	ln -sfn $(LOUIS_DIR) "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/louis"
	$(BIN)/python -c "import louis; print('liblouis', louis.version(), 'for braille')"
	touch $@

# Re-resolve requirements.lock after a change to pyproject.toml's dependencies, keeping every
# pin that still fits; `make lock UPGRADE=1` moves every package to its newest release, and
# `make lock UPGRADE_PACKAGE=babel` only that one (then run make test, and record in docs/ what
# changed in the output and why it is accepted).
.PHONY: lock test-latest
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip==$(PIP_VERSION) $(PIP_TOOLS)
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --extra test --all-build-deps --strip-extras \
	  --no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade) $(if $(UPGRADE_PACKAGE),--upgrade-package $(UPGRADE_PACKAGE)) -o requirements.lock pyproject.toml

# Not part of make test, and never blocking: the suite against the newest release of every
# dependency, in a virtualenv of its own, so upstream changes are seen before the lock moves.
test-latest: system-packages
	rm -rf .venv-latest
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --quiet --upgrade pip
	.venv-latest/bin/python -m pip install --quiet -e '.[test]'
	-.venv-latest/bin/python -m pytest -q -p no:cacheprovider; \
	  status=$$?; echo "make test-latest: pytest exited $$status (not blocking: compare with make test)"

# One command for every sample: the languages of all of them share warm workers on every
# core, and files whose inputs have not changed since the last demo are skipped.
demo: setup
	$(BIN)/reportgen build $(dir $(SAMPLES)) --lang all --format all --out out
	@echo "Done: open the files under out/ (HTML in a browser, PDF in a PDF reader)."

test: setup
	$(BIN)/python -m pytest

# After a deliberate change to what reportgen makes: record the new outputs as approved
# (tests/golden/outputs.json), then say in the commit which files changed and why.
.PHONY: approve-golden
approve-golden: setup
	REPORTGEN_APPROVE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py

# After a deliberate change to how publications look: record each kind's pages as approved
# (tests/visual/*.png, tests/test_visual.py) and the README's picture of each kind
# (docs/images/kind-*.png) in one go, then say in the commit what changed and why.
.PHONY: approve-visual
approve-visual: setup
	REPORTGEN_APPROVE_VISUAL=1 $(BIN)/python -m pytest -q tests/test_visual.py

lint: setup
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/lint-imports --no-cache

# Speed (docs/speed.md): reportgen vs plain WeasyPrint vs Chromium, serial vs parallel and no-op
# rebuilds, the 50-trust survey batch, time per page; judges issue 7's targets. About 20 minutes;
# writes out/bench/bench.json (benchmarks/bench.py --markdown out/bench/bench.json prints tables).
bench: setup
	$(BIN)/python benchmarks/bench.py

schema: setup
	$(BIN)/reportgen schema --out docs/report.schema.json

clean:
	rm -rf out .pytest_cache .ruff_cache

# Translation catalogs (see docs/translations.md).
.PHONY: i18n-extract i18n-update i18n-compile i18n-status
i18n-extract: setup
	$(BIN)/reportgen i18n extract
i18n-update: setup
	$(BIN)/reportgen i18n update
i18n-compile: setup
	$(BIN)/reportgen i18n compile
i18n-status: setup
	$(BIN)/reportgen i18n status

# Pictures of first pages for the README and docs/ (needs pdftoppm from poppler-utils).
PICTURE_LANGS := ar ur bn zh-Hant
.PHONY: pictures
pictures: setup
	$(BIN)/reportgen build data/annual-report-summary-2024-25 --format pdf --out out
	pdftoppm -png -r 60 -f 1 -l 1 -singlefile out/annual-report-summary-2024-25/annual-report-summary-2024-25.en-GB.pdf docs/images/annual-report-summary-page-1
	for lang in $(PICTURE_LANGS); do \
	  $(BIN)/reportgen build data/annual-report-2024-25-at-a-glance --format pdf --lang $$lang --out out || exit $$?; \
	  pdftoppm -png -r 60 -f 1 -l 1 -singlefile out/annual-report-2024-25-at-a-glance/annual-report-2024-25-at-a-glance.$$lang.pdf docs/images/summary-$$lang-page-1; \
	done

# Pictures of the web app's pages for docs/web.md (reportgen serve on copies, in Chromium).
.PHONY: screenshots serve
screenshots: setup
	$(BIN)/python scripts/web_screenshots.py
serve: setup
	$(BIN)/reportgen serve

